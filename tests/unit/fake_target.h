/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_target.h - an in-memory vmacore target for unit tests.
 *
 * A test lays out kernel structures at chosen fake kernel addresses;
 * memory is a set of 4 KiB pages created on first write (reads of pages
 * never written fail with FAULT, pages marked with fake_nodata() with
 * NODATA).  Layouts come from the fake's own table: fake_layout_default()
 * fills one with the offsets below, deliberately unlike any real kernel's,
 * so that nothing in lib/ can get away with a hard-coded offset.
 */
#ifndef FAKE_TARGET_H
#define FAKE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmacore.h"

struct fake_target;

struct fake_target *fake_create(void);
void fake_destroy(struct fake_target *f);
extern const struct vmacore_target_ops fake_ops;

/* Memory. */
void fake_write(struct fake_target *f, uint64_t addr, const void *buf,
		size_t len);
void fake_w64(struct fake_target *f, uint64_t addr, uint64_t v);
void fake_w32(struct fake_target *f, uint64_t addr, uint32_t v);
void fake_w8(struct fake_target *f, uint64_t addr, uint8_t v);
uint64_t fake_r64(struct fake_target *f, uint64_t addr);
void fake_zero(struct fake_target *f, uint64_t addr, size_t len);
void fake_nodata(struct fake_target *f, uint64_t addr);	/* one page */
void fake_unmap(struct fake_target *f, uint64_t addr);	/* one page */
unsigned long fake_read_count(struct fake_target *f);
/* Physical address P reads virtual @base + P (default 0: physical reads
 * fail with FAULT).  Added for the fuzz harnesses (fuzz/). */
void fake_phys_base(struct fake_target *f, uint64_t base);

/* Debug info.  Re-declaring replaces; fake_drop_*() removes. */
void fake_symbol(struct fake_target *f, const char *name, uint64_t addr,
		 uint64_t size);
void fake_type(struct fake_target *f, const char *type, uint64_t size);
void fake_member(struct fake_target *f, const char *type,
		 const char *member, uint64_t off, uint64_t size);
void fake_drop_member(struct fake_target *f, const char *type,
		      const char *member);
void fake_enum(struct fake_target *f, const char *name, int64_t value);

/* The synthetic layout (offsets inside each struct). */
enum {
	/* task_struct */
	T_FLAGS = 0x2c, T_TASKS = 0x100, T_MM = 0x180, T_PID = 0x200, T_TGID = 0x204,
	T_COMM = 0x300, T_SIGNAL = 0x400, T_THREAD_NODE = 0x410,
	T_GROUP_LEADER = 0x420, T_SIZE = 0x1000,
	/* signal_struct */
	SIG_THREAD_HEAD = 0x20, SIG_SIZE = 0x100,
	/* mm_struct */
	MM_PGD = 0x10, MM_MT = 0x40, MM_MAP_COUNT = 0x80, MM_TOTAL_VM = 0x88,
	MM_FLAGS = 0x90, MM_START_BRK = 0xa0, MM_BRK = 0xa8,
	MM_START_STACK = 0xb0, MM_CONTEXT_VDSO = 0x200, MM_SIZE = 0x400,
	/* maple_tree (inside mm_struct at MM_MT) */
	MT_ROOT = 0x8, MT_FLAGS = 0x10,
	/* maple_node (256 bytes): mr64 and ma64 at 0 */
	MN_PARENT = 0, MN_SLOT = 8, MN_SIZE = 256,
	MR64_PIVOT = 8, MR64_SLOT = 128, MR64_META = 248,
	MA64_PIVOT = 8, MA64_SLOT = 80, MA64_GAP = 160, MA64_META = 240,
	MR64_PIVOTS = 15, MR64_SLOTS = 16, MA64_PIVOTS = 9, MA64_SLOTS = 10,
	DENSE_SLOTS = 31,
	/* vm_area_struct */
	V_START = 0x0, V_END = 0x8, V_MM = 0x10, V_FLAGS = 0x20,
	V_SHARED = 0x28, V_PGOFF = 0x60, V_FILE = 0x68, V_PRIVATE = 0x70,
	V_OPS = 0x78, V_ANON_VMA = 0x80, V_ANON_NAME = 0x98, V_SIZE = 0xb8,
	/* anon_vma_name, vm_special_mapping */
	AVN_NAME = 8, VSM_NAME = 0,
	/* file */
	F_PATH_MNT = 0x10, F_PATH_DENTRY = 0x18, F_INODE = 0x20,
	/* dentry */
	D_HASH_PPREV = 0x10, D_PARENT = 0x18, D_NAME_LEN = 0x24,
	D_NAME_NAME = 0x28, D_INODE = 0x30, D_OP = 0x60, D_SIZE = 0xc0,
	DOPS_D_DNAME = 0x40,
	/* mount, vfsmount */
	MNT_PARENT = 0x10, MNT_MOUNTPOINT = 0x18, MNT_MNT = 0x20,
	VFSMNT_ROOT = 0x0,
	/* inode, super_block */
	I_SB = 0x28, I_INO = 0x40, SB_DEV = 0x10,
};

/* Fake kernel addresses. */
#define FAKE_INIT_TASK	0xffff888000100000ULL
#define FAKE_SPECIAL_VMOPS 0xffffffff82000000ULL
#define FAKE_SIMPLE_DNAME 0xffffffff81000100ULL
#define FAKE_ANON_DNAME	0xffffffff81000200ULL
#define FAKE_PIPE_DNAME	0xffffffff81000300ULL
#define FAKE_SOCK_DNAME	0xffffffff81000400ULL
#define FAKE_MNEMONICS	0xffffffff82100000ULL
#define FAKE_VMAFLAG_NAMES 0xffffffff82200000ULL

/*
 * fake_layout_default() - declare every type, member, enumerator and
 * symbol libvmacore asks for, with the offsets above, and an empty task
 * list (init_task.tasks pointing to itself).
 */
void fake_layout_default(struct fake_target *f);

/* Make a context over @f (aborts the test program on failure). */
struct vmacore_ctx *fake_ctx(struct fake_target *f);

#endif /* FAKE_TARGET_H */
