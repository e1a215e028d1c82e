// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The device, inode and name columns of a /proc/PID/maps line, by the
 * rules of the kernel's show_map_vma() (fs/proc/task_mmu.c, 6.1 to 7.x):
 *   - a VMA with a file: the file's inode's i_sb->s_dev and i_ino, and
 *     its path (d_path(): dentries up to the mount's root, then on through
 *     the mount point of each parent mount);
 *   - else the name vm_ops->name() gives: for special mappings ([vdso],
 *     [vvar], [uprobes], ...) the vm_special_mapping's name;
 *   - else [heap] when vm_start <= mm->brk and vm_end >= mm->start_brk,
 *     [stack] when the VMA holds mm->start_stack;
 *   - else nothing.
 * Not done: prctl(PR_SET_VMA) names ([anon:...], [anon_shmem:...]), the
 * " (deleted)" suffix of an unlinked file, d_dname() names (memfd,
 * /dev/zero shared memory), file_user_inode() of backing files.
 */
#include <string.h>

#include "internal.h"
#include "mm.h"

#define MAPS_PATH_DEPTH 256   /* path components followed at most */

static bool rd(struct mml_ctx *ctx, uint64_t addr, uint64_t *ret)
{
	struct mml_error *err = mml_ctx_read_u64(ctx, addr, ret);
	if (err) {
		mml_error_destroy(err);
		return false;
	}
	return true;
}

/* A NUL-terminated kernel string at @addr into @out (up to its page's
 * end), non-printable bytes as '?'. */
static bool read_cstr(struct mml_ctx *ctx, uint64_t addr, char *out,
		      size_t size)
{
	uint64_t ps = ctx->target.page_size;
	size_t n = ps - (addr & (ps - 1));
	uint64_t fault;
	if (n > size - 1)
		n = size - 1;
	out[0] = '\0';
	if (!addr || mml_ctx_read(ctx, addr, out, n, &fault) != MML_READ_OK) {
		out[0] = '\0';
		return false;
	}
	out[n] = '\0';
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
	return true;
}

static bool dentry_name(struct mml_ctx *ctx, uint64_t dentry, char *out,
			size_t size)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t name;
	return rd(ctx, dentry + l->dentry_d_name + l->qstr_name, &name) &&
	       read_cstr(ctx, name, out, size);
}

/* Prepend "/@name" to the path ending at out[size - 1]; *pos moves. */
static bool prepend(char *out, size_t *pos, const char *name)
{
	size_t n = strlen(name);
	if (n + 1 > *pos)
		return false;
	*pos -= n;
	memcpy(out + *pos, name, n);
	out[--*pos] = '/';
	return true;
}

static bool mounts_known(const struct mml_layout *l)
{
	return l->path_mnt != MML_ABSENT && l->mount_mnt != MML_ABSENT &&
	       l->mount_mnt_parent != MML_ABSENT &&
	       l->mount_mnt_mountpoint != MML_ABSENT &&
	       l->vfsmount_mnt_root != MML_ABSENT;
}

/* One step up from @dentry in @vfsmnt (crossing to the parent mount at
 * a mount's root); false at the global root or on a read error. */
static bool path_up(struct mml_ctx *ctx, uint64_t *dentry, uint64_t *vfsmnt)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t root, parent, mnt;
	if (*vfsmnt && rd(ctx, *vfsmnt + l->vfsmount_mnt_root, &root) &&
	    root == *dentry) {
		mnt = *vfsmnt - l->mount_mnt;
		if (!rd(ctx, mnt + l->mount_mnt_parent, &parent) ||
		    parent == mnt ||
		    !rd(ctx, mnt + l->mount_mnt_mountpoint, dentry))
			return false;
		*vfsmnt = parent + l->mount_mnt;
		return true;
	}
	return false;
}

