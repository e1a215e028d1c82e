// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every allocated object of one SLUB cache, read from the dump (slab.h).
 *
 * Where the slabs are (mm/slub.c, mm/slab.h; 6.1, 6.12, 7.2):
 * - struct slab overlays the head struct page of the slab's pages; its
 *   slab_cache, freelist and counters (inuse:16, objects:15, frozen:1)
 *   tell the cache, the first free object and the number of objects;
 * - <= 6.x: per cpu, kmem_cache.cpu_slab (a per-cpu pointer) holds the
 *   cpu slab with its own lockless freelist, and a chain of cpu partial
 *   slabs through slab->next;
 * - 7.x: no cpu slabs; per cpu, kmem_cache.cpu_sheaves holds sheaves
 *   (main, spare, rcu_free), arrays of objects that are free from the
 *   cache's point of view but still counted in their slab's inuse; per
 *   node, a barn holds full and empty sheaves;
 * - per node, kmem_cache_node.partial lists the partial slabs;
 * - full slabs are on no list (without slab debugging): they are found by
 *   reading every struct page of the memmap. A head page of a slab has
 *   PG_slab in flags (<= 6.9) or page_type >> 24 == PGTY_slab (6.12+);
 *   tail pages have bit 0 of compound_head (compound_info in 7.x) set.
 *
 * Object i of a slab sits at page_address + red_left_pad + i * size. The
 * free pointer of a free object is at object + kmem_cache.offset, stored
 * as ptr ^ random ^ swab(address of the pointer) when kmem_cache has a
 * random member (CONFIG_SLAB_FREELIST_HARDENED).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kconst.h"
#include "memmap.h"
#include "slab.h"
#include "walk_limits.h"

struct slab_info {
	uint64_t slab;             /* struct slab (= head struct page) */
	uint64_t base;             /* address of the first object */
	uint64_t nobj;
	bool from_memmap;          /* on no list: found in the memmap */
};

struct slab_walk {
	struct mml_ctx *ctx;
	const struct mml_layout *l;
	struct slab_stats *stats;
	const struct mml_map *known;
	bool in_memmap;            /* slab_add() called by walk_memmap() */
	struct mml_vec *findings;
	struct mml_finding_builder b;
	uint64_t cache;
	uint64_t size, offset, random, red_left_pad;
	bool hardened;
	uint64_t page_size, page_struct, vmemmap, page_offset, first_pfn;
	uint64_t per_cpu_offset;   /* &__per_cpu_offset[0], 0 if unknown */
	uint64_t ncpus, nnodes;
	struct mml_map slab_seen;  /* struct slab address -> 1 */
	struct mml_vec slabs;      /* struct slab_info */
	struct mml_map free;       /* free object -> 1 */
	bool nomem;
	/* Slabs whose objects cannot be read (excluded pages): skipped. */
	uint64_t lost_slabs, lost_first, lost_addr;
	enum mml_read_status lost_status;
	uint64_t freelist_problems;
	uint64_t excluded_freelists; /* freelists that run into a lost page */
	struct mml_map uncertain;  /* slabs whose free objects are unknown */
};

#define SLAB_LOST UINT64_MAX       /* slab_seen value of a lost slab */
#define SLAB_MAX_FREELIST_FINDINGS 8

static bool have(uint64_t v)
{
	return v != MML_ABSENT;
}

static bool sym(struct slab_walk *w, const char *name, uint64_t *ret)
{
	return w->ctx->target.ops->symbol(w->ctx->target.arg, name, ret);
}

static bool read_u64(struct slab_walk *w, uint64_t addr, uint64_t *ret)
{
	return mml_ctx_read(w->ctx, addr, ret, 8, NULL) == MML_READ_OK;
}

static bool read_u32(struct slab_walk *w, uint64_t addr, uint32_t *ret)
{
	return mml_ctx_read(w->ctx, addr, ret, 4, NULL) == MML_READ_OK;
}

/* A NUL-terminated string of at most size - 1 bytes, read page by page. */
static bool read_str(struct mml_ctx *ctx, uint64_t addr, char *buf,
		     size_t size)
{
	size_t got = 0;
	while (got + 1 < size) {
		uint64_t ps = ctx->target.page_size;
		size_t n = ps - ((addr + got) & (ps - 1));
		if (n > size - 1 - got)
			n = size - 1 - got;
		if (mml_ctx_read(ctx, addr + got, buf + got, n, NULL) !=
		    MML_READ_OK)
			return false;
		if (memchr(buf + got, '\0', n))
			return true;
		got += n;
	}
	buf[size - 1] = '\0';
	return true;
}

