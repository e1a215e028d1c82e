#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# `mmlife --constants` (and --constants --json) prints lib/kconst.c's
# table: the kernel constants no debug info holds. Every value below was
# written by hand from the kernel headers named beside it (Linux 6.1 -
# 7.x), never from mmlife's output: a wrong constant in lib/kconst.h makes
# this test fail, not follow.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
[ -x "$MMLIFE" ] || { skip "--constants" "$MMLIFE not built"; exit 0; }

"$MMLIFE" --constants >"$tmp/c.txt" 2>"$tmp/err"
check "--constants runs without a dump (exit 0)" 0 "$?"
"$MMLIFE" --constants --json >"$tmp/c.json" 2>>"$tmp/err"
check "--constants --json runs without a dump (exit 0)" 0 "$?"
check "--constants writes nothing on stderr" "" "$(cat "$tmp/err")"

# name|value|where the kernel defines it
cat >"$tmp/facts" <<'FACTS'
MMF_VM_MERGEABLE|16|include/linux/sched/coredump.h: #define MMF_VM_MERGEABLE 16
MMF_VM_HUGEPAGE|17|include/linux/sched/coredump.h: #define MMF_VM_HUGEPAGE 17
MMF_OOM_SKIP|21|include/linux/sched/coredump.h: #define MMF_OOM_SKIP 21
MMF_UNSTABLE|22|include/linux/sched/coredump.h: #define MMF_UNSTABLE 22
XA_ZERO_ENTRY|1030|include/linux/xarray.h: xa_mk_internal(257) = (257 << 2) + 2
XA_RETRY_ENTRY|1026|include/linux/xarray.h: xa_mk_internal(256) = (256 << 2) + 2
MT_FLAGS_ALLOC_RANGE|1|include/linux/maple_tree.h: #define MT_FLAGS_ALLOC_RANGE 0x01
MT_FLAGS_USE_RCU|2|include/linux/maple_tree.h: #define MT_FLAGS_USE_RCU 0x02
MT_FLAGS_HEIGHT_MASK|124|include/linux/maple_tree.h: #define MT_FLAGS_HEIGHT_MASK 0x7C
MAPLE_HEIGHT_MAX|31|include/linux/maple_tree.h: #define MAPLE_HEIGHT_MAX 31
MAPLE_NODE_MASK|255|lib/maple_tree.c: #define MAPLE_NODE_MASK 255UL
MAPLE_PARENT_ROOT|1|lib/maple_tree.c: #define MAPLE_PARENT_ROOT 0x01
MAPLE_PARENT_RANGE64|6|lib/maple_tree.c: #define MAPLE_PARENT_RANGE64 0x06
PF_EXITING|4|include/linux/sched.h: #define PF_EXITING 0x00000004
PF_KTHREAD|2097152|include/linux/sched.h: #define PF_KTHREAD 0x00200000
slab.inuse mask|65535|mm/slab.h: unsigned inuse:16
slab.objects shift|16|mm/slab.h: objects:15 follows inuse:16
slab.objects mask|32767|mm/slab.h: unsigned objects:15
PAGE_TYPE_SHIFT|24|include/linux/page-flags.h: #define PAGE_TYPE_SHIFT 24
PGTY_slab|245|include/linux/page-flags.h: PGTY_slab = 0xf5
compound_head tail bit|1|include/linux/page-flags.h: compound_head & 1 marks a tail page
VMEMMAP_START (x86_64)|18446719884453740544|arch/x86/include/asm/pgtable_64_types.h: __VMEMMAP_BASE_L4 0xffffea0000000000UL
PAGE_OFFSET (x86_64)|18446612682070032384|arch/x86/include/asm/page_64_types.h: __PAGE_OFFSET_BASE_L4 0xffff888000000000UL
FACTS

python3 - "$tmp/c.json" "$tmp/facts" "$tmp/c.txt" <<'PY' | while IFS='|' read -r st what why; do
import json, sys
def out(ok, what, why=""):
    print(("PASS" if ok else "FAIL") + "|" + what + "|" + why)
try:
    doc = json.load(open(sys.argv[1]))
except ValueError as e:
    out(False, "--constants --json is JSON", str(e))
    sys.exit(0)
text = open(sys.argv[3]).read()
out(doc.get("schema_version") == 1, "--constants --json: schema_version 1")
got = {c["name"]: c for c in doc.get("constants", [])}
facts = [l.rstrip("\n").split("|") for l in open(sys.argv[2]) if l.strip()]
out(sorted(got) == sorted(n for n, _, _ in facts),
    f"the table has the {len(facts)} constants written here",
    f"got {sorted(got)}")
for name, value, where in facts:
    c = got.get(name)
    if not c:
        out(False, f"{name} in --constants --json", "missing")
        continue
    v = int(value)
    out(int(c["value"], 16) == v, f"{name} = {v:#x} ({where})",
        f"got {c['value']}")
    out(bool(c.get("kernels")) and bool(c.get("source")),
        f"{name}: the kernels it holds for and its source are named")
    line = next((l for l in text.splitlines() if l.strip().startswith(name + " ")), "")
    out(f"{v:#x} ({v})" in line, f"{name}: the text prints {v:#x} ({v})",
        f"got {line.strip()!r}")
PY
	case $st in
	PASS) ok "$what" ;;
	FAIL) notok "$what"; echo "#   $why" ;;
	esac
done
