// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Failed forks as the kernel leaves them (kernel/fork.c dup_mmap() and
 * dup_mm() failure paths; lib/fixes.c names the commits) and the
 * legitimate states that look like them but must give no finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void check_failed_fork(enum fake_variant v, size_t n, size_t k,
			      uint64_t flags, unsigned int height,
			      bool child_task)
{
	struct fake *f = fake_new(v);
	struct fork_scn s;
	fork_build(f, &s, n, k, true, flags, height);
	if (child_task)
		/* Only a vmcore taken at the exact moment shows this. */
		fake_task_new(f, 200, 200, "child", s.child, 0);
	else
		fake_mmlist_add(f, s.child);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	expect_ids(r, s.parent, NULL);

	bool stale = k + 1 < n;
	bool mismatch = (flags & BOTH_FLAGS) != BOTH_FLAGS;
	const char *ids[8];
	size_t nids = 0;
	ids[nids++] = "xa-zero";
	if (stale)
		ids[nids++] = "stale-vma";
	if (mismatch)
		ids[nids++] = "flags-mismatch";
	/* The child's tree is out of RCU mode while the parent's is in. */
	ids[nids++] = child_task ? "no-rcu" : "orphan-fork";
	expect_idv(r, s.child, ids, nids);

	const struct mml_finding *x = expect_finding(r, "xa-zero", s.child);
	const struct mml_evidence *ev = expect_evidence(x, "range");
	uint64_t start = 0x400000 + k * 0x10000;
	assert_int_equal(ev->range.first, start);
	assert_int_equal(ev->range.last, start + 0x3000 - 1);
	assert_int_equal(expect_evidence(x, "markers")->u, 1);
	assert_int_equal(expect_evidence(x, "child_vmas")->u, k);
	assert_int_equal(expect_evidence(x, "entries_after_marker")->u,
			 n - k - 1);
	assert_int_equal(expect_evidence(x, "flags")->u, flags);
	if (k)
		assert_int_equal(expect_evidence(x, "last_child_vma_range")
					 ->range.last,
				 start - 0x10000 + 0x3000 - 1);
	else
		assert_null(find_evidence(x, "last_child_vma"));

	if (stale) {
		const struct mml_finding *sv =
			expect_finding(r, "stale-vma", s.child);
		assert_int_equal(expect_evidence(sv, "other_mm")->u, s.parent);
		assert_int_equal(expect_evidence(sv, "count")->u, n - k - 1);
		assert_int_equal(expect_evidence(sv, "first_vma")->u,
				 s.pvmas[k + 1]);
		assert_true(expect_evidence(sv, "after_xa_zero")->b);
		const char *tasks = expect_evidence(sv, "other_mm_tasks")->str;
		assert_non_null(strstr(tasks, "100 parent"));
		assert_non_null(strstr(tasks, "101 parent-thr"));
		assert_non_null(strstr(sv->summary, "parent"));
	}
	if (mismatch) {
		const struct mml_finding *fm =
			expect_finding(r, "flags-mismatch", s.child);
		assert_int_equal(expect_evidence(fm, "MMF_OOM_SKIP")->b,
				 !!(flags & FAKE_MMF_OOM_SKIP));
		assert_int_equal(expect_evidence(fm, "MMF_UNSTABLE")->b,
				 !!(flags & FAKE_MMF_UNSTABLE));
	}
	if (!child_task) {
		const struct mml_finding *of =
			expect_finding(r, "orphan-fork", s.child);
		assert_string_equal(expect_evidence(of, "found_by")->str,
				    "init_mm.mmlist");
		assert_int_equal(expect_evidence(of, "map_count")->i, k);
		if (stale)
			assert_int_equal(expect_evidence(of, "parent_mm")->u,
					 s.parent);
		const struct mml_mm *m = report_mm(r, s.child);
		assert_int_equal(m->sources, MML_SOURCE_MMLIST);
		assert_int_equal(m->ntasks, 0);
		assert_int_equal(m->tree.xa_zero, 1);
		assert_int_equal(m->tree.vmas, k);
		assert_int_equal(m->tree.foreign, n - k - 1);
		assert_false(m->tree.rcu);
	}
	mml_report_destroy(r);
	free(s.pvmas);
	fake_free(f);
}

/* XA_ZERO first, in the middle and last, with and without the flags of
 * 64c37e134b12, in every layout and at several heights. */
