// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every check of the catalogue, each made to fire by the corruption it is
 * about, in every layout. The last test fails when a check id of
 * mml_checks[] was not asserted by any test of this program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "slab_fake.h"

/* A live task (pid 100 "victim") whose mm has @n VMAs in a tree of
 * @height; nodes and VMAs each on a page of their own with @isolate. */
struct base {
	struct fake *f;
	uint64_t mm, task;
	uint64_t vmas[256];
	size_t n;
	struct fake_tree *t;
};

static void base_new(struct base *b, enum fake_variant v, size_t n,
		     unsigned int height, bool isolate)
{
	memset(b, 0, sizeof(*b));
	assert_true(n <= 256);
	b->f = fake_new(v);
	b->n = n;
	fake_set_isolate(b->f, isolate);
	b->mm = fake_mm_new(b->f);
	struct fake_tree_opts o = { .height = height };
	b->t = fake_mm_populate(b->f, b->mm, n, &o, b->vmas);
	fake_set_isolate(b->f, false);
	b->task = fake_task_new(b->f, 100, 100, "victim", b->mm, 0);
}

static struct mml_report *base_scan(struct base *b)
{
	return scan_fake(b->f, NULL, NULL);
}

static void base_free(struct base *b)
{
	fake_free(b->f);
}

/* A leaf that is not the last one (its max is not ULONG_MAX). */
static int some_leaf(const struct base *b)
{
	return fake_tree_leaf_of(b->t, 0x400000);
}

#define FOR_VARIANTS for (int v = 0; v < FAKE_NVARIANTS; v++)

static void test_map_count(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 30, 2, false);
		fake_mm_set_map_count(b.f, b.mm, 33);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "map-count", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "map-count", b.mm);
		assert_int_equal(expect_evidence(fi, "map_count")->i, 33);
		assert_int_equal(expect_evidence(fi, "vmas")->u, 30);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_vma_range(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 30, 2, false);
		uint64_t s = fake_vma_start(b.f, b.vmas[7]);
		fake_vma_set_range(b.f, b.vmas[7], s, s + 0x5000);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "vma-range", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "vma-range", b.mm);
		assert_int_equal(expect_evidence(fi, "vma")->u, b.vmas[7]);
		assert_int_equal(expect_evidence(fi, "vm_end")->u, s + 0x5000);
		assert_int_equal(expect_evidence(fi, "slot_range")->range.last,
				 s + 0x2fff);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_pivot_order(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* A pivot below its predecessor. */
		struct base b;
		base_new(&b, v, 30, 2, false);
		int leaf = some_leaf(&b);
		uint64_t p1 = fake_node_get_pivot(b.f, b.t, leaf, 1);
		fake_node_set_pivot(b.f, b.t, leaf, 3, p1 - 1);
		struct mml_report *r = base_scan(&b);
		expect_finding(r, "pivot-order", b.mm);
		mml_report_destroy(r);
		base_free(&b);

		/* The limit pivot above the node's max: reported there, and
		 * taken as the max. */
		base_new(&b, v, 12, 2, false);
		leaf = some_leaf(&b);
		unsigned int end = b.t->nodes[leaf].nslots - 1;
		uint64_t bad = b.t->nodes[leaf].max + 0x1000;
		fake_node_set_pivot(b.f, b.t, leaf, end, bad);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "pivot-order", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "pivot-order", b.mm);
		assert_int_equal(expect_evidence(fi, "slot")->u, end);
		assert_int_equal(expect_evidence(fi, "value")->u, bad);
		assert_int_equal(expect_evidence(fi, "expected")->u,
				 b.t->nodes[leaf].max);
		assert_int_equal(report_mm(r, b.mm)->tree.vmas, 12);
		mml_report_destroy(r);
		base_free(&b);

		/* A first pivot below the node's min, which only the
		 * parent's pivots give (mas_validate_limits() checks each
		 * node against the [min, max] its parent gives it). */
		base_new(&b, v, 30, 2, false);
		leaf = fake_tree_leaf_of(b.t, 0x500000);
		uint64_t min = b.t->nodes[leaf].min;
		assert_true(min > 0);
		fake_node_set_pivot(b.f, b.t, leaf, 0, min - 1);
		r = base_scan(&b);
		fi = expect_finding(r, "pivot-order", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[leaf].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 0);
		assert_int_equal(expect_evidence(fi, "value")->u, min - 1);
		assert_int_equal(expect_evidence(fi, "expected")->u, min);
		mml_report_destroy(r);
		base_free(&b);

		/* A slot used past the end. */
		base_new(&b, v, 6, 1, false);
		fake_node_set_slot(b.f, b.t, 0, 14, b.vmas[0]);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "pivot-order", NULL);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_metadata(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* In a leaf with room left (pivot[14] == 0). */
		struct base b;
		base_new(&b, v, 12, 2, false);
		int leaf = some_leaf(&b);
		fake_node_set_meta_end(b.f, b.t, leaf,
				       b.t->nodes[leaf].nslots - 3);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "metadata", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "metadata", b.mm);
		assert_int_equal(expect_evidence(fi, "meta_end")->u,
				 b.t->nodes[leaf].nslots - 3);
		assert_int_equal(expect_evidence(fi, "pivot_end")->u,
				 b.t->nodes[leaf].nslots - 1);
		mml_report_destroy(r);
		base_free(&b);

		/* In an arange_64 node. */
		base_new(&b, v, 12, 2, false);
		fake_node_set_meta_end(b.f, b.t, 0, 7);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "metadata", NULL);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_parent_slot(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* A child naming the wrong slot. */
		struct base b;
		base_new(&b, v, 30, 2, false);
		int leaf = fake_tree_leaf_of(b.t, 0x500000);
		uint64_t p = fake_node_get_parent(b.f, b.t, leaf);
		fake_node_set_parent(b.f, b.t, leaf, p ^ (1 << 3));
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "parent-slot", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "parent-slot", b.mm);
		assert_int_equal(expect_evidence(fi, "value")->u, p ^ (1 << 3));
		assert_int_equal(expect_evidence(fi, "expected")->u, p);
		mml_report_destroy(r);
		base_free(&b);

		/* A child naming its sibling as parent, with its own slot
		 * (mas_validate_child_slot(): mte_parent(child) != node). */
		base_new(&b, v, 30, 2, false);
		leaf = fake_tree_leaf_of(b.t, 0x500000);
		int sib = fake_tree_leaf_of(b.t, 0x400000);
		assert_true(sib != leaf);
		p = fake_node_get_parent(b.f, b.t, leaf);
		uint64_t wrong = b.t->nodes[sib].addr | (p & 0xff);
		fake_node_set_parent(b.f, b.t, leaf, wrong);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "parent-slot", NULL);
		fi = expect_finding(r, "parent-slot", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[leaf].addr);
		assert_int_equal(expect_evidence(fi, "value")->u, wrong);
		assert_int_equal(expect_evidence(fi, "expected")->u, p);
		mml_report_destroy(r);
		base_free(&b);

		/* The root naming another tree. */
		base_new(&b, v, 30, 2, false);
		fake_node_set_parent(b.f, b.t, 0, (b.t->tree + 0x100) | 1);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "parent-slot", NULL);
		mml_report_destroy(r);
		base_free(&b);
	}
}

