// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The batch database (SQLite): the per-dump records of batch_record.c in
 * four tables, dumps, mms (those with findings), findings and verdicts.
 * Nested values without a query use (evidence, a tree summary, task lists)
 * are JSON text columns. Each dump is stored in one transaction that first
 * deletes the previous row of its path (ON DELETE CASCADE), in WAL mode
 * with synchronous=FULL: a scan killed at any point leaves every finished
 * dump stored and no half-stored one.
 *
 * The column tables below drive both directions (record -> row, row ->
 * record), so the JSON Lines and the database hold the same data.
 *
 * "mmlife db merge OUT IN...": every record of each IN goes into OUT, one
 * transaction per record; a path already in OUT keeps the more recently
 * scanned row.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mmlife/cleanup.h"
#include "cli.h"
#include "batch.h"

/* 3: dev, ino, ctime_ns and fingerprint (the identity without a whole
 * read, identity.c), crash_time (VMCOREINFO's CRASHTIME); sha256 only
 * with --hash. A version 2 file gains the
 * columns when opened for writing (db_migrate). */
#define DB_SCHEMA_VERSION "3"

struct batch_db {
	sqlite3 *h;
	char *path;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO meta VALUES('schema_version', '" DB_SCHEMA_VERSION "');"
	"INSERT OR IGNORE INTO meta VALUES('tool', 'mmlife scan');"
	"CREATE TABLE IF NOT EXISTS dumps("
	" id INTEGER PRIMARY KEY,"
	" path TEXT NOT NULL UNIQUE,"
	" rel TEXT,"
	" size INTEGER NOT NULL,"
	" mtime TEXT,"
	" mtime_ns INTEGER NOT NULL,"
	" sha256 TEXT,"
	" dev INTEGER, ino INTEGER, ctime_ns INTEGER, fingerprint TEXT,"
	" crash_time TEXT,"
	" status TEXT NOT NULL CHECK(status IN"
	"  ('ok','findings','error','timeout','crashed','incomplete')),"
	" error TEXT,"
	" exit_code INTEGER,"
	" signal INTEGER NOT NULL DEFAULT 0,"
	" duration_ms INTEGER NOT NULL,"
	" kernel TEXT, kernel_version TEXT, build_id TEXT, format TEXT,"
	" arch TEXT, type_source TEXT, worst_severity TEXT,"
	" n_tasks INTEGER, n_mms INTEGER, n_vmas INTEGER, n_findings INTEGER,"
	" n_dump_findings INTEGER,"
	" errors TEXT,"
	" tool_version TEXT, host TEXT, scanned_at TEXT);"
	"CREATE INDEX IF NOT EXISTS dumps_kernel ON dumps(kernel);"
	"CREATE INDEX IF NOT EXISTS dumps_sha256 ON dumps(sha256);"
	"CREATE INDEX IF NOT EXISTS dumps_status ON dumps(status);"
	"CREATE TABLE IF NOT EXISTS mms("
	" id INTEGER PRIMARY KEY,"
	" dump_id INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" address TEXT NOT NULL,"
	" sources TEXT, flags TEXT, oom_skip INTEGER, unstable INTEGER,"
	" map_count INTEGER, mm_users INTEGER, mm_count INTEGER,"
	" tasks TEXT, tree TEXT,"
	" UNIQUE(dump_id, seq));"
	"CREATE INDEX IF NOT EXISTS mms_dump ON mms(dump_id);"
	"CREATE TABLE IF NOT EXISTS findings("
	" id INTEGER PRIMARY KEY,"
	" dump_id INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,"
	" mm TEXT," /* mms.address of the same dump; NULL: not about one mm */
	" seq INTEGER NOT NULL,"
	" check_id TEXT NOT NULL,"
	" class TEXT NOT NULL DEFAULT 'kernel' CHECK(class IN ('kernel','dump')),"
	" severity TEXT, summary TEXT, evidence TEXT);"
	"CREATE INDEX IF NOT EXISTS findings_dump ON findings(dump_id);"
	"CREATE INDEX IF NOT EXISTS findings_check ON findings(check_id);"
	"CREATE TABLE IF NOT EXISTS verdicts("
	" id INTEGER PRIMARY KEY,"
	" dump_id INTEGER NOT NULL REFERENCES dumps(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" problem TEXT NOT NULL, title TEXT, mm TEXT, evidence TEXT,"
	" fix_id TEXT, fix_name TEXT, fix_commit TEXT,"
	" presence TEXT, method TEXT, method_detail TEXT, certain INTEGER,"
	" note TEXT);"
	"CREATE INDEX IF NOT EXISTS verdicts_dump ON verdicts(dump_id);"
	"CREATE INDEX IF NOT EXISTS verdicts_problem ON verdicts(problem);";

enum col_kind { COL_TEXT, COL_INT, COL_BOOL, COL_JSON };

struct col {
	const char *name;   /* column */
	const char *key;    /* record key */
	const char *sub;    /* key inside record[key], or NULL */
	enum col_kind kind;
};

static const struct col dump_cols[] = {
	{ "path", "path", NULL, COL_TEXT },
	{ "rel", "rel", NULL, COL_TEXT },
	{ "size", "size", NULL, COL_INT },
	{ "mtime", "mtime", NULL, COL_TEXT },
	{ "mtime_ns", "mtime_ns", NULL, COL_INT },
	{ "sha256", "sha256", NULL, COL_TEXT },
	{ "dev", "dev", NULL, COL_INT },
	{ "ino", "ino", NULL, COL_INT },
	{ "ctime_ns", "ctime_ns", NULL, COL_INT },
	{ "fingerprint", "fingerprint", NULL, COL_TEXT },
	{ "crash_time", "crash_time", NULL, COL_TEXT },
	{ "status", "status", NULL, COL_TEXT },
	{ "error", "error", NULL, COL_TEXT },
	{ "exit_code", "exit_code", NULL, COL_INT },
	{ "signal", "signal", NULL, COL_INT },
	{ "duration_ms", "duration_ms", NULL, COL_INT },
	{ "kernel", "kernel", NULL, COL_TEXT },
	{ "kernel_version", "kernel_version", NULL, COL_TEXT },
	{ "build_id", "build_id", NULL, COL_TEXT },
	{ "format", "format", NULL, COL_TEXT },
	{ "arch", "arch", NULL, COL_TEXT },
	{ "type_source", "type_source", NULL, COL_TEXT },
	{ "worst_severity", "worst_severity", NULL, COL_TEXT },
	{ "n_tasks", "counts", "tasks", COL_INT },
	{ "n_mms", "counts", "mms", COL_INT },
	{ "n_vmas", "counts", "vmas", COL_INT },
	{ "n_findings", "counts", "findings", COL_INT },
	{ "n_dump_findings", "counts", "dump_findings", COL_INT },
	{ "errors", "errors", NULL, COL_JSON },
	{ "tool_version", "tool_version", NULL, COL_TEXT },
	{ "host", "host", NULL, COL_TEXT },
	{ "scanned_at", "scanned_at", NULL, COL_TEXT },
	{ NULL, NULL, NULL, 0 },
};

static const struct col mm_cols[] = {
	{ "address", "address", NULL, COL_TEXT },
	{ "sources", "sources", NULL, COL_JSON },
	{ "flags", "flags", NULL, COL_TEXT },
	{ "oom_skip", "oom_skip", NULL, COL_BOOL },
	{ "unstable", "unstable", NULL, COL_BOOL },
	{ "map_count", "map_count", NULL, COL_INT },
	{ "mm_users", "mm_users", NULL, COL_INT },
	{ "mm_count", "mm_count", NULL, COL_INT },
	{ "tasks", "tasks", NULL, COL_JSON },
	{ "tree", "tree", NULL, COL_JSON },
	{ NULL, NULL, NULL, 0 },
};

static const struct col finding_cols[] = {
	{ "check_id", "id", NULL, COL_TEXT },
	{ "class", "class", NULL, COL_TEXT },
	{ "severity", "severity", NULL, COL_TEXT },
	{ "summary", "summary", NULL, COL_TEXT },
	{ "evidence", "evidence", NULL, COL_JSON },
	{ NULL, NULL, NULL, 0 },
};

static const struct col verdict_cols[] = {
	{ "problem", "problem", NULL, COL_TEXT },
	{ "title", "title", NULL, COL_TEXT },
	{ "mm", "mm", NULL, COL_TEXT },
	{ "evidence", "evidence", NULL, COL_TEXT },
	{ "fix_id", "fix", "id", COL_TEXT },
	{ "fix_name", "fix", "name", COL_TEXT },
	{ "fix_commit", "fix", "commit", COL_TEXT },
	{ "presence", "presence", NULL, COL_TEXT },
	{ "method", "method", NULL, COL_TEXT },
	{ "method_detail", "method_detail", NULL, COL_TEXT },
	{ "certain", "certain", NULL, COL_BOOL },
	{ "note", "note", NULL, COL_TEXT },
	{ NULL, NULL, NULL, 0 },
};

static struct mml_error *db_error(sqlite3 *h, const char *what)
{
	return mml_error_create(MML_ERROR_OS, "database: %s: %s", what,
				h ? sqlite3_errmsg(h) : "out of memory");
}

static struct mml_error *db_exec(struct batch_db *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) == SQLITE_OK)
		return NULL;
	struct mml_error *err = mml_error_create(
		MML_ERROR_OS, "database %s: %s", db->path,
		msg ? msg : sqlite3_errmsg(db->h));
	sqlite3_free(msg);
	return err;
}

