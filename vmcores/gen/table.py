#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Print the Markdown table of vmcores/*/manifest.json (for vmcores/README.md)."""
import glob
import json
import os

VMC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# MMLIFE_VMCORES_OUT: fixtures kept outside vmcores/ (as make_dump.py writes them)
VMC = os.environ.get("MMLIFE_VMCORES_OUT", VMC)
print("| name | kernel | scenario | format | compression | level | size | KASLR | paging | ground truth (gdb) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for p in sorted(glob.glob(os.path.join(VMC, "*", "manifest.json"))):
    m = json.load(open(p))
    k, d = m["kernel"], m["dump"]
    if m["states"]:
        st = m["states"][0]
        z = ", ".join("[%s, %s]" % (x["first"], x["last"]) for x in st["xa_zero"]) or "none"
        gt = ("mm %s flags %s map_count %d ma_root %s ma_flags %s entries %d (child %d, stale %d), "
              "XA_ZERO %s, on task list %s, on mmlist %s") % (
            st["mm"], st["flags"], st["map_count"], st["ma_root"], st["ma_flags"], st["entries"],
            st["child_vmas"], st["stale_vmas"], z, st["on_task_list"], st["on_mmlist"])
    else:
        gt = "%d threads, %d thread groups, %d mms, all clean" % (
            m["counts"]["threads"], m["counts"]["thread_groups"], m["counts"]["mms"])
    if m.get("lossy"):
        lo = m["lossy"]
        slab = sum(n for k, n in lo["dropped_by_kind"].items() if k.startswith("slab:"))
        gt += ("; re-filtered from %s: %d pages dropped (%d slab), %d of %d task_structs and "
               "%d mm_structs unreadable (drgn)") % (
            d["source"]["name"], lo["dropped_pages"], slab, len(lo["unreadable_tasks"]),
            len(m["tasks"]), len(lo["unreadable_mms"]))
    # arm64: the VA size the MMU ran with (VMCOREINFO's VA_BITS is the config's)
    paging = "%d" % k["paging_levels"] + (" (%d-bit VA)" % k["va_bits"] if "va_bits" in k else "")
    print("| %s | %s | %s | %s | %s | %d | %.1f MB | %s | %s | %s |" % (
        m["name"], k["release"], m["scenario"],
        d["format"] + (" in `%s`" % d["file"] if d["file"] != "vmcore" else ""),
        d["compression"], d["dump_level"], d["size"] / 1e6,
        k["kaslr_offset"] if k["kaslr"] else "off", paging, gt))
