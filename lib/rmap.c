// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rmap.c - the reverse map, offline: who maps this page.
 *
 * DOC: How the kernel finds the mappings of a page, and how we do
 *
 * The kernel never records "which page tables map this page".  It records,
 * per folio, where to look (folio->mapping) and at which offset
 * (folio->index), and rmap_walk() (mm/rmap.c) searches from there:
 *
 *   folio->mapping & 3 == 0   page cache, shmem, hugetlbfs: the
 *                             address_space's i_mmap, an interval tree of
 *                             VMAs keyed by page offset (rmap_walk_file());
 *   folio->mapping & 3 == 1   anonymous: mapping - 1 is the anon_vma, whose
 *                             rb_root is an interval tree of anon_vma_chains
 *                             naming every VMA that may hold pages of it
 *                             (rmap_walk_anon());
 *   folio->mapping & 3 == 3   KSM: mapping & ~3 is the ksm_stable_node; its
 *                             hlist of rmap items each name an anon_vma and
 *                             the address the page was merged at
 *                             (rmap_walk_ksm(), mm/ksm.c).
 *
 * Both trees are queried for [folio_pgoff(folio), folio_pgoff(folio) +
 * folio_nr_pages(folio) - 1], which covers THP and hugetlb folios; 6.1
 * counted hugetlb indexes in huge pages (hugetlb_basepage_index()), so
 * page.c converts when the kernel has that function.  The address of the
 * folio in each VMA is vma_address() (mm/internal.h), which returns vm_start
 * when the folio starts before the VMA; the page asked about lies at its own
 * offset inside the folio, and a VMA that maps other pages of the folio but
 * not this one is no answer for this page.
 *
 * Every candidate is only "may map" (the kernel follows each with
 * page_vma_mapped_walk()); we walk the mm's page table at the address and
 * report whether it holds exactly this pfn.  The processes of a VMA are
 * those whose task->mm is the VMA's vm_mm, found in the context's task
 * index (one pass over the task lists per context, task.c).
 *
 * The walk runs when the iterator is created, bounded (RMAP_MAX_HITS,
 * interval_tree.c's own bounds); duplicates (a VMA reached through two rmap
 * items of a KSM page) are removed.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rmap_internal.h"

struct rmap_cand {
	uint64_t mm;
	uint64_t vma;
	uint64_t vm_start;
	uint64_t vm_end;
	uint64_t vaddr;
	enum vmacore_rmap_kind kind;
	struct vmacore_pte pte;
	bool mapped;
	bool pte_unreadable;
};

struct rmap_owner {
	uint64_t mm;
	int32_t tgid;
	bool leader;
	char comm[VMACORE_COMM_LEN + 1];
};

struct vmacore_rmap_iter {
	struct vmacore_ctx *ctx;
	struct vmacore_folio folio;
	struct rmap_cand *cands;
	size_t ncands, cap;
	struct addr_set cand_seen;	/* (vma, vaddr) of each candidate */
	uint64_t tree_steps;		/* interval-tree node reads so far */
	struct rmap_owner *owners;
	size_t nowners, owners_cap;
	char *owners_lost;	/* why the owners may be incomplete */
	size_t pos;		/* next candidate */
	size_t owner_pos;	/* next owner of that candidate */
	bool owner_emitted;
};

#define F(type, member, name) { &ctx->l.rmap.name, type, member, false }

/*
 * The vm_area_struct members that are not only rmap's (vm_start, vm_end,
 * vm_pgoff, vm_mm, anon_vma) and mm_struct.pgd are resolved once in
 * ctx->l.mm (vma.c, mm.c), which is filled before this part.
 */
