// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fake kernel (see fake.h).
 *
 * Trees are laid out as the kernel's lib/maple_tree.c does for an mm_mt
 * (the rules of ma_data_end() and mas_validate_limits()): leaves are
 * maple_leaf_64, internal nodes maple_arange_64, every node 256-byte
 * aligned. In a node with data end `end` (index of the last used
 * slot): pivot[i] = last index of slot i for i < end, pivot[end] = the
 * node's max when end < the pivot count, the pivots after it 0. Child
 * pointers are node | type << 3 | 0x04, ma_root additionally | 0x02. The
 * metadata end is written for a leaf when pivot[14] == 0 and always for an
 * arange_64 node. An arange_64 node's gap[i] is the largest gap below slot
 * i (a leaf's: the longest run of NULL slots, in indices) and meta.gap the
 * first slot holding the largest (mas_validate_gaps()). Parents: the
 * root's is tree | 1, a child's is parent | slot << 3 | 0x06. ma_flags =
 * 0x301 | 0x02 (USE_RCU) | height << 2.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fake.h"

/* ---- the type table ---- */

struct fake_member {
	const char *type;
	const char *member;
	uint64_t offset, size;
	enum mml_member_kind kind;
	uint64_t count;
};

struct fake_size {
	const char *type;
	uint64_t size;
};

struct fake_enum {
	const char *name;
	int64_t value;
};

#define M(t, m, o, s, k, c) { t, m, o, s, MML_KIND_##k, c }

/* Shared by every variant: the maple nodes did not change 6.1 - 7.3. */
#define COMMON_MEMBERS                                                         \
	M("list_head", "next", 0, 8, POINTER, 0),                              \
	M("list_head", "prev", 8, 8, POINTER, 0),                              \
	M("maple_range_64", "parent", 0, 8, POINTER, 0),                       \
	M("maple_range_64", "pivot", 8, 120, ARRAY, 15),                       \
	M("maple_range_64", "slot", 128, 128, ARRAY, 16),                      \
	M("maple_range_64", "pad", 128, 120, ARRAY, 15),                       \
	M("maple_range_64", "meta", 248, 2, STRUCT, 0),                        \
	M("maple_arange_64", "parent", 0, 8, POINTER, 0),                      \
	M("maple_arange_64", "pivot", 8, 72, ARRAY, 9),                        \
	M("maple_arange_64", "slot", 80, 80, ARRAY, 10),                       \
	M("maple_arange_64", "gap", 160, 80, ARRAY, 10),                       \
	M("maple_arange_64", "meta", 240, 2, STRUCT, 0),                       \
	M("maple_metadata", "end", 0, 1, INT, 0),                              \
	M("maple_metadata", "gap", 1, 1, INT, 0),                              \
	M("maple_node", "parent", 0, 8, POINTER, 0),                           \
	M("maple_node", "slot", 8, 248, ARRAY, 31),                            \
	M("maple_node", "mr64", 0, 256, STRUCT, 0),                            \
	M("maple_node", "ma64", 0, 256, STRUCT, 0)

static const struct fake_member members_v61[] = {
	COMMON_MEMBERS,
	M("maple_tree", "ma_lock", 0, 4, STRUCT, 0),
	M("maple_tree", "ma_external_lock", 0, 4, STRUCT, 0),
	M("maple_tree", "ma_root", 8, 8, POINTER, 0),
	M("maple_tree", "ma_flags", 16, 4, INT, 0),

	M("task_struct", "__state", 0x18, 4, INT, 0),
	M("task_struct", "flags", 0x2c, 4, INT, 0),
	M("task_struct", "tasks", 0x4a8, 16, STRUCT, 0),
	M("task_struct", "mm", 0x4f8, 8, POINTER, 0),
	M("task_struct", "active_mm", 0x500, 8, POINTER, 0),
	M("task_struct", "exit_state", 0x518, 4, INT, 0),
	M("task_struct", "pid", 0x5a8, 4, INT, 0),
	M("task_struct", "tgid", 0x5ac, 4, INT, 0),
	M("task_struct", "thread_node", 0x6a0, 16, STRUCT, 0),
	M("task_struct", "comm", 0x738, 16, ARRAY, 16),
	M("task_struct", "signal", 0x7a8, 8, POINTER, 0),
	M("signal_struct", "thread_head", 0x10, 16, STRUCT, 0),

	M("mm_struct", "mm_mt", 0x40, 24, STRUCT, 0),
	M("mm_struct", "mm_users", 0x60, 4, STRUCT, 0),
	M("mm_struct", "mm_count", 0x64, 4, STRUCT, 0),
	M("mm_struct", "map_count", 0x80, 4, INT, 0),
	M("mm_struct", "mmlist", 0x98, 16, STRUCT, 0),
	M("mm_struct", "total_vm", 0xc0, 8, INT, 0),
	M("mm_struct", "flags", 0x2f8, 8, INT, 0),
	M("mm_struct", "owner", 0x380, 8, POINTER, 0),

	M("vm_area_struct", "vm_start", 0, 8, INT, 0),
	M("vm_area_struct", "vm_end", 8, 8, INT, 0),
	M("vm_area_struct", "vm_mm", 0x10, 8, POINTER, 0),
	M("vm_area_struct", "vm_flags", 0x20, 8, INT, 0),
	M("vm_area_struct", "anon_vma", 0x70, 8, POINTER, 0),
	M("vm_area_struct", "vm_pgoff", 0x78, 8, INT, 0),
	M("vm_area_struct", "vm_file", 0x88, 8, POINTER, 0),
};

static const struct fake_member members_v66[] = {
	COMMON_MEMBERS,
	M("maple_tree", "ma_lock", 0, 4, STRUCT, 0),
	M("maple_tree", "ma_flags", 4, 4, INT, 0),
	M("maple_tree", "ma_root", 8, 8, POINTER, 0),

	M("task_struct", "__state", 0x18, 4, INT, 0),
	M("task_struct", "flags", 0x2c, 4, INT, 0),
	M("task_struct", "tasks", 0x8d0, 16, STRUCT, 0),
	M("task_struct", "mm", 0x920, 8, POINTER, 0),
	M("task_struct", "active_mm", 0x928, 8, POINTER, 0),
	M("task_struct", "exit_state", 0x938, 4, INT, 0),
	M("task_struct", "pid", 0x9c0, 4, INT, 0),
	M("task_struct", "tgid", 0x9c4, 4, INT, 0),
	M("task_struct", "thread_node", 0xa80, 16, STRUCT, 0),
	M("task_struct", "comm", 0xbc0, 16, ARRAY, 16),
	M("task_struct", "signal", 0xc10, 8, POINTER, 0),
	M("signal_struct", "thread_head", 0x18, 16, STRUCT, 0),

	M("mm_struct", "mm_count", 0x40, 4, STRUCT, 0),
	M("mm_struct", "mm_mt", 0x50, 16, STRUCT, 0),
	M("mm_struct", "mm_users", 0x70, 4, STRUCT, 0),
	M("mm_struct", "map_count", 0x7c, 4, INT, 0),
	M("mm_struct", "mmlist", 0x88, 16, STRUCT, 0),
	M("mm_struct", "total_vm", 0xd0, 8, INT, 0),
	M("mm_struct", "flags", 0x368, 8, INT, 0),
	M("mm_struct", "owner", 0x450, 8, POINTER, 0),

	M("vm_area_struct", "vm_start", 0, 8, INT, 0),
	M("vm_area_struct", "vm_end", 8, 8, INT, 0),
	M("vm_area_struct", "vm_mm", 0x10, 8, POINTER, 0),
	M("vm_area_struct", "vm_flags", 0x20, 8, INT, 0),
	M("vm_area_struct", "anon_vma", 0x68, 8, POINTER, 0),
	M("vm_area_struct", "vm_pgoff", 0x70, 8, INT, 0),
	M("vm_area_struct", "vm_file", 0x78, 8, POINTER, 0),

	M("file", "f_path", 0x40, 16, STRUCT, 0),
	M("path", "dentry", 8, 8, POINTER, 0),
	M("dentry", "d_parent", 0x18, 8, POINTER, 0),
	M("dentry", "d_name", 0x20, 16, STRUCT, 0),
	M("qstr", "name", 8, 8, POINTER, 0),
	M("file", "f_inode", 0x20, 8, POINTER, 0),
	M("inode", "i_sb", 0x28, 8, POINTER, 0),
	M("inode", "i_ino", 0x40, 8, INT, 0),
	M("super_block", "s_dev", 0x10, 4, INT, 0),
};

static const struct fake_member members_v72[] = {
	COMMON_MEMBERS,
	M("maple_tree", "ma_lock", 0, 4, STRUCT, 0),
	M("maple_tree", "ma_flags", 4, 4, INT, 0),
	M("maple_tree", "ma_root", 8, 8, POINTER, 0),
	M("maple_node", "cp", 0, 256, STRUCT, 0),

	M("task_struct", "__state", 0x18, 4, INT, 0),
	M("task_struct", "flags", 0x2c, 4, INT, 0),
	M("task_struct", "tasks", 0x990, 16, STRUCT, 0),
	M("task_struct", "mm", 0x9e0, 8, POINTER, 0),
	M("task_struct", "active_mm", 0x9e8, 8, POINTER, 0),
	M("task_struct", "exit_state", 0xa00, 4, INT, 0),
	M("task_struct", "pid", 0xa90, 4, INT, 0),
	M("task_struct", "tgid", 0xa94, 4, INT, 0),
	M("task_struct", "thread_node", 0xb58, 16, STRUCT, 0),
	M("task_struct", "comm", 0xc98, 16, ARRAY, 16),
	M("task_struct", "signal", 0xcf0, 8, POINTER, 0),
	M("signal_struct", "thread_head", 0x20, 16, STRUCT, 0),

	M("mm_struct", "mm_count", 0x40, 4, STRUCT, 0),
	M("mm_struct", "mm_mt", 0x90, 16, STRUCT, 0),
	M("mm_struct", "mm_users", 0xb8, 4, STRUCT, 0),
	M("mm_struct", "map_count", 0xc0, 4, INT, 0),
	M("mm_struct", "mmlist", 0xd8, 16, STRUCT, 0),
	M("mm_struct", "total_vm", 0x110, 8, INT, 0),
	/* mm_flags_t: struct { DECLARE_BITMAP(__mm_flags, 64); } */
	M("mm_struct", "flags", 0x3a0, 8, STRUCT, 0),

	M("vm_area_struct", "vm_start", 0, 8, INT, 0),
	M("vm_area_struct", "vm_end", 8, 8, INT, 0),
	M("vm_area_struct", "vm_mm", 0x18, 8, POINTER, 0),
	M("vm_area_struct", "vm_flags", 0x28, 8, INT, 0),
	M("vm_area_struct", "anon_vma", 0x78, 8, POINTER, 0),
	M("vm_area_struct", "vm_pgoff", 0x80, 8, INT, 0),
	M("vm_area_struct", "vm_file", 0x90, 8, POINTER, 0),
};

/* 7.2 PREEMPT_RT (-rt-amd64): struct maple_tree is 48 bytes. */
static const struct fake_member members_v72rt[] = {
	COMMON_MEMBERS,
	/* PREEMPT_RT: spinlock_t is an rt_mutex-based lock of 32 bytes. */
	M("maple_tree", "ma_lock", 0, 32, STRUCT, 0),
	M("maple_tree", "ma_flags", 32, 4, INT, 0),
	M("maple_tree", "ma_root", 40, 8, POINTER, 0),
	M("maple_node", "cp", 0, 256, STRUCT, 0),

	M("task_struct", "__state", 0x18, 4, INT, 0),
	M("task_struct", "flags", 0x2c, 4, INT, 0),
	M("task_struct", "tasks", 0x990, 16, STRUCT, 0),
	M("task_struct", "mm", 0x9e0, 8, POINTER, 0),
	M("task_struct", "active_mm", 0x9e8, 8, POINTER, 0),
	M("task_struct", "exit_state", 0xa00, 4, INT, 0),
	M("task_struct", "pid", 0xa90, 4, INT, 0),
	M("task_struct", "tgid", 0xa94, 4, INT, 0),
	M("task_struct", "thread_node", 0xb58, 16, STRUCT, 0),
	M("task_struct", "comm", 0xc98, 16, ARRAY, 16),
	M("task_struct", "signal", 0xcf0, 8, POINTER, 0),
	M("signal_struct", "thread_head", 0x20, 16, STRUCT, 0),

	M("mm_struct", "mm_count", 0x40, 4, STRUCT, 0),
	M("mm_struct", "mm_mt", 0x90, 48, STRUCT, 0),
	M("mm_struct", "mm_users", 0xd8, 4, STRUCT, 0),
	M("mm_struct", "map_count", 0xe0, 4, INT, 0),
	M("mm_struct", "mmlist", 0xf8, 16, STRUCT, 0),
	M("mm_struct", "total_vm", 0x130, 8, INT, 0),
	/* mm_flags_t: struct { DECLARE_BITMAP(__mm_flags, 64); } */
	M("mm_struct", "flags", 0x3c0, 8, STRUCT, 0),

	M("vm_area_struct", "vm_start", 0, 8, INT, 0),
	M("vm_area_struct", "vm_end", 8, 8, INT, 0),
	M("vm_area_struct", "vm_mm", 0x18, 8, POINTER, 0),
	M("vm_area_struct", "vm_flags", 0x28, 8, INT, 0),
	M("vm_area_struct", "anon_vma", 0x78, 8, POINTER, 0),
	M("vm_area_struct", "vm_pgoff", 0x80, 8, INT, 0),
	M("vm_area_struct", "vm_file", 0x90, 8, POINTER, 0),
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct fake_size sizes_v61[] = {
	{ "list_head", 16 }, { "maple_tree", 24 }, { "maple_node", 256 },
	{ "maple_range_64", 256 }, { "maple_arange_64", 256 },
	{ "maple_metadata", 2 }, { "task_struct", 0x900 },
	{ "signal_struct", 0x400 }, { "mm_struct", 0x3c8 },
	{ "vm_area_struct", 0xc8 },
};
static const struct fake_size sizes_v66[] = {
	{ "list_head", 16 }, { "maple_tree", 16 }, { "maple_node", 256 },
	{ "maple_range_64", 256 }, { "maple_arange_64", 256 },
	{ "maple_metadata", 2 }, { "task_struct", 0xd00 },
	{ "signal_struct", 0x400 }, { "mm_struct", 0x4c0 },
	{ "vm_area_struct", 0xb0 }, { "file", 0x100 }, { "path", 16 },
	{ "dentry", 0xc0 }, { "qstr", 16 }, { "inode", 0x100 },
	{ "super_block", 0x100 },
};
static const struct fake_size sizes_v72[] = {
	{ "list_head", 16 }, { "maple_tree", 16 }, { "maple_node", 256 },
	{ "maple_range_64", 256 }, { "maple_arange_64", 256 },
	{ "maple_metadata", 2 }, { "task_struct", 0xd80 },
	{ "signal_struct", 0x400 }, { "mm_struct", 0x500 },
	{ "vm_area_struct", 0xd0 },
};
static const struct fake_size sizes_v72rt[] = {
	{ "list_head", 16 }, { "maple_tree", 48 }, { "maple_node", 256 },
	{ "maple_range_64", 256 }, { "maple_arange_64", 256 },
	{ "maple_metadata", 2 }, { "task_struct", 0xd80 },
	{ "signal_struct", 0x400 }, { "mm_struct", 0x520 },
	{ "vm_area_struct", 0xd0 },
};

static const struct fake_enum enums_v61[] = {
	{ "maple_dense", 0 }, { "maple_leaf_64", 1 }, { "maple_range_64", 2 },
	{ "maple_arange_64", 3 },
};
static const struct fake_enum enums_v72[] = {
	{ "maple_dense", 0 }, { "maple_leaf_64", 1 }, { "maple_range_64", 2 },
	{ "maple_arange_64", 3 }, { "maple_copy", 4 },
};

/* ---- the fake ---- */

struct fake_page {
	uint64_t addr;
	enum mml_read_status status;
	unsigned char data[FAKE_PAGE_SIZE];
};

struct fake_sym {
	char name[32];
	uint64_t addr;
};

struct fake_task {
	int32_t pid, tgid;
	uint64_t task, signal;
};

struct fake {
	enum fake_variant variant;
	struct fake_page **pages;      /* sorted by address */
	size_t npages, cappages;
	uint64_t next_direct, next_image;
	bool isolate;
	struct fake_sym syms[16];
	size_t nsyms;
	struct fake_sym vmcoreinfo[8];  /* NUMBER(...) lines */
	size_t nvmcoreinfo;
	uint64_t reads;

	const struct fake_member *members;
	size_t nmembers;
	const struct fake_size *sizes;
	size_t nsizes;
	const struct fake_enum *enums;
	size_t nenums;
	struct { const char *type, *member; } hidden[8];
	size_t nhidden;
	struct { const char *type, *from, *to; } renamed[4];
	size_t nrenamed;

	struct mml_target target;
	struct mml_types types;
	struct mml_layout layout;

	uint64_t init_task, init_mm, init_signals;
	struct fake_task *tasks;
	size_t ntasks;
	struct fake_tree **trees;
	size_t ntrees;
};

const char *fake_variant_name(enum fake_variant v)
{
	switch (v) {
	case FAKE_V61:
		return "6.1";
	case FAKE_V66:
		return "6.6";
	case FAKE_V72:
		return "7.2";
	case FAKE_V72RT:
		return "7.2-rt";
	}
	return "?";
}

static bool hidden(const struct fake *f, const char *type, const char *member)
{
	for (size_t i = 0; i < f->nhidden; i++) {
		if (strcmp(f->hidden[i].type, type))
			continue;
		if (!f->hidden[i].member)
			return !member;
		if (member && !strcmp(f->hidden[i].member, member))
			return true;
	}
	return false;
}

/* The name a member has in the fake's tables: @member unless renamed;
 * NULL for the old name of a renamed member. */
static const char *unrename(const struct fake *f, const char *type,
			    const char *member)
{
	for (size_t i = 0; i < f->nrenamed; i++) {
		if (strcmp(f->renamed[i].type, type))
			continue;
		if (!strcmp(f->renamed[i].from, member))
			return NULL;
		if (!strcmp(f->renamed[i].to, member))
			return f->renamed[i].from;
	}
	return member;
}

static struct mml_error *types_member(void *arg, const char *type,
				      const char *member,
				      struct mml_member_info *ret)
{
	struct fake *f = arg;
	const char *asked = member;
	member = unrename(f, type, member);
	if (member && !hidden(f, type, member)) {
		for (size_t i = 0; i < f->nmembers; i++) {
			const struct fake_member *m = &f->members[i];
			if (strcmp(m->type, type) || strcmp(m->member, member))
				continue;
			ret->offset = m->offset;
			ret->size = m->size;
			ret->kind = m->kind;
			ret->count = m->count;
			return NULL;
		}
	}
	return mml_error_create(MML_ERROR_NOT_FOUND, "no member %s.%s", type,
				asked);
}

static struct mml_error *types_size(void *arg, const char *type,
				    uint64_t *ret)
{
	struct fake *f = arg;
	if (!hidden(f, type, NULL)) {
		for (size_t i = 0; i < f->nsizes; i++) {
			if (!strcmp(f->sizes[i].type, type)) {
				*ret = f->sizes[i].size;
				return NULL;
			}
		}
	}
	return mml_error_create(MML_ERROR_NOT_FOUND, "no struct %s", type);
}

static struct mml_error *types_enum(void *arg, const char *enum_type,
				    const char *name, int64_t *ret)
{
	struct fake *f = arg;
	if (!strcmp(enum_type, "maple_type") && !hidden(f, enum_type, name)) {
		for (size_t i = 0; i < f->nenums; i++) {
			if (!strcmp(f->enums[i].name, name)) {
				*ret = f->enums[i].value;
				return NULL;
			}
		}
	}
	return mml_error_create(MML_ERROR_NOT_FOUND, "no enumerator %s::%s",
				enum_type, name);
}

static const struct mml_types_ops fake_types_ops = {
	.member = types_member,
	.type_size = types_size,
	.enumerator = types_enum,
};

/* Index of the first page >= @page. */
static size_t page_index(const struct fake *f, uint64_t page)
{
	size_t lo = 0, hi = f->npages;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->pages[mid]->addr < page)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct fake_page *page_find(const struct fake *f, uint64_t addr)
{
	uint64_t page = addr & ~(uint64_t)(FAKE_PAGE_SIZE - 1);
	size_t i = page_index(f, page);
	if (i < f->npages && f->pages[i]->addr == page)
		return f->pages[i];
	return NULL;
}

static struct fake_page *page_get(struct fake *f, uint64_t addr)
{
	uint64_t page = addr & ~(uint64_t)(FAKE_PAGE_SIZE - 1);
	size_t i = page_index(f, page);
	if (i < f->npages && f->pages[i]->addr == page)
		return f->pages[i];
	if (f->npages == f->cappages) {
		f->cappages = f->cappages ? 2 * f->cappages : 64;
		f->pages = realloc(f->pages, f->cappages * sizeof(*f->pages));
		assert_non_null(f->pages);
	}
	struct fake_page *p = calloc(1, sizeof(*p));
	assert_non_null(p);
	p->addr = page;
	p->status = MML_READ_OK;
	memmove(&f->pages[i + 1], &f->pages[i],
		(f->npages - i) * sizeof(*f->pages));
	f->pages[i] = p;
	f->npages++;
	return p;
}

static enum mml_read_status target_read(void *arg, uint64_t addr, void *buf,
					size_t len)
{
	struct fake *f = arg;
	__atomic_fetch_add(&f->reads, 1, __ATOMIC_RELAXED);  /* worker threads too */
	uint64_t off = addr & (FAKE_PAGE_SIZE - 1);
	/* The core promises never to read across a page. */
	assert_true(off + len <= FAKE_PAGE_SIZE);
	struct fake_page *p = page_find(f, addr);
	if (!p)
		return MML_READ_INVALID;
	if (p->status != MML_READ_OK)
		return p->status;
	memcpy(buf, p->data + off, len);
	return MML_READ_OK;
}

static bool target_symbol(void *arg, const char *name, uint64_t *addr_ret)
{
	struct fake *f = arg;
	for (size_t i = 0; i < f->nsyms; i++) {
		if (!strcmp(f->syms[i].name, name)) {
			*addr_ret = f->syms[i].addr;
			return true;
		}
	}
	return false;
}

static bool target_vmcoreinfo(void *arg, const char *key, uint64_t *ret)
{
	struct fake *f = arg;
	for (size_t i = 0; i < f->nvmcoreinfo; i++) {
		if (!strcmp(f->vmcoreinfo[i].name, key)) {
			*ret = f->vmcoreinfo[i].addr;
			return true;
		}
	}
	return false;
}

static const struct mml_target_ops fake_target_ops = {
	.read = target_read,
	.symbol = target_symbol,
	.vmcoreinfo = target_vmcoreinfo,
};

void fake_set_arch(struct fake *f, enum mml_arch arch)
{
	f->target.arch = arch;
}

void fake_add_vmcoreinfo(struct fake *f, const char *key, uint64_t value)
{
	assert_true(f->nvmcoreinfo < NELEM(f->vmcoreinfo));
	struct fake_sym *v = &f->vmcoreinfo[f->nvmcoreinfo++];
	snprintf(v->name, sizeof(v->name), "%s", key);
	v->addr = value;
}

void fake_add_symbol(struct fake *f, const char *name, uint64_t addr)
{
	assert_true(f->nsyms < NELEM(f->syms));
	snprintf(f->syms[f->nsyms].name, sizeof(f->syms[0].name), "%s", name);
	f->syms[f->nsyms].addr = addr;
	f->nsyms++;
}

static uint64_t bump(struct fake *f, uint64_t *next, size_t size,
		     size_t align)
{
	if (align < 8)
		align = 8;
	uint64_t a = (*next + align - 1) & ~(uint64_t)(align - 1);
	if (f->isolate)
		a = (*next + FAKE_PAGE_SIZE - 1) &
		    ~(uint64_t)(FAKE_PAGE_SIZE - 1);
	*next = a + size;
	if (f->isolate)
		*next = (*next + FAKE_PAGE_SIZE - 1) &
			~(uint64_t)(FAKE_PAGE_SIZE - 1);
	for (uint64_t p = a & ~(uint64_t)(FAKE_PAGE_SIZE - 1); p < a + size;
	     p += FAKE_PAGE_SIZE)
		page_get(f, p);
	return a;
}

uint64_t fake_alloc(struct fake *f, size_t size, size_t align)
{
	return bump(f, &f->next_direct, size, align);
}

void fake_set_isolate(struct fake *f, bool isolate)
{
	f->isolate = isolate;
}

void fake_write_bytes(struct fake *f, uint64_t addr, const void *buf,
		      size_t len)
{
	const unsigned char *in = buf;
	while (len) {
		struct fake_page *p = page_get(f, addr);
		size_t off = addr & (FAKE_PAGE_SIZE - 1);
		size_t n = FAKE_PAGE_SIZE - off;
		if (n > len)
			n = len;
		memcpy(p->data + off, in, n);
		in += n;
		addr += n;
		len -= n;
	}
}

void fake_write_u64(struct fake *f, uint64_t addr, uint64_t v)
{
	fake_write_bytes(f, addr, &v, 8);
}

void fake_write_u32(struct fake *f, uint64_t addr, uint32_t v)
{
	fake_write_bytes(f, addr, &v, 4);
}

void fake_write_u8(struct fake *f, uint64_t addr, uint8_t v)
{
	fake_write_bytes(f, addr, &v, 1);
}

static void read_bytes(struct fake *f, uint64_t addr, void *buf, size_t len)
{
	unsigned char *out = buf;
	while (len) {
		struct fake_page *p = page_find(f, addr);
		assert_non_null(p);
		size_t off = addr & (FAKE_PAGE_SIZE - 1);
		size_t n = FAKE_PAGE_SIZE - off;
		if (n > len)
			n = len;
		memcpy(out, p->data + off, n);
		out += n;
		addr += n;
		len -= n;
	}
}

uint64_t fake_read_u64(struct fake *f, uint64_t addr)
{
	uint64_t v;
	read_bytes(f, addr, &v, 8);
	return v;
}

uint32_t fake_read_u32(struct fake *f, uint64_t addr)
{
	uint32_t v;
	read_bytes(f, addr, &v, 4);
	return v;
}

void fake_exclude_page(struct fake *f, uint64_t addr)
{
	page_get(f, addr)->status = MML_READ_EXCLUDED;
}

void fake_unmap_page(struct fake *f, uint64_t addr)
{
	uint64_t page = addr & ~(uint64_t)(FAKE_PAGE_SIZE - 1);
	size_t i = page_index(f, page);
	if (i < f->npages && f->pages[i]->addr == page) {
		free(f->pages[i]);
		memmove(&f->pages[i], &f->pages[i + 1],
			(f->npages - i - 1) * sizeof(*f->pages));
		f->npages--;
	}
}

uint64_t fake_reads(const struct fake *f)
{
	return f->reads;
}

enum fake_variant fake_variant(const struct fake *f)
{
	return f->variant;
}

const struct mml_target *fake_target(struct fake *f)
{
	return &f->target;
}

const struct mml_types *fake_types(struct fake *f)
{
	return &f->types;
}

const struct mml_layout *fake_layout(const struct fake *f)
{
	return &f->layout;
}

void fake_types_rename(struct fake *f, const char *type, const char *from,
		       const char *to)
{
	assert_true(f->nrenamed < NELEM(f->renamed));
	f->renamed[f->nrenamed].type = type;
	f->renamed[f->nrenamed].from = from;
	f->renamed[f->nrenamed].to = to;
	f->nrenamed++;
}

void fake_types_hide(struct fake *f, const char *type, const char *member)
{
	assert_true(f->nhidden < NELEM(f->hidden));
	f->hidden[f->nhidden].type = type;
	f->hidden[f->nhidden].member = member;
	f->nhidden++;
}

uint64_t fake_init_task(const struct fake *f)
{
	return f->init_task;
}

uint64_t fake_init_mm(const struct fake *f)
{
	return f->init_mm;
}

/* ---- lists ---- */

static void list_init(struct fake *f, uint64_t head)
{
	fake_write_u64(f, head + f->layout.list_head_next, head);
	fake_write_u64(f, head + f->layout.list_head_prev, head);
}

static void list_add_tail(struct fake *f, uint64_t head, uint64_t entry)
{
	const struct mml_layout *l = &f->layout;
	uint64_t prev = fake_read_u64(f, head + l->list_head_prev);
	fake_write_u64(f, entry + l->list_head_next, head);
	fake_write_u64(f, entry + l->list_head_prev, prev);
	fake_write_u64(f, prev + l->list_head_next, entry);
	fake_write_u64(f, head + l->list_head_prev, entry);
}

/* ---- mms ---- */

uint64_t fake_mm_tree(const struct fake *f, uint64_t mm)
{
	return mm + f->layout.mm_mt;
}

static void mm_init_at(struct fake *f, uint64_t mm)
{
	const struct mml_layout *l = &f->layout;
	fake_write_u32(f, mm + l->mm_users, 1);
	fake_write_u32(f, mm + l->mm_count, 1);
	fake_write_u32(f, mm + l->mm_map_count, 0);
	fake_write_u64(f, mm + l->mm_flags, 0);
	fake_tree_set_root(f, mm + l->mm_mt, 0);
	fake_tree_set_flags(f, mm + l->mm_mt, FAKE_MM_MT_FLAGS);
	list_init(f, mm + l->mm_mmlist);
}

uint64_t fake_mm_new(struct fake *f)
{
	uint64_t mm = fake_alloc(f, f->layout.mm_struct_size, 64);
	mm_init_at(f, mm);
	return mm;
}

void fake_mm_set_users(struct fake *f, uint64_t mm, int32_t v)
{
	fake_write_u32(f, mm + f->layout.mm_users, (uint32_t)v);
}

void fake_mm_set_count(struct fake *f, uint64_t mm, int32_t v)
{
	fake_write_u32(f, mm + f->layout.mm_count, (uint32_t)v);
}

void fake_mm_set_map_count(struct fake *f, uint64_t mm, int32_t v)
{
	fake_write_u32(f, mm + f->layout.mm_map_count, (uint32_t)v);
}

void fake_mm_set_flags(struct fake *f, uint64_t mm, uint64_t flags)
{
	fake_write_u64(f, mm + f->layout.mm_flags, flags);
}

void fake_mmlist_add(struct fake *f, uint64_t mm)
{
	list_add_tail(f, f->init_mm + f->layout.mm_mmlist,
		      mm + f->layout.mm_mmlist);
}

/* ---- tasks ---- */

static void task_write(struct fake *f, uint64_t task, int32_t pid,
		       int32_t tgid, const char *comm, uint64_t mm,
		       uint32_t flags, uint64_t signal)
{
	const struct mml_layout *l = &f->layout;
	char buf[64] = "";
	if (l->task_state != MML_ABSENT)
		fake_write_u32(f, task + l->task_state, 0);
	fake_write_u32(f, task + l->task_flags, flags);
	fake_write_u32(f, task + l->task_pid, (uint32_t)pid);
	fake_write_u32(f, task + l->task_tgid, (uint32_t)tgid);
	snprintf(buf, sizeof(buf), "%s", comm);
	assert_true(l->task_comm_len <= sizeof(buf));
	buf[l->task_comm_len - 1] = '\0';
	fake_write_bytes(f, task + l->task_comm, buf, l->task_comm_len);
	fake_write_u64(f, task + l->task_mm, mm);
	if (l->task_active_mm != MML_ABSENT)
		fake_write_u64(f, task + l->task_active_mm, mm);
	fake_write_u32(f, task + l->task_exit_state, 0);
	fake_write_u64(f, task + l->task_signal, signal);
}

static void task_remember(struct fake *f, int32_t pid, int32_t tgid,
			  uint64_t task, uint64_t signal)
{
	f->tasks = realloc(f->tasks, (f->ntasks + 1) * sizeof(*f->tasks));
	assert_non_null(f->tasks);
	f->tasks[f->ntasks++] = (struct fake_task){ pid, tgid, task, signal };
}

uint64_t fake_task_new(struct fake *f, int32_t pid, int32_t tgid,
		       const char *comm, uint64_t mm, uint32_t flags)
{
	const struct mml_layout *l = &f->layout;
	uint64_t task = fake_alloc(f, l->task_struct_size, 64);
	uint64_t signal = 0;
	if (pid == tgid) {
		signal = fake_alloc(f, 0x400, 64);
		list_init(f, signal + l->signal_thread_head);
		task_write(f, task, pid, tgid, comm, mm, flags, signal);
		list_add_tail(f, signal + l->signal_thread_head,
			      task + l->task_thread_node);
		list_add_tail(f, f->init_task + l->task_tasks,
			      task + l->task_tasks);
	} else {
		for (size_t i = 0; i < f->ntasks; i++)
			if (f->tasks[i].pid == tgid)
				signal = f->tasks[i].signal;
		assert_true(signal != 0);
		task_write(f, task, pid, tgid, comm, mm, flags, signal);
		list_init(f, task + l->task_tasks);
		list_add_tail(f, signal + l->signal_thread_head,
			      task + l->task_thread_node);
	}
	task_remember(f, pid, tgid, task, signal);
	return task;
}

void fake_task_set_exit_state(struct fake *f, uint64_t task, uint32_t v)
{
	fake_write_u32(f, task + f->layout.task_exit_state, v);
}

void fake_task_set_mm(struct fake *f, uint64_t task, uint64_t mm)
{
	fake_write_u64(f, task + f->layout.task_mm, mm);
}

uint64_t fake_task_tasks_entry(const struct fake *f, uint64_t task)
{
	return task + f->layout.task_tasks;
}

uint64_t fake_task_tasks_next(const struct fake *f, uint64_t task)
{
	return task + f->layout.task_tasks + f->layout.list_head_next;
}

uint64_t fake_task_thread_next(const struct fake *f, uint64_t task)
{
	return task + f->layout.task_thread_node + f->layout.list_head_next;
}

/* ---- creation ---- */

struct fake *fake_new(enum fake_variant variant)
{
	struct fake *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->variant = variant;
	f->next_direct = FAKE_DIRECT_MAP + 0x1000000;
	f->next_image = FAKE_KERNEL_IMAGE;
	switch (variant) {
	case FAKE_V61:
		f->members = members_v61;
		f->nmembers = NELEM(members_v61);
		f->sizes = sizes_v61;
		f->nsizes = NELEM(sizes_v61);
		f->enums = enums_v61;
		f->nenums = NELEM(enums_v61);
		break;
	case FAKE_V66:
		f->members = members_v66;
		f->nmembers = NELEM(members_v66);
		f->sizes = sizes_v66;
		f->nsizes = NELEM(sizes_v66);
		f->enums = enums_v61;
		f->nenums = NELEM(enums_v61);
		break;
	case FAKE_V72:
		f->members = members_v72;
		f->nmembers = NELEM(members_v72);
		f->sizes = sizes_v72;
		f->nsizes = NELEM(sizes_v72);
		f->enums = enums_v72;
		f->nenums = NELEM(enums_v72);
		break;
	case FAKE_V72RT:
		f->members = members_v72rt;
		f->nmembers = NELEM(members_v72rt);
		f->sizes = sizes_v72rt;
		f->nsizes = NELEM(sizes_v72rt);
		f->enums = enums_v72;
		f->nenums = NELEM(enums_v72);
		break;
	}
	f->types.ops = &fake_types_ops;
	f->types.arg = f;
	f->target.ops = &fake_target_ops;
	f->target.arg = f;
	f->target.page_size = FAKE_PAGE_SIZE;
	f->target.pointer_size = 8;
	f->target.big_endian = false;

	struct mml_error *err = mml_layout_resolve(&f->types, &f->layout);
	if (err)
		fail_msg("fake %s layout: %s", fake_variant_name(variant),
			 err->message);

	const struct mml_layout *l = &f->layout;
	f->init_signals = bump(f, &f->next_image, 0x400, 64);
	f->init_task = bump(f, &f->next_image, l->task_struct_size, 64);
	f->init_mm = bump(f, &f->next_image, l->mm_struct_size, 64);
	fake_add_symbol(f, "init_task", f->init_task);
	fake_add_symbol(f, "init_mm", f->init_mm);

	list_init(f, f->init_signals + l->signal_thread_head);
	task_write(f, f->init_task, 0, 0, "swapper/0", 0, FAKE_PF_KTHREAD,
		   f->init_signals);
	list_init(f, f->init_task + l->task_tasks);
	list_add_tail(f, f->init_signals + l->signal_thread_head,
		      f->init_task + l->task_thread_node);
	task_remember(f, 0, 0, f->init_task, f->init_signals);

	mm_init_at(f, f->init_mm);
	fake_mm_set_users(f, f->init_mm, 2);
	return f;
}

void fake_free(struct fake *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->npages; i++)
		free(f->pages[i]);
	free(f->pages);
	free(f->tasks);
	for (size_t i = 0; i < f->ntrees; i++) {
		free(f->trees[i]->nodes);
		free(f->trees[i]);
	}
	free(f->trees);
	free(f);
}

/* ---- slots ---- */

static void slots_push(struct fake_slots *s, uint64_t first, uint64_t last,
		       uint64_t value)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 32;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	s->v[s->n++] = (struct fake_slot){ first, last, value };
}

