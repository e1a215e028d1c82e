/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Verdicts: problems seen in the dump and whether the kernel has the
 * fixes that concern them (verdict.c). */
#ifndef MMLIFE_VERDICT_H
#define MMLIFE_VERDICT_H

#include "fixes.h"
#include "internal.h"

/* What the verdicts are decided from; the unit tests fill it by hand. */
struct verdict_input {
	const struct mml_report *report;   /* findings and mms */
	/* Symbol lookup; symbols_usable: a known symbol resolved, so an
	 * absent one means something. */
	bool (*symbol)(void *arg, const char *name, uint64_t *addr_ret);
	void *symbol_arg;
	bool symbols_usable;
	/* The types were asked (the layout resolved); unmap_desc_size is
	 * MML_ABSENT when they lack struct unmap_desc. */
	bool types_usable;
	uint64_t unmap_desc_size;
	const struct mml_version *version; /* NULL: unknown */
	struct mml_oops *oops;             /* NULL: no log; gets correlation */
	const struct mml_oops *oom;        /* the last OOM report, or NULL */
	/* The log's other WARNINGs: named where their call path meets a
	 * fix; they get no correlation. */
	struct mml_oops *warnings;
	size_t nwarnings;
	/* The scan looked at one pid or one mm only: the absence of a state
	 * in the report says nothing about the rest of the dump. */
	bool limited;
};

struct mml_error *mml_verdicts_build(const struct verdict_input *in,
				     struct mml_verdict **ret, size_t *nret);

/* The scan's one call: kernel release, log, oops, verdicts into @r. */
struct mml_error *mml_report_verdicts(struct mml_ctx *ctx,
				      const struct mml_scan_options *opts,
				      struct mml_report *r);

#endif
