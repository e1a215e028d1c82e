#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# chroot.sh SUITE create            debootstrap (minbase) + crash, drgn, makedumpfile
# chroot.sh SUITE path              print the chroot directory (creates it first)
# chroot.sh SUITE mount|umount      mount/unmount proc, sys, dev (bind) in it
# chroot.sh SUITE run CMD...        run CMD inside (mounts before, unmounts after)
# SUITE is forky (makedumpfile 1.7.8, crash 9.0.2, python3-drgn) or trixie.
# The chroot lives in $MMLIFE_CACHE/chroot-SUITE; a stamp makes create idempotent.
# Extra bind mounts for `run`: VMC_BIND="HOSTDIR[:INSIDE] ..." (INSIDE defaults to HOSTDIR).
set -euo pipefail
. "$(dirname "$0")/common.sh"

SUITE=${1:?usage: chroot.sh forky|trixie create|path|mount|umount|run ...}
CMD=${2:-create}
shift 2 || true
case $SUITE in forky|trixie) ;; *) die "unsupported suite $SUITE" ;; esac
CH=$MMLIFE_CACHE/chroot-$SUITE
STAMP=$CH/.mmlife-stamp
# bump when the package list changes
PKGLIST="crash makedumpfile python3 python3-drgn gdb binutils file xz-utils zstd ca-certificates"
[ "$SUITE" = trixie ] && PKGLIST="crash makedumpfile python3 gdb binutils file xz-utils zstd"
WANT_STAMP="v1 $PKGLIST"

is_mounted() { mountpoint -q "$1"; }

do_mount() {
	mkdir -p "$CH/proc" "$CH/sys" "$CH/dev"
	is_mounted "$CH/proc" || mount -t proc proc "$CH/proc"
	is_mounted "$CH/sys" || mount -t sysfs sysfs "$CH/sys"
	is_mounted "$CH/dev" || mount --bind /dev "$CH/dev"
}

do_umount() {
	local m
	# unmount everything below the chroot that we may have mounted, deepest first
	for m in $(awk -v c="$CH/" 'index($2, c) == 1 {print $2}' /proc/self/mounts | sort -r); do
		# a bind hidden under a later bind of its parent directory is not
		# reachable any more: go on with the others instead of leaving all
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
}

create() {
	if [ -e "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT_STAMP" ]; then return 0; fi
	command -v debootstrap >/dev/null || die "debootstrap missing: run vmcores/scripts/host-deps.sh"
	local mirror script=""
	mirror=$(vmc_mirror)
	do_umount
	if [ ! -x "$CH/usr/bin/apt-get" ] || [ ! -e "$CH/.debootstrap-ok" ]; then
		rm -rf "$CH"
		[ "$SUITE" = forky ] && script=/usr/share/debootstrap/scripts/sid
		log "debootstrap $SUITE into $CH"
		debootstrap --variant=minbase "$SUITE" "$CH" "$mirror" $script >&2
		touch "$CH/.debootstrap-ok"
	fi
	echo 'Acquire::Check-Valid-Until "false";' > "$CH/etc/apt/apt.conf.d/99mmlife-valid-until"
	printf 'deb %s %s main\n' "$mirror" "$SUITE" > "$CH/etc/apt/sources.list"
	rm -f "$CH/etc/apt/sources.list.d/"*.sources 2>/dev/null || true
	do_mount
	trap do_umount EXIT
	chroot "$CH" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update >&2
	chroot "$CH" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $PKGLIST >&2
	chroot "$CH" apt-get clean
	do_umount
	trap - EXIT
	echo "$WANT_STAMP" > "$STAMP"
}

run() {
	create
	do_mount
	trap do_umount EXIT
	local b host inside
	for b in ${VMC_BIND:-}; do
		host=${b%%:*}; inside=${b#*:}
		[ "$inside" = "$b" ] && inside=$host
		mkdir -p "$CH$inside"
		is_mounted "$CH$inside" || mount --bind "$host" "$CH$inside"
	done
	chroot "$CH" "$@"
}

# One user of a chroot at a time: two debootstraps into one directory
# break each other ("file already exists"), and one run's unmount pulls
# /proc from under another's.
mkdir -p "$MMLIFE_CACHE"
exec 9>"$CH.lock"
flock 9

case $CMD in
create) create ;;
path) create; echo "$CH" ;;
mount) create; do_mount ;;
umount) do_umount ;;
run) run "$@" ;;
*) die "unknown command $CMD" ;;
esac
