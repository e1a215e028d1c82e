// SPDX-License-Identifier: GPL-2.0-or-later
/* The table of architectures (arch.h). */
#include <string.h>

#include "arch.h"

static const struct cli_arch *const arch_table[] = {
	&cli_arch_x86_64,
	&cli_arch_aarch64,
};

const struct cli_arch *cli_arch_find(const char *name)
{
	for (size_t i = 0; i < sizeof(arch_table) / sizeof(arch_table[0]); i++)
		if (!strcmp(arch_table[i]->name, name))
			return arch_table[i];
	return NULL;
}

struct mml_error *cli_arch_unsupported(const char *name)
{
	/* QEMU 7.2's dump-guest-memory writes kdump-compressed dumps of
	 * aarch64 guests with utsname.machine "Unknown" (and 64 KiB blocks);
	 * libkdumpfile 0.5.1 must not open a header whose machine is wrong
	 * (dump.c). Its ELF dumps say EM_AARCH64. */
	if (!strcmp(name, "Unknown"))
		return mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"the dump's header names the architecture \"Unknown\", "
			"as QEMU 7.2 writes kdump-compressed dumps of aarch64 "
			"guests (its ELF dump, dump-guest-memory without a "
			"format, is read); mmlife handles x86_64 and aarch64 "
			"dumps only");
	return mml_error_create(MML_ERROR_UNSUPPORTED,
				"the dump is of architecture %s; mmlife "
				"handles x86_64 and aarch64 dumps only", name);
}
