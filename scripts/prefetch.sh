#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/prefetch.sh: fetch what make check's dump tests download (the
# fixtures' debug kernels, the forky and trixie chroots, the arm64 sysroot and
# crash) one after the other, in the order the tests want them. `make
# check` starts it in the background, so that on a fresh machine the
# downloads overlap the builds and the unit tests instead of following
# them. Every step is the tests' own script, under the lock the tests
# take too: a test that wants something the prefetch is fetching waits for
# it, and anything the prefetch fails on the test fetches again and
# reports. On a warm cache each step only verifies what is there.
# Its log: $MMLIFE_CACHE/prefetch.log. Only one runs at a time.
set -u
cd "$(dirname "$0")/.." || exit 1
CACHE=${MMLIFE_CACHE:-$HOME/.cache/mmlife}
mkdir -p "$CACHE"
exec 8>"$CACHE/prefetch.lock"
flock -n 8 || exit 0
exec >"$CACHE/prefetch.log" 2>&1 </dev/null

step() {
	echo "[$(date -u +%H:%M:%S)] $*"
	"$@" >/dev/null || echo "[$(date -u +%H:%M:%S)] failed (the tests will retry): $*"
}

# The fixtures' kernels, x86-64 first (the DWARF tests come first).
keys=$(python3 - <<'PY'
import glob, json
ks = {}
for m in sorted(glob.glob("vmcores/*/manifest.json")):
    k = json.load(open(m))["kernel"]
    ks.setdefault(k["key"], k.get("arch", "x86_64"))
print(" ".join(sorted(ks, key=lambda k: (ks[k] != "x86_64", k))))
PY
)
[ "$(id -u)" = 0 ] && step bash scripts/arm64.sh root
for k in $keys; do
	step bash vmcores/scripts/fetch-kernel.sh "$k"
done
if [ "$(id -u)" = 0 ]; then
	step bash vmcores/scripts/chroot.sh forky create
	step bash scripts/crash-arm64.sh root
	# The arm64 debug vmlinuxes indexed for that crash's gdb.
	for k in $keys; do
		case $k in
		arm64-*) step sh -c 'bash scripts/crash-arm64.sh vmlinux "$(bash vmcores/scripts/fetch-kernel.sh "$1")"' sh "$k" ;;
		esac
	done
	step bash vmcores/scripts/chroot.sh trixie create
fi
echo "[$(date -u +%H:%M:%S)] done"
