#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# libmmlife.so.0's interface is fixed in three places that must agree: the
# version script (dist/libmmlife.map: what is exported), the symbols file
# (debian/libmmlife0.symbols: what dpkg-gensymbols holds the package to),
# and the public headers (include/mmlife/*.h: what a front end can call).
# Checks: the library exports exactly the map's names, at MMLIFE_0; the
# symbols file lists exactly those; each is declared in a public header;
# and no function declared in a public header is left out of the map.
#   B=build
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1

if ! make -s B="$B" shared >"$tmp/build.log" 2>&1; then
	notok "libmmlife.so.0 builds"
	tail -n 5 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi
sed -n 's/^\t\(mml_[a-z0-9_]*\);$/\1/p' dist/libmmlife.map | sort >"$tmp/map"
nm -D --defined-only "$B/libmmlife.so.0" | awk '$3 != "MMLIFE_0" { print $3 }' |
	sort >"$tmp/exported"
check "the library exports the map's $(wc -l <"$tmp/map") names, each at MMLIFE_0" \
	"$(sed 's/$/@@MMLIFE_0/' "$tmp/map" | tr '\n' ' ')" "$(tr '\n' ' ' <"$tmp/exported")"
sed -n 's/^ \(mml_[a-z0-9_]*\)@MMLIFE_0 .*/\1/p' debian/libmmlife0.symbols | sort >"$tmp/symbols"
check "debian/libmmlife0.symbols lists the map's names" \
	"$(tr '\n' ' ' <"$tmp/map")" "$(tr '\n' ' ' <"$tmp/symbols")"
undeclared=""
for s in $(cat "$tmp/map"); do
	grep -Eq "(\\b|\\*)$s\\(|extern .*\\b$s\\b" include/mmlife/*.h ||
		undeclared="$undeclared $s"
done
check "every exported name is declared in include/mmlife/*.h" "" "$undeclared"
# Functions declared in the headers (static inline ones are not symbols).
cat include/mmlife/*.h | tr '\n' ' ' | tr ';' '\n' | grep -v 'static inline' |
	grep -v 'typedef' | grep -o '\bmml_[a-z0-9_]*(' | tr -d '(' | sort -u >"$tmp/declared"
check "every function of the public headers is exported" "" \
	"$(comm -23 "$tmp/declared" "$tmp/map" | tr '\n' ' ')"
