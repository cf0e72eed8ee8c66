// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arch_arm64.c - arm64: the TTBR0 (user) page-table walk and the entry
 * bits, as arch/arm64/include/asm/pgtable{,-hwdef,-prot}.h define them.
 *
 * The shape comes from the dump, never from how vmacore was built: the
 * granule is VMCOREINFO PAGESIZE (4K, 16K, 64K); the user region is
 * 64 - T0SZ bits, and Linux programs T0SZ = T1SZ = 64 - vabits_actual
 * (VMCOREINFO NUMBER(TCR_EL1_T1SZ); else the vabits_actual variable; else
 * NUMBER(VA_BITS)); the levels follow ARM64_HW_PGTABLE_LEVELS().  A
 * kernel built for 52 bits that runs 48 (no LPA2 in the CPU) folds its top
 * level at run time (pgd_to_folded_p4d()): mm->pgd is then the table the
 * MMU starts from, as this walk does.
 *
 * The top level is read at mm->pgd (a linear-map address, which the target
 * translates), the levels below by physical address, as the MMU would.
 */
#include <string.h>

#include "rmap_internal.h"

/* pgtable-hwdef.h */
#define PTE_VALID (1ull << 0)
#define PTE_TABLE_BIT (1ull << 1)	/* PMD_TABLE_BIT: 0 at a block */
#define PTE_RDONLY (1ull << 7)		/* AP[2] */
#define PTE_AF (1ull << 10)
#define PTE_NG (1ull << 11)
#define PTE_DBM (1ull << 51)		/* PTE_WRITE (pgtable-prot.h) */
#define PTE_CONT (1ull << 52)
/* pgtable-prot.h: software bits */
#define PTE_DIRTY (1ull << 55)
#define PTE_SPECIAL (1ull << 56)
#define PTE_PROT_NONE (1ull << 58)	/* before 6.10, only when !PTE_VALID */
#define PMD_PRESENT_INVALID (1ull << 59)	/* before 6.10 */
#define PTE_PRESENT_INVALID PTE_NG	/* 6.10+, only when !PTE_VALID */

#define GENMASK(h, l) ((~0ull >> (63 - (h))) & (~0ull << (l)))

/*
 * Swap entries (__swp_type(), __swp_offset(), pgtable.h).  Before 6.10:
 * type in bits 3-7, offset in bits 8-57 (since 6.0's PTE_SWP_EXCLUSIVE in
 * bit 2; a maple-tree kernel, 6.1+, always has it).  From 6.10, with
 * PTE_PRESENT_INVALID moved onto bit 11: type in bits 6-10, offset in
 * bits 12-61.
 */
#define SWP_TYPE_BITS 5
#define SWP_OFFSET_BITS 50
#define SWP_TYPE_SHIFT_OLD 3
#define SWP_OFFSET_SHIFT_OLD 8
#define SWP_TYPE_SHIFT_NG 6
#define SWP_OFFSET_SHIFT_NG 12

/* ARM64_HW_PGTABLE_LEVELS(), pgtable-hwdef.h */
static unsigned int hw_pgtable_levels(unsigned int va_bits,
				      unsigned int page_shift)
{
	return (va_bits - 4) / (page_shift - 3);
}

/*
 * The walk's shape for a @va_bits user region; the output-address format:
 * LPA2 (TCR_EL1.DS) is what lets a 4K or 16K granule address 52 bits, and
 * the kernel enables both together (lpa2_is_enabled()); a 64K kernel built
 * with ARM64_PA_BITS_52 (MAX_PHYSMEM_BITS 52) keeps OA[51:48] in 15:12.
 */
