// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * diskdump.c - pages of a kdump-compressed (diskdump) file, read and
 * decompressed here instead of by libkdumpfile.
 *
 * Why (issue 14): on a kdump-compressed dump a whole-dump walk spent about
 * half its time in zlib (inflate, adler32) and a tenth in libkdumpfile's
 * page and file caches.  libdeflate inflates a 4 KiB page 2-3x faster than
 * zlib, and the page descriptors are kept in a small cache of our own.
 * libkdumpfile still detects the format and does everything else (ELF,
 * VMCOREINFO, address translation, 32-bit, big-endian and split dumps).
 *
 * The file (makedumpfile's diskdump.h): a header block, sub_hdr_size
 * blocks of kdump_sub_header, bitmap_blocks blocks of bitmaps (the second
 * half says which blocks are in the file, when the first half alone could
 * hold max_mapnr bits), then one 24-byte page_desc per block in the file,
 * in block order.  A "block" is block_size bytes: the kernel's page size
 * when makedumpfile writes the file, but QEMU's arm64 dumps use 65536
 * with 4 KiB guest pages; this reader numbers pages by the kernel's
 * PAGESIZE and holds block_size / PAGESIZE of them per block.
 *
 * Everything in the file is untrusted: a bad descriptor or a page that
 * does not decompress costs that block only (CORRUPT), a block absent
 * from the bitmap is NODATA, and the bitmap and descriptor table are
 * bounded by the file's size.  Page data past the end of a cut file is
 * CORRUPT (libkdumpfile 0.5.1 reads an uncompressed one as zeros).
 *
 * Measured (1,000,010 VMAs, maps --all, CPU time): zlib 843 -> 500 ms,
 * lzo 532 -> 330, snappy 643 -> 407, zstd 1077 -> 509 (libkdumpfile makes
 * a zstd context per page).  tests/vmcore/test-pagereader compares every
 * page of every reference dump with libkdumpfile's.
 */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <pthread.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "dump.h"

#define DD_HEADER_SIZE		464	/* through nr_cpus, 64-bit layout */
#define DD_SUBHDR_SIZE		104	/* through max_mapnr_64 */
#define DD_DESC_SIZE		24
#define DD_MIN_BLOCK		1024
#define DD_MAX_BLOCK		(1 << 20)

#define DUMP_DH_COMPRESSED_ZLIB		0x1
#define DUMP_DH_COMPRESSED_LZO		0x2
#define DUMP_DH_COMPRESSED_SNAPPY	0x4
#define DUMP_DH_COMPRESSED_ZSTD		0x20
#define DD_COMPRESSED	(DUMP_DH_COMPRESSED_ZLIB | DUMP_DH_COMPRESSED_LZO | \
			 DUMP_DH_COMPRESSED_SNAPPY | DUMP_DH_COMPRESSED_ZSTD)

/* Bytes of page data read at once when a walk goes upwards (read_data()). */
#define DD_WINDOW	32768
#define DD_WINDOWS	4
/* Page descriptors are read DESC_CHUNK at a time into DESC_SLOTS slots. */
#define DESC_CHUNK	128
#define DESC_SLOTS	256
/* Bulk reads: pages one step reads; from how many a second thread helps. */
#define BULK_PAGES	256
#define BULK_THREAD_MIN	128
/* Decoding ahead (see struct prefetch). */
#define PF_RING		256
#define PF_AHEAD	32
#define PF_LOW		8
#define PF_SPIN		2000	/* pause instructions, ~10-20 us */
#define PF_START	4096	/* reads before the thread starts */
#define PF_RECENT	16
/* Bulk reads from this many pages on go through decoded_cache.c. */
#define CACHE_MIN_PAGES	64
/* Decoded blocks kept when a block holds several pages (arm64). */
#define BLOCK_SLOTS	16

struct desc_slot {
	uint64_t chunk;		/* UINT64_MAX: empty */
	uint32_t n;		/* descriptors read */
	unsigned char raw[DESC_CHUNK * DD_DESC_SIZE];
};

struct block_slot {
	uint64_t block;		/* UINT64_MAX: empty */
	uint64_t used;		/* block_clock at the last use (0: never) */
	unsigned char *data;
};

/* What a thread needs to decompress. */
struct dd_codec {
	struct libdeflate_decompressor *inflater;
	ZSTD_DCtx *zstd;
	struct dd_window {	/* windows of the file (read_data()) */
		unsigned char *buf;
		uint64_t off, len, used;
	} win[DD_WINDOWS];
	size_t win_cap;
	uint64_t win_clock;
	struct desc_slot *descs;	/* a cache of page descriptors */
	size_t ndescs;
	unsigned char *bulk;	/* bulk reads' data, (BULK_PAGES + 1) blocks */
};

struct diskdump {
	int fd;
	const char *path;
	uint64_t file_size;
	uint32_t block_size, page_size, pages_per_block;
	uint64_t max_block;	/* blocks the bitmap describes */
	const uint64_t *bitmap;	/* max_block bits, padded to 64 */
	uint64_t *rank;		/* set bits before each bitmap word */
	uint64_t ndesc;		/* set bits in all */
	uint64_t desc_off;
	struct dd_codec codec;
	struct dd_codec *codec2;	/* the second thread's (bulk reads) */
	struct desc_slot *descs;
	struct block_slot *blocks;	/* NULL: one page a block */
	uint64_t block_clock;
	bool one_thread;	/* no second thread for bulk reads */
	struct prefetch *pf;	/* decoding ahead (NULL: not started) */
	uint64_t nreads;	/* blocks read one at a time */
	uint64_t pf_start;	/* reads before decoding ahead starts */
	const char *cache_dir;	/* decoded_cache.c (NULL: none) */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static bool pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t r = pread(fd, p, len, off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		len -= r;
		off += r;
	}
	return true;
}