static void note(struct slab_walk *w, const char *fmt, const char *what)
{
	size_t len = strlen(w->stats->reason);
	snprintf(w->stats->reason + len, sizeof(w->stats->reason) - len, fmt,
		 len ? "; " : "", what);
}

static void free_add(struct slab_walk *w, uint64_t obj)
{
	bool inserted;
	if (obj && !mml_map_insert(&w->free, obj, 1, &inserted))
		w->nomem = true;
}

/* ---- the cache ---- */

static bool cache_named(struct slab_walk *w, uint64_t cache, const char *name)
{
	uint64_t p;
	char buf[64];
	return read_u64(w, cache + w->l->kc_name, &p) &&
	       read_str(w->ctx, p, buf, sizeof(buf)) && !strcmp(buf, name);
}

static uint64_t find_cache(struct slab_walk *w, const char *symbol,
			   const char *name)
{
	uint64_t addr, cache;
	if (symbol && sym(w, symbol, &addr) && read_u64(w, addr, &cache) &&
	    cache && cache_named(w, cache, name))
		return cache;
	uint64_t head;
	if (!have(w->l->kc_list) || !sym(w, "slab_caches", &head))
		return 0;
	uint64_t pos;
	if (!read_u64(w, head + w->l->list_head_next, &pos))
		return 0;
	for (uint64_t n = 0; pos != head && n < w->ctx->limits.max_list; n++) {
		cache = pos - w->l->kc_list;
		if (cache_named(w, cache, name))
			return cache;
		if (!read_u64(w, pos + w->l->list_head_next, &pos))
			return 0;
	}
	return 0;
}

static bool cache_read(struct slab_walk *w)
{
	const struct mml_layout *l = w->l;
	uint32_t size, offset, pad = 0;
	if (!read_u32(w, w->cache + l->kc_size, &size) ||
	    !read_u32(w, w->cache + l->kc_offset, &offset) ||
	    (have(l->kc_red_left_pad) &&
	     !read_u32(w, w->cache + l->kc_red_left_pad, &pad)))
		return false;
	w->size = size;
	w->offset = offset;
	w->red_left_pad = pad;
	w->hardened = have(l->kc_random);
	if (w->hardened && !read_u64(w, w->cache + l->kc_random, &w->random))
		return false;
	return size >= 8 && size <= (1u << 24) && offset + 8 <= size + pad;
}

/* ---- freelists ---- */

static uint64_t decode(const struct slab_walk *w, uint64_t v, uint64_t at)
{
	return w->hardened ? v ^ w->random ^ __builtin_bswap64(at) : v;
}

static void freelist_problem(struct slab_walk *w, const char *what,
			     uint64_t slab, uint64_t head, uint64_t value)
{
	if (!strcmp(what, "on an excluded page")) {
		/* The dump's loss, not corruption: which objects of the slab
		 * are free is unknown, so none of them is taken for an mm. */
		bool inserted;
		w->excluded_freelists++;
		if (!mml_map_insert(&w->uncertain, slab, 1, &inserted))
			w->nomem = true;
		return;
	}
	if (w->freelist_problems++ >= SLAB_MAX_FREELIST_FINDINGS)
		return;
	mml_finding_begin(&w->b, w->findings,
			  MML_CHECK_SLAB_FREELIST, 0,
			  "mm_struct slab 0x%llx: freelist %s at 0x%llx",
			  (unsigned long long)slab, what,
			  (unsigned long long)value);
	mml_ev_addr(&w->b, "cache", w->cache);
	mml_ev_addr(&w->b, "slab", slab);
	mml_ev_addr(&w->b, "freelist", head);
	mml_ev_hex(&w->b, "value", value);
	mml_ev_bool(&w->b, "hardened", w->hardened);
}

/* Mark the chain from @head free; every link must be an object of @si. */
static void walk_freelist(struct slab_walk *w, const struct slab_info *si,
			  uint64_t head)
{
	uint64_t end = si->base + si->nobj * w->size;
	uint64_t p = head;
	for (uint64_t n = 0; p; n++) {
		if (n >= si->nobj) {
			freelist_problem(w, "longer than the slab (cycle)",
					 si->slab, head, p);
			return;
		}
		if (p < si->base || p >= end || (p - si->base) % w->size) {
			freelist_problem(w, "leaves the slab", si->slab, head,
					 p);
			return;
		}
		free_add(w, p);
		uint64_t v, fault;
		enum mml_read_status rs =
			mml_ctx_read(w->ctx, p + w->offset, &v, 8, &fault);
		if (rs != MML_READ_OK) {
			freelist_problem(w, rs == MML_READ_EXCLUDED
						    ? "on an excluded page"
						    : "unreadable",
					 si->slab, head, p);
			return;
		}
		p = decode(w, v, p + w->offset);
	}
}

