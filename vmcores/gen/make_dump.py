#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make_dump.py NAME: capture one vmcore of vmcores/gen/scenarios.json.

1. fetch the kernel (fetch-kernel.sh), build the initramfs;
2. boot QEMU (TCG) with a gdbstub, QMP and a second serial port for "go";
3. gdb (gdb_truth.py) stops the guest at the interesting moment, reads the
   ground truth with the kernel's debug info, and makes QEMU write an ELF dump;
4. fix QEMU 7.2's ELF layout, shrink with makedumpfile 1.7.8 (forky chroot);
5. check the shrunk dump with drgn (tests/dumps/confirm_drgn.py) and write
   vmcores/NAME/{vmcore,manifest.json}.
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import time

GEN = os.path.dirname(os.path.abspath(__file__))
VMC = os.path.dirname(GEN)
REPO = os.path.dirname(VMC)
SCRIPTS = os.path.join(VMC, "scripts")
CACHE = os.environ.get("MMLIFE_CACHE", os.path.expanduser("~/.cache/mmlife"))
sys.path.insert(0, GEN)
from qmp import QMP  # noqa: E402


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


def sh(*args, **kw):
    return subprocess.run(args, check=True, text=True, stdout=subprocess.PIPE, **kw).stdout.strip()


def kconf(key, field):
    return sh("bash", "-c", '. "$1"; vmc_kconf "$2" "$3"', "x", os.path.join(SCRIPTS, "common.sh"), key, field)


def fetch(key, what):
    p = subprocess.run([os.path.join(SCRIPTS, "fetch-kernel.sh"), key, "--what", what],
                       text=True, stdout=subprocess.PIPE)
    if p.returncode == 77:
        log("kernel %s: pinned version vanished from the archive" % key)
        sys.exit(77)
    if p.returncode:
        sys.exit("fetch-kernel.sh %s failed" % key)
    return p.stdout.strip()


def sym_addr(vmlinux, name):
    out = sh("bash", "-c", "nm '%s' | awk '$3==\"%s\" {print $1; exit}'" % (vmlinux, name))
    return int(out, 16)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_console(path, pattern, timeout, proc=None):
    t0 = time.time()
    rx = re.compile(pattern)
    while time.time() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("QEMU exited (%s)" % proc.returncode)
        try:
            with open(path, errors="replace") as f:
                txt = f.read()
            m = rx.search(txt)
            if m:
                return m, txt
            if "end Kernel panic" in txt and "MMLIFE GO" not in txt:
                raise RuntimeError("guest panicked before the scenario started")
        except FileNotFoundError:
            pass
        time.sleep(0.5)
    raise TimeoutError("no %r on the console after %ds" % (pattern, timeout))


def fix_qemu_elf(path):
    """QEMU 7.2 dump-guest-memory: section headers at 64, program headers
    after them, e_ehsize 8. Move the program headers to 64 and drop the
    section header fields (fixtures.md). No-op on a well-formed file."""
    with open(path, "r+b") as f:
        eh = bytearray(f.read(64))
        assert eh[:4] == b"\x7fELF" and eh[4] == 2, "not an ELF64 file"
        (e_phoff, e_shoff) = struct.unpack_from("<QQ", eh, 32)
        (e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx) = struct.unpack_from("<6H", eh, 52)
        if e_phoff == 64 and e_ehsize == 64:
            return False
        assert e_phnum != 0xFFFF, "PN_XNUM not handled"
        f.seek(e_phoff)
        ph = f.read(e_phentsize * e_phnum)
        offs = [struct.unpack_from("<Q", ph, i * e_phentsize + 8)[0] for i in range(e_phnum)]
        first_data = min(o for o in offs if o > 0)
        assert 64 + len(ph) <= first_data, "no room for program headers at 64"
        struct.pack_into("<QQ", eh, 32, 64, 0)
        struct.pack_into("<6H", eh, 52, 64, e_phentsize, e_phnum, 0, 0, 0)
        f.seek(0)
        f.write(eh)
        f.write(ph)
        # clear what is left between the headers and the first note
        gap = first_data - (64 + len(ph))
        f.write(b"\0" * gap)
    log("fixed QEMU ELF layout (phoff %d -> 64, %d section headers dropped)" % (e_phoff, e_shnum))
    return True