static struct vmacore_error *dd_corrupt(const struct diskdump *dd,
					const char *what)
{
	return vmacore_error_create(VMACORE_ERROR_CORRUPT,
				    "cannot read diskdump header of %s: %s",
				    dd->path, what);
}

static bool codec_init(struct dd_codec *c, size_t block_size, size_t ndescs)
{
	size_t i;

	c->inflater = libdeflate_alloc_decompressor();
	c->zstd = ZSTD_createDCtx();
	c->win_cap = block_size > DD_WINDOW ? block_size : DD_WINDOW;
	for (i = 0; i < DD_WINDOWS; i++) {
		c->win[i].buf = malloc(c->win_cap);
		if (!c->win[i].buf)
			return false;
	}
	c->descs = malloc(ndescs * sizeof(*c->descs));
	c->ndescs = ndescs;
	if (!c->inflater || !c->zstd || !c->descs)
		return false;
	for (i = 0; i < ndescs; i++)
		c->descs[i].chunk = UINT64_MAX;
	return true;
}

static void codec_deinit(struct dd_codec *c)
{
	size_t i;

	if (c->inflater)
		libdeflate_free_decompressor(c->inflater);
	if (c->zstd)
		ZSTD_freeDCtx(c->zstd);
	for (i = 0; i < DD_WINDOWS; i++)
		free(c->win[i].buf);
	free(c->descs);
	free(c->bulk);
}

static void prefetch_stop(struct diskdump *dd);

void diskdump_close(struct diskdump *dd)
{
	size_t i;

	if (!dd)
		return;
	prefetch_stop(dd);
	if (dd->blocks) {
		for (i = 0; i < BLOCK_SLOTS; i++)
			free(dd->blocks[i].data);
		free(dd->blocks);
	}
	free((void *)dd->bitmap);
	free(dd->rank);
	codec_deinit(&dd->codec);
	if (dd->codec2)
		codec_deinit(dd->codec2);
	free(dd->codec2);
	free(dd);
}

/*
 * The bitmap that says which blocks are in the file, as libkdumpfile's
 * read_bitmap() takes it: the second half of the bitmap blocks when the
 * first half alone covers max_mapnr, else the whole.
 */
static struct vmacore_error *dd_read_bitmap(struct diskdump *dd,
					    uint64_t off, uint64_t size,
					    uint64_t max_mapnr)
{
	uint64_t bits = size * 8, words, i, n = 0, *bm;

	if (max_mapnr <= bits / 2) {
		size /= 2;
		off += size;
		bits = size * 8;
	}
	if (max_mapnr > bits)
		max_mapnr = bits;
	if (off > dd->file_size || size > dd->file_size - off)
		return dd_corrupt(dd, "the page bitmap is beyond the end of the file");
	dd->max_block = max_mapnr;
	words = (max_mapnr + 63) / 64;
	bm = calloc(words ? words : 1, sizeof(*bm));
	dd->rank = calloc(words ? words : 1, sizeof(*dd->rank));
	dd->bitmap = bm;
	if (!bm || !dd->rank)
		return &vmacore_enomem;
	if (!pread_full(dd->fd, bm, (max_mapnr + 7) / 8, off))
		return vmacore_error_create(VMACORE_ERROR_OS,
					    "cannot read page bitmap of %s: %s",
					    dd->path, strerror(errno ? errno : EIO));
	if (max_mapnr % 64)
		bm[words - 1] = le64toh(bm[words - 1]) &
				((1ULL << (max_mapnr % 64)) - 1);
	for (i = 0; i < words; i++) {
		if (i != words - 1 || !(max_mapnr % 64))
			bm[i] = le64toh(bm[i]);
		dd->rank[i] = n;
		n += __builtin_popcountll(bm[i]);
	}
	dd->ndesc = n;
	return NULL;
}

