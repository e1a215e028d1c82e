// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the batch scan's database reader over a damaged
 * SQLite file (cli/batch/db.c: batch_db_open() on an existing file, with its
 * read-only fallback, every stored record rebuilt by batch_db_each(), a
 * lookup) and `mmlife report` on it (cli/batch/report_db.c: the overview,
 * --jsonl and --html, output to /dev/null). The input is written to a file in a
 * private temp dir, its -wal/-shm/-journal removed after each run. Seeds:
 * tests/fuzz/mkseed_db.sh (a real scan database, 1 KiB pages).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "batch/batch.h"

static char dir[64], path[96];

static struct mml_error *count_record(void *arg, json_t *rec)
{
	char *s = json_dumps(rec, JSON_COMPACT);
	(*(size_t *)arg)++;
	free(s);
	return NULL;
}

static void cleanup(void)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char p[128];
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "%s/fuzz_db.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/scan.db", dir);
	/* mmlife report prints to stdout: not here. */
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0 && !getenv("FUZZ_VERBOSE"))
		dup2(null, STDOUT_FILENO);
	if (null >= 0)
		close(null);
}

static void report(const char *opt)
{
	char *argv[] = { "report", (char *)opt, path, NULL };
	if (opt)
		batch_report_main(3, argv);
	else {
		argv[1] = path;
		argv[2] = NULL;
		batch_report_main(2, argv);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!*dir)
		setup();
	cleanup();
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct batch_db *db = NULL;
	struct mml_error *err = batch_db_open(path, false, &db);
	size_t n = 0;
	if (!err)
		err = batch_db_each(db, NULL, NULL, count_record, &n);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "db: %zu records; %s\n", n,
			err ? err->message : "read");
	mml_error_destroy(err);
	if (db) {
		struct batch_stored stored;
		mml_error_destroy(batch_db_lookup(db, "a.vmcore", &stored));
		batch_stored_deinit(&stored);
		char *when = NULL;
		mml_error_destroy(batch_db_scanned_at(db, "a.vmcore", &when));
		free(when);
		batch_db_close(db);
	}
	report(NULL);
	report("--jsonl");
	report("--html");
	cleanup();
	return 0;
}
