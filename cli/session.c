// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session: the dump opened, its debug info chosen, symbols loaded and
 * the layout resolved (or taken from the cache), wrapped as the
 * struct mml_target the core reads through. The default command and the
 * later batch "scan" command both start here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mmlife/btf.h"
#include "mmlife/cleanup.h"
#include "cli.h"

static double session_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((format(printf, 2, 3)))
static void session_log(const struct cli_session_options *opts,
			const char *fmt, ...)
{
	va_list ap;
	if (!opts->verbose)
		return;
	fprintf(stderr, "%s: ", opts->prog ? opts->prog : "mmlife");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static enum mml_read_status session_read(void *arg, uint64_t addr, void *buf,
					 size_t len)
{
	struct cli_session *s = arg;
	return cli_dump_read(s->dump, addr, buf, len);
}

static bool session_symbol_op(void *arg, const char *name, uint64_t *ret)
{
	return cli_session_symbol(arg, name, ret);
}

static bool session_vmcoreinfo_op(void *arg, const char *key, uint64_t *ret)
{
	struct cli_session *s = arg;
	return cli_vmcoreinfo_number(cli_dump_vmcoreinfo(s->dump), key, ret);
}

static const struct mml_target_ops session_target_ops = {
	.read = session_read,
	.symbol = session_symbol_op,
	.vmcoreinfo = session_vmcoreinfo_op,
};

static const char *session_memo_suffix(const struct cli_session *s)
{
	return s->vmlinux ? "elfsyms" : "kallsyms";
}

static struct mml_error *session_load_symtab(struct cli_session *s)
{
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(s->dump);
	double t0 = session_now();
	struct mml_error *err;

	if (s->vmlinux)
		err = cli_symtab_from_elf(s->vmlinux, cli_dump_archops(s->dump),
					  vi->kernel_offset,
					  &s->syms);
	else
		err = cli_kallsyms_load(s->dump, &s->syms);
	if (err)
		return err;
	if (s->verbose)
		fprintf(stderr, "mmlife: %zu symbols from %s in %.0f ms\n",
			cli_symtab_count(s->syms),
			s->vmlinux ? "the vmlinux" : "kallsyms",
			(session_now() - t0) * 1e3);
	return NULL;
}

bool cli_session_symbol(struct cli_session *s, const char *name,
			uint64_t *ret)
{
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(s->dump);
	const struct cli_arch *arch = cli_dump_archops(s->dump);
	switch (cli_symmemo_get(s->memo, name, arch, vi->kernel_offset, ret)) {
	case CLI_MEMO_FOUND:
		return true;
	case CLI_MEMO_ABSENT:
		return cli_vmcoreinfo_symbol(vi, name, ret);
	case CLI_MEMO_UNKNOWN:
		break;
	}
	if (!s->syms && !s->syms_failed) {
		struct mml_error *err = session_load_symtab(s);
		if (err) {
			/* The lookup fails; the run says why once. */
			fprintf(stderr, "mmlife: %s: symbols: %s\n", s->path,
				err->message);
			mml_error_destroy(err);
			s->syms_failed = true;
		}
	}
	if (!s->syms)
		return cli_vmcoreinfo_symbol(vi, name, ret);
	bool found = cli_symtab_lookup(s->syms, name, ret);
	if (s->memo)
		cli_symmemo_put(s->memo, name, found, found ? *ret : 0, arch,
				vi->kernel_offset);
	return found || cli_vmcoreinfo_symbol(vi, name, ret);
}

/* The whole symbol table, for the --layout probe and BTF resolution. */
struct mml_error *cli_session_symtab(struct cli_session *s,
				     const struct cli_symtab **ret)
{
	if (!s->syms) {
		struct mml_error *err = session_load_symtab(s);
		if (err)
			return err;
	}
	*ret = s->syms;
	return NULL;
}

/* Pick the type source and the vmlinux (if any). */
static struct mml_error *session_debuginfo(struct cli_session *s,
					   const struct cli_session_options *o)
{
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(s->dump);
	_cleanup_free_ char *rejected = NULL;
	struct mml_error *err;

	if (!vi->build_id && o->types != CLI_TYPES_BTF)
		session_log(o, "the dump has no BUILD-ID in VMCOREINFO "
			       "(kernel before 5.9?): vmlinux matched by "
			       "release only");
	err = cli_debuginfo_find(&o->debuginfo, vi->osrelease, vi->build_id,
				 &s->vmlinux, &rejected);
	if (err)
		return err;
	if (rejected)
		session_log(o, "skipped vmlinux candidates: %s",
			    rejected);
	if (o->types == CLI_TYPES_BTF) {
		free(s->vmlinux);  /* checked, but BTF was asked for */
		s->vmlinux = NULL;
		s->type_source = "btf";
		return NULL;
	}
	if (!s->vmlinux && o->types == CLI_TYPES_DWARF)
		return mml_error_create(
			MML_ERROR_INPUT,
			"no vmlinux with build-id %s (release %s) found%s%s; "
			"give --vmlinux or --debug-dir, or use --types=btf",
			vi->build_id ? vi->build_id : "unknown",
			vi->osrelease, rejected ? "; skipped: " : "",
			rejected ? rejected : "");
	s->type_source = s->vmlinux ? "dwarf" : "btf";
	if (s->vmlinux)
		session_log(o, "vmlinux: %s", s->vmlinux);
	else
		session_log(o, "no matching vmlinux found: using the dump's "
			       "BTF and kallsyms");
	return NULL;
}

static struct mml_error *session_resolve(struct cli_session *s)
{
	struct mml_types types;
	struct mml_error *err;

	if (s->vmlinux) {
		struct cli_dwarf *dw;
		err = cli_dwarf_open(s->vmlinux, &dw);
		if (err)
			return err;
		cli_dwarf_types(dw, &types);
		err = mml_layout_resolve(&types, &s->layout);
		cli_dwarf_destroy(dw);
		return err;
	}
	struct mml_btf *btf;
	const struct cli_symtab *syms;
	err = cli_session_symtab(s, &syms);
	if (err)
		return err;
	err = cli_btf_from_dump(s->dump, syms, &btf);
	if (err)
		return err;
	mml_btf_types(btf, &types);
	err = mml_layout_resolve(&types, &s->layout);
	mml_btf_destroy(btf);
	return err;
}

static struct mml_error *session_layout(struct cli_session *s,
					const struct cli_session_options *o)
{
	const char *build_id = cli_dump_vmcoreinfo(s->dump)->build_id;
	const char *dir = s->cache_dir;  /* NULL with --no-cache */
	struct mml_error *err;

	if (dir && build_id) {
		bool hit;
		err = mml_layout_cache_load(dir, build_id, s->type_source,
					    &s->layout, &hit);
		if (err)
			return err;
		if (hit) {
			s->layout_from_cache = true;
			session_log(o, "layout from the cache in %s", dir);
			return NULL;
		}
	}
	double t0 = session_now();
	err = session_resolve(s);
	if (err)
		return mml_error_wrap(err, "resolving types from %s",
				      s->vmlinux ? s->vmlinux : "BTF");
	session_log(o, "layout resolved from %s in %.0f ms", s->type_source,
		    (session_now() - t0) * 1e3);
	if (dir && build_id) {
		err = mml_layout_cache_store(dir, build_id, s->type_source,
					     &s->layout);
		if (err) {
			session_log(o, "layout not cached: %s", err->message);
			mml_error_destroy(err);
		}
	}
	return NULL;
}

struct mml_error *cli_session_open(const char *path,
				   const struct cli_session_options *opts,
				   struct cli_session **ret)
{
	struct cli_session *s = calloc(1, sizeof(*s));
	if (!s)
		return &mml_enomem;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return &mml_enomem;
	}
	double t0 = session_now();
	struct mml_error *err = cli_dump_open(path, &s->dump);
	if (!err) {
		session_log(opts, "opened %s (%s) in %.0f ms", path,
			    cli_dump_format(s->dump),
			    (session_now() - t0) * 1e3);
		err = session_debuginfo(s, opts);
	}
	s->verbose = opts->verbose;
	const char *build_id = err ? NULL
				   : cli_dump_vmcoreinfo(s->dump)->build_id;
	if (!err && !opts->no_cache && build_id) {
		s->cache_dir = mml_cache_dir();
		if (s->cache_dir) {
			err = cli_symmemo_load(s->cache_dir, build_id,
					       session_memo_suffix(s), &s->memo);
			s->memo_hit = s->memo != NULL;
			if (!err && !s->memo)
				s->memo = cli_symmemo_new();
		}
	}
	if (!err)
		err = session_layout(s, opts);
	/* Without a memo, the symbols now (as before it existed). */
	if (!err && !s->memo_hit && !s->syms)
		err = session_load_symtab(s);
	if (!err)
		session_log(opts, "symbol memo: %s (%zu names)",
			    s->memo_hit ? "hit" : s->memo ? "miss" : "off",
			    cli_symmemo_count(s->memo));
	if (err) {
		cli_session_destroy(s);
		return err;
	}
	s->target = (struct mml_target){
		.ops = &session_target_ops,
		.arg = s,
		.page_size = cli_dump_page_size(s->dump),
		.pointer_size = 8,
		.big_endian = false,
		.arch = cli_dump_arch_kind(s->dump),
	};
	*ret = s;
	return NULL;
}

