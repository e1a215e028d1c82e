#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# --threads N (cli/session_workers.c, mml_ctx_set_workers()): the mms'
# walks split among N threads (by default the CPUs, up to 4, once the mms
# hold 65,536 VMAs; -v says how many ran), each reading the dump through its own
# libkdumpfile clone and decompressor. On every fixture: the JSON report
# (default and --deep), the text report and --maps with 2 and 3 threads
# are those of one thread, byte for byte, but for counts.pages_read (every
# thread's reads): a worker that read a wrong page, or an mm walked twice
# or not at all, changes them. -v says the walks ran on N threads on a
# compressed kdump file (flattened too), on one elsewhere (ELF, QEMU's
# kdump: nothing to inflate) and in "mmlife scan"'s worker (--scan-record).
# A dump cut short while a worker reads it (lib/cutmap.c, CUTMAP_WHEN=
# thread: SIGBUS on the worker's thread, caught there as on the first) is
# the whole run's failure: exit 3 and one line, no report, as on one
# thread (cli_errors.sh); not a process killed by SIGBUS.
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
	# By default the CPUs (up to 4), but only for mms holding 65,536
	# VMAs or more: none of the fixtures (the bench dump does).
	auto=$(nproc)
	[ "$auto" -gt 4 ] && auto=4
	if [ $want = 1 ]; then
		default="1 thread (not a kdump-compressed dump)"
	elif [ "$auto" -ge 2 ]; then
		default="1 thread (of $auto: fewer VMAs than 65536 to split)"
	else
		default="1 thread (one CPU)"
	fi
	check "$name ($what): by default $default" "$default" "$(walks "$d")"
	check "$name ($what): --threads=1 walks on one thread" "1 thread (--threads=1)" \
		"$(walks "$d" --threads=1)"
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
	pid=$(init_pid "$name")
	for how in "--json" "--json --deep" "" "--maps $pid"; do
		# shellcheck disable=SC2086 # the options are words
		"$MMLIFE" $how --threads=1 "$d" 2>&1 | no_reads >"$tmp/one"
		for t in 2 3; do
			# shellcheck disable=SC2086
			"$MMLIFE" $how --threads=$t "$d" 2>&1 | no_reads >"$tmp/n"
			same_files "$name ($what): mmlife ${how:-(text)} --threads=$t: the report of one thread" \
				"$tmp/one" "$tmp/n"
		done
	done
done

# The smallest zlib kdump fixture, cut to half while a worker reads it.
cut=$(for m in vmcores/*/manifest.json; do
	python3 -c 'import json,os,sys
m = json.load(open(sys.argv[1]))
p = os.path.join(os.path.dirname(sys.argv[1]), "vmcore")
if m["dump"]["format"] == "kdump" and not m["dump"].get("qemu_format") and os.path.isfile(p):
    print(os.path.getsize(p), p)' "$m"
done | sort -n | head -n 1 | cut -d' ' -f2)
if [ -z "$cut" ]; then
	notok "a kdump fixture to cut while a worker reads it"
elif ! gcc -O2 -shared -fPIC -o "$tmp/cutmap.so" tests/dumps/lib/cutmap.c -ldl 2>"$tmp/cc.err"; then
	notok "the shim that cuts a dump while it is read builds"
	sed 's/^/#   /' "$tmp/cc.err" | head -n 5
else
	cp -L "$cut" "$tmp/cut"
	CUTMAP_WHEN=thread LD_PRELOAD=$tmp/cutmap.so "$MMLIFE" --threads=2 "$tmp/cut" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	pat="SIGBUS reading the dump file's page data for 0x[0-9a-f]+: the file was cut short since it was opened"
	if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	   [ "$(wc -c <"$tmp/cut")" -lt "$(wc -c <"$cut")" ] && grep -Eq "$pat" "$tmp/err"; then
		ok "$cut cut short while a worker thread reads it: exit 3, one line: $(cat "$tmp/err")"
	else
		notok "$cut cut short while a worker thread reads it: exit 3 with one line matching /$pat/ (got $rc)"
		sed 's/^/#   /' "$tmp/err" | head -n 5
	fi
fi
