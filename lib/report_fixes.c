// SPDX-License-Identifier: GPL-2.0-or-later
/* The fix catalogue as text: crash's mmlife -l and the CLI's --fixes both
 * call mml_fixes_write_text(), so the two front ends print the same. */
#include <stdio.h>
#include <string.h>

#include "mmlife/report.h"

static void write_list(FILE *out, const char *label, const char *const *v,
		       size_t n)
{
	if (!n || !v[0])
		return;
	fprintf(out, "      %s:", label);
	for (size_t i = 0; i < n && v[i]; i++)
		fprintf(out, " %s", v[i]);
	fputc('\n', out);
}

static void write_backports(const struct mml_fix *f, FILE *out)
{
	if (!f->stable[0].branch)
		return;
	fputs("      stable:", out);
	for (size_t i = 0; i < MML_FIX_MAX_BACKPORTS && f->stable[i].branch;
	     i++) {
		const struct mml_fix_backport *b = &f->stable[i];
		if (b->release)
			fprintf(out, "%s %s", i ? "," : "", b->release);
		else
			fprintf(out, "%s %s.y (release unknown)", i ? "," : "",
				b->branch);
		if (b->commit)
			fprintf(out, " (%s)", b->commit);
		if (b->release && !b->verified)
			fputs(" (unverified)", out);
	}
	fputc('\n', out);
}

static void write_detection(const struct mml_fix *f, FILE *out)
{
	if (!f->symbol && !f->type)
		return;
	fputs("      detected by:", out);
	if (f->type)
		fprintf(out, " type struct %s%s%s%s", f->type,
			f->type_commit ? " (from " : "",
			f->type_commit ? f->type_commit : "",
			f->type_commit ? ")" : "");
	if (f->symbol)
		fprintf(out, "%s symbol %s%s%s", f->type ? "," : "", f->symbol,
			f->symbol_of_series ? " (same series)" : "",
			f->symbol_static ? " (its absence decides nothing)"
					 : "");
	fputc('\n', out);
}

void mml_fixes_write_text(FILE *out)
{
	for (const struct mml_fix *f = mml_fixes; f->id; f++) {
		fprintf(out, "  %-12.12s %-6s %s%s\n",
			f->commit ? f->commit : "(no id)",
			f->first_release ? f->first_release : "?",
			f->title, f->role == MML_FIX_CAUSE ? "  [the cause]" : "");
		fprintf(out, "      id %s; commit %s%s; %s\n", f->id,
			f->commit ? f->commit : "unknown",
			f->commit && !f->commit_verified ? " (probable)" : "",
			f->author ? f->author : "author unknown");
		fprintf(out, "      first release: %s%s\n",
			f->first_release ? f->first_release : "unknown",
			f->first_release && !f->release_verified
				? " (unverified)" : "");
		write_backports(f, out);
		fprintf(out, "      lore: %s%s\n", f->lore,
			f->lore_verified ? ""
			: strstr(f->lore, "?q=") ? " (search link)"
						 : " (unverified)");
		if (f->source)
			fprintf(out, "      source: %s\n", f->source);
		if (f->symptom)
			fprintf(out, "      symptom: %s\n", f->symptom);
		const char *ids[MML_FIX_MAX_IDS] = { NULL };
		for (size_t i = 0; i < MML_FIX_MAX_IDS && f->findings[i]; i++)
			ids[i] = f->findings[i]->id;
		write_list(out, "findings", ids, MML_FIX_MAX_IDS);
		write_list(out, "call paths", f->calls, MML_FIX_MAX_CALLS);
		write_detection(f, out);
		if (f->unverified)
			fprintf(out, "      unverified: %s\n", f->unverified);
	}
}
