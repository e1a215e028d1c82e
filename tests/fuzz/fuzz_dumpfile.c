// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: opening a dump file the way the CLI does
 * (cli_dump_open(): xz container, flattened reassembly, the header and
 * truncation checks of dump_header.c, then libkdumpfile and VMCOREINFO),
 * then reads through the opened dump and its kallsyms tables; first, what
 * the batch scanner reads of a file before any analysis (its kind, an ELF
 * core's notes, VMCOREINFO straight from the file: cli/dump/elf_notes.c,
 * vmcoreinfo_file.c), some of it in the scanner's own process. The input
 * is the whole file, in a memfd. Output files (xz, flattened) are capped
 * with RLIMIT_FSIZE at 64 MiB so that a small input cannot fill the disk.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "dump/dump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int init;
	if (!init) {
		struct rlimit rl = { 64 << 20, 64 << 20 };
		setrlimit(RLIMIT_FSIZE, &rl);
		signal(SIGXFSZ, SIG_IGN);
		init = 1;
	}
	int fd = memfd_create("fuzz-dump", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (size && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	enum cli_elf_core core;
	char *raw = NULL;
	mml_error_destroy(cli_elf_core_kind(fd, &core));
	mml_error_destroy(cli_vmcoreinfo_read_file(fd, &raw));
	free(raw);
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct cli_dump *dump = NULL;
	struct mml_error *err = cli_dump_open(path, &dump);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "open: %s\n", err ? err->message : "ok");
	if (!err) {
		unsigned char page[4096];
		uint64_t a;
		(void)cli_dump_format(dump);
		(void)cli_dump_arch(dump);
		const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(dump);
		if (cli_vmcoreinfo_symbol(vi, "init_task", &a))
			(void)cli_dump_read(dump, a, page, 64);
		(void)cli_dump_read(dump, 0xffff888001000000ULL, page,
				    sizeof(page));
		(void)cli_dump_read(dump, 0xffff888001000ff8ULL, page, 16);
		struct cli_symtab *tab = NULL;
		struct mml_error *e2 = cli_kallsyms_load(dump, &tab);
		if (!e2)
			cli_symtab_destroy(tab);
		mml_error_destroy(e2);
		cli_dump_destroy(dump);
	}
	mml_error_destroy(err);
	close(fd);
	return 0;
}
