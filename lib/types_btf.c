// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct mml_types over BTF (libbpf), for dumps without a vmlinux: the
 * kernel's .BTF section is in memory between __start_BTF and __stop_BTF;
 * each front end reads it (the CLI through libkdumpfile, with the
 * addresses from kallsyms: cli/debuginfo/btf_dump.c; the crash extension
 * through readmem(): ext/layout_btf.c). The answers must equal the DWARF
 * ones and crash's gdb's (tests/dumps/cli_layout.sh, crash_layout.sh
 * compare the resolved layouts).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"
#include "mmlife/btf.h"
#include "internal.h"

enum {
	BTF_MAX_ANON_DEPTH = 8,
	/* Members looked at per lookup. Anonymous members may share a type,
	 * so the depth bound alone allows fan-out^8 visits on hostile BTF (a
	 * struct with ten anonymous members of itself); a kernel's deepest
	 * lookup looks at a few hundred. */
	BTF_MAX_VISITS = 1 << 14,
};

/*
 * libbpf's btf__find_by_name_kind() scans every type: a layout's ~80
 * lookups in a kernel's ~130,000 types were a quarter of a cold CLI run
 * and most of the crash extension's first run on a build it had not met
 * (bench/EXT.md). @index maps a hash of (name, kind) to the first type id
 * of that name and kind, for the kinds looked up here; a hash shared by
 * two names sends the second one back to libbpf's scan.
 */
struct mml_btf {
	struct btf *btf;
	struct mml_map index;
	bool indexed;
};

static uint64_t btf_key(const char *name, unsigned int kind)
{
	uint64_t h = 0xcbf29ce484222325ULL;  /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h ^= (uint64_t)kind * 0x9E3779B97F4A7C15ULL;
	return h ? h : 1;
}

static bool btf_index_build(struct mml_btf *b)
{
	__u32 n = btf__type_cnt(b->btf);
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b->btf, id);
		unsigned int kind = btf_kind(t);
		bool inserted;
		if ((kind != BTF_KIND_STRUCT && kind != BTF_KIND_UNION &&
		     kind != BTF_KIND_ENUM && kind != BTF_KIND_ENUM64) ||
		    !t->name_off)
			continue;
		const char *name = btf__name_by_offset(b->btf, t->name_off);
		if (name && !mml_map_insert(&b->index, btf_key(name, kind),
					    id, &inserted))
			return false;
	}
	return true;
}

/* The first type of @kind named @name, as btf__find_by_name_kind(). */
static __s32 btf_find(const struct mml_btf *b, const char *name,
		      unsigned int kind)
{
	uint64_t id;
	if (!b->indexed)
		return btf__find_by_name_kind(b->btf, name, kind);
	if (!mml_map_get(&b->index, btf_key(name, kind), &id))
		return -ENOENT;
	const struct btf_type *t = btf__type_by_id(b->btf, (__u32)id);
	const char *tname = btf__name_by_offset(b->btf, t->name_off);
	if (btf_kind(t) == kind && tname && !strcmp(tname, name))
		return (__s32)id;
	return btf__find_by_name_kind(b->btf, name, kind);
}

/* A struct or union named @name. */
static struct mml_error *btf_find_composite(const struct mml_btf *b,
					    const char *name, __s32 *id_ret)
{
	__s32 id = btf_find(b, name, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf_find(b, name, BTF_KIND_UNION);
	if (id < 0)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"struct %s not in the BTF", name);
	*id_ret = id;
	return NULL;
}

static enum mml_member_kind btf_kind_of(const struct btf_type *t)
{
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return MML_KIND_INT;
	case BTF_KIND_PTR:
		return MML_KIND_POINTER;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return MML_KIND_STRUCT;
	case BTF_KIND_ARRAY:
		return MML_KIND_ARRAY;
	default:
		return MML_KIND_OTHER;
	}
}

static bool btf_describe(const struct btf *btf, const struct btf_type *outer,
			 int i, uint64_t base, struct mml_member_info *ret)
{
	const struct btf_member *m = btf_members(outer) + i;
	__s32 tid = btf__resolve_type(btf, m->type);
	if (tid < 0)
		return false;
	const struct btf_type *t = btf__type_by_id(btf, tid);
	__s64 size = btf__resolve_size(btf, tid);
	ret->offset = base + btf_member_bit_offset(outer, i) / 8;
	ret->kind = btf_kind_of(t);
	ret->count = btf_is_array(t) ? btf_array(t)->nelems : 0;
	ret->size = size < 0 ? 0 : (uint64_t)size;
	return true;
}

