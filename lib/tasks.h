/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Enumerating tasks from init_task. */
#ifndef MMLIFE_TASKS_H
#define MMLIFE_TASKS_H

#include "internal.h"

struct task_info {
	struct mml_task_ref ref;
	uint64_t mm;
	uint32_t flags;
	uint32_t exit_state;
};

/*
 * Every thread of every thread group, from init_task's tasks list and each
 * group's signal->thread_head. Trouble (an unreadable task, a list that does
 * not close) becomes a "task-list" finding in @findings; the walk keeps
 * what it read. Fails only on ENOMEM or when init_task is unknown.
 */
struct mml_error *mml_tasks_collect(struct mml_ctx *ctx,
				    struct mml_vec *tasks /* task_info */,
				    struct mml_vec *findings,
				    uint64_t *thread_groups_ret);

#endif
