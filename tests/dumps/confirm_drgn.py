#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""confirm_drgn.py MANIFEST VMLINUX [FIRST_TEST_NUMBER]

Independent check of one vmcore against its ground-truth manifest with drgn
(python3-drgn from the forky chroot). Prints TAP lines without a plan:
  ok N - ... / not ok N - ...
Run with python3, not `drgn script.py` (that would attach to the live kernel).
"""
import json
import os
import sys

import drgn
from drgn import Object, Program
from drgn.helpers.linux.list import list_for_each_entry
from drgn.helpers.linux.mapletree import mt_for_each
from drgn.helpers.linux.pid import for_each_task

XA_ZERO = 0x406
N = int(sys.argv[3]) if len(sys.argv) > 3 else 1
FAILED = 0


def tap(ok, desc, diag=None):
    global N, FAILED
    print("%s %d - %s" % ("ok" if ok else "not ok", N, desc))
    if not ok:
        FAILED += 1
        if diag:
            for line in str(diag).splitlines():
                print("#   " + line)
    N += 1


def hx(v):
    return "0x%x" % v


def mm_flags_word(mm):
    f = mm.flags
    if f.type_.unqualified().kind == drgn.TypeKind.INT:
        return f.value_()
    return f.__mm_flags[0].value_()


class LossySkip(Exception):
    pass


def readable(prog, addr, size):
    try:
        prog.read(addr, size)
        return True
    except drgn.FaultError:
        return False


def check_lossy(prog, man, lossy):
    """A re-filtered dump (vmcores/gen/refilter.py): exactly the objects the
    manifest's `lossy` names are unreadable; the rest reads as gdb saw it."""
    name = man["name"]
    walk = lossy["task_list_walk"]
    n, at = 0, None
    try:
        head = prog["init_task"].tasks.address_of_()
        for leader in list_for_each_entry("struct task_struct", head, "tasks"):
            for t in list_for_each_entry("struct task_struct", leader.signal.thread_head.address_of_(),
                                         "thread_node"):
                t.pid.value_()
                n += 1
    except drgn.FaultError as e:
        at = "0x%x" % e.address
    tap(n == walk["visited"] and at == walk.get("at"),
        "%s: the task list walk stops after %d threads at excluded page %s" % (name, n, at),
        "manifest: %d threads, at %s" % (walk["visited"], walk.get("at")))
    tsize = drgn.sizeof(prog.type("struct task_struct"))
    want = set(t["task"] for t in lossy["unreadable_tasks"])
    got = set()
    for t in man["tasks"]:
        task = Object(prog, "struct task_struct *", int(t["task"], 16))
        ok = readable(prog, task.value_(), tsize)
        if ok:
            try:
                task.signal.thread_head.next.value_()
            except drgn.FaultError:
                ok = False
        if not ok:
            got.add(t["task"])
    tap(got == want, "%s: %d of %d task_structs (or their signal_struct) unreadable, as recorded"
        % (name, len(got), len(man["tasks"])), "missing %s, extra %s" % (sorted(want - got), sorted(got - want)))
    msize = drgn.sizeof(prog.type("struct mm_struct"))
    bad = []
    for m in lossy["unreadable_mms"]:
        if m["what"] == "mm_struct":
            if readable(prog, int(m["mm"], 16), msize):
                bad.append(m["mm"])
            continue
        try:  # a maple node or a VMA of the tree is gone
            mm = Object(prog, "struct mm_struct *", int(m["mm"], 16))
            for _, _, e in mt_for_each(mm.mm_mt.address_of_(), advanced=True):
                if e.value_() != XA_ZERO and not e.value_() & 3:
                    Object(prog, "struct vm_area_struct *", e.value_()).vm_mm.value_()
            bad.append(m["mm"])
        except drgn.FaultError:
            pass
    tap(not bad, "%s: %d mm_structs unreadable, as recorded" % (name, len(lossy["unreadable_mms"])), bad)


