// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verdicts on what a failed fork leaves in the dump (an XA_ZERO marker and
 * the parent's VMAs, a torn-down tree, a consistent prefix) and on a live
 * mm with no VMA: one paragraph per problem, from the facts the per-mm
 * checks set (struct mml_mm_facts), and the fixes that concern it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_build.h"

#define VERDICT_MAX_MARKER_MMS 4   /* failed forks described one by one */

static void users_text(const struct mml_mm *m, char *buf, size_t size)
{
	if (!m || !m->ntasks) {
		snprintf(buf, size, "no task uses it%s",
			 m && (m->sources & MML_SOURCE_MMLIST)
				 ? "; it is on init_mm.mmlist"
			 : m && (m->sources & MML_SOURCE_SLAB)
				 ? "; found in the mm_struct slab"
				 : "");
		return;
	}
	snprintf(buf, size, "used by pid %d (%s)%s", m->tasks[0].pid,
		 m->tasks[0].comm,
		 (m->sources & MML_SOURCE_MMLIST) ? "; on init_mm.mmlist"
						  : "");
}

/* Functions of the fork path an allocation report can name. */
static const char *const fork_calls[] = {
	"vm_area_dup", "anon_vma_fork", "copy_page_range", "__mt_dup",
	"mas_dup_build", "dup_userfaultfd", "dup_mmap", "dup_mm", "copy_mm",
	"copy_process", "kernel_clone", NULL,
};

static bool is_fork_call(const char *fn)
{
	for (size_t i = 0; fork_calls[i]; i++)
		if (mml_fix_call_matches(fn, fork_calls[i]))
			return true;
	return false;
}

/* "; the log shows ..." when the last OOM or allocation-failure report
 * was raised in the fork path, or NULL. */
static char *fork_alloc_text(struct vb *b)
{
	const struct mml_oops *o = b->in->oom;
	if (!o || !o->found)
		return NULL;
	size_t first = o->ntrace;
	bool memcg = false;
	for (size_t i = 0; i < o->ntrace; i++) {
		if (first == o->ntrace && is_fork_call(o->trace[i]))
			first = i;
		if (mml_fix_call_matches(o->trace[i], "mem_cgroup_out_of_memory") ||
		    mml_fix_call_matches(o->trace[i], "try_charge_memcg"))
			memcg = true;
	}
	if (first == o->ntrace)
		return NULL;
	char trace[256] = "";
	size_t len = 0;
	for (size_t i = first; i < o->ntrace && i < first + 3; i++)
		len += (size_t)snprintf(trace + len, sizeof(trace) - len,
					"%s%s", i > first ? " <- " : "",
					o->trace[i]);
	return vb_fmt(b, " The log shows the allocation that failed: pid %d "
		      "(%s) hit %s in %s.", o->pid, o->comm,
		      !strcmp(o->kind, "oom")
			      ? (memcg ? "a memory cgroup's OOM killer"
				       : "the OOM killer")
			      : "a page allocation failure",
		      trace);
}

/* Append the fork-path allocation report, if any, to *@evidence. */
static void add_fork_alloc(struct vb *b, char **evidence)
{
	_cleanup_free_ char *t = fork_alloc_text(b);
	if (!t || !*evidence)
		return;
	char *e = vb_fmt(b, "%s%s", *evidence, t);
	if (e) {
		free(*evidence);
		*evidence = e;
	}
}

/* 985da552a98e and f64e67e5d3a4 for a failed fork's paragraph: on a
 * kernel without 985da552a98e ksm_fork()/khugepaged_fork() ran on the
 * error, and their flags show on the failed child (when the parent used
 * KSM or THP). */
static void fork_hook_fixes(struct vb *b, const char *problem,
			    const char *title, const char *what,
			    const char *evidence, uint64_t mm, uint64_t flags)
{
	bool hooked = vb_flag(flags, MML_MMF_VM_MERGEABLE) ||
		      vb_flag(flags, MML_MMF_VM_HUGEPAGE);
	struct state_ev hooks = { true, MML_PRESENCE_ABSENT, false,
				  "MMF_VM_MERGEABLE or MMF_VM_HUGEPAGE set on "
				  "the failed child: the fork hooks ran" };
	vb_add_fix(b, problem, title, what, evidence, mm, "fork-hooks-error",
		   hooked ? &hooks : NULL);
	vb_add_fix(b, problem, title, what, evidence, mm, "uffd-fork-error",
		   NULL);
}

