# SPDX-License-Identifier: GPL-2.0-or-later
"""Expected finding ids for a planted state, from the manifest alone.

The manifest holds what gdb read at capture time; this applies the detection
matrix (README, "Checks": which state of kernel/fork.c's dup_mmap() or of an
exit/munmap race gives which finding) to those facts. It never looks at
mmlife's output.
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
    # 6.1 - 6.7: the child of a failed fork is a consistent prefix of the
    # parent's VMAs (all its own), never put in RCU mode, with no users.
    prefix = (not empty and not xa and state.get("stale_vmas", 0) == 0
              and state.get("entries") == state.get("child_vmas")
              == state["map_count"] and state["mm_users"] == 0
              and not int(state["ma_flags"], 16) & 0x2
              and bool(state.get("parent_mm")))
    if not has_task and (xa or prefix or (empty and oom_skip and unstable
                                          and state["map_count"] > 0)):
        ids.add("orphan-fork")
    if empty and has_task and state["mm_users"] > 0:
        ids.add("empty-live-mm")
    return sorted(ids)


def expected_worst(state):
    """The worst severity the findings of @state carry, by what each
    state means: a marker (and the stale VMAs, a flag mismatch) is what
    walkers crash on (error); a torn-down child or a live empty mm is an
    mm with no VMAs (warning); a 6.1 consistent prefix is freed by
    exit_mmap() like any mm (info). None when no finding is expected."""
    ids = expected_ids(state)
    if not ids:
        return None
    if {"xa-zero", "stale-vma", "flags-mismatch"} & set(ids):
        return "error"
    empty = int(state["ma_root"], 16) == 0
    if "empty-live-mm" in ids or empty:
        return "warning"
    return "info"


if __name__ == "__main__":
    m = json.load(open(sys.argv[1]))
    print(" ".join(expected_ids(m["states"][int(sys.argv[2])])))
