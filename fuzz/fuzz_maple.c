// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_maple.c - the maple tree walk and lookup of mm->mm_mt.
 *
 * Header: [0] the mm_struct, [1] an address to look up.
 * Properties: the walk returns VMAs in address order, each non-empty and
 * not overlapping the previous one; a lookup that finds a VMA found one
 * that contains the address; after a clean walk, looking up the first and
 * last byte of each VMA finds that VMA.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

#define MAX_VMAS 512

static void check_find(struct vmacore_ctx *ctx, uint64_t mm, uint64_t addr,
		       uint64_t expect)
{
	struct vmacore_vma v;
	struct vmacore_error *err;
	bool found;

	err = vmacore_vma_find(ctx, mm, addr, &v, &found);
	if (err) {
		fuzz_error_free(err);
		return;
	}
	if (found && (addr < v.vm_start || addr >= v.vm_end))
		fuzz_fail("find(0x%llx) gave vma [0x%llx, 0x%llx)",
			  (unsigned long long)addr,
			  (unsigned long long)v.vm_start,
			  (unsigned long long)v.vm_end);
	if (expect && (!found || v.addr != expect))
		fuzz_fail("find(0x%llx) gave %s0x%llx, the walk had vma 0x%llx",
			  (unsigned long long)addr, found ? "" : "nothing, not ",
			  (unsigned long long)(found ? v.addr : 0),
			  (unsigned long long)expect);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmacore_vma vmas[MAX_VMAS];
	struct vmacore_vma_iter *it;
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	uint64_t hdr[FUZZ_HDR_WORDS], last_end = 0;
	size_t n = 0, i;
	bool clean = false;

	ctx = fuzz_begin(data, size, NULL, NULL, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	err = vmacore_vma_iter_create(ctx, hdr[0], &it);
	if (err) {
		fuzz_error_free(err);
	} else {
		for (;;) {
			struct vmacore_vma v;

			err = vmacore_vma_iter_next(it, &v);
			if (err) {
				clean = err == &vmacore_stop;
				fuzz_error_free(err);
				break;
			}
			if (v.vm_start >= v.vm_end || v.vm_start < last_end)
				fuzz_fail("walk gave vma [0x%llx, 0x%llx) after 0x%llx",
					  (unsigned long long)v.vm_start,
					  (unsigned long long)v.vm_end,
					  (unsigned long long)last_end);
			last_end = v.vm_end;
			if (n < MAX_VMAS)
				vmas[n++] = v;
		}
		vmacore_vma_iter_destroy(it);
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "maple: %zu vmas, %s\n", n,
			clean ? "clean" : "stopped by an error");
	check_find(ctx, hdr[0], hdr[1], 0);
	for (i = 0; i < n && i < 64; i++) {
		check_find(ctx, hdr[0], vmas[i].vm_start, clean ? vmas[i].addr : 0);
		check_find(ctx, hdr[0], vmas[i].vm_end - 1,
			   clean ? vmas[i].addr : 0);
	}
	fuzz_end(ctx);
	return 0;
}
