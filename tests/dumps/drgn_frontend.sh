#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The drgn front end (python/mmlife over libmmlife.so.0) in the real drgn:
# forky's python3-drgn (0.3.0) and trixie's (0.0.31), from the chroots the
# crash tests use. The library and the package are the host's build,
# bind-mounted: built against bookworm's glibc, they load in the newer
# chroots (glibc is backward compatible; the other way would not be).
# Checks, on every fixture: mmlife.scan(prog) equals the CLI's JSON in
# DWARF mode with the same vmlinux, apart from the fields that name the
# front end (mmlife.FRONT_END_FIELDS) and the slab walk's wall time; the
# scan raises nothing and the Program answers afterwards (the lossy dump
# included); the CLI's --deep run scans as many mms, and as many known only
# as a lazy-TLB active_mm or text_poke's mm, as drgn's helpers count. With forky's drgn, whose crash compatibility mode has
# commands: the plugin's "mmlife" runs as a crash command (found through the
# drgn.plugins entry point), its -j equals mmlife.scan(), -l lists the
# checks, and drgn answers after it; and so in drgn-crash itself, driven
# on a terminal. A dump with a damaged tree raises
# nothing, in the API or the command, and the damage is a finding. make
# install's layout works from a staged prefix, and the README's "In drgn"
# example prints what it shows.
#   B=build  MMLIFE_CACHE=~/.cache/mmlife  DRGN_SUITES="forky trixie"
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'chroot_cleanup; rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1

if [ "$(id -u)" != 0 ]; then
	skip "drgn front end" "needs root for the drgn chroots"
	exit 0
fi
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
if ! make -s B="$B" shared python >"$tmp/build.log" 2>&1; then
	notok "libmmlife.so.0 and the Python package build"
	tail -n 5 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi
pyenv() { # the environment that finds the build's library and package
	echo "MMLIFE_LIBRARY=$(in_chroot "$top/$B/libmmlife.so.0")" \
		"PYTHONPATH=$(in_chroot "$top/$B/python")"
}
# Reports compare with same_json --front-end: apart from what differs by
# front end (mmlife.FRONT_END_FIELDS) and the slab walk's wall time.

# Every fixture with its vmlinux, into $tmp/SUITE.list; the CLI's JSON of
# each in DWARF mode, once.
list_dumps() { # SUITE
	: >"$tmp/$1.list"
	for d in $(dumps); do
		why=$(mf "$d" 'm["dump"].get("unreadable_by", {}).get("drgn")')
		if [ -n "$why" ]; then
			# QEMU's arm64 kdump file: no Program to scan
			# (confirm.sh checks that drgn still refuses it so)
			echo "# $1 $d: not run: drgn cannot open this dump ($why)"
			continue
		fi
		vml=$(vmlinux_of "$d")
		fetch_result $? "$vml" "$1 $d" 2 || continue
		[ -s "$tmp/$d.cli.json" ] ||
			"$MMLIFE" --json --types=dwarf --vmlinux "$vml" \
				"vmcores/$d/vmcore" >"$tmp/$d.cli.json" 2>"$tmp/$d.cli.err"
		[ -s "$tmp/$d.deep.json" ] ||
			"$MMLIFE" --deep --json "vmcores/$d/vmcore" \
				>"$tmp/$d.deep.json" 2>"$tmp/$d.deep.err"
		echo "$d $(in_chroot "$top/vmcores/$d/vmcore") $(in_chroot "$vml")" >>"$tmp/$1.list"
	done
}