struct vmacore_error *diskdump_open(int fd, const char *path,
				    uint64_t page_size, struct diskdump **ret)
{
	unsigned char hdr[DD_HEADER_SIZE], sub[DD_SUBHDR_SIZE];
	uint32_t version, sub_blocks, bitmap_blocks;
	uint64_t max_mapnr;
	struct vmacore_error *err;
	struct diskdump *dd;
	struct stat st;
	size_t i;

	*ret = NULL;
	if (fstat(fd, &st) < 0 || !pread_full(fd, hdr, sizeof(hdr), 0) ||
	    (memcmp(hdr, "KDUMP   ", 8) && memcmp(hdr, "DISKDUMP", 8)))
		return NULL;	/* not ours: libkdumpfile says */
	dd = calloc(1, sizeof(*dd));
	if (!dd)
		return &vmacore_enomem;
	dd->fd = fd;
	dd->path = path;
	dd->file_size = st.st_size;
	version = get32(hdr + 8);
	dd->block_size = get32(hdr + 428);
	sub_blocks = get32(hdr + 432);
	bitmap_blocks = get32(hdr + 436);
	max_mapnr = get32(hdr + 440);
	if (dd->block_size < DD_MIN_BLOCK || dd->block_size > DD_MAX_BLOCK ||
	    (dd->block_size & (dd->block_size - 1)) || (int32_t)version < 0 ||
	    !page_size || page_size > dd->block_size ||
	    dd->block_size % page_size) {
		/* libkdumpfile decides: it may know better or fail itself */
		diskdump_close(dd);
		return NULL;
	}
	dd->page_size = page_size;
	dd->pf_start = PF_START;
	dd->pages_per_block = dd->block_size / page_size;
	if (version >= 1) {
		if (!pread_full(fd, sub, sizeof(sub), dd->block_size)) {
			err = dd_corrupt(dd, "no sub-header");
			goto fail;
		}
		/* split dumps (several files) stay with libkdumpfile */
		if (version >= 2 && get32(sub + 12)) {
			diskdump_close(dd);
			return NULL;
		}
		if (version >= 6)
			max_mapnr = get64(sub + 96);
	}
	if ((uint64_t)1 + sub_blocks + bitmap_blocks >
	    dd->file_size / dd->block_size + 1) {
		err = dd_corrupt(dd, "its bitmap is beyond the end of the file");
		goto fail;
	}
	err = dd_read_bitmap(dd, (1ULL + sub_blocks) * dd->block_size,
			     (uint64_t)bitmap_blocks * dd->block_size,
			     max_mapnr);
	if (err)
		goto fail;
	dd->desc_off = (1ULL + sub_blocks + bitmap_blocks) * dd->block_size;
	if (!codec_init(&dd->codec, dd->block_size, DESC_SLOTS)) {
		err = &vmacore_enomem;
		goto fail;
	}
	if (dd->pages_per_block > 1) {
		dd->blocks = calloc(BLOCK_SLOTS, sizeof(*dd->blocks));
		if (!dd->blocks) {
			err = &vmacore_enomem;
			goto fail;
		}
		for (i = 0; i < BLOCK_SLOTS; i++) {
			dd->blocks[i].block = UINT64_MAX;
			dd->blocks[i].data = malloc(dd->block_size);
			if (!dd->blocks[i].data) {
				err = &vmacore_enomem;
				goto fail;
			}
		}
	}
	if (lzo_init() != LZO_E_OK) {
		err = vmacore_error_create(VMACORE_ERROR_OS,
					   "cannot initialise lzo");
		goto fail;
	}
	*ret = dd;
	return NULL;
fail:
	diskdump_close(dd);
	return err;
}

uint32_t diskdump_block_size(const struct diskdump *dd)
{
	return dd->block_size;
}

uint32_t diskdump_pages_per_block(const struct diskdump *dd)
{
	return dd->pages_per_block;
}

uint64_t diskdump_max_pfn(const struct diskdump *dd)
{
	return dd->max_block * dd->pages_per_block;
}

bool diskdump_has(const struct diskdump *dd, uint64_t pfn)
{
	uint64_t b = pfn / dd->pages_per_block;

	return b < dd->max_block && (dd->bitmap[b / 64] >> (b % 64) & 1);
}

static struct vmacore_error *block_error(const struct diskdump *dd,
					 enum vmacore_error_code code,
					 uint64_t block, const char *what)
{
	uint64_t addr = block * dd->block_size;

	return vmacore_error_fault(code, addr,
				   "cannot read physical address 0x%llx: %s",
				   (unsigned long long)addr, what);
}

/* Where block @b's descriptor is in the table (@b in the bitmap). */
static uint64_t desc_index(const struct diskdump *dd, uint64_t b)
{
	return dd->rank[b / 64] + __builtin_popcountll(dd->bitmap[b / 64] &
						       ((1ULL << (b % 64)) - 1));
}

/*
 * What is wrong with a descriptor (data at @off, @size bytes, @flags), or
 * NULL: uncompressed data is a whole block, compressed data no more.
 */
static const char *desc_check(const struct diskdump *dd, uint64_t off,
			      uint32_t size, uint32_t flags)
{
	if (!(flags & DD_COMPRESSED) ? size != dd->block_size :
	    !size || size > dd->block_size)
		return flags & DD_COMPRESSED ?
		       "wrong compressed size in its descriptor" :
		       "wrong page size in its descriptor";
	if (off > dd->file_size || size > dd->file_size - off)
		return "page data beyond the end of the file";
	return NULL;
}

/* The descriptor of block @b (in the bitmap): offset, size, flags. */
static struct vmacore_error *read_desc(struct diskdump *dd,
				       struct dd_codec *c, uint64_t b,
				       uint64_t *off, uint32_t *size,
				       uint32_t *flags)
{
	uint64_t idx = desc_index(dd, b);
	uint64_t chunk = idx / DESC_CHUNK, pos, avail;
	struct desc_slot *s = &c->descs[chunk % c->ndescs];
	const unsigned char *p;
	uint32_t n;

	if (s->chunk != chunk) {
		pos = dd->desc_off + chunk * DESC_CHUNK * DD_DESC_SIZE;
		n = dd->ndesc - chunk * DESC_CHUNK < DESC_CHUNK ?
		    dd->ndesc - chunk * DESC_CHUNK : DESC_CHUNK;
		avail = pos < dd->file_size ?
			(dd->file_size - pos) / DD_DESC_SIZE : 0;
		if (n > avail)
			n = avail;	/* a truncated file: what is there */
		s->chunk = UINT64_MAX;
		if (n && !pread_full(dd->fd, s->raw, n * DD_DESC_SIZE, pos))
			return block_error(dd, VMACORE_ERROR_OS, b,
					   "cannot read page descriptor");
		s->chunk = chunk;
		s->n = n;
	}
	if (idx % DESC_CHUNK >= s->n)
		return block_error(dd, VMACORE_ERROR_CORRUPT, b,
				   "page descriptor beyond the end of the file");
	p = s->raw + idx % DESC_CHUNK * DD_DESC_SIZE;
	*off = get64(p);
	*size = get32(p + 8);
	*flags = get32(p + 12);
	return NULL;
}

