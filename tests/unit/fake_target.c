// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_target.c - an in-memory vmacore target for unit tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_target.h"

#define PAGE 4096ULL

struct fake_page {
	uint64_t addr;
	bool nodata;
	unsigned char *data;
	struct fake_page *next;
};

struct fake_sym {
	char *name;
	char *member;	/* NULL for symbols, types and enumerators */
	uint64_t a, b;
	int kind;	/* 0 symbol, 1 type, 2 member, 3 enumerator */
	struct fake_sym *next;
};

#define NBUCKETS 65536

struct fake_target {
	struct fake_page *pages[NBUCKETS];
	struct fake_sym *syms;
	unsigned long reads;
	uint64_t phys_base;	/* fake_phys_base(); 0: no physical memory */
};

static void *xcalloc(size_t n, size_t s)
{
	void *p = calloc(n, s);

	if (!p) {
		fprintf(stderr, "fake_target: out of memory\n");
		abort();
	}
	return p;
}

struct fake_target *fake_create(void)
{
	return xcalloc(1, sizeof(struct fake_target));
}

void fake_destroy(struct fake_target *f)
{
	struct fake_sym *s, *sn;
	struct fake_page *p, *pn;
	size_t i;

	if (!f)
		return;
	for (i = 0; i < NBUCKETS; i++)
		for (p = f->pages[i]; p; p = pn) {
			pn = p->next;
			free(p->data);
			free(p);
		}
	for (s = f->syms; s; s = sn) {
		sn = s->next;
		free(s->name);
		free(s->member);
		free(s);
	}
	free(f);
}

static size_t bucket(uint64_t page)
{
	return (page >> 12) * 0x9e3779b97f4a7c15ULL >> 48;
}

static struct fake_page *page_find(struct fake_target *f, uint64_t addr)
{
	uint64_t pa = addr & ~(PAGE - 1);
	struct fake_page *p;

	for (p = f->pages[bucket(pa)]; p; p = p->next)
		if (p->addr == pa)
			return p;
	return NULL;
}

static struct fake_page *page_get(struct fake_target *f, uint64_t addr)
{
	uint64_t pa = addr & ~(PAGE - 1);
	struct fake_page *p = page_find(f, addr);

	if (p)
		return p;
	p = xcalloc(1, sizeof(*p));
	p->addr = pa;
	p->data = xcalloc(1, PAGE);
	p->next = f->pages[bucket(pa)];
	f->pages[bucket(pa)] = p;
	return p;
}

void fake_write(struct fake_target *f, uint64_t addr, const void *buf,
		size_t len)
{
	const unsigned char *b = buf;

	while (len) {
		struct fake_page *p = page_get(f, addr);
		size_t off = addr & (PAGE - 1), n = PAGE - off;

		if (n > len)
			n = len;
		memcpy(p->data + off, b, n);
		addr += n;
		b += n;
		len -= n;
	}
}

void fake_zero(struct fake_target *f, uint64_t addr, size_t len)
{
	while (len) {
		struct fake_page *p = page_get(f, addr);
		size_t off = addr & (PAGE - 1), n = PAGE - off;

		if (n > len)
			n = len;
		memset(p->data + off, 0, n);
		addr += n;
		len -= n;
	}
}

void fake_w64(struct fake_target *f, uint64_t addr, uint64_t v)
{
	fake_write(f, addr, &v, 8);
}

void fake_w32(struct fake_target *f, uint64_t addr, uint32_t v)
{
	fake_write(f, addr, &v, 4);
}

void fake_w8(struct fake_target *f, uint64_t addr, uint8_t v)
{
	fake_write(f, addr, &v, 1);
}

uint64_t fake_r64(struct fake_target *f, uint64_t addr)
{
	struct fake_page *p = page_find(f, addr);
	uint64_t v = 0;

	if (p && (addr & (PAGE - 1)) <= PAGE - 8)
		memcpy(&v, p->data + (addr & (PAGE - 1)), 8);
	return v;
}

void fake_nodata(struct fake_target *f, uint64_t addr)
{
	page_get(f, addr)->nodata = true;
}

void fake_unmap(struct fake_target *f, uint64_t addr)
{
	uint64_t pa = addr & ~(PAGE - 1);
	struct fake_page **pp, *p;

	for (pp = &f->pages[bucket(pa)]; (p = *pp); pp = &p->next)
		if (p->addr == pa) {
			*pp = p->next;
			free(p->data);
			free(p);
			return;
		}
}

unsigned long fake_read_count(struct fake_target *f)
{
	return f->reads;
}

void fake_phys_base(struct fake_target *f, uint64_t base)
{
	f->phys_base = base;
}

