// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel's own symbol table (kallsyms), read out of the dump, for runs
 * without a vmlinux. VMCOREINFO carries the addresses of the kallsyms
 * tables since Linux 6.0 ("vmcoreinfo: include kallsyms symbols",
 * "vmcoreinfo: add kallsyms_num_syms symbol").
 *
 * Encoding (scripts/kallsyms.c, kernel/kallsyms.c):
 * - kallsyms_names: per symbol a token count (one byte; since 6.1 two
 *   bytes, little-endian base 128, when the first has bit 7 set), then
 *   that many token numbers. Each token number indexes kallsyms_token_index
 *   (256 u16), which gives an offset into kallsyms_token_table (NUL
 *   terminated strings). The first decoded character is the nm type.
 * - addresses: int kallsyms_offsets[] with one of three meanings, told apart
 *   here by checking which one gives SYMBOL(_stext) for the "_stext" entry:
 *     base relative   kallsyms_relative_base + (u32)offset (up to 6.19);
 *     absolute percpu offset >= 0 is the address, else
 *                     relative_base - 1 - offset (x86_64 up to 6.14);
 *     place relative  &kallsyms_offsets[i] + offset (7.0 and later, when
 *                     kallsyms_relative_base is gone);
 *   or unsigned long kallsyms_addresses[] on old kernels without
 *   relative offsets.
 */
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"
#include "debuginfo.h"

enum {
	KALLSYMS_MAX_SYMS = 4 << 20,
	KALLSYMS_MAX_NAMES = 64 << 20,
	KALLSYMS_TOKEN_TABLE_MAX = 1 << 16,
	KALLSYMS_NAME_MAX = 1024,
	KALLSYMS_CHUNK = 1 << 16,
};

struct kallsyms_locations {
	uint64_t names, num_syms, token_table, token_index, offsets,
		relative_base, addresses, stext;
};

struct kallsyms_tables {
	uint32_t num_syms;
	uint16_t token_index[256];
	char *token_table;
	size_t token_table_len;
	unsigned char *names;
	size_t names_len;
	bool long_names;
};

