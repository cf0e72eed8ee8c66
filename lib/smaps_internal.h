/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * smaps_internal.h - what smaps.c shares with pagemap.c.
 */
#ifndef VMACORE_SMAPS_INTERNAL_H
#define VMACORE_SMAPS_INTERNAL_H

#include "rmap_internal.h"

/* ctx->l.smaps, resolved on first use. */
struct vmacore_error *smaps_layout_init(struct vmacore_ctx *ctx);

/*
 * The mapcount of struct page @page of folio @f as this kernel counts it:
 * page_mapcount() (6.1 with __page_mapcount()'s compound rules),
 * folio_precise_page_mapcount() (6.13+).  Fields found in the @nw windows
 * @w (the page's and the head's bytes, read_field_window()) are not read
 * again.
 */
struct vmacore_error *smaps_page_mapcount(struct vmacore_ctx *ctx,
					  const struct vmacore_folio *f,
					  uint64_t page,
					  const struct mem_window *w,
					  size_t nw, int64_t *ret);

/* folio_mapcount() of a hugetlb folio (_large_mapcount + 1 since 6.10). */
struct vmacore_error *smaps_hugetlb_mapcount(struct vmacore_ctx *ctx,
					     const struct vmacore_folio *f,
					     const struct mem_window *w,
					     size_t nw, int64_t *ret);

/* Bytes mapped by one page-table entry at @level (1 = PTE). */
uint64_t smaps_level_span(const struct vmacore_ctx *ctx, int level);

#endif /* VMACORE_SMAPS_INTERNAL_H */