def tasks_of(prog, man):
    """for_each_task(); on a lossy dump (whose pid idr and task list run
    into excluded pages), the manifest's tasks that are still readable."""
    if not man.get("lossy"):
        return for_each_task(prog)
    gone = set(t["task"] for t in man["lossy"]["unreadable_tasks"])
    return [Object(prog, "struct task_struct *", int(t["task"], 16)) for t in man["tasks"] if t["task"] not in gone]


def main():
    mpath, vmlinux = sys.argv[1], sys.argv[2]
    with open(mpath) as f:
        man = json.load(f)
    name = man["name"]
    dump = os.path.join(os.path.dirname(mpath), man["dump"]["file"])
    if dump.endswith(".xz"):
        # stored xz-compressed (an ELF dump); unpack to a scratch file
        import hashlib
        import lzma
        import tempfile
        tmp = tempfile.NamedTemporaryFile(prefix="vmcore-", dir=os.environ.get("TMPDIR", "/tmp"), delete=False)
        h = hashlib.sha256()
        with lzma.open(dump) as f:
            for b in iter(lambda: f.read(1 << 20), b""):
                tmp.write(b)
                h.update(b)
        tmp.close()
        import atexit
        atexit.register(os.unlink, tmp.name)
        dump = tmp.name
        want = man["dump"].get("uncompressed_sha256")
        tap(not want or h.hexdigest() == want, "%s: unpacked vmcore.xz matches uncompressed_sha256" % man["name"])
    prog = Program()
    refuses = man["dump"].get("unreadable_by", {}).get("drgn")
    try:
        prog.set_core_dump(dump)
        prog.load_debug_info([vmlinux])
    except Exception as e:  # noqa: BLE001
        if refuses:
            # QEMU's kdump file of an aarch64 guest: drgn's checks ran on
            # the ELF of the same stop when it was made (make_dump.py)
            tap(refuses in str(e), "%s: drgn cannot open the dump, as its manifest records (%s); "
                "checked on its ELF twin at generation" % (name, refuses), e)
            return
        tap(False, "%s: drgn opens the dump" % name, e)
        return
    if refuses:
        tap(False, "%s: drgn cannot open the dump, as its manifest records" % name,
            "drgn opened it: the manifest's unreadable_by is out of date")
        return
    tap(True, "%s: drgn opens the dump" % name)
    rel = prog["init_uts_ns"].name.release.string_().decode()
    tap(rel == man["kernel"]["release"], "%s: release %s" % (name, rel),
        "manifest says %s" % man["kernel"]["release"])
    lossy = man.get("lossy")
    if lossy:
        check_lossy(prog, man, lossy)
    try:
        if lossy:
            raise LossySkip()
        tasks = list(for_each_task(prog))
        pids = sorted(t.pid.value_() for t in tasks)
        want = sorted(t["pid"] for t in man["tasks"])
        tap(pids == want, "%s: %d threads on the task list" % (name, len(pids)),
            "drgn %d pids, manifest %d" % (len(pids), len(want)))
        nr = prog["nr_threads"].value_()
        tap(nr == man["counts"]["threads"], "%s: nr_threads %d" % (name, nr))
        mms = set(t.mm.value_() for t in tasks if t.mm.value_())
        tap(len(mms) == man["counts"]["mms"], "%s: %d distinct mms" % (name, len(mms)))
    except LossySkip:
        pass
    except Exception as e:  # noqa: BLE001
        tap(False, "%s: task list readable" % name, e)
    mmlist = set()
    try:
        init_mm = prog["init_mm"]
        for m in list_for_each_entry("struct mm_struct", init_mm.mmlist.address_of_(), "mmlist"):
            mmlist.add(m.value_())
    except Exception as e:  # noqa: BLE001
        tap(False, "%s: init_mm.mmlist readable" % name, e)
    # every mm of the task list: flags, map_count and entry count as recorded
    bad = []
    unread = set(m["mm"] for m in lossy["unreadable_mms"]) if lossy else set()
    for rec in man.get("mm_list", []):
        if rec["mm"] in unread:
            continue
        try:
            mm = Object(prog, "struct mm_struct *", int(rec["mm"], 16))
            fl, mc = mm_flags_word(mm), mm.map_count.value_()
            n = sum(1 for _ in mt_for_each(mm.mm_mt.address_of_(), advanced=True))
            if hx(fl) != rec["flags"] or mc != rec["map_count"] or n != rec["entries"]:
                bad.append("%s flags %s/%s map_count %d/%d entries %d/%d" % (
                    rec["mm"], hx(fl), rec["flags"], mc, rec["map_count"], n, rec["entries"]))
        except Exception as e:  # noqa: BLE001
            bad.append("%s: %r" % (rec["mm"], e))
    if man.get("mm_list"):
        tap(not bad, "%s: %d task mms match (flags, map_count, tree entries)" % (name, len(man["mm_list"]) - len(unread)),
            "\n".join(bad[:10]))
    if man["scenario"] == "baseline":
        dirty = [r["mm"] for r in man.get("mm_list", [])
                 if r["xa_zero_count"] or r["entries"] != r["map_count"] or r["range_mismatch"]
                 or int(r["flags"], 16) & (3 << 21)]
        tap(not dirty and not man["states"], "%s: baseline has no planted state" % name, dirty)
    for st in man["states"]:
        what = "%s: %s mm %s" % (name, st["kind"], st["mm"])
        try:
            mm = Object(prog, "struct mm_struct *", int(st["mm"], 16))
            fl = mm_flags_word(mm)
            tap(hx(fl) == st["flags"], "%s flags %s" % (what, hx(fl)), "manifest %s" % st["flags"])
            mc = mm.map_count.value_()
            tap(mc == st["map_count"], "%s map_count %d" % (what, mc), "manifest %d" % st["map_count"])
            tap(mm.mm_users.counter.value_() == st["mm_users"], "%s mm_users %d" % (what, st["mm_users"]))
            tap(hx(mm.mm_mt.ma_root.value_()) == st["ma_root"] and hx(mm.mm_mt.ma_flags.value_()) == st["ma_flags"],
                "%s ma_root %s ma_flags %s" % (what, st["ma_root"], st["ma_flags"]))
            ents = list(mt_for_each(mm.mm_mt.address_of_(), advanced=True))
            zeros = [{"first": hx(a), "last": hx(b)} for a, b, e in ents if e.value_() == XA_ZERO]
            tap(len(ents) == st["entries"], "%s tree entries %d" % (what, len(ents)), "manifest %d" % st["entries"])
            tap(zeros == st["xa_zero"], "%s XA_ZERO (0x406) at %s" % (what, zeros or "nowhere"),
                "manifest %s" % st["xa_zero"])
            child = stale = 0
            pm = int(st["parent_mm"], 16) if st.get("parent_mm") else None
            for a, b, e in ents:
                v = e.value_()
                if v == XA_ZERO:
                    continue
                vm = Object(prog, "struct vm_area_struct *", v).vm_mm.value_()
                if vm == mm.value_():
                    child += 1
                elif pm and vm == pm:
                    stale += 1
            tap(child == st["child_vmas"] and stale == st["stale_vmas"],
                "%s %d child VMAs, %d stale parent VMAs" % (what, child, stale),
                "manifest %d/%d" % (st["child_vmas"], st["stale_vmas"]))
            on = mm.value_() in mmlist
            tap(on == st["on_mmlist"], "%s on init_mm.mmlist: %s" % (what, on))
            owners = [t.pid.value_() for t in tasks_of(prog, man) if t.mm.value_() == mm.value_()]
            tap(bool(owners) == st["on_task_list"], "%s owned by tasks %s" % (what, owners))
        except Exception as e:  # noqa: BLE001
            tap(False, "%s readable" % what, repr(e))


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILED else 0)
