// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Verdicts: for each distinct problem the dump shows, what happened, the
 * evidence, and for each catalogued fix that concerns it whether this
 * kernel has it, by the strongest evidence available (see vb_judge()):
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
 *
 * This file judges a fix and builds the list; the problems are written in
 * verdict_oops.c, verdict_fork.c and verdict_posture.c (verdict_build.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kconst.h"
#include "oops.h"
#include "printk.h"
#include "verdict_build.h"

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

char *vb_fmt(struct vb *b, const char *f, ...)
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

char *vb_dup(struct vb *b, const char *s)
{
	if (!s)
		return NULL;
	char *d = strdup(s);
	if (!d)
		b->failed = true;
	return d;
}

bool vb_was_judged(const struct vb *b, const struct mml_fix *fix)
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
		char *d = vb_fmt(b, "%s, which contradicts the version (%s)",
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
		v->method_detail = vb_fmt(b, "by version it is not needed "
					  "(%s), but this kernel has "
					  "__mt_dup(), which contradicts the "
					  "version: a backport, so whether it "
					  "carries the fix is unknown", why);
		return true;
	}
	v->method_detail = vb_fmt(b, "by version only: %s%s%s%s", why,
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
	return vb_fmt(b, "%stype struct %s%s%s%s", have ? "" : "no ", fix->type,
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
bool vb_judge(struct vb *b, const struct mml_fix *fix,
	      const struct state_ev *st, struct mml_verdict *v)
{
	if (!vb_was_judged(b, fix) && b->njudged < 32)
		b->judged[b->njudged++] = fix;
	v->fix = fix;
	struct marks mk = ask_marks(b, fix);
	if (mk.symbol == 1 && !fix->symbol_of_series)
		return decided(b, fix, v, MML_PRESENCE_PRESENT,
			       MML_METHOD_SYMBOL, !fix->symbol_inferred,
			       vb_fmt(b, "symbol %s", fix->symbol));
	if (mk.type == 1 && !fix->type_commit)
		return decided(b, fix, v, MML_PRESENCE_PRESENT, MML_METHOD_TYPE,
			       true, type_detail(b, fix, true));
	if (st && st->have)
		return decided(b, fix, v, st->presence, MML_METHOD_STATE,
			       st->certain, vb_dup(b, st->detail));
	if (mk.type == 1)
		return decided(b, fix, v, MML_PRESENCE_PRESENT, MML_METHOD_TYPE,
			       false, type_detail(b, fix, true));
	if (mk.symbol == 1)
		return decided(b, fix, v, MML_PRESENCE_PRESENT,
			       MML_METHOD_SYMBOL, false,
			       vb_fmt(b, "symbol %s, same series",
				      fix->symbol));
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
				       vb_fmt(b, "no symbol %s", fix->symbol));
	}
	if (b->in->version)
		return by_version(b, fix, v,
				  mk.symbol == 0 && fix->symbol_static
					  ? fix->symbol : NULL);
	v->presence = MML_PRESENCE_UNKNOWN;
	v->method = MML_METHOD_NONE;
	v->certain = false;
	v->method_detail = vb_dup(b, mk.symbol == 0
				      ? "no symbol (static or inlined: "
					"decides nothing), no type, state or "
					"release to decide by"
				      : "no symbol, type, state or release "
					"to decide by");
	return true;
}

struct mml_verdict *vb_add(struct vb *b, const char *problem,
			   const char *title, const char *what,
			   const char *evidence, uint64_t mm)
{
	struct mml_verdict *v = mml_vec_push(&b->out);
	if (!v) {
		b->failed = true;
		return NULL;
	}
	v->problem = problem;
	v->title = vb_dup(b, title);
	v->what = vb_dup(b, what);
	v->evidence = vb_dup(b, evidence);
	v->mm = mm;
	return v;
}

struct mml_verdict *vb_add_fix(struct vb *b, const char *problem,
			       const char *title, const char *what,
			       const char *evidence, uint64_t mm,
			       const char *fix_id,
			       const struct state_ev *st)
{
	const struct mml_fix *fix = mml_fix_find(fix_id);
	struct mml_verdict *v = vb_add(b, problem, title, what, evidence, mm);
	if (v && fix)
		vb_judge(b, fix, st, v);
	return v;
}

/* ---- what the report says ---- */

const struct mml_mm *vb_mm_get(const struct mml_report *r, uint64_t mm)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].addr == mm)
			return &r->mms[i];
	return NULL;
}

/* The flags evidence of 64c37e134b12 on an mm holding XA_ZERO. */
struct state_ev vb_careful_state(uint64_t flags)
{
	bool skip = vb_flag(flags, MML_MMF_OOM_SKIP);
	bool unstable = vb_flag(flags, MML_MMF_UNSTABLE);
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
const struct mml_mm *vb_first_marker(const struct mml_report *r)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].facts.marker)
			return &r->mms[i];
	return NULL;
}

struct mml_error *mml_verdicts_build(const struct verdict_input *in,
				     struct mml_verdict **ret, size_t *nret)
{
	struct vb b = { .in = in, .out = MML_VEC_INIT(struct mml_verdict) };

	vb_oops_problem(&b);
	vb_warnings_problems(&b);
	vb_marker_problems(&b);
	vb_torn_down_problems(&b);
	vb_prefix_problems(&b);
	vb_empty_mm_problems(&b);
	/* The oops paragraph goes first; it was built first so that its
	 * fixes are judged once. */
	vb_posture(&b);
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

