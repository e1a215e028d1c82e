// SPDX-License-Identifier: GPL-2.0-or-later
/* The command line of "mmlife [options] DUMP". */
#include <errno.h>
#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/model.h"
#include "cli.h"
#include "opt_table.h"

enum {
	OPT_VMLINUX = 256,
	OPT_DEBUG_DIR,
	OPT_TYPES,
	OPT_JSON,
	OPT_MAPS,
	OPT_FAIL_ON,
	OPT_NO_CACHE,
	OPT_LAYOUT,
	OPT_VERSION,
	OPT_CHECKS,
	OPT_FIXES,
	OPT_CONSTANTS,
	OPT_DEEP,
	OPT_FAST,
	OPT_LOG,
	OPT_MM,
	OPT_PID,
	OPT_SCAN_RECORD,
	OPT_THREADS,
};

static const struct option long_options[] = {
	{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "maps", required_argument, NULL, OPT_MAPS },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "verbose", no_argument, NULL, 'v' },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "layout", no_argument, NULL, OPT_LAYOUT },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "checks", no_argument, NULL, OPT_CHECKS },
	{ "fixes", no_argument, NULL, OPT_FIXES },
	{ "constants", no_argument, NULL, OPT_CONSTANTS },
	{ "deep", no_argument, NULL, OPT_DEEP },
	{ "fast", no_argument, NULL, OPT_FAST },
	{ "log", optional_argument, NULL, OPT_LOG },
	{ "mm", required_argument, NULL, OPT_MM },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "threads", required_argument, NULL, OPT_THREADS },
	/* Internal, not in --help: what "mmlife scan"'s worker runs. */
	{ "scan-record", no_argument, NULL, OPT_SCAN_RECORD },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *out, const char *prog)
{
	fprintf(out,
		"Usage: %s [options] DUMP\n"
		"Find failed-fork and half-torn-down address spaces (maple "
		"tree VMA states) in a\nLinux kernel crash dump.\n"
		"\n"
		"  --vmlinux PATH      debug vmlinux (its build-id must match "
		"the dump)\n"
		"  --debug-dir DIR     look for the vmlinux under DIR "
		"(.build-id/, boot/, lib/modules/)\n"
		"  --types=auto|dwarf|btf\n"
		"                      type source (auto: DWARF if a matching "
		"vmlinux is found,\n"
		"                      else the dump's BTF with kallsyms)\n"
		"  --json              JSON report instead of text\n"
		"  --deep              search the whole memmap for mm_struct slabs, even\n"
		"                      when the slab's counters account for every mm\n"
		"  --fast              only tasks and init_mm.mmlist: skip the mm_struct\n"
		"                      slab (misses most failed forks' children)\n"
		"  --log[=N]           also print the last N lines of the "
		"kernel log (default 50)\n"
		"  --mm ADDR           only this mm_struct, even if no task "
		"uses it\n"
		"  --pid PID           only the mm of this task\n"
		"  --maps PID          list the tree entries of PID's mm, "
		"/proc/PID/maps style\n"
		"  --fail-on SEVERITY  exit 1 on findings at or above "
		"info|warning|error|critical\n"
		"                      (default: warning)\n"
		"  --layout            print the resolved type layout and "
		"init_task's comm, then exit\n"
		"  --no-cache          do not read or write the layout cache\n"
		"  --threads N         walk the mms on N threads, each inflating "
		"its own pages\n"
		"                      of a compressed kdump file (default: the "
		"CPUs, up to 4,\n"
		"                      once the mms hold 65536 VMAs); the report "
		"is the same\n"
		"                      but for counts.pages_read\n"
		"  -v, --verbose       progress and timings on stderr; every "
		"mm in the report\n"
		"  --checks            list the checks (finding ids, severities)"
		"\n"
		"  --fixes             list the upstream fixes mmlife knows (ids, "
		"releases,\n"
		"                      backports, sources); with --json as JSON\n"
		"  --constants         list the kernel constants no debug info "
		"holds (values,\n"
		"                      kernels, sources); with --json as JSON\n"
		"  --version, -h/--help\n"
		"\n"
		"Commands (each with its own --help):\n"
		"  mmlife scan PATH...   analyse a dump archive in parallel into a "
		"database\n"
		"  mmlife report DB      answer questions about a scan database\n"
		"  mmlife db merge OUT IN...\n"
		"                      combine scan databases (one per shard or "
		"host)\n"
		"\n"
		"Exit status: 0 no findings at or above --fail-on, 1 "
		"findings, 2 usage error,\n3 the dump could not be "
		"analysed, 4 no findings but the dump lacks pages the\n"
		"analysis needed (see the report's Dump section).\n",
		prog);
}

