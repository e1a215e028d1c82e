// SPDX-License-Identifier: GPL-2.0-or-later
/* Healthy trees of height 1 to 4 in every layout: no findings, right counts,
 * entries in index order with the right ranges. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct collect {
	struct mml_entry *e;
	size_t n, cap;
	unsigned int nodes, max_depth;
};

static void collect_entry(void *arg, const struct mml_entry *entry)
{
	struct collect *c = arg;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->e = realloc(c->e, c->cap * sizeof(*c->e));
		assert_non_null(c->e);
	}
	c->e[c->n++] = *entry;
}

static void collect_node(void *arg, unsigned int depth, uint64_t node,
			 unsigned int type, uint64_t min, uint64_t max)
{
	struct collect *c = arg;
	(void)node;
	(void)type;
	assert_true(min <= max);
	c->nodes++;
	if (depth > c->max_depth)
		c->max_depth = depth;
}

struct shape {
	unsigned int height, leaf_fill, node_fill;
	size_t nvmas;
};

static const struct shape shapes[] = {
	{ 1, 16, 10, 1 },     /* a single VMA: [NULL, vma, NULL] */
	{ 1, 16, 10, 7 },     /* 15 slots: end 14, pivot[14] = max */
	{ 1, 16, 10, 8 },     /* 17 slots do not fit: see height 2 */
	{ 2, 16, 10, 8 },     /* two leaves */
	{ 2, 16, 10, 70 },    /* 141 slots in 9-10 full leaves */
	{ 2, 5, 10, 20 },
	{ 3, 16, 10, 200 },
	{ 3, 4, 3, 12 },
	{ 4, 16, 10, 600 },
	{ 4, 3, 3, 30 },
	{ 4, 16, 2, 40 },
};

static void run_shape(enum fake_variant v, const struct shape *sh)
{
	struct fake *f = fake_new(v);
	uint64_t mm = fake_mm_new(f);
	fake_mm_set_users(f, mm, 2);
	uint64_t *vmas = calloc(sh->nvmas, sizeof(*vmas));
	struct fake_tree_opts o = { sh->height, sh->leaf_fill, sh->node_fill,
				    false };
	size_t nslots = 2 * sh->nvmas + 1;
	if (sh->height == 1 && nslots > sh->leaf_fill) {
		/* Does not fit a single leaf. */
		free(vmas);
		fake_free(f);
		return;
	}
	struct fake_tree *t = fake_mm_populate(f, mm, sh->nvmas, &o, vmas);
	assert_int_equal(t->height, sh->height);
	fake_task_new(f, 100, 100, "leader", mm, 0);
	fake_task_new(f, 101, 100, "worker", mm, 0);
	fake_task_new(f, 2, 2, "kthreadd", 0, FAKE_PF_KTHREAD);

	struct mml_report *r = scan_fake(f, NULL, NULL);
	expect_clean(r);
	assert_int_equal(r->counts.mms, 1);
	assert_int_equal(r->counts.vmas, sh->nvmas);
	assert_int_equal(r->counts.tasks, 4);
	assert_int_equal(r->counts.thread_groups, 3);
	assert_int_equal(r->counts.kthreads, 2);
	assert_int_equal(r->counts.nodes, t->nnodes);
	const struct mml_mm *m = report_mm(r, mm);
	assert_true(m->tree.walked && m->tree.complete && m->tree.rcu);
	assert_int_equal(m->tree.height, sh->height);
	assert_int_equal(m->tree.depth, sh->height);
	assert_int_equal(m->tree.vmas, sh->nvmas);
	assert_int_equal(m->tree.entries, sh->nvmas);
	assert_int_equal(m->ntasks, 2);
	mml_report_destroy(r);

	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	struct collect c = { 0 };
	assert_null(mml_mm_walk(ctx, mm, collect_entry, collect_node, &c));
	mml_ctx_destroy(ctx);
	assert_int_equal(c.n, sh->nvmas);
	assert_int_equal(c.nodes, t->nnodes);
	assert_int_equal(c.max_depth, sh->height);
	for (size_t i = 0; i < c.n; i++) {
		uint64_t start = 0x400000 + i * 0x10000;
		assert_int_equal(c.e[i].kind, MML_ENTRY_VMA);
		assert_int_equal(c.e[i].value, vmas[i]);
		assert_int_equal(c.e[i].first, start);
		assert_int_equal(c.e[i].last, start + 0x3000 - 1);
		assert_int_equal(c.e[i].vm_start, start);
		assert_int_equal(c.e[i].vm_end, start + 0x3000);
		assert_int_equal(c.e[i].vm_mm, mm);
		assert_int_equal(c.e[i].vm_flags, 0x73);
		if (i)
			assert_true(c.e[i].first > c.e[i - 1].last);
	}
	free(c.e);
	free(vmas);
	fake_free(f);
}

