/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal declarations shared by the files of the core. */
#ifndef MMLIFE_INTERNAL_H
#define MMLIFE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmlife/error.h"
#include "mmlife/layout.h"
#include "mmlife/model.h"
#include "mmlife/scan.h"
#include "mmlife/target.h"

/* ---- reader.c: the one bounded, caching path to dump memory ---- */

struct mml_reader;

struct mml_error *mml_reader_create(const struct mml_target *target,
				    uint64_t cache_pages,
				    struct mml_reader **ret);
void mml_reader_destroy(struct mml_reader *reader);
/*
 * Read @len bytes at @addr, across pages if needed. On failure returns the
 * status of the first page that failed and stores its address in
 * *@fault_ret (may be NULL).
 */
enum mml_read_status mml_reader_read(struct mml_reader *reader, uint64_t addr,
				     void *buf, size_t len,
				     uint64_t *fault_ret);
/*
 * The same bytes without the copy where they lie in one page: a pointer
 * into the reader's cached page, valid until the next read through
 * @reader (which may evict that page). Across pages they are copied into
 * @buf (@len bytes) and @buf is returned. NULL on failure, with the
 * status in *@status_ret and the fault as mml_reader_read() gives it.
 */
const void *mml_reader_view(struct mml_reader *reader, uint64_t addr,
			    void *buf, size_t len,
			    enum mml_read_status *status_ret,
			    uint64_t *fault_ret);
/* The view mml_reader_view() gives of @len bytes at @addr in one page,
 * but only from a page already cached and read well: NULL otherwise,
 * with nothing fetched (the order of fetches stays the walk's). */
const void *mml_reader_peek(const struct mml_reader *reader, uint64_t addr,
			    size_t len);
/* Read-ahead hints (mml_ctx_set_prefetch()): @prefetch NULL for none. */
void mml_reader_set_prefetch(struct mml_reader *reader,
			     void (*prefetch)(void *arg, uint64_t addr),
			     void *arg);
/* Name the page of @addr to the front end, unless it is cached or was
 * the last one named. Only with a prefetch set. */
void mml_reader_hint(struct mml_reader *reader, uint64_t addr);
uint64_t mml_reader_pages_read(const struct mml_reader *reader);
uint64_t mml_reader_excluded(const struct mml_reader *reader);
/* @from's excluded pages into @into's count, each page once. */
void mml_reader_merge_excluded(struct mml_reader *into,
			       const struct mml_reader *from);

/* Little-endian field access into a buffer read from the dump. */
static inline uint64_t mml_get_u64(const void *buf, uint64_t off)
{
	uint64_t v;
	__builtin_memcpy(&v, (const char *)buf + off, 8);
	return v;
}
static inline uint32_t mml_get_u32(const void *buf, uint64_t off)
{
	uint32_t v;
	__builtin_memcpy(&v, (const char *)buf + off, 4);
	return v;
}
static inline uint8_t mml_get_u8(const void *buf, uint64_t off)
{
	return ((const uint8_t *)buf)[off];
}
/* An integer member of size 1, 2, 4 or 8 bytes. */
uint64_t mml_get_uint(const void *buf, uint64_t off, uint64_t size);

/* ---- ctx.c ---- */

struct mml_ctx {
	struct mml_target target;
	struct mml_layout layout;
	struct mml_limits limits;
	struct mml_reader *reader;
	bool prefetch;              /* read-ahead hints wanted */
	/* mml_ctx_set_workers(): the worker threads' targets, not owned. */
	unsigned int nworkers;
	uint64_t workers_min_vmas;
	const struct mml_target *(*workers_prepare)(void *arg);
	void *workers_arg;
	const struct mml_target *workers;  /* prepared, or NULL */
	unsigned int threads_used;  /* by the last scan's walks */
	/* Derived from the layout. */
	uint64_t mm_read_size;      /* bytes of mm_struct we read */
	uint64_t vma_read_size;     /* bytes of vm_area_struct we read */
	uint64_t task_read_size;    /* bytes of task_struct we read */
};

