/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_kernel.h - build kernel objects in a fake target: tasks, mms, VMAs,
 * maple trees shaped like the kernel's, files, dentries and mounts.
 */
#ifndef FAKE_KERNEL_H
#define FAKE_KERNEL_H

#include "fake_target.h"

/* Bump allocator of fake kernel memory (zeroed), @align a power of 2. */
uint64_t fake_alloc(struct fake_target *f, size_t size, size_t align);
/* Restart the allocator at @addr (used by fuzz/extract.c). */
void fake_alloc_reset(uint64_t addr);

/*
 * Physical memory: physical address P is fake kernel address
 * FAKE_PHYS_WINDOW + P (fake_phys_base()).
 */
#define FAKE_PHYS_WINDOW 0xffffc90000000000ULL
/* fake_ctx() with physical reads going to FAKE_PHYS_WINDOW. */
struct vmacore_ctx *fake_phys_ctx(struct fake_target *f);
/* A zeroed physical page (bump allocator); its physical address. */
uint64_t fake_phys_alloc(struct fake_target *f);
/*
 * Write @pte for user page @vaddr in the 4-level page tables under @pgd (a
 * kernel address), allocating the missing tables (present, rw, user).
 */
void fake_map_page(struct fake_target *f, uint64_t pgd, uint64_t vaddr,
		   uint64_t pte);

/* Tasks: a thread-group leader goes on init_task.tasks. */
uint64_t fake_signal(struct fake_target *f);
uint64_t fake_task(struct fake_target *f, int pid, int tgid,
		   const char *comm, uint64_t mm, uint64_t signal);

/* An mm_struct with an empty maple tree. */
uint64_t fake_mm(struct fake_target *f);

/* A VMA of @mm for [start, end). */
uint64_t fake_vma(struct fake_target *f, uint64_t mm, uint64_t start,
		  uint64_t end, uint64_t flags);

/* Maple node types as encoded in the fake (fake_layout_default()). */
enum { MT_DENSE = 0, MT_LEAF = 1, MT_RANGE = 2, MT_ARANGE = 3 };

/* mt_mk_node(): an encoded node pointer. */
static inline uint64_t fake_enode(uint64_t node, unsigned int type)
{
	return node | (type << 3) | 4;
}

/*
 * fake_tree_build() - store @n VMAs (sorted, non-overlapping, each read
 * back from the fake memory for its range) in mm->mm_mt the way the kernel
 * lays them out: leaf_64 leaves with NULL gap entries, arange_64 internal
 * nodes, pivots, metadata ends, parents and the height in ma_flags.  At
 * most @leaf_fill entries per leaf (2..16) and @inner_fill children per
 * internal node (2..10).  Returns the number of nodes made; the nodes are
 * listed in @nodes_ret (if not NULL, room for 4096) in creation order,
 * leaves first, root last.
 */
unsigned int fake_tree_build(struct fake_target *f, uint64_t mm,
			     const uint64_t *vmas, unsigned int n,
			     unsigned int leaf_fill, unsigned int inner_fill,
			     uint64_t *nodes_ret);

/* A file of @path ("/a/b/c") on a mount tree built once per target. */
struct fake_fs {
	uint64_t root_mnt;	/* struct mount * of "/" (its own parent) */
	uint64_t root_dentry;
	uint64_t sb;		/* super_block of "/" */
	uint64_t d_op_simple;	/* dentry_operations with simple_dname */
	uint64_t d_op_anon;	/* ... with anon_inodefs_dname */
};
void fake_fs_init(struct fake_target *f, struct fake_fs *fs, uint32_t dev);
uint64_t fake_dentry(struct fake_target *f, uint64_t parent,
		     const char *name, uint64_t inode, bool hashed);
uint64_t fake_inode(struct fake_target *f, uint64_t sb, uint64_t ino);
uint64_t fake_sb(struct fake_target *f, uint32_t dev);
/* struct mount over @mountpoint of @parent (both struct mount *). */
uint64_t fake_mount(struct fake_target *f, uint64_t parent,
		    uint64_t mountpoint, uint64_t root_dentry);
uint64_t fake_file(struct fake_target *f, uint64_t mount, uint64_t dentry);
/* A hashed path below the root of @fs, one dentry per component. */
uint64_t fake_path(struct fake_target *f, struct fake_fs *fs,
		   const char *path, uint64_t ino);

#endif /* FAKE_KERNEL_H */
