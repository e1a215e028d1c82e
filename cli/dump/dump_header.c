// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A first look at a dump file before libkdumpfile opens it: what format it
 * is (and its page compression), which architecture, and whether the file
 * is as long as its own headers say. libkdumpfile opens a truncated dump
 * without complaint and only fails on the pages that are missing; mmlife
 * wants one clear message up front instead.
 *
 * ELF (QEMU dump-guest-memory, makedumpfile -E, /proc/vmcore copies): the
 * end of the last PT_LOAD/PT_NOTE data. kdump-compressed (makedumpfile -c,
 * -l, -p, -z): disk_dump_header, the bitmaps, one 24-byte page descriptor
 * per page set in the second bitmap, and the page data they point to.
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

/* Bounds on header fields, to refuse garbage before allocating. */
enum {
	KDUMP_MAX_BLOCK_SIZE = 1 << 20,
	KDUMP_MAX_BITMAP = 1 << 30,
	ELF_MAX_SECTIONS = 1 << 16,
};

/* lkcdutils' dump_header_common: magic, version, header size, level,
 * page size (either byte order, as the magic's). */
enum {
	LKCD_HDR_VERSION = 8,
	LKCD_HDR_PAGE_SIZE = 20,
	LKCD_HDR_SIZE = 24,
};

/* disk_dump_header.status compression bits (makedumpfile). */
static const struct {
	uint32_t bit;
	const char *name;
} kdump_compressions[] = {
	{ KDUMP_COMPRESSED_ZLIB, "zlib" },
	{ KDUMP_COMPRESSED_LZO, "lzo" },
	{ KDUMP_COMPRESSED_SNAPPY, "snappy" },
	{ KDUMP_COMPRESSED_ZSTD, "zstd" },
};

static struct mml_error *truncated(uint64_t have, uint64_t need,
				   const char *what)
{
	return mml_error_create(MML_ERROR_INPUT,
				"dump is truncated: the file has %llu bytes, "
				"but its %s needs %llu",
				(unsigned long long)have, what,
				(unsigned long long)need);
}

static const char *elf_machine_name(unsigned int machine)
{
	switch (machine) {
	case EM_X86_64: return "x86_64";
	case EM_386: return "i386";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_PPC64: return "ppc64";
	case EM_PPC: return "ppc";
	case EM_S390: return "s390x";
	case EM_RISCV: return "riscv";
	case EM_LOONGARCH: return "loongarch";
	case EM_MIPS: return "mips";
	default: return "unknown";
	}
}

/*
 * Section headers, which vmcores do not have (Xen's xc_core files do).
 * libkdumpfile 0.5.1 reads them by e_shentsize and crashes on another size
 * than Elf64_Shdr's, or on a table outside the file (at offset 0 too,
 * when e_shnum is set): it reads the first one at any non-zero e_shoff,
 * even with e_shnum 0, and then takes the
 * count from its sh_size (ELF extended numbering). It allocates the
 * section-name table by its sh_size before reading it, and reads the
 * Xen sections whole: a section past the end of the file is a 16 GiB
 * allocation or a fault (all found by tests/fuzz/fuzz_dumpfile).
 */
static struct mml_error *elf_sections_check(int fd, uint64_t size,
					    const Elf64_Ehdr *eh)
{
	uint64_t shoff = le64toh(eh->e_shoff), nsec = le16toh(eh->e_shnum);
	if (!shoff && !nsec)
		return NULL;
	if (le16toh(eh->e_shentsize) != sizeof(Elf64_Shdr))
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: ELF section "
					"headers of %u bytes, not %zu",
					(unsigned int)le16toh(eh->e_shentsize),
					sizeof(Elf64_Shdr));
	Elf64_Shdr sh;
	if (shoff > size || size - shoff < sizeof(sh) ||
	    !cli_read_all(fd, &sh, sizeof(sh), (off_t)shoff))
		return truncated(size,
				 shoff > UINT64_MAX - sizeof(sh)
					 ? UINT64_MAX
					 : shoff + sizeof(sh),
				 "section header table");
	if (!nsec)
		nsec = le64toh(sh.sh_size);
	if (nsec > ELF_MAX_SECTIONS)
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: ELF core file with "
					"%llu section headers",
					(unsigned long long)nsec);
	if (nsec * sizeof(sh) > size - shoff)
		return truncated(size, shoff + nsec * sizeof(sh),
				 "section header table");
	/* Section 0 holds no data (the extended count, if any). */
	for (uint64_t i = 1; i < nsec; i++) {
		if (!cli_read_all(fd, &sh, sizeof(sh),
				  (off_t)(shoff + i * sizeof(sh))))
			return truncated(size, shoff + (i + 1) * sizeof(sh),
					 "section header table");
		uint64_t off = le64toh(sh.sh_offset), len = le64toh(sh.sh_size);
		if (len && (off > size || len > size - off))
			return truncated(size,
					 off + len < off ? UINT64_MAX
							 : off + len,
					 "section data");
	}
	return NULL;
}

