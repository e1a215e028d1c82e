// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the kallsyms reader (cli/debuginfo/kallsyms.c) over a fuzzed
 * VMCOREINFO and memory image. Input: VMCOREINFO text up to the first NUL
 * byte (its SYMBOL(kallsyms_*) lines point into the image), then the image,
 * mapped at STUB_BASE (0xffffffff82000000) and followed by zeros to 1 MiB.
 * Every symbol decoded is looked up again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stub_dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	char *raw = malloc(tlen + 1);
	if (!raw)
		return 0;
	memcpy(raw, data, tlen);
	raw[tlen] = '\0';
	struct cli_dump dump = { 0 };
	dump.image = nul ? nul + 1 : data + size;
	dump.len = nul ? size - tlen - 1 : 0;
	struct mml_error *err = cli_vmcoreinfo_parse(raw, &dump.vmcoreinfo);
	if (err) {
		mml_error_destroy(err);
		return 0;
	}
	struct cli_symtab *tab = NULL;
	err = cli_kallsyms_load(&dump, &tab);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "kallsyms: %s (%zu symbols)\n",
			err ? err->message : "loaded",
			err ? 0 : cli_symtab_count(tab));
	if (err) {
		mml_error_destroy(err);
	} else {
		uint64_t a;
		(void)cli_symtab_lookup(tab, "_stext", &a);
		(void)cli_symtab_lookup(tab, "init_task", &a);
		(void)cli_symtab_count(tab);
		cli_symtab_destroy(tab);
	}
	cli_vmcoreinfo_deinit(&dump.vmcoreinfo);
	return 0;
}
