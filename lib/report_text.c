// SPDX-License-Identifier: GPL-2.0-or-later
/* The report for people: a header, findings grouped by mm, a summary. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "kconst.h"
#include "mmlife/report.h"

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

void mml_evidence_write_value(const struct mml_evidence *ev, FILE *out)
{
	switch (ev->type) {
	case MML_EV_ADDR:
		fprintf(out, "0x%016" PRIx64, ev->u);
		break;
	case MML_EV_HEX:
		fprintf(out, "0x%" PRIx64, ev->u);
		break;
	case MML_EV_U64:
		fprintf(out, "%" PRIu64, ev->u);
		break;
	case MML_EV_I64:
		fprintf(out, "%" PRId64, ev->i);
		break;
	case MML_EV_BOOL:
		fputs(ev->b ? "yes" : "no", out);
		break;
	case MML_EV_RANGE:
		fprintf(out, "[0x%" PRIx64 "-0x%" PRIx64 "]", ev->range.first,
			ev->range.last);
		break;
	case MML_EV_STR:
		fputs(ev->str ? ev->str : "", out);
		break;
	}
}

static void write_tasks(const struct mml_mm *mm, FILE *out)
{
	if (!mm->ntasks) {
		fputs("no task", out);
		return;
	}
	for (size_t i = 0; i < mm->ntasks && i < 6; i++)
		fprintf(out, "%s%d %s", i ? ", " : "", mm->tasks[i].pid,
			mm->tasks[i].comm);
	if (mm->ntasks > 6)
		fprintf(out, " and %zu more", mm->ntasks - 6);
}

static void write_finding(const struct mml_finding *f, FILE *out)
{
	fprintf(out, "    [%s] %s: %s\n", mml_severity_name(f->severity),
		f->check->id, f->summary ? f->summary : "");
	size_t col = 0;
	for (size_t i = 0; i < f->nevidence; i++) {
		if (col == 0)
			fputs("        ", out);
		fprintf(out, "%s=", f->evidence[i].key);
		mml_evidence_write_value(&f->evidence[i], out);
		col++;
		if (col == 3 || i + 1 == f->nevidence ||
		    f->evidence[i].type == MML_EV_STR) {
			fputc('\n', out);
			col = 0;
		} else {
			fputs("  ", out);
		}
	}
}

/* The fix of a verdict: "uprobe fork fix (8ac662f5da19)". */
static void write_fix_name(const struct mml_fix *fix, FILE *out)
{
	fputs(fix->name ? fix->name : fix->id, out);
	if (fix->commit)
		fprintf(out, " (%.12s%s)", fix->commit,
			fix->commit_verified ? "" : ", id unverified");
}

static void write_verdict_fix(const struct mml_verdict *v, FILE *out)
{
	if (!v->fix) {
		if (v->note)
			fprintf(out, "    %s\n", v->note);
		return;
	}
	fputs("    ", out);
	write_fix_name(v->fix, out);
	fprintf(out, ": %s%s", v->fix->role == MML_FIX_CAUSE ? "cause " : "",
		mml_presence_name(v->presence));
	if (v->method_detail)
		fprintf(out, " (%s)", v->method_detail);
	if (!v->certain && v->method != MML_METHOD_VERSION &&
	    v->presence != MML_PRESENCE_UNKNOWN)
		fputs(", not certain", out);
	fputc('\n', out);
	if (v->note)
		fprintf(out, "      %s\n", v->note);
}

/* One paragraph per problem: what, evidence, then one line per fix. */
static void write_verdicts(const struct mml_report *r, FILE *out)
{
	if (!r->nverdicts)
		return;
	fputs("\nVerdict\n", out);
	for (size_t i = 0; i < r->nverdicts; i++) {
		const struct mml_verdict *v = &r->verdicts[i];
		bool first = i == 0 || strcmp(r->verdicts[i - 1].problem,
					      v->problem) ||
			     r->verdicts[i - 1].mm != v->mm;
		if (first) {
			if (i)
				fputc('\n', out);
			fprintf(out, "  %s\n", v->title ? v->title : v->problem);
			if (v->what)
				fprintf(out, "    %s\n", v->what);
			if (v->evidence)
				fprintf(out, "    Evidence: %s\n", v->evidence);
		}
		write_verdict_fix(v, out);
	}
}