/* ---- slabs ---- */

/* Read the struct slab at @slab; false when it is not one of the cache. */
static bool slab_info_read(struct slab_walk *w, uint64_t slab,
			   struct slab_info *si, uint64_t *freelist)
{
	const struct mml_layout *l = w->l;
	uint64_t cache, counters;
	if (slab < w->vmemmap || (slab - w->vmemmap) % w->page_struct ||
	    !read_u64(w, slab + l->slab_cache, &cache) || cache != w->cache ||
	    !read_u64(w, slab + l->slab_freelist, freelist) ||
	    !read_u64(w, slab + l->slab_counters, &counters))
		return false;
	uint64_t pfn = (slab - w->vmemmap) / w->page_struct;
	si->slab = slab;
	si->base = w->page_offset + pfn * w->page_size + w->red_left_pad;
	si->nobj = (counters >> MML_SLAB_OBJECTS_SHIFT) & MML_SLAB_OBJECTS_MASK;
	return si->nobj > 0 && si->nobj <= MML_LIMIT_SLAB_OBJECTS;
}

/* Take the slab at @slab into the set; *@si_ret the entry (may be NULL). */
static const struct slab_info *slab_add(struct slab_walk *w, uint64_t slab)
{
	uint64_t idx;
	bool inserted;
	if (mml_map_get(&w->slab_seen, slab, &idx))
		return idx == SLAB_LOST
			       ? NULL
			       : MML_VEC_AT(&w->slabs, struct slab_info,
					    idx - 1);
	struct slab_info si;
	uint64_t freelist;
	if (!slab_info_read(w, slab, &si, &freelist))
		return NULL;
	/* Objects on pages the dump lacks (makedumpfile dropped them):
	 * neither free nor allocated can be told, so none is reported. */
	unsigned char probe[8];
	uint64_t fault;
	enum mml_read_status rs = mml_ctx_read(w->ctx, si.base, probe, 8,
					       &fault);
	if (rs == MML_READ_OK)
		rs = mml_ctx_read(w->ctx, si.base + si.nobj * w->size - 8,
				  probe, 8, &fault);
	if (rs != MML_READ_OK) {
		if (!w->lost_slabs++) {
			w->lost_first = slab;
			w->lost_addr = fault;
			w->lost_status = rs;
		}
		if (!mml_map_insert(&w->slab_seen, slab, SLAB_LOST, &inserted))
			w->nomem = true;
		return NULL;
	}
	struct slab_info *p = mml_vec_push(&w->slabs);
	if (!p || !mml_map_insert(&w->slab_seen, slab, w->slabs.len,
				  &inserted)) {
		w->nomem = true;
		return NULL;
	}
	si.from_memmap = w->in_memmap;
	*p = si;
	walk_freelist(w, &si, freelist);
	return MML_VEC_AT(&w->slabs, struct slab_info, w->slabs.len - 1);
}

/* A list of slabs linked through slab->slab_list from @head. */
static void walk_slab_list(struct slab_walk *w, uint64_t head)
{
	uint64_t pos;
	if (!read_u64(w, head + w->l->list_head_next, &pos))
		return;
	for (uint64_t n = 0; pos != head; n++) {
		if (n >= MML_LIMIT_SLAB_LIST) {
			mml_finding_begin(&w->b, w->findings,
					  MML_CHECK_WALK_LIMIT, 0,
					  "partial slab list 0x%llx longer "
					  "than %u", (unsigned long long)head,
					  MML_LIMIT_SLAB_LIST);
			return;
		}
		slab_add(w, pos - w->l->slab_list);
		if (!read_u64(w, pos + w->l->list_head_next, &pos))
			return;
	}
}

/* The objects of one sheaf are free. */
static void walk_sheaf(struct slab_walk *w, uint64_t sheaf)
{
	uint32_t size;
	if (!sheaf || !read_u32(w, sheaf + w->l->sheaf_size, &size))
		return;
	if (size > MML_LIMIT_SHEAF_OBJECTS)
		size = MML_LIMIT_SHEAF_OBJECTS;
	for (uint32_t i = 0; i < size; i++) {
		uint64_t obj;
		if (read_u64(w, sheaf + w->l->sheaf_objects + 8ull * i, &obj))
			free_add(w, obj);
	}
}

/*
 * A barn's sheaf list. Each sheaf costs up to MML_LIMIT_SHEAF_OBJECTS
 * reads, so a list that loops without coming back to its head is cut at
 * the first sheaf seen twice, not after MML_LIMIT_SLAB_LIST sheaves (a
 * looping list took minutes; found by tests/fuzz/fuzz_slab).
 */
