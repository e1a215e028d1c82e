#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Verdicts and the kernel log on every real dump in vmcores/: the JSON's
# kernel release, its log lines against the console tail the capture
# recorded (log_tail), the sysrq-c panic of the baselines, and the fix
# verdicts the manifests' states call for:
#   - a failed fork whose tree holds XA_ZERO: 64c37e134b12 present (flags
#     set) or absent (flags not set), by the dump's state;
#   - a 7.x kernel: the recovery rework present by type struct unmap_desc
#     (5b6626a76a81, a sibling commit; tear_down_vmas is static and its
#     presence in kallsyms depends on the compiler);
#   - a 6.1 kernel: no XA_ZERO possible (no __mt_dup);
#   - an empty live mm: the task_numa_work() fix is named.
# Expected values come from the manifests only, never from mmlife's output.
# A child mm that no task and no list references needs a deep (slab) scan
# or --mm; without either in the CLI those checks are skipped.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "verdict tests" "$MMLIFE not built"
	exit 0
fi
help=$("$MMLIFE" --help 2>&1)
deep_opt=
case $help in *--deep*) deep_opt=--deep ;; esac
mm_opt=
case $help in *"--mm "*|*"--mm="*) mm_opt=--mm ;; esac

# TAP from the checker's "PASS|what", "FAIL|what|why", "SKIP|what|why".
tap() {
	while IFS='|' read -r st what why; do
		case $st in
		PASS) ok "$what" ;;
		FAIL) notok "$what"; echo "#   $why" ;;
		SKIP) skip "$what" "$why" ;;
		*) echo "# $st $what $why" ;;
		esac
	done
}

check_dump() { # NAME MANIFEST DUMP
	name=$1 m=$2 dump=$3
	"$MMLIFE" --json --types=btf "$dump" >"$tmp/r.json" 2>"$tmp/err"
	rc=$?
	if [ $rc -gt 1 ]; then
		notok "$name: mmlife --json runs (exit $rc)"
		head -n 3 "$tmp/err" | sed 's/^/#   /'
		return
	fi
	# The text report too, for the wording of the verdicts.
	"$MMLIFE" --types=btf "$dump" >"$tmp/r.txt" 2>/dev/null
	# --log=N prints the log's last N lines after the report; 100000,
	# its largest N, the whole ring buffer.
	: >"$tmp/log.txt"
	: >"$tmp/logall.txt"
	case $help in *--log*)
		"$MMLIFE" --types=btf --log=20 "$dump" >"$tmp/log.txt" 2>/dev/null
		"$MMLIFE" --types=btf --log=100000 "$dump" >"$tmp/logall.txt" 2>/dev/null ;;
	esac
	# The failed children that need a deep scan or --mm, one JSON each.
	: >"$tmp/extra.list"
	python3 - "$m" >"$tmp/hidden" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
for s in m.get("states", []):
    if s.get("kind") == "failed-fork" and not s.get("on_mmlist") \
            and not s.get("on_task_list") and not s.get("tasks"):
        print(s["mm"])
EOF
	while read -r mm; do
		[ -n "$mm" ] || continue
		if [ -n "$deep_opt" ]; then
			"$MMLIFE" --json --types=btf $deep_opt "$dump" \
				>"$tmp/x-$mm.json" 2>/dev/null
		elif [ -n "$mm_opt" ]; then
			"$MMLIFE" --json --types=btf $mm_opt "$mm" "$dump" \
				>"$tmp/x-$mm.json" 2>/dev/null
		else
			continue
		fi
		[ $? -le 1 ] && echo "$mm $tmp/x-$mm.json" >>"$tmp/extra.list"
	done <"$tmp/hidden"
	python3 - "$name" "$m" "$tmp/r.json" "$tmp/r.txt" "$tmp/extra.list" \
		"$deep_opt$mm_opt" "$tmp/log.txt" "$tmp/logall.txt" >"$tmp/results" 2>&1 <<'EOF'
import json, re, sys
name, mpath, rpath, tpath, extra_list, how, logpath, allpath = sys.argv[1:9]
m = json.load(open(mpath))
r = json.load(open(rpath))
text = open(tpath).read()
extra = {}
for line in open(extra_list):
    mm, path = line.split()
    extra[mm] = json.load(open(path))

def out(st, what, why=""):
    print(f"{st}|{name}: {what}|{why}".replace("\n", " "))

def check(cond, what, why=""):
    out("PASS" if cond else "FAIL", what, why)

