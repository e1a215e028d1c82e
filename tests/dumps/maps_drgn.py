#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""maps_drgn.py DUMP VMLINUX PID... > maps.txt

What /proc/PID/maps would have said, from drgn (python3-drgn in the forky
chroot; run with python3): drgn's for_each_vma() over each task's mm,
formatted by the kernel's own rules (fs/proc/task_mmu.c, show_map_vma()
and show_vma_header_prefix()): offset vm_pgoff << PAGE_SHIFT only with a
file, 's' for VM_MAYSHARE, MAJOR:MINOR of the inode's i_sb->s_dev and
i_ino, then the name padded to column 73: the file's d_path(), else what
vm_ops->name() returns (special_mapping_name(): the vm_special_mapping's
name), else [heap] (vm_start <= brk && vm_end >= start_brk), else [stack]
(the VMA holds start_stack). Output: "== PID" then the lines.
"""
import sys

from drgn import Object, Program
from drgn.helpers.linux.fs import d_path
from drgn.helpers.linux.mm import for_each_vma
from drgn.helpers.linux.pid import find_task

VM_READ, VM_WRITE, VM_EXEC, VM_MAYSHARE = 0x1, 0x2, 0x4, 0x80
PAGE_SHIFT = 12
MINORBITS = 20


def vm_ops_name(prog, vma):
    ops = vma.vm_ops
    if not ops.value_() or not ops.name.value_():
        return None
    fn = prog.symbol(ops.name.value_()).name
    if fn == "special_mapping_name":
        sm = Object(prog, "struct vm_special_mapping *", vma.vm_private_data.value_())
        return sm.name.string_().decode()
    raise RuntimeError("vm_ops->name %s not modelled" % fn)


def line(prog, mm, vma):
    flags = vma.vm_flags.value_()
    f = vma.vm_file
    pgoff = dev = ino = 0
    name = None
    if f.value_():
        inode = f.f_inode
        dev = inode.i_sb.s_dev.value_()
        ino = inode.i_ino.value_()
        pgoff = vma.vm_pgoff.value_() << PAGE_SHIFT
        name = d_path(f.f_path.address_of_()).decode()
    else:
        name = vm_ops_name(prog, vma)
        start, end = vma.vm_start.value_(), vma.vm_end.value_()
        if name is None and start <= mm.brk.value_() and end >= mm.start_brk.value_():
            name = "[heap]"
        elif name is None and start <= mm.start_stack.value_() <= end:
            name = "[stack]"
    perm = ("r" if flags & VM_READ else "-") + ("w" if flags & VM_WRITE else "-") + \
        ("x" if flags & VM_EXEC else "-") + ("s" if flags & VM_MAYSHARE else "p")
    s = "%08x-%08x %s %08x %02x:%02x %d " % (
        vma.vm_start.value_(), vma.vm_end.value_(), perm, pgoff,
        dev >> MINORBITS, dev & ((1 << MINORBITS) - 1), ino)
    if name:
        s = s.ljust(72) + " " + name
    return s


def main():
    dump, vmlinux = sys.argv[1:3]
    prog = Program()
    prog.set_core_dump(dump)
    prog.load_debug_info([vmlinux])
    for pid in sys.argv[3:]:
        t = find_task(prog, int(pid))
        print("== %s" % pid)
        mm = t.mm
        for vma in for_each_vma(mm):
            print(line(prog, mm, vma))


if __name__ == "__main__":
    main()
