// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fix catalogue: the upstream changes that concern the states mmlife
 * reports, in one table. Ids, titles, authors, first releases and stable
 * backports are checked against the primary sources each entry names:
 * its lore link, and in `source` the stable-review mail, release
 * announcement, branch-push mail or CVE record; what they leave open is
 * marked here too (commit_verified, release_verified, lore_verified,
 * stable[].verified, and the `unverified` sentence), and the report never
 * states such a fact as certain.
 *
 * Lore links: where the message id of the patch is known, the link
 * is that message; otherwise it is a lore search for the title
 * (lore_verified false).
 */
#include <string.h>

#include "fixes.h"

#define LORE_SEARCH "https://lore.kernel.org/all/?q="
#define CHECK(id) (&mml_checks[MML_CHECK_##id])

const struct mml_fix mml_fixes[] = {
	{
		.id = "mt-dup-fork",
		.name = "__mt_dup() fork",
		.role = MML_FIX_CAUSE,
		.commit = "d2406291483775ecddaee929231a39c70c08fda2",
		.commit_verified = true,
		.title = "fork: use __mt_dup() to duplicate maple tree in "
			 "dup_mmap()",
		.author = "Peng Zhang",
		.lore = LORE_SEARCH "%22fork%3A+use+__mt_dup%28%29+to+duplicate"
			"+maple+tree+in+dup_mmap%28%29%22",
		.lore_verified = false,
		.first_release = "6.8",
		.release_verified = false,
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA),
			      CHECK(ORPHAN_FORK) },
		.calls = { "dup_mmap", "__mt_dup", "copy_process" },
		.symbol = "__mt_dup",
		.what = "dup_mmap() copies the parent's whole tree with "
			"__mt_dup() and, when copying fails part-way, stores an "
			"XA_ZERO_ENTRY marker and leaves the parent's VMAs "
			"after it.",
		.unverified = "the first release 6.8 was not re-checked against "
			      "its announcement; the lore link is a search",
		.source = "the Fixes: tags of 8ac662f5da19, 1367da7eb875 and "
			  "985da552a98e",
	},
	{
		.id = "uprobe-fork",
		.name = "uprobe fork fix",
		.commit = "8ac662f5da19f5873fdd94c48a5cdb45b2e1b58f",
		.commit_verified = true,
		.title = "fork: avoid inappropriate uprobe access to invalid mm",
		.author = "Lorenzo Stoakes",
		.lore = "https://lore.kernel.org/all/"
			"20241210172412.52995-1-lorenzo.stoakes@oracle.com/",
		.lore_verified = true,
		.first_release = "6.13",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.12", "6.12.8", true, NULL } },
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA),
			      CHECK(ORPHAN_FORK) },
		.calls = { "register_for_each_vma", "build_map_info",
			   "valid_vma", "install_breakpoint", "uprobe_register",
			   "uprobe_apply" },
		.what = "holds uprobe_start_dup_mmap() across the mmput() of "
			"a failed fork, so uprobe registration cannot walk the "
			"half-built mm.",
		.source = "lore 20241210172412.52995-1-lorenzo.stoakes@oracle.com"
			  "; 6.12-stable review (Upstream commit line)",
	},
	{
		.id = "dup-mmap-careful",
		.name = "dup_mmap() failure flags",
		.commit = "64c37e134b120fb462fb4a80694bfb8e7be77b14",
		.commit_verified = true,
		.title = "kernel: be more careful about dup_mmap() failures and "
			 "uprobe registering",
		.author = "Liam R. Howlett",
		.lore = "https://lore.kernel.org/all/"
			"20250127170221.1761366-1-Liam.Howlett@oracle.com/",
		.lore_verified = true,
		.first_release = "6.14",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.13", "6.13.2", true, "da139948aeda" },
			    { "6.12", "6.12.83", true, "74c2471eb891" } },
		.findings = { CHECK(XA_ZERO), CHECK(FLAGS_MISMATCH),
			      CHECK(ORPHAN_FORK), CHECK(STALE_VMA) },
		.calls = { "register_for_each_vma", "build_map_info",
			   "rmap_walk_anon", "rmap_walk_file",
			   "__oom_reap_task_mm", "oom_reap_task_mm" },
		.what = "sets MMF_OOM_SKIP (with the marker) and MMF_UNSTABLE "
			"on the mm of a failed fork, and makes uprobe "
			"registration check for a stable address space.",
		.source = "CVE-2025-21709; lore "
			  "20250127170221.1761366-1-Liam.Howlett@oracle.com; "
			  "6.13-stable and 6.12-stable reviews; 'Linux 6.12.83' "
			  "announcement",
	},
	{
		.id = "swapoff-stable-mm",
		.name = "swapoff stable-mm check",
		.commit = "1367da7eb875d01102d2ed18654b24d261ff5393",
		.commit_verified = true,
		.title = "mm: swap: check for stable address space before "
			 "operating on the VMA",
		.author = "Charan Teja Kalla",
		.lore = "https://lore.kernel.org/all/"
			"20250924181138.1762750-1-charan.kalla@oss.qualcomm.com/",
		.lore_verified = true,
		.first_release = "6.18",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.17", "6.17.1", true, NULL },
			    { "6.12", "6.12.51", true, NULL } },
		.findings = { CHECK(XA_ZERO), CHECK(ORPHAN_FORK),
			      CHECK(STALE_VMA) },
		.calls = { "unuse_vma", "unuse_mm", "try_to_unuse",
			   "__do_sys_swapoff", "__se_sys_swapoff",
			   "__x64_sys_swapoff", "unuse_p4d_range",
			   "unuse_pud_range", "unuse_pmd_range",
			   "unuse_pte_range" },
		.skips_unstable = true,
		.what = "makes unuse_mm() skip an mm with MMF_UNSTABLE, so "
			"swapoff does not walk a failed fork's tree found on "
			"init_mm.mmlist.",
		.symptom = "swapoff oopses reading a VMA field through "
			   "XA_ZERO_ENTRY (arm64: \"Unable to handle kernel NULL "
			   "pointer dereference at virtual address "
			   "0000000000000446\")",
		.source = "CVE-2025-39992; lore "
			  "20250924181138.1762750-1-charan.kalla@oss.qualcomm.com"
			  "; tip of tag mm-stable-2025-10-01-19-00 (6.18-rc1 MM "
			  "pull); 6.17-stable and 6.12-stable reviews",
	},
	{
		.id = "oom-thaw",
		.name = "OOM victim thaw",
		.commit = "59d4d36158ba3cdbce141d8e9261eea154d4c441",
		.commit_verified = false,
		.title = "mm/oom_kill: thaw the entire OOM victim process",
		.author = "zhongjinji",
		.lore = "https://lore.kernel.org/all/"
			"20250910143726.19905-1-zhongjinji@honor.com/",
		.lore_verified = true,
		.first_release = "6.18",
		.release_verified = true,
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA) },
		.calls = { "__oom_reap_task_mm", "oom_reap_task_mm",
			   "oom_reaper", "thaw_process", "__thaw_task",
			   "mark_oom_victim" },
		.symbol = "thaw_process",
		.what = "thaws every thread of a frozen OOM victim "
			"(thaw_process()) so the reaper is not delayed.",
		.unverified = "the mainline id is probable: seen in mm-stable "
			      "branch pushes only, with no stable 'Upstream "
			      "commit' line (no stable backport was seen)",
		.source = "mm-stable branch-push mails (6.18-rc1 MM pull); lore "
			  "v9 20250910143726.19905-1-zhongjinji@honor.com",
	},
	{
		.id = "oom-reap-reverse",
		.name = "OOM reaper reverse walk",
		.commit = "5e1953dc71af01fae3d6786e073892ef3eebc3d8",
		.commit_verified = false,
		.title = "mm/oom_kill: the OOM reaper traverses the VMA maple "
			 "tree in reverse order",
		.author = "zhongjinji",
		.lore = "https://lore.kernel.org/all/"
			"20250829065550.29571-1-zhongjinji@honor.com/",
		.lore_verified = true,
		.first_release = "6.18",
		.release_verified = true,
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA) },
		.calls = { "__oom_reap_task_mm", "oom_reap_task_mm",
			   "oom_reaper", "process_mrelease" },
		.symbol = "thaw_process",
		.symbol_of_series = true,
		.what = "walks the victim's tree from the top: on a failed "
			"fork's tree it meets the stale parent VMAs first, so "
			"MMF_OOM_SKIP (64c37e134b12) is what keeps it away.",
		.unverified = "the mainline id is probable: seen in mm-stable "
			      "branch pushes only, with no stable 'Upstream "
			      "commit' line; its presence is inferred from "
			      "thaw_process, a symbol of the same series",
		.source = "mm-stable branch-push mails (6.18-rc1 MM pull); lore "
			  "v6 20250829065550.29571-1-zhongjinji@honor.com",
	},
	{
		.id = "dup-mmap-recovery",
		.name = "recovery rework",
		.commit = "43873af772f8138c5cb4b76dde9c26339e89be3b",
		.commit_verified = true,
		.title = "mm: change dup_mmap() recovery",
		.author = "Liam R. Howlett",
		.lore = "https://lore.kernel.org/all/"
			"20250815191031.3769540-7-Liam.Howlett@oracle.com/",
		.lore_verified = false,
		.first_release = "7.0",
		.release_verified = true,
		.affected_from = "6.8",
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA),
			      CHECK(ORPHAN_FORK), CHECK(FLAGS_MISMATCH) },
		.calls = { "dup_mmap", "exit_mmap", "tear_down_vmas",
			   "unmap_region", "free_pgtables" },
		/* Both from sibling commits of the 10-commit series
		 * 95725acc3cd8..a8700d42b0af: tear_down_vmas() from
		 * d6d13e2ad81a (static: in kallsyms only when the compiler
		 * kept it out of line), struct unmap_desc from 5b6626a76a81. */
		.symbol = "tear_down_vmas",
		.symbol_of_series = true,
		.symbol_static = true,
		.type = "unmap_desc",
		.type_commit = "5b6626a76a81",
		.what = "tears a failed fork's tree down at once (empty tree, "
			"MMF_OOM_SKIP and MMF_UNSTABLE) instead of leaving an "
			"XA_ZERO marker for exit_mmap().",
		.unverified = "the lore link is the August 2025 RFC of the "
			      "patch; the merged version's message is not "
			      "recorded",
		.source = "merge eeccf287a2a5 (tag mm-stable-2026-02-18-19-48) "
			  "in v7.0; series 95725acc3cd8..a8700d42b0af",
	},
	{
		.id = "numa-empty-mm",
		.name = "task_numa_work() empty-mm fix",
		.commit = "9c70b2a33cd2aa6a5a59c5523ef053bd42265209",
		.commit_verified = true,
		.title = "sched/numa: Fix the potential null pointer dereference "
			 "in task_numa_work()",
		.author = "Shawn Wang",
		.lore = "https://lore.kernel.org/all/"
			"20241025022208.125527-1-shawnwang@linux.alibaba.com/",
		.lore_verified = true,
		.first_release = "6.12",
		.release_verified = true,
		.affected_from = "6.3",
		.stable = { { "6.6", "6.6.60", true, NULL },
			    { "6.11", "6.11.7", true, NULL } },
		.findings = { CHECK(EMPTY_LIVE_MM) },
		.calls = { "task_numa_work", "vma_migratable", "task_work_run" },
		.what = "makes task_numa_work() cope with an mm that has no "
			"VMA at all (vma_next() returning NULL).",
		.symptom = "NULL dereference at 0x20 in vma_migratable() called "
			   "by task_numa_work() <- task_work_run() <- "
			   "do_notify_resume(), on a task whose mm is empty",
		.source = "tip sched/urgent commit mail (Link: "
			  "20241025022208.125527-1-shawnwang@linux.alibaba.com)"
			  "; 6.6-stable and 6.11-stable reviews",
	},
	{
		.id = "ksm-teardown-race",
		.name = "KSM teardown race fix",
		.commit = "6db504ce55bdbc575723938fc480713c9183f6a2",
		.commit_verified = true,
		.title = "mm/ksm: fix race with VMA iteration and mm_struct "
			 "teardown",
		.author = "Liam R. Howlett",
		.lore = LORE_SEARCH "%22fix+race+with+VMA+iteration+and+"
			"mm_struct+teardown%22",
		.lore_verified = false,
		.first_release = "6.3",
		.release_verified = true,
		.affected_from = "6.1",
		.stable = { { "6.1", "6.1.22", true, NULL } },
		.findings = { CHECK(EMPTY_LIVE_MM) },
		.calls = { "unmerge_and_remove_all_rmap_items", "ksm_do_scan",
			   "scan_get_next_rmap_item", "ksm_scan_thread" },
		.what = "makes KSM's unmerge_and_remove_all_rmap_items() check "
			"ksm_test_exit() after taking mmap_lock, because "
			"exit_mmap() may have emptied the tree.",
		.unverified = "the lore link is a search",
		.source = "6.1-stable review (Upstream commit line); in 6.3-rc4",
	},
	{
		.id = "ksm-fork-counter",
		.name = "KSM fork counter fix",
		.commit = "4d6fc29f36341d7795db1d1819b4c15fe9be7b23",
		.commit_verified = true,
		.title = "mm/ksm: fix incorrect KSM counter handling in "
			 "mm_struct during fork",
		.author = "Donet Tom",
		.lore = LORE_SEARCH "%22fix+incorrect+KSM+counter+handling+in+"
			"mm_struct+during+fork%22",
		.lore_verified = false,
		.first_release = "6.18",
		.release_verified = true,
		.stable = { { "6.17", "6.17.4", true, NULL },
			    { "6.12", "6.12.54", true, NULL },
			    { "6.6", "6.6.113", true, NULL } },
		.calls = { "ksm_fork", "dup_mmap" },
		.what = "zeroes the child's ksm_merging_pages and "
			"ksm_rmap_items at fork, so the child does not inherit "
			"the parent's KSM counters.",
		.unverified = "the lore link is a search",
		.source = "6.17-, 6.12- and 6.6-stable reviews (Upstream commit "
			  "line)",
	},
	{
		.id = "uffd-fork-error",
		.name = "uffd on failed fork",
		.commit = "f64e67e5d3a45a4a04286c47afade4b518acd47b",
		.commit_verified = true,
		.title = "fork: do not invoke uffd on fork if error occurs",
		.author = "Lorenzo Stoakes",
		.lore = LORE_SEARCH "%22fork%3A+do+not+invoke+uffd+on+fork+if+"
			"error+occurs%22",
		.lore_verified = false,
		.first_release = "6.12",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.11", "6.11.7", true, NULL } },
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA),
			      CHECK(ORPHAN_FORK) },
		.calls = { "dup_userfaultfd_complete", "dup_fctx",
			   "dup_userfaultfd", "userfaultfd_event_wait_completion",
			   "dup_userfaultfd_fail" },
		.symbol = "dup_userfaultfd_fail",
		.symbol_static = true,
		.symbol_inferred = true,
		.what = "on a failed fork, drops the userfaultfd fork contexts "
			"(dup_userfaultfd_fail()) instead of delivering "
			"UFFD_EVENT_FORK, which handed the uffd monitor the "
			"child's half-built mm.",
		.symptom = "a kernel without it lets a uffd monitor reach a "
			   "failed fork's mm (XA_ZERO marker, parent VMAs); a "
			   "dump shows that mm alive after the fork failed, "
			   "held by a userfaultfd context; with the fix no "
			   "fork event names it",
		.unverified = "the lore link is a search; the symbol "
			      "dup_userfaultfd_fail (CONFIG_USERFAULTFD only) "
			      "is from a source reading, not from the verified record",
		.source = "series 'fork: do not expose incomplete mm on fork' "
			  "(reported by Jann Horn, Project Zero issue "
			  "373391951); Fixes: d24062914837; 6.11-stable review",
	},
	{
		.id = "fork-hooks-error",
		.name = "khugepaged/KSM hooks on failed fork",
		.commit = "985da552a98e27096444508ce5d853244019111f",
		.commit_verified = true,
		.title = "fork: only invoke khugepaged, ksm hooks if no error",
		.author = "Lorenzo Stoakes",
		.lore = LORE_SEARCH "%22fork%3A+only+invoke+khugepaged%2C+ksm+"
			"hooks+if+no+error%22",
		.lore_verified = false,
		.first_release = "6.12",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.11", "6.11.7", true, NULL } },
		.findings = { CHECK(XA_ZERO), CHECK(STALE_VMA),
			      CHECK(ORPHAN_FORK) },
		.calls = { "ksm_fork", "khugepaged_fork", "__ksm_enter",
			   "__khugepaged_enter", "ksm_do_scan",
			   "scan_get_next_rmap_item", "khugepaged_scan_mm_slot",
			   "khugepaged" },
		.what = "runs ksm_fork() and khugepaged_fork() only when "
			"dup_mmap() succeeded, so ksmd and khugepaged never "
			"scan a failed fork's half-built tree.",
		.symptom = "a kernel without it registers a failed fork's mm "
			   "with ksmd/khugepaged: that mm carries "
			   "MMF_VM_MERGEABLE or MMF_VM_HUGEPAGE (flag bits 16, "
			   "17) next to its XA_ZERO marker; with the fix a "
			   "failed fork's mm never has them",
		.unverified = "the lore link is a search",
		.source = "series 'fork: do not expose incomplete mm on fork' "
			  "(reported by Jann Horn, Project Zero issue "
			  "373391951); Fixes: d24062914837; 6.11-stable review",
	},
	/* Other VMA walkers fixed in the same stable series; no finding of
	 * mmlife points at them, an oops in their call path does. */
	{
		.id = "ksm-range-walk",
		.name = "KSM range walk",
		.commit = "f5548c318d6520d4fa3c5ed6003eeb710763cbc5",
		.commit_verified = true,
		.title = "ksm: use range-walk function to jump over holes in "
			 "scan_get_next_rmap_item",
		.author = "Pedro Demarchi Gomes",
		.lore = LORE_SEARCH "%22use+range-walk+function+to+jump+over+"
			"holes+in+scan_get_next_rmap_item%22",
		.lore_verified = false,
		.first_release = "6.18",
		.release_verified = true,
		.stable = { { "6.12", "6.12.59", true, NULL },
			    { "5.10", "5.10.249", true, NULL } },
		.calls = { "scan_get_next_rmap_item", "ksm_do_scan",
			   "ksm_scan_thread" },
		.what = "changes how KSM's scan walks an mm's VMAs (holes are "
			"skipped with a range walk).",
		.unverified = "the call path beyond scan_get_next_rmap_item is "
			      "inferred; the lore link is a search",
		.source = "6.12-stable and 5.10-stable reviews",
	},
	{
		.id = "bpf-task-vma",
		.name = "BPF task_vma iterator locking",
		.commit = "bee9ef4a40a277bf401be43d39ba7f7f063cf39c",
		.commit_verified = true,
		.title = "bpf: switch task_vma iterator from mmap_lock to "
			 "per-VMA locks",
		.author = "Puranjay Mohan",
		.lore = LORE_SEARCH "%22switch+task_vma+iterator+from+mmap_lock"
			"+to+per-VMA+locks%22",
		.lore_verified = false,
		.first_release = "7.1",
		.release_verified = false,
		.stable = { { "6.12", "6.12.91", true, NULL } },
		.calls = { "bpf_iter_task_vma_new", "bpf_iter_task_vma_next",
			   "bpf_iter_task_vma_destroy" },
		.what = "makes the open-coded BPF task_vma iterator lock the "
			"VMAs it walks per VMA instead of holding mmap_lock "
			"(not task_vma_seq_get_next or bpf_find_vma).",
		.unverified = "the first release 7.1 is inferred from bpf-next "
			      "timing; the lore link is a search",
		.source = "6.12-stable review",
	},
	{
		.id = "bpf-task-vma-mm",
		.name = "BPF task_vma iterator mm lifetime",
		.commit = "d8e27d2d22b6e2df3a0125b8c08e9aace38c954c",
		.commit_verified = true,
		.title = "bpf: fix mm lifecycle in open-coded task_vma iterator",
		.author = "Puranjay Mohan",
		.lore = LORE_SEARCH "%22fix+mm+lifecycle+in+open-coded+task_vma"
			"+iterator%22",
		.lore_verified = false,
		.first_release = NULL,
		.stable = { { "7.0", NULL, false, NULL },
			    { "6.12", NULL, false, NULL } },
		.calls = { "bpf_iter_task_vma_new", "bpf_iter_task_vma_next",
			   "bpf_iter_task_vma_destroy" },
		.what = "makes the open-coded BPF task_vma iterator hold "
			"mmget() on the mm it walks.",
		.symptom = "without it the iterator can use an mm_struct after "
			   "it is freed: an oops in bpf_iter_task_vma_next() or "
			   "_destroy() on an mm whose mm_users is 0 (freed or "
			   "reused memory); with the fix the iterator holds "
			   "an mm_users reference (mmget()) while it walks",
		.unverified = "its first mainline release and the 7.0.y and "
			      "6.12.y releases that carry it (seen only in "
			      "7.0-stable and 6.12-stable reviews); the lore "
			      "link is a search",
		.source = "7.0-stable and 6.12-stable reviews",
	},
	{ .id = NULL },
};

