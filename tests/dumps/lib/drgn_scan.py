# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/dumps/drgn_frontend.sh's driver, run by the chroot's python3 with
its drgn: for each "NAME VMCORE VMLINUX" line of LIST, open the dump in a
drgn Program, write mmlife.scan(prog) to OUT/NAME.json, then use the
Program again and write what it answers to OUT/NAME.after: init_task's
comm and UTS_RELEASE, read through drgn's own objects. A scan that raises is written to
OUT/NAME.raised instead. When drgn itself cannot read init_task (drgn
0.0.31 does not translate QEMU's arm64 ELF dumps: "recursive address
translation"), its error goes to OUT/NAME.drgn-unreadable, and the
mmlife.Error the scan must then raise (no report is possible) to
OUT/NAME.refused.
    python3 drgn_scan.py LIST OUT
"""

import json
import os
import sys
import traceback

import drgn

import mmlife


def program(vmcore, vmlinux):
    prog = drgn.Program()
    prog.set_core_dump(vmcore)
    try:
        prog.load_debug_info([vmlinux])
    except drgn.MissingDebugInfoError:
        pass  # modules: the vmlinux is what mmlife needs
    return prog


def main():
    out = sys.argv[2]
    for line in open(sys.argv[1]):
        name, vmcore, vmlinux = line.split()
        prog = program(vmcore, vmlinux)
        unreadable = None
        try:
            prog["init_task"].comm.string_()
        except drgn.FaultError as e:
            unreadable = str(e)
            with open(os.path.join(out, name + ".drgn-unreadable"), "w") as f:
                f.write(unreadable + "\n")
        try:
            report = mmlife.scan(prog, path=vmcore)
        except mmlife.Error as e:
            if unreadable is None:
                with open(os.path.join(out, name + ".raised"), "w") as f:
                    traceback.print_exc(file=f)
            else:
                with open(os.path.join(out, name + ".refused"), "w") as f:
                    f.write(str(e) + "\n")
            continue
        except BaseException:  # noqa: B036 - the test says what escaped
            with open(os.path.join(out, name + ".raised"), "w") as f:
                traceback.print_exc(file=f)
            continue
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(report, f, indent=1)
        comm = prog["init_task"].comm.string_().decode()
        release = prog["UTS_RELEASE"].string_().decode()
        with open(os.path.join(out, name + ".after"), "w") as f:
            f.write("%s %s\n" % (comm, release))


if __name__ == "__main__":
    main()
