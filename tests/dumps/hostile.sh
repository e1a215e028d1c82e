#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Hostile dumps: every fixture of vmcores/ damaged at test time the way
# dumps from crashing machines and bad transfers are (truncated at several
# points; random byte flips in the kdump headers, the page descriptor
# table and the compressed page data; in the ELF dump, flips inside maple
# nodes and mm_structs found through PT_LOAD p_paddr (the linear map's
# physical address, lib/linear.py: VA - page_offset_base on x86_64), zeroed
# node and mm pages, and the kernel's top-level page table with its
# direct-map entry, or every entry, pointing back at itself).
#
# Each variant goes through
#   - the CLI: no signal, no hang (HOSTILE_TIMEOUT s), and either exit 3
#     with one line on stderr or a report (exit 0 or 1);
#   - the batch scan (mmlife scan, one child per dump): one record per
#     variant, none "crashed" or "timeout";
#   - a handful of them in crash 9.0.2 (forky chroot) with the extension:
#     when crash itself opens the dump, crash quits with status 0, mmlife
#     reports or names what stopped it, and crash answers ps afterwards.
# The variants are deterministic (HOSTILE_SEED, default 1) and made one
# fixture at a time in a temp dir (the ELF one is unpacked by common.sh).
#   B=build  HOSTILE_TIMEOUT=120  HOSTILE_SEED=1  HOSTILE_CRASH=0 (skip crash)
#   HOSTILE_KEEP=1 keeps the variants that failed (their path is printed)
#   HOSTILE_DUMPS="6.1-failed-fork ..." only these fixtures
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
TIMEOUT=${HOSTILE_TIMEOUT:-120}
SEED=${HOSTILE_SEED:-1}
keep=$top/build/hostile-failed
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
# A private copy: other builds may replace build/mmlife while this runs.
cp "$MMLIFE" "$tmp/mmlife" && MMLIFE=$tmp/mmlife

