// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the oops parser (lib/oops.c) over arbitrary log
 * lines (the input split at newlines): the event, the other WARNINGs,
 * and one report parsed from the middle.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t n = 1;
	for (size_t i = 0; i < size; i++)
		n += text[i] == '\n';
	const char **lines = malloc(n * sizeof(*lines));
	if (!lines) {
		free(text);
		return 0;
	}
	size_t k = 0;
	lines[k++] = text;
	for (size_t i = 0; i < size; i++) {
		if (text[i] == '\n') {
			text[i] = '\0';
			lines[k++] = text + i + 1;
		}
	}
	struct mml_oops o, *w = NULL;
	size_t nw = 0;
	memset(&o, 0, sizeof(o));
	bool ok = mml_oops_parse(lines, k, &o);
	/* The other WARNINGs, told from the event; a report from anywhere. */
	if (ok)
		mml_warnings_parse(lines, k, &o, &w, &nw);
	for (size_t i = 0; i < nw; i++)
		mml_oops_deinit(&w[i]);
	free(w);
	mml_oops_deinit(&o);
	struct mml_oops r;
	mml_oops_parse_report(lines, k, k / 2, &r);
	mml_oops_deinit(&r);
	free(lines);
	free(text);
	return 0;
}
