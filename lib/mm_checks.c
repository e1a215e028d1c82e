// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From what the walk of one mm saw to findings. Each check is one function
 * named after its finding id (check_xa_zero() for xa-zero, ...), run by
 * mml_mm_check() in report order; it starts its finding by the id's
 * enum mml_check_id, attaches the evidence a reader needs to verify it by
 * hand in crash or drgn, sets the typed facts the verdicts read (struct
 * mml_mm_facts) and returns the builder's error, if any.
 */
#include <stdio.h>
#include <string.h>

#include "kconst.h"
#include "mm_checks.h"

#define FLAG(st, bit) (((st)->flags >> (bit)) & 1)

static const char *status_text(enum mml_read_status s)
{
	return mml_read_status_name(s);
}

static void add_tasks_evidence(struct mml_finding_builder *b, const char *key,
			       const struct mml_task_ref *tasks, size_t n)
{
	if (!n)
		return;
	char buf[256] = "";
	size_t len = 0;
	for (size_t i = 0; i < n && len < sizeof(buf) - 40; i++) {
		if (i == 4) {
			len += snprintf(buf + len, sizeof(buf) - len,
					" and %zu more", n - i);
			break;
		}
		len += snprintf(buf + len, sizeof(buf) - len, "%s%d %s",
				i ? ", " : "", tasks[i].pid, tasks[i].comm);
	}
	mml_ev_str(b, key, "%s", buf);
}

/* What several checks derive from one mm's state, computed once. */
struct mm_view {
	const struct mm_check_input *in;
	const struct mm_state *st;
	struct mml_mm_facts *facts; /* what the checks found, typed */
	uint64_t mm;
	bool oom_skip, unstable;
	bool empty;                 /* readable, and the tree has no root */
	bool used;                  /* a task's ->mm */
	size_t live_tasks;          /* of those, not exiting */
	enum orphan_kind {
		ORPHAN_NONE,        /* used, init_mm, or freed (mm_count 0) */
		ORPHAN_OTHER,       /* none of the kinds below */
		/* A failed fork's child, the reason it is one: */
		ORPHAN_FORK_MARKER, /* its tree stops at XA_ZERO */
		ORPHAN_FORK_TORN,   /* torn down, both MMF flags set */
		ORPHAN_FORK_TORN_UNFLAGGED, /* torn down, told by binfmt */
		ORPHAN_FORK_PREFIX, /* a consistent prefix (6.1 - 6.7) */
		ORPHAN_HELD,        /* kept by mm_count only */
		ORPHAN_LEAKED,      /* mm_users > 0, no task */
	} orphan;
};

typedef struct mml_error *mm_check_fn(const struct mm_view *v,
				      struct mml_vec *out);

/*
 * The maple-node problems the walk (maple.c) recorded, one finding per
 * kind: node-type, dead-node, parent-slot, pivot-order, metadata,
 * tree-height, gap-value, gap-range, gap-meta, gap-past-end,
 * adjacent-nulls, walk-limit and bad-entry (an internal slot or the
 * root), and unreadable / excluded-page for a node. The walk decides
 * each; this only renders the first example and the count.
 */
