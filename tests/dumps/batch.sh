#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mmlife scan / report / db merge (issue 7) on an archive made of every real
# dump (symlinks), a truncated dump, a garbage file, an empty file, a FIFO,
# a dangling symlink and, as user nobody (setpriv; root reads any mode), a
# dump with mode 000. Checks: counts and statuses against the manifests
# (a planted state that the default scan reaches => findings, else ok; bad
# files => error or skipped), JSON Lines = database, --hash = sha256sum,
# the identity (stat, and a header fingerprint recomputed here from the
# file's own bytes), resume opens no stored dump (strace) yet catches a
# changed header under a restored mtime, --rescan, --retry-errors,
# --mem-limit, --xz, exit 1, kill -9 mid-run then a re-run completes
# without duplicates, shards partition the archive and merge back to the
# whole, timeouts, crashes, an old (schema 2) database.
#   B=build
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
# A private copy: the tree's binary may be rebuilt while this runs, and
# every scan here must run the same analysis.
cp "$MMLIFE" "$tmp/mmlife" && MMLIFE=$tmp/mmlife
chmod 755 "$tmp"
"$MMLIFE" scan --help >/dev/null 2>&1 || { notok "mmlife scan exists"; exit 0; }

# py EXPR-PROGRAM ARGS...: a small python program (sys.argv as args).
py() { prog=$1; shift; python3 -c "$prog" "$@"; }

# A record without what changes from run to run.
strip='import json,sys
def load(f):
    out = {}
    for line in open(f):
        r = json.loads(line)
        for k in ("scanned_at", "duration_ms", "host"):
            r.pop(k, None)
        out[r["path"]] = r
    return out
'

a=$tmp/archive
mkdir -p "$a/bad"
names=$(dumps)
ndumps=0
for d in $names; do
	ln -s "$top/vmcores/$d/vmcore" "$a/$d.vmcore"
	ndumps=$((ndumps + 1))
done
[ "$ndumps" -gt 0 ] || { skip "batch scan" "no dump in vmcores/"; exit 0; }
first=$(echo "$names" | head -n 1)
head -c 200000 "$top/vmcores/$first/vmcore" >"$a/bad/truncated.vmcore"
head -c 65536 /dev/urandom >"$a/bad/garbage"
: >"$a/bad/empty"
mkfifo "$a/bad/fifo"                   # would block a reader: never opened
ln -s "$tmp/nowhere" "$a/bad/dangling"
cp "$MMLIFE" "$a/bad/an-executable"    # ELF, but no core file
total=$((ndumps + 1))                  # the dumps and the truncated one
# The smallest kdump-compressed dump again as a makedumpfile -F stream
# (1 MiB records, the last one first): found and reassembled like the
# original.
flat=$(FLAT_OUT=$a/flattened.vmcore py 'import os,struct,sys
best = None
for d in sys.argv[2:]:
    p = "%s/vmcores/%s/vmcore" % (sys.argv[1], d)
    with open(p, "rb") as f:
        if f.read(8) == b"KDUMP   " and (best is None or os.path.getsize(p) < best[1]):
            best = (d, os.path.getsize(p))
if best:
    src = "%s/vmcores/%s/vmcore" % (sys.argv[1], best[0])
    size = best[1]
    with open(src, "rb") as f, open(os.environ["FLAT_OUT"], "wb") as out:
        out.write(b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1))
        out.write(b"\0" * (4096 - 32))
        offs = list(range(0, size, 1 << 20))
        for off in offs[-1:] + offs[:-1]:
            f.seek(off)
            data = f.read(1 << 20)
            out.write(struct.pack(">qq", off, len(data)) + data)
        out.write(struct.pack(">qq", -1, -1))
    print(best[0])' "$top" $names)
if [ -n "$flat" ]; then
	total=$((total + 1))
fi

# ---- the whole archive ----
"$MMLIFE" scan -j 2 --hash --db "$tmp/all.db" -o "$tmp/all.jsonl" "$a" \
	>"$tmp/all.out" 2>"$tmp/all.err"
