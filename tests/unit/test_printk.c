// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The printk ring-buffer reader on fake 6.1, 6.12 and 7.2 layouts (the
 * offsets and sizes of those kernels' types), written the way the kernel
 * lays records out (ids wrapping at the id mask, blocks wrapping to the
 * start of the data ring, overwritten records), and the oops parser on
 * real and synthetic logs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "internal.h"
#include "oops.h"
#include "printk.h"

#define ID_MASK ((1ULL << 62) - 1)
#define STATE(s) ((uint64_t)(s) << 62)

/* ---- fake ring buffers ---- */

enum rb_shape { RB_V61, RB_V612, RB_V72 };

struct rb {
	struct fake *f;
	struct mml_layout layout;
	uint64_t prb, descs, infos, data;
	unsigned int count_bits, size_bits;
	uint64_t head_lpos, next_id, first_id, seq;
	/* per written record, for the expectations */
	struct rec {
		uint64_t id, begin, next, seq;
		char text[128];
	} *recs;
	size_t nrecs;
};

/* The layouts of struct printk_ringbuffer and friends in each kernel
 * (6.1 and 6.12: printk_info of 88 bytes; 7.2: 112, with caller_id2 and
 * comm before dev_info). */
static void rb_layout(struct mml_layout *l, enum rb_shape shape)
{
	l->prb_desc_ring = 0;
	l->prb_text_data_ring = 48;
	l->prb_dr_count_bits = 0;
	l->prb_dr_descs = 8;
	l->prb_dr_infos = 16;
	l->prb_dr_head_id = 24;
	l->prb_dr_tail_id = 32;
	l->prb_data_size_bits = 0;
	l->prb_data_data = 8;
	l->prb_desc_size = 24;
	l->prb_desc_state_var = 0;
	l->prb_desc_text_blk_lpos = 8;
	l->prb_lpos_begin = 0;
	l->prb_lpos_next = 8;
	l->printk_info_size = shape == RB_V72 ? 112 : 88;
	l->printk_info_seq = 0;
	l->printk_info_ts_nsec = 8;
	l->printk_info_text_len = 16;
	l->printk_info_caller_id = 20;
}

static void rb_init(struct rb *rb, enum rb_shape shape, unsigned int cbits,
		    unsigned int sbits, uint64_t first_id)
{
	memset(rb, 0, sizeof(*rb));
	rb->f = fake_new(shape == RB_V61 ? FAKE_V61
			 : shape == RB_V612 ? FAKE_V66 : FAKE_V72);
	rb->layout = *fake_layout(rb->f);
	rb_layout(&rb->layout, shape);
	rb->count_bits = cbits;
	rb->size_bits = sbits;
	rb->prb = fake_alloc(rb->f, 88, 64);
	rb->descs = fake_alloc(rb->f, (1u << cbits) * 24, 64);
	rb->infos = fake_alloc(rb->f, (1u << cbits) *
					      rb->layout.printk_info_size, 64);
	rb->data = fake_alloc(rb->f, 1u << sbits, 4096);
	uint64_t ptr = fake_alloc(rb->f, 8, 8);
	fake_write_u64(rb->f, ptr, rb->prb);
	fake_add_symbol(rb->f, "prb", ptr);
	fake_write_u32(rb->f, rb->prb + 0, cbits);
	fake_write_u64(rb->f, rb->prb + 8, rb->descs);
	fake_write_u64(rb->f, rb->prb + 16, rb->infos);
	fake_write_u32(rb->f, rb->prb + 48, sbits);
	fake_write_u64(rb->f, rb->prb + 56, rb->data);
	rb->next_id = rb->first_id = first_id & ID_MASK;
	rb->recs = calloc(4096, sizeof(*rb->recs));
	assert_non_null(rb->recs);
}

static void rb_free(struct rb *rb)
{
	free(rb->recs);
	fake_free(rb->f);
}

/* Append a finalized record the way prb_reserve()/data_alloc() place it. */
static uint64_t rb_append_state(struct rb *rb, const char *text,
				unsigned int state)
{
	uint64_t size = 1ULL << rb->size_bits, mask = size - 1;
	size_t len = strlen(text);
	uint64_t blk = (8 + len + 7) & ~7ULL;
	uint64_t begin = rb->head_lpos, next, off;
	if ((begin & mask) + blk < size) {
		next = begin + blk;
		off = begin & mask;
	} else {
		next = (begin & ~mask) + size + blk;
		off = 0;
	}
	uint64_t id = rb->next_id;
	fake_write_u64(rb->f, rb->data + off, id);
	fake_write_bytes(rb->f, rb->data + off + 8, text, len);
	uint64_t idx = id & ((1ULL << rb->count_bits) - 1);
	uint64_t d = rb->descs + idx * 24;
	fake_write_u64(rb->f, d, id | STATE(state));
	fake_write_u64(rb->f, d + 8, begin);
	fake_write_u64(rb->f, d + 16, next);
	uint64_t in = rb->infos + idx * rb->layout.printk_info_size;
	fake_write_u64(rb->f, in, rb->seq);
	fake_write_u64(rb->f, in + 8, 1000000000ULL * (rb->seq + 1) + 1234000);
	uint8_t l2[2] = { (uint8_t)len, (uint8_t)(len >> 8) };
	fake_write_bytes(rb->f, in + 16, l2, 2);
	struct rec *r = &rb->recs[rb->nrecs++];
	r->id = id;
	r->begin = begin;
	r->next = next;
	r->seq = rb->seq++;
	snprintf(r->text, sizeof(r->text), "%s", text);
	rb->head_lpos = next;
	rb->next_id = (id + 1) & ID_MASK;
	return id;
}

