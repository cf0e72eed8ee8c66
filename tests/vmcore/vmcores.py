# SPDX-License-Identifier: GPL-2.0-or-later
"""tests/vmcore/vmcores.py - what the dump tests share.

The reference dumps (vmcores/list, or $VMCORE_DIRS), the formats each one
has (its formats.tsv manifest), TAP output and running the vmacore command.
The dump tests (test-maps, test-rmap, test-coredump, test-drgn) import it;
shell tests and tests/run use it as a command:

    vmcores.py dumps    the dump directories, one a line
    vmcores.py formats DIR
                        NAME FILE CLASS MAKER (tab-separated) of each format
                        of one dump; FILE is an absolute path
    vmcores.py matrix   TAP: the expected kernels are all there and every
                        format of every dump is present (or documented as
                        absent); "# cell: DUMP FORMAT" per expected cell

A format's class (formats.tsv, written by vmcores/generate):
  exact     every page is in the dump: every answer must be exact;
  filtered  makedumpfile -d 31 by a makedumpfile that supports the kernel:
            user, page-cache and free pages are dropped, slab is kept;
  damaged   written by a makedumpfile that says the kernel is unsupported:
            pages still in use may be missing; every answer must be exact
            or an honest partial one (exit 4, "partial answer").

A test that compares a (dump, format) cell with the truth says so with
Tap.cell(); tests/run checks, under CI or make check, that every cell of
`vmcores.py matrix` was exercised by the truth tests.
"""
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
VMACORE = os.environ.get("VMACORE") or os.path.join(ROOT, BUILD, "vmacore")
# The kernel lines every run must have (vmcores/generate's default), for
# each architecture vmcores/list shows (VMACORE_ARCHES, default both).
KERNELS = os.environ.get("VMACORE_KERNELS", "6.1 6.12 7.2").split()
ARCHES = re.split(r"[,\s]+", os.environ.get("VMACORE_ARCHES", "").strip()
                  or "x86_64,arm64")
CLASSES = ("exact", "filtered", "damaged")
# Before formats.tsv: the formats every dump directory had.
LEGACY_FORMATS = [("elf", "vmcore.elf", "exact"),
                  ("kdump", "vmcore.kdump", "exact"),
                  ("flat", "vmcore.kdump.flat", "exact"),
                  ("filtered", "vmcore.filtered", "filtered")]


def offline():
    """The run said explicitly that nothing may be fetched."""
    return os.environ.get("VMACORE_OFFLINE") == "1"


