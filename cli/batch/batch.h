/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The batch scanner (cli/batch/): "mmlife scan" runs every dump of an
 * archive in its own child process and stores one result per dump, as a
 * JSON Lines record and in an SQLite database; "mmlife report" reads the
 * database back; "mmlife db merge" combines databases.
 *
 *   batch.c         "mmlife scan": the entry point; its parts, in
 *                   batch_opts.c, batch_collect.c (finding dumps,
 *                   shards, resume), batch_worker.c, batch_child.c,
 *                   batch_outcome.c (the workers) and batch_progress.c,
 *                   share batch_internal.h
 *   batch_digest.c  a report -> the part of the record it gives, in the
 *                   worker (the CLI run with --scan-record)
 *   batch_record.c  that part and how the child ended -> the per-dump
 *                   record (a JSON object), in the parent
 *   hash.c          SHA-256 (nettle): shard key, fingerprint, --hash
 *   identity.c      a dump's identity: stat and a header fingerprint
 *   db.c            the SQLite store: schema, one transaction per dump,
 *                   the record read back, "mmlife db merge"
 *   report_db.c     "mmlife report DB"
 *
 * "Batch" names this subsystem so that "scan" keeps one meaning: the
 * analysis of one dump (lib/scan.c, mml_scan()); a batch runs that
 * analysis once per dump, each in its own process.
 *
 * The record (one JSON Lines line; the database holds exactly the same
 * data in the tables dumps, mms, findings and verdicts) is described in
 * batch_record.c.
 */
#ifndef MMLIFE_CLI_BATCH_H
#define MMLIFE_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "mmlife/error.h"

/* What a subcommand's command line asks for. */
enum batch_parse_result {
	BATCH_PARSE_RUN,    /* go on */
	BATCH_PARSE_HELP,   /* --help */
	BATCH_PARSE_USAGE,  /* a usage error, already printed */
};

/* Subcommand entry points (commands.c). */
int batch_scan_main(int argc, char **argv);
int batch_report_main(int argc, char **argv);
int batch_db_main(int argc, char **argv);

/* ---- hash.c: SHA-256 through nettle ---- */

struct batch_sha256;  /* a nettle sha256_ctx */

struct mml_error *batch_sha256_create(struct batch_sha256 **ret);
void batch_sha256_update(struct batch_sha256 *c, const void *data, size_t len);
/* The digest in lower-case hex; the context is spent (destroy it). */
void batch_sha256_final(struct batch_sha256 *c, char hex[65]);
void batch_sha256_destroy(struct batch_sha256 *c);
void batch_sha256_hex(const unsigned char digest[32], char hex[65]);
/* The shard key of @rel: the first 64 bits of its SHA-256, big-endian. */
uint64_t batch_shard_key(const char *rel);
/* Hash all of @fd from offset 0, streaming; the error's message is
 * strerror()'s. */
struct mml_error *batch_sha256_fd(int fd, char hex[65]);

/* ---- identity.c: stat and the header fingerprint ---- */

struct stat;

/* What stat says about a file; all equal to the stored values means
 * unchanged, without a read. */
struct batch_identity {
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};

void batch_identity_from_stat(const struct stat *st,
			      struct batch_identity *ret);

/* What a dump's header says: its fingerprint, and its kernel when its
 * VMCOREINFO says (empty strings when not). */
struct batch_header {
	char fingerprint[65];
	char release[128];
	char build_id[128];
	/* VMCOREINFO's CRASHTIME as "YYYY-MM-DDTHH:MM:SSZ", or "" */
	char crash_time[32];
};

/* Read @fd's header (never more than its first blocks and its
 * VMCOREINFO) into @ret. */
struct mml_error *batch_header_read(int fd, uint64_t size,
				    struct batch_header *ret);

/* ---- batch_record.c: the per-dump record ---- */

