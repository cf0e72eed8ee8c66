// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_kernel.c - build kernel objects in a fake target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"

/*
 * One allocator for all targets of a test program: addresses never
 * repeat, which is all the tests need.
 */
static uint64_t next_free = 0xffff888010000000ULL;

/* Restart allocating at @addr (for fuzz/extract.c, one arena per seed). */
void fake_alloc_reset(uint64_t addr)
{
	next_free = addr;
}

uint64_t fake_alloc(struct fake_target *f, size_t size, size_t align)
{
	uint64_t a = (next_free + align - 1) & ~(uint64_t)(align - 1);

	next_free = a + size;
	fake_zero(f, a, size);
	return a;
}

static void list_add_tail(struct fake_target *f, uint64_t node,
			  uint64_t head)
{
	uint64_t prev = fake_r64(f, head + 8);

	fake_w64(f, node, head);		/* node->next */
	fake_w64(f, node + 8, prev);		/* node->prev */
	fake_w64(f, prev, node);		/* prev->next */
	fake_w64(f, head + 8, node);		/* head->prev */
}

uint64_t fake_signal(struct fake_target *f)
{
	uint64_t s = fake_alloc(f, SIG_SIZE, 64);

	fake_w64(f, s + SIG_THREAD_HEAD, s + SIG_THREAD_HEAD);
	fake_w64(f, s + SIG_THREAD_HEAD + 8, s + SIG_THREAD_HEAD);
	return s;
}

uint64_t fake_task(struct fake_target *f, int pid, int tgid,
		   const char *comm, uint64_t mm, uint64_t signal)
{
	uint64_t t = fake_alloc(f, T_SIZE, 64);
	char c[16] = { 0 };

	strncpy(c, comm, sizeof(c) - 1);
	fake_w32(f, t + T_PID, pid);
	fake_w32(f, t + T_TGID, tgid);
	fake_write(f, t + T_COMM, c, sizeof(c));
	fake_w64(f, t + T_MM, mm);
	fake_w64(f, t + T_SIGNAL, signal);
	if (pid == tgid) {
		list_add_tail(f, t + T_TASKS, FAKE_INIT_TASK + T_TASKS);
	} else {
		fake_w64(f, t + T_TASKS, t + T_TASKS);
		fake_w64(f, t + T_TASKS + 8, t + T_TASKS);
	}
	if (signal)
		list_add_tail(f, t + T_THREAD_NODE, signal + SIG_THREAD_HEAD);
	return t;
}

uint64_t fake_mm(struct fake_target *f)
{
	uint64_t mm = fake_alloc(f, MM_SIZE, 64);

	fake_w64(f, mm + MM_PGD, 0xffff888001000000ULL);
	fake_w32(f, mm + MM_MT + MT_FLAGS, 1);	/* MT_FLAGS_ALLOC_RANGE */
	return mm;
}

uint64_t fake_vma(struct fake_target *f, uint64_t mm, uint64_t start,
		  uint64_t end, uint64_t flags)
{
	uint64_t v = fake_alloc(f, V_SIZE, 8);

	fake_w64(f, v + V_START, start);
	fake_w64(f, v + V_END, end);
	fake_w64(f, v + V_MM, mm);
	fake_w64(f, v + V_FLAGS, flags);
	return v;
}

struct item {
	uint64_t lo, hi, val;
};

/* Make one node of @type from @n items; returns the node address. */
static uint64_t make_node(struct fake_target *f, unsigned int type,
			  const struct item *it, unsigned int n)
{
	uint64_t node = fake_alloc(f, MN_SIZE, 256);
	unsigned int npiv = type == MT_ARANGE ? MA64_PIVOTS : MR64_PIVOTS;
	unsigned int nslots = type == MT_ARANGE ? MA64_SLOTS : MR64_SLOTS;
	uint64_t piv = type == MT_ARANGE ? MA64_PIVOT : MR64_PIVOT;
	uint64_t slot = type == MT_ARANGE ? MA64_SLOT : MR64_SLOT;
	uint64_t meta = type == MT_ARANGE ? MA64_META : MR64_META;
	unsigned int i;

	if (n > nslots)
		abort();
	for (i = 0; i < n; i++) {
		fake_w64(f, node + slot + 8 * i, it[i].val);
		if (i < npiv)
			fake_w64(f, node + piv + 8 * i, it[i].hi);
	}
	if (type == MT_ARANGE || n < nslots)
		fake_w8(f, node + meta, n - 1);		/* meta.end */
	return node;
}

