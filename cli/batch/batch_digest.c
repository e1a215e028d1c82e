// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The part of the per-dump record (batch_record.c) that comes from the
 * analysis's report: kernel to errors, in the record's order. It is
 * built in "mmlife scan"'s worker, the CLI run with the internal option
 * --scan-record, from the report's JSON tree, and written there as
 * compact JSON: the parent parses those few KB, not the whole report
 * (1.6 MB for 2,000 mms, which cost the parent about 10 % of the
 * analysis to parse and free). The record keeps only the mms with
 * findings, and of each only the fields below.
 */
#include <stdio.h>
#include <string.h>

#include "mmlife/report.h"
#include "batch.h"

/* A copy of @v, or null. */
static json_t *copy_or_null(json_t *v)
{
	return v ? json_deep_copy(v) : json_null();
}

static json_t *pick_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_incref(v) : json_null();
}

static bool is_dump_finding(json_t *f)
{
	json_t *cls = json_object_get(f, "class");
	return json_is_string(cls) && !strcmp(json_string_value(cls), "dump");
}

static json_t *finding_record(json_t *f)
{
	json_t *cls = json_object_get(f, "class");
	return json_pack("{s:O,s:s,s:O,s:O,s:o}", "id", json_object_get(f, "id"),
			 "class", json_is_string(cls) ? json_string_value(cls)
						      : "kernel",
			 "severity", json_object_get(f, "severity"), "summary",
			 json_object_get(f, "summary"), "evidence",
			 copy_or_null(json_object_get(f, "evidence")));
}

static json_t *mm_record(json_t *mm)
{
	json_t *tasks = json_array();
	size_t i;
	json_t *t;

	json_array_foreach(json_object_get(mm, "tasks"), i, t)
		json_array_append_new(
			tasks, json_pack("{s:O,s:O,s:O}", "pid",
					 json_object_get(t, "pid"), "tgid",
					 json_object_get(t, "tgid"), "comm",
					 json_object_get(t, "comm")));
	json_t *findings = json_array();
	json_array_foreach(json_object_get(mm, "findings"), i, t)
		json_array_append_new(findings, finding_record(t));
	json_t *o = json_object();
	json_object_set_new(o, "address", pick_string(mm, "address"));
	json_object_set_new(o, "sources",
			    copy_or_null(json_object_get(mm, "sources")));
	json_object_set_new(o, "flags", pick_string(mm, "flags"));
	json_object_set_new(o, "oom_skip",
			    copy_or_null(json_object_get(mm, "oom_skip")));
	json_object_set_new(o, "unstable",
			    copy_or_null(json_object_get(mm, "unstable")));
	json_object_set_new(o, "map_count",
			    copy_or_null(json_object_get(mm, "map_count")));
	json_object_set_new(o, "mm_users",
			    copy_or_null(json_object_get(mm, "mm_users")));
	json_object_set_new(o, "mm_count",
			    copy_or_null(json_object_get(mm, "mm_count")));
	json_object_set_new(o, "tasks", tasks);
	json_object_set_new(o, "tree",
			    copy_or_null(json_object_get(mm, "tree")));
	json_object_set_new(o, "findings", findings);
	return o;
}

static json_t *verdict_record(json_t *v)
{
	json_t *fix = json_object_get(v, "fix");
	json_t *o = json_object();

	json_object_set_new(o, "problem", pick_string(v, "problem"));
	json_object_set_new(o, "title", pick_string(v, "title"));
	json_object_set_new(o, "mm", pick_string(v, "mm"));
	json_object_set_new(o, "evidence", pick_string(v, "evidence"));
	if (json_is_object(fix))
		json_object_set_new(o, "fix",
				    json_pack("{s:o,s:o,s:o}", "id",
					      pick_string(fix, "id"), "name",
					      pick_string(fix, "name"), "commit",
					      pick_string(fix, "commit")));
	else
		json_object_set_new(o, "fix", json_null());
	json_object_set_new(o, "presence", pick_string(v, "presence"));
	json_object_set_new(o, "method", pick_string(v, "method"));
	json_object_set_new(o, "method_detail",
			    pick_string(v, "method_detail"));
	json_object_set_new(o, "certain",
			    json_boolean(json_is_true(json_object_get(v, "certain"))));
	json_object_set_new(o, "note", pick_string(v, "note"));
	return o;
}