/*
 * The gaps of an allocation tree (mas_validate_gaps()). 200 VMAs in a
 * tree of height 3: the root's children are arange_64 nodes, theirs are
 * leaves; each leaf's largest gap is a NULL slot (13 pages between two
 * VMAs, 0x400000 below the first, the rest of the space above the last).
 */
static void test_gap_value(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* The root's gap for an arange_64 child, raised by 64 KiB. */
		struct base b;
		base_new(&b, v, 200, 3, false);
		uint64_t g = fake_node_get_gap(b.f, b.t, 0, 0);
		assert_int_equal(g, 0x400000);
		fake_node_set_gap(b.f, b.t, 0, 0, g + 0x10000);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-value", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "gap-value", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[0].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 0);
		assert_int_equal(expect_evidence(fi, "gap")->u, g + 0x10000);
		assert_int_equal(expect_evidence(fi, "expected")->u, g);
		mml_report_destroy(r);
		base_free(&b);

		/* A lower node's gap for a leaf, lowered: 13 pages expected. */
		base_new(&b, v, 200, 3, false);
		int mid = fake_tree_node_at(b.t, 2);
		assert_int_equal(fake_node_get_gap(b.f, b.t, mid, 1), 0xd000);
		fake_node_set_gap(b.f, b.t, mid, 1, 0x1000);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-value", NULL);
		fi = expect_finding(r, "gap-value", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[mid].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 1);
		assert_int_equal(expect_evidence(fi, "expected")->u, 0xd000);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_gap_range(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* A gap one index larger than its slot: the subtree's largest
		 * gap differs too. */
		struct base b;
		base_new(&b, v, 200, 3, false);
		int mid = fake_tree_node_at(b.t, 2);
		int leaf = fake_tree_leaf_of(b.t, 0x400000);
		uint64_t room = b.t->nodes[leaf].max - b.t->nodes[leaf].min + 1;
		fake_node_set_gap(b.f, b.t, mid, 0, room + 1);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-value", "gap-range", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "gap-range", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[mid].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 0);
		assert_int_equal(expect_evidence(fi, "gap")->u, room + 1);
		assert_int_equal(expect_evidence(fi, "expected")->u, room);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_gap_meta(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* meta.gap names slot 0; the largest gap is the last slot's
		 * (the space above the last VMA). */
		struct base b;
		base_new(&b, v, 200, 3, false);
		unsigned int last = b.t->nodes[0].nslots - 1;
		fake_node_set_meta_gap(b.f, b.t, 0, 0);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-meta", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "gap-meta", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[0].addr);
		assert_int_equal(expect_evidence(fi, "meta_gap")->u, 0);
		assert_int_equal(expect_evidence(fi, "largest_gap_slot")->u,
				 last);
		mml_report_destroy(r);
		base_free(&b);

		/* meta.gap past the end while a gap is not 0. */
		base_new(&b, v, 200, 3, false);
		fake_node_set_meta_gap(b.f, b.t, 0, 15);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-meta", NULL);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_gap_meta_no_gap(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* 6.1 - 6.5 mark a node with no gap by a meta.gap past any
		 * end (MAPLE_ARANGE64_META_MAX, 15): sound. Four VMAs with
		 * no space between them, one per leaf, in a tree of height
		 * 3 whose first middle node holds no gap. */
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		struct fake_slots sl = { 0 };
		for (uint64_t i = 0; i < 4; i++)
			fake_slots_add(&sl, i * 0x1000, i * 0x1000 + 0xfff,
				       fake_vma_new(f, mm, i * 0x1000,
						    (i + 1) * 0x1000, 0x73));
		fake_slots_finish(&sl);
		struct fake_tree_opts o = { .height = 3, .leaf_fill = 1,
					    .node_fill = 4 };
		struct fake_tree *t = fake_tree_build(f, fake_mm_tree(f, mm),
						      sl.v, sl.n, &o);
		fake_slots_free(&sl);
		fake_mm_set_map_count(f, mm, 4);
		fake_task_new(f, 100, 100, "victim", mm, 0);
		int mid = fake_tree_node_at(t, 2);
		assert_int_equal(t->nodes[mid].max_gap, 0);
		fake_node_set_meta_gap(f, t, mid, 15);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_gap_past_end(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 200, 3, false);
		unsigned int past = b.t->nodes[0].nslots + 1;
		fake_node_set_gap(b.f, b.t, 0, past, 0x1000);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "gap-past-end", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "gap-past-end", b.mm);
		assert_int_equal(expect_evidence(fi, "slot")->u, past);
		assert_int_equal(expect_evidence(fi, "gap")->u, 0x1000);
		assert_int_equal(expect_evidence(fi, "expected")->u, 0);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_adjacent_nulls(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* In one leaf: a VMA's slot emptied between two gaps. The run
		 * (13 + 3 + 13 pages) stays below the leaf's largest gap. */
		struct base b;
		base_new(&b, v, 30, 2, false);
		int leaf = some_leaf(&b);
		assert_int_equal(fake_node_get_slot(b.f, b.t, leaf, 3),
				 b.vmas[1]);
		fake_node_set_slot(b.f, b.t, leaf, 3, 0);
		fake_mm_set_map_count(b.f, b.mm, 29);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "adjacent-nulls", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "adjacent-nulls", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[leaf].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 3);
		assert_int_equal(expect_evidence(fi, "nulls")->range.first,
				 0x403000);
		assert_int_equal(expect_evidence(fi, "nulls")->range.last,
				 0x412fff);
		mml_report_destroy(r);
		base_free(&b);

		/* Across two leaves: one ends with a NULL, the next starts
		 * with one. Gaps and counts are consistent. */
		struct fake *f = fake_new(v);
		uint64_t mm = fake_mm_new(f);
		uint64_t v1 = fake_vma_new(f, mm, 0x400000, 0x403000, 0x73);
		uint64_t v2 = fake_vma_new(f, mm, 0x420000, 0x423000, 0x73);
		const struct fake_slot slots[] = {
			{ 0, 0x3fffff, 0 }, { 0x400000, 0x402fff, v1 },
			{ 0x403000, 0x40ffff, 0 }, { 0x410000, 0x41ffff, 0 },
			{ 0x420000, 0x422fff, v2 },
			{ 0x423000, FAKE_ULONG_MAX, 0 },
		};
		struct fake_tree_opts o = { .height = 2, .leaf_fill = 3 };
		struct fake_tree *t = fake_tree_build(f, fake_mm_tree(f, mm),
						      slots, 6, &o);
		fake_mm_set_map_count(f, mm, 2);
		fake_task_new(f, 100, 100, "victim", mm, 0);
		r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "adjacent-nulls", NULL);
		fi = expect_finding(r, "adjacent-nulls", mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 t->nodes[fake_tree_leaf_of(t, 0x410000)].addr);
		assert_int_equal(expect_evidence(fi, "slot")->u, 0);
		assert_int_equal(expect_evidence(fi, "nulls")->range.first,
				 0x403000);
		assert_int_equal(expect_evidence(fi, "nulls")->range.last,
				 0x41ffff);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_dead_node(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 30, 2, false);
		int leaf = some_leaf(&b);
		fake_node_make_dead(b.f, b.t, leaf);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "dead-node", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "dead-node", b.mm);
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[leaf].addr);
		assert_false(report_mm(r, b.mm)->tree.complete);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void node_type_case(enum fake_variant v, bool leaf_node,
			   unsigned int type, bool only)
{
	struct base b;
	base_new(&b, v, 30, 3, false);
	int node = leaf_node ? some_leaf(&b) : fake_tree_node_at(b.t, 2);
	fake_node_set_type_bits(b.f, b.t, node, type);
	struct mml_report *r = base_scan(&b);
	if (only)
		expect_ids(r, ANY_MM, "node-type", NULL);
	const struct mml_finding *fi = expect_finding(r, "node-type", b.mm);
	assert_int_equal(expect_evidence(fi, "node")->u, b.t->nodes[node].addr);
	assert_int_equal((expect_evidence(fi, "value")->u >> 3) & 0xf, type);
	mml_report_destroy(r);
	base_free(&b);
}

