// SPDX-License-Identifier: GPL-2.0-or-later
/* Table-driven option parsing (opt_table.h). */
#include <stdio.h>

#include "opt_table.h"

static const struct cli_opt_action *action_find(const struct cli_opt_table *t,
						int id)
{
	for (size_t i = 0; i < t->nactions; i++) {
		if (t->actions[i].id == id)
			return &t->actions[i];
	}
	return NULL;
}

/* Apply @a with @arg to @o; on a refused argument print why. */
static bool action_apply(const struct cli_opt_table *t,
			 const struct cli_opt_action *a, const char *arg,
			 void *o)
{
	if (!a->set) {
		if (a->flag != CLI_OPT_NO_FLAG)
			*(bool *)((char *)o + a->flag) = true;
		return true;
	}
	if (a->set(arg, o))
		return true;
	fprintf(stderr, "%s: ", t->prog);
	fprintf(stderr, a->bad, arg);
	fputc('\n', stderr);
	return false;
}

enum cli_opt_result cli_opt_parse(const struct cli_opt_table *t, int argc,
				  char **argv, void *o, int *stop_ret)
{
	int c;

	/* 0, not 1: glibc and musl then start afresh (glibc re-reads
	 * POSIXLY_CORRECT and the ordering, and forgets where a parse that
	 * stopped inside a cluster of short options was), as in a new
	 * process: "mmlife scan"'s worker parses the analysis's options in
	 * the process that parsed the scan's (batch_child.c). getopt sets
	 * optind to 1 before it reads argv[1]. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, t->shortopts, t->longopts,
				NULL)) != -1) {
		const struct cli_opt_action *a = action_find(t, c);
		if (c == ':') {
			fprintf(stderr, "%s: %s needs an argument\n", t->prog,
				argv[optind - 1]);
			return CLI_OPT_USAGE;
		}
		if (!a) {
			fprintf(stderr, "%s: unknown option '%s' (try --help)\n",
				t->prog, argv[optind - 1]);
			return CLI_OPT_USAGE;
		}
		if (!action_apply(t, a, optarg, o))
			return CLI_OPT_USAGE;
		if (a->stop) {
			*stop_ret = c;
			return CLI_OPT_STOPPED;
		}
	}
	return CLI_OPT_OPERANDS;
}
