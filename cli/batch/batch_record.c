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
 *
 * kernel to errors come from the analysis's report, cut to these fields
 * in the worker (batch_digest.c); the rest is the parent's: the file,
 * how the child ended, the header hints.
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

/* A string of the digest, or null. */
static json_t *pick_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_incref(v) : json_null();
}

static json_int_t count_of(json_t *counts, const char *key)
{
	return json_integer_value(json_object_get(counts, key));
}

/* The kernel release: the digest's, else what the worker read from
 * VMCOREINFO. */
static json_t *record_kernel(const struct batch_outcome *o, json_t *digest)
{
	json_t *kernel = pick_string(digest, "kernel");
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

/* The kernel and the dump: kernel to worst_severity, from the digest
 * (null without one). */
static void record_set_dump(json_t *r, const struct batch_outcome *o,
			    json_t *digest)
{
	json_object_set_new(r, "kernel", record_kernel(o, digest));
	json_object_set_new(r, "kernel_version",
			    pick_string(digest, "kernel_version"));
	/* No build_id in the digest: its report had no dump block. */
	json_object_set_new(r, "build_id",
			    json_object_get(digest, "build_id")
				    ? pick_string(digest, "build_id")
				    : str_or_null(o->build_id_hint));
	json_object_set_new(r, "format", pick_string(digest, "format"));
	json_object_set_new(r, "arch", pick_string(digest, "arch"));
	json_object_set_new(r, "type_source",
			    pick_string(digest, "type_source"));
	json_object_set_new(r, "worst_severity",
			    pick_string(digest, "worst_severity"));
}

/* The counts and the lists: the digest's, else zeros and empty lists. */
static void record_set_lists(json_t *r, json_t *digest)
{
	static const char *const lists[] = { "mms", "findings", "verdicts",
					     "errors" };
	json_t *counts = json_object_get(digest, "counts");

	json_object_set_new(
		r, "counts",
		json_pack("{s:I,s:I,s:I,s:I,s:I}", "tasks",
			  count_of(counts, "tasks"), "mms",
			  count_of(counts, "mms"), "vmas",
			  count_of(counts, "vmas"), "findings",
			  count_of(counts, "findings"), "dump_findings",
			  count_of(counts, "dump_findings")));
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		json_t *v = json_object_get(digest, lists[i]);
		json_object_set_new(r, lists[i], json_is_array(v)
							 ? json_incref(v)
							 : json_array());
	}
}

json_t *batch_record_build(const struct batch_outcome *o)
{
	enum batch_status status = o->status;
	const char *error = o->error;
	json_t *digest = o->digest;

	if (digest && (!json_is_object(digest) ||
		       !json_is_array(json_object_get(digest, "mms")))) {
		digest = NULL;
		status = BATCH_ERROR;
		error = "the child's report is not an mmlife JSON report";
	}
	if (!digest && (status == BATCH_OK || status == BATCH_FINDINGS)) {
		status = BATCH_ERROR;
		if (!error)
			error = "the child gave no report";
	}
	if (digest) {
		json_t *counts = json_object_get(digest, "counts");
		json_int_t n = count_of(counts, "findings");
		json_int_t ndump = count_of(counts, "dump_findings");
		status = n > ndump ? BATCH_FINDINGS
			 : ndump   ? BATCH_INCOMPLETE
				   : BATCH_OK;
	}

	json_t *r = json_object();
	record_set_run(r, o, status, error);
	record_set_dump(r, o, digest);
	record_set_lists(r, digest);
	json_object_set_new(r, "tool_version", json_string(MMLIFE_VERSION));
	json_object_set_new(r, "host", str_or_null(o->host));
	json_object_set_new(r, "scanned_at", str_or_null(o->scanned_at));
	return r;
}
