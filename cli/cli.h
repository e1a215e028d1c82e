/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command-line front end's private interfaces: the dump (libkdumpfile),
 * its VMCOREINFO, symbol tables (vmlinux ELF or the dump's kallsyms), the
 * two type sources (DWARF through libdw, BTF through libbpf), debuginfo
 * lookup and the layout cache. Nothing in lib/ includes this.
 */
#ifndef MMLIFE_CLI_H
#define MMLIFE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "mmlife/error.h"
#include "mmlife/layout.h"
#include "mmlife/model.h"
#include "mmlife/target.h"

/* Exit codes of every mmlife command. */
enum cli_exit {
	CLI_EXIT_CLEAN = 0,     /* no findings at or above --fail-on */
	CLI_EXIT_FINDINGS = 1,  /* findings at or above --fail-on */
	CLI_EXIT_USAGE = 2,     /* bad command line */
	CLI_EXIT_FAILED = 3,    /* the dump could not be analysed */
	/* No kernel finding at or above --fail-on, but the dump lacks pages
	 * the analysis needed: the report is incomplete (dump findings). */
	CLI_EXIT_INCOMPLETE = 4,
};

/* ---- vmcoreinfo.c: the VMCOREINFO note, parsed ---- */

struct cli_vmcoreinfo {
	char *raw;              /* the whole note text, owned */
	char *osrelease;        /* OSRELEASE=, or NULL */
	char *build_id;         /* BUILD-ID= in lower-case hex, or NULL */
	uint64_t kernel_offset; /* KERNELOFFSET= (0 when absent) */
	bool have_kernel_offset;
	uint64_t page_size;     /* PAGESIZE= (0 when absent) */
};

/* Parse @raw (taken over: freed by cli_vmcoreinfo_deinit()). */
struct mml_error *cli_vmcoreinfo_parse(char *raw, struct cli_vmcoreinfo *ret);
void cli_vmcoreinfo_deinit(struct cli_vmcoreinfo *vi);
/* The value of SYMBOL(@name)=, which is already KASLR-shifted. */
bool cli_vmcoreinfo_symbol(const struct cli_vmcoreinfo *vi, const char *name,
			   uint64_t *ret);
/* The value of the line @key=, a pointer into vi->raw and its length. */
const char *cli_vmcoreinfo_line(const struct cli_vmcoreinfo *vi,
				const char *key, size_t *len_ret);

/* ---- tmpfile.c: anonymous scratch files, whole reads and writes ---- */

struct mml_error *cli_tmpfile_create(const char *what, int *fd_ret);
/* pwrite() all of @buf at @off; false with errno on failure. */
bool cli_write_all(int fd, const void *buf, size_t len, off_t off);
/* pread() exactly @len bytes at @off; false on a short read or an error. */
bool cli_read_all(int fd, void *buf, size_t len, off_t off);

/* ---- xz.c: dumps in an xz container ---- */

bool cli_xz_detect(int fd);
/* Decompress the xz file at @fd into an anonymous file. */
struct mml_error *cli_xz_decompress(int fd, int *fd_ret);

/* ---- flattened.c: makedumpfile -F streams ---- */

/* True if the file at @fd starts with the flattened-format header. */
bool cli_flattened_detect(int fd);
/* Reassemble the flattened dump at @fd into an anonymous file (memfd or
 * unlinked temp file) and return its descriptor. */
struct mml_error *cli_flattened_reassemble(int fd, int *fd_ret);

/* ---- dump.c: the dump file through libkdumpfile ---- */

struct cli_dump;

struct mml_error *cli_dump_open(const char *path, struct cli_dump **ret);
void cli_dump_destroy(struct cli_dump *dump);
const char *cli_dump_format(const struct cli_dump *dump);
/* Whether the fast page path (kpages.c) is set up for this dump; the pages
 * it served and the reads left to libkdumpfile so far. */
bool cli_dump_page_stats(const struct cli_dump *dump, uint64_t *fast_pages,
			 uint64_t *slow_reads);
const char *cli_dump_arch(const struct cli_dump *dump);
uint32_t cli_dump_page_size(const struct cli_dump *dump);
const struct cli_vmcoreinfo *cli_dump_vmcoreinfo(const struct cli_dump *dump);
/* makedumpfile's dump level from a kdump sub-header; -1 unknown. */
int cli_dump_level(const struct cli_dump *dump);
/* Read kernel virtual memory: OK, INVALID (no translation) or EXCLUDED
 * (filtered out of the dump). Reads may cross pages. */
enum mml_read_status cli_dump_read(struct cli_dump *dump, uint64_t addr,
				   void *buf, size_t len);
/* libkdumpfile's message for the last failed read. */
const char *cli_dump_last_error(struct cli_dump *dump);
/* Read and wrap the failure into an error naming @what. */
struct mml_error *cli_dump_read_or_error(struct cli_dump *dump, uint64_t addr,
					 void *buf, size_t len,
					 const char *what);

/* ---- symbols.c: a name -> address table ---- */

/* x86_64 kernel image symbols live in the top 2 GiB ("-mcmodel=kernel")
 * and move with KASLR; anything lower (zero-based per-cpu symbols up to
 * 6.14) does not. */
static inline bool cli_symbol_relocates(uint64_t addr)
{
	return addr >= 0xffffffff80000000ULL;
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
/* The symbol table of the vmlinux ELF file @path, shifted by
 * @kaslr_offset (except zero-based per-cpu symbols). */
struct mml_error *cli_symtab_from_elf(const char *path, uint64_t kaslr_offset,
				      struct cli_symtab **ret);

/* ---- kallsyms.c: the dump's own kallsyms tables ---- */

struct mml_error *cli_kallsyms_load(struct cli_dump *dump,
				    struct cli_symtab **ret);

/* ---- debuginfo.c: finding and checking vmlinux ---- */

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

/* ---- types_dwarf.c / types_btf.c: struct mml_types sources ---- */

struct cli_dwarf;
struct mml_error *cli_dwarf_open(const char *path, struct cli_dwarf **ret);
void cli_dwarf_destroy(struct cli_dwarf *dw);
void cli_dwarf_types(struct cli_dwarf *dw, struct mml_types *ret);

struct cli_btf;
/* BTF from raw bytes (copied). */
struct mml_error *cli_btf_from_bytes(const void *data, size_t size,
				     struct cli_btf **ret);
/* BTF read from the dump between __start_BTF and __stop_BTF. */
struct mml_error *cli_btf_from_dump(struct cli_dump *dump,
				    const struct cli_symtab *syms,
				    struct cli_btf **ret);
void cli_btf_destroy(struct cli_btf *btf);
void cli_btf_types(struct cli_btf *btf, struct mml_types *ret);

/* ---- symmemo.c: the symbols a run looked up, per build-id ---- */

struct cli_symmemo;
struct cli_symmemo *cli_symmemo_new(void);
/* NULL when there is no memo, or it does not parse. */
struct cli_symmemo *cli_symmemo_load(const char *dir, const char *build_id,
				     const char *suffix);
struct mml_error *cli_symmemo_store(const struct cli_symmemo *m,
				    const char *dir, const char *build_id,
				    const char *suffix);
/* 1 found (*ret, shifted by @kaslr), 0 not a symbol, -1 not in the memo. */
int cli_symmemo_get(const struct cli_symmemo *m, const char *name,
		    uint64_t kaslr, uint64_t *ret);
bool cli_symmemo_put(struct cli_symmemo *m, const char *name, bool present,
		     uint64_t addr, uint64_t kaslr);
bool cli_symmemo_dirty(const struct cli_symmemo *m);
size_t cli_symmemo_count(const struct cli_symmemo *m);
void cli_symmemo_destroy(struct cli_symmemo *m);

/* ---- layout_cache.c ---- */

/* The cache file BUILDID.SUFFIX in @dir, opened for reading, or NULL. */
FILE *cli_cache_open(const char *dir, const char *build_id,
		     const char *suffix);
/* Write it with @write into a temporary file renamed into place. */
struct mml_error *cli_cache_write(const char *dir, const char *build_id,
				  const char *suffix,
				  struct mml_error *(*write)(FILE *f,
							     const void *arg),
				  const void *arg);

/* The cache directory (caller frees), from XDG_CACHE_HOME or HOME. */
char *cli_layout_cache_dir(void);
/* Load the cached layout for (@build_id, @source); *hit_ret false on miss. */
struct mml_error *cli_layout_cache_load(const char *dir, const char *build_id,
					const char *source,
					struct mml_layout *ret, bool *hit_ret);
/* Store it atomically (write a temp file, rename). */
struct mml_error *cli_layout_cache_store(const char *dir, const char *build_id,
					 const char *source,
					 const struct mml_layout *layout);

/* ---- session.c: a dump opened with symbols, types and a layout ---- */

enum cli_types_mode {
	CLI_TYPES_AUTO,   /* DWARF if a matching vmlinux is found, else BTF */
	CLI_TYPES_DWARF,
	CLI_TYPES_BTF,
};

struct cli_session_options {
	struct cli_debuginfo_options debuginfo;
	enum cli_types_mode types;
	bool no_cache;
	bool verbose;     /* progress and timings on stderr */
	const char *prog; /* for messages */
};

struct cli_session {
	char *path;
	struct cli_dump *dump;
	struct cli_symtab *syms;  /* NULL until a lookup misses the memo */
	bool syms_failed;
	bool verbose;
	/* The symbol memo (symmemo.c) and where it is kept; NULL without
	 * a cache (--no-cache) or a build-id. */
	struct cli_symmemo *memo;
	char *cache_dir;
	bool memo_hit;
	char *vmlinux;            /* NULL in BTF mode */
	const char *type_source;  /* "dwarf" or "btf" */
	bool layout_from_cache;
	struct mml_layout layout;
	struct mml_target target;
};

struct mml_error *cli_session_open(const char *path,
				   const struct cli_session_options *opts,
				   struct cli_session **ret);
void cli_session_destroy(struct cli_session *s);
/* A kernel symbol: the memo, the symbol table (loaded on the first miss),
 * then VMCOREINFO's SYMBOL() lines. */
bool cli_session_symbol(struct cli_session *s, const char *name,
			uint64_t *ret);
/* The whole symbol table, loaded if the memo answered so far. */
struct mml_error *cli_session_symtab(struct cli_session *s,
				     const struct cli_symtab **ret);
/* Fill the "dump" block of a report. */
struct mml_error *cli_session_dump_info(const struct cli_session *s,
					struct mml_dump_info *ret);

/* ---- options.c: the command line of the default command ---- */

struct cli_options {
	struct cli_session_options session;
	const char *dump;
	bool json;
	bool deep;                 /* --deep: the whole memmap, always */
	bool fast;                 /* --fast: no mm_struct slab */
	uint32_t log_lines;        /* --log[=N]: print the kernel log's last N */
	int32_t maps_pid;          /* --maps PID, 0 when not given */
	uint64_t mm;               /* --mm ADDR: only this mm, 0 for all */
	int32_t pid;               /* --pid PID: only its mm, 0 for all */
	int fail_on;               /* enum mml_severity */
	bool layout;               /* --layout probe */
	bool version, help, checks;
	bool fixes;                /* --fixes: print the fix catalogue */
};

/* Parse; on a usage error print it to stderr and return false. */
bool cli_options_parse(int argc, char **argv, struct cli_options *ret);
void cli_usage(FILE *out, const char *prog);

/* ---- layout_print.c: the --layout probe ---- */

/* Print the resolved layout, its source, and init_task's comm read
 * through the target. Returns an exit code. */
int cli_layout_print(struct cli_session *s, FILE *out);

/* ---- analyse.c: scan the dump and render the report ---- */

int cli_analyse(struct cli_session *s, const struct cli_options *opts,
		FILE *out);

/* ---- commands.c: subcommands (mmlife NAME ...) ---- */

struct cli_command {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

/* The subcommand named @name, or NULL. */
const struct cli_command *cli_command_find(const char *name);

#endif /* MMLIFE_CLI_H */
