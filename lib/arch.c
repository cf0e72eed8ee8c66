// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arch.c - which architecture the dumped kernel is, from the dump itself.
 *
 * Each architecture's crash_save_vmcoreinfo() writes keys no other one
 * writes (arch_crash_save_vmcoreinfo()): arm64 NUMBER(kimage_voffset),
 * x86_64 NUMBER(phys_base) and SYMBOL(init_top_pgt).  Without VMCOREINFO,
 * the symbols behind them tell the same.
 */
#include "internal.h"

static struct vmacore_error *vmcoreinfo_has(struct vmacore_ctx *ctx,
					    const char *key, bool *ret)
{
	uint64_t v;

	return vmcoreinfo_u64(ctx, key, 0, ret, &v);
}

static struct vmacore_error *symbol_has(struct vmacore_ctx *ctx,
					const char *name, bool *ret)
{
	struct vmacore_error *err;
	uint64_t addr;

	*ret = false;
	err = symbol_addr(ctx, name, &addr, NULL);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;
	*ret = !err;
	return err;
}

static struct vmacore_error *arch_detect(struct vmacore_ctx *ctx,
					 const struct arch_ops **ret)
{
	struct vmacore_error *err;
	bool arm64, x86;

	err = vmcoreinfo_has(ctx, "NUMBER(kimage_voffset)", &arm64);
	if (!err && !arm64)
		err = symbol_has(ctx, "kimage_voffset", &arm64);
	if (!err)
		err = vmcoreinfo_has(ctx, "NUMBER(phys_base)", &x86);
	if (!err && !x86)
		err = vmcoreinfo_has(ctx, "SYMBOL(init_top_pgt)", &x86);
	if (!err && !x86)
		err = symbol_has(ctx, "init_top_pgt", &x86);
	if (err)
		return vmacore_error_prefix(err, "cannot tell the architecture");
	if (arm64 && x86)
		return VMACORE_CORRUPT("the kernel has both arm64's kimage_voffset and x86_64's phys_base/init_top_pgt");
	*ret = arm64 ? &arch_arm64 : &arch_x86_64;
	return NULL;
}

struct vmacore_error *arch_layout_init(struct vmacore_ctx *ctx)
{
	struct vmacore_error *err;

	err = arch_detect(ctx, &ctx->l.arch.ops);
	if (err)
		return err;
	return ctx->l.arch.ops->layout_init(ctx);
}

const char *vmacore_ctx_arch(struct vmacore_ctx *ctx)
{
	return ctx->l.arch.ops->name;
}
