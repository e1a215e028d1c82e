/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef MMLIFE_MM_CHECKS_H
#define MMLIFE_MM_CHECKS_H

#include "mm.h"

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
};

/* Append the findings about one mm to @out (struct mml_finding). */
void mml_mm_check(const struct mm_check_input *in, struct mml_vec *out);

#endif
