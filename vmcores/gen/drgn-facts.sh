#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vmcores/gen/drgn-facts.sh [NAME...]
# Write vmcores/NAME/drgn-facts.json for every fixture (or those named):
# what the manifest does not record (per mm: mm_count, tree nodes, leaves,
# height, ma_root, last VMA; task counts as drgn walks them), read by drgn
# (forky chroot, vmcores/scripts/chroot.sh) with the kernel's debug vmlinux
# (vmcores/scripts/fetch-kernel.sh). Never from mmlife's output.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
VMC=$(cd "$HERE/.." && pwd)
REPO=$(cd "$VMC/.." && pwd)
. "$VMC/scripts/common.sh"
# MMLIFE_VMCORES_OUT: fixtures kept outside vmcores/ (as make_dump.py writes them)
OUTROOT=${MMLIFE_VMCORES_OUT:-$VMC}

if [ $# -gt 0 ]; then names=("$@"); else
	names=()
	for m in "$OUTROOT"/*/manifest.json; do names+=("$(basename "$(dirname "$m")")"); done
fi
"$VMC/scripts/chroot.sh" forky create >/dev/null
for name in "${names[@]}"; do
	m=$OUTROOT/$name/manifest.json
	key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel"]["key"])' "$m")
	vmlinux=$("$VMC/scripts/fetch-kernel.sh" "$key")
	dump=$("$VMC/scripts/vmcore-path.sh" "$name" "$OUTROOT")
	dump=$(readlink -f "$dump")
	# QEMU's kdump file of an aarch64 guest, which drgn cannot open: read
	# the ELF of the same stop instead (make_dump.py's work dir, checked
	# against the manifest's dump.elf_twin.sha256)
	twin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dump"].get("elf_twin", {}).get("sha256", ""))' "$m")
	if [ -n "$twin" ]; then
		dump=$MMLIFE_CACHE/work/$name/raw.elf
		[ "$(sha256sum <"$dump" | cut -d' ' -f1)" = "$twin" ] ||
			die "$name: $dump is not the manifest's ELF twin (regenerate it with make_dump.py)"
	fi
	# A private mount namespace: the chroot's mounts (and chroot.sh's
	# unmounting of them) stay out of other users' way.
	VMC_BIND="$(dirname "$vmlinux") $REPO $(dirname "$dump") $OUTROOT/$name" \
		unshare -m --propagation private \
		"$VMC/scripts/chroot.sh" forky run python3 "$HERE/drgn_facts.py" \
		"$m" "$vmlinux" "$dump" "$OUTROOT/$name/drgn-facts.json" \
		2> >(grep -v 'flattened format' >&2)
	echo "$name: $OUTROOT/$name/drgn-facts.json"
done