static void test_node_type(void **state)
{
	(void)state;
	FOR_VARIANTS {
		node_type_case(v, true, 0, true);    /* maple_dense */
		node_type_case(v, false, 0, true);
		node_type_case(v, true, 4, true);    /* maple_copy in 7.2 */
		node_type_case(v, false, 4, true);
		node_type_case(v, false, 9, true);   /* no such type */
		node_type_case(v, true, 15, true);
		/* range_64 inside an ALLOC_RANGE tree: it is decoded as one,
		 * so its pivots and slots make no sense either. */
		node_type_case(v, false, 2, false);
	}
	/* The root itself. */
	struct base b;
	base_new(&b, FAKE_V72, 30, 2, false);
	fake_node_set_type_bits(b.f, b.t, 0, 4);
	struct mml_report *r = base_scan(&b);
	expect_ids(r, ANY_MM, "node-type", NULL);
	mml_report_destroy(r);
	base_free(&b);
}

static void height_case(enum fake_variant v, unsigned int height,
			unsigned int claimed)
{
	struct base b;
	base_new(&b, v, height == 1 ? 6 : 40, height, false);
	uint64_t tree = fake_mm_tree(b.f, b.mm);
	uint32_t fl = fake_tree_get_flags(b.f, tree);
	fake_tree_set_flags(b.f, tree, (fl & ~0x7cu) | (claimed << 2));
	struct mml_report *r = base_scan(&b);
	expect_ids(r, ANY_MM, "tree-height", NULL);
	mml_report_destroy(r);
	base_free(&b);
}

