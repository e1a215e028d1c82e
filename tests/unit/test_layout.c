// SPDX-License-Identifier: GPL-2.0-or-later
/* Layout resolution through the fake type tables, and the layout cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

static void test_resolve_variants(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		struct mml_layout l;
		memset(&l, 0xab, sizeof(l));
		struct mml_error *err = mml_layout_resolve(fake_types(f), &l);
		if (err)
			fail_msg("%s: %s", fake_variant_name(v), err->message);
		assert_int_equal(l.maple_node_size, 256);
		assert_int_equal(l.mr64_pivot, 8);
		assert_int_equal(l.mr64_pivot_count, 15);
		assert_int_equal(l.mr64_slot, 128);
		assert_int_equal(l.mr64_slot_count, 16);
		assert_int_equal(l.mr64_meta, 248);
		assert_int_equal(l.ma64_pivot_count, 9);
		assert_int_equal(l.ma64_slot, 80);
		assert_int_equal(l.ma64_slot_count, 10);
		assert_int_equal(l.ma64_gap, 160);
		assert_int_equal(l.ma64_meta, 240);
		assert_int_equal(l.meta_end, 0);
		assert_int_equal(l.meta_gap, 1);
		assert_int_equal(l.mt_type_dense, 0);
		assert_int_equal(l.mt_type_leaf_64, 1);
		assert_int_equal(l.mt_type_range_64, 2);
		assert_int_equal(l.mt_type_arange_64, 3);
		assert_int_equal(l.task_comm_len, 16);
		switch (v) {
		case FAKE_V61:
			assert_int_equal(l.mt_root, 8);
			assert_int_equal(l.mt_flags, 16);
			assert_int_equal(l.maple_tree_size, 24);
			assert_int_equal(l.mm_flags_kind, MML_KIND_INT);
			assert_true(l.mt_type_copy == MML_ABSENT);
			assert_true(l.file_f_path == MML_ABSENT);
			break;
		case FAKE_V66:
			assert_int_equal(l.mt_root, 8);
			assert_int_equal(l.mt_flags, 4);
			assert_int_equal(l.maple_tree_size, 16);
			assert_int_equal(l.mm_flags_kind, MML_KIND_INT);
			assert_true(l.mt_type_copy == MML_ABSENT);
			assert_int_equal(l.qstr_name, 8);
			break;
		case FAKE_V72:
			assert_int_equal(l.mt_flags, 4);
			assert_int_equal(l.mt_type_copy, 4);
			assert_int_equal(l.mm_flags_kind, MML_KIND_STRUCT);
			assert_int_equal(l.mm_flags_size, 8);
			assert_true(l.mm_owner == MML_ABSENT);
			break;
		case FAKE_V72RT:
			assert_int_equal(l.mt_flags, 32);
			assert_int_equal(l.mt_root, 40);
			assert_int_equal(l.maple_tree_size, 48);
			break;
		}
		/* The fake's own copy is the same. */
		assert_memory_equal(&l, fake_layout(f), sizeof(l));
		fake_free(f);
	}
	/* The variants really differ (nothing depends on one layout). */
	struct fake *a = fake_new(FAKE_V61), *b = fake_new(FAKE_V66),
		    *c = fake_new(FAKE_V72);
	assert_true(fake_layout(a)->mm_mt != fake_layout(b)->mm_mt);
	assert_true(fake_layout(b)->mm_mt != fake_layout(c)->mm_mt);
	assert_true(fake_layout(a)->task_tasks != fake_layout(c)->task_tasks);
	assert_true(fake_layout(b)->vma_vm_mm != fake_layout(c)->vma_vm_mm);
	fake_free(a);
	fake_free(b);
	fake_free(c);
}

static void expect_unsupported(struct fake *f, const char *needle)
{
	struct mml_layout l;
	struct mml_error *err = mml_layout_resolve(fake_types(f), &l);
	assert_non_null(err);
	assert_int_equal(err->code, MML_ERROR_UNSUPPORTED);
	if (!strstr(err->message, needle))
		fail_msg("message \"%s\" does not name %s", err->message,
			 needle);
	mml_error_destroy(err);
}

