// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_coredump.c - the core-dump verdict of a VMA (vma_dump_size() with
 * the ELF first-page check through page tables and the page cache), and
 * the gate VMA.
 *
 * Header: [0] an mm_struct, [1] a VMA; [5] max_pfn, [6] vmemmap_base,
 * [7] vsyscall_mode (their symbols point there).  Physical P is arena
 * offset P - 0x10000000.
 * Properties: the size matches the kind (FULL: the VMA, FIRST_PAGE: one
 * page, else 0), the rule and reason are set.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"	/* ctx->l.rmap.mem_done */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_coredump_verdict v;
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	struct vmacore_vma vma, gate;
	struct vmacore_mm mm;
	uint64_t hdr[FUZZ_HDR_WORDS];
	bool found;

	ctx = fuzz_begin(data, size, fuzz_layout_rmap, NULL, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	/* one context for all inputs: forget what it read from the last */
	ctx->l.rmap.mem_done = false;
	err = vmacore_mm_read(ctx, hdr[0], &mm);
	if (!err)
		err = vmacore_vma_read(ctx, hdr[1], &vma);
	if (!err)
		err = vmacore_coredump_vma(ctx, &mm, &vma, &v);
	if (!err) {
		uint64_t want = v.kind == VMACORE_DUMP_FULL ?
				vma.vm_end - vma.vm_start :
				v.kind == VMACORE_DUMP_FIRST_PAGE ? 4096 : 0;

		if (v.kind > VMACORE_DUMP_UNKNOWN || v.size != want)
			fuzz_fail("verdict %d of size %llu for [0x%llx, 0x%llx)",
				  v.kind, (unsigned long long)v.size,
				  (unsigned long long)vma.vm_start,
				  (unsigned long long)vma.vm_end);
		if (!v.rule_name || !memchr(v.reason, 0, sizeof(v.reason)))
			fuzz_fail("verdict without rule or reason");
	}
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "coredump: %s\n", err ? err->message : v.reason);
	fuzz_error_free(err);
	err = vmacore_mm_read(ctx, hdr[0], &mm);
	if (!err)
		err = vmacore_coredump_gate_vma(ctx, &mm, &gate, &found);
	fuzz_error_free(err);
	fuzz_end(ctx);
	return 0;
}
