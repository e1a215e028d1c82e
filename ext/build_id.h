/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The build-id of an ELF file (ext/build_id.c). */
#ifndef MMLIFE_EXT_BUILD_ID_H
#define MMLIFE_EXT_BUILD_ID_H

/* Lower-case hex (caller frees), or NULL if @path has none we can read. */
char *ext_elf_build_id(const char *path);

#endif
