// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_smaps.c - smaps accounting (lib/smaps.c) and pagemap (lib/pagemap.c)
 * over page tables and folios laid out in a fake target: an exclusive
 * dirty anon page, a page shared by two mappings, a PMD-mapped THP, a
 * special (zero-page) entry, and damaged tables: a pfn beyond memory, a
 * table outside memory, a PTE that maps a page table (a loop), a huge
 * entry in the middle of a folio.  Damage must end as unknown fields with
 * a reason, never as silently wrong numbers.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_rmap.h"
#include "tap.h"

enum {
	/* struct page / folio (64 bytes a page) */
	PG_FLAGS = 0, PG_COMPOUND_HEAD = 8, PG_MAPPING = 0x18, PG_INDEX = 0x20,
	PG_MAPCOUNT = 0x30, PG_REFCOUNT = 0x34, PAGE_STRUCT = 64,
	FOLIO_NR_PAGES = 64 + 0x34, FOLIO_ENTIRE = 64 + 0x3c,
	FAKE_PG_REFERENCED = 2, FAKE_PG_DIRTY = 4, FAKE_PG_HEAD = 6,
	FAKE_PG_SWAPBACKED = 19,
	/* x86 PTE bits */
	P = 0x1, RW = 0x2, US = 0x4, A = 0x20, D = 0x40, PSE = 0x80,
	SPECIAL = 0x200,
};

#define VMEMMAP 0xffffea0000000000ULL
#define FAKE_VMEMMAP_BASE 0xffffffff82300000ULL
#define FAKE_MAX_PFN 0xffffffff82300010ULL
#define FAKE_SYMS 0xffffffff82400000ULL
#define FAKE_RODATA 0xffffffff82500000ULL
#define KB(x) ((uint64_t)(x) << 10)

static struct fake_target *f;
static struct vmacore_ctx *ctx;

static void setup(void)
{
	static const char rodata[] = "xx kB\nKSM:            yy";

	f = fake_create();
	fake_layout_default(f);
	fake_layout_rmap(f);
	fake_type(f, "page", PAGE_STRUCT);
	fake_member(f, "page", "flags", PG_FLAGS, 8);
	fake_member(f, "page", "compound_head", PG_COMPOUND_HEAD, 8);
	fake_member(f, "page", "mapping", PG_MAPPING, 8);
	fake_member(f, "page", "page_type", PG_MAPCOUNT, 4);
	fake_member(f, "page", "_mapcount", PG_MAPCOUNT, 4);
	fake_member(f, "page", "_refcount", PG_REFCOUNT, 4);
	fake_member(f, "folio", "flags", PG_FLAGS, 8);
	fake_member(f, "folio", "mapping", PG_MAPPING, 8);
	fake_member(f, "folio", "index", PG_INDEX, 8);
	fake_member(f, "folio", "_folio_nr_pages", FOLIO_NR_PAGES, 4);
	fake_member(f, "folio", "_entire_mapcount", FOLIO_ENTIRE, 4);
	fake_enum(f, "PG_head", FAKE_PG_HEAD);
	fake_enum(f, "PG_dirty", FAKE_PG_DIRTY);
	fake_enum(f, "PG_referenced", FAKE_PG_REFERENCED);
	fake_enum(f, "PG_swapbacked", FAKE_PG_SWAPBACKED);
	fake_enum(f, "PGTY_mapcount_underflow", 0xf7);
	fake_symbol(f, "vmemmap_base", FAKE_VMEMMAP_BASE, 8);
	fake_w64(f, FAKE_VMEMMAP_BASE, VMEMMAP);
	fake_symbol(f, "max_pfn", FAKE_MAX_PFN, 8);
	fake_w64(f, FAKE_MAX_PFN, 0x100000);
	fake_symbol(f, "nr_swapfiles", FAKE_SYMS, 4);
	fake_symbol(f, "huge_zero_pfn", FAKE_SYMS + 8, 8);
	fake_w64(f, FAKE_SYMS + 8, 0xfff00);
	fake_symbol(f, "highest_memmap_pfn", FAKE_SYMS + 16, 8);
	fake_w64(f, FAKE_SYMS + 16, 0xfffff);
	/* THP "madvise": TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG only */
	fake_enum(f, "TRANSPARENT_HUGEPAGE_FLAG", 1);
	fake_enum(f, "TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG", 2);
	fake_symbol(f, "transparent_hugepage_flags", FAKE_SYMS + 24, 8);
	fake_w64(f, FAKE_SYMS + 24, 1ULL << 2);
	fake_symbol(f, "__start_rodata", FAKE_RODATA, 0);
	fake_symbol(f, "__end_rodata", FAKE_RODATA + sizeof(rodata), 0);
	fake_write(f, FAKE_RODATA, rodata, sizeof(rodata));
	ctx = fake_phys_ctx(f);
}