static void node_problem_evidence(struct mml_finding_builder *b, int k,
				  const struct mm_example *ex)
{
	if (k == MP_UNREADABLE) {
		mml_ev_str(b, "reason", "%s", status_text(ex->status));
		if (ex->status == MML_READ_EXCLUDED)
			mml_ev_lost(b, MML_LOST_MAPLE_NODE, ex->count);
	}
	if (ex->node)
		mml_ev_addr(b, "node", ex->node);
	if (k != MP_ROOT_ENTRY)
		mml_ev_range(b, "node_range", ex->first, ex->last);
	switch (k) {
	case MP_NODE_TYPE:
	case MP_UNREADABLE:
	case MP_BAD_CHILD:
	case MP_CYCLE:
		mml_ev_hex(b, "value", ex->value);
		mml_ev_u64(b, "slot", ex->slot);
		break;
	case MP_ROOT_ENTRY:
		mml_ev_hex(b, "ma_root", ex->value);
		break;
	case MP_HEIGHT:
		mml_ev_u64(b, "depth", ex->value);
		mml_ev_u64(b, "height", ex->expected);
		break;
	case MP_METADATA:
		mml_ev_u64(b, "meta_end", ex->value);
		mml_ev_u64(b, "pivot_end", ex->expected);
		break;
	case MP_NODE_LIMIT:
		mml_ev_u64(b, "limit", ex->value);
		break;
	case MP_GAP:
	case MP_GAP_RANGE:
	case MP_GAP_PAST_END:
		mml_ev_u64(b, "slot", ex->slot);
		mml_ev_hex(b, "gap", ex->value);
		mml_ev_hex(b, "expected", ex->expected);
		break;
	case MP_GAP_META:
		mml_ev_u64(b, "meta_gap", ex->value);
		mml_ev_u64(b, "largest_gap_slot", ex->expected);
		break;
	case MP_NULLS:
		mml_ev_u64(b, "slot", ex->slot);
		mml_ev_range(b, "nulls", ex->value, ex->expected);
		break;
	default:
		mml_ev_u64(b, "slot", ex->slot);
		mml_ev_hex(b, "value", ex->value);
		mml_ev_hex(b, "expected", ex->expected);
		break;
	}
	mml_ev_u64(b, "depth_in_tree", ex->depth);
	mml_ev_u64(b, "occurrences", ex->count);
}

static struct mml_error *check_node_problems(const struct mm_view *v,
					     struct mml_vec *out)
{
	static const struct {
		enum mml_check_id id;
		const char *what;
	} kinds[MM_PROBLEM_KINDS] = {
		[MP_UNREADABLE] = { MML_CHECK_UNREADABLE, "maple node unreadable" },
		[MP_NODE_TYPE] = { MML_CHECK_NODE_TYPE, "maple node of unexpected type" },
		[MP_DEAD] = { MML_CHECK_DEAD_NODE, "dead maple node still linked" },
		[MP_PARENT] = { MML_CHECK_PARENT_SLOT, "maple parent pointer does not match" },
		[MP_PIVOT] = { MML_CHECK_PIVOT_ORDER, "maple pivots out of order or range" },
		[MP_METADATA] = { MML_CHECK_METADATA, "maple metadata end disagrees with the pivots" },
		[MP_HEIGHT] = { MML_CHECK_TREE_HEIGHT, "tree height disagrees with ma_flags" },
		[MP_CYCLE] = { MML_CHECK_WALK_LIMIT, "maple node reached twice (cycle)" },
		[MP_NODE_LIMIT] = { MML_CHECK_WALK_LIMIT, "more maple nodes than the node limit" },
		[MP_BAD_CHILD] = { MML_CHECK_BAD_ENTRY, "internal maple slot holds no node" },
		[MP_ROOT_ENTRY] = { MML_CHECK_BAD_ENTRY, "tree root holds a single entry, not a node" },
		[MP_GAP] = { MML_CHECK_GAP_VALUE, "maple gap is not the largest gap below its slot" },
		[MP_GAP_RANGE] = { MML_CHECK_GAP_RANGE, "maple gap exceeds its slot's range" },
		[MP_GAP_META] = { MML_CHECK_GAP_META, "maple meta.gap does not name the largest gap" },
		[MP_GAP_PAST_END] = { MML_CHECK_GAP_PAST_END, "maple gap past the node's end is not 0" },
		[MP_NULLS] = { MML_CHECK_ADJACENT_NULLS, "two adjacent NULL entries in the tree" },
	};
	struct mml_finding_builder b = { 0 };
	for (int k = 0; k < MM_PROBLEM_KINDS; k++) {
		const struct mm_example *ex = &v->st->problems[k];
		if (!ex->count)
			continue;
		if (k == MP_UNREADABLE)
			mml_finding_begin(&b, out,
					  ex->status == MML_READ_EXCLUDED
						  ? MML_CHECK_EXCLUDED_PAGE
						  : kinds[k].id,
					  v->mm,
					  "%s: node 0x%llx (%s)%s",
					  kinds[k].what,
					  (unsigned long long)ex->node,
					  status_text(ex->status),
					  ex->count > 1 ? ", and more" : "");
		else
			mml_finding_begin(&b, out, kinds[k].id, v->mm,
					  "%s%s", kinds[k].what,
					  ex->count > 1 ? " (several times)"
							: "");
		node_problem_evidence(&b, k, ex);
	}
	return mml_finding_end(&b);
}

