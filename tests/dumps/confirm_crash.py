#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""confirm_crash.py MANIFEST VMLINUX DUMP FIRST_TEST_NUMBER

Open a baseline dump with crash (9.0.2 from the forky chroot): `ps` lists
every pid of the manifest, and `vm` on a few tasks shows the recorded mm and
exactly map_count VMAs. Prints TAP lines without a plan; exit 1 on failure.
"""
import json
import re
import subprocess
import sys

mpath, vmlinux, dump, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
man = json.load(open(mpath))
name = man["name"]
failed = 0


def tap(ok, desc, diag=None):
    global n, failed
    print("%s %d - %s" % ("ok" if ok else "not ok", n, desc))
    if not ok:
        failed += 1
        for line in str(diag or "").splitlines()[:15]:
            print("#   " + line)
    n += 1


# a few user tasks with an mm (init, a multi-threaded one, a sleeper)
users = [r for r in man.get("mm_list", []) if r["tasks"]]
pick = []
for r in users:
    if 1 in r["tasks"] or len(r["tasks"]) > 1 or len(pick) < 1:
        pick.append(r)
    if len(pick) >= 3:
        break
cmds = ["ps"] + ["vm %d" % r["tasks"][0] for r in pick] + ["quit"]
args = ["crash", "-s"]
if man["kernel"]["release"].startswith("7."):
    args.append("--no_modules")  # crash 9.0.2: module_num_gpl_syms offset on 7.x
args += [vmlinux, dump]
p = subprocess.run(args, input="\n".join(cmds) + "\n", text=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
out = p.stdout
errs = [ln for ln in out.splitlines() if ln.startswith("crash:") or "xcluded page" in ln
        or "read error" in ln or "invalid" in ln.lower()]
# warnings are reported, not failed: on 7.2 crash 9.0.2 says "SLUB: cannot
# determine how compound pages are linked", and "no kernel module access"
# because of --no_modules
for ln in out.splitlines():
    if ln.startswith("WARNING:"):
        print("# crash " + ln)
tap(p.returncode == 0 and not errs, "%s: crash 9 opens the dump cleanly" % name, "\n".join(errs) or out[-2000:])
pids = set()
for ln in out.splitlines():
    m = re.match(r"^[> ]\s*(\d+)\s+(\d+)\s+(\d+)\s+([0-9a-f]{8,})\s", ln)
    if m:
        pids.add(int(m.group(1)))
want = set(t["pid"] for t in man["tasks"])
tap(want <= pids, "%s: crash ps lists all %d pids" % (name, len(want)), "missing %s" % sorted(want - pids)[:20])
# split per `vm` command
blocks = re.split(r"(?m)^(?=PID: )", out)
for r in pick:
    pid = r["tasks"][0]
    blk = next((b for b in blocks if re.match(r"PID: %d\s" % pid, b)), "")
    mmhex = r["mm"][2:]
    vmas = len(re.findall(r"(?m)^\s*[0-9a-f]{16}\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+", blk))
    tap(mmhex in blk and vmas == r["map_count"],
        "%s: crash vm %d: mm %s with %d VMAs" % (name, pid, r["mm"], vmas),
        "expected map_count %d\n%s" % (r["map_count"], blk[:1500]))
sys.exit(1 if failed else 0)