static void write_log(const struct mml_report *r, FILE *out)
{
	const struct mml_log *log = &r->log;
	if (!log->read || (!log->oops.found && !log->oom.found))
		return;
	fputs("\nKernel log\n", out);
	if (log->oom.found) {
		const struct mml_oops *m = &log->oom;
		fprintf(out, "  last %s report: %s\n", m->kind, m->message);
		if (m->ntrace) {
			fputs("    call trace:", out);
			for (size_t i = 0; i < m->ntrace && i < 12; i++)
				fprintf(out, " %s%s", i ? "<- " : "",
					m->trace[i]);
			fputc('\n', out);
		}
	}
	if (!log->oops.found)
		return;
	const struct mml_oops *o = &log->oops;
	fprintf(out, "  %s: %s\n",
		!strcmp(o->kind, "warning") ? "warning (not an oops)" : o->kind,
		o->message);
	if (o->panic && strcmp(o->panic, o->message))
		fprintf(out, "  %s\n", o->panic);
	if (o->pid >= 0)
		fprintf(out, "  CPU %d, pid %d (%s)\n", o->cpu, o->pid,
			o->comm);
	if (o->rip)
		fprintf(out, "  %s %s\n", o->rip_label ? o->rip_label : "RIP",
			o->rip);
	if (o->ntrace) {
		fputs("  call trace:", out);
		for (size_t i = 0; i < o->ntrace && i < 12; i++)
			fprintf(out, " %s%s", i ? "<- " : "", o->trace[i]);
		fputc('\n', out);
	}
	if (o->correlation)
		fprintf(out, "  correlation: %s\n", o->correlation);
	if (log->nwarnings)
		fprintf(out, "  %zu other WARNING%s in the log (see --log)\n",
			log->nwarnings, log->nwarnings > 1 ? "s" : "");
}

void mml_log_write_text(const struct mml_report *r, FILE *out)
{
	const struct mml_log *log = &r->log;
	if (!log->read) {
		fprintf(out, "kernel log not available: %s\n",
			log->unavailable ? log->unavailable : "not read");
		return;
	}
	for (size_t i = 0; i < log->nlines; i++)
		fprintf(out, "%s\n", log->lines[i]);
}

static void write_mm(const struct mml_report *r, const struct mml_mm *mm,
		     FILE *out)
{
	fprintf(out, "  mm 0x%016" PRIx64 " (", mm->addr);
	write_tasks(mm, out);
	fputs(")\n", out);
	if (mm->readable) {
		fprintf(out, "    flags 0x%" PRIx64 "%s%s  map_count %d  "
			"users %d  count %d  ma_root 0x%" PRIx64
			"  ma_flags 0x%x\n",
			mm->flags,
			(mm->flags >> MML_MMF_OOM_SKIP) & 1 ? " OOM_SKIP" : "",
			(mm->flags >> MML_MMF_UNSTABLE) & 1 ? " UNSTABLE" : "",
			mm->map_count, mm->mm_users, mm->mm_count,
			mm->ma_root, mm->ma_flags);
		fprintf(out, "    tree: height %u, %" PRIu64 " nodes, %" PRIu64
			" VMAs, %" PRIu64 " foreign, %" PRIu64
			" XA_ZERO, %" PRIu64 " bad%s\n",
			mm->tree.height, mm->tree.nodes, mm->tree.vmas,
			mm->tree.foreign, mm->tree.xa_zero, mm->tree.bad,
			mm->tree.walked && !mm->tree.complete
				? " (walk incomplete)" : "");
	}
	for (size_t i = 0; i < mm->nfindings; i++)
		write_finding(&r->findings[mm->first_finding + i], out);
}