/* Read with a status and a fault address; a short-hand over the reader. */
static inline enum mml_read_status mml_ctx_read(struct mml_ctx *ctx,
						uint64_t addr, void *buf,
						size_t len, uint64_t *fault)
{
	return mml_reader_read(ctx->reader, addr, buf, len, fault);
}
/* mml_reader_view() on the context's reader. */
static inline const void *mml_ctx_view(struct mml_ctx *ctx, uint64_t addr,
				       void *buf, size_t len,
				       enum mml_read_status *status_ret,
				       uint64_t *fault)
{
	return mml_reader_view(ctx->reader, addr, buf, len, status_ret, fault);
}
struct mml_error *mml_ctx_read_u64(struct mml_ctx *ctx, uint64_t addr,
				   uint64_t *ret);
/* Turn a failed read into an error naming what was read. */
struct mml_error *mml_read_error(enum mml_read_status status, uint64_t addr,
				 const char *what);
const char *mml_read_status_name(enum mml_read_status status);

/* ---- memory ---- */

/*
 * malloc() for a buffer of megabytes that is touched all over (the
 * reader's page cache, the kernel's BTF read from the dump): in 2 MiB huge
 * pages where the host allows them (transparent huge pages in "always" or
 * "madvise" mode), one page fault for 512 of 4 KiB. A fresh page costs a
 * fault each, 5-25 us in a virtual machine: 800 of them were most of the
 * crash extension's first run on a 6.12 fixture. Elsewhere plain aligned
 * memory. Freed with free().
 */
void *mml_alloc_huge(size_t bytes);

/* ---- a growable array ---- */

struct mml_vec {
	void *data;
	size_t len, cap, elem;
};
#define MML_VEC_INIT(type) { NULL, 0, 0, sizeof(type) }
/* Pointer to a new zeroed element at the end, or NULL on ENOMEM. */
void *mml_vec_push(struct mml_vec *vec);
void mml_vec_free(struct mml_vec *vec);
#define MML_VEC_AT(vec, type, i) (&((type *)(vec)->data)[i])

/* ---- a set / map of 64-bit keys (open addressing) ---- */

struct mml_map {
	uint64_t *keys;        /* 0 is the empty key */
	uint64_t *values;
	size_t len, cap;
};
void mml_map_init(struct mml_map *map);
void mml_map_deinit(struct mml_map *map);
/* Insert @key; *@inserted tells whether it was new. Returns false on ENOMEM. */
bool mml_map_insert(struct mml_map *map, uint64_t key, uint64_t value,
		    bool *inserted);
bool mml_map_get(const struct mml_map *map, uint64_t key, uint64_t *value);

/* ---- findings (findings.c) ---- */

/*
 * A finding under construction. The first failure (ENOMEM, an id outside
 * the catalogue) is kept in @err and makes the later calls no-ops;
 * mml_finding_end() hands it to the caller, so no finding is lost
 * without an error.
 */
struct mml_finding_builder {
	struct mml_vec *out;        /* of struct mml_finding */
	struct mml_finding *cur;    /* NULL after a failure */
	struct mml_error *err;
};

/* Start a finding of @id for @mm with a printf summary. */
void mml_finding_begin(struct mml_finding_builder *b, struct mml_vec *out,
		       enum mml_check_id id, uint64_t mm, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The first failure since the builder was zeroed or last ended (NULL:
 * every finding and its evidence were stored); the builder is reusable. */
struct mml_error *mml_finding_end(struct mml_finding_builder *b)
	__attribute__((warn_unused_result));
void mml_ev_addr(struct mml_finding_builder *b, const char *key, uint64_t v);
void mml_ev_hex(struct mml_finding_builder *b, const char *key, uint64_t v);
void mml_ev_u64(struct mml_finding_builder *b, const char *key, uint64_t v);
void mml_ev_i64(struct mml_finding_builder *b, const char *key, int64_t v);
void mml_ev_bool(struct mml_finding_builder *b, const char *key, bool v);
void mml_ev_range(struct mml_finding_builder *b, const char *key,
		  uint64_t first, uint64_t last);
void mml_ev_str(struct mml_finding_builder *b, const char *key,
		const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* excluded-page: what the lost page was to hold, set on the finding for
 * dump-incomplete and rendered as its "what" evidence. @count: how many
 * objects the finding stands for (its "occurrences", 1 without). */
void mml_ev_lost(struct mml_finding_builder *b, enum mml_lost_object what,
		 uint64_t count);
void mml_finding_free(struct mml_finding *f);

#endif /* MMLIFE_INTERNAL_H */
