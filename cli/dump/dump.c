// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The dump file, opened with libkdumpfile: kernel virtual reads, the
 * format, the architecture and the VMCOREINFO note.
 *
 * Read outcomes, as libkdumpfile 0.5.1 reports them on the 6.12 kdump
 * dump in vmcores/ (makedumpfile -d 31):
 *   a page makedumpfile filtered out   KDUMP_ERR_NODATA "Excluded page"
 *   a page-table walk that ends        KDUMP_ERR_ADDRXLAT "Cannot get page
 *     ("p4d[0] = 0x0", "pte[0] = 0x0")   I/O address: ... not present: ..."
 *   a non-canonical address            KDUMP_ERR_ADDRXLAT "... No way to
 *                                        translate"
 * and, from its sources, KDUMP_ERR_NODATA "Page not found" (ELF: no
 * PT_LOAD holds the page) and "Out-of-bounds PFN". Only "Excluded page"
 * means excluded; everything else is an invalid address.
 *
 * 0.5.1 also needs addrxlat.ostype set before it hands out VMCOREINFO
 * (else KDUMP_ERR_NODATA "OS type is not set").
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "mmlife/cleanup.h"
#include "arch.h"
#include "dump.h"
#include "dump_header.h"
#include "kpages.h"
#include "readahead.h"

struct cli_dump {
	kdump_ctx_t *kctx;
	int fd;
	char *format;
	char *arch;
	const struct cli_arch *archops;
	uint32_t page_size;
	int dump_level;            /* kdump sub-header; -1 unknown */
	struct cli_vmcoreinfo vmcoreinfo;
	char last_error[256];
	/* libkdumpfile faulted inside a read: its state is not to be trusted,
	 * so no further call goes into it (kdump_free() included). */
	bool faulted;
	/* The fast path for kdump-compressed page data (kpages.c), with
	 * libkdumpfile's address translation; NULL when not used. */
	struct mml_kpages *kpages;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	/* Read-ahead of the fast path's pages (readahead.c); NULL off. */
	struct cli_readahead *ra;
	/* A clone (cli_dump_clone()): the dump it reads for another
	 * thread, whose file, fast path and names it borrows; and its own
	 * decompressor for the fast path. */
	struct cli_dump *clone_of;
	struct mml_kpages_dec *dec;
	/* The clones of a dump, linked through next_clone: a fault in a
	 * thread's clone is the dump's (cli_dump_faulted()). */
	struct cli_dump *clones, *next_clone;
	/* Pages the fast path served, reads left to libkdumpfile (-v). */
	uint64_t fast_pages;
	uint64_t slow_reads;
	unsigned char page[4096];
};

/*
 * libkdumpfile 0.5.1 can fault decompressing a corrupt page (SIGSEGV in
 * lzo1x_decompress_safe() was seen on a kdump with flipped data bytes).
 * mmlife never dies of a dump: reads run with SIGSEGV/SIGBUS caught, and a
 * fault becomes a failed read with a message. A signal handler has to
 * reach these, hence the two variables, one pair per thread: the
 * read-ahead thread (readahead.c) catches its own (dump_decode_guarded()).
 */
static __thread sigjmp_buf dump_fault_env;
static __thread volatile sig_atomic_t dump_fault_armed;
static struct sigaction dump_fault_old_segv, dump_fault_old_bus;

static void dump_fault_handler(int sig)
{
	if (dump_fault_armed) {
		dump_fault_armed = 0;
		siglongjmp(dump_fault_env, sig);
	}
	/* Not ours: hand it to whoever handled it before (sanitizers,
	 * libFuzzer, the default action). */
	sigaction(sig, sig == SIGBUS ? &dump_fault_old_bus
				     : &dump_fault_old_segv, NULL);
	raise(sig);
}