static struct vmacore_error *arm64_geometry(struct vmacore_ctx *ctx,
					    unsigned int va_bits)
{
	struct layout_arch *a = &ctx->l.arch;
	unsigned int ps = ctx->l.page_shift, levels, top_shift;
	struct vmacore_error *err;
	uint64_t physbits;
	bool found;

	if (va_bits < 36 || va_bits > 52)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "arm64 with a %u-bit user address space",
					    va_bits);
	levels = hw_pgtable_levels(va_bits, ps);
	if (levels < 2 || levels > 5)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "arm64 with %u page-table levels",
					    levels);
	top_shift = ps + (ps - 3) * (levels - 1);
	a->arm64_va_bits = va_bits;
	a->arm64_levels = levels;
	a->arm64_top_entries = 1ull << (va_bits - top_shift);
	a->arm64_oa = ARM64_OA_48;
	if (ps != 16 && va_bits == 52) {
		a->arm64_oa = ARM64_OA_52_LPA2;
	} else if (ps == 16) {
		err = vmcoreinfo_u64(ctx, "NUMBER(MAX_PHYSMEM_BITS)", 10,
				     &found, &physbits);
		if (err)
			return err;
		if (found && physbits == 52)
			a->arm64_oa = ARM64_OA_52_LPA;
	}
	return NULL;
}

/*
 * Which bit marks a present entry without PTE_VALID.  Linux 6.10 ("arm64/mm:
 * Remove PTE_PROT_NONE bit", "arm64/mm: Move PTE_PRESENT_INVALID to
 * overlay PTE_NG") moved it from bit 58 (PTE_PROT_NONE) to bit 11, and the
 * swap type with it.  The same change rewrote PAGE_NONE, which the kernel
 * keeps as protection_map[VM_NONE] (arch/arm64/mm/mmap.c): bit 58 set
 * before, clear after.  Measured in Debian's arm64 vmlinux files: 6.1's
 * is 0x460000000000f82, 6.12's and 7.2's 0x60000000000f82.
 */
static struct vmacore_error *arm64_probe_present_invalid(struct vmacore_ctx *ctx)
{
	struct layout_arch *a = &ctx->l.arch;
	struct vmacore_error *err;
	uint64_t addr, none;

	err = symbol_addr(ctx, "protection_map", &addr, NULL);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;	/* unknown: non-valid entries are refused */
	if (!err)
		err = read_u64(ctx, addr, &none);
	if (err)
		return vmacore_error_prefix(err, "cannot read protection_map[VM_NONE]");
	if (none & PTE_VALID)
		return VMACORE_CORRUPT("protection_map[VM_NONE] 0x%llx is a valid entry",
				       (unsigned long long)none);
	a->arm64_present_invalid_ng = !(none & PTE_PROT_NONE);
	a->arm64_present_invalid_known = true;
	return NULL;
}

static struct vmacore_error *arm64_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_arch *a = &ctx->l.arch;
	unsigned int ps = ctx->l.page_shift;
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	if (!ctx->l.page_size_known)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "arm64 kernel without VMCOREINFO PAGESIZE: its granule is unknown");
	if (ps != 12 && ps != 14 && ps != 16)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "arm64 with %u-byte pages", 1u << ps);
	err = vmcoreinfo_u64(ctx, "NUMBER(kimage_voffset)", 0, &found, &v);
	if (!err)
		a->arm64_kimage_voffset = found ? v : 0;
	if (!err)
		err = vmcoreinfo_u64(ctx, "NUMBER(PHYS_OFFSET)", 0, &found, &v);
	if (!err)
		a->arm64_phys_offset = found ? v : 0;
	if (!err)
		err = vmcoreinfo_u64(ctx, "NUMBER(TCR_EL1_T1SZ)", 0, &found,
				     &v);
	if (err)
		return err;
	if (found) {
		if (v >= 64)
			return VMACORE_CORRUPT("VMCOREINFO NUMBER(TCR_EL1_T1SZ) is 0x%llx",
					       (unsigned long long)v);
		return arm64_geometry(ctx, 64 - v);
	}
	return NULL;	/* mem_init() reads vabits_actual */
}

/*
 * The PTE_PRESENT_INVALID probe; without NUMBER(TCR_EL1_T1SZ):
 * vabits_actual, else VA_BITS as built.
 */
static struct vmacore_error *arm64_mem_init(struct vmacore_ctx *ctx)
{
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	err = arm64_probe_present_invalid(ctx);
	if (err || ctx->l.arch.arm64_levels)
		return err;
	err = read_sym_u64(ctx, "vabits_actual", 8, &found, &v);
	if (!err && !found)
		err = vmcoreinfo_u64(ctx, "NUMBER(VA_BITS)", 10, &found, &v);
	if (err)
		return err;
	if (!found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "cannot tell the arm64 user address size: no VMCOREINFO NUMBER(TCR_EL1_T1SZ), vabits_actual nor NUMBER(VA_BITS)");
	return arm64_geometry(ctx, v > 64 ? 0 : (unsigned int)v);
}

