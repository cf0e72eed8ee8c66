/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arch.h - what differs between the architectures a dump can come from.
 *
 * DOC: the architecture layer
 *
 * Everything above the page tables (tasks, maple tree, interval trees,
 * vm_flags, rmap, core-dump rules) is the same on every architecture.  What
 * differs is how a user address becomes a page frame: the shape of the page
 * table (granule, levels, top-level size), the bits of an entry (present,
 * young, dirty, output address, swap entry, huge and contiguous leaves) and
 * where vmemmap lies.  Those are kernel concepts, not dump-format ones: the
 * dump layer (lib/dump/) translates kernel virtual addresses and reads
 * physical memory; this layer only reads page tables.
 *
 * The architecture is chosen from the dump (arch_layout_init(), arch.c),
 * never from how vmacore was built.  Each one is a struct arch_ops;
 * arch-specific state lives in struct layout_arch (layout.h).
 */
#ifndef VMACORE_ARCH_H
#define VMACORE_ARCH_H

#include <stdint.h>

struct vmacore_ctx;
struct vmacore_error;
struct vmacore_pte;

/*
 * struct arch_ops - one architecture.
 * @name: the kernel's name for it ("x86_64", "arm64").
 * @layout_init: at context creation, after PAGESIZE: what VMCOREINFO and
 *	symbols tell (no memory reads).  An UNSUPPORTED error refuses the dump.
 * @mem_init: on first use of the page tables (rmap_mem_init()), what needs
 *	memory reads (paging mode variables).
 * @vmemmap_default: VMEMMAP_START's pfn-0 address when VMCOREINFO
 *	SYMBOL(vmemmap) does not give it, by the architecture's own rule
 *	(x86_64: the vmemmap_base variable, else its constant); LOOKUP when
 *	it has none.
 * @pgtable_lookup: the walk of vmacore_pgtable_lookup() once @pgd is known
 *	not to be 0; fills every field of *@ret it can (see struct vmacore_pte).
 */
struct arch_ops {
	const char *name;
	struct vmacore_error *(*layout_init)(struct vmacore_ctx *ctx);
	struct vmacore_error *(*mem_init)(struct vmacore_ctx *ctx);
	struct vmacore_error *(*vmemmap_default)(struct vmacore_ctx *ctx,
						 uint64_t *ret);
	struct vmacore_error *(*pgtable_lookup)(struct vmacore_ctx *ctx,
						uint64_t pgd, uint64_t vaddr,
						struct vmacore_pte *ret);
};

extern const struct arch_ops arch_x86_64;
extern const struct arch_ops arch_arm64;

/*
 * arch_layout_init() - choose the architecture of the dumped kernel and
 * call its @layout_init (arch.c).  arm64: VMCOREINFO NUMBER(kimage_voffset)
 * or the kimage_voffset symbol; x86_64: NUMBER(phys_base),
 * SYMBOL(init_top_pgt) or the init_top_pgt symbol; a target that shows
 * neither is taken for x86_64 (the only architecture before arm64).
 */
struct vmacore_error *arch_layout_init(struct vmacore_ctx *ctx);

/*
 * pgtable_read_entry() - entry @idx of a level-@level table at @table
 * during the walk of @vaddr: the top level (the pgd) by kernel virtual
 * address, the levels below by physical address (pgtable.c).
 */
struct vmacore_error *pgtable_read_entry(struct vmacore_ctx *ctx,
					 uint64_t table, uint64_t idx,
					 int level, bool top, uint64_t vaddr,
					 uint64_t *ret);

/*
 * enum arm64_oa - where an arm64 descriptor keeps its output address
 * (__pte_to_phys(), arch/arm64/include/asm/pgtable.h).
 * @ARM64_OA_48: bits 47:PAGE_SHIFT.
 * @ARM64_OA_52_LPA: 64K granule with 52-bit PA (ARM64_PA_BITS_52 without
 *	LPA2): OA[51:48] in bits 15:12 (PTE_ADDR_HIGH, shift 36).
 * @ARM64_OA_52_LPA2: 4K/16K granule with LPA2 enabled (TCR_EL1.DS): bits
 *	49:PAGE_SHIFT, OA[51:50] in bits 9:8 (PTE_ADDR_HIGH, shift 42).
 */
enum arm64_oa {
	ARM64_OA_48,
	ARM64_OA_52_LPA,
	ARM64_OA_52_LPA2,
};

#endif /* VMACORE_ARCH_H */
