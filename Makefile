# SPDX-License-Identifier: GPL-2.0-or-later
#
# mmlife: make [all] | check | install | clean
#   make SANITIZE=1 check   builds into build-asan/ with ASan+UBSan
#   make CRASH_DEFS=path    builds the crash extension against a crash tree

VERSION     := 0.1.0
PREFIX      ?= /usr/local
DESTDIR     ?=
CC          ?= gcc
PKG_CONFIG  ?= pkg-config

ifeq ($(SANITIZE),1)
B           ?= build-asan
SANFLAGS    := -fsanitize=address,undefined -fno-omit-frame-pointer \
               -fno-sanitize-recover=undefined
else
B           ?= build
SANFLAGS    :=
endif

WARN        := -Wall -Wextra -Werror -Wshadow -Wno-missing-field-initializers
CFLAGS      ?= -O2 -g
# CPPFLAGS and LDFLAGS as make's conventions have them (dpkg's buildflags:
# _FORTIFY_SOURCE, relro).
BASE_CFLAGS := -std=gnu11 $(WARN) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
               -DMMLIFE_VERSION='"$(VERSION)"' -MMD -MP
# lib/ (and what tests it from inside: tests/unit/, ext/) sees the public
# headers and lib/'s own; the CLI sees the public headers and cli/ only.
ALL_CFLAGS  := $(BASE_CFLAGS) -Iinclude -Ilib
LDFLAGS     += $(SANFLAGS)

# The core's own libraries: jansson (JSON reports), libbpf (the kernel's
# BTF as a type source, lib/types_btf.c) and libelf (a vmlinux's .BTF
# section, which libbpf needs anyway).
CORE_PKGS   := jansson libbpf libelf
CORE_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS) 2>/dev/null)
CORE_LIBS   := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null) -pthread

LIB_SRCS    := $(wildcard lib/*.c)
LIB_OBJS    := $(LIB_SRCS:%.c=$(B)/%.o)
LIB_PIC     := $(LIB_SRCS:%.c=$(B)/pic/%.o)

# fmt/: the kdump file's page data read straight from the file (libc and
# libdeflate only), for the CLI and the crash extension alike.
FMT_SRCS    := $(wildcard fmt/*.c)
FMT_OBJS    := $(FMT_SRCS:%.c=$(B)/%.o)
FMT_PIC     := $(FMT_SRCS:%.c=$(B)/pic/%.o)
FMT_LIBS    := -ldeflate -llzo2 -lsnappy -lzstd

# The CLI needs libkdumpfile, libdw and libbpf.
CLI_PKGS    := libkdumpfile libaddrxlat libdw libelf libbpf jansson sqlite3 liblzma libdeflate nettle
HAVE_CLI    := $(shell $(PKG_CONFIG) --exists $(CLI_PKGS) 2>/dev/null && echo yes)
CLI_SRCS    := $(wildcard cli/*.c cli/*/*.c)
CLI_OBJS    := $(CLI_SRCS:%.c=$(B)/%.o)
CLI_CFLAGS  := $(BASE_CFLAGS) -Iinclude -Icli -Ifmt \
               $(shell $(PKG_CONFIG) --cflags $(CLI_PKGS) 2>/dev/null)
CLI_LIBS    := $(shell $(PKG_CONFIG) --libs $(CLI_PKGS) 2>/dev/null) -lz -pthread

