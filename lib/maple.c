// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Maple tree decoding. The kernel's lib/maple_tree.c and
 * include/linux/maple_tree.h are the specification: the node encoding of
 * mte_to_node() and mte_node_type(), the data end of ma_data_end(), and the
 * rules mt_validate() checks (mas_validate_parent_slot(),
 * mas_validate_child_slot(), mas_validate_limits(), and for allocation
 * trees mas_validate_gaps() and mt_validate_nulls()). The walk is an
 * explicit stack of at most MAPLE_HEIGHT_MAX frames, visits each node once
 * (a set of seen nodes catches cycles), and stops at the node limit.
 */
#include <stdlib.h>
#include <string.h>

#include "kconst.h"
#include "maple.h"
#include "walk_limits.h"

#define MAX_SLOTS 64   /* layout_validate() bounds the slot counts by this */

struct frame {
	uint64_t node;
	unsigned int type;
	bool leaf;
	uint64_t min, max;
	unsigned int depth;
	unsigned int end;          /* last used slot */
	unsigned int next;         /* next child slot to visit */
	unsigned int pcount;       /* pivots of this node type */
	uint64_t max_gap;          /* largest gap below (allocation trees) */
	uint64_t pivot[MAX_SLOTS];
	uint64_t slot[MAX_SLOTS];
	uint64_t gap[MAX_SLOTS];   /* arange_64 nodes of allocation trees */
};

struct walk {
	struct mml_ctx *ctx;
	const struct mml_layout *l;
	const struct maple_visitor *v;
	struct maple_walk_result *res;
	uint64_t tree;
	struct mml_map seen;
	const unsigned char *buf; /* the node being decoded: in the reader's
				     page, or in copy */
	unsigned char *copy;       /* one node */
	bool oom;
	bool stop;                 /* node limit: abandon the walk */
	bool height_reported;
	bool alloc;                /* MT_FLAGS_ALLOC_RANGE: gaps are kept */
	/* The last leaf visited, for NULLs that meet across leaves. */
	bool prev_null;            /* its last slot is NULL */
	uint64_t prev_null_first;  /* where that NULL starts */
	uint64_t prev_last;        /* its max */
	/* Read-ahead (hint_node()): the parent whose leaves are being
	 * hinted, and its next child slot not hinted yet. */
	uint64_t ahead_parent;
	unsigned int ahead_next;
};

/* Leaves past the one being visited whose VMAs are hinted: a few pages
 * for a read-ahead thread to inflate while the walk reads this leaf's. */
enum { HINT_LEAVES = 4 };

/* Whether a problem leaves part of the tree undecoded (the walk is then
 * not complete); the others are findings about nodes fully read. */
static bool problem_breaks_walk(enum maple_problem_kind kind)
{
	switch (kind) {
	case MP_PARENT:
	case MP_PIVOT:
	case MP_METADATA:
	case MP_HEIGHT:
	case MP_GAP:
	case MP_GAP_RANGE:
	case MP_GAP_META:
	case MP_GAP_PAST_END:
	case MP_NULLS:
		return false;
	case MP_UNREADABLE:
	case MP_NODE_TYPE:
	case MP_DEAD:
	case MP_CYCLE:
	case MP_NODE_LIMIT:
	case MP_BAD_CHILD:
	case MP_ROOT_ENTRY:
		return true;
	}
	return true;
}

static void walk_problem(struct walk *w, enum maple_problem_kind kind,
			 const struct frame *f, uint64_t node,
			 unsigned int slot, uint64_t value, uint64_t expected)
{
	if (problem_breaks_walk(kind))
		w->res->complete = false;
	if (!w->v->problem)
		return;
	struct maple_problem p = {
		.kind = kind,
		.node = node,
		.slot = slot,
		.depth = f ? f->depth : 0,
		.min = f ? f->min : 0,
		.max = f ? f->max : UINT64_MAX,
		.value = value,
		.expected = expected,
		.type = f ? f->type : 0,
	};
	w->v->problem(w->v->arg, &p);
}

/* The root pointer: xa_is_node(), an internal entry above 4096. */
static bool is_node_ptr(uint64_t p)
{
	return (p & 3) == 2 && p > MML_MAPLE_RESERVED_RANGE;
}

/*
 * A child slot of an internal node: mt_mk_node() gives node | type << 3 |
 * MAPLE_ENODE_NULL, without the root bit, so bits 0-1 are clear.
 */
