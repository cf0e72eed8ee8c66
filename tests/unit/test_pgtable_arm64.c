// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pgtable_arm64.c - the arm64 user page-table walk (lib/arch_arm64.c)
 * over the fake target: every granule (4K, 16K, 64K) and shape (2-5
 * levels, 48- and 52-bit VA, LPA and LPA2 output addresses), block and
 * contiguous entries, PTE bits (AF, DBM dirty, software dirty), PROT_NONE
 * and swap entries in the layouts before and after Linux 6.10, and damaged
 * tables.  Expected values come from the architecture's layout
 * (pgtable-hwdef.h), built independently by fake_arm64.c.
 */
#include <stdlib.h>

#include "fake_arm64.h"
#include "internal.h"	/* pgtable_walk_lookup() */
#include "tap.h"

#define USER_VA 0x0000ffffa1234000ull	/* below 2^48 */
#define PHYS_PAGE 0x47654000ull

static struct vmacore_ctx *make_ctx(struct fake_arm64 *a)
{
	struct vmacore_ctx *ctx;
	struct vmacore_error *err = fake_arm64_ctx(a, &ctx);

	if (err) {
		printf("Bail out! arm64 context: %s\n", err->message);
		exit(1);
	}
	return ctx;
}

static int cache_mismatches;

static bool pte_equal(const struct vmacore_pte *a, const struct vmacore_pte *b)
{
	return a->present == b->present && a->pfn == b->pfn &&
	       a->entry == b->entry && a->level == b->level &&
	       a->page_size == b->page_size && a->young == b->young &&
	       a->dirty == b->dirty && a->soft_dirty == b->soft_dirty &&
	       a->special == b->special && a->swap == b->swap &&
	       a->swap_type == b->swap_type &&
	       a->swap_offset == b->swap_offset;
}

/*
 * The walk, also through a walk cache (whole tables read, arm64's top
 * level of arm64_top_entries): twice, the second from the cache.  Any
 * difference from the uncached walk is counted (test_cache_equal()).
 */
static struct vmacore_error *lookup(struct vmacore_ctx *ctx, uint64_t pgd,
				    uint64_t va, struct vmacore_pte *pte)
{
	struct walk_cache *wc = walk_cache_create();
	struct vmacore_error *err, *e2;
	struct vmacore_pte c;
	int i;

	err = vmacore_pgtable_lookup(ctx, FAKE_PHYS_WINDOW + pgd, va, pte);
	for (i = 0; wc && i < 2; i++) {
		e2 = pgtable_walk_lookup(ctx, wc, FAKE_PHYS_WINDOW + pgd, va,
					 &c);
		if (!err != !e2 || (err && e2 && err->code != e2->code) ||
		    (!err && !pte_equal(pte, &c)))
			cache_mismatches++;
		vmacore_error_destroy(e2);
	}
	walk_cache_destroy(wc);
	return err;
}