static bool btf_search(const struct btf *btf, const struct btf_type *t,
		       const char *name, uint64_t base, int depth,
		       unsigned int *budget, struct mml_member_info *ret)
{
	if (depth > BTF_MAX_ANON_DEPTH || !btf_is_composite(t))
		return false;
	for (int i = 0; i < btf_vlen(t); i++) {
		if (*budget == 0)
			return false;
		--*budget;
		const struct btf_member *m = btf_members(t) + i;
		const char *mname = btf__name_by_offset(btf, m->name_off);
		if (mname && *mname) {
			if (!strcmp(mname, name))
				return btf_describe(btf, t, i, base, ret);
			continue;
		}
		__s32 tid = btf__resolve_type(btf, m->type);
		if (tid < 0)
			continue;
		const struct btf_type *sub = btf__type_by_id(btf, tid);
		if (btf_search(btf, sub, name,
			       base + btf_member_bit_offset(t, i) / 8,
			       depth + 1, budget, ret))
			return true;
	}
	return false;
}

static struct mml_error *btf_member_op(void *arg, const char *type,
				       const char *member,
				       struct mml_member_info *ret)
{
	struct mml_btf *b = arg;
	__s32 id = 0;

	struct mml_error *err = btf_find_composite(b, type, &id);
	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	unsigned int budget = BTF_MAX_VISITS;
	if (!btf_search(b->btf, btf__type_by_id(b->btf, id), member, 0, 0,
			&budget, ret))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"struct %s has no member %s", type,
					member);
	return NULL;
}

static struct mml_error *btf_type_size_op(void *arg, const char *type,
					  uint64_t *ret)
{
	struct mml_btf *b = arg;
	__s32 id = 0;

	struct mml_error *err = btf_find_composite(b, type, &id);
	if (err)
		return err;
	*ret = btf__type_by_id(b->btf, id)->size;
	return NULL;
}

static struct mml_error *btf_enumerator_op(void *arg, const char *enum_type,
					   const char *name, int64_t *ret)
{
	struct mml_btf *b = arg;
	__s32 id = btf_find(b, enum_type, BTF_KIND_ENUM);
	if (id < 0)
		id = btf_find(b, enum_type, BTF_KIND_ENUM64);
	if (id < 0)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"enum %s not in the BTF", enum_type);
	const struct btf_type *t = btf__type_by_id(b->btf, id);
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *ename;
		int64_t v;
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;
			ename = btf__name_by_offset(b->btf, e->name_off);
			/* kind_flag set: signed values */
			v = btf_kflag(t) ? (int64_t)e->val
					 : (int64_t)(uint32_t)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;
			ename = btf__name_by_offset(b->btf, e->name_off);
			v = (int64_t)btf_enum64_value(e);
		}
		if (ename && !strcmp(ename, name)) {
			*ret = v;
			return NULL;
		}
	}
	return mml_error_create(MML_ERROR_NOT_FOUND,
				"enum %s has no enumerator %s", enum_type,
				name);
}

static const struct mml_types_ops btf_types_ops = {
	.member = btf_member_op,
	.type_size = btf_type_size_op,
	.enumerator = btf_enumerator_op,
};

static struct mml_error *btf_wrap(struct btf *btf, struct mml_btf **ret)
{
	struct mml_btf *b = calloc(1, sizeof(*b));
	if (!b) {
		btf__free(btf);
		return &mml_enomem;
	}
	b->btf = btf;
	mml_map_init(&b->index);
	/* Out of memory: libbpf's scans answer, more slowly. */
	b->indexed = btf_index_build(b);
	*ret = b;
	return NULL;
}

struct mml_error *mml_btf_from_bytes(const void *data, size_t size,
				     struct mml_btf **ret)
{
	/* libbpf 1.x: NULL and errno on failure. */
	struct btf *btf = btf__new(data, (__u32)size);
	if (!btf)
		return mml_error_create(MML_ERROR_CORRUPT,
					"BTF data not understood (%s)",
					strerror(errno ? errno : EINVAL));
	return btf_wrap(btf, ret);
}

/* The raw bytes of ELF file @elf's section @name (in the mapped file),
 * or NULL. */
