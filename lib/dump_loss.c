// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A lossy dump is not a broken kernel: the excluded-page findings of a scan
 * become one dump-incomplete finding that says what the missing pages were
 * to hold, how much could not be checked, the dump's filter level, the
 * likely cause and the remedy. Per-mm excluded-page findings stay with
 * their mm; the dump-wide ones (task list, slab) are folded into it.
 */
#include <stdlib.h>
#include <string.h>

#include "dump_loss.h"
#include "mmlife/model.h"

/* The evidence keys of what the lost pages were to hold, in the order the
 * summary lists them; a task-list entry is not counted (the tasks behind
 * it are, as tasks_not_checked). */
static const char *const keys[MML_LOST_COUNT] = {
	[MML_LOST_TASK_STRUCT] = "lost_task_structs",
	[MML_LOST_THREAD_LIST] = "lost_thread_lists",
	[MML_LOST_MMLIST] = "lost_mmlist_entries",
	[MML_LOST_MM_STRUCT] = "lost_mm_structs",
	[MML_LOST_MAPLE_NODE] = "lost_maple_nodes",
	[MML_LOST_VMA] = "lost_vmas",
	[MML_LOST_SLAB_PAGE] = "lost_slab_pages",
	[MML_LOST_SLAB_FREELIST] = "lost_slab_freelists",
};

static bool is_excluded(const struct mml_finding *f)
{
	return mml_check_is(f->check, MML_CHECK_EXCLUDED_PAGE);
}

/* Count @f under what it lost, as many times as it stands for. */
static void tally(const struct mml_finding *f,
		  uint64_t counts[MML_LOST_COUNT])
{
	if ((unsigned int)f->lost < MML_LOST_COUNT && keys[f->lost])
		counts[f->lost] += f->lost_count;
}

/* Drop the dump-wide excluded-page findings (the last @nglobal of the
 * report), tallying them; the others are kept in order. */
static void fold_global(struct mml_report *r, size_t nglobal,
			uint64_t counts[MML_LOST_COUNT])
{
	size_t first = r->nfindings - nglobal, out = first;
	for (size_t i = first; i < r->nfindings; i++) {
		if (is_excluded(&r->findings[i])) {
			tally(&r->findings[i], counts);
			mml_finding_free(&r->findings[i]);
		} else {
			r->findings[out++] = r->findings[i];
		}
	}
	r->nfindings = out;
}

/* Kernel major version from a release string; 0 when unknown. */
static unsigned int release_major(const char *release)
{
	return release ? (unsigned int)strtoul(release, NULL, 10) : 0;
}

static void add_cause(struct mml_finding_builder *b, const char *release,
		      int32_t level, bool kernel_pages_lost)
{
	if (level > 0)
		mml_ev_u64(b, "dump_level", (uint64_t)level);
	else
		mml_ev_str(b, "dump_level", "%s", "not recorded in the dump");
	if (!kernel_pages_lost)
		return;
	if (release_major(release) >= 7 && level > 0 && (level & 8))
		mml_ev_str(b, "likely_cause", "%s",
			   "makedumpfile misreads this kernel's page layout "
			   "(7.x moved the compound-head field; makedumpfile "
			   "1.7.8 and older take slab pages for user pages) and "
			   "dropped live kernel pages with the user pages "
			   "(dump level includes 8)");
	else
		mml_ev_str(b, "likely_cause", "%s",
			   "the dump filter dropped pages that hold kernel "
			   "objects, which no dump level should: a makedumpfile "
			   "older than this kernel misreads its page flags, or "
			   "the capture was cut short");
	mml_ev_str(b, "remedy", "%s",
		   "recapture with makedumpfile -d 23 (keeps user pages, "
		   "which avoids the misread), or with a makedumpfile that "
		   "supports this kernel; an unfiltered /proc/vmcore is "
		   "complete");
}

struct mml_error *mml_dump_loss_summarise(const struct dump_loss_input *in,
					  struct mml_report *r)
{
	uint64_t counts[MML_LOST_COUNT] = { 0 };
	size_t mms_lost = 0;
	for (size_t i = 0; i < r->nmms; i++) {
		const struct mml_mm *m = &r->mms[i];
		bool lost = false;
		for (size_t j = 0; j < m->nfindings; j++) {
			const struct mml_finding *f =
				&r->findings[m->first_finding + j];
			if (is_excluded(f)) {
				tally(f, counts);
				lost = true;
			}
		}
		mms_lost += lost;
	}
	fold_global(r, in->nglobal, counts);
	uint64_t total = 0;
	for (size_t k = 0; k < MML_LOST_COUNT; k++)
		total += counts[k];
	if (!total && !in->excluded_reads)
		return NULL;

	struct mml_vec v = MML_VEC_INIT(struct mml_finding);
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, &v, MML_CHECK_DUMP_INCOMPLETE, 0,
			  "%llu objects the analysis needed are on pages the "
			  "dump lacks: a finding about the dump, not the "
			  "kernel",
			  (unsigned long long)(total ? total
						     : in->excluded_reads));
	for (size_t k = 0; k < MML_LOST_COUNT; k++)
		if (counts[k])
			mml_ev_u64(&b, keys[k], counts[k]);
	if (in->nr_threads > 0 && (uint64_t)in->nr_threads > in->tasks_walked)
		mml_ev_u64(&b, "tasks_not_checked",
			   (uint64_t)in->nr_threads - in->tasks_walked);
	mml_ev_u64(&b, "mms_not_checked", mms_lost);
	if (in->mms_without_tasks)
		mml_ev_u64(&b, "mms_whose_tasks_are_lost",
			   in->mms_without_tasks);
	add_cause(&b, r->kernel_release, in->dump_level, total > 0);
	struct mml_error *err = mml_finding_end(&b);
	if (err) {
		for (size_t i = 0; i < v.len; i++)
			mml_finding_free(MML_VEC_AT(&v, struct mml_finding, i));
		mml_vec_free(&v);
		return err;
	}
	struct mml_finding *grown = realloc(r->findings, (r->nfindings + 1) *
							 sizeof(*grown));
	if (!grown) {
		mml_finding_free(MML_VEC_AT(&v, struct mml_finding, 0));
		mml_vec_free(&v);
		return &mml_enomem;
	}
	r->findings = grown;
	r->findings[r->nfindings++] = *MML_VEC_AT(&v, struct mml_finding, 0);
	mml_vec_free(&v);
	return NULL;
}