sqlite3 *batch_db_handle(struct batch_db *db)
{
	return db->h;
}

/* The meta table's schema_version of @db (caller frees). */
static struct mml_error *db_schema_version(struct batch_db *db,
					   const char *path, char **ret)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h,
			       "SELECT value FROM meta WHERE "
			       "key='schema_version'",
			       -1, &st, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_INPUT,
					"database %s: %s (not an mmlife scan "
					"database?)", path,
					sqlite3_errmsg(db->h));
	const char *v = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (const char *)sqlite3_column_text(st, 0);
	*ret = strdup(v ? v : "unknown");
	sqlite3_finalize(st);
	return *ret ? NULL : &mml_enomem;
}

/* Version 2 -> 3: the identity columns, NULL in the old rows (which a
 * resume then analyses again, once: they have no fingerprint). In one
 * immediate transaction, so that two scans opening the same old file do
 * it once. */
static struct mml_error *db_migrate_2(struct batch_db *db)
{
	struct mml_error *err = db_exec(db, "BEGIN IMMEDIATE");
	if (err)
		return err;
	_cleanup_free_ char *v = NULL;
	err = db_schema_version(db, db->path, &v);
	if (!err && !strcmp(v, "2"))
		err = db_exec(db,
			      "ALTER TABLE dumps ADD COLUMN dev INTEGER;"
			      "ALTER TABLE dumps ADD COLUMN ino INTEGER;"
			      "ALTER TABLE dumps ADD COLUMN ctime_ns INTEGER;"
			      "ALTER TABLE dumps ADD COLUMN fingerprint TEXT;"
			      "ALTER TABLE dumps ADD COLUMN crash_time TEXT;"
			      "UPDATE meta SET value='3' WHERE "
			      "key='schema_version';");
	if (err) {
		mml_error_destroy(db_exec(db, "ROLLBACK"));
		return err;
	}
	return db_exec(db, "COMMIT");
}

