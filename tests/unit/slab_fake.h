/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SLUB in the fake kernel, for the deep scan: a type table of struct
 * page / slab / kmem_cache in the shapes of 6.12 (cpu slabs) and 7.2
 * (sheaves) layered over fake_types(), an mm_struct cache, slabs whose
 * struct page sits in the memmap at the x86_64 default vmemmap base, and
 * freelists encoded as CONFIG_SLAB_FREELIST_HARDENED does.
 */
#ifndef MMLIFE_TESTS_SLAB_FAKE_H
#define MMLIFE_TESTS_SLAB_FAKE_H

#include "fake.h"
#include "mmlife/model.h"
#include "mmlife/scan.h"

#define SLAB_FAKE_RANDOM 0x5a5aa5a5deadbeefULL
#define SLAB_FAKE_VMEMMAP 0xffffea0000000000ULL
/* NUMBER(VMEMMAP_START) of Debian's 6.12 cloud-arm64 kernel (VA_BITS 52)
 * in the arm64 6.12 baseline dump. */
#define SLAB_FAKE_ARM64_VMEMMAP_START 0xffffc1ffc0000000ULL
/* mm_struct.start_stack, arg_start, env_start, start_brk follow it. */
#define SLAB_FAKE_MM_START_STACK 0x200
#define SLAB_FAKE_MM_BINFMT 0x220

enum slab_fake_shape {
	SLAB_FAKE_612,             /* cpu slabs, PGTY_slab in page_type */
	SLAB_FAKE_72,              /* sheaves, per_node[], compound_info */
	SLAB_FAKE_61,              /* PG_slab in flags, slab_cache at +24 */
};

struct slab_fake {
	struct fake *f;
	enum slab_fake_shape shape;
	bool sheaves;              /* 7.2 shape */
	uint64_t vmemmap;          /* where struct pages live */
	uint32_t red_left_pad;
	struct mml_types types;
	struct mml_layout layout;
	uint64_t cache;            /* struct kmem_cache */
	uint64_t size;             /* object stride */
	uint64_t pcpu;             /* kmem_cache_cpu or slub_percpu_sheaves */
	uint64_t node;             /* kmem_cache_node */
	uint64_t barn;             /* node_barn (sheaves) */
	uint64_t max_pfn_var;
	uint64_t min_low_pfn;      /* arm64: where RAM starts */
};

/* Set up the cache on @f; @sheaves picks the 7.2 shape, else 6.12. */
void slab_fake_init(struct slab_fake *s, struct fake *f, bool sheaves);
/* The same for any shape; a @vmemmap other than SLAB_FAKE_VMEMMAP is
 * published as vmemmap_base (KASLR), @red_left_pad as the cache's. */
void slab_fake_init_shape(struct slab_fake *s, struct fake *f,
			  enum slab_fake_shape shape, uint64_t vmemmap,
			  uint32_t red_left_pad);
/* The 6.12 shape on arm64: the target is aarch64, and VMCOREINFO holds
 * what Debian's 6.12 cloud-arm64 kernel writes under QEMU with 48-bit
 * VAs: VA_BITS 52, a PHYS_OFFSET below 0 (memstart_addr lowered for the
 * 48-bit CPU), and NUMBER(VMEMMAP_START) or, with @symbol_vmemmap,
 * SYMBOL(vmemmap) instead; min_low_pfn is the first page after the
 * cache's. The memmap is where lib/memmap.c must compute it. */
void slab_fake_init_arm64(struct slab_fake *s, struct fake *f,
			  bool symbol_vmemmap);
/* 6.1/6.12: the cpu partial chain (cpu 0) through slab->next. */
void slab_fake_cpu_partial(struct slab_fake *s, const uint64_t *slabs,
			   size_t n);
/* A slab of @nobj objects; returns its struct slab (struct page). */
uint64_t slab_fake_new_slab(struct slab_fake *s, unsigned int nobj);
/* Object @i of @slab. */
uint64_t slab_fake_obj(const struct slab_fake *s, uint64_t slab,
		       unsigned int i);
/* An mm_struct at @obj: users, count, map_count, flags, empty tree. */
void slab_fake_mm(struct slab_fake *s, uint64_t obj, int32_t users,
		  int32_t count, int32_t map_count, uint64_t flags);
/* The exec image addresses (4 words from @seed) and binfmt of @mm. */
void slab_fake_image(struct slab_fake *s, uint64_t mm, uint64_t seed,
		     uint64_t binfmt);
/* slab->freelist = the chain of @objs (encoded links). */
void slab_fake_freelist(struct slab_fake *s, uint64_t slab,
			const uint64_t *objs, size_t n);
/* The encoded free pointer stored in @obj pointing to @next. */
void slab_fake_link(struct slab_fake *s, uint64_t obj, uint64_t next);
/* 6.12: the cpu slab and its freelist head (cpu 0). */
void slab_fake_cpu_slab(struct slab_fake *s, uint64_t slab, uint64_t head);
/* 6.12: put @slab on the node's partial list. */
void slab_fake_partial(struct slab_fake *s, uint64_t slab);
/* 7.2: the main sheaf of cpu 0 / a full sheaf in the barn holds @objs. */
void slab_fake_sheaf(struct slab_fake *s, bool barn, const uint64_t *objs,
		     size_t n);
/* Scan with --deep; fails the test on error. */
struct mml_report *slab_fake_scan(struct slab_fake *s);
/* The same with @opts (default discovery, fast, ...). */
struct mml_report *slab_fake_scan_opts(struct slab_fake *s,
				       const struct mml_scan_options *opts);
void slab_fake_deinit(struct slab_fake *s);

#endif
