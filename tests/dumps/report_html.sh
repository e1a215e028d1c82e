#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mmlife report --html (issue 22) in a real browser: the page built from a
# scan of every real dump (plus a hostile file name, a truncated dump and a
# hostile comm), then from a 10,000-dump database grown from that scan in
# SQL (tests/dumps/lib/gen_archive_db.py), each loaded in Debian's headless
# Chromium. The rendered DOM's chart tables are checked against
# `mmlife report --json` on the same database (lib/report_html_check.py),
# the console must stay silent, the dumps' packed sections unpack in the
# browser and in the checker, and what came from the dumps shows as text.
#   B=build
#   REPORT_HTML_OUT=dir  where the pages, screenshots and timings are kept
#                        (default $B/tests/report_html; samples/regen.sh
#                        copies the screenshot from there)
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
cp "$MMLIFE" "$tmp/mmlife" && MMLIFE=$tmp/mmlife
out=${REPORT_HTML_OUT:-$top/$B/tests/report_html}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	skip "report --html in headless Chromium" "no chromium (scripts/deps.sh installs it)" 45
	exit 0
fi

# browse URL DOM [FLAGS...]: the DOM after the page's script ran (and, with
# --virtual-time-budget, after what it started); the browser's log, where
# every console message and uncaught error lands, in DOM.log.
browse() {
	url=$1 dom=$2; shift 2
	timeout 300 "$browser" --headless --no-sandbox --disable-gpu \
		--no-first-run --user-data-dir="$tmp/profile" \
		--enable-logging=stderr --v=0 "$@" --dump-dom "$url" \
		>"$dom" 2>"$dom.log"
}
# checks DB DOM: every line of the checker as a TAP check.
checks() {
	python3 "$top/tests/dumps/lib/report_html_check.py" "$MMLIFE" "$1" "$2" \
		>"$2.checks" 2>"$2.checks.err" ||
		{ notok "checker ran on $2"; sed 's/^/#   /' "$2.checks.err"; }
	while IFS='|' read -r what want got; do
		check "$3: $what" "$want" "$got"
	done <"$2.checks"
}
no_console() { # LOG what
	check "$2: no console message or uncaught error" "" \
		"$(grep 'CONSOLE' "$1" | head -n 3)"
}

# ---- the fixtures' archive, with hostile names ----
a=$tmp/archive
mkdir -p "$a/bad"
n_dumps=0
for d in $(dumps); do
	ln -s "$top/vmcores/$d/vmcore" "$a/$d.vmcore"
	n_dumps=$((n_dumps + 1))
	first=$d
done
[ "$n_dumps" -gt 0 ] || { skip "report --html" "no dump in vmcores/" 45; exit 0; }
evil_path='<script>alert(1)<script>.vmcore'
evil_bad='<img src=x onerror=alert(2)>.vmcore'
ln -s "$top/vmcores/$first/vmcore" "$a/$evil_path"
head -c 200000 "$top/vmcores/$first/vmcore" >"$a/bad/$evil_bad"
"$MMLIFE" scan -j 2 --db "$tmp/fx.db" -o "$tmp/fx.jsonl" "$a" \
	>/dev/null 2>"$tmp/scan.err"
check "scan of the fixtures: exit 3 (the truncated dump)" 3 $?
# A dump whose task is named like markup, and a summary that quotes it:
# what a hostile machine would leave in its dump, set in the database.
evil_comm='<svg onload=alert(3)>'
evil_summary='<iframe src=x>'
sqlite3 "$tmp/fx.db" "UPDATE mms SET tasks = '[{\"pid\":1,\"comm\":\"$evil_comm\"}]' WHERE id = (SELECT MIN(id) FROM mms); UPDATE findings SET summary = summary || ' $evil_summary' WHERE id = (SELECT MIN(id) FROM findings);"
hostile_id=$(sqlite3 "$tmp/fx.db" "SELECT id FROM dumps WHERE path LIKE '%<script>%'")

"$MMLIFE" report --html "$tmp/fx.db" >"$out/fixtures.html"
check "report --html on the fixtures: exit 0" 0 $?
browse "file://$out/fixtures.html#d$hostile_id" "$out/fixtures.dom" \
	--virtual-time-budget=10000
check "Chromium loads the page" 0 $?
no_console "$out/fixtures.dom.log" fixtures
check "the section named in the address opens and unpacks in the browser" 1 \
	"$(grep -c "<details id=\"d$hostile_id\" open=\"\" data-filled=\"1\" data-unpacked=\"1\">" "$out/fixtures.dom")"
check "the unpacked section holds the dump's findings or verdicts" yes \
	"$(python3 -c 'import re,sys
s = open(sys.argv[1]).read()
m = re.search(r"<details id=\"d%s\".*?</details>" % sys.argv[2], s, re.S)
print("yes" if m and "<p>verdicts</p>" in m.group(0) else "no")' "$out/fixtures.dom" "$hostile_id")"
HOSTILE="$evil_path
$evil_bad
$evil_comm
$evil_summary" checks "$tmp/fx.db" "$out/fixtures.dom" fixtures
rm -f "$out/fixtures.png"
browse "file://$out/fixtures.html" "$tmp/shot.dom" --window-size=1280,2000 \
	--screenshot="$out/fixtures.png"
check "a screenshot of the page (kept: $out/fixtures.png)" PNG \
	"$(head -c 4 "$out/fixtures.png" 2>/dev/null | tail -c 3)"

# ---- 10,000 dumps grown from the fixtures' rows ----
python3 "$top/tests/dumps/lib/gen_archive_db.py" "$tmp/fx.db" "$tmp/10k.db" 10000
check "a 10,000-dump database" 10000 \
	"$(sqlite3 "$tmp/10k.db" 'SELECT COUNT(*) FROM dumps')"
"$MMLIFE" report --html "$tmp/10k.db" >"$out/10k.html"
check "report --html on 10,000 dumps: exit 0" 0 $?
start=$(date +%s%N)
browse "file://$out/10k.html" "$out/10k.dom"
check "Chromium loads the 10,000-dump page" 0 $?
wall=$((($(date +%s%N) - start) / 1000000))
no_console "$out/10k.dom.log" "10,000 dumps"
checks "$tmp/10k.db" "$out/10k.dom" "10,000 dumps"
bytes=$(wc -c <"$out/10k.html")
load=$(sed -n 's/.*data-load-ms="\([0-9]*\)".*/\1/p' "$out/10k.dom" | head -n 1)
echo "bytes=$bytes load_ms=$load chromium_wall_ms=$wall" >"$out/10k.txt"
echo "# 10,000 dumps: $bytes bytes; the page's script ran ${load:-?} ms after navigation; chromium --dump-dom took $wall ms (kept: $out/10k.txt)"
