#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh: mmlife against drgn and crash on one large real dump, side by
# side, in one run; writes bench/RESULTS.md (and results.json next to it).
# Needs root (chroots). Long: not part of `make check`. With the dumps
# cached (bench/gen-large.sh, gen-elf8g.sh, the 16 GB one), about 11-21 min
# on 2 CPUs (the low end idle; the 2026-12-03 run took 15 min at load 7
# before the small dumps' and the empty-cache sessions were added, which
# add 4-7 min). Cheaper: BENCH_EXT_REPS=1, BENCH_16G=0, BENCH_DISC_REPS=3.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife  BENCH_REPS=3  BENCH_CALLGRIND=1  BENCH_SCAN=1
#   BENCH_DRGN_REPS=1  BENCH_CRASH_REPS=1 (crash sessions on the bench dump, per cache mode)
#   BENCH_EXT_DUMPS="6.12-failed-fork 7.2-failed-fork" (small dumps, bench/ext_cpu.sh; "" skips)
#   BENCH_EXT_REPS=3 (crash sessions per small dump and cache mode)  BENCH_16G=1
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
B=${B:-build}
REPS=${BENCH_REPS:-3}
export MMLIFE_CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)  # before anything of the run's own
t_start=$(date +%s)
# the CPU time every process on the machine used (user, nice, system, irq,
# softirq; USER_HZ ticks) from here on, and at the end this run's own (its
# children's, all waited for, chroots included; `times` in this shell, not
# in a pipe's subshell): the difference is what other work took
cpu_all() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
all0=$(cpu_all)
D=$("$here/gen-large.sh") || { log "no benchmark dump"; exit 1; }
tmp=$D/run
rm -rf "$tmp"
mkdir -p "$tmp"
. "$top/tests/dumps/lib/common.sh"
top=$(cd "$here/.." && pwd)  # common.sh guesses it from $0
cd "$top" || exit 1
V=$(bash vmcores/scripts/fetch-kernel.sh 6.12) || { log "no 6.12 vmlinux"; exit 1; }
make -s B="$B" "$B/mmlife" >&2 || exit 1
M=$top/$B/mmlife
mkdir -p "$top/$B/bench"
gcc -O2 -Wall -I"$top/include" -I"$top/fmt" -o "$top/$B/bench/floor" "$here/floor.c" "$top/fmt/kpages.c" \
	"$top/$B/libmmlife.a" -lkdumpfile -laddrxlat -ldeflate -llzo2 -lsnappy -lzstd || exit 1
