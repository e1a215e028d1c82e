// SPDX-License-Identifier: GPL-2.0-or-later
/* Walking one mm for the maps view and -v, and finding a pid's mm. */
#include <string.h>

#include "maple.h"
#include "mm.h"
#include "tasks.h"

struct walk_arg {
	struct mml_ctx *ctx;
	uint64_t mm;
	mml_entry_fn entry_fn;
	mml_node_fn node_fn;
	void *arg;
};

static void walk_entry(void *arg, uint64_t first, uint64_t last,
		       uint64_t value)
{
	struct walk_arg *wa = arg;
	struct mml_entry e;
	enum mml_read_status st;
	mml_entry_classify(wa->ctx, wa->mm, first, last, value, &e, &st);
	e.file[0] = '\0';
	if (e.kind == MML_ENTRY_VMA || e.kind == MML_ENTRY_FOREIGN)
		mml_vma_maps_columns(wa->ctx, &e);
	if (wa->entry_fn)
		wa->entry_fn(wa->arg, &e);
}

static void walk_node(void *arg, unsigned int depth, uint64_t node,
		      unsigned int type, uint64_t min, uint64_t max)
{
	struct walk_arg *wa = arg;
	if (wa->node_fn)
		wa->node_fn(wa->arg, depth, node, type, min, max);
}

struct mml_error *mml_mm_walk(struct mml_ctx *ctx, uint64_t mm,
			      mml_entry_fn entry_fn, mml_node_fn node_fn,
			      void *arg)
{
	struct walk_arg wa = {
		.ctx = ctx, .mm = mm, .entry_fn = entry_fn,
		.node_fn = node_fn, .arg = arg,
	};
	struct maple_visitor v = {
		.arg = &wa, .entry = walk_entry, .node = walk_node,
	};
	struct maple_walk_result res;
	return mml_maple_walk(ctx, mm + ctx->layout.mm_mt, &v, &res);
}

struct mml_error *mml_pid_to_mm(struct mml_ctx *ctx, int32_t pid,
				uint64_t *mm_ret)
{
	struct mml_vec tasks = MML_VEC_INIT(struct task_info);
	struct mml_vec findings = MML_VEC_INIT(struct mml_finding);
	uint64_t groups;
	struct mml_error *err = mml_tasks_collect(ctx, &tasks, &findings,
						  &groups);
	for (size_t i = 0; i < findings.len; i++)
		mml_finding_free(MML_VEC_AT(&findings, struct mml_finding, i));
	mml_vec_free(&findings);
	if (err) {
		mml_vec_free(&tasks);
		return err;
	}
	err = mml_error_create(MML_ERROR_NOT_FOUND, "no task with pid %d",
			       pid);
	for (size_t i = 0; i < tasks.len; i++) {
		struct task_info *t = MML_VEC_AT(&tasks, struct task_info, i);
		if (t->ref.pid != pid)
			continue;
		mml_error_destroy(err);
		if (t->mm) {
			*mm_ret = t->mm;
			err = NULL;
		} else {
			err = mml_error_create(MML_ERROR_NOT_FOUND,
					       "pid %d (%s) has no mm (kernel "
					       "thread or zombie)", pid,
					       t->ref.comm);
		}
		break;
	}
	mml_vec_free(&tasks);
	return err;
}
