#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `mmlife --maps PID` says what /proc/PID/maps says: on every fixture, for
# one task of every mm the manifest lists (a thread-group leader), the
# lines equal what drgn's for_each_vma() gives formatted by the kernel's
# show_map_vma() rules (tests/dumps/maps_drgn.py, forky chroot, the debug
# vmlinux): addresses, permissions, offset (0 without a file), device,
# inode and name (path, [heap], [stack], [vdso], [vvar], ...), padding.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup
ndumps=$(dumps | wc -l)
if [ "$(id -u)" != 0 ]; then
	skip "--maps against drgn" "needs root for the drgn chroot" "$ndumps"
	exit 0
fi
if ! chroot_prepare forky; then
	notok "forky chroot with drgn could not be prepared"
	tail -n 5 "$tmp/chroot-forky.log" | sed 's/^/#   /'
	exit 0
fi
for d in $(complete_dumps); do
	pids=$(mf "$d" '" ".join(sorted({str(t["tgid"]) for t in m["tasks"] if t["mm"] and t["pid"] == t["tgid"]}, key=int))')
	set -- $pids
	what="$d: --maps of the $# thread-group leaders equals drgn's for_each_vma"
	vml=$(vmlinux_of "$d")
	fetch_result $? "$vml" "$what" || continue
	# drgn cannot open QEMU's arm64 kdump file: it reads the ELF of the
	# same stop (lib/common.sh drgn_dump)
	if ! dd=$(drgn_dump "$d"); then
		# Not a skip (CI=true fails on one): the twin exists only
		# where the fixture was made.
		echo "# $what: not run: drgn cannot open this dump, and the ELF of the same stop is not in $CACHE/work/$d (vmcores/gen/make_dump.py $d)"
		continue
	fi
	[ "$dd" = "$top/vmcores/$d/vmcore" ] || what="$what (drgn on the ELF of the same stop)"
	chroot_run forky python3 /mnt/mmlife-src/tests/dumps/maps_drgn.py \
		"$(in_chroot "$dd")" "$(in_chroot "$vml")" $pids \
		>"$tmp/drgn" 2>"$tmp/drgn.err"
	rc=$?
	if [ $rc -ne 0 ]; then
		notok "$what (drgn exit $rc)"
		grep -v 'flattened format' "$tmp/drgn.err" | tail -n 3 | sed 's/^/#   /'
		continue
	fi
	: >"$tmp/mmlife"
	for p in $pids; do
		echo "== $p" >>"$tmp/mmlife"
		"$MMLIFE" --maps "$p" "vmcores/$d/vmcore" >>"$tmp/mmlife" 2>"$tmp/err" ||
			echo "exit $? $(head -n 1 "$tmp/err")" >>"$tmp/mmlife"
	done
	same_files "$what ($(grep -vc '^==' "$tmp/drgn") lines)" "$tmp/drgn" "$tmp/mmlife"
done
exit 0
