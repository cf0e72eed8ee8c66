/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * help.h - crash help text of the extension's commands (included once, by
 * vmacore_ext.c).  Layout of each array, as crash's help command expects:
 * name, one-line description, argument synopsis, then the body lines.
 * The examples are transcripts of real runs (crash 8.0.2, Debian's 6.1
 * kernel, the reference dump of vmcores/); "..." marks cut lines.
 */

static char *help_vmacore[] = {
	"vmacore",
	"address spaces of maple-tree kernels (vmacore queries)",
	"[--json] QUERY [ARGS...]",
	"  Runs one query of the vmacore command on the kernel crash has open,",
	"  with the same options and byte for byte the same output as",
	"  \"vmacore -c VMCORE -k VMLINUX QUERY ARGS...\" would print.  vmacore",
	"  does not use crash's task table or crash's maple-tree code: it walks",
	"  init_task.tasks and each mm->mm_mt itself and decodes vm_flags with",
	"  the dumped kernel's own tables, so it answers where this crash",
	"  cannot (crash 8.0.2 on 6.1 sees only the idle tasks; \"vm -f\" of",
	"  every crash prints 0x4000000 as ALWAYSDUMP, the kernel's DONTDUMP).",
	"  With no QUERY, lists the queries and their arguments.",
	"",
	"  Each query also has a command of its own:",
	"",
	"    vmps        = vmacore ps        tasks that have an mm",
	"    vmaps       = vmacore maps      VMAs, as /proc/PID/maps prints them",
	"    vmvma       = vmacore vma       the VMA that contains an address",
	"    vmflags     = vmacore flags     decode a vm_flags value",
	"    vmrmap      = vmacore rmap      who maps a page",
	"    vmimap      = vmacore imap      the VMAs of a file's i_mmap tree",
	"    vmanon      = vmacore anon      the anon_vma chain of a VMA",
	"    vmcoredump  = vmacore coredump  what a core dump would hold",
	"",
	"   --json  print JSON (vmacore(1) documents the schema) instead of",
	"           tables; accepted anywhere before \"--\".",
	"",
	"  vmaps, vmvma and vmcoredump take crash's current context (\"set PID\")",
	"  when no task is named; idle tasks do not count.  A failure prints",
	"  \"COMMAND: what failed\" and returns to the prompt; later commands",
	"  work.  The commands also work in \"crash --minimal\".",
	"\nEXAMPLES",
	"  The task list that crash 8.0.2 cannot build on 6.1:",
	"",
	"    crash> ps",
	"          PID    PPID  CPU       TASK        ST  %MEM      VSZ      RSS  COMM",
	"    >       0       0   0  ffffffff9a01aa40  RU   0.0        0        0  [swapper/0]",
	"    >       0       0   1  ffff89b9c1260000  RU   0.0        0        0  [swapper/1]",
	"    crash> vmacore ps",
	"        PID    TGID  MM                   VMAS      SIZE_KB  COMM",
	"          1       1  ffff89b9c3306880       10         2260  init",
	"        100     100  ffff89b9c1054000       40        12100  wl-mapper",
	"        101     101  ffff89b9c1057600       15         1468  wl-sharer",
	"        102     102  ffff89b9c1054480    20010        81228  wl-many",
	"        103     103  ffff89b9c3305f80       38        12072  wl-forkchild",
	"",
	"  The same as JSON:",
	"",
	"    crash> vmacore --json ps",
	"    {\"command\":\"ps\",\"tasks\":[{\"pid\":1,\"tgid\":1,\"comm\":\"init\",...",
	NULL
};

static char *help_vmps[] = {
	"vmps",
	"tasks that have an address space (vmacore ps)",
	"[--json] [-t]",
	"  Lists the thread-group leaders of init_task.tasks that have an mm:",
	"  pid, tgid, the mm_struct, its VMA count and size.",
	"",
	"    -t  list every thread, not only the thread-group leaders.",
	"\nEXAMPLE",
	"    crash> vmps",
	"        PID    TGID  MM                   VMAS      SIZE_KB  COMM",
	"          1       1  ffff89b9c3306880       10         2260  init",
	"        100     100  ffff89b9c1054000       40        12100  wl-mapper",
	"        101     101  ffff89b9c1057600       15         1468  wl-sharer",
	"        102     102  ffff89b9c1054480    20010        81228  wl-many",
	"        103     103  ffff89b9c3305f80       38        12072  wl-forkchild",
	NULL
};