void fake_slots_add(struct fake_slots *s, uint64_t first, uint64_t last,
		    uint64_t value)
{
	uint64_t next = s->n ? s->v[s->n - 1].last + 1 : 0;
	assert_true(first >= next && last >= first);
	if (s->n)
		assert_true(s->v[s->n - 1].last != FAKE_ULONG_MAX);
	if (first > next)
		slots_push(s, next, first - 1, 0);
	slots_push(s, first, last, value);
}

void fake_slots_finish(struct fake_slots *s)
{
	uint64_t next = s->n ? s->v[s->n - 1].last + 1 : 0;
	if (!s->n || s->v[s->n - 1].last != FAKE_ULONG_MAX)
		slots_push(s, next, FAKE_ULONG_MAX, 0);
}

void fake_slots_free(struct fake_slots *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* ---- trees ---- */

uint64_t fake_enode(uint64_t node, unsigned int type)
{
	return node | ((uint64_t)type << 3) | 0x04;
}

void fake_tree_set_root(struct fake *f, uint64_t tree, uint64_t root)
{
	fake_write_u64(f, tree + f->layout.mt_root, root);
}

uint64_t fake_tree_get_root(struct fake *f, uint64_t tree)
{
	return fake_read_u64(f, tree + f->layout.mt_root);
}

void fake_tree_set_flags(struct fake *f, uint64_t tree, uint32_t flags)
{
	fake_write_u32(f, tree + f->layout.mt_flags, flags);
}

uint32_t fake_tree_get_flags(struct fake *f, uint64_t tree)
{
	return fake_read_u32(f, tree + f->layout.mt_flags);
}

struct node_geo {
	uint64_t parent, pivot, slot, meta, gap;
	unsigned int pcount, scount;
};

static struct node_geo geo(const struct fake *f, unsigned int type)
{
	const struct mml_layout *l = &f->layout;
	if (type == l->mt_type_arange_64)
		return (struct node_geo){ l->ma64_parent, l->ma64_pivot,
					  l->ma64_slot, l->ma64_meta,
					  l->ma64_gap, l->ma64_pivot_count,
					  l->ma64_slot_count };
	return (struct node_geo){ l->mr64_parent, l->mr64_pivot, l->mr64_slot,
				  l->mr64_meta, 0, l->mr64_pivot_count,
				  l->mr64_slot_count };
}

/* Write the pivots, slots and metadata of a node with @n used slots. */
static void write_node(struct fake *f, uint64_t addr, unsigned int type,
		       size_t n, const uint64_t *last, const uint64_t *value,
		       uint64_t max)
{
	struct node_geo g = geo(f, type);
	assert_true(n >= 1 && n <= g.scount);
	unsigned int end = n - 1;
	for (unsigned int i = 0; i < n; i++) {
		if (i < g.pcount)
			fake_write_u64(f, addr + g.pivot + 8 * i,
				       i < end ? last[i] : max);
		fake_write_u64(f, addr + g.slot + 8 * i, value[i]);
	}
	bool arange = type == f->layout.mt_type_arange_64;
	uint64_t plast = g.pcount - 1;
	bool plast_zero = end < plast;   /* pivot[plast] stays 0 */
	if (arange || plast_zero)
		fake_write_u8(f, addr + g.meta + f->layout.meta_end, end);
}

/* A leaf's largest gap: the longest run of NULL slots, in indices. */
static uint64_t leaf_gap(const struct fake_slot *s, size_t n)
{
	uint64_t run = 0, max = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].value) {
			run = 0;
			continue;
		}
		run += s[i].last - s[i].first + 1;
		if (run > max)
			max = run;
	}
	return max;
}

