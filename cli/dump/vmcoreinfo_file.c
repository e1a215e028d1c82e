// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dump's VMCOREINFO text read straight from the file, without opening
 * it as a dump: from the kdump sub-header's range (kdump_format.h), or
 * the ELF note (elf_notes.c). For what must say which kernel a dump is
 * from even when the analysis fails on it, cheaply: the batch scanner's
 * records and its header fingerprint.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "dump_header.h"
#include "kdump_format.h"

enum { VMCOREINFO_MAX = 1 << 20 };

static struct mml_error *kdump_vmcoreinfo_read(int fd, char **raw_ret)
{
	unsigned char h[KDH_SIZE], sh[KSH_SIZE_VMCOREINFO + 8];

	if (!cli_read_all(fd, h, sizeof(h), 0))
		return mml_error_create(MML_ERROR_INPUT,
					"kdump header is truncated");
	uint32_t version = kdump_le32(h + KDH_HEADER_VERSION);
	uint32_t block = kdump_le32(h + KDH_BLOCK_SIZE);
	/* The sub-header's VMCOREINFO range exists from version 3 on. */
	if (version < 3 || !kdump_le32(h + KDH_SUB_HDR_SIZE) || block < 512 ||
	    block > (1 << 20))
		return mml_error_create(MML_ERROR_INPUT,
					"kdump header version %u has no "
					"VMCOREINFO", version);
	if (!cli_read_all(fd, sh, sizeof(sh), block))
		return mml_error_create(MML_ERROR_INPUT,
					"kdump sub-header is truncated");
	uint64_t off = kdump_le64(sh + KSH_OFFSET_VMCOREINFO);
	uint64_t len = kdump_le64(sh + KSH_SIZE_VMCOREINFO);
	if (!len || len > VMCOREINFO_MAX)
		return mml_error_create(MML_ERROR_INPUT,
					"kdump VMCOREINFO of %llu bytes",
					(unsigned long long)len);
	char *text = malloc(len + 1);
	if (!text)
		return &mml_enomem;
	if (!cli_read_all(fd, text, len, (off_t)off)) {
		free(text);
		return mml_error_create(MML_ERROR_INPUT,
					"kdump VMCOREINFO is truncated");
	}
	text[len] = '\0';
	*raw_ret = text;
	return NULL;
}

struct mml_error *cli_vmcoreinfo_read_file(int fd, char **raw_ret)
{
	unsigned char magic[8];

	if (!cli_read_all(fd, magic, sizeof(magic), 0))
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: too short");
	switch (cli_dump_kind_detect(magic)) {
	case CLI_DUMP_ELF:
		return cli_elf_vmcoreinfo_read(fd, raw_ret);
	case CLI_DUMP_KDUMP:
	case CLI_DUMP_DISKDUMP:
		return kdump_vmcoreinfo_read(fd, raw_ret);
	case CLI_DUMP_LKCD:
	case CLI_DUMP_XZ:
	case CLI_DUMP_GZIP:
	case CLI_DUMP_ZSTD:
	case CLI_DUMP_UNKNOWN:
		break;
	}
	return mml_error_create(MML_ERROR_INPUT,
				"no VMCOREINFO in this format");
}
