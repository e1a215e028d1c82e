/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The command line itself (cli/): main.c, the default command
 * (default_cmd.c) and its options (options.c), the subcommand table
 * (commands.c), a session - a dump
 * opened with symbols, types and a layout (session.c) - and what the
 * default command does with it (analyse.c, layout_print.c). The
 * subsystems it stands on have their own folders and headers:
 *
 *   cli/dump/       dump access              dump/dump.h
 *   cli/debuginfo/  symbols, types, caches   debuginfo/debuginfo.h
 *   cli/batch/      mmlife scan/report/db    batch/batch.h
 *
 * Nothing in lib/ includes this.
 */
#ifndef MMLIFE_CLI_H
#define MMLIFE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "mmlife/error.h"
#include "mmlife/layout.h"
#include "mmlife/target.h"
#include "dump/dump.h"
#include "debuginfo/debuginfo.h"

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
	/* --threads: the threads the mms' walks are split among
	 * (session_workers.c); 0 the default: the CPUs, up to 4, when the
	 * mms hold enough VMAs. */
	unsigned int threads;
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
	const char *readahead_off;  /* why read-ahead is off, for -v */
	/* --threads: the walks' other threads (session_workers.c). */
	struct cli_dump **worker_dumps;
	struct mml_target *worker_targets;
	unsigned int nworkers;      /* clones made */
	unsigned int workers_wanted;  /* threads more the walks may use */
	const char *workers_off;    /* why there are none, for -v */
	bool workers_explicit;      /* --threads given */
	unsigned int threads_used;  /* by the last scan (-v) */
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

/* ---- session_workers.c: the walks split among --threads ---- */

struct mml_ctx;
/* Worker threads for the walks of @ctx, the dump cloned for each when a
 * scan splits, unless @threads (the option), @scan_worker or the dump say
 * no (s->workers_off says why). */
void cli_session_workers(struct cli_session *s, unsigned int threads,
			 bool scan_worker, struct mml_ctx *ctx);
/* After the scans: -v's line, and the clones freed. */
void cli_session_workers_destroy(struct cli_session *s);

/* ---- session_readahead.c: a thread inflating pages ahead ---- */

struct mml_ctx;
/* Start read-ahead for the walks of @ctx unless @threads (the option),
 * @scan_worker ("mmlife scan" runs one per CPU) or the machine say no. */
struct mml_error *cli_session_readahead(struct cli_session *s,
					unsigned int threads, bool scan_worker,
					struct mml_ctx *ctx);
/* -v: how many pages the read-ahead thread and the main thread inflated. */
void cli_session_readahead_log(struct cli_session *s);

/* ---- options.c: the command line of the default command ---- */

struct cli_options {
	struct cli_session_options session;
	const char *dump;
	bool json;
	/* --scan-record (internal): instead of the report, only the part
	 * of it that "mmlife scan" keeps in its record, as compact JSON
	 * (cli/batch/batch_record.c), for the scan's parent to parse. */
	bool scan_record;
	bool deep;                 /* --deep: the whole memmap, always */
	bool fast;                 /* --fast: no mm_struct slab */
	uint32_t log_lines;        /* --log[=N]: print the kernel log's last N */
	int32_t maps_pid;          /* --maps PID, 0 when not given */
	uint64_t mm;               /* --mm ADDR: only this mm, 0 for all */
	int32_t pid;               /* --pid PID: only its mm, 0 for all */
	enum mml_severity fail_on;
	bool layout;               /* --layout probe */
	bool version, help, checks;
	bool fixes;                /* --fixes: print the fix catalogue */
	bool constants;            /* --constants: print lib/kconst.c's table */
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

/* ---- default_cmd.c: the default command ---- */

/* "mmlife [options] DUMP" with @argv as main() has it (argv[0] the
 * program): the options parsed, the session opened, the report or the
 * probe written to stdout and flushed. Returns the exit code. "mmlife
 * scan"'s workers call it in the process they forked, so that a scan's
 * analysis is exactly the one users run by hand. */
int cli_main_analyse(int argc, char **argv);

/* ---- commands.c: subcommands (mmlife NAME ...) ---- */

struct cli_command {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *summary;
};

/* The subcommand named @name, or NULL. */
const struct cli_command *cli_command_find(const char *name);

#endif /* MMLIFE_CLI_H */