/* The gaps of an arange_64 node with @n children; the largest returned. */
static uint64_t write_gaps(struct fake *f, uint64_t addr, size_t n,
			   const uint64_t *gap)
{
	struct node_geo g = geo(f, f->layout.mt_type_arange_64);
	uint64_t max = 0;
	uint8_t at = 0;
	for (size_t i = 0; i < n; i++) {
		fake_write_u64(f, addr + g.gap + 8 * i, gap[i]);
		if (gap[i] > max) {
			max = gap[i];
			at = i;
		}
	}
	fake_write_u8(f, addr + g.meta + f->layout.meta_gap, at);
	return max;
}

static int tree_push(struct fake_tree *t, const struct fake_node *n)
{
	t->nodes = realloc(t->nodes, (t->nnodes + 1) * sizeof(*t->nodes));
	assert_non_null(t->nodes);
	t->nodes[t->nnodes] = *n;
	return (int)t->nnodes++;
}

static uint64_t ipow(uint64_t b, unsigned int e)
{
	uint64_t r = 1;
	while (e--)
		r *= b;
	return r;
}

static int build_node(struct fake *f, struct fake_tree *t,
		      const struct fake_slot *s, size_t a, size_t b,
		      unsigned int depth, int parent, unsigned int pslot,
		      unsigned int leaf_fill, unsigned int node_fill)
{
	const struct mml_layout *l = &f->layout;
	unsigned int rem = t->height - depth + 1;
	struct fake_node node = {
		.addr = fake_alloc(f, l->maple_node_size, l->maple_node_size),
		.type = rem == 1 ? l->mt_type_leaf_64 : l->mt_type_arange_64,
		.depth = depth,
		.min = s[a].first,
		.max = s[b - 1].last,
		.parent = parent,
		.pslot = pslot,
		.first_slot = a,
	};
	uint64_t parent_ptr = parent < 0
		? (t->tree | 1)
		: (t->nodes[parent].addr | ((uint64_t)pslot << 3) | 0x06);
	fake_write_u64(f, node.addr + geo(f, node.type).parent, parent_ptr);
	size_t n = b - a;
	uint64_t last[16], value[16];
	if (rem == 1) {
		if (n > leaf_fill)
			fail_msg("leaf of %zu slots > fill %u", n, leaf_fill);
		for (size_t i = 0; i < n; i++) {
			last[i] = s[a + i].last;
			value[i] = s[a + i].value;
		}
		node.nslots = n;
		node.max_gap = leaf_gap(s + a, n);
		int idx = tree_push(t, &node);
		write_node(f, node.addr, node.type, n, last, value, node.max);
		return idx;
	}
	uint64_t cap = leaf_fill * ipow(node_fill, rem - 2);
	uint64_t c = (n + cap - 1) / cap;
	if (c < 2)
		c = 2;
	if (c > n)
		c = n;
	if (c > node_fill)
		fail_msg("%zu slots do not fit in height %u", n, t->height);
	node.nslots = c;
	int idx = tree_push(t, &node);
	uint64_t gap[16];
	for (uint64_t k = 0; k < c; k++) {
		size_t ca = a + n * k / c, cb = a + n * (k + 1) / c;
		int child = build_node(f, t, s, ca, cb, depth + 1, idx, k,
				       leaf_fill, node_fill);
		last[k] = t->nodes[child].max;
		value[k] = fake_enode(t->nodes[child].addr,
				      t->nodes[child].type);
		gap[k] = t->nodes[child].max_gap;
	}
	write_node(f, node.addr, node.type, c, last, value, node.max);
	t->nodes[idx].max_gap = write_gaps(f, node.addr, c, gap);
	return idx;
}

