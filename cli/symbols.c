// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A name -> address table, filled either from the vmlinux ELF symbol table
 * (plus the KASLR offset from VMCOREINFO) or from the dump's own kallsyms
 * (kallsyms.c).
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "cli.h"

/* x86_64 kernel image symbols live in the top 2 GiB ("-mcmodel=kernel");
 * anything lower (zero-based per-cpu symbols up to 6.14) is not shifted. */
#define X86_64_KERNEL_IMAGE_START 0xffffffff80000000ULL

struct cli_symbol {
	char *name;
	uint64_t addr;
	size_t seq;
};

struct cli_symtab {
	struct cli_symbol *syms;
	size_t n, cap;
	bool sorted;
};

struct cli_symtab *cli_symtab_create(void)
{
	return calloc(1, sizeof(struct cli_symtab));
}

void cli_symtab_destroy(struct cli_symtab *tab)
{
	if (!tab)
		return;
	for (size_t i = 0; i < tab->n; i++)
		free(tab->syms[i].name);
	free(tab->syms);
	free(tab);
}

struct mml_error *cli_symtab_add(struct cli_symtab *tab, const char *name,
				 uint64_t addr)
{
	if (tab->n == tab->cap) {
		size_t cap = tab->cap ? tab->cap * 2 : 4096;
		struct cli_symbol *s = realloc(tab->syms, cap * sizeof(*s));
		if (!s)
			return &mml_enomem;
		tab->syms = s;
		tab->cap = cap;
	}
	char *copy = strdup(name);
	if (!copy)
		return &mml_enomem;
	tab->syms[tab->n] = (struct cli_symbol){ copy, addr, tab->n };
	tab->n++;
	tab->sorted = false;
	return NULL;
}

static int symbol_cmp(const void *a, const void *b)
{
	const struct cli_symbol *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void cli_symtab_finish(struct cli_symtab *tab)
{
	qsort(tab->syms, tab->n, sizeof(*tab->syms), symbol_cmp);
	tab->sorted = true;
}

bool cli_symtab_lookup(const struct cli_symtab *tab, const char *name,
		       uint64_t *addr_ret)
{
	size_t lo = 0, hi = tab->n;

	if (!tab->sorted)
		return false;
	/* The first entry with this name (lowest seq). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(tab->syms[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tab->n && !strcmp(tab->syms[lo].name, name)) {
		*addr_ret = tab->syms[lo].addr;
		return true;
	}
	return false;
}

size_t cli_symtab_count(const struct cli_symtab *tab)
{
	return tab->n;
}

static struct mml_error *symtab_read_elf(Elf *elf, uint64_t kaslr_offset,
					 struct cli_symtab *tab)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			continue;
		size_t n = sh.sh_size / sh.sh_entsize;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym))
				break;
			int type = GELF_ST_TYPE(sym.st_info);
			if (type == STT_SECTION || type == STT_FILE ||
			    sym.st_shndx == SHN_UNDEF)
				continue;
			const char *name = elf_strptr(elf, sh.sh_link,
						      sym.st_name);
			if (!name || !*name)
				continue;
			uint64_t addr = sym.st_value;
			if (addr >= X86_64_KERNEL_IMAGE_START)
				addr += kaslr_offset;
			struct mml_error *err = cli_symtab_add(tab, name, addr);
			if (err)
				return err;
		}
		return NULL;
	}
	return mml_error_create(MML_ERROR_NOT_FOUND,
				"no symbol table in the vmlinux");
}

struct mml_error *cli_symtab_from_elf(const char *path, uint64_t kaslr_offset,
				      struct cli_symtab **ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mml_error_create(MML_ERROR_INPUT, "%s: cannot open",
					path);
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return mml_error_create(MML_ERROR_INPUT, "%s: %s", path,
					elf_errmsg(-1));
	struct cli_symtab *tab = cli_symtab_create();
	struct mml_error *err = tab ? symtab_read_elf(elf, kaslr_offset, tab)
				    : &mml_enomem;
	elf_end(elf);
	if (err) {
		cli_symtab_destroy(tab);
		return mml_error_wrap(err, "%s", path);
	}
	cli_symtab_finish(tab);
	*ret = tab;
	return NULL;
}
