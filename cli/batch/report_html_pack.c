// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mmlife report --html: the dumps' sections packed as gzip in base64, for
 * the page's script to unpack (DecompressionStream) when a section opens.
 * Ten thousand dumps' evidence is some 20 MB of HTML that a browser would
 * parse at every load; packed, the page stays a few MB and opens at once,
 * and a section costs only its own parse.
 */
#include <stdlib.h>

#include <zlib.h>

#include "mmlife/cleanup.h"
#include "report_html.h"

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 in lines of 76 (atob skips the newlines). */
static void base64_write(const unsigned char *p, size_t n, FILE *out)
{
	size_t col = 0;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		fputc(b64[v >> 18 & 63], out);
		fputc(b64[v >> 12 & 63], out);
		fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', out);
		fputc(i + 2 < n ? b64[v & 63] : '=', out);
		col += 4;
		if (col == 76) {
			fputc('\n', out);
			col = 0;
		}
	}
	fputc('\n', out);
}

struct mml_error *batch_html_pack(const char *buf, size_t len, FILE *out)
{
	z_stream z = { 0 };

	/* 15 + 16: a gzip header, which DecompressionStream("gzip") reads. */
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return mml_error_create(MML_ERROR_OS, "zlib: deflateInit2");
	uLong cap = deflateBound(&z, (uLong)len);
	_cleanup_free_ unsigned char *zbuf = malloc(cap);
	if (!zbuf) {
		deflateEnd(&z);
		return &mml_enomem;
	}
	z.next_in = (Bytef *)buf;
	z.avail_in = (uInt)len;
	z.next_out = zbuf;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	size_t zlen = cap - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		return mml_error_create(MML_ERROR_OS, "zlib: deflate: %d", rc);
	base64_write(zbuf, zlen, out);
	return NULL;
}
