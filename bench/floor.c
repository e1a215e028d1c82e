// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * floor: the raw-read floor of the benchmark. Opens the dump with
 * libkdumpfile as mmlife does (kdump_open_fd, OSTYPE linux) and replays a
 * page list recorded by tracepages.so ("ADDRSPACE ADDR LEN" lines): the same
 * kdump_read() calls, same order, no analysis. Prints the count and time.
 *   floor [--kpages] DUMP PAGELIST
 *   floor --pack PAGELIST PAGES.BIN
 * --pack writes the list as fixed-size binary records (struct req), which
 * the timed runs read with one read(): parsing the text list with fscanf()
 * cost ~135 M instructions for 56,000 lines, more than the page reads on an
 * uncompressed dump, and a floor that includes it flatters the CLI against
 * it. A PAGELIST whose name ends in ".bin" is read as packed.
 * --kpages: read the pages as mmlife does by default, through its own page
 * path (fmt/kpages.c: the dump's descriptors, libdeflate) with
 * libkdumpfile's address translation, falling back to kdump_read().
 * libkdumpfile's "cache.size" is 16, as mmlife sets it (cli/dump/dump.c);
 * FLOOR_CACHE_SIZE=N overrides it (0.5.1's default is 1024, and its linear
 * lookup then costs ~25,000 instructions per read).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <string.h>
#include <libkdumpfile/kdumpfile.h>

#include "kpages.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct req {
	uint64_t as;
	uint64_t addr;
	uint64_t len;
};

/* The text list into *@v (the untimed set-up of --pack). */
static size_t reqs_parse(const char *path, struct req **v)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t n = 0, cap = 1 << 16;
	int as;
	unsigned long long addr;
	size_t len;
	*v = malloc(cap * sizeof(**v));
	while (fscanf(f, "%d %llx %zu", &as, &addr, &len) == 3) {
		if (n == cap)
			*v = realloc(*v, (cap *= 2) * sizeof(**v));
		(*v)[n++] = (struct req){ (uint64_t)as, addr, len };
	}
	fclose(f);
	return n;
}

/* A packed list: one read of the whole file. */
static size_t reqs_load(const char *path, struct req **v)
{
	int fd = open(path, O_RDONLY);
	off_t size = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	if (size < 0 || size % sizeof(**v) || !(*v = malloc(size + 1)) ||
	    pread(fd, *v, size, 0) != size) {
		fprintf(stderr, "floor: cannot read %s\n", path);
		exit(2);
	}
	close(fd);
	return size / sizeof(**v);
}

static int reqs_pack(const char *txt, const char *bin)
{
	struct req *v;
	size_t n = reqs_parse(txt, &v);
	FILE *f = fopen(bin, "w");
	if (!f || fwrite(v, sizeof(*v), n, f) != n || fclose(f)) {
		perror(bin);
		return 2;
	}
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--pack"))
		return reqs_pack(argv[2], argv[3]);
	int use_kpages = argc > 1 && !strcmp(argv[1], "--kpages");
	argc -= use_kpages;
	argv += use_kpages;
	if (argc != 3) {
		fprintf(stderr, "usage: floor [--kpages] DUMP PAGELIST\n"
			"       floor --pack PAGELIST PAGES.BIN\n");
		return 2;
	}
	struct req *v;
	size_t plen = strlen(argv[2]);
	size_t n = plen > 4 && !strcmp(argv[2] + plen - 4, ".bin") ?
		reqs_load(argv[2], &v) : reqs_parse(argv[2], &v);
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
	struct mml_kpages *kp = NULL;
	addrxlat_ctx_t *axctx = NULL;
	addrxlat_sys_t *axsys = NULL;
	off_t size = lseek(fd, 0, SEEK_END);
	if (use_kpages && (mml_kpages_open(fd, (uint64_t)size, &kp) || !kp ||
			   kdump_get_addrxlat(ctx, &axctx, &axsys) != KDUMP_OK)) {
		fprintf(stderr, "floor: no kpages path for %s\n", argv[1]);
		return 1;
	}
	double t1 = now();
	static unsigned char buf[1 << 16];
	size_t ok = 0, bad = 0;
	unsigned long long sum = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = v[i].len > sizeof(buf) ? sizeof(buf) : v[i].len;
		addrxlat_fulladdr_t fa = { .addr = v[i].addr, .as = (addrxlat_addrspace_t)v[i].as };
		if (kp && len == 4096 && !(v[i].addr & 4095) &&
		    addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, axctx, axsys) == ADDRXLAT_OK &&
		    mml_kpages_read(kp, fa.addr / 4096, buf) == MML_KPAGES_OK) {
			ok++;
			sum += buf[0];
		} else if (kdump_read(ctx, (kdump_addrspace_t)v[i].as, v[i].addr, buf, &len) == KDUMP_OK) {
			ok++;
			sum += buf[0];
		} else {
			bad++;
		}
	}
	double t2 = now();
	printf("{\"reads\": %zu, \"ok\": %zu, \"failed\": %zu, \"open_s\": %.4f, \"read_s\": %.4f, \"total_s\": %.4f, \"sum\": %llu}\n",
	       n, ok, bad, t1 - t0, t2 - t1, t2 - t0, sum);
	if (kp) {
		mml_kpages_destroy(kp);
		addrxlat_ctx_decref(axctx);
		addrxlat_sys_decref(axsys);
	}
	kdump_free(ctx);
	close(fd);
	return 0;
}
