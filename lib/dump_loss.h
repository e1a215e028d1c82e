/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dump class of findings: what a lossy dump kept mmlife from checking. */
#ifndef MMLIFE_DUMP_LOSS_H
#define MMLIFE_DUMP_LOSS_H

#include "internal.h"

struct dump_loss_input {
	size_t nglobal;            /* findings at the end not about one mm */
	uint64_t excluded_reads;   /* reads that hit excluded pages */
	uint64_t tasks_walked;
	int64_t nr_threads;        /* the kernel's nr_threads, -1 unknown */
	uint64_t mms_without_tasks; /* in use, their tasks on lost pages */
	int32_t dump_level;        /* makedumpfile -d, <= 0 unknown */
};

/*
 * Fold the dump-wide excluded-page findings of @r into one dump-incomplete
 * finding appended to @r (none when nothing was lost). Run after the
 * verdicts, whose kernel release names the likely cause.
 */
struct mml_error *mml_dump_loss_summarise(const struct dump_loss_input *in,
					  struct mml_report *r);

#endif
