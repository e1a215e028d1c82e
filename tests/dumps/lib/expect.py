# SPDX-License-Identifier: GPL-2.0-or-later
"""Expected finding ids for a planted state, from the manifest alone.

The manifest holds what gdb read at capture time; this applies the detection
matrix (shared kernel-facts, end) to those facts. It never looks at mmlife's
output.
    python3 expect.py MANIFEST INDEX  ->  sorted ids, space separated
"""
import json
import sys


def expected_ids(state):
    ids = set()
    xa = bool(state.get("xa_zero"))
    flags = int(state["flags"], 16)
    oom_skip = bool(flags >> 21 & 1)
    unstable = bool(flags >> 22 & 1)
    empty = int(state["ma_root"], 16) == 0
    has_task = bool(state.get("tasks"))
    if xa:
        ids.add("xa-zero")
        if not (oom_skip and unstable):
            ids.add("flags-mismatch")
    if state.get("stale_vmas", 0) > 0:
        ids.add("stale-vma")
    if not has_task and (xa or (empty and oom_skip and unstable
                                and state["map_count"] > 0)):
        ids.add("orphan-fork")
    if empty and has_task and state["mm_users"] > 0:
        ids.add("empty-live-mm")
    return sorted(ids)


if __name__ == "__main__":
    m = json.load(open(sys.argv[1]))
    print(" ".join(expected_ids(m["states"][int(sys.argv[2])])))