static void test_missing_required(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	fake_types_hide(f, "mm_struct", "mm_mt");
	expect_unsupported(f, "mm_struct.mm_mt");
	fake_free(f);

	/* All missing ones are named. */
	f = fake_new(FAKE_V61);
	fake_types_hide(f, "maple_arange_64", "gap");
	fake_types_hide(f, "task_struct", "thread_node");
	expect_unsupported(f, "maple_arange_64.gap");
	expect_unsupported(f, "task_struct.thread_node");
	fake_free(f);

	/* A type size and an enumerator. */
	f = fake_new(FAKE_V72);
	fake_types_hide(f, "maple_node", NULL);
	fake_types_hide(f, "maple_type", "maple_arange_64");
	expect_unsupported(f, "maple_node");
	expect_unsupported(f, "maple_type.maple_arange_64");
	fake_free(f);

	/* Optional members may be missing. */
	f = fake_new(FAKE_V66);
	fake_types_hide(f, "mm_struct", "owner");
	fake_types_hide(f, "task_struct", "__state");
	struct mml_layout l;
	assert_null(mml_layout_resolve(fake_types(f), &l));
	assert_true(l.mm_owner == MML_ABSENT);
	assert_true(l.task_state == MML_ABSENT);
	fake_free(f);
}

static char *save(const struct mml_layout *l, size_t *len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	assert_non_null(out);
	assert_null(mml_layout_save(l, out));
	fclose(out);
	return buf;
}

static struct mml_error *load(const char *text, struct mml_layout *l)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(in);
	struct mml_error *err = mml_layout_load(in, l);
	fclose(in);
	return err;
}

/* "mm: rename mm_struct::map_count to vma_count" (proposed): the layout
 * takes either name, and a scan on such a kernel reads the count. */
static void test_vma_count_rename(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		uint64_t want = fake_layout(f)->mm_map_count;
		fake_types_rename(f, "mm_struct", "map_count", "vma_count");
		struct mml_layout l;
		assert_null(mml_layout_resolve(fake_types(f), &l));
		assert_int_equal(l.mm_map_count, want);
		/* A torn-down failed fork, its map_count read through
		 * vma_count. */
		uint64_t mm = fake_mm_new(f);
		fake_mm_set_users(f, mm, 0);
		fake_mm_set_flags(f, mm, BOTH_FLAGS);
		fake_mm_set_map_count(f, mm, 9);
		fake_tree_set_flags(f, fake_mm_tree(f, mm), 0x301);
		fake_mmlist_add(f, mm);
		struct mml_ctx *ctx = NULL;
		assert_null(mml_ctx_create(fake_target(f), &l, NULL, &ctx));
		struct mml_report *r = NULL;
		assert_null(mml_scan(ctx, NULL, &r));
		mml_ctx_destroy(ctx);
		const struct mml_finding *o = expect_finding(r, "orphan-fork",
							     mm);
		assert_int_equal(expect_evidence(o, "map_count")->i, 9);
		mml_report_destroy(r);
		fake_free(f);
	}
	/* Neither name: the error names both. */
	struct fake *f = fake_new(FAKE_V72);
	fake_types_hide(f, "mm_struct", "map_count");
	expect_unsupported(f, "mm_struct.map_count or vma_count");
	fake_free(f);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (int v = 0; v < FAKE_NVARIANTS; v++) {
		struct fake *f = fake_new(v);
		size_t len;
		char *text = save(fake_layout(f), &len);
		struct mml_layout l;
		memset(&l, 0, sizeof(l));
		struct mml_error *err = load(text, &l);
		if (err)
			fail_msg("load: %s", err->message);
		assert_memory_equal(&l, fake_layout(f), sizeof(l));
		/* Saving again gives the same bytes. */
		size_t len2;
		char *text2 = save(&l, &len2);
		assert_int_equal(len, len2);
		assert_string_equal(text, text2);
		free(text);
		free(text2);
		fake_free(f);
	}
}

static void expect_refused(const char *text)
{
	struct mml_layout l;
	struct mml_error *err = load(text, &l);
	if (!err)
		fail_msg("layout accepted:\n%.200s", text);
	assert_int_not_equal(err->code, MML_ERROR_NOMEM);
	mml_error_destroy(err);
}

/*
 * @text (freed) with its checksum line made right again, so that an edit
 * is refused for what it changed and not for the checksum. FNV-1a 64 of
 * every byte before the line, as lib/layout.c's header comment says.
 */
static char *reseal(char *text)
{
	char *last = strstr(text, "checksum ");
	assert_non_null(last);
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = text; p < last; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	char *out = NULL;
	assert_true(asprintf(&out, "%.*schecksum %016llx\n", (int)(last - text),
			     text, (unsigned long long)h) > 0);
	free(text);
	return out;
}

/* @text with the value of @field replaced by @value (checksum resealed). */
static char *with_value(const char *text, const char *field,
			const char *value)
{
	char key[64];
	snprintf(key, sizeof(key), "\n%s ", field);
	const char *p = strstr(text, key);
	assert_non_null(p);
	const char *v = p + strlen(key);
	const char *eol = strchr(v, '\n');
	char *out = NULL;
	assert_true(asprintf(&out, "%.*s%s%s", (int)(v - text), text, value,
			     eol) > 0);
	return reseal(out);
}

