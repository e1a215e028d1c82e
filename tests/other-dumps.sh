#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tests/other-dumps.sh DIR [GROUP...]
# Run the tests on real dumps over the dumps in DIR instead of vmcores/:
# dumps of kernels no fixture comes from, made by vmcores/generate.sh
# (NAME/manifest.json beside NAME/vmcore or NAME/vmcore.xz, as in
# vmcores/). The groups are tests/dumps/GROUP.sh; by default those that
# hold mmlife's default run, --deep and DWARF mode, the verdicts, the maps
# view and the drgn front end to each manifest's ground truth. The dumps'
# kernels must be in vmcores/kernels.conf (a "fixture": false scenario is
# enough) for their debug vmlinux.
#
# How: in a private mount namespace (root), vmcores/ is replaced by a
# directory of DIR's dumps and vmcores/' other entries (its scripts, the
# kernels), so the tests find the dumps where they always do, and so does
# a chroot they run in. Nothing outside the namespace sees it. The groups
# see MMLIFE_OTHER_DUMPS=DIR and leave out what is about vmcores/' own
# fixtures (README's examples). Closes with tests/run.sh's line.
#   B=build  CI=true  MMLIFE_CACHE=...   as for tests/run.sh
set -u
usage() { echo "usage: tests/other-dumps.sh DIR [GROUP...]" >&2; exit 2; }
[ $# -ge 1 ] && [ -d "$1" ] || usage
[ "$(id -u)" = 0 ] || { echo "tests/other-dumps.sh: needs root (a private mount namespace)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(cd "$1" && pwd)
shift
tests=
for g in ${*:-manifest findings orphans verdicts maps cli_report cli_layout crash_ext drgn_frontend}; do
	[ -f "$top/tests/dumps/$g.sh" ] || { echo "$g: no tests/dumps/$g.sh" >&2; exit 2; }
	tests="$tests dumps/$g"
done
names=
for m in "$dir"/*/manifest.json; do
	[ -f "$m" ] || continue
	name=$(basename "$(dirname "$m")")
	[ -e "$top/vmcores/$name" ] && { echo "$name: also an entry of vmcores/" >&2; exit 2; }
	names="$names $name"
done
[ -n "$names" ] || { echo "$dir: no NAME/manifest.json" >&2; exit 2; }
view=$(mktemp -d)
trap 'rm -rf "$view"' EXIT INT TERM	# stubs only: the mounts were the namespace's
echo "# $(echo $names | wc -w) dumps of $dir:$names"
# The view: a mount point per entry (a link would loop once the view is
# over vmcores/), vmcores/' own entries but its dumps, then DIR's.
unshare -m --propagation private sh -c '
	top=$1 dir=$2 view=$3 names=$4 tests=$5
	for e in "$top"/vmcores/*; do
		[ -f "$e/manifest.json" ] && continue
		v=$view/$(basename "$e")
		if [ -d "$e" ]; then mkdir "$v"; else : >"$v"; fi
		mount --bind "$e" "$v" || exit 2
	done
	for name in $names; do
		mkdir "$view/$name" && mount --bind "$dir/$name" "$view/$name" ||
			exit 2
	done
	mount --rbind "$view" "$top/vmcores" || exit 2
	MMLIFE_OTHER_DUMPS=$dir TESTS=$tests exec sh "$top/tests/run.sh"' sh "$top" "$dir" "$view" "$names" "$tests"
