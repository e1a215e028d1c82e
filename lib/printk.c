// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel log, read from the dump's lockless printk ring buffer (5.10+).
 *
 * What the reader relies on (checked against the 6.1, 6.12 and 7.2 types;
 * every offset and size comes from the layout table):
 * - the symbol "prb" holds a pointer to the struct printk_ringbuffer in
 *   use (the static one, or the dynamic one after log_buf_len=);
 * - desc_ring: count_bits, descs[], infos[] (parallel arrays of
 *   1 << count_bits), head_id and tail_id (atomic longs, the counter at
 *   offset 0); text_data_ring: size_bits and data (1 << size_bits bytes);
 * - a descriptor's state_var holds its id in the low 62 bits and its state
 *   in the top two (1 committed, 2 finalized; 0 reserved and 3 reusable
 *   are not read, and only a reserved one counts as skipped: the tail can
 *   be a recycled descriptor, such as the boot-time dummy);
 * - text_blk_lpos {begin, next} are logical positions: a block lies at
 *   begin % size unless it wraps (begin and next one wrap apart), in which
 *   case it lies at 0 and ends at next % size; an odd begin marks a record
 *   without data. A block starts with the descriptor id (one long), then
 *   the text;
 * - printk_info: seq, ts_nsec, text_len (u16), caller_id (u32). Its size
 *   differs between kernels (88 bytes on 6.1 and 6.12, 112 on 7.2).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "oops.h"
#include "printk.h"

#define DESC_STATE_SHIFT 62
#define DESC_ID_MASK ((1ULL << DESC_STATE_SHIFT) - 1)
#define DESC_COMMITTED 1
#define DESC_FINALIZED 2
#define DESC_REUSABLE 3
#define BLOCK_ID_SIZE 8

struct prb {
	uint64_t count, descs, infos, head_id, tail_id;
	uint64_t size, data;
};

static bool layout_has_printk(const struct mml_layout *l)
{
	const uint64_t need[] = {
		l->prb_desc_ring, l->prb_text_data_ring, l->prb_dr_count_bits,
		l->prb_dr_descs, l->prb_dr_infos, l->prb_dr_head_id,
		l->prb_dr_tail_id, l->prb_data_size_bits, l->prb_data_data,
		l->prb_desc_size, l->prb_desc_state_var,
		l->prb_desc_text_blk_lpos, l->prb_lpos_begin, l->prb_lpos_next,
		l->printk_info_size, l->printk_info_seq,
		l->printk_info_ts_nsec, l->printk_info_text_len,
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (need[i] == MML_ABSENT)
			return false;
	return l->prb_desc_size >= 24 && l->prb_desc_size <= 256 &&
	       l->printk_info_size >= 24 && l->printk_info_size <= 1024;
}

static struct mml_error *read_u32(struct mml_ctx *ctx, uint64_t addr,
				  const char *what, uint32_t *ret)
{
	uint64_t fault;
	enum mml_read_status st = mml_ctx_read(ctx, addr, ret, 4, &fault);
	return st ? mml_read_error(st, fault, what) : NULL;
}

static struct mml_error *prb_header(struct mml_ctx *ctx, struct prb *p)
{
	const struct mml_layout *l = &ctx->layout;
	uint64_t sym, rb;
	struct mml_error *err;
	uint32_t count_bits, size_bits;

	if (!layout_has_printk(l))
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"the types lack the lockless printk "
					"ring buffer (a kernel before 5.10?)");
	if (!ctx->target.ops->symbol(ctx->target.arg, "prb", &sym))
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"no symbol prb");
	if ((err = mml_ctx_read_u64(ctx, sym, &rb)))
		return mml_error_wrap(err, "reading prb");
	uint64_t dr = rb + l->prb_desc_ring, tr = rb + l->prb_text_data_ring;
	if ((err = read_u32(ctx, dr + l->prb_dr_count_bits, "count_bits",
			    &count_bits)) ||
	    (err = mml_ctx_read_u64(ctx, dr + l->prb_dr_descs, &p->descs)) ||
	    (err = mml_ctx_read_u64(ctx, dr + l->prb_dr_infos, &p->infos)) ||
	    (err = mml_ctx_read_u64(ctx, dr + l->prb_dr_head_id,
				    &p->head_id)) ||
	    (err = mml_ctx_read_u64(ctx, dr + l->prb_dr_tail_id,
				    &p->tail_id)) ||
	    (err = read_u32(ctx, tr + l->prb_data_size_bits, "size_bits",
			    &size_bits)) ||
	    (err = mml_ctx_read_u64(ctx, tr + l->prb_data_data, &p->data)))
		return mml_error_wrap(err, "reading the printk ring buffer");
	if (count_bits > MML_PRINTK_MAX_COUNT_BITS ||
	    size_bits > MML_PRINTK_MAX_SIZE_BITS || size_bits < 4)
		return mml_error_create(MML_ERROR_CORRUPT,
					"printk ring buffer sizes make no "
					"sense (count_bits %u, size_bits %u)",
					count_bits, size_bits);
	p->count = 1ULL << count_bits;
	p->size = 1ULL << size_bits;
	p->head_id &= DESC_ID_MASK;
	p->tail_id &= DESC_ID_MASK;
	return NULL;
}