unsigned int fake_tree_build(struct fake_target *f, uint64_t mm,
			     const uint64_t *vmas, unsigned int n,
			     unsigned int leaf_fill, unsigned int inner_fill,
			     uint64_t *nodes_ret)
{
	struct item *cur, *up;
	unsigned int ncur = 0, nup, i, j, k, height = 0, made = 0;
	uint64_t prev = 0, tree = mm + MM_MT;
	unsigned int type = MT_LEAF;

	fake_w32(f, mm + MM_MAP_COUNT, n);
	if (!n) {
		fake_w64(f, tree + MT_ROOT, 0);
		return 0;
	}
	cur = calloc(2 * n + 2, sizeof(*cur));
	up = calloc(2 * n + 2, sizeof(*up));
	for (i = 0; i < n; i++) {
		uint64_t s = fake_r64(f, vmas[i] + V_START);
		uint64_t e = fake_r64(f, vmas[i] + V_END);

		if (s > prev)
			cur[ncur++] = (struct item){ prev, s - 1, 0 };
		cur[ncur++] = (struct item){ s, e - 1, vmas[i] };
		prev = e;
	}
	if (prev)
		cur[ncur++] = (struct item){ prev, UINT64_MAX, 0 };

	for (;;) {
		unsigned int fill = type == MT_LEAF ? leaf_fill : inner_fill;

		height++;
		nup = 0;
		for (i = 0; i < ncur; i += k) {
			uint64_t node;

			k = ncur - i < fill ? ncur - i : fill;
			/* never leave a single item for the last node */
			if (ncur - i - k == 1 && k > 2)
				k--;
			node = make_node(f, type, cur + i, k);
			if (nodes_ret && made < 4096)
				nodes_ret[made] = node;
			made++;
			if (type != MT_LEAF)
				for (j = 0; j < k; j++)
					fake_w64(f, (cur[i + j].val & ~255ULL) +
						 MN_PARENT, node | (j << 3));
			up[nup++] = (struct item){ cur[i].lo, cur[i + k - 1].hi,
						   fake_enode(node, type) };
		}
		if (nup == 1)
			break;
		memcpy(cur, up, nup * sizeof(*up));
		ncur = nup;
		type = MT_ARANGE;
	}
	/* mte_mk_root(), and the root's parent is the tree | MA_ROOT_PARENT */
	fake_w64(f, (up[0].val & ~255ULL) + MN_PARENT, tree | 1);
	fake_w64(f, tree + MT_ROOT, up[0].val | 2);
	fake_w32(f, tree + MT_FLAGS, 1 | (height << 2));
	free(cur);
	free(up);
	return made;
}

uint64_t fake_sb(struct fake_target *f, uint32_t dev)
{
	uint64_t sb = fake_alloc(f, 0x100, 64);

	fake_w32(f, sb + SB_DEV, dev);
	return sb;
}

uint64_t fake_inode(struct fake_target *f, uint64_t sb, uint64_t ino)
{
	uint64_t i = fake_alloc(f, 0x100, 64);

	fake_w64(f, i + I_SB, sb);
	fake_w64(f, i + I_INO, ino);
	return i;
}

