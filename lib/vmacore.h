/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vmacore.h - libvmacore, the public API.
 *
 * libvmacore reads a dumped Linux kernel through a small target interface
 * (struct vmacore_target_ops) and answers questions about process address
 * spaces: tasks, the maple tree of VMAs, vm_flags, reverse mapping of pages
 * and the core-dump verdict of each VMA.  Its core depends on libc only;
 * it also opens dumps itself (vmacore_open(): libkdumpfile, libelf,
 * libbpf, libdw) and runs vmacore(1)'s queries (vmacore_query()).
 *
 * Link: pkg-config --cflags --libs vmacore (libvmacore.so.0, or --static
 * for libvmacore.a).  Only vmacore_* symbols are exported.
 *
 * Conventions (drgn's, see docs/design.md):
 * - a function that can fail returns struct vmacore_error *, NULL on success;
 *   results come back through out parameters named ret or *_ret, which are
 *   written only on success unless documented otherwise;
 * - iterators: _create/_next/_destroy, _next() returns &vmacore_stop at the end;
 * - every address range states whether its end is inclusive or exclusive.
 *
 * Kernels of two architectures are read, chosen from the dump (VMCOREINFO,
 * symbols), never from how the library was built: x86_64 (4- and 5-level
 * paging) and arm64 (4K, 16K and 64K granules, 2 to 5 levels, 48- and
 * 52-bit VA, LPA and LPA2 output addresses).
 */
#ifndef VMACORE_H
#define VMACORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMACORE_API __attribute__((visibility("default")))

/*
 * ABI: the shared library is libvmacore.so.VMACORE_ABI_VERSION (its soname)
 * and exports the vmacore_* symbols of this header only (version node
 * VMACORE_0).  Within one ABI version, functions and enumerators are only
 * added, and the structs passed by the caller grow only at their end,
 * behind a size field (struct vmacore_open_opts, struct vmacore_query_opts).
 */
#define VMACORE_ABI_VERSION 0

/* ------------------------------------------------------------------------ */
/* Errors                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * enum vmacore_error_code - what kind of failure an error is.
 * @VMACORE_ERROR_NOMEM: out of memory (never allocated itself).
 * @VMACORE_ERROR_INVALID: bad argument from the caller.
 * @VMACORE_ERROR_LOOKUP: a symbol, type, member or enumerator is absent.
 *	Callers probing for kernel layout differences catch this one.
 * @VMACORE_ERROR_FAULT: an address that cannot be translated or read.
 * @VMACORE_ERROR_NODATA: the address is valid but its page is not in the
 *	dump (filtered out by makedumpfile, or the dump is truncated).
 * @VMACORE_ERROR_CORRUPT: kernel data that breaks the kernel's own
 *	invariants (records the file and line that noticed it).
 * @VMACORE_ERROR_UNSUPPORTED: a kernel or dump this library cannot read.
 * @VMACORE_ERROR_OS: a host system call failed (errno in the message).
 * @VMACORE_ERROR_STOP: end of an iteration; not a failure.
 * @VMACORE_ERROR_OTHER: anything else.
 * @VMACORE_ERROR_INCOMPLETE: a search found nothing, but part of what it
 *	had to read was damaged or missing, so the answer is not known
 *	("pid 1234 not found, but the thread list of pid 2 (kthreadd)
 *	could not be read: ...").  The message names what was lost.
 */
enum vmacore_error_code {
	VMACORE_ERROR_NOMEM = 1,
	VMACORE_ERROR_INVALID,
	VMACORE_ERROR_LOOKUP,
	VMACORE_ERROR_FAULT,
	VMACORE_ERROR_NODATA,
	VMACORE_ERROR_CORRUPT,
	VMACORE_ERROR_UNSUPPORTED,
	VMACORE_ERROR_OS,
	VMACORE_ERROR_STOP,
	VMACORE_ERROR_OTHER,
	VMACORE_ERROR_INCOMPLETE,
};

/**
 * struct vmacore_error - an error with a code and a message.
 * @code: see enum vmacore_error_code.
 * @address: for FAULT and NODATA, the address that failed; else 0.
 * @message: human readable, git style ("cannot read maple node 0x...:
 *	address not in dump"); never NULL.
 * @file: for CORRUPT, the source file that noticed; else NULL.
 * @line: for CORRUPT, the source line.
 *
 * Errors are allocated unless they are one of the static ones
 * (vmacore_enomem, vmacore_stop); vmacore_error_destroy() knows which.
 */
struct vmacore_error {
	enum vmacore_error_code code;
	bool is_static;
	uint64_t address;
	char *message;
	const char *file;
	int line;
};

VMACORE_API extern struct vmacore_error vmacore_enomem;
VMACORE_API extern struct vmacore_error vmacore_stop;

/**
 * vmacore_error_create() - make an error.
 * @code: the error code.
 * @fmt: printf format of the message.
 *
 * Return: the new error; &vmacore_enomem if allocation fails.
 */
VMACORE_API struct vmacore_error *
vmacore_error_create(enum vmacore_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * vmacore_error_fault() - make a FAULT or NODATA error about an address.
 * @code: VMACORE_ERROR_FAULT or VMACORE_ERROR_NODATA.
 * @address: the address that could not be read.
 * @fmt: printf format of the message.
 */
VMACORE_API struct vmacore_error *
vmacore_error_fault(enum vmacore_error_code code, uint64_t address,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * vmacore_error_corrupt() - make a CORRUPT error; use VMACORE_CORRUPT().
 */
VMACORE_API struct vmacore_error *
vmacore_error_corrupt(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define VMACORE_CORRUPT(...) vmacore_error_corrupt(__FILE__, __LINE__, __VA_ARGS__)

/**
 * vmacore_error_prefix() - prepend context to an error while propagating it.
 * @err: the error (not consumed: the same object is returned).
 * @fmt: printf format of the context, e.g. "cannot walk mm_mt of mm 0x%lx".
 *
 * The message becomes "<context>: <old message>".  Static errors are
 * returned unchanged.  Return: @err.
 */
VMACORE_API struct vmacore_error *
vmacore_error_prefix(struct vmacore_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * vmacore_error_destroy() - free an error; accepts NULL and static errors.
 */
VMACORE_API void vmacore_error_destroy(struct vmacore_error *err);

/** vmacore_error_code_name() - short name of a code ("corrupt", ...). */
VMACORE_API const char *vmacore_error_code_name(enum vmacore_error_code code);

/* ------------------------------------------------------------------------ */
/* Target interface                                                         */
/* ------------------------------------------------------------------------ */

/**
 * struct vmacore_target_ops - how libvmacore reads the dumped kernel.
 *
 * Implemented by each front end: the standalone command (libkdumpfile,
 * libbpf, libdw), the crash extension (readmem, MEMBER_OFFSET), and the
 * unit tests (an in-memory fake).  Every callback gets the @priv pointer
 * given to vmacore_ctx_create().  Failures are returned as errors (the
 * target's own text attached); a target never prints, exits or longjmps.
 *
 * @read: read @len bytes at @addr into @buf.  @physical selects a physical
 *	address; otherwise @addr is a kernel virtual address.  A page that
 *	the dump does not hold is VMACORE_ERROR_NODATA; an address that
 *	does not translate is VMACORE_ERROR_FAULT.  Partial reads fail.
 * @symbol: address of a kernel symbol (@size_ret: its size in bytes if the
 *	target knows it, else 0; may be NULL).  Absent: VMACORE_ERROR_LOOKUP.
 * @type_size: sizeof(struct/union @type).  @type is a bare tag name
 *	("vm_area_struct"); structs are searched first, then unions, then
 *	typedefs.  Absent: VMACORE_ERROR_LOOKUP.
 * @member: byte offset and size of @member in struct/union @type.
 *	@member is a designator: "vm_flags", "shared.rb", members of
 *	anonymous structs and unions are found without naming them.
 *	Absent: VMACORE_ERROR_LOOKUP.  Bit fields: VMACORE_ERROR_UNSUPPORTED.
 * @enumerator: value of an enumerator constant (e.g. "MMF_DUMP_FILTER_SHIFT",
 *	"maple_arange_64") from any enum type.  Absent: VMACORE_ERROR_LOOKUP.
 * @vmcoreinfo: optional (may be NULL): the value of a VMCOREINFO key as a
 *	NUL-terminated string in @buf of @size bytes.  Absent: LOOKUP.
 */
struct vmacore_target_ops {
	struct vmacore_error *(*read)(void *priv, uint64_t addr, void *buf,
				      size_t len, bool physical);
	struct vmacore_error *(*symbol)(void *priv, const char *name,
					uint64_t *addr_ret, uint64_t *size_ret);
	struct vmacore_error *(*type_size)(void *priv, const char *type,
					   uint64_t *ret);
	struct vmacore_error *(*member)(void *priv, const char *type,
					const char *member, uint64_t *offset_ret,
					uint64_t *size_ret);
	struct vmacore_error *(*enumerator)(void *priv, const char *name,
					    int64_t *ret);
	struct vmacore_error *(*vmcoreinfo)(void *priv, const char *key,
					    char *buf, size_t size);
};

/* ------------------------------------------------------------------------ */
/* Context                                                                  */
/* ------------------------------------------------------------------------ */

struct vmacore_ctx;

/**
 * vmacore_ctx_create() - open a kernel through a target.
 * @ops: the target's callbacks (must outlive the context).
 * @priv: passed to every callback.
 * @ret: the new context, to be freed with vmacore_ctx_destroy() (before
 *	the target: the context does not own it).
 *
 * Resolves every struct layout the library uses, once, by name; members
 * that differ between kernels are probed, absent ones recorded as absent.
 * Return: NULL on success; an error if the kernel cannot be read at all.
 */
VMACORE_API struct vmacore_error *
vmacore_ctx_create(const struct vmacore_target_ops *ops, void *priv,
		   struct vmacore_ctx **ret);

/**
 * vmacore_ctx_destroy() - free a context; accepts NULL.  A context of
 * vmacore_open() owns its dump: it is closed too.  The target of
 * vmacore_ctx_create() stays the caller's.
 */
VMACORE_API void vmacore_ctx_destroy(struct vmacore_ctx *ctx);

/**
 * vmacore_ctx_set_log() - where the library sends warnings (default: none).
 * @fn: called with @arg and a message without trailing newline.
 */
VMACORE_API void vmacore_ctx_set_log(struct vmacore_ctx *ctx,
				     void (*fn)(void *arg, const char *msg),
				     void *arg);

/**
 * vmacore_ctx_page_size() - the dumped kernel's PAGE_SIZE (VMCOREINFO
 * PAGESIZE; 4096 for a target without VMCOREINFO: x86_64 has no other,
 * and arm64 is recognised by VMCOREINFO).
 */
VMACORE_API uint64_t vmacore_ctx_page_size(struct vmacore_ctx *ctx);

/**
 * vmacore_ctx_arch() - the dumped kernel's architecture as the kernel names
 * it: "x86_64" or "arm64" (a static string).
 */
VMACORE_API const char *vmacore_ctx_arch(struct vmacore_ctx *ctx);

/**
 * vmacore_ctx_read() - read kernel memory through the target, checked.
 * Convenience for front ends; same contract as vmacore_target_ops.read.
 */
VMACORE_API struct vmacore_error *
vmacore_ctx_read(struct vmacore_ctx *ctx, uint64_t addr, void *buf, size_t len,
		 bool physical);

/* ------------------------------------------------------------------------ */
/* Tasks                                                                    */
/* ------------------------------------------------------------------------ */

#define VMACORE_COMM_LEN 16

/**
 * struct vmacore_task - one task (thread) of the dumped kernel.
 * @addr: address of its struct task_struct.
 * @pid: task->pid (the thread id).
 * @tgid: task->tgid (the process id).
 * @comm: task->comm, NUL-terminated.
 * @mm: task->mm, 0 for kernel threads and exiting tasks.
 * @is_leader: the task is its thread group's leader.
 */
struct vmacore_task {
	uint64_t addr;
	int32_t pid;
	int32_t tgid;
	char comm[VMACORE_COMM_LEN + 1];
	uint64_t mm;
	bool is_leader;
};

struct vmacore_task_iter;

/**
 * vmacore_task_iter_create() - iterate over tasks: init_task.tasks list of
 * thread-group leaders, and with @threads, each leader's signal->thread_head
 * (or thread_group) list.  Bounded; a cycle is VMACORE_ERROR_CORRUPT.
 *
 * A damaged thread list costs its own thread group only: the walk records
 * a loss (vmacore_task_iter_losses()) and goes on with the next leader.
 * A damaged leader or link of init_task.tasks costs the leaders between
 * it and the first one that can be reached backwards from the list's end
 * (list_head is doubly linked); the leaders read backwards are returned
 * after the others, in list order.
 */
VMACORE_API struct vmacore_error *
vmacore_task_iter_create(struct vmacore_ctx *ctx, bool threads,
			 struct vmacore_task_iter **ret);
/**
 * vmacore_task_iter_next() - next task, or &vmacore_stop at the end.
 * Return: NULL; &vmacore_stop; an error only when the walk cannot go on
 * at all (out of memory, a bound; the walk is over: later calls fail with
 * INVALID).
 */
VMACORE_API struct vmacore_error *
vmacore_task_iter_next(struct vmacore_task_iter *it, struct vmacore_task *ret);
VMACORE_API void vmacore_task_iter_destroy(struct vmacore_task_iter *it);

/**
 * struct vmacore_task_loss - a part of the task lists that could not be
 * read.
 * @gap: the loss is in the leaders' list (init_task.tasks) itself: a
 *	leader or a link that cannot be read.  The walk then reads the rest
 *	of the list backwards (from init_task.tasks.prev), so only the
 *	leaders between @leader and the first one read backwards are lost
 *	(at least the one at @after), with their threads.
 *	Otherwise the loss is one thread list: @leader's group's other
 *	threads (from the one after @after) were not returned.
 * @leader: the thread-group leader whose thread list was lost; for a gap,
 *	the last leader read before it (zeroed if none).
 * @after: the last task of the thread list that was read (@leader.addr if
 *	none); for a gap, the task_struct the list led to and that could
 *	not be read (0 when the link itself was bad).
 * @kthread: the leader is a kernel thread (PF_KTHREAD), which never has
 *	other threads (kernel_thread() does not pass CLONE_THREAD): the loss
 *	costs nothing but the list itself.  False for a gap.
 * @code: the code of the error that stopped the list.
 * @file, @line: for CORRUPT, where it was noticed (as in the error).
 * @message: ready to print, e.g. "threads of pid 2 (kthreadd) not read:
 *	cannot read thread list of task 0x...: page not in dump", or "tasks
 *	between pid 60 (kworker/0:2) and pid 64 (sshd) not read: ...".
 *
 * A leaders' list that breaks with nothing lost (the backward walk meets
 * the last leader read forward) is no loss: the library logs it.
 */
struct vmacore_task_loss {
	bool gap;
	struct vmacore_task leader;
	uint64_t after;
	bool kthread;
	enum vmacore_error_code code;
	const char *message;
	const char *file;
	int line;
};

/**
 * vmacore_task_iter_losses() - the thread lists the walk could not read so
 * far, in the order met.
 * @ret: set to an array owned by the iterator, valid until the next
 *	vmacore_task_iter_next() or vmacore_task_iter_destroy() (may be NULL
 *	when there are none).
 * Return: the number of entries.
 */
VMACORE_API size_t
vmacore_task_iter_losses(const struct vmacore_task_iter *it,
			 const struct vmacore_task_loss **ret);

/**
 * vmacore_task_find() - the task with thread id @pid.
 *
 * The pid idr first (init_pid_ns.idr, as find_task_by_vpid() does: a few
 * reads, whatever the number of tasks), whose answer either way is the
 * kernel's own.  Where the kernel has no such idr, or it cannot be read,
 * or the task it names cannot be read: the task lists, walked once per
 * context (see vmacore_ctx_drop_caches()), past what they cannot read (a
 * damaged task costs that task only).
 * Return: NULL and *@ret filled when found (whatever else is damaged);
 * LOOKUP when no task has that pid (every list read, or the idr says so);
 * INCOMPLETE when it was not found but a part of the lists that could
 * hold it (not a kernel thread's thread list) and the idr could not be
 * read, the message naming them; the read error, prefixed "pid N", when
 * the idr has the task but its task_struct cannot be read; the error
 * itself when not one task of the list is readable and the idr cannot
 * tell.
 */
VMACORE_API struct vmacore_error *
vmacore_task_find(struct vmacore_ctx *ctx, int32_t pid,
		  struct vmacore_task *ret);

/**
 * vmacore_task_read() - fill a struct vmacore_task from a task_struct address.
 */
VMACORE_API struct vmacore_error *
vmacore_task_read(struct vmacore_ctx *ctx, uint64_t task_addr,
		  struct vmacore_task *ret);

/**
 * vmacore_ctx_drop_caches() - forget what the context learned of the task
 * lists.  vmacore_task_find() (when it cannot use the pid idr),
 * vmacore_mm_tasks() and the owners of rmap hits share one index of every
 * task, made by one walk of the task lists when first needed and kept
 * (bounded: at most PID_MAX_LIMIT tasks); a front end whose kernel may
 * change under it (a live system) calls this before each query.
 */
VMACORE_API void vmacore_ctx_drop_caches(struct vmacore_ctx *ctx);

/* ------------------------------------------------------------------------ */
/* mm_struct                                                                */
/* ------------------------------------------------------------------------ */

/**
 * struct vmacore_mm - the parts of an mm_struct the queries need.
 * @addr: address of the struct mm_struct.
 * @pgd: mm->pgd (kernel virtual address of the top page table).
 * @map_count: mm->map_count (what the kernel believes; the walk checks it).
 * @total_vm: mm->total_vm in pages.
 * @flags: the first word of mm->flags (a bitmap on newer kernels), which
 *	holds the MMF_DUMP_* coredump_filter bits.
 * @coredump_filter: the task's coredump_filter, decoded as
 *	/proc/PID/coredump_filter prints it.
 * @start_brk, @brk, @start_stack: as in the kernel ([heap] and [stack]).
 * @context_vdso: mm->context.vdso (x86), 0 if absent.
 */
struct vmacore_mm {
	uint64_t addr;
	uint64_t pgd;
	int32_t map_count;
	uint64_t total_vm;
	uint64_t flags;
	uint32_t coredump_filter;
	uint64_t start_brk;
	uint64_t brk;
	uint64_t start_stack;
	uint64_t context_vdso;
};

VMACORE_API struct vmacore_error *
vmacore_mm_read(struct vmacore_ctx *ctx, uint64_t mm_addr,
		struct vmacore_mm *ret);

/* ------------------------------------------------------------------------ */
/* VMAs: the maple tree mm->mm_mt                                           */
/* ------------------------------------------------------------------------ */

/**
 * struct vmacore_vma - one struct vm_area_struct.
 * @addr: its address.
 * @vm_start: first address (inclusive).
 * @vm_end: end address (exclusive).
 * @vm_flags: the raw flags word.
 * @vm_pgoff: offset in the file (or anon pgoff) in pages.
 * @vm_file: struct file *, 0 when anonymous.
 * @vm_ops: const struct vm_operations_struct *.
 * @anon_vma: struct anon_vma *.
 * @vm_mm: the owning mm_struct.
 * @anon_name: struct anon_vma_name * (0 if none or not in this kernel).
 * @vm_private_data: vma->vm_private_data (struct vm_special_mapping * for
 *	special mappings such as [vdso]).
 */
struct vmacore_vma {
	uint64_t addr;
	uint64_t vm_start;
	uint64_t vm_end;
	uint64_t vm_flags;
	uint64_t vm_pgoff;
	uint64_t vm_file;
	uint64_t vm_ops;
	uint64_t anon_vma;
	uint64_t vm_mm;
	uint64_t anon_name;
	uint64_t vm_private_data;
};

struct vmacore_vma_iter;

/**
 * vmacore_vma_iter_create() - iterate over the VMAs of @mm in address order
 * by walking mm->mm_mt.  Every node type is handled, XA_ZERO_ENTRY and dead
 * nodes are skipped, depth and node count are bounded, and each VMA's
 * [vm_start, vm_end) is checked against the tree's pivots.
 */
VMACORE_API struct vmacore_error *
vmacore_vma_iter_create(struct vmacore_ctx *ctx, uint64_t mm_addr,
			struct vmacore_vma_iter **ret);
/**
 * vmacore_vma_iter_next() - next VMA, or &vmacore_stop at the end.
 *
 * A damaged part of the tree costs its own address range only: a maple
 * node or a VMA that cannot be read or breaks the tree's rules is
 * skipped, the range its parent's pivots give it recorded as a loss
 * (vmacore_vma_iter_losses()), and the walk goes on with the next slot.
 * Return: NULL; &vmacore_stop; an error only when the walk cannot go on
 * (out of memory, more than VMACORE_VMA_LOSSES_MAX losses or maple nodes
 * beyond any real tree); then it is over.
 */
VMACORE_API struct vmacore_error *
vmacore_vma_iter_next(struct vmacore_vma_iter *it, struct vmacore_vma *ret);

/* Losses recorded by one VMA walk at most; the next one ends the walk. */
#define VMACORE_VMA_LOSSES_MAX 1024

/**
 * struct vmacore_vma_loss - a part of an address space a VMA walk could
 * not read.
 * @ranged: @start and @last are valid.  False for the one loss the walk
 *	cannot place: at the end, the number of VMAs read differs from
 *	mm->map_count (recorded whether or not ranged losses explain it).
 * @start: first address of the range (inclusive).
 * @last: last address of the range (inclusive).  Any VMA in [@start,
 *	@last] was not returned; every VMA outside it that the tree holds was.
 * @code: the code of the cause (CORRUPT, FAULT, NODATA, ...).
 * @message: ready to print: "VMAs in [0x7f0000000000, 0x7f00001fffff]
 *	not read: cannot read maple node 0x...: page not in dump", or
 *	"3 VMAs read from mm_mt, map_count says 42".
 * @file, @line: for CORRUPT, where it was noticed (as in the error).
 */
struct vmacore_vma_loss {
	bool ranged;
	uint64_t start;
	uint64_t last;
	enum vmacore_error_code code;
	const char *message;
	const char *file;
	int line;
};

/**
 * vmacore_vma_iter_losses() - what the walk has skipped so far, in address
 * order (the map_count entry, if any, last).
 * @ret: set to an array owned by the iterator, valid until the next
 *	vmacore_vma_iter_next() or vmacore_vma_iter_destroy() (may be NULL
 *	when there are none).
 * Return: the number of entries.
 */
VMACORE_API size_t
vmacore_vma_iter_losses(const struct vmacore_vma_iter *it,
			const struct vmacore_vma_loss **ret);

/**
 * vmacore_vma_iter_partial() - whether the walk has recorded a loss so far
 * (vmacore_vma_iter_losses() != 0); after &vmacore_stop, whether it may
 * have missed VMAs.
 */
VMACORE_API bool vmacore_vma_iter_partial(const struct vmacore_vma_iter *it);
VMACORE_API void vmacore_vma_iter_destroy(struct vmacore_vma_iter *it);

/**
 * vmacore_vma_find() - the VMA of @mm that contains @address, found by
 * descending the maple tree (mt_find() semantics, not a scan).
 * @found_ret: false (and *@ret untouched) if no VMA contains @address.
 */
VMACORE_API struct vmacore_error *
vmacore_vma_find(struct vmacore_ctx *ctx, uint64_t mm_addr, uint64_t address,
		 struct vmacore_vma *ret, bool *found_ret);

/** vmacore_vma_read() - fill a struct vmacore_vma from its address. */
VMACORE_API struct vmacore_error *
vmacore_vma_read(struct vmacore_ctx *ctx, uint64_t vma_addr,
		 struct vmacore_vma *ret);

#define VMACORE_NAME_MAX 4352 /* PATH_MAX plus room for " (deleted)" etc */

/**
 * struct vmacore_maps_line - what show_map_vma() prints for a VMA.
 * @dev_major, @dev_minor, @ino: of the file's inode (0 if anonymous).
 * @pgoff: vm_pgoff << PAGE_SHIFT for file VMAs, 0 for anonymous.
 * @name: path of the file, "[heap]", "[stack]", "[vdso]", "[anon:NAME]",
 *	... or "" (as /proc/PID/maps prints it).
 * @partial: the name could not be completely rebuilt (@name says "?" where
 *	the data was missing) - the reason was sent to the log.
 * @perms: the "rwxp" column (vmacore_vma_perms()).
 * @assumed: NULL, or the kernel rule that @name depends on and that the
 *	dump does not tell, as assumed ("[heap]: ..."; a static string).
 */
struct vmacore_maps_line {
	uint32_t dev_major;
	uint32_t dev_minor;
	uint64_t ino;
	uint64_t pgoff;
	bool partial;
	char perms[5];
	const char *assumed;
	char name[VMACORE_NAME_MAX];
};

/**
 * vmacore_vma_maps_line() - the /proc/PID/maps view of a VMA.
 * @mm: the owning mm (for [heap] and [stack]).
 */
VMACORE_API struct vmacore_error *
vmacore_vma_maps_line(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		      const struct vmacore_vma *vma,
		      struct vmacore_maps_line *ret);

/**
 * vmacore_maps_line_format() - the /proc/PID/maps line of a VMA exactly as
 * show_map_vma() (fs/proc/task_mmu.c) prints it, without the newline:
 * "start-end perms pgoff major:minor inode ", then, when there is a name,
 * spaces up to column 73 and the name.  A nameless line ends with a space.
 * @ml: from vmacore_vma_maps_line() for @vma.
 * @buf, @size: the line, truncated and NUL-terminated as snprintf() does.
 * Return: the length of the whole line, as snprintf().
 */
VMACORE_API size_t vmacore_maps_line_format(const struct vmacore_vma *vma,
					    const struct vmacore_maps_line *ml,
					    char *buf, size_t size);

/**
 * vmacore_vma_perms() - the "rwxp" column of /proc/PID/maps for @vm_flags
 * (show_vma_header_prefix()), with this kernel's VM_READ, VM_WRITE,
 * VM_EXEC and VM_MAYSHARE bits; NUL-terminated.
 */
VMACORE_API void vmacore_vma_perms(struct vmacore_ctx *ctx, uint64_t vm_flags,
				   char buf[5]);

/**
 * vmacore_file_path() - d_path() of a struct file, through dentries and
 * mounts, as /proc/PID/maps would print it.
 */
VMACORE_API struct vmacore_error *
vmacore_file_path(struct vmacore_ctx *ctx, uint64_t file_addr, char *buf,
		  size_t size);

/* ------------------------------------------------------------------------ */
/* vm_flags                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * vmacore_flags_codes() - smaps "VmFlags:" codes of @flags, as this kernel's
 * show_smap_vma_flags() prints them ("rd wr mr mw me ac"; no trailing
 * space).  The table is read from the dump when the kernel has it.
 * Return: NULL, or INVALID if @size is too small.
 */
VMACORE_API struct vmacore_error *
vmacore_flags_codes(struct vmacore_ctx *ctx, uint64_t flags, char *buf,
		    size_t size);

/**
 * vmacore_flags_names() - long names of @flags ("read|write|mayread|...")
 * from the kernel's vmaflag_names[] (or VMA_*_BIT enum); bits that no name
 * covers are appended as one hex value ("|0x400000000"), never dropped.
 */
VMACORE_API struct vmacore_error *
vmacore_flags_names(struct vmacore_ctx *ctx, uint64_t flags, char *buf,
		    size_t size);

/**
 * struct vmacore_flag_bit - one entry of the dump's vm_flags table.
 * @mask: the flag's mask.
 * @name: long name ("dontdump"), NULL if the kernel has none.
 * @code: two-letter smaps code ("dd"), "" if none.
 */
struct vmacore_flag_bit {
	uint64_t mask;
	const char *name;
	char code[3];
};

/**
 * vmacore_flags_table() - the decoding table this dump gave (valid until
 * the context is destroyed).  One entry per bit 0..63.
 */
VMACORE_API const struct vmacore_flag_bit *
vmacore_flags_table(struct vmacore_ctx *ctx, size_t *count_ret);

/**
 * vmacore_flags_codes_builtin() - the bits whose smaps code is vmacore's
 * built-in table (Linux 7.2's) because the dump has no
 * show_smap_vma_flags() table; 0 when every code is the dump's own.  An
 * answer that prints a code of these bits must say it was assumed.
 */
VMACORE_API uint64_t vmacore_flags_codes_builtin(struct vmacore_ctx *ctx);

/* ======================================================================== */
/* Reverse map and core-dump verdict (rmap.c, page.c, pgtable.c,            */
/* interval_tree.c, coredump.c)                                             */
/* ======================================================================== */

/**
 * struct vmacore_pte - what an mm's page table says about one address.
 * @present: pte_present() (or pmd/pud leaf present; PROT_NONE counts).
 * @pfn: the page frame that @vaddr translates to (valid if @present).
 * @entry: the raw entry of the last level read (0 if none).
 * @level: the level of @entry: 1 = PTE, 2 = PMD, 3 = PUD, 4 = P4D, 5 = PGD
 *	(counted from the last level on every architecture).
 * @page_size: bytes mapped by @entry when @present: the page, a huge
 *	(x86 PSE, arm64 block) entry's size, or for an arm64 entry with the
 *	contiguous bit (PTE_CONT) the contiguous range's (hugetlb 64K or 32M
 *	with 4K pages).
 * @young: pte_young() of @entry (when @present).
 * @dirty: pte_dirty() of @entry (when @present): arm64 counts the software
 *	dirty bit and the hardware one (DBM set, read-only clear).
 * @soft_dirty: pte_soft_dirty() (present) or pte_swp_soft_dirty() (@swap)
 *	of @entry, on architectures that have the bit (x86_64).
 * @special: pte_special() of @entry (when @present): the software bit
 *	vm_normal_page() tests (the zero page, VM_PFNMAP/VM_MIXEDMAP pfns).
 * @swap: is_swap_pte(): not present and not empty, a swap entry (swap,
 *	migration, hwpoison, marker...) of @swap_type (__swp_type()) and
 *	@swap_offset (__swp_offset()), the architecture's encoding.
 *
 * Only the entry at @vaddr is read: an arm64 contiguous range's young and
 * dirty bits of the other entries (contpte_ptep_get()) are not gathered.
 */
struct vmacore_pte {
	bool present;
	uint64_t pfn;
	uint64_t entry;
	int level;
	uint64_t page_size;
	bool young;
	bool dirty;
	bool soft_dirty;
	bool special;
	bool swap;
	uint32_t swap_type;
	uint64_t swap_offset;
};

/**
 * vmacore_pgtable_lookup() - walk the page table of an mm for one address.
 * @pgd: mm->pgd (kernel virtual address of the top level).
 * @vaddr: user virtual address.
 * @ret: the result; a missing level is not an error (@present false).
 *
 * The dumped kernel's architecture and paging mode (see vmacore_ctx_arch()):
 * x86_64 4- or 5-level paging, huge pages (PSE at PUD and PMD); arm64 the
 * TTBR0 walk of its granule and VA size, block and contiguous entries.
 * Return: NULL, or FAULT/NODATA when a table is unreadable, CORRUPT for an
 * entry the MMU would reject, UNSUPPORTED for a paging mode not known.
 */
VMACORE_API struct vmacore_error *
vmacore_pgtable_lookup(struct vmacore_ctx *ctx, uint64_t pgd, uint64_t vaddr,
		       struct vmacore_pte *ret);

/** enum vmacore_page_kind - what folio->mapping says the folio is. */
enum vmacore_page_kind {
	VMACORE_PAGE_NONE,	/* mapping NULL: free, kernel, or unmapped */
	VMACORE_PAGE_FILE,	/* page cache, shmem, hugetlbfs */
	VMACORE_PAGE_ANON,	/* mapping = anon_vma | PAGE_MAPPING_ANON */
	VMACORE_PAGE_KSM,	/* mapping = stable node | PAGE_MAPPING_KSM */
	VMACORE_PAGE_MOVABLE,	/* non-LRU movable (no rmap) */
	VMACORE_PAGE_TYPED,	/* slab, page table, buddy...: page_has_type()
				 * or PG_slab; never mapped to user space */
};

/**
 * struct vmacore_folio - a page and the folio it belongs to.
 * @pfn: the page asked about.
 * @page: its struct page address (vmemmap).
 * @folio: the head page (struct folio) address.
 * @folio_pfn: pfn of the head page.
 * @nr_pages: folio_nr_pages() (1 unless large).
 * @order: folio_order().
 * @flags: the head page's flags word.
 * @mapping: folio->mapping with its low bits.
 * @kind: decoded from @mapping's low bits.
 * @hugetlb: folio_test_hugetlb().
 * @pgoff: folio_pgoff(), in PAGE_SIZE units (converted from huge page
 *	units on kernels that counted hugetlb indexes so).
 */
struct vmacore_folio {
	uint64_t pfn;
	uint64_t page;
	uint64_t folio;
	uint64_t folio_pfn;
	uint64_t nr_pages;
	unsigned int order;
	uint64_t flags;
	uint64_t mapping;
	enum vmacore_page_kind kind;
	bool hugetlb;
	uint64_t pgoff;
};

/** vmacore_page_from_pfn() - struct page address of @pfn (vmemmap). */
VMACORE_API struct vmacore_error *
vmacore_page_from_pfn(struct vmacore_ctx *ctx, uint64_t pfn, uint64_t *ret);

/**
 * vmacore_pfn_from_page() - pfn of a struct page address.
 * Return: INVALID if @page is not a struct page in vmemmap.
 */
VMACORE_API struct vmacore_error *
vmacore_pfn_from_page(struct vmacore_ctx *ctx, uint64_t page, uint64_t *ret);

/** vmacore_folio_read() - the folio of page @pfn, decoded. */
VMACORE_API struct vmacore_error *
vmacore_folio_read(struct vmacore_ctx *ctx, uint64_t pfn,
		   struct vmacore_folio *ret);

/** enum vmacore_rmap_kind - which rmap walk found a mapping. */
enum vmacore_rmap_kind {
	VMACORE_RMAP_FILE,	/* mapping->i_mmap */
	VMACORE_RMAP_ANON,	/* anon_vma->rb_root */
	VMACORE_RMAP_KSM,	/* stable node -> rmap items -> anon_vmas */
};

/**
 * struct vmacore_rmap_hit - one (task, VMA, address) that may map a page.
 * @pid: tgid of a process whose mm is @mm; -1 if no task uses @mm (or
 *	none was found where vmacore_rmap_iter_owners_lost() says so).
 * @comm: that task's comm ("" if none).
 * @mm: the mm_struct.
 * @vma: the vm_area_struct.
 * @vm_start, @vm_end: its range, @vm_end exclusive.
 * @vaddr: where the page would be in this VMA (vma_address() of the folio,
 *	plus the page's index in the folio; the rmap item's address for KSM).
 * @mapped: the page table of @mm maps exactly this pfn at @vaddr.
 * @pte_unreadable: the page table could not be read (not in the dump):
 *	@mapped is false and unknown; the reason went to the log.
 * @pte: what the page table holds at @vaddr.
 * @kind: which walk found it.
 *
 * A VMA used by several processes (CLONE_VM without threads) gives one hit
 * per process.
 */
struct vmacore_rmap_hit {
	int32_t pid;
	char comm[VMACORE_COMM_LEN + 1];
	uint64_t mm;
	uint64_t vma;
	uint64_t vm_start;
	uint64_t vm_end;
	uint64_t vaddr;
	bool mapped;
	bool pte_unreadable;
	struct vmacore_pte pte;
	enum vmacore_rmap_kind kind;
};

struct vmacore_rmap_iter;

/**
 * vmacore_rmap_iter_create() - every (task, VMA, address) that the kernel's
 * rmap_walk() would visit for page @pfn: rmap_walk_file(), rmap_walk_anon()
 * or rmap_walk_ksm(), each candidate checked against the page table.
 * @folio_ret: optional; the decoded folio.
 *
 * The walk is done here (bounded); _next() only hands out the results.
 * Return: NULL with an iterator that may be empty (page not mapped).
 */
VMACORE_API struct vmacore_error *
vmacore_rmap_iter_create(struct vmacore_ctx *ctx, uint64_t pfn,
			 struct vmacore_folio *folio_ret,
			 struct vmacore_rmap_iter **ret);
/** vmacore_rmap_iter_next() - next hit, or &vmacore_stop at the end. */
VMACORE_API struct vmacore_error *
vmacore_rmap_iter_next(struct vmacore_rmap_iter *it,
		       struct vmacore_rmap_hit *ret);
VMACORE_API void vmacore_rmap_iter_destroy(struct vmacore_rmap_iter *it);
/**
 * vmacore_rmap_iter_owners_lost() - why the answer may be incomplete: the
 * tasks of the hits (@pid, @comm), when part of the task list that could
 * hold such a task was not read; the hits themselves, when subtrees of an
 * rmap interval tree were not in the dump (the walk skipped them and went
 * on: the hits found stand).  Reasons are joined by "; ".
 * Return: NULL when the answer is complete; else the reason (owned by the
 * iterator, valid until it is destroyed).
 */
VMACORE_API const char *
vmacore_rmap_iter_owners_lost(const struct vmacore_rmap_iter *it);

/**
 * struct vmacore_interval_hit - one node of an rmap interval tree.
 * @node: the tree node (vm_area_struct for i_mmap, anon_vma_chain for
 *	anon_vma->rb_root).
 * @vma: the VMA it stands for.
 * @start: vma_start_pgoff() of that VMA (inclusive).
 * @last: vma_last_pgoff() of that VMA (inclusive).
 */
struct vmacore_interval_hit {
	uint64_t node;
	uint64_t vma;
	uint64_t start;
	uint64_t last;
};

struct vmacore_interval_iter;

/**
 * vmacore_imap_iter_create() - VMAs in @mapping's i_mmap tree that overlap
 * page offsets [@first, @last] (both inclusive), in the tree's order
 * (vma_interval_tree_iter_first/next(), mm/interval_tree.c).
 * @mapping: a struct address_space.
 */
VMACORE_API struct vmacore_error *
vmacore_imap_iter_create(struct vmacore_ctx *ctx, uint64_t mapping,
			 uint64_t first, uint64_t last,
			 struct vmacore_interval_iter **ret);

/**
 * vmacore_anon_iter_create() - anon_vma_chains in @anon_vma's rb_root tree
 * whose VMA overlaps [@first, @last] (inclusive)
 * (anon_vma_interval_tree_iter_first/next()).
 */
VMACORE_API struct vmacore_error *
vmacore_anon_iter_create(struct vmacore_ctx *ctx, uint64_t anon_vma,
			 uint64_t first, uint64_t last,
			 struct vmacore_interval_iter **ret);

/** vmacore_interval_iter_next() - next node, or &vmacore_stop. */
VMACORE_API struct vmacore_error *
vmacore_interval_iter_next(struct vmacore_interval_iter *it,
			   struct vmacore_interval_hit *ret);
VMACORE_API void vmacore_interval_iter_destroy(struct vmacore_interval_iter *it);

/**
 * struct vmacore_avc - one anon_vma_chain of a VMA (vma->anon_vma_chain).
 * @avc: the struct anon_vma_chain.
 * @anon_vma: avc->anon_vma.
 * @root: anon_vma->root.
 * @parent: anon_vma->parent.
 * @num_children, @num_active_vmas: as the kernel counts them (0 if absent).
 */
struct vmacore_avc {
	uint64_t avc;
	uint64_t anon_vma;
	uint64_t root;
	uint64_t parent;
	uint64_t num_children;
	uint64_t num_active_vmas;
};

/**
 * vmacore_anon_chain() - the anon_vma_chain list of VMA @vma_addr
 * (vma->anon_vma_chain through avc->same_vma), bounded.
 * @ret: array of @max entries; @count_ret: entries filled.
 * Return: NULL; CORRUPT on a cycle or more than @max entries.
 */
VMACORE_API struct vmacore_error *
vmacore_anon_chain(struct vmacore_ctx *ctx, uint64_t vma_addr,
		   struct vmacore_avc *ret, size_t max, size_t *count_ret);

/**
 * vmacore_file_mapping() - address_space of a struct file (file->f_mapping).
 */
VMACORE_API struct vmacore_error *
vmacore_file_mapping(struct vmacore_ctx *ctx, uint64_t file, uint64_t *ret);

/**
 * vmacore_inode_mapping() - address_space of a struct inode (i_mapping).
 */
VMACORE_API struct vmacore_error *
vmacore_inode_mapping(struct vmacore_ctx *ctx, uint64_t inode, uint64_t *ret);

/**
 * vmacore_mm_tasks() - the processes (tgid, comm of the leader or first
 * thread found) whose mm is @mm.
 * @ret: array of @max entries; @count_ret: entries filled (may exceed @max:
 * the number that exist).
 *
 * Return: NULL; INCOMPLETE when a thread list that may hold such a process
 * could not be read (its leader has no mm and is no kernel thread: an
 * exited leader whose threads run on): *@ret and *@count_ret are filled
 * with what was found all the same, the message says what was lost.
 */
VMACORE_API struct vmacore_error *
vmacore_mm_tasks(struct vmacore_ctx *ctx, uint64_t mm,
		 struct vmacore_task *ret, size_t max, size_t *count_ret);

/** enum vmacore_dump_kind - how much of a VMA a core dump would hold. */
enum vmacore_dump_kind {
	VMACORE_DUMP_NONE,
	VMACORE_DUMP_FULL,
	VMACORE_DUMP_FIRST_PAGE,
	VMACORE_DUMP_UNKNOWN,	/* the deciding page is not in the dump */
};

/**
 * enum vmacore_dump_rule - the branch of vma_dump_size() (fs/coredump.c)
 * that decided.
 */
enum vmacore_dump_rule {
	VMACORE_DUMP_RULE_GATE,		/* vma == get_gate_vma(mm) */
	VMACORE_DUMP_RULE_VM_OPS_NAME,	/* vma->vm_ops->name(vma) */
	VMACORE_DUMP_RULE_ARCH_NAME,	/* arch_vma_name(vma) */
	VMACORE_DUMP_RULE_DONTDUMP,	/* VM_DONTDUMP */
	VMACORE_DUMP_RULE_DAX_SHARED,	/* FILTER(DAX_SHARED) */
	VMACORE_DUMP_RULE_DAX_PRIVATE,	/* FILTER(DAX_PRIVATE) */
	VMACORE_DUMP_RULE_HUGETLB_SHARED,	/* FILTER(HUGETLB_SHARED) */
	VMACORE_DUMP_RULE_HUGETLB_PRIVATE,	/* FILTER(HUGETLB_PRIVATE) */
	VMACORE_DUMP_RULE_IO,		/* VM_IO */
	VMACORE_DUMP_RULE_ANON_SHARED,	/* VM_SHARED, i_nlink == 0 */
	VMACORE_DUMP_RULE_MAPPED_SHARED,	/* VM_SHARED, i_nlink != 0 */
	VMACORE_DUMP_RULE_ANON_PRIVATE,	/* vma->anon_vma */
	VMACORE_DUMP_RULE_NO_FILE,	/* private, no anon_vma, no file */
	VMACORE_DUMP_RULE_MAPPED_PRIVATE,	/* FILTER(MAPPED_PRIVATE) */
	VMACORE_DUMP_RULE_ELF_EXEC,	/* first page: file is executable */
	VMACORE_DUMP_RULE_ELF_MAGIC,	/* first page: starts with ELFMAG */
	VMACORE_DUMP_RULE_ELF_NO_MAGIC,	/* not ELF: nothing */
	VMACORE_DUMP_RULE_ELF_UNKNOWN,	/* first page not in the dump */
	VMACORE_DUMP_RULE_DEFAULT,	/* private file, no rule applies */
};

/**
 * struct vmacore_coredump_verdict - what vma_dump_size() would return.
 * @size: bytes a core dump would write for the VMA (0 for NONE/UNKNOWN).
 * @kind: FULL, FIRST_PAGE, NONE or UNKNOWN.
 * @rule: the deciding branch.
 * @rule_name: short name of @rule ("dontdump", "anon-private", ...).
 * @filter_bit: the MMF_DUMP_* bit the rule tested, -1 if none.
 * @reason: one line for humans ("VM_DONTDUMP", "hugetlb shared, bit 8
 *	of coredump_filter clear", "unknown: page not in dump", ...).
 */
struct vmacore_coredump_verdict {
	uint64_t size;
	enum vmacore_dump_kind kind;
	enum vmacore_dump_rule rule;
	const char *rule_name;
	int filter_bit;
	char reason[96];
};

/**
 * vmacore_coredump_vma() - the core-dump verdict of one VMA of @mm, as the
 * dump's kernel decides in vma_dump_size() with the task's coredump_filter
 * (mm->flags), including the ELF-header first page check that
 * dump_vma_snapshot() makes by reading the first bytes of the mapping.
 */
VMACORE_API struct vmacore_error *
vmacore_coredump_vma(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		     const struct vmacore_vma *vma,
		     struct vmacore_coredump_verdict *ret);

/**
 * vmacore_coredump_gate_vma() - the gate VMA (vsyscall page) a core dump of
 * @mm appends after the maple tree's VMAs (get_gate_vma()).
 * @found_ret: false when this mm has none (vsyscall=none, ...).
 */
VMACORE_API struct vmacore_error *
vmacore_coredump_gate_vma(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
			  struct vmacore_vma *ret, bool *found_ret);

/** vmacore_dump_kind_name() - "full", "first-page", "none", "unknown". */
VMACORE_API const char *vmacore_dump_kind_name(enum vmacore_dump_kind kind);

/* ======================================================================== */
/* Memory as the kernel counted it: smaps (smaps.c)                         */
/* ======================================================================== */

/**
 * enum vmacore_smaps_field - the counters of struct vmacore_smaps, in the
 * order __show_smap() prints them; bit (1 << field) in
 * vmacore_smaps.unknown marks one that could not be determined.
 */
enum vmacore_smaps_field {
	VMACORE_SMAPS_RSS,
	VMACORE_SMAPS_PSS,
	VMACORE_SMAPS_PSS_DIRTY,
	VMACORE_SMAPS_SHARED_CLEAN,
	VMACORE_SMAPS_SHARED_DIRTY,
	VMACORE_SMAPS_PRIVATE_CLEAN,
	VMACORE_SMAPS_PRIVATE_DIRTY,
	VMACORE_SMAPS_REFERENCED,
	VMACORE_SMAPS_ANONYMOUS,
	VMACORE_SMAPS_KSM,
	VMACORE_SMAPS_LAZYFREE,
	VMACORE_SMAPS_ANON_HUGE,
	VMACORE_SMAPS_SHMEM_PMD,
	VMACORE_SMAPS_FILE_PMD,
	VMACORE_SMAPS_SHARED_HUGETLB,
	VMACORE_SMAPS_PRIVATE_HUGETLB,
	VMACORE_SMAPS_SWAP,
	VMACORE_SMAPS_SWAP_PSS,
	VMACORE_SMAPS_LOCKED,
	VMACORE_SMAPS_THP_ELIGIBLE,
	VMACORE_SMAPS_PROTECTION_KEY,
	VMACORE_SMAPS_NR_FIELDS,
};

/**
 * struct vmacore_smaps - one VMA's struct mem_size_stats (fs/proc/task_mmu.c)
 * and what show_smap() prints besides it.  Sizes are in bytes; the
 * proportional ones (@pss...) are bytes << VMACORE_PSS_SHIFT, as the kernel
 * keeps them, so that sums over VMAs round as smaps_rollup does.
 * @size: vm_end - vm_start.
 * @kernel_page_size, @mmu_page_size: vma_kernel_pagesize(),
 *	vma_mmu_pagesize() (the huge page size of a hugetlb VMA).
 * @resident ... @swap: mss->resident ... mss->swap.
 * @pss, @pss_dirty, @pss_anon, @pss_file, @pss_shmem, @pss_locked, @swap_pss:
 *	shifted by VMACORE_PSS_SHIFT.
 * @thp_eligible: what "THPeligible:" prints (0 or 1).
 * @protection_key: vma_pkey(); printed only when @has_protection_key.
 * @has_ksm: this kernel prints the "KSM:" line (probed from its
 *	__show_smap() format string).
 * @has_protection_key: arch_pkeys_enabled(): "ProtectionKey:" is printed.
 * @pages: present pages (PTE, or PMD/PUD leaves) the walk accounted.
 * @unknown: bit (1 << enum vmacore_smaps_field) for each counter the dump
 *	could not give (the others are exact); @why says the first reason.
 */
#define VMACORE_PSS_SHIFT 12

struct vmacore_smaps {
	uint64_t size;
	uint64_t kernel_page_size;
	uint64_t mmu_page_size;
	uint64_t resident;
	uint64_t shared_clean;
	uint64_t shared_dirty;
	uint64_t private_clean;
	uint64_t private_dirty;
	uint64_t referenced;
	uint64_t anonymous;
	uint64_t ksm;
	uint64_t lazyfree;
	uint64_t anonymous_thp;
	uint64_t shmem_thp;
	uint64_t file_thp;
	uint64_t shared_hugetlb;
	uint64_t private_hugetlb;
	uint64_t swap;
	uint64_t pss;
	uint64_t pss_dirty;
	uint64_t pss_anon;
	uint64_t pss_file;
	uint64_t pss_shmem;
	uint64_t pss_locked;
	uint64_t swap_pss;
	int thp_eligible;
	int protection_key;
	bool has_ksm;
	bool has_protection_key;
	uint64_t pages;
	uint64_t unknown;
	char why[256];
};

/**
 * vmacore_smaps_vma() - what /proc/PID/smaps shows for one VMA of @mm, as
 * the dump's show_smap() would compute it: the page-table walk of
 * smaps_pte_entry(), smaps_pmd_entry() and smaps_hugetlb_range() and the
 * folio accounting of smaps_account() (young/dirty bits of the entry, the
 * folio's dirty/referenced/young flags, refcount, mapcount as this kernel
 * keeps it), each rule probed from the dump.
 * @ret: filled; fields the dump cannot give are flagged in @ret->unknown
 *	(a page-table page or struct page missing from the dump, a swap or
 *	migration entry whose accounting needs what is not read).
 * Return: NULL (even with unknown fields), or an error that leaves *@ret
 * undefined (out of memory, the kernel lacks what smaps needs).
 */
VMACORE_API struct vmacore_error *
vmacore_smaps_vma(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		  const struct vmacore_vma *vma, struct vmacore_smaps *ret);

/**
 * vmacore_smaps_add() - add @v's counters into @sum (smaps_rollup), the
 * unknown bits too; @sum->why keeps its first reason.
 */
VMACORE_API void vmacore_smaps_add(struct vmacore_smaps *sum,
				   const struct vmacore_smaps *v);

/**
 * struct vmacore_rss - an mm's RSS counters (mm->rss_stat), in pages, as
 * /proc/PID/status prints them (VmRSS = @file + @anon + @shmem).
 * @file, @anon, @shmem, @swap: MM_FILEPAGES, MM_ANONPAGES, MM_SHMEMPAGES,
 *	MM_SWAPENTS.
 * @per_cpu: the kernel keeps them as percpu_counters (6.2+); then the
 *	values are the central counts plus every online CPU's delta
 *	(percpu_counter_sum()); without @sum only the central counts
 *	(percpu_counter_read()).  Negative totals are 0, as the kernel's
 *	*_positive() readers clamp them.
 */
struct vmacore_rss {
	int64_t file;
	int64_t anon;
	int64_t shmem;
	int64_t swap;
	bool per_cpu;
};

/**
 * vmacore_mm_rss() - the RSS counters of the mm at @mm_addr.
 * @sum: add the per-CPU deltas (get_mm_counter_sum()) where the kernel
 *	keeps them per CPU; else what get_mm_counter() reads.
 * Return: NULL, LOOKUP if this kernel has no mm->rss_stat, or a read error.
 */
VMACORE_API struct vmacore_error *
vmacore_mm_rss(struct vmacore_ctx *ctx, uint64_t mm_addr, bool sum,
	       struct vmacore_rss *ret);

/**
 * struct vmacore_pagemap_entry - one page of /proc/PID/pagemap, as
 * pagemap_read() reports it to a reader with CAP_SYS_ADMIN.
 * @vaddr: the page's user address.
 * @present: PM_PRESENT (bit 63); @pfn is the page frame.
 * @swapped: PM_SWAP (bit 62): a swap (or migration) entry of @swap_type
 *	and @swap_offset.
 * @file: PM_FILE (bit 61): a page-cache or shared-anon (shmem) page.
 * @exclusive: PM_MMAP_EXCLUSIVE (bit 56): the page is mapped once
 *	(its mapcount as this kernel keeps it is 1).
 * @soft_dirty: PM_SOFT_DIRTY (bit 55): the entry's soft-dirty bit or the
 *	VMA's VM_SOFTDIRTY.
 * @frame: bits 0-54: @pfn, or swap type | offset << MAX_SWAPFILES_SHIFT.
 * @folio_pfn, @folio_nr_pages: the folio of a present page that has a
 *	struct page (vm_normal_page()); 0 otherwise.
 * @unknown: @file or @exclusive (or the whole entry, with
 *	@table_unreadable) could not be determined; @why says why.
 */
struct vmacore_pagemap_entry {
	uint64_t vaddr;
	bool present;
	bool swapped;
	bool file;
	bool exclusive;
	bool soft_dirty;
	uint64_t frame;
	uint64_t pfn;
	uint32_t swap_type;
	uint64_t swap_offset;
	uint64_t folio_pfn;
	uint64_t folio_nr_pages;
	bool unknown;
	bool table_unreadable;
	char why[160];
};

struct vmacore_pagemap_iter;

/**
 * vmacore_pagemap_iter_create() - the pagemap entries of @mm's VMAs in
 * [@start, @end) (@end exclusive), in address order.  Only entries that
 * are present or swapped are returned: holes (pagemap shows them as 0, or
 * only PM_SOFT_DIRTY inside a VM_SOFTDIRTY VMA) and VM_PFNMAP VMAs
 * (which pagemap shows as holes) are skipped.
 */
VMACORE_API struct vmacore_error *
vmacore_pagemap_iter_create(struct vmacore_ctx *ctx,
			    const struct vmacore_mm *mm, uint64_t start,
			    uint64_t end, struct vmacore_pagemap_iter **ret);
/**
 * vmacore_pagemap_iter_next() - the next entry, or &vmacore_stop.  A page
 * table that cannot be read costs its page (@table_unreadable entry).
 */
VMACORE_API struct vmacore_error *
vmacore_pagemap_iter_next(struct vmacore_pagemap_iter *it,
			  struct vmacore_pagemap_entry *ret);
/** vmacore_pagemap_iter_partial() - whether the VMA walk lost VMAs. */
VMACORE_API bool
vmacore_pagemap_iter_partial(const struct vmacore_pagemap_iter *it);
VMACORE_API void vmacore_pagemap_iter_destroy(struct vmacore_pagemap_iter *it);

/* ======================================================================== */
/* Opening a dump and running queries (lib/dump/, report/)                  */
/* ======================================================================== */

/*
 * The error vmacore_open() returns when the vmlinux belongs to another
 * kernel (build id or release differ): code VMACORE_ERROR_UNSUPPORTED and
 * a message that starts with this prefix.  vmacore(1) exits 3 on it, and
 * --force (@force below) uses that vmlinux anyway.
 */
#define VMACORE_MISMATCH_PREFIX "vmlinux does not match the dump"

/**
 * struct vmacore_open_opts - how vmacore_open() finds symbols and types.
 * Zero it, set @sz to sizeof(struct vmacore_open_opts), then what you need
 * (libbpf's convention: a library built later ignores nothing a caller
 * sets, one built earlier refuses fields it does not know if they are set).
 * @sz: sizeof(struct vmacore_open_opts).
 * @vmlinux: the vmlinux of the dumped kernel.  NULL: the one Debian's
 *	linux-image-*-dbg installs for the dump's OSRELEASE
 *	(/usr/lib/debug/boot/vmlinux-REL or /usr/lib/debug/lib/modules/REL/
 *	vmlinux), else none: the dump alone (see @no_vmlinux).
 * @no_vmlinux: symbols and types from the dump alone: the kernel's
 *	kallsyms and its BTF, both in the dumped memory.  With @vmlinux set:
 *	VMACORE_ERROR_INVALID.
 * @dwarf: types from the vmlinux's DWARF instead of its BTF (needs a
 *	vmlinux).  Without this, a vmlinux without BTF falls back to DWARF.
 * @force: use a vmlinux that does not match the dump (the mismatch is
 *	logged as "warning: vmlinux does not match the dump: ...").
 * @log: called with @log_arg and one line (no newline, no program name)
 *	for what vmacore -v prints ("using /usr/lib/debug/boot/vmlinux-...")
 *	when @verbose, and for the warning of @force always; may be NULL.
 *	Also called from vmacore_ctx_destroy() (-v statistics), so @log_arg
 *	must outlive the context.
 * @log_arg: passed to @log.
 * @verbose: say what is done, through @log.
 * @cache_dir: with the dump alone, a directory (made if need be) where
 *	decoded pages of a compressed dump are kept between runs: the BTF,
 *	some 1,100 pages to inflate at every start-up otherwise.  An entry
 *	is used only where the compressed bytes it was decoded from equal
 *	the dump's; at most 16 are kept.  NULL: none.  vmacore(1) uses
 *	$XDG_CACHE_HOME/vmacore/decoded (default ~/.cache/vmacore/decoded)
 *	unless --no-cache.
 */
struct vmacore_open_opts {
	size_t sz;
	const char *vmlinux;
	bool no_vmlinux;
	bool dwarf;
	bool force;
	void (*log)(void *arg, const char *msg);
	void *log_arg;
	bool verbose;
	const char *cache_dir;
};

/**
 * vmacore_open() - open a kernel dump and its vmlinux, as vmacore(1) does.
 * @core: the dump: ELF vmcore (/proc/vmcore, QEMU dump-guest-memory),
 *	kdump-compressed (makedumpfile, any dump level), makedumpfile's
 *	flattened format (reassembled in memory), read with libkdumpfile.
 * @opts: may be NULL (all defaults).
 * @ret: the new context; it owns the opened dump, and
 *	vmacore_ctx_destroy() closes both.
 *
 * The vmlinux must match the dump (VMCOREINFO BUILD-ID against its build
 * id, else OSRELEASE against its linux_banner), unless @opts->force.
 * Return: NULL and *@ret on success; else an error whose message is the
 * one vmacore(1) prints after "vmacore: ", e.g. "cannot open dump
 * /x/vmcore: ..." (OS, UNSUPPORTED, CORRUPT), a vmlinux that does not
 * match (VMACORE_MISMATCH_PREFIX), no symbols or types to be had
 * (LOOKUP), a kernel whose layout cannot be resolved (the error of
 * vmacore_ctx_create()), or INVALID for bad @opts.  *@ret is untouched.
 */
VMACORE_API struct vmacore_error *
vmacore_open(const char *core, const struct vmacore_open_opts *opts,
	     struct vmacore_ctx **ret);

/**
 * enum vmacore_status - exit status of vmacore(1) and of vmacore_query().
 * @VMACORE_STATUS_OK: answered (found).
 * @VMACORE_STATUS_NOT_FOUND: answered: no such task, no VMA there, ...
 * @VMACORE_STATUS_USAGE: bad arguments.
 * @VMACORE_STATUS_DUMP: the dump or its debuginfo cannot be read or used.
 * @VMACORE_STATUS_PARTIAL: an answer was printed but is incomplete, and
 *	says why ("partial answer: ...").
 * @VMACORE_STATUS_INTERNAL: out of memory, output not written, a bug.
 */
enum vmacore_status {
	VMACORE_STATUS_OK = 0,
	VMACORE_STATUS_NOT_FOUND = 1,
	VMACORE_STATUS_USAGE = 2,
	VMACORE_STATUS_DUMP = 3,
	VMACORE_STATUS_PARTIAL = 4,
	VMACORE_STATUS_INTERNAL = 5,
};

/**
 * struct vmacore_query_opts - where and how vmacore_query() prints.
 * Zero it and set @sz, as struct vmacore_open_opts.
 * @sz: sizeof(struct vmacore_query_opts).
 * @out_fd: where the answer goes (vmacore(1): 1).  Written through a
 *	dup() of it, flushed before vmacore_query() returns; not closed.
 * @err_fd: where errors, "partial answer: ..." lines and the library's
 *	warnings go (vmacore(1): 2), unbuffered, as stderr is.
 * @json: print JSON instead of tables (the schema is in vmacore(1)).
 * @prog: the name in messages and usage lines ("vmacore" if NULL).
 * @default_pid: the task of a query that names none (crash's current
 *	context); <= 0 for none, as in vmacore(1).
 * @verbose: print every warning; else the first 20, then a line saying
 *	more were suppressed (vmacore -v).
 * @usage_name: the command as the user types it when it runs one query
 *	("vmaps"): usage lines say "usage: vmaps [--json] ..." instead of
 *	"usage: PROG maps [--json] ..."; NULL for the latter.
 */
struct vmacore_query_opts {
	size_t sz;
	int out_fd;
	int err_fd;
	bool json;
	const char *prog;
	int default_pid;
	bool verbose;
	const char *usage_name;
};

/**
 * vmacore_query() - run one query of vmacore(1) on @ctx, printing exactly
 * what the command prints (the same code: report/).
 * @argc, @argv: the query's arguments, @argv[0] its name ("maps", ...),
 *	e.g. { "maps", "--json", "1234", NULL }.  @argv is not modified.
 * @opts: may be NULL: fds 1 and 2, text, "vmacore", no default task.
 *
 * While it runs, the context's log (vmacore_ctx_set_log()) is replaced by
 * one that prints "PROG: warning: ..." on @err_fd; it is restored after.
 * Not reentrant on one context (one query at a time), and it uses
 * getopt(3), whose state is process-wide.
 * Return: the exit status vmacore(1) gives for this query (enum
 * vmacore_status); an unknown query name prints "PROG: unknown
 * subcommand 'NAME' (see PROG --help)" and gives VMACORE_STATUS_USAGE.
 */
VMACORE_API int vmacore_query(struct vmacore_ctx *ctx, int argc, char **argv,
			      const struct vmacore_query_opts *opts);

/**
 * vmacore_query_names() - the names of the queries ("ps", "maps", "vma",
 * "flags", "rmap", "imap", "anon", "coredump"), in vmacore(1)'s order.
 * Return: a static array, terminated by NULL.
 */
VMACORE_API const char *const *vmacore_query_names(void);

/**
 * vmacore_query_describe() - the usage of a query, as vmacore --help shows.
 * @synopsis_ret: its arguments ("[-x] PID|COMM...|--all"); may be NULL.
 * @summary_ret: one line of what it does; may be NULL.
 * Return: false (nothing written) when no query has that name.  The
 * strings are static.
 */
VMACORE_API bool vmacore_query_describe(const char *name,
					const char **synopsis_ret,
					const char **summary_ret);

/**
 * vmacore_query_open_error() - print an error of vmacore_open() (or of
 * vmacore_ctx_create()) as vmacore(1) does: "PROG: message" on
 * @opts->err_fd, with "(corrupt data, noticed at FILE:LINE)" for CORRUPT.
 * @err: consumed (freed).
 * @opts: may be NULL, as for vmacore_query().
 * Return: the exit status vmacore(1) gives: VMACORE_STATUS_INTERNAL for
 * out of memory or a bug, else VMACORE_STATUS_DUMP.
 */
VMACORE_API int vmacore_query_open_error(struct vmacore_error *err,
					 const struct vmacore_query_opts *opts);

/* ======================================================================== */
/* Core file of a process: gcore (gcore.c)                                  */
/* ======================================================================== */

/**
 * struct vmacore_gcore_vma - one PT_LOAD of a written core.
 * @start, @end: the VMA (p_vaddr, p_vaddr + p_memsz).
 * @offset, @filesz: p_offset and p_filesz (vma_dump_size()).
 * @p_flags: PF_R/PF_W/PF_X from vm_flags.
 * @kind: the verdict; UNKNOWN VMAs are written with p_filesz 0.
 * @pages_missing: pages of [@start, @start + @filesz) the kernel would have
 *	written but the dump cannot give (frame filtered out, swapped out,
 *	file page not in the page cache): left as holes.
 */
struct vmacore_gcore_vma {
	uint64_t start, end, offset, filesz;
	uint32_t p_flags;
	enum vmacore_dump_kind kind;
	uint64_t pages_missing;
};

/**
 * struct vmacore_gcore - what vmacore_gcore_write() wrote.
 * @vmas, @nr_vmas: the PT_LOADs in file order.
 * @size: the file's size in bytes.
 * @pages_written, @pages_hole, @pages_missing: pages of the PT_LOADs'
 *	file sizes written with data, left as holes the kernel leaves too
 *	(never faulted in, zero page), and left as holes because the dump
 *	lacks them.
 * @unknown: VMAs whose verdict is unknown (written with p_filesz 0).
 * @vma_losses: parts of the maple tree the VMA walk could not read
 *	(vmacore_vma_iter_losses()): their VMAs are not in the file.
 * @notes_size: bytes of the PT_NOTE segment.
 * @threads: threads whose NT_PRSTATUS was written.
 * @notes_lost: what of the notes the dump could not give ("; "-separated
 *	descriptions; NULL when nothing): a partial answer.
 * @notes_left_out: notes the kernel may write that are never rebuilt
 *	(", "-separated names with the reason; NULL when none).
 */
struct vmacore_gcore {
	struct vmacore_gcore_vma *vmas;
	size_t nr_vmas;
	uint64_t size;
	uint64_t pages_written, pages_hole, pages_missing;
	uint64_t unknown;
	uint64_t vma_losses;
	uint64_t notes_size;
	uint32_t threads;
	char *notes_lost;
	char *notes_left_out;
};

/**
 * typedef vmacore_gcore_progress_fn - how far vmacore_gcore_write() has
 * come: @done of @total bytes of the file (@total: the end of the last
 * PT_LOAD), never decreasing; called after the notes, every 256 pages and
 * after each VMA.
 */
typedef void (*vmacore_gcore_progress_fn)(void *arg, uint64_t done,
					  uint64_t total);

/**
 * vmacore_gcore_write() - write the ELF core file elf_core_dump()
 * (fs/binfmt_elf.c) would write for the process of @task, at offset 0 of
 * @fd: ELF header, one PT_NOTE, one PT_LOAD per VMA in address order (and
 * the gate VMA last), file sizes from vma_dump_size(), page contents read
 * through the mm's page table from the dump, holes where dump_user_range()
 * skips a page.  Written streaming (memory grows with the VMA count only);
 * holes are seeked over when @fd can seek (a sparse file), else written
 * as zeros.  The notes are those of fill_note_info(): NT_PRSTATUS per
 * thread (the leader first, then the thread list's order), NT_PRPSINFO,
 * NT_AUXV, NT_FILE and the FP (arm64 also TLS, system-call and
 * pointer-authentication) regsets the dump gives exactly; NT_SIGINFO and the other regsets are left out
 * (@ret->notes_left_out).  More than 65534 VMAs: extended numbering
 * (PN_XNUM, one section header), as fill_extnum_info().
 * @filter: coredump_filter to use, or -1 for the task's own (mm->flags).
 * @progress: called as the data is written (may be NULL), with
 *	@progress_arg.
 * @ret: the layout and counts, to free with vmacore_gcore_destroy(); set
 *	also when an error is returned after the file was begun (NULL if not).
 */
VMACORE_API struct vmacore_error *
vmacore_gcore_write(struct vmacore_ctx *ctx, const struct vmacore_task *task,
		    int64_t filter, int fd, vmacore_gcore_progress_fn progress,
		    void *progress_arg, struct vmacore_gcore **ret);

/** vmacore_gcore_destroy() - free a vmacore_gcore_write() result. */
VMACORE_API void vmacore_gcore_destroy(struct vmacore_gcore *g);

#ifdef __cplusplus
}
#endif

#endif /* VMACORE_H */
