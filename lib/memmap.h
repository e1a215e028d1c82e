/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Where the memmap and the linear map are, per architecture (memmap.c). */
#ifndef MMLIFE_MEMMAP_H
#define MMLIFE_MEMMAP_H

#include "internal.h"

struct mml_memmap {
	uint64_t vmemmap;      /* address of the struct page of page frame 0 */
	uint64_t page_offset;  /* linear-map address of physical address 0 */
	uint64_t first_pfn;    /* the first page frame of RAM */
};

/* The memmap of the target's architecture, from VMCOREINFO (when the
 * front end gives it), symbols and lib/kconst.c; @l gives the struct page
 * size. An error says what is missing or unreadable. */
struct mml_error *mml_memmap_find(struct mml_ctx *ctx,
				  const struct mml_layout *l,
				  struct mml_memmap *ret);

#endif
