// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * makedumpfile's flattened format (makedumpfile -F, for writing a dump to a
 * pipe). libkdumpfile 0.5.1 does not read it, so mmlife reassembles it the
 * way "makedumpfile -R" does:
 *
 *   a 4096-byte header: char signature[16] = "makedumpfile", then int64
 *   type (1) and int64 version, big endian;
 *   records: int64 offset, int64 size (big endian), then size bytes that
 *   belong at offset in the real dump file;
 *   an end record whose offset and size are both -1.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "dump.h"

enum {
	FLAT_HEADER_SIZE = 4096,
	FLAT_SIGNATURE_LEN = 16,
	FLAT_TYPE = 1,
	FLAT_COPY_CHUNK = 1 << 20,
};

static const char flat_signature[] = "makedumpfile";

bool cli_flattened_detect(int fd)
{
	char hdr[FLAT_SIGNATURE_LEN + 16];
	uint64_t type;

	if (!cli_read_all(fd, hdr, sizeof(hdr), 0))
		return false;
	if (memcmp(hdr, flat_signature, sizeof(flat_signature)) != 0)
		return false;
	memcpy(&type, hdr + FLAT_SIGNATURE_LEN, sizeof(type));
	return be64toh(type) == FLAT_TYPE;
}

struct mml_error *cli_flattened_reassemble(int fd, int *fd_ret)
{
	_cleanup_close_ int out = -1;
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	off_t pos = FLAT_HEADER_SIZE;
	uint64_t records = 0;

	if (fstat(fd, &st) < 0)
		return mml_error_create(MML_ERROR_OS, "flattened dump: %s",
					strerror(errno));
	struct mml_error *err = cli_tmpfile_create("reassembled dump", &out);
	if (err)
		return err;
	buf = malloc(FLAT_COPY_CHUNK);
	if (!buf)
		return &mml_enomem;

	for (;;) {
		int64_t rec[2];
		if (!cli_read_all(fd, rec, sizeof(rec), pos))
			return mml_error_create(
				MML_ERROR_INPUT,
				"flattened dump is truncated: no end record "
				"after %llu records (file offset %lld)",
				(unsigned long long)records, (long long)pos);
		int64_t off = (int64_t)be64toh((uint64_t)rec[0]);
		int64_t size = (int64_t)be64toh((uint64_t)rec[1]);
		pos += sizeof(rec);
		if (off == -1 && size == -1)
			break;
		if (off < 0 || size <= 0 || size > st.st_size ||
		    off > INT64_MAX - size)
			return mml_error_create(
				MML_ERROR_INPUT,
				"flattened dump is corrupt: bad record "
				"(offset %lld, size %lld) at file offset %lld",
				(long long)off, (long long)size,
				(long long)(pos - (off_t)sizeof(rec)));
		while (size > 0) {
			size_t n = size > FLAT_COPY_CHUNK ? FLAT_COPY_CHUNK
							  : (size_t)size;
			if (!cli_read_all(fd, buf, n, pos))
				return mml_error_create(
					MML_ERROR_INPUT,
					"flattened dump is truncated in record "
					"%llu (file offset %lld)",
					(unsigned long long)records,
					(long long)pos);
			if (!cli_write_all(out, buf, n, off))
				return mml_error_create(
					MML_ERROR_OS,
					"writing the reassembled dump: %s",
					strerror(errno));
			pos += (off_t)n;
			off += (int64_t)n;
			size -= (int64_t)n;
		}
		records++;
	}
	if (records == 0)
		return mml_error_create(MML_ERROR_INPUT,
					"flattened dump holds no data");
	*fd_ret = out;
	out = -1;
	return NULL;
}