struct vmacore_error *rmap_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_rmap *l = &ctx->l.rmap;
	const struct field_spec fields[] = {
		F("rb_node", "__rb_parent_color", rb_node___rb_parent_color),
		F("rb_node", "rb_right", rb_node_rb_right),
		F("rb_node", "rb_left", rb_node_rb_left),
		F("rb_root_cached", "rb_root.rb_node", rb_root_cached_rb_node),
		F("rb_root_cached", "rb_leftmost", rb_root_cached_rb_leftmost),
		F("vm_area_struct", "shared.rb", vm_area_struct_shared_rb),
		F("vm_area_struct", "shared.rb_subtree_last",
		  vm_area_struct_shared_rb_subtree_last),
		F("vm_area_struct", "anon_vma_chain",
		  vm_area_struct_anon_vma_chain),
		F("anon_vma_chain", "vma", anon_vma_chain_vma),
		F("anon_vma_chain", "anon_vma", anon_vma_chain_anon_vma),
		F("anon_vma_chain", "same_vma", anon_vma_chain_same_vma),
		F("anon_vma_chain", "rb", anon_vma_chain_rb),
		F("anon_vma_chain", "rb_subtree_last",
		  anon_vma_chain_rb_subtree_last),
		F("anon_vma", "root", anon_vma_root),
		F("anon_vma", "parent", anon_vma_parent),
		F("anon_vma", "rb_root", anon_vma_rb_root),
		F("anon_vma", "num_children", anon_vma_num_children),
		F("anon_vma", "num_active_vmas", anon_vma_num_active_vmas),
		F("address_space", "i_mmap", address_space_i_mmap),
		F("address_space", "host", address_space_host),
		F("address_space", "i_pages", address_space_i_pages),
		F("address_space", "nrpages", address_space_nrpages),
		F("xarray", "xa_head", xarray_xa_head),
		F("xa_node", "shift", xa_node_shift),
		F("xa_node", "slots", xa_node_slots),
		F("page", "flags", page_flags),
		F("page", "compound_head", page_compound_head),
		F("page", "compound_info", page_compound_info),
		F("page", "mapping", page_mapping),
		F("page", "page_type", page_page_type),
		F("page", "compound_dtor", page_compound_dtor),
		F("folio", "flags", folio_flags),
		F("folio", "mapping", folio_mapping),
		F("folio", "index", folio_index),
		F("folio", "_folio_nr_pages", folio__folio_nr_pages),
		F("folio", "_nr_pages", folio__nr_pages),
		F("folio", "_folio_order", folio__folio_order),
		F("folio", "_flags_1", folio__flags_1),
		F("ksm_stable_node", "hlist", ksm_stable_node_hlist),
		F("ksm_stable_node", "rmap_hlist_len",
		  ksm_stable_node_rmap_hlist_len),
		F("ksm_rmap_item", "hlist", ksm_rmap_item_hlist),
		F("ksm_rmap_item", "anon_vma", ksm_rmap_item_anon_vma),
		F("ksm_rmap_item", "mm", ksm_rmap_item_mm),
		F("ksm_rmap_item", "address", ksm_rmap_item_address),
	};
	const struct {
		bool *have;
		int64_t *val;
		const char *name;
	} enums[] = {
		{ &l->have_pg_head, &l->pg_head, "PG_head" },
		{ &l->have_pgty_hugetlb, &l->pgty_hugetlb, "PGTY_hugetlb" },
		{ &l->have_pg_slab, &l->pg_slab, "PG_slab" },
		{ &l->have_pg_hugetlb, &l->pg_hugetlb, "PG_hugetlb" },
		{ &l->have_hugetlb_page_dtor, &l->hugetlb_page_dtor,
		  "HUGETLB_PAGE_DTOR" },
	};
	struct vmacore_error *err;
	uint64_t addr;
	size_t i;

	err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(enums); i++) {
		err = enum_value(ctx, enums[i].name, enums[i].val);
		*enums[i].have = !err;
		error_catch(&err, VMACORE_ERROR_LOOKUP);
		if (err)
			return vmacore_error_prefix(err, "cannot resolve %s",
						    enums[i].name);
	}
	{
		int64_t v;

		err = enum_value(ctx, "PGTY_mapcount_underflow", &v);
		l->have_pgty_enum = !err;
		l->pgty_mapcount_underflow = err ? 0 : v;
		error_catch(&err, VMACORE_ERROR_LOOKUP);
		if (err)
			return err;
	}
	err = type_size_init(ctx, &l->page_struct_size, "page", false);
	if (err)
		return err;
	/*
	 * Linux kernel commit a08c7193e4f1 ("mm/filemap: remove hugetlb
	 * special casing in filemap.c") (in v6.7) made hugetlb folio->index
	 * count base pages and removed hugetlb_basepage_index().
	 */
	err = symbol_addr(ctx, "hugetlb_basepage_index", &addr, NULL);
	l->hugetlb_index_huge_units = !err;
	error_catch(&err, VMACORE_ERROR_LOOKUP);
	return err;
}