/* d_path() of @file into @out, or "" (best effort). */
static void file_path(struct mml_ctx *ctx, uint64_t file, char *out,
		      size_t size)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t dentry, vfsmnt = 0, parent;
	char name[256], buf[1024];
	size_t pos = sizeof(buf) - 1;
	buf[pos] = '\0';
	out[0] = '\0';
	if (!rd(ctx, file + l->file_f_path + l->path_dentry, &dentry))
		return;
	if (mounts_known(l) &&
	    !rd(ctx, file + l->file_f_path + l->path_mnt, &vfsmnt))
		vfsmnt = 0;
	for (int i = 0; i < MAPS_PATH_DEPTH; i++) {
		if (path_up(ctx, &dentry, &vfsmnt))
			continue;
		if (!rd(ctx, dentry + l->dentry_d_parent, &parent) ||
		    parent == dentry)
			break;
		if (!dentry_name(ctx, dentry, name, sizeof(name)) ||
		    !prepend(buf, &pos, name))
			break;
		dentry = parent;
	}
	snprintf(out, size, "%s", buf[pos] ? buf + pos : "/");
}

static void file_dev_ino(struct mml_ctx *ctx, uint64_t file,
			 struct mml_entry *e)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t inode, sb, ino, dev;
	if (l->file_f_inode == MML_ABSENT || l->inode_i_ino == MML_ABSENT ||
	    l->inode_i_sb == MML_ABSENT || l->sb_s_dev == MML_ABSENT ||
	    !rd(ctx, file + l->file_f_inode, &inode) ||
	    !rd(ctx, inode + l->inode_i_ino, &ino) ||
	    !rd(ctx, inode + l->inode_i_sb, &sb) ||
	    !rd(ctx, sb + l->sb_s_dev, &dev))
		return;
	e->ino = ino;
	e->dev = (uint32_t)dev;
}

/* vm_ops->name() of a special mapping: the vm_special_mapping's name. */
static bool special_name(struct mml_ctx *ctx, uint64_t vma, char *out,
			 size_t size)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t ops, sym, priv, name;
	if (l->vma_vm_ops == MML_ABSENT ||
	    l->vma_vm_private_data == MML_ABSENT ||
	    l->special_mapping_name == MML_ABSENT ||
	    !rd(ctx, vma + l->vma_vm_ops, &ops) || !ops ||
	    !ctx->target.ops->symbol(ctx->target.arg, "special_mapping_vmops",
				     &sym) || ops != sym ||
	    !rd(ctx, vma + l->vma_vm_private_data, &priv) || !priv ||
	    !rd(ctx, priv + l->special_mapping_name, &name))
		return false;
	return read_cstr(ctx, name, out, size) && out[0];
}

static bool mm_field(struct mml_ctx *ctx, uint64_t mm, uint64_t off,
		     uint64_t *ret)
{
	return off != MML_ABSENT && rd(ctx, mm + off, ret);
}

void mml_vma_maps_columns(struct mml_ctx *ctx, struct mml_entry *e)
{
	uint64_t mm = e->vm_mm;
	const struct mml_layout *l = &ctx->layout;
	uint64_t brk, start_brk, start_stack;
	e->dev = 0;
	e->ino = 0;
	e->file[0] = '\0';
	if (e->vm_file) {
		file_dev_ino(ctx, e->vm_file, e);
		if (l->file_f_path != MML_ABSENT &&
		    l->path_dentry != MML_ABSENT &&
		    l->dentry_d_name != MML_ABSENT &&
		    l->dentry_d_parent != MML_ABSENT &&
		    l->qstr_name != MML_ABSENT)
			file_path(ctx, e->vm_file, e->file, sizeof(e->file));
		return;
	}
	if (special_name(ctx, e->value, e->file, sizeof(e->file)))
		return;
	if (mm_field(ctx, mm, l->mm_brk, &brk) &&
	    mm_field(ctx, mm, l->mm_start_brk, &start_brk) &&
	    e->vm_start <= brk && e->vm_end >= start_brk) {
		snprintf(e->file, sizeof(e->file), "[heap]");
		return;
	}
	if (mm_field(ctx, mm, l->mm_start_stack, &start_stack) &&
	    e->vm_start <= start_stack && e->vm_end >= start_stack)
		snprintf(e->file, sizeof(e->file), "[stack]");
}
