#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `mmlife --fixes` (and --fixes --json) prints the fix catalogue: every
# mainline id, first release and stable backport below was written by hand
# from the primary sources (the stable-review mails, release announcements,
# branch-push mails and CVE records that lib/fixes.c cites per entry),
# never from mmlife's output.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$MMLIFE" ] || { skip "--fixes" "$MMLIFE not built"; exit 0; }

"$MMLIFE" --fixes >"$tmp/fixes.txt" 2>"$tmp/err"
check "--fixes runs without a dump (exit 0)" 0 "$?"
"$MMLIFE" --fixes --json >"$tmp/fixes.json" 2>>"$tmp/err"
check "--fixes --json runs without a dump (exit 0)" 0 "$?"

# id|first release|stable releases (space separated)|title
cat >"$tmp/facts" <<'FACTS'
d2406291483775ecddaee929231a39c70c08fda2|6.8||fork: use __mt_dup() to duplicate maple tree in dup_mmap()
8ac662f5da19f5873fdd94c48a5cdb45b2e1b58f|6.13|6.12.8|fork: avoid inappropriate uprobe access to invalid mm
64c37e134b120fb462fb4a80694bfb8e7be77b14|6.14|6.13.2 6.12.83|kernel: be more careful about dup_mmap() failures and uprobe registering
1367da7eb875d01102d2ed18654b24d261ff5393|6.18|6.17.1 6.12.51|mm: swap: check for stable address space before operating on the VMA
59d4d36158ba3cdbce141d8e9261eea154d4c441|6.18||mm/oom_kill: thaw the entire OOM victim process
5e1953dc71af01fae3d6786e073892ef3eebc3d8|6.18||mm/oom_kill: the OOM reaper traverses the VMA maple tree in reverse order
43873af772f8138c5cb4b76dde9c26339e89be3b|7.0||mm: change dup_mmap() recovery
9c70b2a33cd2aa6a5a59c5523ef053bd42265209|6.12|6.6.60 6.11.7|sched/numa: Fix the potential null pointer dereference in task_numa_work()
6db504ce55bdbc575723938fc480713c9183f6a2|6.3|6.1.22|mm/ksm: fix race with VMA iteration and mm_struct teardown
4d6fc29f36341d7795db1d1819b4c15fe9be7b23|6.18|6.17.4 6.12.54 6.6.113|mm/ksm: fix incorrect KSM counter handling in mm_struct during fork
f5548c318d6520d4fa3c5ed6003eeb710763cbc5|6.18|6.12.59 5.10.249|ksm: use range-walk function to jump over holes in scan_get_next_rmap_item
bee9ef4a40a277bf401be43d39ba7f7f063cf39c|7.1|6.12.91|bpf: switch task_vma iterator from mmap_lock to per-VMA locks
f64e67e5d3a45a4a04286c47afade4b518acd47b|6.12|6.11.7|fork: do not invoke uffd on fork if error occurs
985da552a98e27096444508ce5d853244019111f|6.12|6.11.7|fork: only invoke khugepaged, ksm hooks if no error
d8e27d2d22b6e2df3a0125b8c08e9aace38c954c|||bpf: fix mm lifecycle in open-coded task_vma iterator
FACTS

python3 - "$tmp/fixes.json" "$tmp/facts" "$tmp/fixes.txt" <<'PY' | while IFS='|' read -r st what why; do
import json, sys
cat = json.load(open(sys.argv[1]))
text = open(sys.argv[3]).read()
fixes = {f["commit"]: f for f in cat["fixes"]}
def out(ok, what, why=""):
    print(("PASS" if ok else "FAIL") + "|" + what + "|" + why)
out(cat.get("schema_version") == 1, "--fixes --json: schema_version 1")
facts = [l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.strip()]
out(len(fixes) == len(facts), f"the catalogue has the {len(facts)} fixes of §4.V",
    f"got {sorted(fixes)}")
for commit, first, stable, title in facts:
    f = fixes.get(commit)
    if not f:
        out(False, f"{commit[:12]} in --fixes --json", "missing")
        continue
    got = [s["release"] for s in f["stable"] if s["release"]]
    out(f["title"] == title and (f["first_release"] or "") == first
        and got == stable.split(),
        f"{commit[:12]}: title, first release {first or 'unknown'}, backports {stable or 'none'}",
        f"got {f['title']!r} {f['first_release']} {got}")
    out(commit in text and title in text and all(r in text for r in stable.split()),
        f"{commit[:12]}: the text lists its full id, title and backports")
    out(bool(f.get("source")), f"{commit[:12]}: a source is named")
for old in ("ff066ce422fa", "725d3b35b1c3", "Shijie Huang"):
    out(old not in text, f"the pre-correction {old} is gone")
PY
	case $st in
	PASS) ok "$what" ;;
	FAIL) notok "$what"; echo "#   $why" ;;
	esac
done
