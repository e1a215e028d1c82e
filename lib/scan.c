// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scan: tasks -> distinct mms -> per-mm walk and checks -> the report.
 * Finding the mms is scan_discover.c's, walking and checking them
 * scan_analyse.c's; this file runs the steps and builds the report.
 */
#include <stdlib.h>
#include <string.h>

#include "dump_loss.h"
#include "kconst.h"
#include "scan_state.h"
#include "tasks.h"
#include "verdict.h"

struct scan_mm *mml_scan_mm_get(struct scan *s, uint64_t mm,
				unsigned int source)
{
	uint64_t idx;
	if (mml_map_get(&s->index, mm, &idx)) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm,
					       idx - 1);
		m->sources |= source;
		return m;
	}
	struct scan_mm *m = mml_vec_push(&s->mms);
	if (!m)
		return NULL;
	m->addr = mm;
	m->sources = source;
	m->tasks = (struct mml_vec)MML_VEC_INIT(struct mml_task_ref);
	m->findings = (struct mml_vec)MML_VEC_INIT(struct mml_finding);
	bool inserted;
	if (!mml_map_insert(&s->index, mm, s->mms.len, &inserted)) {
		s->mms.len--;
		return NULL;
	}
	return m;
}

static void scan_free(struct scan *s)
{
	for (size_t i = 0; i < s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm, i);
		mml_vec_free(&m->tasks);
		for (size_t j = 0; j < m->findings.len; j++)
			mml_finding_free(MML_VEC_AT(&m->findings,
						    struct mml_finding, j));
		mml_vec_free(&m->findings);
	}
	mml_vec_free(&s->mms);
	for (size_t j = 0; j < s->global.len; j++)
		mml_finding_free(MML_VEC_AT(&s->global, struct mml_finding, j));
	mml_vec_free(&s->global);
	mml_map_deinit(&s->index);
	mml_map_deinit(&s->task_index);
	mml_map_deinit(&s->lazy_index);
	mml_vec_free(&s->lazy_extra);
}

/* Move everything into the report model. */
static struct mml_error *scan_build_report(struct scan *s,
					   struct mml_report *r)
{
	size_t nsel = 0, nfind = s->global.len;
	for (size_t i = 0; i < s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm, i);
		if (m->selected) {
			nsel++;
			nfind += m->findings.len;
		}
	}
	r->mms = calloc(nsel ? nsel : 1, sizeof(*r->mms));
	r->findings = calloc(nfind ? nfind : 1, sizeof(*r->findings));
	if (!r->mms || !r->findings)
		return &mml_enomem;
	for (size_t i = 0; i < s->mms.len; i++) {
		struct scan_mm *m = MML_VEC_AT(&s->mms, struct scan_mm, i);
		if (!m->selected)
			continue;
		struct mml_mm *o = &r->mms[r->nmms++];
		const struct mm_state *st = &m->st;
		o->addr = m->addr;
		o->sources = m->sources;
		o->readable = st->readable;
		o->flags = st->flags;
		o->map_count = st->map_count;
		o->mm_users = st->mm_users;
		o->mm_count = st->mm_count;
		o->ma_root = st->walk.root;
		o->ma_flags = st->walk.ma_flags;
		o->tasks = m->tasks.data;
		o->ntasks = m->tasks.len;
		m->tasks = (struct mml_vec)MML_VEC_INIT(struct mml_task_ref);
		o->tree = (struct mml_tree_summary){
			.walked = st->walked,
			.complete = st->walked && st->walk.complete,
			.rcu = st->walk.ma_flags & MML_MT_FLAGS_USE_RCU,
			.height = st->walk.height,
			.depth = st->walk.depth,
			.nodes = st->walk.nodes,
			.entries = st->entries,
			.vmas = st->vmas,
			.foreign = st->foreign,
			.xa_zero = st->xa_zero,
			.bad = st->bad,
		};
		o->facts = m->facts;
		o->first_finding = r->nfindings;
		o->nfindings = m->findings.len;
		if (m->findings.len)
			memcpy(&r->findings[r->nfindings], m->findings.data,
			       m->findings.len * sizeof(struct mml_finding));
		r->nfindings += m->findings.len;
		m->findings.len = 0;
	}
	if (s->global.len)
		memcpy(&r->findings[r->nfindings], s->global.data,
		       s->global.len * sizeof(struct mml_finding));
	r->nfindings += s->global.len;
	s->global.len = 0;
	return NULL;
}

