#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The fast page path for kdump-compressed dumps (fmt/kpages.c: own lookup,
# libdeflate, lzo, snappy, zstd) against libkdumpfile's own reads
# (MMLIFE_KPAGES=0). The path is meant for every kdump file (flattened
# ones too, which are reassembled into one); which dumps those are comes
# from the manifest (dump.format). On those: `-v` shows the own path
# served pages and the MMLIFE_KPAGES=0 run read through libkdumpfile only,
# then the same report, byte for byte, in a default and a deep (slab)
# scan, and the same --maps of one task. On ELF dumps: `-v` shows the own
# path stayed off. Timings are left out.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "fast page path" "$MMLIFE not built"
	exit 0
fi
strip_times() { grep -v '"slab_ms"\|"seconds"\|"duration_ms"'; }
# -v's page path line: "own (kpages) N" or "libkdumpfile only N" (pages).
page_path() { # ENV=VALUE DUMP
	env "$1" "$MMLIFE" -v --json "$2" 2>&1 >/dev/null |
		sed -n 's/^mmlife: page path: \(.*\); \([0-9]*\) pages read by it.*/\1 \2/p'
}
found=0
for name in $(dumps); do
	found=1
	d=vmcores/$name/vmcore
	what=$(mf "$name" 'm["dump"]["format"] + " " + m["dump"]["compression"]')
	case $what in
	"kdump "* | "flattened "*) ;;
	*)
		got=$(page_path MMLIFE_KPAGES=1 "$d")
		check "$name ($what): the own page path stays off, libkdumpfile reads every page" \
			"libkdumpfile only 0" "$got"
		continue ;;
	esac
	if [ -n "$(mf "$name" 'm["dump"].get("qemu_format")')" ]; then
		# QEMU's kdump file of an aarch64 guest: kpages.c decodes all
		# of it once into an ELF core (cli/dump/qemu_kdump.c), which
		# libkdumpfile then reads (tests/dumps/findings.sh checks it)
		check "$name ($what, QEMU's 64 KiB blocks): rewritten into ELF by the own page path, libkdumpfile reads that" \
			"libkdumpfile only 0" "$(page_path MMLIFE_KPAGES=1 "$d")"
		continue
	fi
	got=$(page_path MMLIFE_KPAGES=1 "$d")
	case $got in
	"own (kpages) 0" | "") notok "$name ($what): the own page path served the reads (-v: '$got')" ;;
	"own (kpages) "*) ok "$name ($what): the own page path served the reads (-v: ${got#own (kpages) } pages)" ;;
	*) notok "$name ($what): the own page path served the reads (-v: '$got')" ;;
	esac
	check "$name ($what): with MMLIFE_KPAGES=0 libkdumpfile reads every page" \
		"libkdumpfile only 0" "$(page_path MMLIFE_KPAGES=0 "$d")"
	pid=$(init_pid "$name")
	for how in "--json" "--json --deep" "--maps $pid"; do
		MMLIFE_KPAGES=0 "$MMLIFE" $how "$d" 2>&1 | strip_times >"$tmp/slow"
		"$MMLIFE" $how "$d" 2>&1 | strip_times >"$tmp/fast"
		same_files "$name ($what): mmlife $how: the own page path gives libkdumpfile's output" \
			"$tmp/slow" "$tmp/fast"
	done
done
[ $found -eq 1 ] || skip "fast page path" "no dumps in vmcores/"
exit 0
