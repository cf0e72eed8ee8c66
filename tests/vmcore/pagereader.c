// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagereader.c - lib/dump/diskdump.c against libkdumpfile (issue 14).
 *
 * pagereader DUMP: every page of a kdump-compressed (or flattened) DUMP
 * read by libkdumpfile and by diskdump.c, one page at a time: the same
 * bytes, and the same pages absent (NODATA) or failing; then the same
 * pages again through diskdump_read_pages() in runs of 1000 pages, which
 * must give the same bytes, or fail at the first page that fails alone.
 * Prints "ok - ..." / "not ok - ..." lines and "# " diagnostics; exit 2
 * when DUMP is not a diskdump file libkdumpfile opens.
 *
 * pagereader --synthetic [OUT]: a diskdump file made here, with 64 KiB
 * blocks holding sixteen 4 KiB pages as QEMU writes arm64 dumps
 * (DUMP-NOTES.md), then the same with 4 KiB blocks (written to OUT-64k
 * and OUT-4k too: the seeds of fuzz/corpus/diskdump):
 * one block per compression (zlib, lzo, snappy, zstd, none), an excluded
 * block, a block whose data does not decompress and one whose descriptor
 * points past the end of the file.
 */
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <lzo/lzo1x.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zstd.h>

#include <libkdumpfile/kdumpfile.h>

#include "dump.h"

#define MAX_DIFFS 8
#define RUN 1000

enum answer { A_OK, A_NODATA, A_FAIL };

static const char *const answer_name[] = { "data", "absent", "error" };

