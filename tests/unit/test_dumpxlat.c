// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel addresses of arm64 dumps through cli/dump/ (libkdumpfile's
 * addrxlat, cli/dump/arch_aarch64.c), on small ELF dumps built here the way
 * QEMU writes them: EM_AARCH64, one PT_LOAD with vaddr = paddr (RAM at
 * 0x40000000), a VMCOREINFO note with arm64's numbers, and page tables of
 * 4 KiB granules (ARM ARM D8, "VMSAv8-64 translation table format"):
 *   48-bit VAs (TCR_EL1_T1SZ 16): 4 levels, L0 indexed by VA[47:39];
 *   52-bit VAs (T1SZ 12) with LPA2: 5 levels, L-1 indexed by VA[51:48]
 *   (16 entries), output address bits [51:50] in descriptor bits [9:8];
 * table descriptors 0b11, level-3 pages 0b11, level-2 blocks (2 MiB) 0b01,
 * AF (bit 10) set. Both with Debian's VA_BITS=52 configuration. The real
 * dumps are checked against gdb's manifests in tests/dumps/manifest.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../cli/dump/dump.h"

enum {
	PAGE = 4096,
	NPAGES = 64,               /* RAM: 256 KiB */
	DATA_FIRST = 16,           /* pages 0..15 hold the tables */
};

#define RAM_BASE 0x40000000ULL
#define KIMAGE 0xffff800080000000ULL   /* KIMAGE_VADDR, no KASLR */
#define MAGIC 0x5a5aa5a5c3c33c3cULL
#define DESC_TABLE 0x3ULL
#define DESC_PAGE (0x3ULL | 1ULL << 10)
#define DESC_BLOCK (0x1ULL | 1ULL << 10)

/* libkdumpfile 0.5.1 leaks a translation map it copies for aarch64
 * (104 bytes per opened dump, seen under LSan on the real arm64 dumps):
 * not this test's to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libkdumpfile.so\n";
}

struct image {
	unsigned char ram[NPAGES * PAGE];
	unsigned next_table;       /* the next free table page */
	unsigned levels;           /* 4 or 5 */
	unsigned va_bits;          /* 48 or 52: the VA size in use */
};

static uint64_t *table(struct image *im, uint64_t phys)
{
	return (uint64_t *)(im->ram + (phys - RAM_BASE));
}

/* The index of @va in a table of @level (3: the last; -1: LPA2's first). */
static unsigned va_index(const struct image *im, uint64_t va, int level)
{
	unsigned shift = 12 + 9 * (unsigned)(3 - level);
	unsigned bits = level == 3 - (int)im->levels + 1 ?
		im->va_bits - shift : 9;
	return (unsigned)(va >> shift) & ((1U << bits) - 1);
}

/* Map @va to @phys: a page, or a 2 MiB block at level 2 (@block). */
static void map(struct image *im, uint64_t va, uint64_t phys, bool block)
{
	uint64_t t = RAM_BASE;     /* the root: swapper_pg_dir */
	int last = block ? 2 : 3;
	for (int level = 4 - (int)im->levels; level < last; level++) {
		uint64_t *e = &table(im, t)[va_index(im, va, level)];
		if (!*e) {
			assert_true(im->next_table < DATA_FIRST);
			*e = (RAM_BASE + im->next_table++ * PAGE) | DESC_TABLE;
		}
		t = *e & ~0xfffULL;
	}
	table(im, t)[va_index(im, va, last)] =
		phys | (block ? DESC_BLOCK : DESC_PAGE);
}

static size_t note_append(unsigned char *p, const char *desc)
{
	static const char name[] = "VMCOREINFO";
	uint32_t hdr[3] = { sizeof(name), (uint32_t)strlen(desc), 0 };
	size_t n = 0;
	memcpy(p, hdr, sizeof(hdr));
	n += sizeof(hdr);
	memcpy(p + n, name, sizeof(name));
	n += (sizeof(name) + 3) & ~3UL;
	memcpy(p + n, desc, strlen(desc));
	n += (strlen(desc) + 3) & ~3UL;
	return n;
}

