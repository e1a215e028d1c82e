#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README documents what the program has: every check id that
# `mmlife --checks` lists is in its table, every long option of
# `mmlife --help` is mentioned, and the README's first command (the part
# after `make deps && make &&`) runs: its exit status is the one the README
# gives, its numbers are the manifest's (gdb) and drgn-facts.json's (drgn),
# and the README's example shows what it prints.
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
for id in $("$MMLIFE" --checks | awk '{print $1}'); do
	grep -q "^| \`$id\` |" README.md && ok "README's table has check $id" ||
		notok "README's table has check $id"
done
for opt in $("$MMLIFE" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	case $opt in --version|--help) continue ;; esac
	grep -q -- "$opt" README.md && ok "README mentions $opt" ||
		notok "README mentions $opt"
done
cmd=$(sed -n 's|^    make deps && make && \(build/mmlife vmcores/[^ ]*\)$|\1|p' README.md)
dump=${cmd#build/mmlife }
if [ -z "$cmd" ] || [ ! -f "$dump" ]; then
	notok "README's first command names a shipped dump ('$cmd')"
	exit 0
fi
name=$(basename "$(dirname "$dump")")
# As the README runs it, from the top, with this build's mmlife.
"$MMLIFE" ${cmd#build/mmlife } >"$tmp/out" 2>"$tmp/err"
rc=$?
"$MMLIFE" --json ${cmd#build/mmlife } >"$tmp/out.json" 2>/dev/null
python3 - "$top/README.md" "$tmp/out" "$rc" "$top/vmcores" "$name" "$cmd" \
	>"$tmp/res" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[4] + "/../tests/dumps/lib")
import expect, truth
readme, outp, rc, vmc, name, cmd = sys.argv[1:7]
text = open(outp).read()
doc = open(readme).read()
m, facts = truth.load(vmc, name)
res = []
def check(ok, what, why=""):
    res.append(("ok" if ok else "not ok", what, why))

st = re.search(r"prints \(exit status (\d+)", doc)
want_rc = int(st.group(1)) if st else None
# The manifest's states call for findings of severity error (xa-zero, ...)
# when expect.py (the detection matrix on the manifest) names any.
sev = any(expect.expected_ids(s) for s in m["states"] if truth.reached(s, True))
check(want_rc is not None and int(rc) == want_rc and (want_rc == 1) == sev,
      f"README's first command `{cmd}` runs with the exit status the README gives ({want_rc})",
      f"exit {rc}; the manifest calls for findings: {sev}")
def line(prefix):
    x = [l.strip() for l in text.splitlines() if l.strip().startswith(prefix)]
    return x[0] if x else ""
k = m["kernel"]
check(line("kernel ") == "kernel    " + k["release"], f"its kernel line: {k['release']}", line("kernel "))
fmt = m["dump"]["format"] + (f" ({m['dump']['compression']})" if m["dump"]["compression"] != "none" else "")
check(line("dump ").startswith(f"dump      {fmt}, x86_64, build-id {k['build_id']}"),
      f"its dump line: {fmt}, build-id {k['build_id']}", line("dump "))
check(line("KASLR ").split()[1:2] == [k["kaslr_offset"]], f"its KASLR offset {k['kaslr_offset']}", line("KASLR "))
c = truth.counts(m, facts, True)
# The default run also reports slab mms no task uses that the manifest
# does not list (an exited mm a lazy-TLB reference keeps): the same run's
# JSON names them, and each must be slab-only, task-less and silent.
import json
j = json.load(open(outp + ".json"))
known = {int(a) for a in truth.known_mms(m, True)}
extra = [x for x in j["mms"] if int(x["address"], 16) not in known]
check(all(x["sources"] == ["slab"] and not x["tasks"] and not x["findings"] for x in extra),
      f"the {len(extra)} mms outside the manifest are slab-only, with no task and no finding",
      str([(x["address"], x["sources"]) for x in extra if x["sources"] != ["slab"] or x["tasks"] or x["findings"]]))
want = (f"scanned   {c['tasks']} tasks ({c['thread_groups']} thread groups, {c['kthreads']} kernel threads), "
        f"{c['mms'] + len(extra)} mms, {c['vmas'] + sum(x['tree']['vmas'] for x in extra)} VMAs")
got = line("scanned ")
check(got.startswith(want), f"its scan line: {want[10:]} (manifest; init_task counted; {len(extra)} slab-only)", got)
if "nodes" in c:
    nodes = c['nodes'] + sum(x['tree']['nodes'] for x in extra)
    check(got.endswith(f", {nodes} tree nodes"), f"its scan line: {nodes} tree nodes (drgn-facts.json, and the slab-only mms')", got)
else:
    check(False, "its scan line's tree nodes", f"no vmcores/{name}/drgn-facts.json (vmcores/gen/drgn-facts.sh)")
for s in m["states"]:
    if not truth.reached(s, True):
        continue
    blk = text.split(f"  mm {s['mm']} ", 1)
    blk = blk[1].split("\n  mm ", 1)[0] if len(blk) == 2 else ""
    fl = int(s["flags"], 16)
    want = (f"flags {s['flags']}" + (" OOM_SKIP" if fl >> 21 & 1 else "") + (" UNSTABLE" if fl >> 22 & 1 else "")
            + f"  map_count {s['map_count']}  users {s['mm_users']}  count {s['mm_count']}"
            f"  ma_root {s['ma_root']}  ma_flags {s['ma_flags']}")
    check(want in blk, f"mm {s['mm']}: {want}", blk.splitlines()[1:2])
    want = (f"tree: height {s['tree']['max_depth']}, {s['tree']['nodes']} nodes, {s['child_vmas']} VMAs, "
            f"{s['stale_vmas'] + s['other_entries']} foreign, {len(s['xa_zero'])} XA_ZERO")
    check(want in blk, f"mm {s['mm']}: {want}", blk.splitlines()[2:3])
    for x in s["xa_zero"]:
        want = f"XA_ZERO_ENTRY at [{x['first']}-{x['last']}]"
        check(want in blk, f"mm {s['mm']}: {want}")
    lc = s.get("last_child_vma")
    if lc:
        end = "0x%x" % (int(lc["end"], 16) - 1)
        want = f"last_child_vma={lc['vma']}"
        check(want in blk and f"last_child_vma_range=[{lc['start']}-{end}]" in blk,
              f"mm {s['mm']}: last child VMA {lc['vma']} [{lc['start']}-{end}]")
# The README's example is what the command prints ("..." lines aside).
ex = doc.split("The first command prints", 1)[1].split("```", 2)[1].splitlines()[1:]
out = text.splitlines()
missing = [l for l in ex if l.strip() and "..." not in l and l not in out]
check(not missing, f"README's example output: all {sum(1 for l in ex if l.strip() and '...' not in l)} "
      "lines shown are lines the command prints", f"first missing: {missing[:2]}")
for st, what, why in res:
    print(f"{st}|{what}|{why}")
PY
while IFS='|' read -r st what why; do
	if [ "$st" = ok ]; then ok "$what"; else notok "$what"; echo "#   $why"; fi
done <"$tmp/res"
[ -s "$tmp/res" ] || notok "README's first command: the checker ran"
