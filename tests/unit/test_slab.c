// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The deep scan's slab walker (lib/slab.c) on fake SLUB caches in the
 * shapes of 6.12 (cpu slab, partial list, full slabs only in the memmap)
 * and 7.2 (sheaves), with hardened freelists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "slab_fake.h"
#include "util.h"

static bool has_mm(const struct mml_report *r, uint64_t mm)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].addr == mm)
			return true;
	return false;
}

/* No orphan finding anywhere (task mms here have empty trees, so
 * empty-live-mm is expected and not looked at). */
static void expect_no_orphans(const struct mml_report *r)
{
	expect_no_finding(r, "orphan-fork", ANY_MM);
	expect_no_finding(r, "orphan-held", ANY_MM);
	expect_no_finding(r, "orphan-leaked", ANY_MM);
	expect_no_finding(r, "slab-freelist", ANY_MM);
}

/* 6.12: allocated objects on a cpu slab, a partial slab and a full slab
 * (memmap only) are found; objects on slab and cpu freelists are not. */
static void test_slab_612(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	uint64_t cpu = slab_fake_new_slab(&s, 4);
	uint64_t part = slab_fake_new_slab(&s, 4);
	uint64_t full = slab_fake_new_slab(&s, 3);
	uint64_t live = slab_fake_obj(&s, cpu, 0);
	slab_fake_mm(&s, live, 1, 1, 0, 0);
	fake_task_new(f, 100, 100, "live", live, 0);
	/* cpu slab: object 1 free on the cpu freelist, 2 on the slab's. */
	slab_fake_link(&s, slab_fake_obj(&s, cpu, 1), 0);
	slab_fake_cpu_slab(&s, cpu, slab_fake_obj(&s, cpu, 1));
	uint64_t fl[] = { slab_fake_obj(&s, cpu, 2) };
	slab_fake_freelist(&s, cpu, fl, 1);
	uint64_t orphan = slab_fake_obj(&s, cpu, 3);
	slab_fake_mm(&s, orphan, 0, 1, 7, BOTH_FLAGS);
	/* partial slab: objects 0, 1, 3 free, 2 held by lazy TLB. */
	uint64_t pfl[] = { slab_fake_obj(&s, part, 3), slab_fake_obj(&s, part, 0),
			   slab_fake_obj(&s, part, 1) };
	slab_fake_freelist(&s, part, pfl, 3);
	slab_fake_partial(&s, part);
	uint64_t held = slab_fake_obj(&s, part, 2);
	slab_fake_mm(&s, held, 0, 1, 0, FAKE_MMF_OOM_SKIP);
	/* full slab: no list, all three allocated. */
	for (unsigned i = 0; i < 3; i++)
		slab_fake_mm(&s, slab_fake_obj(&s, full, i), 1, 1, 0, 0);
	fake_task_new(f, 200, 200, "a", slab_fake_obj(&s, full, 0), 0);
	fake_task_new(f, 201, 201, "b", slab_fake_obj(&s, full, 1), 0);
	uint64_t leaked = slab_fake_obj(&s, full, 2);

	struct mml_report *r = slab_fake_scan(&s);
	if (r->counts.slab_objects != 6)
		dump_report(r);
	assert_int_equal(r->counts.slab_objects, 6);
	assert_true(r->counts.slab_pages > 0);
	assert_int_equal(r->nerrors, 0);
	assert_true(has_mm(r, live) && has_mm(r, orphan) && has_mm(r, held) &&
		    has_mm(r, leaked));
	assert_true(report_mm(r, live)->sources & MML_SOURCE_SLAB);
	assert_false(has_mm(r, slab_fake_obj(&s, cpu, 1)));
	assert_false(has_mm(r, slab_fake_obj(&s, cpu, 2)));
	assert_false(has_mm(r, slab_fake_obj(&s, part, 0)));
	const struct mml_finding *o = expect_finding(r, "orphan-fork", orphan);
	assert_string_equal(expect_evidence(o, "found_by")->str,
			    "mm_struct slab");
	expect_ids(r, held, "orphan-held", NULL);
	expect_ids(r, leaked, "orphan-leaked", NULL);
	expect_ids(r, live, "empty-live-mm", NULL);
	mml_report_destroy(r);
	fake_free(f);
}