uint64_t fake_dentry(struct fake_target *f, uint64_t parent,
		     const char *name, uint64_t inode, bool hashed)
{
	uint64_t d = fake_alloc(f, D_SIZE, 64);
	size_t len = strlen(name);
	uint64_t s = fake_alloc(f, len + 1, 8);

	fake_write(f, s, name, len + 1);
	fake_w64(f, d + D_PARENT, parent ? parent : d);
	fake_w32(f, d + D_NAME_LEN, len);
	fake_w64(f, d + D_NAME_NAME, s);
	fake_w64(f, d + D_INODE, inode);
	/* a hashed dentry's d_hash.pprev points into the hash table */
	fake_w64(f, d + D_HASH_PPREV, hashed ? 0xffff888000fff000ULL : 0);
	return d;
}

uint64_t fake_mount(struct fake_target *f, uint64_t parent,
		    uint64_t mountpoint, uint64_t root_dentry)
{
	uint64_t m = fake_alloc(f, 0x100, 64);

	fake_w64(f, m + MNT_PARENT, parent ? parent : m);
	fake_w64(f, m + MNT_MOUNTPOINT, mountpoint ? mountpoint : root_dentry);
	fake_w64(f, m + MNT_MNT + VFSMNT_ROOT, root_dentry);
	return m;
}

uint64_t fake_file(struct fake_target *f, uint64_t mount, uint64_t dentry)
{
	uint64_t file = fake_alloc(f, 0x100, 64);

	fake_w64(f, file + F_PATH_MNT, mount + MNT_MNT);
	fake_w64(f, file + F_PATH_DENTRY, dentry);
	fake_w64(f, file + F_INODE, fake_r64(f, dentry + D_INODE));
	return file;
}

void fake_fs_init(struct fake_target *f, struct fake_fs *fs, uint32_t dev)
{
	fs->sb = fake_sb(f, dev);
	fs->root_dentry = fake_dentry(f, 0, "/", fake_inode(f, fs->sb, 2),
				      true);
	fs->root_mnt = fake_mount(f, 0, 0, fs->root_dentry);
	fs->d_op_simple = fake_alloc(f, 0x80, 64);
	fake_w64(f, fs->d_op_simple + DOPS_D_DNAME, FAKE_SIMPLE_DNAME);
	fs->d_op_anon = fake_alloc(f, 0x80, 64);
	fake_w64(f, fs->d_op_anon + DOPS_D_DNAME, FAKE_ANON_DNAME);
}

uint64_t fake_path(struct fake_target *f, struct fake_fs *fs,
		   const char *path, uint64_t ino)
{
	char *copy = strdup(path), *save = NULL, *c;
	uint64_t d = fs->root_dentry;

	for (c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save))
		d = fake_dentry(f, d, c, fake_inode(f, fs->sb, ino++), true);
	free(copy);
	return d;
}

struct vmacore_ctx *fake_phys_ctx(struct fake_target *f)
{
	fake_phys_base(f, FAKE_PHYS_WINDOW);
	return fake_ctx(f);
}

static uint64_t phys_next = 0x100000;

uint64_t fake_phys_alloc(struct fake_target *f)
{
	uint64_t p = phys_next;

	phys_next += 4096;
	fake_zero(f, FAKE_PHYS_WINDOW + p, 4096);
	return p;
}

void fake_map_page(struct fake_target *f, uint64_t pgd, uint64_t vaddr,
		   uint64_t pte)
{
	uint64_t table = 0, e;
	int level;

	for (level = 4; level >= 2; level--) {
		uint64_t idx = (vaddr >> (12 + 9 * (level - 1))) & 511;
		uint64_t at = level == 4 ? pgd + idx * 8 :
			      FAKE_PHYS_WINDOW + table + idx * 8;

		e = fake_r64(f, at);
		if (!(e & 1)) {
			e = fake_phys_alloc(f) | 0x67;
			fake_w64(f, at, e);
		}
		table = e & 0x000ffffffffff000ULL;
	}
	fake_w64(f, FAKE_PHYS_WINDOW + table + ((vaddr >> 12) & 511) * 8, pte);
}
