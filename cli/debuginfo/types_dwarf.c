// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct mml_types over DWARF (libdw), for a vmlinux with debug info.
 *
 * A kernel vmlinux has thousands of compile units that all repeat the
 * same headers. mmlife needs about twenty types, so it indexes lazily: a
 * lookup that misses scans further compile units, recording every named
 * top-level struct, union and enum definition it passes (first definition
 * wins), and stops as soon as the name turns up. The common types are in
 * the first units, so a run touches a small part of .debug_info.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "debuginfo.h"

enum {
	DWARF_MAX_ANON_DEPTH = 8,
	/* Members looked at per lookup: the depth bound alone allows
	 * fan-out^8 visits when anonymous members share a type. */
	DWARF_MAX_VISITS = 1 << 14,
	DWARF_MAX_PEEL = 16,
};

enum dwarf_index_kind {
	IDX_COMPOSITE = 1,  /* struct, union */
	IDX_ENUM = 2,
};

struct dwarf_index_entry {
	const char *name;   /* points into .debug_str / .debug_info */
	Dwarf_Off off;
	enum dwarf_index_kind kind;
};

struct cli_dwarf {
	int fd;
	Dwarf *dbg;
	/* Open-addressing hash of (kind, name). */
	struct dwarf_index_entry *slots;
	size_t nslots, nused;
	/* Where the lazy scan continues. */
	Dwarf_CU *cu;
	bool done;
};

static uint64_t dwarf_hash(const char *s, enum dwarf_index_kind kind)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static struct dwarf_index_entry *dwarf_slot(struct cli_dwarf *dw,
					    const char *name,
					    enum dwarf_index_kind kind)
{
	size_t mask = dw->nslots - 1;
	size_t i = dwarf_hash(name, kind) & mask;

	for (;; i = (i + 1) & mask) {
		struct dwarf_index_entry *e = &dw->slots[i];
		if (!e->name || (e->kind == kind && !strcmp(e->name, name)))
			return e;
	}
}

static struct mml_error *dwarf_index_grow(struct cli_dwarf *dw)
{
	struct dwarf_index_entry *old = dw->slots;
	size_t nold = dw->nslots;

	dw->nslots = nold ? nold * 2 : 4096;
	dw->slots = calloc(dw->nslots, sizeof(*dw->slots));
	if (!dw->slots) {
		dw->slots = old;
		dw->nslots = nold;
		return &mml_enomem;
	}
	for (size_t i = 0; i < nold; i++)
		if (old[i].name)
			*dwarf_slot(dw, old[i].name, old[i].kind) = old[i];
	free(old);
	return NULL;
}

static struct mml_error *dwarf_index_add(struct cli_dwarf *dw,
					 const char *name,
					 enum dwarf_index_kind kind,
					 Dwarf_Off off)
{
	if ((dw->nused + 1) * 2 > dw->nslots) {
		struct mml_error *err = dwarf_index_grow(dw);
		if (err)
			return err;
	}
	struct dwarf_index_entry *e = dwarf_slot(dw, name, kind);
	if (!e->name) {
		*e = (struct dwarf_index_entry){ name, off, kind };
		dw->nused++;
	}
	return NULL;
}

/* Index the top-level definitions of the next compile unit. */
static struct mml_error *dwarf_index_next_cu(struct cli_dwarf *dw)
{
	Dwarf_Die cudie, die;
	uint8_t unit_type;
	Dwarf_Half version;

	if (dwarf_get_units(dw->dbg, dw->cu, &dw->cu, &version, &unit_type,
			    &cudie, NULL) != 0) {
		dw->done = true;
		return NULL;
	}
	if (dwarf_child(&cudie, &die) != 0)
		return NULL;
	do {
		int tag = dwarf_tag(&die);
		enum dwarf_index_kind kind;
		if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type)
			kind = IDX_COMPOSITE;
		else if (tag == DW_TAG_enumeration_type)
			kind = IDX_ENUM;
		else
			continue;
		if (!dwarf_hasattr(&die, DW_AT_name) ||
		    dwarf_hasattr(&die, DW_AT_declaration))
			continue;
		const char *name = dwarf_diename(&die);
		if (!name)
			continue;
		struct mml_error *err =
			dwarf_index_add(dw, name, kind, dwarf_dieoffset(&die));
		if (err)
			return err;
	} while (dwarf_siblingof(&die, &die) == 0);
	return NULL;
}

