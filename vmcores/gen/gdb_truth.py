# SPDX-License-Identifier: GPL-2.0-or-later
"""gdb side of the mmlife vmcore generator (run inside gdb: gdb -batch -x gdb_truth.py).

Environment (set by capture.py):
  MMLIFE_ARCH       x86_64 (default) or aarch64
  MMLIFE_GEN        directory of this file
  MMLIFE_VMLINUX    debug vmlinux
  MMLIFE_KASLR      KASLR offset (hex), 0 without KASLR
  MMLIFE_PERCPU0    1 if per-cpu symbols are zero based (6.1 ... 6.14)
  MMLIFE_CURRENT    symbol expression whose per-cpu address holds `current`
                    (x86-64; on aarch64 the kernel keeps it in SP_EL0)
  MMLIFE_GDB_PORT   QEMU gdbstub port
  MMLIFE_QMP        QMP unix socket
  MMLIFE_GO_SOCK    unix socket of the guest's ttyS1 ("go")
  MMLIFE_MODE       panic | failed-fork | empty-mm | swapoff-oops
  MMLIFE_CONSOLE    the guest's console log (swapoff-oops: wait for the panic)
  MMLIFE_COMM       comm of the workload task (forkfail / emptymm)
  MMLIFE_TRUTH      where to write the ground truth JSON
  MMLIFE_RAWDUMP    where QEMU writes the ELF dump
The ground truth is read by gdb from the stopped guest, with gdb's own type
information; nothing here comes from mmlife.

swapoff-oops is the one scenario that writes into the guest, twice, and
records both writes in the truth ("interventions"):
  1. when the failed fork's child mm reaches mmput() (its last reference),
     mm_users goes 1 -> 2: the reference swapoff's try_to_unuse() takes with
     mmget_not_zero() when it finds the mm on init_mm.mmlist in that window;
  2. from swapoff(2) entry until oops_begin() (arm64: die_kernel_fault()),
     MMF_UNSTABLE is cleared on that mm, so unuse_mm() runs as on a kernel
     without 1367da7eb875 (6.12.107 has the check); the bit is set again
     before the oops is printed.
The oops, the panic and everything in the dump are the kernel's own.
"""
import json
import os
import re
import socket
import struct
import sys
import time

import gdb

sys.path.insert(0, os.environ["MMLIFE_GEN"])
from qmp import QMP  # noqa: E402

ENV = os.environ
XA_ZERO = 0x406
MMF_OOM_SKIP = 21
MMF_UNSTABLE = 22


