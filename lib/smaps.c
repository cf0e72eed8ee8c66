// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smaps.c - /proc/PID/smaps from the dump: the page-table walk and the
 * accounting of show_smap() (fs/proc/task_mmu.c).
 *
 * DOC: what each kernel counts
 *
 * smaps_pte_entry() and smaps_pmd_entry() hand every present page to
 * smaps_account(): Rss, Anonymous, LazyFree, KSM and Referenced by the
 * folio's flags and the entry's young/dirty bits; then, unless the
 * folio's refcount is 1, Pss and shared/private page by page from the
 * page's mapcount.  How a mapcount is kept changed: 6.1 adds the first
 * tail's compound_mapcount to anon and hugetlb pages (__page_mapcount(),
 * less PG_double_map); 6.3+ adds folio->_entire_mapcount to every page of
 * a large folio (page_mapcount(), folio_precise_page_mapcount()); hugetlb
 * uses folio_mapcount() (_large_mapcount + 1 since 6.10).  Each rule is
 * chosen by the members the dump's struct page and struct folio have.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smaps_internal.h"

#define PSS_SHIFT VMACORE_PSS_SHIFT
/* include/linux/sched/coredump.h: MMF_DISABLE_THP (7.x mm_flags_t: same) */
#define MMF_DISABLE_THP 24
/* arch/x86/include/asm/cpufeatures.h: X86_FEATURE_OSPKE (16*32 + 4) */
#define X86_FEATURE_OSPKE_WORD 16
#define X86_FEATURE_OSPKE_BIT 4
/* a 2 MiB PMD (x86_64 and arm64 4K): HPAGE_PMD_ORDER from the page size */
#define RODATA_CHUNK 65536
#define RODATA_MAX (64ull << 20)
/* struct pages of a PMD-mapped folio read at once (smaps_account()) */
#define SMAPS_CHUNK 4096

static const char ksm_line[] = " kB\nKSM:            ";

/* The VM_* mask whose vmaflag_names[] name is @name (0 if none). */
static uint64_t vm_mask(const struct vmacore_flag_bit *t, size_t n,
			const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].name && !strcmp(t[i].name, name))
			return t[i].mask;
	return 0;
}

/*
 * Whether __show_smap() prints "KSM:": Linux kernel commit d21077fbc2fc
 * ("proc/ksm: add ksm stats to /proc/pid/smaps") (in v6.7) changed only
 * task_mmu.c, so its own format string in .rodata is the probe.
 */
static struct vmacore_error *probe_ksm_line(struct vmacore_ctx *ctx,
					    bool *ret)
{
	static char buf[RODATA_CHUNK + sizeof(ksm_line)];
	struct vmacore_error *err;
	uint64_t start, end, a;
	size_t keep = sizeof(ksm_line) - 1, have = 0, n;

	*ret = false;
	err = symbol_addr(ctx, "__start_rodata", &start, NULL);
	if (!err)
		err = symbol_addr(ctx, "__end_rodata", &end, NULL);
	if (err)
		return vmacore_error_prefix(err, "cannot find the kernel's .rodata");
	if (end <= start || end - start > RODATA_MAX)
		return VMACORE_CORRUPT(".rodata [0x%llx, 0x%llx)",
				       (unsigned long long)start,
				       (unsigned long long)end);
	for (a = start; a < end; a += n) {
		n = end - a < RODATA_CHUNK ? end - a : RODATA_CHUNK;
		err = read_mem(ctx, a, buf + have, n);
		if (err)
			return vmacore_error_prefix(err, "cannot read .rodata");
		if (memmem(buf, have + n, ksm_line, keep)) {
			*ret = true;
			return NULL;
		}
		memmove(buf, buf + have + n - keep, keep);
		have = keep;
	}
	return NULL;
}

static struct vmacore_error *sym_or(struct vmacore_ctx *ctx, const char *name,
				    size_t len, bool *found, uint64_t *ret)
{
	bool f;
	struct vmacore_error *err = read_sym_u64(ctx, name, len, &f, ret);

	if (!f)
		*ret = 0;
	if (found)
		*found = f;
	return err;
}

static struct vmacore_error *enum_or(struct vmacore_ctx *ctx,
				     const char *name, int64_t *ret)
{
	struct vmacore_error *err = enum_value(ctx, name, ret);

	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		*ret = -1;
	return err;
}