struct fake_tree *fake_tree_build(struct fake *f, uint64_t tree,
				  const struct fake_slot *slots, size_t n,
				  const struct fake_tree_opts *opts)
{
	struct fake_tree_opts o = opts ? *opts : (struct fake_tree_opts){ 0 };
	if (!o.leaf_fill)
		o.leaf_fill = 16;
	if (!o.node_fill)
		o.node_fill = 10;
	if (!o.height) {
		/* The lowest tree that holds them. */
		o.height = 1;
		while (o.leaf_fill * ipow(o.node_fill, o.height - 1) < n)
			o.height++;
	}
	struct fake_tree *t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->tree = tree;
	t->height = o.height;
	f->trees = realloc(f->trees, (f->ntrees + 1) * sizeof(*f->trees));
	assert_non_null(f->trees);
	f->trees[f->ntrees++] = t;

	uint32_t rcu = o.no_rcu ? 0 : 0x02;
	if (!n) {
		t->height = 0;
		fake_tree_set_root(f, tree, 0);
		fake_tree_set_flags(f, tree, 0x301 | rcu);
		return t;
	}
	assert_int_equal(slots[0].first, 0);
	assert_true(slots[n - 1].last == FAKE_ULONG_MAX);
	for (size_t i = 1; i < n; i++)
		assert_true(slots[i].first == slots[i - 1].last + 1);
	int root = build_node(f, t, slots, 0, n, 1, -1, 0, o.leaf_fill,
			      o.node_fill);
	fake_tree_set_root(f, tree, fake_enode(t->nodes[root].addr,
					       t->nodes[root].type) | 0x02);
	fake_tree_set_flags(f, tree, 0x301 | rcu | (o.height << 2));
	return t;
}

