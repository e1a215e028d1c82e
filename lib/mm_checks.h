/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MMLIFE_MM_CHECKS_H
#define MMLIFE_MM_CHECKS_H

#include "mm.h"
#include "slab.h"

struct mm_check_input {
	const struct mm_state *st;
	const struct mml_task_ref *tasks;   /* tasks whose ->mm is this mm */
	size_t ntasks;
	unsigned int sources;               /* enum mml_mm_source */
	bool is_init_mm;
	/* The dump's live trees use RCU mode (kernel 6.1.22+/6.3+). */
	bool rcu_in_use;
	/* Look up the tasks of another mm (for stale-vma evidence). */
	void (*tasks_of)(void *arg, uint64_t mm,
			 const struct mml_task_ref **tasks, size_t *n);
	void *tasks_of_arg;
	/* For an mm no task uses (NULL / 0 otherwise): its owner task, whether
	 * that task is on the task list (dup_mm()'s failure path resets the
	 * owner to NULL), and a task whose active_mm it is (lazy TLB). */
	const struct orphan_owner *owner;
	bool owner_on_list;
	/* A task's mm with the same exec image addresses (start_stack,
	 * arg_start, env_start, start_brk: dup_mm() copies them) and at least
	 * as many VMAs: the parent when this mm is a failed fork's child. */
	uint64_t image_mm;
	size_t image_candidates;
	/* mm->binfmt was read and is NULL: dup_mm()'s failure path clears
	 * it, exec sets it, nothing else leaves a user mm without one. */
	bool binfmt_null;
	bool binfmt_known;
	const struct mml_task_ref *lazy;
	size_t nlazy;
	/* Report an mm kept only by mm_count (orphan-held), which the kernel
	 * produces on every exit: asked for with --deep or by address. */
	bool report_held;
	/* The task walk hit pages the dump lacks: an mm in use with no task
	 * may be one of the lost tasks', so orphan-leaked is not said. */
	bool tasks_incomplete;
};

/* Append the findings about one mm to @out (struct mml_finding) and set
 * *@facts to what they established; an error (ENOMEM) when a finding
 * could not be stored. */
struct mml_error *mml_mm_check(const struct mm_check_input *in,
			       struct mml_vec *out, struct mml_mm_facts *facts);

#endif
