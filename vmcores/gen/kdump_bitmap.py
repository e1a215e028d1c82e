#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kdump_bitmap.py DUMP [DUMP2]: the header facts and page bitmaps of a
kdump-compressed file (makedumpfile's diskdump_mod.h), read here without
any dump library. With two files: the pfns the first holds and the second
does not (the pages a re-filter dropped).

Layout: disk_dump_header at 0 (block_size at 428, sub_hdr_size at 432,
bitmap_blocks at 436, max_mapnr at 440); kdump_sub_header one block in
(dump_level at 8, max_mapnr_64 at 96); the two bitmaps follow the sub
header: the first marks the pfns that exist, the second the pfns that are
in the file; bit pfn % 8 of byte pfn / 8.
"""
import json
import struct
import sys


def read_kdump(path):
    with open(path, "rb") as f:
        hdr = f.read(464)
        if hdr[:8] != b"KDUMP   ":
            raise ValueError("%s: not a kdump-compressed file" % path)
        hv, = struct.unpack_from("<i", hdr, 8)
        status, block, sub_blocks, bm_blocks, mapnr = struct.unpack_from("<IiiII", hdr, 424)
        f.seek(block)
        sub = f.read(block)
        dump_level, = struct.unpack_from("<i", sub, 8)
        if hv >= 6:
            mapnr = struct.unpack_from("<Q", sub, 96)[0] or mapnr
        f.seek((1 + sub_blocks) * block)
        bm = f.read(bm_blocks * block)
    half = len(bm) // 2
    return {"header_version": hv, "status": status, "block_size": block,
            "dump_level": dump_level, "max_mapnr": mapnr,
            "valid": bm[:half], "dumped": bm[half:]}


def pfns(bitmap, mapnr):
    out = []
    for i, b in enumerate(bitmap[:(mapnr + 7) // 8]):
        if b:
            for j in range(8):
                if b >> j & 1:
                    out.append(i * 8 + j)
    return out


def dropped(src, dst):
    """pfns dumped in src and not in dst."""
    a, b = read_kdump(src), read_kdump(dst)
    n = min(a["max_mapnr"], b["max_mapnr"])
    return [p for p in pfns(a["dumped"], n) if not (b["dumped"][p // 8] >> (p % 8) & 1)]


def main():
    a = read_kdump(sys.argv[1])
    out = {k: a[k] for k in ("header_version", "dump_level", "max_mapnr")}
    out["dumped_pages"] = len(pfns(a["dumped"], a["max_mapnr"]))
    if len(sys.argv) > 2:
        d = dropped(sys.argv[1], sys.argv[2])
        out["dropped_pages"] = len(d)
        out["dropped_pfns"] = ["0x%x" % p for p in d]
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