static json_t *count_of(json_t *counts, const char *key)
{
	json_t *v = json_object_get(counts, key);
	return json_is_integer(v) ? json_incref(v) : json_integer(0);
}

/* The report's per-mm findings, dump-wide findings, verdicts and
 * errors, as the record keeps them, with the counts of findings. */
struct record_lists {
	json_t *mms, *findings, *verdicts, *errors;
	size_t nfindings, ndump;
};

static void record_lists_build(json_t *report, struct record_lists *l)
{
	size_t i;
	json_t *v, *f;

	l->mms = json_array();
	l->findings = json_array();
	l->verdicts = json_array();
	l->errors = json_array();
	l->nfindings = l->ndump = 0;
	json_array_foreach(json_object_get(report, "mms"), i, v) {
		size_t n = json_array_size(json_object_get(v, "findings")), k;
		if (!n)
			continue;
		l->nfindings += n;
		json_array_foreach(json_object_get(v, "findings"), k, f)
			l->ndump += is_dump_finding(f);
		json_array_append_new(l->mms, mm_record(v));
	}
	json_array_foreach(json_object_get(report, "findings"), i, v) {
		l->nfindings++;
		l->ndump += is_dump_finding(v);
		json_array_append_new(l->findings, finding_record(v));
	}
	json_array_foreach(json_object_get(report, "verdicts"), i, v)
		json_array_append_new(l->verdicts, verdict_record(v));
	json_array_foreach(json_object_get(report, "errors"), i, v)
		if (json_is_string(v))
			json_array_append(l->errors, v);
}

/* The counts, then the lists (taken over). */
static void record_set_lists(json_t *r, json_t *counts,
			     const struct record_lists *l)
{
	json_object_set_new(
		r, "counts",
		json_pack("{s:o,s:o,s:o,s:I,s:I}", "tasks",
			  count_of(counts, "tasks"), "mms",
			  count_of(counts, "mms"), "vmas",
			  count_of(counts, "vmas"), "findings",
			  (json_int_t)l->nfindings, "dump_findings",
			  (json_int_t)l->ndump));
	json_object_set_new(r, "mms", l->mms);
	json_object_set_new(r, "findings", l->findings);
	json_object_set_new(r, "verdicts", l->verdicts);
	json_object_set_new(r, "errors", l->errors);
}

/* The kernel release: the report's dump block, else its kernel block
 * (null: the parent takes what the worker read from VMCOREINFO). */
static json_t *digest_kernel(json_t *report, json_t *dump)
{
	json_t *kernel = dump ? pick_string(dump, "release") : json_null();
	if (json_is_null(kernel)) {
		json_decref(kernel);
		kernel = pick_string(json_object_get(report, "kernel"),
				     "release");
	}
	return kernel;
}

json_t *batch_digest_build(json_t *report)
{
	json_t *dump = json_object_get(report, "dump");
	struct record_lists lists;

	json_t *d = json_object();
	json_object_set_new(d, "kernel", digest_kernel(report, dump));
	json_object_set_new(d, "kernel_version",
			    pick_string(json_object_get(report, "kernel"),
					"version"));
	/* Left out without a dump block: the parent's header hint. */
	if (dump)
		json_object_set_new(d, "build_id", pick_string(dump, "build_id"));
	json_object_set_new(d, "format",
			    dump ? pick_string(dump, "format") : json_null());
	json_object_set_new(d, "arch",
			    dump ? pick_string(dump, "arch") : json_null());
	json_object_set_new(d, "type_source",
			    dump ? pick_string(dump, "type_source")
				 : json_null());
	json_object_set_new(d, "worst_severity",
			    pick_string(report, "worst_severity"));
	record_lists_build(report, &lists);
	record_set_lists(d, json_object_get(report, "counts"), &lists);
	return d;
}

struct mml_error *batch_digest_write(const struct mml_report *report,
				     FILE *out)
{
	json_t *root;
	struct mml_error *err = mml_report_json_create(report, &root);
	if (err)
		return err;
	json_t *d = batch_digest_build(root);
	json_decref(root);
	int rc = d ? json_dumpf(d, out, JSON_COMPACT) : -1;
	json_decref(d);
	if (rc || fputc('\n', out) == EOF)
		return mml_error_create(MML_ERROR_OS,
					"writing the scan record failed");
	return NULL;
}
