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
	/* (A kdump header's "Unknown", QEMU's kdump writer for aarch64
	 * guests, never comes here: qemu_kdump.c reads those or says why
	 * not.) */
	return mml_error_create(MML_ERROR_UNSUPPORTED,
				"the dump is of architecture %s; mmlife "
				"handles x86_64 and aarch64 dumps only", name);
}