rc=$?
check "scan exits 3 when a dump could not be analysed" 3 "$rc"
check "nothing on stdout with -o" 0 "$(wc -c <"$tmp/all.out")"
check "one JSON line per dump" "$total" "$(wc -l <"$tmp/all.jsonl")"
# Expected status of each dump from its manifest, and what the scan says.
py 'import json,sys
sys.path.insert(0, sys.argv[1] + "/tests/dumps/lib")
from expect import expected_ids
recs = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    recs[r["path"]] = r
for d in sys.argv[4:]:
    m = json.load(open("%s/vmcores/%s/manifest.json" % (sys.argv[1], d)))
    # The default run finds every planted state, wherever the mm is.
    want = "findings" if any(expected_ids(s) for s in m["states"]) else "ok"
    r = recs.get("%s/%s.vmcore" % (sys.argv[3], d), {})
    got = "%s %s %s %s" % (r.get("status"),
                        r.get("kernel") == m["kernel"].get("release"),
                        len(r.get("sha256") or "") == 64,
                        len(r.get("fingerprint") or "") == 64)
    print("%s|%s True True True|%s" % (d, want, got))' \
	"$top" "$tmp/all.jsonl" "$a" $names >"$tmp/status"
while IFS='|' read -r d want got; do
	check "$d: status from the manifest, kernel release, sha256 (--hash), fingerprint" "$want" "$got"
done <"$tmp/status"
check "--hash: the dump's content hash is sha256sum's" \
	"$(sha256sum <"$a/$first.vmcore" | cut -d' ' -f1)" \
	"$(py "$strip"'print(load(sys.argv[1])[sys.argv[2]]["sha256"])' \
		"$tmp/all.jsonl" "$a/$first.vmcore")"
# The identity, from outside mmlife: os.stat, and SHA-256 of the first
# 64 KiB and of the VMCOREINFO text, read here from the kdump sub-header
# or the ELF note by the formats' own layouts.
fingerprint='import hashlib,os,struct,sys
def vmcoreinfo(f):
    f.seek(0); h = f.read(464)
    if h[:8] == b"KDUMP   ":
        block = struct.unpack_from("<I", h, 428)[0]
        f.seek(block + 32); off, size = struct.unpack("<QQ", f.read(16))
        f.seek(off); return f.read(size)
    if h[:4] == b"\x7fELF":
        phoff, = struct.unpack_from("<Q", h, 32)
        phnum, = struct.unpack_from("<H", h, 56)
        for i in range(phnum):
            f.seek(phoff + 56 * i)
            t, _, off, _, _, sz = struct.unpack("<IIQQQQ", f.read(40))
            if t != 4: continue
            f.seek(off); n = f.read(sz); p = 0
            while p + 12 <= len(n):
                ns, ds, _ = struct.unpack_from("<III", n, p)
                d = p + 12 + (ns + 3) // 4 * 4
                if n[p + 12:p + 12 + ns] == b"VMCOREINFO\0":
                    return n[d:d + ds]
                p = d + (ds + 3) // 4 * 4
    return None
def fingerprint(path):
    with open(path, "rb") as f:
        h = hashlib.sha256(f.read(65536)); v = vmcoreinfo(f)
    if v is not None:
        h.update(b"\0VMCOREINFO\0" + v.split(b"\0")[0])
    return h.hexdigest()
'
check "identity of every dump: dev, ino, size, mtime_ns, ctime_ns from stat; fingerprint from its header bytes" \
	"True" "$(py "$strip$fingerprint"'
