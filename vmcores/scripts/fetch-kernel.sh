#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fetch-kernel.sh KEY [--what vmlinux|vmlinuz|module|dir]
# Download the pinned packages of kernel KEY (see vmcores/kernels.conf) into
# the cache, unpack them, keep vmlinuz, qemu_fw_cfg.ko and the debug vmlinux,
# verify the vmlinux build-id and print the requested path (default: vmlinux).
# Exit 77 when a pinned version is no longer in the archive.
set -euo pipefail
. "$(dirname "$0")/common.sh"

KEY=${1:?usage: fetch-kernel.sh KEY [--what vmlinux|vmlinuz|module|dir]}
WHAT=vmlinux
if [ "${2:-}" = --what ]; then WHAT=${3:?}; fi

REL=$(vmc_kconf "$KEY" release) || die "unknown kernel key $KEY"
BID=$(vmc_kconf "$KEY" build_id)
ARCH=$(vmc_kconf "$KEY" arch 2>/dev/null || echo amd64)
[ "$ARCH" = amd64 ] || vmc_apt_arch "$ARCH"
KDIR=$MMLIFE_CACHE/kernels/$KEY
OUT=$KDIR/out
VMLINUX=$OUT/vmlinux-$REL
VMLINUZ=$OUT/vmlinuz-$REL
FWCFG=$OUT/qemu_fw_cfg.ko
GUEST_MODULES="qemu_fw_cfg virtio_blk"

print_what() {
	case $WHAT in
	vmlinux) echo "$VMLINUX" ;;
	vmlinuz) echo "$VMLINUZ" ;;
	module) echo "$FWCFG" ;;
	modules) echo "$OUT"/*.ko ;;
	dir) echo "$OUT" ;;
	*) die "unknown --what $WHAT" ;;
	esac
}

verify() {
	[ -s "$VMLINUX" ] && [ -s "$VMLINUZ" ] && [ -s "$FWCFG" ] && [ -s "$OUT/virtio_blk.ko" ] || return 1
	local got
	got=$(vmc_build_id "$VMLINUX")
	if [ "$BID" != TBD ] && [ "$got" != "$BID" ]; then
		log "build-id mismatch for $VMLINUX: $got != $BID"
		return 1
	fi
	[ -s "$OUT/sha256sums" ] && (cd "$OUT" && sha256sum --quiet -c sha256sums) || return 1
}

if [ -e "$OUT/done.stamp" ] && verify; then
	print_what
	exit 0
fi
# One fetch at a time (scripts/prefetch.sh runs beside the tests): the
# private apt configuration is shared by every kernel of an architecture.
mkdir -p "$MMLIFE_CACHE"
exec 9>"$MMLIFE_CACHE/kernels.lock"
flock 9
if [ -e "$OUT/done.stamp" ] && verify; then
	print_what
	exit 0
fi

vmc_apt_setup
mkdir -p "$KDIR/debs" "$OUT"
pkgs=("$(vmc_kconf "$KEY" image)" "$(vmc_kconf "$KEY" modules)" "$(vmc_kconf "$KEY" dbg)")
extra=$(vmc_kconf "$KEY" extra 2>/dev/null || true)
for e in $extra; do pkgs+=("$e"); done
# unique
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | awk '!seen[$0]++')

# all pinned versions must still be in the archive before anything is downloaded
for pv in "${pkgs[@]}"; do
	name=${pv%%=*} ver=${pv#*=}
	if ! vmc_apt_cache madison "$name" | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$ver"; then
		echo "SKIP: $name=$ver is no longer in the Debian archive (archive drift); update vmcores/kernels.conf" >&2
		exit 77
	fi
done
for pv in "${pkgs[@]}"; do
	name=${pv%%=*} ver=${pv#*=}
	deb=$(ls "$KDIR/debs/${name}_"*.deb 2>/dev/null | head -1 || true)
	if [ -n "$deb" ]; then
		# verify against the archive's sha256
		want=$(vmc_apt_cache show "$name=$ver" | awk '/^SHA256:/ {print $2; exit}')
		have=$(sha256sum "$deb" | cut -d' ' -f1)
		[ "$want" = "$have" ] || { log "checksum mismatch, re-downloading $deb"; rm -f "$deb"; deb=""; }
	fi
	if [ -z "$deb" ]; then
		log "downloading $name=$ver"
		(cd "$KDIR/debs" && vmc_apt_get download "$name=$ver" >&2)
	fi
done

log "unpacking"
rm -rf "$KDIR/x" "$OUT"
mkdir -p "$KDIR/x" "$OUT"
for d in "$KDIR"/debs/*.deb; do
	case $d in
	*-dbg_*)
		# only the vmlinux (and System.map): the generic and rt -dbg
		# packages also carry every module's debug info (7 GB unpacked)
		dpkg-deb --fsys-tarfile "$d" | tar -x -C "$KDIR/x" --wildcards \
			'./usr/lib/debug/boot/*' './usr/lib/debug/lib/modules/*/vmlinux' \
			'./usr/lib/debug/vmlinux-*' 2>/dev/null || true ;;
	*) dpkg -x "$d" "$KDIR/x" ;;
	esac
