#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A lossy dump is not a broken kernel. On every fixture whose manifest has
# a "lossy" record (what drgn could not read after makedumpfile dropped
# pages: tasks, mms), the default run must: keep the planted state's kernel
# findings and nothing else about the kernel; put every unreadable mm the
# manifest names in the dump class (excluded-page), with one
# dump-incomplete that gives the dump level, the cause and the remedy; exit
# 4 when it has no kernel finding. On every other fixture there is no dump
# finding at all. The crash extension runs on the lossy dump in
# crash --minimal (crash itself stops while gathering the task table).
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup

lossy=""
for d in $(dumps); do
	"$MMLIFE" --json "vmcores/$d/vmcore" >"$tmp/$d.json" 2>"$tmp/$d.err"
	rc=$?
	if [ "$(mf "$d" '"lossy" in m')" = false ]; then
		check "$d: a complete dump gives no dump finding" "0 true" \
			"$(jsq "$tmp/$d.json" 'j["counts"]["dump_findings"]') $(jsq "$tmp/$d.json" 'j["dump_complete"]')"
		continue
	fi
	lossy="$lossy $d"
	# Kernel findings: the planted states', nothing else.
	want=$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_ids
m = json.load(open(sys.argv[1]))
print(" ".join(sorted("%x:%s" % (int(s["mm"], 16), ",".join(expected_ids(s)))
                      for s in m["states"] if expected_ids(s))))' \
		"$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")
	got=$(jsq "$tmp/$d.json" '" ".join(sorted("%x:%s" % (int(x["address"],16), ",".join(sorted(set(f["id"] for f in x["findings"] if f["class"] == "kernel")))) for x in j["mms"] if any(f["class"] == "kernel" for f in x["findings"])))')
	check "$d: kernel findings are the planted states' only" "$want" "$got"
	check "$d: no kernel finding outside an mm" "0" \
		"$(jsq "$tmp/$d.json" 'sum(1 for f in j["findings"] if f["class"] == "kernel")')"
	# Every mm drgn could not read is in the dump class, and only those.
	check "$d: the mms drgn could not read are excluded-page (mm_struct)" \
		"$(mf "$d" '" ".join(sorted(x["mm"] for x in m["lossy"]["unreadable_mms"] if x["kind"] == "task mm"))')" \
		"$(jsq "$tmp/$d.json" '" ".join(sorted(x["address"] for x in j["mms"] if any(f["id"] == "excluded-page" and f["evidence"].get("what") == "mm_struct" for f in x["findings"])))')"
	check "$d: one dump-incomplete, of the dump class" "1 dump" \
		"$(jsq "$tmp/$d.json" '" ".join(str(x) for x in (len([f for f in j["findings"] if f["id"] == "dump-incomplete"]), [f["class"] for f in j["findings"] if f["id"] == "dump-incomplete"][0]))')"
	di='[f for f in j["findings"] if f["id"] == "dump-incomplete"][0]["evidence"]'
	check "$d: dump-incomplete gives the dump level of the kdump header" \
		"$(mf "$d" 'm["dump"]["dump_level"]')" "$(jsq "$tmp/$d.json" "$di[\"dump_level\"]")"
	check "$d: dump-incomplete counts the lost mm_structs" \
		"$(mf "$d" 'sum(1 for x in m["lossy"]["unreadable_mms"] if x["kind"] == "task mm")')" \
		"$(jsq "$tmp/$d.json" "$di.get(\"lost_mm_structs\")")"
	check "$d: tasks not checked = the kernel's threads minus those walked" \
		"$(mf "$d" 'm["counts"]["threads"] + 1')" \
		"$(jsq "$tmp/$d.json" "$di[\"tasks_not_checked\"] + j[\"counts\"][\"tasks\"]")"
	check "$d: the likely cause names makedumpfile and the remedy -d 23" "true true" \
		"$(jsq "$tmp/$d.json" "'makedumpfile' in $di[\"likely_cause\"]") $(jsq "$tmp/$d.json" "'-d 23' in $di[\"remedy\"]")"
	check "$d: worst severity is the kernel's (the planted state)" \
		"$(python3 -c 'import json,sys
