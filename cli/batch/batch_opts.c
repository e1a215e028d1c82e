// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * "mmlife scan"'s command line: the options (a table for opt_table.c),
 * what each one does to struct batch_opts, their defaults, the PATH
 * operands' check and the usage text. Nothing here touches a dump or the
 * database: a usage error is said before either is opened.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "opt_table.h"
#include "batch_internal.h"

enum {
	OPT_TIMEOUT = 256,
	OPT_MEM_LIMIT,
	OPT_DB,
	OPT_NO_DB,
	OPT_RESCAN,
	OPT_RETRY_ERRORS,
	OPT_SHARD,
	OPT_XZ,
	OPT_DEEP,
	OPT_DEBUG_DIR,
	OPT_TYPES,
	OPT_DRY_RUN,
	OPT_NO_CACHE,
	OPT_HASH,
};

static const struct option batch_long[] = {
	{ "jobs", required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "mem-limit", required_argument, NULL, OPT_MEM_LIMIT },
	{ "db", required_argument, NULL, OPT_DB },
	{ "no-db", no_argument, NULL, OPT_NO_DB },
	{ "output", required_argument, NULL, 'o' },
	{ "rescan", no_argument, NULL, OPT_RESCAN },
	{ "retry-errors", no_argument, NULL, OPT_RETRY_ERRORS },
	{ "shard", required_argument, NULL, OPT_SHARD },
	{ "xz", no_argument, NULL, OPT_XZ },
	{ "deep", no_argument, NULL, OPT_DEEP },
	{ "debug-dir", required_argument, NULL, OPT_DEBUG_DIR },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "no-cache", no_argument, NULL, OPT_NO_CACHE },
	{ "hash", no_argument, NULL, OPT_HASH },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#ifdef __SANITIZE_ADDRESS__
#define DEFAULT_MEM_LIMIT 0  /* ASan reserves terabytes of shadow */
#define DEFAULT_MEM_LIMIT_TEXT "none (ASan build)"
#else
#define DEFAULT_MEM_LIMIT (4ULL << 30)
#define DEFAULT_MEM_LIMIT_TEXT "4G"
#endif

void batch_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmlife scan [options] PATH...\n"
		"Analyse every kernel dump in the PATHs (files, directories "
		"recursively), each in\nits own process, into a database and "
		"JSON Lines.\n"
		"\n"
		"  -j, --jobs N        parallel workers (default: the number "
		"of CPUs)\n"
		"  --timeout SECONDS   per dump (default 300; 0 = none; s/m/h "
		"suffixes)\n"
		"  --mem-limit SIZE    address-space limit per dump (default "
		DEFAULT_MEM_LIMIT_TEXT "; 0 = none;\n"
		"                      K/M/G suffixes)\n"
		"  --db PATH           SQLite database (default "
		"./mmlife-scan.db)\n"
		"  --no-db             no database, JSON Lines only\n"
		"  -o, --output FILE   JSON Lines, one line per dump analysed "
		"('-' = stdout;\n"
		"                      default: stdout when it is not a "
		"terminal)\n"
		"  --rescan            analyse dumps already in the database "
		"again\n"
		"  --retry-errors      analyse again the stored dumps that "
		"failed (error,\n"
		"                      timeout, crashed)\n"
		"  --shard I/N         only the files of shard I of N (0 <= I "
		"< N), by SHA-256\n"
		"                      of the path below its PATH argument\n"
		"  --xz                also analyse xz-compressed files "
		"(decompressed to a temp\n"
		"                      file per dump)\n"
		"  --hash              also store each dump's SHA-256 (reads "
		"the whole file,\n"
		"                      beside the analysis)\n"
		"  --deep, --debug-dir DIR, --types T, --no-cache\n"
		"                      passed to each dump's analysis\n"
		"  --dry-run           list the dumps found (in this shard), "
		"and stop\n"
		"  -q, --quiet         no progress display, no per-dump log "
		"lines\n"
		"\n"
		"Exit status: 0 every dump analysed, none with findings; 1 "
		"findings; 2 usage\nerror; 3 some dumps could not be analysed "
		"(error, timeout, crashed); of the\ndumps analysed in this "
		"run.\n");
}

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || *s == '-')
		return false;
	*ret = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *ret)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0)
		return false;
	double mul = 1;
	switch (*end) {
	case 'k': case 'K': mul = 1024.0; end++; break;
	case 'm': case 'M': mul = 1024.0 * 1024; end++; break;
	case 'g': case 'G': mul = 1024.0 * 1024 * 1024; end++; break;
	case 't': case 'T': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return false;
	*ret = (uint64_t)(v * mul);
	return true;
}

