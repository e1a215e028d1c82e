#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI's findings on every real dump against its manifest (the debugger's
# reading at capture time): counts of tasks and mms as the kernel had them,
# no finding on a clean dump, and for each planted state the ids the
# detection matrix gives for the facts gdb recorded (lib/expect.py), in the
# default scan wherever the mm is (task, init_mm.mmlist, slab only), and
# with --mm ADDR.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup
have_mm=$("$MMLIFE" --help 2>&1 | grep -c -- '--mm')

for d in $(complete_dumps); do
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
	# mms the default scan examines: every task's (the manifest's
	# count), every planted one, and slab mms no task uses: those are
	# not in the manifest and must stay silent (checked below).
	check "$d: distinct task mms" "$(mf "$d" 'm["counts"]["mms"]')" \
		"$(jsq "$out" 'sum(1 for x in j["mms"] if x["tasks"])')"
	check "$d: every planted mm is examined" "" \
		"$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1])); j = json.load(open(sys.argv[2]))
got = {int(x["address"], 16) for x in j["mms"]}
print(" ".join(s["mm"] for s in m["states"] if int(s["mm"], 16) not in got))' \
			"vmcores/$d/manifest.json" "$out")"
	# Which mms hold findings, and which ids, from the manifest.
	want=$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_ids
m = json.load(open(sys.argv[1]))
rows = []
for s in m["states"]:
    ids = expected_ids(s)
    if ids:
        rows.append("%x:%s" % (int(s["mm"], 16), ",".join(ids)))
print(" ".join(sorted(rows)))' "$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")
	got=$(jsq "$out" '" ".join(sorted("%x:%s" % (int(x["address"],16), ",".join(sorted(set(f["id"] for f in x["findings"])))) for x in j["mms"] if x["findings"]))')
	check "$d: findings of the default scan" "$want" "$got"
	check "$d: no finding outside an mm" "0" "$(jsq "$out" 'len(j["findings"])')"
	# Exit 1 only for a finding at or above warning (the default
	# --fail-on): a 6.1 failed fork's prefix is info, harmless.
	worst=$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_worst
m = json.load(open(sys.argv[1]))
w = [expected_worst(s) for s in m["states"]]
print("1" if "error" in w or "warning" in w else "0")' \
		"$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")
	check "$d: exit status $worst (a finding at or above warning: 1)" \
		"$worst" "$rc"
	check "$d: worst severity of the default scan" \
		"$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_worst
m = json.load(open(sys.argv[1]))
order = ["info", "warning", "error"]
w = [expected_worst(s) for s in m["states"] if expected_worst(s)]
print(max(w, key=order.index) if w else "")' \
			"$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")" \
		"$(jsq "$out" 'j["worst_severity"]')"
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