static struct mml_error *elf_check(int fd, uint64_t size,
				   struct cli_dump_header *ret)
{
	unsigned char ident[EI_NIDENT];
	Elf64_Ehdr eh;

	if (!cli_read_all(fd, ident, sizeof(ident), 0))
		return truncated(size, EI_NIDENT, "ELF header");
	if (ident[EI_CLASS] != ELFCLASS64) {
		ret->arch = "32-bit";
		snprintf(ret->format, sizeof(ret->format), "elf32");
		return NULL;
	}
	if (!cli_read_all(fd, &eh, sizeof(eh), 0))
		return truncated(size, sizeof(eh), "ELF header");
	bool be = ident[EI_DATA] == ELFDATA2MSB;
	uint16_t machine = be ? be16toh(eh.e_machine) : le16toh(eh.e_machine);
	ret->arch = elf_machine_name(machine);
	snprintf(ret->format, sizeof(ret->format), "elf");
	if (be)
		return NULL;  /* rejected later by the arch check */
	if (eh.e_type != ET_CORE)
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: an ELF file of type "
					"%u, not a core file",
					(unsigned int)eh.e_type);
	uint64_t phoff = le64toh(eh.e_phoff);
	uint16_t phnum = le16toh(eh.e_phnum);
	if (phnum == 0 || phnum == PN_XNUM)
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: ELF core file with "
					"%u program headers", phnum);
	/* libkdumpfile 0.5.1 walks the table by e_phentsize and crashes on
	 * other values (found by tests/fuzz/fuzz_dumpfile). */
	if (le16toh(eh.e_phentsize) != sizeof(Elf64_Phdr))
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: ELF program "
					"headers of %u bytes, not %zu",
					(unsigned int)le16toh(eh.e_phentsize),
					sizeof(Elf64_Phdr));
	struct mml_error *err = elf_sections_check(fd, size, &eh);
	if (err)
		return err;
	uint64_t need = phoff + (uint64_t)phnum * sizeof(Elf64_Phdr);
	if (need < phoff || need > size)
		return truncated(size, need, "program header table");
	_cleanup_free_ Elf64_Phdr *ph = calloc(phnum, sizeof(*ph));
	if (!ph)
		return &mml_enomem;
	if (!cli_read_all(fd, ph, phnum * sizeof(*ph), (off_t)phoff))
		return truncated(size, need, "program header table");
	uint64_t end = 0;
	for (unsigned int i = 0; i < phnum; i++) {
		uint32_t type = le32toh(ph[i].p_type);
		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		uint64_t e = le64toh(ph[i].p_offset) + le64toh(ph[i].p_filesz);
		if (e < le64toh(ph[i].p_offset))
			e = UINT64_MAX;  /* wraps: past any file */
		if (e > end)
			end = e;
	}
	if (end > size)
		return truncated(size, end, "program headers' data");
	return NULL;
}

static uint64_t popcount_bytes(const unsigned char *p, size_t len)
{
	uint64_t n = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8)
		n += (uint64_t)__builtin_popcountll(kdump_le64(p + i));
	for (; i < len; i++)
		n += (uint64_t)__builtin_popcount(p[i]);
	return n;
}

