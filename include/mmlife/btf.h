/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A type source (struct mml_types, layout.h) over the kernel's BTF, through
 * libbpf: for a front end that has the dump's memory but no debug vmlinux.
 * The kernel's .BTF lies between its symbols __start_BTF and __stop_BTF.
 */
#ifndef MMLIFE_BTF_H
#define MMLIFE_BTF_H

#include <stddef.h>

#include "mmlife/error.h"
#include "mmlife/layout.h"
#include "mmlife/target.h"

enum {
	/* A kernel's .BTF is 4-8 MiB; refuse bounds beyond this. */
	MML_BTF_MAX_SIZE = 64 << 20,
	/* What a front end reads of it at a time. */
	MML_BTF_READ_CHUNK = 1 << 16,
};

struct mml_btf;
/* BTF from raw bytes (copied); MML_ERROR_CORRUPT when libbpf refuses it. */
struct mml_error *mml_btf_from_bytes(const void *data, size_t size,
				     struct mml_btf **ret);
/* The .BTF section of the ELF file @path (a vmlinux); MML_ERROR_NOT_FOUND
 * when it has none. Only the dumped kernel's if the file's build-id is the
 * dump's. */
struct mml_error *mml_btf_from_elf(const char *path, struct mml_btf **ret);
/*
 * The dumped kernel's own BTF, read through @target between its symbols
 * __start_BTF and __stop_BTF, page by page. MML_ERROR_NOT_FOUND without
 * them (CONFIG_DEBUG_INFO_BTF off), MML_ERROR_EXCLUDED or
 * MML_ERROR_INVALID_ADDRESS for a page the dump does not give.
 */
struct mml_error *mml_btf_from_target(const struct mml_target *target,
				      struct mml_btf **ret);
void mml_btf_destroy(struct mml_btf *btf);
/* The type source over @btf, valid while @btf is. */
void mml_btf_types(struct mml_btf *btf, struct mml_types *ret);

#endif /* MMLIFE_BTF_H */
