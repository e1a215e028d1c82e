// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife scan [options] PATH...: analyse every dump of an archive.
 *
 * 1. Walk the PATHs (directories recursively; symlinks to files are
 *    followed, symlinks to directories are not) and keep this shard's
 *    files (--shard I/N: the first 64 bits of SHA-256 of the path relative
 *    to the PATH it was found under, mod N; a PATH that is a file counts
 *    by its base name). The relative path is the key so that nodes that
 *    mount the archive at different places agree, and so that sharding
 *    reads nothing but directory entries.
 * 2. Resume (identity.c): a path stored with the same stat (device,
 *    inode, size, mtime, ctime) is unchanged and is not opened. One with
 *    the same size and mtime but another stat is read as far as its
 *    header fingerprint, here, with the same readers as step 3 (a
 *    restored archive is thousands of them: a worker each would cost more
 *    than the reads); the same fingerprint means unchanged. --rescan
 *    redoes everything, --retry-errors redoes failed dumps.
 * 3. Keep the files whose first bytes are a dump (the CLI's readers:
 *    cli_dump_kind_detect(), cli_elf_core_kind(), cli_flattened_detect()):
 *    ELF core files that are not a process's core, kdump-compressed and
 *    diskdump headers, LKCD, makedumpfile flattened streams, and xz
 *    containers with --xz. Other files are counted by reason and skipped.
 *    A file that cannot be opened is a dump that could not be analysed
 *    (status error).
 * 4. Each dump runs in its own child: fork, new process group, RLIMIT_AS
 *    (--mem-limit), no core files, PR_SET_PDEATHSIG; the child reads the
 *    dump's header (fingerprint, kernel release) and then runs the
 *    default command "mmlife --scan-record -- DUMP" in itself
 *    (cli_main_analyse(): the CLI's analysis, its report cut to what the
 *    record keeps, batch_digest.c), stdout and stderr into unlinked temp
 *    files. With --hash it forks the analysis instead and hashes the
 *    whole file beside it, then exits as the analysis did. The parent
 *    waits for SIGCHLD/SIGINT/SIGTERM with sigtimedwait, kills a child's
 *    process group at --timeout, and turns each end into a record: ok or
 *    findings from the report, error (exit 3, with its stderr line),
 *    timeout, crashed (a signal). Calling the normal command keeps the
 *    analysis exactly the one users run by hand (only its output is cut:
 *    parsing the whole report cost the parent ~10 % of the analysis),
 *    and nothing a dump does to a child (a libkdumpfile crash, a runaway
 *    allocation) reaches the parent. The child used to exec this binary
 *    for that; a second start of the dynamic loader and the libraries
 *    made a scan of a cheap dump cost 1.24-1.34x the CLI's instructions
 *    (issue 18). The child is not a fresh process, so it starts like
 *    one on purpose (batch_child.c): the parent's stdio flushed before
 *    the fork, descriptors above 2 closed, _exit only (the parent's
 *    database connection and atexit handlers untouched), getopt started
 *    afresh (cli/opt_table.c). RLIMIT_AS counts the address space the
 *    child inherits from the parent: the same libraries an exec mapped
 *    again, plus the parent's heap (the job list, SQLite's page cache),
 *    a few MB against the default 4G.
 * 5. Each record is committed to the database in its own transaction, then
 *    written as one JSON Lines line.
 *
 * MMLIFE_SCAN_CHILD=PROGRAM makes the children exec PROGRAM with that
 * command line instead (argv[0] PROGRAM): for wrappers (nice, ionice)
 * and for the tests' misbehaving children.
 *
 * This file is the entry point: it parses the command line, opens the
 * database, collects the dumps, runs the queue and turns the counts into
 * the exit status. The steps have files of their own (listed in
 * batch_internal.h): 1 to 3 batch_collect.c; 4 batch_worker.c (the
 * parent), batch_child.c (the child) and batch_outcome.c (its end read
 * back); 5 batch_outcome.c; the display batch_progress.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "cli.h"
#include "batch_internal.h"

/* The jobs to run, in order (NULL when out of memory): every dump
 * found, since resume left out the unchanged ones (batch_collect.c). */
static struct job **queue_build(struct batch *sc, size_t *n_ret)
{
	struct job **queue = calloc(sc->njobs + 1, sizeof(*queue));
	if (!queue)
		return NULL;
	for (size_t i = 0; i < sc->njobs; i++)
		queue[i] = &sc->jobs[i];
	*n_ret = sc->njobs;
	return queue;
}

/* The JSON Lines output: -o FILE (appended), -o - or a stdout that is
 * not a terminal. False when FILE cannot be opened. */