static bool is_child_ptr(uint64_t p)
{
	return (p & 3) == 0 && (p & ~MML_MAPLE_NODE_MASK) >
				       MML_MAPLE_RESERVED_RANGE;
}

/*
 * Where the node's data ends by the kernel's own rule (ma_data_end()),
 * which trusts the metadata for non-full nodes.
 */
static unsigned int meta_end(const struct walk *w, const struct frame *f)
{
	const struct mml_layout *l = w->l;
	if (f->type == l->mt_type_arange_64)
		return mml_get_u8(w->buf, l->ma64_meta + l->meta_end);
	uint64_t pcount = l->mr64_pivot_count;
	uint64_t last = f->pivot[pcount - 1];
	if (!last)
		return mml_get_u8(w->buf, l->mr64_meta + l->meta_end);
	if (last == f->max)
		return pcount - 1;
	return pcount;
}

/* Where a node hangs: what its parent's slot says about it. */
struct node_ref {
	const struct frame *parent;   /* NULL for the root */
	unsigned int parent_slot;
	uint64_t enode;               /* the encoded pointer in that slot */
	uint64_t min, max;            /* the slot's index range */
	unsigned int depth;           /* 1 for the root */
};

/* Count the node against the limit and the set of nodes seen; false when
 * it is not to be read (a cycle, the limit, ENOMEM). */
static bool node_admit(struct walk *w, const struct node_ref *ref,
		       const struct frame *f)
{
	if (w->res->nodes >= w->ctx->limits.max_nodes) {
		walk_problem(w, MP_NODE_LIMIT, f, f->node, 0,
			     w->ctx->limits.max_nodes, 0);
		w->stop = true;
		return false;
	}
	bool inserted;
	if (!mml_map_insert(&w->seen, f->node, 1, &inserted)) {
		w->oom = true;
		w->stop = true;
		return false;
	}
	if (!inserted) {
		walk_problem(w, MP_CYCLE, f, f->node, ref->parent_slot,
			     ref->enode, 0);
		return false;
	}
	w->res->nodes++;
	return true;
}

/* Read the node into w->buf; false when unreadable (reported). */
static bool node_read(struct walk *w, const struct node_ref *ref,
		      const struct frame *f)
{
	uint64_t fault = 0;
	enum mml_read_status st;
	/* A view into the reader's page, unless a node callback may read
	 * (and evict that page) before the node is decoded. */
	if (w->v->node) {
		st = mml_ctx_read(w->ctx, f->node, w->copy,
				  w->l->maple_node_size, &fault);
		w->buf = w->copy;
	} else {
		w->buf = mml_ctx_view(w->ctx, f->node, w->copy,
				      w->l->maple_node_size, &st, &fault);
	}
	if (st == MML_READ_OK)
		return true;
	if (w->v->problem) {
		struct maple_problem p = {
			.kind = MP_UNREADABLE, .node = f->node,
			.slot = ref->parent_slot, .depth = ref->depth,
			.min = ref->min, .max = ref->max, .value = ref->enode,
			.status = st, .type = f->type,
		};
		w->v->problem(w->v->arg, &p);
	}
	w->res->complete = false;
	return false;
}

/* A leaf_64, or the internal type the tree's flags call for; false for a
 * type a VMA tree never holds (not followed). */
static bool node_check_type(struct walk *w, const struct node_ref *ref,
			    struct frame *f)
{
	const struct mml_layout *l = w->l;
	if (f->type == l->mt_type_leaf_64) {
		f->leaf = true;
		return true;
	}
	if (f->type == l->mt_type_arange_64 || f->type == l->mt_type_range_64) {
		f->leaf = false;
		/* An ALLOC_RANGE tree (every mm_mt) uses arange_64 inside. */
		bool alloc = w->res->ma_flags & MML_MT_FLAGS_ALLOC_RANGE;
		if (alloc != (f->type == l->mt_type_arange_64))
			walk_problem(w, MP_NODE_TYPE, f, f->node,
				     ref->parent_slot, ref->enode,
				     alloc ? l->mt_type_arange_64
					   : l->mt_type_range_64);
		return true;
	}
	/* maple_dense, maple_copy (7.2+) or garbage: not followed. */
	walk_problem(w, MP_NODE_TYPE, f, f->node, ref->parent_slot, ref->enode,
		     0);
	return false;
}

/* The parent pointer: a dead node (false: not followed) or one that does
 * not name the slot that holds the node, or the tree for the root. */
