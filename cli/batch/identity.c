// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A dump's identity, for resume and for telling copies apart, from what
 * is cheap and sufficient instead of the whole file (which can be as
 * large as the crashed machine's RAM):
 *
 * - stat: device, inode, size, mtime and ctime in ns. All equal to what
 *   the database holds: the file is unchanged and is not opened at all.
 *   ctime is there because no user can set it: a file rewritten in place
 *   with its old mtime put back (touch -d) still has a new ctime.
 * - The header fingerprint: SHA-256 of the first FINGERPRINT_HEAD bytes
 *   (the kdump or ELF headers, the sub-header, the start of the notes)
 *   and of the VMCOREINFO text (OSRELEASE, BUILD-ID, CRASHTIME: which
 *   kernel and which crash), read with the CLI's own readers. A file
 *   with the same size and mtime whose stat says otherwise (copied,
 *   restored, chmod-ed, touched) is read this far, and is unchanged when
 *   the fingerprint is.
 *
 * The whole-content hash is an option (--hash, hash.c).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "dump/dump.h"
#include "batch.h"

enum { FINGERPRINT_HEAD = 64 << 10 };

void batch_identity_from_stat(const struct stat *st,
			      struct batch_identity *ret)
{
	ret->dev = (uint64_t)st->st_dev;
	ret->ino = (uint64_t)st->st_ino;
	ret->size = (uint64_t)st->st_size;
	ret->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
			st->st_mtim.tv_nsec;
	ret->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 +
			st->st_ctim.tv_nsec;
}

/* CRASHTIME= (seconds since the epoch, written by the crashing kernel's
 * crash_save_vmcoreinfo()) as ISO 8601 UTC; nothing if absent or not a
 * plain number. */
static void crash_time_hint(const struct cli_vmcoreinfo *vi,
			    struct batch_header *ret)
{
	size_t len;
	const char *v = cli_vmcoreinfo_line(vi, "CRASHTIME", &len);
	char num[24];

	if (!v || len == 0 || len >= sizeof(num))
		return;
	memcpy(num, v, len);
	num[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)num[i]))
			return;
	time_t sec = (time_t)strtoll(num, NULL, 10);
	struct tm tm;
	if (!gmtime_r(&sec, &tm))
		return;
	strftime(ret->crash_time, sizeof(ret->crash_time),
		 "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* OSRELEASE and BUILD-ID of @raw into @ret, printable only: they go
 * into the record when the analysis cannot say. */
static void header_hints(char *raw, struct batch_header *ret)
{
	struct cli_vmcoreinfo vi;
	struct mml_error *err = cli_vmcoreinfo_parse(raw, &vi);

	if (err) {  /* no OSRELEASE: no hints (@raw is freed) */
		mml_error_destroy(err);
		return;
	}
	snprintf(ret->release, sizeof(ret->release), "%s", vi.osrelease);
	for (char *c = ret->release; *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			*c = '?';
	if (vi.build_id) {
		snprintf(ret->build_id, sizeof(ret->build_id), "%s",
			 vi.build_id);
		for (char *c = ret->build_id; *c; c++)
			if (!isxdigit((unsigned char)*c))
				*c = '\0';
	}
	crash_time_hint(&vi, ret);
	cli_vmcoreinfo_deinit(&vi);
}

struct mml_error *batch_header_read(int fd, uint64_t size,
				    struct batch_header *ret)
{
	size_t head = size < FINGERPRINT_HEAD ? (size_t)size
					      : FINGERPRINT_HEAD;
	_cleanup_free_ unsigned char *buf = malloc(head ? head : 1);
	struct batch_sha256 *c;
	char *raw = NULL;

	memset(ret, 0, sizeof(*ret));
	if (!buf)
		return &mml_enomem;
	if (head && !cli_read_all(fd, buf, head, 0))
		return mml_error_create(MML_ERROR_OS, "cannot read its first "
					"%zu bytes", head);
	struct mml_error *err = batch_sha256_create(&c);
	if (err)
		return err;
	batch_sha256_update(c, buf, head);
	err = cli_vmcoreinfo_read_file(fd, &raw);
	if (!err) {
		/* The separator keeps "head + text" unambiguous. */
		batch_sha256_update(c, "\0VMCOREINFO\0", 12);
		batch_sha256_update(c, raw, strlen(raw));
		header_hints(raw, ret);
	}
	mml_error_destroy(err);  /* no VMCOREINFO: the head alone */
	batch_sha256_final(c, ret->fingerprint);
	batch_sha256_destroy(c);
	return NULL;
}
