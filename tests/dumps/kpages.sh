#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The fast page path for kdump-compressed dumps (cli/kpages.c: own lookup,
# libdeflate) against libkdumpfile's own reads (MMLIFE_KPAGES=0): on every
# real dump in vmcores/, the same report, byte for byte, in a default and
# a deep (slab) scan, and the same --maps of one task. Timings are left out.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "fast page path" "$MMLIFE not built"
	exit 0
fi
strip_times() { grep -v '"slab_ms"\|"seconds"\|"duration_ms"'; }
found=0
for name in $(dumps); do
	found=1
	d=vmcores/$name/vmcore
	pid=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
print(next((t["pid"] for t in m["tasks"] if t["comm"] == "init"), 1))' \
		"vmcores/$name/manifest.json")
	for how in "--json" "--json --deep" "--maps $pid"; do
		MMLIFE_KPAGES=0 "$MMLIFE" $how "$d" 2>&1 | strip_times >"$tmp/slow"
		"$MMLIFE" $how "$d" 2>&1 | strip_times >"$tmp/fast"
		if [ -s "$tmp/slow" ] && cmp -s "$tmp/slow" "$tmp/fast"; then
			ok "$name: mmlife $how: the fast page path gives the same output"
		else
			notok "$name: mmlife $how: the fast page path gives the same output"
			diff "$tmp/slow" "$tmp/fast" | head -n 5 | sed 's/^/#   /'
		fi
	done
done
[ $found -eq 1 ] || skip "fast page path" "no dumps in vmcores/"
exit 0