int fake_tree_leaf_of(const struct fake_tree *t, uint64_t index)
{
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].depth == t->height &&
		    t->nodes[i].min <= index && index <= t->nodes[i].max)
			return (int)i;
	return -1;
}

int fake_tree_node_at(const struct fake_tree *t, unsigned int depth)
{
	for (size_t i = 0; i < t->nnodes; i++)
		if (t->nodes[i].depth == depth)
			return (int)i;
	return -1;
}

static const struct fake_node *tnode(const struct fake_tree *t, int node)
{
	assert_true(node >= 0 && (size_t)node < t->nnodes);
	return &t->nodes[node];
}

void fake_node_set_pivot(struct fake *f, const struct fake_tree *t, int node,
			 unsigned int i, uint64_t v)
{
	const struct fake_node *n = tnode(t, node);
	fake_write_u64(f, n->addr + geo(f, n->type).pivot + 8 * i, v);
}

uint64_t fake_node_get_pivot(struct fake *f, const struct fake_tree *t,
			     int node, unsigned int i)
{
	const struct fake_node *n = tnode(t, node);
	return fake_read_u64(f, n->addr + geo(f, n->type).pivot + 8 * i);
}

void fake_node_set_slot(struct fake *f, const struct fake_tree *t, int node,
			unsigned int i, uint64_t v)
{
	const struct fake_node *n = tnode(t, node);
	fake_write_u64(f, n->addr + geo(f, n->type).slot + 8 * i, v);
}

