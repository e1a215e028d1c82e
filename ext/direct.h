/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pages of crash's kdump file read by mmlife itself (direct.c says why). */
#ifndef MMLIFE_EXT_DIRECT_H
#define MMLIFE_EXT_DIRECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ext_direct_stats {
	const char *why_off;  /* NULL: the dump file is one this path reads */
	uint64_t direct;      /* pages it served */
	uint64_t crash;       /* reads left to crash's readmem() */
};

/*
 * Serve reads from the file until ext_direct_end() (direct.c says why
 * only then): sets the path up on a session's first call, clears the
 * counts. Pair with ext_direct_end() before crash gets control back.
 */
void ext_direct_begin(void);
void ext_direct_end(void);
/*
 * Read @len bytes at physical @paddr from the dump file; false (nothing
 * read) when this path does not serve it: the caller asks readmem().
 * Only whole, aligned 4096-byte pages are served.
 */
bool ext_direct_read(uint64_t paddr, void *buf, size_t len);
/* The counts since ext_direct_begin(). */
void ext_direct_stats(struct ext_direct_stats *ret);
/* At unload: unmap the file. */
void ext_direct_close(void);

#endif
