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
#include "direct.h"
#include "layout.h"
#include "options.h"
#include "stop.h"
#include "mmlife/cleanup.h"
#include "mmlife/report.h"
#include "mmlife/scan.h"

static void cmd_mmlife(void);

static char *help_mmlife[] = {
	"mmlife",
	"check every mm_struct and its VMA maple tree",
	"[-a | -f] [-jlv] [-t btf|gdb] [-p pid | task] [-m mm]",
	"  Walks every task's mm_struct, decodes its maple tree (mm->mm_mt)",
	"  without trusting it, and reports what is wrong: XA_ZERO markers left",
	"  by a failed fork, stale VMAs of another mm, empty trees of live",
	"  tasks, MMF_OOM_SKIP/MMF_UNSTABLE flags that disagree with the tree,",
	"  and structural damage. A bad tree is a finding, never an error that",
	"  stops the session. It also runs in crash --minimal, for a dump crash",
	"  cannot start on (a filter that dropped kernel pages): the report's",
	"  Dump section then says what the dump lacks, apart from the findings",
	"  about the kernel. crash --minimal sets up no page tables, so there",
	"  mmlife checks tasks and init_mm.mmlist only (as with -f; -a is",
	"  refused) and says so in the report's discovery notes.",
	"",
	"  The first run takes the type layout from mmlife's layout cache",
	"  (~/.cache/mmlife/layouts/, as the CLI leaves it) when the dump and",
	"  crash's vmlinux are the build a valid cache file was written for;",
	"  else from the kernel's own BTF (the .BTF section of crash's vmlinux",
	"  when it is the dump's build, else the BTF in the dump, which crash",
	"  --minimal cannot read), else from crash's gdb; and writes it there",
	"  for the next session.",
	"",
	"    -p pid | task  only the mm of this pid or task_struct address.",
	"    -m mm          only this mm_struct, even if no task uses it.",
	"    -a             search the whole memmap for mm_struct slabs (like",
	"                   the CLI's --deep). By default mmlife checks every",
	"                   task's mm, init_mm.mmlist and the mm_struct slab's",
	"                   per-cpu and partial slabs, and searches the memmap",
	"                   for full slabs when the slab's counters show an",
	"                   mm_struct nothing else accounts for (on machines",
	"                   up to 64 GiB of RAM).",
	"    -f             only tasks and init_mm.mmlist (the CLI's --fast):",
	"                   misses most failed forks' children.",
	"    -j             print the report as JSON (the CLI's schema).",
	"    -v             list every mm, and dump each tree's nodes and",
	"                   entries with XA_ZERO and foreign VMAs marked.",
	"    -t btf|gdb     take the type layout from the kernel's BTF, or from",
	"                   crash's gdb, and from nothing else (no cache); the",
	"                   rest of the session keeps it.",
	"    -l             list the checks mmlife makes, with their ids, and the",
	"                   upstream fixes it knows (the CLI's --fixes): mainline",
	"                   id, title, author, first release, stable backports,",
	"                   the source each is verified in, and what is not.",
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
	{ "mmlife", cmd_mmlife, help_mmlife, MINIMAL },
	{ NULL },
};

/* The layout is resolved once per session, by the first run that can. */
static struct ext_layout session_layout;

static void __attribute__((constructor)) mmlife_init(void)
{
	register_extension(command_table);
}

static void __attribute__((destructor)) mmlife_fini(void)
{
	ext_direct_close();
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
	/* Stopped: the trees left would read as unreadable. */
	for (size_t i = 0; i < r->nmms && !ext_stop_requested(); i++) {
		fprintf(fp, "\n  tree of mm %016" PRIx64 ":\n", r->mms[i].addr);
		struct mml_error *err = mml_mm_walk(ctx, r->mms[i].addr,
						    verbose_entry,
						    verbose_node, &va);
		if (err && !ext_stop_requested())
			fprintf(fp, "      %s\n", err->message);
		mml_error_destroy(err);
	}
}

/* -v: which reader served the pages (tests/dumps/crash_ext.sh). */
static void mmlife_verbose_pages(void)
{
	struct ext_direct_stats st;
	ext_direct_stats(&st);
	fprintf(fp, "\n  page reads: %" PRIu64 " from the kdump file by "
		"mmlife, %" PRIu64 " through crash's readmem()", st.direct,
		st.crash);
	if (st.why_off)
		fprintf(fp, " (off: %s)", st.why_off);
	fputc('\n', fp);
}

/* The -p argument as a pid, through crash's task table; false if neither
 * a pid nor a task (said). */
static bool mmlife_pid(const char *arg, int32_t *pid_ret)
{
	ulong value;
	struct task_context *tc;

	switch (str_to_context((char *)arg, &value, &tc)) {
	case STR_PID:
	case STR_TASK:
		*pid_ret = tc->pid;
		return true;
	default:
		error(INFO, "invalid task or pid value: %s\n", arg);
		return false;
	}
}