static struct mml_error *dwarf_find(struct cli_dwarf *dw, const char *name,
				    enum dwarf_index_kind kind, Dwarf_Die *ret)
{
	for (;;) {
		if (dw->nslots) {
			struct dwarf_index_entry *e =
				dwarf_slot(dw, name, kind);
			if (e->name) {
				if (!dwarf_offdie(dw->dbg, e->off, ret))
					return mml_error_create(
						MML_ERROR_CORRUPT,
						"DWARF: bad DIE offset for %s",
						name);
				return NULL;
			}
		}
		if (dw->done)
			return mml_error_create(MML_ERROR_NOT_FOUND,
						"%s %s not in the DWARF",
						kind == IDX_ENUM ? "enum"
								 : "struct",
						name);
		struct mml_error *err = dwarf_index_next_cu(dw);
		if (err)
			return err;
	}
}

/* Strip typedefs and qualifiers. */
static bool dwarf_peel(Dwarf_Die *die)
{
	for (int i = 0; i < DWARF_MAX_PEEL; i++) {
		switch (dwarf_tag(die)) {
		case DW_TAG_typedef:
		case DW_TAG_const_type:
		case DW_TAG_volatile_type:
		case DW_TAG_restrict_type:
		case DW_TAG_atomic_type:
			break;
		default:
			return true;
		}
		Dwarf_Attribute attr;
		if (!dwarf_attr_integrate(die, DW_AT_type, &attr) ||
		    !dwarf_formref_die(&attr, die))
			return false;  /* typedef of void */
	}
	return false;
}

static bool dwarf_member_type(Dwarf_Die *member, Dwarf_Die *type_ret)
{
	Dwarf_Attribute attr;
	if (!dwarf_attr_integrate(member, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, type_ret))
		return false;
	return dwarf_peel(type_ret);
}

static bool dwarf_member_offset(Dwarf_Die *member, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word w;

	if (dwarf_attr(member, DW_AT_data_member_location, &attr)) {
		if (dwarf_formudata(&attr, &w) != 0)
			return false;  /* location expressions: not emitted */
		*ret = w;
		return true;
	}
	if (dwarf_attr(member, DW_AT_data_bit_offset, &attr)) {
		if (dwarf_formudata(&attr, &w) != 0)
			return false;
		*ret = w / 8;
		return true;
	}
	*ret = 0;  /* union members */
	return true;
}

static uint64_t dwarf_array_count(Dwarf_Die *array)
{
	Dwarf_Die sub;
	Dwarf_Attribute attr;
	Dwarf_Word w;
	Dwarf_Sword s;

	if (dwarf_child(array, &sub) != 0)
		return 0;
	do {
		if (dwarf_tag(&sub) != DW_TAG_subrange_type)
			continue;
		if (dwarf_attr(&sub, DW_AT_count, &attr) &&
		    dwarf_formudata(&attr, &w) == 0)
			return w;
		if (dwarf_attr(&sub, DW_AT_upper_bound, &attr) &&
		    dwarf_formsdata(&attr, &s) == 0)
			return s < 0 ? 0 : (uint64_t)s + 1;
		return 0;  /* flexible array */
	} while (dwarf_siblingof(&sub, &sub) == 0);
	return 0;
}

