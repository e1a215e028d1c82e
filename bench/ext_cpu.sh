#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/ext_cpu.sh DUMP [OUTDIR]: the first and the second `mmlife` in one
# crash 9.0.2 session (forky chroot), with and without the layout cache,
# beside crash's own `foreach vm` and the CLI's warm run on the same small
# dump (issue 20's extension targets on a fixture of vmcores/; bench/run.sh
# measures the bench dump itself). CPU time and wall time of each:
#   - crash: inside the session, each mark is `!date` and
#     `!cat /proc/$PPID/task/*/schedstat` (the shell's parent is crash; the
#     first field is each thread's time on a CPU in ns, summed over crash's
#     threads). The cost of a mark itself (crash forks a shell) is read as
#     the least of three marks in a row, and subtracted from each span.
#   - CLI: `mmlife DUMP > /dev/null`, warm (layout cache and symbol memo
#     filled by two runs before): wall time and user + system time
#     (getrusage of the child), CLI_REPS runs.
# Without the cache: an empty XDG_CACHE_HOME per session. With it: the
# directory the CLI filled (BUILDID.btf, as the CLI's default run on a
# machine without the debug vmlinux installed writes it). Sessions
# alternate, EXT_REPS of each.
# Prints one line per measurement; with OUTDIR, also the rows of
# bench/run.sh's `rec` (name, s, cpu_s, load, ...) in OUTDIR/results.jsonl,
# read by bench/report.py. Needs root (chroot).
#   DUMP: a fixture of vmcores/ (default 6.12-failed-fork)
#   B=build  EXT_REPS=3  CLI_REPS=10
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
d=${1:-6.12-failed-fork}
out=${2:-}
B=${B:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/../tests/dumps/lib/common.sh"
top=$(cd "$here/.." && pwd)  # common.sh guesses it from $0
cd "$top" || exit 1
if [ -n "$out" ]; then
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	: >"$out/results.jsonl"
fi
make -s B="$B" "$B/mmlife" >&2 || exit 1
chroot_prepare forky || { echo "no forky chroot" >&2; exit 1; }
ch=$(chroot_dir forky)
so=$top/$B-crash-forky/mmlife.so
make -s B="$B-crash-forky" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
	"$B-crash-forky/mmlife.so" >&2 || exit 1
vml=$(vmlinux_of "$d") || { echo "no vmlinux for $d" >&2; exit 1; }
dump=$top/vmcores/$d/vmcore
nomod=""
case $(mf "$d" 'm["kernel"]["key"]') in 7.*) nomod=--no_modules ;; esac
rows=${out:+$out/results.jsonl}

# CLI: warm the cache, then CLI_REPS runs
cli=$tmp/cli-xdg
XDG_CACHE_HOME=$cli "$B/mmlife" "$dump" >/dev/null 2>&1
XDG_CACHE_HOME=$cli "$B/mmlife" "$dump" >/dev/null 2>&1
XDG_CACHE_HOME=$cli python3 - "$B/mmlife" "$dump" "${CLI_REPS:-10}" "$rows" <<'PY'
import json, os, sys, subprocess, time
rows = open(sys.argv[4], "a") if sys.argv[4] else None
wall, cpu = [], []
for i in range(int(sys.argv[3])):
    t = time.monotonic()
    p = subprocess.Popen([sys.argv[1], sys.argv[2]], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    wall.append(time.monotonic() - t)
    cpu.append(ru.ru_utime + ru.ru_stime)
    if rows:
        rows.write(json.dumps({"name": "cli-warm-%d" % (i + 1), "s": round(wall[-1], 4),
                               "cpu_s": round(cpu[-1], 4), "rss_kb": ru.ru_maxrss,
                               "load": " ".join("%.2f" % x for x in os.getloadavg())}) + "\n")
print("cli-warm CPU ms %s; wall ms %s" % (" ".join("%.1f" % (x * 1e3) for x in cpu),
                                          " ".join("%.1f" % (x * 1e3) for x in wall)))
PY

# session NAME SUFFIX XDG: one crash session; prints "NAME: ..." and
# records crash-ext-1SUFFIX, crash-ext-2SUFFIX, crash-foreach-vmSUFFIX
session() {
	local w=$tmp/$1
	mkdir -p "$w"
	mark() { echo "!date +%s.%N > $(in_chroot "$w/t$1"); cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$w/cpu$1")"; }
	{
		echo "extend $(in_chroot "$so")"
		mark a
		mark b
		mark c
		mark d
		echo "mmlife > /dev/null"
		mark 1
		echo "mmlife > /dev/null"
		mark 2
		echo "foreach vm > /dev/null"
		mark 3
		echo "mmlife -L"
		echo "quit"
	} >"$w/cmds"
	CHROOT_XDG_CACHE=$(in_chroot "$3") chroot_run forky crash -s $nomod \
		"$(in_chroot "$vml")" "$(in_chroot "$dump")" <"$w/cmds" >"$w/log" 2>&1
	python3 - "$w" "$1" "$2" "$(sed -n 's/^layout-source //p' "$w/log")" "$rows" <<'PY'
import json, os, sys
w, name, sfx, src = sys.argv[1:5]
try:
    t = {m: float(open("%s/t%s" % (w, m)).read()) for m in "abcd123"}
    ns = {m: sum(int(l.split()[0]) for l in open("%s/cpu%s" % (w, m))) for m in "abcd123"}
except (OSError, ValueError):
    print("%s: the session did not reach its last mark (see %s/log)" % (name, w))
    sys.exit(0)
# one mark's own cost: the least of three marks in a row (the spans it
# leaves are, if anything, long: conservative for targets that say "at most")
bw = min(t[q] - t[p] for p, q in ("ab", "bc", "cd"))
bc = min(ns[q] - ns[p] for p, q in ("ab", "bc", "cd")) / 1e9
load = " ".join("%.2f" % x for x in os.getloadavg())
rows = open(sys.argv[5], "a") if sys.argv[5] else None
txt = []
for m0, m1, what in (("d", "1", "crash-ext-1"), ("1", "2", "crash-ext-2"), ("2", "3", "crash-foreach-vm")):
    s, c = t[m1] - t[m0] - bw, (ns[m1] - ns[m0]) / 1e9 - bc
    txt.append("%s CPU %.1f ms, wall %.1f ms" % (what, c * 1e3, s * 1e3))
    if rows:
        rows.write(json.dumps({"name": "%s%s-%s" % (what, sfx, name.rsplit("-", 1)[1]), "s": round(s, 5),
                               "cpu_s": round(c, 5), "layout": src, "load": load}) + "\n")
print("%s: %s (layout from %s; a mark costs %.1f ms CPU, %.1f ms wall)" % (
    name, "; ".join(txt), src, bc * 1e3, bw * 1e3))
PY
}

for r in $(seq "${EXT_REPS:-3}"); do
	session "nocache-$r" -nocache "$tmp/empty-$r"
	session "cache-$r" "" "$cli"
done
