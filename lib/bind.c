// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The binding-friendly entry points of include/mmlife/bind.h: heap layouts,
 * the report's dump section set from borrowed strings, and the renderings
 * into strings (open_memstream) for callers that have no FILE.
 */
#include <stdlib.h>
#include <string.h>

#include "mmlife/bind.h"
#include "mmlife/cleanup.h"

const char *mml_version(void)
{
	return MMLIFE_VERSION;
}

struct mml_error *mml_error_create_message(enum mml_error_code code,
					   const char *message)
{
	return mml_error_create(code, "%s", message ? message : "");
}

struct mml_error *mml_layout_create(const struct mml_types *types,
				    struct mml_layout **ret)
{
	_cleanup_free_ struct mml_layout *layout = calloc(1, sizeof(*layout));
	if (!layout)
		return &mml_enomem;
	struct mml_error *err = mml_layout_resolve(types, layout);
	if (err)
		return err;
	*ret = no_cleanup_ptr(layout);
	return NULL;
}

void mml_layout_destroy(struct mml_layout *layout)
{
	free(layout);
}

/* A copy of @s, NULL for NULL; false when out of memory. */
static bool dup_or_null(const char *s, char **ret)
{
	*ret = s ? strdup(s) : NULL;
	return !s || *ret;
}

struct mml_error *mml_report_set_dump_info(struct mml_report *report,
					   const struct mml_dump_info *info)
{
	struct mml_dump_info d = { .kaslr_offset = info->kaslr_offset };
	if (!dup_or_null(info->path, &d.path) ||
	    !dup_or_null(info->format, &d.format) ||
	    !dup_or_null(info->release, &d.release) ||
	    !dup_or_null(info->build_id, &d.build_id) ||
	    !dup_or_null(info->arch, &d.arch) ||
	    !dup_or_null(info->type_source, &d.type_source) ||
	    !dup_or_null(info->front_end, &d.front_end)) {
		mml_dump_info_deinit(&d);
		return &mml_enomem;
	}
	mml_dump_info_deinit(&report->dump);
	report->dump = d;
	return NULL;
}

/* What one rendering writes to a stream; returns its error, if any. */
typedef struct mml_error *(*bind_write_fn)(const void *arg,
					   const void *opts, FILE *out);

static struct mml_error *bind_string(bind_write_fn fn, const void *arg,
				     const void *opts, char **ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return &mml_enomem;
	struct mml_error *err = fn(arg, opts, out);
	/* fclose() flushes: only then is buf complete (or NULL). */
	if (fclose(out) != 0 && !err)
		err = &mml_enomem;
	if (err) {
		free(buf);
		return err;
	}
	*ret = buf;
	return NULL;
}

static struct mml_error *write_json(const void *arg, const void *opts,
				    FILE *out)
{
	(void)opts;
	return mml_report_write_json(arg, out);
}

static struct mml_error *write_text(const void *arg, const void *opts,
				    FILE *out)
{
	struct mml_text_options none = { .verbose = false };
	mml_report_write_text(arg, opts ? opts : &none, out);
	return NULL;
}

static struct mml_error *write_maps(const void *arg, const void *opts,
				    FILE *out)
{
	(void)opts;
	mml_entry_write_maps(arg, out);
	return NULL;
}

static struct mml_error *write_checks(const void *arg, const void *opts,
				      FILE *out)
{
	(void)arg, (void)opts;
	mml_checks_write_text(out);
	return NULL;
}

static struct mml_error *write_fixes(const void *arg, const void *opts,
				     FILE *out)
{
	(void)arg, (void)opts;
	mml_fixes_write_text(out);
	return NULL;
}

struct mml_error *mml_report_json_string(const struct mml_report *report,
					 char **ret)
{
	return bind_string(write_json, report, NULL, ret);
}

struct mml_error *mml_report_text_string(const struct mml_report *report,
					 const struct mml_text_options *opts,
					 char **ret)
{
	return bind_string(write_text, report, opts, ret);
}

struct mml_error *mml_entry_maps_string(const struct mml_entry *entry,
					char **ret)
{
	return bind_string(write_maps, entry, NULL, ret);
}

struct mml_error *mml_checks_text_string(char **ret)
{
	return bind_string(write_checks, NULL, NULL, ret);
}

struct mml_error *mml_fixes_text_string(char **ret)
{
	return bind_string(write_fixes, NULL, NULL, ret);
}

void mml_string_free(char *s)
{
	free(s);
}
