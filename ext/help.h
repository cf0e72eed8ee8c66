/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * help.h - crash help text of the extension's commands (included once, by
 * vmacore_ext.c).  Layout of each array, as crash's help command expects:
 * name, one-line description, argument synopsis, then the body lines.
 * The examples are transcripts of real runs on the reference dumps.
 */

static char *help_vmacore[] = {
	"vmacore",
	"address spaces of maple-tree kernels (vmacore queries)",
	"QUERY [--json] [ARGS...]",
	"  Runs one vmacore query, exactly as the standalone command",
	"  `vmacore VMLINUX VMCORE QUERY ARGS...` would, reading the kernel",
	"  through crash.  It does not use crash's task table or crash's",
	"  maple-tree code: it walks init_task.tasks and mm->mm_mt itself, so",
	"  it works on kernels where this crash cannot (crash 8.0.2 on 6.1).",
	"  When a query needs a task and none is named, crash's current",
	"  context (see \"set\") is used.  With no QUERY, lists the queries.",
	"",
	"  Each query is also a command of its own:",
	"",
	"     vmps        vmacore ps        tasks and their mm",
	"     vmaps       vmacore maps      VMAs, like /proc/PID/maps",
	"     vmvma       vmacore vma       the VMA that holds an address",
	"     vmflags     vmacore flags     decode vm_flags with the dump's table",
	"     vmrmap      vmacore rmap      who maps a page frame",
	"     vmimap      vmacore imap      who maps a file's pages",
	"     vmanon      vmacore anon      who maps an anon_vma's pages",
	"     vmcoredump  vmacore coredump  what a core dump would hold",
	"",
	"  --json  print JSON (the same as vmacore --json) instead of tables.",
	"",
	"  Errors are printed as \"COMMAND: what failed\" and the command",
	"  returns to the prompt; nothing is left half done.",
	"\nEXAMPLES",
	"  See \"help vmaps\" and the other commands.",
	NULL
};

static char *help_vmps[] = {
	"vmps",
	"tasks and their address spaces (vmacore ps)",
	"[--json] [ARGS...]",
	"  Lists the tasks of the dumped kernel from init_task.tasks, with",
	"  their mm_struct, as \"vmacore ps\" does.  Run \"vmacore help\" for",
	"  the options of each query.",
	NULL
};

static char *help_vmaps[] = {
	"vmaps",
	"VMAs of a task, like /proc/PID/maps (vmacore maps)",
	"[--json] [PID]",
	"  Prints the VMAs of task PID (default: crash's current context) by",
	"  walking mm->mm_mt, in the format of /proc/PID/maps.",
	NULL
};

static char *help_vmvma[] = {
	"vmvma",
	"the VMA that contains an address (vmacore vma)",
	"[--json] [PID] ADDRESS",
	"  Finds the VMA of task PID (default: crash's current context) that",
	"  contains ADDRESS by descending the maple tree, and prints it.",
	NULL
};

static char *help_vmflags[] = {
	"vmflags",
	"decode vm_flags with this kernel's own table (vmacore flags)",
	"[--json] FLAGS",
	"  Decodes a vm_flags value with the names and smaps codes of the",
	"  dumped kernel (crash's \"vm -f\" uses a table from 2014).",
	NULL
};

static char *help_vmrmap[] = {
	"vmrmap",
	"which tasks map a page frame (vmacore rmap)",
	"[--json] PFN...",
	"  Offline reverse mapping: the VMAs and tasks that map each PFN.",
	NULL
};

static char *help_vmimap[] = {
	"vmimap",
	"which tasks map a file (vmacore imap)",
	"[--json] ARGS...",
	"  The VMAs that map an inode's pages, from its i_mmap tree.",
	NULL
};

static char *help_vmanon[] = {
	"vmanon",
	"which tasks map an anon_vma (vmacore anon)",
	"[--json] ARGS...",
	"  The VMAs chained to an anon_vma.",
	NULL
};

static char *help_vmcoredump[] = {
	"vmcoredump",
	"what a core dump of a task would hold (vmacore coredump)",
	"[--json] [PID]",
	"  For each VMA of task PID (default: crash's current context), the",
	"  kernel's verdict: dumped in full, first page only, or not at all,",
	"  as vma_dump_size() would decide with the task's coredump_filter.",
	NULL
};
