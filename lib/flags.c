// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flags.c - vm_flags: smaps codes and long names, from the dump's tables.
 *
 * Both tables are read from the dumped kernel when it has them, since bit
 * meanings and codes change between kernels and configurations:
 * - the two-letter codes from show_smap_vma_flags()'s function-local
 *   "static const char mnemonics[BITS_PER_LONG][2]" (fs/proc/task_mmu.c;
 *   [3] since 6.x for GCC 15), a local symbol that GCC names
 *   "mnemonics.N" and clang "show_smap_vma_flags.mnemonics"; unknown bits
 *   print "??", empty codes nothing;
 * - the long names from vmaflag_names[] (mm/debug.c), an array of struct
 *   trace_print_flags { unsigned long mask; const char *name; } ending
 *   with a NULL name; else from the VMA_*_BIT enumerators (7.x).
 * The built-in fallbacks are those of Linux 7.2 on x86_64; using one is
 * logged, and the bits whose smaps code is built in are told to callers
 * (vmacore_flags_codes_builtin()) so that answers can say so.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

#define BITS	64
#define VMAFLAG_NAMES_MAX 128	/* bound on vmaflag_names[] entries */
#define FLAG_NAME_MAX 32

/* show_smap_vma_flags(), fs/proc/task_mmu.c, Linux 7.2, x86_64 */
static const char *const fallback_codes[BITS] = {
	[0] = "rd", [1] = "wr", [2] = "ex", [3] = "sh", [4] = "mr",
	[5] = "mw", [6] = "me", [7] = "ms", [8] = "gd", [9] = "um",
	[10] = "pf", [11] = "gu", [12] = "uw", [13] = "lo", [14] = "io",
	[15] = "sr", [16] = "rr", [17] = "dc", [18] = "de", [19] = "lf",
	[20] = "ac", [21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar",
	[25] = "wf", [26] = "dd", [27] = "sd", [28] = "mm", [29] = "hg",
	[30] = "nh", [31] = "mg", [32] = "", [33] = "", [34] = "", [35] = "",
	[36] = "", [37] = "ss", [40] = "dp", [41] = "ui", [42] = "sl",
};

/* __def_vmaflag_names, include/trace/events/mmflags.h, Linux 7.2 x86_64 */
static const char *const fallback_names[BITS] = {
	[0] = "read", [1] = "write", [2] = "exec", [3] = "shared",
	[4] = "mayread", [5] = "maywrite", [6] = "mayexec", [7] = "mayshare",
	[8] = "growsdown", [9] = "uffd_missing", [10] = "pfnmap",
	[11] = "maybe_guard", [12] = "uffd_wp", [13] = "locked", [14] = "io",
	[15] = "seqread", [16] = "randread", [17] = "dontcopy",
	[18] = "dontexpand", [19] = "lockonfault", [20] = "account",
	[21] = "noreserve", [22] = "hugetlb", [23] = "sync", [24] = "arch_1",
	[25] = "wipeonfork", [26] = "dontdump", [27] = "softdirty",
	[28] = "mixedmap", [29] = "hugepage", [30] = "nohugepage",
	[31] = "mergeable", [40] = "droppable", [41] = "uffd_minor",
};

/*
 * VMA_*_BIT enumerators (include/linux/mm.h, 7.x) and the long name each
 * has in __def_vmaflag_names.
 */
static const struct {
	const char *enumerator;
	const char *name;
} vma_bits[] = {
	{ "VMA_READ_BIT", "read" }, { "VMA_WRITE_BIT", "write" },
	{ "VMA_EXEC_BIT", "exec" }, { "VMA_SHARED_BIT", "shared" },
	{ "VMA_MAYREAD_BIT", "mayread" }, { "VMA_MAYWRITE_BIT", "maywrite" },
	{ "VMA_MAYEXEC_BIT", "mayexec" }, { "VMA_MAYSHARE_BIT", "mayshare" },
	{ "VMA_GROWSDOWN_BIT", "growsdown" },
	{ "VMA_UFFD_MISSING_BIT", "uffd_missing" },
	{ "VMA_UFFD_MINOR_BIT", "uffd_minor" },
	{ "VMA_PFNMAP_BIT", "pfnmap" },
	{ "VMA_MAYBE_GUARD_BIT", "maybe_guard" },
	{ "VMA_UFFD_WP_BIT", "uffd_wp" }, { "VMA_LOCKED_BIT", "locked" },
	{ "VMA_IO_BIT", "io" }, { "VMA_SEQ_READ_BIT", "seqread" },
	{ "VMA_RAND_READ_BIT", "randread" },
	{ "VMA_DONTCOPY_BIT", "dontcopy" },
	{ "VMA_DONTEXPAND_BIT", "dontexpand" },
	{ "VMA_LOCKONFAULT_BIT", "lockonfault" },
	{ "VMA_ACCOUNT_BIT", "account" },
	{ "VMA_NORESERVE_BIT", "noreserve" },
	{ "VMA_HUGETLB_BIT", "hugetlb" }, { "VMA_SYNC_BIT", "sync" },
	{ "VMA_ARCH_1_BIT", "arch_1" },
	{ "VMA_WIPEONFORK_BIT", "wipeonfork" },
	{ "VMA_DONTDUMP_BIT", "dontdump" },
	{ "VMA_SOFTDIRTY_BIT", "softdirty" },
	{ "VMA_MIXEDMAP_BIT", "mixedmap" },
	{ "VMA_HUGEPAGE_BIT", "hugepage" },
	{ "VMA_NOHUGEPAGE_BIT", "nohugepage" },
	{ "VMA_DROPPABLE_BIT", "droppable" },
	{ "VMA_MERGEABLE_BIT", "mergeable" },
};

#define MNEMONICS_GCC_MAX 16	/* "mnemonics.0" .. ".15" tried */

/*
 * The names a compiler gives show_smap_vma_flags()'s static: clang's
 * "<function>.<variable>", a plain "mnemonics" (a symbol table that drops
 * the suffix), then GCC's "<variable>.<counter>".  false past the last.
 */
static bool mnemonics_name(unsigned int i, char *name, size_t size)
{
	if (i == 0)
		snprintf(name, size, "show_smap_vma_flags.mnemonics");
	else if (i == 1)
		snprintf(name, size, "mnemonics");
	else if (i - 2 < MNEMONICS_GCC_MAX)
		snprintf(name, size, "mnemonics.%u", i - 2);
	else
		return false;
	return true;
}

/*
 * The smaps codes from the dump: the first such symbol whose size is 64
 * entries of 2 or 3 bytes and whose bits 0 and 1 read "rd" and "wr"
 * (VM_READ and VM_WRITE never moved), so that another function's static
 * of the same name is not taken for it.
 */
static struct vmacore_error *read_mnemonics(struct vmacore_ctx *ctx,
					    char codes[BITS][3], bool *ok_ret)
{
	unsigned char raw[BITS * 3];
	struct vmacore_error *err;
	uint64_t addr, size;
	char name[48];
	unsigned int n, i, stride;

	*ok_ret = false;
	for (n = 0; mnemonics_name(n, name, sizeof(name)); n++) {
		err = symbol_addr(ctx, name, &addr, &size);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			continue;
		if (err)
			return err;
		if (size != BITS * 2 && size != BITS * 3)
			continue;
		stride = size / BITS;
		err = read_mem(ctx, addr, raw, size);
		if (err) {
			vmacore_log(ctx, "cannot read %s: %s", name,
				    err->message);
			vmacore_error_destroy(err);
			continue;
		}
		if (memcmp(raw, "rd", 2) || memcmp(raw + stride, "wr", 2))
			continue;
		for (i = 0; i < BITS; i++) {
			const unsigned char *c = raw + i * stride;

			/* show_smap_vma_flags() skips codes with c[0] == 0 */
			memset(codes[i], 0, sizeof(codes[i]));
			if (!c[0] || !isprint(c[0]) || !isprint(c[1])) {
				if (c[0])
					vmacore_log(ctx, "%s: bit %u has an unprintable code",
						    name, i);
			} else {
				codes[i][0] = c[0];
				codes[i][1] = c[1];
			}
		}
		*ok_ret = true;
		return NULL;
	}
	return NULL;
}

struct name_entry {
	uint64_t mask;
	char name[FLAG_NAME_MAX];
};

/* vmaflag_names[] from the dump; *count_ret 0 if the kernel has none. */
static struct vmacore_error *read_vmaflag_names(struct vmacore_ctx *ctx,
						struct name_entry *names,
						size_t *count_ret)
{
	struct vmacore_error *err;
	uint64_t addr, size, entry[2];
	size_t max = VMAFLAG_NAMES_MAX, i;
	bool cut;

	*count_ret = 0;
	err = symbol_addr(ctx, "vmaflag_names", &addr, &size);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;
	if (err)
		return err;
	if (size && size / 16 < max)
		max = size / 16;
	for (i = 0; i < max; i++) {
		err = read_mem(ctx, addr + 16 * i, entry, sizeof(entry));
		if (err)
			return vmacore_error_prefix(err, "cannot read vmaflag_names[%zu]",
						    i);
		if (!entry[1])
			break;		/* {0, NULL} ends it */
		err = read_cstring(ctx, entry[1], names[i].name,
				   sizeof(names[i].name), &cut);
		if (err)
			return vmacore_error_prefix(err, "cannot read vmaflag_names[%zu].name",
						    i);
		names[i].mask = entry[0];
	}
	if (i == max && max == VMAFLAG_NAMES_MAX)
		return VMACORE_CORRUPT("vmaflag_names[] has no end within %d entries",
				       VMAFLAG_NAMES_MAX);
	*count_ret = i;
	return NULL;
}

/* Long names from the VMA_*_BIT enumerators, if the kernel has them. */
static struct vmacore_error *read_vma_bits(struct vmacore_ctx *ctx,
					   struct name_entry *names,
					   size_t *count_ret)
{
	struct vmacore_error *err;
	size_t i, n = 0;
	int64_t bit;

	for (i = 0; i < ARRAY_SIZE(vma_bits); i++) {
		err = enum_value(ctx, vma_bits[i].enumerator, &bit);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			continue;
		if (err)
			return err;
		if (bit < 0 || bit >= BITS)
			continue;
		names[n].mask = 1ULL << bit;
		snprintf(names[n].name, sizeof(names[n].name), "%s",
			 vma_bits[i].name);
		n++;
	}
	*count_ret = n;
	return NULL;
}

/*
 * A VM_* mask: VMA_<@upper>_BIT (7.x), else the mask named @long_name in
 * the dump's vmaflag_names[], else @fallback, include/linux/mm.h's value.
 */
static struct vmacore_error *vm_mask(struct vmacore_ctx *ctx,
				     const char *upper, const char *long_name,
				     uint64_t fallback, uint64_t *ret)
{
	const struct vmacore_flag_bit *t = ctx->flag_table;
	struct vmacore_error *err;
	char name[48];
	int64_t bit;
	size_t i;

	snprintf(name, sizeof(name), "VMA_%s_BIT", upper);
	err = enum_value(ctx, name, &bit);
	if (!err && bit >= 0 && bit < BITS) {
		*ret = 1ull << bit;
		return NULL;
	}
	if (!err || error_catch(&err, VMACORE_ERROR_LOOKUP)) {
		for (i = BITS; t && i < ctx->flag_count; i++) {
			if (t[i].name && t[i].mask &&
			    !strcmp(t[i].name, long_name)) {
				*ret = t[i].mask;
				return NULL;
			}
		}
		*ret = fallback;
		return NULL;
	}
	return vmacore_error_prefix(err, "cannot resolve %s", name);
}

/* ctx->l.mm.vm, from the table just built */
static struct vmacore_error *vm_masks_init(struct vmacore_ctx *ctx)
{
	struct layout_vm_flags *vm = &ctx->l.mm.vm;
	const struct {
		uint64_t *mask;
		const char *upper, *name;
		uint64_t fallback;	/* include/linux/mm.h, 6.1 and 6.12 */
	} masks[] = {
		{ &vm->read, "READ", "read", 0x00000001 },
		{ &vm->write, "WRITE", "write", 0x00000002 },
		{ &vm->exec, "EXEC", "exec", 0x00000004 },
		{ &vm->shared, "SHARED", "shared", 0x00000008 },
		{ &vm->mayshare, "MAYSHARE", "mayshare", 0x00000080 },
		{ &vm->io, "IO", "io", 0x00004000 },
		{ &vm->hugetlb, "HUGETLB", "hugetlb", 0x00400000 },
		{ &vm->dontdump, "DONTDUMP", "dontdump", 0x04000000 },
	};
	struct vmacore_error *err;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		err = vm_mask(ctx, masks[i].upper, masks[i].name,
			      masks[i].fallback, masks[i].mask);
		if (err)
			return err;
	}
	return NULL;
}