/* 7.2: objects in the cpu main sheaf and in a barn sheaf are free. */
static void test_slab_72_sheaves(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V72);
	struct slab_fake s;
	slab_fake_init(&s, f, true);
	uint64_t a = slab_fake_new_slab(&s, 4);
	for (unsigned i = 0; i < 4; i++)
		slab_fake_mm(&s, slab_fake_obj(&s, a, i), 1, 1, 0, 0);
	fake_task_new(f, 100, 100, "x", slab_fake_obj(&s, a, 0), 0);
	uint64_t m[] = { slab_fake_obj(&s, a, 1) };
	uint64_t b[] = { slab_fake_obj(&s, a, 2) };
	slab_fake_sheaf(&s, false, m, 1);
	slab_fake_sheaf(&s, true, b, 1);
	uint64_t fl[] = { slab_fake_obj(&s, a, 3) };
	slab_fake_freelist(&s, a, fl, 1);
	struct mml_report *r = slab_fake_scan(&s);
	assert_int_equal(r->counts.slab_objects, 1);
	assert_true(has_mm(r, slab_fake_obj(&s, a, 0)));
	assert_false(has_mm(r, m[0]));
	assert_false(has_mm(r, b[0]));
	expect_no_orphans(r);
	mml_report_destroy(r);
	fake_free(f);
}

