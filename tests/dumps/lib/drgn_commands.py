# SPDX-License-Identifier: GPL-2.0-or-later
"""Run crash commands in drgn's crash compatibility mode, one per line of
stdin, as "%crash LINE" does in drgn's REPL (drgn.commands.run_command);
drgn-crash itself wants a terminal. The plugins come through drgn's own
entry points when the dump is opened. Exit 0 unless a command raised.
    python3 drgn_commands.py VMCORE VMLINUX <commands
"""

import sys

import drgn
import drgn.cli
from drgn.commands import run_command

prog = drgn.Program()
prog.set_core_dump(sys.argv[1])
try:
    prog.load_debug_info([sys.argv[2]])
except drgn.MissingDebugInfoError:
    pass
drgn.set_default_prog(prog)
globals_ = drgn.cli.default_globals(prog)
status = 0
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    print("%crash> " + line, flush=True)
    try:
        run_command(prog, "crash " + line, globals=globals_)
    except Exception as e:  # the test counts what escaped
        print("drgn_commands: %s raised %s: %s" % (line, type(e).__name__, e),
              flush=True)
        status = 1
    sys.stdout.flush()
sys.exit(status)