/*
 * Build ctx->flag_table: BITS entries, one per bit (code, and the name of
 * a single-bit mask), then the names in the kernel's table order, which
 * vmacore_flags_names() prints in (flag_count counts them all).
 */
struct vmacore_error *flags_table_init(struct vmacore_ctx *ctx)
{
	struct name_entry *names;
	struct vmacore_flag_bit *t;
	char codes[BITS][3] = { { 0 } };	/* code[1..2] of "" stay 0 */
	struct vmacore_error *err;
	size_t count = 0, i, b, strings = 0;
	bool have_codes;
	char *s;

	names = calloc(VMAFLAG_NAMES_MAX, sizeof(*names));
	if (!names)
		return &vmacore_enomem;
	err = read_mnemonics(ctx, codes, &have_codes);
	ctx->flag_codes_builtin = 0;
	if (!err && !have_codes) {
		vmacore_log(ctx, "no show_smap_vma_flags() mnemonics in the dump: using the built-in VmFlags codes of Linux 7.2");
		for (i = 0; i < BITS; i++)
			snprintf(codes[i], sizeof(codes[i]), "%s",
				 fallback_codes[i] ? fallback_codes[i] : "??");
		ctx->flag_codes_builtin = ~0ull;
	}
	if (!err)
		err = read_vmaflag_names(ctx, names, &count);
	if (!err && !count) {
		err = read_vma_bits(ctx, names, &count);
		if (!err && count)
			vmacore_log(ctx, "no vmaflag_names[] in the dump: flag names from the VMA_*_BIT enumerators");
	}
	if (!err && !count) {
		vmacore_log(ctx, "no vmaflag_names[] in the dump: using the built-in flag names of Linux 7.2");
		for (i = 0; i < BITS; i++) {
			if (!fallback_names[i])
				continue;
			names[count].mask = 1ULL << i;
			snprintf(names[count].name, FLAG_NAME_MAX, "%s",
				 fallback_names[i]);
			count++;
		}
	}
	if (err) {
		free(names);
		return vmacore_error_prefix(err, "cannot read the vm_flags tables");
	}

