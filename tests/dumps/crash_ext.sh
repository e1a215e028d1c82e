#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The crash extension in the real crash binary: crash 9.0.2 (forky chroot)
# on every dump, crash 8.0.6 (trixie chroot) on the 6.1 and 6.12 ones. The
# extension is built against each crash's own defs.h. Checks: it loads and
# registers, "mmlife -j" equals the CLI's JSON apart from the fields that
# name the front end, planted mms named by the manifest are reported as the
# debugger saw them, and crash still answers afterwards.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife  CRASH_SUITES="forky trixie"
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'chroot_cleanup; rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1

if [ "$(id -u)" != 0 ]; then
	skip "crash extension" "needs root for the crash chroots"
	exit 0
fi
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }

run_suite() { # SUITE
	suite=$1
	if ! chroot_prepare "$suite"; then
		notok "$suite chroot with crash could not be prepared"
		sed 's/^/#   /' "$tmp/chroot-$suite.log" | tail -n 5
		return
	fi
	ch=$(chroot_dir "$suite")
	so=$top/$B-crash-$suite/mmlife.so
	if ! make -s B="$B-crash-$suite" CRASH_DEFS="$ch/usr/include/crash/defs.h" \
		"$B-crash-$suite/mmlife.so" >"$tmp/build-$suite.log" 2>&1; then
		notok "$suite: extension builds against crash's defs.h"
		tail -n 5 "$tmp/build-$suite.log" | sed 's/^/#   /'
		return
	fi
	ok "$suite: extension builds against $(chroot_run "$suite" crash -v 2>/dev/null | sed -n 's/^crash \([0-9.]*\).*/crash \1/p' | head -n 1)'s defs.h ($(sh ext/crash-flags.sh "$ch/usr/include/crash/defs.h" | cut -d' ' -f1-2))"
	for d in $(complete_dumps); do
		key=$(mf "$d" 'm["kernel"]["key"]')
		case "$suite:$key" in
		trixie:6.1|trixie:6.12|forky:*) ;;
		*) continue ;;
		esac
		if [ "$(dump_arch "$d")" != x86_64 ]; then
			# Not a skip: this crash is built for x86_64 and reads
			# no other architecture's dumps.
			echo "# $suite $d: an $(dump_arch "$d") dump, for crash_ext_arm64.sh's arm64 crash"
			continue
		fi
		vml=$(vmlinux_of "$d")
		fetch_result $? "$vml" "$suite $d" "$(mf "$d" \
			'6 + sum(4 + (s["kind"] == "failed-fork" and bool(s["xa_zero"])) for s in m["states"])')" ||
			continue
		nomod=""
		case $key in 7.*) nomod=--no_modules ;; esac
		out=$tmp/$suite-$d
		{
			echo "extend $(in_chroot "$so")"
			echo "mmlife -j > $(in_chroot "$out.json")"
			for mm in $(mf "$d" '" ".join(s["mm"] for s in m["states"])'); do
				echo "mmlife -j -m $mm > $(in_chroot "$out.$mm.json")"
			done
			echo "mmlife"
			echo "ps"
			echo "mmlife -l"
			echo "quit"
		} >"$out.cmds"
		# An empty layout cache: the layout from crash's gdb
		# (crash_layout.sh tests the cache).
		CHROOT_XDG_CACHE=/mnt/mmlife-tmp/xdg-$suite-$d \
			chroot_run "$suite" crash -s $nomod "$(in_chroot "$vml")" \
			"$(in_chroot "$top/vmcores/$d/vmcore")" <"$out.cmds" \
			>"$out.log" 2>&1
		rc=$?
		check "$suite $d: crash runs every command and quits with status 0" 0 "$rc"
		if ! grep -q "^Summary" "$out.log"; then
			notok "$suite $d: mmlife printed a report"
			tail -n 8 "$out.log" | sed 's/^/#   /'
			continue
		fi
		ok "$suite $d: mmlife printed a report"
		# The report's summary counts the mms the manifest says a default
		# scan reaches (every task's mm, every planted one), plus the slab
		# mms no task uses that the manifest does not list, each of them
		# slab-only, task-less and silent in the extension's own JSON
		# (else the count is not printed and the check fails).
		want=$(python3 -c 'import json, sys; sys.path.insert(0, sys.argv[1])
import truth
m, f = truth.load(sys.argv[2], sys.argv[3])
known = truth.known_mms(m, True)
j = json.load(open(sys.argv[4]))
extra = [x for x in j["mms"] if int(x["address"], 16) not in known]
if all(x["sources"] == ["slab"] and not x["tasks"] and not x["findings"] for x in extra):
    print(len(known) + len(extra))' "$top/tests/dumps/lib" "$top/vmcores" "$d" "$out.json")
		if [ -n "$want" ] && grep -Eq "^  [0-9]+ findings? about the kernel \([0-9]+ critical, [0-9]+ errors?, [0-9]+ warnings?, [0-9]+ info\) in [0-9]+ of $want mms$" "$out.log"; then
			ok "$suite $d: mmlife's summary counts the $want mms of the manifest"
		else
			notok "$suite $d: mmlife's summary counts the $want mms of the manifest"
			grep -A1 '^Summary' "$out.log" | sed 's/^/#   /'
		fi
		# ps after mmlife: pid 1 with its parent 0, task address and comm
		# as the manifest (gdb) has them.
		ps1=$(mf "$d" '[t["task"][2:] + " " + t["comm"] for t in m["tasks"] if t["pid"] == 1][0]')
		if grep -Eq "^[> ]+1 +0 +[0-9]+ +${ps1% *} +[A-Z]{2} +[0-9.]+ +[0-9]+ +[0-9]+ +${ps1#* }\$" "$out.log"; then
			ok "$suite $d: crash answers ps after mmlife (pid 1, ${ps1#* }, task ${ps1% *})"
		else
			notok "$suite $d: crash answers ps after mmlife (pid 1, ${ps1#* }, task ${ps1% *})"
			grep -E '^[> ]+1 ' "$out.log" | head -n 2 | sed 's/^/#   /'
		fi
		# mmlife -l lists exactly the checks of mmlife --checks, in order.
		"$MMLIFE" --checks >"$out.checks"
		sed -n '/^Checks (finding ids):$/,/^$/p' "$out.log" | sed '1d;/^$/d' >"$out.l"
		same_files "$suite $d: mmlife -l lists the $(wc -l <"$out.checks") checks of mmlife --checks" \
			"$out.checks" "$out.l"
		# -l prints the fix catalogue as the CLI's --fixes does (one
		# renderer in lib/): every line of one is in the other.
		"$MMLIFE" --fixes >"$out.fixes" 2>/dev/null
		missing=$(grep -cvxFf "$out.log" "$out.fixes")
		check "$suite $d: mmlife -l prints the catalogue of --fixes" 0 "$missing"
		# The same scan from the CLI (BTF, no debuginfo), as JSON, apart
		# from what names the front end or how the front end read the
		# dump, and the slab walk's wall time (now part of every default
		# run).
		"$MMLIFE" --json "vmcores/$d/vmcore" >"$out.cli.json" 2>"$out.cli.err"
		same_json --front-end --reads "$suite $d: mmlife -j equals the CLI's JSON" \
			"$out.json" "$out.cli.json"
		# Each planted mm, reported as the debugger saw it.
		i=0
		for mm in $(mf "$d" '" ".join(s["mm"] for s in m["states"])'); do
			j=$out.$mm.json
			kind=$(mf "$d" "m['states'][$i]['kind']")
			check "$suite $d: mm $mm map_count" \
				"$(mf "$d" "m['states'][$i]['map_count']")" \
				"$(jsq "$j" 'j["mms"][0]["map_count"]' 2>&1)"
			check "$suite $d: mm $mm flags" \
				"$(mf "$d" "hex(int(m['states'][$i]['flags'],16))")" \
				"$(jsq "$j" 'j["mms"][0]["flags"]' 2>&1)"
			xa=$(mf "$d" "' '.join(x['first']+'-'+x['last'] for x in m['states'][$i]['xa_zero'])")
			got=$(jsq "$j" "' '.join(f['evidence']['range']['first']+'-'+f['evidence']['range']['last'] for f in j['mms'][0]['findings'] if f['id']=='xa-zero')" 2>&1)
			check "$suite $d: mm $mm XA_ZERO ranges" "$xa" "$got"
			if [ "$kind" = failed-fork ] && [ -n "$xa" ]; then
				parent=$(mf "$d" "m['states'][$i]['parent_mm']")
				check "$suite $d: mm $mm stale VMAs of parent $parent" \
					"$(mf "$d" "m['states'][$i]['stale_vmas']")" \
					"$(jsq "$j" "sum(f['evidence']['count'] for f in j['mms'][0]['findings'] if f['id']=='stale-vma' and int(f['evidence']['other_mm'],16)==$parent)" 2>&1)"
			fi
			check "$suite $d: mm $mm findings (detection matrix on the manifest)" \
				"$(python3 "$top/tests/dumps/lib/expect.py" "$top/vmcores/$d/manifest.json" "$i")" \
				"$(jsq "$j" "' '.join(sorted(set(f['id'] for f in j['mms'][0]['findings'])))" 2>&1)"
			i=$((i + 1))
		done
	done
}

