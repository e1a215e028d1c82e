// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor: the raw-read floor of the benchmark. Opens the dump with
 * libkdumpfile as mmlife does (kdump_open_fd, OSTYPE linux) and replays a
 * page list recorded by tracepages.so ("ADDRSPACE ADDR LEN" lines): the same
 * kdump_read() calls, same order, no analysis. Prints the count and time.
 *   floor DUMP PAGELIST
 * libkdumpfile's "cache.size" is 16, as mmlife sets it (cli/dump.c);
 * FLOOR_CACHE_SIZE=N overrides it (0.5.1's default is 1024, and its linear
 * lookup then costs ~25,000 instructions per read).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <libkdumpfile/kdumpfile.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: floor DUMP PAGELIST\n");
		return 2;
	}
	FILE *f = fopen(argv[2], "r");
	if (!f) {
		perror(argv[2]);
		return 2;
	}
	size_t n = 0, cap = 1 << 16;
	struct req { int as; unsigned long long addr; size_t len; } *v = malloc(cap * sizeof(*v));
	struct req r;
	while (fscanf(f, "%d %llx %zu", &r.as, &r.addr, &r.len) == 3) {
		if (n == cap)
			v = realloc(v, (cap *= 2) * sizeof(*v));
		v[n++] = r;
	}
	fclose(f);
	double t0 = now();
	int fd = open(argv[1], O_RDONLY);
	kdump_ctx_t *ctx = kdump_new();
	if (fd < 0 || !ctx || kdump_open_fd(ctx, fd) != KDUMP_OK ||
	    kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK) {
		fprintf(stderr, "floor: cannot open %s\n", argv[1]);
		return 1;
	}
	const char *cs = getenv("FLOOR_CACHE_SIZE");
	if (kdump_set_number_attr(ctx, "cache.size", cs && *cs ? strtoul(cs, NULL, 0) : 16) != KDUMP_OK)
		fprintf(stderr, "floor: cache.size: %s\n", kdump_get_err(ctx));
	double t1 = now();
	static unsigned char buf[1 << 16];
	size_t ok = 0, bad = 0;
	unsigned long long sum = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = v[i].len > sizeof(buf) ? sizeof(buf) : v[i].len;
		if (kdump_read(ctx, (kdump_addrspace_t)v[i].as, v[i].addr, buf, &len) == KDUMP_OK) {
			ok++;
			sum += buf[0];
		} else {
			bad++;
		}
	}
	double t2 = now();
	printf("{\"reads\": %zu, \"ok\": %zu, \"failed\": %zu, \"open_s\": %.4f, \"read_s\": %.4f, \"total_s\": %.4f, \"sum\": %llu}\n",
	       n, ok, bad, t1 - t0, t2 - t1, t2 - t0, sum);
	kdump_free(ctx);
	close(fd);
	return 0;
}
