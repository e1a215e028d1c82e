// SPDX-License-Identifier: GPL-2.0-or-later
/* The report for programs: one JSON document (schema in README.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <jansson.h>

#include "kconst.h"
#include "mmlife/report.h"

/* Addresses and flags as hex strings: JSON numbers lose 64-bit values.
 * Formatted by hand and stored unchecked (hex digits are ASCII): a
 * report holds five or more per mm, and snprintf() and the UTF-8 check
 * on them were a few per cent of writing the report. */
static json_t *hex(uint64_t v)
{
	char buf[2 + 16];
	char *p = buf + sizeof(buf);
	do {
		*--p = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	return json_stringn_nocheck(p, (size_t)(buf + sizeof(buf) - p));
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *evidence_json(const struct mml_evidence *ev)
{
	switch (ev->type) {
	case MML_EV_ADDR:
	case MML_EV_HEX:
		return hex(ev->u);
	case MML_EV_U64:
		return json_integer((json_int_t)ev->u);
	case MML_EV_I64:
		return json_integer(ev->i);
	case MML_EV_BOOL:
		return json_boolean(ev->b);
	case MML_EV_RANGE:
		return json_pack("{s:o,s:o}", "first", hex(ev->range.first),
				 "last", hex(ev->range.last));
	case MML_EV_STR:
		return str_or_null(ev->str);
	}
	return json_null();
}

static json_t *finding_json(const struct mml_finding *f)
{
	json_t *ev = json_object();
	for (size_t i = 0; i < f->nevidence; i++) {
		const char *key = f->evidence[i].key;
		json_t *v = evidence_json(&f->evidence[i]);
		json_t *old = json_object_get(ev, key);
		if (!old) {
			json_object_set_new(ev, key, v);
		} else {
			/* A repeated key becomes a list. */
			if (!json_is_array(old)) {
				json_t *arr = json_array();
				json_array_append(arr, old);
				json_object_set_new(ev, key, arr);
				old = arr;
			}
			json_array_append_new(old, v);
		}
	}
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "id", f->check->id,
			 "class", mml_finding_class_name(f->check->finding_class),
			 "severity", mml_severity_name(f->severity), "summary",
			 f->summary ? f->summary : "", "mm",
			 f->mm ? hex(f->mm) : json_null(), "evidence", ev);
}

/* Set @key (a literal: ASCII, no check needed) to @v in @o. The per-mm
 * objects are most of a report's JSON on a dump with many processes:
 * json_pack() parses its format and checks every key each time. */
static void put(json_t *o, const char *key, json_t *v)
{
	json_object_set_new_nocheck(o, key, v);
}

static json_t *task_json(const struct mml_task_ref *t)
{
	json_t *o = json_object();
	put(o, "pid", json_integer(t->pid));
	put(o, "tgid", json_integer(t->tgid));
	put(o, "comm", json_string(t->comm));
	put(o, "task", hex(t->task));
	return o;
}

static json_t *sources_json(unsigned int sources)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = { { MML_SOURCE_TASK, "task" },
		      { MML_SOURCE_MMLIST, "mmlist" },
		      { MML_SOURCE_SLAB, "slab" },
		      { MML_SOURCE_USER, "user" } };
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (sources & names[i].bit)
			json_array_append_new(a, json_string_nocheck(names[i].name));
	return a;
}

static json_t *tree_json(const struct mml_tree_summary *t)
{
	json_t *o = json_object();
	put(o, "walked", json_boolean(t->walked));
	put(o, "complete", json_boolean(t->complete));
	put(o, "rcu", json_boolean(t->rcu));
	put(o, "height", json_integer(t->height));
	put(o, "depth", json_integer(t->depth));
	put(o, "nodes", json_integer((json_int_t)t->nodes));
	put(o, "entries", json_integer((json_int_t)t->entries));
	put(o, "vmas", json_integer((json_int_t)t->vmas));
	put(o, "foreign", json_integer((json_int_t)t->foreign));
	put(o, "xa_zero", json_integer((json_int_t)t->xa_zero));
	put(o, "bad", json_integer((json_int_t)t->bad));
	return o;
}

