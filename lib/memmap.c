// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Where the kernel keeps its memmap (the struct page array) and its linear
 * map of physical memory, per architecture (memmap.h).
 *
 * x86_64 (arch/x86/include/asm/pgtable_64_types.h, page_64_types.h): the
 * variables vmemmap_base and page_offset_base under
 * CONFIG_RANDOMIZE_MEMORY, else the 4-level constants of lib/kconst.c;
 * RAM starts at page frame 0.
 *
 * aarch64 (arch/arm64/include/asm/memory.h, pgtable.h; 5.4 and later,
 * where the linear map is at the bottom of the kernel's VA range):
 *   PAGE_OFFSET     = -(1 << VA_BITS)                   (_PAGE_OFFSET())
 *   __phys_to_virt(p) = (p - PHYS_OFFSET) | PAGE_OFFSET
 *   vmemmap         = (struct page *)VMEMMAP_START - (memstart_addr >>
 *                     PAGE_SHIFT)                       (pgtable.h)
 * with VA_BITS the configured one (NUMBER(VA_BITS): 52 on Debian's
 * kernels, whether or not the CPU runs 52-bit VAs), PHYS_OFFSET =
 * memstart_addr (NUMBER(PHYS_OFFSET), or the variable), and vmemmap's own
 * value where VMCOREINFO has it (SYMBOL(vmemmap), kernel/vmcore_info.c
 * under CONFIG_SPARSEMEM_VMEMMAP), else from VMEMMAP_START
 * (NUMBER(VMEMMAP_START), arch/arm64/kernel/vmcore_info.c) or, without
 * it, the 5.4 - 6.8 definition -(1 << (VA_BITS - VMEMMAP_SHIFT)) with
 * VMEMMAP_SHIFT = PAGE_SHIFT - order_base_2(sizeof(struct page)).
 * memstart_addr is signed: a 52-bit kernel on a 48-bit CPU lowers it by
 * _PAGE_OFFSET(48) - _PAGE_OFFSET(52) (arm64_memblock_init()) so that the
 * linear map starts at the 48-bit PAGE_OFFSET; the formulas hold with it
 * as it is. RAM starts at min_low_pfn (bootmem_init()).
 */
#include <stdio.h>

#include "kconst.h"
#include "memmap.h"

static bool memmap_symbol(struct mml_ctx *ctx, const char *name,
			  uint64_t *ret)
{
	return ctx->target.ops->symbol(ctx->target.arg, name, ret);
}

static bool memmap_vmcoreinfo(struct mml_ctx *ctx, const char *key,
			      uint64_t *ret)
{
	return ctx->target.ops->vmcoreinfo &&
	       ctx->target.ops->vmcoreinfo(ctx->target.arg, key, ret);
}

/* The u64 variable @name; NULL when it does not exist (*found false). */
static struct mml_error *memmap_variable(struct mml_ctx *ctx,
					 const char *name, uint64_t *ret,
					 bool *found)
{
	uint64_t addr;
	*found = memmap_symbol(ctx, name, &addr);
	if (!*found)
		return NULL;
	struct mml_error *err = mml_ctx_read_u64(ctx, addr, ret);
	if (err) {
		mml_error_destroy(err);
		return mml_error_create(MML_ERROR_INVALID_ADDRESS,
					"%s unreadable", name);
	}
	return NULL;
}

static struct mml_error *memmap_x86_64(struct mml_ctx *ctx,
				       struct mml_memmap *ret)
{
	bool found;
	ret->vmemmap = MML_X86_64_VMEMMAP_START;
	ret->page_offset = MML_X86_64_PAGE_OFFSET;
	ret->first_pfn = 0;
	struct mml_error *err =
		memmap_variable(ctx, "vmemmap_base", &ret->vmemmap, &found);
	if (!err)
		err = memmap_variable(ctx, "page_offset_base",
				      &ret->page_offset, &found);
	return err;
}

/* ceil(log2(@n)) for the struct page size (order_base_2()). */
static unsigned memmap_order(uint64_t n)
{
	unsigned order = 0;
	while (order < 63 && (1ULL << order) < n)
		order++;
	return order;
}

static struct mml_error *memmap_aarch64(struct mml_ctx *ctx,
					const struct mml_layout *l,
					struct mml_memmap *ret)
{
	uint64_t va_bits, phys_offset, vmemmap_start, min_low_pfn;
	unsigned page_shift = memmap_order(ctx->target.page_size);
	bool found;

	if (!memmap_vmcoreinfo(ctx, "NUMBER(VA_BITS)", &va_bits))
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"VMCOREINFO lacks NUMBER(VA_BITS)");
	if (va_bits < 36 || va_bits > 52)
		return mml_error_create(MML_ERROR_CORRUPT,
					"NUMBER(VA_BITS)=%llu is no arm64 "
					"VA size", (unsigned long long)va_bits);
	if (!memmap_vmcoreinfo(ctx, "NUMBER(PHYS_OFFSET)", &phys_offset)) {
		struct mml_error *err = memmap_variable(
			ctx, "memstart_addr", &phys_offset, &found);
		if (err)
			return err;
		if (!found)
			return mml_error_create(MML_ERROR_UNSUPPORTED,
						"neither NUMBER(PHYS_OFFSET) "
						"nor memstart_addr is known");
	}
	if (!memmap_vmcoreinfo(ctx, "SYMBOL(vmemmap)", &ret->vmemmap)) {
		if (!memmap_vmcoreinfo(ctx, "NUMBER(VMEMMAP_START)",
				       &vmemmap_start)) {
			unsigned shift = page_shift -
					 memmap_order(l->page_struct_size);
			vmemmap_start = -(1ULL << (va_bits - shift));
		}
		/* memstart_addr >> PAGE_SHIFT: an arithmetic shift (s64). */
		int64_t memstart_pfn = (int64_t)phys_offset >> page_shift;
		ret->vmemmap = vmemmap_start -
			       (uint64_t)memstart_pfn * l->page_struct_size;
	}
	ret->page_offset = -(1ULL << va_bits) - phys_offset;
	ret->first_pfn = 0;
	struct mml_error *err =
		memmap_variable(ctx, "min_low_pfn", &min_low_pfn, &found);
	if (err)
		return err;
	if (found)
		ret->first_pfn = min_low_pfn;
	return NULL;
}

struct mml_error *mml_memmap_find(struct mml_ctx *ctx,
				  const struct mml_layout *l,
				  struct mml_memmap *ret)
{
	switch (ctx->target.arch) {
	case MML_ARCH_X86_64:
		return memmap_x86_64(ctx, ret);
	case MML_ARCH_AARCH64:
		return memmap_aarch64(ctx, l, ret);
	}
	return mml_error_create(MML_ERROR_UNSUPPORTED,
				"no memmap layout for architecture %d",
				(int)ctx->target.arch);
}
