/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scan's state, shared by its three files: scan.c (mml_scan() and the
 * report it builds), scan_discover.c (finding the mms: tasks,
 * init_mm.mmlist, the mm_struct slab, lazy-TLB references) and
 * scan_analyse.c (reading, walking and checking the selected mms, the
 * walks split among threads).
 */
#ifndef MMLIFE_SCAN_STATE_H
#define MMLIFE_SCAN_STATE_H

#include "internal.h"
#include "mm.h"

struct scan_mm {
	uint64_t addr;
	unsigned int sources;
	struct mml_vec tasks;        /* struct mml_task_ref */
	struct mm_state st;
	struct mml_vec findings;     /* struct mml_finding */
	struct mml_mm_facts facts;   /* what the findings established */
	bool selected;
};

struct scan {
	struct mml_ctx *ctx;
	const struct mml_scan_options *opts;
	struct mml_vec mms;          /* struct scan_mm */
	struct mml_map index;        /* mm address -> index + 1 */
	struct mml_vec global;       /* struct mml_finding not about one mm */
	/* For mms no task uses, built on the first one (zeroed = empty): */
	bool orphan_maps;
	struct mml_map task_index;   /* task address -> 1 */
	struct mml_map lazy_index;   /* active_mm of a task without an mm ->
					index + 1 of the first such task in
					tasks, then in lazy_extra */
	struct mml_vec lazy_extra;   /* struct mml_task_ref: idle and current
					tasks of the runqueues not on the
					task list */
	/* Pages the worker threads' contexts read (mml_scan_analyse()). */
	uint64_t worker_pages;
};

/* What the checks are told beyond the mm itself. */
struct scan_check_env {
	const struct mml_vec *tasks;  /* struct task_info */
	uint64_t init_mm, poking_mm;
	bool rcu_in_use;
	bool tasks_lost;
};

/* ---- scan.c ---- */

/* The scan's entry for @mm, added (with no task) if new; @source or-ed
 * into its sources. NULL on ENOMEM. */
struct scan_mm *mml_scan_mm_get(struct scan *s, uint64_t mm,
				unsigned int source);

/* ---- scan_discover.c ---- */

/* Every task's mm (the first discovery path), and the task counts. */
struct mml_error *mml_scan_tasks(struct scan *s, struct mml_report *r,
				 struct mml_vec *tasks);
/* The other discovery paths (init_mm.mmlist, the mm asked for, the
 * mm_struct slab); init_mm and the text_poke() mm into @env. */
struct mml_error *mml_scan_discover(struct scan *s, struct mml_report *r,
				    struct scan_check_env *env);
/* The task index and the lazy-TLB index, built on the first call. */
void mml_scan_lazy_index(struct scan *s, const struct mml_vec *tasks);

/* ---- scan_analyse.c ---- */

/* Read and walk every selected mm, split among threads when the front
 * end allows it; *@rcu_in_use_ret: a live tree is in RCU mode. */
struct mml_error *mml_scan_analyse(struct scan *s, struct mml_report *r,
				   bool *rcu_in_use_ret);
/* The per-mm checks on every selected mm; *@lost_owners_ret: mms in use
 * with no task and no finding. */
struct mml_error *mml_scan_check(struct scan *s,
				 const struct scan_check_env *env,
				 uint64_t *lost_owners_ret);

#endif /* MMLIFE_SCAN_STATE_H */
