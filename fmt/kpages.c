// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The page data of a kdump-compressed dump (makedumpfile -c, -l, -p, -z),
 * read without
 * libkdumpfile or crash. On a 1M-VMA scan, libkdumpfile 0.5.1's zlib
 * inflate and Adler-32 were 81 % of mmlife's instructions
 * (bench/ANALYSIS.md); libdeflate inflates the same pages in a fraction of
 * that, and crash's readmem() (zlib, a 16-page cache) was twice this path
 * in the extension.
 *
 * Layout (makedumpfile's diskdump_mod.h; every offset checked against the
 * file's size here): the disk_dump_header block, the sub-header blocks,
 * the two bitmaps (the second marks the pages in the dump, bit i of byte
 * i/8 for frame 8*(i/8)+i%8), then one 24-byte page descriptor per set
 * bit of the second bitmap, in frame order, each { le64 offset, le32
 * size, le32 flags, le64 page_flags }, then the page data.
 *
 * This path handles the 4096-byte pages of a one-file dump, stored or in
 * any of makedumpfile's compressions (zlib by libdeflate;
 * lzo, snappy and zstd by their own libraries, as libkdumpfile and crash
 * use them), and hands everything else back (MML_KPAGES_FALLBACK) to the
 * front end's general reader (libkdumpfile, crash's readmem()), so that
 * errors keep one voice. The file is mapped, not read: a page costs no
 * system call. The rank of a frame among the set bits is counted from a
 * table of per-512-frame prefix counts, extended on demand.
 *
 * A block is one page of the dumped kernel for makedumpfile. QEMU's own
 * kdump writer (dump-guest-memory "kdump-zlib", -lzo, -snappy) uses its
 * target's page size instead: 7.2 writes aarch64 guests in 64 KiB blocks
 * whatever the guest's pages are. So the bitmap and the descriptors count
 * blocks of block_size bytes (any power of two from 4 KiB to 1 MiB), and a
 * 4 KiB frame is read from its block, the last block decoded being kept.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <zstd.h>

#include "kdump_format.h"
#include "kpages.h"

enum {
	KP_PAGE = 4096,
	KP_MAX_BLOCK = 1 << 20,
	/* frames per prefix count: a lookup counts at most 8 words (a rank
	 * table of 1/64 of the bitmap's size, filled as far as needed) */
	KP_RANK_BITS = 512,
};

struct mml_kpages {
	const unsigned char *map;
	uint64_t size;
	const unsigned char *bitmap;  /* the second bitmap */
	uint64_t nbits;
	uint64_t desc_off;
	uint64_t *rank;               /* set bits before block i */
	uint64_t nblocks, ranked;     /* rank[0..ranked] are valid */
	uint32_t block;               /* bytes per bit of the bitmap */
	unsigned int frames_shift;    /* log2(block / 4096) */
	unsigned char *buf;           /* the last block decoded, if > 4096 */
	uint64_t buf_index;           /* its bit; UINT64_MAX: none */
	struct mml_kpages_dec *dec;   /* the caller's thread's */
};

/* One thread's decompressor state: libdeflate's and zstd's contexts are
 * not to be shared between threads. */
struct mml_kpages_dec {
	struct libdeflate_decompressor *deflate;
	ZSTD_DCtx *zstd;
	bool lzo_ok;                  /* lzo_init() succeeded */
};

struct mml_error *mml_kpages_dec_create(struct mml_kpages_dec **ret)
{
	struct mml_kpages_dec *dec = calloc(1, sizeof(*dec));
	if (!dec)
		return &mml_enomem;
	dec->deflate = libdeflate_alloc_decompressor();
	dec->zstd = ZSTD_createDCtx();
	dec->lzo_ok = lzo_init() == LZO_E_OK;
	if (!dec->deflate || !dec->zstd) {
		mml_kpages_dec_destroy(dec);
		return &mml_enomem;
	}
	*ret = dec;
	return NULL;
}

void mml_kpages_dec_destroy(struct mml_kpages_dec *dec)
{
	if (!dec)
		return;
	if (dec->deflate)
		libdeflate_free_decompressor(dec->deflate);
	ZSTD_freeDCtx(dec->zstd);
	free(dec);
}

/* Set bits in [@from, @to) of the bitmap, both multiples of 64. */
static uint64_t popcount_words(const struct mml_kpages *kp, uint64_t from,
			       uint64_t to)
{
	uint64_t n = 0;
	for (uint64_t b = from; b < to; b += 64)
		n += (uint64_t)__builtin_popcountll(kdump_le64(kp->bitmap +
							     b / 8));
	return n;
}

