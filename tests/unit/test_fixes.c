// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fix catalogue against the primary sources (lore, stable-review and
 * release mails, CVE records; lib/fixes.c names them), kernel versions,
 * and the verdict logic for each method (symbol, type, state, version) and for the
 * oops correlation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "fixes.h"
#include "oops.h"
#include "verdict.h"

/* ---- the catalogue: a table written by hand from the primary sources ---- */

struct expect_backport {
	const char *branch, *release, *commit;
};

struct expect_fix {
	const char *id;
	const char *commit;       /* the full 40-digit mainline id */
	bool commit_verified;     /* false: §4.V says "probable" */
	const char *title;
	const char *author;
	const char *first_release;
	bool release_verified;    /* false: §4.V says inferred/not re-checked */
	struct expect_backport stable[4];
	const char *source_part;  /* CVE or lore message id §4.V names */
};

static const struct expect_fix facts[] = {
	{ "mt-dup-fork", "d2406291483775ecddaee929231a39c70c08fda2", true,
	  "fork: use __mt_dup() to duplicate maple tree in dup_mmap()",
	  "Peng Zhang", "6.8", false, { { NULL } }, "8ac662f5da19" },
	{ "uprobe-fork", "8ac662f5da19f5873fdd94c48a5cdb45b2e1b58f", true,
	  "fork: avoid inappropriate uprobe access to invalid mm",
	  "Lorenzo Stoakes", "6.13", true, { { "6.12", "6.12.8", NULL } },
	  NULL },
	{ "dup-mmap-careful", "64c37e134b120fb462fb4a80694bfb8e7be77b14", true,
	  "kernel: be more careful about dup_mmap() failures and uprobe "
	  "registering", "Liam R. Howlett", "6.14", true,
	  { { "6.13", "6.13.2", "da139948aeda" },
	    { "6.12", "6.12.83", "74c2471eb891" } },
	  "CVE-2025-21709" },
	{ "swapoff-stable-mm", "1367da7eb875d01102d2ed18654b24d261ff5393", true,
	  "mm: swap: check for stable address space before operating on the "
	  "VMA", "Charan Teja Kalla", "6.18", true,
	  { { "6.17", "6.17.1", NULL }, { "6.12", "6.12.51", NULL } },
	  "CVE-2025-39992" },
	{ "oom-thaw", "59d4d36158ba3cdbce141d8e9261eea154d4c441", false,
	  "mm/oom_kill: thaw the entire OOM victim process", "zhongjinji",
	  "6.18", true, { { NULL } }, NULL },
	{ "oom-reap-reverse", "5e1953dc71af01fae3d6786e073892ef3eebc3d8", false,
	  "mm/oom_kill: the OOM reaper traverses the VMA maple tree in "
	  "reverse order", "zhongjinji", "6.18", true, { { NULL } }, NULL },
	{ "dup-mmap-recovery", "43873af772f8138c5cb4b76dde9c26339e89be3b",
	  true, "mm: change dup_mmap() recovery", "Liam R. Howlett", "7.0",
	  true, { { NULL } }, "eeccf287a2a5" },
	{ "numa-empty-mm", "9c70b2a33cd2aa6a5a59c5523ef053bd42265209", true,
	  "sched/numa: Fix the potential null pointer dereference in "
	  "task_numa_work()", "Shawn Wang", "6.12", true,
	  { { "6.6", "6.6.60", NULL }, { "6.11", "6.11.7", NULL } }, NULL },
	{ "ksm-teardown-race", "6db504ce55bdbc575723938fc480713c9183f6a2", true,
	  "mm/ksm: fix race with VMA iteration and mm_struct teardown",
	  "Liam R. Howlett", "6.3", true, { { "6.1", "6.1.22", NULL } },
	  NULL },
	{ "ksm-fork-counter", "4d6fc29f36341d7795db1d1819b4c15fe9be7b23", true,
	  "mm/ksm: fix incorrect KSM counter handling in mm_struct during fork",
	  "Donet Tom", "6.18", true,
	  { { "6.17", "6.17.4", NULL }, { "6.12", "6.12.54", NULL },
	    { "6.6", "6.6.113", NULL } }, NULL },
	{ "ksm-range-walk", "f5548c318d6520d4fa3c5ed6003eeb710763cbc5", true,
	  "ksm: use range-walk function to jump over holes in "
	  "scan_get_next_rmap_item", "Pedro Demarchi Gomes", "6.18", true,
	  { { "6.12", "6.12.59", NULL }, { "5.10", "5.10.249", NULL } }, NULL },
	{ "bpf-task-vma", "bee9ef4a40a277bf401be43d39ba7f7f063cf39c", true,
	  "bpf: switch task_vma iterator from mmap_lock to per-VMA locks",
	  "Puranjay Mohan", "7.1", false, { { "6.12", "6.12.91", NULL } },
	  NULL },
	{ "uffd-fork-error", "f64e67e5d3a45a4a04286c47afade4b518acd47b", true,
	  "fork: do not invoke uffd on fork if error occurs",
	  "Lorenzo Stoakes", "6.12", true, { { "6.11", "6.11.7", NULL } },
	  "373391951" },
	{ "fork-hooks-error", "985da552a98e27096444508ce5d853244019111f", true,
	  "fork: only invoke khugepaged, ksm hooks if no error",
	  "Lorenzo Stoakes", "6.12", true, { { "6.11", "6.11.7", NULL } },
	  "373391951" },
	/* §4.V: "In 7.0-stable and 6.12-stable reviews", no releases. */
	{ "bpf-task-vma-mm", "d8e27d2d22b6e2df3a0125b8c08e9aace38c954c", true,
	  "bpf: fix mm lifecycle in open-coded task_vma iterator",
	  "Puranjay Mohan", NULL, false,
	  { { "7.0", NULL, NULL }, { "6.12", NULL, NULL } }, NULL },
};

static void check_backports(const struct mml_fix *f,
			    const struct expect_fix *e)
{
	size_t n = 0;
	for (; n < 4 && e->stable[n].branch; n++) {
		const struct mml_fix_backport *b = &f->stable[n];
		assert_non_null(b->branch);
		assert_string_equal(b->branch, e->stable[n].branch);
		if (e->stable[n].release) {
			assert_non_null(b->release);
			assert_string_equal(b->release, e->stable[n].release);
			assert_true(b->verified);
		} else {
			assert_null(b->release);
			assert_false(b->verified);
		}
		if (e->stable[n].commit) {
			assert_non_null(b->commit);
			assert_string_equal(b->commit, e->stable[n].commit);
		}
	}
	if (n < MML_FIX_MAX_BACKPORTS)
		assert_null(f->stable[n].branch);
}