/*
 * vmemmap (arch/arm64/include/asm/memory.h): (struct page *)VMEMMAP_START
 * - (memstart_addr >> PAGE_SHIFT); VMEMMAP_START from VMCOREINFO
 * (arch_crash_save_vmcoreinfo()), memstart_addr the variable, else
 * NUMBER(PHYS_OFFSET), which is memstart_addr.
 */
static struct vmacore_error *arm64_vmemmap_default(struct vmacore_ctx *ctx,
						   uint64_t *ret)
{
	struct vmacore_error *err;
	uint64_t start, memstart;
	bool found;

	err = vmcoreinfo_u64(ctx, "NUMBER(VMEMMAP_START)", 0, &found, &start);
	if (err)
		return err;
	if (!found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "cannot find vmemmap: no VMCOREINFO NUMBER(VMEMMAP_START)");
	err = read_sym_u64(ctx, "memstart_addr", 8, &found, &memstart);
	if (!err && !found)
		err = vmcoreinfo_u64(ctx, "NUMBER(PHYS_OFFSET)", 0, &found,
				     &memstart);
	if (err)
		return err;
	if (!found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "cannot find vmemmap: no memstart_addr nor VMCOREINFO NUMBER(PHYS_OFFSET)");
	*ret = start - (memstart >> ctx->l.page_shift) *
		       ctx->l.rmap.page_struct_size;
	return NULL;
}

/* __pte_to_phys() (and __pmd_to_phys(), ...) */
static uint64_t arm64_oa(const struct vmacore_ctx *ctx, uint64_t e)
{
	unsigned int ps = ctx->l.page_shift;

	switch (ctx->l.arch.arm64_oa) {
	case ARM64_OA_52_LPA2:	/* PTE_ADDR_LOW 49:PAGE_SHIFT, HIGH 9:8 */
		return (e & GENMASK(49, ps)) | ((e & GENMASK(9, 8)) << 42);
	case ARM64_OA_52_LPA:	/* PTE_ADDR_HIGH 15:12, shift 36 */
		return (e & GENMASK(47, ps)) | ((e & GENMASK(15, 12)) << 36);
	default:
		return e & GENMASK(47, ps);
	}
}

/*
 * pte_present() of an entry without PTE_VALID: PROT_NONE (NUMA hinting)
 * and a huge pmd being split (pmd_mkinvalid()) are present to the kernel.
 * 6.10+: pte_present_invalid(); before: PTE_PROT_NONE, and pmd_present()
 * also PMD_PRESENT_INVALID.
 */
static bool arm64_present_invalid(const struct vmacore_ctx *ctx, uint64_t e,
				  int level)
{
	if (ctx->l.arch.arm64_present_invalid_ng)
		return e & PTE_PRESENT_INVALID;
	return (e & PTE_PROT_NONE) ||
	       (level == 2 && (e & PMD_PRESENT_INVALID));
}

static void arm64_swap(const struct vmacore_ctx *ctx, uint64_t e,
		       struct vmacore_pte *ret)
{
	bool ng = ctx->l.arch.arm64_present_invalid_ng;
	unsigned int ts = ng ? SWP_TYPE_SHIFT_NG : SWP_TYPE_SHIFT_OLD;
	unsigned int os = ng ? SWP_OFFSET_SHIFT_NG : SWP_OFFSET_SHIFT_OLD;

	ret->swap = true;
	ret->swap_type = (e >> ts) & ((1u << SWP_TYPE_BITS) - 1);
	ret->swap_offset = (e >> os) & ((1ull << SWP_OFFSET_BITS) - 1);
}

/*
 * CONT_PTES and CONT_PMDS (pgtable-hwdef.h): how many entries one
 * contiguous range spans at the last level and the one above.
 */
static unsigned int arm64_cont_entries(unsigned int page_shift, int level)
{
	switch (page_shift) {
	case 12:
		return 16;
	case 14:
		return level == 1 ? 128 : 32;
	default:
		return 32;
	}
}