static void dump_fault_install(void)
{
	static bool installed;
	if (installed)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dump_fault_handler;
	/* No mask to restore on the way out: sigsetjmp(env, 0) stays cheap. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &dump_fault_old_segv);
	sigaction(SIGBUS, &sa, &dump_fault_old_bus);
	installed = true;
}

static struct mml_error *dump_kdump_error(kdump_ctx_t *kctx,
					  kdump_status status,
					  const char *what)
{
	const char *msg = kdump_get_err(kctx);
	return mml_error_create(MML_ERROR_INPUT, "%s: %s", what,
				msg ? msg : kdump_strerror(status));
}

/* Open @path read-only and reject what cannot be a dump. */
static struct mml_error *dump_open_file(const char *path, int *fd_ret,
					uint64_t *size_ret)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return mml_error_create(MML_ERROR_INPUT,
						"%s: no such file", path);
		return mml_error_create(MML_ERROR_INPUT, "%s: %s", path,
					strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return mml_error_create(MML_ERROR_INPUT, "%s: %s", path,
					strerror(e));
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return mml_error_create(MML_ERROR_INPUT,
					"%s: is a directory, not a dump file",
					path);
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		close(fd);
		return mml_error_create(MML_ERROR_INPUT,
					"%s: not a regular file", path);
	}
	if (S_ISREG(st.st_mode) && st.st_size == 0) {
		close(fd);
		return mml_error_create(MML_ERROR_INPUT,
					"%s: empty file, not a dump", path);
	}
	*fd_ret = fd;
	*size_ret = (uint64_t)st.st_size;
	return NULL;
}

static struct mml_error *dump_vmcoreinfo(struct cli_dump *dump)
{
	char *raw = NULL;
	kdump_status ks = kdump_vmcoreinfo_raw(dump->kctx, &raw);

	if (ks != KDUMP_OK || !raw || !*raw) {
		free(raw);
		return mml_error_create(
			MML_ERROR_INPUT,
			"dump has no VMCOREINFO note (for a QEMU guest dump, "
			"use -device vmcoreinfo and load qemu_fw_cfg in the "
			"guest)");
	}
	return cli_vmcoreinfo_parse(raw, &dump->vmcoreinfo);
}

static struct mml_error *dump_setup(struct cli_dump *dump,
				    const struct cli_dump_header *hdr,
				    bool flattened, bool xz)
{
	kdump_status ks;
	const char *s;
	kdump_num_t num;

	dump->kctx = kdump_new();
	if (!dump->kctx)
		return &mml_enomem;
	/*
	 * mmlife keeps its own page cache (lib/reader.c). libkdumpfile 0.5.1
	 * searches its own cache linearly on every read (1024 entries by
	 * default): a fifth of the instructions of a 1M-VMA scan (bench/).
	 * A small one is enough for its page-table and header reads. Set
	 * before the open: the open sizes the cache by the page size the
	 * file claims (cache.size x page size bytes).
	 */
	kdump_set_number_attr(dump->kctx, "cache.size", 16);
	ks = kdump_open_fd(dump->kctx, dump->fd);
	if (ks != KDUMP_OK && !strcmp(hdr->format, "unknown"))
		return mml_error_create(MML_ERROR_INPUT,
					"not a kernel dump: no ELF, kdump or "
					"other known dump header");
	if (ks != KDUMP_OK)
		return dump_kdump_error(dump->kctx, ks,
					"libkdumpfile cannot open the dump");

	if (kdump_get_string_attr(dump->kctx, KDUMP_ATTR_ARCH_NAME, &s) !=
	    KDUMP_OK)
		s = hdr->arch && *hdr->arch ? hdr->arch : "unknown";
	dump->arch = strdup(s);
	if (!dump->arch)
		return &mml_enomem;
	dump->dump_level = hdr->dump_level;
	dump->archops = cli_arch_find(dump->arch);
	if (!dump->archops)
		return cli_arch_unsupported(dump->arch);

	/* The format: ours from the header (it knows the compression). */
	const char *fmt = hdr->format;
	if (!strcmp(fmt, "unknown") &&
	    kdump_get_string_attr(dump->kctx, KDUMP_ATTR_FILE_FORMAT, &s) ==
		    KDUMP_OK)
		fmt = s;
	if (asprintf(&dump->format, "%s%s%s", xz ? "xz-compressed " : "",
		     flattened ? "flattened " : "", fmt) < 0) {
		dump->format = NULL;
		return &mml_enomem;
	}

	/* 0.5.1 gives VMCOREINFO only once the OS type is set. */
	ks = kdump_set_string_attr(dump->kctx, KDUMP_ATTR_OSTYPE, "linux");
	if (ks != KDUMP_OK)
		return dump_kdump_error(dump->kctx, ks,
					"cannot set up Linux address "
					"translation");
	struct mml_error *err = dump_vmcoreinfo(dump);
	if (!err && dump->archops->check)
		err = dump->archops->check(&dump->vmcoreinfo);
	if (err)
		return err;
	if (kdump_get_number_attr(dump->kctx, KDUMP_ATTR_PAGE_SIZE, &num) ==
	    KDUMP_OK)
		dump->page_size = (uint32_t)num;
	else
		dump->page_size = (uint32_t)dump->vmcoreinfo.page_size;
	if (dump->page_size != 4096)
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"page size %u; mmlife handles 4096",
					dump->page_size);
	return NULL;
}

