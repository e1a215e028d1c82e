// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Finding the vmlinux with debug info that matches a dump, and refusing
 * one that does not. The dump's build-id comes from VMCOREINFO (BUILD-ID=,
 * Linux 5.9+); the vmlinux's from its NT_GNU_BUILD_ID note.
 *
 * Places tried, in order, each under --debug-dir DIR and then under
 * /usr/lib/debug (the GDB and distribution conventions):
 *   .build-id/xx/rest.debug
 *   boot/vmlinux-RELEASE                 (Debian, Ubuntu)
 *   lib/modules/RELEASE/vmlinux          (Fedora, RHEL)
 *   lib/modules/RELEASE/vmlinux.debug    (SUSE)
 * and finally /boot/vmlinux-RELEASE. A file found this way must carry
 * DWARF (a stripped vmlinux is skipped, leaving BTF in auto mode).
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mmlife/cleanup.h"
#include "debuginfo.h"

static char *build_id_hex(const unsigned char *id, size_t len)
{
	char *hex = malloc(len * 2 + 1);
	if (!hex)
		return NULL;
	for (size_t i = 0; i < len; i++)
		sprintf(hex + 2 * i, "%02x", id[i]);
	hex[len * 2] = '\0';
	return hex;
}

/* The build-id note in one note section or segment. */
static char *elf_note_build_id(Elf_Data *data)
{
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;

	while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off))) {
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
		    !memcmp((char *)data->d_buf + name_off, "GNU", 4) &&
		    nh.n_descsz > 0)
			return build_id_hex((unsigned char *)data->d_buf +
						    desc_off,
					    nh.n_descsz);
	}
	return NULL;
}

struct mml_error *cli_elf_build_id(const char *path, char **hex_ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mml_error_create(MML_ERROR_INPUT, "%s: cannot open",
					path);
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		if (elf)
			elf_end(elf);
		return mml_error_create(MML_ERROR_INPUT,
					"%s: not an ELF file", path);
	}
	char *hex = NULL;
	Elf_Scn *scn = NULL;
	while (!hex && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		if (data)
			hex = elf_note_build_id(data);
	}
	elf_end(elf);
	*hex_ret = hex;
	return NULL;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Append "path (why)" to the list of rejected candidates. */
static void note_rejected(char **list, const char *path, const char *why)
{
	char *s;
	if (!list)
		return;
	if (asprintf(&s, "%s%s%s (%s)", *list ? *list : "",
		     *list ? ", " : "", path, why) < 0)
		return;
	free(*list);
	*list = s;
}

/* Whether the ELF file at @path has DWARF (.debug_info). */
static bool elf_has_dwarf(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	size_t shstrndx;
	bool found = false;
	if (elf && elf_getshdrstrndx(elf, &shstrndx) == 0) {
		Elf_Scn *scn = NULL;
		while (!found && (scn = elf_nextscn(elf, scn))) {
			GElf_Shdr sh;
			const char *name;
			if (gelf_getshdr(scn, &sh) && sh.sh_type != SHT_NOBITS &&
			    (name = elf_strptr(elf, shstrndx, sh.sh_name)))
				found = !strcmp(name, ".debug_info") ||
					!strcmp(name, ".zdebug_info");
		}
	}
	if (elf)
		elf_end(elf);
	return found;
}

/* Check @path against @build_id: 1 match, 0 mismatch, or an error. */
static struct mml_error *debuginfo_check(const char *path,
					 const char *build_id, bool *match_ret,
					 char **id_ret)
{
	char *id = NULL;
	struct mml_error *err = cli_elf_build_id(path, &id);
	if (err)
		return err;
	*match_ret = !build_id || (id && !strcmp(id, build_id));
	*id_ret = id;
	return NULL;
}

static struct mml_error *debuginfo_try(const char *path, const char *build_id,
				       char **path_ret, char **rejected_ret)
{
	if (!is_file(path))
		return NULL;
	bool match;
	_cleanup_free_ char *id = NULL;
	struct mml_error *err = debuginfo_check(path, build_id, &match, &id);
	if (err) {
		note_rejected(rejected_ret, path, "not a readable ELF file");
		mml_error_destroy(err);
		return NULL;
	}
	if (!match) {
		char why[160];
		snprintf(why, sizeof(why), "build-id %s", id ? id : "none");
		note_rejected(rejected_ret, path, why);
		return NULL;
	}
	if (!elf_has_dwarf(path)) {
		note_rejected(rejected_ret, path, "no DWARF");
		return NULL;
	}
	*path_ret = strdup(path);
	return *path_ret ? NULL : &mml_enomem;
}

static struct mml_error *debuginfo_search_dir(const char *dir,
					      const char *release,
					      const char *build_id,
					      char **path_ret,
					      char **rejected_ret)
{
	char path[4096];
	struct mml_error *err;

	if (build_id && strlen(build_id) > 2) {
		snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s.debug", dir,
			 build_id, build_id + 2);
		err = debuginfo_try(path, build_id, path_ret, rejected_ret);
		if (err || *path_ret)
			return err;
	}
	static const char *const patterns[] = {
		"%s/boot/vmlinux-%s",
		"%s/lib/modules/%s/vmlinux",
		"%s/lib/modules/%s/vmlinux.debug",
	};
	for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(path, sizeof(path), patterns[i], dir, release);
#pragma GCC diagnostic pop
		err = debuginfo_try(path, build_id, path_ret, rejected_ret);
		if (err || *path_ret)
			return err;
	}
	return NULL;
}

struct mml_error *cli_debuginfo_find(const struct cli_debuginfo_options *opts,
				     const char *release, const char *build_id,
				     char **path_ret, char **rejected_ret)
{
	struct mml_error *err;
	const char *root = opts->root ? opts->root : "";
	char path[4096];

	*path_ret = NULL;
	if (opts->vmlinux) {
		bool match;
		_cleanup_free_ char *id = NULL;
		err = debuginfo_check(opts->vmlinux, build_id, &match, &id);
		if (err)
			return err;
		if (!match)
			return mml_error_create(
				MML_ERROR_INPUT,
				"%s does not match the dump: its build-id is "
				"%s, the dump's is %s",
				opts->vmlinux, id ? id : "missing", build_id);
		*path_ret = strdup(opts->vmlinux);
		return *path_ret ? NULL : &mml_enomem;
	}
	if (opts->debug_dir) {
		err = debuginfo_search_dir(opts->debug_dir, release, build_id,
					   path_ret, rejected_ret);
		if (err || *path_ret)
			return err;
	}
	snprintf(path, sizeof(path), "%s/usr/lib/debug", root);
	err = debuginfo_search_dir(path, release, build_id, path_ret,
				   rejected_ret);
	if (err || *path_ret)
		return err;
	snprintf(path, sizeof(path), "%s/boot/vmlinux-%s", root, release);
	return debuginfo_try(path, build_id, path_ret, rejected_ret);
}
