#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# generate.sh NAME...|all : (re)generate vmcores/NAME/{vmcore,manifest.json}.
# Needs root, the host tools of scripts/host-deps.sh, network to a Debian mirror.
# Runs one QEMU at a time. Big files go to ${MMLIFE_CACHE:-$HOME/.cache/mmlife}.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/scripts/common.sh"
[ $# -ge 1 ] || die "usage: generate.sh NAME...|all (names: $(python3 -c 'import json,sys; print(" ".join(k for k in json.load(open(sys.argv[1])) if not k.startswith("_")))' "$HERE/gen/scenarios.json"))"
"$HERE/scripts/host-deps.sh"
"$HERE/scripts/chroot.sh" forky create
names=("$@")
if [ "$1" = all ]; then
	mapfile -t names < <(python3 -c 'import json,sys; [print(k) for k in json.load(open(sys.argv[1])) if not k.startswith("_")]' "$HERE/gen/scenarios.json")
fi
rc=0
for n in "${names[@]}"; do
	log "=== $n"
	t0=$(date +%s)
	set +e
	python3 "$HERE/gen/make_dump.py" "$n"
	r=$?
	set -e
	log "=== $n: rc=$r in $(( $(date +%s) - t0 ))s"
	[ $r -eq 0 ] || rc=$r
done
exit $rc
