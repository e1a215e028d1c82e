// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife as a crash extension: "extend mmlife.so", then "mmlife".
 * Output goes to crash's fp, so pipes, redirection and the pager work.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"

#include "crash_backend.h"
#include "options.h"
#include "mmlife/report.h"
#include "mmlife/scan.h"

static void cmd_mmlife(void);

static char *help_mmlife[] = {
	"mmlife",
	"check every mm_struct and its VMA maple tree",
	"[-ajlv] [-p pid | task] [-m mm]",
	"  Walks every task's mm_struct, decodes its maple tree (mm->mm_mt)",
	"  without trusting it, and reports what is wrong: XA_ZERO markers left",
	"  by a failed fork, stale VMAs of another mm, empty trees of live",
	"  tasks, MMF_OOM_SKIP/MMF_UNSTABLE flags that disagree with the tree,",
	"  and structural damage. A bad tree is a finding, never an error that",
	"  stops the session.",
	"",
	"    -p pid | task  only the mm of this pid or task_struct address.",
	"    -m mm          only this mm_struct, even if no task uses it.",
	"    -a             also mms that no task references, found in the",
	"                   mm_struct slab (like the CLI's --deep); mms on",
	"                   init_mm.mmlist are always checked.",
	"    -j             print the report as JSON (the CLI's schema).",
	"    -v             list every mm, and dump each tree's nodes and",
	"                   entries with XA_ZERO and foreign VMAs marked.",
	"    -l             list the checks mmlife makes, with their ids, and the",
	"                   upstream fixes it knows, with where each is verified.",
	"",
	"EXAMPLES",
	"  Check every task's mm:",
	"",
	"    %s> mmlife",
	"",
	"  Only the mm of pid 1234, as JSON, into a file:",
	"",
	"    %s> mmlife -j -p 1234 > mm-1234.json",
	"",
	"  An mm that no task references, with its tree:",
	"",
	"    %s> mmlife -v -m ffff888003f4a000",
	NULL
};

static struct command_table_entry command_table[] = {
	{ "mmlife", cmd_mmlife, help_mmlife, 0 },
	{ NULL },
};

/* The layout is resolved once per session. */
static struct mml_layout session_layout;
static bool session_layout_ok;

static void __attribute__((constructor)) mmlife_init(void)
{
	register_extension(command_table);
}

static void __attribute__((destructor)) mmlife_fini(void)
{
}

struct verbose_arg {
	FILE *out;
};

static void verbose_node(void *arg, unsigned int depth, uint64_t node,
			 unsigned int type, uint64_t min, uint64_t max)
{
	struct verbose_arg *va = arg;
	fprintf(va->out, "      %*snode %016" PRIx64 " type %u [%" PRIx64
		"-%" PRIx64 "]\n", (int)depth * 2, "", node, type, min, max);
}

static void verbose_entry(void *arg, const struct mml_entry *e)
{
	struct verbose_arg *va = arg;
	fputs("        ", va->out);
	mml_entry_write_maps(e, va->out);
}

static void mmlife_verbose_trees(struct mml_ctx *ctx,
				 const struct mml_report *r)
{
	struct verbose_arg va = { .out = fp };
	for (size_t i = 0; i < r->nmms; i++) {
		fprintf(fp, "\n  tree of mm %016" PRIx64 ":\n", r->mms[i].addr);
		struct mml_error *err = mml_mm_walk(ctx, r->mms[i].addr,
						    verbose_entry,
						    verbose_node, &va);
		if (err) {
			fprintf(fp, "      %s\n", err->message);
			mml_error_destroy(err);
		}
	}
}

static void cmd_mmlife(void)
{
	struct mml_scan_options opts = { 0 };
	struct mmlife_ext_opts o;
	char why[128];
	ulong value;
	struct task_context *tc;

	if (!mmlife_ext_parse(argcnt, args, &o, why, sizeof(why))) {
		error(INFO, "%s\n", why);
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	if (o.pid) {
		switch (str_to_context(o.pid, &value, &tc)) {
		case STR_PID:
		case STR_TASK:
			opts.pid = tc->pid;
			break;
		default:
			error(INFO, "invalid task or pid value: %s\n", o.pid);
			return;
		}
	}
	opts.mm = o.mm;
	bool json = o.json, verbose = o.verbose, list = o.list, all = o.all;

	if (list) {
		fputs("Checks (finding ids):\n", fp);
		mml_checks_write_text(fp);
		fputs("\nUpstream fixes (commit, first release, title):\n", fp);
		mml_fixes_write_text(fp);
		return;
	}
	/* The CLI's defaults: tasks and init_mm.mmlist; -a adds the slab. */
	opts.mmlist = true;
	opts.deep = all;
	opts.release = kt->utsname.release;

	struct mml_error *err = NULL;
	if (!session_layout_ok) {
		struct mml_types types;
		mml_crash_types_init(&types);
		err = mml_layout_resolve(&types, &session_layout);
		if (err) {
			error(INFO, "%s\n", err->message);
			mml_error_destroy(err);
			return;
		}
		session_layout_ok = true;
	}
	struct mml_target target;
	mml_crash_target_init(&target);
	struct mml_ctx *ctx = NULL;
	struct mml_report *report = NULL;
	err = mml_ctx_create(&target, &session_layout, NULL, &ctx);
	if (!err)
		err = mml_scan(ctx, &opts, &report);
	if (err) {
		error(INFO, "%s\n", err->message);
		mml_error_destroy(err);
		mml_ctx_destroy(ctx);
		return;
	}
	mml_crash_dump_info(&report->dump);
	if (json) {
		err = mml_report_write_json(report, fp);
		if (err) {
			error(INFO, "%s\n", err->message);
			mml_error_destroy(err);
		}
	} else {
		struct mml_text_options topts = { .verbose = verbose };
		mml_report_write_text(report, &topts, fp);
		if (verbose)
			mmlife_verbose_trees(ctx, report);
	}
	mml_report_destroy(report);
	mml_ctx_destroy(ctx);
}
