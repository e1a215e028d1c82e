// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verdicts on the log's oops, BUG or panic and its WARNINGs: the
 * catalogued fixes whose call path they show, backed by the dump's state
 * where it shows one, and the oops's correlation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_build.h"

#define XA_ZERO_REACH UINT64_C(0x400)    /* a field of a "VMA" at 0x406 */

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

/* "RIP" (x86_64) or "pc" (arm64), as the log named it. */
static const char *rip_label(const struct mml_oops *o)
{
	return o->rip_label ? o->rip_label : "RIP";
}

/* Where in the oops @fix's call path shows: "RIP" (or "pc"), "call
 * trace" or NULL. */
static const char *oops_match(const struct mml_fix *fix,
			      const struct mml_oops *o, const char **fn)
{
	if (o->rip_function && mml_fix_concerns_call(fix, o->rip_function)) {
		*fn = o->rip_function;
		return rip_label(o);
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
		if (!mml_fix_concerns_finding(fix, f->check))
			continue;
		const struct mml_mm *m = vb_mm_get(r, f->mm);
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
		if (mml_fix_concerns_finding(fix, f->check) &&
		    (m = vb_mm_get(r, f->mm)) &&
		    vb_flag(m->flags, MML_MMF_UNSTABLE))
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
			return vb_fmt(b, "this kernel has it (%s)%s, so the "
				      "fix did not prevent this oops: another "
				      "cause, or a case the fix does not cover",
				      v->method_detail ? v->method_detail : "",
				      unstable);
		return vb_fmt(b, "by version this kernel has it%s, yet the "
			      "oops is in the path it closes: check that this "
			      "build carries it", unstable);
	case MML_PRESENCE_ABSENT:
		return vb_fmt(b, "this kernel lacks it%s%s",
			      v->method == MML_METHOD_VERSION ? " (by version "
							     "only)" : "",
			      unstable);
	case MML_PRESENCE_NOT_NEEDED:
		return vb_dup(b, "this kernel does not need it");
	case MML_PRESENCE_UNKNOWN:
		break;
	}
	return vb_dup(b, "whether this kernel has it is unknown");
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
		_cleanup_free_ char *what = vb_fmt(
			b, "The kernel warned (a WARNING, not an oops%s): %s.",
			event ? "" : "; not what took the machine down",
			o->message);
		_cleanup_free_ char *evidence = vb_fmt(
			b, "%s %s; call trace %s", rip_label(o),
			o->rip ? o->rip : "not given",
			*trace ? trace : "not in the log");
		struct mml_verdict *v = what && evidence
			? vb_add(b, "warning", "kernel WARNING on a fixed path",
				 what, evidence, 0)
			: NULL;
		if (v) {
			vb_judge(b, fix, NULL, v);
			v->match = "call-path";
			v->note = vb_fmt(b, "its call path meets %.12s (%s in "
					 "the %s)",
					 fix->commit ? fix->commit : fix->name,
					 fn, where);
			if (event && !any) {
				free(o->correlation);
				o->correlation = vb_dup(b, v->note);
			}
		}
		any = true;
	}
	if (event && !any) {
		free(o->correlation);
		o->correlation = vb_dup(b, "none: a WARNING, not an oops, and "
					"no catalogued call path meets it");
	}
}

void vb_warnings_problems(struct vb *b)
{
	for (size_t i = 0; i < b->in->nwarnings; i++)
		warning_problem(b, &b->in->warnings[i], false);
}

/* "The kernel reported: <first line> in <RIP function>; then it panicked
 * (<panic line>)." */
static char *event_what(struct vb *b, const struct mml_oops *o)
{
	bool then = o->panic && strcmp(o->panic, o->message);
	return vb_fmt(b, "The kernel reported: %s%s%s%s%s%s.", o->message,
		      o->rip_function ? " in " : "",
		      o->rip_function ? o->rip_function : "",
		      then ? "; then it panicked (" : "", then ? o->panic : "",
		      then ? ")" : "");
}

/* A crash forced with sysrq-c: no correlation to look for. */
static void sysrq_problem(struct vb *b, struct mml_oops *o, const char *who,
			  const char *trace)
{
	_cleanup_free_ char *what = vb_fmt(
		b, "The kernel was crashed on purpose (sysrq-c): %s.",
		o->panic ? o->panic : o->message);
	_cleanup_free_ char *evidence = vb_fmt(
		b, "%s%scall trace %s", who, *who ? "; " : "",
		*trace ? trace : "not in the log");
	struct mml_verdict *v = vb_add(b, "sysrq-crash",
				       "crash forced with sysrq-c", what,
				       evidence, 0);
	if (v) {
		v->certain = true;
		v->note = vb_dup(b, "no correlation: a deliberate crash says "
				 "nothing about the mm states");
	}
	free(o->correlation);
	o->correlation = vb_dup(b, "none: a deliberate sysrq-c crash");
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
		st = vb_careful_state(op->marker->flags);
		stp = &st;
	}
	struct mml_verdict *v = vb_add(b, "oops", op->title, op->what,
				       op->evidence, 0);
	if (!v)
		return false;
	vb_judge(b, fix, stp, v);
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
	bool xa_fix = mml_fix_concerns_finding(fix,
					       &mml_checks[MML_CHECK_XA_ZERO]);
	bool via_marker = xa_fix && op->fault_via_marker;
	v->match = has_rel ? "state" : via_marker ? "address" : "call-path";
	if (!has_rel && xa_fix)
		why = via_marker ? ", though the fault address is a read "
				   "through XA_ZERO_ENTRY"
				 : ": only the call path matches, which "
				   "another bug in this path would too";
	v->note = vb_fmt(b, "matches %.*s (%s in the %s)%s%s%s; %s",
			 fix->commit ? 12 : 64,
			 fix->commit ? fix->commit : fix->name, fn, where,
			 has_rel ? "; the dump shows " : none,
			 has_rel ? rel : "", why, clause ? clause : "");
	free(clause);
	if (first) {
		free(op->o->correlation);
		op->o->correlation = vb_dup(b, v->note);
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
	struct mml_verdict *v = vb_add(b, "oops", op->title, op->what,
				       op->evidence, 0);
	if (v)
		v->note = vb_dup(b, "no catalogued call path matches");
	free(op->o->correlation);
	op->o->correlation = vb_dup(b, "no catalogued call path matches");
}

void vb_oops_problem(struct vb *b)
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
		.marker = vb_first_marker(b->in->report),
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
	op.evidence = vb_fmt(b, "%s%s%s %s; call trace %s%s", who,
			     *who ? "; " : "", rip_label(o),
			     o->rip ? o->rip : "not given",
			     *trace ? trace : "not in the log", addr);
	if (op.what && op.evidence)
		oops_fixes(b, &op);
	free(op.what);
	free(op.evidence);
}
