// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The notes of an ELF core file, read through libelf (as
 * cli/debuginfo/vmlinux.c reads a vmlinux's): which kind of core it is,
 * and its VMCOREINFO note. libelf does the byte order, the note
 * alignment and the bounds; the batch scanner asks this before any
 * libkdumpfile open, on files it has not looked at yet.
 */
#include <elf.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

/* Bounds: a kernel's notes are a few KiB; refuse garbage before
 * allocating (the same 1 MiB as the kernel's VMCOREINFO_BYTES * 256). */
enum { NOTES_MAX = 1 << 20 };

/* Call @fn for each note of each PT_NOTE segment until it returns true;
 * returns whether one did. */
static bool elf_notes_find(Elf *elf,
			   bool (*fn)(const GElf_Nhdr *nh, const char *name,
				      const char *desc, void *arg),
			   void *arg)
{
	size_t phnum;

	if (elf_getphdrnum(elf, &phnum) != 0)
		return false;
	for (size_t i = 0; i < phnum && i < 65536; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_NOTE ||
		    ph.p_filesz == 0)
			continue;
		size_t len = ph.p_filesz < NOTES_MAX ? ph.p_filesz : NOTES_MAX;
		Elf_Data *d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset,
						   len, ELF_T_NHDR);
		if (!d)
			continue;
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;
		while ((off = gelf_getnote(d, off, &nh, &name_off,
					   &desc_off))) {
			const char *base = d->d_buf;
			if (fn(&nh, nh.n_namesz ? base + name_off : "",
			       base + desc_off, arg))
				return true;
		}
	}
	return false;
}

static Elf *elf_open(int fd)
{
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf && elf_kind(elf) != ELF_K_ELF) {
		elf_end(elf);
		return NULL;
	}
	return elf;
}

/* Only the kernel's process core dumper (fs/binfmt_elf.c,
 * fill_note_info()) writes these; /proc/vmcore copies, makedumpfile -E and
 * QEMU dumps have NT_PRSTATUS, VMCOREINFO and QEMU notes only. */
static bool note_is_process(const GElf_Nhdr *nh, const char *name,
			    const char *desc, void *arg)
{
	(void)desc;
	(void)arg;
	return nh->n_namesz == 5 && !memcmp(name, "CORE", 5) &&
	       (nh->n_type == NT_PRPSINFO || nh->n_type == NT_AUXV ||
		nh->n_type == NT_FILE || nh->n_type == NT_SIGINFO);
}

struct mml_error *cli_elf_core_kind(int fd, enum cli_elf_core *ret)
{
	Elf *elf = elf_open(fd);
	GElf_Ehdr eh;

	if (!elf || !gelf_getehdr(elf, &eh)) {
		struct mml_error *err = mml_error_create(
			MML_ERROR_INPUT, "not an ELF file: %s",
			elf_errmsg(-1));
		elf_end(elf);
		return err;
	}
	if (eh.e_type != ET_CORE)
		*ret = CLI_ELF_NOT_CORE;
	else if (elf_notes_find(elf, note_is_process, NULL))
		*ret = CLI_ELF_PROCESS_CORE;
	else
		*ret = CLI_ELF_KERNEL_CORE;
	elf_end(elf);
	return NULL;
}

struct vmcoreinfo_note {
	char *text;
};

static bool note_is_vmcoreinfo(const GElf_Nhdr *nh, const char *name,
			       const char *desc, void *arg)
{
	struct vmcoreinfo_note *v = arg;

	if (nh->n_namesz != 11 || memcmp(name, "VMCOREINFO", 11))
		return false;
	v->text = strndup(desc, nh->n_descsz);
	return true;
}

struct mml_error *cli_elf_vmcoreinfo_read(int fd, char **raw_ret)
{
	struct vmcoreinfo_note v = { NULL };
	Elf *elf = elf_open(fd);

	if (!elf)
		return mml_error_create(MML_ERROR_INPUT, "not an ELF file: %s",
					elf_errmsg(-1));
	bool found = elf_notes_find(elf, note_is_vmcoreinfo, &v);
	elf_end(elf);
	if (!found)
		return mml_error_create(MML_ERROR_INPUT,
					"no VMCOREINFO note");
	if (!v.text)
		return &mml_enomem;
	*raw_ret = v.text;
	return NULL;
}
