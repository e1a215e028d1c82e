/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fake kernel for the unit tests: sparse pages of kernel memory, a bump
 * allocator, a symbol table, a type table in the shapes of real kernels
 * (resolved through the real mml_layout_resolve()), and builders for maple
 * trees, VMAs, mm_structs and tasks laid out the way the kernel does it.
 * Mutators then corrupt what was built.
 */
#ifndef MMLIFE_TESTS_FAKE_H
#define MMLIFE_TESTS_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmlife/layout.h"
#include "mmlife/scan.h"
#include "mmlife/target.h"

enum fake_variant {
	/* 6.1: maple_tree {lock; ma_root +8; ma_flags +16}, 24 bytes. */
	FAKE_V61,
	/* 6.6 - 6.17: maple_tree {lock; ma_flags +4; ma_root +8}, 16 bytes. */
	FAKE_V66,
	/* 7.2-like: 6.6 maple_tree, maple_copy = 4, mm_flags_t struct. */
	FAKE_V72,
	/* 7.2 PREEMPT_RT: a 32-byte ma_lock, maple_tree of 48 bytes. */
	FAKE_V72RT,
};
#define FAKE_NVARIANTS 4
const char *fake_variant_name(enum fake_variant v);

#define FAKE_PAGE_SIZE 4096u
#define FAKE_DIRECT_MAP 0xffff888000000000ULL
#define FAKE_KERNEL_IMAGE 0xffffffff82000000ULL
/* An address no page is ever mapped at. */
#define FAKE_UNMAPPED 0xffff88ff00000000ULL

#define FAKE_PF_EXITING 0x00000004u
#define FAKE_PF_KTHREAD 0x00200000u
#define FAKE_EXIT_ZOMBIE 0x20u
#define FAKE_MMF_OOM_SKIP (1ULL << 21)
#define FAKE_MMF_UNSTABLE (1ULL << 22)
#define FAKE_XA_ZERO 0x406ULL
#define FAKE_XA_RETRY 0x402ULL
#define FAKE_MM_MT_FLAGS 0x303u     /* ALLOC_RANGE | LOCK_EXTERN | USE_RCU */
#define FAKE_ULONG_MAX UINT64_MAX

struct fake;

/* ---- memory, symbols, target, types ---- */

/* Create a fake kernel with init_task (pid 0, PF_KTHREAD, no mm) and
 * init_mm (empty tree, empty mmlist). Aborts the test on failure. */
struct fake *fake_new(enum fake_variant variant);
void fake_free(struct fake *f);

enum fake_variant fake_variant(const struct fake *f);
const struct mml_target *fake_target(struct fake *f);
const struct mml_types *fake_types(struct fake *f);
/* The layout resolved from fake_types() by mml_layout_resolve(). */
const struct mml_layout *fake_layout(const struct fake *f);
/* Hide a member (member NULL: the type's size) from the type table. */
/* Rename a member (a later kernel's spelling): asked by @to it answers
 * with @from's facts, asked by @from it is missing. */
void fake_types_rename(struct fake *f, const char *type, const char *from,
		       const char *to);
void fake_types_hide(struct fake *f, const char *type, const char *member);

/* Allocate zeroed, mapped memory; align is a power of two. */
uint64_t fake_alloc(struct fake *f, size_t size, size_t align);
/* Every later allocation starts on a page of its own (for excluding). */
void fake_set_isolate(struct fake *f, bool isolate);

void fake_write_bytes(struct fake *f, uint64_t addr, const void *buf,
		      size_t len);
void fake_write_u64(struct fake *f, uint64_t addr, uint64_t v);
void fake_write_u32(struct fake *f, uint64_t addr, uint32_t v);
void fake_write_u8(struct fake *f, uint64_t addr, uint8_t v);
uint64_t fake_read_u64(struct fake *f, uint64_t addr);
uint32_t fake_read_u32(struct fake *f, uint64_t addr);
/* Mark the page holding @addr excluded from the dump. */
void fake_exclude_page(struct fake *f, uint64_t addr);
/* Drop the page holding @addr (reads give MML_READ_INVALID). */
void fake_unmap_page(struct fake *f, uint64_t addr);
void fake_add_symbol(struct fake *f, const char *name, uint64_t addr);
/* The target's architecture (x86_64 unless set) and its VMCOREINFO
 * NUMBER(...) lines (none unless added). */
