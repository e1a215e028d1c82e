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

/* What a finding is about: the kernel's state, or the dump itself (pages
 * it lacks). A dump finding never says anything about the kernel. */
enum mml_finding_class {
	MML_CLASS_KERNEL = 0,
	MML_CLASS_DUMP,
};
const char *mml_finding_class_name(enum mml_finding_class c);

/* One entry of the check catalogue (lib/checks.c). */
struct mml_check {
	const char *id;            /* stable, e.g. "xa-zero" */
	enum mml_severity severity;
	const char *title;         /* short noun phrase */
	const char *meaning;       /* one or two sentences for the README */
	enum mml_finding_class finding_class;
};

/* Every finding id, in the catalogue's order: mml_checks[] is indexed by
 * it, so a finding is started by a name the compiler knows. */
enum mml_check_id {
	MML_CHECK_XA_ZERO,
	MML_CHECK_STALE_VMA,
	MML_CHECK_ORPHAN_FORK,
	MML_CHECK_ORPHAN_HELD,
	MML_CHECK_ORPHAN_LEAKED,
	MML_CHECK_SLAB_FREELIST,
	MML_CHECK_EMPTY_LIVE_MM,
	MML_CHECK_FLAGS_MISMATCH,
	MML_CHECK_MAP_COUNT,
	MML_CHECK_VMA_RANGE,
	MML_CHECK_PIVOT_ORDER,
	MML_CHECK_METADATA,
	MML_CHECK_PARENT_SLOT,
	MML_CHECK_DEAD_NODE,
	MML_CHECK_NODE_TYPE,
	MML_CHECK_TREE_HEIGHT,
	MML_CHECK_GAP_VALUE,
	MML_CHECK_GAP_RANGE,
	MML_CHECK_GAP_META,
	MML_CHECK_GAP_PAST_END,
	MML_CHECK_ADJACENT_NULLS,
	MML_CHECK_BAD_ENTRY,
	MML_CHECK_NO_RCU,
	MML_CHECK_UNREADABLE,
	MML_CHECK_EXCLUDED_PAGE,
	MML_CHECK_DUMP_INCOMPLETE,
	MML_CHECK_WALK_LIMIT,
	MML_CHECK_TASK_LIST,
	MML_CHECK_COUNT,
};

/* The catalogue, indexed by enum mml_check_id and terminated by an entry
 * whose id is NULL (at MML_CHECK_COUNT). */
extern const struct mml_check mml_checks[];
const struct mml_check *mml_check_find(const char *id);
/* Whether @check is the catalogue's entry @id. */
static inline bool mml_check_is(const struct mml_check *check,
				enum mml_check_id id)
{
	return check == &mml_checks[id];
}

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

/* What a page the dump lacks was to hold (excluded-page findings), in the
 * order the dump-incomplete finding lists them. */
enum mml_lost_object {
	MML_LOST_NONE = 0,         /* not an excluded-page finding */
	MML_LOST_TASK_STRUCT,
	MML_LOST_THREAD_LIST,
	MML_LOST_MMLIST,
	MML_LOST_MM_STRUCT,
	MML_LOST_MAPLE_NODE,
	MML_LOST_VMA,
	MML_LOST_SLAB_PAGE,
	MML_LOST_SLAB_FREELIST,
	/* A task-list entry: dump-incomplete counts the tasks behind it
	 * (tasks_not_checked), not the entry. */
	MML_LOST_TASK_LIST,
	MML_LOST_COUNT,
};
/* "task_struct", "maple node", ...: the excluded-page "what" evidence. */
const char *mml_lost_object_name(enum mml_lost_object what);

