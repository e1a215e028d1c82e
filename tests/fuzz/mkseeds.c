// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Writes the seeds of fuzz_maple and fuzz_btf into tests/fuzz/corpus/
 * (run by `sh tests/fuzz/run.sh --seeds`; the output is committed).
 *
 * maple: the fake base of fuzz_maple.c (maple_base.h), changed with the
 * unit tests' mutators (a height-31 claim, cycles, dead nodes, an XA_ZERO
 * marker, a cyclic task list, ...); each change is diffed against the
 * untouched base and written as the harness's edits.
 *
 * btf: a BTF (libbpf) with every struct, member and enumerator that
 * lib/layout.c asks for, in the shapes of the fake's 6.1, 6.6 and 7.2
 * kernels (recorded by resolving the layout through the fake's types).
 */
#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fake.h"
#include "maple_base.h"
#include "mmlife/layout.h"

static const char *outdir;

static void put(const char *harness, const char *name, const void *buf,
		size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", outdir, harness);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", outdir, harness, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* ---- maple ---- */

struct seed {
	unsigned char buf[8192];
	size_t len;
};

static void emit(struct seed *s, const void *p, size_t n)
{
	if (s->len + n > sizeof(s->buf))
		abort();
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void emit_op(struct seed *s, uint8_t op, uint64_t off)
{
	if (off > 0xffff) {
		fprintf(stderr, "edit at window offset 0x%llx > 0xffff\n",
			(unsigned long long)off);
		exit(1);
	}
	uint8_t b[3] = { op, (uint8_t)off, (uint8_t)(off >> 8) };
	emit(s, b, 3);
}

typedef void (*mutator)(struct maple_base *b, struct seed *extra);

static void maple_seed(const char *name, uint8_t b0, uint8_t b1, uint8_t b2,
		       mutator mut)
{
	struct maple_base b;
	maple_base_build(b0, b1, &b);
	size_t words = (b.hi - b.lo) / 8;
	uint64_t *before = calloc(words, 8);
	for (size_t i = 0; i < words; i++)
		before[i] = fake_read_u64(b.f, b.lo + 8 * i);
	struct seed s = { .len = 0 };
	uint8_t hdr[3] = { b0, b1, b2 };
	emit(&s, hdr, 3);
	struct seed extra = { .len = 0 };
	if (mut)
		mut(&b, &extra);
	for (size_t i = 0; i < words; i++) {
		uint64_t v = fake_read_u64(b.f, b.lo + 8 * i);
		if (v == before[i])
			continue;
		emit_op(&s, 7 << 3, 8 * i);    /* raw, 8 bytes */
		emit(&s, &v, 8);
	}
	emit(&s, extra.buf, extra.len);
	put("maple", name, s.buf, s.len);
	fprintf(stderr, "maple/%s: window %llu bytes, %zu bytes\n", name,
		(unsigned long long)(b.hi - b.lo), s.len);
	free(before);
	fake_free(b.f);
}

static int leaf(const struct maple_base *b)
{
	for (size_t i = 0; i < b->t->nnodes; i++)
		if (b->t->nodes[i].type == 1)
			return (int)i;
	return 0;
}

static void m_height31(struct maple_base *b, struct seed *x)
{
	(void)x;
	fake_tree_set_flags(b->f, fake_mm_tree(b->f, b->mm), 0x303 | 31 << 2);
}

static void m_root_cycle(struct maple_base *b, struct seed *x)
{
	(void)x;
	fake_node_link_back(b->f, b->t, 0, b->t->nodes[0].nslots - 1, 0);
}

static void m_all_to_root(struct maple_base *b, struct seed *x)
{
	(void)x;
	for (size_t i = 0; i < b->t->nnodes; i++)
		if (b->t->nodes[i].type == 3)
			for (unsigned int s = 0; s < b->t->nodes[i].nslots; s++)
				fake_node_link_back(b->f, b->t, (int)i, s, 0);
}

static void m_dead(struct maple_base *b, struct seed *x)
{
	(void)x;
	fake_node_make_dead(b->f, b->t, leaf(b));
}

static void m_xa_zero(struct maple_base *b, struct seed *x)
{
	(void)x;
	int l = leaf(b);
	fake_node_set_slot(b->f, b->t, l, 1, FAKE_XA_ZERO);
	fake_mm_set_flags(b->f, b->mm, FAKE_MMF_OOM_SKIP | FAKE_MMF_UNSTABLE);
}

static void m_foreign(struct maple_base *b, struct seed *x)
{
	(void)x;
	const struct mml_layout *l = fake_layout(b->f);
	for (size_t i = b->n / 2; i < b->n; i++)
		fake_write_u64(b->f, b->vmas[i] + l->vma_vm_mm, b->mm2);
}

static void m_task_cycle(struct maple_base *b, struct seed *x)
{
	(void)x;
	fake_write_u64(b->f, fake_task_tasks_next(b->f, b->task),
		       fake_task_tasks_entry(b->f, b->task));
}

static void m_pivots(struct maple_base *b, struct seed *x)
{
	(void)x;
	int l = leaf(b);
	fake_node_set_pivot(b->f, b->t, l, 0, FAKE_ULONG_MAX);
	fake_node_set_meta_end(b->f, b->t, l, 0xff);
	fake_mm_set_map_count(b->f, b->mm, -1);
}

static void m_bad_type(struct maple_base *b, struct seed *x)
{
	(void)x;
	fake_node_set_type_bits(b->f, b->t, leaf(b), 0);
	if (b->t->nnodes > 2)
		fake_node_set_type_bits(b->f, b->t, 2, 4);
}

static void m_pages(struct maple_base *b, struct seed *x)
{
	/* exclude a node's page, unmap a VMA's page */
	emit_op(x, 6, b->t->nodes[leaf(b)].addr - b->lo);
	emit_op(x, 7, b->vmas[b->n - 1] - b->lo);
}

/* ---- btf ---- */

struct rec {
	char type[64], member[64];
	int what;        /* 0 member, 1 size, 2 enumerator */
	struct mml_member_info mi;
	uint64_t size;
	int64_t value;
};
static struct rec recs[512];
static size_t nrecs;
static const struct mml_types *inner;

static struct mml_error *rec_member(void *arg, const char *type,
				    const char *member,
				    struct mml_member_info *ret)
{
	(void)arg;
	struct mml_error *err = inner->ops->member(inner->arg, type, member,
						   ret);
	if (!err && nrecs < 512) {
		struct rec *r = &recs[nrecs++];
		snprintf(r->type, sizeof(r->type), "%s", type);
		snprintf(r->member, sizeof(r->member), "%s", member);
		r->what = 0;
		r->mi = *ret;
	}
	return err;
}

static struct mml_error *rec_size(void *arg, const char *type, uint64_t *ret)
{
	(void)arg;
	struct mml_error *err = inner->ops->type_size(inner->arg, type, ret);
	if (!err && nrecs < 512) {
		struct rec *r = &recs[nrecs++];
		snprintf(r->type, sizeof(r->type), "%s", type);
		r->what = 1;
		r->size = *ret;
	}
	return err;
}

static struct mml_error *rec_enum(void *arg, const char *type,
				  const char *name, int64_t *ret)
{
	(void)arg;
	struct mml_error *err = inner->ops->enumerator(inner->arg, type, name,
						       ret);
	if (!err && nrecs < 512) {
		struct rec *r = &recs[nrecs++];
		snprintf(r->type, sizeof(r->type), "%s", type);
		snprintf(r->member, sizeof(r->member), "%s", name);
		r->what = 2;
		r->value = *ret;
	}
	return err;
}

static const struct mml_types_ops rec_ops = {
	.member = rec_member,
	.type_size = rec_size,
	.enumerator = rec_enum,
};

static int int_of(struct btf *btf, uint64_t size)
{
	char name[32];
	if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16)
		size = 8;
	snprintf(name, sizeof(name), "u%llu", (unsigned long long)size * 8);
	int id = btf__find_by_name_kind(btf, name, BTF_KIND_INT);
	return id > 0 ? id : btf__add_int(btf, name, (size_t)size, 0);
}

static void btf_seed(const char *name, enum fake_variant v)
{
	struct fake *f = fake_new(v);
	inner = fake_types(f);
	nrecs = 0;
	struct mml_types rt = { &rec_ops, NULL };
	struct mml_layout layout;
	struct mml_error *err = mml_layout_resolve(&rt, &layout);
	if (err) {
		fprintf(stderr, "btf: %s\n", err->message);
		exit(1);
	}
	struct btf *btf = btf__new_empty();
	/* every base type first: fields must follow their struct */
	int u8 = int_of(btf, 1);
	int_of(btf, 2);
	int_of(btf, 4);
	int_of(btf, 8);
	int_of(btf, 16);
	int vp = btf__add_ptr(btf, 0);
	/* structs: one per type name asked about, of its recorded size or
	 * else the end of its last member */
	for (size_t i = 0; i < nrecs; i++) {
		if (recs[i].what == 2 ||
		    btf__find_by_name_kind(btf, recs[i].type,
					   BTF_KIND_STRUCT) > 0)
			continue;
		uint64_t ssize = 0;
		for (size_t j = 0; j < nrecs; j++) {
			if (strcmp(recs[j].type, recs[i].type))
				continue;
			if (recs[j].what == 1) {
				ssize = recs[j].size;
				break;
			}
			if (recs[j].what == 0 &&
			    recs[j].mi.offset + recs[j].mi.size > ssize)
				ssize = recs[j].mi.offset + recs[j].mi.size;
		}
		btf__add_struct(btf, recs[i].type, (__u32)ssize);
		for (size_t j = 0; j < nrecs; j++) {
			const struct rec *m = &recs[j];
			if (m->what != 0 || strcmp(m->type, recs[i].type))
				continue;
			/* members were added right after the struct */
			int tid;
			switch (m->mi.kind) {
			case MML_KIND_POINTER:
				tid = vp;
				break;
			case MML_KIND_ARRAY:
			case MML_KIND_STRUCT:
				tid = -1;
				break;
			default:
				tid = int_of(btf, m->mi.size);
			}
			if (tid < 0) {
				/* filled below: a placeholder of the size */
				tid = u8;
			}
			btf__add_field(btf, m->member, tid,
				       (__u32)m->mi.offset * 8, 0);
		}
	}
	/* arrays and embedded structs: fix the placeholder member types */
	for (size_t j = 0; j < nrecs; j++) {
		const struct rec *m = &recs[j];
		if (m->what != 0 || (m->mi.kind != MML_KIND_ARRAY &&
				     m->mi.kind != MML_KIND_STRUCT))
			continue;
		int tid;
		if (m->mi.kind == MML_KIND_ARRAY) {
			uint64_t n = m->mi.count ? m->mi.count : 1;
			tid = btf__add_array(btf, int_of(btf, 8), int_of(btf,
					     m->mi.size / n), (__u32)n);
		} else {
			char sname[96];
			snprintf(sname, sizeof(sname), "%s_%s", m->type,
				 m->member);
			tid = btf__add_struct(btf, sname, (__u32)m->mi.size);
		}
		int sid = btf__find_by_name_kind(btf, m->type,
						 BTF_KIND_STRUCT);
		struct btf_type *st = (struct btf_type *)btf__type_by_id(btf,
									 sid);
		for (int k = 0; st && k < btf_vlen(st); k++) {
			struct btf_member *bm = btf_members(st) + k;
			if (!strcmp(btf__name_by_offset(btf, bm->name_off),
				    m->member))
				bm->type = tid;
		}
	}
	/* enums */
	for (size_t i = 0; i < nrecs; i++) {
		if (recs[i].what != 2 ||
		    btf__find_by_name_kind(btf, recs[i].type, BTF_KIND_ENUM) > 0)
			continue;
		btf__add_enum(btf, recs[i].type, 4);
		for (size_t j = i; j < nrecs; j++)
			if (recs[j].what == 2 &&
			    !strcmp(recs[j].type, recs[i].type))
				btf__add_enum_value(btf, recs[j].member,
						    recs[j].value);
	}
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	put("btf", name, raw, size);
	fprintf(stderr, "btf/%s: %u bytes, %zu facts\n", name, size, nrecs);
	btf__free(btf);
	fake_free(f);
}

/* Anonymous members that share a type: mm_struct holds twelve anonymous
 * members of itself and no mm_mt, so a member search bounded only by its
 * nesting depth visits 12^9 members (the slow unit CI found). */
static void btf_fanout_seed(void)
{
	struct btf *btf = btf__new_empty();
	int sid = btf__add_struct(btf, "mm_struct", 64);
	for (int i = 0; i < 12; i++)
		btf__add_field(btf, NULL, sid, 0, 0);
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	put("btf", "anon-fanout", raw, size);
	btf__free(btf);
}

/* ---- layout: the cache files of the fake kernels (fuzz_layout.c's id) ---- */

static void layout_seed(const char *name, enum fake_variant v)
{
	struct fake *f = fake_new(v);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out || mml_layout_save_keyed(fake_layout(f), "4bbce01e305eafdcfe"
					  "5a7e808f0e347e013801e3", out)) {
		perror("layout seed");
		exit(1);
	}
	fclose(out);
	put("layout", name, buf, len);
	free(buf);
	fake_free(f);
}

int main(int argc, char **argv)
{
	outdir = argc > 1 ? argv[1] : "tests/fuzz/corpus";
	mkdir(outdir, 0755);
	static const char *const vname[] = { "v61", "v66", "v72" };
	for (int v = 0; v < 3; v++) {
		for (int h = 1; h <= 4; h += 3) {
			char name[32];
			snprintf(name, sizeof(name), "base-%s-h%d", vname[v], h);
			maple_seed(name, (uint8_t)(v | (h - 1) << 4), 40, 4,
				   NULL);
		}
	}
	maple_seed("height31", 1 | 2 << 4, 60, 3, m_height31);
	maple_seed("root-cycle", 0 | 1 << 4, 30, 2, m_root_cycle);
	maple_seed("all-to-root", 2 | 3 << 4, 100, 5, m_all_to_root);
	maple_seed("dead-node", 1 | 2 << 4, 50, 1, m_dead);
	maple_seed("xa-zero-mmlist", 1 | 4 | 2 << 4, 80, 8, m_xa_zero);
	maple_seed("foreign", 2 | 4 | 1 << 4, 30, 8, m_foreign);
	maple_seed("task-cycle", 1 | 1 << 4, 20, 8, m_task_cycle);
	maple_seed("pivots", 0 | 1 << 4, 20, 8, m_pivots);
	maple_seed("node-type", 2 | 2 << 4, 60, 8, m_bad_type);
	maple_seed("pages-deep", 1 | 1 << 4, 20, 0x81, m_pages);
	btf_seed("v61", FAKE_V61);
	btf_seed("v66", FAKE_V66);
	btf_seed("v72", FAKE_V72);
	btf_fanout_seed();
	layout_seed("v61", FAKE_V61);
	layout_seed("v66", FAKE_V66);
	layout_seed("v72", FAKE_V72);
	return 0;
}
