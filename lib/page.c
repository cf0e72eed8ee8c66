// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * page.c - struct page and struct folio: pfn <-> page through vmemmap, the
 * folio of a page, its size, its mapping and its index, probed per kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "rmap_internal.h"

/* include/linux/page-flags.h: PAGE_MAPPING_* (7.x: FOLIO_MAPPING_*) */
#define MAPPING_ANON 0x1ull
#define MAPPING_MOVABLE 0x2ull	/* 7.x: FOLIO_MAPPING_ANON_KSM */
#define MAPPING_FLAGS 0x3ull
#define MAX_FOLIO_ORDER 30	/* PUD-sized hugetlb is order 18 */

struct vmacore_error *read_sym_u64(struct vmacore_ctx *ctx, const char *name,
				   size_t len, bool *found, uint64_t *ret)
{
	struct vmacore_error *err;
	uint64_t addr;
	uint32_t v32;

	*found = false;
	err = symbol_addr(ctx, name, &addr, NULL);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;
	if (err)
		return err;
	if (len == 4) {
		err = read_mem(ctx, addr, &v32, 4);
		*ret = v32;
	} else {
		err = read_mem(ctx, addr, ret, 8);
	}
	if (err)
		return vmacore_error_prefix(err, "cannot read %s", name);
	*found = true;
	return NULL;
}

/*
 * VMEMMAP_START: the value VMCOREINFO records ("SYMBOL(vmemmap)=%lx",
 * crash_save_vmcoreinfo_init() with CONFIG_SPARSEMEM_VMEMMAP), else the
 * architecture's own rule (arch_ops.vmemmap_default).  VMCOREINFO comes
 * first: a symbol named like the x86_64 variable may be another one (arm64's
 * KVM hypervisor objects have a vmemmap_base in their debug info).
 */
static struct vmacore_error *vmemmap_init(struct vmacore_ctx *ctx)
{
	struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	err = vmcoreinfo_u64(ctx, "SYMBOL(vmemmap)", 16, &found, &v);
	if (!err && !found)
		err = ctx->l.arch.ops->vmemmap_default(ctx, &v);
	if (err)
		return err;
	l->vmemmap_base = v;
	return NULL;
}

/*
 * What needs memory reads, not only types: the architecture's paging mode
 * (arch_ops.mem_init), vmemmap_base (KASLR), min_low_pfn and max_pfn.  Done
 * once, on first use.
 */
struct vmacore_error *rmap_mem_init(struct vmacore_ctx *ctx)
{
	struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	if (l->mem_done)
		return NULL;
	err = ctx->l.arch.ops->mem_init(ctx);
	if (err)
		return err;
	err = vmemmap_init(ctx);
	if (err)
		return err;
	/*
	 * Memory is [min_low_pfn, max_pfn) (mm/memblock.c); min_low_pfn is
	 * where RAM starts on arm64 (bootmem_init()), 0 on x86_64
	 */
	err = read_sym_u64(ctx, "min_low_pfn", 8, &found, &v);
	if (err)
		return err;
	l->min_low_pfn = found ? v : 0;
	err = read_sym_u64(ctx, "max_pfn", 8, &found, &v);
	if (err)
		return err;
	l->max_pfn = found ? v : 0;
	l->mem_done = true;
	return NULL;
}

struct vmacore_error *vmacore_page_from_pfn(struct vmacore_ctx *ctx,
					    uint64_t pfn, uint64_t *ret)
{
	struct vmacore_error *err = rmap_mem_init(ctx);
	uint64_t size = ctx->l.rmap.page_struct_size;

	if (err)
		return err;
	if (!size)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no struct page size");
	/* __pfn_to_page() with CONFIG_SPARSEMEM_VMEMMAP */
	if (pfn > (1ull << 40))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "pfn 0x%llx beyond 52-bit physical addresses",
					    (unsigned long long)pfn);
	/* not memory: no struct page to read (pfn_valid()) */
	if (pfn < ctx->l.rmap.min_low_pfn)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "pfn 0x%llx below min_low_pfn 0x%llx",
					    (unsigned long long)pfn,
					    (unsigned long long)ctx->l.rmap.min_low_pfn);
	if (ctx->l.rmap.max_pfn && pfn >= ctx->l.rmap.max_pfn)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "pfn 0x%llx beyond max_pfn 0x%llx",
					    (unsigned long long)pfn,
					    (unsigned long long)ctx->l.rmap.max_pfn);
	*ret = ctx->l.rmap.vmemmap_base + pfn * size;
	return NULL;
}