struct mml_finding {
	const struct mml_check *check;
	enum mml_severity severity;
	char *summary;             /* owned, one line */
	uint64_t mm;               /* 0 when not about one mm */
	struct mml_evidence *evidence;
	size_t nevidence;
	/* excluded-page: what was lost, for how many objects (1 unless the
	 * finding stands for several: its "occurrences"). */
	enum mml_lost_object lost;
	uint64_t lost_count;
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

/*
 * What the per-mm checks (lib/mm_checks.c) established about a failed
 * fork, typed, for the verdicts (lib/verdict.c); the findings' evidence
 * renders the same values for a reader. Set only with the finding named.
 */
struct mml_mm_facts {
	/* xa-zero: the tree holds a failed fork's marker. */
	bool marker;
	uint64_t marker_first, marker_last; /* the first marker's range */
	uint64_t child_vmas;       /* this mm's VMAs, before the marker */
	uint64_t after_marker;     /* entries after the marker */
	/* stale-vma: VMAs of other mms in the tree (all of them), and the
	 * first such mm, the failed fork's parent after a marker. */
	uint64_t stale_vmas;
	uint64_t stale_mm;
	/* orphan-fork: the mm is a failed fork's child no task uses. */
	bool failed_fork;
	uint64_t parent_mm;        /* 0: not found */
	const char *parent_found_by; /* static; NULL without a parent */
	/* empty-live-mm: a live task's mm with no VMA. */
	bool empty_live;
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
	struct mml_mm_facts facts;
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
	/* The deep scan (all 0 without it): */
	uint64_t slab_objects;     /* allocated mm_struct objects found */
	uint64_t slab_pages;       /* pages the slab walk read */
	uint64_t slab_ms;          /* its wall time */
};

/* The ways mms are found, cheapest first (README.md, "Finding every mm"). */
enum mml_discovery_path {
	MML_PATH_TASKS,            /* task->mm of every thread */
	MML_PATH_MMLIST,           /* init_mm.mmlist (mms with swap) */
	MML_PATH_SLAB_LISTS,       /* per-cpu and partial mm_struct slabs */
	MML_PATH_MEMMAP,           /* full slabs, found in the memmap */
	MML_NPATHS,
};
const char *mml_discovery_path_name(enum mml_discovery_path path);

struct mml_discovery_step {
	bool ran;
	uint64_t mms;              /* mms no earlier path found */
	uint64_t ms;               /* wall time (slab paths) */
	char *note;                /* why it ran or not; owned, may be NULL */
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

/* ---- upstream fixes and verdicts (lib/fixes.c, lib/verdict.c) ---- */

/* A stable-branch backport of a fix. */
struct mml_fix_backport {
	const char *branch;        /* "6.12" */
	const char *release;       /* first release of that branch with it */
	bool verified;             /* seen in a changelog or announcement */
	const char *commit;        /* the stable branch's own commit, or NULL */
};

#define MML_FIX_MAX_BACKPORTS 4
#define MML_FIX_MAX_IDS 6
#define MML_FIX_MAX_CALLS 10

enum mml_fix_role {
	MML_FIX_FIX = 0,           /* a fix */
	MML_FIX_CAUSE,             /* the change that made the state possible */
};

/* One entry of the fix catalogue (lib/fixes.c). */
struct mml_fix {
	const char *id;            /* stable key, e.g. "swapoff-stable-mm" */
	const char *name;          /* a short name, "swapoff stable-mm check" */
	enum mml_fix_role role;
	const char *commit;        /* mainline id (12+ hex), NULL if unknown */
	bool commit_verified;
	const char *title;
	const char *author;
	const char *lore;          /* a link to the patch or its thread */
	bool lore_verified;        /* false: a search link or a third party */
	const char *first_release; /* first mainline release, "6.13" */
	bool release_verified;
	const char *affected_from; /* first release with the bug, or NULL */
	struct mml_fix_backport stable[MML_FIX_MAX_BACKPORTS];
	/* The checks whose findings it concerns (entries of mml_checks[]). */
	const struct mml_check *findings[MML_FIX_MAX_IDS];
	const char *calls[MML_FIX_MAX_CALLS];    /* kernel functions (oopses) */
	const char *symbol;        /* a function the change adds, or NULL */
	bool symbol_of_series;     /* the symbol is a sibling patch's */
	/* The symbol is static, may be inlined or depends on the config:
	 * its absence from the symbol table never decides "absent". */
	bool symbol_static;
	/* The symbol is tied to the change by a source reading only: its
	 * presence is evidence, never certain. */
	bool symbol_inferred;
	const char *type;          /* a struct the change adds, or NULL */
	const char *type_commit;   /* the sibling commit that adds it, or NULL */
	bool skips_unstable;       /* the fixed path skips an MMF_UNSTABLE mm */
	const char *what;          /* what it changes, one sentence */
	const char *unverified;    /* facts not verified, or NULL */
	/* Where the facts were verified: lore message, CVE, stable review or
	 * release announcement, branch-push mail. */
	const char *source;
	/* What a kernel without it does, and how a dump shows that or its
	 * absence; NULL where the verdicts say it. */
	const char *symptom;
};

/* The catalogue, terminated by an entry whose id is NULL. */
extern const struct mml_fix mml_fixes[];
/* By id, or by a commit prefix of at least 7 hex digits. */
const struct mml_fix *mml_fix_find(const char *key);

enum mml_presence {
	MML_PRESENCE_UNKNOWN = 0,
	MML_PRESENCE_PRESENT,
	MML_PRESENCE_ABSENT,
	MML_PRESENCE_NOT_NEEDED,   /* the kernel cannot have the bug */
};

enum mml_method {
	MML_METHOD_NONE = 0,
	MML_METHOD_SYMBOL,         /* a symbol the change adds */
	MML_METHOD_TYPE,           /* a type the change adds */
	MML_METHOD_STATE,          /* the dump's own state */
	MML_METHOD_VERSION,        /* release + backport table: by version only */
};

const char *mml_presence_name(enum mml_presence p);
const char *mml_method_name(enum mml_method m);

/* One verdict: a problem seen in the dump and one fix that concerns it.
 * Verdicts of one problem are adjacent and share problem/what/evidence. */
struct mml_verdict {
	const char *problem;       /* stable id, e.g. "failed-fork-marker" */
	char *title;               /* the problem in a few words */
	char *what;                /* what happened */
	char *evidence;            /* what in the dump shows it */
	const struct mml_fix *fix; /* NULL: no fix concerns it */
	enum mml_presence presence;
	enum mml_method method;
	char *method_detail;       /* "symbol tear_down_vmas", "flags set" */
	bool certain;              /* false: never stated as certain */
	char *note;                /* correlation or caveat, or NULL */
	uint64_t mm;               /* the mm concerned, or 0 */
	/* An oops matched to a fix: by "state" (the dump shows a state the
	 * fix concerns), "address" (a fault address read through XA_ZERO),
	 * or "call-path" alone; NULL for other verdicts. */
	const char *match;
	/* The dump's own evidence (symbol, type, state) decided against what
	 * the release and the backport table say: a vendor backport, or a
	 * build without the fix; method_detail says both. */
	bool contradicts_version;
};

/* ---- the kernel log (lib/printk.c, lib/oops.c) ---- */

struct mml_oops {
	bool found;
	const char *kind;          /* "oops", "bug", "panic", "warning" */
	char *message;             /* the line that starts it */
	char *panic;               /* "Kernel panic - not syncing: ..." */
	char *rip;                 /* "0010:unuse_vma+0x5a/0x2b0" */
	char *rip_function;        /* "unuse_vma" */
	/* How the log names the faulting instruction's address: "RIP"
	 * (x86_64) or "pc" (arm64); NULL when rip is. */
	const char *rip_label;
	uint64_t fault_address;    /* "for address: ...", if given */
	bool have_fault_address;
	char **trace;              /* call trace functions, '?' ones left out */
	size_t ntrace;
	int32_t cpu, pid;          /* -1 when not given */
	char comm[17];
	bool sysrq;                /* a deliberate sysrq-c crash */
	char *correlation;         /* what it matches, or NULL */
};

struct mml_log {
	bool read;                 /* the ring buffer was read */
	char *unavailable;         /* why not, or NULL */
	uint64_t records;          /* records read */
	uint64_t skipped;          /* records not readable or not finished */
	uint64_t first_seq, last_seq;
	char **lines;              /* the last lines, "[    5.297873] text" */
	size_t nlines;
	/* The event that took the machine down (kind "oops", "bug", "panic"),
	 * or, with none of those, the first WARNING (kind "warning"). */
	struct mml_oops oops;
	/* The other WARNING reports (kind "warning"), oldest first. */
	struct mml_oops *warnings;
	size_t nwarnings;
	/* The last OOM-killer or allocation-failure report (kind "oom" or
	 * "alloc-failure"): the allocation a failed fork may have hit. */
	struct mml_oops oom;
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
	/* Of the kernel findings only; dump findings are counted apart. */
	enum mml_severity worst;
	bool any_findings;
	size_t dump_findings;      /* findings of class MML_CLASS_DUMP */
	/* What the core read from init_uts_ns (or was given); owned. */
	char *kernel_release;
	char *kernel_version;
	struct mml_verdict *verdicts;
	size_t nverdicts;
	struct mml_log log;
	/* How mms were found: "default", "fast", "deep", "selected". */
	const char *discovery_mode;
	struct mml_discovery_step discovery[MML_NPATHS];
	/* Mms the slab walk listed that no path counts new because the
	 * tasks named them only as a kernel thread's lazy-TLB active_mm or
	 * as text_poke's poking_mm: with the paths' counts, counts.mms. */
	uint64_t discovery_known;
};

void mml_report_destroy(struct mml_report *report);
void mml_verdict_free(struct mml_verdict *v);
void mml_log_deinit(struct mml_log *log);
void mml_dump_info_deinit(struct mml_dump_info *info);

#endif /* MMLIFE_MODEL_H */
