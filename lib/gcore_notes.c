// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gcore_notes.c - the PT_NOTE of a core file, as fill_note_info() and
 * write_note_info() (fs/binfmt_elf.c, the CORE_DUMP_USE_REGSET path)
 * write it, rebuilt from a vmcore.
 *
 * Per thread the regset notes of fill_thread_core_info(): NT_PRSTATUS
 * (fill_prstatus() and the GPR regset), then the other regsets we can
 * rebuild exactly.  After the first thread's NT_PRSTATUS come NT_PRPSINFO
 * (fill_psinfo()), NT_AUXV (fill_auxv_note()) and NT_FILE
 * (fill_files_note()).  The kernel writes the dumping thread first; a
 * vmcore has none, so the order here is the thread-group leader first,
 * then the others in signal->thread_head order (the kernel's order after
 * its first thread, when the leader dumps).
 *
 * NT_SIGINFO is never written: a vmcore holds no signal being delivered.
 * Registers are those saved at the thread's last kernel entry,
 * task_pt_regs(): the top of its kernel stack.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcore_notes.h"
#include "mm_internal.h"
#include "rmap_internal.h"

/* include/uapi/linux/elf.h */
#define NT_PRSTATUS		1
#define NT_PRFPREG		2
#define NT_PRPSINFO		3
#define NT_AUXV			6
#define NT_FILE			0x46494c45
#define NT_ARM_TLS		0x401
#define NT_ARM_SYSTEM_CALL	0x404
#define NT_ARM_PAC_MASK		0x406
#define NT_ARM_PACA_KEYS	0x407
#define NT_ARM_PACG_KEYS	0x408
#define NT_ARM_PAC_ENABLED_KEYS	0x40a

/*
 * SCTLR_ELx_EN{IA,IB,DA,DB}: architectural bits of SCTLR_EL1
 * (arch/arm64/include/asm/sysreg.h), and PR_PAC_AP{IA,IB,DA,DB}KEY
 * (include/uapi/linux/prctl.h), for ptrauth_get_enabled_keys().
 */
#define SCTLR_ELX_ENIA		(1ull << 31)
#define SCTLR_ELX_ENIB		(1ull << 30)
#define SCTLR_ELX_ENDA		(1ull << 27)
#define SCTLR_ELX_ENDB		(1ull << 13)

/* ELF_PRARGSZ, include/uapi/linux/elfcore.h */
#define ELF_PRARGSZ		80
/* MAX_FILE_NOTE_SIZE, fs/binfmt_elf.c: before core_file_note_size_limit */
#define MAX_FILE_NOTE_SIZE	(4u * 1024 * 1024)
/* DEFAULT_PRIO, include/linux/sched/prio.h: MAX_RT_PRIO + NICE_WIDTH / 2 */
#define DEFAULT_PRIO		120
/* MAX_PID_NS_LEVEL, include/linux/pid_namespace.h */
#define MAX_PID_NS_LEVEL	32
/* PID_MAX_LIMIT, include/linux/threads.h (64-bit): bounds a thread list */
#define THREADS_MAX		(4u * 1024 * 1024)
/* X86_FEATURE_XSAVE, arch/x86/include/asm/cpufeatures.h: word 4, bit 26 */
#define X86_FEATURE_XSAVE	(4 * 32 + 26)

/*
 * The uapi note structs are ABI (include/uapi/linux/elfcore.h), the same
 * on x86_64 and arm64 but for the register count: struct elf_prstatus is
 * this common part, then elf_gregset_t pr_reg (x86_64: struct
 * user_regs_struct, 27 longs, arch/x86/include/asm/user_64.h; arm64:
 * struct user_pt_regs, 34 u64, arch/arm64/include/uapi/asm/ptrace.h), then
 * int pr_fpvalid, padded to 8.
 */
struct elf_timeval {		/* struct __kernel_old_timeval */
	int64_t tv_sec, tv_usec;
};

struct elf_prstatus_common {
	int32_t si_signo, si_code, si_errno;	/* struct elf_siginfo pr_info */
	int16_t pr_cursig;
	uint64_t pr_sigpend, pr_sighold;
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	struct elf_timeval pr_utime, pr_stime, pr_cutime, pr_cstime;
};

struct elf_prpsinfo {
	char pr_state, pr_sname, pr_zomb, pr_nice;
	uint64_t pr_flag;
	uint32_t pr_uid, pr_gid;		/* __kernel_uid_t: unsigned int */
	int32_t pr_pid, pr_ppid, pr_pgrp, pr_sid;
	char pr_fname[16];
	char pr_psargs[ELF_PRARGSZ];
};

_Static_assert(sizeof(struct elf_prstatus_common) == 112, "elf_prstatus");
_Static_assert(sizeof(struct elf_prpsinfo) == 136, "elf_prpsinfo");

#define X86_NREGS	27
#define ARM64_NREGS	34
#define PRSTATUS_MAX	(112 + 8 * ARM64_NREGS + 8)
#define FXSAVE_SIZE	512	/* struct fxregs_state */
#define FPSIMD_SIZE	528	/* struct user_fpsimd_state */

/* x86_64 pt_regs members in user_regs_struct order (its first 21) */
static const char *const x86_pt_regs[] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp",
	"ss",
};
#define X86_PT_REGS (sizeof(x86_pt_regs) / sizeof(x86_pt_regs[0]))

struct notes_layout {
	bool arm64;
	struct field t_stack, t_thread_pid, t_real_parent, t_group_leader,
		     t_pending, t_blocked, t_utime, t_stime, t_flags, t_state,
		     t_static_prio, t_real_cred, t_signal, t_thread_node,
		     t_thread_group;
	struct field s_pids, s_utime, s_stime, s_cutime, s_cstime,
		     s_thread_head;
	struct field c_uid, c_gid, c_user_ns;
	struct field pid_level, pid_numbers, upid_nr, upid_ns;
	struct field mm_saved_auxv, mm_arg_start, mm_arg_end;
	uint64_t upid_size, thread_size, pt_regs_size, stack_pad;
	int64_t pidtype_pgid, pidtype_sid;
	uint64_t init_user_ns;
	uint64_t file_note_limit;
	/* x86_64 */
	struct field x_regs[X86_PT_REGS];
	struct field th_fsbase, th_gsbase, th_fsindex, th_gsindex, th_ds,
		     th_es, th_fpu, fpu_fpstate, fpu_state, fpstate_regs;
	uint64_t task_struct_size;
	bool xsave, xsave_known;
	/* arm64 */
	struct field a_regs, a_syscallno, th_tp_value, th_tpidr2, th_fpsimd,
		     th_fp_type, th_keys_user, th_sctlr_user;
	struct field key_apia, key_apib, key_apda, key_apdb, key_apga,
		     key_lo, key_hi;
	int64_t fp_state_fpsimd;
	bool fp_state_known;
};