/* A freelist that loops or leaves its slab ends, with a finding. */
static void test_slab_bad_freelist(void **state)
{
	(void)state;
	for (int kind = 0; kind < 2; kind++) {
		struct fake *f = fake_new(FAKE_V66);
		struct slab_fake s;
		slab_fake_init(&s, f, false);
		uint64_t a = slab_fake_new_slab(&s, 4);
		for (unsigned i = 0; i < 4; i++)
			slab_fake_mm(&s, slab_fake_obj(&s, a, i), 1, 1, 0, 0);
		for (unsigned i = 0; i < 4; i++)
			fake_task_new(f, 100 + i, 100 + i, "t",
				      slab_fake_obj(&s, a, i), 0);
		uint64_t o1 = slab_fake_obj(&s, a, 1), o2 = slab_fake_obj(&s, a, 2);
		fake_write_u64(f, a + s.layout.slab_freelist, o1);
		slab_fake_link(&s, o1, o2);
		slab_fake_link(&s, o2, kind ? o1 : FAKE_UNMAPPED);
		struct mml_report *r = slab_fake_scan(&s);
		expect_finding(r, "slab-freelist", 0);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* Without the slab types the source is unavailable: a report error. */
static void test_slab_unavailable(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V61);
	uint64_t mm = fake_mm_new(f);
	fake_task_new(f, 100, 100, "x", mm, 0);
	struct mml_scan_options opts = { .mmlist = true, .deep = true };
	struct mml_report *r = scan_fake(f, &opts, NULL);
	assert_int_equal(r->nerrors, 1);
	assert_non_null(strstr(r->errors[0], "slab not walked"));
	assert_int_equal(r->counts.slab_objects, 0);
	expect_no_orphans(r);
	mml_report_destroy(r);
	fake_free(f);
}

/*
 * arm64 (lib/memmap.c): the struct pages at VMEMMAP_START - (PHYS_OFFSET
 * >> PAGE_SHIFT) * sizeof(struct page), the objects in the linear map at
 * PAGE_OFFSET - PHYS_OFFSET + phys, with a PHYS_OFFSET below 0 as a 52-bit
 * kernel on a 48-bit CPU has it; a full slab is found only through the
 * memmap, searched from min_low_pfn.
 */
static void slab_arm64(bool symbol_vmemmap)
{
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init_arm64(&s, f, symbol_vmemmap);
	uint64_t cpu = slab_fake_new_slab(&s, 2);
	uint64_t full = slab_fake_new_slab(&s, 2);
	uint64_t live = slab_fake_obj(&s, cpu, 0);
	slab_fake_mm(&s, live, 1, 1, 0, 0);
	fake_task_new(f, 100, 100, "live", live, 0);
	uint64_t fl[] = { slab_fake_obj(&s, cpu, 1) };
	slab_fake_freelist(&s, cpu, fl, 1);
	slab_fake_cpu_slab(&s, cpu, 0);
	for (unsigned i = 0; i < 2; i++)
		slab_fake_mm(&s, slab_fake_obj(&s, full, i), 1, 1, 0, 0);
	fake_task_new(f, 200, 200, "a", slab_fake_obj(&s, full, 0), 0);
	uint64_t leaked = slab_fake_obj(&s, full, 1);
	assert_true(cpu >= s.vmemmap + s.min_low_pfn * 64);

	struct mml_report *r = slab_fake_scan(&s);
	if (r->counts.slab_objects != 3)
		dump_report(r);
	assert_int_equal(r->nerrors, 0);
	assert_int_equal(r->counts.slab_objects, 3);
	assert_true(has_mm(r, live) && has_mm(r, leaked));
	assert_false(has_mm(r, slab_fake_obj(&s, cpu, 1)));
	expect_ids(r, leaked, "orphan-leaked", NULL);
	mml_report_destroy(r);
	fake_free(f);
}

static void test_slab_arm64(void **state)
{
	(void)state;
	slab_arm64(false);
}

/* The same with vmemmap's own value in VMCOREINFO (SYMBOL(vmemmap), the
 * kernels since its addition to kernel/crash_core.c in 2023). */
static void test_slab_arm64_symbol_vmemmap(void **state)
{
	(void)state;
	slab_arm64(true);
}

/* arm64 without NUMBER(VA_BITS) in VMCOREINFO (or without VMCOREINFO, as
 * in crash): the slab walk says so, never reads x86_64's memmap. */
static void test_slab_arm64_no_vmcoreinfo(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	fake_set_arch(f, MML_ARCH_AARCH64);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	uint64_t cpu = slab_fake_new_slab(&s, 1);
	uint64_t live = slab_fake_obj(&s, cpu, 0);
	slab_fake_mm(&s, live, 1, 1, 0, 0);
	fake_task_new(f, 100, 100, "live", live, 0);
	slab_fake_cpu_slab(&s, cpu, 0);
	struct mml_scan_options opts = { .mmlist = true, .deep = true };
	struct mml_report *r = slab_fake_scan_opts(&s, &opts);
	assert_int_equal(r->nerrors, 1);
	assert_non_null(strstr(r->errors[0], "slab not walked"));
	assert_non_null(strstr(r->errors[0], "NUMBER(VA_BITS)"));
	assert_int_equal(r->counts.slab_objects, 0);
	mml_report_destroy(r);
	fake_free(f);
}

/* 6.1: PG_slab in page->flags, slab_cache at +24, the cpu partial chain
 * through slab->next, a red zone left of each object, and a memmap at a
 * KASLR'd vmemmap_base. */
static void test_slab_61(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V61);
	struct slab_fake s;
	slab_fake_init_shape(&s, f, SLAB_FAKE_61, 0xffffd40000000000ULL, 64);
	uint64_t p1 = slab_fake_new_slab(&s, 2), p2 = slab_fake_new_slab(&s, 2);
	uint64_t a = slab_fake_obj(&s, p1, 1), b = slab_fake_obj(&s, p2, 0);
	slab_fake_mm(&s, a, 0, 1, 0, FAKE_MMF_OOM_SKIP);
	slab_fake_mm(&s, b, 0, 2, 0, FAKE_MMF_OOM_SKIP);
	uint64_t f1[] = { slab_fake_obj(&s, p1, 0) };
	uint64_t f2[] = { slab_fake_obj(&s, p2, 1) };
	slab_fake_freelist(&s, p1, f1, 1);
	slab_fake_freelist(&s, p2, f2, 1);
	uint64_t chain[] = { p1, p2 };
	slab_fake_cpu_partial(&s, chain, 2);
	struct mml_report *r = slab_fake_scan(&s);
	if (r->counts.slab_objects != 2)
		dump_report(r);
	assert_int_equal(r->counts.slab_objects, 2);
	assert_true(has_mm(r, a) && has_mm(r, b));
	assert_false(has_mm(r, f1[0]) || has_mm(r, f2[0]));
	expect_ids(r, a, "orphan-held", NULL);
	expect_ids(r, b, "orphan-held", NULL);
	mml_report_destroy(r);
	fake_free(f);
}

