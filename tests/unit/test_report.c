// SPDX-License-Identifier: GPL-2.0-or-later
/* The renderers: JSON parses back and holds the model; text names every
 * finding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "util.h"
#include "internal.h"

struct scene {
	struct fake *f;
	struct fork_scn s;
	uint64_t empty, bad;
	struct mml_report *r;
};

/* A failed fork (orphan), an empty live mm, an mm with a corrupt leaf and
 * a task list that does not close. */
static void scene_build(struct scene *sc, enum fake_variant v)
{
	memset(sc, 0, sizeof(*sc));
	sc->f = fake_new(v);
	fork_build(sc->f, &sc->s, 20, 5, true, FAKE_MMF_UNSTABLE, 2);
	fake_mmlist_add(sc->f, sc->s.child);
	sc->empty = fake_mm_new(sc->f);
	fake_task_new(sc->f, 300, 300, "empty \"q\"\\", sc->empty, 0);
	sc->bad = fake_mm_new(sc->f);
	struct fake_tree_opts o = { .height = 2 };
	struct fake_tree *t = fake_mm_populate(sc->f, sc->bad, 12, &o, NULL);
	fake_node_make_dead(sc->f, t, 1);
	uint64_t last = fake_task_new(sc->f, 400, 400, "bad", sc->bad, 0);
	fake_write_u64(sc->f, fake_task_tasks_next(sc->f, last), 0);
	sc->r = scan_fake(sc->f, NULL, NULL);
	sc->r->dump.path = strdup("/var/crash/vmcore");
	sc->r->dump.release = strdup("6.12.0-test");
	sc->r->dump.front_end = strdup("unit");
}

static void scene_free(struct scene *sc)
{
	mml_report_destroy(sc->r);
	free(sc->s.pvmas);
	fake_free(sc->f);
}

static char *render_json(const struct mml_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	struct mml_error *err = mml_report_write_json(r, out);
	if (err)
		fail_msg("json: %s", err->message);
	fclose(out);
	return buf;
}

static char *render_text(const struct mml_report *r, bool verbose)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	struct mml_text_options o = { .verbose = verbose };
	mml_report_write_text(r, &o, out);
	fclose(out);
	return buf;
}

static json_t *json_mm(json_t *root, uint64_t addr)
{
	char hex[32];
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)addr);
	json_t *mms = json_object_get(root, "mms");
	assert_true(json_is_array(mms));
	for (size_t i = 0; i < json_array_size(mms); i++) {
		json_t *m = json_array_get(mms, i);
		const char *a = json_string_value(json_object_get(m, "address"));
		if (a && !strcmp(a, hex))
			return m;
	}
	fail_msg("mm %s not in the JSON", hex);
	return NULL;
}

static bool json_has_id(json_t *findings, const char *id)
{
	for (size_t i = 0; i < json_array_size(findings); i++) {
		const char *fid = json_string_value(
			json_object_get(json_array_get(findings, i), "id"));
		if (fid && !strcmp(fid, id))
			return true;
	}
	return false;
}