/* What the notes cost: appended to g->notes_lost or g->notes_left_out. */
static struct vmacore_error *str_append(char **s, const char *sep,
					const char *fmt, va_list ap)
{
	size_t old = *s ? strlen(*s) : 0, sl = *s ? strlen(sep) : 0;
	va_list aq;
	char *n;
	int len;

	va_copy(aq, ap);
	len = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (len < 0)
		return NULL;
	n = realloc(*s, old + sl + len + 1);
	if (!n)
		return &vmacore_enomem;
	if (old)
		memcpy(n + old, sep, sl);
	vsnprintf(n + old + sl, len + 1, fmt, ap);
	*s = n;
	return NULL;
}

static struct vmacore_error * __attribute__((format(printf, 3, 4)))
lost(struct vmacore_ctx *ctx, struct vmacore_gcore *g, const char *fmt, ...)
{
	struct vmacore_error *err;
	va_list ap;

	/* not logged: the caller says it once, as a partial answer */
	va_start(ap, fmt);
	err = str_append(&g->notes_lost, "; ", fmt, ap);
	va_end(ap);
	return err;
}

/* @err (consumed) costs what @what names: said, the notes go on */
static struct vmacore_error *lost_err(struct vmacore_ctx *ctx,
				      struct vmacore_gcore *g,
				      struct vmacore_error *err,
				      const char *what)
{
	struct vmacore_error *e;

	if (!err || err == &vmacore_enomem)
		return err;
	e = lost(ctx, g, "%s: %s", what, err->message);
	vmacore_error_destroy(err);
	return e;
}

static struct vmacore_error * __attribute__((format(printf, 2, 3)))
left_out(struct vmacore_gcore *g, const char *fmt, ...)
{
	struct vmacore_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = str_append(&g->notes_left_out, ", ", fmt, ap);
	va_end(ap);
	return err;
}

/* ---- the note buffer: writenote(), 4-byte aligned name and data ---- */

struct nbuf {
	unsigned char *p;
	size_t len, cap;
};

static struct vmacore_error *nb_add(struct nbuf *nb, const char *name,
				    uint32_t type, const void *desc,
				    size_t descsz)
{
	uint32_t hdr[3] = { strlen(name) + 1, descsz, type };
	size_t nsz = (hdr[0] + 3) & ~3ul, dsz = (descsz + 3) & ~3ul;
	size_t need = sizeof(hdr) + nsz + dsz;
	unsigned char *p;

	if (nb->len + need > nb->cap) {
		size_t cap = nb->cap ? nb->cap : 4096;

		while (cap < nb->len + need)
			cap *= 2;
		p = realloc(nb->p, cap);
		if (!p)
			return &vmacore_enomem;
		nb->p = p;
		nb->cap = cap;
	}
	p = nb->p + nb->len;
	memset(p, 0, need);
	memcpy(p, hdr, sizeof(hdr));
	memcpy(p + sizeof(hdr), name, hdr[0]);
	memcpy(p + sizeof(hdr) + nsz, desc, descsz);
	nb->len += need;
	return NULL;
}

/* ---- layout ---- */

static struct vmacore_error *notes_layout_init(struct vmacore_ctx *ctx,
					       struct notes_layout *l)
{
	struct {
		struct field *f;
		const char *type, *member;
	} fs[] = {
		{ &l->t_stack, "task_struct", "stack" },
		{ &l->t_thread_pid, "task_struct", "thread_pid" },
		{ &l->t_real_parent, "task_struct", "real_parent" },
		{ &l->t_group_leader, "task_struct", "group_leader" },
		{ &l->t_pending, "task_struct", "pending.signal" },
		{ &l->t_blocked, "task_struct", "blocked" },
		{ &l->t_utime, "task_struct", "utime" },
		{ &l->t_stime, "task_struct", "stime" },
		{ &l->t_flags, "task_struct", "flags" },
		{ &l->t_state, "task_struct", "__state" },
		{ &l->t_static_prio, "task_struct", "static_prio" },
		{ &l->t_real_cred, "task_struct", "real_cred" },
		{ &l->t_signal, "task_struct", "signal" },
		{ &l->t_thread_node, "task_struct", "thread_node" },
		{ &l->t_thread_group, "task_struct", "thread_group" },
		{ &l->s_pids, "signal_struct", "pids" },
		{ &l->s_utime, "signal_struct", "utime" },
		{ &l->s_stime, "signal_struct", "stime" },
		{ &l->s_cutime, "signal_struct", "cutime" },
		{ &l->s_cstime, "signal_struct", "cstime" },
		{ &l->s_thread_head, "signal_struct", "thread_head" },
		{ &l->c_uid, "cred", "uid" },
		{ &l->c_gid, "cred", "gid" },
		{ &l->c_user_ns, "cred", "user_ns" },
		{ &l->pid_level, "pid", "level" },
		{ &l->pid_numbers, "pid", "numbers" },
		{ &l->upid_nr, "upid", "nr" },
		{ &l->upid_ns, "upid", "ns" },
		{ &l->mm_saved_auxv, "mm_struct", "saved_auxv" },
		{ &l->mm_arg_start, "mm_struct", "arg_start" },
		{ &l->mm_arg_end, "mm_struct", "arg_end" },
		{ &l->th_fsbase, "task_struct", "thread.fsbase" },
		{ &l->th_gsbase, "task_struct", "thread.gsbase" },
		{ &l->th_fsindex, "task_struct", "thread.fsindex" },
		{ &l->th_gsindex, "task_struct", "thread.gsindex" },
		{ &l->th_ds, "task_struct", "thread.ds" },
		{ &l->th_es, "task_struct", "thread.es" },
		{ &l->th_fpu, "task_struct", "thread.fpu" },
		{ &l->fpu_fpstate, "fpu", "fpstate" },
		{ &l->fpu_state, "fpu", "state" },
		{ &l->fpstate_regs, "fpstate", "regs" },
		{ &l->a_syscallno, "pt_regs", "syscallno" },
		{ &l->th_tp_value, "task_struct", "thread.uw.tp_value" },
		{ &l->th_tpidr2, "task_struct", "thread.tpidr2_el0" },
		{ &l->th_fpsimd, "task_struct", "thread.uw.fpsimd_state" },
		{ &l->th_fp_type, "task_struct", "thread.fp_type" },
		{ &l->th_keys_user, "task_struct", "thread.keys_user" },
		{ &l->th_sctlr_user, "task_struct", "thread.sctlr_user" },
		{ &l->key_apia, "ptrauth_keys_user", "apia" },
		{ &l->key_apib, "ptrauth_keys_user", "apib" },
		{ &l->key_apda, "ptrauth_keys_user", "apda" },
		{ &l->key_apdb, "ptrauth_keys_user", "apdb" },
		{ &l->key_apga, "ptrauth_keys_user", "apga" },
		{ &l->key_lo, "ptrauth_key", "lo" },
		{ &l->key_hi, "ptrauth_key", "hi" },
	};
	struct vmacore_error *err;
	uint64_t v, cap;
	bool found;
	size_t i;

