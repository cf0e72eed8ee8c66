// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pgtable.c - the page-table walk of a user address space, through the
 * dumped kernel's architecture (arch.h: arch_x86_64.c, arch_arm64.c), and
 * the walk cache that makes a walk read each table page once.
 */
#include <stdlib.h>
#include <string.h>

#include "rmap_internal.h"

struct walk_cache *walk_cache_create(void)
{
	return calloc(1, sizeof(struct walk_cache));
}

void walk_cache_reset(struct walk_cache *wc)
{
	int i;

	if (!wc)
		return;
	for (i = 0; i < WALK_LEVELS; i++)
		wc->tables[i].valid = false;
	for (i = 0; i < WALK_FOLIOS; i++)
		wc->folios[i].head = 0;
	wc->pgd = 0;
	wc->last_end = 0;
}

void walk_cache_destroy(struct walk_cache *wc)
{
	int i;

	if (!wc)
		return;
	for (i = 0; i < WALK_LEVELS; i++)
		free(wc->tables[i].bytes);
	free(wc);
}

/*
 * The whole table holding entry @idx, read into the walk cache's slot of
 * @level: a PAGE_SIZE table, or arm64's top level, which has
 * arm64_top_entries entries (PTRS_PER_PGD; less than a page when the
 * kernel allocates the pgd from pgd_cache).  False: not cached (no
 * memory, or the whole table is not readable: the caller reads the one
 * entry, as without a cache, and gets its exact error).
 */
static bool walk_table_entry(struct vmacore_ctx *ctx, struct walk_cache *wc,
			     uint64_t table, uint64_t idx, int level, bool top,
			     uint64_t *ret)
{
	uint64_t nent = ctx->l.page_size / 8;
	struct vmacore_error *err;
	struct walk_table *t;

	if (level < 1 || level >= WALK_LEVELS)
		return false;
	if (top && ctx->l.arch.arm64_top_entries)
		nent = ctx->l.arch.arm64_top_entries;
	if (idx >= nent || nent * 8 > ctx->l.page_size)
		return false;
	t = &wc->tables[level];
	if (t->valid && t->table == table && t->top == top && idx < t->len / 8) {
		memcpy(ret, t->bytes + idx * 8, 8);
		return true;
	}
	if (wc->table_size != ctx->l.page_size) {
		int i;

		for (i = 0; i < WALK_LEVELS; i++) {
			free(wc->tables[i].bytes);
			wc->tables[i].bytes = NULL;
			wc->tables[i].valid = false;
		}
		wc->table_size = ctx->l.page_size;
	}
	if (!t->bytes)
		t->bytes = malloc(wc->table_size);
	if (!t->bytes)
		return false;
	t->valid = false;
	wc->table_reads++;
	err = top ? read_mem(ctx, table, t->bytes, nent * 8) :
		    read_phys(ctx, table, t->bytes, nent * 8);
	if (err) {
		vmacore_error_destroy(err);
		return false;
	}
	t->valid = true;
	t->table = table;
	t->top = top;
	t->len = nent * 8;
	memcpy(ret, t->bytes + idx * 8, 8);
	return true;
}

struct vmacore_error *pgtable_read_entry(struct vmacore_ctx *ctx,
					 uint64_t table, uint64_t idx,
					 int level, bool top, uint64_t vaddr,
					 uint64_t *ret)
{
	uint64_t addr = table + idx * 8;
	struct vmacore_error *err;

	if (ctx->walk && walk_table_entry(ctx, ctx->walk, table, idx, level,
					  top, ret))
		return NULL;
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

struct vmacore_error *pgtable_walk_lookup(struct vmacore_ctx *ctx,
					  struct walk_cache *wc, uint64_t pgd,
					  uint64_t vaddr,
					  struct vmacore_pte *ret)
{
	struct walk_cache *prev = ctx->walk;
	struct vmacore_error *err;

	ctx->walk = wc;
	err = vmacore_pgtable_lookup(ctx, pgd, vaddr, ret);
	ctx->walk = prev;
	return err;
}

uint64_t pgtable_walk_none_run(const struct vmacore_ctx *ctx,
			       const struct walk_cache *wc, uint64_t vaddr,
			       uint64_t max)
{
	const struct walk_table *t;
	uint64_t idx, n = 0;

	if (!wc)
		return 1;
	t = &wc->tables[1];
	if (!t->valid || t->top || t->len < 8 || (t->len & (t->len - 1)))
		return 1;
	idx = (vaddr >> ctx->l.page_shift) & (t->len / 8 - 1);
	while (n < max && idx + n < t->len / 8) {
		uint64_t e;

		memcpy(&e, t->bytes + (idx + n) * 8, 8);
		if (e)
			break;
		n++;
	}
	return n ? n : 1;
}