	for (i = 0; i < count; i++)
		strings += strlen(names[i].name) + 1;
	t = calloc(BITS + count, sizeof(*t));
	s = malloc(strings + 1);
	if (!t || !s) {
		free(t);
		free(s);
		free(names);
		return &vmacore_enomem;
	}
	for (b = 0; b < BITS; b++) {
		t[b].mask = 1ULL << b;
		memcpy(t[b].code, codes[b], 3);
	}
	free(ctx->flag_table);
	free(ctx->flag_strings);
	ctx->flag_table = t;
	ctx->flag_strings = s;
	for (i = 0; i < count; i++) {
		size_t len = strlen(names[i].name) + 1;
		uint64_t m = names[i].mask;

		memcpy(s, names[i].name, len);
		if (m && !(m & (m - 1))) {
			b = __builtin_ctzll(m);
			if (!t[b].name)		/* the first name wins */
				t[b].name = s;
		}
		t[BITS + i].mask = m;
		t[BITS + i].name = s;
		s += len;
	}
	ctx->flag_count = BITS + count;
	free(names);
	return vm_masks_init(ctx);
}

/* Append @s to @buf of @size at *@pos; INVALID when it does not fit. */
static struct vmacore_error *append(char *buf, size_t size, size_t *pos,
				    const char *s)
{
	size_t len = strlen(s);

	if (*pos + len + 1 > size)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "flags buffer of %zu bytes too small",
					    size);
	memcpy(buf + *pos, s, len + 1);
	*pos += len;
	return NULL;
}

