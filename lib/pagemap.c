// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagemap.c - /proc/PID/pagemap from the dump: what pagemap_pmd_range(),
 * pte_to_pagemap_entry() and pagemap_hugetlb_range() (fs/proc/task_mmu.c)
 * report for each page of an mm, for a reader with CAP_SYS_ADMIN (PFNs
 * shown).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smaps_internal.h"

/* include/linux/swap.h: MAX_SWAPFILES_SHIFT */
#define MAX_SWAPFILES_SHIFT 5

struct vmacore_pagemap_iter {
	struct vmacore_ctx *ctx;
	struct vmacore_mm mm;
	struct vmacore_vma_iter *vmas;
	struct vmacore_vma vma;
	bool have_vma;
	bool done;
	uint64_t start, end;	/* [start, end) */
	uint64_t addr;		/* next address to look at in vma */
	/* a huge leaf being handed out page by page */
	struct vmacore_pagemap_entry leaf;
	uint64_t leaf_end;
	uint64_t leaf_page;	/* struct page at leaf.vaddr */
	struct vmacore_folio leaf_folio;
	bool leaf_has_folio;
	/* what the walk read (NULL: no memory, read each time) */
	struct walk_cache *wc;
	/* the struct page and head bytes of the folio last read */
	struct mem_window win[2];
};

static uint64_t vm_mask(struct vmacore_ctx *ctx, const char *name)
{
	const struct vmacore_flag_bit *t;
	size_t n, i;

	t = vmacore_flags_table(ctx, &n);
	for (i = 0; t && i < n; i++)
		if (t[i].name && !strcmp(t[i].name, name))
			return t[i].mask;
	return 0;
}

struct vmacore_error *
vmacore_pagemap_iter_create(struct vmacore_ctx *ctx,
			    const struct vmacore_mm *mm, uint64_t start,
			    uint64_t end, struct vmacore_pagemap_iter **ret)
{
	struct vmacore_pagemap_iter *it;
	struct vmacore_error *err;
	uint64_t mask = ctx->l.page_size - 1;

	*ret = NULL;
	if (end <= start)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "empty range [0x%llx, 0x%llx)",
					    (unsigned long long)start,
					    (unsigned long long)end);
	err = smaps_layout_init(ctx);
	if (err)
		return err;
	it = calloc(1, sizeof(*it));
	if (!it)
		return &vmacore_enomem;
	it->ctx = ctx;
	it->mm = *mm;
	it->start = start & ~mask;
	it->end = end;
	it->wc = walk_cache_create();
	err = vmacore_vma_iter_create(ctx, mm->addr, &it->vmas);
	if (err) {
		walk_cache_destroy(it->wc);
		free(it);
		return err;
	}
	*ret = it;
	return NULL;
}

void vmacore_pagemap_iter_destroy(struct vmacore_pagemap_iter *it)
{
	if (!it)
		return;
	vmacore_vma_iter_destroy(it->vmas);
	walk_cache_destroy(it->wc);
	free(it);
}

bool vmacore_pagemap_iter_partial(const struct vmacore_pagemap_iter *it)
{
	return it && vmacore_vma_iter_partial(it->vmas);
}

static void unknown(struct vmacore_pagemap_entry *e, const char *why)
{
	e->unknown = true;
	if (!e->why[0])
		snprintf(e->why, sizeof(e->why), "%s", why);
}

/* The next VMA that ends after @it->addr and starts before @it->end. */
static struct vmacore_error *next_vma(struct vmacore_pagemap_iter *it)
{
	struct vmacore_error *err;

	for (;;) {
		err = vmacore_vma_iter_next(it->vmas, &it->vma);
		if (err)
			return err;
		if (it->vma.vm_end <= it->start)
			continue;
		if (it->vma.vm_start >= it->end)
			return &vmacore_stop;
		it->addr = it->vma.vm_start > it->start ? it->vma.vm_start :
			   it->start;
		it->have_vma = true;
		return NULL;
	}
}

/* PM_FILE and PM_MMAP_EXCLUSIVE of a present page with a struct page. */
static void page_flags(struct vmacore_pagemap_iter *it,
		       const struct vmacore_folio *f, uint64_t page,
		       const struct mem_window *w, size_t nw,
		       struct vmacore_pagemap_entry *e)
{
	struct vmacore_error *err;
	int64_t mapcount;

