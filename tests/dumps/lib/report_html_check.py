# SPDX-License-Identifier: GPL-2.0-or-later
"""Check the DOM of `mmlife report --html DB` as headless Chromium rendered
it against `mmlife report --json` on the same database (an independent
path: other queries, other code). Prints one "description|expected|got"
line per check for tests/dumps/report_html.sh.

    report_html_check.py MMLIFE DB DOM

The dumps' sections are packed in the page (gzip, base64) and unpacked by
its script when one opens; they are unpacked here too and checked. With
HOSTILE set (strings, one a line), each must show as text, and no
section or table may hold a tag the page does not write.
"""
import base64
import gzip
import html.parser
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import datetime

mmlife, db, dom_path = sys.argv[1:4]


class Tables(html.parser.HTMLParser):
    """Every <table id=...>: header names and rows of cell text; the ids
    of <details> and the targets of "#" links; the body's attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.details, self.links = {}, set(), []
        self.body, self.tags, self.text = {}, Counter(), []
        self.cur = self.row = self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] += 1
        if tag == "body":
            self.body = a
        if tag == "details" and "id" in a:
            self.details.add(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "table" and "id" in a:
            self.cur = self.tables[a["id"]] = {"head": [], "rows": []}
        elif tag == "tr" and self.cur is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.cur["head"]:
                self.cur["rows"].append(self.row)
            else:
                self.cur["head"] = self.row
            self.row = None
        elif tag == "table":
            self.cur = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def report(*args):
    out = subprocess.run([mmlife, "report", *args, db], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out) if "--json" in args else out


def table(name):
    """A page table as a list of dicts, numbers as ints."""
    t = page.tables.get(name, {"head": [], "rows": []})
    rows = []
    for r in t["rows"]:
        if r == ["(none)"]:
            continue
        rows.append({h: int(v) if v.isdigit() else (None if v == "-" else v)
                     for h, v in zip(t["head"], r)})
    return rows


def say(desc, want, got):
    print("%s|%s|%s" % (desc, json.dumps(want, sort_keys=True),
                        json.dumps(got, sort_keys=True)))


dom = open(dom_path, encoding="utf-8").read()
page = Tables()
page.feed(dom)
anchors = set(re.findall(r' id="([^"]+)"', dom))
overview = report("--json")
records = [json.loads(line) for line in report("--jsonl").splitlines()]
kernel_of = {r["path"]: r.get("kernel") or "(unknown)" for r in records}
ids = [f["finding"] for f in overview["findings"]]
per_id = {i: report("--finding", i, "--json") for i in ids}

say("the page's script ran", "ran", page.body.get("data-script"))
say("dumps by status", {s["status"]: s["dumps"] for s in overview["statuses"]},
    {r["status"]: r["dumps"] for r in table("t-status")})

# Chart 1: dumps per release (--kernels), findings per release and id
# (--finding ID: one row per dump with its count of that finding).
want = {}
for k in report("--kernels", "--json"):
    want[k["kernel"]] = {"dumps": k["dumps"], "failed": k["failed"]}
    for i in ids:
        want[k["kernel"]][i + " findings"] = 0
        want[k["kernel"]][i + " dumps"] = 0
for i in ids:
    for d in per_id[i]:
        w = want[d["kernel"] or "(unknown)"]
        w[i + " findings"] += d["findings"]
        w[i + " dumps"] += 1
got = {r.pop("kernel"): r for r in table("t-kernels")}
say("chart: dumps and findings per kernel release, stacked by id", want, got)

# Chart 2: the same by time bucket of the dump's crash time (VMCOREINFO
# CRASHTIME, in the record), else its file's mtime.
def when(r):
    return r.get("crash_time") or r.get("mtime")


def stamp(r):
    return datetime.strptime(when(r)[:19], "%Y-%m-%dT%H:%M:%S")


times = [stamp(r) for r in records if when(r)]
span = ((max(times) - min(times)).days if times else 0)
cut = 7 if span > 62 else 10 if span > 2 else 13


def bucket(r):
    if not when(r):
        return "(no time)"
    return when(r)[:cut] + (":00" if cut == 13 else "")


bucket_of = {r["path"]: bucket(r) for r in records}
want = defaultdict(lambda: dict({"dumps": 0, "failed": 0},
                                **{i + s: 0 for i in ids
                                   for s in (" findings", " dumps")}))
for r in records:
    w = want[bucket(r)]
    w["dumps"] += 1
    w["failed"] += r["status"] in ("error", "timeout", "crashed")
for i in ids:
    for d in per_id[i]:
        w = want[bucket_of[d["path"]]]
        w[i + " findings"] += d["findings"]
        w[i + " dumps"] += 1
got = {r.pop("period"): r for r in table("t-time")}
say("chart: findings over time (crash time, else mtime)", dict(want), got)
m = re.search(r'<p id="time-source">(.*?)</p>', dom, re.S)
nums = [int(x) for x in re.findall(r"<b>(\d+)</b>", m.group(1))] if m else []
by_crash = sum(1 for r in records if r.get("crash_time"))
say("chart: how many dumps are placed by crash time and by mtime",
    [by_crash, len(records) - by_crash], nums)

# Chart 3: fix presence per release (--verdict FIX: one row per dump,
# problem, fix, presence), less the fork-recovery posture.
fixes = sorted({v["fix"] for v in overview["verdicts"] if v["fix"]})
want = defaultdict(lambda: {"present": set(), "absent": set(),
                            "unknown": set(), "not-needed": set(),
                            "problems": set()})
for fx in fixes:
    for v in report("--verdict", fx, "--json"):
        if v["fix"] != fx or v["problem"] == "fork-recovery":
            continue
        w = want[(fx, v["kernel"] or "(unknown)")]
        w[v["presence"]].add(v["path"])
        w["problems"].add(v["problem"])
want = {"%s @ %s" % k: {p: (sorted(s) if p == "problems" else len(s))
                        for p, s in w.items()} for k, w in want.items()}
got = {}
for r in table("t-presence"):
    r["problems"] = sorted(r["problems"].split(","))
    got["%s @ %s" % (r.pop("fix"), r.pop("kernel"))] = r
say("chart: fix presence per release", want, got)

say("table: findings by id",
    sorted([f["finding"], f["dumps"], f["findings"]]
           for f in overview["findings"]),
    sorted([r["finding"], r["dumps"], r["findings"]]
           for r in table("t-findings")))
say("table: verdicts", overview["verdicts"], table("t-verdicts"))
say("table: dumps that could not be analysed",
    report("--errors", "--json"), table("t-errors"))
dumps = table("t-dumps")
say("table: every dump, once", sorted(r["path"] for r in records),
    sorted(r["path"] for r in dumps))
say("every dump's worst severity",
    sorted([r["path"], r.get("worst_severity")] for r in records),
    sorted([r["path"], r["worst severity"]] for r in dumps))
say("every link leads to a section or heading on the page", [],
    sorted(set(l for l in page.links
               if l not in anchors)))
say("one section per dump", len(records),
    len([d for d in page.details if d.startswith("d")]))
say("two scripts (the code, the packed sections), no image, iframe, "
    "object", [2, 0, 0, 0, 0], [page.tags["script"], page.tags["img"],
                                page.tags["iframe"], page.tags["object"],
                                page.tags["embed"]])

packed = re.search(r'<script type="text/plain" id="packed">(.*?)</script>',
                   dom, re.S)
sections = {}
if packed:
    for s in gzip.decompress(base64.b64decode(packed.group(1))).decode(
            "utf-8").split("\x1e"):
        if "\x1f" in s:
            k, v = s.split("\x1f", 1)
            sections[k] = v
say("one packed section per dump", sorted(d for d in page.details),
    sorted(sections))
inner = Tables()
inner.feed("".join(sections.values()))
allowed = {"p", "ul", "li", "b", "i", "code", "span", "br"}
say("the sections hold only the tags the page writes", [],
    sorted(set(inner.tags) - allowed))
text = "".join(page.text) + "".join(inner.text)
for h in filter(None, os.environ.get("HOSTILE", "").split("\n")):
    say("hostile text %r shows as text" % h, True, h in text)
