// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The one table of every type fact the core needs, and its resolution
 * through a front end's mml_types. Adding a field is one line here plus the
 * field in struct mml_layout.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"
#include "mmlife/layout.h"

enum layout_what {
	L_OFFSET,  /* offset of type.member */
	L_MSIZE,   /* size of type.member */
	L_COUNT,   /* element count of the array type.member */
	L_KIND,    /* enum mml_member_kind of type.member */
	L_SIZE,    /* sizeof(struct type) */
	L_ENUM,    /* value of enumerator member of enum type */
};

struct layout_entry {
	const char *name;
	enum layout_what what;
	const char *type;
	const char *member;
	size_t field;
	bool required;
	/* The member's name in kernels that renamed it, or NULL. */
	const char *alt_member;
};

#define E(f, what, type, member, req)                                          \
	{ #f, what, type, member, offsetof(struct mml_layout, f), req, NULL }
/* A member the kernel may rename: tried by @member, then by @alt. */
#define E_ALT(f, what, type, member, alt, req)                                 \
	{ #f, what, type, member, offsetof(struct mml_layout, f), req, alt }
#define REQ true
#define OPT false

static const struct layout_entry layout_table[] = {
	E(list_head_next, L_OFFSET, "list_head", "next", REQ),
	E(list_head_prev, L_OFFSET, "list_head", "prev", REQ),

	E(task_struct_size, L_SIZE, "task_struct", NULL, REQ),
	E(task_tasks, L_OFFSET, "task_struct", "tasks", REQ),
	E(task_pid, L_OFFSET, "task_struct", "pid", REQ),
	E(task_tgid, L_OFFSET, "task_struct", "tgid", REQ),
	E(task_comm, L_OFFSET, "task_struct", "comm", REQ),
	E(task_comm_len, L_MSIZE, "task_struct", "comm", REQ),
	E(task_mm, L_OFFSET, "task_struct", "mm", REQ),
	E(task_active_mm, L_OFFSET, "task_struct", "active_mm", OPT),
	E(task_signal, L_OFFSET, "task_struct", "signal", REQ),
	E(task_thread_node, L_OFFSET, "task_struct", "thread_node", REQ),
	E(task_flags, L_OFFSET, "task_struct", "flags", REQ),
	E(task_exit_state, L_OFFSET, "task_struct", "exit_state", REQ),
	E(task_state, L_OFFSET, "task_struct", "__state", OPT),
	E(task_state_size, L_MSIZE, "task_struct", "__state", OPT),

	E(signal_thread_head, L_OFFSET, "signal_struct", "thread_head", REQ),

	E(mm_struct_size, L_SIZE, "mm_struct", NULL, REQ),
	E(mm_mt, L_OFFSET, "mm_struct", "mm_mt", REQ),
	E(mm_users, L_OFFSET, "mm_struct", "mm_users", REQ),
	E(mm_count, L_OFFSET, "mm_struct", "mm_count", REQ),
	/* "mm: rename mm_struct::map_count to vma_count" (Kalesh Singh, v4
	 * 2025-10-28, not in mainline when this was written):
	 * https://lore.kernel.org/all/?q=%22mm%3A+rename+mm_struct%3A%3Amap_count+to+vma_count%22 */
	E_ALT(mm_map_count, L_OFFSET, "mm_struct", "map_count", "vma_count",
	      REQ),
	E(mm_flags, L_OFFSET, "mm_struct", "flags", REQ),
	E(mm_flags_size, L_MSIZE, "mm_struct", "flags", REQ),
	E(mm_flags_kind, L_KIND, "mm_struct", "flags", REQ),
	E(mm_mmlist, L_OFFSET, "mm_struct", "mmlist", OPT),
	E(mm_owner, L_OFFSET, "mm_struct", "owner", OPT),
	E(mm_total_vm, L_OFFSET, "mm_struct", "total_vm", OPT),

	E(maple_tree_size, L_SIZE, "maple_tree", NULL, REQ),
	E(mt_root, L_OFFSET, "maple_tree", "ma_root", REQ),
	E(mt_flags, L_OFFSET, "maple_tree", "ma_flags", REQ),

	E(maple_node_size, L_SIZE, "maple_node", NULL, REQ),
	E(mr64_parent, L_OFFSET, "maple_range_64", "parent", REQ),
	E(mr64_pivot, L_OFFSET, "maple_range_64", "pivot", REQ),
	E(mr64_pivot_count, L_COUNT, "maple_range_64", "pivot", REQ),
	E(mr64_slot, L_OFFSET, "maple_range_64", "slot", REQ),
	E(mr64_slot_count, L_COUNT, "maple_range_64", "slot", REQ),
	E(mr64_meta, L_OFFSET, "maple_range_64", "meta", REQ),
	E(ma64_parent, L_OFFSET, "maple_arange_64", "parent", REQ),
	E(ma64_pivot, L_OFFSET, "maple_arange_64", "pivot", REQ),
	E(ma64_pivot_count, L_COUNT, "maple_arange_64", "pivot", REQ),
	E(ma64_slot, L_OFFSET, "maple_arange_64", "slot", REQ),
	E(ma64_slot_count, L_COUNT, "maple_arange_64", "slot", REQ),
	E(ma64_gap, L_OFFSET, "maple_arange_64", "gap", REQ),
	E(ma64_meta, L_OFFSET, "maple_arange_64", "meta", REQ),
	E(meta_end, L_OFFSET, "maple_metadata", "end", REQ),
	E(meta_gap, L_OFFSET, "maple_metadata", "gap", REQ),

	E(mt_type_dense, L_ENUM, "maple_type", "maple_dense", REQ),
	E(mt_type_leaf_64, L_ENUM, "maple_type", "maple_leaf_64", REQ),
	E(mt_type_range_64, L_ENUM, "maple_type", "maple_range_64", REQ),
	E(mt_type_arange_64, L_ENUM, "maple_type", "maple_arange_64", REQ),
	E(mt_type_copy, L_ENUM, "maple_type", "maple_copy", OPT),

	E(vma_size, L_SIZE, "vm_area_struct", NULL, REQ),
	E(vma_vm_start, L_OFFSET, "vm_area_struct", "vm_start", REQ),
	E(vma_vm_end, L_OFFSET, "vm_area_struct", "vm_end", REQ),
	E(vma_vm_mm, L_OFFSET, "vm_area_struct", "vm_mm", REQ),
	E(vma_vm_flags, L_OFFSET, "vm_area_struct", "vm_flags", REQ),
	E(vma_vm_pgoff, L_OFFSET, "vm_area_struct", "vm_pgoff", OPT),
	E(vma_vm_file, L_OFFSET, "vm_area_struct", "vm_file", OPT),
	E(vma_anon_vma, L_OFFSET, "vm_area_struct", "anon_vma", OPT),

	E(file_f_path, L_OFFSET, "file", "f_path", OPT),
	E(path_dentry, L_OFFSET, "path", "dentry", OPT),
	E(dentry_d_name, L_OFFSET, "dentry", "d_name", OPT),
	E(dentry_d_parent, L_OFFSET, "dentry", "d_parent", OPT),
	E(qstr_name, L_OFFSET, "qstr", "name", OPT),
	E(file_f_inode, L_OFFSET, "file", "f_inode", OPT),
	E(inode_i_ino, L_OFFSET, "inode", "i_ino", OPT),
	E(inode_i_sb, L_OFFSET, "inode", "i_sb", OPT),
	E(sb_s_dev, L_OFFSET, "super_block", "s_dev", OPT),
	E(path_mnt, L_OFFSET, "path", "mnt", OPT),
	E(mount_mnt, L_OFFSET, "mount", "mnt", OPT),
	E(mount_mnt_parent, L_OFFSET, "mount", "mnt_parent", OPT),
	E(mount_mnt_mountpoint, L_OFFSET, "mount", "mnt_mountpoint", OPT),
	E(vfsmount_mnt_root, L_OFFSET, "vfsmount", "mnt_root", OPT),
	E(mm_brk, L_OFFSET, "mm_struct", "brk", OPT),
	E(vma_vm_ops, L_OFFSET, "vm_area_struct", "vm_ops", OPT),
	E(vma_vm_private_data, L_OFFSET, "vm_area_struct", "vm_private_data", OPT),
	E(special_mapping_name, L_OFFSET, "vm_special_mapping", "name", OPT),

	/* verdicts: the release string and fix fingerprints (lib/verdict.c) */
	E(uts_ns_name, L_OFFSET, "uts_namespace", "name", OPT),
	E(utsname_release, L_OFFSET, "new_utsname", "release", OPT),
	E(utsname_release_len, L_MSIZE, "new_utsname", "release", OPT),
	E(utsname_version, L_OFFSET, "new_utsname", "version", OPT),
	E(utsname_version_len, L_MSIZE, "new_utsname", "version", OPT),
	E(unmap_desc_size, L_SIZE, "unmap_desc", NULL, OPT),  /* 7.0+ */

	/* the printk ring buffer, 5.10+ (lib/printk.c) */
	E(prb_desc_ring, L_OFFSET, "printk_ringbuffer", "desc_ring", OPT),
	E(prb_text_data_ring, L_OFFSET, "printk_ringbuffer", "text_data_ring",
	  OPT),
	E(prb_dr_count_bits, L_OFFSET, "prb_desc_ring", "count_bits", OPT),
	E(prb_dr_descs, L_OFFSET, "prb_desc_ring", "descs", OPT),
	E(prb_dr_infos, L_OFFSET, "prb_desc_ring", "infos", OPT),
	E(prb_dr_head_id, L_OFFSET, "prb_desc_ring", "head_id", OPT),
	E(prb_dr_tail_id, L_OFFSET, "prb_desc_ring", "tail_id", OPT),
	E(prb_data_size_bits, L_OFFSET, "prb_data_ring", "size_bits", OPT),
	E(prb_data_data, L_OFFSET, "prb_data_ring", "data", OPT),
	E(prb_desc_size, L_SIZE, "prb_desc", NULL, OPT),
	E(prb_desc_state_var, L_OFFSET, "prb_desc", "state_var", OPT),
	E(prb_desc_text_blk_lpos, L_OFFSET, "prb_desc", "text_blk_lpos", OPT),
	E(prb_lpos_begin, L_OFFSET, "prb_data_blk_lpos", "begin", OPT),
	E(prb_lpos_next, L_OFFSET, "prb_data_blk_lpos", "next", OPT),
	E(printk_info_size, L_SIZE, "printk_info", NULL, OPT),
	E(printk_info_seq, L_OFFSET, "printk_info", "seq", OPT),
	E(printk_info_ts_nsec, L_OFFSET, "printk_info", "ts_nsec", OPT),
	E(printk_info_text_len, L_OFFSET, "printk_info", "text_len", OPT),
	E(printk_info_caller_id, L_OFFSET, "printk_info", "caller_id", OPT),

	E(page_struct_size, L_SIZE, "page", NULL, OPT),
	E(page_flags, L_OFFSET, "page", "flags", OPT),
	E(page_compound_head, L_OFFSET, "page", "compound_head", OPT),
	E(page_compound_info, L_OFFSET, "page", "compound_info", OPT),
	E(pg_slab, L_ENUM, "pageflags", "PG_slab", OPT),
	E(pgty_slab, L_ENUM, "pagetype", "PGTY_slab", OPT),
	E(page_type, L_OFFSET, "page", "page_type", OPT),
	E(slab_cache, L_OFFSET, "slab", "slab_cache", OPT),
	E(slab_list, L_OFFSET, "slab", "slab_list", OPT),
	E(slab_next, L_OFFSET, "slab", "next", OPT),
	E(slab_freelist, L_OFFSET, "slab", "freelist", OPT),
	E(slab_counters, L_OFFSET, "slab", "counters", OPT),
	E(kc_name, L_OFFSET, "kmem_cache", "name", OPT),
	E(kc_list, L_OFFSET, "kmem_cache", "list", OPT),
	E(kc_size, L_OFFSET, "kmem_cache", "size", OPT),
	E(kc_object_size, L_OFFSET, "kmem_cache", "object_size", OPT),
	E(kc_offset, L_OFFSET, "kmem_cache", "offset", OPT),
	E(kc_random, L_OFFSET, "kmem_cache", "random", OPT),
	E(kc_red_left_pad, L_OFFSET, "kmem_cache", "red_left_pad", OPT),
	E(kc_cpu_slab, L_OFFSET, "kmem_cache", "cpu_slab", OPT),
	E(kc_node, L_OFFSET, "kmem_cache", "node", OPT),
	E(kc_node_count, L_COUNT, "kmem_cache", "node", OPT),
	E(kc_cpu_sheaves, L_OFFSET, "kmem_cache", "cpu_sheaves", OPT),
	E(kc_per_node, L_OFFSET, "kmem_cache", "per_node", OPT),
	E(kc_per_node_count, L_COUNT, "kmem_cache", "per_node", OPT),
	E(kpn_size, L_SIZE, "kmem_cache_per_node_ptrs", NULL, OPT),
	E(kpn_node, L_OFFSET, "kmem_cache_per_node_ptrs", "node", OPT),
	E(kpn_barn, L_OFFSET, "kmem_cache_per_node_ptrs", "barn", OPT),
	E(kcc_freelist, L_OFFSET, "kmem_cache_cpu", "freelist", OPT),
	E(kcc_slab, L_OFFSET, "kmem_cache_cpu", "slab", OPT),
	E(kcc_partial, L_OFFSET, "kmem_cache_cpu", "partial", OPT),
	E(kcn_partial, L_OFFSET, "kmem_cache_node", "partial", OPT),
	/* atomic_long_t: the counter is the struct's only member. */
	E(kcn_nr_slabs, L_OFFSET, "kmem_cache_node", "nr_slabs", OPT),
	E(kcn_total_objects, L_OFFSET, "kmem_cache_node", "total_objects",
	  OPT),
	E(pcs_main, L_OFFSET, "slub_percpu_sheaves", "main", OPT),
	E(pcs_spare, L_OFFSET, "slub_percpu_sheaves", "spare", OPT),
	E(pcs_rcu_free, L_OFFSET, "slub_percpu_sheaves", "rcu_free", OPT),
	E(sheaf_barn_list, L_OFFSET, "slab_sheaf", "barn_list", OPT),
	E(sheaf_size, L_OFFSET, "slab_sheaf", "size", OPT),
	E(sheaf_objects, L_OFFSET, "slab_sheaf", "objects", OPT),
	E(barn_sheaves_full, L_OFFSET, "node_barn", "sheaves_full", OPT),
	E(barn_sheaves_empty, L_OFFSET, "node_barn", "sheaves_empty", OPT),
	E(mm_start_stack, L_OFFSET, "mm_struct", "start_stack", OPT),
	E(mm_arg_start, L_OFFSET, "mm_struct", "arg_start", OPT),
	E(mm_env_start, L_OFFSET, "mm_struct", "env_start", OPT),
	E(mm_start_brk, L_OFFSET, "mm_struct", "start_brk", OPT),
	E(mm_binfmt, L_OFFSET, "mm_struct", "binfmt", OPT),
	E(rq_curr, L_OFFSET, "rq", "curr", OPT),
	E(rq_idle, L_OFFSET, "rq", "idle", OPT),
};

#define LAYOUT_ENTRIES (sizeof(layout_table) / sizeof(layout_table[0]))

static uint64_t *layout_field(struct mml_layout *layout,
			      const struct layout_entry *e)
{
	return (uint64_t *)((char *)layout + e->field);
}

static struct mml_error *layout_resolve_one(const struct mml_types *types,
					    const struct layout_entry *e,
					    uint64_t *ret)
{
	struct mml_error *err;
	struct mml_member_info info;
	int64_t value;

	switch (e->what) {
	case L_SIZE:
		return types->ops->type_size(types->arg, e->type, ret);
	case L_ENUM:
		err = types->ops->enumerator(types->arg, e->type, e->member,
					     &value);
		if (!err)
			*ret = (uint64_t)value;
		return err;
	default:
		break;
	}
	err = types->ops->member(types->arg, e->type, e->member, &info);
	if (err && err->code == MML_ERROR_NOT_FOUND && e->alt_member) {
		mml_error_destroy(err);
		err = types->ops->member(types->arg, e->type, e->alt_member,
					 &info);
	}
	if (err)
		return err;
	switch (e->what) {
	case L_OFFSET:
		*ret = info.offset;
		break;
	case L_MSIZE:
		*ret = info.size;
		break;
	case L_KIND:
		*ret = info.kind;
		break;
	case L_COUNT:
		if (info.kind != MML_KIND_ARRAY || !info.count)
			return mml_error_create(MML_ERROR_UNSUPPORTED,
						"%s.%s is not a sized array",
						e->type, e->member);
		*ret = info.count;
		break;
	default:
		break;
	}
	return NULL;
}

/* Sanity rules that no correct kernel breaks and a wrong vmlinux might. */
static struct mml_error *layout_validate(const struct mml_layout *l)
{
	if (l->mr64_slot_count < 2 || l->mr64_slot_count > 64 ||
	    l->mr64_pivot_count + 1 != l->mr64_slot_count ||
	    l->ma64_slot_count < 2 || l->ma64_slot_count > 64 ||
	    l->ma64_pivot_count + 1 != l->ma64_slot_count)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"maple node geometry not understood "
					"(range_64 %" PRIu64 "/%" PRIu64
					", arange_64 %" PRIu64 "/%" PRIu64 ")",
					l->mr64_slot_count, l->mr64_pivot_count,
					l->ma64_slot_count, l->ma64_pivot_count);
	if (l->maple_node_size < 64 || l->maple_node_size > 4096 ||
	    (l->maple_node_size & (l->maple_node_size - 1)))
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"sizeof(struct maple_node) = %" PRIu64
					" is not a power of two",
					l->maple_node_size);
	if (l->task_comm_len == 0 || l->task_comm_len > 64)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"task_struct.comm has size %" PRIu64,
					l->task_comm_len);
	return NULL;
}

