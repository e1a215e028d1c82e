#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install mmlife's build and test dependencies from Debian's packages.
# Idempotent and quiet when everything is there.
set -eu

PKGS="gcc make pkg-config binutils libc6-dev
libkdumpfile-dev libdw-dev libelf-dev libbpf-dev zlib1g-dev
libjansson-dev libsqlite3-dev sqlite3 libcmocka-dev
crash xz-utils debootstrap liblzma-dev libdeflate-dev
python3"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "mmlife: missing packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "mmlife: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
	apt-get install -y --no-install-recommends $missing