done
src=$(ls "$KDIR/x/boot/vmlinuz-$REL" "$KDIR/x/usr/lib/modules/$REL/vmlinuz"* 2>/dev/null | head -1 || true)
[ -n "$src" ] || die "vmlinuz-$REL not found in packages"
cp "$src" "$VMLINUZ"
# guest modules: qemu_fw_cfg (VMCOREINFO to QEMU), virtio_blk (swap disk)
todo=$GUEST_MODULES
: > "$OUT/modules.order"
while read -r mod todo <<< "$todo" && [ -n "$mod" ]; do
	[ -e "$OUT/$mod.ko" ] && continue
	m=$(find "$KDIR/x" -name "$mod.ko*" | head -1)
	[ -n "$m" ] || die "$mod.ko not found"
	case $m in
	*.xz) xz -dc "$m" > "$OUT/$mod.ko" ;;
	*.zst) zstd -qdc "$m" > "$OUT/$mod.ko" ;;
	*.gz) gzip -dc "$m" > "$OUT/$mod.ko" ;;
	*) cp "$m" "$OUT/$mod.ko" ;;
	esac
	deps=$(tr "\0" "\n" < "$OUT/$mod.ko" | sed -n "s/^depends=//p" | head -1 | tr "," " ")
	# insmod order: dependencies first
	echo "$mod${deps:+ $deps}" >> "$OUT/modules.order"
	todo="$todo $deps"
done
v=""
for c in "$KDIR/x/usr/lib/debug/boot/vmlinux-$REL" "$KDIR/x/usr/lib/debug/lib/modules/$REL/vmlinux" \
	"$KDIR/x/usr/lib/debug/vmlinux-$REL"; do
	if [ -e "$c" ]; then v=$(readlink -f "$c"); break; fi
done
[ -n "$v" ] || die "debug vmlinux not found in the -dbg package"
mv "$v" "$VMLINUX"
sm=$(find "$KDIR/x" -name "System.map-$REL" -size +100k | head -1 || true)
[ -n "$sm" ] && cp "$sm" "$OUT/System.map-$REL"
rm -rf "$KDIR/x"
got=$(vmc_build_id "$VMLINUX")
if [ "$BID" = TBD ]; then
	log "build-id of $VMLINUX is $got (kernels.conf has TBD)"
elif [ "$got" != "$BID" ]; then
	die "build-id mismatch: $got != $BID (kernels.conf)"
fi
(cd "$OUT" && sha256sum "$(basename "$VMLINUZ")" *.ko > sha256sums)
# the debs are not needed any more (the -dbg one is ~300 MB)
if [ "${VMC_KEEP_DEBS:-0}" != 1 ]; then rm -f "$KDIR"/debs/*.deb; fi
touch "$OUT/done.stamp"
print_what