static uint64_t rb_append(struct rb *rb, const char *text)
{
	return rb_append_state(rb, text, 2);
}

/* Set head and tail: the tail is the oldest record whose descriptor and
 * data are both still there. Returns the index of that record. */
static size_t rb_publish(struct rb *rb)
{
	uint64_t size = 1ULL << rb->size_bits;
	uint64_t count = 1ULL << rb->count_bits;
	size_t first = 0;
	for (size_t i = 0; i < rb->nrecs; i++) {
		bool data_ok = rb->head_lpos - rb->recs[i].begin <= size;
		bool desc_ok = rb->nrecs - i <= count;
		if (!data_ok || !desc_ok)
			first = i + 1;
	}
	fake_write_u64(rb->f, rb->prb + 24, rb->recs[rb->nrecs - 1].id);
	fake_write_u64(rb->f, rb->prb + 32, rb->recs[first].id);
	return first;
}

static struct mml_ctx *rb_ctx(struct rb *rb)
{
	struct mml_ctx *ctx = NULL;
	struct mml_error *err = mml_ctx_create(fake_target(rb->f), &rb->layout,
					       NULL, &ctx);
	if (err)
		fail_msg("mml_ctx_create: %s", err->message);
	return ctx;
}

static void read_lines(struct rb *rb, struct printk_lines *out)
{
	struct mml_ctx *ctx = rb_ctx(rb);
	memset(out, 0, sizeof(*out));
	struct mml_error *err = mml_printk_read(ctx, out);
	mml_ctx_destroy(ctx);
	if (err)
		fail_msg("mml_printk_read: %s", err->message);
}

static void expect_records(struct rb *rb, size_t first,
			   const struct printk_lines *lines)
{
	assert_int_equal(lines->n, rb->nrecs - first);
	for (size_t i = first; i < rb->nrecs; i++) {
		assert_string_equal(lines->v[i - first].text, rb->recs[i].text);
		assert_int_equal(lines->v[i - first].seq, rb->recs[i].seq);
	}
	assert_int_equal(lines->skipped, 0);
}

static void test_layouts(void **state)
{
	(void)state;
	const enum rb_shape shapes[] = { RB_V61, RB_V612, RB_V72 };
	for (size_t s = 0; s < 3; s++) {
		struct rb rb;
		/* ids start just below the id mask, as the kernel's do */
		rb_init(&rb, shapes[s], 4, 12, ID_MASK - 2);
		rb_append(&rb, "Linux version 6.12.107+deb13-cloud-amd64");
		rb_append(&rb, "sysrq: Trigger a crash");
		rb_append(&rb, "Kernel panic - not syncing: sysrq triggered "
			       "crash");
		size_t first = rb_publish(&rb);
		assert_int_equal(first, 0);
		struct printk_lines lines;
		read_lines(&rb, &lines);
		expect_records(&rb, first, &lines);
		assert_int_equal(lines.records, 3);
		char *s0 = mml_printk_format(&lines.v[2]);
		assert_string_equal(s0, "[    3.001234] Kernel panic - not "
					"syncing: sysrq triggered crash");
		free(s0);
		mml_printk_lines_free(&lines);
		rb_free(&rb);
	}
}

/* Enough records to overwrite the start: descriptors wrap (16 of them)
 * and data blocks wrap to offset 0 of a 1 KiB ring. */
static void test_wrap(void **state)
{
	(void)state;
	const enum rb_shape shapes[] = { RB_V61, RB_V612, RB_V72 };
	for (size_t s = 0; s < 3; s++) {
		struct rb rb;
		rb_init(&rb, shapes[s], 4, 10, 100);
		char text[64];
		for (int i = 0; i < 60; i++) {
			snprintf(text, sizeof(text), "record %d %.*s", i,
				 i % 37, "abcdefghijklmnopqrstuvwxyz0123456789");
			rb_append(&rb, text);
		}
		size_t first = rb_publish(&rb);
		assert_true(first > 0);
		struct printk_lines lines;
		read_lines(&rb, &lines);
		expect_records(&rb, first, &lines);
		mml_printk_lines_free(&lines);
		rb_free(&rb);
	}
}

