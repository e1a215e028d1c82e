// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A child's end turned into its record (steps 4 and 5 of batch.c): what
 * it left in its scratch files (on stdout the part of its report that
 * the record keeps, batch_digest.c; the last line of stderr; the header
 * hints and hash), what its exit status or signal
 * amounts to (ok or findings, error, timeout, crashed), and the record
 * counted, stored in the database, written as a JSON Lines line and
 * logged.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "mmlife/cleanup.h"
#include "cli.h"
#include "dump/dump.h"
#include "batch_internal.h"

/* The whole content of @fd from offset 0, NUL-terminated. */
static char *read_fd(int fd, size_t max)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return NULL;
	size_t len = (size_t)st.st_size;
	off_t off = 0;
	if (len > max) {
		off = (off_t)(len - max);
		len = max;
	}
	char *buf = malloc(len + 1);
	if (!buf)
		return NULL;
	if (len && !cli_read_all(fd, buf, len, off)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* The last non-empty line of a child's stderr, without "mmlife: ". */
static char *last_line(char *text, const char *path)
{
	if (!text)
		return NULL;
	size_t n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	char *l = strrchr(text, '\n');
	l = l ? l + 1 : text;
	if (!strncmp(l, "mmlife: ", 8))
		l += 8;
	/* "PATH: message": the record names the path already. */
	size_t plen = path ? strlen(path) : 0;
	if (plen && !strncmp(l, path, plen) && !strncmp(l + plen, ": ", 2))
		l += plen + 2;
	return *l ? strdup(l) : NULL;
}

static void iso_now(char *buf, size_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	batch_format_time_ns((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec, buf,
			    len);
}

/* What the child wrote to its hash file: "FINGERPRINT\nRELEASE\n
 * BUILD-ID\nCRASHTIME\n[SHA256\n]" as far as it got, split in place. */
struct child_hints {
	char *fingerprint, *release, *build_id, *crash_time, *sha256;
};

static void child_hints_split(char *text, struct child_hints *ret)
{
	char **fields[] = { &ret->fingerprint, &ret->release, &ret->build_id,
			    &ret->crash_time, &ret->sha256 };
	enum { NFIELDS = sizeof(fields) / sizeof(fields[0]) };

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < NFIELDS && text; i++) {
		char *nl = strchr(text, '\n');
		if (!nl)
			break;  /* a line cut short is no line */
		*nl = '\0';
		*fields[i] = *text ? text : NULL;
		text = nl + 1;
	}
	if (ret->fingerprint && strlen(ret->fingerprint) != 64)
		ret->fingerprint = NULL;
	if (ret->sha256 && strlen(ret->sha256) != 64)
		ret->sha256 = NULL;
}

/* A child killed by a signal: crashed, with its last stderr line. */
static void outcome_signaled(const struct batch *sc, int sig,
			     const char *errline, struct batch_outcome *o,
			     char *msg, size_t msglen)
{
	o->status = BATCH_CRASHED;
	o->signal = sig;
	snprintf(msg, msglen, "killed by signal %d (%s)%s%s%s", sig,
		 strsignal(sig), errline ? ": " : "", errline ? errline : "",
		 sc->o.mem_limit && (sig == SIGKILL || sig == SIGSEGV ||
				     sig == SIGABRT)
			 ? " (the memory limit may be too low)"
			 : "");
}

/* A child that exited with an analysis (0, 1 or 4): its digest of the
 * report (--scan-record, batch_digest.c). */
static void outcome_report(struct worker *w, struct batch_outcome *o,
			   char *msg, size_t msglen)
{
	_cleanup_free_ char *out = read_fd(w->out_fd, SIZE_MAX / 2);
	json_error_t jerr;
	o->digest = out ? json_loads(out, 0, &jerr) : NULL;
	if (!o->digest) {
		o->status = BATCH_ERROR;
		snprintf(msg, msglen, "exit %d but no readable JSON report",
			 o->exit_code);
	} else {
		o->status = BATCH_OK;
	}
}

/* A child that exited without an analysis: an error, said by its last
 * stderr line. */
static void outcome_failed(const struct batch *sc, const char *errline,
			   struct batch_outcome *o, char *msg, size_t msglen)
{
	o->status = BATCH_ERROR;
	if (!errline)
		snprintf(msg, msglen, "exit status %d", o->exit_code);
	else if (sc->o.mem_limit && (strstr(errline, "out of memory") ||
				     strstr(errline, "allocate")))
		snprintf(msg, msglen, "%s (under --mem-limit %lluM)", errline,
			 (unsigned long long)(sc->o.mem_limit >> 20));
	else
		snprintf(msg, msglen, "%s", errline);
}

/* Store @rec: the database, then the JSON Lines output. */
static void record_store(struct batch *sc, json_t *rec)
{
	if (sc->db) {
		struct mml_error *err = batch_db_put(sc->db, rec);
		if (err) {
			batch_log_line(sc, "mmlife scan: %s", err->message);
			mml_error_destroy(err);
			sc->db_failures++;
		}
	}
	if (sc->jsonl) {
		json_dumpf(rec, sc->jsonl, JSON_COMPACT);
		fputc('\n', sc->jsonl);
		fflush(sc->jsonl);
	}
}

/* Count, store and log the record of @o. */
static void record_finish(struct batch *sc, const struct batch_outcome *o)
{
	json_t *rec = batch_record_build(o);
	if (!rec) {
		batch_log_line(sc, "mmlife scan: %s: out of memory", o->path);
		sc->done++;
		return;
	}
	enum batch_status st;
	if (!batch_status_parse(json_string_value(json_object_get(rec, "status")),
			       &st))
		st = BATCH_ERROR;
	sc->status[st]++;
	sc->done++;
	batch_tallies_add_record(sc, rec);
	record_store(sc, rec);
	if (!sc->o.quiet && (!sc->tty || st >= BATCH_ERROR)) {
		const char *e = json_string_value(json_object_get(rec, "error"));
		batch_log_line(sc,
			       "mmlife scan: [%llu/%llu] %-8s %6.1fs %s%s%s",
			       (unsigned long long)sc->done,
			       (unsigned long long)sc->to_run,
			       batch_status_name(st),
			       (double)o->duration_ms / 1000, o->path,
			       e ? ": " : "", e ? e : "");
	}
	json_decref(rec);
}

/* A child has ended with @wstatus: what it amounts to, recorded. */
void batch_worker_finish(struct batch *sc, struct worker *w, int wstatus)
{
	struct job *j = w->job;
	double end = batch_now_s();
	_cleanup_free_ char *hash = read_fd(w->hash_fd, 4096);
	struct child_hints hints;
	child_hints_split(hash, &hints);
	_cleanup_free_ char *errtext = read_fd(w->err_fd, 8192);
	_cleanup_free_ char *errline = last_line(errtext, j->path);
	char msg[1024] = "";
	struct batch_outcome o = {
		.path = j->path,
		.rel = j->rel,
		.id = j->id,
		.fingerprint = hints.fingerprint,
		.sha256 = hints.sha256,
		.duration_ms = (int64_t)((end - w->start) * 1000 + 0.5),
		.exit_code = -1,
		.host = sc->host,
		.kernel_hint = hints.release,
		.build_id_hint = hints.build_id,
		.crash_time = hints.crash_time,
	};
	char when[48];
	iso_now(when, sizeof(when));
	o.scanned_at = when;

	if (w->timed_out) {
		o.status = BATCH_TIMEOUT;
		snprintf(msg, sizeof(msg), "timed out after %g s", sc->o.timeout);
	} else if (WIFSIGNALED(wstatus)) {
		outcome_signaled(sc, WTERMSIG(wstatus), errline, &o, msg,
				 sizeof(msg));
	} else {
		o.exit_code = WEXITSTATUS(wstatus);
		if (o.exit_code == CLI_EXIT_CLEAN ||
		    o.exit_code == CLI_EXIT_FINDINGS ||
		    o.exit_code == CLI_EXIT_INCOMPLETE)
			outcome_report(w, &o, msg, sizeof(msg));
		else
			outcome_failed(sc, errline, &o, msg, sizeof(msg));
	}
	if (*msg)
		o.error = msg;
	record_finish(sc, &o);
	json_decref(o.digest);
}

/* Record a dump the parent could not even open, without a child. */
void batch_job_finish_unopened(struct batch *sc, struct job *j)
{
	char when[48];
	iso_now(when, sizeof(when));
	struct batch_outcome o = {
		.path = j->path, .rel = j->rel, .id = j->id,
		.status = BATCH_ERROR,
		.error = j->open_error, .exit_code = CLI_EXIT_FAILED,
		.host = sc->host, .scanned_at = when,
	};
	json_t *rec = batch_record_build(&o);
	if (!rec)
		return;
	sc->status[BATCH_ERROR]++;
	sc->done++;
	record_store(sc, rec);
	if (!sc->o.quiet)
		batch_log_line(sc,
			       "mmlife scan: [%llu/%llu] error             %s",
			       (unsigned long long)sc->done,
			       (unsigned long long)sc->to_run, j->open_error);
	json_decref(rec);
}
