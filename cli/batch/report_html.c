// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife report --html DB: the archive as one page a team lead opens from a
 * mail attachment. Self-contained (inline CSS, inline SVG, a few lines of
 * inline JS for sorting; nothing fetched), and readable without colour:
 * every chart has its numbers in a table beside it, and a severity is
 * written as well as coloured. Everything that comes from a dump (paths,
 * releases, messages) is escaped: a dump archive is hostile input.
 *
 * This file: the page's frame, the three charts and the summary tables.
 * batch_html_dumps_write.c: every dump, sortable, and a section for each.
 */
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

/* Text only: the page puts nothing from the database in an attribute, so
 * quotes stay as they are (evidence is JSON, full of them). */
void batch_html_escape(FILE *out, const char *s, const char *none)
{
	if (!s) {
		fputs(none, out);
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		default:
			/* Control bytes as text: \x1e and \x1f part the
			 * packed sections. */
			if ((unsigned char)*s < 0x20 && *s != '\n' &&
			    *s != '\t')
				fprintf(out, "\\x%02x", (unsigned char)*s);
			else
				fputc(*s, out);
		}
	}
}

static void esc(FILE *out, const char *s)
{
	batch_html_escape(out, s, "-");
}

static const char page_style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1em 2em;color:#222}"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;"
	"border-bottom:1px solid #ccc}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;"
	"vertical-align:top}td.n{text-align:right}"
	"th{background:#f0f0f0}th.sort{cursor:pointer}"
	".pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
	".pair>div{overflow-x:auto;max-width:100%}"
	".sev-error{color:#fff;background:#b00020}"
	".sev-warning{color:#000;background:#f5c242}"
	".sev-info{color:#000;background:#cde}"
	"span.sev{padding:0 4px;border-radius:3px}"
	"details{border-bottom:1px solid #eee;padding:2px 0}"
	"summary{cursor:pointer}code{font-size:12px;word-break:break-all}"
	".note{color:#555}";

/* Sort the dumps table by a clicked column; open a dump's section when a
 * link (or the address bar) names it. */
static const char page_script[] =
	"document.querySelectorAll('th.sort').forEach(function(th){"
	"th.addEventListener('click',function(){"
	"var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,"
	"d=th.dataset.dir==='a'?-1:1;th.dataset.dir=d>0?'a':'d';"
	"var r=Array.prototype.slice.call(b.rows);"
	"r.sort(function(x,y){var a=x.cells[i].textContent,"
	"c=y.cells[i].textContent,p=parseFloat(a),q=parseFloat(c);"
	"if(!isNaN(p)&&!isNaN(q)&&/^-?[0-9.]+$/.test(a)&&/^-?[0-9.]+$/.test(c))"
	"return d*(p-q);return d*a.localeCompare(c);});"
	"r.forEach(function(e){b.appendChild(e);});});});"
	"function openHash(){var e=location.hash&&"
	"document.getElementById(location.hash.slice(1));"
	"if(e&&e.tagName==='DETAILS')e.open=true;}"
	"var packed=null;function sections(){if(!packed){"
	"var b=atob(document.getElementById('packed').textContent),"
	"u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)"
	"u[i]=b.charCodeAt(i);packed=new Response(new Blob([u]).stream()"
	".pipeThrough(new DecompressionStream('gzip'))).text()"
	".then(function(t){var m={};t.split('\x1e').forEach(function(s){"
	"var k=s.indexOf('\x1f');if(k>0)m[s.slice(0,k)]=s.slice(k+1);});"
	"return m;});}return packed;}"
	"document.addEventListener('toggle',function(e){var d=e.target;"
	"if(d.tagName!=='DETAILS'||!d.open||d.dataset.filled)return;"
	"d.dataset.filled='1';sections().then(function(m){"
	"d.insertAdjacentHTML('beforeend',m[d.id]||'');"
	"d.setAttribute('data-unpacked','1');});},true);"
	"window.addEventListener('hashchange',openHash);openHash();"
	"document.body.setAttribute('data-script','ran');"
	"document.body.setAttribute('data-load-ms',"
	"Math.round(performance.now()));";

