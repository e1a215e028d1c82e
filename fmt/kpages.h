/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fast path for the pages of a kdump-compressed dump (kpages.c): look a
 * physical page up in the dump's own bitmap and descriptors and decompress
 * it (libdeflate, lzo, snappy, zstd). Anything it does not handle goes
 * back to the front end's general reader: libkdumpfile in the CLI, crash's
 * readmem() in the crash extension. fmt/ needs neither: libc and the
 * decompressors only.
 */
#ifndef MMLIFE_MML_KPAGES_H
#define MMLIFE_MML_KPAGES_H

#include <stdbool.h>
#include <stdint.h>

#include "mmlife/error.h"

struct mml_kpages;

enum mml_kpages_status {
	MML_KPAGES_OK,
	/* Not handled here (an unknown compression, a page not in the dump, a
	 * descriptor or data that do not check out): ask the general
	 * reader, which says what is wrong in its own words. */
	MML_KPAGES_FALLBACK,
};

/*
 * Set up the fast path for the dump in @fd (@size bytes; the CLI checked
 * it with cli_dump_header_check(), the extension has crash's word that it
 * is a kdump file); every offset read from it is checked against @size.
 * *@ret is NULL, with no error, when the dump is not kdump-compressed or
 * its header is not one this path handles.
 */
struct mml_error *mml_kpages_open(int fd, uint64_t size,
				  struct mml_kpages **ret);
/* Read the 4096-byte page of physical frame @pfn into @page. */
enum mml_kpages_status mml_kpages_read(struct mml_kpages *kp, uint64_t pfn,
				       void *page);

/*
 * mml_kpages_read() in two halves, for a read-ahead thread: the lookup of
 * the frame's descriptor (the rank table it extends is the calling
 * thread's: one thread only, the one that calls mml_kpages_read()), and
 * the decompression, which reads only the mapped file and @dec, so that
 * another thread with its own @dec may run it at the same time.
 */
struct mml_kpages_loc {
	uint64_t off;       /* of the page's data in the file */
	uint32_t len;       /* stored bytes */
	uint32_t flags;     /* KDUMP_COMPRESSED_*, 0 stored as is */
};
struct mml_kpages_dec;

/* FALLBACK for a dump of blocks larger than 4096 bytes: its frames are
 * mml_kpages_read()'s alone. */
enum mml_kpages_status mml_kpages_locate(struct mml_kpages *kp, uint64_t pfn,
					 struct mml_kpages_loc *ret);
enum mml_kpages_status mml_kpages_decode(const struct mml_kpages *kp,
					 struct mml_kpages_dec *dec,
					 const struct mml_kpages_loc *loc,
					 void *page);
/* A thread's decompressor state, for mml_kpages_decode(). */
struct mml_error *mml_kpages_dec_create(struct mml_kpages_dec **ret);
void mml_kpages_dec_destroy(struct mml_kpages_dec *dec);
/* The bytes per bitmap bit and page descriptor: the dumped kernel's page
 * size for makedumpfile, 64 KiB in QEMU 7.2's kdump files of aarch64
 * guests (kpages.c). */
uint32_t mml_kpages_block_size(const struct mml_kpages *kp);
/* The 4096-byte frames the bitmap covers, and whether frame @pfn's block
 * is in the dump. */
uint64_t mml_kpages_frames(const struct mml_kpages *kp);
bool mml_kpages_has(const struct mml_kpages *kp, uint64_t pfn);
/* Build the whole rank table now (it is otherwise built as reads need
 * it): after this, mml_kpages_locate() writes nothing, and threads with
 * decompressors of their own may locate and decode at once. */
void mml_kpages_rank_all(struct mml_kpages *kp);
void mml_kpages_destroy(struct mml_kpages *kp);

#endif
