// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LD_PRELOAD shim for tests/dumps/cli_errors.sh: cut a kdump file (its
 * first 8 bytes "KDUMP   ") to half its size while mmlife reads it, as a
 * dump still being copied, or a network file system failing, leaves it:
 * reads of a mapping of it past the new end raise SIGBUS.
 *   CUTMAP_WHEN=map   right after the first read-only mapping of it (by
 *                     libkdumpfile, which maps it while it opens it)
 *   CUTMAP_WHEN=read  at the first address translation after mmlife's own
 *                     page path mapped the whole file: the dump is open,
 *                     its pages are being read
 *   CUTMAP_WHEN=thread  the same, at the first one on another thread than
 *                     the process's first (--threads: a walk's worker;
 *                     tests/dumps/threads.sh)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/addrxlat.h>

static int cut_fd = -1;
static int done;

static void cut(int fd)
{
	struct stat st;
	char path[64];
	if (done || fstat(fd, &st))
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int w = open(path, O_WRONLY);
	if (w >= 0 && ftruncate(w, st.st_size / 2) == 0)
		done = 1;
	if (w >= 0)
		close(w);
}

static int when_is(const char *v)
{
	const char *w = getenv("CUTMAP_WHEN");
	return w && !strcmp(w, v);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	static void *(*real)(void *, size_t, int, int, int, off_t);
	struct stat st;
	if (!real)
		real = (void *(*)(void *, size_t, int, int, int, off_t))
			dlsym(RTLD_NEXT, "mmap");
	void *p = real(addr, len, prot, flags, fd, off);
	if (done || p == MAP_FAILED || fd < 0 || !(prot & PROT_READ) ||
	    off != 0 || len < 8 || memcmp(p, "KDUMP   ", 8) || fstat(fd, &st))
		return p;
	if (when_is("map"))
		cut(fd);
	else if ((off_t)len == st.st_size)
		cut_fd = fd;
	return p;
}

addrxlat_status addrxlat_fulladdr_conv(addrxlat_fulladdr_t *faddr,
				       addrxlat_addrspace_t as,
				       addrxlat_ctx_t *ctx,
				       addrxlat_sys_t *sys)
{
	static addrxlat_status (*real)(addrxlat_fulladdr_t *,
				       addrxlat_addrspace_t, addrxlat_ctx_t *,
				       addrxlat_sys_t *);
	if (!real)
		real = (addrxlat_status (*)(addrxlat_fulladdr_t *,
					    addrxlat_addrspace_t,
					    addrxlat_ctx_t *,
					    addrxlat_sys_t *))
			dlsym(RTLD_NEXT, "addrxlat_fulladdr_conv");
	if (cut_fd >= 0 && (when_is("read") ||
			    (when_is("thread") && gettid() != getpid())))
		cut(cut_fd);
	return real(faddr, as, ctx, sys);
}
