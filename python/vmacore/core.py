# SPDX-License-Identifier: GPL-2.0-or-later
"""core.py - a dumped kernel as Python objects over libvmacore.

Every walk is a generator over the library's iterator: nothing is listed
before it is asked for.  What a walk could not read is on the walk object
(.losses, .complete) once it has been iterated; a call that cannot answer
at all raises the library's error as an exception (errors.py).
"""
import collections
import ctypes
import os

from . import _lib
from ._lib import lib as _get_lib
from .errors import exception, NotFoundError

U64_MAX = (1 << 64) - 1
# show_map_vma(): the name starts at column 73 (fs/proc/task_mmu.c)
MAPS_NAME_COLUMN = 73
WARNINGS_KEPT = 1000


def _s(b):
    """C string to str, as the library wrote it (bytes kept by
    surrogateescape, like vmacore's output read as UTF-8)."""
    return b.decode("utf-8", "surrogateescape") if b is not None else None


class _Ctx:
    """Owns one struct vmacore_ctx and what must outlive it (the target's
    callbacks, the log callback)."""

    def __init__(self, L, ptr, keep):
        self.L = L
        self.ptr = ptr
        self.keep = keep

    def destroy(self):
        if self.ptr:
            self.L.ctx_destroy(self.ptr)
            self.ptr = None