# The API: mmlife.scan() on every fixture, then the Program again.
api_checks() { # SUITE
	suite=$1
	out=$tmp/$suite
	mkdir -p "$out"
	# shellcheck disable=SC2046
	chroot_run "$suite" env $(pyenv) python3 \
		"$(in_chroot "$top/tests/dumps/lib/drgn_scan.py")" \
		"$(in_chroot "$tmp/$suite.list")" "$(in_chroot "$out")" \
		>"$out.log" 2>&1
	while read -r d _ _; do
		if [ -f "$out/$d.drgn-unreadable" ]; then
			# drgn's own read of init_task fails (0.0.31 on QEMU's
			# arm64 ELF): no report is possible, and mmlife.Error,
			# naming init_task, is the one thing the scan may raise.
			grep -q init_task "$out/$d.refused" 2>/dev/null
			check "$suite $d: drgn itself cannot read init_task ($(head -c 60 "$out/$d.drgn-unreadable")); mmlife.scan(prog) raises mmlife.Error naming it, nothing else" 0 "$?"
			continue
		fi
		if [ -f "$out/$d.raised" ]; then
			notok "$suite $d: mmlife.scan(prog) raises nothing"
			tail -n 4 "$out/$d.raised" | sed 's/^/#   /'
			continue
		fi
		if [ ! -f "$out/$d.json" ]; then
			notok "$suite $d: mmlife.scan(prog) ran"
			tail -n 4 "$out.log" | sed 's/^/#   /'
			continue
		fi
		same_json --front-end "$suite $d: mmlife.scan(prog) equals the CLI's JSON (DWARF)" \
			"$tmp/$d.cli.json" "$out/$d.json"
		check "$suite $d: the Program answers after the scan (init_task, UTS_RELEASE)" \
			"swapper/0 $(mf "$d" 'm["kernel"]["release"]')" "$(cat "$out/$d.after" 2>/dev/null)"
		discovery_checks "$suite" "$d" "$out"
	done <"$tmp/$suite.list"
}

# The discovery line against drgn's own count (drgn_scan.py's NAME.truth):
# with --deep (the memmap searched: every slab), the mms in all and those
# known only as a lazy-TLB active_mm or poking_mm; by default, the paths'
# counts and the known ones add up to the mms scanned.
discovery_checks() { # SUITE NAME OUT
	if [ -f "$3/$2.truth-unavailable" ]; then
		if [ "$(mf "$2" '"lossy" in m')" = true ]; then
			echo "# $1 $2: drgn cannot count the slab of a lossy dump: $(cat "$3/$2.truth-unavailable")"
		else
			notok "$1 $2: drgn counts the mm_struct slab"
			sed 's/^/#   /' "$3/$2.truth-unavailable"
		fi
		return
	fi
	check "$1 $2: --deep: mms scanned and those known only as a lazy-TLB active_mm or poking_mm, as drgn counts them" \
		"$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["mms"], t["known"])' "$3/$2.truth" 2>&1)" \
		"$(jsq "$tmp/$2.deep.json" '"%d %d" % (j["counts"]["mms"], j["discovery"]["known"])')"
	check "$1 $2: the default run's discovery line adds up to the mms it scanned" \
		"$(jsq "$tmp/$2.cli.json" 'j["counts"]["mms"]')" \
		"$(jsq "$tmp/$2.cli.json" 'sum(p["mms"] for p in j["discovery"]["paths"]) + j["discovery"]["known"]')"
}

# The command in drgn's crash compatibility mode, as %crash runs it.
command_checks() { # SUITE
	suite=$1
	while read -r d vmcore vml; do
		out=$tmp/$suite-cmd-$d
		{
			echo "mmlife -j > $(in_chroot "$out.json")"
			echo "mmlife"
			echo "mmlife -l"
			echo "mmlife -p 1"
			echo "sys"
		} >"$out.cmds"
		# shellcheck disable=SC2046
		chroot_run "$suite" env $(pyenv) python3 \
			"$(in_chroot "$top/tests/dumps/lib/drgn_commands.py")" "$vmcore" "$vml" \
			<"$out.cmds" >"$out.log" 2>&1
		check "$suite $d: crash mode runs mmlife and the other commands, none raises" 0 "$?"
		if [ -f "$tmp/$suite/$d.json" ]; then
			same_json --front-end "$suite $d: the mmlife command's -j equals mmlife.scan()" \
				"$tmp/$suite/$d.json" "$out.json"
		else
			notok "$suite $d: the mmlife command's -j equals mmlife.scan() (no scan)"
		fi
		check "$suite $d: mmlife and mmlife -p 1 print a report" 2 \
			"$(grep -c '^Summary' "$out.log")"
		"$MMLIFE" --checks >"$out.checks"
		missing=$(grep -cvxFf "$out.log" "$out.checks")
		check "$suite $d: mmlife -l lists the checks of mmlife --checks" 0 "$missing"
		rel=$(mf "$d" 'm["kernel"]["release"]')
		[ -n "$(awk -v r="$rel" '$1 == "RELEASE:" && $2 == r' "$out.log")" ] &&
			ok "$suite $d: drgn answers sys after mmlife" ||
			{ notok "$suite $d: drgn answers sys after mmlife"; tail -n 5 "$out.log" | sed 's/^/#   /'; }
	done <"$tmp/$suite.list"
}