struct vmacore_error *vmacore_pfn_from_page(struct vmacore_ctx *ctx,
					    uint64_t page, uint64_t *ret)
{
	struct vmacore_error *err = rmap_mem_init(ctx);
	uint64_t size = ctx->l.rmap.page_struct_size;
	uint64_t base = ctx->l.rmap.vmemmap_base;

	if (err)
		return err;
	if (!size)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no struct page size");
	if (page < base || (page - base) % size ||
	    (page - base) / size > (1ull << 40))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "0x%llx is not a struct page in vmemmap (base 0x%llx, size %llu)",
					    (unsigned long long)page,
					    (unsigned long long)base,
					    (unsigned long long)size);
	*ret = (page - base) / size;
	return NULL;
}

/*
 * _compound_head(), include/linux/page-flags.h: bit 0 of compound_head
 * (7.x: compound_info) marks a tail page.  7.x with
 * HUGETLB_PAGE_OPTIMIZE_VMEMMAP and a power-of-2 struct page stores a mask
 * that turns the tail's address into the head's instead of a pointer.
 */
static struct vmacore_error *page_compound_head(struct vmacore_ctx *ctx,
						const struct mem_window *w,
						uint64_t page, uint64_t *ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	const struct field *f = l->page_compound_info.present ?
		&l->page_compound_info : &l->page_compound_head;
	struct vmacore_error *err;
	uint64_t info, m, size = l->page_struct_size;

	*ret = page;
	if (!f->present)
		return NULL;	/* no compound pages known: every page is a head */
	err = read_field_window(ctx, w, 1, page, f, &info);
	if (err)
		return vmacore_error_prefix(err, "cannot read compound head of page 0x%llx",
					    (unsigned long long)page);
	if (!(info & 1))
		return NULL;
	m = info & ~1ull;
	if (l->page_compound_info.present && !(size & (size - 1)) &&
	    m >> 63 && !((~m + 1) & ~m)) {
		/* a contiguous high mask: GENMASK(BITS_PER_LONG - 1, shift) */
		*ret = page & m;
	} else {
		*ret = m;
	}
	if (*ret > page || (page - *ret) / size > (1ull << MAX_FOLIO_ORDER) ||
	    (page - *ret) % size)
		return VMACORE_CORRUPT("page 0x%llx has compound head 0x%llx",
				       (unsigned long long)page,
				       (unsigned long long)*ret);
	return NULL;
}

/* folio_test_hugetlb() as each kernel does it */
static struct vmacore_error *folio_test_hugetlb(struct vmacore_ctx *ctx,
						const struct mem_window *w,
						struct vmacore_folio *f)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;
	uint64_t v;

	f->hugetlb = false;
	if (f->nr_pages < 2)
		return NULL;
	if (l->have_pgty_hugetlb && l->page_page_type.present) {
		/* FOLIO_TYPE_OPS(hugetlb): page_type >> 24 == PGTY_hugetlb */
		err = read_field_window(ctx, w, 1, f->folio,
					&l->page_page_type, &v);
		if (err)
			return err;
		f->hugetlb = ((v & 0xffffffff) >> 24) == (uint64_t)l->pgty_hugetlb;
	} else if (l->have_pg_hugetlb && l->folio__flags_1.present) {
		/* FOLIO_FLAG(hugetlb, FOLIO_SECOND_PAGE) */
		err = read_field_window(ctx, w, 1, f->folio,
					&l->folio__flags_1, &v);
		if (err)
			return err;
		f->hugetlb = (v >> l->pg_hugetlb) & 1;
	} else if (l->have_hugetlb_page_dtor && l->page_compound_dtor.present) {
		/* PageHeadHuge(): page[1].compound_dtor == HUGETLB_PAGE_DTOR */
		err = read_field_window(ctx, w, 1,
					f->folio + l->page_struct_size,
					&l->page_compound_dtor, &v);
		if (err)
			return err;
		f->hugetlb = v == (uint64_t)l->hugetlb_page_dtor;
	}
	return NULL;
}

/*
 * Pages that are never mapped to user space and whose ->mapping word means
 * something else: page_has_type() (buddy, page tables, slab since 6.10,
 * ...) and PG_slab before.  6.1: (int)page_type < PAGE_MAPCOUNT_RESERVE;
 * 6.10+: (int)page_type < PGTY_mapcount_underflow << 24.
 */
