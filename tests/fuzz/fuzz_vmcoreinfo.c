// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the VMCOREINFO parser (cli/dump/vmcoreinfo.c) and every
 * lookup the CLI makes in it, over arbitrary text (NUL bytes included:
 * the note is a C string, so parsing stops at the first).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = malloc(size + 1);
	if (!raw)
		return 0;
	memcpy(raw, data, size);
	raw[size] = '\0';
	struct cli_vmcoreinfo vi;
	struct mml_error *err = cli_vmcoreinfo_parse(raw, &vi);
	if (err) {
		mml_error_destroy(err);
		return 0;
	}
	static const char *const syms[] = {
		"init_task", "init_mm", "_stext", "kallsyms_names",
		"kallsyms_offsets", "prb", "swapper_pg_dir", "mem_section",
		"page_offset_base", "vmemmap_base", "",
	};
	static const char *const keys[] = {
		"OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET",
		"NUMBER(pgtable_l5_enabled)", "NUMBER(phys_base)", "CRASHTIME",
		"SYMBOL(init_uts_ns)", "",
	};
	uint64_t v;
	size_t len;
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		(void)cli_vmcoreinfo_symbol(&vi, syms[i], &v);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *p = cli_vmcoreinfo_line(&vi, keys[i], &len);
		if (p && len && p[len - 1] == '\0')
			abort();   /* a value never runs past its line */
	}
	if (vi.osrelease)
		(void)strlen(vi.osrelease);
	cli_vmcoreinfo_deinit(&vi);
	return 0;
}
