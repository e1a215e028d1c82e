// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verdicts: for each distinct problem the dump shows, what happened, the
 * evidence, and for each catalogued fix that concerns it whether this
 * kernel has it, by the strongest evidence available (see judge()):
 *   1. a symbol or a type the change itself adds (thaw_process, __mt_dup);
 *   2. the dump's own state (XA_ZERO with or without MMF_OOM_SKIP and
 *      MMF_UNSTABLE, an empty torn-down tree with both flags);
 *   3. a type or symbol of a sibling commit of its series (struct
 *      unmap_desc, tear_down_vmas for the 7.0 recovery rework);
 *   4. the absence of a type, or of a symbol that cannot be inlined away
 *      (a static one, like tear_down_vmas or unuse_mm, never decides);
 *   5. the release and the stable-backport table: "by version only",
 *      never certain (distribution kernels carry backports).
 * Where 1-4 disagree with the version, the evidence wins and the verdict
 * says it contradicts the version.
 * Without a problem, the kernel's own posture (how it recovers from a
 * failed fork) is still judged, so a clean dump says which fixes it has.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconst.h"
#include "oops.h"
#include "printk.h"
#include "verdict.h"

#define VERDICT_MAX_MARKER_MMS 4   /* failed forks described one by one */
#define XA_ZERO_REACH UINT64_C(0x400)    /* a field of a "VMA" at 0x406 */

struct vb {
	const struct verdict_input *in;
	struct mml_vec out;           /* struct mml_verdict */
	bool failed;
	const struct mml_fix *judged[32];
	size_t njudged;
};

