// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kdump.c - the dump file, read through libkdumpfile: ELF, kdump-compressed
 * and makedumpfile-filtered dumps, and (reassembled here first, see flat.c)
 * the flattened format QEMU writes.  Address translation (KASLR,
 * phys_base, page tables) is libkdumpfile's, driven by VMCOREINFO.
 *
 * Speed: QEMU's ELF dumps have only physical segments, so each kernel
 * virtual read would cost a page-table walk.  Once the target knows where
 * the direct map is (kdump_target_set_direct_map()), direct-map addresses
 * become physical ones by subtraction, and physical pages are kept in a
 * direct-mapped page cache in front of libkdumpfile.  Physical pages of an
 * ELF dump are read from the file directly (elf_read_page()), and the dump
 * is read with read(2), not mapped, so that RSS does not grow with the
 * walk.
 *
 * Architectures: x86_64 and arm64 (kdump_select_arch()); on arm64 the
 * kernel image and the linear map are shortcuts too.  Other kernel
 * addresses go through addrxlat reading page tables with this file's own
 * physical reads (xlat_open()).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump.h"

#define PAGE_SIZE 4096ULL
/*
 * 16 MiB, touched only as used.  Issue 6 (bench/run): the VMA slab pages
 * and maple nodes of a walk come back after ~1,000-2,000 other pages; 512
 * slots re-read (and re-inflated) 80% more pages than 4096 on a
 * 200,000-VMA dump.
 */
#define CACHE_PAGES 4096
/*
 * 4-way set associative, least recently used in a set (pfn % CACHE_SETS):
 * direct-mapped slots evicted pages that came back (issue 14, maps --all
 * of the 1,000,010-VMA dump: 55,893 pages inflated, 49,802 with 4 ways
 * for 48,471 different ones).
 */
#define CACHE_WAYS 4
#define CACHE_SETS (CACHE_PAGES / CACHE_WAYS)
/*
 * libkdumpfile's own page cache (1024 entries by default) searches a list
 * on every read: with this cache in front it only needs room for a
 * page-table walk.  Issue 6: -20% time for a whole-dump walk of a
 * kdump-compressed dump.
 */
#define KDUMP_CACHE_SIZE 16

/*
 * The slots of a set side by side, their pages apart and page-aligned: a
 * lookup reads one cache line, not four pages, and a slot's first use
 * faults in one page, not two (ps of the 6.12 x86_64 kdump: 9,851 -> 5,292
 * page faults, -14% CPU time; the 1M-VMA walk: -4,100 faults, -2%).
 */
struct page_slot {
	uint64_t pfn;
	uint64_t used;		/* kt->clock at the last use */
	bool valid;
	unsigned char *data;	/* PAGE_SIZE bytes in kt->cache_data */
};

struct elf_seg {
	uint64_t paddr, memsz, filesz, offset;
};

struct kdump_target {
	kdump_ctx_t *ctx;
	int fd;
	const char *path;
	uint64_t direct_base;
	uint64_t direct_size;	/* 0: no shortcut */
	struct page_slot *cache;	/* CACHE_SETS sets of CACHE_WAYS */
	unsigned char *cache_data;	/* their pages */
	uint64_t clock;
	uint64_t reads;
	uint64_t hits;
	/* kdump_target_read_image(): 1 usable, -1 not, 0 not known yet. */
	int image_ok;
	int64_t phys_base;
	/* ELF dumps: PT_LOAD segments by paddr, read with pread(2). */
	struct elf_seg *segs;
	size_t nsegs;
	/* file.pagemap: which pfns the file holds (NULL: not known) */
	kdump_bmp_t *pagemap;
	enum dump_arch arch;
	/* kdump_target_set_image_map(): 0 size, none */
	uint64_t image_start, image_size, image_phys;
	/* read_image_arm64(): kimage_voffset, SYMBOL(_stext) */
	uint64_t kimage_voffset, image_stext;
	/* xlat_open(): addrxlat reading page tables through read_phys_page() */
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	addrxlat_cb_t *axcb;
	/* kdump-compressed pages read by diskdump.c (NULL: libkdumpfile) */
	struct diskdump *dd;
	/* -v lines (NULL: not verbose), as dump_target's */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

#define kdump_log(kt, ...) dump_logf((kt)->log, (kt)->log_arg, __VA_ARGS__)

/* See kdump_target_open(): contexts we dare not free. */
static kdump_ctx_t *volatile kdump_abandoned;

static struct vmacore_error *kdump_error(struct kdump_target *kt,
					 kdump_status st, const char *what)
{
	return vmacore_error_create(st == KDUMP_ERR_SYSTEM ? VMACORE_ERROR_OS :
				    st == KDUMP_ERR_NOTIMPL ?
				    VMACORE_ERROR_UNSUPPORTED :
				    VMACORE_ERROR_CORRUPT,
				    "%s %s: %s", what, kt->path,
				    kdump_get_err(kt->ctx));
}

/*
 * libkdumpfile 0.5.1 reads the missing tail of a truncated ELF dump as
 * zeroes (measured: a page past the end of a cut copy reads as 0 instead
 * of failing), which would turn into silently wrong answers: refuse an
 * ELF dump shorter than its PT_LOADs say.  (Added for issue 5, hostile
 * dumps; kdump-compressed dumps fail their reads by themselves.)
 */
static struct vmacore_error *elf_check_size(int fd, const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint64_t need = 0;
	struct stat st;
	unsigned int i;

	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || fstat(fd, &st) < 0)
		return NULL;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    (ssize_t)sizeof(ph))
			break;
		if ((ph.p_type == PT_LOAD || ph.p_type == PT_NOTE) &&
		    ph.p_offset + ph.p_filesz > need)
			need = ph.p_offset + ph.p_filesz;
	}
	if ((uint64_t)st.st_size < need || i < eh.e_phnum)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "%s is truncated: %llu bytes, its program headers describe %llu",
					    path, (unsigned long long)st.st_size,
					    (unsigned long long)need);
	return NULL;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct elf_seg *x = a, *y = b;

	return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/*
 * Physical pages of an ELF dump straight from the file: libkdumpfile 0.5.1
 * with read(2) spends most of a walk searching its file cache, and with
 * mmap(2) every page read stays in our RSS (94 MB for a 200,000-VMA walk).
 * Only for the plain case (PT_LOADs at page-aligned physical addresses,
 * not overlapping, inside the file); anything else stays with libkdumpfile.
 */
