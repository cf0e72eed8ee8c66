# SPDX-License-Identifier: GPL-2.0-or-later
"""_lib.py - libvmacore.so.0 through ctypes: finding it, the C structs of
lib/vmacore.h mirrored field by field, and the prototypes.

tests/vmcore/test-python checks every struct's size and field offsets here
against the header, compiled by the C compiler (struct_layouts()).
"""
import ctypes
import os

SONAME = "libvmacore.so.0"

u64, i64, u32, i32 = (ctypes.c_uint64, ctypes.c_int64, ctypes.c_uint32,
                      ctypes.c_int32)
c_bool, c_int, c_char_p, c_void_p, c_size_t = (
    ctypes.c_bool, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p,
    ctypes.c_size_t)
COMM_LEN = 16
NAME_MAX = 4352


def _struct(cname, fields):
    cls = type(cname, (ctypes.Structure,), {"_fields_": fields})
    cls.c_name = "struct " + cname
    return cls


Error = _struct("vmacore_error", [
    ("code", c_int), ("is_static", c_bool), ("address", u64),
    ("message", c_char_p), ("file", c_char_p), ("line", c_int)])
Task = _struct("vmacore_task", [
    ("addr", u64), ("pid", i32), ("tgid", i32),
    ("comm", ctypes.c_char * (COMM_LEN + 1)), ("mm", u64),
    ("is_leader", c_bool)])
TaskLoss = _struct("vmacore_task_loss", [
    ("gap", c_bool), ("leader", Task), ("after", u64), ("kthread", c_bool),
    ("code", c_int), ("message", c_char_p), ("file", c_char_p),
    ("line", c_int)])
Mm = _struct("vmacore_mm", [
    ("addr", u64), ("pgd", u64), ("map_count", i32), ("total_vm", u64),
    ("flags", u64), ("coredump_filter", u32), ("start_brk", u64),
    ("brk", u64), ("start_stack", u64), ("context_vdso", u64)])
Vma = _struct("vmacore_vma", [
    (n, u64) for n in ("addr", "vm_start", "vm_end", "vm_flags", "vm_pgoff",
                       "vm_file", "vm_ops", "anon_vma", "vm_mm", "anon_name",
                       "vm_private_data")])
VmaLoss = _struct("vmacore_vma_loss", [
    ("ranged", c_bool), ("start", u64), ("last", u64), ("code", c_int),
    ("message", c_char_p), ("file", c_char_p), ("line", c_int)])
MapsLine = _struct("vmacore_maps_line", [
    ("dev_major", u32), ("dev_minor", u32), ("ino", u64), ("pgoff", u64),
    ("partial", c_bool), ("perms", ctypes.c_char * 5),
    ("assumed", c_char_p), ("name", ctypes.c_char * NAME_MAX)])
FlagBit = _struct("vmacore_flag_bit", [
    ("mask", u64), ("name", c_char_p), ("code", ctypes.c_char * 3)])
Pte = _struct("vmacore_pte", [
    ("present", c_bool), ("pfn", u64), ("entry", u64), ("level", c_int),
    ("page_size", u64), ("young", c_bool), ("dirty", c_bool),
    ("soft_dirty", c_bool), ("special", c_bool), ("swap", c_bool),
    ("swap_type", u32), ("swap_offset", u64)])
Folio = _struct("vmacore_folio", [
    ("pfn", u64), ("page", u64), ("folio", u64), ("folio_pfn", u64),
    ("nr_pages", u64), ("order", ctypes.c_uint), ("flags", u64),
    ("mapping", u64), ("kind", c_int), ("hugetlb", c_bool), ("pgoff", u64)])
RmapHit = _struct("vmacore_rmap_hit", [
    ("pid", i32), ("comm", ctypes.c_char * (COMM_LEN + 1)), ("mm", u64),
    ("vma", u64), ("vm_start", u64), ("vm_end", u64), ("vaddr", u64),
    ("mapped", c_bool), ("pte_unreadable", c_bool), ("pte", Pte),
    ("kind", c_int)])
IntervalHit = _struct("vmacore_interval_hit", [
    (n, u64) for n in ("node", "vma", "start", "last")])
Avc = _struct("vmacore_avc", [
    (n, u64) for n in ("avc", "anon_vma", "root", "parent", "num_children",
                       "num_active_vmas")])
Verdict = _struct("vmacore_coredump_verdict", [
    ("size", u64), ("kind", c_int), ("rule", c_int), ("rule_name", c_char_p),
    ("filter_bit", c_int), ("reason", ctypes.c_char * 96)])

ErrorP = ctypes.POINTER(Error)
LOG_FN = ctypes.CFUNCTYPE(None, c_void_p, c_char_p)

# struct vmacore_target_ops: every callback returns struct vmacore_error *
# (c_void_p: a pointer the library frees, or None).
READ_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, u64, c_void_p, c_size_t,
                           c_bool)
