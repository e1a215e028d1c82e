// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The oops or panic in the kernel log: its first line, the RIP function,
 * the reliable call trace functions, and the CPU, pid and comm of the
 * task, as the x86 (and arm64 "pc :") reports print them.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oops.h"

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

enum start_kind { START_NONE, START_OOPS, START_BUG, START_PANIC,
		  START_WARNING };

static enum start_kind start_kind(const char *line)
{
	const char *s = skip_space(line);
	if (starts(s, "BUG: unable to handle") ||
	    starts(s, "BUG: kernel NULL pointer dereference") ||
	    starts(s, "Oops: ") || starts(s, "Oops:") ||
	    strstr(s, "general protection fault") == s ||
	    starts(s, "Unable to handle kernel") ||
	    starts(s, "Internal error: "))
		return START_OOPS;
	if (starts(s, "kernel BUG at ") || starts(s, "BUG: "))
		return START_BUG;
	if (starts(s, "Kernel panic - not syncing"))
		return START_PANIC;
	if (starts(s, "WARNING: "))
		return START_WARNING;
	return START_NONE;
}

/* "... address: 0000000000000406" or "... at 0000000000000406" */
static bool fault_address(const char *line, uint64_t *ret)
{
	const char *p = strstr(line, "address: ");
	if (p)
		p += strlen("address: ");
	else if ((p = strstr(line, "paging request at ")))
		p += strlen("paging request at ");
	else if ((p = strstr(line, "virtual address ")))
		p += strlen("virtual address ");
	else
		return false;
	char *end;
	uint64_t v = strtoull(p, &end, 16);
	if (end == p)
		return false;
	*ret = v;
	return true;
}

/* The function of "func+0x1a/0x20 [mod]", or NULL. Owned by the caller. */
static char *function_of(const char *s)
{
	s = skip_space(s);
	const char *plus = strstr(s, "+0x");
	if (!plus || plus == s)
		return NULL;
	for (const char *p = s; p < plus; p++)
		if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '.' ||
		      *p == '$'))
			return NULL;
	return strndup(s, (size_t)(plus - s));
}

/* "CPU: 1 UID: 0 PID: 1 Comm: init Not tainted ..." */
static bool parse_cpu_line(const char *line, struct mml_oops *o)
{
	const char *s = skip_space(line);
	if (!starts(s, "CPU: "))
		return false;
	const char *pid = strstr(s, " PID: ");
	const char *comm = strstr(s, " Comm: ");
	if (!pid || !comm)
		return false;
	o->cpu = (int32_t)strtol(s + 5, NULL, 10);
	o->pid = (int32_t)strtol(pid + 6, NULL, 10);
	comm += 7;
	size_t len = 0;
	while (comm[len] && comm[len] != ' ' && len < sizeof(o->comm) - 1)
		len++;
	memcpy(o->comm, comm, len);
	o->comm[len] = '\0';
	return true;
}

/* "RIP: 0010:unuse_vma+0x5a/0x2b0" (kernel mode) or "pc : func+0x..". */
static bool parse_rip(const char *line, struct mml_oops *o)
{
	const char *s = skip_space(line);
	const char *v;
	if (starts(s, "RIP: ")) {
		v = s + 5;
		const char *colon = strchr(v, ':');
		if (!colon || colon - v != 4)
			return false;
		v = colon + 1;
	} else if (starts(s, "pc : ")) {
		v = s + 5;
	} else {
		return false;
	}
	char *fn = function_of(v);
	if (!fn)
		return false;   /* user mode: "RIP: 0033:0x47b7a0" */
	o->rip_function = fn;
	o->rip_label = starts(s, "pc : ") ? "pc" : "RIP";
	o->rip = strdup(skip_space(s + 5));
	return o->rip != NULL;
}

/* A stack marker: <TASK>, </TASK>, <IRQ>, <NMI>, <SOFTIRQ>, and the
 * exception stacks <#DB>, <#DF>, <#MC>, <#VC> of 6.x and 7.x x86-64. */
