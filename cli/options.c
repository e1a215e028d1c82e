// SPDX-License-Identifier: GPL-2.0-or-later
/* The command line of "mmlife [options] DUMP". */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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
	OPT_DEEP,
	OPT_FAST,
	OPT_LOG,
	OPT_MM,
	OPT_PID,
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
	{ "deep", no_argument, NULL, OPT_DEEP },
	{ "fast", no_argument, NULL, OPT_FAST },
	{ "log", optional_argument, NULL, OPT_LOG },
	{ "mm", required_argument, NULL, OPT_MM },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Same order and spelling as enum mml_severity / mml_severity_name(). */
static const char *const severities[] = {
	[MML_SEV_INFO] = "info",
	[MML_SEV_WARNING] = "warning",
	[MML_SEV_ERROR] = "error",
	[MML_SEV_CRITICAL] = "critical",
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
		"  -v, --verbose       progress and timings on stderr; every "
		"mm in the report\n"
		"  --checks            list the checks (finding ids, severities)"
		"\n"
		"  --fixes             list the upstream fixes mmlife knows (ids, "
		"releases,\n"
		"                      backports, sources); with --json as JSON\n"
		"  --version, -h/--help\n"
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

static bool parse_severity(const char *s, int *ret)
{
	for (size_t i = 0; i < sizeof(severities) / sizeof(severities[0]);
	     i++) {
		if (!strcmp(s, severities[i])) {
			*ret = (int)i;
			return true;
		}
	}
	return false;
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

bool cli_options_parse(int argc, char **argv, struct cli_options *ret)
{
	const char *prog = "mmlife";
	int c;

	memset(ret, 0, sizeof(*ret));
	ret->session.prog = "mmlife";
	ret->fail_on = MML_SEV_WARNING;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:vh", long_options, NULL)) !=
	       -1) {
		switch (c) {
		case OPT_VMLINUX:
			ret->session.debuginfo.vmlinux = optarg;
			break;
		case OPT_DEBUG_DIR:
			ret->session.debuginfo.debug_dir = optarg;
			break;
		case OPT_TYPES:
			if (!parse_types(optarg, &ret->session.types)) {
				fprintf(stderr,
					"%s: --types must be auto, dwarf or "
					"btf, not '%s'\n", prog, optarg);
				return false;
			}
			break;
		case OPT_JSON:
			ret->json = true;
			break;
		case OPT_DEEP:
			ret->deep = true;
			break;
		case OPT_FAST:
			ret->fast = true;
			break;
		case OPT_LOG: {
			char *end = NULL;
			long v = optarg ? strtol(optarg, &end, 10) : 50;
			if (optarg && (*optarg == '\0' || *end || v <= 0 ||
				       v > 100000)) {
				fprintf(stderr, "%s: --log takes a number of "
						"lines, not '%s'\n", prog,
					optarg);
				return false;
			}
			ret->log_lines = (uint32_t)v;
			break;
		}
		case OPT_MM: {
			char *end = NULL;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 16);
			if (!*optarg || *end || errno || !v) {
				fprintf(stderr, "%s: --mm needs an mm_struct "
						"address in hex, not '%s'\n",
					prog, optarg);
				return false;
			}
			ret->mm = v;
			break;
		}
		case OPT_PID:
			if (!parse_pid(optarg, &ret->pid)) {
				fprintf(stderr, "%s: --pid needs a PID, not "
						"'%s'\n", prog, optarg);
				return false;
			}
			break;
		case OPT_MAPS:
			if (!parse_pid(optarg, &ret->maps_pid)) {
				fprintf(stderr, "%s: --maps needs a PID, not "
						"'%s'\n", prog, optarg);
				return false;
			}
			break;
		case OPT_FAIL_ON:
			if (!parse_severity(optarg, &ret->fail_on)) {
				fprintf(stderr,
					"%s: --fail-on must be info, warning, "
					"error or critical, not '%s'\n",
					prog, optarg);
				return false;
			}
			break;
		case 'v':
			ret->session.verbose = true;
			break;
		case OPT_NO_CACHE:
			ret->session.no_cache = true;
			break;
		case OPT_LAYOUT:
			ret->layout = true;
			break;
		case OPT_VERSION:
			ret->version = true;
			return true;
		case OPT_CHECKS:
			ret->checks = true;
			return true;
		case OPT_FIXES:
			ret->fixes = true;   /* --json may follow */
			break;
		case 'h':
			ret->help = true;
			return true;
		case ':':
			fprintf(stderr, "%s: %s needs an argument\n", prog,
				argv[optind - 1]);
			return false;
		default:
			fprintf(stderr, "%s: unknown option '%s' (try --help)\n",
				prog, argv[optind - 1]);
			return false;
		}
	}
	if (ret->deep && ret->fast) {
		fprintf(stderr, "%s: --deep and --fast exclude each other\n",
			prog);
		return false;
	}
	if (ret->fixes && optind == argc)
		return true;   /* the catalogue needs no dump */
	if (optind != argc - 1) {
		fprintf(stderr, "%s: %s (try --help)\n", prog,
			optind >= argc ? "no dump file given"
				       : "give exactly one dump file");
		return false;
	}
	ret->dump = argv[optind];
	return true;
}