# The crash extension needs crash's defs.h.
CRASH_DEFS  ?= $(firstword $(wildcard /usr/include/crash/defs.h))
EXT_SRCS    := $(wildcard ext/*.c)

UNIT_SRCS   := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
UNIT_HELP   := $(filter-out $(UNIT_SRCS),$(wildcard tests/unit/*.c))
UNIT_HOBJS  := $(UNIT_HELP:%.c=$(B)/%.o)

TARGETS     := $(B)/libmmlife.a
ifeq ($(HAVE_CLI),yes)
TARGETS     += $(B)/mmlife
endif
ifneq ($(CRASH_DEFS),)
ifneq ($(EXT_SRCS),)
TARGETS     += $(B)/mmlife.so
endif
endif

.PHONY: all deps test-deps check unit install clean
all: $(TARGETS)

# The core builds with nothing but libc, jansson, libbpf and libelf: lib/ objects
# get no flag of the CLI's other libraries (libkdumpfile, libdw, ...).
$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_CFLAGS) -c -o $@ $<

$(CLI_OBJS): $(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CLI_CFLAGS) -c -o $@ $<

$(B)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_CFLAGS) -fPIC -c -o $@ $<

$(B)/libmmlife.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/mmlife: $(CLI_OBJS) $(FMT_OBJS) $(B)/libmmlife.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(FMT_OBJS) $(B)/libmmlife.a $(CLI_LIBS) \
	  $(FMT_LIBS) $(CORE_LIBS)

# The extension is built the way crash's own extensions are: -D<ARCH> and
# the GDB_x_y flag named in that defs.h (see ext/crash-flags.sh).
$(B)/mmlife.so: $(EXT_SRCS) $(LIB_PIC) $(FMT_PIC) ext/crash-flags.sh
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_CFLAGS) -Ifmt -Wno-unused-parameter \
	  -Wno-shadow -Wno-sign-compare \
	  $$(CC='$(CC)' sh ext/crash-flags.sh $(CRASH_DEFS)) \
	  -shared -rdynamic -fPIC $(LDFLAGS) -o $@ $(EXT_SRCS) $(LIB_PIC) \
	  $(FMT_PIC) $(CORE_LIBS) $(FMT_LIBS)

$(B)/tests/%: tests/unit/%.c $(UNIT_HOBJS) $(B)/libmmlife.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CORE_CFLAGS) -Itests/unit -o $@ $< $(UNIT_HOBJS) \
	  $(B)/libmmlife.a $(LDFLAGS) -lcmocka $(CORE_LIBS)

# The kdump page path (fmt/kpages.c) on kdump files built by the test.
$(B)/tests/test_kpages: tests/unit/test_kpages.c $(FMT_OBJS) $(B)/libmmlife.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(FMT_OBJS) $(B)/libmmlife.a \
	  $(LDFLAGS) -lcmocka $(FMT_LIBS) -lz

# cli/dump/ whole, libkdumpfile's translation included, on arm64 ELF dumps
# with page tables built by the test.
CLI_DUMP_OBJS := $(filter $(B)/cli/dump/%,$(CLI_OBJS))
$(B)/tests/test_dumpxlat: tests/unit/test_dumpxlat.c $(CLI_DUMP_OBJS) $(FMT_OBJS) $(B)/libmmlife.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CLI_DUMP_OBJS) $(FMT_OBJS) $(B)/libmmlife.a \
	  $(LDFLAGS) -lcmocka $(CLI_LIBS) $(FMT_LIBS)

deps:
	@sh scripts/deps.sh build

# What make check needs beyond the build: chroots, the package build,
# Chromium, Slurm, sshd (scripts/deps.sh says which test needs what).
test-deps:
	@sh scripts/deps.sh test

unit: $(UNIT_BINS)

# The README's test command. It installs what it needs first.
check: deps test-deps fuzz-deps
	@sh scripts/prefetch.sh </dev/null >/dev/null 2>&1 &
	@$(MAKE) --no-print-directory all unit
	@$(MAKE) --no-print-directory SANITIZE=1 unit
	@B=$(B) ASAN_B=build-asan CHECK_FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) sh tests/run.sh

# mmlife vs drgn vs crash on a large real dump (bench/; long, needs root;
# not part of `make check`): writes bench/RESULTS.md
.PHONY: bench
bench: deps test-deps
	@$(MAKE) --no-print-directory all
	@B=$(B) bash bench/run.sh

# libFuzzer harnesses (tests/fuzz/, clang, ASan+UBSan): `make fuzz` runs
# each for FUZZ_SECONDS; `make check` runs each for CHECK_FUZZ_SECONDS.
FUZZ_SECONDS       ?= 300
CHECK_FUZZ_SECONDS ?= 25
.PHONY: fuzz fuzz-deps
fuzz-deps:
	@sh scripts/deps.sh fuzz
fuzz: fuzz-deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh tests/fuzz/run.sh
# Every harness for FUZZ_REPORT_SECONDS, the table into tests/README.md.
FUZZ_REPORT_SECONDS ?= 120
.PHONY: fuzz-report
fuzz-report: fuzz-deps
	@FUZZ_SECONDS=$(FUZZ_REPORT_SECONDS) sh tests/fuzz/report.sh

# Installs the CLI and its man pages, the crash extension, the shared
# core with its headers and pkg-config file, and the Python package for
# drgn (debian/ packages them).
install: all shared man python
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCLUDEDIR)/mmlife
	[ ! -x $(B)/mmlife ] || install -m 0755 $(B)/mmlife $(DESTDIR)$(BINDIR)/mmlife
	[ ! -x $(B)/mmlife ] || install -m 0644 $(MAN_PAGES) $(DESTDIR)$(MAN1DIR)/
	[ ! -f $(B)/mmlife.so ] || { install -d $(DESTDIR)$(CRASH_EXTDIR) && \
	  install -m 0644 $(B)/mmlife.so $(DESTDIR)$(CRASH_EXTDIR)/mmlife.so; }
	install -m 0644 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libmmlife.so
	install -m 0644 include/mmlife/*.h $(DESTDIR)$(INCLUDEDIR)/mmlife/
	install -m 0644 $(B)/mmlife.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	[ -z "$(PYTHONDIR)" ] || { \
	  install -d $(DESTDIR)$(PYTHONDIR)/mmlife $(DESTDIR)$(PYTHONDIR)/$(PY_DIST) && \
	  install -m 0644 $(B)/python/mmlife/*.py $(DESTDIR)$(PYTHONDIR)/mmlife/ && \
	  install -m 0644 $(B)/python/$(PY_DIST)/* $(DESTDIR)$(PYTHONDIR)/$(PY_DIST)/; }

# mmlife and its unit tests built for arm64 (a sysroot of Debian's arm64
# packages in MMLIFE_CACHE, the cross compiler), the tests run under
# qemu-user: scripts/arm64.sh; and that CLI's reports against the host's
# (tests/arm64_cli.sh). `make check` runs them too.
.PHONY: check-arm64
check-arm64: test-deps
	@$(MAKE) --no-print-directory all
	@B=$(B) TESTS='arm64/*' sh tests/run.sh

clean:
	rm -rf build build-asan build-arm64

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- install layout, shared library, man pages (appended; see debian/) ----
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
MAN1DIR      ?= $(PREFIX)/share/man/man1
CRASH_EXTDIR ?= /usr/lib/crash/extensions

# libmmlife.so.0: lib/ as a shared library. The soname's 0 changes when a
# public header (include/mmlife/) changes incompatibly; only the mml_*
# symbols are exported (dist/libmmlife.map), lib/'s helpers stay local.
SOVERSION   := 0
SONAME      := libmmlife.so.$(SOVERSION)
SHLIB       := $(B)/libmmlife.so.$(VERSION)

.PHONY: shared man python
shared: $(SHLIB) $(B)/$(SONAME) $(B)/libmmlife.so $(B)/mmlife.pc

$(SHLIB): $(LIB_PIC) dist/libmmlife.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined \
	  -Wl,--version-script=dist/libmmlife.map -o $@ $(LIB_PIC) $(CORE_LIBS)
$(B)/$(SONAME) $(B)/libmmlife.so: $(SHLIB)
	ln -sf $(notdir $(SHLIB)) $@

$(B)/mmlife.pc: dist/mmlife.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@VERSION@|$(VERSION)|' -e 's|@PREFIX@|$(PREFIX)|' \
	  -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' $< >$@

# Man pages: help2man turns each command's --help into its page, and
# man/NAME.h2m adds what --help does not say (exit status, files,
# environment, examples). One source, so the options cannot drift
# (tests/dumps/packages.sh checks it).
MAN_PAGES   := $(B)/man/mmlife.1 $(B)/man/mmlife-scan.1 $(B)/man/mmlife-report.1 \
               $(B)/man/mmlife-db.1
man: $(MAN_PAGES)
$(B)/man/mmlife.1: $(B)/mmlife man/mmlife.h2m man/gen.sh
	sh man/gen.sh $(B)/mmlife "" $(VERSION) $@
$(B)/man/mmlife-%.1: $(B)/mmlife man/mmlife-%.h2m man/gen.sh
	sh man/gen.sh $(B)/mmlife $* $(VERSION) $@

# The Python package for drgn (python/mmlife/, over libmmlife.so.0 with
# ctypes) and its distribution metadata, whose entry point registers the
# drgn plugin (group drgn.plugins). $(B)/python is a directory for
# PYTHONPATH, as installed into PYTHONDIR: Debian's unversioned
# dist-packages under /usr; under another prefix PREFIX/lib/python3.X/
# dist-packages, which Debian's python3 (PYTHON) searches for /usr/local
# (elsewhere give PYTHONDIR).
PY_SRCS     := $(wildcard python/mmlife/*.py)
PY_DIST     := mmlife-$(VERSION).dist-info
PYTHON      ?= python3
PYTHONDIR   ?= $(if $(filter /usr,$(PREFIX)),/usr/lib/python3/dist-packages,$(PREFIX)/lib/$(shell \
                 $(PYTHON) -c 'import sys; print("python%d.%d" % sys.version_info[:2])' 2>/dev/null)/dist-packages)
python: $(PY_SRCS:python/%=$(B)/python/%) $(B)/python/$(PY_DIST)/METADATA
$(B)/python/mmlife/%.py: python/mmlife/%.py
	@mkdir -p $(dir $@)
	cp $< $@
$(B)/python/$(PY_DIST)/METADATA: Makefile
	@mkdir -p $(dir $@)
	printf '[drgn.plugins]\nmmlife = mmlife.drgn_plugin\n' >$(dir $@)entry_points.txt
	echo mmlife >$(dir $@)top_level.txt
	printf 'Metadata-Version: 2.1\nName: mmlife\nVersion: %s\nSummary: %s\nLicense: GPL-2.0-or-later\n' \
	  $(VERSION) 'mmlife in drgn: failed-fork address spaces in kernel crash dumps' >$@
