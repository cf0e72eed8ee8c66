// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pgtable.c - the page-table walk of a user address space, through the
 * dumped kernel's architecture (arch.h: arch_x86_64.c, arch_arm64.c).
 */
#include <string.h>

#include "rmap_internal.h"

struct vmacore_error *pgtable_read_entry(struct vmacore_ctx *ctx,
					 uint64_t table, uint64_t idx,
					 int level, bool top, uint64_t vaddr,
					 uint64_t *ret)
{
	uint64_t addr = table + idx * 8;
	struct vmacore_error *err;

	err = top ? read_mem(ctx, addr, ret, 8) : read_phys(ctx, addr, ret, 8);
	if (err)
		return vmacore_error_prefix(err, "cannot read level-%d page table entry of 0x%llx at %s 0x%llx",
					    level, (unsigned long long)vaddr,
					    top ? "virtual" : "physical",
					    (unsigned long long)addr);
	return NULL;
}

struct vmacore_error *vmacore_pgtable_lookup(struct vmacore_ctx *ctx,
					     uint64_t pgd, uint64_t vaddr,
					     struct vmacore_pte *ret)
{
	struct vmacore_error *err = rmap_mem_init(ctx);

	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	if (!pgd)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "mm has no page table");
	return ctx->l.arch.ops->pgtable_lookup(ctx, pgd, vaddr, ret);
}
