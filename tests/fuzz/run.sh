#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined)
# and run each for FUZZ_SECONDS over its committed seed corpus, printing TAP.
#   FUZZ_SECONDS=n    seconds per harness (default 25; `make fuzz`: 300)
#   FUZZ_TARGETS="a b" only these harnesses (names without fuzz_)
#   FUZZ_B=dir        build directory (default build/fuzz)
#   FUZZ_RSS_MB=n     peak memory cap per harness (default 1024); a run
#                     over it is a failure (libFuzzer -rss_limit_mb)
#   FUZZ_KEEP=1       keep the work directory (new corpus units, logs)
#   FUZZ_FIXED=1     the same inputs on every machine (`make check`): each
#                     harness runs a fixed number of inputs from seed 1
#                     (runs_of below, about FUZZ_SECONDS on this project's
#                     2-core machine), capped at 3 x FUZZ_SECONDS. A time
#                     budget alone lets a faster machine run inputs nobody
#                     ran before the commit, so CI could fail on a unit no
#                     developer saw; with a fixed count CI runs the inputs
#                     `make check` ran here. `make fuzz` explores instead.
#   FUZZ_TABLE=file   append one Markdown table row per harness to file
#                     (executions, seconds, coverage, peak RSS, crashes,
#                     timeouts, ooms; tests/fuzz/report.sh, make fuzz-report)
# `sh tests/fuzz/run.sh --seeds` regenerates the committed seed corpus
# (mkseeds.c: maple, btf; mkseed_dwarf.py: dwarf; mkseeds.py: the others;
# the db seeds come from tests/fuzz/mkseed_db.sh, which needs a built mmlife).
# A crash, a leak, a sanitizer report, an input over 10 s (libFuzzer
# -timeout) or over the memory cap fails the harness's test; the
# reproducer is kept under the work directory printed in the TAP output.
# Exit 0 when nothing failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
S=${FUZZ_SECONDS:-25}
FB=${FUZZ_B:-build/fuzz}
RSS=${FUZZ_RSS_MB:-1024}
TARGETS=${FUZZ_TARGETS:-maple slab printk oops vmcoreinfo kallsyms btf dwarf dumpfile db ext_opts layout}
CLANG=${CLANG:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

n=0
tap() { n=$((n + 1)); echo "$1 $n - $2"; }

skip_all() {
	for t in $TARGETS; do tap ok "fuzz_$t # SKIP $1"; done
	echo "1..$n"
	exit 0
}

command -v "$CLANG" >/dev/null 2>&1 || skip_all "no clang (apt-get install clang libclang-rt-14-dev)"
probe=$(mktemp -d)
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' >"$probe/p.c"
if ! "$CLANG" -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" >/dev/null 2>&1; then
	rm -rf "$probe"
	skip_all "clang cannot link -fsanitize=fuzzer (libclang-rt-14-dev missing)"
fi
rm -rf "$probe"
pkgs="libbpf libelf libdw jansson"
CLI_PKGS="libkdumpfile libaddrxlat sqlite3 liblzma libdeflate nettle"
$PKG_CONFIG --exists $pkgs $CLI_PKGS 2>/dev/null || skip_all "missing -dev packages ($pkgs $CLI_PKGS)"

# ---- build ----
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CF="-std=gnu11 -g -O1 -D_GNU_SOURCE -DMMLIFE_VERSION=\"fuzz\" -Iinclude -Ilib -Icli -Ifmt -Iext -Itests/unit -Itests/fuzz $($PKG_CONFIG --cflags $pkgs $CLI_PKGS)"
LIBS="$($PKG_CONFIG --libs $pkgs) -lcmocka -lz"
mkdir -p "$FB/obj"
blog="$FB/build.log"
: >"$blog"
build_ok=1
rm -f "$FB/build.failed"
compile() { # SRC: echo its object, (re)building it when stale
	o="$FB/obj/$(echo "$1" | tr / _).o"
	if [ ! -f "$o" ] || [ "$1" -nt "$o" ] || [ -n "$(find lib include cli fmt tests/unit tests/fuzz -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		# shellcheck disable=SC2086
		"$CLANG" $CF $SAN -fsanitize=fuzzer-no-link -c -o "$o" "$1" >>"$blog" 2>&1 || { : >"$FB/build.failed"; return; }
	fi
	echo "$o"
}
# lib/, the fake kernel, and either the CLI's readers over a memory image
# (stub_dump.c) or the whole CLI but main.c (fuzz_dumpfile).
common="" stubbed="" fullcli=""
for src in lib/*.c tests/unit/fake.c tests/unit/slab_fake.c; do
	common="$common $(compile "$src")"
done
for src in cli/debuginfo/kallsyms.c cli/debuginfo/symbols.c cli/dump/vmcoreinfo.c cli/debuginfo/btf_dump.c tests/fuzz/stub_dump.c; do
	stubbed="$stubbed $(compile "$src")"
done
for src in cli/*.c cli/*/*.c fmt/*.c; do
	[ "$src" = cli/main.c ] || fullcli="$fullcli $(compile "$src")"
done
CLI_LIBS="$($PKG_CONFIG --libs libkdumpfile libaddrxlat libdw libelf libbpf jansson sqlite3 liblzma libdeflate nettle 2>/dev/null) -llzo2 -lsnappy -lzstd"
for t in $TARGETS; do
	case $t in
	dumpfile) extra="$fullcli" xl="$CLI_LIBS" ;;
	dwarf) extra="$stubbed $(compile cli/debuginfo/types_dwarf.c)" xl="" ;;
	db) extra="$fullcli" xl="$CLI_LIBS" ;;
	ext_opts) extra="$(compile ext/options.c)" xl="" ;;
	layout) extra="" xl="" ;;
	*) extra="$stubbed" xl="" ;;
	esac
	# shellcheck disable=SC2086
	"$CLANG" $CF $SAN -fsanitize=fuzzer -o "$FB/fuzz_$t" "tests/fuzz/fuzz_$t.c" $common $extra $xl $LIBS >>"$blog" 2>&1 || build_ok=0
done
[ -f "$FB/build.failed" ] && build_ok=0
if [ $build_ok -ne 1 ]; then
	sed 's/^/# /' "$blog" | tail -40
	for t in $TARGETS; do tap "not ok" "fuzz_$t: build failed ($blog)"; done
	echo "1..$n"
	exit 1
fi

# ---- seeds: sh tests/fuzz/run.sh --seeds rewrites tests/fuzz/corpus ----
if [ "${1:-}" = --seeds ]; then
	# shellcheck disable=SC2086
	"$CLANG" $CF -o "$FB/mkseeds" tests/fuzz/mkseeds.c tests/unit/fake.c lib/*.c $LIBS &&
		"$FB/mkseeds" tests/fuzz/corpus && python3 tests/fuzz/mkseeds.py &&
		python3 tests/fuzz/mkseed_dwarf.py
	exit $?
fi

# ---- bounds: runaway walks in time and memory, without sanitizers ----
# shellcheck disable=SC2086
if "$CLANG" $CF -O2 -o "$FB/bounds" tests/fuzz/bounds.c tests/unit/fake.c \
	tests/unit/slab_fake.c lib/*.c $LIBS >>"$blog" 2>&1; then
	"$FB/bounds" >"$FB/bounds.out" 2>&1
	brc=$?
	grep -v '^1\.\.' "$FB/bounds.out" | while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*) echo "$line" | sed 's/^\(not ok\|ok\) [0-9]* - /\1 - bounds: /' ;;
		*) echo "$line" ;;
		esac
	done | awk -v base=$n '/^(ok|not ok) - /{ sub(/ - /, " " ++base " - ") } { print }'
	n=$((n + $(grep -c '^\(not \)\?ok' "$FB/bounds.out")))
	[ $brc -eq 0 ] || bounds_failed=1
else
	tap "not ok" "bounds: build failed ($blog)"
	bounds_failed=1
fi

# Inputs per harness in FUZZ_FIXED mode: ~85 % of what one harness runs in
# 25 s on the 2-core machine (tests/README.md's table has the rates).
runs_of() {
	case $1 in
	maple) echo 30000 ;; slab) echo 2700 ;; printk) echo 37000 ;;
	oops) echo 340000 ;; vmcoreinfo) echo 2600000 ;; kallsyms) echo 38000 ;;
	btf) echo 220000 ;; dwarf) echo 190000 ;; dumpfile) echo 6000 ;;
	db) echo 18000 ;; ext_opts) echo 7000000 ;; *) echo 10000 ;;
	esac
}

# ---- run ----
work=$(mktemp -d "${TMPDIR:-/tmp}/mmlife-fuzz.XXXXXX")
failed=${bounds_failed:-0}
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/fuzz/lsan.supp}
for t in $TARGETS; do
	sd=""
	[ -d "tests/fuzz/corpus/$t" ] && sd="tests/fuzz/corpus/$t"
	mkdir -p "$work/$t/corpus" "$work/$t/crashes"
	log="$work/$t/log"
	# The committed seeds first (regressions), then fuzz from them.
	# dumpfile: every input on which libkdumpfile faults leaves its
	# context allocated on purpose (cli/dump/dump.c), harmless in a process per
	# dump, cumulative in-process here (~0.4 MB each): give it room.
	cap=$RSS
	[ "$t" = dumpfile ] && cap=$((RSS * 4))
	# A fixed seed: a run that fails, fails again the same way.
	budget="-max_total_time=$S"
	[ -n "${FUZZ_FIXED:-}" ] && budget="-runs=$(runs_of "$t") -max_total_time=$((S * 3))"
	# shellcheck disable=SC2086
	"$FB/fuzz_$t" -seed=1 $budget -timeout=10 -rss_limit_mb="$cap" \
		-malloc_limit_mb="$cap" -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$work/$t/crashes/" \
		"$work/$t/corpus" $sd >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	units=$(ls "$work/$t/corpus" | wc -l)
	repro=$(ls "$work/$t/crashes" 2>/dev/null | head -1)
	if [ -n "${FUZZ_TABLE:-}" ]; then
		nart() { ls "$work/$t/crashes" 2>/dev/null | grep -c "^$1-"; }
		printf '| `fuzz_%s` | %s | %s s | %s | %s MB | %s | %s | %s |\n' "$t" \
			"${runs:-?}" "$S" "${cov:-?}" "${rss:-?}" \
			"$(($(nart crash) + $(nart leak)))" "$(nart timeout)" \
			"$(nart oom)" >>"$FUZZ_TABLE"
	fi
	if [ $rc -eq 0 ] && [ -z "$repro" ]; then
		tap ok "fuzz_$t: ${runs:-?} runs ($budget), cov ${cov:-?}, ${units} new units, peak RSS ${rss:-?} MB (cap $cap)"
	else
		failed=1
		grep -E 'ERROR|SUMMARY|==[0-9]+==|#[0-9]+ 0x' "$log" | head -30 | sed 's/^/# /'
		tap "not ok" "fuzz_$t: exit $rc after ${runs:-?} runs; reproducer: $work/$t/crashes/${repro:-?} (log $log)"
	fi
done
echo "1..$n"
if [ $failed -eq 0 ] && [ -z "${FUZZ_KEEP:-}" ]; then
	rm -rf "$work"
else
	echo "# work directory kept: $work"
fi
exit $failed