/*
 * The fast page path (kpages.c) for a kdump-compressed file; translation
 * stays libkdumpfile's (addrxlat). MMLIFE_KPAGES=0 turns it off, to compare
 * (tests/dumps/cli_report.sh, bench/).
 */
static struct mml_error *dump_kpages_setup(struct cli_dump *dump,
					   uint64_t size)
{
	const char *env = getenv("MMLIFE_KPAGES");
	if (env && !strcmp(env, "0"))
		return NULL;
	struct mml_error *err = mml_kpages_open(dump->fd, size, &dump->kpages);
	if (err || !dump->kpages)
		return err;
	if (kdump_get_addrxlat(dump->kctx, &dump->axctx, &dump->axsys) !=
	    KDUMP_OK) {
		mml_kpages_destroy(dump->kpages);
		dump->kpages = NULL;
		dump->axctx = NULL;
		dump->axsys = NULL;
	}
	return NULL;
}

/* libkdumpfile can fault on malformed headers too (found by
 * tests/fuzz/fuzz_dumpfile): that is a bad dump, not a crash. It also
 * maps the file: one cut short while it is opened raises SIGBUS in it
 * (tests/dumps/cli_errors.sh), during its set-up of address translation
 * as well (dump_kpages_setup()). */
static struct mml_error *dump_setup_guarded(struct cli_dump *dump,
					    const struct cli_dump_header *hdr,
					    bool flattened, bool xz,
					    uint64_t size)
{
	struct mml_error *volatile err = NULL;
	dump_fault_install();
	int sig = sigsetjmp(dump_fault_env, 0);
	if (sig) {
		dump->faulted = true;
		return mml_error_create(MML_ERROR_INPUT,
					"libkdumpfile died of %s opening the "
					"dump: not a well-formed dump, or a "
					"file cut short while it was opened",
					sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
	}
	dump_fault_armed = 1;
	err = dump_setup(dump, hdr, flattened, xz);
	if (!err)
		err = dump_kpages_setup(dump, size);
	dump_fault_armed = 0;
	return err;
}

/*
 * What mmlife requires of VMCOREINFO, checked on the note read straight
 * from the file before libkdumpfile opens it: the architecture's own
 * requirements (arch.h; 0.5.1 crashes in kdump_free() after it failed to
 * set up aarch64 translation, as on an x86_64 kdump whose
 * utsname.machine says aarch64), and 4 KiB pages (0.5.1 sizes its cache
 * by the PAGESIZE line: any power of two). A dump without a readable
 * note goes on, to the message about that.
 */
static struct mml_error *dump_vmcoreinfo_precheck(
	int fd, const struct cli_dump_header *hdr)
{
	char *raw = NULL;
	struct mml_error *err = cli_vmcoreinfo_read_file(fd, &raw);
	if (err) {
		mml_error_destroy(err);
		return NULL;
	}
	struct cli_vmcoreinfo vi;
	err = cli_vmcoreinfo_parse(raw, &vi);
	if (err) {
		mml_error_destroy(err);
		return NULL;
	}
	const struct cli_arch *arch = cli_arch_find(hdr->arch);
	if (vi.page_size && vi.page_size != 4096)
		err = mml_error_create(MML_ERROR_UNSUPPORTED,
				       "page size %llu; mmlife handles 4096",
				       (unsigned long long)vi.page_size);
	else if (arch && arch->check)
		err = arch->check(&vi);
	cli_vmcoreinfo_deinit(&vi);
	return err;
}

/* The physical frame of the page at kernel virtual address @page. */
static bool dump_translate(struct cli_dump *dump, uint64_t page,
			   uint64_t *pfn_ret)
{
	addrxlat_fulladdr_t fa = { .addr = page, .as = ADDRXLAT_KVADDR };
	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, dump->axctx,
				   dump->axsys) != ADDRXLAT_OK)
		return false;
	*pfn_ret = fa.addr / 4096;
	return true;
}