SYMBOL_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_char_p,
                             ctypes.POINTER(u64), ctypes.POINTER(u64))
TYPE_SIZE_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_char_p,
                                ctypes.POINTER(u64))
MEMBER_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_char_p, c_char_p,
                             ctypes.POINTER(u64), ctypes.POINTER(u64))
ENUMERATOR_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_char_p,
                                 ctypes.POINTER(i64))
VMCOREINFO_FN = ctypes.CFUNCTYPE(c_void_p, c_void_p, c_char_p, c_void_p,
                                 c_size_t)
TargetOps = _struct("vmacore_target_ops", [
    ("read", READ_FN), ("symbol", SYMBOL_FN), ("type_size", TYPE_SIZE_FN),
    ("member", MEMBER_FN), ("enumerator", ENUMERATOR_FN),
    ("vmcoreinfo", VMCOREINFO_FN)])

# The calls of branch lib's vmacore_open() and vmacore_query().
OpenOpts = _struct("vmacore_open_opts", [
    ("sz", c_size_t), ("vmlinux", c_char_p), ("no_vmlinux", c_bool),
    ("dwarf", c_bool), ("force", c_bool), ("log", LOG_FN),
    ("log_arg", c_void_p), ("verbose", c_bool), ("cache_dir", c_char_p)])
QueryOpts = _struct("vmacore_query_opts", [
    ("sz", c_size_t), ("out_fd", c_int), ("err_fd", c_int), ("json", c_bool),
    ("prog", c_char_p), ("default_pid", c_int), ("verbose", c_bool),
    ("usage_name", c_char_p)])

STRUCTS = (Error, Task, TaskLoss, Mm, Vma, VmaLoss, MapsLine, FlagBit, Pte,
           Folio, RmapHit, IntervalHit, Avc, Verdict, TargetOps, OpenOpts,
           QueryOpts)


def struct_layouts():
    """[(C name, size, [(field, offset)])] of the mirrored structs, for the
    test that compares them with the compiler's."""
    return [(s.c_name, ctypes.sizeof(s),
             [(n, getattr(s, n).offset) for n, _ in s._fields_])
            for s in STRUCTS]