/* "kdump (zlib, ...)" from the header's status bits, and the machine. */
static void kdump_name(const unsigned char *h, struct cli_dump_header *ret)
{
	char machine[66] = "";
	memcpy(machine, h + KDH_UTS_MACHINE, 65);
	snprintf(ret->machine, sizeof(ret->machine), "%s", machine);
	ret->arch = ret->machine;

	uint32_t status = kdump_le32(h + KDH_STATUS);
	size_t len = strlen(ret->format);
	const char *sep = " (";
	for (size_t i = 0; i < sizeof(kdump_compressions) /
				   sizeof(kdump_compressions[0]); i++) {
		if (!(status & kdump_compressions[i].bit))
			continue;
		len += (size_t)snprintf(ret->format + len,
					sizeof(ret->format) - len, "%s%s",
					sep, kdump_compressions[i].name);
		if (len >= sizeof(ret->format))
			len = sizeof(ret->format) - 1;
		sep = ", ";
	}
	if (*sep == ',' && len + 1 < sizeof(ret->format))
		strcat(ret->format, ")");
}

/* Where the parts of a kdump file are, from its headers. */
struct kdump_geometry {
	uint32_t version;
	uint64_t block, sub_blocks, bitmap_blocks, max_mapnr;
};

static struct mml_error *kdump_geometry_read(const unsigned char *h,
					     struct kdump_geometry *g)
{
	g->version = kdump_le32(h + KDH_HEADER_VERSION);
	g->block = kdump_le32(h + KDH_BLOCK_SIZE);
	g->sub_blocks = kdump_le32(h + KDH_SUB_HDR_SIZE);
	g->bitmap_blocks = kdump_le32(h + KDH_BITMAP_BLOCKS);
	g->max_mapnr = kdump_le32(h + KDH_MAX_MAPNR);
	if (g->block < 512 || g->block > KDUMP_MAX_BLOCK_SIZE ||
	    (g->block & (g->block - 1)) || g->sub_blocks > 1024 ||
	    g->bitmap_blocks * g->block > KDUMP_MAX_BITMAP)
		return mml_error_create(MML_ERROR_INPUT,
					"kdump header is corrupt (block size "
					"%llu, %llu sub-header blocks, %llu "
					"bitmap blocks)",
					(unsigned long long)g->block,
					(unsigned long long)g->sub_blocks,
					(unsigned long long)g->bitmap_blocks);
	return NULL;
}

/*
 * The kdump sub-header follows the first block: the 64-bit max_mapnr,
 * the dump level, and ranges of the file. libkdumpfile reads the
 * sub-header's ranges by header_version even when sub_hdr_size is 0, and
 * dies of SIGBUS on a range past the end of the file (found by
 * tests/fuzz/fuzz_dumpfile): check them the same way, wrapping sums
 * included.
 */
static struct mml_error *kdump_sub_header_check(int fd, uint64_t size,
						struct kdump_geometry *g,
						struct cli_dump_header *ret)
{
	static const struct {
		unsigned int version, off;
		const char *what;
	} ranges[] = {
		{ 3, KSH_OFFSET_VMCOREINFO, "VMCOREINFO" },
		{ 4, KSH_OFFSET_VMCOREINFO + 16, "ELF notes" },
		{ 5, KSH_OFFSET_VMCOREINFO + 32, "erase info" },
	};
	unsigned char sh[KSH_MAX_MAPNR_64 + 8];

	if (!g->sub_blocks && g->version < 3)
		return NULL;
	if (!cli_read_all(fd, sh, sizeof(sh), (off_t)g->block))
		return truncated(size, g->block + sizeof(sh),
				 "kdump sub-header");
	if (g->version >= 6)
		g->max_mapnr = kdump_le64(sh + KSH_MAX_MAPNR_64);
	if (kdump_le32(sh + KSH_DUMP_LEVEL) <= 31)
		ret->dump_level = (int)kdump_le32(sh + KSH_DUMP_LEVEL);
	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		if (g->version < ranges[i].version)
			continue;
		uint64_t vo = kdump_le64(sh + ranges[i].off);
		uint64_t vs = kdump_le64(sh + ranges[i].off + 8);
		if (vs && (vo + vs < vo || vo + vs > size))
			return truncated(size, vo + vs < vo ? UINT64_MAX
							    : vo + vs,
					 ranges[i].what);
	}
	return NULL;
}