class Loss:
    """Something a walk could not read: .message (ready to print), .code,
    and for VMA walks .start/.last (inclusive; None when the loss has no
    range), for task walks .leader_pid/.gap/.kthread."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return "Loss(%r)" % self.message

    def __str__(self):
        return self.message


class Walk:
    """Base of the streaming walks: iterate once; then .losses and
    .complete say what was missed.  Usable as a context manager (closes
    the C iterator early)."""

    def __init__(self, dump):
        self.dump = dump
        self.losses = []
        self.done = False
        self._it = None
        self._started = False

    @property
    def complete(self):
        """True once the walk ended without a loss (None while it runs)."""
        if not self.done:
            return None
        return not self.losses

    def _start(self):
        if self._started:
            raise RuntimeError("a walk is iterated once: ask for a new one")
        self._started = True

    def close(self):
        """Free the C iterator; a loop over the walk then ends."""
        if self._it:
            self._destroy(self._it)
            self._it = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class TaskWalk(Walk):
    """Tasks of init_task.tasks (with threads=True each group's threads)."""

    def __init__(self, dump, threads):
        super().__init__(dump)
        self.threads = threads

    def _destroy(self, it):
        self.dump._L.task_iter_destroy(it)

    def _losses(self):
        arr = ctypes.POINTER(_lib.TaskLoss)()
        n = self.dump._L.task_iter_losses(self._it, ctypes.byref(arr))
        self.losses = [Loss(message=_s(arr[i].message), code=arr[i].code,
                            gap=arr[i].gap, kthread=arr[i].kthread,
                            leader_pid=arr[i].leader.pid,
                            after=arr[i].after) for i in range(n)]

    def __iter__(self):
        d = self.dump
        L = d._L
        it = ctypes.c_void_p()
        self._start()
        d._check(L.task_iter_create(d._ptr, self.threads, ctypes.byref(it)))
        self._it = it
        t = _lib.Task()
        ref = ctypes.byref(t)
        stop = L.stop
        try:
            while self._it:
                e = L.task_iter_next(it, ref)
                if e:
                    if e == stop:
                        break
                    self._losses()
                    raise exception(L, e)
                yield Task(d, t)
            if self._it:	# not closed early
                self._losses()
                self.done = True
        finally:
            self.close()


class Task:
    """A task: .addr (task_struct), .pid, .tgid, .comm, .mm (mm_struct
    address, 0 for kernel threads), .is_leader."""
    __slots__ = ("dump", "addr", "pid", "tgid", "comm", "mm", "is_leader")

    def __init__(self, dump, t):
        self.dump = dump
        self.addr = t.addr
        self.pid = t.pid
        self.tgid = t.tgid
        self.comm = _s(t.comm)
        self.mm = t.mm
        self.is_leader = t.is_leader

    def __repr__(self):
        return "Task(pid=%d, tgid=%d, comm=%r, mm=%#x)" % (
            self.pid, self.tgid, self.comm, self.mm)

    def vmas(self):
        """The VMAs of this task's mm (a VmaWalk)."""
        if not self.mm:
            raise NotFoundError("pid %d (%s) has no mm" % (self.pid,
                                                           self.comm))
        return self.dump.vmas(self.mm)

    def mm_struct(self):
        return self.dump.mm(self.mm)

    def coredump(self):
        return self.dump.coredump(self)


class Mm:
    """struct vmacore_mm: .addr, .pgd, .map_count, .total_vm, .flags,
    .coredump_filter, .start_brk, .brk, .start_stack, .context_vdso."""

    def __init__(self, c):
        self._c = c
        for n, _ in _lib.Mm._fields_:
            setattr(self, n, getattr(c, n))

    def __repr__(self):
        return "Mm(addr=%#x, map_count=%d)" % (self.addr, self.map_count)


class Vma:
    """One vm_area_struct: .addr, .start, .end (exclusive), .flags (the
    dump's VmFlags), .pgoff (vm_pgoff, pages), .file (struct file address,
    0 if anonymous), .anon_vma, .vm_ops, .mm; computed on demand: .path
    (d_path() of the file, None if anonymous), .name (what maps prints in
    the name column), .line (the /proc/PID/maps line), .perms, .maps (all
    the columns)."""
    __slots__ = ("dump", "_c", "_mm", "start", "end", "_ml")

    def __init__(self, dump, c, mm):
        self.dump = dump
        self._c = c
        self._mm = mm
        self.start = c.vm_start
        self.end = c.vm_end
        self._ml = None

    addr = property(lambda self: self._c.addr)
    pgoff = property(lambda self: self._c.vm_pgoff)
    file = property(lambda self: self._c.vm_file)
    anon_vma = property(lambda self: self._c.anon_vma)
    vm_ops = property(lambda self: self._c.vm_ops)
    mm = property(lambda self: self._c.vm_mm)
    anon_name = property(lambda self: self._c.anon_name)
    vm_private_data = property(lambda self: self._c.vm_private_data)
    size = property(lambda self: self.end - self.start)

    @property
    def flags(self):
        return self.dump.Flags(self._c.vm_flags)

    @property
    def maps(self):
        """struct vmacore_maps_line: .dev_major, .dev_minor, .ino, .pgoff
        (bytes), .perms, .name, .partial, .assumed."""
        if self._ml is None:
            self._ml = self.dump._maps_line(self._mm, self._c)
        return self._ml

    @property
    def name(self):
        return _s(self.maps.name)

    @property
    def perms(self):
        return _s(self.maps.perms)

    @property
    def path(self):
        if not self._c.vm_file:
            return None
        return self.dump.file_path(self._c.vm_file)

    @property
    def line(self):
        ml = self._ml
        if ml is None:
            # the dump's scratch buffer: a line is the common question
            ml = self.dump._maps_line(self._mm, self._c, self.dump._ml)
        return self.dump._format_line(self._c, ml)

    def __repr__(self):
        return "Vma(%#x-%#x %s)" % (self.start, self.end, self.flags)


class VmaWalk(Walk):
    """The VMAs of one mm in address order (the maple tree mm->mm_mt)."""

    def __init__(self, dump, mm):
        super().__init__(dump)
        self.mm = mm

    def _destroy(self, it):
        self.dump._L.vma_iter_destroy(it)

    def _losses(self):
        arr = ctypes.POINTER(_lib.VmaLoss)()
        n = self.dump._L.vma_iter_losses(self._it, ctypes.byref(arr))
        self.losses = [Loss(message=_s(l.message), code=l.code,
                            start=l.start if l.ranged else None,
                            last=l.last if l.ranged else None)
                       for l in (arr[i] for i in range(n))]

    def __iter__(self):
        d = self.dump
        L = d._L
        mm = self.mm
        it = ctypes.c_void_p()
        self._start()
        d._check(L.vma_iter_create(d._ptr, mm.addr, ctypes.byref(it)))
        self._it = it
        nxt, stop, VmaC = L.vma_iter_next, L.stop, _lib.Vma
        try:
            while self._it:
                c = VmaC()
                e = nxt(it, c)
                if e:
                    if e == stop:
                        break
                    self._losses()
                    raise exception(L, e)
                yield Vma(d, c, mm)
            if self._it:	# not closed early
                self._losses()
                self.done = True
        finally:
            self.close()


class VmFlags(int):
    """A vm_flags value of one dump: int, with this kernel's long names
    (.names, str()) and smaps codes (.codes).  Each dump has its own
    subclass (dump.Flags) carrying its table; dump.Flags.DONTDUMP etc. are
    the single flags by their kernel names."""
    _dump = None

    @property
    def names(self):
        return self._dump._flag_text(int(self), False).split("|") \
            if int(self) else []

    @property
    def codes(self):
        # a new list each time (the caller may change it), split once
        d = self._dump
        v = int(self)
        t = d._codes_cache.get(v)
        if t is None:
            t = d._codes_cache[v] = tuple(d._flag_text(v, True).split())
        return list(t)

    def __contains__(self, name):
        mask = getattr(type(self), name.upper(), None)
        return bool(mask) and (int(self) & mask) == mask

    def __str__(self):
        return "|".join(self.names)

    def __repr__(self):
        return "VmFlags(%#x: %s)" % (int(self), self)

    def __or__(self, o):
        return type(self)(int(self) | int(o))

    def __and__(self, o):
        return type(self)(int(self) & int(o))

    __ror__, __rand__ = __or__, __and__


class RmapHit:
    """One (process, VMA, address) the kernel's rmap_walk() visits for a
    page: .pid (-1: no task uses the mm), .comm, .mm, .vma, .vm_start,
    .vm_end, .vaddr, .mapped (the page table maps the pfn there),
    .pte_unreadable, .pte (.present, .pfn, .entry, .level, .page_size,
    .young, .dirty, .soft_dirty, .special, .swap, .swap_type, .swap_offset),
    .kind ("file", "anon", "ksm")."""
    KINDS = ("file", "anon", "ksm")

    def __init__(self, h):
        for n in ("pid", "mm", "vma", "vm_start", "vm_end", "vaddr",
                  "mapped", "pte_unreadable"):
            setattr(self, n, getattr(h, n))
        self.comm = _s(h.comm)
        self.pte = Loss(**{n: getattr(h.pte, n) for n, _ in
                           _lib.Pte._fields_})
        self.kind = self.KINDS[h.kind] if 0 <= h.kind < 3 else h.kind

    def __repr__(self):
        return "RmapHit(pid=%d, vaddr=%#x, mapped=%s)" % (
            self.pid, self.vaddr, self.mapped)


class Rmap:
    """Who maps page .pfn: iterate for the RmapHits; .folio (the decoded
    folio); .owners_lost (why .pid/.comm of a hit may be unknown)."""
    PAGE_KINDS = ("none", "file", "anon", "ksm", "movable", "typed")

    def __init__(self, dump, pfn):
        self.dump = dump
        self.pfn = pfn
        L = dump._L
        f = _lib.Folio()
        it = ctypes.c_void_p()
        dump._check(L.rmap_iter_create(dump._ptr, pfn, ctypes.byref(f),
                                       ctypes.byref(it)))
        self.folio = Loss(**{n: getattr(f, n) for n, _ in
                             _lib.Folio._fields_})
        self.folio.kind = self.PAGE_KINDS[f.kind] \
            if 0 <= f.kind < 6 else f.kind
        try:
            self.owners_lost = _s(L.rmap_iter_owners_lost(it))
            self.hits = []
            h = _lib.RmapHit()
            while True:
                e = L.rmap_iter_next(it, ctypes.byref(h))
                if e:
                    if e == L.stop:
                        break
                    raise exception(L, e)
                self.hits.append(RmapHit(h))
        finally:
            L.rmap_iter_destroy(it)

    complete = property(lambda self: self.owners_lost is None)

    def __iter__(self):
        return iter(self.hits)

    def __len__(self):
        return len(self.hits)

    def mapped(self):
        """The hits whose page table maps this pfn."""
        return [h for h in self.hits if h.mapped]


class IntervalWalk(Walk):
    """Nodes of an i_mmap or anon_vma interval tree overlapping [first,
    last]: (node, vma, start, last) tuples, streamed."""
    Hit = collections.namedtuple("IntervalHit", "node vma start last")

    def __init__(self, dump, create, root, first, last):
        super().__init__(dump)
        self._create = create
        self.root = root
        self.first = first
        self.last = last

    def _destroy(self, it):
        self.dump._L.interval_iter_destroy(it)

    def __iter__(self):
        d = self.dump
        L = d._L
        it = ctypes.c_void_p()
        self._start()
        d._check(self._create(d._ptr, self.root, self.first, self.last,
                              ctypes.byref(it)))
        self._it = it
        h = _lib.IntervalHit()
        try:
            while self._it:
                e = L.interval_iter_next(it, ctypes.byref(h))
                if e:
                    if e == L.stop:
                        break
                    raise exception(L, e)
                yield self.Hit(h.node, h.vma, h.start, h.last)
            self.done = self._it is not None
        finally:
            self.close()


class Verdict:
    """vma_dump_size()'s answer for one VMA: .kind ("full", "first-page",
    "none", "unknown"), .size (bytes a core dump writes), .rule (the
    deciding branch, "dontdump", ...), .filter_bit, .reason."""

    def __init__(self, L, v):
        self.size = v.size
        self.kind = _s(L.dump_kind_name(v.kind))
        self.rule = _s(v.rule_name)
        self.filter_bit = v.filter_bit
        self.reason = _s(v.reason)

    def __repr__(self):
        return "Verdict(%s, %#x, %s)" % (self.kind, self.size, self.rule)


class Coredump(Walk):
    """The core-dump verdict of each VMA of a task, in the order a core
    file lists them (the maple tree's, then the gate VMA): (Vma, Verdict)
    pairs, streamed; .losses as for a VMA walk."""

    def __init__(self, dump, task):
        super().__init__(dump)
        self.task = task
        self.mm = dump.mm(task.mm)

    def __iter__(self):
        d = self.dump
        L = d._L
        mm_c = self.mm._c
        walk = VmaWalk(d, self.mm)
        v = _lib.Verdict()
        for vma in walk:
            d._check(L.coredump_vma(d._ptr, mm_c, vma._c, ctypes.byref(v)))
            yield vma, Verdict(L, v)
        self.losses = walk.losses
        gate, found = _lib.Vma(), ctypes.c_bool()
        d._check(L.coredump_gate_vma(d._ptr, mm_c, ctypes.byref(gate),
                                     ctypes.byref(found)))
        if found.value:
            d._check(L.coredump_vma(d._ptr, mm_c, gate, ctypes.byref(v)))
            yield Vma(d, gate, self.mm), Verdict(L, v)
        self.done = True

    def dropped(self):
        """The (Vma, Verdict) pairs a core dump would not write in full."""
        return [(m, v) for m, v in self if v.kind != "full"]


class Dump:
    """One dumped kernel (vmacore.open() or vmacore.from_drgn()).

    .tasks(threads=False), .processes(), .task(pid), .mm(addr),
    .vmas(mm), .vma_at(task, addr), .flags(value), .Flags, .flag_table,
    .rmap(pfn=, page=), .imap(path or mapping=/inode=/file=), .anon(task,
    addr), .coredump(task), .file_path(file), .read(addr, size),
    .query(argv) (a vmacore subcommand's output), .warnings."""

    def __init__(self, L, ptr, keep=(), owner=None):
        self._L = L
        self._ctx = _Ctx(L, ptr, keep)
        self._ptr = ptr
        self.owner = owner
        self.warnings = collections.deque(maxlen=WARNINGS_KEPT)
        self.on_warning = None
        self._flag_cache = {}
        self._codes_cache = {}
        self._log_cb = _lib.LOG_FN(self._log)
        L.ctx_set_log(ptr, self._log_cb, None)
        self.page_size = L.ctx_page_size(ptr)
        self._table = None
        self.Flags = self._make_flags_type()
        # scratch buffers of Vma.line (a Dump is used by one thread)
        self._ml = _lib.MapsLine()
        self._line_buf = ctypes.create_string_buffer(_lib.NAME_MAX + 128)
        self._has_format = L.has("maps_line_format")
        # bound once: Vma.line calls them for every VMA of a walk
        self._vma_maps_line = L.vma_maps_line
        self._maps_line_format = L.maps_line_format \
            if self._has_format else None

    # -- life ----------------------------------------------------------
    def close(self):
        self._ctx.destroy()
        self._ptr = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _log(self, arg, msg):
        msg = _s(msg)
        self.warnings.append(msg)
        if self.on_warning:
            self.on_warning(msg)

    def _check(self, e):
        if e:
            raise exception(self._L, e)

    def drop_caches(self):
        """Forget the task index (a live kernel changes under us)."""
        self._L.ctx_drop_caches(self._ptr)

    # -- tasks ---------------------------------------------------------
    def tasks(self, threads=False):
        """Thread-group leaders (every thread with threads=True), streamed
        (a TaskWalk: .losses after iteration)."""
        return TaskWalk(self, threads)

    def processes(self):
        """The processes vmacore ps lists: leaders with an mm."""
        for t in self.tasks():
            if t.mm:
                yield t

    def task(self, pid):
        """The task with thread id @pid (NotFoundError if none;
        IncompleteError if it may be in a part that could not be read)."""
        if isinstance(pid, Task):
            return pid
        t = _lib.Task()
        self._check(self._L.task_find(self._ptr, int(pid), ctypes.byref(t)))
        return Task(self, t)

    def task_at(self, addr):
        t = _lib.Task()
        self._check(self._L.task_read(self._ptr, int(addr), ctypes.byref(t)))
        return Task(self, t)

    def mm(self, addr):
        """The mm_struct at @addr (an Mm; a Task gives its mm)."""
        if isinstance(addr, Mm):
            return addr
        if isinstance(addr, Task):
            if not addr.mm:
                raise NotFoundError("pid %d (%s) has no mm" % (addr.pid,
                                                               addr.comm))
            addr = addr.mm
        c = _lib.Mm()
        self._check(self._L.mm_read(self._ptr, int(addr), ctypes.byref(c)))
        return Mm(c)

    # -- VMAs ----------------------------------------------------------
    def vmas(self, mm):
        """The VMAs of @mm (an address, Mm, Task or pid), streamed."""
        if isinstance(mm, int) and not isinstance(mm, Task) and \
                mm < (1 << 32):
            mm = self.task(mm)
        return VmaWalk(self, self.mm(mm))

    def vma_at(self, task, addr):
        """The VMA of @task (pid or Task) containing @addr, or None."""
        mm = self.mm(self.task(task))
        c, found = _lib.Vma(), ctypes.c_bool()
        self._check(self._L.vma_find(self._ptr, mm.addr, int(addr),
                                     ctypes.byref(c), ctypes.byref(found)))
        return Vma(self, c, mm) if found.value else None

    def vma(self, addr, mm=None):
        """The vm_area_struct at @addr."""
        c = _lib.Vma()
        self._check(self._L.vma_read(self._ptr, int(addr), ctypes.byref(c)))
        return Vma(self, c, self.mm(mm or c.vm_mm))

    def _maps_line(self, mm, c, ml=None):
        if ml is None:
            ml = _lib.MapsLine()
        e = self._vma_maps_line(self._ptr, mm._c, c, ml)
        if e:
            raise exception(self._L, e)
        return ml

    def _format_line(self, c, ml):
        if self._has_format:
            buf = self._line_buf
            n = self._maps_line_format(c, ml, buf, len(buf))
            return (buf.value if n < len(buf) else buf.raw[:-1]).decode(
                "utf-8", "surrogateescape")  # _s(), inline
        # a library without vmacore_maps_line_format(): show_map_vma()
        s = "%08x-%08x %s %08x %02x:%02x %d " % (
            c.vm_start, c.vm_end, _s(ml.perms), ml.pgoff, ml.dev_major,
            ml.dev_minor, ml.ino)
        if ml.name:
            s = s.ljust(MAPS_NAME_COLUMN - 1) + " " + _s(ml.name)
        return s

    def file_path(self, file):
        """d_path() of a struct file, as /proc/PID/maps prints it."""
        buf = ctypes.create_string_buffer(_lib.NAME_MAX)
        self._check(self._L.file_path(self._ptr, int(file), buf, len(buf)))
        return _s(buf.value)

    # -- flags ---------------------------------------------------------
    @property
    def flag_table(self):
        """[(mask, long name or None, smaps code or "")] of bits 0..63, as
        this dump's kernel names them."""
        if self._table is None:
            n = ctypes.c_size_t()
            t = self._L.flags_table(self._ptr, ctypes.byref(n))
            self._table = [(t[i].mask, _s(t[i].name), _s(t[i].code))
                           for i in range(n.value)]
        return self._table

    def _make_flags_type(self):
        cls = type("VmFlags", (VmFlags,), {"_dump": self})
        for mask, name, _ in self.flag_table:
            if name:
                setattr(cls, name.upper(), mask)
        return cls

    def flags(self, value):
        """@value decoded with this kernel's names (a dump.Flags)."""
        return self.Flags(int(value))

    @property
    def codes_builtin(self):
        """Bits whose smaps code is vmacore's built-in table, not the
        dump's (vmacore_flags_codes_builtin())."""
        return self._L.flags_codes_builtin(self._ptr)

    def _flag_text(self, value, codes):
        key = (value, codes)
        s = self._flag_cache.get(key)
        if s is None:
            buf = ctypes.create_string_buffer(1024)
            fn = self._L.flags_codes if codes else self._L.flags_names
            self._check(fn(self._ptr, value, buf, len(buf)))
            s = self._flag_cache[key] = _s(buf.value)
        return s

    # -- pages ---------------------------------------------------------
    def page_of(self, pfn):
        r = _lib.u64()
        self._check(self._L.page_from_pfn(self._ptr, int(pfn),
                                          ctypes.byref(r)))
        return r.value

    def pfn_of(self, page):
        r = _lib.u64()
        self._check(self._L.pfn_from_page(self._ptr, int(page),
                                          ctypes.byref(r)))
        return r.value

    def rmap(self, pfn=None, *, page=None, phys=None):
        """Who maps a page, given as a pfn, a struct page address (page=,
        an int or a drgn Object) or a physical address (phys=): an Rmap."""
        if page is not None:
            pfn = self.pfn_of(_value(page))
        elif phys is not None:
            pfn = int(phys) // self.page_size
        if pfn is None:
            raise TypeError("rmap() needs a pfn, page= or phys=")
        return Rmap(self, int(pfn))

    def pte(self, task, vaddr):
        """What @task's page table holds for @vaddr."""
        mm = self.mm(self.task(task))
        p = _lib.Pte()
        self._check(self._L.pgtable_lookup(self._ptr, mm.pgd, int(vaddr),
                                           ctypes.byref(p)))
        return Loss(**{n: getattr(p, n) for n, _ in _lib.Pte._fields_})

    # -- files, anon_vmas ----------------------------------------------
    def mapping_of(self, path=None, *, mapping=None, inode=None, file=None):
        """The address_space of a file: its path as maps prints it (the
        first VMA of any process that maps it), or an address."""
        r = _lib.u64()
        if mapping is not None:
            return _value(mapping)
        if inode is not None:
            self._check(self._L.inode_mapping(self._ptr, _value(inode),
                                              ctypes.byref(r)))
            return r.value
        if file is not None:
            self._check(self._L.file_mapping(self._ptr, _value(file),
                                             ctypes.byref(r)))
            return r.value
        lost = []
        tasks = self.tasks()
        for t in tasks:
            if not t.mm:
                continue
            walk = VmaWalk(self, self.mm(t.mm))
            last = 0
            for v in walk:
                if not v.file or v.file == last:
                    continue
                last = v.file
                try:
                    p = self.file_path(v.file)
                except Exception as e:
                    lost.append("pid %d: %s" % (t.pid, e))
                    continue
                if p == path or p == path + " (deleted)":
                    walk.close()
                    return self.mapping_of(file=v.file)
            lost += ["pid %d: %s" % (t.pid, l) for l in walk.losses[:1]]
        lost += [l.message for l in tasks.losses[:1]]
        if lost:
            from .errors import IncompleteError
            raise IncompleteError("no process maps %s, but %d part%s of "
                                  "address spaces could not be read "
                                  "(first: %s)" % (path, len(lost),
                                                   "" if len(lost) == 1
                                                   else "s", lost[0]))
        raise NotFoundError("no process maps %s" % path)

    def imap(self, path=None, first=0, last=U64_MAX, **where):
        """VMAs of a file's i_mmap tree overlapping page offsets [first,
        last]: an IntervalWalk of (node, vma, start, last); path as
        mapping_of()."""
        m = self.mapping_of(path, **where)
        return IntervalWalk(self, self._L.imap_iter_create, m, first, last)

    def anon(self, task, addr=None):
        """The anon_vma chain of a VMA (a Vma, or task and address): a
        list of (avc, the VMAs of that anon_vma's tree as an
        IntervalWalk)."""
        vma = task if isinstance(task, Vma) else self.vma_at(task, addr)
        if vma is None:
            raise NotFoundError("no VMA at %#x" % int(addr))
        n, cap = ctypes.c_size_t(), 4096
        arr = (_lib.Avc * cap)()
        self._check(self._L.anon_chain(self._ptr, vma.addr, arr, cap,
                                       ctypes.byref(n)))
        res = []
        for a in arr[:n.value]:
            avc = Loss(**{f: getattr(a, f) for f, _ in _lib.Avc._fields_})
            res.append((avc, IntervalWalk(self, self._L.anon_iter_create,
                                          a.anon_vma, 0, U64_MAX)))
        return res

    def mm_tasks(self, mm):
        """The processes whose mm is @mm."""
        cap = 64
        while True:
            arr, n = (_lib.Task * cap)(), ctypes.c_size_t()
            self._check(self._L.mm_tasks(self._ptr, _value(mm), arr, cap,
                                         ctypes.byref(n)))
            if n.value <= cap:
                return [Task(self, arr[i]) for i in range(n.value)]
            cap = n.value

    # -- core dumps ----------------------------------------------------
    def coredump(self, task):
        """vma_dump_size()'s verdict on each VMA of @task (pid or Task):
        a Coredump of (Vma, Verdict)."""
        return Coredump(self, self.task(task))

    # -- raw -----------------------------------------------------------
    def read(self, addr, size, physical=False):
        buf = ctypes.create_string_buffer(size)
        self._check(self._L.ctx_read(self._ptr, int(addr), buf, size,
                                     physical))
        return buf.raw

    # -- the command's queries -----------------------------------------
    def query(self, argv, json=False, out=None, err=None, prog="vmacore",
              default_pid=0, verbose=False, usage_name=None):
        """Run a vmacore subcommand (argv[0] = "maps", ...), printing what
        `vmacore SUBCOMMAND ...` prints to the file descriptors @out and
        @err (default: captured).  @usage_name: the command as typed
        ("vmaps") for usage lines, instead of "@prog SUBCOMMAND".  Return
        (status, out text, err text); the texts are None for a descriptor
        given."""
        L = self._L
        if not L.has("query"):
            raise NotImplementedError("%s has no vmacore_query()" %
                                      L.path)
        import tempfile
        files = []
        fds = []
        for fd in (out, err):
            if fd is None:
                f = tempfile.TemporaryFile()
                files.append(f)
                fds.append(f.fileno())
            else:
                files.append(None)
                fds.append(fd if isinstance(fd, int) else fd.fileno())
        opts = _lib.QueryOpts(sz=ctypes.sizeof(_lib.QueryOpts),
                              out_fd=fds[0], err_fd=fds[1], json=json,
                              prog=prog.encode(), default_pid=default_pid,
                              verbose=verbose,
                              usage_name=usage_name.encode()
                              if usage_name else None)
        args = [os.fsencode(a) for a in argv]
        arr = (ctypes.c_char_p * (len(args) + 1))(*args, None)
        status = L.query(self._ptr, len(args), arr, ctypes.byref(opts))
        texts = []
        for f in files:
            if f is None:
                texts.append(None)
                continue
            f.seek(0)
            texts.append(f.read().decode("utf-8", "surrogateescape"))
            f.close()
        return status, texts[0], texts[1]


def _value(x):
    """An int from an int or a drgn Object (its value)."""
    v = getattr(x, "value_", None)
    return int(v() if v else x)


def open(core, vmlinux=None, *, no_vmlinux=False, dwarf=False, force=False,
         verbose=False, log=None, cache_dir=None):
    """Open a dump with libvmacore's own reader (libkdumpfile): a Dump.
    @log(message) gets what the opening says (-v, --force's warning).
    @cache_dir: where decoded pages are kept between runs with the dump
    alone (struct vmacore_open_opts); None: not kept."""
    L = _get_lib()
    if not L.has("open"):
        raise NotImplementedError("%s has no vmacore_open()" % L.path)
    keep = []
    opts = _lib.OpenOpts(sz=ctypes.sizeof(_lib.OpenOpts),
                         vmlinux=os.fsencode(vmlinux) if vmlinux else None,
                         no_vmlinux=no_vmlinux, dwarf=dwarf, force=force,
                         verbose=verbose,
                         cache_dir=os.fsencode(cache_dir) if cache_dir
                         else None)
    if log:
        cb = _lib.LOG_FN(lambda arg, msg: log(_s(msg)))
        keep.append(cb)
        opts.log = cb
    ptr = ctypes.c_void_p()
    e = L.open(os.fsencode(core), ctypes.byref(opts), ctypes.byref(ptr))
    if e:
        raise exception(L, e)
    d = Dump(L, ptr.value, keep)
    d.on_warning = log
    return d
