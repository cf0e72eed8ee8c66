// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_pgtable.c - the arm64 user page-table walk (lib/arch_arm64.c) over
 * tables in the arena, in every granule and shape it knows.
 *
 * Header: [0] the user address, [1] mm->pgd (a virtual address; physical
 * P is arena offset P - 0x10000000), [2] the shape (index into shapes[]:
 * granule, VA bits, MAX_PHYSMEM_BITS), [3] protection_map[VM_NONE] (the
 * probe of PTE_PROT_NONE against PTE_PRESENT_INVALID; 0: bit 58 clear).
 * Properties: a present entry lies at a level the shape has, maps a size
 * the granule has (page, block, contiguous range) and a pfn below 2^52;
 * a swap entry is never present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"	/* ctx->l.rmap.mem_done */

#define PROTMAP 0xffff800008ef8fc0ULL

static const struct shape {
	unsigned int ps, va, physbits;
} shapes[] = {
	{ 12, 39, 48 }, { 12, 48, 48 }, { 12, 52, 52 },
	{ 14, 36, 48 }, { 14, 47, 48 }, { 14, 48, 48 }, { 14, 52, 52 },
	{ 16, 42, 48 }, { 16, 48, 48 }, { 16, 52, 52 },
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

static const struct shape *cur;
static struct vmacore_ctx *ctxs[NSHAPES];

static struct vmacore_error *vmcoreinfo(void *priv, const char *key,
					char *buf, size_t size)
{
	(void)priv;
	if (!strcmp(key, "PAGESIZE"))
		snprintf(buf, size, "%u", 1u << cur->ps);
	else if (!strcmp(key, "NUMBER(kimage_voffset)"))
		snprintf(buf, size, "0xffff7fffc8000000");
	else if (!strcmp(key, "NUMBER(PHYS_OFFSET)"))
		snprintf(buf, size, "0x40000000");
	else if (!strcmp(key, "NUMBER(VA_BITS)"))
		snprintf(buf, size, "%u", cur->va);
	else if (!strcmp(key, "NUMBER(TCR_EL1_T1SZ)"))
		snprintf(buf, size, "0x%x", 64 - cur->va);
	else if (!strcmp(key, "NUMBER(MAX_PHYSMEM_BITS)"))
		snprintf(buf, size, "%u", cur->physbits);
	else if (!strcmp(key, "NUMBER(VMEMMAP_START)"))
		snprintf(buf, size, "0xfffffc0000000000");
	else
		return vmacore_error_create(VMACORE_ERROR_LOOKUP, "no %s", key);
	return NULL;
}

static void layout(struct fake_target *f)
{
	fake_symbol(f, "protection_map", PROTMAP, 128);
}

static void prepare(struct fake_target *f, const uint64_t *hdr)
{
	fake_w64(f, PROTMAP, hdr[3] & ~1ULL);	/* PAGE_NONE is never valid */
}

/* Sizes a leaf of granule 2^@ps can map: page, blocks, contiguous ranges */
static bool size_ok(unsigned int ps, uint64_t size)
{
	static const uint64_t sizes[3][6] = {
		{ 4ULL << 10, 64ULL << 10, 2ULL << 20, 32ULL << 20, 1ULL << 30, 16ULL << 30 },
		{ 16ULL << 10, 2ULL << 20, 32ULL << 20, 1ULL << 30, 64ULL << 30, 2ULL << 40 },
		{ 64ULL << 10, 2ULL << 20, 512ULL << 20, 16ULL << 30, 4ULL << 40, 128ULL << 40 },
	};
	unsigned int g = ps == 12 ? 0 : ps == 14 ? 1 : 2, i;

	for (i = 0; i < 6; i++)
		if (sizes[g][i] == size)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_ctx *fctx, *ctx;
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t hdr[FUZZ_HDR_WORDS];
	static struct vmacore_target_ops ops;
	size_t s;

	fctx = fuzz_begin(data, size, layout, prepare, true, hdr);
	s = hdr[2] % NSHAPES;
	cur = &shapes[s];
	if (!ctxs[s]) {
		ops = fake_ops;
		ops.vmcoreinfo = vmcoreinfo;
		err = vmacore_ctx_create(&ops, fuzz_fake(), &ctxs[s]);
		if (err)
			fuzz_fail("cannot create arm64 context: %s", err->message);
	}
	ctx = ctxs[s];
	/* one context per shape: forget what it read from the last input */
	ctx->l.rmap.mem_done = false;
	memset(&pte, 0, sizeof(pte));
	err = vmacore_pgtable_lookup(ctx, hdr[1], hdr[0], &pte);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "pgtable: %s present %d level %d size %llu pfn 0x%llx\n",
			err ? err->message : "ok", pte.present, pte.level,
			(unsigned long long)pte.page_size,
			(unsigned long long)pte.pfn);
	if (!err && pte.present &&
	    (pte.level < 1 || pte.level > (int)ctx->l.arch.arm64_levels ||
	     !size_ok(cur->ps, pte.page_size) || pte.pfn >> (52 - cur->ps)))
		fuzz_fail("present entry at level %d, size %llu, pfn 0x%llx",
			  pte.level, (unsigned long long)pte.page_size,
			  (unsigned long long)pte.pfn);
	if (!err && pte.present && pte.swap)
		fuzz_fail("a present entry is a swap entry");
	fuzz_error_free(err);
	fuzz_end(fctx);
	return 0;
}
