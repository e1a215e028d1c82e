#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# mmlife built for arm64 and run on an x86-64 host by qemu-user (issue 23):
#   arm64.sh root              print the sysroot (installs it first)
#   arm64.sh make TARGETS...   cross-build into build-arm64 (B= overrides)
#   arm64.sh run PROG ARGS...  run an arm64 program of that build
# The sysroot is bookworm's arm64 -dev packages the build links against
# (those of the unit tests and the CLI) with every dependency, resolved by
# apt from a private configuration, their hashes checked by apt against the
# signed release files, unpacked with dpkg-deb into
# $MMLIFE_CACHE/sysroot-arm64/root: the compiler's --sysroot, pkg-config's
# sysroot, and qemu-aarch64-static -L's prefix. The same approach as
# scripts/crash-arm64.sh (forky's crash); bookworm here because the host's
# cross compiler (gcc-aarch64-linux-gnu, glibc 2.36) is bookworm's.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
DIR=$CACHE/sysroot-arm64
ROOT=$DIR/root
SUITE=bookworm
PKGS="libc6-dev libcmocka-dev libjansson-dev zlib1g-dev libkdumpfile-dev
libdw-dev libelf-dev libbpf-dev libsqlite3-dev libdeflate-dev liblzma-dev
nettle-dev"
WANT_STAMP="v1 $SUITE ${PKGS//$'\n'/ }"

mirror() {
	local m=""
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '/^URIs:/ && !/security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}

apt_opts() {
	echo "-o Dir::Etc::SourceList=$DIR/apt/sources.list
-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$DIR/apt/lists
-o Dir::State::status=$DIR/apt/status -o Dir::Cache=$DIR/apt/cache
-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
-o Acquire::Check-Valid-Until=false -o APT::Architecture=arm64
-o APT::Architectures=arm64 -o Debug::NoLocking=1
-o APT::Sandbox::User=root"
}

# Absolute links (bookworm's /lib/ld-linux-aarch64.so.1, some -dev .so
# links) would point into the host: made relative, inside the root.
relink_absolute() {
	local l t
	find "$ROOT" -type l | while read -r l; do
		t=$(readlink "$l")
		case $t in /*) ;; *) continue ;; esac
		ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" "$ROOT$t")" "$l"
	done
}

install_root() {
	[ -e "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$WANT_STAMP" ] && return 0
	rm -rf "$DIR/apt" "$ROOT"
	mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial"
	touch "$DIR/apt/status"
	echo "deb [arch=arm64] $(mirror) $SUITE main" >"$DIR/apt/sources.list"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) update >&2
	# With an empty status every dependency is downloaded, libc included.
	# shellcheck disable=SC2046,SC2086
	apt-get $(apt_opts) install -y --download-only --no-install-recommends $PKGS >&2
	mkdir -p "$ROOT"
	for deb in "$DIR"/apt/cache/archives/*.deb; do
		dpkg-deb -x "$deb" "$ROOT"
	done
	relink_absolute
	rm -rf "$DIR/apt/cache/archives" "$DIR/apt/lists"
	echo "$WANT_STAMP" >"$DIR/stamp"
}

need() { # COMMAND PACKAGE
	command -v "$1" >/dev/null ||
		{ echo "arm64.sh: $1 missing ($2: scripts/deps.sh test)" >&2; exit 1; }
}

root() {
	mkdir -p "$DIR"
	exec 9>"$DIR.lock"
	flock 9
	install_root
	exec 9>&-
}

case ${1:-root} in
root)
	root
	echo "$ROOT"
	;;
make)
	shift
	need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
	root
	# No crash extension: the host's crash defs.h is x86-64's.
	PKG_CONFIG_LIBDIR=$ROOT/usr/lib/aarch64-linux-gnu/pkgconfig:$ROOT/usr/share/pkgconfig \
		PKG_CONFIG_SYSROOT_DIR=$ROOT \
		exec make -C "$top" B="${B:-build-arm64}" CRASH_DEFS= \
		CC="aarch64-linux-gnu-gcc --sysroot=$ROOT" AR=aarch64-linux-gnu-ar "$@"
	;;
run)
	shift
	need qemu-aarch64-static qemu-user-static
	root
	# No binfmt_misc needed: qemu runs the program itself; -L makes the
	# arm64 loader and libraries come from the sysroot.
	exec qemu-aarch64-static -L "$ROOT" "$@"
	;;
*)
	echo "usage: arm64.sh root | make TARGETS... | run PROG ARGS..." >&2
	exit 2
	;;
esac
