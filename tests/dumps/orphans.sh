#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The deep scan (--deep: the mm_struct slab cache) on the real dumps in
# vmcores/*/: every mm of the manifest is found in the slab, a failed
# fork's child (manifest states[] of kind failed-fork) is classified
# orphan-fork with its parent named as the manifest's parent_mm, and no
# other dump shows a half-initialized fork. Expected values come only from
# the manifests. Prints TAP.
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
MMLIFE="$B/mmlife"

if [ ! -x "$MMLIFE" ]; then
	echo "1..0 # SKIP $MMLIFE not built (no libkdumpfile?)"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 missing"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for dir in vmcores/*/; do
	name=$(basename "$dir")
	[ -f "$dir/manifest.json" ] || continue
	# A lossy dump's slab walk is checked against its record by lossy.sh.
	grep -q '"lossy"' "$dir/manifest.json" && continue
	dump="$dir/vmcore"
	if [ ! -f "$dump" ] && [ -f "$dir/vmcore.xz" ]; then
		dump="$tmp/$name.vmcore"
		xz -dc "$dir/vmcore.xz" >"$dump" 2>/dev/null || {
			n=$((n + 1))
			echo "ok $n - $name # SKIP vmcore.xz does not unpack"
			continue
		}
	fi
	if [ ! -f "$dump" ]; then
		n=$((n + 1))
		echo "ok $n - $name # SKIP no vmcore"
		continue
	fi
	"$MMLIFE" --deep --json --fail-on critical "$dump" \
		>"$tmp/$name.json" 2>"$tmp/$name.err"
	rc=$?
	[ -f "$dump" ] && [ "$dump" != "$dir/vmcore" ] && rm -f "$dump"
	out=$(python3 - "$dir/manifest.json" "$tmp/$name.json" "$rc" \
			"$name" "$n" <<'EOF'
import json, sys

manifest_path, report_path, rc, name, n = sys.argv[1:6]
n = int(n)
results = []

def check(ok, what, why=""):
    results.append((ok, what, why))

m = json.load(open(manifest_path))
try:
    r = json.load(open(report_path))
except Exception as e:
    check(False, f"{name}: deep scan gives a JSON report",
          f"exit {rc}: {e}")
    r = None

def ev(f):
    e = f.get("evidence", [])
    if isinstance(e, dict):
        return e
    return {x.get("key"): x.get("value") for x in e}

if r is not None:
    mms = {int(x["address"], 16): x for x in r["mms"]}
    c = r["counts"]
    check(rc in ("0", "1") and c.get("slab_objects", 0) > 0,
          f"{name}: deep scan ran and found mm_struct objects "
          f"({c.get('slab_objects')} objects, {c.get('slab_pages')} pages "
          f"read, {c.get('slab_ms')} ms)",
          f"exit {rc}, errors {r.get('errors')}")
    # Every mm the manifest knows is an allocated slab object.
    want = [int(x["mm"], 16) for x in m.get("mm_list", [])]
    want += [int(s["mm"], 16) for s in m.get("states", []) if s.get("mm")]
    missing = [hex(a) for a in want
               if a not in mms or "slab" not in mms[a].get("sources", [])]
    check(not missing,
          f"{name}: all {len(set(want))} manifest mms found in the slab",
          f"not found: {missing[:5]}")
    forks = [s for s in m.get("states", []) if s.get("kind") == "failed-fork"]
    fork_mms = set()
    for s in forks:
        a = int(s["mm"], 16)
        fork_mms.add(a)
        x = mms.get(a)
        f = [f for f in (x or {}).get("findings", [])
             if f["id"] == "orphan-fork"]
        check(bool(f), f"{name}: failed-fork child {s['mm']} classified "
              "orphan-fork",
              "not found" if x is None else
              f"findings {[g['id'] for g in x.get('findings', [])]}")
        if f and s.get("parent_mm"):
            got = ev(f[0]).get("parent_mm")
            check(got is not None and int(got, 16) ==
                  int(s["parent_mm"], 16),
                  f"{name}: its parent is named {s['parent_mm']}",
                  f"got {got}")
            tasks = ev(f[0]).get("parent_tasks", "")
            want_t = [f"{t['pid']} {t['comm']}"
                      for t in s.get("parent_tasks", [])]
            check(all(t in tasks for t in want_t),
                  f"{name}: with its tasks {want_t}", f"got '{tasks}'")
    others = [hex(a) for a, x in mms.items() if a not in fork_mms and
              any(f["id"] == "orphan-fork" for f in x.get("findings", []))]
    check(not others, f"{name}: no other half-initialized fork",
          f"orphan-fork on {others}")

for ok, what, why in results:
    n += 1
    print(f"{'ok' if ok else 'not ok'} {n} - {what}")
    if not ok and why:
        print(f"# {why}")
print(f"N={n}")
EOF
)
	prc=$?
	echo "$out" | grep -v '^N='
	n1=$(echo "$out" | sed -n 's/^N=//p')
	[ -n "$n1" ] && n=$n1
	if [ $prc -ne 0 ] || [ -z "$n1" ]; then
		# The checker died (a traceback above) or printed no count.
		n=$((n + 1))
		echo "not ok $n - $name: the checker ran (status $prc)"
	fi
done
if [ "$n" -eq 0 ]; then
	echo "1..0 # SKIP no dumps in vmcores/"
	exit 0
fi
echo "1..$n"
