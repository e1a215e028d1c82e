/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The crash command's options (ext/options.c), parsed without crash so
 * that they can be tested and fuzzed (tests/fuzz/fuzz_ext_opts.c).
 */
#ifndef MMLIFE_EXT_OPTIONS_H
#define MMLIFE_EXT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mmlife_ext_opts {
	bool all, fast, json, list, verbose;
	/* -L, not in the help: print the session's layout and where it came
	 * from, as the CLI's --layout does (tests/dumps/crash_layout.sh). */
	bool layout;
	/* -t: where the type layout comes from: NULL (the cache, else the
	 * dump's BTF, else gdb), "btf" or "gdb" (that alone). */
	const char *types;
	char *pid;              /* -p: a pid or task address, as given */
	bool have_mm;
	uint64_t mm;            /* -m */
};

/*
 * Parse "mmlife [-a | -f] [-jlv] [-t btf|gdb] [-p pid | task] [-m mm]" (argv[0] is the
 * command).
 * False on a usage error, with the reason in @why (@whylen bytes).
 */
bool mmlife_ext_parse(int argc, char **argv, struct mmlife_ext_opts *ret,
		      char *why, size_t whylen);

#endif
