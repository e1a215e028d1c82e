/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scope guards in the style of libdrgn and systemd. */
#ifndef MMLIFE_CLEANUP_H
#define MMLIFE_CLEANUP_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((__cleanup__(f)))

static inline void mml_freep(void *p)
{
	free(*(void **)p);
}
static inline void mml_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}
static inline void mml_closep(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

#define _cleanup_free_ _cleanup_(mml_freep)
#define _cleanup_fclose_ _cleanup_(mml_fclosep)
#define _cleanup_close_ _cleanup_(mml_closep)

/* Hand ownership out of a guarded variable. */
#define no_cleanup_ptr(p)                                                      \
	({                                                                     \
		__typeof__(p) __ptr = (p);                                     \
		(p) = NULL;                                                    \
		__ptr;                                                         \
	})
#define return_ptr(p) return no_cleanup_ptr(p)

#endif /* MMLIFE_CLEANUP_H */
