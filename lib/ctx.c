// SPDX-License-Identifier: GPL-2.0-or-later
/* The analysis context: a target, a layout, limits and the reader. */
#include <stdlib.h>

#include "internal.h"
#include "walk_limits.h"

void mml_limits_default(struct mml_limits *ret)
{
	ret->max_tasks = MML_LIMIT_TASKS;
	ret->max_nodes = MML_LIMIT_NODES;
	ret->max_list = MML_LIMIT_LIST;
	ret->cache_pages = MML_LIMIT_CACHE_PAGES;
}

/* One past the largest of the given offsets, plus 8 bytes of field. */
static uint64_t read_size(const uint64_t *offs, size_t n)
{
	uint64_t max = 0;
	for (size_t i = 0; i < n; i++)
		if (offs[i] != MML_ABSENT && offs[i] + 8 > max)
			max = offs[i] + 8;
	return max;
}

struct mml_error *mml_ctx_create(const struct mml_target *target,
				 const struct mml_layout *layout,
				 const struct mml_limits *limits,
				 struct mml_ctx **ret)
{
	if (target->pointer_size != 8 || target->big_endian)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"only 64-bit little-endian kernels "
					"are supported");
	struct mml_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return &mml_enomem;
	ctx->target = *target;
	ctx->layout = *layout;
	if (limits)
		ctx->limits = *limits;
	else
		mml_limits_default(&ctx->limits);
	struct mml_error *err = mml_reader_create(&ctx->target,
						  ctx->limits.cache_pages,
						  &ctx->reader);
	if (err) {
		free(ctx);
		return err;
	}
	const struct mml_layout *l = layout;
	uint64_t mm_offs[] = {
		l->mm_mt + l->mt_root, l->mm_mt + l->mt_flags, l->mm_users,
		l->mm_count, l->mm_map_count, l->mm_flags, l->mm_mmlist,
		l->mm_mmlist == MML_ABSENT ? MML_ABSENT
					   : l->mm_mmlist + l->list_head_prev,
		l->mm_owner, l->mm_total_vm,
	};
	ctx->mm_read_size = read_size(mm_offs, sizeof(mm_offs) / 8);
	uint64_t vma_offs[] = {
		l->vma_vm_start, l->vma_vm_end, l->vma_vm_mm, l->vma_vm_flags,
		l->vma_vm_pgoff, l->vma_vm_file, l->vma_anon_vma,
	};
	ctx->vma_read_size = read_size(vma_offs, sizeof(vma_offs) / 8);
	uint64_t task_offs[] = {
		l->task_tasks, l->task_tasks + l->list_head_prev, l->task_pid,
		l->task_tgid, l->task_mm, l->task_signal, l->task_thread_node,
		l->task_thread_node + l->list_head_prev, l->task_flags,
		l->task_exit_state, l->task_state,
		l->task_comm + l->task_comm_len - 8,
	};
	ctx->task_read_size = read_size(task_offs, sizeof(task_offs) / 8);
	*ret = ctx;
	return NULL;
}

void mml_ctx_destroy(struct mml_ctx *ctx)
{
	if (!ctx)
		return;
	mml_reader_destroy(ctx->reader);
	free(ctx);
}

void mml_ctx_set_prefetch(struct mml_ctx *ctx,
			  void (*prefetch)(void *arg, uint64_t addr),
			  void *arg)
{
	mml_reader_set_prefetch(ctx->reader, prefetch, arg);
	ctx->prefetch = prefetch != NULL;
}

void mml_ctx_set_workers(struct mml_ctx *ctx, unsigned int n,
			 uint64_t min_vmas,
			 const struct mml_target *(*prepare)(void *arg),
			 void *arg)
{
	ctx->nworkers = prepare ? n : 0;
	ctx->workers_min_vmas = min_vmas;
	ctx->workers_prepare = prepare;
	ctx->workers_arg = arg;
	ctx->workers = NULL;
}

unsigned int mml_ctx_threads_used(const struct mml_ctx *ctx)
{
	return ctx->threads_used ? ctx->threads_used : 1;
}

uint64_t mml_ctx_pages_read(const struct mml_ctx *ctx)
{
	return mml_reader_pages_read(ctx->reader);
}

const char *mml_read_status_name(enum mml_read_status status)
{
	switch (status) {
	case MML_READ_OK:
		return "ok";
	case MML_READ_INVALID:
		return "invalid address";
	case MML_READ_EXCLUDED:
		return "page excluded from the dump";
	}
	return "unknown";
}

struct mml_error *mml_read_error(enum mml_read_status status, uint64_t addr,
				 const char *what)
{
	return mml_error_at(status == MML_READ_EXCLUDED
				    ? MML_ERROR_EXCLUDED
				    : MML_ERROR_INVALID_ADDRESS,
			    addr, "cannot read %s at 0x%llx: %s", what,
			    (unsigned long long)addr,
			    mml_read_status_name(status));
}

struct mml_error *mml_ctx_read_u64(struct mml_ctx *ctx, uint64_t addr,
				   uint64_t *ret)
{
	unsigned char buf[8];
	uint64_t fault;
	enum mml_read_status st = mml_ctx_read(ctx, addr, buf, 8, &fault);
	if (st != MML_READ_OK)
		return mml_read_error(st, fault, "a word");
	*ret = mml_get_u64(buf, 0);
	return NULL;
}