def log(msg):
    sys.stderr.write("[gdb_truth %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def ev(expr):
    return gdb.parse_and_eval(expr)


def off(typ, member):
    return int(ev("(unsigned long)&((%s *)0)->%s" % (typ, member)))


def fsize(typ, member):
    return int(ev("sizeof(((%s *)0)->%s)" % (typ, member)))


def tsize(typ):
    return int(ev("sizeof(%s)" % typ))


def enum_val(name):
    return int(ev("(long)%s" % name))


def hx(v):
    return None if v is None else "0x%x" % v


class Mem:
    def __init__(self):
        self.inf = gdb.selected_inferior()

    def rd(self, addr, n):
        return bytes(self.inf.read_memory(addr, n))

    def u64(self, addr):
        return struct.unpack("<Q", self.rd(addr, 8))[0]

    def s32(self, addr):
        return struct.unpack("<i", self.rd(addr, 4))[0]

    def u32(self, addr):
        return struct.unpack("<I", self.rd(addr, 4))[0]

    def uint(self, addr, size):
        """An unsigned field of `size` bytes (the size from gdb's types)."""
        return int.from_bytes(self.rd(addr, size), "little")

    def sint(self, addr, size):
        return int.from_bytes(self.rd(addr, size), "little", signed=True)

    def cstr(self, addr, n):
        return self.rd(addr, n).split(b"\0")[0].decode("latin-1")


M = None
O = {}   # field offsets
S = {}   # field sizes
MN = {}  # maple node layout
PTR = 8  # x86-64 and aarch64 guests: 64-bit, little endian
ARM64 = ENV.get("MMLIFE_ARCH", "x86_64") == "aarch64"


def arg0():
    """The first argument of the function at whose entry the guest stopped."""
    return int(ev("$x0" if ARM64 else "$rdi")) & ((1 << 64) - 1)


def setup_offsets():
    """Every offset and size comes from gdb's types of this build: a
    PREEMPT_RT kernel's struct maple_tree has a 32-byte lock (48 bytes in
    all), so nothing may assume the layout of another flavour."""
    T = "struct task_struct"
    MM = "struct mm_struct"
    V = "struct vm_area_struct"
    MT = "struct maple_tree"
    fields = {
        "tasks": (T, "tasks"), "pid": (T, "pid"), "tgid": (T, "tgid"),
        "comm": (T, "comm"), "mm": (T, "mm"), "signal": (T, "signal"),
        "thread_node": (T, "thread_node"),
        "thread_head": ("struct signal_struct", "thread_head"),
        "mm_flags": (MM, "flags"), "map_count": (MM, "map_count"),
        "mm_users": (MM, "mm_users"), "mm_count": (MM, "mm_count"),
        "mmlist": (MM, "mmlist"), "mm_mt": (MM, "mm_mt"),
        "ma_root": (MT, "ma_root"), "ma_flags": (MT, "ma_flags"),
        "vm_start": (V, "vm_start"), "vm_end": (V, "vm_end"), "vm_mm": (V, "vm_mm"),
    }
    for k, (typ, member) in fields.items():
        O[k] = off(typ, member)
        S[k] = fsize(typ, member)
    O["vma_span"] = max(O[k] + S[k] for k in ("vm_start", "vm_end", "vm_mm"))
    S["comm"] = fsize(T, "comm")
    # maple nodes: layout of struct maple_range_64 / maple_arange_64, node
    # size (= alignment) and the node types, all from the debug info
    node = tsize("struct maple_node")
    MN.update(size=node, mask=~(node - 1),
              leaf=enum_val("maple_leaf_64"), range=enum_val("maple_range_64"),
              arange=enum_val("maple_arange_64"))
    for t, typ in (("lay_range", "struct maple_range_64"), ("lay_arange", "struct maple_arange_64")):
        ps = fsize(typ, "pivot[0]")
        ss = fsize(typ, "slot[0]")
        MN[t] = {"pivot": off(typ, "pivot"), "npivot": fsize(typ, "pivot") // ps, "psize": ps,
                 "slot": off(typ, "slot"), "nslot": fsize(typ, "slot") // ss, "ssize": ss,
                 "end": off(typ, "meta.end")}
    log("maple_tree %d bytes (ma_root at %d, ma_flags at %d), maple_node %d bytes" % (
        tsize(MT), O["ma_root"], O["ma_flags"], node))


def fld(base, key, signed=False):
    """Field `key` of the object at `base`, with its size from the types."""
    size = S[key]
    return M.sint(base + O[key], size) if signed else M.uint(base + O[key], size)


def mm_flags(mm):
    """The first word of mm->flags (an unsigned long before 6.18, the first
    word of the mm_flags_t bitmap after)."""
    return M.uint(mm + O["mm_flags"], min(S["mm_flags"], PTR))


def list_walk(head, limit=100000):
    """Yield list_head addresses after head (excluding head)."""
    p = M.u64(head)
    n = 0
    while p != head:
        yield p
        p = M.u64(p)
        n += 1
        if n > limit:
            raise RuntimeError("list at 0x%x too long" % head)


def walk_tasks():
    init_task = int(ev("(unsigned long)&init_task"))
    out = []
    for lp in list_walk(init_task + O["tasks"]):
        leader = lp - O["tasks"]
        sig = M.u64(leader + O["signal"])
        for tn in list_walk(sig + O["thread_head"]):
            t = tn - O["thread_node"]
            mm = M.u64(t + O["mm"])
            out.append({
                "pid": fld(t, "pid", True), "tgid": fld(t, "tgid", True),
                "comm": M.cstr(t + O["comm"], S["comm"]), "task": hx(t),
                "mm": hx(mm) if mm else None,
            })
    return out


def node_slots(raw, lay):
    piv = [int.from_bytes(raw[lay["pivot"] + i * lay["psize"]:][:lay["psize"]], "little")
           for i in range(lay["npivot"])]
    slots = [int.from_bytes(raw[lay["slot"] + i * lay["ssize"]:][:lay["ssize"]], "little")
             for i in range(lay["nslot"])]
    return piv, slots


def mt_walk(mt_addr):
    """Walk a maple tree (include/linux/maple_tree.h, lib/maple_tree.c: mte_to_node, mte_node_type, ma_data_end). Returns (entries, info);
    entries = [(first, last, value)] for non-NULL leaf slots, in order."""
    root = M.u64(mt_addr + O["ma_root"])
    info = {"nodes": 0, "leaves": 0, "max_depth": 0}
    entries = []
    if root == 0:
        return entries, info
    if not ((root & 3) == 2 and root > 4096):
        entries.append((0, 0, root))
        return entries, info
    stack = [(root, 0, (1 << 64) - 1, 1)]
    while stack:
        enode, mn, mx, depth = stack.pop()
        node = enode & MN["mask"]
        typ = (enode >> 3) & 0xF  # MAPLE_NODE_TYPE_SHIFT / _MASK (macros)
        raw = M.rd(node, MN["size"])
        info["nodes"] += 1
        info["max_depth"] = max(info["max_depth"], depth)
        if typ in (MN["leaf"], MN["range"]):
            lay = MN["lay_range"]
            piv, slots = node_slots(raw, lay)
            last_piv = lay["npivot"] - 1  # ma_data_end()
            if piv[last_piv] == 0:
                end = raw[lay["end"]]
            elif piv[last_piv] == mx:
                end = last_piv
            else:
                end = lay["npivot"]
        elif typ == MN["arange"]:
            lay = MN["lay_arange"]
            piv, slots = node_slots(raw, lay)
            end = raw[lay["end"]]
        else:
            raise RuntimeError("unexpected maple node type %d at 0x%x" % (typ, node))
        children = []
        first = mn
        for i in range(end + 1):
            last = piv[i] if i < end else mx
            v = slots[i]
            if typ == MN["leaf"]:
                if v:
                    entries.append((first, last, v))
            elif v:
                children.append((v, first, last, depth + 1))
            first = last + 1
        if typ == MN["leaf"]:
            info["leaves"] += 1
        stack.extend(reversed(children))
    return entries, info


def read_mm(mm, parent_mm=None):
    flags = mm_flags(mm)
    mt = mm + O["mm_mt"]
    entries, info = mt_walk(mt)
    child = stale = other = zero = 0
    xz = []
    last_child = None
    mism = 0
    for first, last, v in entries:
        if v == XA_ZERO:
            zero += 1
            xz.append({"first": hx(first), "last": hx(last)})
            continue
        if (v & 3) or v < 4096:
            other += 1
            continue
        hdr = M.rd(v, O["vma_span"])
        vs, ve, vm = (int.from_bytes(hdr[O[k]:O[k] + S[k]], "little") for k in ("vm_start", "vm_end", "vm_mm"))
        if vm == mm:
            child += 1
            last_child = {"vma": hx(v), "start": hx(vs), "end": hx(ve)}
            if vs != first or ve - 1 != last:
                mism += 1
        elif parent_mm and vm == parent_mm:
            stale += 1
        else:
            other += 1
    mmlist = mm + O["mmlist"]
    return {
        "mm": hx(mm), "flags": hx(flags),
        "map_count": fld(mm, "map_count", True),
        "mm_users": fld(mm, "mm_users", True),
        "mm_count": fld(mm, "mm_count", True),
        "ma_root": hx(fld(mt, "ma_root")),
        "ma_flags": hx(fld(mt, "ma_flags")),
        "entries": len(entries), "child_vmas": child, "stale_vmas": stale,
        "other_entries": other, "xa_zero_count": zero, "xa_zero": xz,
        "last_child_vma": last_child, "range_mismatch": mism,
        "oom_skip": bool(flags >> MMF_OOM_SKIP & 1),
        "unstable": bool(flags >> MMF_UNSTABLE & 1),
        "tree": info,
        "mmlist_empty": M.u64(mmlist) == mmlist,
    }


def mmlist_members():
    head = int(ev("(unsigned long)&init_mm")) + O["mmlist"]
    return set(p - O["mmlist"] for p in list_walk(head))


def percpu_addr(sym):
    a = int(ev("(unsigned long)&%s" % sym))
    if ENV.get("MMLIFE_PERCPU0") == "1":
        a -= int(ENV.get("MMLIFE_KASLR", "0"), 16)  # zero based: never shifted
    return a


CUR = None


def current():
    if ARM64:
        # in the kernel (EL1) SP_EL0 holds `current` (asm/current.h)
        return int(ev("$SP_EL0")) & ((1 << 64) - 1)
    gs = int(ev("$gs_base")) & ((1 << 64) - 1)
    return M.u64((gs + CUR) & ((1 << 64) - 1))


def task_brief(t):
    return {"pid": fld(t, "pid", True), "comm": M.cstr(t + O["comm"], S["comm"]), "task": hx(t)}


HIT = {}


class ExitMmapBP(gdb.Breakpoint):
    """exit_mmap(mm) called by the forking parent: the child's mm of a failed fork."""

    def stop(self):
        try:
            mm = arg0()
            cur = current()
            cur_mm = M.u64(cur + O["mm"])
            comm = M.cstr(cur + O["comm"], S["comm"])
            if comm != ENV["MMLIFE_COMM"] or cur_mm == 0 or cur_mm == mm:
                return False
            # an execve's old mm is also put by a task with another mm:
            # keep only the child of a failed dup_mmap(): MMF_UNSTABLE
            # (6.12.83+, 7.x) or a tree left out of RCU mode with VMAs (6.1)
            flags = mm_flags(mm)
            ma_flags = fld(mm + O["mm_mt"], "ma_flags")
            if not (flags >> MMF_UNSTABLE & 1) and ((ma_flags & 2) or fld(mm, "map_count", True) == 0):
                return False
            HIT.update(mm=mm, parent_mm=cur_mm, task=cur)
            return True
        except Exception as e:  # never let a read error run the guest away
            log("bp error %r" % e)
            return False


class BadAreaBP(gdb.Breakpoint):
    """__bad_area_nosemaphore (arm64: arm64_force_sig_fault) in the emptymm
    task with an empty address space."""

    def stop(self):
        try:
            cur = current()
            comm = M.cstr(cur + O["comm"], S["comm"])
            if comm != ENV["MMLIFE_COMM"]:
                return False
            mm = M.u64(cur + O["mm"])
            if not mm or fld(mm, "map_count", True) != 0:
                return False
            HIT.update(mm=mm, parent_mm=None, task=cur)
            return True
        except Exception as e:
            log("bp error %r" % e)
            return False


INTERVENTIONS = []
SWAPOFF = {}


def set_u64(addr, val):
    M.inf.write_memory(addr, struct.pack("<Q", val))


def inlined_mmput_sites():
    """dup_mm()'s mmput() is inlined into copy_process() on x86-64 6.12:
    the decrement of mm_users that precedes the call of __mmput(). Returns
    [(address, register)] read from the kernel's own code. arm64 6.12's
    copy_process() calls mmput() itself (`bl mmput`, which the breakpoint
    at mmput's entry catches); a `bl __mmput` there would be an inlined
    mmput() whose decrement (an LSE or LL/SC atomic) is not looked for."""
    out = []
    lines = gdb.execute("disassemble copy_process", to_string=True).splitlines()
    if ARM64:
        if any(re.search(r"\bbl\s+0x[0-9a-f]+ <__mmput>", ln) for ln in lines):
            raise RuntimeError("copy_process() calls __mmput(): an inlined mmput() on arm64")
        return out
    for i, ln in enumerate(lines):
        if "call" not in ln or "<__mmput>" not in ln:
            continue
        for back in reversed(lines[max(0, i - 12):i]):
            m = re.search(r"(0x[0-9a-f]+) <\+\d+>:\s+lock decl (0x[0-9a-f]+)\(%(\w+)\)", back)
            if m and int(m.group(2), 16) == O["mm_users"]:
                out.append((int(m.group(1), 16), m.group(3)))
                break
    return out


class PinBP(gdb.Breakpoint):
    """mmput(child) in the failing fork (its entry, or the inlined
    decrement): take the reference swapoff would."""

    def __init__(self, spec, reg=None):
        super().__init__(spec, internal=False)
        self.reg = reg or ("x0" if ARM64 else "rdi")

    def stop(self):
        try:
            if HIT:
                return False
            mm = int(ev("$" + self.reg)) & ((1 << 64) - 1)
            cur = current()
            cur_mm = M.u64(cur + O["mm"])
            if M.cstr(cur + O["comm"], S["comm"]) != ENV["MMLIFE_COMM"] or cur_mm in (0, mm):
                return False
            flags = mm_flags(mm)
            users = fld(mm, "mm_users", True)
            if not (flags >> MMF_UNSTABLE & 1) or users != 1:
                return False
            M.inf.write_memory(mm + O["mm_users"], struct.pack("<i", 2))
            HIT.update(mm=mm, parent_mm=cur_mm, task=cur)
            INTERVENTIONS.append({
                "where": "mmput() of the failing fork (pid %d), at %s" % (fld(cur, "pid", True), self.location),
                "what": "mm 0x%x mm_users 1 -> 2" % mm,
                "why": "the reference swapoff takes with mmget_not_zero() on init_mm.mmlist "
                       "while the failed child still has one"})
            log("pinned failed child mm 0x%x" % mm)
        except Exception as e:
            log("bp error %r" % e)
        return False


# swapoff(2)'s syscall entry, and the first function of the oops path that
# prints: x86-64's oops_begin(); arm64 has none, and die_kernel_fault()
# (arch/arm64/mm/fault.c, 6.12: bust_spinlocks(), then "Unable to handle
# kernel ... at virtual address") runs before die(). Every kernel fault
# that oopses passes it: __do_kernel_fault() and do_page_fault()'s
# permission faults on user addresses call it.
SWAPOFF_ENTRY = "__arm64_sys_swapoff" if ARM64 else "__x64_sys_swapoff"
OOPS_ENTRY = "die_kernel_fault" if ARM64 else "oops_begin"


class SwapoffBP(gdb.Breakpoint):
    """swapoff(2) entry: hide MMF_UNSTABLE of the pinned mm from unuse_mm()."""

    def stop(self):
        try:
            if not HIT or SWAPOFF.get("cleared"):
                return False
            mm = HIT["mm"]
            flags = mm_flags(mm)
            set_u64(mm + O["mm_flags"], flags & ~(1 << MMF_UNSTABLE))
            SWAPOFF.update(cleared=flags, task=task_brief(current()))
            INTERVENTIONS.append({
                "where": "%s() entry (pid %d)" % (SWAPOFF_ENTRY, SWAPOFF["task"]["pid"]),
                "what": "mm 0x%x flags 0x%x -> 0x%x" % (mm, flags, flags & ~(1 << MMF_UNSTABLE)),
                "why": "unuse_mm() then walks the mm as on a kernel without 1367da7eb875"})
            log("swapoff: MMF_UNSTABLE hidden on mm 0x%x" % mm)
        except Exception as e:
            log("bp error %r" % e)
        return False


class OopsBP(gdb.Breakpoint):
    """oops_begin() (arm64: die_kernel_fault()): put MMF_UNSTABLE back
    before anything is printed."""

    def stop(self):
        try:
            if SWAPOFF.get("cleared") is None or SWAPOFF.get("restored"):
                return False
            mm = HIT["mm"]
            flags = mm_flags(mm)
            set_u64(mm + O["mm_flags"], flags | (1 << MMF_UNSTABLE))
            SWAPOFF["restored"] = True
            SWAPOFF["oops_task"] = task_brief(current())
            INTERVENTIONS.append({
                "where": "%s() (pid %d)" % (OOPS_ENTRY, SWAPOFF["oops_task"]["pid"]),
                "what": "mm 0x%x flags 0x%x -> 0x%x" % (mm, flags, flags | (1 << MMF_UNSTABLE)),
                "why": "restore the flag the kernel set"})
            log("oops in pid %d: MMF_UNSTABLE restored" % SWAPOFF["oops_task"]["pid"])
        except Exception as e:
            log("bp error %r" % e)
        return False


class PanicLoopBP(gdb.Breakpoint):
    """touch_softlockup_watchdog() once panic() printed its last line."""

    def stop(self):
        try:
            with open(ENV["MMLIFE_CONSOLE"], errors="replace") as f:
                txt = f.read()
            return "end Kernel panic" in txt
        except Exception as e:
            log("bp error %r" % e)
            return False


def arm64_va_bits():
    """The kernel's VA size as the MMU runs it: 64 - TCR_EL1.T1SZ (52 with
    LPA2 under -cpu max, 48 with lpa2=off, for Debian's VA_BITS=52 kernels)."""
    return 64 - ((int(ev("$TCR_EL1")) >> 16) & 0x3F)


def paging_levels():
    if ARM64:
        # 4K pages: 4 levels up to 48 bits, 5 (LPA2) above
        return 5 if arm64_va_bits() > 48 else 4
    try:
        cr4 = int(ev("$cr4"))
        return 5 if cr4 & (1 << 12) else 4
    except gdb.error:
        pob = int(ev("page_offset_base"))
        return 5 if (pob >> 48) == 0xff11 else 4


def page_offset():
    """x86-64: page_offset_base. aarch64: the start of the linear map,
    _PAGE_OFFSET(vabits_actual) = -(1 << va_bits) (asm/memory.h)."""
    if ARM64:
        return hx((-(1 << arm64_va_bits())) & ((1 << 64) - 1))
    return hx(int(ev("page_offset_base")) & ((1 << 64) - 1))


def main():
    global M, CUR
    mode = ENV["MMLIFE_MODE"]
    kaslr = int(ENV.get("MMLIFE_KASLR", "0"), 16)
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    t0 = time.time()
    if kaslr:
        gdb.execute("symbol-file -o 0x%x %s" % (kaslr, ENV["MMLIFE_VMLINUX"]))
    else:
        gdb.execute("symbol-file %s" % ENV["MMLIFE_VMLINUX"])
    log("symbols loaded in %.1fs" % (time.time() - t0))
    gdb.execute("target remote 127.0.0.1:%s" % ENV["MMLIFE_GDB_PORT"])
    M = Mem()
    setup_offsets()
    if not ARM64:
        CUR = percpu_addr(ENV["MMLIFE_CURRENT"])
    go = None
    if mode != "panic":
        if mode == "failed-fork":
            ExitMmapBP("*exit_mmap", internal=False)
        elif mode == "empty-mm":
            # arm64's do_page_fault() has no __bad_area_nosemaphore(): its
            # bad_area path sends SIGSEGV through arm64_force_sig_fault()
            BadAreaBP("*arm64_force_sig_fault" if ARM64 else "*__bad_area_nosemaphore", internal=False)
        elif mode == "swapoff-oops":
            PinBP("*mmput")
            for addr, reg in inlined_mmput_sites():
                log("inlined mmput() at 0x%x (mm in %%%s)" % (addr, reg))
                PinBP("*0x%x" % addr, reg)
            SwapoffBP("*" + SWAPOFF_ENTRY, internal=False)
            OopsBP("*" + OOPS_ENTRY, internal=False)
        go = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        go.connect(ENV["MMLIFE_GO_SOCK"])
        go.sendall(b"go\n")
        log("sent go, continuing")
        if mode == "swapoff-oops":
            # the pin and the flag hide/restore never stop the guest; this
            # breakpoint stops it in panic()'s final loop
            PanicLoopBP("*touch_softlockup_watchdog", internal=False)
            gdb.execute("continue")
            if not HIT or not SWAPOFF.get("restored"):
                raise RuntimeError("panic without the swapoff oops (pin %s, swapoff %s)"
                                   % (bool(HIT), SWAPOFF))
        while not HIT:
            gdb.execute("continue")
        log("breakpoint hit: mm 0x%x" % HIT["mm"])
    t1 = time.time()
    tasks = walk_tasks()
    by_mm = {}
    for t in tasks:
        if t["mm"]:
            by_mm.setdefault(t["mm"], []).append(t)
    on_mmlist = mmlist_members()
    states = []
    if HIT:
        kind = {"failed-fork": "failed-fork", "swapoff-oops": "failed-fork",
                "empty-mm": "empty-mm"}[mode]
        st = read_mm(HIT["mm"], HIT.get("parent_mm"))
        st["kind"] = kind
        pm = HIT.get("parent_mm")
        st["parent_mm"] = hx(pm)
        st["parent_tasks"] = [{"pid": t["pid"], "comm": t["comm"]} for t in by_mm.get(hx(pm), [])] if pm else []
        st["tasks"] = [{"pid": t["pid"], "comm": t["comm"]} for t in by_mm.get(hx(HIT["mm"]), [])]
        st["on_task_list"] = hx(HIT["mm"]) in by_mm
        st["on_mmlist"] = HIT["mm"] in on_mmlist
        st["current"] = task_brief(HIT["task"])
        if pm:
            st["parent"] = {k: v for k, v in read_mm(pm).items()
                            if k in ("mm", "flags", "map_count", "ma_flags", "entries", "child_vmas", "on_mmlist")}
            st["parent"]["on_mmlist"] = pm in on_mmlist
        states.append(st)
    mm_list = []
    for mmhex in sorted(by_mm):
        mm = int(mmhex, 16)
        r = read_mm(mm)
        mm_list.append({k: r[k] for k in ("mm", "flags", "map_count", "mm_users", "ma_flags",
                                          "entries", "child_vmas", "other_entries", "xa_zero_count",
                                          "range_mismatch")}
                       | {"on_mmlist": mm in on_mmlist,
                          "tasks": [t["pid"] for t in by_mm[mmhex]]})
    log("truth read in %.1fs" % (time.time() - t1))
    truth = {
        "tasks": tasks,
        "counts": {
            "threads": int(ev("nr_threads")),
            "threads_walked": len(tasks),
            "thread_groups": len(set(t["tgid"] for t in tasks)),
            "mms": len(by_mm),
        },
        "states": states,
        "mm_list": mm_list,
        "mmlist": sorted(hx(m) for m in on_mmlist),
        "banner": ev("linux_banner").string().strip(),
        "uts_version": ev("init_uts_ns.name.version").string(),
        "uts_release": ev("init_uts_ns.name.release").string(),
        "paging_levels": paging_levels(),
        **({"arch": "aarch64", "va_bits": arm64_va_bits()} if ARM64 else {}),
        "page_offset_base": page_offset(),
        "gdb_read_seconds": round(time.time() - t1, 1),
        "interventions": INTERVENTIONS,
    }
    if SWAPOFF:
        truth["swapoff"] = {k: SWAPOFF[k] for k in ("task", "oops_task") if k in SWAPOFF}
    with open(ENV["MMLIFE_TRUTH"], "w") as f:
        json.dump(truth, f, indent=1)
    t2 = time.time()
    q = QMP(ENV["MMLIFE_QMP"])
    q.cmd("dump-guest-memory", paging=False, protocol="file:" + ENV["MMLIFE_RAWDUMP"])
    log("dump written in %.1fs" % (time.time() - t2))
    if ENV.get("MMLIFE_QEMU_FORMAT"):
        # a second dump at the same stop in one of QEMU's own kdump formats
        # (what `virsh dump --memory-only --format=kdump-zlib` writes)
        t2 = time.time()
        q.cmd("dump-guest-memory", paging=False, format=ENV["MMLIFE_QEMU_FORMAT"],
              protocol="file:" + ENV["MMLIFE_QEMU_DUMP"])
        log("%s dump written in %.1fs" % (ENV["MMLIFE_QEMU_FORMAT"], time.time() - t2))
    q.close()
    if go:
        go.close()


try:
    main()
except Exception as e:
    import traceback
    traceback.print_exc()
    log("FAILED: %r" % e)
    gdb.execute("kill")
    os._exit(1)
gdb.execute("kill")