	memset(l, 0, sizeof(*l));
	l->arm64 = strcmp(vmacore_ctx_arch(ctx), "arm64") == 0;
	for (i = 0; i < ARRAY_SIZE(fs); i++) {
		err = field_init(ctx, fs[i].f, fs[i].type, fs[i].member);
		if (err)
			return err;
	}
	/* task_struct.state became __state in v5.14 */
	if (!l->t_state.present) {
		err = field_init(ctx, &l->t_state, "task_struct", "state");
		if (err)
			return err;
	}
	if (l->arm64) {
		err = field_init(ctx, &l->a_regs, "pt_regs", "user_regs");
		if (!err && !l->a_regs.present)
			err = field_init(ctx, &l->a_regs, "pt_regs", "regs");
	} else {
		for (i = 0; i < X86_PT_REGS; i++) {
			err = field_init(ctx, &l->x_regs[i], "pt_regs",
					 x86_pt_regs[i]);
			if (err)
				return err;
		}
		err = type_size_init(ctx, &l->task_struct_size, "task_struct",
				     false);
	}
	if (!err)
		err = type_size_init(ctx, &l->upid_size, "upid", false);
	if (!err)
		err = type_size_init(ctx, &l->pt_regs_size, "pt_regs", false);
	/*
	 * THREAD_SIZE: INIT_TASK_DATA(THREAD_SIZE) (vmlinux.lds.h) puts
	 * __end_init_stack THREAD_SIZE after __start_init_stack (named
	 * __start_init_task and __end_init_task in 6.1); else
	 * sizeof(union thread_union) or init_stack's symbol size.
	 */
	for (i = 0; i < 2 && !err && !l->thread_size; i++) {
		err = symbol_or_zero(ctx, i ? "__start_init_task" :
				     "__start_init_stack", &v);
		cap = 0;
		if (!err && v)
			err = symbol_or_zero(ctx, i ? "__end_init_task" :
					     "__end_init_stack", &cap);
		if (!err && v && cap > v && cap - v <= (1u << 20))
			l->thread_size = cap - v;
	}
	if (!err && !l->thread_size)
		err = type_size_init(ctx, &l->thread_size, "thread_union",
				     false);
	if (!err && !l->thread_size) {
		err = symbol_addr(ctx, "init_stack", &v, &l->thread_size);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			l->thread_size = 0;
	}
	/*
	 * TOP_OF_KERNEL_STACK_PADDING (arch/x86/include/asm/thread_info.h):
	 * 16 on x86_64 with CONFIG_X86_FRED, whose entry code
	 * (arch/x86/entry/entry_64_fred.S) is built only then; else 0.
	 */
	if (!err && !l->arm64) {
		err = symbol_or_zero(ctx, "asm_fred_entrypoint_user", &v);
		l->stack_pad = v ? 16 : 0;
	}
	/* enum pid_type; absent (-1): pgrp and sid cannot be read */
	if (!err) {
		err = enum_value(ctx, "PIDTYPE_PGID", &l->pidtype_pgid);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			l->pidtype_pgid = -1;
	}
	if (!err) {
		err = enum_value(ctx, "PIDTYPE_SID", &l->pidtype_sid);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			l->pidtype_sid = -1;
	}
	if (!err)
		err = symbol_or_zero(ctx, "init_user_ns", &l->init_user_ns);
	/* fs.file-note-size-limit (v6.13); MAX_FILE_NOTE_SIZE before */
	l->file_note_limit = MAX_FILE_NOTE_SIZE;
	if (!err) {
		err = read_sym_u64(ctx, "core_file_note_size_limit", 4, &found,
				   &v);
		if (!err && found)
			l->file_note_limit = v;
		else if (err)
			vmacore_error_destroy(err);
		err = NULL;
	}
	if (!err && l->arm64 && l->th_fp_type.present) {
		err = enum_value(ctx, "FP_STATE_FPSIMD", &l->fp_state_fpsimd);
		l->fp_state_known = !err;
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			l->fp_state_known = false;
	}
	/* use_xsave(): boot_cpu_has(X86_FEATURE_XSAVE) */
	if (!err && !l->arm64) {
		struct field caps;
		uint32_t word;

		v = 0;
		err = field_init(ctx, &caps, "cpuinfo_x86", "x86_capability");
		if (!err && caps.present)
			err = symbol_or_zero(ctx, "boot_cpu_data", &v);
		if (!err && v) {
			/* unreadable: use_xsave() unknown, NT_PRFPREG left out */
			err = read_mem(ctx, v + caps.off +
				       X86_FEATURE_XSAVE / 32 * 4, &word, 4);
			if (!err) {
				l->xsave = word >> (X86_FEATURE_XSAVE % 32) & 1;
				l->xsave_known = true;
			}
			vmacore_error_destroy(err);
			err = NULL;
		}
	}
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		err = NULL;	/* enumerators absent: their fields stay 0 */
	return err;
}

/* ---- reading ---- */

static uint64_t get_le(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* copy_from_user() through the mm's page tables; false on any hole */
static bool read_user(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		      uint64_t addr, void *buf, size_t len)
{
	uint64_t ps = ctx->l.page_size;
	unsigned char *p = buf;
	struct vmacore_error *err;
	struct vmacore_pte pte;

	while (len) {
		size_t n = ps - (addr & (ps - 1));

		if (n > len)
			n = len;
		err = vmacore_pgtable_lookup(ctx, mm->pgd, addr, &pte);
		if (!err && pte.present)
			err = read_phys(ctx, (pte.pfn << ctx->l.page_shift) +
					(addr & (ps - 1)), p, n);
		if (err || !pte.present) {
			vmacore_error_destroy(err);
			return false;
		}
		p += n;
		addr += n;
		len -= n;
	}
	return true;
}

/* The pid namespace the numbers are seen from: the dumping task's. */
struct pid_view {
	uint64_t level, ns;
};

/* pid_nr_ns(): @pid's number in @v, 0 when it has none there */
static struct vmacore_error *pid_nr_ns(struct vmacore_ctx *ctx,
				       const struct notes_layout *l,
				       uint64_t pid, const struct pid_view *v,
				       int32_t *ret)
{
	struct vmacore_error *err;
	uint64_t level, up, nr, ns;

	*ret = 0;
	if (!pid)
		return NULL;
	err = read_field(ctx, pid, &l->pid_level, &level);
	if (err)
		return err;
	if (level > MAX_PID_NS_LEVEL)
		return VMACORE_CORRUPT("struct pid 0x%llx: level %llu",
				       (unsigned long long)pid,
				       (unsigned long long)level);
	if (v->level > level)
		return NULL;
	up = pid + l->pid_numbers.off + v->level * l->upid_size;
	err = read_field(ctx, up, &l->upid_nr, &nr);
	if (!err)
		err = read_field(ctx, up, &l->upid_ns, &ns);
	if (!err && ns == v->ns)
		*ret = (int32_t)nr;
	return err;
}

/* task_pid_vnr(), task_pgrp_vnr(), task_session_vnr() and the parent's */
struct task_pids {
	int32_t pid, ppid, pgrp, sid;
};

static struct vmacore_error *task_pids(struct vmacore_ctx *ctx,
				       const struct notes_layout *l,
				       uint64_t task, const struct pid_view *v,
				       struct task_pids *ret)
{
	uint64_t pid, parent, ppid = 0, signal, pgrp = 0, sid = 0;
	struct vmacore_error *err;

	err = read_field(ctx, task, &l->t_thread_pid, &pid);
	if (!err)
		err = read_field(ctx, task, &l->t_real_parent, &parent);
	if (!err && parent)
		err = read_field(ctx, parent, &l->t_thread_pid, &ppid);
	if (!err)
		err = read_field(ctx, task, &l->t_signal, &signal);
	if (!err && (!l->s_pids.present || l->pidtype_pgid < 0 ||
		     l->pidtype_sid < 0 ||
		     (uint64_t)l->pidtype_pgid * 8 + 8 > l->s_pids.size ||
		     (uint64_t)l->pidtype_sid * 8 + 8 > l->s_pids.size))
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "no signal_struct.pids or enum pid_type");
	if (!err && signal) {
		err = read_u64(ctx, signal + l->s_pids.off +
			       8 * l->pidtype_pgid, &pgrp);
		if (!err)
			err = read_u64(ctx, signal + l->s_pids.off +
				       8 * l->pidtype_sid, &sid);
	}
	if (!err)
		err = pid_nr_ns(ctx, l, pid, v, &ret->pid);
	if (!err)
		err = pid_nr_ns(ctx, l, ppid, v, &ret->ppid);
	if (!err)
		err = pid_nr_ns(ctx, l, pgrp, v, &ret->pgrp);
	if (!err)
		err = pid_nr_ns(ctx, l, sid, v, &ret->sid);
	return err;
}

