// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rmap.c - the reverse map (lib/rmap.c, lib/page.c) on pages, folios,
 * anon_vmas, address_spaces, KSM stable nodes, page tables and tasks laid
 * out in a fake target: head and tail pages, a folio that starts before the
 * VMA, candidates the page table does not confirm, typed pages.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_rmap.h"
#include "tap.h"

enum {
	/* struct page / folio (64 bytes a page) */
	PG_FLAGS = 0, PG_COMPOUND_HEAD = 8, PG_MAPPING = 0x18, PG_INDEX = 0x20,
	PG_TYPE = 0x30, FOLIO_NR_PAGES = 64 + 0x34, PAGE_STRUCT = 64,
	FAKE_PG_HEAD = 6, FAKE_PG_SLAB = 9,
	/* ksm */
	KSN_HLIST = 0x20, KSN_LEN = 0x30, KSN_SIZE = 0x40,
	KRI_ANON_VMA = 0x8, KRI_MM = 0x10, KRI_ADDRESS = 0x18,
	KRI_HLIST = 0x30, KRI_SIZE = 0x40,
};

#define VMEMMAP 0xffffea0000000000ULL
#define FAKE_VMEMMAP_BASE 0xffffffff82300000ULL
#define FAKE_MAX_PFN 0xffffffff82300010ULL

static struct fake_target *f;
static struct vmacore_ctx *ctx;

static void map_page(uint64_t pgd, uint64_t vaddr, uint64_t pfn)
{
	fake_map_page(f, pgd, vaddr, (pfn << 12) | 0x25);
}

static void setup(void)
{
	f = fake_create();
	fake_layout_default(f);
	fake_layout_rmap(f);
	fake_type(f, "page", PAGE_STRUCT);
	fake_member(f, "page", "flags", PG_FLAGS, 8);
	fake_member(f, "page", "compound_head", PG_COMPOUND_HEAD, 8);
	fake_member(f, "page", "mapping", PG_MAPPING, 8);
	fake_member(f, "page", "page_type", PG_TYPE, 4);
	fake_member(f, "folio", "flags", PG_FLAGS, 8);
	fake_member(f, "folio", "mapping", PG_MAPPING, 8);
	fake_member(f, "folio", "index", PG_INDEX, 8);
	fake_member(f, "folio", "_folio_nr_pages", FOLIO_NR_PAGES, 4);
	fake_enum(f, "PG_head", FAKE_PG_HEAD);
	fake_enum(f, "PG_slab", FAKE_PG_SLAB);
	fake_member(f, "ksm_stable_node", "hlist", KSN_HLIST, 8);
	fake_member(f, "ksm_stable_node", "rmap_hlist_len", KSN_LEN, 4);
	fake_member(f, "ksm_rmap_item", "anon_vma", KRI_ANON_VMA, 8);
	fake_member(f, "ksm_rmap_item", "mm", KRI_MM, 8);
	fake_member(f, "ksm_rmap_item", "address", KRI_ADDRESS, 8);
	fake_member(f, "ksm_rmap_item", "hlist", KRI_HLIST, 16);
	fake_symbol(f, "vmemmap_base", FAKE_VMEMMAP_BASE, 8);
	fake_w64(f, FAKE_VMEMMAP_BASE, VMEMMAP);
	fake_symbol(f, "max_pfn", FAKE_MAX_PFN, 8);
	fake_w64(f, FAKE_MAX_PFN, 0x100000);
	ctx = fake_phys_ctx(f);
}

/* A process: task, mm with a page table. */
struct proc {
	uint64_t mm, pgd;
	int pid;
};

static struct proc proc(int pid, const char *comm)
{
	struct proc p;

	p.pid = pid;
	p.mm = fake_mm(f);
	p.pgd = fake_alloc(f, 4096, 4096);
	fake_w64(f, p.mm + MM_PGD, p.pgd);
	fake_task(f, pid, pid, comm, p.mm, fake_signal(f));
	return p;
}

