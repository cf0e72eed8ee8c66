// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ctx.c - struct vmacore_ctx: a dumped kernel opened through a target.
 */
#include <stdlib.h>

#include "internal.h"

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

	/* x86_64: the only architecture supported. */
	ctx->l.page_size = 4096;
	ctx->l.page_shift = 12;

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
	if (!ctx)
		return;
	free(ctx->flag_table);
	free(ctx->flag_strings);
	free(ctx);
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
