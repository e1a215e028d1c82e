// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fmt/kpages.c, the fast page path for kdump-compressed files, on small
 * kdump files built here (the layout of makedumpfile's diskdump_mod.h):
 * the bit order of the bitmap, ranks across the prefix-count blocks in any
 * order, stored, zlib, lzo, snappy and zstd pages (made by those libraries,
 * as makedumpfile makes them), and every case it must hand back to the
 * general reader (an unknown compression, corrupt data, a descriptor out
 * of the file, a frame not in the dump) or refuse up front (not kdump,
 * --split, a block size that is no power of two or under 4 KiB, a
 * truncated bitmap), and 4 KiB frames inside larger blocks (QEMU's kdump
 * files of aarch64 guests). The real dumps are
 * compared with libkdumpfile's reads in tests/dumps/kpages.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include "../../fmt/kpages.h"

/* ROOM: the space for one page, stored or compressed, whichever the
 * library needs at worst (snappy and zstd exceed the page) */
enum { PAGE = 4096, NBITS = 20000, ROOM = 2 * PAGE };

enum enc { ZLIB, STORED, LZO, SNAPPY, ZSTD, UNKNOWN, CORRUPT, CORRUPT_ZSTD,
	   OUTSIDE };

struct frame_spec {
	uint64_t pfn;
	enum enc enc;
};

/* The frames in the dump, in frame order, and how each is stored. */
static const struct frame_spec frames[] = {
	{ 0, ZLIB }, { 7, STORED }, { 8, LZO }, { 9, UNKNOWN },
	{ 511, CORRUPT }, { 512, OUTSIDE }, { 513, ZSTD }, { 514, SNAPPY },
	{ 1000, CORRUPT_ZSTD }, { 4095, ZLIB }, { 4096, STORED },
	{ 9000, ZLIB }, { 19999, ZLIB },
};
#define NFRAMES (sizeof(frames) / sizeof(frames[0]))

struct image_opts {
	uint32_t block;
	uint32_t status;
	uint32_t split;
	const char *magic;
	size_t truncate_to;   /* 0: whole */
};

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

static void page_pattern(uint64_t pfn, unsigned char *page)
{
	for (size_t i = 0; i < PAGE; i++)
		page[i] = (unsigned char)(pfn * 7 + i * 13 + (i >> 8));
}

/* A kdump file in a memfd. */
static int image_build(const struct image_opts *o)
{
	const uint64_t block = PAGE;  /* file layout; o->block only in the header */
	const uint64_t bitmap_off = 2 * block, half = block;
	const uint64_t desc_off = bitmap_off + 2 * half;
	uint64_t data_off = desc_off + NFRAMES * 24;
	size_t cap = data_off + NFRAMES * (ROOM);
	unsigned char *img = calloc(1, cap);
	assert_non_null(img);

	memcpy(img, o->magic, 8);
	put32(img + 8, 6);                 /* header_version */
	put32(img + 424, o->status);
	put32(img + 428, o->block);
	put32(img + 432, 1);               /* sub_hdr_size */
	put32(img + 436, 2);               /* bitmap_blocks */
	put32(img + 440, NBITS);
	put32(img + block + 12, o->split);
	put64(img + block + 96, NBITS);    /* max_mapnr_64 */
	memset(img + bitmap_off, 0xff, half);
	unsigned char *bm = img + bitmap_off + half;
	for (size_t i = 0; i < NFRAMES; i++)
		bm[frames[i].pfn / 8] |= (unsigned char)(1u << (frames[i].pfn % 8));

	uint64_t off = data_off;
	for (size_t i = 0; i < NFRAMES; i++) {
		unsigned char page[PAGE];
		unsigned char *d = img + desc_off + i * 24;
		uLongf len = ROOM;
		uint32_t flags = 1;
		page_pattern(frames[i].pfn, page);
		switch (frames[i].enc) {
		case STORED:
			memcpy(img + off, page, PAGE);
			len = PAGE;
			flags = 0;
			break;
		case LZO: {
			static unsigned char wrk[LZO1X_1_MEM_COMPRESS];
			lzo_uint n = 0;
			assert_int_equal(lzo_init(), LZO_E_OK);
			assert_int_equal(lzo1x_1_compress(page, PAGE, img + off,
							  &n, wrk), LZO_E_OK);
			len = n;
			flags = 2;
			break;
		}
		case SNAPPY: {
			size_t n = ROOM;
			assert_int_equal(snappy_compress((const char *)page, PAGE,
							 (char *)img + off, &n),
					 SNAPPY_OK);
			len = n;
			flags = 4;
			break;
		}
		case ZSTD:
		case CORRUPT_ZSTD:
			len = ZSTD_compress(img + off, ROOM, page, PAGE, 3);
			assert_false(ZSTD_isError(len));
			/* The frame's magic: zstd frames carry no checksum
			 * (makedumpfile adds none), so a byte flipped inside
			 * may decode to another page, as in libkdumpfile. */
			if (frames[i].enc == CORRUPT_ZSTD)
				img[off] ^= 0x55;
			flags = 0x20;
			break;
		case UNKNOWN:
			memcpy(img + off, page, 100);
			len = 100;
			flags = 0x8;
			break;
		default:
			assert_int_equal(compress2(img + off, &len, page, PAGE,
						   6), Z_OK);
			if (frames[i].enc == CORRUPT)
				img[off + len / 2] ^= 0x55;
			break;
		}
		put64(d, frames[i].enc == OUTSIDE ? cap * 2 : off);
		put32(d + 8, (uint32_t)len);
		put32(d + 12, flags);
		off += len;
	}
	size_t size = o->truncate_to ? o->truncate_to : off;
	int fd = memfd_create("kpages", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, size), (ssize_t)size);
	free(img);
	return fd;
}