static struct vmacore_error *folio_test_typed(struct vmacore_ctx *ctx,
					      const struct mem_window *w,
					      struct vmacore_folio *f)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;
	int32_t limit;
	uint64_t v;

	if (l->have_pg_slab && (f->flags >> l->pg_slab) & 1) {
		f->kind = VMACORE_PAGE_TYPED;
		return NULL;
	}
	if (!l->page_page_type.present)
		return NULL;
	err = read_field_window(ctx, w, 1, f->folio, &l->page_page_type, &v);
	if (err)
		return err;
	limit = l->have_pgty_enum ?
		(int32_t)((uint32_t)l->pgty_mapcount_underflow << 24) : -128;
	if ((int32_t)(uint32_t)v < limit)
		f->kind = VMACORE_PAGE_TYPED;
	return NULL;
}

struct vmacore_error *read_field_window(struct vmacore_ctx *ctx,
					const struct mem_window *w, size_t n,
					uint64_t base, const struct field *f,
					uint64_t *ret)
{
	struct field at;
	size_t i;

	for (i = 0; w && i < n; i++) {
		if (!f->present || !w[i].bytes || base < w[i].addr ||
		    base - w[i].addr > w[i].len ||
		    (uint64_t)f->off + f->size > w[i].len - (base - w[i].addr))
			continue;
		if (f->size != 1 && f->size != 2 && f->size != 4 &&
		    f->size != 8)
			break;	/* read_field() says why */
		at = *f;
		at.off += base - w[i].addr;
		*ret = field_get(w[i].bytes, &at);
		return NULL;
	}
	return read_field(ctx, base, f, ret);
}

/*
 * The folio whose head is @f->folio, for @f->pfn: the head's flags,
 * mapping, index and size, from the head's bytes in @w where it has them.
 * Then, once the page is known to be inside it, folio_rest().
 */
static struct vmacore_error *folio_head(struct vmacore_ctx *ctx,
					const struct mem_window *w,
					struct vmacore_folio *ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_folio f = *ret;
	struct vmacore_error *err;
	uint64_t v;

	err = read_field_window(ctx, w, 1, f.folio, &l->folio_flags, &f.flags);
	if (!err)
		err = read_field_window(ctx, w, 1, f.folio, &l->folio_mapping,
					&f.mapping);
	if (!err)
		err = read_field_window(ctx, w, 1, f.folio, &l->folio_index,
					&f.pgoff);
	if (err)
		return vmacore_error_prefix(err, "cannot read folio 0x%llx of pfn 0x%llx",
					    (unsigned long long)f.folio,
					    (unsigned long long)f.pfn);

	/* folio_test_large(): PG_head */
	f.nr_pages = 1;
	if (l->have_pg_head && (f.flags >> l->pg_head) & 1) {
		if (l->folio__folio_nr_pages.present ||
		    l->folio__nr_pages.present) {
			/* folio_nr_pages() on 64-bit */
			err = read_field_window(ctx, w, 1, f.folio,
						l->folio__nr_pages.present ?
						&l->folio__nr_pages :
						&l->folio__folio_nr_pages, &v);
			if (err)
				return err;
			v &= 0xffffffff;
			f.nr_pages = v;
			for (f.order = 0; f.order < 64 &&
			     (1ull << f.order) < v; f.order++)
				;
		} else if (l->folio__folio_order.present ||
			   l->folio__flags_1.present) {
			/* folio_order(): _folio_order, or _flags_1 & 0xff */
			err = read_field_window(ctx, w, 1, f.folio,
						l->folio__folio_order.present ?
						&l->folio__folio_order :
						&l->folio__flags_1, &v);
			if (err)
				return err;
			f.order = v & 0xff;
			if (f.order > MAX_FOLIO_ORDER)
				return VMACORE_CORRUPT("folio 0x%llx has order %u",
						       (unsigned long long)f.folio,
						       f.order);
			f.nr_pages = 1ull << f.order;
		}
		if (f.nr_pages == 0 || f.nr_pages > (1ull << MAX_FOLIO_ORDER) ||
		    (f.nr_pages & (f.nr_pages - 1)))
			return VMACORE_CORRUPT("folio 0x%llx has %llu pages",
					       (unsigned long long)f.folio,
					       (unsigned long long)f.nr_pages);
	}
	*ret = f;
	return NULL;
}

