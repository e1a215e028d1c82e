#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hand-made seeds of the text and ring-buffer harnesses into
tests/fuzz/corpus/{vmcoreinfo,kallsyms,printk,oops}/ (the maple and btf
seeds come from mkseeds.c). Deterministic: rerunning gives the same files.
The 6.12-baseline dump's VMCOREINFO and kernel log are used when
vmcores/6.12-baseline/ has them as text (vmcoreinfo.txt, dmesg.txt)."""
import os
import struct
import sys

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = os.path.join(top, "tests", "fuzz", "corpus")


def put(harness, name, data):
    d = os.path.join(out, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


# ---- vmcoreinfo ----
VI = """OSRELEASE=6.12.107+deb13-cloud-amd64
BUILD-ID=E1B6C81F7AFCF08C49C197583920E5307D281CDF
PAGESIZE=4096
SYMBOL(init_uts_ns)=ffffffff82a1b2c0
OFFSET(uts_namespace.name)=0
SYMBOL(node_online_map)=ffffffff82b0e2a8
SYMBOL(swapper_pg_dir)=ffffffff82a2c000
SYMBOL(_stext)=ffffffff81000000
SYMBOL(vmap_area_list)=ffffffff82b3c3f0
SYMBOL(mem_section)=ffff88803fffb000
LENGTH(mem_section)=2048
SIZE(mem_section)=16
OFFSET(mem_section.section_mem_map)=0
NUMBER(SECTION_SIZE_BITS)=27
NUMBER(MAX_PHYSMEM_BITS)=46
SIZE(page)=64
SYMBOL(prb)=ffffffff82a69980
SYMBOL(kallsyms_names)=ffffffff8262c9d8
SYMBOL(kallsyms_num_syms)=ffffffff8262c9d0
SYMBOL(kallsyms_token_table)=ffffffff826f3a38
SYMBOL(kallsyms_token_index)=ffffffff826f3dc0
SYMBOL(kallsyms_offsets)=ffffffff8257fbb0
SYMBOL(kallsyms_relative_base)=ffffffff8262c9c8
NUMBER(phys_base)=0
SYMBOL(init_top_pgt)=ffffffff82a2c000
NUMBER(pgtable_l5_enabled)=0
KERNELOFFSET=0
NUMBER(KERNEL_IMAGE_SIZE)=1073741824
CRASHTIME=1763800000
"""
put("vmcoreinfo", "6.12", VI)
put("vmcoreinfo", "kaslr", VI.replace("KERNELOFFSET=0", "KERNELOFFSET=1e000000")
    .replace("OSRELEASE=6.12.107+deb13-cloud-amd64", "OSRELEASE=7.2.0-1-amd64"))
put("vmcoreinfo", "minimal", "OSRELEASE=6.1.0\n")
put("vmcoreinfo", "no-newline", "OSRELEASE=6.1.0\nSYMBOL(x)=ffff")
put("vmcoreinfo", "odd", "OSRELEASE=\nSYMBOL(init_task)=zz\nPAGESIZE=99999999999999999999999\n"
    "BUILD-ID=\nKERNELOFFSET=ffffffffffffffffff\n=\n\n\n")

# ---- kallsyms: base-relative tables at 0xffffffff82000000 (stub_dump.h) ----
BASE = 0xffffffff82000000
STEXT = 0xffffffff81000000


def kallsyms(release, syms, long_names, enc="base"):
    img = bytearray(0x4000)
    n = len(syms)
    struct.pack_into("<I", img, 0x0, n)
    struct.pack_into("<Q", img, 0x10, STEXT)          # relative_base
    for c in range(256):                               # token c = chr(c)
        struct.pack_into("<H", img, 0x100 + 2 * c, 2 * c)
        img[0x300 + 2 * c] = c
    pos = 0x900
    for i, (name, addr) in enumerate(syms):
        s = b"T" + name.encode()
        if len(s) >= 0x80 and long_names:
            img[pos:pos + 2] = bytes([(len(s) & 0x7f) | 0x80, len(s) >> 7])
            pos += 2
        else:
            img[pos] = len(s)
            pos += 1
        img[pos:pos + len(s)] = s
        pos += len(s)
        if enc == "base":
            off = addr - STEXT
        else:                                          # place relative
            off = addr - (BASE + 0x800 + 4 * i)
        struct.pack_into("<i" if off < 0 else "<I", img, 0x800 + 4 * i, off)
    vi = (f"OSRELEASE={release}\n"
          f"SYMBOL(kallsyms_names)={BASE + 0x900:x}\n"
          f"SYMBOL(kallsyms_num_syms)={BASE:x}\n"
          f"SYMBOL(kallsyms_token_table)={BASE + 0x300:x}\n"
          f"SYMBOL(kallsyms_token_index)={BASE + 0x100:x}\n"
          f"SYMBOL(kallsyms_offsets)={BASE + 0x800:x}\n"
          + (f"SYMBOL(kallsyms_relative_base)={BASE + 0x10:x}\n" if enc == "base" else "")
          + f"SYMBOL(_stext)={STEXT:x}\nKERNELOFFSET=0\n")
    return vi.encode() + b"\0" + bytes(img[:pos + 16])


syms = [("startup_64", STEXT - 0x1000 + 0x1000), ("_stext", STEXT),
        ("init_task", STEXT + 0x1a0c940), ("init_mm", STEXT + 0x1a7b2c0),
        ("prb", STEXT + 0x1a69980), ("__start_BTF", STEXT + 0x1c00000),
        ("__stop_BTF", STEXT + 0x1f00000)]
put("kallsyms", "6.12-base-relative", kallsyms("6.12.0", syms, True))
put("kallsyms", "6.0-short-names", kallsyms("6.0.0", syms, False))
put("kallsyms", "7.2-place-relative", kallsyms("7.2.0", syms, True, "place"))
put("kallsyms", "long-name", kallsyms("6.12.0", syms[:2] + [("x" * 200, STEXT + 8)], True))

# ---- printk: shape byte, count_bits-1, size_bits-5, head/tail ids, descs,
# infos, data (fuzz_printk.c) ----
def ring(v72, cbits, sbits, texts, first_id=0):
    count, size = 1 << cbits, 1 << sbits
    isize = 112 if v72 else 88
    descs = bytearray(24 * count)
    infos = bytearray(isize * count)
    data = bytearray(size)
    lpos = 0
    ids = []
    for seq, t in enumerate(texts):
        t = t.encode()
        blk = (8 + len(t) + 7) & ~7
        begin = lpos
        if (begin & (size - 1)) + blk < size:
            nxt, off = begin + blk, begin & (size - 1)
        else:
            nxt, off = (begin & ~(size - 1)) + size + blk, 0
        i = (first_id + seq) & ((1 << 62) - 1)
        ids.append((i, begin))
        struct.pack_into("<Q", data, off, i)
        data[off + 8:off + 8 + len(t)] = t
        d = (i & (count - 1)) * 24
        struct.pack_into("<QQQ", descs, d, i | (2 << 62), begin, nxt)
        struct.pack_into("<QQH", infos, (i & (count - 1)) * isize, seq,
                         1000000000 * (seq + 1) + 1234000, len(t))
        lpos = nxt
    # the tail: the oldest record whose descriptor and data both survive
    first = 0
    for k, (i, begin) in enumerate(ids):
        if lpos - begin > size or len(ids) - k > count:
            first = k + 1
    hdr = bytes([v72, cbits - 1, sbits - 5]) + struct.pack("<QQ", ids[-1][0], ids[first][0])
    return hdr + bytes(descs) + bytes(infos) + bytes(data)


OOPS = ["BUG: unable to handle page fault for address: ffff88800aa00000",
        "#PF: supervisor read access in kernel mode",
        "Oops: 0000 [#1] PREEMPT SMP NOPTI",
        "CPU: 1 PID: 230 Comm: forkfail Not tainted 6.12.107+deb13-cloud-amd64 #1",
        "RIP: 0010:mas_walk+0x2a/0x1d0",
        "Call Trace:",
        " <TASK>",
        " ? __die+0x23/0x70",
        " mas_walk+0x2a/0x1d0",
        " find_vma+0x3c/0x60",
        " do_user_addr_fault+0x1f2/0x6b0",
        " exc_page_fault+0x7a/0x170",
        " </TASK>",
        "Kernel panic - not syncing: Fatal exception"]
put("printk", "6.12-oops", ring(0, 5, 11, ["Linux version 6.12.107", "mmlife seed"] + OOPS))
put("printk", "7.2-wrap", ring(1, 2, 7, ["a" * 30, "b" * 40, "sysrq: Trigger a crash",
                                          "Kernel panic - not syncing: sysrq triggered crash"],
                                first_id=(1 << 62) - 2))
put("printk", "empty", bytes([0, 0, 0]))

# ---- oops ----
put("oops", "page-fault", "\n".join(OOPS) + "\n")
put("oops", "gpf", "general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP\n"
    "RIP: 0010:unlink_anon_vmas+0x5c/0x1a0\nCall Trace:\n <TASK>\n free_pgtables+0x10/0x40\n exit_mmap+0xd0/0x3e0\n"
    " __mmput+0x3e/0x130\n </TASK>\n")
put("oops", "kernel-bug", "------------[ cut here ]------------\nkernel BUG at mm/mmap.c:3100!\n"
    "invalid opcode: 0000 [#1] PREEMPT SMP\nRIP: 0010:exit_mmap+0x2e0/0x300\nCall Trace:\n mmput+0x60/0x140\n")
put("oops", "warning", "WARNING: CPU: 0 PID: 1 at mm/memory.c:1 zap_pte_range+0x1/0x2\n"
    "Call Trace:\n unmap_vmas+0x1/0x2\n")
put("oops", "panic-only", "Kernel panic - not syncing: sysrq triggered crash\n")

# ---- dumpfile: a tiny complete ELF vmcore (one 8 KiB PT_LOAD of the direct
# map at physical 0x1000000, a VMCOREINFO note), and the first 8 KiB of the
# real kdump and flattened dumps when they are there ----
def elf_vmcore(vi, load=8192, machine=62, vaddr=0xffff888001000000):
    note_name = b"VMCOREINFO\0"
    desc = vi.encode()
    note = struct.pack("<III", len(note_name), len(desc), 0) + note_name
    note += b"\0" * (-len(note) % 4) + desc + b"\0" * (-len(desc) % 4)
    phoff, phnum = 64, 2
    off_note = phoff + 56 * phnum
    off_load = (off_note + len(note) + 4095) & ~4095
    eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    eh += struct.pack("<HHIQQQIHHHHHH", 4, machine, 1, 0, phoff, 0, 0, 64, 56, phnum, 0, 0, 0)
    ph = struct.pack("<IIQQQQQQ", 4, 0, off_note, 0, 0, len(note), len(note), 0)
    ph += struct.pack("<IIQQQQQQ", 1, 7, off_load, vaddr, 0x1000000, load, load, 4096)
    body = bytearray(off_load + load)
    body[:len(eh)] = eh
    body[phoff:phoff + len(ph)] = ph
    body[off_note:off_note + len(note)] = note
    for i in range(0, load, 8):
        struct.pack_into("<Q", body, off_load + i, 0xffff888001000000 + i)
    return bytes(body)

tiny_vi = ("OSRELEASE=6.12.0\nPAGESIZE=4096\nSYMBOL(init_task)=ffff888001000100\n"
           "SYMBOL(swapper_pg_dir)=ffffffff82a2c000\nNUMBER(phys_base)=0\n"
           "NUMBER(pgtable_l5_enabled)=0\nKERNELOFFSET=0\n")
put("dumpfile", "tiny-elf", elf_vmcore(tiny_vi))
put("dumpfile", "tiny-elf-kallsyms", elf_vmcore(tiny_vi + "SYMBOL(kallsyms_names)=ffff888001000200\n"
    "SYMBOL(kallsyms_num_syms)=ffff888001000000\nSYMBOL(kallsyms_token_table)=ffff888001000400\n"
    "SYMBOL(kallsyms_token_index)=ffff888001000800\nSYMBOL(kallsyms_offsets)=ffff888001001000\n"
    "SYMBOL(_stext)=ffffffff81000000\n"))
for name, d in (("kdump-head", "6.12-baseline"), ("flattened-head", "6.12-empty-mm"),
                ("kdump-lzo-head", "6.1-baseline"), ("kdump-zstd-head", "7.2-baseline")):
    p = os.path.join(top, "vmcores", d, "vmcore")
    if os.path.exists(p):
        with open(p, "rb") as f:
            put("dumpfile", name, f.read(8192))
import lzma
put("dumpfile", "tiny-elf.xz", lzma.compress(elf_vmcore(tiny_vi), preset=0))
# aarch64 (EM_AARCH64), as QEMU writes it: vaddr = paddr, the kernel's
# addresses only through swapper_pg_dir (here at physical 0x1000000, its
# entries all invalid) and the VMCOREINFO numbers arch/arm64/kernel/vmcore_info.c
# writes (48-bit VAs, PHYS_OFFSET 0x1000000).
arm_vi = ("OSRELEASE=6.12.0\nPAGESIZE=4096\nSYMBOL(init_task)=ffff800081000100\n"
          "SYMBOL(swapper_pg_dir)=ffff800081000000\nSYMBOL(_stext)=ffff800080010000\n"
          "NUMBER(VA_BITS)=48\nNUMBER(kimage_voffset)=0xffff800080000000\n"
          "NUMBER(PHYS_OFFSET)=0x1000000\nNUMBER(TCR_EL1_T1SZ)=0x10\n"
          "NUMBER(VMEMMAP_START)=0xfffffc0000000000\nKERNELOFFSET=0\n")
put("dumpfile", "tiny-elf-aarch64", elf_vmcore(arm_vi, machine=183, vaddr=0x1000000))

# The same memory as QEMU's kdump writer has it for aarch64 guests
# (cli/dump/qemu_kdump.c): machine "Unknown", blocks larger than the
# kernel's 4 KiB pages (16 KiB here, 64 KiB in QEMU 7.2), the ELF notes
# (VMCOREINFO) in the sub-header's block, one zlib block at 0x1000000.
def qemu_kdump(vi, block=16384):
    import zlib
    name = b"VMCOREINFO\0"
    desc = vi.encode()
    note = struct.pack("<III", len(name), len(desc), 0) + name
    note += b"\0" * (-len(note) % 4)
    vi_off = block + 128 + len(note)
    note += desc + b"\0" * (-len(desc) % 4)
    bit = 0x1000000 // block
    body = bytearray(4 * block)
    body[:8] = b"KDUMP   "
    struct.pack_into("<i", body, 8, 6)
    body[12 + 4 * 65:12 + 4 * 65 + 7] = b"Unknown"
    struct.pack_into("<IIIII", body, 424, 1, block, 1, 2, bit + 1)
    struct.pack_into("<QiiQQQQQQQQQQQ", body, block, 0, 1, 0, 0, 0, vi_off, len(desc),
                     block + 128, len(note), 0, 0, 0, bit + 1, bit + 1)
    body[block + 128:block + 128 + len(note)] = note
    for half in (2, 3):
        body[half * block + bit // 8] |= 1 << (bit % 8)
    data = bytearray(block)
    for i in range(0, block, 8):
        struct.pack_into("<Q", data, i, 0xffff000001000000 + i)
    z = zlib.compress(bytes(data), 6)
    body += struct.pack("<QIIQ", len(body) + 24, len(z), 1, 0) + z
    return bytes(body)

put("dumpfile", "tiny-qemu-kdump-aarch64", qemu_kdump(arm_vi))