kernel = m["kernel"]
# major.minor of the release (the kernels.conf key may name a flavour: 7.2-rt)
key = tuple(int(x) for x in kernel["release"].split("-")[0].split(".")[:2])
check(r.get("kernel", {}).get("release") == kernel["release"],
      f"kernel release read from the dump is {kernel['release']}",
      f"got {r.get('kernel')}")

def verdicts(rep, problem=None, fix=None, mm=None):
    res = []
    for v in rep.get("verdicts", []):
        if problem and v["problem"] != problem:
            continue
        f = v.get("fix") or {}
        if fix and not ((f.get("commit") or "").startswith(fix) or f.get("id") == fix):
            continue
        if mm and (v.get("mm") or "").lower() != mm.lower():
            continue
        res.append(v)
    return res

# ---- the kernel log against the capture's console tail ----
log = r.get("log") or {}
# Only the kernel's lines: the console also carries what user space wrote
# to it (no "[    5.297873] " timestamp), which is not in the ring buffer.
tail = [l for l in (m.get("log_tail") or "").splitlines()
        if re.match(r"^\[\s*\d+\.\d{6}\] ", l)]
if not tail:
    out("SKIP", "log lines match the console tail", "the manifest has no log_tail")
elif not log.get("available"):
    out("FAIL", "log lines match the console tail", f"log not read: {log.get('reason')}")
else:
    lines = log.get("lines", [])
    # The whole ring buffer as --log=100000 prints it; the JSON holds its
    # last lines only. The console can lag behind the ring buffer by more
    # than those: on PREEMPT_RT a kernel thread prints it (6.12.118-rt:
    # 105 records behind at the capture's stop).
    got = open(allpath).read().split("\nKernel log (last lines)\n", 1)
    every = got[1].splitlines() if len(got) == 2 else []
    if every:
        check(lines == every[-len(lines):],
              f"the JSON's {len(lines)} log lines are the ring buffer's last ones (--log=100000)",
              f"{len(every)} lines printed")
    # The console shows a subset of the ring buffer (levels), in order:
    # the console's last lines are a subsequence of mmlife's.
    want = tail[-10:]
    it = iter(every or lines)
    missing = [w for w in want if not any(w == l for l in it)]
    check(not missing, "the console tail's last 10 lines are in the log, in order"
          + (" (the whole ring buffer)" if every else ""),
          f"first missing: {missing[:1]}")

# ---- --log ----
logtext = open(logpath).read()
if not logtext:
    out("SKIP", "--log=20 prints the log's last lines", "the CLI has no --log")
elif log.get("available") and tail:
    got = logtext.split("\nKernel log (last lines)\n", 1)
    lines = got[1].splitlines() if len(got) == 2 else []
    check(len(lines) == 20 and lines == log.get("lines", [])[-20:],
          "--log=20 prints the log's last 20 lines (those of the JSON)",
          f"{len(lines)} lines")

# ---- a sysrq-c panic ----
cap = m.get("capture", {}).get("how", "")
if "sysrq-c" in cap:
    oops = log.get("oops") or {}
    end = [l for l in tail if "---[ end Kernel panic - not syncing:" in l]
    msg = None
    if end:
        msg = "Kernel panic - not syncing:" + end[-1].split("not syncing:", 1)[1].rsplit("]---", 1)[0].rstrip()
    check(oops.get("kind") == "panic" and msg is not None and oops.get("message") == msg,
          f"the panic is extracted: {msg}", f"got {oops.get('kind')}: {oops.get('message')}")
    cpu = [re.search(r"CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (\S+)", l) for l in tail]
    cpu = [c for c in cpu if c]
    if cpu:
        c = cpu[-1]
        check(oops.get("cpu") == int(c.group(1)) and oops.get("pid") == int(c.group(2))
              and oops.get("comm") == c.group(3),
              f"the panic's CPU {c.group(1)}, pid {c.group(2)}, comm {c.group(3)}",
              f"got CPU {oops.get('cpu')} pid {oops.get('pid')} comm {oops.get('comm')}")
    trace = [l.split("]", 1)[1].strip() for l in tail if re.search(r"\]\s+sysrq_handle_crash\+", l)]
    check(oops.get("sysrq") is True and "sysrq_handle_crash" in oops.get("trace", [])
          and bool(trace),
          "sysrq-c recognised (sysrq_handle_crash in the trace)",
          f"sysrq {oops.get('sysrq')}, trace {oops.get('trace')}")
    v = verdicts(r, "sysrq-crash")
    check(len(v) == 1 and v[0]["fix"] is None and (oops.get("correlation") or "").startswith("none"),
          "sysrq-c panic: no correlation with a fix",
          f"verdicts {[x['problem'] for x in r.get('verdicts', [])]}, correlation {oops.get('correlation')}")

