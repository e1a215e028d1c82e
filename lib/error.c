// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mmlife/error.h"

struct mml_error mml_enomem = {
	.code = MML_ERROR_NOMEM,
	.needs_destroy = false,
	.message = (char *)"out of memory",
};

static struct mml_error *error_vcreate(enum mml_error_code code,
				       uint64_t address, const char *fmt,
				       va_list ap)
{
	struct mml_error *err = malloc(sizeof(*err));
	if (!err)
		return &mml_enomem;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &mml_enomem;
	}
	err->code = code;
	err->needs_destroy = true;
	err->address = address;
	return err;
}

struct mml_error *mml_error_create(enum mml_error_code code, const char *fmt,
				   ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct mml_error *err = error_vcreate(code, 0, fmt, ap);
	va_end(ap);
	return err;
}

struct mml_error *mml_error_at(enum mml_error_code code, uint64_t address,
			       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct mml_error *err = error_vcreate(code, address, fmt, ap);
	va_end(ap);
	return err;
}

struct mml_error *mml_error_wrap(struct mml_error *err, const char *fmt, ...)
{
	if (!err || !err->needs_destroy)
		return err;
	char *prefix;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (r < 0)
		return err;
	char *msg;
	if (asprintf(&msg, "%s: %s", prefix, err->message) >= 0) {
		free(err->message);
		err->message = msg;
	}
	free(prefix);
	return err;
}

void mml_error_destroy(struct mml_error *err)
{
	if (err && err->needs_destroy) {
		free(err->message);
		free(err);
	}
}

const char *mml_error_code_name(enum mml_error_code code)
{
	switch (code) {
	case MML_ERROR_NOMEM: return "nomem";
	case MML_ERROR_INVALID_ADDRESS: return "invalid-address";
	case MML_ERROR_EXCLUDED: return "excluded-page";
	case MML_ERROR_NOT_FOUND: return "not-found";
	case MML_ERROR_UNSUPPORTED: return "unsupported";
	case MML_ERROR_CORRUPT: return "corrupt";
	case MML_ERROR_LIMIT: return "limit";
	case MML_ERROR_OS: return "os";
	case MML_ERROR_INPUT: return "input";
	case MML_ERROR_USAGE: return "usage";
	case MML_ERROR_OTHER: break;
	}
	return "other";
}