/* unreadable / excluded-page: the mm_struct itself. */
static struct mml_error *check_mm_unreadable(const struct mm_view *v,
					     struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	struct mml_finding_builder b = { 0 };
	bool lost = st->status == MML_READ_EXCLUDED;
	mml_finding_begin(&b, out,
			  lost ? MML_CHECK_EXCLUDED_PAGE : MML_CHECK_UNREADABLE,
			  v->mm, "mm_struct unreadable (%s)",
			  status_text(st->status));
	if (lost)
		mml_ev_lost(&b, MML_LOST_MM_STRUCT, 1);
	mml_ev_str(&b, "reason", "%s", status_text(st->status));
	add_tasks_evidence(&b, "tasks", v->in->tasks, v->in->ntasks);
	return mml_finding_end(&b);
}

/* unreadable / excluded-page: the maple tree header in the mm_struct. */
static struct mml_error *check_tree_unreadable(const struct mm_view *v,
					       struct mml_vec *out)
{
	struct mml_finding_builder b = { 0 };
	bool lost = v->st->tree_status == MML_READ_EXCLUDED;
	mml_finding_begin(&b, out,
			  lost ? MML_CHECK_EXCLUDED_PAGE : MML_CHECK_UNREADABLE,
			  v->mm, "maple tree header unreadable (%s)",
			  status_text(v->st->tree_status));
	if (lost)
		mml_ev_lost(&b, MML_LOST_MM_STRUCT, 1);
	return mml_finding_end(&b);
}

/* xa-zero: the failed-fork marker and what follows it. */
static struct mml_error *check_xa_zero(const struct mm_view *v,
				       struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	if (!st->xa_zero)
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_XA_ZERO, v->mm,
			  "XA_ZERO_ENTRY at [0x%llx-0x%llx]: a fork "
			  "failed here and left %llu entries after it",
			  (unsigned long long)st->xa_first[0],
			  (unsigned long long)st->xa_last[0],
			  (unsigned long long)st->after_marker);
	mml_ev_range(&b, "range", st->xa_first[0], st->xa_last[0]);
	mml_ev_u64(&b, "markers", st->xa_zero);
	for (uint64_t i = 1; i < st->xa_zero && i < MM_XA_RANGES_MAX; i++)
		mml_ev_range(&b, "other_range", st->xa_first[i],
			     st->xa_last[i]);
	if (st->last_vma) {
		mml_ev_addr(&b, "last_child_vma", st->last_vma);
		mml_ev_range(&b, "last_child_vma_range", st->last_vma_start,
			     st->last_vma_end - 1);
	}
	mml_ev_u64(&b, "child_vmas", st->vmas);
	mml_ev_u64(&b, "entries_after_marker", st->after_marker);
	mml_ev_hex(&b, "flags", st->flags);
	add_tasks_evidence(&b, "tasks", v->in->tasks, v->in->ntasks);
	v->facts->marker = true;
	v->facts->marker_first = st->xa_first[0];
	v->facts->marker_last = st->xa_last[0];
	v->facts->child_vmas = st->vmas;
	v->facts->after_marker = st->after_marker;
	return mml_finding_end(&b);
}

/* The tasks of another mm @mm, for evidence (none without a lookup). */
static void other_tasks(const struct mm_check_input *in, uint64_t mm,
			const struct mml_task_ref **tasks, size_t *n)
{
	*tasks = NULL;
	*n = 0;
	if (in->tasks_of)
		in->tasks_of(in->tasks_of_arg, mm, tasks, n);
}