struct mml_error *mml_layout_resolve(const struct mml_types *types,
				     struct mml_layout *ret)
{
	char missing[1024] = "";
	size_t nmissing = 0;

	for (size_t i = 0; i < LAYOUT_ENTRIES; i++) {
		const struct layout_entry *e = &layout_table[i];
		uint64_t value = MML_ABSENT;
		struct mml_error *err = layout_resolve_one(types, e, &value);
		if (err) {
			if (err->code != MML_ERROR_NOT_FOUND || e->required) {
				if (err->code != MML_ERROR_NOT_FOUND) {
					/* Anything but "missing" is fatal. */
					return mml_error_wrap(err, "%s", e->name);
				}
				size_t len = strlen(missing);
				snprintf(missing + len, sizeof(missing) - len,
					 "%s%s%s%s%s%s", nmissing ? ", " : "",
					 e->type, e->member ? "." : "",
					 e->member ? e->member : "",
					 e->alt_member ? " or " : "",
					 e->alt_member ? e->alt_member : "");
				nmissing++;
			}
			mml_error_destroy(err);
			value = MML_ABSENT;
		}
		*layout_field(ret, e) = value;
	}
	if (nmissing)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"kernel types lack what mmlife needs "
					"(%s); a kernel before 6.1 has no "
					"maple tree", missing);
	return layout_validate(ret);
}

