#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The crash extension in Debian forky's arm64 crash 9.0.2, run by
# qemu-user on this x86-64 host (scripts/crash-arm64.sh), on the arm64
# fixtures (manifest kernel.arch "aarch64"). The extension is cross-built
# (aarch64-linux-gnu-gcc) against that crash's defs.h. Checks, on every
# arm64 fixture: it loads, "mmlife -j" equals the CLI's JSON apart from the
# fields that name the front end, and crash still answers afterwards.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife
#   ARM64_FIXTURES=DIR   fixtures elsewhere than vmcores/ (NAME/manifest.json
#                        and NAME/vmcore)
#   ARM64_CRASH_DUMPS="NAME..."  only these fixtures
#   ARM64_CRASH_FULL="NAME..."|all  the fixtures also run with crash's full
#                        start-up (default: arm64-7.2-failed-fork)
# Every fixture runs in crash --minimal (the extension is a MINIMAL
# command; crash reads the dump and the debug info but sets up no task
# table and no page tables, so the extension checks tasks and
# init_mm.mmlist only, as -f): about a minute a dump under qemu-user. The
# full start-up takes 4-6 minutes a dump and stops on the 52-bit LPA2
# fixtures before its prompt ("invalid kernel virtual address
# ffff8000824d0000", crash 9.0.2), so by default it runs on one 48-bit
# fixture, the one whose planted mm only the slab discovery finds (a 7.2
# torn-down failed fork: the memmap path), beside the --minimal runs: the
# extension's default run must equal the CLI's there. The debug vmlinux is
# given to crash with a .gdb_index (scripts/crash-arm64.sh vmlinux):
# without it crash's emulated gdb indexes 300+ MB of DWARF at every start.
# The 48-bit fixtures of VA_BITS=52 kernels need --machdep phys_offset
# (below).
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
FIX=${ARM64_FIXTURES:-$top/vmcores}

[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
for t in qemu-aarch64-static aarch64-linux-gnu-gcc; do
	command -v $t >/dev/null || { skip "crash extension on arm64" "no $t (scripts/deps.sh test)"; exit 0; }
done

# amf NAME EXPR: mf over $FIX.
amf() {
	python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))
