# SPDX-License-Identifier: GPL-2.0-or-later
"""cli.py - `python3 -m vmacore`: the vmacore command, in Python.

The same global options as vmacore(1) (cmd/main.c), the dump opened by
vmacore_open() and the subcommand run by vmacore_query(), so the output is
byte for byte the command's.  With --drgn the dump is opened by drgn
instead and read through vmacore.from_drgn().
"""
import ctypes
import getopt
import os
import sys

from . import _lib
from .core import Dump, _s

VERSION = "0.1"
USAGE = """\
usage: vmacore [-c VMCORE] [-k VMLINUX | --no-vmlinux] [--dwarf] [--json]
               [-v] [--force] [--no-cache] [--drgn]
               SUBCOMMAND [ARGS]
       vmacore VMLINUX VMCORE SUBCOMMAND [ARGS]

  -c, --core VMCORE     the dump (ELF, kdump-compressed, flattened, filtered)
  -k, --vmlinux FILE    its vmlinux (default: found from the dump's release
                        under /usr/lib/debug, else none: the dump alone)
      --no-vmlinux      symbols and types from the dump alone (kallsyms, BTF)
      --dwarf           read types from DWARF instead of BTF
      --json            print JSON (see vmacore(1) for the schema)
      --force           use a vmlinux that does not match the dump
      --no-cache        with the dump alone, decode its BTF again rather than
                        keep it in $XDG_CACHE_HOME/vmacore/decoded
  -v, --verbose         say what is done and warn about everything
      --drgn            open the dump with drgn (python3 -m vmacore only)

subcommands:
"""
LONG = ["core=", "vmlinux=", "no-vmlinux", "dwarf", "json", "force",
        "verbose", "help", "version", "drgn", "no-cache"]
STATUS_USAGE, STATUS_DUMP = 2, 3


def queries(L):
    """[(name, synopsis, summary)] of the library's queries."""
    res = []
    names = L.query_names()
    i = 0
    while names[i]:
        syn, summ = ctypes.c_char_p(), ctypes.c_char_p()
        if L.has("query_describe"):
            L.query_describe(names[i], ctypes.byref(syn), ctypes.byref(summ))
        res.append((_s(names[i]), _s(syn.value) or "", _s(summ.value) or ""))
        i += 1
    return res


def usage(L, f):
    f.write(USAGE)
    for name, syn, summ in queries(L):
        f.write("  %-9s %-24s %s\n" % (name, syn, summ))
    f.flush()


def default_cache_dir():
    """Where vmacore(1) keeps decoded pages (cmd/main.c)."""
    xdg, home = os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME")
    if xdg and xdg.startswith("/"):
        return os.fsencode(xdg) + b"/vmacore/decoded"
    if home and home.startswith("/"):
        return os.fsencode(home) + b"/.cache/vmacore/decoded"
    return None


def is_vmlinux(path):
    """An ELF executable (ET_EXEC) rather than a dump."""
    try:
        with open(path, "rb") as f:
            h = f.read(18)
    except OSError:
        return False
    return len(h) == 18 and h[:4] == b"\x7fELF" and \
        int.from_bytes(h[16:18], "little") == 2


def open_with_drgn(core, vmlinux, err):
    """A Dump of @core read by drgn; None after saying why not on @err."""
    try:
        import drgn
    except ImportError as e:
        err.write("vmacore: --drgn: cannot import drgn: %s\n" % e)
        return None
    version = getattr(drgn, "__version__", "?")
    prog = drgn.Program()
    try:
        prog.set_core_dump(core)
    except Exception as e:
        err.write("vmacore: drgn %s cannot open %s: %s\n" % (version, core, e))
        return None
    try:
        if vmlinux:
            prog.load_debug_info([vmlinux])
        else:
            prog.load_default_debug_info()
    except Exception as e:
        # drgn.MissingDebugInfoError: what was found may still do
        err.write("vmacore: warning: drgn %s: %s\n" % (version, e))
    try:
        # a drgn that cannot translate this dump's addresses (0.0.22 on a
        # QEMU dump) fails here, before any query
        prog.read(prog.symbol("init_task").address, 8)
    except Exception as e:
        err.write("vmacore: drgn %s cannot read the kernel in %s: %s\n" %
                  (version, core, e))
        return None
    from ._drgn import from_drgn
    try:
        return from_drgn(prog)
    except Exception as e:
        err.write("vmacore: cannot read the kernel through drgn %s: %s\n" %
                  (version, e))
        return None


