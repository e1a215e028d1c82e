/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Table-driven option parsing over getopt_long(), shared by "mmlife" and
 * "mmlife scan": each option's effect is a row, the loop and its usage
 * errors are written once.
 */
#ifndef MMLIFE_CLI_OPT_TABLE_H
#define MMLIFE_CLI_OPT_TABLE_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

/* No bool to set: a stop option the caller acts on itself. */
#define CLI_OPT_NO_FLAG ((size_t)-1)

/*
 * One option's effect on the options struct (passed as void *): an option
 * with an argument has a setter and the usage error for an argument it
 * refuses (printed after "PROG: ", %s is the argument); an option without
 * one sets the bool at flag (an offset into the struct). A stop option
 * (--version, --help, ...) ends the parse: nothing after it matters.
 */
struct cli_opt_action {
	int id;
	bool (*set)(const char *arg, void *o);
	const char *bad;
	size_t flag;
	bool stop;
};

struct cli_opt_table {
	const char *prog;               /* "mmlife", "mmlife scan" */
	const char *shortopts;          /* getopt's, starting "+:" */
	const struct option *longopts;
	const struct cli_opt_action *actions;
	size_t nactions;
};

enum cli_opt_result {
	CLI_OPT_OPERANDS,  /* every option applied; optind at the operands */
	CLI_OPT_STOPPED,   /* a stop option was applied */
	CLI_OPT_USAGE,     /* a usage error, already printed */
};

/* Apply the options of @argv to @o; *stop_ret gets a stop option's id. */
enum cli_opt_result cli_opt_parse(const struct cli_opt_table *t, int argc,
				  char **argv, void *o, int *stop_ret);

#endif
