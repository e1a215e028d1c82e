// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The per-dump record of "mmlife scan": one JSON Lines line, and the same
 * data in the database (db.c stores it and rebuilds it; the tests compare
 * the two). Fields:
 *
 *   path, rel           the file (absolute) and its path below the scan root
 *   size, mtime         bytes; modification time, ISO 8601 UTC with ns
 *   mtime_ns            the same in nanoseconds since the epoch
 *   dev, ino, ctime_ns  the rest of the file's stat (identity.c: resume
 *                       compares them with size and mtime_ns)
 *   fingerprint         SHA-256 (hex) of the dump's header: its first
 *                       blocks and its VMCOREINFO text (identity.c)
 *   crash_time          when the kernel crashed: VMCOREINFO's CRASHTIME,
 *                       ISO 8601 UTC, or null when the dump has none
 *   sha256              content hash (hex) with --hash, else null
 *   status              ok | findings | error | timeout | crashed |
 *                       incomplete (no kernel finding, the dump lacks
 *                       pages the analysis needed)
 *   error               why not analysed (null unless error/timeout/crashed)
 *   exit_code, signal   how the child ended (exit_code null after a signal)
 *   duration_ms         wall time of the child (analysis, and the
 *                       --hash that runs beside it)
 *   kernel, kernel_version, build_id, format, arch, type_source
 *                       (kernel and build_id also for a dump the analysis
 *                       failed on, when its VMCOREINFO is readable)
 *   worst_severity      of the findings, or null
 *   counts              {tasks, mms, vmas, findings, dump_findings}
 *                       (findings counts both classes)
 *   mms                 the mms with findings: {address, sources, flags,
 *                       oom_skip, unstable, map_count, mm_users, mm_count,
 *                       tasks: [{pid, tgid, comm}], tree: {...},
 *                       findings: [{id, class, severity, summary,
 *                       evidence}]}
 *   findings            findings not about one mm
 *   verdicts            [{problem, title, mm, evidence, fix: {id, name,
 *                       commit} | null, presence, method, method_detail,
 *                       certain, note}]
 *   errors              what stopped part of the analysis
 *   tool_version, host, scanned_at
 */
#include <string.h>
#include <time.h>

#include "batch.h"

#ifndef MMLIFE_VERSION
#define MMLIFE_VERSION "unknown"
#endif

static const char *const status_names[BATCH_NSTATUS] = {
	[BATCH_OK] = "ok",
	[BATCH_FINDINGS] = "findings",
	[BATCH_ERROR] = "error",
	[BATCH_TIMEOUT] = "timeout",
	[BATCH_CRASHED] = "crashed",
	[BATCH_INCOMPLETE] = "incomplete",
};

const char *batch_status_name(enum batch_status s)
{
	return (unsigned int)s < BATCH_NSTATUS ? status_names[s] : "?";
}

bool batch_status_parse(const char *s, enum batch_status *ret)
{
	for (int i = 0; i < BATCH_NSTATUS; i++) {
		if (s && !strcmp(s, status_names[i])) {
			*ret = (enum batch_status)i;
			return true;
		}
	}
	return false;
}

void batch_format_time_ns(int64_t ns, char *buf, size_t len)
{
	time_t sec = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	char base[32];
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%09ldZ", base, frac);
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

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
	json_array_foreach(report ? json_object_get(report, "mms") : NULL, i,
			   v) {
		size_t n = json_array_size(json_object_get(v, "findings")), k;
		if (!n)
			continue;
		l->nfindings += n;
		json_array_foreach(json_object_get(v, "findings"), k, f)
			l->ndump += is_dump_finding(f);
		json_array_append_new(l->mms, mm_record(v));
	}
	json_array_foreach(report ? json_object_get(report, "findings") : NULL,
			   i, v) {
		l->nfindings++;
		l->ndump += is_dump_finding(v);
		json_array_append_new(l->findings, finding_record(v));
	}
	json_array_foreach(report ? json_object_get(report, "verdicts") : NULL,
			   i, v)
		json_array_append_new(l->verdicts, verdict_record(v));
	json_array_foreach(report ? json_object_get(report, "errors") : NULL, i,
			   v)
		if (json_is_string(v))
			json_array_append(l->errors, v);
}

/* The kernel release: the report's dump block, its kernel block, else
 * what the parent read from VMCOREINFO. */
