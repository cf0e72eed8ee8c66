# SPDX-License-Identifier: GPL-2.0-or-later
"""_drgn.py - struct vmacore_target_ops over a drgn.Program: libdrgn reads
the memory and the debug info, libvmacore does the rest.

Each callback turns drgn's exceptions into the library's errors:
drgn.FaultError is FAULT (the address does not translate) or NODATA (it
does, but the dump lacks the page), LookupError is LOOKUP.  Whatever else
a callback raises becomes OTHER with its text: an exception must never
cross the C frames (ctypes would print it and return success).
"""
import ctypes

from . import _lib
from .core import Dump
from .errors import UnsupportedError

LOOKUP, FAULT, NODATA, UNSUPPORTED, OTHER = 3, 4, 5, 7, 10
# drgn's FaultError texts for an address that does not translate; any
# other FaultError ("could not find memory segment", libkdumpfile's
# "Excluded page") is a page the dump does not hold.
_UNMAPPED = ("not mapped", "translat", "non-canonical", "invalid address")


def _import_drgn():
    try:
        import drgn
    except ImportError as e:
        raise UnsupportedError("from_drgn needs drgn: %s" % e)
    return drgn


class DrgnTarget:
    """The callbacks, with caches of what libdrgn answered (the library
    asks each layout question once per context, but symbols repeat)."""

    def __init__(self, prog):
        self.drgn = _import_drgn()
        self.prog = prog
        self.L = _lib.lib()
        self.types = {}
        self._vmcoreinfo = None
        self.ops = _lib.TargetOps(
            read=_lib.READ_FN(self._guard(self.read)),
            symbol=_lib.SYMBOL_FN(self._guard(self.symbol)),
            type_size=_lib.TYPE_SIZE_FN(self._guard(self.type_size)),
            member=_lib.MEMBER_FN(self._guard(self.member)),
            enumerator=_lib.ENUMERATOR_FN(self._guard(self.enumerator)),
            vmcoreinfo=_lib.VMCOREINFO_FN(self._guard(self.vmcoreinfo)))

    # -- errors --------------------------------------------------------
    def error(self, code, msg, address=None):
        m = ctypes.c_char_p(str(msg).encode("utf-8", "replace"))
        if address is not None:
            return self.L.error_fault(ctypes.c_int(code),
                                      ctypes.c_uint64(address),
                                      ctypes.c_char_p(b"%s"), m)
        return self.L.error_create(ctypes.c_int(code),
                                   ctypes.c_char_p(b"%s"), m)

    def _guard(self, fn):
        drgn = self.drgn

        def cb(priv, *args):
            try:
                return fn(*args)
            except drgn.FaultError as e:
                addr = getattr(e, "address", None)
                text = str(e)
                code = FAULT if any(s in text for s in _UNMAPPED) \
                    else NODATA
                return self.error(code, "drgn: " + text, addr or 0)
            except LookupError as e:
                return self.error(LOOKUP, "drgn: %s" % (e.args[0] if e.args
                                                        else e))
            except BaseException as e:	# never into the C frames
                return self.error(OTHER, "drgn: %s: %s" % (
                    type(e).__name__, e))
        return cb

    # -- the callbacks -------------------------------------------------
    def read(self, addr, buf, size, physical):
        data = self.prog.read(addr, size, physical)
        ctypes.memmove(buf, data, size)
        return None

    def symbol(self, name, addr_ret, size_ret):
        name = name.decode()
        try:
            s = self.prog.symbol(name)
            addr, size = s.address, s.size
        except LookupError:
            # a variable the symbol table lacks but the debug info has
            o = self.prog.variable(name)
            addr, size = o.address_, self.drgn.sizeof(o)
            if addr is None:
                raise LookupError("%s has no address" % name)
        addr_ret[0] = addr
        if size_ret:
            size_ret[0] = size or 0
        return None

    def _type(self, name):
        """struct, then union, then typedef (vmacore_target_ops)."""
        t = self.types.get(name)
        if t is None:
            for spelling in ("struct " + name, "union " + name, name):
                try:
                    t = self.prog.type(spelling)
                    break
                except LookupError:
                    continue
            else:
                raise LookupError("no type %s" % name)
            self.types[name] = t
        return t

    def type_size(self, name, ret):
        ret[0] = self.drgn.sizeof(self._type(name.decode()))
        return None

    def member(self, tname, designator, offset_ret, size_ret):
        tname, designator = tname.decode(), designator.decode()
        t = self._type(tname)
        # member by member, through anonymous structs and unions
        # (drgn's Type.member() finds those)
        offset = 0
        cur = t
        for part in designator.split("."):
            while cur.kind == self.drgn.TypeKind.TYPEDEF:
                cur = cur.type
            try:
                m = cur.member(part)
            except (LookupError, ValueError):
                raise LookupError("no member %s in %s" % (designator, tname))
            if m.bit_field_size is not None or m.bit_offset % 8:
                return self.error(UNSUPPORTED, "%s.%s is a bit field" %
                                  (tname, designator))
            offset += m.bit_offset // 8
            cur = m.type
        offset_ret[0] = offset
        size_ret[0] = self._sizeof_member(cur)
        return None

    def _sizeof_member(self, t):
        """sizeof, 0 for a flexible array member (as the C targets)."""
        try:
            return self.drgn.sizeof(t)
        except TypeError:
            u = t
            while u.kind == self.drgn.TypeKind.TYPEDEF:
                u = u.type
            if u.kind == self.drgn.TypeKind.ARRAY and u.length is None:
                return 0
            raise

    def enumerator(self, name, ret):
        ret[0] = self.prog.constant(name.decode()).value_()
        return None

    def _vmcoreinfo_map(self):
        """VMCOREINFO as drgn has it: Program.vmcoreinfo where it exists,
        else the kernel's VMCOREINFO object (drgn 0.0.8 and later)."""
        if self._vmcoreinfo is None:
            raw = getattr(self.prog, "vmcoreinfo", None)
            if raw is None:
                raw = self.prog["VMCOREINFO"].value_()
            if isinstance(raw, str):
                raw = raw.encode()
            raw = bytes(raw).split(b"\0", 1)[0]
            m = {}
            for line in raw.split(b"\n"):
                k, sep, v = line.partition(b"=")
                if sep:
                    m[k] = v
            self._vmcoreinfo = m
        return self._vmcoreinfo

    def vmcoreinfo(self, key, buf, size):
        v = self._vmcoreinfo_map().get(key)
        if v is None:
            raise LookupError("no %s in VMCOREINFO" % key.decode())
        if len(v) >= size:
            return self.error(2, "VMCOREINFO %s: value too long" %
                              key.decode())
        ctypes.memmove(buf, v + b"\0", len(v) + 1)
        return None


def from_drgn(prog):
    """A vmacore Dump over @prog (a drgn.Program of a Linux kernel: a core
    dump or the live /proc/kcore)."""
    target = DrgnTarget(prog)
    L = target.L
    ptr = ctypes.c_void_p()
    e = L.ctx_create(ctypes.byref(target.ops), None, ctypes.byref(ptr))
    if e:
        from .errors import exception
        raise exception(L, e)
    return Dump(L, ptr.value, keep=(target,), owner=prog)