const char *mml_layout_field_name(size_t i, uint64_t **field_ret,
				  struct mml_layout *layout)
{
	if (i >= LAYOUT_ENTRIES)
		return NULL;
	if (field_ret)
		*field_ret = layout_field(layout, &layout_table[i]);
	return layout_table[i].name;
}

/*
 * The cache file (the layout of one kernel build, written once and read by
 * every later run, CLI or crash extension):
 *
 *   mmlife-layout 2
 *   build-id HEX            the kernel it was resolved for, or "-"
 *   table HEX               fingerprint of layout_table[] below
 *   NAME VALUE|absent       one line per table entry, in table order
 *   checksum HEX            FNV-1a 64 of every byte before this line
 *
 * A reader trusts none of it: another build's file, a table of another
 * mmlife (a field that kept its name but changed its member), a torn or
 * damaged file each fail the load, and the caller resolves afresh.
 */
#define LAYOUT_MAGIC "mmlife-layout 2"
#define LAYOUT_MAX_BYTES 65536

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}
#define FNV_BASIS 0xcbf29ce484222325ULL

static uint64_t fnv1a_str(uint64_t h, const char *s)
{
	/* The NUL too, so that ("ab", "c") and ("a", "bc") differ. */
	return fnv1a(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* What each entry means, not only its name: a changed member, kind or
 * requirement makes an old file a miss. */
static uint64_t layout_table_hash(void)
{
	uint64_t h = FNV_BASIS;
	for (size_t i = 0; i < LAYOUT_ENTRIES; i++) {
		const struct layout_entry *e = &layout_table[i];
		unsigned char what = e->what, req = e->required;
		h = fnv1a_str(h, e->name);
		h = fnv1a(h, &what, 1);
		h = fnv1a_str(h, e->type);
		h = fnv1a_str(h, e->member);
		h = fnv1a_str(h, e->alt_member);
		h = fnv1a(h, &req, 1);
	}
	return h;
}

/* A build-id as a cache key and file line: lower-case hex, bounded. */
static bool layout_build_id_ok(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]) ||
		    isupper((unsigned char)s[n]))
			return false;
	return n > 0 && n <= 128;
}

