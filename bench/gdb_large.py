# SPDX-License-Identifier: GPL-2.0-or-later
"""gdb side of bench/gen_large.py (gdb -batch -x gdb_large.py).

Like vmcores/gen/gdb_truth.py in failed-fork mode (same breakpoint test), but
without the ground-truth walk, which over the gdbstub would take hours on a
dump with a million VMAs: it catches exit_mmap() of the child of a failed
fork in forkfail, records that mm, and has QEMU write the ELF dump.
Environment: MMLIFE_VMLINUX, MMLIFE_GDB_PORT, MMLIFE_QMP, MMLIFE_GO_SOCK,
MMLIFE_RAWDUMP, MMLIFE_HIT (JSON out), MMLIFE_GEN (for qmp.py), MMLIFE_CURRENT
(per-cpu symbol of current), MMLIFE_PERCPU0.
"""
import json
import os
import socket
import struct
import sys
import time

import gdb

sys.path.insert(0, os.environ["MMLIFE_GEN"])
from qmp import QMP  # noqa: E402

ENV = os.environ
MMF_UNSTABLE = 22


def log(msg):
    sys.stderr.write("[gdb_large %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def ev(e):
    return gdb.parse_and_eval(e)


def off(t, m):
    return int(ev("(unsigned long)&((%s *)0)->%s" % (t, m)))


INF = None
O = {}


def rd(a, n):
    return bytes(INF.read_memory(a, n))


def u64(a):
    return struct.unpack("<Q", rd(a, 8))[0]


def u32(a):
    return struct.unpack("<I", rd(a, 4))[0]


def s32(a):
    return struct.unpack("<i", rd(a, 4))[0]


HIT = {}


class ExitMmapBP(gdb.Breakpoint):
    def stop(self):
        try:
            mm = int(ev("$rdi")) & ((1 << 64) - 1)
            gs = int(ev("$gs_base")) & ((1 << 64) - 1)
            cur = u64((gs + O["cur"]) & ((1 << 64) - 1))
            cur_mm = u64(cur + O["mm"])
            comm = rd(cur + O["comm"], 16).split(b"\0")[0].decode("latin-1")
            if comm != "forkfail" or cur_mm == 0 or cur_mm == mm:
                return False
            flags = u64(mm + O["mm_flags"])
            ma_flags = u32(mm + O["mm_mt"] + O["ma_flags"])
            if not (flags >> MMF_UNSTABLE & 1) and ((ma_flags & 2) or s32(mm + O["map_count"]) == 0):
                return False
            HIT.update(mm="0x%x" % mm, parent_mm="0x%x" % cur_mm, flags="0x%x" % flags,
                       map_count=s32(mm + O["map_count"]), ma_flags="0x%x" % ma_flags,
                       pid=s32(cur + O["pid"]))
            return True
        except Exception as e:
            log("bp error %r" % e)
            return False


def main():
    global INF
    gdb.execute("set pagination off")
    gdb.execute("set confirm off")
    gdb.execute("symbol-file %s" % ENV["MMLIFE_VMLINUX"])
    gdb.execute("target remote 127.0.0.1:%s" % ENV["MMLIFE_GDB_PORT"])
    INF = gdb.selected_inferior()
    T, MM = "struct task_struct", "struct mm_struct"
    O.update(mm=off(T, "mm"), comm=off(T, "comm"), pid=off(T, "pid"),
             mm_flags=off(MM, "flags"), map_count=off(MM, "map_count"),
             mm_mt=off(MM, "mm_mt"), ma_flags=off("struct maple_tree", "ma_flags"))
    O["cur"] = int(ev("(unsigned long)&%s" % ENV["MMLIFE_CURRENT"]))
    ExitMmapBP("*exit_mmap", internal=False)
    go = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    go.connect(ENV["MMLIFE_GO_SOCK"])
    go.sendall(b"go\n")
    log("sent go, continuing")
    while not HIT:
        gdb.execute("continue")
    log("breakpoint hit: %r" % HIT)
    HIT["nr_threads"] = int(ev("nr_threads"))
    HIT["uts_release"] = ev("init_uts_ns.name.release").string()
    with open(ENV["MMLIFE_HIT"], "w") as f:
        json.dump(HIT, f, indent=1)
    t = time.time()
    q = QMP(ENV["MMLIFE_QMP"], timeout=3600)
    q.cmd("dump-guest-memory", paging=False, protocol="file:" + ENV["MMLIFE_RAWDUMP"])
    q.close()
    log("dump written in %.1fs" % (time.time() - t))
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