uint64_t fake_node_get_slot(struct fake *f, const struct fake_tree *t,
			    int node, unsigned int i)
{
	const struct fake_node *n = tnode(t, node);
	return fake_read_u64(f, n->addr + geo(f, n->type).slot + 8 * i);
}

void fake_node_set_meta_end(struct fake *f, const struct fake_tree *t,
			    int node, uint8_t end)
{
	const struct fake_node *n = tnode(t, node);
	fake_write_u8(f, n->addr + geo(f, n->type).meta + f->layout.meta_end,
		      end);
}

void fake_node_set_gap(struct fake *f, const struct fake_tree *t, int node,
		       unsigned int i, uint64_t v)
{
	const struct fake_node *n = tnode(t, node);
	assert_true(n->type == f->layout.mt_type_arange_64);
	fake_write_u64(f, n->addr + geo(f, n->type).gap + 8 * i, v);
}

uint64_t fake_node_get_gap(struct fake *f, const struct fake_tree *t,
			   int node, unsigned int i)
{
	const struct fake_node *n = tnode(t, node);
	assert_true(n->type == f->layout.mt_type_arange_64);
	return fake_read_u64(f, n->addr + geo(f, n->type).gap + 8 * i);
}

void fake_node_set_meta_gap(struct fake *f, const struct fake_tree *t,
			    int node, uint8_t gap)
{
	const struct fake_node *n = tnode(t, node);
	fake_write_u8(f, n->addr + geo(f, n->type).meta + f->layout.meta_gap,
		      gap);
}