struct mml_error *mml_layout_save_keyed(const struct mml_layout *layout,
					const char *build_id, FILE *file)
{
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	if (build_id && !layout_build_id_ok(build_id))
		return mml_error_create(MML_ERROR_USAGE, "bad build-id %s",
					build_id);
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		return &mml_enomem;
	fprintf(mem, "%s\nbuild-id %s\ntable %016" PRIx64 "\n", LAYOUT_MAGIC,
		build_id ? build_id : "-", layout_table_hash());
	for (size_t i = 0; i < LAYOUT_ENTRIES; i++) {
		uint64_t v = *layout_field((struct mml_layout *)layout,
					   &layout_table[i]);
		if (v == MML_ABSENT)
			fprintf(mem, "%s absent\n", layout_table[i].name);
		else
			fprintf(mem, "%s %" PRIu64 "\n", layout_table[i].name,
				v);
	}
	if (fclose(mem) || !text)
		return &mml_enomem;
	fwrite(text, 1, len, file);
	fprintf(file, "checksum %016" PRIx64 "\n", fnv1a(FNV_BASIS, text, len));
	if (fflush(file) || ferror(file))
		return mml_error_create(MML_ERROR_OS, "writing layout failed");
	return NULL;
}

struct mml_error *mml_layout_save(const struct mml_layout *layout, FILE *file)
{
	return mml_layout_save_keyed(layout, NULL, file);
}

