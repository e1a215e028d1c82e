/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The core's entry points: a context over a target and a layout, a scan of
 * every mm in the dump, and a walk of one mm's VMAs.
 */
#ifndef MMLIFE_SCAN_H
#define MMLIFE_SCAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "layout.h"
#include "model.h"
#include "target.h"

/* Walk limits. Each bounds one loop over dump data; see lib/walk_limits.h. */
struct mml_limits {
	uint64_t max_tasks;        /* threads on the task list */
	uint64_t max_nodes;        /* maple nodes in one tree */
	uint64_t max_list;         /* entries of other lists (mmlist) */
	uint64_t cache_pages;      /* pages kept by the reader */
};

void mml_limits_default(struct mml_limits *ret);

struct mml_ctx;

struct mml_error *mml_ctx_create(const struct mml_target *target,
				 const struct mml_layout *layout,
				 const struct mml_limits *limits,
				 struct mml_ctx **ret);
void mml_ctx_destroy(struct mml_ctx *ctx);
/* Pages fetched from the target so far (for benchmarks). */
uint64_t mml_ctx_pages_read(const struct mml_ctx *ctx);

/*
 * Optional read-ahead hints, outside struct mml_target_ops (whose layout
 * is the front ends' ABI). With @prefetch set, the walk names pages it is
 * about to read: when it decodes an internal maple node, its children;
 * when it decodes a leaf, the VMAs in its slots (plausible kernel
 * pointers only, never XA_ZERO_ENTRY or another internal entry), and
 * those of the next leaves whose nodes its cache already holds. @addr is
 * the start of a page the core's cache does not hold; a page is named
 * once in a row, and may never be read (the walk stops, the cache
 * evicts it first). Called on the thread that runs the core, which goes
 * on reading through ops->read as before: the front end may fetch the
 * page in the background, or ignore the hint. NULL turns hints off (the
 * default, at no cost).
 */
void mml_ctx_set_prefetch(struct mml_ctx *ctx,
			  void (*prefetch)(void *arg, uint64_t addr),
			  void *arg);

/*
 * Optional worker threads for mml_scan()'s walks: up to @n more threads,
 * when the selected mms hold @min_vmas VMAs or more (their map_count; 0:
 * always); below, a split costs more than it saves (each thread fetches
 * again the pages the others hold). On the first scan that splits, the
 * core calls @prepare(@arg) on the calling thread for @n more targets on
 * the same dump (NULL: no split, one thread), each then read through only
 * from the one thread the core starts for it, while the calling thread
 * reads through the context's own. The mms are split among the threads
 * in a fixed order (every (1 + n)-th), each walked on a context of its
 * own (its own cache of pages). The report is the same either way but for
 * counts.pages_read, which then adds up every thread's. The targets stay
 * the caller's and must outlive the scans; only their ops->read is used.
 * @n 0 turns workers off (the default).
 */
void mml_ctx_set_workers(struct mml_ctx *ctx, unsigned int n,
			 uint64_t min_vmas,
			 const struct mml_target *(*prepare)(void *arg),
			 void *arg);
/* The threads the last mml_scan() walked the mms on (1 without a split). */
unsigned int mml_ctx_threads_used(const struct mml_ctx *ctx);

struct mml_scan_options {
	/* Only the mm of this pid (0: all). */
	int32_t pid;
	/* Only this mm (0: all). */
	uint64_t mm;
	/* Also walk init_mm.mmlist for mms that no task references. */
	bool mmlist;
	/* How mms no task uses are found (all paths add to the tasks'):
	 * - default (both false): init_mm.mmlist when mmlist is set, the
	 *   mm_struct slab's per-cpu and partial slabs, and the memmap's full
	 *   slabs when the cache's counters show allocated mm_structs that
	 *   nothing else accounts for and RAM is within
	 *   MML_DEFAULT_MEMMAP_BYTES (lib/slab.c);
	 * - fast: init_mm.mmlist only (when mmlist is set);
	 * - deep: the whole memmap, whatever the counters say. */
	bool fast;
	bool deep;
	/* The kernel release as the front end knows it (VMCOREINFO
	 * OSRELEASE), used when init_uts_ns cannot be read; may be NULL. */
	const char *release;
	/* makedumpfile's dump level (-d) as the front end read it from the
	 * dump, or -1; 0 with a zeroed struct reads as "unknown" too, since a
	 * level-0 dump excludes nothing. */
	int32_t dump_level;
	/* Lines of the kernel log kept in the report (0: the default, 50). */
	uint32_t log_lines;
	/* Why @fast is set, for the report's notes on the paths it leaves
	 * out, when the front end set it rather than the user: e.g. "crash
	 * --minimal has no page tables". NULL: the user's --fast. */
	const char *fast_why;
};

/*
 * Scan the dump: enumerate tasks from init_task, deduplicate their mms,
 * decode each maple tree and run the checks. Problems in the dump become
 * findings or report errors; the returned error is only for conditions that
 * make a report impossible (no memory, no init_task).
 */
struct mml_error *mml_scan(struct mml_ctx *ctx,
			   const struct mml_scan_options *opts,
			   struct mml_report **ret);

/* One leaf entry of an mm's tree, as the maps view and -v see it. */
enum mml_entry_kind {
	MML_ENTRY_VMA,        /* a VMA of this mm */
	MML_ENTRY_FOREIGN,    /* a VMA whose vm_mm is another mm */
	MML_ENTRY_XA_ZERO,    /* the failed-fork marker */
	MML_ENTRY_BAD,        /* not a VMA (unreadable, bad tag, ...) */
};

struct mml_entry {
	enum mml_entry_kind kind;
	uint64_t first, last;      /* index range of the slot */
	uint64_t value;            /* raw slot value */
	/* Read from the VMA when kind is VMA or FOREIGN: */
	uint64_t vm_start, vm_end, vm_flags, vm_pgoff, vm_mm, vm_file;
	/* The device and inode of vm_file (0 without one), as maps shows. */
	uint32_t dev;
	uint64_t ino;
	/* The maps name column: the file's path, [heap], [stack], a special
	 * mapping's name ([vdso], [vvar], ...), or "". */
	char file[256];
};

typedef void (*mml_entry_fn)(void *arg, const struct mml_entry *entry);
/* One node as -v prints it. */
typedef void (*mml_node_fn)(void *arg, unsigned int depth, uint64_t node,
			    unsigned int type, uint64_t min, uint64_t max);

/* Walk the tree of the mm at @mm, calling @entry_fn for every non-NULL
 * leaf entry in index order and @node_fn (may be NULL) for every node. */
struct mml_error *mml_mm_walk(struct mml_ctx *ctx, uint64_t mm,
			      mml_entry_fn entry_fn, mml_node_fn node_fn,
			      void *arg);

/* The mm of task @pid (its thread group leader's), or an error. */
struct mml_error *mml_pid_to_mm(struct mml_ctx *ctx, int32_t pid,
				uint64_t *mm_ret);

#endif /* MMLIFE_SCAN_H */
