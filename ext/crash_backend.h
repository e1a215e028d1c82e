/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The core's target and types, answered by crash. */
#ifndef MMLIFE_EXT_CRASH_BACKEND_H
#define MMLIFE_EXT_CRASH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "mmlife/layout.h"
#include "mmlife/model.h"
#include "mmlife/target.h"

void mml_crash_target_init(struct mml_target *target);
/*
 * What crash answered while a layout was resolved: each member and each
 * type's existence asked of gdb once (crash_backend.c says why).
 */
enum { EXT_MEMO_TYPES = 64, EXT_MEMO_MEMBERS = 256 };
struct ext_member_memo {
	char type[48];
	char member[48];
	bool found;
	struct mml_member_info info;
};
struct ext_types_memo {
	struct {
		char name[48];
		bool exists;
	} types[EXT_MEMO_TYPES];
	size_t ntypes;
	struct ext_member_memo members[EXT_MEMO_MEMBERS];
	size_t nmembers;
};

/* @memo lives as long as @types is used. */
void mml_crash_types_init(struct mml_types *types,
			  struct ext_types_memo *memo);
/* The VMCOREINFO value of @key (caller frees), or NULL. */
char *ext_crash_vmcoreinfo(const char *key);
/* Fill what crash knows about the dump (strings allocated). */
void mml_crash_dump_info(struct mml_dump_info *info);

/*
 * Whether crash translates addresses through the kernel's page tables.
 * crash --minimal sets none up (vm_init() does not run, and its kvtop()
 * then maps every address as if it were in the direct map), so only the
 * direct map and the kernel image read right; the vmemmap (the slab's and
 * the memmap's struct pages) and vmalloc space read as other pages.
 */
bool mml_crash_has_page_tables(void);
/* The report's note on the discovery paths left out for that reason. */
#define MML_CRASH_NO_PAGE_TABLES \
	"crash --minimal (no page tables: the slab's struct pages do not translate)"

#endif
