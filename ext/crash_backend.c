// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target and types over crash. Every call into crash that could end in
 * error(FATAL) (which longjmps to crash's command loop) runs under a guard
 * that catches the longjmp, the way crash's own silent_call_bt() does, so
 * that a bad dump never unwinds through the core with its state half-built.
 * readmem() with RETURN_ON_ERROR returns instead, and needs no guard.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"

#include "crash_backend.h"
#include "direct.h"
#include "stop.h"

/*
 * Run @body with crash's FATAL longjmp caught; evaluates to true if it
 * completed. error(FATAL) jumps to pc->foreach_loop_env instead when
 * crash runs the command for each line of an argument file ("mmlife <
 * file" sets IN_FOREACH), so both land here. Both are restored either way.
 */
#define CRASH_GUARDED(body)                                                    \
	({                                                                     \
		jmp_buf __save, __save_foreach;                                \
		volatile bool __ok = false;                                    \
		FILE *__efp = pc->error_fp;                                    \
		memcpy(&__save, &pc->main_loop_env, sizeof(jmp_buf));          \
		memcpy(&__save_foreach, &pc->foreach_loop_env,                 \
		       sizeof(jmp_buf));                                       \
		if (!setjmp(pc->main_loop_env)) {                              \
			memcpy(&pc->foreach_loop_env, &pc->main_loop_env,      \
			       sizeof(jmp_buf));                               \
			body;                                                  \
			__ok = true;                                           \
		}                                                              \
		memcpy(&pc->main_loop_env, &__save, sizeof(jmp_buf));          \
		memcpy(&pc->foreach_loop_env, &__save_foreach,                 \
		       sizeof(jmp_buf));                                       \
		pc->error_fp = __efp;                                          \
		__ok;                                                          \
	})

/*
 * Once mmlife is to stop (^C, closed pipe: stop.c), every read fails
 * without asking crash, so the core winds down at once; the command then
 * drops the report, so those failures are never findings. A page of a
 * kdump file is read from the file (direct.c) when it can be, else by
 * readmem().
 */
static enum mml_read_status crash_read(void *arg, uint64_t addr, void *buf,
				       size_t len)
{
	(void)arg;
	volatile bool mapped = false;
	physaddr_t paddr = 0;

	if (ext_stop_requested() || !IS_KVADDR(addr))
		return MML_READ_INVALID;
	/* The page-table walk can error(FATAL) on a bad dump. */
	if (!CRASH_GUARDED({ mapped = kvtop(CURRENT_CONTEXT(), addr, &paddr,
					     0); }) ||
	    !mapped)
		return MML_READ_INVALID;
	if (ext_direct_read(paddr, buf, len))
		return MML_READ_OK;
	if (readmem(paddr, PHYSADDR, buf, len, "mmlife page",
		    RETURN_ON_ERROR | QUIET))
		return MML_READ_OK;
	/* Translates, but the dump does not hold it. */
	return MML_READ_EXCLUDED;
}

bool mml_crash_has_page_tables(void)
{
	return vt->vmalloc_start != 0;
}

static bool crash_symbol(void *arg, const char *name, uint64_t *addr_ret)
{
	(void)arg;
	volatile bool found = false;
	volatile uint64_t value = 0;
	CRASH_GUARDED({
		if (symbol_exists((char *)name)) {
			value = symbol_value((char *)name);
			found = true;
		}
	});
	*addr_ret = value;
	return found;
}

static char *vmcoreinfo(const char *key);

/* The VMCOREINFO note as crash read it from the dump; parsed as the CLI
 * parses it (cli/dump/vmcoreinfo.c): SYMBOL() values bare hex, the others
 * as the kernel printed them, a negative one refused. */
static bool crash_vmcoreinfo(void *arg, const char *key, uint64_t *value_ret)
{
	(void)arg;
	char *end;
	char *v = vmcoreinfo(key);
	bool ok = false;

	if (v && v[0] && v[0] != '-') {
		*value_ret = strtoull(v, &end,
				      strncmp(key, "SYMBOL(", 7) ? 0 : 16);
		ok = *end == '\0';
	}
	free(v);
	return ok;
}

static const struct mml_target_ops crash_target_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
	.vmcoreinfo = crash_vmcoreinfo,
};

void mml_crash_target_init(struct mml_target *target)
{
	target->ops = &crash_target_ops;
	target->arg = NULL;
	target->page_size = PAGESIZE();
	target->pointer_size = sizeof(void *);
	target->big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	/* crash is built for one target architecture (-DX86_64, -DARM64). */
#ifdef ARM64
	target->arch = MML_ARCH_AARCH64;
#else
	target->arch = MML_ARCH_X86_64;
#endif
}

static enum mml_member_kind kind_of(long typecode)
{
	switch (typecode) {
	case TYPE_CODE_STRUCT:
	case TYPE_CODE_UNION:
		return MML_KIND_STRUCT;
	case TYPE_CODE_INT:
	case TYPE_CODE_ENUM:
	case TYPE_CODE_BOOL:
	case TYPE_CODE_RANGE:
		return MML_KIND_INT;
	case TYPE_CODE_PTR:
		return MML_KIND_POINTER;
	case TYPE_CODE_ARRAY:
		return MML_KIND_ARRAY;
	default:
		return MML_KIND_OTHER;
	}
}