/* Open @name (a path, or a URI with @flags holding SQLITE_OPEN_URI) and
 * check that it is one of ours; @path names it in messages. */
static struct mml_error *db_try_open(struct batch_db *db, const char *name,
				     const char *path, int flags, bool create,
				     bool readonly)
{
	struct mml_error *err = NULL;

	if (sqlite3_open_v2(name, &db->h, flags, NULL) != SQLITE_OK)
		return mml_error_create(MML_ERROR_INPUT, "database %s: %s",
					path,
					db->h ? sqlite3_errmsg(db->h)
					      : "cannot open");
	sqlite3_busy_timeout(db->h, 30000);
	if (!readonly)
		err = db_exec(db, create ? "PRAGMA journal_mode=WAL;"
					   "PRAGMA synchronous=FULL;"
					   "PRAGMA foreign_keys=ON;"
					 : "PRAGMA synchronous=FULL;"
					   "PRAGMA foreign_keys=ON;");
	if (!err && create)
		err = db_exec(db, schema_sql);
	if (err)
		return err;
	/* An existing file must be one of ours. */
	_cleanup_free_ char *v = NULL;
	err = db_schema_version(db, path, &v);
	if (!err && !strcmp(v, "2") && !readonly) {
		err = db_migrate_2(db);
		free(v);
		v = NULL;
		if (!err)
			err = db_schema_version(db, path, &v);
	}
	if (!err && strcmp(v, DB_SCHEMA_VERSION))
		err = mml_error_create(MML_ERROR_INPUT,
				       "%s: database schema is version %s, not "
				       DB_SCHEMA_VERSION "%s",
				       path, v,
				       !strcmp(v, "2")
					       ? " (open it writable once, with "
						 "mmlife scan or mmlife report, "
						 "to add version 3's columns)"
					       : " (written by another mmlife: "
						 "scan into a new database)");
	return err;
}

