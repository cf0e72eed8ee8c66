# SPDX-License-Identifier: GPL-2.0-or-later
"""drgn_commands.py - vmacore's queries as drgn commands (drgn 0.1 and
later, whose drgn.commands has custom_command): %vmaps, %vmflags, %vmrmap,
%vmcoredump ... as the crash extension names them (ext/vmacore_ext.c), and
%vmacore QUERY ARGS.  Each prints what `vmacore QUERY ARGS` prints on the
program drgn opened, read through vmacore.from_drgn().  A query whose
task is optional gets drgn's current task (default_pid()), and the short
commands name themselves in usage lines ("usage: vmaps ...").

Load it with `import vmacore.drgn_commands` in a drgn session, or as a
drgn plugin: DRGN_PLUGINS=vmacore=vmacore.drgn_commands (the installed
package also registers the entry point "vmacore" of group drgn.plugins).
Importing it with an older drgn does nothing (SUPPORTED is False).
"""
import os
import sys

# crash extension command -> query (ext/vmacore_ext.c)
COMMANDS = {"vmps": "ps", "vmaps": "maps", "vmvma": "vma",
            "vmflags": "flags", "vmrmap": "rmap", "vmimap": "imap",
            "vmanon": "anon", "vmcoredump": "coredump"}
CACHE_KEY = "vmacore.dump"

try:
    from drgn import ProgramFlags
    from drgn.commands import custom_command, parse_shell_command
    SUPPORTED = True
except ImportError:
    SUPPORTED = False


def dump_of(prog):
    """The vmacore Dump of @prog, made once per program."""
    cache = getattr(prog, "cache", None)
    d = cache.get(CACHE_KEY) if cache is not None else None
    if d is None:
        from ._drgn import from_drgn
        d = from_drgn(prog)
        if cache is not None:
            cache[CACHE_KEY] = d
    return d


def default_pid(prog):
    """The task drgn's crash commands use when none is named
    (crash_get_context(), drgn/commands/_crash/common.py): the context
    set by drgn's "set" (prog.config["crash_context"]), else the crashed
    thread of a dump, else this process on the local live kernel.  0 for
    none (an idle task has no mm either)."""
    try:
        task = prog.config.get("crash_context")
    except AttributeError:		# drgn before Program.config
        task = None
    try:
        if task is not None:
            return task.pid.value_()
        if not prog.flags & ProgramFlags.IS_LIVE:
            return prog.crashed_thread().tid
        if prog.flags & ProgramFlags.IS_LOCAL:
            return os.getpid()
    except Exception:		# no crashed thread: no default task
        pass
    return 0


def with_default_task(query, args, pid):
    """maps and vma name their task first: without one ("vmaps",
    "vmvma ADDR"), the default task goes first, as the crash extension
    does (ext_default_task(), ext/vmacore_ext.c).  Their options take no
    values."""
    want = {"maps": 0, "vma": 1}.get(query)
    if want is None or pid <= 0:
        return args
    pos = []
    for i, a in enumerate(args):
        if a in ("--all", "-a"):
            return args
        if not (a.startswith("-") and len(a) > 1):
            pos.append(i)
    if len(pos) != want:
        return args
    first = pos[0] if pos else len(args)
    return args[:first] + [str(pid)] + args[first:]


def run_query(prog, prog_name, argv, usage_name=None):
    """Run query argv[0] with argv[1:]; its answer on sys.stdout (which
    drgn redirects and pipes), errors on sys.stderr.  @usage_name: the
    short command ("vmaps"), named in messages and usage lines instead of
    "vmacore maps".  Return the exit status vmacore(1) would give."""
    json = False
    args = []
    options = True
    for a in argv:
        if options and a == "--":
            options = False
        elif options and a == "--json":
            json = True
            continue
        args.append(a)
    try:
        d = dump_of(prog)
    except Exception as e:
        sys.stderr.write("%s: cannot read the kernel: %s\n" % (prog_name, e))
        return 3
    # a live kernel changes between commands
    d.drop_caches()
    pid = default_pid(prog)
    if args:
        args = args[:1] + with_default_task(args[0], args[1:], pid)
    status, out, err = d.query(args, json=json, prog=usage_name or "vmacore",
                               default_pid=pid, usage_name=usage_name)
    sys.stdout.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return status


def _enabled(prog):
    return bool(prog.flags & ProgramFlags.IS_LINUX_KERNEL)


def _register():
    from ._lib import lib
    from .cli import queries
    desc = {n: (syn, summ) for n, syn, summ in queries(lib())}

    def make(cmd, query):
        syn, summ = desc.get(query, ("", ""))

        def run(prog, name, args, **kwargs):
            return run_query(prog, name, [query] + list(args),
                             usage_name=cmd)
        custom_command(
            name=cmd, description=summ,
            usage="**%s** [--json] %s" % (cmd, syn.replace("*", "\\*")),
            long_description="%s (vmacore %s, through libvmacore on what "
            "drgn opened; see vmacore(1))." % (summ[:1].upper() + summ[1:],
                                               query),
            parse=parse_shell_command, enabled=_enabled)(run)

    for cmd, query in COMMANDS.items():
        make(cmd, query)

    def run_any(prog, name, args, **kwargs):
        if not args or args[0] in ("help", "-h", "--help"):
            sys.stdout.write("usage: vmacore [--json] QUERY [ARGS...]\n")
            for n, (syn, summ) in desc.items():
                sys.stdout.write("  %-9s %-24s %s\n" % (n, syn, summ))
            return 0
        return run_query(prog, "vmacore", list(args))
    custom_command(
        name="vmacore", description="run a vmacore query",
        usage="**vmacore** [--json] *QUERY* [*ARGS*...]",
        long_description="Run a query of vmacore(1): " +
        ", ".join(desc) + ".  vmacore help lists them.",
        parse=parse_shell_command, enabled=_enabled)(run_any)


if SUPPORTED:
    _register()