#undef F

/* ------------------------------------------------------------------------ */

struct vmacore_error *vmacore_mm_tasks(struct vmacore_ctx *ctx, uint64_t mm,
				       struct vmacore_task *ret, size_t max,
				       size_t *count_ret)
{
	const struct vmacore_task *t;
	struct vmacore_error *err, *lost;
	size_t n = 0, i;
	uint32_t pos;

	/* the task index: one walk of the task lists per context */
	err = task_index_mm(ctx, mm, &pos, &lost);
	if (err)
		return err;
	err = lost;
	while ((t = task_index_next(ctx, &pos))) {
		for (i = 0; i < n && i < max; i++)
			if (ret[i].tgid == t->tgid)
				break;
		if (i < n && i < max) {
			if (t->is_leader)
				ret[i] = *t;
			continue;
		}
		if (n < max)
			ret[n] = *t;
		n++;
	}
	/* a damaged thread list costs only what it could hold */
	if (err && err->code != VMACORE_ERROR_INCOMPLETE)
		return err;
	*count_ret = n;
	if (err)
		return vmacore_error_prefix(err, "the tasks of mm 0x%llx may be incomplete",
					    (unsigned long long)mm);
	return NULL;
}

static struct vmacore_error *rmap_add(struct vmacore_rmap_iter *it,
				      const struct rmap_cand *c)
{
	struct vmacore_error *err;
	bool added;

	if (it->ncands >= RMAP_MAX_HITS)
		return VMACORE_CORRUPT("more than %u rmap candidates for pfn 0x%llx",
				       RMAP_MAX_HITS,
				       (unsigned long long)it->folio.pfn);
	if (it->ncands == it->cap) {
		size_t cap = it->cap ? 2 * it->cap : 16;
		struct rmap_cand *p = realloc(it->cands, cap * sizeof(*p));

		if (!p)
			return &vmacore_enomem;
		it->cands = p;
		it->cap = cap;
	}
	/* A hash, not a scan: a crafted dump can offer 2^20 candidates. */
	err = addr_set_add(&it->cand_seen, c->vma, c->vaddr, NULL, &added);
	if (err || !added)
		return err;
	it->cands[it->ncands++] = *c;
	return NULL;
}

/* The VMA fields a candidate needs, read directly by offset. */
static struct vmacore_error *rmap_vma_read(struct vmacore_ctx *ctx,
					   uint64_t vma, struct rmap_cand *c,
					   uint64_t *pgoff_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;

	memset(c, 0, sizeof(*c));
	c->vma = vma;
	err = read_field(ctx, vma, &l->vm_area_struct_vm_start, &c->vm_start);
	if (!err)
		err = read_field(ctx, vma, &l->vm_area_struct_vm_end,
				 &c->vm_end);
	if (!err)
		err = read_field(ctx, vma, &l->vm_area_struct_vm_pgoff,
				 pgoff_ret);
	if (!err)
		err = read_field(ctx, vma, &l->vm_area_struct_vm_mm, &c->mm);
	if (err)
		return vmacore_error_prefix(err, "cannot read vma 0x%llx",
					    (unsigned long long)vma);
	return NULL;
}

/*
 * vma_address(), mm/internal.h: the first address of [pgoff, pgoff +
 * nr_pages) in @vma, vm_start when the range starts before the VMA, or
 * -EFAULT.  Kept for the record; the caller places the page itself.
 */