struct mml_error *batch_db_open(const char *path, bool create,
			       struct batch_db **ret)
{
	struct batch_db *db = calloc(1, sizeof(*db));
	struct mml_error *err;

	if (!db || !(db->path = strdup(path))) {
		free(db);
		return &mml_enomem;
	}
	err = db_try_open(db, path, path,
			  SQLITE_OPEN_READWRITE |
				  (create ? SQLITE_OPEN_CREATE : 0),
			  create, false);
	if (err && !create && access(path, R_OK) == 0) {
		/* A database we may only read (a read-only copy or mount):
		 * read the file as it is, without its -wal and -shm. */
		_cleanup_free_ char *uri = NULL;
		sqlite3_close(db->h);
		db->h = NULL;
		if (asprintf(&uri, "file:%s?immutable=1", path) >= 0) {
			struct mml_error *err2 = db_try_open(
				db, uri, path,
				SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, false,
				true);
			if (!err2) {
				mml_error_destroy(err);
				err = NULL;
			} else {
				mml_error_destroy(err2);
			}
		}
	}
	if (err) {
		batch_db_close(db);
		return err;
	}
	*ret = db;
	return NULL;
}

void batch_db_close(struct batch_db *db)
{
	if (!db)
		return;
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

struct mml_error *batch_db_lookup(struct batch_db *db, const char *path,
				 struct batch_stored *ret)
{
	sqlite3_stmt *st;

	memset(ret, 0, sizeof(*ret));
	if (sqlite3_prepare_v2(db->h,
			       "SELECT size, mtime_ns, dev, ino, ctime_ns, "
			       "fingerprint, status FROM dumps WHERE path=?",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "lookup");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		ret->found = true;
		ret->id.size = (uint64_t)sqlite3_column_int64(st, 0);
		ret->id.mtime_ns = sqlite3_column_int64(st, 1);
		ret->id.dev = (uint64_t)sqlite3_column_int64(st, 2);
		ret->id.ino = (uint64_t)sqlite3_column_int64(st, 3);
		ret->id.ctime_ns = sqlite3_column_int64(st, 4);
		const unsigned char *fp = sqlite3_column_text(st, 5);
		ret->fingerprint = fp ? strdup((const char *)fp) : NULL;
		if (!batch_status_parse((const char *)sqlite3_column_text(st, 6),
				       &ret->status))
			ret->status = BATCH_ERROR;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db->h, "lookup");
	return NULL;
}

void batch_stored_deinit(struct batch_stored *s)
{
	free(s->fingerprint);
	memset(s, 0, sizeof(*s));
}

struct mml_error *batch_db_identity_update(struct batch_db *db,
					   const char *path,
					   const struct batch_identity *id)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h,
			       "UPDATE dumps SET dev=?, ino=?, ctime_ns=? "
			       "WHERE path=?",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "identity");
	sqlite3_bind_int64(st, 1, (int64_t)id->dev);
	sqlite3_bind_int64(st, 2, (int64_t)id->ino);
	sqlite3_bind_int64(st, 3, id->ctime_ns);
	sqlite3_bind_text(st, 4, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? NULL : db_error(db->h, "identity");
}