static bool parse_types(const char *s, enum cli_types_mode *ret)
{
	if (!strcmp(s, "auto"))
		*ret = CLI_TYPES_AUTO;
	else if (!strcmp(s, "dwarf"))
		*ret = CLI_TYPES_DWARF;
	else if (!strcmp(s, "btf"))
		*ret = CLI_TYPES_BTF;
	else
		return false;
	return true;
}

static bool parse_pid(const char *s, int32_t *ret)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v <= 0 || v > INT32_MAX)
		return false;
	*ret = (int32_t)v;
	return true;
}

/* ---- what each option does to struct cli_options ---- */

static bool set_vmlinux(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	o->session.debuginfo.vmlinux = arg;
	return true;
}

static bool set_debug_dir(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	o->session.debuginfo.debug_dir = arg;
	return true;
}

static bool set_types(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	return parse_types(arg, &o->session.types);
}

/* --log takes an optional count: 50 lines without one. */
static bool set_log(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	char *end = NULL;
	long v = arg ? strtol(arg, &end, 10) : 50;
	if (arg && (*arg == '\0' || *end || v <= 0 || v > 100000))
		return false;
	o->log_lines = (uint32_t)v;
	return true;
}

static bool set_mm(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(arg, &end, 16);
	if (!*arg || *end || errno || !v)
		return false;
	o->mm = v;
	return true;
}

static bool set_pid(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	return parse_pid(arg, &o->pid);
}

static bool set_maps(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	return parse_pid(arg, &o->maps_pid);
}

static bool set_threads(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	char *end = NULL;
	long v = strtol(arg, &end, 10);
	if (!*arg || *end || v < 1 || v > 4096)
		return false;
	o->session.threads = (unsigned int)v;
	return true;
}

static bool set_fail_on(const char *arg, void *opts)
{
	struct cli_options *o = opts;
	return mml_severity_parse(arg, &o->fail_on);
}

#define FLAG(field) .flag = offsetof(struct cli_options, field)

static const struct cli_opt_action actions[] = {
	{ OPT_VMLINUX, set_vmlinux, NULL },
	{ OPT_DEBUG_DIR, set_debug_dir, NULL },
	{ OPT_TYPES, set_types, "--types must be auto, dwarf or btf, not '%s'" },
	{ OPT_LOG, set_log, "--log takes a number of lines, not '%s'" },
	{ OPT_MM, set_mm, "--mm needs an mm_struct address in hex, not '%s'" },
	{ OPT_PID, set_pid, "--pid needs a PID, not '%s'" },
	{ OPT_MAPS, set_maps, "--maps needs a PID, not '%s'" },
	{ OPT_THREADS, set_threads,
	  "--threads takes a number of threads, 1 or more, not '%s'" },
	{ OPT_FAIL_ON, set_fail_on,
	  "--fail-on must be info, warning, error or critical, not '%s'" },
	{ OPT_JSON, FLAG(json) },
	{ OPT_SCAN_RECORD, FLAG(scan_record) },
	{ OPT_DEEP, FLAG(deep) },
	{ OPT_FAST, FLAG(fast) },
	{ 'v', FLAG(session.verbose) },
	{ OPT_NO_CACHE, FLAG(session.no_cache) },
	{ OPT_LAYOUT, FLAG(layout) },
	{ OPT_FIXES, FLAG(fixes) },        /* --json may follow */
	{ OPT_CONSTANTS, FLAG(constants) },/* --json may follow */
	{ OPT_VERSION, FLAG(version), .stop = true },
	{ OPT_CHECKS, FLAG(checks), .stop = true },
	{ 'h', FLAG(help), .stop = true },
};

static const struct cli_opt_table table = {
	"mmlife", "+:vh", long_options, actions,
	sizeof(actions) / sizeof(actions[0]),
};

/* The operands after the options: exactly one dump, or none for the
 * fix catalogue and the constants. */
static bool operands_check(int argc, char **argv, struct cli_options *o,
			   const char *prog)
{
	if (o->deep && o->fast) {
		fprintf(stderr, "%s: --deep and --fast exclude each other\n",
			prog);
		return false;
	}
	if ((o->fixes || o->constants) && optind == argc)
		return true;   /* the catalogues need no dump */
	if (optind != argc - 1) {
		fprintf(stderr, "%s: %s (try --help)\n", prog,
			optind >= argc ? "no dump file given"
				       : "give exactly one dump file");
		return false;
	}
	o->dump = argv[optind];
	return true;
}

bool cli_options_parse(int argc, char **argv, struct cli_options *ret)
{
	int stop;

	memset(ret, 0, sizeof(*ret));
	ret->session.prog = table.prog;
	ret->fail_on = MML_SEV_WARNING;
	switch (cli_opt_parse(&table, argc, argv, ret, &stop)) {
	case CLI_OPT_USAGE:
		return false;
	case CLI_OPT_STOPPED:
		return true;
	case CLI_OPT_OPERANDS:
		break;
	}
	return operands_check(argc, argv, ret, table.prog);
}