static bool node_check_parent(struct walk *w, const struct node_ref *ref,
			      const struct frame *f, bool arange)
{
	const struct mml_layout *l = w->l;
	uint64_t parent = mml_get_u64(w->buf, arange ? l->ma64_parent
						     : l->mr64_parent);
	if ((parent & ~MML_MAPLE_NODE_MASK) == f->node) {
		walk_problem(w, MP_DEAD, f, f->node, ref->parent_slot, parent,
			     0);
		return false;
	}
	uint64_t want = ref->parent
		? (ref->parent->node | ((uint64_t)ref->parent_slot << 3) |
		   MML_MAPLE_PARENT_RANGE64)
		: (w->tree | MML_MAPLE_PARENT_ROOT);
	if (parent != want)
		walk_problem(w, MP_PARENT, f, f->node, ref->parent_slot,
			     parent, want);
	return true;
}

/* Where the pivots say the data ends (mas_validate_limits()). */
static unsigned int pivots_end(struct walk *w, struct frame *f,
			       uint64_t pcount, uint64_t scount)
{
	unsigned int end = scount - 1;
	uint64_t prev = f->min;
	for (unsigned int i = 0; i < scount; i++) {
		uint64_t piv = i < pcount ? f->pivot[i] : f->max;
		if (!piv && i) {
			/* Missing node limit pivot: the data stops here. */
			walk_problem(w, MP_PIVOT, f, f->node, i, piv, f->max);
			return i - 1;
		}
		if (piv < prev || piv > f->max) {
			walk_problem(w, MP_PIVOT, f, f->node, i, piv,
				     piv > f->max ? f->max : prev);
			if (piv > f->max && i) {
				/* Treat the bad pivot as the limit. */
				f->pivot[i] = f->max;
				return i;
			}
			return i ? i - 1 : 0;
		}
		prev = piv;
		if (piv == f->max)
			return i;
	}
	return end;
}

/* The metadata end against @end, and nothing used past it (the last
 * range_64 slot is the metadata). */
static void check_past_end(struct walk *w, const struct frame *f,
			   unsigned int end, uint64_t pcount, uint64_t scount,
			   bool arange)
{
	unsigned int mend = meta_end(w, f);
	if (mend != end)
		walk_problem(w, MP_METADATA, f, f->node, mend, mend, end);
	for (unsigned int i = end + 1; i < scount; i++) {
		bool meta_slot = !arange && i == scount - 1;
		if ((f->slot[i] && !meta_slot) ||
		    (i < pcount && f->pivot[i])) {
			walk_problem(w, MP_PIVOT, f, f->node, i,
				     i < pcount && f->pivot[i] ? f->pivot[i]
							       : f->slot[i],
				     0);
			break;
		}
	}
}

static uint64_t slot_first(const struct frame *f, unsigned int i)
{
	return i ? f->pivot[i - 1] + 1 : f->min;
}

static uint64_t slot_last(const struct frame *f, unsigned int i)
{
	if (i >= f->pcount || i == f->end)
		return f->max;
	return f->pivot[i];
}

/*
 * The number of indices in [first, last]: the kernel's p_end - p_start + 1
 * (mas_validate_gaps()), saturated where the kernel's would wrap (only the
 * whole range, which no slot below the root spans).
 */
static uint64_t range_span(uint64_t first, uint64_t last)
{
	uint64_t n = last - first;
	return n == UINT64_MAX ? n : n + 1;
}

/*
 * A leaf's largest gap: the longest run of NULL entries, in indices. The
 * 6.1 validator sums a run of NULL slots; 6.6+ (Peng Zhang, "maple_tree:
 * make mas_validate_gaps() to check metadata") counts one NULL slot, and
 * mt_validate_nulls() forbids two in a row, so both give the same number
 * for a sound leaf.
 */
static uint64_t leaf_max_gap(const struct frame *f)
{
	uint64_t run = 0, max = 0;
	for (unsigned int i = 0; i <= f->end; i++) {
		if (f->slot[i]) {
			run = 0;
			continue;
		}
		uint64_t n = range_span(slot_first(f, i), slot_last(f, i));
		run = run + n < run ? UINT64_MAX : run + n;
		if (run > max)
			max = run;
	}
	return max;
}

