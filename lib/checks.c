// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The check catalogue: every finding id mmlife can report, in one place.
 * The README's table of checks is written from this list (mmlife --checks).
 */
#include <string.h>

#include "mmlife/model.h"

const struct mml_check mml_checks[] = {
	[MML_CHECK_XA_ZERO] = {
	  "xa-zero", MML_SEV_ERROR, "XA_ZERO_ENTRY in a VMA tree",
	  "The tree holds the marker a failed fork (dup_mmap() on 6.8-6.19) "
	  "leaves where it stopped copying; every entry after it is not this "
	  "mm's." },
	[MML_CHECK_STALE_VMA] = {
	  "stale-vma", MML_SEV_ERROR, "VMA of another mm in the tree",
	  "A slot points to a vm_area_struct whose vm_mm is another mm: after "
	  "an XA_ZERO marker these are the parent's VMAs left by __mt_dup()." },
	[MML_CHECK_ORPHAN_FORK] = {
	  "orphan-fork", MML_SEV_ERROR, "half-initialized fork",
	  "An mm that no task uses holds a failed fork's state: an XA_ZERO "
	  "marker, or (7.0+) a torn-down tree with MMF_OOM_SKIP and "
	  "MMF_UNSTABLE, or an empty tree with MMF_OOM_SKIP alone or no flag "
	  "(the __mt_dup() failure path, kernels that drop MMF_UNSTABLE) "
	  "whose exec image is a task's, or (6.1 - 6.7) a consistent prefix "
	  "of a task's VMAs with the same exec image, never put in RCU mode, "
	  "with no users; dup_mm()'s failure path leaves binfmt NULL in each "
	  "case. Error with a marker, warning for a torn-down tree, info for "
	  "a prefix (exit_mmap() frees it like any mm)." },
	[MML_CHECK_ORPHAN_HELD] = {
	  "orphan-held", MML_SEV_INFO, "mm kept by a reference",
	  "An mm no task uses, with mm_users 0 and mm_count > 0: exit_mmap() "
	  "ran or runs, and a lazy-TLB active_mm or an mmgrab() holder keeps "
	  "the struct. The kernel produces this legitimately." },
	[MML_CHECK_ORPHAN_LEAKED] = {
	  "orphan-leaked", MML_SEV_INFO, "mm with users but no task",
	  "An mm no task uses while mm_users > 0: an mmget() holder (procfs, "
	  "ptrace, io_uring, the OOM reaper) or a leaked reference." },
	[MML_CHECK_SLAB_FREELIST] = {
	  "slab-freelist", MML_SEV_ERROR, "mm_struct slab freelist corrupt",
	  "A freelist of the mm_struct slab cache leaves its slab, loops, or "
	  "cannot be read: the deep scan may miss or invent mms." },
	[MML_CHECK_EMPTY_LIVE_MM] = {
	  "empty-live-mm", MML_SEV_WARNING, "live mm with no VMAs",
	  "A task uses an mm whose tree is empty while mm_users > 0; VMA "
	  "walkers that assume one VMA (task_numa_work()) can fault." },
	[MML_CHECK_FLAGS_MISMATCH] = {
	  "flags-mismatch", MML_SEV_ERROR, "MMF flags disagree with the tree",
	  "The tree holds a failed fork's marker but MMF_UNSTABLE or "
	  "MMF_OOM_SKIP is missing, so rmap, uprobes, swapoff and the OOM "
	  "reaper can walk it (kernel without 64c37e134b12)." },
	[MML_CHECK_MAP_COUNT] = {
	  "map-count", MML_SEV_WARNING, "map_count differs from the tree",
	  "mm->map_count is not the number of this mm's VMAs in the tree." },
	[MML_CHECK_VMA_RANGE] = {
	  "vma-range", MML_SEV_ERROR, "VMA bounds differ from its slot",
	  "A VMA's [vm_start, vm_end) is not the index range of the slot that "
	  "holds it." },
	[MML_CHECK_PIVOT_ORDER] = {
	  "pivot-order", MML_SEV_ERROR, "maple pivots out of order",
	  "A node's pivots decrease, leave its [min, max] range, or a slot "
	  "past the end is used." },
	[MML_CHECK_METADATA] = {
	  "metadata", MML_SEV_ERROR, "maple node end disagrees",
	  "The node's metadata end (meta.end) is not where its pivots end." },
	[MML_CHECK_PARENT_SLOT] = {
	  "parent-slot", MML_SEV_ERROR, "maple parent pointer wrong",
	  "A node's parent pointer does not name the node and slot that hold "
	  "it, or the root's does not name the tree." },
	[MML_CHECK_DEAD_NODE] = {
	  "dead-node", MML_SEV_WARNING, "dead maple node reached",
	  "A node marked dead (parent points to itself) is still linked: the "
	  "tree was being modified when the dump was taken." },
	[MML_CHECK_NODE_TYPE] = {
	  "node-type", MML_SEV_ERROR, "unexpected maple node type",
	  "A node of a type a VMA tree never holds (maple_dense, the 7.2+ "
	  "stack-only maple_copy, or an unknown value)." },
	[MML_CHECK_TREE_HEIGHT] = {
	  "tree-height", MML_SEV_ERROR, "tree height disagrees",
	  "The height in ma_flags is impossible or leaves sit at another "
	  "depth." },
	[MML_CHECK_GAP_VALUE] = {
	  "gap-value", MML_SEV_ERROR, "maple gap differs from its subtree",
	  "In an allocation tree (every mm_mt), an arange_64 node's gap for a "
	  "slot is not the largest gap below that slot (a leaf's longest run "
	  "of NULL entries): get_unmapped_area() may hand out a mapped range "
	  "or miss a free one (mas_validate_gaps())." },
	[MML_CHECK_GAP_RANGE] = {
	  "gap-range", MML_SEV_ERROR, "maple gap larger than its slot",
	  "An arange_64 node's gap for a slot exceeds the number of indices "
	  "the slot spans (mas_validate_gaps())." },
	[MML_CHECK_GAP_META] = {
	  "gap-meta", MML_SEV_ERROR, "maple meta.gap not the largest gap",
	  "An arange_64 node's metadata gap offset (meta.gap) is past the "
	  "node's end or names a slot whose gap is not the node's largest "
	  "(mas_validate_gaps(), 6.6+; 6.1 - 6.5 mark \"no gap\" with an "
	  "out-of-range offset, accepted when every gap is 0)." },
	[MML_CHECK_GAP_PAST_END] = {
	  "gap-past-end", MML_SEV_ERROR, "maple gap past the node's end",
	  "An arange_64 node holds a non-zero gap in a slot past its end "
	  "(mas_validate_gaps())." },
	[MML_CHECK_ADJACENT_NULLS] = {
	  "adjacent-nulls", MML_SEV_WARNING, "two NULL entries in a row",
	  "An allocation tree holds two adjacent NULL entries, in one leaf or "
	  "across two, which the kernel always merges (mt_validate_nulls()); "
	  "its leaf gaps then understate the free space." },
	[MML_CHECK_BAD_ENTRY] = {
	  "bad-entry", MML_SEV_ERROR, "slot holds no VMA",
	  "A slot holds a value that is neither NULL, XA_ZERO nor a pointer "
	  "to a vm_area_struct (a reserved entry, a misaligned pointer, a "
	  "single entry at the root)." },
	[MML_CHECK_NO_RCU] = {
	  "no-rcu", MML_SEV_WARNING, "live tree not in RCU mode",
	  "A tree in use by a live task lacks MT_FLAGS_USE_RCU, which only "
	  "dup_mmap() and exit_mmap() clear." },
	[MML_CHECK_UNREADABLE] = {
	  "unreadable", MML_SEV_WARNING, "memory could not be read",
	  "An mm, node or VMA lies on an address no memory backs: a corrupt "
	  "pointer (pages the dump left out are excluded-page)." },
	[MML_CHECK_EXCLUDED_PAGE] = {
	  "excluded-page", MML_SEV_WARNING, "page not in the dump",
	  "An object the analysis needed (task_struct, thread list, "
	  "mm_struct, maple node, VMA, slab page) is on a page the dump "
	  "does not hold: the object was not checked. About the dump, never "
	  "about the kernel.", MML_CLASS_DUMP },
	[MML_CHECK_DUMP_INCOMPLETE] = {
	  "dump-incomplete", MML_SEV_WARNING, "the dump lacks needed pages",
	  "What the missing pages were to hold, how many tasks and mms could "
	  "not be checked, the dump's filter level, the likely cause and how "
	  "to capture a complete dump.", MML_CLASS_DUMP },
	[MML_CHECK_WALK_LIMIT] = {
	  "walk-limit", MML_SEV_ERROR, "walk stopped at a limit",
	  "A cycle, or more nodes or list entries than any kernel holds: the "
	  "structure is corrupt." },
	[MML_CHECK_TASK_LIST] = {
	  "task-list", MML_SEV_ERROR, "task list broken",
	  "The list of tasks from init_task does not close, or holds an "
	  "unreadable task: some mms may be missing from the report." },
	[MML_CHECK_COUNT] = { NULL, 0, NULL, NULL },
};
_Static_assert(sizeof(mml_checks) / sizeof(mml_checks[0]) ==
		       MML_CHECK_COUNT + 1,
	       "every enum mml_check_id has its catalogue entry");

const struct mml_check *mml_check_find(const char *id)
{
	for (const struct mml_check *c = mml_checks; c->id; c++)
		if (!strcmp(c->id, id))
			return c;
	return NULL;
}

const char *mml_finding_class_name(enum mml_finding_class c)
{
	return c == MML_CLASS_DUMP ? "dump" : "kernel";
}

const char *mml_severity_name(enum mml_severity sev)
{
	switch (sev) {
	case MML_SEV_INFO:
		return "info";
	case MML_SEV_WARNING:
		return "warning";
	case MML_SEV_ERROR:
		return "error";
	case MML_SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

bool mml_severity_parse(const char *s, enum mml_severity *ret)
{
	for (int i = MML_SEV_INFO; i <= MML_SEV_CRITICAL; i++) {
		if (!strcmp(s, mml_severity_name(i))) {
			*ret = i;
			return true;
		}
	}
	return false;
}