/* One whole page through the fast path into @dst: the read-ahead
 * thread's, else inflated here. */
static bool dump_page_fast(struct cli_dump *dump, uint64_t page, void *dst)
{
	if (dump->ra && cli_readahead_take(dump->ra, page, dst))
		return true;
	uint64_t pfn;
	struct mml_kpages_loc loc;
	if (!dump_translate(dump, page, &pfn))
		return false;
	if (!dump->dec)
		return mml_kpages_read(dump->kpages, pfn, dst) ==
		       MML_KPAGES_OK;
	/* A clone: the descriptors are shared, the decompressor its own. */
	return mml_kpages_locate(dump->kpages, pfn, &loc) == MML_KPAGES_OK &&
	       mml_kpages_decode(dump->kpages, dump->dec, &loc, dst) ==
		       MML_KPAGES_OK;
}

/* Read through the fast path; false: let libkdumpfile do all of it. */
static bool dump_read_fast(struct cli_dump *dump, uint64_t addr, void *buf,
			   size_t len)
{
	unsigned char *out = buf;
	uint64_t pages = 0;
	while (len) {
		uint64_t in_page = addr & 4095;
		size_t n = len < 4096 - in_page ? len : 4096 - in_page;
		unsigned char *dst = n == 4096 ? out : dump->page;
		if (!dump_page_fast(dump, addr - in_page, dst))
			return false;
		if (dst != out)
			memcpy(out, dump->page + in_page, n);
		out += n;
		addr += n;
		len -= n;
		pages++;
	}
	dump->fast_pages += pages;
	return true;
}

/* The read-ahead thread's decompression, with its faults caught as
 * cli_dump_read() catches the main thread's: a page that faults here is
 * a failed page, which the main thread reads again and reports. */
static bool dump_decode_guarded(const struct mml_kpages *kp,
				struct mml_kpages_dec *dec,
				const struct mml_kpages_loc *loc, void *page)
{
	if (sigsetjmp(dump_fault_env, 0))
		return false;   /* the handler disarmed */
	dump_fault_armed = 1;
	bool ok = mml_kpages_decode(kp, dec, loc, page) == MML_KPAGES_OK;
	dump_fault_armed = 0;
	return ok;
}

struct mml_error *cli_dump_readahead_start(struct cli_dump *dump,
					   bool patient)
{
	if (!dump->kpages || dump->ra || dump->faulted)
		return NULL;
	return cli_readahead_create(dump->kpages, dump_decode_guarded,
				    patient, &dump->ra);
}

bool cli_dump_readahead_stats(struct cli_dump *dump,
			      struct cli_readahead_stats *ret)
{
	if (!dump->ra)
		return false;
	cli_readahead_stats(dump->ra, ret);
	return true;
}

