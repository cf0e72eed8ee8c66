// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gcore.c - the ELF core file elf_core_dump() (fs/binfmt_elf.c) writes for
 * a process, rebuilt from a vmcore.
 *
 * Layout as the kernel computes it: ELF header, e_phnum = VMAs + 1 program
 * headers (PT_NOTE first), the notes (gcore_notes.c), then the data at
 * dataoff = roundup(offset, ELF_EXEC_PAGESIZE), each PT_LOAD's p_filesz
 * bytes (vma_dump_size()) one after the other, p_align ELF_EXEC_PAGESIZE;
 * from PN_XNUM segments on, e_phnum = PN_XNUM and one section header after
 * the data holds the count (fill_extnum_info()).
 *
 * Page by page as dump_user_range() does: get_dump_page() gives a page
 * (written) or NULL (dump_skip(): a hole).  It is NULL for the zero page
 * and, FOLL_DUMP in no_page_table(), for a page never faulted in of an
 * anonymous VMA; a file VMA's missing page would be faulted in from the
 * page cache, which we look up; swap we cannot read.  A written page that
 * is all zeros is left as a hole: the bytes are the same.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gcore_notes.h"
#include "rmap_internal.h"

/* include/uapi/linux/elf.h */
#define GC_ET_CORE 4
#define GC_EM_X86_64 62
#define GC_EM_AARCH64 183
#define GC_PT_LOAD 1
#define GC_PT_NOTE 4
#define GC_PF_X 1
#define GC_PF_W 2
#define GC_PF_R 4
#define GC_PN_XNUM 0xffff
#define GC_SHT_NULL 0

/* MMF_DUMP_FILTER_SHIFT and _BITS (include/linux/sched/coredump.h) */
#define GC_FILTER_SHIFT 2
#define GC_FILTER_MASK (((1ull << 9) - 1) << GC_FILTER_SHIFT)

/* Enough for a 64-bit address space of 4 KiB pages, and no more. */
#define GC_MAX_VMAS (1u << 20)

struct gc_ehdr {
	unsigned char e_ident[16];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum,
		 e_shstrndx;
};

struct gc_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct gc_shdr {
	uint32_t sh_name, sh_type;
	uint64_t sh_flags, sh_addr, sh_offset, sh_size;
	uint32_t sh_link, sh_info;
	uint64_t sh_addralign, sh_entsize;
};

struct writer {
	int fd;
	uint64_t off;
	bool seekable;
};

static struct vmacore_error *w_write(struct writer *w, const void *buf,
				     size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(w->fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return vmacore_error_create(VMACORE_ERROR_OS,
				"cannot write the core file: %s",
				n < 0 ? strerror(errno) : "short write");
		p += n;
		len -= n;
		w->off += n;
	}
	return NULL;
}

