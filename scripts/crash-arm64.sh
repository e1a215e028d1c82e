#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian forky's arm64 crash, for the crash extension on arm64 dumps
# (issue 23), run on an x86-64 host by qemu-user:
#   crash-arm64.sh root          print the root (installs it first)
#   crash-arm64.sh run ARGS...   run that crash with ARGS
# No debootstrap: the crash package and its dependencies (arm64, resolved
# by apt from a private configuration, their hashes checked by apt against
# the signed release files) are unpacked with dpkg-deb into
# $MMLIFE_CACHE/crash-arm64/root, and qemu-aarch64-static -L runs crash
# with that root as its library prefix; every other path (vmlinux, dump,
# extension) is the host's. Cost on a fresh machine: about 25 MB of
# packages, no build. Cheaper than crash built for target=ARM64 from source
# (its bundled gdb builds for 15+ minutes on 2 CPUs).
set -euo pipefail

CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
DIR=$CACHE/crash-arm64
ROOT=$DIR/root
# Packages beyond crash's dependencies: the extension links jansson.
PKGS="crash libjansson4"
WANT_STAMP="v1 forky $PKGS"

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

install_root() {
	[ -e "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$WANT_STAMP" ] && return 0
	command -v qemu-aarch64-static >/dev/null ||
		{ echo "crash-arm64.sh: qemu-aarch64-static missing (scripts/deps.sh test)" >&2; exit 1; }
	rm -rf "$DIR/apt" "$ROOT"
	mkdir -p "$DIR/apt/lists/partial" "$DIR/apt/cache/archives/partial"
	touch "$DIR/apt/status"
	echo "deb [arch=arm64] $(mirror) forky main" >"$DIR/apt/sources.list"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) update >&2
	# With an empty status every dependency is downloaded, libc included.
	# shellcheck disable=SC2046,SC2086
	apt-get $(apt_opts) install -y --download-only --no-install-recommends $PKGS >&2
	mkdir -p "$ROOT"
	for deb in "$DIR"/apt/cache/archives/*.deb; do
		dpkg-deb -x "$deb" "$ROOT"
	done
	# The merged-/usr links base-files would make (the loader's path is
	# /lib/ld-linux-aarch64.so.1).
	for l in lib bin sbin; do
		[ -e "$ROOT/$l" ] || ln -s "usr/$l" "$ROOT/$l"
	done
	rm -rf "$DIR/apt/cache/archives" "$DIR/apt/lists"
	"$0" run --version >/dev/null ||
		{ echo "crash-arm64.sh: the unpacked crash does not run" >&2; exit 1; }
	echo "$WANT_STAMP" >"$DIR/stamp"
}

mkdir -p "$DIR"
case ${1:-root} in
root)
	exec 9>"$DIR.lock"
	flock 9
	install_root
	echo "$ROOT"
	;;
run)
	shift
	# No binfmt_misc needed: qemu runs crash itself; -L makes the arm64
	# loader and libraries come from the root.
	exec qemu-aarch64-static -L "$ROOT" "$ROOT/usr/bin/crash" "$@"
	;;
*)
	echo "usage: crash-arm64.sh root|run ARGS..." >&2
	exit 2
	;;
esac
