// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife report DB: the everyday questions about a scan database, as text
 * tables or JSON, without SQL.
 *
 *   (nothing)          overview: statuses, kernels, finding kinds, verdicts
 *   --finding ID       dumps with that finding (xa-zero, orphan-fork, ...)
 *   --verdict KEY      dumps with a verdict whose problem, fix id or fix
 *                      commit (prefix) is KEY; --presence narrows it
 *   --kernels          dumps by kernel release; with --finding or
 *                      --verdict, of the dumps that have it
 *   --errors           dumps that could not be analysed, with the reason
 *   --status S         dumps with status S
 *   --jsonl            every stored record, exactly as "mmlife scan" wrote
 *                      it (the database rebuilt into JSON Lines)
 *   --html             one self-contained page: charts, tables, every dump
 *                      (report_html.c)
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mmlife/cleanup.h"
#include "cli.h"
#include "batch.h"
#include "report_html.h"

void batch_table_deinit(struct batch_table *t)
{
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

struct mml_error *batch_table_query(sqlite3 *h, const char *sql,
				     const char *const *args,
				     struct batch_table *t)
{
	sqlite3_stmt *st;
	size_t cap = 0;

	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	for (int i = 0; args && args[i]; i++)
		sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (t->nrows == cap) {
			cap = cap ? 2 * cap : 32;
			char **p = realloc(t->cells,
					   cap * (size_t)t->ncols * sizeof(*p));
			if (!p) {
				sqlite3_finalize(st);
				return &mml_enomem;
			}
			t->cells = p;
		}
		for (int c = 0; c < t->ncols; c++) {
			const unsigned char *s = sqlite3_column_text(st, c);
			t->cells[t->nrows * (size_t)t->ncols + (size_t)c] =
				s ? strdup((const char *)s) : NULL;
		}
		t->nrows++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return mml_error_create(MML_ERROR_OS, "database: %s",
					sqlite3_errmsg(h));
	return NULL;
}

static bool numeric(const char *s)
{
	if (!s || !*s || !strpbrk(s, "0123456789"))
		return false;
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != '-' && *s != '.')
			return false;
	return true;
}

static void table_print(const struct batch_table *t, FILE *out)
{
	size_t w[16] = { 0 };

	for (int c = 0; c < t->ncols; c++)
		w[c] = strlen(t->names[c]);
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			size_t l = strlen(s ? s : "-");
			if (l > w[c])
				w[c] = l;
		}
	if (t->title)
		fprintf(out, "%s\n", t->title);
	for (int c = 0; c < t->ncols; c++)
		fprintf(out, "%s%-*s", c ? "  " : "  ",
			c == t->ncols - 1 ? 0 : (int)w[c], t->names[c]);
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			if (!s)
				s = "-";
			if (numeric(s))
				fprintf(out, "  %*s", (int)w[c], s);
			else
				fprintf(out, "  %-*s",
					c == t->ncols - 1 ? 0 : (int)w[c], s);
		}
		fputc('\n', out);
	}
	if (!t->nrows)
		fprintf(out, "  (none)\n");
}

