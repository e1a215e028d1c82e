/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The crash session's type layout: the cache or crash's gdb (layout.c). */
#ifndef MMLIFE_EXT_LAYOUT_H
#define MMLIFE_EXT_LAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "mmlife/layout.h"

struct ext_layout {
	struct mml_layout layout;
	bool ok;                /* resolved: kept for the session */
	const char *source;     /* "gdb", or the cache file's: crash, dwarf, btf */
	char cache[384];        /* what the cache did, for mmlife -L */
};

/* Resolve @l once (a no-op once it is); the error says why not. */
struct mml_error *ext_layout_resolve(struct ext_layout *l);
/* "layout-source", "layout-cache" and one "layout.NAME VALUE" line per
 * field, as the CLI's --layout prints them (tests/dumps/crash_layout.sh). */
void ext_layout_print(const struct ext_layout *l, FILE *out);

#endif
