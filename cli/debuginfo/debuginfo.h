/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debuginfo (cli/debuginfo/): kernel symbols (a vmlinux ELF's table in
 * symbols.c, or the dump's own kallsyms in kallsyms.c), finding the
 * matching vmlinux (vmlinux.c), the two type sources (DWARF through libdw
 * in types_dwarf.c, BTF read by btf_dump.c for lib/types_btf.c), the memo of the
 * symbols a run looked up (symmemo.c) and the layout cache
 * (lib/layout_cache.c). Nothing in lib/ includes this.
 */
#ifndef MMLIFE_CLI_DEBUGINFO_H
#define MMLIFE_CLI_DEBUGINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mmlife/error.h"
#include "mmlife/layout.h"
#include "mmlife/model.h"
#include "dump/arch.h"
#include "dump/dump.h"

/* ---- symbols.c: a name -> address table ---- */

/* Whether the vmlinux symbol at @addr is in the kernel image and moves
 * with KASLR (arch.h: image_start). */
static inline bool cli_symbol_relocates(const struct cli_arch *arch,
					uint64_t addr)
{
	return addr >= arch->image_start;
}

struct cli_symtab;

struct cli_symtab *cli_symtab_create(void);
void cli_symtab_destroy(struct cli_symtab *tab);
/* Add a symbol; @name is copied. The first address added for a name wins. */
struct mml_error *cli_symtab_add(struct cli_symtab *tab, const char *name,
				 uint64_t addr);
/* Sort for lookups; call once after the last add. */
void cli_symtab_finish(struct cli_symtab *tab);
bool cli_symtab_lookup(const struct cli_symtab *tab, const char *name,
		       uint64_t *addr_ret);
size_t cli_symtab_count(const struct cli_symtab *tab);
/* The symbol table of the vmlinux ELF file @path, its kernel image
 * symbols shifted by @kaslr_offset (not x86_64's zero-based per-cpu
 * ones). */
struct mml_error *cli_symtab_from_elf(const char *path,
				      const struct cli_arch *arch,
				      uint64_t kaslr_offset,
				      struct cli_symtab **ret);

/* ---- kallsyms.c: the dump's own kallsyms tables ---- */

struct mml_error *cli_kallsyms_load(struct cli_dump *dump,
				    struct cli_symtab **ret);

/* ---- vmlinux.c: finding and checking vmlinux ---- */

struct cli_debuginfo_options {
	const char *vmlinux;    /* --vmlinux, or NULL */
	const char *debug_dir;  /* --debug-dir, or NULL */
	const char *root;       /* prefix for the standard paths ("" = /) */
};

/* The GNU build-id of the ELF file at @path, as lower-case hex. */
struct mml_error *cli_elf_build_id(const char *path, char **hex_ret);
/*
 * Find the vmlinux for @release / @build_id. With --vmlinux, that file,
 * refused if its build-id differs. Otherwise the standard places; a
 * candidate whose build-id differs is skipped (and named in
 * *rejected_ret when not NULL). *path_ret is NULL when nothing matched.
 */
struct mml_error *cli_debuginfo_find(const struct cli_debuginfo_options *opts,
				     const char *release, const char *build_id,
				     char **path_ret, char **rejected_ret);

/* ---- types_dwarf.c / btf_dump.c: struct mml_types sources ---- */

struct cli_dwarf;
struct mml_error *cli_dwarf_open(const char *path, struct cli_dwarf **ret);
void cli_dwarf_destroy(struct cli_dwarf *dw);
void cli_dwarf_types(struct cli_dwarf *dw, struct mml_types *ret);

struct mml_btf;
/* BTF read from the dump between __start_BTF and __stop_BTF
 * (btf_dump.c); mmlife/btf.h answers type questions from it. */
struct mml_error *cli_btf_from_dump(struct cli_dump *dump,
				    const struct cli_symtab *syms,
				    struct mml_btf **ret);

/* ---- symmemo.c: the symbols a run looked up, per build-id ---- */

struct cli_symmemo;
struct cli_symmemo *cli_symmemo_new(void);
/* The memo stored for @build_id; *ret NULL on a miss (no memo, or one
 * that does not parse: it is a cache, rebuilt by the run). */
struct mml_error *cli_symmemo_load(const char *dir, const char *build_id,
				   const char *suffix,
				   struct cli_symmemo **ret);
struct mml_error *cli_symmemo_store(const struct cli_symmemo *m,
				    const char *dir, const char *build_id,
				    const char *suffix);
/* What the memo knows of a name. */
enum cli_memo_answer {
	CLI_MEMO_UNKNOWN,  /* not in the memo: look it up */
	CLI_MEMO_ABSENT,   /* the kernel has no such symbol */
	CLI_MEMO_FOUND,    /* *ret is its address, shifted by @kaslr */
};
/* @arch tells which addresses move with KASLR. */
enum cli_memo_answer cli_symmemo_get(const struct cli_symmemo *m,
				     const char *name,
				     const struct cli_arch *arch,
				     uint64_t kaslr, uint64_t *ret);
bool cli_symmemo_put(struct cli_symmemo *m, const char *name, bool present,
		     uint64_t addr, const struct cli_arch *arch,
		     uint64_t kaslr);
bool cli_symmemo_dirty(const struct cli_symmemo *m);
size_t cli_symmemo_count(const struct cli_symmemo *m);
void cli_symmemo_destroy(struct cli_symmemo *m);

/* The layout cache and its directory: lib/layout_cache.c
 * (mml_cache_dir(), mml_layout_cache_load(), ...). */

#endif /* MMLIFE_CLI_DEBUGINFO_H */
