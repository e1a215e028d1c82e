// SPDX-License-Identifier: GPL-2.0-or-later
/* Building findings with structured evidence. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"

static void builder_fail(struct mml_finding_builder *b,
			 struct mml_error *err)
{
	b->cur = NULL;
	if (!b->err)
		b->err = err;
	else
		mml_error_destroy(err);
}

void mml_finding_begin(struct mml_finding_builder *b, struct mml_vec *out,
		       enum mml_check_id id, uint64_t mm, const char *fmt, ...)
{
	b->out = out;
	b->cur = NULL;
	if (b->err)
		return;
	if ((unsigned int)id >= MML_CHECK_COUNT) {
		/* A programming error; never a reason to crash on a dump. */
		builder_fail(b, mml_error_create(MML_ERROR_OTHER,
						 "finding id %d is not in the "
						 "catalogue", (int)id));
		return;
	}
	struct mml_finding *f = mml_vec_push(out);
	if (!f) {
		builder_fail(b, &mml_enomem);
		return;
	}
	f->check = &mml_checks[id];
	f->severity = f->check->severity;
	f->mm = mm;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&f->summary, fmt, ap);
	va_end(ap);
	if (n < 0) {
		f->summary = NULL;
		builder_fail(b, &mml_enomem);
		return;
	}
	b->cur = f;
}

struct mml_error *mml_finding_end(struct mml_finding_builder *b)
{
	struct mml_error *err = b->err;
	b->err = NULL;
	b->cur = NULL;
	return err;
}

static struct mml_evidence *ev_push(struct mml_finding_builder *b,
				    const char *key,
				    enum mml_evidence_type type)
{
	struct mml_finding *f = b->cur;
	if (!f)
		return NULL;
	struct mml_evidence *ev = realloc(f->evidence,
					  (f->nevidence + 1) * sizeof(*ev));
	if (!ev) {
		builder_fail(b, &mml_enomem);
		return NULL;
	}
	f->evidence = ev;
	ev = &ev[f->nevidence++];
	ev->key = key;
	ev->type = type;
	ev->u = 0;
	return ev;
}

void mml_ev_addr(struct mml_finding_builder *b, const char *key, uint64_t v)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_ADDR);
	if (ev)
		ev->u = v;
}

void mml_ev_hex(struct mml_finding_builder *b, const char *key, uint64_t v)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_HEX);
	if (ev)
		ev->u = v;
}

void mml_ev_u64(struct mml_finding_builder *b, const char *key, uint64_t v)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_U64);
	if (ev)
		ev->u = v;
}

void mml_ev_i64(struct mml_finding_builder *b, const char *key, int64_t v)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_I64);
	if (ev)
		ev->i = v;
}

void mml_ev_bool(struct mml_finding_builder *b, const char *key, bool v)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_BOOL);
	if (ev)
		ev->b = v;
}

void mml_ev_range(struct mml_finding_builder *b, const char *key,
		  uint64_t first, uint64_t last)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_RANGE);
	if (ev) {
		ev->range.first = first;
		ev->range.last = last;
	}
}

void mml_ev_str(struct mml_finding_builder *b, const char *key,
		const char *fmt, ...)
{
	struct mml_evidence *ev = ev_push(b, key, MML_EV_STR);
	if (!ev)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&ev->str, fmt, ap);
	va_end(ap);
	if (n < 0) {
		ev->str = NULL;
		builder_fail(b, &mml_enomem);
	}
}

const char *mml_lost_object_name(enum mml_lost_object what)
{
	static const char *const names[MML_LOST_COUNT] = {
		[MML_LOST_NONE] = "nothing",
		[MML_LOST_TASK_STRUCT] = "task_struct",
		[MML_LOST_THREAD_LIST] = "thread list",
		[MML_LOST_MMLIST] = "mmlist",
		[MML_LOST_MM_STRUCT] = "mm_struct",
		[MML_LOST_MAPLE_NODE] = "maple node",
		[MML_LOST_VMA] = "VMA",
		[MML_LOST_SLAB_PAGE] = "slab page",
		[MML_LOST_SLAB_FREELIST] = "slab freelist",
		[MML_LOST_TASK_LIST] = "task list",
	};
	return (unsigned int)what < MML_LOST_COUNT ? names[what] : "unknown";
}

void mml_ev_lost(struct mml_finding_builder *b, enum mml_lost_object what,
		 uint64_t count)
{
	if (!b->cur)
		return;
	b->cur->lost = what;
	b->cur->lost_count = count;
	mml_ev_str(b, "what", "%s", mml_lost_object_name(what));
}

void mml_finding_free(struct mml_finding *f)
{
	for (size_t i = 0; i < f->nevidence; i++)
		if (f->evidence[i].type == MML_EV_STR)
			free(f->evidence[i].str);
	free(f->evidence);
	free(f->summary);
}