static enum mml_member_kind dwarf_kind(Dwarf_Die *type)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc;

	switch (dwarf_tag(type)) {
	case DW_TAG_base_type:
		if (dwarf_attr(type, DW_AT_encoding, &attr) &&
		    dwarf_formudata(&attr, &enc) == 0 &&
		    (enc == DW_ATE_float || enc == DW_ATE_complex_float))
			return MML_KIND_OTHER;
		return MML_KIND_INT;
	case DW_TAG_enumeration_type:
		return MML_KIND_INT;
	case DW_TAG_pointer_type:
		return MML_KIND_POINTER;
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
		return MML_KIND_STRUCT;
	case DW_TAG_array_type:
		return MML_KIND_ARRAY;
	default:
		return MML_KIND_OTHER;
	}
}

static bool dwarf_describe(Dwarf_Die *member, uint64_t base,
			   struct mml_member_info *ret)
{
	Dwarf_Die type;
	Dwarf_Word size;
	uint64_t off;

	if (!dwarf_member_offset(member, &off) ||
	    !dwarf_member_type(member, &type))
		return false;
	ret->offset = base + off;
	ret->kind = dwarf_kind(&type);
	ret->count = ret->kind == MML_KIND_ARRAY ? dwarf_array_count(&type)
						 : 0;
	if (dwarf_aggregate_size(&type, &size) != 0)
		size = 0;
	ret->size = size;
	return true;
}

/* Search @type for @name, descending into anonymous members. */
static bool dwarf_search(Dwarf_Die *type, const char *name, uint64_t base,
			 int depth, unsigned int *budget,
			 struct mml_member_info *ret)
{
	Dwarf_Die m;

	if (depth > DWARF_MAX_ANON_DEPTH || dwarf_child(type, &m) != 0)
		return false;
	do {
		if (*budget == 0)
			return false;
		--*budget;
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		const char *mname = dwarf_diename(&m);
		if (mname) {
			if (!strcmp(mname, name))
				return dwarf_describe(&m, base, ret);
			continue;
		}
		Dwarf_Die sub;
		uint64_t off;
		if (!dwarf_member_offset(&m, &off) ||
		    !dwarf_member_type(&m, &sub))
			continue;
		int tag = dwarf_tag(&sub);
		if ((tag == DW_TAG_structure_type ||
		     tag == DW_TAG_union_type) &&
		    dwarf_search(&sub, name, base + off, depth + 1, budget,
				 ret))
			return true;
	} while (dwarf_siblingof(&m, &m) == 0);
	return false;
}

static struct mml_error *dwarf_member_op(void *arg, const char *type,
					 const char *member,
					 struct mml_member_info *ret)
{
	struct cli_dwarf *dw = arg;
	Dwarf_Die die;

	struct mml_error *err = dwarf_find(dw, type, IDX_COMPOSITE, &die);
	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	unsigned int budget = DWARF_MAX_VISITS;
	if (!dwarf_search(&die, member, 0, 0, &budget, ret))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"struct %s has no member %s", type,
					member);
	return NULL;
}

static struct mml_error *dwarf_type_size_op(void *arg, const char *type,
					    uint64_t *ret)
{
	struct cli_dwarf *dw = arg;
	Dwarf_Die die;
	Dwarf_Word size;

	struct mml_error *err = dwarf_find(dw, type, IDX_COMPOSITE, &die);
	if (err)
		return err;
	if (dwarf_aggregate_size(&die, &size) != 0)
		return mml_error_create(MML_ERROR_CORRUPT,
					"DWARF: struct %s has no size", type);
	*ret = size;
	return NULL;
}

/*
 * An enumerator's value. DW_FORM_data1..8 carry no sign: it comes from
 * the enum's underlying type (gcc emits DW_AT_type), unsigned when there
 * is none. BTF, which pahole derives from the same DWARF, agrees: enum
 * pagetype's PGTY_slab is 0xf5, not -11.
 */