/* The whole file, NUL-terminated; a file with a NUL or over the bound
 * is not a layout. */
static struct mml_error *layout_read_all(FILE *file, char **ret, size_t *len)
{
	_cleanup_free_ char *buf = malloc(LAYOUT_MAX_BYTES + 1);
	if (!buf)
		return &mml_enomem;
	size_t n = fread(buf, 1, LAYOUT_MAX_BYTES + 1, file);
	if (ferror(file))
		return mml_error_create(MML_ERROR_OS, "reading layout failed");
	if (n > LAYOUT_MAX_BYTES || memchr(buf, '\0', n))
		return mml_error_create(MML_ERROR_INPUT,
					"not an mmlife layout file");
	buf[n] = '\0';
	*len = n;
	*ret = no_cleanup_ptr(buf);
	return NULL;
}

/* Cut the closing "checksum HEX" line off @text after checking it. */
static struct mml_error *layout_check_sum(char *text, size_t len)
{
	char *last;
	if (len < 2 || text[len - 1] != '\n')
		return mml_error_create(MML_ERROR_INPUT,
					"layout file is incomplete");
	text[len - 1] = '\0';
	last = strrchr(text, '\n');
	last = last ? last + 1 : text;
	char hex[17];
	uint64_t want;
	int used = 0;
	if (sscanf(last, "checksum %16[0-9a-f]%n", hex, &used) != 1 ||
	    last[used] != '\0' || strlen(hex) != 16)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file has no checksum");
	want = strtoull(hex, NULL, 16);
	if (fnv1a(FNV_BASIS, text, (size_t)(last - text)) != want)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file checksum does not match");
	*last = '\0';
	return NULL;
}

