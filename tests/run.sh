#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test program and script, each printing TAP, and close with the
# line "N passed, N failed, N skipped".
#   B=build         build directory of the normal build
#   ASAN_B=dir      also run the unit tests built with ASan+UBSan from dir
#   TESTS=pattern   only run tests whose name matches the shell pattern
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run() { # name command...
	name=$1; shift
	case "$name" in ${TESTS:-*}) ;; *) return 0 ;; esac
	echo "# $name"
	out=$(mktemp)
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	sed -n "s/^\(ok\|not ok\)\b/\1/p" "$out" | sed "s|^|$name |" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
		# A program that died without saying which test failed.
		echo "not ok - $name exited with status $rc"
		echo "$name not ok - exited $rc" >>"$log"
	fi
	if ! grep -q '^\(not \)\?ok' "$out"; then
		echo "not ok - $name printed no test result"
		echo "$name not ok - no result" >>"$log"
	fi
	rm -f "$out"
}

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for t in "$B"/tests/test_*; do
	[ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
if [ -n "${ASAN_B:-}" ]; then
	for t in "$ASAN_B"/tests/test_*; do
		[ -x "$t" ] && run "asan/$(basename "$t")" "$t"
	done
fi
for t in tests/dumps/*.sh; do
	[ -f "$t" ] && B="$B" run "dumps/$(basename "$t" .sh)" bash "$t"
done
# The libFuzzer harnesses, CHECK_FUZZ_SECONDS (default 25) each.
[ -f tests/fuzz/run.sh ] &&
	run fuzz env FUZZ_SECONDS="${CHECK_FUZZ_SECONDS:-25}" sh tests/fuzz/run.sh

skipped=$(grep -c '^[^ ]* ok.*# *[Ss][Kk][Ii][Pp]' "$log")
passed=$(grep -c '^[^ ]* ok' "$log")
passed=$((passed - skipped))
failed=$(grep -c '^[^ ]* not ok' "$log")
if [ "$failed" -gt 0 ]; then
	echo "# failures:"
	grep '^[^ ]* not ok' "$log" | sed 's/^/#   /'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