void cli_dump_prefetch(struct cli_dump *dump, uint64_t addr)
{
	uint64_t page = addr & ~(uint64_t)4095;
	if (!dump->ra || dump->faulted || cli_readahead_skip(dump->ra, page))
		return;
	/* Translation and the descriptor lookup read the dump too (page
	 * tables; the mapped file): guarded as a read is. */
	dump_fault_install();
	int sig = sigsetjmp(dump_fault_env, 0);
	if (sig) {
		dump->faulted = true;
		snprintf(dump->last_error, sizeof(dump->last_error),
			 "%s looking up the page at 0x%llx: the dump's page "
			 "tables or page descriptors are corrupt, or the file "
			 "was cut short since it was opened",
			 sig == SIGBUS ? "SIGBUS" : "SIGSEGV",
			 (unsigned long long)page);
		return;
	}
	dump_fault_armed = 1;
	uint64_t pfn;
	struct mml_kpages_loc loc;
	bool ok = dump_translate(dump, page, &pfn) &&
		  mml_kpages_locate(dump->kpages, pfn, &loc) == MML_KPAGES_OK;
	dump_fault_armed = 0;
	if (ok)
		cli_readahead_queue(dump->ra, page, &loc);
}

/*
 * QEMU's kdump file of an aarch64 guest (qemu_kdump.c), rewritten into an
 * ELF core that replaces *@fd; @hdr then describes that, under the
 * original's format and dump level.
 */
static struct mml_error *dump_qemu_kdump_rewrite(int *fd, uint64_t *size,
						 struct cli_dump_header *hdr)
{
	int whole;
	struct mml_error *err = cli_qemu_kdump_to_elf(*fd, *size, hdr->machine,
						      &whole);
	if (err)
		return err;
	close(*fd);
	*fd = whole;
	struct stat st;
	*size = fstat(whole, &st) == 0 ? (uint64_t)st.st_size : 0;
	struct cli_dump_header elf;
	err = cli_dump_header_check(whole, *size, &elf);
	if (err)
		return err;
	char format[sizeof(hdr->format)];
	snprintf(format, sizeof(format), "%s", hdr->format);
	int level = hdr->dump_level;
	*hdr = elf;
	/* "QEMU kdump (zlib)": the names are short (dump_header.c) */
	size_t len = strlen(format);
	if (len > sizeof(hdr->format) - 6)
		len = sizeof(hdr->format) - 6;
	memcpy(hdr->format, "QEMU ", 5);
	memcpy(hdr->format + 5, format, len);
	hdr->format[5 + len] = '\0';
	hdr->dump_level = level;
	return NULL;
}

struct mml_error *cli_dump_open(const char *path, struct cli_dump **ret)
{
	struct cli_dump_header hdr;
	uint64_t size = 0;
	int fd = -1;
	bool flattened = false;

	struct mml_error *err = dump_open_file(path, &fd, &size);
	if (err)
		return err;
	bool xz = cli_xz_detect(fd);
	if (xz) {
		int whole;
		err = cli_xz_decompress(fd, &whole);
		close(fd);
		if (err)
			return mml_error_wrap(err, "%s", path);
		fd = whole;
		struct stat st;
		size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	}
	if (cli_flattened_detect(fd)) {
		int whole;
		err = cli_flattened_reassemble(fd, &whole);
		close(fd);
		if (err)
			return mml_error_wrap(err, "%s", path);
		fd = whole;
		struct stat st;
		size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
		flattened = true;
	}
	err = cli_dump_header_check(fd, size, &hdr);
	if (!err && cli_qemu_kdump_detect(&hdr))
		err = dump_qemu_kdump_rewrite(&fd, &size, &hdr);
	/*
	 * Refuse the architectures mmlife does not read before libkdumpfile
	 * sees them: 0.5.1 crashes in kdump_free() after opening a kdump
	 * header whose utsname.machine is not the real one.
	 */
	if (!err && *hdr.arch && !cli_arch_find(hdr.arch))
		err = cli_arch_unsupported(hdr.arch);
	if (!err)
		err = dump_vmcoreinfo_precheck(fd, &hdr);
	if (err) {
		close(fd);
		return mml_error_wrap(err, "%s", path);
	}

