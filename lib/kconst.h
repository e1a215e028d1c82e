/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few kernel constants that no debug info holds (they are #defines in
 * the kernel). This is the only place they are written down; kconst.c has
 * the same values as a table with the kernel range each holds for, which
 * `mmlife --constants` prints.
 */
#ifndef MMLIFE_KCONST_H
#define MMLIFE_KCONST_H

#include <stdint.h>

/* include/linux/sched/coredump.h (<= 6.17), include/linux/mm_types.h. */
#define MML_MMF_VM_MERGEABLE 16   /* set by ksm_fork() via __ksm_enter() */
#define MML_MMF_VM_HUGEPAGE 17    /* set by khugepaged_fork() */
#define MML_MMF_OOM_SKIP 21
#define MML_MMF_UNSTABLE 22

/* include/linux/xarray.h: xa_mk_internal(257) and xa_mk_internal(256). */
#define MML_XA_ZERO_ENTRY 0x406ULL
#define MML_XA_RETRY_ENTRY 0x402ULL

/* include/linux/maple_tree.h */
#define MML_MT_FLAGS_ALLOC_RANGE 0x01U
#define MML_MT_FLAGS_USE_RCU 0x02U
#define MML_MT_FLAGS_HEIGHT_OFFSET 2
#define MML_MT_FLAGS_HEIGHT_MASK 0x7CU
#define MML_MAPLE_HEIGHT_MAX 31

/* lib/maple_tree.c: node pointer encoding. */
#define MML_MAPLE_NODE_MASK 0xFFULL
#define MML_MAPLE_ENODE_TYPE_SHIFT 3
#define MML_MAPLE_ENODE_TYPE_MASK 0x0FULL
#define MML_MAPLE_PARENT_ROOT 0x01ULL
#define MML_MAPLE_PARENT_RANGE64 0x06ULL
#define MML_MAPLE_RESERVED_RANGE 4096ULL

/* include/linux/sched.h */
#define MML_PF_EXITING 0x00000004U
#define MML_PF_KTHREAD 0x00200000U

/* SLUB and the memmap (lib/slab.c). */
/* struct slab's counters word: inuse:16, objects:15, frozen:1 (6.1 - 7.3). */
#define MML_SLAB_INUSE_MASK 0xFFFFULL
#define MML_SLAB_OBJECTS_SHIFT 16
#define MML_SLAB_OBJECTS_MASK 0x7FFFULL
/* page_type >> 24 is the type (6.12 - 7.3); PGTY_slab itself is read
 * from enum pagetype, this copy is for reference. */
#define MML_PAGE_TYPE_SHIFT 24
#define MML_PGTY_SLAB 0xF5ULL
/* Bit 0 of page->compound_head (compound_info in 7.x) marks a tail page. */
#define MML_PAGE_TAIL_BIT 0x1ULL
/* x86_64 4-level bases without CONFIG_RANDOMIZE_MEMORY (no vmemmap_base /
 * page_offset_base symbols). */
#define MML_X86_64_VMEMMAP_START 0xFFFFEA0000000000ULL
#define MML_X86_64_PAGE_OFFSET 0xFFFF888000000000ULL

struct mml_kconst {
	const char *name;
	uint64_t value;
	const char *kernels;   /* range it holds for */
	const char *where;     /* kernel header */
};

extern const struct mml_kconst mml_kconsts[];

#endif /* MMLIFE_KCONST_H */
