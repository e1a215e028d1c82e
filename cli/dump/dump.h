/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Dump access (cli/dump/): the dump file opened through libkdumpfile, or
 * its kdump-compressed pages read directly (kpages.c), after unwrapping an
 * xz container (xz.c) or a makedumpfile -F stream (flattened.c) and
 * checking its headers (dump_header.c); its VMCOREINFO note
 * (vmcoreinfo.c); anonymous scratch files (tmpfile.c). Nothing in lib/
 * includes this.
 */
#ifndef MMLIFE_CLI_DUMP_H
#define MMLIFE_CLI_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mmlife/error.h"
#include "mmlife/target.h"

/* ---- vmcoreinfo.c: the VMCOREINFO note, parsed ---- */

struct cli_vmcoreinfo {
	char *raw;              /* the whole note text, owned */
	char *osrelease;        /* OSRELEASE=, or NULL */
	char *build_id;         /* BUILD-ID= in lower-case hex, or NULL */
	uint64_t kernel_offset; /* KERNELOFFSET= (0 when absent) */
	bool have_kernel_offset;
	uint64_t page_size;     /* PAGESIZE= (0 when absent) */
};

/* Parse @raw (taken over: freed by cli_vmcoreinfo_deinit()). */
struct mml_error *cli_vmcoreinfo_parse(char *raw, struct cli_vmcoreinfo *ret);
void cli_vmcoreinfo_deinit(struct cli_vmcoreinfo *vi);
/* The value of SYMBOL(@name)=, which is already KASLR-shifted. */
bool cli_vmcoreinfo_symbol(const struct cli_vmcoreinfo *vi, const char *name,
			   uint64_t *ret);
/* The number of the line @key= (e.g. "NUMBER(VA_BITS)"): decimal, or hex
 * with 0x, as the kernel prints them; SYMBOL(name) lines in bare hex. */
bool cli_vmcoreinfo_number(const struct cli_vmcoreinfo *vi, const char *key,
			   uint64_t *ret);
/* The value of the line @key=, a pointer into vi->raw and its length. */
const char *cli_vmcoreinfo_line(const struct cli_vmcoreinfo *vi,
				const char *key, size_t *len_ret);

/* ---- vmcoreinfo_file.c, elf_notes.c: straight from the file ---- */

/* The VMCOREINFO text of the dump at @fd (kdump sub-header or ELF note),
 * NUL-terminated, caller frees; without opening it as a dump. */
struct mml_error *cli_vmcoreinfo_read_file(int fd, char **raw_ret);
struct mml_error *cli_elf_vmcoreinfo_read(int fd, char **raw_ret);

enum cli_elf_core {
	CLI_ELF_NOT_CORE,      /* an ELF file, but not of type ET_CORE */
	CLI_ELF_KERNEL_CORE,   /* a vmcore: /proc/vmcore, makedumpfile -E, QEMU */
	CLI_ELF_PROCESS_CORE,  /* a process's core file */
};

/* Which kind of ELF file @fd is (an error: not ELF at all). */
struct mml_error *cli_elf_core_kind(int fd, enum cli_elf_core *ret);

/* ---- tmpfile.c: anonymous scratch files, whole reads and writes ---- */

struct mml_error *cli_tmpfile_create(const char *what, int *fd_ret);
/* pwrite() all of @buf at @off; false with errno on failure. */
bool cli_write_all(int fd, const void *buf, size_t len, off_t off);
/* pread() exactly @len bytes at @off; false on a short read or an error. */
bool cli_read_all(int fd, void *buf, size_t len, off_t off);

/* ---- xz.c: dumps in an xz container ---- */

bool cli_xz_detect(int fd);
/* Decompress the xz file at @fd into an anonymous file. */
struct mml_error *cli_xz_decompress(int fd, int *fd_ret);

/* ---- flattened.c: makedumpfile -F streams ---- */

/* True if the file at @fd starts with the flattened-format header. */
bool cli_flattened_detect(int fd);
/* Reassemble the flattened dump at @fd into an anonymous file (memfd or
 * unlinked temp file) and return its descriptor. */
struct mml_error *cli_flattened_reassemble(int fd, int *fd_ret);

