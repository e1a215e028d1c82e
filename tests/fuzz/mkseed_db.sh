#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The seeds of fuzz_db in tests/fuzz/corpus/db/: scan databases written by
# `mmlife scan` (B=build) over one fixture with findings and one file that
# is not a dump, and over nothing, vacuumed to 1 KiB pages (under
# libFuzzer's -max_len). Needs sqlite3 and a built mmlife.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-build}
out=$top/tests/fuzz/corpus/db
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out" "$tmp/d" "$tmp/e"
ln -s "$top/vmcores/6.12-swapoff-oops/vmcore" "$tmp/d/a.vmcore"
printf 'not a dump' >"$tmp/d/b.vmcore"
"$top/$B/mmlife" scan -q -j 1 --db "$tmp/findings.db" -o /dev/null "$tmp/d" || :
"$top/$B/mmlife" scan -q -j 1 --db "$tmp/empty.db" -o /dev/null "$tmp/e" || :
for db in findings empty; do
	sqlite3 "$tmp/$db.db" 'PRAGMA journal_mode=DELETE; PRAGMA page_size=1024; VACUUM;' >/dev/null
	cp "$tmp/$db.db" "$out/scan-$db"
done
ls -l "$out"