static void elf_load_segments(struct kdump_target *kt)
{
	struct elf_seg *segs;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	struct stat st;
	size_t i, m, n = 0;

	if (pread(kt->fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_type != ET_CORE ||
	    eh.e_phentsize != sizeof(*ph) || eh.e_phnum == 0 ||
	    eh.e_phnum == PN_XNUM || fstat(kt->fd, &st) < 0)
		return;
	ph = calloc(eh.e_phnum, sizeof(*ph));
	segs = calloc(eh.e_phnum, sizeof(*segs));
	if (!ph || !segs ||
	    pread(kt->fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff) !=
	    (ssize_t)(eh.e_phnum * sizeof(*ph)))
		goto out;
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !ph[i].p_memsz)
			continue;
		if (ph[i].p_paddr % PAGE_SIZE ||
		    ph[i].p_filesz > ph[i].p_memsz ||
		    ph[i].p_offset > (uint64_t)st.st_size ||
		    ph[i].p_filesz > (uint64_t)st.st_size - ph[i].p_offset ||
		    ph[i].p_paddr + ph[i].p_memsz < ph[i].p_paddr)
			goto out;
		segs[n].paddr = ph[i].p_paddr;
		segs[n].memsz = ph[i].p_memsz;
		segs[n].filesz = ph[i].p_filesz;
		segs[n].offset = ph[i].p_offset;
		n++;
	}
	qsort(segs, n, sizeof(*segs), seg_cmp);
	for (i = 0, m = 0; i < n; i++) {
		struct elf_seg *p = &segs[m - 1];

		if (!m || segs[i].paddr >= p->paddr + p->memsz) {
			segs[m++] = segs[i];
			continue;
		}
		/*
		 * /proc/vmcore (kexec) has the kernel text twice: its own
		 * segment and inside a direct-map one, both read from the same
		 * physical memory (vmcore_init(), fs/proc/vmcore.c).  A segment
		 * wholly inside another, both whole in the file, is dropped;
		 * other overlaps stay with libkdumpfile, as do parts left out
		 * of the file.  Issue 12: reading the kernel's BTF through
		 * libkdumpfile was a fifth of the 6.1 kexec start-up.
		 */
		if (p->filesz != p->memsz || segs[i].filesz != segs[i].memsz)
			goto out;
		if (segs[i].paddr + segs[i].memsz <= p->paddr + p->memsz)
			continue;
		if (segs[i].paddr != p->paddr)
			goto out;
		*p = segs[i];
	}
	if (m) {
		kt->segs = segs;
		kt->nsegs = m;
		segs = NULL;
	}
out:
	free(ph);
	free(segs);
}

/* One page of an ELF dump; false: not one of the plain cases. */
static bool elf_read_page(struct kdump_target *kt, uint64_t pfn, void *buf,
			  struct vmacore_error **err_ret)
{
	uint64_t addr = pfn * PAGE_SIZE, off, len;
	size_t lo = 0, hi = kt->nsegs;
	const struct elf_seg *s;
	ssize_t r;

	while (lo < hi) {	/* the last segment starting at or below */
		size_t mid = lo + (hi - lo) / 2;

		if (kt->segs[mid].paddr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - kt->segs[lo - 1].paddr >= kt->segs[lo - 1].memsz) {
		*err_ret = vmacore_error_fault(VMACORE_ERROR_NODATA, addr,
					       "cannot read physical address 0x%llx: not in the dump",
					       (unsigned long long)addr);
		return true;
	}
	s = &kt->segs[lo - 1];
	off = addr - s->paddr;
	if (s->memsz - off < PAGE_SIZE)
		return false;	/* a page across segments */
	len = off < s->filesz ? s->filesz - off : 0;
	if (len > PAGE_SIZE)
		len = PAGE_SIZE;
	/*
	 * Beyond p_filesz an ELF segment reads as zeros, but makedumpfile -E
	 * ends a segment's file part where it excluded pages (zero pages,
	 * and user or cache pages alike): not in the dump, not zeros.
	 * Neither /proc/vmcore nor QEMU writes p_filesz < p_memsz.
	 */
	if (len < PAGE_SIZE) {
		*err_ret = vmacore_error_fault(VMACORE_ERROR_NODATA, addr,
					       "cannot read physical address 0x%llx: not in the dump (beyond its segment's p_filesz: excluded)",
					       (unsigned long long)addr);
		return true;
	}
	*err_ret = NULL;
	do {
		r = pread(kt->fd, buf, len, s->offset + off);
	} while (r < 0 && errno == EINTR);
	if (r != (ssize_t)len)
		*err_ret = vmacore_error_fault(VMACORE_ERROR_OS, addr,
					       "cannot read physical address 0x%llx from %s: %s",
					       (unsigned long long)addr, kt->path,
					       r < 0 ? strerror(errno) :
					       "short read");
	return true;
}

/*
 * The architecture: libkdumpfile's (ELF e_machine, the kdump header's
 * utsname.machine); QEMU's kdump header names none ("Unknown" on arm64),
 * and then VMCOREINFO tells: arm64's arch_crash_save_vmcoreinfo() writes
 * NUMBER(kimage_voffset), which no other architecture does; without it
 * x86_64, as before arm64 was read.
 */
static struct vmacore_error *kdump_select_arch(struct kdump_target *kt)
{
	const char *str, *set;
	kdump_status st;