/* A 4K/16K/64K page at a user address, for each shape the MMU has. */
static void test_shapes(void)
{
	static const struct {
		unsigned int ps, va, physbits, levels;
		uint64_t phys;
	} shapes[] = {
		{ 12, 39, 0, 3, PHYS_PAGE },
		{ 12, 48, 0, 4, PHYS_PAGE },
		{ 12, 52, 52, 5, 0x000c000047654000ull },	/* LPA2 */
		{ 14, 36, 0, 2, PHYS_PAGE },
		{ 14, 47, 0, 3, PHYS_PAGE },
		{ 14, 48, 0, 4, PHYS_PAGE },
		{ 14, 52, 52, 4, 0x0008000047654000ull },	/* LPA2 */
		{ 16, 42, 0, 2, 0x47650000ull },
		{ 16, 48, 0, 3, 0x47650000ull },
		{ 16, 52, 52, 3, 0x000f000047650000ull },	/* LPA */
	};
	size_t i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct fake_arm64 a;
		struct vmacore_ctx *ctx;
		struct vmacore_pte pte;
		uint64_t pgd, va, size = 1ull << shapes[i].ps;

		fake_arm64_init(&a, shapes[i].ps, shapes[i].va);
		a.physbits = shapes[i].physbits;
		ctx = make_ctx(&a);
		is_str(vmacore_ctx_arch(ctx), "arm64",
		       "%uK/%u-bit: the dump is arm64", (1u << shapes[i].ps) >> 10,
		       shapes[i].va);
		is_int(fake_arm64_levels(&a), shapes[i].levels,
		       "%uK/%u-bit: %u levels (ARM64_HW_PGTABLE_LEVELS)",
		       (1u << shapes[i].ps) >> 10, shapes[i].va,
		       shapes[i].levels);
		pgd = fake_arm64_table(&a);
		/* the highest page of the region: every index at its top */
		va = (1ull << shapes[i].va) - size;
		fake_arm64_set(&a, pgd, va, 1,
			       fake_arm64_oa(&a, shapes[i].phys) | A64_VALID |
			       A64_TABLE | A64_AF);
		no_err(lookup(ctx, pgd, va + 8, &pte), "%uK/%u-bit: walk",
		       (1u << shapes[i].ps) >> 10, shapes[i].va);
		ok(pte.present && pte.level == 1 && pte.page_size == size &&
		   pte.pfn == shapes[i].phys >> shapes[i].ps,
		   "%uK/%u-bit: the page at 0x%llx is pfn 0x%llx (got present %d level %d size %llu pfn 0x%llx)",
		   (1u << shapes[i].ps) >> 10, shapes[i].va,
		   (unsigned long long)va,
		   (unsigned long long)(shapes[i].phys >> shapes[i].ps),
		   pte.present, pte.level, (unsigned long long)pte.page_size,
		   (unsigned long long)pte.pfn);
		/* one page below: same table, empty entry */
		no_err(lookup(ctx, pgd, va - size, &pte), "walk of a hole");
		ok(!pte.present && !pte.swap && pte.entry == 0 && pte.level == 1,
		   "%uK/%u-bit: the page below is not mapped",
		   (1u << shapes[i].ps) >> 10, shapes[i].va);
		/* beyond the TTBR0 region: the MMU faults at once */
		if (shapes[i].va < 52) {
			no_err(lookup(ctx, pgd, 1ull << shapes[i].va, &pte),
			       "walk beyond the region");
			ok(!pte.present && pte.entry == 0,
			   "%uK/%u-bit: 2^%u is beyond the user region",
			   (1u << shapes[i].ps) >> 10, shapes[i].va,
			   shapes[i].va);
		}
		vmacore_ctx_destroy(ctx);
		fake_destroy(a.f);
	}
}

