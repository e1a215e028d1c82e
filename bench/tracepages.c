// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tracepages.so: LD_PRELOAD shim used once by bench/run.sh to record which
 * pages mmlife reads. It interposes libkdumpfile's kdump_read() (mmlife's
 * only read path, cli/dump/dump.c; lib/reader.c asks for whole pages) and appends
 * "ADDRSPACE ADDR LEN" lines to $MMLIFE_TRACE_PAGES. The timed runs do not
 * use it; bench/floor.c replays the list.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <libkdumpfile/kdumpfile.h>

static FILE *out;

kdump_status kdump_read(kdump_ctx_t *ctx, kdump_addrspace_t as, kdump_addr_t addr,
			void *buffer, size_t *plength)
{
	static kdump_status (*real)(kdump_ctx_t *, kdump_addrspace_t, kdump_addr_t, void *, size_t *);

	if (!real)
		real = (kdump_status (*)(kdump_ctx_t *, kdump_addrspace_t, kdump_addr_t, void *, size_t *))
			dlsym(RTLD_NEXT, "kdump_read");
	if (!out) {
		const char *p = getenv("MMLIFE_TRACE_PAGES");

		out = fopen(p ? p : "/dev/null", "w");
	}
	if (out)
		fprintf(out, "%d %llx %zu\n", (int)as, (unsigned long long)addr, *plength);
	return real(ctx, as, addr, buffer, plength);
}
