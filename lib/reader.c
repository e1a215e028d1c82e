// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bounded reader: every byte of dump memory the core looks at comes
 * through here. It keeps a direct-mapped cache of whole pages, failures
 * included, so that a walk that touches the same page many times (VMAs of
 * one slab page, nodes of one tree) asks the target once.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct reader_slot {
	uint64_t page;          /* page address, or UINT64_MAX when empty */
	enum mml_read_status status;
};

struct mml_reader {
	const struct mml_target *target;
	uint64_t page_size;
	unsigned int page_shift;   /* log2(page_size) */
	uint64_t nslots;        /* power of two */
	struct reader_slot *slots;
	unsigned char *data;    /* nslots * page_size */
	uint64_t pages_read;
	/* Distinct pages read as excluded (a page evicted and read again
	 * counts once), and which: a scan merges its worker threads' in
	 * (mml_reader_merge_excluded()). */
	uint64_t excluded;
	struct mml_map excluded_pages;
	/* Read-ahead hints (mml_ctx_set_prefetch()), and the page named
	 * last: a leaf's VMAs share a few pages. */
	void (*prefetch)(void *arg, uint64_t addr);
	void *prefetch_arg;
	uint64_t last_hint;
};

struct mml_error *mml_reader_create(const struct mml_target *target,
				    uint64_t cache_pages,
				    struct mml_reader **ret)
{
	uint64_t ps = target->page_size;
	if (ps < 256 || ps > (1 << 20) || (ps & (ps - 1)))
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"page size %llu not supported",
					(unsigned long long)ps);
	uint64_t n = 1;
	while (n < cache_pages && n < (1u << 20))
		n <<= 1;
	struct mml_reader *r = calloc(1, sizeof(*r));
	if (!r)
		return &mml_enomem;
	mml_map_init(&r->excluded_pages);
	r->target = target;
	r->page_size = ps;
	r->page_shift = (unsigned int)__builtin_ctzll(ps);
	r->nslots = n;
	r->slots = malloc(n * sizeof(*r->slots));
	/* In huge pages: the slot is chosen by hash, so a walk touches a
	 * fresh 4 KiB page of the buffer for nearly every dump page. */
	r->data = mml_alloc_huge(n * ps);
	if (!r->slots || !r->data) {
		mml_reader_destroy(r);
		return &mml_enomem;
	}
	for (uint64_t i = 0; i < n; i++)
		r->slots[i].page = UINT64_MAX;
	*ret = r;
	return NULL;
}

void mml_reader_destroy(struct mml_reader *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r->data);
	mml_map_deinit(&r->excluded_pages);
	free(r);
}

static uint64_t reader_hash(uint64_t page, unsigned int page_shift,
			    uint64_t n)
{
	uint64_t x = page >> page_shift;
	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ULL;
	return (x >> 20) & (n - 1);
}

/* An excluded page, counted once (twice only when out of memory). */
static void reader_note_excluded(struct mml_reader *r, uint64_t page)
{
	bool inserted = true;
	if (!mml_map_insert(&r->excluded_pages, page, 1, &inserted) ||
	    inserted)
		r->excluded++;
}

void mml_reader_merge_excluded(struct mml_reader *into,
			       const struct mml_reader *from)
{
	for (size_t i = 0; i < from->excluded_pages.cap; i++)
		if (from->excluded_pages.keys[i])
			reader_note_excluded(into,
					     from->excluded_pages.keys[i]);
}

/* The cached page holding @page, fetching it if needed. Inlined: a hit
 * is a few instructions, called once for every node and VMA. */
static inline __attribute__((always_inline)) enum mml_read_status
reader_page(struct mml_reader *r, uint64_t page,
	    const unsigned char **data_ret)
{
	uint64_t i = reader_hash(page, r->page_shift, r->nslots);
	struct reader_slot *s = &r->slots[i];
	unsigned char *data = r->data + (i << r->page_shift);
	if (s->page != page) {
		s->page = page;
		s->status = r->target->ops->read(r->target->arg, page, data,
						 r->page_size);
		r->pages_read++;
		if (s->status == MML_READ_EXCLUDED)
			reader_note_excluded(r, page);
	}
	*data_ret = data;
	return s->status;
}