# A copy of an ELF dump with one maple node overwritten: crash must survive
# mmlife on it, answer ps, and run mmlife a second time.
corrupt_test() {
	suite=forky
	ch=$(chroot_dir $suite)
	so=$top/$B-crash-$suite/mmlife.so
	d=""
	for x in $(crash_dumps); do
		[ "$(mf "$x" 'm["dump"]["format"]')" = elf ] && { d=$x; break; }
	done
	if [ -z "$d" ] || [ ! -f "$so" ]; then
		skip "corrupted tree in crash" "no ELF dump or no extension" 4
		return
	fi
	vml=$(vmlinux_of "$d")
	fetch_result $? "$vml" "corrupted tree in crash" 4 || return
	"$MMLIFE" --json "vmcores/$d/vmcore" >"$tmp/corrupt.cli.json" 2>/dev/null
	# The root node of the largest tree, located in the ELF by p_paddr.
	victim=$(python3 - "$tmp/corrupt.cli.json" "top/vmcores/$d/manifest.json" \
		"vmcores/$d/vmcore" "$tmp/corrupt.vmcore" "$top/tests/dumps/lib" <<'PY'
import json, shutil, struct, sys
sys.path.insert(0, sys.argv[5])
from linear import Memory, vmcoreinfo_text
j = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2].replace("top/", "", 1)))
mm = max(j["mms"], key=lambda x: x["tree"]["nodes"])
node = int(mm["ma_root"], 16) & ~0xff
with open(sys.argv[3], "rb") as f:
    pa = Memory(m, vmcoreinfo_text(f.read(1 << 20))).pa(node)