/* Write the ELF dump of @im with @vmcoreinfo to a temp file. */
static char *write_dump(const struct image *im, const char *vmcoreinfo)
{
	unsigned char head[PAGE];
	memset(head, 0, sizeof(head));
	size_t phoff = 64, off_note = phoff + 2 * 56;
	size_t nlen = note_append(head + off_note, vmcoreinfo);
	assert_true(off_note + nlen <= sizeof(head));
	unsigned char *e = head;
	memcpy(e, "\177ELF\2\1\1", 7);
	uint16_t h16[] = { 4 /* ET_CORE */, 183 /* EM_AARCH64 */ };
	memcpy(e + 16, h16, sizeof(h16));
	uint32_t version = 1;
	memcpy(e + 20, &version, 4);
	uint64_t ph = phoff;
	memcpy(e + 32, &ph, 8);
	uint16_t sizes[] = { 64, 56, 2, 0, 0, 0 };
	memcpy(e + 52, sizes, sizeof(sizes));
	uint32_t pt_note[2] = { 4, 0 }, pt_load[2] = { 1, 7 };
	uint64_t note[6] = { off_note, 0, 0, nlen, nlen, 0 };
	uint64_t load[6] = { PAGE, RAM_BASE, RAM_BASE, sizeof(im->ram),
			     sizeof(im->ram), PAGE };
	memcpy(head + phoff, pt_note, 8);
	memcpy(head + phoff + 8, note, sizeof(note));
	memcpy(head + phoff + 56, pt_load, 8);
	memcpy(head + phoff + 64, load, sizeof(load));

	char *path = strdup("/tmp/mmlife-test-dumpxlat.XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, head, sizeof(head)), sizeof(head));
	assert_int_equal(write(fd, im->ram, sizeof(im->ram)),
			 sizeof(im->ram));
	close(fd);
	return path;
}

/*
 * RAM and its mappings: the linear map (@lm, PAGE_OFFSET as the CPU uses
 * it) of every page, the kernel image at KIMAGE of every page (the root
 * table is swapper_pg_dir, page 0), and a 2 MiB block 2 MiB above @lm
 * onto the start of RAM. Data pages hold phys ^ MAGIC in every word.
 */
static void image_build(struct image *im, unsigned va_bits, uint64_t lm)
{
	memset(im, 0, sizeof(*im));
	im->va_bits = va_bits;
	im->levels = va_bits > 48 ? 5 : 4;
	im->next_table = 1;
	for (unsigned p = DATA_FIRST; p < NPAGES; p++)
		for (unsigned w = 0; w < PAGE / 8; w++) {
			uint64_t v = (RAM_BASE + p * PAGE + w * 8) ^ MAGIC;
			memcpy(im->ram + p * PAGE + w * 8, &v, 8);
		}
	for (unsigned p = 0; p < NPAGES; p++) {
		map(im, lm + (uint64_t)p * PAGE, RAM_BASE + p * PAGE, false);
		map(im, KIMAGE + (uint64_t)p * PAGE, RAM_BASE + p * PAGE,
		    false);
	}
	map(im, lm + (2ULL << 20), RAM_BASE, true);
}

static void expect_word(struct cli_dump *d, uint64_t va, uint64_t phys)
{
	uint64_t v = 0;
	enum mml_read_status st = cli_dump_read(d, va, &v, 8);
	if (st != MML_READ_OK)
		fail_msg("read at 0x%llx: %s", (unsigned long long)va,
			 cli_dump_last_error(d));
	assert_int_equal(v, phys ^ MAGIC);
}

static void check_layout(unsigned va_bits, uint64_t lm, uint64_t t1sz,
			 uint64_t phys_offset)
{
	struct image *im = calloc(1, sizeof(*im));
	assert_non_null(im);
	image_build(im, va_bits, lm);
	char vi[1024];
	snprintf(vi, sizeof(vi),
		 "OSRELEASE=6.12.0\nPAGESIZE=4096\n"
		 "SYMBOL(swapper_pg_dir)=%llx\nSYMBOL(_stext)=%llx\n"
		 "NUMBER(VA_BITS)=52\nNUMBER(kimage_voffset)=0x%llx\n"
		 "NUMBER(PHYS_OFFSET)=0x%llx\nNUMBER(TCR_EL1_T1SZ)=0x%llx\n"
		 "KERNELOFFSET=0\n",
		 (unsigned long long)KIMAGE,
		 (unsigned long long)(KIMAGE + 0x10000),
		 (unsigned long long)(KIMAGE - RAM_BASE),
		 (unsigned long long)phys_offset, (unsigned long long)t1sz);
	char *path = write_dump(im, vi);
	struct cli_dump *d = NULL;
	struct mml_error *err = cli_dump_open(path, &d);
	if (err)
		fail_msg("open: %s", err->message);
	assert_string_equal(cli_dump_arch(d), "aarch64");
	for (unsigned p = DATA_FIRST; p < NPAGES; p += 7) {
		uint64_t phys = RAM_BASE + p * PAGE + 0x128;
		expect_word(d, lm + p * PAGE + 0x128, phys);
		expect_word(d, KIMAGE + p * PAGE + 0x128, phys);
		/* The 2 MiB block maps the same RAM. */
		expect_word(d, lm + (2ULL << 20) + p * PAGE + 0x128, phys);
	}
	/* A read across two pages of the linear map. */
	uint64_t two[2];
	uint64_t at = lm + (DATA_FIRST + 1) * PAGE - 8;
	assert_int_equal(cli_dump_read(d, at, two, 16), MML_READ_OK);
	assert_int_equal(two[0], (RAM_BASE + (DATA_FIRST + 1) * PAGE - 8) ^
					 MAGIC);
	assert_int_equal(two[1], (RAM_BASE + (DATA_FIRST + 1) * PAGE) ^
					 MAGIC);
	/* Beyond what the tables map: no translation. */
	uint64_t v;
	assert_int_equal(cli_dump_read(d, lm + (4ULL << 20), &v, 8),
			 MML_READ_INVALID);
	assert_int_equal(cli_dump_read(d, lm + NPAGES * PAGE, &v, 8),
			 MML_READ_INVALID);
	cli_dump_destroy(d);
	unlink(path);
	free(path);
	free(im);
}

/* Debian's VA_BITS=52 kernel on a CPU without LPA2: 48-bit VAs, the
 * linear map at the 48-bit PAGE_OFFSET, PHYS_OFFSET lowered by
 * _PAGE_OFFSET(48) - _PAGE_OFFSET(52) (arm64_memblock_init()). */
static void test_arm64_48bit(void **state)
{
	(void)state;
	check_layout(48, 0xffff000000000000ULL, 16,
		     RAM_BASE - 0x000f000000000000ULL);
}

/* The same kernel with LPA2: 52-bit VAs, 5 levels. */
static void test_arm64_52bit_lpa2(void **state)
{
	(void)state;
	check_layout(52, 0xfff0000000000000ULL, 12, RAM_BASE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm64_48bit),
		cmocka_unit_test(test_arm64_52bit_lpa2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
