#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test program and script, each printing TAP, and close with the
# line "N passed, N failed, N skipped".
#   B=build         build directory of the normal build
#   ASAN_B=dir      also run the unit tests built with ASan+UBSan from dir
#   ARM64_B=dir     build directory of the arm64 unit tests (build-arm64)
#   TESTS=patterns  only run tests whose name matches one of these shell
#                   patterns (space separated: 'dumps/batch* unit/*')
#   CI=true         a skipped check fails the run: CI is meant to run them all
# A skip line may say how many checks it stands for ("ok 3 - crash 6.1
# # SKIP no vmlinux (stands for 9 checks)"); the summary counts them. A
# "1..0 # SKIP why" plan (a whole program skipped) is one skip.
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
log=$(mktemp)
trap 'rm -f "$log" "$log.ci"' EXIT

# Whether test NAME matches one of the shell patterns in TESTS (space
# separated; all tests when unset).
selected() {
	set -f
	for p in ${TESTS:-*}; do
		case "$1" in $p) set +f; return 0 ;; esac
	done
	set +f
	return 1
}

run() { # name command...
	name=$1; shift
	selected "$name" || return 0
	echo "# $name"
	out=$(mktemp)
	t0=$(date +%s)
	"$@" >"$out" 2>&1
	rc=$?
	cat "$out"
	# What each group costs, for the time budget of a fresh machine's run.
	echo "# $name took $(($(date +%s) - t0)) s"
	sed -n "s/^\(ok\|not ok\)\b/\1/p" "$out" | sed "s|^|$name |" >>"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$out"; then
		# A program that died without saying which test failed.
		echo "not ok - $name exited with status $rc"
		echo "$name not ok - exited $rc" >>"$log"
	fi
	if ! grep -q '^\(not \)\?ok' "$out" &&
		plan=$(grep -m1 '^1\.\.0 *# *[Ss][Kk][Ii][Pp]' "$out"); then
		echo "$name ok - the whole program ${plan#1..0 }" >>"$log"
	elif ! grep -q '^\(not \)\?ok' "$out"; then
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
# The unit tests again, built for arm64 (sysroot of Debian's arm64
# libraries, the cross compiler) and run under qemu-user: scripts/arm64.sh.
# Built only when one of them (or arm64/cli) is selected; ARM64_B is the
# build directory.
arm64_build() {
	if arm64_log=$(B="$ARM64_B" bash scripts/arm64.sh make -j2 all unit 2>&1); then
		echo "ok 1 - mmlife and its unit tests built for arm64"
	else
		echo "$arm64_log" | tail -20 | sed 's/^/# /'
		echo "not ok 1 - mmlife and its unit tests built for arm64"
	fi
}
ARM64_B=${ARM64_B:-build-arm64}
arm64=
for s in arm64/build arm64/cli tests/unit/test_*.c; do
	selected "arm64/$(basename "$s" .c)" && arm64=yes
done
if [ -n "$arm64" ]; then
	run arm64/build arm64_build
	for t in "$ARM64_B"/tests/test_*; do
		[ -x "$t" ] && run "arm64/$(basename "$t")" bash scripts/arm64.sh run "$t"
	done
fi
# The CLI so built against the host's on every dump (tests/arm64_cli.sh).
selected arm64/cli && B="$B" ARM64_B="$ARM64_B" run arm64/cli sh tests/arm64_cli.sh
for t in tests/dumps/*.sh; do
	[ -f "$t" ] && B="$B" run "dumps/$(basename "$t" .sh)" bash "$t"
done
# The libFuzzer harnesses: a fixed number of inputs each, the same on every
# machine (FUZZ_FIXED; about CHECK_FUZZ_SECONDS, default 25, each here).
[ -f tests/fuzz/run.sh ] &&
	run fuzz env FUZZ_FIXED=1 FUZZ_SECONDS="${CHECK_FUZZ_SECONDS:-25}" sh tests/fuzz/run.sh

# Skips: "ok ... # SKIP why"; in CI each is a failure, named.
skipre='^[^ ]* ok.*# *[Ss][Kk][Ii][Pp]'
if [ "${CI:-}" = true ] && grep -q "$skipre" "$log"; then
	grep "$skipre" "$log" | sed 's/^\([^ ]*\) ok/\1 not ok (skipped, CI=true)/' >"$log.ci"
	grep -v "$skipre" "$log" >>"$log.ci"
	mv "$log.ci" "$log"
fi
skipped=$(grep -c "$skipre" "$log")
# The checks the skips stood for: one each unless the line says more.
standing=$(grep "$skipre" "$log" | awk '
	{ k = 1 }
	match($0, /stands for [0-9]+ checks/) {
		k = substr($0, RSTART + 11, RLENGTH - 18) + 0 }
	{ t += k } END { print t + 0 }')
passed=$(grep -c '^[^ ]* ok' "$log")
passed=$((passed - skipped))
failed=$(grep -c '^[^ ]* not ok' "$log")
if [ "$failed" -gt 0 ]; then
	echo "# failures:"
	grep '^[^ ]* not ok' "$log" | sed 's/^/#   /'
fi
if [ "$skipped" -gt 0 ]; then
	echo "# skipped:"
	grep "$skipre" "$log" | sed 's/^/#   /'
fi
more=
[ "$standing" -ne "$skipped" ] && more=" (standing for $standing checks)"
echo "$passed passed, $failed failed, $skipped skipped$more"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