/* ---- qemu_kdump.c: QEMU's kdump files of aarch64 guests ---- */

struct cli_dump_header;
/* A kdump file whose header names the machine "Unknown", as QEMU's kdump
 * writer does for aarch64 guests, or whose blocks are not 4 KiB. */
bool cli_qemu_kdump_detect(const struct cli_dump_header *hdr);
/* Rewrite such a file (@size bytes at @fd, its header's @machine) into an
 * ELF core in an anonymous file, when its VMCOREINFO is an arm64
 * kernel's of 4 KiB pages; else the refusal, naming the cause and the
 * remedy. */
struct mml_error *cli_qemu_kdump_to_elf(int fd, uint64_t size,
				       const char *machine, int *fd_ret);

/* ---- dump.c: the dump file through libkdumpfile ---- */

struct cli_dump;

struct mml_error *cli_dump_open(const char *path, struct cli_dump **ret);
/* Another reader of @dump for another thread: the same pages through a
 * libkdumpfile clone, the fast path's descriptors shared, a decompressor
 * of its own; compressed kdump files only (MML_ERROR_UNSUPPORTED else).
 * cli_dump_destroy() it before @dump; each is read from one thread. */
struct mml_error *cli_dump_clone(struct cli_dump *dump, struct cli_dump **ret);
/* Whether cli_dump_clone() can: a compressed kdump file's own page path. */
bool cli_dump_can_clone(const struct cli_dump *dump);
void cli_dump_destroy(struct cli_dump *dump);
const char *cli_dump_format(const struct cli_dump *dump);
/* Whether the fast page path (kpages.c) is set up for this dump; the pages
 * it served and the reads left to libkdumpfile so far. */
bool cli_dump_page_stats(const struct cli_dump *dump, uint64_t *fast_pages,
			 uint64_t *slow_reads);
/*
 * Read-ahead (readahead.c): start a thread that inflates the pages that
 * cli_dump_prefetch() names, for the reads to take. Nothing to do unless
 * the fast page path is set up (a kdump-compressed file). @patient, for
 * tests: reads wait for the thread's copy of every page it was given.
 */
struct mml_error *cli_dump_readahead_start(struct cli_dump *dump,
					   bool patient);
/* A hint (mml_ctx_set_prefetch()): the page at @addr will be read soon. */
void cli_dump_prefetch(struct cli_dump *dump, uint64_t addr);
/* Whether read-ahead runs, and its counts (readahead.h). */
struct cli_readahead_stats;
bool cli_dump_readahead_stats(struct cli_dump *dump,
			      struct cli_readahead_stats *ret);
const char *cli_dump_arch(const struct cli_dump *dump);
enum mml_arch cli_dump_arch_kind(const struct cli_dump *dump);
struct cli_arch;
const struct cli_arch *cli_dump_archops(const struct cli_dump *dump);
uint32_t cli_dump_page_size(const struct cli_dump *dump);
const struct cli_vmcoreinfo *cli_dump_vmcoreinfo(const struct cli_dump *dump);
/* makedumpfile's dump level from a kdump sub-header; -1 unknown. */
int cli_dump_level(const struct cli_dump *dump);
/* Read kernel virtual memory: OK, INVALID (no translation) or EXCLUDED
 * (filtered out of the dump). Reads may cross pages. */
enum mml_read_status cli_dump_read(struct cli_dump *dump, uint64_t addr,
				   void *buf, size_t len);
/* libkdumpfile's message for the last failed read. */
const char *cli_dump_last_error(struct cli_dump *dump);
/*
 * A read died of SIGSEGV or SIGBUS (corrupt page data, the file cut short
 * since it was opened): every read since has failed, for a reason that is
 * the dump's, not the kernel's. *@why_ret: what happened.
 */
bool cli_dump_faulted(const struct cli_dump *dump, const char **why_ret);
/* Read and wrap the failure into an error naming @what. */
struct mml_error *cli_dump_read_or_error(struct cli_dump *dump, uint64_t addr,
					 void *buf, size_t len,
					 const char *what);

#endif /* MMLIFE_CLI_DUMP_H */