/* Where the last page's data ends, past @desc_end at least. Descriptors
 * are read in chunks. */
static struct mml_error *kdump_data_end(int fd, uint64_t size,
					uint64_t desc_off, uint64_t npages,
					uint64_t desc_end, uint64_t *end_ret)
{
	enum { CHUNK = 4096 };
	_cleanup_free_ unsigned char *pd = malloc(CHUNK * KDUMP_PAGE_DESC_SIZE);
	if (!pd)
		return &mml_enomem;
	uint64_t end = desc_end;
	for (uint64_t i = 0; i < npages; i += CHUNK) {
		uint64_t n = npages - i < CHUNK ? npages - i : CHUNK;
		if (!cli_read_all(fd, pd, n * KDUMP_PAGE_DESC_SIZE,
			       (off_t)(desc_off + i * KDUMP_PAGE_DESC_SIZE)))
			return truncated(size, desc_end, "page descriptors");
		for (uint64_t j = 0; j < n; j++) {
			const unsigned char *d = pd + j * KDUMP_PAGE_DESC_SIZE;
			uint64_t e = kdump_le64(d) + kdump_le32(d + 8);
			if (e > end)
				end = e;
		}
	}
	*end_ret = end;
	return NULL;
}

/* The bitmaps, the page descriptors and the page data are all in the
 * file. */
static struct mml_error *kdump_pages_check(int fd, uint64_t size,
					   const struct kdump_geometry *g)
{
	uint64_t bitmap_off = (1 + g->sub_blocks) * g->block;
	uint64_t bitmap_size = g->bitmap_blocks * g->block;
	uint64_t desc_off = bitmap_off + bitmap_size;
	if (desc_off > size)
		return truncated(size, desc_off, "bitmaps");

	/* The second half of the bitmap marks the pages in the dump. */
	size_t half = bitmap_size / 2;
	if (g->max_mapnr && (g->max_mapnr + 7) / 8 < half)
		half = (g->max_mapnr + 7) / 8;
	_cleanup_free_ unsigned char *bitmap = malloc(half ? half : 1);
	if (!bitmap)
		return &mml_enomem;
	if (!cli_read_all(fd, bitmap, half, (off_t)(bitmap_off + bitmap_size / 2)))
		return truncated(size, desc_off, "bitmaps");
	uint64_t npages = popcount_bytes(bitmap, half);
	uint64_t desc_end = desc_off + npages * KDUMP_PAGE_DESC_SIZE;
	if (desc_end > size)
		return truncated(size, desc_end, "page descriptors");

	uint64_t end = desc_end;
	struct mml_error *err = kdump_data_end(fd, size, desc_off, npages,
					       desc_end, &end);
	if (err)
		return err;
	if (end > size)
		return truncated(size, end, "page data");
	return NULL;
}

static struct mml_error *kdump_check(int fd, uint64_t size,
				     struct cli_dump_header *ret)
{
	unsigned char h[KDH_SIZE];
	struct kdump_geometry g;
	struct mml_error *err;

	snprintf(ret->format, sizeof(ret->format), "kdump");
	if (!cli_read_all(fd, h, sizeof(h), 0))
		return truncated(size, sizeof(h), "kdump header");
	kdump_name(h, ret);
	err = kdump_geometry_read(h, &g);
	if (!err)
		ret->block_size = (uint32_t)g.block;
	if (!err)
		err = kdump_sub_header_check(fd, size, &g, ret);
	if (!err)
		err = kdump_pages_check(fd, size, &g);
	return err;
}

/*
 * LKCD (lkcdutils, Linux 2.4 and 2.6): no kernel mmlife reads writes it.
 * Refused here because libkdumpfile 0.5.1 sizes its page cache by the
 * header's dh_page_size before anything else (any power of two: a 16 MiB
 * one is a 16 GiB allocation; found by tests/fuzz/fuzz_dumpfile).
 */
static struct mml_error *lkcd_check(int fd, uint64_t size,
				    const unsigned char magic[8],
				    struct cli_dump_header *ret)
{
	unsigned char h[LKCD_HDR_SIZE];

