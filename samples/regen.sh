#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# samples/regen.sh: rewrite the sample reports and the crash session from the
# dumps in vmcores/ (real output; no test compares against these files).
# Needs `make`, and for the crash session root and the forky chroot.
set -u
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. tests/dumps/lib/common.sh
top=$PWD	# common.sh derives it from $0, which lives elsewhere here
B=${B:-build}
d=vmcores/6.12-swapoff-oops/vmcore
"$B/mmlife" "$d" >samples/report-6.12-swapoff-oops.txt
"$B/mmlife" --json "$d" >samples/report-6.12-swapoff-oops.json
"$B/mmlife" vmcores/7.2-failed-fork/vmcore >samples/report-7.2-failed-fork.txt
"$B/mmlife" vmcores/7.2-lossy-d31/vmcore >samples/report-7.2-lossy-d31.txt
# The archive page (mmlife report --html) and its screenshot: the browser
# test's page on the fixtures' scan, from its kept output.
REPORT_HTML_OUT=$tmp/html B="$B" bash tests/dumps/report_html.sh >"$tmp/html.tap"
grep '^not ok' "$tmp/html.tap" >&2
cp "$tmp/html/fixtures.html" samples/report-archive.html
cp "$tmp/html/fixtures.png" samples/report-archive.png
chroot_prepare forky || { echo "forky chroot not available" >&2; exit 1; }
make -s B="$B-crash-forky" CRASH_DEFS="$(chroot_dir forky)/usr/include/crash/defs.h" \
	"$B-crash-forky/mmlife.so" || exit 1
vml=$(vmcores/scripts/fetch-kernel.sh 6.12) || exit 1
so=$(in_chroot "$top/$B-crash-forky/mmlife.so")
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["states"][0]["parent_tasks"][0]["pid"])' \
	vmcores/6.12-swapoff-oops/manifest.json)
{
	echo "# crash 9.0.2 (Debian forky) on vmcores/6.12-swapoff-oops, written by samples/regen.sh"
	echo "# crash -s vmlinux-6.12.107+deb13-cloud-amd64 vmcore, commands: extend mmlife.so; mmlife -p $pid; mmlife"
	printf 'extend %s\nmmlife -p %s\nmmlife\nquit\n' "$so" "$pid" |
		chroot_run forky crash -s "$(in_chroot "$vml")" "$(in_chroot "$top/$d")" 2>&1
} >samples/crash-session.txt
# crash cannot start on the lossy 7.2 dump; crash --minimal can, and so
# can the extension.
vml72=$(vmcores/scripts/fetch-kernel.sh 7.2) || exit 1
d72=vmcores/7.2-lossy-d31/vmcore
{
	echo "# crash 9.0.2 --minimal (Debian forky) on vmcores/7.2-lossy-d31, written by samples/regen.sh"
	echo "# crash -s --minimal --no_modules vmlinux-7.2.12+deb14-cloud-amd64 vmcore, commands: extend mmlife.so; mmlife"
	printf 'extend %s\nmmlife\nquit\n' "$so" |
		chroot_run forky crash -s --minimal --no_modules "$(in_chroot "$vml72")" "$(in_chroot "$top/$d72")" 2>&1
} >samples/crash-minimal-lossy.txt