struct mml_error *batch_db_scanned_at(struct batch_db *db, const char *path,
				      char **ret)
{
	sqlite3_stmt *st;

	*ret = NULL;
	if (sqlite3_prepare_v2(db->h,
			       "SELECT scanned_at FROM dumps WHERE path=?", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(db->h, "dumps");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		*ret = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db->h, "dumps");
	return rc == SQLITE_ROW && !*ret ? &mml_enomem : NULL;
}

/* ---- record -> rows ---- */

static json_t *col_value(json_t *obj, const struct col *c)
{
	json_t *v = json_object_get(obj, c->key);
	if (c->sub)
		v = json_object_get(v, c->sub);
	return v;
}

static int bind_value(sqlite3_stmt *st, int i, json_t *v, enum col_kind kind)
{
	if (!v || json_is_null(v))
		return sqlite3_bind_null(st, i);
	switch (kind) {
	case COL_JSON: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		if (!s)
			return SQLITE_NOMEM;
		return sqlite3_bind_text(st, i, s, -1, free);
	}
	case COL_BOOL:
		return sqlite3_bind_int(st, i, json_is_true(v));
	default:
		if (json_is_integer(v))
			return sqlite3_bind_int64(st, i,
						  json_integer_value(v));
		if (json_is_string(v))
			return sqlite3_bind_text(st, i, json_string_value(v),
						 -1, SQLITE_TRANSIENT);
		if (json_is_boolean(v))
			return sqlite3_bind_int(st, i, json_is_true(v));
		if (json_is_real(v))
			return sqlite3_bind_double(st, i, json_real_value(v));
		return sqlite3_bind_null(st, i);
	}
}

/* INSERT INTO @table (extra..., cols...) VALUES (?...); extra columns
 * (dump_id, seq, mm) are bound by the caller as 1..nextra. */
static char *insert_sql(const char *table, const char *extra, int nextra,
			const struct col *cols)
{
	size_t n = 0;
	char *sql = NULL, *names = NULL, *marks = NULL;
	size_t nl = 0, ml = 0;
	FILE *fn = open_memstream(&names, &nl), *fm = open_memstream(&marks, &ml);

	if (!fn || !fm) {
		if (fn)
			fclose(fn);
		if (fm)
			fclose(fm);
		free(names);
		free(marks);
		return NULL;
	}
	fputs(extra, fn);
	for (int i = 0; i < nextra; i++)
		fputs(i ? ",?" : "?", fm);
	for (const struct col *c = cols; c->name; c++, n++) {
		fprintf(fn, "%s%s", nextra || n ? "," : "", c->name);
		fputs(nextra || n ? ",?" : "?", fm);
	}
	fclose(fn);
	fclose(fm);
	if (asprintf(&sql, "INSERT INTO %s(%s) VALUES(%s)", table, names,
		     marks) < 0)
		sql = NULL;
	free(names);
	free(marks);
	return sql;
}

