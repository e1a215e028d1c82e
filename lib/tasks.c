// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Task enumeration: thread group leaders on init_task.tasks, their threads
 * on signal->thread_head (linked through task_struct.thread_node). Both
 * walks are bounded by the task limit and by a set of tasks already seen.
 */
#include <stdlib.h>
#include <string.h>

#include "kconst.h"
#include "tasks.h"

struct tasks_walk {
	struct mml_ctx *ctx;
	struct mml_vec *tasks;
	struct mml_vec *findings;
	struct mml_map seen;        /* every task read */
	struct mml_map listed;      /* tasks reached on init_task.tasks */
	unsigned char *buf;
	bool reported_limit;
	bool stop;              /* the list went round: leave it */
	struct mml_finding_builder b; /* its error ends the walk's result */
};

/* @obj at @at could not be read (@st is not MML_READ_OK). */
static void tasks_report(struct tasks_walk *tw, uint64_t at,
			 enum mml_read_status st, enum mml_lost_object obj)
{
	struct mml_finding_builder *b = &tw->b;
	const char *what = mml_lost_object_name(obj);
	if (st == MML_READ_EXCLUDED) {
		/* The dump's loss, not the kernel's: the tasks behind it are
		 * not checked (dump-incomplete counts them). */
		mml_finding_begin(b, tw->findings, MML_CHECK_EXCLUDED_PAGE, 0,
				  "%s at 0x%llx is on a page the dump lacks",
				  what, (unsigned long long)at);
		mml_ev_lost(b, obj, 1);
	} else {
		mml_finding_begin(b, tw->findings, MML_CHECK_TASK_LIST, 0,
				  "%s at 0x%llx is unreadable (%s)", what,
				  (unsigned long long)at,
				  mml_read_status_name(st));
		mml_ev_str(b, "reason", "%s", mml_read_status_name(st));
	}
	mml_ev_addr(b, "address", at);
}

/* The lists are readable but do not hold together: @what at @at. */
static void tasks_broken(struct tasks_walk *tw, uint64_t at,
			 const char *what)
{
	struct mml_finding_builder *b = &tw->b;
	mml_finding_begin(b, tw->findings, MML_CHECK_TASK_LIST, 0,
			  "%s at 0x%llx", what, (unsigned long long)at);
	mml_ev_addr(b, "address", at);
}