	if (kdump_get_string_attr(kt->ctx, KDUMP_ATTR_ARCH_NAME, &str) ==
	    KDUMP_OK) {
		if (strcmp(str, KDUMP_ARCH_X86_64) == 0) {
			kt->arch = DUMP_ARCH_X86_64;
		} else if (strcmp(str, KDUMP_ARCH_AARCH64) == 0) {
			kt->arch = DUMP_ARCH_ARM64;
		} else {
			return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
						    "%s is a dump of a %s machine: only x86_64 and arm64 (aarch64) are supported",
						    kt->path, str);
		}
		return NULL;
	}
	/* kdump_vmcoreinfo_line() needs the OS type, which needs an arch */
	if (kdump_get_string_attr(kt->ctx,
				  "linux.vmcoreinfo.lines.NUMBER(kimage_voffset)",
				  &str) == KDUMP_OK) {
		kt->arch = DUMP_ARCH_ARM64;
		set = KDUMP_ARCH_AARCH64;
	} else {
		kt->arch = DUMP_ARCH_X86_64;
		set = KDUMP_ARCH_X86_64;
	}
	st = kdump_set_string_attr(kt->ctx, KDUMP_ATTR_ARCH_NAME, set);
	if (st != KDUMP_OK)
		return kdump_error(kt, st, "cannot set arch of");
	kdump_log(kt, "%s names no architecture: %s", kt->path,
		  kt->arch == DUMP_ARCH_ARM64 ? "aarch64 by its VMCOREINFO" :
		  "assuming x86_64");
	return NULL;
}

enum dump_arch kdump_target_arch(struct kdump_target *kt)
{
	return kt->arch;
}

void kdump_target_set_image_map(struct kdump_target *kt, uint64_t start,
				uint64_t size, uint64_t phys)
{
	kt->image_start = start;
	kt->image_size = size;
	kt->image_phys = phys;
}

static struct vmacore_error *read_phys_page(struct kdump_target *kt,
					    uint64_t pfn,
					    const unsigned char **ret);

static void xlat_put_page(const addrxlat_buffer_t *buf)
{
	free(buf->priv);
}

/*
 * addrxlat's page-table reads: a copy of the page (read_phys_page()) that
 * lives until put_page, as addrxlat keeps buffers across reads.
 */
static addrxlat_status xlat_get_page(const addrxlat_cb_t *cb,
				     addrxlat_buffer_t *buf)
{
	struct kdump_target *kt = cb->priv;
	uint64_t addr = buf->addr.addr & ~(PAGE_SIZE - 1);
	const unsigned char *page;
	struct vmacore_error *err;
	addrxlat_status st;
	void *copy;

	if (buf->addr.as != ADDRXLAT_KPHYSADDR &&
	    buf->addr.as != ADDRXLAT_MACHPHYSADDR)
		return addrxlat_ctx_err(kt->axctx, ADDRXLAT_ERR_NOTIMPL,
					"not a physical address");
	err = read_phys_page(kt, addr / PAGE_SIZE, &page);
	if (err) {
		st = addrxlat_ctx_err(kt->axctx, err->code ==
				      VMACORE_ERROR_NODATA ?
				      ADDRXLAT_ERR_NODATA : ADDRXLAT_ERR_INVALID,
				      "%s", err->message);
		vmacore_error_destroy(err);
		return st;
	}
	copy = malloc(PAGE_SIZE);
	if (!copy)
		return addrxlat_ctx_err(kt->axctx, ADDRXLAT_ERR_NOMEM,
					"out of memory");
	memcpy(copy, page, PAGE_SIZE);
	buf->addr.addr = addr;
	buf->ptr = copy;
	buf->size = PAGE_SIZE;
	buf->byte_order = ADDRXLAT_LITTLE_ENDIAN;
	buf->put_page = xlat_put_page;
	buf->priv = copy;
	return ADDRXLAT_OK;
}

static unsigned long xlat_read_caps(const addrxlat_cb_t *cb)
{
	(void)cb;
	return ADDRXLAT_CAPS(ADDRXLAT_KPHYSADDR) |
	       ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR);
}

/*
 * Kernel addresses outside the image and the linear map (vmemmap,
 * vmalloc) are translated by addrxlat, as libkdumpfile sets it up from
 * VMCOREINFO, but its page-table reads and the data go through this
 * file's physical reads and page cache.  arm64: libkdumpfile 0.5.1 cannot
 * read QEMU's arm64 kdump file, whose 64 KiB blocks are not the 4 KiB
 * pages ("Out-of-bounds PFN"); diskdump.c can.  x86_64: kdump_read()
 * keeps KDUMP_CACHE_SIZE pages, fewer than the vmemmap pages smaps reads
 * struct pages from on a large guest: each miss inflates a page again,
 * and one more process of a 4,000-process dump took 1.6x the
 * instructions it took at 2,000 (bench/run, linear in tasks).  Best
 * effort: without it, kdump_read().
 */
