#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI's report path on every real dump in vmcores/: --json parses and
# its "dump" block carries what the manifest (the debugger's reading) says;
# the exit status follows --fail-on; --maps PID lists as many tree entries
# as gdb counted in that mm; text output works. Expected values come from
# the manifests only.
#   B=build
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
MMLIFE=$top/$B/mmlife
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "cli report tests" "$MMLIFE not built"
	exit 0
fi

found=0
for m in vmcores/*/manifest.json; do
	[ -f "$m" ] || continue
	# A lossy dump's report and exit status: lossy.sh.
	grep -q '"lossy"' "$m" && continue
	d=$(dirname "$m")
	name=$(basename "$d")
	dump=$d/$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["dump"]["file"])' "$m")
	[ -f "$dump" ] || continue
	found=1

	"$MMLIFE" --json --types=btf "$dump" >"$tmp/r.json" 2>"$tmp/err"
	rc=$?
	# The dump block against the manifest; the exit status against the
	# findings in the same JSON (default --fail-on warning).
	if python3 - "$m" "$tmp/r.json" "$rc" "$dump" >"$tmp/why" 2>&1 <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
rc = int(sys.argv[3])
d = r["dump"]
k = m["kernel"]
want = {
    "path": sys.argv[4],
    "release": k["release"],
    "build_id": k["build_id"],
    "arch": k.get("arch", "x86_64"),
    "type_source": "btf",
}
bad = [f"{key}: {d.get(key)!r} != {v!r}" for key, v in want.items() if d.get(key) != v]
if int(str(d.get("kaslr_offset")), 0) != int(k["kaslr_offset"], 0):
    bad.append(f"kaslr_offset {d.get('kaslr_offset')} != {k['kaslr_offset']}")
order = ["info", "warning", "error", "critical"]
# Findings about one mm sit in that mm; the top-level list holds the rest.
allf = list(r.get("findings", []))
for mm in r.get("mms", []):
    allf += mm.get("findings", [])
sev = [f.get("severity") for f in allf]
expect = 1 if any(order.index(s) >= 1 for s in sev if s in order) else 0
if rc != expect:
    bad.append(f"exit {rc}, expected {expect} for severities {sorted(set(sev))}")
if r.get("tool", {}).get("front_end") not in ("cli", None) and d.get("front_end") != "cli":
    bad.append("front end is not cli")
print("; ".join(bad))
sys.exit(1 if bad else 0)
EOF
	then
		ok "$name: --json dump block matches the manifest, exit $rc follows the findings"
	else
		notok "$name: --json dump block matches the manifest (exit $rc): $(cat "$tmp/why" | tail -n 1)"
		head -n 3 "$tmp/err" | sed 's/^/#   /'
	fi

	# --fail-on critical: exit 1 only with a critical finding.
	"$MMLIFE" --fail-on critical --types=btf "$dump" >/dev/null 2>&1
	rc=$?
	want=$(python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
allf=list(r.get("findings",[]))+[f for mm in r.get("mms",[]) for f in mm.get("findings",[])]
print(1 if any(f.get("severity")=="critical" for f in allf) else 0)' "$tmp/r.json" 2>/dev/null)
	if [ "$rc" = "$want" ]; then
		ok "$name: --fail-on critical exits $rc"
	else
		notok "$name: --fail-on critical exits $want (got $rc)"
	fi

	"$MMLIFE" --types=btf "$dump" >"$tmp/text" 2>&1
	rc=$?
	if [ $rc -le 1 ] && grep -q "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["kernel"]["release"])' "$m")" "$tmp/text"; then
		ok "$name: text report names the release (exit $rc)"
	else
		notok "$name: text report names the release (exit $rc)"
	fi

	# --maps: the three processes with the biggest trees gdb walked; one
	# line per non-NULL tree entry.
	python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))
mms={x["mm"]: x for x in m.get("mm_list", [])}
seen=set(); out=[]
for t in m["tasks"]:
    if t["pid"] != t["tgid"] or not t.get("mm") or t["mm"] not in mms or t["mm"] in seen:
        continue
    seen.add(t["mm"]); out.append("%d %d %s" % (t["pid"], mms[t["mm"]]["entries"], t["comm"]))
out.sort(key=lambda l: -int(l.split()[1]))
print("\n".join(out[:3]))' "$m" >"$tmp/pids"
	while read -r pid entries comm; do
		[ -n "$pid" ] || continue
		"$MMLIFE" --maps "$pid" --types=btf "$dump" >"$tmp/maps" 2>"$tmp/err"
		rc=$?
		lines=$(wc -l <"$tmp/maps")
		if [ $rc -eq 0 ] && [ "$lines" -eq "$entries" ]; then
			ok "$name: --maps $pid ($comm) lists $entries entries"
		else
			notok "$name: --maps $pid ($comm) lists $entries entries (got $lines, exit $rc)"
			head -n 2 "$tmp/err" | sed 's/^/#   /'
		fi
	done <"$tmp/pids"
	"$MMLIFE" --maps 999999 --types=btf "$dump" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
		ok "$name: --maps of a pid that does not exist: exit 3, one line"
	else
		notok "$name: --maps of a pid that does not exist: exit 3, one line (got $rc)"
	fi
done
[ $found -eq 1 ] || skip "cli report tests" "no dumps in vmcores/"
exit 0
