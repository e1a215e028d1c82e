// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a run shows while and after it runs, all on stderr: the progress
 * bar (on a terminal), the log lines above it, the tallies of findings
 * and verdicts over the records stored, and the end summary. It reads
 * struct batch's counts and changes none but its own (the tallies, the
 * bar's state).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "batch_internal.h"

static const char *const skip_names[SKIP_NREASONS] = {
	[SKIP_NOT_DUMP] = "not a dump",
	[SKIP_EMPTY] = "empty",
	[SKIP_ELF_NOT_CORE] = "ELF, not a core file",
	[SKIP_PROCESS_CORE] = "a process's core file",
	[SKIP_XZ] = "xz container (use --xz)",
	[SKIP_NOT_REGULAR] = "not a regular file",
	[SKIP_BROKEN_LINK] = "broken symlink",
	[SKIP_DIR_LINK] = "symlink to a directory (not followed)",
	[SKIP_UNREADABLE_DIR] = "unreadable directory",
};

double batch_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- tallies for the summary ---- */

static void tally_add(struct tallies *t, const char *key, uint64_t dumps,
		      uint64_t total)
{
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].key, key)) {
			t->v[i].dumps += dumps;
			t->v[i].total += total;
			return;
		}
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct tally *p = realloc(t->v, cap * sizeof(*p));
		if (!p)
			return;
		t->v = p;
		t->cap = cap;
	}
	char *k = strdup(key);
	if (!k)
		return;
	t->v[t->n++] = (struct tally){ k, dumps, total };
}

static int tally_cmp(const void *a, const void *b)
{
	const struct tally *x = a, *y = b;
	if (x->dumps != y->dumps)
		return x->dumps < y->dumps ? 1 : -1;
	return strcmp(x->key, y->key);
}

void batch_tallies_free(struct tallies *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
}

void batch_tallies_add_record(struct batch *sc, json_t *rec)
{
	size_t i, k;
	json_t *m, *f, *v;
	struct tallies seen = { 0 };

	json_array_foreach(json_object_get(rec, "mms"), i, m)
		json_array_foreach(json_object_get(m, "findings"), k, f)
			tally_add(&seen, json_string_value(json_object_get(f, "id")),
				  0, 1);
	json_array_foreach(json_object_get(rec, "findings"), i, f)
		tally_add(&seen, json_string_value(json_object_get(f, "id")), 0,
			  1);
	for (i = 0; i < seen.n; i++)
		tally_add(&sc->findings, seen.v[i].key, 1, seen.v[i].total);
	batch_tallies_free(&seen);

	struct tallies vs = { 0 };
	json_array_foreach(json_object_get(rec, "verdicts"), i, v) {
		json_t *fix = json_object_get(v, "fix");
		char key[256];
		const char *pres = json_string_value(json_object_get(v, "presence"));
		if (json_is_object(fix))
			snprintf(key, sizeof(key), "%s / %s: %s",
				 json_string_value(json_object_get(v, "problem")),
				 json_string_value(json_object_get(fix, "id")),
				 pres ? pres : "?");
		else
			snprintf(key, sizeof(key), "%s",
				 json_string_value(json_object_get(v, "problem")));
		tally_add(&vs, key, 0, 1);
	}
	for (i = 0; i < vs.n; i++)
		tally_add(&sc->verdicts, vs.v[i].key, 1, vs.v[i].total);
	batch_tallies_free(&vs);
}

/* ---- display ---- */