static enum answer lkf_read(kdump_ctx_t *ctx, kdump_bmp_t *bmp,
			    uint64_t pfn, uint64_t page_size, void *buf)
{
	unsigned char bits = 0;
	size_t len = page_size;
	kdump_status st;

	/*
	 * The file's bitmap first, as lib/dump/kdump.c does: libkdumpfile
	 * 0.5.1 can crash reading an excluded lzo page (pfn_excluded()).
	 */
	if (bmp && kdump_bmp_get_bits(bmp, pfn, pfn, &bits) == KDUMP_OK &&
	    !(bits & 1))
		return A_NODATA;
	st = kdump_read(ctx, KDUMP_MACHPHYSADDR, pfn * page_size, buf, &len);
	if (st == KDUMP_OK)
		return A_OK;
	return st == KDUMP_ERR_NODATA ? A_NODATA : A_FAIL;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

/*
 * @cut_ret: a page whose data lies past the end of the file, which
 * libkdumpfile 0.5.1 reads as zeros (as it does the missing tail of an
 * ELF dump, see elf_check_size() in lib/dump/kdump.c): a silent wrong
 * answer that diskdump.c must not give.
 */
static enum answer our_answer(struct vmacore_error *err, bool *cut_ret)
{
	enum answer a;

	*cut_ret = false;
	if (!err)
		return A_OK;
	a = err->code == VMACORE_ERROR_NODATA ? A_NODATA : A_FAIL;
	*cut_ret = strstr(err->message, "beyond the end of the file") != NULL;
	vmacore_error_destroy(err);
	return a;
}

static int compare(const char *path)
{
	uint64_t page_size = 4096, max_pfn = 0, end, pfn, count[3] = { 0 };
	uint64_t cut_pages = 0;
	unsigned char *a, *b, *ours, *answers;
	kdump_attr_t attr = { .type = KDUMP_BITMAP };
	struct vmacore_error *err;
	kdump_bmp_t *bmp = NULL;
	struct diskdump *dd;
	const char *fmt;
	kdump_num_t num;
	kdump_ctx_t *ctx;
	int fd, diffs = 0, bulk_diffs = 0;
	char *val;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("not ok - cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (flat_is_flattened(fd)) {
		uint64_t size;
		int out;

		err = flat_reassemble(fd, path, &out, &size);
		if (err) {
			printf("not ok - %s\n", err->message);
			return 1;
		}
		close(fd);
		fd = out;
	}
	ctx = kdump_new();
	/* read(2) as lib/dump/kdump.c: a cut file would SIGBUS if mapped */
	if (!ctx || kdump_set_number_attr(ctx, KDUMP_ATTR_FILE_MMAP_POLICY,
					  KDUMP_MMAP_NEVER) != KDUMP_OK ||
	    kdump_open_fd(ctx, fd) != KDUMP_OK ||
	    kdump_get_string_attr(ctx, KDUMP_ATTR_FILE_FORMAT, &fmt) !=
	    KDUMP_OK || strcmp(fmt, "diskdump") != 0) {
		printf("# %s: not a diskdump file libkdumpfile opens\n", path);
		return 2;
	}
	if (kdump_vmcoreinfo_line(ctx, "PAGESIZE", &val) == KDUMP_OK) {
		page_size = strtoull(val, NULL, 10);
		free(val);
	}
	if (kdump_get_number_attr(ctx, "max_pfn", &num) == KDUMP_OK)
		max_pfn = num;
	if (kdump_get_typed_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) ==
	    KDUMP_OK)
		bmp = attr.val.bitmap;
	err = diskdump_open(fd, path, page_size, &dd);
	if (err || !dd) {
		printf("not ok - %s: diskdump_open: %s\n", path,
		       err ? err->message : "left to libkdumpfile");
		return 1;
	}
	diskdump_set_threads(dd, 3);	/* decoding ahead, from the start */
	end = max_pfn > diskdump_max_pfn(dd) ? max_pfn : diskdump_max_pfn(dd);
	end += 64;	/* and past the end: both must say absent */
	a = malloc(page_size);
	b = malloc(page_size);
	ours = malloc(RUN * page_size);
	answers = malloc(end);
	if (!a || !b || !ours || !answers)
		abort();
	for (pfn = 0; pfn < end; pfn++) {
		enum answer x = lkf_read(ctx, bmp, pfn, page_size, a), y;
		bool cut;

		y = our_answer(diskdump_read(dd, pfn, b), &cut);
		if (x == A_OK && y == A_FAIL && cut && all_zero(a, page_size)) {
			x = A_FAIL;	/* see our_answer() */
			cut_pages++;
		}
		answers[pfn] = x;
		count[x]++;
		if (x != y || (x == A_OK && memcmp(a, b, page_size))) {
			if (diffs++ < MAX_DIFFS)
				printf("# pfn 0x%llx: libkdumpfile %s, vmacore %s\n",
				       (unsigned long long)pfn,
				       answer_name[x], x != y ? answer_name[y] :
				       "different bytes");
		}
	}
	printf("%s - %s: %llu pages alike, one at a time (%llu with data, %llu absent, %llu failing)%s\n",
	       diffs ? "not ok" : "ok", path, (unsigned long long)end,
	       (unsigned long long)count[A_OK],
	       (unsigned long long)count[A_NODATA],
	       (unsigned long long)count[A_FAIL],
	       diffs ? ": differences" : "");
	if (cut_pages)
		printf("# %llu pages past the end of the file: zeros from libkdumpfile, an error from vmacore\n",
		       (unsigned long long)cut_pages);
	/* runs of pages: the bulk reader (two threads) */
	for (pfn = 0; pfn < end; pfn += RUN) {
		size_t n = end - pfn < RUN ? end - pfn : RUN, i;
		uint64_t bad = UINT64_MAX;

		for (i = 0; i < n; i++) {
			if (answers[pfn + i] != A_OK) {
				bad = pfn + i;
				break;
			}
		}
		err = diskdump_read_pages(dd, pfn, n, ours);
		if ((err != NULL) != (bad != UINT64_MAX) ||
		    (err && err->address != bad * page_size)) {
			if (bulk_diffs++ < MAX_DIFFS)
				printf("# run at pfn 0x%llx: first failing page 0x%llx, bulk read: %s\n",
				       (unsigned long long)pfn,
				       (unsigned long long)bad,
				       err ? err->message : "ok");
		}
		if (err) {
			vmacore_error_destroy(err);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (answers[pfn + i] != A_OK)
				continue;
			lkf_read(ctx, bmp, pfn + i, page_size, a);
			if (memcmp(a, ours + i * page_size, page_size) &&
			    bulk_diffs++ < MAX_DIFFS)
				printf("# pfn 0x%llx: bulk read, different bytes\n",
				       (unsigned long long)(pfn + i));
		}
	}
	printf("%s - %s: bulk reads of %u pages alike%s\n",
	       bulk_diffs ? "not ok" : "ok", path, RUN,
	       bulk_diffs ? ": differences" : "");
	diskdump_close(dd);
	if (bmp)
		kdump_bmp_decref(bmp);
	kdump_free(ctx);
	close(fd);
	free(a);
	free(b);
	free(ours);
	free(answers);
	return diffs || bulk_diffs;
}

/* --synthetic: blocks of S_BLOCK bytes (64 KiB, then 4 KiB) of 4 KiB pages. */
static size_t S_BLOCK;
#define S_PAGE 4096
#define S_BLOCKS 10

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static size_t compress_block(int how, const unsigned char *in,
			     unsigned char *out, uint32_t *flags)
{
	static unsigned char wrk[LZO1X_1_MEM_COMPRESS]
		__attribute__((aligned(16)));
	struct libdeflate_compressor *c;
	size_t n = 2 * S_BLOCK;
	lzo_uint ln = 2 * S_BLOCK;

	switch (how) {
	case 0:
		c = libdeflate_alloc_compressor(6);
		n = libdeflate_zlib_compress(c, in, S_BLOCK, out, 2 * S_BLOCK);
		libdeflate_free_compressor(c);
		*flags = 0x1;
		return n;
	case 1:
		lzo1x_1_compress(in, S_BLOCK, out, &ln, wrk);
		*flags = 0x2;
		return ln;
	case 2:
		snappy_compress((const char *)in, S_BLOCK, (char *)out, &n);
		*flags = 0x4;
		return n;
	case 3:
		*flags = 0x20;
		return ZSTD_compress(out, 2 * S_BLOCK, in, S_BLOCK, 3);
	default:
		memcpy(out, in, S_BLOCK);
		*flags = 0;
		return S_BLOCK;
	}
}

