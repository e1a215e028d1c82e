/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The fix catalogue's helpers and kernel versions (fixes.c). */
#ifndef MMLIFE_FIXES_H
#define MMLIFE_FIXES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mmlife/model.h"

struct mml_version {
	unsigned int major, minor, patch;
	bool have_patch;         /* the stable patch level is known */
	bool patch_hidden;       /* "X.Y.0-N": a distribution ABI name */
	const char *source;      /* "release", "Debian package version" */
};

/* Parse the leading "X.Y[.Z]" of @s ("6.12.107+deb13-cloud-amd64"). */
bool mml_version_parse(const char *s, struct mml_version *ret);
/* From init_uts_ns: @release, refined by a Debian @version string. */
bool mml_version_from_uts(const char *release, const char *version,
			  struct mml_version *ret);
/* <0, 0, >0 as @a is before, at or after major.minor.patch. */
int mml_version_cmp(const struct mml_version *a, unsigned int major,
		    unsigned int minor, unsigned int patch);

/* Presence of @fix in a kernel of version @v by the release and the
 * stable-backport table; the reason goes to @why. Never certain. */
enum mml_presence mml_fix_by_version(const struct mml_fix *fix,
				     const struct mml_version *v,
				     char *why, size_t size);

/* Whether @fix concerns the findings of @check (its findings[]). */
bool mml_fix_concerns_finding(const struct mml_fix *fix,
			      const struct mml_check *check);
bool mml_fix_concerns_call(const struct mml_fix *fix, const char *function);
/* @traced equals @name up to a compiler suffix (".cold", ".isra.0"), or
 * both are the same syscall's entry on two architectures
 * ("__arm64_sys_swapoff" and "__x64_sys_swapoff"). */
bool mml_fix_call_matches(const char *traced, const char *name);

#endif