/* Block (PMD/PUD) entries and the contiguous bit. */
static void test_blocks(void)
{
	struct fake_arm64 a;
	struct vmacore_ctx *ctx;
	struct vmacore_pte pte;
	uint64_t pgd, va = 0x0000ffff80000000ull;

	fake_arm64_init(&a, 12, 48);
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	/* 2M block at the PMD */
	fake_arm64_set(&a, pgd, va, 2, 0x48200000ull | A64_VALID | A64_AF);
	no_err(lookup(ctx, pgd, va + 0x12345, &pte), "walk to a PMD block");
	ok(pte.present && pte.level == 2 && pte.page_size == 2 << 20 &&
	   pte.pfn == (0x48200000ull + 0x12345) >> 12,
	   "4K: a PMD block maps 2M, pfn of the address inside (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	/* 1G block at the PUD */
	fake_arm64_set(&a, pgd, 0x0000fffec0000000ull, 3,
		       0x80000000ull | A64_VALID | A64_AF);
	no_err(lookup(ctx, pgd, 0x0000fffec0000000ull + 0x2345678, &pte),
	       "walk to a PUD block");
	ok(pte.present && pte.level == 3 && pte.page_size == 1 << 30 &&
	   pte.pfn == (0x80000000ull + 0x2345678) >> 12,
	   "4K: a PUD block maps 1G (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	/* hugetlb 64K: 16 contiguous PTEs, each holding its own address */
	fake_arm64_set(&a, pgd, 0x0000aaaa00003000ull, 1,
		       0x49003000ull | A64_VALID | A64_TABLE | A64_AF |
		       A64_CONT);
	no_err(lookup(ctx, pgd, 0x0000aaaa00003010ull, &pte),
	       "walk to a contiguous PTE");
	ok(pte.present && pte.level == 1 && pte.page_size == 64 << 10 &&
	   pte.pfn == 0x49003,
	   "4K: PTE_CONT at the PTE is a 64K page, pfn from its own entry (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	/* hugetlb 32M: 16 contiguous PMD blocks */
	fake_arm64_set(&a, pgd, 0x0000aaab00600000ull, 2,
		       0x4a600000ull | A64_VALID | A64_AF | A64_CONT);
	no_err(lookup(ctx, pgd, 0x0000aaab00612345ull, &pte),
	       "walk to a contiguous PMD");
	ok(pte.present && pte.level == 2 && pte.page_size == 32 << 20 &&
	   pte.pfn == (0x4a600000ull + 0x12345) >> 12,
	   "4K: PTE_CONT at the PMD is a 32M page (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	/* a block at the PGD: Linux makes none, the MMU allows none (no LPA2) */
	fake_arm64_set(&a, pgd, 0x0000008000000000ull, 4,
		       0x80000000ull | A64_VALID | A64_AF);
	is_err(lookup(ctx, pgd, 0x0000008000000000ull, &pte),
	       VMACORE_ERROR_CORRUPT, "4K: a block at level 4 is CORRUPT");
	/* descriptor type 0b01 at the last level is reserved */
	fake_arm64_set(&a, pgd, 0x0000aaaa00005000ull, 1,
		       0x49005000ull | A64_VALID | A64_AF);
	is_err(lookup(ctx, pgd, 0x0000aaaa00005000ull, &pte),
	       VMACORE_ERROR_CORRUPT, "a reserved last-level descriptor is CORRUPT");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);

	/* 16K: 32M PMD block, 2M contiguous PTEs (128 of them) */
	fake_arm64_init(&a, 14, 47);
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	fake_arm64_set(&a, pgd, 0x00007fff02000000ull, 2,
		       0x4a000000ull | A64_VALID | A64_AF);
	no_err(lookup(ctx, pgd, 0x00007fff02004000ull, &pte),
	       "16K: walk to a PMD block");
	ok(pte.present && pte.level == 2 && pte.page_size == 32 << 20 &&
	   pte.pfn == (0x4a000000ull + 0x4000) >> 14,
	   "16K: a PMD block maps 32M (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	fake_arm64_set(&a, pgd, 0x00007ffe00000000ull, 1,
		       0x4c000000ull | A64_VALID | A64_TABLE | A64_CONT);
	no_err(lookup(ctx, pgd, 0x00007ffe00000000ull, &pte),
	       "16K: walk to a contiguous PTE");
	ok(pte.present && pte.page_size == 2 << 20 && pte.pfn == 0x4c000000ull >> 14,
	   "16K: PTE_CONT at the PTE is 2M (got %llu)",
	   (unsigned long long)pte.page_size);
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);

	/* 64K: 512M PMD block; no PUD block without 52-bit addresses */
	fake_arm64_init(&a, 16, 48);
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	fake_arm64_set(&a, pgd, 0x0000ffff20000000ull, 2,
		       0x60000000ull | A64_VALID | A64_AF);
	no_err(lookup(ctx, pgd, 0x0000ffff20010000ull, &pte),
	       "64K: walk to a PMD block");
	ok(pte.present && pte.level == 2 && pte.page_size == 512 << 20 &&
	   pte.pfn == (0x60000000ull + 0x10000) >> 16,
	   "64K: a PMD block maps 512M (got %llu, 0x%llx)",
	   (unsigned long long)pte.page_size, (unsigned long long)pte.pfn);
	fake_arm64_set(&a, pgd, 0x0000fc0000000000ull, 3,
		       0x40000000000ull | A64_VALID | A64_AF);
	is_err(lookup(ctx, pgd, 0x0000fc0000000000ull, &pte),
	       VMACORE_ERROR_CORRUPT, "64K: a level-3 block without LPA is CORRUPT");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);
}

/* pte_young(), pte_dirty() = pte_sw_dirty() || pte_hw_dirty() */
static void test_bits(void)
{
	static const struct {
		uint64_t bits;
		bool young, dirty;
		const char *what;
	} cases[] = {
		{ A64_AF, true, false, "AF: young, clean" },
		{ 0, false, false, "no AF: old" },
		{ A64_AF | A64_DBM, true, true, "DBM without RDONLY: hardware dirty" },
		{ A64_AF | A64_DBM | A64_RDONLY, true, false, "DBM with RDONLY: clean" },
		{ A64_AF | A64_RDONLY | A64_DIRTY, true, true, "PTE_DIRTY: software dirty" },
	};
	struct fake_arm64 a;
	struct vmacore_ctx *ctx;
	struct vmacore_pte pte;
	uint64_t pgd;
	size_t i;

	fake_arm64_init(&a, 12, 48);
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_arm64_set(&a, pgd, USER_VA, 1, PHYS_PAGE | A64_VALID |
			       A64_TABLE | cases[i].bits);
		no_err(lookup(ctx, pgd, USER_VA, &pte), "walk");
		ok(pte.present && pte.young == cases[i].young &&
		   pte.dirty == cases[i].dirty && pte.pfn == PHYS_PAGE >> 12,
		   "%s (got young %d dirty %d)", cases[i].what, pte.young,
		   pte.dirty);
	}
	/* bit 51 (DBM) is not an address bit of a 48-bit descriptor */
	fake_arm64_set(&a, pgd, USER_VA, 1, 0x0068000047654fc3ull);
	no_err(lookup(ctx, pgd, USER_VA, &pte), "walk");
	ok(pte.pfn == PHYS_PAGE >> 12,
	   "a user PTE as 6.1 writes it (0x68000047654fc3) is pfn 0x47654 (got 0x%llx)",
	   (unsigned long long)pte.pfn);
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);
}

