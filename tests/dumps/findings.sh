#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI's findings on every real dump against its manifest (the debugger's
# reading at capture time): counts of tasks and mms as the kernel had them,
# no finding on a clean dump, and for each planted state the ids the
# detection matrix gives for the facts gdb recorded (lib/expect.py), in the
# default scan when a task or init_mm.mmlist reaches the mm, and with
# --mm ADDR always.
#   B=build
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
have_mm=$("$MMLIFE" --help 2>&1 | grep -c -- '--mm')

for d in $(dumps); do
	out=$tmp/$d.json
	"$MMLIFE" --json "vmcores/$d/vmcore" >"$out" 2>"$tmp/$d.err"
	rc=$?
	if ! jsq "$out" 'j["schema_version"]' >/dev/null 2>&1; then
		notok "$d: mmlife --json gives a report (exit $rc)"
		sed 's/^/#   /' "$tmp/$d.err" | head -n 3
		continue
	fi
	# init_task (pid 0) is a task mmlife walks; the kernel's nr_threads
	# and the manifest's task list leave it out.
	check "$d: tasks walked = manifest tasks + the boot idle task" \
		"$(mf "$d" 'len(m["tasks"]) + 1')" "$(jsq "$out" 'j["counts"]["tasks"]')"
	check "$d: thread groups" "$(mf "$d" 'm["counts"]["thread_groups"] + 1')" \
		"$(jsq "$out" 'j["counts"]["thread_groups"]')"
	# mms the default scan examines: every task's, plus mmlist-only ones.
	check "$d: distinct mms" \
		"$(mf "$d" 'm["counts"]["mms"] + sum(1 for s in m["states"] if not s["tasks"] and s.get("on_mmlist"))')" \
		"$(jsq "$out" 'j["counts"]["mms"]')"
	# Which mms hold findings, and which ids, from the manifest.
	want=$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_ids
m = json.load(open(sys.argv[1]))
rows = []
for s in m["states"]:
    if s["tasks"] or s.get("on_mmlist"):
        ids = expected_ids(s)
        if ids:
            rows.append("%x:%s" % (int(s["mm"], 16), ",".join(ids)))
print(" ".join(sorted(rows)))' "$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")
	got=$(jsq "$out" '" ".join(sorted("%x:%s" % (int(x["address"],16), ",".join(sorted(set(f["id"] for f in x["findings"])))) for x in j["mms"] if x["findings"]))')
	check "$d: findings of the default scan" "$want" "$got"
	check "$d: no finding outside an mm" "0" "$(jsq "$out" 'len(j["findings"])')"
	if [ -z "$want" ]; then
		check "$d: exit status 0 when the default scan meets no planted mm" 0 "$rc"
	else
		check "$d: exit status 1 with findings" 1 "$rc"
	fi
	i=0
	for mm in $(mf "$d" '" ".join(s["mm"] for s in m["states"])'); do
		if [ "$have_mm" = 0 ]; then
			skip "$d: --mm $mm" "this CLI has no --mm"
			continue
		fi
		"$MMLIFE" --json --mm "$mm" "vmcores/$d/vmcore" >"$tmp/mm.json" 2>/dev/null
		check "$d: --mm $mm findings" \
			"$(python3 tests/dumps/lib/expect.py "vmcores/$d/manifest.json" "$i")" \
			"$(jsq "$tmp/mm.json" '" ".join(sorted(set(f["id"] for x in j["mms"] for f in x["findings"])))')"
		i=$((i + 1))
	done
done
[ "$n" -gt 0 ] || skip "findings on real dumps" "no dump in vmcores/"