static void walk_sheaf_list(struct slab_walk *w, uint64_t head)
{
	uint64_t pos;
	struct mml_map seen;
	bool inserted = true;
	if (!read_u64(w, head + w->l->list_head_next, &pos))
		return;
	mml_map_init(&seen);
	for (uint64_t n = 0; pos != head; n++) {
		if (n >= MML_LIMIT_SLAB_LIST ||
		    !mml_map_insert(&seen, pos, 1, &inserted) || !inserted) {
			mml_finding_begin(&w->b, w->findings,
					  MML_CHECK_WALK_LIMIT, 0,
					  "sheaf list 0x%llx %s",
					  (unsigned long long)head,
					  inserted ? "too long"
						   : "loops");
			break;
		}
		walk_sheaf(w, pos - w->l->sheaf_barn_list);
		if (!read_u64(w, pos + w->l->list_head_next, &pos))
			break;
	}
	mml_map_deinit(&seen);
}

static void walk_cpus(struct slab_walk *w)
{
	const struct mml_layout *l = w->l;
	bool slabs = have(l->kc_cpu_slab) && have(l->kcc_freelist) &&
		     have(l->kcc_slab);
	bool sheaves = have(l->kc_cpu_sheaves) && have(l->pcs_main) &&
		       have(l->sheaf_size) && have(l->sheaf_objects);
	uint64_t pcpu;
	if (!w->per_cpu_offset || (!slabs && !sheaves) ||
	    !read_u64(w, w->cache + (slabs ? l->kc_cpu_slab
					   : l->kc_cpu_sheaves), &pcpu)) {
		note(w, "%sper-cpu %s not read", slabs ? "slabs" : "sheaves");
		return;
	}
	for (uint64_t cpu = 0; cpu < w->ncpus; cpu++) {
		uint64_t off;
		if (!read_u64(w, w->per_cpu_offset + 8 * cpu, &off))
			continue;
		uint64_t c = pcpu + off;
		if (sheaves) {
			uint64_t p;
			if (read_u64(w, c + l->pcs_main, &p))
				walk_sheaf(w, p);
			if (have(l->pcs_spare) &&
			    read_u64(w, c + l->pcs_spare, &p))
				walk_sheaf(w, p);
			if (have(l->pcs_rcu_free) &&
			    read_u64(w, c + l->pcs_rcu_free, &p))
				walk_sheaf(w, p);
			continue;
		}
		uint64_t freelist, slab, partial;
		if (!read_u64(w, c + l->kcc_freelist, &freelist) ||
		    !read_u64(w, c + l->kcc_slab, &slab))
			continue;
		if (slab) {
			const struct slab_info *si = slab_add(w, slab);
			if (si) {
				struct slab_info copy = *si;
				walk_freelist(w, &copy, freelist);
			}
		}
		if (!have(l->kcc_partial) || !have(l->slab_next) ||
		    !read_u64(w, c + l->kcc_partial, &partial))
			continue;
		for (uint64_t n = 0; partial && n < MML_LIMIT_SLAB_LIST; n++) {
			slab_add(w, partial);
			if (!read_u64(w, partial + l->slab_next, &partial))
				break;
		}
	}
}

static void walk_nodes(struct slab_walk *w)
{
	const struct mml_layout *l = w->l;
	bool old = have(l->kc_node) && have(l->kc_node_count);
	bool per = have(l->kc_per_node) && have(l->kc_per_node_count) &&
		   have(l->kpn_size) && have(l->kpn_node);
	if ((!old && !per) || !have(l->kcn_partial)) {
		note(w, "%sper-node %s not read", "lists");
		return;
	}
	uint64_t count = old ? l->kc_node_count : l->kc_per_node_count;
	if (count > w->nnodes)
		count = w->nnodes;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t node = 0, barn = 0;
		if (old) {
			read_u64(w, w->cache + l->kc_node + 8 * i, &node);
		} else {
			uint64_t e = w->cache + l->kc_per_node + i * l->kpn_size;
			read_u64(w, e + l->kpn_node, &node);
			if (have(l->kpn_barn))
				read_u64(w, e + l->kpn_barn, &barn);
		}
		if (node)
			walk_slab_list(w, node + l->kcn_partial);
		if (barn && have(l->sheaf_barn_list) &&
		    have(l->barn_sheaves_full)) {
			walk_sheaf_list(w, barn + l->barn_sheaves_full);
			/* Empty sheaves hold nothing; size says so. */
			if (have(l->barn_sheaves_empty))
				walk_sheaf_list(w, barn + l->barn_sheaves_empty);
		}
	}
}

/* Is the struct page in @p (page_struct bytes) the head of a slab page of
 * our cache? */
