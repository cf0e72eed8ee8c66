// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * common.c - the fuzzed fake kernel shared by the harnesses (see fuzz.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static struct fake_target *fake;
static size_t mapped_pages;
static struct vmacore_ctx *kept_ctx;
static bool keeping;

struct fake_target *fuzz_fake(void)
{
	return fake;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

bool fuzz_corrupt_has_line = true;

void fuzz_check_error(const struct vmacore_error *err)
{
	if (!err)
		return;
	if (!err->message || !err->message[0])
		fuzz_fail("error of code %d without a message", err->code);
	if (err->code < VMACORE_ERROR_NOMEM || err->code > VMACORE_ERROR_INCOMPLETE)
		fuzz_fail("error with unknown code %d: %s", err->code,
			  err->message);
	if (err->code == VMACORE_ERROR_CORRUPT && fuzz_corrupt_has_line &&
	    (!err->file || !err->line))
		fuzz_fail("CORRUPT error without file:line: %s", err->message);
}

void fuzz_error_free(struct vmacore_error *err)
{
	fuzz_check_error(err);
	vmacore_error_destroy(err);
}

struct vmacore_ctx *fuzz_begin(const uint8_t *data, size_t size,
			       fuzz_layout_fn *layout,
			       fuzz_prepare_fn *prepare, bool keep,
			       uint64_t *hdr_ret)
{
	struct vmacore_ctx *ctx = NULL;
	struct vmacore_error *err;
	size_t i;

	if (!fake) {
		fake = fake_create();
		fake_layout_default(fake);
		fake_phys_base(fake, FUZZ_PHYS_BASE);
		if (layout)
			layout(fake);
	}
	if (size > FUZZ_ARENA_MAX)
		size = FUZZ_ARENA_MAX;
	memset(hdr_ret, 0, FUZZ_HDR_WORDS * 8);
	memcpy(hdr_ret, data, size < FUZZ_HDR_WORDS * 8 ?
	       size : FUZZ_HDR_WORDS * 8);
	/* Whole pages: the tail of the last one reads as zeroes. */
	mapped_pages = (size + 4095) / 4096;
	for (i = 0; i < mapped_pages; i++)
		fake_zero(fake, FUZZ_ARENA + 4096 * i, 4096);
	fake_write(fake, FUZZ_ARENA, data, size);
	if (prepare)
		prepare(fake, hdr_ret);
	keeping = keep;
	if (keep && kept_ctx)
		return kept_ctx;
	err = vmacore_ctx_create(&fake_ops, fake, &ctx);
	if (err) {
		/*
		 * The layout is fixed, but the context reads the vm_flags
		 * tables (vmaflag_names[]): a damaged one refuses the dump.
		 */
		if (err->code != VMACORE_ERROR_CORRUPT &&
		    err->code != VMACORE_ERROR_FAULT &&
		    err->code != VMACORE_ERROR_NODATA)
			fuzz_fail("cannot create context: %s", err->message);
		fuzz_error_free(err);
		return NULL;
	}
	if (keep)
		kept_ctx = ctx;
	return ctx;
}

void fuzz_end(struct vmacore_ctx *ctx)
{
	size_t i;

	if (!keeping || ctx != kept_ctx)
		vmacore_ctx_destroy(ctx);
	for (i = 0; i < mapped_pages; i++)
		fake_unmap(fake, FUZZ_ARENA + 4096 * i);
	mapped_pages = 0;
}

/*
 * Offsets of the rmap, interval-tree, page-cache and coredump structs in
 * the fuzzed kernel (unlike any real kernel's; the interval-tree ones are
 * those of tests/unit/test_interval_tree.c).
 */
enum {
	RB_PARENT = 0, RB_RIGHT = 8, RB_LEFT = 16,
	RBC_NODE = 0, RBC_LEFTMOST = 8,
	AS_HOST = 0x8, AS_I_MMAP = 0x18, AS_I_PAGES = 0x30, AS_NRPAGES = 0x48,
	XA_HEAD = 0x8, XN_SHIFT = 0x0, XN_SLOTS = 0x28,
	AV_ROOT = 0x0, AV_PARENT = 0x8, AV_NUM_CHILDREN = 0x10,
	AV_NUM_ACTIVE = 0x18, AV_RB_ROOT = 0x30,
	AVC_VMA = 0x0, AVC_ANON_VMA = 0x8, AVC_SAME_VMA = 0x10,
	AVC_RB = 0x28, AVC_SUBTREE = 0x40,
	V_ANON_VMA_CHAIN = 0xa0,
	PG_FLAGS = 0x0, PG_HEAD = 0x8, PG_MAPPING = 0x18, PG_INDEX = 0x20,
	PG_TYPE = 0x30, PG_SIZE = 0x40,
	FO_FLAGS_1 = 0x40, FO_ORDER = 0x48, FO_NR_PAGES = 0x4c,
	KSN_HLIST = 0x0, KSN_LEN = 0x10,
	KRI_HLIST = 0x0, KRI_ANON_VMA = 0x10, KRI_MM = 0x18,
	KRI_ADDRESS = 0x20,
	VMOPS_NAME = 0x30, F_MAPPING = 0x28,
	I_MODE = 0x0, I_FLAGS = 0x4, I_MAPPING = 0x30, I_NLINK = 0x48,
	MM_CONTEXT_FLAGS = 0x208,
};

#define FUZZ_SPECIAL_MAPPING_NAME 0xffffffff81000500ULL
#define FUZZ_GATE_VMA		0xffffffff82300000ULL

void fuzz_layout_rmap(struct fake_target *f)
{
	static const struct {
		const char *type, *member;
		uint64_t off, size;
	} m[] = {
		{ "rb_node", "__rb_parent_color", RB_PARENT, 8 },
		{ "rb_node", "rb_right", RB_RIGHT, 8 },
		{ "rb_node", "rb_left", RB_LEFT, 8 },
		{ "rb_root_cached", "rb_root.rb_node", RBC_NODE, 8 },
		{ "rb_root_cached", "rb_leftmost", RBC_LEFTMOST, 8 },
		{ "vm_area_struct", "shared.rb", V_SHARED, 24 },
		{ "vm_area_struct", "shared.rb_subtree_last", V_SHARED + 24, 8 },
		{ "vm_area_struct", "anon_vma_chain", V_ANON_VMA_CHAIN, 16 },
		{ "address_space", "host", AS_HOST, 8 },
		{ "address_space", "i_mmap", AS_I_MMAP, 16 },
		{ "address_space", "i_pages", AS_I_PAGES, 16 },
		{ "address_space", "nrpages", AS_NRPAGES, 8 },
		{ "xarray", "xa_head", XA_HEAD, 8 },
		{ "xa_node", "shift", XN_SHIFT, 1 },
		{ "xa_node", "slots", XN_SLOTS, 64 * 8 },
		{ "anon_vma", "root", AV_ROOT, 8 },
		{ "anon_vma", "parent", AV_PARENT, 8 },
		{ "anon_vma", "num_children", AV_NUM_CHILDREN, 8 },
		{ "anon_vma", "num_active_vmas", AV_NUM_ACTIVE, 8 },
		{ "anon_vma", "rb_root", AV_RB_ROOT, 16 },
		{ "anon_vma_chain", "vma", AVC_VMA, 8 },
		{ "anon_vma_chain", "anon_vma", AVC_ANON_VMA, 8 },
		{ "anon_vma_chain", "same_vma", AVC_SAME_VMA, 16 },
		{ "anon_vma_chain", "rb", AVC_RB, 24 },
		{ "anon_vma_chain", "rb_subtree_last", AVC_SUBTREE, 8 },
		{ "page", "flags", PG_FLAGS, 8 },
		{ "page", "compound_head", PG_HEAD, 8 },
		{ "page", "mapping", PG_MAPPING, 8 },
		{ "page", "page_type", PG_TYPE, 4 },
		{ "folio", "flags", PG_FLAGS, 8 },
		{ "folio", "mapping", PG_MAPPING, 8 },
		{ "folio", "index", PG_INDEX, 8 },
		{ "folio", "_flags_1", FO_FLAGS_1, 8 },
		{ "folio", "_folio_order", FO_ORDER, 1 },
		{ "folio", "_folio_nr_pages", FO_NR_PAGES, 4 },
		{ "ksm_stable_node", "hlist", KSN_HLIST, 8 },
		{ "ksm_stable_node", "rmap_hlist_len", KSN_LEN, 4 },
		{ "ksm_rmap_item", "hlist", KRI_HLIST, 16 },
		{ "ksm_rmap_item", "anon_vma", KRI_ANON_VMA, 8 },
		{ "ksm_rmap_item", "mm", KRI_MM, 8 },
		{ "ksm_rmap_item", "address", KRI_ADDRESS, 8 },
		{ "vm_operations_struct", "name", VMOPS_NAME, 8 },
		{ "file", "f_mapping", F_MAPPING, 8 },
		{ "inode", "i_mode", I_MODE, 2 },
		{ "inode", "i_flags", I_FLAGS, 4 },
		{ "inode", "i_mapping", I_MAPPING, 8 },
		{ "inode", "i_nlink", I_NLINK, 4 },
		{ "mm_struct", "context.flags", MM_CONTEXT_FLAGS, 8 },
	};
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		fake_member(f, m[i].type, m[i].member, m[i].off, m[i].size);
	fake_type(f, "page", PG_SIZE);
	fake_enum(f, "PG_head", 16);
	fake_enum(f, "MMF_DUMP_FILTER_SHIFT", 2);
	/* header words 5, 6, 7 are max_pfn, vmemmap_base, vsyscall_mode */
	fake_symbol(f, "max_pfn", FUZZ_ARENA + 0x28, 8);
	fake_symbol(f, "vmemmap_base", FUZZ_ARENA + 0x30, 8);
	fake_symbol(f, "vsyscall_mode", FUZZ_ARENA + 0x38, 4);
	fake_symbol(f, "special_mapping_name", FUZZ_SPECIAL_MAPPING_NAME, 0);
	fake_symbol(f, "gate_vma", FUZZ_GATE_VMA, V_SIZE);
	fake_zero(f, FUZZ_GATE_VMA, V_SIZE);
	fake_w64(f, FUZZ_GATE_VMA + V_START, 0xffffffffff600000ULL);
	fake_w64(f, FUZZ_GATE_VMA + V_END, 0xffffffffff601000ULL);
	fake_w64(f, FUZZ_GATE_VMA + V_FLAGS, 0x75);
}

/* ---- the report world (fuzz_report.c, seed.c) ---------------------------- */

#define WORLD_PFN0	((FUZZ_ARENA - FUZZ_PHYS_BASE) >> 12)
#define WORLD_PAGES	16	/* struct pages for the first 64K */

static uint64_t world_phys(uint64_t va)
{
	return va - FUZZ_PHYS_BASE;
}

/* fake_map_page() with the tables in the arena */
static void world_map(struct fake_target *f, uint64_t pgd, uint64_t vaddr,
		      uint64_t pte)
{
	uint64_t table = 0, e, at;
	int level;

	for (level = 4; level >= 2; level--) {
		at = (level == 4 ? pgd : FUZZ_PHYS_BASE + table) +
		     ((vaddr >> (12 + 9 * (level - 1))) & 511) * 8;
		e = fake_r64(f, at);
		if (!(e & 1)) {
			e = world_phys(fake_alloc(f, 4096, 4096)) | 0x67;
			fake_w64(f, at, e);
		}
		table = e & 0x000ffffffffff000ULL;
	}
	fake_w64(f, FUZZ_PHYS_BASE + table + ((vaddr >> 12) & 511) * 8, pte);
}

/* A balanced interval tree of @node[lo..hi] (rb_node at +@rb, subtree
 * last at +@sub, intervals [s[i], l[i]] sorted by s); returns the root. */
static uint64_t world_rbtree(struct fake_target *f, const uint64_t *node,
			     const uint64_t *s, const uint64_t *l, long lo,
			     long hi, uint64_t parent, uint64_t rb,
			     uint64_t sub, uint64_t *sub_ret)
{
	uint64_t left, right, ls = 0, rs = 0, m;
	long mid;

	if (lo > hi)
		return 0;
	mid = (lo + hi) / 2;
	left = world_rbtree(f, node, s, l, lo, mid - 1, node[mid] + rb, rb,
			    sub, &ls);
	right = world_rbtree(f, node, s, l, mid + 1, hi, node[mid] + rb, rb,
			     sub, &rs);
	m = l[mid];
	if (left && ls > m)
		m = ls;
	if (right && rs > m)
		m = rs;
	fake_w64(f, node[mid] + rb + RB_PARENT, parent | (mid & 1));
	fake_w64(f, node[mid] + rb + RB_RIGHT, right);
	fake_w64(f, node[mid] + rb + RB_LEFT, left);
	fake_w64(f, node[mid] + sub, m);
	*sub_ret = m;
	return node[mid] + rb;
}

/* @vma's anon_vma_chain: one avc linking it to anon_vma @av. */
static uint64_t world_avc(struct fake_target *f, uint64_t vma, uint64_t av)
{
	uint64_t avc = fake_alloc(f, 0x48, 8);

	fake_w64(f, avc + AVC_VMA, vma);
	fake_w64(f, avc + AVC_ANON_VMA, av);
	fake_w64(f, vma + V_ANON_VMA, av);
	fake_w64(f, vma + V_ANON_VMA_CHAIN, avc + AVC_SAME_VMA);
	fake_w64(f, vma + V_ANON_VMA_CHAIN + 8, avc + AVC_SAME_VMA);
	fake_w64(f, avc + AVC_SAME_VMA, vma + V_ANON_VMA_CHAIN);
	fake_w64(f, avc + AVC_SAME_VMA + 8, vma + V_ANON_VMA_CHAIN);
	return avc;
}

uint64_t fuzz_world_struct_page(const struct fuzz_world *w, uint64_t va)
{
	return w->vmemmap + ((world_phys(va) >> 12) - WORLD_PFN0) * PG_SIZE;
}

void fuzz_world_build(struct fake_target *f, struct fuzz_world *w)
{
	uint64_t mm1, mm2, sig1, sig2, pgd, v[4], u[2], as, av, avc1, avc2;
	uint64_t file, inode, d, root, sub, s[3], l[3], node[3];
	uint64_t hdr = fake_alloc(f, 64, 64);
	uint16_t mode = 0100644;
	struct fake_fs fs;
	unsigned int i;

	if (hdr != FUZZ_ARENA)
		abort();
	w->args = fake_alloc(f, FUZZ_ARGS_LEN, 64);
	w->vmemmap = fake_alloc(f, WORLD_PAGES * PG_SIZE, 64);
	w->anon_page = fake_alloc(f, 4096, 4096);
	w->file_page = fake_alloc(f, 4096, 4096);
	fake_write(f, w->file_page, "\177ELF", 4);
	pgd = fake_alloc(f, 4096, 4096);

	/* /usr/lib/libc.so.6, its inode and address_space */
	fake_fs_init(f, &fs, 0x801);
	d = fake_path(f, &fs, "/usr/lib/libc.so.6", 100);
	file = fake_file(f, fs.root_mnt, d);
	inode = fake_r64(f, d + D_INODE);
	w->mapping = as = fake_alloc(f, 0x80, 64);
	fake_w64(f, file + F_MAPPING, as);
	fake_w64(f, inode + I_MAPPING, as);
	fake_write(f, inode + I_MODE, &mode, 2);
	fake_w32(f, inode + I_NLINK, 1);
	fake_w64(f, as + AS_HOST, inode);
	fake_w64(f, as + AS_NRPAGES, 1);

	/* mapper (42, thread 43) and sharer (50, its fork: the anon page
	 * is shared), one page table for both */
	mm1 = fake_mm(f);
	mm2 = fake_mm(f);
	v[0] = fake_vma(f, mm1, 0x400000, 0x402000, 0x875);
	v[1] = fake_vma(f, mm1, 0x402000, 0x404000, 0x871);
	v[2] = fake_vma(f, mm1, 0x600000, 0x601000, 0x100073);
	v[3] = fake_vma(f, mm1, 0x7ffd0000, 0x7ffd2000, 0x100173);
	u[0] = fake_vma(f, mm2, 0x500000, 0x502000, 0x875);
	u[1] = fake_vma(f, mm2, 0x600000, 0x601000, 0x100073);
	for (i = 0; i < 2; i++) {
		fake_w64(f, v[i] + V_FILE, file);
		fake_w64(f, v[i] + V_PGOFF, 2 * i);
	}
	fake_w64(f, u[0] + V_FILE, file);
	fake_w64(f, v[2] + V_PGOFF, 0x600);
	fake_w64(f, v[3] + V_PGOFF, 0x7ffd0);
	fake_w64(f, u[1] + V_PGOFF, 0x600);
	fake_tree_build(f, mm1, v, 4, 16, 10, NULL);
	fake_tree_build(f, mm2, u, 2, 16, 10, NULL);
	fake_w64(f, mm1 + MM_PGD, pgd);
	fake_w64(f, mm2 + MM_PGD, pgd);
	fake_w64(f, mm1 + MM_FLAGS, 0x33 << 2);
	fake_w64(f, mm2 + MM_FLAGS, 0x33 << 2);

	/* i_mmap: v[0] [0, 1], u[0] [0, 1], v[1] [2, 3] */
	node[0] = v[0];
	node[1] = u[0];
	node[2] = v[1];
	s[0] = 0, l[0] = 1, s[1] = 0, l[1] = 1, s[2] = 2, l[2] = 3;
	root = world_rbtree(f, node, s, l, 0, 2, 0, V_SHARED, V_SHARED + 24,
			    &sub);
	fake_w64(f, as + AS_I_MMAP + RBC_NODE, root);
	fake_w64(f, as + AS_I_MMAP + RBC_LEFTMOST, v[0] + V_SHARED);

	/* one anon_vma for v[2] and its fork u[1] */
	av = fake_alloc(f, 0x80, 64);
	avc1 = world_avc(f, v[2], av);
	avc2 = world_avc(f, u[1], av);
	node[0] = avc1;
	node[1] = avc2;
	s[0] = s[1] = 0x600;
	l[0] = l[1] = 0x600;
	root = world_rbtree(f, node, s, l, 0, 1, 0, AVC_RB, AVC_SUBTREE, &sub);
	fake_w64(f, av + AV_ROOT, av);
	fake_w64(f, av + AV_NUM_CHILDREN, 1);
	fake_w64(f, av + AV_NUM_ACTIVE, 2);
	fake_w64(f, av + AV_RB_ROOT, root);
	fake_w64(f, av + AV_RB_ROOT + 8, avc1 + AVC_RB);

	/* the pages: anon at 0x600000 (both), the file's first at 0x400000
	 * and 0x500000 */
	fake_w64(f, fuzz_world_struct_page(w, w->anon_page) + PG_MAPPING,
		 av | 1);
	fake_w64(f, fuzz_world_struct_page(w, w->anon_page) + PG_INDEX, 0x600);
	fake_w64(f, fuzz_world_struct_page(w, w->file_page) + PG_MAPPING, as);
	world_map(f, pgd, 0x600000, world_phys(w->anon_page) | 0x67);
	world_map(f, pgd, 0x400000, world_phys(w->file_page) | 0x25);
	world_map(f, pgd, 0x500000, world_phys(w->file_page) | 0x25);

	sig1 = fake_signal(f);
	sig2 = fake_signal(f);
	fake_task(f, 2, 2, "kthreadd", 0, fake_signal(f));
	fake_task(f, 42, 42, "mapper", mm1, sig1);
	fake_task(f, 43, 42, "mapper-thr", mm1, sig1);
	fake_task(f, 50, 50, "sharer", mm2, sig2);

	fake_w64(f, hdr + 8, fake_r64(f, FAKE_INIT_TASK + T_TASKS));
	fake_w64(f, hdr + 16, fake_r64(f, FAKE_INIT_TASK + T_TASKS + 8));
	fake_w64(f, hdr + 40, WORLD_PFN0 + WORLD_PAGES);	/* max_pfn */
	fake_w64(f, hdr + 48, w->vmemmap - WORLD_PFN0 * PG_SIZE);
	w->end = fake_alloc(f, 0, 1);
}
