#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seeds of fuzz_dwarf into tests/fuzz/corpus/dwarf/: small
static ELF executables (gcc -g, -nostdlib) whose DWARF declares every
struct, member, enum and enumerator of lib/layout.c's table (members as
unsigned long, sized arrays where the table asks for a member's size), in
DWARF 4 and 5. Needs gcc. Deterministic for one compiler version."""
import os
import re
import subprocess
import sys
import tempfile

top = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
out = os.path.join(top, "tests", "fuzz", "corpus", "dwarf")

structs, enums = {}, {}
for kind, st, mem in re.findall(r'E\(\w+, (L_\w+), "(\w+)", (NULL|"\w+")', open(
        os.path.join(top, "lib", "layout.c")).read()):
    mem = None if mem == "NULL" else mem.strip('"')
    if kind == "L_ENUM":
        enums.setdefault(st, [])
        if mem not in enums[st]:
            enums[st].append(mem)
    else:
        s = structs.setdefault(st, {})
        if mem:
            s[mem] = s.get(mem) or kind in ("L_MSIZE", "L_COUNT")

# Array lengths the layout checks (the maple node geometry of 6.x).
COUNT = {("maple_range_64", "pivot"): 15, ("maple_range_64", "slot"): 16,
         ("maple_arange_64", "pivot"): 9, ("maple_arange_64", "slot"): 10,
         ("maple_arange_64", "gap"): 10}
SIZE = {"maple_node": 256}
src = []
for name, members in structs.items():
    body = "".join(f"\tunsigned long {m}{'[%d]' % COUNT.get((name, m), 8) if arr else ''};\n"
                   for m, arr in members.items())
    words = sum(COUNT.get((name, m), 8) if arr else 1 for m, arr in members.items())
    if SIZE.get(name, 0) > 8 * words:
        body += f"\tunsigned long pad_[{SIZE[name] // 8 - words}];\n"
    src.append(f"struct {name} {{\n{body or chr(9) + 'unsigned long pad;' + chr(10)}}};\n")
    src.append(f"struct {name} v_{name};\n")
for name, vals in enums.items():
    src.append(f"enum {name} {{ {', '.join(vals)} }};\nenum {name} e_{name};\n")
src.append("void _start(void) { for (;;) ; }\n")

os.makedirs(out, exist_ok=True)
with tempfile.TemporaryDirectory() as d:
    c = os.path.join(d, "types.c")
    open(c, "w").write("".join(src))
    for v in (4, 5):
        exe = os.path.join(out, f"layout-dwarf{v}")
        subprocess.check_call(["gcc", f"-gdwarf-{v}", "-O0", "-nostdlib", "-static",
                               "-fno-asynchronous-unwind-tables", "-Wl,--build-id=none",
                               "-o", exe, c])
        print(exe, os.path.getsize(exe), file=sys.stderr)