/* @text with @line added before the checksum (resealed). */
static char *with_line(const char *text, const char *line)
{
	const char *sum = strstr(text, "checksum ");
	assert_non_null(sum);
	char *out = NULL;
	assert_true(asprintf(&out, "%.*s%s%s", (int)(sum - text), text, line,
			     sum) > 0);
	return reseal(out);
}

static void test_refused(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	size_t len;
	char *text = save(fake_layout(f), &len);

	expect_refused("");
	expect_refused("mmlife-layout 2\n");
	/* Truncated: at every line boundary and mid-line. */
	for (size_t cut = 0; cut < len - 1; cut++) {
		if (text[cut] != '\n' && cut % 7)
			continue;
		char *t = strndup(text, cut);
		/* Cutting inside the last number can leave a valid file
		 * with another value; skip cuts within the last line. */
		if (!strchr(text + cut, '\n') || strchr(text + cut, '\n') ==
		    text + len - 1) {
			free(t);
			continue;
		}
		expect_refused(t);
		free(t);
	}
	/* Garbled: a bad number, an unknown field, a repeated field, an
	 * absent required field, a broken geometry. */
	char *t = strdup(text);
	char *p = strstr(t, "\nmt_root ");
	assert_non_null(p);
	p[9] = 'x';
	t = reseal(t);
	expect_refused(t);
	free(t);

	t = with_line(text, "bogus_field 1\n");
	expect_refused(t);
	free(t);

	t = with_line(text, "mt_root 8\n");
	expect_refused(t);
	free(t);

	t = with_value(text, "mm_mt", "absent");
	expect_refused(t);
	free(t);
	/* An optional field may be absent. */
	t = with_value(text, "mm_owner", "absent");
	struct mml_layout ok;
	assert_null(load(t, &ok));
	assert_true(ok.mm_owner == MML_ABSENT);
	free(t);
	t = with_value(text, "mt_root", "-1x");
	expect_refused(t);
	free(t);
	/* Numbers that strtoull() would take: a sign, an overflow (read as
	 * ULLONG_MAX, which is also MML_ABSENT), and ULLONG_MAX itself for a
	 * required field. */
	static const char *const bad_numbers[] = {
		"-1", "-8", "+8", "99999999999999999999999",
		"18446744073709551615", "0x8", "",
	};
	for (size_t i = 0; i < sizeof(bad_numbers) / sizeof(*bad_numbers);
	     i++) {
		t = with_value(text, "mm_mt", bad_numbers[i]);
		expect_refused(t);
		free(t);
	}

	struct mml_layout bad = *fake_layout(f);
	bad.mr64_pivot_count = 14;
	char *btext = save(&bad, &len);
	expect_refused(btext);
	free(btext);
	bad = *fake_layout(f);
	bad.maple_node_size = 300;
	btext = save(&bad, &len);
	expect_refused(btext);
	free(btext);

	free(text);
	fake_free(f);
}

static struct mml_error *load_n(const char *text, size_t n, const char *id,
				struct mml_layout *l)
{
	FILE *in = fmemopen((void *)text, n, "r");
	assert_non_null(in);
	struct mml_error *err = mml_layout_load_keyed(in, id, l);
	fclose(in);
	return err;
}

static char *save_keyed(const struct mml_layout *l, const char *id,
			size_t *len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	assert_non_null(out);
	assert_null(mml_layout_save_keyed(l, id, out));
	fclose(out);
	return buf;
}

static void expect_refused_n(const char *text, size_t n, const char *id)
{
	struct mml_layout l;
	memset(&l, 0x5a, sizeof(l));
	struct mml_layout before = l;
	struct mml_error *err = load_n(text, n, id, &l);
	if (!err)
		fail_msg("layout accepted (%zu bytes)", n);
	assert_int_not_equal(err->code, MML_ERROR_NOMEM);
	mml_error_destroy(err);
	/* Nothing of a refused file reaches the caller. */
	assert_memory_equal(&l, &before, sizeof(l));
}

/*
 * What a cache reader shares with other writers and other builds: the
 * build-id, the table fingerprint and the checksum each refuse a file
 * that would otherwise load (the crash extension trusts a file only
 * through these).
 */
