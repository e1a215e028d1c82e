// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runaway walks end within the stated limits, in time and memory (TAP).
 * Built without sanitizers by tests/fuzz/run.sh so that the peak RSS is
 * mmlife's own; each case must end in BOUNDS_SECONDS, and the process's
 * peak RSS (getrusage) must stay under BOUNDS_RSS_MB.
 *
 * - a chain of 40 maple nodes whose ma_flags claims height 31, and one of
 *   3 claiming 31 (MML_LIMIT_DEPTH);
 * - a 31-level DAG whose every internal slot points to the same child
 *   (10^30 paths without the seen set);
 * - every internal slot pointing back to the root (a cycle);
 * - a task list that loops without coming back to init_task, and a thread
 *   list that does (MML_LIMIT_TASKS and the seen set);
 * - an mmlist that loops (MML_LIMIT_LIST);
 * - a slab whose freelist loops, and a cpu partial chain that loops
 *   (MML_LIMIT_SLAB_OBJECTS, MML_LIMIT_SLAB_LIST), through --deep; the
 *   latter is cut without a finding, and must give none;
 * - a 7.2 barn sheaf list that loops without coming back to the barn
 *   (the seen set; the fuzz_slab regression), through --deep.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fuzz_input.h"
#include "fake.h"
#include "mmlife/model.h"
#include "mmlife/scan.h"
#include "slab_fake.h"
#include "walk_limits.h"

#define BOUNDS_SECONDS 2.0
#define BOUNDS_RSS_MB 256

static int n, failed;

static const char *ids(const struct mml_report *r, char *buf, size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->nfindings && o + 32 < size; i++) {
		const char *id = r->findings[i].check->id;
		if (!strstr(buf, id))
			o += snprintf(buf + o, size - o, "%s%s", o ? " " : "",
				      id);
	}
	return buf;
}

/* Scan @f (deep with @layout when not NULL) and report one TAP line:
 * the findings must include @want, or be exactly the ids after a leading
 * '=' (in the order the scan reports them). */
static void run(const char *name, struct fake *f,
		const struct mml_layout *layout, const char *want)
{
	struct mml_ctx *ctx = NULL;
	struct mml_report *r = NULL;
	struct mml_scan_options opts = { .mmlist = true, .deep = layout != 0 };
	double t0 = now();
	struct mml_error *err = mml_ctx_create(
		fake_target(f), layout ? layout : fake_layout(f), NULL, &ctx);
	if (!err)
		err = mml_scan(ctx, &opts, &r);
	double dt = now() - t0;
	mml_ctx_destroy(ctx);
	char buf[512] = "";
	if (r)
		ids(r, buf, sizeof(buf));
	int ok = !err && dt < BOUNDS_SECONDS &&
		 (want[0] == '=' ? strcmp(buf, want + 1) == 0
				 : strstr(buf, want) != NULL);
	printf("%s %d - %s: ends in %.3f s (limit %.0f s), findings: %s%s%s\n",
	       ok ? "ok" : "not ok", ++n, name, dt, BOUNDS_SECONDS,
	       buf[0] ? buf : "none", err ? "; error: " : "",
	       err ? err->message : "");
	if (!ok)
		failed = 1;
	mml_error_destroy(err);
	mml_report_destroy(r);
}

/* A chain of @depth nodes, each internal node's @fan slots all pointing
 * to the next node; ma_flags claims @claimed. */
