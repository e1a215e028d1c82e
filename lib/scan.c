// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scan: tasks -> distinct mms -> per-mm walk and checks -> the report.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_loss.h"
#include "kconst.h"
#include "mm_checks.h"
#include "slab.h"
#include "walk_limits.h"
#include "tasks.h"
#include "verdict.h"

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
	/* Pages the worker threads' contexts read (scan_analyse()). */
	uint64_t worker_pages;
};

static struct scan_mm *scan_mm_get(struct scan *s, uint64_t mm,
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

static void scan_lazy_index(struct scan *s, const struct mml_vec *tasks);

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

/* init_mm.mmlist: mms with swap entries, task or not. */
static struct mml_error *scan_mmlist(struct scan *s)
{
	struct mml_ctx *ctx = s->ctx;
	const struct mml_layout *l = &ctx->layout;
	uint64_t init_mm;
	if (l->mm_mmlist == MML_ABSENT ||
	    !ctx->target.ops->symbol(ctx->target.arg, "init_mm", &init_mm))
		return NULL;
	uint64_t head = init_mm + l->mm_mmlist, pos;
	struct mml_error *err = mml_ctx_read_u64(ctx, head + l->list_head_next,
						 &pos);
	struct mml_finding_builder b = { 0 };
	struct mml_map seen;
	mml_map_init(&seen);
	uint64_t steps = 0;
	bool ok = true;
	while (!err && pos != head) {
		bool inserted;
		if (steps++ >= ctx->limits.max_list) {
			mml_finding_begin(&b, &s->global,
					  MML_CHECK_WALK_LIMIT, 0,
					  "init_mm.mmlist longer than %llu "
					  "entries",
					  (unsigned long long)ctx->limits.max_list);
			break;
		}
		if (!mml_map_insert(&seen, pos, 1, &inserted)) {
			ok = false;
			break;
		}
		if (!inserted) {
			mml_finding_begin(&b, &s->global,
					  MML_CHECK_WALK_LIMIT, 0,
					  "init_mm.mmlist loops at 0x%llx",
					  (unsigned long long)pos);
			break;
		}
		if (!scan_mm_get(s, pos - l->mm_mmlist, MML_SOURCE_MMLIST)) {
			ok = false;
			break;
		}
		err = mml_ctx_read_u64(ctx, pos + l->list_head_next, &pos);
	}
	if (err && err->code == MML_ERROR_EXCLUDED) {
		mml_finding_begin(&b, &s->global, MML_CHECK_EXCLUDED_PAGE, 0,
				  "init_mm.mmlist entry at 0x%llx is on a page "
				  "the dump lacks",
				  (unsigned long long)err->address);
		mml_ev_lost(&b, MML_LOST_MMLIST, 1);
		mml_ev_addr(&b, "address", err->address);
		mml_error_destroy(err);
	} else if (err) {
		mml_finding_begin(&b, &s->global, MML_CHECK_UNREADABLE, 0,
				  "init_mm.mmlist broken: %s", err->message);
		mml_ev_addr(&b, "address", err->address);
		mml_error_destroy(err);
	}
	mml_map_deinit(&seen);
	struct mml_error *berr = mml_finding_end(&b);
	if (!berr && !ok)
		berr = &mml_enomem;
	return berr;
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

static bool scan_report_error(struct mml_report *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool scan_report_error(struct mml_report *r, const char *fmt, ...)
{
	char **e = realloc(r->errors, (r->nerrors + 1) * sizeof(*e));
	if (!e)
		return false;
	r->errors = e;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&e[r->nerrors], fmt, ap);
	va_end(ap);
	if (n < 0)
		return false;
	r->nerrors++;
	return true;
}

static bool step_note(struct mml_discovery_step *step, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static bool step_note(struct mml_discovery_step *step, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	free(step->note);
	int n = vasprintf(&step->note, fmt, ap);
	va_end(ap);
	if (n < 0)
		step->note = NULL;
	return n >= 0;
}

/* The slab paths' part of the report's discovery block. */
static struct mml_error *scan_slab_steps(struct mml_report *r,
					 const struct slab_stats *st)
{
	struct mml_discovery_step *lists = &r->discovery[MML_PATH_SLAB_LISTS];
	struct mml_discovery_step *memmap = &r->discovery[MML_PATH_MEMMAP];
	bool ok;
	lists->ran = st->available;
	lists->mms = st->new_listed;
	lists->ms = st->ms;
	memmap->ran = st->memmap;
	memmap->mms = st->new_memmap;
	if (!st->available) {
		ok = step_note(lists, "not walked: %s", st->reason) &&
		     step_note(memmap, "not searched: no mm_struct slab");
	} else {
		ok = step_note(lists, "%llu allocated mm_structs, %llu slabs "
			       "(%llu unreadable)",
			       (unsigned long long)st->objects,
			       (unsigned long long)st->slabs,
			       (unsigned long long)st->lost_slabs) &&
		     (st->memmap
			      ? step_note(memmap, "%s; %llu struct pages read",
					  st->memmap_why,
					  (unsigned long long)st->memmap_pfns)
			      : step_note(memmap, "%s", st->memmap_why));
	}
	if (ok && !st->available &&
	    !scan_report_error(r, "discovery: mm_struct slab not walked: %s; "
			       "mms no task uses are found only on "
			       "init_mm.mmlist", st->reason))
		ok = false;
	if (ok && st->memmap && !st->memmap_pfns &&
	    !scan_report_error(r, "discovery: the memmap could not be read "
			       "(%llu pages failed): full mm_struct slabs "
			       "were not searched",
			       (unsigned long long)st->memmap_holes))
		ok = false;
	if (ok && st->available && !st->memmap && st->unaccounted &&
	    !scan_report_error(r, "discovery: %llu allocated mm_structs "
			       "were not reached (the memmap was not "
			       "searched: %s)",
			       (unsigned long long)st->unaccounted,
			       st->memmap_why))
		ok = false;
	return ok ? NULL : &mml_enomem;
}

/* Every mm the scan knows so far, for the slab's accounting: the tasks'
 * and init_mm.mmlist's, lazy-TLB active_mms, and @extra (text_poke's). */
static bool scan_known(struct scan *s, const struct mml_vec *tasks,
		       uint64_t extra, struct mml_map *known)
{
	bool inserted, ok = true;
	scan_lazy_index(s, tasks);
	for (size_t i = 0; ok && i < s->mms.len; i++)
		ok = mml_map_insert(known, MML_VEC_AT(&s->mms, struct scan_mm,
						      i)->addr, 1, &inserted);
	for (size_t i = 0; ok && i < s->lazy_index.cap; i++)
		if (s->lazy_index.keys[i])
			ok = mml_map_insert(known, s->lazy_index.keys[i], 1,
					    &inserted);
	if (ok && extra)
		ok = mml_map_insert(known, extra, 1, &inserted);
	return ok;
}

/* The mm_struct slab: its listed slabs, and the memmap as @mode says. */
static struct mml_error *scan_slab(struct scan *s, struct mml_report *r,
				   const struct mml_vec *tasks,
				   uint64_t poking_mm)
{
	struct mml_map known;
	mml_map_init(&known);
	if (!scan_known(s, tasks, poking_mm, &known)) {
		mml_map_deinit(&known);
		return &mml_enomem;
	}
	uint64_t ps = s->ctx->target.page_size ? s->ctx->target.page_size
						: 4096;
	struct slab_request req = {
		.symbol = "mm_cachep",
		.name = "mm_struct",
		.memmap = s->opts->deep ? SLAB_MEMMAP_ALWAYS
					: SLAB_MEMMAP_IF_UNACCOUNTED,
		.known = &known,
		.memmap_limit_pfns = MML_DEFAULT_MEMMAP_BYTES / ps,
	};
	struct mml_vec objs = MML_VEC_INIT(uint64_t);
	struct slab_stats st;
	struct mml_error *err = mml_slab_objects(s->ctx, &req, &objs, &st,
						 &s->global);
	mml_map_deinit(&known);
	size_t before = s->mms.len;
	for (size_t i = 0; !err && i < objs.len; i++)
		if (!scan_mm_get(s, *MML_VEC_AT(&objs, uint64_t, i),
				 MML_SOURCE_SLAB))
			err = &mml_enomem;
	mml_vec_free(&objs);
	if (err)
		return err;
	/* New here but in the known set: a lazy-TLB active_mm or
	 * poking_mm, which the walk's own counts leave out. */
	uint64_t added = s->mms.len - before;
	r->discovery_known = added > st.new_listed + st.new_memmap
				     ? added - st.new_listed - st.new_memmap
				     : 0;
	r->counts.slab_objects = st.objects;
	r->counts.slab_pages = st.pages_read;
	r->counts.slab_ms = st.ms;
	return scan_slab_steps(r, &st);
}

/* The idle and current task of each CPU's runqueue that the task list
 * lacks (idle tasks of CPUs but the first): their active_mm may hold an
 * mm no task uses (lazy TLB). */
static void scan_runqueues(struct scan *s, size_t ntasks)
{
	struct mml_ctx *ctx = s->ctx;
	const struct mml_layout *l = &ctx->layout;
	uint64_t rqs, pco, ncpu_sym;
	uint32_t ncpus = 1;
	if (l->rq_curr == MML_ABSENT || l->rq_idle == MML_ABSENT ||
	    l->task_active_mm == MML_ABSENT ||
	    !ctx->target.ops->symbol(ctx->target.arg, "runqueues", &rqs) ||
	    !ctx->target.ops->symbol(ctx->target.arg, "__per_cpu_offset",
				     &pco))
		return;
	if (ctx->target.ops->symbol(ctx->target.arg, "nr_cpu_ids",
				    &ncpu_sym) &&
	    mml_ctx_read(ctx, ncpu_sym, &ncpus, 4, NULL) != MML_READ_OK)
		ncpus = 1;
	if (ncpus > MML_LIMIT_CPUS)
		ncpus = MML_LIMIT_CPUS;
	for (uint32_t cpu = 0; cpu < ncpus; cpu++) {
		uint64_t off;
		if (mml_ctx_read(ctx, pco + 8ull * cpu, &off, 8, NULL) !=
		    MML_READ_OK)
			continue;
		uint64_t which[2] = { l->rq_idle, l->rq_curr };
		for (int k = 0; k < 2; k++) {
			uint64_t task, mm, active, v;
			bool inserted;
			if (mml_ctx_read(ctx, rqs + off + which[k], &task, 8,
					 NULL) != MML_READ_OK || !task ||
			    mml_map_get(&s->task_index, task, &v) ||
			    mml_ctx_read(ctx, task + l->task_mm, &mm, 8,
					 NULL) != MML_READ_OK || mm ||
			    mml_ctx_read(ctx, task + l->task_active_mm,
					 &active, 8, NULL) != MML_READ_OK ||
			    !active || mml_map_get(&s->lazy_index, active, &v))
				continue;
			struct mml_task_ref *ref = mml_vec_push(&s->lazy_extra);
			if (!ref || !mml_task_ref_read(ctx, task, ref)) {
				if (ref)
					s->lazy_extra.len--;
				continue;
			}
			mml_map_insert(&s->lazy_index, active,
				       ntasks + s->lazy_extra.len, &inserted);
		}
	}
}

/* The task index and the lazy-TLB index (active_mm of tasks without an
 * mm, and of the runqueues' idle and current tasks), built once. */
static void scan_lazy_index(struct scan *s, const struct mml_vec *tasks)
{
	const struct mml_layout *l = &s->ctx->layout;
	if (s->orphan_maps)
		return;
	for (size_t i = 0; i < tasks->len; i++) {
		/* ENOMEM here only loses evidence. */
		const struct task_info *t =
			MML_VEC_AT(tasks, struct task_info, i);
		bool inserted;
		mml_map_insert(&s->task_index, t->ref.task, 1, &inserted);
		uint64_t active;
		if (!t->mm && l->task_active_mm != MML_ABSENT &&
		    mml_ctx_read(s->ctx, t->ref.task + l->task_active_mm,
				 &active, 8, NULL) == MML_READ_OK && active)
			mml_map_insert(&s->lazy_index, active, i + 1,
				       &inserted);
	}
	scan_runqueues(s, tasks->len);
	s->orphan_maps = true;
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
	scan_lazy_index(s, tasks);
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

/* Which discovery the options ask for (enum order of the report). */
static const char *scan_discovery_mode(const struct mml_scan_options *o)
{
	if (o->deep)
		return "deep";
	if (o->pid || o->mm)
		return "selected";
	return o->fast ? "fast" : "default";
}

/* A note on each path that did not run, saying why. */
static struct mml_error *scan_skipped_notes(struct mml_report *r,
					    const struct mml_scan_options *o)
{
	const char *why = !strcmp(r->discovery_mode, "fast")
				  ? (o->fast_why ? o->fast_why : "--fast")
				  : "only the selected mm (--pid, --mm)";
	bool ok = true;
	if (!r->discovery[MML_PATH_MMLIST].ran)
		ok = step_note(&r->discovery[MML_PATH_MMLIST],
			       "not run: not asked for");
	for (int p = MML_PATH_SLAB_LISTS; ok && p <= MML_PATH_MEMMAP; p++)
		if (!r->discovery[p].note)
			ok = step_note(&r->discovery[p], "not run: %s", why);
	return ok ? NULL : &mml_enomem;
}

/* Every task's mm (the first discovery path), and the task counts. */
static struct mml_error *scan_tasks(struct scan *s, struct mml_report *r,
				    struct mml_vec *tasks)
{
	uint64_t groups = 0;
	struct mml_error *err = mml_tasks_collect(s->ctx, tasks, &s->global,
						  &groups);
	if (err)
		return err;
	r->counts.tasks = tasks->len;
	r->counts.thread_groups = groups;
	for (size_t i = 0; i < tasks->len; i++) {
		struct task_info *t = MML_VEC_AT(tasks, struct task_info, i);
		if (t->ref.kthread)
			r->counts.kthreads++;
		if (!t->mm)
			continue; /* kernel threads, zombies, idle tasks */
		struct scan_mm *m = scan_mm_get(s, t->mm, MML_SOURCE_TASK);
		struct mml_task_ref *ref = m ? mml_vec_push(&m->tasks) : NULL;
		if (!ref)
			return &mml_enomem;
		*ref = t->ref;
	}
	r->discovery[MML_PATH_TASKS].ran = true;
	r->discovery[MML_PATH_TASKS].mms = s->mms.len;
	return NULL;
}

/* x86's text_poke() mm: from the mm_struct slab, no task, no VMAs; 0
 * when the kernel has none. */
static uint64_t scan_poking_mm(struct mml_ctx *ctx)
{
	uint64_t poking_mm = 0, sym = 0;
	if ((ctx->target.ops->symbol(ctx->target.arg, "poking_mm", &sym) ||
	     ctx->target.ops->symbol(ctx->target.arg, "text_poke_mm", &sym)) &&
	    mml_ctx_read(ctx, sym, &poking_mm, 8, NULL) != MML_READ_OK)
		poking_mm = 0;
	return poking_mm;
}

/* What the checks are told beyond the mm itself. */
struct scan_check_env {
	const struct mml_vec *tasks;  /* struct task_info */
	uint64_t init_mm, poking_mm;
	bool rcu_in_use;
	bool tasks_lost;
};

/* The other discovery paths: init_mm.mmlist, the mm asked for, the
 * mm_struct slab (unless the mode leaves it out); init_mm and the
 * text_poke() mm into @env. */
static struct mml_error *scan_discover(struct scan *s, struct mml_report *r,
				       struct scan_check_env *env)
{
	struct mml_ctx *ctx = s->ctx;
	const struct mml_scan_options *opts = s->opts;
	struct mml_error *err;
	if (opts->mmlist && (err = scan_mmlist(s)))
		return err;
	r->discovery[MML_PATH_MMLIST].ran = opts->mmlist;
	r->discovery[MML_PATH_MMLIST].mms = s->mms.len -
					    r->discovery[MML_PATH_TASKS].mms;
	if (opts->mm && !scan_mm_get(s, opts->mm, MML_SOURCE_USER))
		return &mml_enomem;
	ctx->target.ops->symbol(ctx->target.arg, "init_mm", &env->init_mm);
	env->poking_mm = scan_poking_mm(ctx);
	r->discovery_mode = scan_discovery_mode(opts);
	if (strcmp(r->discovery_mode, "fast") &&
	    strcmp(r->discovery_mode, "selected") &&
	    (err = scan_slab(s, r, env->tasks, env->poking_mm)))
		return err;
	return scan_skipped_notes(r, opts);
}

/* One thread's share of the walks (scan_analyse()): every nparts-th
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
static struct mml_error *scan_analyse(struct scan *s, struct mml_report *r,
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
static struct mml_error *scan_check(struct scan *s,
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
		err = scan_tasks(&s, r, &tasks);
	if (err)
		goto out;
	if ((err = scan_discover(&s, r, &env)) ||
	    (err = scan_analyse(&s, r, &env.rcu_in_use)))
		goto out;
	env.tasks_lost = scan_tasks_lost(&s);
	if ((err = scan_check(&s, &env, &lost_owners)))
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