/* A leaf at @level: pte_pfn() plus the offset, pte_young(), pte_dirty() */
static void arm64_leaf(const struct vmacore_ctx *ctx, uint64_t e, int level,
		       uint64_t vaddr, uint64_t size, struct vmacore_pte *ret)
{
	uint64_t phys = arm64_oa(ctx, e) & ~(size - 1);

	ret->present = true;
	ret->page_size = size;
	/* each entry of a contiguous range holds its own part's address */
	if ((e & PTE_CONT) && level <= 2)
		ret->page_size = size * arm64_cont_entries(ctx->l.page_shift,
							   level);
	ret->pfn = (phys + (vaddr & (size - 1))) >> ctx->l.page_shift;
	ret->young = e & PTE_AF;
	/* pte_sw_dirty() || pte_hw_dirty(): DBM (PTE_WRITE) and !RDONLY */
	ret->dirty = (e & PTE_DIRTY) ||
		     ((e & PTE_DBM) && !(e & PTE_RDONLY));
	ret->special = e & PTE_SPECIAL;	/* pte_special() */
}

static struct vmacore_error *arm64_pgtable_lookup(struct vmacore_ctx *ctx,
						  uint64_t pgd, uint64_t vaddr,
						  struct vmacore_pte *ret)
{
	const struct layout_arch *a = &ctx->l.arch;
	unsigned int ps = ctx->l.page_shift, bits = ps - 3;
	int level, top = a->arm64_levels;
	uint64_t e, table, idx, nent, shift, size;
	struct vmacore_error *err;

	if (!top)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "arm64 page-table shape unknown");
	ret->level = top;
	/* beyond TTBR0's region the MMU faults at once */
	if (vaddr >> a->arm64_va_bits)
		return NULL;
	table = pgd;
	for (level = top; level >= 1; level--) {
		shift = ps + bits * (level - 1);
		nent = level == top ? a->arm64_top_entries : 1ull << bits;
		idx = (vaddr >> shift) & (nent - 1);
		err = pgtable_read_entry(ctx, table, idx, level, level == top,
					 vaddr, &e);
		if (err)
			return err;
		ret->entry = e;
		ret->level = level;
		size = 1ull << shift;
		if (!(e & PTE_VALID)) {
			if (level > 3 || !e)
				return NULL;
			if (!ctx->l.arch.arm64_present_invalid_known)
				return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
							    "cannot decode non-valid entry 0x%llx of 0x%llx: no protection_map to tell PTE_PROT_NONE from PTE_PRESENT_INVALID",
							    (unsigned long long)e,
							    (unsigned long long)vaddr);
			if (!arm64_present_invalid(ctx, e, level)) {
				arm64_swap(ctx, e, ret);
				return NULL;
			}
			/* present to the kernel: a leaf (pmd_trans_huge()) */
			if (level > 1 && (e & PTE_TABLE_BIT))
				return VMACORE_CORRUPT("level-%d entry 0x%llx of 0x%llx is an invalid table",
						       level,
						       (unsigned long long)e,
						       (unsigned long long)vaddr);
			arm64_leaf(ctx, e, level, vaddr, size, ret);
			return NULL;
		}
		if (level > 1 && (e & PTE_TABLE_BIT)) {
			table = arm64_oa(ctx, e) & ~((1ull << ps) - 1);
			continue;
		}
		/*
		 * A page needs descriptor type 0b11; blocks exist at levels 2
		 * and 3 (level 3 with a 16K or 64K granule only with 52-bit
		 * output addresses), and Linux makes none higher.
		 */
		if ((level == 1 && !(e & PTE_TABLE_BIT)) || level > 3 ||
		    (level == 3 && ps != 12 && a->arm64_oa == ARM64_OA_48))
			return VMACORE_CORRUPT("level-%d entry 0x%llx of 0x%llx is %s",
					       level, (unsigned long long)e,
					       (unsigned long long)vaddr,
					       level == 1 ? "a reserved descriptor" :
					       "a block where the MMU allows none");
		arm64_leaf(ctx, e, level, vaddr, size, ret);
		return NULL;
	}
	return NULL;
}

const struct arch_ops arch_arm64 = {
	.name = "arm64",
	.layout_init = arm64_layout_init,
	.mem_init = arm64_mem_init,
	.vmemmap_default = arm64_vmemmap_default,
	.pgtable_lookup = arm64_pgtable_lookup,
};
