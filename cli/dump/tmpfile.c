// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An anonymous scratch file for a dump that has to be rewritten before
 * libkdumpfile can read it (flattened, xz): unlinked from the start, on
 * disk under $TMPDIR (default /tmp) when the filesystem supports
 * O_TMPFILE, else a memfd. And the whole-buffer pread()/pwrite() loops
 * the dump readers share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"

struct mml_error *cli_tmpfile_create(const char *what, int *fd_ret)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = memfd_create("mmlife-dump", MFD_CLOEXEC);
	if (fd < 0)
		return mml_error_create(MML_ERROR_OS,
					"cannot create a temporary file for "
					"the %s: %s", what, strerror(errno));
	*fd_ret = fd;
	return NULL;
}

bool cli_write_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len) {
		ssize_t r = pwrite(fd, p, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
		off += r;
	}
	return true;
}

bool cli_read_all(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= (size_t)r;
		off += r;
	}
	return true;
}
