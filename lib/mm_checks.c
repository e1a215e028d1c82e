// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From what the walk of one mm saw to findings. Each check names its id
 * from the catalogue (checks.c) and attaches the evidence a reader needs to
 * verify it by hand in crash or drgn.
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

static void problem_findings(struct mml_finding_builder *b,
			     struct mml_vec *out, const struct mm_state *st)
{
	static const struct {
		const char *id;
		const char *what;
	} kinds[MM_PROBLEM_KINDS] = {
		[MP_UNREADABLE] = { "unreadable", "maple node unreadable" },
		[MP_NODE_TYPE] = { "node-type", "maple node of unexpected type" },
		[MP_DEAD] = { "dead-node", "dead maple node still linked" },
		[MP_PARENT] = { "parent-slot", "maple parent pointer does not match" },
		[MP_PIVOT] = { "pivot-order", "maple pivots out of order or range" },
		[MP_METADATA] = { "metadata", "maple metadata end disagrees with the pivots" },
		[MP_HEIGHT] = { "tree-height", "tree height disagrees with ma_flags" },
		[MP_CYCLE] = { "walk-limit", "maple node reached twice (cycle)" },
		[MP_NODE_LIMIT] = { "walk-limit", "more maple nodes than the node limit" },
		[MP_BAD_CHILD] = { "bad-entry", "internal maple slot holds no node" },
		[MP_ROOT_ENTRY] = { "bad-entry", "tree root holds a single entry, not a node" },
	};
	for (int k = 0; k < MM_PROBLEM_KINDS; k++) {
		const struct mm_example *ex = &st->problems[k];
		if (!ex->count)
			continue;
		if (k == MP_UNREADABLE)
			mml_finding_begin(b, out,
					  ex->status == MML_READ_EXCLUDED
						  ? "excluded-page"
						  : kinds[k].id,
					  st->addr,
					  "%s: node 0x%llx (%s)%s",
					  kinds[k].what,
					  (unsigned long long)ex->node,
					  status_text(ex->status),
					  ex->count > 1 ? ", and more" : "");
		else
			mml_finding_begin(b, out, kinds[k].id, st->addr,
					  "%s%s", kinds[k].what,
					  ex->count > 1 ? " (several times)"
							: "");
		if (k == MP_UNREADABLE) {
			mml_ev_str(b, "reason", "%s", status_text(ex->status));
			if (ex->status == MML_READ_EXCLUDED)
				mml_ev_str(b, "what", "%s", "maple node");
		}
		if (ex->node)
			mml_ev_addr(b, "node", ex->node);
		if (k != MP_ROOT_ENTRY)
			mml_ev_range(b, "node_range", ex->first, ex->last);
		if (k == MP_NODE_TYPE || k == MP_UNREADABLE ||
		    k == MP_BAD_CHILD || k == MP_CYCLE) {
			mml_ev_hex(b, "value", ex->value);
			mml_ev_u64(b, "slot", ex->slot);
		} else if (k == MP_ROOT_ENTRY) {
			mml_ev_hex(b, "ma_root", ex->value);
		} else if (k == MP_HEIGHT) {
			mml_ev_u64(b, "depth", ex->value);
			mml_ev_u64(b, "height", ex->expected);
		} else if (k == MP_METADATA) {
			mml_ev_u64(b, "meta_end", ex->value);
			mml_ev_u64(b, "pivot_end", ex->expected);
		} else if (k == MP_NODE_LIMIT) {
			mml_ev_u64(b, "limit", ex->value);
		} else {
			mml_ev_u64(b, "slot", ex->slot);
			mml_ev_hex(b, "value", ex->value);
			mml_ev_hex(b, "expected", ex->expected);
		}
		mml_ev_u64(b, "depth_in_tree", ex->depth);
		mml_ev_u64(b, "occurrences", ex->count);
	}
}