/*
 * An arange_64 node's own gaps (mas_validate_gaps()): none exceeds its
 * slot's range, meta.gap names the largest, and those past the end are 0.
 * Sets f->max_gap, the largest, which the parent's gap for this node must
 * equal. 6.1 - 6.5 store MAPLE_ARANGE64_META_MAX, a slot past any end,
 * in meta.gap when every gap is 0 (mab_mas_cp()); 6.6 dropped that
 * ("maple_tree: don't use MAPLE_ARANGE64_META_MAX to indicate no gap"),
 * so an out-of-range meta.gap with no gap is accepted for both.
 */
static void check_node_gaps(struct walk *w, struct frame *f, uint64_t scount)
{
	const struct mml_layout *l = w->l;
	unsigned int largest = 0;
	for (unsigned int i = 0; i < scount; i++)
		f->gap[i] = mml_get_u64(w->buf, l->ma64_gap + 8 * i);
	for (unsigned int i = 0; i <= f->end; i++) {
		uint64_t room = range_span(slot_first(f, i), slot_last(f, i));
		if (f->gap[i] > room)
			walk_problem(w, MP_GAP_RANGE, f, f->node, i, f->gap[i],
				     room);
		if (f->gap[i] > f->max_gap) {
			f->max_gap = f->gap[i];
			largest = i;
		}
	}
	unsigned int off = mml_get_u8(w->buf, l->ma64_meta + l->meta_gap);
	bool no_gap_mark = off > f->end && !f->max_gap;
	if (!no_gap_mark && (off > f->end || f->gap[off] != f->max_gap))
		walk_problem(w, MP_GAP_META, f, f->node, off, off, largest);
	for (unsigned int i = f->end + 1; i < scount; i++) {
		if (f->gap[i]) {
			walk_problem(w, MP_GAP_PAST_END, f, f->node, i,
				     f->gap[i], 0);
			break;
		}
	}
}

/* The gaps of an allocation tree: the node's own, then the parent's gap
 * for it against the largest gap the node holds (mas_validate_gaps()). */
static void check_gaps(struct walk *w, const struct node_ref *ref,
		       struct frame *f, uint64_t scount)
{
	const struct mml_layout *l = w->l;
	if (f->leaf)
		f->max_gap = leaf_max_gap(f);
	else if (f->type == l->mt_type_arange_64)
		check_node_gaps(w, f, scount);
	else
		return;   /* a range_64 node: node-type said so */
	const struct frame *p = ref->parent;
	if (!p || p->type != l->mt_type_arange_64)
		return;
	uint64_t want = f->max_gap, have = p->gap[ref->parent_slot];
	if (have != want)
		walk_problem(w, MP_GAP, p, p->node, ref->parent_slot, have,
			     want);
}

/* A leaf slot worth a read-ahead hint: a kernel pointer (the upper half,
 * on x86_64 and arm64), 8-byte aligned like every VMA; never
 * XA_ZERO_ENTRY or another internal entry (bits 0-1 are 2). */
static bool hint_plausible(uint64_t v)
{
	return !(v & 7) && (v >> 63);
}

/* The VMAs of the next leaves of @p after slot @slot whose nodes the
 * reader holds already (peeked, not read: the order of reads stays the
 * walk's), up to HINT_LEAVES ahead; w->ahead_next moves past them. */
static void hint_next_leaves(struct walk *w, const struct frame *p,
			     unsigned int slot)
{
	const struct mml_layout *l = w->l;
	while (w->ahead_next <= p->end && w->ahead_next <= slot + HINT_LEAVES) {
		uint64_t e = p->slot[w->ahead_next];
		if (!is_child_ptr(e) ||
		    ((e >> MML_MAPLE_ENODE_TYPE_SHIFT) &
		     MML_MAPLE_ENODE_TYPE_MASK) != l->mt_type_leaf_64)
			return;
		const unsigned char *n = mml_reader_peek(
			w->ctx->reader, e & ~MML_MAPLE_NODE_MASK,
			l->maple_node_size);
		if (!n)
			return;
		for (uint64_t i = 0; i < l->mr64_slot_count; i++) {
			uint64_t v = mml_get_u64(n, l->mr64_slot + 8 * i);
			if (hint_plausible(v))
				mml_reader_hint(w->ctx->reader, v);
		}
		w->ahead_next++;
	}
}

/*
 * Read-ahead hints for a node just decoded (mml_ctx_set_prefetch()): an
 * internal node's children; a leaf's VMAs, unless hint_next_leaves()
 * named them already, and those of the next leaves.
 */
