#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kallsyms-seed.py VMCORE.ELF OUT [N] - a seed for fuzz_kallsyms: the real
kallsyms tables of the dump (found through VMCOREINFO, read through the
kernel image's physical address), cut to the first N symbols (default
800), in the harness's input format (fuzz/fuzz_kallsyms.c)."""
import struct
import sys

START_KERNEL_MAP = 0xffffffff80000000

path, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 800
f = open(path, "rb")
eh = f.read(64)
phoff, = struct.unpack_from("<Q", eh, 32)
phentsize, phnum = struct.unpack_from("<HH", eh, 54)
f.seek(phoff)
raw = f.read(phentsize * phnum)
phdrs = [struct.unpack_from("<IIQQQQQQ", raw, i * phentsize)
         for i in range(phnum)]
info = {}
for p in phdrs:
    if p[0] == 4:
        f.seek(p[2])
        data = f.read(p[6])
        i = data.find(b"OSRELEASE=")
        if i >= 0:
            for line in data[i:].split(b"\0")[0].decode().splitlines():
                k, _, v = line.partition("=")
                info[k] = v
phys_base = int(info["NUMBER(phys_base)"])


def sym(name):
    return int(info["SYMBOL(%s)" % name], 16)


def read(vaddr, n):
    pa = vaddr - START_KERNEL_MAP + phys_base
    for p in phdrs:
        if p[0] == 1 and p[4] <= pa < p[4] + p[6]:
            f.seek(p[2] + pa - p[4])
            return f.read(n)
    raise ValueError("0x%x not in the dump" % vaddr)


num, = struct.unpack("<I", read(sym("kallsyms_num_syms"), 4))
count = min(count, num)
index = read(sym("kallsyms_token_index"), 512)
tsize = max(struct.unpack("<256H", index)) + 64
tokens = read(sym("kallsyms_token_table"), tsize)
names = read(sym("kallsyms_names"), 64 * count)
off = 0
for _ in range(count):
    n = names[off]
    off += 1
    if n & 0x80:
        n = (n & 0x7f) | (names[off] << 7)
        off += 1
    off += n
names = names[:off]
offsets_addr = sym("kallsyms_offsets")
offsets = read(offsets_addr, 4 * count)
if "SYMBOL(kallsyms_relative_base)" in info:
    layout = 1      # KS_ABSOLUTE_PERCPU, as test-dumpalone finds
    base, = struct.unpack("<Q", read(sym("kallsyms_relative_base"), 8))
else:
    layout, base = 3, 0     # KS_PREL
hdr = struct.pack("<IIQQII", count, layout, base, offsets_addr, len(tokens),
                  len(names))
with open(out, "wb") as o:
    o.write(hdr + index + tokens + names + offsets)