static void xlat_open(struct kdump_target *kt)
{
	if (kdump_get_addrxlat(kt->ctx, &kt->axctx, &kt->axsys) != KDUMP_OK)
		return;
	kt->axcb = addrxlat_ctx_add_cb(kt->axctx);
	if (!kt->axcb)
		return;
	kt->axcb->priv = kt;
	kt->axcb->get_page = xlat_get_page;
	kt->axcb->read_caps = xlat_read_caps;
}

static void xlat_close(struct kdump_target *kt)
{
	if (kt->axcb)
		addrxlat_ctx_del_cb(kt->axctx, kt->axcb);
	if (kt->axsys)
		addrxlat_sys_decref(kt->axsys);
	if (kt->axctx)
		addrxlat_ctx_decref(kt->axctx);
}

/* A kernel virtual read translated page by page (xlat_open()). */
static struct vmacore_error *read_kvaddr_xlat(struct kdump_target *kt,
					      uint64_t addr, void *buf,
					      size_t len)
{
	unsigned char *p = buf;

	while (len) {
		addrxlat_fulladdr_t fa = { .addr = addr, .as = ADDRXLAT_KVADDR };
		uint64_t off = addr % PAGE_SIZE;
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		const unsigned char *page;
		struct vmacore_error *err;

		if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, kt->axctx,
					   kt->axsys) != ADDRXLAT_OK)
			return vmacore_error_fault(VMACORE_ERROR_FAULT, addr,
						   "cannot read kernel address 0x%llx: %s",
						   (unsigned long long)addr,
						   addrxlat_ctx_get_err(kt->axctx));
		err = read_phys_page(kt, fa.addr / PAGE_SIZE, &page);
		if (err) {
			err->address = addr;
			return vmacore_error_prefix(err,
						    "cannot read kernel address 0x%llx",
						    (unsigned long long)addr);
		}
		memcpy(p, page + fa.addr % PAGE_SIZE, n);
		p += n;
		addr += n;
		len -= n;
	}
	return NULL;
}

/*
 * A second thread decodes ahead only when a CPU is idle: with none it
 * costs time (measured on a 2-CPU machine with a load of 6: +11% wall
 * and +20% CPU time for a 1,000,010-VMA walk; idle: -24% wall, +30% CPU).
 * VMACORE_DECODE_THREADS=1 or 2 decides instead (vmacore(1), bench/run).
 */
static unsigned int decode_threads(void)
{
	const char *env = getenv("VMACORE_DECODE_THREADS");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	double load;

	if (env)
		return atoi(env) > 1 ? 2 : 1;
	if (cpus < 2 || getloadavg(&load, 1) != 1)
		return 1;
	return load <= cpus - 1 ? 2 : 1;
}

/*
 * Pages of a kdump-compressed file through diskdump.c (issue 14: libdeflate
 * instead of zlib, no libkdumpfile cache in the way), once libkdumpfile has
 * recognised the format.  VMACORE_PAGEREADER=libkdumpfile keeps every read
 * with libkdumpfile (vmacore(1); tests and bench/run compare the two).
 */
static struct vmacore_error *open_pagereader(struct kdump_target *kt)
{
	const char *env = getenv("VMACORE_PAGEREADER");
	uint64_t page_size = PAGE_SIZE;
	struct vmacore_error *err;
	unsigned int threads;
	char *val;

	if (strcmp(kdump_target_format(kt), "diskdump") != 0 ||
	    (env && strcmp(env, "libkdumpfile") == 0))
		return NULL;
	if (!kdump_target_vmcoreinfo(kt, "PAGESIZE", &val)) {
		page_size = strtoull(val, NULL, 10);
		free(val);
	}
	if (page_size != PAGE_SIZE)	/* the page cache here is 4 KiB */
		return NULL;
	err = diskdump_open(kt->fd, kt->path, page_size, &kt->dd);
	if (err || !kt->dd)
		return err;
	threads = decode_threads();
	diskdump_set_threads(kt->dd, threads);
	kdump_log(kt,
		  "%s: kdump-compressed pages read by vmacore's own reader (block size %u, %s)",
		  kt->path, diskdump_block_size(kt->dd),
		  threads > 1 ? "a second thread decodes ahead" : "one thread");
	return err;
}

/*
 * Reading ahead in an ELF dump (issue 14): a walk's page reads go mostly
 * upwards (a 1,000,010-VMA walk: 81% of the misses are 1-3 pages above
 * a recent one), and a pread(2) a page cost 40% of its time in system
 * calls.  When page @pfn - 1 is in the cache, pages @pfn.. up to
 * ELF_AHEAD (inside the segment's file part) are read with one preadv(2)
 * into their own cache slots.  False: not done (read the page alone).
 */
#define ELF_AHEAD 8

/* Page @pfn's slot if the cache holds it. */
static struct page_slot *cache_find(struct kdump_target *kt, uint64_t pfn)
{
	struct page_slot *set = &kt->cache[pfn % CACHE_SETS * CACHE_WAYS];
	unsigned int i;

	for (i = 0; i < CACHE_WAYS; i++) {
		if (set[i].valid && set[i].pfn == pfn) {
			set[i].used = ++kt->clock;
			return &set[i];
		}
	}
	return NULL;
}

/*
 * The slot to read page @pfn into: its own if the cache holds it, else an
 * empty or the least recently used one of its set; invalid until filled.
 */