# ---- a WARNING is not an oops (the console tail says whether it panicked) ----
if log.get("available"):
    oops = log.get("oops") or {}
    if any("Kernel panic - not syncing" in l for l in tail):
        check(oops.get("kind") in ("oops", "bug", "panic"),
              "the console shows a panic: the event is the panic or what led to it, not a WARNING",
              f"got {oops.get('kind')}: {oops.get('message')}")
    warns = log.get("warnings")
    check(isinstance(warns, list) and all(w.get("kind") == "warning" for w in warns),
          "log.warnings lists WARNING reports only", f"got {warns!r:.200}")
    check(oops.get("kind") != "warning" or not verdicts(r, "oops"),
          "no 'kernel oops' verdict is made from a WARNING",
          f"verdicts {[x['problem'] for x in r.get('verdicts', [])]}")

# ---- a real oops (the console is the truth; the scenario says what it
# was built to hit) ----
mo = m.get("oops")
if mo:
    oops = log.get("oops") or {}
    check(oops.get("kind") in ("oops", "bug") and oops.get("message") == mo["message"],
          f"the oops is extracted: {mo['message']}", f"got {oops.get('kind')}: {oops.get('message')}")
    check(oops.get("rip_function") == mo.get("rip_function"),
          f"the oops's RIP function is {mo.get('rip_function')}", f"got {oops.get('rip_function')}")
    check((oops.get("cpu"), oops.get("pid"), oops.get("comm")) == (mo.get("cpu"), mo.get("pid"), mo.get("comm")),
          f"the oops's CPU {mo.get('cpu')}, pid {mo.get('pid')}, comm {mo.get('comm')}",
          f"got {oops.get('cpu')} {oops.get('pid')} {oops.get('comm')}")
    if mo.get("fault_address"):
        got = oops.get("fault_address")
        check(got is not None and int(str(got), 0) == int(mo["fault_address"], 16),
              f"the fault address {mo['fault_address']}", f"got {got}")
    check(oops.get("trace") == mo.get("call_trace"),
          f"the call trace without '?' lines: {' <- '.join(mo.get('call_trace', []))}",
          f"got {oops.get('trace')}")
    if mo.get("panic"):
        check((oops.get("panic") or "").endswith(mo["panic"]),
              f"the panic that followed: {mo['panic']}", f"got {oops.get('panic')}")
    ex = mo.get("expect") or {}
    if ex.get("matches"):
        fx = ex["matches"]
        v = verdicts(r, "oops", fx)
        note = (v[0].get("note") or "") if v else ""
        check(len(v) == 1 and note.startswith("matches " + fx[:12]),
              f"the oops matches {fx[:12]}", f"got {[(x['problem'], (x.get('fix') or {}).get('id')) for x in r.get('verdicts', [])]}")
        check(bool(v) and v[0].get("match") == "state",
              "the match is backed by the dump's state (match: state)", f"got {v[0].get('match') if v else None}")
        check(fx[:12] in (oops.get("correlation") or ""),
              f"log.oops.correlation names {fx[:12]}", f"got {oops.get('correlation')}")
        for s in m.get("states", []):
            if s.get("on_mmlist") and s.get("xa_zero"):
                check(s["mm"] in note and "init_mm.mmlist" in note,
                      f"the oops verdict names the failed child {s['mm']} on init_mm.mmlist",
                      f"note: {note}")
        if v and ex.get("fix_presence"):
            check(v[0]["presence"] == ex["fix_presence"] and v[0]["method"] == ex.get("fix_method")
                  and (v[0]["certain"] is False if ex.get("fix_method") == "version" else True),
                  f"{fx[:12]}: {ex['fix_presence']} by {ex.get('fix_method')}"
                  + (", not certain" if ex.get("fix_method") == "version" else ""),
                  f"got {v[0]['presence']} by {v[0]['method']} certain {v[0]['certain']}")
            if ex["fix_presence"] == "present":
                check("check that this build carries it" in note,
                      "an oops in the path of a fix the version says is present: the note says to check the build",
                      f"note: {note}")