static bool page_is_ours(const struct slab_walk *w, const unsigned char *p)
{
	const struct mml_layout *l = w->l;
	uint64_t tail = have(l->page_compound_info) ? l->page_compound_info
						     : l->page_compound_head;
	if (have(tail) && (mml_get_u64(p, tail) & MML_PAGE_TAIL_BIT))
		return false;
	bool slab;
	if (have(l->pg_slab)) {
		slab = (mml_get_u64(p, l->page_flags) >> l->pg_slab) & 1;
	} else {
		slab = (mml_get_u32(p, l->page_type) >> MML_PAGE_TYPE_SHIFT) ==
		       l->pgty_slab;
	}
	return slab &&
	       mml_get_u64(p, l->slab_cache) == w->cache;
}

/* The memmap's extent in page frames; false (and a note) when it cannot
 * be searched at all. */
static bool memmap_extent(struct slab_walk *w, uint64_t *max_pfn)
{
	const struct mml_layout *l = w->l;
	uint64_t max_pfn_addr;
	if (!have(l->page_struct_size) || !have(l->page_flags) ||
	    (!have(l->pg_slab) &&
	     !(have(l->page_type) && have(l->pgty_slab)))) {
		/* 6.10 and 6.11 mark slabs with an inverted PG_slab bit in
		 * page_type (enum pagetype without PGTY_slab): not read. */
		note(w, "%smemmap not searched: %s",
		     "the types have neither enum pageflags PG_slab nor enum "
		     "pagetype PGTY_slab (6.10/6.11 are not supported)");
		return false;
	}
	if (!sym(w, "max_pfn", &max_pfn_addr) ||
	    !read_u64(w, max_pfn_addr, max_pfn)) {
		note(w, "%smemmap not searched: %s", "max_pfn unknown");
		return false;
	}
	if (w->first_pfn >= *max_pfn) {
		note(w, "%smemmap not searched: %s",
		     "min_low_pfn is not below max_pfn");
		return false;
	}
	return true;
}

static void walk_memmap(struct slab_walk *w, uint64_t max_pfn)
{
	if (max_pfn - w->first_pfn > MML_LIMIT_MEMMAP_PFNS) {
		mml_finding_begin(&w->b, w->findings,
				  MML_CHECK_WALK_LIMIT, 0,
				  "memmap of %llu pages: only the first %llu "
				  "searched for mm_struct slabs",
				  (unsigned long long)(max_pfn - w->first_pfn),
				  (unsigned long long)MML_LIMIT_MEMMAP_PFNS);
		max_pfn = w->first_pfn + MML_LIMIT_MEMMAP_PFNS;
	}
	uint64_t ps = w->page_size, sps = w->page_struct;
	unsigned char page[1 << 16];
	if (ps > sizeof(page) || sps > ps || sps < 16) {
		note(w, "%smemmap not searched: %s", "page geometry");
		return;
	}
	w->stats->memmap = true;
	w->in_memmap = true;
	uint64_t pfn = w->first_pfn;
	while (pfn < max_pfn) {
		uint64_t addr = w->vmemmap + pfn * sps;
		uint64_t mpage = addr & ~(ps - 1);
		if (mml_ctx_read(w->ctx, mpage, page, ps, NULL) !=
		    MML_READ_OK) {
			/* A hole in the memmap: skip the page of it. */
			w->stats->memmap_holes++;
			pfn = (mpage + ps - w->vmemmap + sps - 1) / sps;
			continue;
		}
		for (; pfn < max_pfn; pfn++) {
			addr = w->vmemmap + pfn * sps;
			if (addr + sps > mpage + ps)
				break;
			w->stats->memmap_pfns++;
			if (page_is_ours(w, page + (addr - mpage)))
				slab_add(w, addr);
		}
		if (pfn < max_pfn && (w->vmemmap + pfn * sps) < mpage + ps) {
			/* A struct page across two memmap pages. */
			unsigned char one[256];
			w->stats->memmap_pfns++;
			if (sps <= sizeof(one) &&
			    mml_ctx_read(w->ctx, addr, one, sps, NULL) ==
				    MML_READ_OK &&
			    page_is_ours(w, one))
				slab_add(w, addr);
			pfn++;
		}
		if (w->nomem)
			return;
	}
}

/* ---- accounting: does the memmap hold objects nobody knows? ---- */