/*
 * One problem paragraph about one mm: the verdicts of the fixes that
 * concern it share its title, what happened and the evidence.
 */
struct mm_problem {
	const char *id;            /* "failed-fork-marker" */
	const struct mml_mm *m;
	char title[96];            /* "<title> (mm 0x...)" */
	char users[128];           /* users_text() */
	char *what, *evidence;     /* owned; NULL on ENOMEM (b->failed) */
};

static void mm_problem_init(struct mm_problem *p, const char *id,
			    const char *title, const struct mml_mm *m)
{
	p->id = id;
	p->m = m;
	snprintf(p->title, sizeof(p->title), "%s (mm 0x%" PRIx64 ")", title,
		 m->addr);
	users_text(m, p->users, sizeof(p->users));
	p->what = p->evidence = NULL;
}

static void mm_problem_deinit(struct mm_problem *p)
{
	free(p->what);
	free(p->evidence);
}

/* The verdict on @fix_id for problem @p, judged with @st if given. */
static struct mml_verdict *mm_problem_fix(struct vb *b,
					  const struct mm_problem *p,
					  const char *fix_id,
					  const struct state_ev *st)
{
	return vb_add_fix(b, p->id, p->title, p->what, p->evidence, p->m->addr,
			  fix_id, st);
}

/* The first mm of the report for which @pred holds, or NULL. */
static const struct mml_mm *first_mm(const struct mml_report *r,
				     bool (*pred)(const struct mml_mm *m))
{
	for (size_t i = 0; i < r->nmms; i++)
		if (pred(&r->mms[i]))
			return &r->mms[i];
	return NULL;
}

static const char *set_text(uint64_t flags, unsigned int bit)
{
	return vb_flag(flags, bit) ? "set" : "not set";
}

/* ---- a failed fork's marker (xa-zero) ---- */

static char *marker_evidence(struct vb *b, const struct mm_problem *p)
{
	const struct mml_mm *m = p->m;
	const struct mml_mm_facts *fx = &m->facts;
	char of[40] = "";
	if (fx->stale_mm)
		snprintf(of, sizeof(of), " of mm 0x%" PRIx64, fx->stale_mm);
	return vb_fmt(b,
		"mm 0x%" PRIx64 ": XA_ZERO at [0x%" PRIx64 "-0x%" PRIx64 "] "
		"after %" PRIu64 " child VMAs; %" PRIu64 " stale VMAs%s; "
		"flags 0x%" PRIx64 " (MMF_OOM_SKIP %s, MMF_UNSTABLE %s); %s.",
		m->addr, fx->marker_first, fx->marker_last, fx->child_vmas,
		fx->stale_vmas, of, m->flags,
		set_text(m->flags, MML_MMF_OOM_SKIP),
		set_text(m->flags, MML_MMF_UNSTABLE), p->users);
}

/* The fixes of a marker; @more: mms with a marker not described. */
static void marker_fixes(struct vb *b, const struct mm_problem *p,
			 size_t more)
{
	uint64_t flags = p->m->flags;
	struct state_ev careful = vb_careful_state(flags);
	mm_problem_fix(b, p, "dup-mmap-careful", &careful);
	struct state_ev rework = { true, MML_PRESENCE_ABSENT, true,
				   "the tree holds XA_ZERO, which the rework "
				   "never writes" };
	mm_problem_fix(b, p, "dup-mmap-recovery", &rework);
	mm_problem_fix(b, p, "uprobe-fork", NULL);
	struct mml_verdict *v = mm_problem_fix(b, p, "swapoff-stable-mm",
					       NULL);
	if (v && (p->m->sources & MML_SOURCE_MMLIST))
		v->note = vb_fmt(b, "this mm is on init_mm.mmlist, so swapoff "
				 "reaches it; MMF_UNSTABLE is %s",
				 vb_flag(flags, MML_MMF_UNSTABLE)
				      ? "set, which the check tests"
				      : "not set, so even the check would "
					"not stop it");
	fork_hook_fixes(b, p->id, p->title, p->what, p->evidence, p->m->addr,
			flags);
	v = mm_problem_fix(b, p, "oom-reap-reverse", NULL);
	if (v)
		v->note = vb_fmt(b, "a reverse walk meets the stale parent "
				 "VMAs first; MMF_OOM_SKIP, which keeps the "
				 "reaper away, is %s",
				 set_text(flags, MML_MMF_OOM_SKIP));
	if (v && more) {
		free(v->note);
		v->note = vb_fmt(b, "%zu more mms hold a marker; see the "
				 "findings", more);
	}
}

