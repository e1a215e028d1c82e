/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fault-tolerant maple tree walker. It never trusts the dump: every node
 * is checked (type, dead mark, parent pointer, pivots, metadata) before its
 * children are followed, and every loop is bounded. Anything wrong is
 * handed to the visitor as a problem, and the walk goes on where it can.
 */
#ifndef MMLIFE_MAPLE_H
#define MMLIFE_MAPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

enum maple_problem_kind {
	MP_UNREADABLE,   /* node could not be read (status says why) */
	MP_NODE_TYPE,    /* dense, maple_copy, unknown, or wrong internal type */
	MP_DEAD,         /* dead node still linked */
	MP_PARENT,       /* parent pointer does not match */
	MP_PIVOT,        /* pivot order/range, or a slot past the end used */
	MP_METADATA,     /* metadata end disagrees with the pivots */
	MP_HEIGHT,       /* ma_flags height vs the leaf depth, or too deep */
	MP_CYCLE,        /* a node reached twice */
	MP_NODE_LIMIT,   /* more nodes than the limit */
	MP_BAD_CHILD,    /* an internal slot that is not a node pointer */
	MP_ROOT_ENTRY,   /* a single non-node entry in the root */
	/* Gaps of an allocation tree (mas_validate_gaps()): */
	MP_GAP,          /* gap[slot] is not the child's largest gap */
	MP_GAP_RANGE,    /* gap[slot] exceeds the slot's index range */
	MP_GAP_META,     /* meta.gap does not name the largest gap */
	MP_GAP_PAST_END, /* a gap past the node's end is not 0 */
	MP_NULLS,        /* two adjacent NULL entries (mt_validate_nulls()) */
};

struct maple_problem {
	enum maple_problem_kind kind;
	uint64_t node;           /* node address (0 for root problems) */
	unsigned int slot;       /* slot or pivot index concerned */
	unsigned int depth;      /* 1 for the root node */
	uint64_t min, max;       /* index range of the node */
	uint64_t value;          /* the offending value */
	uint64_t expected;       /* what the rules wanted, where it applies */
	enum mml_read_status status;  /* for MP_UNREADABLE */
	unsigned int type;       /* node type from the encoded pointer */
};

struct maple_visitor {
	void *arg;
	/* Every non-NULL leaf slot, in index order. May be NULL. */
	void (*entry)(void *arg, uint64_t first, uint64_t last,
		      uint64_t value);
	/* Every node decoded. May be NULL; may read dump memory (the node
	 * is then copied out of the reader's page before it is called). */
	void (*node)(void *arg, unsigned int depth, uint64_t node,
		     unsigned int type, uint64_t min, uint64_t max);
	/* Every problem met. May be NULL. Must not read dump memory: the
	 * walk may be looking at the node in the reader's cached page. */
	void (*problem)(void *arg, const struct maple_problem *p);
};

struct maple_walk_result {
	uint64_t root;
	uint32_t ma_flags;
	uint32_t height;         /* from ma_flags */
	uint32_t depth;          /* deepest leaf reached */
	uint64_t nodes;
	bool complete;           /* every node was decoded */
};

/*
 * Walk the maple tree at kernel address @tree (a struct maple_tree). Fails
 * only when the tree header itself cannot be read, or on ENOMEM; all other
 * trouble goes to @v->problem.
 */
struct mml_error *mml_maple_walk(struct mml_ctx *ctx, uint64_t tree,
				 const struct maple_visitor *v,
				 struct maple_walk_result *res);

#endif /* MMLIFE_MAPLE_H */
