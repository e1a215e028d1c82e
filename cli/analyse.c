// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The default command's work once the session is open: run the core's
 * scan and render the report (text or JSON), or list one mm's tree
 * entries for --maps. Exit codes are those of enum cli_exit.
 */
#include <stdio.h>

#include "mmlife/report.h"
#include "mmlife/scan.h"
#include "cli.h"
#include "batch/batch.h"

struct maps_state {
	FILE *out;
	uint64_t entries;
};

static void maps_entry(void *arg, const struct mml_entry *entry)
{
	struct maps_state *st = arg;
	mml_entry_write_maps(entry, st->out);
	st->entries++;
}

static int analyse_fail(const struct cli_session *s, struct mml_error *err)
{
	fprintf(stderr, "mmlife: %s: %s\n", s->path, err->message);
	mml_error_destroy(err);
	return CLI_EXIT_FAILED;
}

static int analyse_maps(struct cli_session *s, struct mml_ctx *ctx,
			int32_t pid, FILE *out)
{
	uint64_t mm;
	struct mml_error *err = mml_pid_to_mm(ctx, pid, &mm);
	if (err)
		return analyse_fail(s, err);
	struct maps_state st = { out, 0 };
	err = mml_mm_walk(ctx, mm, maps_entry, NULL, &st);
	if (err)
		return analyse_fail(s, err);
	return CLI_EXIT_CLEAN;
}

static int analyse_report(struct cli_session *s, struct mml_ctx *ctx,
			  const struct cli_options *opts, FILE *out)
{
	struct mml_scan_options so = { .pid = opts->pid, .mm = opts->mm,
					.mmlist = true,
					.deep = opts->deep,
					.fast = opts->fast,
					.log_lines = opts->log_lines };
	/* The release for the verdicts if init_uts_ns cannot be read. */
	so.release = cli_dump_vmcoreinfo(s->dump)->osrelease;
	so.dump_level = cli_dump_level(s->dump);
	struct mml_report *report;
	struct mml_error *err = mml_scan(ctx, &so, &report);
	const char *why;
	/* Reads failed after a fault for the dump's sake: no report of them
	 * (they would read as bad pointers, findings about the kernel). */
	if (cli_dump_faulted(s->dump, &why)) {
		mml_error_destroy(err);
		if (!err)
			mml_report_destroy(report);
		return analyse_fail(s, mml_error_create(MML_ERROR_INPUT,
							"%s", why));
	}
	if (err)
		return analyse_fail(s, err);

	mml_dump_info_deinit(&report->dump);
	err = cli_session_dump_info(s, &report->dump);
	if (!err) {
		if (opts->scan_record) {
			err = batch_digest_write(report, out);
		} else if (opts->json) {
			err = mml_report_write_json(report, out);
		} else {
			struct mml_text_options to = {
				.verbose = opts->session.verbose,
			};
			mml_report_write_text(report, &to, out);
			if (opts->log_lines) {
				fputs("\nKernel log (last lines)\n", out);
				mml_log_write_text(report, out);
			}
		}
	}
	int rc = CLI_EXIT_CLEAN;
	if (err)
		rc = analyse_fail(s, err);
	else if (report->any_findings && report->worst >= opts->fail_on)
		rc = CLI_EXIT_FINDINGS;
	else if (report->dump_findings)
		rc = CLI_EXIT_INCOMPLETE;
	mml_report_destroy(report);
	return rc;
}

int cli_analyse(struct cli_session *s, const struct cli_options *opts,
		FILE *out)
{
	struct mml_limits limits;
	struct mml_ctx *ctx;

	mml_limits_default(&limits);
	struct mml_error *err =
		mml_ctx_create(&s->target, &s->layout, &limits, &ctx);
	if (err)
		return analyse_fail(s, err);
	cli_session_workers(s, opts->session.threads, opts->scan_record, ctx);
	err = cli_session_readahead(s, opts->session.threads,
				    opts->scan_record, ctx);
	if (err) {
		mml_ctx_destroy(ctx);
		cli_session_workers_destroy(s);
		return analyse_fail(s, err);
	}
	int rc = opts->maps_pid ? analyse_maps(s, ctx, opts->maps_pid, out)
				: analyse_report(s, ctx, opts, out);
	s->threads_used = mml_ctx_threads_used(ctx);
	mml_ctx_destroy(ctx);
	cli_session_workers_destroy(s);
	return rc;
}
