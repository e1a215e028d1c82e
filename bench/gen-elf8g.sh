#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# gen-elf8g.sh: make (or reuse) a real ELF dump of a guest with
# BENCH_ELF_MEM (8192) MB of RAM, for issue 18's "scan of one dump within
# 1.1x the CLI" on a dump as large as a big guest's: QEMU under TCG boots the
# generator's 6.12 kernel and initramfs (vmcores/gen/init.sh, scenario
# baseline) to its shell, and `dump-guest-memory` without a format writes
# the ELF file (the QEMU 7.2 header fixed as for the fixtures). No workload:
# most of the RAM is empty, and the file is made sparse afterwards
# (fallocate --dig-holes: same bytes, less disk).
# Cached in ${MMLIFE_CACHE:-~/.cache/mmlife}/bench-elf8g/, keyed by the
# kernel's build-id, the memory size and this script's sha256, and checked
# by the file's sha256 (stamp.json). Never part of the repository.
# Prints the dump's path.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../vmcores/scripts/common.sh"
KEY=${BENCH_KERNEL:-6.12}
MEM=${BENCH_ELF_MEM:-8192}
D=$MMLIFE_CACHE/bench-elf$((MEM / 1024))g
VMLINUX=$("$HERE/../vmcores/scripts/fetch-kernel.sh" "$KEY")
want="$(vmc_build_id "$VMLINUX") $MEM $(sha256sum "$0" | cut -d' ' -f1)"
if [ -f "$D/stamp.json" ] && [ -f "$D/vmcore" ] && python3 - "$D" "$want" <<'PY'
import hashlib, json, os, sys
d, want = sys.argv[1], sys.argv[2]
s = json.load(open(os.path.join(d, "stamp.json")))
if s.get("key") != want or os.path.getsize(os.path.join(d, "vmcore")) != s["size"]:
    sys.exit(1)
h = hashlib.sha256()  # OpenSSL's: about 1 GB/s; the holes read as zeros
with open(os.path.join(d, "vmcore"), "rb") as f:
    for b in iter(lambda: f.read(1 << 22), b""):
        h.update(b)
sys.exit(h.hexdigest() != s["sha256"])
PY
then
	log "ELF ${MEM} MB dump: cached, sha256 ok ($D)"
	echo "$D/vmcore"
	exit 0
fi
"$HERE/../vmcores/scripts/host-deps.sh" >&2
rm -rf "$D"
mkdir -p "$D/work"
log "ELF ${MEM} MB dump: capturing in $D"
VMC_DIR=$VMC_DIR python3 - "$D" "$KEY" "$MEM" "$want" <<'PY' >&2
import json, os, subprocess, sys, time
d, key, mem, want = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
gen = os.path.join(os.environ["VMC_DIR"], "gen")
sys.path.insert(0, gen)
import make_dump as md
from qmp import QMP
t0 = time.time()
w = os.path.join(d, "work")
vmlinuz = md.fetch(key, "vmlinuz")
initrd = os.path.join(w, "initrd.cpio.gz")
subprocess.run([os.path.join(gen, "build-initramfs.sh"), key, initrd], check=True)
console, qsock, go = (os.path.join(w, n) for n in ("console.log", "qmp.sock", "go.sock"))
raw = os.path.join(w, "raw.elf")
qemu = ["qemu-system-x86_64", "-m", str(mem), "-smp", "2", "-no-reboot",
        "-display", "none", "-vga", "none", "-kernel", vmlinuz, "-initrd", initrd,
        "-append", "console=ttyS0 panic=0 nokaslr scen=baseline", "-device", "vmcoreinfo",
        "-qmp", "unix:%s,server=on,wait=off" % qsock, "-serial", "file:%s" % console,
        "-serial", "unix:%s,server=on,wait=off" % go, "-accel", "tcg"]
md.log("starting QEMU: %s" % " ".join(qemu))
q = subprocess.Popen(qemu, stdin=subprocess.DEVNULL)
try:
    # init.sh prints READY, then waits on ttyS1 for a "go" that never comes:
    # the guest idles at its shell
    m, _ = md.wait_console(console, r"MMLIFE READY|\bOops: |\bBUG: ", 3600, q)
    if m.group(0) != "MMLIFE READY":
        raise RuntimeError("guest oopsed while booting (see %s)" % console)
    t_ready = time.time()
    md.log("guest ready after %.0fs; dumping" % (t_ready - t0))
    c = QMP(qsock, timeout=3600)
    c.cmd("dump-guest-memory", paging=False, protocol="file:" + raw)
    t_dump = time.time()
    md.log("dump written in %.0fs" % (t_dump - t_ready))
    c.cmd("quit")
    c.close()
finally:
    if q.poll() is None:
        try:
            q.wait(20)
        except subprocess.TimeoutExpired:
            q.terminate()
            q.wait(10)
md.fix_qemu_elf(raw)
subprocess.run(["fallocate", "--dig-holes", raw], check=True)
size = os.path.getsize(raw)
stamp = {"key": want, "kernel": key, "mem_mb": mem, "qemu": " ".join(qemu),
         "size": size, "disk_bytes": os.stat(raw).st_blocks * 512, "sha256": md.sha256(raw),
         "boot_seconds": round(t_ready - t0), "dump_seconds": round(t_dump - t_ready),
         "generation_seconds": round(time.time() - t0),
         "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
os.replace(raw, os.path.join(d, "vmcore"))
with open(os.path.join(d, "stamp.json"), "w") as f:
    json.dump(stamp, f, indent=1)
    f.write("\n")
md.log("done: %d bytes (%d on disk) in %ds" % (size, stamp["disk_bytes"], stamp["generation_seconds"]))
PY
echo "$D/vmcore"