gcc -O2 -Wall -shared -fPIC -o "$top/$B/bench/tracepages.so" "$here/tracepages.c" -ldl || exit 1
gcc -O2 -Wall -pthread -o "$top/$B/bench/cores" "$here/cores.c" || exit 1
# two threads' throughput against one's, 2.00 on two real cores (cores.c):
# what read-ahead's thread can gain here
cores0=$("$top/$B/bench/cores")
chroot_prepare forky || { log "forky chroot"; exit 1; }
ch=$(chroot_dir forky)
so=$top/$B-crash-forky/mmlife.so
make -s B="$B-crash-forky" CRASH_DEFS="$ch/usr/include/crash/defs.h" "$B-crash-forky/mmlife.so" >&2 || exit 1
# chroot_run of tests/dumps/lib/common.sh as a command (for /usr/bin/time)
CHR=(unshare -m --propagation private sh -c '
	ch=$1 top=$2 kern=$3 tmp=$4; shift 4
	mkdir -p "$ch/proc" "$ch/dev" "$ch/mnt/mmlife-src" "$ch/mnt/mmlife-kernels" "$ch/mnt/mmlife-tmp"
	mount -t proc proc "$ch/proc" && mount --bind /dev "$ch/dev" &&
	mount --bind "$top" "$ch/mnt/mmlife-src" && mount --bind "$kern" "$ch/mnt/mmlife-kernels" &&
	mount --bind "$tmp" "$ch/mnt/mmlife-tmp" && exec chroot "$ch" "$@"' sh "$ch" "$top" "$CACHE/kernels" "$tmp")

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# rec NAME SECONDS [EXTRA-JSON]
rec() { echo "{\"name\": \"$1\", \"s\": $2, \"load\": \"$(loadavg)\"${3:+, $3}}" >>"$R"; }
# timed NAME CMD...: wall time (date), peak RSS (/usr/bin/time -v); output in $W/NAME.out
timed() {
	local name=$1; shift
	local t0 t1
	t0=$(date +%s.%N)
	/usr/bin/time -v -o "$W/$name.time" "$@" >"$W/$name.out" 2>"$W/$name.err"
	local rc=$?
	t1=$(date +%s.%N)
	local wall rss cpu
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b - a}')
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$W/$name.time")
	cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$W/$name.time")
	rec "$name" "$wall" "\"rss_kb\": ${rss:-0}, \"cpu_s\": $cpu, \"rc\": $rc"
	log "$variant $name: ${wall}s, ${rss} KB, rc $rc"
}
# discovery_runs DUMP XDG: the default run, --fast (tasks and init_mm.mmlist
# only: the default before the slab paths) and --deep (the whole memmap),
# interleaved, BENCH_DISC_REPS times each, warm layout cache, then once each
# under callgrind; the JSON reports say which discovery paths ran, what each
# read (counts.slab_pages, slab_ms) and whether the memmap was read
discovery_runs() {
	local i
	XDG_CACHE_HOME=$2 "$M" --json --types=btf "$1" >/dev/null 2>&1
	for i in $(seq "${BENCH_DISC_REPS:-5}"); do
		XDG_CACHE_HOME=$2 timed disc-default-$i "$M" --json --types=btf "$1"
		XDG_CACHE_HOME=$2 timed disc-fast-$i "$M" --json --fast --types=btf "$1"
		XDG_CACHE_HOME=$2 timed disc-deep-$i "$M" --json --deep --types=btf "$1"
	done
	# callgrind instruction counts: the repeatable numbers on a busy machine
	if [ "${BENCH_CALLGRIND:-1}" = 1 ] && command -v valgrind >/dev/null; then
		local mode opt
		for mode in default fast deep; do
			opt=; [ "$mode" = default ] || opt=--$mode
			MMLIFE_READAHEAD=0 XDG_CACHE_HOME=$2 valgrind --tool=callgrind --callgrind-out-file="$W/disc-callgrind-$mode.out" \
				"$M" --json --threads=1 $opt --types=btf "$1" >/dev/null 2>&1
		done
	fi
}
# run_variant NAME FILE: every measurement on one dump file; results in $tmp/NAME/
run_variant() {
variant=$1
W=$tmp/$variant
mkdir -p "$W"
ln -f "$D/$2" "$W/vmcore"
dump=$W/vmcore
R=$W/results.jsonl
: >"$R"
log "=== $variant: $dump ($(du -h "$dump" | cut -f1)); warming the page cache"
cat "$dump" >/dev/null
x=$W/xdg-$variant
for i in $(seq "$REPS"); do
	timed cli-btf-cold-$i "$M" --json --types=btf --no-cache "$dump"
	rm -rf "$x"; mkdir -p "$x"
	# warm: the layout and the symbol memo of a full run
	XDG_CACHE_HOME=$x "$M" --json --types=btf "$dump" >/dev/null 2>&1
	XDG_CACHE_HOME=$x "$M" --layout --types=btf "$dump" >/dev/null 2>&1
	XDG_CACHE_HOME=$x timed cli-btf-warm-$i "$M" --json --types=btf "$dump"
	XDG_CACHE_HOME=$x timed layout-btf-warm-$i "$M" --layout --types=btf "$dump"
	timed layout-btf-cold-$i "$M" --layout --types=btf --no-cache "$dump"
	timed cli-dwarf-cold-$i "$M" --json --types=dwarf --vmlinux "$V" --no-cache "$dump"
	XDG_CACHE_HOME=$x "$M" --json --types=dwarf --vmlinux "$V" "$dump" >/dev/null 2>&1
	XDG_CACHE_HOME=$x "$M" --layout --types=dwarf --vmlinux "$V" "$dump" >/dev/null 2>&1
	XDG_CACHE_HOME=$x timed cli-dwarf-warm-$i "$M" --json --types=dwarf --vmlinux "$V" "$dump"
	XDG_CACHE_HOME=$x timed layout-dwarf-warm-$i "$M" --layout --types=dwarf --vmlinux "$V" "$dump"
done
cp "$W/cli-btf-warm-1.out" "$W/cli.json"
# the same with the read-ahead thread (cli/dump/readahead.c; --threads=2,
# off by default: the default runs above are single-threaded)
for i in $(seq "$REPS"); do
	MMLIFE_READAHEAD=1 XDG_CACHE_HOME=$x timed cli-btf-warm-ra-$i "$M" --json --types=btf "$dump"
done
# one thread (--threads=1): by default the walks of a dump this large are
# split among the CPUs (cli/session_workers.c); the floor, the extension
# and the scan are held to this one
for i in $(seq "$REPS"); do
	XDG_CACHE_HOME=$x timed cli-btf-warm-st-$i "$M" --json --types=btf --threads=1 "$dump"
done
# the same, with every page read by libkdumpfile (no fmt/kpages.c path)
for i in $(seq "$REPS"); do
	MMLIFE_KPAGES=0 XDG_CACHE_HOME=$x timed cli-btf-warm-lkdf-$i "$M" --json --types=btf "$dump"
done
discovery_runs "$dump" "$x"
cp "$W/disc-deep-1.out" "$W/cli-btf-warm-deep.out"
XDG_CACHE_HOME=$x "$M" -v --types=btf "$dump" >/dev/null 2>"$W/cli-verbose.err"
XDG_CACHE_HOME=$x "$M" -v --json --types=btf "$dump" >/dev/null 2>"$W/cli-readahead.err"

# the pages mmlife reads (recorded on libkdumpfile's kdump_read(), so with
# the own page path off), then the floor: the same reads, no analysis, through
# libkdumpfile and through mmlife's page path
MMLIFE_KPAGES=0 MMLIFE_TRACE_PAGES=$W/pages.txt LD_PRELOAD=$top/$B/bench/tracepages.so \
	XDG_CACHE_HOME=$x "$M" --json --types=btf "$dump" >/dev/null 2>&1
# packed first: the timed runs read the list with one read(), not fscanf()
# (135 M instructions for the text list, more than the reads themselves on
# the uncompressed dump)
"$top/$B/bench/floor" --pack "$W/pages.txt" "$W/pages.bin" || exit 1
for i in $(seq "$REPS"); do
	timed floor-$i "$top/$B/bench/floor" "$dump" "$W/pages.bin"
	timed floor-kpages-$i "$top/$B/bench/floor" --kpages "$dump" "$W/pages.bin"
done

# mmlife scan -j N on N copies (hard links under different names)
for n in 1 2 4; do
	mkdir -p "$W/scan$n"
	for k in $(seq "$n"); do ln -f "$dump" "$W/scan$n/copy$k.vmcore"; done
done
nc=$(nproc)
for n in 1 2 4; do
	j=$n; [ "$j" -gt "$nc" ] && j=$nc
	timed scan-n$n-j$j "$M" scan -q -j "$j" --no-db -o "$W/scan$n.jsonl" "$W/scan$n"
done

# drgn 0.3.0 (forky chroot): the equivalent walk
for i in $(seq "${BENCH_DRGN_REPS:-1}"); do
	timed drgn-$i "${CHR[@]}" python3 "$(in_chroot "$here/drgn_walk.py")" "$(in_chroot "$dump")" "$(in_chroot "$V")"
done
cp "$W/drgn-1.out" "$W/drgn.out"

# crash 9.0.2 (forky chroot): the extension and foreach vm in one session,
# with the layout cache the CLI filled ($x: the extension takes its file,
# ext/layout.c), and once more with an empty one (the layout from the
# dump's BTF, as on a kernel build mmlife has not met); BENCH_CRASH_REPS sessions
# of each, alternating. Wall time by date, CPU time by crash's threads'
# schedstat (ns on a CPU), both read through `!`; a mark's own cost (crash
# forks a shell) is read as the least of three marks in a row and subtracted, as
# bench/ext_cpu.sh does on the small dumps.
crash_session() { # SUFFIX XDG REP
	local sfx=$1 c=$W/crash$1-$3 i
	mkdir -p "$c"
	mark() { echo "!date +%s.%N > $(in_chroot "$c/t$1"); cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$c/cpu$1")"; }
	{
		mark 0
		echo "extend $(in_chroot "$so")"
		mark 1
		mark 1b
		mark 1c
		mark 1d
		echo "mmlife > $(in_chroot "$W/crash-mmlife$sfx.txt")"
		mark 2
		echo "mmlife > /dev/null"
		mark 3
		echo "foreach vm > /dev/null"
		mark 4
		echo "mmlife -L > $(in_chroot "$W/crash-layout$sfx.txt")"
		echo "quit"
	} >"$c/cmds"
	XDG_CACHE_HOME=$(in_chroot "$2") timed crash-session$sfx-$3 "${CHR[@]}" \
		crash -s "$(in_chroot "$V")" "$(in_chroot "$dump")" <"$c/cmds"
	[ -s "$c/t4" ] && [ -s "$c/cpu4" ] || return
	python3 - "$c" "$sfx" "$3" "$(loadavg)" >>"$R" <<'PY'
import json, sys
c, sfx, rep, load = sys.argv[1:5]
t = {m: float(open("%s/t%s" % (c, m)).read()) for m in ("0", "1", "1b", "1c", "1d", "2", "3", "4")}
ns = {m: sum(int(l.split()[0]) for l in open("%s/cpu%s" % (c, m))) for m in t}
pairs = (("1", "1b"), ("1b", "1c"), ("1c", "1d"))  # a mark's cost: the least of three
bw = min(t[q] - t[p] for p, q in pairs)
bc = min(ns[q] - ns[p] for p, q in pairs) / 1e9
for m0, m1, n in (("0", "1", "crash-extend"), ("1d", "2", "crash-ext-1"),
                  ("2", "3", "crash-ext-2"), ("3", "4", "crash-foreach-vm")):
    print(json.dumps({"name": "%s%s-%s" % (n, sfx, rep), "s": round(t[m1] - t[m0] - bw, 5),
                      "cpu_s": round((ns[m1] - ns[m0]) / 1e9 - bc, 5), "load": load}))
PY
}
rm -rf "$W/xdg-empty"
for i in $(seq "${BENCH_CRASH_REPS:-1}"); do
	crash_session "" "$x" "$i"
	mkdir -p "$W/xdg-empty/$i"
	crash_session -nocache "$W/xdg-empty/$i" "$i"
done

# callgrind instruction counts of the CLI's walk (warm layout cache, BTF),
# single-threaded (MMLIFE_READAHEAD=0): valgrind runs one thread at a time,
# and the counts are one core's work
if [ "${BENCH_CALLGRIND:-1}" = 1 ] && command -v valgrind >/dev/null; then
	MMLIFE_READAHEAD=0 XDG_CACHE_HOME=$x timed callgrind valgrind --tool=callgrind \
		--callgrind-out-file="$W/callgrind.out" "$M" --json --threads=1 --types=btf "$dump"
	callgrind_annotate "$W/callgrind.out" 2>/dev/null | head -n 60 >"$W/callgrind.top"
	# the default run, the one users type: the text report
	MMLIFE_READAHEAD=0 XDG_CACHE_HOME=$x timed callgrind-text valgrind --tool=callgrind \
		--callgrind-out-file="$W/callgrind-text.out" "$M" --threads=1 --types=btf "$dump"
	MMLIFE_READAHEAD=0 XDG_CACHE_HOME=$x timed callgrind-layout valgrind --tool=callgrind \
		--callgrind-out-file="$W/callgrind-layout.out" "$M" --layout --types=btf "$dump"
	callgrind_annotate "$W/callgrind-layout.out" 2>/dev/null | head -n 60 >"$W/callgrind-layout.top"
	# the floor issue 20 holds the CLI to: its own page path replaying the pages
	timed callgrind-floor-kpages valgrind --tool=callgrind \
		--callgrind-out-file="$W/callgrind-floor-kpages.out" "$top/$B/bench/floor" --kpages "$dump" "$W/pages.bin"
fi

}