static void test_xa_zero_positions(void **state)
{
	(void)state;
	static const uint64_t flag_sets[] = {
		0, BOTH_FLAGS, FAKE_MMF_OOM_SKIP, FAKE_MMF_UNSTABLE,
		BOTH_FLAGS | 0x8d,   /* dumpable bits and the like */
	};
	static const struct {
		size_t n;
		unsigned int height;
	} sizes[] = { { 6, 1 }, { 40, 2 }, { 150, 3 } };
	for (int v = 0; v < FAKE_NVARIANTS; v++)
		for (size_t z = 0; z < 3; z++)
			for (size_t fl = 0; fl < 5; fl++) {
				size_t n = sizes[z].n;
				size_t ks[] = { 0, n / 2, n - 1 };
				for (int ki = 0; ki < 3; ki++)
					check_failed_fork(v, n, ks[ki],
							  flag_sets[fl],
							  sizes[z].height,
							  false);
			}
}

static void test_xa_zero_with_task(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		check_failed_fork(v, 10, 4, 0, 2, true);
		check_failed_fork(v, 10, 4, BOTH_FLAGS, 2, true);
	}
}

/* Two markers (a second failed fork over the same child, or a torn
 * write): both ranges are in the evidence. */
static void test_two_markers(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 30, 10, true, BOTH_FLAGS, 2);
		int leaf = fake_tree_leaf_of(s.ctree, 0x400000 + 20 * 0x10000);
		const struct fake_node *n = &s.ctree->nodes[leaf];
		for (unsigned int i = 0; i < n->nslots; i++)
			if (fake_node_get_slot(f, s.ctree, leaf, i) ==
			    s.pvmas[20])
				fake_node_set_slot(f, s.ctree, leaf, i,
						   FAKE_XA_ZERO);
		fake_mmlist_add(f, s.child);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, s.child, "xa-zero", "stale-vma", "orphan-fork",
			   NULL);
		const struct mml_finding *x =
			expect_finding(r, "xa-zero", s.child);
		assert_int_equal(expect_evidence(x, "markers")->u, 2);
		assert_int_equal(expect_evidence(x, "other_range")->range.first,
				 0x400000 + 20 * 0x10000);
		assert_int_equal(expect_evidence(
					 expect_finding(r, "stale-vma", s.child),
					 "count")
					 ->u,
				 18);
		mml_report_destroy(r);
		free(s.pvmas);
		fake_free(f);
	}
}

/* 7.0+: dup_mmap() tears the child down: empty tree, both flags, map_count
 * not zeroed; reached through init_mm.mmlist only. */
