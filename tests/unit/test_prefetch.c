// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Read-ahead hints (mml_ctx_set_prefetch()): the walk names the pages of
 * a tree's nodes and VMAs, never an internal entry such as XA_ZERO_ENTRY
 * nor anything outside the tree, and hints change nothing the core reads
 * or reports.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct pages {
	uint64_t *p;
	size_t n, cap;
};

static void pages_add(struct pages *s, uint64_t page)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->p = realloc(s->p, s->cap * sizeof(*s->p));
		assert_non_null(s->p);
	}
	s->p[s->n++] = page;
}

static bool pages_has(const struct pages *s, uint64_t page)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i] == page)
			return true;
	return false;
}

/* The tree's own pages: its nodes' and its VMAs' (as the walk sees them). */
struct tree_pages {
	struct pages nodes, vmas;
};

static void tree_entry(void *arg, const struct mml_entry *e)
{
	struct tree_pages *t = arg;
	if (e->kind == MML_ENTRY_VMA || e->kind == MML_ENTRY_FOREIGN)
		pages_add(&t->vmas, e->value & ~(uint64_t)(FAKE_PAGE_SIZE - 1));
}

static void tree_node(void *arg, unsigned int depth, uint64_t node,
		      unsigned int type, uint64_t min, uint64_t max)
{
	struct tree_pages *t = arg;
	(void)depth;
	(void)type;
	(void)min;
	(void)max;
	pages_add(&t->nodes, node & ~(uint64_t)(FAKE_PAGE_SIZE - 1));
}

static void hint_collect(void *arg, uint64_t addr)
{
	pages_add(arg, addr);
}

/* A failed fork's child (XA_ZERO_ENTRY in a leaf, the parent's VMAs
 * after it) walked with hints on, through a cache of 2 pages so that
 * hints keep coming: each names a page of one of the tree's nodes or
 * VMAs, both kinds come, and the reads are the same as without. */
static void test_hints_name_tree_pages(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 300, 150, true, BOTH_FLAGS, 3);
		struct mml_limits lim;
		mml_limits_default(&lim);
		lim.cache_pages = 2;

		struct tree_pages t = { 0 };
		struct mml_ctx *ctx;
		assert_null(mml_ctx_create(fake_target(f), fake_layout(f),
					   &lim, &ctx));
		uint64_t before = fake_reads(f);
		assert_null(mml_mm_walk(ctx, s.child, tree_entry, tree_node,
					&t));
		uint64_t plain_reads = fake_reads(f) - before;
		mml_ctx_destroy(ctx);

		struct pages hints = { 0 };
		struct tree_pages t2 = { 0 };
		assert_null(mml_ctx_create(fake_target(f), fake_layout(f),
					   &lim, &ctx));
		mml_ctx_set_prefetch(ctx, hint_collect, &hints);
		before = fake_reads(f);
		assert_null(mml_mm_walk(ctx, s.child, tree_entry, tree_node,
					&t2));
		assert_int_equal(fake_reads(f) - before, plain_reads);
		mml_ctx_destroy(ctx);

		assert_int_equal(t2.vmas.n, t.vmas.n);
		size_t node_hints = 0, vma_hints = 0;
		for (size_t i = 0; i < hints.n; i++) {
			uint64_t h = hints.p[i];
			assert_int_equal(h & (FAKE_PAGE_SIZE - 1), 0);
			assert_true(h != (FAKE_XA_ZERO & ~0xfffULL));
			bool node = pages_has(&t.nodes, h);
			bool vma = pages_has(&t.vmas, h);
			if (!node && !vma)
				fail_msg("hint 0x%llx: no node or VMA there",
					 (unsigned long long)h);
			node_hints += node;
			vma_hints += vma;
			/* Never the same page twice in a row. */
			assert_true(!i || hints.p[i - 1] != h);
		}
		assert_true(node_hints > 0);
		assert_true(vma_hints > 0);
		free(hints.p);
		free(t.nodes.p);
		free(t.vmas.p);
		free(t2.nodes.p);
		free(t2.vmas.p);
		free(s.pvmas);
		fake_free(f);
	}
}

/* A whole scan with hints on reads what it reads without, and reports
 * the same counts and findings. */
static void test_hints_change_nothing(void **state)
{
	(void)state;
	struct fake *f = fake_new(0);
	struct fork_scn s;
	fork_build(f, &s, 60, 30, true, BOTH_FLAGS, 2);
	fake_mmlist_add(f, s.child);
	uint64_t before = fake_reads(f);
	struct mml_report *plain = scan_fake(f, NULL, NULL);
	uint64_t plain_reads = fake_reads(f) - before;

	struct pages hints = { 0 };
	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL,
				   &ctx));
	mml_ctx_set_prefetch(ctx, hint_collect, &hints);
	struct mml_report *r = NULL;
	before = fake_reads(f);
	assert_null(mml_scan(ctx, NULL, &r));
	assert_int_equal(fake_reads(f) - before, plain_reads);
	assert_int_equal(mml_ctx_pages_read(ctx), plain_reads);
	mml_ctx_destroy(ctx);
	assert_true(hints.n > 0);
	assert_int_equal(r->counts.vmas, plain->counts.vmas);
	assert_int_equal(r->counts.nodes, plain->counts.nodes);
	assert_int_equal(r->nfindings, plain->nfindings);
	for (size_t i = 0; i < r->nfindings; i++)
		assert_string_equal(r->findings[i].summary,
				    plain->findings[i].summary);
	mml_report_destroy(r);
	mml_report_destroy(plain);
	free(hints.p);
	free(s.pvmas);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hints_name_tree_pages),
		cmocka_unit_test(test_hints_change_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
