// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The GNU build-id of crash's vmlinux, from its ELF note (NT_GNU_BUILD_ID
 * in an SHT_NOTE section: ".notes" in a vmlinux, ".note.gnu.build-id" in
 * a separate debug file). The layout cache is keyed by the dump's
 * VMCOREINFO BUILD-ID; crash takes its types from this file, so a cache
 * file stands in for crash's types only when the two ids agree. Plain
 * libc: crash reads the ELF through bfd and gives no build-id to an
 * extension.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"
#include "build_id.h"

/* Bounds for a file crash already accepted; a note section is small. */
enum { NOTE_MAX = 1 << 16, BUILD_ID_MAX = 64 };

static bool read_at(FILE *f, long off, void *buf, size_t len)
{
	return fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, len, f) == len;
}

/* The build-id in one note section's bytes, as hex, or NULL. */
static char *notes_build_id(const unsigned char *p, size_t len)
{
	size_t off = 0;
	while (len - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		memcpy(&nh, p + off, sizeof(nh));
		size_t name = off + sizeof(nh);
		size_t desc = name + ((nh.n_namesz + 3ULL) & ~3ULL);
		size_t next = desc + ((nh.n_descsz + 3ULL) & ~3ULL);
		if (nh.n_namesz > len || nh.n_descsz > len || next > len)
			return NULL;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp(p + name, "GNU", 4) && nh.n_descsz > 0 &&
		    nh.n_descsz <= BUILD_ID_MAX) {
			char *hex = malloc(2 * nh.n_descsz + 1);
			if (!hex)
				return NULL;
			for (size_t i = 0; i < nh.n_descsz; i++)
				sprintf(hex + 2 * i, "%02x", p[desc + i]);
			return hex;
		}
		off = next;
	}
	return NULL;
}

char *ext_elf_build_id(const char *path)
{
	_cleanup_fclose_ FILE *f = path ? fopen(path, "re") : NULL;
	Elf64_Ehdr eh;

	/* 64-bit little-endian only, as the core reads the dump. */
	if (!f || !read_at(f, 0, &eh, sizeof(eh)) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0)
		return NULL;
	for (unsigned int i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		if (!read_at(f, (long)(eh.e_shoff + i * sizeof(sh)), &sh,
			     sizeof(sh)))
			return NULL;
		if (sh.sh_type != SHT_NOTE || sh.sh_size == 0 ||
		    sh.sh_size > NOTE_MAX)
			continue;
		_cleanup_free_ unsigned char *buf = malloc(sh.sh_size);
		if (!buf || !read_at(f, (long)sh.sh_offset, buf, sh.sh_size))
			continue;
		char *id = notes_build_id(buf, sh.sh_size);
		if (id)
			return id;
	}
	return NULL;
}