/*
 * Decompress @len bytes at @in into @out (@bs bytes, all of which the
 * data must fill), as libkdumpfile's diskdump_read_page() does: the first
 * compression flag set, in the order zlib, lzo, snappy, zstd.
 */
static const char *decompress(struct dd_codec *c, uint32_t flags,
			      const unsigned char *in, size_t len, void *out,
			      size_t bs)
{
	if (flags & DUMP_DH_COMPRESSED_ZLIB) {
		if (libdeflate_zlib_decompress(c->inflater, in, len, out, bs,
					       NULL) != LIBDEFLATE_SUCCESS)
			return "zlib decompression failed";
	} else if (flags & DUMP_DH_COMPRESSED_LZO) {
		lzo_uint got = bs;

		if (lzo1x_decompress_safe(in, len, out, &got, NULL) !=
		    LZO_E_OK || got != bs)
			return "lzo decompression failed";
	} else if (flags & DUMP_DH_COMPRESSED_SNAPPY) {
		size_t got = bs;

		if (snappy_uncompress((const char *)in, len, out, &got) !=
		    SNAPPY_OK || got != bs)
			return "snappy decompression failed";
	} else {	/* zstd */
		size_t got = ZSTD_decompressDCtx(c->zstd, out, bs, in, len);

		if (ZSTD_isError(got) || got != bs)
			return "zstd decompression failed";
	}
	return NULL;
}

/*
 * @size bytes of page data at @off (inside the file): from one of the
 * codec's windows of the file, else read.  makedumpfile writes the data of
 * pages in the order of their pfns, so a walk going upwards reads on from
 * the end of a window: then a whole window is read, one pread(2) for some
 * 10-20 pages instead of one each (a 1,000,010-VMA walk: -10% CPU time).
 * A page elsewhere (a maple node between two VMA pages) is read alone
 * into the least recently used window, so that the others stay: with
 * DD_WINDOWS 4 instead of 1, 8,257 reads of 77 MB instead of 12,713 of
 * 134 MB, -2% CPU time.  Mapping the file instead saved another 2%, but
 * the file pages it touched counted in the max RSS (36 -> 75 MB).
 */
static const unsigned char *read_data(struct diskdump *dd, struct dd_codec *c,
				      uint64_t off, uint32_t size)
{
	struct dd_window *w = NULL, *lru = &c->win[0];
	uint64_t len = size;
	size_t i;

	for (i = 0; i < DD_WINDOWS; i++) {
		struct dd_window *v = &c->win[i];
		uint64_t end = v->off + v->len;

		if (off >= v->off && off <= end && size <= end - off) {
			v->used = ++c->win_clock;
			return v->buf + (off - v->off);
		}
		if (v->len && off >= end && off - end < c->win_cap)
			w = v;
		if (v->used < lru->used)
			lru = v;
	}
	if (w)
		len = c->win_cap;
	else
		w = lru;
	if (len > dd->file_size - off)
		len = dd->file_size - off;
	w->len = 0;
	if (!pread_full(dd->fd, w->buf, len, off))
		return NULL;
	w->off = off;
	w->len = len;
	w->used = ++c->win_clock;
	return w->buf;
}

/* Block @b (present in the bitmap) into @out, block_size bytes. */
static struct vmacore_error *read_block(struct diskdump *dd,
					struct dd_codec *c, uint64_t b,
					void *out)
{
	const unsigned char *data;
	struct vmacore_error *err;
	uint32_t size = 0, flags = 0;
	const char *what;
	uint64_t off = 0;

	err = read_desc(dd, c, b, &off, &size, &flags);
	if (err)
		return err;
	what = desc_check(dd, off, size, flags);
	if (!what && !(data = read_data(dd, c, off, size)))
		what = "page data beyond the end of the file";
	if (what)
		return block_error(dd, VMACORE_ERROR_CORRUPT, b, what);
	if (!(flags & DD_COMPRESSED)) {
		memcpy(out, data, size);
		return NULL;
	}
	what = decompress(c, flags, data, size, out, dd->block_size);
	if (what)
		return block_error(dd, VMACORE_ERROR_CORRUPT, b, what);
	return NULL;
}

/* NODATA for a page the file does not hold, else NULL. */
static struct vmacore_error *diskdump_check(const struct diskdump *dd,
					    uint64_t pfn)
{
	uint64_t b = pfn / dd->pages_per_block;

	if (b >= dd->max_block)
		return vmacore_error_fault(VMACORE_ERROR_NODATA,
					   pfn * dd->page_size,
					   "cannot read physical address 0x%llx: Out-of-bounds PFN",
					   (unsigned long long)(pfn *
								dd->page_size));
	if (!(dd->bitmap[b / 64] >> (b % 64) & 1))
		return vmacore_error_fault(VMACORE_ERROR_NODATA,
					   pfn * dd->page_size,
					   "cannot read physical address 0x%llx: Excluded page",
					   (unsigned long long)(pfn *
								dd->page_size));
	return NULL;
}

