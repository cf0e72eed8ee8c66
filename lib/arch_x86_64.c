// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arch_x86_64.c - x86_64: the page-table walk of a user address space and
 * what it needs from the dump.
 *
 * The top level is read at mm->pgd (a direct-map virtual address), the
 * levels below by physical address, as the MMU would.  4-level or 5-level
 * (la57) paging as the dumped kernel ran it; 1G and 2M leaves (_PAGE_PSE).
 */
#include <string.h>

#include "rmap_internal.h"

/* arch/x86/include/asm/pgtable_types.h */
#define _PAGE_PRESENT (1ull << 0)
#define _PAGE_ACCESSED (1ull << 5)
#define _PAGE_DIRTY (1ull << 6)
#define _PAGE_PSE (1ull << 7)
#define _PAGE_PROTNONE (1ull << 8)	/* _PAGE_BIT_GLOBAL when !present */
#define _PAGE_SPECIAL (1ull << 9)	/* _PAGE_BIT_SOFTW1 */
#define _PAGE_SOFT_DIRTY (1ull << 11)	/* _PAGE_BIT_SOFTW3 */
#define _PAGE_SWP_SOFT_DIRTY (1ull << 1)	/* _PAGE_RW in a swap entry */
#define _PAGE_SAVED_DIRTY (1ull << 58)	/* _PAGE_BIT_SOFTW5, _PAGE_DIRTY_BITS, 6.6+ */
/*
 * PTE_PFN_MASK with __PHYSICAL_MASK_SHIFT 52 and x86's 4 KiB pages; the
 * kernel also clears sme_me_mask (__sme_clr(), physical_mask) from it.
 */
#define PTE_PFN_MASK 0x000ffffffffff000ull
#define X86_PAGE_SHIFT 12
#define PTRS_PER_LEVEL 512
/* arch/x86/include/asm/pgtable_64.h: swap type in the top bits */
#define SWP_TYPE_BITS 5
#define SWP_OFFSET_FIRST_BIT 9	/* _PAGE_BIT_PROTNONE + 1 */
#define SWP_OFFSET_SHIFT (SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS)
/*
 * arch/x86/include/asm/pgtable_64_types.h: VMEMMAP_START is the constant
 * __VMEMMAP_BASE_L4 unless CONFIG_DYNAMIC_MEMORY_LAYOUT makes it the
 * variable vmemmap_base (which 5-level paging and KASLR both select).
 */
#define VMEMMAP_BASE_L4 0xffffea0000000000ull

static struct vmacore_error *x86_layout_init(struct vmacore_ctx *ctx __unused)
{
	return NULL;
}

/*
 * Whether the kernel runs 5-level paging, and sme_me_mask when VMCOREINFO
 * did not give it.
 */
static struct vmacore_error *x86_mem_init(struct vmacore_ctx *ctx)
{
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	/* pgtable_l5_enabled(): __pgtable_l5_enabled, or VMCOREINFO */
	err = read_sym_u64(ctx, "__pgtable_l5_enabled", 4, &found, &v);
	if (!err && !found)
		err = vmcoreinfo_u64(ctx, "NUMBER(pgtable_l5_enabled)", 10,
				     &found, &v);
	if (err)
		return err;
	ctx->l.arch.x86_la57 = found && v;

	/*
	 * sme_me_mask (arch/x86/mm/mem_encrypt_identity.c); without
	 * CONFIG_AMD_MEM_ENCRYPT the kernel defines it as 0
	 * (include/linux/mem_encrypt.h)
	 */
	if (!ctx->l.have_sme_mask) {
		err = read_sym_u64(ctx, "sme_me_mask", 8, &found, &v);
		if (err)
			return err;
		ctx->l.sme_mask = found ? v : 0;
		ctx->l.have_sme_mask = true;
	}
	return NULL;
}

/*
 * VMEMMAP_START (arch/x86/include/asm/pgtable_64_types.h): the variable
 * vmemmap_base with CONFIG_DYNAMIC_MEMORY_LAYOUT, else the constant, which
 * only a 4-level kernel can have.
 */
static struct vmacore_error *x86_vmemmap_default(struct vmacore_ctx *ctx,
						 uint64_t *ret)
{
	struct vmacore_error *err;
	bool found;

	err = read_sym_u64(ctx, "vmemmap_base", 8, &found, ret);
	if (err || found)
		return err;
	if (ctx->l.arch.x86_la57)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "cannot find vmemmap: 5-level paging but no VMCOREINFO SYMBOL(vmemmap) nor vmemmap_base symbol");
	*ret = VMEMMAP_BASE_L4;
	return NULL;
}

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

/* is_swap_pte(), __swp_type(), __swp_offset(): the offset is inverted */
static void x86_swap(uint64_t e, struct vmacore_pte *ret)
{
	ret->swap = true;
	ret->soft_dirty = e & _PAGE_SWP_SOFT_DIRTY;	/* pte_swp_soft_dirty() */
	ret->swap_type = e >> (64 - SWP_TYPE_BITS);
	ret->swap_offset = ~e << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT;
}

static struct vmacore_error *x86_pgtable_lookup(struct vmacore_ctx *ctx,
						uint64_t pgd, uint64_t vaddr,
						struct vmacore_pte *ret)
{
	struct vmacore_error *err;
	int level, top;
	uint64_t e, table, idx, shift, size;

	/* PAGE_SIZE is x86_64's only one: a dump that says otherwise */
	if (ctx->l.page_shift != X86_PAGE_SHIFT)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "page size %u: x86_64 page tables map 4096-byte pages",
					    1u << ctx->l.page_shift);
	top = ctx->l.arch.x86_la57 ? 5 : 4;
	table = pgd;
	for (level = top; level >= 1; level--) {
		shift = X86_PAGE_SHIFT + 9 * (level - 1);
		idx = (vaddr >> shift) & (PTRS_PER_LEVEL - 1);
		err = pgtable_read_entry(ctx, table, idx, level, level == top,
					 vaddr, &e);
		if (err)
			return err;
		ret->entry = e;
		ret->level = level;
		if (!entry_present(e, level)) {
			if (level == 1 && e)
				x86_swap(e, ret);
			return NULL;
		}
		size = 1ull << shift;
		if (level == 1 || ((level == 2 || level == 3) && (e & _PAGE_PSE))) {
			/* a leaf: pte, or a huge pmd/pud */
			uint64_t phys = entry_phys(ctx, e) & ~(size - 1);

			ret->present = true;
			ret->page_size = size;
			ret->pfn = (phys + (vaddr & (size - 1))) >>
				   ctx->l.page_shift;
			ret->young = e & _PAGE_ACCESSED;	/* pte_young() */
			ret->dirty = e & (_PAGE_DIRTY | _PAGE_SAVED_DIRTY);
			ret->special = e & _PAGE_SPECIAL;	/* pte_special() */
			ret->soft_dirty = e & _PAGE_SOFT_DIRTY;
			return NULL;
		}
		table = entry_phys(ctx, e);
	}
	return NULL;
}

const struct arch_ops arch_x86_64 = {
	.name = "x86_64",
	.layout_init = x86_layout_init,
	.mem_init = x86_mem_init,
	.vmemmap_default = x86_vmemmap_default,
	.pgtable_lookup = x86_pgtable_lookup,
};