static struct elf_timeval ns_to_timeval(uint64_t ns)
{
	/* ns_to_kernel_old_timeval() */
	struct elf_timeval tv = { ns / 1000000000, ns % 1000000000 / 1000 };

	return tv;
}

/* task_pt_regs(): the top of the kernel stack, less the padding */
static struct vmacore_error *pt_regs_addr(struct vmacore_ctx *ctx,
					  const struct notes_layout *l,
					  uint64_t task, uint64_t *ret)
{
	struct vmacore_error *err;
	uint64_t stack;

	err = read_field(ctx, task, &l->t_stack, &stack);
	if (err)
		return err;
	if (!stack)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "task has no kernel stack");
	*ret = stack + l->thread_size - l->stack_pad - l->pt_regs_size;
	return NULL;
}

/* ---- the notes ---- */

/*
 * genregs_get() (arch/x86/kernel/ptrace.c): pt_regs as getreg() reads
 * them, then fs_base, gs_base (x86_fsbase_read_task(): thread.fsbase for a
 * task not running) and ds, es, fs, gs from thread (get_segment_reg()).
 * get_flags() clears a TF that ptrace forced (TIF_FORCED_TF): not done, a
 * vmcore's task is not single-stepped by a debugger.  A non-zero fsindex
 * or gsindex without FSGSBASE makes the kernel read the base from the
 * GDT or LDT (x86_fsgsbase_read_task()): not done, thread.fsbase is
 * written (64-bit programs leave the selectors 0).
 */
static struct vmacore_error *x86_regs(struct vmacore_ctx *ctx,
				      const struct notes_layout *l,
				      uint64_t task, uint64_t *regs)
{
	const struct field *th[] = { &l->th_fsbase, &l->th_gsbase, &l->th_ds,
				     &l->th_es, &l->th_fsindex,
				     &l->th_gsindex };
	unsigned char buf[512];
	struct vmacore_error *err;
	uint64_t at = 0;
	size_t i;

	if (l->pt_regs_size > sizeof(buf) || l->pt_regs_size < 8)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "pt_regs of %llu bytes",
					    (unsigned long long)l->pt_regs_size);
	err = pt_regs_addr(ctx, l, task, &at);
	if (!err)
		err = read_mem(ctx, at, buf, l->pt_regs_size);
	if (err)
		return err;
	for (i = 0; i < X86_PT_REGS; i++) {
		/* *pt_regs_access(): the whole long, also for cs and ss */
		if (!l->x_regs[i].present ||
		    l->x_regs[i].off + 8 > l->pt_regs_size)
			return vmacore_error_create(VMACORE_ERROR_LOOKUP,
						    "no pt_regs.%s",
						    x86_pt_regs[i]);
		regs[i] = get_le(buf + l->x_regs[i].off, 8);
	}
	for (i = 0; i < ARRAY_SIZE(th); i++) {
		err = read_field(ctx, task, th[i], &regs[X86_PT_REGS + i]);
		if (err)
			return err;
	}
	return NULL;
}

/* gpr_get() (arch/arm64/kernel/ptrace.c): pt_regs->user_regs */
static struct vmacore_error *arm64_regs(struct vmacore_ctx *ctx,
					const struct notes_layout *l,
					uint64_t task, uint64_t *regs)
{
	struct vmacore_error *err;
	uint64_t at = 0;

	if (!l->a_regs.present || l->a_regs.off + 8 * ARM64_NREGS >
	    l->pt_regs_size)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no pt_regs.user_regs");
	err = pt_regs_addr(ctx, l, task, &at);
	if (!err)
		err = read_mem(ctx, at + l->a_regs.off, regs, 8 * ARM64_NREGS);
	return err;
}

/*
 * The FP regset note of @task into @buf (*@len bytes), or *@len 0 and why
 * in *@why.  x86_64: xfpregs_get() without XSAVE copies
 * fpu->fpstate->regs.fxsave (with XSAVE it rebuilds the legacy area from
 * the xsave buffer: not done).  arm64: fpr_get() copies
 * thread.uw.fpsimd_state after sve_sync_to_fpsimd() (state held in SVE
 * form: not done).
 */
static struct vmacore_error *fp_note(struct vmacore_ctx *ctx,
				     const struct notes_layout *l,
				     uint64_t task, unsigned char *buf,
				     size_t *len, const char **why)
{
	uint64_t fpu, fpstate, v;
	struct vmacore_error *err;

	*len = 0;
	*why = NULL;
	if (l->arm64) {
		if (!l->th_fpsimd.present || l->th_fpsimd.size != FPSIMD_SIZE) {
			*why = "no thread.uw.fpsimd_state of 528 bytes";
			return NULL;
		}
		if (l->th_fp_type.present) {
			err = read_field(ctx, task, &l->th_fp_type, &v);
			if (err)
				return err;
			if (!l->fp_state_known ||
			    v != (uint64_t)l->fp_state_fpsimd) {
				*why = "FP state held in SVE form";
				return NULL;
			}
		}
		err = read_mem(ctx, task + l->th_fpsimd.off, buf, FPSIMD_SIZE);
		if (!err)
			*len = FPSIMD_SIZE;
		return err;
	}
	if (!l->xsave_known || l->xsave) {
		*why = l->xsave_known ? "XSAVE in use: the kernel rebuilds the fxsave area (copy_xstate_to_uabi_buf())" :
			"use_xsave() unknown";
		return NULL;
	}
	/* x86_task_fpu(): thread.fpu, or right after task_struct (v6.16) */
	if (l->th_fpu.present)
		fpu = task + l->th_fpu.off;
	else if (l->task_struct_size)
		fpu = task + l->task_struct_size;
	else {
		*why = "no struct fpu";
		return NULL;
	}
	if (l->fpu_fpstate.present && l->fpstate_regs.present) {
		err = read_field(ctx, fpu, &l->fpu_fpstate, &fpstate);
		if (err)
			return err;
		if (!fpstate)
			return vmacore_error_create(VMACORE_ERROR_INVALID,
						    "fpu->fpstate is NULL");
		v = fpstate + l->fpstate_regs.off;
	} else if (l->fpu_state.present) {
		v = fpu + l->fpu_state.off;
	} else {
		*why = "no fpu.fpstate nor fpu.state";
		return NULL;
	}
	err = read_mem(ctx, v, buf, FXSAVE_SIZE);
	if (!err)
		*len = FXSAVE_SIZE;
	return err;
}

