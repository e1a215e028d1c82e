// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct mml_report *scan_fake(struct fake *f,
			     const struct mml_scan_options *opts,
			     const struct mml_limits *limits)
{
	struct mml_ctx *ctx = NULL;
	struct mml_error *err = mml_ctx_create(fake_target(f), fake_layout(f),
					       limits, &ctx);
	if (err)
		fail_msg("mml_ctx_create: %s", err->message);
	struct mml_report *r = NULL;
	err = mml_scan(ctx, opts, &r);
	mml_ctx_destroy(ctx);
	if (err)
		fail_msg("mml_scan: %s", err->message);
	assert_non_null(r);
	return r;
}

static bool mm_match(const struct mml_finding *f, uint64_t mm)
{
	return mm == ANY_MM || f->mm == mm;
}

size_t count_findings(const struct mml_report *r, const char *id,
		      uint64_t mm)
{
	size_t n = 0;
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].check->id, id) &&
		    mm_match(&r->findings[i], mm))
			n++;
	return n;
}

const struct mml_finding *find_finding(const struct mml_report *r,
				       const char *id, uint64_t mm)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (!strcmp(r->findings[i].check->id, id) &&
		    mm_match(&r->findings[i], mm))
			return &r->findings[i];
	return NULL;
}

void dump_report(const struct mml_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out)
		return;
	struct mml_text_options o = { .verbose = true };
	mml_report_write_text(r, &o, out);
	fclose(out);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("# %s\n", line);
	free(buf);
}

const struct mml_finding *expect_finding(const struct mml_report *r,
					 const char *id, uint64_t mm)
{
	const struct mml_finding *f = find_finding(r, id, mm);
	if (!f) {
		dump_report(r);
		fail_msg("no %s finding for mm 0x%llx", id,
			 (unsigned long long)mm);
	}
	covered_add(id);
	return f;
}