static struct mml_error *insert_row(struct batch_db *db, const char *table,
				    const char *extra, const int64_t *ex,
				    const char *mm, int nextra,
				    const struct col *cols, json_t *obj,
				    int64_t *rowid)
{
	_cleanup_free_ char *sql = insert_sql(table, extra, nextra, cols);
	sqlite3_stmt *st;

	if (!sql)
		return &mml_enomem;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, table);
	int i = 1, rc = SQLITE_OK;
	for (int k = 0; k < nextra && rc == SQLITE_OK; k++, i++) {
		if (mm && k == nextra - 1)
			rc = sqlite3_bind_text(st, i, mm, -1, SQLITE_STATIC);
		else if (!mm && k == nextra - 1 && !strcmp(table, "findings"))
			rc = sqlite3_bind_null(st, i);
		else
			rc = sqlite3_bind_int64(st, i, ex[k]);
	}
	for (const struct col *c = cols; c->name && rc == SQLITE_OK; c++, i++)
		rc = bind_value(st, i, col_value(obj, c), c->kind);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db->h, table);
	if (rowid)
		*rowid = sqlite3_last_insert_rowid(db->h);
	return NULL;
}

static struct mml_error *put_findings(struct batch_db *db, int64_t dump_id,
				      json_t *findings, const char *mm,
				      int64_t *seq)
{
	size_t i;
	json_t *f;

	json_array_foreach(findings, i, f) {
		int64_t ex[3] = { dump_id, (*seq)++, 0 };
		struct mml_error *err =
			insert_row(db, "findings", "dump_id,seq,mm", ex, mm, 3,
				   finding_cols, f, NULL);
		if (err)
			return err;
	}
	return NULL;
}

static struct mml_error *put_record(struct batch_db *db, json_t *rec)
{
	struct mml_error *err;
	int64_t dump_id, fseq = 0;
	size_t i;
	json_t *v;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h, "DELETE FROM dumps WHERE path=?", -1,
			       &st, NULL) != SQLITE_OK)
		return db_error(db->h, "delete");
	sqlite3_bind_text(st, 1, json_string_value(json_object_get(rec, "path")),
			  -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db->h, "delete");
	err = insert_row(db, "dumps", "", NULL, NULL, 0, dump_cols, rec,
			 &dump_id);
	if (err)
		return err;
	json_array_foreach(json_object_get(rec, "mms"), i, v) {
		int64_t ex[2] = { dump_id, (int64_t)i };
		err = insert_row(db, "mms", "dump_id,seq", ex, NULL, 2, mm_cols,
				 v, NULL);
		if (!err)
			err = put_findings(
				db, dump_id, json_object_get(v, "findings"),
				json_string_value(json_object_get(v, "address")),
				&fseq);
		if (err)
			return err;
	}
	err = put_findings(db, dump_id, json_object_get(rec, "findings"), NULL,
			   &fseq);
	if (err)
		return err;
	json_array_foreach(json_object_get(rec, "verdicts"), i, v) {
		int64_t ex[2] = { dump_id, (int64_t)i };
		err = insert_row(db, "verdicts", "dump_id,seq", ex, NULL, 2,
				 verdict_cols, v, NULL);
		if (err)
			return err;
	}
	return NULL;
}

struct mml_error *batch_db_put(struct batch_db *db, json_t *rec)
{
	struct mml_error *err = db_exec(db, "BEGIN IMMEDIATE");
	if (err)
		return err;
	err = put_record(db, rec);
	if (!err)
		err = db_exec(db, "COMMIT");
	if (err) {
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
		return mml_error_wrap(err, "storing %s",
				      json_string_value(json_object_get(rec, "path")));
	}
	return NULL;
}

/* ---- rows -> record ---- */

static json_t *column_json(sqlite3_stmt *st, int i, enum col_kind kind)
{
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		return json_null();
	case SQLITE_INTEGER:
		if (kind == COL_BOOL)
			return json_boolean(sqlite3_column_int64(st, i));
		return json_integer(sqlite3_column_int64(st, i));
	case SQLITE_FLOAT:
		return json_real(sqlite3_column_double(st, i));
	default: {
		const char *s = (const char *)sqlite3_column_text(st, i);
		if (kind == COL_JSON) {
			json_t *v = json_loads(s, JSON_DECODE_ANY, NULL);
			return v ? v : json_null();
		}
		return json_string(s);
	}
	}
}