static uint64_t page_of(uint64_t pfn)
{
	return VMEMMAP + pfn * PAGE_STRUCT;
}

/* A folio of @nr pages at @pfn: anon or not, refcount, mapcount each. */
static void folio(uint64_t pfn, uint64_t nr, bool anon, uint64_t flags,
		  uint32_t refcount, int32_t mapcount, int32_t entire)
{
	uint64_t i;

	for (i = 0; i < nr; i++) {
		fake_zero(f, page_of(pfn + i), PAGE_STRUCT);
		fake_w32(f, page_of(pfn + i) + PG_MAPCOUNT, mapcount - 1);
		if (i)
			fake_w64(f, page_of(pfn + i) + PG_COMPOUND_HEAD,
				 page_of(pfn) | 1);
	}
	fake_w64(f, page_of(pfn) + PG_FLAGS, flags |
		 (nr > 1 ? 1ULL << FAKE_PG_HEAD : 0));
	fake_w64(f, page_of(pfn) + PG_MAPPING, anon ? 0xffff888000900001ULL :
		 0xffff888000900000ULL);
	fake_w32(f, page_of(pfn) + PG_REFCOUNT, refcount);
	if (nr > 1) {
		fake_w32(f, page_of(pfn) + FOLIO_NR_PAGES, nr);
		fake_w32(f, page_of(pfn) + FOLIO_ENTIRE, entire - 1);
	}
}

/* The PMD entry (kernel address of it) for @vaddr, tables made if needed. */
static uint64_t pmd_slot(uint64_t pgd, uint64_t vaddr)
{
	uint64_t e, table;

	fake_map_page(f, pgd, vaddr, 0);	/* makes the tables */
	e = fake_r64(f, pgd + ((vaddr >> 39) & 511) * 8);
	table = e & 0x000ffffffffff000ULL;
	e = fake_r64(f, FAKE_PHYS_WINDOW + table + ((vaddr >> 30) & 511) * 8);
	table = e & 0x000ffffffffff000ULL;
	return FAKE_PHYS_WINDOW + table + ((vaddr >> 21) & 511) * 8;
}

static struct vmacore_error *smaps(uint64_t mm, uint64_t start, uint64_t end,
				   struct vmacore_smaps *s)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	struct vmacore_mm m;
	bool found;

	err = vmacore_mm_read(ctx, mm, &m);
	if (!err)
		err = vmacore_vma_find(ctx, mm, start, &v, &found);
	if (!err && (!found || v.vm_end != end))
		return vmacore_error_create(VMACORE_ERROR_INVALID, "no VMA");
	return err ? err : vmacore_smaps_vma(ctx, &m, &v, s);
}

/*
 * A target that logs every read, for counting what one walk reads: the
 * walk must read each page-table page and each folio head once.
 */
#define LOG_MAX 4096

static struct { uint64_t addr; size_t len; bool physical; } reads[LOG_MAX];
static size_t nreads;

static struct vmacore_error *counting_read(void *priv, uint64_t addr,
					   void *buf, size_t len,
					   bool physical)
{
	if (nreads < LOG_MAX)
		reads[nreads++] = (typeof(reads[0])){ addr, len, physical };
	return fake_ops.read(priv, addr, buf, len, physical);
}

