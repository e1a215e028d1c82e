// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the maple decoder, the mm checks, the task and mmlist
 * walks and both renderers over arbitrary memory, through the fake target
 * of the unit tests (tests/unit/fake.c).
 *
 * Each input builds a small fake kernel (init_task, init_mm, one task with
 * a real-shaped maple tree of 1 to 4 levels, optionally a second mm on
 * init_mm.mmlist) and then overwrites it with the input's edits: raw bytes,
 * node pointers with arbitrary low bits, VMA pointers, XA_ZERO / retry
 * values, excluded or unmapped pages. All edits land inside the memory the
 * fake allocated for the mms, trees, VMAs and tasks (the "window").
 * Then mml_scan() (tasks, mmlist, optionally the deep slab scan) and
 * mml_mm_walk() run, and the report is rendered as text and JSON.
 *
 * Input: byte 0 variant/flags, byte 1 tree size, byte 2 reader cache
 * pages, then edits:
 *   op%8 0-2  raw: u16 offset, then (op>>3)+1 bytes
 *   op%8 3    node pointer: u16 offset, u8 node, u8 low bits
 *   op%8 4    VMA pointer: u16 offset, u8 vma
 *   op%8 5    special word: u16 offset, u8 selector
 *   op%8 6    exclude the page at u16 offset
 *   op%8 7    unmap the page at u16 offset
 * A run over MML_FUZZ_MAX_SECONDS (2 s) aborts: a walk the limits did not
 * cut is a bug.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz_input.h"
#include "fake.h"
#include "maple_base.h"
#include "mmlife/report.h"
#include "mmlife/scan.h"

#define MML_FUZZ_MAX_SECONDS 2.0

static uint64_t sink;

static void on_entry(void *arg, const struct mml_entry *e)
{
	(void)arg;
	sink += e->first ^ e->last ^ e->value ^ e->vm_start ^ strlen(e->file);
}

static void on_node(void *arg, unsigned int depth, uint64_t node,
		    unsigned int type, uint64_t min, uint64_t max)
{
	(void)arg;
	sink += depth ^ node ^ type ^ min ^ max;
}

static FILE *devnull;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };
	uint8_t b0 = 0, b1 = 0, b2 = 0;
	get8(&in, &b0);
	get8(&in, &b1);
	get8(&in, &b2);
	if (!devnull)
		devnull = fopen("/dev/null", "w");

	struct maple_base base;
	maple_base_build(b0, b1, &base);
	struct fake *f = base.f;
	struct fake_tree *t = base.t;
	uint64_t lo = base.lo, hi = base.hi, mm = base.mm, mm2 = base.mm2;
	uint64_t *vmas = base.vmas;
	size_t n = base.n;
	uint64_t win = hi - lo;

	uint8_t op;
	while (get8(&in, &op)) {
		uint16_t off;
		uint8_t a, b;
		if (!get16(&in, &off))
			break;
		uint64_t addr = lo + off % win;
		addr &= ~7ULL;
		switch (op % 8) {
		case 0: case 1: case 2: {
			unsigned int len = (op >> 3) + 1;
			addr = lo + off % win;
			for (unsigned int i = 0; i < len && get8(&in, &a); i++)
				if (addr + i < hi)
					fake_write_u8(f, addr + i, a);
			break;
		}
		case 3:
			if (!get8(&in, &a) || !get8(&in, &b))
				break;
			fake_write_u64(f, addr, t->nodes[a % t->nnodes].addr |
						       (b & 0xff));
			break;
		case 4:
			if (!get8(&in, &a))
				break;
			fake_write_u64(f, addr, vmas[a % n]);
			break;
		case 5: {
			static const uint64_t special[] = {
				0x406, 0x402, 0, UINT64_MAX, 1, 2, 0x2,
				FAKE_UNMAPPED, FAKE_DIRECT_MAP, 0x7fffffffffff,
				0x400000, 0x80000000ULL, 0xffffffffffff0000ULL,
				FAKE_MM_MT_FLAGS | 31 << 2,
			};
			if (!get8(&in, &a))
				break;
			uint64_t v = special[a % (sizeof(special) /
						  sizeof(special[0]))];
			if (a >= 128)
				v = mm2 && (a & 1) ? mm2 : mm;
			fake_write_u64(f, addr, v);
			break;
		}
		case 6:
			fake_exclude_page(f, addr);
			break;
		case 7:
			fake_unmap_page(f, addr);
			break;
		}
	}

	struct mml_limits lim;
	mml_limits_default(&lim);
	lim.cache_pages = 1 + b2 % 16;
	struct mml_scan_options opts = {
		.mmlist = (b0 & 8) == 0,
		.deep = (b2 & 0x80) != 0,
		.release = "6.12.0",
	};
	double t0 = now();
	struct mml_ctx *ctx = NULL;
	if (!mml_ctx_create(fake_target(f), fake_layout(f), &lim, &ctx)) {
		struct mml_report *r = NULL;
		struct mml_error *err = mml_scan(ctx, &opts, &r);
		if (!err && r) {
			mml_report_write_text(r, NULL, getenv("FUZZ_VERBOSE")
							      ? stderr
							      : devnull);
			mml_error_destroy(mml_report_write_json(r, devnull));
			mml_report_destroy(r);
		} else {
			mml_error_destroy(err);
		}
		mml_error_destroy(mml_mm_walk(ctx, mm, on_entry, on_node,
					      NULL));
		if (mm2)
			mml_error_destroy(mml_mm_walk(ctx, mm2, on_entry,
						      NULL, NULL));
		uint64_t pmm = 0;
		mml_error_destroy(mml_pid_to_mm(ctx, 101, &pmm));
		sink += pmm;
		mml_ctx_destroy(ctx);
	}
	double dt = now() - t0;
	fake_free(f);
	if (dt > MML_FUZZ_MAX_SECONDS) {
		fprintf(stderr, "fuzz_maple: a scan took %.1f s (limit %.1f)\n",
			dt, MML_FUZZ_MAX_SECONDS);
		abort();
	}
	return 0;
}