void expect_no_finding(const struct mml_report *r, const char *id,
		       uint64_t mm)
{
	if (find_finding(r, id, mm)) {
		dump_report(r);
		fail_msg("unexpected %s finding for mm 0x%llx", id,
			 (unsigned long long)mm);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void expect_idv(const struct mml_report *r, uint64_t mm, const char **ids,
		size_t n)
{
	const char *want[64], *got[256];
	size_t nwant = 0, ngot = 0;
	for (size_t i = 0; i < n; i++) {
		assert_true(nwant < 64);
		want[nwant++] = ids[i];
	}
	for (size_t i = 0; i < r->nfindings && ngot < 256; i++)
		if (mm_match(&r->findings[i], mm))
			got[ngot++] = r->findings[i].check->id;
	qsort(want, nwant, sizeof(*want), cmp_str);
	qsort(got, ngot, sizeof(*got), cmp_str);
	bool same = nwant == ngot;
	for (size_t i = 0; same && i < nwant; i++)
		same = !strcmp(want[i], got[i]);
	if (!same) {
		dump_report(r);
		printf("# wanted:");
		for (size_t i = 0; i < nwant; i++)
			printf(" %s", want[i]);
		printf("\n# got:");
		for (size_t i = 0; i < ngot; i++)
			printf(" %s", got[i]);
		printf("\n");
		fail_msg("findings for mm 0x%llx differ",
			 (unsigned long long)mm);
	}
	for (size_t i = 0; i < nwant; i++)
		covered_add(want[i]);
}

void expect_ids(const struct mml_report *r, uint64_t mm, ...)
{
	const char *want[64];
	size_t n = 0;
	va_list ap;
	va_start(ap, mm);
	for (const char *id; (id = va_arg(ap, const char *));) {
		assert_true(n < 64);
		want[n++] = id;
	}
	va_end(ap);
	expect_idv(r, mm, want, n);
}

void expect_clean(const struct mml_report *r)
{
	if (r->nfindings) {
		dump_report(r);
		fail_msg("%zu unexpected findings", r->nfindings);
	}
	assert_false(r->any_findings);
}

const struct mml_evidence *find_evidence(const struct mml_finding *f,
					 const char *key)
{
	for (size_t i = 0; i < f->nevidence; i++)
		if (!strcmp(f->evidence[i].key, key))
			return &f->evidence[i];
	return NULL;
}

const struct mml_evidence *expect_evidence(const struct mml_finding *f,
					   const char *key)
{
	const struct mml_evidence *ev = find_evidence(f, key);
	if (!ev)
		fail_msg("finding %s has no evidence %s", f->check->id, key);
	return ev;
}

const struct mml_mm *report_mm(const struct mml_report *r, uint64_t mm)
{
	for (size_t i = 0; i < r->nmms; i++)
		if (r->mms[i].addr == mm)
			return &r->mms[i];
	fail_msg("mm 0x%llx not in the report", (unsigned long long)mm);
	return NULL;
}

/*
 * A parent (pid 100 "parent" + thread 101) with @n VMAs, and a child
 * whose dup_mmap() failed at VMA @k. With @marker (6.8 - 6.19, __mt_dup):
 * the child's copies below k, XA_ZERO over VMA k, the parent's own VMAs
 * above it. Without (6.1 - 6.7): a consistent prefix of k child VMAs.
 * map_count k; the tree out of RCU mode; flags as given.
 */
void fork_build(struct fake *f, struct fork_scn *s, size_t n, size_t k,
		bool marker, uint64_t flags, unsigned int height)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->k = k;
	s->parent = fake_mm_new(f);
	s->child = fake_mm_new(f);
	s->pvmas = calloc(n, sizeof(*s->pvmas));
	struct fake_tree_opts o = { .height = height };
	fake_mm_populate(f, s->parent, n, &o, s->pvmas);
	fake_mm_set_users(f, s->parent, 2);
	fake_task_new(f, 100, 100, "parent", s->parent, 0);
	fake_task_new(f, 101, 100, "parent-thr", s->parent, 0);

	struct fake_slots sl = { 0 };
	for (size_t i = 0; i < n; i++) {
		uint64_t start = fake_vma_start(f, s->pvmas[i]);
		uint64_t end = fake_vma_end(f, s->pvmas[i]);
		uint64_t v;
		if (i < k)
			v = fake_vma_new(f, s->child, start, end, 0x73);
		else if (!marker)
			break;
		else if (i == k)
			v = FAKE_XA_ZERO;
		else
			v = s->pvmas[i];
		fake_slots_add(&sl, start, end - 1, v);
	}
	fake_slots_finish(&sl);
	o.no_rcu = true;
	while (o.height > 1 && sl.n < (1u << o.height))
		o.height--;
	s->ctree = fake_tree_build(f, fake_mm_tree(f, s->child), sl.v, sl.n,
				   &o);
	fake_slots_free(&sl);
	fake_mm_set_map_count(f, s->child, (int32_t)k);
	fake_mm_set_flags(f, s->child, flags);
}

static const char *covered[64];
static size_t ncovered;

void covered_add(const char *id)
{
	if (covered_has(id) || ncovered == 64)
		return;
	covered[ncovered++] = id;
}

bool covered_has(const char *id)
{
	for (size_t i = 0; i < ncovered; i++)
		if (!strcmp(covered[i], id))
			return true;
	return false;
}

char **load_log(const char *name, size_t *n)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/unit/logs/%s", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top directory)", path);
	char **lines = NULL;
	char buf[4096];
	*n = 0;
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		const char *s = buf;
		if (s[0] == '[') {
			const char *end = strstr(s, "] ");
			if (end)
				s = end + 2;
		}
		lines = realloc(lines, (*n + 1) * sizeof(*lines));
		assert_non_null(lines);
		lines[*n] = strdup(s);
		assert_non_null(lines[*n]);
		(*n)++;
	}
	fclose(f);
	return lines;
}

void free_log(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