	e->folio_pfn = f->folio_pfn;
	e->folio_nr_pages = f->nr_pages;
	e->file = f->kind != VMACORE_PAGE_ANON && f->kind != VMACORE_PAGE_KSM;
	if (f->hugetlb)
		err = smaps_hugetlb_mapcount(it->ctx, f, w, nw, &mapcount);
	else
		err = smaps_page_mapcount(it->ctx, f, page, w, nw, &mapcount);
	if (err) {
		unknown(e, err->message);
		vmacore_error_destroy(err);
		return;
	}
	e->exclusive = mapcount == 1;
}

/* Hand out the next page of a huge leaf (PMD THP or hugetlb). */
static struct vmacore_error *leaf_next(struct vmacore_pagemap_iter *it,
				       struct vmacore_pagemap_entry *ret)
{
	uint64_t psize = it->ctx->l.page_size;
	uint64_t idx = (it->addr - it->leaf.vaddr) / psize;

	*ret = it->leaf;
	ret->vaddr = it->addr;
	if (ret->present)
		ret->pfn = it->leaf.pfn + idx;
	if (it->leaf_has_folio && !it->leaf_folio.hugetlb) {
		/*
		 * 6.10+ tests each subpage's mapcount, 6.1 the head's: equal
		 * unless the THP is also PTE-mapped somewhere
		 */
		struct vmacore_pagemap_entry sub = *ret;
		uint64_t page = it->leaf_page +
				idx * it->ctx->l.rmap.page_struct_size;

		/* the head's bytes: no other folio was read since */
		page_flags(it, &it->leaf_folio, page, &it->win[1], 1, &sub);
		if (sub.unknown)
			*ret = sub;
		else if (sub.exclusive != it->leaf.exclusive)
			unknown(ret, "PM_MMAP_EXCLUSIVE of a PMD-mapped THP also mapped by PTEs: head or subpage rule not probed");
	}
	it->addr += psize;
	if (it->addr >= it->leaf_end)
		it->leaf_end = 0;
	return NULL;
}