/* Read the task at @task; false if unreadable (reported). */
static bool task_read(struct tasks_walk *tw, uint64_t task,
		      struct task_info *ti)
{
	const struct mml_layout *l = &tw->ctx->layout;
	uint64_t fault;
	enum mml_read_status st = mml_ctx_read(tw->ctx, task, tw->buf,
					       tw->ctx->task_read_size,
					       &fault);
	if (st != MML_READ_OK) {
		tasks_report(tw, task, st, MML_LOST_TASK_STRUCT);
		return false;
	}
	memset(ti, 0, sizeof(*ti));
	ti->ref.task = task;
	ti->ref.pid = (int32_t)mml_get_u32(tw->buf, l->task_pid);
	ti->ref.tgid = (int32_t)mml_get_u32(tw->buf, l->task_tgid);
	size_t clen = l->task_comm_len < sizeof(ti->ref.comm)
			      ? l->task_comm_len
			      : sizeof(ti->ref.comm) - 1;
	memcpy(ti->ref.comm, tw->buf + l->task_comm, clen);
	ti->ref.comm[clen] = '\0';
	for (char *c = ti->ref.comm; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	ti->mm = mml_get_u64(tw->buf, l->task_mm);
	ti->flags = mml_get_u32(tw->buf, l->task_flags);
	ti->exit_state = mml_get_u32(tw->buf, l->task_exit_state);
	ti->ref.kthread = ti->flags & MML_PF_KTHREAD;
	ti->ref.exiting = (ti->flags & MML_PF_EXITING) || ti->exit_state;
	return true;
}

static bool tasks_add(struct tasks_walk *tw, const struct task_info *ti)
{
	struct task_info *slot = mml_vec_push(tw->tasks);
	if (!slot)
		return false;
	*slot = *ti;
	return true;
}

/*
 * Follow a list_head ring from @head (a kernel address of the list head),
 * calling back with the address of each containing object (entry address
 * minus @member_off). Returns false on ENOMEM.
 */
typedef bool (*list_fn)(struct tasks_walk *tw, uint64_t obj, void *arg);

static bool list_walk(struct tasks_walk *tw, uint64_t head,
		      uint64_t member_off, enum mml_lost_object what,
		      list_fn fn, void *arg)
{
	uint64_t pos, fault;
	struct mml_error *err = mml_ctx_read_u64(tw->ctx,
						 head + tw->ctx->layout.list_head_next,
						 &pos);
	if (err) {
		tasks_report(tw, err->address,
			     err->code == MML_ERROR_EXCLUDED ? MML_READ_EXCLUDED
							     : MML_READ_INVALID,
			     what);
		mml_error_destroy(err);
		return true;
	}
	uint64_t steps = 0;
	while (pos != head) {
		if (tw->tasks->len >= tw->ctx->limits.max_tasks ||
		    steps++ >= tw->ctx->limits.max_tasks) {
			if (!tw->reported_limit)
				tasks_broken(tw, pos,
					     "task list does not close "
					     "within the task limit");
			tw->reported_limit = true;
			return true;
		}
		uint64_t obj = pos - member_off;
		if (!fn(tw, obj, arg))
			return false;
		if (tw->stop) {
			tw->stop = false;
			return true;
		}
		unsigned char w[8];
		enum mml_read_status st = mml_ctx_read(
			tw->ctx, pos + tw->ctx->layout.list_head_next, w, 8,
			&fault);
		if (st != MML_READ_OK) {
			tasks_report(tw, pos, st, what);
			return true;
		}
		uint64_t next = mml_get_u64(w, 0);
		if (!next || next == pos) {
			tasks_broken(tw, pos,
				     "list entry points to itself or NULL");
			return true;
		}
		pos = next;
	}
	return true;
}

struct group_arg {
	uint64_t leader;
	bool leader_seen_in_group;
};

static bool thread_fn(struct tasks_walk *tw, uint64_t task, void *arg)
{
	struct group_arg *ga = arg;
	bool inserted;
	if (!mml_map_insert(&tw->seen, task, 1, &inserted))
		return false;
	if (!inserted) {
		if (task == ga->leader) {
			ga->leader_seen_in_group = true;
		} else {
			/* A ring that does not come back to its head. */
			tasks_broken(tw, task,
				     "thread reached twice on a thread list");
			tw->stop = true;
		}
		return true;
	}
	struct task_info ti;
	if (!task_read(tw, task, &ti))
		return true;
	return tasks_add(tw, &ti);
}

static bool leader_fn(struct tasks_walk *tw, uint64_t task, void *arg)
{
	(void)arg;
	const struct mml_layout *l = &tw->ctx->layout;
	bool inserted;
	if (!mml_map_insert(&tw->listed, task, 1, &inserted))
		return false;
	if (!inserted) {
		/* A ring that does not come back to init_task: following it
		 * further would only go round again. */
		tasks_broken(tw, task,
			     "task reached twice on the task list");
		tw->stop = true;
		return true;
	}
	if (!mml_map_insert(&tw->seen, task, 1, &inserted))
		return false;
	if (!inserted) {
		/* Already read as a thread of another group: the lists
		 * cross, but this one may still lead on to more groups. */
		tasks_broken(tw, task,
			     "task on the task list is also on another "
			     "group's thread list");
		return true;
	}
	struct task_info ti;
	if (!task_read(tw, task, &ti))
		return true;
	if (!tasks_add(tw, &ti))
		return false;
	/* The other threads of the group. */
	uint64_t signal = mml_get_u64(tw->buf, l->task_signal);
	if (!signal)
		return true; /* a dead task keeps its group-less state */
	struct group_arg ga = { .leader = task };
	return list_walk(tw, signal + l->signal_thread_head,
			 l->task_thread_node, MML_LOST_THREAD_LIST, thread_fn,
			 &ga);
}

struct mml_error *mml_tasks_collect(struct mml_ctx *ctx,
				    struct mml_vec *tasks,
				    struct mml_vec *findings,
				    uint64_t *thread_groups_ret)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t init_task;
	if (!ctx->target.ops->symbol(ctx->target.arg, "init_task", &init_task))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"symbol init_task not found");
	struct tasks_walk tw = {
		.ctx = ctx, .tasks = tasks, .findings = findings,
	};
	mml_map_init(&tw.seen);
	mml_map_init(&tw.listed);
	tw.buf = malloc(ctx->task_read_size);
	if (!tw.buf)
		return &mml_enomem;

	bool ok = true;
	/* init_task (the boot CPU's idle task) heads the list itself. */
	bool inserted;
	struct task_info ti;
	if (!mml_map_insert(&tw.seen, init_task, 1, &inserted) ||
	    !mml_map_insert(&tw.listed, init_task, 1, &inserted)) {
		ok = false;
	} else if (task_read(&tw, init_task, &ti)) {
		ok = tasks_add(&tw, &ti);
		if (ok)
			ok = list_walk(&tw, init_task + l->task_tasks,
				       l->task_tasks, MML_LOST_TASK_LIST,
				       leader_fn, NULL);
	} else {
		free(tw.buf);
		mml_map_deinit(&tw.seen);
		mml_map_deinit(&tw.listed);
		mml_error_destroy(mml_finding_end(&tw.b));
		return mml_error_create(MML_ERROR_INPUT,
					"init_task at 0x%llx is unreadable: "
					"wrong vmlinux or a damaged dump",
					(unsigned long long)init_task);
	}
	uint64_t groups = 0;
	for (size_t i = 0; i < tasks->len; i++) {
		struct task_info *t = MML_VEC_AT(tasks, struct task_info, i);
		if (t->ref.pid == t->ref.tgid)
			groups++;
	}
	*thread_groups_ret = groups;
	free(tw.buf);
	mml_map_deinit(&tw.seen);
	mml_map_deinit(&tw.listed);
	struct mml_error *err = mml_finding_end(&tw.b);
	if (!err && !ok)
		err = &mml_enomem;
	return err;
}