/*
 * Decoding ahead (issue 14).  A walk of many VMAs reads the slab pages of
 * its vm_area_structs mostly upwards, with other pages in between and
 * small steps back (the 1,000,010-VMA dump: 81% of the misses of the page
 * cache in kdump.c are 1-3 pages above one of the 16 misses before), and
 * half its time is decompression.  So when a page read follows one of the
 * last PF_RECENT reads by 1-3 pages, a second thread decodes the next
 * PF_AHEAD blocks into a ring of PF_RING (a slot names the block it holds,
 * or none; a block being decoded is waited for), woken again only when
 * fewer than PF_LOW are left ahead: a wake-up costs more than a page.
 * Measured on that walk: 81% of the reads come from the ring, the thread
 * decodes 21% more blocks than are taken; with an idle CPU -24% wall
 * time, +30% CPU time.  Only after PF_START reads (short commands would
 * pay for the thread), and not for blocks of several pages.  Most of the
 * blocks decoded and not taken lie between the vm_area_struct pages: on
 * 6.12 every fifth page or so of such a run is a "vma_lock" slab page
 * (vma_lock_alloc(), kernel/fork.c, allocated beside each VMA; drgn names
 * the cache), which no walk reads; hints from the maple leaves ahead
 * skipped them but came too late to keep the thread ahead (measured, not
 * kept).  With both CPUs free the two threads run in step (1M VMAs: the
 * thread is idle 66 times, decodes 49K blocks in 0.20 s; the main thread
 * spends 0.27 s, waits for the block being decoded 10.8K times, decodes
 * 8.5K itself): skipping exactly the blocks never read (an oracle) or
 * copying from the ring without the lock (a seqlock) each saved 3%, not
 * kept.  In this machine's slow periods two threads are no faster than
 * one (0.29 -> 0.42 s) while two one-thread walks side by side lose 8%:
 * what slows down is moving data between its two vCPUs.
 */
struct prefetch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct dd_codec codec;
	unsigned char *data;	/* PF_RING blocks, block b at b % PF_RING */
	uint64_t slot[PF_RING];	/* the block a slot holds, or UINT64_MAX */
	uint64_t next, limit;	/* decode the blocks [next, limit) */
	uint64_t busy;		/* being decoded (UINT64_MAX: none) */
	bool idle;		/* the thread waits for work */
	bool quit;
	/* the main thread's */
	uint64_t recent[PF_RECENT];
	unsigned int nrecent;
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static void *prefetch_thread(void *arg)
{
	struct diskdump *dd = arg;
	struct prefetch *pf = dd->pf;

	/* for top -H and perf: the library's own thread, named */
	pthread_setname_np(pthread_self(), "vmacore-decode");
	pthread_mutex_lock(&pf->lock);
	while (!pf->quit) {
		struct vmacore_error *err;
		uint64_t b;

		if (pf->next >= pf->limit) {
			pf->idle = true;
			pthread_cond_wait(&pf->cond, &pf->lock);
			pf->idle = false;
			continue;
		}
		b = pf->next++;
		if (b >= dd->max_block || !diskdump_has(dd, b) ||
		    pf->slot[b % PF_RING] == b)
			continue;
		__atomic_store_n(&pf->busy, b, __ATOMIC_RELEASE);
		pf->slot[b % PF_RING] = UINT64_MAX;
		pthread_mutex_unlock(&pf->lock);
		err = read_block(dd, &pf->codec, b,
				 pf->data + b % PF_RING * dd->block_size);
		pthread_mutex_lock(&pf->lock);
		__atomic_store_n(&pf->busy, UINT64_MAX, __ATOMIC_RELEASE);
		/* a block that fails is read again in the main thread */
		if (!err)
			pf->slot[b % PF_RING] = b;
		vmacore_error_destroy(err);
		pthread_cond_broadcast(&pf->cond);
	}
	pthread_mutex_unlock(&pf->lock);
	return NULL;
}

static void prefetch_free(struct prefetch *pf)
{
	codec_deinit(&pf->codec);
	free(pf->data);
	free(pf);
}

static void prefetch_stop(struct diskdump *dd)
{
	struct prefetch *pf = dd->pf;

	if (!pf)
		return;
	pthread_mutex_lock(&pf->lock);
	pf->quit = true;
	pthread_cond_broadcast(&pf->cond);
	pthread_mutex_unlock(&pf->lock);
	pthread_join(pf->thread, NULL);
	pthread_mutex_destroy(&pf->lock);
	pthread_cond_destroy(&pf->cond);
	prefetch_free(pf);
	dd->pf = NULL;
}

static bool prefetch_start(struct diskdump *dd)
{
	struct prefetch *pf = calloc(1, sizeof(*pf));
	size_t i;

	if (!pf)
		return false;
	pf->data = malloc(PF_RING * (size_t)dd->block_size);
	if (!pf->data || !codec_init(&pf->codec, dd->block_size, 4)) {
		prefetch_free(pf);
		return false;
	}
	for (i = 0; i < PF_RING; i++)
		pf->slot[i] = UINT64_MAX;
	pf->busy = UINT64_MAX;
	pthread_mutex_init(&pf->lock, NULL);
	pthread_cond_init(&pf->cond, NULL);
	dd->pf = pf;
	if (pthread_create(&pf->thread, NULL, prefetch_thread, dd)) {
		pthread_mutex_destroy(&pf->lock);
		pthread_cond_destroy(&pf->cond);
		prefetch_free(pf);
		dd->pf = NULL;
		return false;
	}
	return true;
}

