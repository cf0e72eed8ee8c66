// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_flags.c - the vm_flags tables read from the dump: show_smap_vma_flags()'s
 * mnemonics[] and vmaflag_names[].
 *
 * Arena: mnemonics at +0x40 (header [0]: its symbol size, low 8 bits),
 * vmaflag_names at +0x100 (header [1]: its symbol size, low 12 bits; the
 * strings follow it).  Header [2], [3]: flag values to decode; [4] low 6
 * bits: an output buffer size (0: large).
 * Properties: outputs are NUL-terminated; a value of 0 decodes to "".
 */
#include <string.h>

#include "fuzz.h"
#include "mm_internal.h"	/* flags_table_init() */

#define MNEMONICS (FUZZ_ARENA + 0x40)
#define NAMES (FUZZ_ARENA + 0x100)

static void decode(struct vmacore_ctx *ctx, uint64_t v, size_t size)
{
	struct vmacore_error *err;
	char buf[4096];

	err = vmacore_flags_codes(ctx, v, buf, size);
	if (!err && (!memchr(buf, 0, size) || (!v && buf[0])))
		fuzz_fail("codes of 0x%llx: bad string",
			  (unsigned long long)v);
	fuzz_error_free(err);
	err = vmacore_flags_names(ctx, v, buf, size);
	if (!err && !memchr(buf, 0, size))
		fuzz_fail("names of 0x%llx: not terminated",
			  (unsigned long long)v);
	fuzz_error_free(err);
}

/* The tables' symbols, sized by header words 0 and 1. */
static void set_symbols(struct fake_target *f, const uint64_t *hdr)
{
	fake_symbol(f, "mnemonics.0", MNEMONICS, hdr[0] & 0xff);
	fake_symbol(f, "vmaflag_names", NAMES, hdr[1] & 0xfff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vmacore_flag_bit *t;
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	uint64_t hdr[FUZZ_HDR_WORDS];
	size_t n, i, osize;

	/*
	 * One context for all inputs (making one per input costs 10 times
	 * the walk), its tables rebuilt from this input as
	 * vmacore_ctx_create() builds them.
	 */
	ctx = fuzz_begin(data, size, NULL, set_symbols, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	err = flags_table_init(ctx);
	if (err) {
		fuzz_error_free(err);
		fuzz_end(ctx);
		return 0;
	}
	osize = hdr[4] & 63;
	if (!osize)
		osize = 4096;
	decode(ctx, hdr[2], osize);
	decode(ctx, hdr[3], 4096);
	decode(ctx, ~0ULL, 4096);
	decode(ctx, 0, osize);
	t = vmacore_flags_table(ctx, &n);
	for (i = 0; t && i < n; i++)
		if (t[i].code[2] || (t[i].code[0] && !t[i].code[1]))
			fuzz_fail("flags table entry %zu is bad", i);
	fuzz_end(ctx);
	return 0;
}
