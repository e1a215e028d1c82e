// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the dumps (steps 1 to 3 of batch.c): the walk over the PATHs,
 * this shard's files, resume against the database (by stat, then by the
 * header fingerprint), the format check on each file's first bytes, and
 * the resulting job list, sorted by path with each path once. What is not
 * a job is counted by reason in struct batch for the summary.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "cli.h"
#include "dump/dump.h"
#include "dump/dump_header.h"
#include "batch_internal.h"

/* SKIP_NONE for a dump, else why it is skipped: the CLI's own format
 * detection (cli/dump/), on the first bytes only. */
static enum skip_reason classify(int fd, uint64_t size, bool xz)
{
	unsigned char m[8] = { 0 };
	enum cli_elf_core core;
	struct mml_error *err;

	if (size == 0)
		return SKIP_EMPTY;
	if (!cli_read_all(fd, m, size < sizeof(m) ? (size_t)size : sizeof(m), 0))
		return SKIP_NOT_DUMP;
	switch (cli_dump_kind_detect(m)) {
	case CLI_DUMP_ELF:
		err = cli_elf_core_kind(fd, &core);
		if (err) {  /* a truncated ELF header: let the analysis say */
			mml_error_destroy(err);
			return SKIP_NONE;
		}
		switch (core) {
		case CLI_ELF_NOT_CORE:
			return SKIP_ELF_NOT_CORE;
		case CLI_ELF_PROCESS_CORE:
			return SKIP_PROCESS_CORE;
		case CLI_ELF_KERNEL_CORE:
			break;
		}
		return SKIP_NONE;
	case CLI_DUMP_KDUMP:
	case CLI_DUMP_DISKDUMP:
	case CLI_DUMP_LKCD:
		return SKIP_NONE;
	case CLI_DUMP_XZ:
		return xz ? SKIP_NONE : SKIP_XZ;
	case CLI_DUMP_GZIP:
	case CLI_DUMP_ZSTD:
	case CLI_DUMP_UNKNOWN:
		break;
	}
	return cli_flattened_detect(fd) ? SKIP_NONE : SKIP_NOT_DUMP;
}

static bool in_shard(const struct batch *sc, const char *rel)
{
	if (sc->o.shard_n <= 1)
		return true;
	return batch_shard_key(rel) % sc->o.shard_n == sc->o.shard_i;
}

static void add_job(struct batch *sc, const char *path, const char *rel,
		    const struct stat *st, const char *open_error)
{
	if (sc->njobs == sc->capjobs) {
		size_t cap = sc->capjobs ? 2 * sc->capjobs : 256;
		struct job *p = realloc(sc->jobs, cap * sizeof(*p));
		if (!p) {
			fprintf(stderr, "mmlife scan: out of memory\n");
			exit(CLI_EXIT_FAILED);
		}
		sc->jobs = p;
		sc->capjobs = cap;
	}
	struct job *j = &sc->jobs[sc->njobs++];
	memset(j, 0, sizeof(*j));
	j->path = strdup(path);
	j->rel = strdup(rel);
	j->open_error = open_error ? strdup(open_error) : NULL;
	batch_identity_from_stat(st, &j->id);
	if (!j->path || !j->rel) {
		fprintf(stderr, "mmlife scan: out of memory\n");
		exit(CLI_EXIT_FAILED);
	}
}

/*
 * Resume, before the file is opened: true when the database holds @path
 * with the stat of @st (identity.c), unless it failed and --retry-errors
 * asks again. With the same size and mtime but another device, inode or
 * ctime, *expect_fp gets the stored fingerprint to compare
 * (header_unchanged()); a new size or mtime is a new dump.
 */
static bool stored_unchanged(struct batch *sc, const char *path,
			     const struct stat *st, char **expect_fp)
{
	struct batch_stored s;
	struct batch_identity id;

	if (!sc->db || sc->o.rescan)
		return false;
	struct mml_error *err = batch_db_lookup(sc->db, path, &s);
	if (err) {
		fprintf(stderr, "mmlife scan: %s\n", err->message);
		mml_error_destroy(err);
		return false;
	}
	batch_identity_from_stat(st, &id);
	bool same = s.found && s.id.size == id.size &&
		    s.id.mtime_ns == id.mtime_ns &&
		    !(s.status >= BATCH_ERROR && sc->o.retry_errors);
	bool unchanged = same && s.id.dev == id.dev && s.id.ino == id.ino &&
			 s.id.ctime_ns == id.ctime_ns;
	if (same && !unchanged && s.fingerprint)
		*expect_fp = no_cleanup_ptr(s.fingerprint);
	batch_stored_deinit(&s);
	return unchanged;
}

/* Whether the dump at @fd has the header fingerprint @expect_fp; if so,
 * its new stat @st is stored, so that the next resume needs no read. */