struct vmacore_error *smaps_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_smaps *l = &ctx->l.smaps;
	const struct field_spec fields[] = {
		{ &l->page__refcount, "page", "_refcount", true },
		{ &l->page__mapcount, "page", "_mapcount", true },
		{ &l->page_compound_mapcount, "page", "compound_mapcount" , false },
		{ &l->folio__entire_mapcount, "folio", "_entire_mapcount" , false },
		{ &l->folio__large_mapcount, "folio", "_large_mapcount" , false },
		{ &l->super_block_s_fs_info, "super_block", "s_fs_info" , false },
		{ &l->hugetlbfs_sb_info_hstate, "hugetlbfs_sb_info", "hstate" , false },
		{ &l->hstate_order, "hstate", "order" , false },
		{ &l->cpuinfo_x86_x86_capability, "cpuinfo_x86",
		  "x86_capability", false },
	};
	const struct vmacore_flag_bit *t;
	struct vmacore_error *err;
	uint64_t v, addr;
	size_t n;
	bool found;

	if (l->done)
		return NULL;
	err = rmap_mem_init(ctx);
	if (!err)
		err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	if (!err)
		err = enum_value(ctx, "PG_dirty", &l->pg_dirty);
	if (!err)
		err = enum_value(ctx, "PG_referenced", &l->pg_referenced);
	if (!err)
		err = enum_value(ctx, "PG_swapbacked", &l->pg_swapbacked);
	/* PG_young: CONFIG_PAGE_IDLE_FLAG on 64-bit (else page_ext) */
	if (!err)
		err = enum_or(ctx, "PG_young", &l->pg_young);
	if (!err)
		err = enum_or(ctx, "PG_double_map", &l->pg_double_map);
	if (!err)
		err = enum_or(ctx, "TRANSPARENT_HUGEPAGE_FLAG", &l->thp_flag);
	if (!err)
		err = enum_or(ctx, "TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG",
			      &l->thp_req_madv_flag);
	if (!err)
		err = enum_or(ctx, "TRANSPARENT_HUGEPAGE_NEVER_DAX",
			      &l->thp_never_dax);
	if (!err)
		err = sym_or(ctx, "transparent_hugepage_flags", 8,
			     &l->have_thp_flags,
			     &l->transparent_hugepage_flags);
	if (!err)
		err = sym_or(ctx, "huge_anon_orders_always", 8,
			     &l->have_anon_orders, &l->anon_orders_always);
	if (!err && l->have_anon_orders)
		err = sym_or(ctx, "huge_anon_orders_madvise", 8, NULL,
			     &l->anon_orders_madvise);
	if (!err && l->have_anon_orders)
		err = sym_or(ctx, "huge_anon_orders_inherit", 8, NULL,
			     &l->anon_orders_inherit);
	if (!err)
		err = sym_or(ctx, "huge_zero_pfn", 8, &l->have_huge_zero_pfn,
			     &l->huge_zero_pfn);
	if (!err)
		err = sym_or(ctx, "highest_memmap_pfn", 8, NULL,
			     &l->highest_memmap_pfn);
	if (!err)
		err = sym_or(ctx, "nr_swapfiles", 4, &found, &l->nr_swapfiles);
	if (!err && !found)
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "kernel has no nr_swapfiles");
	if (!err)
		err = probe_ksm_line(ctx, &l->has_ksm_line);
	if (err)
		return vmacore_error_prefix(err, "cannot prepare smaps");

	/* arch_pkeys_enabled(): x86 boot_cpu_has(X86_FEATURE_OSPKE) */
	l->pkeys = false;
	if (!strcmp(ctx->l.arch.ops->name, "x86_64") &&
	    l->cpuinfo_x86_x86_capability.present) {
		err = symbol_addr(ctx, "boot_cpu_data", &addr, NULL);
		if (!err)
			err = read_mem(ctx, addr +
				       l->cpuinfo_x86_x86_capability.off +
				       4 * X86_FEATURE_OSPKE_WORD, &v, 4);
		if (err)
			return vmacore_error_prefix(err, "cannot read boot_cpu_data");
		l->pkeys = (v >> X86_FEATURE_OSPKE_BIT) & 1;
	}

	t = vmacore_flags_table(ctx, &n);
	if (!t)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no vm_flags table");
	l->vm_pfnmap = vm_mask(t, n, "pfnmap");
	l->vm_mixedmap = vm_mask(t, n, "mixedmap");
	l->vm_io = vm_mask(t, n, "io");
	l->vm_dontexpand = vm_mask(t, n, "dontexpand");
	l->vm_locked = vm_mask(t, n, "locked");
	l->vm_hugepage = vm_mask(t, n, "hugepage");
	l->vm_nohugepage = vm_mask(t, n, "nohugepage");
	l->vm_growsdown = vm_mask(t, n, "growsdown");
	l->vm_growsup = vm_mask(t, n, "growsup");
	l->vm_hugetlb = ctx->l.mm.vm.hugetlb;
	l->vm_mayshare = ctx->l.mm.vm.mayshare;
	/* VM_PKEY_BIT0..3 = VM_HIGH_ARCH_0..3 (bits 32-35) on x86 */
	l->vm_pkey_shift = 32;
	l->vm_pkey_mask = 0xfull << 32;
	l->done = true;
	return NULL;
}

/* What one walk needs besides the counters. */
struct smaps_walk {
	struct vmacore_ctx *ctx;
	const struct layout_smaps *l;
	const struct vmacore_vma *vma;
	struct vmacore_smaps *mss;
	bool locked;
	/* NULL: every entry and struct page read by itself */
	struct walk_cache *wc;
	/* the struct page and the head of the folio being accounted */
	struct mem_window win[2];
};

static void __attribute__((format(printf, 4, 5)))
smaps_unknown(struct smaps_walk *w, uint64_t fields, struct vmacore_error *err,
	      const char *fmt, ...)
{
	struct vmacore_smaps *mss = w->mss;
	va_list ap;

	if (!mss->why[0]) {
		va_start(ap, fmt);
		vsnprintf(mss->why, sizeof(mss->why), fmt, ap);
		va_end(ap);
		if (err) {
			size_t len = strlen(mss->why);

			snprintf(mss->why + len, sizeof(mss->why) - len,
				 ": %s", err->message);
		}
	}
	mss->unknown |= fields;
	vmacore_error_destroy(err);
}

/* Every counter the page walk fills. */
#define WALK_FIELDS (((1ull << VMACORE_SMAPS_LOCKED) | \
		      ((1ull << VMACORE_SMAPS_LOCKED) - 1)) & \
		     ~((1ull << VMACORE_SMAPS_SWAP) | \
		       (1ull << VMACORE_SMAPS_SWAP_PSS)))

