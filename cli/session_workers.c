// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --threads N: the mms' walks split among N threads (mml_ctx_set_workers()),
 * by default among the CPUs (up to 4) when the mms hold 65,536 VMAs or more,
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
#include <sched.h>
#include <stdlib.h>
#include <string.h>

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

/* By default: the CPUs this process may run on, up to CLI_AUTO_THREADS
 * (each thread adds a page cache of its own), and a split only of mms
 * that hold CLI_AUTO_MIN_VMAS VMAs or more: below, each thread fetching
 * again the pages the others hold costs more than it saves (2-5 ms more
 * on the fixtures' 6,000-10,000 VMAs; 0.1 s less on the bench dump's
 * million, bench/RESULTS.md). The clones are made only for a scan that
 * splits (session_workers_prepare()). */
enum { CLI_AUTO_THREADS = 4, CLI_AUTO_MIN_VMAS = 65536 };

static unsigned int workers_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > CLI_AUTO_THREADS ? CLI_AUTO_THREADS
						: (unsigned int)n;
}

/* Why the walks stay on one thread, or NULL; *@n_ret: how many threads
 * otherwise (@threads, or by default the CPUs). */
static const char *workers_off_why(unsigned int threads, bool scan_worker,
				   unsigned int *n_ret)
{
	const char *env = getenv("MMLIFE_READAHEAD");
	if (scan_worker)
		return "a scan worker: the scan runs one per CPU";
	if (threads == 1)
		return "--threads=1";
	if (env && (!strcmp(env, "1") || !strcmp(env, "wait")))
		return "MMLIFE_READAHEAD: the read-ahead thread instead";
	*n_ret = threads ? threads : workers_cpus();
	return *n_ret < 2 ? "one CPU" : NULL;
}

/* The first scan that splits its walks (mml_ctx_set_workers()): a clone
 * of the dump per thread more. NULL, and one thread, when the dump cannot
 * be cloned (-v says why): never a failed run. */
static const struct mml_target *session_workers_prepare(void *arg)
{
	struct cli_session *s = arg;
	if (s->workers_off)
		return NULL;
	unsigned int n = s->workers_wanted;
	s->worker_dumps = calloc(n, sizeof(*s->worker_dumps));
	s->worker_targets = calloc(n, sizeof(*s->worker_targets));
	if (!s->worker_dumps || !s->worker_targets) {
		s->workers_off = "the dump could not be cloned for a thread";
		return NULL;
	}
	for (unsigned int k = 0; k < n; k++) {
		struct mml_error *err =
			cli_dump_clone(s->dump, &s->worker_dumps[k]);
		if (err) {
			s->workers_off = err->code == MML_ERROR_UNSUPPORTED
						 ? "not a kdump-compressed dump"
						 : "the dump could not be cloned "
						   "for a thread";
			mml_error_destroy(err);
			return NULL;
		}
		s->nworkers = k + 1;
		s->worker_targets[k] = s->target;
		s->worker_targets[k].ops = &worker_target_ops;
		s->worker_targets[k].arg = s->worker_dumps[k];
	}
	return s->worker_targets;
}

void cli_session_workers(struct cli_session *s, unsigned int threads,
			 bool scan_worker, struct mml_ctx *ctx)
{
	unsigned int nthreads = 1;
	s->workers_off = workers_off_why(threads, scan_worker, &nthreads);
	if (!s->workers_off && !cli_dump_can_clone(s->dump))
		s->workers_off = "not a kdump-compressed dump";
	if (s->workers_off)
		return;
	s->workers_wanted = nthreads - 1;
	s->workers_explicit = threads != 0;
	/* --threads=N splits whatever the size; the default, large trees. */
	mml_ctx_set_workers(ctx, s->workers_wanted,
			    threads ? 0 : CLI_AUTO_MIN_VMAS,
			    session_workers_prepare, s);
}

void cli_session_workers_destroy(struct cli_session *s)
{
	if (s->verbose && s->dump && s->workers_off)
		fprintf(stderr, "mmlife: walks on 1 thread (%s)\n",
			s->workers_off);
	else if (s->verbose && s->dump && s->threads_used > 1)
		fprintf(stderr, "mmlife: walks on %u threads\n",
			s->threads_used);
	else if (s->verbose && s->dump && s->workers_explicit)
		fprintf(stderr, "mmlife: walks on 1 thread (of %u: one mm)\n",
			s->workers_wanted + 1);
	else if (s->verbose && s->dump)
		fprintf(stderr, "mmlife: walks on 1 thread (of %u: fewer VMAs "
			"than %u to split)\n", s->workers_wanted + 1,
			(unsigned int)CLI_AUTO_MIN_VMAS);
	for (unsigned int k = 0; k < s->nworkers; k++)
		cli_dump_destroy(s->worker_dumps[k]);
	free(s->worker_dumps);
	free(s->worker_targets);
	s->worker_dumps = NULL;
	s->worker_targets = NULL;
	s->nworkers = 0;
	s->workers_wanted = 0;
}
