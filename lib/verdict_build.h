/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The verdict builder shared by the files that write verdicts: verdict.c
 * (judging a fix, the build), verdict_oops.c (the oops and WARNINGs),
 * verdict_fork.c (failed forks, empty mms), verdict_posture.c (how the
 * kernel recovers from a failed fork).
 */
#ifndef MMLIFE_VERDICT_BUILD_H
#define MMLIFE_VERDICT_BUILD_H

#include "kconst.h"
#include "mmlife/cleanup.h"
#include "verdict.h"

/* The verdicts being built; an allocation failure sets @failed, and the
 * build then returns ENOMEM and no verdict. */
struct vb {
	const struct verdict_input *in;
	struct mml_vec out;           /* struct mml_verdict */
	bool failed;
	const struct mml_fix *judged[32];
	size_t njudged;
};

/* State evidence a problem gives about a fix. */
struct state_ev {
	bool have;
	enum mml_presence presence;
	bool certain;
	const char *detail;
};

/* printf and strdup into a new string; NULL (and b->failed) on ENOMEM. */
char *vb_fmt(struct vb *b, const char *f, ...)
	__attribute__((format(printf, 2, 3)));
char *vb_dup(struct vb *b, const char *s);

/* Whether a verdict on @fix was made already. */
bool vb_was_judged(const struct vb *b, const struct mml_fix *fix);
/* Decide whether this kernel has @fix into @v, by the strongest evidence
 * available (@st: the dump's state, or NULL). */
bool vb_judge(struct vb *b, const struct mml_fix *fix,
	      const struct state_ev *st, struct mml_verdict *v);
/* A new verdict of @problem, not yet judged; NULL on ENOMEM. */
struct mml_verdict *vb_add(struct vb *b, const char *problem,
			   const char *title, const char *what,
			   const char *evidence, uint64_t mm);
/* vb_add(), judged on the fix @fix_id of the catalogue. */
struct mml_verdict *vb_add_fix(struct vb *b, const char *problem,
			       const char *title, const char *what,
			       const char *evidence, uint64_t mm,
			       const char *fix_id, const struct state_ev *st);

/* What the report says. */
const struct mml_mm *vb_mm_get(const struct mml_report *r, uint64_t mm);
/* The first mm whose tree holds a failed fork's marker, or NULL. */
const struct mml_mm *vb_first_marker(const struct mml_report *r);
/* The flags evidence of 64c37e134b12 on an mm holding XA_ZERO. */
struct state_ev vb_careful_state(uint64_t flags);
static inline bool vb_flag(uint64_t flags, unsigned int bit)
{
	return (flags >> bit) & 1;
}

/* The problems, in the order mml_verdicts_build() adds them. */
void vb_oops_problem(struct vb *b);          /* verdict_oops.c */
void vb_warnings_problems(struct vb *b);
void vb_marker_problems(struct vb *b);       /* verdict_fork.c */
void vb_torn_down_problems(struct vb *b);
void vb_prefix_problems(struct vb *b);
void vb_empty_mm_problems(struct vb *b);
void vb_posture(struct vb *b);               /* verdict_posture.c */

#endif
