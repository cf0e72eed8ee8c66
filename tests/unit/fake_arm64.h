/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_arm64.h - an arm64 kernel in the fake target: the VMCOREINFO an
 * arm64 kernel writes (PAGESIZE, NUMBER(kimage_voffset), NUMBER(VA_BITS),
 * NUMBER(TCR_EL1_T1SZ), ...) and user page tables of any granule, built
 * the way arch/arm64/include/asm/pgtable-hwdef.h lays them out.
 *
 * Physical address P is fake address FAKE_PHYS_WINDOW + P (the linear
 * map), so mm->pgd of a table at P is FAKE_PHYS_WINDOW + P.
 */
#ifndef FAKE_ARM64_H
#define FAKE_ARM64_H

#include <stdbool.h>
#include <stdint.h>

#include "fake_kernel.h"

/* arm64 descriptor bits (pgtable-hwdef.h, pgtable-prot.h) */
#define A64_VALID	(1ull << 0)
#define A64_TABLE	(1ull << 1)	/* table, or page at the last level */
#define A64_RDONLY	(1ull << 7)
#define A64_AF		(1ull << 10)
#define A64_NG		(1ull << 11)
#define A64_DBM		(1ull << 51)
#define A64_CONT	(1ull << 52)
#define A64_DIRTY	(1ull << 55)
#define A64_PROT_NONE	(1ull << 58)
/* PAGE_NONE as protection_map[VM_NONE] holds it: 6.1 (measured), 6.10+ */
#define A64_PAGE_NONE_OLD 0x460000000000f82ull
#define A64_PAGE_NONE_NG  0x060000000000f82ull

struct fake_arm64 {
	struct fake_target *f;
	unsigned int page_shift;	/* 12, 14, 16 */
	unsigned int va_bits;		/* 64 - TCR_EL1_T1SZ */
	unsigned int physbits;		/* MAX_PHYSMEM_BITS (0: not given) */
	uint64_t page_none;		/* protection_map[0]; 0: no symbol */
	bool no_t1sz;			/* VMCOREINFO without TCR_EL1_T1SZ */
	bool no_pagesize;
	uint64_t next_phys;		/* table allocator */
};

/*
 * fake_arm64_init() - a fake target with the default layout, arm64's
 * symbols and physical memory; @a's shape fields are read when the
 * context is made (fake_arm64_ctx()), so set them in between.
 */
void fake_arm64_init(struct fake_arm64 *a, unsigned int page_shift,
		     unsigned int va_bits);
struct vmacore_error *fake_arm64_ctx(struct fake_arm64 *a,
				     struct vmacore_ctx **ret);
/* The walk's levels: ARM64_HW_PGTABLE_LEVELS(). */
unsigned int fake_arm64_levels(const struct fake_arm64 *a);
/* A zeroed page-table page (granule-sized); its physical address. */
uint64_t fake_arm64_table(struct fake_arm64 *a);
/* The descriptor bits that hold output address @phys (__phys_to_pte_val()). */
uint64_t fake_arm64_oa(const struct fake_arm64 *a, uint64_t phys);
/*
 * Write @entry at @level (1 = PTE) for @vaddr in the tables under
 * @pgd_phys, making the missing tables above it.
 */
void fake_arm64_set(struct fake_arm64 *a, uint64_t pgd_phys, uint64_t vaddr,
		    int level, uint64_t entry);

#endif /* FAKE_ARM64_H */
