/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mmlife error objects.
 *
 * Every fallible function returns a struct mml_error * (NULL means success).
 * The caller owns the error and frees it with mml_error_destroy(), which is
 * a no-op for the static singletons such as mml_enomem.
 */
#ifndef MMLIFE_ERROR_H
#define MMLIFE_ERROR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum mml_error_code {
	MML_ERROR_NOMEM = 1,
	/* A kernel virtual address that does not translate. */
	MML_ERROR_INVALID_ADDRESS,
	/* The page exists but was filtered out of the dump. */
	MML_ERROR_EXCLUDED,
	/* A symbol, type, member or enumerator is not there. */
	MML_ERROR_NOT_FOUND,
	/* The kernel or the dump is of a kind mmlife does not handle. */
	MML_ERROR_UNSUPPORTED,
	/* The data read makes no sense. */
	MML_ERROR_CORRUPT,
	/* A walk limit was reached. */
	MML_ERROR_LIMIT,
	/* A system call failed; see the message. */
	MML_ERROR_OS,
	/* The input file is not usable (not a dump, truncated, ...). */
	MML_ERROR_INPUT,
	/* Bad arguments from the user. */
	MML_ERROR_USAGE,
	MML_ERROR_OTHER,
};

struct mml_error {
	enum mml_error_code code;
	bool needs_destroy;
	/* For address errors, the address; otherwise 0. */
	uint64_t address;
	char *message;
};

extern struct mml_error mml_enomem;

struct mml_error *mml_error_create(enum mml_error_code code,
				   const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
struct mml_error *mml_error_at(enum mml_error_code code, uint64_t address,
			       const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Prefix an existing error's message with context ("reading X: ..."). */
struct mml_error *mml_error_wrap(struct mml_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mml_error_destroy(struct mml_error *err);
const char *mml_error_code_name(enum mml_error_code code);

#endif /* MMLIFE_ERROR_H */
