// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's BTF read from the dump, between __start_BTF and
 * __stop_BTF (addresses from kallsyms), for the type source of
 * lib/types_btf.c.
 */
#include <stdlib.h>

#include "mmlife/cleanup.h"
#include "debuginfo.h"
#include "mmlife/btf.h"

struct mml_error *cli_btf_from_dump(struct cli_dump *dump,
				    const struct cli_symtab *syms,
				    struct mml_btf **ret)
{
	uint64_t start, stop;

	if (!cli_symtab_lookup(syms, "__start_BTF", &start) ||
	    !cli_symtab_lookup(syms, "__stop_BTF", &stop))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"the kernel has no BTF (no "
					"__start_BTF/__stop_BTF in kallsyms; "
					"CONFIG_DEBUG_INFO_BTF off?)");
	if (stop <= start || stop - start > MML_BTF_MAX_SIZE)
		return mml_error_create(MML_ERROR_CORRUPT,
					"BTF section bounds make no sense "
					"(0x%llx-0x%llx)",
					(unsigned long long)start,
					(unsigned long long)stop);
	size_t size = (size_t)(stop - start);
	_cleanup_free_ char *data = malloc(size);
	if (!data)
		return &mml_enomem;
	for (size_t off = 0; off < size; off += MML_BTF_READ_CHUNK) {
		size_t n = size - off < MML_BTF_READ_CHUNK ? size - off
						       : MML_BTF_READ_CHUNK;
		struct mml_error *err = cli_dump_read_or_error(
			dump, start + off, data + off, n, "the kernel's BTF");
		if (err)
			return err;
	}
	return mml_btf_from_bytes(data, size, ret);
}
