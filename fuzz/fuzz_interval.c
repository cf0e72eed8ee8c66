// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_interval.c - both interval-tree walks: address_space.i_mmap (VMAs)
 * and anon_vma.rb_root (anon_vma_chains), and a VMA's anon_vma_chain list.
 *
 * Header: [0] an address_space, [1] an anon_vma, [2] first, [3] last (page
 * offsets), [4] a VMA.
 * Properties: each node returned overlaps [first, last]; its own
 * [start, last] is ordered.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

static void walk(struct vmacore_ctx *ctx, bool anon, uint64_t root,
		 uint64_t first, uint64_t last)
{
	struct vmacore_interval_iter *it;
	struct vmacore_interval_hit h;
	struct vmacore_error *err;
	unsigned int hits = 0;

	err = anon ? vmacore_anon_iter_create(ctx, root, first, last, &it) :
		     vmacore_imap_iter_create(ctx, root, first, last, &it);
	if (err) {
		fuzz_error_free(err);
		return;
	}
	while (!(err = vmacore_interval_iter_next(it, &h))) {
		if (h.start > h.last || h.start > last || h.last < first)
			fuzz_fail("node 0x%llx [%llu, %llu] outside [%llu, %llu]",
				  (unsigned long long)h.node,
				  (unsigned long long)h.start,
				  (unsigned long long)h.last,
				  (unsigned long long)first,
				  (unsigned long long)last);
		hits++;
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "interval: %s [%llu, %llu]: %u hits, %s\n",
			anon ? "anon" : "i_mmap", (unsigned long long)first,
			(unsigned long long)last, hits,
			err == &vmacore_stop ? "clean" : err->message);
	fuzz_error_free(err == &vmacore_stop ? NULL : err);
	vmacore_interval_iter_destroy(it);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_avc avc[16];
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	uint64_t hdr[FUZZ_HDR_WORDS];
	size_t n;

	ctx = fuzz_begin(data, size, fuzz_layout_rmap, NULL, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	walk(ctx, false, hdr[0], hdr[2], hdr[3]);
	walk(ctx, true, hdr[1], hdr[2], hdr[3]);
	walk(ctx, false, hdr[0], 0, UINT64_MAX);
	walk(ctx, true, hdr[1], 0, UINT64_MAX);
	err = vmacore_anon_chain(ctx, hdr[4], avc, 16, &n);
	if (!err && n > 16)
		fuzz_fail("anon_chain filled %zu of 16", n);
	fuzz_error_free(err);
	fuzz_end(ctx);
	return 0;
}
