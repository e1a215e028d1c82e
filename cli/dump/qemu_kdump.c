// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * QEMU's own kdump-compressed dumps of aarch64 guests (`virsh dump
 * --memory-only --format=kdump-zlib`, QMP dump-guest-memory "format":
 * "kdump-zlib", -lzo, -snappy), as bookworm's QEMU 7.2 writes them:
 * utsname.machine "Unknown" (the aarch64 target defines no
 * ELF_MACHINE_UNAME) and 64 KiB blocks (its target page size, not the
 * kernel's 4 KiB pages). libkdumpfile 0.5.1 cannot read them: it finds
 * no architecture, and told aarch64 it counts the bitmap's 64 KiB blocks
 * as 4 KiB pages ("Out-of-bounds PFN" on the page tables). drgn, which
 * reads through it, stops at the architecture; crash 9.0.2 reads them.
 *
 * mmlife reads the architecture from the dump's own VMCOREINFO (only
 * arm64 kernels export NUMBER(kimage_voffset), arch/arm64/kernel/
 * vmcore_info.c) and rewrites the dump into an ELF core in a scratch file,
 * as it reassembles flattened and xz'd dumps: one PT_NOTE with the file's
 * ELF notes (QEMU's NT_PRSTATUS and the guest's VMCOREINFO), one PT_LOAD
 * per run of blocks in the bitmap (vaddr = paddr, as QEMU's ELF), the
 * 4 KiB frames read by fmt/kpages.c. libkdumpfile then translates with
 * the kernel's 4 KiB granule, exactly as on QEMU's ELF dump of the same
 * guest. All-zero frames stay holes of the scratch file.
 */
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "dump.h"
#include "dump_header.h"
#include "kdump_format.h"
#include "kpages.h"

enum {
	QK_PAGE = 4096,
	QK_MAX_NOTES = 1 << 20,
};

/* What to do instead, in every refusal of this file. */
#define QK_REMEDY                                                          \
	"take an ELF dump instead: QMP dump-guest-memory without a format, " \
	"or virsh dump --memory-only without --format"

/*
 * The machine "Unknown", or blocks that are not 4 KiB (QEMU's, should a
 * later QEMU name the machine): libkdumpfile 0.5.1 takes the page size
 * from VMCOREINFO and would count those blocks as pages of that size.
 */
bool cli_qemu_kdump_detect(const struct cli_dump_header *hdr)
{
	return !strncmp(hdr->format, "kdump", 5) &&
	       (!strcmp(hdr->machine, "Unknown") ||
		hdr->block_size != QK_PAGE);
}

/* An arm64 kernel with 4 KiB pages, by its VMCOREINFO, under a header
 * that says "Unknown" or aarch64. */
static struct mml_error *qk_check_kernel(int fd, const char *machine)
{
	if (strcmp(machine, "Unknown") && strcmp(machine, "aarch64"))
		return mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"kdump blocks that are not 4 KiB pages, on machine "
			"%s: mmlife reads those only in QEMU's kdump files "
			"of arm64 guests; %s", machine, QK_REMEDY);
	char *raw = NULL;
	struct mml_error *err = cli_vmcoreinfo_read_file(fd, &raw);
	if (err) {
		mml_error_destroy(err);
		return mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"a kdump file as QEMU writes them for arm64 guests "
			"(machine \"%s\"), without the VMCOREINFO that would "
			"tell its architecture: %s", machine, QK_REMEDY);
	}
	struct cli_vmcoreinfo vi;
	err = cli_vmcoreinfo_parse(raw, &vi);
	if (err)
		return err;
	uint64_t v;
	if (!cli_vmcoreinfo_number(&vi, "NUMBER(kimage_voffset)", &v))
		err = mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"a kdump file as QEMU writes them for arm64 guests "
			"(machine \"%s\"), but its VMCOREINFO is not an arm64 "
			"kernel's (no NUMBER(kimage_voffset)); mmlife handles "
			"x86_64 and aarch64 dumps only; %s", machine, QK_REMEDY);
	else if (vi.page_size != QK_PAGE)
		err = mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"page size %llu; mmlife handles 4096",
			(unsigned long long)vi.page_size);
	cli_vmcoreinfo_deinit(&vi);
	return err;
}

/* The ELF notes the kdump sub-header points at, whole. */
static struct mml_error *qk_notes(int fd, uint64_t size, uint32_t block,
				  unsigned char **notes_ret, uint64_t *len_ret)
{
	unsigned char sh[KSH_SIZE_NOTE + 8];
	if (!cli_read_all(fd, sh, sizeof(sh), block))
		return mml_error_create(MML_ERROR_INPUT,
					"kdump sub-header is truncated");
	uint64_t off = kdump_le64(sh + KSH_OFFSET_NOTE);
	uint64_t len = kdump_le64(sh + KSH_SIZE_NOTE);
	if (!len || len > QK_MAX_NOTES || off > size || len > size - off)
		return mml_error_create(MML_ERROR_INPUT,
					"QEMU kdump dump: ELF notes of %llu "
					"bytes at %llu in a file of %llu",
					(unsigned long long)len,
					(unsigned long long)off,
					(unsigned long long)size);
	unsigned char *notes = malloc(len);
	if (!notes)
		return &mml_enomem;
	if (!cli_read_all(fd, notes, len, (off_t)off)) {
		free(notes);
		return mml_error_create(MML_ERROR_INPUT,
					"QEMU kdump dump: ELF notes are "
					"truncated");
	}
	*notes_ret = notes;
	*len_ret = len;
	return NULL;
}

struct qk_run {
	uint64_t first, frames;  /* 4 KiB frames */
};

/* The runs of frames whose blocks are in the dump; *@n_ret of them. */
static struct mml_error *qk_runs(const struct mml_kpages *kp,
				 struct qk_run **runs_ret, size_t *n_ret)
{
	uint64_t step = mml_kpages_block_size(kp) / QK_PAGE;
	uint64_t frames = mml_kpages_frames(kp);
	struct qk_run *runs = NULL;
	size_t n = 0, cap = 0;
	for (uint64_t pfn = 0; pfn < frames; pfn += step) {
		if (!mml_kpages_has(kp, pfn))
			continue;
		if (n && runs[n - 1].first + runs[n - 1].frames == pfn) {
			runs[n - 1].frames += step;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			struct qk_run *r = realloc(runs, cap * sizeof(*runs));
			if (!r) {
				free(runs);
				return &mml_enomem;
			}
			runs = r;
		}
		runs[n++] = (struct qk_run){ pfn, step };
	}
	if (!n) {
		free(runs);
		return mml_error_create(MML_ERROR_INPUT,
					"QEMU kdump dump holds no memory");
	}
	*runs_ret = runs;
	*n_ret = n;
	return NULL;
}

static bool qk_zero(const unsigned char *p)
{
	return !p[0] && !memcmp(p, p + 1, QK_PAGE - 1);
}

/* The frames of @r, at @off of @out; all-zero ones stay holes. */
static struct mml_error *qk_copy_run(struct mml_kpages *kp, int out,
				     const struct qk_run *r, uint64_t off)
{
	unsigned char page[QK_PAGE];
	for (uint64_t i = 0; i < r->frames; i++) {
		if (mml_kpages_read(kp, r->first + i, page) != MML_KPAGES_OK)
			return mml_error_create(
				MML_ERROR_INPUT,
				"QEMU kdump dump: the block of physical "
				"address 0x%llx does not decompress",
				(unsigned long long)((r->first + i) * QK_PAGE));
		if (qk_zero(page))
			continue;
		if (!cli_write_all(out, page, QK_PAGE,
				   (off_t)(off + i * QK_PAGE)))
			return mml_error_create(MML_ERROR_OS,
						"cannot write the rewritten "
						"dump: %s", strerror(errno));
	}
	return NULL;
}

/* The ELF header and program headers of the rewritten dump; the data of
 * run i goes at @data_off[i]. */
static struct mml_error *qk_write_headers(int out, const struct qk_run *runs,
					  size_t n, uint64_t notes_len,
					  uint64_t *data_off)
{
	Elf64_Ehdr eh = { 0 };
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = htole16(ET_CORE);
	eh.e_machine = htole16(EM_AARCH64);
	eh.e_version = htole32(EV_CURRENT);
	eh.e_phoff = htole64(sizeof(eh));
	eh.e_ehsize = htole16(sizeof(eh));
	eh.e_phentsize = htole16(sizeof(Elf64_Phdr));
	eh.e_phnum = htole16((uint16_t)(n + 1));
	_cleanup_free_ Elf64_Phdr *ph = calloc(n + 1, sizeof(*ph));
	if (!ph)
		return &mml_enomem;
	uint64_t notes_off = sizeof(eh) + (n + 1) * sizeof(*ph);
	ph[0].p_type = htole32(PT_NOTE);
	ph[0].p_offset = htole64(notes_off);
	ph[0].p_filesz = ph[0].p_memsz = htole64(notes_len);
	uint64_t off = (notes_off + notes_len + QK_PAGE - 1) / QK_PAGE * QK_PAGE;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = runs[i].first * QK_PAGE;
		uint64_t len = runs[i].frames * QK_PAGE;
		ph[i + 1].p_type = htole32(PT_LOAD);
		ph[i + 1].p_flags = htole32(PF_R | PF_W | PF_X);
		ph[i + 1].p_offset = htole64(off);
		ph[i + 1].p_vaddr = ph[i + 1].p_paddr = htole64(pa);
		ph[i + 1].p_filesz = ph[i + 1].p_memsz = htole64(len);
		data_off[i] = off;
		off += len;
	}
	if (!cli_write_all(out, &eh, sizeof(eh), 0) ||
	    !cli_write_all(out, ph, (n + 1) * sizeof(*ph), sizeof(eh)) ||
	    ftruncate(out, (off_t)off) < 0)
		return mml_error_create(MML_ERROR_OS,
					"cannot write the rewritten dump: %s",
					strerror(errno));
	return NULL;
}

/* The rewrite proper, into @out, with @kp on the kdump file. */
static struct mml_error *qk_write_elf(int fd, uint64_t size,
				      struct mml_kpages *kp, int out)
{
	_cleanup_free_ unsigned char *notes = NULL;
	_cleanup_free_ struct qk_run *runs = NULL;
	_cleanup_free_ uint64_t *data_off = NULL;
	uint64_t notes_len = 0;
	size_t n = 0;
	struct mml_error *err = qk_notes(fd, size, mml_kpages_block_size(kp),
					 &notes, &notes_len);
	if (!err)
		err = qk_runs(kp, &runs, &n);
	if (err)
		return err;
	data_off = calloc(n, sizeof(*data_off));
	if (!data_off)
		return &mml_enomem;
	err = qk_write_headers(out, runs, n, notes_len, data_off);
	if (err)
		return err;
	uint64_t notes_off = sizeof(Elf64_Ehdr) + (n + 1) * sizeof(Elf64_Phdr);
	if (!cli_write_all(out, notes, notes_len, (off_t)notes_off))
		return mml_error_create(MML_ERROR_OS,
					"cannot write the rewritten dump: %s",
					strerror(errno));
	for (size_t i = 0; i < n && !err; i++)
		err = qk_copy_run(kp, out, &runs[i], data_off[i]);
	return err;
}

struct mml_error *cli_qemu_kdump_to_elf(int fd, uint64_t size,
				       const char *machine, int *fd_ret)
{
	struct mml_error *err = qk_check_kernel(fd, machine);
	if (err)
		return err;
	struct mml_kpages *kp = NULL;
	err = mml_kpages_open(fd, size, &kp);
	if (err)
		return err;
	if (!kp)
		return mml_error_create(
			MML_ERROR_UNSUPPORTED,
			"an arm64 dump by QEMU's kdump writer (header machine "
			"\"Unknown\") whose blocks mmlife cannot read (a "
			"compression or layout it does not know): %s",
			QK_REMEDY);
	int out = -1;
	err = cli_tmpfile_create("rewritten QEMU kdump dump", &out);
	if (!err)
		err = qk_write_elf(fd, size, kp, out);
	mml_kpages_destroy(kp);
	if (err) {
		if (out >= 0)
			close(out);
		return err;
	}
	*fd_ret = out;
	return NULL;
}