static json_t *record_kernel(const struct batch_outcome *o, json_t *report,
			     json_t *dump)
{
	json_t *kernel = dump ? pick_string(dump, "release") : json_null();
	if (json_is_null(kernel) && report) {
		json_decref(kernel);
		kernel = pick_string(json_object_get(report, "kernel"),
				     "release");
	}
	if (json_is_null(kernel) && o->kernel_hint) {
		json_decref(kernel);
		kernel = json_string(o->kernel_hint);
	}
	return kernel;
}

/* The file and how its child ended: path to duration_ms. */
static void record_set_run(json_t *r, const struct batch_outcome *o,
			   enum batch_status status, const char *error)
{
	char mtime[48];

	batch_format_time_ns(o->id.mtime_ns, mtime, sizeof(mtime));
	json_object_set_new(r, "path", json_string(o->path));
	json_object_set_new(r, "rel", str_or_null(o->rel));
	json_object_set_new(r, "size", json_integer((json_int_t)o->id.size));
	json_object_set_new(r, "mtime", json_string(mtime));
	json_object_set_new(r, "mtime_ns",
			    json_integer((json_int_t)o->id.mtime_ns));
	json_object_set_new(r, "dev", json_integer((json_int_t)o->id.dev));
	json_object_set_new(r, "ino", json_integer((json_int_t)o->id.ino));
	json_object_set_new(r, "ctime_ns",
			    json_integer((json_int_t)o->id.ctime_ns));
	json_object_set_new(r, "fingerprint", str_or_null(o->fingerprint));
	json_object_set_new(r, "crash_time", str_or_null(o->crash_time));
	json_object_set_new(r, "sha256", str_or_null(o->sha256));
	json_object_set_new(r, "status", json_string(batch_status_name(status)));
	json_object_set_new(r, "error",
			    status >= BATCH_ERROR ? str_or_null(error)
						 : json_null());
	json_object_set_new(r, "exit_code",
			    o->signal ? json_null() : json_integer(o->exit_code));
	json_object_set_new(r, "signal", json_integer(o->signal));
	json_object_set_new(r, "duration_ms", json_integer(o->duration_ms));
}

/* The kernel and the dump: kernel to worst_severity. */
static void record_set_dump(json_t *r, const struct batch_outcome *o,
			    json_t *report, json_t *dump)
{
	json_object_set_new(r, "kernel", record_kernel(o, report, dump));
	json_object_set_new(
		r, "kernel_version",
		report ? pick_string(json_object_get(report, "kernel"),
				     "version")
		       : json_null());
	json_object_set_new(r, "build_id",
			    dump ? pick_string(dump, "build_id")
				 : str_or_null(o->build_id_hint));
	json_object_set_new(r, "format",
			    dump ? pick_string(dump, "format") : json_null());
	json_object_set_new(r, "arch",
			    dump ? pick_string(dump, "arch") : json_null());
	json_object_set_new(r, "type_source",
			    dump ? pick_string(dump, "type_source")
				 : json_null());
	json_object_set_new(r, "worst_severity",
			    report ? pick_string(report, "worst_severity")
				   : json_null());
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

json_t *batch_record_build(const struct batch_outcome *o)
{
	enum batch_status status = o->status;
	const char *error = o->error;
	json_t *report = o->report;
	struct record_lists lists;

	if (report && (!json_is_object(report) ||
		       !json_is_array(json_object_get(report, "mms")))) {
		report = NULL;
		status = BATCH_ERROR;
		error = "the child's report is not an mmlife JSON report";
	}
	if (!report && (status == BATCH_OK || status == BATCH_FINDINGS)) {
		status = BATCH_ERROR;
		if (!error)
			error = "the child gave no report";
	}
	json_t *dump = report ? json_object_get(report, "dump") : NULL;
	json_t *counts = report ? json_object_get(report, "counts") : NULL;
	record_lists_build(report, &lists);
	if (report)
		status = lists.nfindings > lists.ndump ? BATCH_FINDINGS
			 : lists.ndump		      ? BATCH_INCOMPLETE
						      : BATCH_OK;

	json_t *r = json_object();
	record_set_run(r, o, status, error);
	record_set_dump(r, o, report, dump);
	record_set_lists(r, counts, &lists);
	json_object_set_new(r, "tool_version", json_string(MMLIFE_VERSION));
	json_object_set_new(r, "host", str_or_null(o->host));
	json_object_set_new(r, "scanned_at", str_or_null(o->scanned_at));
	return r;
}