/* Printable copy of @len bytes: control characters but \n become '?'. */
static void sanitize(char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n') || c == 0x7f)
			s[i] = '?';
	}
}

static bool push_line(struct printk_lines *out, uint64_t seq, uint64_t ts,
		      const char *text, size_t len)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 256;
		struct printk_line *v = realloc(out->v, cap * sizeof(*v));
		if (!v)
			return false;
		out->v = v;
		out->cap = cap;
	}
	char *copy = strndup(text, len);
	if (!copy)
		return false;
	out->v[out->n++] = (struct printk_line){ seq, ts, copy };
	out->bytes += len;
	return true;
}

/* Add one record's text, split at newlines (a record may hold several). */
static bool add_record(struct printk_lines *out, uint64_t seq, uint64_t ts,
		       char *text, size_t len)
{
	sanitize(text, len);
	while (len && text[len - 1] == '\n')
		len--;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || text[i] == '\n') {
			if (!push_line(out, seq, ts, text + start, i - start))
				return false;
			start = i + 1;
		}
	}
	return true;
}

/*
 * Where the text of a block lies: its offset in the data ring and the
 * block's size (id word included). False for a record without data or a
 * position that makes no sense.
 */
static bool block_place(const struct prb *p, uint64_t begin, uint64_t next,
			uint64_t *off, uint64_t *size)
{
	uint64_t mask = p->size - 1;
	unsigned int shift = (unsigned int)__builtin_ctzll(p->size);
	if (begin & 1)
		return false;
	if ((begin >> shift) == (next >> shift) && begin < next) {
		*off = begin & mask;
		*size = next - begin;
	} else if (((begin + p->size) >> shift) == (next >> shift)) {
		*off = 0;
		*size = next & mask;
	} else {
		return false;
	}
	return *size <= p->size && *off + *size <= p->size;
}

struct mml_error *mml_printk_read(struct mml_ctx *ctx,
				  struct printk_lines *out)
{
	const struct mml_layout *l = &ctx->layout;
	struct prb p;
	struct mml_error *err = prb_header(ctx, &p);
	unsigned char desc[256], info[1024];
	char *text = NULL;
	uint64_t fault;

