#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""gen_large.py OUTDIR: capture the benchmark dump (see bench/gen-large.sh).

Drives the pieces of vmcores/gen/ (build-initramfs.sh, qmp.py, helpers of
make_dump.py) with its own parameters: a 6.12 guest with BENCH_MEM MB,
`large BENCH_NPROC BENCH_NVMAS` (bench/large.c) and one failed fork
(forkfail, memcg) caught by gdb at exit_mmap (bench/gdb_large.py). Writes
OUTDIR/{vmcore,vmcore-plain,stamp.json}.
"""
import json
import os
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
GEN = os.path.join(REPO, "vmcores", "gen")
sys.path.insert(0, GEN)
import make_dump as md  # noqa: E402
from qmp import QMP  # noqa: E402

KEY = os.environ.get("BENCH_KERNEL", "6.12")
MEM = int(os.environ.get("BENCH_MEM", "2048"))
NPROC = int(os.environ.get("BENCH_NPROC", "2000"))
NVMAS = int(os.environ.get("BENCH_NVMAS", "520"))
log = md.log


def wait_ready(console, timeout, qproc):
    """Wait for MMLIFE READY; give up at once on an oops before it (the
    guest runs with panic=0, so TCG's spurious #DB/#DF in the slab fast path
    would otherwise leave it hung until the timeout)."""
    m, _ = md.wait_console(console, r"MMLIFE READY|\bOops: |\bBUG: ", timeout, qproc)
    if m.group(0) != "MMLIFE READY":
        raise RuntimeError("guest oopsed before the workload was ready (see %s)" % console)


def main():
    out = os.path.abspath(sys.argv[1])
    work = os.path.join(out, "work")
    os.makedirs(work, exist_ok=True)
    t_start = time.time()
    vmlinux = md.fetch(KEY, "vmlinux")
    vmlinuz = md.fetch(KEY, "vmlinuz")
    base = os.path.join(work, "base.cpio.gz")
    subprocess.run([os.path.join(GEN, "build-initramfs.sh"), KEY, base], check=True)
    # overlay archive: the kernel unpacks concatenated archives in order,
    # so this /init replaces the generator's
    ov = os.path.join(work, "overlay")
    subprocess.run(["rm", "-rf", ov], check=True)
    os.makedirs(os.path.join(ov, "bin"))
    subprocess.run(["gcc", "-O2", "-static", "-o", os.path.join(ov, "bin", "large"),
                    os.path.join(BENCH, "large.c")], check=True)
    with open(os.path.join(BENCH, "init-large.sh")) as f:
        init = f.read().replace("#!/bin/sh", "#!/bin/busybox sh", 1)
    with open(os.path.join(ov, "init"), "w") as f:
        f.write(init)
    os.chmod(os.path.join(ov, "init"), 0o755)
    ovc = os.path.join(work, "overlay.cpio.gz")
    subprocess.run(["bash", "-c", "cd '%s' && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9n > '%s'"
                    % (ov, ovc)], check=True)
    initrd = os.path.join(work, "initrd.cpio.gz")
    with open(initrd, "wb") as f:
        for p in (base, ovc):
            with open(p, "rb") as g:
                f.write(g.read())
    console = os.path.join(work, "console.log")
    qmp_sock = os.path.join(work, "qmp.sock")
    go_sock = os.path.join(work, "go.sock")
    raw = os.path.join(work, "raw.elf")
    hit = os.path.join(work, "hit.json")
    for p in (console, qmp_sock, go_sock, raw, hit):
        if os.path.exists(p):
            os.unlink(p)
    port = md.free_port()
    append = "console=ttyS0 panic=0 nokaslr nproc=%d nvmas=%d" % (NPROC, NVMAS)
    qemu = ["qemu-system-x86_64", "-m", str(MEM), "-smp", "2", "-no-reboot",
            "-display", "none", "-vga", "none", "-kernel", vmlinuz, "-initrd", initrd,
            "-append", append, "-device", "vmcoreinfo",
            "-qmp", "unix:%s,server=on,wait=off" % qmp_sock,
            "-gdb", "tcp:127.0.0.1:%d" % port,
            "-serial", "file:%s" % console,
            "-serial", "unix:%s,server=on,wait=off" % go_sock, "-accel", "tcg"]
    log("starting QEMU: %s" % " ".join(qemu))
    qproc = subprocess.Popen(qemu, stdin=subprocess.DEVNULL)
    try:
        wait_ready(console, int(os.environ.get("BENCH_TIMEOUT", "5400")), qproc)
        t_ready = time.time()
        log("guest ready after %.0fs" % (t_ready - t_start))
        cur = md.kconf(KEY, "current")
        env = dict(os.environ, MMLIFE_GEN=GEN, MMLIFE_VMLINUX=vmlinux, MMLIFE_CURRENT=cur,
                   MMLIFE_GDB_PORT=str(port), MMLIFE_QMP=qmp_sock, MMLIFE_GO_SOCK=go_sock,
                   MMLIFE_RAWDUMP=raw, MMLIFE_HIT=hit)
        g = subprocess.run(["gdb", "-nx", "-batch", "-x", os.path.join(BENCH, "gdb_large.py")],
                           env=env, timeout=3600, stdin=subprocess.DEVNULL)
        if g.returncode or not os.path.exists(hit) or not os.path.exists(raw):
            raise RuntimeError("gdb did not catch the failed fork / write the dump")
    finally:
        if qproc.poll() is None:
            try:
                QMP(qmp_sock, timeout=10).cmd("quit")
            except Exception:
                pass
            try:
                qproc.wait(10)
            except subprocess.TimeoutExpired:
                qproc.terminate()
                qproc.wait(10)
    t_cap = time.time()
    md.fix_qemu_elf(raw)
    # vmcore: kdump, zlib (what users usually have); vmcore-plain: kdump
    # without compression (the same pages: shows mmlife without the inflate)
    files = {}
    for fname, copt in (("vmcore", "-c "), ("vmcore-plain", "")):
        vmc = os.path.join(work, fname)
        if os.path.exists(vmc):
            os.unlink(vmc)
        cmd = "makedumpfile %s-d 31 %s %s" % (copt, raw, vmc)
        log("chroot: " + cmd)
        r = md.chroot_run([work], "sh", "-c", cmd)
        print(r.stdout[-2000:], file=sys.stderr)
        if r.returncode or not os.path.exists(vmc):
            raise RuntimeError("makedumpfile failed")
        os.replace(vmc, os.path.join(out, fname))
        files[fname] = {"makedumpfile_cmd": "makedumpfile %s-d 31" % copt,
                        "size": os.path.getsize(os.path.join(out, fname)),
                        "sha256": md.sha256(os.path.join(out, fname))}
    raw_size = os.path.getsize(raw)
    os.unlink(raw)
    with open(hit) as f:
        h = json.load(f)
    with open(console, errors="replace") as f:
        cons = f.read().replace("\r", "")
    stamp = {
        "kernel": KEY, "release": h.get("uts_release"), "vmlinux": vmlinux,
        "mem_mb": MEM, "nproc": NPROC, "nvmas_per_proc": NVMAS,
        "nr_threads": h.get("nr_threads"), "failed_fork": h,
        "qemu": " ".join(qemu), "makedumpfile_cmd": files["vmcore"]["makedumpfile_cmd"],
        "raw_size": raw_size, "size": files["vmcore"]["size"], "sha256": files["vmcore"]["sha256"],
        "files": files,
        "boot_and_workload_seconds": round(t_ready - t_start),
        "capture_seconds": round(t_cap - t_start),
        "generation_seconds": round(time.time() - t_start),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "console_tail": "\n".join(l for l in cons.splitlines() if "LARGE" in l or "MMLIFE" in l or "FORKFAIL" in l
                                  or "Slab" in l or "vm_area" in l or "maple" in l or "Mem" in l)[-4000:],
    }
    with open(os.path.join(out, "stamp.json"), "w") as f:
        json.dump(stamp, f, indent=1)
        f.write("\n")
    log("done: %d bytes in %ds" % (stamp["size"], stamp["generation_seconds"]))


if __name__ == "__main__":
    main()