static bool parse_duration(const char *s, double *ret)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno || v < 0 || !isfinite(v))
		return false;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		v *= 60, end++;
	else if (*end == 'h')
		v *= 3600, end++;
	if (*end)
		return false;
	*ret = v;
	return true;
}

static bool parse_shard(const char *s, uint64_t *i, uint64_t *n)
{
	const char *slash = strchr(s, '/');
	if (!slash)
		return false;
	_cleanup_free_ char *a = strndup(s, (size_t)(slash - s));
	return a && parse_u64(a, i) && parse_u64(slash + 1, n) && *n > 0 &&
	       *i < *n;
}

/* ---- what each option does to struct batch_opts ---- */

static bool set_jobs(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	uint64_t v;
	if (!parse_u64(arg, &v) || v == 0 || v > 4096)
		return false;
	o->jobs = (unsigned int)v;
	return true;
}

static bool set_timeout(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	return parse_duration(arg, &o->timeout);
}

static bool set_mem_limit(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	return parse_size(arg, &o->mem_limit);
}

static bool set_shard(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	return parse_shard(arg, &o->shard_i, &o->shard_n);
}

static bool set_db(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	o->db_path = arg;
	return true;
}

static bool set_no_db(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	(void)arg;
	o->db_path = NULL;
	return true;
}

static bool set_output(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	o->output = arg;
	return true;
}

static bool set_debug_dir(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	o->debug_dir = arg;
	return true;
}

static bool set_types(const char *arg, void *opts)
{
	struct batch_opts *o = opts;
	o->types = arg;
	return true;
}

#define FLAG(field) .flag = offsetof(struct batch_opts, field)

static const struct cli_opt_action actions[] = {
	{ 'j', set_jobs, "-j needs a number of workers, not '%s'" },
	{ OPT_TIMEOUT, set_timeout, "--timeout needs seconds, not '%s'" },
	{ OPT_MEM_LIMIT, set_mem_limit,
	  "--mem-limit needs a size (4G, 512M), not '%s'" },
	{ OPT_SHARD, set_shard,
	  "--shard needs I/N with 0 <= I < N, not '%s'" },
	{ OPT_DB, set_db, NULL },
	{ OPT_NO_DB, set_no_db, NULL },
	{ 'o', set_output, NULL },
	{ OPT_DEBUG_DIR, set_debug_dir, NULL },
	{ OPT_TYPES, set_types, NULL },
	{ OPT_RESCAN, FLAG(rescan) },
	{ OPT_RETRY_ERRORS, FLAG(retry_errors) },
	{ OPT_XZ, FLAG(xz) },
	{ OPT_DEEP, FLAG(deep) },
	{ OPT_NO_CACHE, FLAG(no_cache) },
	{ OPT_HASH, FLAG(hash) },
	{ OPT_DRY_RUN, FLAG(dry_run) },
	{ 'q', FLAG(quiet) },
	{ 'h', .flag = CLI_OPT_NO_FLAG, .stop = true },
};

static const struct cli_opt_table table = {
	"mmlife scan", "+:j:o:qh", batch_long, actions,
	sizeof(actions) / sizeof(actions[0]),
};

static void batch_opts_init(struct batch_opts *o)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	memset(o, 0, sizeof(*o));
	o->jobs = ncpu > 0 ? (unsigned int)ncpu : 1;
	o->timeout = 300;
	o->mem_limit = DEFAULT_MEM_LIMIT;
	o->db_path = "mmlife-scan.db";
	o->shard_n = 1;
}

/* The PATH operands: at least one, and each there. A PATH that is not
 * there is a mistyped command line: say so before creating any
 * database. */
static bool paths_check(int argc, char **argv, int first)
{
	if (first >= argc) {
		fprintf(stderr, "mmlife scan: no PATH given (try --help)\n");
		return false;
	}
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (lstat(argv[i], &st) < 0) {
			fprintf(stderr, "mmlife scan: %s: %s\n", argv[i],
				strerror(errno));
			return false;
		}
	}
	return true;
}

enum batch_parse_result batch_parse(int argc, char **argv,
				    struct batch_opts *o, int *first_path)
{
	int stop;

	batch_opts_init(o);
	switch (cli_opt_parse(&table, argc, argv, o, &stop)) {
	case CLI_OPT_USAGE:
		return BATCH_PARSE_USAGE;
	case CLI_OPT_STOPPED:   /* -h, the only stop option */
		return BATCH_PARSE_HELP;
	case CLI_OPT_OPERANDS:
		break;
	}
	if (!paths_check(argc, argv, optind))
		return BATCH_PARSE_USAGE;
	*first_path = optind;
	return BATCH_PARSE_RUN;
}