/* Reads of the log that touch [@addr, @addr + @len) (@physical space). */
static int reads_of(uint64_t addr, uint64_t len, bool physical)
{
	size_t i;
	int n = 0;

	for (i = 0; i < nreads && i < LOG_MAX; i++)
		if (reads[i].physical == physical &&
		    reads[i].addr < addr + len && addr < reads[i].addr + reads[i].len)
			n++;
	return n;
}

/*
 * Two VMAs of a second mm that share one PTE table: a PTE-mapped folio of
 * 4 pages, a file page mapped in both, an exclusive anon page.  Counted
 * through a logging target: every table page and every head read once.
 */
static void test_read_counts(void)
{
	static struct vmacore_target_ops counting;
	struct vmacore_ctx *cctx;
	struct vmacore_smaps a, b;
	struct vmacore_mm m;
	struct vmacore_vma v;
	uint64_t mm, pgd, vmas[2], tables[3], e, t, va;
	int i, most = 0;
	bool found;

	mm = fake_mm(f);
	pgd = fake_alloc(f, 4096, 4096);
	fake_w64(f, mm + MM_PGD, pgd);
	vmas[0] = fake_vma(f, mm, 0x40000000, 0x40010000, 0x73);
	vmas[1] = fake_vma(f, mm, 0x40010000, 0x40020000, 0x73);
	fake_tree_build(f, mm, vmas, 2, 16, 10, NULL);
	/* refcount 4: Pss from each page's mapcount (1: private) */
	folio(0xa000, 4, true, 1ULL << FAKE_PG_SWAPBACKED, 4, 1, 0);
	for (i = 0; i < 4; i++)
		fake_map_page(f, pgd, 0x40000000 + i * 0x1000,
			      ((0xa000ULL + i) << 12) | P | US | A);
	folio(0xb000, 1, false, 0, 3, 2, 0);
	fake_map_page(f, pgd, 0x40008000, (0xb000ULL << 12) | P | US);
	fake_map_page(f, pgd, 0x40010000, (0xb000ULL << 12) | P | US);
	folio(0xc000, 1, true, 1ULL << FAKE_PG_SWAPBACKED, 1, 1, 0);
	fake_map_page(f, pgd, 0x40011000, (0xc000ULL << 12) | P | RW | US | D);
	/* the PUD, PMD and PTE tables (physical) */
	for (t = pgd, i = 4; i >= 2; i--) {
		e = fake_r64(f, (i == 4 ? t : FAKE_PHYS_WINDOW + t) +
			     ((0x40000000ULL >> (12 + 9 * (i - 1))) & 511) * 8);
		t = e & 0x000ffffffffff000ULL;
		tables[4 - i] = t;
	}

	counting = fake_ops;
	counting.read = counting_read;
	if (vmacore_ctx_create(&counting, f, &cctx)) {
		ok(0, "context over a logging target");
		return;
	}
	no_err(vmacore_mm_read(cctx, mm, &m), "mm of the shared-table VMAs");
	/* layouts and probes first, then count the walk alone */
	no_err(vmacore_vma_find(cctx, mm, 0x40000000, &v, &found), "VMA 1");
	no_err(vmacore_smaps_vma(cctx, &m, &v, &a), "smaps of VMA 1, unlogged");
	no_err(vmacore_vma_find(cctx, mm, 0x40010000, &v, &found), "VMA 2");
	nreads = 0;
	{
		struct vmacore_vma v1;

		no_err(vmacore_vma_find(cctx, mm, 0x40000000, &v1, &found),
		       "VMA 1 again");
		nreads = 0;
		no_err(vmacore_smaps_vma(cctx, &m, &v1, &a), "smaps of VMA 1");
		no_err(vmacore_smaps_vma(cctx, &m, &v, &b), "smaps of VMA 2");
	}
	ok(a.resident == KB(20) && a.anonymous == KB(16) &&
	   a.pss == (KB(16) + KB(2)) << VMACORE_PSS_SHIFT &&
	   a.private_clean == KB(16) && a.shared_clean == KB(4) && !a.unknown,
	   "PTE-mapped folio and a shared page: Rss, Pss, private/shared");
	ok(b.resident == KB(8) && b.private_dirty == KB(4) &&
	   b.pss == (KB(4) + KB(2)) << VMACORE_PSS_SHIFT && !b.unknown,
	   "second VMA on the same PTE table: Rss, Pss");
	is_int(reads_of(pgd, 4096, false), 1, "walk of two VMAs: pgd read once");
	for (i = 0; i < 3; i++)
		if (reads_of(tables[i], 4096, true) > most)
			most = reads_of(tables[i], 4096, true);
	is_int(most, 1, "walk of two VMAs: each lower table page read once");
	is_int(reads_of(page_of(0xa000), PAGE_STRUCT, false), 1,
	       "head of a PTE-mapped folio read once for its 4 pages");
	is_int(reads_of(page_of(0xb000), PAGE_STRUCT, false), 1,
	       "head of a page mapped in both VMAs read once");
	for (most = 0, i = 1; i < 4; i++)
		if (reads_of(page_of(0xa000 + i), PAGE_STRUCT, false) > most)
			most = reads_of(page_of(0xa000 + i), PAGE_STRUCT, false);
	ok(most == 1, "each tail's struct page read once (%d)", most);

	/* a new walk of the same mm (lower start) reads afresh, once */
	nreads = 0;
	{
		struct vmacore_vma v1;

		no_err(vmacore_vma_find(cctx, mm, 0x40000000, &v1, &found),
		       "VMA 1, second walk");
		nreads = 0;
		no_err(vmacore_smaps_vma(cctx, &m, &v1, &a), "smaps again");
	}
	ok(reads_of(pgd, 4096, false) == 1 &&
	   reads_of(tables[2], 4096, true) == 1 && a.resident == KB(20),
	   "a second walk reads the tables again, once");

	/* pagemap: the same, per iterator */
	{
		struct vmacore_pagemap_iter *it;
		struct vmacore_pagemap_entry pe;
		int present = 0;

		no_err(vmacore_pagemap_iter_create(cctx, &m, 0x40000000,
						   0x40020000, &it),
		       "pagemap of the shared-table VMAs");
		nreads = 0;
		while (!vmacore_pagemap_iter_next(it, &pe))
			present += pe.present && !pe.unknown;
		vmacore_pagemap_iter_destroy(it);
		is_int(present, 7, "pagemap: 7 present pages");
		ok(reads_of(tables[2], 4096, true) == 1 &&
		   reads_of(page_of(0xa000), PAGE_STRUCT, false) == 1 &&
		   reads_of(page_of(0xb000), PAGE_STRUCT, false) == 1,
		   "pagemap: PTE table and heads read once");
	}
	(void)va;
	vmacore_ctx_destroy(cctx);
}