const char *mml_presence_name(enum mml_presence p)
{
	switch (p) {
	case MML_PRESENCE_PRESENT:
		return "present";
	case MML_PRESENCE_ABSENT:
		return "absent";
	case MML_PRESENCE_NOT_NEEDED:
		return "not needed";
	case MML_PRESENCE_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *mml_method_name(enum mml_method m)
{
	switch (m) {
	case MML_METHOD_SYMBOL:
		return "symbol";
	case MML_METHOD_TYPE:
		return "type";
	case MML_METHOD_STATE:
		return "state";
	case MML_METHOD_VERSION:
		return "version";
	case MML_METHOD_NONE:
		break;
	}
	return "none";
}

void mml_verdict_free(struct mml_verdict *v)
{
	free(v->title);
	free(v->what);
	free(v->evidence);
	free(v->method_detail);
	free(v->note);
}

static char *fmt(struct vb *b, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
static char *fmt(struct vb *b, const char *f, ...)
{
	char *s;
	va_list ap;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0) {
		s = NULL;
		b->failed = true;
	}
	va_end(ap);
	return s;
}

static char *dup(struct vb *b, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		b->failed = true;
	return d;
}

/* State evidence a problem gives about a fix. */
struct state_ev {
	bool have;
	enum mml_presence presence;
	bool certain;
	const char *detail;
};

static bool was_judged(const struct vb *b, const struct mml_fix *fix)
{
	for (size_t i = 0; i < b->njudged; i++)
		if (b->judged[i] == fix)
			return true;
	return false;
}

/* By the version, when it disagrees with the dump's own evidence in @v:
 * say both, and let the evidence stand. */
static void check_version(struct vb *b, const struct mml_fix *fix,
			  struct mml_verdict *v)
{
	char why[256];
	if (!b->in->version)
		return;
	enum mml_presence p = mml_fix_by_version(fix, b->in->version, why,
						 sizeof(why));
	bool present = p == MML_PRESENCE_PRESENT;
	bool lacking = p == MML_PRESENCE_ABSENT || p == MML_PRESENCE_NOT_NEEDED;
	if ((v->presence == MML_PRESENCE_PRESENT && lacking) ||
	    (v->presence == MML_PRESENCE_ABSENT && present)) {
		char *d = fmt(b, "%s, which contradicts the version (%s)",
			      v->method_detail ? v->method_detail : "", why);
		if (d) {
			free(v->method_detail);
			v->method_detail = d;
		}
		v->contradicts_version = true;
	}
}

static bool decided(struct vb *b, const struct mml_fix *fix,
		    struct mml_verdict *v, enum mml_presence p,
		    enum mml_method m, bool certain, char *detail)
{
	v->presence = p;
	v->method = m;
	v->certain = certain;
	v->method_detail = detail;
	check_version(b, fix, v);
	return true;
}

/* The cause of the XA_ZERO-era bugs (__mt_dup()) is in this kernel by its
 * own evidence: the symbol, or a marker in a tree. */
static bool has_mt_dup(const struct vb *b)
{
	const struct verdict_input *in = b->in;
	uint64_t addr;
	if (in->symbols_usable && in->symbol &&
	    in->symbol(in->symbol_arg, "__mt_dup", &addr))
		return true;
	for (size_t i = 0; in->report && i < in->report->nmms; i++)
		if (in->report->mms[i].facts.marker)
			return true;
	return false;
}

/* The version decides, named as such; "not needed" by version while the
 * dump shows the change the fix repairs (a vendor backport of __mt_dup()
 * into a 6.6 kernel) is no answer. */
static bool by_version(struct vb *b, const struct mml_fix *fix,
		       struct mml_verdict *v, const char *absent_sym)
{
	char why[256];
	const struct mml_fix *cause = mml_fix_find("mt-dup-fork");
	v->presence = mml_fix_by_version(fix, b->in->version, why, sizeof(why));
	v->method = MML_METHOD_VERSION;
	v->certain = false;
	if (v->presence == MML_PRESENCE_NOT_NEEDED && cause &&
	    fix->affected_from && cause->first_release &&
	    !strcmp(fix->affected_from, cause->first_release) && has_mt_dup(b)) {
		v->presence = MML_PRESENCE_UNKNOWN;
		v->contradicts_version = true;
		v->method_detail = fmt(b, "by version it is not needed (%s), "
				       "but this kernel has __mt_dup(), which "
				       "contradicts the version: a backport, "
				       "so whether it carries the fix is "
				       "unknown", why);
		return true;
	}
	v->method_detail = fmt(b, "by version only: %s%s%s%s", why,
			       absent_sym ? "; no symbol " : "",
			       absent_sym ? absent_sym : "",
			       absent_sym ? ", which is static or may be "
					    "inlined, so its absence decides "
					    "nothing" : "");
	return true;
}

/* Which of a fix's own symbol and type the dump has: 1 yes, 0 no, -1 not
 * asked (no such evidence or nothing to ask). */
struct marks {
	int symbol, type;
};

static struct marks ask_marks(const struct vb *b, const struct mml_fix *fix)
{
	const struct verdict_input *in = b->in;
	struct marks m = { -1, -1 };
	uint64_t addr;
	if (fix->symbol && in->symbols_usable && in->symbol)
		m.symbol = in->symbol(in->symbol_arg, fix->symbol, &addr);
	if (fix->type && in->types_usable && !strcmp(fix->type, "unmap_desc"))
		m.type = in->unmap_desc_size != MML_ABSENT;
	return m;
}

static char *type_detail(struct vb *b, const struct mml_fix *fix, bool have)
{
	return fmt(b, "%stype struct %s%s%s%s", have ? "" : "no ", fix->type,
		   fix->type_commit ? ", from " : "",
		   fix->type_commit ? fix->type_commit : "",
		   fix->type_commit ? " of the same series" : "");
}

/*
 * Decide @fix's presence into @v, strongest evidence first: a symbol or a
 * type the change itself adds; the dump's own state; a symbol or type of
 * a sibling commit of its series; the absence of a type or of a symbol
 * that cannot have been inlined away; the version, named as such. The
 * dump's evidence wins over the version, and says when it contradicts it.
 */
static bool judge(struct vb *b, const struct mml_fix *fix,
		  const struct state_ev *st, struct mml_verdict *v)
{
	if (!was_judged(b, fix) && b->njudged < 32)
		b->judged[b->njudged++] = fix;
	v->fix = fix;
	struct marks mk = ask_marks(b, fix);
	if (mk.symbol == 1 && !fix->symbol_of_series)
		return decided(b, fix, v, MML_PRESENCE_PRESENT,
			       MML_METHOD_SYMBOL, !fix->symbol_inferred,
			       fmt(b, "symbol %s", fix->symbol));
	if (mk.type == 1 && !fix->type_commit)
		return decided(b, fix, v, MML_PRESENCE_PRESENT, MML_METHOD_TYPE,
			       true, type_detail(b, fix, true));
	if (st && st->have)
		return decided(b, fix, v, st->presence, MML_METHOD_STATE,
			       st->certain, dup(b, st->detail));
	if (mk.type == 1)
		return decided(b, fix, v, MML_PRESENCE_PRESENT, MML_METHOD_TYPE,
			       false, type_detail(b, fix, true));
	if (mk.symbol == 1)
		return decided(b, fix, v, MML_PRESENCE_PRESENT,
			       MML_METHOD_SYMBOL, false,
			       fmt(b, "symbol %s, same series", fix->symbol));
	if (mk.type == 0)
		return decided(b, fix, v, MML_PRESENCE_ABSENT, MML_METHOD_TYPE,
			       false, type_detail(b, fix, false));
	if (mk.symbol == 0 && !fix->symbol_static) {
		/* A global symbol of a sibling commit: its absence says
		 * nothing sure about this one. */
		if (!fix->symbol_of_series || !b->in->version)
			return decided(b, fix, v,
				       fix->symbol_of_series
					       ? MML_PRESENCE_UNKNOWN
					       : MML_PRESENCE_ABSENT,
				       MML_METHOD_SYMBOL, false,
				       fmt(b, "no symbol %s", fix->symbol));
	}
	if (b->in->version)
		return by_version(b, fix, v,
				  mk.symbol == 0 && fix->symbol_static
					  ? fix->symbol : NULL);
	v->presence = MML_PRESENCE_UNKNOWN;
	v->method = MML_METHOD_NONE;
	v->certain = false;
	v->method_detail = dup(b, mk.symbol == 0
				   ? "no symbol (static or inlined: decides "
				     "nothing), no type, state or release to "
				     "decide by"
				   : "no symbol, type, state or release to "
				     "decide by");
	return true;
}

static struct mml_verdict *add(struct vb *b, const char *problem,
			       const char *title, const char *what,
			       const char *evidence, uint64_t mm)
{
	struct mml_verdict *v = mml_vec_push(&b->out);
	if (!v) {
		b->failed = true;
		return NULL;
	}
	v->problem = problem;
	v->title = dup(b, title);
	v->what = dup(b, what);
	v->evidence = dup(b, evidence);
	v->mm = mm;
	return v;
}

static struct mml_verdict *add_fix(struct vb *b, const char *problem,
				   const char *title, const char *what,
				   const char *evidence, uint64_t mm,
				   const char *fix_id,
				   const struct state_ev *st)
{
	const struct mml_fix *fix = mml_fix_find(fix_id);
	struct mml_verdict *v = add(b, problem, title, what, evidence, mm);
	if (v && fix)
		judge(b, fix, st, v);
	return v;
}

/* ---- what the report says ---- */

static const struct mml_mm *mm_get(const struct mml_report *r, uint64_t mm)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].addr == mm)
			return &r->mms[i];
	return NULL;
}