/* stale-vma: one finding per other mm whose VMAs the tree holds. */
static struct mml_error *check_stale_vma(const struct mm_view *v,
					 struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	struct mml_finding_builder b = { 0 };
	for (size_t i = 0; i < st->nforeign_mms; i++) {
		const struct mm_foreign *f = &st->foreign_mms[i];
		const struct mml_task_ref *ft;
		size_t nft;
		other_tasks(v->in, f->mm, &ft, &nft);
		mml_finding_begin(&b, out, MML_CHECK_STALE_VMA, v->mm,
				  "%llu VMAs belong to mm 0x%llx%s%s%s",
				  (unsigned long long)f->count,
				  (unsigned long long)f->mm,
				  nft ? " (" : "", nft ? ft[0].comm : "",
				  nft ? ")" : "");
		mml_ev_addr(&b, "other_mm", f->mm);
		mml_ev_u64(&b, "count", f->count);
		mml_ev_addr(&b, "first_vma", f->vma);
		mml_ev_range(&b, "first_range", f->first, f->last);
		mml_ev_bool(&b, "after_xa_zero", f->after_marker && st->xa_zero);
		add_tasks_evidence(&b, "other_mm_tasks", ft, nft);
		v->facts->stale_vmas += f->count;
		if (!v->facts->stale_mm)
			v->facts->stale_mm = f->mm;
	}
	return mml_finding_end(&b);
}

/* flags-mismatch: a marker without both MMF flags (64c37e134b12 sets them
 * with the marker). */
static struct mml_error *check_flags_mismatch(const struct mm_view *v,
					      struct mml_vec *out)
{
	if (!v->st->xa_zero || (v->unstable && v->oom_skip))
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_FLAGS_MISMATCH, v->mm,
			  "tree holds XA_ZERO but %s%s%s not set: "
			  "walkers are not kept away from it",
			  !v->oom_skip ? "MMF_OOM_SKIP" : "",
			  !v->oom_skip && !v->unstable ? " and " : "",
			  !v->unstable ? "MMF_UNSTABLE" : "");
	mml_ev_hex(&b, "flags", v->st->flags);
	mml_ev_bool(&b, "MMF_OOM_SKIP", v->oom_skip);
	mml_ev_bool(&b, "MMF_UNSTABLE", v->unstable);
	return mml_finding_end(&b);
}

/* What an mm no task uses is, if anything (see enum orphan_kind). */
static enum orphan_kind orphan_classify(const struct mm_view *v)
{
	const struct mm_check_input *in = v->in;
	const struct mm_state *st = v->st;
	/* mm_count 0: __mmdrop() freed it; a slab object that still looks
	 * like an mm (a free object the slab walk could not tell) is none. */
	if (v->used || in->is_init_mm || st->mm_count <= 0)
		return ORPHAN_NONE;
	if (st->xa_zero)
		return ORPHAN_FORK_MARKER;
	/* An OOM-reaped victim after exit_mmap() has the same flags and
	 * tree; only a failed fork has lost its binfmt. */
	if (v->empty && v->oom_skip && v->unstable && st->map_count > 0 &&
	    (!in->binfmt_known || in->binfmt_null))
		return ORPHAN_FORK_TORN;
	/* The same without trusting the flags: a kernel that no longer sets
	 * MMF_UNSTABLE on a failed fork (MMF_OOM_SKIP alone), the
	 * __mt_dup()-failure path (no flag at all), or its child after
	 * exit_mmap() (which sets MMF_OOM_SKIP itself). Told from a
	 * legitimate teardown by binfmt, which only dup_mm()'s failure path
	 * clears, and from a failed exec's bprm->mm (binfmt NULL too) by the
	 * parent found through the exec image dup_mm() copied. */
	if (v->empty && !v->unstable && in->binfmt_known && in->binfmt_null &&
	    in->image_mm && st->map_count >= 0)
		return ORPHAN_FORK_TORN_UNFLAGGED;
	/* 6.1 - 6.7, or a failure past the last VMA: a consistent prefix of
	 * the parent's VMAs, never put in RCU mode, no users, binfmt cleared
	 * by dup_mm()'s failure path (a normally exiting fork child keeps
	 * its parent's), and a task's mm with the same exec image and at
	 * least as many VMAs. */
	if (in->image_mm && in->binfmt_null && st->mm_users == 0 &&
	    st->walk.root && !v->oom_skip &&
	    (uint64_t)(int64_t)st->map_count == st->vmas && !st->foreign &&
	    !(st->walk.ma_flags & MML_MT_FLAGS_USE_RCU))
		return ORPHAN_FORK_PREFIX;
	if (!(in->sources & MML_SOURCE_SLAB))
		return ORPHAN_OTHER;
	/* exit_mmap() ran or runs; mm_count keeps the struct. */
	if (st->mm_users <= 0 && in->report_held)
		return ORPHAN_HELD;
	if (st->mm_users > 0 && !in->tasks_incomplete)
		return ORPHAN_LEAKED;
	return ORPHAN_OTHER;
}