const struct mml_fix *mml_fix_find(const char *key)
{
	size_t len = strlen(key);
	for (const struct mml_fix *f = mml_fixes; f->id; f++) {
		if (!strcmp(f->id, key))
			return f;
		if (len >= 7 && f->commit && !strncmp(f->commit, key, len))
			return f;
	}
	return NULL;
}

bool mml_fix_concerns_finding(const struct mml_fix *fix,
			      const struct mml_check *check)
{
	for (size_t i = 0; i < MML_FIX_MAX_IDS && fix->findings[i]; i++)
		if (fix->findings[i] == check)
			return true;
	return false;
}

/* The part of a syscall's entry wrapper after its architecture's prefix
 * (arch/x86/include/asm/syscall_wrapper.h "__x64_sys_",
 * arch/arm64/include/asm/syscall_wrapper.h "__arm64_sys_"), or NULL. */
static const char *syscall_of(const char *fn)
{
	static const char *const prefixes[] = { "__x64_sys_", "__arm64_sys_",
						NULL };
	for (size_t i = 0; prefixes[i]; i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(fn, prefixes[i], n) && fn[n])
			return fn + n;
	}
	return NULL;
}

/* @traced is @name up to a compiler suffix (".cold", ".isra.0"). */
static bool same_call(const char *traced, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(traced, name, n))
		return false;
	return traced[n] == '\0' || traced[n] == '.';
}

