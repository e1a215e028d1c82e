// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife report --html: every dump. A sortable table (path, kernel,
 * status, worst severity as text and colour, findings, mtime), each row
 * linking to the dump's own collapsed section with what the text report
 * says of it: the error, the mms with findings, the findings with their
 * evidence, the verdicts. Sections stay collapsed (<details>) so that an
 * archive of 10,000 dumps opens in seconds; what they print comes from
 * the dumps and is escaped.
 */
#include <string.h>

#include "report_html.h"

static void esc(FILE *out, const char *s)
{
	report_html_escape(out, s, "-");
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* A severity as text on its colour ("-" for none). */
static void severity(FILE *out, const char *sev)
{
	if (!sev) {
		fputs("-", out);
		return;
	}
	bool known = !strcmp(sev, "error") || !strcmp(sev, "warning") ||
		     !strcmp(sev, "info");
	fprintf(out, "<span class=\"sev%s%s\">", known ? " sev-" : "",
		known ? sev : "");
	esc(out, sev);
	fputs("</span>", out);
}

struct dump_stmts {
	sqlite3_stmt *mms, *findings, *verdicts;
};

static void stmts_finalize(struct dump_stmts *s)
{
	sqlite3_finalize(s->mms);
	sqlite3_finalize(s->findings);
	sqlite3_finalize(s->verdicts);
}

static struct mml_error *stmts_prepare(sqlite3 *h, struct dump_stmts *s)
{
	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(h,
		    "SELECT address, sources, flags, tasks, map_count, "
		    "mm_users, mm_count FROM mms WHERE dump_id = ?1 ORDER BY seq",
		    -1, &s->mms, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h,
		    "SELECT severity, check_id, class, mm, summary, evidence "
		    "FROM findings WHERE dump_id = ?1 ORDER BY seq",
		    -1, &s->findings, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h,
		    "SELECT problem, fix_id, fix_commit, presence, method, "
		    "mm, note FROM verdicts WHERE dump_id = ?1 ORDER BY seq",
		    -1, &s->verdicts, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	return NULL;
}

/* Run @st for dump @id; print each row's @ncols columns as a table row
 * (an empty result prints nothing). */
static struct mml_error *rows_html(sqlite3_stmt *st, sqlite3_int64 id,
				   const char *heading, const char *head,
				   int ncols, FILE *out)
{
	int rc;
	bool any = false;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!any)
			fprintf(out, "<p>%s</p><table><tr>%s</tr>\n", heading,
				head);
		any = true;
		fputs("<tr>", out);
		for (int c = 0; c < ncols; c++) {
			const char *s = text(st, c);
			fputs("<td>", out);
			if (!strcmp(heading, "findings") && c == 0)
				severity(out, s);
			else if (c == ncols - 1 && s && *s == '{') {
				fputs("<code>", out);
				esc(out, s);
				fputs("</code>", out);
			} else {
				esc(out, s);
			}
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	if (any)
		fputs("</table>\n", out);
	if (rc != SQLITE_DONE)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(sqlite3_db_handle(st)));
	return NULL;
}

/* One dump's section; @d is the dumps row (see dumps_sql). */
static struct mml_error *dump_section(struct dump_stmts *s, sqlite3_stmt *d,
				      FILE *out)
{
	sqlite3_int64 id = sqlite3_column_int64(d, 0);
	struct mml_error *err;

	fprintf(out, "<details id=\"d%lld\"><summary>", (long long)id);
	esc(out, text(d, 1));
	fputs(" — ", out);
	esc(out, text(d, 3));
	fputs(" ", out);
	severity(out, text(d, 4));
	fputs("</summary>\n<p>kernel ", out);
	esc(out, text(d, 2));
	fputs(", format ", out);
	esc(out, text(d, 7));
	fputs(", sha256 ", out);
	esc(out, text(d, 8));
	fputs("</p>\n", out);
	if (text(d, 9)) {
		fputs("<p>error: ", out);
		esc(out, text(d, 9));
		fputs("</p>\n", out);
	}
	if (text(d, 10) && strcmp(text(d, 10), "[]")) {
		fputs("<p>analysis errors: <code>", out);
		esc(out, text(d, 10));
		fputs("</code></p>\n", out);
	}
	err = rows_html(s->mms, id, "mms",
			"<th>mm</th><th>found by</th><th>flags</th>"
			"<th>tasks</th><th>VMAs</th><th>mm_users</th>"
			"<th>mm_count</th>", 7, out);
	if (!err)
		err = rows_html(s->findings, id, "findings",
				"<th>severity</th><th>finding</th><th>class"
				"</th><th>mm</th><th>summary</th>"
				"<th>evidence</th>", 6, out);
	if (!err)
		err = rows_html(s->verdicts, id, "verdicts",
				"<th>problem</th><th>fix</th><th>commit</th>"
				"<th>presence</th><th>method</th><th>mm</th>"
				"<th>note</th>", 7, out);
	fputs("</details>\n", out);
	return err;
}

static void dump_row(sqlite3_stmt *d, FILE *out)
{
	fprintf(out, "<tr><td><a href=\"#d%lld\">",
		(long long)sqlite3_column_int64(d, 0));
	esc(out, text(d, 1));
	fputs("</a></td><td>", out);
	esc(out, text(d, 2));
	fputs("</td><td>", out);
	esc(out, text(d, 3));
	fputs("</td><td>", out);
	severity(out, text(d, 4));
	fprintf(out, "</td><td class=\"n\">%lld</td><td>",
		(long long)sqlite3_column_int64(d, 5));
	esc(out, text(d, 6));
	fputs("</td></tr>\n", out);
}

static const char dumps_sql[] =
	"SELECT id, path, kernel, status, worst_severity, "
	"COALESCE(n_findings, 0) + COALESCE(n_dump_findings, 0), mtime, "
	"format, sha256, error, errors FROM dumps ORDER BY "
	"CASE worst_severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 "
	"WHEN 'info' THEN 2 ELSE 3 END, path";

/* Pass 1 (@sections false): the table; pass 2: the sections. */
static struct mml_error *dumps_pass(sqlite3 *h, struct dump_stmts *s,
				    bool sections, FILE *out)
{
	sqlite3_stmt *d;
	struct mml_error *err = NULL;
	int rc;

	if (sqlite3_prepare_v2(h, dumps_sql, -1, &d, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	while (!err && (rc = sqlite3_step(d)) == SQLITE_ROW) {
		if (sections)
			err = dump_section(s, d, out);
		else
			dump_row(d, out);
	}
	if (!err && rc != SQLITE_DONE)
		err = mml_error_create(MML_ERROR_OS, "database: %s",
				       sqlite3_errmsg(h));
	sqlite3_finalize(d);
	return err;
}

struct mml_error *report_html_dumps(sqlite3 *h, FILE *out)
{
	struct dump_stmts s;
	struct mml_error *err = stmts_prepare(h, &s);

	fputs("<h2 id=\"dumps\">Every dump</h2>\n<p>Click a column to sort; "
	      "a path opens the dump's section below.</p>\n"
	      "<table id=\"t-dumps\"><thead><tr><th class=\"sort\">path</th>"
	      "<th class=\"sort\">kernel</th><th class=\"sort\">status</th>"
	      "<th class=\"sort\">worst severity</th><th class=\"sort\">"
	      "findings</th><th class=\"sort\">mtime</th></tr></thead>"
	      "<tbody>\n", out);
	if (!err)
		err = dumps_pass(h, &s, false, out);
	fputs("</tbody></table>\n<h2 id=\"detail\">Each dump</h2>\n", out);
	if (!err)
		err = dumps_pass(h, &s, true, out);
	stmts_finalize(&s);
	return err;
}
