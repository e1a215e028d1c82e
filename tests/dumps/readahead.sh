#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Read-ahead (cli/dump/readahead.c): a thread inflates the pages of a
# kdump-compressed dump that the walk's hints name. On every kdump fixture
# (flattened too; which they are comes from the manifest):
# MMLIFE_READAHEAD=wait makes the reads wait for the thread's copy of
# every hinted page, so `-v` must show the thread inflated pages, and the
# report, a deep scan and --maps must be byte for byte those without
# read-ahead (MMLIFE_READAHEAD=0): a page the thread got wrong, or handed
# to the wrong read, changes them. MMLIFE_READAHEAD=1 (read-ahead when 2
# CPUs are free) gives the same too; it is off by default and with
# --threads=1, so do "mmlife
# scan"'s workers (--scan-record), and on ELF dumps it stays off (-v says
# why). Timings are left out.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "read-ahead" "$MMLIFE not built"
	exit 0
fi
strip_times() { grep -v '"slab_ms"\|"seconds"\|"duration_ms"'; }
# -v's read-ahead line, from "on; " or "off (", as "on N" (pages the
# thread inflated) or "off WHY".
readahead() { # ENV=VALUE DUMP [OPTION]
	env "$1" "$MMLIFE" -v --json ${3:-} "$2" 2>&1 >/dev/null |
		sed -n 's/^mmlife: read-ahead: on; \([0-9]*\) pages inflated by its thread.*/on \1/p
			s/^mmlife: read-ahead: off (\(.*\))$/off \1/p'
}
found=0
for name in $(dumps); do
	found=1
	d=vmcores/$name/vmcore
	what=$(mf "$name" 'm["dump"]["format"] + " " + m["dump"]["compression"] + (" qemu" if m["dump"].get("qemu_format") else "")')
	# QEMU's kdump of an arm64 guest is rewritten into an ELF core
	# (cli/dump/qemu_kdump.c): nothing left to inflate, as on ELF.
	case $what in
	*" qemu") off=1 ;;
	"kdump "* | "flattened "*) off=0 ;;
	*) off=1 ;;
	esac
	if [ $off = 1 ]; then
		check "$name ($what): read-ahead stays off on a dump with nothing to inflate" \
			"off not a kdump-compressed dump" \
			"$(readahead MMLIFE_READAHEAD=wait "$d")"
		continue
	fi
	got=$(readahead MMLIFE_READAHEAD=wait "$d")
	case $got in
	"on 0" | "") notok "$name ($what): the read-ahead thread inflated pages (-v: '$got')" ;;
	"on "*) ok "$name ($what): the read-ahead thread inflated pages (-v: ${got#on } pages)" ;;
	*) notok "$name ($what): the read-ahead thread inflated pages (-v: '$got')" ;;
	esac
	check "$name ($what): --threads=1 turns read-ahead off" \
		"off --threads=1" "$(readahead MMLIFE_READAHEAD=wait "$d" --threads=1)"
	check "$name ($what): MMLIFE_READAHEAD=0 turns read-ahead off" \
		"off MMLIFE_READAHEAD=0" "$(readahead MMLIFE_READAHEAD=0 "$d")"
	check "$name ($what): the default run does not read ahead" \
		"off the default; MMLIFE_READAHEAD=1 turns it on" \
		"$(readahead MMLIFE_READAHEAD= "$d")"
	check "$name ($what): \"mmlife scan\"'s worker (--scan-record) does not read ahead" \
		"off a scan worker: the scan runs one per CPU" \
		"$(readahead MMLIFE_READAHEAD=wait "$d" --scan-record)"
	pid=$(init_pid "$name")
	for how in "--json" "--json --deep" "--maps $pid"; do
		MMLIFE_READAHEAD=0 "$MMLIFE" $how "$d" 2>&1 | strip_times >"$tmp/off"
		for mode in wait 1; do
			MMLIFE_READAHEAD=$mode "$MMLIFE" $how "$d" 2>&1 |
				strip_times >"$tmp/on"
			same_files "$name ($what): mmlife $how: MMLIFE_READAHEAD=$mode gives the output without read-ahead" \
				"$tmp/off" "$tmp/on"
		done
	done
done
[ $found -eq 1 ] || skip "read-ahead" "no dumps in vmcores/"
exit 0
