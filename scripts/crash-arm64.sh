#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian forky's arm64 crash, for the crash extension on arm64 dumps
# (issue 23), run on an x86-64 host by qemu-user:
#   crash-arm64.sh root          print the root (installs it first)
#   crash-arm64.sh run ARGS...   run that crash with ARGS
#   crash-arm64.sh vmlinux FILE  print the path of FILE (an arm64 debug
#                                vmlinux) with a .gdb_index added
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
# Packages beyond crash's dependencies: the extension links jansson,
# libbpf (and libelf, which libbpf1 depends on) and libdeflate (lzo,
# snappy and zstd come with crash).
PKGS="crash libjansson4 libbpf1 libdeflate0"
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

# A copy of the debug vmlinux $1 with a .gdb_index section, made once per
# build-id under $DIR/vmlinux/BUILD-ID. crash's gdb, emulated, takes
# minutes to index 300+ MB of DWARF itself at every start; the index is
# made natively by gdb-multiarch in seconds (`save gdb-index`) and added
# by the cross objcopy. The copy's build-id is checked to be the
# original's; the index only tells gdb where each name is, so a wrong or
# missing entry shows as a lookup crash's gdb fails, which the extension
# test would see.
indexed_vmlinux() { # FILE
	local v=$1 id dir out
	for t in gdb-multiarch aarch64-linux-gnu-objcopy; do
		command -v $t >/dev/null ||
			{ echo "crash-arm64.sh: $t missing (scripts/deps.sh test)" >&2; exit 1; }
	done
	id=$(build_id "$v")
	[ -n "$id" ] || { echo "crash-arm64.sh: $v: no build-id" >&2; exit 1; }
	dir=$DIR/vmlinux/$id
	out=$dir/vmlinux
	if [ -s "$out" ] && [ "$(cat "$dir/stamp" 2>/dev/null)" = "v1 $id" ]; then
		echo "$out"
		return 0
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	gdb-multiarch -batch -nx -ex "save gdb-index $dir" "$v" >&2 &&
		[ -s "$dir/$(basename "$v").gdb-index" ] ||
		{ echo "crash-arm64.sh: gdb-multiarch could not index $v" >&2; exit 1; }
	aarch64-linux-gnu-objcopy \
		--add-section .gdb_index="$dir/$(basename "$v").gdb-index" \
		--set-section-flags .gdb_index=readonly "$v" "$out.tmp" >&2
	rm -f "$dir/$(basename "$v").gdb-index"
	[ "$(build_id "$out.tmp")" = "$id" ] ||
		{ echo "crash-arm64.sh: the indexed copy of $v has another build-id" >&2; exit 1; }
	mv "$out.tmp" "$out"
	echo "v1 $id" >"$dir/stamp"
	echo "$out"
}

build_id() { # FILE
	readelf -n "$1" 2>/dev/null | awk '/Build ID:/ {print $3; exit}'
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
vmlinux)
	[ $# = 2 ] || { echo "usage: crash-arm64.sh vmlinux FILE" >&2; exit 2; }
	exec 9>"$DIR.lock"
	flock 9
	indexed_vmlinux "$2"
	;;
*)
	echo "usage: crash-arm64.sh root|run ARGS...|vmlinux FILE" >&2
	exit 2
	;;
esac
