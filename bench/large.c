// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * large: the workload of the benchmark dump (bench/gen-large.sh).
 *
 * usage: large NPROC NVMAS
 *   maps one anonymous region of NVMAS pages, PROT_READ, and mprotect()s
 *   every other page PROT_READ|PROT_WRITE, so the region splits into NVMAS
 *   one-page VMAs that never merge (nothing is touched: no page tables, no
 *   anon_vma); then forks NPROC-1 children that share this image (each
 *   child's tree is a copy, __mt_dup) and pause(). Prints "LARGE ..." lines.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long nproc = argc > 1 ? atol(argv[1]) : 2000;
	long nvmas = argc > 2 ? atol(argv[2]) : 500;
	long pg = sysconf(_SC_PAGESIZE), i;
	char *p;
	time_t t0 = time(NULL);

	p = mmap(NULL, nvmas * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (i = 1; i < nvmas; i += 2)
		if (mprotect(p + i * pg, pg, PROT_READ | PROT_WRITE)) {
			perror("mprotect");
			return 1;
		}
	printf("LARGE mapped %ld VMAs at %p\n", nvmas, (void *)p);
	fflush(stdout);
	for (i = 1; i < nproc; i++) {
		pid_t c = fork();

		if (c < 0) {
			printf("LARGE fork %ld failed\n", i);
			break;
		}
		if (c == 0) {
			for (;;)
				pause();
		}
		if (i % 250 == 0) {
			printf("LARGE forked %ld (%lds)\n", i, (long)(time(NULL) - t0));
			fflush(stdout);
		}
	}
	printf("LARGE READY %ld processes x %ld VMAs in %lds\n", i, nvmas, (long)(time(NULL) - t0));
	fflush(stdout);
	for (;;)
		pause();
}
