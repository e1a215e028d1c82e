// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * aarch64: a dump QEMU wrote has one memory segment with vaddr = paddr,
 * so kernel addresses translate only through the page tables.
 * libkdumpfile (src/addrxlat/aarch64.c, 0.5.1) walks them from
 *   SYMBOL(swapper_pg_dir) - NUMBER(kimage_voffset)   the root (physical)
 *   64 - NUMBER(TCR_EL1_T1SZ), else NUMBER(VA_BITS)   the VA size in use:
 *       48 gives 4 levels; 52 gives 5 levels of LPA2 descriptors (4K
 *       pages), the level above the 4-level root indexing VA[51:48]
 * as arch/arm64/kernel/vmcore_info.c writes them (TCR_EL1_T1SZ since
 * 5.12). A 52-bit-VA kernel on a CPU without LPA2 runs 48-bit VAs with
 * T1SZ 16: the same root, 4 levels. Checked against gdb's manifest on
 * Debian's 6.12 cloud-arm64 kernel (VA_BITS 52) under QEMU with
 * lpa2=off (48-bit VAs, KASLR).
 */
#include "arch.h"

static struct mml_error *aarch64_check(const struct cli_vmcoreinfo *vi)
{
	static const char *const numbers[] = {
		"NUMBER(VA_BITS)", "NUMBER(kimage_voffset)",
		"NUMBER(PHYS_OFFSET)",
	};
	uint64_t v;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (!cli_vmcoreinfo_number(vi, numbers[i], &v))
			return mml_error_create(
				MML_ERROR_INPUT,
				"VMCOREINFO lacks %s: kernel addresses of "
				"this aarch64 dump cannot be translated",
				numbers[i]);
	if (!cli_vmcoreinfo_symbol(vi, "swapper_pg_dir", &v))
		return mml_error_create(
			MML_ERROR_INPUT,
			"VMCOREINFO lacks SYMBOL(swapper_pg_dir): kernel "
			"addresses of this aarch64 dump cannot be translated");
	return NULL;
}

const struct cli_arch cli_arch_aarch64 = {
	.name = "aarch64",
	.kind = MML_ARCH_AARCH64,
	/* Every symbol of the kernel's half of the address space is in the
	 * image (KIMAGE_VADDR and up; per-cpu data too, none is zero-based),
	 * for any VA_BITS up to 52 (memory.h: _PAGE_OFFSET(52)); absolute
	 * symbols are small. */
	.image_start = 0xfff0000000000000ULL,
	.check = aarch64_check,
};