sys.path.insert(0, sys.argv[2])
from expect import expected_worst
m = json.load(open(sys.argv[1]))
print(max((expected_worst(s) for s in m["states"] if expected_worst(s)), key=["info","warning","error"].index))' \
			"$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib")" \
		"$(jsq "$tmp/$d.json" 'j["worst_severity"]')"
	check "$d: dump_complete is false" "false" "$(jsq "$tmp/$d.json" 'j["dump_complete"]')"
	# Without the slab (--fast) the planted child is not reached: no
	# kernel finding, so the exit status is the dump's, 4.
	"$MMLIFE" --fast "vmcores/$d/vmcore" >"$tmp/$d.fast" 2>&1
	check "$d: --fast: no kernel finding, exit 4 (incomplete)" 4 "$?"
	check "$d: the text summary keeps the two classes apart" 1 \
		"$(grep -c '^  the dump is incomplete: .* nothing about the kernel was inferred' "$tmp/$d.fast")"
	check "$d: the text summary counts no kernel finding" 1 \
		"$(grep -c '^  0 findings about the kernel' "$tmp/$d.fast")"
	# --deep: no mm from a lost slab page, no corrupt freelist.
	"$MMLIFE" --deep --json "vmcores/$d/vmcore" >"$tmp/$d.deep" 2>/dev/null
	check "$d: --deep: no slab-freelist error and no unreadable (kernel) finding from lost pages" "0" \
		"$(jsq "$tmp/$d.deep" 'sum(1 for x in j["mms"] for f in x["findings"] if f["id"] in ("slab-freelist", "unreadable")) + sum(1 for f in j["findings"] if f["id"] in ("slab-freelist", "unreadable"))')"
	check "$d: --deep: kernel findings are still the planted states' only" "$want" \
		"$(jsq "$tmp/$d.deep" '" ".join(sorted("%x:%s" % (int(x["address"],16), ",".join(sorted(set(f["id"] for f in x["findings"] if f["class"] == "kernel")))) for x in j["mms"] if any(f["class"] == "kernel" and f["id"] != "orphan-held" for f in x["findings"])))')"
done
[ -n "$lossy" ] || notok "a lossy fixture in vmcores/ (a manifest with a lossy record)"

# ---- crash --minimal on the lossy dump ----
for d in $lossy; do
	if ! chroot_prepare forky; then
		notok "forky chroot with crash could not be prepared"
		continue
	fi
	ch=$(chroot_dir forky)
	so=$top/$B-crash-forky/mmlife.so
	if ! make -s B="$B-crash-forky" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
		"$B-crash-forky/mmlife.so" >"$tmp/build.log" 2>&1; then
		notok "$d: extension builds against crash's defs.h"
		continue
	fi
	vml=$(vmlinux_of "$d") || { notok "$d: debug vmlinux fetched"; continue; }
	printf 'mmlife -j > %s\n' "$(in_chroot "$tmp/crash.json")" >"$tmp/cmds"
	sed -i "1i extend $(in_chroot "$so")" "$tmp/cmds"
	echo quit >>"$tmp/cmds"
	chroot_run forky crash -s --no_modules "$(in_chroot "$vml")" \
		"$(in_chroot "$top/vmcores/$d/vmcore")" <"$tmp/cmds" \
		>"$tmp/crash-full.out" 2>&1
	check "$d: crash 9.0.2 itself cannot start on it (no prompt reached)" 0 \
		"$(grep -c 'shared object loaded' "$tmp/crash-full.out")"
	chroot_run forky crash -s --minimal --no_modules "$(in_chroot "$vml")" \
		"$(in_chroot "$top/vmcores/$d/vmcore")" <"$tmp/cmds" \
		>"$tmp/crash.out" 2>&1
	if ! jsq "$tmp/crash.json" 'j["schema_version"]' >/dev/null 2>&1; then
		notok "$d: mmlife runs in crash --minimal"
		sed 's/^/#   /' "$tmp/crash.out" | tail -n 5
		continue
	fi
	ok "$d: mmlife runs in crash --minimal"
	check "$d: crash --minimal: the planted states' kernel findings" \
		"$(jsq "$tmp/$d.json" '" ".join(sorted("%s:%s" % (x["address"], ",".join(sorted(set(f["id"] for f in x["findings"] if f["class"] == "kernel")))) for x in j["mms"] if any(f["class"] == "kernel" for f in x["findings"]) and "task" in x["sources"]))')" \
		"$(jsq "$tmp/crash.json" '" ".join(sorted("%s:%s" % (x["address"], ",".join(sorted(set(f["id"] for f in x["findings"] if f["class"] == "kernel")))) for x in j["mms"] if any(f["class"] == "kernel" for f in x["findings"]) and "task" in x["sources"]))')"
	check "$d: crash --minimal: the same excluded mm_structs as the CLI" \
		"$(jsq "$tmp/$d.json" '" ".join(sorted(x["address"] for x in j["mms"] if any(f["id"] == "excluded-page" for f in x["findings"])))')" \
		"$(jsq "$tmp/crash.json" '" ".join(sorted(x["address"] for x in j["mms"] if any(f["id"] == "excluded-page" for f in x["findings"])))')"
	# No page tables in crash --minimal: the slab's struct pages do not
	# translate, so the slab paths are left out, and said to be.
	check "$d: crash --minimal: the slab paths did not run, and the note says why" \
		"False not run: crash --minimal (no page tables: the slab's struct pages do not translate)" \
		"$(jsq "$tmp/crash.json" '"%s %s" % (j["discovery"]["paths"][2]["ran"], j["discovery"]["paths"][2]["note"])')"
	check "$d: crash --minimal: dump-incomplete with crash's dump level" \
		"$(mf "$d" 'm["dump"]["dump_level"]')" \
		"$(jsq "$tmp/crash.json" '[f for f in j["findings"] if f["id"] == "dump-incomplete"][0]["evidence"]["dump_level"]')"
done