/* The nodes' nr_slabs/total_objects counters (CONFIG_SLUB_DEBUG). */
static bool node_counts(struct slab_walk *w, uint64_t *total)
{
	const struct mml_layout *l = w->l;
	bool old = have(l->kc_node) && have(l->kc_node_count);
	bool per = have(l->kc_per_node) && have(l->kc_per_node_count) &&
		   have(l->kpn_size) && have(l->kpn_node);
	if ((!old && !per) || !have(l->kcn_total_objects))
		return false;
	uint64_t count = old ? l->kc_node_count : l->kc_per_node_count;
	if (count > w->nnodes)
		count = w->nnodes;
	*total = 0;
	for (uint64_t i = 0; i < count; i++) {
		uint64_t node = 0, n;
		uint64_t at = old ? w->cache + l->kc_node + 8 * i
				  : w->cache + l->kc_per_node +
					    i * l->kpn_size + l->kpn_node;
		if (!read_u64(w, at, &node))
			return false;
		if (!node)
			continue;
		if (!read_u64(w, node + l->kcn_total_objects, &n) ||
		    n > (1ULL << 40))
			return false;
		*total += n;
	}
	return true;
}

/*
 * Allocated objects in slabs on no list (full slabs) that @known does not
 * account for. Objects on freelists and in sheaves are free; a sheaf may
 * hold objects of a full slab, so they are taken off its count too.
 */
static void account(struct slab_walk *w, const struct mml_map *known)
{
	struct slab_stats *st = w->stats;
	uint64_t listed = 0, free_listed = 0, known_listed = 0, v;
	for (size_t i = 0; i < w->slabs.len; i++) {
		const struct slab_info *si =
			MML_VEC_AT(&w->slabs, struct slab_info, i);
		listed += si->nobj;
		for (uint64_t j = 0; j < si->nobj; j++) {
			uint64_t obj = si->base + j * w->size;
			if (mml_map_get(&w->free, obj, &v))
				free_listed++;
			else if (known && mml_map_get(known, obj, &v))
				known_listed++;
		}
	}
	st->listed_objects = listed;
	uint64_t unlisted = st->total_objects > listed
				    ? st->total_objects - listed : 0;
	uint64_t free_unlisted = w->free.len - free_listed;
	uint64_t known_unlisted = (known ? known->len : 0) - known_listed;
	uint64_t live = unlisted > free_unlisted ? unlisted - free_unlisted
						 : 0;
	st->unaccounted = live > known_unlisted ? live - known_unlisted : 0;
}