static bool mmlife_layout(const struct mmlife_ext_opts *o)
{
	enum ext_types want = !o->types		   ? EXT_TYPES_AUTO
			      : !strcmp(o->types, "gdb") ? EXT_TYPES_GDB
							 : EXT_TYPES_BTF;
	struct mml_error *err = ext_layout_resolve(&session_layout, want);
	if (err) {
		error(INFO, "%s\n", err->message);
		mml_error_destroy(err);
		return false;
	}
	return true;
}

/* Scan as the options say; NULL (and the error said) if it failed. */
static struct mml_report *mmlife_scan(struct mml_ctx *ctx,
				      const struct mmlife_ext_opts *o,
				      int32_t pid)
{
	/* The CLI's defaults: tasks, init_mm.mmlist and the slab; -a the
	 * whole memmap, -f no slab. */
	struct mml_scan_options opts = {
		.pid = pid,
		.mm = o->mm,
		.mmlist = true,
		.deep = o->all,
		.fast = o->fast,
	};
	/* Without page tables (crash --minimal) the slab and the memmap,
	 * which live in the vmemmap, would be read from wrong pages. */
	if (!mml_crash_has_page_tables()) {
		if (o->all) {
			error(INFO, "-a reads the memmap, which crash "
				    "--minimal cannot translate (no page "
				    "tables): run it in a full crash "
				    "session or with the CLI\n");
			return NULL;
		}
		if (!o->fast)
			opts.fast_why = MML_CRASH_NO_PAGE_TABLES;
		opts.fast = true;
	}
	/* Empty in crash --minimal: the core reads init_uts_ns itself. */
	opts.release = kt->utsname.release[0] ? kt->utsname.release : NULL;
	/* makedumpfile's -d of a kdump file, for the dump findings. */
	opts.dump_level = DISKDUMP_DUMPFILE() ? get_dump_level() : -1;

	struct mml_report *report = NULL;
	struct mml_error *err = mml_scan(ctx, &opts, &report);
	if (err) {
		/* Stopped (^C) before init_task was read: every read failed
		 * on purpose; "interrupted" is what ext_stop_end() says. */
		if (!ext_stop_requested())
			error(INFO, "%s\n", err->message);
		mml_error_destroy(err);
		return NULL;
	}
	mml_crash_dump_info(&report->dump);
	if ((!report->dump.release || !*report->dump.release) &&
	    report->kernel_release) {
		free(report->dump.release);
		report->dump.release = strdup(report->kernel_release);
	}
	return report;
}

static void mmlife_write(struct mml_ctx *ctx, const struct mml_report *report,
			 const struct mmlife_ext_opts *o)
{
	if (o->json) {
		struct mml_error *err = mml_report_write_json(report, fp);
		if (err) {
			error(INFO, "%s\n", err->message);
			mml_error_destroy(err);
		}
	} else {
		struct mml_text_options topts = { .verbose = o->verbose };
		mml_report_write_text(report, &topts, fp);
		if (o->verbose) {
			mmlife_verbose_pages();
			mmlife_verbose_trees(ctx, report);
		}
	}
}

static void mmlife_run(const struct mmlife_ext_opts *o, int32_t pid)
{
	struct mml_target target;
	struct mml_ctx *ctx = NULL;

	if (!mmlife_layout(o))
		return;
	mml_crash_target_init(&target);
	struct mml_error *err = mml_ctx_create(&target, &session_layout.layout,
					       NULL, &ctx);
	if (err) {
		error(INFO, "%s\n", err->message);
		mml_error_destroy(err);
		return;
	}
	ext_direct_begin();
	struct mml_report *report = mmlife_scan(ctx, o, pid);
	/* A walk cut short by ^C or a closed pipe is no report. */
	if (report && !ext_stop_requested())
		mmlife_write(ctx, report, o);
	ext_direct_end();
	mml_report_destroy(report);
	mml_ctx_destroy(ctx);
}

static void cmd_mmlife(void)
{
	struct mmlife_ext_opts o;
	char why[128];
	int32_t pid = 0;

	if (!mmlife_ext_parse(argcnt, args, &o, why, sizeof(why))) {
		error(INFO, "%s\n", why);
		cmd_usage(pc->curcmd, SYNOPSIS);
		return;
	}
	if (o.pid && !mmlife_pid(o.pid, &pid))
		return;
	if (o.list) {
		fputs("Checks (finding ids):\n", fp);
		mml_checks_write_text(fp);
		fputs("\nUpstream fixes (commit, first release, title):\n", fp);
		mml_fixes_write_text(fp);
		return;
	}
	if (o.layout) {
		if (mmlife_layout(&o))
			ext_layout_print(&session_layout, fp);
		return;
	}
	ext_stop_begin();
	mmlife_run(&o, pid);
	ext_stop_end();
}
