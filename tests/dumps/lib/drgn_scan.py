# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/dumps/drgn_frontend.sh's driver, run by the chroot's python3 with
its drgn: for each "NAME VMCORE VMLINUX" line of LIST, open the dump in a
drgn Program, write mmlife.scan(prog) to OUT/NAME.json, then use the
Program again and write what it answers to OUT/NAME.after: init_task's
comm and UTS_RELEASE, read through drgn's own objects. A scan that raises is written to
OUT/NAME.raised instead. When drgn itself cannot read init_task (drgn
0.0.31 does not translate QEMU's arm64 ELF dumps: "recursive address
translation"), its error goes to OUT/NAME.drgn-unreadable, and the
mmlife.Error the scan must then raise (no report is possible) to
OUT/NAME.refused.
It also writes drgn's own count of the mms the discovery line accounts for
to OUT/NAME.truth, with drgn's helpers and not mmlife (the allocated objects
of the mm_struct slab cache, the tasks' mms and init_mm.mmlist): "mms" in
all, and "known", those the slab lists that the tasks name only as a kernel
thread's or an exited task's lazy-TLB active_mm (every task, and each CPU's
idle and current task) or as text_poke's poking_mm. When drgn cannot count
them (a page the dump lacks), OUT/NAME.truth-unavailable says why.
    python3 drgn_scan.py LIST OUT
"""

import json
import os
import sys
import traceback

import drgn

import mmlife


def program(vmcore, vmlinux):
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    try:
        prog.load_debug_info([vmlinux])
    except drgn.MissingDebugInfoError:
        pass  # modules: the vmlinux is what mmlife needs
    return prog


def discovery_truth(prog):
    from drgn.helpers.linux.cpumask import for_each_possible_cpu
    from drgn.helpers.linux.list import list_for_each_entry
    from drgn.helpers.linux.pid import for_each_task
    from drgn.helpers.linux.sched import cpu_curr, idle_task
    from drgn.helpers.linux.slab import (
        find_slab_cache, slab_cache_for_each_allocated_object)

    cache = find_slab_cache(prog, "mm_struct")
    if cache is None:
        raise LookupError("no mm_struct slab cache")
    # drgn takes objects on a CPU's lockless freelist (6.12) or in a
    # sheaf (7.x) for allocated; an mm's own reference count tells: a
    # freed mm_struct was freed at mm_count 0 (__mmdrop()).
    slab = {o.value_() for o in slab_cache_for_each_allocated_object(
        cache, "struct mm_struct") if o.mm_count.counter.value_() > 0}
    tasks = list(for_each_task(prog))
    for cpu in for_each_possible_cpu(prog):
        tasks += [idle_task(prog, cpu), cpu_curr(prog, cpu)]
    used, lazy = set(), set()
    for t in tasks:
        if t.mm.value_():
            used.add(t.mm.value_())
        elif t.active_mm.value_():
            lazy.add(t.active_mm.value_())
    mmlist = {mm.value_() for mm in list_for_each_entry(
        "struct mm_struct", prog["init_mm"].mmlist.address_of_(), "mmlist")}
    for name in ("poking_mm", "text_poke_mm"):  # x86; renamed in 7.0
        try:
            lazy.add(prog[name].value_())
        except KeyError:
            pass
    named = used | mmlist
    return {"mms": len(named | slab),
            "known": len((slab & lazy) - named)}


def write_truth(prog, out, name):
    try:
        truth = discovery_truth(prog)
    except (drgn.FaultError, LookupError, ValueError) as e:
        with open(os.path.join(out, name + ".truth-unavailable"), "w") as f:
            f.write("%s: %s\n" % (type(e).__name__, e))
        return
    with open(os.path.join(out, name + ".truth"), "w") as f:
        json.dump(truth, f)


def main():
    out = sys.argv[2]
    for line in open(sys.argv[1]):
        name, vmcore, vmlinux = line.split()
        prog = program(vmcore, vmlinux)
        unreadable = None
        try:
            prog["init_task"].comm.string_()
        except drgn.FaultError as e:
            unreadable = str(e)
            with open(os.path.join(out, name + ".drgn-unreadable"), "w") as f:
                f.write(unreadable + "\n")
        try:
            report = mmlife.scan(prog, path=vmcore)
        except mmlife.Error as e:
            if unreadable is None:
                with open(os.path.join(out, name + ".raised"), "w") as f:
                    traceback.print_exc(file=f)
            else:
                with open(os.path.join(out, name + ".refused"), "w") as f:
                    f.write(str(e) + "\n")
            continue
        except BaseException:  # noqa: B036 - the test says what escaped
            with open(os.path.join(out, name + ".raised"), "w") as f:
                traceback.print_exc(file=f)
            continue
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(report, f, indent=1)
        comm = prog["init_task"].comm.string_().decode()
        release = prog["UTS_RELEASE"].string_().decode()
        with open(os.path.join(out, name + ".after"), "w") as f:
            f.write("%s %s\n" % (comm, release))
        write_truth(prog, out, name)


if __name__ == "__main__":
    main()