static json_t *mm_json(const struct mml_report *r, const struct mml_mm *mm)
{
	json_t *o = json_object();
	put(o, "address", hex(mm->addr));
	put(o, "sources", sources_json(mm->sources));
	put(o, "readable", json_boolean(mm->readable));
	put(o, "flags", hex(mm->flags));
	put(o, "oom_skip", json_boolean((mm->flags >> MML_MMF_OOM_SKIP) & 1));
	put(o, "unstable", json_boolean((mm->flags >> MML_MMF_UNSTABLE) & 1));
	put(o, "map_count", json_integer(mm->map_count));
	put(o, "mm_users", json_integer(mm->mm_users));
	put(o, "mm_count", json_integer(mm->mm_count));
	put(o, "ma_root", hex(mm->ma_root));
	put(o, "ma_flags", hex(mm->ma_flags));
	json_t *tasks = json_array();
	for (size_t i = 0; i < mm->ntasks; i++)
		json_array_append_new(tasks, task_json(&mm->tasks[i]));
	put(o, "tasks", tasks);
	put(o, "tree", tree_json(&mm->tree));
	json_t *findings = json_array();
	for (size_t i = 0; i < mm->nfindings; i++)
		json_array_append_new(
			findings,
			finding_json(&r->findings[mm->first_finding + i]));
	put(o, "findings", findings);
	return o;
}

static json_t *strings_json(char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *fix_json(const struct mml_fix *fix)
{
	json_t *stable = json_array();
	for (size_t i = 0; i < MML_FIX_MAX_BACKPORTS && fix->stable[i].branch;
	     i++)
		json_array_append_new(
			stable, json_pack("{s:s,s:o,s:b,s:o}", "branch",
					  fix->stable[i].branch, "release",
					  str_or_null(fix->stable[i].release),
					  "verified", fix->stable[i].verified,
					  "commit",
					  str_or_null(fix->stable[i].commit)));
	json_t *findings = json_array(), *calls = json_array();
	for (size_t i = 0; i < MML_FIX_MAX_IDS && fix->findings[i]; i++)
		json_array_append_new(findings,
				      json_string(fix->findings[i]->id));
	for (size_t i = 0; i < MML_FIX_MAX_CALLS && fix->calls[i]; i++)
		json_array_append_new(calls, json_string(fix->calls[i]));
	json_t *o = json_pack(
		"{s:s,s:o,s:s,s:o,s:b,s:s,s:o,s:o,s:b,s:o,s:b}", "id", fix->id,
		"name", str_or_null(fix->name), "role",
		fix->role == MML_FIX_CAUSE ? "cause" : "fix", "commit",
		str_or_null(fix->commit), "commit_verified",
		fix->commit_verified, "title", fix->title, "author",
		str_or_null(fix->author), "lore", str_or_null(fix->lore),
		"lore_verified", fix->lore_verified, "first_release",
		str_or_null(fix->first_release), "release_verified",
		fix->release_verified);
	json_object_set_new(o, "stable", stable);
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "calls", calls);
	json_object_set_new(o, "unverified", str_or_null(fix->unverified));
	json_object_set_new(o, "source", str_or_null(fix->source));
	json_object_set_new(o, "symptom", str_or_null(fix->symptom));
	return o;
}

struct mml_error *mml_fixes_write_json(FILE *out)
{
	json_t *fixes = json_array();
	for (const struct mml_fix *f = mml_fixes; f->id; f++)
		json_array_append_new(fixes, fix_json(f));
	json_t *root = json_pack("{s:i,s:o}", "schema_version",
				 MML_JSON_SCHEMA_VERSION, "fixes", fixes);
	if (!root)
		return &mml_enomem;
	int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (rc || fputc('\n', out) == EOF)
		return mml_error_create(MML_ERROR_OS, "writing JSON failed");
	return NULL;
}