void mml_mm_check(const struct mm_check_input *in, struct mml_vec *out)
{
	const struct mm_state *st = in->st;
	struct mml_finding_builder b = { 0 };
	uint64_t mm = st->addr;
	bool oom_skip = FLAG(st, MML_MMF_OOM_SKIP);
	bool unstable = FLAG(st, MML_MMF_UNSTABLE);
	bool empty = st->readable && !st->walk.root;
	size_t live_tasks = 0;
	for (size_t i = 0; i < in->ntasks; i++)
		if (!in->tasks[i].exiting)
			live_tasks++;
	bool used = in->ntasks > 0;

	if (!st->readable) {
		bool lost = st->status == MML_READ_EXCLUDED;
		mml_finding_begin(&b, out, lost ? "excluded-page" : "unreadable",
				  mm, "mm_struct unreadable (%s)",
				  status_text(st->status));
		if (lost)
			mml_ev_str(&b, "what", "%s", "mm_struct");
		mml_ev_str(&b, "reason", "%s", status_text(st->status));
		add_tasks_evidence(&b, "tasks", in->tasks, in->ntasks);
		return;
	}
	if (!st->walked && st->walk.root) {
		bool lost = st->tree_status == MML_READ_EXCLUDED;
		mml_finding_begin(&b, out, lost ? "excluded-page" : "unreadable",
				  mm, "maple tree header unreadable (%s)",
				  status_text(st->tree_status));
		if (lost)
			mml_ev_str(&b, "what", "%s", "mm_struct");
		return;
	}

	problem_findings(&b, out, st);

	/* The failed-fork marker and what follows it. */
	if (st->xa_zero) {
		mml_finding_begin(&b, out, "xa-zero", mm,
				  "XA_ZERO_ENTRY at [0x%llx-0x%llx]: a fork "
				  "failed here and left %llu entries after it",
				  (unsigned long long)st->xa_first[0],
				  (unsigned long long)st->xa_last[0],
				  (unsigned long long)st->after_marker);
		mml_ev_range(&b, "range", st->xa_first[0], st->xa_last[0]);
		mml_ev_u64(&b, "markers", st->xa_zero);
		for (uint64_t i = 1; i < st->xa_zero && i < MM_XA_RANGES_MAX;
		     i++)
			mml_ev_range(&b, "other_range", st->xa_first[i],
				     st->xa_last[i]);
		if (st->last_vma) {
			mml_ev_addr(&b, "last_child_vma", st->last_vma);
			mml_ev_range(&b, "last_child_vma_range",
				     st->last_vma_start, st->last_vma_end - 1);
		}
		mml_ev_u64(&b, "child_vmas", st->vmas);
		mml_ev_u64(&b, "entries_after_marker", st->after_marker);
		mml_ev_hex(&b, "flags", st->flags);
		add_tasks_evidence(&b, "tasks", in->tasks, in->ntasks);
	}
	for (size_t i = 0; i < st->nforeign_mms; i++) {
		const struct mm_foreign *f = &st->foreign_mms[i];
		const struct mml_task_ref *ft = NULL;
		size_t nft = 0;
		if (in->tasks_of)
			in->tasks_of(in->tasks_of_arg, f->mm, &ft, &nft);
		mml_finding_begin(&b, out, "stale-vma", mm,
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
	}

	/* Flags against the tree (64c37e134b12 sets both with the marker). */
	if (st->xa_zero && (!unstable || !oom_skip)) {
		mml_finding_begin(&b, out, "flags-mismatch", mm,
				  "tree holds XA_ZERO but %s%s%s not set: "
				  "walkers are not kept away from it",
				  !oom_skip ? "MMF_OOM_SKIP" : "",
				  !oom_skip && !unstable ? " and " : "",
				  !unstable ? "MMF_UNSTABLE" : "");
		mml_ev_hex(&b, "flags", st->flags);
		mml_ev_bool(&b, "MMF_OOM_SKIP", oom_skip);
		mml_ev_bool(&b, "MMF_UNSTABLE", unstable);
	}

	/* An mm no task uses, holding a failed fork's state. */
	const struct orphan_owner *ow = in->owner;
	/* An OOM-reaped victim after exit_mmap() has the same flags and
	 * tree; only a failed fork has lost its binfmt. */
	bool torn_fork = empty && oom_skip && unstable && st->map_count > 0 &&
			 (!in->binfmt_known || in->binfmt_null);
	/* The same without trusting the flags: a kernel that no longer sets
	 * MMF_UNSTABLE on a failed fork (MMF_OOM_SKIP alone), the
	 * __mt_dup()-failure path (no flag at all), or its child after
	 * exit_mmap() (which sets MMF_OOM_SKIP itself). Told from a
	 * legitimate teardown by binfmt, which only dup_mm()'s failure path
	 * clears, and from a failed exec's bprm->mm (binfmt NULL too) by the
	 * parent found through the exec image dup_mm() copied. */
	bool torn_unflagged = empty && !torn_fork && !unstable &&
			      in->binfmt_known && in->binfmt_null &&
			      in->image_mm && st->map_count >= 0;
	/* 6.1 - 6.7, or a failure past the last VMA: a consistent prefix of
	 * the parent's VMAs, never put in RCU mode, no users, binfmt cleared
	 * by dup_mm()'s failure path (a normally exiting fork child keeps
	 * its parent's), and a task's mm with the same exec image and at
	 * least as many VMAs. */
	bool prefix_fork = !used && in->image_mm && in->binfmt_null &&
			   st->mm_users == 0 &&
			   st->walk.root && !oom_skip &&
			   (uint64_t)(int64_t)st->map_count == st->vmas &&
			   !st->xa_zero && !st->foreign &&
			   !(st->walk.ma_flags & MML_MT_FLAGS_USE_RCU);
	/* mm_count 0: __mmdrop() freed it; a slab object that still looks
	 * like an mm (a free object the slab walk could not tell) is none. */
	bool orphan = !used && !in->is_init_mm && st->mm_count > 0;
	bool fork = orphan && (st->xa_zero || torn_fork || torn_unflagged ||
			       prefix_fork);
	if (fork) {
		if (st->xa_zero)
			mml_finding_begin(&b, out, "orphan-fork", mm,
					  "half-initialized fork: no task "
					  "uses this mm and its tree stops at "
					  "an XA_ZERO marker");
		else if (torn_fork)
			mml_finding_begin(&b, out, "orphan-fork", mm,
					  "half-initialized fork torn down: "
					  "no task, empty tree, MMF_OOM_SKIP "
					  "and MMF_UNSTABLE, map_count %d",
					  st->map_count);
		else if (torn_unflagged)
			mml_finding_begin(&b, out, "orphan-fork", mm,
					  "half-initialized fork torn down: "
					  "no task, empty tree, %s, binfmt "
					  "NULL, map_count %d, a task's exec "
					  "image",
					  oom_skip ? "MMF_OOM_SKIP alone"
						   : "neither MMF flag",
					  st->map_count);
		else
			mml_finding_begin(&b, out, "orphan-fork", mm,
					  "half-initialized fork: no task, "
					  "mm_users 0, binfmt NULL, a prefix of "
					  "%llu VMAs of a task's image, out of "
					  "RCU mode",
					  (unsigned long long)st->vmas);
		/* Severity follows the verdict: a marker with the parent's
		 * VMAs behind it is what walkers crash on; a torn-down tree
		 * is an empty mm (the task_numa_work() class) that 7.x flags;
		 * a consistent prefix is freed by exit_mmap() like any mm. */
		if (b.cur)
			b.cur->severity =
				st->xa_zero ? MML_SEV_ERROR
				: torn_fork || torn_unflagged ? MML_SEV_WARNING
							      : MML_SEV_INFO;
		mml_ev_hex(&b, "flags", st->flags);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_i64(&b, "mm_users", st->mm_users);
		mml_ev_i64(&b, "mm_count", st->mm_count);
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
			const struct mml_task_ref *pt = NULL;
			size_t npt = 0;
			if (in->tasks_of)
				in->tasks_of(in->tasks_of_arg, parent, &pt,
					     &npt);
			mml_ev_addr(&b, "parent_mm", parent);
			add_tasks_evidence(&b, "parent_tasks", pt, npt);
			mml_ev_str(&b, "parent_found_by", "%s", how);
		}
		if (in->image_candidates > 1)
			mml_ev_u64(&b, "parent_candidates",
				   in->image_candidates);
		if (in->owner)
			mml_ev_bool(&b, "binfmt_null", in->binfmt_null);
		mml_ev_str(&b, "found_by", "%s",
			   (in->sources & MML_SOURCE_MMLIST) ? "init_mm.mmlist"
			   : (in->sources & MML_SOURCE_SLAB) ? "mm_struct slab"
							     : "address given");
	} else if (orphan && (in->sources & MML_SOURCE_SLAB) &&
		   st->mm_users <= 0 && st->mm_count > 0 && in->report_held) {
		/* exit_mmap() ran or runs; mm_count keeps the struct. */
		mml_finding_begin(&b, out, "orphan-held", mm,
				  "mm no task uses, %s, kept by mm_count %d%s",
				  empty ? "torn down" : "being torn down",
				  st->mm_count,
				  in->nlazy ? " (lazy TLB)" : "");
		mml_ev_i64(&b, "mm_users", st->mm_users);
		mml_ev_i64(&b, "mm_count", st->mm_count);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_hex(&b, "flags", st->flags);
		mml_ev_bool(&b, "tree_empty", empty);
		add_tasks_evidence(&b, "lazy_tlb_tasks", in->lazy, in->nlazy);
	} else if (orphan && (in->sources & MML_SOURCE_SLAB) &&
		   st->mm_users > 0 && !in->tasks_incomplete) {
		if (in->binfmt_null && empty)
			mml_finding_begin(&b, out, "orphan-leaked", mm,
					  "mm no task uses with mm_users %d, "
					  "no VMAs and no binfmt: an exec in "
					  "progress (bprm->mm) or a kernel mm",
					  st->mm_users);
		else
			mml_finding_begin(&b, out, "orphan-leaked", mm,
					  "mm no task uses with mm_users %d: "
					  "an mmget() holder or a leaked "
					  "reference", st->mm_users);
		mml_ev_i64(&b, "mm_users", st->mm_users);
		mml_ev_i64(&b, "mm_count", st->mm_count);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_hex(&b, "flags", st->flags);
		if (ow && ow->task) {
			mml_ev_addr(&b, "owner_task", ow->task);
			mml_ev_bool(&b, "owner_on_task_list",
				    in->owner_on_list);
		}
	}

	/* A live mm with nothing in it. */
	if (empty && used && st->mm_users > 0 && !in->is_init_mm) {
		mml_finding_begin(&b, out, "empty-live-mm", mm,
				  "mm of %d %s has no VMAs (mm_users %d)",
				  in->tasks[0].pid, in->tasks[0].comm,
				  st->mm_users);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_i64(&b, "mm_users", st->mm_users);
		mml_ev_hex(&b, "ma_flags", st->walk.ma_flags);
		mml_ev_hex(&b, "flags", st->flags);
		add_tasks_evidence(&b, "tasks", in->tasks, in->ntasks);
	}

	/* map_count against the VMAs that are really there. */
	bool count_known = st->walked && st->walk.complete &&
			   !st->vma_unreadable.count;
	if (count_known && st->walk.root &&
	    (uint64_t)(int64_t)st->map_count != st->vmas) {
		mml_finding_begin(&b, out, "map-count", mm,
				  "map_count %d but the tree holds %llu VMAs "
				  "of this mm", st->map_count,
				  (unsigned long long)st->vmas);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_u64(&b, "vmas", st->vmas);
		mml_ev_u64(&b, "foreign", st->foreign);
		mml_ev_u64(&b, "xa_zero", st->xa_zero);
	} else if (empty && used && st->mm_users > 0 && st->map_count) {
		mml_finding_begin(&b, out, "map-count", mm,
				  "map_count %d but the tree is empty",
				  st->map_count);
		mml_ev_i64(&b, "map_count", st->map_count);
		mml_ev_u64(&b, "vmas", 0);
	}

	if (st->range_bad.count) {
		mml_finding_begin(&b, out, "vma-range", mm,
				  "VMA 0x%llx spans [0x%llx-0x%llx) but sits "
				  "in slot [0x%llx-0x%llx]%s",
				  (unsigned long long)st->range_bad.value,
				  (unsigned long long)st->range_bad.expected,
				  (unsigned long long)st->range_bad.node,
				  (unsigned long long)st->range_bad.first,
				  (unsigned long long)st->range_bad.last,
				  st->range_bad.count > 1 ? ", and more" : "");
		mml_ev_addr(&b, "vma", st->range_bad.value);
		mml_ev_range(&b, "slot_range", st->range_bad.first,
			     st->range_bad.last);
		mml_ev_hex(&b, "vm_start", st->range_bad.expected);
		mml_ev_hex(&b, "vm_end", st->range_bad.node);
		mml_ev_u64(&b, "occurrences", st->range_bad.count);
	}
	if (st->vma_unreadable.count) {
		const struct mm_example *ex = &st->vma_unreadable;
		bool lost = ex->status == MML_READ_EXCLUDED;
		mml_finding_begin(&b, out, lost ? "excluded-page" : "unreadable",
				  mm, "%llu VMAs unreadable, first 0x%llx (%s)",
				  (unsigned long long)ex->count,
				  (unsigned long long)ex->value,
				  status_text(ex->status));
		mml_ev_addr(&b, "vma", ex->value);
		mml_ev_range(&b, "slot_range", ex->first, ex->last);
		mml_ev_str(&b, "reason", "%s", status_text(ex->status));
		mml_ev_u64(&b, "occurrences", ex->count);
		if (lost)
			mml_ev_str(&b, "what", "%s", "VMA");
	}
	if (st->entry_bad.count) {
		const struct mm_example *ex = &st->entry_bad;
		mml_finding_begin(&b, out, "bad-entry", mm,
				  "slot [0x%llx-0x%llx] holds 0x%llx, not a "
				  "VMA%s", (unsigned long long)ex->first,
				  (unsigned long long)ex->last,
				  (unsigned long long)ex->value,
				  ex->count > 1 ? ", and more" : "");
		mml_ev_range(&b, "slot_range", ex->first, ex->last);
		mml_ev_hex(&b, "value", ex->value);
		mml_ev_u64(&b, "occurrences", ex->count);
	}

	/* RCU mode: only dup_mmap() and exit_mmap() take a tree out of it. */
	if (in->rcu_in_use && live_tasks && st->mm_users > 0 &&
	    st->walk.root && !(st->walk.ma_flags & MML_MT_FLAGS_USE_RCU)) {
		mml_finding_begin(&b, out, "no-rcu", mm,
				  "tree of a live task not in RCU mode "
				  "(ma_flags 0x%x)", st->walk.ma_flags);
		mml_ev_hex(&b, "ma_flags", st->walk.ma_flags);
		add_tasks_evidence(&b, "tasks", in->tasks, in->ntasks);
	}
}