static uint64_t vma(const struct proc *p, uint64_t start, uint64_t pages,
		    uint64_t pgoff)
{
	uint64_t v = fake_vma(f, p->mm, start, start + pages * 4096, 0x73);

	fake_w64(f, v + V_PGOFF, pgoff);
	return v;
}

static uint64_t page_of(uint64_t pfn)
{
	return VMEMMAP + pfn * PAGE_STRUCT;
}

/* A folio of @nr pages at @pfn. */
static void folio(uint64_t pfn, uint64_t nr, uint64_t mapping, uint64_t index)
{
	uint64_t i;

	for (i = 0; i < nr; i++)
		fake_zero(f, page_of(pfn + i), PAGE_STRUCT);
	for (i = 1; i < nr; i++)
		fake_w64(f, page_of(pfn + i) + PG_COMPOUND_HEAD,
			 page_of(pfn) | 1);
	fake_w64(f, page_of(pfn) + PG_FLAGS, nr > 1 ? 1ULL << FAKE_PG_HEAD : 0);
	fake_w64(f, page_of(pfn) + PG_MAPPING, mapping);
	fake_w64(f, page_of(pfn) + PG_INDEX, index);
	fake_w32(f, page_of(pfn) + PG_TYPE, 0xffffffff);	/* mapcount -1 */
	if (nr > 1)
		fake_w32(f, page_of(pfn) + FOLIO_NR_PAGES, nr);
}

/*
 * An interval tree of up to 3 nodes (given in start order): the middle one
 * is the root.  @nodes are node addresses, @rb/@sub offsets in them, keys
 * in @start/@last.
 */
static void tree3(uint64_t root_cached, const uint64_t *nodes, int n,
		  uint64_t rb, uint64_t sub, const uint64_t *start,
		  const uint64_t *last)
{
	int r = n / 2, i;
	uint64_t max = 0;

	for (i = 0; i < n; i++) {
		fake_w64(f, nodes[i] + rb + RB_PARENT,
			 i == r ? 0 : nodes[r] + rb);
		fake_w64(f, nodes[i] + rb + RB_LEFT,
			 i == r && r > 0 ? nodes[0] + rb : 0);
		fake_w64(f, nodes[i] + rb + RB_RIGHT,
			 i == r && r + 1 < n ? nodes[r + 1] + rb : 0);
		fake_w64(f, nodes[i] + sub, last[i]);
		if (last[i] > max)
			max = last[i];
	}
	if (n)
		fake_w64(f, nodes[r] + sub, max);
	fake_w64(f, root_cached + RBC_NODE, n ? nodes[r] + rb : 0);
	fake_w64(f, root_cached + RBC_LEFTMOST, n ? nodes[0] + rb : 0);
}

static uint64_t avc(uint64_t anon_vma, uint64_t v)
{
	uint64_t a = fake_alloc(f, AVC_SIZE, 64);

	fake_w64(f, a + AVC_VMA, v);
	fake_w64(f, a + AVC_ANON_VMA, anon_vma);
	return a;
}

struct hits {
	int n, mapped;
	struct vmacore_rmap_hit h[8];
	struct vmacore_folio folio;
};

static struct vmacore_error *rmap(uint64_t pfn, struct hits *r)
{
	struct vmacore_rmap_iter *it;
	struct vmacore_rmap_hit h;
	struct vmacore_error *err;

	memset(r, 0, sizeof(*r));
	/* the tests add tasks between queries: no task index kept */
	vmacore_ctx_drop_caches(ctx);
	err = vmacore_rmap_iter_create(ctx, pfn, &r->folio, &it);
	if (err)
		return err;
	while (!(err = vmacore_rmap_iter_next(it, &h))) {
		if (r->n < 8)
			r->h[r->n] = h;
		r->n++;
		r->mapped += h.mapped;
	}
	vmacore_rmap_iter_destroy(it);
	return err == &vmacore_stop ? NULL : err;
}