v=eval(sys.argv[2])
print(str(v).lower() if isinstance(v,bool) else ("" if v is None else v))' \
		"$FIX/$1/manifest.json" "$2"
}
arm64_dumps() {
	for m in "$FIX"/*/manifest.json; do
		d=$(basename "$(dirname "$m")")
		case ${ARM64_CRASH_DUMPS:-} in
		"" | all) ;;
		*) case " $ARM64_CRASH_DUMPS " in *" $d "*) ;; *) continue ;; esac ;;
		esac
		[ "$(amf "$d" 'm["kernel"].get("arch", "x86_64")')" = aarch64 ] || continue
		[ "$(amf "$d" '"lossy" in m')" = false ] || continue
		if [ ! -f "$FIX/$d/vmcore" ] && [ "$FIX" = "$top/vmcores" ]; then
			unpack_dump "$d" >&2 || continue
		fi
		[ -f "$FIX/$d/vmcore" ] && echo "$d"
	done
}
# The debug vmlinux: fetch-kernel.sh's (verified), else the one in the
# cache if its build-id is the manifest's.
arm64_vmlinux() { # NAME
	key=$(amf "$1" 'm["kernel"]["key"]')
	v=$(bash "$top/vmcores/scripts/fetch-kernel.sh" "$key" 2>/dev/null) && [ -s "$v" ] && { echo "$v"; return; }
	v=$CACHE/kernels/$key/out/vmlinux-$(amf "$1" 'm["kernel"]["release"]')
	[ -s "$v" ] && readelf -n "$v" 2>/dev/null |
		grep -q "Build ID: $(amf "$1" 'm["kernel"]["build_id"]')" && echo "$v"
}

dl=$(arm64_dumps)
[ -n "$dl" ] || { skip "crash extension on arm64" "no arm64 fixture in $FIX"; exit 0; }
if ! root=$(bash "$top/scripts/crash-arm64.sh" root 2>"$tmp/install.log"); then
	notok "arm64 crash installs (scripts/crash-arm64.sh)"
	tail -n 5 "$tmp/install.log" | sed 's/^/#   /'
	exit 0
fi
so=$top/$B-crash-arm64/mmlife.so
rm -f "$so"  # linked again: make does not see the libraries' paths change
if make -s B="$B-crash-arm64" CC=aarch64-linux-gnu-gcc SANITIZE= \
	CRASH_DEFS="$root/usr/include/crash/defs.h" \
	CORE_LIBS="$(for l in libjansson.so.4 libbpf.so.1 libelf.so.1; do printf '%s ' "$root/usr/lib/aarch64-linux-gnu/$l"; done)" \
	FMT_LIBS="$(for l in libdeflate.so.0 liblzo2.so.2 libsnappy.so.1 libzstd.so.1; do printf '%s ' "$root/usr/lib/aarch64-linux-gnu/$l"; done)" \
	"$B-crash-arm64/mmlife.so" >"$tmp/build.log" 2>&1; then
	ok "extension cross-builds against arm64 $(bash "$top/scripts/crash-arm64.sh" run -v 2>/dev/null | sed -n 's/^crash \([0-9.]*\).*/crash \1/p' | head -n 1)'s defs.h"
else
	notok "extension cross-builds against the arm64 crash's defs.h"
	tail -n 5 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi

# dlopen() in crash would fail on a symbol that neither crash nor a
# library the extension names (DT_NEEDED, found in the arm64 root) defines.
lib=$root/usr/lib/aarch64-linux-gnu
nm -D --undefined-only "$so" | awk '$1 == "U" {print $2}' | sed 's/@.*//' |
	sort -u >"$tmp/undef"
needed=$(readelf -d "$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
for f in "$root/usr/bin/crash" $(for n in $needed; do echo "$lib/$n"; done); do
	nm -D --defined-only "$f" | awk '{print $3}' | sed 's/@.*//'
done | sort -u >"$tmp/def"
check "every symbol the extension needs ($(wc -l <"$tmp/undef")) is defined by crash or its libraries ($needed)" \
	"" "$(comm -23 "$tmp/undef" "$tmp/def" | tr '\n' ' ')"
# crash_run NAME MODE (minimal or full): crash on fixture NAME, its
# commands' output in $tmp/NAME.MODE.log, the extension's JSON in
# $tmp/NAME.MODE.json, crash's exit status in $tmp/NAME.MODE.rc, the
# verified debug vmlinux's path in $tmp/NAME.MODE.vmlinux.
crash_run() {
	d=$1 out=$tmp/$1.$2
	vml=$(arm64_vmlinux "$d") && [ -n "$vml" ] && echo "$vml" >"$out.vmlinux" &&
		vml=$(bash "$top/scripts/crash-arm64.sh" vmlinux "$vml" 2>"$out.idx") ||
		{ echo novmlinux >"$out.rc"; return; }
	mode=
	[ "$2" = minimal ] && mode=--minimal
	printf 'extend %s\nmmlife -j > %s\nmmlife\nsym init_task\nquit\n' \
		"$so" "$out.json" >"$out.cmds"
	# A VA_BITS=52 kernel on a 48-bit layout keeps PAGE_OFFSET at -2^52
	# and makes PHYS_OFFSET "negative"; crash 9.0.2 takes the 48-bit
	# PAGE_OFFSET with that PHYS_OFFSET and misses every linear address.
	# The same translation with the 48-bit PAGE_OFFSET needs PHYS_OFFSET
	# plus 2^52 - 2^48 (arm64-6.12-baseline: 0x40000000).
	po=$(python3 - "$FIX/$d/vmcore" <<'PY'
import re, sys
t = open(sys.argv[1], "rb").read(1 << 20).decode("latin1")
num = lambda k: int(re.search(r"NUMBER\(" + k + r"\)=(\S+)", t).group(1), 0)
va, act = num("VA_BITS"), 64 - num("TCR_EL1_T1SZ")
if act < va:
    print(hex((num("PHYS_OFFSET") + (1 << va) - (1 << act)) % (1 << 64)))
PY
)
	# shellcheck disable=SC2086
	bash "$top/scripts/crash-arm64.sh" run -s $mode --no_modules \
		${po:+--machdep phys_offset=$po} "$vml" \
		"$FIX/$d/vmcore" <"$out.cmds" >"$out.log" 2>&1
	echo $? >"$out.rc"
}

# crash_check NAME MODE: the checks on what crash_run left.
crash_check() {
	d="$1 ($2)" out=$tmp/$1.$2
	if [ "$(cat "$out.rc")" = novmlinux ]; then
		notok "$d: the verified arm64 debug vmlinux, indexed for crash"
		sed 's/^/#   /' "$out.idx" 2>/dev/null | tail -n 3
		return
	fi
	check "$d: crash runs every command and quits with status 0" 0 "$(cat "$out.rc")"
	if ! grep -q "^Summary" "$out.log"; then
		notok "$d: mmlife printed a report"
		tail -n 8 "$out.log" | sed 's/^/#   /'
		return
	fi
	ok "$d: mmlife printed a report"
	# init_task where the vmlinux and the dump's KASLR offset put it:
	# crash still reads its symbols after mmlife.
	want=$(python3 - "$(cat "$out.vmlinux")" "$(amf "$1" 'm["kernel"].get("kaslr_offset") or "0"')" <<'PY'
import subprocess, sys
nm = subprocess.run(["nm", sys.argv[1]], capture_output=True, text=True).stdout
a = next(int(l.split()[0], 16) for l in nm.splitlines() if l.endswith(" init_task"))
print("%x" % ((a + int(sys.argv[2], 0)) % (1 << 64)))
PY
)
	if grep -Eq "^$want \([A-Za-z]\) init_task\$" "$out.log"; then
		ok "$d: crash answers after mmlife (sym init_task: $want)"
	else
		notok "$d: crash answers after mmlife (sym init_task: $want)"
		grep -E 'init_task' "$out.log" | head -n 2 | sed 's/^/#   /'
	fi
	# crash --minimal has no page tables: the extension checks tasks and
	# init_mm.mmlist only (the CLI's --fast) and says why.
	fast=
	if [ "$2" = minimal ]; then
		fast=--fast
		check "$d: crash --minimal: the slab paths' notes say why they did not run" \
			"not run: crash --minimal (no page tables: the slab's struct pages do not translate)" \
			"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["discovery"]["paths"][2]["note"])' "$out.json" 2>&1)"
	fi
	# The JSON without the fields that name the front end or how it read
	# the dump; a discovery path's note "not run: crash --minimal ..."
	# (the extension without page tables) reads as the CLI's "not run:
	# --fast".
	"$MMLIFE" --json $fast "$FIX/$1/vmcore" >"$out.cli.json" 2>"$out.cli.err"
	same_json --front-end --reads --crash-minimal \
		"$d: mmlife -j equals the CLI's JSON${fast:+ ($fast)}" "$out.json" "$out.cli.json"
}

# The jobs, NAME:MODE; qemu-user runs one crash on one CPU, so two at a
# time: the full start-ups one after the other in the background, the
# --minimal runs one after the other beside them.
full=
for d in $dl; do
	case " ${ARM64_CRASH_FULL:-arm64-7.2-failed-fork} " in
	*" all "* | *" $d "*) full="$full $d" ;;
	esac
done
(for d in $full; do crash_run "$d" full; done) &
for d in $dl; do
	crash_run "$d" minimal
done
wait
for d in $dl; do
	crash_check "$d" minimal
done
for d in $full; do
	crash_check "$d" full
done
exit 0
