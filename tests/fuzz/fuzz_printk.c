// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the printk ring-buffer reader (lib/printk.c) and the
 * log builder with its oops search (mml_log_build()), over a fuzzed ring
 * buffer in the fake target, with the 6.1/6.12 and 7.2 layouts of
 * struct printk_ringbuffer (as tests/unit/test_printk.c lays them out).
 *
 * Input: byte 0 shape and flags, byte 1 count_bits, byte 2 size_bits, then
 * the bytes of the descriptor ring, the info array and the data ring in
 * that order (with flag 0x10, the ring buffer header first: then the
 * pointers and sizes in it are the fuzzer's too).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "internal.h"
#include "printk.h"

static void rb_layout(struct mml_layout *l, int v72)
{
	l->prb_desc_ring = 0;
	l->prb_text_data_ring = 48;
	l->prb_dr_count_bits = 0;
	l->prb_dr_descs = 8;
	l->prb_dr_infos = 16;
	l->prb_dr_head_id = 24;
	l->prb_dr_tail_id = 32;
	l->prb_data_size_bits = 0;
	l->prb_data_data = 8;
	l->prb_desc_size = 24;
	l->prb_desc_state_var = 0;
	l->prb_desc_text_blk_lpos = 8;
	l->prb_lpos_begin = 0;
	l->prb_lpos_next = 8;
	l->printk_info_size = v72 ? 112 : 88;
	l->printk_info_seq = 0;
	l->printk_info_ts_nsec = 8;
	l->printk_info_text_len = 16;
	l->printk_info_caller_id = 20;
}

static void fill(struct fake *f, uint64_t addr, size_t len,
		 const uint8_t **p, size_t *n)
{
	for (size_t i = 0; i < len && *n; i++, (*p)++, (*n)--)
		fake_write_u8(f, addr + i, **p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint8_t b0 = data[0];
	unsigned int cbits = 1 + data[1] % 7, sbits = 5 + data[2] % 9;
	const uint8_t *p = data + 3;
	size_t n = size - 3;
	int v72 = b0 % 2;

	struct fake *f = fake_new(v72 ? FAKE_V72 : FAKE_V66);
	struct mml_layout layout = *fake_layout(f);
	rb_layout(&layout, v72);
	uint64_t prb = fake_alloc(f, 88, 64);
	uint64_t descs = fake_alloc(f, (1u << cbits) * 24, 64);
	uint64_t infos = fake_alloc(f, (1u << cbits) * layout.printk_info_size,
				    64);
	uint64_t ring = fake_alloc(f, 1u << sbits, 4096);
	uint64_t ptr = fake_alloc(f, 8, 8);
	fake_write_u64(f, ptr, prb);
	fake_add_symbol(f, "prb", ptr);
	fake_write_u32(f, prb + 0, cbits);
	fake_write_u64(f, prb + 8, descs);
	fake_write_u64(f, prb + 16, infos);
	fake_write_u32(f, prb + 48, sbits);
	fake_write_u64(f, prb + 56, ring);
	if (b0 & 0x10)
		fill(f, prb, 88, &p, &n);
	else if (n >= 16) {
		/* head and tail ids from the input */
		fill(f, prb + 24, 16, &p, &n);
	}
	fill(f, descs, (1u << cbits) * 24, &p, &n);
	fill(f, infos, (1u << cbits) * layout.printk_info_size, &p, &n);
	fill(f, ring, 1u << sbits, &p, &n);

	/* A small reader cache: the default 16 MiB would dominate a run. */
	struct mml_limits lim;
	mml_limits_default(&lim);
	lim.cache_pages = 1 + (b0 >> 1) % 64;
	struct mml_ctx *ctx = NULL;
	if (!mml_ctx_create(fake_target(f), &layout, &lim, &ctx)) {
		struct printk_lines lines;
		memset(&lines, 0, sizeof(lines));
		struct mml_error *err = mml_printk_read(ctx, &lines);
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "printk: %s, %zu lines, %llu skipped\n",
				err ? err->message : "read", lines.n,
				(unsigned long long)lines.skipped);
		for (size_t i = 0; !err && i < lines.n && i < 8; i++)
			free(mml_printk_format(&lines.v[i]));
		mml_printk_lines_free(&lines);
		mml_error_destroy(err);
		struct mml_log log;
		memset(&log, 0, sizeof(log));
		mml_error_destroy(mml_log_build(ctx, 1 + (b0 >> 5), &log));
		if (getenv("FUZZ_VERBOSE"))
			fprintf(stderr, "log: oops %s\n",
				log.oops.found ? "found" : "not found");
		mml_log_deinit(&log);
		mml_ctx_destroy(ctx);
	}
	fake_free(f);
	return 0;
}
