# SPDX-License-Identifier: GPL-2.0-or-later
"""errors.py - library errors as Python exceptions: one class per
enum vmacore_error_code, all subclasses of VmacoreError, with the
library's message as str(e)."""
import ctypes


class VmacoreError(Exception):
    """A libvmacore error: .code (the enum value), .message, .address (FAULT
    and NODATA), .file and .line (CORRUPT)."""
    code = 10

    def __init__(self, message, address=0, file=None, line=0):
        super().__init__(message)
        self.message = message
        self.address = address
        self.file = file
        self.line = line


class NoMemoryError(VmacoreError, MemoryError):
    code = 1


class InvalidError(VmacoreError, ValueError):
    code = 2


class NotFoundError(VmacoreError, LookupError):
    """A task, symbol, VMA, ... that is not there (LOOKUP)."""
    code = 3


class FaultError(VmacoreError):
    code = 4


class NoDataError(FaultError):
    """The address is valid but its page is not in the dump."""
    code = 5


class CorruptError(VmacoreError):
    code = 6


class UnsupportedError(VmacoreError):
    code = 7


class HostError(VmacoreError, OSError):
    """A host system call failed (OS)."""
    code = 8


class OtherError(VmacoreError):
    code = 10


class IncompleteError(VmacoreError):
    """Not found, but part of what had to be read was lost: the answer is
    not known (the message names what was lost)."""
    code = 11


BY_CODE = {c.code: c for c in (NoMemoryError, InvalidError, NotFoundError,
                               FaultError, NoDataError, CorruptError,
                               UnsupportedError, HostError, OtherError,
                               IncompleteError)}
__all__ = ["VmacoreError", "NoMemoryError", "InvalidError", "NotFoundError",
           "FaultError", "NoDataError", "CorruptError", "UnsupportedError",
           "HostError", "OtherError", "IncompleteError"]


def _s(b):
    return b.decode("utf-8", "replace") if b is not None else None


def exception(lib, ptr):
    """The exception of a struct vmacore_error * (consumed)."""
    from ._lib import ErrorP
    e = ctypes.cast(ptr, ErrorP).contents
    cls = BY_CODE.get(e.code, VmacoreError)
    exc = cls(_s(e.message) or "", e.address, _s(e.file), e.line)
    lib.error_destroy(ptr)
    return exc