shutil.copyfile(sys.argv[3], sys.argv[4])
with open(sys.argv[4], "r+b") as f:
    eh = f.read(64)
    phoff, = struct.unpack_from("<Q", eh, 32)
    phentsize, phnum = struct.unpack_from("<HH", eh, 54)
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
        if p_type == 1 and p_paddr <= pa < p_paddr + p_filesz:
            f.seek(p_offset + pa - p_paddr)
            # parent, pivots and slots become a pattern no kernel writes
            f.write(bytes([0x5a]) * 192)
            print(mm["address"])
            break
PY
)
	if [ -z "$victim" ]; then
		notok "corrupted tree in crash: could not place the corruption"
		return
	fi
	printf 'extend %s\nmmlife -m %s\nps\nmmlife\nquit\n' "$(in_chroot "$so")" \
		"$victim" >"$tmp/corrupt.cmds"
	chroot_run "$suite" crash -s "$(in_chroot "$vml")" "$(in_chroot "$tmp/corrupt.vmcore")" \
		<"$tmp/corrupt.cmds" >"$tmp/corrupt.log" 2>&1
	check "corrupted tree: crash survives and quits with status 0" 0 "$?"
	check "corrupted tree: mmlife ran twice" 2 "$(grep -c '^Summary' "$tmp/corrupt.log")"
	grep -Eq '^ +PID +PPID +CPU +TASK +ST +%MEM' "$tmp/corrupt.log" &&
		ok "corrupted tree: crash answers ps afterwards" ||
		notok "corrupted tree: crash answers ps afterwards"
	# A structural finding on the mm whose root node was overwritten, in
	# its own block of the report (not on some other mm).
	sed -n "/^  mm $victim /,/^  mm \|^Summary/p" "$tmp/corrupt.log" >"$tmp/corrupt.mm"
	grep -Eq '^    \[(error|critical)\] (node-type|parent-slot|dead-node|pivot-order|bad-entry|unreadable|metadata):' "$tmp/corrupt.mm" &&
		ok "corrupted tree: the damage is a finding on mm $victim" ||
		{ notok "corrupted tree: the damage is a finding on mm $victim"; sed -n '/^Findings/,/^Summary/p' "$tmp/corrupt.log" | head -n 8 | sed 's/^/#   /'; }
	rm -f "$tmp/corrupt.vmcore"
}

# direct_run NAME TAG [KPAGES]: crash (forky) on fixture NAME, with
# MMLIFE_KPAGES=KPAGES if given; "mmlife -j" into $tmp/direct.TAG.json and
# "mmlife -v" into $tmp/direct.TAG.log.
direct_run() {
	vml=$(vmlinux_of "$1") || return 1
	printf 'extend %s\nmmlife -j > %s\nmmlife -v\nquit\n' \
		"$(in_chroot "$top/$B-crash-forky/mmlife.so")" \
		"$(in_chroot "$tmp/direct.$2.json")" >"$tmp/direct.$2.cmds"
	(
		[ -z "${3:-}" ] || export MMLIFE_KPAGES="$3"
		CHROOT_XDG_CACHE=/mnt/mmlife-tmp/xdg-direct \
			chroot_run forky crash -s "$(in_chroot "$vml")" \
			"$(in_chroot "$top/vmcores/$1/vmcore")" \
			<"$tmp/direct.$2.cmds" >"$tmp/direct.$2.log" 2>&1
	)
}
# "N M" of the -v line "page reads: N from the kdump file by mmlife, M
# through crash's readmem()".
direct_counts() {
	sed -n "s/^  page reads: \([0-9]*\) from the kdump file by mmlife, \([0-9]*\) through crash's readmem().*/\1 \2/p" "$1" | head -n 1
}