for v in ${BENCH_VARIANTS:-zlib:vmcore plain:vmcore-plain}; do
	run_variant "${v%%:*}" "${v#*:}"
done

# issue 20's extension targets on small dumps (fixtures of vmcores/): the
# first and second `mmlife` in crash, with and without the layout cache,
# beside `foreach vm` and the CLI's warm run (bench/ext_cpu.sh)
for d in ${BENCH_EXT_DUMPS-6.12-failed-fork 7.2-failed-fork}; do
	log "=== ext-$d: crash sessions on vmcores/$d"
	B=$B EXT_REPS=${BENCH_EXT_REPS:-3} bash "$here/ext_cpu.sh" "$d" "$tmp/ext/$d" >"$tmp/ext-$d.log" ||
		log "ext_cpu.sh $d failed"
	sed 's/^/  /' "$tmp/ext-$d.log" >&2
done

# issue 18's scan targets (bench/scan-bench.sh; BENCH_SCAN=0 skips them):
# `mmlife scan` of one dump against the CLI on both files and on an 8 GB
# guest's ELF dump, -j N on the fixtures, the resume of 10,000 files
if [ "${BENCH_SCAN:-1}" = 1 ]; then
	B=$B "$here/scan-bench.sh" "$D" "$tmp/scan" || log "scan bench failed"
