// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What runs in a worker's forked child (step 4 of batch.c): its own
 * process group, the limits (no core files, RLIMIT_AS), stdout and stderr
 * into the parent's scratch files, the dump's header written to the hash
 * file, then the analysis "mmlife --scan-record -- DUMP" (the report cut
 * to what the record keeps, batch_digest.c) called in this process
 * (cli_main_analyse()), or exec-ed with MMLIFE_SCAN_CHILD; with --hash,
 * the analysis in a grandchild and the whole file hashed beside it.
 * Nothing here returns to the parent's code: every path ends in exec or
 * _exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

#include "mmlife/cleanup.h"
#include "cli.h"
#include "batch_internal.h"

/* The child's exit status when it could not get as far as the analysis
 * (or, with --hash, could not follow it). */
#define CHILD_NO_EXEC 127
/* The analysis's argv: the program, --scan-record, 6 for the options,
 * "--", the dump and NULL. */
#define CHILD_ARGV_MAX 16

/*
 * The header (identity.c), in the worker child so that nothing a dump's
 * header does reaches the parent: written to @hash_fd as
 * "FINGERPRINT\nRELEASE\nBUILD-ID\n" for the record (the kernel of a
 * dump the analysis fails on, too).
 */
static void child_header(const struct job *j, int hash_fd)
{
	struct batch_header h;
	char line[400];

	_cleanup_close_ int fd = open(j->path, O_RDONLY | O_CLOEXEC |
						       O_NONBLOCK);
	if (fd < 0) {
		fprintf(stderr, "mmlife: %s: cannot open: %s\n", j->path,
			strerror(errno));
		_exit(CLI_EXIT_FAILED);
	}
	struct mml_error *err = batch_header_read(fd, j->id.size, &h);
	if (err) {
		fprintf(stderr, "mmlife: %s: %s\n", j->path, err->message);
		_exit(CLI_EXIT_FAILED);
	}
	int n = snprintf(line, sizeof(line), "%s\n%s\n%s\n%s\n",
			 h.fingerprint, h.release, h.build_id, h.crash_time);
	if (write(hash_fd, line, (size_t)n) != n)
		_exit(CHILD_NO_EXEC);
}

/* The analysis's command line, "mmlife --scan-record [options] -- DUMP",
 * into @argv (CHILD_ARGV_MAX entries); returns argc. */
static int child_argv(const struct batch *sc, const struct job *j,
		      const char **argv)
{
	int n = 0;
	argv[n++] = sc->self;
	argv[n++] = "--scan-record";
	if (sc->o.deep)
		argv[n++] = "--deep";
	if (sc->o.no_cache)
		argv[n++] = "--no-cache";
	if (sc->o.debug_dir) {
		argv[n++] = "--debug-dir";
		argv[n++] = sc->o.debug_dir;
	}
	if (sc->o.types) {
		argv[n++] = "--types";
		argv[n++] = sc->o.types;
	}
	argv[n++] = "--";
	argv[n++] = j->path;
	argv[n] = NULL;
	return n;
}

/*
 * Run the analysis of @j and end as it ends: the default command itself
 * (cli_main_analyse(), default_cmd.c) with the command line an exec
 * would have had, in this process. An exec started the dynamic loader
 * and the libraries a second time: a scan of one dump cost 1.24x the
 * CLI's instructions on a 17 MB kdump fixture, 1.34x on an 8 GB ELF
 * dump (issue 18). Only with MMLIFE_SCAN_CHILD=PROGRAM the exec, of
 * PROGRAM. The in-process path starts as an exec would: descriptors
 * other than 0-2 closed (the database's, the JSON Lines output's, the
 * other workers' scratch files; hash_fd has been written), and no
 * return into the parent's code, only _exit: no atexit handler, no
 * destructor, no stdio buffer but stdout's and stderr's, no sqlite call.
 */
static void child_analyse(const struct batch *sc, const struct job *j)
{
	const char *argv[CHILD_ARGV_MAX];
	int argc = child_argv(sc, j, argv);

	if (sc->exec_child) {
		execv(sc->self, (char *const *)argv);
		fprintf(stderr, "mmlife scan: cannot run %s: %s\n", sc->self,
			strerror(errno));
		_exit(CHILD_NO_EXEC);
	}
	closefrom(3);
	int rc = cli_main_analyse(argc, (char **)argv);
	fflush(stdout);
	fflush(stderr);
#ifdef __SANITIZE_ADDRESS__
	/* An exec'd analysis was leak-checked at its exit, which _exit
	 * skips (the parent's heap is still reachable from its frames). */
	__lsan_do_leak_check();
#endif
	_exit(rc);
}

/*
 * --hash: the analysis in a grandchild (same process group, so --timeout
 * and a stop kill both), the whole file hashed here meanwhile, so that
 * the hash costs wall time only where the disk outruns SHA-256. Then end
 * as the analysis ended: its exit status, or its signal.
 */
static void child_hash_beside(const struct batch *sc, const struct job *j,
			      int hash_fd)
{
	char hex[65];
	pid_t me = getpid();
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "mmlife scan: fork: %s\n", strerror(errno));
		_exit(CHILD_NO_EXEC);
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != me)
			_exit(CHILD_NO_EXEC);
		child_analyse(sc, j);
	}
	_cleanup_close_ int fd = open(j->path, O_RDONLY | O_CLOEXEC |
						       O_NONBLOCK);
	struct mml_error *err = fd < 0 ? mml_error_create(MML_ERROR_OS, "%s",
							  strerror(errno))
				       : batch_sha256_fd(fd, hex);
	if (!err && (write(hash_fd, hex, 64) != 64 ||
		     write(hash_fd, "\n", 1) != 1))
		err = mml_error_create(MML_ERROR_OS, "cannot keep the hash");
	int wstatus;
	while (waitpid(pid, &wstatus, 0) < 0)
		if (errno != EINTR)
			_exit(CHILD_NO_EXEC);
	if (err) {
		/* The analysis's stderr is this one: the last line says. */
		fprintf(stderr, "mmlife: %s: --hash: %s\n", j->path,
			err->message);
		_exit(CLI_EXIT_FAILED);
	}
	if (WIFSIGNALED(wstatus)) {
		signal(WTERMSIG(wstatus), SIG_DFL);
		raise(WTERMSIG(wstatus));
	}
	_exit(WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : CHILD_NO_EXEC);
}

void batch_child_run(const struct batch *sc, const struct job *j, int out_fd,
		     int err_fd, int hash_fd, pid_t parent)
{
	sigset_t none;

	/* The parent flushed every stream before the fork (worker_start());
	 * what a flush that failed left in stdout's or stderr's buffer is
	 * the parent's, and the analysis writes through both. */
	__fpurge(stdout);
	__fpurge(stderr);
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(CHILD_NO_EXEC);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	int null = open("/dev/null", O_RDONLY);
	if (null >= 0) {
		dup2(null, 0);
		close(null);
	}
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);
	if (sc->o.mem_limit) {
		rl.rlim_cur = rl.rlim_max = sc->o.mem_limit;
		setrlimit(RLIMIT_AS, &rl);
	}
	child_header(j, hash_fd);
	if (sc->o.hash)
		child_hash_beside(sc, j, hash_fd);
	child_analyse(sc, j);
}
