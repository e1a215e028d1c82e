/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The crash session's type layout: the cache, the kernel's BTF or crash's
 * gdb (layout.c). */
#ifndef MMLIFE_EXT_LAYOUT_H
#define MMLIFE_EXT_LAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "mmlife/layout.h"

/* Where the layout may come from (mmlife -t). */
enum ext_types {
	EXT_TYPES_AUTO,         /* the cache, else the kernel's BTF, else gdb */
	EXT_TYPES_BTF,          /* the kernel's BTF only (vmlinux's or dump's) */
	EXT_TYPES_GDB,          /* crash's gdb only */
};

struct ext_layout {
	struct mml_layout layout;
	bool ok;                /* resolved: kept for the session */
	/* "btf" (the vmlinux's or the dump's; cache says which) or "gdb", or
	 * the cache file's: crash, dwarf, btf */
	const char *source;
	char cache[384];        /* what the cache did, for mmlife -L */
};

/* Resolve @l once (a no-op once it is, with EXT_TYPES_AUTO); another
 * @want resolves it again from that source alone. The error says why
 * not; @l is then as it was. */
struct mml_error *ext_layout_resolve(struct ext_layout *l,
				     enum ext_types want);
/* "layout-source", "layout-cache" and one "layout.NAME VALUE" line per
 * field, as the CLI's --layout prints them (tests/dumps/crash_layout.sh). */
void ext_layout_print(const struct ext_layout *l, FILE *out);

#endif
