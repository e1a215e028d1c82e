// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The layout cache: one file per kernel build-id and type source under
 * ${XDG_CACHE_HOME:-~/.cache}/mmlife/layouts/, named BUILDID.SOURCE and
 * holding what mml_layout_save_keyed() writes. A second dump of the same
 * kernel then needs no DWARF, BTF or gdb work. Sources: "dwarf" and "btf"
 * (the CLI), "crash" (the crash extension, through crash's gdb); the CLI's
 * symbol memos (cli/debuginfo/symmemo.c) live beside them.
 *
 * Several processes write here at once (the CLI, the scanner's workers,
 * crash sessions), with no lock: each write goes to a temporary file that
 * is renamed into place, so a reader sees a whole old file or a whole new
 * one, and two writers of one key write the same layout. A file that does
 * not load is a miss, resolved afresh and rewritten.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "mmlife/layout.h"

char *mml_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *dir = NULL;

	if (xdg && *xdg == '/') {
		if (asprintf(&dir, "%s/mmlife/layouts", xdg) < 0)
			return NULL;
	} else if (home && *home) {
		if (asprintf(&dir, "%s/.cache/mmlife/layouts", home) < 0)
			return NULL;
	}
	return dir;
}

/* mkdir -p */
static struct mml_error *cache_mkdirs(const char *dir)
{
	_cleanup_free_ char *p = strdup(dir);
	if (!p)
		return &mml_enomem;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			return mml_error_create(MML_ERROR_OS,
						"cannot create %s: %s", p,
						strerror(errno));
		*s = c;
		if (!c)
			break;
	}
	return NULL;
}

static bool cache_key_ok(const char *s)
{
	if (!s || !*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return false;
	return true;
}

static char *cache_path(const char *dir, const char *build_id,
			const char *source)
{
	char *path;
	if (!cache_key_ok(build_id) || !cache_key_ok(source))
		return NULL;
	if (asprintf(&path, "%s/%s.%s", dir, build_id, source) < 0)
		return NULL;
	return path;
}

FILE *mml_cache_open(const char *dir, const char *build_id,
		     const char *suffix)
{
	_cleanup_free_ char *path = cache_path(dir, build_id, suffix);
	return path ? fopen(path, "re") : NULL;
}

struct mml_error *mml_cache_write(const char *dir, const char *build_id,
				  const char *suffix,
				  struct mml_error *(*write)(FILE *f,
							     const void *arg),
				  const void *arg)
{
	_cleanup_free_ char *path = cache_path(dir, build_id, suffix);
	_cleanup_free_ char *tmp = NULL;
	struct mml_error *err;

	if (!path)
		return NULL;
	err = cache_mkdirs(dir);
	if (err)
		return err;
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0) {
		tmp = NULL;
		return &mml_enomem;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return mml_error_create(MML_ERROR_OS, "cannot create %s: %s",
					tmp, strerror(errno));
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return mml_error_create(MML_ERROR_OS, "fdopen: %s",
					strerror(errno));
	}
	err = write(f, arg);
	if (fclose(f) != 0 && !err)
		err = mml_error_create(MML_ERROR_OS, "writing %s: %s", tmp,
				       strerror(errno));
	if (!err && rename(tmp, path) < 0)
		err = mml_error_create(MML_ERROR_OS, "renaming %s: %s", tmp,
				       strerror(errno));
	if (err)
		unlink(tmp);
	return err;
}

struct mml_error *mml_layout_cache_load(const char *dir, const char *build_id,
					const char *source,
					struct mml_layout *ret, bool *hit_ret)
{
	*hit_ret = false;
	_cleanup_fclose_ FILE *f = mml_cache_open(dir, build_id, source);
	if (!f)
		return NULL;
	struct mml_layout layout;
	struct mml_error *err = mml_layout_load_keyed(f, build_id, &layout);
	if (err) {
		mml_error_destroy(err);  /* stale or damaged: a miss */
		return NULL;
	}
	*ret = layout;
	*hit_ret = true;
	return NULL;
}

struct layout_write_arg {
	const struct mml_layout *layout;
	const char *build_id;
};

static struct mml_error *layout_write(FILE *f, const void *arg)
{
	const struct layout_write_arg *a = arg;
	return mml_layout_save_keyed(a->layout, a->build_id, f);
}

struct mml_error *mml_layout_cache_store(const char *dir, const char *build_id,
					 const char *source,
					 const struct mml_layout *layout)
{
	struct layout_write_arg a = { layout, build_id };
	return mml_cache_write(dir, build_id, source, layout_write, &a);
}