ok = True
for p, r in load(sys.argv[1]).items():
    if r["status"] == "error": continue
    st = os.stat(p)
    ok &= (r["dev"], r["ino"], r["size"], r["mtime_ns"], r["ctime_ns"]) == \
          (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    ok &= r["fingerprint"] == fingerprint(p)
print(ok)' "$tmp/all.jsonl")"
# The crash time: the fixtures were captured by QEMU, not by kdump, so
# their VMCOREINFO has no CRASHTIME. A copy of the flattened stream's
# source with "CRASHTIME=N" appended to its VMCOREINFO (the text moved to
# the end of the file, the sub-header pointed at it) must give N as its
# record's crash_time, converted here.
if [ -n "$flat" ]; then
	mkdir -p "$tmp/ct"
	want=$(CT_OUT=$tmp/ct/crashtime.vmcore py 'import os,shutil,struct,sys,time
src = "%s/vmcores/%s/vmcore" % (sys.argv[1], sys.argv[2])
out = os.environ["CT_OUT"]; n = 1764720000
shutil.copyfile(src, out)
with open(out, "r+b") as f:
    block, = struct.unpack_from("<I", f.read(464), 428)
    f.seek(block + 32); off, size = struct.unpack("<QQ", f.read(16))
    f.seek(off); text = f.read(size).split(b"\0")[0]
    text += b"CRASHTIME=%d\n" % n
    end = f.seek(0, 2); f.write(text)
    f.seek(block + 32); f.write(struct.pack("<QQ", end, len(text)))
print(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(n)))' "$top" "$flat")
	"$MMLIFE" scan -j 1 --no-db -o "$tmp/ct.jsonl" "$tmp/ct" >/dev/null 2>&1
	check "crash_time from VMCOREINFO's CRASHTIME (a copy of $flat with one appended)" \
		"$want" "$(py "$strip"'
print(next(iter(load(sys.argv[1]).values())).get("crash_time"))' "$tmp/ct.jsonl")"
	check "no CRASHTIME (QEMU-captured fixtures): crash_time null" "None" \
		"$(py "$strip"'
print(set(r.get("crash_time") for r in load(sys.argv[1]).values()) - {None} or None)' "$tmp/all.jsonl")"
else
	skip "crash_time from CRASHTIME" "no kdump-compressed dump"
fi
if [ -n "$flat" ]; then
	check "a flattened stream of $flat: same status, kernel and findings, format says flattened" \
		"True True" "$(py "$strip"'
r = load(sys.argv[1])
a, b = r[sys.argv[2]], r[sys.argv[3]]
same = all(a[k] == b[k] for k in ("status", "kernel", "build_id", "mms", "counts"))
print(same, "flattened" in (a["format"] or ""))' "$tmp/all.jsonl" \
		"$a/flattened.vmcore" "$a/$flat.vmcore")"
else
	skip "flattened stream" "no kdump-compressed dump"
fi
check "truncated dump: error, says truncated, kernel from its VMCOREINFO" \
	"error True $(mf "$first" 'm["kernel"]["release"]')" \
	"$(py "$strip"'r = load(sys.argv[1])[sys.argv[2]]
print(r["status"], "truncated" in r["error"], r["kernel"])' "$tmp/all.jsonl" "$a/bad/truncated.vmcore")"
for what in "not a dump:1" "empty:1" "not a regular file:1" \
	"broken symlink:1" "ELF, not a core file:1"; do
	label=${what%:*}
	check "skipped, counted: $label" "${what#*:}" \
		"$(sed -n "s/^    $label  *\([0-9]*\)\$/\1/p" "$tmp/all.err")"
done
check "summary counts errors" 1 "$(sed -n 's/^  error  *\([0-9]*\)$/\1/p' "$tmp/all.err")"

# The database holds exactly the JSON Lines.
"$MMLIFE" report --jsonl "$tmp/all.db" >"$tmp/all.db.jsonl"
check "JSON Lines = database (report --jsonl)" True \
	"$(py 'import json,sys
a = sorted((json.loads(l) for l in open(sys.argv[1])), key=lambda r: r["path"])
b = sorted((json.loads(l) for l in open(sys.argv[2])), key=lambda r: r["path"])
print(a == b)' "$tmp/all.jsonl" "$tmp/all.db.jsonl")"
check "database tables: dumps, mms, findings, verdicts consistent" "$total True True" \
	"$(py 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("select count(*), count(distinct path) from dumps").fetchone()
f = c.execute("select count(*) from findings").fetchone()[0]
s = c.execute("select sum(n_findings) from dumps").fetchone()[0]
v = c.execute("select count(*) from verdicts v left join dumps d on d.id=v.dump_id where d.id is null").fetchone()[0]
print(n[0], n[0] == n[1], f == s and v == 0)' "$tmp/all.db")"

# report answers without SQL.
want=$(py "$strip"'print(" ".join(sorted(p for p, r in load(sys.argv[1]).items()
    if any(f["id"] == "xa-zero" for m in r["mms"] for f in m["findings"]))))' "$tmp/all.jsonl")
