#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The crash extension's layout cache (issue 20), in the real crash 9.0.2
# (forky chroot), each session with its own cache directory
# (XDG_CACHE_HOME). On every complete fixture:
#   - with an empty cache, the first "mmlife -L" takes the layout from the
#     kernel's BTF in the dump, and it equals the one crash's gdb resolves
#     ("mmlife -t gdb -L"), field by field;
#   - gdb's equals the CLI's from DWARF and from BTF ("mmlife --layout"):
#     what lets the CLI's cache files stand in for crash's types;
#   - with nothing but the CLI's DWARF file in the cache, the extension
#     takes it (layout-source dwarf) and its reports, JSON and text, are
#     byte-identical to those of the session that asked gdb (the slab
#     walk's wall time masked).
# On one fixture: the CLI's BTF file alone and the extension's own .crash
# file alone are taken likewise; damaged files (one byte changed, cut
# short, another build's file under this build's name) are refused, gdb
# resolves (the dump's BTF), and the reports are the same again.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'chroot_cleanup; rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
suite=forky

if [ "$(id -u)" != 0 ]; then
	skip "crash layout cache" "needs root for the crash chroots"
	exit 0
fi
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
if ! chroot_prepare $suite; then
	notok "$suite chroot with crash could not be prepared"
	exit 0
fi
ch=$(chroot_dir $suite)
so=$top/$B-crash-$suite/mmlife.so
if ! make -s B="$B-crash-$suite" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
	"$B-crash-$suite/mmlife.so" >"$tmp/build.log" 2>&1; then
	notok "$suite: extension builds against crash's defs.h"
	tail -n 5 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi

# session DUMP VMLINUX NAME CACHEDIR [OPTS]: crash with the extension and
# the cache in CACHEDIR (host path): NAME.first.L (the first "mmlife -L",
# as a user's first run would resolve it), NAME.L ("mmlife OPTS -L", which
# the session then keeps), NAME.json, NAME.txt.
session() {
	d=$1 vml=$2 out=$tmp/$3
	nomod=""
	case $(mf "$d" 'm["kernel"]["key"]') in 7.*) nomod=--no_modules ;; esac
	mkdir -p "$4"
	printf 'extend %s\nmmlife -L > %s\nmmlife %s -L > %s\nmmlife -j > %s\nmmlife > %s\nquit\n' \
		"$(in_chroot "$so")" "$(in_chroot "$out.first.L")" "${5:-}" \
		"$(in_chroot "$out.L")" \
		"$(in_chroot "$out.json")" "$(in_chroot "$out.txt")" >"$out.cmds"
	CHROOT_XDG_CACHE=$(in_chroot "$4") chroot_run $suite crash -s $nomod \
		"$(in_chroot "$vml")" "$(in_chroot "$top/vmcores/$d/vmcore")" \
		<"$out.cmds" >"$out.log" 2>&1
	rc=$?
	sed -i 's/"slab_ms": [0-9]*/"slab_ms": T/' "$out.json" 2>/dev/null
	[ "$rc" = 0 ] && [ -s "$out.L" ] && [ -s "$out.json" ] && [ -s "$out.txt" ]
}
source_of() { sed -n 's/^layout-source //p' "$tmp/$1.L"; }
fields() { grep '^layout\.' "$1"; }
# same_reports DESC A B: B's reports are A's, byte for byte
same_reports() {
	if cmp -s "$tmp/$2.json" "$tmp/$3.json" && cmp -s "$tmp/$2.txt" "$tmp/$3.txt"; then
		ok "$1"
	else
		notok "$1"
		{ diff "$tmp/$2.json" "$tmp/$3.json"; diff "$tmp/$2.txt" "$tmp/$3.txt"; } |
			head -n 6 | sed 's/^/#   /'
	fi
}
# only FILE DIR: a cache directory holding nothing but FILE
only() {
	rm -rf "$2"
	mkdir -p "$2/mmlife/layouts"
	cp "$1" "$2/mmlife/layouts/"
}

