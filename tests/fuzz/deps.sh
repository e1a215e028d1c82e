#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install what the fuzz harnesses need (clang with libFuzzer and the
# sanitizer runtimes) from Debian's packages; like scripts/deps.sh,
# idempotent and quiet when everything is there. Without root and without
# the packages, say so and succeed: tests/fuzz/run.sh then SKIPs.
set -eu
PKGS="clang libclang-rt-14-dev"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "mmlife: fuzzing needs:$missing (run as root, or install them); the fuzz tests will be skipped" >&2
	exit 0
fi
echo "mmlife: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null 2>&1 ||
	apt-get install -y --no-install-recommends $missing