static json_t *verdict_json(const struct mml_verdict *v)
{
	json_t *o = json_pack("{s:s,s:o,s:o,s:o,s:o}", "problem", v->problem,
			      "title", str_or_null(v->title), "what",
			      str_or_null(v->what), "evidence",
			      str_or_null(v->evidence), "mm",
			      v->mm ? hex(v->mm) : json_null());
	json_object_set_new(o, "fix", v->fix ? fix_json(v->fix) : json_null());
	json_object_set_new(o, "presence",
			    json_string(mml_presence_name(v->presence)));
	json_object_set_new(o, "method",
			    json_string(mml_method_name(v->method)));
	json_object_set_new(o, "method_detail", str_or_null(v->method_detail));
	json_object_set_new(o, "certain", json_boolean(v->certain));
	json_object_set_new(o, "contradicts_version",
			    json_boolean(v->contradicts_version));
	json_object_set_new(o, "note", str_or_null(v->note));
	json_object_set_new(o, "match", str_or_null(v->match));
	return o;
}

static json_t *event_json(const struct mml_oops *p)
{
	if (!p->found)
		return json_null();
	json_t *o = json_pack(
		"{s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:o}", "kind", p->kind,
		"message", p->message, "panic", str_or_null(p->panic), "rip",
		str_or_null(p->rip), "rip_function",
		str_or_null(p->rip_function), "fault_address",
		p->have_fault_address ? hex(p->fault_address) : json_null(),
		"cpu", p->cpu >= 0 ? json_integer(p->cpu) : json_null(), "pid",
		p->pid >= 0 ? json_integer(p->pid) : json_null(), "comm",
		p->pid >= 0 ? json_string(p->comm) : json_null(), "sysrq",
		p->sysrq, "correlation", str_or_null(p->correlation));
	json_object_set_new(o, "trace", strings_json(p->trace, p->ntrace));
	return o;
}

static json_t *log_json(const struct mml_log *log)
{
	json_t *o = json_pack("{s:b,s:o}", "available", log->read, "reason",
			      str_or_null(log->unavailable));
	if (!log->read)
		return o;
	json_object_set_new(o, "records", json_integer((json_int_t)log->records));
	json_object_set_new(o, "skipped", json_integer((json_int_t)log->skipped));
	json_object_set_new(o, "first_seq",
			    json_integer((json_int_t)log->first_seq));
	json_object_set_new(o, "last_seq",
			    json_integer((json_int_t)log->last_seq));
	json_object_set_new(o, "lines", strings_json(log->lines, log->nlines));
	json_object_set_new(o, "oops", event_json(&log->oops));
	json_object_set_new(o, "oom", event_json(&log->oom));
	json_t *w = json_array();
	for (size_t i = 0; i < log->nwarnings; i++)
		json_array_append_new(w, event_json(&log->warnings[i]));
	json_object_set_new(o, "warnings", w);
	return o;
}

/* {"mode": ..., "paths": [{"path", "ran", "mms", "note"}]} */
static json_t *discovery_json(const struct mml_report *r)
{
	json_t *paths = json_array();
	for (int p = 0; p < MML_NPATHS; p++) {
		const struct mml_discovery_step *d = &r->discovery[p];
		json_array_append_new(
			paths, json_pack("{s:s,s:b,s:I,s:o}", "path",
					 mml_discovery_path_name(p), "ran",
					 d->ran, "mms", (json_int_t)d->mms,
					 "note", str_or_null(d->note)));
	}
	return json_pack("{s:o,s:o,s:I}", "mode",
			 str_or_null(r->discovery_mode), "paths", paths,
			 "known", (json_int_t)r->discovery_known);
}