/* dump_skip_to(): a hole up to @to, seeked over or written as zeros */
static struct vmacore_error *w_skip_to(struct writer *w, uint64_t to,
				       const void *zeros, size_t zlen)
{
	struct vmacore_error *err;

	if (to <= w->off)
		return NULL;
	if (w->seekable) {
		if (lseek(w->fd, to, SEEK_SET) == (off_t)-1)
			return vmacore_error_create(VMACORE_ERROR_OS,
				"cannot seek in the core file: %s",
				strerror(errno));
		w->off = to;
		return NULL;
	}
	while (w->off < to) {
		size_t n = to - w->off < zlen ? to - w->off : zlen;

		err = w_write(w, zeros, n);
		if (err)
			return err;
	}
	return NULL;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

enum page_src { PAGE_DATA, PAGE_HOLE, PAGE_MISSING };

/* Where a page not in the page table would come from: the fault handler */
enum fault_src {
	FAULT_NONE,	/* no_page_table() with FOLL_DUMP: a hole */
	FAULT_FILE,	/* filemap_fault() and friends: the page cache */
	FAULT_PAGES,	/* special_mapping_fault(): vm_special_mapping.pages */
	FAULT_VDSO,	/* x86 vdso_fault(): mm->context.vdso_image->data */
	FAULT_UNKNOWN,	/* a handler we cannot run: missing */
	FAULT_IO,	/* VM_IO or VM_PFNMAP: no page at all, a hole */
};

struct gc_layout {
	struct field ops_fault, sm_pages, sm_fault, ctx_vdso_image,
		     image_data, image_size, mm_task_size;
	uint64_t special_mapping_vmops;
	uint64_t vm_io_pfnmap;
};

static struct vmacore_error *gc_layout_init(struct vmacore_ctx *ctx,
					    struct gc_layout *l)
{
	const struct vmacore_flag_bit *t;
	struct vmacore_error *err;
	size_t i, n;

	memset(l, 0, sizeof(*l));
	t = vmacore_flags_table(ctx, &n);
	for (i = 0; t && i < n; i++)
		if (t[i].name && (!strcmp(t[i].name, "pfnmap") ||
				  !strcmp(t[i].name, "io")))
			l->vm_io_pfnmap |= t[i].mask;
	if (!l->vm_io_pfnmap)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no VM_IO and VM_PFNMAP bits in the vm_flags table");
	err = field_init(ctx, &l->ops_fault, "vm_operations_struct", "fault");
	if (!err)
		err = field_init(ctx, &l->sm_pages, "vm_special_mapping",
				 "pages");
	if (!err)
		err = field_init(ctx, &l->sm_fault, "vm_special_mapping",
				 "fault");
	if (!err)
		err = field_init(ctx, &l->ctx_vdso_image, "mm_struct",
				 "context.vdso_image");
	if (!err)
		err = field_init(ctx, &l->image_data, "vdso_image", "data");
	if (!err)
		err = field_init(ctx, &l->image_size, "vdso_image", "size");
	if (!err)
		err = field_init(ctx, &l->mm_task_size, "mm_struct",
				 "task_size");
	if (!err)
		err = symbol_or_zero(ctx, "special_mapping_vmops",
				     &l->special_mapping_vmops);
	return err;
}

/* The layout, resolved on the dump's first core and kept in @ctx */
static struct vmacore_error *gc_layout_get(struct vmacore_ctx *ctx,
					   struct gc_layout *l)
{
	struct vmacore_error *err;

	if (!ctx->gcore_layout) {
		ctx->gcore_layout = malloc(sizeof(*ctx->gcore_layout));
		if (!ctx->gcore_layout)
			return &vmacore_enomem;
		err = gc_layout_init(ctx, ctx->gcore_layout);
		if (err) {
			free(ctx->gcore_layout);
			ctx->gcore_layout = NULL;
			return err;
		}
	}
	*l = *ctx->gcore_layout;
	return NULL;
}

/* read_field() where a failure only makes the answer unknown */
static bool read_ok(struct vmacore_ctx *ctx, uint64_t base,
		    const struct field *f, uint64_t *ret)
{
	struct vmacore_error *err = read_field(ctx, base, f, ret);

	vmacore_error_destroy(err);
	return !err;
}

/* What the fault of a page of @vma not in the page table would give */
static enum fault_src fault_src(struct vmacore_ctx *ctx,
				const struct gc_layout *l,
				const struct vmacore_vma *vma, uint64_t *arg)
{
	const struct layout_mm *ml = &ctx->l.mm;
	uint64_t fault = 0, inode, v;

	*arg = 0;
	/* check_vma_flags(): get_dump_page() gives no page of these */
	if (vma->vm_flags & l->vm_io_pfnmap)
		return FAULT_IO;
	/* no_page_table(): vma_is_anonymous() || !vma->vm_ops->fault */
	if (!vma->vm_ops)
		return FAULT_NONE;
	if (!l->ops_fault.present ||
	    !read_ok(ctx, vma->vm_ops, &l->ops_fault, &fault))
		return FAULT_UNKNOWN;
	if (!fault)
		return FAULT_NONE;
	if (vma->vm_ops == l->special_mapping_vmops && l->special_mapping_vmops) {
		uint64_t sm = vma->vm_private_data;

		if (!sm || !l->sm_pages.present)
			return FAULT_UNKNOWN;
		v = 0;
		if (l->sm_fault.present && !read_ok(ctx, sm, &l->sm_fault, &v))
			return FAULT_UNKNOWN;
		if (!v)
			return read_ok(ctx, sm, &l->sm_pages, arg) ?
			       FAULT_PAGES : FAULT_UNKNOWN;
		/* x86's vdso_fault() is the only handler we know */
		if (!l->ctx_vdso_image.present || !l->image_data.present ||
		    vma->vm_mm == 0 ||
		    !read_ok(ctx, vma->vm_mm, &l->ctx_vdso_image, arg) ||
		    !*arg)
			return FAULT_UNKNOWN;
		return FAULT_VDSO;
	}
	if (vma->vm_file &&
	    read_ok(ctx, vma->vm_file, &ml->file_f_inode, &inode) &&
	    read_ok(ctx, inode, &ml->inode_i_mapping, arg) && *arg)
		return FAULT_FILE;
	return FAULT_UNKNOWN;
}

/* The page the fault would map, as a pfn, or a kernel address in *@kaddr */
static bool fault_page(struct vmacore_ctx *ctx, const struct gc_layout *l,
		       const struct vmacore_vma *vma, enum fault_src src,
		       uint64_t arg, uint64_t addr, uint64_t *pfn,
		       uint64_t *kaddr)
{
	uint64_t pgoff = vma->vm_pgoff +
			 ((addr - vma->vm_start) >> ctx->l.page_shift);
	uint64_t folio = 0, page = 0, size, data, i;
	struct vmacore_error *err = NULL;

	*kaddr = 0;
	switch (src) {
	case FAULT_FILE:
		err = page_cache_lookup(ctx, arg, pgoff, &folio);
		if (!err && folio)
			err = vmacore_pfn_from_page(ctx, folio, pfn);
		vmacore_error_destroy(err);
		return !err && folio;
	case FAULT_PAGES:
		/* special_mapping_fault(): pages up to a NULL entry */
		for (i = 0; i <= pgoff && !err; i++) {
			err = read_u64(ctx, arg + 8 * i, &page);
			if (!page)
				break;
		}
		if (!err && page)
			err = vmacore_pfn_from_page(ctx, page, pfn);
		vmacore_error_destroy(err);
		return !err && page;
	case FAULT_VDSO:
		/* vdso_fault(): image->data + (pgoff << PAGE_SHIFT) */
		err = read_field(ctx, arg, &l->image_size, &size);
		if (!err)
			err = read_field(ctx, arg, &l->image_data, &data);
		vmacore_error_destroy(err);
		if (err || (pgoff << ctx->l.page_shift) >= size)
			return false;
		*kaddr = data + (pgoff << ctx->l.page_shift);
		return true;
	default:
		return false;
	}
}

/* get_dump_page() for @addr of @vma: its bytes, a hole, or not in the dump */
static enum page_src dump_page(struct vmacore_ctx *ctx,
			       const struct gc_layout *l,
			       struct walk_cache *wc,
			       const struct vmacore_mm *mm,
			       const struct vmacore_vma *vma,
			       enum fault_src src, uint64_t arg,
			       uint64_t addr, unsigned char *buf)
{
	uint64_t ps = ctx->l.page_size, pfn = 0, kaddr = 0;
	struct vmacore_error *err;
	struct vmacore_pte pte;

	if (src == FAULT_IO)
		return PAGE_HOLE;
	err = pgtable_walk_lookup(ctx, wc, mm->pgd, addr, &pte);
	if (err) {
		vmacore_error_destroy(err);
		return PAGE_MISSING;
	}
	if (pte.present)
		pfn = pte.pfn;
	else if (pte.entry)
		return PAGE_MISSING;	/* swap or migration: not in memory */
	else if (src == FAULT_NONE)
		return PAGE_HOLE;
	else if (!fault_page(ctx, l, vma, src, arg, addr, &pfn, &kaddr))
		return PAGE_MISSING;
	if (kaddr)
		err = read_mem(ctx, kaddr, buf, ps);
	else
		err = read_phys(ctx, pfn << ctx->l.page_shift, buf, ps);
	if (err) {
		vmacore_error_destroy(err);
		return PAGE_MISSING;
	}
	return all_zero(buf, ps) ? PAGE_HOLE : PAGE_DATA;
}

/*
 * Where user VMAs end: mm->task_size (TASK_SIZE, arch_pick_mmap_layout());
 * without that member, the top of the largest user space of any supported
 * architecture (x86_64 LA57: 56 bits), so that a damaged VMA can never make
 * the core file unbounded.
 */
#define GC_USER_TOP_MAX (1ull << 56)

static uint64_t user_top(struct vmacore_ctx *ctx, const struct gc_layout *l,
			 const struct vmacore_mm *mm)
{
	uint64_t top;

	if (l->mm_task_size.present && read_ok(ctx, mm->addr, &l->mm_task_size,
					       &top) && top && top <= GC_USER_TOP_MAX)
		return top;
	return GC_USER_TOP_MAX;
}

/* The VMAs and the gate VMA with their verdicts: dump_vma_snapshot() */
static struct vmacore_error *snapshot(struct vmacore_ctx *ctx,
				      const struct gc_layout *l,
				      const struct vmacore_task *task,
				      const struct vmacore_mm *mm,
				      struct vmacore_gcore *g,
				      struct vmacore_vma **vmas_ret)
{
	const struct layout_vm_flags *vf = &ctx->l.mm.vm;
	struct vmacore_coredump_verdict v;
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_vma vma, *vmas = NULL, *nv;
	struct vmacore_gcore_vma *gv;
	struct vmacore_error *err;
	uint64_t top = user_top(ctx, l, mm);
	size_t cap = 0;
	bool gate = false, last = false;

	err = vmacore_vma_iter_create(ctx, task->mm, &it);
	while (!err) {
		err = vmacore_vma_iter_next(it, &vma);
		if (err == &vmacore_stop) {
			err = vmacore_coredump_gate_vma(ctx, mm, &vma, &gate);
			if (err || !gate)
				break;
			last = true;
		} else if (err) {
			break;
		}
		/* PT_LOADs must not overlap: the file stays bounded */
		if (vma.vm_end <= vma.vm_start || (g->nr_vmas &&
		    vma.vm_start < g->vmas[g->nr_vmas - 1].end)) {
			err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
				"VMA %llx-%llx out of order or empty",
				(unsigned long long)vma.vm_start,
				(unsigned long long)vma.vm_end);
			break;
		}
		/* the gate VMA (vsyscall) lies above; nothing else does */
		if (!last && vma.vm_end > top) {
			err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
				"VMA %llx-%llx beyond the task's address space (%llx)",
				(unsigned long long)vma.vm_start,
				(unsigned long long)vma.vm_end,
				(unsigned long long)top);
			break;
		}
		if (g->nr_vmas == GC_MAX_VMAS) {
			err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
				"more than %u VMAs", GC_MAX_VMAS);
			break;
		}
		if (g->nr_vmas == cap) {
			cap = cap ? 2 * cap : 64;
			gv = realloc(g->vmas, cap * sizeof(*gv));
			if (!gv) {
				err = &vmacore_enomem;
				break;
			}
			g->vmas = gv;
			nv = realloc(vmas, cap * sizeof(*nv));
			if (!nv) {
				err = &vmacore_enomem;
				break;
			}
			vmas = nv;
		}
		err = vmacore_coredump_vma(ctx, mm, &vma, &v);
		if (err == &vmacore_enomem)
			break;
		if (err) {
			/* this VMA's verdict only: written empty, said */
			vmacore_log(ctx, "VMA %llx-%llx: no verdict, written empty: %s",
				    (unsigned long long)vma.vm_start,
				    (unsigned long long)vma.vm_end,
				    err->message);
			vmacore_error_destroy(err);
			err = NULL;
			memset(&v, 0, sizeof(v));
			v.kind = VMACORE_DUMP_UNKNOWN;
		}
		gv = &g->vmas[g->nr_vmas];
		memset(gv, 0, sizeof(*gv));
		gv->start = vma.vm_start;
		gv->end = vma.vm_end;
		gv->kind = v.kind;
		gv->filesz = v.kind == VMACORE_DUMP_UNKNOWN ? 0 : v.size;
		if (gv->filesz > gv->end - gv->start)
			gv->filesz = gv->end - gv->start;
		if (v.kind == VMACORE_DUMP_UNKNOWN)
			g->unknown++;
		/* fill_elf_header()'s caller: vm_flags to p_flags */
		gv->p_flags = (vma.vm_flags & vf->read ? GC_PF_R : 0) |
			      (vma.vm_flags & vf->write ? GC_PF_W : 0) |
			      (vma.vm_flags & vf->exec ? GC_PF_X : 0);
		vmas[g->nr_vmas++] = vma;
		if (last)
			break;
	}
	if (it && vmacore_vma_iter_partial(it)) {
		const struct vmacore_vma_loss *loss;

		g->vma_losses = vmacore_vma_iter_losses(it, &loss);
		if (!g->vma_losses)
			g->vma_losses = 1;
	}
	vmacore_vma_iter_destroy(it);
	*vmas_ret = vmas;
	return err;
}

