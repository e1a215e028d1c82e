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
 * drops the report, so those failures are never findings.
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
	if (readmem(paddr, PHYSADDR, buf, len, "mmlife page",
		    RETURN_ON_ERROR | QUIET))
		return MML_READ_OK;
	/* Translates, but the dump does not hold it. */
	return MML_READ_EXCLUDED;
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

static const struct mml_target_ops crash_target_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
};

void mml_crash_target_init(struct mml_target *target)
{
	target->ops = &crash_target_ops;
	target->arg = NULL;
	target->page_size = PAGESIZE();
	target->pointer_size = sizeof(void *);
	target->big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
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

static struct mml_error *crash_member(void *arg, const char *type,
				      const char *member,
				      struct mml_member_info *ret)
{
	(void)arg;
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
	if (code == TYPE_CODE_ARRAY || code == 0) {
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

static struct mml_error *crash_type_size(void *arg, const char *type,
					 uint64_t *ret)
{
	(void)arg;
	volatile long size = -1;
	char *t = (char *)type;
	bool ok = CRASH_GUARDED({ size = STRUCT_SIZE(t); });
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

void mml_crash_types_init(struct mml_types *types)
{
	types->ops = &crash_types_ops;
	types->arg = NULL;
}

static char *vmcoreinfo(const char *key)
{
	char *volatile v = NULL;
	if (pc->read_vmcoreinfo)
		CRASH_GUARDED({ v = pc->read_vmcoreinfo(key); });
	return (char *)v;
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
}