struct mml_error *mml_report_json_create(const struct mml_report *r,
					 json_t **ret)
{
	const struct mml_dump_info *d = &r->dump;
	json_t *root = json_object();
	if (!root)
		return &mml_enomem;
	json_object_set_new(root, "schema_version",
			    json_integer(MML_JSON_SCHEMA_VERSION));
	json_object_set_new(root, "tool",
			    json_pack("{s:s,s:s,s:o}", "name", "mmlife",
				      "version", MMLIFE_VERSION, "front_end",
				      str_or_null(d->front_end)));
	json_object_set_new(
		root, "dump",
		json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "path",
			  str_or_null(d->path), "format", str_or_null(d->format),
			  "release", str_or_null(d->release), "build_id",
			  str_or_null(d->build_id), "arch", str_or_null(d->arch),
			  "kaslr_offset", hex(d->kaslr_offset), "type_source",
			  str_or_null(d->type_source)));
	const struct mml_counts *c = &r->counts;
	json_object_set_new(
		root, "counts",
		json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "tasks",
			  (json_int_t)c->tasks, "thread_groups",
			  (json_int_t)c->thread_groups, "kthreads",
			  (json_int_t)c->kthreads, "mms", (json_int_t)c->mms,
			  "vmas", (json_int_t)c->vmas, "nodes",
			  (json_int_t)c->nodes, "findings",
			  (json_int_t)r->nfindings, "pages_read",
			  (json_int_t)c->pages_read, "excluded_reads",
			  (json_int_t)c->excluded_reads));
	json_t *counts = json_object_get(root, "counts");
	json_object_set_new(counts, "kernel_findings",
			    json_integer((json_int_t)(r->nfindings -
						      r->dump_findings)));
	json_object_set_new(counts, "dump_findings",
			    json_integer((json_int_t)r->dump_findings));
	json_object_set_new(counts, "slab_objects",
			    json_integer((json_int_t)c->slab_objects));
	json_object_set_new(counts, "slab_pages",
			    json_integer((json_int_t)c->slab_pages));
	json_object_set_new(counts, "slab_ms",
			    json_integer((json_int_t)c->slab_ms));
	json_object_set_new(root, "discovery", discovery_json(r));
	json_t *mms = json_array();
	size_t in_mms = 0;
	for (size_t i = 0; i < r->nmms; i++) {
		json_array_append_new(mms, mm_json(r, &r->mms[i]));
		in_mms += r->mms[i].nfindings;
	}
	json_object_set_new(root, "mms", mms);
	json_t *global = json_array();
	for (size_t i = in_mms; i < r->nfindings; i++)
		json_array_append_new(global, finding_json(&r->findings[i]));
	json_object_set_new(root, "findings", global);
	json_t *verdicts = json_array();
	for (size_t i = 0; i < r->nverdicts; i++)
		json_array_append_new(verdicts, verdict_json(&r->verdicts[i]));
	json_object_set_new(root, "kernel",
			    json_pack("{s:o,s:o}", "release",
				      str_or_null(r->kernel_release), "version",
				      str_or_null(r->kernel_version)));
	json_object_set_new(root, "verdicts", verdicts);
	json_object_set_new(root, "log", log_json(&r->log));
	json_t *errors = json_array();
	for (size_t i = 0; i < r->nerrors; i++)
		json_array_append_new(errors, json_string(r->errors[i]));
	json_object_set_new(root, "errors", errors);
	json_object_set_new(root, "worst_severity",
			    r->any_findings
				    ? json_string(mml_severity_name(r->worst))
				    : json_null());
	/* The dump lacks pages the analysis needed (dump findings). */
	json_object_set_new(root, "dump_complete",
			    json_boolean(r->dump_findings == 0));
	*ret = root;
	return NULL;
}

struct mml_error *mml_report_write_json(const struct mml_report *r, FILE *out)
{
	json_t *root;
	struct mml_error *err = mml_report_json_create(r, &root);
	if (err)
		return err;
	/* Into memory, then one write: json_dumpf() calls fwrite() for
	 * every token (about 60 M instructions on the bench dump's 1.6 MB). */
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	int rc = !text || fputs(text, out) == EOF;
	free(text);
	fputc('\n', out);
	if (rc)
		return mml_error_create(MML_ERROR_OS, "writing JSON failed");
	return NULL;
}