/* fill_prstatus(): the times; the leader's are the group's */
static struct vmacore_error *prstatus_times(struct vmacore_ctx *ctx,
					    const struct notes_layout *l,
					    uint64_t task, bool leader,
					    const uint64_t *threads,
					    size_t nthreads,
					    struct elf_prstatus_common *pr)
{
	uint64_t signal, ut = 0, st = 0, cut = 0, cst = 0, v;
	struct vmacore_error *err;
	size_t i;

	err = read_field(ctx, task, &l->t_signal, &signal);
	if (!err && !signal)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "task has no signal_struct");
	if (!err)
		err = read_field(ctx, signal, &l->s_cutime, &cut);
	if (!err)
		err = read_field(ctx, signal, &l->s_cstime, &cst);
	if (err)
		return err;
	if (leader) {
		/*
		 * thread_group_cputime(): signal's totals of exited threads
		 * plus each live thread's task_cputime() (a running
		 * nohz_full vtime delta is not added).
		 */
		err = read_field(ctx, signal, &l->s_utime, &ut);
		if (!err)
			err = read_field(ctx, signal, &l->s_stime, &st);
		for (i = 0; !err && i < nthreads; i++) {
			err = read_field(ctx, threads[i], &l->t_utime, &v);
			ut += v;
			if (!err)
				err = read_field(ctx, threads[i], &l->t_stime,
						 &v);
			st += v;
		}
	} else {
		err = read_field(ctx, task, &l->t_utime, &ut);
		if (!err)
			err = read_field(ctx, task, &l->t_stime, &st);
	}
	if (err)
		return err;
	pr->pr_utime = ns_to_timeval(ut);
	pr->pr_stime = ns_to_timeval(st);
	pr->pr_cutime = ns_to_timeval(cut);
	pr->pr_cstime = ns_to_timeval(cst);
	return NULL;
}

/* NT_PRSTATUS of @task into @buf; *@len its size */
static struct vmacore_error *prstatus(struct vmacore_ctx *ctx,
				      const struct notes_layout *l,
				      uint64_t task, bool leader,
				      const uint64_t *threads, size_t nthreads,
				      const struct pid_view *v, bool fpvalid,
				      unsigned char *buf, size_t *len)
{
	size_t nregs = l->arm64 ? ARM64_NREGS : X86_NREGS;
	struct elf_prstatus_common pr;
	uint64_t regs[ARM64_NREGS];
	struct vmacore_error *err;
	struct task_pids ids;
	int32_t fpv = fpvalid;

	memset(&pr, 0, sizeof(pr));
	memset(regs, 0, sizeof(regs));
	/* pr_info.si_signo = pr_cursig = signr: no signal in a vmcore */
	err = read_field(ctx, task, &l->t_pending, &pr.pr_sigpend);
	if (!err)
		err = read_field(ctx, task, &l->t_blocked, &pr.pr_sighold);
	if (!err)
		err = task_pids(ctx, l, task, v, &ids);
	if (!err)
		err = prstatus_times(ctx, l, task, leader, threads, nthreads,
				     &pr);
	if (!err)
		err = l->arm64 ? arm64_regs(ctx, l, task, regs) :
				 x86_regs(ctx, l, task, regs);
	if (err)
		return err;
	pr.pr_pid = ids.pid;
	pr.pr_ppid = ids.ppid;
	pr.pr_pgrp = ids.pgrp;
	pr.pr_sid = ids.sid;
	memset(buf, 0, PRSTATUS_MAX);
	memcpy(buf, &pr, sizeof(pr));
	memcpy(buf + sizeof(pr), regs, 8 * nregs);
	memcpy(buf + sizeof(pr) + 8 * nregs, &fpv, 4);
	*len = sizeof(pr) + 8 * nregs + 8;
	return NULL;
}

/* fill_psinfo() of the group leader */
static struct vmacore_error *psinfo(struct vmacore_ctx *ctx,
				    const struct notes_layout *l,
				    const struct vmacore_task *leader,
				    const struct vmacore_mm *mm,
				    const struct pid_view *v,
				    struct vmacore_gcore *g,
				    struct elf_prpsinfo *ps)
{
	uint64_t t = leader->addr, start, end, len, state, prio, flags, cred,
		 uid, gid, ns;
	struct vmacore_error *err;
	struct task_pids ids;
	size_t i;

	memset(ps, 0, sizeof(*ps));
	err = read_field(ctx, mm->addr, &l->mm_arg_start, &start);
	if (!err)
		err = read_field(ctx, mm->addr, &l->mm_arg_end, &end);
	if (err)
		return err;
	len = (uint32_t)(end - start);	/* unsigned int len */
	if (len >= ELF_PRARGSZ)
		len = ELF_PRARGSZ - 1;
	if (!read_user(ctx, mm, start, ps->pr_psargs, len)) {
		err = lost(ctx, g, "NT_PRPSINFO pr_psargs: arguments at 0x%llx not in the dump, left empty",
			   (unsigned long long)start);
		if (err)
			return err;
		memset(ps->pr_psargs, 0, sizeof(ps->pr_psargs));
		len = 0;
	}
	for (i = 0; i < len; i++)
		if (!ps->pr_psargs[i])
			ps->pr_psargs[i] = ' ';
	err = task_pids(ctx, l, t, v, &ids);
	if (!err)
		err = read_field(ctx, t, &l->t_state, &state);
	if (!err)
		err = read_field(ctx, t, &l->t_static_prio, &prio);
	if (!err)
		err = read_field(ctx, t, &l->t_flags, &flags);
	if (!err)
		err = read_field(ctx, t, &l->t_real_cred, &cred);
	if (!err && !cred)
		err = vmacore_error_create(VMACORE_ERROR_INVALID,
					   "task has no cred");
	if (!err)
		err = read_field(ctx, cred, &l->c_uid, &uid);
	if (!err)
		err = read_field(ctx, cred, &l->c_gid, &gid);
	if (!err)
		err = read_field(ctx, cred, &l->c_user_ns, &ns);
	if (err)
		return err;
	ps->pr_pid = ids.pid;
	ps->pr_ppid = ids.ppid;
	ps->pr_pgrp = ids.pgrp;
	ps->pr_sid = ids.sid;
	/* i = state ? ffz(~state) + 1 : 0 */
	state = (uint32_t)state;
	i = state ? (size_t)__builtin_ctzll(state) + 1 : 0;
	ps->pr_state = i;
	ps->pr_sname = i > 5 ? '.' : "RSDTZW"[i];
	ps->pr_zomb = ps->pr_sname == 'Z';
	ps->pr_nice = (int)prio - DEFAULT_PRIO;	/* task_nice() */
	ps->pr_flag = flags;
	/*
	 * from_kuid_munged(cred->user_ns, cred->uid): the kuid is the id
	 * only in the initial user namespace; a task in another one would
	 * need its uid_map, not read here.
	 */
	ps->pr_uid = uid;
	ps->pr_gid = gid;
	if (l->init_user_ns && ns != l->init_user_ns) {
		err = lost(ctx, g, "NT_PRPSINFO pr_uid, pr_gid: task in a child user namespace, written as seen from the initial one");
		if (err)
			return err;
	}
	/* get_task_comm(): strscpy_pad() */
	memcpy(ps->pr_fname, leader->comm,
	       strnlen(leader->comm, sizeof(ps->pr_fname) - 1));
	return NULL;
}

