# SPDX-License-Identifier: GPL-2.0-or-later
"""report_scan.py: bench/RESULTS.md's section on `mmlife scan` (issue 18's
targets), from bench/scan-bench.sh's records (RUNDIR/scan/results.jsonl);
imported by bench/report.py."""
import json
import os
import re
import statistics

LABELS = {"zlib": "`vmcore` (kdump, zlib)", "plain": "`vmcore-plain` (kdump, uncompressed)",
          "elf8g": "`elf8g` (ELF, 8 GB guest)"}
from report_ext import BUSY  # noqa: E402 (the 1-min load average above which a row was taken under load)


def fmt(v):
    if v is None:
        return "n/a"
    if v < 0.1:
        return "%.1f ms" % (v * 1000)
    return "%.3f s" % v if v < 10 else "%.1f s" % v


class Scan:
    def __init__(self, rundir):
        self.dir = os.path.join(rundir, "scan")
        p = os.path.join(self.dir, "results.jsonl")
        self.rows = [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []
        self.dumps = [d for d in LABELS if self.group("one-%s-cli" % d)]

    def group(self, prefix):
        return [r for r in self.rows if re.fullmatch(re.escape(prefix) + r"(-\d+)?", r["name"])]

    def med(self, prefix, key="s"):
        g = [r[key] for r in self.group(prefix) if key in r]
        return statistics.median(g) if g else None

    def instr(self, d, kind):
        """callgrind's instruction count of the CLI or the scan on dump d."""
        g = [r for r in self.rows if r["name"] == "one-%s-%s-instr" % (d, kind)]
        return g[0]["instr"] if g and g[0]["instr"] else None

    def load(self, prefix):
        """The 1-min load averages of a group's rows: 'a–b', and whether busy."""
        ls = sorted(float(r["load"].split()[0]) for r in self.rows if r["name"].startswith(prefix))
        if not ls:
            return "", False
        a, b = "%.1f" % ls[0], "%.1f" % ls[-1]
        return (a if a == b else "%s–%s" % (a, b)), ls[-1] > BUSY

    def describe(self, d):
        """What the CLI and the scan made of dump d (their exit codes and reports)."""
        def load(f):
            try:
                return json.load(open(os.path.join(self.dir, f)))
            except Exception:
                return {}
        rep, c = load("one-%s.json" % d), self.group("one-%s-check" % d)
        cnt, dm = rep.get("counts", {}), rep.get("dump", {})
        try:
            sc = [json.loads(l) for l in open(os.path.join(self.dir, "one-%s-scan.jsonl" % d)) if l.strip()]
        except Exception:
            sc = []
        txt = "%s, %s; the CLI exits %s: %s tasks, %s mms, %s VMAs, %s findings, %s pages read; the scan's record: %s" % (
            dm.get("format", "?"), dm.get("release", "?"), c[0]["rc"] if c else "?", cnt.get("tasks", "?"),
            cnt.get("mms", "?"), cnt.get("vmas", "?"), cnt.get("findings", "?"), cnt.get("pages_read", "?"),
            "status `%s`" % sc[0].get("status") if sc else "none")
        st = load("%s-stamp.json" % d)
        if st:
            txt += ". Made by `bench/gen-elf8g.sh`: QEMU TCG, %d MB of RAM, booted to its shell (no workload) in " \
                   "%d s, `dump-guest-memory` (ELF) in %d s; %.0f MB, %.0f MB of it on disk (the zero pages made holes)" % (
                       st["mem_mb"], st["boot_seconds"], st["dump_seconds"], st["size"] / 1e6, st["disk_bytes"] / 1e6)
        return txt

    def report(self, nproc):
        """The section's lines."""
        if not self.rows:
            return []
        out = []
        w = out.append
        busy = any(float(r["load"].split()[0]) > BUSY for r in self.rows)
        w("## `mmlife scan` against the CLI (issue 18)")
        w("")
        w("`bench/scan-bench.sh` (`bench/scan.py`), in the same run. Page cache and layout cache warm; "
          "`scan` runs one worker (`-j 1`) and no database (`--no-db`); the CLI is `mmlife --json DUMP`. "
          "CPU is user+sys of the process and of every child it waited for (`wait4`), so a scan's worker "
          "counts. Medians of interleaved runs, as many on each dump as make about 2 s (%s; `--hash` %d). "
          "The last column is the 1-minute load average over the rows, on %d CPUs.%s" % (
              ", ".join("%s %d" % (d, len(self.group("one-%s-cli" % d))) for d in self.dumps),
              max([len(self.group("one-%s-hash" % d)) for d in self.dumps] or [0]), nproc,
              " **Taken under load** (other jobs on the machine, load above %.1f): wall times are noisy and "
              "the ratios that decide the targets are CPU ratios; the wall ratios are beside them." % BUSY
              if busy else ""))
        w("")
        for d in self.dumps:
            w("- %s: %s." % (LABELS[d], self.describe(d)))
        w("")
        w("| dump | size | CLI wall | CLI CPU | `scan` wall | `scan` CPU | `scan`/CLI CPU | `scan`/CLI wall "
          "| `scan --hash` wall | `--hash` CPU | `--hash`/CLI CPU | CLI instructions | `scan` instructions "
          "(parent + worker) | `scan`/CLI instructions | load |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        for d in self.dumps:
            c, cc = self.med("one-%s-cli" % d), self.med("one-%s-cli" % d, "cpu_s")
            s, sc = self.med("one-%s-scan" % d), self.med("one-%s-scan" % d, "cpu_s")
            h, hc = self.med("one-%s-hash" % d), self.med("one-%s-hash" % d, "cpu_s")
            size = self.group("one-%s-cli" % d)[0].get("size", 0)
            ic, isc = self.instr(d, "cli"), self.instr(d, "scan")
            w("| %s | %.0f MB | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                LABELS[d], size / 1e6, fmt(c), fmt(cc), fmt(s), fmt(sc),
                "%.2f×" % (sc / cc) if (sc and cc) else "n/a", "%.2f×" % (s / c) if (s and c) else "n/a",
                fmt(h), fmt(hc), "%.2f×" % (hc / cc) if (hc and cc) else "n/a",
                format(ic, ",") if ic else "n/a", format(isc, ",") if isc else "n/a",
                "%.3f×" % (isc / ic) if (ic and isc) else "n/a", self.load("one-%s" % d)[0]))
        w("")
        js = sorted({r["j"] for r in self.rows if r["name"].startswith("jscale-")})
        if js:
            g = self.group("jscale-j%d" % js[0])[0]
            w("`mmlife scan -j N --no-db` of one archive: %d dumps, %d hard links of each of the %d fixtures "
              "in `vmcores/` (17–21 MB kdump files, each analysed in a few tens of ms), interleaved, medians:" % (
                  g["dumps"], g["dumps"] // g["fixtures"], g["fixtures"]))
            w("")
            w("| -j | dumps | wall | CPU | dumps/s | throughput vs -j 1 | CPU per dump | load |")
            w("|---|---|---|---|---|---|---|---|")
            s1 = self.med("jscale-j%d" % js[0])
            for j in js:
                s, cp = self.med("jscale-j%d" % j), self.med("jscale-j%d" % j, "cpu_s")
                n = self.group("jscale-j%d" % j)[0]["dumps"]
                w("| %d | %d | %s | %s | %.1f | %.2f× | %.1f ms | %s |" % (
                    j, n, fmt(s), fmt(cp), n / s, s1 / s, cp / n * 1000, self.load("jscale-j%d" % j)[0]))
            w("")
        rs = {n: self.group(n) for n in ("resume-ctime", "resume-stat")}
        if all(rs.values()):
            f = rs["resume-stat"][0]["files"]
            w("Resume of an archive of %d files (hard links of one kdump fixture; their rows put in the "
              "database as a first scan would have stored them), `mmlife scan --db`:" % f)
            w("")
            w("| resume | wall | CPU | unchanged | load |")
            w("|---|---|---|---|---|")
            for n, what in (("resume-stat", "every stat unchanged: no dump opened"),
                            ("resume-ctime", "every ctime new (the links): each header's fingerprint read and compared")):
                r = rs[n][0]
                w("| %s | %s | %s | %s | %s |" % (what, fmt(r["s"]), fmt(r["cpu_s"]), r.get("unchanged", "?"),
                                                   r["load"].split()[0]))
            w("")
        return out

    def targets(self, nproc):
        """Rows of the Targets table: (target, dump, held to, met, measured)."""
        t = []
        for d in self.dumps:
            c, cc = self.med("one-%s-cli" % d), self.med("one-%s-cli" % d, "cpu_s")
            s, sc = self.med("one-%s-scan" % d), self.med("one-%s-scan" % d, "cpu_s")
            if not (c and s):
                continue
            ld, busy = self.load("one-%s" % d)
            key = sc / cc if (busy and sc and cc) else s / c
            ic, isc = self.instr(d, "cli"), self.instr(d, "scan")
            t.append(("`mmlife scan` of one dump ≤ 1.1× the CLI on it", LABELS[d],
                      "≤ 1.1× `mmlife --json`, wall (CPU under load)", key <= 1.1,
                      "%sCPU %.2f× (%s vs %s); wall %.2f× (%s vs %s; medians of %d runs each)%s; load %s" % (
                          "under load, by CPU: " if busy else "by wall: ",
                          sc / cc if (sc and cc) else 0, fmt(sc), fmt(cc), s / c, fmt(s), fmt(c),
                          len(self.group("one-%s-cli" % d)),
                          "; instructions %.3f× (%s vs %s)" % (isc / ic, format(isc, ","), format(ic, ","))
                          if (ic and isc) else "", ld)))
        js = sorted({r["j"] for r in self.rows if r["name"].startswith("jscale-")})
        if len(js) > 1:
            a, b = js[0], js[-1]
            sa, sb = self.med("jscale-j%d" % a), self.med("jscale-j%d" % b)
            ca, cb = self.med("jscale-j%d" % a, "cpu_s"), self.med("jscale-j%d" % b, "cpu_s")
            sp = sa / sb
            want = 0.8 * min(b, nproc)
            t.append(("`scan -j N` throughput scales up to the cores", "fixtures archive",
                      "-j %d ≥ %.1f× the throughput of -j %d (0.8 × the cores used)" % (b, want, a), sp >= want,
                      "wall: %.2f× the throughput of -j %d (%s vs %s); CPU %s vs %s (a CPU per dump that does not "
                      "grow means no serial part); load %s" % (sp, a, fmt(sb), fmt(sa), fmt(cb), fmt(ca),
                                                              self.load("jscale")[0])))
        r = self.group("resume-stat")
        if r:
            r = r[0]
            t.append(("resuming an unchanged archive of %d files takes seconds" % r["files"],
                      "fixture links", "≤ 10 s wall", r["s"] <= 10,
                      "%s wall, %s CPU (%s unchanged; every ctime new: %s); load %s" % (
                          fmt(r["s"]), fmt(r["cpu_s"]), r.get("unchanged", "?"),
                          fmt(self.group("resume-ctime")[0]["s"]) if self.group("resume-ctime") else "n/a",
                          r["load"].split()[0])))
        return t
