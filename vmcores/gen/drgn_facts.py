#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""drgn_facts.py MANIFEST VMLINUX DUMP OUT

Facts about a dump that the gdb-written manifest does not hold, read with
drgn (python3-drgn in the forky chroot, run with python3) and the kernel's
own debug info, never from mmlife: for every mm of the manifest (mm_list
and states) its mm_users, mm_count, ma_root, ma_flags, the tree's height
(ma_flags), its node and leaf counts and depth (walked here through the
debug info's struct maple_node), its VMAs (leaf entries with vm_mm == mm)
and its last VMA. Written as JSON to OUT (vmcores/NAME/drgn-facts.json,
see vmcores/gen/drgn-facts.sh).
"""
import json
import sys

from drgn import Object, Program
from drgn.helpers.linux.pid import for_each_task

XA_ZERO = 0x406
MT_FLAGS_HEIGHT_OFFSET = 2      # include/linux/maple_tree.h
MT_FLAGS_HEIGHT_MASK = 0x7C
MAPLE_NODE_MASK = 0xFF
# enum maple_type: maple_dense, maple_leaf_64, maple_range_64, maple_arange_64
LEAF_64, RANGE_64, ARANGE_64 = 1, 2, 3


def hx(v):
    return "0x%x" % v


def is_node(entry):
    return (entry & 3) == 2 and entry > 4096


def node_slots(prog, enode, mn, mx):
    """(type, [(first, last, slot)]) of one encoded node, through the
    debug info's struct maple_node (maple_range_64 / maple_arange_64)."""
    typ = (enode >> 3) & 0xF
    node = Object(prog, "struct maple_node", address=enode & ~MAPLE_NODE_MASK)
    if typ in (LEAF_64, RANGE_64):
        r = node.mr64
        npiv = len(r.pivot)
        piv = [r.pivot[i].value_() for i in range(npiv)]
        if piv[npiv - 1] == 0:
            end = r.meta.end.value_()
        elif piv[npiv - 1] == mx:
            end = npiv - 1
        else:
            end = npiv
    elif typ == ARANGE_64:
        r = node.ma64
        piv = [r.pivot[i].value_() for i in range(len(r.pivot))]
        end = r.meta.end.value_()
    else:
        raise RuntimeError("maple node type %d at %s" % (typ, hx(enode)))
    out = []
    first = mn
    for i in range(end + 1):
        last = piv[i] if i < end else mx
        out.append((first, last, r.slot[i].value_()))
        first = last + 1
    return typ, out


def walk(prog, mt):
    """Entries [(first, last, value)] and node counts of a maple tree."""
    info = {"nodes": 0, "leaves": 0, "max_depth": 0}
    root = mt.ma_root.value_()
    entries = []
    if root == 0:
        return entries, info
    if not is_node(root):
        return [(0, 0, root)], info
    stack = [(root, 0, (1 << 64) - 1, 1)]
    while stack:
        enode, mn, mx, depth = stack.pop()
        info["nodes"] += 1
        info["max_depth"] = max(info["max_depth"], depth)
        typ, slots = node_slots(prog, enode, mn, mx)
        if typ == LEAF_64:
            info["leaves"] += 1
            entries += [(a, b, v) for a, b, v in slots if v]
        else:
            stack += [(v, a, b, depth + 1) for a, b, v in reversed(slots) if v]
    return entries, info


def mm_facts(prog, addr):
    mm = Object(prog, "struct mm_struct *", addr)
    mt = mm.mm_mt
    entries, info = walk(prog, mt)
    vmas = []
    for a, b, v in entries:
        if v == XA_ZERO:
            continue
        vma = Object(prog, "struct vm_area_struct *", v)
        if vma.vm_mm.value_() == addr:
            vmas.append((a, b, v))
    ma_flags = mt.ma_flags.value_()
    f = {
        "mm_users": mm.mm_users.counter.value_(),
        "mm_count": mm.mm_count.counter.value_(),
        "ma_root": hx(mt.ma_root.value_()),
        "ma_flags": hx(ma_flags),
        "height": (ma_flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET,
        "nodes": info["nodes"],
        "leaves": info["leaves"],
        "max_depth": info["max_depth"],
        "entries": len(entries),
        "vmas": len(vmas),
    }
    if vmas:
        a, b, v = vmas[-1]
        f["last_vma"] = {"vma": hx(v), "first": hx(a), "last": hx(b)}
    return f


def main():
    mpath, vmlinux, dump, out = sys.argv[1:5]
    man = json.load(open(mpath))
    prog = Program()
    prog.set_core_dump(dump)
    prog.load_debug_info([vmlinux])
    tasks = list(for_each_task(prog))
    facts = {
        "name": man["name"],
        "made_by": "vmcores/gen/drgn_facts.py (drgn %s, debug info of build-id %s)"
                   % (__import__("drgn").__version__, man["kernel"]["build_id"]),
        "counts": {
            "tasks": len(tasks),
            "kthreads": sum(1 for t in tasks if not t.mm.value_()),
            "thread_groups": len({t.tgid.value_() for t in tasks}),
        },
        "mms": {},
    }
    addrs = [r["mm"] for r in man.get("mm_list", [])]
    addrs += [s["mm"] for s in man.get("states", []) if s.get("mm")]
    for a in addrs:
        facts["mms"][a] = mm_facts(prog, int(a, 16))
    with open(out, "w") as f:
        json.dump(facts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