first=""
# crash here is built for x86_64: arm64 dumps are crash_ext_arm64.sh's.
for d in $(crash_dumps); do
	vml=$(vmlinux_of "$d")
	fetch_result $? "$vml" "$d: layout cache in crash" 7 || continue
	if ! session "$d" "$vml" "$d.gdb" "$tmp/c-$d.gdb" "-t gdb"; then
		notok "$d: mmlife -L, -t gdb -L, -j and a report with an empty cache"
		tail -n 5 "$tmp/$d.gdb.log" | sed 's/^/#   /'
		continue
	fi
	check "$d: with an empty cache the first run reads the dump's BTF" btf "$(source_of "$d.gdb.first")"
	check "$d: -t gdb: crash's gdb resolves the layout" gdb "$(source_of "$d.gdb")"
	fields "$tmp/$d.gdb.first.L" >"$tmp/$d.first.f"
	fields "$tmp/$d.gdb.L" >"$tmp/$d.gdb.f"
	same_files "$d: the layout from the dump's BTF equals crash's gdb's ($(wc -l <"$tmp/$d.first.f") fields)" \
		"$tmp/$d.gdb.f" "$tmp/$d.first.f"
	# The CLI's layouts, resolved (a fresh cache) and written there.
	cli=$tmp/c-$d.cli
	XDG_CACHE_HOME=$cli "$MMLIFE" --layout --types=dwarf --vmlinux "$vml" \
		"vmcores/$d/vmcore" >"$tmp/$d.dwarf.L" 2>"$tmp/$d.dwarf.err"
	XDG_CACHE_HOME=$cli "$MMLIFE" --layout --types=btf \
		"vmcores/$d/vmcore" >"$tmp/$d.btf.L" 2>"$tmp/$d.btf.err"
	id=$(sed -n 's/^build-id //p' "$tmp/$d.dwarf.L")
	for src in dwarf btf; do
		fields "$tmp/$d.$src.L" >"$tmp/$d.$src.f"
		same_files "$d: crash's layout equals the CLI's from $src ($(wc -l <"$tmp/$d.$src.f") fields)" \
			"$tmp/$d.gdb.f" "$tmp/$d.$src.f" "$tmp/$d.$src.err"
	done
	# The extension on the CLI's DWARF file alone.
	only "$cli/mmlife/layouts/$id.dwarf" "$tmp/c-$d.dwarf"
	session "$d" "$vml" "$d.dw" "$tmp/c-$d.dwarf" ||
		{ tail -n 5 "$tmp/$d.dw.log" | sed 's/^/#   /'; }
	check "$d: with the CLI's $id.dwarf the extension takes the cache" dwarf "$(source_of "$d.dw")"
	same_reports "$d: the reports from the cached layout are those from gdb's" "$d.gdb" "$d.dw"
	[ -z "$first" ] && first=$d firstvml=$vml firstid=$id
done

if [ -z "$first" ]; then
	skip "layout cache: BTF, .crash and damaged files" "no fixture ran" 7
	exit 0
fi
d=$first vml=$firstvml id=$firstid
# The CLI's BTF file alone; the extension's own, written by the gdb session.
only "$tmp/c-$d.cli/mmlife/layouts/$id.btf" "$tmp/c-btf"
session "$d" "$vml" btf "$tmp/c-btf"
check "$d: with the CLI's $id.btf the extension takes the cache" btf "$(source_of btf)"
same_reports "$d: the reports from the cached BTF layout are those from gdb's" "$d.gdb" btf
only "$tmp/c-$d.gdb/mmlife/layouts/$id.crash" "$tmp/c-own"
session "$d" "$vml" own "$tmp/c-own"
check "$d: an earlier session's $id.crash is taken" crash "$(source_of own)"
same_reports "$d: the reports from the .crash layout are those from gdb's" "$d.gdb" own
# Damaged: one digit of a value changed in .crash (checksum), .dwarf cut
# short, and .btf another build's file under this name (all three
# otherwise well-formed). The dump's BTF must resolve, and nothing else
# change.
c=$tmp/c-bad/mmlife/layouts
rm -rf "$tmp/c-bad"
mkdir -p "$c"
sed 's/^task_pid \([0-9]*\)$/task_pid 1\1/' "$tmp/c-$d.gdb/mmlife/layouts/$id.crash" >"$c/$id.crash"
head -c 1000 "$tmp/c-$d.cli/mmlife/layouts/$id.dwarf" >"$c/$id.dwarf"
other=""
for f in "$tmp"/c-*.cli/mmlife/layouts/*.btf; do
	case $f in *"/$id.btf") ;; *) other=$f ;; esac
done
if [ -n "$other" ]; then cp "$other" "$c/$id.btf"; else
	sed "s/^build-id .*/build-id 0$id/" "$tmp/c-$d.cli/mmlife/layouts/$id.btf" >"$c/$id.btf"; fi
