// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Subcommands: "mmlife NAME ..." runs the entry named NAME instead of the
 * default single-dump analysis. A dump file that happens to be called like
 * a subcommand can still be given as ./NAME.
 *
 * "scan" (batch scanning into a database) is reserved: its implementation
 * goes into its own file and replaces the placeholder below.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int command_reserved(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "mmlife: '%s' is reserved for batch scanning and not "
			"available in this version\n", argv[0]);
	return CLI_EXIT_USAGE;
}

static const struct cli_command commands[] = {
	{ "scan", command_reserved, "scan many dumps into a database" },
};

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}