static struct page_slot *cache_slot(struct kdump_target *kt, uint64_t pfn)
{
	struct page_slot *set = &kt->cache[pfn % CACHE_SETS * CACHE_WAYS];
	struct page_slot *s = &set[0];
	unsigned int i;

	for (i = 0; i < CACHE_WAYS; i++) {
		if (set[i].valid && set[i].pfn == pfn) {
			s = &set[i];
			break;
		}
		if (!set[i].valid ? s->valid || set[i].used < s->used :
		    s->valid && set[i].used < s->used)
			s = &set[i];
	}
	s->valid = false;
	s->used = ++kt->clock;
	return s;
}

static bool elf_read_ahead(struct kdump_target *kt, uint64_t pfn)
{
	const struct page_slot *prev = pfn ? cache_find(kt, pfn - 1) : NULL;
	uint64_t addr = pfn * PAGE_SIZE, off;
	struct page_slot *slots[ELF_AHEAD];
	struct iovec iov[ELF_AHEAD];
	size_t lo = 0, hi = kt->nsegs, n, i;
	const struct elf_seg *seg;
	ssize_t r;

	if (!prev)
		return false;
	while (lo < hi) {	/* as in elf_read_page() */
		size_t mid = lo + (hi - lo) / 2;

		if (kt->segs[mid].paddr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	seg = &kt->segs[lo - 1];
	off = addr - seg->paddr;
	if (off >= seg->filesz || seg->filesz - off < PAGE_SIZE)
		return false;	/* elf_read_page() says why */
	n = (seg->filesz - off) / PAGE_SIZE;
	if (n > ELF_AHEAD)
		n = ELF_AHEAD;
	for (i = 0; i < n; i++) {	/* n < CACHE_SETS: a set each */
		slots[i] = cache_slot(kt, pfn + i);
		iov[i].iov_base = slots[i]->data;
		iov[i].iov_len = PAGE_SIZE;
	}
	do {
		r = preadv(kt->fd, iov, n, seg->offset + off);
	} while (r < 0 && errno == EINTR);
	if (r < (ssize_t)PAGE_SIZE)
		return false;
	for (i = 0; i < (size_t)r / PAGE_SIZE; i++) {
		slots[i]->pfn = pfn + i;
		slots[i]->valid = true;
	}
	return true;
}

struct vmacore_error *kdump_target_open(const char *path,
					void (*log)(void *arg, const char *msg),
					void *log_arg,
					struct kdump_target **ret)
{
	struct kdump_target *kt;
	struct vmacore_error *err;
	kdump_status st;
	unsigned long cache_size;
	size_t i;

	kt = calloc(1, sizeof(*kt));
	if (!kt)
		return &vmacore_enomem;
	kt->path = path;
	kt->log = log;
	kt->log_arg = log_arg;
	kt->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (kt->fd < 0) {
		err = vmacore_error_create(VMACORE_ERROR_OS,
					   "cannot open %s: %s", path,
					   strerror(errno));
		free(kt);
		return err;
	}
	if (flat_is_flattened(kt->fd)) {
		uint64_t size;
		int fd;

		err = flat_reassemble(kt->fd, path, &fd, &size);
		if (err) {
			kdump_target_close(kt);
			return err;
		}
		close(kt->fd);
		kt->fd = fd;
		kdump_log(kt,
			  "%s is in makedumpfile's flattened format: reassembled in memory (%llu bytes)",
			  path, (unsigned long long)size);
	}
	kt->ctx = kdump_new();
	if (!kt->ctx) {
		kdump_target_close(kt);
		return &vmacore_enomem;
	}
	/*
	 * read(2), not mmap(2): pages of a mapped dump stay in our RSS, which
	 * then grows with every structure read (80 MB for 200,000 VMAs of an
	 * ELF dump); the page cache below keeps what we reuse.
	 */
	st = kdump_set_number_attr(kt->ctx, KDUMP_ATTR_FILE_MMAP_POLICY,
				   getenv("VMACORE_MMAP") ? KDUMP_MMAP_TRY :
				   KDUMP_MMAP_NEVER);
	if (st == KDUMP_OK)
		st = kdump_open_fd(kt->ctx, kt->fd);
	if (st != KDUMP_OK) {
		err = kdump_error(kt, st, "cannot open dump");
		/*
		 * libkdumpfile 0.5.1 can crash in kdump_free() after an open
		 * that failed half-way on a corrupt header (seen with a
		 * fuzzed diskdump header): keep the context instead.
		 */
		kdump_abandoned = kt->ctx;
		kt->ctx = NULL;
		kdump_target_close(kt);
		return err;
	}
	/* first: an unsupported machine's dump says so, not something else */
	err = kdump_select_arch(kt);
	if (err) {
		kdump_target_close(kt);
		return err;
	}
	err = elf_check_size(kt->fd, path);
	if (err) {
		kdump_target_close(kt);
		return err;
	}
	elf_load_segments(kt);
	/* Best effort (issue 6): an error only leaves the default size. */
	cache_size = KDUMP_CACHE_SIZE;
	if (getenv("VMACORE_KDUMP_CACHE"))	/* vmacore(1), for tests */
		cache_size = strtoul(getenv("VMACORE_KDUMP_CACHE"), NULL, 0);
	if (kdump_set_number_attr(kt->ctx, "cache.size", cache_size) !=
	    KDUMP_OK)
		kdump_log(kt, "cannot set cache.size: %s",
			  kdump_get_err(kt->ctx));
	/* See pfn_excluded(); a file without the attribute reads as before. */
	{
		kdump_attr_t attr = { .type = KDUMP_BITMAP };

		if (kdump_get_typed_attr(kt->ctx, KDUMP_ATTR_FILE_PAGEMAP,
					 &attr) == KDUMP_OK) {
			kt->pagemap = attr.val.bitmap;
			kdump_bmp_incref(kt->pagemap);
		}
	}
	/* Linux: addrxlat then uses VMCOREINFO (KERNELOFFSET, phys_base). */
	st = kdump_set_string_attr(kt->ctx, KDUMP_ATTR_OSTYPE, "linux");
	if (st != KDUMP_OK) {
		err = kdump_error(kt, st, "cannot set up address translation for");
		kdump_target_close(kt);
		return err;
	}
	kt->cache = calloc(CACHE_PAGES, sizeof(*kt->cache));
	kt->cache_data = aligned_alloc(PAGE_SIZE, CACHE_PAGES * PAGE_SIZE);
	if (!kt->cache || !kt->cache_data) {
		kdump_target_close(kt);
		return &vmacore_enomem;
	}
	for (i = 0; i < CACHE_PAGES; i++)
		kt->cache[i].data = kt->cache_data + i * PAGE_SIZE;
	xlat_open(kt);
	err = open_pagereader(kt);
	if (err) {
		kdump_target_close(kt);
		return err;
	}
	*ret = kt;
	return NULL;
}

void kdump_target_close(struct kdump_target *kt)
{
	if (!kt)
		return;
	xlat_close(kt);
	diskdump_close(kt->dd);
	if (kt->pagemap)
		kdump_bmp_decref(kt->pagemap);
	if (kt->ctx)
		kdump_free(kt->ctx);
	if (kt->fd >= 0)
		close(kt->fd);
	free(kt->cache);
	free(kt->cache_data);
	free(kt->segs);
	free(kt);
}

const char *kdump_target_format(struct kdump_target *kt)
{
	const char *str;

	if (kdump_get_string_attr(kt->ctx, KDUMP_ATTR_FILE_FORMAT, &str) !=
	    KDUMP_OK)
		return "unknown";
	return str;
}

void kdump_target_set_direct_map(struct kdump_target *kt, uint64_t base,
				 uint64_t size)
{
	kt->direct_base = base;
	kt->direct_size = size;
}

void kdump_target_stats(struct kdump_target *kt, uint64_t *reads_ret,
			uint64_t *hits_ret)
{
	*reads_ret = kt->reads;
	*hits_ret = kt->hits;
}

static struct vmacore_error *read_error(struct kdump_target *kt,
					kdump_status st, uint64_t addr,
					bool physical)
{
	enum vmacore_error_code code;

	switch (st) {
	case KDUMP_ERR_NODATA:
		code = VMACORE_ERROR_NODATA;
		break;
	case KDUMP_ERR_SYSTEM:
		code = VMACORE_ERROR_OS;
		break;
	case KDUMP_ERR_CORRUPT:
		code = VMACORE_ERROR_CORRUPT;
		break;
	default:	/* KDUMP_ERR_ADDRXLAT and the rest */
		code = VMACORE_ERROR_FAULT;
		break;
	}
	return vmacore_error_fault(code, addr, "cannot read %s address 0x%llx: %s",
				   physical ? "physical" : "kernel",
				   (unsigned long long)addr,
				   kdump_get_err(kt->ctx));
}

/*
 * Whether the file holds page @pfn, from its page bitmap.  libkdumpfile
 * 0.5.1 reads an excluded page through its page cache and then discards
 * the entry; with cache.size 16 (or 64) a later lzo read can then
 * decompress into a NULL buffer and crash (seen on makedumpfile -l -d 31
 * dumps of 7.2).  Asking the bitmap first keeps excluded pages out of
 * its cache, and answers NODATA without a read.
 */
static bool pfn_excluded(struct kdump_target *kt, uint64_t pfn)
{
	unsigned char bits = 0;

	if (!kt->pagemap ||
	    kdump_bmp_get_bits(kt->pagemap, pfn, pfn, &bits) != KDUMP_OK)
		return false;	/* let kdump_read() say */
	return !(bits & 1);
}

static struct vmacore_error *excluded_error(uint64_t addr, uint64_t vaddr,
					    bool physical)
{
	return vmacore_error_fault(VMACORE_ERROR_NODATA,
				   physical ? addr : vaddr,
				   "cannot read %s address 0x%llx: Excluded page",
				   physical ? "physical" : "kernel",
				   (unsigned long long)(physical ? addr : vaddr));
}

/*
 * A block of several pages (QEMU's arm64 kdump: 64 KiB blocks of 4 KiB
 * pages) is inflated whole, so all its pages go into the cache, each in
 * its own slot: diskdump.c's few block slots alone inflated 200 blocks
 * for 153 different ones in a maps --all of the 6.12 arm64 dump, and
 * each inflate costs 16 pages' worth.
 */
static struct vmacore_error *read_block_pages(struct kdump_target *kt,
					      uint64_t pfn,
					      const unsigned char **ret)
{
	const unsigned char *data;
	struct vmacore_error *err;
	uint64_t first;
	uint32_t n, i;

	err = diskdump_read_block(kt->dd, pfn, &data, &first, &n);
	if (err)
		return err;
	if (pfn - first >= n)
		return vmacore_error_create(VMACORE_ERROR_OS,
					    "read_block_pages(): pfn outside its block");
	for (i = 0; i < n; i++) {	/* n <= CACHE_SETS: a set each */
		struct page_slot *s = cache_slot(kt, first + i);

		memcpy(s->data, data + (size_t)i * PAGE_SIZE, PAGE_SIZE);
		s->pfn = first + i;
		s->valid = true;
		if (first + i == pfn)
			*ret = s->data;
	}
	return NULL;
}

/* One physical page, through the cache. */
static struct vmacore_error *read_phys_page(struct kdump_target *kt,
					    uint64_t pfn,
					    const unsigned char **ret)
{
	struct page_slot *s = cache_find(kt, pfn);
	size_t len = PAGE_SIZE;
	kdump_status st;

	if (s) {
		kt->hits++;
		*ret = s->data;
		return NULL;
	}
	kt->reads++;
	if (kt->dd && diskdump_pages_per_block(kt->dd) > 1)
		return read_block_pages(kt, pfn, ret);
	if (kt->nsegs && elf_read_ahead(kt, pfn) &&
	    (s = cache_find(kt, pfn))) {
		*ret = s->data;
		return NULL;
	}
	s = cache_slot(kt, pfn);
	if (kt->dd) {
		struct vmacore_error *err = diskdump_read(kt->dd, pfn,
							  s->data);

		if (err)
			return err;
		goto done;
	}
	if (kt->nsegs) {
		struct vmacore_error *err;

		if (elf_read_page(kt, pfn, s->data, &err)) {
			if (err)
				return err;
			goto done;
		}
	}
	if (pfn_excluded(kt, pfn))
		return excluded_error(pfn * PAGE_SIZE, 0, true);
	st = kdump_read(kt->ctx, KDUMP_KPHYSADDR, pfn * PAGE_SIZE, s->data,
			&len);
	if (st != KDUMP_OK)
		return read_error(kt, st, pfn * PAGE_SIZE, true);
done:
	s->pfn = pfn;
	s->valid = true;
	*ret = s->data;
	return NULL;
}

static struct vmacore_error *read_phys(struct kdump_target *kt, uint64_t addr,
				       void *buf, size_t len, uint64_t vaddr,
				       bool physical)
{
	unsigned char *p = buf;

	while (len) {
		uint64_t off = addr % PAGE_SIZE;
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		const unsigned char *page = NULL;
		struct vmacore_error *err;

		err = read_phys_page(kt, addr / PAGE_SIZE, &page);
		if (err) {
			if (!physical) {
				/* Report the address the caller gave. */
				err->address = vaddr;
				return vmacore_error_prefix(err,
							    "cannot read kernel address 0x%llx",
							    (unsigned long long)vaddr);
			}
			return err;
		}
		memcpy(p, page + off, n);
		p += n;
		addr += n;
		vaddr += n;
		len -= n;
	}
	return NULL;
}

struct vmacore_error *kdump_target_read(struct kdump_target *kt,
					uint64_t addr, void *buf, size_t len,
					bool physical)
{
	size_t got = len;
	kdump_status st;

	if (physical)
		return read_phys(kt, addr, buf, len, addr, true);
	if (kt->direct_size && addr >= kt->direct_base &&
	    addr - kt->direct_base < kt->direct_size &&
	    len <= kt->direct_size - (addr - kt->direct_base))
		return read_phys(kt, addr - kt->direct_base, buf, len, addr,
				 false);
	if (kt->image_size && addr >= kt->image_start &&
	    addr - kt->image_start < kt->image_size &&
	    len <= kt->image_size - (addr - kt->image_start))
		return read_phys(kt, addr - kt->image_start + kt->image_phys,
				 buf, len, addr, false);
	if (kt->axcb)
		return read_kvaddr_xlat(kt, addr, buf, len);
	st = kdump_read(kt->ctx, KDUMP_KVADDR, addr, buf, &got);
	if (st != KDUMP_OK)
		return read_error(kt, st, addr + got, false);
	return NULL;
}

struct vmacore_error *kdump_target_vmcoreinfo(struct kdump_target *kt,
					      const char *key, char **ret)
{
	kdump_status st;
	char *val;

	st = kdump_vmcoreinfo_line(kt->ctx, key, &val);
	if (st == KDUMP_ERR_NODATA || st == KDUMP_ERR_NOKEY)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "VMCOREINFO has no %s", key);
	if (st != KDUMP_OK)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "cannot read VMCOREINFO %s: %s", key,
					    kdump_get_err(kt->ctx));
	*ret = val;
	return NULL;
}

