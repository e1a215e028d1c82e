#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vmcore-path.sh NAME [DIR] : print the path of a dump that readers can open.
# For most dumps that is vmcores/NAME/vmcore. A dump stored as vmcore.xz
# (the ELF one) is unpacked once into $MMLIFE_CACHE/unpacked/NAME/vmcore and
# checked against dump.uncompressed_sha256 of its manifest.
set -euo pipefail
. "$(dirname "$0")/common.sh"
NAME=${1:?usage: vmcore-path.sh NAME [DIR]}
# DIR: fixtures kept outside vmcores/ (drgn-facts.sh passes MMLIFE_VMCORES_OUT)
VMC_DIR=${2:-$VMC_DIR}
M=$VMC_DIR/$NAME/manifest.json
[ -r "$M" ] || die "no manifest for $NAME"
read -r file want < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["dump"]; print(d["file"], d.get("uncompressed_sha256", ""))' "$M")
case $file in
*.xz)
	out=$MMLIFE_CACHE/unpacked/$NAME/vmcore
	if [ "$(sha256sum "$out" 2>/dev/null | cut -d' ' -f1)" != "$want" ]; then
		mkdir -p "$(dirname "$out")"
		xz -dc "$VMC_DIR/$NAME/$file" > "$out.tmp"
		[ "$(sha256sum "$out.tmp" | cut -d' ' -f1)" = "$want" ] || die "unpacked $NAME does not match its manifest"
		mv "$out.tmp" "$out"
	fi
	echo "$out" ;;
*) echo "$VMC_DIR/$NAME/$file" ;;
esac