def getopt_message(e):
    """getopt_long()'s words for a bad option, as the command says them."""
    o = e.opt
    if "requires argument" in e.msg:
        return ("option '--%s' requires an argument" % o if len(o) > 1
                else "option requires an argument -- '%s'" % o)
    if len(o) > 1:
        return "unrecognized option '--%s'" % o
    return "invalid option -- '%s'" % o


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    L = _lib.lib()
    core = vmlinux = None
    no_vmlinux = dwarf = json = force = verbose = use_drgn = False
    no_cache = False
    try:
        opts, rest = getopt.getopt(argv, "c:k:vh", LONG)
    except getopt.GetoptError as e:
        sys.stderr.write("vmacore: %s\n" % getopt_message(e))
        usage(L, sys.stderr)
        return STATUS_USAGE
    for o, a in opts:
        if o in ("-c", "--core"):
            core = a
        elif o in ("-k", "--vmlinux"):
            vmlinux = a
        elif o == "--no-vmlinux":
            no_vmlinux = True
        elif o == "--dwarf":
            dwarf = True
        elif o == "--json":
            json = True
        elif o == "--force":
            force = True
        elif o in ("-v", "--verbose"):
            verbose = True
        elif o == "--drgn":
            use_drgn = True
        elif o == "--no-cache":
            no_cache = True
        elif o in ("-h", "--help"):
            usage(L, sys.stdout)
            return 0
        elif o == "--version":
            print("vmacore %s" % VERSION)
            return 0
    names = [q[0] for q in queries(L)]
    i = 0
    # files named before the subcommand, crash style
    while i < len(rest) and rest[i] not in names and \
            os.path.exists(rest[i]):
        if is_vmlinux(rest[i]) and not vmlinux:
            vmlinux = rest[i]
        elif not core:
            core = rest[i]
        else:
            break
        i += 1
    if i >= len(rest):
        sys.stderr.write("vmacore: no subcommand given\n")
        usage(L, sys.stderr)
        return STATUS_USAGE
    if rest[i] == "help":
        usage(L, sys.stdout)
        return 0
    if rest[i] not in names:
        if not os.path.exists(rest[i]) and "/" in rest[i]:
            sys.stderr.write("vmacore: cannot open %s: %s\n" % (
                rest[i], os.strerror(2)))
        else:
            sys.stderr.write("vmacore: unknown subcommand '%s' (see vmacore "
                             "--help)\n" % rest[i])
        return STATUS_USAGE
    if not core:
        sys.stderr.write("vmacore: no dump given (use -c VMCORE)\n")
        return STATUS_USAGE
    if no_vmlinux and vmlinux:
        sys.stderr.write("vmacore: a vmlinux and --no-vmlinux given: pick "
                         "one\n")
        return STATUS_USAGE
    sys.stdout.flush()
    sys.stderr.flush()
    q = _lib.QueryOpts(sz=ctypes.sizeof(_lib.QueryOpts), out_fd=1, err_fd=2,
                       json=json, prog=b"vmacore", default_pid=-1,
                       verbose=verbose)
    if use_drgn:
        if no_vmlinux or dwarf:
            sys.stderr.write("vmacore: --drgn reads what drgn loads: no "
                             "--no-vmlinux or --dwarf\n")
            return STATUS_USAGE
        dump = open_with_drgn(core, vmlinux, sys.stderr)
        if dump is None:
            return STATUS_DUMP
    else:
        log = _lib.LOG_FN(lambda arg, msg: os.write(
            2, b"vmacore: " + msg + b"\n") and None)
        o = _lib.OpenOpts(sz=ctypes.sizeof(_lib.OpenOpts),
                          vmlinux=os.fsencode(vmlinux) if vmlinux else None,
                          no_vmlinux=no_vmlinux, dwarf=dwarf, force=force,
                          verbose=verbose, log=log,
                          cache_dir=None if no_cache else
                          default_cache_dir())
        ptr = ctypes.c_void_p()
        e = L.open(os.fsencode(core), ctypes.byref(o), ctypes.byref(ptr))
        if e:
            if L.has("query_open_error"):
                return L.query_open_error(e, ctypes.byref(q))
            from .errors import exception
            sys.stderr.write("vmacore: %s\n" % exception(L, e))
            return STATUS_DUMP
        dump = Dump(L, ptr.value, keep=(log,))
    args = [os.fsencode(a) for a in rest[i:]]
    arr = (ctypes.c_char_p * (len(args) + 1))(*args, None)
    status = L.query(dump._ptr, len(args), arr, ctypes.byref(q))
    dump.close()
    return status
