#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install mmlife's dependencies from Debian's packages, by group:
#   deps.sh [build|test|fuzz]...   (default: build)
# build: what `make` and `make install` need (the README's first command:
# compilers and -dev packages, crash for its defs.h, help2man for the man
# pages, dpkg-dev and debhelper for dpkg-buildpackage); test: what `make
# check` needs beyond that: lintian (tests/dumps/packages.sh), debootstrap for the crash,
# drgn and bookworm chroots, Chromium for the HTML report's headless
# browser test (tests/dumps/report_html.sh), qemu-user-static and the
# arm64 cross compiler for mmlife built and tested for arm64
# (scripts/arm64.sh, the arm64/ tests) and for the extension built for
# Debian's arm64 crash (scripts/crash-arm64.sh, whose debug vmlinux
# gdb-multiarch indexes; tests/dumps/crash_ext_arm64.sh), strace (tests/dumps/batch.sh),
# and a Slurm cluster and an sshd on localhost with GNU parallel and rsync
# (tests/dumps/batch_cluster.sh); fuzz: clang with libFuzzer and the
# sanitizer runtimes (tests/fuzz/). Idempotent and quiet when everything is
# there. Without root, a missing build or test package is an error; a
# missing fuzz package is a warning (tests/fuzz/run.sh then SKIPs).
set -eu

group_pkgs() {
	case $1 in
	build) echo "gcc make pkg-config binutils libc6-dev
libkdumpfile-dev libdw-dev libelf-dev libbpf-dev zlib1g-dev
libjansson-dev libsqlite3-dev libcmocka-dev nettle-dev
crash liblzma-dev libdeflate-dev liblzo2-dev libsnappy-dev libzstd-dev
help2man dpkg-dev debhelper" ;;
	test) echo "sqlite3 xz-utils debootstrap strace python3 lintian
chromium qemu-user-static gcc-aarch64-linux-gnu libc6-dev-arm64-cross gdb-multiarch
slurmctld slurmd slurm-client munge openssh-server openssh-client parallel rsync" ;;
	fuzz) echo "clang libclang-rt-14-dev" ;;
	esac
}

install_group() { # GROUP
	case $1 in
	build | test | fuzz) ;;
	*) echo "deps.sh: unknown group $1 (build, test, fuzz)" >&2; exit 2 ;;
	esac
	missing=""
	for p in $(group_pkgs "$1"); do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		if [ "$1" = fuzz ]; then
			echo "mmlife: fuzzing needs:$missing (run as root, or install them); the fuzz tests will be skipped" >&2
			return 0
		fi
		echo "mmlife: missing packages:$missing (run as root, or install them)" >&2
		exit 1
	fi
	echo "mmlife: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
		apt-get install -y --no-install-recommends $missing
}

[ $# -gt 0 ] || set -- build
for g in "$@"; do
	install_group "$g"
done
