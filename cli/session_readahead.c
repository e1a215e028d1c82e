// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Whether a session reads ahead (cli/dump/readahead.c), and the hints
 * that feed it: on a kdump-compressed dump with --threads=2 or more or
 * MMLIFE_READAHEAD=1, when the process may run on two CPUs or more. Off
 * by default: on the 2-vCPU machine it was measured on, the default run
 * took 6 % more wall time and 53 % more CPU with it (bench/RESULTS.md,
 * bench/ANALYSIS.md). Off with --threads=1, MMLIFE_READAHEAD=0, in "mmlife
 * scan"'s workers (the scan runs one per CPU already), and on any other
 * dump (nothing to inflate, nothing to hide).
 * MMLIFE_READAHEAD=wait (tests/dumps/readahead.sh) runs it even on one
 * CPU, every hinted page inflated by the thread and waited for.
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/scan.h"
#include "cli.h"
#include "dump/readahead.h"

/* CPUs this process may run on (1 when unknown). */
static unsigned int readahead_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) != 0)
		return 1;
	int n = CPU_COUNT(&set);
	return n > 0 ? (unsigned int)n : 1;
}

/* Why read-ahead is off, or NULL when it is to run. */
static const char *readahead_off_why(unsigned int threads, bool scan_worker,
				     bool patient, bool split)
{
	const char *env = getenv("MMLIFE_READAHEAD");
	if (scan_worker)
		return "a scan worker: the scan runs one per CPU";
	if (threads == 1)
		return "--threads=1";
	if (env && !strcmp(env, "0"))
		return "MMLIFE_READAHEAD=0";
	if (split)
		return "the walks are split among threads (--threads)";
	if (!patient && !(env && !strcmp(env, "1")))
		return "the default; MMLIFE_READAHEAD=1 turns it on";
	if (!patient && readahead_cpus() < 2)
		return "one CPU";
	return NULL;
}

static void session_prefetch(void *arg, uint64_t addr)
{
	struct cli_session *s = arg;
	cli_dump_prefetch(s->dump, addr);
}

struct mml_error *cli_session_readahead(struct cli_session *s,
					unsigned int threads, bool scan_worker,
					struct mml_ctx *ctx)
{
	const char *env = getenv("MMLIFE_READAHEAD");
	bool patient = env && !strcmp(env, "wait");
	s->readahead_off = readahead_off_why(threads, scan_worker, patient,
					     threads >= 2 && s->workers_wanted);
	if (s->readahead_off)
		return NULL;
	struct mml_error *err = cli_dump_readahead_start(s->dump, patient);
	struct cli_readahead_stats st;
	if (!err && cli_dump_readahead_stats(s->dump, &st))
		mml_ctx_set_prefetch(ctx, session_prefetch, s);
	else if (!err)
		s->readahead_off = "not a kdump-compressed dump";
	return err;
}

void cli_session_readahead_log(struct cli_session *s)
{
	uint64_t fast, slow;
	struct cli_readahead_stats st;
	if (!s->verbose || !s->dump)
		return;
	cli_dump_page_stats(s->dump, &fast, &slow);
	if (!cli_dump_readahead_stats(s->dump, &st)) {
		fprintf(stderr, "mmlife: read-ahead: off (%s)\n",
			s->readahead_off ? s->readahead_off : "not started");
		return;
	}
	fprintf(stderr, "mmlife: read-ahead: on; %llu pages inflated by its "
		"thread, %llu by the main thread (%llu of them ahead of the "
		"walk); %llu of these read\n",
		(unsigned long long)st.inflated,
		(unsigned long long)(fast - st.taken + st.helped),
		(unsigned long long)st.helped, (unsigned long long)st.taken);
	fprintf(stderr, "mmlife: read-ahead: %llu pages queued, %llu not "
		"(no room); reads: %llu waited for its thread (%llu in vain), "
		"%llu took back a queued page, %llu of a page never queued; "
		"hints off in %llu of %llu timed cycles\n",
		(unsigned long long)st.queued, (unsigned long long)st.dropped,
		(unsigned long long)st.waited, (unsigned long long)st.abandoned,
		(unsigned long long)st.reclaimed, (unsigned long long)st.missed,
		(unsigned long long)st.cycles_off,
		(unsigned long long)st.cycles);
}