/* fill_auxv_note(): saved_auxv up to and including the AT_NULL pair */
static struct vmacore_error *auxv_note(struct vmacore_ctx *ctx,
				       const struct notes_layout *l,
				       const struct vmacore_mm *mm,
				       struct vmacore_gcore *g,
				       struct nbuf *nb)
{
	size_t n = l->mm_saved_auxv.size / 8, i;
	struct vmacore_error *err;
	uint64_t *auxv;

	if (!l->mm_saved_auxv.present || n < 2)
		return lost(ctx, g, "NT_AUXV: no mm_struct.saved_auxv");
	auxv = malloc(n * 8);
	if (!auxv)
		return &vmacore_enomem;
	err = read_mem(ctx, mm->addr + l->mm_saved_auxv.off, auxv, n * 8);
	if (err) {
		free(auxv);
		return lost_err(ctx, g, err, "NT_AUXV: cannot read mm->saved_auxv");
	}
	for (i = 0; i + 1 < n && auxv[i] != 0; i += 2)
		;
	if (i + 1 < n) {
		err = nb_add(nb, "CORE", NT_AUXV, auxv, (i + 2) * 8);
	} else {
		/* hostile: the kernel would read past the array */
		err = lost(ctx, g, "NT_AUXV: no AT_NULL in the %zu words of mm->saved_auxv: the array written, no more",
			   n);
		if (!err)
			err = nb_add(nb, "CORE", NT_AUXV, auxv, n / 2 * 16);
	}
	free(auxv);
	return err;
}

#define FILE_PATH_MAX 4096	/* PATH_MAX */

/* fill_files_note(): count, page size, start/end/pgoff, then the names */
static struct vmacore_error *file_note(struct vmacore_ctx *ctx,
				       const struct notes_layout *l,
				       const struct vmacore_vma *vmas,
				       size_t nr_vmas, struct vmacore_gcore *g,
				       struct nbuf *nb)
{
	uint64_t size, ps = ctx->l.page_size, names_ofs, count = 0;
	struct vmacore_error *err = NULL;
	struct nbuf names = { 0 };
	unsigned char *data;
	char *path;
	size_t i, n;

	/* the kernel gives up (no note) past the size limit */
	if (nr_vmas > UINT32_MAX / 64)
		return NULL;
	size = (uint64_t)nr_vmas * 64;
	if (size >= l->file_note_limit)
		return NULL;
	names_ofs = (2 + 3 * (uint64_t)nr_vmas) * 8;
	data = malloc(names_ofs);
	path = malloc(FILE_PATH_MAX);
	if (!data || !path) {
		free(data);
		free(path);
		return &vmacore_enomem;
	}
	for (i = 0; i < nr_vmas; i++) {
		const struct vmacore_vma *v = &vmas[i];
		uint64_t tri[3] = { v->vm_start, v->vm_end, v->vm_pgoff };

		if (!v->vm_file)
			continue;
		err = file_d_path(ctx, v->vm_file, path, FILE_PATH_MAX);
		if (err && err != &vmacore_enomem) {
			char what[80];

			snprintf(what, sizeof(what),
				 "NT_FILE: VMA %llx-%llx left out",
				 (unsigned long long)v->vm_start,
				 (unsigned long long)v->vm_end);
			err = lost_err(ctx, g, err, what);
			if (err)
				break;
			continue;
		}
		n = strnlen(path, FILE_PATH_MAX - 1) + 1;
		if (!err && names.len + n > names.cap) {
			size_t cap = names.cap ? 2 * names.cap : 4096;
			unsigned char *p = realloc(names.p, cap);

			if (!p)
				err = &vmacore_enomem;
			else {
				names.p = p;
				names.cap = cap;
			}
		}
		if (err)
			break;
		memcpy(names.p + names.len, path, n);
		names.len += n;
		memcpy(data + 16 + 24 * count, tri, sizeof(tri));
		count++;
	}
	free(path);
	/*
	 * file_path() into what is left of round_up(size, PAGE_SIZE) after
	 * the triples: on ENAMETOOLONG the kernel grows size by 5/4 and
	 * starts again, giving up (no note) at the limit.
	 */
	while (!err && ((size + ps - 1) & ~(ps - 1)) - names_ofs < names.len) {
		size = size * 5 / 4;
		if (size >= l->file_note_limit)
			goto out;
	}
	if (!err) {
		uint64_t hdr[2] = { count, ps };
		size_t tri = 16 + 24 * count;
		unsigned char *p = realloc(data, tri + names.len);

		if (!p) {
			err = &vmacore_enomem;
			goto out;
		}
		data = p;
		memcpy(data, hdr, sizeof(hdr));
		if (names.len)
			memcpy(data + tri, names.p, names.len);
		err = nb_add(nb, "CORE", NT_FILE, data, tri + names.len);
	}
out:
	free(names.p);
	free(data);
	return err;
}

/*
 * The pointer-authentication regsets (arch/arm64/kernel/ptrace.c), in
 * their order: pac_mask_get(), pac_enabled_keys_get(),
 * pac_address_keys_get(), pac_generic_keys_get().  Each is written only
 * when system_supports_address_auth() (generic_auth() for the last).  The
 * CPU capability is not read: ptrauth_keys_init_user() gives a process
 * random keys exactly when the system supports them, so keys not all zero
 * are that probe (they are inherited, and PR_PAC_RESET_KEYS draws new
 * random ones).  *@wrote_ret: how many notes were written.
 */
