#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The gap rules of the kernel's mt_validate() (mas_validate_gaps()) on a
# real dump: in each ELF fixture, the arange_64 root of the mm with the
# most VMAs (for a gap past the end: of the largest whose root is not full)
# is changed in a copy, one rule at a time, as issue 24 found them
# unreported (exit 0, no finding, before the rules):
#   - gap[0] raised by 64 KiB            -> gap-value (node, slot 0, found,
#                                           expected = the untouched gap)
#   - meta.gap naming a smaller gap      -> gap-meta
#   - a gap past the node's end set      -> gap-past-end
# each named on that mm; the untouched dump gives none of the gap ids. The
# node's offsets come from `mmlife --layout` (checked against gdb and nm
# by cli_layout.sh), its address from the report's ma_root, its place in
# the file from lib/linear.py.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup

elf=0
for d in $(complete_dumps); do
	dump=vmcores/$d/vmcore
	[ "$(head -c 4 "$dump" | od -An -c | tr -d ' ')" = "177ELF" ] || continue
	elf=$((elf + 1))
	"$MMLIFE" --json "$dump" >"$tmp/orig.json" 2>/dev/null
	"$MMLIFE" --layout "$dump" >"$tmp/layout" 2>/dev/null
	check "$d: the untouched dump has no gap finding" "" \
		"$(jsq "$tmp/orig.json" '" ".join(f["id"] for m in j["mms"] for f in m["findings"] if f["id"].startswith("gap-") or f["id"] == "adjacent-nulls")')"
	python3 - "$dump" "$tmp" "$tmp/orig.json" "$tmp/layout" \
		"$top/vmcores/$d/manifest.json" "$top/tests/dumps/lib" >"$tmp/variants" <<'PY' || { notok "$d: variants made"; continue; }
import json, struct, sys
src, out, orig, layout, manifest = sys.argv[1:6]
sys.path.insert(0, sys.argv[6])
from linear import Memory, vmcoreinfo_text
lay = {}
for line in open(layout):
    k, _, v = line.strip().partition(" ")
    if k.startswith("layout.") and v != "absent":
        lay[k[7:]] = int(v, 0)
j = json.load(open(orig))
arange = lay["mt_type_arange_64"]
cands = [m for m in j["mms"] if m.get("ma_root")
         and int(m["ma_root"], 16) & 2
         and (int(m["ma_root"], 16) >> 3) & 0xf == arange
         and m["ma_flags"] and int(m["ma_flags"], 16) & 1]
if not cands:
    sys.exit(1)
data = bytearray(open(src, "rb").read())
mem = Memory(json.load(open(manifest)), vmcoreinfo_text(bytes(data)))
phoff, = struct.unpack_from("<Q", data, 32)
phentsize, phnum = struct.unpack_from("<HH", data, 54)
n = lay["ma64_slot_count"]

def root_of(m):
    """The root node's address, file offset, gaps and end, or None."""
    node = int(m["ma_root"], 16) & ~0xff
    for i in range(phnum):
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_paddr <= mem.pa(node) < p_paddr + p_filesz:
            off = p_offset + mem.pa(node) - p_paddr
            gaps = list(struct.unpack_from("<%dQ" % n, data,
                                           off + lay["ma64_gap"]))
            end = data[off + lay["ma64_meta"] + lay["meta_end"]]
            return node, off, gaps, end
    return None

def variant(name, m, patch, want):
    node, off = root_of(m)[:2]
    buf = bytearray(data)
    patch(buf, off)
    open("%s/%s" % (out, name), "wb").write(buf)
    print(name, m["address"], "0x%x" % node, want)

# The mm with the most VMAs; for a gap past the end, the largest whose
# root is not full.
cands.sort(key=lambda m: (-m["map_count"], m["address"]))
cands = [m for m in cands if root_of(m)]
if not cands:
    sys.exit(1)
mm = cands[0]
node, off, gaps, end = root_of(mm)
gap_off = lay["ma64_gap"]
meta_off = lay["ma64_meta"] + lay["meta_gap"]
largest = max(gaps[:end + 1])
variant("raise", mm,
        lambda b, o: struct.pack_into("<Q", b, o + gap_off, gaps[0] + 0x10000),
        "gap-value:0:0x%x:0x%x" % (gaps[0] + 0x10000, gaps[0]))
smaller = [i for i in range(end + 1) if gaps[i] < largest]
if smaller:
    def meta(b, o):
        b[o + meta_off] = smaller[0]
    variant("meta", mm, meta, "gap-meta:%d" % smaller[0])
roomy = [m for m in cands if root_of(m)[3] + 1 < n]
if roomy:
    variant("past", roomy[0],
            lambda b, o: struct.pack_into("<Q", b, o + gap_off + 8 * (n - 1),
                                          0x1000),
            "gap-past-end:%d:0x1000:0x0" % (n - 1))
PY
	while read -r v mm node want; do
		"$MMLIFE" --json "$tmp/$v" >"$tmp/$v.json" 2>/dev/null
		rc=$?
		# WANT is id:slot[:found:expected]; the finding of that id on
		# that mm and node, its evidence in the same shape.
		got=$(python3 - "$tmp/$v.json" "$mm" "$node" "$want" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
mm, node, want = sys.argv[2:5]
fid = want.split(":")[0]
keys = ["meta_gap"] if fid == "gap-meta" else ["slot", "gap", "expected"]
num = lambda v: int(v, 0) if isinstance(v, str) else v
for m in j["mms"]:
    for f in m["findings"] if m["address"] == mm else []:
        ev = f["evidence"]
        if f["id"] == fid and num(ev.get("node", "0")) == int(node, 16):
            print(":".join([fid] + ["%d" % num(ev[k]) if k in ("slot", "meta_gap") else "0x%x" % num(ev[k]) for k in keys]))
PY
)
		check "$d: $v: ${want%%:*} on mm $mm, node $node (exit $rc)" "$want" "$got"
	done <"$tmp/variants"
done
[ "$elf" -gt 0 ] || skip "gap rules on an ELF fixture" "no ELF dump in vmcores/"
