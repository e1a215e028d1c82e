// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The parent's side of the workers (step 4 of batch.c): up to --jobs
 * children at a time, each started with its scratch files, then the loop
 * that waits for SIGCHLD, SIGINT, SIGTERM or SIGHUP with sigtimedwait,
 * kills a child's process group at --timeout or on a stop, and reaps the
 * children that ended, handing each to batch_outcome.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch_internal.h"

/* An unlinked scratch file under $TMPDIR for a child's output. */
static int scratch_file(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/mmlife-scan-XXXXXX", dir);
	fd = mkostemp(tmpl, O_CLOEXEC);
	if (fd >= 0)
		unlink(tmpl);
	return fd;
}

static bool worker_start(struct batch *sc, struct worker *w, struct job *j)
{
	int fds[3] = { -1, -1, -1 };

	for (int i = 0; i < 3; i++) {
		fds[i] = scratch_file();
		if (fds[i] < 0) {
			batch_log_line(sc, "mmlife scan: cannot create a "
				       "temporary file: %s", strerror(errno));
			for (int k = 0; k < i; k++)
				close(fds[k]);
			return false;
		}
	}
	/* Nothing of the parent's pending output is the child's to write:
	 * the child runs the analysis in this image and flushes stdout
	 * (batch_child.c, which also drops what a failed flush leaves). */
	fflush(NULL);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		batch_log_line(sc, "mmlife scan: fork: %s", strerror(errno));
		for (int k = 0; k < 3; k++)
			close(fds[k]);
		return false;
	}
	if (pid == 0)
		batch_child_run(sc, j, fds[0], fds[1], fds[2], parent);
	setpgid(pid, pid);  /* also here, against the race with kill */
	w->pid = pid;
	w->job = j;
	w->out_fd = fds[0];
	w->err_fd = fds[1];
	w->hash_fd = fds[2];
	w->start = batch_now_s();
	w->deadline = sc->o.timeout > 0 ? w->start + sc->o.timeout : INFINITY;
	w->timed_out = false;
	return true;
}

static void worker_close(struct worker *w)
{
	close(w->out_fd);
	close(w->err_fd);
	close(w->hash_fd);
	w->pid = 0;
	w->job = NULL;
}

/* The signals the parent waits for (blocked, taken by sigtimedwait). */
void batch_wait_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/* Give every free worker the next job of @queue. */
static void workers_fill(struct batch *sc, struct worker *ws,
			 struct job **queue, size_t nqueue, size_t *next,
			 size_t *running)
{
	for (unsigned int i = 0; i < sc->o.jobs && *next < nqueue; i++) {
		if (ws[i].pid)
			continue;
		struct job *j = queue[(*next)++];
		if (j->open_error) {
			batch_job_finish_unopened(sc, j);
			i--;  /* this slot is still free */
			continue;
		}
		if (worker_start(sc, &ws[i], j)) {
			(*running)++;
		} else {
			/* Not stored: a re-run tries it again. */
			sc->done++;
			sc->status[BATCH_ERROR]++;
		}
	}
}

/* Wait for a child, a signal, a deadline or the next redraw. Returns
 * the signal that asks the run to stop (every child is then killed),
 * or 0. */
static int workers_wait(struct batch *sc, struct worker *ws,
			const sigset_t *set)
{
	double t = batch_now_s(), wait = 0.25;
	for (unsigned int i = 0; i < sc->o.jobs; i++)
		if (ws[i].pid && !ws[i].timed_out && ws[i].deadline - t < wait)
			wait = ws[i].deadline - t;
	if (wait < 0)
		wait = 0;
	struct timespec ts = {
		(time_t)wait,
		(long)((wait - (double)(time_t)wait) * 1e9),
	};
	int sig = sigtimedwait(set, NULL, &ts);
	if (sig != SIGINT && sig != SIGTERM && sig != SIGHUP)
		return 0;
	for (unsigned int i = 0; i < sc->o.jobs; i++)
		if (ws[i].pid)
			kill(-ws[i].pid, SIGKILL);
	return sig;
}

/* Kill the children past their --timeout. */
static void workers_expire(struct batch *sc, struct worker *ws)
{
	double t = batch_now_s();
	for (unsigned int i = 0; i < sc->o.jobs; i++) {
		if (ws[i].pid && !ws[i].timed_out && t >= ws[i].deadline) {
			ws[i].timed_out = true;
			kill(-ws[i].pid, SIGKILL);
			kill(ws[i].pid, SIGKILL);
		}
	}
}

/* Reap the children that ended; record them unless the run stops. */
static void workers_reap(struct batch *sc, struct worker *ws, bool stop,
			 size_t *running)
{
	for (;;) {
		int wstatus;
		pid_t pid = waitpid(-1, &wstatus, WNOHANG);
		if (pid <= 0)
			break;
		for (unsigned int i = 0; i < sc->o.jobs; i++) {
			if (ws[i].pid != pid)
				continue;
			/* Whatever else is left in its group. */
			kill(-pid, SIGKILL);
			if (!stop)
				batch_worker_finish(sc, &ws[i], wstatus);
			worker_close(&ws[i]);
			(*running)--;
			break;
		}
	}
}

/* Returns the signal that interrupted the run, or 0. */
int batch_workers_run(struct batch *sc, struct job **queue, size_t nqueue)
{
	struct worker *ws = calloc(sc->o.jobs, sizeof(*ws));
	size_t next = 0, running = 0;
	int stop = 0;
	sigset_t set;

	if (!ws)
		return SIGTERM;
	batch_wait_set(&set);
	while ((next < nqueue && !stop) || running) {
		if (!stop)
			workers_fill(sc, ws, queue, nqueue, &next, &running);
		batch_bar_draw(sc, false);
		if (running) {
			int sig = workers_wait(sc, ws, &set);
			if (sig)
				stop = sig;
		}
		workers_expire(sc, ws);
		workers_reap(sc, ws, stop, &running);
	}
	free(ws);
	return stop;
}