struct vmacore_error *vmacore_flags_codes(struct vmacore_ctx *ctx,
					  uint64_t flags, char *buf,
					  size_t size)
{
	struct vmacore_error *err;
	size_t pos = 0;
	unsigned int i;

	if (!size)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "flags buffer of 0 bytes");
	buf[0] = '\0';
	if (!ctx->flag_table)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no vm_flags table");
	/* show_smap_vma_flags(), fs/proc/task_mmu.c */
	for (i = 0; i < BITS; i++) {
		const char *code = ctx->flag_table[i].code;

		if (!code[0] || !(flags & (1ULL << i)))
			continue;
		if (pos && (err = append(buf, size, &pos, " ")))
			return err;
		if ((err = append(buf, size, &pos, code)))
			return err;
	}
	return NULL;
}

struct vmacore_error *vmacore_flags_names(struct vmacore_ctx *ctx,
					  uint64_t flags, char *buf,
					  size_t size)
{
	const struct vmacore_flag_bit *t = ctx->flag_table;
	struct vmacore_error *err;
	size_t pos = 0, i;
	char hex[24];

	if (!size)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "flags buffer of 0 bytes");
	buf[0] = '\0';
	if (!t)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no vm_flags table");
	/* trace_print_flags_seq(), kernel/trace/trace_output.c */
	for (i = BITS; i < ctx->flag_count; i++) {
		if (!t[i].name || !t[i].mask || (flags & t[i].mask) != t[i].mask)
			continue;
		flags &= ~t[i].mask;
		if (pos && (err = append(buf, size, &pos, "|")))
			return err;
		if ((err = append(buf, size, &pos, t[i].name)))
			return err;
	}
	if (flags) {
		snprintf(hex, sizeof(hex), "%s0x%llx", pos ? "|" : "",
			 (unsigned long long)flags);
		if ((err = append(buf, size, &pos, hex)))
			return err;
	}
	return NULL;
}

const struct vmacore_flag_bit *vmacore_flags_table(struct vmacore_ctx *ctx,
						   size_t *count_ret)
{
	*count_ret = ctx->flag_table ? BITS : 0;
	return ctx->flag_table;
}

uint64_t vmacore_flags_codes_builtin(struct vmacore_ctx *ctx)
{
	return ctx->flag_codes_builtin;
}
