#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The README documents what the program has: every check id that
# `mmlife --checks` lists is in its table, every long option of
# `mmlife --help` is mentioned, and the README's first command names a dump
# that is shipped.
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1
[ -x "$MMLIFE" ] || { notok "CLI $MMLIFE not built"; exit 0; }
for id in $("$MMLIFE" --checks | awk '{print $1}'); do
	grep -q "^| \`$id\` |" README.md && ok "README's table has check $id" ||
		notok "README's table has check $id"
done
for opt in $("$MMLIFE" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
	case $opt in --version|--help) continue ;; esac
	grep -q -- "$opt" README.md && ok "README mentions $opt" ||
		notok "README mentions $opt"
done
dump=$(sed -n 's|^    make deps \&\& make \&\& build/mmlife \(vmcores/[^ ]*\)$|\1|p' README.md)
[ -n "$dump" ] && [ -f "$dump" ] && ok "README's first command runs on a shipped dump ($dump)" ||
	notok "README's first command runs on a shipped dump"