/* Compare a function name from a trace with a catalogue name, ignoring
 * compiler suffixes (".cold", ".isra.0", ".constprop.0"). The catalogue
 * names a syscall's x86-64 entry ("__x64_sys_swapoff"); another
 * architecture's entry of the same syscall ("__arm64_sys_swapoff", where
 * arm64 6.12 inlines swapoff's try_to_unuse() and the oops's pc is) is
 * the same call path. */
bool mml_fix_call_matches(const char *traced, const char *name)
{
	if (same_call(traced, name))
		return true;
	const char *t = syscall_of(traced), *c = syscall_of(name);
	return t && c && same_call(t, c);
}

bool mml_fix_concerns_call(const struct mml_fix *fix, const char *function)
{
	for (size_t i = 0; i < MML_FIX_MAX_CALLS && fix->calls[i]; i++)
		if (mml_fix_call_matches(function, fix->calls[i]))
			return true;
	return false;
}

/* ---- versions ---- */

bool mml_version_parse(const char *s, struct mml_version *ret)
{
	unsigned long v[3] = { 0, 0, 0 };
	int n = 0;
	const char *p = s;

	memset(ret, 0, sizeof(*ret));
	if (!s)
		return false;
	while (n < 3) {
		if (*p < '0' || *p > '9')
			break;
		unsigned long x = 0;
		while (*p >= '0' && *p <= '9') {
			x = x * 10 + (unsigned long)(*p - '0');
			if (x > 100000)
				return false;
			p++;
		}
		v[n++] = x;
		if (*p != '.')
			break;
		p++;
	}
	if (n < 2)
		return false;
	ret->major = (unsigned int)v[0];
	ret->minor = (unsigned int)v[1];
	ret->patch = (unsigned int)v[2];
	ret->have_patch = n == 3;
	ret->source = "release";
	return true;
}

