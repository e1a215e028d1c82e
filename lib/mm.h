/* SPDX-License-Identifier: GPL-2.0-or-later */
/* One mm_struct: reading it, walking its tree, and what the walk saw. */
#ifndef MMLIFE_MM_H
#define MMLIFE_MM_H

#include "internal.h"
#include "maple.h"

#define MM_PROBLEM_KINDS (MP_NULLS + 1)
#define MM_FOREIGN_MAX 8   /* distinct foreign mms kept with details */
#define MM_XA_RANGES_MAX 8 /* XA_ZERO ranges kept with details */

struct mm_foreign {
	uint64_t mm;
	uint64_t count;
	uint64_t first, last;      /* range of the first such slot */
	uint64_t vma;              /* the first such VMA */
	bool after_marker;         /* all of them after an XA_ZERO marker */
};

struct mm_example {
	uint64_t count;
	uint64_t first, last;      /* slot range */
	uint64_t value;            /* slot value, node, ... */
	uint64_t expected;
	uint64_t node;
	unsigned int slot;
	unsigned int depth;
	enum mml_read_status status;
};

struct mm_state {
	uint64_t addr;
	bool readable;
	enum mml_read_status status;  /* why not readable */
	uint64_t flags;
	int32_t map_count, mm_users, mm_count;
	uint64_t mmlist_next;
	struct maple_walk_result walk;
	bool walked;
	enum mml_read_status tree_status;

	uint64_t entries, vmas, foreign, xa_zero, bad;
	uint64_t xa_first[MM_XA_RANGES_MAX], xa_last[MM_XA_RANGES_MAX];
	/* The last VMA of this mm before the first marker. */
	uint64_t last_vma, last_vma_start, last_vma_end;
	uint64_t after_marker;         /* non-NULL entries after the first marker */
	struct mm_foreign foreign_mms[MM_FOREIGN_MAX];
	size_t nforeign_mms;
	struct mm_example range_bad;   /* vma-range */
	struct mm_example vma_unreadable;
	struct mm_example entry_bad;
	struct mm_example problems[MM_PROBLEM_KINDS];
};

/* Read the mm_struct fields; sets readable/status. */
void mml_mm_read(struct mml_ctx *ctx, uint64_t mm, struct mm_state *st);
/* Walk the tree and fill the summary. ENOMEM is the only error. */
struct mml_error *mml_mm_analyse(struct mml_ctx *ctx, struct mm_state *st);

/* The device, inode and name columns of /proc/PID/maps for the VMA @e
 * (classified as a VMA or foreign entry), best effort (maps_name.c). */
void mml_vma_maps_columns(struct mml_ctx *ctx, struct mml_entry *e);

/* Classify one leaf slot (reads the VMA) into a whole struct mml_entry
 * (the maps view and the API; the analysis reads only the fields). */
void mml_entry_classify(struct mml_ctx *ctx, uint64_t mm, uint64_t first,
			uint64_t last, uint64_t value, struct mml_entry *out,
			enum mml_read_status *status_ret);

#endif
