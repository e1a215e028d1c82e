/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named limits for every walk over dump data (defaults; see mml_limits). */
#ifndef MMLIFE_WALK_LIMITS_H
#define MMLIFE_WALK_LIMITS_H

/* Threads on the task list; PID_MAX_LIMIT is 4M. */
#define MML_LIMIT_TASKS (4u << 20)
/* Nodes in one maple tree: 16M nodes hold far more than the 2^31
 * VMAs map_count can count. */
#define MML_LIMIT_NODES (16u << 20)
/* Entries of other lists (init_mm.mmlist). */
#define MML_LIMIT_LIST (4u << 20)
/* Pages the reader caches (16 MiB at 4 KiB pages). */
#define MML_LIMIT_CACHE_PAGES 4096u
/* Depth of a maple tree walk: MAPLE_HEIGHT_MAX. */
#define MML_LIMIT_DEPTH 31u

#endif