/*
 * Debian's release string hides the stable patch level of some branches
 * ("6.1.0-50-cloud-amd64"); its version string names the package
 * ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-06-01)").
 */
static bool version_from_debian(const char *version, struct mml_version *ret)
{
	const char *p = version ? strstr(version, "Debian ") : NULL;
	if (!p)
		return false;
	return mml_version_parse(p + strlen("Debian "), ret) && ret->have_patch;
}

bool mml_version_from_uts(const char *release, const char *version,
			  struct mml_version *ret)
{
	struct mml_version deb;
	if (!mml_version_parse(release, ret))
		return false;
	ret->source = "release";
	/* "X.Y.0-N-flavour": a distribution's ABI name, not a stable
	 * patch level. */
	if (ret->have_patch && ret->patch == 0 && strchr(release, '-')) {
		ret->have_patch = false;
		ret->patch_hidden = true;
	}
	if (version_from_debian(version, &deb) && deb.major == ret->major &&
	    deb.minor == ret->minor &&
	    (!ret->have_patch || deb.patch > ret->patch)) {
		ret->patch = deb.patch;
		ret->have_patch = true;
		ret->patch_hidden = false;
		ret->source = "Debian package version";
	}
	return true;
}

int mml_version_cmp(const struct mml_version *a, unsigned int major,
		    unsigned int minor, unsigned int patch)
{
	if (a->major != major)
		return a->major < major ? -1 : 1;
	if (a->minor != minor)
		return a->minor < minor ? -1 : 1;
	if (a->patch != patch)
		return a->patch < patch ? -1 : 1;
	return 0;
}