static bool has(const struct hits *r, int pid, uint64_t vaddr, bool mapped)
{
	int i;

	for (i = 0; i < r->n && i < 8; i++)
		if (r->h[i].pid == pid && r->h[i].vaddr == vaddr &&
		    r->h[i].mapped == mapped)
			return true;
	return false;
}

static void test_anon(void)
{
	struct proc parent = proc(10, "parent"), child = proc(11, "child");
	uint64_t av = fake_alloc(f, AV_SIZE, 64);
	uint64_t v1 = vma(&parent, 0x200000, 16, 0x200);
	uint64_t v2 = vma(&child, 0x200000, 16, 0x200);
	uint64_t nodes[2], s[2] = { 0x200, 0x200 }, l[2] = { 0x20f, 0x20f };
	struct vmacore_error *err;
	struct hits r;

	fake_w64(f, av + AV_ROOT, av);
	nodes[0] = avc(av, v1);
	nodes[1] = avc(av, v2);
	tree3(av + AV_RB_ROOT, nodes, 2, AVC_RB, AVC_SUBTREE, s, l);
	folio(0x5000, 1, av | 1, 0x203);
	map_page(parent.pgd, 0x203000, 0x5000);
	map_page(child.pgd, 0x203000, 0x5001);	/* COW broken */
	err = rmap(0x5000, &r);
	no_err(err, "anon: rmap of a private page");
	ok(r.folio.kind == VMACORE_PAGE_ANON && r.n == 2 && r.mapped == 1 &&
	   has(&r, 10, 0x203000, true) && has(&r, 11, 0x203000, false),
	   "anon: the parent maps it, the forked child's candidate does not");
	fake_nodata(f, child.pgd);
	err = rmap(0x5000, &r);
	ok(!err && r.n == 2 && r.mapped == 1 && has(&r, 10, 0x203000, true) &&
	   r.h[0].pte_unreadable + r.h[1].pte_unreadable == 1,
	   "anon: a page table not in the dump makes one candidate unknown");
	vmacore_error_destroy(err);

	/* a 4-page THP at pgoff 0x20e..0x211: it starts 2 pages before v3 */
	{
		struct proc p3 = proc(12, "thp");
		uint64_t av3 = fake_alloc(f, AV_SIZE, 64);
		uint64_t v3 = vma(&p3, 0x400000, 8, 0x210), n3[1];
		uint64_t s3[1] = { 0x210 }, l3[1] = { 0x217 };

		n3[0] = avc(av3, v3);
		tree3(av3 + AV_RB_ROOT, n3, 1, AVC_RB, AVC_SUBTREE, s3, l3);
		folio(0x6000, 4, av3 | 1, 0x20e);
		map_page(p3.pgd, 0x400000, 0x6002);
		map_page(p3.pgd, 0x401000, 0x6003);
		err = rmap(0x6003, &r);
		no_err(err, "thp: rmap of a tail page");
		ok(r.folio.folio_pfn == 0x6000 && r.folio.nr_pages == 4 &&
		   r.n == 1 && has(&r, 12, 0x401000, true),
		   "thp: folio before the VMA, tail page at vm_start + 1 page");
		err = rmap(0x6000, &r);
		no_err(err, "thp: rmap of the head page");
		ok(r.n == 0, "thp: the head page lies before the VMA: no mapping");
		err = rmap(0x6002, &r);
		ok(!err && r.n == 1 && has(&r, 12, 0x400000, true),
		   "thp: the third page is at vm_start");
		vmacore_error_destroy(err);
	}
}