int main(void)
{
	struct vmacore_smaps s;
	uint64_t mm, pgd, vmas[12], pmd;
	int n = 0;

	setup();
	mm = fake_mm(f);
	pgd = fake_alloc(f, 4096, 4096);
	fake_w64(f, mm + MM_PGD, pgd);
	fake_task(f, 100, 100, "smaps", mm, fake_signal(f));

	/* 0x10000: exclusive anon, young and dirty; a special entry */
	vmas[n++] = fake_vma(f, mm, 0x10000, 0x12000, 0x73);
	folio(0x5000, 1, true, 1ULL << FAKE_PG_SWAPBACKED, 1, 1, 0);
	fake_map_page(f, pgd, 0x10000, (0x5000ULL << 12) | P | RW | US | A | D);
	fake_map_page(f, pgd, 0x11000, (0x5001ULL << 12) | P | US | SPECIAL);
	/* 0x20000: a file page mapped twice, clean, PG_referenced */
	vmas[n++] = fake_vma(f, mm, 0x20000, 0x21000, 0x71);
	folio(0x6000, 1, false, 1ULL << FAKE_PG_REFERENCED, 3, 2, 0);
	fake_map_page(f, pgd, 0x20000, (0x6000ULL << 12) | P | US);
	/* 0x200000: a PMD-mapped anon THP, exclusive */
	vmas[n++] = fake_vma(f, mm, 0x200000, 0x400000, 0x73);
	folio(0x8000, 512, true, 1ULL << FAKE_PG_SWAPBACKED, 1, 0, 1);
	pmd = pmd_slot(pgd, 0x200000);
	fake_w64(f, pmd, (0x8000ULL << 12) | P | RW | US | A | D | PSE);
	/* 0x600000: damaged: pfn beyond max_pfn; a table outside memory */
	vmas[n++] = fake_vma(f, mm, 0x600000, 0x602000, 0x73);
	fake_map_page(f, pgd, 0x600000, (0x200000ULL << 12) | P | US);
	vmas[n++] = fake_vma(f, mm, 0x800000, 0x801000, 0x73);
	pmd = pmd_slot(pgd, 0x800000);
	fake_w64(f, pmd, 0x7ff00000000ULL | P | RW | US);
	/*
	 * 0xa05000: a PMD entry pointing at its own table (a loop); its PTE
	 * index equals its PMD index, so the walk reads that entry again as
	 * a PTE: the PMD table page, typed PGTY_table as the kernel types it
	 */
	vmas[n++] = fake_vma(f, mm, 0xa05000, 0xa06000, 0x73);
	pmd = pmd_slot(pgd, 0xa05000);
	{
		uint64_t self = pmd - FAKE_PHYS_WINDOW;

		fake_w64(f, pmd, (self & ~0xfffULL) | P | RW | US);
		fake_zero(f, page_of(self >> 12), PAGE_STRUCT);
		fake_w32(f, page_of(self >> 12) + PG_MAPCOUNT, 0xf2000000);
	}
	/* 0xc00000: a huge entry in the middle of a folio */
	vmas[n++] = fake_vma(f, mm, 0xc00000, 0xe00000, 0x73);
	folio(0x9000, 1024, true, 0, 1, 0, 1);
	pmd = pmd_slot(pgd, 0xc00000);
	fake_w64(f, pmd, (0x9200ULL << 12) | P | RW | US | PSE);
	/* 0x1000000: a 1 MiB VMA under a PMD entry of a whole 2 MiB THP */
	vmas[n++] = fake_vma(f, mm, 0x1000000, 0x1100000, 0x73);
	folio(0xd000, 512, true, 1ULL << FAKE_PG_SWAPBACKED, 1, 0, 1);
	pmd = pmd_slot(pgd, 0x1000000);
	fake_w64(f, pmd, (0xd000ULL << 12) | P | RW | US | A | D | PSE);
	fake_tree_build(f, mm, vmas, n, 16, 10, NULL);

	no_err(smaps(mm, 0x10000, 0x12000, &s), "smaps of an anon VMA");
	ok(s.resident == KB(4) && s.pss == KB(4) << VMACORE_PSS_SHIFT &&
	   s.private_dirty == KB(4) && s.referenced == KB(4) &&
	   s.anonymous == KB(4) && s.shared_clean + s.shared_dirty == 0 &&
	   !s.unknown, "exclusive dirty young anon page; special entry not counted");
	ok(s.has_ksm && s.size == KB(8) && s.kernel_page_size == KB(4),
	   "KSM line probed from .rodata; Size, KernelPageSize");

	no_err(smaps(mm, 0x20000, 0x21000, &s), "smaps of a file VMA");
	ok(s.resident == KB(4) && s.pss == KB(2) << VMACORE_PSS_SHIFT &&
	   s.shared_clean == KB(4) && s.referenced == KB(4) &&
	   s.anonymous == 0 && s.pss_file == KB(2) << VMACORE_PSS_SHIFT,
	   "page mapped twice: Pss halved, Shared_Clean, Referenced by flag");

	no_err(smaps(mm, 0x200000, 0x400000, &s), "smaps of a THP VMA");
	ok(s.resident == KB(2048) && s.anonymous_thp == KB(2048) &&
	   s.private_dirty == KB(2048) && s.pages == 1 && !s.unknown &&
	   s.thp_eligible == 0, "PMD-mapped THP: AnonHugePages, one entry");

	no_err(smaps(mm, 0x600000, 0x602000, &s), "smaps, pfn beyond memory");
	ok(s.unknown & (1ull << VMACORE_SMAPS_RSS) && strstr(s.why, "0x600000"),
	   "pfn beyond memory: Rss unknown, said (%s)", s.why);
	no_err(smaps(mm, 0x800000, 0x801000, &s), "smaps, table outside memory");
	ok(s.unknown & (1ull << VMACORE_SMAPS_RSS) && s.why[0],
	   "page table outside memory: unknown, said (%s)", s.why);
	no_err(smaps(mm, 0xa05000, 0xa06000, &s), "smaps, looping table");
	ok(s.unknown & (1ull << VMACORE_SMAPS_RSS) && s.resident == 0 &&
	   strstr(s.why, "never mapped"),
	   "PMD pointing at its own table: not counted, said (%s)", s.why);
	no_err(smaps(mm, 0xc00000, 0xe00000, &s), "smaps, misaligned huge");
	ok(s.unknown & (1ull << VMACORE_SMAPS_ANON_HUGE) && s.resident == 0 &&
	   strstr(s.why, "whole folio"),
	   "huge entry in the middle of a folio: unknown, said (%s)", s.why);

	no_err(smaps(mm, 0x1000000, 0x1100000, &s), "smaps, huge entry past the VMA");
	ok(s.unknown & (1ull << VMACORE_SMAPS_RSS) && s.resident == 0 &&
	   strstr(s.why, "across the VMA"),
	   "PMD mapping 2 MiB in a 1 MiB VMA: unknown, said (%s)", s.why);

	/* pagemap of the same tables */
	{
		struct vmacore_pagemap_iter *it;
		struct vmacore_pagemap_entry e;
		struct vmacore_mm m;
		int present = 0, thp = 0, unknown = 0, excl = 0, file = 0;
		/* the damaged pages: said, each with its reason */
		static const struct {
			uint64_t vaddr;
			const char *why;
		} bad[] = {
			{ 0x600000, "highest_memmap_pfn" },
			{ 0x800000, "" },
			{ 0xa05000, "never mapped" },
			{ 0xc00000, "whole user folio" },
			{ 0x10ff000, "across its VMA" },
		};
		bool said[5] = { false };
		int past = 0;
		size_t k;

		no_err(vmacore_mm_read(ctx, mm, &m), "mm");
		no_err(vmacore_pagemap_iter_create(ctx, &m, 0, 0x1200000, &it),
		       "pagemap iterator");
		while (!vmacore_pagemap_iter_next(it, &e)) {
			present += e.present;
			thp += e.folio_nr_pages == 512;
			unknown += e.unknown;
			excl += e.exclusive && !e.unknown;
			file += e.file && !e.unknown;
			past += e.vaddr >= 0x1100000;
			for (k = 0; k < 5; k++)
				if (e.vaddr == bad[k].vaddr && e.unknown &&
				    e.why[0] && strstr(e.why, bad[k].why))
					said[k] = true;
		}
		ok(said[0], "pagemap: pfn beyond memory unknown, said");
		ok(said[1], "pagemap: table outside memory unknown, said");
		ok(said[2], "pagemap: PMD pointing at its own table unknown, said");
		ok(said[3], "pagemap: huge entry in the middle of a folio unknown, said");
		ok(said[4] && !past,
		   "pagemap: huge entry past its VMA unknown, said, not handed out beyond it");
		vmacore_pagemap_iter_destroy(it);
		is_int(thp, 512, "pagemap: 512 entries of the THP");
		is_int(file, 1, "pagemap: one file page");
		ok(excl == 1 + 512 && unknown >= 3,
		   "pagemap: exclusive anon and THP pages, damaged ones unknown (%d, %d)",
		   excl, unknown);
	}
	test_read_counts();
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
	return tap_done();
}