static void test_tree_height(void **state)
{
	(void)state;
	/* Height 0 with a node at the root: said of the tree itself. */
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 40, 2, false);
		uint64_t tree = fake_mm_tree(b.f, b.mm);
		fake_tree_set_flags(b.f, tree,
				    fake_tree_get_flags(b.f, tree) & ~0x7cu);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "tree-height", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "tree-height", b.mm);
		assert_null(find_evidence(fi, "node"));
		assert_int_equal(expect_evidence(fi, "depth_in_tree")->u, 0);
		mml_report_destroy(r);
		base_free(&b);
	}
	FOR_VARIANTS {
		height_case(v, 2, 0);
		height_case(v, 2, 31);
		height_case(v, 2, 3);
		height_case(v, 3, 2);
		height_case(v, 1, 2);
	}
	/* Leaves at two depths: a leaf hung where an internal node was. */
	struct base b;
	base_new(&b, FAKE_V66, 60, 3, false);
	int mid = fake_tree_node_at(b.t, 2);
	int leaf = fake_tree_leaf_of(b.t, b.t->nodes[mid].min);
	/* Replace the depth-2 node by its first leaf: the ranges differ, so
	 * give the leaf the parent's range and pointer. */
	(void)leaf;
	fake_node_set_slot(b.f, b.t, 0, b.t->nodes[mid].pslot,
			   fake_enode(b.t->nodes[leaf].addr, 1));
	struct mml_report *r = base_scan(&b);
	expect_finding(r, "tree-height", b.mm);
	mml_report_destroy(r);
	base_free(&b);
}