/*
 * The element count of the array type.member, whose size is @size.
 * Asked of gdb as size / sizeof(m[0]): crash's get_array_length() has gdb
 * print the whole struct ("ptype"), which for task_struct.comm costs half
 * a second of the first run. Each name gdb's expression parser misses
 * costs a search of every compile unit, so the expression names the type
 * once. The count is the same (the first dimension); where gdb cannot
 * evaluate it (a union's member, say), get_array_length() answers.
 */
static long array_count(char *type, char *member, long size)
{
	char cmd[320], line[BUFSIZE];
	volatile long elem = 0, count = 0;
	long tmp;
	FILE *save_fp = fp;

	snprintf(cmd, sizeof(cmd), "p (long)sizeof(((struct %s *)0)->%s[0])",
		 type, member);
	CRASH_GUARDED({
		open_tmpfile();
		if (gdb_pass_through(cmd, pc->tmpfile, GNU_RETURN_ON_ERROR)) {
			rewind(pc->tmpfile);
			while (fgets(line, sizeof(line), pc->tmpfile))
				if (sscanf(line, "$%*d = %ld", &tmp) == 1)
					elem = tmp;
		}
		close_tmpfile();
	});
	fp = save_fp;
	if (elem > 0 && size > 0 && size % elem == 0)
		return size / elem;
	snprintf(cmd, sizeof(cmd), "%s.%s", type, member);
	CRASH_GUARDED({ count = get_array_length(cmd, NULL, 0); });
	return count;
}

static struct mml_error *member_lookup(const char *type, const char *member,
				       struct mml_member_info *ret)
{
	volatile long off = -1, size = -1, code = 0, count = 0;
	char *t = (char *)type, *m = (char *)member;
	bool ok = CRASH_GUARDED({
		off = MEMBER_OFFSET(t, m);
		if (off >= 0) {
			size = MEMBER_SIZE(t, m);
			code = MEMBER_TYPE(t, m);
		} else {
			/* Members of anonymous structs and unions. */
			off = ANON_MEMBER_OFFSET(t, m);
			if (off >= 0)
				size = ANON_MEMBER_SIZE(t, m);
		}
	});
	if (!ok || off < 0 || size < 0)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"%s.%s not found in crash's types",
					type, member);
	if (code == TYPE_CODE_ARRAY) {
		count = array_count(t, m, size);
	} else if (code == 0) {
		char spec[256];
		snprintf(spec, sizeof(spec), "%s.%s", type, member);
		CRASH_GUARDED({ count = get_array_length(spec, NULL, 0); });
		if (count > 0)
			code = TYPE_CODE_ARRAY;
	}
	ret->offset = off;
	ret->size = size;
	ret->kind = kind_of(code);
	ret->count = ret->kind == MML_KIND_ARRAY && count > 0 ? count : 0;
	/* mm_flags_t (6.18+) is a typedef crash may not resolve to a struct. */
	if (ret->kind == MML_KIND_OTHER && size > 0) {
		char *volatile name = NULL;
		CRASH_GUARDED({ name = MEMBER_TYPE_NAME(t, m); });
		if (name && strstr((char *)name, "_t"))
			ret->kind = MML_KIND_STRUCT;
	}
	return NULL;
}

/* Whether crash knows struct or union @type, asked once per type. */
static bool memo_type_exists(struct ext_types_memo *memo, const char *type)
{
	for (size_t i = 0; i < memo->ntypes; i++)
		if (!strcmp(memo->types[i].name, type))
			return memo->types[i].exists;
	volatile bool exists = false;
	char *t = (char *)type;
	CRASH_GUARDED({ exists = STRUCT_EXISTS(t); });
	if (memo->ntypes < EXT_MEMO_TYPES &&
	    strlen(type) < sizeof(memo->types[0].name)) {
		strcpy(memo->types[memo->ntypes].name, type);
		memo->types[memo->ntypes++].exists = exists;
	}
	return exists;
}

/*
 * The layout asks for one member up to four times (offset, size, kind,
 * count), and for members of types this kernel lacks (the sheaves of
 * 6.18+ on an older kernel): gdb searches every compile unit for each,
 * tens of milliseconds apiece. So each member is looked up once, and a
 * missing type once: datatype_info() finds a member by looking up its
 * type first (STRUCT_EXISTS is that lookup), so a type it does not find
 * has no member it could find.
 */
static struct mml_error *crash_member(void *arg, const char *type,
				      const char *member,
				      struct mml_member_info *ret)
{
	struct ext_types_memo *memo = arg;
	struct ext_member_memo *mm = NULL;