static struct vmacore_error *fake_read(void *priv, uint64_t addr, void *buf,
				       size_t len, bool physical)
{
	struct fake_target *f = priv;
	unsigned char *b = buf;
	uint64_t a = addr;

	f->reads++;
	if (physical && f->phys_base && addr < -f->phys_base)
		a = f->phys_base + addr;
	else if (physical)
		return vmacore_error_fault(VMACORE_ERROR_FAULT, addr,
					   "fake target has no physical memory");
	if (a + len < a)
		return vmacore_error_fault(VMACORE_ERROR_FAULT, addr,
					   "read at 0x%llx wraps around",
					   (unsigned long long)addr);
	while (len) {
		struct fake_page *p = page_find(f, a);
		size_t off = a & (PAGE - 1), n = PAGE - off;

		if (!p)
			return vmacore_error_fault(VMACORE_ERROR_FAULT, a,
						   "address 0x%llx not mapped",
						   (unsigned long long)a);
		if (p->nodata)
			return vmacore_error_fault(VMACORE_ERROR_NODATA, a,
						   "address 0x%llx not in dump",
						   (unsigned long long)a);
		if (n > len)
			n = len;
		memcpy(b, p->data + off, n);
		a += n;
		b += n;
		len -= n;
	}
	return NULL;
}

static struct fake_sym *sym_find(struct fake_target *f, int kind,
				 const char *name, const char *member)
{
	struct fake_sym *s;

	for (s = f->syms; s; s = s->next)
		if (s->kind == kind && !strcmp(s->name, name) &&
		    (!member || (s->member && !strcmp(s->member, member))))
			return s;
	return NULL;
}

static void sym_set(struct fake_target *f, int kind, const char *name,
		    const char *member, uint64_t a, uint64_t b)
{
	struct fake_sym *s = sym_find(f, kind, name, member);

	if (!s) {
		s = xcalloc(1, sizeof(*s));
		s->kind = kind;
		s->name = strdup(name);
		s->member = member ? strdup(member) : NULL;
		s->next = f->syms;
		f->syms = s;
	}
	s->a = a;
	s->b = b;
}

void fake_symbol(struct fake_target *f, const char *name, uint64_t addr,
		 uint64_t size)
{
	sym_set(f, 0, name, NULL, addr, size);
}

void fake_type(struct fake_target *f, const char *type, uint64_t size)
{
	sym_set(f, 1, type, NULL, size, 0);
}

void fake_member(struct fake_target *f, const char *type, const char *member,
		 uint64_t off, uint64_t size)
{
	sym_set(f, 2, type, member, off, size);
}

void fake_drop_member(struct fake_target *f, const char *type,
		      const char *member)
{
	struct fake_sym **pp, *s;

	for (pp = &f->syms; (s = *pp); pp = &s->next)
		if (s->kind == 2 && !strcmp(s->name, type) &&
		    !strcmp(s->member, member)) {
			*pp = s->next;
			free(s->name);
			free(s->member);
			free(s);
			return;
		}
}

void fake_enum(struct fake_target *f, const char *name, int64_t value)
{
	sym_set(f, 3, name, NULL, (uint64_t)value, 0);
}

static struct vmacore_error *fake_symbol_op(void *priv, const char *name,
					    uint64_t *addr_ret,
					    uint64_t *size_ret)
{
	struct fake_sym *s = sym_find(priv, 0, name, NULL);

	if (!s)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no symbol %s", name);
	*addr_ret = s->a;
	if (size_ret)
		*size_ret = s->b;
	return NULL;
}

static struct vmacore_error *fake_type_size(void *priv, const char *type,
					    uint64_t *ret)
{
	struct fake_sym *s = sym_find(priv, 1, type, NULL);

	if (!s)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no type %s", type);
	*ret = s->a;
	return NULL;
}

static struct vmacore_error *fake_member_op(void *priv, const char *type,
					    const char *member,
					    uint64_t *offset_ret,
					    uint64_t *size_ret)
{
	struct fake_sym *s = sym_find(priv, 2, type, member);

	if (!s)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no member %s.%s", type, member);
	*offset_ret = s->a;
	*size_ret = s->b;
	return NULL;
}

static struct vmacore_error *fake_enumerator(void *priv, const char *name,
					     int64_t *ret)
{
	struct fake_sym *s = sym_find(priv, 3, name, NULL);

	if (!s)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no enumerator %s", name);
	*ret = (int64_t)s->a;
	return NULL;
}

const struct vmacore_target_ops fake_ops = {
	.read = fake_read,
	.symbol = fake_symbol_op,
	.type_size = fake_type_size,
	.member = fake_member_op,
	.enumerator = fake_enumerator,
};