# The extension reads the pages of a kdump file itself (ext/direct.c over
# fmt/kpages.c), those of an ELF dump through readmem(): -v says which
# served how many, and the report is the same either way.
direct_test() {
	zd="" od="" ed=""
	for x in $(crash_dumps); do
		case $(mf "$x" 'm["dump"]["format"] + " " + m["dump"]["compression"]') in
		"kdump zlib") [ -n "$zd" ] || zd=$x ;;
		kdump*) [ -n "$od" ] || od=$x ;;
		elf*) [ -n "$ed" ] || ed=$x ;;
		esac
	done
	if [ -z "$zd" ] || [ -z "$od" ] || [ -z "$ed" ] || [ ! -f "$top/$B-crash-forky/mmlife.so" ]; then
		skip "extension's own kdump page path" "no zlib, other kdump and ELF fixtures, or no extension" 10
		return
	fi
	for x in "$zd" "$od"; do
		if ! direct_run "$x" on || ! direct_run "$x" off 0; then
			notok "$x: crash runs the extension with and without its page path"
			continue
		fi
		what="$(mf "$x" 'm["dump"]["compression"]') kdump"
		total=$(jsq "$tmp/direct.on.json" 'j["counts"]["pages_read"]' 2>&1)
		check "$x ($what): mmlife reads every page the scan needs from the file, none through crash" \
			"$total 0" "$(direct_counts "$tmp/direct.on.log")"
		check "$x ($what): with MMLIFE_KPAGES=0 crash's readmem() reads them all" \
			"0 $total" "$(direct_counts "$tmp/direct.off.log")"
		# the same but for the timings
		for k in on off; do
			grep -v '"slab_ms"\|"seconds"\|"duration_ms"' \
				"$tmp/direct.$k.json" >"$tmp/direct.$k.nt"
		done
		same_files "$x ($what): the JSON report is the same byte for byte with MMLIFE_KPAGES=0 (timings aside)" \
			"$tmp/direct.on.nt" "$tmp/direct.off.nt"
	done
	grep -q "^  page reads: .* (off: MMLIFE_KPAGES=0)\$" "$tmp/direct.off.log" &&
		ok "$od: -v says the path is off, and why" ||
		notok "$od: -v says the path is off, and why"
	# The file cut short between two runs (as by a copy still being
	# written): the path is dropped, not read past the new end (which
	# would raise SIGBUS in crash), and crash goes on.
	cp "$(readlink -f "vmcores/$zd/vmcore")" "$tmp/direct.cut"
	size=$(stat -c %s "$tmp/direct.cut")
	printf 'extend %s\nmmlife -v\n!truncate -s %s %s\nmmlife -v\nps\nquit\n' \
		"$(in_chroot "$top/$B-crash-forky/mmlife.so")" "$((size - size / 40))" \
		"$(in_chroot "$tmp/direct.cut")" >"$tmp/direct.cut.cmds"
	CHROOT_XDG_CACHE=/mnt/mmlife-tmp/xdg-direct chroot_run forky crash -s \
		"$(in_chroot "$(vmlinux_of "$zd")")" "$(in_chroot "$tmp/direct.cut")" \
		<"$tmp/direct.cut.cmds" >"$tmp/direct.cut.log" 2>&1
	check "$zd cut short between two runs: crash quits with status 0" 0 "$?"
	grep -q "^  page reads: .* (off: the dump file changed since it was mapped)\$" "$tmp/direct.cut.log" &&
		grep -Eq '^>? +0 +0 +0 +[0-9a-f]+ +RU ' "$tmp/direct.cut.log" &&
		ok "$zd cut short between two runs: the path is dropped, said in -v, and crash answers ps" ||
		{ notok "$zd cut short between two runs: the path is dropped, said in -v, and crash answers ps"; grep "page reads" "$tmp/direct.cut.log" | sed 's/^/#   /'; }
	rm -f "$tmp/direct.cut"
	if direct_run "$ed" elf; then
		total=$(jsq "$tmp/direct.elf.json" 'j["counts"]["pages_read"]' 2>&1)
		check "$ed (ELF): every page through crash's readmem()" \
			"0 $total" "$(direct_counts "$tmp/direct.elf.log")"
	else
		notok "$ed (ELF): every page through crash's readmem()"
	fi
}

for s in ${CRASH_SUITES:-forky trixie}; do
	run_suite "$s"
done
case " ${CRASH_SUITES:-forky trixie} " in *" forky "*) corrupt_test; direct_test ;; esac
chroot_cleanup