	snprintf(ret->format, sizeof(ret->format), "lkcd");
	if (!cli_read_all(fd, h, sizeof(h), 0))
		return truncated(size, sizeof(h), "LKCD header");
	bool le = magic[0] == 0xed;
	uint32_t version, page;
	memcpy(&version, h + LKCD_HDR_VERSION, sizeof(version));
	memcpy(&page, h + LKCD_HDR_PAGE_SIZE, sizeof(page));
	version = le ? le32toh(version) : be32toh(version);
	page = le ? le32toh(page) : be32toh(page);
	return mml_error_create(MML_ERROR_UNSUPPORTED,
				"LKCD dump (version %u, page size %u): the "
				"dump format of Linux 2.4 and 2.6; mmlife "
				"reads dumps of Linux 6.1 and later",
				version & 0xffff, page);
}

enum cli_dump_kind cli_dump_kind_detect(const unsigned char magic[8])
{
	/* lkcd_dump_header.dh_magic_number (lkcdutils), either byte order */
	static const unsigned char lkcd_le[8] = { 0xed, 0x23, 0x8f, 0x61,
						  0x73, 0x01, 0x19, 0xa8 };
	static const unsigned char lkcd_be[8] = { 0xa8, 0x19, 0x01, 0x73,
						  0x61, 0x8f, 0x23, 0xed };

	if (!memcmp(magic, ELFMAG, SELFMAG))
		return CLI_DUMP_ELF;
	if (!memcmp(magic, "KDUMP   ", 8))
		return CLI_DUMP_KDUMP;
	if (!memcmp(magic, "DISKDUMP", 8))
		return CLI_DUMP_DISKDUMP;
	if (!memcmp(magic, lkcd_le, 8) || !memcmp(magic, lkcd_be, 8))
		return CLI_DUMP_LKCD;
	if (!memcmp(magic, "\xfd" "7zXZ", 6))
		return CLI_DUMP_XZ;
	if (!memcmp(magic, "\x1f\x8b", 2))
		return CLI_DUMP_GZIP;
	if (!memcmp(magic, "\x28\xb5\x2f\xfd", 4))
		return CLI_DUMP_ZSTD;
	return CLI_DUMP_UNKNOWN;
}

struct mml_error *cli_dump_header_check(int fd, uint64_t size,
					struct cli_dump_header *ret)
{
	unsigned char magic[8];
	struct mml_error *err;

	memset(ret, 0, sizeof(*ret));
	ret->dump_level = -1;
	ret->arch = "";
	if (size < sizeof(magic) || !cli_read_all(fd, magic, sizeof(magic), 0))
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: only %llu bytes",
					(unsigned long long)size);
	switch (cli_dump_kind_detect(magic)) {
	case CLI_DUMP_ELF:
		return elf_check(fd, size, ret);
	case CLI_DUMP_KDUMP:
		return kdump_check(fd, size, ret);
	case CLI_DUMP_DISKDUMP:
		/* The same disk_dump_header: the same checks (libkdumpfile
		 * spends seconds on a 3 KiB one claiming 1M sub-header
		 * blocks; found by tests/fuzz/fuzz_dumpfile). */
		err = kdump_check(fd, size, ret);
		snprintf(ret->format, sizeof(ret->format), "diskdump");
		return err;
	case CLI_DUMP_XZ:
		return mml_error_create(MML_ERROR_INPUT,
					"dump is xz-compressed as a whole; "
					"decompress it first (xz -dk)");
	case CLI_DUMP_GZIP:
		return mml_error_create(MML_ERROR_INPUT,
					"dump is gzip-compressed as a whole; "
					"decompress it first (gzip -dk)");
	case CLI_DUMP_ZSTD:
		return mml_error_create(MML_ERROR_INPUT,
					"dump is zstd-compressed as a whole; "
					"decompress it first (zstd -d)");
	case CLI_DUMP_LKCD:
		return lkcd_check(fd, size, magic, ret);
	case CLI_DUMP_UNKNOWN:
		break;
	}
	/* Other formats (sadump, s390, ...): let libkdumpfile decide. */
	snprintf(ret->format, sizeof(ret->format), "unknown");
	return NULL;
}