struct vmacore_error *
vmacore_gcore_write(struct vmacore_ctx *ctx, const struct vmacore_task *task,
		    int64_t filter, int fd, vmacore_gcore_progress_fn progress,
		    void *progress_arg, struct vmacore_gcore **ret)
{
	uint64_t ps = ctx->l.page_size, off, dataoff, addr, arg;
	struct gc_layout gl;
	struct vmacore_vma *vmas = NULL;
	struct walk_cache *wc = NULL;
	struct vmacore_error *err;
	struct vmacore_gcore *g;
	struct vmacore_mm mm;
	struct gc_ehdr eh;
	struct gc_phdr ph;
	struct gc_shdr sh;
	unsigned char *notes = NULL;
	size_t notes_len = 0;
	uint64_t segs;
	struct writer w = { fd, 0, false };
	unsigned char *buf, *zeros;
	size_t i;

	*ret = NULL;
	if (!task->mm)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
			"pid %d has no mm (a kernel thread)", task->pid);
	err = vmacore_mm_read(ctx, task->mm, &mm);
	if (err)
		return err;
	if (filter >= 0)
		mm.flags = (mm.flags & ~GC_FILTER_MASK) |
			   (((uint64_t)filter << GC_FILTER_SHIFT) &
			    GC_FILTER_MASK);
	g = calloc(1, sizeof(*g));
	buf = malloc(ps);
	zeros = calloc(1, ps);
	/* each page-table page and folio head read once, in address order */
	wc = walk_cache_create();
	if (!g || !buf || !zeros || !wc) {
		free(g);
		free(buf);
		free(zeros);
		walk_cache_destroy(wc);
		return &vmacore_enomem;
	}
	err = gc_layout_get(ctx, &gl);
	if (!err)
		err = snapshot(ctx, &gl, task, &mm, g, &vmas);
	if (err)
		goto out;
	err = gcore_notes_build(ctx, task, &mm, vmas, g->nr_vmas, g, &notes,
				&notes_len);
	if (err)
		goto out;
	g->notes_size = notes_len;
	w.seekable = lseek(fd, 0, SEEK_SET) == 0;

	/* segs: the VMAs and the note; PN_XNUM and up: fill_extnum_info() */
	segs = g->nr_vmas + 1;
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, "\177ELF", 4);
	eh.e_ident[4] = 2;	/* ELFCLASS64 */
	eh.e_ident[5] = 1;	/* ELFDATA2LSB */
	eh.e_ident[6] = 1;	/* EV_CURRENT */
	eh.e_type = GC_ET_CORE;
	eh.e_machine = strcmp(vmacore_ctx_arch(ctx), "arm64") == 0 ?
		       GC_EM_AARCH64 : GC_EM_X86_64;
	eh.e_version = 1;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = segs >= GC_PN_XNUM ? GC_PN_XNUM : segs;

	off = sizeof(eh) + segs * sizeof(ph);
	/* fill_elf_note_phdr() */
	memset(&ph, 0, sizeof(ph));
	ph.p_type = GC_PT_NOTE;
	ph.p_offset = off;
	ph.p_filesz = notes_len;
	/*
	 * 4 since fill_elf_note_phdr() set it (6.12 and 7.2 write 4, 6.1
	 * writes 0); no member or symbol marks that change: test-gcore
	 * leaves this one field out.
	 */
	ph.p_align = 4;
	off += notes_len;
	dataoff = (off + ps - 1) / ps * ps;	/* ELF_EXEC_PAGESIZE */
	off = dataoff;
	for (i = 0; i < g->nr_vmas; i++)
		off += g->vmas[i].filesz;
	if (eh.e_phnum == GC_PN_XNUM) {
		eh.e_shoff = off;
		eh.e_shentsize = sizeof(sh);
		eh.e_shnum = 1;
		eh.e_shstrndx = 0;	/* SHN_UNDEF */
		memset(&sh, 0, sizeof(sh));
		sh.sh_type = GC_SHT_NULL;
		sh.sh_size = eh.e_shnum;
		sh.sh_link = eh.e_shstrndx;
		sh.sh_info = segs;
	}
	err = w_write(&w, &eh, sizeof(eh));
	if (!err)
		err = w_write(&w, &ph, sizeof(ph));
	if (err)
		goto out;
	off = dataoff;
	for (i = 0; i < g->nr_vmas; i++) {
		struct vmacore_gcore_vma *gv = &g->vmas[i];

		memset(&ph, 0, sizeof(ph));
		ph.p_type = GC_PT_LOAD;
		ph.p_offset = gv->offset = off;
		ph.p_vaddr = gv->start;
		ph.p_filesz = gv->filesz;
		ph.p_memsz = gv->end - gv->start;
		ph.p_flags = gv->p_flags;
		ph.p_align = ps;
		off += gv->filesz;
		err = w_write(&w, &ph, sizeof(ph));
		if (err)
			goto out;
	}
	err = w_write(&w, notes, notes_len);
	if (err)
		goto out;
	err = w_skip_to(&w, dataoff, zeros, ps);
	if (err)
		goto out;
	if (progress)
		progress(progress_arg, dataoff, off);	/* off: the data's end */

	/* dump_user_range() of each VMA */
	for (i = 0; i < g->nr_vmas; i++) {
		struct vmacore_gcore_vma *gv = &g->vmas[i];
		const struct vmacore_vma *vma = &vmas[i];
		enum fault_src src = fault_src(ctx, &gl, vma, &arg);

		for (addr = gv->start; addr < gv->start + gv->filesz;
		     addr += ps) {
			if (progress && addr > gv->start &&
			    !((addr - gv->start) / ps % 256))
				progress(progress_arg,
					 gv->offset + addr - gv->start, off);
			switch (dump_page(ctx, &gl, wc, &mm, vma, src, arg,
					  addr, buf)) {
			case PAGE_DATA:
				err = w_skip_to(&w, gv->offset + addr -
						gv->start, zeros, ps);
				if (!err)
					err = w_write(&w, buf, ps);
				g->pages_written++;
				break;
			case PAGE_HOLE:
				g->pages_hole++;
				break;
			case PAGE_MISSING:
				g->pages_missing++;
				gv->pages_missing++;
				break;
			}
			if (err)
				goto out;
		}
		if (progress)
			progress(progress_arg, gv->offset + gv->filesz, off);
	}
	/* fill_extnum_info()'s section header, after the data */
	if (eh.e_phnum == GC_PN_XNUM) {
		err = w_skip_to(&w, off, zeros, ps);
		if (!err)
			err = w_write(&w, &sh, sizeof(sh));
		if (err)
			goto out;
		off += sizeof(sh);
	}
	/* a trailing hole still counts: the file ends where the data does */
	if (w.off < off) {
		if (w.seekable) {
			if (ftruncate(fd, off) < 0)
				err = vmacore_error_create(VMACORE_ERROR_OS,
					"cannot extend the core file: %s",
					strerror(errno));
			else
				w.off = off;
		} else {
			err = w_skip_to(&w, off, zeros, ps);
		}
	}
	g->size = off;
out:
	walk_cache_destroy(wc);
	free(notes);
	free(vmas);
	free(buf);
	free(zeros);
	*ret = g;
	return err;
}

void vmacore_gcore_destroy(struct vmacore_gcore *g)
{
	if (!g)
		return;
	free(g->vmas);
	free(g->notes_lost);
	free(g->notes_left_out);
	free(g);
}
