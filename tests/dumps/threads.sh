#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# --threads N (cli/session_workers.c, mml_ctx_set_workers()): the mms'
# walks split among N threads, each reading the dump through its own
# libkdumpfile clone and decompressor. On every fixture: the JSON report
# (default and --deep), the text report and --maps with 2 and 3 threads
# are those of one thread, byte for byte, but for counts.pages_read (every
# thread's reads): a worker that read a wrong page, or an mm walked twice
# or not at all, changes them. -v says the walks ran on N threads on a
# compressed kdump file (flattened too), on one elsewhere (ELF, QEMU's
# kdump: nothing to inflate) and in "mmlife scan"'s worker (--scan-record).
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup
no_reads() { grep -v '"pages_read"\|"slab_ms"'; }
walks() { # DUMP OPTION...: -v's line, "walks on ..."
	d=$1
	shift
	"$MMLIFE" -v --json "$@" "$d" 2>&1 >/dev/null | sed -n 's/^mmlife: walks on //p'
}
for name in $(dumps); do
	d=vmcores/$name/vmcore
	what=$(mf "$name" 'm["dump"]["format"] + " " + m["dump"]["compression"] + (" qemu" if m["dump"].get("qemu_format") else "")')
	case $what in
	*" qemu") want=1 ;;
	"kdump "* | "flattened "*) want=2 ;;
	*) want=1 ;;
	esac
	got=$(walks "$d" --threads=2)
	if [ $want = 2 ]; then
		check "$name ($what): --threads=2 walks on 2 threads" "2 threads" "$got"
	else
		check "$name ($what): --threads=2 walks on one thread (nothing to inflate)" \
			"1 thread (not a kdump-compressed dump)" "$got"
	fi
	check "$name ($what): \"mmlife scan\"'s worker (--scan-record) walks on one thread" \
		"1 thread (a scan worker: the scan runs one per CPU)" \
		"$(walks "$d" --threads=2 --scan-record)"
	pid=$(python3 -c 'import json,sys
m = json.load(open(sys.argv[1]))
print(next((t["pid"] for t in m["tasks"] if t["comm"] == "init"), 1))' \
		"vmcores/$name/manifest.json")
	for how in "--json" "--json --deep" "" "--maps $pid"; do
		# shellcheck disable=SC2086 # the options are words
		"$MMLIFE" $how --threads=1 "$d" 2>&1 | no_reads >"$tmp/one"
		for n in 2 3; do
			# shellcheck disable=SC2086
			"$MMLIFE" $how --threads=$n "$d" 2>&1 | no_reads >"$tmp/n"
			same_files "$name ($what): mmlife ${how:-(text)} --threads=$n: the report of one thread" \
				"$tmp/one" "$tmp/n"
		done
	done
done
