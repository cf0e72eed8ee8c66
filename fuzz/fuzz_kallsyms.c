// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_kallsyms.c - the dump-alone symbol reader (lib/dump/kallsyms.c) over
 * tables made of the fuzzer's bytes: kallsyms_build() (name stream,
 * token table and index, addresses), the layout probe, lookups and a walk
 * of every name; then lookups and the probe again in name order
 * (kallsyms_seqs_of_names[], made of the offsets' bytes), and with the
 * names found through kallsyms_markers[] (the same bytes) as read as used.
 *
 * Input (little-endian): a 32-byte header
 *	u32 num_syms; u32 layout (enum ks_layout in lib/dump/dump.h, modulo 4);
 *	u64 kallsyms_relative_base's value; u64 address of kallsyms_offsets;
 *	u32 token table size; u32 name stream size;
 * then kallsyms_token_index (512 bytes), the token table, the name stream
 * and the offsets (or addresses), the rest.  fuzz/kallsyms-seed.py cuts
 * seeds out of the reference dumps.
 */
#include "../lib/dump/kallsyms.c"

#include "fuzz.h"

#define HDR 32

static const char *const lookups[] = {
	"init_task", "_stext", "mnemonics.0", "vmaflag_names", "__start_BTF",
	"__stop_BTF", "linux_banner", "a", "",
};

static void check_name(void *arg, uint64_t addr, char type, const char *name)
{
	size_t *count = arg;

	if (!type || strlen(name) + 1 >= KSYM_NAME_LEN)
		fuzz_fail("kallsyms: name of %zu bytes", strlen(name));
	(*count)++;
}

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ks_layout layouts[] = {
		KS_ABSOLUTE_PERCPU, KS_RELATIVE, KS_PREL, KS_ABSOLUTE,
	};
	const char *anchors[] = { "_stext", "init_uts_ns" };
	uint64_t addrs[2], addr, sz;
	struct vmacore_error *err;
	struct kallsyms *ks;
	size_t rest, i, count = 0;
	uint32_t tsize, nsize;

	fuzz_corrupt_has_line = false;
	if (size < HDR + 512)
		return 0;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return 0;
	ks->num = get32(data);
	ks->layout = (enum ks_layout)(get32(data + 4) % 4);
	ks->base = get64(data + 8);
	ks->offsets_addr = get64(data + 16);
	tsize = get32(data + 24);
	nsize = get32(data + 28);
	for (i = 0; i < 256; i++)
		ks->token_index[i] = data[HDR + 2 * i] |
				     (uint16_t)data[HDR + 2 * i + 1] << 8;
	rest = size - HDR - 512;
	if (tsize > rest)
		tsize = rest;
	if (nsize > rest - tsize)
		nsize = rest - tsize;
	/* Exact-size copies, so that ASan sees a read past each table. */
	ks->tokens_owned = malloc(tsize ? tsize : 1);
	ks->names_owned = malloc(nsize ? nsize : 1);
	ks->offsets_owned = malloc(rest - tsize - nsize + 1);
	if (!ks->tokens_owned || !ks->names_owned || !ks->offsets_owned) {
		kallsyms_free(ks);
		return 0;
	}
	memcpy(ks->tokens_owned, data + HDR + 512, tsize);
	memcpy(ks->names_owned, data + HDR + 512 + tsize, nsize);
	memcpy(ks->offsets_owned, data + HDR + 512 + tsize + nsize,
	       rest - tsize - nsize);
	ks->tokens = ks->tokens_owned;
	ks->tokens_size = tsize;
	ks->names = ks->names_owned;
	ks->names_size = nsize;
	ks->offsets = ks->offsets_owned;
	ks->offsets_size = rest - tsize - nsize;

	err = kallsyms_build(ks);
	if (err) {
		fuzz_error_free(err);
		kallsyms_free(ks);
		return 0;
	}
	for (i = 0; i < sizeof(lookups) / sizeof(lookups[0]); i++) {
		err = kallsyms_lookup(ks, lookups[i], &addr, &sz);
		if (err && err->code != VMACORE_ERROR_LOOKUP)
			fuzz_fail("kallsyms_lookup(%s): %s", lookups[i],
				  err->message);
		if (err)
			fuzz_error_free(err);
	}
	kallsyms_for_each(ks, check_name, &count);
	if (count > ks->num)
		fuzz_fail("kallsyms: %zu names of %u symbols", count, ks->num);
	addrs[0] = ks->offsets_addr;
	addrs[1] = ks->base;
	err = kallsyms_probe(ks, layouts, 4, anchors, addrs, 2);
	if (err && err->code != VMACORE_ERROR_CORRUPT)
		fuzz_fail("kallsyms_probe: %s", err->message);
	if (err)
		fuzz_error_free(err);
	/*
	 * Lookups in name order (kallsyms_seqs_of_names[]): the same bytes
	 * as the offsets, over and over.  A seq beyond the symbols is
	 * CORRUPT; nothing else may fail.
	 */
	if (ks->num <= 65536 && ks->offsets_size) {
		ks->seqs = malloc(3 * (size_t)ks->num);
		for (i = 0; ks->seqs && i < 3 * (size_t)ks->num; i++)
			ks->seqs[i] = ks->offsets[i % ks->offsets_size];
		for (i = 0; ks->seqs &&
		     i < sizeof(lookups) / sizeof(lookups[0]); i++) {
			err = kallsyms_lookup(ks, lookups[i], &addr, &sz);
			if (err && err->code != VMACORE_ERROR_LOOKUP &&
			    err->code != VMACORE_ERROR_CORRUPT)
				fuzz_fail("kallsyms_lookup(%s) by name order: %s",
					  lookups[i], err->message);
			if (err)
				fuzz_error_free(err);
		}
		err = ks->seqs ? kallsyms_probe(ks, layouts, 4, anchors,
						addrs, 2) : NULL;
		if (err && err->code != VMACORE_ERROR_CORRUPT)
			fuzz_fail("kallsyms_probe by name order: %s",
				  err->message);
		if (err)
			fuzz_error_free(err);
	}
	/*
	 * Names found through kallsyms_markers[] (made of the offsets'
	 * bytes too) rather than indexed: lookups in name order and the
	 * walk; a bad marker or name is CORRUPT, nothing else may fail.
	 */
	if (ks->seqs && ks->offsets_size) {
		uint32_t nm = (ks->num + 255) / 256, k;
		uint8_t *m = malloc(4 * (size_t)nm);

		for (k = 0; m && k < 4 * nm; k++)
			m[k] = ks->offsets[(k + 7) % ks->offsets_size];
		ks->markers = (uint32_t *)m;
		ks->nmarkers = nm;
		for (i = 0; ks->markers &&
		     i < sizeof(lookups) / sizeof(lookups[0]); i++) {
			err = kallsyms_lookup(ks, lookups[i], &addr, &sz);
			if (err && err->code != VMACORE_ERROR_LOOKUP &&
			    err->code != VMACORE_ERROR_CORRUPT)
				fuzz_fail("kallsyms_lookup(%s) by markers: %s",
					  lookups[i], err->message);
			if (err)
				fuzz_error_free(err);
		}
		count = 0;
		if (ks->markers)
			kallsyms_for_each(ks, check_name, &count);
		if (count > ks->num)
			fuzz_fail("kallsyms: %zu names of %u symbols by markers",
				  count, ks->num);
	}
	kallsyms_free(ks);
	return 0;
}