static bool orphan_is_fork(enum orphan_kind k)
{
	return k >= ORPHAN_FORK_MARKER && k <= ORPHAN_FORK_PREFIX;
}

static void orphan_fork_begin(const struct mm_view *v,
			      struct mml_finding_builder *b,
			      struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	switch (v->orphan) {
	case ORPHAN_FORK_MARKER:
		mml_finding_begin(b, out, MML_CHECK_ORPHAN_FORK, v->mm,
				  "half-initialized fork: no task uses this "
				  "mm and its tree stops at an XA_ZERO marker");
		break;
	case ORPHAN_FORK_TORN:
		mml_finding_begin(b, out, MML_CHECK_ORPHAN_FORK, v->mm,
				  "half-initialized fork torn down: no task, "
				  "empty tree, MMF_OOM_SKIP and MMF_UNSTABLE, "
				  "map_count %d", st->map_count);
		break;
	case ORPHAN_FORK_TORN_UNFLAGGED:
		mml_finding_begin(b, out, MML_CHECK_ORPHAN_FORK, v->mm,
				  "half-initialized fork torn down: no task, "
				  "empty tree, %s, binfmt NULL, map_count %d, "
				  "a task's exec image",
				  v->oom_skip ? "MMF_OOM_SKIP alone"
					      : "neither MMF flag",
				  st->map_count);
		break;
	default:
		mml_finding_begin(b, out, MML_CHECK_ORPHAN_FORK, v->mm,
				  "half-initialized fork: no task, mm_users 0, "
				  "binfmt NULL, a prefix of %llu VMAs of a "
				  "task's image, out of RCU mode",
				  (unsigned long long)st->vmas);
		break;
	}
	/* Severity follows the verdict: a marker with the parent's VMAs
	 * behind it is what walkers crash on; a torn-down tree is an empty
	 * mm (the task_numa_work() class) that 7.x flags; a consistent
	 * prefix is freed by exit_mmap() like any mm. */
	if (b->cur)
		b->cur->severity = v->orphan == ORPHAN_FORK_MARKER
					   ? MML_SEV_ERROR
				   : v->orphan == ORPHAN_FORK_PREFIX
					   ? MML_SEV_INFO
					   : MML_SEV_WARNING;
}

/* The failed fork's parent and how it was found, as evidence. */
static void orphan_fork_parent(const struct mm_view *v,
			       struct mml_finding_builder *b)
{
	const struct mm_check_input *in = v->in;
	const struct mm_state *st = v->st;
	uint64_t parent = 0;
	const char *how = NULL;
	if (st->xa_zero && st->nforeign_mms) {
		parent = st->foreign_mms[0].mm;
		how = "vm_mm of the stale VMAs after the marker";
	} else if (in->image_mm) {
		parent = in->image_mm;
		how = in->image_candidates > 1
			      ? "first of several task mms with the same "
				"exec image (start_stack, arg_start, "
				"env_start, start_brk) and as many VMAs"
			      : "the task mm with the same exec image "
				"(start_stack, arg_start, env_start, "
				"start_brk) and as many VMAs";
	}
	if (parent) {
		const struct mml_task_ref *pt;
		size_t npt;
		other_tasks(in, parent, &pt, &npt);
		mml_ev_addr(b, "parent_mm", parent);
		add_tasks_evidence(b, "parent_tasks", pt, npt);
		mml_ev_str(b, "parent_found_by", "%s", how);
		v->facts->parent_mm = parent;
		v->facts->parent_found_by = how;
	}
	if (in->image_candidates > 1)
		mml_ev_u64(b, "parent_candidates", in->image_candidates);
}