static void test_file(void)
{
	struct proc a = proc(20, "reader"), b = proc(21, "writer");
	uint64_t as = fake_alloc(f, AS_SIZE, 64);
	uint64_t va = vma(&a, 0x10000, 4, 0), vb = vma(&b, 0x7000, 2, 2);
	uint64_t nodes[2] = { va, vb }, s[2] = { 0, 2 }, l[2] = { 3, 3 };
	struct vmacore_error *err;
	struct hits r;

	tree3(as + AS_I_MMAP, nodes, 2, V_SHARED, VSUB, s, l);
	folio(0x7002, 1, as, 2);
	map_page(a.pgd, 0x12000, 0x7002);
	map_page(b.pgd, 0x7000, 0x7002);
	err = rmap(0x7002, &r);
	no_err(err, "file: rmap of a page cache page");
	ok(r.folio.kind == VMACORE_PAGE_FILE && r.n == 2 && r.mapped == 2 &&
	   has(&r, 20, 0x12000, true) && has(&r, 21, 0x7000, true),
	   "file: the same page at two offsets in two processes");
	folio(0x7000, 1, as, 0);
	err = rmap(0x7000, &r);
	ok(!err && r.n == 1 && has(&r, 20, 0x10000, false),
	   "file: page 0 only in the first VMA, not faulted in");
	vmacore_error_destroy(err);
}

static void test_ksm(void)
{
	struct proc a = proc(30, "ksm-a"), b = proc(31, "ksm-b");
	uint64_t ava = fake_alloc(f, AV_SIZE, 64), avb = fake_alloc(f, AV_SIZE, 64);
	uint64_t va = vma(&a, 0x800000, 4, 0x800), vb = vma(&b, 0x900000, 4, 0x900);
	uint64_t na[1], nb[1], sa[1] = { 0x800 }, la[1] = { 0x803 };
	uint64_t sb[1] = { 0x900 }, lb[1] = { 0x903 };
	uint64_t stable = fake_alloc(f, KSN_SIZE, 64);
	uint64_t i1 = fake_alloc(f, KRI_SIZE, 64), i2 = fake_alloc(f, KRI_SIZE, 64);
	struct vmacore_error *err;
	struct hits r;

	na[0] = avc(ava, va);
	nb[0] = avc(avb, vb);
	tree3(ava + AV_RB_ROOT, na, 1, AVC_RB, AVC_SUBTREE, sa, la);
	tree3(avb + AV_RB_ROOT, nb, 1, AVC_RB, AVC_SUBTREE, sb, lb);
	fake_w64(f, i1 + KRI_ANON_VMA, ava);
	fake_w64(f, i1 + KRI_MM, a.mm);
	fake_w64(f, i1 + KRI_ADDRESS, 0x801000 | 0x200);	/* STABLE_FLAG */
	fake_w64(f, i2 + KRI_ANON_VMA, avb);
	fake_w64(f, i2 + KRI_MM, b.mm);
	fake_w64(f, i2 + KRI_ADDRESS, 0x902000 | 0x200);
	fake_w64(f, stable + KSN_HLIST, i1 + KRI_HLIST);
	fake_w64(f, i1 + KRI_HLIST, i2 + KRI_HLIST);
	fake_w64(f, i2 + KRI_HLIST, 0);
	fake_w32(f, stable + KSN_LEN, 2);
	folio(0x8000, 1, stable | 3, 0x801);
	map_page(a.pgd, 0x801000, 0x8000);
	map_page(b.pgd, 0x902000, 0x8000);
	err = rmap(0x8000, &r);
	no_err(err, "ksm: rmap of a merged page");
	ok(r.folio.kind == VMACORE_PAGE_KSM && r.n == 2 && r.mapped == 2 &&
	   has(&r, 30, 0x801000, true) && has(&r, 31, 0x902000, true),
	   "ksm: both rmap items, at their own addresses");
	fake_w64(f, i2 + KRI_HLIST, i1 + KRI_HLIST);	/* a cycle */
	err = rmap(0x8000, &r);
	is_err(err, VMACORE_ERROR_CORRUPT, "ksm: a cycle of rmap items");
	fake_w32(f, stable + KSN_LEN, -1024);
	err = rmap(0x8000, &r);
	is_err(err, VMACORE_ERROR_CORRUPT, "ksm: a chain as a page's stable node");
}