/* The three header lines; *@rest_ret points past them. */
static struct mml_error *layout_check_header(char *text,
					     const char *build_id,
					     char **rest_ret)
{
	char want[256];
	int n = snprintf(want, sizeof(want), "%s\nbuild-id ", LAYOUT_MAGIC);
	if (strncmp(text, want, (size_t)n) != 0)
		return mml_error_create(MML_ERROR_INPUT,
					"not an mmlife layout file (version 2)");
	char *id = text + n, *eol = strchr(id, '\n');
	if (!eol)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file is incomplete");
	*eol = '\0';
	if (build_id && strcmp(id, build_id) != 0)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file is of build-id %s, not %s",
					id, build_id);
	char *table = eol + 1;
	snprintf(want, sizeof(want), "table %016" PRIx64 "\n",
		 layout_table_hash());
	if (strncmp(table, want, strlen(want)) != 0)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file is of another mmlife's "
					"table");
	*rest_ret = table + strlen(want);
	return NULL;
}

/* One "name value" line into @ret. */
static struct mml_error *layout_parse_line(const char *line,
					   struct mml_layout *ret, bool *seen)
{
	char name[128], value[64];
	if (sscanf(line, "%127s %63s", name, value) != 2)
		return mml_error_create(MML_ERROR_INPUT, "bad layout line: %s",
					line);
	size_t i;
	for (i = 0; i < LAYOUT_ENTRIES; i++)
		if (!strcmp(layout_table[i].name, name))
			break;
	if (i == LAYOUT_ENTRIES || seen[i])
		return mml_error_create(MML_ERROR_INPUT,
					"unknown or repeated layout field %s",
					name);
	uint64_t v = MML_ABSENT;
	if (strcmp(value, "absent") != 0) {
		char *end;
		errno = 0;
		v = strtoull(value, &end, 10);
		/* Digits only (strtoull() takes a sign), no overflow, and
		 * never MML_ABSENT spelt as a number. */
		if (*end || !isdigit((unsigned char)value[0]) ||
		    errno == ERANGE || v == MML_ABSENT)
			return mml_error_create(MML_ERROR_INPUT,
						"bad value for %s", name);
	} else if (layout_table[i].required) {
		return mml_error_create(MML_ERROR_INPUT,
					"required field %s absent", name);
	}
	*layout_field(ret, &layout_table[i]) = v;
	seen[i] = true;
	return NULL;
}

