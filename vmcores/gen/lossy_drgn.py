#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""lossy_drgn.py SRC_DUMP LOSSY_DUMP VMLINUX SRC_MANIFEST DROPPED_JSON [OUT]

What a re-filter made unreadable, as drgn (forky chroot) sees it:
- each page the lossy dump dropped (DROPPED_JSON, from kdump_bitmap.py),
  classified on the complete source dump: the slab cache that owns it
  (find_containing_slab_cache), or what else it is;
- each task and each mm of the source manifest (gdb's truth), read from the
  lossy dump: task_struct fields, mm_struct fields, every maple node and
  every VMA of its tree; what fails and how.
Writes JSON to OUT (default: stdout). Run with python3 (not `drgn script.py`).
"""
import collections
import json
import sys

import drgn
from drgn import FaultError, Object, Program
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mapletree import mt_for_each
from drgn.helpers.linux.mm import PageSlab, pfn_to_page, pfn_to_virt
from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.slab import find_containing_slab_cache

XA_ZERO = 0x406


def open_prog(dump, vmlinux):
    p = Program()
    p.set_core_dump(dump)
    p.load_debug_info([vmlinux])
    return p


def page_kind(prog, pfn):
    """What the page was, read on the complete dump."""
    try:
        cache = find_containing_slab_cache(prog, pfn_to_virt(prog, pfn))
        if cache:
            return "slab:" + cache.name.string_().decode()
        page = pfn_to_page(prog, pfn)
        if PageSlab(page):
            return "slab:?"
        mapping = page.mapping.value_()
        if mapping & 1:
            return "anon"
        if mapping:
            return "file"
        return "other"
    except FaultError as e:
        return "unreadable in source (%s)" % e


def mm_flags_word(mm):
    f = mm.flags
    if f.type_.unqualified().kind == drgn.TypeKind.INT:
        return f.value_()
    return f.__mm_flags[0].value_()


def holes(prog, addr, size):
    """[(offset, length)] of the object at addr that the dump lacks."""
    out = []
    off = 0
    while off < size:
        n = min(size - off, 4096 - ((addr + off) & 4095))
        try:
            prog.read(addr + off, n)
        except FaultError:
            if out and out[-1][0] + out[-1][1] == off:
                out[-1] = (out[-1][0], out[-1][1] + n)
            else:
                out.append((off, n))
        off += n
    return out


def member_offsets(prog, typ, names):
    t = prog.type(typ)
    return {n: (drgn.offsetof(t, n), drgn.sizeof(t.member(n).type)) for n in names}


TASK_FIELDS = ("pid", "tgid", "comm", "mm", "tasks", "signal", "thread_node")
MM_FIELDS = ("flags", "map_count", "mm_users", "mm_count", "mm_mt", "mmlist")


def hole_report(prog, typ, addr, fields):
    size = drgn.sizeof(prog.type(typ))
    h = holes(prog, addr, size)
    if not h:
        return None
    offs = member_offsets(prog, typ, fields)
    hit = sorted(n for n, (o, sz) in offs.items() if any(o < ho + hl and ho < o + sz for ho, hl in h))
    return {"missing_bytes": sum(hl for _, hl in h), "of": size,
            "holes": ["+0x%x..+0x%x" % (ho, ho + hl - 1) for ho, hl in h], "fields_lost": hit}


def check_task(prog, t):
    task = int(t["task"], 16)
    r = hole_report(prog, "struct task_struct", task, TASK_FIELDS)
    if r and set(r["fields_lost"]) & {"signal"}:
        return r
    sig = Object(prog, "struct task_struct *", task).signal.value_()
    try:
        Object(prog, "struct signal_struct *", sig).thread_head.next.value_()
    except FaultError as e:
        r = dict(r or {}, signal="0x%x" % sig, signal_error=str(e))
    return r


def walk_task_lists(prog):
    """init_task.tasks, then each leader's signal->thread_head (as gdb_truth.py)."""
    n = 0
    try:
        for leader in list_for_each_entry("struct task_struct", prog["init_task"].tasks.address_of_(), "tasks"):
            for t in list_for_each_entry("struct task_struct", leader.signal.thread_head.address_of_(), "thread_node"):
                t.pid.value_()
                n += 1
    except FaultError as e:
        return {"visited": n, "error": str(e), "at": "0x%x" % e.address}
    return {"visited": n, "error": None}


def slab_of(prog, addr):
    c = find_containing_slab_cache(prog, addr)
    return c.name.string_().decode() if c else None


def check_mm(prog, rec):
    """None when the mm, its tree and its VMAs read; else what failed."""
    mm = Object(prog, "struct mm_struct *", int(rec["mm"], 16))
    h = hole_report(prog, "struct mm_struct", mm.value_(), MM_FIELDS)
    if h and set(h["fields_lost"]) & {"flags", "map_count", "mm_mt"}:
        return dict(h, what="mm_struct")
    try:
        fl, mc = mm_flags_word(mm), mm.map_count.value_()
        mm.mm_mt.ma_root.value_()
    except FaultError as e:
        return {"what": "mm_struct", "error": str(e)}
    if "0x%x" % fl != rec["flags"] or mc != rec["map_count"]:
        return {"what": "mm_struct", "error": "reads differently: flags 0x%x map_count %d" % (fl, mc)}
    n = 0
    try:
        ents = []
        for a, b, e in mt_for_each(mm.mm_mt.address_of_(), advanced=True):
            ents.append(e.value_())
            n += 1
    except FaultError as e:
        return {"what": "maple node", "error": str(e), "entries_before": n}
    bad = 0
    first_err = None
    for v in ents:
        if v == XA_ZERO or v & 3:
            continue
        try:
            Object(prog, "struct vm_area_struct *", v).vm_mm.value_()
        except FaultError as e:
            bad += 1
            first_err = first_err or str(e)
    if bad:
        return {"what": "vm_area_struct", "error": first_err, "unreadable_vmas": bad, "entries": n}
    if n != rec["entries"]:
        return {"what": "maple tree", "error": "%d entries, manifest %d" % (n, rec["entries"])}
    return None


def main():
    src_dump, lossy_dump, vmlinux, mpath, dpath = sys.argv[1:6]
    man = json.load(open(mpath))
    dropped = [int(p, 16) for p in json.load(open(dpath))["dropped_pfns"]]
    src = open_prog(src_dump, vmlinux)
    kinds = collections.Counter(page_kind(src, p) for p in dropped)
    lossy = open_prog(lossy_dump, vmlinux)
    pidwalk = {"visited": 0, "error": None}
    try:
        for _ in for_each_task(lossy):
            pidwalk["visited"] += 1
    except FaultError as e:
        pidwalk.update(error=str(e), at="0x%x" % e.address, at_slab=slab_of(src, e.address))
    tasks = []
    for t in man["tasks"]:
        err = check_task(lossy, t)
        if err:
            tasks.append(dict(err, pid=t["pid"], comm=t["comm"], task=t["task"]))
    mms = []
    recs = [dict(r, kind="task mm") for r in man["mm_list"]]
    recs += [dict(s, kind=s["kind"]) for s in man["states"]]
    for r in recs:
        err = check_mm(lossy, r)
        if err:
            mms.append(dict(err, mm=r["mm"], kind=r["kind"], tasks=r.get("tasks", []),
                            mm_slab=slab_of(src, int(r["mm"], 16))))
    walk = walk_task_lists(lossy)
    if walk["error"]:
        walk["at_slab"] = slab_of(src, int(walk["at"], 16))
    out = {
        "reader": "drgn %s" % drgn.__version__,
        "dropped_pages": len(dropped),
        "dropped_by_kind": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "task_list_walk": walk,
        "pid_idr_walk (drgn for_each_task)": pidwalk,
        "unreadable_tasks": tasks,
        "unreadable_mms": mms,
        "readable_mms": len(recs) - len(mms),
    }
    f = open(sys.argv[6], "w") if len(sys.argv) > 6 else sys.stdout
    json.dump(out, f, indent=1)
    f.write("\n")
    f.close()


if __name__ == "__main__":
    main()
