#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# gen.sh MMLIFE SUBCOMMAND VERSION OUT: write the man page of "mmlife" (an
# empty SUBCOMMAND) or "mmlife SUBCOMMAND" with help2man, from the
# command's own --help (synopsis, description, options) and man/NAME.h2m
# (the NAME line and the sections --help does not have). SOURCE_DATE_EPOCH
# (set by dpkg-buildpackage) fixes the page's date.
set -eu
mmlife=$1 sub=$2 version=$3 out=$4
dir=$(cd "$(dirname "$0")" && pwd)
name=mmlife${sub:+-$sub}
mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The command's --help, with an "Options:" heading before the first option
# (help2man's cue for OPTIONS) and its "Exit status:" paragraph moved to
# an EXIT STATUS section.
prog=$(cd "$(dirname "$mmlife")" && pwd)/$(basename "$mmlife")
# shellcheck disable=SC2086
"$prog" $sub --help >"$tmp/help.raw"
awk -v exitf="$tmp/exit.h2m" '
	/^Exit status:/ { inexit = 1; print "[EXIT STATUS]" >exitf
		sub(/^Exit status: */, "") }
	inexit && $0 == "" { inexit = 0; next }
	inexit { gsub(/-/, "\\-"); print >exitf; next }
	!opts && /^  +[-(]/ { print "Options:"; opts = 1 }
	{ print }' "$tmp/help.raw" >"$tmp/help.txt"
# help2man runs NAME --help and names the page after NAME: a wrapper of
# that name prints the text above.
printf '#!/bin/sh\ncat "%s"\n' "$tmp/help.txt" >"$tmp/$name"
chmod +x "$tmp/$name"
set -- --include="$dir/$name.h2m"
[ ! -s "$tmp/exit.h2m" ] || set -- --include="$tmp/exit.h2m" "$@"
help2man --no-info --version-string="$version" --section=1 \
	--source="mmlife $version" --manual="User Commands" "$@" \
	"$tmp/$name" >"$out.tmp"
mv "$out.tmp" "$out"
