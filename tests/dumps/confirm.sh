#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/dumps/confirm.sh [NAME...]
# Independent confirmation of vmcores/*/manifest.json with drgn and crash
# from the forky chroot (vmcores/scripts/chroot.sh); debug vmlinux from
# vmcores/scripts/fetch-kernel.sh. Output: TAP (plan printed at the end).
# A kernel whose pinned -dbg package left the archive gives "# SKIP" lines.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VMC=$REPO/vmcores
. "$VMC/scripts/common.sh"

if [ $# -gt 0 ]; then
	manifests=()
	for a in "$@"; do manifests+=("$VMC/$a/manifest.json"); done
else
	manifests=("$VMC"/*/manifest.json)
fi
"$VMC/scripts/chroot.sh" forky create >/dev/null
n=1
fails=0
jq_() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); 
for k in sys.argv[2].split("."): d=d[k]
print(d)' "$1" "$2"; }
last_n() { awk '/^(not )?ok [0-9]+/ {n=$0; sub(/^(not )?ok /,"",n); sub(/ .*/,"",n)} END {print n+0}'; }

for m in "${manifests[@]}"; do
	name=$(jq_ "$m" name)
	key=$(jq_ "$m" kernel.key)
	scen=$(jq_ "$m" scenario)
	file=$(jq_ "$m" dump.file)
	set +e
	vmlinux=$("$VMC/scripts/fetch-kernel.sh" "$key" 2>/tmp/confirm-fetch.$$)
	rc=$?
	set -e
	if [ $rc -eq 77 ]; then
		echo "ok $n - $name: drgn confirmation # SKIP $(grep -m1 SKIP /tmp/confirm-fetch.$$ || echo "kernel $key packages left the archive")"
		n=$((n + 1))
		if [ "$scen" = baseline ]; then echo "ok $n - $name: crash confirmation # SKIP kernel $key -dbg not in the archive"; n=$((n + 1)); fi
		continue
	elif [ $rc -ne 0 ]; then
		echo "not ok $n - $name: fetch-kernel.sh $key failed"; sed 's/^/#   /' /tmp/confirm-fetch.$$
		n=$((n + 1)); fails=$((fails + 1)); continue
	fi
	kout=$(dirname "$vmlinux")
	set +e
	out=$(VMC_BIND="$kout $REPO" "$VMC/scripts/chroot.sh" forky run \
		python3 "$HERE/confirm_drgn.py" "$m" "$vmlinux" "$n" 2>&1)
	rc=$?
	set -e
	echo "$out" | grep -v '^the given file is in the makedumpfile flattened format' || true
	l=$(echo "$out" | last_n)
	if [ "$l" -lt "$n" ]; then echo "not ok $n - $name: drgn check did not run"; l=$n; fi
	[ $rc -eq 0 ] || fails=$((fails + 1))
	n=$((l + 1))
	arch=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel"].get("arch", "x86_64"))' "$m")
	if [ "$scen" = baseline ] && [ "$arch" != x86_64 ]; then
		# drgn's confirmation above is the independent one for arm64:
		# crash's is x86_64 here (crash_ext_arm64.sh has the arm64 crash).
		echo "# $name: crash confirmation of $arch dumps: none (drgn's above)"
	elif [ "$scen" = baseline ]; then
		dump=$("$VMC/scripts/vmcore-path.sh" "$name")
		set +e
		out=$(VMC_BIND="$kout $REPO $(dirname "$dump")" "$VMC/scripts/chroot.sh" forky run \
			python3 "$HERE/confirm_crash.py" "$m" "$vmlinux" "$dump" "$n" 2>&1)
		rc=$?
		set -e
		echo "$out"
		l=$(echo "$out" | last_n)
		if [ "$l" -lt "$n" ]; then echo "not ok $n - $name: crash check did not run"; l=$n; fi
		[ $rc -eq 0 ] || fails=$((fails + 1))
		n=$((l + 1))
	fi
done
rm -f /tmp/confirm-fetch.$$
echo "1..$((n - 1))"
[ $fails -eq 0 ]