/*
 * Block @b from the ring into @buf (true), else false; then, if @b follows
 * a recent read closely, have the blocks after it decoded.
 */
static bool prefetch_take(struct diskdump *dd, uint64_t b, void *buf)
{
	struct prefetch *pf = dd->pf;
	bool hit = false, seq = false;
	unsigned int i;

	for (i = 0; i < PF_RECENT && i < pf->nrecent; i++)
		seq |= b > pf->recent[i] && b - pf->recent[i] <= 3;
	pf->recent[pf->nrecent++ % PF_RECENT] = b;
	/*
	 * A block being decoded is ready within microseconds: spin that long
	 * rather than sleep (a futex wake-up costs more here).
	 */
	for (i = 0; i < PF_SPIN &&
	     __atomic_load_n(&pf->busy, __ATOMIC_ACQUIRE) == b; i++)
		cpu_relax();
	pthread_mutex_lock(&pf->lock);
	while (pf->busy == b)
		pthread_cond_wait(&pf->cond, &pf->lock);
	if (pf->slot[b % PF_RING] == b) {
		memcpy(buf, pf->data + b % PF_RING * dd->block_size,
		       dd->block_size);
		hit = true;
	}
	/*
	 * Work in batches: a wake-up costs more than decoding a page (9,000
	 * context switches a second cost more than they saved).
	 */
	if (seq && (pf->next <= b || pf->next > b + PF_AHEAD ||
		    pf->limit < b + 1 + PF_LOW)) {
		if (pf->next <= b || pf->next > b + PF_AHEAD)
			pf->next = b + 1;
		pf->limit = b + 1 + PF_AHEAD;
		if (pf->idle)
			pthread_cond_signal(&pf->cond);
	}
	pthread_mutex_unlock(&pf->lock);
	return hit;
}

/*
 * Block @b (several pages, in the bitmap), decoded, from the least
 * recently used slot.  Not slot b % BLOCK_SLOTS: blocks 16 MiB apart
 * would then evict each other in this cache and in kdump.c's page cache
 * alike (direct-mapped by pfn).  Measured, maps --all of the 6.12 arm64
 * dump: 153 different blocks, 200 inflated by slot b % 16, 176 with
 * these slots and kdump.c taking every page of a block.
 */
static struct vmacore_error *block_get(struct diskdump *dd, uint64_t b,
				       const unsigned char **ret)
{
	struct block_slot *s = &dd->blocks[0];
	struct vmacore_error *err;
	size_t i;

	for (i = 0; i < BLOCK_SLOTS; i++) {
		if (dd->blocks[i].block == b) {
			s = &dd->blocks[i];
			goto hit;
		}
		if (dd->blocks[i].used < s->used)
			s = &dd->blocks[i];
	}
	s->block = UINT64_MAX;
	err = read_block(dd, &dd->codec, b, s->data);
	if (err)
		return err;
	s->block = b;
hit:
	s->used = ++dd->block_clock;
	*ret = s->data;
	return NULL;
}

struct vmacore_error *diskdump_read(struct diskdump *dd, uint64_t pfn,
				    void *buf)
{
	uint64_t b = pfn / dd->pages_per_block;
	const unsigned char *data;
	struct vmacore_error *err;

	err = diskdump_check(dd, pfn);
	if (err)
		return err;
	if (!dd->blocks) {
		/*
		 * A second thread only for long walks: on the 20,000-VMA
		 * reference dumps (some 1,200 page reads) it cost 40% more
		 * CPU time and no less wall time.
		 */
		if (!dd->pf && !dd->one_thread && ++dd->nreads > dd->pf_start &&
		    !prefetch_start(dd))
			dd->one_thread = true;
		if (dd->pf && prefetch_take(dd, b, buf))
			return NULL;
		return read_block(dd, &dd->codec, b, buf);
	}
	err = block_get(dd, b, &data);
	if (err)
		return err;
	memcpy(buf, data + pfn % dd->pages_per_block * dd->page_size,
	       dd->page_size);
	return NULL;
}

struct vmacore_error *diskdump_read_block(struct diskdump *dd, uint64_t pfn,
					  const unsigned char **ret,
					  uint64_t *first_ret, uint32_t *n_ret)
{
	struct vmacore_error *err = diskdump_check(dd, pfn);

	if (!err && dd->blocks)
		err = block_get(dd, pfn / dd->pages_per_block, ret);
	if (err)
		return err;
	if (!dd->blocks)
		return vmacore_error_create(VMACORE_ERROR_OS,
					    "diskdump_read_block(): one page a block");
	*first_ret = pfn - pfn % dd->pages_per_block;
	*n_ret = dd->pages_per_block;
	return NULL;
}

/*
 * Bulk reads (the kernel image at start-up with the dump alone, issue 12):
 * the descriptors of a run of present pages with one pread(2), their data
 * with another when it lies together in the file, and the second half of
 * the range decompressed by a second thread.  Each thread has its own
 * codec and buffers; the bitmap and rank are read-only by then.
 */

