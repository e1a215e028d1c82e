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
    try:
        prog.set_core_dump(dump)
        prog.load_debug_info([vmlinux])
    except Exception as e:  # noqa: BLE001
        tap(False, "%s: drgn opens the dump" % name, e)
        return
    tap(True, "%s: drgn opens the dump" % name)
    rel = prog["init_uts_ns"].name.release.string_().decode()
    tap(rel == man["kernel"]["release"], "%s: release %s" % (name, rel),
        "manifest says %s" % man["kernel"]["release"])
    try:
        tasks = list(for_each_task(prog))
        pids = sorted(t.pid.value_() for t in tasks)
        want = sorted(t["pid"] for t in man["tasks"])
        tap(pids == want, "%s: %d threads on the task list" % (name, len(pids)),
            "drgn %d pids, manifest %d" % (len(pids), len(want)))
        nr = prog["nr_threads"].value_()
        tap(nr == man["counts"]["threads"], "%s: nr_threads %d" % (name, nr))
        mms = set(t.mm.value_() for t in tasks if t.mm.value_())
        tap(len(mms) == man["counts"]["mms"], "%s: %d distinct mms" % (name, len(mms)))
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
    for rec in man.get("mm_list", []):
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
        tap(not bad, "%s: %d task mms match (flags, map_count, tree entries)" % (name, len(man["mm_list"])),
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
            owners = [t.pid.value_() for t in for_each_task(prog) if t.mm.value_() == mm.value_()]
            tap(bool(owners) == st["on_task_list"], "%s owned by tasks %s" % (what, owners))
        except Exception as e:  # noqa: BLE001
            tap(False, "%s readable" % what, repr(e))


if __name__ == "__main__":
    main()
    sys.exit(1 if FAILED else 0)
