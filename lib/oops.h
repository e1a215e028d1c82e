/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The oops or panic in the kernel log (oops.c). */
#ifndef MMLIFE_OOPS_H
#define MMLIFE_OOPS_H

#include <stdbool.h>
#include <stddef.h>

#include "mmlife/model.h"

#define MML_OOPS_MAX_TRACE 64     /* call trace functions kept */
#define MML_OOPS_SCAN_LINES 400   /* lines after the start searched */

/*
 * Find the first oops ("BUG: unable to handle page fault for address",
 * "Oops:", "general protection fault", "kernel BUG at") in @lines (log
 * texts without timestamps), or else the first "Kernel panic - not
 * syncing", or else the first "WARNING:"; fill @ret (ret->found false if
 * none). False only on ENOMEM.
 */
bool mml_oops_parse(const char *const *lines, size_t n, struct mml_oops *ret);
/* The last OOM-killer or page-allocation-failure report in @lines (kind
 * "oom" or "alloc-failure"), with its task and call trace. */
bool mml_oom_parse(const char *const *lines, size_t n, struct mml_oops *ret);
void mml_oops_deinit(struct mml_oops *oops);

#endif
