/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The deep scan's source of mms: every allocated object of a SLUB cache
 * (the mm_struct cache), found without the task list.
 */
#ifndef MMLIFE_SLAB_H
#define MMLIFE_SLAB_H

#include "internal.h"

/* When the memmap is searched for full slabs. */
enum slab_memmap {
	SLAB_MEMMAP_NEVER,
	/* When the cache holds allocated objects that neither the slabs on
	 * its lists nor the caller's known set account for, and the memmap
	 * is within the bound. */
	SLAB_MEMMAP_IF_UNACCOUNTED,
	SLAB_MEMMAP_ALWAYS,
};

struct slab_request {
	const char *symbol;        /* e.g. "mm_cachep"; may be NULL */
	const char *name;          /* the cache's name, e.g. "mm_struct" */
	enum slab_memmap memmap;
	/* Objects the caller found otherwise (addresses -> any); may be
	 * NULL. Used to account for the objects of full slabs. */
	const struct mml_map *known;
	/* SLAB_MEMMAP_IF_UNACCOUNTED: page frames above which the memmap is
	 * not searched (0: no bound but MML_LIMIT_MEMMAP_PFNS). */
	uint64_t memmap_limit_pfns;
};

struct slab_stats {
	/* false: the walk could not run at all (reason says why). */
	bool available;
	/* Full slabs were searched through the memmap; without it only the
	 * per-cpu and partial slabs were seen (memmap_why says why). */
	bool memmap;
	char reason[256];
	char memmap_why[256];
	/* The nodes' counters (CONFIG_SLUB_DEBUG) were read. */
	bool counted;
	uint64_t total_objects;    /* objects in all slabs, by the counters */
	uint64_t listed_objects;   /* objects in the slabs of the lists */
	/* Allocated objects in slabs on no list that the known set does
	 * not account for (valid when counted). */
	uint64_t unaccounted;
	uint64_t max_pfn;          /* page frames of the memmap (0: unknown) */
	uint64_t cache;            /* the struct kmem_cache */
	uint64_t object_size;      /* kmem_cache.size: the object stride */
	uint64_t slabs;            /* distinct slabs of the cache */
	uint64_t lost_slabs;       /* slabs whose objects cannot be read */
	uint64_t memmap_pfns;      /* struct pages looked at */
	uint64_t memmap_holes;     /* memmap pages that could not be read */
	uint64_t objects;          /* allocated objects */
	/* Allocated objects the known set lacks, on listed slabs and on
	 * slabs found in the memmap. */
	uint64_t new_listed, new_memmap;
	uint64_t free_objects;     /* objects on freelists or in sheaves */
	/* Objects on pages the dump lacks, or in slabs whose freelist runs
	 * into one: neither free nor allocated can be told. */
	uint64_t lost_objects;
	uint64_t pages_read;       /* pages the walk fetched from the dump */
	uint64_t ms;               /* wall time of the walk */
};

/*
 * Append the address of every allocated object of the slab cache named
 * @req->name to @objects (uint64_t). The cache is the one @req->symbol
 * points to when that symbol exists (e.g. "mm_cachep"), else the
 * slab_caches entry called @req->name. Slabs come from the per-cpu slabs
 * and partial lists (<= 6.x), the per-node partial lists, and, as
 * @req->memmap says, the memmap (every slab page of the cache, full ones
 * included). Free objects are those on a slab's
 * freelist (decoded under CONFIG_SLAB_FREELIST_HARDENED), on a per-cpu
 * freelist, or in a per-cpu or barn sheaf (7.x).
 *
 * A corrupt freelist or an unreadable slab becomes a finding in
 * @findings; a missing type or symbol makes the source unavailable
 * (stats->available false), never an error. Fails only on ENOMEM.
 */
struct mml_error *mml_slab_objects(struct mml_ctx *ctx,
				   const struct slab_request *req,
				   struct mml_vec *objects,
				   struct slab_stats *stats,
				   struct mml_vec *findings);

/* What the deep scan learns about an mm no task uses: its owner task. */
struct orphan_owner {
	bool known;                /* mm->owner read (CONFIG_MEMCG) */
	uint64_t task;             /* mm->owner */
	bool readable;
	int32_t pid, tgid;
	char comm[17];
	uint64_t task_mm;          /* owner->mm */
};

/* pid, tgid and comm of the task at @task, kthread from PF_KTHREAD;
 * false when unreadable. */
bool mml_task_ref_read(struct mml_ctx *ctx, uint64_t task,
		       struct mml_task_ref *ref);

/* Read mm->owner and the few fields of that task (best effort). */
void mml_orphan_owner(struct mml_ctx *ctx, uint64_t mm,
		      struct orphan_owner *ret);

#endif