/*
 * PROT_NONE and swap entries, in both layouts: before 6.10 PTE_PROT_NONE
 * is bit 58 and swap type/offset bits 3-7/8-57; from 6.10
 * PTE_PRESENT_INVALID is bit 11 and type/offset bits 6-10/12-61.
 */
static void test_nonvalid(void)
{
	int ng;

	for (ng = 0; ng < 2; ng++) {
		const char *k = ng ? "6.10+" : "before 6.10";
		struct fake_arm64 a;
		struct vmacore_ctx *ctx;
		struct vmacore_pte pte;
		uint64_t pgd, e;

		fake_arm64_init(&a, 12, 48);
		a.page_none = ng ? A64_PAGE_NONE_NG : A64_PAGE_NONE_OLD;
		ctx = make_ctx(&a);
		pgd = fake_arm64_table(&a);
		/* pte_modify(pte, PAGE_NONE) of a mapped page */
		e = PHYS_PAGE | (a.page_none & ~A64_VALID) | A64_TABLE;
		fake_arm64_set(&a, pgd, USER_VA, 1, e);
		no_err(lookup(ctx, pgd, USER_VA, &pte), "walk");
		ok(pte.present && !pte.swap && pte.pfn == PHYS_PAGE >> 12,
		   "%s: a PROT_NONE pte is present, pfn 0x47654 (got %d, 0x%llx)",
		   k, pte.present, (unsigned long long)pte.pfn);
		/* a PROT_NONE huge pmd */
		fake_arm64_set(&a, pgd, 0x0000ffff80000000ull, 2,
			       0x48200000ull | (a.page_none & ~(A64_VALID | A64_TABLE)));
		no_err(lookup(ctx, pgd, 0x0000ffff80001000ull, &pte), "walk");
		ok(pte.present && pte.level == 2 && pte.page_size == 2 << 20 &&
		   pte.pfn == 0x48201,
		   "%s: a PROT_NONE PMD block is present", k);
		/* swap entry: type 3, offset 0x12345 (__swp_entry()) */
		e = ng ? (3ull << 6 | 0x12345ull << 12) : (3ull << 3 | 0x12345ull << 8);
		fake_arm64_set(&a, pgd, USER_VA, 1, e);
		no_err(lookup(ctx, pgd, USER_VA, &pte), "walk");
		ok(!pte.present && pte.swap && pte.swap_type == 3 &&
		   pte.swap_offset == 0x12345,
		   "%s: swap entry 0x%llx is type 3 offset 0x12345 (got %d %u 0x%llx)",
		   k, (unsigned long long)e, pte.swap, pte.swap_type,
		   (unsigned long long)pte.swap_offset);
		/*
		 * the other layout's marker: before 6.10 bit 11 is swap
		 * offset, from 6.10 bit 58 is swap offset
		 */
		e = ng ? A64_PROT_NONE : A64_NG;
		fake_arm64_set(&a, pgd, USER_VA, 1, e);
		no_err(lookup(ctx, pgd, USER_VA, &pte), "walk");
		ok(!pte.present && pte.swap,
		   "%s: bit %d without PTE_VALID is a swap entry, not PROT_NONE",
		   k, ng ? 58 : 11);
		vmacore_ctx_destroy(ctx);
		fake_destroy(a.f);
	}
}

