# SPDX-License-Identifier: GPL-2.0-or-later
"""Kernel addresses of a fixture as the dump file holds them, per
architecture, for the tests that damage or read an ELF dump by PT_LOAD
p_paddr (gaps.sh, hostile.sh, crash_ext.sh).

  x86_64   linear map: PA = VA - page_offset_base (the manifest's; the
           direct map starts at physical 0); top-level table: SYMBOL(
           init_top_pgt) - __START_KERNEL_map + NUMBER(phys_base), its
           direct-map entry (page_offset_base >> 39) & 511, a table entry
           PA | 0x63 (present, rw, accessed, dirty).
  aarch64  linear map: PA = (VA & ~PAGE_OFFSET) + PHYS_OFFSET with
           PAGE_OFFSET = -(1 << VA_BITS) (arch/arm64/include/asm/memory.h,
           __lm_to_phys()); top-level table: SYMBOL(swapper_pg_dir) -
           NUMBER(kimage_voffset) (__kimg_to_phys()), indexed by the VA
           VA bits above the levels under it (9 bits each, 4 KiB pages):
           512 entries for 48-bit VAs (4 levels), 16 for 52 (5 levels;
           64 - TCR_EL1_T1SZ is the VA size in use); a table descriptor
           PA | 0x3 (valid, table).
The numbers come from the dump's VMCOREINFO text.
"""
import re

START_KERNEL_MAP = 0xffffffff80000000
U64 = (1 << 64) - 1


def vmcoreinfo_text(data):
    """The VMCOREINFO text of an ELF or kdump file's first MiB."""
    return data[:1 << 20].split(b"OSRELEASE=", 1)[-1].decode("latin1")


def _value(vi, key, base):
    m = re.search(r"^%s=(\S+)$" % re.escape(key), vi, re.M)
    return int(m.group(1), base) if m else None


class Memory:
    def __init__(self, manifest, vi):
        k = manifest["kernel"]
        self.arch = k.get("arch", "x86_64")
        self.vi = vi
        if self.arch == "aarch64":
            self.va_bits = _value(vi, "NUMBER(VA_BITS)", 0)
            self.phys_offset = _value(vi, "NUMBER(PHYS_OFFSET)", 0)
            t1sz = _value(vi, "NUMBER(TCR_EL1_T1SZ)", 0)
            self.va_in_use = 64 - t1sz if t1sz else self.va_bits
        else:
            self.pob = int(k["page_offset_base"], 16)

    def pa(self, va):
        """The physical address of linear-map address @va."""
        if self.arch == "aarch64":
            return ((va & ((1 << self.va_bits) - 1)) + self.phys_offset) & U64
        return va - self.pob

    def top_table(self):
        """(PA, entries, index of the linear map, table-entry bits) of the
        kernel's top-level page table, or None."""
        if self.arch == "aarch64":
            pgd = _value(self.vi, "SYMBOL(swapper_pg_dir)", 16)
            voff = _value(self.vi, "NUMBER(kimage_voffset)", 0)
            if pgd is None or voff is None:
                return None
            levels = (self.va_in_use - 12 + 8) // 9
            shift = 12 + 9 * (levels - 1)
            n = 1 << (self.va_in_use - shift)
            lm = (-(1 << self.va_bits)) & U64
            return (pgd - voff) & U64, n, (lm >> shift) & (n - 1), 0x3
        pgt = _value(self.vi, "SYMBOL(init_top_pgt)", 16) or \
            _value(self.vi, "SYMBOL(swapper_pg_dir)", 16)
        if not pgt:
            return None
        pa = pgt - START_KERNEL_MAP + (_value(self.vi, "NUMBER(phys_base)", 10) or 0)
        return pa, 512, (self.pob >> 39) & 511, 0x63
