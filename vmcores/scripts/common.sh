#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the vmcore generator. Source this file.
# - MMLIFE_CACHE: where big downloads live (never inside the repo)
# - a private apt configuration (bookworm, bookworm-backports, trixie, forky)
#   that never touches the system's apt sources.
set -euo pipefail

VMC_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VMC_DIR=$(cd "$VMC_SCRIPTS/.." && pwd)
REPO_DIR=$(cd "$VMC_DIR/.." && pwd)
MMLIFE_CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
export MMLIFE_CACHE
mkdir -p "$MMLIFE_CACHE"

die() { echo "error: $*" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

# The machine's own Debian mirror: first URIs: line of debian.sources
# (falls back to sources.list, then deb.debian.org).
vmc_mirror() {
	local m=""
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$m" ] && [ -r /etc/apt/sources.list ]; then
		m=$(awk '$1=="deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}
vmc_security_mirror() {
	local m=""
	if [ -r /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '/^URIs:/ && /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
	fi
	echo "${m:-http://deb.debian.org/debian-security}"
}

# vmc_apt_arch ARCH: select the private apt configuration for ARCH (amd64,
# the default, or arm64). Each architecture has its own lists and cache
# ($MMLIFE_CACHE/apt, $MMLIFE_CACHE/apt-arm64): an arm64 update never
# rewrites the lists amd64 readers are using.
vmc_apt_arch() {
	VMC_ARCH=$1
	case $VMC_ARCH in
	amd64) APT_ROOT=$MMLIFE_CACHE/apt ;;
	arm64) APT_ROOT=$MMLIFE_CACHE/apt-arm64 ;;
	*) die "unsupported architecture $VMC_ARCH" ;;
	esac
	APT_OPTS=(-o "Dir::Etc::SourceList=$APT_ROOT/sources.list"
		-o "Dir::Etc::SourceParts=/dev/null"
		-o "Dir::State::Lists=$APT_ROOT/lists"
		-o "Dir::State::status=$APT_ROOT/status"
		-o "Dir::Cache=$APT_ROOT/cache"
		-o "Dir::Etc::Preferences=/dev/null"
		-o "Dir::Etc::PreferencesParts=/dev/null"
		-o "Acquire::Check-Valid-Until=false"
		-o "APT::Architecture=$VMC_ARCH"
		-o "Debug::NoLocking=1"
		-o "APT::Sandbox::User=root")
	[ "$VMC_ARCH" = amd64 ] || APT_OPTS+=(-o "APT::Architectures=$VMC_ARCH")
}
vmc_apt_arch amd64

# Write the private sources list (idempotent) and update it when older than
# 6 hours (or when VMC_APT_UPDATE=1).
vmc_apt_setup() {
	local mirror sec
	mirror=$(vmc_mirror)
	sec=$(vmc_security_mirror)
	mkdir -p "$APT_ROOT/lists/partial" "$APT_ROOT/cache/archives/partial"
	touch "$APT_ROOT/status"
	local a=""
	# amd64 keeps its sources.list as it was (no [arch=] option)
	[ "$VMC_ARCH" = amd64 ] || a="[arch=$VMC_ARCH] "
	cat > "$APT_ROOT/sources.list.new" <<EOS
deb ${a}$mirror bookworm main
deb ${a}$mirror bookworm-updates main
deb ${a}$sec bookworm-security main
deb ${a}$mirror bookworm-backports main
deb ${a}$mirror trixie main
deb ${a}$mirror trixie-updates main
deb ${a}$sec trixie-security main
deb ${a}$mirror forky main
EOS
	if ! cmp -s "$APT_ROOT/sources.list.new" "$APT_ROOT/sources.list" 2>/dev/null; then
		mv "$APT_ROOT/sources.list.new" "$APT_ROOT/sources.list"
		rm -f "$APT_ROOT/updated.stamp"
	else
		rm -f "$APT_ROOT/sources.list.new"
	fi
	if [ "${VMC_APT_UPDATE:-0}" = 1 ] || [ ! -e "$APT_ROOT/updated.stamp" ] ||
	   [ -n "$(find "$APT_ROOT/updated.stamp" -mmin +360 2>/dev/null)" ]; then
		log "apt-get update (private config in $APT_ROOT)"
		apt-get "${APT_OPTS[@]}" update >&2
		touch "$APT_ROOT/updated.stamp"
	fi
}

vmc_apt_get() { apt-get "${APT_OPTS[@]}" "$@"; }
vmc_apt_cache() { apt-cache "${APT_OPTS[@]}" "$@"; }

# kernels.conf lookup: vmc_kconf KEY FIELD
vmc_kconf() {
	local key=$1 field=$2
	awk -v k="$key" -v f="$field" '
		/^[[:space:]]*#/ || NF == 0 { next }
		/^\[/ { sec = substr($0, 2, index($0, "]") - 2); next }
		sec == k {
			i = index($0, "=")
			if (i == 0) next
			name = substr($0, 1, i - 1); val = substr($0, i + 1)
			gsub(/^[ \t]+|[ \t]+$/, "", name); gsub(/^[ \t]+|[ \t]+$/, "", val)
			if (name == f) { print val; found = 1; exit }
		}
		END { if (!found) exit 1 }' "$VMC_DIR/kernels.conf"
}

# Build-id of an ELF file (lowercase hex).
vmc_build_id() {
	readelf -n "$1" 2>/dev/null | awk '/Build ID:/ {print $3; exit}'
}