struct mml_error *mml_kpages_open(int fd, uint64_t size,
				  struct mml_kpages **ret)
{
	*ret = NULL;
	if (size < KDH_SIZE)
		return NULL;
	void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return NULL;  /* a pipe or device: the general reader */
	const unsigned char *h = map;
	uint64_t block = kdump_le32(h + KDH_BLOCK_SIZE);
	uint64_t sub_blocks = kdump_le32(h + KDH_SUB_HDR_SIZE);
	uint64_t bitmap_blocks = kdump_le32(h + KDH_BITMAP_BLOCKS);
	uint64_t nbits = kdump_le32(h + KDH_MAX_MAPNR);
	uint32_t version = kdump_le32(h + KDH_HEADER_VERSION);
	uint64_t bitmap_off = (1 + sub_blocks) * block;
	uint64_t half = bitmap_blocks * block / 2;

	if (memcmp(h, "KDUMP   ", 8) || block < KP_PAGE || block > KP_MAX_BLOCK ||
	    (block & (block - 1)) || !half ||
	    half % 8 || bitmap_off + 2 * half > size)
		goto unhandled;
	if (sub_blocks) {
		if (block + KSH_MAX_MAPNR_64 + 8 > size ||
		    kdump_le32(h + block + KSH_SPLIT))  /* --split part */
			goto unhandled;
		if (version >= 6)
			nbits = kdump_le64(h + block + KSH_MAX_MAPNR_64);
	}
	if (!nbits || nbits > half * 8)
		nbits = half * 8;

	struct mml_kpages *kp = calloc(1, sizeof(*kp));
	if (!kp) {
		munmap(map, size);
		return &mml_enomem;
	}
	kp->map = map;
	kp->size = size;
	kp->bitmap = h + bitmap_off + half;
	kp->nbits = nbits;
	kp->desc_off = bitmap_off + 2 * half;
	kp->nblocks = (nbits + KP_RANK_BITS - 1) / KP_RANK_BITS;
	kp->rank = calloc(kp->nblocks + 1, sizeof(*kp->rank));
	kp->block = (uint32_t)block;
	kp->frames_shift = (unsigned int)__builtin_ctzll(block / KP_PAGE);
	kp->buf_index = UINT64_MAX;
	if (block > KP_PAGE)
		kp->buf = malloc(block);
	struct mml_error *err = kp->rank && (block == KP_PAGE || kp->buf) ?
					mml_kpages_dec_create(&kp->dec) :
					&mml_enomem;
	if (err) {
		mml_kpages_destroy(kp);
		return err;
	}
	*ret = kp;
	return NULL;
unhandled:
	munmap(map, size);
	return NULL;
}

/* The rank table up to block @blk. */
static void kpages_rank_to(struct mml_kpages *kp, uint64_t blk)
{
	while (kp->ranked < blk) {
		uint64_t b = kp->ranked;
		uint64_t end = (b + 1) * KP_RANK_BITS;
		if (end > (kp->nbits + 63) / 64 * 64)
			end = (kp->nbits + 63) / 64 * 64;
		kp->rank[b + 1] = kp->rank[b] +
				  popcount_words(kp, b * KP_RANK_BITS, end);
		kp->ranked = b + 1;
	}
}

/* Index of @pfn's descriptor, or UINT64_MAX when the dump lacks it. */
static uint64_t kpages_index(struct mml_kpages *kp, uint64_t pfn)
{
	if (pfn >= kp->nbits ||
	    !(kp->bitmap[pfn / 8] & (1u << (pfn % 8))))
		return UINT64_MAX;
	uint64_t blk = pfn / KP_RANK_BITS;
	kpages_rank_to(kp, blk);
	uint64_t word = pfn / 64 * 64;
	uint64_t n = kp->rank[blk] + popcount_words(kp, blk * KP_RANK_BITS,
						     word);
	uint64_t w = kdump_le64(kp->bitmap + word / 8);
	return n + (uint64_t)__builtin_popcountll(w & ((1ull << (pfn % 64)) -
						       1));
}

/* The @len bytes at @src, stored as @flags say, into the @want bytes at
 * @out; false if they do not decode to exactly that many. */