/* Colours for finding ids and presence; the text carries the meaning. */
static const char *const palette[] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
};
#define PALETTE_N (sizeof(palette) / sizeof(palette[0]))

static long long num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static void td_num(FILE *out, const char *s)
{
	fprintf(out, "<td class=\"n\">%lld</td>", num(s));
}

/* A plain table of @t, headed by its column names. */
static void table_html(FILE *out, const char *id, const struct batch_table *t)
{
	fprintf(out, "<table id=\"%s\"><thead><tr>", id);
	for (int c = 0; c < t->ncols; c++) {
		fputs("<th>", out);
		esc(out, t->names[c]);
		fputs("</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs("<tr>", out);
		for (int c = 0; c < t->ncols; c++) {
			const char *s = batch_table_cell(t, r, c);
			bool n = s && *s &&
				 strspn(s, "0123456789") == strlen(s);
			fputs(n ? "<td class=\"n\">" : "<td>", out);
			esc(out, s);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	if (!t->nrows)
		fprintf(out, "<tr><td colspan=\"%d\">(none)</td></tr>\n",
			t->ncols);
	fputs("</tbody></table>\n", out);
}

/* Query @sql into a table with @ncols columns named @names, print it. */
static struct mml_error *query_table(sqlite3 *h, FILE *out, const char *id,
				     const char *const *names, int ncols,
				     const char *sql)
{
	struct batch_table t = { NULL, ncols, names, NULL, 0 };
	struct mml_error *err = batch_table_query(h, sql, NULL, &t);
	if (!err)
		table_html(out, id, &t);
	batch_table_deinit(&t);
	return err;
}

/*
 * A breakdown of dumps and findings by a key (the kernel release, or a
 * time bucket), stacked by finding id: what charts 1 and 2 draw.
 */
struct breakdown {
	struct batch_table keys;   /* key, dumps, failed */
	struct batch_table ids;    /* check_id */
	struct batch_table cells;  /* key, check_id, findings, dumps */
};

static const char *const key_cols[] = { "key", "dumps", "failed" };
static const char *const id_cols[] = { "check_id" };
static const char *const cell_cols[] = { "key", "check_id", "findings",
					 "dumps" };

static void breakdown_deinit(struct breakdown *b)
{
	batch_table_deinit(&b->keys);
	batch_table_deinit(&b->ids);
	batch_table_deinit(&b->cells);
}

/* @key is an SQL expression over dumps (alias d), @order its ORDER BY. */
static struct mml_error *breakdown_load(sqlite3 *h, const char *key,
					const char *order, struct breakdown *b)
{
	char sql[1024];
	struct mml_error *err;

	b->keys = (struct batch_table){ NULL, 3, key_cols, NULL, 0 };
	b->ids = (struct batch_table){ NULL, 1, id_cols, NULL, 0 };
	b->cells = (struct batch_table){ NULL, 4, cell_cols, NULL, 0 };
	snprintf(sql, sizeof(sql),
		 "SELECT %s, COUNT(*), SUM(d.status IN ('error','timeout',"
		 "'crashed')) FROM dumps d GROUP BY 1 ORDER BY %s",
		 key, order);
	err = batch_table_query(h, sql, NULL, &b->keys);
	if (!err)
		err = batch_table_query(h,
			"SELECT check_id FROM findings GROUP BY 1 "
			"ORDER BY COUNT(*) DESC, 1", NULL, &b->ids);
	if (err)
		return err;
	snprintf(sql, sizeof(sql),
		 "SELECT %s, f.check_id, COUNT(*), COUNT(DISTINCT f.dump_id) "
		 "FROM findings f JOIN dumps d ON d.id = f.dump_id "
		 "GROUP BY 1, 2", key);
	return batch_table_query(h, sql, NULL, &b->cells);
}

/* Findings and dumps with finding @id under key @key (NULL if none). */
static size_t breakdown_cell(const struct breakdown *b, const char *key,
			     const char *id)
{
	for (size_t r = 0; r < b->cells.nrows; r++) {
		const char *k = batch_table_cell(&b->cells, r, 0);
		if (k && !strcmp(k, key) &&
		    !strcmp(batch_table_cell(&b->cells, r, 1), id))
			return r;
	}
	return (size_t)-1;
}

static long long breakdown_count(const struct breakdown *b, const char *key,
				 const char *id, int col)
{
	size_t r = breakdown_cell(b, key, id);
	return r == (size_t)-1 ? 0 : num(batch_table_cell(&b->cells, r, col));
}

static void legend(FILE *out, const struct batch_table *ids)
{
	fputs("<p>", out);
	for (size_t i = 0; i < ids->nrows; i++) {
		fprintf(out, "<span style=\"display:inline-block;width:10px;"
			     "height:10px;background:%s\"></span> ",
			palette[i % PALETTE_N]);
		esc(out, batch_table_cell(ids, i, 0));
		fputs(" &nbsp; ", out);
	}
	fputs("</p>\n", out);
}

#define CHART_W 760
#define LABEL_W 230
#define BAR_W (CHART_W - LABEL_W - 140)
#define ROW_H 30

/* The stacked bars: per key, a grey bar of dumps over a bar of findings
 * stacked by id (colours: the legend; numbers: the table beside it). */
static void breakdown_svg(FILE *out, const struct breakdown *b,
			  const char *what)
{
	long long max = 1;
	for (size_t r = 0; r < b->keys.nrows; r++) {
		const char *key = batch_table_cell(&b->keys, r, 0);
		long long f = 0;
		for (size_t i = 0; i < b->ids.nrows; i++)
			f += breakdown_count(
				b, key, batch_table_cell(&b->ids, i, 0), 2);
		long long d = num(batch_table_cell(&b->keys, r, 1));
		if (f > max)
			max = f;
		if (d > max)
			max = d;
	}
	fprintf(out, "<svg role=\"img\" width=\"%d\" height=\"%zu\" "
		     "viewBox=\"0 0 %d %zu\"><title>",
		CHART_W, b->keys.nrows * ROW_H + 10, CHART_W,
		b->keys.nrows * ROW_H + 10);
	esc(out, what);
	fputs("</title>\n", out);
	for (size_t r = 0; r < b->keys.nrows; r++) {
		const char *key = batch_table_cell(&b->keys, r, 0);
		long long d = num(batch_table_cell(&b->keys, r, 1));
		size_t y = r * ROW_H + 5;
		fprintf(out, "<text x=\"0\" y=\"%zu\" font-size=\"11\">",
			y + 14);
		esc(out, key);
		fprintf(out, "</text><rect x=\"%d\" y=\"%zu\" width=\"%lld\" "
			     "height=\"9\" fill=\"#999\"><title>%lld dumps"
			     "</title></rect>\n",
			LABEL_W, y, d * BAR_W / max, d);
		long long x = 0, total = 0;
		for (size_t i = 0; i < b->ids.nrows; i++) {
			const char *id = batch_table_cell(&b->ids, i, 0);
			long long f = breakdown_count(b, key, id, 2);
			if (!f)
				continue;
			fprintf(out, "<rect x=\"%lld\" y=\"%zu\" width=\"%lld\" "
				     "height=\"13\" fill=\"%s\"><title>",
				LABEL_W + x * BAR_W / max, y + 10,
				(x + f) * BAR_W / max - x * BAR_W / max,
				palette[i % PALETTE_N]);
			esc(out, id);
			fprintf(out, ": %lld</title></rect>\n", f);
			x += f;
			total += f;
		}
		fprintf(out, "<text x=\"%d\" y=\"%zu\" font-size=\"11\">%lld "
			     "dumps, %lld findings</text>\n",
			LABEL_W + BAR_W + 6, y + 14, d, total);
	}
	fputs("</svg>\n", out);
}

/* The numbers of the chart: one row per key, two columns per id. */
static void breakdown_table(FILE *out, const char *id, const char *keyname,
			    const struct breakdown *b)
{
	fprintf(out, "<table id=\"%s\"><thead><tr><th>", id);
	esc(out, keyname);
	fputs("</th><th>dumps</th><th>failed</th>", out);
	for (size_t i = 0; i < b->ids.nrows; i++) {
		const char *fid = batch_table_cell(&b->ids, i, 0);
		fputs("<th>", out);
		esc(out, fid);
		fputs(" findings</th><th>", out);
		esc(out, fid);
		fputs(" dumps</th>", out);
	}
	fputs("</tr></thead><tbody>\n", out);
	for (size_t r = 0; r < b->keys.nrows; r++) {
		const char *key = batch_table_cell(&b->keys, r, 0);
		fputs("<tr><td>", out);
		esc(out, key);
		fputs("</td>", out);
		td_num(out, batch_table_cell(&b->keys, r, 1));
		td_num(out, batch_table_cell(&b->keys, r, 2));
		for (size_t i = 0; i < b->ids.nrows; i++) {
			const char *fid = batch_table_cell(&b->ids, i, 0);
			fprintf(out, "<td class=\"n\">%lld</td>"
				     "<td class=\"n\">%lld</td>",
				breakdown_count(b, key, fid, 2),
				breakdown_count(b, key, fid, 3));
		}
		fputs("</tr>\n", out);
	}
	fputs("</tbody></table>\n", out);
}

static struct mml_error *chart_breakdown(sqlite3 *h, FILE *out,
					 const char *id, const char *keyname,
					 const char *key, const char *order,
					 const char *what)
{
	struct breakdown b;
	struct mml_error *err = breakdown_load(h, key, order, &b);
	if (!err) {
		legend(out, &b.ids);
		fputs("<div class=\"pair\"><div>", out);
		breakdown_svg(out, &b, what);
		fputs("</div><div>", out);
		breakdown_table(out, id, keyname, &b);
		fputs("</div></div>\n", out);
	}
	breakdown_deinit(&b);
	return err;
}

/* A dump's time: when its kernel crashed (VMCOREINFO's CRASHTIME, which
 * kdump dumps carry), else its file's mtime. */
#define DUMP_TIME "COALESCE(d.crash_time, d.mtime)"

/* The time bucket of a dump: by hour, day or month, whichever gives a
 * readable number of bars for the archive's span of times. */
static struct mml_error *time_key(sqlite3 *h, const char **key,
				  const char **unit)
{
	static const char *const cols[] = { "days" };
	struct batch_table t = { NULL, 1, cols, NULL, 0 };
	struct mml_error *err = batch_table_query(h,
		"SELECT CAST(julianday(MAX(substr(" DUMP_TIME ", 1, 19))) - "
		"julianday(MIN(substr(" DUMP_TIME ", 1, 19))) AS INTEGER) "
		"FROM dumps d",
		NULL, &t);
	if (err)
		return err;
	long long days = t.nrows ? num(batch_table_cell(&t, 0, 0)) : 0;
	batch_table_deinit(&t);
	if (days > 62) {
		*key = "COALESCE(substr(" DUMP_TIME ", 1, 7), '(no time)')";
		*unit = "month (UTC)";
	} else if (days > 2) {
		*key = "COALESCE(substr(" DUMP_TIME ", 1, 10), '(no time)')";
		*unit = "day (UTC)";
	} else {
		*key = "COALESCE(substr(" DUMP_TIME ", 1, 13) || ':00', "
		       "'(no time)')";
		*unit = "hour (UTC)";
	}
	return NULL;
}

/* Which time each dump is placed by: how many by crash time, how many by
 * mtime. */
static struct mml_error *time_sources_write(sqlite3 *h, FILE *out,
					    const char *unit)
{
	static const char *const cols[] = { "crash", "all" };
	struct batch_table t = { NULL, 2, cols, NULL, 0 };
	struct mml_error *err = batch_table_query(h,
		"SELECT COUNT(crash_time), COUNT(*) FROM dumps", NULL, &t);
	if (err)
		return err;
	long long crash = t.nrows ? num(batch_table_cell(&t, 0, 0)) : 0;
	long long all = t.nrows ? num(batch_table_cell(&t, 0, 1)) : 0;
	batch_table_deinit(&t);
	fprintf(out, "<h2 id=\"time\">Findings over time</h2>\n<p id=\"time-"
		     "source\">Per %s, by when the kernel crashed (VMCOREINFO "
		     "CRASHTIME, which kdump writes) for <b>%lld</b> of %lld "
		     "dumps, and by the dump file's modification time (mtime) "
		     "for the other <b>%lld</b>: a copied or touched file "
		     "moves.</p>\n", unit, crash, all, all - crash);
	return NULL;
}

#define PRESENCE_SQL                                                           \
	"SELECT v.fix_id, COALESCE(d.kernel, '(unknown)'), "                   \
	"COUNT(DISTINCT CASE v.presence WHEN 'present' THEN v.dump_id END), "  \
	"COUNT(DISTINCT CASE v.presence WHEN 'absent' THEN v.dump_id END), "   \
	"COUNT(DISTINCT CASE v.presence WHEN 'unknown' THEN v.dump_id END), "  \
	"COUNT(DISTINCT CASE v.presence WHEN 'not-needed' THEN v.dump_id "     \
	"END), GROUP_CONCAT(DISTINCT v.problem) FROM verdicts v "              \
	"JOIN dumps d ON d.id = v.dump_id WHERE " PRESENCE_WHERE               \
	" GROUP BY 1, 2 ORDER BY 1, 2"
/* The fixes that matter to a found state: verdicts that name a fix, less
 * the kernel's general fork-recovery posture, which every dump gets
 * whatever it holds (lib/verdict_posture.c). */
#define PRESENCE_WHERE "v.fix_id IS NOT NULL AND v.problem <> 'fork-recovery'"

static const char *const presence_cols[] = { "fix", "kernel", "present",
					     "absent", "unknown", "not-needed",
					     "problems" };
static const char *const presence_fill[] = { "#59a14f", "#e15759", "#bab0ac",
					     "#76b7b2" };

static void presence_svg(FILE *out, const struct batch_table *t)
{
	fprintf(out, "<svg role=\"img\" width=\"%d\" height=\"%zu\" "
		     "viewBox=\"0 0 %d %zu\"><title>fix presence per release"
		     "</title>\n",
		CHART_W, t->nrows * ROW_H + 10, CHART_W, t->nrows * ROW_H + 10);
	for (size_t r = 0; r < t->nrows; r++) {
		size_t y = r * ROW_H + 5;
		long long n[4], total = 0;
		for (int c = 0; c < 4; c++)
			total += n[c] = num(batch_table_cell(t, r, c + 2));
		fprintf(out, "<text x=\"0\" y=\"%zu\" font-size=\"11\">",
			y + 14);
		esc(out, batch_table_cell(t, r, 0));
		fputs(" @ ", out);
		esc(out, batch_table_cell(t, r, 1));
		fputs("</text>\n", out);
		long long x = 0;
		for (int c = 0; c < 4; c++) {
			if (!n[c])
				continue;
			fprintf(out, "<rect x=\"%lld\" y=\"%zu\" width=\"%lld\" "
				     "height=\"18\" fill=\"%s\"><title>%s: %lld"
				     "</title></rect>\n",
				LABEL_W + 90 + x * (BAR_W - 90) / total, y + 2,
				(x + n[c]) * (BAR_W - 90) / total -
					x * (BAR_W - 90) / total,
				presence_fill[c], presence_cols[c + 2], n[c]);
			x += n[c];
		}
		fprintf(out, "<text x=\"%d\" y=\"%zu\" font-size=\"11\">",
			LABEL_W + BAR_W + 6, y + 14);
		const char *sep = "";
		for (int c = 0; c < 4; c++)
			if (n[c]) {
				fprintf(out, "%s%s %lld", sep,
					presence_cols[c + 2], n[c]);
				sep = ", ";
			}
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
}

static struct mml_error *chart_presence(sqlite3 *h, FILE *out)
{
	struct batch_table t = { NULL, 7, presence_cols, NULL, 0 };
	struct mml_error *err = batch_table_query(h, PRESENCE_SQL, NULL, &t);
	if (!err) {
		fputs("<p>Dumps per release whose verdicts found the fix "
		      "present, absent or unknown (colours: present green, "
		      "absent red, unknown grey; the numbers are written "
		      "beside each bar and in the table).</p>\n"
		      "<div class=\"pair\"><div>", out);
		presence_svg(out, &t);
		fputs("</div><div>", out);
		table_html(out, "t-presence", &t);
		fputs("</div></div>\n", out);
	}
	batch_table_deinit(&t);
	return err;
}

static const char *const status_cols[] = { "status", "dumps" };
static const char *const finding_cols[] = { "finding", "dumps", "findings",
					    "severities" };
static const char *const verdict_cols[] = { "problem", "fix", "presence",
					    "dumps" };
static const char *const error_cols[] = { "path", "status", "error" };

static struct mml_error *summary_tables(sqlite3 *h, FILE *out)
{
	struct mml_error *err;

	fputs("<h2 id=\"findings\">Findings by id</h2>\n", out);
	err = query_table(h, out, "t-findings", finding_cols, 4,
			  "SELECT check_id, COUNT(DISTINCT dump_id), COUNT(*), "
			  "GROUP_CONCAT(DISTINCT severity) FROM findings "
			  "GROUP BY check_id ORDER BY 2 DESC, 1");
	if (err)
		return err;
	fputs("<h2 id=\"verdicts\">Verdicts</h2>\n", out);
	err = query_table(h, out, "t-verdicts", verdict_cols, 4,
			  "SELECT problem, fix_id, presence, "
			  "COUNT(DISTINCT dump_id) FROM verdicts "
			  "GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2");
	if (err)
		return err;
	fputs("<h2 id=\"errors\">Dumps that could not be analysed</h2>\n", out);
	return query_table(h, out, "t-errors", error_cols, 3,
			   "SELECT path, status, error FROM dumps WHERE "
			   "status IN ('error','timeout','crashed') "
			   "ORDER BY path");
}

static void page_head(FILE *out, const char *db_path)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\">"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\""
	      "default-src 'none'; style-src 'unsafe-inline'; "
	      "script-src 'unsafe-inline'; img-src data:\">"
	      "<title>mmlife: ", out);
	esc(out, db_path);
	fprintf(out, "</title><style>%s</style></head><body>\n", page_style);
	fputs("<h1>mmlife scan archive: ", out);
	esc(out, db_path);
	fputs("</h1>\n<p><a href=\"#releases\">releases</a> · "
	      "<a href=\"#time\">over time</a> · <a href=\"#fixes\">fixes</a> "
	      "· <a href=\"#findings\">findings</a> · <a href=\"#verdicts\">"
	      "verdicts</a> · <a href=\"#errors\">errors</a> · "
	      "<a href=\"#dumps\">every dump</a></p>\n", out);
}

/* The page's sections in order; each writes its own heading. */
static struct mml_error *page_body(sqlite3 *h, FILE *out)
{
	struct mml_error *err;
	const char *key, *unit;

	fputs("<h2 id=\"status\">Dumps by status</h2>\n", out);
	err = query_table(h, out, "t-status", status_cols, 2,
			  "SELECT status, COUNT(*) FROM dumps GROUP BY status "
			  "ORDER BY CASE status WHEN 'ok' THEN 0 WHEN "
			  "'findings' THEN 1 WHEN 'error' THEN 2 WHEN "
			  "'timeout' THEN 3 ELSE 4 END");
	if (err)
		return err;
	fputs("<h2 id=\"releases\">Dumps and findings per kernel release"
	      "</h2>\n<p>Per release: the grey bar counts dumps, the bar "
	      "below it findings stacked by finding id; failed: dumps that "
	      "could not be analysed.</p>\n", out);
	err = chart_breakdown(h, out, "t-kernels", "kernel",
			      "COALESCE(d.kernel, '(unknown)')", "2 DESC, 1",
			      "dumps and findings per kernel release");
	if (!err)
		err = time_key(h, &key, &unit);
	if (!err)
		err = time_sources_write(h, out, unit);
	if (err)
		return err;
	err = chart_breakdown(h, out, "t-time", "period", key, "1", "findings "
			      "over time by crash time, else file mtime");
	if (err)
		return err;
	fputs("<h2 id=\"fixes\">Fix presence per release</h2>\n", out);
	err = chart_presence(h, out);
	if (!err)
		err = summary_tables(h, out);
	if (!err)
		err = batch_html_dumps_write(h, out);
	return err;
}

struct mml_error *batch_html_write(sqlite3 *h, const char *db_path,
				    FILE *out)
{
	page_head(out, db_path);
	struct mml_error *err = page_body(h, out);
	if (err)
		return err;
	fprintf(out, "<script>%s</script>\n</body></html>\n", page_script);
	return NULL;
}