struct vmacore_error *
vmacore_pagemap_iter_next(struct vmacore_pagemap_iter *it,
			  struct vmacore_pagemap_entry *ret)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_smaps *l = &ctx->l.smaps;
	uint64_t psize = ctx->l.page_size, softdirty, pfnmap;
	struct vmacore_error *err;
	struct vmacore_pte pte;
	struct vmacore_folio f;

	if (it->done)
		return &vmacore_stop;
	softdirty = vm_mask(ctx, "softdirty");
	pfnmap = l->vm_pfnmap;
	for (;;) {
		uint64_t span, limit;

		if (it->leaf_end && it->addr < it->leaf_end &&
		    it->addr < it->end)
			return leaf_next(it, ret);
		it->leaf_end = 0;
		if (!it->have_vma || it->addr >= it->vma.vm_end ||
		    it->addr >= it->end) {
			it->have_vma = false;
			err = next_vma(it);
			if (err) {
				it->done = true;
				return err;
			}
		}
		limit = it->vma.vm_end < it->end ? it->vma.vm_end : it->end;
		if (it->addr >= limit)
			continue;
		/* walk_page_test(): VM_PFNMAP is a hole (pagemap_pte_hole()) */
		if (it->vma.vm_flags & pfnmap) {
			it->addr = limit;
			continue;
		}
		memset(ret, 0, sizeof(*ret));
		ret->vaddr = it->addr;
		ret->soft_dirty = it->vma.vm_flags & softdirty;
		err = pgtable_walk_lookup(ctx, it->wc, it->mm.pgd, it->addr,
					  &pte);
		if (err) {
			/* this page only: said in the entry */
			unknown(ret, err->message);
			vmacore_error_destroy(err);
			ret->table_unreadable = true;
			it->addr += psize;
			return NULL;
		}
		if (!pte.present && !pte.entry) {
			span = smaps_level_span(ctx, pte.level);
			it->addr = (it->addr & ~(span - 1)) + span;
			if (it->addr == 0)
				it->addr = limit;
			continue;
		}
		if (!pte.present) {
			ret->swapped = true;
			ret->soft_dirty |= pte.soft_dirty;
			ret->swap_type = pte.swap_type;
			ret->swap_offset = pte.swap_offset;
			ret->frame = pte.swap_type |
				     (pte.swap_offset << MAX_SWAPFILES_SHIFT);
			if (pte.level != 1 || !pte.swap ||
			    pte.swap_type >= l->nr_swapfiles)
				unknown(ret, "non-present entry not a swap entry (migration, device, marker): not decoded");
			it->addr += psize;
			return NULL;
		}
		ret->present = true;
		ret->soft_dirty |= pte.soft_dirty;
		ret->pfn = pte.pfn;
		ret->frame = pte.pfn;
		if (pte.level > 1) {
			/* a huge leaf: pagemap_pmd_range() or _hugetlb_range() */
			uint64_t base = it->addr & ~(pte.page_size - 1);

			it->leaf = *ret;
			it->leaf.vaddr = it->addr;
			it->leaf_end = base + pte.page_size;
			it->leaf_has_folio = false;
			if (it->vma.vm_flags & l->vm_hugetlb)
				it->leaf.soft_dirty = it->vma.vm_flags &
						      softdirty;
			if (base < it->vma.vm_start ||
			    base + pte.page_size > it->vma.vm_end) {
				/* the kernel splits a huge entry a VMA ends in */
				unknown(&it->leaf, "huge entry across its VMA's bounds: damaged table");
				if (it->leaf_end > it->vma.vm_end)
					it->leaf_end = it->vma.vm_end;
			} else if (l->have_huge_zero_pfn &&
			    pte.pfn - (it->addr - base) / psize ==
			    l->huge_zero_pfn) {
				/* is_huge_zero_pmd(): present, no page */
			} else if (pte.level > 2) {
				unknown(&it->leaf, "PUD-sized leaf not decoded");
			} else if ((err = folio_walk_read(ctx, it->wc, pte.pfn,
							  &f, it->win))) {
				unknown(&it->leaf, err->message);
				vmacore_error_destroy(err);
			} else if (f.kind == VMACORE_PAGE_TYPED ||
				   f.page != f.folio ||
				   f.nr_pages * psize != pte.page_size) {
				unknown(&it->leaf, "huge entry does not map a whole user folio: damaged table");
			} else {
				it->leaf_folio = f;
				it->leaf_has_folio = true;
				it->leaf_page = f.page;
				/* 6.1: page_mapcount(pmd_page()), the head's */
				page_flags(it, &f, f.folio, it->win, 2,
					   &it->leaf);
				if (!f.hugetlb && it->leaf.file)
					unknown(&it->leaf, "PM_FILE of a PMD-mapped file THP: not set before 6.10, not probed");
				if (f.hugetlb && (it->vma.vm_flags &
						  l->vm_mayshare) &&
				    pte.page_size < (1ull << 30) &&
				    base >= it->vma.vm_start &&
				    (base & ~((1ull << 30) - 1)) >=
				    it->vma.vm_start &&
				    (base | ((1ull << 30) - 1)) <
				    it->vma.vm_end)
					unknown(&it->leaf, "hugetlb page may have a shared PMD table (hugetlb_pmd_shared() not reproduced)");
			}
			continue;
		}
		/* vm_normal_page(): no struct page for special pfns */
		if (!pte.special && l->highest_memmap_pfn &&
		    pte.pfn > l->highest_memmap_pfn) {
			unknown(ret, "maps a pfn beyond highest_memmap_pfn (a bad pte)");
		} else if (!pte.special) {
			err = folio_walk_read(ctx, it->wc, pte.pfn, &f,
					      it->win);
			if (err) {
				unknown(ret, err->message);
				vmacore_error_destroy(err);
			} else if (f.kind == VMACORE_PAGE_TYPED) {
				unknown(ret, "maps a page never mapped to user space (page table, slab, free): damaged or looping table");
			} else {
				page_flags(it, &f, f.page, it->win, 2, ret);
			}
		}
		it->addr += psize;
		return NULL;
	}
}