/* A slab whose object pages the dump lacks: skipped, one finding. */
static void test_slab_excluded(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	fake_set_isolate(f, true);
	uint64_t ok = slab_fake_new_slab(&s, 2);
	uint64_t gone = slab_fake_new_slab(&s, 2);
	fake_set_isolate(f, false);
	for (unsigned i = 0; i < 2; i++) {
		slab_fake_mm(&s, slab_fake_obj(&s, ok, i), 0, 1, 0,
			     FAKE_MMF_OOM_SKIP);
		slab_fake_mm(&s, slab_fake_obj(&s, gone, i), 0, 1, 0, 0);
	}
	fake_exclude_page(f, slab_fake_obj(&s, gone, 0));
	fake_exclude_page(f, slab_fake_obj(&s, gone, 1));
	struct mml_report *r = slab_fake_scan(&s);
	assert_int_equal(r->counts.slab_objects, 2);
	/* The dump's loss, folded into dump-incomplete with its cause. */
	expect_no_finding(r, "unreadable", ANY_MM);
	const struct mml_finding *u = expect_finding(r, "dump-incomplete", 0);
	assert_int_equal(expect_evidence(u, "lost_slab_pages")->u, 1);
	assert_non_null(strstr(expect_evidence(u, "likely_cause")->str,
			       "makedumpfile"));
	assert_false(has_mm(r, slab_fake_obj(&s, gone, 0)));
	mml_report_destroy(r);
	fake_free(f);
}

/* 6.1 - 6.7: a failed fork leaves a consistent prefix, no marker, no
 * flags. It is told from a normally exiting fork child by binfmt, which
 * dup_mm()'s failure path clears; the parent is the task mm with the same
 * exec image. */