/* The worst severity and whether there are findings: of the kernel class
 * only; dump findings are counted apart. */
static void scan_report_severity(struct mml_report *r)
{
	r->any_findings = false;
	r->worst = MML_SEV_INFO;
	r->dump_findings = 0;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct mml_finding *f = &r->findings[i];
		if (f->check->finding_class == MML_CLASS_DUMP) {
			r->dump_findings++;
			continue;
		}
		r->any_findings = true;
		if (f->severity > r->worst)
			r->worst = f->severity;
	}
}

/* Did the task walk run into pages the dump lacks? */
static bool scan_tasks_lost(const struct scan *s)
{
	for (size_t i = 0; i < s->global.len; i++) {
		const struct mml_finding *f =
			MML_VEC_AT(&s->global, struct mml_finding, i);
		if (mml_check_is(f->check, MML_CHECK_EXCLUDED_PAGE))
			return true;
	}
	return false;
}

/* The dump class: fold what was lost into one finding, then the severity
 * summary of the kernel class. */
static struct mml_error *scan_dump_loss(struct scan *s, struct mml_report *r,
					size_t nglobal, uint64_t lost_owners)
{
	int32_t nr_threads = -1;
	uint64_t sym;
	if (!s->ctx->target.ops->symbol(s->ctx->target.arg, "nr_threads",
					&sym) ||
	    mml_ctx_read(s->ctx, sym, &nr_threads, 4, NULL) != MML_READ_OK)
		nr_threads = -1;
	struct dump_loss_input in = {
		.nglobal = nglobal,
		.excluded_reads = mml_reader_excluded(s->ctx->reader),
		/* nr_threads leaves out init_task, which the walk counts. */
		.tasks_walked = r->counts.tasks ? r->counts.tasks - 1 : 0,
		.nr_threads = nr_threads,
		.mms_without_tasks = lost_owners,
		.dump_level = s->opts->dump_level,
	};
	struct mml_error *err = mml_dump_loss_summarise(&in, r);
	scan_report_severity(r);
	return err;
}

struct mml_error *mml_scan(struct mml_ctx *ctx,
			   const struct mml_scan_options *opts,
			   struct mml_report **ret)
{
	struct mml_scan_options defaults = { .mmlist = true };
	if (!opts)
		opts = &defaults;
	struct scan s = {
		.ctx = ctx,
		.opts = opts,
		.mms = MML_VEC_INIT(struct scan_mm),
		.global = MML_VEC_INIT(struct mml_finding),
		.lazy_extra = MML_VEC_INIT(struct mml_task_ref),
	};
	mml_map_init(&s.index);
	struct mml_vec tasks = MML_VEC_INIT(struct task_info);
	struct scan_check_env env = { .tasks = &tasks };
	struct mml_report *r = calloc(1, sizeof(*r));
	struct mml_error *err = r ? NULL : &mml_enomem;
	uint64_t lost_owners;

	if (!err)
		err = mml_scan_tasks(&s, r, &tasks);
	if (err)
		goto out;
	if ((err = mml_scan_discover(&s, r, &env)) ||
	    (err = mml_scan_analyse(&s, r, &env.rcu_in_use)))
		goto out;
	env.tasks_lost = scan_tasks_lost(&s);
	if ((err = mml_scan_check(&s, &env, &lost_owners)))
		goto out;
	size_t nglobal = s.global.len;
	err = scan_build_report(&s, r);
	if (!err)
		err = mml_report_verdicts(ctx, opts, r);
	if (!err)
		err = scan_dump_loss(&s, r, nglobal, lost_owners);
	r->counts.pages_read = mml_reader_pages_read(ctx->reader) +
			       s.worker_pages;
	r->counts.excluded_reads = mml_reader_excluded(ctx->reader);
out:
	mml_vec_free(&tasks);
	scan_free(&s);
	if (err) {
		mml_report_destroy(r);
		return err;
	}
	*ret = r;
	return NULL;
}