	struct cli_dump *dump = calloc(1, sizeof(*dump));
	if (!dump) {
		close(fd);
		return &mml_enomem;
	}
	dump->fd = fd;
	err = dump_setup_guarded(dump, &hdr, flattened, xz, size);
	if (err) {
		cli_dump_destroy(dump);
		return mml_error_wrap(err, "%s", path);
	}
	*ret = dump;
	return NULL;
}

/* libkdumpfile's context and its translation (not after a fault: its
 * state is not to be trusted). */
static void dump_kdump_release(struct cli_dump *d)
{
	if (d->faulted)
		return;
	if (d->axctx)
		addrxlat_ctx_decref(d->axctx);
	if (d->axsys)
		addrxlat_sys_decref(d->axsys);
	if (d->kctx)
		kdump_free(d->kctx);
}

/* A clone's own parts, off its dump's list: its libkdumpfile context and
 * translation, its decompressor. */
static void dump_clone_destroy(struct cli_dump *c)
{
	struct cli_dump **link = &c->clone_of->clones;
	while (*link && *link != c)
		link = &(*link)->next_clone;
	if (*link)
		*link = c->next_clone;
	dump_kdump_release(c);
	mml_kpages_dec_destroy(c->dec);
	free(c);
}

bool cli_dump_can_clone(const struct cli_dump *dump)
{
	return dump->kpages && !dump->faulted && !dump->clone_of &&
	       mml_kpages_block_size(dump->kpages) == 4096;
}

struct mml_error *cli_dump_clone(struct cli_dump *dump, struct cli_dump **ret)
{
	if (!cli_dump_can_clone(dump))
		return mml_error_create(MML_ERROR_UNSUPPORTED,
					"not a kdump-compressed dump of one "
					"page a block");
	struct cli_dump *c = calloc(1, sizeof(*c));
	if (!c)
		return &mml_enomem;
	c->clone_of = dump;
	c->fd = -1;
	c->page_size = dump->page_size;
	c->dump_level = dump->dump_level;
	c->archops = dump->archops;
	c->kpages = dump->kpages;
	/* Built now, on this thread: the clones only read the table. */
	mml_kpages_rank_all(dump->kpages);
	c->kctx = kdump_clone(dump->kctx, 0);
	if (!c->kctx ||
	    kdump_get_addrxlat(c->kctx, &c->axctx, &c->axsys) != KDUMP_OK ||
	    mml_kpages_dec_create(&c->dec)) {
		dump_clone_destroy(c);
		return mml_error_create(MML_ERROR_NOMEM,
					"cannot clone the dump for a thread");
	}
	c->next_clone = dump->clones;
	dump->clones = c;
	*ret = c;
	return NULL;
}

void cli_dump_destroy(struct cli_dump *dump)
{
	if (!dump)
		return;
	if (dump->clone_of) {
		dump_clone_destroy(dump);
		return;
	}
	/* Before the file is unmapped: the worker reads it. */
	cli_readahead_destroy(dump->ra);
	dump_kdump_release(dump);
	mml_kpages_destroy(dump->kpages);
	if (dump->fd >= 0)
		close(dump->fd);
	cli_vmcoreinfo_deinit(&dump->vmcoreinfo);
	free(dump->format);
	free(dump->arch);
	free(dump);
}

bool cli_dump_page_stats(const struct cli_dump *dump, uint64_t *fast_pages,
			 uint64_t *slow_reads)
{
	*fast_pages = dump->fast_pages;
	*slow_reads = dump->slow_reads;
	return dump->kpages != NULL;
}

const char *cli_dump_format(const struct cli_dump *dump)
{
	return dump->format;
}