static uint64_t vma_address(uint64_t vm_start, uint64_t vm_end,
			    uint64_t vm_pgoff, uint64_t pgoff,
			    uint64_t nr_pages, unsigned int page_shift)
{
	uint64_t address;

	if (pgoff >= vm_pgoff) {
		address = vm_start + ((pgoff - vm_pgoff) << page_shift);
		/* Check for address beyond vma (or wrapped through 0?) */
		if (address < vm_start || address >= vm_end)
			return (uint64_t)-14;
	} else if (pgoff + nr_pages - 1 >= vm_pgoff) {
		address = vm_start;
	} else {
		return (uint64_t)-14;
	}
	return address;
}

/* An interval tree hit: place the asked page in this VMA. */
static struct vmacore_error *rmap_add_vma(struct vmacore_rmap_iter *it,
					  uint64_t vma,
					  enum vmacore_rmap_kind kind)
{
	const struct vmacore_folio *f = &it->folio;
	unsigned int shift = it->ctx->l.page_shift;
	struct vmacore_error *err;
	struct rmap_cand c;
	uint64_t vm_pgoff, page_pgoff, addr;

	err = rmap_vma_read(it->ctx, vma, &c, &vm_pgoff);
	if (err)
		return err;
	c.kind = kind;
	addr = vma_address(c.vm_start, c.vm_end, vm_pgoff, f->pgoff,
			   f->nr_pages, shift);
	if (addr == (uint64_t)-14)
		return VMACORE_CORRUPT("vma 0x%llx in the rmap tree does not cover pgoff 0x%llx",
				       (unsigned long long)vma,
				       (unsigned long long)f->pgoff);
	/* the page itself, at its index inside the folio */
	page_pgoff = f->pgoff + (f->pfn - f->folio_pfn);
	if (page_pgoff < vm_pgoff)
		return NULL;
	c.vaddr = c.vm_start + ((page_pgoff - vm_pgoff) << shift);
	if (c.vaddr < c.vm_start || c.vaddr >= c.vm_end)
		return NULL;
	return rmap_add(it, &c);
}

/*
 * Part of the answer is unknown: add @fmt's reason to owners_lost (the
 * iterator's partial verdict, joined by "; ").  Return: NULL or NOMEM.
 */
