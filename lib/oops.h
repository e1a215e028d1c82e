/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The oops or panic in the kernel log (oops.c). */
#ifndef MMLIFE_OOPS_H
#define MMLIFE_OOPS_H

#include <stdbool.h>
#include <stddef.h>

#include "mmlife/model.h"

#define MML_OOPS_MAX_TRACE 64     /* call trace functions kept */
#define MML_OOPS_SCAN_LINES 400   /* lines after the start searched */
#define MML_OOPS_MAX_WARNINGS 16  /* WARNING reports kept */

/*
 * The event that took the machine down, in @lines (log texts without
 * timestamps): with a "Kernel panic - not syncing", the last oops ("BUG:
 * unable to handle ...", "Oops:", "general protection fault", arm64's
 * "Unable to handle kernel ...") or "kernel BUG at" before it, or the
 * last WARNING before a panic_on_warn panic, else the panic itself;
 * without a panic the first oops or BUG; else the first "WARNING:" (kind
 * "warning": not an oops). Fills @ret (ret->found false if none). False
 * only on ENOMEM.
 */
bool mml_oops_parse(const char *const *lines, size_t n, struct mml_oops *ret);
/* The last OOM-killer or page-allocation-failure report in @lines (kind
 * "oom" or "alloc-failure"), with its task and call trace. */
bool mml_oom_parse(const char *const *lines, size_t n, struct mml_oops *ret);
/* The CPU/pid/comm, RIP and call trace of the report (any kind: a
 * dump_stack() too) whose first line is @start; kind "report". */
bool mml_oops_parse_report(const char *const *lines, size_t n, size_t start,
			   struct mml_oops *ret);
/* Every WARNING report in @lines but @event itself (at most
 * MML_OOPS_MAX_WARNINGS), oldest first, into a malloc'ed array. */
bool mml_warnings_parse(const char *const *lines, size_t n,
			const struct mml_oops *event, struct mml_oops **ret,
			size_t *nret);
void mml_oops_deinit(struct mml_oops *oops);

#endif