static bool header_unchanged(struct batch *sc, int fd, const char *path,
			     const struct stat *st, const char *expect_fp)
{
	struct batch_header h;
	struct batch_identity id;

	struct mml_error *err = batch_header_read(fd, (uint64_t)st->st_size,
						  &h);
	if (err) {  /* the worker will say what is wrong with it */
		mml_error_destroy(err);
		return false;
	}
	if (strcmp(h.fingerprint, expect_fp))
		return false;
	batch_identity_from_stat(st, &id);
	err = batch_db_identity_update(sc->db, path, &id);
	if (err) {
		fprintf(stderr, "mmlife scan: %s\n", err->message);
		mml_error_destroy(err);
	}
	return true;
}

static void consider_file(struct batch *sc, const char *path, const char *rel)
{
	struct stat st, lst;

	if (!in_shard(sc, rel)) {
		sc->other_shards++;
		return;
	}
	if (stat(path, &st) < 0) {
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			sc->skipped[SKIP_BROKEN_LINK]++;
		else
			sc->skipped[SKIP_NOT_REGULAR]++;
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		sc->skipped[S_ISDIR(st.st_mode) ? SKIP_DIR_LINK
						: SKIP_NOT_REGULAR]++;
		return;
	}
	if (st.st_size == 0) {
		sc->skipped[SKIP_EMPTY]++;
		return;
	}
	_cleanup_free_ char *expect_fp = NULL;
	if (stored_unchanged(sc, path, &st, &expect_fp)) {
		sc->stored_skip++;
		return;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		char msg[512];
		snprintf(msg, sizeof(msg), "cannot open %s: %s", path,
			 strerror(errno));
		add_job(sc, path, rel, &st, msg);
		return;
	}
	enum skip_reason why = classify(fd, (uint64_t)st.st_size, sc->o.xz);
	bool unchanged = why == SKIP_NONE && expect_fp &&
			 header_unchanged(sc, fd, path, &st, expect_fp);
	close(fd);
	if (why != SKIP_NONE) {
		sc->skipped[why]++;
		return;
	}
	if (unchanged) {
		sc->unchanged++;
		return;
	}
	add_job(sc, path, rel, &st, NULL);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct batch *sc, const char *dir, const char *rel, int depth)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (!sc->o.quiet)
			fprintf(stderr, "mmlife scan: cannot read directory "
					"%s: %s\n", dir, strerror(errno));
		sc->skipped[SKIP_UNREADABLE_DIR]++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **p = realloc(names, cap * sizeof(*p));
			if (!p)
				break;
			names = p;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *path = NULL, *r = NULL;
		struct stat lst;
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0 ||
		    asprintf(&r, "%s%s%s", rel, *rel ? "/" : "", names[i]) < 0)
			break;
		if (lstat(path, &lst) == 0 && S_ISDIR(lst.st_mode)) {
			if (depth < 64)
				walk(sc, path, r, depth + 1);
			continue;
		}
		consider_file(sc, path, r);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* An absolute, tidied path (no "//", no "./", no trailing '/'); symlinks
 * are kept as they are. */
static char *absolute(const char *p)
{
	char cwd[PATH_MAX];
	_cleanup_free_ char *joined = NULL;

	if (*p == '/')
		joined = strdup(p);
	else if (getcwd(cwd, sizeof(cwd)) &&
		 asprintf(&joined, "%s/%s", cwd, p) < 0)
		joined = NULL;
	if (!joined)
		return NULL;
	char *out = malloc(strlen(joined) + 2), *o = out;
	if (!out)
		return NULL;
	for (const char *s = joined; *s;) {
		while (*s == '/')
			s++;
		const char *e = strchrnul(s, '/');
		size_t len = (size_t)(e - s);
		if (len == 0)
			break;
		if (!(len == 1 && *s == '.')) {
			*o++ = '/';
			memcpy(o, s, len);
			o += len;
		}
		s = e;
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	return out;
}

static int job_cmp(const void *a, const void *b)
{
	return strcmp(((const struct job *)a)->path,
		      ((const struct job *)b)->path);
}

void batch_collect(struct batch *sc, char **paths, int npaths)
{
	for (int i = 0; i < npaths; i++) {
		_cleanup_free_ char *abs = absolute(paths[i]);
		struct stat lst, st;
		if (!abs)
			continue;
		if (stat(abs, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(sc, abs, "", 0);
			continue;
		}
		if (lstat(abs, &lst) < 0) {
			fprintf(stderr, "mmlife scan: %s: %s\n", paths[i],
				strerror(errno));
			sc->skipped[SKIP_NOT_REGULAR]++;
			continue;
		}
		const char *base = strrchr(abs, '/');
		consider_file(sc, abs, base ? base + 1 : abs);
	}
	/* The same file named twice is one dump. (No jobs, NULL: qsort's
	 * argument must not be, even for 0 elements.) */
	if (sc->njobs)
		qsort(sc->jobs, sc->njobs, sizeof(*sc->jobs), job_cmp);
	size_t k = 0;
	for (size_t i = 0; i < sc->njobs; i++) {
		if (k && !strcmp(sc->jobs[k - 1].path, sc->jobs[i].path)) {
			free(sc->jobs[i].path);
			free(sc->jobs[i].rel);
			free(sc->jobs[i].open_error);
			continue;
		}
		sc->jobs[k++] = sc->jobs[i];
	}
	sc->njobs = k;
}
