// SPDX-License-Identifier: GPL-2.0-or-later
#include <stddef.h>

#include "kconst.h"

const struct mml_kconst mml_kconsts[] = {
	{ "MMF_VM_MERGEABLE", MML_MMF_VM_MERGEABLE, "6.1 - 7.3 (bit number)",
	  "linux/sched/coredump.h, linux/mm_types.h (6.17+)" },
	{ "MMF_VM_HUGEPAGE", MML_MMF_VM_HUGEPAGE, "6.1 - 7.3 (bit number)",
	  "linux/sched/coredump.h, linux/mm_types.h (6.17+)" },
	{ "MMF_OOM_SKIP", MML_MMF_OOM_SKIP, "4.x - 7.3 (bit number)",
	  "linux/sched/coredump.h, linux/mm_types.h (6.17+)" },
	{ "MMF_UNSTABLE", MML_MMF_UNSTABLE, "4.x - 7.3 (bit number)",
	  "linux/sched/coredump.h, linux/mm_types.h (6.17+)" },
	{ "XA_ZERO_ENTRY", MML_XA_ZERO_ENTRY, "all; in mm_mt only 6.8 - 6.19",
	  "linux/xarray.h" },
	{ "XA_RETRY_ENTRY", MML_XA_RETRY_ENTRY, "all", "linux/xarray.h" },
	{ "MT_FLAGS_ALLOC_RANGE", MML_MT_FLAGS_ALLOC_RANGE, "6.1 - 7.3",
	  "linux/maple_tree.h" },
	{ "MT_FLAGS_USE_RCU", MML_MT_FLAGS_USE_RCU, "6.1 - 7.3",
	  "linux/maple_tree.h" },
	{ "MT_FLAGS_HEIGHT_MASK", MML_MT_FLAGS_HEIGHT_MASK, "6.1 - 7.3",
	  "linux/maple_tree.h" },
	{ "MAPLE_HEIGHT_MAX", MML_MAPLE_HEIGHT_MAX, "6.1 - 7.3",
	  "linux/maple_tree.h" },
	{ "MAPLE_NODE_MASK", MML_MAPLE_NODE_MASK, "6.1 - 7.3",
	  "lib/maple_tree.c" },
	{ "MAPLE_PARENT_ROOT", MML_MAPLE_PARENT_ROOT, "6.1 - 7.3",
	  "lib/maple_tree.c" },
	{ "MAPLE_PARENT_RANGE64", MML_MAPLE_PARENT_RANGE64, "6.1 - 7.3",
	  "lib/maple_tree.c" },
	{ "PF_EXITING", MML_PF_EXITING, "all", "linux/sched.h" },
	{ "PF_KTHREAD", MML_PF_KTHREAD, "all", "linux/sched.h" },
	{ "slab.inuse mask", MML_SLAB_INUSE_MASK, "6.1 - 7.3 (bitfield)",
	  "mm/slab.h" },
	{ "slab.objects shift", MML_SLAB_OBJECTS_SHIFT, "6.1 - 7.3 (bitfield)",
	  "mm/slab.h" },
	{ "slab.objects mask", MML_SLAB_OBJECTS_MASK, "6.1 - 7.3 (bitfield)",
	  "mm/slab.h" },
	{ "PAGE_TYPE_SHIFT", MML_PAGE_TYPE_SHIFT, "6.12 - 7.3",
	  "linux/page-flags.h" },
	{ "PGTY_slab", MML_PGTY_SLAB, "6.12 - 7.3 (for reference: read from "
	  "enum pagetype)", "linux/page-flags.h" },
	{ "compound_head tail bit", MML_PAGE_TAIL_BIT, "6.1 - 7.3",
	  "linux/page-flags.h" },
	{ "VMEMMAP_START (x86_64)", MML_X86_64_VMEMMAP_START,
	  "4-level paging without RANDOMIZE_MEMORY", "arch/x86/include/asm/"
	  "pgtable_64_types.h" },
	{ "PAGE_OFFSET (x86_64)", MML_X86_64_PAGE_OFFSET,
	  "4-level paging without RANDOMIZE_MEMORY", "arch/x86/include/asm/"
	  "page_64_types.h" },
	{ NULL, 0, NULL, NULL },
};