# ---- the variants of one dump ----
# mkvariants NAME DUMP OUTDIR: writes the variants, prints "name description"
mkvariants() {
	"$MMLIFE" --json "$2" >"$tmp/orig.json" 2>/dev/null
	python3 - "$1" "$2" "$3" "$top/vmcores/$1/manifest.json" "$tmp/orig.json" "$SEED" \
		"$top/tests/dumps/lib" <<'PY'
import json, os, random, struct, sys, zlib
name, src, out, manifest, orig, seed = sys.argv[1:7]
sys.path.insert(0, sys.argv[7])
from linear import Memory, vmcoreinfo_text
m = json.load(open(manifest))
size = os.path.getsize(src)
rnd = random.Random(zlib.crc32(name.encode()) ^ int(seed))
data = open(src, "rb").read()

def write(vname, desc, buf):
    with open(os.path.join(out, vname), "wb") as f:
        f.write(buf)
    print(vname, desc)

def flips(buf, lo, hi, n):
    buf = bytearray(buf)
    hi = min(hi, len(buf))
    if hi <= lo:
        return bytes(buf)
    for _ in range(n):
        i = rnd.randrange(lo, hi)
        buf[i] ^= 1 << rnd.randrange(8) if rnd.random() < 0.5 else rnd.randrange(1, 256)
    return bytes(buf)

# The top-level page table (init_top_pgt, swapper_pg_dir on arm64;
# lib/linear.py says where); its page made to point at itself.
def pgd_self(page, top, arch):
    """(suffix, description, page): the direct-map entry, then all."""
    pa, n, idx, bits = top
    table = "swapper_pg_dir" if arch == "aarch64" else "init_top_pgt"
    for suffix, entries, what in (("pgd-self", [idx], "PGD entry %d (the direct map)" % idx),
                                  ("pgd-all-self", range(n), "every entry")):
        p = bytearray(page)
        for k in entries:
            struct.pack_into("<Q", p, 8 * k, pa | bits)
        yield suffix, "%s of %s (pa 0x%x) points to the PGD itself" % (what, table, pa), bytes(p)

# truncated
for frac, label in ((0, "empty"), (None, "64 bytes"), (0.01, "1%"), (0.25, "25%"),
                    (0.5, "50%"), (0.9, "90%"), (-1, "one byte short")):
    if frac is None:
        n = 64
    elif frac == -1:
        n = size - 1
    else:
        n = int(size * frac)
    write("trunc-%s" % label.replace(" ", "-").replace("%", "pct"),
          "truncated to %d of %d bytes (%s)" % (n, size, label), data[:n])

fmt = m["dump"]["format"]
if data[:8] == b"KDUMP   " or data[:16].startswith(b"makedumpfile"):
    flat = not data.startswith(b"KDUMP   ")
    if flat:
        # makedumpfile -F: the stream's own headers, then records
        write("flat-hdr-flips", "8 byte flips in the flattened stream's first 8 KiB",
              flips(data, 16, 8192, 8))
        write("flat-data-flips", "64 byte flips in the records after the first 8 KiB",
              flips(data, 8192, size, 64))
    else:
        block, sub, bitmap = struct.unpack_from("<iiI", data, 428)
        descs = (1 + sub + bitmap) * block
        write("kdump-hdr-flips", "6 byte flips in the disk_dump_header (block_size, "
              "sub header, bitmap sizes, max_mapnr...)", flips(data, 8, 464, 6))
        write("kdump-subhdr-flips", "8 byte flips in the kdump sub header (VMCOREINFO, notes)",
              flips(data, block, block * (1 + sub), 8))
        write("kdump-bitmap-flips", "32 byte flips in the page bitmaps",
              flips(data, block * (1 + sub), descs, 32))
        write("kdump-desc-flips", "64 byte flips in the page descriptor table (offsets, sizes, flags)",
              flips(data, descs, descs + (size - descs) // 8, 64))
        write("kdump-data-flips", "256 byte flips in the compressed page data",
              flips(data, descs + (size - descs) // 8, size, 256))
        buf = bytearray(data)
        for _ in range(16):
            i = rnd.randrange(descs + (size - descs) // 8, size - 4096)
            buf[i:i + 4096] = bytes(4096)
        write("kdump-data-zeroed", "16 zeroed 4 KiB runs in the compressed page data", bytes(buf))
        # The top-level page table made to point at itself, as in the ELF
        # variants: its page (zlib only) is inflated, changed, deflated
        # again and appended, and its descriptor pointed there.
        voff, vsize = struct.unpack_from("<QQ", data, block + 32)
        mem = Memory(m, data[voff:voff + vsize].decode("latin1"))
        top = mem.top_table()
        pa = top[0] if top else None
        half = bitmap * block // 2
        bm = data[block * (1 + sub) + half:block * (1 + sub) + 2 * half]
        if pa and m["kernel"].get("paging_levels", 4) == 4:
            pfn = pa >> 12
            if pfn // 8 < len(bm) and bm[pfn // 8] >> (pfn % 8) & 1:
                idx = sum(bin(b).count("1") for b in bm[:pfn // 8]) + \
                    bin(bm[pfn // 8] & ((1 << (pfn % 8)) - 1)).count("1")
                d = descs + 24 * idx
                off, sz, flags = struct.unpack_from("<qII", data, d)
                if flags == 1:
                    for suffix, desc, p in pgd_self(zlib.decompress(data[off:off + sz]), top, mem.arch):
                        comp = zlib.compress(p)
                        buf = bytearray(data) + comp
                        struct.pack_into("<qI", buf, d, len(data), len(comp))
                        write("kdump-" + suffix, desc + " (page recompressed)", bytes(buf))
elif data[:4] == b"\x7fELF":
    j = json.load(open(orig))
    mem = Memory(m, vmcoreinfo_text(data))
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    loads = []
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, p_paddr, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1:
            loads.append((p_paddr, p_offset, p_filesz))

    def off_of_pa(pa):
        for p, o, n in loads:
            if p <= pa < p + n:
                return o + pa - p
        return None

    def off_of(va):
        return off_of_pa(mem.pa(va))
    mms = [x for x in j["mms"] if x.get("ma_root")]
    nodes = [int(x["ma_root"], 16) & ~0xff for x in mms if int(x["ma_root"], 16) & 2]
    mmaddrs = [int(x["address"], 16) for x in mms]
    buf = bytearray(data)
    for va in rnd.sample(nodes, min(12, len(nodes))):
        o = off_of(va)
        if o is not None:
            for _ in range(6):
                buf[o + rnd.randrange(256)] ^= rnd.randrange(1, 256)
    write("elf-node-flips", "6 byte flips in each of %d maple root nodes" % min(12, len(nodes)), bytes(buf))
    buf = bytearray(data)
    for va in rnd.sample(mmaddrs, min(12, len(mmaddrs))):
        o = off_of(va)
        if o is not None:
            for _ in range(8):
                buf[o + rnd.randrange(0x400)] ^= rnd.randrange(1, 256)
    write("elf-mm-flips", "8 byte flips in each of %d mm_structs" % min(12, len(mmaddrs)), bytes(buf))
    buf = bytearray(data)
    for va in set([v & ~0xfff for v in nodes[:6]] + [v & ~0xfff for v in mmaddrs[:6]]):
        o = off_of(va)
        if o is not None:
            buf[o:o + 4096] = bytes(4096)
    write("elf-zeroed-pages", "the pages of 6 root nodes and 6 mm_structs zeroed", bytes(buf))
    top = mem.top_table()
    o = off_of_pa(top[0]) if top else None
    if o is not None:
        for suffix, desc, p in pgd_self(data[o:o + 4096], top, mem.arch):
            write("elf-" + suffix, desc, data[:o] + p + data[o + 4096:])
    # program headers
    write("elf-phdr-flips", "8 byte flips in the ELF and program headers",
          flips(data, 16, phoff + phnum * phentsize, 8))
else:
    write("head-flips", "32 byte flips in the first 64 KiB", flips(data, 0, 65536, 32))
PY
}

# ---- the CLI on one variant ----
cli_one() { # NAME FILE DESC
	t0=$(date +%s)
	timeout -s KILL "$TIMEOUT" "$MMLIFE" --json "$2" >"$tmp/out.json" 2>"$tmp/err"
	rc=$?
	dt=$(($(date +%s) - t0))
	cli_runs=$((cli_runs + 1))
	lines=$(grep -c . "$tmp/err")
	case $rc in
	0|1)
		if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out.json" 2>/dev/null; then
			ok "$1: report (exit $rc, $(jsq "$tmp/out.json" 'str(len([f for m in j["mms"] for f in m["findings"]]) + len(j["findings"])) + " findings, " + str(len(j["errors"])) + " errors"'), ${dt}s) - $3"
			cli_reports=$((cli_reports + 1))
		else
			notok "$1: exit $rc but the JSON does not parse - $3"; failed_variant "$2"
		fi ;;
	3)
		if [ "$lines" -eq 1 ]; then
			ok "$1: exit 3, $(head -c 160 "$tmp/err") (${dt}s)"
			cli_refused=$((cli_refused + 1))
		else
			notok "$1: exit 3 with $lines lines on stderr (want one) - $3"
			head -n 5 "$tmp/err" | sed 's/^/#   /'; failed_variant "$2"
		fi ;;
	137)
		notok "$1: killed after ${TIMEOUT}s (hang) - $3"; hangs=$((hangs + 1)); failed_variant "$2" ;;
	*)
		if [ $rc -gt 128 ]; then
			notok "$1: died of signal $((rc - 128)) - $3"; crashes=$((crashes + 1))
		else
			notok "$1: exit $rc - $3"
		fi
		tail -n 5 "$tmp/err" | sed 's/^/#   /'; failed_variant "$2" ;;
	esac
}
failed_variant() {
	[ -n "${HOSTILE_KEEP:-}" ] || return 0
	mkdir -p "$keep" && cp "$1" "$keep/" && echo "#   kept: $keep/$(basename "$1")"
}

# ---- the batch scan over one fixture's variants ----
have_scan=no
"$MMLIFE" scan --help >/dev/null 2>&1 && have_scan=yes
scan_dir() { # NAME DIR COUNT (the empty variant is skipped by the scan)
	if [ $have_scan != yes ]; then
		skip "$1: batch scan" "mmlife scan not built"
		return
	fi
	rm -f "$tmp/scan.jsonl"
	timeout -s KILL $((TIMEOUT * $3 + 60)) "$MMLIFE" scan --no-db -q -j 1 --timeout "$TIMEOUT" \
		-o "$tmp/scan.jsonl" "$2" >"$tmp/scan.out" 2>"$tmp/scan.err"
	rc=$?
	res=$(python3 - "$tmp/scan.jsonl" "$3" <<'PY'
import json, sys, collections
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
c = collections.Counter(r["status"] for r in recs)
bad = [r["rel"] + ": " + r["status"] + " " + str(r.get("error")) for r in recs if r["status"] in ("crashed", "timeout")]
print(len(recs), " ".join("%s=%d" % kv for kv in sorted(c.items())), "|", "; ".join(bad))
PY
)
	nrec=${res%% *}
	bad=${res#*| }
	scan_runs=$((scan_runs + ${nrec:-0}))
	if [ "$rc" -le 3 ] && [ "${nrec:-0}" -eq "$3" ] && [ -z "$bad" ]; then
		ok "$1: batch scan of $3 non-empty variants (exit $rc): ${res%%|*}"
	else
		notok "$1: batch scan of $3 non-empty variants (exit $rc): $res"
		tail -n 5 "$tmp/scan.err" | sed 's/^/#   /'
	fi
}

# ---- crash ----
crash_one() { # FIXTURE FILE VARIANT DESC
	ch=$(chroot_dir forky)
	so=$top/$B-crash-forky/mmlife.so
	vml=$(vmlinux_of "$1")
	fetch_result $? "$vml" "crash $1/$3" || return
	nomod=""
	case $(mf "$1" 'm["kernel"]["key"]') in 7.*) nomod=--no_modules ;; esac
	rm -f "$tmp/crash.json"
	printf 'extend %s\nmmlife -a\nps\nmmlife -j > %s\nsys\nquit\n' "$(in_chroot "$so")" \
		"$(in_chroot "$tmp/crash.json")" >"$tmp/crash.cmds"
	t0=$(date +%s)
	( chroot_run forky timeout -s KILL 600 crash -s $nomod "$(in_chroot "$vml")" "$(in_chroot "$2")" \
		<"$tmp/crash.cmds" >"$tmp/crash.log" 2>&1 )
	rc=$?
	dt=$(($(date +%s) - t0))
	crash_runs=$((crash_runs + 1))
	if ! grep -q "shared object loaded" "$tmp/crash.log"; then
		# crash itself did not get to its prompt: the extension cannot
		# run. What is checked is only that crash neither hung nor died.
		why=$(grep -m1 -iE 'crash:|invalid|truncat|cannot|error' "$tmp/crash.log" | head -c 120)
		[ -n "$why" ] || why=$(grep . "$tmp/crash.log" | tail -n 1 | head -c 120)
		if [ $rc -eq 137 ]; then
			notok "crash $1/$3: crash hung before its prompt (${dt}s) - $4"
		elif [ $rc -gt 128 ]; then
			notok "crash $1/$3: crash died of signal $((rc - 128)) before its prompt - $4"
		else
			ok "crash $1/$3: crash itself refuses the dump without hanging or dying (exit $rc: $why); the extension did not run - $4"
			crash_refused=$((crash_refused + 1))
		fi
		return
	fi
	# The extension ran: "mmlife -a" printed its report (or its one-line
	# error), and "mmlife -j" wrote JSON naming the crash front end (or
	# said why not); then crash still answered ps and sys.
	ran=no
	if { grep -q '^Summary' "$tmp/crash.log" || grep -q '^mmlife: ' "$tmp/crash.log"; } &&
		{ python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if j["tool"]["front_end"] == "crash" and "counts" in j else 1)' "$tmp/crash.json" 2>/dev/null ||
		  [ "$(grep -c '^mmlife: ' "$tmp/crash.log")" -ge 2 ]; }; then
		ran=yes
	fi
	if [ $rc -eq 0 ] && [ $ran = yes ] && grep -q 'PID *PPID' "$tmp/crash.log" &&
		grep -q 'RELEASE' "$tmp/crash.log"; then
		ok "crash $1/$3: the extension ran (mmlife -a, mmlife -j), crash answers ps and sys afterwards (${dt}s) - $4"
		crash_ext_runs=$((crash_ext_runs + 1))
	else
		notok "crash $1/$3: exit $rc; extension ran: $ran; ps and sys answered? (${dt}s) - $4"
		tail -n 12 "$tmp/crash.log" | sed 's/^/#   /'
		[ $rc -gt 128 ] && crashes=$((crashes + 1))
	fi
}
crash_ready=no
if [ "${HOSTILE_CRASH:-1}" = 0 ]; then
	crash_why="HOSTILE_CRASH=0"
elif [ "$(id -u)" != 0 ]; then
	crash_why="needs root for the crash chroot"
elif ! chroot_prepare forky; then
	crash_why="forky chroot could not be prepared"
elif ! make -s B="$B-crash-forky" CRASH_DEFS="$(chroot_dir forky)/usr/include/crash/defs.h" \
	"$B-crash-forky/mmlife.so" >"$tmp/build-crash.log" 2>&1; then
	crash_why="extension does not build against forky's crash"
else
	crash_ready=yes
fi
# The handful that go through crash (crash takes ~10 s a session).
in_crash() { # FIXTURE VARIANT
	case "$1/$2" in
	6.12-swapoff-oops/kdump-desc-flips | 6.12-swapoff-oops/kdump-data-flips | \
	6.12-swapoff-oops/trunc-50pct | 6.12-swapoff-oops/kdump-pgd-self | \
	7.2-failed-fork/kdump-data-zeroed | \
	6.1-failed-fork/elf-node-flips | 6.1-failed-fork/elf-zeroed-pages | \
	6.1-failed-fork/elf-pgd-self) return 0 ;;
	esac
	return 1
}

cli_runs=0 cli_reports=0 cli_refused=0 scan_runs=0 crash_runs=0 crash_ext_runs=0 crash_refused=0 crashes=0 hangs=0
for d in $(complete_dumps); do
	case " ${HOSTILE_DUMPS:-$d} " in *" $d "*) ;; *) continue ;; esac
	v=$tmp/variants/$d
	rm -rf "$tmp/variants"
	mkdir -p "$v"
	mkvariants "$d" "$top/vmcores/$d/vmcore" "$v" >"$tmp/list" 2>"$tmp/mkv.err" || {
		notok "$d: variants could not be made"; sed 's/^/#   /' "$tmp/mkv.err" | tail -n 5; continue; }
	count=$(wc -l <"$tmp/list")
	while read -r vn desc; do
		cli_one "$d/$vn" "$v/$vn" "$desc"
	done <"$tmp/list"
	scan_dir "$d" "$v" "$(find "$v" -type f -size +0 | wc -l)"
	while read -r vn desc; do
		in_crash "$d" "$vn" || continue
		if [ $crash_ready = yes ]; then
			crash_one "$d" "$v/$vn" "$vn" "$desc"
		else
			skip "crash $d/$vn" "$crash_why"
		fi
	done <"$tmp/list"
done
echo "# hostile: $cli_runs CLI runs ($cli_reports reports, $cli_refused refused with exit 3), $scan_runs batch-scan records, $crash_runs crash sessions ($crash_ext_runs ran the extension, $crash_refused refused by crash itself); $crashes crashes, $hangs hangs"