got=$("$MMLIFE" report --json --finding xa-zero "$tmp/all.db" |
	py 'import json,sys; print(" ".join(sorted(r["path"] for r in json.load(sys.stdin))))')
check "report --finding xa-zero: the dumps with that finding" "$want" "$got"
check "report --kernels --finding xa-zero: the kernels of those dumps" \
	"$(echo "$want" | wc -w)" \
	"$("$MMLIFE" report --json --kernels --finding xa-zero "$tmp/all.db" |
		py 'import json,sys; print(sum(r["dumps"] for r in json.load(sys.stdin)))')"
check "report --kernels: every dump counted once" "$total" \
	"$("$MMLIFE" report --json --kernels "$tmp/all.db" |
		py 'import json,sys; print(sum(r["dumps"] for r in json.load(sys.stdin)))')"
check "report --errors: the truncated dump" "$a/bad/truncated.vmcore" \
	"$("$MMLIFE" report --json --errors "$tmp/all.db" |
		py 'import json,sys; print(" ".join(r["path"] for r in json.load(sys.stdin)))')"
want=$(py "$strip"'print(" ".join(sorted(p for p, r in load(sys.argv[1]).items()
    if any(v["problem"] == "failed-fork-marker" and v["presence"] == "absent"
           for v in r["verdicts"]))))' "$tmp/all.jsonl")
got=$("$MMLIFE" report --json --verdict failed-fork-marker --presence absent "$tmp/all.db" |
	py 'import json,sys; print(" ".join(sorted(set(r["path"] for r in json.load(sys.stdin)))))')
check "report --verdict failed-fork-marker --presence absent" "$want" "$got"
"$MMLIFE" report "$tmp/all.db" >"$tmp/overview" 2>&1 &&
	grep -q '^Dumps by kernel release' "$tmp/overview" &&
	grep -q '^Verdicts' "$tmp/overview" &&
	ok "report overview: statuses, kernels, findings, verdicts" ||
	notok "report overview"

# ---- resume ----
# Which dumps a resume opens: strace's openat lines that name one (the
# files that are not dumps are not stored, so they are looked at again).
if command -v strace >/dev/null 2>&1 && strace -f -qq -e trace=none true 2>/dev/null; then
	# (LeakSanitizer cannot run under ptrace: off in an ASan build.)
	ASAN_OPTIONS=detect_leaks=0 \
	strace -f -qq -e trace=open,openat -o "$tmp/again.strace" \
		"$MMLIFE" scan -j 2 --db "$tmp/all.db" -o "$tmp/again.jsonl" "$a" \
		>/dev/null 2>"$tmp/again.err"
	rc=$?
	check "resume of an unchanged archive opens no dump (strace)" 0 \
		"$(grep -c '\.vmcore"' "$tmp/again.strace")"
else
	"$MMLIFE" scan -j 2 --db "$tmp/all.db" -o "$tmp/again.jsonl" "$a" \
		>/dev/null 2>"$tmp/again.err"
	rc=$?
	skip "resume opens no dump" "no working strace"
fi
"$MMLIFE" report --jsonl "$tmp/all.db" >"$tmp/again.db.jsonl"
same=changed
cmp -s "$tmp/all.db.jsonl" "$tmp/again.db.jsonl" && same=same
unchanged=$(sed -n 's/^  unchanged (already stored)  *\([0-9]*\)$/\1/p' "$tmp/again.err")
check "resume: exit 0, no new line, database unchanged, all unchanged" \
	"0 0 same $total" "$rc $(wc -l <"$tmp/again.jsonl") $same $unchanged"
touch "$a/bad/truncated.vmcore"
"$MMLIFE" scan -j 2 --db "$tmp/all.db" -o "$tmp/touched.jsonl" "$a" \
	>/dev/null 2>&1
check "resume: a file with a new mtime is analysed again (only it)" \
	"$a/bad/truncated.vmcore" \
	"$(py 'import json,sys; print(" ".join(json.loads(l)["path"] for l in open(sys.argv[1])))' "$tmp/touched.jsonl")"