/* What else depends on the head only: hugetlb, typed, the kind. */
static struct vmacore_error *folio_rest(struct vmacore_ctx *ctx,
					const struct mem_window *w,
					struct vmacore_folio *f)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;

	err = folio_test_hugetlb(ctx, w, f);
	if (err)
		return vmacore_error_prefix(err, "cannot test folio 0x%llx for hugetlb",
					    (unsigned long long)f->folio);
	if (!f->hugetlb) {
		err = folio_test_typed(ctx, w, f);
		if (err)
			return vmacore_error_prefix(err, "cannot read the page type of folio 0x%llx",
						    (unsigned long long)f->folio);
		if (f->kind == VMACORE_PAGE_TYPED)
			return NULL;
	}
	/* folio_pgoff(): 6.1 counted hugetlb indexes in huge pages */
	if (f->hugetlb && l->hugetlb_index_huge_units)
		f->pgoff <<= f->order;

	if (!f->mapping)
		f->kind = VMACORE_PAGE_NONE;
	else if ((f->mapping & MAPPING_FLAGS) == MAPPING_FLAGS)
		f->kind = VMACORE_PAGE_KSM;
	else if (f->mapping & MAPPING_ANON)
		f->kind = VMACORE_PAGE_ANON;
	else if (f->mapping & MAPPING_MOVABLE)
		f->kind = VMACORE_PAGE_MOVABLE;
	else
		f->kind = VMACORE_PAGE_FILE;
	return NULL;
}

/* pfn - folio_pfn < nr_pages: a tail that names a smaller head lies */
static struct vmacore_error *folio_check_page(const struct vmacore_folio *f)
{
	if (f->pfn - f->folio_pfn >= f->nr_pages)
		return VMACORE_CORRUPT("pfn 0x%llx is beyond its folio 0x%llx of %llu pages",
				       (unsigned long long)f->pfn,
				       (unsigned long long)f->folio,
				       (unsigned long long)f->nr_pages);
	return NULL;
}

/*
 * The bytes of struct folio the decoding reads: the head's struct page
 * and, for a large folio, the members kept in the next ones (_flags_1,
 * _nr_pages, _entire_mapcount, page[1].compound_mapcount ...).
 */
static uint32_t folio_head_span(const struct vmacore_ctx *ctx)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	const struct layout_smaps *m = &ctx->l.smaps;
	uint64_t size = l->page_struct_size, span = size;
	const struct field *f[] = {
		&l->folio__folio_nr_pages, &l->folio__nr_pages,
		&l->folio__folio_order, &l->folio__flags_1,
		&m->folio__entire_mapcount, &m->folio__large_mapcount,
	};
	const struct field *p1[] = {
		&l->page_compound_dtor, &m->page_compound_mapcount,
		&l->page_flags,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(f); i++)
		if (f[i]->present && f[i]->off + f[i]->size > span)
			span = f[i]->off + f[i]->size;
	for (i = 0; i < ARRAY_SIZE(p1); i++)
		if (p1[i]->present && size + p1[i]->off + p1[i]->size > span)
			span = size + p1[i]->off + p1[i]->size;
	return span > WALK_FOLIO_BYTES ? WALK_FOLIO_BYTES : span;
}

static struct walk_folio *walk_folio_slot(struct walk_cache *wc,
					  uint64_t head)
{
	return &wc->folios[(head >> 6) % WALK_FOLIOS];
}

