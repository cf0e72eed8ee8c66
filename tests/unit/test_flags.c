// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_flags.c - vm_flags tables read from the dump (lib/flags.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "tap.h"

static void test_from_dump(void)
{
	struct fake_target *f = fake_create();
	const struct vmacore_flag_bit *t;
	struct vmacore_ctx *ctx;
	char buf[256];
	size_t n;

	fake_layout_default(f);
	ctx = fake_ctx(f);
	/* rd wr mr mw me ac: a private writable mapping */
	no_err(vmacore_flags_codes(ctx, 0x100073, buf, sizeof(buf)),
	       "codes of 0x100073");
	is_str(buf, "rd wr mr mw me ac", "codes from mnemonics.0 ([64][2])");
	no_err(vmacore_flags_codes(ctx, 1ULL << 19 | 1ULL << 36 | 1ULL << 63,
				   buf, sizeof(buf)),
	       "codes with an empty and an unknown code");
	is_str(buf, "?? ??", "empty codes are skipped, unknown ones are ??");
	no_err(vmacore_flags_names(ctx, 0x173, buf, sizeof(buf)),
	       "names of 0x173");
	is_str(buf, "read|write|mayread|maywrite|mayexec|growsdown",
	       "names from vmaflag_names[]");
	no_err(vmacore_flags_names(ctx, 0x1ULL | 1ULL << 40 | 1ULL << 9, buf,
				   sizeof(buf)), "names with unknown bits");
	is_str(buf, "read|0x10000000200", "leftover bits as one hex value");
	no_err(vmacore_flags_names(ctx, 0, buf, sizeof(buf)), "names of 0");
	is_str(buf, "", "no flags, no names");
	is_err(vmacore_flags_names(ctx, 0x173, buf, 8), VMACORE_ERROR_INVALID,
	       "too small a buffer is an error, not a cut");
	t = vmacore_flags_table(ctx, &n);
	ok(t && n == 64 && !strcmp(t[1].code, "wr") &&
	   !strcmp(t[1].name, "write") && t[1].mask == 2 && !t[20].name,
	   "the table: one entry per bit");
	vmacore_ctx_destroy(ctx);

	/* [64][3] as in 6.12 and later, and the table at "mnemonics.1" */
	fake_symbol(f, "mnemonics.0", 0xffffffff82300000ULL, 64 * 3);
	fake_write(f, 0xffffffff82300000ULL, "xx\0yy", 6);	/* another one */
	fake_symbol(f, "mnemonics.1", 0xffffffff82400000ULL, 64 * 3);
	{
		static const char *codes[] = { "rd", "wr", "ex", "sh", "mr",
					       "mw", "me", "ms" };
		unsigned int i;

		for (i = 0; i < 64; i++)
			fake_write(f, 0xffffffff82400000ULL + 3 * i,
				   i < 8 ? codes[i] : "??", 3);
		fake_write(f, 0xffffffff82400000ULL + 3 * 20, "ac", 3);
	}
	ctx = fake_ctx(f);
	no_err(vmacore_flags_codes(ctx, 0x100073, buf, sizeof(buf)),
	       "codes from a [64][3] table");
	is_str(buf, "rd wr mr mw me ac",
	       "the table whose bits 0 and 1 read rd, wr is chosen");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* A fake whose symbol op knows neither table. */
static struct vmacore_error *no_tables_symbol(void *priv, const char *name,
					      uint64_t *addr_ret,
					      uint64_t *size_ret)
{
	if (!strncmp(name, "mnemonics", 9) || !strcmp(name, "vmaflag_names"))
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no symbol %s", name);
	return fake_ops.symbol(priv, name, addr_ret, size_ret);
}

static void test_builtin(void)
{
	struct vmacore_target_ops ops = fake_ops;
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	char buf[256];

	ops.symbol = no_tables_symbol;
	fake_layout_default(f);
	fake_enum(f, "VMA_READ_BIT", 0);
	fake_enum(f, "VMA_WRITE_BIT", 1);
	fake_enum(f, "VMA_DONTDUMP_BIT", 26);
	no_err(vmacore_ctx_create(&ops, f, &ctx), "context without tables");
	no_err(vmacore_flags_names(ctx, 0x4000003ULL | 1ULL << 42, buf,
				   sizeof(buf)), "names from the enumerators");
	is_str(buf, "read|write|dontdump|0x40000000000",
	       "VMA_*_BIT enumerators name the bits");
	no_err(vmacore_flags_codes(ctx, 0x4100073ULL | 1ULL << 42, buf,
				   sizeof(buf)), "built-in codes");
	is_str(buf, "rd wr mr mw me ac dd sl", "the built-in 7.2 codes");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);

	/* neither enumerators: the built-in names */
	f = fake_create();
	fake_layout_default(f);
	no_err(vmacore_ctx_create(&ops, f, &ctx), "context without anything");
	no_err(vmacore_flags_names(ctx, 0x4000003ULL, buf, sizeof(buf)),
	       "built-in names");
	is_str(buf, "read|write|dontdump", "the built-in 7.2 names");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* clang's name for the static: "<function>.<variable>" */
static struct vmacore_error *clang_symbol(void *priv, const char *name,
					  uint64_t *addr_ret,
					  uint64_t *size_ret)
{
	if (!strncmp(name, "mnemonics", 9))
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no symbol %s", name);
	if (!strcmp(name, "show_smap_vma_flags.mnemonics"))
		name = "mnemonics.0";
	return fake_ops.symbol(priv, name, addr_ret, size_ret);
}

static void test_mnemonics_names(void)
{
	struct vmacore_target_ops ops = fake_ops;
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	char buf[256];

	fake_layout_default(f);
	ops.symbol = clang_symbol;
	no_err(vmacore_ctx_create(&ops, f, &ctx), "context built by clang");
	/* bit 37: the fake's "ui", Linux 7.2's built-in "ss" */
	no_err(vmacore_flags_codes(ctx, 1ULL << 37 | 1, buf, sizeof(buf)),
	       "codes of bits 0 and 37");
	is_str(buf, "rd ui", "the table under clang's name is the dump's");
	is_int(vmacore_flags_codes_builtin(ctx), 0, "no code is built in");
	vmacore_ctx_destroy(ctx);

	ctx = fake_ctx(f);
	is_int(vmacore_flags_codes_builtin(ctx), 0,
	       "GCC's mnemonics.0: no code is built in");
	vmacore_ctx_destroy(ctx);

	ops.symbol = no_tables_symbol;
	no_err(vmacore_ctx_create(&ops, f, &ctx), "context without tables");
	ok(vmacore_flags_codes_builtin(ctx) & (1ULL << 37 | 1),
	   "without a table the built-in codes are reported as such");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* The rwxp column from the probed VM_* bits, not from mm.h's values */
static void test_perms(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	char p[5];

	fake_layout_default(f);
	ctx = fake_ctx(f);
	vmacore_vma_perms(ctx, 0x1 | 0x4 | 0x80, p);
	is_str(p, "r-xs", "VM_READ, VM_EXEC, VM_MAYSHARE of include/linux/mm.h");
	vmacore_ctx_destroy(ctx);
	fake_enum(f, "VMA_READ_BIT", 8);
	fake_enum(f, "VMA_WRITE_BIT", 9);
	fake_enum(f, "VMA_EXEC_BIT", 10);
	fake_enum(f, "VMA_MAYSHARE_BIT", 11);
	ctx = fake_ctx(f);
	vmacore_vma_perms(ctx, 0x700, p);
	is_str(p, "rwxp", "bits 8-10 are rwx when VMA_*_BIT says so");
	vmacore_vma_perms(ctx, 0x87, p);
	is_str(p, "---p", "and bits 0-7 are not");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

static void test_corrupt_names(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	unsigned int i;

	fake_layout_default(f);
	/* vmaflag_names[] without its {0, NULL} end, and no size */
	fake_symbol(f, "vmaflag_names", 0xffffffff82600000ULL, 0);
	for (i = 0; i < 200; i++) {
		fake_w64(f, 0xffffffff82600000ULL + 16 * i, 1ULL << (i % 64));
		fake_w64(f, 0xffffffff82600000ULL + 16 * i + 8,
			 FAKE_VMAFLAG_NAMES + 0x1000);
	}
	is_err(vmacore_ctx_create(&fake_ops, f, &ctx), VMACORE_ERROR_CORRUPT,
	       "an endless vmaflag_names[] is CORRUPT");
	/* a name pointer to nowhere */
	fake_symbol(f, "vmaflag_names", 0xffffffff82600000ULL, 16 * 4);
	fake_w64(f, 0xffffffff82600000ULL + 8, 0xffffc90000000000ULL);
	is_err(vmacore_ctx_create(&fake_ops, f, &ctx), VMACORE_ERROR_FAULT,
	       "a name outside memory is a FAULT");
	fake_destroy(f);
}

int main(void)
{
	test_from_dump();
	test_builtin();
	test_corrupt_names();
	test_mnemonics_names();
	test_perms();
	return tap_done();
}