/* What the reader must not take: a reserved record, a descriptor whose
 * id is another's, a block whose id disagrees, a block on an excluded
 * page. A record without data is an empty line; newlines split. */
static void test_bad_records(void **state)
{
	(void)state;
	struct rb rb;
	rb_init(&rb, RB_V612, 5, 14, 7);
	rb_append(&rb, "first");
	rb_append(&rb, "two\nlines\n");
	uint64_t id = rb_append(&rb, "stale descriptor");
	uint64_t d = rb.descs + (id & 31) * 24;
	fake_write_u64(rb.f, d, (id + 32) | STATE(2));
	id = rb_append(&rb, "bad block id");
	uint64_t begin = rb.recs[rb.nrecs - 1].begin;
	fake_write_u64(rb.f, rb.data + (begin & ((1u << 14) - 1)), id + 1);
	/* a record without data (FAILED_LPOS-style odd positions) */
	id = rb_append(&rb, "");
	d = rb.descs + (id & 31) * 24;
	fake_write_u64(rb.f, d + 8, 1);
	fake_write_u64(rb.f, d + 16, 1);
	rb_append(&rb, "committed, not finalized yet");
	uint64_t last = rb_append_state(&rb, "still reserved", 0);
	(void)last;
	rb_publish(&rb);
	/* The tail a recycled descriptor (the kernel's boot-time dummy):
	 * not read, not counted. */
	uint64_t dummy = rb.recs[0].id - 1;
	fake_write_u64(rb.f, rb.descs + (dummy & 31) * 24, dummy | STATE(3));
	fake_write_u64(rb.f, rb.descs + (dummy & 31) * 24 + 8, 1);
	fake_write_u64(rb.f, rb.descs + (dummy & 31) * 24 + 16, 1);
	fake_write_u64(rb.f, rb.prb + 32, dummy);
	struct printk_lines lines;
	read_lines(&rb, &lines);
	assert_int_equal(lines.n, 5);
	assert_string_equal(lines.v[0].text, "first");
	assert_string_equal(lines.v[1].text, "two");
	assert_string_equal(lines.v[2].text, "lines");
	assert_int_equal(lines.v[1].seq, lines.v[2].seq);
	assert_string_equal(lines.v[3].text, "");
	assert_string_equal(lines.v[4].text, "committed, not finalized yet");
	assert_int_equal(lines.skipped, 3);
	assert_int_equal(lines.records, 4);
	mml_printk_lines_free(&lines);
	rb_free(&rb);
}

static void test_excluded_page(void **state)
{
	(void)state;
	struct rb rb;
	rb_init(&rb, RB_V72, 8, 13, 0);   /* 8 KiB of data: two pages */
	char text[200];
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (int i = 0; i < 30; i++)
		rb_append(&rb, text);
	size_t first = rb_publish(&rb);
	fake_exclude_page(rb.f, rb.data + 4096);
	struct printk_lines lines;
	read_lines(&rb, &lines);
	size_t on_second = 0;
	for (size_t i = first; i < rb.nrecs; i++) {
		uint64_t begin = rb.recs[i].begin, next = rb.recs[i].next;
		uint64_t off = (begin >> 13) == (next >> 13) ? begin & 8191 : 0;
		if (off + 8 + 199 > 4096)
			on_second++;
	}
	assert_true(lines.skipped > 0);
	assert_int_equal(lines.n + lines.skipped, rb.nrecs - first);
	assert_int_equal(lines.skipped, on_second);
	mml_printk_lines_free(&lines);
	rb_free(&rb);
}

