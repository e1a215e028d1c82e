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
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"

#include "report_html.h"

static void esc(FILE *out, const char *s)
{
	batch_html_escape(out, s, "-");
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
		    "mm, evidence, problem || char(1) || COALESCE(mm, '') || "
		    "char(1) || COALESCE(evidence, ''), note FROM verdicts "
		    "WHERE dump_id = ?1 ORDER BY seq",
		    -1, &s->verdicts, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	return NULL;
}

static struct mml_error *step_error(sqlite3_stmt *st, int rc)
{
	if (rc == SQLITE_DONE)
		return NULL;
	return mml_error_create(MML_ERROR_OS, "database: %s",
				sqlite3_errmsg(sqlite3_db_handle(st)));
}

static void stmt_bind(sqlite3_stmt *st, sqlite3_int64 id)
{
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
}

/* The mms with findings, one line each. */
static struct mml_error *mms_html(sqlite3_stmt *st, sqlite3_int64 id,
				  FILE *out)
{
	int rc, n = 0;

	stmt_bind(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(n++ ? "<li>" : "<p>mms</p><ul><li>", out);
		esc(out, text(st, 0));
		fputs(" found by ", out);
		esc(out, text(st, 1));
		fputs(", flags ", out);
		esc(out, text(st, 2));
		fputs(", tasks ", out);
		esc(out, text(st, 3));
		fputs(", VMAs ", out);
		esc(out, text(st, 4));
		fputs(", mm_users ", out);
		esc(out, text(st, 5));
		fputs(", mm_count ", out);
		esc(out, text(st, 6));
		fputs("</li>\n", out);
	}
	if (n)
		fputs("</ul>\n", out);
	return step_error(st, rc);
}

/* The findings: severity (text on colour), id, mm, summary, evidence. */
static struct mml_error *findings_html(sqlite3_stmt *st, sqlite3_int64 id,
				       FILE *out)
{
	int rc, n = 0;

	stmt_bind(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fputs(n++ ? "<li>" : "<p>findings</p><ul><li>", out);
		severity(out, text(st, 0));
		fputs(" <b>", out);
		esc(out, text(st, 1));
		fputs("</b> (", out);
		esc(out, text(st, 2));
		fputs(", mm ", out);
		esc(out, text(st, 3));
		fputs("): ", out);
		esc(out, text(st, 4));
		fputs(" <code>", out);
		esc(out, text(st, 5));
		fputs("</code></li>\n", out);
	}
	if (n)
		fputs("</ul>\n", out);
	return step_error(st, rc);
}

/*
 * The verdicts, one line per problem: a problem's fixes share its mm and
 * evidence (lib/verdict_fork.c adds one verdict per fix), so they are
 * printed once and the fixes follow as "id presence (method)".
 */
static struct mml_error *verdicts_html(sqlite3_stmt *st, sqlite3_int64 id,
				       FILE *out)
{
	_cleanup_free_ char *last = NULL;
	int rc, n = 0;

	stmt_bind(st, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = text(st, 7);
		if (!last || !key || strcmp(key, last)) {
			fputs(n++ ? "</li>\n<li><b>" :
				    "<p>verdicts</p><ul><li><b>", out);
			esc(out, text(st, 0));
			fputs("</b> mm ", out);
			esc(out, text(st, 5));
			fputs(": <code>", out);
			esc(out, text(st, 6));
			fputs("</code><br>fixes:", out);
			free(last);
			last = key ? strdup(key) : NULL;
		}
		fputs(" ", out);
		esc(out, text(st, 1));
		fputs(" <i>", out);
		esc(out, text(st, 3));
		fputs("</i> (", out);
		esc(out, text(st, 4));
		if (text(st, 8)) {
			fputs("; ", out);
			esc(out, text(st, 8));
		}
		fputs(");", out);
	}
	if (n)
		fputs("</li></ul>\n", out);
	return step_error(st, rc);
}

/* One dump's section; @d is the dumps row (see dumps_sql). */
/* One dump's section: its summary line on the page (@page), the rest
 * into @out for packing as "dID \x1f body \x1e". */
static struct mml_error *dump_section(struct dump_stmts *s, sqlite3_stmt *d,
				      FILE *page, FILE *out)
{
	sqlite3_int64 id = sqlite3_column_int64(d, 0);
	struct mml_error *err;

	fprintf(page, "<details id=\"d%lld\"><summary>", (long long)id);
	esc(page, text(d, 1));
	fputs(" — ", page);
	esc(page, text(d, 3));
	fputs(" ", page);
	severity(page, text(d, 4));
	fputs("</summary></details>\n", page);
	fprintf(out, "d%lld\x1f<p>kernel ", (long long)id);
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
	err = mms_html(s->mms, id, out);
	if (!err)
		err = findings_html(s->findings, id, out);
	if (!err)
		err = verdicts_html(s->verdicts, id, out);
	fputs("\x1e", out);
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
	"COALESCE(n_findings, 0) + COALESCE(n_dump_findings, 0), "
	"substr(mtime, 1, 19), "
	"format, sha256, error, errors FROM dumps ORDER BY "
	"CASE worst_severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 "
	"WHEN 'info' THEN 2 ELSE 3 END, path";

/* Pass 1 (@body NULL): the table; pass 2: the sections. */
static struct mml_error *dumps_pass(sqlite3 *h, struct dump_stmts *s,
				    FILE *out, FILE *body)
{
	sqlite3_stmt *d;
	struct mml_error *err = NULL;
	int rc;

	if (sqlite3_prepare_v2(h, dumps_sql, -1, &d, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	while (!err && (rc = sqlite3_step(d)) == SQLITE_ROW) {
		if (body)
			err = dump_section(s, d, out, body);
		else
			dump_row(d, out);
	}
	if (!err && rc != SQLITE_DONE)
		err = mml_error_create(MML_ERROR_OS, "database: %s",
				       sqlite3_errmsg(h));
	sqlite3_finalize(d);
	return err;
}

struct mml_error *batch_html_dumps_write(sqlite3 *h, FILE *out)
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
		err = dumps_pass(h, &s, out, NULL);
	fputs("</tbody></table>\n<h2 id=\"detail\">Each dump</h2>\n"
	      "<p>A section's content is unpacked when it opens.</p>\n", out);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	FILE *body = open_memstream(&buf, &len);
	if (!err && !body)
		err = &mml_enomem;
	if (!err)
		err = dumps_pass(h, &s, out, body);
	if (body && fclose(body) && !err)
		err = &mml_enomem;
	stmts_finalize(&s);
	if (err)
		return err;
	fputs("<script type=\"text/plain\" id=\"packed\">\n", out);
	err = batch_html_pack(buf, len, out);
	fputs("</script>\n", out);
	return err;
}