void fake_node_set_parent(struct fake *f, const struct fake_tree *t, int node,
			  uint64_t parent)
{
	const struct fake_node *n = tnode(t, node);
	fake_write_u64(f, n->addr + geo(f, n->type).parent, parent);
}

uint64_t fake_node_get_parent(struct fake *f, const struct fake_tree *t,
			      int node)
{
	const struct fake_node *n = tnode(t, node);
	return fake_read_u64(f, n->addr + geo(f, n->type).parent);
}

void fake_node_set_type_bits(struct fake *f, const struct fake_tree *t,
			     int node, unsigned int type)
{
	const struct fake_node *n = tnode(t, node);
	uint64_t mask = 0xfULL << 3;
	if (n->parent < 0) {
		uint64_t r = fake_tree_get_root(f, t->tree);
		fake_tree_set_root(f, t->tree,
				   (r & ~mask) | ((uint64_t)type << 3));
		return;
	}
	uint64_t v = fake_node_get_slot(f, t, n->parent, n->pslot);
	fake_node_set_slot(f, t, n->parent, n->pslot,
			   (v & ~mask) | ((uint64_t)type << 3));
}

void fake_node_make_dead(struct fake *f, const struct fake_tree *t, int node)
{
	fake_node_set_parent(f, t, node, tnode(t, node)->addr);
}

