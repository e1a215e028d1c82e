// SPDX-License-Identifier: GPL-2.0-or-later
/* SLUB in the fake kernel (see slab_fake.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "mmlife/error.h"
#include "slab_fake.h"

struct slab_member {
	const char *type, *member;
	uint64_t offset, size;
	enum mml_member_kind kind;
	uint64_t count;
};

#define SM(t, m, o, s, k, c) { t, m, o, s, MML_KIND_##k, c }

/* Exec image fields and binfmt, at offsets no fake variant uses. */
#define MM_IMAGE_MEMBERS                                                       \
	SM("mm_struct", "start_stack", SLAB_FAKE_MM_START_STACK, 8, INT, 0),  \
	SM("mm_struct", "arg_start", SLAB_FAKE_MM_START_STACK + 8, 8, INT, 0), \
	SM("mm_struct", "env_start", SLAB_FAKE_MM_START_STACK + 16, 8, INT, 0),\
	SM("mm_struct", "start_brk", SLAB_FAKE_MM_START_STACK + 24, 8, INT, 0),\
	SM("mm_struct", "binfmt", SLAB_FAKE_MM_BINFMT, 8, POINTER, 0),       \
	SM("rq", "curr", 0x10, 8, POINTER, 0),                                 \
	SM("rq", "idle", 0x18, 8, POINTER, 0)

/* 6.12 (gdb ptype /o of the Debian 6.12.107 vmlinux). */
static const struct slab_member members_612[] = {
	SM("page", "flags", 0, 8, INT, 0),
	SM("page", "compound_head", 8, 8, INT, 0),
	SM("page", "page_type", 48, 4, INT, 0),
	SM("slab", "slab_cache", 8, 8, POINTER, 0),
	SM("slab", "slab_list", 16, 16, STRUCT, 0),
	SM("slab", "next", 16, 8, POINTER, 0),
	SM("slab", "freelist", 32, 8, POINTER, 0),
	SM("slab", "counters", 40, 8, INT, 0),
	SM("kmem_cache", "cpu_slab", 0, 8, POINTER, 0),
	SM("kmem_cache", "size", 24, 4, INT, 0),
	SM("kmem_cache", "object_size", 28, 4, INT, 0),
	SM("kmem_cache", "offset", 40, 4, INT, 0),
	SM("kmem_cache", "red_left_pad", 88, 4, INT, 0),
	SM("kmem_cache", "name", 96, 8, POINTER, 0),
	SM("kmem_cache", "list", 104, 16, STRUCT, 0),
	SM("kmem_cache", "random", 184, 8, INT, 0),
	SM("kmem_cache", "node", 216, 8192, ARRAY, 1024),
	SM("kmem_cache_cpu", "freelist", 0, 8, POINTER, 0),
	SM("kmem_cache_cpu", "slab", 16, 8, POINTER, 0),
	SM("kmem_cache_cpu", "partial", 24, 8, POINTER, 0),
	SM("kmem_cache_node", "partial", 16, 16, STRUCT, 0),
	SM("kmem_cache_node", "nr_slabs", 32, 8, STRUCT, 0),
	SM("kmem_cache_node", "total_objects", 40, 8, STRUCT, 0),
	MM_IMAGE_MEMBERS,
	{ NULL, NULL, 0, 0, 0, 0 },
};