/* Read @len bytes from the dump, a chunk at a time. */
static struct mml_error *kallsyms_read(struct cli_dump *dump, uint64_t addr,
				       void *buf, size_t len, const char *what)
{
	char *p = buf;

	while (len) {
		size_t n = len < KALLSYMS_CHUNK ? len : KALLSYMS_CHUNK;
		struct mml_error *err =
			cli_dump_read_or_error(dump, addr, p, n, what);
		if (err)
			return err;
		p += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

/*
 * Read ahead in kallsyms_names, whose length is only known once every
 * name is walked: a chunk, or as many whole pages of it as are readable
 * (the array may end just before an unmapped or excluded page).
 */
static struct mml_error *kallsyms_read_ahead(struct cli_dump *dump,
					     uint64_t addr, void *buf,
					     size_t *got_ret)
{
	char *p = buf;
	size_t got = 0;

	struct mml_error *first =
		kallsyms_read(dump, addr, buf, KALLSYMS_CHUNK, "kallsyms_names");
	if (!first) {
		*got_ret = KALLSYMS_CHUNK;
		return NULL;
	}
	mml_error_destroy(first);
	uint64_t end = addr + KALLSYMS_CHUNK;
	while (addr < end) {
		size_t n = 4096 - (addr & 4095);
		if (n > end - addr)
			n = (size_t)(end - addr);
		struct mml_error *err = cli_dump_read_or_error(
			dump, addr, p, n, "kallsyms_names");
		if (err) {
			if (!got)
				return err;
			mml_error_destroy(err);
			break;
		}
		p += n;
		addr += n;
		got += n;
	}
	*got_ret = got;
	return NULL;
}

static bool release_at_least(const char *release, long major, long minor)
{
	char *end;
	long ma = strtol(release, &end, 10);
	long mi = *end == '.' ? strtol(end + 1, NULL, 10) : 0;
	return ma > major || (ma == major && mi >= minor);
}

static struct mml_error *kallsyms_locate(const struct cli_vmcoreinfo *vi,
					 struct kallsyms_locations *loc)
{
	memset(loc, 0, sizeof(*loc));
	bool ok = cli_vmcoreinfo_symbol(vi, "kallsyms_names", &loc->names) &&
		  cli_vmcoreinfo_symbol(vi, "kallsyms_num_syms",
					&loc->num_syms) &&
		  cli_vmcoreinfo_symbol(vi, "kallsyms_token_table",
					&loc->token_table) &&
		  cli_vmcoreinfo_symbol(vi, "kallsyms_token_index",
					&loc->token_index) &&
		  cli_vmcoreinfo_symbol(vi, "_stext", &loc->stext);
	if (!ok)
		return mml_error_create(
			MML_ERROR_NOT_FOUND,
			"VMCOREINFO has no kallsyms entries (Linux 6.0 and "
			"later add them); give the kernel's debug vmlinux "
			"with --vmlinux");
	cli_vmcoreinfo_symbol(vi, "kallsyms_offsets", &loc->offsets);
	cli_vmcoreinfo_symbol(vi, "kallsyms_relative_base",
			      &loc->relative_base);
	cli_vmcoreinfo_symbol(vi, "kallsyms_addresses", &loc->addresses);
	if (!loc->offsets && !loc->addresses)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"VMCOREINFO names neither "
					"kallsyms_offsets nor "
					"kallsyms_addresses");
	return NULL;
}

/* The length field of the name at names[*pos]; advances *pos past it. */
static bool kallsyms_name_len(const struct kallsyms_tables *kt,
			      const unsigned char *names, size_t avail,
			      size_t *pos, size_t *len_ret)
{
	if (*pos >= avail)
		return false;
	size_t len = names[(*pos)++];
	if ((len & 0x80) && kt->long_names) {
		if (*pos >= avail || (names[*pos] & 0x80))
			return false;
		len = (len & 0x7f) | ((size_t)names[(*pos)++] << 7);
	}
	*len_ret = len;
	return true;
}

static struct mml_error *kallsyms_read_tables(struct cli_dump *dump,
					      const struct kallsyms_locations *loc,
					      struct kallsyms_tables *kt)
{
	struct mml_error *err;
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(dump);

	err = cli_dump_read_or_error(dump, loc->num_syms, &kt->num_syms,
				     sizeof(kt->num_syms), "kallsyms_num_syms");
	if (err)
		return err;
	if (kt->num_syms == 0 || kt->num_syms > KALLSYMS_MAX_SYMS)
		return mml_error_create(MML_ERROR_CORRUPT,
					"kallsyms_num_syms is %u",
					kt->num_syms);
	err = cli_dump_read_or_error(dump, loc->token_index, kt->token_index,
				     sizeof(kt->token_index),
				     "kallsyms_token_index");
	if (err)
		return err;

	/* The token table ends at the NUL after its highest token. */
	size_t last = 0;
	for (int i = 0; i < 256; i++)
		if (kt->token_index[i] > last)
			last = kt->token_index[i];
	kt->token_table_len = last + KALLSYMS_NAME_MAX;
	kt->token_table = calloc(1, kt->token_table_len + 1);
	if (!kt->token_table)
		return &mml_enomem;
	err = kallsyms_read(dump, loc->token_table, kt->token_table,
			    kt->token_table_len, "kallsyms_token_table");
	if (err)
		return err;
	if (!memchr(kt->token_table + last, '\0', KALLSYMS_NAME_MAX))
		return mml_error_create(MML_ERROR_CORRUPT,
					"kallsyms_token_table is not "
					"terminated");

	/* Walk the names, reading more of the array as needed. */
	kt->long_names = release_at_least(vi->osrelease, 6, 1);
	size_t cap = 0, have = 0, pos = 0;
	for (uint32_t i = 0; i < kt->num_syms; i++) {
		size_t len;
		while (have < pos + 2 + 0x4000) {
			if (have >= KALLSYMS_MAX_NAMES)
				break;
			if (have + KALLSYMS_CHUNK > cap) {
				size_t ncap = cap ? cap * 2 : 1 << 20;
				unsigned char *p = realloc(kt->names, ncap);
				if (!p)
					return &mml_enomem;
				kt->names = p;
				cap = ncap;
			}
			size_t got;
			err = kallsyms_read_ahead(dump, loc->names + have,
						  kt->names + have, &got);
			if (err)
				return err;
			have += got;
			if (got < KALLSYMS_CHUNK)
				break;  /* the rest is not readable */
		}
		if (!kallsyms_name_len(kt, kt->names, have, &pos, &len) ||
		    len == 0 || pos + len > have)
			return mml_error_create(MML_ERROR_CORRUPT,
						"kallsyms_names: bad entry %u",
						i);
		pos += len;
	}
	kt->names_len = pos;
	return NULL;
}

/* Decode the name at *pos into @buf (without the type character). */
static bool kallsyms_expand(const struct kallsyms_tables *kt, size_t *pos,
			    char *buf, size_t size)
{
	size_t len, out = 0;
	bool first = true;

	if (!kallsyms_name_len(kt, kt->names, kt->names_len, pos, &len) ||
	    *pos + len > kt->names_len)
		return false;
	for (size_t i = 0; i < len; i++) {
		const char *tok =
			kt->token_table + kt->token_index[kt->names[*pos + i]];
		const char *end = kt->token_table + kt->token_table_len;
		for (; tok < end && *tok; tok++) {
			if (first) {
				first = false;
				continue;
			}
			if (out + 1 >= size)
				return false;
			buf[out++] = *tok;
		}
	}
	*pos += len;
	buf[out] = '\0';
	return true;
}

static uint64_t absolute_percpu(uint64_t base, int32_t off)
{
	return off >= 0 ? (uint64_t)off : base - 1 - (uint64_t)(int64_t)off;
}

enum kallsyms_encoding {
	ENC_ABSOLUTE,
	ENC_BASE_RELATIVE,
	ENC_ABSOLUTE_PERCPU,
	ENC_PLACE_RELATIVE,
};

static uint64_t kallsyms_addr(enum kallsyms_encoding enc,
			      const struct kallsyms_locations *loc,
			      uint64_t base, const void *values, uint32_t i)
{
	if (enc == ENC_ABSOLUTE)
		return ((const uint64_t *)values)[i];
	int32_t off = ((const int32_t *)values)[i];
	switch (enc) {
	case ENC_BASE_RELATIVE:
		return base + (uint32_t)off;
	case ENC_ABSOLUTE_PERCPU:
		return absolute_percpu(base, off);
	default:
		return loc->offsets + 4ULL * i + (uint64_t)(int64_t)off;
	}
}

/* The index of _stext in the tables. */
static struct mml_error *kallsyms_find_stext(const struct kallsyms_tables *kt,
					     uint32_t *ret)
{
	char name[KALLSYMS_NAME_MAX];
	size_t pos = 0;
	for (uint32_t i = 0; i < kt->num_syms; i++) {
		if (!kallsyms_expand(kt, &pos, name, sizeof(name)))
			return mml_error_create(MML_ERROR_CORRUPT,
						"kallsyms_names: cannot "
						"decode entry %u", i);
		if (!strcmp(name, "_stext")) {
			*ret = i;
			return NULL;
		}
	}
	return mml_error_create(MML_ERROR_CORRUPT, "kallsyms has no _stext");
}

/* Which encoding (and base) gives _stext, entry @stext of @values, its
 * VMCOREINFO address? */
static struct mml_error *kallsyms_encoding_guess(
	struct cli_dump *dump, const struct kallsyms_locations *loc,
	const void *values, uint32_t stext, enum kallsyms_encoding *enc_ret,
	uint64_t *base)
{
	static const enum kallsyms_encoding candidates[] = {
		ENC_BASE_RELATIVE, ENC_ABSOLUTE_PERCPU, ENC_PLACE_RELATIVE,
	};
	enum kallsyms_encoding enc = ENC_ABSOLUTE;
	bool found = !loc->offsets &&
		     kallsyms_addr(ENC_ABSOLUTE, loc, 0, values, stext) ==
			     loc->stext;
	/*
	 * kallsyms_relative_base is relocated with the kernel on the
	 * kernels seen so far; should one not be, shifting it by the KASLR
	 * offset is the second guess.
	 */
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(dump);
	uint64_t bases[2] = { *base, *base + vi->kernel_offset };
	for (size_t b = 0; loc->offsets && !found && b < 2; b++) {
		for (size_t c = 0; !found && c < 3; c++) {
			if (candidates[c] != ENC_PLACE_RELATIVE &&
			    !loc->relative_base)
				continue;
			if (kallsyms_addr(candidates[c], loc, bases[b], values,
					  stext) == loc->stext) {
				enc = candidates[c];
				*base = bases[b];
				found = true;
			}
		}
	}
	if (!found)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"kallsyms address encoding not "
					"understood (_stext does not match "
					"VMCOREINFO)");
	*enc_ret = enc;
	return NULL;
}