def chroot_run(binds, *cmd):
    env = dict(os.environ, VMC_BIND=" ".join(binds))
    return subprocess.run([os.path.join(SCRIPTS, "chroot.sh"), "forky", "run"] + list(cmd),
                          env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


T_START = time.time()


def kernel_arch(key):
    """kernels.conf `arch` (amd64 unless given)."""
    try:
        return kconf(key, "arch")
    except subprocess.CalledProcessError:
        return "amd64"


def qemu_arm64(sc, vmlinuz, initrd, append, qmp_sock, port, console, go_sock, drives):
    """qemu-system-aarch64 -M virt -cpu max under TCG. The board has one
    UART: the console is a unix socket (the host's "go" goes in there) that
    QEMU also logs to the console file. `-cpu max` gives LPA2, so Debian's
    VA_BITS=52 kernels run with 52-bit VAs; va_bits 48 turns LPA2 off.
    `drives`: the swap disk's -drive (if=virtio is virtio-blk-pci on the
    virt board: the cloud-arm64 kernel has the PCI host and virtio_pci
    built in, virtio_blk.ko comes with the initramfs), as on x86."""
    cpu = "max,pauth-impdef=on"
    if sc.get("va_bits", 52) == 48:
        cpu += ",lpa2=off"
    return ["qemu-system-aarch64", "-M", "virt", "-cpu", cpu, "-accel", "tcg",
            "-m", str(sc.get("mem", 256)), "-smp", "2", "-no-reboot",
            "-display", "none", "-kernel", vmlinuz, "-initrd", initrd,
            "-append", append.replace("console=ttyS0", "console=ttyAMA0"),
            "-device", "vmcoreinfo",
            "-qmp", "unix:%s,server=on,wait=off" % qmp_sock,
            "-gdb", "tcp:127.0.0.1:%d" % port,
            "-chardev", "socket,id=con0,path=%s,server=on,wait=off,logfile=%s" % (go_sock, console),
            "-serial", "chardev:con0"] + drives


class ConsoleRelay:
    """arm64: the virt board's one UART is a unix socket server (QEMU logs it
    to the console file). The host holds the one connection for the whole
    capture and drains it: unread, the guest's UART blocks after a few
    hundred bytes; closed, QEMU drops what it has not read yet. Writers
    ("go" from here or from gdb_truth.py) connect to `path` instead."""

    def __init__(self, console_sock, path):
        import threading
        t0 = time.time()
        while True:
            try:
                self.con = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.con.connect(console_sock)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.time() - t0 > 30:
                    raise
                time.sleep(0.2)
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(path):
            os.unlink(path)
        self.srv.bind(path)
        self.srv.listen(4)
        for fn in (self._drain, self._accept):
            threading.Thread(target=fn, daemon=True).start()

    def _drain(self):
        try:
            while self.con.recv(65536):
                pass
        except OSError:
            pass

    def _accept(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            try:
                for b in iter(lambda: c.recv(4096), b""):
                    self.con.sendall(b)
            except OSError:
                pass
            c.close()


def capture(name, sc, work):
    key = sc["kernel"]
    arch = kernel_arch(key)
    vmlinux = fetch(key, "vmlinux")
    vmlinuz = fetch(key, "vmlinuz")
    initrd = os.path.join(work, "initrd.cpio.gz")
    subprocess.run([os.path.join(GEN, "build-initramfs.sh"), key, initrd], check=True)
    console = os.path.join(work, "console.log")
    qmp_sock = os.path.join(work, "qmp.sock")
    go_sock = os.path.join(work, "go.sock")
    raw = os.path.join(work, "raw.elf")
    truth = os.path.join(work, "truth.json")
    qdump = os.path.join(work, "qemu.kdump")
    for p in (console, qmp_sock, go_sock, raw, truth, qdump):
        if os.path.exists(p):
            os.unlink(p)
    port = free_port()
    append = "console=ttyS0 panic=0 scen=%s" % sc["scenario"]
    if not sc.get("kaslr"):
        append += " nokaslr"
    if sc.get("nvmas"):
        append += " nvmas=%d" % sc["nvmas"]
    qemu = ["qemu-system-x86_64", "-m", str(sc.get("mem", 256)), "-smp", "2", "-no-reboot",
            "-display", "none", "-vga", "none", "-kernel", vmlinuz, "-initrd", initrd,
            "-append", append, "-device", "vmcoreinfo",
            "-qmp", "unix:%s,server=on,wait=off" % qmp_sock,
            "-gdb", "tcp:127.0.0.1:%d" % port,
            "-serial", "file:%s" % console,
            "-serial", "unix:%s,server=on,wait=off" % go_sock]
    if sc.get("cpu_max"):
        qemu += ["-cpu", "max", "-accel", "tcg,thread=single"]
    else:
        qemu += ["-accel", "tcg"]
    drives = []
    if sc.get("swap_mb"):
        img = os.path.join(work, "swap.img")
        with open(img, "wb") as f:
            f.truncate(sc["swap_mb"] << 20)
        drives = ["-drive", "file=%s,format=raw,if=virtio" % img]
    qemu += drives
    if arch == "arm64":
        # the x86 command line above is not used
        qemu = qemu_arm64(sc, vmlinuz, initrd, append, qmp_sock, port, console, go_sock, drives)
    log("starting QEMU: %s" % " ".join(qemu))
    qproc = subprocess.Popen(qemu, stdin=subprocess.DEVNULL)
    info = {"qemu": " ".join(qemu), "append": append}
    if arch == "arm64":
        relay = ConsoleRelay(go_sock, go_sock + ".relay")
        go_sock = go_sock + ".relay"
    try:
        m, txt = wait_console(console, r"MMLIFE READY", 600, qproc)
        t = re.search(r"MMLIFE _text ([0-9a-f]+)", txt)
        text_now = int(t.group(1), 16)
        kaslr = text_now - sym_addr(vmlinux, "_text")
        if not sc.get("kaslr") and kaslr:
            raise RuntimeError("unexpected KASLR offset 0x%x" % kaslr)
        if sc.get("kaslr") and not kaslr:
            raise RuntimeError("KASLR requested but offset is 0")
        info["kaslr_offset"] = kaslr
        log("guest ready, KASLR offset 0x%x" % kaslr)
        mode = sc["scenario"]
        if mode == "baseline":
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(go_sock)
            s.sendall(b"go\n")
            wait_console(console, r"end Kernel panic", 300, qproc)
            time.sleep(3)
            s.close()
            mode = "panic"
        cur = kconf(key, "current")
        env = dict(os.environ, MMLIFE_ARCH="aarch64" if arch == "arm64" else "x86_64",
                   MMLIFE_GEN=GEN, MMLIFE_VMLINUX=vmlinux, MMLIFE_KASLR="%x" % kaslr,
                   MMLIFE_PERCPU0="1" if cur == "pcpu_hot" or key == "6.1" else "0",
                   MMLIFE_CURRENT=cur, MMLIFE_GDB_PORT=str(port), MMLIFE_QMP=qmp_sock,
                   MMLIFE_GO_SOCK=go_sock, MMLIFE_MODE=mode, MMLIFE_CONSOLE=console,
                   MMLIFE_COMM={"failed-fork": "forkfail", "swapoff-oops": "forkfail",
                                "empty-mm": "emptymm"}.get(mode, ""),
                   MMLIFE_TRUTH=truth, MMLIFE_RAWDUMP=raw,
                   MMLIFE_QEMU_FORMAT=sc.get("qemu_format", ""), MMLIFE_QEMU_DUMP=qdump)
        t0 = time.time()
        g = subprocess.run(["gdb-multiarch" if arch == "arm64" else "gdb", "-nx", "-batch", "-x", os.path.join(GEN, "gdb_truth.py")],
                           env=env, timeout=int(sc.get("timeout", 1800)),
                           stdin=subprocess.DEVNULL)
        log("gdb finished rc=%d in %.0fs" % (g.returncode, time.time() - t0))
        if g.returncode or not os.path.exists(truth) or not os.path.exists(raw):
            raise RuntimeError("gdb did not produce truth and dump")
        if sc.get("qemu_format") and not os.path.exists(qdump):
            raise RuntimeError("gdb did not produce the %s dump" % sc["qemu_format"])
    finally:
        if qproc.poll() is None:
            try:
                q = QMP(qmp_sock, timeout=10)
                q.cmd("quit")
            except Exception:
                pass
            try:
                qproc.wait(10)
            except subprocess.TimeoutExpired:
                qproc.terminate()
                qproc.wait(10)
    info["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    info["capture_seconds"] = round(time.time() - T_START)
    with open(os.path.join(work, "capture.json"), "w") as f:
        json.dump(info, f)
    return vmlinux


def shrink(sc, work):
    raw = os.path.join(work, "raw.elf")
    fix_qemu_elf(raw)
    if sc.get("qemu_format"):
        # QEMU's own kdump-compressed file of the same stop is the dump
        # (scenarios.json "qemu_format"); raw.elf stays in the work dir
        return (os.path.join(work, "qemu.kdump"),
                "qemu dump-guest-memory format=%s" % sc["qemu_format"], None)
    if sc.get("makedumpfile") is False:
        # arm64: makedumpfile 1.7.8 refuses Debian's VA_BITS=52 kernels
        # ("PAGE SIZE 0x1000 and VA Bits 52 not supported"): the repaired
        # QEMU ELF is the dump, unfiltered (stored xz'd, container "xz")
        return raw, None, None
    out = os.path.join(work, "vmcore")
    if os.path.exists(out):
        os.unlink(out)
    comp = {"none": [], "zlib": ["-c"], "lzo": ["-l"], "zstd": ["-z"]}[sc["compression"]]
    opts = comp + ["-d", str(sc["dump_level"])]
    if sc["format"] == "elf":
        opts = ["-E"] + opts
    if sc["format"] == "flattened":
        cmd = "makedumpfile -F %s %s > %s" % (" ".join(opts), raw, out)
    else:
        cmd = "makedumpfile %s %s %s" % (" ".join(opts), raw, out)
    log("chroot: " + cmd)
    r = chroot_run([work], "sh", "-c", cmd)
    print(r.stdout[-3000:], file=sys.stderr)
    if r.returncode or not os.path.exists(out):
        raise RuntimeError("makedumpfile failed")
    mver = re.search(r"version ([0-9.]+)", chroot_run([], "makedumpfile", "-v").stdout).group(1)
    return out, "makedumpfile " + " ".join(opts[:-2] if False else opts) + (" -F" if sc["format"] == "flattened" else ""), mver


def console_oops(lines):
    """The first oops the kernel printed on the console, as the kernel said
    it (the ground truth for the kernel-log tests; mmlife reads the log from
    the dump's printk ring buffer instead). x86-64: "BUG: ... address: X",
    "RIP: 0010:func+..", "Call Trace:"; arm64 (arch/arm64/mm/fault.c
    die_kernel_fault(), kernel/traps.c __die()): "Unable to handle kernel
    ... at virtual address X", "pc : func+..", "Call trace:" (whose first
    frame is the pc's function); `rip_function` is the pc's there."""
    rx_ts = re.compile(r"^\[\s*[0-9.]+\] ")
    lines = [rx_ts.sub("", ln) for ln in lines]
    start = next((i for i, ln in enumerate(lines)
                  if ln.startswith("BUG: ") or ln.startswith("Oops: ")
                  or ln.startswith("Unable to handle kernel ")), None)
    if start is None:
        return None
    o = {"message": lines[start], "call_trace": []}
    m = re.search(r"(?:address: |at virtual address )([0-9a-f]+)", lines[start])
    if m:
        o["fault_address"] = "0x%x" % int(m.group(1), 16)
    in_trace = False
    for ln in lines[start:]:
        m = re.match(r"CPU: (\d+) (?:UID: \d+ )?PID: (\d+) Comm: (\S+)", ln)
        if m and "pid" not in o:
            o.update(cpu=int(m.group(1)), pid=int(m.group(2)), comm=m.group(3))
        m = re.match(r"(?:RIP: [0-9a-f]{4}:|pc : )([A-Za-z0-9_.]+)\+", ln)
        if m and "rip_function" not in o:
            o["rip_function"] = m.group(1)
        if ln.startswith("Call Trace:") or ln.startswith("Call trace:"):
            in_trace = True
            continue
        if in_trace:
            m = re.match(r"\s*(\? )?([A-Za-z0-9_.]+)\+0x", ln)
            if m:
                if not m.group(1):
                    o["call_trace"].append(m.group(2))
                continue
            if ln.strip() in ("<TASK>", "</TASK>"):
                continue
            in_trace = False
        if ln.startswith("Kernel panic - not syncing: "):
            o["panic"] = ln[len("Kernel panic - not syncing: "):]
            break
    return o


def main():
    name = sys.argv[1]
    with open(os.path.join(GEN, "scenarios.json")) as f:
        sc = json.load(f)[name]
    if sc.get("source"):
        # made from another dump by makedumpfile alone (refilter.py)
        import refilter
        mpath = refilter.main(name, sc)
        drgn_check(name, mpath, fetch(sc["kernel"], "vmlinux"),
                   os.path.abspath(os.environ.get("MMLIFE_VMCORES_OUT", VMC)))
        return
    work = os.path.join(CACHE, "work", name)
    os.makedirs(work, exist_ok=True)
    t_start = T_START
    if os.environ.get("MMLIFE_REUSE_CAPTURE") == "1" and os.path.exists(os.path.join(work, "truth.json")):
        vmlinux = fetch(sc["kernel"], "vmlinux")
    else:
        vmlinux = capture(name, sc, work)
    with open(os.path.join(work, "truth.json")) as f:
        truth = json.load(f)
    with open(os.path.join(work, "capture.json")) as f:
        cap = json.load(f)
    out, mcmd, mver = shrink(sc, work)
    key = sc["kernel"]
    pk = {}
    for field in ("image", "modules", "extra", "dbg"):
        try:
            v = kconf(key, field)
        except subprocess.CalledProcessError:
            continue
        for i, pv in enumerate(v.split()):
            pk[field if i == 0 else "%s%d" % (field, i)] = pv
    with open(os.path.join(work, "console.log"), errors="replace") as f:
        cons = f.read().replace("\r", "").splitlines()
    states = []
    for st in truth["states"]:
        d = {k: st[k] for k in ("kind", "mm", "flags", "map_count", "mm_users", "mm_count", "ma_root",
                                "ma_flags", "entries", "child_vmas", "stale_vmas", "xa_zero",
                                "last_child_vma", "parent_mm", "parent_tasks", "tasks",
                                "on_task_list", "on_mmlist")}
        d.update({k: st[k] for k in ("other_entries", "range_mismatch", "oom_skip", "unstable",
                                     "tree", "current", "parent") if k in st})
        states.append(d)
    how = {
        "failed-fork": "gdb breakpoint at exit_mmap entry (parent in failing fork, memcg ENOMEM)",
        "empty-mm": "gdb breakpoint at %s (emptymm task, map_count 0)" % (
            "arm64_force_sig_fault" if kernel_arch(sc["kernel"]) == "arm64" else "__bad_area_nosemaphore"),
        "swapoff-oops": "failing fork of a parent with swapped-out pages (memcg ENOMEM); gdb keeps the "
                        "child mm alive and hides MMF_UNSTABLE from swapoff (see interventions); swapoff "
                        "oopses, panic_on_oops panics, gdb stops the guest in panic()'s final loop",
        "baseline": "sysrq-c panic, gdb attached after 'end Kernel panic'",
    }[sc["scenario"]]
    # MMLIFE_VMCORES_OUT: write NAME/ somewhere else (reproducibility runs)
    outroot = os.path.abspath(os.environ.get("MMLIFE_VMCORES_OUT", VMC))
    dest = os.path.join(outroot, name)
    os.makedirs(dest, exist_ok=True)
    for old in ("vmcore", "vmcore.xz"):
        if os.path.exists(os.path.join(dest, old)):
            os.unlink(os.path.join(dest, old))
    plain_size, plain_sha = os.path.getsize(out), sha256(out)
    stored = "vmcore"
    if sc.get("container") == "xz":
        # an ELF cannot be compressed inside; keep the repo small (README)
        subprocess.run(["xz", "-T1", "-6", "-k", "-f", out], check=True)
        out = out + ".xz"
        stored = "vmcore.xz"
    shutil.copyfile(out, os.path.join(dest, stored))
    manifest = {
        "schema": 1,
        "name": name,
        "scenario": sc["scenario"],
        "kernel": {
            "key": key,
            "release": truth["uts_release"],
            "version_string": truth["uts_version"],
            "banner": truth["banner"],
            "suite": kconf(key, "suite"),
            "packages": pk,
            "build_id": sh("bash", "-c", ". '%s'; vmc_build_id '%s'" % (os.path.join(SCRIPTS, "common.sh"), vmlinux)),
            "kaslr": bool(sc.get("kaslr")),
            "kaslr_offset": "0x%x" % cap["kaslr_offset"],
            "paging_levels": truth["paging_levels"],
            "page_offset_base": truth["page_offset_base"],
            **({k: truth[k] for k in ("arch", "va_bits") if k in truth}),
        },
        "dump": {
            "file": stored,
            "container": sc.get("container", "none"),
            "format": sc["format"],
            "compression": sc["compression"],
            "dump_level": sc["dump_level"],
            "makedumpfile": mver,
            "makedumpfile_cmd": mcmd,
            "size": os.path.getsize(out),
            "sha256": sha256(out),
            "raw_size": os.path.getsize(os.path.join(work, "raw.elf")),
            "uncompressed_size": plain_size,
            "uncompressed_sha256": plain_sha,
        },
        "capture": {
            "how": how,
            "qemu": cap["qemu"].replace(CACHE, "$MMLIFE_CACHE"),
            "date": cap["date"],
            "cpu_max": bool(sc.get("cpu_max")) or kernel_arch(key) == "arm64",
            "generation_seconds": None,
            "host_qemu": sh(cap["qemu"].split()[0], "--version").splitlines()[0],
            "host_gdb": sh("gdb-multiarch" if kernel_arch(key) == "arm64" else "gdb",
                           "--version").splitlines()[0],
        },
        "counts": truth["counts"],
        "tasks": truth["tasks"],
        "states": states,
        "mm_list": truth["mm_list"],
        "mmlist": truth["mmlist"],
        "log_tail": "\n".join(cons[-40:]),
        "interventions": truth.get("interventions", []),
        "notes": sc.get("notes", ""),
    }
    if sc.get("qemu_format"):
        # the ELF of the same stop: drgn's check runs on it (drgn_check)
        raw = os.path.join(work, "raw.elf")
        manifest["dump"]["qemu_format"] = sc["qemu_format"]
        manifest["dump"]["elf_twin"] = {
            "what": "QEMU's ELF dump (dump-guest-memory without a format) at the same gdb stop, "
                    "right before this one, repaired by fix_qemu_elf; not stored (the work dir's raw.elf)",
            "size": os.path.getsize(raw),
            "sha256": sha256(raw),
        }
        manifest["dump"]["unreadable_by"] = {
            "drgn": "kdump_get_string_attr(KDUMP_ATTR_ARCH_NAME): Key has no value",
            "why": "utsname.machine \"Unknown\" and 64 KiB blocks (QEMU 7.2's kdump writer for aarch64): "
                   "libkdumpfile (drgn's reader) finds no architecture, and told aarch64 it counts the "
                   "bitmap's 64 KiB blocks as 4 KiB pages (\"Out-of-bounds PFN\"); drgn's checks ran on the "
                   "ELF twin. crash 9.0.2 (arm64) reads this file",
        }
    if sc["scenario"] == "swapoff-oops":
        manifest["oops"] = console_oops(cons)
        if not manifest["oops"]:
            raise RuntimeError("no oops on the console")
        manifest["oops"]["truth"] = "the guest's serial console, as the kernel printed it"
        # what the scenario was built to show (scenarios.json), not measured
        manifest["oops"]["expect"] = sc.get("oops", {})
    mpath = os.path.join(dest, "manifest.json")
    # capture (boot, gdb, QEMU dump) + shrink; a re-shrink of an old capture
    # (MMLIFE_REUSE_CAPTURE=1) adds the capture time recorded back then
    manifest["capture"]["generation_seconds"] = round(time.time() - t_start) + (
        cap.get("capture_seconds", 0) if os.environ.get("MMLIFE_REUSE_CAPTURE") == "1" else 0)
    with open(mpath, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    if sc.get("qemu_format"):
        qemu_drgn_check(name, manifest, work, vmlinux, outroot)
    else:
        drgn_check(name, mpath, vmlinux, outroot)
    log("%s done: %s bytes, %ds" % (name, manifest["dump"]["size"], time.time() - t_start))


def qemu_drgn_check(name, manifest, work, vmlinux, outroot):
    """A dump in QEMU's kdump format: drgn checks the manifest on the ELF
    of the same stop (a copy of the manifest in the work dir names it),
    and must refuse the stored file as the manifest records."""
    twin = dict(manifest, dump=dict(manifest["dump"], file="raw.elf"))
    for k in ("uncompressed_sha256", "unreadable_by"):
        twin["dump"].pop(k, None)
    tpath = os.path.join(work, "manifest-elf-twin.json")
    with open(tpath, "w") as f:
        json.dump(twin, f, indent=1)
    drgn_check(name + " (ELF twin)", tpath, vmlinux, work)
    kout = os.path.dirname(vmlinux)
    mpath = os.path.join(outroot, name, "manifest.json")
    r = chroot_run([kout, REPO] + ([outroot] if not outroot.startswith(REPO + "/") else []), "python3",
                   os.path.join(REPO, "tests/dumps/confirm_drgn.py"), mpath, vmlinux)
    print(r.stdout, file=sys.stderr)
    if r.returncode or "not ok" in r.stdout:
        log("drgn's refusal of %s is not the recorded one" % name)
        sys.exit(1)


def drgn_check(name, mpath, vmlinux, outroot):
    """Independent check of the shrunk dump (drgn in the forky chroot)."""
    kout = os.path.dirname(vmlinux)
    r = chroot_run([kout, REPO] + ([outroot] if not outroot.startswith(REPO + "/") else []), "python3", os.path.join(REPO, "tests/dumps/confirm_drgn.py"),
                   mpath, vmlinux)
    print(r.stdout, file=sys.stderr)
    if r.returncode or "not ok" in r.stdout:
        log("drgn check FAILED for %s" % name)
        sys.exit(1)


if __name__ == "__main__":
    main()