static const struct image_opts good = { PAGE, 1, 0, "KDUMP   ", 0 };

static struct mml_kpages *open_image(const struct image_opts *o, int *fd)
{
	*fd = image_build(o);
	off_t size = lseek(*fd, 0, SEEK_END);
	struct mml_kpages *kp = NULL;
	assert_null(mml_kpages_open(*fd, (uint64_t)size, &kp));
	return kp;
}

static void expect_frame(struct mml_kpages *kp, const struct frame_spec *f)
{
	unsigned char got[PAGE], want[PAGE];
	enum mml_kpages_status st = mml_kpages_read(kp, f->pfn, got);
	if (f->enc == ZLIB || f->enc == STORED || f->enc == LZO ||
	    f->enc == SNAPPY || f->enc == ZSTD) {
		assert_int_equal(st, MML_KPAGES_OK);
		page_pattern(f->pfn, want);
		assert_memory_equal(got, want, PAGE);
	} else {
		assert_int_equal(st, MML_KPAGES_FALLBACK);
	}
}

static void test_reads_in_order(void **state)
{
	(void)state;
	int fd;
	struct mml_kpages *kp = open_image(&good, &fd);
	assert_non_null(kp);
	for (size_t i = 0; i < NFRAMES; i++)
		expect_frame(kp, &frames[i]);
	mml_kpages_destroy(kp);
	close(fd);
}

/* Ranks are counted lazily: a far frame first, then the near ones. */
static void test_reads_reversed(void **state)
{
	(void)state;
	int fd;
	struct mml_kpages *kp = open_image(&good, &fd);
	assert_non_null(kp);
	for (size_t i = NFRAMES; i-- > 0;)
		expect_frame(kp, &frames[i]);
	expect_frame(kp, &frames[NFRAMES - 1]);
	mml_kpages_destroy(kp);
	close(fd);
}

/* Frames not in the dump go to libkdumpfile, which says why. */
static void test_absent_frames(void **state)
{
	(void)state;
	int fd;
	unsigned char page[PAGE];
	struct mml_kpages *kp = open_image(&good, &fd);
	assert_non_null(kp);
	const uint64_t absent[] = { 1, 6, 10, 510, 515, 4097, NBITS,
				    UINT64_MAX / PAGE };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		assert_int_equal(mml_kpages_read(kp, absent[i], page),
				 MML_KPAGES_FALLBACK);
	mml_kpages_destroy(kp);
	close(fd);
}

/* Dumps this path does not take: it steps aside, with no error. */
static void test_not_handled(void **state)
{
	(void)state;
	const struct image_opts cases[] = {
		{ PAGE, 1, 0, "DISKDUMP", 0 },      /* the old format */
		{ PAGE, 1, 0, "\177ELF\2\1\1\0", 0 },
		{ PAGE, 1, 1, "KDUMP   ", 0 },      /* one part of --split */
		{ 6144, 1, 0, "KDUMP   ", 0 },      /* not a power of two */
		{ 2048, 1, 0, "KDUMP   ", 0 },      /* below a 4 KiB frame */
		{ PAGE, 1, 0, "KDUMP   ", 3 * PAGE },  /* bitmap cut off */
		{ PAGE, 1, 0, "KDUMP   ", 100 },    /* not even a header */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd;
		struct mml_kpages *kp = open_image(&cases[i], &fd);
		assert_null(kp);
		close(fd);
	}
}

/* Descriptors cut off by the end of the file: fall back, never read past. */
static void test_descriptors_cut_off(void **state)
{
	(void)state;
	struct image_opts o = good;
	o.truncate_to = 4 * PAGE + 3 * 24 + 10;  /* three whole descriptors */
	int fd;
	unsigned char page[PAGE];
	struct mml_kpages *kp = open_image(&o, &fd);
	assert_non_null(kp);
	assert_int_equal(mml_kpages_read(kp, 19999, page),
			 MML_KPAGES_FALLBACK);
	/* the first three are there, their data is not */
	assert_int_equal(mml_kpages_read(kp, 0, page), MML_KPAGES_FALLBACK);
	mml_kpages_destroy(kp);
	close(fd);
}

/* The header's status names the compression makedumpfile was asked for;
 * each page's descriptor says how it is stored, and decides. */
