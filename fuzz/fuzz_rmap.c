// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_rmap.c - the reverse map of a page (folio, file/anon/KSM walks,
 * owners by task list, page-table check) and the page-table walk.
 *
 * Header: [1], [2] init_task.tasks.next and .prev, [3] the pfn, [4] a pgd,
 * [0] a user address for the page-table walk; [5] max_pfn, [6]
 * vmemmap_base.  Physical P is arena offset P - 0x10000000.
 * Properties: each hit's address lies inside its VMA; a present pte has
 * a page size of 4K, 2M or 1G.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "internal.h"	/* ctx->l.rmap.mem_done */

/* init_task.tasks from header words 1 and 2 */
static void set_init_task(struct fake_target *f, const uint64_t *hdr)
{
	fake_w64(f, FAKE_INIT_TASK + T_TASKS, hdr[1]);
	fake_w64(f, FAKE_INIT_TASK + T_TASKS + 8, hdr[2]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_rmap_iter *it;
	struct vmacore_rmap_hit h;
	struct vmacore_folio folio;
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	struct vmacore_pte pte;
	uint64_t hdr[FUZZ_HDR_WORDS];

	ctx = fuzz_begin(data, size, fuzz_layout_rmap, set_init_task, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	/* one context for all inputs: forget what it read from the last */
	ctx->l.rmap.mem_done = false;
	err = vmacore_pgtable_lookup(ctx, hdr[4], hdr[0], &pte);
	if (!err && pte.present && pte.page_size != 4096 &&
	    pte.page_size != 2 << 20 && pte.page_size != 1 << 30)
		fuzz_fail("present pte of page size %llu",
			  (unsigned long long)pte.page_size);
	fuzz_error_free(err);
	err = vmacore_rmap_iter_create(ctx, hdr[3], &folio, &it);
	if (err && getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "rmap: %s\n", err->message);
	if (err) {
		fuzz_error_free(err);
	} else {
		while (!(err = vmacore_rmap_iter_next(it, &h))) {
			if (getenv("FUZZ_VERBOSE"))
				fprintf(stderr, "rmap: pid %d vaddr 0x%llx\n",
					h.pid, (unsigned long long)h.vaddr);
			if (h.vaddr < h.vm_start || h.vaddr >= h.vm_end)
				fuzz_fail("rmap hit 0x%llx outside vma [0x%llx, 0x%llx)",
					  (unsigned long long)h.vaddr,
					  (unsigned long long)h.vm_start,
					  (unsigned long long)h.vm_end);
		}
		fuzz_error_free(err == &vmacore_stop ? NULL : err);
		vmacore_rmap_iter_destroy(it);
	}
	fuzz_end(ctx);
	return 0;
}