static bool flag(uint64_t flags, unsigned int bit)
{
	return (flags >> bit) & 1;
}

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

/* The flags evidence of 64c37e134b12 on an mm holding XA_ZERO. */
static struct state_ev careful_state(uint64_t flags)
{
	bool skip = flag(flags, MML_MMF_OOM_SKIP);
	bool unstable = flag(flags, MML_MMF_UNSTABLE);
	if (skip && unstable)
		return (struct state_ev){ true, MML_PRESENCE_PRESENT, true,
					  "flags set" };
	if (!skip && !unstable)
		return (struct state_ev){ true, MML_PRESENCE_ABSENT, true,
					  "flags not set" };
	return (struct state_ev){ true, MML_PRESENCE_UNKNOWN, false,
				  skip ? "only MMF_OOM_SKIP set"
				       : "only MMF_UNSTABLE set" };
}

/* The first mm whose tree holds a failed fork's marker, or NULL. */
static const struct mml_mm *first_marker(const struct mml_report *r)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].facts.marker)
			return &r->mms[i];
	return NULL;
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
	return fmt(b, " The log shows the allocation that failed: pid %d "
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
	char *t = fork_alloc_text(b);
	if (!t || !*evidence) {
		free(t);
		return;
	}
	char *e = fmt(b, "%s%s", *evidence, t);
	free(t);
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
	bool hooked = flag(flags, MML_MMF_VM_MERGEABLE) ||
		      flag(flags, MML_MMF_VM_HUGEPAGE);
	struct state_ev hooks = { true, MML_PRESENCE_ABSENT, false,
				  "MMF_VM_MERGEABLE or MMF_VM_HUGEPAGE set on "
				  "the failed child: the fork hooks ran" };
	add_fix(b, problem, title, what, evidence, mm, "fork-hooks-error",
		hooked ? &hooks : NULL);
	add_fix(b, problem, title, what, evidence, mm, "uffd-fork-error",
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
	return add_fix(b, p->id, p->title, p->what, p->evidence, p->m->addr,
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
	return flag(flags, bit) ? "set" : "not set";
}

/* ---- a failed fork's marker (xa-zero) ---- */

static char *marker_evidence(struct vb *b, const struct mm_problem *p)
{
	const struct mml_mm *m = p->m;
	const struct mml_mm_facts *fx = &m->facts;
	char of[40] = "";
	if (fx->stale_mm)
		snprintf(of, sizeof(of), " of mm 0x%" PRIx64, fx->stale_mm);
	return fmt(b,
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
	struct state_ev careful = careful_state(flags);
	mm_problem_fix(b, p, "dup-mmap-careful", &careful);
	struct state_ev rework = { true, MML_PRESENCE_ABSENT, true,
				   "the tree holds XA_ZERO, which the rework "
				   "never writes" };
	mm_problem_fix(b, p, "dup-mmap-recovery", &rework);
	mm_problem_fix(b, p, "uprobe-fork", NULL);
	struct mml_verdict *v = mm_problem_fix(b, p, "swapoff-stable-mm",
					       NULL);
	if (v && (p->m->sources & MML_SOURCE_MMLIST))
		v->note = fmt(b, "this mm is on init_mm.mmlist, so swapoff "
			      "reaches it; MMF_UNSTABLE is %s",
			      flag(flags, MML_MMF_UNSTABLE)
				      ? "set, which the check tests"
				      : "not set, so even the check would "
					"not stop it");
	fork_hook_fixes(b, p->id, p->title, p->what, p->evidence, p->m->addr,
			flags);
	v = mm_problem_fix(b, p, "oom-reap-reverse", NULL);
	if (v)
		v->note = fmt(b, "a reverse walk meets the stale parent VMAs "
			      "first; MMF_OOM_SKIP, which keeps the reaper "
			      "away, is %s", set_text(flags, MML_MMF_OOM_SKIP));
	if (v && more) {
		free(v->note);
		v->note = fmt(b, "%zu more mms hold a marker; see the "
			      "findings", more);
	}
}

static void marker_problem(struct vb *b, const struct mml_mm *m,
			   size_t more)
{
	struct mm_problem p;
	mm_problem_init(&p, "failed-fork-marker",
			"failed fork left an XA_ZERO marker", m);
	p.what = fmt(b,
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
static void marker_problems(struct vb *b)
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
	if (flag(flags, MML_MMF_OOM_SKIP) && flag(flags, MML_MMF_UNSTABLE))
		return "A fork failed and its child's tree was torn down: the "
		       "mm is empty, flagged MMF_OOM_SKIP and MMF_UNSTABLE, "
		       "and no task uses it (the 7.0+ recovery does this at "
		       "once; on 6.8 - 6.19 exit_mmap() leaves the same after "
		       "a marker).";
	if (flag(flags, MML_MMF_OOM_SKIP))
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
static void torn_down_problems(struct vb *b)
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
	p.what = dup(b, torn_down_what(m->flags, m->map_count));
	p.evidence = fmt(b,
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
		bool both = flag(m->flags, MML_MMF_OOM_SKIP) &&
			    flag(m->flags, MML_MMF_UNSTABLE);
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
	bool u = flag(p->m->flags, MML_MMF_UNSTABLE);
	struct state_ev st = {
		true, u ? MML_PRESENCE_PRESENT : MML_PRESENCE_ABSENT, false,
		u ? "MMF_UNSTABLE set without a marker"
		  : "MMF_UNSTABLE not set"
	};
	mm_problem_fix(b, p, "dup-mmap-careful", &st);
}

/* The first prefix: 6.1 - 6.7 always; 6.8+ when the copy failed on the
 * last VMA (no marker). */
static void prefix_problems(struct vb *b)
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
	p.what = fmt(b,
		"A fork failed part-way and left the child a consistent "
		"prefix of the parent's VMAs, with no marker: exit_mmap() "
		"frees it like any mm, and no walker meets a marker or a "
		"foreign VMA in it.");
	p.evidence = fmt(b,
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

static void empty_mm_problems(struct vb *b)
{
	const struct mml_mm *m = first_mm(b->in->report, is_empty_live);
	if (!m)
		return;
	struct mm_problem p;
	mm_problem_init(&p, "empty-live-mm", "live mm with no VMA", m);
	p.what = fmt(b,
		"A live task's address space is empty: VMA walkers that "
		"assume at least one VMA (task_numa_work(), KSM's scan) can "
		"dereference NULL on it.");
	p.evidence = fmt(b,
		"mm 0x%" PRIx64 ": ma_root NULL, map_count %d, mm_users %d, "
		"flags 0x%" PRIx64 "; %s.",
		m->addr, m->map_count, m->mm_users, m->flags, p.users);
	if (p.what && p.evidence) {
		mm_problem_fix(b, &p, "numa-empty-mm", NULL);
		mm_problem_fix(b, &p, "ksm-teardown-race", NULL);
	}
	mm_problem_deinit(&p);
}

/* ---- the oops ---- */

static size_t trace_text(const struct mml_oops *o, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < o->ntrace && i < 8 && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i ? " <- " : "", o->trace[i]);
	if (o->ntrace > 8 && len < size)
		len += (size_t)snprintf(buf + len, size - len, " <- ...");
	return len;
}

/* Where in the oops @fix's call path shows: "RIP", "trace" or NULL. */
static const char *oops_match(const struct mml_fix *fix,
			      const struct mml_oops *o, const char **fn)
{
	if (o->rip_function && mml_fix_concerns_call(fix, o->rip_function)) {
		*fn = o->rip_function;
		return "RIP";
	}
	for (size_t i = 0; i < o->ntrace; i++) {
		if (mml_fix_concerns_call(fix, o->trace[i])) {
			*fn = o->trace[i];
			return "call trace";
		}
	}
	return NULL;
}

/* Findings in the report that @fix concerns, as text. */
static bool related_findings(const struct mml_report *r,
			     const struct mml_fix *fix, char *buf, size_t size)
{
	size_t len = 0, n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->nfindings && len < size; i++) {
		const struct mml_finding *f = &r->findings[i];
		if (!mml_fix_concerns_finding(fix, f->check->id))
			continue;
		const struct mml_mm *m = mm_get(r, f->mm);
		if (n++ < 3)
			len += (size_t)snprintf(
				buf + len, size - len,
				"%s%s in mm 0x%" PRIx64 "%s", n > 1 ? ", " : "",
				f->check->id, f->mm,
				m && (m->sources & MML_SOURCE_MMLIST)
					? " (on init_mm.mmlist)" : "");
	}
	if (n > 3 && len < size)
		snprintf(buf + len, size - len, " and %zu more", n - 3);
	return n > 0;
}

/* A related mm with MMF_UNSTABLE set, which @fix's code skips, or NULL. */
static const struct mml_mm *skipped_mm(const struct mml_report *r,
				       const struct mml_fix *fix)
{
	if (!fix->skips_unstable)
		return NULL;
	for (size_t i = 0; i < r->nfindings; i++) {
		const struct mml_finding *f = &r->findings[i];
		const struct mml_mm *m;
		if (mml_fix_concerns_finding(fix, f->check->id) &&
		    (m = mm_get(r, f->mm)) && flag(m->flags, MML_MMF_UNSTABLE))
			return m;
	}
	return NULL;
}

/*
 * Whether this kernel has the fix an oops matches, in words that keep the
 * strength of the evidence: an oops in the very path a fix closes, on a
 * kernel said to have the fix, is a contradiction worth saying.
 */
static char *presence_clause(struct vb *b, const struct mml_verdict *v,
			     const struct mml_mm *skipped)
{
	char unstable[96] = "";
	if (skipped)
		snprintf(unstable, sizeof(unstable), "; mm 0x%" PRIx64 " has "
			 "MMF_UNSTABLE set, which the fixed code skips",
			 skipped->addr);
	switch (v->presence) {
	case MML_PRESENCE_PRESENT:
		if (v->certain)
			return fmt(b, "this kernel has it (%s)%s, so the fix "
				   "did not prevent this oops: another cause, "
				   "or a case the fix does not cover",
				   v->method_detail ? v->method_detail : "",
				   unstable);
		return fmt(b, "by version this kernel has it%s, yet the oops "
			   "is in the path it closes: check that this build "
			   "carries it", unstable);
	case MML_PRESENCE_ABSENT:
		return fmt(b, "this kernel lacks it%s%s",
			   v->method == MML_METHOD_VERSION ? " (by version "
							     "only)" : "",
			   unstable);
	case MML_PRESENCE_NOT_NEEDED:
		return dup(b, "this kernel does not need it");
	case MML_PRESENCE_UNKNOWN:
		break;
	}
	return dup(b, "whether this kernel has it is unknown");
}

/*
 * A WARNING is not an oops: it is named only where its call path meets a
 * catalogued fix (problem "warning"); @event: it is the log's only report
 * (no oops, BUG or panic), so its correlation is set.
 */
static void warning_problem(struct vb *b, struct mml_oops *o, bool event)
{
	char trace[512];
	trace_text(o, trace, sizeof(trace));
	bool any = false;
	for (const struct mml_fix *fix = mml_fixes; fix->id; fix++) {
		const char *fn = NULL, *where;
		if (fix->role != MML_FIX_FIX || !(where = oops_match(fix, o,
								     &fn)))
			continue;
		char *what = fmt(b, "The kernel warned (a WARNING, not an "
				 "oops%s): %s.", event ? "" : "; not what took "
				 "the machine down", o->message);
		char *evidence = fmt(b, "RIP %s; call trace %s",
				     o->rip ? o->rip : "not given",
				     *trace ? trace : "not in the log");
		struct mml_verdict *v = what && evidence
			? add(b, "warning", "kernel WARNING on a fixed path",
			      what, evidence, 0)
			: NULL;
		if (v) {
			judge(b, fix, NULL, v);
			v->match = "call-path";
			v->note = fmt(b, "its call path meets %.12s (%s in the "
				      "%s)", fix->commit ? fix->commit
							 : fix->name,
				      fn, where);
			if (event && !any) {
				free(o->correlation);
				o->correlation = dup(b, v->note);
			}
		}
		any = true;
		free(what);
		free(evidence);
	}
	if (event && !any) {
		free(o->correlation);
		o->correlation = dup(b, "none: a WARNING, not an oops, and no "
				     "catalogued call path meets it");
	}
}

static void warnings_problems(struct vb *b)
{
	for (size_t i = 0; i < b->in->nwarnings; i++)
		warning_problem(b, &b->in->warnings[i], false);
}

/* "The kernel reported: <first line> in <RIP function>; then it panicked
 * (<panic line>)." */
static char *event_what(struct vb *b, const struct mml_oops *o)
{
	bool then = o->panic && strcmp(o->panic, o->message);
	return fmt(b, "The kernel reported: %s%s%s%s%s%s.", o->message,
		   o->rip_function ? " in " : "",
		   o->rip_function ? o->rip_function : "",
		   then ? "; then it panicked (" : "", then ? o->panic : "",
		   then ? ")" : "");
}

/* A crash forced with sysrq-c: no correlation to look for. */
static void sysrq_problem(struct vb *b, struct mml_oops *o, const char *who,
			  const char *trace)
{
	char *what = fmt(b, "The kernel was crashed on purpose (sysrq-c): "
			 "%s.", o->panic ? o->panic : o->message);
	char *evidence = fmt(b, "%s%scall trace %s", who, *who ? "; " : "",
			     *trace ? trace : "not in the log");
	struct mml_verdict *v = add(b, "sysrq-crash",
				    "crash forced with sysrq-c", what,
				    evidence, 0);
	if (v) {
		v->certain = true;
		v->note = dup(b, "no correlation: a deliberate crash says "
			      "nothing about the mm states");
	}
	free(o->correlation);
	o->correlation = dup(b, "none: a deliberate sysrq-c crash");
	free(what);
	free(evidence);
}

/* The fault address as evidence ("; fault address ..."), "" without one;
 * true when it is a few bytes past XA_ZERO_ENTRY: a VMA field read through
 * the marker, which a walker took for a VMA. */
static bool fault_text(const struct mml_oops *o, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!o->have_fault_address)
		return false;
	uint64_t a = o->fault_address;
	bool via_marker = a >= MML_XA_ZERO_ENTRY &&
			  a < MML_XA_ZERO_ENTRY + XA_ZERO_REACH;
	if (via_marker)
		snprintf(buf, size, "; fault address 0x%" PRIx64 " = "
			 "XA_ZERO_ENTRY + 0x%" PRIx64 " (a VMA field read "
			 "through the marker)", a,
			 (uint64_t)(a - MML_XA_ZERO_ENTRY));
	else
		snprintf(buf, size, "; fault address 0x%" PRIx64, a);
	return via_marker;
}

/* The oops (or BUG, or panic) the verdicts of its fixes share. */
struct oops_problem {
	struct mml_oops *o;
	const char *title;
	char *what, *evidence;
	bool fault_via_marker;
	const struct mml_mm *marker;   /* the first mm with a marker */
};

/*
 * The verdict on @fix, whose call path the oops shows (@fn in the
 * @where): judged by the dump's state where one backs it, with a note
 * on what the dump shows. False on ENOMEM.
 */
static bool oops_fix(struct vb *b, const struct oops_problem *op,
		     const struct mml_fix *fix, const char *fn,
		     const char *where, bool first)
{
	const struct mml_report *r = b->in->report;
	struct state_ev st = { 0 }, *stp = NULL;
	if (!strcmp(fix->id, "dup-mmap-careful") && op->marker) {
		st = careful_state(op->marker->flags);
		stp = &st;
	}
	struct mml_verdict *v = add(b, "oops", op->title, op->what,
				    op->evidence, 0);
	if (!v)
		return false;
	judge(b, fix, stp, v);
	char rel[256];
	bool has_rel = related_findings(r, fix, rel, sizeof(rel));
	char *clause = presence_clause(b, v, skipped_mm(r, fix));
	const char *none = b->in->limited
		? "; the mms this limited scan looked at show none of the "
		  "states it concerns (scan them all to know)"
		: "; but the dump shows none of the states it concerns";
	/* No state to back the call path: the fault address may still say
	 * it was a read through the marker. */
	const char *why = "";
	bool xa_fix = mml_fix_concerns_finding(
		fix, mml_checks[MML_CHECK_XA_ZERO].id);
	bool via_marker = xa_fix && op->fault_via_marker;
	v->match = has_rel ? "state" : via_marker ? "address" : "call-path";
	if (!has_rel && xa_fix)
		why = via_marker ? ", though the fault address is a read "
				   "through XA_ZERO_ENTRY"
				 : ": only the call path matches, which "
				   "another bug in this path would too";
	v->note = fmt(b, "matches %.*s (%s in the %s)%s%s%s; %s",
		      fix->commit ? 12 : 64,
		      fix->commit ? fix->commit : fix->name, fn, where,
		      has_rel ? "; the dump shows " : none, has_rel ? rel : "",
		      why, clause ? clause : "");
	free(clause);
	if (first) {
		free(op->o->correlation);
		op->o->correlation = dup(b, v->note);
	}
	return true;
}

/* A verdict for every catalogued fix whose call path the oops shows, or
 * one saying none does. */
static void oops_fixes(struct vb *b, const struct oops_problem *op)
{
	bool any = false;
	for (const struct mml_fix *fix = mml_fixes; fix->id; fix++) {
		const char *fn = NULL;
		const char *where;
		if (fix->role != MML_FIX_FIX ||
		    !(where = oops_match(fix, op->o, &fn)))
			continue;
		if (!oops_fix(b, op, fix, fn, where, !any))
			break;
		any = true;
	}
	if (any)
		return;
	struct mml_verdict *v = add(b, "oops", op->title, op->what,
				    op->evidence, 0);
	if (v)
		v->note = dup(b, "no catalogued call path matches");
	free(op->o->correlation);
	op->o->correlation = dup(b, "no catalogued call path matches");
}

static void oops_problem(struct vb *b)
{
	struct mml_oops *o = b->in->oops;
	char trace[512], who[96] = "", addr[96];

	if (!o || !o->found)
		return;
	trace_text(o, trace, sizeof(trace));
	if (o->pid >= 0)
		snprintf(who, sizeof(who), "pid %d (%s) on CPU %d", o->pid,
			 o->comm, o->cpu);
	if (o->sysrq) {
		sysrq_problem(b, o, who, trace);
		return;
	}
	struct oops_problem op = {
		.o = o,
		.fault_via_marker = fault_text(o, addr, sizeof(addr)),
		.marker = first_marker(b->in->report),
	};
	if (!strcmp(o->kind, "warning")) {
		/* No oops, BUG or panic in the log: a WARNING did not take
		 * the machine down. */
		warning_problem(b, o, true);
		return;
	}
	op.title = !strcmp(o->kind, "bug") ? "kernel BUG"
		   : !strcmp(o->kind, "panic") ? "kernel panic"
					       : "kernel oops";
	op.what = event_what(b, o);
	op.evidence = fmt(b, "%s%sRIP %s; call trace %s%s", who,
			  *who ? "; " : "", o->rip ? o->rip : "not given",
			  *trace ? trace : "not in the log", addr);
	if (op.what && op.evidence)
		oops_fixes(b, &op);
	free(op.what);
	free(op.evidence);
}

/* ---- the kernel's posture ---- */

/* "kernel 6.12.7 (uts)", "kernel 6.12 (uts)" or "release unknown". */
static void kernel_text(const struct mml_version *v, char *buf, size_t size)
{
	if (v && v->have_patch)
		snprintf(buf, size, "kernel %u.%u.%u (%s)", v->major, v->minor,
			 v->patch, v->source);
	else if (v)
		snprintf(buf, size, "kernel %u.%u (%s)", v->major, v->minor,
			 v->source);
	else
		snprintf(buf, size, "release unknown");
}

/* A kernel without __mt_dup(): no XA_ZERO is possible. */
static void posture_without_mt_dup(struct vb *b, const char *title,
				   const char *kernel)
{
	const struct verdict_input *in = b->in;
	char *evidence = fmt(b, "%s; %s.",
			     in->symbols_usable ? "no symbol __mt_dup"
						: "by version only",
			     kernel);
	struct mml_verdict *v = add(b, "fork-recovery", title,
		"No XA_ZERO possible on this kernel: without __mt_dup(), "
		"dup_mmap() copies VMA by VMA and a failed fork leaves a "
		"consistent prefix of the child's VMAs, with no marker and no "
		"flags; the XA_ZERO fixes are not needed.", evidence, 0);
	if (v) {
		v->fix = mml_fix_find("mt-dup-fork");
		v->presence = MML_PRESENCE_ABSENT;
		v->method = in->symbols_usable ? MML_METHOD_SYMBOL
					       : MML_METHOD_VERSION;
		v->method_detail = dup(b, in->symbols_usable
					   ? "no symbol __mt_dup"
					   : "by version only: before 6.8");
		v->certain = in->symbols_usable &&
			     (!in->version ||
			      mml_version_cmp(in->version, 6, 8, 0) < 0);
	}
	free(evidence);
}

/* Whether this kernel has the 7.0 recovery rework: the verdict a problem
 * gave it, or a judgement made here and not counted as one. */
static enum mml_presence rework_presence(struct vb *b,
					 const struct mml_fix *rework)
{
	struct mml_verdict probe = { 0 };
	if (!was_judged(b, rework)) {
		judge(b, rework, NULL, &probe);
		b->njudged--;   /* judged again by the caller, for real */
	} else {
		/* A problem judged it already: take that verdict. */
		for (size_t i = 0; i < b->out.len; i++) {
			const struct mml_verdict *o =
				MML_VEC_AT(&b->out, struct mml_verdict, i);
			if (o->fix == rework)
				probe.presence = o->presence;
		}
	}
	mml_verdict_free(&probe);
	return probe.presence;
}

/* How this kernel recovers from a failed fork, judged even on a clean
 * dump: the fixes no problem paragraph judged. */
static void posture(struct vb *b)
{
	const struct verdict_input *in = b->in;
	const char *title = "how this kernel recovers from a failed fork";
	char kernel[128];
	uint64_t addr;

	kernel_text(in->version, kernel, sizeof(kernel));
	bool have_dup = true, know_dup = false;
	if (in->symbols_usable && in->symbol) {
		have_dup = in->symbol(in->symbol_arg, "__mt_dup", &addr);
		know_dup = true;
	} else if (in->version) {
		have_dup = mml_version_cmp(in->version, 6, 8, 0) >= 0;
		know_dup = true;
	}
	if (know_dup && !have_dup) {
		/* Unless a failed fork's paragraph said it already. */
		if (!was_judged(b, mml_fix_find("mt-dup-fork")))
			posture_without_mt_dup(b, title, kernel);
		return;
	}
	bool reworked = rework_presence(b, mml_fix_find("dup-mmap-recovery")) ==
			MML_PRESENCE_PRESENT;
	char *evidence = fmt(b, "%s; %s.",
			     know_dup ? "symbol __mt_dup present"
				      : "symbols not available",
			     kernel);
	const char *what =
		reworked
			? "Failed forks are torn down at once on this kernel "
			  "(the 7.0 recovery rework): the child's tree is "
			  "emptied and flagged MMF_OOM_SKIP and MMF_UNSTABLE; "
			  "no XA_ZERO is ever written."
			: "On this kernel a failed fork leaves an XA_ZERO "
			  "marker and the parent's VMAs in the child's tree "
			  "until exit_mmap() (the 6.8 to 6.19 scheme); these "
			  "fixes keep other walkers away from it.";
	if (!evidence)
		return;
	const char *ids[] = { "dup-mmap-recovery", "dup-mmap-careful",
			      "uprobe-fork", "swapoff-stable-mm", "oom-thaw" };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct mml_fix *fix = mml_fix_find(ids[i]);
		if (!fix || was_judged(b, fix))
			continue;
		if (i > 0 && reworked && strcmp(ids[i], "oom-thaw"))
			continue;   /* the rework makes them moot */
		add_fix(b, "fork-recovery", title, what, evidence, 0, ids[i],
			NULL);
	}
	free(evidence);
}

struct mml_error *mml_verdicts_build(const struct verdict_input *in,
				     struct mml_verdict **ret, size_t *nret)
{
	struct vb b = { .in = in, .out = MML_VEC_INIT(struct mml_verdict) };

	oops_problem(&b);
	warnings_problems(&b);
	marker_problems(&b);
	torn_down_problems(&b);
	prefix_problems(&b);
	empty_mm_problems(&b);
	/* The oops paragraph goes first; it was built first so that its
	 * fixes are judged once. */
	posture(&b);
	if (b.failed) {
		for (size_t i = 0; i < b.out.len; i++)
			mml_verdict_free(MML_VEC_AT(&b.out,
						    struct mml_verdict, i));
		mml_vec_free(&b.out);
		return &mml_enomem;
	}
	*ret = b.out.data;
	*nret = b.out.len;
	return NULL;
}

/* ---- the scan's call ---- */

static char *read_uts_string(struct mml_ctx *ctx, uint64_t base,
			     uint64_t off, uint64_t len)
{
	char buf[257];
	uint64_t fault;
	if (off == MML_ABSENT || len == MML_ABSENT || len == 0 ||
	    len > sizeof(buf) - 1)
		return NULL;
	if (mml_ctx_read(ctx, base + off, buf, len, &fault))
		return NULL;
	buf[len] = '\0';
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return buf[0] ? strdup(buf) : NULL;
}

static void read_uts(struct mml_ctx *ctx, struct mml_report *r)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t uts;
	if (l->uts_ns_name == MML_ABSENT ||
	    !ctx->target.ops->symbol(ctx->target.arg, "init_uts_ns", &uts))
		return;
	uint64_t name = uts + l->uts_ns_name;
	r->kernel_release = read_uts_string(ctx, name, l->utsname_release,
					    l->utsname_release_len);
	r->kernel_version = read_uts_string(ctx, name, l->utsname_version,
					    l->utsname_version_len);
}

struct mml_error *mml_report_verdicts(struct mml_ctx *ctx,
				      const struct mml_scan_options *opts,
				      struct mml_report *r)
{
	struct mml_error *err;
	struct mml_version version;
	uint64_t addr;

	read_uts(ctx, r);
	if (!r->kernel_release && opts && opts->release &&
	    !(r->kernel_release = strdup(opts->release)))
		return &mml_enomem;
	bool have_version = mml_version_from_uts(r->kernel_release,
						 r->kernel_version, &version);
	err = mml_log_build(ctx, opts ? opts->log_lines : 0, &r->log);
	if (err)
		return err;
	struct verdict_input in = {
		.report = r,
		.symbol = ctx->target.ops->symbol,
		.symbol_arg = ctx->target.arg,
		.symbols_usable = ctx->target.ops->symbol(ctx->target.arg,
							  "init_task", &addr),
		.types_usable = true,
		.unmap_desc_size = ctx->layout.unmap_desc_size,
		.version = have_version ? &version : NULL,
		.oops = r->log.read ? &r->log.oops : NULL,
		.oom = r->log.read ? &r->log.oom : NULL,
		.warnings = r->log.read ? r->log.warnings : NULL,
		.nwarnings = r->log.read ? r->log.nwarnings : 0,
		.limited = opts && (opts->pid || opts->mm),
	};
	return mml_verdicts_build(&in, &r->verdicts, &r->nverdicts);
}