static bool dwarf_enum_value(Dwarf_Die *enum_die, Dwarf_Attribute *attr,
			     int64_t *ret)
{
	Dwarf_Sword sv;
	Dwarf_Word uv;

	switch (dwarf_whatform(attr)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(attr, &sv) != 0)
			return false;
		*ret = sv;
		return true;
	case DW_FORM_udata:
		if (dwarf_formudata(attr, &uv) != 0)
			return false;
		*ret = (int64_t)uv;
		return true;
	default:
		break;
	}
	if (dwarf_formudata(attr, &uv) != 0)
		return false;
	Dwarf_Die type;
	Dwarf_Attribute ta;
	Dwarf_Word enc, size;
	bool is_signed = dwarf_attr_integrate(enum_die, DW_AT_type, &ta) &&
			 dwarf_formref_die(&ta, &type) && dwarf_peel(&type) &&
			 dwarf_attr(&type, DW_AT_encoding, &ta) &&
			 dwarf_formudata(&ta, &enc) == 0 &&
			 (enc == DW_ATE_signed || enc == DW_ATE_signed_char);
	unsigned int bits = 64;
	switch (dwarf_whatform(attr)) {
	case DW_FORM_data1: bits = 8; break;
	case DW_FORM_data2: bits = 16; break;
	case DW_FORM_data4: bits = 32; break;
	default: break;
	}
	if (is_signed && dwarf_aggregate_size(&type, &size) == 0 &&
	    size * 8 < bits)
		bits = (unsigned int)size * 8;
	if (is_signed && bits < 64 && (uv & (1ULL << (bits - 1))))
		uv |= ~0ULL << bits;
	else if (bits < 64)
		uv &= (1ULL << bits) - 1;
	*ret = (int64_t)uv;
	return true;
}

static struct mml_error *dwarf_enumerator_op(void *arg, const char *enum_type,
					     const char *name, int64_t *ret)
{
	struct cli_dwarf *dw = arg;
	Dwarf_Die die, e;

	struct mml_error *err = dwarf_find(dw, enum_type, IDX_ENUM, &die);
	if (err)
		return err;
	if (dwarf_child(&die, &e) == 0) {
		do {
			if (dwarf_tag(&e) != DW_TAG_enumerator)
				continue;
			const char *ename = dwarf_diename(&e);
			if (!ename || strcmp(ename, name) != 0)
				continue;
			Dwarf_Attribute attr;
			if (!dwarf_attr(&e, DW_AT_const_value, &attr) ||
			    !dwarf_enum_value(&die, &attr, ret))
				return mml_error_create(MML_ERROR_CORRUPT,
							"DWARF: enumerator %s "
							"has no value", name);
			return NULL;
		} while (dwarf_siblingof(&e, &e) == 0);
	}
	return mml_error_create(MML_ERROR_NOT_FOUND,
				"enum %s has no enumerator %s", enum_type,
				name);
}

static const struct mml_types_ops dwarf_types_ops = {
	.member = dwarf_member_op,
	.type_size = dwarf_type_size_op,
	.enumerator = dwarf_enumerator_op,
};

struct mml_error *cli_dwarf_open(const char *path, struct cli_dwarf **ret)
{
	struct cli_dwarf *dw = calloc(1, sizeof(*dw));
	if (!dw)
		return &mml_enomem;
	dw->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (dw->fd < 0) {
		free(dw);
		return mml_error_create(MML_ERROR_INPUT, "%s: cannot open",
					path);
	}
	dw->dbg = dwarf_begin(dw->fd, DWARF_C_READ);
	if (!dw->dbg) {
		struct mml_error *err = mml_error_create(
			MML_ERROR_INPUT, "%s: no DWARF debug info (%s)", path,
			dwarf_errmsg(-1));
		cli_dwarf_destroy(dw);
		return err;
	}
	*ret = dw;
	return NULL;
}

void cli_dwarf_destroy(struct cli_dwarf *dw)
{
	if (!dw)
		return;
	if (dw->dbg)
		dwarf_end(dw->dbg);
	if (dw->fd >= 0)
		close(dw->fd);
	free(dw->slots);
	free(dw);
}

void cli_dwarf_types(struct cli_dwarf *dw, struct mml_types *ret)
{
	ret->ops = &dwarf_types_ops;
	ret->arg = dw;
}