# A dump rewritten in place, same size, its mtime put back (touch -d):
# caught by its ctime, then by its header fingerprint.
cp "$top/vmcores/$first/vmcore" "$a/copy.vmcore"
total=$((total + 1))
"$MMLIFE" scan -q --db "$tmp/all.db" -o /dev/null "$a/copy.vmcore" >/dev/null 2>&1
before=$(stat -c '%s %y' "$a/copy.vmcore")
mt=$(stat -c '%Y' "$a/copy.vmcore").$(stat -c '%y' "$a/copy.vmcore" | sed 's/.*\.\([0-9]*\).*/\1/')
py 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(4000); b = f.read(1); f.seek(4000); f.write(bytes([b[0] ^ 0xff]))' "$a/copy.vmcore"
touch -d "@$mt" "$a/copy.vmcore"
check "precondition: same size and mtime after the rewrite" "$before" \
	"$(stat -c '%s %y' "$a/copy.vmcore")"
"$MMLIFE" scan -q --db "$tmp/all.db" -o "$tmp/rewritten.jsonl" "$a" >/dev/null 2>&1
check "resume: a header rewritten under the same size and mtime is analysed again (only it)" \
	"$a/copy.vmcore True" "$(py "$fingerprint"'import json
r = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join(x["path"] for x in r), r[0]["fingerprint"] == fingerprint(r[0]["path"]) if r else "")' \
		"$tmp/rewritten.jsonl")"
chmod 600 "$a/copy.vmcore"   # a new ctime, the same bytes
"$MMLIFE" scan --db "$tmp/all.db" -o "$tmp/chmod.jsonl" "$a" >/dev/null 2>"$tmp/chmod.err"
check "resume: a new ctime with the same header is unchanged (fingerprint), no line" \
	"0 $total" "$(wc -l <"$tmp/chmod.jsonl") $(sed -n 's/^  unchanged (already stored)  *\([0-9]*\)$/\1/p' "$tmp/chmod.err")"
check "... and its new stat is stored, so the next resume needs no read" \
	"$(stat -c '%Z' "$a/copy.vmcore")" "$(py 'import sqlite3,sys
print(sqlite3.connect(sys.argv[1]).execute("select ctime_ns from dumps where path=?", (sys.argv[2],)).fetchone()[0] // 10**9)' \
		"$tmp/all.db" "$a/copy.vmcore")"

# --retry-errors: the failed dumps only; --rescan: all of them.
"$MMLIFE" scan -q --retry-errors --db "$tmp/all.db" -o "$tmp/retry.jsonl" "$a" >/dev/null 2>&1
rc=$?
check "--retry-errors: exit 3, the dump that failed (only it) analysed again" \
	"3 $a/bad/truncated.vmcore" "$rc $(py 'import json,sys; print(" ".join(json.loads(l)["path"] for l in open(sys.argv[1])))' "$tmp/retry.jsonl")"
"$MMLIFE" scan -q --rescan --db "$tmp/all.db" -o "$tmp/rescan.jsonl" "$a" >/dev/null 2>&1
check "--rescan: every dump analysed again" "$total" "$(wc -l <"$tmp/rescan.jsonl")"

# The reference for what follows: the database after that, without the
# rewritten copy (the kill -9 and shard runs scan the archive as it was).
rm "$a/copy.vmcore"
total=$((total - 1))
py 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1]); c.execute("pragma foreign_keys=on")
c.execute("delete from dumps where path=?", (sys.argv[2],)); c.commit()' \
	"$tmp/all.db" "$a/copy.vmcore"
"$MMLIFE" report --jsonl "$tmp/all.db" >"$tmp/all.db.jsonl"

# ---- kill -9 in the middle, then resume ----
"$MMLIFE" scan -j 1 -q --db "$tmp/killed.db" -o "$tmp/killed.jsonl" "$a" \
	>/dev/null 2>&1 &
pid=$!
# Polled with sqlite3(1), a few ms a look (a Python start per look took
# longer than the scan of several dumps once each took 15-30 ms), and
# stopped at once on the first stored row, then killed.
rows=0
i=0
while [ "$i" -lt 6000 ] && [ "${rows:-0}" -lt 1 ]; do
	sleep 0.01
	rows=$(sqlite3 -readonly "$tmp/killed.db" "select count(*) from dumps" 2>/dev/null)
	i=$((i + 1))