static uint64_t chain(struct fake *f, unsigned int depth, unsigned int claimed,
		      unsigned int fan)
{
	const struct mml_layout *l = fake_layout(f);
	uint64_t mm = fake_mm_new(f);
	uint64_t tree = fake_mm_tree(f, mm);
	uint64_t parent = tree | 1, prev = 0;
	for (unsigned int d = 1; d <= depth; d++) {
		uint64_t node = fake_alloc(f, 256, 256);
		int leaf = d == depth;
		uint64_t enode = fake_enode(node, leaf ? 1 : 3);
		if (d == 1)
			fake_tree_set_root(f, tree, enode | 2);
		else
			for (unsigned int s = 0; s < fan; s++)
				fake_write_u64(f, prev + l->ma64_slot + 8 * s,
					       enode);
		if (leaf) {
			uint64_t vma = fake_vma_new(f, mm, 0x400000, 0x401000, 0);
			fake_write_u64(f, node + l->mr64_parent, parent);
			fake_write_u64(f, node + l->mr64_pivot, 0x3fffff);
			fake_write_u64(f, node + l->mr64_pivot + 8, 0x400fff);
			fake_write_u64(f, node + l->mr64_pivot + 16, UINT64_MAX);
			fake_write_u64(f, node + l->mr64_slot + 8, vma);
			fake_write_u8(f, node + l->mr64_meta + l->meta_end, 2);
		} else {
			fake_write_u64(f, node + l->ma64_parent, parent);
			for (unsigned int s = 0; s + 1 < fan; s++)
				fake_write_u64(f, node + l->ma64_pivot + 8 * s,
					       (s + 1) * (UINT64_MAX / fan));
			fake_write_u64(f, node + l->ma64_pivot + 8 * (fan - 1),
				       UINT64_MAX);
			fake_write_u8(f, node + l->ma64_meta + l->meta_end,
				      (uint8_t)(fan - 1));
			/* A chain's one gap: the leaf's largest, above the
			 * VMA (mas_validate_gaps()). */
			if (fan == 1)
				fake_write_u64(f, node + l->ma64_gap,
					       UINT64_MAX - 0x401000 + 1);
		}
		parent = node | 0x06;
		prev = node;
	}
	fake_tree_set_flags(f, tree, 0x303 | claimed << 2);
	fake_mm_set_map_count(f, mm, 1);
	return mm;
}

/* 7.2: two full sheaves in the barn, the second's list entry pointing
 * back to the first instead of to the barn (fuzz_slab's regression, once a
 * 198 s walk). */
static void sheaf_loop(void)
{
	struct fake *f = fake_new(FAKE_V72);
	struct slab_fake s;
	slab_fake_init(&s, f, true);
	uint64_t sl = slab_fake_new_slab(&s, 4);
	for (unsigned int i = 0; i < 4; i++)
		slab_fake_mm(&s, slab_fake_obj(&s, sl, i), 1, 1, 0, 0);
	fake_task_new(f, 100, 100, "t", slab_fake_obj(&s, sl, 0), 0);
	uint64_t a = slab_fake_obj(&s, sl, 1), b = slab_fake_obj(&s, sl, 2);
	slab_fake_sheaf(&s, true, &a, 1);
	slab_fake_sheaf(&s, true, &b, 1);
	/* head -> second -> first -> head; make it first -> second. */
	uint64_t head = s.barn + s.layout.barn_sheaves_full;
	uint64_t second = fake_read_u64(f, head);
	uint64_t first = fake_read_u64(f, second);
	fake_write_u64(f, first, second);
	run("barn sheaf list that loops (7.2, --deep)", f, &s.layout,
	    "walk-limit");
	slab_fake_deinit(&s);
	fake_free(f);
}