/*
 * Physical pages straight into @buf, past the page cache: ELF dumps from
 * their PT_LOADs, others through libkdumpfile.  @vaddr: for errors.
 */
static struct vmacore_error *read_phys_bulk(struct kdump_target *kt,
					    uint64_t paddr, void *buf,
					    size_t len, uint64_t vaddr)
{
	unsigned char page[PAGE_SIZE], *p = buf;

	while (len) {
		uint64_t off = paddr % PAGE_SIZE;
		size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
		struct vmacore_error *err = NULL;
		kdump_status st;
		size_t got = n;

		if (kt->nsegs && elf_read_page(kt, paddr / PAGE_SIZE, page,
					       &err)) {
			if (err) {
				err->address = vaddr;
				return vmacore_error_prefix(err,
							    "cannot read kernel address 0x%llx",
							    (unsigned long long)vaddr);
			}
			memcpy(p, page + off, n);
		} else if (kt->dd) {
			/* a run of whole pages at once (diskdump.c) */
			if (!off && len >= PAGE_SIZE)
				n = len - len % PAGE_SIZE;
			err = n % PAGE_SIZE ?
			      diskdump_read(kt->dd, paddr / PAGE_SIZE, page) :
			      diskdump_read_pages(kt->dd, paddr / PAGE_SIZE,
						  n / PAGE_SIZE, p);
			if (err) {
				err->address = vaddr + (err->address -
							paddr / PAGE_SIZE *
							PAGE_SIZE);
				if (err->address < vaddr)
					err->address = vaddr;
				return vmacore_error_prefix(err,
							    "cannot read kernel address 0x%llx",
							    (unsigned long long)err->address);
			}
			if (n % PAGE_SIZE)
				memcpy(p, page + off, n);
		} else if (pfn_excluded(kt, paddr / PAGE_SIZE)) {
			return excluded_error(paddr, vaddr, false);
		} else {
			st = kdump_read(kt->ctx, KDUMP_KPHYSADDR, paddr, p,
					&got);
			if (st != KDUMP_OK)
				return read_error(kt, st, vaddr, false);
		}
		p += n;
		paddr += n;
		vaddr += n;
		len -= n;
	}
	return NULL;
}

