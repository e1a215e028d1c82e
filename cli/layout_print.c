// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The --layout probe: what the session resolved, one "key value" line
 * each, so that tests and people can check the front end on its own:
 * the dump's identity, the type source, every layout field, and
 * init_task's comm read through the target (the first real read).
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

static int layout_print_comm(struct cli_session *s, FILE *out)
{
	uint64_t init_task;
	char comm[65] = "";
	const struct mml_layout *l = &s->layout;

	if (!cli_session_symbol(s, "init_task", &init_task)) {
		fprintf(stderr, "mmlife: %s: no symbol init_task\n", s->path);
		return CLI_EXIT_FAILED;
	}
	size_t len = l->task_comm_len < sizeof(comm) - 1 ? l->task_comm_len
							 : sizeof(comm) - 1;
	enum mml_read_status st = s->target.ops->read(
		s->target.arg, init_task + l->task_comm, comm, len);
	if (st != MML_READ_OK) {
		fprintf(stderr, "mmlife: %s: cannot read init_task.comm at "
				"0x%" PRIx64 " (%s)\n",
			s->path, init_task + l->task_comm,
			st == MML_READ_EXCLUDED ? "page excluded from the dump"
						: "invalid address");
		return CLI_EXIT_FAILED;
	}
	comm[len] = '\0';
	fprintf(out, "init_task 0x%016" PRIx64 "\n", init_task);
	static const char *const probes[] = {
		"init_mm", "_stext", "__start_BTF", "__stop_BTF",
	};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		uint64_t addr;
		if (cli_session_symbol(s, probes[i], &addr))
			fprintf(out, "symbol.%s 0x%016" PRIx64 "\n", probes[i],
				addr);
		else
			fprintf(out, "symbol.%s -\n", probes[i]);
	}
	fprintf(out, "init_task.comm %s\n", comm);
	return CLI_EXIT_CLEAN;
}

int cli_layout_print(struct cli_session *s, FILE *out)
{
	const struct cli_vmcoreinfo *vi = cli_dump_vmcoreinfo(s->dump);
	struct mml_layout layout = s->layout;
	uint64_t *field;
	const char *name;

	fprintf(out, "dump %s\n", s->path);
	fprintf(out, "format %s\n", cli_dump_format(s->dump));
	fprintf(out, "arch %s\n", cli_dump_arch(s->dump));
	fprintf(out, "release %s\n", vi->osrelease);
	fprintf(out, "build-id %s\n", vi->build_id ? vi->build_id : "-");
	fprintf(out, "kaslr-offset 0x%" PRIx64 "\n", vi->kernel_offset);
	fprintf(out, "type-source %s\n", s->type_source);
	fprintf(out, "vmlinux %s\n", s->vmlinux ? s->vmlinux : "-");
	if (s->syms)
		fprintf(out, "symbols %zu\n", cli_symtab_count(s->syms));
	else
		fprintf(out, "symbols - (not loaded: the memo answered)\n");
	fprintf(out, "symbol-memo %s\n", s->memo_hit ? "hit" :
						   s->memo ? "miss" : "off");
	fprintf(out, "layout-cache %s\n", s->layout_from_cache ? "hit" : "miss");
	for (size_t i = 0; (name = mml_layout_field_name(i, &field, &layout));
	     i++) {
		if (*field == MML_ABSENT)
			fprintf(out, "layout.%s absent\n", name);
		else
			fprintf(out, "layout.%s %" PRIu64 "\n", name, *field);
	}
	return layout_print_comm(s, out);
}