static bool is_marker(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || s[0] != '<' || s[n - 1] != '>')
		return false;
	for (size_t i = 1; i < n - 1; i++)
		if (!(isupper((unsigned char)s[i]) || s[i] == '#' ||
		      (i == 1 && s[i] == '/')))
			return false;
	return true;
}

/* A line of the register dump an exception frame prints inside a call
 * trace (x86-64 show_regs(): "RIP: ", "Code: ", "RSP: ", "RAX: ", ...). */
static bool is_register_line(const char *s)
{
	static const char *const prefixes[] = {
		"RIP: ", "Code: ", "RSP: ", "RAX: ", "RDX: ", "RBP: ", "R10: ",
		"R13: ", "FS: ", "CS: ", "CR2: ", "DR0: ", "DR3: ", "PKRU: ",
		NULL,
	};
	for (size_t i = 0; prefixes[i]; i++)
		if (starts(s, prefixes[i]))
			return true;
	return false;
}

static bool add_trace(struct mml_oops *o, char *fn)
{
	if (o->ntrace >= MML_OOPS_MAX_TRACE) {
		free(fn);
		return true;
	}
	char **t = realloc(o->trace, (o->ntrace + 1) * sizeof(*t));
	if (!t) {
		free(fn);
		return false;
	}
	o->trace = t;
	t[o->ntrace++] = fn;
	return true;
}

/*
 * The lines after "Call Trace:" up to the first that is no frame: stack
 * markers and '?' frames (not reliable) are skipped; an exception frame's
 * register dump is skipped too, and its kernel-mode RIP is the frame the
 * exception interrupted (asm_exc_debug ... RIP: 0010:prepare_creds+0x..
 * ... bprm_execve); the trace ends at </TASK>.
 */
static bool parse_trace(const char *const *lines, size_t i, size_t end,
			struct mml_oops *o)
{
	for (; i < end; i++) {
		const char *s = skip_space(lines[i]);
		if (!strcmp(s, "</TASK>"))
			break;
		if (is_marker(s))
			continue;
		if (s[0] == '?' && s[1] == ' ')
			continue; /* not reliable */
		char *fn = NULL;
		if (starts(s, "RIP: ")) {
			const char *v = strchr(s + 5, ':');
			if (v && v - (s + 5) == 4 && !starts(s + 5, "0033"))
				fn = function_of(v + 1);
			if (!fn)
				continue;
		} else if (is_register_line(s)) {
			continue;
		} else if (!(fn = function_of(s))) {
			break;
		}
		if (!add_trace(o, fn))
			return false;
	}
	return true;
}

static bool parse_block(const char *const *lines, size_t start, size_t n,
			struct mml_oops *o);

/* The line that states a report of its own: "Oops:" (x86) and arm64's
 * "Internal error: ..." follow the line that says what happened. */
static bool is_die_line(const char *s)
{
	return starts(s, "Oops:") || starts(s, "Internal error: ");
}

/*
 * x86's "BUG: unable to handle ..." is followed by "#PF:" lines, the page
 * table entries and "Oops:"; arm64's "Unable to handle kernel ..." (or
 * "kernel BUG at") by "Mem abort info:" and "Data abort info:" with their
 * ESR fields, the page table and its entries (arch/arm64/mm/fault.c:
 * mem_abort_decode(), show_pte(); up to 15 lines in 6.x), then "Internal
 * error: Oops: <ESR> [#1] ..." (arch/arm64/kernel/traps.c: __die()). The
 * report starts at the first of them.
 */
static size_t report_head(const char *const *lines, size_t i)
{
	const char *s = skip_space(lines[i]);
	if (!is_die_line(s))
		return i;
	size_t reach = starts(s, "Oops:") ? 6 : 24;
	for (size_t j = i, k = 0; j-- > 0 && k < reach; k++) {
		enum start_kind kind = start_kind(lines[j]);
		if ((kind == START_OOPS || kind == START_BUG) &&
		    !is_die_line(skip_space(lines[j])))
			return j;
	}
	return i;
}

