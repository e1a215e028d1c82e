// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fix catalogue: the upstream changes that concern the states mmlife
 * reports, in one table. Every fact comes from /work/shared/kernel-facts.md
 * section 4 (and 3 for the history); what that document marks unverified
 * is marked here too (commit_verified, release_verified, lore_verified,
 * stable[].verified, and the `unverified` sentence), and the report never
 * states such a fact as certain.
 *
 * Lore links: where the facts give the message id of the patch, the link
 * is that message; otherwise it is a lore search for the title
 * (lore_verified false).
 */
#include <string.h>

#include "fixes.h"

#define LORE_SEARCH "https://lore.kernel.org/all/?q="

const struct mml_fix mml_fixes[] = {
	{
		.id = "mt-dup-fork",
		.name = "__mt_dup() fork",
		.role = MML_FIX_CAUSE,
		.commit = "d24062914837",
		.commit_verified = false,
		.title = "fork: use __mt_dup() to duplicate maple tree in "
			 "dup_mmap()",
		.author = "Peng Zhang",
		.lore = LORE_SEARCH "%22fork%3A+use+__mt_dup%28%29+to+duplicate"
			"+maple+tree+in+dup_mmap%28%29%22",
		.lore_verified = false,
		.first_release = "6.8",
		.release_verified = true,
		.findings = { "xa-zero", "stale-vma", "orphan-fork" },
		.calls = { "dup_mmap", "__mt_dup", "copy_process" },
		.symbol = "__mt_dup",
		.what = "dup_mmap() copies the parent's whole tree with "
			"__mt_dup() and, when copying fails part-way, stores an "
			"XA_ZERO_ENTRY marker and leaves the parent's VMAs "
			"after it.",
		.unverified = "the mainline id (taken from the Fixes: tag of "
			      "8ac662f5da19, from memory)",
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
		.stable = { { "6.12", "6.12.8", true } },
		.findings = { "xa-zero", "stale-vma", "orphan-fork" },
		.calls = { "register_for_each_vma", "build_map_info",
			   "valid_vma", "install_breakpoint", "uprobe_register",
			   "uprobe_apply" },
		.what = "holds uprobe_start_dup_mmap() across the mmput() of "
			"a failed fork, so uprobe registration cannot walk the "
			"half-built mm.",
		.unverified = "the exact oops text of the syzbot report",
	},
	{
		.id = "dup-mmap-careful",
		.name = "dup_mmap() failure flags",
		.commit = "64c37e134b120fb462fb4a80694bfb8e7be77b14",
		.commit_verified = true,
		.title = "kernel: be more careful about dup_mmap() failures and "
			 "uprobe registering",
		.author = "Liam R. Howlett",
		.lore = LORE_SEARCH "%22be+more+careful+about+dup_mmap%28%29+"
			"failures+and+uprobe+registering%22",
		.lore_verified = false,
		.first_release = "6.14",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.12", "6.12.83", true } },
		.findings = { "xa-zero", "flags-mismatch", "orphan-fork",
			      "stale-vma" },
		.calls = { "register_for_each_vma", "build_map_info",
			   "rmap_walk_anon", "rmap_walk_file",
			   "__oom_reap_task_mm", "oom_reap_task_mm" },
		.what = "sets MMF_OOM_SKIP (with the marker) and MMF_UNSTABLE "
			"on the mm of a failed fork, and makes uprobe "
			"registration check for a stable address space.",
		.unverified = "the 6.14 release candidate it landed in; the "
			      "lore link is a search",
	},
	{
		.id = "swapoff-stable-mm",
		.name = "swapoff stable-mm check",
		.commit = "1367da7eb875d01102d2ed18654b24d261ff5393",
		.commit_verified = true,
		.title = "mm: swap: check for stable address space before "
			 "operating on the VMA",
		.author = "Charan Teja Kalla",
		.lore = LORE_SEARCH "%22check+for+stable+address+space+before+"
			"operating+on+the+VMA%22",
		.lore_verified = false,
		.first_release = "6.18",
		.release_verified = true,
		.affected_from = "6.8",
		.stable = { { "6.12", "6.12.51", true } },
		.findings = { "xa-zero", "orphan-fork", "stale-vma" },
		.calls = { "unuse_vma", "unuse_mm", "try_to_unuse",
			   "__do_sys_swapoff", "__se_sys_swapoff",
			   "__x64_sys_swapoff", "unuse_p4d_range",
			   "unuse_pud_range", "unuse_pmd_range",
			   "unuse_pte_range" },
		.skips_unstable = true,
		.what = "makes unuse_mm() skip an mm with MMF_UNSTABLE, so "
			"swapoff does not walk a failed fork's tree found on "
			"init_mm.mmlist.",
		.unverified = "the thread that led to it (inferred); the lore "
			      "link is a search",
	},
	{
		.id = "oom-thaw",
		.name = "OOM victim thaw",
		.commit = "ff066ce422fa",
		.commit_verified = false,
		.title = "mm/oom_kill: thaw the entire OOM victim process",
		.author = "zhongjinji",
		.lore = "https://lore.kernel.org/all/"
			"20250910143726.19905-1-zhongjinji@honor.com/",
		.lore_verified = true,
		.first_release = "6.18",
		.release_verified = true,
		.findings = { "xa-zero", "stale-vma" },
		.calls = { "__oom_reap_task_mm", "oom_reap_task_mm",
			   "oom_reaper", "thaw_process", "__thaw_task",
			   "mark_oom_victim" },
		.symbol = "thaw_process",
		.what = "thaws every thread of a frozen OOM victim "
			"(thaw_process()) so the reaper is not delayed.",
		.unverified = "the mainline id (a candidate from the mm "
			      "branches); no 6.12.y backport was found",
	},
	{
		.id = "oom-reap-reverse",
		.name = "OOM reaper reverse walk",
		.commit = "725d3b35b1c3",
		.commit_verified = false,
		.title = "mm/oom_kill: the OOM reaper traverses the VMA maple "
			 "tree in reverse order",
		.author = "zhongjinji",
		.lore = "https://lore.kernel.org/all/"
			"20250829065550.29571-1-zhongjinji@honor.com/",
		.lore_verified = true,
		.first_release = "6.18",
		.release_verified = true,
		.findings = { "xa-zero", "stale-vma" },
		.calls = { "__oom_reap_task_mm", "oom_reap_task_mm",
			   "oom_reaper", "process_mrelease" },
		.symbol = "thaw_process",
		.symbol_of_series = true,
		.what = "walks the victim's tree from the top: on a failed "
			"fork's tree it meets the stale parent VMAs first, so "
			"MMF_OOM_SKIP (64c37e134b12) is what keeps it away.",
		.unverified = "the mainline id (a candidate from the mm "
			      "branches); its presence is inferred from "
			      "thaw_process, a symbol of the same series",
	},
	{
		.id = "dup-mmap-recovery",
		.name = "recovery rework",
		.commit = "43873af772f8",
		.commit_verified = false,
		.title = "mm: change dup_mmap() recovery",
		.author = "Liam R. Howlett",
		.lore = "https://lore.kernel.org/all/"
			"20250815191031.3769540-7-Liam.Howlett@oracle.com/",
		.lore_verified = true,
		.first_release = "7.0",
		.release_verified = false,
		.affected_from = "6.8",
		.findings = { "xa-zero", "stale-vma", "orphan-fork",
			      "flags-mismatch" },
		.calls = { "dup_mmap", "exit_mmap", "tear_down_vmas",
			   "unmap_region", "free_pgtables" },
		.symbol = "tear_down_vmas",
		.type = "unmap_desc",
		.what = "tears a failed fork's tree down at once (empty tree, "
			"MMF_OOM_SKIP and MMF_UNSTABLE) instead of leaving an "
			"XA_ZERO marker for exit_mmap().",
		.unverified = "the mainline id (43873af772f8 comes from a "
			      "third-party page) and the first release (7.0, "
			      "inferred from distribution sources); the lore "
			      "link is the RFC",
	},
	{
		.id = "numa-empty-mm",
		.name = "task_numa_work() empty-mm fix",
		.commit = "9c70b2a33cd2aa6a5a59c5523ef053bd42265209",
		.commit_verified = true,
		.title = "sched/numa: fix the potential null pointer dereference "
			 "in task_numa_work()",
		.author = "Shijie Huang",
		.lore = LORE_SEARCH "%22fix+the+potential+null+pointer+"
			"dereference+in+task_numa_work%22",
		.lore_verified = false,
		.first_release = "6.12",
		.release_verified = true,
		.affected_from = "6.3",
		.stable = { { "6.6", NULL, false }, { "6.11", NULL, false } },
		.findings = { "empty-live-mm" },
		.calls = { "task_numa_work", "task_work_run" },
		.what = "makes task_numa_work() cope with an mm that has no "
			"VMA at all (vma_next() returning NULL).",
		.unverified = "the 6.6.y and 6.11.y backports (likely, release "
			      "unknown); the oops text; the lore link is a "
			      "search",
	},
	{
		.id = "ksm-teardown-race",
		.name = "KSM teardown race fix",
		.commit = NULL,
		.title = "mm/ksm: fix race with VMA iteration and mm_struct "
			 "teardown",
		.author = "Liam R. Howlett",
		.lore = LORE_SEARCH "%22fix+race+with+VMA+iteration+and+"
			"mm_struct+teardown%22",
		.lore_verified = false,
		.first_release = "6.3",
		.release_verified = false,
		.affected_from = "6.1",
		.stable = { { "6.1", "6.1.22", true } },
		.findings = { "empty-live-mm" },
		.calls = { "ksm_do_scan", "scan_get_next_rmap_item",
			   "unmerge_and_remove_all_rmap_items", "ksm_scan_thread" },
		.what = "makes KSM's scan check ksm_test_exit() after taking "
			"mmap_lock, because exit_mmap() may have emptied the "
			"tree.",
		.unverified = "the mainline id and first release (2023, "
			      "assumed 6.3); the lore link is a search",
	},
	{
		.id = "ksm-fork-counter",
		.name = "KSM fork counter fix",
		.commit = NULL,
		.title = "mm/ksm: fix incorrect KSM counter handling in "
			 "mm_struct during fork",
		.author = "Donet Tom",
		.lore = LORE_SEARCH "%22fix+incorrect+KSM+counter+handling+in+"
			"mm_struct+during+fork%22",
		.lore_verified = false,
		.first_release = "6.18",
		.release_verified = true,
		.stable = { { "6.12", "6.12.54", true } },
		.findings = { "orphan-fork" },
		.calls = { "ksm_fork", "dup_mmap", "ksm_do_scan" },
		.what = "runs ksm_fork() only when dup_mmap() succeeded, so a "
			"failed fork is not registered with ksmd.",
		.unverified = "the mainline id; the lore link is a search",
	},
	/* Other VMA walkers fixed in the same stable series; no finding of
	 * mmlife points at them, an oops in their call path does. */
	{
		.id = "ksm-range-walk",
		.name = "KSM range walk",
		.commit = NULL,
		.title = "ksm: use range-walk function to jump over holes in "
			 "scan_get_next_rmap_item",
		.author = NULL,
		.lore = LORE_SEARCH "%22use+range-walk+function+to+jump+over+"
			"holes+in+scan_get_next_rmap_item%22",
		.lore_verified = false,
		.first_release = NULL,
		.stable = { { "6.12", "6.12.59", true } },
		.calls = { "scan_get_next_rmap_item", "ksm_do_scan",
			   "ksm_scan_thread" },
		.what = "changes how KSM's scan walks an mm's VMAs (holes are "
			"skipped with a range walk).",
		.unverified = "the mainline id, author and first release; "
			      "the call path beyond scan_get_next_rmap_item "
			      "is inferred; the lore link is a search",
	},
	{
		.id = "bpf-task-vma",
		.name = "BPF task_vma iterator locking",
		.commit = NULL,
		.title = "bpf: switch task_vma iterator from mmap_lock to "
			 "per-VMA locks",
		.author = NULL,
		.lore = LORE_SEARCH "%22switch+task_vma+iterator+from+mmap_lock"
			"+to+per-VMA+locks%22",
		.lore_verified = false,
		.first_release = NULL,
		.stable = { { "6.12", "6.12.91", true } },
		.calls = { "task_vma_seq_get_next", "bpf_iter_task_vma_next",
			   "bpf_find_vma" },
		.what = "changes how the BPF task_vma iterator locks the VMAs "
			"it walks.",
		.unverified = "the mainline id, author and first release; the "
			      "call path is inferred from the title; the lore "
			      "link is a search",
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

bool mml_fix_concerns_finding(const struct mml_fix *fix, const char *id)
{
	for (size_t i = 0; i < MML_FIX_MAX_IDS && fix->findings[i]; i++)
		if (!strcmp(fix->findings[i], id))
			return true;
	return false;
}

/* Compare a function name from a trace with a catalogue name, ignoring
 * compiler suffixes (".cold", ".isra.0", ".constprop.0"). */
bool mml_fix_call_matches(const char *traced, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(traced, name, n))
		return false;
	return traced[n] == '\0' || traced[n] == '.';
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
