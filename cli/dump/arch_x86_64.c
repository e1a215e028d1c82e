// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_64: libkdumpfile finds the page tables and the kernel's mappings
 * from the dump's VMCOREINFO and headers by itself; the CLI asks nothing
 * more of the dump (as before the architectures were split).
 */
#include "arch.h"

const struct cli_arch cli_arch_x86_64 = {
	.name = "x86_64",
	.kind = MML_ARCH_X86_64,
	/* The image is in the top 2 GiB ("-mcmodel=kernel"); below it are
	 * the zero-based per-cpu symbols (up to 6.14), which do not move. */
	.image_start = 0xffffffff80000000ULL,
	.check = NULL,
};