static bool flag(uint64_t flags, int64_t bit)
{
	return bit >= 0 && bit < 64 && ((flags >> bit) & 1);
}

static struct vmacore_error *read_s32(struct vmacore_ctx *ctx,
				      const struct mem_window *w, size_t nw,
				      uint64_t base, const struct field *f,
				      int32_t *ret)
{
	uint64_t v;
	struct vmacore_error *err = read_field_window(ctx, w, nw, base, f, &v);

	*ret = (int32_t)(uint32_t)v;
	return err;
}

/*
 * The mapcount smaps_account() divides by: page_mapcount() (6.1: with
 * __page_mapcount()'s compound rules), folio_precise_page_mapcount()
 * (6.13+).  @page is a struct page of folio @f.
 */
struct vmacore_error *smaps_page_mapcount(struct vmacore_ctx *ctx,
					  const struct vmacore_folio *f,
					  uint64_t page,
					  const struct mem_window *w,
					  size_t nw, int64_t *ret)
{
	const struct layout_smaps *l = &ctx->l.smaps;
	uint64_t size = ctx->l.rmap.page_struct_size, v;
	struct vmacore_error *err;
	int32_t mc, cm;

	err = read_s32(ctx, w, nw, page, &l->page__mapcount, &mc);
	if (err)
		return err;
	*ret = (int64_t)mc + 1;
	if (f->nr_pages < 2)
		return NULL;
	if (l->folio__entire_mapcount.present) {
		/* page_mapcount(): + folio_entire_mapcount() */
		err = read_s32(ctx, w, nw, f->folio,
			       &l->folio__entire_mapcount, &cm);
		if (!err)
			*ret += (int64_t)cm + 1;
		return err;
	}
	/* __page_mapcount(), mm/util.c (6.1) */
	if (f->kind == VMACORE_PAGE_FILE && !f->hugetlb)
		return NULL;
	if (!l->page_compound_mapcount.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has neither folio._entire_mapcount nor page.compound_mapcount");
	err = read_s32(ctx, w, nw, f->folio + size,
		       &l->page_compound_mapcount, &cm);
	if (err)
		return err;
	*ret += (int64_t)cm + 1;
	if (l->pg_double_map >= 0) {
		/* PageDoubleMap(): PF_SECOND, the first tail's flags */
		err = read_field_window(ctx, w, nw, f->folio + size,
					&ctx->l.rmap.page_flags, &v);
		if (err)
			return err;
		if (flag(v, l->pg_double_map))
			*ret -= 1;
	}
	return NULL;
}

/* smaps_page_accumulate(), fs/proc/task_mmu.c */
static void smaps_page_accumulate(struct smaps_walk *w,
				  const struct vmacore_folio *f,
				  uint64_t size, uint64_t pss, bool dirty,
				  bool private)
{
	struct vmacore_smaps *mss = w->mss;
	bool anon = f->kind == VMACORE_PAGE_ANON || f->kind == VMACORE_PAGE_KSM;

	mss->pss += pss;
	if (anon)
		mss->pss_anon += pss;
	else if (flag(f->flags, w->l->pg_swapbacked))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (w->locked)
		mss->pss_locked += pss;
	if (dirty || flag(f->flags, w->l->pg_dirty)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/*
 * smaps_account(), fs/proc/task_mmu.c: @pfn's page (or with @compound
 * its whole folio, PMD-mapped) as a present entry with @young, @dirty.
 */
static struct vmacore_error *smaps_account(struct smaps_walk *w,
					   const struct vmacore_folio *f,
					   bool compound, bool young,
					   bool dirty)
{
	const struct layout_smaps *l = w->l;
	struct vmacore_ctx *ctx = w->ctx;
	struct vmacore_smaps *mss = w->mss;
	uint64_t psize = ctx->l.page_size, nr = compound ? f->nr_pages : 1;
	uint64_t size = nr * psize, page, i, refcount;
	uint64_t spsize = ctx->l.rmap.page_struct_size;
	uint64_t chunk = spsize && spsize <= SMAPS_CHUNK ? SMAPS_CHUNK / spsize : 1;
	struct mem_window win[3] = { w->win[0], w->win[1], { 0 } };
	unsigned char buf[SMAPS_CHUNK];
	struct vmacore_error *err;
	int64_t mapcount;

	if (f->kind == VMACORE_PAGE_ANON || f->kind == VMACORE_PAGE_KSM) {
		mss->anonymous += size;
		if (!flag(f->flags, l->pg_swapbacked) && !dirty &&
		    !flag(f->flags, l->pg_dirty))
			mss->lazyfree += size;
	}
	if (f->kind == VMACORE_PAGE_KSM)
		mss->ksm += size;
	mss->resident += size;
	if (young || flag(f->flags, l->pg_young) ||
	    flag(f->flags, l->pg_referenced))
		mss->referenced += size;

	/* folio_ref_count(folio) == 1: mapped exactly once */
	err = read_field_window(ctx, w->win, 2, f->folio, &l->page__refcount,
				&refcount);
	if (err)
		return err;
	if ((refcount & 0xffffffff) == 1) {
		smaps_page_accumulate(w, f, size, size << PSS_SHIFT, dirty,
				      true);
		return NULL;
	}
	page = compound ? f->folio : f->page;
	for (i = 0; i < nr; i++, page += spsize) {
		uint64_t pss = psize << PSS_SHIFT;

		/* a PMD-mapped folio's struct pages, a chunk at a time */
		if (compound && w->wc && i % chunk == 0) {
			uint64_t n = nr - i < chunk ? nr - i : chunk;

			win[2].len = 0;
			err = read_mem(ctx, page, buf, n * spsize);
			if (!err)
				win[2] = (struct mem_window){ page,
							      n * spsize, buf };
			vmacore_error_destroy(err);
		}
		err = smaps_page_mapcount(w->ctx, f, page, win, 3, &mapcount);
		if (err)
			return err;
		if (mapcount >= 2)
			pss /= mapcount;
		smaps_page_accumulate(w, f, psize, pss, dirty, mapcount < 2);
	}
	return NULL;
}

struct vmacore_error *smaps_hugetlb_mapcount(struct vmacore_ctx *ctx,
					     const struct vmacore_folio *f,
					     const struct mem_window *w,
					     size_t nw, int64_t *ret)
{
	const struct layout_smaps *l = &ctx->l.smaps;
	struct vmacore_error *err;
	int32_t v;

	if (!l->folio__large_mapcount.present)
		return smaps_page_mapcount(ctx, f, f->folio, w, nw, ret);
	err = read_s32(ctx, w, nw, f->folio, &l->folio__large_mapcount, &v);
	*ret = (int64_t)v + 1;
	return err;
}

/*
 * smaps_hugetlb_range(): a hugetlb entry at @addr of @hsize bytes.
 * 6.1: page_mapcount() >= 2 is shared; 6.10+: folio_likely_mapped_shared()
 * / folio_maybe_mapped_shared(), folio_mapcount() > 1 for hugetlb, or
 * hugetlb_pmd_shared().
 */
static struct vmacore_error *smaps_hugetlb(struct smaps_walk *w,
					   const struct vmacore_pte *pte,
					   uint64_t addr, uint64_t hsize)
{
	const struct layout_smaps *l = w->l;
	struct vmacore_folio f;
	struct vmacore_error *err;
	int64_t mapcount;

	err = folio_walk_read(w->ctx, w->wc, pte->pfn, &f, w->win);
	if (!err && (!f.hugetlb || f.page != f.folio ||
		     f.nr_pages * w->ctx->l.page_size != hsize))
		err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
					   "pfn 0x%llx is not the head of a %llu-byte hugetlb folio",
					   (unsigned long long)pte->pfn,
					   (unsigned long long)hsize);
	if (!err)
		err = smaps_hugetlb_mapcount(w->ctx, &f, w->win, 2, &mapcount);
	if (err)
		return err;
	/*
	 * hugetlb_pmd_shared(): a PMD table shared between processes, only
	 * for VM_MAYSHARE mappings covering an aligned PUD_SIZE range
	 */
	if ((w->vma->vm_flags & l->vm_mayshare) && hsize < (1ull << 30) &&
	    (addr & ~((1ull << 30) - 1)) >= w->vma->vm_start &&
	    (addr | ((1ull << 30) - 1)) < w->vma->vm_end) {
		smaps_unknown(w, (1ull << VMACORE_SMAPS_SHARED_HUGETLB) |
			      (1ull << VMACORE_SMAPS_PRIVATE_HUGETLB), NULL,
			      "hugetlb page at 0x%llx may have a shared PMD table (hugetlb_pmd_shared() not reproduced)",
			      (unsigned long long)addr);
		return NULL;
	}
	if (mapcount > 1)
		w->mss->shared_hugetlb += hsize;
	else
		w->mss->private_hugetlb += hsize;
	return NULL;
}

/*
 * vma_kernel_pagesize() of a hugetlb VMA: huge_page_size(hstate_vma()),
 * the hstate of the hugetlbfs superblock of its file.
 */
static struct vmacore_error *hugetlb_page_size(struct vmacore_ctx *ctx,
					       const struct vmacore_vma *vma,
					       uint64_t *ret)
{
	const struct layout_smaps *l = &ctx->l.smaps;
	const struct layout_mm *m = &ctx->l.mm;
	struct vmacore_error *err;
	uint64_t inode, sb, sbinfo, hstate, order;

	if (!vma->vm_file || !m->file_f_inode.present ||
	    !m->inode_i_sb.present || !l->super_block_s_fs_info.present ||
	    !l->hugetlbfs_sb_info_hstate.present || !l->hstate_order.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "cannot find the hstate of a hugetlb VMA");
	err = read_field(ctx, vma->vm_file, &m->file_f_inode, &inode);
	if (!err)
		err = read_field(ctx, inode, &m->inode_i_sb, &sb);
	if (!err)
		err = read_field(ctx, sb, &l->super_block_s_fs_info, &sbinfo);
	if (!err)
		err = read_field(ctx, sbinfo, &l->hugetlbfs_sb_info_hstate,
				 &hstate);
	if (!err)
		err = read_field(ctx, hstate, &l->hstate_order, &order);
	if (err)
		return vmacore_error_prefix(err, "cannot read the hstate of a hugetlb VMA");
	if (order > 30)
		return VMACORE_CORRUPT("hstate 0x%llx has order %llu",
				       (unsigned long long)hstate,
				       (unsigned long long)order);
	*ret = ctx->l.page_size << order;
	return NULL;
}

/* Bytes mapped by one entry at @level (1 = PTE). */
uint64_t smaps_level_span(const struct vmacore_ctx *ctx, int level)
{
	unsigned int bits = ctx->l.page_shift - 3;

	if (level < 1)
		level = 1;
	if ((uint64_t)(level - 1) * bits + ctx->l.page_shift >= 63)
		return 1ull << 62;
	return 1ull << (ctx->l.page_shift + bits * (level - 1));
}

static void walk_hugetlb(struct smaps_walk *w, uint64_t pgd, uint64_t hsize)
{
	const struct vmacore_vma *vma = w->vma;
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t addr;

	/* hugetlb VMAs are huge_page_size() aligned (hugetlb_get_unmapped_area()) */
	if ((vma->vm_start | vma->vm_end) & (hsize - 1)) {
		smaps_unknown(w, (1ull << VMACORE_SMAPS_SHARED_HUGETLB) |
			      (1ull << VMACORE_SMAPS_PRIVATE_HUGETLB), NULL,
			      "hugetlb VMA [0x%llx, 0x%llx) not aligned to its %llu-byte pages",
			      (unsigned long long)vma->vm_start,
			      (unsigned long long)vma->vm_end,
			      (unsigned long long)hsize);
		return;
	}
	for (addr = vma->vm_start; addr < vma->vm_end; addr += hsize) {
		err = pgtable_walk_lookup(w->ctx, w->wc, pgd, addr, &pte);
		if (err) {
			smaps_unknown(w, (1ull << VMACORE_SMAPS_SHARED_HUGETLB) |
				      (1ull << VMACORE_SMAPS_PRIVATE_HUGETLB),
				      err, "page table at 0x%llx", (unsigned long long)addr);
			continue;
		}
		if (pte.present) {
			err = smaps_hugetlb(w, &pte, addr, hsize);
			if (err)
				smaps_unknown(w, (1ull << VMACORE_SMAPS_SHARED_HUGETLB) |
					      (1ull << VMACORE_SMAPS_PRIVATE_HUGETLB),
					      err, "hugetlb page at 0x%llx",
					      (unsigned long long)addr);
		} else if (pte.entry) {
			/* a migration or hwpoison entry: its folio counts */
			smaps_unknown(w, (1ull << VMACORE_SMAPS_SHARED_HUGETLB) |
				      (1ull << VMACORE_SMAPS_PRIVATE_HUGETLB),
				      NULL, "non-present hugetlb entry at 0x%llx not decoded",
				      (unsigned long long)addr);
		}
	}
}

/* One present leaf: smaps_pte_entry() or smaps_pmd_entry(). */
static void walk_present(struct smaps_walk *w, const struct vmacore_pte *pte,
			 uint64_t addr)
{
	const struct layout_smaps *l = w->l;
	struct vmacore_smaps *mss = w->mss;
	struct vmacore_folio f;
	struct vmacore_error *err;
	bool pmd = pte->level > 1;

	if (pte->level > 2) {
		smaps_unknown(w, WALK_FIELDS, NULL,
			      "PUD-sized leaf at 0x%llx not accounted",
			      (unsigned long long)addr);
		return;
	}
	if (pmd) {
		uint64_t base = addr & ~(pte->page_size - 1);

		/*
		 * a huge PMD across a VMA boundary: the kernel splits it
		 * when a VMA ends inside it (vma_adjust_trans_huge())
		 */
		if (base < w->vma->vm_start ||
		    base + pte->page_size > w->vma->vm_end) {
			smaps_unknown(w, WALK_FIELDS, NULL,
				      "PMD at 0x%llx maps [0x%llx, 0x%llx), across the VMA's bounds",
				      (unsigned long long)addr,
				      (unsigned long long)base,
				      (unsigned long long)(base + pte->page_size));
			return;
		}
		/* follow_trans_huge_pmd(FOLL_DUMP): not the huge zero page */
		if (!l->have_huge_zero_pfn) {
			smaps_unknown(w, WALK_FIELDS, NULL,
				      "PMD at 0x%llx: kernel has no huge_zero_pfn",
				      (unsigned long long)addr);
			return;
		}
		if (pte->pfn - ((addr & (pte->page_size - 1)) >>
				w->ctx->l.page_shift) == l->huge_zero_pfn)
			return;
	} else if (pte->special) {
		return;		/* vm_normal_page(): no struct page to count */
	}
	/* vm_normal_page(): pfn > highest_memmap_pfn is print_bad_pte() */
	if (l->highest_memmap_pfn && pte->pfn > l->highest_memmap_pfn) {
		smaps_unknown(w, WALK_FIELDS, NULL,
			      "entry at 0x%llx maps pfn 0x%llx beyond highest_memmap_pfn (a bad pte)",
			      (unsigned long long)addr,
			      (unsigned long long)pte->pfn);
		return;
	}
	err = folio_walk_read(w->ctx, w->wc, pte->pfn, &f, w->win);
	if (err) {
		smaps_unknown(w, WALK_FIELDS, err, "page at 0x%llx", (unsigned long long)addr);
		return;
	}
	if (f.kind == VMACORE_PAGE_TYPED) {
		/* a page table, slab or free page: a damaged or looping table */
		smaps_unknown(w, WALK_FIELDS, NULL,
			      "entry at 0x%llx maps pfn 0x%llx, a page never mapped to user space (page table, slab, free)",
			      (unsigned long long)addr,
			      (unsigned long long)pte->pfn);
		return;
	}
	if (pmd) {
		if (f.page != f.folio || f.nr_pages * w->ctx->l.page_size !=
		    pte->page_size) {
			smaps_unknown(w, WALK_FIELDS, NULL,
				      "PMD at 0x%llx does not map a whole folio",
				      (unsigned long long)addr);
			return;
		}
		if (f.kind == VMACORE_PAGE_ANON || f.kind == VMACORE_PAGE_KSM)
			mss->anonymous_thp += pte->page_size;
		else if (flag(f.flags, l->pg_swapbacked))
			mss->shmem_thp += pte->page_size;
		else
			mss->file_thp += pte->page_size;
	}
	mss->pages++;
	err = smaps_account(w, &f, pmd, pte->young, pte->dirty);
	if (err)
		smaps_unknown(w, WALK_FIELDS, err, "page at 0x%llx", (unsigned long long)addr);
}

static void walk_ptes(struct smaps_walk *w, uint64_t pgd)
{
	const struct vmacore_vma *vma = w->vma;
	struct vmacore_ctx *ctx = w->ctx;
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t addr = vma->vm_start, next, span, run;

	while (addr < vma->vm_end) {
		err = pgtable_walk_lookup(ctx, w->wc, pgd, addr, &pte);
		span = ctx->l.page_size;
		run = 1;
		if (err) {
			/*
			 * what the unreadable table maps is lost, swap entries
			 * too: go on after the range of the entry above it
			 */
			smaps_unknown(w, WALK_FIELDS |
				      (1ull << VMACORE_SMAPS_SWAP) |
				      (1ull << VMACORE_SMAPS_SWAP_PSS), err,
				      "page table at 0x%llx", (unsigned long long)addr);
			if (pte.level > 1)
				span = smaps_level_span(ctx, pte.level);
		} else if (pte.present) {
			walk_present(w, &pte, addr);
			span = pte.level > 1 ? pte.page_size : span;
		} else if (!pte.entry && pte.level == 1) {
			/* empty PTEs: up to the next used one of the table */
			run = pgtable_walk_none_run(ctx, w->wc, addr,
						    (vma->vm_end - addr) >>
						    ctx->l.page_shift);
		} else if (!pte.entry) {
			span = smaps_level_span(ctx, pte.level);	/* a hole */
		} else if (pte.swap && pte.level == 1 &&
			   pte.swap_type < w->l->nr_swapfiles) {
			/* smaps_pte_entry(): a swap entry, not a non_swap_entry() */
			w->mss->swap += ctx->l.page_size;
			smaps_unknown(w, 1ull << VMACORE_SMAPS_SWAP_PSS, NULL,
				      "swap entry at 0x%llx: swp_swapcount() not read",
				      (unsigned long long)addr);
		} else {
			/* migration, device, hwpoison or marker entry */
			smaps_unknown(w, WALK_FIELDS, NULL,
				      "non-present entry at 0x%llx not decoded",
				      (unsigned long long)addr);
		}
		next = (addr & ~(span - 1)) + span * run;
		if (next <= addr)
			break;
		addr = next;
	}
}

/*
 * THPeligible: hugepage_vma_check(vma, vm_flags, smaps=true, ...) (6.1),
 * thp_vma_allowable_orders(vma, vm_flags, TVA_SMAPS |
 * TVA_ENFORCE_SYSFS, THP_ORDERS_ALL) (6.8+).  File and shmem VMAs that
 * pass the common tests are not reproduced (unknown).
 */
static void thp_eligible(struct smaps_walk *w, const struct vmacore_mm *mm)
{
	const struct layout_smaps *l = w->l;
	const struct vmacore_vma *vma = w->vma;
	struct vmacore_smaps *mss = w->mss;
	uint64_t f = vma->vm_flags, pmd_size = smaps_level_span(w->ctx, 2);
	uint64_t special = l->vm_io | l->vm_dontexpand | l->vm_pfnmap |
			   l->vm_mixedmap;
	uint64_t thp = l->transparent_hugepage_flags;
	bool anon = !vma->vm_ops, enabled, always;

	mss->thp_eligible = 0;
	if (!vma->vm_mm || (f & l->vm_nohugepage) ||
	    ((mm->flags >> MMF_DISABLE_THP) & 1))
		return;
	/* without CONFIG_TRANSPARENT_HUGEPAGE, hugepage_vma_check() is false */
	if (!l->have_thp_flags && l->thp_flag < 0)
		return;
	if (!l->have_thp_flags || l->thp_flag < 0 || l->thp_req_madv_flag < 0) {
		smaps_unknown(w, 1ull << VMACORE_SMAPS_THP_ELIGIBLE, NULL,
			      "THPeligible: no transparent_hugepage_flags");
		return;
	}
	if (flag(thp, l->thp_never_dax))
		return;
	if (f & (special | l->vm_hugetlb))	/* VM_NO_KHUGEPAGED */
		return;
	/* transhuge_vma_suitable() for the last PMD of the VMA */
	if (vma->vm_end - vma->vm_start < pmd_size ||
	    ((vma->vm_end - pmd_size) & ~(pmd_size - 1)) < vma->vm_start)
		return;
	if (!anon) {
		/* pgoff alignment, shmem_huge_enabled(), file_thp_enabled() */
		if ((((vma->vm_start >> w->ctx->l.page_shift) - vma->vm_pgoff) &
		     ((pmd_size >> w->ctx->l.page_shift) - 1)))
			return;
		smaps_unknown(w, 1ull << VMACORE_SMAPS_THP_ELIGIBLE, NULL,
			      "THPeligible of a file VMA not reproduced");
		return;
	}
	/* hugepage_flags_enabled(), hugepage_flags_always() */
	always = flag(thp, l->thp_flag);
	enabled = always || flag(thp, l->thp_req_madv_flag);
	if (l->have_anon_orders) {
		/* __thp_vma_allowable_orders(): anon orders by sysfs */
		uint64_t mask = l->anon_orders_always;
		unsigned int pmd_order = w->ctx->l.page_shift - 3;
		unsigned int o;

		if (f & l->vm_hugepage)
			mask |= l->anon_orders_madvise;
		if (always || ((f & l->vm_hugepage) && enabled))
			mask |= l->anon_orders_inherit;
		mask &= (2ull << pmd_order) - 1;
		/* the largest order whose last folio fits in the VMA */
		for (o = pmd_order + 1; o-- > 1;) {
			uint64_t sz = w->ctx->l.page_size << o;

			if (!(mask >> o & 1))
				continue;
			if (vma->vm_end - vma->vm_start >= sz &&
			    ((vma->vm_end - sz) & ~(sz - 1)) >= vma->vm_start)
				break;
		}
		if (!o)
			return;
	} else if (!enabled || (!(f & l->vm_hugepage) && !always)) {
		return;
	}
	/* vma_is_temporary_stack(): VM_STACK_INCOMPLETE_SETUP is not kept */
	mss->thp_eligible = 1;
}

struct vmacore_error *vmacore_smaps_vma(struct vmacore_ctx *ctx,
					const struct vmacore_mm *mm,
					const struct vmacore_vma *vma,
					struct vmacore_smaps *ret)
{
	struct smaps_walk w = { ctx, &ctx->l.smaps, vma, ret, false, NULL,
				{ { 0 } } };
	const struct layout_smaps *l = &ctx->l.smaps;
	struct vmacore_error *err;
	uint64_t hsize = 0;

	memset(ret, 0, sizeof(*ret));
	err = smaps_layout_init(ctx);
	if (err)
		return err;
	if (vma->vm_end <= vma->vm_start)
		return VMACORE_CORRUPT("VMA 0x%llx ends before it starts",
				       (unsigned long long)vma->addr);
	ret->size = vma->vm_end - vma->vm_start;
	ret->kernel_page_size = ctx->l.page_size;
	ret->mmu_page_size = ctx->l.page_size;
	ret->has_ksm = l->has_ksm_line;
	ret->has_protection_key = l->pkeys;
	ret->protection_key = (vma->vm_flags & l->vm_pkey_mask) >>
			      l->vm_pkey_shift;
	w.locked = vma->vm_flags & l->vm_locked;
	thp_eligible(&w, mm);

	/*
	 * One walk is the VMAs of one mm in ascending order (show_smap() per
	 * VMA of a read of smaps): what it read stays cached from VMA to VMA,
	 * and a table shared by consecutive VMAs is read once.
	 */
	if (!ctx->smaps_walk)
		ctx->smaps_walk = walk_cache_create();
	w.wc = ctx->smaps_walk;
	if (w.wc && (w.wc->pgd != mm->pgd || vma->vm_start < w.wc->last_end))
		walk_cache_reset(w.wc);
	if (w.wc) {
		w.wc->pgd = mm->pgd;
		w.wc->last_end = vma->vm_end;
	}

	/* smap_gather_stats(): shmem swap is counted from the inode */
	if (l->nr_swapfiles && vma->vm_file)
		smaps_unknown(&w, (1ull << VMACORE_SMAPS_SWAP) |
			      (1ull << VMACORE_SMAPS_SWAP_PSS), NULL,
			      "swap of a file VMA (shmem_swap_usage()) not read");
	if (vma->vm_flags & l->vm_hugetlb) {
		err = hugetlb_page_size(ctx, vma, &hsize);
		if (err)
			return err;
		ret->kernel_page_size = hsize;
		ret->mmu_page_size = hsize;
		walk_hugetlb(&w, mm->pgd, hsize);
		return NULL;
	}
	/* walk_page_test(): VM_PFNMAP is not walked */
	if (vma->vm_flags & l->vm_pfnmap)
		return NULL;
	walk_ptes(&w, mm->pgd);
	return NULL;
}

void vmacore_smaps_add(struct vmacore_smaps *sum,
		       const struct vmacore_smaps *v)
{
	sum->size += v->size;
	sum->resident += v->resident;
	sum->shared_clean += v->shared_clean;
	sum->shared_dirty += v->shared_dirty;
	sum->private_clean += v->private_clean;
	sum->private_dirty += v->private_dirty;
	sum->referenced += v->referenced;
	sum->anonymous += v->anonymous;
	sum->ksm += v->ksm;
	sum->lazyfree += v->lazyfree;
	sum->anonymous_thp += v->anonymous_thp;
	sum->shmem_thp += v->shmem_thp;
	sum->file_thp += v->file_thp;
	sum->shared_hugetlb += v->shared_hugetlb;
	sum->private_hugetlb += v->private_hugetlb;
	sum->swap += v->swap;
	sum->pss += v->pss;
	sum->pss_dirty += v->pss_dirty;
	sum->pss_anon += v->pss_anon;
	sum->pss_file += v->pss_file;
	sum->pss_shmem += v->pss_shmem;
	sum->pss_locked += v->pss_locked;
	sum->swap_pss += v->swap_pss;
	sum->pages += v->pages;
	sum->has_ksm = v->has_ksm;
	sum->has_protection_key = v->has_protection_key;
	if (!sum->why[0] && v->why[0])
		memcpy(sum->why, v->why, sizeof(sum->why));
	sum->unknown |= v->unknown;
}

/* ---- mm->rss_stat (get_mm_counter(), include/linux/mm.h) ---- */

#define NR_CPUS_MAX 8192

static struct vmacore_error *rss_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_smaps *l = &ctx->l.smaps;
	static const char *const names[4] = {
		"MM_FILEPAGES", "MM_ANONPAGES", "MM_SHMEMPAGES", "MM_SWAPENTS",
	};
	const struct field_spec fields[] = {
		{ &l->mm_struct_rss_stat, "mm_struct", "rss_stat", true },
		{ &l->percpu_counter_count, "percpu_counter", "count", false },
		{ &l->percpu_counter_counters, "percpu_counter", "counters",
		  false },
	};
	struct vmacore_error *err;
	int i;

	if (l->rss_done)
		return NULL;
	err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	for (i = 0; !err && i < 4; i++)
		err = enum_value(ctx, names[i], &l->mm_counter[i]);
	if (!err)
		err = type_size_init(ctx, &l->percpu_counter_size,
				     "percpu_counter", false);
	if (err)
		return vmacore_error_prefix(err, "cannot find mm->rss_stat");
	for (i = 0; i < 4; i++)
		if (l->mm_counter[i] < 0 || l->mm_counter[i] >= 16)
			return VMACORE_CORRUPT("%s is %lld", names[i],
					       (long long)l->mm_counter[i]);
	l->rss_done = true;
	return NULL;
}

/* __percpu_counter_sum(): the deltas of the online CPUs */
static struct vmacore_error *percpu_deltas(struct vmacore_ctx *ctx,
					   uint64_t counters, int64_t *ret)
{
	struct vmacore_error *err;
	uint64_t offsets, online, nr, word = 0, off;
	uint32_t cpu;
	int32_t v;
	bool found;

	*ret = 0;
	err = symbol_addr(ctx, "__per_cpu_offset", &offsets, NULL);
	if (!err)
		err = symbol_addr(ctx, "__cpu_online_mask", &online, NULL);
	if (!err)
		err = read_sym_u64(ctx, "nr_cpu_ids", 4, &found, &nr);
	if (!err && !found)
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "kernel has no nr_cpu_ids");
	if (err)
		return vmacore_error_prefix(err, "cannot find the per-CPU areas");
	if (nr > NR_CPUS_MAX)
		return VMACORE_CORRUPT("nr_cpu_ids is %llu",
				       (unsigned long long)nr);
	for (cpu = 0; cpu < nr; cpu++) {
		if (cpu % 64 == 0) {
			err = read_u64(ctx, online + cpu / 64 * 8, &word);
			if (err)
				return err;
		}
		if (!((word >> (cpu % 64)) & 1))
			continue;
		err = read_u64(ctx, offsets + 8ull * cpu, &off);
		if (!err)
			err = read_mem(ctx, counters + off, &v, 4);
		if (err)
			return vmacore_error_prefix(err, "cannot read CPU %u's counter",
						    cpu);
		*ret += v;
	}
	return NULL;
}

