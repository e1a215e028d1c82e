// SPDX-License-Identifier: GPL-2.0-or-later
/* The crash command's options, without crash (see options.h). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "options.h"

/* A kernel address in hex (an optional 0x, 1 to 16 digits). */
static bool parse_hex(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	size_t n = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, n++) {
		int d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return false;
		if (n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*ret = v;
	return n > 0;
}

bool mmlife_ext_parse(int argc, char **argv, struct mmlife_ext_opts *ret,
		      char *why, size_t whylen)
{
	int c, saved_opterr = opterr;
	bool ok = true;
	memset(ret, 0, sizeof(*ret));
	why[0] = '\0';
	optind = 0;     /* a full restart of getopt for every command */
	opterr = 0;     /* the reason goes to @why; restored for crash */
	while (ok && (c = getopt(argc, argv, ":afjlvLp:m:t:")) != -1) {
		switch (c) {
		case 'a': ret->all = true; break;
		case 'f': ret->fast = true; break;
		case 'j': ret->json = true; break;
		case 'l': ret->list = true; break;
		case 'L': ret->layout = true; break;
		case 'v': ret->verbose = true; break;
		case 'p': ret->pid = optarg; break;
		case 't':
			ok = !strcmp(optarg, "btf") || !strcmp(optarg, "gdb");
			if (!ok)
				snprintf(why, whylen,
					 "-t takes btf or gdb, not %.64s",
					 optarg);
			ret->types = optarg;
			break;
		case 'm':
			ok = parse_hex(optarg, &ret->mm);
			if (!ok)
				snprintf(why, whylen, "invalid mm address: %s",
					 optarg);
			ret->have_mm = ok;
			break;
		case ':':
			snprintf(why, whylen, "-%c needs an argument", optopt);
			ok = false;
			break;
		default:
			snprintf(why, whylen, "unknown option -%c", optopt);
			ok = false;
			break;
		}
	}
	if (ok && ret->all && ret->fast) {
		snprintf(why, whylen, "-a and -f exclude each other");
		ok = false;
	}
	if (ok && optind < argc) {
		snprintf(why, whylen, "unexpected argument: %s", argv[optind]);
		ok = false;
	}
	opterr = saved_opterr;
	return ok;
}
