// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scan's analysis: the selected mms read and their trees walked, the
 * walks split among the front end's worker targets when it gave some,
 * then the per-mm checks.
 */
#include <pthread.h>
#include <stdlib.h>

#include "kconst.h"
#include "mm_checks.h"
#include "scan_state.h"
#include "slab.h"
#include "tasks.h"
#include "walk_limits.h"

static void scan_tasks_of(void *arg, uint64_t mm,
			  const struct mml_task_ref **tasks, size_t *n)
{
	struct scan *s = arg;
	uint64_t idx;
	*tasks = NULL;
	*n = 0;
	if (mml_map_get(&s->index, mm, &idx)) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm,
					       idx - 1);
		*tasks = m->tasks.data;
		*n = m->tasks.len;
	}
}

static bool task_matches(const struct scan_mm *m, int32_t pid)
{
	for (size_t i = 0; i < m->tasks.len; i++) {
		const struct mml_task_ref *t = MML_VEC_AT(&m->tasks,
							  struct mml_task_ref,
							  i);
		if (t->pid == pid || t->tgid == pid)
			return true;
	}
	return false;
}

/* What the checks need to know about an mm no task uses. */
static void scan_orphan(struct scan *s, const struct mml_vec *tasks,
			struct scan_mm *m, struct orphan_owner *owner,
			struct mml_task_ref *lazy, size_t *nlazy,
			struct mm_check_input *in)
{
	const struct mml_layout *l = &s->ctx->layout;
	*nlazy = 0;
	if (!m->st.readable)
		return;
	mml_orphan_owner(s->ctx, m->addr, owner);
	in->owner = owner;
	mml_scan_lazy_index(s, tasks);
	uint64_t v;
	in->owner_on_list = owner->task &&
			    mml_map_get(&s->task_index, owner->task, &v);
	if (mml_map_get(&s->lazy_index, m->addr, &v) && v &&
	    v <= tasks->len) {
		lazy[0] = MML_VEC_AT(tasks, struct task_info, v - 1)->ref;
		*nlazy = 1;
	} else if (v > tasks->len && v - tasks->len <= s->lazy_extra.len) {
		lazy[0] = *MML_VEC_AT(&s->lazy_extra, struct mml_task_ref,
				      v - tasks->len - 1);
		*nlazy = 1;
	}
	in->lazy = lazy;
	in->nlazy = *nlazy;
	uint64_t binfmt;
	in->binfmt_known = l->mm_binfmt != MML_ABSENT &&
			   mml_ctx_read(s->ctx, m->addr + l->mm_binfmt,
					&binfmt, 8, NULL) == MML_READ_OK;
	in->binfmt_null = in->binfmt_known && !binfmt;

	uint64_t offs[] = { l->mm_start_stack, l->mm_arg_start,
			    l->mm_env_start, l->mm_start_brk };
	uint64_t mine[4], theirs[4];
	for (int k = 0; k < 4; k++)
		if (offs[k] == MML_ABSENT ||
		    mml_ctx_read(s->ctx, m->addr + offs[k], &mine[k], 8,
				 NULL) != MML_READ_OK || !mine[k])
			return;
	for (size_t i = 0; i < s->mms.len; i++) {
		const struct scan_mm *o = MML_VEC_AT(&s->mms, struct scan_mm,
						     i);
		if (o == m || !o->tasks.len)
			continue;
		/* With --mm or --pid only the chosen mm was read. */
		struct mm_state tmp;
		const struct mm_state *ost = &o->st;
		if (!o->selected) {
			mml_mm_read(s->ctx, o->addr, &tmp);
			ost = &tmp;
		}
		if (!ost->readable || ost->map_count < m->st.map_count)
			continue;
		int k;
		for (k = 0; k < 4; k++)
			if (mml_ctx_read(s->ctx, o->addr + offs[k], &theirs[k],
					 8, NULL) != MML_READ_OK ||
			    theirs[k] != mine[k])
				break;
		if (k < 4)
			continue;
		if (!in->image_mm)
			in->image_mm = o->addr;
		in->image_candidates++;
	}
}

/* One thread's share of the walks (mml_scan_analyse()): every nparts-th
 * selected mm from the part-th, on its own context. */
struct analyse_part {
	struct scan *s;
	struct mml_ctx *ctx;
	unsigned int part, nparts;
	struct mml_error *err;
	uint64_t mms, vmas, nodes;
	bool rcu_in_use;
};

static void *analyse_part_run(void *arg)
{
	struct analyse_part *p = arg;
	size_t k = 0;
	for (size_t i = 0; !p->err && i < p->s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&p->s->mms, struct scan_mm, i);
		if (!m->selected || k++ % p->nparts != p->part)
			continue;
		p->err = mml_mm_analyse(p->ctx, &m->st);
		if (p->err)
			break;
		if (m->tasks.len && m->st.mm_users > 0 &&
		    (m->st.walk.ma_flags & MML_MT_FLAGS_USE_RCU))
			p->rcu_in_use = true;
		p->mms++;
		p->vmas += m->st.vmas;
		p->nodes += m->st.walk.nodes;
	}
	return NULL;
}

/* The mms the options select, their mm_structs read; how many, and
 * *@vmas_ret: the VMAs their map_count says they hold. */
