/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The report model: what the core found in one dump. Text, JSON and the
 * batch database are renderings of this one model (report.h).
 */
#ifndef MMLIFE_MODEL_H
#define MMLIFE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mml_severity {
	MML_SEV_INFO = 0,
	MML_SEV_WARNING,
	MML_SEV_ERROR,
	MML_SEV_CRITICAL,
};

const char *mml_severity_name(enum mml_severity sev);
/* Parse "info", "warning", "error", "critical"; false if none. */
bool mml_severity_parse(const char *s, enum mml_severity *ret);

/* One entry of the check catalogue (lib/checks.c). */
struct mml_check {
	const char *id;            /* stable, e.g. "xa-zero" */
	enum mml_severity severity;
	const char *title;         /* short noun phrase */
	const char *meaning;       /* one or two sentences for the README */
};

/* The catalogue, terminated by an entry whose id is NULL. */
extern const struct mml_check mml_checks[];
const struct mml_check *mml_check_find(const char *id);

enum mml_evidence_type {
	MML_EV_ADDR,   /* kernel address, printed 0x%016llx */
	MML_EV_HEX,    /* a value best read in hex (flags) */
	MML_EV_U64,
	MML_EV_I64,
	MML_EV_RANGE,  /* [first, last] inclusive, hex */
	MML_EV_STR,
	MML_EV_BOOL,
};

struct mml_evidence {
	const char *key;           /* static string */
	enum mml_evidence_type type;
	union {
		uint64_t u;
		int64_t i;
		bool b;
		struct {
			uint64_t first, last;
		} range;
		char *str;         /* owned */
	};
};

struct mml_finding {
	const struct mml_check *check;
	enum mml_severity severity;
	char *summary;             /* owned, one line */
	uint64_t mm;               /* 0 when not about one mm */
	struct mml_evidence *evidence;
	size_t nevidence;
};

struct mml_task_ref {
	uint64_t task;
	int32_t pid;
	int32_t tgid;
	char comm[17];
	bool kthread;
	bool exiting;              /* PF_EXITING or exit_state set */
};

enum mml_mm_source {
	MML_SOURCE_TASK = 1 << 0,
	MML_SOURCE_MMLIST = 1 << 1,
	MML_SOURCE_SLAB = 1 << 2,
	MML_SOURCE_USER = 1 << 3,   /* asked for by address */
};

struct mml_tree_summary {
	bool walked;               /* false: tree not decoded (unreadable mm) */
	bool complete;             /* every node read and decoded */
	bool rcu;                  /* MT_FLAGS_USE_RCU set */
	uint32_t height;           /* from ma_flags */
	uint32_t depth;            /* depth of the deepest leaf reached */
	uint64_t nodes;
	uint64_t entries;          /* non-NULL leaf entries */
	uint64_t vmas;             /* entries that are this mm's VMAs */
	uint64_t foreign;          /* VMAs of another mm (vm_mm != mm) */
	uint64_t xa_zero;          /* XA_ZERO_ENTRY markers */
	uint64_t bad;              /* entries that are not VMAs at all */
};

struct mml_mm {
	uint64_t addr;
	unsigned int sources;      /* enum mml_mm_source bits */
	bool readable;
	uint64_t flags;
	int32_t map_count;
	int32_t mm_users;
	int32_t mm_count;
	uint64_t ma_root;
	uint32_t ma_flags;
	struct mml_task_ref *tasks;
	size_t ntasks;
	struct mml_tree_summary tree;
	size_t first_finding;      /* index into report->findings */
	size_t nfindings;
};

struct mml_counts {
	uint64_t tasks;            /* threads walked, idle tasks included */
	uint64_t thread_groups;
	uint64_t kthreads;
	uint64_t mms;              /* distinct mms examined */
	uint64_t vmas;
	uint64_t nodes;
	uint64_t pages_read;       /* distinct pages fetched from the target */
	uint64_t excluded_reads;   /* reads that hit excluded pages */
};

/* What the front end knows about the dump; all strings owned. */
struct mml_dump_info {
	char *path;
	char *format;              /* "kdump (zlib)", "elf", "live crash session" */
	char *release;
	char *build_id;
	char *arch;
	uint64_t kaslr_offset;
	char *type_source;         /* "dwarf", "btf", "crash" */
	char *front_end;           /* "cli", "crash" */
};

struct mml_report {
	struct mml_dump_info dump;
	struct mml_counts counts;
	struct mml_mm *mms;
	size_t nmms;
	/* All findings, grouped by mm in the order of mms; then global ones. */
	struct mml_finding *findings;
	size_t nfindings;
	/* Problems met while analysing that are not findings about an mm. */
	char **errors;
	size_t nerrors;
	enum mml_severity worst;
	bool any_findings;
};

void mml_report_destroy(struct mml_report *report);
void mml_dump_info_deinit(struct mml_dump_info *info);

#endif /* MMLIFE_MODEL_H */
