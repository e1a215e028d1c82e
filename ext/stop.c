// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ^C and a closed pipe while mmlife runs.
 *
 * crash's SIGINT handler, restart(), longjmps to pc->main_loop_env (after
 * restore_sanity() closed the output). Taken at a random point, that jump
 * would leave the core's objects half built and leaked; taken inside a
 * guarded call (crash_backend.c), it would read as an unreadable page and
 * the walk would go on, with false findings. So while mmlife runs, SIGINT
 * is blocked and the read callback polls for it, as crash's own long
 * commands poll received_SIGINT() and output_closed(). Once a stop is
 * seen every read fails at once, the core winds down, the command frees
 * everything and drops the report, and ext_stop_end() unblocks SIGINT:
 * crash's handler then aborts the command as it always does.
 *
 * restart() can still be reached inside a guard by a path that does not
 * signal (gdb_interface() calls restart(0) when the output is closed).
 * restore_sanity() calls pc->cmd_cleanup before the jump, so the hook
 * below tells such a landing from an error(FATAL), which does not.
 *
 * The state is per crash process, for the one command that runs at a time.
 */
#include <setjmp.h>
#include <signal.h>

#include "defs.h"

#include "stop.h"

/* Poll the signal mask and the pipe once in this many reads. */
enum { STOP_POLL_EVERY = 64 };

static struct {
	enum ext_stop_reason reason;
	unsigned int polls;
	sigset_t saved_mask;
} stop;

static void stop_unwound(void *arg)
{
	(void)arg;
	stop.reason = EXT_STOP_UNWOUND;
	pc->cmd_cleanup = NULL;
}

void ext_stop_begin(void)
{
	sigset_t block;

	stop.reason = EXT_STOP_NONE;
	stop.polls = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &stop.saved_mask);
	pc->cmd_cleanup = stop_unwound;
	pc->cmd_cleanup_arg = NULL;
}

bool ext_stop_requested(void)
{
	sigset_t pending;

	if (stop.reason != EXT_STOP_NONE)
		return true;
	if (stop.polls++ % STOP_POLL_EVERY)
		return false;
	if (!sigpending(&pending) && sigismember(&pending, SIGINT))
		stop.reason = EXT_STOP_INTERRUPT;
	else if (output_closed())
		stop.reason = EXT_STOP_OUTPUT_CLOSED;
	return stop.reason != EXT_STOP_NONE;
}

void ext_stop_end(void)
{
	enum ext_stop_reason reason = stop.reason;

	if (pc->cmd_cleanup == stop_unwound) {
		pc->cmd_cleanup = NULL;
		pc->cmd_cleanup_arg = NULL;
	}
	stop.reason = EXT_STOP_NONE;
	/* Nobody reads a closed pipe: nothing to say there. */
	if (reason == EXT_STOP_INTERRUPT || reason == EXT_STOP_UNWOUND)
		error(INFO, "interrupted\n");
	/* A SIGINT still pending now reaches crash's handler. */
	sigprocmask(SIG_SETMASK, &stop.saved_mask, NULL);
	if (reason == EXT_STOP_UNWOUND)
		RESTART();
}