static struct vmacore_error *page_error(const struct diskdump *dd,
					enum vmacore_error_code code,
					uint64_t pfn, const char *what)
{
	uint64_t addr = pfn * dd->page_size;

	return vmacore_error_fault(code, addr,
				   "cannot read physical address 0x%llx: %s",
				   (unsigned long long)addr, what);
}

/* Pages [@pfn, @pfn + @m), all present, into @out; @buf: scratch. */
static struct vmacore_error *bulk_run(struct diskdump *dd, struct dd_codec *c,
				      uint64_t pfn, size_t m,
				      unsigned char *out, unsigned char *buf)
{
	unsigned char desc[BULK_PAGES * DD_DESC_SIZE];
	uint64_t pos = dd->desc_off + desc_index(dd, pfn) * DD_DESC_SIZE;
	uint64_t lo = UINT64_MAX;
	uint64_t hi = 0, span_lo = 0, span_hi = 0;
	size_t bs = dd->block_size, have, i;

	have = pos < dd->file_size ? (dd->file_size - pos) / DD_DESC_SIZE : 0;
	if (have > m)
		have = m;
	if (have && !pread_full(dd->fd, desc, have * DD_DESC_SIZE, pos))
		return page_error(dd, VMACORE_ERROR_OS, pfn,
				  "cannot read page descriptor");
	for (i = 0; i < have; i++) {
		uint64_t off = get64(desc + i * DD_DESC_SIZE);
		uint32_t size = get32(desc + i * DD_DESC_SIZE + 8);

		if (off < lo)
			lo = off;
		if (off + size > hi && off + size >= off)
			hi = off + size;
	}
	/* the data of the run in one read when it lies together */
	if (have && hi > lo && hi - lo <= BULK_PAGES * bs && lo < dd->file_size) {
		span_lo = lo;
		span_hi = hi < dd->file_size ? hi : dd->file_size;
		if (!pread_full(dd->fd, buf, span_hi - span_lo, span_lo))
			span_hi = span_lo;
	}
	for (i = 0; i < m; i++) {
		const unsigned char *p = desc + i * DD_DESC_SIZE, *in;
		uint64_t off;
		uint32_t size, flags;
		const char *what;

		if (i >= have)
			return page_error(dd, VMACORE_ERROR_CORRUPT, pfn + i,
					  "page descriptor beyond the end of the file");
		off = get64(p);
		size = get32(p + 8);
		flags = get32(p + 12);
		what = desc_check(dd, off, size, flags);
		if (what)
			return page_error(dd, VMACORE_ERROR_CORRUPT, pfn + i,
					  what);
		if (off >= span_lo && off + size <= span_hi) {
			in = buf + (off - span_lo);
		} else {
			/* outside the span: on its own, after the span */
			if (!pread_full(dd->fd, buf + BULK_PAGES * bs, size, off))
				return page_error(dd, VMACORE_ERROR_CORRUPT,
						  pfn + i,
						  "page data beyond the end of the file");
			in = buf + BULK_PAGES * bs;
		}
		if (!(flags & DD_COMPRESSED)) {
			memcpy(out + i * bs, in, bs);
			continue;
		}
		what = decompress(c, flags, in, size, out + i * bs, bs);
		if (what)
			return page_error(dd, VMACORE_ERROR_CORRUPT, pfn + i,
					  what);
	}
	return NULL;
}

/* Pages [@pfn, @pfn + @n) of one page a block into @out. */
static struct vmacore_error *bulk_read(struct diskdump *dd,
				       struct dd_codec *c, uint64_t pfn,
				       size_t n, unsigned char *out)
{
	struct vmacore_error *err = NULL;

	/* kept: a fresh one would be page-faulted in at every call */
	if (!c->bulk)
		c->bulk = malloc((BULK_PAGES + 1) * (size_t)dd->block_size);
	if (!c->bulk)
		return &vmacore_enomem;
	while (n && !err) {
		size_t m = 0;

		while (m < n && m < BULK_PAGES && diskdump_has(dd, pfn + m))
			m++;
		if (!m) {	/* the same answer as one page's read */
			err = diskdump_check(dd, pfn);
			break;
		}
		err = bulk_run(dd, c, pfn, m, out, c->bulk);
		pfn += m;
		n -= m;
		out += m * (size_t)dd->block_size;
	}
	return err;
}

struct bulk_job {
	struct diskdump *dd;
	uint64_t pfn;
	size_t n;
	unsigned char *out;
	struct vmacore_error *err;
};

static void *bulk_thread(void *arg)
{
	struct bulk_job *j = arg;

	j->err = bulk_read(j->dd, j->dd->codec2, j->pfn, j->n, j->out);
	return NULL;
}

void diskdump_set_threads(struct diskdump *dd, unsigned int threads)
{
	dd->one_thread = threads <= 1;
	if (threads > 2)	/* tests: decode ahead from the start */
		dd->pf_start = 0;
}