static void test_json(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct scene sc;
		scene_build(&sc, v);
		const struct mml_report *r = sc.r;
		char *text = render_json(r);
		json_error_t jerr;
		json_t *root = json_loads(text, 0, &jerr);
		if (!root)
			fail_msg("JSON does not parse: %s (line %d)", jerr.text,
				 jerr.line);
		assert_int_equal(json_integer_value(json_object_get(
					 root, "schema_version")),
				 MML_JSON_SCHEMA_VERSION);
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(root, "dump"),
					    "release")),
				    "6.12.0-test");
		json_t *counts = json_object_get(root, "counts");
		assert_int_equal(json_integer_value(
					 json_object_get(counts, "mms")),
				 r->counts.mms);
		assert_int_equal(json_integer_value(
					 json_object_get(counts, "findings")),
				 r->nfindings);
		assert_int_equal(json_array_size(json_object_get(root, "mms")),
				 r->nmms);

		/* Every finding of the model is in the JSON, under its mm
		 * or among the global ones. */
		size_t total = 0;
		for (size_t i = 0; i < r->nmms; i++) {
			json_t *m = json_mm(root, r->mms[i].addr);
			json_t *fs = json_object_get(m, "findings");
			assert_int_equal(json_array_size(fs),
					 r->mms[i].nfindings);
			for (size_t j = 0; j < r->mms[i].nfindings; j++) {
				const struct mml_finding *fi =
					&r->findings[r->mms[i].first_finding +
						     j];
				assert_true(json_has_id(fs, fi->check->id));
			}
			total += json_array_size(fs);
		}
		json_t *global = json_object_get(root, "findings");
		assert_true(json_has_id(global, "task-list"));
		total += json_array_size(global);
		assert_int_equal(total, r->nfindings);

		json_t *child = json_mm(root, sc.s.child);
		json_t *cf = json_object_get(child, "findings");
		assert_true(json_has_id(cf, "xa-zero"));
		assert_true(json_has_id(cf, "stale-vma"));
		assert_true(json_has_id(cf, "flags-mismatch"));
		assert_true(json_has_id(cf, "orphan-fork"));
		assert_int_equal(json_integer_value(json_object_get(
					 child, "map_count")),
				 5);
		assert_true(json_is_true(json_object_get(child, "unstable")) ||
			    json_integer_value(json_object_get(
				    child, "unstable")) == 1);
		json_t *tree = json_object_get(child, "tree");
		assert_int_equal(json_integer_value(
					 json_object_get(tree, "xa_zero")),
				 1);
		assert_int_equal(json_integer_value(
					 json_object_get(tree, "foreign")),
				 14);
		/* Evidence: a range as hex strings. */
		json_t *xa = NULL;
		for (size_t i = 0; i < json_array_size(cf); i++) {
			json_t *fi = json_array_get(cf, i);
			if (!strcmp(json_string_value(json_object_get(fi, "id")),
				    "xa-zero"))
				xa = fi;
		}
		json_t *range = json_object_get(
			json_object_get(xa, "evidence"), "range");
		assert_string_equal(
			json_string_value(json_object_get(range, "first")),
			"0x450000");
		/* A comm with quotes and a backslash survives. */
		json_t *em = json_mm(root, sc.empty);
		json_t *t0 = json_array_get(json_object_get(em, "tasks"), 0);
		assert_string_equal(json_string_value(json_object_get(t0,
								      "comm")),
				    "empty \"q\"\\");
		assert_true(json_has_id(json_object_get(em, "findings"),
					"empty-live-mm"));
		assert_true(json_has_id(json_object_get(json_mm(root, sc.bad),
							"findings"),
					"dead-node"));
		assert_string_equal(json_string_value(json_object_get(
					    root, "worst_severity")),
				    "error");
		json_decref(root);
		free(text);
		scene_free(&sc);
	}
}

static void test_json_clean(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	uint64_t mm = fake_mm_new(f);
	fake_mm_populate(f, mm, 4, NULL, NULL);
	fake_task_new(f, 1, 1, "init", mm, 0);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	char *text = render_json(r);
	json_t *root = json_loads(text, 0, NULL);
	assert_non_null(root);
	assert_true(json_is_null(json_object_get(root, "worst_severity")));
	assert_int_equal(json_array_size(json_object_get(root, "findings")), 0);
	assert_int_equal(json_array_size(json_object_get(root, "mms")), 1);
	json_decref(root);
	free(text);
	char *t = render_text(r, false);
	assert_non_null(strstr(t, "none"));
	free(t);
	mml_report_destroy(r);
	fake_free(f);
}

static void test_text(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct scene sc;
		scene_build(&sc, v);
		char *text = render_text(sc.r, false);
		for (size_t i = 0; i < sc.r->nfindings; i++) {
			char needle[64];
			snprintf(needle, sizeof(needle), "] %s: ",
				 sc.r->findings[i].check->id);
			if (!strstr(text, needle))
				fail_msg("text lacks %s:\n%s", needle, text);
		}
		assert_true(sc.r->nfindings >= 7);
		assert_non_null(strstr(text, "/var/crash/vmcore"));
		assert_non_null(strstr(text, "6.12.0-test"));
		assert_non_null(strstr(text, "100 parent"));
		char sum[64];
		snprintf(sum, sizeof(sum), "%zu findings", sc.r->nfindings);
		assert_non_null(strstr(text, sum));
		free(text);

		/* Verbose lists every mm, quiet only those with findings. */
		char *vt = render_text(sc.r, true);
		char hex[32];
		snprintf(hex, sizeof(hex), "  mm 0x%016llx (",
			 (unsigned long long)sc.s.parent);
		assert_non_null(strstr(vt, hex));
		text = render_text(sc.r, false);
		assert_null(strstr(text, hex));
		free(vt);
		free(text);
		scene_free(&sc);
	}
}

