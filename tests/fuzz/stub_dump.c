// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A struct cli_dump over a memory image, for the harnesses of the CLI's
 * readers (kallsyms.c, btf_dump.c) without libkdumpfile: the image is
 * mapped at STUB_BASE and followed by zero pages up to STUB_MAPPED bytes;
 * everything else does not translate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stub_dump.h"

enum mml_read_status cli_dump_read(struct cli_dump *dump, uint64_t addr,
				   void *buf, size_t len)
{
	if (addr < STUB_BASE || len > STUB_MAPPED ||
	    addr - STUB_BASE > STUB_MAPPED - len) {
		snprintf(dump->last_error, sizeof(dump->last_error),
			 "no page at 0x%llx", (unsigned long long)addr);
		return MML_READ_INVALID;
	}
	uint64_t off = addr - STUB_BASE;
	memset(buf, 0, len);
	if (off < dump->len) {
		size_t n = dump->len - off < len ? dump->len - off : len;
		memcpy(buf, dump->image + off, n);
	}
	return MML_READ_OK;
}

const char *cli_dump_last_error(struct cli_dump *dump)
{
	return dump->last_error;
}

struct mml_error *cli_dump_read_or_error(struct cli_dump *dump, uint64_t addr,
					 void *buf, size_t len,
					 const char *what)
{
	if (cli_dump_read(dump, addr, buf, len) == MML_READ_OK)
		return NULL;
	return mml_error_create(MML_ERROR_INPUT, "%s at 0x%llx: %s", what,
				(unsigned long long)addr, dump->last_error);
}

const struct cli_vmcoreinfo *cli_dump_vmcoreinfo(const struct cli_dump *dump)
{
	return &dump->vmcoreinfo;
}
