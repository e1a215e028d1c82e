/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of "mmlife scan" share, and nothing outside them sees:
 * the run's state (struct batch: its options, the dumps found, the
 * counts, the database and the JSON Lines output), a job and a worker,
 * and the functions one file calls in another. The files, in the order a
 * run goes through them:
 *
 *   batch.c           the entry point: parse, collect, run, exit status
 *   batch_opts.c      the options and the usage text
 *   batch_collect.c   finding the dumps: the walk, shards, resume, jobs
 *   batch_worker.c    the workers: start, wait, time out, reap
 *   batch_child.c     what runs in a worker's forked child
 *   batch_outcome.c   a child's end read back into a record, stored
 *   batch_progress.c  the progress bar, log lines, tallies, the summary
 */
#ifndef MMLIFE_CLI_BATCH_INTERNAL_H
#define MMLIFE_CLI_BATCH_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <signal.h>
#include <sys/types.h>

#include <jansson.h>

#include "batch.h"

/* Why a file found is not analysed (counted in the summary). */
enum skip_reason {
	SKIP_NONE = -1,     /* a dump: not skipped */
	SKIP_NOT_DUMP,
	SKIP_EMPTY,
	SKIP_ELF_NOT_CORE,
	SKIP_PROCESS_CORE,
	SKIP_XZ,
	SKIP_NOT_REGULAR,
	SKIP_BROKEN_LINK,
	SKIP_DIR_LINK,
	SKIP_UNREADABLE_DIR,
	SKIP_NREASONS,
};

/* What the command line asks for (batch_opts.c). */
struct batch_opts {
	unsigned int jobs;
	double timeout;          /* seconds, 0 = none */
	uint64_t mem_limit;      /* bytes, 0 = none */
	const char *db_path;     /* NULL: --no-db */
	const char *output;      /* JSON Lines file, "-" = stdout, NULL */
	bool rescan, retry_errors, xz, deep, quiet, dry_run, no_cache, hash;
	const char *debug_dir, *types;
	uint64_t shard_i, shard_n;
};

/* A dump to analyse. */
struct job {
	char *path;              /* absolute */
	char *rel;               /* below its root */
	struct batch_identity id;
	char *open_error;        /* the parent could not open it */
};

/* A running child and the scratch files it writes to. */
struct worker {
	pid_t pid;
	struct job *job;
	int out_fd, err_fd, hash_fd;
	double start, deadline;
	bool timed_out;
};

/* For the summary: how many dumps have a finding or verdict @key, and
 * how many of them in all. */
struct tally {
	char *key;
	uint64_t dumps, total;
};

struct tallies {
	struct tally *v;
	size_t n, cap;
};

/* One run of "mmlife scan". */
struct batch {
	struct batch_opts o;
	/* argv[0] of the analysis; with MMLIFE_SCAN_CHILD=PROGRAM
	 * (exec_child) PROGRAM, which the child execs instead of calling
	 * cli_main_analyse() */
	const char *self;
	bool exec_child;
	struct job *jobs;
	size_t njobs, capjobs;
	uint64_t skipped[SKIP_NREASONS];
	/* stored and unchanged: stored_skip by stat alone, unchanged by the
	 * header fingerprint */
	uint64_t other_shards, unchanged, stored_skip;
	uint64_t status[BATCH_NSTATUS];
	uint64_t done;            /* finished in this run */
	uint64_t to_run;          /* jobs started or to start */
	struct tallies findings, verdicts;
	struct batch_db *db;
	FILE *jsonl;
	bool tty, bar_shown;
	double t0, last_bar;
	char host[256];
	int db_failures;
};

/* ---- batch_opts.c ---- */

void batch_usage(FILE *out);
/* Parse "mmlife scan"'s command line into @o; *first_path is the index
 * of the first PATH operand. */
enum batch_parse_result batch_parse(int argc, char **argv,
				    struct batch_opts *o, int *first_path);

/* ---- batch_collect.c ---- */

/* Find the dumps under @paths into sc->jobs (sorted by path, each once),
 * counting what is skipped, in other shards or stored unchanged. */
void batch_collect(struct batch *sc, char **paths, int npaths);

/* ---- batch_worker.c ---- */

/* The signals the parent waits for (blocked, taken by sigtimedwait). */
void batch_wait_set(sigset_t *set);
/* Run @queue on sc->o.jobs workers. Returns the signal that interrupted
 * the run, or 0. */
int batch_workers_run(struct batch *sc, struct job **queue, size_t nqueue);

/* ---- batch_child.c ---- */

/* In the forked child of @j: set it up, read the header, run the
 * analysis (never returns). */
void batch_child_run(const struct batch *sc, const struct job *j, int out_fd,
		     int err_fd, int hash_fd, pid_t parent);

/* ---- batch_outcome.c ---- */

/* The child of @w has ended with @wstatus: what it amounts to, recorded. */
void batch_worker_finish(struct batch *sc, struct worker *w, int wstatus);
/* Record a dump the parent could not even open, without a child. */
void batch_job_finish_unopened(struct batch *sc, struct job *j);

/* ---- batch_progress.c ---- */

/* Seconds on the monotonic clock. */
double batch_now_s(void);
void batch_tallies_free(struct tallies *t);
/* Count the findings and verdicts of the record @rec. */
void batch_tallies_add_record(struct batch *sc, json_t *rec);
void batch_bar_draw(struct batch *sc, bool force);
/* A line above the progress bar (TTY) or a plain log line. */
void batch_log_line(struct batch *sc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The end summary on stderr: @ndumps found, in @elapsed seconds. */
void batch_summary_print(struct batch *sc, size_t ndumps, double elapsed);

#endif /* MMLIFE_CLI_BATCH_INTERNAL_H */
