/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the fuzz harnesses that edit a fake kernel share: the input read
 * as a little-endian byte stream, and a monotonic clock for their time
 * bounds (also the bounds program's).
 */
#ifndef MMLIFE_FUZZ_INPUT_H
#define MMLIFE_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct in {
	const uint8_t *p;
	size_t n;
};

static inline int get8(struct in *in, uint8_t *v)
{
	if (!in->n)
		return 0;
	*v = *in->p++;
	in->n--;
	return 1;
}

static inline int get16(struct in *in, uint16_t *v)
{
	uint8_t a, b;
	if (!get8(in, &a) || !get8(in, &b))
		return 0;
	*v = (uint16_t)(a | b << 8);
	return 1;
}

static inline double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#endif
