# SPDX-License-Identifier: GPL-2.0-or-later
"""report_targets.py: the rows of bench/RESULTS.md's Targets table for
issue 20 (the extension's first and second run, the CLI against its page
floor, the CLI against drgn), each beside the target it is held to, met or
missed computed from this run's numbers. A row is (issue, target, dump,
held to, met: True, False or None when not measured, what was measured).
Imported by bench/report.py."""
from report_ext import fmt, load_of, ms


def ratio(a, b):
    return a / b if (a is not None and b) else None


def x(v, f="%.2f×"):
    return f % v if v is not None else "n/a"


def ext_rows(label, r, base, base_cpu, base_name):
    """The extension's targets on one dump: r has med/group (a Run or Rows);
    base the CLI's warm wall and CPU time on the same dump."""
    t = []
    for sfx, how in (("", "layout cache filled by the CLI"),
                     ("-nocache", "empty layout cache: a kernel build neither the CLI nor crash has met")):
        fe, fec = r.med("crash-foreach-vm" + sfx), r.med("crash-foreach-vm" + sfx, "cpu_s")
        for n, lim in ((1, 1.5), (2, 1.2)):
            p = "crash-ext-%d%s" % (n, sfx)
            g = r.group(p)
            what = ("%s `mmlife` in a crash session ≤ %.1f× the CLI's warm run (%s)" % (
                "1st" if n == 1 else "2nd", lim, how), label, "≤ %.1f× %s" % (lim, base_name))
            if not g or not base:
                t.append(("20",) + what + (None, "not measured in this run (%s; see the run's log)" % (
                    "no CLI run" if not base else "the crash session did not reach its last mark")))
                continue
            s, c = r.med(p), r.med(p, "cpu_s")
            ld, busy = load_of(g)
            rw, rc = ratio(s, base), ratio(c, base_cpu)
            bycpu = busy and rc is not None
            key = rc if bycpu else rw
            t.append(("20",) + what + (key is not None and key <= lim,
                "%swall %s (%s vs CLI %s), CPU %s (%s vs %s); `foreach vm` in the same session: wall %s, CPU %s; "
                "%d session(s); load %s" % (
                    "under load, by CPU: " if bycpu else "under load, by wall (no CPU time recorded): " if busy
                    else "by wall: ",
                    x(rw), ms(s), ms(base), x(rc), ms(c), ms(base_cpu), ms(fe), ms(fec), len(g), ld)))
    return t


def single(run):
    """The CLI's single-threaded warm row (no read-ahead thread), or the
    default one in runs that did not record it."""
    return "cli-btf-warm-st" if run.group("cli-btf-warm-st") else "cli-btf-warm"


def floor_row(run):
    """The CLI against its own page path replaying the same pages: the
    single-threaded CLI (the floor has no read-ahead either)."""
    st = single(run)
    b, bc = run.med(st), run.med(st, "cpu_s")
    fk, fkc = run.med("floor-kpages"), run.med("floor-kpages", "cpu_s")
    ci, cf = run.ci, run.callgrind("callgrind-floor-kpages.out")
    if not (b and fk):
        return [("20", "CLI within 1.2× of its own page path replaying the same pages (`floor --kpages`)", run.v,
                 "≤ 1.2×", None, "not measured in this run")]
    ri, rc, rw = ratio(ci, cf), ratio(bc, fkc), ratio(b, fk)
    key, by = (ri, "instructions") if ri is not None else (rc, "CPU") if rc is not None else (rw, "wall")
    ld, _ = load_of(run.group(st) + run.group("floor-kpages"))
    rows = [("20", "CLI within 1.2× of its own page path replaying the same pages (`floor --kpages`)", run.v,
             "≤ 1.2×, in instructions (callgrind); CPU and wall beside", key <= 1.2,
             "`--json` (every mm in the report), single-threaded, by %s: instructions %s (%s vs %s), CPU %s (%s vs %s), "
             "wall %s (%s vs %s); load %s" % (
                 by, x(ri, "%.3f×"), format(ci, ",") if ci else "n/a", format(cf, ",") if cf else "n/a",
                 x(rc), fmt(bc), fmt(fkc), x(rw), fmt(b), fmt(fk), ld))]
    # The default run (the text report, what users type), by instructions.
    ct = run.callgrind("callgrind-text.out")
    rt = ratio(ct, cf)
    if rt is not None:
        rows.append(("20", "CLI within 1.2× of its own page path replaying the same pages (`floor --kpages`)",
                     run.v, "≤ 1.2×, in instructions (callgrind)", rt <= 1.2,
                     "the default run (text report): instructions %s (%s vs %s)" % (
                         x(rt, "%.3f×"), format(ct, ","), format(cf, ","))))
    return rows