/* The smaps codes and long names of the fake kernel (a 6.1-like one). */
static const char *const fake_codes[64] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr",
	[5] = "mw", [6] = "me", [7] = "ms", [8] = "gd", [9] = "um",
	[10] = "pf", [12] = "uw", [13] = "lo", [14] = "io", [15] = "sr",
	[16] = "rr", [17] = "dc", [18] = "de", [20] = "ac", [21] = "nr",
	[22] = "ht", [23] = "sf", [24] = "ar", [25] = "wf", [26] = "dd",
	[27] = "sd", [28] = "mm", [29] = "hg", [30] = "nh", [31] = "mg",
	[37] = "ui",
};

void fake_layout_default(struct fake_target *f)
{
	static const struct {
		const char *type, *member;
		uint64_t off, size;
	} m[] = {
		{ "task_struct", "tasks", T_TASKS, 16 },
		{ "task_struct", "pid", T_PID, 4 },
		{ "task_struct", "tgid", T_TGID, 4 },
		{ "task_struct", "comm", T_COMM, 16 },
		{ "task_struct", "mm", T_MM, 8 },
		{ "task_struct", "signal", T_SIGNAL, 8 },
		{ "task_struct", "thread_node", T_THREAD_NODE, 16 },
		{ "task_struct", "group_leader", T_GROUP_LEADER, 8 },
		{ "task_struct", "flags", T_FLAGS, 4 },
		{ "signal_struct", "thread_head", SIG_THREAD_HEAD, 16 },
		{ "mm_struct", "mm_mt", MM_MT, 24 },
		{ "mm_struct", "pgd", MM_PGD, 8 },
		{ "mm_struct", "map_count", MM_MAP_COUNT, 4 },
		{ "mm_struct", "total_vm", MM_TOTAL_VM, 8 },
		{ "mm_struct", "flags", MM_FLAGS, 8 },
		{ "mm_struct", "start_brk", MM_START_BRK, 8 },
		{ "mm_struct", "brk", MM_BRK, 8 },
		{ "mm_struct", "start_stack", MM_START_STACK, 8 },
		{ "mm_struct", "context.vdso", MM_CONTEXT_VDSO, 8 },
		{ "maple_tree", "ma_root", MT_ROOT, 8 },
		{ "maple_tree", "ma_flags", MT_FLAGS, 4 },
		{ "maple_node", "parent", MN_PARENT, 8 },
		{ "maple_node", "slot", MN_SLOT, DENSE_SLOTS * 8 },
		{ "maple_node", "mr64", 0, 256 },
		{ "maple_node", "ma64", 0, 248 },
		{ "maple_range_64", "pivot", MR64_PIVOT, MR64_PIVOTS * 8 },
		{ "maple_range_64", "slot", MR64_SLOT, MR64_SLOTS * 8 },
		{ "maple_range_64", "meta", MR64_META, 2 },
		{ "maple_arange_64", "pivot", MA64_PIVOT, MA64_PIVOTS * 8 },
		{ "maple_arange_64", "slot", MA64_SLOT, MA64_SLOTS * 8 },
		{ "maple_arange_64", "gap", MA64_GAP, MA64_SLOTS * 8 },
		{ "maple_arange_64", "meta", MA64_META, 2 },
		{ "maple_metadata", "end", 0, 1 },
		{ "vm_area_struct", "vm_start", V_START, 8 },
		{ "vm_area_struct", "vm_end", V_END, 8 },
		{ "vm_area_struct", "vm_mm", V_MM, 8 },
		{ "vm_area_struct", "vm_flags", V_FLAGS, 8 },
		{ "vm_area_struct", "shared", V_SHARED, 24 },
		{ "vm_area_struct", "vm_pgoff", V_PGOFF, 8 },
		{ "vm_area_struct", "vm_file", V_FILE, 8 },
		{ "vm_area_struct", "vm_private_data", V_PRIVATE, 8 },
		{ "vm_area_struct", "vm_ops", V_OPS, 8 },
		{ "vm_area_struct", "anon_vma", V_ANON_VMA, 8 },
		{ "vm_area_struct", "anon_name", V_ANON_NAME, 8 },
		{ "anon_vma_name", "name", AVN_NAME, 0 },
		{ "vm_special_mapping", "name", VSM_NAME, 8 },
		{ "file", "f_path.mnt", F_PATH_MNT, 8 },
		{ "file", "f_path.dentry", F_PATH_DENTRY, 8 },
		{ "file", "f_inode", F_INODE, 8 },
		{ "dentry", "d_hash.pprev", D_HASH_PPREV, 8 },
		{ "dentry", "d_parent", D_PARENT, 8 },
		{ "dentry", "d_name.len", D_NAME_LEN, 4 },
		{ "dentry", "d_name.name", D_NAME_NAME, 8 },
		{ "dentry", "d_inode", D_INODE, 8 },
		{ "dentry", "d_op", D_OP, 8 },
		{ "dentry_operations", "d_dname", DOPS_D_DNAME, 8 },
		{ "mount", "mnt", MNT_MNT, 32 },
		{ "mount", "mnt_parent", MNT_PARENT, 8 },
		{ "mount", "mnt_mountpoint", MNT_MOUNTPOINT, 8 },
		{ "vfsmount", "mnt_root", VFSMNT_ROOT, 8 },
		{ "inode", "i_sb", I_SB, 8 },
		{ "inode", "i_ino", I_INO, 8 },
		{ "super_block", "s_dev", SB_DEV, 4 },
	};
	static const char *const names[] = {
		"read", "write", "exec", "shared", "mayread", "maywrite",
		"mayexec", "mayshare", "growsdown",
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		fake_member(f, m[i].type, m[i].member, m[i].off, m[i].size);
	fake_type(f, "task_struct", T_SIZE);
	fake_type(f, "signal_struct", SIG_SIZE);
	fake_type(f, "mm_struct", MM_SIZE);
	fake_type(f, "maple_node", MN_SIZE);
	fake_type(f, "vm_area_struct", V_SIZE);
	fake_type(f, "dentry", D_SIZE);
	fake_enum(f, "maple_dense", 0);
	fake_enum(f, "maple_leaf_64", 1);
	fake_enum(f, "maple_range_64", 2);
	fake_enum(f, "maple_arange_64", 3);

	fake_symbol(f, "init_task", FAKE_INIT_TASK, T_SIZE);
	fake_zero(f, FAKE_INIT_TASK, T_SIZE);
	fake_w64(f, FAKE_INIT_TASK + T_TASKS, FAKE_INIT_TASK + T_TASKS);
	fake_w64(f, FAKE_INIT_TASK + T_TASKS + 8, FAKE_INIT_TASK + T_TASKS);
	fake_write(f, FAKE_INIT_TASK + T_COMM, "swapper/0", 10);

	fake_symbol(f, "special_mapping_vmops", FAKE_SPECIAL_VMOPS, 0x80);
	fake_zero(f, FAKE_SPECIAL_VMOPS, 0x80);
	fake_symbol(f, "simple_dname", FAKE_SIMPLE_DNAME, 0x40);
	fake_symbol(f, "anon_inodefs_dname", FAKE_ANON_DNAME, 0x40);
	fake_symbol(f, "pipefs_dname", FAKE_PIPE_DNAME, 0x40);
	fake_symbol(f, "sockfs_dname", FAKE_SOCK_DNAME, 0x40);

	/* show_smap_vma_flags()'s mnemonics, [64][2] as in 6.1 */
	fake_symbol(f, "mnemonics.0", FAKE_MNEMONICS, 128);
	for (i = 0; i < 64; i++)
		fake_write(f, FAKE_MNEMONICS + 2 * i,
			   fake_codes[i] ? fake_codes[i] : "??", 2);
	/* bits 32..36: pkeys, "" */
	for (i = 32; i <= 36; i++)
		fake_write(f, FAKE_MNEMONICS + 2 * i, "\0\0", 2);

	/* vmaflag_names[]: nine names, then {0, NULL} */
	fake_symbol(f, "vmaflag_names", FAKE_VMAFLAG_NAMES, 16 * 10);
	for (i = 0; i < 9; i++) {
		uint64_t str = FAKE_VMAFLAG_NAMES + 0x1000 + 32 * i;

		fake_w64(f, FAKE_VMAFLAG_NAMES + 16 * i, 1ULL << i);
		fake_w64(f, FAKE_VMAFLAG_NAMES + 16 * i + 8, str);
		fake_write(f, str, names[i], strlen(names[i]) + 1);
	}
	fake_w64(f, FAKE_VMAFLAG_NAMES + 16 * 9, 0);
	fake_w64(f, FAKE_VMAFLAG_NAMES + 16 * 9 + 8, 0);
}

struct vmacore_ctx *fake_ctx(struct fake_target *f)
{
	struct vmacore_ctx *ctx;
	struct vmacore_error *err = vmacore_ctx_create(&fake_ops, f, &ctx);

	if (err) {
		printf("Bail out! cannot create context: %s\n", err->message);
		exit(1);
	}
	return ctx;
}