/* 7.2 (Debian 7.2.12): sheaves, per_node[], compound_info. */
static const struct slab_member members_72[] = {
	SM("page", "flags", 0, 8, STRUCT, 0),
	SM("page", "compound_info", 8, 8, INT, 0),
	SM("page", "page_type", 48, 4, INT, 0),
	SM("slab", "slab_cache", 8, 8, POINTER, 0),
	SM("slab", "slab_list", 16, 16, STRUCT, 0),
	SM("slab", "freelist", 32, 8, POINTER, 0),
	SM("slab", "counters", 40, 8, INT, 0),
	SM("kmem_cache", "cpu_sheaves", 0, 8, POINTER, 0),
	SM("kmem_cache", "size", 24, 4, INT, 0),
	SM("kmem_cache", "object_size", 28, 4, INT, 0),
	SM("kmem_cache", "offset", 40, 4, INT, 0),
	SM("kmem_cache", "red_left_pad", 80, 4, INT, 0),
	SM("kmem_cache", "name", 88, 8, POINTER, 0),
	SM("kmem_cache", "list", 96, 16, STRUCT, 0),
	SM("kmem_cache", "random", 176, 8, INT, 0),
	SM("kmem_cache", "per_node", 208, 16384, ARRAY, 1024),
	SM("kmem_cache_per_node_ptrs", "barn", 0, 8, POINTER, 0),
	SM("kmem_cache_per_node_ptrs", "node", 8, 8, POINTER, 0),
	SM("kmem_cache_node", "partial", 16, 16, STRUCT, 0),
	SM("kmem_cache_node", "nr_slabs", 32, 8, STRUCT, 0),
	SM("kmem_cache_node", "total_objects", 40, 8, STRUCT, 0),
	SM("slub_percpu_sheaves", "main", 8, 8, POINTER, 0),
	SM("slub_percpu_sheaves", "spare", 16, 8, POINTER, 0),
	SM("slub_percpu_sheaves", "rcu_free", 24, 8, POINTER, 0),
	SM("slab_sheaf", "barn_list", 0, 16, STRUCT, 0),
	SM("slab_sheaf", "size", 24, 4, INT, 0),
	SM("slab_sheaf", "objects", 32, 0, ARRAY, 0),
	SM("node_barn", "sheaves_full", 8, 16, STRUCT, 0),
	SM("node_barn", "sheaves_empty", 24, 16, STRUCT, 0),
	MM_IMAGE_MEMBERS,
	{ NULL, NULL, 0, 0, 0, 0 },
};

/* 6.1 (Debian 6.1.176): struct slab with slab_list first. */
static const struct slab_member members_61[] = {
	SM("page", "flags", 0, 8, INT, 0),
	SM("page", "compound_head", 8, 8, INT, 0),
	SM("page", "page_type", 48, 4, INT, 0),
	SM("slab", "slab_list", 8, 16, STRUCT, 0),
	SM("slab", "next", 8, 8, POINTER, 0),
	SM("slab", "slab_cache", 24, 8, POINTER, 0),
	SM("slab", "freelist", 32, 8, POINTER, 0),
	SM("slab", "counters", 40, 8, INT, 0),
	SM("kmem_cache", "cpu_slab", 0, 8, POINTER, 0),
	SM("kmem_cache", "size", 24, 4, INT, 0),
	SM("kmem_cache", "object_size", 28, 4, INT, 0),
	SM("kmem_cache", "offset", 40, 4, INT, 0),
	SM("kmem_cache", "red_left_pad", 88, 4, INT, 0),
	SM("kmem_cache", "name", 96, 8, POINTER, 0),
	SM("kmem_cache", "list", 104, 16, STRUCT, 0),
	SM("kmem_cache", "random", 184, 8, INT, 0),
	SM("kmem_cache", "node", 216, 8192, ARRAY, 1024),
	SM("kmem_cache_cpu", "freelist", 0, 8, POINTER, 0),
	SM("kmem_cache_cpu", "slab", 16, 8, POINTER, 0),
	SM("kmem_cache_cpu", "partial", 24, 8, POINTER, 0),
	SM("kmem_cache_node", "partial", 16, 16, STRUCT, 0),
	SM("kmem_cache_node", "nr_slabs", 32, 8, STRUCT, 0),
	SM("kmem_cache_node", "total_objects", 40, 8, STRUCT, 0),
	MM_IMAGE_MEMBERS,
	{ NULL, NULL, 0, 0, 0, 0 },
};

#define PG_SLAB_61 9

static struct mml_error *st_member(void *arg, const char *type,
				   const char *member,
				   struct mml_member_info *ret)
{
	struct slab_fake *s = arg;
	const struct slab_member *table = s->shape == SLAB_FAKE_72 ? members_72
					  : s->shape == SLAB_FAKE_61 ? members_61
								     : members_612;
	for (const struct slab_member *m = table; m->type; m++) {
		if (!strcmp(m->type, type) && !strcmp(m->member, member)) {
			*ret = (struct mml_member_info){ m->offset, m->size,
							 m->kind, m->count };
			return NULL;
		}
	}
	const struct mml_types *t = fake_types(s->f);
	return t->ops->member(t->arg, type, member, ret);
}

static struct mml_error *st_size(void *arg, const char *type, uint64_t *ret)
{
	struct slab_fake *s = arg;
	if (!strcmp(type, "page")) {
		*ret = 64;
		return NULL;
	}
	if (s->sheaves && !strcmp(type, "kmem_cache_per_node_ptrs")) {
		*ret = 16;
		return NULL;
	}
	const struct mml_types *t = fake_types(s->f);
	return t->ops->type_size(t->arg, type, ret);
}