static void marker_problem(struct vb *b, const struct mml_mm *m,
			   size_t more)
{
	struct mm_problem p;
	mm_problem_init(&p, "failed-fork-marker",
			"failed fork left an XA_ZERO marker", m);
	p.what = vb_fmt(b,
		"A fork failed part-way in dup_mmap(): the child's tree stops "
		"at an XA_ZERO_ENTRY marker, and the %" PRIu64 " entries "
		"after it are the parent's VMAs that __mt_dup() copied, not "
		"this mm's.", m->facts.after_marker);
	p.evidence = marker_evidence(b, &p);
	add_fork_alloc(b, &p.evidence);
	if (p.what && p.evidence)
		marker_fixes(b, &p, more);
	mm_problem_deinit(&p);
}

/* Each mm with a marker, the first VERDICT_MAX_MARKER_MMS of them. */
void vb_marker_problems(struct vb *b)
{
	const struct mml_report *r = b->in->report;
	size_t n = 0, total = 0;
	for (size_t i = 0; i < r->nmms; i++)
		total += r->mms[i].facts.marker;
	for (size_t i = 0; i < r->nmms && n < VERDICT_MAX_MARKER_MMS; i++) {
		if (!r->mms[i].facts.marker)
			continue;
		n++;
		marker_problem(b, &r->mms[i],
			       n == VERDICT_MAX_MARKER_MMS ? total - n : 0);
	}
}

/* ---- a failed fork torn down (orphan-fork, empty tree) ---- */

/* What an empty failed-fork tree says, by its flags. */
static const char *torn_down_what(uint64_t flags, int map_count)
{
	if (vb_flag(flags, MML_MMF_OOM_SKIP) &&
	    vb_flag(flags, MML_MMF_UNSTABLE))
		return "A fork failed and its child's tree was torn down: the "
		       "mm is empty, flagged MMF_OOM_SKIP and MMF_UNSTABLE, "
		       "and no task uses it (the 7.0+ recovery does this at "
		       "once; on 6.8 - 6.19 exit_mmap() leaves the same after "
		       "a marker).";
	if (vb_flag(flags, MML_MMF_OOM_SKIP))
		return "A fork failed and its child's tree is empty with "
		       "MMF_OOM_SKIP alone: a kernel that no longer sets "
		       "MMF_UNSTABLE on a failed fork, or exit_mmap() already "
		       "ran on the child (it sets MMF_OOM_SKIP itself). "
		       "binfmt, which dup_mm()'s failure path clears, and the "
		       "parent's exec image say it was a fork.";
	if (map_count == 0)
		return "A fork failed before any VMA was copied (__mt_dup() "
		       "ran out of memory, possible on every kernel from "
		       "6.8): the child's tree is empty and no MMF flag is "
		       "set; binfmt, which dup_mm()'s failure path clears, "
		       "and the parent's exec image say it was a fork.";
	return "A fork failed and its child's tree is empty with map_count "
	       "left behind but no MMF flag: a kernel that sets neither "
	       "flag on a failed fork; binfmt, which dup_mm()'s failure "
	       "path clears, and the parent's exec image say it was a "
	       "fork.";
}

static bool is_torn_down(const struct mml_mm *m)
{
	return m->facts.failed_fork && !m->tree.xa_zero && !m->ma_root;
}

/* The first torn-down failed fork: one paragraph is enough. */
void vb_torn_down_problems(struct vb *b)
{
	const struct mml_mm *m = first_mm(b->in->report, is_torn_down);
	if (!m)
		return;
	struct mm_problem p;
	mm_problem_init(&p, "failed-fork-torn-down", "failed fork torn down",
			m);
	char of[48] = "";
	if (m->facts.parent_mm)
		snprintf(of, sizeof(of), "; parent mm 0x%" PRIx64,
			 m->facts.parent_mm);
	p.what = vb_dup(b, torn_down_what(m->flags, m->map_count));
	p.evidence = vb_fmt(b,
		"mm 0x%" PRIx64 ": ma_root NULL, map_count %d (not reset by "
		"the teardown), flags 0x%" PRIx64 " (MMF_OOM_SKIP %s, "
		"MMF_UNSTABLE %s)%s; %s.",
		m->addr, m->map_count, m->flags,
		set_text(m->flags, MML_MMF_OOM_SKIP),
		set_text(m->flags, MML_MMF_UNSTABLE), of, p.users);
	add_fork_alloc(b, &p.evidence);
	if (p.what && p.evidence) {
		/* Only both flags point at the rework, and not when the
		 * types lack struct unmap_desc (a 6.8 - 6.19 child after
		 * exit_mmap() looks the same); the other shapes leave it to
		 * the types or the version. */
		bool both = vb_flag(m->flags, MML_MMF_OOM_SKIP) &&
			    vb_flag(m->flags, MML_MMF_UNSTABLE);
		struct state_ev st = { true, MML_PRESENCE_PRESENT, false,
				       "empty tree with both flags and no "
				       "task" };
		bool denied = b->in->types_usable &&
			      b->in->unmap_desc_size == MML_ABSENT;
		mm_problem_fix(b, &p, "dup-mmap-recovery",
			       both && !denied ? &st : NULL);
	}
	mm_problem_deinit(&p);
}

