// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 through nettle: the shard key of a path, a dump's header
 * fingerprint and, with --hash, its whole-content hash. nettle's context
 * is a plain struct with nothing to set up, where OpenSSL 3 loaded its
 * default provider on a process's first digest (5.2 M instructions, paid
 * by every scan worker for its 64 KiB fingerprint); Debian's nettle is a
 * fat build that uses the CPU's SHA extensions where there are some.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "mmlife/cleanup.h"
#include "batch.h"

struct batch_sha256 {
	struct sha256_ctx ctx;
};

void batch_sha256_hex(const unsigned char digest[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

struct mml_error *batch_sha256_create(struct batch_sha256 **ret)
{
	struct batch_sha256 *c = malloc(sizeof(*c));

	if (!c)
		return &mml_enomem;
	sha256_init(&c->ctx);
	*ret = c;
	return NULL;
}

void batch_sha256_update(struct batch_sha256 *c, const void *data,
			 size_t len)
{
	sha256_update(&c->ctx, len, data);
}

void batch_sha256_final(struct batch_sha256 *c, char hex[65])
{
	unsigned char md[SHA256_DIGEST_SIZE];

	sha256_digest(&c->ctx, sizeof(md), md);
	batch_sha256_hex(md, hex);
}

void batch_sha256_destroy(struct batch_sha256 *c)
{
	free(c);
}

uint64_t batch_shard_key(const char *rel)
{
	struct sha256_ctx c;
	unsigned char md[SHA256_DIGEST_SIZE];

	sha256_init(&c);
	sha256_update(&c, strlen(rel), (const uint8_t *)rel);
	sha256_digest(&c, sizeof(md), md);
	/* The first 64 bits, big-endian: what `sha256sum | cut -c1-16`
	 * reads as a hex number, the same on every host. */
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | md[i];
	return k;
}

struct mml_error *batch_sha256_fd(int fd, char hex[65])
{
	enum { CHUNK = 1 << 20 };
	struct batch_sha256 *c;
	_cleanup_free_ unsigned char *buf = malloc(CHUNK);

	if (!buf)
		return &mml_enomem;
	struct mml_error *err = batch_sha256_create(&c);
	if (err)
		return err;
	for (off_t off = 0;;) {
		ssize_t n = pread(fd, buf, CHUNK, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			batch_sha256_destroy(c);
			return mml_error_create(MML_ERROR_OS, "%s",
						strerror(errno));
		}
		if (n == 0)
			break;
		batch_sha256_update(c, buf, (size_t)n);
		off += n;
	}
	batch_sha256_final(c, hex);
	batch_sha256_destroy(c);
	return NULL;
}
