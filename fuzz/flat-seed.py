#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""flat-seed.py FLAT OUT - a small seed for fuzz_flat: the real flattened
dump's 4096-byte header and first two records, each cut to 256 bytes, then
the end marker."""
import struct
import sys

with open(sys.argv[1], "rb") as f:
    out = bytearray(f.read(4096))
    for _ in range(2):
        off, size = struct.unpack(">qq", f.read(16))
        data = f.read(size)[:256]
        out += struct.pack(">qq", off, len(data)) + data
    out += struct.pack(">qq", -1, 0)
with open(sys.argv[2], "wb") as f:
    f.write(out)
