/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fast path for the pages of a kdump-compressed dump (kpages.c): look a
 * physical page up in the dump's own bitmap and descriptors and inflate it
 * with libdeflate. Anything it does not handle goes back to libkdumpfile.
 */
#ifndef MMLIFE_CLI_KPAGES_H
#define MMLIFE_CLI_KPAGES_H

#include <stdint.h>

#include "mmlife/error.h"

struct cli_kpages;

enum cli_kpages_status {
	CLI_KPAGES_OK,
	/* Not handled here (another compression, a page not in the dump, a
	 * descriptor or data that do not check out): ask libkdumpfile, which
	 * says what is wrong in its own words. */
	CLI_KPAGES_FALLBACK,
};

/*
 * Set up the fast path for the dump in @fd (@size bytes, already checked
 * by cli_dump_header_check()). *@ret is NULL, with no error, when the dump
 * is not kdump-compressed or its header is not one this path handles.
 */
struct mml_error *cli_kpages_open(int fd, uint64_t size,
				  struct cli_kpages **ret);
/* Read the 4096-byte page of physical frame @pfn into @page. */
enum cli_kpages_status cli_kpages_read(struct cli_kpages *kp, uint64_t pfn,
				       void *page);
void cli_kpages_destroy(struct cli_kpages *kp);

#endif
