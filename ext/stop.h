/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stopping the mmlife command on ^C or a closed output pipe without
 * unwinding through the core (ext/stop.c says how).
 */
#ifndef MMLIFE_EXT_STOP_H
#define MMLIFE_EXT_STOP_H

#include <stdbool.h>

enum ext_stop_reason {
	EXT_STOP_NONE = 0,
	/* SIGINT arrived while mmlife ran (blocked, seen by polling). */
	EXT_STOP_INTERRUPT,
	/* The pipe mmlife writes to is closed (the reader exited). */
	EXT_STOP_OUTPUT_CLOSED,
	/* crash's restart() ran inside a guarded call: crash is aborting. */
	EXT_STOP_UNWOUND,
};

/* Start watching for a reason to stop; pair with ext_stop_end(). */
void ext_stop_begin(void);
/* True once the command should stop; cheap enough for every page read. */
bool ext_stop_requested(void);
/*
 * Stop watching, after the command freed what it built. Says
 * "interrupted" if it was, then lets crash abort the command the way it
 * would have (a pending SIGINT is delivered to crash's handler, an
 * unwinding crash goes on to its command loop): may not return.
 */
void ext_stop_end(void);

#endif
