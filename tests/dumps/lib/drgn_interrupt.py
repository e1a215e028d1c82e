# SPDX-License-Identifier: GPL-2.0-or-later
"""What a Python exception inside a callback does: it never unwinds
through the core (C cannot), it is kept and raised once the core has
returned, and the Program and the package work afterwards. Prints one
"name: result" line per case.
    python3 drgn_interrupt.py VMCORE VMLINUX
"""

import sys

import drgn

import mmlife
from mmlife import _drgn

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
try:
    prog.load_debug_info([sys.argv[2]])
except drgn.MissingDebugInfoError:
    pass


def scan():
    j = mmlife.scan(prog)
    j["counts"].pop("slab_ms")  # wall time
    return j


want = scan()


def outcome(fn):
    try:
        fn()
        return "returned"
    except BaseException as e:  # noqa: B036 - what escaped is the result
        return "%s(%s)" % (type(e).__name__, e)


class Interrupting:
    """The Program, with a ^C in its 50th read."""

    def __init__(self, real):
        self.real, self.reads = real, 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __getitem__(self, name):
        return self.real[name]

    def read(self, *args):
        self.reads += 1
        if self.reads == 50:
            raise KeyboardInterrupt("^C")
        return self.real.read(*args)


search = _drgn._search


def broken_search(t, name, *args):
    if name == "vm_start":
        raise RuntimeError("broken type lookup")
    return search(t, name, *args)


print("interrupt during a read:", outcome(lambda: mmlife.scan(Interrupting(prog))))
_drgn._search = broken_search
print("exception in a type lookup:", outcome(lambda: mmlife.scan(prog)))
_drgn._search = search
print("scan afterwards equals the first:", scan() == want)
print("the Program afterwards:", prog["init_task"].comm.string_().decode())
