#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ^C and a closed pipe in the crash extension, in the real crash 9.0.2
# (forky chroot) on one dump, in one session fed through a FIFO:
#  - "mmlife -a | head -1" prints one line, and crash answers afterwards;
#  - SIGINT sent to crash while "mmlife -a" and "mmlife -f" run (over and
#    over, so that the signal lands inside a walk; -f spends its time in
#    the trees, where a lost page shows) makes it say "mmlife: interrupted" and
#    print no report of the half walk. crash's SIGINT handler longjmps;
#    landing in a guarded read it used to count as an unreadable page and
#    the walk went on to a report with false findings. Every report of the
#    session must read as the first, uninterrupted one;
#  - the session goes on: ps lists pid 1, and a full mmlife reports.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife  CRASH_SIGNALS_DUMP=7.2-failed-fork
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'chroot_cleanup; rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1

if [ "$(id -u)" != 0 ]; then
	skip "crash extension on ^C and a closed pipe" "needs root for the crash chroot" 8
	exit 0
fi
suite=forky
if ! chroot_prepare $suite; then
	notok "$suite chroot with crash could not be prepared"
	sed 's/^/#   /' "$tmp/chroot-$suite.log" | tail -n 5
	exit 0
fi
ch=$(chroot_dir $suite)
so=$top/$B-crash-$suite/mmlife.so
if ! make -s B="$B-crash-$suite" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
	"$B-crash-$suite/mmlife.so" >"$tmp/build.log" 2>&1; then
	notok "$suite: extension builds against crash's defs.h"
	tail -n 5 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi
# The fixture with the most VMAs, so that a signal is likely to land in a
# read; else the first complete dump.
d=${CRASH_SIGNALS_DUMP:-7.2-failed-fork}
[ -f "vmcores/$d/manifest.json" ] || d=$(crash_dumps | head -n 1)
vml=$(vmlinux_of "$d")
fetch_result $? "$vml" "crash extension on ^C and a closed pipe ($d)" 8 || exit 0
nomod=""
case $(mf "$d" 'm["kernel"]["key"]') in 7.*) nomod=--no_modules ;; esac

mkfifo "$tmp/in"
chroot_run $suite crash -s $nomod "$(in_chroot "$vml")" \
	"$(in_chroot "$top/vmcores/$d/vmcore")" <"$tmp/in" >"$tmp/log" 2>&1 &
bg=$!
# The driver writes the commands as the session goes, with "p 4242NN"
# lines ("$N = 4242NN") as markers, and signals crash (the process named
# crash under the background job, by its pid).
python3 - "$bg" "$tmp/in" "$tmp/log" "$(in_chroot "$so")" >"$tmp/driver.log" 2>&1 <<'PY'
import os, signal, sys, time
bg, fifo, log, so = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
w = open(fifo, "w", buffering=1)
def text():
    try:
        return open(log, errors="replace").read()
    except FileNotFoundError:  # crash's shell opens it after the FIFO
        return ""
def wait_for(pred, secs):
    end = time.time() + secs
    while time.time() < end:
        if pred(text()):
            return True
        time.sleep(0.02)
    print("timed out")
    return False
def crash_pid():
    kids = {}
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            st = open(f"/proc/{p}/stat").read()
        except OSError:
            continue
        comm = st[st.index("(") + 1:st.rindex(")")]
        kids.setdefault(int(st[st.rindex(")") + 2:].split()[1]), []).append((int(p), comm))
    todo = [bg]
    while todo:
        for c, comm in kids.get(todo.pop(), []):
            if comm == "crash":
                return c
            todo.append(c)
w.write(f"extend {so}\nmmlife -a\nmmlife -f\n")
wait_for(lambda s: s.count("Summary") >= 2, 600)
w.write("p 424201\nmmlife -a | head -1\np 424202\nps\n")
wait_for(lambda s: "= 424202" in s, 120)
w.write("p 424203\n" + "mmlife -a\nmmlife -f\n" * 3)
wait_for(lambda s: s.count("Summary") >= 6, 120)
pid = crash_pid()
# A run takes milliseconds once the layout is resolved, so a fixed series
# can end before a signal arrives. Each attempt queues a fresh batch of
# runs and signals while crash works through it; a signal that lands
# between two runs interrupts no mmlife: try again (one signal in flight
# at a time, so mmlife is interrupted once).
for attempt in range(20):
    w.write("mmlife -a\nmmlife -f\n" * 50)
    time.sleep(0.05)
    os.kill(pid, signal.SIGINT)
    if wait_for(lambda s: "interrupted" in s, 2):
        break
