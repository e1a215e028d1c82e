/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A struct cli_dump over a memory image (stub_dump.c). */
#ifndef MMLIFE_FUZZ_STUB_DUMP_H
#define MMLIFE_FUZZ_STUB_DUMP_H

#include "cli.h"

#define STUB_BASE 0xffffffff82000000ULL
#define STUB_MAPPED (1ULL << 20)

struct cli_dump {
	const unsigned char *image;
	size_t len;
	struct cli_vmcoreinfo vmcoreinfo;
	char last_error[128];
};

#endif
