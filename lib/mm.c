// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading one mm_struct and summarising its maple tree: which slots are its
 * own VMAs, which belong to another mm, where the XA_ZERO markers are, and
 * every structural problem the walker met.
 */
#include <stdlib.h>
#include <string.h>

#include "kconst.h"
#include "mm.h"

void mml_mm_read(struct mml_ctx *ctx, uint64_t mm, struct mm_state *st)
{
	const struct mml_layout *l = &ctx->layout;
	unsigned char stack_buf[4096];
	uint64_t fault;

	memset(st, 0, sizeof(*st));
	st->addr = mm;
	/* The struct's size is the kernel's (lock debugging and PREEMPT_RT
	 * grow it): the heap when the stack buffer is too small. */
	uint64_t size = ctx->mm_read_size;
	unsigned char *buf = size <= sizeof(stack_buf) ? stack_buf
						       : malloc(size);
	if (!buf) {
		st->status = MML_READ_INVALID;
		return;
	}
	st->status = mml_ctx_read(ctx, mm, buf, size, &fault);
	if (st->status != MML_READ_OK) {
		if (buf != stack_buf)
			free(buf);
		return;
	}
	st->readable = true;
	st->flags = mml_get_u64(buf, l->mm_flags);
	st->map_count = (int32_t)mml_get_u32(buf, l->mm_map_count);
	st->mm_users = (int32_t)mml_get_u32(buf, l->mm_users);
	st->mm_count = (int32_t)mml_get_u32(buf, l->mm_count);
	if (l->mm_mmlist != MML_ABSENT)
		st->mmlist_next = mml_get_u64(buf, l->mm_mmlist +
						   l->list_head_next);
	st->walk.root = mml_get_u64(buf, l->mm_mt + l->mt_root);
	st->walk.ma_flags = mml_get_u32(buf, l->mm_mt + l->mt_flags);
	if (buf != stack_buf)
		free(buf);
}

/* The fields of a VMA the core reads. */
struct mml_vma_fields {
	uint64_t vm_start, vm_end, vm_mm, vm_flags, vm_pgoff, vm_file;
};

/* The fields the core reads from a VMA, out of @buf. */
static inline __attribute__((always_inline)) void
vma_fields(const struct mml_layout *l, const unsigned char *buf,
	   struct mml_vma_fields *v)
{
	v->vm_start = mml_get_u64(buf, l->vma_vm_start);
	v->vm_end = mml_get_u64(buf, l->vma_vm_end);
	v->vm_mm = mml_get_u64(buf, l->vma_vm_mm);
	v->vm_flags = mml_get_u64(buf, l->vma_vm_flags);
	v->vm_pgoff = l->vma_vm_pgoff != MML_ABSENT
			      ? mml_get_u64(buf, l->vma_vm_pgoff) : 0;
	v->vm_file = l->vma_vm_file != MML_ABSENT
			     ? mml_get_u64(buf, l->vma_vm_file) : 0;
}

/* A VMA across pages: copied (the heap for one larger than stack_buf).
 * Out of line, so that the common case carries no buffer. */
static __attribute__((noinline)) enum mml_read_status
vma_read_copy(struct mml_ctx *ctx, uint64_t vma, struct mml_vma_fields *v)
{
	unsigned char stack_buf[512];
	uint64_t size = ctx->vma_read_size, fault;
	unsigned char *buf = size <= sizeof(stack_buf) ? stack_buf
						       : malloc(size);
	if (!buf)
		return MML_READ_INVALID;
	enum mml_read_status st = mml_ctx_read(ctx, vma, buf, size, &fault);
	if (st == MML_READ_OK)
		vma_fields(&ctx->layout, buf, v);
	if (buf != stack_buf)
		free(buf);
	return st;
}

/*
 * Classify one leaf slot @value of @mm's tree, reading the VMA: its kind,
 * and for VMA and FOREIGN its fields in *@v (untouched otherwise); the
 * read's status in *@status_ret (not OK: BAD, the VMA unreadable).
 * Inlined into the analysis' loop (mm_entry()), once per VMA.
 */
static inline __attribute__((always_inline)) enum mml_entry_kind
entry_peek(struct mml_ctx *ctx, uint64_t mm, uint64_t value,
	   struct mml_vma_fields *v, enum mml_read_status *status_ret)
{
	*status_ret = MML_READ_OK;
	if (value == MML_XA_ZERO_ENTRY)
		return MML_ENTRY_XA_ZERO;
	if ((value & 7) || value < MML_MAPLE_RESERVED_RANGE)
		return MML_ENTRY_BAD;
	/* In one page (nearly always): a view into the reader's page. */
	uint64_t ps = ctx->target.page_size;
	if ((value & (ps - 1)) + ctx->vma_read_size <= ps) {
		uint64_t fault;
		const unsigned char *buf = mml_ctx_view(ctx, value, NULL,
							ctx->vma_read_size,
							status_ret, &fault);
		if (!buf)
			return MML_ENTRY_BAD;
		vma_fields(&ctx->layout, buf, v);
	} else {
		*status_ret = vma_read_copy(ctx, value, v);
		if (*status_ret != MML_READ_OK)
			return MML_ENTRY_BAD;
	}
	return v->vm_mm == mm ? MML_ENTRY_VMA : MML_ENTRY_FOREIGN;
}

