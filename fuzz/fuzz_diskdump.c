// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_diskdump.c - vmacore's own kdump-compressed page reader
 * (lib/dump/diskdump.c) over the fuzzer's bytes as a dump file in a
 * memfd: the header, bitmap and page descriptors, and the data of each
 * page (zlib, lzo, snappy, zstd or none).  Every page of the first few
 * thousand is read one at a time and then in one bulk read (in two
 * threads when long enough; with a second thread decoding ahead for
 * inputs of even size): both must give the same bytes, and the bulk
 * read must fail exactly at the first page that fails alone.  Seeds:
 * `build/tests/pagereader --synthetic fuzz/corpus/diskdump/synth`.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"
#include "fuzz.h"

#define PAGE 4096
#define MAX_PAGES 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char one[MAX_PAGES][PAGE], bulk[MAX_PAGES * PAGE];
	uint64_t first_bad = UINT64_MAX, n, pfn;
	struct vmacore_error *err;
	struct diskdump *dd;
	int fd;

	fuzz_corrupt_has_line = false;	/* errors of a file, not of lib/ */
	fd = memfd_create("fuzz-diskdump", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	err = diskdump_open(fd, "fuzz", PAGE, &dd);
	if (err || !dd) {
		fuzz_error_free(err);
		close(fd);
		return 0;
	}
	/* decoding ahead (a second thread) from the first read, or none */
	diskdump_set_threads(dd, size % 2 ? 1 : 3);
	n = diskdump_max_pfn(dd) + 2;	/* and past the end */
	if (n > MAX_PAGES)
		n = MAX_PAGES;
	for (pfn = 0; pfn < n; pfn++) {
		err = diskdump_read(dd, pfn, one[pfn]);
		/* absent exactly when the bitmap says so */
		if (diskdump_has(dd, pfn) ==
		    (err && err->code == VMACORE_ERROR_NODATA))
			fuzz_fail("page 0x%llx: %s, but %s the bitmap",
				  (unsigned long long)pfn,
				  err ? err->message : "read",
				  diskdump_has(dd, pfn) ? "in" : "not in");
		if (err) {
			if (err->code != VMACORE_ERROR_NODATA &&
			    err->code != VMACORE_ERROR_CORRUPT &&
			    err->code != VMACORE_ERROR_OS)
				fuzz_fail("page 0x%llx: unexpected error code %d",
					  (unsigned long long)pfn, err->code);
			if (first_bad == UINT64_MAX)
				first_bad = pfn;
		}
		fuzz_error_free(err);
	}
	err = diskdump_read_pages(dd, 0, n, bulk);
	if ((err != NULL) != (first_bad != UINT64_MAX) ||
	    (err && err->address != first_bad * PAGE))
		fuzz_fail("bulk read: %s, first failing page 0x%llx",
			  err ? err->message : "no error",
			  (unsigned long long)first_bad);
	if (!err && memcmp(bulk, one, n * PAGE))
		fuzz_fail("bulk read: other bytes than page by page");
	fuzz_error_free(err);
	diskdump_close(dd);
	close(fd);
	return 0;
}