enum mml_read_status mml_reader_read(struct mml_reader *r, uint64_t addr,
				     void *buf, size_t len,
				     uint64_t *fault_ret)
{
	unsigned char *out = buf;
	while (len) {
		uint64_t page = addr & ~(r->page_size - 1);
		uint64_t off = addr - page;
		size_t n = r->page_size - off;
		if (n > len)
			n = len;
		const unsigned char *data;
		enum mml_read_status st = reader_page(r, page, &data);
		if (st != MML_READ_OK) {
			if (fault_ret)
				*fault_ret = addr;
			return st;
		}
		memcpy(out, data + off, n);
		out += n;
		len -= n;
		if (addr + n < addr && len) {
			/* Wrapped past the top of the address space. */
			if (fault_ret)
				*fault_ret = 0;
			return MML_READ_INVALID;
		}
		addr += n;
	}
	return MML_READ_OK;
}

/* mml_reader_view() but for a hit on a good page: the copy across pages,
 * a page to fetch, a failure. Out of line, so that a hit is a few
 * instructions with no registers to save. */
static __attribute__((noinline)) const void *
reader_view_slow(struct mml_reader *r, uint64_t addr, void *buf, size_t len,
		 enum mml_read_status *status_ret, uint64_t *fault_ret)
{
	uint64_t page = addr & ~(r->page_size - 1);
	uint64_t off = addr - page;
	if (len > r->page_size - off) {
		/* Across pages: copied, as mml_reader_read() does. */
		*status_ret = mml_reader_read(r, addr, buf, len, fault_ret);
		return *status_ret == MML_READ_OK ? buf : NULL;
	}
	const unsigned char *data;
	*status_ret = reader_page(r, page, &data);
	if (*status_ret != MML_READ_OK) {
		if (fault_ret)
			*fault_ret = addr;
		return NULL;
	}
	return data + off;
}

/* The view of @len bytes at @addr from a page already cached and read
 * well, or NULL: the hit path of mml_reader_view() and all of
 * mml_reader_peek(). Inlined into both. */
static inline __attribute__((always_inline)) const void *
reader_hit(const struct mml_reader *r, uint64_t addr, size_t len)
{
	uint64_t page = addr & ~(r->page_size - 1);
	uint64_t off = addr - page;
	if (len > r->page_size - off)
		return NULL;
	uint64_t i = reader_hash(page, r->page_shift, r->nslots);
	const struct reader_slot *s = &r->slots[i];
	if (s->page != page || s->status != MML_READ_OK)
		return NULL;
	return r->data + (i << r->page_shift) + off;
}

const void *mml_reader_view(struct mml_reader *r, uint64_t addr, void *buf,
			    size_t len, enum mml_read_status *status_ret,
			    uint64_t *fault_ret)
{
	const void *p = reader_hit(r, addr, len);
	if (p) {
		*status_ret = MML_READ_OK;
		return p;
	}
	return reader_view_slow(r, addr, buf, len, status_ret, fault_ret);
}

const void *mml_reader_peek(const struct mml_reader *r, uint64_t addr,
			    size_t len)
{
	return reader_hit(r, addr, len);
}

void mml_reader_set_prefetch(struct mml_reader *r,
			     void (*prefetch)(void *arg, uint64_t addr),
			     void *arg)
{
	r->prefetch = prefetch;
	r->prefetch_arg = arg;
	r->last_hint = UINT64_MAX;
}

void mml_reader_hint(struct mml_reader *r, uint64_t addr)
{
	uint64_t page = addr & ~(r->page_size - 1);
	if (!r->prefetch || page == r->last_hint)
		return;
	/* A page cached, failures included, is not fetched again. */
	if (r->slots[reader_hash(page, r->page_shift, r->nslots)].page == page)
		return;
	r->last_hint = page;
	r->prefetch(r->prefetch_arg, page);
}

uint64_t mml_reader_pages_read(const struct mml_reader *r)
{
	return r->pages_read;
}

uint64_t mml_reader_excluded(const struct mml_reader *r)
{
	return r->excluded;
}
