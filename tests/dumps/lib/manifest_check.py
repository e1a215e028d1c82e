# SPDX-License-Identifier: GPL-2.0-or-later
"""manifest_check.py VMCORES NAME REPORT.json MODE DEEP

The CLI's own --json against the ground truth of one fixture: the manifest
(what gdb read) and drgn-facts.json (what drgn read; the manifest lacks
per-mm node counts, heights, mm_count and ma_root). Never against mmlife's
own output. Prints "ok|what|why" / "not ok|what|why" lines.
"""
import sys

import expect
import truth

vmcores, name, rpath, mode, deep = sys.argv[1:6]
deep = deep == "1"
m, facts = truth.load(vmcores, name)
res = []
tag = f"{name} ({mode}{', deep' if deep else ''})"


def check(ok, what, why=""):
    res.append(("ok" if ok else "not ok", f"{tag}: {what}", str(why)))


def ev(f):
    e = f.get("evidence", {})
    return e if isinstance(e, dict) else {x.get("key"): x.get("value") for x in e}


def h(x):
    return None if x is None else int(str(x), 16)


def main():
    import json
    try:
        r = json.load(open(rpath))
    except Exception as e:  # noqa: BLE001
        check(False, "mmlife --json gives a report", e)
        return
    check(r["dump"].get("type_source") == mode, f"types from {mode}", r["dump"].get("type_source"))
    mms = {h(x["address"]): x for x in r["mms"]}
    known = truth.known_mms(m, deep)
    want = truth.counts(m, facts, deep)
    c = r["counts"]
    for k in ("tasks", "thread_groups", "kthreads"):
        check(c.get(k) == want[k], f"counts.{k} {want[k]} (manifest; init_task counted)", f"got {c.get(k)}")
    missing = [hex(a) for a in known if a not in mms]
    check(not missing, f"every one of the {len(known)} mms the manifest says this run reaches is reported",
          f"missing {missing[:5]}")
    # Beyond the manifest's mms, a deep scan also finds mm_structs no task
    # and no list holds (the slab): those, and only those, may be extra.
    extra = {a: x for a, x in mms.items() if a not in known}
    bad = [hex(a) for a, x in extra.items() if x.get("sources") != ["slab"] or x.get("tasks")]
    check(not bad, f"the report's other {len(extra)} mms are slab-only, with no task",
          f"reached otherwise: {bad[:5]}")
    xv = sum(x["tree"]["vmas"] for x in extra.values())
    xn = sum(x["tree"]["nodes"] for x in extra.values())
    more = f" + {len(extra)} slab-only" if extra else ""
    check(c.get("mms") == want["mms"] + len(extra), f"counts.mms {want['mms']}{more}", f"got {c.get('mms')}")
    check(c.get("vmas") == want["vmas"] + xv, f"counts.vmas {want['vmas']} (manifest){more}",
          f"got {c.get('vmas')}")
    if "nodes" in want:
        check(c.get("nodes") == want["nodes"] + xn, f"counts.nodes {want['nodes']} (drgn-facts){more}",
              f"got {c.get('nodes')}")
    else:
        check(False, "counts.nodes", f"no vmcores/{name}/drgn-facts.json (vmcores/gen/drgn-facts.sh)")
    task_mms(mms)
    for s in m.get("states", []):
        if truth.reached(s, deep):
            state(mms.get(h(s["mm"])), s)


def field_check(what, recs, mms, get_want, get_got):
    bad = []
    for rec in recs:
        x = mms.get(h(rec["mm"]))
        w = get_want(rec)
        g = get_got(x) if x else "missing"
        if w != g:
            bad.append(f"{rec['mm']}: want {w} got {g}")
    check(not bad, f"all {len(recs)} task mms: {what}", "; ".join(bad[:3]))


def task_mms(mms):
    recs = m.get("mm_list", [])
    f = (facts or {}).get("mms", {})
    field_check("flags", recs, mms, lambda r: h(r["flags"]), lambda x: h(x["flags"]))
    field_check("map_count", recs, mms, lambda r: r["map_count"], lambda x: x["map_count"])
    field_check("mm_users", recs, mms, lambda r: r["mm_users"], lambda x: x["mm_users"])
    field_check("ma_flags", recs, mms, lambda r: h(r["ma_flags"]), lambda x: h(x["ma_flags"]))
    field_check("tree entries", recs, mms, lambda r: r["entries"], lambda x: x["tree"]["entries"])
    field_check("VMAs (child_vmas)", recs, mms, lambda r: r["child_vmas"], lambda x: x["tree"]["vmas"])
    field_check("foreign entries (other_entries)", recs, mms, lambda r: r["other_entries"],
                lambda x: x["tree"]["foreign"])
    field_check("XA_ZERO entries", recs, mms, lambda r: r["xa_zero_count"], lambda x: x["tree"]["xa_zero"])
    field_check("owning pids", recs, mms, lambda r: sorted(r["tasks"]),
                lambda x: sorted(t["pid"] for t in x["tasks"]))
    field_check("on init_mm.mmlist", recs, mms, lambda r: r["on_mmlist"],
                lambda x: "mmlist" in x.get("sources", []))
    if not f:
        check(False, "task mms: mm_count, ma_root, nodes, height", f"no vmcores/{name}/drgn-facts.json")
        return
    field_check("mm_count (drgn)", recs, mms, lambda r: f[r["mm"]]["mm_count"], lambda x: x["mm_count"])
    field_check("ma_root (drgn)", recs, mms, lambda r: h(f[r["mm"]]["ma_root"]), lambda x: h(x["ma_root"]))
    field_check("tree nodes (drgn)", recs, mms, lambda r: f[r["mm"]]["nodes"], lambda x: x["tree"]["nodes"])
    field_check("tree height (drgn: ma_flags)", recs, mms, lambda r: f[r["mm"]]["height"],
                lambda x: x["tree"]["height"])
    field_check("tree depth (drgn's walk)", recs, mms, lambda r: f[r["mm"]]["max_depth"],
                lambda x: x["tree"]["depth"])