static struct vmacore_error *decode_pages(struct diskdump *dd, uint64_t pfn,
					  size_t n, void *buf)
{
	struct vmacore_error *err;
	unsigned char *out = buf;
	struct bulk_job job;
	pthread_t t;
	size_t i;

	if (dd->pages_per_block > 1) {
		for (i = 0; i < n; i++) {
			err = diskdump_read(dd, pfn + i,
					    out + i * dd->page_size);
			if (err)
				return err;
		}
		return NULL;
	}
	if (n < 2 * BULK_THREAD_MIN || dd->one_thread)
		return bulk_read(dd, &dd->codec, pfn, n, out);
	if (!dd->codec2) {
		dd->codec2 = calloc(1, sizeof(*dd->codec2));
		if (!dd->codec2 || !codec_init(dd->codec2, dd->block_size, 1)) {
			if (dd->codec2)
				codec_deinit(dd->codec2);
			free(dd->codec2);
			dd->codec2 = NULL;
			return bulk_read(dd, &dd->codec, pfn, n, out);
		}
	}
	job.dd = dd;
	job.pfn = pfn + n / 2;
	job.n = n - n / 2;
	job.out = out + n / 2 * (size_t)dd->page_size;
	job.err = NULL;
	if (pthread_create(&t, NULL, bulk_thread, &job))
		return bulk_read(dd, &dd->codec, pfn, n, out);
	err = bulk_read(dd, &dd->codec, pfn, n / 2, out);
	pthread_join(t, NULL);
	/* the first page that fails, as a read page by page would say */
	if (err) {
		if (job.err)
			vmacore_error_destroy(job.err);
		return err;
	}
	return job.err;
}

void diskdump_set_cache(struct diskdump *dd, const char *dir,
			void (*log)(void *arg, const char *msg), void *log_arg)
{
	dd->cache_dir = dir;
	dd->log = log;
	dd->log_arg = log_arg;
}

bool diskdump_caches(const struct diskdump *dd, size_t pages)
{
	return dd->cache_dir && pages >= CACHE_MIN_PAGES;
}

/*
 * The input of pages [@pfn, @pfn + @n) (struct dd_input), read from the
 * file.  False when a block is not in the file, a descriptor is wrong or
 * the data do not lie together: there is then nothing to cache.
 */
static bool diskdump_input(struct diskdump *dd, uint64_t pfn, size_t n,
			   struct dd_input *in)
{
	uint64_t b0 = pfn / dd->pages_per_block, b, nb, idx, lo = UINT64_MAX;
	uint64_t hi = 0, *meta;
	unsigned char *desc;
	size_t i;

	memset(in, 0, sizeof(*in));
	if (!n || pfn + n < pfn ||
	    (pfn + n - 1) / dd->pages_per_block >= dd->max_block)
		return false;
	nb = (pfn + n - 1) / dd->pages_per_block + 1 - b0;
	for (b = b0; b < b0 + nb; b++)
		if (!(dd->bitmap[b / 64] >> (b % 64) & 1))
			return false;
	/* present blocks in a row: their descriptors lie in a row */
	idx = desc_index(dd, b0);
	if (dd->desc_off + (idx + nb) * DD_DESC_SIZE > dd->file_size)
		return false;
	desc = malloc(nb * DD_DESC_SIZE);
	meta = malloc(nb * 2 * sizeof(*meta));
	if (!desc || !meta ||
	    !pread_full(dd->fd, desc, nb * DD_DESC_SIZE,
			dd->desc_off + idx * DD_DESC_SIZE))
		goto fail;
	for (i = 0; i < nb; i++) {
		uint64_t off = get64(desc + i * DD_DESC_SIZE);
		uint32_t size = get32(desc + i * DD_DESC_SIZE + 8);
		uint32_t flags = get32(desc + i * DD_DESC_SIZE + 12);

		if (desc_check(dd, off, size, flags))
			goto fail;
		if (off < lo)
			lo = off;
		if (off + size > hi)
			hi = off + size;
		meta[2 * i] = off;
		meta[2 * i + 1] = (uint64_t)flags << 32 | size;
	}
	if (hi - lo > nb * dd->block_size)
		goto fail;
	for (i = 0; i < nb; i++)
		meta[2 * i] -= lo;
	in->span = malloc(hi - lo);
	if (!in->span || !pread_full(dd->fd, in->span, hi - lo, lo))
		goto fail;
	free(desc);
	in->page_size = dd->page_size;
	in->block_size = dd->block_size;
	in->first = pfn % dd->pages_per_block;
	in->npages = n;
	in->nblocks = nb;
	in->meta = meta;
	in->meta_len = nb * 2 * sizeof(*meta);
	in->span_len = hi - lo;
	return true;
fail:
	free(desc);
	free(meta);
	free(in->span);
	in->span = NULL;
	return false;
}

struct vmacore_error *diskdump_read_pages(struct diskdump *dd, uint64_t pfn,
					  size_t n, void *buf)
{
	struct vmacore_error *err;
	char path[PATH_MAX];
	struct dd_input in;

	if (!diskdump_caches(dd, n) || !diskdump_input(dd, pfn, n, &in))
		return decode_pages(dd, pfn, n, buf);
	if (decoded_cache_get(dd->cache_dir, &in, buf, n * dd->page_size,
			      path, sizeof(path))) {
		dump_logf(dd->log, dd->log_arg,
			  "%zu pages at pfn 0x%llx: decoded before, from %s",
			  n, (unsigned long long)pfn, path);
		err = NULL;
	} else {
		err = decode_pages(dd, pfn, n, buf);
		if (!err && decoded_cache_put(dd->cache_dir, &in, buf,
					      n * dd->page_size, path,
					      sizeof(path)))
			dump_logf(dd->log, dd->log_arg,
				  "%zu pages at pfn 0x%llx: decoded, kept in %s",
				  n, (unsigned long long)pfn, path);
	}
	free(in.meta);
	free(in.span);
	return err;
}