def dumps():
    """The reference dump directories (absolute paths)."""
    if os.environ.get("VMCORE_DIRS"):
        return os.environ["VMCORE_DIRS"].split()
    lister = os.path.join(ROOT, "vmcores", "list")
    try:
        out = subprocess.run([lister], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [l.strip() for l in out.splitlines() if l.strip()]


def name_of(d):
    return os.path.basename(d.rstrip("/"))


def kernel_line(d):
    """"6.12" for .../6.12.117+deb12-cloud-amd64, None for a scaling dump
    or a name that is not a release."""
    name = name_of(d)
    m = re.match(r"(\d+\.\d+)[.+-]", name + "-")
    if not m or "-scale" in name:
        return None
    return m.group(1)


def arch_of(d):
    """truth/meta arch= of dump d; x86_64 when it has none."""
    try:
        with open(os.path.join(d, "truth", "meta"), errors="replace") as f:
            for l in f:
                if l.startswith("arch="):
                    return l[5:].strip() or "x86_64"
    except OSError:
        pass
    return "x86_64"


def missing_kernels(dirs):
    """Kernel lines (with the architecture when more than one is asked
    for) that no dump directory has."""
    have = set((arch_of(d), kernel_line(d)) for d in dirs)
    return [k if len(ARCHES) == 1 else "%s (%s)" % (k, a)
            for a in ARCHES for k in KERNELS if (a, k) not in have]


class Format:
    """One dump file of a reference dump: name (elf, kdump, ...), path,
    class (exact, filtered, damaged) and maker.  absent is None when the
    file is there, else why not."""

    def __init__(self, d, name, fname, cls, maker=""):
        self.dir = d
        self.name = name
        self.path = os.path.join(d, fname)
        self.cls = cls
        self.maker = maker
        self.absent = None
        if not os.path.exists(self.path):
            self.absent = "%s is missing" % fname

    @property
    def exact(self):
        return self.cls == "exact"


def _legacy_formats(d):
    res = []
    for name, fname, cls in LEGACY_FORMATS:
        f = Format(d, name, fname, cls, "legacy list")
        res.append(f)
        if not f.absent:
            continue
        try:
            with open(f.path + ".missing", errors="replace") as m:
                why = " ".join(m.read().split())
        except OSError:
            continue
        # vmcores/generate wrote no filtered dump: only a makedumpfile
        # that does not support the kernel is a reason (issue 10).
        if "not supported" in why:
            f.absent = "makedumpfile does not support this kernel: " + why
        else:
            f.absent = "vmcore.filtered is missing: " + why
    return res


def formats(d):
    """[Format] of dump directory d, from d/formats.tsv (header name, file,
    class, maker); without one, the fixed list of the generator before it.
    Raises ValueError for a malformed manifest."""
    path = os.path.join(d, "formats.tsv")
    try:
        f = open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return _legacy_formats(d)
    with f:
        rows = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    if not rows or rows[0][:4] != ["name", "file", "class", "maker"]:
        raise ValueError("%s: no header 'name file class maker'" % path)
    res = []
    for i, r in enumerate(rows[1:], 2):
        if len(r) < 4 or not r[0] or not r[1] or r[2] not in CLASSES:
            raise ValueError("%s line %d: bad row %r" % (path, i, r))
        if "/" in r[1]:
            raise ValueError("%s line %d: file %r is not in the dump "
                             "directory" % (path, i, r[1]))
        res.append(Format(d, r[0], r[1], r[2], r[3]))
    if not res:
        raise ValueError("%s: no formats" % path)
    return res


class Tap:
    """TAP output: ok(), skip(), cell(), done()."""

    def __init__(self, max_diag=16):
        self.n = 0
        self.failed = False
        self.max_diag = max_diag

    def ok(self, cond, what, diag=()):
        self.n += 1
        if not cond:
            self.failed = True
        print(("ok" if cond else "not ok") + " %d - %s" % (self.n, what))
        diag = list(diag)
        for line in diag[:self.max_diag]:
            print("#   " + str(line))
        if len(diag) > self.max_diag:
            print("#   ... %d more" % (len(diag) - self.max_diag))
        sys.stdout.flush()
        return cond

    def skip(self, why):
        self.n += 1
        print("ok %d # SKIP %s" % (self.n, why))
        sys.stdout.flush()

    def comment(self, text):
        print("# " + text)
        sys.stdout.flush()

    def cell(self, d, fmt):
        """This test compared dump d's format fmt with the truth."""
        self.comment("cell: %s %s" % (name_of(d), fmt.name))

    def done(self):
        print("1..%d" % self.n)
        sys.stdout.flush()
        return 1 if self.failed else 0


def need_vmacore(t):
    """False (and a failure) when the command is not built."""
    if os.access(VMACORE, os.X_OK):
        return True
    t.ok(False, "no vmacore binary at %s (run make)" % VMACORE)
    return False


def no_dumps(t):
    """Report that there are no reference dumps (tests/run fails this
    skip under CI and make check)."""
    t.skip("no reference dumps (make vmcores)")


class Result:
    def __init__(self, rc, out, err, secs):
        self.rc, self.out, self.err, self.secs = rc, out, err, secs


def run(args, timeout=600):
    """Run vmacore ARGS: Result(rc, stdout, stderr stripped, seconds)."""
    t0 = time.time()
    p = subprocess.run([VMACORE] + list(args), capture_output=True,
                       timeout=timeout)
    return Result(p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
                  p.stderr.decode("utf-8", "replace").strip(),
                  time.time() - t0)


def judge_status(fmt, rc, err):
    """(problem or None, partial) of an answer's exit status on format
    fmt: exact wants exit 0; filtered and damaged also allow exit 4 with
    "partial answer" on stderr (vmacore(1), EXIT STATUS).  The test then
    checks that what was lost is what the class may lose."""
    partial = rc == 4 and "partial answer" in err
    if rc == 0 or (partial and not fmt.exact):
        return None, partial
    # damaged: a task whose own structures (task_struct, mm_struct) were
    # dropped has nothing to print; exit 3 naming the lost page is honest
    # (the caller checks that nothing was printed)
    if rc == 3 and fmt.cls == "damaged" and re.search(
            r"^vmacore: pid [0-9]+\b.*(Excluded page|not in (the )?dump)",
            err, re.M):
        return None, True
    if rc == 4 and not fmt.exact:
        return ("exit 4 but stderr does not say 'partial answer': %s" %
                (err[:300] or "(empty)")), False
    return "exit %d (%s dump: %s): %s" % (
        rc, fmt.cls, "exit 0 wanted" if fmt.exact else
        "exit 0, or 4 with 'partial answer'", err[:300] or "(no message)"), \
        False


def lines_of(path):
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            yield line[:-1] if line.endswith("\n") else line


def _matrix():
    """`vmcores.py matrix`: TAP over what the cache holds."""
    t = Tap()
    dirs = dumps()
    miss = missing_kernels(dirs)
    t.ok(not miss, "reference dumps of kernels %s" % " ".join(KERNELS),
         ["no dump of kernel %s (%d dump directories found)" %
          (k, len(dirs)) for k in miss])
    for d in dirs:
        try:
            fl = formats(d)
        except ValueError as e:
            t.ok(False, "%s: %s" % (name_of(d), e))
            continue
        for f in fl:
            what = "%s %s (%s)" % (name_of(d), f.name, f.cls)
            if f.absent and f.absent.startswith(
                    "makedumpfile does not support this kernel"):
                t.skip("%s: %s" % (what, f.absent))
                continue
            if t.ok(not f.absent, what, [f.absent] if f.absent else []):
                t.cell(d, f)
    return t.done()


def main(argv):
    if argv[1:2] == ["dumps"]:
        print("\n".join(dumps()))
        return 0
    if argv[1:2] == ["formats"] and len(argv) == 3:
        try:
            fl = formats(argv[2])
        except ValueError as e:
            print("vmcores.py: %s" % e, file=sys.stderr)
            return 1
        for f in fl:
            if not f.absent:
                print("\t".join((f.name, f.path, f.cls, f.maker)))
        return 0
    if argv[1:2] == ["matrix"]:
        return _matrix()
    print("usage: vmcores.py dumps | formats DIR | matrix", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