/* Put the columns of the current row into @obj, from column @first. */
static void row_to_object(sqlite3_stmt *st, int first, const struct col *cols,
			  json_t *obj)
{
	int i = first;
	for (const struct col *c = cols; c->name; c++, i++) {
		json_t *v = column_json(st, i, c->kind);
		if (c->sub) {
			json_t *o = json_object_get(obj, c->key);
			if (!o) {
				o = json_object();
				json_object_set_new(obj, c->key, o);
			}
			json_object_set_new(o, c->sub, v);
		} else {
			json_object_set_new(obj, c->key, v);
		}
	}
}

static char *select_sql(const char *table, const char *extra,
			const struct col *cols, const char *where)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "SELECT %s", extra);
	for (const struct col *c = cols; c->name; c++)
		fprintf(f, ",%s", c->name);
	fprintf(f, " FROM %s %s", table, where);
	fclose(f);
	return buf;
}

static struct mml_error *read_findings(struct batch_db *db, int64_t id,
				       const char *mm, json_t *arr)
{
	_cleanup_free_ char *sql = select_sql(
		"findings", "id", finding_cols,
		mm ? "WHERE dump_id=? AND mm=? ORDER BY seq"
		   : "WHERE dump_id=? AND mm IS NULL ORDER BY seq");
	sqlite3_stmt *st;

	if (!sql)
		return &mml_enomem;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "findings");
	sqlite3_bind_int64(st, 1, id);
	if (mm)
		sqlite3_bind_text(st, 2, mm, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		row_to_object(st, 1, finding_cols, o);
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? NULL : db_error(db->h, "findings");
}

/* The dumps row @id into @rec. */
static struct mml_error *read_dump_row(struct batch_db *db, int64_t id,
				       json_t *rec)
{
	sqlite3_stmt *st;
	_cleanup_free_ char *sql = select_sql("dumps", "id", dump_cols,
					      "WHERE id=?");
	if (!sql)
		return &mml_enomem;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "dumps");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row_to_object(st, 1, dump_cols, rec);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? NULL : db_error(db->h, "dumps");
}

/* Dump @id's mms into @mms, each with its findings. */
static struct mml_error *read_mms(struct batch_db *db, int64_t id,
				  json_t *mms)
{
	sqlite3_stmt *st;
	int rc;
	_cleanup_free_ char *sql = select_sql("mms", "id", mm_cols,
					      "WHERE dump_id=? ORDER BY seq");
	if (!sql)
		return &mml_enomem;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "mms");
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		row_to_object(st, 1, mm_cols, o);
		json_t *f = json_array();
		json_object_set_new(o, "findings", f);
		json_array_append_new(mms, o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db->h, "mms");
	size_t i;
	json_t *m;
	json_array_foreach(mms, i, m) {
		struct mml_error *err = read_findings(
			db, id, json_string_value(json_object_get(m, "address")),
			json_object_get(m, "findings"));
		if (err)
			return err;
	}
	return NULL;
}

/* Dump @id's verdicts into @verdicts. */
static struct mml_error *read_verdicts(struct batch_db *db, int64_t id,
				       json_t *verdicts)
{
	sqlite3_stmt *st;
	int rc;
	_cleanup_free_ char *sql = select_sql(
		"verdicts", "id", verdict_cols, "WHERE dump_id=? ORDER BY seq");
	if (!sql)
		return &mml_enomem;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "verdicts");
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		row_to_object(st, 1, verdict_cols, o);
		json_t *fix = json_object_get(o, "fix");
		if (json_is_null(json_object_get(fix, "id")))
			json_object_set_new(o, "fix", json_null());
		json_array_append_new(verdicts, o);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? NULL : db_error(db->h, "verdicts");
}

