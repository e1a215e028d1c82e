# SPDX-License-Identifier: GPL-2.0-or-later
"""drgn_walk.py DUMP VMLINUX: the drgn equivalent of mmlife's walk (bench/run.sh).

Every task (for_each_task), each distinct mm once: for_each_vma with vm_mm and
flags checks, then mt_for_each(mm.mm_mt, advanced=True) over every entry for
XA_ZERO markers (0x406) and entries whose vm_mm is another mm, plus the mm's
MMF_OOM_SKIP/MMF_UNSTABLE flags. Prints one JSON line of counts and times.
"""
import json
import sys
import time

t0 = time.time()
import drgn  # noqa: E402
from drgn.helpers.linux.mapletree import mt_for_each  # noqa: E402
from drgn.helpers.linux.mm import for_each_vma  # noqa: E402
from drgn.helpers.linux.pid import for_each_task  # noqa: E402

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
prog.load_debug_info([sys.argv[2]])
t1 = time.time()
XA_ZERO = 0x406
vma_t = prog.type("struct vm_area_struct *")
tasks = mms = vmas = entries = xa_zero = foreign = bad_flags = oom_unstable = 0
seen = set()
for task in for_each_task(prog):
    tasks += 1
    mm = task.mm
    if not mm:
        continue
    mmv = mm.value_()
    if mmv in seen:
        continue
    seen.add(mmv)
    mms += 1
    if (mm.flags.value_() >> 21) & 3:
        oom_unstable += 1
    for vma in for_each_vma(mm):
        vmas += 1
        if vma.vm_mm.value_() != mmv:
            foreign += 1
        if vma.vm_start.value_() >= vma.vm_end.value_():
            bad_flags += 1
        vma.vm_flags.value_()
    for first, last, entry in mt_for_each(mm.mm_mt.address_of_(), advanced=True):
        entries += 1
        e = entry.value_()
        if e == XA_ZERO:
            xa_zero += 1
            continue
        v = drgn.Object(prog, vma_t, e)
        if v.vm_mm.value_() != mmv:
            foreign += 1
t2 = time.time()
print(json.dumps({"tasks": tasks, "mms": mms, "vmas": vmas, "entries": entries, "xa_zero": xa_zero,
                  "foreign": foreign, "bad_bounds": bad_flags, "oom_or_unstable": oom_unstable,
                  "load_s": round(t1 - t0, 3), "walk_s": round(t2 - t1, 3), "total_s": round(t2 - t0, 3)}))
