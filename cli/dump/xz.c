// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dumps shipped as one xz stream ("makedumpfile -E -d 31 | xz"): mmlife
 * decompresses them with liblzma into an anonymous scratch file, so that
 * libkdumpfile sees the real dump. A truncated or damaged stream is an
 * error, not a shorter dump.
 */
#include <errno.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "dump.h"

enum { XZ_CHUNK = 1 << 20 };

static const unsigned char xz_magic[6] = { 0xfd, '7', 'z', 'X', 'Z', 0 };

bool cli_xz_detect(int fd)
{
	unsigned char m[sizeof(xz_magic)];
	return pread(fd, m, sizeof(m), 0) == (ssize_t)sizeof(m) &&
	       !memcmp(m, xz_magic, sizeof(m));
}

static const char *xz_strerror(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_FORMAT_ERROR: return "not an xz stream";
	case LZMA_OPTIONS_ERROR: return "unsupported xz options";
	case LZMA_DATA_ERROR: return "corrupt xz data";
	case LZMA_BUF_ERROR: return "xz stream is truncated";
	default: return "xz decoding failed";
	}
}

static struct mml_error *xz_decode(int in, int out, lzma_stream *strm,
				   unsigned char *ibuf, unsigned char *obuf)
{
	off_t ipos = 0, opos = 0;
	lzma_action action = LZMA_RUN;

	strm->next_out = obuf;
	strm->avail_out = XZ_CHUNK;
	for (;;) {
		if (strm->avail_in == 0 && action == LZMA_RUN) {
			ssize_t n = pread(in, ibuf, XZ_CHUNK, ipos);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return mml_error_create(MML_ERROR_OS,
							"reading: %s",
							strerror(errno));
			if (n == 0)
				action = LZMA_FINISH;
			ipos += n;
			strm->next_in = ibuf;
			strm->avail_in = (size_t)n;
		}
		lzma_ret r = lzma_code(strm, action);
		if (strm->avail_out == 0 || r == LZMA_STREAM_END) {
			size_t n = XZ_CHUNK - strm->avail_out;
			if (!cli_write_all(out, obuf, n, opos))
				return mml_error_create(
					MML_ERROR_OS,
					"writing the decompressed dump: %s",
					strerror(errno));
			opos += (off_t)n;
			strm->next_out = obuf;
			strm->avail_out = XZ_CHUNK;
		}
		if (r == LZMA_STREAM_END)
			return NULL;
		if (r != LZMA_OK)
			return mml_error_create(
				MML_ERROR_INPUT,
				"cannot decompress the xz container: %s "
				"(after %lld bytes of output)",
				xz_strerror(r), (long long)opos);
	}
}

struct mml_error *cli_xz_decompress(int fd, int *fd_ret)
{
	lzma_stream strm = LZMA_STREAM_INIT;
	_cleanup_free_ unsigned char *ibuf = malloc(XZ_CHUNK);
	_cleanup_free_ unsigned char *obuf = malloc(XZ_CHUNK);
	_cleanup_close_ int out = -1;

	if (!ibuf || !obuf)
		return &mml_enomem;
	struct mml_error *err = cli_tmpfile_create("decompressed dump", &out);
	if (err)
		return err;
	if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) !=
	    LZMA_OK)
		return mml_error_create(MML_ERROR_OTHER,
					"cannot start the xz decoder");
	err = xz_decode(fd, out, &strm, ibuf, obuf);
	lzma_end(&strm);
	if (err)
		return err;
	*fd_ret = out;
	out = -1;
	return NULL;
}
