#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The symbol memo (cli/debuginfo/symmemo.c): a warm run answers its symbol lookups
# from the cache and gives the report of a run without any cache; a memo
# written from one dump serves another of the same build with another KASLR
# offset (7.2-baseline, no KASLR, then 7.2-failed-fork, KASLR); a damaged
# memo is a miss, rewritten.
#   B=build
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$top" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -x "$MMLIFE" ]; then
	skip "symbol memo" "$MMLIFE not built"
	exit 0
fi
export XDG_CACHE_HOME="$tmp/cache"
memo_of() { ls "$XDG_CACHE_HOME"/mmlife/layouts/*.kallsyms 2>/dev/null | head -n 1; }
strip_times() { grep -v '"slab_ms"'; }
for name in $(dumps); do
	d=vmcores/$name/vmcore
	rm -rf "$XDG_CACHE_HOME"
	"$MMLIFE" --json --no-cache "$d" 2>/dev/null | strip_times >"$tmp/nocache"
	"$MMLIFE" --json "$d" >/dev/null 2>&1
	"$MMLIFE" -v --json "$d" 2>"$tmp/err" | strip_times >"$tmp/warm"
	if grep -q 'symbol memo: hit' "$tmp/err" && ! grep -q 'symbols from kallsyms' "$tmp/err"; then
		ok "$name: a warm run answers its symbols from the memo ($(grep -o 'hit ([0-9]* names)' "$tmp/err"))"
	else
		notok "$name: a warm run answers its symbols from the memo"
		grep -i 'memo\|symbols' "$tmp/err" | sed 's/^/#   /'
	fi
	same_files "$name: the same report as without any cache" "$tmp/nocache" "$tmp/warm"
done

# KASLR: the memo written from the no-KASLR dump of the same build.
if [ -f vmcores/7.2-baseline/vmcore ] && [ -f vmcores/7.2-failed-fork/vmcore ]; then
	rm -rf "$XDG_CACHE_HOME"
	"$MMLIFE" --json vmcores/7.2-baseline/vmcore >/dev/null 2>&1
	"$MMLIFE" --json --no-cache vmcores/7.2-failed-fork/vmcore 2>/dev/null | strip_times >"$tmp/nocache"
	"$MMLIFE" -v --json vmcores/7.2-failed-fork/vmcore 2>"$tmp/err" | strip_times >"$tmp/warm"
	grep -q 'symbol memo: hit' "$tmp/err" && cmp -s "$tmp/nocache" "$tmp/warm" &&
		ok "7.2-failed-fork (KASLR 0x27e00000) from the memo of 7.2-baseline (no KASLR): the same report" ||
		notok "7.2-failed-fork (KASLR 0x27e00000) from the memo of 7.2-baseline (no KASLR): the same report"
	# A damaged memo: a miss, then rewritten.
	m=$(memo_of)
	printf 'mmlife-symbols 1\ninit_task 1 zz\n' >"$m"
	"$MMLIFE" -v --json vmcores/7.2-failed-fork/vmcore 2>"$tmp/err" | strip_times >"$tmp/warm"
	grep -q 'symbol memo: miss' "$tmp/err" && cmp -s "$tmp/nocache" "$tmp/warm" &&
		head -n 1 "$m" | grep -q '^mmlife-symbols 1$' && ! grep -q ' zz$' "$m" &&
		ok "a damaged memo is a miss, the report unchanged, the memo rewritten" ||
		notok "a damaged memo is a miss, the report unchanged, the memo rewritten"
else
	skip "memo across KASLR offsets" "no 7.2 dumps"
fi
exit 0
