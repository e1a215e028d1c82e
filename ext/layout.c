// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session's type layout. Resolving it through crash's gdb costs most
 * of the first mmlife in a session (bench/EXT.md: one search of every
 * compile unit for each name the kernel lacks), and the layout cache
 * (lib/layout_cache.c) holds the same numbers for any kernel build mmlife
 * has met before: from the CLI (DWARF or BTF) or from an earlier crash
 * session. A cache file stands in for crash's types only when
 *   - the dump's VMCOREINFO BUILD-ID and the build-id of crash's vmlinux
 *     (whose DWARF crash's gdb reads) are the same, and
 *   - it loads: version, that build-id, the fingerprint of the core's
 *     member table and the checksum (lib/layout.c).
 * Otherwise the kernel's own BTF (lib/types_btf.c): the .BTF section of
 * crash's vmlinux when its build-id is the dump's (a file read), else read
 * from the dump as the CLI reads it without a vmlinux; else crash's gdb
 * (one search of every compile unit for each name the kernel lacks:
 * 0.3-0.4 s). The result is stored as BUILDID.btf or BUILDID.crash for
 * the next session. tests/dumps/crash_layout.sh shows on every fixture
 * that the layout crash's gdb gives equals the CLI's from DWARF and from
 * BTF, which is what lets BTF and the CLI's files stand in. crash
 * --minimal has no page tables to read the dump's BTF through: the
 * vmlinux's, else gdb.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"

#include "build_id.h"
#include "crash_backend.h"
#include "layout.h"
#include "mmlife/btf.h"
#include "mmlife/cleanup.h"

/* Crash's own first: it is what gdb resolved for this very build. */
static const char *const cache_sources[] = { "crash", "dwarf", "btf" };

/* The cache key: the dump's build-id when crash's vmlinux is that build;
 * else NULL, and @why says why there is no cache. */
static char *layout_cache_key(char *why, size_t whylen)
{
	_cleanup_free_ char *dump = ext_crash_vmcoreinfo("BUILD-ID");
	if (!dump || !*dump) {
		snprintf(why, whylen, "off: no BUILD-ID in VMCOREINFO");
		return NULL;
	}
	for (char *c = dump; *c; c++)
		*c = tolower((unsigned char)*c);
	_cleanup_free_ char *vml = ext_elf_build_id(pc->namelist);
	if (!vml) {
		snprintf(why, whylen, "off: no build-id note in %s",
			 pc->namelist ? pc->namelist : "(no vmlinux)");
		return NULL;
	}
	if (strcmp(dump, vml)) {
		snprintf(why, whylen, "off: vmlinux build-id %.64s is not "
			 "the dump's %.64s", vml, dump);
		return NULL;
	}
	return_ptr(dump);
}

static bool layout_from_cache(struct ext_layout *l, const char *dir,
			      const char *key)
{
	for (size_t i = 0; i < sizeof(cache_sources) / sizeof(*cache_sources);
	     i++) {
		bool hit = false;
		struct mml_layout layout;
		/* It fails only on no memory: a miss either way. */
		mml_error_destroy(mml_layout_cache_load(dir, key,
							cache_sources[i],
							&layout, &hit));
		if (hit) {
			l->layout = layout;
			l->source = cache_sources[i];
			snprintf(l->cache, sizeof(l->cache), "hit %s/%s.%s",
				 dir, key, cache_sources[i]);
			return true;
		}
	}
	return false;
}

static struct mml_error *layout_from_gdb(struct ext_layout *l)
{
	struct mml_types types;
	_cleanup_free_ struct ext_types_memo *memo = calloc(1, sizeof(*memo));
	if (!memo)
		return &mml_enomem;
	mml_crash_types_init(&types, memo);
	struct mml_error *err = mml_layout_resolve(&types, &l->layout);
	if (!err)
		l->source = "gdb";
	return err;
}

/* The kernel's BTF: the .BTF section of crash's vmlinux when it is the
 * dump's build (a file read), else read from the dump; @how says which. */
static struct mml_error *btf_open(bool same_build, struct mml_btf **btf,
				  char *how, size_t howlen)
{
	struct mml_error *err = NULL;
	if (same_build && pc->namelist) {
		err = mml_btf_from_elf(pc->namelist, btf);
		if (!err) {
			snprintf(how, howlen, "; btf: %.150s", pc->namelist);
			return NULL;
		}
	}
	if (!mml_crash_has_page_tables()) {
		if (err)
			return err;
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"crash --minimal cannot read the "
					"kernel's BTF (no page tables)");
	}
	mml_error_destroy(err);
	struct mml_target target;
	mml_crash_target_init(&target);
	err = mml_btf_from_target(&target, btf);
	if (!err)
		snprintf(how, howlen, "; btf: the dump's");
	return err;
}

