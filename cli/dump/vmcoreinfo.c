// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The VMCOREINFO note: "KEY=VALUE" lines written by the crashed kernel
 * (kernel/vmcore_info.c). mmlife uses OSRELEASE, BUILD-ID, KERNELOFFSET,
 * PAGESIZE, SYMBOL(name) lines and the architecture's NUMBER(name) lines
 * (arch/arm64/kernel/vmcore_info.c); SYMBOL values are run-time
 * addresses, so they already include the KASLR offset.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

const char *cli_vmcoreinfo_line(const struct cli_vmcoreinfo *vi,
				const char *key, size_t *len_ret)
{
	size_t klen = strlen(key);
	const char *p = vi->raw;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (len > klen && !memcmp(p, key, klen) && p[klen] == '=') {
			*len_ret = len - klen - 1;
			return p + klen + 1;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}

static char *vmcoreinfo_strdup(const struct cli_vmcoreinfo *vi,
			       const char *key)
{
	size_t len;
	const char *v = cli_vmcoreinfo_line(vi, key, &len);
	return v ? strndup(v, len) : NULL;
}

static bool vmcoreinfo_hex(const char *v, size_t len, uint64_t *ret)
{
	char buf[32];
	char *end;

	if (!v || len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	*ret = strtoull(buf, &end, 16);
	return *end == '\0';
}

bool cli_vmcoreinfo_number(const struct cli_vmcoreinfo *vi, const char *key,
			   uint64_t *ret)
{
	char buf[32];
	char *end;
	size_t len;
	const char *v = cli_vmcoreinfo_line(vi, key, &len);

	if (!v || len == 0 || len >= sizeof(buf) || v[0] == '-')
		return false;
	memcpy(buf, v, len);
	buf[len] = '\0';
	/* SYMBOL() values are bare hex (VMCOREINFO_SYMBOL()). */
	*ret = strtoull(buf, &end, strncmp(key, "SYMBOL(", 7) ? 0 : 16);
	return *end == '\0';
}

bool cli_vmcoreinfo_symbol(const struct cli_vmcoreinfo *vi, const char *name,
			   uint64_t *ret)
{
	char key[160];
	size_t len;

	if (snprintf(key, sizeof(key), "SYMBOL(%s)", name) >= (int)sizeof(key))
		return false;
	const char *v = cli_vmcoreinfo_line(vi, key, &len);
	return vmcoreinfo_hex(v, len, ret);
}

struct mml_error *cli_vmcoreinfo_parse(char *raw, struct cli_vmcoreinfo *ret)
{
	size_t len;
	const char *v;

	memset(ret, 0, sizeof(*ret));
	ret->raw = raw;
	ret->osrelease = vmcoreinfo_strdup(ret, "OSRELEASE");
	ret->build_id = vmcoreinfo_strdup(ret, "BUILD-ID");
	if (ret->build_id) {
		for (char *c = ret->build_id; *c; c++)
			*c = tolower((unsigned char)*c);
	}
	v = cli_vmcoreinfo_line(ret, "KERNELOFFSET", &len);
	ret->have_kernel_offset = vmcoreinfo_hex(v, len, &ret->kernel_offset);
	v = cli_vmcoreinfo_line(ret, "PAGESIZE", &len);
	if (v) {
		char buf[32];
		if (len < sizeof(buf)) {
			memcpy(buf, v, len);
			buf[len] = '\0';
			ret->page_size = strtoull(buf, NULL, 10);
		}
	}
	if (!ret->osrelease) {
		struct mml_error *err = mml_error_create(
			MML_ERROR_INPUT,
			"VMCOREINFO has no OSRELEASE line");
		cli_vmcoreinfo_deinit(ret);
		return err;
	}
	return NULL;
}

void cli_vmcoreinfo_deinit(struct cli_vmcoreinfo *vi)
{
	free(vi->raw);
	free(vi->osrelease);
	free(vi->build_id);
	memset(vi, 0, sizeof(*vi));
}