def state(x, s):
    mm = s["mm"]
    w = f"{s['kind']} mm {mm}"
    if x is None:
        check(False, f"{w} is reported")
        return
    t = x["tree"]
    for k, g in (("flags", h(x["flags"])), ("ma_root", h(x["ma_root"])), ("ma_flags", h(x["ma_flags"]))):
        check(g == h(s[k]), f"{w}: {k} {s[k]}", f"got {x[k]}")
    for k in ("map_count", "mm_users", "mm_count"):
        check(x[k] == s[k], f"{w}: {k} {s[k]}", f"got {x[k]}")
    check(t["entries"] == s["entries"], f"{w}: {s['entries']} tree entries", f"got {t['entries']}")
    check(t["vmas"] == s["child_vmas"], f"{w}: {s['child_vmas']} child VMAs", f"got {t['vmas']}")
    check(t["foreign"] == s["stale_vmas"] + s["other_entries"],
          f"{w}: {s['stale_vmas'] + s['other_entries']} foreign entries (stale + other)", f"got {t['foreign']}")
    tr = s.get("tree") or {}
    check(t["nodes"] == tr.get("nodes"), f"{w}: {tr.get('nodes')} tree nodes", f"got {t['nodes']}")
    check(t["depth"] == tr.get("max_depth"), f"{w}: tree depth {tr.get('max_depth')}", f"got {t['depth']}")
    height = (h(s["ma_flags"]) & 0x7C) >> 2
    check(t["height"] == height, f"{w}: tree height {height} (ma_flags)", f"got {t['height']}")
    pids = sorted(t["pid"] if isinstance(t, dict) else t for t in s.get("tasks") or [])
    check(sorted(p["pid"] for p in x["tasks"]) == pids, f"{w}: owned by pids {pids}",
          f"got {[p['pid'] for p in x['tasks']]}")
    check(("mmlist" in x.get("sources", [])) == bool(s["on_mmlist"]),
          f"{w}: on init_mm.mmlist {bool(s['on_mmlist'])}", f"sources {x.get('sources')}")
    fs = x.get("findings", [])
    ids = sorted({f["id"] for f in fs})
    exp = expect.expected_ids(s)
    check(all(i in ids for i in exp), f"{w}: findings include {exp} (detection matrix on the manifest)",
          f"got {ids}")
    xz = [ev(f) for f in fs if f["id"] == "xa-zero"]
    got = [(h(e["range"]["first"]), h(e["range"]["last"])) for e in xz]
    want = [(h(z["first"]), h(z["last"])) for z in s["xa_zero"]]
    check(got == want, f"{w}: XA_ZERO ranges {[(z['first'], z['last']) for z in s['xa_zero']] or 'none'}",
          f"got {got}")
    lc = s.get("last_child_vma")
    if s["xa_zero"] and lc:
        e = xz[0] if xz else {}
        r = e.get("last_child_vma_range") or {}
        check(h(e.get("last_child_vma")) == h(lc["vma"]) and h(r.get("first")) == h(lc["start"])
              and h(r.get("last")) == h(lc["end"]) - 1,
              f"{w}: last child VMA {lc['vma']} [{lc['start']}, {lc['end']})",
              f"got {e.get('last_child_vma')} {r}")
    if s.get("parent_mm") and s["stale_vmas"]:
        st = [ev(f) for f in fs if f["id"] == "stale-vma" and h(ev(f).get("other_mm")) == h(s["parent_mm"])]
        check(sum(e.get("count", 0) for e in st) == s["stale_vmas"],
              f"{w}: {s['stale_vmas']} stale VMAs of parent {s['parent_mm']}", f"got {st}")
    if s.get("parent_mm") and "orphan-fork" in exp:
        of = [ev(f) for f in fs if f["id"] == "orphan-fork"]
        check(bool(of) and h(of[0].get("parent_mm")) == h(s["parent_mm"]),
              f"{w}: parent mm {s['parent_mm']}", f"got {[e.get('parent_mm') for e in of]}")
    p = s.get("parent")
    px = mms_all.get(h(s["parent_mm"])) if s.get("parent_mm") else None
    if p and px:
        check(h(px["flags"]) == h(p["flags"]) and px["map_count"] == p["map_count"]
              and h(px["ma_flags"]) == h(p["ma_flags"]) and px["tree"]["entries"] == p["entries"],
              f"{w}: its parent's flags {p['flags']}, map_count {p['map_count']}, ma_flags {p['ma_flags']}, "
              f"{p['entries']} entries",
              f"got {px['flags']} {px['map_count']} {px['ma_flags']} {px['tree']['entries']}")


mms_all = {}
if __name__ == "__main__":
    import json
    try:
        mms_all = {h(x["address"]): x for x in json.load(open(rpath))["mms"]}
    except Exception:  # noqa: BLE001
        pass
    main()
    for st, what, why in res:
        print(f"{st}|{what}|{why}".replace("\n", " "))