/* Decide whether to search the memmap; memmap_why says why. */
static bool memmap_wanted(struct slab_walk *w, const struct slab_request *req,
			  uint64_t max_pfn)
{
	struct slab_stats *st = w->stats;
	uint64_t pfns = max_pfn - w->first_pfn;
	uint64_t gib = (pfns * w->page_size) >> 30;
	if (req->memmap == SLAB_MEMMAP_ALWAYS) {
		snprintf(st->memmap_why, sizeof(st->memmap_why),
			 "asked for (--deep)");
		return true;
	}
	if (req->memmap == SLAB_MEMMAP_NEVER) {
		snprintf(st->memmap_why, sizeof(st->memmap_why),
			 "not asked for");
		return false;
	}
	st->counted = node_counts(w, &st->total_objects);
	if (st->counted)
		account(w, req->known);
	if (st->counted && !w->lost_slabs && !st->unaccounted) {
		snprintf(st->memmap_why, sizeof(st->memmap_why),
			 "not needed: the cache's counters account for every "
			 "allocated object (%llu in all, %llu on listed slabs, "
			 "the rest known mms)",
			 (unsigned long long)st->total_objects,
			 (unsigned long long)st->listed_objects);
		return false;
	}
	char why[128];
	if (!st->counted)
		snprintf(why, sizeof(why), "the kernel keeps no slab counters "
			 "(CONFIG_SLUB_DEBUG off)");
	else if (w->lost_slabs)
		snprintf(why, sizeof(why), "slabs on the lists are unreadable");
	else
		snprintf(why, sizeof(why), "%llu allocated objects are "
			 "neither on listed slabs nor known mms",
			 (unsigned long long)st->unaccounted);
	if (req->memmap_limit_pfns && pfns > req->memmap_limit_pfns) {
		snprintf(st->memmap_why, sizeof(st->memmap_why),
			 "skipped: %s, but the memmap of %llu GiB of RAM is "
			 "over the default bound of %llu GiB (--deep searches "
			 "it)", why, (unsigned long long)gib,
			 (unsigned long long)((req->memmap_limit_pfns *
					       w->page_size) >> 30));
		return false;
	}
	snprintf(st->memmap_why, sizeof(st->memmap_why), "searched: %s", why);
	return true;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool walk_setup(struct slab_walk *w, const char *symbol,
		       const char *name)
{
	const struct mml_layout *l = w->l;
	if (!have(l->slab_cache) || !have(l->slab_freelist) ||
	    !have(l->slab_counters) || !have(l->kc_name) ||
	    !have(l->kc_size) || !have(l->kc_offset) ||
	    !have(l->page_struct_size)) {
		note(w, "%sthe kernel types lack %s",
		     "struct slab or struct kmem_cache members (not SLUB?)");
		return false;
	}
	w->page_size = w->ctx->target.page_size;
	w->page_struct = l->page_struct_size;
	uint64_t a;
	struct mml_memmap mm;
	struct mml_error *err = mml_memmap_find(w->ctx, l, &mm);
	if (err) {
		note(w, "%s%s", err->message);
		mml_error_destroy(err);
		return false;
	}
	w->vmemmap = mm.vmemmap;
	w->page_offset = mm.page_offset;
	w->first_pfn = mm.first_pfn;
	w->cache = find_cache(w, symbol, name);
	if (!w->cache) {
		note(w, "%sno slab cache named %s", name);
		return false;
	}
	if (!cache_read(w)) {
		note(w, "%sslab cache %s unreadable or implausible", name);
		return false;
	}
	uint32_t n32;
	w->ncpus = 1;
	if (sym(w, "nr_cpu_ids", &a) && read_u32(w, a, &n32) && n32)
		w->ncpus = n32 < MML_LIMIT_CPUS ? n32 : MML_LIMIT_CPUS;
	w->nnodes = 1;
	if (sym(w, "nr_node_ids", &a) && read_u32(w, a, &n32) && n32)
		w->nnodes = n32 < MML_LIMIT_NUMA_NODES ? n32
						       : MML_LIMIT_NUMA_NODES;
	if (!sym(w, "__per_cpu_offset", &w->per_cpu_offset))
		w->per_cpu_offset = 0;
	return true;
}

/* The walk's problems as findings: unreadable slabs, more corrupt
 * freelists than were reported one by one. */
static void report_problems(struct slab_walk *w)
{
	if (w->lost_slabs) {
		bool lost = w->lost_status == MML_READ_EXCLUDED;
		mml_finding_begin(&w->b, w->findings,
				  lost ? MML_CHECK_EXCLUDED_PAGE
				       : MML_CHECK_UNREADABLE,
				  0,
				  "%llu mm_struct slabs unreadable (%s): the "
				  "mms on them are missed",
				  (unsigned long long)w->lost_slabs,
				  mml_read_status_name(w->lost_status));
		if (lost)
			mml_ev_lost(&w->b, MML_LOST_SLAB_PAGE, w->lost_slabs);
		mml_ev_u64(&w->b, "occurrences", w->lost_slabs);
		mml_ev_addr(&w->b, "first_slab", w->lost_first);
		mml_ev_addr(&w->b, "address", w->lost_addr);
		mml_ev_str(&w->b, "reason", "%s",
			   mml_read_status_name(w->lost_status));
	}
	if (w->excluded_freelists) {
		mml_finding_begin(&w->b, w->findings,
				  MML_CHECK_EXCLUDED_PAGE, 0,
				  "%llu mm_struct slab freelists run into pages "
				  "the dump lacks: which of their objects are "
				  "free is unknown",
				  (unsigned long long)w->excluded_freelists);
		mml_ev_lost(&w->b, MML_LOST_SLAB_FREELIST,
			    w->excluded_freelists);
		mml_ev_u64(&w->b, "occurrences", w->excluded_freelists);
	}
	if (w->freelist_problems > SLAB_MAX_FREELIST_FINDINGS) {
		mml_finding_begin(&w->b, w->findings,
				  MML_CHECK_SLAB_FREELIST, 0,
				  "%llu more corrupt mm_struct slab freelists",
				  (unsigned long long)(w->freelist_problems -
						       SLAB_MAX_FREELIST_FINDINGS));
		mml_ev_u64(&w->b, "occurrences", w->freelist_problems);
	}
}

/* Every object of the slabs seen that is not free. */
static void collect_objects(struct slab_walk *w, struct mml_vec *objects)
{
	for (size_t i = 0; i < w->slabs.len && !w->nomem; i++) {
		const struct slab_info *si =
			MML_VEC_AT(&w->slabs, struct slab_info, i);
		for (uint64_t j = 0; j < si->nobj; j++) {
			uint64_t obj = si->base + j * w->size;
			uint64_t v;
			unsigned char probe[8];
			if (mml_map_get(&w->free, obj, &v)) {
				w->stats->free_objects++;
				continue;
			}
			/* On a page the dump lacks, or in a slab whose
			 * freelist does: not known to be allocated. */
			if (mml_map_get(&w->uncertain, si->slab, &v) ||
			    mml_ctx_read(w->ctx, obj, probe, sizeof(probe),
					 NULL) != MML_READ_OK) {
				w->stats->lost_objects++;
				continue;
			}
			uint64_t *o = mml_vec_push(objects);
			if (!o) {
				w->nomem = true;
				break;
			}
			*o = obj;
			w->stats->objects++;
			if (w->known && mml_map_get(w->known, obj, &v))
				continue;
			if (si->from_memmap)
				w->stats->new_memmap++;
			else
				w->stats->new_listed++;
		}
	}
}

struct mml_error *mml_slab_objects(struct mml_ctx *ctx,
				   const struct slab_request *req,
				   struct mml_vec *objects,
				   struct slab_stats *stats,
				   struct mml_vec *findings)
{
	uint64_t t0 = now_ms(), pages0 = mml_reader_pages_read(ctx->reader);
	struct slab_walk w = {
		.ctx = ctx,
		.l = &ctx->layout,
		.stats = stats,
		.known = req->known,
		.findings = findings,
		.slabs = MML_VEC_INIT(struct slab_info),
	};
	memset(stats, 0, sizeof(*stats));
	mml_map_init(&w.slab_seen);
	mml_map_init(&w.free);
	mml_map_init(&w.uncertain);

	if (walk_setup(&w, req->symbol, req->name)) {
		stats->available = true;
		stats->cache = w.cache;
		stats->object_size = w.size;
		walk_cpus(&w);
		walk_nodes(&w);
		uint64_t max_pfn = 0;
		bool extent = memmap_extent(&w, &max_pfn);
		stats->max_pfn = max_pfn;
		if (!extent)
			snprintf(stats->memmap_why, sizeof(stats->memmap_why),
				 "cannot be searched (%.200s)", stats->reason);
		else if (memmap_wanted(&w, req, max_pfn))
			walk_memmap(&w, max_pfn);
		stats->slabs = w.slabs.len;
		stats->lost_slabs = w.lost_slabs;
		report_problems(&w);
		collect_objects(&w, objects);
	}
	mml_vec_free(&w.slabs);
	mml_map_deinit(&w.slab_seen);
	mml_map_deinit(&w.free);
	mml_map_deinit(&w.uncertain);
	stats->pages_read = mml_reader_pages_read(ctx->reader) - pages0;
	stats->ms = now_ms() - t0;
	struct mml_error *err = mml_finding_end(&w.b);
	if (!err && w.nomem)
		err = &mml_enomem;
	return err;
}

bool mml_task_ref_read(struct mml_ctx *ctx, uint64_t task,
		       struct mml_task_ref *ref)
{
	const struct mml_layout *l = &ctx->layout;
	unsigned char comm[16] = { 0 };
	uint32_t flags = 0;
	uint64_t clen = l->task_comm_len < 16 ? l->task_comm_len : 16;
	memset(ref, 0, sizeof(*ref));
	ref->task = task;
	if (mml_ctx_read(ctx, task + l->task_pid, &ref->pid, 4, NULL) !=
		    MML_READ_OK ||
	    mml_ctx_read(ctx, task + l->task_tgid, &ref->tgid, 4, NULL) !=
		    MML_READ_OK ||
	    mml_ctx_read(ctx, task + l->task_flags, &flags, 4, NULL) !=
		    MML_READ_OK ||
	    mml_ctx_read(ctx, task + l->task_comm, comm, clen, NULL) !=
		    MML_READ_OK)
		return false;
	memcpy(ref->comm, comm, 16);
	ref->comm[16] = '\0';
	ref->kthread = flags & MML_PF_KTHREAD;
	return true;
}

void mml_orphan_owner(struct mml_ctx *ctx, uint64_t mm,
		      struct orphan_owner *ret)
{
	const struct mml_layout *l = &ctx->layout;
	memset(ret, 0, sizeof(*ret));
	if (!have(l->mm_owner) ||
	    mml_ctx_read(ctx, mm + l->mm_owner, &ret->task, 8, NULL) !=
		    MML_READ_OK)
		return;
	ret->known = true;
	if (!ret->task)
		return;
	unsigned char comm[64] = { 0 };
	uint64_t clen = l->task_comm_len < 16 ? l->task_comm_len : 16;
	ret->readable =
		mml_ctx_read(ctx, ret->task + l->task_pid, &ret->pid, 4,
			     NULL) == MML_READ_OK &&
		mml_ctx_read(ctx, ret->task + l->task_tgid, &ret->tgid, 4,
			     NULL) == MML_READ_OK &&
		mml_ctx_read(ctx, ret->task + l->task_mm, &ret->task_mm, 8,
			     NULL) == MML_READ_OK &&
		mml_ctx_read(ctx, ret->task + l->task_comm, comm, clen,
			     NULL) == MML_READ_OK;
	memcpy(ret->comm, comm, 16);
	ret->comm[16] = '\0';
}