static json_t *table_json(const struct batch_table *t)
{
	json_t *arr = json_array();
	for (size_t r = 0; r < t->nrows; r++) {
		json_t *o = json_object();
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			json_t *v;
			char *end;
			long long n = s ? strtoll(s, &end, 10) : 0;
			if (!s)
				v = json_null();
			else if (*s && !*end && numeric(s))
				v = json_integer(n);
			else
				v = json_string(s);
			json_object_set_new(o, t->names[c], v);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

/* One section: query, then print it or add it to @json under @key. */
static struct mml_error *section(sqlite3 *h, const char *title,
				 const char *key, const char *const *names,
				 int ncols, const char *sql,
				 const char *const *args, json_t *json,
				 FILE *out)
{
	struct batch_table t = { title, ncols, names, NULL, 0 };
	struct mml_error *err = batch_table_query(h, sql, args, &t);
	if (!err) {
		if (json)
			json_object_set_new(json, key, table_json(&t));
		else
			table_print(&t, out);
	}
	batch_table_deinit(&t);
	return err;
}

static const char *const status_cols[] = { "status", "dumps" };
static const char *const kernel_cols[] = { "kernel", "dumps", "ok",
					   "findings", "failed" };
static const char *const fkind_cols[] = { "finding", "dumps", "findings" };
static const char *const verdict_sum_cols[] = { "problem", "fix", "presence",
						"dumps" };
static const char *const finding_cols[] = { "path", "kernel", "findings",
					    "mms" };
static const char *const verdict_cols[] = { "path", "kernel", "problem",
					    "fix", "presence", "method" };
static const char *const error_cols[] = { "path", "status", "error" };
static const char *const dump_cols[] = { "path", "kernel", "status",
					 "findings", "duration_ms" };

#define KERNELS_SELECT                                                         \
	"SELECT COALESCE(kernel, '(unknown)'), COUNT(*), "                     \
	"SUM(status='ok'), SUM(status='findings'), "                           \
	"SUM(status IN ('error','timeout','crashed')) FROM dumps "
#define KERNELS_GROUP " GROUP BY 1 ORDER BY 2 DESC, 1"
#define KERNELS_SQL KERNELS_SELECT KERNELS_GROUP
/* Dumps with finding ?1; with a verdict matching ?1 (and presence ?2). */
#define WITH_FINDING "WHERE id IN (SELECT dump_id FROM findings WHERE " \
	"check_id = ?1)"
#define VERDICT_MATCH                                                          \
	"(v.problem = ?1 OR v.fix_id = ?1 OR (length(?1) >= 7 AND "            \
	"v.fix_commit LIKE ?1 || '%')) AND (?2 = '' OR v.presence = ?2)"
#define WITH_VERDICT "WHERE id IN (SELECT dump_id FROM verdicts v WHERE " \
	VERDICT_MATCH ")"

static struct mml_error *overview(sqlite3 *h, json_t *json, FILE *out)
{
	struct mml_error *err;

	err = section(h, "Dumps by status", "statuses", status_cols, 2,
		      "SELECT status, COUNT(*) FROM dumps GROUP BY status "
		      "ORDER BY CASE status WHEN 'ok' THEN 0 WHEN 'findings' "
		      "THEN 1 WHEN 'error' THEN 2 WHEN 'timeout' THEN 3 ELSE 4 "
		      "END",
		      NULL, json, out);
	if (!err && !json)
		fputc('\n', out);
	if (!err)
		err = section(h, "Dumps by kernel release", "kernels",
			      kernel_cols, 5, KERNELS_SQL, NULL, json, out);
	if (!err && !json)
		fputc('\n', out);
	if (!err)
		err = section(h, "Findings by kind", "findings", fkind_cols, 3,
			      "SELECT check_id, COUNT(DISTINCT dump_id), "
			      "COUNT(*) FROM findings GROUP BY check_id "
			      "ORDER BY 2 DESC, 1",
			      NULL, json, out);
	if (!err && !json)
		fputc('\n', out);
	if (!err)
		err = section(h, "Verdicts", "verdicts", verdict_sum_cols, 4,
			      "SELECT problem, fix_id, presence, "
			      "COUNT(DISTINCT dump_id) FROM verdicts "
			      "GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2",
			      NULL, json, out);
	return err;
}

static void report_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmlife report [options] DB\n"
		"Answer questions about a scan database (mmlife scan --db DB).\n"
		"\n"
		"  (no option)         overview: statuses, kernels, finding "
		"kinds, verdicts\n"
		"  --finding ID        dumps with this finding (see mmlife "
		"--checks)\n"
		"  --verdict KEY       dumps with a verdict whose problem, fix "
		"id or fix commit\n"
		"                      prefix is KEY (failed-fork-marker, "
		"swapoff-stable-mm, 1367da7)\n"
		"  --presence P        with --verdict: only present, absent, "
		"unknown, not-needed\n"
		"  --kernels           dumps by kernel release (with --finding "
		"or --verdict: of\n"
		"                      the dumps that have it)\n"
		"  --errors            dumps that could not be analysed, "
		"and why\n"
		"  --status S          dumps with status ok, findings, error, "
		"timeout, crashed\n"
		"  --json              JSON instead of text tables\n"
		"  --jsonl             every stored record as JSON Lines "
		"(what mmlife scan wrote)\n"
		"  --html              one self-contained HTML page: charts, "
		"tables, every dump\n");
}