static void test_heights(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++)
		for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
			run_shape(v, &shapes[i]);
}

/* A root leaf using all 16 slots: no metadata, slot 15 up to ULONG_MAX. */
static void test_full_leaf(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		struct fake_slots s = { 0 };
		for (int i = 0; i < 15; i++) {
			uint64_t start = (uint64_t)i << 12;
			fake_slots_add(&s, start, start + 0xfff,
				       fake_vma_new(f, mm, start,
						    start + 0x1000, 0));
		}
		/* vm_end wraps to 0: the slot ends at ULONG_MAX. */
		fake_slots_add(&s, 15 << 12, FAKE_ULONG_MAX,
			       fake_vma_new(f, mm, 15 << 12, 0, 0));
		assert_int_equal(s.n, 16);
		struct fake_tree *t = fake_tree_build(f, fake_mm_tree(f, mm),
						      s.v, s.n, NULL);
		assert_int_equal(t->nnodes, 1);
		assert_true(fake_node_get_pivot(f, t, 0, 14) == 0xefff);
		fake_mm_set_map_count(f, mm, 16);
		fake_task_new(f, 10, 10, "full", mm, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		assert_int_equal(report_mm(r, mm)->tree.vmas, 16);
		mml_report_destroy(r);
		fake_slots_free(&s);
		fake_free(f);
	}
}

/* Threads of one group share an mm; two groups, two mms. */
static void test_counts(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	uint64_t a = fake_mm_new(f), b = fake_mm_new(f);
	struct fake_tree_opts o = { .height = 2 };
	fake_mm_populate(f, a, 20, &o, NULL);
	fake_mm_populate(f, b, 3, NULL, NULL);
	fake_task_new(f, 1, 1, "init", a, 0);
	for (int i = 0; i < 5; i++)
		fake_task_new(f, 2 + i, 1, "init-thr", a, 0);
	fake_task_new(f, 10, 10, "sh", b, 0);
	fake_task_new(f, 20, 20, "kworker/0:1", 0, FAKE_PF_KTHREAD);
	fake_task_new(f, 21, 21, "kworker/1:1", 0, FAKE_PF_KTHREAD);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	expect_clean(r);
	assert_int_equal(r->counts.tasks, 1 + 6 + 1 + 2);
	assert_int_equal(r->counts.thread_groups, 5);
	assert_int_equal(r->counts.kthreads, 3);
	assert_int_equal(r->counts.mms, 2);
	assert_int_equal(r->counts.vmas, 23);
	assert_int_equal(report_mm(r, a)->ntasks, 6);
	assert_int_equal(report_mm(r, b)->ntasks, 1);
	mml_report_destroy(r);

	/* A thread's pid selects its group's mm. */
	struct mml_scan_options topts = { .pid = 4, .mmlist = true };
	r = scan_fake(f, &topts, NULL);
	assert_int_equal(r->nmms, 1);
	assert_int_equal(r->mms[0].addr, a);
	mml_report_destroy(r);
	/* No such pid: nothing. */
	topts.pid = 12345;
	r = scan_fake(f, &topts, NULL);
	assert_int_equal(r->nmms, 0);
	expect_clean(r);
	mml_report_destroy(r);

	/* Only the mm of pid 10. */
	struct mml_scan_options opts = { .pid = 10, .mmlist = true };
	r = scan_fake(f, &opts, NULL);
	assert_int_equal(r->nmms, 1);
	assert_int_equal(r->mms[0].addr, b);
	mml_report_destroy(r);

	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	uint64_t mm = 0;
	assert_null(mml_pid_to_mm(ctx, 4, &mm));
	assert_int_equal(mm, a);
	struct mml_error *err = mml_pid_to_mm(ctx, 20, &mm);
	assert_non_null(err);
	assert_int_equal(err->code, MML_ERROR_NOT_FOUND);
	mml_error_destroy(err);
	err = mml_pid_to_mm(ctx, 999, &mm);
	assert_non_null(err);
	mml_error_destroy(err);
	mml_ctx_destroy(ctx);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heights),
		cmocka_unit_test(test_full_leaf),
		cmocka_unit_test(test_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
