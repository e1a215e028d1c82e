// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the deep scan (lib/slab.c: the mm_struct SLUB cache,
 * cpu slabs, partial lists, 7.x sheaves, hardened freelists, the memmap)
 * and the orphan classification, over a fake cache (tests/unit/
 * slab_fake.c) in the 6.1, 6.12 or 7.2 shape, overwritten by edits.
 *
 * Input: byte 0 shape (% 3) and flags, then edits:
 *   op%8 0-1  raw bytes in the direct-map window: u16 offset, (op>>3)+1
 *   op%8 2    raw bytes in a slab's struct page: u8 slab, u8 offset, 8 bytes
 *   op%8 3    a word in the window = a slab's struct page address
 *   op%8 4    a word in the window = an object's address
 *   op%8 5    an object's free pointer = the encoded link to an object
 *   op%8 6    exclude the page at u16 offset of the window
 *   op%8 7    a word in a struct page = 0, an object or another slab
 * A scan over 10 s aborts: a corrupted max_pfn legitimately makes the
 * deep scan walk MML_LIMIT_MEMMAP_PFNS (2^28) struct pages, 4M page reads
 * (0.6 s here under ASan on an idle core, seconds on a loaded one).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_input.h"
#include "fake.h"
#include "mmlife/report.h"
#include "mmlife/scan.h"
#include "slab_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	uint8_t b0 = 0;
	get8(&in, &b0);
	static const enum fake_variant var[] = { FAKE_V66, FAKE_V72, FAKE_V61 };
	static const enum slab_fake_shape shp[] = { SLAB_FAKE_612, SLAB_FAKE_72,
						    SLAB_FAKE_61 };
	int k = b0 % 3;
	struct fake *f = fake_new(var[k]);
	struct slab_fake s;
	uint64_t lo = fake_alloc(f, 8, 4096);
	slab_fake_init_shape(&s, f, shp[k], SLAB_FAKE_VMEMMAP,
			     k == 2 ? 64 : 0);
	uint64_t slabs[4], objs[16];
	for (int i = 0; i < 4; i++) {
		slabs[i] = slab_fake_new_slab(&s, 4);
		for (unsigned int j = 0; j < 4; j++) {
			objs[4 * i + j] = slab_fake_obj(&s, slabs[i], j);
			slab_fake_mm(&s, objs[4 * i + j], j & 1, 1, (int)j,
				     j == 3 ? FAKE_MMF_OOM_SKIP |
						      FAKE_MMF_UNSTABLE
					    : 0);
		}
	}
	fake_task_new(f, 100, 100, "a", objs[0], 0);
	fake_task_new(f, 101, 101, "b", objs[5], 0);
	uint64_t fl[] = { objs[2], objs[3] };
	slab_fake_freelist(&s, slabs[0], fl, 2);
	if (shp[k] == SLAB_FAKE_612) {
		slab_fake_link(&s, objs[6], 0);
		slab_fake_cpu_slab(&s, slabs[1], objs[6]);
		slab_fake_partial(&s, slabs[2]);
	} else if (shp[k] == SLAB_FAKE_72) {
		uint64_t sh[] = { objs[6], objs[7] };
		slab_fake_sheaf(&s, false, sh, 2);
		uint64_t bh[] = { objs[9] };
		slab_fake_sheaf(&s, true, bh, 1);
		slab_fake_partial(&s, slabs[2]);
	} else {
		uint64_t ch[] = { slabs[1], slabs[2] };
		slab_fake_cpu_partial(&s, ch, 2);
	}
	uint64_t hi = fake_alloc(f, 8, 8) + 8, win = hi - lo;

	uint8_t op, a, b;
	uint16_t off;
	while (get8(&in, &op)) {
		switch (op % 8) {
		case 0: case 1: {
			if (!get16(&in, &off))
				break;
			uint64_t addr = lo + off % win;
			for (unsigned int i = 0; i <= (op >> 3u) && get8(&in, &a);
			     i++)
				if (addr + i < hi)
					fake_write_u8(f, addr + i, a);
			break;
		}
		case 2:
			if (!get8(&in, &a) || !get8(&in, &b))
				break;
			for (int i = 0; i < 8 && get8(&in, &op); i++)
				fake_write_u8(f, slabs[a % 4] + (b % 64 & ~7u) + i,
					      op);
			break;
		case 3: case 4:
			if (!get16(&in, &off) || !get8(&in, &a))
				break;
			fake_write_u64(f, (lo + off % win) & ~7ULL,
				       op % 8 == 3 ? slabs[a % 4]
						   : objs[a % 16] + (a >> 4));
			break;
		case 5:
			if (!get8(&in, &a) || !get8(&in, &b))
				break;
			slab_fake_link(&s, objs[a % 16],
				       b >= 240 ? b - 240 : objs[b % 16]);
			break;
		case 6:
			if (!get16(&in, &off))
				break;
			fake_exclude_page(f, lo + off % win);
			break;
		case 7:
			if (!get8(&in, &a) || !get8(&in, &b))
				break;
			fake_write_u64(f, slabs[a % 4] + (b % 64 & ~7u),
				       b >= 128 ? slabs[b % 4]
					       : b >= 64 ? objs[b % 16] : 0);
			break;
		}
	}

	struct mml_limits lim;
	mml_limits_default(&lim);
	lim.cache_pages = 16;
	struct mml_scan_options opts = { .mmlist = true, .deep = true };
	double t0 = now();
	struct mml_ctx *ctx = NULL;
	if (!mml_ctx_create(fake_target(f), &s.layout, &lim, &ctx)) {
		struct mml_report *r = NULL;
		struct mml_error *err = mml_scan(ctx, &opts, &r);
		if (getenv("FUZZ_VERBOSE") && r)
			mml_report_write_text(r, NULL, stderr);
		mml_error_destroy(err);
		mml_report_destroy(r);
		mml_ctx_destroy(ctx);
	}
	double dt = now() - t0;
	slab_fake_deinit(&s);
	fake_free(f);
	if (dt > 10.0) {
		fprintf(stderr, "fuzz_slab: a deep scan took %.1f s\n", dt);
		abort();
	}
	return 0;
}
