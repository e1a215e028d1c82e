/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Type layout: the few questions the core asks about kernel types, and the
 * plain table of numbers it resolves them into.
 *
 * A front end implements struct mml_types_ops over its debug info (DWARF,
 * BTF, crash's gdb). The core owns the list of members it needs
 * (lib/layout.c) and resolves it once with mml_layout_resolve(). The
 * resulting struct mml_layout is plain data: it can be cached per build-id
 * with mml_layout_cache_store() / mml_layout_cache_load().
 */
#ifndef MMLIFE_LAYOUT_H
#define MMLIFE_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

/* Marks a member, size or enumerator this kernel does not have. */
#define MML_ABSENT UINT64_MAX

enum mml_member_kind {
	MML_KIND_OTHER = 0,
	MML_KIND_INT,     /* integer, enum or bool (typedefs resolved) */
	MML_KIND_POINTER,
	MML_KIND_STRUCT,  /* struct or union (typedefs resolved) */
	MML_KIND_ARRAY,
};

struct mml_member_info {
	uint64_t offset;  /* bytes from the start of the outer type */
	uint64_t size;    /* bytes */
	enum mml_member_kind kind;
	uint64_t count;   /* for arrays: number of elements, else 0 */
};

struct mml_types_ops {
	/*
	 * Find @member in struct or union @type (a tag name without the
	 * "struct " prefix). Members of anonymous structs and unions nested
	 * in @type must be found too, with their offset relative to @type.
	 * Returns an MML_ERROR_NOT_FOUND error when either is missing.
	 */
	struct mml_error *(*member)(void *arg, const char *type,
				    const char *member,
				    struct mml_member_info *ret);
	/* sizeof(struct @type). */
	struct mml_error *(*type_size)(void *arg, const char *type,
				       uint64_t *ret);
	/* The value of enumerator @name of enum @enum_type. */
	struct mml_error *(*enumerator)(void *arg, const char *enum_type,
					const char *name, int64_t *ret);
};

struct mml_types {
	const struct mml_types_ops *ops;
	void *arg;
};

/*
 * Every number the core uses, all uint64_t so that the table in lib/layout.c
 * can describe each one. Offsets are in bytes. A field is MML_ABSENT
 * when the kernel does not have it (only optional fields may be absent; see
 * the table in lib/layout.c).
 */
struct mml_layout {
	/* struct list_head */
	uint64_t list_head_next;
	uint64_t list_head_prev;

	/* struct task_struct */
	uint64_t task_struct_size;
	uint64_t task_tasks;
	uint64_t task_pid;
	uint64_t task_tgid;
	uint64_t task_comm;
	uint64_t task_comm_len;
	uint64_t task_mm;
	uint64_t task_active_mm;
	uint64_t task_signal;
	uint64_t task_thread_node;
	uint64_t task_flags;
	uint64_t task_exit_state;
	uint64_t task_state;        /* __state (5.14+) */
	uint64_t task_state_size;

	/* struct signal_struct */
	uint64_t signal_thread_head;

	/* struct mm_struct */
	uint64_t mm_struct_size;
	uint64_t mm_mt;
	uint64_t mm_users;
	uint64_t mm_count;
	uint64_t mm_map_count;
	uint64_t mm_flags;
	uint64_t mm_flags_size;
	uint64_t mm_flags_kind;     /* MML_KIND_STRUCT: mm_flags_t (6.18+) */
	uint64_t mm_mmlist;
	uint64_t mm_owner;          /* CONFIG_MEMCG */
	uint64_t mm_total_vm;

	/* struct maple_tree */
	uint64_t maple_tree_size;
	uint64_t mt_root;
	uint64_t mt_flags;

	/* struct maple_node and its views */
	uint64_t maple_node_size;
	uint64_t mr64_parent;
	uint64_t mr64_pivot;
	uint64_t mr64_pivot_count;
	uint64_t mr64_slot;
	uint64_t mr64_slot_count;
	uint64_t mr64_meta;
	uint64_t ma64_parent;
	uint64_t ma64_pivot;
	uint64_t ma64_pivot_count;
	uint64_t ma64_slot;
	uint64_t ma64_slot_count;
	uint64_t ma64_gap;
	uint64_t ma64_meta;
	uint64_t meta_end;
	uint64_t meta_gap;

	/* enum maple_type */
	uint64_t mt_type_dense;
	uint64_t mt_type_leaf_64;
	uint64_t mt_type_range_64;
	uint64_t mt_type_arange_64;
	uint64_t mt_type_copy;      /* 7.2+ */

	/* struct vm_area_struct */
	uint64_t vma_size;
	uint64_t vma_vm_start;
	uint64_t vma_vm_end;
	uint64_t vma_vm_mm;
	uint64_t vma_vm_flags;
	uint64_t vma_vm_pgoff;
	uint64_t vma_vm_file;
	uint64_t vma_anon_vma;

	/* names of mapped files, for the maps view (all optional) */
	uint64_t file_f_path;
	uint64_t path_dentry;
	uint64_t dentry_d_name;
	uint64_t dentry_d_parent;
	uint64_t qstr_name;
	/* the /proc/PID/maps columns (show_map_vma(); all optional): device
	 * and inode, the path across mounts, [heap] and special mappings */
	uint64_t file_f_inode;
	uint64_t inode_i_ino;
	uint64_t inode_i_sb;
	uint64_t sb_s_dev;
	uint64_t path_mnt;
	uint64_t mount_mnt;          /* struct vfsmount inside struct mount */
	uint64_t mount_mnt_parent;
	uint64_t mount_mnt_mountpoint;
	uint64_t vfsmount_mnt_root;
	uint64_t mm_brk;
	uint64_t vma_vm_ops;
	uint64_t vma_vm_private_data;
	uint64_t special_mapping_name;

	/* verdicts (all optional) */
	uint64_t uts_ns_name;
	uint64_t utsname_release;
	uint64_t utsname_release_len;
	uint64_t utsname_version;
	uint64_t utsname_version_len;
	uint64_t unmap_desc_size;   /* struct unmap_desc: 7.0+ */

	/* the printk ring buffer (all optional) */
	uint64_t prb_desc_ring;
	uint64_t prb_text_data_ring;
	uint64_t prb_dr_count_bits;
	uint64_t prb_dr_descs;
	uint64_t prb_dr_infos;
	uint64_t prb_dr_head_id;
	uint64_t prb_dr_tail_id;
	uint64_t prb_data_size_bits;
	uint64_t prb_data_data;
	uint64_t prb_desc_size;
	uint64_t prb_desc_state_var;
	uint64_t prb_desc_text_blk_lpos;
	uint64_t prb_lpos_begin;
	uint64_t prb_lpos_next;
	uint64_t printk_info_size;
	uint64_t printk_info_seq;
	uint64_t printk_info_ts_nsec;
	uint64_t printk_info_text_len;
	uint64_t printk_info_caller_id;

	/* SLUB and the memmap, for the deep scan (lib/slab.c; all optional).
	 * page_compound_head is <= 7.0, page_compound_info 7.x; pg_slab is
	 * <= 6.9, pgty_slab 6.12+; cpu_slab/node/kcc_* <= 6.x, the sheaves
	 * and per_node 7.x. */
	uint64_t page_struct_size;
	uint64_t page_flags;
	uint64_t page_compound_head;
	uint64_t page_compound_info;
	uint64_t pg_slab;
	uint64_t pgty_slab;
	uint64_t page_type;
	uint64_t slab_cache;
	uint64_t slab_list;
	uint64_t slab_next;
	uint64_t slab_freelist;
	uint64_t slab_counters;
	uint64_t kc_name;
	uint64_t kc_list;
	uint64_t kc_size;
	uint64_t kc_object_size;
	uint64_t kc_offset;
	uint64_t kc_random;
	uint64_t kc_red_left_pad;
	uint64_t kc_cpu_slab;
	uint64_t kc_node;
	uint64_t kc_node_count;
	uint64_t kc_cpu_sheaves;
	uint64_t kc_per_node;
	uint64_t kc_per_node_count;
	uint64_t kpn_size;
	uint64_t kpn_node;
	uint64_t kpn_barn;
	uint64_t kcc_freelist;
	uint64_t kcc_slab;
	uint64_t kcc_partial;
	uint64_t kcn_partial;
	uint64_t kcn_nr_slabs;          /* CONFIG_SLUB_DEBUG counters */
	uint64_t kcn_total_objects;
	uint64_t pcs_main;
	uint64_t pcs_spare;
	uint64_t pcs_rcu_free;
	uint64_t sheaf_barn_list;
	uint64_t sheaf_size;
	uint64_t sheaf_objects;
	uint64_t barn_sheaves_full;
	uint64_t barn_sheaves_empty;
	/* an exec image's addresses, copied by dup_mm() (all optional) */
	uint64_t mm_start_stack;
	uint64_t mm_arg_start;
	uint64_t mm_env_start;
	uint64_t mm_start_brk;
	uint64_t mm_binfmt;          /* NULL after dup_mm() failed */
	/* struct rq: each CPU's idle and current task (lazy-TLB evidence) */
	uint64_t rq_curr;
	uint64_t rq_idle;
};

/*
 * Resolve every entry of the core's member table through @types. Missing
 * optional members are recorded as MML_ABSENT; a missing required member
 * fails with MML_ERROR_UNSUPPORTED naming all that are missing.
 */
struct mml_error *mml_layout_resolve(const struct mml_types *types,
				     struct mml_layout *ret);

/*
 * Write the layout of the kernel of @build_id (lower-case hex; NULL for
 * none) as the per-build-id cache holds it: a version, the build-id, a
 * fingerprint of the core's member table, "name value" lines and a
 * checksum (lib/layout.c).
 */
struct mml_error *mml_layout_save_keyed(const struct mml_layout *layout,
					const char *build_id, FILE *file);
/*
 * Read what mml_layout_save_keyed() wrote; fails on anything unexpected:
 * another version or table, another build-id (unless @build_id is NULL),
 * a checksum that does not match, a field missing, repeated or out of
 * range. @ret is written only on success.
 */
struct mml_error *mml_layout_load_keyed(FILE *file, const char *build_id,
					struct mml_layout *ret);
/* The same for no build-id in particular. */
struct mml_error *mml_layout_save(const struct mml_layout *layout,
				  FILE *file);
struct mml_error *mml_layout_load(FILE *file, struct mml_layout *ret);

/*
 * The per-user cache of layouts and symbol memos, shared by the CLI and
 * the crash extension: ${XDG_CACHE_HOME:-~/.cache}/mmlife/layouts/, one
 * file BUILDID.SUFFIX per kernel build and source (lib/layout_cache.c).
 * The directory (caller frees), or NULL when neither variable is set.
 */
char *mml_cache_dir(void);
/* The file BUILDID.SUFFIX in @dir opened for reading, or NULL. */
FILE *mml_cache_open(const char *dir, const char *build_id,
		     const char *suffix);
/* Write it with @write into a temporary file renamed into place. */
struct mml_error *mml_cache_write(const char *dir, const char *build_id,
				  const char *suffix,
				  struct mml_error *(*write)(FILE *f,
							     const void *arg),
				  const void *arg);
/* The layout cached for (@build_id, @source); *hit_ret false on a miss,
 * which includes a file that does not load (mml_layout_load_keyed()). */
struct mml_error *mml_layout_cache_load(const char *dir, const char *build_id,
					const char *source,
					struct mml_layout *ret, bool *hit_ret);
/* Store it (atomically: a temporary file, renamed). */
struct mml_error *mml_layout_cache_store(const char *dir, const char *build_id,
					 const char *source,
					 const struct mml_layout *layout);

/* Iterate the table: name of field @i, or NULL past the end. */
const char *mml_layout_field_name(size_t i, uint64_t **field_ret,
				  struct mml_layout *layout);

#endif /* MMLIFE_LAYOUT_H */