def drgn_row(run):
    """The CLI against drgn's for_each_vma walk, wall time, CPU beside:
    the default CLI run (the walks split among the CPUs), the read-ahead
    thread's and one thread's beside it."""
    b, bc = run.med("cli-btf-warm"), run.med("cli-btf-warm", "cpu_s")
    st = run.group("cli-btf-warm-ra")
    sb, sbc = run.med("cli-btf-warm-ra"), run.med("cli-btf-warm-ra", "cpu_s")
    g = run.drgn
    if not (b and g):
        return [("20", "CLI ≥ 20× drgn's `for_each_vma` walk, wall time (CPU beside)", run.v, "≥ 20×, wall", None,
                 "not measured in this run (drgn's run failed: see drgn-1.err)")]
    dw, dc = run.med("drgn"), run.med("drgn", "cpu_s")
    ld, busy = load_of(run.group("cli-btf-warm") + st + run.group("drgn"))
    rwalk = g["walk_s"] / b
    single_txt = ("; with the read-ahead thread (`MMLIFE_READAHEAD=1`, off by default): %s, CPU %s: %.1f×" % (
        fmt(sb), fmt(sbc), g["walk_s"] / sb) if (st and sb) else
        "; no read-ahead run recorded")
    tb, tbc = run.med("cli-btf-warm-st"), run.med("cli-btf-warm-st", "cpu_s")
    if tb:
        single_txt += "; one thread (`--threads=1`): %s, CPU %s: %.1f×" % (
            fmt(tb), fmt(tbc), g["walk_s"] / tb)
    return [("20", "CLI ≥ 20× drgn's `for_each_vma` walk, wall time (CPU beside)", run.v,
             "≥ 20×, wall", rwalk >= 20,
             "drgn's walk alone %s (after %s of `load_debug_info`) vs the CLI's whole run %s (CPU %s%s): "
             "%.1f×%s; "
             "whole processes: wall %s (%s vs %s), CPU %s (%s vs %s); "
             "%d drgn run(s); load %s%s" % (
                 fmt(g["walk_s"]), fmt(g["load_s"]), fmt(b), fmt(bc),
                 "; the default run: the walks split among the CPUs" if st else "",
                 rwalk, single_txt,
                 x(ratio(dw, b), "%.1f×"), fmt(dw), fmt(b),
                 x(ratio(dc, bc), "%.1f×"), fmt(dc), fmt(bc), len(run.group("drgn")), ld,
                 " (under load: the wall ratio is noisy)" if busy else ""))]


def issue20(runs, ext):
    """Every issue 20 row: the extension on the small dumps and the bench
    dump, the floor and drgn on the bench dump."""
    t = []
    if not ext.dumps:
        t.append(("20", "1st and 2nd `mmlife` in crash against the CLI, on a small dump", "fixtures", "≤ 1.5×, ≤ 1.2×",
                  None, "not measured in this run (`BENCH_EXT_DUMPS` empty)"))
    for n, r in ext.dumps:
        t += ext_rows("`%s`" % n, r, r.med("cli-warm"), r.med("cli-warm", "cpu_s"), "CLI `mmlife DUMP`, warm")
    # against the single-threaded CLI: the extension has no read-ahead
    for run in runs:
        t += ext_rows("bench, %s" % run.v, run, run.med(single(run)), run.med(single(run), "cpu_s"),
                      "CLI `--json --types=btf`, warm, single-threaded")
    for run in runs:
        t += floor_row(run)
    for run in runs:
        t += drgn_row(run)
    return t
