// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pgtable.c - x86_64 page-table walk of a user address space.
 *
 * The top level is read at mm->pgd (a direct-map virtual address), the
 * levels below by physical address, as the MMU would.  4-level or 5-level
 * (la57) paging as the dumped kernel ran it; 1G and 2M leaves (_PAGE_PSE).
 */
#include <string.h>

#include "rmap_internal.h"

/* arch/x86/include/asm/pgtable_types.h */
#define _PAGE_PRESENT (1ull << 0)
#define _PAGE_PSE (1ull << 7)
#define _PAGE_PROTNONE (1ull << 8)	/* _PAGE_BIT_GLOBAL when !present */
/*
 * PTE_PFN_MASK with __PHYSICAL_MASK_SHIFT 52 and x86's 4 KiB pages; the
 * kernel also clears sme_me_mask (__sme_clr(), physical_mask) from it.
 */
#define PTE_PFN_MASK 0x000ffffffffff000ull
#define X86_PAGE_SHIFT 12
#define PTRS_PER_LEVEL 512

/*
 * pte_present() / pmd_present(): a PROT_NONE (NUMA hinting) entry is
 * present too.  Its pfn bits are inverted against L1TF (protnone_mask(),
 * arch/x86/include/asm/pgtable-invert.h).
 */
static bool entry_present(uint64_t e, int level)
{
	switch (level) {
	case 1:		/* pte_present() */
		return e & (_PAGE_PRESENT | _PAGE_PROTNONE);
	case 2:		/* pmd_present(): also a PSE entry being split */
		return e & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE);
	default:	/* pud/p4d/pgd_present() */
		return e & _PAGE_PRESENT;
	}
}

/* pte_pfn() and friends: the frame address without the SME C-bit */
static uint64_t entry_phys(const struct vmacore_ctx *ctx, uint64_t e)
{
	if ((e & (_PAGE_PRESENT | _PAGE_PROTNONE)) == _PAGE_PROTNONE)
		e = ~e;
	return e & PTE_PFN_MASK & ~ctx->l.sme_mask;
}

struct vmacore_error *vmacore_pgtable_lookup(struct vmacore_ctx *ctx,
					     uint64_t pgd, uint64_t vaddr,
					     struct vmacore_pte *ret)
{
	struct vmacore_error *err = rmap_mem_init(ctx);
	int level, top;
	uint64_t e, table, idx, shift, size;

	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	if (!pgd)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "mm has no page table");
	if (ctx->l.page_shift != X86_PAGE_SHIFT)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "page size %u: x86_64 page tables map 4096-byte pages",
					    1u << ctx->l.page_shift);
	top = ctx->l.rmap.la57 ? 5 : 4;
	table = pgd;
	for (level = top; level >= 1; level--) {
		shift = X86_PAGE_SHIFT + 9 * (level - 1);
		idx = (vaddr >> shift) & (PTRS_PER_LEVEL - 1);
		if (level == top) {
			err = read_mem(ctx, table + idx * 8, &e, 8);
		} else {
			err = read_phys(ctx, table + idx * 8, &e, 8);
		}
		if (err)
			return vmacore_error_prefix(err, "cannot read level-%d page table entry of 0x%llx at %s 0x%llx",
						    level,
						    (unsigned long long)vaddr,
						    level == top ? "virtual" :
						    "physical",
						    (unsigned long long)(table + idx * 8));
		ret->entry = e;
		ret->level = level;
		if (!entry_present(e, level))
			return NULL;
		size = 1ull << shift;
		if (level == 1 || ((level == 2 || level == 3) && (e & _PAGE_PSE))) {
			/* a leaf: pte, or a huge pmd/pud */
			uint64_t phys = entry_phys(ctx, e) & ~(size - 1);

			ret->present = true;
			ret->page_size = size;
			ret->pfn = (phys + (vaddr & (size - 1))) >>
				   ctx->l.page_shift;
			return NULL;
		}
		table = entry_phys(ctx, e);
	}
	return NULL;
}