static void test_unavailable(void **state)
{
	(void)state;
	/* No printk types: the scan reports the log as unavailable. */
	struct fake *f = fake_new(FAKE_V66);
	struct mml_report *r = scan_fake(f, NULL, NULL);
	assert_false(r->log.read);
	assert_non_null(r->log.unavailable);
	assert_int_equal(r->log.nlines, 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	mml_log_write_text(r, out);
	assert_null(mml_report_write_json(r, out));
	fclose(out);
	assert_non_null(strstr(buf, "kernel log not available: "));
	assert_non_null(strstr(buf, "\"log\": {\n    \"available\": false"));
	free(buf);
	mml_report_destroy(r);
	fake_free(f);

	/* Types but no symbol. */
	struct rb rb;
	rb_init(&rb, RB_V61, 4, 12, 0);
	rb_append(&rb, "x");
	rb_publish(&rb);
	struct mml_layout saved = rb.layout;
	rb.layout.printk_info_size = MML_ABSENT;
	struct mml_ctx *ctx = rb_ctx(&rb);
	struct printk_lines lines = { 0 };
	struct mml_error *err = mml_printk_read(ctx, &lines);
	assert_non_null(err);
	assert_int_equal(err->code, MML_ERROR_UNSUPPORTED);
	mml_error_destroy(err);
	mml_ctx_destroy(ctx);
	/* Absurd sizes are refused, not followed. */
	rb.layout = saved;
	fake_write_u32(rb.f, rb.prb, 60);
	ctx = rb_ctx(&rb);
	err = mml_printk_read(ctx, &lines);
	assert_non_null(err);
	assert_int_equal(err->code, MML_ERROR_CORRUPT);
	mml_error_destroy(err);
	mml_ctx_destroy(ctx);
	mml_printk_lines_free(&lines);
	rb_free(&rb);
}

/* The whole path: mml_log_build keeps the last lines and finds the oops. */
static void test_log_build(void **state)
{
	(void)state;
	struct rb rb;
	rb_init(&rb, RB_V612, 6, 14, 0);
	for (int i = 0; i < 70; i++) {
		char t[32];
		snprintf(t, sizeof(t), "boot line %d", i);
		rb_append(&rb, t);
	}
	rb_append(&rb, "BUG: unable to handle page fault for address: "
		       "0000000000000446");
	rb_append(&rb, "Oops: Oops: 0000 [#1] PREEMPT SMP NOPTI");
	rb_append(&rb, "CPU: 0 UID: 0 PID: 211 Comm: swapoff Not tainted "
		       "6.12.40 #1");
	rb_append(&rb, "RIP: 0010:unuse_vma+0x3a/0x2b0");
	rb_append(&rb, "Call Trace:");
	rb_append(&rb, " <TASK>");
	rb_append(&rb, " ? __die+0x20/0x70");
	rb_append(&rb, " unuse_mm+0x9c/0x120");
	rb_append(&rb, " try_to_unuse+0x150/0x6f0");
	rb_append(&rb, " __do_sys_swapoff+0x1cd/0x6d0");
	rb_append(&rb, " </TASK>");
	rb_publish(&rb);
	struct mml_ctx *ctx = rb_ctx(&rb);
	struct mml_log log = { 0 };
	struct mml_error *err = mml_log_build(ctx, 10, &log);
	mml_ctx_destroy(ctx);
	assert_null(err);
	assert_true(log.read);
	assert_int_equal(log.nlines, 10);
	assert_string_equal(log.lines[9] + 15, " </TASK>");
	assert_true(log.oops.found);
	assert_string_equal(log.oops.kind, "oops");
	assert_string_equal(log.oops.rip_function, "unuse_vma");
	assert_int_equal(log.oops.pid, 211);
	assert_string_equal(log.oops.comm, "swapoff");
	assert_true(log.oops.have_fault_address);
	assert_int_equal(log.oops.fault_address, 0x446);
	/* --log prints the kept lines as they are. */
	struct mml_report r = { .log = log };
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	mml_log_write_text(&r, out);
	fclose(out);
	assert_non_null(strstr(buf, "]  unuse_mm+0x9c/0x120\n"));
	assert_int_equal(strncmp(buf, log.lines[0], strlen(log.lines[0])), 0);
	free(buf);
	mml_log_deinit(&log);
	rb_free(&rb);
}

/* ---- the oops parser ---- */

/* The 6.12-baseline dump's log (sysrq-c), as its manifest holds it. */
static const char *const sysrq_log[] = {
	"sysrq: Trigger a crash",
	"Kernel panic - not syncing: sysrq triggered crash",
	"CPU: 1 UID: 0 PID: 1 Comm: init Not tainted "
	"6.12.107+deb13-cloud-amd64 #1  Debian 6.12.107-1",
	"Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS "
	"1.16.2-debian-1.16.2-1 04/01/2014",
	"Call Trace:",
	" <TASK>",
	" dump_stack_lvl+0x5d/0x80",
	" panic+0x118/0x2db",
	" ? _printk+0x6c/0x87",
	" sysrq_handle_crash+0x1a/0x20",
	" __handle_sysrq.cold+0x9f/0xe6",
	" write_sysrq_trigger+0x59/0x90",
	" proc_reg_write+0x5a/0xa0",
	" vfs_write+0xf8/0x440",
	" ? arch_exit_to_user_mode_prepare.isra.0+0x16/0xa0",
	" ksys_write+0x6d/0xf0",
	" do_syscall_64+0x87/0x180",
	" entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	"RIP: 0033:0x47b7a0",
	"Code: 40 00 48 c7 c2 e0 ff ff ff f7 d8 64 89 02 48",
	"RSP: 002b:00007ffc199eaa28 EFLAGS: 00000202 ORIG_RAX: "
	"0000000000000001",
	" </TASK>",
	"Kernel Offset: disabled",
	"---[ end Kernel panic - not syncing: sysrq triggered crash ]---",
};

static void test_oops_sysrq(void **state)
{
	(void)state;
	struct mml_oops o;
	assert_true(mml_oops_parse(sysrq_log,
				   sizeof(sysrq_log) / sizeof(sysrq_log[0]),
				   &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "panic");
	assert_string_equal(o.message,
			    "Kernel panic - not syncing: sysrq triggered crash");
	assert_true(o.sysrq);
	assert_null(o.rip_function);   /* user-mode RIP only */
	assert_int_equal(o.cpu, 1);
	assert_int_equal(o.pid, 1);
	assert_string_equal(o.comm, "init");
	assert_int_equal(o.ntrace, 10);
	assert_string_equal(o.trace[2], "sysrq_handle_crash");
	assert_string_equal(o.trace[3], "__handle_sysrq.cold");
	assert_string_equal(o.trace[9], "entry_SYSCALL_64_after_hwframe");
	mml_oops_deinit(&o);
}

static void test_oops_numa(void **state)
{
	(void)state;
	const char *const log[] = {
		"some line",
		"BUG: kernel NULL pointer dereference, address: "
		"0000000000000008",
		"#PF: supervisor read access in kernel mode",
		"Oops: 0000 [#1] PREEMPT SMP NOPTI",
		"CPU: 3 PID: 4242 Comm: stress-ng-vm-se Not tainted 6.6.0 #1",
		"RIP: 0010:task_numa_work+0x1f3/0x3a0",
		"Call Trace:",
		" <TASK>",
		" ? __die+0x24/0x70",
		" task_work_run+0x5d/0x90",
		" irqentry_exit_to_user_mode+0x1b0/0x1c0",
		" </TASK>",
		"---[ end trace 0000000000000000 ]---",
		"Kernel panic - not syncing: Fatal exception",
	};
	struct mml_oops o;
	assert_true(mml_oops_parse(log, sizeof(log) / sizeof(log[0]), &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oops");
	assert_false(o.sysrq);
	assert_string_equal(o.rip_function, "task_numa_work");
	assert_string_equal(o.rip, "0010:task_numa_work+0x1f3/0x3a0");
	assert_string_equal(o.rip_label, "RIP");
	assert_string_equal(o.panic, "Kernel panic - not syncing: Fatal "
				     "exception");
	assert_int_equal(o.fault_address, 8);
	assert_int_equal(o.pid, 4242);
	assert_string_equal(o.comm, "stress-ng-vm-se");
	assert_int_equal(o.ntrace, 2);
	assert_string_equal(o.trace[0], "task_work_run");
	mml_oops_deinit(&o);
}

static void test_oops_none(void **state)
{
	(void)state;
	const char *const log[] = { "Linux version 6.1.0", "Out of memory "
				    "and no killable processes...", "x" };
	struct mml_oops o;
	assert_true(mml_oops_parse(log, 3, &o));
	assert_false(o.found);
	mml_oops_deinit(&o);
	const char *const warn[] = {
		"WARNING: CPU: 0 PID: 1 at mm/mmap.c:1283 exit_mmap+0x1/0x2",
		"CPU: 0 PID: 1 Comm: init Not tainted 7.2.12 #1",
		"RIP: 0010:exit_mmap+0x2e0/0x300",
	};
	assert_true(mml_oops_parse(warn, 3, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "warning");
	assert_string_equal(o.rip_function, "exit_mmap");
	mml_oops_deinit(&o);
	assert_true(mml_oops_parse(NULL, 0, &o));
	assert_false(o.found);
	mml_oops_deinit(&o);
}

/* The memcg OOM report a failing fork printed (6.12-failed-fork). */
static void test_oom_report(void **state)
{
	(void)state;
	const char *const log[] = {
		"forkfail invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), "
		"order=0, oom_score_adj=-1000",
		"CPU: 0 UID: 0 PID: 203 Comm: forkfail Not tainted "
		"6.12.107+deb13-cloud-amd64 #1  Debian 6.12.107-1",
		"Call Trace:",
		" <TASK>",
		" dump_stack_lvl+0x5d/0x80",
		" dump_header+0x43/0x1aa",
		" out_of_memory.cold+0x8/0x78",
		" mem_cgroup_out_of_memory+0x12b/0x140",
		" try_charge_memcg+0x488/0x630",
		" ? vm_area_dup+0x1f/0xa0",
		" kmem_cache_alloc_noprof+0x2cb/0x2f0",
		" vm_area_dup+0x1f/0xa0",
		" copy_process+0x1564/0x2740",
		" kernel_clone+0xbd/0x440",
		"RIP: 0033:0x439133",
		" </TASK>",
		"memory: usage 2156kB, limit 2156kB, failcnt 114",
		"Out of memory and no killable processes...",
	};
	size_t n = sizeof(log) / sizeof(log[0]);
	struct mml_oops o;
	assert_true(mml_oom_parse(log, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oom");
	assert_int_equal(o.pid, 203);
	assert_string_equal(o.comm, "forkfail");
	assert_int_equal(o.ntrace, 9);
	assert_string_equal(o.trace[6], "vm_area_dup");
	assert_string_equal(o.trace[7], "copy_process");
	mml_oops_deinit(&o);
	/* Not an oops. */
	assert_true(mml_oops_parse(log, n, &o));
	assert_false(o.found);
	mml_oops_deinit(&o);
	const char *const none[] = { "x", "y" };
	assert_true(mml_oom_parse(none, 2, &o));
	assert_false(o.found);
	mml_oops_deinit(&o);
}

/* ---- real logs (tests/unit/logs/, see its README) ---- */

static void expect_trace(const struct mml_oops *o, const char *const *want,
			 size_t n)
{
	for (size_t i = 0; i < o->ntrace; i++)
		print_message("#   trace[%zu] %s\n", i, o->trace[i]);
	assert_int_equal(o->ntrace, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(o->trace[i], want[i]);
}

/* The 6.12 swapoff dump's own log: memcg OOM reports, then the oops and
 * the panic; the event is the oops (values from the manifest's console
 * tail: CR2 46e, RIP __do_sys_swapoff, "Fatal exception"). */
static void test_log_612_swapoff(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("6.12-swapoff-oops.log", &n);
	const char *const *l = (const char *const *)lines;
	struct mml_oops o;
	assert_true(mml_oops_parse(l, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oops");
	assert_string_equal(o.message, "BUG: kernel NULL pointer dereference, "
				       "address: 000000000000046e");
	assert_int_equal(o.fault_address, 0x46e);
	assert_string_equal(o.rip_function, "__do_sys_swapoff");
	assert_string_equal(o.panic, "Kernel panic - not syncing: Fatal "
				     "exception");
	assert_int_equal(o.pid, 214);
	assert_string_equal(o.comm, "swapoff");
	/* The '?' frames are left out; the user-mode RIP inside the trace
	 * is no frame. */
	const char *const want[] = { "do_syscall_64",
				     "entry_SYSCALL_64_after_hwframe" };
	expect_trace(&o, want, 2);
	struct mml_oops *w;
	size_t nw;
	assert_true(mml_warnings_parse(l, n, &o, &w, &nw));
	assert_int_equal(nw, 0);
	free(w);
	mml_oops_deinit(&o);
	/* The OOM reports are no oops, but the last one is found. */
	assert_true(mml_oom_parse(l, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oom");
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* The 7.2 baseline's own log: the sysrq-c panic of a 7.x kernel. */
static void test_log_72_sysrq(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("7.2-baseline.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_string_equal(o.kind, "panic");
	assert_true(o.sysrq);
	assert_int_equal(o.pid, 1);
	assert_true(o.ntrace >= 8);
	assert_string_equal(o.trace[0], "dump_stack_lvl");
	assert_string_equal(o.trace[1], "vpanic");
	assert_string_equal(o.trace[3], "sysrq_handle_crash");
	mml_oops_deinit(&o);
	free_log(lines, n);
}

static const char *const exc_debug_trace[] = { "exc_debug", "asm_exc_debug",
					       "clear_bhb_loop" };

/* A WARNING alone is a warning, never an oops; its trace runs through the
 * <#DB> exception stack to the interrupted RIP. */
static void test_log_warning(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("x86-exc-debug-warning.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "warning");
	assert_null(o.panic);
	assert_string_equal(o.rip_function, "exc_debug_kernel");
	expect_trace(&o, exc_debug_trace, 3);
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* A WARNING, later an oops and the panic: the event is the oops, the
 * WARNING is kept apart. (Two real logs one after the other.) */
static void test_log_warning_then_panic(void **state)
{
	(void)state;
	size_t nw0, np;
	char **w0 = load_log("x86-exc-debug-warning.log", &nw0);
	char **p = load_log("6.12-swapoff-oops.log", &np);
	const char **all = calloc(nw0 + np, sizeof(*all));
	assert_non_null(all);
	for (size_t i = 0; i < nw0; i++)
		all[i] = w0[i];
	for (size_t i = 0; i < np; i++)
		all[nw0 + i] = p[i];
	struct mml_oops o;
	assert_true(mml_oops_parse(all, nw0 + np, &o));
	assert_string_equal(o.kind, "oops");
	assert_string_equal(o.rip_function, "__do_sys_swapoff");
	struct mml_oops *w;
	size_t nw;
	assert_true(mml_warnings_parse(all, nw0 + np, &o, &w, &nw));
	assert_int_equal(nw, 1);
	assert_string_equal(w[0].kind, "warning");
	assert_string_equal(w[0].rip_function, "exc_debug_kernel");
	expect_trace(&w[0], exc_debug_trace, 3);
	mml_oops_deinit(&w[0]);
	free(w);
	mml_oops_deinit(&o);
	free(all);
	free_log(w0, nw0);
	free_log(p, np);
}

/* An old oops, then much later a panic of another kind: the panic is the
 * event, not the old oops. (The 6.12 swapoff oops without its panic, then
 * 7.2's sysrq-c panic log.) */
static void test_log_old_oops_then_panic(void **state)
{
	(void)state;
	size_t no, np;
	char **oo = load_log("6.12-swapoff-oops.log", &no);
	char **p = load_log("7.2-baseline.log", &np);
	size_t keep = 0;
	while (keep < no && !strstr(oo[keep], "Kernel panic"))
		keep++;
	const char **all = calloc(keep + np, sizeof(*all));
	assert_non_null(all);
	for (size_t i = 0; i < keep; i++)
		all[i] = oo[i];
	for (size_t i = 0; i < np; i++)
		all[keep + i] = p[i];
	struct mml_oops o;
	assert_true(mml_oops_parse(all, keep + np, &o));
	assert_string_equal(o.kind, "panic");
	assert_true(o.sysrq);
	mml_oops_deinit(&o);
	free(all);
	free_log(oo, no);
	free_log(p, np);
}

/* A 6.17 x86-64 stack through a #DB: the register dump of the exception
 * frame inside the trace, then the task's frames after </#DB> <TASK>. */
static void test_log_exception_frame(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("x86-kstackwatch-db.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse_report((const char *const *)lines, n, 0,
					  &o));
	assert_int_equal(o.cpu, 2);
	assert_int_equal(o.pid, 347);
	assert_string_equal(o.comm, "corrupting");
	const char *const want[] = {
		"dump_stack_lvl", "ksw_watch_handler.part.0",
		"ksw_watch_handler", "__perf_event_overflow", "perf_bp_event",
		"hw_breakpoint_exceptions_notify", "notifier_call_chain",
		"atomic_notifier_call_chain", "notify_die", "exc_debug_kernel",
		"asm_exc_debug", "test_mthread_corrupting", "kthread",
		"ret_from_fork", "ret_from_fork_asm",
	};
	expect_trace(&o, want, sizeof(want) / sizeof(want[0]));
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* arm64: the task_numa_work oops quoted in 9c70b2a33cd2. */
static void test_log_arm64_numa(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("arm64-task-numa-work-oops.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_string_equal(o.kind, "oops");
	assert_true(o.have_fault_address);
	assert_int_equal(o.fault_address, 0x20);
	assert_string_equal(o.rip_function, "vma_migratable");
	assert_int_equal(o.cpu, 35);
	assert_int_equal(o.pid, 2694524);
	assert_string_equal(o.comm, "stress-ng-vm-se");
	const char *const want[] = { "vma_migratable", "task_numa_work",
				     "task_work_run", "do_notify_resume",
				     "el0_svc", "el0t_64_sync_handler",
				     "el0t_64_sync" };
	expect_trace(&o, want, 7);
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* arm64: the swapoff oops head of 1367da7eb875 (CVE-2025-39992). */
static void test_log_arm64_swapoff(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("arm64-swapoff-oops.log", &n);
	struct mml_oops o;
	assert_true(mml_oops_parse((const char *const *)lines, n, &o));
	assert_string_equal(o.kind, "oops");
	assert_string_equal(o.message, "Unable to handle kernel NULL pointer "
				       "dereference at virtual address "
				       "0000000000000446");
	assert_true(o.have_fault_address);
	assert_int_equal(o.fault_address, 0x446);   /* XA_ZERO_ENTRY + 0x40 */
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* The arm64 6.12 swapoff dump's own log (vmcores/arm64-6.12-swapoff-oops):
 * a memcg OOM report with its own "Call trace:", then the oops, whose
 * trace starts with the pc's function, and arm64's "Oops: Fatal
 * exception" panic (values from the manifest's console "oops"). */
static void test_log_arm64_612_swapoff(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("arm64-6.12-swapoff-oops.log", &n);
	const char *const *l = (const char *const *)lines;
	struct mml_oops o;
	assert_true(mml_oops_parse(l, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oops");
	assert_string_equal(o.message, "Unable to handle kernel NULL pointer "
				       "dereference at virtual address "
				       "000000000000046e");
	assert_int_equal(o.fault_address, 0x46e);   /* XA_ZERO_ENTRY + 0x68 */
	assert_string_equal(o.rip_label, "pc");
	assert_string_equal(o.rip_function, "__arm64_sys_swapoff");
	assert_string_equal(o.panic, "Kernel panic - not syncing: Oops: "
				     "Fatal exception");
	assert_int_equal(o.cpu, 1);
	assert_int_equal(o.pid, 211);
	assert_string_equal(o.comm, "swapoff");
	const char *const want[] = { "__arm64_sys_swapoff", "invoke_syscall",
				     "el0_svc_common.constprop.0",
				     "do_el0_svc", "el0_svc",
				     "el0t_64_sync_handler", "el0t_64_sync" };
	expect_trace(&o, want, 7);
	mml_oops_deinit(&o);
	/* The OOM report is no oops, but it is found, with its own trace. */
	assert_true(mml_oom_parse(l, n, &o));
	assert_true(o.found);
	assert_string_equal(o.kind, "oom");
	assert_int_equal(o.pid, 203);
	assert_true(o.ntrace > 12);
	assert_string_equal(o.trace[12], "copy_process");
	mml_oops_deinit(&o);
	free_log(lines, n);
}

/* arm64 (6.15): the report starts at "Unable to handle kernel ...", ten
 * lines of abort and page-table information before "Internal error:
 * Oops:", which is part of it, not a report of its own; "pc :" without a
 * symbol gives no function. */
static void expect_exec_nx(const struct mml_oops *o)
{
	assert_true(o->found);
	assert_string_equal(o->kind, "oops");
	assert_string_equal(o->message, "Unable to handle kernel execute from "
					"non-executable memory at virtual "
					"address ffff6b2300abd400");
	assert_int_equal(o->fault_address, 0xffff6b2300abd400ULL);
	assert_int_equal(o->cpu, 0);
	assert_int_equal(o->pid, 230);
	assert_string_equal(o->comm, "udevd");
	assert_null(o->rip_function);
}

static void test_log_arm64_exec_nx(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("arm64-exec-nx-oops.log", &n);
	const char *const *l = (const char *const *)lines;
	struct mml_oops o;
	assert_true(mml_oops_parse(l, n, &o));
	expect_exec_nx(&o);
	assert_null(o.panic);
	mml_oops_deinit(&o);
	struct mml_oops *w;
	size_t nw;
	assert_true(mml_warnings_parse(l, n, NULL, &w, &nw));
	assert_int_equal(nw, 0);
	free(w);
	free_log(lines, n);
}

/*
 * The same oops, then arm64's "Kernel panic - not syncing: Oops: Fatal
 * exception" (die() -> panic("%s: Fatal exception", "Oops"), as in
 * github.com/openwrt/openwrt issue 17266): going back from the panic,
 * "Internal error: Oops:" is met first, and the report is its head.
 */
static void test_log_arm64_oops_panic(void **state)
{
	(void)state;
	size_t n;
	char **lines = load_log("arm64-exec-nx-oops.log", &n);
	const char **all = calloc(n + 1, sizeof(*all));
	assert_non_null(all);
	for (size_t i = 0; i < n; i++)
		all[i] = lines[i];
	all[n] = "Kernel panic - not syncing: Oops: Fatal exception";
	struct mml_oops o;
	assert_true(mml_oops_parse(all, n + 1, &o));
	expect_exec_nx(&o);
	assert_string_equal(o.panic, all[n]);
	mml_oops_deinit(&o);
	free(all);
	free_log(lines, n);
}

/* arm64 BUG(): "kernel BUG at" before "Internal error: Oops - BUG:"
 * (arch/arm64/kernel/traps.c: bug_brk_handler() -> die("Oops - BUG")),
 * the report is the BUG, also when found going back from the panic. */
static void test_oops_arm64_bug(void **state)
{
	(void)state;
	const char *const log[] = {
		"kernel BUG at mm/mmap.c:1234!",
		"Internal error: Oops - BUG: 00000000f2000800 [#1] SMP",
		"Modules linked in:",
		"CPU: 1 UID: 0 PID: 77 Comm: work Not tainted 6.12.0 #1",
		"pc : exit_mmap+0x2a0/0x2b0",
		"lr : exit_mmap+0x1e8/0x2b0",
		"Call trace:",
		" exit_mmap+0x2a0/0x2b0 (P)",
		" __mmput+0x44/0x160",
		" mmput+0x40/0x50",
		"Code: 97ffd6d5 17ffffd5 d4210000 d4210000 (d4210000)",
		"---[ end trace 0000000000000000 ]---",
		"Kernel panic - not syncing: Oops - BUG: Fatal exception",
	};
	struct mml_oops o;
	assert_true(mml_oops_parse(log, sizeof(log) / sizeof(log[0]), &o));
	assert_string_equal(o.kind, "bug");
	assert_string_equal(o.message, "kernel BUG at mm/mmap.c:1234!");
	assert_string_equal(o.rip_function, "exit_mmap");
	assert_string_equal(o.rip_label, "pc");
	assert_int_equal(o.pid, 77);
	const char *const want[] = { "exit_mmap", "__mmput", "mmput" };
	expect_trace(&o, want, 3);
	mml_oops_deinit(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_excluded_page),
		cmocka_unit_test(test_unavailable),
		cmocka_unit_test(test_log_build),
		cmocka_unit_test(test_oops_sysrq),
		cmocka_unit_test(test_oops_numa),
		cmocka_unit_test(test_oops_none),
		cmocka_unit_test(test_oom_report),
		cmocka_unit_test(test_log_612_swapoff),
		cmocka_unit_test(test_log_72_sysrq),
		cmocka_unit_test(test_log_warning),
		cmocka_unit_test(test_log_warning_then_panic),
		cmocka_unit_test(test_log_old_oops_then_panic),
		cmocka_unit_test(test_log_exception_frame),
		cmocka_unit_test(test_log_arm64_numa),
		cmocka_unit_test(test_log_arm64_swapoff),
		cmocka_unit_test(test_log_arm64_612_swapoff),
		cmocka_unit_test(test_log_arm64_exec_nx),
		cmocka_unit_test(test_log_arm64_oops_panic),
		cmocka_unit_test(test_oops_arm64_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