static void test_catalogue_facts(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct mml_fix *f = mml_fixes; f->id; f++)
		n++;
	/* Every entry is in the table: nothing unchecked. */
	assert_int_equal(n, sizeof(facts) / sizeof(facts[0]));
	for (size_t i = 0; i < sizeof(facts) / sizeof(facts[0]); i++) {
		const struct expect_fix *e = &facts[i];
		const struct mml_fix *f = mml_fix_find(e->id);
		assert_non_null(f);
		assert_non_null(f->commit);
		assert_string_equal(f->commit, e->commit);
		/* Found by a 12-digit prefix too. */
		char prefix[13];
		snprintf(prefix, sizeof(prefix), "%s", e->commit);
		assert_ptr_equal(mml_fix_find(prefix), f);
		assert_int_equal(f->commit_verified, e->commit_verified);
		assert_string_equal(f->title, e->title);
		assert_string_equal(f->author, e->author);
		if (e->first_release) {
			assert_non_null(f->first_release);
			assert_string_equal(f->first_release, e->first_release);
		} else {
			assert_null(f->first_release);
		}
		assert_int_equal(f->release_verified, e->release_verified);
		check_backports(f, e);
		assert_non_null(f->source);
		if (e->source_part)
			assert_non_null(strstr(f->source, e->source_part));
		/* What §4.V leaves open is said. */
		if (!e->commit_verified || !e->release_verified ||
		    (e->stable[0].branch && !e->stable[0].release))
			assert_non_null(f->unverified);
	}
	/* The recovery rework's evidence: a static symbol and a type, both
	 * from sibling commits (d6d13e2ad81a, 5b6626a76a81). */
	const struct mml_fix *rw = mml_fix_find("dup-mmap-recovery");
	assert_string_equal(rw->symbol, "tear_down_vmas");
	assert_true(rw->symbol_static);
	assert_true(rw->symbol_of_series);
	assert_string_equal(rw->type, "unmap_desc");
	assert_string_equal(rw->type_commit, "5b6626a76a81");
	assert_string_equal(mml_fix_find("oom-thaw")->symbol, "thaw_process");
	/* The lore messages §4.V names. */
	assert_non_null(strstr(mml_fix_find("dup-mmap-careful")->lore,
			       "20250127170221.1761366-1-Liam.Howlett@oracle.com"));
	assert_non_null(strstr(mml_fix_find("swapoff-stable-mm")->lore,
			       "20250924181138.1762750-1-charan.kalla@oss."
			       "qualcomm.com"));
	/* The pre-merge mm-branch ids are gone. */
	assert_null(mml_fix_find("ff066ce422fa"));
	assert_null(mml_fix_find("725d3b35b1c3"));
	/* The three fixes of the same class carry a symptom. */
	assert_non_null(mml_fix_find("uffd-fork-error")->symptom);
	assert_non_null(mml_fix_find("fork-hooks-error")->symptom);
	assert_non_null(mml_fix_find("bpf-task-vma-mm")->symptom);
	assert_null(mml_fix_find("nonexistent"));
	assert_null(mml_fix_find("64c37e"));   /* too short a prefix */
}

/* Every entry is complete, says what is unverified, and names only
 * finding ids of the check catalogue. */
static void test_catalogue_shape(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct mml_fix *f = mml_fixes; f->id; f++, n++) {
		assert_non_null(f->name);
		assert_non_null(f->title);
		assert_non_null(f->lore);
		assert_non_null(f->what);
		if (!f->commit_verified || !f->release_verified ||
		    !f->lore_verified || !f->author || !f->first_release)
			assert_non_null(f->unverified);
		/* Without a first release, a stable branch to judge by. */
		if (!f->first_release)
			assert_non_null(f->stable[0].branch);
		for (size_t i = 0; i < MML_FIX_MAX_BACKPORTS &&
				   f->stable[i].branch; i++)
			if (!f->stable[i].release)
				assert_false(f->stable[i].verified);
		for (size_t i = 0; i < MML_FIX_MAX_IDS && f->findings[i]; i++)
			assert_ptr_equal(mml_check_find(f->findings[i]->id),
					 f->findings[i]);
		assert_non_null(f->calls[0]);
		for (const struct mml_fix *g = f + 1; g->id; g++)
			assert_string_not_equal(f->id, g->id);
	}
	assert_true(n >= 12);
	/* The catalogue as text (crash's mmlife -l): no missing field shows
	 * as "(null)". */
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	mml_fixes_write_text(out);
	fclose(out);
	assert_null(strstr(buf, "(null)"));
	assert_non_null(strstr(buf, "64c37e134b12"));
	free(buf);
}

/* ---- versions ---- */

static void test_version_parse(void **state)
{
	(void)state;
	struct mml_version v;
	assert_true(mml_version_from_uts("6.12.107+deb13-cloud-amd64", NULL,
					 &v));
	assert_int_equal(v.major, 6);
	assert_int_equal(v.minor, 12);
	assert_int_equal(v.patch, 107);
	assert_true(v.have_patch);
	assert_true(mml_version_from_uts("7.2.12+deb14-cloud-amd64",
					 "#1 SMP PREEMPT_DYNAMIC Debian "
					 "7.2.12-1 (2026-09-01)", &v));
	assert_int_equal(v.major, 7);
	assert_int_equal(v.patch, 12);
	assert_string_equal(v.source, "release");
	/* Debian 6.1: the release hides the patch level, the version has
	 * it. */
	assert_true(mml_version_from_uts("6.1.0-50-cloud-amd64",
					 "#1 SMP PREEMPT_DYNAMIC Debian "
					 "6.1.192-2 (2026-06-01)", &v));
	assert_int_equal(v.minor, 1);
	assert_int_equal(v.patch, 192);
	assert_true(v.have_patch);
	assert_string_equal(v.source, "Debian package version");
	assert_true(mml_version_from_uts("6.1.0-50-cloud-amd64", "#1 SMP",
					 &v));
	assert_false(v.have_patch);
	assert_true(v.patch_hidden);
	assert_true(mml_version_from_uts("6.8.0-51-generic",
					 "#52-Ubuntu SMP PREEMPT_DYNAMIC", &v));
	assert_false(v.have_patch);
	assert_true(mml_version_parse("6.6.30", &v));
	assert_true(v.have_patch);
	assert_true(mml_version_parse("7.0", &v));
	assert_false(v.have_patch);
	assert_false(mml_version_parse("", &v));
	assert_false(mml_version_parse("linux", &v));
	assert_false(mml_version_parse("6", &v));
	assert_false(mml_version_parse(NULL, &v));
	assert_false(mml_version_from_uts(NULL, NULL, &v));
}

static enum mml_presence by_version(const char *fix, const char *release)
{
	struct mml_version v;
	char why[256];
	assert_true(mml_version_from_uts(release, NULL, &v));
	return mml_fix_by_version(mml_fix_find(fix), &v, why, sizeof(why));
}