const char *cli_dump_arch(const struct cli_dump *dump)
{
	return dump->arch;
}

enum mml_arch cli_dump_arch_kind(const struct cli_dump *dump)
{
	return dump->archops->kind;
}

const struct cli_arch *cli_dump_archops(const struct cli_dump *dump)
{
	return dump->archops;
}

uint32_t cli_dump_page_size(const struct cli_dump *dump)
{
	return dump->page_size;
}

int cli_dump_level(const struct cli_dump *dump)
{
	return dump->dump_level;
}

const struct cli_vmcoreinfo *cli_dump_vmcoreinfo(const struct cli_dump *dump)
{
	return &dump->vmcoreinfo;
}

enum mml_read_status cli_dump_read(struct cli_dump *dump, uint64_t addr,
				   void *buf, size_t len)
{
	size_t got = len;
	volatile kdump_status ks = KDUMP_ERR_CORRUPT;
	volatile bool fast = false;

	if (dump->faulted)
		return MML_READ_INVALID;  /* last_error says why */
	dump_fault_install();
	int sig = sigsetjmp(dump_fault_env, 0);
	if (sig) {
		dump->faulted = true;
		/* The own path reads a mapped file: SIGBUS there is a file
		 * cut short since it was opened, or an I/O error. */
		snprintf(dump->last_error, sizeof(dump->last_error),
			 fast ? "%s reading the dump file's page data for "
				"0x%llx: the file was cut short since it was "
				"opened, or could not be read"
			      : "libkdumpfile died of %s reading the page at "
				"0x%llx: the dump's page data is corrupt",
			 sig == SIGBUS ? "SIGBUS" : "SIGSEGV",
			 (unsigned long long)addr);
		return MML_READ_INVALID;
	}
	dump_fault_armed = 1;
	fast = dump->kpages != NULL;
	if (fast && dump_read_fast(dump, addr, buf, len))
		ks = KDUMP_OK;
	else {
		fast = false;
		dump->slow_reads++;
		ks = kdump_read(dump->kctx, KDUMP_KVADDR, addr, buf, &got);
	}
	dump_fault_armed = 0;

	if (ks == KDUMP_OK)
		return MML_READ_OK;
	const char *msg = kdump_get_err(dump->kctx);
	snprintf(dump->last_error, sizeof(dump->last_error), "%s",
		 msg ? msg : kdump_strerror(ks));
	if (ks == KDUMP_ERR_NODATA && msg && strstr(msg, "Excluded page"))
		return MML_READ_EXCLUDED;
	return MML_READ_INVALID;
}

const char *cli_dump_last_error(struct cli_dump *dump)
{
	return dump->last_error;
}

bool cli_dump_faulted(const struct cli_dump *dump, const char **why_ret)
{
	/* last_error holds the fault's message: no read ran since. A
	 * clone's fault (another thread's reads, joined by now) is the
	 * dump's. */
	for (const struct cli_dump *c = dump->clones; !dump->faulted && c;
	     c = c->next_clone)
		if (c->faulted) {
			*why_ret = c->last_error;
			return true;
		}
	*why_ret = dump->last_error;
	return dump->faulted;
}

struct mml_error *cli_dump_read_or_error(struct cli_dump *dump, uint64_t addr,
					 void *buf, size_t len,
					 const char *what)
{
	switch (cli_dump_read(dump, addr, buf, len)) {
	case MML_READ_OK:
		return NULL;
	case MML_READ_EXCLUDED:
		return mml_error_at(MML_ERROR_EXCLUDED, addr,
				    "reading %s at 0x%llx: page excluded from "
				    "the dump (%s)",
				    what, (unsigned long long)addr,
				    dump->last_error);
	default:
		return mml_error_at(MML_ERROR_INVALID_ADDRESS, addr,
				    "reading %s at 0x%llx: %s", what,
				    (unsigned long long)addr,
				    dump->last_error);
	}
}
