# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for the tests on real dumps (sourced, POSIX sh).
# Every test prints TAP: "ok N - ...", "not ok N - ...", "ok N - ... # SKIP why".

top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
MMLIFE=$top/$B/mmlife
CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
export MMLIFE_CACHE=$CACHE
n=0
# dump_test_setup: how a test on the dumps starts: a temp dir $tmp, removed
# when the test ends, the tree's top as the working directory, and the CLI
# built (without it the test is not ok, not skipped).
dump_test_setup() {
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT INT TERM
	cd "$top" || exit 1
	[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
}
ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); echo "not ok $n - $*"; }
skip() { # description why [number of checks it stands for]
	n=$((n + 1))
	if [ "${3:-1}" -gt 1 ]; then
		echo "ok $n - $1 # SKIP $2 (stands for $3 checks)"
	else
		echo "ok $n - $1 # SKIP $2"
	fi
}
check() { # description expected actual
	if [ "$2" = "$3" ]; then ok "$1"; else
		notok "$1"; echo "#   expected: $2"; echo "#   got:      $3"; fi
}
# same_files DESCRIPTION WANT GOT [MORE]: ok when GOT is not empty and
# equals WANT byte for byte; else not ok, with the first lines of
# diff WANT GOT and of the file MORE, when given (what the command that
# wrote GOT said on stderr).
same_files() {
	if [ -s "$3" ] && cmp -s "$2" "$3"; then
		ok "$1"
	else
		notok "$1"
		diff "$2" "$3" 2>&1 | head -n 10 | sed 's/^/#   /'
		if [ -n "${4:-}" ]; then head -n 5 "$4" 2>&1 | sed 's/^/#   /'; fi
	fi
}
# normalize_json [OPTION...] IN OUT: mmlife's JSON report IN without what
# names the file, its format and the timings, sorted and indented into OUT
# (lib/normalize_json.py says which fields and what the options add).
normalize_json() { python3 "$top/tests/dumps/lib/normalize_json.py" "$@"; }
# same_json [OPTION...] DESCRIPTION WANT GOT: same_files over the two
# reports normalized (normalize_json OPTION...) into WANT.n and GOT.n; a
# report that does not parse leaves no .n file, and is not ok.
same_json() {
	sj_opts=
	while [ $# -gt 3 ]; do sj_opts="$sj_opts $1"; shift; done
	# shellcheck disable=SC2086 # options: one word each
	normalize_json $sj_opts "$2" "$2.n" 2>/dev/null
	# shellcheck disable=SC2086
	normalize_json $sj_opts "$3" "$3.n" 2>/dev/null
	same_files "$1" "$2.n" "$3.n"
}

# The dumps shipped in vmcores/ that have a manifest. A dump shipped as
# vmcore.xz (the ELF one) is unpacked once into the cache, checked against
# the manifest's sha256, and linked as vmcores/NAME/vmcore (git ignores it).
dumps() {
	for m in "$top"/vmcores/*/manifest.json; do
		d=$(dirname "$m")
		if [ ! -f "$d/vmcore" ] && [ -f "$d/vmcore.xz" ]; then
			unpack_dump "$(basename "$d")" >&2 || continue
		fi
		[ -f "$d/vmcore" ] && basename "$d"
	done
}
# The dumps that hold every page the analysis needs: those whose manifest
# has no "lossy" record. A lossy dump's counts and walks are checked
# against its own record by lossy.sh.
complete_dumps() {
	for d in $(dumps); do
		[ "$(mf "$d" '"lossy" in m')" = false ] && echo "$d"
	done
}
# The dump's architecture, as its manifest says (the x86 fixtures, older
# than the arm64 ones, do not say: x86_64).
dump_arch() { mf "$1" 'm["kernel"].get("arch", "x86_64")'; }
# The complete dumps the x86_64 crash of the chroots reads: x86_64 ones.
# The arm64 ones go to the arm64 crash (crash_ext_arm64.sh).
crash_dumps() {
	for d in $(complete_dumps); do
		[ "$(dump_arch "$d")" = x86_64 ] && echo "$d"
	done
}
# The dump drgn reads for fixture NAME: its vmcore, or, for one drgn cannot
# open (dump.unreadable_by.drgn: QEMU's arm64 kdump file), the ELF of the
# same stop (dump.elf_twin) that vmcores/gen/make_dump.py left in the
# cache's work dir, linked into $CACHE/vmcores/NAME/ (inside the chroots'
# mounts) and checked against the twin's sha256; status 1 when that ELF is
# not there.
drgn_dump() { # NAME
	twin=$(mf "$1" 'm["dump"].get("elf_twin", {}).get("sha256", "")')
	if [ -z "$twin" ]; then
		echo "$top/vmcores/$1/vmcore"
		return 0
	fi
	c=$CACHE/vmcores/$1
	mkdir -p "$c"
	if [ ! -f "$c/elf-twin" ] || [ "$(sha256sum <"$c/elf-twin" | cut -d' ' -f1)" != "$twin" ]; then
		[ -f "$CACHE/work/$1/raw.elf" ] || return 1
		ln -f "$CACHE/work/$1/raw.elf" "$c/elf-twin" 2>/dev/null ||
			cp "$CACHE/work/$1/raw.elf" "$c/elf-twin" || return 1
		[ "$(sha256sum <"$c/elf-twin" | cut -d' ' -f1)" = "$twin" ] ||
			{ rm -f "$c/elf-twin"; return 1; }
	fi
	echo "$c/elf-twin"
}
unpack_dump() { # NAME
	want=$(mf "$1" 'm["dump"].get("uncompressed_sha256") or m["dump"]["sha256"]')
	c=$CACHE/vmcores/$1
	mkdir -p "$c"
	if [ ! -f "$c/vmcore" ] || [ "$(sha256sum <"$c/vmcore" | cut -d' ' -f1)" != "$want" ]; then
		xz -dc "$top/vmcores/$1/vmcore.xz" >"$c/vmcore.tmp" && mv "$c/vmcore.tmp" "$c/vmcore" || return 1
		[ "$(sha256sum <"$c/vmcore" | cut -d' ' -f1)" = "$want" ] || {
			echo "# $1: unpacked dump does not match its manifest's sha256" >&2; return 1; }
	fi
	ln -sf "$c/vmcore" "$top/vmcores/$1/vmcore"
}

# jq-like: mf NAME EXPR, EXPR a python expression over the manifest "m".
mf() {
	python3 -c 'import json,sys
m=json.load(open(sys.argv[1]))
v=eval(sys.argv[2])
print(str(v).lower() if isinstance(v,bool) else ("" if v is None else v))' \
		"$top/vmcores/$1/manifest.json" "$2"
}

# init_pid NAME: the pid of the manifest's "init" task (1 without one),
# the process the --maps checks print.
init_pid() {
	mf "$1" 'next((t["pid"] for t in m["tasks"] if t["comm"] == "init"), 1)'
}

# jsq FILE EXPR: the same over a JSON file "j" (mmlife's output).
jsq() {
	python3 -c 'import json,sys
j=json.load(open(sys.argv[1]))
v=eval(sys.argv[2])
print(str(v).lower() if isinstance(v,bool) else ("" if v is None else v))' "$1" "$2"
}

# The debug vmlinux of a dump's kernel, fetched into the cache; empty and
# status 77 when the pinned version left the archive (a skip). Any other
# status (a checksum or build-id that does not match, a failed download or
# unpack) is a failure: see fetch_result.
vmlinux_of() {
	key=$(mf "$1" 'm["kernel"]["key"]')
	bash "$top/vmcores/scripts/fetch-kernel.sh" "$key" 2>"$tmp/fetch.err"
}
# fetch_result STATUS VMLINUX DESCRIPTION [CHECKS]: prints nothing and
# returns 0 when the vmlinux is there; otherwise prints a skip (exit 77:
# the pinned package left the archive) or a failure (anything else) for
# DESCRIPTION, standing for CHECKS checks, and returns 1.
fetch_result() {
	if [ "$1" -eq 0 ] && [ -s "$2" ]; then return 0; fi
	if [ "$1" -eq 77 ]; then
		skip "$3" "no debug vmlinux: $(tail -n 1 "$tmp/fetch.err")" "${4:-1}"
	else
		notok "$3: fetch-kernel.sh failed (exit $1): the debug vmlinux is not verified"
		tail -n 3 "$tmp/fetch.err" | sed 's/^/#   /'
	fi
	return 1
}

# ---- running crash from a chroot of a newer Debian ----
# Each run gets a private mount namespace (unshare -m) holding proc and bind
# mounts of the sources, the kernels and the test's temp dir: nothing is left
# mounted afterwards, and another user of the same chroot cannot pull the
# mounts from under the test.
chroot_dir() { echo "$CACHE/chroot-$1"; }
# (lzo, snappy and zstd, which fmt/ also links, come with crash)
chroot_prepare() { # SUITE: create (idempotent), with what the extension links
	ch=$(chroot_dir "$1")
	bash "$top/vmcores/scripts/chroot.sh" "$1" create >"$tmp/chroot-$1.log" 2>&1 || return 1
	[ -e "$ch/usr/lib/x86_64-linux-gnu/libjansson.so.4" ] &&
		[ -e "$ch/usr/lib/x86_64-linux-gnu/libbpf.so.1" ] &&
		[ -e "$ch/usr/lib/x86_64-linux-gnu/libdeflate.so.0" ] ||
		chroot_run "$1" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends libjansson4 libbpf1 \
			libdeflate0 >>"$tmp/chroot-$1.log" 2>&1
}
# chroot_want SUITE PACKAGE...: install what a test needs beyond the
# chroot's own list (vmcores/scripts/chroot.sh), once.
chroot_want() {
	suite=$1; shift
	for p in "$@"; do
		chroot "$(chroot_dir "$suite")" dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "ok installed" && continue
		chroot_run "$suite" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "$p" \
			>>"$tmp/chroot-$suite.log" 2>&1 || return 1
	done
}
# XDG_CACHE_HOME (mmlife's layout cache, which the crash extension reads
# and writes) is in the test's temp dir, or CHROOT_XDG_CACHE (a path in
# the chroot): no test reads what another left in the chroot's /root.
chroot_run() { # SUITE COMMAND...
	ch=$(chroot_dir "$1")
	shift
	mkdir -p "$CACHE/vmcores"
	unshare -m --propagation private sh -c '
		ch=$1 top=$2 kern=$3 tmp=$4 vmc=$5 xdg=$6; shift 6
		mkdir -p "$ch/proc" "$ch/dev" "$ch/mnt/mmlife-src" \
			"$ch/mnt/mmlife-kernels" "$ch/mnt/mmlife-tmp" \
			"$ch/mnt/mmlife-vmcores"
		mount -t proc proc "$ch/proc" &&
		mount --bind /dev "$ch/dev" &&
		mount --rbind "$top" "$ch/mnt/mmlife-src" &&
		mount --bind "$kern" "$ch/mnt/mmlife-kernels" &&
		mount --bind "$tmp" "$ch/mnt/mmlife-tmp" &&
		mount --bind "$vmc" "$ch/mnt/mmlife-vmcores" &&
		exec env XDG_CACHE_HOME="$xdg" chroot "$ch" "$@"' sh "$ch" \
		"$top" "$CACHE/kernels" "$tmp" "$CACHE/vmcores" \
		"${CHROOT_XDG_CACHE:-/mnt/mmlife-tmp/xdg-cache}" "$@"
}
chroot_cleanup() { :; }
# Path of a host file as the chroot sees it (symlinks resolved: a dump
# unpacked into the cache is linked from vmcores/).
in_chroot() {
	f=$(readlink -f "$1" 2>/dev/null || echo "$1")
	for pair in "$CACHE/vmcores:/mnt/mmlife-vmcores" \
		"$CACHE/kernels:/mnt/mmlife-kernels" "$top:/mnt/mmlife-src" \
		"$tmp:/mnt/mmlife-tmp"; do
		base=$(readlink -f "${pair%%:*}" 2>/dev/null || echo "${pair%%:*}")
		case $f in
		"$base"/*) echo "${pair##*:}${f#"$base"}"; return ;;
		esac
	done
	echo "$1"
}