int main(void)
{
	printf("# limits (lib/walk_limits.h): depth %u, nodes/tree %u, tasks %u, "
	       "list %u, slab objects %u, slab list %u, reader cache %u pages\n",
	       MML_LIMIT_DEPTH, MML_LIMIT_NODES, MML_LIMIT_TASKS,
	       MML_LIMIT_LIST, MML_LIMIT_SLAB_OBJECTS, MML_LIMIT_SLAB_LIST,
	       MML_LIMIT_CACHE_PAGES);
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		char name[96];
		struct fake *f = fake_new(v);
		fake_task_new(f, 100, 100, "deep", chain(f, 40, 31, 1), 0);
		snprintf(name, sizeof(name), "%s: 40 levels, ma_flags height 31",
			 fake_variant_name(v));
		run(name, f, NULL, "tree-height");
		fake_free(f);

		f = fake_new(v);
		fake_task_new(f, 100, 100, "claims", chain(f, 3, 31, 1), 0);
		snprintf(name, sizeof(name), "%s: 3 levels claiming height 31",
			 fake_variant_name(v));
		run(name, f, NULL, "tree-height");
		fake_free(f);
	}

	struct fake *f = fake_new(FAKE_V66);
	fake_task_new(f, 100, 100, "dag", chain(f, 31, 31, 10), 0);
	run("31-level DAG, 10 slots per node to one child (10^30 paths)", f,
	    NULL, "walk-limit");
	fake_free(f);

	f = fake_new(FAKE_V66);
	uint64_t mm = fake_mm_new(f);
	struct fake_tree_opts o = { .height = 4 };
	struct fake_tree *t = fake_mm_populate(f, mm, 300, &o, NULL);
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].type == 3)
			for (unsigned int s = 0; s < t->nodes[i].nslots; s++)
				fake_node_link_back(f, t, (int)i, s, 0);
	fake_task_new(f, 100, 100, "loop", mm, 0);
	run("every internal slot points back to the root", f, NULL,
	    "walk-limit");
	fake_free(f);

	f = fake_new(FAKE_V66);
	uint64_t a = fake_task_new(f, 100, 100, "a", 0, 0);
	uint64_t b = fake_task_new(f, 101, 101, "b", 0, 0);
	fake_write_u64(f, fake_task_tasks_next(f, b),
		       fake_task_tasks_entry(f, a));
	run("task list a -> b -> a, never back to init_task", f, NULL,
	    "task-list");
	fake_free(f);

	f = fake_new(FAKE_V66);
	uint64_t lead = fake_task_new(f, 100, 100, "lead", 0, 0);
	uint64_t th = fake_task_new(f, 101, 100, "thr", 0, 0);
	fake_write_u64(f, fake_task_thread_next(f, th),
		       fake_task_thread_next(f, th));
	(void)lead;
	run("thread list entry pointing to itself", f, NULL, "task-list");
	fake_free(f);

	f = fake_new(FAKE_V66);
	uint64_t m1 = fake_mm_new(f), m2 = fake_mm_new(f);
	fake_mm_set_users(f, m1, 0);
	fake_mm_set_users(f, m2, 0);
	fake_mmlist_add(f, m1);
	fake_mmlist_add(f, m2);
	const struct mml_layout *l = fake_layout(f);
	/* m2.mmlist.next = m1.mmlist: the ring never returns to init_mm */
	fake_write_u64(f, m2 + l->mm_mmlist + l->list_head_next,
		       m1 + l->mm_mmlist);
	fake_write_u64(f, m1 + l->mm_mmlist + l->list_head_next,
		       m2 + l->mm_mmlist);
	run("init_mm.mmlist loop not through init_mm", f, NULL, "walk-limit");
	fake_free(f);

	for (int kind = 0; kind < 2; kind++) {
		f = fake_new(FAKE_V66);
		struct slab_fake s;
		slab_fake_init(&s, f, false);
		uint64_t sl = slab_fake_new_slab(&s, 4);
		for (unsigned int i = 0; i < 4; i++)
			slab_fake_mm(&s, slab_fake_obj(&s, sl, i), 1, 1, 0, 0);
		fake_task_new(f, 100, 100, "t", slab_fake_obj(&s, sl, 0), 0);
		if (kind == 0) {
			uint64_t o1 = slab_fake_obj(&s, sl, 1);
			uint64_t o2 = slab_fake_obj(&s, sl, 2);
			fake_write_u64(f, sl + s.layout.slab_freelist, o1);
			slab_fake_link(&s, o1, o2);
			slab_fake_link(&s, o2, o1);
			run("slab freelist o1 -> o2 -> o1 (--deep)", f,
			    &s.layout, "slab-freelist");
		} else {
			uint64_t sl2 = slab_fake_new_slab(&s, 4);
			uint64_t v[2] = { sl, sl2 };
			slab_fake_cpu_partial(&s, v, 2);
			fake_write_u64(f, sl2 + s.layout.slab_next, sl);
			/* Cut silently: only the fake's own mms' findings
			 * (users 1 and an empty tree, with and without a
			 * task), nothing about the loop. */
			run("cpu partial slab chain that loops (--deep): "
			    "no finding but the fake's own", f, &s.layout,
			    "=empty-live-mm orphan-leaked");
		}
		slab_fake_deinit(&s);
		fake_free(f);
	}

	sheaf_loop();

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long mb = ru.ru_maxrss / 1024;
	printf("%s %d - peak RSS of all the above: %ld MB (cap %d MB)\n",
	       mb < BOUNDS_RSS_MB ? "ok" : "not ok", ++n, mb, BOUNDS_RSS_MB);
	if (mb >= BOUNDS_RSS_MB)
		failed = 1;
	printf("1..%d\n", n);
	return failed;
}