enum batch_status {
	BATCH_OK = 0,        /* analysed, no finding */
	BATCH_FINDINGS,      /* analysed, at least one finding */
	BATCH_ERROR,         /* could not be analysed (exit 3, unreadable) */
	BATCH_TIMEOUT,       /* killed after --timeout */
	BATCH_CRASHED,       /* the child died of a signal */
	/* analysed, no kernel finding, but the dump lacks pages the analysis
	 * needed (dump findings; the CLI's exit 4) */
	BATCH_INCOMPLETE,
	BATCH_NSTATUS,
};

const char *batch_status_name(enum batch_status s);
bool batch_status_parse(const char *s, enum batch_status *ret);

/* What the parent knows about one finished child. */
struct batch_outcome {
	const char *path;       /* as stored: absolute */
	const char *rel;        /* relative to its scan root (the shard key) */
	struct batch_identity id;  /* stat: dev, ino, size, mtime, ctime */
	const char *fingerprint; /* the header's; NULL if not read */
	const char *sha256;     /* the content's (--hash), or NULL */
	enum batch_status status;
	const char *error;      /* NULL unless error/timeout/crashed */
	int exit_code;          /* -1 when it died of a signal */
	int signal;             /* 0 unless it died of one */
	int64_t duration_ms;
	json_t *digest;         /* the child's --scan-record output (the
				 * record's part from its report), or NULL */
	const char *host;
	const char *scanned_at; /* UTC, ISO 8601 */
	/* From the dump's VMCOREINFO when there is no report. */
	const char *kernel_hint, *build_id_hint;
	/* VMCOREINFO's CRASHTIME (ISO 8601 UTC), or NULL. */
	const char *crash_time;
};

/* Build the record of @o (a new reference). A digest whose JSON does not
 * look like batch_digest_build's makes the record an error. */
json_t *batch_record_build(const struct batch_outcome *o);
/* "2026-11-22T21:35:01.123456789Z" for nanoseconds since the epoch. */
void batch_format_time_ns(int64_t ns, char *buf, size_t len);

/* ---- batch_digest.c ---- */

struct mml_report;
/* The record's fields that come from the JSON report @report (an mmlife
 * report): kernel to errors, the record's order and values; "build_id"
 * absent when the report has no dump block. A new reference. */
json_t *batch_digest_build(json_t *report);
/* --scan-record: that digest of @report, as one line of compact JSON. */
struct mml_error *batch_digest_write(const struct mml_report *report,
				     FILE *out);

/* ---- db.c ---- */

struct batch_db;

struct mml_error *batch_db_open(const char *path, bool create,
			       struct batch_db **ret);
void batch_db_close(struct batch_db *db);
/* What is stored for a path. */
struct batch_stored {
	bool found;
	struct batch_identity id;  /* dev, ino and ctime 0 when unknown */
	char *fingerprint;         /* NULL if none; owned */
	enum batch_status status;
};

struct mml_error *batch_db_lookup(struct batch_db *db, const char *path,
				 struct batch_stored *ret);
void batch_stored_deinit(struct batch_stored *s);
/* A stored dump found unchanged under a new stat (a copy, a restore, a
 * chmod): store that stat, so that the next resume needs no read. */
struct mml_error *batch_db_identity_update(struct batch_db *db,
					   const char *path,
					   const struct batch_identity *id);
/* Store one record in one transaction, replacing the row of its path. */
struct mml_error *batch_db_put(struct batch_db *db, json_t *record);
/* Call @fn for every stored record (rebuilt from the tables), by path. */
struct mml_error *batch_db_each(struct batch_db *db, const char *where_sql,
			       const char *arg,
			       struct mml_error *(*fn)(void *, json_t *),
			       void *arg_fn);
/* The scanned_at of @path's row (caller frees); NULL when there is no
 * row or it has none. */
struct mml_error *batch_db_scanned_at(struct batch_db *db, const char *path,
				      char **ret);
/* The underlying handle, for report_db.c. */
struct sqlite3 *batch_db_handle(struct batch_db *db);

#endif /* MMLIFE_CLI_BATCH_H */
