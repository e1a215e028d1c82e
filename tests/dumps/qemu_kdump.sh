#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# QEMU's own kdump files of aarch64 guests (manifest dump.qemu_format:
# vmcores/arm64-6.12-qemu-kdump, QEMU 7.2's kdump-zlib: flattened, 64 KiB
# blocks, machine "Unknown"), which cli/dump/qemu_kdump.c rewrites into an
# ELF core. On each: the report equals the one of the ELF dump QEMU wrote
# at the same gdb stop (dump.elf_twin, left in the cache's work dir by
# vmcores/gen/make_dump.py; not compared without it), apart from the lines that
# name the file and its format; the file reassembled (not flattened) reads
# the same, and so with the header's machine "aarch64" (64 KiB blocks are
# what tells QEMU's file then); and what cannot be read is refused with
# exit 3 and one line naming the cause: 64 KiB blocks under machine
# x86_64, VMCOREINFO that is no arm64 kernel's, a block that does not
# decompress. (findings.sh and manifest.sh check the report against
# gdb's manifest, as on every fixture.)
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
dump_test_setup

# The text report without its first two lines' file and format.
text() { "$MMLIFE" "$1" 2>&1 | sed -e '1s/:.*//' -e 's/^\(  dump      \)[^,]*,/\1FORMAT,/'; }

# fails DESC PATTERN FILE: exit 3, one line on stderr matching PATTERN.
fails() {
	"$MMLIFE" "$3" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
	   grep -Eq "$2" "$tmp/err"; then
		ok "$1: exit 3, one line: $(cat "$tmp/err")"
	else
		notok "$1: exit 3 with one line matching /$2/ (got $rc)"
		sed 's/^/#   /' "$tmp/err" | head -n 5
	fi
}

found=0
for d in $(dumps); do
	[ -n "$(mf "$d" 'm["dump"].get("qemu_format")')" ] || continue
	found=1
	f=vmcores/$d/vmcore
	"$MMLIFE" --json "$f" >"$tmp/k.json" 2>"$tmp/k.err"
	krc=$?
	if twin=$(drgn_dump "$d"); then
		"$MMLIFE" --json "$twin" >"$tmp/e.json" 2>"$tmp/e.err"
		check "$d: exit status equals the ELF twin's" "$?" "$krc"
		# The JSON without what names the file, its format and timings.
		same_json "$d: --json equals the ELF twin's (same gdb stop) but for dump.path/format" \
			"$tmp/e.json" "$tmp/k.json"
		text "$twin" >"$tmp/e.txt"
		text "$f" >"$tmp/k.txt"
		same_files "$d: the text report equals the ELF twin's but for the file and format" \
			"$tmp/e.txt" "$tmp/k.txt"
	else
		# Not a skip (CI=true fails on one): the twin exists only where
		# the fixture was made; gdb's manifest holds the report to the
		# truth everywhere (manifest.sh, findings.sh).
		echo "# $d: not compared with the ELF of the same stop: not in $CACHE/work/$d (vmcores/gen/make_dump.py $d)"
	fi
	check "$d: the format line names QEMU's kdump" "flattened QEMU kdump (zlib)" \
		"$(jsq "$tmp/k.json" 'j["dump"]["format"]')"

	# The same file reassembled (makedumpfile -R's layout), and broken.
	python3 - "$f" "$tmp/whole" "$tmp/novmci" "$tmp/badblock" "$tmp/m-" <<'PY'
import struct, sys
src = open(sys.argv[1], "rb").read()
out = bytearray()
pos = 4096
while True:
    off, size = struct.unpack(">qq", src[pos:pos + 16])
    if off < 0:
        break
    pos += 16
    if len(out) < off + size:
        out.extend(b"\0" * (off + size - len(out)))
    out[off:off + size] = src[pos:pos + size]
    pos += size
open(sys.argv[2], "wb").write(out)
# the header's machine as a later QEMU might name it, and as no QEMU would
for m in ("aarch64", "x86_64"):
    v = bytearray(out)
    v[12 + 4 * 65:12 + 5 * 65] = m.encode().ljust(65, b"\0")
    open(sys.argv[5] + m, "wb").write(v)
# VMCOREINFO that is no arm64 kernel's: its one arm64-only line renamed
open(sys.argv[3], "wb").write(bytes(out).replace(b"NUMBER(kimage_voffset)=", b"NUMBER(kimage_voffseX)="))
# The largest compressed block's data with bytes flipped in its middle
block = struct.unpack("<I", out[428:432])[0]
bitmap_blocks = struct.unpack("<I", out[436:440])[0]
desc = (2 + bitmap_blocks) * block
best = None
for i in range(0, 1 << 20):
    d = desc + 24 * i
    o, n, fl = struct.unpack("<QII", out[d:d + 16])
    if o == 0 or o >= len(out):
        break
    if fl == 1 and (best is None or n > best[1]):
        best = (o, n)
o, n = best
for k in range(o + n // 2, o + n // 2 + 16):
    out[k] ^= 0x5a
open(sys.argv[4], "wb").write(out)
PY
	text "$tmp/whole" >"$tmp/w.txt"
	text "$f" | sed 's/flattened QEMU kdump/QEMU kdump/' >"$tmp/f.txt"
	same_files "$d: reassembled, it reads the same" "$tmp/f.txt" "$tmp/w.txt"
	text "$tmp/m-aarch64" >"$tmp/a.txt"
	same_files "$d: with the header's machine \"aarch64\" (64 KiB blocks still), it reads the same" \
		"$tmp/w.txt" "$tmp/a.txt"
	fails "$d with the header's machine \"x86_64\" over its 64 KiB blocks" \
		'kdump blocks that are not 4 KiB pages, on machine x86_64.*ELF dump' "$tmp/m-x86_64"
	fails "$d with VMCOREINFO that is no arm64 kernel's" \
		'QEMU.*"Unknown".*not an arm64 kernel.*ELF dump' "$tmp/novmci"
	fails "$d with a block that does not decompress" \
		"QEMU kdump dump: the block of physical address 0x[0-9a-f]+ does not decompress" \
		"$tmp/badblock"
done
[ $found -eq 1 ] || skip "QEMU's kdump files of aarch64 guests" "no fixture with dump.qemu_format"
exit 0
