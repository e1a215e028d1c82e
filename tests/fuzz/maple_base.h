/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The fake kernel every fuzz_maple input starts from (shared with the
 * seed generator mkseeds.c, which turns the unit tests' mutators into
 * edits of this base).
 */
#ifndef MMLIFE_FUZZ_MAPLE_BASE_H
#define MMLIFE_FUZZ_MAPLE_BASE_H

#include <stdint.h>

#include "fake.h"

struct maple_base {
	struct fake *f;
	struct fake_tree *t;
	uint64_t lo, hi;          /* the window the edits land in */
	uint64_t mm, mm2;         /* mm2: on init_mm.mmlist, or 0 */
	uint64_t task, thread;
	uint64_t vmas[160];
	size_t n;
};

/* b0: variant (b0 % 3), mm2 (b0 & 4), height 1 + (b0 >> 4) % 4;
 * b1: number of VMAs. */
static inline void maple_base_build(uint8_t b0, uint8_t b1,
				    struct maple_base *b)
{
	struct fake *f = fake_new((enum fake_variant)(b0 % FAKE_NVARIANTS));
	b->f = f;
	b->lo = fake_alloc(f, 8, 4096);
	struct fake_tree_opts o = { .height = 1 + (b0 >> 4) % 4 };
	b->n = o.height == 1 ? 1 + b1 % 7
			     : 10 + b1 % (o.height == 2 ? 60 : 150);
	b->mm = fake_mm_new(f);
	b->t = fake_mm_populate(f, b->mm, b->n, &o, b->vmas);
	b->task = fake_task_new(f, 100, 100, "fuzz", b->mm, 0);
	b->thread = fake_task_new(f, 101, 100, "fuzz", b->mm, 0);
	b->mm2 = 0;
	if (b0 & 4) {
		/* A half-initialized fork's shape: no task, on mmlist. */
		b->mm2 = fake_mm_new(f);
		struct fake_tree_opts o2 = { .height = 2 };
		fake_mm_populate(f, b->mm2, 12, &o2, NULL);
		fake_mm_set_users(f, b->mm2, 0);
		fake_mmlist_add(f, b->mm2);
	}
	b->hi = fake_alloc(f, 8, 8) + 8;
}

#endif