/* orphan-fork: an mm no task uses, holding a failed fork's state. */
static struct mml_error *check_orphan_fork(const struct mm_view *v,
					   struct mml_vec *out)
{
	const struct mm_check_input *in = v->in;
	const struct mm_state *st = v->st;
	if (!orphan_is_fork(v->orphan))
		return NULL;
	struct mml_finding_builder b = { 0 };
	orphan_fork_begin(v, &b, out);
	v->facts->failed_fork = true;
	mml_ev_hex(&b, "flags", st->flags);
	mml_ev_i64(&b, "map_count", st->map_count);
	mml_ev_i64(&b, "mm_users", st->mm_users);
	mml_ev_i64(&b, "mm_count", st->mm_count);
	orphan_fork_parent(v, &b);
	if (in->owner)
		mml_ev_bool(&b, "binfmt_null", in->binfmt_null);
	mml_ev_str(&b, "found_by", "%s",
		   (in->sources & MML_SOURCE_MMLIST) ? "init_mm.mmlist"
		   : (in->sources & MML_SOURCE_SLAB) ? "mm_struct slab"
						     : "address given");
	return mml_finding_end(&b);
}

/* orphan-held: no task, mm_users 0, kept by mm_count (--deep only). */
static struct mml_error *check_orphan_held(const struct mm_view *v,
					   struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	if (v->orphan != ORPHAN_HELD)
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_ORPHAN_HELD, v->mm,
			  "mm no task uses, %s, kept by mm_count %d%s",
			  v->empty ? "torn down" : "being torn down",
			  st->mm_count, v->in->nlazy ? " (lazy TLB)" : "");
	mml_ev_i64(&b, "mm_users", st->mm_users);
	mml_ev_i64(&b, "mm_count", st->mm_count);
	mml_ev_i64(&b, "map_count", st->map_count);
	mml_ev_hex(&b, "flags", st->flags);
	mml_ev_bool(&b, "tree_empty", v->empty);
	add_tasks_evidence(&b, "lazy_tlb_tasks", v->in->lazy, v->in->nlazy);
	return mml_finding_end(&b);
}

/* orphan-leaked: no task, yet mm_users > 0. */
static struct mml_error *check_orphan_leaked(const struct mm_view *v,
					     struct mml_vec *out)
{
	const struct mm_check_input *in = v->in;
	const struct mm_state *st = v->st;
	if (v->orphan != ORPHAN_LEAKED)
		return NULL;
	struct mml_finding_builder b = { 0 };
	if (in->binfmt_null && v->empty)
		mml_finding_begin(&b, out, MML_CHECK_ORPHAN_LEAKED, v->mm,
				  "mm no task uses with mm_users %d, no VMAs "
				  "and no binfmt: an exec in progress "
				  "(bprm->mm) or a kernel mm", st->mm_users);
	else
		mml_finding_begin(&b, out, MML_CHECK_ORPHAN_LEAKED, v->mm,
				  "mm no task uses with mm_users %d: an "
				  "mmget() holder or a leaked reference",
				  st->mm_users);
	mml_ev_i64(&b, "mm_users", st->mm_users);
	mml_ev_i64(&b, "mm_count", st->mm_count);
	mml_ev_i64(&b, "map_count", st->map_count);
	mml_ev_hex(&b, "flags", st->flags);
	if (in->owner && in->owner->task) {
		mml_ev_addr(&b, "owner_task", in->owner->task);
		mml_ev_bool(&b, "owner_on_task_list", in->owner_on_list);
	}
	return mml_finding_end(&b);
}

