// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * forkfail: make a real fork() fail inside dup_mmap() with a memory cgroup.
 *
 * usage: forkfail NVMAS CGROUPDIR [PAGEOUT]
 *   - creates NVMAS one-page anonymous VMAs separated by one-page holes (so
 *     they never merge) and touches each page (anon_vma + page tables);
 *   - with PAGEOUT > 0, MADV_PAGEOUT the first PAGEOUT of them (needs swap):
 *     the parent then has swap entries, and a fork copies them, which links
 *     the child mm into init_mm.mmlist;
 *   - joins CGROUPDIR, sets oom_score_adj -1000, measures what one fork
 *     costs in the cgroup (child kept alive while reading memory.current),
 *     then sets memory.max = memory.current + a shrinking fraction of that
 *     cost and forks until fork() fails.
 * It prints "FORKFAIL ..." lines on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static char cg[256];

static void wr(const char *file, const char *val)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", cg, file);
	fd = open(p, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		fprintf(stderr, "FORKFAIL write %s=%s: %s\n", p, val, strerror(errno));
	if (fd >= 0)
		close(fd);
}

static long rd(const char *file)
{
	char p[512], buf[64] = "";
	int fd, n;

	snprintf(p, sizeof(p), "%s/%s", cg, file);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return atol(buf);
}

int main(int argc, char **argv)
{
	long nvmas = argc > 1 ? atol(argv[1]) : 6000;
	long pageout = argc > 3 ? atol(argv[3]) : 0;
	long pg = sysconf(_SC_PAGESIZE);
	char *base, buf[64];
	long i, cost, cur;
	int pfd[2];
	pid_t pid;

	snprintf(cg, sizeof(cg), "%s", argc > 2 ? argv[2] : "/sys/fs/cgroup/ff");
	base = mmap(NULL, 2 * nvmas * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	munmap(base, 2 * nvmas * pg);
	for (i = 0; i < nvmas; i++) {
		char *p = mmap(base + 2 * i * pg, pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		if (p == MAP_FAILED) {
			perror("mmap fixed");
			return 1;
		}
		/* zero-filled unless it is paged out (dump level 1 drops zero pages) */
		*(volatile char *)p = i < pageout ? (char)(i + 1) : 0;
	}
	printf("FORKFAIL vmas=%ld at %p..%p\n", nvmas, base, base + 2 * nvmas * pg);
	if (pageout > 0) {
		long done = 0;
		for (i = 0; i < pageout && i < nvmas; i++)
			if (madvise(base + 2 * i * pg, pg, MADV_PAGEOUT) == 0)
				done++;
		printf("FORKFAIL pageout %ld vmas\n", done);
	}
	fflush(stdout);

	snprintf(buf, sizeof(buf), "%d", getpid());
	wr("cgroup.procs", buf);
	{
		int fd = open("/proc/self/oom_score_adj", O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "-1000", 5) < 0)
				perror("oom_score_adj");
			close(fd);
		}
	}

	/* cost of one fork, measured with the child alive */
	if (pipe(pfd))
		return 1;
	cur = rd("memory.current");
	pid = fork();
	if (pid == 0) {
		char c;
		close(pfd[1]);
		if (read(pfd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	usleep(100000);
	cost = rd("memory.current") - cur;
	close(pfd[1]);
	waitpid(pid, NULL, 0);
	close(pfd[0]);
	printf("FORKFAIL one fork costs %ld bytes\n", cost);
	fflush(stdout);
	if (cost < 65536)
		cost = 65536;

	for (i = 60; i >= 0; i -= 3) {
		long margin = cost * i / 100;
		cur = rd("memory.current");
		snprintf(buf, sizeof(buf), "%ld", cur + margin);
		wr("memory.max", buf);
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			printf("FORKFAIL fork failed: %s (margin %ld of cost %ld)\n",
			       strerror(errno), margin, cost);
			fflush(stdout);
			wr("memory.max", "max");
			pause();
			return 0;
		}
		waitpid(pid, NULL, 0);
		printf("FORKFAIL fork ok with margin %ld\n", margin);
		fflush(stdout);
	}
	printf("FORKFAIL never failed\n");
	wr("memory.max", "max");
	pause();
	return 0;
}