static struct mml_error *layout_from_btf(struct ext_layout *l,
					 bool same_build, char *how,
					 size_t howlen)
{
	struct mml_btf *btf = NULL;
	struct mml_error *err = btf_open(same_build, &btf, how, howlen);
	if (err)
		return err;
	struct mml_types types;
	mml_btf_types(btf, &types);
	err = mml_layout_resolve(&types, &l->layout);
	mml_btf_destroy(btf);
	if (!err)
		l->source = "btf";
	return err;
}

/* From the kernel's BTF, else gdb (@want says which may be asked); @why
 * gets where the BTF came from, or why it was not used. */
static struct mml_error *layout_from_debuginfo(struct ext_layout *l,
					       enum ext_types want,
					       bool same_build, char *why,
					       size_t whylen)
{
	if (want == EXT_TYPES_GDB)
		return layout_from_gdb(l);
	size_t n = strlen(why);
	struct mml_error *err = layout_from_btf(l, same_build, why + n,
						whylen - n);
	if (!err || want == EXT_TYPES_BTF)
		return err;
	snprintf(why + n, whylen - n, "; btf: %.150s", err->message);
	mml_error_destroy(err);
	return layout_from_gdb(l);
}

/* ext_layout_resolve() into @l, which starts empty. */
static struct mml_error *layout_resolve_fresh(struct ext_layout *l,
					      enum ext_types want)
{
	char why[sizeof(l->cache) / 2 + 160];

	why[0] = '\0';
	_cleanup_free_ char *key = layout_cache_key(why, sizeof(why));
	_cleanup_free_ char *dir = key ? mml_cache_dir() : NULL;
	if (key && !dir)
		snprintf(why, sizeof(why), "off: no XDG_CACHE_HOME or HOME");
	if (want == EXT_TYPES_AUTO && dir && layout_from_cache(l, dir, key)) {
		l->ok = true;
		return NULL;
	}
	if (dir)
		snprintf(why, sizeof(why), "%s %.150s",
			 want == EXT_TYPES_AUTO ? "miss in" : "not read: -t,",
			 dir);
	struct mml_error *err = layout_from_debuginfo(l, want, key != NULL,
						      why, sizeof(why));
	if (err)
		return err;
	l->ok = true;
	/* gdb's layout is the .crash file; the BTF's, the CLI's .btf. */
	const char *as = strcmp(l->source, "gdb") ? "btf" : "crash";
	err = dir ? mml_layout_cache_store(dir, key, as, &l->layout) : NULL;
	snprintf(l->cache, sizeof(l->cache), "%.220s%s%s%.100s", why,
		 !dir ? "" : err ? "; not stored: " : "; stored as .",
		 !dir || err ? "" : as, err ? err->message : "");
	mml_error_destroy(err);
	return NULL;
}

struct mml_error *ext_layout_resolve(struct ext_layout *l,
				     enum ext_types want)
{
	if (l->ok && want == EXT_TYPES_AUTO)
		return NULL;
	/* A failed -t leaves the session's layout as it was: the next
	 * plain run need not resolve it again. */
	struct ext_layout fresh = { .ok = false };
	struct mml_error *err = layout_resolve_fresh(&fresh, want);
	if (!err)
		*l = fresh;
	return err;
}

void ext_layout_print(const struct ext_layout *l, FILE *out)
{
	struct mml_layout layout = l->layout;
	uint64_t *field;
	const char *name;

	fprintf(out, "layout-source %s\n", l->source);
	fprintf(out, "layout-cache %s\n", l->cache);
	for (size_t i = 0; (name = mml_layout_field_name(i, &field, &layout));
	     i++) {
		if (*field == MML_ABSENT)
			fprintf(out, "layout.%s absent\n", name);
		else
			fprintf(out, "layout.%s %" PRIu64 "\n", name, *field);
	}
}
