# SPDX-License-Identifier: GPL-2.0-or-later
"""Copy an ELF dump with the root node of its largest tree overwritten by a
pattern no kernel writes (parent, pivots and slots), located by p_paddr
(linear.py: the linear map's physical address per architecture); print
that tree's mm. As tests/dumps/crash_ext.sh does for crash.
    python3 corrupt_root.py CLI.json MANIFEST.json VMCORE OUT
"""

import json
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from linear import Memory, vmcoreinfo_text  # noqa: E402

j = json.load(open(sys.argv[1]))
m = json.load(open(sys.argv[2]))
mm = max(j["mms"], key=lambda x: x["tree"]["nodes"])
node = int(mm["ma_root"], 16) & ~0xff
with open(sys.argv[3], "rb") as f:
    pa = Memory(m, vmcoreinfo_text(f.read(1 << 20))).pa(node)
shutil.copyfile(sys.argv[3], sys.argv[4])
with open(sys.argv[4], "r+b") as f:
    eh = f.read(64)
    phoff, = struct.unpack_from("<Q", eh, 32)
    phentsize, phnum = struct.unpack_from("<HH", eh, 54)
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p_type, _, p_offset, _, p_paddr, p_filesz = struct.unpack(
            "<IIQQQQ", f.read(40))
        if p_type == 1 and p_paddr <= pa < p_paddr + p_filesz:
            f.seek(p_offset + pa - p_paddr)
            f.write(bytes([0x5a]) * 192)
            print(mm["address"])
            break
