// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_path.c - d_path() of a file through dentries and mounts, and the
 * maps name column of a VMA.
 *
 * Header: [0] a struct file, [1] an mm_struct, [2] a VMA, [3] low 13 bits:
 * the size of the path buffer.
 * Properties: the result is NUL-terminated within the buffer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmacore_maps_line line;
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	uint64_t hdr[FUZZ_HDR_WORDS];
	size_t bsize;
	char *buf;

	ctx = fuzz_begin(data, size, NULL, NULL, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	bsize = hdr[3] & 0x1fff;
	if (!bsize || bsize > VMACORE_NAME_MAX)
		bsize = VMACORE_NAME_MAX;
	buf = malloc(bsize);
	err = vmacore_file_path(ctx, hdr[0], buf, bsize);
	if (!err && !memchr(buf, 0, bsize))
		fuzz_fail("path not terminated");
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "path: %s\n", err ? err->message : buf);
	fuzz_error_free(err);
	free(buf);

	err = vmacore_mm_read(ctx, hdr[1], &mm);
	if (!err)
		err = vmacore_vma_read(ctx, hdr[2], &vma);
	if (!err) {
		err = vmacore_vma_maps_line(ctx, &mm, &vma, &line);
		if (!err && !memchr(line.name, 0, sizeof(line.name)))
			fuzz_fail("maps name not terminated");
	}
	fuzz_error_free(err);
	fuzz_end(ctx);
	return 0;
}
