#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/scan.py: what `mmlife scan` costs beyond the analysis it runs.

Side by side in one run, on the same files, page cache warm (each file is
read once first), medians of REPS runs:
  - `mmlife --json DUMP` (the CLI), `mmlife scan` of that one dump, and
    `mmlife scan --hash` (the whole-file SHA-256 beside the analysis);
  - the resume of an unchanged archive of N hard links of one dump.
Dumps: the arguments, else a kdump (zlib) fixture, the 65 MB ELF fixture,
and that ELF padded (sparse) to PAD_GIB GiB: a file as large as a big
guest's ELF dump whose extra bytes no one but --hash reads.

  B=build REPS=3 PAD_GIB=8 RESUME_FILES=10000 python3 bench/scan.py [DUMP...]

Prints a Markdown report (bench/SCAN.md is one).
"""
import os, shutil, sqlite3, statistics, subprocess, sys, tempfile, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
mmlife = os.path.join(top, os.environ.get("B", "build"), "mmlife")
reps = int(os.environ.get("REPS", "3"))
pad_gib = int(os.environ.get("PAD_GIB", "8"))
nres = int(os.environ.get("RESUME_FILES", "10000"))


def wall(argv):
    t = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - t


def median(argv):
    return statistics.median(wall(argv) for _ in range(reps))


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


def fixture(kind):
    for d in sorted(os.listdir(os.path.join(top, "vmcores"))):
        p = os.path.join(top, "vmcores", d, "vmcore")
        try:
            with open(p, "rb") as f:
                if f.read(8).startswith(kind):
                    return os.path.realpath(p), d
        except OSError:
            pass
    return None, None


def dumps(tmp):
    if sys.argv[1:]:
        return [(p, os.path.basename(p)) for p in sys.argv[1:]]
    out = []
    k, kd = fixture(b"KDUMP   ")
    if k:
        out.append((k, "kdump fixture `%s`" % kd))
    e, ed = fixture(b"\x7fELF")
    if e:
        out.append((e, "ELF fixture `%s`" % ed))
        padded = os.path.join(tmp, "padded.vmcore")
        shutil.copyfile(e, padded)
        os.truncate(padded, pad_gib << 30)
        out.append((padded, "ELF fixture padded (sparse) to %d GiB" % pad_gib))
    return out


def one_dump(tmp, path, what):
    warm(path)
    scan = [mmlife, "scan", "-q", "-j", "1", "--no-db", "-o", "/dev/null", path]
    cli = median([mmlife, "--json", path])
    sc = median(scan)
    sh = median(scan[:2] + ["--hash"] + scan[2:])
    size = os.path.getsize(path)
    return "| %s | %.0f MB | %.3f s | %.3f s (%.2f×) | %.3f s (%.2f×) |" % (
        what, size / 1e6, cli, sc, sc / cli, sh, sh / cli)


def resume(tmp, path):
    arch = os.path.join(tmp, "archive")
    os.mkdir(arch)
    first = os.path.join(arch, "d00000.vmcore")
    shutil.copyfile(path, first)
    db = os.path.join(tmp, "resume.db")
    subprocess.run([mmlife, "scan", "-q", "--db", db, "-o", "/dev/null", first],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for i in range(1, nres):
        os.link(first, os.path.join(arch, "d%05d.vmcore" % i))
    # The database a first scan would have left: the stored row once per
    # link (the analysis of N copies of one dump would take hours here).
    # The links share the inode, so they share its stat.
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
    c.executemany("insert into dumps(%s) values(%s)" % (
        ",".join(cols), ",".join("?" * len(cols))), rows)
    c.commit()
    c.execute("pragma wal_checkpoint(TRUNCATE)")
    c.close()
    # Twice: linking gave the inode a new ctime, so the first resume
    # compares each file's header fingerprint and stores the new stat; the
    # second finds every stat unchanged.
    out = []
    for _ in range(2):
        t = time.monotonic()
        p = subprocess.run([mmlife, "scan", "--db", db, "-o", "/dev/null",
                            arch], stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True)
        el = time.monotonic() - t
        unchanged = [l.split()[-1] for l in p.stderr.splitlines()
                     if l.strip().startswith("unchanged (already stored)")]
        out.append((el, unchanged[0] if unchanged else "?"))
    return out


def main():
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [one_dump(tmp, p, w) for p, w in dumps(tmp)]
        k, _ = fixture(b"KDUMP   ")
        res = resume(tmp, k) if k and nres > 0 else None
    load1 = os.getloadavg()
    print("# mmlife scan against the CLI\n")
    print("Generated by `python3 bench/scan.py` (%d CPUs, load average %.2f "
          "→ %.2f over the run; %s). Walls are medians of %d runs, page "
          "cache warm; `scan` runs one worker (`-j 1`) and no database.\n" % (
              os.cpu_count(), load0[0], load1[0],
              time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), reps))
    print("| dump | size | CLI `mmlife --json` | `mmlife scan` (ratio) | "
          "`mmlife scan --hash` (ratio) |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(r)
    if res:
        print("\nResume of an archive of %d files (hard links of the kdump "
              "fixture, their rows stored by a first scan):\n" % nres)
        print("| resume | wall | unchanged |\n|---|---|---|")
        print("| every stat unchanged: no dump opened | **%.2f s** | %s |" %
              res[1])
        print("| every ctime new (the links): each header's fingerprint "
              "read and compared | %.2f s | %s |" % res[0])


main()