static void test_torn_down_orphan(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		uint64_t parent = fake_mm_new(f);
		fake_mm_populate(f, parent, 12, NULL, NULL);
		fake_task_new(f, 100, 100, "parent", parent, 0);
		uint64_t child = fake_mm_new(f);
		fake_mm_set_flags(f, child, BOTH_FLAGS);
		fake_mm_set_map_count(f, child, 5);
		fake_tree_set_flags(f, fake_mm_tree(f, child), 0x301);
		fake_mmlist_add(f, child);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "orphan-fork", NULL);
		const struct mml_finding *of =
			expect_finding(r, "orphan-fork", child);
		assert_int_equal(expect_evidence(of, "map_count")->i, 5);
		assert_string_equal(expect_evidence(of, "found_by")->str,
				    "init_mm.mmlist");
		mml_report_destroy(r);

		/* Without the mmlist walk the child is not seen at all. */
		struct mml_scan_options o = { .mmlist = false };
		r = scan_fake(f, &o, NULL);
		expect_clean(r);
		assert_int_equal(r->counts.mms, 1);
		mml_report_destroy(r);

		/* The same mm in use by a task is no orphan: an empty live
		 * mm whose map_count is wrong. */
		fake_task_new(f, 200, 200, "child", child, 0);
		r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "empty-live-mm", "map-count", NULL);
		expect_no_finding(r, "orphan-fork", ANY_MM);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_empty_live_mm(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		fake_task_new(f, 300, 300, "stress-ng-vm-se", mm, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "empty-live-mm", NULL);
		const struct mml_finding *e =
			expect_finding(r, "empty-live-mm", mm);
		assert_int_equal(expect_evidence(e, "mm_users")->i, 1);
		assert_non_null(strstr(expect_evidence(e, "tasks")->str,
				       "300 stress-ng-vm-se"));
		mml_report_destroy(r);

		/* Evidence names four tasks and counts the rest. */
		for (int i = 1; i <= 5; i++)
			fake_task_new(f, 300 + i, 300, "thr", mm, 0);
		fake_mm_set_users(f, mm, 6);
		r = scan_fake(f, NULL, NULL);
		e = expect_finding(r, "empty-live-mm", mm);
		assert_non_null(strstr(expect_evidence(e, "tasks")->str,
				       "and 2 more"));
		assert_int_equal(report_mm(r, mm)->ntasks, 6);
		mml_report_destroy(r);

		/* mm_users 0: the task is on its way out; nothing to say. */
		fake_mm_set_users(f, mm, 0);
		r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* ---- legitimate states ---- */

static void test_kthreads_zombies(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		fake_mm_populate(f, mm, 5, NULL, NULL);
		fake_task_new(f, 2, 2, "kthreadd", 0, FAKE_PF_KTHREAD);
		fake_task_new(f, 3, 3, "rcu_gp", 0, FAKE_PF_KTHREAD);
		uint64_t z = fake_task_new(f, 400, 400, "defunct", 0,
					   FAKE_PF_EXITING);
		fake_task_set_exit_state(f, z, FAKE_EXIT_ZOMBIE);
		/* A zombie leader whose thread still runs. */
		uint64_t zl = fake_task_new(f, 500, 500, "leader", 0,
					    FAKE_PF_EXITING);
		fake_task_set_exit_state(f, zl, FAKE_EXIT_ZOMBIE);
		fake_task_new(f, 501, 500, "worker", mm, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		assert_int_equal(r->counts.tasks, 6);
		assert_int_equal(r->counts.kthreads, 3);
		assert_int_equal(r->counts.thread_groups, 5);
		assert_int_equal(r->counts.mms, 1);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_init_mm(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct mml_scan_options o = { .mm = fake_init_mm(f),
					      .mmlist = true };
		struct mml_report *r = scan_fake(f, &o, NULL);
		expect_clean(r);
		assert_int_equal(r->nmms, 1);
		assert_int_equal(r->mms[0].addr, fake_init_mm(f));
		assert_int_equal(r->mms[0].sources, MML_SOURCE_USER);
		assert_true(r->mms[0].readable);
		mml_report_destroy(r);

		/* A kernel thread that borrowed init_mm as its mm (as
		 * kthread_use_mm() borrows a user mm): still no finding. */
		fake_task_new(f, 7, 7, "kworker/u8:0", fake_init_mm(f),
			      FAKE_PF_KTHREAD);
		r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		assert_int_equal(r->counts.mms, 1);
		mml_report_destroy(r);
		fake_free(f);
	}
}

/* After exit_mmap(): empty tree, mm_users 0, no task. On mmlist only. */
static void test_exited_mm(void **state)
{
	(void)state;
	static const struct {
		uint64_t flags;
		int32_t map_count;
	} cases[] = {
		{ 0, 0 },
		{ BOTH_FLAGS, 0 },
		{ FAKE_MMF_OOM_SKIP, 3 },
		{ FAKE_MMF_UNSTABLE, 3 },
		{ 0, 3 },
	};
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct fake *f = fake_new(v);
			uint64_t mm = fake_mm_new(f);
			fake_mm_set_users(f, mm, 0);
			fake_mm_set_flags(f, mm, cases[i].flags);
			fake_mm_set_map_count(f, mm, cases[i].map_count);
			fake_tree_set_flags(f, fake_mm_tree(f, mm), 0x301);
			fake_mmlist_add(f, mm);
			struct mml_report *r = scan_fake(f, NULL, NULL);
			expect_clean(r);
			assert_int_equal(r->counts.mms, 1);
			mml_report_destroy(r);
			fake_free(f);
		}
	}
}

/* 6.1 - 6.7: a failed fork leaves a consistent prefix, no marker, no
 * flags, map_count == VMAs, out of RCU mode; no task uses it. */
static void test_prefix_61(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 30, 17, false, 0, 2);
		fake_mmlist_add(f, s.child);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		assert_int_equal(r->counts.mms, 2);
		assert_int_equal(report_mm(r, s.child)->tree.vmas, 17);
		mml_report_destroy(r);
		free(s.pvmas);
		fake_free(f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xa_zero_positions),
		cmocka_unit_test(test_xa_zero_with_task),
		cmocka_unit_test(test_two_markers),
		cmocka_unit_test(test_torn_down_orphan),
		cmocka_unit_test(test_empty_live_mm),
		cmocka_unit_test(test_kthreads_zombies),
		cmocka_unit_test(test_init_mm),
		cmocka_unit_test(test_exited_mm),
		cmocka_unit_test(test_prefix_61),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