/* -v: which page path served the reads (tests/dumps/kpages.sh). */
static void session_log_pages(struct cli_session *s)
{
	uint64_t fast, slow;
	if (!s->verbose || !s->dump)
		return;
	bool on = cli_dump_page_stats(s->dump, &fast, &slow);
	fprintf(stderr, "mmlife: page path: %s; %llu pages read by it, "
		"%llu reads by libkdumpfile\n",
		on ? "own (kpages)" : "libkdumpfile only",
		(unsigned long long)fast, (unsigned long long)slow);
	cli_session_readahead_log(s);
}

void cli_session_destroy(struct cli_session *s)
{
	if (!s)
		return;
	session_log_pages(s);
	if (cli_symmemo_dirty(s->memo) && s->cache_dir && s->dump) {
		struct mml_error *err = cli_symmemo_store(
			s->memo, s->cache_dir,
			cli_dump_vmcoreinfo(s->dump)->build_id,
			session_memo_suffix(s));
		if (err && s->verbose)
			fprintf(stderr, "mmlife: symbol memo not kept: %s\n",
				err->message);
		mml_error_destroy(err);
	}
	cli_symmemo_destroy(s->memo);
	free(s->cache_dir);
	cli_symtab_destroy(s->syms);
	cli_dump_destroy(s->dump);
	free(s->vmlinux);
	free(s->path);
	free(s);
}

static struct mml_error *dup_into(char **dst, const char *src)
{
	*dst = strdup(src ? src : "");
	return *dst ? NULL : &mml_enomem;
}

struct mml_error *cli_session_dump_info(const struct cli_session *s,
					struct mml_dump_info *ret)
{
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(s->dump);
	struct mml_error *err;

	memset(ret, 0, sizeof(*ret));
	ret->kaslr_offset = vi->kernel_offset;
	if ((err = dup_into(&ret->path, s->path)) ||
	    (err = dup_into(&ret->format, cli_dump_format(s->dump))) ||
	    (err = dup_into(&ret->release, vi->osrelease)) ||
	    (err = dup_into(&ret->build_id, vi->build_id)) ||
	    (err = dup_into(&ret->arch, cli_dump_arch(s->dump))) ||
	    (err = dup_into(&ret->type_source, s->type_source)) ||
	    (err = dup_into(&ret->front_end, "cli")))
		return err;
	return NULL;
}