static int synthetic(size_t block, const char *out)
{
	/* blocks 0-4: zlib, lzo, snappy, zstd, raw; 5 excluded; 6 bad zlib;
	 * 7 past the end of the file; 8-9 raw */
	unsigned char *file, *blk, *cbuf, page[S_PAGE];
	size_t size, pos, n, i;
	uint64_t desc_off, bitmap = 0x3ff & ~(1ULL << 5);
	int fd, fails = 0, k = 0;
	struct vmacore_error *err;
	struct diskdump *dd;
	unsigned int b, p;

	S_BLOCK = block;
	size = (4 + S_BLOCKS * 3) * S_BLOCK;
	desc_off = 3 * S_BLOCK;
	file = calloc(1, size);
	blk = malloc(S_BLOCK);
	cbuf = malloc(2 * S_BLOCK);
	if (!file || !blk || !cbuf || lzo_init() != LZO_E_OK)
		abort();
	memcpy(file, "KDUMP   ", 8);
	put32(file + 8, 6);		/* header_version */
	put32(file + 428, S_BLOCK);	/* block_size */
	put32(file + 432, 1);		/* sub_hdr_size */
	put32(file + 436, 1);		/* bitmap_blocks */
	put32(file + 440, S_BLOCKS);	/* max_mapnr */
	put64(file + S_BLOCK + 96, S_BLOCKS);	/* max_mapnr_64 */
	/* both bitmaps: memory, then dumped blocks */
	put64(file + 2 * S_BLOCK, 0x3ff);
	put64(file + 2 * S_BLOCK + S_BLOCK / 2, bitmap);
	pos = 4 * S_BLOCK;
	for (b = 0; b < S_BLOCKS; b++) {
		uint32_t flags;

		if (b == 5)
			continue;
		for (i = 0; i < S_BLOCK; i++)	/* compressible, per block */
			blk[i] = (unsigned char)(i / 64 * (b + 1) + b);
		n = compress_block(b < 5 ? (int)b : b == 6 ? 0 : 4, blk, cbuf,
				   &flags);
		if (b == 6)
			cbuf[n / 2] ^= 0xff;	/* the adler32 fails */
		memcpy(file + pos, cbuf, n);
		put64(file + desc_off + k * 24, b == 7 ? size : pos);
		put32(file + desc_off + k * 24 + 8, n);
		put32(file + desc_off + k * 24 + 12, flags);
		pos += n;
		k++;
	}
	fd = memfd_create("synthetic-diskdump", MFD_CLOEXEC);
	if (fd < 0 || write(fd, file, pos) != (ssize_t)pos)
		abort();
	if (out) {	/* a seed for fuzz/fuzz_diskdump.c */
		FILE *fp = fopen(out, "wb");

		if (!fp || fwrite(file, 1, pos, fp) != pos || fclose(fp))
			abort();
	}
	err = diskdump_open(fd, "synthetic", S_PAGE, &dd);
	if (err || !dd) {
		printf("not ok - synthetic: diskdump_open: %s\n",
		       err ? err->message : "left to libkdumpfile");
		return 1;
	}
	diskdump_set_threads(dd, 3);	/* decoding ahead too */
	for (p = 0; p < (S_BLOCKS + 1) * (S_BLOCK / S_PAGE); p++) {
		unsigned int blkno = p / (S_BLOCK / S_PAGE);
		int want = blkno == 5 || blkno >= S_BLOCKS ? VMACORE_ERROR_NODATA :
			   blkno == 6 || blkno == 7 ? VMACORE_ERROR_CORRUPT : 0;
		bool same = true;

		err = diskdump_read(dd, p, page);
		for (i = 0; !err && i < S_PAGE; i++) {
			size_t at = p % (S_BLOCK / S_PAGE) * S_PAGE + i;

			same &= page[i] ==
				(unsigned char)(at / 64 * (blkno + 1) + blkno);
		}
		if ((err ? (int)err->code : 0) != want || !same) {
			fails++;
			printf("# synthetic page %u (block %u): %s\n", p,
			       blkno, err ? err->message :
			       same ? "read, but should fail" : "wrong bytes");
		}
		if (err)
			vmacore_error_destroy(err);
	}
	printf("%s - synthetic diskdump with %zu KiB blocks of 4 KiB pages: %u pages read as written, absent or failing\n",
	       fails ? "not ok" : "ok", S_BLOCK / 1024, p);
	diskdump_close(dd);
	close(fd);
	free(file);
	free(blk);
	free(cbuf);
	return fails != 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--synthetic") == 0) {
		char out[4096];
		int r;

		/* with OUT: the files are also written to OUT-64k, OUT-4k */
		snprintf(out, sizeof(out), "%s-64k", argc > 2 ? argv[2] : "");
		r = synthetic(65536, argc > 2 ? out : NULL);
		snprintf(out, sizeof(out), "%s-4k", argc > 2 ? argv[2] : "");
		return synthetic(4096, argc > 2 ? out : NULL) | r;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: pagereader DUMP | --synthetic [OUT]\n");
		return 2;
	}
	return compare(argv[1]);
}
