// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the oops parser (lib/oops.c) over arbitrary log
 * lines (the input split at newlines).
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
	struct mml_oops o;
	memset(&o, 0, sizeof(o));
	if (mml_oops_parse(lines, k, &o))
		mml_oops_deinit(&o);
	free(lines);
	free(text);
	return 0;
}
