// SPDX-License-Identifier: GPL-2.0-or-later
/* Freeing the report model. */
#include <stdlib.h>

#include "internal.h"

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
	free(r);
}