static void test_other(void)
{
	struct vmacore_error *err;
	struct hits r;

	folio(0x9000, 1, 0xffff888012345678ULL, 0);
	fake_w64(f, page_of(0x9000) + PG_FLAGS, 1ULL << FAKE_PG_SLAB);
	err = rmap(0x9000, &r);
	ok(!err && r.folio.kind == VMACORE_PAGE_TYPED && r.n == 0,
	   "a slab page has no rmap (its mapping word is not a mapping)");
	vmacore_error_destroy(err);
	folio(0x9001, 1, 0, 0);
	fake_w32(f, page_of(0x9001) + PG_TYPE, 0xffffff7f);	/* 6.1 buddy */
	err = rmap(0x9001, &r);
	ok(!err && r.folio.kind == VMACORE_PAGE_TYPED && r.n == 0,
	   "a page with a page_type has no rmap");
	vmacore_error_destroy(err);
	folio(0x9002, 1, 0, 0);
	err = rmap(0x9002, &r);
	ok(!err && r.folio.kind == VMACORE_PAGE_NONE && r.n == 0,
	   "a page without mapping has no rmap");
	vmacore_error_destroy(err);
	err = rmap(0x100000, &r);
	is_err(err, VMACORE_ERROR_INVALID, "a pfn beyond max_pfn");
	fake_w64(f, page_of(0x9003) + PG_COMPOUND_HEAD, page_of(0x9005) | 1);
	err = rmap(0x9003, &r);
	is_err(err, VMACORE_ERROR_CORRUPT, "a compound head after its tail");
}

/*
 * Issue 10: a damaged thread list costs that thread group only.  The
 * owners of a mapping are still found past it, and when the lost list
 * could hold an owner (its leader has no mm and is no kernel thread),
 * the iterator says so instead of a silent pid -1.
 */
static void test_owners_damaged(void)
{
	struct proc p = proc(40, "owner");
	uint64_t av = fake_alloc(f, AV_SIZE, 64), nodes[1];
	uint64_t v = vma(&p, 0x800000, 4, 0x800), s[1] = { 0x800 };
	uint64_t l[1] = { 0x803 }, other, zombie;
	struct vmacore_rmap_iter *it;
	struct vmacore_error *err;
	const char *lost;
	struct hits r;

	fake_w64(f, av + AV_ROOT, av);
	nodes[0] = avc(av, v);
	tree3(av + AV_RB_ROOT, nodes, 1, AVC_RB, AVC_SUBTREE, s, l);
	folio(0xb000, 1, av | 1, 0x801);
	map_page(p.pgd, 0x801000, 0xb000);

	/* a process with an mm whose thread list is unreadable */
	other = fake_task(f, 42, 42, "other", fake_mm(f), fake_signal(f));
	fake_w64(f, other + T_SIGNAL, 0xffffc90000000000ULL);
	err = rmap(0xb000, &r);
	no_err(err, "owners: rmap past a damaged thread list");
	ok(r.n == 1 && has(&r, 40, 0x801000, true),
	   "owners: the owner is found, not pid -1 (got pid %d)",
	   r.n ? r.h[0].pid : 0);
	vmacore_ctx_drop_caches(ctx);
	no_err(vmacore_rmap_iter_create(ctx, 0xb000, NULL, &it), "iterator");
	ok(!vmacore_rmap_iter_owners_lost(it),
	   "owners: that lost list could not hold an owner (its leader has an mm)");
	vmacore_rmap_iter_destroy(it);

	/* an exited leader (no mm, no PF_KTHREAD) whose list is unreadable */
	zombie = fake_task(f, 43, 43, "zombie", 0, fake_signal(f));
	fake_w64(f, zombie + T_SIGNAL, 0xffffc90000000000ULL);
	vmacore_ctx_drop_caches(ctx);
	no_err(vmacore_rmap_iter_create(ctx, 0xb000, NULL, &it), "iterator");
	lost = vmacore_rmap_iter_owners_lost(it);
	ok(lost && strstr(lost, "threads of pid 43 (zombie) not read"),
	   "owners: a lost list that may hold one is said: %s",
	   lost ? lost : "(nothing)");
	vmacore_rmap_iter_destroy(it);
	err = rmap(0xb000, &r);
	ok(!err && r.n == 1 && has(&r, 40, 0x801000, true),
	   "owners: and the owner found is still given");
	vmacore_error_destroy(err);
	/* a kernel thread's list costs nothing */
	fake_w32(f, zombie + T_FLAGS, 0x00200000);
	vmacore_ctx_drop_caches(ctx);
	no_err(vmacore_rmap_iter_create(ctx, 0xb000, NULL, &it), "iterator");
	ok(!vmacore_rmap_iter_owners_lost(it),
	   "owners: a kernel thread's lost list could not hold an owner");
	vmacore_rmap_iter_destroy(it);
}