void fake_node_link_back(struct fake *f, const struct fake_tree *t, int node,
			 unsigned int slot, int ancestor)
{
	const struct fake_node *a = tnode(t, ancestor);
	assert_true(tnode(t, node)->type == f->layout.mt_type_arange_64);
	fake_node_set_slot(f, t, node, slot, fake_enode(a->addr, a->type));
}

/* ---- VMAs ---- */

uint64_t fake_vma_new(struct fake *f, uint64_t mm, uint64_t start,
		      uint64_t end, uint64_t flags)
{
	const struct mml_layout *l = &f->layout;
	uint64_t vma = fake_alloc(f, l->vma_size, 64);
	fake_write_u64(f, vma + l->vma_vm_start, start);
	fake_write_u64(f, vma + l->vma_vm_end, end);
	fake_write_u64(f, vma + l->vma_vm_mm, mm);
	fake_write_u64(f, vma + l->vma_vm_flags, flags);
	return vma;
}

uint64_t fake_vma_start(struct fake *f, uint64_t vma)
{
	return fake_read_u64(f, vma + f->layout.vma_vm_start);
}

uint64_t fake_vma_end(struct fake *f, uint64_t vma)
{
	return fake_read_u64(f, vma + f->layout.vma_vm_end);
}

void fake_vma_set_range(struct fake *f, uint64_t vma, uint64_t start,
			uint64_t end)
{
	fake_write_u64(f, vma + f->layout.vma_vm_start, start);
	fake_write_u64(f, vma + f->layout.vma_vm_end, end);
}

void fake_slots_of_vmas(struct fake *f, const uint64_t *vmas, size_t n,
			struct fake_slots *out)
{
	for (size_t i = 0; i < n; i++)
		fake_slots_add(out, fake_vma_start(f, vmas[i]),
			       fake_vma_end(f, vmas[i]) - 1, vmas[i]);
	fake_slots_finish(out);
}

struct fake_tree *fake_mm_populate(struct fake *f, uint64_t mm, size_t n,
				   const struct fake_tree_opts *opts,
				   uint64_t *vmas)
{
	uint64_t *v = calloc(n ? n : 1, sizeof(*v));
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		uint64_t start = 0x400000 + i * 0x10000;
		v[i] = fake_vma_new(f, mm, start, start + 0x3000, 0x73);
		if (vmas)
			vmas[i] = v[i];
	}
	struct fake_slots s = { 0 };
	if (n)
		fake_slots_of_vmas(f, v, n, &s);
	struct fake_tree *t = fake_tree_build(f, fake_mm_tree(f, mm), s.v, s.n,
					      opts);
	fake_mm_set_map_count(f, mm, (int32_t)n);
	fake_slots_free(&s);
	free(v);
	return t;
}
