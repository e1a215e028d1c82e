#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Debian packages (debian/): dpkg-buildpackage -us -uc -b builds them
# once, from a copy of the tree (the build/ of a normal build and the
# fixtures are never touched); lintian has no error or warning; the file
# lists are the expected ones (tests/dumps/lib/packages.files: the same on
# every build); the version is the Makefile's; every man page documents
# exactly the options its command's --help lists, and names no option no
# command has. As root, in a throwaway copy of a clean bookworm chroot
# (debootstrapped once into the cache): apt installs the .debs, pulling
# crash and the libraries from Debian; the installed mmlife analyses a
# shipped dump; bookworm's crash loads the installed extension by name on
# the 6.1 dump and mmlife prints its report and its help; purging leaves
# the chroot's file tree as it was before the install.
#   MMLIFE_CACHE=~/.cache/mmlife  (chroot-bookworm, apt-bookworm/)
set -u
tmp=$(mktemp -d)
. "$(dirname "$0")/lib/common.sh"
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top" || exit 1

PKGS="mmlife crash-mmlife libmmlife0 libmmlife-dev python3-mmlife"
DUMP=6.1-baseline
version=$(sed -n 's/^VERSION *:= *//p' Makefile)
arch=$(dpkg --print-architecture)

# ---- build, from a copy of the sources ----
mkdir -p "$tmp/src"
tar -C "$top" --exclude=./.git --exclude='./build*' --exclude=./vmcores \
	--exclude=./samples --exclude=./bench --exclude=./tests -cf - . |
	tar -C "$tmp/src" -xf -
