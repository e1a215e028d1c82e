// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The default command, "mmlife [options] DUMP" (cli_main_analyse(),
 * cli.h): the options, then a catalogue or the session and its report.
 * Apart from main.c because "mmlife scan"'s workers call it in the
 * process they forked (cli/batch/batch_child.c), and the fuzz harnesses
 * link the whole CLI but main().
 */
#include <stdio.h>

#include "mmlife/report.h"
#include "cli.h"

#ifndef MMLIFE_VERSION
#define MMLIFE_VERSION "unknown"
#endif

/* Print a catalogue that needs no dump (--fixes, --constants), as text
 * or, with --json, as JSON. */
static int print_catalogue(bool json, void (*write_text)(FILE *),
			   struct mml_error *(*write_json)(FILE *),
			   const char *what)
{
	struct mml_error *err = NULL;
	if (json)
		err = write_json(stdout);
	else
		write_text(stdout);
	if (err || fflush(stdout)) {
		fprintf(stderr, "mmlife: writing the %s failed\n", what);
		mml_error_destroy(err);
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_CLEAN;
}

int cli_main_analyse(int argc, char **argv)
{
	struct cli_options opts;
	struct cli_session *session;

	if (!cli_options_parse(argc, argv, &opts))
		return CLI_EXIT_USAGE;
	if (opts.help) {
		cli_usage(stdout, "mmlife");
		return CLI_EXIT_CLEAN;
	}
	if (opts.checks) {
		mml_checks_write_text(stdout);
		return CLI_EXIT_CLEAN;
	}
	if (opts.fixes)
		return print_catalogue(opts.json, mml_fixes_write_text,
				       mml_fixes_write_json, "catalogue");
	if (opts.constants)
		return print_catalogue(opts.json, mml_constants_write_text,
				       mml_constants_write_json, "constants");
	if (opts.version) {
		printf("mmlife %s\n", MMLIFE_VERSION);
		return CLI_EXIT_CLEAN;
	}
	struct mml_error *err =
		cli_session_open(opts.dump, &opts.session, &session);
	if (err) {
		fprintf(stderr, "mmlife: %s\n", err->message);
		mml_error_destroy(err);
		return CLI_EXIT_FAILED;
	}
	int rc = opts.layout ? cli_layout_print(session, stdout)
			     : cli_analyse(session, &opts, stdout);
	if (fflush(stdout) != 0 && rc != CLI_EXIT_FAILED) {
		fprintf(stderr, "mmlife: writing the report failed\n");
		rc = CLI_EXIT_FAILED;
	}
	cli_session_destroy(session);
	return rc;
}
