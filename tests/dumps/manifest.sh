#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The CLI's headline numbers against the ground truth, on every fixture in
# vmcores/, with the types from BTF and from DWARF (the debug vmlinux):
# its own --json against every field of the manifest (what gdb read: task
# and kthread counts, mms, VMAs, flags, map_count, mm_users/mm_count,
# ma_root/ma_flags, tree entries, nodes and depth, XA_ZERO ranges, stale
# VMAs, parent, last child VMA) and of drgn-facts.json (what drgn read and
# the manifest lacks: per-mm nodes, height, mm_count, ma_root; written by
# vmcores/gen/drgn-facts.sh). The checker is tests/dumps/lib/manifest_check.py.
#   B=build
#   MANIFEST_OPTS   the CLI's options for these runs: none, the default run,
#                   which reaches the failed forks' children in the slab
#                   (--fast would not: set it to check that run).
set -u
MANIFEST_OPTS=${MANIFEST_OPTS-}
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "CLI against the manifests" "$MMLIFE not built"
	exit 0
fi
deep=1
case " $MANIFEST_OPTS " in *" --fast "*) deep=0 ;; esac

check_run() { # NAME MODE JSON
	PYTHONPATH="$top/tests/dumps/lib" python3 "$top/tests/dumps/lib/manifest_check.py" \
		"$top/vmcores" "$1" "$3" "$2" "$deep" >"$tmp/res" 2>"$tmp/py.err"
	prc=$?
	while IFS='|' read -r st what why; do
		case $st in
		ok) ok "$what" ;;
		"not ok") notok "$what"; [ -n "$why" ] && echo "#   $why" ;;
		esac
	done <"$tmp/res"
	[ $prc -eq 0 ] || { notok "$1 ($2): the checker ran (status $prc)"; tail -n 3 "$tmp/py.err" | sed 's/^/#   /'; }
}

found=0
for name in $(complete_dumps); do
	found=1
	d=vmcores/$name/vmcore
	for mode in btf dwarf; do
		if [ $mode = dwarf ]; then
			vml=$(vmlinux_of "$name")
			fetch_result $? "$vml" "$name (dwarf): CLI against the manifest" \
				"$(grep -c '^ok\|^not ok' "$tmp/btf.tap" 2>/dev/null || echo 1)" || continue
			set -- --types=dwarf --vmlinux "$vml"
		else
			set -- --types=btf
		fi
		# shellcheck disable=SC2086
		"$MMLIFE" --json $MANIFEST_OPTS "$@" "$d" >"$tmp/r.json" 2>"$tmp/err"
		rc=$?
		if [ $rc -gt 1 ]; then
			notok "$name ($mode): mmlife --json $MANIFEST_OPTS runs (exit $rc)"
			head -n 3 "$tmp/err" | sed 's/^/#   /'
			continue
		fi
		if [ $mode = btf ]; then
			check_run "$name" $mode "$tmp/r.json" | tee "$tmp/btf.tap"
			n=$((n + $(grep -c '^ok\|^not ok' "$tmp/btf.tap")))
		else
			check_run "$name" $mode "$tmp/r.json"
		fi
	done
done
[ $found -eq 1 ] || skip "CLI against the manifests" "no dumps in vmcores/"
# The size budget vmcores/README.md states for the dumps the clone ships
# (what git tracks: the vmcore and vmcore.xz files).
budget=$(sed -n 's/^Size budget: \([0-9][0-9]*\) MB.*/\1/p' vmcores/README.md)
bytes=$(git ls-files -z 'vmcores/*/vmcore' 'vmcores/*/vmcore.xz' 2>/dev/null |
	xargs -0 -r stat -c %s | awk '{s += $1} END {print s + 0}')
if [ -z "$budget" ]; then
	notok "vmcores/README.md states a size budget (\"Size budget: N MB\")"
elif [ "$bytes" -le $((budget * 1000000)) ]; then
	ok "the shipped dumps, $((bytes / 1000000)) MB, fit the README's budget of $budget MB"
else
	notok "the shipped dumps, $((bytes / 1000000)) MB, fit the README's budget of $budget MB"
fi
exit 0