static void test_bad_entry(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* XA_RETRY_ENTRY in the NULL slot after the first VMA. */
		struct base b;
		base_new(&b, v, 30, 2, false);
		int leaf = some_leaf(&b);
		/* slot 0: NULL below 0x400000, 1: vma 0, 2: NULL gap */
		fake_node_set_slot(b.f, b.t, leaf, 2, FAKE_XA_RETRY);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "bad-entry", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "bad-entry", b.mm);
		assert_int_equal(expect_evidence(fi, "value")->u,
				 FAKE_XA_RETRY);
		assert_int_equal(expect_evidence(fi, "slot_range")->range.first,
				 0x403000);
		assert_int_equal(report_mm(r, b.mm)->tree.bad, 1);
		mml_report_destroy(r);
		base_free(&b);

		/* A misaligned pointer. */
		base_new(&b, v, 30, 2, false);
		leaf = some_leaf(&b);
		fake_node_set_slot(b.f, b.t, leaf, 2, b.vmas[1] + 4);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "bad-entry", NULL);
		mml_report_destroy(r);
		base_free(&b);

		/* Internal slots that hold no node: a reserved entry and
		 * NULL. (An aligned pointer there reads as a maple_dense
		 * node: node-type, tested above.) */
		base_new(&b, v, 30, 2, false);
		fake_node_set_slot(b.f, b.t, 0, 1, FAKE_XA_RETRY);
		fake_node_set_slot(b.f, b.t, 0, 2, 0);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "bad-entry", NULL);
		fi = expect_finding(r, "bad-entry", b.mm);
		assert_int_equal(expect_evidence(fi, "value")->u,
				 FAKE_XA_RETRY);
		assert_int_equal(expect_evidence(fi, "occurrences")->u, 2);
		assert_false(report_mm(r, b.mm)->tree.complete);
		mml_report_destroy(r);
		base_free(&b);

		/* A single entry in the root (never for mm_mt). */
		base_new(&b, v, 1, 1, false);
		uint64_t vma = fake_vma_new(b.f, b.mm, 0, 0x1000, 0);
		fake_tree_set_root(b.f, fake_mm_tree(b.f, b.mm), vma);
		fake_tree_set_flags(b.f, fake_mm_tree(b.f, b.mm), 0x303);
		r = base_scan(&b);
		/* The VMA spans a page, the root entry covers index 0. */
		expect_ids(r, ANY_MM, "bad-entry", "vma-range", NULL);
		fi = expect_finding(r, "bad-entry", b.mm);
		assert_int_equal(expect_evidence(fi, "ma_root")->u, vma);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_no_rcu(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct fake *f = fake_new(v);
		uint64_t a = fake_mm_new(f), c = fake_mm_new(f);
		struct fake_tree_opts o = { .height = 2 };
		fake_mm_populate(f, a, 20, &o, NULL);
		o.no_rcu = true;
		fake_mm_populate(f, c, 20, &o, NULL);
		fake_task_new(f, 10, 10, "rcu", a, 0);
		fake_task_new(f, 11, 11, "norcu", c, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, ANY_MM, "no-rcu", NULL);
		const struct mml_finding *fi = expect_finding(r, "no-rcu", c);
		assert_int_equal(expect_evidence(fi, "ma_flags")->u,
				 0x301 | (2 << 2));
		mml_report_destroy(r);
		fake_free(f);

		/* exit_mmap() takes the tree out of RCU mode: an exiting
		 * task's mm without it is no finding. */
		f = fake_new(v);
		a = fake_mm_new(f);
		c = fake_mm_new(f);
		o.no_rcu = false;
		fake_mm_populate(f, a, 20, &o, NULL);
		o.no_rcu = true;
		fake_mm_populate(f, c, 20, &o, NULL);
		fake_task_new(f, 10, 10, "rcu", a, 0);
		fake_task_new(f, 11, 11, "exiting", c, FAKE_PF_EXITING);
		r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		mml_report_destroy(r);
		fake_free(f);

		/* A kernel before 6.1.22 never sets RCU mode: no finding. */
		f = fake_new(v);
		a = fake_mm_new(f);
		c = fake_mm_new(f);
		fake_mm_populate(f, a, 20, &o, NULL);
		fake_mm_populate(f, c, 3, &o, NULL);
		fake_task_new(f, 10, 10, "old", a, 0);
		fake_task_new(f, 11, 11, "kernel", c, 0);
		r = scan_fake(f, NULL, NULL);
		expect_clean(r);
		mml_report_destroy(r);
		fake_free(f);
	}
}

