// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Subcommands: "mmlife NAME ..." runs the entry named NAME instead of the
 * default single-dump analysis. A dump file that happens to be called like
 * a subcommand can still be given as ./NAME.
 *
 * Batch scanning (batch.h): "scan" many dumps into a database, "report" on
 * that database, "db merge" databases.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "batch/batch.h"

static const struct cli_command commands[] = {
	{ "scan", batch_scan_main, "scan many dumps into a database" },
	{ "report", batch_report_main, "report on a scan database" },
	{ "db", batch_db_main, "scan database maintenance (merge)" },
};

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}