static char *help_vmaps[] = {
	"vmaps",
	"VMAs of tasks, as /proc/PID/maps prints them (vmacore maps)",
	"[--json] [-x] [PID|COMM]...",
	"  Walks each task's mm->mm_mt and prints its VMAs in the format of",
	"  /proc/PID/maps, each followed by the smaps VmFlags codes of this",
	"  kernel.  With no task named, the current context (\"set PID\").",
	"",
	"    -x  more detail per VMA (see vmacore(1)).",
	"\nEXAMPLE",
	"    crash> vmaps 101",
	"    00400000-00401000 r--p 00000000 00:02 15                                 /workload",
	"    VmFlags: rd mr mw me sd",
	"    ...",
	"    316ef000-31711000 rw-p 00000000 00:00 0                                  [heap]",
	"    VmFlags: rd wr mr mw me ac sd",
	"    200000000-200010000 rw-s 00000000 00:15 6                                /tmp/vmacore/shared.dat",
	"    VmFlags: rd wr sh mr mw me ms sd",
	"    ...",
	"    7ffdb5b6b000-7ffdb5b6f000 r--p 00000000 00:00 0                          [vvar]",
	"    VmFlags: rd mr pf io de dd sd",
	"    7ffdb5b6f000-7ffdb5b71000 r-xp 00000000 00:00 0                          [vdso]",
	"    VmFlags: rd ex mr mw me de sd",
	NULL
};

static char *help_vmvma[] = {
	"vmvma",
	"the VMA that contains an address (vmacore vma)",
	"[--json] [PID] ADDR",
	"  Finds the VMA of task PID that contains the user address ADDR by",
	"  descending the maple tree, and prints all of it.  With only ADDR,",
	"  the task is the current context (\"set PID\").",
	"\nEXAMPLE",
	"    crash> vmvma 100 0x200004000",
	"    200000000-200010000 rw-p 00000000 00:00 0 ",
	"    VmFlags: rd wr mr mw me ac sd",
	"    VmArea: 0xffff89b9c3638da8",
	"    VmFlagsRaw: 0x8100073 read|write|mayread|maywrite|mayexec|account|softdirty",
	"    vm_start: 0x200000000",
	"    vm_end: 0x200010000",
	"    vm_pgoff: 0x200000",
	"    vm_file: 0x0",
	"    vm_ops: 0x0",
	"    anon_vma: 0xffff89b9c3634000",
	"    vm_mm: 0xffff89b9c1054000",
	"    anon_name: 0x0",
	NULL
};

static char *help_vmflags[] = {
	"vmflags",
	"decode vm_flags with the dumped kernel's own table (vmacore flags)",
	"[--json] VALUE",
	"  Decodes a vm_flags value with the names (vmaflag_names[]) and smaps",
	"  codes of the dumped kernel.  Bits that no name covers are printed",
	"  in hex, never dropped.  crash's \"vm -f\" uses a table from 2014.",
	"\nEXAMPLES",
	"    crash> vmflags 0x4000000",
	"    vm_flags 0x4000000: dontdump",
	"    VmFlags: dd",
	"     BIT  MASK                CODE  NAME",
	"      26  0x0000000004000000    dd  dontdump",
	"",
	"    crash> vmflags 0x8100073",
	"    vm_flags 0x8100073: read|write|mayread|maywrite|mayexec|account|softdirty",
	"    VmFlags: rd wr mr mw me ac sd",
	"     BIT  MASK                CODE  NAME",
	"       0  0x0000000000000001    rd  read",
	"       1  0x0000000000000002    wr  write",
	"       4  0x0000000000000010    mr  mayread",
	"       5  0x0000000000000020    mw  maywrite",
	"       6  0x0000000000000040    me  mayexec",
	"      20  0x0000000000100000    ac  account",
	"      27  0x0000000008000000    sd  softdirty",
	NULL
};