	if (err)
		return err;
	text = malloc(65536 + 1);
	if (!text)
		return &mml_enomem;
	uint64_t id = p.tail_id;
	for (uint64_t step = 0; step < p.count && step < MML_PRINTK_MAX_RECORDS;
	     step++, id = (id + 1) & DESC_ID_MASK) {
		bool last = id == p.head_id;
		uint64_t idx = id & (p.count - 1);
		if (mml_ctx_read(ctx, p.descs + idx * l->prb_desc_size, desc,
				 l->prb_desc_size, &fault) ||
		    mml_ctx_read(ctx, p.infos + idx * l->printk_info_size, info,
				 l->printk_info_size, &fault)) {
			out->skipped++;
			goto next;
		}
		uint64_t sv = mml_get_u64(desc, l->prb_desc_state_var);
		unsigned int state = (unsigned int)(sv >> DESC_STATE_SHIFT);
		if ((sv & DESC_ID_MASK) == id && state == DESC_REUSABLE)
			goto next;  /* recycled, like the boot-time dummy */
		if ((sv & DESC_ID_MASK) != id ||
		    (state != DESC_COMMITTED && state != DESC_FINALIZED)) {
			out->skipped++;
			goto next;
		}
		uint64_t lpos = l->prb_desc_text_blk_lpos;
		uint64_t begin = mml_get_u64(desc, lpos + l->prb_lpos_begin);
		uint64_t nextp = mml_get_u64(desc, lpos + l->prb_lpos_next);
		uint64_t seq = mml_get_u64(info, l->printk_info_seq);
		uint64_t ts = mml_get_u64(info, l->printk_info_ts_nsec);
		uint64_t len = mml_get_uint(info, l->printk_info_text_len, 2);
		uint64_t off, size, block_id;
		if (!block_place(&p, begin, nextp, &off, &size)) {
			if ((begin & 1) && len == 0) {
				/* A record without data: an empty line. */
				if (!add_record(out, seq, ts, text, 0))
					goto nomem;
				goto counted;
			}
			out->skipped++;
			goto next;
		}
		if (size < BLOCK_ID_SIZE || len > size - BLOCK_ID_SIZE ||
		    out->bytes + len > MML_PRINTK_MAX_TEXT ||
		    mml_ctx_read(ctx, p.data + off, &block_id, 8, &fault) ||
		    (block_id & DESC_ID_MASK) != id ||
		    (len && mml_ctx_read(ctx, p.data + off + BLOCK_ID_SIZE,
					 text, len, &fault))) {
			out->skipped++;
			goto next;
		}
		if (!add_record(out, seq, ts, text, len))
			goto nomem;
counted:
		if (!out->records)
			out->first_seq = seq;
		out->last_seq = seq;
		out->records++;
next:
		if (last)
			break;
	}
	free(text);
	return NULL;
nomem:
	free(text);
	return &mml_enomem;
}

void mml_printk_lines_free(struct printk_lines *lines)
{
	for (size_t i = 0; i < lines->n; i++)
		free(lines->v[i].text);
	free(lines->v);
	memset(lines, 0, sizeof(*lines));
}

char *mml_printk_format(const struct printk_line *line)
{
	char *s;
	if (asprintf(&s, "[%5" PRIu64 ".%06" PRIu64 "] %s",
		     line->ts_nsec / 1000000000,
		     (line->ts_nsec % 1000000000) / 1000, line->text) < 0)
		return NULL;
	return s;
}

struct mml_error *mml_log_build(struct mml_ctx *ctx, uint32_t keep,
				struct mml_log *log)
{
	struct printk_lines lines = { 0 };
	struct mml_error *err = mml_printk_read(ctx, &lines);

	if (err == &mml_enomem) {
		mml_printk_lines_free(&lines);
		return err;
	}
	if (err) {
		log->unavailable = strdup(err->message);
		mml_error_destroy(err);
		mml_printk_lines_free(&lines);
		return log->unavailable ? NULL : &mml_enomem;
	}
	log->read = true;
	log->records = lines.records;
	log->skipped = lines.skipped;
	log->first_seq = lines.first_seq;
	log->last_seq = lines.last_seq;
	if (!keep)
		keep = MML_LOG_LINES_DEFAULT;
	size_t first = lines.n > keep ? lines.n - keep : 0;
	log->lines = calloc(lines.n - first + 1, sizeof(*log->lines));
	if (!log->lines)
		goto nomem;
	for (size_t i = first; i < lines.n; i++) {
		char *s = mml_printk_format(&lines.v[i]);
		if (!s)
			goto nomem;
		log->lines[log->nlines++] = s;
	}
	const char **texts = calloc(lines.n + 1, sizeof(*texts));
	if (!texts)
		goto nomem;
	for (size_t i = 0; i < lines.n; i++)
		texts[i] = lines.v[i].text;
	bool ok = mml_oops_parse(texts, lines.n, &log->oops) &&
		  mml_oom_parse(texts, lines.n, &log->oom) &&
		  mml_warnings_parse(texts, lines.n, &log->oops,
				     &log->warnings, &log->nwarnings);
	free(texts);
	mml_printk_lines_free(&lines);
	return ok ? NULL : &mml_enomem;
nomem:
	mml_printk_lines_free(&lines);
	return &mml_enomem;
}