# drgn-crash itself, on a terminal (its prompt needs one): the plugin's
# command among crash's (scroll off: no pager), then crash's sys.
drgn_crash_checks() { # SUITE
	suite=$1
	# shellcheck disable=SC2046 # one word per field
	set -- $(head -n 1 "$tmp/$suite.list")
	[ $# -eq 3 ] || { skip "$suite: drgn-crash" "no dump with its vmlinux"; return; }
	d=$1
	printf 'set scroll off\nmmlife -j > %s\nmmlife -l\nsys\n' "$(in_chroot "$tmp/drgn-crash.json")" \
		>"$tmp/drgn-crash.lines"
	# chroot_run as a command for the terminal's child.
	printf '. "%s/tests/dumps/lib/common.sh"; top=%s tmp=%s; chroot_run "$@"\n' \
		"$top" "$top" "$tmp" >"$tmp/chroot_run.sh"
	# shellcheck disable=SC2046
	python3 tests/dumps/lib/pty_session.py 120 '%crash> ' "$tmp/drgn-crash.lines" \
		sh "$tmp/chroot_run.sh" "$suite" env $(pyenv) drgn-crash "$3" "$2" \
		>"$tmp/drgn-crash.log" 2>&1
	check "$suite $d: drgn-crash on a terminal runs mmlife and exits with status 0" 0 "$?"
	if [ -f "$tmp/$suite/$d.json" ]; then
		same_json --front-end "$suite $d: mmlife -j in drgn-crash equals mmlife.scan()" \
			"$tmp/$suite/$d.json" "$tmp/drgn-crash.json"
	else
		notok "$suite $d: mmlife -j in drgn-crash equals mmlife.scan() (no scan)"
	fi
	check "$suite $d: drgn-crash answers sys after mmlife and mmlife -l" "2 1" \
		"$(grep -ac '^ *RELEASE: ' "$tmp/drgn-crash.log") $(grep -ac '^xa-zero ' "$tmp/drgn-crash.log")"
}

# An ELF dump with the root node of its largest tree overwritten: the API
# and the command raise nothing, the Program answers, the damage is a
# finding on that mm.
damage_checks() { # SUITE
	suite=$1
	d=""
	for x in $(complete_dumps); do
		[ "$(mf "$x" 'm["dump"]["format"]')" = elf ] &&
			grep -q "^$x " "$tmp/$suite.list" && { d=$x; break; }
	done
	[ -n "$d" ] || { skip "$suite: damaged tree" "no ELF dump with its vmlinux" 4; return; }
	vml=$(grep "^$d " "$tmp/$suite.list" | cut -d' ' -f3)
	victim=$(python3 tests/dumps/lib/corrupt_root.py "$tmp/$d.cli.json" \
		"vmcores/$d/manifest.json" "vmcores/$d/vmcore" "$tmp/damaged.vmcore")
	[ -n "$victim" ] || { notok "$suite: damaged tree: could not place the damage"; return; }
	echo "damaged $(in_chroot "$tmp/damaged.vmcore") $vml" >"$tmp/$suite-damaged.list"
	mkdir -p "$tmp/$suite-damaged"
	# shellcheck disable=SC2046
	chroot_run "$suite" env $(pyenv) python3 \
		"$(in_chroot "$top/tests/dumps/lib/drgn_scan.py")" \
		"$(in_chroot "$tmp/$suite-damaged.list")" "$(in_chroot "$tmp/$suite-damaged")" \
		>"$tmp/$suite-damaged.log" 2>&1
	j=$tmp/$suite-damaged/damaged.json
	if [ -f "$j" ]; then ok "$suite damaged $d: mmlife.scan(prog) raises nothing"; else
		notok "$suite damaged $d: mmlife.scan(prog) raises nothing"
		tail -n 4 "$tmp/$suite-damaged/damaged.raised" 2>/dev/null | sed 's/^/#   /'
		return
	fi
	check "$suite damaged $d: the Program answers after the scan" \
		"swapper/0 $(mf "$d" 'm["kernel"]["release"]')" "$(cat "$tmp/$suite-damaged/damaged.after")"
	check "$suite damaged $d: the damage is a structural finding on mm $victim" true \
		"$(jsq "$j" "any(f['id'] in ('node-type','parent-slot','dead-node','pivot-order','bad-entry','unreadable','metadata') and f['severity'] in ('error','critical') for x in j['mms'] if x['address'] == '$victim' for f in x['findings'])")"
	[ "$suite" = forky ] || return
	printf 'mmlife -m %s\nmmlife\nsys\n' "$victim" >"$tmp/damaged.cmds"
	# shellcheck disable=SC2046
	chroot_run "$suite" env $(pyenv) python3 \
		"$(in_chroot "$top/tests/dumps/lib/drgn_commands.py")" "$(in_chroot "$tmp/damaged.vmcore")" "$vml" \
		<"$tmp/damaged.cmds" >"$tmp/damaged.cmd.log" 2>&1
	rc=$?
	check "$suite damaged $d: crash mode runs mmlife twice and sys, none raises" "0 2 1" \
		"$rc $(grep -c '^Summary' "$tmp/damaged.cmd.log") $(grep -Ec '^ +RELEASE: ' "$tmp/damaged.cmd.log")"
	rm -f "$tmp/damaged.vmcore"
}

# make install's layout under a prefix, staged: the package finds
# libmmlife.so.0 in PREFIX/lib without MMLIFE_LIBRARY or ldconfig, and
# drgn finds the plugin through the installed dist-info's entry point.
install_checks() { # SUITE
	suite=$1
	d=$(head -n 1 "$tmp/$suite.list")
	[ -n "$d" ] || { skip "$suite: make install's layout" "no dump with its vmlinux"; return; }
	rm -rf "$tmp/inst"
	if ! make -s B="$B" install DESTDIR="$tmp/inst" PREFIX=/opt/mmlife \
		PYTHONDIR=/opt/mmlife/lib/python3/dist-packages >"$tmp/install.log" 2>&1; then
		notok "$suite: make install stages the package"
		tail -n 5 "$tmp/install.log" | sed 's/^/#   /'
		return
	fi
	# shellcheck disable=SC2086 # one word per field
	set -- $d
	echo "mmlife -l" | chroot_run "$suite" env \
		PYTHONPATH="$(in_chroot "$tmp/inst/opt/mmlife/lib/python3/dist-packages")" \
		python3 "$(in_chroot "$top/tests/dumps/lib/drgn_commands.py")" "$2" "$3" \
		>"$tmp/install.out" 2>&1
	check "$suite: installed under a prefix, drgn finds the plugin and it finds libmmlife.so.0" \
		"0 xa-zero" "$? $(grep -o '^xa-zero' "$tmp/install.out")"
}

# A Python exception in a callback (^C in a read, a failing type lookup)
# is raised once the core has returned, never through it; the Program and
# the package work afterwards.
callback_checks() { # SUITE
	suite=$1
	# shellcheck disable=SC2046 # one word per field
	set -- $(head -n 1 "$tmp/$suite.list")
	[ $# -eq 3 ] || { skip "$suite: exceptions in callbacks" "no dump with its vmlinux"; return; }
	# shellcheck disable=SC2046
	chroot_run "$suite" env $(pyenv) python3 \
		"$(in_chroot "$top/tests/dumps/lib/drgn_interrupt.py")" "$2" "$3" \
		>"$tmp/$suite.interrupt" 2>&1
	check "$suite $1: ^C in a read is raised as KeyboardInterrupt after the core returns" \
		"KeyboardInterrupt(^C)" "$(sed -n 's/^interrupt during a read: //p' "$tmp/$suite.interrupt")"
	check "$suite $1: an exception in a type callback is raised after the core returns" \
		"RuntimeError(broken type lookup)" "$(sed -n 's/^exception in a type lookup: //p' "$tmp/$suite.interrupt")"
	check "$suite $1: the next scan is the first one's, the Program answers" "True swapper/0" \
		"$(sed -n 's/^scan afterwards equals the first: //p' "$tmp/$suite.interrupt") $(sed -n 's/^the Program afterwards: //p' "$tmp/$suite.interrupt")"
	grep -q "Exception ignored" "$tmp/$suite.interrupt" &&
		notok "$suite $1: no exception reached ctypes" || ok "$suite $1: no exception reached ctypes"
}

# The README's "In drgn" example, run as drgn's REPL would run it.
readme_checks() { # SUITE
	suite=$1
	d=$(sed -n 's|^\$ drgn -c vmcores/\([^/]*\)/vmcore -s .*|\1|p' README.md)
	vml=$(grep "^$d " "$tmp/$suite.list" | cut -d' ' -f3)
	[ -n "$vml" ] || { notok "$suite: README's drgn example names a fixture with its vmlinux ('$d')"; return; }
	# shellcheck disable=SC2046,SC2016 # one word per field
	chroot_run "$suite" sh -c 'cd "$1" && shift && exec env "$@"' sh \
		"$(dirname "$(in_chroot "$top/README.md")")" $(pyenv) python3 \
		"$(in_chroot "$top/tests/dumps/lib/drgn_readme.py")" README.md "$vml" \
		>"$tmp/readme.out" 2>"$tmp/readme.err"
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q '^missing: ' "$tmp/readme.out" &&
		grep -q '^ran [1-9][0-9]* inputs$' "$tmp/readme.out"; then
		ok "$suite: README's drgn example runs and prints what it shows ($(tail -n 1 "$tmp/readme.out"))"
	else
		notok "$suite: README's drgn example runs and prints what it shows (exit $rc)"
		cat "$tmp/readme.out" "$tmp/readme.err" | grep -v '^ran ' | head -n 5 | sed 's/^/#   /'
	fi
}

for suite in ${DRGN_SUITES:-forky trixie}; do
	if ! chroot_prepare "$suite" || ! chroot_want "$suite" python3-drgn; then
		notok "$suite chroot with python3-drgn could not be prepared"
		sed 's/^/#   /' "$tmp/chroot-$suite.log" | tail -n 5
		continue
	fi
	ok "$suite: drgn $(chroot_run "$suite" python3 -c 'import drgn; print(drgn.__version__)' 2>&1)"
	list_dumps "$suite"
	api_checks "$suite"
	callback_checks "$suite"
	if [ "$suite" = forky ]; then
		command_checks "$suite"
		drgn_crash_checks "$suite"
		install_checks "$suite"
	fi
	# About vmcores/' own fixtures: not over tests/other-dumps.sh's.
	if [ -n "${MMLIFE_OTHER_DUMPS:-}" ]; then
		echo "# $suite: README's example and the damaged ELF fixture: not run over other dumps"
		continue
	fi
	[ "$suite" = forky ] && readme_checks "$suite"
	damage_checks "$suite"
done
chroot_cleanup
