// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Bounds: trees that claim or reach absurd heights, cycles, limits, and
 * random corruption all end quickly, without crashing or leaking (the
 * ASan build runs this with detect_leaks=1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A chain of @depth nodes: @depth - 1 arange_64 nodes with one child each
 * (slot 0 covering [0, ULONG_MAX], its gap the leaf's largest, the one
 * above the VMA) and a leaf with one VMA; ma_flags claims @claimed.
 */
static uint64_t build_chain(struct fake *f, unsigned int depth,
			    unsigned int claimed, uint64_t *leaf_ret)
{
	const struct mml_layout *l = fake_layout(f);
	uint64_t mm = fake_mm_new(f);
	uint64_t tree = fake_mm_tree(f, mm);
	uint64_t parent = tree | 1, prev = 0;
	for (unsigned int d = 1; d <= depth; d++) {
		uint64_t node = fake_alloc(f, 256, 256);
		bool leaf = d == depth;
		unsigned int type = leaf ? 1 : 3;
		uint64_t enode = fake_enode(node, type);
		if (d == 1)
			fake_tree_set_root(f, tree, enode | 2);
		else
			fake_write_u64(f, prev + l->ma64_slot, enode);
		if (leaf) {
			uint64_t vma = fake_vma_new(f, mm, 0x400000, 0x401000,
						    0);
			fake_write_u64(f, node + l->mr64_parent, parent);
			fake_write_u64(f, node + l->mr64_pivot, 0x3fffff);
			fake_write_u64(f, node + l->mr64_pivot + 8, 0x400fff);
			fake_write_u64(f, node + l->mr64_pivot + 16,
				       FAKE_ULONG_MAX);
			fake_write_u64(f, node + l->mr64_slot + 8, vma);
			fake_write_u8(f, node + l->mr64_meta + l->meta_end, 2);
			*leaf_ret = node;
		} else {
			fake_write_u64(f, node + l->ma64_parent, parent);
			fake_write_u64(f, node + l->ma64_pivot,
				       FAKE_ULONG_MAX);
			fake_write_u8(f, node + l->ma64_meta + l->meta_end, 0);
			fake_write_u64(f, node + l->ma64_gap,
				       FAKE_ULONG_MAX - 0x401000 + 1);
		}
		parent = node | 0x06;   /* slot 0 */
		prev = node;
	}
	fake_tree_set_flags(f, tree, 0x303 | (claimed << 2));
	fake_mm_set_map_count(f, mm, 1);
	return mm;
}

static void test_deep_chain(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		/* 31 levels claimed and present: the deepest legal tree. */
		struct fake *f = fake_new(v);
		uint64_t leaf;
		uint64_t mm = build_chain(f, 31, 31, &leaf);
		fake_task_new(f, 100, 100, "deep", mm, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		assert_int_equal(report_mm(r, mm)->tree.depth, 31);
		assert_int_equal(report_mm(r, mm)->tree.vmas, 1);
		mml_report_destroy(r);
		fake_free(f);

		/* 40 levels, 31 claimed: the walk stops at 31. */
		f = fake_new(v);
		mm = build_chain(f, 40, 31, &leaf);
		fake_task_new(f, 100, 100, "deeper", mm, 0);
		double t0 = now();
		r = scan_fake(f, NULL, NULL);
		assert_true(now() - t0 < 2.0);
		expect_ids(r, ANY_MM, "tree-height", NULL);
		assert_int_equal(report_mm(r, mm)->tree.nodes, 31);
		assert_false(report_mm(r, mm)->tree.complete);
		mml_report_destroy(r);
		fake_free(f);

		/* 3 levels claiming 31. */
		f = fake_new(v);
		mm = build_chain(f, 3, 31, &leaf);
		fake_task_new(f, 100, 100, "claims", mm, 0);
		r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "tree-height", NULL);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_cycles(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		/* Every slot of every internal node points to the root. */
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		struct fake_tree_opts o = { .height = 4 };
		struct fake_tree *t = fake_mm_populate(f, mm, 300, &o, NULL);
		for (size_t i = 0; i < t->nnodes; i++)
			if (t->nodes[i].type == 3)
				for (unsigned int s = 0; s < t->nodes[i].nslots;
				     s++)
					fake_node_link_back(f, t, i, s, 0);
		fake_task_new(f, 100, 100, "loop", mm, 0);
		uint64_t reads = fake_reads(f);
		double t0 = now();
		struct mml_report *r = scan_fake(f, NULL, NULL);
		assert_true(now() - t0 < 2.0);
		assert_true(fake_reads(f) - reads < 100);
		expect_finding(r, "walk-limit", mm);
		assert_true(report_mm(r, mm)->tree.nodes <= 1);
		mml_report_destroy(r);
		fake_free(f);

		/* The root pointing to itself through its own last slot. */
		f = fake_new(v);
		mm = fake_mm_new(f);
		o.height = 2;
		t = fake_mm_populate(f, mm, 30, &o, NULL);
		fake_node_link_back(f, t, 0, t->nodes[0].nslots - 1, 0);
		fake_task_new(f, 100, 100, "self", mm, 0);
		r = scan_fake(f, NULL, NULL);
		expect_finding(r, "walk-limit", mm);
		mml_report_destroy(r);

		/* A walk of it ends too. */
		struct mml_ctx *ctx;
		assert_null(mml_ctx_create(fake_target(f), fake_layout(f),
					   NULL, &ctx));
		assert_null(mml_mm_walk(ctx, mm, NULL, NULL, NULL));
		mml_ctx_destroy(ctx);
		fake_free(f);
	}
}

static void test_limits(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	for (int i = 0; i < 10; i++)
		fake_task_new(f, 10 + i, 10 + i, "t", 0, 0);
	for (int i = 0; i < 10; i++) {
		uint64_t mm = fake_mm_new(f);
		fake_mm_set_users(f, mm, 0);
		fake_mmlist_add(f, mm);
	}
	struct mml_limits lim;
	mml_limits_default(&lim);
	lim.max_tasks = 4;
	lim.max_list = 3;
	lim.cache_pages = 1;
	struct mml_report *r = scan_fake(f, NULL, &lim);
	expect_ids(r, ANY_MM, "task-list", "walk-limit", NULL);
	assert_int_equal(r->counts.tasks, 4);
	assert_int_equal(r->counts.mms, 3);
	mml_report_destroy(r);
	mml_limits_default(&lim);
	r = scan_fake(f, NULL, &lim);
	expect_clean(r);
	assert_int_equal(r->counts.tasks, 11);
	assert_int_equal(r->counts.mms, 10);
	mml_report_destroy(r);
	fake_free(f);
}

/* xorshift64*: reproducible. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static void render_all(const struct mml_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_null(mml_report_write_json(r, out));
	mml_report_write_text(r, NULL, out);
	fclose(out);
	assert_true(len > 0);
	free(buf);
}

static void test_random_corruption(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 300; round++) {
		int v = round % FAKE_NVARIANTS;
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		struct fake_tree_opts o = { .height = 1 + round % 4 };
		size_t n = o.height == 1 ? 7
			   : 10 + rnd(&seed) % (o.height == 2 ? 60 : 150);
		uint64_t vmas[160];
		struct fake_tree *t = fake_mm_populate(f, mm, n, &o, vmas);
		fake_task_new(f, 100, 100, "fuzz", mm, 0);
		int nflips = 1 + rnd(&seed) % 6;
		for (int i = 0; i < nflips; i++) {
			uint64_t what = rnd(&seed);
			const struct fake_node *nd =
				&t->nodes[rnd(&seed) % t->nnodes];
			if (what % 5 == 0) {
				/* A whole word: a node or VMA address. */
				uint64_t w = rnd(&seed) % 3 == 0
					? t->nodes[rnd(&seed) % t->nnodes].addr |
						  (rnd(&seed) & 0xff)
					: vmas[rnd(&seed) % n];
				fake_write_u64(f, nd->addr + 8 * (rnd(&seed) % 32),
					       w);
			} else if (what % 5 == 1) {
				fake_write_u64(f, nd->addr + 8 * (rnd(&seed) % 32),
					       rnd(&seed));
			} else if (what % 5 == 2) {
				uint64_t vma = vmas[rnd(&seed) % n];
				fake_write_u8(f, vma + rnd(&seed) % 0x30,
					      rnd(&seed));
			} else {
				fake_write_u8(f, nd->addr + rnd(&seed) % 256,
					      rnd(&seed));
			}
		}
		if (round % 7 == 0)
			fake_exclude_page(f, t->nodes[rnd(&seed) % t->nnodes]
						     .addr);
		struct mml_limits lim;
		mml_limits_default(&lim);
		lim.cache_pages = 1 + rnd(&seed) % 8;
		struct mml_report *r = scan_fake(f, NULL, &lim);
		assert_true(r->nfindings < 64);
		render_all(r);
		mml_report_destroy(r);

		struct mml_ctx *ctx;
		assert_null(mml_ctx_create(fake_target(f), fake_layout(f),
					   &lim, &ctx));
		struct mml_error *err = mml_mm_walk(ctx, mm, NULL, NULL, NULL);
		if (err) {
			/* The excluded page held the mm itself. */
			assert_int_equal(err->code, MML_ERROR_EXCLUDED);
			mml_error_destroy(err);
		}
		mml_ctx_destroy(ctx);
		fake_free(f);
	}
}

/* Tasks and mms at addresses that do not exist, or read through pages
 * the dump lacks, never stop the scan. */
static void test_no_init_task(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V61);
	fake_unmap_page(f, fake_init_task(f));
	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	struct mml_report *r = NULL;
	struct mml_error *err = mml_scan(ctx, NULL, &r);
	assert_non_null(err);
	assert_null(r);
	assert_int_equal(err->code, MML_ERROR_INPUT);
	mml_error_destroy(err);
	mml_ctx_destroy(ctx);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deep_chain),
		cmocka_unit_test(test_cycles),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_random_corruption),
		cmocka_unit_test(test_no_init_task),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
