// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife [options] DUMP: analyse one kernel crash dump (the default
 * command, default_cmd.c).
 * mmlife NAME ...: a subcommand from commands.c (scan, report, db: batch
 * scanning of a dump archive, cli/batch/).
 */
#include "cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] != '-') {
		const struct cli_command *cmd = cli_command_find(argv[1]);
		if (cmd)
			return cmd->main(argc - 1, argv + 1);
	}
	return cli_main_analyse(argc, argv);
}
