// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel constants no debug info holds (lib/kconst.c's table: the
 * #defines mmlife has to carry itself), as text and as JSON, for
 * `mmlife --constants`: so that a reader can check each value, the
 * kernels it holds for and the kernel source it comes from against that
 * source without reading lib/.
 */
#include <stdio.h>

#include <jansson.h>

#include "mmlife/report.h"
#include "kconst.h"

/* The schema of --constants --json; bumped when a key changes meaning. */
enum { CONSTANTS_SCHEMA_VERSION = 1 };

void mml_constants_write_text(FILE *out)
{
	for (const struct mml_kconst *k = mml_kconsts; k->name; k++)
		fprintf(out, "  %-26s 0x%llx (%llu)\n      kernels: %s\n"
			     "      source: %s\n",
			k->name, (unsigned long long)k->value,
			(unsigned long long)k->value, k->kernels, k->where);
}

static json_t *constant_json(const struct mml_kconst *k)
{
	char hex[32];
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)k->value);
	/* The value as a hex string: some (the x86_64 bases) do not fit a
	 * JSON integer that every reader takes. */
	return json_pack("{s:s,s:s,s:s,s:s}", "name", k->name, "value", hex,
			 "kernels", k->kernels, "source", k->where);
}

struct mml_error *mml_constants_write_json(FILE *out)
{
	json_t *constants = json_array();
	if (!constants)
		return &mml_enomem;
	for (const struct mml_kconst *k = mml_kconsts; k->name; k++) {
		json_t *c = constant_json(k);
		if (!c || json_array_append_new(constants, c)) {
			json_decref(constants);
			return &mml_enomem;
		}
	}
	json_t *root = json_pack("{s:i,s:o}", "schema_version",
				 CONSTANTS_SCHEMA_VERSION, "constants",
				 constants);
	if (!root)
		return &mml_enomem;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc || fputc('\n', out) == EOF)
		return mml_error_create(MML_ERROR_OS, "writing JSON failed");
	return NULL;
}
