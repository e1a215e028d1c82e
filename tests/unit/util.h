/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers shared by the unit tests: scanning a fake, looking at findings. */
#ifndef MMLIFE_TESTS_UTIL_H
#define MMLIFE_TESTS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake.h"
#include "mmlife/model.h"
#include "mmlife/report.h"
#include "mmlife/scan.h"

/* "Any mm" for the finding helpers (0 means the global findings). */
#define ANY_MM UINT64_MAX

/* Scan @f (opts and limits may be NULL); fails the test on error. */
struct mml_report *scan_fake(struct fake *f,
			     const struct mml_scan_options *opts,
			     const struct mml_limits *limits);

size_t count_findings(const struct mml_report *r, const char *id,
		      uint64_t mm);
const struct mml_finding *find_finding(const struct mml_report *r,
				       const char *id, uint64_t mm);
/* The first finding of @id for @mm; fails the test if there is none, and
 * records @id as covered by this test program. */
const struct mml_finding *expect_finding(const struct mml_report *r,
					 const char *id, uint64_t mm);
/* Fails when @mm has a finding @id. */
void expect_no_finding(const struct mml_report *r, const char *id,
		       uint64_t mm);
/*
 * The findings of @mm (ANY_MM: all of them) are exactly the ids given
 * (a NULL-terminated list, repeats allowed, in any order). Records them as
 * covered.
 */
void expect_ids(const struct mml_report *r, uint64_t mm, ...);
/* The report has no findings at all. */
void expect_clean(const struct mml_report *r);

const struct mml_evidence *find_evidence(const struct mml_finding *f,
					 const char *key);
/* Evidence @key must be there; returns it. */
const struct mml_evidence *expect_evidence(const struct mml_finding *f,
					   const char *key);
const struct mml_mm *report_mm(const struct mml_report *r, uint64_t mm);

/* Print the text report as TAP comments (for failures). */
void dump_report(const struct mml_report *r);

/* Check ids asserted by this program (expect_*). */
void covered_add(const char *id);
bool covered_has(const char *id);

#endif
