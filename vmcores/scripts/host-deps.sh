#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Host tools needed to generate the vmcores (Debian 12, run as root); the
# arm64 guests need qemu-system-aarch64, gdb-multiarch and a cross gcc.
# The kernels, busybox and the forky chroot are NOT installed here: they are
# unpacked into ${MMLIFE_CACHE:-$HOME/.cache/mmlife} by the other scripts.
set -euo pipefail
PKGS=(qemu-system-x86 gdb debootstrap gcc libc6-dev binutils cpio gzip xz-utils
      python3 socat ca-certificates zstd file
      qemu-system-arm gdb-multiarch gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