/* ---- a failed fork that left a consistent prefix (orphan-fork) ---- */

static bool is_prefix(const struct mml_mm *m)
{
	return m->facts.failed_fork && !m->tree.xa_zero && m->ma_root &&
	       !m->tree.foreign;
}

static void prefix_fixes(struct vb *b, const struct mm_problem *p)
{
	struct mml_verdict *v = mm_problem_fix(b, p, "mt-dup-fork", NULL);
	if (!v || v->presence == MML_PRESENCE_ABSENT)
		return;
	/* 6.8+: 64c37e134b12 sets MMF_UNSTABLE even without a marker
	 * (inferred: the copy failed on the last VMA). */
	bool u = vb_flag(p->m->flags, MML_MMF_UNSTABLE);
	struct state_ev st = {
		true, u ? MML_PRESENCE_PRESENT : MML_PRESENCE_ABSENT, false,
		u ? "MMF_UNSTABLE set without a marker"
		  : "MMF_UNSTABLE not set"
	};
	mm_problem_fix(b, p, "dup-mmap-careful", &st);
}

/* The first prefix: 6.1 - 6.7 always; 6.8+ when the copy failed on the
 * last VMA (no marker). */
void vb_prefix_problems(struct vb *b)
{
	const struct mml_mm *m = first_mm(b->in->report, is_prefix);
	if (!m)
		return;
	struct mm_problem p;
	mm_problem_init(&p, "failed-fork-prefix", "failed fork left a prefix",
			m);
	char of[48] = "";
	if (m->facts.parent_mm)
		snprintf(of, sizeof(of), " of mm 0x%" PRIx64,
			 m->facts.parent_mm);
	p.what = vb_fmt(b,
		"A fork failed part-way and left the child a consistent "
		"prefix of the parent's VMAs, with no marker: exit_mmap() "
		"frees it like any mm, and no walker meets a marker or a "
		"foreign VMA in it.");
	p.evidence = vb_fmt(b,
		"mm 0x%" PRIx64 ": %" PRIu64 " VMAs (map_count %d)%s, no "
		"XA_ZERO, no foreign VMA, flags 0x%" PRIx64 " (MMF_UNSTABLE "
		"%s); %s.",
		m->addr, m->tree.vmas, m->map_count, of, m->flags,
		set_text(m->flags, MML_MMF_UNSTABLE), p.users);
	add_fork_alloc(b, &p.evidence);
	if (p.what && p.evidence)
		prefix_fixes(b, &p);
	mm_problem_deinit(&p);
}

/* ---- a live mm with no VMA (empty-live-mm) ---- */

static bool is_empty_live(const struct mml_mm *m)
{
	return m->facts.empty_live;
}

void vb_empty_mm_problems(struct vb *b)
{
	const struct mml_mm *m = first_mm(b->in->report, is_empty_live);
	if (!m)
		return;
	struct mm_problem p;
	mm_problem_init(&p, "empty-live-mm", "live mm with no VMA", m);
	p.what = vb_fmt(b,
		"A live task's address space is empty: VMA walkers that "
		"assume at least one VMA (task_numa_work(), KSM's scan) can "
		"dereference NULL on it.");
	p.evidence = vb_fmt(b,
		"mm 0x%" PRIx64 ": ma_root NULL, map_count %d, mm_users %d, "
		"flags 0x%" PRIx64 "; %s.",
		m->addr, m->map_count, m->mm_users, m->flags, p.users);
	if (p.what && p.evidence) {
		mm_problem_fix(b, &p, "numa-empty-mm", NULL);
		mm_problem_fix(b, &p, "ksm-teardown-race", NULL);
	}
	mm_problem_deinit(&p);
}