void mml_entry_classify(struct mml_ctx *ctx, uint64_t mm, uint64_t first,
			uint64_t last, uint64_t value, struct mml_entry *out,
			enum mml_read_status *status_ret)
{
	memset(out, 0, offsetof(struct mml_entry, file) + 1);
	out->first = first;
	out->last = last;
	out->value = value;
	struct mml_vma_fields v;
	out->kind = entry_peek(ctx, mm, value, &v, status_ret);
	if (out->kind != MML_ENTRY_VMA && out->kind != MML_ENTRY_FOREIGN)
		return;
	out->vm_start = v.vm_start;
	out->vm_end = v.vm_end;
	out->vm_mm = v.vm_mm;
	out->vm_flags = v.vm_flags;
	out->vm_pgoff = v.vm_pgoff;
	out->vm_file = v.vm_file;
}

static void example_note(struct mm_example *ex, uint64_t first,
			 uint64_t last, uint64_t value, uint64_t expected)
{
	if (!ex->count++) {
		ex->first = first;
		ex->last = last;
		ex->value = value;
		ex->expected = expected;
	}
}

static void mm_entry(void *arg, uint64_t first, uint64_t last, uint64_t value)
{
	struct mm_state *st = ((void **)arg)[0];
	struct mml_ctx *ctx = ((void **)arg)[1];
	struct mml_vma_fields e;
	enum mml_read_status rs;

	st->entries++;
	if (st->xa_zero)
		st->after_marker++;
	switch (entry_peek(ctx, st->addr, value, &e, &rs)) {
	case MML_ENTRY_XA_ZERO:
		if (st->xa_zero < MM_XA_RANGES_MAX) {
			st->xa_first[st->xa_zero] = first;
			st->xa_last[st->xa_zero] = last;
		}
		st->xa_zero++;
		return;
	case MML_ENTRY_BAD:
		if (rs != MML_READ_OK) {
			example_note(&st->vma_unreadable, first, last, value,
				     0);
			if (st->vma_unreadable.count == 1)
				st->vma_unreadable.status = rs;
		} else {
			st->bad++;
			example_note(&st->entry_bad, first, last, value, 0);
		}
		return;
	case MML_ENTRY_VMA:
		st->vmas++;
		if (!st->xa_zero) {
			st->last_vma = value;
			st->last_vma_start = e.vm_start;
			st->last_vma_end = e.vm_end;
		}
		break;
	case MML_ENTRY_FOREIGN: {
		st->foreign++;
		size_t i;
		for (i = 0; i < st->nforeign_mms; i++)
			if (st->foreign_mms[i].mm == e.vm_mm)
				break;
		if (i == st->nforeign_mms && i < MM_FOREIGN_MAX) {
			st->foreign_mms[i] = (struct mm_foreign){
				.mm = e.vm_mm, .first = first, .last = last,
				.vma = value, .after_marker = true,
			};
			st->nforeign_mms++;
		}
		if (i < st->nforeign_mms) {
			st->foreign_mms[i].count++;
			if (!st->xa_zero)
				st->foreign_mms[i].after_marker = false;
		}
		break;
	}
	}
	if (e.vm_start != first || e.vm_end - 1 != last) {
		/* value: the VMA, expected: its vm_start, node: its vm_end */
		if (!st->range_bad.count)
			st->range_bad.node = e.vm_end;
		example_note(&st->range_bad, first, last, value, e.vm_start);
	}
}

static void mm_problem(void *arg, const struct maple_problem *p)
{
	struct mm_state *st = ((void **)arg)[0];
	struct mm_example *ex = &st->problems[p->kind];
	if (!ex->count++) {
		ex->first = p->min;
		ex->last = p->max;
		ex->value = p->value;
		ex->expected = p->expected;
		ex->node = p->node;
		ex->slot = p->slot;
		ex->depth = p->depth;
		ex->status = p->status;
	}
}

struct mml_error *mml_mm_analyse(struct mml_ctx *ctx, struct mm_state *st)
{
	if (!st->readable)
		return NULL;
	void *arg[2] = { st, ctx };
	struct maple_visitor v = {
		.arg = arg, .entry = mm_entry, .problem = mm_problem,
	};
	struct mml_error *err = mml_maple_walk(
		ctx, st->addr + ctx->layout.mm_mt, &v, &st->walk);
	if (err) {
		if (err->code == MML_ERROR_NOMEM)
			return err;
		st->tree_status = err->code == MML_ERROR_EXCLUDED
					  ? MML_READ_EXCLUDED
					  : MML_READ_INVALID;
		mml_error_destroy(err);
		return NULL;
	}
	st->walked = true;
	return NULL;
}
