# SPDX-License-Identifier: GPL-2.0-or-later
"""vmacore: VMAs, vm_flags, reverse map and core-dump verdicts of a dumped
Linux kernel, from Python (libvmacore.so.0 through ctypes).

    import vmacore
    with vmacore.open("vmcore", "vmlinux") as dump:
        for task in dump.processes():
            for vma in task.vmas():
                print(vma.line, vma.flags.codes)

    dump = vmacore.from_drgn(prog)	# on whatever drgn opened

See docs/scripting.md.  The library is found through $VMACORE_LIBRARY, then
the source tree's build/libvmacore.so.0, then the installed one.
"""
from .core import (open, Dump, Task, Mm, Vma, VmFlags, VmaWalk, TaskWalk,
                   Rmap, RmapHit, IntervalWalk, Coredump, Verdict, Loss)
from .errors import (VmacoreError, NoMemoryError, InvalidError, NotFoundError,
                     FaultError, NoDataError, CorruptError, UnsupportedError,
                     HostError, OtherError, IncompleteError)

__version__ = "0.1"


def from_drgn(prog):
    """A Dump read through a drgn.Program (its memory, symbols and types;
    libdrgn does the reading)."""
    from ._drgn import from_drgn as f
    return f(prog)


def library_path():
    """The path of the libvmacore in use."""
    from ._lib import lib
    return lib().path


__all__ = ["open", "from_drgn", "Dump", "Task", "Mm", "Vma", "VmFlags",
           "VmaWalk", "TaskWalk", "Rmap", "RmapHit", "IntervalWalk",
           "Coredump", "Verdict", "Loss", "library_path", "VmacoreError",
           "NoMemoryError", "InvalidError", "NotFoundError", "FaultError",
           "NoDataError", "CorruptError", "UnsupportedError", "HostError",
           "OtherError", "IncompleteError"]