static struct vmacore_error *pac_notes(struct vmacore_ctx *ctx,
				       const struct notes_layout *l,
				       uint64_t task, struct nbuf *nb,
				       int *wrote_ret)
{
	const struct field *keys[] = { &l->key_apia, &l->key_apib,
				       &l->key_apda, &l->key_apdb,
				       &l->key_apga };
	uint64_t k[5][2], sctlr, mask[2], at, en;
	struct vmacore_error *err;
	bool address = false, generic;
	unsigned int va;
	size_t i;

	*wrote_ret = 0;
	if (!l->th_keys_user.present || !l->key_lo.present ||
	    !l->key_hi.present)
		return NULL;	/* no CONFIG_ARM64_PTR_AUTH: no such regsets */
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!keys[i]->present)
			return vmacore_error_create(VMACORE_ERROR_LOOKUP,
						    "no ptrauth_keys_user member %zu",
						    i);
		at = task + l->th_keys_user.off + keys[i]->off;
		/* pac_key_to_user(): (__uint128_t)hi << 64 | lo */
		err = read_field(ctx, at, &l->key_lo, &k[i][0]);
		if (!err)
			err = read_field(ctx, at, &l->key_hi, &k[i][1]);
		if (err)
			return err;
		if (i < 4 && (k[i][0] || k[i][1]))
			address = true;
	}
	generic = k[4][0] || k[4][1];
	err = rmap_mem_init(ctx);	/* vabits_actual */
	if (err)
		return err;
	va = ctx->l.arch.arm64_va_bits;
	if (address) {
		if (va < 32 || va > 54)
			return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
						    "user VA size %u unknown",
						    va);
		/* ptrauth_user_pac_mask(): GENMASK_ULL(54, vabits_actual) */
		mask[0] = mask[1] = (~0ull >> 9) & ~((1ull << va) - 1);
		err = nb_add(nb, "LINUX", NT_ARM_PAC_MASK, mask, 16);
		if (err)
			return err;
		++*wrote_ret;
		if (l->th_sctlr_user.present) {
			/* ptrauth_get_enabled_keys() */
			err = read_field(ctx, task, &l->th_sctlr_user, &sctlr);
			if (err)
				return err;
			en = (sctlr & SCTLR_ELX_ENIA ? 1 : 0) |
			     (sctlr & SCTLR_ELX_ENIB ? 2 : 0) |
			     (sctlr & SCTLR_ELX_ENDA ? 4 : 0) |
			     (sctlr & SCTLR_ELX_ENDB ? 8 : 0);
			err = nb_add(nb, "LINUX", NT_ARM_PAC_ENABLED_KEYS,
				     &en, 8);
			if (err)
				return err;
			++*wrote_ret;
		}
		err = nb_add(nb, "LINUX", NT_ARM_PACA_KEYS, k, 64);
		if (err)
			return err;
		++*wrote_ret;
	}
	if (generic) {
		err = nb_add(nb, "LINUX", NT_ARM_PACG_KEYS, k[4], 16);
		if (err)
			return err;
		++*wrote_ret;
	}
	return NULL;
}

/* After the first NT_PRSTATUS: NT_PRPSINFO, (NT_SIGINFO,) NT_AUXV, NT_FILE */
static struct vmacore_error *process_notes(struct vmacore_ctx *ctx,
					   const struct notes_layout *l,
					   const struct vmacore_task *leader,
					   const struct vmacore_mm *mm,
					   const struct pid_view *v,
					   const struct vmacore_vma *vmas,
					   size_t nr_vmas,
					   struct vmacore_gcore *g,
					   struct nbuf *nb)
{
	struct vmacore_error *err;
	struct elf_prpsinfo ps;

	err = psinfo(ctx, l, leader, mm, v, g, &ps);
	if (!err)
		err = nb_add(nb, "CORE", NT_PRPSINFO, &ps, sizeof(ps));
	err = lost_err(ctx, g, err, "NT_PRPSINFO");
	if (!err)
		err = auxv_note(ctx, l, mm, g, nb);
	if (!err)
		err = file_note(ctx, l, vmas, nr_vmas, g, nb);
	return err;
}

/*
 * The thread group of @leader: the leader, then signal->thread_head (or
 * the thread_group ring) in list order.  Bounded, cycles detected; a
 * damaged list ends the walk (said).
 */
static struct vmacore_error *thread_list(struct vmacore_ctx *ctx,
					 const struct notes_layout *l,
					 uint64_t leader,
					 struct vmacore_gcore *g,
					 uint64_t **ret, size_t *nret)
{
	const struct field *link = l->t_thread_node.present &&
				   l->s_thread_head.present ?
				   &l->t_thread_node : &l->t_thread_group;
	struct addr_set seen = { 0 };
	struct vmacore_error *err;
	uint64_t head, next, signal, *t = NULL, *nt, task;
	size_t n = 0, cap = 0;
	bool added, leader_passed = false;

	if (link == &l->t_thread_node) {
		err = read_field(ctx, leader, &l->t_signal, &signal);
		if (err || !signal) {
			vmacore_error_destroy(err);
			head = 0;
		} else {
			head = signal + l->s_thread_head.off;
		}
	} else if (link->present) {
		head = leader + link->off;
	} else {
		head = 0;
	}
	if (!leader) {
		*ret = NULL;
		*nret = 0;
		return lost(ctx, g, "threads: no task struct: no thread notes");
	}
	err = addr_set_add(&seen, leader, 1, NULL, &added);
	cap = 8;
	t = malloc(cap * sizeof(*t));
	if (!t || err) {
		free(t);
		addr_set_deinit(&seen);
		return &vmacore_enomem;
	}
	t[n++] = leader;
	if (!head)
		err = lost(ctx, g, "threads: no thread list: only the leader's notes");
	for (next = head; head && !err;) {
		uint64_t at = next;

		err = read_u64(ctx, at, &next);
		if (err) {
			err = lost_err(ctx, g, err, "threads: cannot read the thread list: the rest lost");
			break;
		}
		if (next == head)
			break;
		task = next - link->off;
		if (task == leader && !leader_passed) {
			leader_passed = true;	/* the list passes it once */
			continue;
		}
		err = addr_set_add(&seen, task, 1, NULL, &added);
		if (err)
			break;
		if (!added || n == THREADS_MAX) {
			err = lost(ctx, g, "threads: the thread list loops or passes %u threads at task 0x%llx: the rest lost",
				   THREADS_MAX, (unsigned long long)task);
			break;
		}
		if (n == cap) {
			cap *= 2;
			nt = realloc(t, cap * sizeof(*t));
			if (!nt) {
				err = &vmacore_enomem;
				break;
			}
			t = nt;
		}
		t[n++] = task;
	}
	addr_set_deinit(&seen);
	*ret = t;
	*nret = n;
	return err;
}

/* The layout, resolved on the dump's first core and kept in @ctx */
static struct vmacore_error *notes_layout_get(struct vmacore_ctx *ctx,
					      struct notes_layout *l)
{
	struct vmacore_error *err;