/* empty-live-mm: a live mm with nothing in it. */
static struct mml_error *check_empty_live_mm(const struct mm_view *v,
					     struct mml_vec *out)
{
	const struct mm_check_input *in = v->in;
	const struct mm_state *st = v->st;
	if (!v->empty || !v->used || st->mm_users <= 0 || in->is_init_mm)
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_EMPTY_LIVE_MM, v->mm,
			  "mm of %d %s has no VMAs (mm_users %d)",
			  in->tasks[0].pid, in->tasks[0].comm, st->mm_users);
	mml_ev_i64(&b, "map_count", st->map_count);
	mml_ev_i64(&b, "mm_users", st->mm_users);
	mml_ev_hex(&b, "ma_flags", st->walk.ma_flags);
	mml_ev_hex(&b, "flags", st->flags);
	add_tasks_evidence(&b, "tasks", in->tasks, in->ntasks);
	v->facts->empty_live = true;
	return mml_finding_end(&b);
}

/* map-count: map_count against the VMAs that are really there. */
static struct mml_error *check_map_count(const struct mm_view *v,
					 struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	struct mml_finding_builder b = { 0 };
	bool count_known = st->walked && st->walk.complete &&
			   !st->vma_unreadable.count;
	if (count_known && st->walk.root &&
	    (uint64_t)(int64_t)st->map_count != st->vmas) {
		mml_finding_begin(&b, out, MML_CHECK_MAP_COUNT, v->mm,
				  "map_count %d but the tree holds %llu VMAs "
				  "of this mm", st->map_count,
				  (unsigned long long)st->vmas);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_u64(&b, "vmas", st->vmas);
		mml_ev_u64(&b, "foreign", st->foreign);
		mml_ev_u64(&b, "xa_zero", st->xa_zero);
	} else if (v->empty && v->used && st->mm_users > 0 && st->map_count) {
		mml_finding_begin(&b, out, MML_CHECK_MAP_COUNT, v->mm,
				  "map_count %d but the tree is empty",
				  st->map_count);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_u64(&b, "vmas", 0);
	}
	return mml_finding_end(&b);
}

/* vma-range: a VMA's bounds against the slot that holds it. */
static struct mml_error *check_vma_range(const struct mm_view *v,
					 struct mml_vec *out)
{
	const struct mm_example *ex = &v->st->range_bad;
	if (!ex->count)
		return NULL;
	struct mml_finding_builder b = { 0 };
	/* The walk keeps vm_start in ->expected and vm_end in ->node. */
	mml_finding_begin(&b, out, MML_CHECK_VMA_RANGE, v->mm,
			  "VMA 0x%llx spans [0x%llx-0x%llx) but sits "
			  "in slot [0x%llx-0x%llx]%s",
			  (unsigned long long)ex->value,
			  (unsigned long long)ex->expected,
			  (unsigned long long)ex->node,
			  (unsigned long long)ex->first,
			  (unsigned long long)ex->last,
			  ex->count > 1 ? ", and more" : "");
	mml_ev_addr(&b, "vma", ex->value);
	mml_ev_range(&b, "slot_range", ex->first, ex->last);
	mml_ev_hex(&b, "vm_start", ex->expected);
	mml_ev_hex(&b, "vm_end", ex->node);
	mml_ev_u64(&b, "occurrences", ex->count);
	return mml_finding_end(&b);
}

