// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the DWARF type source (cli/debuginfo/types_dwarf.c over libdw)
 * and the layout resolver on top of it (lib/layout.c), over an arbitrary
 * file given as the debug vmlinux: every member, size and enumerator
 * mmlife asks for. The input is written to a memfd and opened by path, as
 * the CLI opens --vmlinux. Seeds: tests/fuzz/mkseed_dwarf.py (small ELF
 * executables whose DWARF has the structs, members and enums the layout
 * names).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "mmlife/layout.h"

static void ask(struct mml_types *types)
{
	struct mml_member_info mi;
	uint64_t sz;
	int64_t ev;
	mml_error_destroy(types->ops->member(types->arg, "mm_struct", "mm_mt",
					     &mi));
	mml_error_destroy(types->ops->member(types->arg, "x", "", &mi));
	mml_error_destroy(types->ops->type_size(types->arg, "maple_node",
						&sz));
	mml_error_destroy(types->ops->enumerator(types->arg, "maple_type",
						 "maple_arange_64", &ev));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_dwarf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	struct cli_dwarf *dw = NULL;
	struct mml_error *err = cli_dwarf_open(path, &dw);
	close(fd);
	if (err) {
		mml_error_destroy(err);
		return 0;
	}
	struct mml_types types;
	cli_dwarf_types(dw, &types);
	struct mml_layout layout;
	memset(&layout, 0, sizeof(layout));
	err = mml_layout_resolve(&types, &layout);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "layout: %s\n", err ? err->message : "resolved");
	mml_error_destroy(err);
	ask(&types);
	cli_dwarf_destroy(dw);
	return 0;
}
