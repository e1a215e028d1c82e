// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The scan's discovery: every mm a task uses, init_mm.mmlist, the
 * mm_struct slab (its listed slabs, and the memmap when its counters call
 * for it), and the lazy-TLB references that account for mms no task uses.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_state.h"
#include "slab.h"
#include "tasks.h"
#include "walk_limits.h"

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
		if (!mml_scan_mm_get(s, pos - l->mm_mmlist,
				     MML_SOURCE_MMLIST)) {
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
	mml_scan_lazy_index(s, tasks);
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
		if (!mml_scan_mm_get(s, *MML_VEC_AT(&objs, uint64_t, i),
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
void mml_scan_lazy_index(struct scan *s, const struct mml_vec *tasks)
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
struct mml_error *mml_scan_tasks(struct scan *s, struct mml_report *r,
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
		struct scan_mm *m = mml_scan_mm_get(s, t->mm,
						    MML_SOURCE_TASK);
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

/* The other discovery paths: init_mm.mmlist, the mm asked for, the
 * mm_struct slab (unless the mode leaves it out); init_mm and the
 * text_poke() mm into @env. */
struct mml_error *mml_scan_discover(struct scan *s, struct mml_report *r,
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
	if (opts->mm && !mml_scan_mm_get(s, opts->mm, MML_SOURCE_USER))
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