done
kill -STOP "$pid" 2>/dev/null
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
got=$(py 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("pragma integrity_check").fetchone()[0],
      c.execute("select count(*) from dumps").fetchone()[0])' "$tmp/killed.db")
case $got in
"ok "[1-9]*)
	left=${got#ok }
	if [ "$left" -lt "$total" ]; then
		ok "kill -9 mid-run: database intact with $left of $total dumps"
	else
		skip "kill -9 mid-run" "the scan finished before the kill"
	fi ;;
*) notok "kill -9 mid-run: database intact (got: $got)" ;;
esac
"$MMLIFE" scan -j 2 -q --db "$tmp/killed.db" -o "$tmp/resumed.jsonl" "$a" \
	>/dev/null 2>&1
"$MMLIFE" report --jsonl "$tmp/killed.db" >"$tmp/killed.db.jsonl"
check "after kill -9, a re-run completes: same records as one clean run, no duplicate" \
	"True $total" "$(py "$strip"'
a, b = load(sys.argv[1]), load(sys.argv[2])
n = sum(1 for _ in open(sys.argv[2]))
print(a == b, n)' "$tmp/all.db.jsonl" "$tmp/killed.db.jsonl")"
check "the re-run analysed only what the killed run had not stored" \
	"$total" "$(($(wc -l <"$tmp/resumed.jsonl") + ${left:-0}))"

# ---- shards ----
for s in 0 1 2; do
	"$MMLIFE" scan -j 2 -q --shard "$s/3" --db "$tmp/shard$s.db" \
		-o "$tmp/shard$s.jsonl" "$a" >/dev/null 2>&1
done
check "shards 0..2 of 3: disjoint, union = the whole archive, key = sha256(rel path)" \
	"True True True" "$(py "$strip"'
whole = set(load(sys.argv[1]))
parts = [load(f) for f in sys.argv[2:5]]
keys = [set(p) for p in parts]
disjoint = sum(map(len, keys)) == len(set().union(*keys))
import hashlib
rule = all(int(hashlib.sha256(r["rel"].encode()).hexdigest()[:16], 16) % 3 == i
           for i, p in enumerate(parts) for r in p.values())
print(disjoint, set().union(*keys) == whole, rule)' "$tmp/all.jsonl" \
	"$tmp/shard0.jsonl" "$tmp/shard1.jsonl" "$tmp/shard2.jsonl")"
"$MMLIFE" db merge "$tmp/merged.db" "$tmp/shard0.db" "$tmp/shard1.db" \
	"$tmp/shard2.db" 2>/dev/null
"$MMLIFE" db merge "$tmp/merged.db" "$tmp/shard1.db" 2>/dev/null
"$MMLIFE" report --jsonl "$tmp/merged.db" >"$tmp/merged.jsonl"
check "db merge of the shards (twice) = the whole, no duplicate" "True $total" \
	"$(py "$strip"'
print(load(sys.argv[1]) == load(sys.argv[2]), sum(1 for _ in open(sys.argv[2])))' \
	"$tmp/all.db.jsonl" "$tmp/merged.jsonl")"

# ---- a dump root cannot read: as nobody, mode 000 ----
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$MMLIFE"; then
	chmod 755 "$tmp"
	mkdir -p "$tmp/priv/arch"
	cp "$a/bad/truncated.vmcore" "$tmp/priv/arch/locked.vmcore"
	chmod 000 "$tmp/priv/arch/locked.vmcore"
	chown -R nobody "$tmp/priv"
	chmod 000 "$tmp/priv/arch/locked.vmcore"
	chown root "$tmp/priv/arch/locked.vmcore"
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		"$MMLIFE" scan -q --db "$tmp/priv/p.db" -o "$tmp/priv/p.jsonl" \
		"$tmp/priv/arch" >/dev/null 2>&1
	rc=$?
	check "unreadable dump (mode 000, scanned as nobody): exit 3, status error, Permission denied" \
		"3 error True" "$rc $(py 'import json,sys
r = json.loads(open(sys.argv[1]).readline())
print(r["status"], "Permission denied" in r["error"])' "$tmp/priv/p.jsonl" 2>/dev/null)"
else
	skip "unreadable dump as nobody" "needs root and setpriv"
