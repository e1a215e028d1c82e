# SPDX-License-Identifier: GPL-2.0-or-later
"""Run the README's "In drgn" example as drgn's REPL would: each ">>> "
line is evaluated (an expression's repr printed) or, starting with "%",
run as a drgn command; every other line of the example that has no "..."
must be a line of what ran. Run from the top of the tree (the example's
paths are relative). Prints "missing: LINE" per line not printed, then
"ran N inputs".
    python3 drgn_readme.py README.md VMLINUX
"""

import contextlib
import io
import re
import sys

import drgn
from drgn.commands import run_command

doc = open(sys.argv[1]).read()
block = doc.split("\n## In drgn\n", 1)[1].split("```", 2)[1]
lines = block.splitlines()[1:]
core = re.match(r"\$ drgn -c (\S+) -s", lines[0]).group(1)
prog = drgn.Program()
prog.set_core_dump(core)
try:
    prog.load_debug_info([sys.argv[2]])
except drgn.MissingDebugInfoError:
    pass
drgn.set_default_prog(prog)
ns = {"prog": prog, "drgn": drgn}
out = io.StringIO()
inputs = 0
for line in lines[1:]:
    if not line.startswith(">>> "):
        continue
    src = line[4:]
    inputs += 1
    with contextlib.redirect_stdout(out):
        if src.startswith("%"):
            run_command(prog, src[1:], globals=ns)
            continue
        try:
            code = compile(src, "<readme>", "eval")
        except SyntaxError:
            exec(compile(src, "<readme>", "exec"), ns)
            continue
        value = eval(code, ns)
        if value is not None:
            print(repr(value))
printed = set(out.getvalue().splitlines())
for line in lines[1:]:
    if line.startswith(">>> ") or "..." in line or not line.strip():
        continue
    if line not in printed:
        print("missing: " + line)
print("ran %d inputs" % inputs)
