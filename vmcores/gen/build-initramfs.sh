#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-initramfs.sh KEY OUT.cpio.gz
# busybox-static (bookworm, from the cache, of the kernel's architecture),
# the static workloads and the kernel's guest modules (qemu_fw_cfg,
# virtio_blk) from fetch-kernel.sh. For arm64 kernels (kernels.conf
# arch = arm64) the workloads are cross-built with aarch64-linux-gnu-gcc.
set -euo pipefail
GEN=$(cd "$(dirname "$0")" && pwd)
. "$GEN/../scripts/common.sh"
KEY=${1:?usage: build-initramfs.sh KEY OUT}
OUTF=${2:?usage: build-initramfs.sh KEY OUT}

# the guest's architecture (kernels.conf `arch`): busybox and compiler
ARCH=$(vmc_kconf "$KEY" arch 2>/dev/null || echo amd64)
BB=busybox CC=gcc
if [ "$ARCH" != amd64 ]; then
	vmc_apt_arch "$ARCH"
	BB=busybox-$ARCH
	case $ARCH in
	arm64) CC=aarch64-linux-gnu-gcc ;;
	esac
fi

# busybox
bbpv=$(vmc_kconf $BB package)
bbsum=$(vmc_kconf $BB sha256)
BBDIR=$MMLIFE_CACHE/$BB
bb=$BBDIR/busybox
if [ ! -x "$bb" ] || [ "$(cat "$BBDIR/deb.sha256" 2>/dev/null)" != "$bbsum" ]; then
	vmc_apt_setup
	rm -rf "$BBDIR"
	mkdir -p "$BBDIR/deb"
	(cd "$BBDIR/deb" && vmc_apt_get download "$bbpv" >&2) || {
		echo "SKIP: $bbpv not in the archive" >&2; exit 77; }
	deb=$(ls "$BBDIR"/deb/*.deb)
	[ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$bbsum" ] || die "busybox deb checksum mismatch"
	dpkg -x "$deb" "$BBDIR/x"
	cp "$BBDIR/x/bin/busybox" "$bb"
	echo "$bbsum" > "$BBDIR/deb.sha256"
	rm -rf "$BBDIR/x" "$BBDIR/deb"
fi

KOUT=$("$GEN/../scripts/fetch-kernel.sh" "$KEY" --what dir)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W"/{bin,dev,proc,sys,tmp,lib/modules}
cp "$bb" "$W/bin/busybox"
ln -s busybox "$W/bin/sh"
cp "$GEN/init.sh" "$W/init"
sed -i "1s|.*|#!/bin/busybox sh|" "$W/init"
chmod 755 "$W/init"
$CC -O2 -static -o "$W/bin/forkfail" "$GEN/forkfail.c"
$CC -O2 -static -pthread -o "$W/bin/threads" "$GEN/threads.c"
$CC -O2 -static -nostdlib -fno-stack-protector -o "$W/bin/emptymm" "$GEN/emptymm.c"
cp "$KOUT"/*.ko "$W/lib/modules/"
cp "$KOUT/modules.order" "$W/lib/modules/order"
(cd "$W" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n) > "$OUTF"