# ---- the kernel's posture ----
if key >= (7, 0):
    v = verdicts(r, None, "dup-mmap-recovery")
    check(any(x["presence"] == "present" and x["method"] in ("type", "state")
              and not x.get("contradicts_version") for x in v),
          "recovery rework present (by type struct unmap_desc or the state), agreeing with the version",
          f"got {[(x['presence'], x['method_detail']) for x in v]}")
    # The dump's own state first (a torn-down child the default run
    # finds), else the type of the same series; never the static symbol.
    check("recovery rework (43873af772f8): present (type struct unmap_desc, from 5b6626a76a81 of the same series)" in text
          or "recovery rework (43873af772f8): present (empty tree with both flags and no task)" in text,
          "text: recovery rework present (the state or type struct unmap_desc of the same series), id verified")
elif key < (6, 8):
    states = [s for s in m.get("states", []) if s.get("kind") == "failed-fork"]
    # Only where there is a failed fork to look at (all([]) is true).
    if states:
        check(all(not s.get("xa_zero") and not s.get("oom_skip") and not s.get("unstable") for s in states),
              f"manifest: the {len(states)} failed fork(s) of this kernel hold no XA_ZERO and no flags",
              f"states {[(s['mm'], s.get('xa_zero'), s.get('flags')) for s in states]}")
    # Said once: by the failed fork's own verdict when the dump holds one
    # (its prefix paragraph), else by the kernel's posture.
    want = "failed-fork-prefix" if states else "fork-recovery"
    v = verdicts(r, want, "mt-dup-fork")
    check(len(v) == 1 and v[0]["presence"] == "absent" and v[0]["method"] == "symbol"
          and v[0]["method_detail"] == "no symbol __mt_dup"
          and ("No XA_ZERO possible" in (v[0]["what"] or "")
               or "consistent prefix" in (v[0]["what"] or "")),
          f"no XA_ZERO possible on this kernel (no symbol __mt_dup), said by {want}",
          f"got {[(x['presence'], x['method']) for x in v]}")
    check(len(verdicts(r, None, "mt-dup-fork")) == 1,
          "the missing __mt_dup() is said once")
else:
    v = verdicts(r, None, "dup-mmap-recovery")
    check(bool(v) and all(x["presence"] == "absent" and x["method"] in ("type", "state") for x in v),
          "recovery rework absent on a 6.8-6.19 kernel (by type or state, never by a static symbol)",
          f"got {[(x['presence'], x['method_detail']) for x in v]}")

