// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's posture: how it recovers from a failed fork, and the fixes
 * of that path no problem judged, so a clean dump says which it has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verdict_build.h"

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
	_cleanup_free_ char *evidence = vb_fmt(
		b, "%s; %s.",
		in->symbols_usable ? "no symbol __mt_dup" : "by version only",
		kernel);
	struct mml_verdict *v = vb_add(b, "fork-recovery", title,
		"No XA_ZERO possible on this kernel: without __mt_dup(), "
		"dup_mmap() copies VMA by VMA and a failed fork leaves a "
		"consistent prefix of the child's VMAs, with no marker and no "
		"flags; the XA_ZERO fixes are not needed.", evidence, 0);
	if (v) {
		v->fix = mml_fix_find("mt-dup-fork");
		v->presence = MML_PRESENCE_ABSENT;
		v->method = in->symbols_usable ? MML_METHOD_SYMBOL
					       : MML_METHOD_VERSION;
		v->method_detail = vb_dup(b, in->symbols_usable
					      ? "no symbol __mt_dup"
					      : "by version only: before 6.8");
		v->certain = in->symbols_usable &&
			     (!in->version ||
			      mml_version_cmp(in->version, 6, 8, 0) < 0);
	}
}

/* Whether this kernel has the 7.0 recovery rework: the verdict a problem
 * gave it, or a judgement made here and not counted as one. */
static enum mml_presence rework_presence(struct vb *b,
					 const struct mml_fix *rework)
{
	struct mml_verdict probe = { 0 };
	if (!vb_was_judged(b, rework)) {
		vb_judge(b, rework, NULL, &probe);
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
void vb_posture(struct vb *b)
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
		if (!vb_was_judged(b, mml_fix_find("mt-dup-fork")))
			posture_without_mt_dup(b, title, kernel);
		return;
	}
	bool reworked = rework_presence(b, mml_fix_find("dup-mmap-recovery")) ==
			MML_PRESENCE_PRESENT;
	_cleanup_free_ char *evidence = vb_fmt(
		b, "%s; %s.",
		know_dup ? "symbol __mt_dup present" : "symbols not available",
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
		if (!fix || vb_was_judged(b, fix))
			continue;
		if (i > 0 && reworked && strcmp(ids[i], "oom-thaw"))
			continue;   /* the rework makes them moot */
		vb_add_fix(b, "fork-recovery", title, what, evidence, 0, ids[i],
			   NULL);
	}
}