static size_t scan_select(struct scan *s, uint64_t *vmas_ret)
{
	const struct mml_scan_options *opts = s->opts;
	size_t n = 0;
	*vmas_ret = 0;
	for (size_t i = 0; i < s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm, i);
		m->selected = (!opts->mm || m->addr == opts->mm) &&
			      (!opts->pid || task_matches(m, opts->pid));
		if (!m->selected)
			continue;
		n++;
		mml_mm_read(s->ctx, m->addr, &m->st);
		if (m->st.readable && m->st.map_count > 0)
			*vmas_ret += (uint64_t)m->st.map_count;
	}
	return n;
}

/* Part @k (1 on) on a worker thread with a context of its own over the
 * front end's k-th worker target; false: it is to run on this thread. */
static bool analyse_part_start(struct analyse_part *p, unsigned int k,
			       pthread_t *thread)
{
	const struct mml_ctx *ctx = p->s->ctx;
	struct mml_error *err = mml_ctx_create(&ctx->workers[k - 1],
					       &ctx->layout, &ctx->limits,
					       &p->ctx);
	if (err) {
		mml_error_destroy(err);
		p->ctx = NULL;
		return false;   /* not even a context: run on ours */
	}
	if (pthread_create(thread, NULL, analyse_part_run, p) == 0)
		return true;
	mml_ctx_destroy(p->ctx);
	p->ctx = NULL;
	return false;
}

/* Read and walk every mm the options select, the walks split among the
 * front end's worker targets when it gave some and the mms hold enough
 * VMAs (mml_ctx_set_workers()); *@rcu_in_use_ret: a live tree is in RCU
 * mode (the kernel uses it). */
struct mml_error *mml_scan_analyse(struct scan *s, struct mml_report *r,
				   bool *rcu_in_use_ret)
{
	struct mml_ctx *ctx = s->ctx;
	uint64_t vmas;
	size_t n = scan_select(s, &vmas);
	unsigned int nparts = 1 + (ctx->nworkers < MML_LIMIT_WORKERS
					   ? ctx->nworkers
					   : MML_LIMIT_WORKERS);
	if (nparts > n)
		nparts = n ? (unsigned int)n : 1;
	if (vmas < ctx->workers_min_vmas)
		nparts = 1;
	if (nparts > 1 && !ctx->workers)
		ctx->workers = ctx->workers_prepare(ctx->workers_arg);
	if (!ctx->workers)
		nparts = 1;
	struct analyse_part parts[1 + MML_LIMIT_WORKERS] = { 0 };
	pthread_t threads[1 + MML_LIMIT_WORKERS];
	bool started[1 + MML_LIMIT_WORKERS] = { false };
	for (unsigned int k = 0; k < nparts; k++) {
		parts[k] = (struct analyse_part){ .s = s, .ctx = ctx,
						  .part = k, .nparts = nparts };
		if (k)
			started[k] = analyse_part_start(&parts[k], k,
							&threads[k]);
	}
	struct mml_error *err = NULL;
	*rcu_in_use_ret = false;
	ctx->threads_used = 1;
	for (unsigned int k = 0; k < nparts; k++) {
		ctx->threads_used += k && started[k];
		if (k && started[k])
			pthread_join(threads[k], NULL);
		else if (k)
			parts[k].ctx = ctx;
		if (!started[k])
			analyse_part_run(&parts[k]);
		if (!err)
			err = parts[k].err;
		*rcu_in_use_ret |= parts[k].rcu_in_use;
		r->counts.mms += parts[k].mms;
		r->counts.vmas += parts[k].vmas;
		r->counts.nodes += parts[k].nodes;
		if (started[k]) {
			s->worker_pages += mml_ctx_pages_read(parts[k].ctx);
			mml_reader_merge_excluded(ctx->reader,
						  parts[k].ctx->reader);
			mml_ctx_destroy(parts[k].ctx);
		}
	}
	return err;
}

/* The per-mm checks on every selected mm; *@lost_owners_ret: mms in use
 * with no task and no finding, whose tasks may be on lost pages. */
struct mml_error *mml_scan_check(struct scan *s,
				 const struct scan_check_env *env,
				 uint64_t *lost_owners_ret)
{
	*lost_owners_ret = 0;
	for (size_t i = 0; i < s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm, i);
		if (!m->selected)
			continue;
		struct mm_check_input in = {
			.st = &m->st,
			.tasks = m->tasks.data,
			.ntasks = m->tasks.len,
			.sources = m->sources,
			.is_init_mm = m->addr == env->init_mm ||
				      (env->poking_mm &&
				       m->addr == env->poking_mm),
			.rcu_in_use = env->rcu_in_use,
			.report_held = s->opts->deep ||
				       (m->sources & MML_SOURCE_USER),
			.tasks_incomplete = env->tasks_lost,
			.tasks_of = scan_tasks_of,
			.tasks_of_arg = s,
		};
		struct orphan_owner owner;
		struct mml_task_ref lazy[1];
		size_t nlazy;
		if (!m->tasks.len && !in.is_init_mm)
			scan_orphan(s, env->tasks, m, &owner, lazy, &nlazy,
				    &in);
		struct mml_error *err = mml_mm_check(&in, &m->findings,
						     &m->facts);
		if (err)
			return err;
		if (env->tasks_lost && !m->tasks.len && !in.is_init_mm &&
		    m->st.readable && m->st.mm_users > 0 && !m->findings.len)
			(*lost_owners_ret)++;
	}
	return NULL;
}
