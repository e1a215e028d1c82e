// SPDX-License-Identifier: GPL-2.0-or-later
/* The binding entry points (include/mmlife/bind.h) over the fake: heap
 * layout, the dump section set from borrowed strings, renderings as
 * strings equal to the FILE renderings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/bind.h"
#include "util.h"

static void test_layout_create(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct mml_layout *l = NULL;
	assert_null(mml_layout_create(fake_types(f), &l));
	assert_non_null(l);
	assert_memory_equal(l, fake_layout(f), sizeof(*l));
	mml_layout_destroy(l);
	/* A required member missing: an error, nothing handed out. */
	fake_types_hide(f, "mm_struct", "mm_mt");
	l = NULL;
	struct mml_error *err = mml_layout_create(fake_types(f), &l);
	assert_non_null(err);
	assert_null(l);
	mml_error_destroy(err);
	fake_free(f);
}

static void test_error_message(void **state)
{
	(void)state;
	struct mml_error *err =
		mml_error_create_message(MML_ERROR_NOT_FOUND, "100% %s here");
	assert_int_equal(err->code, MML_ERROR_NOT_FOUND);
	assert_string_equal(err->message, "100% %s here");
	mml_error_destroy(err);
	assert_string_equal(mml_version(), MMLIFE_VERSION);
}

/* What @fn wrote to a memstream, for comparison. */
static char *stream_text(void (*fn)(const struct mml_report *, FILE *),
			 const struct mml_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	fn(r, out);
	fclose(out);
	return buf;
}

static void write_json(const struct mml_report *r, FILE *out)
{
	assert_null(mml_report_write_json(r, out));
}

static void write_text(const struct mml_report *r, FILE *out)
{
	struct mml_text_options o = { .verbose = true };
	mml_report_write_text(r, &o, out);
}

static void test_strings(void **state)
{
	(void)state;
	struct fake *f = fake_new(FAKE_V66);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	char path[] = "/tmp/dump";
	struct mml_dump_info in = { .path = path, .front_end = "drgn",
				    .kaslr_offset = 0x1200000 };
	assert_null(mml_report_set_dump_info(r, &in));
	path[0] = 'X';  /* borrowed: the report keeps a copy */
	assert_string_equal(r->dump.path, "/tmp/dump");
	assert_null(r->dump.format);
	assert_int_equal(r->dump.kaslr_offset, 0x1200000);

	char *s = NULL, *want = stream_text(write_json, r);
	assert_null(mml_report_json_string(r, &s));
	assert_string_equal(s, want);
	assert_non_null(strstr(s, "\"front_end\": \"drgn\""));
	mml_string_free(s);
	free(want);

	struct mml_text_options o = { .verbose = true };
	want = stream_text(write_text, r);
	assert_null(mml_report_text_string(r, &o, &s));
	assert_string_equal(s, want);
	mml_string_free(s);
	free(want);

	assert_null(mml_checks_text_string(&s));
	assert_non_null(strstr(s, "xa-zero"));
	mml_string_free(s);
	assert_null(mml_fixes_text_string(&s));
	assert_true(strlen(s) > 0);
	mml_string_free(s);
	struct mml_entry e = { .kind = MML_ENTRY_XA_ZERO, .first = 0x1000,
			       .last = 0x1fff };
	assert_null(mml_entry_maps_string(&e, &s));
	assert_int_equal(s[strlen(s) - 1], '\n');
	mml_string_free(s);
	mml_report_destroy(r);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_create),
		cmocka_unit_test(test_error_message),
		cmocka_unit_test(test_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