static bool kpages_decode(struct mml_kpages_dec *dec, uint32_t flags,
			  const unsigned char *src, uint32_t len, void *out,
			  size_t want)
{
	size_t got = 0;
	switch (flags) {
	case 0:
		if (len != want)
			return false;
		memcpy(out, src, want);
		return true;
	case KDUMP_COMPRESSED_ZLIB:
		return libdeflate_zlib_decompress(dec->deflate, src, len, out,
						  want, &got) ==
			       LIBDEFLATE_SUCCESS &&
		       got == want;
	case KDUMP_COMPRESSED_LZO: {
		lzo_uint n = want;
		return dec->lzo_ok &&
		       lzo1x_decompress_safe(src, len, out, &n, NULL) ==
			       LZO_E_OK &&
		       n == want;
	}
	case KDUMP_COMPRESSED_SNAPPY:
		got = want;
		return snappy_uncompress((const char *)src, len, out, &got) ==
			       SNAPPY_OK &&
		       got == want;
	case KDUMP_COMPRESSED_ZSTD:
		got = ZSTD_decompressDCtx(dec->zstd, out, want, src, len);
		return !ZSTD_isError(got) && got == want;
	default:
		return false;
	}
}

/* The descriptor of the block of bitmap bit @bit. */
static enum mml_kpages_status kpages_locate(struct mml_kpages *kp,
					    uint64_t bit,
					    struct mml_kpages_loc *ret)
{
	uint64_t i = kpages_index(kp, bit);
	/* (open() checked that the descriptors start inside the file) */
	if (i == UINT64_MAX ||
	    i >= (kp->size - kp->desc_off) / KDUMP_PAGE_DESC_SIZE)
		return MML_KPAGES_FALLBACK;
	const unsigned char *d = kp->map + kp->desc_off +
				 i * KDUMP_PAGE_DESC_SIZE;
	ret->off = kdump_le64(d);
	ret->len = kdump_le32(d + 8);
	ret->flags = kdump_le32(d + 12);
	if (!ret->len || ret->off > kp->size ||
	    ret->len > kp->size - ret->off)
		return MML_KPAGES_FALLBACK;
	return MML_KPAGES_OK;
}

enum mml_kpages_status mml_kpages_locate(struct mml_kpages *kp, uint64_t pfn,
					 struct mml_kpages_loc *ret)
{
	/* A frame inside a larger block is mml_kpages_read()'s alone. */
	if (kp->block != KP_PAGE)
		return MML_KPAGES_FALLBACK;
	return kpages_locate(kp, pfn, ret);
}

enum mml_kpages_status mml_kpages_decode(const struct mml_kpages *kp,
					 struct mml_kpages_dec *dec,
					 const struct mml_kpages_loc *loc,
					 void *page)
{
	return kpages_decode(dec, loc->flags, kp->map + loc->off, loc->len,
			     page, KP_PAGE) ? MML_KPAGES_OK
					    : MML_KPAGES_FALLBACK;
}

/* Frame @pfn from its block of more than 4096 bytes, kept decoded in
 * kp->buf for the frames after it. */
static enum mml_kpages_status kpages_read_big(struct mml_kpages *kp,
					      uint64_t pfn, void *page)
{
	uint64_t bit = pfn >> kp->frames_shift;
	if (bit != kp->buf_index) {
		struct mml_kpages_loc loc;
		kp->buf_index = UINT64_MAX;
		if (kpages_locate(kp, bit, &loc) != MML_KPAGES_OK ||
		    !kpages_decode(kp->dec, loc.flags, kp->map + loc.off,
				   loc.len, kp->buf, kp->block))
			return MML_KPAGES_FALLBACK;
		kp->buf_index = bit;
	}
	uint64_t in = pfn & ((1ull << kp->frames_shift) - 1);
	memcpy(page, kp->buf + in * KP_PAGE, KP_PAGE);
	return MML_KPAGES_OK;
}

enum mml_kpages_status mml_kpages_read(struct mml_kpages *kp, uint64_t pfn,
				       void *page)
{
	if (kp->buf)
		return kpages_read_big(kp, pfn, page);
	struct mml_kpages_loc loc;
	if (kpages_locate(kp, pfn, &loc) != MML_KPAGES_OK)
		return MML_KPAGES_FALLBACK;
	return mml_kpages_decode(kp, kp->dec, &loc, page);
}

uint32_t mml_kpages_block_size(const struct mml_kpages *kp)
{
	return kp->block;
}

uint64_t mml_kpages_frames(const struct mml_kpages *kp)
{
	return kp->nbits << kp->frames_shift;
}

bool mml_kpages_has(const struct mml_kpages *kp, uint64_t pfn)
{
	uint64_t bit = pfn >> kp->frames_shift;
	return bit < kp->nbits && (kp->bitmap[bit / 8] & (1u << (bit % 8)));
}

void mml_kpages_rank_all(struct mml_kpages *kp)
{
	kpages_rank_to(kp, kp->nblocks);
}

void mml_kpages_destroy(struct mml_kpages *kp)
{
	if (!kp)
		return;
	mml_kpages_dec_destroy(kp->dec);
	free(kp->buf);
	free(kp->rank);
	munmap((void *)kp->map, kp->size);
	free(kp);
}
