#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Show that a refactoring changed no report: build mmlife at REF (default
# HEAD) in a scratch worktree, build the working tree, run both on every
# dump in vmcores/ that REF has too, in every report mode, and compare
# the outputs byte for byte. Only timings are masked: the slab walk's wall
# time ("slab_ms"), -v's "in N ms", and -v's read-ahead lines (how many
# pages which thread inflated: up to the scheduler). Exit 0 when every
# output and exit status is the same.
#   scripts/same-reports.sh [REF]
#   SAME_KEEP=1   keep the outputs (printed path) even when they agree
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
ref=${1:-HEAD}
work=$(mktemp -d "${TMPDIR:-/tmp}/mmlife-same.XXXXXX")
old="$work/old"
cleanup() {
	git worktree remove --force "$old" >/dev/null 2>&1
	if [ -z "${SAME_KEEP:-}" ] && [ "${same:-1}" -eq 0 ]; then rm -rf "$work"; else echo "# outputs kept: $work"; fi
}
trap cleanup EXIT
git worktree add --detach -q "$old" "$ref" || exit 2
make -s -C "$old" -j2 build/mmlife >"$work/build-old.log" 2>&1 || { echo "build of $ref failed: $work/build-old.log"; exit 2; }
make -s -j2 build/mmlife >"$work/build-new.log" 2>&1 || { echo "build of the working tree failed: $work/build-new.log"; exit 2; }

# run BIN OUT ARGS...: BIN's stdout, stderr and exit status, timings masked
run() {
	bin=$1 out=$2
	shift 2
	"$bin" --no-cache "$@" >"$out.out" 2>"$out.err"
	echo "exit $?" >>"$out.out"
	sed -i 's/"slab_ms": [0-9]*/"slab_ms": T/' "$out.out"
	sed -i 's/ in [0-9]* ms/ in T ms/' "$out.err"
	sed -i '/^mmlife: read-ahead: /d' "$out.err"
}
same=0 n=0
compare() { # NAME ARGS...
	name=$1
	shift
	run "$old/build/mmlife" "$work/$name.old" "$@"
	run build/mmlife "$work/$name.new" "$@"
	n=$((n + 1))
	for s in out err; do
		if ! cmp -s "$work/$name.old.$s" "$work/$name.new.$s"; then
			echo "DIFFERS: mmlife $* (std$s)"
			diff "$work/$name.old.$s" "$work/$name.new.$s" | head -20 | sed 's/^/  /'
			same=1
		fi
	done
}
compare checks --checks
compare fixes --fixes
compare fixes-json --fixes --json
compare help --help
compare no-dump
compare garbage /etc/hostname
for d in vmcores/*/vmcore; do
	f=$(basename "$(dirname "$d")")
	# A fixture REF does not have is new input: what REF did with it is
	# no reference (its own tests say what it must give)
	if [ ! -d "$old/vmcores/$f" ]; then
		echo "# $f: not in $ref, not compared"
		continue
	fi
	compare "$f" "$d"
	compare "$f-json" --json "$d"
	compare "$f-deep" --deep "$d"
	compare "$f-deep-json" --deep --json "$d"
	compare "$f-fast" --fast "$d"
	compare "$f-verbose" -v "$d"
	compare "$f-log" --log=20 "$d"
	compare "$f-layout" --layout "$d"
	compare "$f-btf" --types=btf --json "$d"
	compare "$f-info" --fail-on info "$d"
	compare "$f-pid1" --pid 1 "$d"
	compare "$f-maps1" --maps 1 "$d"
done
echo "$n runs of $ref and the working tree: $([ $same -eq 0 ] && echo "all the same" || echo "some differ")"
exit $same