# ---- the states the capture produced ----
for s in m.get("states", []):
    mm = s.get("mm")
    cur = s.get("current") or {}
    raw_tail = m.get("log_tail") or ""
    if s.get("kind") == "failed-fork" and cur and "Out of memory" in raw_tail:
        # The capture's console ends in the OOM report of the failing
        # fork's task (current at the breakpoint).
        oom = log.get("oom") or {}
        check(oom.get("kind") == "oom" and oom.get("pid") == cur["pid"]
              and oom.get("comm") == cur["comm"] and "copy_process" in oom.get("trace", []),
              f"the OOM report of pid {cur['pid']} ({cur['comm']}) in copy_process is extracted",
              f"got {oom.get('kind')} pid {oom.get('pid')} {oom.get('comm')} trace {oom.get('trace')}")
        reachable = s.get("on_mmlist") or s.get("on_task_list") or s.get("tasks")
        rep = r if reachable else extra.get(mm)
        if rep is not None:
            v = [x for x in rep.get("verdicts", []) if (x.get("mm") or "") == mm
                 and x["problem"].startswith("failed-fork")]
            want = f"The log shows the allocation that failed: pid {cur['pid']} ({cur['comm']})"
            check(bool(v) and want in (v[0].get("evidence") or ""),
                  f"failed fork mm {mm}: the verdict names the failed allocation of pid {cur['pid']}",
                  f"got {[x.get('evidence') for x in v[:1]]}")
    if s.get("kind") == "failed-fork" and s.get("xa_zero"):
        flags = (s.get("oom_skip"), s.get("unstable"))
        want = {(True, True): ("present", "flags set"),
                (False, False): ("absent", "flags not set")}.get(flags)
        reachable = s.get("on_mmlist") or s.get("on_task_list") or s.get("tasks")
        rep = r if reachable else extra.get(mm)
        what = f"failed fork mm {mm}: 64c37e134b12 {want[0] if want else '?'} ({want[1] if want else '?'})"
        if rep is None:
            out("SKIP", what, "the child mm is on no task and no list: needs a deep scan or --mm, "
                "which the CLI does not offer yet" if not how else f"mmlife {how} failed")
            continue
        v = verdicts(rep, "failed-fork-marker", "64c37e134b12", mm)
        check(want is not None and len(v) == 1 and v[0]["presence"] == want[0]
              and v[0]["method"] == "state" and v[0]["method_detail"] == want[1]
              and v[0]["certain"] is True,
              what, f"got {[(x['presence'], x['method'], x['method_detail']) for x in v]}")
        v = verdicts(rep, "failed-fork-marker", "dup-mmap-recovery", mm)
        check(len(v) == 1 and v[0]["presence"] == "absent" and v[0]["method"] == "state",
              f"failed fork mm {mm}: the marker says the recovery rework is absent")
        if s.get("on_mmlist"):
            v = verdicts(rep, "failed-fork-marker", "1367da7eb875", mm)
            check(len(v) == 1 and "init_mm.mmlist" in (v[0].get("note") or ""),
                  f"failed fork mm {mm} on init_mm.mmlist: the swapoff fix names it")
        if rep is r:
            check(f"(64c37e134b12): {want[0]} ({want[1]})" in text,
                  f"text: 64c37e134b12 {want[0]} ({want[1]})")
    elif s.get("kind") == "failed-fork":
        # No marker: 6.1 (a prefix) or 7.x (torn down, empty tree).
        reachable = s.get("on_mmlist") or s.get("on_task_list") or s.get("tasks")
        rep = r if reachable else extra.get(mm)
        if key < (6, 8):
            what = f"failed fork mm {mm}: a prefix, no XA_ZERO possible (no __mt_dup)"
            if rep is None:
                out("SKIP", what, "the child mm is on no task and no list: needs a deep scan or --mm, "
                    "which the CLI does not offer yet" if not how else f"mmlife {how} failed")
                continue
            v = verdicts(rep, "failed-fork-prefix", "mt-dup-fork", mm)
            check(len(v) == 1 and v[0]["presence"] == "absent" and v[0]["method"] == "symbol",
                  what, f"got {[(x['presence'], x['method_detail']) for x in v]}")
        if key >= (7, 0):
            what = f"torn-down failed fork mm {mm}: recovery rework present"
            if rep is None:
                out("SKIP", what, "the child mm is on no task and no list: needs a deep scan or --mm, "
                    "which the CLI does not offer yet" if not how else f"mmlife {how} failed")
                continue
            v = verdicts(rep, "failed-fork-torn-down", "dup-mmap-recovery", mm)
            check(len(v) == 1 and v[0]["presence"] == "present", what,
                  f"got {[(x['presence'], x['method_detail']) for x in v]}")
    elif s.get("kind") == "empty-mm":
        # 9c70b2a33cd2 by version (the 6.12 release announcement, and the
        # 6.6.60 and 6.11.7 stable-review mails): first in v6.12, stable
        # 6.6.60 and 6.11.7; the code is
        # the only evidence, so the version decides and is not certain.
        # The version is the package's (Debian X.Y.Z), else the release.
        vs = re.search(r"Debian (\d+)\.(\d+)\.(\d+)", kernel.get("version_string", "")) \
            or re.match(r"(\d+)\.(\d+)\.(\d+)", kernel["release"])
        ver = tuple(int(x) for x in vs.groups())
        stable = {(6, 6): 60, (6, 11): 7}
        want = "present" if ver[:2] >= (6, 12) or ver[2] >= stable.get(ver[:2], 1 << 30) else "absent"
        v = verdicts(r, "empty-live-mm", "9c70b2a33cd2", mm)
        check(len(v) == 1 and v[0]["presence"] == want and v[0]["method"] == "version"
              and v[0]["certain"] is False,
              f"empty live mm {mm}: the task_numa_work() fix 9c70b2a33cd2 {want} by version only "
              f"({'.'.join(map(str, ver))}), not certain",
              f"got {[(x['presence'], x['method'], x['certain']) for x in v]}")
EOF
	rc=$?
	# In this shell, so that the test numbers run on across dumps.
	tap <"$tmp/results"
	[ $rc -eq 0 ] || notok "$name: the checker ran (status $rc)"
}

found=0
# dumps (lib/common.sh) unpacks a vmcore.xz once into the cache.
for name in $(dumps); do
	found=1
	check_dump "$name" "vmcores/$name/manifest.json" "vmcores/$name/vmcore"
	rm -f "$tmp"/x-*.json
done
[ $found -eq 1 ] || skip "verdict tests" "no dumps in vmcores/"
exit 0