static struct mml_error *st_enum(void *arg, const char *enum_type,
				 const char *name, int64_t *ret)
{
	struct slab_fake *s = arg;
	if (s->shape == SLAB_FAKE_61 && !strcmp(enum_type, "pageflags") &&
	    !strcmp(name, "PG_slab")) {
		*ret = PG_SLAB_61;
		return NULL;
	}
	if (s->shape != SLAB_FAKE_61 && !strcmp(enum_type, "pagetype") &&
	    !strcmp(name, "PGTY_slab")) {
		*ret = 0xf5;
		return NULL;
	}
	const struct mml_types *t = fake_types(s->f);
	return t->ops->enumerator(t->arg, enum_type, name, ret);
}

static const struct mml_types_ops slab_types_ops = {
	.member = st_member,
	.type_size = st_size,
	.enumerator = st_enum,
};

static uint64_t var(struct fake *f, const char *name, uint64_t v)
{
	uint64_t a = fake_alloc(f, 8, 8);
	fake_write_u64(f, a, v);
	fake_add_symbol(f, name, a);
	return a;
}

static void list_init(struct fake *f, uint64_t head)
{
	fake_write_u64(f, head, head);
	fake_write_u64(f, head + 8, head);
}

static void list_add(struct fake *f, uint64_t head, uint64_t entry)
{
	uint64_t prev = fake_read_u64(f, head + 8);
	fake_write_u64(f, entry, head);
	fake_write_u64(f, entry + 8, prev);
	fake_write_u64(f, prev, entry);
	fake_write_u64(f, head + 8, entry);
}

void slab_fake_init(struct slab_fake *s, struct fake *f, bool sheaves)
{
	slab_fake_init_shape(s, f, sheaves ? SLAB_FAKE_72 : SLAB_FAKE_612,
			     SLAB_FAKE_VMEMMAP, 0);
}

void slab_fake_init_shape(struct slab_fake *s, struct fake *f,
			  enum slab_fake_shape shape, uint64_t vmemmap,
			  uint32_t red_left_pad)
{
	memset(s, 0, sizeof(*s));
	s->f = f;
	s->shape = shape;
	s->sheaves = shape == SLAB_FAKE_72;
	s->vmemmap = vmemmap;
	s->red_left_pad = red_left_pad;
	bool sheaves = s->sheaves;
	s->types = (struct mml_types){ &slab_types_ops, s };
	struct mml_error *err = mml_layout_resolve(&s->types, &s->layout);
	if (err)
		fail_msg("layout: %s", err->message);
	const struct mml_layout *l = &s->layout;
	s->size = (l->mm_struct_size + red_left_pad + 63) & ~63ULL;
	s->cache = fake_alloc(f, 17000, 64);
	uint64_t name = fake_alloc(f, 16, 8);
	fake_write_bytes(f, name, "mm_struct", 10);
	fake_write_u64(f, s->cache + l->kc_name, name);
	fake_write_u32(f, s->cache + l->kc_size, (uint32_t)s->size);
	fake_write_u32(f, s->cache + l->kc_object_size,
		       (uint32_t)l->mm_struct_size);
	/* The free pointer in the middle of the object, as SLUB puts it
	 * for caches with a constructor-less object (6.2+). */
	fake_write_u32(f, s->cache + l->kc_offset, (uint32_t)(s->size / 2));
	fake_write_u64(f, s->cache + l->kc_random, SLAB_FAKE_RANDOM);
	fake_write_u32(f, s->cache + l->kc_red_left_pad, red_left_pad);
	if (vmemmap != SLAB_FAKE_VMEMMAP &&
	    fake_target(f)->arch == MML_ARCH_X86_64) {
		var(f, "vmemmap_base", vmemmap);
		var(f, "page_offset_base", FAKE_DIRECT_MAP);
	}
	var(f, "mm_cachep", s->cache);
	var(f, "nr_cpu_ids", 1);
	var(f, "nr_node_ids", 1);
	var(f, "__per_cpu_offset", 0);
	s->max_pfn_var = var(f, "max_pfn", 0);
	s->node = fake_alloc(f, 64, 64);
	list_init(f, s->node + l->kcn_partial);
	s->pcpu = fake_alloc(f, 64, 64);
	if (sheaves) {
		fake_write_u64(f, s->cache + l->kc_cpu_sheaves, s->pcpu);
		s->barn = fake_alloc(f, 64, 64);
		list_init(f, s->barn + l->barn_sheaves_full);
		list_init(f, s->barn + l->barn_sheaves_empty);
		fake_write_u64(f, s->cache + l->kc_per_node + l->kpn_node,
			       s->node);
		fake_write_u64(f, s->cache + l->kc_per_node + l->kpn_barn,
			       s->barn);
		/* The bootstrap-like empty main sheaf. */
		uint64_t sheaf = fake_alloc(f, 64, 64);
		fake_write_u64(f, s->pcpu + l->pcs_main, sheaf);
	} else {
		fake_write_u64(f, s->cache + l->kc_cpu_slab, s->pcpu);
		fake_write_u64(f, s->cache + l->kc_node, s->node);
	}
}