/*
 * A subtree of the anon_vma tree the dump lost costs only itself: the
 * walk goes on with the rest, and the iterator says what it lost.
 */
static void test_tree_lost(void)
{
	struct proc p[3] = { proc(50, "left"), proc(51, "root"),
			     proc(52, "right") };
	uint64_t av = fake_alloc(f, AV_SIZE, 64), nodes[3], v;
	uint64_t s[3] = { 0x900, 0x900, 0x900 }, l[3] = { 0x903, 0x903, 0x903 };
	struct vmacore_rmap_iter *it;
	struct vmacore_error *err;
	const char *lost;
	struct hits r;
	int i;

	fake_w64(f, av + AV_ROOT, av);
	for (i = 0; i < 3; i++) {
		v = vma(&p[i], 0x900000, 4, 0x900);
		/* one node per page: fake_nodata() loses a page */
		nodes[i] = fake_alloc(f, 4096, 4096);
		fake_w64(f, nodes[i] + AVC_VMA, v);
		fake_w64(f, nodes[i] + AVC_ANON_VMA, av);
		map_page(p[i].pgd, 0x901000, 0xc000);
	}
	tree3(av + AV_RB_ROOT, nodes, 3, AVC_RB, AVC_SUBTREE, s, l);
	folio(0xc000, 1, av | 1, 0x901);
	err = rmap(0xc000, &r);
	ok(!err && r.n == 3, "tree lost: the whole tree, 3 mappings");
	vmacore_error_destroy(err);

	fake_nodata(f, nodes[0]);
	err = rmap(0xc000, &r);
	ok(!err && r.n == 2 && has(&r, 51, 0x901000, true) &&
	   has(&r, 52, 0x901000, true),
	   "tree lost: without the left subtree, the root and the right one");
	vmacore_error_destroy(err);
	vmacore_ctx_drop_caches(ctx);
	no_err(vmacore_rmap_iter_create(ctx, 0xc000, NULL, &it), "iterator");
	lost = vmacore_rmap_iter_owners_lost(it);
	ok(lost && strstr(lost, "anon_vma tree") &&
	   strstr(lost, "1 subtree not read"),
	   "tree lost: the loss is said: %s", lost ? lost : "(nothing)");
	vmacore_rmap_iter_destroy(it);

	fake_nodata(f, nodes[2]);
	err = rmap(0xc000, &r);
	ok(!err && r.n == 1 && has(&r, 51, 0x901000, true),
	   "tree lost: without both children, the root");
	vmacore_error_destroy(err);

	fake_nodata(f, nodes[1]);
	vmacore_ctx_drop_caches(ctx);
	no_err(vmacore_rmap_iter_create(ctx, 0xc000, NULL, &it),
	       "tree lost: without the root, an empty answer");
	lost = vmacore_rmap_iter_owners_lost(it);
	ok(lost && strstr(lost, "1 subtree not read"),
	   "tree lost: which says the whole tree was lost: %s",
	   lost ? lost : "(nothing)");
	vmacore_rmap_iter_destroy(it);
}

int main(void)
{
	setup();
	test_anon();
	test_file();
	test_ksm();
	test_other();
	test_owners_damaged();
	test_tree_lost();
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
	return tap_done();
}