struct vmacore_error *folio_walk_read(struct vmacore_ctx *ctx,
				      struct walk_cache *wc, uint64_t pfn,
				      struct vmacore_folio *ret,
				      struct mem_window win_ret[2])
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct mem_window none[2] = { { 0 } }, *w = win_ret ? win_ret : none;
	uint64_t size = l->page_struct_size;
	struct walk_folio *slot = NULL;
	struct vmacore_error *err;
	struct vmacore_folio f;

	memset(&f, 0, sizeof(f));
	memset(w, 0, 2 * sizeof(*w));
	f.pfn = pfn;
	err = vmacore_page_from_pfn(ctx, pfn, &f.page);
	if (err)
		return err;
	if (!l->folio_flags.present || !l->folio_mapping.present ||
	    !l->folio_index.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no folio.flags/mapping/index");
	if (wc && size > WALK_FOLIO_BYTES)
		wc = NULL;
	if (wc) {
		/* a head held already: nothing to read */
		slot = walk_folio_slot(wc, f.page);
		if (slot->head == f.page) {
			*ret = slot->f;
			ret->pfn = pfn;
			ret->page = f.page;
			w[0] = (struct mem_window){ f.page, slot->len,
						    slot->bytes };
			w[1] = w[0];
			return NULL;
		}
		/*
		 * the page's own struct page, in one read, unless the last
		 * head read holds it (page[1] and on, under struct folio)
		 */
		slot = wc->last;
		if (slot && slot->head && f.page > slot->head &&
		    f.page + size <= slot->head + slot->len) {
			memcpy(wc->page, slot->bytes + (f.page - slot->head),
			       size);
			w[0] = (struct mem_window){ f.page, size, wc->page };
		} else {
			wc->page_reads++;
			err = read_mem(ctx, f.page, wc->page, size);
			if (err)
				vmacore_error_destroy(err);	/* by field */
			else
				w[0] = (struct mem_window){ f.page, size,
							    wc->page };
		}
	}
	err = page_compound_head(ctx, &w[0], f.page, &f.folio);
	if (err)
		return err;
	f.folio_pfn = pfn - (f.page - f.folio) / size;
	if (wc) {
		uint32_t span = folio_head_span(ctx), have = 0;

		slot = walk_folio_slot(wc, f.folio);
		if (slot->head == f.folio) {
			/* a tail of a head held already */
			struct vmacore_folio h = slot->f;

			h.pfn = pfn;
			h.page = f.page;
			err = folio_check_page(&h);
			if (err)
				return err;
			w[1] = (struct mem_window){ f.folio, slot->len,
						    slot->bytes };
			*ret = h;
			return NULL;
		}
		slot->head = 0;
		if (w[0].len && f.folio == f.page) {
			uint64_t flags;


			memcpy(slot->bytes, wc->page, size);
			have = size;
			/* a small folio is its struct page */
			if (!read_field_window(ctx, &w[0], 1, f.page,
					       &l->folio_flags, &flags) &&
			    !(l->have_pg_head && (flags >> l->pg_head) & 1))
				span = have;
		}
		if (span > have) {
			/* the rest of struct folio, in one read */
			wc->folio_reads++;
			err = read_mem(ctx, f.folio + have, slot->bytes + have,
				       span - have);
			if (err) {
				vmacore_error_destroy(err);
				span = have;
			}
		}
		w[1] = (struct mem_window){ f.folio, span, slot->bytes };
	}
	err = folio_head(ctx, &w[1], &f);
	if (!err)
		err = folio_check_page(&f);
	if (!err)
		err = folio_rest(ctx, &w[1], &f);
	if (err)
		return err;
	if (slot && w[1].len) {
		slot->head = f.folio;
		slot->f = f;
		slot->len = w[1].len;
		wc->last = slot;
	}
	*ret = f;
	return NULL;
}

struct vmacore_error *vmacore_folio_read(struct vmacore_ctx *ctx, uint64_t pfn,
					 struct vmacore_folio *ret)
{
	return folio_walk_read(ctx, NULL, pfn, ret, NULL);
}

/* xa_is_node(), xa_is_value(), xa_to_node(): include/linux/xarray.h */
#define XA_MAX_DEPTH 16

/*
 * xa_load() of @index in @mapping->i_pages, for the page cache folio the
 * kernel would find (filemap_get_entry()).  Shadow and swap entries (value
 * entries) and holes give 0.
 */
struct vmacore_error *page_cache_lookup(struct vmacore_ctx *ctx,
					uint64_t mapping, uint64_t index,
					uint64_t *folio_ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	struct vmacore_error *err;
	uint64_t entry, node, shift, slots;
	int depth;

	*folio_ret = 0;
	if (!l->address_space_i_pages.present || !l->xarray_xa_head.present ||
	    !l->xa_node_shift.present || !l->xa_node_slots.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no address_space.i_pages xarray");
	err = read_u64(ctx, mapping + l->address_space_i_pages.off +
		       l->xarray_xa_head.off, &entry);
	if (err)
		return err;
	slots = l->xa_node_slots.size / 8;
	/* xa_is_node(): the kernel's literal 4096, not PAGE_SIZE */
	for (depth = 0; (entry & 3) == 2 && entry > 4096; depth++) {
		if (depth >= XA_MAX_DEPTH)
			return VMACORE_CORRUPT("xarray of mapping 0x%llx deeper than %d",
					       (unsigned long long)mapping,
					       XA_MAX_DEPTH);
		node = entry - 2;
		err = read_field(ctx, node, &l->xa_node_shift, &shift);
		if (err)
			return err;
		if (shift >= 64 || !slots)
			return VMACORE_CORRUPT("xa_node 0x%llx has shift %llu",
					       (unsigned long long)node,
					       (unsigned long long)shift);
		err = read_u64(ctx, node + l->xa_node_slots.off +
			       8 * ((index >> shift) % slots), &entry);
		if (err)
			return err;
	}
	if (depth == 0 && index != 0)
		return NULL;	/* a single entry at the head is index 0 */
	if (!entry || (entry & 1) || (entry & 3) == 2)
		return NULL;	/* empty, value (shadow/swap), or internal */
	*folio_ret = entry;
	return NULL;
}
