/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * For front ends in other languages (Python's ctypes or cffi, ...): the
 * same core as scan.h and report.h, with heap objects instead of structs
 * the caller embeds, and strings instead of FILE streams.
 *
 * Ownership: every function that hands out an object or a string gives it
 * to the caller, who frees it with the matching destroy function
 * (mml_layout_destroy(), mml_report_destroy(), mml_error_destroy(),
 * mml_string_free()); inputs are borrowed and copied where kept. Errors
 * are as everywhere (error.h): NULL is success.
 *
 * A callback of struct mml_target_ops or struct mml_types_ops written in
 * such a language must not let an exception unwind through the core: it
 * reports failure the C way (MML_READ_INVALID, false, or an error from
 * mml_error_create_message()).
 */
#ifndef MMLIFE_BIND_H
#define MMLIFE_BIND_H

#include "error.h"
#include "layout.h"
#include "model.h"
#include "report.h"

/* The library's version ("0.1.0"), as in the JSON report's tool.version. */
const char *mml_version(void);

/* An error with @message as is (no printf format to build). */
struct mml_error *mml_error_create_message(enum mml_error_code code,
					   const char *message);

/* A layout resolved through @types (mml_layout_resolve()) on the heap:
 * struct mml_layout grows with the kernels the core knows, so a binding
 * never allocates one itself. */
struct mml_error *mml_layout_create(const struct mml_types *types,
				    struct mml_layout **ret);
void mml_layout_destroy(struct mml_layout *layout);

/* Replace the report's dump section (mml_scan() leaves what the front end
 * knows about the dump empty) with copies of @info's strings; a NULL
 * string stays NULL (JSON null). */
struct mml_error *mml_report_set_dump_info(struct mml_report *report,
					   const struct mml_dump_info *info);

/* The renderings of report.h as strings, freed with mml_string_free(). */
struct mml_error *mml_report_json_string(const struct mml_report *report,
					 char **ret);
struct mml_error *mml_report_text_string(const struct mml_report *report,
					 const struct mml_text_options *opts,
					 char **ret);
/* One maps line (mml_entry_write_maps()), with its newline. */
struct mml_error *mml_entry_maps_string(const struct mml_entry *entry,
					char **ret);
/* The check catalogue and the fix catalogue as text (crash's mmlife -l). */
struct mml_error *mml_checks_text_string(char **ret);
struct mml_error *mml_fixes_text_string(char **ret);
void mml_string_free(char *s);

#endif /* MMLIFE_BIND_H */