fi

# ---- children that hang or crash ----
# 1 ms: less than an exec of mmlife and its libraries takes (a fixture's
# whole analysis can take less than 10 ms, now that no hash comes first).
"$MMLIFE" scan -q --no-db --timeout 0.001 -o "$tmp/t.jsonl" "$a/$first.vmcore" \
	>/dev/null 2>&1
check "--timeout: status timeout" "timeout" \
	"$(py 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["status"])' "$tmp/t.jsonl")"
marker=mmlife-batch-test-$$
printf '#!/bin/sh\nsleep 30 & wait  # %s\n' "$marker" >"$tmp/hang.sh"
printf '#!/bin/sh\nkill -SEGV $$\n' >"$tmp/segv.sh"
chmod +x "$tmp/hang.sh" "$tmp/segv.sh"
MMLIFE_SCAN_CHILD=$tmp/hang.sh "$MMLIFE" scan -q --no-db --timeout 1 \
	-o "$tmp/h.jsonl" "$a/$first.vmcore" >/dev/null 2>&1
sleep 0.2
check "a hanging child: timeout, its process group killed" "timeout 0" \
	"$(py 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["status"])' "$tmp/h.jsonl") $(pgrep -f "$marker" | wc -l)"
MMLIFE_SCAN_CHILD=$tmp/segv.sh "$MMLIFE" scan -q --no-db -o "$tmp/c.jsonl" \
	"$a/$first.vmcore" "$a/bad/truncated.vmcore" >/dev/null 2>&1
rc=$?
check "a crashing child: status crashed, signal 11, the batch goes on" \
	"3 crashed:11 crashed:11" "$rc $(py 'import json,sys
print(" ".join("%s:%s" % (r["status"], r["signal"]) for r in map(json.loads, open(sys.argv[1]))))' "$tmp/c.jsonl")"

# ---- exit statuses, --mem-limit, --xz ----
fdump=$(sed -n 's/^\([^|]*\)|findings .*/\1/p' "$tmp/status" | head -n 1)
odump=$(sed -n 's/^\([^|]*\)|ok .*/\1/p' "$tmp/status" | head -n 1)
if [ -n "$fdump" ] && [ -n "$odump" ]; then
	"$MMLIFE" scan -q --no-db -o /dev/null "$a/$fdump.vmcore" "$a/$odump.vmcore" >/dev/null 2>&1
	rc1=$?
	"$MMLIFE" scan -q --no-db -o /dev/null "$a/$odump.vmcore" >/dev/null 2>&1
	check "exit 1 with findings ($fdump), 0 without ($odump)" "1 0" "$rc1 $?"
else
	skip "exit 1 and 0" "no dump with findings and none without"
fi
if "$MMLIFE" scan --help | grep -q 'ASan build'; then
	skip "--mem-limit" "an ASan build reserves terabytes of shadow memory"
else
# The limit must stop libkdumpfile at its file cache (an error; the header,
# and so the kernel, read before): a few MB higher, a later allocation of
# its set-up fails and 0.5.1 then crashes in kdump_free(). That window moves
# with the size of the libraries mapped: 15-16M with libcrypto, 11-14M
# since nettle replaced it.
"$MMLIFE" scan -q --no-db --mem-limit 12M -o "$tmp/m.jsonl" "$a/$first.vmcore" >/dev/null 2>&1
rc=$?
"$MMLIFE" scan -q --no-db --mem-limit 1G -o "$tmp/m1g.jsonl" "$a/$first.vmcore" >/dev/null 2>&1
check "--mem-limit 12M: exit 3, an error that names the limit; 1G: analysed" \
	"3 error True $(mf "$first" 'm["kernel"]["release"]') ok" \
	"$rc $(py 'import json,sys