void fake_set_arch(struct fake *f, enum mml_arch arch);
void fake_add_vmcoreinfo(struct fake *f, const char *key, uint64_t value);
/* Number of read calls the target served. */
uint64_t fake_reads(const struct fake *f);

uint64_t fake_init_task(const struct fake *f);
uint64_t fake_init_mm(const struct fake *f);

/* ---- maple trees ---- */

struct fake_slot {
	uint64_t first, last, value;
};

/* A growing list of slots covering [0, ULONG_MAX]. */
struct fake_slots {
	struct fake_slot *v;
	size_t n, cap;
};
/* Append [first, last] = value, with a NULL slot for any hole before it. */
void fake_slots_add(struct fake_slots *s, uint64_t first, uint64_t last,
		    uint64_t value);
/* Close the list with a NULL slot up to ULONG_MAX if needed. */
void fake_slots_finish(struct fake_slots *s);
void fake_slots_free(struct fake_slots *s);

struct fake_tree_opts {
	unsigned int height;       /* 1 to 4 (more for stress); 0: lowest */
	unsigned int leaf_fill;    /* max slots per leaf, <= 16; 0: 16 */
	unsigned int node_fill;    /* max children per internal node; 0: 10 */
	bool no_rcu;               /* leave MT_FLAGS_USE_RCU out */
};

struct fake_node {
	uint64_t addr;
	unsigned int type;         /* 1 leaf_64, 3 arange_64 */
	unsigned int depth;        /* 1 for the root */
	unsigned int nslots;
	uint64_t min, max;
	int parent;                /* index in fake_tree.nodes, -1 at root */
	unsigned int pslot;        /* slot in the parent */
	uint64_t first_slot;       /* index of its first slot in the input */
	uint64_t max_gap;          /* largest gap below, as the parent's gap */
};

struct fake_tree {
	uint64_t tree;             /* address of the struct maple_tree */
	unsigned int height;
	struct fake_node *nodes;   /* pre-order: nodes[0] is the root */
	size_t nnodes;
};

/*
 * Build a maple tree at @tree from @n sorted slots covering [0, ULONG_MAX]
 * the way the kernel lays one out (see the file comment of fake.c). With
 * @n == 0 the tree is empty. The returned tree is owned by @f.
 */
struct fake_tree *fake_tree_build(struct fake *f, uint64_t tree,
				  const struct fake_slot *slots, size_t n,
				  const struct fake_tree_opts *opts);
/* The index of the leaf holding index @index, or -1. */
int fake_tree_leaf_of(const struct fake_tree *t, uint64_t index);
/* The first node at @depth (1 = root), or -1. */
int fake_tree_node_at(const struct fake_tree *t, unsigned int depth);

/* The encoded pointer to a node: node | type << 3 | 0x04. */
uint64_t fake_enode(uint64_t node, unsigned int type);

/* Mutators (node = index into t->nodes). */
void fake_node_set_pivot(struct fake *f, const struct fake_tree *t, int node,
			 unsigned int i, uint64_t v);
uint64_t fake_node_get_pivot(struct fake *f, const struct fake_tree *t,
			     int node, unsigned int i);
void fake_node_set_slot(struct fake *f, const struct fake_tree *t, int node,
			unsigned int i, uint64_t v);
uint64_t fake_node_get_slot(struct fake *f, const struct fake_tree *t,
			    int node, unsigned int i);
void fake_node_set_meta_end(struct fake *f, const struct fake_tree *t,
			    int node, uint8_t end);
/* gap[i] and meta.gap of an arange_64 node. */
void fake_node_set_gap(struct fake *f, const struct fake_tree *t, int node,
		       unsigned int i, uint64_t v);
