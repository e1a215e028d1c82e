/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmlife report --html DB: one self-contained page over a scan database
 * (report_html.c: charts and summary tables; batch_html_dumps_write.c: every
 * dump and its detail), and the query-into-a-table helper it shares with
 * the text and JSON report (report_db.c).
 */
#ifndef MMLIFE_CLI_BATCH_REPORT_HTML_H
#define MMLIFE_CLI_BATCH_REPORT_HTML_H

#include <stdio.h>

#include <sqlite3.h>

#include "mmlife/error.h"

/* The rows of one query, every cell as text. */
struct batch_table {
	const char *title;
	int ncols;
	const char *const *names;
	char **cells;            /* nrows * ncols, NULL = SQL NULL */
	size_t nrows;
};

/* Run @sql with text parameters @args (NULL-terminated) into @t, whose
 * ncols says how many columns to keep. */
struct mml_error *batch_table_query(sqlite3 *h, const char *sql,
				     const char *const *args,
				     struct batch_table *t);
void batch_table_deinit(struct batch_table *t);

static inline const char *batch_table_cell(const struct batch_table *t,
					    size_t row, int col)
{
	return t->cells[row * (size_t)t->ncols + (size_t)col];
}

/* HTML-escape @s (NULL prints @none) for an element's text; never for
 * an attribute. */
void batch_html_escape(FILE *out, const char *s, const char *none);

/* The whole page for the database at @db_path. */
struct mml_error *batch_html_write(sqlite3 *h, const char *db_path,
				    FILE *out);
/* Gzip @buf and write it in base64. */
struct mml_error *batch_html_pack(const char *buf, size_t len, FILE *out);
/* The table of every dump and a collapsed section for each. */
struct mml_error *batch_html_dumps_write(sqlite3 *h, FILE *out);

#endif