/* Damaged tables: errors, never a hang or a guess. */
static void test_damaged(void)
{
	struct fake_arm64 a;
	struct vmacore_ctx *ctx;
	struct vmacore_pte pte;
	uint64_t pgd, va = USER_VA;
	struct vmacore_error *err;

	fake_arm64_init(&a, 12, 48);
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	/* a top-level entry pointing at the pgd itself: the walk still ends */
	fake_w64(a.f, FAKE_PHYS_WINDOW + pgd + ((va >> 39) & 511) * 8,
		 pgd | A64_VALID | A64_TABLE);
	err = lookup(ctx, pgd, va, &pte);
	ok(!err || err->code == VMACORE_ERROR_CORRUPT ||
	   err->code == VMACORE_ERROR_FAULT,
	   "a table that points at itself: the walk ends (%s)",
	   err ? err->message : "no error");
	ok(pte.level >= 1 && pte.level <= 4, "within 4 levels (level %d)",
	   pte.level);
	vmacore_error_destroy(err);
	/* a table entry pointing outside memory */
	fake_w64(a.f, FAKE_PHYS_WINDOW + pgd + ((va >> 39) & 511) * 8,
		 0x00007ff000000000ull | A64_VALID | A64_TABLE);
	is_err(lookup(ctx, pgd, va, &pte), VMACORE_ERROR_FAULT,
	       "a table outside physical memory is FAULT");
	/* mm->pgd unreadable */
	is_err(vmacore_pgtable_lookup(ctx, 0xffff000012340000ull, va, &pte),
	       VMACORE_ERROR_FAULT, "an unreadable pgd is FAULT");
	is_err(vmacore_pgtable_lookup(ctx, 0, va, &pte), VMACORE_ERROR_INVALID,
	       "no pgd is INVALID");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);

	/* no protection_map: a non-valid entry cannot be decoded */
	fake_arm64_init(&a, 12, 48);
	a.page_none = 0;
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	fake_arm64_set(&a, pgd, va, 1, A64_PROT_NONE | PHYS_PAGE);
	is_err(lookup(ctx, pgd, va, &pte), VMACORE_ERROR_UNSUPPORTED,
	       "without protection_map a non-valid entry is UNSUPPORTED");
	fake_arm64_set(&a, pgd, va, 1, PHYS_PAGE | A64_VALID | A64_TABLE);
	no_err(lookup(ctx, pgd, va, &pte), "valid entries still decode");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);
}

/* The shape from the dump: T1SZ, else VA_BITS; refusals. */
static void test_layout(void)
{
	struct fake_arm64 a;
	struct vmacore_ctx *ctx;
	struct vmacore_pte pte;
	uint64_t pgd;

	/* no TCR_EL1_T1SZ (and no vabits_actual): NUMBER(VA_BITS) */
	fake_arm64_init(&a, 12, 39);
	a.no_t1sz = true;
	ctx = make_ctx(&a);
	pgd = fake_arm64_table(&a);
	fake_arm64_set(&a, pgd, 0x7fffff0000ull, 1,
		       PHYS_PAGE | A64_VALID | A64_TABLE);
	no_err(lookup(ctx, pgd, 0x7fffff0000ull, &pte), "walk");
	ok(pte.present && pte.pfn == PHYS_PAGE >> 12,
	   "without TCR_EL1_T1SZ the shape is VA_BITS's (3 levels)");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);

	fake_arm64_init(&a, 13, 48);
	is_err(fake_arm64_ctx(&a, &ctx), VMACORE_ERROR_UNSUPPORTED,
	       "arm64 with 8K pages is UNSUPPORTED");
	fake_destroy(a.f);
	fake_arm64_init(&a, 12, 48);
	a.no_pagesize = true;
	is_err(fake_arm64_ctx(&a, &ctx), VMACORE_ERROR_UNSUPPORTED,
	       "arm64 without PAGESIZE is UNSUPPORTED (the granule is unknown)");
	fake_destroy(a.f);

	/* a plain fake target is x86_64, as before */
	a.f = fake_create();
	fake_layout_default(a.f);
	ctx = fake_ctx(a.f);
	is_str(vmacore_ctx_arch(ctx), "x86_64", "no arm64 mark: x86_64");
	vmacore_ctx_destroy(ctx);
	fake_destroy(a.f);
}

int main(void)
{
	test_shapes();
	test_blocks();
	test_bits();
	test_nonvalid();
	test_damaged();
	test_layout();
	is_int(cache_mismatches, 0,
	       "every walk above gives the same through a walk cache");
	return tap_done();
}
