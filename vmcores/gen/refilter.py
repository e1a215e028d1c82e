#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""refilter.py NAME: a dump of scenarios.json made from another one by
makedumpfile alone (entry with "source"): makedumpfile 1.7.8 (forky chroot)
re-filters the source's kdump-compressed file at a higher dump level.

The ground truth of the memory is the source's (gdb at capture time); the
manifest adds `lossy`: the pages the re-filter dropped (from the two files'
page bitmaps, kdump_bitmap.py) and what an independent reader (drgn,
lossy_drgn.py) can no longer read because of it. Called by make_dump.py.
"""
import datetime
import json
import os
import re
import sys
import time

GEN = os.path.dirname(os.path.abspath(__file__))
VMC = os.path.dirname(GEN)
REPO = os.path.dirname(VMC)
sys.path.insert(0, GEN)
import kdump_bitmap  # noqa: E402
from make_dump import CACHE, chroot_run, fetch, log, sha256  # noqa: E402


def ranges(pfns):
    out = []
    for p in pfns:
        if out and out[-1][1] + 1 == p:
            out[-1][1] = p
        else:
            out.append([p, p])
    return ["0x%x" % a if a == b else "0x%x-0x%x" % (a, b) for a, b in out]


def binds(work, src, *more):
    """Bind mounts for the chroot: the repo once (nested binds under it
    cannot all be unmounted), the source dump's directory when outside."""
    d = os.path.dirname(src)
    return [work, REPO] + list(more) + ([] if d.startswith(REPO + "/") else [d])


def source_dir(srcname):
    """The source fixture: the one just regenerated when MMLIFE_VMCORES_OUT
    holds it (a reproducibility run), else the repo's."""
    out = os.path.join(os.path.abspath(os.environ.get("MMLIFE_VMCORES_OUT", VMC)), srcname)
    return out if os.path.exists(os.path.join(out, "manifest.json")) else os.path.join(VMC, srcname)


def refilter(name, sc):
    t0 = time.time()
    srcname = sc["source"]
    srcdir = source_dir(srcname)
    srcmpath = os.path.join(srcdir, "manifest.json")
    srcman = json.load(open(srcmpath))
    if srcman["dump"]["format"] != "kdump" or srcman["dump"]["file"] != "vmcore":
        raise SystemExit("%s: the source must be a plain kdump-compressed file (page bitmaps)" % name)
    src = os.path.join(srcdir, "vmcore")
    work = os.path.join(CACHE, "work", name)
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, "vmcore")
    if os.path.exists(out):
        os.unlink(out)
    comp = {"none": [], "zlib": ["-c"], "lzo": ["-l"], "zstd": ["-z"]}[sc["compression"]]
    opts = comp + ["-d", str(sc["dump_level"])]
    cmd = "makedumpfile %s %s %s" % (" ".join(opts), src, out)
    log("chroot: " + cmd)
    r = chroot_run(binds(work, src), "sh", "-c", cmd)
    print(r.stdout[-2000:], file=sys.stderr)
    if r.returncode or not os.path.exists(out):
        raise RuntimeError("makedumpfile failed")
    mout = r.stdout
    mver = re.search(r"version ([0-9.]+)", chroot_run([], "makedumpfile", "-v").stdout).group(1)
    hdr = kdump_bitmap.read_kdump(out)
    if hdr["dump_level"] != sc["dump_level"]:
        raise RuntimeError("dump_level %d in the header, %d asked" % (hdr["dump_level"], sc["dump_level"]))
    dropped = kdump_bitmap.dropped(src, out)
    dpath = os.path.join(work, "dropped.json")
    with open(dpath, "w") as f:
        json.dump({"dropped_pfns": ["0x%x" % p for p in dropped]}, f)
    vmlinux = fetch(sc["kernel"], "vmlinux")
    lpath = os.path.join(work, "lossy.json")
    r = chroot_run(binds(work, src, os.path.dirname(vmlinux)), "python3",
                   os.path.join(GEN, "lossy_drgn.py"), src, out, vmlinux, srcmpath, dpath, lpath)
    if r.returncode:
        print(r.stdout, file=sys.stderr)
        raise RuntimeError("lossy_drgn.py failed")
    with open(lpath) as f:
        lossy = json.load(f)
    lossy["dropped_pfns"] = ranges(dropped)
    lossy["makedumpfile_said"] = [ln for ln in mout.replace("\r", "\n").splitlines()
                                  if "not supported" in ln or "incomplete" in ln]
    return srcman, out, opts, mver, lossy, t0


def main(name, sc):
    srcman, out, opts, mver, lossy, t0 = refilter(name, sc)
    m = dict(srcman)
    m["name"] = name
    m["kernel"] = dict(srcman["kernel"])
    dest = os.path.join(os.path.abspath(os.environ.get("MMLIFE_VMCORES_OUT", VMC)), name)
    os.makedirs(dest, exist_ok=True)
    with open(out, "rb") as f, open(os.path.join(dest, "vmcore"), "wb") as g:
        g.write(f.read())
    size, sha = os.path.getsize(out), sha256(out)
    m["dump"] = {
        "file": "vmcore", "container": "none", "format": "kdump",
        "compression": sc["compression"], "dump_level": sc["dump_level"],
        "makedumpfile": mver,
        "makedumpfile_cmd": "makedumpfile %s vmcores/%s/vmcore" % (" ".join(opts), sc["source"]),
        "size": size, "sha256": sha, "raw_size": srcman["dump"]["raw_size"],
        "uncompressed_size": size, "uncompressed_sha256": sha,
        "source": {"name": sc["source"], "sha256": srcman["dump"]["sha256"],
                   "dump_level": srcman["dump"]["dump_level"]},
    }
    m["capture"] = dict(srcman["capture"])
    m["capture"]["how"] = ("%s; the memory of vmcores/%s, re-filtered by makedumpfile at -d %d"
                           % (srcman["capture"]["how"], sc["source"], sc["dump_level"]))
    m["capture"]["refiltered"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    m["capture"]["generation_seconds"] = round(time.time() - t0)
    m["lossy"] = lossy
    m["notes"] = sc.get("notes", "")
    mpath = os.path.join(dest, "manifest.json")
    with open(mpath, "w") as f:
        json.dump(m, f, indent=1)
        f.write("\n")
    log("%s done: %d bytes, %d pages dropped" % (name, size, lossy["dropped_pages"]))
    return mpath
