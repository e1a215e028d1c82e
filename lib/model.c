// SPDX-License-Identifier: GPL-2.0-or-later
/* Freeing the report model. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "oops.h"

void mml_dump_info_deinit(struct mml_dump_info *info)
{
	free(info->path);
	free(info->format);
	free(info->release);
	free(info->build_id);
	free(info->arch);
	free(info->type_source);
	free(info->front_end);
}

void mml_report_destroy(struct mml_report *r)
{
	if (!r)
		return;
	mml_dump_info_deinit(&r->dump);
	for (size_t i = 0; i < r->nmms; i++)
		free(r->mms[i].tasks);
	free(r->mms);
	for (size_t i = 0; i < r->nfindings; i++)
		mml_finding_free(&r->findings[i]);
	free(r->findings);
	for (size_t i = 0; i < r->nerrors; i++)
		free(r->errors[i]);
	free(r->errors);
	free(r->kernel_release);
	free(r->kernel_version);
	for (size_t i = 0; i < r->nverdicts; i++)
		mml_verdict_free(&r->verdicts[i]);
	free(r->verdicts);
	mml_log_deinit(&r->log);
	for (int p = 0; p < MML_NPATHS; p++)
		free(r->discovery[p].note);
	free(r);
}

const char *mml_discovery_path_name(enum mml_discovery_path path)
{
	switch (path) {
	case MML_PATH_TASKS:
		return "tasks";
	case MML_PATH_MMLIST:
		return "mmlist";
	case MML_PATH_SLAB_LISTS:
		return "slab-lists";
	case MML_PATH_MEMMAP:
		return "memmap";
	case MML_NPATHS:
		break;
	}
	return "unknown";
}

void mml_log_deinit(struct mml_log *log)
{
	free(log->unavailable);
	for (size_t i = 0; i < log->nlines; i++)
		free(log->lines[i]);
	free(log->lines);
	mml_oops_deinit(&log->oops);
	mml_oops_deinit(&log->oom);
	for (size_t i = 0; i < log->nwarnings; i++)
		mml_oops_deinit(&log->warnings[i]);
	free(log->warnings);
	memset(log, 0, sizeof(*log));
}
