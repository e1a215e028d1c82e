/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The core's target and types, answered by crash. */
#ifndef MMLIFE_EXT_CRASH_BACKEND_H
#define MMLIFE_EXT_CRASH_BACKEND_H

#include "mmlife/layout.h"
#include "mmlife/model.h"
#include "mmlife/target.h"

void mml_crash_target_init(struct mml_target *target);
void mml_crash_types_init(struct mml_types *types);
/* Fill what crash knows about the dump (strings allocated). */
void mml_crash_dump_info(struct mml_dump_info *info);

#endif