static char *help_vmrmap[] = {
	"vmrmap",
	"who maps a page: offline reverse mapping (vmacore rmap)",
	"[--json] [-m] PAGE...",
	"  For each page, its folio and every (task, VMA, virtual address) that",
	"  maps it, found through the folio's anon_vma or address_space as the",
	"  kernel's rmap_walk() would, and checked in the page tables.  PAGE is",
	"  a PFN (0x1234 or pfn:0x1234), phys:ADDR, page:ADDR (a struct page)",
	"  or PID:ADDR (the page mapped at a user address).",
	"",
	"    -m  see vmacore(1).",
	"\nEXAMPLE",
	"    crash> vmrmap 0xbe1e",
	"    PFN 0xbe1e  PAGE 0xfffff2b5802f8780  FOLIO 0xfffff2b5802f8780 (1 page)  anon  MAPPING 0xffff89b9c3634001  PGOFF 0x200004",
	"        100  wl-mapper         MM 0xffff89b9c1054000  VMA 0xffff89b9c3638da8 200000000-200010000  VADDR 200004000  anon  mapped",
	"        103  wl-forkchild      MM 0xffff89b9c3305f80  VMA 0xffff89b9c3565260 200000000-200010000  VADDR 200004000  anon  mapped",
	NULL
};

static char *help_vmimap[] = {
	"vmimap",
	"the VMAs that map a file (vmacore imap)",
	"[--json] FILE [FIRST [LAST]]",
	"  Walks the i_mmap interval tree of a file's address_space and prints",
	"  each VMA with its task, optionally only those that map file pages",
	"  FIRST..LAST.  FILE is a path as /proc/PID/maps shows it or an",
	"  address (see vmacore(1)).",
	NULL
};

static char *help_vmanon[] = {
	"vmanon",
	"the anon_vma chain of a VMA (vmacore anon)",
	"[--json] PID ADDR",
	"  The anon_vma of the VMA of task PID at ADDR, and every VMA (of any",
	"  task) chained to it: what shares its anonymous pages since fork.",
	NULL
};

static char *help_vmcoredump[] = {
	"vmcoredump",
	"what a core dump of a task would hold (vmacore coredump)",
	"[--json] [PID]...",
	"  For each VMA of the task, the kernel's verdict as vma_dump_size()",
	"  would decide it with the task's coredump_filter: dumped in full,",
	"  first page only (ELF headers), or not at all, with the rule and the",
	"  reason.  With no PID, the current context (\"set PID\").",
	"\nEXAMPLE",
	"    crash> vmcoredump 101",
	"    pid 101 (wl-sharer)  mm 0xffff89b9c1057600  coredump_filter 0x33",
	"    RANGE                             PERM VERDICT            SIZE RULE                REASON  NAME",
	"    0000000000400000-0000000000401000 r--p first-page         4096 elf-header-exec     ELF headers: executable file, first page  /workload",
	"    0000000000401000-000000000049b000 r-xp none                  0 private-file        private file, not written, no rule dumps it  /workload",
	"    ...",
	"    0000000200000000-0000000200010000 rw-s none                  0 mapped-shared       shared file, coredump_filter bit 3 clear  /tmp/vmacore/shared.dat",
	"    ...",
	"    00007ffdb5b6b000-00007ffdb5b6f000 r--p full              16384 vm_ops-name         always_dump_vma: vma->vm_ops->name  [vvar]",
	"    00007ffdb5b6f000-00007ffdb5b71000 r-xp full               8192 vm_ops-name         always_dump_vma: vma->vm_ops->name  [vdso]",
	"    summary: 15 VMAs, 507904 bytes dumped (9 full, 2 first page), 995328 bytes skipped (4 none, 0 unknown); VM_IO excluded 0, VM_DONTDUMP excluded 0",
	NULL
};
