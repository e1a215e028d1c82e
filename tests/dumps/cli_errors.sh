#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Inputs mmlife cannot analyse: each must give exactly one line on stderr,
# nothing on stdout, exit status 3, and no crash (also under ASan+UBSan
# when build-asan/mmlife exists). Usage errors exit 2. Damaged dumps are
# made at test time from a real dump in vmcores/ (truncated, VMCOREINFO
# removed, another architecture), and a flattened (makedumpfile -F) copy
# is written by an independent Python writer and must read like the
# original.
#   B=build  ASAN_B=build-asan  MMLIFE_CACHE=~/.cache/mmlife
set -u
B=${B:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bins=
[ -x "$B/mmlife" ] && bins="$B/mmlife"
asan_b=${ASAN_B:-build-asan}
[ -x "$asan_b/mmlife" ] && bins="$bins $asan_b/mmlife"
if [ -z "$bins" ]; then
	skip "cli error tests" "$B/mmlife not built"
	exit 0
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# fails DESCRIPTION PATTERN ARGS...: exit 3, one stderr line matching the
# extended regular expression PATTERN, empty stdout.
fails() {
	desc=$1 pat=$2
	shift 2
	for bin in $bins; do
		tag=$desc
		[ "$bin" = "$B/mmlife" ] || tag="$desc (asan)"
		"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		lines=$(wc -l <"$tmp/err")
		if [ $rc -eq 3 ] && [ "$lines" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		   grep -Eq "$pat" "$tmp/err"; then
			ok "$tag: exit 3, one line: $(cat "$tmp/err")"
		else
			notok "$tag: exit 3 with one line matching /$pat/ (got $rc, $lines lines)"
			sed 's/^/#   /' "$tmp/err" | head -n 20
		fi
	done
}

usage() { # DESCRIPTION ARGS...: exit 2
	desc=$1
	shift
	"$B/mmlife" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
		ok "usage: $desc: exit 2: $(cat "$tmp/err")"
	else
		notok "usage: $desc: exit 2 with one line (got $rc)"
	fi
}

usage "no dump"
usage "two dumps" a b
usage "--types=foo" --types=foo x
usage "--fail-on bogus" --fail-on bogus x
usage "--maps needs a pid" --maps x y
usage "unknown option" --frobnicate x

fails "missing file" "no such file" "$tmp/does-not-exist"
fails "a directory" "is a directory" "$tmp"
: >"$tmp/empty"
fails "an empty file" "empty file" "$tmp/empty"
head -c 65536 /dev/urandom >"$tmp/garbage"
fails "a garbage file" "not a kernel dump" "$tmp/garbage"
printf 'hello\n' >"$tmp/tiny"
fails "a 6-byte file" "not a kernel dump" "$tmp/tiny"
fails "an ELF that is not a core file" "not a core file" --layout "$top/$B/mmlife"
# LKCD (lkcdutils' dump_header_common, Linux 2.4/2.6): refused before
# libkdumpfile, which sizes its cache by dh_page_size (16 MiB pages: a
# 16 GiB allocation; tests/fuzz found it). Both byte orders.
python3 - "$tmp" <<'EOF'
import struct, sys
for name, bo in (("lkcd-le", "<"), ("lkcd-be", ">")):
    hdr = struct.pack(bo + "QIIIIQQQ", 0xa8190173618f23ed, 9, 0x800, 0,
                      1 << 24, 1 << 30, 0, 1 << 30)
    open(sys.argv[1] + "/" + name, "wb").write(hdr.ljust(65536, b"\0"))
EOF
fails "an LKCD dump (little-endian, 16 MiB pages)" \
	"LKCD dump \(version 9, page size 16777216\).*6\.1" "$tmp/lkcd-le"
fails "an LKCD dump (big-endian)" "LKCD dump \(version 9, page size 16777216\)" "$tmp/lkcd-be"

# The smallest dump of each format serves as the source of damaged copies.
pick() { # FORMAT: path of the smallest dump of that format
	for m in vmcores/*/manifest.json; do
		[ -f "$m" ] || continue
		python3 -c 'import json,os,sys
m=json.load(open(sys.argv[1])); d=os.path.dirname(sys.argv[1])
p=os.path.join(d, m["dump"]["file"])
if m["dump"]["format"] == sys.argv[2] and os.path.isfile(p):
    print(os.path.getsize(p), p, m["kernel"]["key"], m["kernel"]["release"], m["kernel"]["build_id"])' "$m" "$1"
	done | sort -n | head -n 1
}

# cut_while_read DUMP: a copy of the kdump file DUMP cut to half while
# mmlife has it open (tests/dumps/lib/cutmap.c, an LD_PRELOAD shim): while
# libkdumpfile opens it, and after mmlife's own page path mapped it, as
# the scan reads pages. Both map the file, so the reads past the new end
# raise SIGBUS: exit 3, one line saying so, no report built on the failed
# reads. The plain build only (ASan's runtime must come first in
# LD_PRELOAD).
cut_while_read() {
	if ! gcc -O2 -shared -fPIC -o "$tmp/cutmap.so" tests/dumps/lib/cutmap.c -ldl \
		2>"$tmp/cutmap.err"; then
		notok "the shim that cuts a dump while it is read builds"
		sed 's/^/#   /' "$tmp/cutmap.err" | head -n 5
		return
	fi
	for when in map read; do
		cp "$1" "$tmp/cut"
		CUTMAP_WHEN=$when LD_PRELOAD=$tmp/cutmap.so "$B/mmlife" "$tmp/cut" \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		case $when in
		map) pat="libkdumpfile died of SIGBUS opening the dump: .*a file cut short while it was opened" ;;
		read) pat="SIGBUS reading the dump file's page data for 0x[0-9a-f]+: the file was cut short since it was opened" ;;
		esac
		if [ $rc -eq 3 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && [ ! -s "$tmp/out" ] &&
		   [ "$(wc -c <"$tmp/cut")" -lt "$(wc -c <"$1")" ] && grep -Eq "$pat" "$tmp/err"; then
			ok "kdump dump cut short while it is read ($when): exit 3, one line: $(cat "$tmp/err")"
		else
			notok "kdump dump cut short while it is read ($when): exit 3 with one line matching /$pat/ (got $rc)"
			sed 's/^/#   /' "$tmp/err" | head -n 5
		fi
	done
	rm -f "$tmp/cut"
}

kdump_line=$(pick kdump)
elf_line=$(pick elf)
if [ -z "$kdump_line" ] && [ -z "$elf_line" ]; then
	skip "damaged dumps" "no kdump or ELF dump in vmcores/"
	exit 0
fi

for line in "$kdump_line" "$elf_line"; do
	[ -n "$line" ] || continue
	set -- $line
	size=$1 dump=$2 key=$3 rel=$4 bid=$5
	case $dump in
	*.xz)
		# A dump in an xz container: damage the container once, then
		# work on the dump inside it (unpacked with xz(1)).
		head -c $((size / 2)) "$dump" >"$tmp/half.xz"
		fails "xz container truncated to half" "xz stream is truncated" \
			--layout --types=btf "$tmp/half.xz"
		xz -dc "$dump" >"$tmp/unxz" || continue
		dump=$tmp/unxz
		size=$(wc -c <"$dump")
		;;
	esac
	kind=$(python3 -c 'import sys; print("elf" if open(sys.argv[1],"rb").read(4)==b"\x7fELF" else "kdump")' "$dump")

	head -c $((size / 2)) "$dump" >"$tmp/half"
	fails "$kind dump truncated to half" "truncated" --layout --types=btf "$tmp/half"
	[ "$kind" = kdump ] && cut_while_read "$dump"
	head -c 4096 "$dump" >"$tmp/head"
	fails "$kind dump truncated to 4096 bytes" "truncated" --layout --types=btf "$tmp/head"

	# VMCOREINFO removed: rename the ELF note and (kdump) clear the
	# sub-header's pointer to its copy.
	python3 - "$dump" "$tmp/novmci" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
if data[:4] == b"\x7fELF":
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    notes = []
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 4:
            notes.append((p_offset, p_filesz))
else:
    block, = struct.unpack_from("<i", data, 428)
    sub = block
    off_vi, = struct.unpack_from("<Q", data, sub + 32)
    struct.pack_into("<QQ", data, sub + 32, 0, 0)
    off_note, size_note = struct.unpack_from("<QQ", data, sub + 48)
    notes = [(off_note, size_note)]
count = 0
for off, size in notes:
    region = data[off:off + size]
    while True:
        i = region.find(b"VMCOREINFO\0")
        if i < 0:
            break
        region[i] = ord("X")
        count += 1
    data[off:off + size] = region
open(sys.argv[2], "wb").write(data)
EOF
	fails "$kind dump without VMCOREINFO" "VMCOREINFO" --layout --types=btf "$tmp/novmci"

	# Pages of 8 KiB in VMCOREINFO (the note's text, and the kdump
	# sub-header's copy): refused before libkdumpfile, which sizes its
	# cache by PAGESIZE.
	python3 - "$dump" "$tmp/pagesize" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
n = data.count(b"\nPAGESIZE=4096\n")
assert n, "no PAGESIZE=4096 line"
open(sys.argv[2], "wb").write(data.replace(b"\nPAGESIZE=4096\n", b"\nPAGESIZE=8192\n"))
EOF
	fails "$kind dump whose VMCOREINFO says PAGESIZE=8192" \
		"page size 8192; mmlife handles 4096" --layout --types=btf "$tmp/pagesize"

	# Another architecture: one mmlife does not read (riscv64), named;
	# and aarch64, which it reads, over an x86_64 VMCOREINFO (libkdumpfile
	# 0.5.1 would crash in kdump_free() on it, cli/dump/dump.c).
	# QEMU 7.2 writes "Unknown" into the kdump header of aarch64 guests:
	# mmlife reads the architecture from VMCOREINFO then (arm64's
	# NUMBER(kimage_voffset); the real one is vmcores/arm64-6.12-qemu-kdump),
	# and an x86_64 one under "Unknown" is refused, naming the ELF remedy.
	machines="riscv64 aarch64"
	[ "$kind" = kdump ] && machines="$machines Unknown"
	for machine in $machines; do
		if [ "$kind" = kdump ]; then
			python3 - "$dump" "$tmp/arch" "$machine" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
off = 12 + 4 * 65  # disk_dump_header.utsname.machine
data[off:off + 65] = sys.argv[3].encode().ljust(65, b"\0")
open(sys.argv[2], "wb").write(data)
EOF
		else
			python3 - "$dump" "$tmp/arch" "$machine" <<'EOF'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
em = {"riscv64": 243, "aarch64": 183}[sys.argv[3]]  # EM_RISCV, EM_AARCH64
struct.pack_into("<H", data, 18, em)  # e_machine
open(sys.argv[2], "wb").write(data)
EOF
		fi
		if [ $machine = riscv64 ]; then
			fails "$kind dump of another architecture" \
				"architecture riscv.*x86_64 and aarch64" --layout "$tmp/arch"
		elif [ $machine = Unknown ]; then
			fails "$kind x86_64 dump whose machine is \"Unknown\" (as QEMU's kdump writer says of aarch64 guests)" \
				"QEMU.*\"Unknown\".*not an arm64 kernel.*ELF dump" --layout "$tmp/arch"
		else
			fails "$kind x86_64 dump that says aarch64" \
				"lacks NUMBER\\(VA_BITS\\)" --layout "$tmp/arch"
		fi
	done

	# A vmlinux of another build: any ELF with a different build-id
	# (mmlife itself, or another kernel's vmlinux from the cache).
	other=
	for v in "$CACHE"/kernels/*/out/vmlinux-*; do
		[ -f "$v" ] || continue
		case $v in */vmlinux-"$rel") continue ;; esac
		other=$v
		break
	done
	[ -n "$other" ] || other=$top/$B/mmlife
	fails "$kind dump with a vmlinux of another build ($(basename "$other"))" \
		"build-id .*$bid|$bid.*build-id" --layout --vmlinux "$other" "$dump"
	fails "$kind dump with --types=dwarf and no vmlinux anywhere" \
		"no vmlinux" --layout --types=dwarf --debug-dir "$tmp/nothing" "$dump"
done

# A flattened copy of the kdump dump, written by an independent writer of
# makedumpfile's flattened format, reads like the original.
if [ -n "$kdump_line" ]; then
	set -- $kdump_line
	dump=$2
	python3 - "$dump" "$tmp/flat" <<'EOF'
import os, struct, sys
src = open(sys.argv[1], "rb")
out = open(sys.argv[2], "wb")
out.write(b"makedumpfile".ljust(16, b"\0") + struct.pack(">qq", 1, 1))
out.write(b"\0" * (4096 - 32))
size = os.path.getsize(sys.argv[1])
# Records out of order (the tail first), as a pipe writer may emit them.
chunks = [(off, min(1 << 20, size - off)) for off in range(0, size, 1 << 20)]
chunks = chunks[1:] + chunks[:1]
for off, n in chunks:
    src.seek(off)
    out.write(struct.pack(">qq", off, n) + src.read(n))
out.write(struct.pack(">qq", -1, -1))
EOF
	"$B/mmlife" --layout --no-cache --types=btf "$dump" >"$tmp/orig" 2>&1
	"$B/mmlife" --layout --no-cache --types=btf "$tmp/flat" >"$tmp/flatout" 2>&1
	if grep -q '^format flattened kdump' "$tmp/flatout" &&
	   [ "$(grep -v '^format\|^dump' "$tmp/orig")" = "$(grep -v '^format\|^dump' "$tmp/flatout")" ]; then
		ok "flattened copy reads like the original"
	else
		notok "flattened copy reads like the original"
		sed 's/^/#   /' "$tmp/flatout" | head -n 5
	fi
	head -c $(($(wc -c <"$tmp/flat") - 5000)) "$tmp/flat" >"$tmp/flathalf"
	fails "flattened dump without its end" "flattened dump is truncated" \
		--layout "$tmp/flathalf"
fi
exit 0
