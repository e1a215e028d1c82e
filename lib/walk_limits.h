/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named limits for every walk over dump data (defaults; see mml_limits). */
#ifndef MMLIFE_WALK_LIMITS_H
#define MMLIFE_WALK_LIMITS_H

/* Threads on the task list; PID_MAX_LIMIT is 4M. */
#define MML_LIMIT_TASKS (4u << 20)
/* Nodes in one maple tree: 16M nodes hold far more than the 2^31
 * VMAs map_count can count. */
#define MML_LIMIT_NODES (16u << 20)
/* Entries of other lists (init_mm.mmlist). */
#define MML_LIMIT_LIST (4u << 20)
/* Pages the reader caches (16 MiB at 4 KiB pages). */
#define MML_LIMIT_CACHE_PAGES 4096u
/* Worker threads mml_scan() starts at most (mml_ctx_set_workers()). */
#define MML_LIMIT_WORKERS 15u
/* Depth of a maple tree walk: MAPLE_HEIGHT_MAX. */
#define MML_LIMIT_DEPTH 31u

/* The deep scan of the mm_struct slab cache (lib/slab.c). */
/* CPUs: NR_CPUS is at most 8192 on x86_64. */
#define MML_LIMIT_CPUS 8192u
/* NUMA nodes: MAX_NUMNODES is at most 1024. */
#define MML_LIMIT_NUMA_NODES 1024u
/* Page frames whose struct page is read: 1 TiB of 4 KiB pages. */
#define MML_LIMIT_MEMMAP_PFNS (1ULL << 28)
/* The default run searches the memmap for full mm_struct slabs only on
 * machines with at most this much RAM (the memmap is 1/64 of it); above,
 * --deep does. See bench/RESULTS.md for the cost per GiB. */
#define MML_DEFAULT_MEMMAP_BYTES (64ULL << 30)
/* Slabs on one partial list (node or per-cpu). */
#define MML_LIMIT_SLAB_LIST (1u << 20)
/* Objects in one sheaf (7.x per-cpu object caches). */
#define MML_LIMIT_SHEAF_OBJECTS 4096u
/* Objects of one slab: slab->objects is a 15-bit field. */
#define MML_LIMIT_SLAB_OBJECTS 32767u

#endif
