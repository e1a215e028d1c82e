#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Print the flags crash's own extensions are built with for this defs.h:
# -D<ARCH> from the machine, and -DGDB_x_y for the newest gdb version that
# defs.h names (crash builds with the gdb it bundles, the newest one).
# The machine is the compiler's ($CC, as make passes it): an extension
# cross-built for an arm64 crash gets -DARM64 on an x86-64 host.
set -eu
defs=${1:?usage: crash-flags.sh path/to/defs.h}
machine=$(${CC:-cc} -dumpmachine 2>/dev/null | cut -d- -f1)
case ${machine:-$(uname -m)} in
x86_64) arch=X86_64 ;;
aarch64) arch=ARM64 ;;
ppc64le|ppc64) arch=PPC64 ;;
s390x) arch=S390X ;;
riscv64) arch=RISCV64 ;;
i?86) arch=X86 ;;
*) echo "crash-flags.sh: unknown machine ${machine:-$(uname -m)}" >&2; exit 1 ;;
esac
gdb=$(grep -o 'GDB_[0-9][0-9]*_[0-9][0-9]*\(_[0-9][0-9]*\)\?' "$defs" |
	sort -u -t_ -k2,2n -k3,3n -k4,4n | tail -n 1)
[ -n "$gdb" ] || { echo "crash-flags.sh: no GDB_x_y in $defs" >&2; exit 1; }
echo "-D$arch -D$gdb -I$(dirname "$defs")"