static struct vmacore_error *rmap_note_loss(struct vmacore_rmap_iter *it,
					    const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static struct vmacore_error *rmap_note_loss(struct vmacore_rmap_iter *it,
					    const char *fmt, ...)
{
	char *msg, *joined;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &vmacore_enomem;
	if (!it->owners_lost) {
		it->owners_lost = msg;
		return NULL;
	}
	n = asprintf(&joined, "%s; %s", it->owners_lost, msg);
	free(msg);
	if (n < 0)
		return &vmacore_enomem;
	free(it->owners_lost);
	it->owners_lost = joined;
	return NULL;
}

static struct vmacore_error *rmap_walk_tree(struct vmacore_rmap_iter *it,
					    bool anon, uint64_t root_obj,
					    uint64_t first, uint64_t last,
					    uint64_t ksm_addr)
{
	struct vmacore_interval_iter *vi;
	struct vmacore_interval_hit h;
	struct vmacore_error *err, *lost;
	struct rmap_cand c;
	uint64_t pgoff, nlost;

	err = anon ? vmacore_anon_iter_create(it->ctx, root_obj, first, last,
					      &vi) :
		     vmacore_imap_iter_create(it->ctx, root_obj, first, last,
					      &vi);
	if (err)
		return err;
	interval_iter_keep_going(vi);
	while (!(err = vmacore_interval_iter_next(vi, &h))) {
		if (ksm_addr == (uint64_t)-1) {
			err = rmap_add_vma(it, h.vma, anon ? VMACORE_RMAP_ANON :
					   VMACORE_RMAP_FILE);
		} else {
			/* rmap_walk_ksm(): VMAs covering the item's address */
			err = rmap_vma_read(it->ctx, h.vma, &c, &pgoff);
			if (err)
				break;
			if (ksm_addr < c.vm_start || ksm_addr >= c.vm_end)
				continue;
			c.kind = VMACORE_RMAP_KSM;
			c.vaddr = ksm_addr;
			err = rmap_add(it, &c);
		}
		if (err)
			break;
	}
	/*
	 * One budget for the whole query: a KSM page may send us through
	 * up to RMAP_MAX_HITS trees, each bounded on its own.
	 */
	it->tree_steps += interval_iter_steps(vi);
	lost = interval_iter_take_lost(vi, &nlost);
	vmacore_interval_iter_destroy(vi);
	if (lost) {
		/* the VMAs found stand; those of the lost subtrees are unknown */
		struct vmacore_error *e;

		e = rmap_note_loss(it, "%s tree of 0x%llx: %llu subtree%s not read (%s)",
				   anon ? "anon_vma" : "i_mmap",
				   (unsigned long long)root_obj,
				   (unsigned long long)nlost,
				   nlost == 1 ? "" : "s", lost->message);
		vmacore_error_destroy(lost);
		if (e) {
			if (err != &vmacore_stop)
				vmacore_error_destroy(err);
			return e;
		}
	}
	if (err == &vmacore_stop && it->tree_steps > RMAP_MAX_TREE_STEPS)
		return VMACORE_CORRUPT("rmap of pfn 0x%llx needs more than %llu interval-tree steps",
				       (unsigned long long)it->folio.pfn,
				       (unsigned long long)RMAP_MAX_TREE_STEPS);
	return err == &vmacore_stop ? NULL : err;
}

/* rmap_walk_ksm(), mm/ksm.c */
static struct vmacore_error *rmap_walk_ksm(struct vmacore_rmap_iter *it)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_rmap *l = &ctx->l.rmap;
	uint64_t stable = it->folio.mapping & ~3ull, pos, item, anon_vma, addr;
	uint64_t len, max = RMAP_MAX_HITS, tortoise = 0, power = 1, lam = 0;
	struct vmacore_error *err;
	size_t n;

	if (!l->ksm_stable_node_hlist.present ||
	    !l->ksm_rmap_item_hlist.present ||
	    !l->ksm_rmap_item_anon_vma.present ||
	    !l->ksm_rmap_item_address.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no ksm_stable_node/ksm_rmap_item layout");
	if (l->ksm_stable_node_rmap_hlist_len.present) {
		err = read_field(ctx, stable, &l->ksm_stable_node_rmap_hlist_len,
				 &len);
		if (err)
			return vmacore_error_prefix(err, "cannot read ksm_stable_node 0x%llx",
						    (unsigned long long)stable);
		if ((int32_t)len < 0)
			return VMACORE_CORRUPT("folio's ksm_stable_node 0x%llx is a chain (rmap_hlist_len %d)",
					       (unsigned long long)stable,
					       (int32_t)len);
		/* the kernel counts the items of the hlist */
		if ((uint32_t)len < max)
			max = (uint32_t)len;
	}
	/* hlist_for_each_entry(rmap_item, &stable_node->hlist, hlist) */
	err = read_u64(ctx, stable + l->ksm_stable_node_hlist.off, &pos);
	for (n = 0; !err && pos; n++) {
		if (n >= max)
			return VMACORE_CORRUPT("ksm_stable_node 0x%llx: more than %llu rmap items (cycle?)",
					       (unsigned long long)stable,
					       (unsigned long long)max);
		item = pos - l->ksm_rmap_item_hlist.off;
		err = read_field(ctx, item, &l->ksm_rmap_item_anon_vma,
				 &anon_vma);
		if (!err)
			err = read_field(ctx, item, &l->ksm_rmap_item_address,
					 &addr);
		if (err)
			return vmacore_error_prefix(err, "cannot read ksm_rmap_item 0x%llx",
						    (unsigned long long)item);
		/* Ignore the stable/unstable/sqnr flags */
		addr &= ~(ctx->l.page_size - 1);
		if (anon_vma) {
			err = rmap_walk_tree(it, true, anon_vma, 0, UINT64_MAX,
					     addr);
			if (err)
				return vmacore_error_prefix(err, "ksm_rmap_item 0x%llx",
							    (unsigned long long)item);
		}
		err = read_u64(ctx, pos, &pos);	/* hlist_node.next */
		/* Brent: a loop would walk the anon_vma tree up to max times */
		if (!err && pos && pos == tortoise)
			return VMACORE_CORRUPT("ksm_stable_node 0x%llx: rmap item list loops at 0x%llx",
					       (unsigned long long)stable,
					       (unsigned long long)pos);
		if (++lam == power) {
			tortoise = pos;
			power *= 2;
			lam = 0;
		}
	}
	if (err)
		return vmacore_error_prefix(err, "cannot walk ksm_stable_node 0x%llx",
					    (unsigned long long)stable);
	return NULL;
}

/*
 * The processes of each candidate's mm, from the task index (one walk of
 * the task lists per context, not one per query): the first task of each
 * (mm, tgid), its comm the leader's when the leader uses the mm too.
 */
static struct vmacore_error *rmap_owners(struct vmacore_rmap_iter *it)
{
	const struct vmacore_task *t;
	struct vmacore_error *err, *lost = NULL;
	struct addr_set mms = {0}, seen = {0};
	struct rmap_owner *o;
	uint64_t *index;
	uint32_t pos;
	bool added;
	size_t i;

	/* Hashes, not scans: tasks and candidates both come from the dump. */
	for (i = 0, err = NULL; i < it->ncands && !err; i++) {
		err = addr_set_add(&mms, it->cands[i].mm, 0, NULL, &added);
		if (err || !added)
			continue;
		vmacore_error_destroy(lost);
		err = task_index_mm(it->ctx, it->cands[i].mm, &pos, &lost);
		while (!err && (t = task_index_next(it->ctx, &pos))) {
			/* index: 1 + the owner's position in it->owners */
			err = addr_set_add(&seen, t->mm, (uint32_t)t->tgid,
					   &index, &added);
			if (err)
				break;
			if (!added) {
				o = &it->owners[*index - 1];
				if (t->is_leader && !o->leader) {
					o->leader = true;
					memcpy(o->comm, t->comm,
					       sizeof(t->comm));
				}
				continue;
			}
			if (it->nowners == it->owners_cap) {
				size_t cap = it->owners_cap ?
					     2 * it->owners_cap : 16;

				if (cap > RMAP_MAX_HITS) {
					err = VMACORE_CORRUPT("too many tasks");
					break;
				}
				o = realloc(it->owners, cap * sizeof(*o));
				if (!o) {
					err = &vmacore_enomem;
					break;
				}
				it->owners = o;
				it->owners_cap = cap;
			}
			*index = it->nowners + 1;
			o = &it->owners[it->nowners++];
			o->mm = t->mm;
			o->tgid = t->tgid;
			o->leader = t->is_leader;
			memcpy(o->comm, t->comm, sizeof(t->comm));
		}
	}
	addr_set_deinit(&mms);
	addr_set_deinit(&seen);
	if (err) {
		vmacore_error_destroy(lost);
		return err;
	}
	/* a damaged thread list costs only what it could hold */
	return lost;
}

/* page_vma_mapped_walk() in spirit: does the page table map this pfn? */
static struct vmacore_error *rmap_check_mapped(struct vmacore_rmap_iter *it,
					       struct rmap_cand *c)
{
	struct vmacore_ctx *ctx = it->ctx;
	struct vmacore_error *err;
	uint64_t pgd;

	err = read_field(ctx, c->mm, &ctx->l.mm.mm_struct_pgd, &pgd);
	if (!err)
		err = vmacore_pgtable_lookup(ctx, pgd, c->vaddr, &c->pte);
	if (err && (err->code == VMACORE_ERROR_NODATA ||
		    err->code == VMACORE_ERROR_FAULT)) {
		/* one candidate unknown, not the whole answer lost */
		vmacore_log(ctx, "pfn 0x%llx: cannot walk the page table of mm 0x%llx at 0x%llx: %s",
			    (unsigned long long)it->folio.pfn,
			    (unsigned long long)c->mm,
			    (unsigned long long)c->vaddr, err->message);
		vmacore_error_destroy(err);
		memset(&c->pte, 0, sizeof(c->pte));
		c->pte_unreadable = true;
		c->mapped = false;
		return NULL;
	}
	if (err)
		return vmacore_error_prefix(err, "cannot walk the page table of mm 0x%llx",
					    (unsigned long long)c->mm);
	c->mapped = c->pte.present && c->pte.pfn == it->folio.pfn;
	return NULL;
}

struct vmacore_error *vmacore_rmap_iter_create(struct vmacore_ctx *ctx,
					       uint64_t pfn,
					       struct vmacore_folio *folio_ret,
					       struct vmacore_rmap_iter **ret)
{
	struct vmacore_rmap_iter *it;
	struct vmacore_error *err;
	const struct vmacore_folio *f;
	size_t i;

	it = calloc(1, sizeof(*it));
	if (!it)
		return &vmacore_enomem;
	it->ctx = ctx;
	err = vmacore_folio_read(ctx, pfn, &it->folio);
	if (err)
		goto fail;
	f = &it->folio;
	switch (f->kind) {
	case VMACORE_PAGE_FILE:
		/* rmap_walk_file() */
		err = rmap_walk_tree(it, false, f->mapping, f->pgoff,
				     f->pgoff + f->nr_pages - 1, (uint64_t)-1);
		break;
	case VMACORE_PAGE_ANON:
		/* rmap_walk_anon(): folio_anon_vma() */
		err = rmap_walk_tree(it, true, f->mapping & ~3ull, f->pgoff,
				     f->pgoff + f->nr_pages - 1, (uint64_t)-1);
		break;
	case VMACORE_PAGE_KSM:
		err = rmap_walk_ksm(it);
		break;
	default:
		break;
	}
	if (err)
		goto fail;
	for (i = 0; i < it->ncands; i++) {
		err = rmap_check_mapped(it, &it->cands[i]);
		if (err)
			goto fail;
	}
	err = rmap_owners(it);
	if (err == &vmacore_enomem)
		goto fail;
	if (err) {
		/* the hits stand; which tasks own them may be incomplete */
		struct vmacore_error *lost = err;

		err = rmap_note_loss(it, "the tasks of the mms mapping pfn 0x%llx may be incomplete: %s",
				     (unsigned long long)pfn, lost->message);
		vmacore_error_destroy(lost);
		if (err)
			goto fail;
	}
	if (folio_ret)
		*folio_ret = it->folio;
	*ret = it;
	return NULL;
fail:
	vmacore_rmap_iter_destroy(it);
	return vmacore_error_prefix(err, "cannot reverse-map pfn 0x%llx",
				    (unsigned long long)pfn);
}

struct vmacore_error *vmacore_rmap_iter_next(struct vmacore_rmap_iter *it,
					     struct vmacore_rmap_hit *ret)
{
	const struct rmap_cand *c;
	const struct rmap_owner *o;

	while (it->pos < it->ncands) {
		c = &it->cands[it->pos];
		while (it->owner_pos < it->nowners) {
			o = &it->owners[it->owner_pos++];
			if (o->mm != c->mm)
				continue;
			it->owner_emitted = true;
			goto emit;
		}
		o = NULL;
		it->pos++;
		it->owner_pos = 0;
		if (!it->owner_emitted)
			goto emit;
		it->owner_emitted = false;
		continue;
emit:
		memset(ret, 0, sizeof(*ret));
		ret->pid = o ? o->tgid : -1;
		if (o)
			memcpy(ret->comm, o->comm, sizeof(ret->comm));
		ret->mm = c->mm;
		ret->vma = c->vma;
		ret->vm_start = c->vm_start;
		ret->vm_end = c->vm_end;
		ret->vaddr = c->vaddr;
		ret->mapped = c->mapped;
		ret->pte_unreadable = c->pte_unreadable;
		ret->pte = c->pte;
		ret->kind = c->kind;
		return NULL;
	}
	return &vmacore_stop;
}

void vmacore_rmap_iter_destroy(struct vmacore_rmap_iter *it)
{
	if (!it)
		return;
	free(it->cands);
	addr_set_deinit(&it->cand_seen);
	free(it->owners);
	free(it->owners_lost);
	free(it);
}

const char *vmacore_rmap_iter_owners_lost(const struct vmacore_rmap_iter *it)
{
	return it->owners_lost;
}

/* ------------------------------------------------------------------------ */

struct vmacore_error *vmacore_anon_chain(struct vmacore_ctx *ctx,
					 uint64_t vma_addr,
					 struct vmacore_avc *ret, size_t max,
					 size_t *count_ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	uint64_t head, pos, avc;
	struct vmacore_error *err;
	struct vmacore_avc a;
	size_t n = 0;

	if (!l->vm_area_struct_anon_vma_chain.present ||
	    !l->anon_vma_chain_same_vma.present ||
	    !l->anon_vma_chain_anon_vma.present || !l->anon_vma_root.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no anon_vma_chain layout");
	/* list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) */
	head = vma_addr + l->vm_area_struct_anon_vma_chain.off;
	err = read_u64(ctx, head, &pos);
	while (!err && pos != head) {
		if (!pos)
			return VMACORE_CORRUPT("anon_vma_chain of vma 0x%llx has a NULL link",
					       (unsigned long long)vma_addr);
		if (n >= max)
			return VMACORE_CORRUPT("anon_vma_chain of vma 0x%llx longer than %zu (cycle?)",
					       (unsigned long long)vma_addr,
					       max);
		memset(&a, 0, sizeof(a));
		avc = pos - l->anon_vma_chain_same_vma.off;
		a.avc = avc;
		err = read_field(ctx, avc, &l->anon_vma_chain_anon_vma,
				 &a.anon_vma);
		if (!err)
			err = read_field(ctx, a.anon_vma, &l->anon_vma_root,
					 &a.root);
		if (!err && l->anon_vma_parent.present)
			err = read_field(ctx, a.anon_vma, &l->anon_vma_parent,
					 &a.parent);
		if (!err && l->anon_vma_num_children.present)
			err = read_field(ctx, a.anon_vma,
					 &l->anon_vma_num_children,
					 &a.num_children);
		if (!err && l->anon_vma_num_active_vmas.present)
			err = read_field(ctx, a.anon_vma,
					 &l->anon_vma_num_active_vmas,
					 &a.num_active_vmas);
		if (err)
			break;
		ret[n++] = a;
		err = read_u64(ctx, pos, &pos);	/* list_head.next */
	}
	if (err)
		return vmacore_error_prefix(err, "cannot walk anon_vma_chain of vma 0x%llx",
					    (unsigned long long)vma_addr);
	*count_ret = n;
	return NULL;
}

struct vmacore_error *vmacore_file_mapping(struct vmacore_ctx *ctx,
					   uint64_t file, uint64_t *ret)
{
	struct vmacore_error *err;

	err = read_field(ctx, file, &ctx->l.mm.file_f_mapping, ret);
	if (err)
		return vmacore_error_prefix(err, "cannot read f_mapping of file 0x%llx",
					    (unsigned long long)file);
	return NULL;
}

struct vmacore_error *vmacore_inode_mapping(struct vmacore_ctx *ctx,
					    uint64_t inode, uint64_t *ret)
{
	struct vmacore_error *err;

	err = read_field(ctx, inode, &ctx->l.mm.inode_i_mapping, ret);
	if (err)
		return vmacore_error_prefix(err, "cannot read i_mapping of inode 0x%llx",
					    (unsigned long long)inode);
	return NULL;
}
