/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The architectures mmlife reads dumps of, one file each as libkdumpfile
 * splits its sources (arch_x86_64.c, arch_aarch64.c): the name the dump
 * headers and libkdumpfile give, the core's enum mml_arch, and what the
 * dump's VMCOREINFO must hold for its kernel addresses to translate.
 * Address translation itself is libkdumpfile's (addrxlat), which walks
 * both architectures' page tables from VMCOREINFO (arch_aarch64.c says
 * on which arm64 dumps that was checked).
 */
#ifndef MMLIFE_CLI_ARCH_H
#define MMLIFE_CLI_ARCH_H

#include "dump.h"

struct cli_arch {
	const char *name;        /* "x86_64", "aarch64" */
	enum mml_arch kind;
	/* vmlinux symbols at or above it are in the kernel image and move
	 * with KASLR (KERNELOFFSET); those below do not. */
	uint64_t image_start;
	/* An error naming what VMCOREINFO lacks for translation; NULL when
	 * libkdumpfile needs nothing the CLI checks. */
	struct mml_error *(*check)(const struct cli_vmcoreinfo *vi);
};

extern const struct cli_arch cli_arch_x86_64;
extern const struct cli_arch cli_arch_aarch64;

/* The architecture called @name, or NULL when mmlife does not read it. */
const struct cli_arch *cli_arch_find(const char *name);
/* The refusal of an architecture mmlife does not read, naming it. */
struct mml_error *cli_arch_unsupported(const char *name);

#endif /* MMLIFE_CLI_ARCH_H */