static bool jsonl_open(struct batch *sc)
{
	if (sc->o.output && strcmp(sc->o.output, "-")) {
		sc->jsonl = fopen(sc->o.output, "ae");
		if (!sc->jsonl) {
			fprintf(stderr, "mmlife scan: %s: %s\n", sc->o.output,
				strerror(errno));
			return false;
		}
	} else if ((sc->o.output && !strcmp(sc->o.output, "-")) || !isatty(1)) {
		sc->jsonl = stdout;
	}
	return true;
}

/* The exit status of a run that ended (@stop: the signal that stopped
 * it, or 0). */
static int run_exit_code(const struct batch *sc, int stop)
{
	if (stop) {
		fprintf(stderr, "mmlife scan: interrupted by %s; finished dumps "
				"are stored, run again to resume\n",
			strsignal(stop));
		return 128 + stop;
	}
	if (sc->status[BATCH_ERROR] + sc->status[BATCH_TIMEOUT] +
		    sc->status[BATCH_CRASHED] || sc->db_failures)
		return CLI_EXIT_FAILED;
	if (sc->status[BATCH_FINDINGS])
		return CLI_EXIT_FINDINGS;
	if (sc->status[BATCH_INCOMPLETE])
		return CLI_EXIT_INCOMPLETE;
	return CLI_EXIT_CLEAN;
}

/* Run @queue: the workers, the summary, the exit status. */
static int run_queue(struct batch *sc, struct job **queue, size_t nq)
{
	sigset_t set;
	batch_wait_set(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (!sc->o.quiet && !sc->tty)
		fprintf(stderr, "mmlife scan: %zu dumps to analyse (%zu already "
				"stored) with %u workers\n",
			nq, (size_t)(sc->stored_skip + sc->unchanged), sc->o.jobs);
	int stop = batch_workers_run(sc, queue, nq);
	batch_summary_print(sc, sc->njobs + sc->stored_skip + sc->unchanged,
			    batch_now_s() - sc->t0);
	int ret = run_exit_code(sc, stop);
	if (sc->jsonl && sc->jsonl != stdout && fclose(sc->jsonl) != 0) {
		fprintf(stderr, "mmlife scan: writing %s failed\n", sc->o.output);
		ret = CLI_EXIT_FAILED;
	}
	return ret;
}

static void batch_deinit(struct batch *sc)
{
	batch_db_close(sc->db);
	for (size_t i = 0; i < sc->njobs; i++) {
		free(sc->jobs[i].path);
		free(sc->jobs[i].rel);
		free(sc->jobs[i].open_error);
	}
	free(sc->jobs);
	batch_tallies_free(&sc->findings);
	batch_tallies_free(&sc->verdicts);
}

/* Collect the dumps, open the database, queue what it does not hold
 * yet, and run the queue (or print it: --dry-run). */
static int batch_run(struct batch *sc, char **paths, int npaths)
{
	struct mml_error *err = NULL;

	if (sc->o.db_path && !sc->o.dry_run)
		err = batch_db_open(sc->o.db_path, true, &sc->db);
	if (err) {
		fprintf(stderr, "mmlife scan: %s\n", err->message);
		mml_error_destroy(err);
		return CLI_EXIT_FAILED;
	}
	batch_collect(sc, paths, npaths);
	size_t nq = 0;
	_cleanup_free_ struct job **queue = queue_build(sc, &nq);
	if (!queue)
		return CLI_EXIT_FAILED;
	sc->to_run = nq;
	if (sc->o.dry_run) {
		for (size_t i = 0; i < nq; i++)
			printf("%s\n", queue[i]->path);
		return CLI_EXIT_CLEAN;
	}
	if (!jsonl_open(sc))
		return CLI_EXIT_FAILED;
	return run_queue(sc, queue, nq);
}

int batch_scan_main(int argc, char **argv)
{
	struct batch sc;
	int first;

	memset(&sc, 0, sizeof(sc));
	switch (batch_parse(argc, argv, &sc.o, &first)) {
	case BATCH_PARSE_HELP:
		batch_usage(stdout);
		return CLI_EXIT_CLEAN;
	case BATCH_PARSE_USAGE:
		return CLI_EXIT_USAGE;
	case BATCH_PARSE_RUN:
		break;
	}
	const char *child = getenv("MMLIFE_SCAN_CHILD");
	sc.exec_child = child && *child;
	sc.self = sc.exec_child ? child : "mmlife";
	if (gethostname(sc.host, sizeof(sc.host) - 1) < 0)
		strcpy(sc.host, "unknown");
	sc.tty = isatty(2) && !sc.o.quiet;
	sc.t0 = batch_now_s();

	int ret = batch_run(&sc, argv + first, argc - first);
	batch_deinit(&sc);
	return ret;
}
