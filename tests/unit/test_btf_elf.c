// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mml_btf_from_elf(): the .BTF section of an ELF file that libelf writes
 * here (a struct of libbpf's making), resolved as the layout resolves a
 * member; a file without the section, a file that is no ELF and a path
 * that does not exist, each with its own error code.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "util.h"
#include "mmlife/btf.h"

/* An ELF relocatable with the sections ".BTF" (@btf, @size; none when
 * NULL) and ".shstrtab", written to a new file in /tmp; its path. */
static char *elf_write(const void *btf, size_t size)
{
	char *path = strdup("/tmp/mmlife-btf-elf-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_not_equal(elf_version(EV_CURRENT), EV_NONE);
	Elf *elf = elf_begin(fd, ELF_C_WRITE, NULL);
	assert_non_null(elf);
	assert_non_null(gelf_newehdr(elf, ELFCLASS64));
	GElf_Ehdr eh;
	gelf_getehdr(elf, &eh);
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_REL;
	eh.e_machine = EM_X86_64;
	static char names[] = "\0.shstrtab\0.BTF";
	Elf_Scn *strs = elf_newscn(elf);
	Elf_Data *d = elf_newdata(strs);
	d->d_buf = names;
	d->d_size = sizeof(names);
	GElf_Shdr sh;
	gelf_getshdr(strs, &sh);
	sh.sh_name = 1;
	sh.sh_type = SHT_STRTAB;
	gelf_update_shdr(strs, &sh);
	if (btf) {
		Elf_Scn *scn = elf_newscn(elf);
		d = elf_newdata(scn);
		d->d_buf = (void *)btf;
		d->d_size = size;
		gelf_getshdr(scn, &sh);
		sh.sh_name = 11;
		sh.sh_type = SHT_PROGBITS;
		gelf_update_shdr(scn, &sh);
	}
	eh.e_shstrndx = elf_ndxscn(strs);
	gelf_update_ehdr(elf, &eh);
	assert_true(elf_update(elf, ELF_C_WRITE) > 0);
	elf_end(elf);
	close(fd);
	return path;
}

static void test_section(void **state)
{
	(void)state;
	struct btf *b = btf__new_empty();
	int u64 = btf__add_int(b, "unsigned long", 8, 0);
	int s = btf__add_struct(b, "mm_struct", 24);
	assert_true(u64 > 0 && s > 0);
	assert_int_equal(btf__add_field(b, "map_count", u64, 128, 0), 0);
	__u32 size;
	const void *raw = btf__raw_data(b, &size);
	char *path = elf_write(raw, size);
	btf__free(b);

	struct mml_btf *btf = NULL;
	assert_null(mml_btf_from_elf(path, &btf));
	struct mml_types types;
	mml_btf_types(btf, &types);
	struct mml_member_info m;
	assert_null(types.ops->member(types.arg, "mm_struct", "map_count",
				      &m));
	assert_int_equal(m.offset, 16);
	uint64_t sz;
	assert_null(types.ops->type_size(types.arg, "mm_struct", &sz));
	assert_int_equal(sz, 24);
	mml_btf_destroy(btf);
	unlink(path);
	free(path);
}

static void expect_error(const char *path, enum mml_error_code code)
{
	struct mml_btf *btf = NULL;
	struct mml_error *err = mml_btf_from_elf(path, &btf);
	assert_non_null(err);
	assert_int_equal(err->code, code);
	assert_non_null(strstr(err->message, path));
	mml_error_destroy(err);
}

static void test_errors(void **state)
{
	(void)state;
	char *path = elf_write(NULL, 0);
	expect_error(path, MML_ERROR_NOT_FOUND);    /* no .BTF */
	int fd = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(fd, "not an ELF file", 15), 15);
	close(fd);
	expect_error(path, MML_ERROR_CORRUPT);
	unlink(path);
	expect_error(path, MML_ERROR_NOT_FOUND);    /* gone */
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_section),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