void slab_fake_init_arm64(struct slab_fake *s, struct fake *f,
			  bool symbol_vmemmap)
{
	/* PAGE_OFFSET - PHYS_OFFSET is the fake's direct map. */
	uint64_t phys_offset = -(1ULL << 52) - FAKE_DIRECT_MAP;
	int64_t memstart_pfn = (int64_t)phys_offset >> 12;
	uint64_t vmemmap = SLAB_FAKE_ARM64_VMEMMAP_START -
			   (uint64_t)memstart_pfn * 64;
	fake_set_arch(f, MML_ARCH_AARCH64);
	fake_add_vmcoreinfo(f, "NUMBER(VA_BITS)", 52);
	fake_add_vmcoreinfo(f, "NUMBER(PHYS_OFFSET)", phys_offset);
	if (symbol_vmemmap)
		fake_add_vmcoreinfo(f, "SYMBOL(vmemmap)", vmemmap);
	else
		fake_add_vmcoreinfo(f, "NUMBER(VMEMMAP_START)",
				    SLAB_FAKE_ARM64_VMEMMAP_START);
	slab_fake_init_shape(s, f, SLAB_FAKE_612, vmemmap, 0);
	/* RAM starts at the next page the fake hands out: the memmap
	 * search starts there. */
	uint64_t next = fake_alloc(f, FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
	s->min_low_pfn = (next - FAKE_DIRECT_MAP) / FAKE_PAGE_SIZE;
	var(f, "min_low_pfn", s->min_low_pfn);
}

static uint64_t slab_base(const struct slab_fake *s, uint64_t slab)
{
	return FAKE_DIRECT_MAP + (slab - s->vmemmap) / 64 * FAKE_PAGE_SIZE +
	       s->red_left_pad;
}

uint64_t slab_fake_new_slab(struct slab_fake *s, unsigned int nobj)
{
	const struct mml_layout *l = &s->layout;
	uint64_t bytes = nobj * s->size + s->red_left_pad;
	uint64_t pages = (bytes + FAKE_PAGE_SIZE - 1) / FAKE_PAGE_SIZE;
	uint64_t base = fake_alloc(s->f, pages * FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
	uint64_t pfn = (base - FAKE_DIRECT_MAP) / FAKE_PAGE_SIZE;
	uint64_t slab = s->vmemmap + pfn * 64;
	uint64_t tail = s->sheaves ? l->page_compound_info
				   : l->page_compound_head;
	if (s->shape == SLAB_FAKE_61)
		fake_write_u64(s->f, slab + l->page_flags, 1ULL << PG_SLAB_61);
	else
		fake_write_u32(s->f, slab + l->page_type, 0xf5000000u);
	fake_write_u64(s->f, slab + l->slab_cache, s->cache);
	fake_write_u64(s->f, slab + l->slab_counters,
		       (uint64_t)nobj << 16 | nobj);
	for (uint64_t i = 1; i < pages; i++) {
		/* Tail pages: compound_head = head | 1; a copy of the cache
		 * pointer must not make them slabs of their own. */
		fake_write_u64(s->f, slab + 64 * i + tail, slab | 1);
		fake_write_u32(s->f, slab + 64 * i + l->page_type, 0xf5000000u);
		fake_write_u64(s->f, slab + 64 * i + l->slab_cache, s->cache);
	}
	uint64_t max = fake_read_u64(s->f, s->max_pfn_var);
	if (pfn + pages + 8 > max)
		fake_write_u64(s->f, s->max_pfn_var, pfn + pages + 8);
	/* The node's CONFIG_SLUB_DEBUG counters. */
	fake_write_u64(s->f, s->node + l->kcn_nr_slabs,
		       fake_read_u64(s->f, s->node + l->kcn_nr_slabs) + 1);
	fake_write_u64(s->f, s->node + l->kcn_total_objects,
		       fake_read_u64(s->f, s->node + l->kcn_total_objects) +
			       nobj);
	return slab;
}

uint64_t slab_fake_obj(const struct slab_fake *s, uint64_t slab,
		       unsigned int i)
{
	return slab_base(s, slab) + i * s->size;
}

void slab_fake_mm(struct slab_fake *s, uint64_t obj, int32_t users,
		  int32_t count, int32_t map_count, uint64_t flags)
{
	const struct mml_layout *l = &s->layout;
	fake_mm_set_users(s->f, obj, users);
	fake_mm_set_count(s->f, obj, count);
	fake_mm_set_map_count(s->f, obj, map_count);
	fake_mm_set_flags(s->f, obj, flags);
	fake_tree_set_root(s->f, obj + l->mm_mt, 0);
	fake_tree_set_flags(s->f, obj + l->mm_mt, FAKE_MM_MT_FLAGS);
	if (l->mm_mmlist != MML_ABSENT)
		list_init(s->f, obj + l->mm_mmlist);
}

void slab_fake_image(struct slab_fake *s, uint64_t mm, uint64_t seed,
		     uint64_t binfmt)
{
	for (int i = 0; i < 4; i++)
		fake_write_u64(s->f, mm + SLAB_FAKE_MM_START_STACK + 8 * i,
			       seed + 0x1000 * i);
	fake_write_u64(s->f, mm + SLAB_FAKE_MM_BINFMT, binfmt);
}

void slab_fake_link(struct slab_fake *s, uint64_t obj, uint64_t next)
{
	uint64_t at = obj + s->size / 2;
	fake_write_u64(s->f, at,
		       next ^ SLAB_FAKE_RANDOM ^ __builtin_bswap64(at));
}

void slab_fake_freelist(struct slab_fake *s, uint64_t slab,
			const uint64_t *objs, size_t n)
{
	fake_write_u64(s->f, slab + s->layout.slab_freelist, n ? objs[0] : 0);
	for (size_t i = 0; i < n; i++)
		slab_fake_link(s, objs[i], i + 1 < n ? objs[i + 1] : 0);
}

void slab_fake_cpu_slab(struct slab_fake *s, uint64_t slab, uint64_t head)
{
	fake_write_u64(s->f, s->pcpu + s->layout.kcc_slab, slab);
	fake_write_u64(s->f, s->pcpu + s->layout.kcc_freelist, head);
}

void slab_fake_cpu_partial(struct slab_fake *s, const uint64_t *slabs,
			   size_t n)
{
	fake_write_u64(s->f, s->pcpu + s->layout.kcc_partial, n ? slabs[0] : 0);
	for (size_t i = 0; i < n; i++)
		fake_write_u64(s->f, slabs[i] + s->layout.slab_next,
			       i + 1 < n ? slabs[i + 1] : 0);
}

void slab_fake_partial(struct slab_fake *s, uint64_t slab)
{
	list_add(s->f, s->node + s->layout.kcn_partial,
		 slab + s->layout.slab_list);
}

void slab_fake_sheaf(struct slab_fake *s, bool barn, const uint64_t *objs,
		     size_t n)
{
	const struct mml_layout *l = &s->layout;
	uint64_t sheaf = fake_alloc(s->f, 64 + 8 * n, 64);
	fake_write_u32(s->f, sheaf + l->sheaf_size, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		fake_write_u64(s->f, sheaf + l->sheaf_objects + 8 * i, objs[i]);
	if (barn)
		list_add(s->f, s->barn + l->barn_sheaves_full,
			 sheaf + l->sheaf_barn_list);
	else
		fake_write_u64(s->f, s->pcpu + l->pcs_main, sheaf);
}

struct mml_report *slab_fake_scan(struct slab_fake *s)
{
	struct mml_scan_options opts = { .mmlist = true, .deep = true };
	return slab_fake_scan_opts(s, &opts);
}

struct mml_report *slab_fake_scan_opts(struct slab_fake *s,
				       const struct mml_scan_options *opts)
{
	struct mml_ctx *ctx;
	struct mml_error *err = mml_ctx_create(fake_target(s->f), &s->layout,
					       NULL, &ctx);
	if (err)
		fail_msg("ctx: %s", err->message);
	struct mml_report *r;
	err = mml_scan(ctx, opts, &r);
	mml_ctx_destroy(ctx);
	if (err)
		fail_msg("scan: %s", err->message);
	return r;
}

void slab_fake_deinit(struct slab_fake *s)
{
	(void)s;
}
