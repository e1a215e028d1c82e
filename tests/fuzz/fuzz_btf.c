// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the BTF type source (lib/types_btf.c over libbpf's
 * btf__new()) and the layout resolver on top of it (lib/layout.c), over
 * arbitrary bytes: every member, size and enumerator mmlife asks for.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "mmlife/btf.h"
#include "mmlife/layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mml_btf *btf = NULL;
	struct mml_error *err = mml_btf_from_bytes(data, size, &btf);
	if (err) {
		mml_error_destroy(err);
		return 0;
	}
	struct mml_types types;
	mml_btf_types(btf, &types);
	struct mml_layout layout;
	memset(&layout, 0, sizeof(layout));
	err = mml_layout_resolve(&types, &layout);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "layout: %s\n", err ? err->message : "resolved");
	mml_error_destroy(err);
	/* Direct questions too, including names no kernel has. */
	struct mml_member_info mi;
	uint64_t sz;
	int64_t ev;
	mml_error_destroy(types.ops->member(types.arg, "mm_struct", "mm_mt",
					    &mi));
	mml_error_destroy(types.ops->member(types.arg, "x", "", &mi));
	mml_error_destroy(types.ops->type_size(types.arg, "maple_node", &sz));
	mml_error_destroy(types.ops->enumerator(types.arg, "maple_type",
						"maple_arange_64", &ev));
	mml_btf_destroy(btf);
	return 0;
}