r = json.loads(open(sys.argv[1]).readline())
print(r["status"], "--mem-limit 12M" in (r["error"] or ""), r["kernel"])' "$tmp/m.jsonl") $(py 'import json,sys
print(json.loads(open(sys.argv[1]).readline())["status"])' "$tmp/m1g.jsonl" | sed 's/findings/ok/')"
fi
mkdir -p "$tmp/xz"
xz -0 -T1 -c "$top/vmcores/$first/vmcore" >"$tmp/xz/$first.vmcore.xz"
"$MMLIFE" scan --no-db -o "$tmp/noxz.jsonl" "$tmp/xz" >/dev/null 2>"$tmp/noxz.err"
"$MMLIFE" scan -q --xz --no-db -o "$tmp/xz.jsonl" "$tmp/xz" >/dev/null 2>&1
check "xz container: skipped and counted without --xz; with --xz the same status, kernel and findings as the dump" \
	"1 0 True" "$(sed -n 's/^    xz container (use --xz)  *\([0-9]*\)$/\1/p' "$tmp/noxz.err") $(wc -l <"$tmp/noxz.jsonl") $(py "$strip"'
a = list(load(sys.argv[1]).values())[0]; b = load(sys.argv[2])[sys.argv[3]]
print(all(a[k] == b[k] for k in ("status", "kernel", "build_id", "mms", "counts")))' \
		"$tmp/xz.jsonl" "$tmp/all.jsonl" "$a/$first.vmcore")"

# ---- a database of schema 2 (before the identity and crash-time columns) ----
py 'import sqlite3,sys
src = sqlite3.connect(sys.argv[1]); c = sqlite3.connect(sys.argv[2])
for (sql,) in src.execute("select sql from sqlite_master where sql is not null"):
    c.execute(sql.replace(" dev INTEGER, ino INTEGER, ctime_ns INTEGER, fingerprint TEXT,", "")
                 .replace(" crash_time TEXT,", ""))
for t in ("meta", "dumps", "mms", "findings", "verdicts"):
    cols = [r[1] for r in c.execute("pragma table_info(%s)" % t)]
    rows = src.execute("select %s from %s" % (",".join(cols), t)).fetchall()
    c.executemany("insert into %s values(%s)" % (t, ",".join("?" * len(cols))), rows)
c.execute("update meta set value=2 where key=\"schema_version\"")
c.commit()' "$tmp/all.db" "$tmp/v2.db"
"$MMLIFE" scan -q --db "$tmp/v2.db" -o "$tmp/v2.jsonl" "$a" >/dev/null 2>&1
rc=$?
check "a schema 2 database: migrated to 3, resumed (each dump analysed once more: no fingerprint stored)" \
	"3 3 $total" "$rc $(py 'import sqlite3,sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select value from meta where key=\"schema_version\"").fetchone()[0],
      c.execute("select count(*) from dumps where fingerprint is not null or error is not null").fetchone()[0])' "$tmp/v2.db")"

MMLIFE_SCAN_CHILD=$tmp/segv.sh "$MMLIFE" scan -q --hash --no-db -o "$tmp/ch.jsonl" \
	"$a/$first.vmcore" >/dev/null 2>&1
check "--hash beside a crashing child: crashed, signal 11, and the file's sha256sum" \
	"crashed 11 $(sha256sum <"$a/$first.vmcore" | cut -d' ' -f1)" \
	"$(py 'import json,sys
r = json.loads(open(sys.argv[1]).readline()); print(r["status"], r["signal"], r["sha256"])' "$tmp/ch.jsonl")"

# Progress: a bar with done/total, rate, ETA and errors on a terminal
# (script(1) provides one), plain lines otherwise (the runs above).
if command -v script >/dev/null 2>&1; then
	script -qec "$MMLIFE scan --no-db -j 2 -o /dev/null $a/$first.vmcore $a/bad/truncated.vmcore" \
		/dev/null >"$tmp/tty.out" 2>&1 </dev/null
	if grep -q '2/2 .*/s .*ETA .*errors 1' "$tmp/tty.out" &&
		! grep -q '\[1/2\] ok' "$tmp/tty.out"; then
		ok "on a terminal: a progress bar (done/total, rate, ETA, errors)"
	else
		notok "on a terminal: a progress bar"
		tr '\r' '\n' <"$tmp/tty.out" | tail -n 3 | sed 's/^/#   /'
	fi
else
	skip "progress bar on a terminal" "no script(1)"
fi
check "--dry-run lists the dumps" "$total" \
	"$("$MMLIFE" scan --dry-run --rescan --no-db "$a" 2>/dev/null | wc -l)"