static void test_catalogue_text(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	mml_checks_write_text(out);
	fclose(out);
	for (const struct mml_check *c = mml_checks; c->id; c++) {
		assert_non_null(strstr(buf, c->id));
		assert_non_null(c->title);
		assert_non_null(c->meaning);
		assert_ptr_equal(mml_check_find(c->id), c);
		enum mml_severity sev;
		assert_true(mml_severity_parse(mml_severity_name(c->severity),
					       &sev));
		assert_int_equal(sev, c->severity);
	}
	assert_null(mml_check_find("no-such-check"));
	free(buf);
}

/* enum mml_check_id indexes the catalogue: every id has its entry, in
 * order, and the entry after the last ends it. */
static void test_catalogue_ids(void **state)
{
	(void)state;
	for (int id = 0; id < MML_CHECK_COUNT; id++) {
		assert_non_null(mml_checks[id].id);
		assert_true(mml_check_is(mml_check_find(mml_checks[id].id),
					 id));
	}
	assert_null(mml_checks[MML_CHECK_COUNT].id);
	assert_true(mml_check_is(mml_check_find("stale-vma"),
				 MML_CHECK_STALE_VMA));
}

/* A finding that cannot be stored is an error the caller gets, not a
 * finding lost without a word; the builder is reusable after it. */
static void test_finding_builder_error(void **state)
{
	(void)state;
	struct mml_vec out = MML_VEC_INIT(struct mml_finding);
	struct mml_finding_builder b = { 0 };
	mml_finding_begin(&b, &out, MML_CHECK_COUNT, 0, "no such check");
	mml_ev_u64(&b, "count", 1);
	struct mml_error *err = mml_finding_end(&b);
	assert_non_null(err);
	assert_int_equal(out.len, 0);
	mml_error_destroy(err);
	mml_finding_begin(&b, &out, MML_CHECK_EXCLUDED_PAGE, 0, "lost %d", 2);
	mml_ev_lost(&b, MML_LOST_VMA, 2);
	assert_null(mml_finding_end(&b));
	assert_int_equal(out.len, 1);
	struct mml_finding *f = MML_VEC_AT(&out, struct mml_finding, 0);
	assert_true(mml_check_is(f->check, MML_CHECK_EXCLUDED_PAGE));
	assert_int_equal(f->lost, MML_LOST_VMA);
	assert_int_equal(f->lost_count, 2);
	assert_string_equal(f->evidence[0].key, "what");
	assert_string_equal(f->evidence[0].str, "VMA");
	mml_finding_free(f);
	mml_vec_free(&out);
}

struct maps {
	FILE *out;
};

static void maps_entry(void *arg, const struct mml_entry *e)
{
	mml_entry_write_maps(e, ((struct maps *)arg)->out);
}

static void test_maps(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct fork_scn s;
	fork_build(f, &s, 6, 2, true, 0, 1);
	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	char *buf = NULL;
	size_t len = 0;
	struct maps m = { open_memstream(&buf, &len) };
	assert_null(mml_mm_walk(ctx, s.child, maps_entry, NULL, &m));
	fclose(m.out);
	mml_ctx_destroy(ctx);
	/* 2 VMAs, the marker, 3 foreign. */
	size_t lines = 0;
	for (char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 6);
	assert_non_null(strstr(buf, "00400000-00403000 rw-p"));
	assert_non_null(strstr(buf, "XA_ZERO_ENTRY"));
	assert_non_null(strstr(buf, "FOREIGN"));
	free(buf);
	free(s.pvmas);
	fake_free(f);
}