struct mml_error *mml_layout_load_keyed(FILE *file, const char *build_id,
					struct mml_layout *ret)
{
	_cleanup_free_ char *text = NULL;
	bool seen[LAYOUT_ENTRIES] = { false };
	size_t len = 0, nseen = 0;
	char *line = NULL;
	struct mml_layout l;

	struct mml_error *err = layout_read_all(file, &text, &len);
	if (!err)
		err = layout_check_sum(text, len);
	if (!err)
		err = layout_check_header(text, build_id, &line);
	while (!err && *line) {
		char *eol = strchr(line, '\n');
		if (!eol)
			return mml_error_create(MML_ERROR_INPUT,
						"layout file is incomplete");
		*eol = '\0';
		err = layout_parse_line(line, &l, seen);
		nseen++;
		line = eol + 1;
	}
	if (err)
		return err;
	if (nseen != LAYOUT_ENTRIES)
		return mml_error_create(MML_ERROR_INPUT,
					"layout file is incomplete (%zu of %zu "
					"fields)", nseen, LAYOUT_ENTRIES);
	err = layout_validate(&l);
	if (!err)
		*ret = l;
	return err;
}

struct mml_error *mml_layout_load(FILE *file, struct mml_layout *ret)
{
	return mml_layout_load_keyed(file, NULL, ret);
}