static void test_by_version(void **state)
{
	(void)state;
	const char *f = "dup-mmap-careful";
	assert_int_equal(by_version(f, "6.12.82"), MML_PRESENCE_ABSENT);
	assert_int_equal(by_version(f, "6.12.83"), MML_PRESENCE_PRESENT);
	assert_int_equal(by_version(f, "6.12.107+deb13-cloud-amd64"),
			 MML_PRESENCE_PRESENT);
	assert_int_equal(by_version(f, "6.13.1"), MML_PRESENCE_ABSENT);
	assert_int_equal(by_version(f, "6.13.2"), MML_PRESENCE_PRESENT);
	assert_int_equal(by_version(f, "6.14.0"), MML_PRESENCE_PRESENT);
	assert_int_equal(by_version(f, "7.2.12"), MML_PRESENCE_PRESENT);
	assert_int_equal(by_version(f, "6.7.5"), MML_PRESENCE_NOT_NEEDED);
	assert_int_equal(by_version(f, "6.1.0-50-cloud-amd64"),
			 MML_PRESENCE_NOT_NEEDED);
	assert_int_equal(by_version(f, "6.12.0-1-amd64"),
			 MML_PRESENCE_UNKNOWN);
	assert_int_equal(by_version("swapoff-stable-mm", "6.12.50"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("swapoff-stable-mm", "6.12.51"),
			 MML_PRESENCE_PRESENT);
	assert_int_equal(by_version("uprobe-fork", "6.12.7"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("uprobe-fork", "6.12.8"),
			 MML_PRESENCE_PRESENT);
	assert_int_equal(by_version("numa-empty-mm", "6.6.59"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("numa-empty-mm", "6.6.60"),
			 MML_PRESENCE_PRESENT);
	/* A backport seen in a stable review whose release is unknown. */
	assert_int_equal(by_version("bpf-task-vma-mm", "6.12.100"),
			 MML_PRESENCE_UNKNOWN);
	assert_int_equal(by_version("numa-empty-mm", "6.2.1"),
			 MML_PRESENCE_NOT_NEEDED);
	assert_int_equal(by_version("numa-empty-mm", "6.12.1"),
			 MML_PRESENCE_PRESENT);
	assert_int_equal(by_version("dup-mmap-recovery", "6.19.3"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("dup-mmap-recovery", "7.0.1"),
			 MML_PRESENCE_PRESENT);
	/* Only a stable release known. */
	assert_int_equal(by_version("bpf-task-vma", "6.12.91"),
			 MML_PRESENCE_PRESENT);
	assert_int_equal(by_version("bpf-task-vma", "6.12.90"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("bpf-task-vma", "6.6.90"),
			 MML_PRESENCE_ABSENT);
	assert_int_equal(by_version("ksm-range-walk", "6.12.59"),
			 MML_PRESENCE_PRESENT);
}

/* ---- verdicts ---- */

struct syms {
	const char *names[8];
};

static bool sym_lookup(void *arg, const char *name, uint64_t *ret)
{
	struct syms *s = arg;
	for (size_t i = 0; i < 8 && s->names[i]; i++) {
		if (!strcmp(s->names[i], name)) {
			*ret = 0xffffffff81000000ULL + i;
			return true;
		}
	}
	return false;
}

struct verdicts {
	struct mml_verdict *v;
	size_t n;
};

/* The OOM report build() passes (NULL: none). */
const struct mml_oops *test_oom;
/* build(): the scan looked at one pid or mm only. */
static bool test_limited;
/* build(): the types were not asked (no struct unmap_desc answer). */
static bool test_no_types;
/* build(): the log's other WARNINGs. */
static struct mml_oops *test_warnings;
static size_t test_nwarnings;

static struct verdicts build(const struct mml_report *r, struct syms *syms,
			     uint64_t unmap_desc, const char *release,
			     struct mml_oops *oops)
{
	struct mml_version version;
	extern const struct mml_oops *test_oom;
	struct verdict_input in = {
		.oom = test_oom,
		.report = r,
		.symbol = syms ? sym_lookup : NULL,
		.symbol_arg = syms,
		.symbols_usable = syms != NULL,
		.types_usable = !test_no_types,
		.unmap_desc_size = unmap_desc,
		.version = release && mml_version_from_uts(release, NULL,
							   &version)
				   ? &version : NULL,
		.oops = oops,
		.warnings = test_warnings,
		.nwarnings = test_nwarnings,
		.limited = test_limited,
	};
	struct verdicts out = { 0 };
	struct mml_error *err = mml_verdicts_build(&in, &out.v, &out.n);
	assert_null(err);
	return out;
}

static void verdicts_free(struct verdicts *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		mml_verdict_free(&vs->v[i]);
	free(vs->v);
}

static const struct mml_verdict *find_v(const struct verdicts *vs,
					const char *problem, const char *fix)
{
	for (size_t i = 0; i < vs->n; i++)
		if (!strcmp(vs->v[i].problem, problem) &&
		    ((!fix && !vs->v[i].fix) ||
		     (fix && vs->v[i].fix && !strcmp(vs->v[i].fix->id, fix))))
			return &vs->v[i];
	return NULL;
}

static const struct mml_verdict *expect_v(const struct verdicts *vs,
					  const char *problem, const char *fix,
					  enum mml_presence p,
					  enum mml_method m, bool certain)
{
	const struct mml_verdict *v = find_v(vs, problem, fix);
	if (!v)
		fail_msg("no verdict %s / %s", problem, fix ? fix : "-");
	assert_int_equal(v->presence, p);
	assert_int_equal(v->method, m);
	assert_int_equal(v->certain, certain);
	return v;
}

static struct mml_report *empty_report(void)
{
	struct mml_report *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	return r;
}

/* Symbol first: tear_down_vmas means the 7.0 recovery. */
static void test_posture_symbol(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct syms s = { { "init_task", "__mt_dup", "tear_down_vmas",
			    "thaw_process" } };
	struct verdicts vs = build(r, &s, MML_ABSENT, "7.2.12", NULL);
	const struct mml_verdict *v = expect_v(
		&vs, "fork-recovery", "dup-mmap-recovery",
		MML_PRESENCE_PRESENT, MML_METHOD_SYMBOL, false);
	assert_string_equal(v->method_detail,
			    "symbol tear_down_vmas, same series");
	expect_v(&vs, "fork-recovery", "oom-thaw", MML_PRESENCE_PRESENT,
		 MML_METHOD_SYMBOL, true);
	/* The rework makes the XA_ZERO-era fixes moot. */
	assert_null(find_v(&vs, "fork-recovery", "dup-mmap-careful"));
	verdicts_free(&vs);
	free(r);
}

/* Type next: struct unmap_desc, no symbol table. */
static void test_posture_type(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct verdicts vs = build(r, NULL, 48, NULL, NULL);
	const struct mml_verdict *v = expect_v(
		&vs, "fork-recovery", "dup-mmap-recovery",
		MML_PRESENCE_PRESENT, MML_METHOD_TYPE, false);
	assert_string_equal(v->method_detail,
			    "type struct unmap_desc, from 5b6626a76a81 of the "
			    "same series");
	verdicts_free(&vs);
	free(r);
}

/* 6.1: no __mt_dup, so no XA_ZERO is possible. */
static void test_posture_61(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct syms s = { { "init_task", "init_mm" } };
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.1.192", NULL);
	const struct mml_verdict *v = expect_v(&vs, "fork-recovery",
					       "mt-dup-fork",
					       MML_PRESENCE_ABSENT,
					       MML_METHOD_SYMBOL, true);
	assert_non_null(strstr(v->what, "No XA_ZERO possible"));
	assert_int_equal(vs.n, 1);
	verdicts_free(&vs);
	free(r);
}

/* 6.12 without symbols of the fixes: absence of the symbol, then the
 * version (never certain). */
static void test_posture_version(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct syms s = { { "init_task", "__mt_dup" } };
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.50", NULL);
	expect_v(&vs, "fork-recovery", "dup-mmap-recovery",
		 MML_PRESENCE_ABSENT, MML_METHOD_TYPE, false);
	expect_v(&vs, "fork-recovery", "dup-mmap-careful",
		 MML_PRESENCE_ABSENT, MML_METHOD_VERSION, false);
	expect_v(&vs, "fork-recovery", "swapoff-stable-mm",
		 MML_PRESENCE_ABSENT, MML_METHOD_VERSION, false);
	expect_v(&vs, "fork-recovery", "uprobe-fork", MML_PRESENCE_PRESENT,
		 MML_METHOD_VERSION, false);
	expect_v(&vs, "fork-recovery", "oom-thaw", MML_PRESENCE_ABSENT,
		 MML_METHOD_SYMBOL, false);
	const struct mml_verdict *v = find_v(&vs, "fork-recovery",
					     "dup-mmap-careful");
	assert_non_null(strstr(v->method_detail, "by version only"));
	verdicts_free(&vs);
	free(r);
	/* The types lack struct unmap_desc on a 7.1.3: the type decides,
	 * and says it contradicts the version. */
	r = empty_report();
	vs = build(r, &s, MML_ABSENT, "7.1.3", NULL);
	v = expect_v(&vs, "fork-recovery", "dup-mmap-recovery",
		     MML_PRESENCE_ABSENT, MML_METHOD_TYPE, false);
	assert_true(v->contradicts_version);
	assert_non_null(strstr(v->method_detail, "no type struct unmap_desc"));
	assert_non_null(strstr(v->method_detail, "contradicts the version "
				"(7.1.3 >= 7.0)"));
	verdicts_free(&vs);
	free(r);
	/* Nothing to decide by at all. */
	r = empty_report();
	vs = build(r, NULL, MML_ABSENT, NULL, NULL);
	expect_v(&vs, "fork-recovery", "dup-mmap-careful",
		 MML_PRESENCE_UNKNOWN, MML_METHOD_NONE, false);
	verdicts_free(&vs);
	free(r);
}

/* tear_down_vmas is static: without it and without types, the version
 * decides and the verdict says the symbol's absence decides nothing. */
static void test_static_symbol(void **state)
{
	(void)state;
	struct syms s = { { "init_task", "__mt_dup", "thaw_process" } };
	test_no_types = true;
	struct mml_report *r = empty_report();
	struct verdicts vs = build(r, &s, MML_ABSENT, "7.1.3", NULL);
	const struct mml_verdict *v = expect_v(
		&vs, "fork-recovery", "dup-mmap-recovery",
		MML_PRESENCE_PRESENT, MML_METHOD_VERSION, false);
	assert_non_null(strstr(v->method_detail, "no symbol tear_down_vmas, "
				"which is static"));
	assert_false(v->contradicts_version);
	verdicts_free(&vs);
	/* Before 7.0 the version says absent, still not the symbol. */
	vs = build(r, &s, MML_ABSENT, "6.19.2", NULL);
	expect_v(&vs, "fork-recovery", "dup-mmap-recovery",
		 MML_PRESENCE_ABSENT, MML_METHOD_VERSION, false);
	verdicts_free(&vs);
	/* A global symbol's absence does decide (thaw_process, 6.18+), and
	 * says it contradicts the version. */
	struct syms s2 = { { "init_task", "__mt_dup" } };
	vs = build(r, &s2, MML_ABSENT, "6.18.3", NULL);
	v = expect_v(&vs, "fork-recovery", "oom-thaw", MML_PRESENCE_ABSENT,
		     MML_METHOD_SYMBOL, false);
	assert_true(v->contradicts_version);
	assert_non_null(strstr(v->method_detail, "no symbol thaw_process, "
				"which contradicts the version (6.18.3 >= "
				"6.18)"));
	verdicts_free(&vs);
	test_no_types = false;
	free(r);
}

/* A vendor 6.6 kernel that carries __mt_dup() and the flag fixes (Deepin
 * did): the dump's state and symbols win over the version, which says
 * "not needed", and the verdicts say they contradict it. */
static void test_vendor_backport(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	fork_build(f, &scn, 40, 17, true, BOTH_FLAGS, 2);
	fake_mmlist_add(f, scn.child);
	struct mml_scan_options o = { .mmlist = true };
	struct mml_report *r = scan_fake(f, &o, NULL);
	struct syms s = { { "init_task", "__mt_dup" } };
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.6.30", NULL);
	const struct mml_verdict *v = expect_v(
		&vs, "failed-fork-marker", "dup-mmap-careful",
		MML_PRESENCE_PRESENT, MML_METHOD_STATE, true);
	assert_true(v->contradicts_version);
	assert_non_null(strstr(v->method_detail, "flags set, which "
				"contradicts the version (6.6 < 6.8"));
	/* No state for the swapoff fix: not "not needed", but unknown,
	 * because __mt_dup() is there. */
	v = expect_v(&vs, "failed-fork-marker", "swapoff-stable-mm",
		     MML_PRESENCE_UNKNOWN, MML_METHOD_VERSION, false);
	assert_true(v->contradicts_version);
	assert_non_null(strstr(v->method_detail, "has __mt_dup()"));
	/* The rework: no struct unmap_desc, and the marker. */
	expect_v(&vs, "failed-fork-marker", "dup-mmap-recovery",
		 MML_PRESENCE_ABSENT, MML_METHOD_STATE, true);
	verdicts_free(&vs);
	/* A stock 6.6 without __mt_dup: "not needed" stands. */
	struct syms s66 = { { "init_task" } };
	struct mml_report *e = empty_report();
	vs = build(e, &s66, MML_ABSENT, "6.6.30", NULL);
	v = find_v(&vs, "fork-recovery", "mt-dup-fork");
	assert_non_null(v);
	assert_int_equal(v->presence, MML_PRESENCE_ABSENT);
	verdicts_free(&vs);
	free(e);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* A failed fork on a fake 6.12: the state decides 64c37e134b12. */
static struct mml_report *failed_fork(struct fake *f, uint64_t flags,
				      bool mmlist, struct fork_scn *s)
{
	fork_build(f, s, 40, 17, true, flags, 2);
	if (mmlist)
		fake_mmlist_add(f, s->child);
	struct mml_scan_options o = { .mm = mmlist ? 0 : s->child,
				      .mmlist = true };
	return scan_fake(f, &o, NULL);
}

/* 985da552a98e: the fork hooks' flags on a failed child say the kernel
 * ran ksm_fork()/khugepaged_fork() on an error; without them, nothing. */
static void test_state_fork_hooks(void **state)
{
	(void)state;
	struct syms s = { { "init_task", "__mt_dup" } };
	for (int hooked = 0; hooked < 2; hooked++) {
		struct fake *f = fake_new(FAKE_V66);
		struct fork_scn scn;
		uint64_t flags = hooked ? (1ULL << 16) : 0;
		struct mml_report *r = failed_fork(f, flags, false, &scn);
		struct verdicts vs = build(r, &s, MML_ABSENT, "6.11.2", NULL);
		if (hooked)
			expect_v(&vs, "failed-fork-marker", "fork-hooks-error",
				 MML_PRESENCE_ABSENT, MML_METHOD_STATE, false);
		else
			expect_v(&vs, "failed-fork-marker", "fork-hooks-error",
				 MML_PRESENCE_ABSENT, MML_METHOD_VERSION,
				 false);
		/* uffd: by version (6.11.2 < 6.11.7), no symbol asked. */
		expect_v(&vs, "failed-fork-marker", "uffd-fork-error",
			 MML_PRESENCE_ABSENT, MML_METHOD_VERSION, false);
		verdicts_free(&vs);
		mml_report_destroy(r);
		free(scn.pvmas);
		fake_free(f);
	}
}

static void test_state_flags(void **state)
{
	(void)state;
	struct syms s = { { "init_task", "__mt_dup" } };
	for (int set = 0; set < 2; set++) {
		struct fake *f = fake_new(FAKE_V66);
		struct fork_scn scn;
		struct mml_report *r = failed_fork(f, set ? BOTH_FLAGS : 0,
						   false, &scn);
		struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.50", NULL);
		const struct mml_verdict *v = expect_v(
			&vs, "failed-fork-marker", "dup-mmap-careful",
			set ? MML_PRESENCE_PRESENT : MML_PRESENCE_ABSENT,
			MML_METHOD_STATE, true);
		/* 6.12.50 < 6.12.83: flags set contradict the version (a
		 * vendor backport); the state wins and says so. */
		assert_string_equal(v->method_detail,
				    set ? "flags set, which contradicts the "
					  "version (6.12.50 < 6.12.83, the "
					  "6.12.y backport)"
					: "flags not set");
		assert_int_equal(v->contradicts_version, set);
		assert_int_equal(v->mm, scn.child);
		assert_null(strstr(v->evidence, "The log shows"));
		/* The marker itself says the rework is not there. */
		expect_v(&vs, "failed-fork-marker", "dup-mmap-recovery",
			 MML_PRESENCE_ABSENT, MML_METHOD_STATE, true);
		/* Judged once: not repeated in the posture. */
		assert_null(find_v(&vs, "fork-recovery", "dup-mmap-careful"));
		verdicts_free(&vs);
		mml_report_destroy(r);
		free(scn.pvmas);
		fake_free(f);
	}
	/* An OOM report in the fork path joins the evidence. */
	{
		struct fake *f = fake_new(FAKE_V66);
		struct fork_scn scn;
		struct mml_report *r = failed_fork(f, BOTH_FLAGS, false, &scn);
		char *trace[] = { "dump_stack_lvl", "mem_cgroup_out_of_memory",
				  "kmem_cache_alloc_noprof", "vm_area_dup",
				  "copy_process", "kernel_clone",
				  "__do_sys_clone" };
		struct mml_oops oom = { .found = true, .kind = "oom",
					.trace = trace, .ntrace = 7,
					.pid = 100, .cpu = 0 };
		strcpy(oom.comm, "parent");
		test_oom = &oom;
		struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.50", NULL);
		test_oom = NULL;
		const struct mml_verdict *v = find_v(&vs, "failed-fork-marker",
						     "dup-mmap-careful");
		assert_non_null(v);
		assert_non_null(strstr(v->evidence,
				       "The log shows the allocation that "
				       "failed: pid 100 (parent) hit a memory "
				       "cgroup's OOM killer in vm_area_dup <- "
				       "copy_process <- kernel_clone."));
		verdicts_free(&vs);
		/* Not in the fork path: nothing said. */
		oom.ntrace = 3;
		test_oom = &oom;
		vs = build(r, &s, MML_ABSENT, "6.12.50", NULL);
		test_oom = NULL;
		v = find_v(&vs, "failed-fork-marker", "dup-mmap-careful");
		assert_null(strstr(v->evidence, "The log shows"));
		verdicts_free(&vs);
		mml_report_destroy(r);
		free(scn.pvmas);
		fake_free(f);
	}
	/* One flag only: not certain either way. */
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	struct mml_report *r = failed_fork(f, FAKE_MMF_UNSTABLE, false, &scn);
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.50", NULL);
	expect_v(&vs, "failed-fork-marker", "dup-mmap-careful",
		 MML_PRESENCE_UNKNOWN, MML_METHOD_STATE, false);
	verdicts_free(&vs);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* 7.0+: an empty tree with both flags and no task. */
static void test_state_torn_down(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V72);
	uint64_t mm = fake_mm_new(f);
	fake_mm_set_users(f, mm, 0);
	fake_mm_set_map_count(f, mm, 1748);
	fake_mm_set_flags(f, mm, BOTH_FLAGS);
	fake_tree_set_flags(f, fake_mm_tree(f, mm), 0x301);
	struct mml_scan_options o = { .mm = mm, .mmlist = true };
	struct mml_report *r = scan_fake(f, &o, NULL);
	struct verdicts vs = build(r, NULL, 72, NULL, NULL);
	expect_v(&vs, "failed-fork-torn-down", "dup-mmap-recovery",
		 MML_PRESENCE_PRESENT, MML_METHOD_STATE, false);
	verdicts_free(&vs);
	/* Types without struct unmap_desc: a 6.8 - 6.19 child after
	 * exit_mmap() looks the same; the types decide. */
	vs = build(r, NULL, MML_ABSENT, NULL, NULL);
	expect_v(&vs, "failed-fork-torn-down", "dup-mmap-recovery",
		 MML_PRESENCE_ABSENT, MML_METHOD_TYPE, false);
	verdicts_free(&vs);
	/* With the symbol: certain, and the posture follows that verdict
	 * (the XA_ZERO-era fixes are moot). */
	struct syms s = { { "init_task", "__mt_dup", "tear_down_vmas" } };
	vs = build(r, &s, 72, "7.2.12", NULL);
	expect_v(&vs, "failed-fork-torn-down", "dup-mmap-recovery",
		 MML_PRESENCE_PRESENT, MML_METHOD_STATE, false);
	assert_null(find_v(&vs, "fork-recovery", "dup-mmap-careful"));
	assert_null(find_v(&vs, "fork-recovery", "dup-mmap-recovery"));
	const struct mml_verdict *p = find_v(&vs, "fork-recovery", "oom-thaw");
	assert_non_null(p);
	assert_non_null(strstr(p->what, "torn down at once"));
	verdicts_free(&vs);
	mml_report_destroy(r);
	fake_free(f);
}

/* A prefix left by a failed fork (hand-built report: an orphan-fork
 * finding on an mm with VMAs, no marker, no foreign VMA). */
static void test_state_prefix(void **state)
{
	(void)state;
	struct mml_mm mm = { .addr = 0xffff888001000000ULL, .readable = true,
			     .map_count = 40, .ma_root = 0xffff88800200001eULL,
			     .sources = MML_SOURCE_SLAB };
	mm.tree.walked = mm.tree.complete = true;
	mm.tree.vmas = 40;
	mm.facts.failed_fork = true;
	struct mml_finding fi = { .check = mml_check_find("orphan-fork"),
				  .mm = mm.addr };
	struct mml_report r = { .mms = &mm, .nmms = 1, .findings = &fi,
				.nfindings = 1 };
	/* 6.1: no __mt_dup. The posture says nothing more. */
	struct syms s61 = { { "init_task" } };
	struct verdicts vs = build(&r, &s61, MML_ABSENT, "6.1.176", NULL);
	expect_v(&vs, "failed-fork-prefix", "mt-dup-fork", MML_PRESENCE_ABSENT,
		 MML_METHOD_SYMBOL, false);
	assert_null(find_v(&vs, "failed-fork-prefix", "dup-mmap-careful"));
	assert_int_equal(vs.n, 1);
	verdicts_free(&vs);
	/* 6.12 (no marker: the copy failed on the last VMA): MMF_UNSTABLE
	 * is the trace of 64c37e134b12, not certain. */
	struct syms s612 = { { "init_task", "__mt_dup" } };
	mm.flags = FAKE_MMF_UNSTABLE;
	vs = build(&r, &s612, MML_ABSENT, "6.12.107", NULL);
	expect_v(&vs, "failed-fork-prefix", "mt-dup-fork",
		 MML_PRESENCE_PRESENT, MML_METHOD_SYMBOL, true);
	expect_v(&vs, "failed-fork-prefix", "dup-mmap-careful",
		 MML_PRESENCE_PRESENT, MML_METHOD_STATE, false);
	verdicts_free(&vs);
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);
	assert_non_null(d);
	return d;
}

static void oops_set(struct mml_oops *o, const char *rip, const char **trace,
		     size_t n, uint64_t addr)
{
	memset(o, 0, sizeof(*o));
	o->found = true;
	o->kind = "oops";
	o->message = xstrdup("BUG: unable to handle page fault for address: "
			     "0000000000000446");
	o->rip_function = xstrdup(rip);
	o->rip = xstrdup("0010:x+0x1/0x2");
	o->have_fault_address = true;
	o->fault_address = addr;
	o->trace = calloc(n + 1, sizeof(*o->trace));
	assert_non_null(o->trace);
	for (size_t i = 0; i < n; i++)
		o->trace[i] = xstrdup(trace[i]);
	o->ntrace = n;
	o->pid = 300;
	o->cpu = 0;
	strcpy(o->comm, "swapoff");
}

/* An oops in unuse_vma and an mm on init_mm.mmlist holding XA_ZERO on a
 * kernel before 6.12.51: matches 1367da7eb875, which it lacks. */
static void test_oops_swapoff(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	struct mml_report *r = failed_fork(f, 0, true, &scn);
	struct syms s = { { "init_task", "__mt_dup" } };
	struct mml_oops o;
	const char *trace[] = { "unuse_mm", "try_to_unuse",
				"__do_sys_swapoff" };
	oops_set(&o, "unuse_vma", trace, 3, 0x446);
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.40", &o);
	const struct mml_verdict *v = expect_v(&vs, "oops",
					       "swapoff-stable-mm",
					       MML_PRESENCE_ABSENT,
					       MML_METHOD_VERSION, false);
	assert_non_null(v->note);
	assert_non_null(strstr(v->note, "matches 1367da7eb875"));
	assert_non_null(strstr(v->note, "init_mm.mmlist"));
	assert_non_null(strstr(v->note, "this kernel lacks it"));
	assert_string_equal(v->match, "state");
	assert_non_null(strstr(v->evidence, "XA_ZERO_ENTRY + 0x40"));
	assert_non_null(o.correlation);
	assert_non_null(strstr(o.correlation, "1367da7eb875"));
	/* The oops paragraph comes first. */
	assert_string_equal(vs.v[0].problem, "oops");
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* The arm64 swapoff oops as 1367da7eb875 quotes it (logs/README: the
 * "Unable to handle kernel NULL pointer dereference at virtual address
 * 0000000000000446" head, no pc, no trace) next to a failed fork's
 * XA_ZERO marker: the oops verdict names the fault address as the
 * marker's; no fix is matched without a call path. */
static void test_oops_swapoff_arm64(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	struct mml_report *r = failed_fork(f, 0, true, &scn);
	struct syms s = { { "init_task", "__mt_dup" } };
	size_t n;
	char **lines = load_log("arm64-swapoff-oops.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_int_equal(o.fault_address, 0x446);
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.40", &o);
	/* No pc and no trace: no call path to match a fix by, but the
	 * fault address is the marker's. */
	const struct mml_verdict *v = find_v(&vs, "oops", NULL);
	assert_non_null(v);
	assert_non_null(strstr(v->what, "Unable to handle kernel NULL "
				"pointer dereference at virtual address "
				"0000000000000446"));
	assert_non_null(strstr(v->evidence, "pc not given"));
	assert_non_null(strstr(v->evidence, "XA_ZERO_ENTRY + 0x40"));
	assert_non_null(o.correlation);
	assert_non_null(strstr(o.correlation, "no catalogued call path"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	free_log(lines, n);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* The real arm64 swapoff oops (vmcores/arm64-6.12-swapoff-oops's log):
 * try_to_unuse() is inlined into __arm64_sys_swapoff, the pc's function
 * and the trace's first frame; the catalogue names __x64_sys_swapoff,
 * the same syscall's entry: the oops matches 1367da7eb875 by its pc, on
 * a kernel whose version says it has the fix. */
static void test_oops_swapoff_arm64_real(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	struct mml_report *r = failed_fork(f, BOTH_FLAGS, true, &scn);
	struct syms s = { { "init_task", "__mt_dup" } };
	size_t n;
	char **lines = load_log("arm64-6.12-swapoff-oops.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.107", &o);
	const struct mml_verdict *v = expect_v(&vs, "oops",
					       "swapoff-stable-mm",
					       MML_PRESENCE_PRESENT,
					       MML_METHOD_VERSION, false);
	assert_non_null(strstr(v->note, "matches 1367da7eb875 "
				       "(__arm64_sys_swapoff in the pc)"));
	assert_non_null(strstr(v->evidence, "XA_ZERO_ENTRY + 0x68"));
	assert_non_null(strstr(v->note, "check that this build carries it"));
	assert_non_null(o.correlation);
	assert_non_null(strstr(o.correlation, "1367da7eb875"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	free_log(lines, n);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* The same oops on a kernel whose version says it has 1367da7eb875 (the
 * 6.12-swapoff-oops fixture), with the failed child flagged MMF_UNSTABLE:
 * the verdict keeps "by version" and says the two disagree. */
static void test_oops_swapoff_fixed_version(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	struct mml_report *r = failed_fork(f, BOTH_FLAGS, true, &scn);
	struct syms s = { { "init_task", "__mt_dup" } };
	struct mml_oops o;
	const char *trace[] = { "__do_sys_swapoff", "do_syscall_64" };
	oops_set(&o, "try_to_unuse", trace, 2, 0x47e);
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.107", &o);
	const struct mml_verdict *v = expect_v(&vs, "oops",
					       "swapoff-stable-mm",
					       MML_PRESENCE_PRESENT,
					       MML_METHOD_VERSION, false);
	assert_non_null(strstr(v->note, "matches 1367da7eb875 (try_to_unuse "
				       "in the RIP)"));
	assert_non_null(strstr(v->note, "by version this kernel has it"));
	assert_non_null(strstr(v->note, "MMF_UNSTABLE set, which the fixed "
				       "code skips"));
	assert_non_null(strstr(v->note, "check that this build carries it"));
	assert_null(strstr(v->note, "this kernel lacks it"));
	verdicts_free(&vs);
	/* Without the flag there is nothing to contradict. */
	mml_oops_deinit(&o);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
	f = fake_new(FAKE_V66);
	r = failed_fork(f, 0, true, &scn);
	oops_set(&o, "try_to_unuse", trace, 2, 0x47e);
	vs = build(r, &s, MML_ABSENT, "6.12.107", &o);
	v = expect_v(&vs, "oops", "swapoff-stable-mm", MML_PRESENCE_PRESENT,
		     MML_METHOD_VERSION, false);
	assert_null(strstr(v->note, "MMF_UNSTABLE"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

/* An oops in task_numa_work with an empty live mm: 9c70b2a33cd2. */
static void test_oops_numa(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	uint64_t mm = fake_mm_new(f);
	fake_task_new(f, 500, 500, "emptymm", mm, 0);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	struct mml_oops o;
	const char *trace[] = { "task_work_run", "irqentry_exit_to_user_mode" };
	oops_set(&o, "task_numa_work", trace, 2, 8);
	struct verdicts vs = build(r, NULL, MML_ABSENT, "6.6.10", &o);
	const struct mml_verdict *v = expect_v(&vs, "oops", "numa-empty-mm",
					       MML_PRESENCE_ABSENT,
					       MML_METHOD_VERSION, false);
	assert_non_null(strstr(v->note, "matches 9c70b2a33cd2"));
	assert_non_null(strstr(v->note, "empty-live-mm"));
	expect_v(&vs, "empty-live-mm", "numa-empty-mm", MML_PRESENCE_ABSENT,
		 MML_METHOD_VERSION, false);
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	mml_report_destroy(r);
	fake_free(f);
}

/* A WARNING is not an oops: alone in the log it gives no "oops" verdict,
 * and a verdict only where its call path meets a fix; with a panic in the
 * log the verdict is the oops that led to it. Real logs (logs/README). */
static void test_warning_not_oops(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct syms s = { { "init_task", "__mt_dup" } };
	size_t n;
	char **lines = load_log("x86-exc-debug-warning.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_string_equal(o.kind, "warning");
	struct verdicts vs = build(r, &s, MML_ABSENT, "6.12.107", &o);
	for (size_t i = 0; i < vs.n; i++) {
		assert_string_not_equal(vs.v[i].problem, "oops");
		assert_string_not_equal(vs.v[i].problem, "warning");
	}
	assert_non_null(o.correlation);
	assert_non_null(strstr(o.correlation, "a WARNING, not an oops"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);

	/* A WARNING in exit_mmap (7.x's VM_WARN_ON_ONCE after a teardown):
	 * its call path meets the recovery rework, named as a warning. */
	const char *const warn[] = {
		"WARNING: CPU: 0 PID: 1 at mm/mmap.c:1283 exit_mmap+0x1/0x2",
		"CPU: 0 PID: 1 Comm: init Not tainted 7.2.12 #1",
		"RIP: 0010:exit_mmap+0x2e0/0x300",
	};
	assert_true(mml_oops_parse(warn, 3, &o));
	vs = build(r, &s, MML_ABSENT, "7.2.12", &o);
	const struct mml_verdict *v = find_v(&vs, "warning",
					     "dup-mmap-recovery");
	assert_non_null(v);
	assert_non_null(strstr(v->what, "a WARNING, not an oops"));
	assert_null(find_v(&vs, "oops", "dup-mmap-recovery"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);

	/* The WARNING first, then the swapoff oops and the panic. */
	size_t np;
	char **p = load_log("6.12-swapoff-oops.log", &np);
	const char **all = calloc(n + np, sizeof(*all));
	assert_non_null(all);
	for (size_t i = 0; i < n; i++)
		all[i] = lines[i];
	for (size_t i = 0; i < np; i++)
		all[n + i] = p[i];
	assert_true(mml_oops_parse(all, n + np, &o));
	assert_true(mml_warnings_parse(all, n + np, &o, &test_warnings,
				       &test_nwarnings));
	assert_int_equal(test_nwarnings, 1);
	vs = build(r, &s, MML_ABSENT, "6.12.107", &o);
	v = find_v(&vs, "oops", "swapoff-stable-mm");
	assert_non_null(v);
	assert_string_equal(v->title, "kernel oops");
	assert_non_null(strstr(v->what, "BUG: kernel NULL pointer "
				"dereference"));
	assert_non_null(strstr(v->what, "Fatal exception"));
	for (size_t i = 0; i < vs.n; i++)
		assert_string_not_equal(vs.v[i].problem, "warning");
	verdicts_free(&vs);
	for (size_t i = 0; i < test_nwarnings; i++)
		mml_oops_deinit(&test_warnings[i]);
	free(test_warnings);
	test_warnings = NULL;
	test_nwarnings = 0;
	mml_oops_deinit(&o);
	free(all);
	free_log(p, np);
	free_log(lines, n);
	free(r);
}

/* sysrq-c: no correlation; an unknown call path: none either. */
static void test_oops_none(void **state)
{
	(void)state;
	struct mml_report *r = empty_report();
	struct mml_oops o;
	const char *trace[] = { "panic", "sysrq_handle_crash" };
	oops_set(&o, "memcpy", trace, 2, 0);
	o.sysrq = true;
	struct verdicts vs = build(r, NULL, MML_ABSENT, "6.12.107", &o);
	const struct mml_verdict *v = find_v(&vs, "sysrq-crash", NULL);
	assert_non_null(v);
	assert_null(v->fix);
	assert_non_null(strstr(o.correlation, "none"));
	assert_null(find_v(&vs, "oops", "swapoff-stable-mm"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	const char *t2[] = { "do_something", "other_thing" };
	oops_set(&o, "ext4_foo", t2, 2, 0x10);
	vs = build(r, NULL, MML_ABSENT, "6.12.107", &o);
	v = find_v(&vs, "oops", NULL);
	assert_non_null(v);
	assert_non_null(strstr(o.correlation, "no catalogued call path"));
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	/* A swapoff oops and no state: the whole dump shows none, a scan
	 * limited to one pid or mm cannot say so. */
	const char *t3[] = { "__do_sys_swapoff", "do_syscall_64" };
	for (int limited = 0; limited < 2; limited++) {
		test_limited = limited;
		oops_set(&o, "try_to_unuse", t3, 2, 0x46e);
		vs = build(r, NULL, MML_ABSENT, "6.12.107", &o);
		v = find_v(&vs, "oops", "swapoff-stable-mm");
		assert_non_null(v);
		assert_non_null(strstr(v->note, limited
			? "the mms this limited scan looked at show none"
			: "but the dump shows none of the states"));
		assert_non_null(strstr(v->note, "though the fault address "
					       "is a read through XA_ZERO"));
		assert_string_equal(v->match, "address");
		verdicts_free(&vs);
		mml_oops_deinit(&o);
	}
	/* The same call path, a NULL dereference: another bug, most likely. */
	oops_set(&o, "try_to_unuse", t3, 2, 0x8);
	vs = build(r, NULL, MML_ABSENT, "6.12.107", &o);
	v = find_v(&vs, "oops", "swapoff-stable-mm");
	assert_non_null(v);
	assert_non_null(strstr(v->note, "only the call path matches"));
	assert_string_equal(v->match, "call-path");
	verdicts_free(&vs);
	mml_oops_deinit(&o);
	test_limited = false;
	free(r);
}

static void test_call_match(void **state)
{
	(void)state;
	assert_true(mml_fix_call_matches("__handle_sysrq.cold",
					 "__handle_sysrq"));
	assert_true(mml_fix_call_matches("unuse_vma.isra.0", "unuse_vma"));
	assert_true(mml_fix_call_matches("unuse_vma", "unuse_vma"));
	assert_false(mml_fix_call_matches("unuse_vmas", "unuse_vma"));
	assert_false(mml_fix_call_matches("unuse", "unuse_vma"));
	/* A syscall's entry on arm64 is the catalogue's x86-64 one. */
	assert_true(mml_fix_call_matches("__arm64_sys_swapoff",
					 "__x64_sys_swapoff"));
	assert_true(mml_fix_call_matches("__arm64_sys_swapoff.cold",
					 "__x64_sys_swapoff"));
	assert_true(mml_fix_call_matches("__x64_sys_swapoff",
					 "__arm64_sys_swapoff"));
	assert_false(mml_fix_call_matches("__arm64_sys_swapon",
					  "__x64_sys_swapoff"));
	assert_false(mml_fix_call_matches("__arm64_sys_swapoffx",
					  "__x64_sys_swapoff"));
	assert_false(mml_fix_call_matches("__arm64_sys_swapoff",
					  "__do_sys_swapoff"));
	assert_false(mml_fix_call_matches("__arm64_sys_", "__x64_sys_"));
}

/* The whole scan on a fake: verdicts are in the report and freed with
 * it; the text and JSON renderers take them. */
static void test_scan_report(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn scn;
	fake_add_symbol(f, "__mt_dup", 0xffffffff81200000ULL);
	struct mml_report *r = failed_fork(f, BOTH_FLAGS, true, &scn);
	assert_true(r->nverdicts > 0);
	bool found = false;
	for (size_t i = 0; i < r->nverdicts; i++)
		if (!strcmp(r->verdicts[i].problem, "failed-fork-marker") &&
		    r->verdicts[i].fix &&
		    !strcmp(r->verdicts[i].fix->id, "dup-mmap-careful")) {
			found = true;
			assert_int_equal(r->verdicts[i].presence,
					 MML_PRESENCE_PRESENT);
		}
	assert_true(found);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	mml_report_write_text(r, NULL, out);
	assert_null(mml_report_write_json(r, out));
	fclose(out);
	assert_non_null(strstr(buf, "\nVerdict\n"));
	assert_non_null(strstr(buf, "(64c37e134b12): present (flags set)"));
	assert_non_null(strstr(buf, "\"verdicts\": ["));
	assert_non_null(strstr(buf, "\"method\": \"state\""));
	assert_true(strstr(buf, "Verdict") < strstr(buf, "Findings"));
	free(buf);
	mml_report_destroy(r);
	free(scn.pvmas);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_facts),
		cmocka_unit_test(test_catalogue_shape),
		cmocka_unit_test(test_version_parse),
		cmocka_unit_test(test_by_version),
		cmocka_unit_test(test_posture_symbol),
		cmocka_unit_test(test_posture_type),
		cmocka_unit_test(test_posture_61),
		cmocka_unit_test(test_posture_version),
		cmocka_unit_test(test_static_symbol),
		cmocka_unit_test(test_vendor_backport),
		cmocka_unit_test(test_state_flags),
		cmocka_unit_test(test_state_fork_hooks),
		cmocka_unit_test(test_state_torn_down),
		cmocka_unit_test(test_state_prefix),
		cmocka_unit_test(test_oops_swapoff),
		cmocka_unit_test(test_oops_swapoff_fixed_version),
		cmocka_unit_test(test_oops_swapoff_arm64_real),
		cmocka_unit_test(test_oops_swapoff_arm64),
		cmocka_unit_test(test_oops_numa),
		cmocka_unit_test(test_oops_none),
		cmocka_unit_test(test_warning_not_oops),
		cmocka_unit_test(test_call_match),
		cmocka_unit_test(test_scan_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