enum mml_presence mml_fix_by_version(const struct mml_fix *fix,
				     const struct mml_version *v,
				     char *why, size_t size)
{
	struct mml_version first, affected, bp;

	bool have_first = fix->first_release &&
			  mml_version_parse(fix->first_release, &first);
	if (have_first && mml_version_cmp(v, first.major, first.minor, 0) >= 0) {
		snprintf(why, size, "%u.%u.%u >= %s%s", v->major, v->minor,
			 v->patch, fix->first_release,
			 fix->release_verified ? "" : " (release unverified)");
		return MML_PRESENCE_PRESENT;
	}
	if (fix->affected_from &&
	    mml_version_parse(fix->affected_from, &affected) &&
	    mml_version_cmp(v, affected.major, affected.minor, 0) < 0) {
		snprintf(why, size, "%u.%u < %s, before the change it fixes",
			 v->major, v->minor, fix->affected_from);
		return MML_PRESENCE_NOT_NEEDED;
	}
	for (size_t i = 0; i < MML_FIX_MAX_BACKPORTS && fix->stable[i].branch;
	     i++) {
		const struct mml_fix_backport *b = &fix->stable[i];
		struct mml_version br;
		if (!mml_version_parse(b->branch, &br) ||
		    br.major != v->major || br.minor != v->minor)
			continue;
		if (!b->release || !mml_version_parse(b->release, &bp) ||
		    !bp.have_patch) {
			snprintf(why, size, "a %s.y backport is likely but its "
				 "release is unknown", b->branch);
			return MML_PRESENCE_UNKNOWN;
		}
		if (!v->have_patch) {
			snprintf(why, size, "backported in %s, but the patch "
				 "level of %u.%u is unknown", b->release,
				 v->major, v->minor);
			return MML_PRESENCE_UNKNOWN;
		}
		if (v->patch >= bp.patch) {
			snprintf(why, size, "%u.%u.%u >= %s%s", v->major,
				 v->minor, v->patch, b->release,
				 b->verified ? "" : " (backport unverified)");
			return MML_PRESENCE_PRESENT;
		}
		snprintf(why, size, "%u.%u.%u < %s, the %s.y backport",
			 v->major, v->minor, v->patch, b->release, b->branch);
		return MML_PRESENCE_ABSENT;
	}
	if (!have_first) {
		snprintf(why, size, "its first mainline release is unknown");
		return MML_PRESENCE_UNKNOWN;
	}
	snprintf(why, size, "%u.%u < %s and no %u.%u.y backport is known",
		 v->major, v->minor, fix->first_release, v->major, v->minor);
	return MML_PRESENCE_ABSENT;
}