static struct mml_error *kallsyms_build(struct cli_dump *dump,
					const struct kallsyms_locations *loc,
					const struct kallsyms_tables *kt,
					struct cli_symtab *tab)
{
	struct mml_error *err;
	size_t esize = loc->offsets ? 4 : 8;
	_cleanup_free_ void *values = malloc((size_t)kt->num_syms * esize);
	if (!values)
		return &mml_enomem;
	err = kallsyms_read(dump, loc->offsets ? loc->offsets : loc->addresses,
			    values, (size_t)kt->num_syms * esize,
			    loc->offsets ? "kallsyms_offsets"
					 : "kallsyms_addresses");
	if (err)
		return err;
	uint64_t base = 0;
	if (loc->relative_base) {
		err = cli_dump_read_or_error(dump, loc->relative_base, &base,
					     sizeof(base),
					     "kallsyms_relative_base");
		if (err)
			return err;
	}
	uint32_t stext = 0;
	enum kallsyms_encoding enc = ENC_ABSOLUTE;
	err = kallsyms_find_stext(kt, &stext);
	if (!err)
		err = kallsyms_encoding_guess(dump, loc, values, stext, &enc,
					      &base);
	if (err)
		return err;

	char name[KALLSYMS_NAME_MAX];
	size_t pos = 0;
	for (uint32_t i = 0; i < kt->num_syms; i++) {
		if (!kallsyms_expand(kt, &pos, name, sizeof(name)))
			return mml_error_create(MML_ERROR_CORRUPT,
						"kallsyms_names: cannot "
						"decode entry %u", i);
		err = cli_symtab_add(tab, name,
				     kallsyms_addr(enc, loc, base, values, i));
		if (err)
			return err;
	}
	return NULL;
}

struct mml_error *cli_kallsyms_load(struct cli_dump *dump,
				    struct cli_symtab **ret)
{
	struct kallsyms_locations loc;
	struct kallsyms_tables kt = { 0 };
	struct mml_error *err;

	err = kallsyms_locate(cli_dump_vmcoreinfo(dump), &loc);
	if (err)
		return err;
	struct cli_symtab *tab = cli_symtab_create();
	if (!tab)
		return &mml_enomem;
	err = kallsyms_read_tables(dump, &loc, &kt);
	if (!err)
		err = kallsyms_build(dump, &loc, &kt, tab);
	free(kt.token_table);
	free(kt.names);
	if (err) {
		cli_symtab_destroy(tab);
		return mml_error_wrap(err, "kallsyms");
	}
	cli_symtab_finish(tab);
	*ret = tab;
	return NULL;
}