static void test_unreadable(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* A node on an excluded page. */
		struct base b;
		base_new(&b, v, 30, 2, true);
		int leaf = some_leaf(&b);
		fake_exclude_page(b.f, b.t->nodes[leaf].addr);
		struct mml_report *r = base_scan(&b);
		/* About the dump: excluded-page on the mm, dump-incomplete
		 * for the dump, no kernel finding (no map-count either). */
		expect_ids(r, ANY_MM, "excluded-page", "dump-incomplete",
			   NULL);
		const struct mml_finding *fi =
			expect_finding(r, "excluded-page", b.mm);
		assert_string_equal(expect_evidence(fi, "reason")->str,
				    "page excluded from the dump");
		assert_string_equal(expect_evidence(fi, "what")->str,
				    "maple node");
		assert_int_equal(expect_evidence(fi, "node")->u,
				 b.t->nodes[leaf].addr);
		fi = expect_finding(r, "dump-incomplete", 0);
		assert_int_equal(expect_evidence(fi, "lost_maple_nodes")->u, 1);
		assert_int_equal(expect_evidence(fi, "mms_not_checked")->u, 1);
		assert_non_null(find_evidence(fi, "remedy"));
		assert_false(r->any_findings);
		assert_true(r->counts.excluded_reads >= 1);
		assert_false(report_mm(r, b.mm)->tree.complete);
		mml_report_destroy(r);
		base_free(&b);

		/* A VMA on an unmapped page. */
		base_new(&b, v, 30, 2, true);
		fake_unmap_page(b.f, b.vmas[4]);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "unreadable", NULL);
		fi = expect_finding(r, "unreadable", b.mm);
		assert_string_equal(expect_evidence(fi, "reason")->str,
				    "invalid address");
		assert_int_equal(expect_evidence(fi, "vma")->u, b.vmas[4]);
		mml_report_destroy(r);
		base_free(&b);

		/* The root node: nothing below it is known, not even the
		 * number of VMAs (no map-count). */
		base_new(&b, v, 30, 2, true);
		fake_exclude_page(b.f, b.t->nodes[0].addr);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "excluded-page", "dump-incomplete",
			   NULL);
		assert_int_equal(report_mm(r, b.mm)->tree.vmas, 0);
		assert_int_equal(report_mm(r, b.mm)->tree.nodes, 1);
		mml_report_destroy(r);
		base_free(&b);

		/* A VMA on an excluded page. */
		base_new(&b, v, 30, 2, true);
		fake_exclude_page(b.f, b.vmas[9]);
		fake_exclude_page(b.f, b.vmas[11]);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "excluded-page", "dump-incomplete",
			   NULL);
		fi = expect_finding(r, "excluded-page", b.mm);
		assert_string_equal(expect_evidence(fi, "reason")->str,
				    "page excluded from the dump");
		assert_int_equal(expect_evidence(fi, "vma")->u, b.vmas[9]);
		assert_int_equal(expect_evidence(fi, "occurrences")->u, 2);
		fi = expect_finding(r, "dump-incomplete", 0);
		assert_int_equal(expect_evidence(fi, "lost_vmas")->u, 2);
		assert_non_null(find_evidence(fi, "likely_cause"));
		mml_report_destroy(r);
		base_free(&b);

		/* init_mm.mmlist leading nowhere. */
		base_new(&b, v, 3, 1, false);
		const struct mml_layout *l = fake_layout(b.f);
		fake_write_u64(b.f, fake_init_mm(b.f) + l->mm_mmlist +
					    l->list_head_next,
			       FAKE_UNMAPPED + l->mm_mmlist);
		r = base_scan(&b);
		/* The mm the entry names, and the list itself. */
		expect_ids(r, FAKE_UNMAPPED, "unreadable", NULL);
		expect_ids(r, 0, "unreadable", NULL);
		expect_ids(r, b.mm, NULL);
		fi = expect_finding(r, "unreadable", 0);
		assert_non_null(strstr(fi->summary, "mmlist"));
		mml_report_destroy(r);
		base_free(&b);

		/* The mm itself. */
		base_new(&b, v, 3, 1, false);
		uint64_t t2 = fake_task_new(b.f, 200, 200, "lost", 0, 0);
		fake_task_set_mm(b.f, t2, FAKE_UNMAPPED);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "unreadable", NULL);
		fi = expect_finding(r, "unreadable", FAKE_UNMAPPED);
		assert_non_null(strstr(fi->summary, "mm_struct"));
		assert_non_null(strstr(expect_evidence(fi, "tasks")->str,
				       "200 lost"));
		assert_false(report_mm(r, FAKE_UNMAPPED)->readable);
		mml_report_destroy(r);
		base_free(&b);

		/* The mm on an excluded page. */
		base_new(&b, v, 3, 1, true);
		fake_exclude_page(b.f, b.mm);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "excluded-page", "dump-incomplete",
			   NULL);
		fi = expect_finding(r, "excluded-page", b.mm);
		assert_string_equal(expect_evidence(fi, "reason")->str,
				    "page excluded from the dump");
		assert_string_equal(expect_evidence(fi, "what")->str,
				    "mm_struct");
		assert_false(r->any_findings);
		assert_int_equal(r->dump_findings, 2);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_walk_limit(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* A child pointing back to the root. */
		struct base b;
		base_new(&b, v, 60, 3, false);
		int mid = fake_tree_node_at(b.t, 2);
		fake_node_link_back(b.f, b.t, mid, 1, 0);
		struct mml_report *r = base_scan(&b);
		expect_finding(r, "walk-limit", b.mm);
		mml_report_destroy(r);
		base_free(&b);

		/* More nodes than the limit. */
		base_new(&b, v, 200, 3, false);
		struct mml_limits lim;
		mml_limits_default(&lim);
		lim.max_nodes = 5;
		r = scan_fake(b.f, NULL, &lim);
		expect_ids(r, ANY_MM, "walk-limit", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "walk-limit", b.mm);
		assert_int_equal(expect_evidence(fi, "limit")->u, 5);
		assert_int_equal(report_mm(r, b.mm)->tree.nodes, 5);
		mml_report_destroy(r);
		/* The same tree within the default limit is fine. */
		r = base_scan(&b);
		expect_clean(r);
		mml_report_destroy(r);
		base_free(&b);

		/* init_mm.mmlist going round without its head. */
		base_new(&b, v, 3, 1, false);
		uint64_t m1 = fake_mm_new(b.f), m2 = fake_mm_new(b.f);
		fake_mm_set_users(b.f, m1, 0);
		fake_mm_set_users(b.f, m2, 0);
		fake_mmlist_add(b.f, m1);
		fake_mmlist_add(b.f, m2);
		const struct mml_layout *l = fake_layout(b.f);
		fake_write_u64(b.f, m2 + l->mm_mmlist + l->list_head_next,
			       m1 + l->mm_mmlist);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "walk-limit", NULL);
		expect_finding(r, "walk-limit", 0);
		mml_report_destroy(r);
		base_free(&b);
	}
}