t0=$(date +%s)
if ! (cd "$tmp/src" && DEB_BUILD_OPTIONS=parallel=2 \
	dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1; then
	notok "dpkg-buildpackage -us -uc -b builds the packages"
	tail -n 15 "$tmp/build.log" | sed 's/^/#   /'
	exit 0
fi
ok "dpkg-buildpackage -us -uc -b builds $PKGS ($(($(date +%s) - t0)) s)"
debs=""
for p in $PKGS; do
	deb=$tmp/${p}_${version}_$arch.deb
	[ -f "$deb" ] || deb=$tmp/${p}_${version}_all.deb  # python3-mmlife
	debs="$debs $deb"
done

# ---- lintian ----
lintian --fail-on error,warning --display-info "$tmp/mmlife_${version}_$arch.changes" \
	>"$tmp/lintian.log" 2>&1
rc=$?
grep -v 'running with root privileges' "$tmp/lintian.log" >"$tmp/lintian.tags"
if [ "$rc" -eq 0 ] && ! grep -q '^[EW]:' "$tmp/lintian.tags"; then
	ok "lintian: no error, no warning ($(grep -c '^[IPX]:' "$tmp/lintian.tags") info tags)"
else
	notok "lintian: no error, no warning (exit $rc)"
	grep -v '^[IPXN]:' "$tmp/lintian.tags" | head -n 10 | sed 's/^/#   /'
fi

# ---- file lists and version ----
# The expected list has @HEADERS@ where the public headers go.
for deb in $debs; do
	p=$(dpkg-deb -f "$deb" Package)
	dpkg-deb -c "$deb" | awk -v p="$p" '{ print p, $6 }'
done | sed 's| -> .*||' | sort >"$tmp/files"
for h in include/mmlife/*.h; do
	echo "libmmlife-dev ./usr/$h"
done >"$tmp/headers"
sed "s/@ARCH@/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/" \
	tests/dumps/lib/packages.files | grep -v '^#' |
	sed "/@HEADERS@/{r $tmp/headers
d}" | sort >"$tmp/files.want"
same_files "the packages hold the files of tests/dumps/lib/packages.files ($(wc -l <"$tmp/files") entries)" \
	"$tmp/files.want" "$tmp/files"
mkdir -p "$tmp/x"
for deb in $debs; do
	dpkg-deb -x "$deb" "$tmp/x"
done
check "the packages' version is the Makefile's VERSION" "$version" \
	"$(dpkg-deb -f "$tmp/mmlife_${version}_$arch.deb" Version)"
check "the packaged mmlife --version says the Makefile's VERSION" \
	"mmlife $version" "$("$tmp/x/usr/bin/mmlife" --version 2>&1)"
check "crash-mmlife depends on the crash release it was built against" \
	"crash (>= $(dpkg-query -W -f='${source:Upstream-Version}' crash)), crash (<< $(dpkg-query -W -f='${source:Upstream-Version}' crash)+~)" \
	"$(dpkg-deb -f "$tmp/crash-mmlife_${version}_$arch.deb" Depends | grep -o 'crash (>= [^)]*), crash (<< [^)]*)')"

# libmmlife-dev: a program built with pkg-config's flags for mmlife.pc,
# against the packaged headers and libmmlife.so.0, prints the list of
# checks the packaged command prints.
# shellcheck disable=SC2086 # $flags: pkg-config's words
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
cat >"$tmp/use.c" <<'EOF'
#include <stdio.h>
#include <mmlife/report.h>
int main(void) { mml_checks_write_text(stdout); return 0; }
EOF
if flags=$(PKG_CONFIG_PATH=$tmp/x/usr/lib/$ma/pkgconfig PKG_CONFIG_SYSROOT_DIR=$tmp/x \
	pkg-config --cflags --libs mmlife 2>"$tmp/use.log") &&
	gcc -Wall -Wextra -Werror -o "$tmp/use" "$tmp/use.c" $flags >>"$tmp/use.log" 2>&1 &&
	LD_LIBRARY_PATH=$tmp/x/usr/lib/$ma "$tmp/use" >"$tmp/use.out" 2>>"$tmp/use.log" &&
	"$tmp/x/usr/bin/mmlife" --checks | cmp -s - "$tmp/use.out" &&
	[ "$(objdump -p "$tmp/use" | awk '$1 == "NEEDED" && /mmlife/ { print $2 }')" = libmmlife.so.0 ]; then
	ok "a program built with pkg-config mmlife links libmmlife.so.0 and prints mmlife --checks"
else
	notok "a program built with pkg-config mmlife links libmmlife.so.0 and prints mmlife --checks"
	tail -n 5 "$tmp/use.log" | sed 's/^/#   /'
fi

# ---- man pages against --help ----
opts() { python3 "$top/tests/dumps/lib/man_options.py" "$@"; }
: >"$tmp/opts.all"
for sub in "" scan report db; do
	page=$tmp/x/usr/share/man/man1/mmlife${sub:+-$sub}.1.gz
	# shellcheck disable=SC2086
	"$tmp/x/usr/bin/mmlife" $sub --help >"$tmp/help" 2>&1
	opts help "$tmp/help" >"$tmp/opts.help"
	cat "$tmp/opts.help" >>"$tmp/opts.all"
	if [ ! -f "$page" ]; then
		notok "mmlife${sub:+-$sub}(1) is packaged"
		continue
	fi
	opts man "$page" >"$tmp/opts.man"
	# Not same_files: "mmlife db" has no options, and both lists are
	# empty.
	if cmp -s "$tmp/opts.help" "$tmp/opts.man"; then
		ok "mmlife${sub:+-$sub}(1) documents the $(wc -l <"$tmp/opts.help") options of mmlife${sub:+ $sub} --help"
	else
		notok "mmlife${sub:+-$sub}(1) documents the options of mmlife${sub:+ $sub} --help"
		diff "$tmp/opts.help" "$tmp/opts.man" | grep '^[<>]' | sed 's/^/#   /'
	fi
done
sort -u "$tmp/opts.all" -o "$tmp/opts.all"
for page in "$tmp"/x/usr/share/man/man1/mmlife*.1.gz; do
	name=$(basename "$page" .1.gz)
	unknown=$(opts all "$page" | comm -23 - "$tmp/opts.all" | tr '\n' ' ')
	check "$name(1) names no option that no mmlife command has" "" "$unknown"
done

# ---- installed, in a clean bookworm chroot ----
if [ "$(id -u)" != 0 ]; then
	skip "install, run, crash extension, purge in a bookworm chroot" \
		"needs root for the chroot" 12
	exit 0
fi
base=$CACHE/chroot-bookworm
archives=$CACHE/apt-bookworm/archives
# The clean chroot: debootstrap --variant=minbase and apt's lists, nothing
# else; a stamp makes it idempotent and a lock keeps two runs from
# building it at once (vmcores/scripts/chroot.sh does the same for the
# forky and trixie ones).
base_create() {
	[ -e "$base/.mmlife-stamp" ] && return 0
	mirror=$(bash -c '. vmcores/scripts/common.sh && vmc_mirror')
	rm -rf "$base"
	debootstrap --variant=minbase bookworm "$base" "$mirror" &&
		printf 'deb %s bookworm main\n' "$mirror" >"$base/etc/apt/sources.list" &&
		echo 'Acquire::Check-Valid-Until "false";' \
			>"$base/etc/apt/apt.conf.d/99mmlife-valid-until" &&
		chroot "$base" apt-get update &&
		chroot "$base" apt-get clean &&
		touch "$base/.mmlife-stamp"
}
mkdir -p "$CACHE" "$archives/partial"
t0=$(date +%s)
(
	flock 9
	base_create >"$tmp/base.log" 2>&1 || exit 1
	# The throwaway copy, made under the lock: not while a run rebuilds it.
	cp -a "$base" "$tmp/root"
) 9>"$base.lock"
if [ $? -ne 0 ] || [ ! -x "$tmp/root/usr/bin/apt-get" ]; then
	notok "a clean bookworm chroot (debootstrap into $base)"
	tail -n 5 "$tmp/base.log" | sed 's/^/#   /'
	exit 0
fi
ok "a throwaway copy of the clean bookworm chroot ($(($(date +%s) - t0)) s)"
root=$tmp/root
vml=$(vmlinux_of "$DUMP")
vmlrc=$?
kernels=$(readlink -f "$CACHE/kernels")
[ -f "vmcores/$DUMP/vmcore" ] || unpack_dump "$DUMP" >&2
vmcore=$(readlink -f "vmcores/$DUMP/vmcore")
mkdir -p "$root/mnt/debs" "$root/mnt/vmcores" "$root/mnt/kernels" \
	"$root/var/cache/apt/archives" "$root/tmp/home"
cp $debs "$root/mnt/debs/"
# in_root COMMAND...: in the copy, in a private mount namespace holding
# proc, /dev, the apt archive cache (downloads survive the copy) and, read
# only, the dumps and the kernels.
in_root() {
	unshare -m --propagation private sh -c '
		root=$1 arc=$2 vmc=$3 kern=$4; shift 4
		mount -t proc proc "$root/proc" &&
		mount --bind /dev "$root/dev" &&
		mount --bind "$arc" "$root/var/cache/apt/archives" &&
		mount --bind "$vmc" "$root/mnt/vmcores" &&
		mount -o remount,ro,bind "$root/mnt/vmcores" &&
		mount --bind "$kern" "$root/mnt/kernels" &&
		mount -o remount,ro,bind "$root/mnt/kernels" &&
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/tmp/home DEBIAN_FRONTEND=noninteractive "$@"' sh \
		"$root" "$archives" "$(dirname "$vmcore")" "$kernels" "$@"
}
# The file tree apt and dpkg may leave changed: their own state, logs and
# caches, and the mount points; dpkg's per-package files (info/) count.
tree() {
	(cd "$root" && find . -xdev \( -path ./proc -o -path ./dev -o -path ./sys \
		-o -path ./tmp -o -path ./run -o -path ./mnt -o -path ./var/cache \
		-o -path ./var/log -o -path ./var/lib/apt \) -prune -o -print |
		grep -v '^\./var/lib/dpkg/[^i/][^/]*$\|^\./var/lib/dpkg/triggers/' | sort)
}
tree >"$tmp/tree.before"

t0=$(date +%s)
# shellcheck disable=SC2046 # one word per .deb
in_root apt-get install -y --no-install-recommends \
	$(for d in $debs; do echo "/mnt/debs/$(basename "$d")"; done) \
	>"$tmp/install.log" 2>&1
rc=$?
check "apt installs the five packages, their dependencies from Debian ($(($(date +%s) - t0)) s)" 0 "$rc"
[ $rc -eq 0 ] || tail -n 8 "$tmp/install.log" | sed 's/^/#   /'
crashv=$(in_root dpkg-query -W -f='${Version}' crash 2>/dev/null)
check "apt pulled bookworm's crash 8.0.2 for crash-mmlife" 8.0.2 "${crashv%-*}"
for p in $PKGS; do
	in_root dpkg -L "$p" >>"$tmp/owned" 2>/dev/null
done

# The installed command on the shipped dump (the text report, then the
# layout cache under $HOME/.cache, as mmlife(1)'s FILES says).
in_root mmlife "/mnt/vmcores/$(basename "$vmcore")" >"$tmp/run.log" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^Summary' "$tmp/run.log"; then
	ok "the installed mmlife analyses vmcores/$DUMP (exit 0, a report)"
else
	notok "the installed mmlife analyses vmcores/$DUMP (exit $rc)"
	tail -n 5 "$tmp/run.log" | sed 's/^/#   /'
fi
check "it wrote its layout cache where mmlife(1) says" yes \
	"$(ls "$root"/tmp/home/.cache/mmlife/layouts/* >/dev/null 2>&1 && echo yes)"

# python3-mmlife: Debian's python3 finds the module and the drgn plugin's
# entry point (drgn itself is only recommended).
check "python3 finds the installed mmlife module and its drgn.plugins entry point" \
	"mmlife.drgn_plugin /usr/lib/python3/dist-packages/mmlife/__init__.py" \
	"$(in_root python3 -c 'import importlib.metadata as m, importlib.util as u
print(" ".join([e.value for e in m.entry_points(group="drgn.plugins") if e.name == "mmlife"] + [u.find_spec("mmlife").origin]))' 2>&1)"

# The installed extension in bookworm's crash, loaded by name from
# /usr/lib/crash/extensions.
if fetch_result "$vmlrc" "$vml" "crash loads the installed extension" 3; then
	printf 'extend mmlife.so\nmmlife\nhelp mmlife\nquit\n' >"$root/tmp/cmds"
	vmlr=$(readlink -f "$vml")
	in_root sh -c "crash -s /mnt/kernels/${vmlr#"$kernels"/} \
		/mnt/vmcores/$(basename "$vmcore") </tmp/cmds" >"$tmp/crash.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] &&
		grep -q '^/usr/lib/crash/extensions/mmlife.so: shared object loaded' "$tmp/crash.log"; then
		ok "crash $crashv loads /usr/lib/crash/extensions/mmlife.so by name"
	else
		notok "crash $crashv loads /usr/lib/crash/extensions/mmlife.so by name (exit $rc)"
		tail -n 5 "$tmp/crash.log" | sed 's/^/#   /'
	fi
	grep -Eq '^  [0-9]+ findings? about the kernel .* in [0-9]+ of [0-9]+ mms$' "$tmp/crash.log" &&
		ok "mmlife in crash prints its report on vmcores/$DUMP" ||
		{ notok "mmlife in crash prints its report on vmcores/$DUMP"; tail -n 5 "$tmp/crash.log" | sed 's/^/#   /'; }
	grep -q '^NAME' "$tmp/crash.log" && grep -Eq '^ +mmlife - ' "$tmp/crash.log" &&
		ok "help mmlife answers in crash's help format" ||
		notok "help mmlife answers in crash's help format"
fi

# Purge, dependencies too: the tree is the one before the install.
# shellcheck disable=SC2086
in_root apt-get purge -y $PKGS >"$tmp/purge.log" 2>&1 &&
	in_root apt-get autoremove --purge -y >>"$tmp/purge.log" 2>&1
check "apt purges the packages and the dependencies they pulled" 0 "$?"
left=$(sort -u "$tmp/owned" | while read -r f; do
	[ -e "$root$f" ] || [ -L "$root$f" ] || continue
	case $f in /. | /usr | /usr/share | /usr/share/doc | /usr/lib | /usr/bin | \
		/usr/include | /usr/share/man | /usr/share/man/man1 | /usr/lib/*-linux-gnu | \
		/usr/lib/*-linux-gnu/pkgconfig) continue ;; esac
	echo "$f"
done | tr '\n' ' ')
check "no file the packages installed is left" "" "$left"
tree >"$tmp/tree.after"
same_files "after the purge the chroot's tree is the one before ($(wc -l <"$tmp/tree.after") paths)" \
	"$tmp/tree.before" "$tmp/tree.after"