/* unreadable / excluded-page: VMAs the tree points to. */
static struct mml_error *check_vma_unreadable(const struct mm_view *v,
					      struct mml_vec *out)
{
	const struct mm_example *ex = &v->st->vma_unreadable;
	if (!ex->count)
		return NULL;
	struct mml_finding_builder b = { 0 };
	bool lost = ex->status == MML_READ_EXCLUDED;
	mml_finding_begin(&b, out,
			  lost ? MML_CHECK_EXCLUDED_PAGE : MML_CHECK_UNREADABLE,
			  v->mm, "%llu VMAs unreadable, first 0x%llx (%s)",
			  (unsigned long long)ex->count,
			  (unsigned long long)ex->value,
			  status_text(ex->status));
	mml_ev_addr(&b, "vma", ex->value);
	mml_ev_range(&b, "slot_range", ex->first, ex->last);
	mml_ev_str(&b, "reason", "%s", status_text(ex->status));
	mml_ev_u64(&b, "occurrences", ex->count);
	if (lost)
		mml_ev_lost(&b, MML_LOST_VMA, ex->count);
	return mml_finding_end(&b);
}

/* bad-entry: a leaf slot that holds neither NULL, XA_ZERO nor a VMA. */
static struct mml_error *check_bad_entry(const struct mm_view *v,
					 struct mml_vec *out)
{
	const struct mm_example *ex = &v->st->entry_bad;
	if (!ex->count)
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_BAD_ENTRY, v->mm,
			  "slot [0x%llx-0x%llx] holds 0x%llx, not a VMA%s",
			  (unsigned long long)ex->first,
			  (unsigned long long)ex->last,
			  (unsigned long long)ex->value,
			  ex->count > 1 ? ", and more" : "");
	mml_ev_range(&b, "slot_range", ex->first, ex->last);
	mml_ev_hex(&b, "value", ex->value);
	mml_ev_u64(&b, "occurrences", ex->count);
	return mml_finding_end(&b);
}

/* no-rcu: only dup_mmap() and exit_mmap() take a tree out of RCU mode. */
static struct mml_error *check_no_rcu(const struct mm_view *v,
				      struct mml_vec *out)
{
	const struct mm_state *st = v->st;
	if (!v->in->rcu_in_use || !v->live_tasks || st->mm_users <= 0 ||
	    !st->walk.root || (st->walk.ma_flags & MML_MT_FLAGS_USE_RCU))
		return NULL;
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, out, MML_CHECK_NO_RCU, v->mm,
			  "tree of a live task not in RCU mode "
			  "(ma_flags 0x%x)", st->walk.ma_flags);
	mml_ev_hex(&b, "ma_flags", st->walk.ma_flags);
	add_tasks_evidence(&b, "tasks", v->in->tasks, v->in->ntasks);
	return mml_finding_end(&b);
}

static void mm_view_init(struct mm_view *v, const struct mm_check_input *in,
			 struct mml_mm_facts *facts)
{
	const struct mm_state *st = in->st;
	*facts = (struct mml_mm_facts){ 0 };
	*v = (struct mm_view){
		.in = in,
		.st = st,
		.facts = facts,
		.mm = st->addr,
		.oom_skip = FLAG(st, MML_MMF_OOM_SKIP),
		.unstable = FLAG(st, MML_MMF_UNSTABLE),
		.empty = st->readable && !st->walk.root,
		.used = in->ntasks > 0,
	};
	for (size_t i = 0; i < in->ntasks; i++)
		if (!in->tasks[i].exiting)
			v->live_tasks++;
	v->orphan = orphan_classify(v);
}

struct mml_error *mml_mm_check(const struct mm_check_input *in,
			       struct mml_vec *out, struct mml_mm_facts *facts)
{
	/* In the order the findings are reported. */
	static mm_check_fn *const checks[] = {
		check_node_problems,
		check_xa_zero,
		check_stale_vma,
		check_flags_mismatch,
		check_orphan_fork,
		check_orphan_held,
		check_orphan_leaked,
		check_empty_live_mm,
		check_map_count,
		check_vma_range,
		check_vma_unreadable,
		check_bad_entry,
		check_no_rcu,
	};
	struct mm_view v;
	mm_view_init(&v, in, facts);
	/* Without the mm_struct or its tree header nothing else is known. */
	if (!in->st->readable)
		return check_mm_unreadable(&v, out);
	if (!in->st->walked && in->st->walk.root)
		return check_tree_unreadable(&v, out);
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		struct mml_error *err = checks[i](&v, out);
		if (err)
			return err;
	}
	return NULL;
}