	for (size_t i = 0; i < memo->nmembers; i++)
		if (!strcmp(memo->members[i].type, type) &&
		    !strcmp(memo->members[i].member, member))
			mm = &memo->members[i];
	if (!mm && memo->nmembers < EXT_MEMO_MEMBERS &&
	    strlen(type) < sizeof(mm->type) &&
	    strlen(member) < sizeof(mm->member)) {
		mm = &memo->members[memo->nmembers++];
		strcpy(mm->type, type);
		strcpy(mm->member, member);
		mm->found = false;
		if (memo_type_exists(memo, type)) {
			/* It fails with nothing but NOT_FOUND. */
			struct mml_error *err = member_lookup(type, member,
							      &mm->info);
			mm->found = !err;
			mml_error_destroy(err);
		}
	} else if (!mm) {
		return member_lookup(type, member, ret);
	}
	if (!mm->found)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"%s.%s not found in crash's types",
					type, member);
	*ret = mm->info;
	return NULL;
}

static struct mml_error *crash_type_size(void *arg, const char *type,
					 uint64_t *ret)
{
	struct ext_types_memo *memo = arg;
	volatile long size = -1;
	char *t = (char *)type;
	bool ok = memo_type_exists(memo, type) &&
		  CRASH_GUARDED({ size = STRUCT_SIZE(t); });
	if (!ok || size <= 0)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"struct %s not found in crash's types",
					type);
	*ret = size;
	return NULL;
}

static struct mml_error *crash_enumerator(void *arg, const char *enum_type,
					  const char *name, int64_t *ret)
{
	(void)arg;
	(void)enum_type;
	volatile long value = 0;
	volatile int found = 0;
	long tmp;
	bool ok = CRASH_GUARDED({
		found = enumerator_value((char *)name, &tmp);
		value = tmp;
	});
	if (!found) {
		/*
		 * enumerator_value() finds "struct maple_range_64" before the
		 * enumerator of the same name; ask gdb for the constant.
		 */
		char cmd[256], line[BUFSIZE];
		FILE *save_fp = fp;
		snprintf(cmd, sizeof(cmd), "p (long)%s", name);
		ok = CRASH_GUARDED({
			open_tmpfile();
			if (gdb_pass_through(cmd, pc->tmpfile,
					     GNU_RETURN_ON_ERROR)) {
				rewind(pc->tmpfile);
				while (fgets(line, sizeof(line), pc->tmpfile))
					if (sscanf(line, "$%*d = %ld", &tmp) ==
					    1) {
						value = tmp;
						found = 1;
					}
			}
			close_tmpfile();
		});
		fp = save_fp;
	}
	if (!ok || !found)
		return mml_error_create(MML_ERROR_NOT_FOUND,
					"enumerator %s not found", name);
	*ret = value;
	return NULL;
}

static const struct mml_types_ops crash_types_ops = {
	.member = crash_member,
	.type_size = crash_type_size,
	.enumerator = crash_enumerator,
};

void mml_crash_types_init(struct mml_types *types,
			  struct ext_types_memo *memo)
{
	memset(memo, 0, sizeof(*memo));
	types->ops = &crash_types_ops;
	types->arg = memo;
}

static char *vmcoreinfo(const char *key)
{
	char *volatile v = NULL;
	if (pc->read_vmcoreinfo)
		CRASH_GUARDED({ v = pc->read_vmcoreinfo(key); });
	return (char *)v;
}

char *ext_crash_vmcoreinfo(const char *key)
{
	return vmcoreinfo(key);
}

void mml_crash_dump_info(struct mml_dump_info *info)
{
	memset(info, 0, sizeof(*info));
	info->path = strdup(pc->dumpfile ? pc->dumpfile : "live system");
	/* crash knows the format, not the page compression. */
	const char *format = "crash session";
	if (LIVE())
		format = "live system (crash)";
	else if (DISKDUMP_DUMPFILE())
		format = "kdump (read by crash)";
	else if (KDUMP_DUMPFILE())
		format = "elf (read by crash)";
	else if (NETDUMP_DUMPFILE())
		format = "netdump (read by crash)";
	else if (KVMDUMP_DUMPFILE())
		format = "kvmdump (read by crash)";
	else if (SADUMP_DUMPFILE())
		format = "sadump (read by crash)";
	info->format = strdup(format);
	info->release = strdup(kt->utsname.release);
	info->build_id = vmcoreinfo("BUILD-ID");
	info->arch = strdup(MACHINE_TYPE);
	char *off = vmcoreinfo("KERNELOFFSET");
	if (off) {
		info->kaslr_offset = strtoull(off, NULL, 16);
		free(off);
	}
	info->type_source = strdup("crash");
	info->front_end = strdup("crash");
	/* MACHINE_TYPE is "X86_64"; the CLI says "x86_64". */
	for (char *c = info->arch; c && *c; c++)
		*c = *c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c;
	/* MACHINE_TYPE "ARM64"; the CLI (and uname -m) says "aarch64". */
	if (info->arch && strcmp(info->arch, "arm64") == 0) {
		free(info->arch);
		info->arch = strdup("aarch64");
	}
}
