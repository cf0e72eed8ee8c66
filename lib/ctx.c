// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctx.c - struct vmacore_ctx: a dumped kernel opened through a target.
 */
#include <stdlib.h>

#include "internal.h"

/* PAGE_SHIFT of x86_64 (arch/x86/include/asm/page_types.h), its only one */
#define X86_64_PAGE_SHIFT 12
#define PAGE_SIZE_MAX (1ull << 18)	/* the largest any arch has (256K) */

/*
 * What VMCOREINFO tells once for all: PAGE_SIZE (crash_save_vmcoreinfo_init()
 * writes "PAGESIZE=%ld") and the SME encryption bit that page-table entries
 * carry (arch_crash_save_vmcoreinfo(), x86: "NUMBER(sme_mask)").  A target
 * without VMCOREINFO gets x86_64's PAGE_SIZE; its sme_mask is looked up
 * later from the sme_me_mask variable (page.c).
 */
static struct vmacore_error *page_layout_init(struct vmacore_ctx *ctx)
{
	struct vmacore_layout *l = &ctx->l;
	struct vmacore_error *err;
	uint64_t v;
	bool found;

	err = vmcoreinfo_u64(ctx, "PAGESIZE", 10, &found, &v);
	if (err)
		return err;
	l->page_size_known = found;
	if (!found)
		v = 1ull << X86_64_PAGE_SHIFT;
	if (v < 1024 || v > PAGE_SIZE_MAX || (v & (v - 1)))
		return VMACORE_CORRUPT("VMCOREINFO PAGESIZE is %llu",
				       (unsigned long long)v);
	l->page_size = v;
	l->page_shift = __builtin_ctzll(v);

	err = vmcoreinfo_u64(ctx, "NUMBER(sme_mask)", 10, &found, &v);
	if (err)
		return err;
	l->have_sme_mask = found;
	l->sme_mask = found ? v : 0;
	return NULL;
}

struct vmacore_error *vmacore_ctx_create(const struct vmacore_target_ops *ops,
					 void *priv, struct vmacore_ctx **ret)
{
	struct vmacore_ctx *ctx;
	struct vmacore_error *err;

	if (!ops || !ops->read || !ops->symbol || !ops->type_size ||
	    !ops->member || !ops->enumerator)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "incomplete target operations");
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return &vmacore_enomem;
	ctx->ops = ops;
	ctx->priv = priv;

	err = page_layout_init(ctx);
	if (!err)
		err = arch_layout_init(ctx);
	if (!err)
		err = task_layout_init(ctx);
	if (!err)
		err = mm_layout_init(ctx);
	if (!err)
		err = rmap_layout_init(ctx);
	if (!err)
		err = coredump_layout_init(ctx);
	if (err) {
		vmacore_ctx_destroy(ctx);
		return vmacore_error_prefix(err, "cannot resolve kernel layout");
	}
	*ret = ctx;
	return NULL;
}

void vmacore_ctx_destroy(struct vmacore_ctx *ctx)
{
	void (*release)(void *priv);
	void *priv;

	if (!ctx)
		return;
	release = ctx->release;
	priv = ctx->priv;
	free(ctx->flag_table);
	free(ctx->flag_strings);
	task_cache_free(ctx);
	walk_cache_destroy(ctx->smaps_walk);
	free(ctx->gcore_layout);
	free(ctx->notes_layout);
	free(ctx);
	if (release)
		release(priv);
}

void ctx_get_log(struct vmacore_ctx *ctx,
		 void (**fn_ret)(void *arg, const char *msg), void **arg_ret)
{
	*fn_ret = ctx->log_fn;
	*arg_ret = ctx->log_arg;
}

void ctx_own_target(struct vmacore_ctx *ctx, void (*release)(void *priv))
{
	ctx->release = release;
}

void vmacore_ctx_set_log(struct vmacore_ctx *ctx,
			 void (*fn)(void *arg, const char *msg), void *arg)
{
	ctx->log_fn = fn;
	ctx->log_arg = arg;
}

struct vmacore_error *vmacore_ctx_read(struct vmacore_ctx *ctx, uint64_t addr,
				       void *buf, size_t len, bool physical)
{
	return ctx->ops->read(ctx->priv, addr, buf, len, physical);
}

uint64_t vmacore_ctx_page_size(struct vmacore_ctx *ctx)
{
	return ctx->l.page_size;
}