static Elf_Data *btf_elf_section(Elf *elf, const char *name)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(elf, &shstrndx))
		return NULL;
	for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn;
	     scn = elf_nextscn(elf, scn)) {
		GElf_Shdr sh;
		const char *n;
		if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
		    (n = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(n, name))
			return elf_rawdata(scn, NULL);
	}
	return NULL;
}

/*
 * Not btf__parse_elf(): it reads the section into memory (ELF_C_READ)
 * before btf__new() copies it, two fresh copies of 5-6 MB (1,300 page
 * faults each, most of the crash extension's first run on a kernel build
 * it has not met). Here libelf maps the file and btf__new() copies once.
 */
struct mml_error *mml_btf_from_elf(const char *path, struct mml_btf **ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mml_error_create(errno == ENOENT ? MML_ERROR_NOT_FOUND
							: MML_ERROR_CORRUPT,
					"no BTF read from %s (%s)", path,
					strerror(errno));
	Elf *elf = elf_version(EV_CURRENT) != EV_NONE
			   ? elf_begin(fd, ELF_C_READ_MMAP, NULL)
			   : NULL;
	if (!elf)
		return mml_error_create(MML_ERROR_CORRUPT,
					"no BTF read from %s (%s)", path,
					elf_errmsg(-1));
	Elf_Data *d = NULL;
	struct mml_error *err;
	if (elf_kind(elf) != ELF_K_ELF)
		err = mml_error_create(MML_ERROR_CORRUPT,
				       "no BTF read from %s (not an ELF file)",
				       path);
	else if (!(d = btf_elf_section(elf, BTF_ELF_SEC)) || !d->d_buf ||
		 !d->d_size)
		err = mml_error_create(MML_ERROR_NOT_FOUND,
				       "no BTF read from %s (no %s section)",
				       path, BTF_ELF_SEC);
	else if (d->d_size > MML_BTF_MAX_SIZE)
		err = mml_error_create(MML_ERROR_CORRUPT,
				       "no BTF read from %s (%s section of "
				       "%zu bytes)", path, BTF_ELF_SEC,
				       d->d_size);
	else
		err = mml_btf_from_bytes(d->d_buf, d->d_size, ret);
	elf_end(elf);
	return err;
}

static struct mml_error *btf_bounds(const struct mml_target *t,
				     uint64_t *start, uint64_t *stop)
{
	if (!t->ops->symbol(t->arg, "__start_BTF", start) ||
	    !t->ops->symbol(t->arg, "__stop_BTF", stop))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"the kernel has no BTF (no "
					"__start_BTF/__stop_BTF symbols; "
					"CONFIG_DEBUG_INFO_BTF off?)");
	if (*stop <= *start || *stop - *start > MML_BTF_MAX_SIZE)
		return mml_error_create(MML_ERROR_CORRUPT,
					"BTF section bounds make no sense "
					"(0x%llx-0x%llx)",
					(unsigned long long)*start,
					(unsigned long long)*stop);
	return NULL;
}

struct mml_error *mml_btf_from_target(const struct mml_target *t,
				      struct mml_btf **ret)
{
	uint64_t start, stop, psz = t->page_size ? t->page_size : 4096;
	struct mml_error *err = btf_bounds(t, &start, &stop);
	if (err)
		return err;
	size_t size = (size_t)(stop - start);
	_cleanup_free_ char *data = mml_alloc_huge(size);
	if (!data)
		return &mml_enomem;
	for (uint64_t a = start; a < stop;) {
		uint64_t n = psz - (a & (psz - 1));
		if (n > stop - a)
			n = stop - a;
		enum mml_read_status st =
			t->ops->read(t->arg, a, data + (a - start), (size_t)n);
		if (st != MML_READ_OK)
			return mml_error_create(
				st == MML_READ_EXCLUDED
					? MML_ERROR_EXCLUDED
					: MML_ERROR_INVALID_ADDRESS,
				"the kernel's BTF at 0x%llx %s",
				(unsigned long long)a,
				st == MML_READ_EXCLUDED
					? "is not in the dump"
					: "does not translate");
		a += n;
	}
	return mml_btf_from_bytes(data, size, ret);
}

void mml_btf_destroy(struct mml_btf *b)
{
	if (!b)
		return;
	btf__free(b->btf);
	mml_map_deinit(&b->index);
	free(b);
}

void mml_btf_types(struct mml_btf *b, struct mml_types *ret)
{
	ret->ops = &btf_types_ops;
	ret->arg = b;
}