w.write("p 424204\nps\nmmlife -a\nquit\n")
w.close()
# A longjmp out of the signal handler at a random point can leave a lock
# held (the unfixed extension hung crash so): kill a crash that hangs.
end = time.time() + 300
while time.time() < end and os.path.exists(f"/proc/{pid}"):
    time.sleep(0.1)
if os.path.exists(f"/proc/{pid}"):
    print(f"crash (pid {pid}) hangs after the session: killed")
    os.kill(pid, signal.SIGKILL)
PY
wait "$bg"
rc=$?
check "crash runs the session and quits with status 0" 0 "$rc"
sed 's/^/# driver: /' "$tmp/driver.log"

# section FROM TO: the lines strictly between the markers' "$N = " lines
section() {
	sed -n "/^\\\$[0-9]* = $1\$/,/^\\\$[0-9]* = $2\$/p" "$tmp/log" | sed '1d;$d'
}
section 424201 424202 >"$tmp/pipe"
check "mmlife -a | head -1 prints one line" 1 "$(wc -l <"$tmp/pipe")"
grep -q "^mmlife " "$tmp/pipe" &&
	ok "mmlife -a | head -1 prints the report's first line" ||
	{ notok "mmlife -a | head -1 prints the report's first line"; sed 's/^/#   /' "$tmp/pipe"; }
ps1='^[> ]+1 +0 +[0-9]+ +[0-9a-f]+ +[A-Z]{2} '
section 424202 424203 | grep -Eq "$ps1" &&
	ok "crash answers ps after mmlife -a | head -1" ||
	notok "crash answers ps after mmlife -a | head -1"

section 424203 424204 >"$tmp/int"
check "SIGINT during mmlife -a / -f: mmlife says it was interrupted, once" 1 \
	"$(grep -c '^mmlife: interrupted$' "$tmp/int")"
# Every report of the series against the first one of its kind (-a,
# -f) before it: those that end as it does, and those that do not (cut
# short, or counting and finding something else).
awk '
	/^\$[0-9]+ = 424201$/ { phase = 1 }
	/^\$[0-9]+ = 424203$/ { phase = 2; open = 0 }
	/^\$[0-9]+ = 424204$/ { if (open) bad++; phase = 3; open = 0 }
	/^mmlife [0-9.]+: / { if (open && phase == 2) bad++; open = 1; got = ""; next }
	/^  discovery / { mode = $2 }
	/^  (scanned|[0-9]+ findings?) / { got = got "\n" $0 }
	/^  [0-9]+ findings? / {
		open = 0
		if (phase == 0 && !(mode in ref)) ref[mode] = got
		else if (phase == 2 && got == ref[mode]) good++
		else if (phase == 2) bad++
	}
	END { print good + 0, bad + 0 }' "$tmp/log" >"$tmp/counts"
read -r good bad <"$tmp/counts"
[ "$good" -ge 3 ] && ok "mmlife -a and -f ran to their reports $good times in the interrupted series" ||
	notok "mmlife -a and -f ran to their reports $good times in the interrupted series"
check "SIGINT during mmlife -a / -f: no report of a half walk (every report counts and finds what the first of its kind did)" 0 "$bad"
grep -n "unreadable" "$tmp/log" | head -n 3 | sed 's/^/#   /'
check "no finding about unreadable memory in the session" 0 "$(grep -c 'unreadable' "$tmp/log")"
sed -n '/^\$[0-9]* = 424204$/,$p' "$tmp/log" >"$tmp/after"
grep -Eq "$ps1" "$tmp/after" &&
	ok "crash answers ps after the interrupt" ||
	{ notok "crash answers ps after the interrupt"; tail -n 5 "$tmp/after" | sed 's/^/#   /'; }
ref=$(grep -E '^  (scanned|[0-9]+ findings?) ' "$tmp/log" | head -n 2)
check "mmlife -a after the interrupt reports as the first run did" "$ref" \
	"$(grep -E '^  (scanned|[0-9]+ findings?) ' "$tmp/after")"
chroot_cleanup
