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
#include "debuginfo.h"

/*
 * Names live in one growing arena, next to an array of addresses. A kernel
 * has about 200,000 symbols and the core looks up three or four (init_task,
 * init_mm, ...), so building must be cheap and lookups may be linear: no
 * allocation per symbol, no sorting, no hashing.
 */
struct cli_symbol {
	size_t name;      /* offset into the arena */
	uint64_t addr;
};

struct cli_symtab {
	char *arena;
	size_t arena_len, arena_cap;
	struct cli_symbol *syms;
	size_t n, cap;
};

struct cli_symtab *cli_symtab_create(void)
{
	return calloc(1, sizeof(struct cli_symtab));
}

void cli_symtab_destroy(struct cli_symtab *tab)
{
	if (!tab)
		return;
	free(tab->arena);
	free(tab->syms);
	free(tab);
}

struct mml_error *cli_symtab_add(struct cli_symtab *tab, const char *name,
				 uint64_t addr)
{
	size_t len = strlen(name);

	if (tab->n == tab->cap) {
		size_t cap = tab->cap ? tab->cap * 2 : 1 << 16;
		struct cli_symbol *p = realloc(tab->syms, cap * sizeof(*p));
		if (!p)
			return &mml_enomem;
		tab->syms = p;
		tab->cap = cap;
	}
	if (tab->arena_len + len + 1 > tab->arena_cap) {
		size_t cap = tab->arena_cap ? tab->arena_cap * 2 : 1 << 22;
		while (cap < tab->arena_len + len + 1)
			cap *= 2;
		char *a = realloc(tab->arena, cap);
		if (!a)
			return &mml_enomem;
		tab->arena = a;
		tab->arena_cap = cap;
	}
	memcpy(tab->arena + tab->arena_len, name, len + 1);
	tab->syms[tab->n++] = (struct cli_symbol){ tab->arena_len, addr };
	tab->arena_len += len + 1;
	return NULL;
}

void cli_symtab_finish(struct cli_symtab *tab)
{
	(void)tab;  /* nothing to index */
}

bool cli_symtab_lookup(const struct cli_symtab *tab, const char *name,
		       uint64_t *addr_ret)
{
	/* The first symbol added with this name wins. */
	for (size_t i = 0; i < tab->n; i++) {
		const char *s = tab->arena + tab->syms[i].name;
		if (s[0] == name[0] && !strcmp(s, name)) {
			*addr_ret = tab->syms[i].addr;
			return true;
		}
	}
	return false;
}

size_t cli_symtab_count(const struct cli_symtab *tab)
{
	return tab->n;
}

static struct mml_error *symtab_read_elf(Elf *elf, const struct cli_arch *arch,
					 uint64_t kaslr_offset,
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
			if (cli_symbol_relocates(arch, addr))
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

struct mml_error *cli_symtab_from_elf(const char *path,
				      const struct cli_arch *arch,
				      uint64_t kaslr_offset,
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
	struct mml_error *err =
		tab ? symtab_read_elf(elf, arch, kaslr_offset, tab)
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