/* A file whose dentry name is @name, at the end of a page when @at_end. */
static uint64_t make_file(struct fake *f, const char *name, bool at_end)
{
	const struct mml_layout *l = fake_layout(f);
	uint64_t file = fake_alloc(f, 0x100, 64);
	uint64_t dentry = fake_alloc(f, 0xc0, 64);
	uint64_t str;
	size_t len = strlen(name);
	if (at_end) {
		uint64_t page = fake_alloc(f, FAKE_PAGE_SIZE, FAKE_PAGE_SIZE);
		str = page + FAKE_PAGE_SIZE - len;
		fake_write_bytes(f, str, name, len);   /* no NUL */
		fake_unmap_page(f, page + FAKE_PAGE_SIZE);
	} else {
		str = fake_alloc(f, len + 1, 8);
		fake_write_bytes(f, str, name, len + 1);
	}
	/* Under a root dentry (its own parent); inode 42 on device 8:1. */
	uint64_t root = fake_alloc(f, 0xc0, 64);
	uint64_t inode = fake_alloc(f, 0x100, 64);
	uint64_t sb = fake_alloc(f, 0x100, 64);
	fake_write_u64(f, root + l->dentry_d_parent, root);
	fake_write_u64(f, dentry + l->dentry_d_parent, root);
	fake_write_u64(f, file + l->file_f_path + l->path_dentry, dentry);
	fake_write_u64(f, dentry + l->dentry_d_name + l->qstr_name, str);
	fake_write_u64(f, file + l->file_f_inode, inode);
	fake_write_u64(f, inode + l->inode_i_ino, 42);
	fake_write_u64(f, inode + l->inode_i_sb, sb);
	fake_write_u32(f, sb + l->sb_s_dev, 8u << 20 | 1);
	return file;
}

static void test_maps_file_names(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);   /* the variant with struct file */
	const struct mml_layout *l = fake_layout(f);
	uint64_t mm = fake_mm_new(f);
	uint64_t vmas[4];
	fake_mm_populate(f, mm, 4, NULL, vmas);
	fake_write_u64(f, vmas[0] + l->vma_vm_file,
		       make_file(f, "libc.so.6", false));
	fake_write_u64(f, vmas[1] + l->vma_vm_file,
		       make_file(f, "tail", true));
	fake_write_u64(f, vmas[2] + l->vma_vm_file,
		       make_file(f, "bad\x01name", false));
	fake_write_u64(f, vmas[3] + l->vma_vm_file, FAKE_UNMAPPED);
	fake_write_u64(f, vmas[0] + l->vma_vm_pgoff, 3);
	struct mml_ctx *ctx;
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	char *buf = NULL;
	size_t len = 0;
	struct maps m = { open_memstream(&buf, &len) };
	assert_null(mml_mm_walk(ctx, mm, maps_entry, NULL, &m));
	fclose(m.out);
	mml_ctx_destroy(ctx);
	/* /proc/PID/maps: device, inode, the name at column 73. */
	assert_non_null(strstr(buf, "00400000-00403000 rw-p 00003000 08:01 42 "
				    "                               "
				    " /libc.so.6\n"));
	assert_non_null(strstr(buf, " /tail\n"));
	assert_non_null(strstr(buf, " /bad?name\n"));
	/* An unreadable file: no device, inode or name. */
	assert_non_null(strstr(buf, "00430000-00433000 rw-p 00000000 00:00 0 \n"));
	free(buf);

	/* Other variants have no struct file: no names, no failure. */
	fake_free(f);
	f = fake_new(FAKE_V61);
	mm = fake_mm_new(f);
	fake_mm_populate(f, mm, 2, NULL, vmas);
	fake_write_u64(f, vmas[0] + fake_layout(f)->vma_vm_file, 0x1000);
	assert_null(mml_ctx_create(fake_target(f), fake_layout(f), NULL, &ctx));
	m.out = open_memstream(&buf, &len);
	assert_null(mml_mm_walk(ctx, mm, maps_entry, NULL, &m));
	fclose(m.out);
	mml_ctx_destroy(ctx);
	assert_non_null(strstr(buf, "00400000-00403000 rw-p 00000000 00:00 0 \n"));
	free(buf);
	fake_free(f);
}

static void test_maps_bad(void **state)
{
	(void)state;
	struct mml_entry e = { .kind = MML_ENTRY_BAD, .first = 0x1000,
			       .last = 0x1fff, .value = 0x402 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	mml_entry_write_maps(&e, out);
	fclose(out);
	assert_non_null(strstr(buf, "00001000-00002000 ----"));
	assert_non_null(strstr(buf, "BAD ENTRY 0x402"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_clean),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_catalogue_text),
		cmocka_unit_test(test_catalogue_ids),
		cmocka_unit_test(test_finding_builder_error),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_maps_file_names),
		cmocka_unit_test(test_maps_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
