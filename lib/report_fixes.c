// SPDX-License-Identifier: GPL-2.0-or-later
/* The fix catalogue as text (crash's mmlife -l, the CLI's --fixes). */
#include <stdio.h>

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

void mml_fixes_write_text(FILE *out)
{
	for (const struct mml_fix *f = mml_fixes; f->id; f++) {
		fprintf(out, "  %-13.12s %-6s %s%s\n",
			f->commit ? f->commit : "(no id)",
			f->first_release ? f->first_release : "?",
			f->title, f->role == MML_FIX_CAUSE ? "  [the cause]" : "");
		fprintf(out, "      %s%s; %s%s\n",
			f->author ? f->author : "author unknown",
			f->commit && !f->commit_verified ? " (commit id unverified)"
							: "",
			f->lore, f->lore_verified ? "" : " (search link)");
		if (f->stable[0].branch) {
			fputs("      stable:", out);
			for (size_t i = 0; i < MML_FIX_MAX_BACKPORTS &&
					   f->stable[i].branch; i++)
				fprintf(out, " %s%s%s",
					f->stable[i].release
						? f->stable[i].release
						: f->stable[i].branch,
					f->stable[i].release ? "" : ".y",
					f->stable[i].verified ? "" : "?");
			fputc('\n', out);
		}
		write_list(out, "findings", f->findings, MML_FIX_MAX_IDS);
		write_list(out, "call paths", f->calls, MML_FIX_MAX_CALLS);
		if (f->symbol || f->type)
			fprintf(out, "      detected by: %s%s%s%s\n",
				f->symbol ? "symbol " : "",
				f->symbol ? f->symbol : "",
				f->symbol && f->type ? ", " : "",
				f->type ? f->type : "");
		if (f->unverified)
			fprintf(out, "      unverified: %s\n", f->unverified);
	}
}