/*
 * Bulk reads of the kernel image (the kallsyms tables, the BTF) by the
 * kernel's own rule for image addresses, __pa_symbol(): x -
 * __START_KERNEL_map + phys_base.  That spares a page-table walk per page
 * and bypasses the page cache, which they would only flush.  Checked once
 * against a translated read of the first address; else translated reads.
 */
#define START_KERNEL_MAP 0xffffffff80000000ULL

static struct vmacore_error *vmcoreinfo_hex(struct kdump_target *kt,
					    const char *key, uint64_t *ret)
{
	struct vmacore_error *err;
	char *val, *end;

	err = kdump_target_vmcoreinfo(kt, key, &val);
	if (err)
		return err;
	errno = 0;
	*ret = strtoull(val, &end, 16);
	if (!*val || *end || errno)
		err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
					   "VMCOREINFO %s is '%s', not a number",
					   key, val);
	free(val);
	return err;
}

/*
 * arm64: __pa_symbol() is __kimg_to_phys(), x - kimage_voffset
 * (arch/arm64/include/asm/memory.h), for the image from _stext on
 * (VMCOREINFO NUMBER(kimage_voffset), SYMBOL(_stext)); this spares
 * addrxlat's walk of the kernel page tables.  Without them, translated
 * reads.
 */