static void test_task_list(void **state)
{
	(void)state;
	FOR_VARIANTS {
		/* The ring goes round without coming back to init_task. */
		struct base b;
		base_new(&b, v, 3, 1, false);
		uint64_t t2 = fake_task_new(b.f, 200, 200, "b", 0, 0);
		uint64_t t3 = fake_task_new(b.f, 300, 300, "c", 0, 0);
		(void)t2;
		fake_write_u64(b.f, fake_task_tasks_next(b.f, t3),
			       fake_task_tasks_entry(b.f, b.task));
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "task-list", NULL);
		expect_finding(r, "task-list", 0);
		assert_int_equal(r->counts.tasks, 4);
		mml_report_destroy(r);
		base_free(&b);

		/* A NULL next pointer. */
		base_new(&b, v, 3, 1, false);
		t3 = fake_task_new(b.f, 300, 300, "c", 0, 0);
		fake_write_u64(b.f, fake_task_tasks_next(b.f, t3), 0);
		r = base_scan(&b);
		expect_ids(r, ANY_MM, "task-list", NULL);
		assert_int_equal(r->counts.tasks, 3);
		assert_int_equal(r->counts.mms, 1);
		mml_report_destroy(r);
		base_free(&b);

		/* An unreadable task on the ring. */
		base_new(&b, v, 3, 1, false);
		t3 = fake_task_new(b.f, 300, 300, "c", 0, 0);
		fake_write_u64(b.f, fake_task_tasks_next(b.f, t3),
			       FAKE_UNMAPPED + 0x500);
		r = base_scan(&b);
		expect_finding(r, "task-list", 0);
		expect_ids(r, b.mm, NULL);
		const struct mml_finding *fi =
			expect_finding(r, "task-list", 0);
		assert_non_null(find_evidence(fi, "address"));
		mml_report_destroy(r);
		base_free(&b);

		/* An unreadable thread. */
		base_new(&b, v, 3, 1, false);
		fake_set_isolate(b.f, true);
		uint64_t thr = fake_task_new(b.f, 101, 100, "thr", b.mm, 0);
		fake_set_isolate(b.f, false);
		fake_exclude_page(b.f, thr);
		r = base_scan(&b);
		/* A page the dump lacks is about the dump: no task-list
		 * finding, one dump-incomplete, and no kernel finding. */
		expect_no_finding(r, "task-list", ANY_MM);
		const struct mml_finding *di =
			expect_finding(r, "dump-incomplete", 0);
		assert_int_equal(expect_evidence(di, "lost_task_structs")->u,
				 1);
		assert_int_equal(di->check->finding_class, MML_CLASS_DUMP);
		assert_int_equal(r->dump_findings, 1);
		assert_false(r->any_findings);
		expect_ids(r, b.mm, NULL);
		assert_int_equal(r->counts.tasks, 2);
		mml_report_destroy(r);
		base_free(&b);
	}
}

/* A thread ring that goes round without its head ends at once. */
static void test_thread_ring_loop(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 3, 1, false);
		uint64_t t1 = fake_task_new(b.f, 101, 100, "t1", b.mm, 0);
		uint64_t t2 = fake_task_new(b.f, 102, 100, "t2", b.mm, 0);
		const struct mml_layout *l = fake_layout(b.f);
		fake_write_u64(b.f, fake_task_thread_next(b.f, t2),
			       t1 + l->task_thread_node);
		uint64_t t3 = fake_task_new(b.f, 300, 300, "after", 0, 0);
		(void)t3;
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "task-list", NULL);
		/* init, victim, t1, t2 and the group after it. */
		assert_int_equal(r->counts.tasks, 5);
		mml_report_destroy(r);
		base_free(&b);
	}
}

/* Group A's thread ring holds group B's leader: reported, and the groups
 * after B are still found. */
static void test_crossed_lists(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct base b;
		base_new(&b, v, 3, 1, false);
		uint64_t a1 = fake_task_new(b.f, 101, 100, "a1", b.mm, 0);
		uint64_t lb = fake_task_new(b.f, 200, 200, "b", 0, 0);
		uint64_t mc = fake_mm_new(b.f);
		fake_mm_populate(b.f, mc, 2, NULL, NULL);
		fake_task_new(b.f, 300, 300, "c", mc, 0);
		const struct mml_layout *l = fake_layout(b.f);
		/* a1 -> b's thread node -> back to group A's head. */
		uint64_t head = fake_read_u64(b.f,
					      fake_task_thread_next(b.f, a1));
		fake_write_u64(b.f, fake_task_thread_next(b.f, a1),
			       lb + l->task_thread_node);
		fake_write_u64(b.f, fake_task_thread_next(b.f, lb), head);
		struct mml_report *r = base_scan(&b);
		expect_ids(r, ANY_MM, "task-list", NULL);
		/* init, victim, a1, b (as a thread), c */
		assert_int_equal(r->counts.tasks, 5);
		assert_int_equal(r->counts.mms, 2);
		assert_int_equal(report_mm(r, mc)->ntasks, 1);
		mml_report_destroy(r);
		base_free(&b);
	}
}