static void hint_node(struct walk *w, const struct node_ref *ref,
		      const struct frame *f)
{
	struct mml_reader *r = w->ctx->reader;
	if (!f->leaf) {
		for (unsigned int i = 0; i <= f->end; i++)
			if (is_child_ptr(f->slot[i]))
				mml_reader_hint(r, f->slot[i] &
						   ~MML_MAPLE_NODE_MASK);
		return;
	}
	const struct frame *p = ref->parent;
	if (p && w->ahead_parent != p->node) {
		w->ahead_parent = p->node;
		w->ahead_next = ref->parent_slot;
	}
	if (!p || w->ahead_next <= ref->parent_slot) {
		for (unsigned int i = 0; i <= f->end; i++)
			if (hint_plausible(f->slot[i]))
				mml_reader_hint(r, f->slot[i]);
		w->ahead_next = ref->parent_slot + 1;
	}
	if (p)
		hint_next_leaves(w, p, ref->parent_slot);
}

/*
 * Read and check the node @ref names into frame @f. Returns false when
 * the node cannot be followed (the problem has been reported).
 */
static bool decode_node(struct walk *w, const struct node_ref *ref,
			struct frame *f)
{
	const struct mml_layout *l = w->l;

	memset(f, 0, offsetof(struct frame, pivot));
	f->node = ref->enode & ~MML_MAPLE_NODE_MASK;
	f->type = (ref->enode >> MML_MAPLE_ENODE_TYPE_SHIFT) &
		  MML_MAPLE_ENODE_TYPE_MASK;
	f->min = ref->min;
	f->max = ref->max;
	f->depth = ref->depth;
	if (!node_admit(w, ref, f) || !node_read(w, ref, f) ||
	    !node_check_type(w, ref, f))
		return false;
	bool arange = f->type == l->mt_type_arange_64;
	if (!node_check_parent(w, ref, f, arange))
		return false;
	if (w->v->node)
		w->v->node(w->v->arg, f->depth, f->node, f->type, f->min,
			   f->max);

	uint64_t pcount = arange ? l->ma64_pivot_count : l->mr64_pivot_count;
	f->pcount = pcount;
	uint64_t scount = arange ? l->ma64_slot_count : l->mr64_slot_count;
	uint64_t poff = arange ? l->ma64_pivot : l->mr64_pivot;
	uint64_t soff = arange ? l->ma64_slot : l->mr64_slot;
	for (uint64_t i = 0; i < pcount; i++)
		f->pivot[i] = mml_get_u64(w->buf, poff + 8 * i);
	for (uint64_t i = 0; i < scount; i++)
		f->slot[i] = mml_get_u64(w->buf, soff + 8 * i);
	f->end = pivots_end(w, f, pcount, scount);
	check_past_end(w, f, f->end, pcount, scount, arange);
	if (w->alloc)
		check_gaps(w, ref, f, scount);
	if (w->ctx->prefetch)
		hint_node(w, ref, f);
	return true;
}

/*
 * No two NULL entries in a row in an allocation tree, across leaves too
 * (mt_validate_nulls(), which walks every leaf in order): the kernel
 * merges a NULL with its NULL neighbours, and its leaf gaps count on it.
 */
static void check_nulls(struct walk *w, const struct frame *f)
{
	bool prev = w->prev_null && w->prev_last != UINT64_MAX &&
		    f->min == w->prev_last + 1;
	uint64_t prev_first = w->prev_null_first;
	for (unsigned int i = 0; i <= f->end; i++) {
		bool null = !f->slot[i];
		if (null && prev) {
			walk_problem(w, MP_NULLS, f, f->node, i, prev_first,
				     slot_last(f, i));
			break;
		}
		prev = null;
		if (null)   /* read only while prev is set */
			prev_first = slot_first(f, i);
	}
	w->prev_null = !f->slot[f->end];
	w->prev_null_first = slot_first(f, f->end);
	w->prev_last = f->max;
}

static void visit_leaf(struct walk *w, const struct frame *f)
{
	if (w->alloc)
		check_nulls(w, f);
	if (f->depth > w->res->depth)
		w->res->depth = f->depth;
	if (f->depth != w->res->height && !w->height_reported) {
		walk_problem(w, MP_HEIGHT, f, f->node, 0, f->depth,
			     w->res->height);
		w->height_reported = true;
	}
	if (!w->v->entry)
		return;
	for (unsigned int i = 0; i <= f->end; i++) {
		if (f->slot[i])
			w->v->entry(w->v->arg, slot_first(f, i),
				    slot_last(f, i), f->slot[i]);
	}
}

