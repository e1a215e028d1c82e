/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-ahead of kdump-compressed pages (readahead.c): one worker thread
 * inflates the pages the core's hints name (mml_ctx_set_prefetch()) into
 * a small table, from which the main thread's read takes them instead of
 * inflating them itself. The main thread looks each page up (address
 * translation and the dump's descriptors are not thread-safe); the
 * worker only decompresses.
 */
#ifndef MMLIFE_CLI_READAHEAD_H
#define MMLIFE_CLI_READAHEAD_H

#include <stdbool.h>
#include <stdint.h>

#include "mmlife/error.h"
#include "kpages.h"

struct cli_readahead;

/* The worker's decompression of one page: mml_kpages_decode() with
 * faults caught (dump.c); false when the page did not decode. */
typedef bool (*cli_readahead_decode_fn)(const struct mml_kpages *kp,
					struct mml_kpages_dec *dec,
					const struct mml_kpages_loc *loc,
					void *page);

/* Start the worker over the pages of @kp. @patient (for tests): the
 * main thread waits for every queued page to be the worker's. */
struct mml_error *cli_readahead_create(const struct mml_kpages *kp,
				       cli_readahead_decode_fn decode,
				       bool patient,
				       struct cli_readahead **ret);
/* Stop the worker (it finishes the page it is on) and free the table. */
void cli_readahead_destroy(struct cli_readahead *ra);

/* Whether the page of virtual address @page is in the table already, or
 * the table has no room, or hints are off for now (timed slower): then a
 * hint for it is not worth looking up. */
bool cli_readahead_skip(struct cli_readahead *ra, uint64_t page);
/* Queue the page of virtual address @page, stored at @loc, for the
 * worker (dropped when the table is full of pages still to inflate). */
void cli_readahead_queue(struct cli_readahead *ra, uint64_t page,
			 const struct mml_kpages_loc *loc);
/*
 * The 4096 bytes of the page of virtual address @page into @buf: true
 * when the page was queued, false when it was not (or did not decode):
 * the caller reads it as without read-ahead. The worker's copy if it has
 * it; it waits only for a page the worker is inflating now, and not
 * longer than an inflation or two; a page the worker has not started is
 * taken off the queue and inflated here (with the descriptor looked up
 * when it was queued), sooner than the worker would get to it. Runs
 * under the caller's fault guard (the main thread's: cli_dump_read()).
 */
bool cli_readahead_take(struct cli_readahead *ra, uint64_t page, void *buf);

struct cli_readahead_stats {
	uint64_t inflated;   /* pages the worker inflated */
	uint64_t helped;     /* queued pages the main thread inflated while
				the worker was on the one it needed */
	uint64_t taken;      /* of them, pages a read took */
	uint64_t waited;     /* reads that waited for the worker */
	uint64_t abandoned;  /* of them, waited too long: inflated again */
	uint64_t queued;     /* hints queued */
	uint64_t dropped;    /* hints dropped, the table full */
	uint64_t reclaimed;  /* queued pages a read took back */
	uint64_t missed;     /* reads of pages not in the table */
	uint64_t cycles;     /* timed cycles (readahead.c, ra_tick()) */
	uint64_t cycles_off; /* of them, cycles run without hints: the
				walk was faster without */
};
void cli_readahead_stats(struct cli_readahead *ra,
			 struct cli_readahead_stats *ret);

#endif
