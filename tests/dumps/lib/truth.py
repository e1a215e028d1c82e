# SPDX-License-Identifier: GPL-2.0-or-later
"""What the CLI's headline numbers should be, from outside mmlife only: the
gdb-written manifest (vmcores/NAME/manifest.json) and the drgn-read facts it
lacks (vmcores/NAME/drgn-facts.json, vmcores/gen/drgn-facts.sh)."""
import json
import os


def load(vmcores, name):
    m = json.load(open(os.path.join(vmcores, name, "manifest.json")))
    p = os.path.join(vmcores, name, "drgn-facts.json")
    facts = json.load(open(p)) if os.path.exists(p) else None
    return m, facts


def reached(state, deep):
    """Whether a run reaches a planted state's mm: from a task, from
    init_mm.mmlist, or (deep: the default run, or --deep) from the
    mm_struct slab; only --fast leaves the slab out."""
    return bool(state.get("on_task_list") or state.get("tasks")
                or state.get("on_mmlist") or deep)


def known_mms(m, deep):
    """{address: record} of the mms the run must report: every task's mm
    (mm_list) and the planted states it reaches."""
    out = {int(r["mm"], 16): r for r in m.get("mm_list", [])}
    for s in m.get("states", []):
        if reached(s, deep):
            out[int(s["mm"], 16)] = s
    return out


def counts(m, facts, deep):
    """The scan's counts. The task list walk includes init_task (pid 0,
    the boot CPU's idle task, a kernel thread with no mm), which the
    kernel's nr_threads (manifest counts.threads) does not count."""
    mms = known_mms(m, deep)
    c = {
        "tasks": m["counts"]["threads"] + 1,
        "thread_groups": m["counts"]["thread_groups"] + 1,
        "kthreads": sum(1 for t in m["tasks"] if t["mm"] is None) + 1,
        "mms": len(mms),
        "vmas": sum(r["child_vmas"] for r in mms.values()),
    }
    if facts:
        c["nodes"] = sum(facts["mms"]["0x%x" % a]["nodes"] for a in mms)
    return c