/*
 * The event that took the machine down: with a "Kernel panic - not
 * syncing", the last oops or BUG before it (what led to it: any distance
 * before "Fatal exception", else within MML_OOPS_SCAN_LINES lines), or
 * the last WARNING before it when the panic says panic_on_warn, else the
 * panic itself; without a panic, the first oops or BUG; else the first WARNING.
 * Returns the line, or @n; @kind_ret gets its kind.
 */
static size_t pick_event(const char *const *lines, size_t n,
			 enum start_kind *kind_ret)
{
	size_t panic = n, first_bad = n;
	for (size_t i = 0; i < n && panic == n; i++) {
		enum start_kind k = start_kind(lines[i]);
		if (k == START_PANIC)
			panic = i;
		else if ((k == START_OOPS || k == START_BUG) && first_bad == n)
			first_bad = i;
	}
	if (panic < n) {
		bool on_warn = strstr(lines[panic], "panic_on_warn") != NULL;
		/* "Fatal exception" follows its oops at once; another panic
		 * (hung task, OOM, sysrq) is not blamed on an old oops. */
		size_t reach = strstr(lines[panic], "Fatal exception") ||
				       on_warn
				       ? panic : MML_OOPS_SCAN_LINES;
		for (size_t i = panic; i-- > 0 && panic - i <= reach;) {
			enum start_kind k = start_kind(lines[i]);
			if (k == START_OOPS || k == START_BUG) {
				size_t head = report_head(lines, i);
				/* arm64: "kernel BUG at" comes before
				 * "Internal error: Oops - BUG: ...". */
				*kind_ret = starts(skip_space(lines[i]),
						   "Internal error: ")
						    ? start_kind(lines[head])
						    : k;
				return head;
			}
			if (k == START_WARNING && on_warn) {
				*kind_ret = k;
				return i;
			}
		}
		*kind_ret = START_PANIC;
		return panic;
	}
	if (first_bad < n) {
		*kind_ret = start_kind(lines[first_bad]);
		return first_bad;
	}
	for (size_t i = 0; i < n; i++) {
		if (start_kind(lines[i]) == START_WARNING) {
			*kind_ret = START_WARNING;
			return i;
		}
	}
	return n;
}

/* Fill @o from the report that starts at @start. */
static bool parse_event(const char *const *lines, size_t n, size_t start,
			enum start_kind kind, struct mml_oops *o)
{
	o->found = true;
	o->kind = kind == START_OOPS ? "oops" : kind == START_BUG ? "bug"
		  : kind == START_PANIC ? "panic" : "warning";
	o->message = strdup(skip_space(lines[start]));
	if (!o->message)
		return false;
	o->have_fault_address = fault_address(lines[start], &o->fault_address);
	if (!parse_block(lines, start, n, o))
		return false;
	/* arm64's own words (arch/arm64/mm/fault.c die_kernel_fault(),
	 * traps.c __die()) name its faulting address "pc" even when the
	 * log lacks the pc line. */
	if (!o->rip_label && (starts(o->message, "Unable to handle kernel") ||
			      starts(o->message, "Internal error: ")))
		o->rip_label = "pc";
	return true;
}

bool mml_oops_parse(const char *const *lines, size_t n, struct mml_oops *o)
{
	enum start_kind kind = START_NONE;

	memset(o, 0, sizeof(*o));
	o->cpu = o->pid = -1;
	size_t start = pick_event(lines, n, &kind);
	if (start == n)
		return true;
	for (size_t i = start; i < n; i++) {
		if (start_kind(lines[i]) == START_PANIC) {
			o->panic = strdup(skip_space(lines[i]));
			if (!o->panic)
				return false;
			break;
		}
	}
	if (!parse_event(lines, n, start, kind, o))
		return false;
	const char *sysrq = "sysrq triggered crash";
	o->sysrq = strstr(o->message, sysrq) ||
		   (o->panic && strstr(o->panic, sysrq));
	for (size_t i = 0; i < o->ntrace && !o->sysrq; i++)
		if (!strncmp(o->trace[i], "sysrq_handle_crash", 18))
			o->sysrq = true;
	return true;
}