/* Which discovery paths ran, what each found first, and why not. */
static void write_discovery(const struct mml_report *r, FILE *out)
{
	if (!r->discovery_mode)
		return;
	fprintf(out, "  discovery %s:", r->discovery_mode);
	for (int p = 0; p < MML_NPATHS; p++) {
		const struct mml_discovery_step *d = &r->discovery[p];
		if (d->ran)
			fprintf(out, "%s %s +%" PRIu64, p ? "," : "",
				mml_discovery_path_name(p), d->mms);
	}
	/* The rest of "scanned N mms" (scan.c counts them). */
	if (r->discovery_known)
		fprintf(out, " (+%" PRIu64 " known as a lazy-TLB active_mm "
			"or text_poke's mm)", r->discovery_known);
	fputc('\n', out);
	for (int p = MML_PATH_MMLIST; p < MML_NPATHS; p++)
		if (r->discovery[p].note &&
		    (p == MML_PATH_MEMMAP || !r->discovery[p].ran))
			fprintf(out, "            %s %s\n",
				mml_discovery_path_name(p),
				r->discovery[p].note);
}

static bool is_dump(const struct mml_finding *f)
{
	return f->check->finding_class == MML_CLASS_DUMP;
}

/* The dump's own problems, before any finding about the kernel: what it
 * lacks, the likely cause and the remedy (the dump-wide finding). */
static void write_dump_class(const struct mml_report *r, FILE *out)
{
	if (!r->dump_findings)
		return;
	fputs("\nDump\n", out);
	for (size_t i = 0; i < r->nfindings; i++)
		if (mml_check_is(r->findings[i].check,
				 MML_CHECK_DUMP_INCOMPLETE))
			write_finding(&r->findings[i], out);
}

/* Per mm, then the kernel findings not about one mm. */
static void write_findings(const struct mml_report *r, bool verbose,
			   FILE *out)
{
	size_t global = r->nfindings;
	for (size_t i = 0; i < r->nmms; i++)
		global -= r->mms[i].nfindings;
	fputs("\nFindings\n", out);
	if (r->nfindings == r->dump_findings && !verbose &&
	    global == r->nfindings)
		fputs("  none\n", out);
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].nfindings || verbose)
			write_mm(r, &r->mms[i], out);
	bool header = false;
	for (size_t i = r->nfindings - global; i < r->nfindings; i++) {
		if (is_dump(&r->findings[i]))
			continue;
		if (!header)
			fputs("  not about one mm:\n", out);
		header = true;
		write_finding(&r->findings[i], out);
	}
	for (size_t i = 0; i < r->nerrors; i++)
		fprintf(out, "  error: %s\n", r->errors[i]);
}

/* Kernel findings by severity; the dump's apart, never as errors. */
static void write_summary(const struct mml_report *r, FILE *out)
{
	size_t sev[MML_SEV_CRITICAL + 1] = { 0 }, with = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (!is_dump(&r->findings[i]))
			sev[r->findings[i].severity]++;
	for (size_t i = 0; i < r->nmms; i++)
		for (size_t j = 0; j < r->mms[i].nfindings; j++)
			if (!is_dump(&r->findings[r->mms[i].first_finding +
						  j])) {
				with++;
				break;
			}
	fputs("\nSummary\n", out);
	fprintf(out, "  %zu findings about the kernel (%zu critical, %zu "
		"error, %zu warning, %zu info) in %zu of %zu mms\n",
		r->nfindings - r->dump_findings, sev[MML_SEV_CRITICAL],
		sev[MML_SEV_ERROR], sev[MML_SEV_WARNING], sev[MML_SEV_INFO],
		with, r->nmms);
	if (r->dump_findings)
		fprintf(out, "  the dump is incomplete: %zu findings about the "
			"dump (see Dump above); nothing about the kernel was "
			"inferred from the missing pages\n", r->dump_findings);
}