static struct vmacore_error *read_image_arm64(struct kdump_target *kt,
					      uint64_t addr, void *buf,
					      size_t len)
{
	struct vmacore_error *err;

	if (!kt->image_ok) {
		kt->image_ok = -1;
		err = vmcoreinfo_hex(kt, "NUMBER(kimage_voffset)",
				     &kt->kimage_voffset);
		if (!err)
			err = vmcoreinfo_hex(kt, "SYMBOL(_stext)",
					     &kt->image_stext);
		if (!err)
			kt->image_ok = 1;
		vmacore_error_destroy(err);
	}
	if (kt->image_ok < 0 || addr < kt->image_stext ||
	    addr + len < addr)
		return kdump_target_read(kt, addr, buf, len, false);
	return read_phys_bulk(kt, addr - kt->kimage_voffset, buf, len, addr);
}

void kdump_target_set_cache(struct kdump_target *kt, const char *dir)
{
	if (kt->dd)
		diskdump_set_cache(kt->dd, dir, kt->log, kt->log_arg);
}

bool kdump_target_caches(struct kdump_target *kt, size_t pages)
{
	return kt->dd && diskdump_caches(kt->dd, pages);
}

uint32_t kdump_target_read_unit(struct kdump_target *kt)
{
	uint32_t bs = kt->dd ? diskdump_block_size(kt->dd) : 0;

	return bs > PAGE_SIZE ? bs : PAGE_SIZE;
}

struct vmacore_error *kdump_target_read_image(struct kdump_target *kt,
					      uint64_t addr, void *buf,
					      size_t len)
{
	struct vmacore_error *err;

	if (kt->image_size && addr >= kt->image_start &&
	    addr - kt->image_start < kt->image_size &&
	    len <= kt->image_size - (addr - kt->image_start))
		return read_phys_bulk(kt, addr - kt->image_start +
				      kt->image_phys, buf, len, addr);
	if (kt->arch == DUMP_ARCH_ARM64)
		return read_image_arm64(kt, addr, buf, len);
	if (addr < START_KERNEL_MAP || kt->image_ok < 0)
		return kdump_target_read(kt, addr, buf, len, false);
	if (!kt->image_ok) {
		uint64_t a = 0, b = 0;
		size_t n = sizeof(b);
		char *val, *end;

		kt->image_ok = -1;
		err = kdump_target_vmcoreinfo(kt, "NUMBER(phys_base)", &val);
		if (err) {
			vmacore_error_destroy(err);
			return kdump_target_read(kt, addr, buf, len, false);
		}
		kt->phys_base = strtoll(val, &end, 10);
		if (*val && !*end &&
		    !kdump_target_read(kt, addr, &a, sizeof(a), false) &&
		    kdump_read(kt->ctx, KDUMP_KPHYSADDR,
			       addr - START_KERNEL_MAP + kt->phys_base, &b,
			       &n) == KDUMP_OK && a == b)
			kt->image_ok = 1;
		free(val);
		if (kt->image_ok < 0)
			return kdump_target_read(kt, addr, buf, len, false);
	}
	return read_phys_bulk(kt, addr - START_KERNEL_MAP + kt->phys_base,
			      buf, len, addr);
}
