/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The kdump-compressed file format (makedumpfile's diskdump_mod.h), as far
 * as mmlife reads it itself: the disk_dump_header and kdump_sub_header_64
 * offsets, the status and page-descriptor flags, and little-endian field
 * readers. Used by the CLI's cli/dump/ (the checks before libkdumpfile)
 * and by kpages.c (the page path of the CLI and of the crash extension).
 */
#ifndef MMLIFE_FMT_KDUMP_FORMAT_H
#define MMLIFE_FMT_KDUMP_FORMAT_H

#include <endian.h>
#include <stdint.h>
#include <string.h>

enum {
	/* disk_dump_header */
	KDH_HEADER_VERSION = 8,
	KDH_UTS_MACHINE = 12 + 4 * 65,
	KDH_STATUS = 424,
	KDH_BLOCK_SIZE = 428,
	KDH_SUB_HDR_SIZE = 432,
	KDH_BITMAP_BLOCKS = 436,
	KDH_MAX_MAPNR = 440,
	KDH_SIZE = 464,
	/* kdump_sub_header_64, one block into the file */
	KSH_DUMP_LEVEL = 8,
	KSH_SPLIT = 12,
	KSH_OFFSET_VMCOREINFO = 32,
	KSH_SIZE_VMCOREINFO = 40,
	KSH_OFFSET_NOTE = 48,
	KSH_SIZE_NOTE = 56,
	KSH_MAX_MAPNR_64 = 96,
	/* page_desc: le64 offset, le32 size, le32 flags, le64 page_flags */
	KDUMP_PAGE_DESC_SIZE = 24,
	/* disk_dump_header.status and page_desc.flags compression bits */
	KDUMP_COMPRESSED_ZLIB = 0x1,
	KDUMP_COMPRESSED_LZO = 0x2,
	KDUMP_COMPRESSED_SNAPPY = 0x4,
	KDUMP_COMPRESSED_ZSTD = 0x20,
};

static inline uint32_t kdump_le32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t kdump_le64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

#endif