/* The failed-fork checks, minimal (test_fork.c has the matrix). */
static void test_fork_checks(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 20, 8, true, 0, 2);
		fake_mmlist_add(f, s.child);
		uint64_t lonely = fake_mm_new(f);
		fake_task_new(f, 300, 300, "lonely", lonely, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, s.child, "xa-zero", "stale-vma", "flags-mismatch",
			   "orphan-fork", NULL);
		expect_ids(r, lonely, "empty-live-mm", NULL);
		expect_ids(r, s.parent, NULL);
		mml_report_destroy(r);
		free(s.pvmas);
		fake_free(f);
	}
}

/* The deep scan's ids: an orphan held by mm_count, one with users and no
 * task, and a freelist that leaves its slab (tests/unit/test_slab.c has
 * the slab walker's own tests). */
static void test_deep_scan_checks(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct slab_fake s;
	slab_fake_init(&s, f, false);
	uint64_t a = slab_fake_new_slab(&s, 4);
	uint64_t held = slab_fake_obj(&s, a, 0), leaked = slab_fake_obj(&s, a, 1);
	slab_fake_mm(&s, held, 0, 1, 0, FAKE_MMF_OOM_SKIP);
	slab_fake_mm(&s, leaked, 1, 1, 0, 0);
	fake_write_u64(f, a + s.layout.slab_freelist, slab_fake_obj(&s, a, 2));
	slab_fake_link(&s, slab_fake_obj(&s, a, 2), FAKE_UNMAPPED);
	slab_fake_mm(&s, slab_fake_obj(&s, a, 3), 0, 0, 0, 0);
	struct mml_report *r = slab_fake_scan(&s);
	expect_ids(r, held, "orphan-held", NULL);
	expect_ids(r, leaked, "orphan-leaked", NULL);
	expect_finding(r, "slab-freelist", 0);
	mml_report_destroy(r);
	fake_free(f);
}

/* A VMA of another mm before any marker: stale, but not after XA_ZERO. */
static void test_stale_before_marker(void **state)
{
	(void)state;
	FOR_VARIANTS {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 20, 8, true, BOTH_FLAGS, 2);
		/* The child's slot of VMA 3 points to the parent's VMA 3. */
		int leaf = fake_tree_leaf_of(s.ctree, 0x430000);
		const struct fake_node *n = &s.ctree->nodes[leaf];
		unsigned int slot = 0;
		for (uint64_t idx = n->min;;) {
			if (idx == 0x430000)
				break;
			idx = fake_node_get_pivot(f, s.ctree, leaf, slot) + 1;
			slot++;
		}
		fake_node_set_slot(f, s.ctree, leaf, slot, s.pvmas[3]);
		fake_mm_set_map_count(f, s.child, 7);
		fake_task_new(f, 200, 200, "child", s.child, 0);
		struct mml_report *r = scan_fake(f, NULL, NULL);
		expect_ids(r, s.child, "xa-zero", "stale-vma", "no-rcu", NULL);
		const struct mml_finding *fi =
			expect_finding(r, "stale-vma", s.child);
		assert_false(expect_evidence(fi, "after_xa_zero")->b);
		assert_int_equal(expect_evidence(fi, "count")->u, 12);
		assert_int_equal(expect_evidence(fi, "first_vma")->u,
				 s.pvmas[3]);
		mml_report_destroy(r);
		free(s.pvmas);
		fake_free(f);
	}
}

/* Must stay last: every check id has been asserted above. */
static void test_all_checks_covered(void **state)
{
	(void)state;
	size_t n = 0;
	for (const struct mml_check *c = mml_checks; c->id; c++, n++) {
		if (!covered_has(c->id))
			fail_msg("check %s has no test asserting it", c->id);
		assert_non_null(mml_check_find(c->id));
	}
	assert_true(n >= 18);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_count),
		cmocka_unit_test(test_vma_range),
		cmocka_unit_test(test_pivot_order),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_parent_slot),
		cmocka_unit_test(test_gap_value),
		cmocka_unit_test(test_gap_range),
		cmocka_unit_test(test_gap_meta),
		cmocka_unit_test(test_gap_meta_no_gap),
		cmocka_unit_test(test_gap_past_end),
		cmocka_unit_test(test_adjacent_nulls),
		cmocka_unit_test(test_dead_node),
		cmocka_unit_test(test_node_type),
		cmocka_unit_test(test_tree_height),
		cmocka_unit_test(test_bad_entry),
		cmocka_unit_test(test_no_rcu),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_walk_limit),
		cmocka_unit_test(test_task_list),
		cmocka_unit_test(test_thread_ring_loop),
		cmocka_unit_test(test_crossed_lists),
		cmocka_unit_test(test_fork_checks),
		cmocka_unit_test(test_stale_before_marker),
		cmocka_unit_test(test_deep_scan_checks),
		cmocka_unit_test(test_all_checks_covered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
