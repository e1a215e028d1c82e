#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/ext_cpu.sh: CPU time of the first and the second `mmlife` in one
# crash 9.0.2 session (forky chroot), without and with the layout cache,
# against the CLI's warm run on the same dump (issue 20; bench/EXT.md has
# the numbers). CPU time, not wall time, because the machine may be
# shared: wall time there measures the neighbours.
#   - crash: inside the session, `!cat /proc/$PPID/task/*/schedstat` before
#     and after each mmlife (the shell's parent is crash); the first field
#     is each thread's time on a CPU in ns, summed over crash's threads.
#     The cost of the `!` itself (crash forks) is read as two reads in a
#     row, and subtracted.
#   - CLI: user + system time of the process (getrusage of the child),
#     warm: its layout cache and symbol memo filled by a run before.
# Without the cache: an empty XDG_CACHE_HOME per session. With it: the
# directory the CLI filled (BUILDID.btf, as the CLI's default run on a
# machine without the debug vmlinux installed writes it).
# Needs root (chroot). Not part of make check or make bench.
#   bench/ext_cpu.sh [DUMP]   a fixture of vmcores/, default 6.12-failed-fork
#   B=build  EXT_REPS=3  CLI_REPS=10
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
d=${1:-6.12-failed-fork}
B=${B:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$here/../tests/dumps/lib/common.sh"
top=$(cd "$here/.." && pwd)  # common.sh guesses it from $0
cd "$top" || exit 1
make -s B="$B" "$B/mmlife" >&2 || exit 1
chroot_prepare forky || { echo "no forky chroot" >&2; exit 1; }
ch=$(chroot_dir forky)
so=$top/$B-crash-forky/mmlife.so
make -s B="$B-crash-forky" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
	"$B-crash-forky/mmlife.so" >&2 || exit 1
vml=$(vmlinux_of "$d") || exit 1
dump=$top/vmcores/$d/vmcore
nomod=""
case $(mf "$d" 'm["kernel"]["key"]') in 7.*) nomod=--no_modules ;; esac

# CLI: warm the cache, then CLI_REPS runs; prints ms per run.
cli=$tmp/cli-xdg
XDG_CACHE_HOME=$cli "$B/mmlife" "$dump" >/dev/null 2>&1
XDG_CACHE_HOME=$cli "$B/mmlife" "$dump" >/dev/null 2>&1
echo "cli-warm $(XDG_CACHE_HOME=$cli python3 - "$B/mmlife" "$dump" "${CLI_REPS:-10}" <<'PY'
import os, sys, subprocess
out = []
for _ in range(int(sys.argv[3])):
    p = subprocess.Popen([sys.argv[1], sys.argv[2]], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    out.append("%.1f" % ((ru.ru_utime + ru.ru_stime) * 1e3))
print(" ".join(out))
PY
)"

# session NAME XDG: one crash session; prints "NAME first-ms second-ms"
session() {
	local w=$tmp/$1 i
	mkdir -p "$w"
	{
		echo "extend $(in_chroot "$so")"
		echo "!cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$w/a")"
		echo "!cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$w/b")"
		echo "mmlife > /dev/null"
		echo "!cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$w/first")"
		echo "mmlife > /dev/null"
		echo "!cat /proc/\$PPID/task/*/schedstat > $(in_chroot "$w/second")"
		echo "mmlife -L"
		echo "quit"
	} >"$w/cmds"
	CHROOT_XDG_CACHE=$(in_chroot "$2") chroot_run forky crash -s $nomod \
		"$(in_chroot "$vml")" "$(in_chroot "$dump")" <"$w/cmds" >"$w/log" 2>&1
	python3 - "$w" "$1" "$(sed -n 's/^layout-source //p' "$w/log")" <<'PY'
import sys
w = sys.argv[1]
ns = lambda f: sum(int(l.split()[0]) for l in open(w + "/" + f))
bang = ns("b") - ns("a")
first = ns("first") - ns("b") - bang
second = ns("second") - ns("first") - bang
print("%s %.1f %.1f (layout from %s; a `!` costs %.1f ms)" %
      (sys.argv[2], first / 1e6, second / 1e6, sys.argv[3], bang / 1e6))
PY
}

for r in $(seq "${EXT_REPS:-3}"); do
	session "nocache-$r" "$tmp/empty-$r"
	session "cache-$r" "$cli"
done
