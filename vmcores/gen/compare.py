#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""compare.py DIR_A DIR_B: compare the kind of state of two sets of
manifests (e.g. the committed vmcores/ and a MMLIFE_VMCORES_OUT rerun).
Addresses and counts differ from run to run; these must not."""
import glob
import json
import os
import sys


def sig(m):
    out = {"release": m["kernel"]["release"], "paging": m["kernel"]["paging_levels"],
           "kaslr": m["kernel"]["kaslr"], "format": m["dump"]["format"],
           "compression": m["dump"]["compression"], "states": []}
    for st in m["states"]:
        fl = int(st["flags"], 16)
        out["states"].append({
            "kind": st["kind"], "oom_skip": bool(fl >> 21 & 1), "unstable": bool(fl >> 22 & 1),
            "empty": st["ma_root"] == "0x0", "map_count>0": st["map_count"] > 0,
            "xa_zero": len(st["xa_zero"]), "stale": st["stale_vmas"] > 0,
            "rcu": bool(int(st["ma_flags"], 16) & 2), "on_task_list": st["on_task_list"],
            "on_mmlist": st["on_mmlist"]})
    out["clean_mms"] = all(not r["xa_zero_count"] and r["entries"] == r["map_count"]
                           for r in m.get("mm_list", []))
    return out


bad = 0
for p in sorted(glob.glob(os.path.join(sys.argv[1], "*", "manifest.json"))):
    name = os.path.basename(os.path.dirname(p))
    q = os.path.join(sys.argv[2], name, "manifest.json")
    if not os.path.exists(q):
        print("missing %s" % name)
        bad += 1
        continue
    a, b = sig(json.load(open(p))), sig(json.load(open(q)))
    print("%s %s" % ("same" if a == b else "DIFFERENT", name))
    if a != b:
        bad += 1
        print("  A %s\n  B %s" % (a, b))
sys.exit(1 if bad else 0)
