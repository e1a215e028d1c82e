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
/* The same with an array of @n ids. */
void expect_idv(const struct mml_report *r, uint64_t mm, const char **ids,
		size_t n);
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

#define BOTH_FLAGS (FAKE_MMF_OOM_SKIP | FAKE_MMF_UNSTABLE)

struct fork_scn {
	uint64_t parent, child;
	uint64_t *pvmas;           /* free() it */
	size_t n, k;
	struct fake_tree *ctree;
};

/*
 * A parent (pid 100 "parent" + thread 101, mm_users 2) with @n VMAs, and
 * a child whose dup_mmap() failed at VMA @k. With @marker (6.8 - 6.19,
 * __mt_dup): the child's copies below k, XA_ZERO over VMA k, the parent's
 * own VMAs above it. Without (6.1 - 6.7): a consistent prefix of k child
 * VMAs. map_count k; the tree out of RCU mode; flags as given. The child
 * is neither on a task nor on mmlist yet.
 */
void fork_build(struct fake *f, struct fork_scn *s, size_t n, size_t k,
		bool marker, uint64_t flags, unsigned int height);

/* Check ids asserted by this program (expect_*). */
void covered_add(const char *id);
bool covered_has(const char *id);

/* A kernel log from tests/unit/logs/ (run from the top directory), its
 * lines without the "[    5.297873] " timestamps, as the ring buffer
 * reader gives them. Free with free_log(). */
char **load_log(const char *name, size_t *n);
void free_log(char **lines, size_t n);

#endif
