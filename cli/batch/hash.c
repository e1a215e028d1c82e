// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SHA-256 through libcrypto (OpenSSL): the shard key of a path, a dump's
 * header fingerprint and, with --hash, its whole-content hash. A
 * well-kept library uses the CPU's SHA extensions where there are some,
 * about four times the speed of a portable C loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "mmlife/cleanup.h"
#include "batch.h"

void batch_sha256_hex(const unsigned char digest[32], char hex[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		hex[2 * i] = digits[digest[i] >> 4];
		hex[2 * i + 1] = digits[digest[i] & 15];
	}
	hex[64] = '\0';
}

void batch_sha256_prepare(void)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	/* The digest itself is thrown away: a failure here fails again,
	 * and is said, where a digest is needed. */
	EVP_Digest("", 0, md, &n, EVP_sha256(), NULL);
}

struct mml_error *batch_sha256_create(struct batch_sha256 **ret)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	if (!c)
		return &mml_enomem;
	if (EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(c);
		return mml_error_create(MML_ERROR_OS,
					"libcrypto has no SHA-256");
	}
	*ret = (struct batch_sha256 *)c;
	return NULL;
}

void batch_sha256_update(struct batch_sha256 *c, const void *data,
			 size_t len)
{
	/* Cannot fail for an initialised SHA-256 context. */
	EVP_DigestUpdate((EVP_MD_CTX *)c, data, len);
}

void batch_sha256_final(struct batch_sha256 *c, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex((EVP_MD_CTX *)c, md, &n);
	batch_sha256_hex(md, hex);
}

void batch_sha256_destroy(struct batch_sha256 *c)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)c);
}

struct mml_error *batch_shard_key(const char *rel, uint64_t *ret)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(rel, strlen(rel), md, &n, EVP_sha256(), NULL) != 1 ||
	    n != 32)
		return mml_error_create(MML_ERROR_OS,
					"libcrypto: SHA-256 failed");
	/* The first 64 bits, big-endian: what `sha256sum | cut -c1-16`
	 * reads as a hex number, the same on every host. */
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k = k << 8 | md[i];
	*ret = k;
	return NULL;
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
