/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The target: what a front end gives the core to read kernel memory and
 * look up symbols. The CLI implements it over libkdumpfile, the crash
 * extension over readmem(); the unit tests over an in-memory image.
 */
#ifndef MMLIFE_TARGET_H
#define MMLIFE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mml_read_status {
	MML_READ_OK = 0,
	/* The address does not translate (bad pointer). */
	MML_READ_INVALID,
	/* The page was filtered out of the dump (makedumpfile -d). */
	MML_READ_EXCLUDED,
};

/* The architecture of the dumped kernel: what the core computes
 * differently per architecture (lib/memmap.c). x86_64 is 0, the default of
 * a front end that does not set it. */
enum mml_arch {
	MML_ARCH_X86_64 = 0,
	MML_ARCH_AARCH64,
};

struct mml_target_ops {
	/*
	 * Read @len bytes at kernel virtual address @addr into @buf. The
	 * core only asks for whole pages or parts of one page, never across
	 * a page boundary. All or nothing: no partial reads.
	 */
	enum mml_read_status (*read)(void *arg, uint64_t addr, void *buf,
				     size_t len);
	/* Address of a kernel symbol (KASLR applied); false if unknown. */
	bool (*symbol)(void *arg, const char *name, uint64_t *addr_ret);
	/*
	 * The number on the VMCOREINFO line "@key=" (e.g. "NUMBER(VA_BITS)"),
	 * decimal or 0x-prefixed hex as the kernel printed it, the bare hex
	 * of a "SYMBOL(name)" line; false if the dump has no such line. May
	 * be NULL (no VMCOREINFO at hand): the core then uses what symbols
	 * give.
	 */
	bool (*vmcoreinfo)(void *arg, const char *key, uint64_t *value_ret);
};

struct mml_target {
	const struct mml_target_ops *ops;
	void *arg;
	/* Page size of the dumped kernel, a power of two (4096 on x86_64). */
	uint32_t page_size;
	/* Pointer size in bytes; mmlife handles 8 only (64-bit kernels). */
	uint32_t pointer_size;
	/* Byte order of the dump; mmlife handles little endian only. */
	bool big_endian;
	enum mml_arch arch;
};

#endif /* MMLIFE_TARGET_H */
