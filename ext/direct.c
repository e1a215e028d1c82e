// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The pages of crash's dump file read by mmlife itself (fmt/kpages.c, the
 * CLI's page path) when that file is a one-file kdump-compressed dump.
 * crash's readmem() of such a page goes through its diskdump reader (zlib's
 * inflate, a small page cache, a copy per call); on a large dump that was
 * most of the extension's time (bench/EXT.md). Translation stays crash's
 * (kvtop()), and every page this path does not serve (a page the dump
 * lacks, a descriptor or data that do not check out) goes to readmem(), so
 * what crash would say of such a page is still what the report says.
 *
 * The file is the one crash has open: the descriptor whose device and
 * inode are those of pc->dumpfile (a relative path that a "cd" in crash
 * left pointing elsewhere finds no descriptor: no fast path). Set up once
 * per session, by the first run's ext_direct_begin(); MMLIFE_KPAGES=0 turns
 * it off, as in the CLI.
 *
 * The file is mapped: a page of it that can no longer be read (the file
 * cut short under crash, an I/O error on a network file system) raises
 * SIGBUS, which would end crash. (The CLI catches it around every read,
 * libkdumpfile's too: cli/dump/dump.c.) So the path serves reads only
 * between ext_direct_begin() and ext_direct_end(), with a SIGBUS handler that
 * jumps out of the read, drops the path for the session and leaves that
 * read and the next ones to readmem(), which fails them in crash's words.
 */
#include <dirent.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "defs.h"

#include "direct.h"
#include "kpages.h"

static struct {
	bool tried;
	bool armed;                   /* between begin() and end() */
	struct mml_kpages *kp;
	int fd;                       /* crash's, on the mapped file */
	struct stat st;               /* of the file when it was mapped */
	const char *why_off;
	struct ext_direct_stats stats;
	struct sigaction old_bus;
	sigjmp_buf bus_env;
	volatile sig_atomic_t in_read;
} direct;

static void direct_sigbus(int sig, siginfo_t *info, void *uc)
{
	if (direct.in_read)
		siglongjmp(direct.bus_env, 1);
	/* Not ours: what crash (or the default) does with it. */
	sigaction(SIGBUS, &direct.old_bus, NULL);
	if (direct.old_bus.sa_flags & SA_SIGINFO)
		direct.old_bus.sa_sigaction(sig, info, uc);
	else if (direct.old_bus.sa_handler != SIG_IGN)
		raise(sig);
}

static void direct_drop(const char *why)
{
	mml_kpages_destroy(direct.kp);
	direct.kp = NULL;
	direct.why_off = why;
}

/* crash's descriptor of the file @st describes, or -1. */
static int direct_crash_fd(const struct stat *st)
{
	int found = -1;
	DIR *dir = opendir("/proc/self/fd");
	if (!dir)
		return -1;
	for (struct dirent *de; found < 0 && (de = readdir(dir));) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		struct stat fst;
		if (*end || end == de->d_name || fd == dirfd(dir) ||
		    fstat((int)fd, &fst))
			continue;
		if (S_ISREG(fst.st_mode) && fst.st_dev == st->st_dev &&
		    fst.st_ino == st->st_ino)
			found = (int)fd;
	}
	closedir(dir);
	return found;
}

static void direct_open(void)
{
	struct stat st;
	const char *env = getenv("MMLIFE_KPAGES");
	int fd = -1;

	direct.tried = true;
	if (env && !strcmp(env, "0"))
		direct.why_off = "MMLIFE_KPAGES=0";
	else if (!DISKDUMP_DUMPFILE())
		direct.why_off = "not a kdump-compressed file";
	else if (FLAT_FORMAT())
		direct.why_off = "a flattened file";
	else if (!pc->dumpfile || stat(pc->dumpfile, &st) ||
		 !S_ISREG(st.st_mode) || (fd = direct_crash_fd(&st)) < 0)
		direct.why_off = "crash's dump file not found by its path";
	if (direct.why_off)
		return;
	direct.fd = fd;
	direct.st = st;
	struct mml_error *err = mml_kpages_open(fd, (uint64_t)st.st_size,
						&direct.kp);
	if (err)
		direct.why_off = "out of memory";
	else if (!direct.kp)
		direct.why_off = "a split dump, or a block size other than 4096";
	mml_error_destroy(err);
}

bool ext_direct_read(uint64_t paddr, void *buf, size_t len)
{
	if (!direct.armed || !direct.kp || len != 4096 || (paddr & 4095)) {
		direct.stats.crash++;
		return false;
	}
	/* SA_NODEFER: SIGBUS is not blocked in the handler, so the jump
	 * needs no saved signal mask (a system call per read). */
	if (sigsetjmp(direct.bus_env, 0)) {
		direct.in_read = 0;
		direct_drop("a page of the file could not be read (SIGBUS)");
		direct.stats.crash++;
		return false;
	}
	direct.in_read = 1;
	enum mml_kpages_status st = mml_kpages_read(direct.kp, paddr / 4096,
						    buf);
	direct.in_read = 0;
	if (st != MML_KPAGES_OK) {
		direct.stats.crash++;
		return false;
	}
	direct.stats.direct++;
	return true;
}

void ext_direct_begin(void)
{
	struct stat st;
	struct sigaction sa = { .sa_sigaction = direct_sigbus,
				.sa_flags = SA_SIGINFO | SA_NODEFER };

	memset(&direct.stats, 0, sizeof(direct.stats));
	if (!direct.tried)
		direct_open();
	if (!direct.kp)
		return;
	/* Cut short since it was mapped: its end would raise SIGBUS. (Its
	 * descriptor, not its path: a "cd" in crash moves a relative one.) */
	if (fstat(direct.fd, &st) || st.st_dev != direct.st.st_dev ||
	    st.st_ino != direct.st.st_ino || st.st_size < direct.st.st_size) {
		direct_drop("the dump file changed since it was mapped");
		return;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, &direct.old_bus))
		return;
	direct.armed = true;
}

void ext_direct_end(void)
{
	if (!direct.armed)
		return;
	direct.armed = false;
	sigaction(SIGBUS, &direct.old_bus, NULL);
}

void ext_direct_stats(struct ext_direct_stats *ret)
{
	/* Called inside a run: ext_direct_begin() has tried the path. */
	*ret = direct.stats;
	ret->why_off = direct.why_off;
}

void ext_direct_close(void)
{
	ext_direct_end();
	direct_drop(NULL);
	direct.tried = false;
}
