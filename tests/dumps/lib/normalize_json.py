#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""normalize_json.py [--front-end] [--reads] [--crash-minimal] IN OUT

mmlife's JSON report IN, written to OUT with sorted keys and indented, so
that two reports of the same dump compare byte for byte (cmp, diff).
Always dropped: what names the file and its format (dump.path,
dump.format: the same stop read from another file or by another front
end) and the timings (counts.slab_ms; counts.seconds and
counts.duration_ms, should a report carry them).
  --front-end      also what names the front end that made the report
                   (python/mmlife's FRONT_END_FIELDS: tool.front_end,
                   dump.type_source): the crash extension's or drgn's
                   report against the CLI's
  --reads          also how the front end read the dump
                   (counts.pages_read, counts.excluded_reads): the crash
                   extension's report against the CLI's
  --crash-minimal  a discovery path's note "not run: crash --minimal ..."
                   (the extension without page tables) reads as the CLI's
                   "not run: --fast"
OUT is removed first and written only when IN is read: a stale OUT never
stands for a report that did not parse. Exit 1 when IN does not parse.
"""
import json
import os
import sys

DUMP = ("path", "format")
TIMINGS = ("slab_ms", "seconds", "duration_ms")
FRONT_END_DUMP = ("type_source",)
READS = ("pages_read", "excluded_reads")


def normalize(j, front_end, reads, crash_minimal):
    for k in DUMP + (FRONT_END_DUMP if front_end else ()):
        j["dump"].pop(k, None)
    if front_end:
        j["tool"].pop("front_end", None)
    for k in TIMINGS + (READS if reads else ()):
        j["counts"].pop(k, None)
    if crash_minimal:
        for p in j["discovery"]["paths"]:
            if (p["note"] or "").startswith("not run: crash --minimal"):
                p["note"] = "not run: --fast"
    return j


def main(argv):
    opts = [a for a in argv if a.startswith("--")]
    files = [a for a in argv if not a.startswith("--")]
    known = ("--front-end", "--reads", "--crash-minimal")
    if len(files) != 2 or any(o not in known for o in opts):
        sys.exit(__doc__.splitlines()[0])
    src, out = files
    try:
        os.remove(out)
    except FileNotFoundError:
        pass
    with open(src) as f:
        j = json.load(f)
    j = normalize(j, "--front-end" in opts, "--reads" in opts,
                  "--crash-minimal" in opts)
    with open(out + ".tmp", "w") as f:
        json.dump(j, f, indent=1, sort_keys=True)
    os.replace(out + ".tmp", out)


if __name__ == "__main__":
    main(sys.argv[1:])