P = ctypes.POINTER
# name: (restype, argtypes); ERR = returns struct vmacore_error *.
ERR = "err"
_PROTOS = {
    "vmacore_error_create": (c_void_p, None),	# variadic
    "vmacore_error_fault": (c_void_p, None),	# variadic
    "vmacore_error_destroy": (None, [c_void_p]),
    "vmacore_error_code_name": (c_char_p, [c_int]),
    "vmacore_ctx_create": (ERR, [P(TargetOps), c_void_p, P(c_void_p)]),
    "vmacore_ctx_destroy": (None, [c_void_p]),
    "vmacore_ctx_set_log": (None, [c_void_p, LOG_FN, c_void_p]),
    "vmacore_ctx_page_size": (u64, [c_void_p]),
    "vmacore_ctx_drop_caches": (None, [c_void_p]),
    "vmacore_ctx_read": (ERR, [c_void_p, u64, c_void_p, c_size_t, c_bool]),
    "vmacore_task_iter_create": (ERR, [c_void_p, c_bool, P(c_void_p)]),
    "vmacore_task_iter_next": (ERR, [c_void_p, P(Task)]),
    "vmacore_task_iter_destroy": (None, [c_void_p]),
    "vmacore_task_iter_losses": (c_size_t, [c_void_p, P(P(TaskLoss))]),
    "vmacore_task_find": (ERR, [c_void_p, i32, P(Task)]),
    "vmacore_task_read": (ERR, [c_void_p, u64, P(Task)]),
    "vmacore_mm_read": (ERR, [c_void_p, u64, P(Mm)]),
    "vmacore_vma_iter_create": (ERR, [c_void_p, u64, P(c_void_p)]),
    "vmacore_vma_iter_next": (ERR, [c_void_p, P(Vma)]),
    "vmacore_vma_iter_losses": (c_size_t, [c_void_p, P(P(VmaLoss))]),
    "vmacore_vma_iter_partial": (c_bool, [c_void_p]),
    "vmacore_vma_iter_destroy": (None, [c_void_p]),
    "vmacore_vma_find": (ERR, [c_void_p, u64, u64, P(Vma), P(c_bool)]),
    "vmacore_vma_read": (ERR, [c_void_p, u64, P(Vma)]),
    "vmacore_vma_maps_line": (ERR, [c_void_p, P(Mm), P(Vma), P(MapsLine)]),
    "vmacore_vma_perms": (None, [c_void_p, u64, c_char_p]),
    "vmacore_file_path": (ERR, [c_void_p, u64, c_char_p, c_size_t]),
    "vmacore_flags_codes": (ERR, [c_void_p, u64, c_char_p, c_size_t]),
    "vmacore_flags_names": (ERR, [c_void_p, u64, c_char_p, c_size_t]),
    "vmacore_flags_table": (P(FlagBit), [c_void_p, P(c_size_t)]),
    "vmacore_flags_codes_builtin": (u64, [c_void_p]),
    "vmacore_pgtable_lookup": (ERR, [c_void_p, u64, u64, P(Pte)]),
    "vmacore_page_from_pfn": (ERR, [c_void_p, u64, P(u64)]),
    "vmacore_pfn_from_page": (ERR, [c_void_p, u64, P(u64)]),
    "vmacore_folio_read": (ERR, [c_void_p, u64, P(Folio)]),
    "vmacore_rmap_iter_create": (ERR, [c_void_p, u64, P(Folio),
                                       P(c_void_p)]),
    "vmacore_rmap_iter_next": (ERR, [c_void_p, P(RmapHit)]),
    "vmacore_rmap_iter_destroy": (None, [c_void_p]),
    "vmacore_rmap_iter_owners_lost": (c_char_p, [c_void_p]),
    "vmacore_imap_iter_create": (ERR, [c_void_p, u64, u64, u64,
                                       P(c_void_p)]),
    "vmacore_anon_iter_create": (ERR, [c_void_p, u64, u64, u64,
                                       P(c_void_p)]),
    "vmacore_interval_iter_next": (ERR, [c_void_p, P(IntervalHit)]),
    "vmacore_interval_iter_destroy": (None, [c_void_p]),
    "vmacore_anon_chain": (ERR, [c_void_p, u64, P(Avc), c_size_t,
                                 P(c_size_t)]),
    "vmacore_file_mapping": (ERR, [c_void_p, u64, P(u64)]),
    "vmacore_inode_mapping": (ERR, [c_void_p, u64, P(u64)]),
    "vmacore_mm_tasks": (ERR, [c_void_p, u64, P(Task), c_size_t,
                               P(c_size_t)]),
    "vmacore_coredump_vma": (ERR, [c_void_p, P(Mm), P(Vma), P(Verdict)]),
    "vmacore_coredump_gate_vma": (ERR, [c_void_p, P(Mm), P(Vma),
                                        P(c_bool)]),
    "vmacore_dump_kind_name": (c_char_p, [c_int]),
    # branch lib: opening a dump and the queries of the command
    "vmacore_open": (ERR, [c_char_p, P(OpenOpts), P(c_void_p)]),
    "vmacore_query": (c_int, [c_void_p, c_int, P(c_char_p), P(QueryOpts)]),
    "vmacore_query_names": (P(c_char_p), []),
    "vmacore_query_describe": (c_bool, [c_char_p, P(c_char_p), P(c_char_p)]),
    "vmacore_query_open_error": (c_int, [c_void_p, P(QueryOpts)]),
    "vmacore_maps_line_format": (c_size_t, [P(Vma), P(MapsLine), c_char_p,
                                            c_size_t]),
}
# Optional calls: a library without them still loads.
OPTIONAL = {"vmacore_open", "vmacore_query", "vmacore_query_names",
            "vmacore_query_describe", "vmacore_query_open_error",
            "vmacore_maps_line_format"}


def _candidates():
    env = os.environ.get("VMACORE_LIBRARY")
    if env:
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.dirname(os.path.dirname(here))
    build = os.environ.get("BUILD", "build")
    res = [os.path.join(tree, build, SONAME)]
    if build != "build":
        res.append(os.path.join(tree, "build", SONAME))
    # in-tree only when this is the source tree (python/vmacore)
    res = [p for p in res if os.path.basename(os.path.dirname(here)) ==
           "python" and os.path.exists(p)]
    return res + [SONAME]


class Library:
    """The loaded library: .lib (the CDLL), .path, .stop (the address of
    vmacore_stop) and each prototype set."""

    def __init__(self):
        errors = []
        for path in _candidates():
            try:
                self.lib = ctypes.CDLL(path)
                self.path = path
                break
            except OSError as e:
                errors.append("%s: %s" % (path, e))
        else:
            raise ImportError("cannot load libvmacore: %s (set VMACORE_LIBRARY"
                              " to its path)" % "; ".join(errors))
        self.missing = set()
        for name, (res, args) in _PROTOS.items():
            try:
                fn = getattr(self.lib, name)
            except AttributeError:
                if name not in OPTIONAL:
                    raise ImportError("cannot load libvmacore: %s has no %s"
                                      % (self.path, name))
                self.missing.add(name)
                continue
            fn.restype = c_void_p if res == ERR else res
            if args is not None:
                fn.argtypes = args
            setattr(self, name[len("vmacore_"):], fn)
        self.stop = ctypes.addressof(Error.in_dll(self.lib, "vmacore_stop"))
        self.enomem = ctypes.addressof(Error.in_dll(self.lib,
                                                    "vmacore_enomem"))

    def has(self, name):
        return ("vmacore_" + name) not in self.missing


_LIB = None


def lib():
    global _LIB
    if _LIB is None:
        _LIB = Library()
    return _LIB
