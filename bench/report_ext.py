# SPDX-License-Identifier: GPL-2.0-or-later
"""report_ext.py: bench/RESULTS.md's section on the crash extension on
small dumps (issue 20), from bench/ext_cpu.sh's records
(RUNDIR/ext/FIXTURE/results.jsonl); and the busy test every section uses.
Imported by bench/report.py."""
import json
import os
import re
import statistics

# 1-min load average above which a row counts as taken under load: the
# benchmark itself keeps about one CPU busy, its -j 2 steps two
BUSY = 1.5


def fmt(v):
    if v is None:
        return "n/a"
    return "%.3f s" % v if v < 10 else "%.1f s" % v


def ms(v):
    return "n/a" if v is None else "%.1f ms" % (v * 1e3)


def load_of(rows):
    """'a–b' of the rows' 1-min load averages, and whether any was busy."""
    ls = sorted(float(r["load"].split()[0]) for r in rows if "load" in r)
    if not ls:
        return "?", False
    a, b = "%.1f" % ls[0], "%.1f" % ls[-1]
    return (a if a == b else "%s–%s" % (a, b)), ls[-1] > BUSY


class Rows:
    """The records of one directory's results.jsonl, by name prefix."""

    def __init__(self, d):
        self.dir = d
        p = os.path.join(d, "results.jsonl")
        self.rows = [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []

    def group(self, prefix):
        return [r for r in self.rows if re.fullmatch(re.escape(prefix) + r"(-\d+)?", r["name"])]

    def med(self, prefix, key="s"):
        g = [r[key] for r in self.group(prefix) if r.get(key) is not None]
        return statistics.median(g) if g else None


class Ext:
    """bench/ext_cpu.sh's sessions on the small dumps."""

    def __init__(self, rundir):
        base = os.path.join(rundir, "ext")
        names = sorted(os.listdir(base)) if os.path.isdir(base) else []
        # every dump bench/run.sh asked for, measured or not (its directory
        # is made before anything is measured)
        self.dumps = [(n, Rows(os.path.join(base, n))) for n in names]

    def report(self):
        if not any(r.rows for _, r in self.dumps):
            return []
        out = []
        w = out.append
        w("## The crash extension on small dumps (issue 20)")
        w("")
        w("`bench/ext_cpu.sh` on fixtures of `vmcores/`, in the same run: crash 9.0.2 (forky chroot), one session "
          "per row group, `extend`, `mmlife > /dev/null` twice, `foreach vm > /dev/null`, sessions with the layout "
          "cache the CLI filled and with an empty one alternating. Each command's wall time (`date`) and CPU time "
          "(crash's threads' schedstat) between marks taken through `!`, a mark's own cost subtracted. The CLI: "
          "`mmlife DUMP > /dev/null`, warm layout cache, wall and user+sys. Medians of the runs counted in the table.")
        w("")
        w("| dump | what | runs | wall | CPU | wall / CLI | CPU / CLI | layout from | load |")
        w("|---|---|---|---|---|---|---|---|---|")
        for n, r in self.dumps:
            cw, cc = r.med("cli-warm"), r.med("cli-warm", "cpu_s")
            for label, p in (("CLI, warm", "cli-warm"),
                             ("1st `mmlife`, layout cache", "crash-ext-1"),
                             ("2nd `mmlife`, layout cache", "crash-ext-2"),
                             ("`foreach vm`", "crash-foreach-vm"),
                             ("1st `mmlife`, empty cache", "crash-ext-1-nocache"),
                             ("2nd `mmlife`, empty cache", "crash-ext-2-nocache"),
                             ("`foreach vm` (empty-cache session)", "crash-foreach-vm-nocache")):
                g = r.group(p)
                if not g:
                    continue
                s, c = r.med(p), r.med(p, "cpu_s")
                w("| `%s` | %s | %d | %s | %s | %s | %s | %s | %s |" % (
                    n, label, len(g), ms(s), ms(c),
                    "%.2f×" % (s / cw) if (s and cw) else "", "%.2f×" % (c / cc) if (c and cc) else "",
                    g[0].get("layout", ""), load_of(g)[0]))
        w("")
        return out