enum {
	R_FINDING = 256,
	R_VERDICT,
	R_PRESENCE,
	R_KERNELS,
	R_ERRORS,
	R_STATUS,
	R_JSON,
	R_JSONL,
	R_HTML,
};

static const struct option report_long[] = {
	{ "finding", required_argument, NULL, R_FINDING },
	{ "verdict", required_argument, NULL, R_VERDICT },
	{ "presence", required_argument, NULL, R_PRESENCE },
	{ "kernels", no_argument, NULL, R_KERNELS },
	{ "errors", no_argument, NULL, R_ERRORS },
	{ "status", required_argument, NULL, R_STATUS },
	{ "json", no_argument, NULL, R_JSON },
	{ "jsonl", no_argument, NULL, R_JSONL },
	{ "html", no_argument, NULL, R_HTML },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static struct mml_error *print_record(void *arg, json_t *rec)
{
	FILE *out = arg;
	if (json_dumpf(rec, out, JSON_COMPACT) < 0 || fputc('\n', out) == EOF)
		return mml_error_create(MML_ERROR_OS, "writing the records "
						      "failed");
	return NULL;
}

/* What "mmlife report" was asked. */
struct report_query {
	const char *finding, *verdict, *presence, *status;
	bool kernels, errors, json, jsonl, html;
	const char *db_path;
};

/* Parse the command line into @q. */
static enum batch_parse_result report_parse(int argc, char **argv, struct report_query *q)
{
	int c;

	memset(q, 0, sizeof(*q));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", report_long, NULL)) != -1) {
		switch (c) {
		case R_FINDING: q->finding = optarg; break;
		case R_VERDICT: q->verdict = optarg; break;
		case R_PRESENCE: q->presence = optarg; break;
		case R_KERNELS: q->kernels = true; break;
		case R_ERRORS: q->errors = true; break;
		case R_STATUS: q->status = optarg; break;
		case R_JSON: q->json = true; break;
		case R_JSONL: q->jsonl = true; break;
		case R_HTML: q->html = true; break;
		case 'h':
			return BATCH_PARSE_HELP;
		case ':':
			fprintf(stderr, "mmlife report: %s needs an argument\n",
				argv[optind - 1]);
			return BATCH_PARSE_USAGE;
		default:
			fprintf(stderr, "mmlife report: unknown option '%s' "
					"(try --help)\n", argv[optind - 1]);
			return BATCH_PARSE_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mmlife report: give one database (try "
				"--help)\n");
		return BATCH_PARSE_USAGE;
	}
	enum batch_status sst;
	if (q->status && !batch_status_parse(q->status, &sst)) {
		fprintf(stderr, "mmlife report: --status must be ok, findings, "
				"error, timeout or crashed\n");
		return BATCH_PARSE_USAGE;
	}
	if (q->presence && !q->verdict) {
		fprintf(stderr, "mmlife report: --presence goes with "
				"--verdict\n");
		return BATCH_PARSE_USAGE;
	}
	if (q->html && (q->finding || q->verdict || q->kernels || q->errors ||
			q->status || q->json || q->jsonl)) {
		fprintf(stderr, "mmlife report: --html is the whole page and "
				"takes no other option\n");
		return BATCH_PARSE_USAGE;
	}
	q->db_path = argv[optind];
	return BATCH_PARSE_RUN;
}

/* The dumps with finding @q->finding or verdict @q->verdict. */
static struct mml_error *query_dumps(sqlite3 *h, const struct report_query *q,
				     json_t *doc, FILE *out)
{
	if (q->finding) {
		const char *args[] = { q->finding, NULL };
		return section(h, NULL, "dumps", finding_cols, 4,
			       "SELECT d.path, d.kernel, COUNT(*), "
			       "GROUP_CONCAT(DISTINCT f.mm) FROM findings f "
			       "JOIN dumps d ON d.id = f.dump_id WHERE "
			       "f.check_id = ?1 GROUP BY d.id ORDER BY d.path",
			       args, doc, out);
	}
	const char *args[] = { q->verdict, q->presence ? q->presence : "",
			       NULL };
	return section(h, NULL, "dumps", verdict_cols, 6,
		       "SELECT DISTINCT d.path, d.kernel, v.problem, "
		       "v.fix_id, v.presence, v.method FROM verdicts v "
		       "JOIN dumps d ON d.id = v.dump_id WHERE "
		       VERDICT_MATCH
		       " ORDER BY d.path, v.problem, v.fix_id",
		       args, doc, out);
}

/* Which kernels the dumps with this finding or verdict run. */
static struct mml_error *query_kernels_of(sqlite3 *h,
					  const struct report_query *q,
					  json_t *doc, FILE *out)
{
	const char *args[] = { q->finding ? q->finding : q->verdict,
			       q->presence ? q->presence : "", NULL };
	return section(h, NULL, "kernels", kernel_cols, 5,
		       q->finding ? KERNELS_SELECT WITH_FINDING KERNELS_GROUP
				  : KERNELS_SELECT WITH_VERDICT KERNELS_GROUP,
		       args, doc, out);
}

/* The one section @q asks for (the overview without a question). */
static struct mml_error *query_run(struct batch_db *db,
				   const struct report_query *q, json_t *doc,
				   FILE *out)
{
	sqlite3 *h = batch_db_handle(db);

	if (q->html)
		return batch_html_write(h, q->db_path, out);
	if (q->jsonl)
		return batch_db_each(db, NULL, NULL, print_record, out);
	if (q->kernels && (q->finding || q->verdict))
		return query_kernels_of(h, q, doc, out);
	if (q->finding || q->verdict)
		return query_dumps(h, q, doc, out);
	if (q->kernels)
		return section(h, NULL, "kernels", kernel_cols, 5, KERNELS_SQL,
			       NULL, doc, out);
	if (q->errors)
		return section(h, NULL, "dumps", error_cols, 3,
			       "SELECT path, status, error FROM dumps WHERE "
			       "status IN ('error','timeout','crashed') "
			       "ORDER BY path",
			       NULL, doc, out);
	if (q->status) {
		const char *args[] = { q->status, NULL };
		return section(h, NULL, "dumps", dump_cols, 5,
			       "SELECT path, kernel, status, n_findings, "
			       "duration_ms FROM dumps WHERE status = ?1 "
			       "ORDER BY path",
			       args, doc, out);
	}
	return overview(h, doc, out);
}

/* --json: the document, a single list printed as that list. */
static void doc_print(json_t *doc, FILE *out)
{
	json_t *v = doc;
	if (json_object_size(doc) == 1) {
		const char *k;
		json_t *x;
		json_object_foreach(doc, k, x) v = x;
	}
	json_dumpf(v, out, JSON_INDENT(2));
	fputc('\n', out);
}

int batch_report_main(int argc, char **argv)
{
	struct report_query q;
	switch (report_parse(argc, argv, &q)) {
	case BATCH_PARSE_HELP:
		report_usage(stdout);
		return CLI_EXIT_CLEAN;
	case BATCH_PARSE_USAGE:
		return CLI_EXIT_USAGE;
	case BATCH_PARSE_RUN:
		break;
	}

	struct batch_db *db;
	struct mml_error *err = batch_db_open(q.db_path, false, &db);
	if (err) {
		fprintf(stderr, "mmlife report: %s\n", err->message);
		mml_error_destroy(err);
		return CLI_EXIT_FAILED;
	}
	json_t *doc = q.json ? json_object() : NULL;
	FILE *out = stdout;
	err = query_run(db, &q, doc, out);
	if (!err && doc)
		doc_print(doc, out);
	json_decref(doc);
	batch_db_close(db);
	if (err) {
		fprintf(stderr, "mmlife report: %s\n", err->message);
		mml_error_destroy(err);
		return CLI_EXIT_FAILED;
	}
	if (fflush(out) != 0)
		return CLI_EXIT_FAILED;
	return CLI_EXIT_CLEAN;
}