bool mml_warnings_parse(const char *const *lines, size_t n,
			const struct mml_oops *event, struct mml_oops **ret,
			size_t *nret)
{
	*ret = NULL;
	*nret = 0;
	for (size_t i = 0; i < n && *nret < MML_OOPS_MAX_WARNINGS; i++) {
		if (start_kind(lines[i]) != START_WARNING)
			continue;
		if (event && event->found && event->message &&
		    !strcmp(event->message, skip_space(lines[i])))
			continue;   /* the event itself */
		struct mml_oops *v = realloc(*ret, (*nret + 1) * sizeof(*v));
		if (!v)
			return false;
		*ret = v;
		struct mml_oops *w = &v[(*nret)++];
		memset(w, 0, sizeof(*w));
		w->cpu = w->pid = -1;
		if (!parse_event(lines, n, i, START_WARNING, w))
			return false;
	}
	return true;
}

bool mml_oops_parse_report(const char *const *lines, size_t n, size_t start,
			   struct mml_oops *o)
{
	memset(o, 0, sizeof(*o));
	o->cpu = o->pid = -1;
	if (start >= n)
		return true;
	o->found = true;
	o->kind = "report";
	o->message = strdup(skip_space(lines[start]));
	return o->message && parse_block(lines, start, n, o);
}

static bool is_alloc_report(const char *line)
{
	return strstr(line, " invoked oom-killer: ") ||
	       strstr(line, ": page allocation failure: ");
}

bool mml_oom_parse(const char *const *lines, size_t n, struct mml_oops *o)
{
	size_t start = n;

	memset(o, 0, sizeof(*o));
	o->cpu = o->pid = -1;
	for (size_t i = n; i-- > 0;) {
		if (is_alloc_report(lines[i])) {
			start = i;
			break;
		}
	}
	if (start == n)
		return true;
	o->found = true;
	o->kind = strstr(lines[start], "oom-killer") ? "oom" : "alloc-failure";
	o->message = strdup(skip_space(lines[start]));
	return o->message && parse_block(lines, start, n, o);
}

/* CPU/pid/comm, the RIP and the call trace of the report at @start. */
static bool parse_block(const char *const *lines, size_t start, size_t n,
			struct mml_oops *o)
{
	size_t end = start + MML_OOPS_SCAN_LINES < n ? start +
		     MML_OOPS_SCAN_LINES : n;
	bool have_cpu = false, have_trace = false;
	for (size_t i = start; i < end; i++) {
		const char *s = skip_space(lines[i]);
		if (i > start && start_kind(lines[i]) != START_NONE &&
		    start_kind(lines[i]) != START_PANIC &&
		    !is_die_line(s) && have_trace)
			break;  /* the next report */
		if (!have_cpu && parse_cpu_line(s, o))
			have_cpu = true;
		if (!o->rip_function && (starts(s, "RIP: ") ||
					 starts(s, "pc : ")) &&
		    !parse_rip(s, o) && o->rip_function)
			return false;
		if (!have_trace && (starts(s, "Call Trace:") ||
				    starts(s, "Call trace:"))) {
			have_trace = true;
			if (!parse_trace(lines, i + 1, end, o))
				return false;
		}
		if (have_trace && i > start && is_alloc_report(lines[i]))
			break;
	}
	return true;
}

void mml_oops_deinit(struct mml_oops *o)
{
	free(o->message);
	free(o->panic);
	free(o->rip);
	free(o->rip_function);
	for (size_t i = 0; i < o->ntrace; i++)
		free(o->trace[i]);
	free(o->trace);
	free(o->correlation);
	memset(o, 0, sizeof(*o));
}
