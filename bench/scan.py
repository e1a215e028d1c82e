#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/scan.py OUTDIR LABEL=DUMP...: what `mmlife scan` costs beyond the
analysis it runs (issue 18's targets), for bench/run.sh (bench/scan-bench.sh).

Side by side in one run, page cache and layout cache warm, records in
OUTDIR/results.jsonl (the rows of bench/run.sh's `rec`: name, wall s,
cpu_s, rss_kb, rc, load; bench/report.py turns them into RESULTS.md):
  - one-LABEL-{cli,scan,hash}-I: `mmlife --json DUMP` (the CLI), `mmlife
    scan` of that one dump (-j 1, no database) and the same with --hash,
    interleaved, REPS times; the CLI's report is kept as one-LABEL.json;
    one-LABEL-{cli,scan}-instr: the instructions of each (callgrind, the
    scan's worker included);
  - jscale-j{1,2,...}-I: `mmlife scan -j N --no-db` of an archive of hard
    links of the fixtures (vmcores/*/vmcore, COPIES of each), N up to the
    CPUs, interleaved, REPS times;
  - resume-{ctime,stat}: resuming an archive of RESUME_FILES hard links of
    a kdump fixture whose rows a first scan stored.
CPU is user+sys of the process and every child it waited for (wait4), so
a scan's workers count.

  B=build BENCH_REPS=3 BENCH_SCAN_HASH=1 BENCH_CALLGRIND=1 BENCH_SCAN_COPIES=20
  BENCH_RESUME_FILES=10000
"""
import json, math, os, shutil, sqlite3, subprocess, sys, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
mmlife = os.path.join(top, os.environ.get("B", "build"), "mmlife")
reps = int(os.environ.get("BENCH_REPS", "3"))
copies = int(os.environ.get("BENCH_SCAN_COPIES", "20"))
nres = int(os.environ.get("BENCH_RESUME_FILES", "10000"))
out = os.path.abspath(sys.argv[1])
xdg = os.path.join(out, "xdg")
env = dict(os.environ, XDG_CACHE_HOME=xdg)
R = open(os.path.join(out, "results.jsonl"), "a")


def log(msg):
    print("[%s] scan: %s" % (time.strftime("%H:%M:%S", time.gmtime()), msg), file=sys.stderr, flush=True)


def run(name, argv, stdout=subprocess.DEVNULL, post=None, **extra):
    """Run argv, record its wall, CPU (its own and its children's) and peak
    RSS, and what post(stderr) returns."""
    t = time.monotonic()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t
    rec = {"name": name, "s": round(wall, 4), "load": " ".join("%.2f" % x for x in os.getloadavg()),
           "cpu_s": round(ru.ru_utime + ru.ru_stime, 4), "rss_kb": ru.ru_maxrss, "rc": p.returncode}
    rec.update(extra)
    if post:
        rec.update(post(err.decode(errors="replace")))
    R.write(json.dumps(rec) + "\n")
    R.flush()
    log("%s: %.3fs, CPU %.3fs, rc %d" % (name, wall, rec["cpu_s"], p.returncode))
    return rec, err.decode(errors="replace")


def warm(path):
    subprocess.run(["cat", path], stdout=subprocess.DEVNULL, check=False)


def one_dump(label, path):
    """The CLI and a scan of one dump, interleaved (load changes under both alike)."""
    log("one dump: %s (%s, %.0f MB)" % (label, path, os.path.getsize(path) / 1e6))
    warm(path)
    size = {"size": os.path.getsize(path)}
    # one thread, as each of the scan's workers walks (issue 18's target
    # compares the two)
    cli = [mmlife, "--json", "--threads=1", path]
    scan = [mmlife, "scan", "-q", "-j", "1", "--no-db", "-o", "/dev/null", path]
    with open(os.path.join(out, "one-%s.json" % label), "w") as f:  # warms the layout cache too
        r, err = run("one-%s-check" % label, cli, stdout=f, **size)
    with open(os.path.join(out, "one-%s.err" % label), "w") as f:
        f.write(err)
    with open(os.path.join(out, "one-%s-scan.jsonl" % label), "w") as f:
        run("one-%s-scancheck" % label, scan[:-2] + ["-", path], stdout=f, **size)
    # On a dump analysed in milliseconds one run more or less of the
    # scheduler moves a median of three by 10 %, the target's margin: run
    # each side until it has taken about 2 s (at least BENCH_REPS times, at
    # most 41). --hash, which reads the whole file, BENCH_REPS times.
    n = max(reps, min(41, math.ceil(2.0 / max(r["s"], 0.001))))
    for i in range(1, n + 1):
        run("one-%s-cli-%d" % (label, i), cli, **size)
        run("one-%s-scan-%d" % (label, i), scan, **size)
        if i <= reps and os.environ.get("BENCH_SCAN_HASH", "1") == "1":
            run("one-%s-hash-%d" % (label, i), scan[:2] + ["--hash"] + scan[2:], **size)
    if os.environ.get("BENCH_CALLGRIND", "1") == "1" and shutil.which("valgrind"):
        # no address-space limit and no timeout for the worker under valgrind
        callgrind(label, "cli", cli)
        callgrind(label, "scan", scan[:2] + ["--mem-limit", "0", "--timeout", "0"] + scan[2:])


def callgrind(label, kind, argv):
    """Instructions of argv and of every process it starts, one callgrind
    file each: the count that a busy machine does not change. The scan's
    worker is a fork that does not exec (cli/batch/batch_child.c), and a
    forked process's callgrind counts start from its parent's at the fork:
    --zero-before=batch_child_run (the first thing the worker runs) drops
    them, so parent + worker counts each instruction once. Not for --hash,
    whose analysis forks again from the worker. --trace-children for a
    worker that execs (MMLIFE_SCAN_CHILD=PROGRAM in the environment)."""
    cg = os.path.join(out, "callgrind")
    os.makedirs(cg, exist_ok=True)
    pre = os.path.join(cg, "%s-%s." % (label, kind))
    subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                    "--zero-before=batch_child_run",
                    "--callgrind-out-file=" + pre + "%p"] + argv,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    n, procs = 0, 0
    for f in os.listdir(cg):
        if f.startswith(os.path.basename(pre)):
            for l in open(os.path.join(cg, f)):
                if l.startswith("summary:") or l.startswith("totals:"):
                    n += int(l.split()[1])
                    procs += 1
                    break
    R.write(json.dumps({"name": "one-%s-%s-instr" % (label, kind), "instr": n, "procs": procs,
                        "load": " ".join("%.2f" % x for x in os.getloadavg())}) + "\n")
    R.flush()
    log("%s %s: %d instructions in %d processes" % (label, kind, n, procs))


def fixtures():
    fx = []
    for d in sorted(os.listdir(os.path.join(top, "vmcores"))):
        p = os.path.join(top, "vmcores", d, "vmcore")
        if os.path.isfile(p):
            fx.append(os.path.realpath(p))
    return fx


def jscale():
    """-j 1 .. -j nproc on one archive of hard links of the fixtures."""
    fx = fixtures()
    if not fx:
        log("no fixtures in vmcores/: no -j scaling")
        return
    arch = os.path.join(out, "jarchive")
    shutil.rmtree(arch, ignore_errors=True)
    os.makedirs(arch)
    for k in range(copies):
        for i, p in enumerate(fx):
            q = os.path.join(arch, "c%03d-%02d.vmcore" % (k, i))
            try:
                os.link(p, q)
            except OSError:  # another file system
                shutil.copyfile(p, q)
    n = copies * len(fx)
    for p in fx:
        warm(p)
    # once untimed: each fixture's kernel layout into the cache
    subprocess.run([mmlife, "scan", "-q", "--no-db", "-o", "/dev/null"] + fx,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    js = list(range(1, (os.cpu_count() or 1) + 1))
    if len(js) == 1:
        js.append(2)
    log("-j scaling: %d dumps (%d fixtures x %d), -j %s" % (n, len(fx), copies, " ".join(map(str, js))))
    for i in range(1, reps + 1):
        for j in js:
            run("jscale-j%d-%d" % (j, i), [mmlife, "scan", "-q", "-j", str(j), "--no-db", "-o", "/dev/null", arch],
                dumps=n, fixtures=len(fx), j=j)
    shutil.rmtree(arch)


def resume():
    """Resume of an archive of nres hard links of one kdump fixture."""
    fx = [p for p in fixtures() if open(p, "rb").read(8) == b"KDUMP   "]
    if not fx or nres <= 0:
        log("no resume (BENCH_RESUME_FILES=0, or no kdump fixture)")
        return
    arch = os.path.join(out, "rarchive")
    shutil.rmtree(arch, ignore_errors=True)
    os.makedirs(arch)
    first = os.path.join(arch, "d00000.vmcore")
    shutil.copyfile(fx[0], first)
    db = os.path.join(out, "resume.db")
    for p in (db, db + "-wal", db + "-shm"):
        if os.path.exists(p):
            os.unlink(p)
    subprocess.run([mmlife, "scan", "-q", "--db", db, "-o", "/dev/null", first],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for i in range(1, nres):
        os.link(first, os.path.join(arch, "d%05d.vmcore" % i))
    # The database a first scan of the archive would have left: the stored
    # row once per link (analysing 10,000 copies would take an hour here).
    c = sqlite3.connect(db)
    cols = [r[1] for r in c.execute("pragma table_info(dumps)") if r[1] != "id"]
    row = c.execute("select %s from dumps" % ",".join(cols)).fetchone()
    pi, ri = cols.index("path"), cols.index("rel")
    rows = []
    for i in range(1, nres):
        r = list(row)
        r[pi] = os.path.join(arch, "d%05d.vmcore" % i)
        r[ri] = "d%05d.vmcore" % i
        rows.append(r)
    c.executemany("insert into dumps(%s) values(%s)" % (",".join(cols), ",".join("?" * len(cols))), rows)
    c.commit()
    c.execute("pragma wal_checkpoint(TRUNCATE)")
    c.close()
    # Twice: linking gave the inode a new ctime, so the first resume reads
    # and compares each file's header fingerprint and stores the new stat;
    # the second finds every stat unchanged and opens no dump.
    def unchanged(err):
        n = [l.split()[-1] for l in err.splitlines() if l.strip().startswith("unchanged (already stored)")]
        return {"unchanged": int(n[0])} if n and n[0].isdigit() else {}

    for name in ("resume-ctime", "resume-stat"):
        run(name, [mmlife, "scan", "--db", db, "-o", "/dev/null", arch], post=unchanged, files=nres)
    shutil.rmtree(arch)


def main():
    os.makedirs(xdg, exist_ok=True)
    for a in sys.argv[2:]:
        label, path = a.split("=", 1)
        if os.path.exists(path):
            one_dump(label, path)
        else:
            log("%s: no dump at %s" % (label, path))
    jscale()
    resume()


main()
