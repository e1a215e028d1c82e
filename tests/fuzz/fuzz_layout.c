// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the layout cache reader (lib/layout.c,
 * mml_layout_load_keyed()), which the CLI and the crash extension run on
 * files other processes write: the input is the file, read once for the
 * harness's build-id and once for any. Beyond the sanitizers: a layout
 * accepted for the build-id is accepted for any, it comes back the same
 * after a save and a load, and a refused one leaves the caller's struct
 * untouched. Seeds: the fake kernels' layouts as mml_layout_save_keyed()
 * writes them (mkseeds.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/layout.h"

#define FUZZ_BUILD_ID "4bbce01e305eafdcfe5a7e808f0e347e013801e3"

static struct mml_error *load(const uint8_t *data, size_t size,
			      const char *id, struct mml_layout *l)
{
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return NULL;  /* size 0: fmemopen refuses; nothing to test */
	struct mml_error *err = mml_layout_load_keyed(f, id, l);
	fclose(f);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mml_layout l, any, before, again;
	memset(&l, 0x5a, sizeof(l));
	before = l;
	if (!size)
		return 0;
	struct mml_error *err = load(data, size, FUZZ_BUILD_ID, &l);
	struct mml_error *err_any = load(data, size, NULL, &any);
	if (err) {
		if (memcmp(&l, &before, sizeof(l)))
			abort();  /* a refused file wrote the layout */
		mml_error_destroy(err);
		mml_error_destroy(err_any);
		return 0;
	}
	if (err_any || memcmp(&l, &any, sizeof(l)))
		abort();
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out || mml_layout_save_keyed(&l, FUZZ_BUILD_ID, out))
		abort();
	fclose(out);
	if (load((const uint8_t *)buf, len, FUZZ_BUILD_ID, &again) ||
	    memcmp(&l, &again, sizeof(l)))
		abort();
	free(buf);
	return 0;
}
