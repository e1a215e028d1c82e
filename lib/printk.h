/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel log from the dump's printk ring buffer (printk.c). */
#ifndef MMLIFE_PRINTK_H
#define MMLIFE_PRINTK_H

#include "internal.h"

/* Walk limits of the ring-buffer reader (see lib/walk_limits.h). */
#define MML_PRINTK_MAX_COUNT_BITS 22   /* descriptors: 4M */
#define MML_PRINTK_MAX_SIZE_BITS 28    /* text ring: 256 MiB */
#define MML_PRINTK_MAX_RECORDS (1u << 20)
#define MML_PRINTK_MAX_TEXT (32u << 20) /* bytes of text kept */
#define MML_LOG_LINES_DEFAULT 50

/* One line of the log: a record's text split at newlines. */
struct printk_line {
	uint64_t seq;
	uint64_t ts_nsec;
	char *text;               /* owned, no newline, printable */
};

struct printk_lines {
	struct printk_line *v;
	size_t n, cap;
	uint64_t records, skipped;
	uint64_t first_seq, last_seq;
	size_t bytes;
};

/*
 * Read every finished record from the ring buffer at the symbol "prb"
 * (the lockless ring buffer of 5.10+), oldest first. A dump without it, or
 * with types that lack it, gives an error of code MML_ERROR_NOT_FOUND or
 * MML_ERROR_UNSUPPORTED; unreadable records are counted as skipped.
 */
struct mml_error *mml_printk_read(struct mml_ctx *ctx,
				  struct printk_lines *ret);
void mml_printk_lines_free(struct printk_lines *lines);
/* "[    5.297873] text" */
char *mml_printk_format(const struct printk_line *line);

/* Fill @log: read the ring buffer, keep the last @keep lines, find the
 * oops. Never fails but for ENOMEM; reasons go to log->unavailable. */
struct mml_error *mml_log_build(struct mml_ctx *ctx, uint32_t keep,
				struct mml_log *log);

#endif
