/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Renderings of the report model: text for people, JSON for programs. */
#ifndef MMLIFE_REPORT_H
#define MMLIFE_REPORT_H

#include <stdio.h>

#include "error.h"
#include "model.h"
#include "scan.h"

#define MML_JSON_SCHEMA_VERSION 1

struct json_t;  /* jansson's */

struct mml_text_options {
	bool verbose;      /* every mm, not just those with findings */
};

void mml_report_write_text(const struct mml_report *report,
			   const struct mml_text_options *opts, FILE *out);
struct mml_error *mml_report_write_json(const struct mml_report *report,
					FILE *out);
/* The same JSON document as a jansson tree (a new reference in *ret), for
 * a caller that keeps only part of it (mmlife scan's worker). */
struct mml_error *mml_report_json_create(const struct mml_report *report,
					 struct json_t **ret);
/* One evidence value as text (0x... for addresses, [a-b] for ranges). */
void mml_evidence_write_value(const struct mml_evidence *ev, FILE *out);
/* The last lines of the kernel log kept in the report (--log). */
void mml_log_write_text(const struct mml_report *report, FILE *out);
/* The check catalogue as a table (crash's mmlife -l, mmlife --checks). */
void mml_checks_write_text(FILE *out);
/* The upstream-fix catalogue as text (crash's mmlife -l, --fixes). */
void mml_fixes_write_text(FILE *out);
/* The same as JSON (--fixes --json): {"schema_version", "fixes": [...]},
 * each fix as in a verdict's "fix". */
struct mml_error *mml_fixes_write_json(FILE *out);
/* The kernel constants no debug info holds (lib/kconst.c), with the
 * kernels each holds for and its kernel source (--constants). */
void mml_constants_write_text(FILE *out);
/* The same as JSON (--constants --json): {"schema_version": 1,
 * "constants": [{"name", "value" (a hex string), "kernels", "source"}]}. */
struct mml_error *mml_constants_write_json(FILE *out);
/* One maps line, /proc/PID/maps style, marking XA_ZERO and foreign. */
void mml_entry_write_maps(const struct mml_entry *entry, FILE *out);

#endif /* MMLIFE_REPORT_H */