cmp -s "$c/$id.crash" "$tmp/c-$d.gdb/mmlife/layouts/$id.crash" &&
	echo "# the damaged .crash is not damaged"
session "$d" "$vml" bad "$tmp/c-bad"
check "$d: crash runs and quits with status 0 with damaged cache files" 0 "$rc"
check "$d: damaged, cut and foreign cache files: the dump's BTF resolves" btf "$(source_of bad)"
same_reports "$d: ... and the reports are the same as with no cache" "$d.gdb" bad
# Where the BTF comes from: crash's vmlinux (the dump's build) gives its
# .BTF section; a copy without it (renamed; the same build-id) leaves the BTF read
# from the dump's memory. Both layouts are gdb's.
cache_of() { sed -n 's/^layout-cache //p' "$tmp/$1.L"; }
case $(cache_of "$d.gdb.first") in
*"; btf: $(in_chroot "$vml");"*) ok "$d: the first run read the .BTF of crash's vmlinux" ;;
*) notok "$d: the first run read the .BTF of crash's vmlinux ($(cache_of "$d.gdb.first"))" ;;
esac
if objcopy --rename-section .BTF=.BTX "$vml" "$tmp/vmlinux-nobtf" 2>"$tmp/objcopy.err"; then
	session "$d" "$tmp/vmlinux-nobtf" nobtf "$tmp/c-nobtf"
	case $(cache_of nobtf.first) in
	*"; btf: the dump's;"*) ok "$d: a vmlinux without .BTF: the first run read the dump's BTF" ;;
	*) notok "$d: a vmlinux without .BTF: the first run read the dump's BTF ($(cache_of nobtf.first))" ;;
	esac
	fields "$tmp/nobtf.first.L" >"$tmp/nobtf.f"
	check "$d: the layout from the dump's BTF is gdb's" "" "$(diff "$tmp/$d.gdb.f" "$tmp/nobtf.f" | head -n 3)"
	same_reports "$d: ... and the reports are the same" "$d.gdb" nobtf
	# A -t that fails keeps the session's layout: in crash --minimal (no
	# page tables to read the dump's BTF) with that vmlinux, "-t btf"
	# has no BTF to read; the plain run after it must keep gdb's layout
	# (the same cache line), not resolve it again (it would hit the
	# .crash file the first run stored).
	printf 'extend %s\nmmlife -t gdb -L > %s\nmmlife -t btf -L > %s\nmmlife -L > %s\nquit\n' \
		"$(in_chroot "$so")" "$(in_chroot "$tmp/keep1.L")" \
		"$(in_chroot "$tmp/keep2.L")" "$(in_chroot "$tmp/keep3.L")" >"$tmp/keep.cmds"
	mkdir -p "$tmp/c-keep"
	CHROOT_XDG_CACHE=$(in_chroot "$tmp/c-keep") chroot_run $suite crash -s --minimal \
		"$(in_chroot "$tmp/vmlinux-nobtf")" "$(in_chroot "$top/vmcores/$d/vmcore")" \
		<"$tmp/keep.cmds" >"$tmp/keep.log" 2>&1
	check "$d: crash --minimal, a vmlinux without .BTF: -t btf fails" "" \
		"$(grep '^layout-source' "$tmp/keep2.L" 2>/dev/null)"
	if [ "$(source_of keep1)" = gdb ] && [ "$(cache_of keep1)" = "$(cache_of keep3)" ] &&
		[ "$(source_of keep3)" = gdb ]; then
		ok "$d: after a failed -t btf the session keeps gdb's layout"
	else
		notok "$d: after a failed -t btf the session keeps gdb's layout"
		{ grep '^layout-\(source\|cache\)' "$tmp/keep1.L" "$tmp/keep3.L"; tail -n 3 "$tmp/keep.log"; } |
			sed 's/^/#   /'
	fi
else
	notok "$d: objcopy renames .BTF in a copy of the vmlinux ($(head -n 1 "$tmp/objcopy.err"))"
fi