static void test_status_any_compression(void **state)
{
	(void)state;
	const uint32_t status[] = { 0, 2, 4, 0x20 };
	for (size_t i = 0; i < sizeof(status) / sizeof(status[0]); i++) {
		struct image_opts o = good;
		o.status = status[i];
		int fd;
		struct mml_kpages *kp = open_image(&o, &fd);
		assert_non_null(kp);
		for (size_t f = 0; f < NFRAMES; f++)
			expect_frame(kp, &frames[f]);
		mml_kpages_destroy(kp);
		close(fd);
	}
}

/*
 * Blocks larger than a page, as QEMU 7.2 writes aarch64 guests (64 KiB
 * blocks of a 4 KiB-page kernel): 16 KiB blocks here, four frames each;
 * blocks 0 (zlib), 3 (stored) and 5 (lzo) are in the dump.
 */
enum { BIG = 4 * PAGE, BIG_BITS = 64 };
static const struct {
	uint64_t bit;
	uint32_t flags;
} big_blocks[] = { { 0, 1 }, { 3, 0 }, { 5, 2 } };
#define NBIG (sizeof(big_blocks) / sizeof(big_blocks[0]))

static int big_image_build(void)
{
	const uint64_t desc_off = 4 * BIG, data_off = desc_off + NBIG * 24;
	size_t cap = data_off + NBIG * 2 * BIG;
	unsigned char *img = calloc(1, cap);
	assert_non_null(img);
	memcpy(img, "KDUMP   ", 8);
	put32(img + 8, 6);
	put32(img + 424, 1);
	put32(img + 428, BIG);
	put32(img + 432, 1);
	put32(img + 436, 2);
	put32(img + 440, BIG_BITS);
	put64(img + BIG + 96, BIG_BITS);
	memset(img + 2 * BIG, 0xff, BIG_BITS / 8);
	uint64_t off = data_off;
	for (size_t i = 0; i < NBIG; i++) {
		static unsigned char blk[BIG], wrk[LZO1X_1_MEM_COMPRESS];
		uint64_t bit = big_blocks[i].bit;
		img[3 * BIG + bit / 8] |= (unsigned char)(1u << (bit % 8));
		for (int k = 0; k < 4; k++)
			page_pattern(bit * 4 + (uint64_t)k, blk + k * PAGE);
		uLongf len = 2 * BIG;
		lzo_uint n = 0;
		if (big_blocks[i].flags == 1) {
			assert_int_equal(compress2(img + off, &len, blk, BIG, 6), Z_OK);
		} else if (big_blocks[i].flags == 2) {
			assert_int_equal(lzo_init(), LZO_E_OK);
			assert_int_equal(lzo1x_1_compress(blk, BIG, img + off,
							  &n, wrk), LZO_E_OK);
			len = n;
		} else {
			memcpy(img + off, blk, BIG);
			len = BIG;
		}
		unsigned char *d = img + desc_off + i * 24;
		put64(d, off);
		put32(d + 8, (uint32_t)len);
		put32(d + 12, big_blocks[i].flags);
		off += len;
	}
	int fd = memfd_create("kpages-big", 0);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, img, off), (ssize_t)off);
	free(img);
	return fd;
}

/* Each 4 KiB frame from its block, in any order; frames of blocks not in
 * the dump fall back; the bitmap answers in frames. */
static void test_big_blocks(void **state)
{
	(void)state;
	int fd = big_image_build();
	struct mml_kpages *kp = NULL;
	assert_null(mml_kpages_open(fd, (uint64_t)lseek(fd, 0, SEEK_END), &kp));
	assert_non_null(kp);
	assert_int_equal(mml_kpages_block_size(kp), BIG);
	assert_int_equal(mml_kpages_frames(kp), BIG_BITS * 4);
	const uint64_t order[] = { 23, 0, 3, 21, 12, 13, 1, 22, 15, 20, 2, 14 };
	unsigned char got[PAGE], want[PAGE];
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		assert_true(mml_kpages_has(kp, order[i]));
		assert_int_equal(mml_kpages_read(kp, order[i], got),
				 MML_KPAGES_OK);
		page_pattern(order[i], want);
		assert_memory_equal(got, want, PAGE);
	}
	const uint64_t absent[] = { 4, 7, 8, 11, 16, 19, 24, 255, 256,
				    UINT64_MAX / PAGE };
	for (size_t i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_false(mml_kpages_has(kp, absent[i]));
		assert_int_equal(mml_kpages_read(kp, absent[i], got),
				 MML_KPAGES_FALLBACK);
	}
	/* after a fallback, the cached block is still right */
	assert_int_equal(mml_kpages_read(kp, 21, got), MML_KPAGES_OK);
	page_pattern(21, want);
	assert_memory_equal(got, want, PAGE);
	mml_kpages_destroy(kp);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_in_order),
		cmocka_unit_test(test_reads_reversed),
		cmocka_unit_test(test_absent_frames),
		cmocka_unit_test(test_not_handled),
		cmocka_unit_test(test_descriptors_cut_off),
		cmocka_unit_test(test_status_any_compression),
		cmocka_unit_test(test_big_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