/* The struct maple_tree: its root and flags. */
static struct mml_error *read_header(struct mml_ctx *ctx, uint64_t tree,
				     struct maple_walk_result *res)
{
	const struct mml_layout *l = &ctx->layout;
	/* Two reads, not one of the struct: ma_lock in front of the fields
	 * is 4 bytes or, on PREEMPT_RT or with lockdep, 32 and more. */
	uint64_t fault;
	uint32_t flags;
	enum mml_read_status st = mml_ctx_read(ctx, tree + l->mt_root,
					       &res->root, 8, &fault);
	if (st == MML_READ_OK)
		st = mml_ctx_read(ctx, tree + l->mt_flags, &flags, 4, &fault);
	if (st != MML_READ_OK) {
		res->root = 0;
		return mml_read_error(st, fault, "struct maple_tree");
	}
	res->ma_flags = flags;
	res->height = (res->ma_flags & MML_MT_FLAGS_HEIGHT_MASK) >>
		      MML_MT_FLAGS_HEIGHT_OFFSET;
	return NULL;
}

/* Depth first from the root node, on an explicit stack of frames. */
static void walk_nodes(struct walk *w, struct frame *stack)
{
	unsigned int top = 0;
	struct node_ref root = {
		.enode = w->res->root, .min = 0, .max = UINT64_MAX, .depth = 1,
	};
	if (decode_node(w, &root, &stack[0]))
		top = 1;
	while (top && !w->stop) {
		struct frame *f = &stack[top - 1];
		if (f->leaf) {
			visit_leaf(w, f);
			top--;
			continue;
		}
		if (f->next > f->end) {
			top--;
			continue;
		}
		unsigned int i = f->next++;
		struct node_ref child = {
			.parent = f, .parent_slot = i, .enode = f->slot[i],
			.min = slot_first(f, i), .max = slot_last(f, i),
			.depth = f->depth + 1,
		};
		if (!is_child_ptr(child.enode)) {
			walk_problem(w, MP_BAD_CHILD, f, f->node, i,
				     child.enode, 0);
			continue;
		}
		if (top >= MML_LIMIT_DEPTH) {
			walk_problem(w, MP_HEIGHT, f, f->node, i, top + 1,
				     MML_MAPLE_HEIGHT_MAX);
			w->res->complete = false;
			continue;
		}
		if (decode_node(w, &child, &stack[top]))
			top++;
	}
}

struct mml_error *mml_maple_walk(struct mml_ctx *ctx, uint64_t tree,
				 const struct maple_visitor *v,
				 struct maple_walk_result *res)
{
	memset(res, 0, sizeof(*res));
	res->complete = true;
	struct mml_error *err = read_header(ctx, tree, res);
	if (err)
		return err;

	struct walk w = {
		.ctx = ctx, .l = &ctx->layout, .v = v, .res = res,
		.tree = tree,
	};
	w.alloc = res->ma_flags & MML_MT_FLAGS_ALLOC_RANGE;
	if (!res->root)
		return NULL;
	if (!is_node_ptr(res->root)) {
		walk_problem(&w, MP_ROOT_ENTRY, NULL, 0, 0, res->root, 0);
		if (v->entry)
			v->entry(v->arg, 0, 0, res->root);
		return NULL;
	}
	if (res->height == 0 || res->height > MML_MAPLE_HEIGHT_MAX) {
		walk_problem(&w, MP_HEIGHT, NULL, 0, 0, res->height, 0);
		w.height_reported = true;
	}

	/* Not zeroed: decode_node() clears a frame's header and fills every
	 * pivot, slot and gap that is read later (zeroing the 31 frames,
	 * 50 KB, cost more than the rest of a small walk). */
	struct frame *stack = malloc(MML_LIMIT_DEPTH * sizeof(*stack));
	w.copy = malloc(ctx->layout.maple_node_size);
	if (!stack || !w.copy) {
		free(stack);
		free(w.copy);
		return &mml_enomem;
	}
	mml_map_init(&w.seen);
	walk_nodes(&w, stack);
	if (w.stop)
		res->complete = false;
	mml_map_deinit(&w.seen);
	free(stack);
	free(w.copy);
	return w.oom ? &mml_enomem : NULL;
}
