// SPDX-License-Identifier: GPL-2.0-or-later
/* Small containers and field access used across the core. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

uint64_t mml_get_uint(const void *buf, uint64_t off, uint64_t size)
{
	const unsigned char *p = (const unsigned char *)buf + off;
	switch (size) {
	case 1:
		return p[0];
	case 2: {
		uint16_t v;
		memcpy(&v, p, 2);
		return v;
	}
	case 4:
		return mml_get_u32(buf, off);
	default:
		return mml_get_u64(buf, off);
	}
}

/* 2 MiB: x86-64's and arm64's (4 KiB pages) transparent huge page. */
#define MML_HUGE_PAGE ((size_t)2 << 20)

void *mml_alloc_huge(size_t bytes)
{
	if (bytes < MML_HUGE_PAGE)
		return malloc(bytes);
	if (bytes > SIZE_MAX - MML_HUGE_PAGE)
		return NULL;
	bytes = (bytes + MML_HUGE_PAGE - 1) & ~(MML_HUGE_PAGE - 1);
	void *data = aligned_alloc(MML_HUGE_PAGE, bytes);
#ifdef MADV_HUGEPAGE
	if (data)
		madvise(data, bytes, MADV_HUGEPAGE); /* a hint: may fail */
#endif
	return data;
}

void *mml_vec_push(struct mml_vec *vec)
{
	if (vec->len == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 8;
		void *data = realloc(vec->data, cap * vec->elem);
		if (!data)
			return NULL;
		vec->data = data;
		vec->cap = cap;
	}
	void *p = (char *)vec->data + vec->len * vec->elem;
	memset(p, 0, vec->elem);
	vec->len++;
	return p;
}

void mml_vec_free(struct mml_vec *vec)
{
	free(vec->data);
	vec->data = NULL;
	vec->len = vec->cap = 0;
}

void mml_map_init(struct mml_map *map)
{
	memset(map, 0, sizeof(*map));
}

void mml_map_deinit(struct mml_map *map)
{
	free(map->keys);
	free(map->values);
	mml_map_init(map);
}

static size_t map_slot(uint64_t key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (cap - 1);
}

static bool map_grow(struct mml_map *map)
{
	size_t cap = map->cap ? map->cap * 2 : 64;
	uint64_t *keys = calloc(cap, sizeof(*keys));
	uint64_t *values = calloc(cap, sizeof(*values));
	if (!keys || !values) {
		free(keys);
		free(values);
		return false;
	}
	for (size_t i = 0; i < map->cap; i++) {
		if (!map->keys[i])
			continue;
		size_t j = map_slot(map->keys[i], cap);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = map->keys[i];
		values[j] = map->values[i];
	}
	free(map->keys);
	free(map->values);
	map->keys = keys;
	map->values = values;
	map->cap = cap;
	return true;
}

bool mml_map_insert(struct mml_map *map, uint64_t key, uint64_t value,
		    bool *inserted)
{
	/* Key 0 is never a kernel address worth storing; keep it as empty. */
	if (!key) {
		*inserted = false;
		return true;
	}
	if ((map->len + 1) * 2 > map->cap && !map_grow(map))
		return false;
	size_t j = map_slot(key, map->cap);
	while (map->keys[j]) {
		if (map->keys[j] == key) {
			*inserted = false;
			return true;
		}
		j = (j + 1) & (map->cap - 1);
	}
	map->keys[j] = key;
	map->values[j] = value;
	map->len++;
	*inserted = true;
	return true;
}

bool mml_map_get(const struct mml_map *map, uint64_t key, uint64_t *value)
{
	if (!key || !map->cap)
		return false;
	size_t j = map_slot(key, map->cap);
	while (map->keys[j]) {
		if (map->keys[j] == key) {
			if (value)
				*value = map->values[j];
			return true;
		}
		j = (j + 1) & (map->cap - 1);
	}
	return false;
}
