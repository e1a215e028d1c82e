// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --threads N: the mms' walks split among N threads (mml_ctx_set_workers()),
 * each reading the dump through a clone of its own (cli_dump_clone(): a
 * libkdumpfile clone, the fast path's descriptors shared, a decompressor
 * of its own). Inflating a compressed kdump's pages is most of a run
 * (bench/ANALYSIS.md), and the mms are independent, so N threads inflate
 * in parallel with nothing to hand over page by page. Compressed kdump
 * files only (elsewhere a page is a copy, nothing to share out); never in
 * "mmlife scan"'s workers, which run one per CPU already. The report is
 * the same as with one thread but for counts.pages_read (every thread's
 * reads; tests/dumps/threads.sh).
 */
#include <stdlib.h>

#include "mmlife/scan.h"
#include "cli.h"
#include "dump/dump.h"

static enum mml_read_status worker_read(void *arg, uint64_t addr, void *buf,
					size_t len)
{
	return cli_dump_read(arg, addr, buf, len);
}

/* The core asks a worker's target for pages only (scan.h). */
static bool worker_symbol(void *arg, const char *name, uint64_t *ret)
{
	(void)arg;
	(void)name;
	(void)ret;
	return false;
}

static bool worker_vmcoreinfo(void *arg, const char *key, uint64_t *ret)
{
	(void)arg;
	(void)key;
	(void)ret;
	return false;
}

static const struct mml_target_ops worker_target_ops = {
	.read = worker_read,
	.symbol = worker_symbol,
	.vmcoreinfo = worker_vmcoreinfo,
};

/* Why the walks stay on one thread, or NULL. */
static const char *workers_off_why(unsigned int threads, bool scan_worker)
{
	if (threads < 2)
		return "one thread (--threads=1, the default)";
	if (scan_worker)
		return "a scan worker: the scan runs one per CPU";
	return NULL;
}

struct mml_error *cli_session_workers(struct cli_session *s,
				      unsigned int threads, bool scan_worker,
				      struct mml_ctx *ctx)
{
	s->workers_off = workers_off_why(threads, scan_worker);
	if (s->workers_off)
		return NULL;
	unsigned int n = threads - 1;
	s->worker_dumps = calloc(n, sizeof(*s->worker_dumps));
	s->worker_targets = calloc(n, sizeof(*s->worker_targets));
	if (!s->worker_dumps || !s->worker_targets)
		return &mml_enomem;
	for (unsigned int k = 0; k < n; k++) {
		struct mml_error *err =
			cli_dump_clone(s->dump, &s->worker_dumps[k]);
		if (err && err->code == MML_ERROR_UNSUPPORTED) {
			mml_error_destroy(err);
			s->workers_off = "not a kdump-compressed dump";
			return NULL;
		}
		if (err)
			return err;
		s->nworkers = k + 1;
		s->worker_targets[k] = s->target;
		s->worker_targets[k].ops = &worker_target_ops;
		s->worker_targets[k].arg = s->worker_dumps[k];
	}
	mml_ctx_set_workers(ctx, s->worker_targets, s->nworkers);
	return NULL;
}

void cli_session_workers_destroy(struct cli_session *s)
{
	if (s->verbose && s->dump)
		fprintf(stderr, "mmlife: walks on %u thread%s%s%s%s\n",
			s->nworkers + 1, s->nworkers ? "s" : "",
			s->workers_off ? " (" : "",
			s->workers_off ? s->workers_off : "",
			s->workers_off ? ")" : "");
	for (unsigned int k = 0; k < s->nworkers; k++)
		cli_dump_destroy(s->worker_dumps[k]);
	free(s->worker_dumps);
	free(s->worker_targets);
	s->worker_dumps = NULL;
	s->worker_targets = NULL;
	s->nworkers = 0;
}