void mml_report_write_text(const struct mml_report *r,
			   const struct mml_text_options *opts, FILE *out)
{
	const struct mml_dump_info *d = &r->dump;
	bool verbose = opts && opts->verbose;

	fprintf(out, "mmlife %s: %s\n", MMLIFE_VERSION, or_unknown(d->path));
	fprintf(out, "  kernel    %s\n", or_unknown(d->release));
	fprintf(out, "  dump      %s, %s, build-id %s\n", or_unknown(d->format),
		or_unknown(d->arch), or_unknown(d->build_id));
	fprintf(out, "  KASLR     0x%" PRIx64 "    types from %s\n",
		d->kaslr_offset, or_unknown(d->type_source));
	fprintf(out, "  scanned   %" PRIu64 " tasks (%" PRIu64 " thread groups, %"
		PRIu64 " kernel threads), %" PRIu64 " mms, %" PRIu64
		" VMAs, %" PRIu64 " tree nodes\n",
		r->counts.tasks, r->counts.thread_groups, r->counts.kthreads,
		r->counts.mms, r->counts.vmas, r->counts.nodes);
	if (r->counts.excluded_reads)
		fprintf(out, "  note      %" PRIu64 " pages the scan needed are "
			"excluded from the dump\n", r->counts.excluded_reads);
	write_discovery(r, out);

	write_verdicts(r, out);
	write_log(r, out);

	write_dump_class(r, out);
	write_findings(r, verbose, out);
	write_summary(r, out);
}

void mml_checks_write_text(FILE *out)
{
	for (const struct mml_check *c = mml_checks; c->id; c++)
		fprintf(out, "%-15s %-8s %s\n", c->id,
			mml_severity_name(c->severity), c->title);
}

/*
 * One line as /proc/PID/maps prints it (fs/proc/task_mmu.c,
 * show_vma_header_prefix() and show_map_vma()): the offset is vm_pgoff
 * << PAGE_SHIFT only for a VMA with a file (0 otherwise), 's' is
 * VM_MAYSHARE, the device is MAJOR:MINOR of the kernel's dev_t (20 minor
 * bits), and a name is padded to column 73 (seq_setwidth(25 + 6 * 8 - 1),
 * then seq_pad(' ')); without a name the line ends in a space after the
 * inode. Entries that are not this mm's VMAs are marked after it.
 */
void mml_entry_write_maps(const struct mml_entry *e, FILE *out)
{
	uint64_t start = e->first, end = e->last + 1, pgoff = 0;
	const char *perm = "----";
	char pbuf[5];
	bool vma = e->kind == MML_ENTRY_VMA || e->kind == MML_ENTRY_FOREIGN;
	if (vma) {
		start = e->vm_start;
		end = e->vm_end;
		/* VM_READ 1, VM_WRITE 2, VM_EXEC 4, VM_MAYSHARE 0x80 */
		pbuf[0] = e->vm_flags & 1 ? 'r' : '-';
		pbuf[1] = e->vm_flags & 2 ? 'w' : '-';
		pbuf[2] = e->vm_flags & 4 ? 'x' : '-';
		pbuf[3] = e->vm_flags & 0x80 ? 's' : 'p';
		pbuf[4] = '\0';
		perm = pbuf;
		if (e->vm_file)
			pgoff = e->vm_pgoff << 12;
	}
	int len = fprintf(out, "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64
			  " %02x:%02x %" PRIu64 " ", start, end, perm, pgoff,
			  e->dev >> 20, e->dev & 0xfffff, e->ino);
	const char *name = vma ? e->file : "";
	if (*name || e->kind != MML_ENTRY_VMA)
		fprintf(out, "%*s", len < 72 ? 72 - len + 1 : 1, "");
	switch (e->kind) {
	case MML_ENTRY_VMA:
		fprintf(out, "%s\n", name);
		break;
	case MML_ENTRY_FOREIGN:
		fprintf(out, "%-20s <-- FOREIGN: vma 0x%" PRIx64
			" belongs to mm 0x%" PRIx64 "\n", e->file, e->value,
			e->vm_mm);
		break;
	case MML_ENTRY_XA_ZERO:
		fprintf(out, "%-20s <-- XA_ZERO_ENTRY (failed fork marker)\n",
			"");
		break;
	case MML_ENTRY_BAD:
		fprintf(out, "%-20s <-- BAD ENTRY 0x%" PRIx64 "\n", "",
			e->value);
		break;
	}
}