struct vmacore_error *vmacore_mm_rss(struct vmacore_ctx *ctx, uint64_t mm_addr,
				     bool sum, struct vmacore_rss *ret)
{
	const struct layout_smaps *l = &ctx->l.smaps;
	struct vmacore_error *err = rss_layout_init(ctx);
	int64_t *out[4] = { &ret->file, &ret->anon, &ret->shmem, &ret->swap };
	uint64_t base, v, counters;
	int64_t delta = 0;
	int i;

	memset(ret, 0, sizeof(*ret));
	if (err)
		return err;
	base = mm_addr + l->mm_struct_rss_stat.off;
	/* percpu_counter rss_stat[NR_MM_COUNTERS]: Linux kernel commit
	 * f1a7941243c1 ("mm: convert mm's rss stats into percpu_counter")
	 * (in v6.2); before, struct mm_rss_stat { atomic_long_t count[]; } */
	ret->per_cpu = l->percpu_counter_count.present &&
		       l->percpu_counter_counters.present &&
		       l->percpu_counter_size &&
		       l->mm_struct_rss_stat.size >= 4 * l->percpu_counter_size;
	for (i = 0; i < 4; i++) {
		int64_t idx = l->mm_counter[i];

		if (!ret->per_cpu) {
			if ((uint64_t)(idx + 1) * 8 > l->mm_struct_rss_stat.size)
				return VMACORE_CORRUPT("mm->rss_stat has no counter %lld",
						       (long long)idx);
			err = read_u64(ctx, base + 8 * idx, &v);
			if (err)
				return vmacore_error_prefix(err, "cannot read mm->rss_stat");
			*out[i] = (int64_t)v;
		} else {
			uint64_t pc = base + idx * l->percpu_counter_size;

			if ((uint64_t)(idx + 1) * l->percpu_counter_size >
			    l->mm_struct_rss_stat.size)
				return VMACORE_CORRUPT("mm->rss_stat has no counter %lld",
						       (long long)idx);
			err = read_field(ctx, pc, &l->percpu_counter_count, &v);
			if (!err && sum)
				err = read_field(ctx, pc,
						 &l->percpu_counter_counters,
						 &counters);
			if (!err && sum)
				err = percpu_deltas(ctx, counters, &delta);
			if (err)
				return vmacore_error_prefix(err, "cannot read mm->rss_stat");
			*out[i] = (int64_t)v + (sum ? delta : 0);
		}
		if (*out[i] < 0)
			*out[i] = 0;
	}
	return NULL;
}