static struct mml_error *read_record(struct batch_db *db, int64_t id,
				     json_t **ret)
{
	json_t *rec = json_object();
	struct mml_error *err = read_dump_row(db, id, rec);
	if (err) {
		json_decref(rec);
		return err;
	}
	/* Keep the record's key order: counts and arrays after worst_severity. */
	json_t *mms = json_array(), *verdicts = json_array();
	json_t *global = json_array();
	err = read_mms(db, id, mms);
	if (!err)
		err = read_findings(db, id, NULL, global);
	if (!err)
		err = read_verdicts(db, id, verdicts);
	json_object_set_new(rec, "mms", mms);
	json_object_set_new(rec, "findings", global);
	json_object_set_new(rec, "verdicts", verdicts);
	if (err) {
		json_decref(rec);
		return err;
	}
	*ret = rec;
	return NULL;
}

struct mml_error *batch_db_each(struct batch_db *db, const char *where_sql,
			       const char *arg,
			       struct mml_error *(*fn)(void *, json_t *),
			       void *arg_fn)
{
	_cleanup_free_ char *sql = NULL;
	sqlite3_stmt *st;
	struct mml_error *err = NULL;

	if (asprintf(&sql, "SELECT id FROM dumps %s ORDER BY path",
		     where_sql ? where_sql : "") < 0)
		return &mml_enomem;
	/* Collect the ids first: @fn may write to the database. */
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(db->h, "select");
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			int64_t *p = realloc(ids, cap * sizeof(*ids));
			if (!p) {
				err = &mml_enomem;
				break;
			}
			ids = p;
		}
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (!err && rc != SQLITE_DONE)
		err = db_error(db->h, "select");
	for (size_t i = 0; i < n && !err; i++) {
		json_t *rec = NULL;
		err = read_record(db, ids[i], &rec);
		if (err)
			break;
		err = fn(arg_fn, rec);
		json_decref(rec);
	}
	free(ids);
	return err;
}

/* ---- mmlife db merge OUT IN... ---- */

struct merge_state {
	struct batch_db *out;
	uint64_t added, replaced, kept;
};

static struct mml_error *merge_one(void *arg, json_t *rec)
{
	struct merge_state *ms = arg;
	const char *path = json_string_value(json_object_get(rec, "path"));
	const char *when = json_string_value(json_object_get(rec, "scanned_at"));
	_cleanup_free_ char *have = NULL;
	struct mml_error *err = batch_db_scanned_at(ms->out, path, &have);

	if (err)
		return err;
	if (have && (!when || strcmp(when, have) <= 0)) {
		ms->kept++;
		return NULL;
	}
	err = batch_db_put(ms->out, rec);
	if (!err) {
		if (have)
			ms->replaced++;
		else
			ms->added++;
	}
	return err;
}

static void db_usage(FILE *out)
{
	fprintf(out,
		"Usage: mmlife db merge OUT IN...\n"
		"Combine scan databases: every dump of each IN goes into OUT "
		"(created if\nneeded); a dump (path) already in OUT keeps the "
		"more recently scanned row.\n");
}

int batch_db_main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		db_usage(stdout);
		return CLI_EXIT_CLEAN;
	}
	if (argc < 4 || strcmp(argv[1], "merge") != 0) {
		db_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	struct merge_state ms = { 0 };
	struct mml_error *err = batch_db_open(argv[2], true, &ms.out);
	int rc = CLI_EXIT_CLEAN;

	for (int i = 3; !err && i < argc; i++) {
		struct batch_db *in;
		if (!strcmp(argv[i], argv[2])) {
			fprintf(stderr, "mmlife db merge: skipping %s: it is "
					"the output\n", argv[i]);
			continue;
		}
		err = batch_db_open(argv[i], false, &in);
		if (err)
			break;
		err = batch_db_each(in, NULL, NULL, merge_one, &ms);
		batch_db_close(in);
	}
	if (err) {
		fprintf(stderr, "mmlife db merge: %s\n", err->message);
		mml_error_destroy(err);
		rc = CLI_EXIT_FAILED;
	}
	fprintf(stderr,
		"mmlife db merge: %llu dumps added, %llu replaced by newer "
		"scans, %llu already there\n",
		(unsigned long long)ms.added, (unsigned long long)ms.replaced,
		(unsigned long long)ms.kept);
	batch_db_close(ms.out);
	return rc;
}
