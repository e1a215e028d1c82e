// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness: the crash command's option parsing (ext/options.c),
 * over arbitrary argument vectors: the input split at NUL bytes into at
 * most 15 arguments after "mmlife". Beyond the sanitizers it checks that
 * a refusal says why and an accepted command line says nothing. Seeds:
 * the command lines of the crash extension's help and tests.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"

#define MAX_ARGS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	char *argv[MAX_ARGS + 1] = { "mmlife" };
	int argc = 1;
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i <= size && argc < MAX_ARGS; ) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	struct mmlife_ext_opts o;
	char why[128];
	bool ok = mmlife_ext_parse(argc, argv, &o, why, sizeof(why));
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s: %s\n", ok ? "ok" : "usage", why);
	if (!ok && !why[0])
		abort();        /* a refusal without a reason */
	if (ok && why[0])
		abort();        /* accepted, yet with a complaint */
	free(buf);
	return 0;
}
