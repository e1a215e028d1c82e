/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A first look at a dump file's headers (dump_header.c). */
#ifndef MMLIFE_CLI_DUMP_HEADER_H
#define MMLIFE_CLI_DUMP_HEADER_H

#include <stdint.h>

#include "mmlife/error.h"

struct cli_dump_header {
	char format[64];      /* "elf", "kdump (zlib)", ... */
	char machine[66];     /* utsname.machine of a kdump header */
	uint32_t block_size;  /* a kdump header's; 0 for other formats */
	const char *arch;     /* from the headers; "" when unknown */
	/* makedumpfile's -d of a kdump file's sub-header; -1 unknown. */
	int dump_level;
};

/* What a file's first bytes say it is. */
enum cli_dump_kind {
	CLI_DUMP_UNKNOWN,   /* another format, or none: libkdumpfile decides */
	CLI_DUMP_ELF,
	CLI_DUMP_KDUMP,     /* makedumpfile's kdump-compressed format */
	CLI_DUMP_DISKDUMP,  /* the same disk_dump_header, older */
	CLI_DUMP_LKCD,      /* either byte order */
	CLI_DUMP_XZ,        /* whole-file compression: */
	CLI_DUMP_GZIP,
	CLI_DUMP_ZSTD,
};

/* The kind of the file whose first 8 bytes are @magic. (makedumpfile -F
 * streams: cli_flattened_detect().) */
enum cli_dump_kind cli_dump_kind_detect(const unsigned char magic[8]);

/*
 * Identify the dump in @fd of @size bytes and check that it is complete.
 * Whole-file compression (xz, gzip, zstd) and truncation are errors with
 * one-line messages.
 */
struct mml_error *cli_dump_header_check(int fd, uint64_t size,
					struct cli_dump_header *ret);

#endif /* MMLIFE_CLI_DUMP_HEADER_H */
