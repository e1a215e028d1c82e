// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Worker threads for the walks (mml_ctx_set_workers()): with targets to
 * split among, the mms are walked on more threads when they hold enough
 * VMAs, and the report is the one of a single thread but for
 * counts.pages_read; below the threshold the walks stay on the caller's
 * thread.
 */
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Everything a report says about the mms, pages_read aside. */
static void expect_same_report(const struct mml_report *a,
			       const struct mml_report *b)
{
	assert_int_equal(a->counts.mms, b->counts.mms);
	assert_int_equal(a->counts.vmas, b->counts.vmas);
	assert_int_equal(a->counts.nodes, b->counts.nodes);
	assert_int_equal(a->counts.excluded_reads, b->counts.excluded_reads);
	assert_int_equal(a->nmms, b->nmms);
	for (size_t i = 0; i < a->nmms; i++)
		assert_int_equal(a->mms[i].addr, b->mms[i].addr);
	assert_int_equal(a->nfindings, b->nfindings);
	for (size_t i = 0; i < a->nfindings; i++)
		assert_string_equal(a->findings[i].summary,
				    b->findings[i].summary);
}

/* The targets a scan gets when it splits: the fake's own (it reads from
 * any thread), and how often they were asked for. */
struct workers {
	struct mml_target targets[3];
	unsigned int prepared;
};

static const struct mml_target *workers_prepare(void *arg)
{
	struct workers *w = arg;
	w->prepared++;
	return w->targets;
}

/* A scan of @f with up to @nworkers more threads split at @min_vmas;
 * *@threads_ret: the threads used, *@prepared_ret: targets asked for. */
static struct mml_report *scan_workers(struct fake *f, unsigned int nworkers,
				       uint64_t min_vmas,
				       unsigned int *threads_ret,
				       unsigned int *prepared_ret)
{
	struct workers w = { .prepared = 0 };
	for (unsigned int k = 0; k < nworkers; k++)
		w.targets[k] = *fake_target(f);
	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL,
				   &ctx));
	mml_ctx_set_workers(ctx, nworkers, min_vmas, workers_prepare, &w);
	struct mml_report *r = NULL;
	assert_null(mml_scan(ctx, NULL, &r));
	*threads_ret = mml_ctx_threads_used(ctx);
	*prepared_ret = w.prepared;
	mml_ctx_destroy(ctx);
	return r;
}

/* A failed fork's parent and child, and a third mm on mmlist: split
 * among 3 threads, and among 2 (an mm more than threads), the same
 * report as one thread's. */
static void test_workers_same_report(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct fork_scn s;
		fork_build(f, &s, 60, 30, true, BOTH_FLAGS, 2);
		fake_mmlist_add(f, s.child);
		struct mml_report *one = scan_fake(f, NULL, NULL);
		assert_true(one->counts.mms >= 2);
		for (unsigned int n = 1; n <= 2; n++) {
			unsigned int used, prepared;
			struct mml_report *r =
				scan_workers(f, n, 0, &used, &prepared);
			assert_int_equal(prepared, 1);
			assert_int_equal(used, 1 + n < one->counts.mms
						       ? 1 + n
						       : one->counts.mms);
			expect_same_report(one, r);
			mml_report_destroy(r);
		}
		mml_report_destroy(one);
		free(s.pvmas);
		fake_free(f);
	}
}

/* Fewer VMAs than the threshold: the walks stay on one thread, and no
 * worker target is asked for (the front end makes none). */
static void test_workers_threshold(void **state)
{
	(void)state;
	struct fake *f = fake_new(0);
	struct fork_scn s;
	fork_build(f, &s, 60, 30, true, BOTH_FLAGS, 2);
	fake_mmlist_add(f, s.child);   /* two mms: something to split */
	unsigned int used, prepared;
	struct mml_report *r = scan_workers(f, 2, 1u << 20, &used, &prepared);
	assert_int_equal(used, 1);
	assert_int_equal(prepared, 0);
	mml_report_destroy(r);
	r = scan_workers(f, 2, 1, &used, &prepared);
	assert_true(used >= 2);
	assert_int_equal(prepared, 1);
	mml_report_destroy(r);
	free(s.pvmas);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workers_same_report),
		cmocka_unit_test(test_workers_threshold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