static void fmt_hms(double s, char *buf, size_t len)
{
	if (!isfinite(s) || s < 0) {
		snprintf(buf, len, "--:--");
		return;
	}
	unsigned long t = (unsigned long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
			 t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

static void bar_clear(struct batch *sc)
{
	if (sc->bar_shown) {
		fputs("\r\033[K", stderr);
		sc->bar_shown = false;
	}
}

void batch_bar_draw(struct batch *sc, bool force)
{
	if (!sc->tty || sc->o.quiet)
		return;
	double t = batch_now_s();
	if (!force && t - sc->last_bar < 0.2)
		return;
	sc->last_bar = t;
	uint64_t total = sc->to_run, done = sc->done;
	double el = t - sc->t0;
	double rate = el > 0 ? (double)done / el : 0;
	char eta[32], elapsed[32];
	fmt_hms(rate > 0 ? (double)(total - done) / rate : NAN, eta,
		sizeof(eta));
	fmt_hms(el, elapsed, sizeof(elapsed));
	enum { W = 24 };
	char bar[W + 1];
	size_t fill = total ? (size_t)(W * done / total) : W;
	for (size_t i = 0; i < W; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[W] = '\0';
	uint64_t errs = sc->status[BATCH_ERROR] + sc->status[BATCH_TIMEOUT] +
			sc->status[BATCH_CRASHED];
	char line[512];
	snprintf(line, sizeof(line),
		 "[%s] %llu/%llu  %.2f/s  elapsed %s  ETA %s  findings %llu  "
		 "errors %llu",
		 bar, (unsigned long long)done, (unsigned long long)total, rate,
		 elapsed, eta, (unsigned long long)sc->status[BATCH_FINDINGS],
		 (unsigned long long)errs);
	struct winsize ws;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 &&
	    ws.ws_col - 1 < (int)sizeof(line))
		line[ws.ws_col - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	sc->bar_shown = true;
}

/* A line above the progress bar (TTY) or a plain log line. */
void batch_log_line(struct batch *sc, const char *fmt, ...)
{
	va_list ap;
	bar_clear(sc);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	batch_bar_draw(sc, true);
}

/* ---- the summary ---- */

void batch_summary_print(struct batch *sc, size_t ndumps, double elapsed)
{
	char el[32];
	uint64_t skipped = 0;

	for (int i = 0; i < SKIP_NREASONS; i++)
		skipped += sc->skipped[i];
	fmt_hms(elapsed, el, sizeof(el));
	if (sc->bar_shown || (sc->tty && sc->done)) {
		/* Leave the bar in its final state. */
		batch_bar_draw(sc, true);
		fputc('\n', stderr);
		sc->bar_shown = false;
	}
	fprintf(stderr, "\nmmlife scan: %zu dumps, %llu analysed in %s with %u "
			"workers\n",
		ndumps,
		(unsigned long long)sc->done, el, sc->o.jobs);
	fprintf(stderr, "  %-34s %8s\n", "status", "dumps");
	for (int i = 0; i < BATCH_NSTATUS; i++)
		fprintf(stderr, "  %-34s %8llu\n", batch_status_name(i),
			(unsigned long long)sc->status[i]);
	fprintf(stderr, "  %-34s %8llu\n", "unchanged (already stored)",
		(unsigned long long)(sc->unchanged + sc->stored_skip));
	if (sc->o.shard_n > 1)
		fprintf(stderr, "  %-34s %8llu\n", "files in other shards",
			(unsigned long long)sc->other_shards);
	fprintf(stderr, "  %-34s %8llu\n", "files skipped",
		(unsigned long long)skipped);
	for (int i = 0; i < SKIP_NREASONS; i++)
		if (sc->skipped[i])
			fprintf(stderr, "    %-32s %8llu\n", skip_names[i],
				(unsigned long long)sc->skipped[i]);
	if (sc->findings.n) {
		qsort(sc->findings.v, sc->findings.n, sizeof(struct tally),
		      tally_cmp);
		fprintf(stderr, "\n  %-34s %8s %8s\n", "findings by kind",
			"dumps", "findings");
		for (size_t i = 0; i < sc->findings.n; i++)
			fprintf(stderr, "  %-34s %8llu %8llu\n",
				sc->findings.v[i].key,
				(unsigned long long)sc->findings.v[i].dumps,
				(unsigned long long)sc->findings.v[i].total);
	}
	if (sc->verdicts.n) {
		qsort(sc->verdicts.v, sc->verdicts.n, sizeof(struct tally),
		      tally_cmp);
		fprintf(stderr, "\n  %-58s %8s\n",
			"top verdicts (problem / fix: presence)", "dumps");
		for (size_t i = 0; i < sc->verdicts.n && i < 10; i++)
			fprintf(stderr, "  %-58s %8llu\n", sc->verdicts.v[i].key,
				(unsigned long long)sc->verdicts.v[i].dumps);
	}
	if (sc->db)
		fprintf(stderr, "\n  database: %s (mmlife report %s)\n",
			sc->o.db_path, sc->o.db_path);
}