static void test_keyed_guards(void **state)
{
	(void)state;
	static const char id[] = "4bbce01e305eafdcfe5a7e808f0e347e013801e3";
	struct fake *f = fake_new(FAKE_V72);
	size_t len;
	char *text = save_keyed(fake_layout(f), id, &len);
	struct mml_layout l;

	assert_null(load_n(text, len, id, &l));
	assert_memory_equal(&l, fake_layout(f), sizeof(l));
	assert_null(load_n(text, len, NULL, &l));
	/* Another kernel's build-id. */
	expect_refused_n(text, len, "4bbce01e305eafdcfe5a7e808f0e347e013801e4");
	expect_refused_n(text, len, "4bbce01e");
	/* Any one byte changed (a torn or damaged file). */
	for (size_t i = 0; i < len; i++) {
		char *t = malloc(len);
		memcpy(t, text, len);
		t[i] ^= (i % 3 == 0) ? 0x01 : (i % 3 == 1) ? 0x20 : 0x10;
		expect_refused_n(t, len, id);
		free(t);
	}
	/* A NUL, bytes after the checksum, an oversized file. */
	expect_refused_n(text, len - 1, id);
	char *t = NULL;
	assert_true(asprintf(&t, "%s\n", text) > 0);
	expect_refused_n(t, len + 1, id);
	free(t);
	t = malloc(len);
	memcpy(t, text, len);
	t[len / 2] = '\0';
	expect_refused_n(t, len, id);
	free(t);
	size_t big = 70000;
	t = malloc(big);
	memset(t, 'a', big);
	memcpy(t, text, len);
	expect_refused_n(t, big, id);
	free(t);
	/* Another mmlife's table: a fingerprint that differs, resealed. */
	t = strdup(text);
	char *table = strstr(t, "\ntable ");
	assert_non_null(table);
	table[7] = table[7] == '0' ? '1' : '0';
	t = reseal(t);
	expect_refused_n(t, strlen(t), id);
	free(t);
	/* Version 1 (no build-id, no checksum) is a miss now. */
	t = strdup(text);
	char *v = strstr(t, "layout 2");
	v[7] = '1';
	t = reseal(t);
	expect_refused_n(t, strlen(t), id);
	free(t);
	/* A build-id that is no cache key is not written. */
	FILE *null = fopen("/dev/null", "w");
	struct mml_error *err = mml_layout_save_keyed(fake_layout(f), "AB12",
						      null);
	assert_non_null(err);
	mml_error_destroy(err);
	err = mml_layout_save_keyed(fake_layout(f), "ab/1", null);
	assert_non_null(err);
	mml_error_destroy(err);
	fclose(null);
	free(text);
	fake_free(f);
}

/* The cache directory: a store is found again, a damaged file or one of
 * another build under the key is a miss (not an error), and is rewritten. */
static void test_cache_dir(void **state)
{
	(void)state;
	static const char id[] = "67c52ef4efefc992af9925649aba45269ef7c452";
	static const char other[] = "9c54a8e41141472ef75c7d0bef45c721ad398682";
	char dir[] = "/tmp/mmlife-test-cache-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[64], path[160], opath[160];
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	snprintf(path, sizeof(path), "%s/%s.crash", sub, id);
	snprintf(opath, sizeof(opath), "%s/%s.crash", sub, other);
	struct fake *f = fake_new(FAKE_V66);
	struct mml_layout l;
	bool hit = true;

	assert_null(mml_layout_cache_load(sub, id, "crash", &l, &hit));
	assert_false(hit);
	assert_null(mml_layout_cache_store(sub, id, "crash", fake_layout(f)));
	assert_null(mml_layout_cache_load(sub, id, "crash", &l, &hit));
	assert_true(hit);
	assert_memory_equal(&l, fake_layout(f), sizeof(l));
	/* Another source of the same build is another file. */
	assert_null(mml_layout_cache_load(sub, id, "dwarf", &l, &hit));
	assert_false(hit);
	/* Another build's file copied under this key. */
	assert_null(mml_layout_cache_store(sub, other, "crash",
					   fake_layout(f)));
	assert_int_equal(rename(opath, path), 0);
	assert_null(mml_layout_cache_load(sub, id, "crash", &l, &hit));
	assert_false(hit);
	/* Cut short. */
	assert_int_equal(truncate(path, 100), 0);
	assert_null(mml_layout_cache_load(sub, id, "crash", &l, &hit));
	assert_false(hit);
	/* Keys that would leave the directory are no keys. */
	assert_null(mml_layout_cache_load(sub, "../x", "crash", &l, &hit));
	assert_false(hit);
	assert_null(mml_layout_cache_store(sub, id, "crash", fake_layout(f)));
	assert_null(mml_layout_cache_load(sub, id, "crash", &l, &hit));
	assert_true(hit);
	/* No temporary file left behind. */
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) = 1", sub);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_variants),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_vma_count_rename),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_keyed_guards),
		cmocka_unit_test(test_cache_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