uint64_t fake_node_get_gap(struct fake *f, const struct fake_tree *t,
			   int node, unsigned int i);
void fake_node_set_meta_gap(struct fake *f, const struct fake_tree *t,
			    int node, uint8_t gap);
void fake_node_set_parent(struct fake *f, const struct fake_tree *t, int node,
			  uint64_t parent);
uint64_t fake_node_get_parent(struct fake *f, const struct fake_tree *t,
			      int node);
/* Rewrite the type bits of the pointer to @node (in its parent's slot or
 * in ma_root). */
void fake_node_set_type_bits(struct fake *f, const struct fake_tree *t,
			     int node, unsigned int type);
/* node->parent = node, as mte_set_node_dead() does. */
void fake_node_make_dead(struct fake *f, const struct fake_tree *t, int node);
/* Point slot @slot of @node back to its ancestor @ancestor (a cycle). */
void fake_node_link_back(struct fake *f, const struct fake_tree *t, int node,
			 unsigned int slot, int ancestor);

void fake_tree_set_root(struct fake *f, uint64_t tree, uint64_t root);
uint64_t fake_tree_get_root(struct fake *f, uint64_t tree);
void fake_tree_set_flags(struct fake *f, uint64_t tree, uint32_t flags);
uint32_t fake_tree_get_flags(struct fake *f, uint64_t tree);

/* ---- VMAs, mms, tasks ---- */

uint64_t fake_vma_new(struct fake *f, uint64_t mm, uint64_t start,
		      uint64_t end, uint64_t flags);
uint64_t fake_vma_start(struct fake *f, uint64_t vma);
uint64_t fake_vma_end(struct fake *f, uint64_t vma);
void fake_vma_set_range(struct fake *f, uint64_t vma, uint64_t start,
			uint64_t end);

/* An mm_struct: mm_users 1, mm_count 1, map_count 0, flags 0, empty tree
 * with ma_flags 0x303, mmlist an empty ring. */
uint64_t fake_mm_new(struct fake *f);
uint64_t fake_mm_tree(const struct fake *f, uint64_t mm);  /* &mm->mm_mt */
void fake_mm_set_users(struct fake *f, uint64_t mm, int32_t v);
void fake_mm_set_count(struct fake *f, uint64_t mm, int32_t v);
void fake_mm_set_map_count(struct fake *f, uint64_t mm, int32_t v);
void fake_mm_set_flags(struct fake *f, uint64_t mm, uint64_t flags);
/* Link @mm into init_mm.mmlist. */
void fake_mmlist_add(struct fake *f, uint64_t mm);

/* Give @mm @n VMAs of 3 pages every 16 pages from 0x400000 (in @vmas if
 * not NULL), build its tree and set map_count. */
struct fake_tree *fake_mm_populate(struct fake *f, uint64_t mm, size_t n,
				   const struct fake_tree_opts *opts,
				   uint64_t *vmas);
/* The slot list for VMAs @vmas (NULL gaps included). */
void fake_slots_of_vmas(struct fake *f, const uint64_t *vmas, size_t n,
			struct fake_slots *out);

/*
 * A task. pid == tgid: a new thread group leader on init_task.tasks with
 * its own signal_struct; otherwise a thread added to the group of the
 * leader @tgid (which must exist).
 */
uint64_t fake_task_new(struct fake *f, int32_t pid, int32_t tgid,
		       const char *comm, uint64_t mm, uint32_t flags);
void fake_task_set_exit_state(struct fake *f, uint64_t task, uint32_t v);
void fake_task_set_mm(struct fake *f, uint64_t task, uint64_t mm);
/* The address of task->tasks.next and task->thread_node.next. */
uint64_t fake_task_tasks_next(const struct fake *f, uint64_t task);
uint64_t fake_task_thread_next(const struct fake *f, uint64_t task);
uint64_t fake_task_tasks_entry(const struct fake *f, uint64_t task);

#endif