	if (!ctx->notes_layout) {
		ctx->notes_layout = malloc(sizeof(*ctx->notes_layout));
		if (!ctx->notes_layout)
			return &vmacore_enomem;
		err = notes_layout_init(ctx, ctx->notes_layout);
		if (err) {
			free(ctx->notes_layout);
			ctx->notes_layout = NULL;
			return err;
		}
	}
	*l = *ctx->notes_layout;
	return NULL;
}

struct vmacore_error *gcore_notes_build(struct vmacore_ctx *ctx,
					const struct vmacore_task *task,
					const struct vmacore_mm *mm,
					const struct vmacore_vma *vmas,
					size_t nr_vmas,
					struct vmacore_gcore *g,
					unsigned char **buf_ret, size_t *len_ret)
{
	unsigned char pr[PRSTATUS_MAX], fp[FPSIMD_SIZE];
	struct vmacore_task leader = *task;
	struct notes_layout l;
	struct nbuf nb = { 0 };
	struct vmacore_error *err;
	struct pid_view view = { 0, 0 };
	uint64_t *threads = NULL, lead, pid, v;
	size_t nthreads = 0, i, prlen, fplen;
	const char *why, *fp_why = NULL;
	bool first;

	*buf_ret = NULL;
	*len_ret = 0;
	err = notes_layout_get(ctx, &l);
	if (err)
		return err;
	lead = task->addr;
	if (l.t_group_leader.present) {
		err = read_field(ctx, task->addr, &l.t_group_leader, &lead);
		if (!err && lead && lead != task->addr)
			err = vmacore_task_read(ctx, lead, &leader);
		if (err || !lead) {
			vmacore_error_destroy(err);
			err = lost(ctx, g, "threads: cannot read the group leader of pid %d: notes from pid %d",
				   task->pid, task->pid);
			lead = task->addr;
			leader = *task;
		}
		if (err)
			goto out;
	}
	/* task_active_pid_ns(current): the level of the dumping task's pid */
	err = read_field(ctx, lead, &l.t_thread_pid, &pid);
	if (!err && pid)
		err = read_field(ctx, pid, &l.pid_level, &view.level);
	if (!err && pid && view.level <= MAX_PID_NS_LEVEL)
		err = read_field(ctx, pid + l.pid_numbers.off +
				 view.level * l.upid_size, &l.upid_ns,
				 &view.ns);
	if (err || !pid || view.level > MAX_PID_NS_LEVEL) {
		err = err ? lost_err(ctx, g, err, "pid numbers: written as 0") :
			    lost(ctx, g, "pid numbers: bad struct pid of the leader: written as 0");
		if (err)
			goto out;
		view.level = MAX_PID_NS_LEVEL + 1;	/* every number 0 */
	}
	err = thread_list(ctx, &l, lead, g, &threads, &nthreads);
	if (err)
		goto out;
	if (!l.thread_size || !l.pt_regs_size) {
		err = lost(ctx, g, "NT_PRSTATUS: THREAD_SIZE or sizeof(struct pt_regs) unknown: no thread notes");
		nthreads = 0;
		if (err)
			goto out;
	}
	first = true;
	for (i = 0; i < nthreads; i++) {
		char what[96], note[128];

		snprintf(what, sizeof(what), "thread %zu (task 0x%llx)", i,
			 (unsigned long long)threads[i]);
		err = fp_note(ctx, &l, threads[i], fp, &fplen, &why);
		if (err) {
			fplen = 0;
			snprintf(note, sizeof(note), "NT_PRFPREG of %s", what);
			err = lost_err(ctx, g, err, note);
		} else if (why) {
			fp_why = why;
		}
		if (!err)
			err = prstatus(ctx, &l, threads[i], i == 0, threads,
				       nthreads, &view, fplen != 0, pr, &prlen);
		if (err && err != &vmacore_enomem) {
			snprintf(note, sizeof(note), "notes of %s", what);
			err = lost_err(ctx, g, err, note);
			if (err)
				goto out;
			continue;
		}
		if (!err) {
			g->threads++;
			err = nb_add(&nb, "CORE", NT_PRSTATUS, pr, prlen);
		}
		if (!err && first) {
			first = false;
			err = process_notes(ctx, &l, &leader, mm, &view, vmas,
					    nr_vmas, g, &nb);
		}
		if (!err && fplen)
			err = nb_add(&nb, "CORE", NT_PRFPREG, fp, fplen);
		if (!err && l.arm64) {
			/* tls_get(): tp_value, then tpidr2_el0 or zero */
			uint64_t tls[2] = { 0, 0 };

			err = read_field(ctx, threads[i], &l.th_tp_value,
					 &tls[0]);
			if (!err && l.th_tpidr2.present)
				err = read_field(ctx, threads[i],
						 &l.th_tpidr2, &tls[1]);
			if (!err)
				err = nb_add(&nb, "LINUX", NT_ARM_TLS, tls, 16);
			snprintf(note, sizeof(note), "NT_ARM_TLS of %s", what);
			err = lost_err(ctx, g, err, note);
		}
		if (!err && l.arm64 && l.a_syscallno.present) {
			/* system_call_get(): pt_regs->syscallno */
			int32_t nr;

			err = pt_regs_addr(ctx, &l, threads[i], &v);
			if (!err)
				err = read_field(ctx, v, &l.a_syscallno, &v);
			nr = (int32_t)v;
			if (!err)
				err = nb_add(&nb, "LINUX", NT_ARM_SYSTEM_CALL,
					     &nr, 4);
			snprintf(note, sizeof(note), "NT_ARM_SYSTEM_CALL of %s",
				 what);
			err = lost_err(ctx, g, err, note);
		}
		if (!err && l.arm64) {
			size_t mark = nb.len;
			int wrote;

			err = pac_notes(ctx, &l, threads[i], &nb, &wrote);
			if (err && err != &vmacore_enomem)
				nb.len = mark;	/* all of them or none */
			snprintf(note, sizeof(note),
				 "NT_ARM_PAC_* notes of %s", what);
			err = lost_err(ctx, g, err, note);
		}
		if (err)
			goto out;
	}
	/* no thread's NT_PRSTATUS: the process notes all the same */
	if (first)
		err = process_notes(ctx, &l, &leader, mm, &view, vmas, nr_vmas,
				    g, &nb);
	if (!err)
		err = left_out(g, "NT_SIGINFO (no signal in a vmcore)");
	if (!err && fp_why)
		err = left_out(g, "NT_PRFPREG (%s)", fp_why);
	if (!err && !l.arm64 && (l.xsave || !l.xsave_known))
		err = left_out(g, "NT_X86_XSTATE");
	if (!err && l.arm64)
		err = left_out(g, "%s",
			       "NT_ARM_HW_BREAK, NT_ARM_HW_WATCH, NT_ARM_SVE, "
			       "NT_ARM_SSVE, NT_ARM_ZA, NT_ARM_ZT, "
			       "NT_ARM_TAGGED_ADDR_CTRL (those the CPU has)");
out:
	free(threads);
	if (err) {
		free(nb.p);
		return err;
	}
	*buf_ret = nb.p;
	*len_ret = nb.len;
	return NULL;
}
