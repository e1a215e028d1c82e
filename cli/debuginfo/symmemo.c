// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The symbol memo: the kernel symbols a run looked up, found or not, kept
 * per build-id and symbol source in the layout cache (BUILDID.kallsyms for
 * the dump's kallsyms, BUILDID.elfsyms for a vmlinux's symbol table). A second run on a dump
 * of the same build answers them from here and never expands kallsyms
 * (158,000 names, a tenth of a 1M-VMA scan's instructions). A name the memo
 * lacks loads the full table after all, and the memo grows.
 *
 * Addresses in the kernel image (x86_64: the top 2 GiB; cli/dump/arch.h)
 * are stored without the KASLR offset and shifted by the dump's on the
 * way out; the rest (x86_64's per-cpu symbols up to 6.14) are stored as
 * they are. Format:
 *   mmlife-symbols 1
 *   NAME 1 HEXADDR      found
 *   NAME 0              not a symbol of this build
 * A file that does not parse is a miss, rewritten at the end of the run.
 */
#include <stdlib.h>
#include <string.h>

#include "mmlife/cleanup.h"
#include "debuginfo.h"

#define SYMMEMO_MAGIC "mmlife-symbols 1"
#define SYMMEMO_NAME_MAX 128
#define SYMMEMO_MAX 4096

struct symmemo_entry {
	char name[SYMMEMO_NAME_MAX];
	bool present;
	uint64_t addr;  /* unshifted */
};

struct cli_symmemo {
	struct symmemo_entry *v;
	size_t n, cap;
	bool dirty;
};

struct cli_symmemo *cli_symmemo_new(void)
{
	return calloc(1, sizeof(struct cli_symmemo));
}

void cli_symmemo_destroy(struct cli_symmemo *m)
{
	if (!m)
		return;
	free(m->v);
	free(m);
}

static uint64_t shift(const struct cli_arch *arch, uint64_t a, uint64_t kaslr,
		      bool out)
{
	if (!kaslr || !cli_symbol_relocates(arch, a))
		return a;
	return out ? a + kaslr : a - kaslr;
}

static struct symmemo_entry *symmemo_find(const struct cli_symmemo *m,
					  const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->v[i].name, name))
			return &m->v[i];
	return NULL;
}

enum cli_memo_answer cli_symmemo_get(const struct cli_symmemo *m,
				     const char *name,
				     const struct cli_arch *arch,
				     uint64_t kaslr, uint64_t *ret)
{
	const struct symmemo_entry *e = m ? symmemo_find(m, name) : NULL;
	if (!e)
		return CLI_MEMO_UNKNOWN;
	if (!e->present)
		return CLI_MEMO_ABSENT;
	*ret = shift(arch, e->addr, kaslr, true);
	return CLI_MEMO_FOUND;
}

bool cli_symmemo_put(struct cli_symmemo *m, const char *name, bool present,
		     uint64_t addr, const struct cli_arch *arch,
		     uint64_t kaslr)
{
	if (strlen(name) >= SYMMEMO_NAME_MAX || strpbrk(name, " \n") ||
	    symmemo_find(m, name) || m->n >= SYMMEMO_MAX)
		return false;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct symmemo_entry *v = realloc(m->v, cap * sizeof(*v));
		if (!v)
			return false;
		m->v = v;
		m->cap = cap;
	}
	struct symmemo_entry *e = &m->v[m->n++];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->present = present;
	e->addr = present ? shift(arch, addr, kaslr, false) : 0;
	m->dirty = true;
	return true;
}

bool cli_symmemo_dirty(const struct cli_symmemo *m)
{
	return m && m->dirty;
}

size_t cli_symmemo_count(const struct cli_symmemo *m)
{
	return m ? m->n : 0;
}

struct mml_error *cli_symmemo_load(const char *dir, const char *build_id,
				   const char *suffix,
				   struct cli_symmemo **ret)
{
	_cleanup_fclose_ FILE *f = cli_cache_open(dir, build_id, suffix);
	char line[SYMMEMO_NAME_MAX + 64];

	*ret = NULL;
	if (!f || !fgets(line, sizeof(line), f) ||
	    strcmp(line, SYMMEMO_MAGIC "\n"))
		return NULL;
	struct cli_symmemo *m = cli_symmemo_new();
	if (!m)
		return &mml_enomem;
	while (fgets(line, sizeof(line), f)) {
		char name[SYMMEMO_NAME_MAX];
		int present;
		unsigned long long addr = 0;
		int n = sscanf(line, "%127s %d %llx", name, &present, &addr);
		if (n < 2 || (present != 0 && present != 1) ||
		    (present == 1 && n != 3) ||
		    /* stored unshifted: no offset, no @arch needed */
		    !cli_symmemo_put(m, name, present, addr, NULL, 0)) {
			cli_symmemo_destroy(m);  /* damaged: a miss */
			return NULL;
		}
	}
	m->dirty = false;
	*ret = m;
	return NULL;
}

static struct mml_error *symmemo_write(FILE *f, const void *arg)
{
	const struct cli_symmemo *m = arg;
	fprintf(f, "%s\n", SYMMEMO_MAGIC);
	for (size_t i = 0; i < m->n; i++) {
		if (m->v[i].present)
			fprintf(f, "%s 1 %llx\n", m->v[i].name,
				(unsigned long long)m->v[i].addr);
		else
			fprintf(f, "%s 0\n", m->v[i].name);
	}
	return NULL;
}

struct mml_error *cli_symmemo_store(const struct cli_symmemo *m,
				    const char *dir, const char *build_id,
				    const char *suffix)
{
	return cli_cache_write(dir, build_id, suffix, symmemo_write, m);
}