static void test_slab_prefix_fork(void **state)
{
	(void)state;
	for (int failed = 0; failed < 2; failed++) {
		struct fake *f = fake_new(FAKE_V61);
		struct slab_fake s;
		slab_fake_init_shape(&s, f, SLAB_FAKE_61, SLAB_FAKE_VMEMMAP, 0);
		uint64_t sl = slab_fake_new_slab(&s, 2);
		uint64_t parent = slab_fake_obj(&s, sl, 0);
		uint64_t child = slab_fake_obj(&s, sl, 1);
		slab_fake_mm(&s, parent, 1, 1, 0, 0);
		slab_fake_mm(&s, child, 0, 1, 0, 0);
		fake_mm_populate(f, parent, 6, NULL, NULL);
		struct fake_tree_opts no_rcu = { .no_rcu = true };
		fake_mm_populate(f, child, 3, &no_rcu, NULL);
		slab_fake_image(&s, parent, 0x7ffd00000000ULL, 0xffffffff82c00000ULL);
		slab_fake_image(&s, child, 0x7ffd00000000ULL,
				failed ? 0 : 0xffffffff82c00000ULL);
		fake_task_new(f, 100, 100, "forker", parent, 0);
		struct mml_report *r = slab_fake_scan(&s);
		if (failed) {
			const struct mml_finding *o =
				expect_finding(r, "orphan-fork", child);
			assert_int_equal(expect_evidence(o, "parent_mm")->u,
					 parent);
			assert_string_equal(
				expect_evidence(o, "parent_tasks")->str,
				"100 forker");
		} else {
			expect_ids(r, child, "orphan-held", NULL);
		}
		expect_no_finding(r, "orphan-fork", parent);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* A torn-down failed fork on kernels that change under mmlife: MMF_OOM_SKIP
 * alone (MMF_UNSTABLE dropped on failed forks), no flag at all (the
 * __mt_dup()-failure path), no flag with map_count left behind, and both
 * flags: each is a failed fork by binfmt (cleared by dup_mm()'s failure
 * path) and the parent's exec image. A legitimate exit_mmap() teardown
 * (MMF_OOM_SKIP, binfmt kept) and a failed exec's bprm->mm (binfmt NULL,
 * no image of any task) stay silent. */
static void test_slab_torn_shapes(void **state)
{
	(void)state;
	static const struct {
		const char *what;
		uint64_t flags;
		int32_t map_count;
		bool binfmt, image, fork;
		const char *summary;
	} cases[] = {
		{ "MMF_OOM_SKIP alone", FAKE_MMF_OOM_SKIP, 4, false, true, true,
		  "MMF_OOM_SKIP alone" },
		{ "no flag, map_count 0", 0, 0, false, true, true,
		  "neither MMF flag" },
		{ "no flag, map_count left", 0, 4, false, true, true,
		  "neither MMF flag" },
		{ "both flags", BOTH_FLAGS, 4, false, true, true,
		  "MMF_OOM_SKIP and MMF_UNSTABLE" },
		{ "exit_mmap() teardown", FAKE_MMF_OOM_SKIP, 4, true, true,
		  false, NULL },
		{ "exit_mmap() teardown, no map_count", FAKE_MMF_OOM_SKIP, 0,
		  true, true, false, NULL },
		{ "failed exec's bprm->mm", FAKE_MMF_OOM_SKIP, 1, false, false,
		  false, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake *f = fake_new(FAKE_V72);
		struct slab_fake s;
		slab_fake_init(&s, f, true);
		uint64_t sl = slab_fake_new_slab(&s, 2);
		uint64_t parent = slab_fake_obj(&s, sl, 0);
		uint64_t child = slab_fake_obj(&s, sl, 1);
		slab_fake_mm(&s, parent, 1, 1, 0, 0);
		slab_fake_mm(&s, child, 0, 1, cases[i].map_count,
			     cases[i].flags);
		fake_mm_populate(f, parent, 6, NULL, NULL);
		slab_fake_image(&s, parent, 0x7ffd00000000ULL,
				0xffffffff82c00000ULL);
		slab_fake_image(&s, child,
				cases[i].image ? 0x7ffd00000000ULL
					       : 0x7ffe00000000ULL,
				cases[i].binfmt ? 0xffffffff82c00000ULL : 0);
		fake_task_new(f, 100, 100, "forker", parent, 0);
		struct mml_report *r = slab_fake_scan(&s);
		print_message("# %s\n", cases[i].what);
		if (cases[i].fork) {
			const struct mml_finding *o =
				expect_finding(r, "orphan-fork", child);
			assert_non_null(strstr(o->summary, cases[i].summary));
			assert_int_equal(expect_evidence(o, "map_count")->i,
					 cases[i].map_count);
			assert_int_equal(expect_evidence(o, "parent_mm")->u,
					 parent);
			bool torn = false;
			for (size_t j = 0; j < r->nverdicts; j++)
				torn |= !strcmp(r->verdicts[j].problem,
						"failed-fork-torn-down") &&
					r->verdicts[j].mm == child;
			assert_true(torn);
		} else {
			expect_no_finding(r, "orphan-fork", child);
			for (size_t j = 0; j < r->nverdicts; j++)
				assert_string_not_equal(r->verdicts[j].problem,
							"failed-fork-torn-down");
		}
		expect_no_finding(r, "orphan-fork", parent);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* An mm held by the lazy-TLB active_mm of a CPU's idle task, which is on
 * no task list but on its runqueue: the holder is named. */
static void test_slab_lazy_idle(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	const struct mml_layout *l = &s.layout;
	uint64_t sl = slab_fake_new_slab(&s, 1);
	uint64_t held = slab_fake_obj(&s, sl, 0);
	slab_fake_mm(&s, held, 0, 1, 4, FAKE_MMF_OOM_SKIP);
	uint64_t idle = fake_alloc(f, l->task_struct_size, 64);
	fake_write_u32(f, idle + l->task_pid, 0);
	fake_write_u32(f, idle + l->task_flags, FAKE_PF_KTHREAD);
	fake_write_bytes(f, idle + l->task_comm, "swapper/1", 10);
	fake_write_u64(f, idle + l->task_active_mm, held);
	uint64_t rq = fake_alloc(f, 64, 64);
	fake_write_u64(f, rq + l->rq_idle, idle);
	fake_add_symbol(f, "runqueues", rq);
	struct mml_report *r = slab_fake_scan(&s);
	const struct mml_finding *h = expect_finding(r, "orphan-held", held);
	assert_string_equal(expect_evidence(h, "lazy_tlb_tasks")->str,
			    "0 swapper/1");
	/* Known from the idle task's active_mm, so no path counts it new;
	 * the discovery line still accounts for it. */
	assert_int_equal(r->discovery[MML_PATH_SLAB_LISTS].mms, 0);
	assert_int_equal(r->counts.mms, 1);
	assert_int_equal(r->discovery_known, 1);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	mml_report_write_text(r, NULL, out);
	fclose(out);
	assert_non_null(strstr(text, "slab-lists +0, memmap +0 (+1 known as "
				     "a lazy-TLB active_mm or text_poke's "
				     "mm)\n"));
	free(text);
	json_t *root = NULL;
	assert_null(mml_report_json_create(r, &root));
	json_t *known = json_object_get(json_object_get(root, "discovery"),
					"known");
	assert_true(json_is_integer(known));
	assert_int_equal(json_integer_value(known), 1);
	json_decref(root);
	mml_report_destroy(r);
	fake_free(f);
}

/* A slab object the walk takes as allocated but that __mmdrop() freed
 * (mm_count 0, a torn-down failed fork's leftovers): no finding. */
static void test_slab_freed_lookalike(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V72);
	struct slab_fake s;
	slab_fake_init(&s, f, true);
	uint64_t sl = slab_fake_new_slab(&s, 1);
	uint64_t gone = slab_fake_obj(&s, sl, 0);
	slab_fake_mm(&s, gone, 0, 0, 9, BOTH_FLAGS);
	struct mml_report *r = slab_fake_scan(&s);
	assert_int_equal(r->counts.slab_objects, 1);
	expect_ids(r, gone, NULL);
	mml_report_destroy(r);
	fake_free(f);
}

/* The default run: a failed fork's child alone on a full slab (on no
 * list) is found through the memmap, because the node's counters hold an
 * object nothing else accounts for; --fast does not look; a legitimately
 * held mm is silent unless --deep. */
static void test_default_finds_full_slab_orphan(void **state)
{
	(void)state;
	for (int sheaves = 0; sheaves < 2; sheaves++) {
		struct fake *f = fake_new(sheaves ? FAKE_V72 : FAKE_V66);
		struct slab_fake s;
		slab_fake_init(&s, f, sheaves);
		uint64_t part = slab_fake_new_slab(&s, 2);
		uint64_t full = slab_fake_new_slab(&s, 2);
		uint64_t live = slab_fake_obj(&s, part, 0);
		slab_fake_mm(&s, live, 1, 1, 0, 0);
		fake_task_new(f, 100, 100, "live", live, 0);
		uint64_t pfl[] = { slab_fake_obj(&s, part, 1) };
		slab_fake_freelist(&s, part, pfl, 1);
		slab_fake_partial(&s, part);
		uint64_t task_mm = slab_fake_obj(&s, full, 0);
		slab_fake_mm(&s, task_mm, 1, 1, 0, 0);
		fake_task_new(f, 101, 101, "t", task_mm, 0);
		uint64_t orphan = slab_fake_obj(&s, full, 1);
		slab_fake_mm(&s, orphan, 0, 1, 7, BOTH_FLAGS);

		struct mml_scan_options def = { .mmlist = true };
		struct mml_report *r = slab_fake_scan_opts(&s, &def);
		assert_string_equal(r->discovery_mode, "default");
		assert_true(r->discovery[MML_PATH_MEMMAP].ran);
		assert_int_equal(r->discovery[MML_PATH_MEMMAP].mms, 1);
		assert_non_null(strstr(r->discovery[MML_PATH_MEMMAP].note,
				       "1 allocated objects"));
		expect_finding(r, "orphan-fork", orphan);
		mml_report_destroy(r);

		struct mml_scan_options fast = { .mmlist = true, .fast = true };
		r = slab_fake_scan_opts(&s, &fast);
		assert_false(has_mm(r, orphan));
		assert_false(r->discovery[MML_PATH_SLAB_LISTS].ran);
		assert_false(r->discovery[MML_PATH_MEMMAP].ran);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* Every allocated object accounted for (tasks' mms on the full slab):
 * the memmap is not read, and the report says why. */
static void test_default_skips_memmap_when_accounted(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	uint64_t full = slab_fake_new_slab(&s, 2);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t mm = slab_fake_obj(&s, full, i);
		slab_fake_mm(&s, mm, 1, 1, 0, 0);
		fake_task_new(f, 100 + i, 100 + i, "t", mm, 0);
	}
	struct mml_scan_options def = { .mmlist = true };
	struct mml_report *r = slab_fake_scan_opts(&s, &def);
	assert_true(r->discovery[MML_PATH_SLAB_LISTS].ran);
	assert_false(r->discovery[MML_PATH_MEMMAP].ran);
	assert_non_null(strstr(r->discovery[MML_PATH_MEMMAP].note,
			       "not needed"));
	assert_int_equal(r->nerrors, 0);
	expect_no_orphans(r);
	mml_report_destroy(r);
	/* The same kernel without the counters: the memmap is searched. */
	fake_write_u64(f, s.node + s.layout.kcn_total_objects, 0);
	struct mml_layout l = s.layout;
	s.layout.kcn_total_objects = MML_ABSENT;
	r = slab_fake_scan_opts(&s, &def);
	assert_true(r->discovery[MML_PATH_MEMMAP].ran);
	assert_non_null(strstr(r->discovery[MML_PATH_MEMMAP].note,
			       "no slab counters"));
	mml_report_destroy(r);
	s.layout = l;
	fake_free(f);
}

/* An exited mm kept by a lazy-TLB reference is the kernel's normal
 * state: silent by default, orphan-held (info) with --deep. */
static void test_default_held_is_silent(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	uint64_t part = slab_fake_new_slab(&s, 2);
	uint64_t held = slab_fake_obj(&s, part, 0);
	slab_fake_mm(&s, held, 0, 1, 3, FAKE_MMF_OOM_SKIP);
	uint64_t pfl[] = { slab_fake_obj(&s, part, 1) };
	slab_fake_freelist(&s, part, pfl, 1);
	slab_fake_partial(&s, part);
	struct mml_scan_options def = { .mmlist = true };
	struct mml_report *r = slab_fake_scan_opts(&s, &def);
	assert_true(has_mm(r, held));
	expect_no_finding(r, "orphan-held", ANY_MM);
	mml_report_destroy(r);
	r = slab_fake_scan(&s);
	expect_ids(r, held, "orphan-held", NULL);
	mml_report_destroy(r);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slab_612),
		cmocka_unit_test(test_slab_72_sheaves),
		cmocka_unit_test(test_slab_bad_freelist),
		cmocka_unit_test(test_slab_unavailable),
		cmocka_unit_test(test_slab_61),
		cmocka_unit_test(test_slab_arm64),
		cmocka_unit_test(test_slab_arm64_symbol_vmemmap),
		cmocka_unit_test(test_slab_arm64_no_vmcoreinfo),
		cmocka_unit_test(test_slab_excluded),
		cmocka_unit_test(test_slab_prefix_fork),
		cmocka_unit_test(test_slab_torn_shapes),
		cmocka_unit_test(test_slab_lazy_idle),
		cmocka_unit_test(test_slab_freed_lookalike),
		cmocka_unit_test(test_default_finds_full_slab_orphan),
		cmocka_unit_test(test_default_skips_memmap_when_accounted),
		cmocka_unit_test(test_default_held_is_silent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
