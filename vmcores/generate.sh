#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# generate.sh NAME...|all|arm64 : (re)generate vmcores/NAME/{vmcore,manifest.json}
# (or $MMLIFE_VMCORES_OUT/NAME/).
# Needs root, the host tools of scripts/host-deps.sh, network to a Debian mirror.
# Runs one QEMU at a time. Big files go to ${MMLIFE_CACHE:-$HOME/.cache/mmlife}.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/scripts/common.sh"
[ $# -ge 1 ] || die "usage: generate.sh NAME...|all|arm64 (names: $(python3 -c 'import json,sys; print(" ".join(k for k in json.load(open(sys.argv[1])) if not k.startswith("_")))' "$HERE/gen/scenarios.json"))"
"$HERE/scripts/host-deps.sh"
"$HERE/scripts/chroot.sh" forky create
names=("$@")
# all: the x86-64 fixtures; arm64: the arm64 ones (arm64-*), kept apart
# until the CLI reads arm64 dumps (vmcores/README.md, "arm64"); scenarios
# with "fixture": false are made only when named
case $1 in
all | arm64)
	mapfile -t names < <(python3 -c 'import json,sys
for k, v in json.load(open(sys.argv[1])).items():
    if not k.startswith("_") and v.get("fixture", True) and k.startswith("arm64-") == (sys.argv[2] == "arm64"):
        print(k)' "$HERE/gen/scenarios.json" "$1") ;;
esac
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
