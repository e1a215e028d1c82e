#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI built for arm64, run under qemu-user (scripts/arm64.sh), against
# the host's build on every dump in vmcores/: the same report (JSON and
# text), stderr and exit status, byte for byte but for the slab walk's wall
# time. The x86-64 dumps are little-endian with 64-bit words like arm64,
# but the reader's code paths (word size, byte order, char signedness) are
# then another architecture's.
#   B=build ARM64_B=build-arm64
set -u
B=${B:-build}
ARM64_B=${ARM64_B:-build-arm64}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
# dumps() (a vmcore.xz unpacked once into the cache), ok, notok; its top
# is that of a script in tests/dumps/.
. tests/dumps/lib/common.sh
top=$(pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Not a skip: make check builds both (make all, tests/run.sh's arm64/build).
for bin in "$B/mmlife" "$ARM64_B/mmlife"; do
	if [ ! -x "$bin" ]; then
		notok "$bin not built"
		echo "1..$n"
		exit 1
	fi
done

# run TAG BIN ARGS...: stdout, stderr and status into $tmp/TAG.*
run() {
	tag=$1
	shift
	"$@" >"$tmp/$tag.out" 2>"$tmp/$tag.err"
	echo $? >"$tmp/$tag.rc"
	sed -i 's/"slab_ms": [0-9]*/"slab_ms": T/' "$tmp/$tag.out"
}

# same WHAT ARGS...: host and arm64 alike on ARGS
same() {
	what=$1
	shift
	run host "$B/mmlife" "$@"
	run arm64 bash scripts/arm64.sh run "$ARM64_B/mmlife" "$@"
	for s in out err rc; do
		if ! cmp -s "$tmp/host.$s" "$tmp/arm64.$s"; then
			diff "$tmp/host.$s" "$tmp/arm64.$s" | head -10 | sed 's/^/# /'
			notok "$what: arm64's std$s differs from the host's"
			return
		fi
	done
	ok "$what: the same on arm64 (exit $(cat "$tmp/host.rc"))"
}

same "--version" --version
found=0
for name in $(dumps); do
	found=1
	d=vmcores/$name/vmcore
	same "$name --json" --no-cache --json --types=btf "$d"
	same "$name text" --no-cache "$d"
done
[ $found = 1 ] || notok "no dump in vmcores/"
echo "1..$n"