fi

# discovery on a 16 GB guest (BENCH_MEM16 MB; BENCH_16G=0 skips it): the same
# workload, most of the RAM empty (makedumpfile -d 31 drops it); each path's
# cost per GB of RAM. Only the zlib file.
if [ "${BENCH_16G:-1}" = 1 ]; then
	if D16=$(BENCH_MEM=${BENCH_MEM16:-16384} BENCH_DIR= "$here/gen-large.sh"); then
		variant=ram16g
		W=$tmp/$variant
		mkdir -p "$W"
		ln -sf "$D16/stamp.json" "$W/stamp.json"
		ln -f "$D16/vmcore" "$W/vmcore"
		R=$W/results.jsonl
		: >"$R"
		log "=== $variant: $W/vmcore ($(du -h "$W/vmcore" | cut -f1)); warming the page cache"
		cat "$W/vmcore" >/dev/null
		x=$W/xdg-$variant
		rm -rf "$x"; mkdir -p "$x"
		discovery_runs "$W/vmcore" "$x"
	else
		log "no 16 GB benchmark dump: the per-GB figures come from the 2 GB dump alone"
	fi
fi

times >"$tmp/times"
own=$(awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, a, "m"); s += a[1] * 60 + a[2]}; print s}' "$tmp/times")
{
	echo "{\"nproc\": $(nproc), \"cpu\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)\","
	echo " \"mem\": \"$(free -g | awk '/Mem:/ {print $2}') GB\", \"kernel\": \"$(uname -r)\", \"date\": \"$(date -u +%FT%TZ)\","
	echo " \"load_start\": \"$load0\", \"load_end\": \"$(loadavg)\", \"seconds\": $(($(date +%s) - t_start)),"
	echo " \"cpu_all_s\": $(awk -v a="$all0" -v b="$(cpu_all)" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (b - a) / hz}'),"
	echo " \"cpu_own_s\": ${own:-0},"
	echo " \"cores_start\": ${cores0:-null}, \"cores_end\": $("$top/$B/bench/cores" || echo null),"
	echo " \"env\": \"$(env | grep -E '^(BENCH_[A-Z0-9_]+|B)=' | sort | tr '\n' ' ')\"}"
} >"$tmp/machine.json"
python3 "$here/report.py" "$D" "$tmp" >"$here/RESULTS.md" && log "wrote bench/RESULTS.md"
