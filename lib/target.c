// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * target.c - checked access to the target: memory, symbols, layouts.
 *
 * Everything read here comes from an untrusted dump; these helpers only
 * make sure that a failure becomes an error with context, never a crash.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct vmacore_error *field_init(struct vmacore_ctx *ctx, struct field *f,
				 const char *type, const char *member)
{
	struct vmacore_error *err;
	uint64_t off, size;

	memset(f, 0, sizeof(*f));
	err = ctx->ops->member(ctx->priv, type, member, &off, &size);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;	/* absent: recorded, not fatal */
	if (err)
		return vmacore_error_prefix(err, "cannot resolve %s.%s", type,
					    member);
	if (off > UINT32_MAX || size > UINT32_MAX)
		return VMACORE_CORRUPT("member %s.%s has offset %#llx size %#llx",
				       type, member, (unsigned long long)off,
				       (unsigned long long)size);
	f->off = off;
	f->size = size;
	f->present = true;
	return NULL;
}

struct vmacore_error *field_require(struct vmacore_ctx *ctx, struct field *f,
				    const char *type, const char *member)
{
	struct vmacore_error *err = field_init(ctx, f, type, member);

	if (err)
		return err;
	if (!f->present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no member %s.%s", type,
					    member);
	return NULL;
}

struct vmacore_error *fields_init(struct vmacore_ctx *ctx,
				  const struct field_spec *specs, size_t n)
{
	struct vmacore_error *err;
	size_t i;

	for (i = 0; i < n; i++) {
		if (specs[i].required)
			err = field_require(ctx, specs[i].f, specs[i].type,
					    specs[i].member);
		else
			err = field_init(ctx, specs[i].f, specs[i].type,
					 specs[i].member);
		if (err)
			return err;
	}
	return NULL;
}

struct vmacore_error *fields_span(const struct field *const *fields, size_t n,
				  const char *type, uint32_t *off_ret,
				  uint32_t *len_ret)
{
	uint32_t lo = UINT32_MAX, hi = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!fields[i]->present)
			continue;
		if (fields[i]->off < lo)
			lo = fields[i]->off;
		if (fields[i]->off + fields[i]->size > hi)
			hi = fields[i]->off + fields[i]->size;
	}
	if (hi - lo > 64 * 1024)
		return VMACORE_CORRUPT("%s members span %u bytes", type,
				       hi - lo);
	*off_ret = lo;
	*len_ret = hi - lo;
	return NULL;
}

struct vmacore_error *type_size_init(struct vmacore_ctx *ctx, uint64_t *ret,
				     const char *type, bool required)
{
	struct vmacore_error *err = ctx->ops->type_size(ctx->priv, type, ret);

	if (!required && error_catch(&err, VMACORE_ERROR_LOOKUP)) {
		*ret = 0;
		return NULL;
	}
	if (err)
		return vmacore_error_prefix(err, "cannot resolve size of %s",
					    type);
	return NULL;
}

struct vmacore_error *symbol_addr(struct vmacore_ctx *ctx, const char *name,
				  uint64_t *addr_ret, uint64_t *size_ret)
{
	uint64_t size = 0;
	struct vmacore_error *err;

	err = ctx->ops->symbol(ctx->priv, name, addr_ret, &size);
	if (err)
		return err;
	if (size_ret)
		*size_ret = size;
	return NULL;
}

struct vmacore_error *symbol_or_zero(struct vmacore_ctx *ctx, const char *name,
				     uint64_t *ret)
{
	struct vmacore_error *err = symbol_addr(ctx, name, ret, NULL);

	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		*ret = 0;
	return err;
}

struct vmacore_error *enum_value(struct vmacore_ctx *ctx, const char *name,
				 int64_t *ret)
{
	return ctx->ops->enumerator(ctx->priv, name, ret);
}

struct vmacore_error *vmcoreinfo_u64(struct vmacore_ctx *ctx, const char *key,
				     int base, bool *found_ret, uint64_t *ret)
{
	struct vmacore_error *err;
	char buf[64], *end;
	bool neg;

	*found_ret = false;
	if (!ctx->ops->vmcoreinfo)
		return NULL;
	memset(buf, 0, sizeof(buf));
	err = ctx->ops->vmcoreinfo(ctx->priv, key, buf, sizeof(buf));
	if (error_catch(&err, VMACORE_ERROR_LOOKUP))
		return NULL;
	if (err)
		return vmacore_error_prefix(err, "cannot read VMCOREINFO %s", key);
	buf[sizeof(buf) - 1] = '\0';
	/* NUMBER() is "%ld": a mask with bit 63 set would print negative */
	neg = buf[0] == '-';
	errno = 0;
	*ret = strtoull(buf + neg, &end, base);
	if (end == buf + neg || *end || errno)
		return VMACORE_CORRUPT("VMCOREINFO %s is '%s', not a number",
				       key, buf);
	if (neg)
		*ret = -*ret;
	*found_ret = true;
	return NULL;
}

struct vmacore_error *read_mem(struct vmacore_ctx *ctx, uint64_t addr,
			       void *buf, size_t len)
{
	return ctx->ops->read(ctx->priv, addr, buf, len, false);
}

struct vmacore_error *read_phys(struct vmacore_ctx *ctx, uint64_t addr,
				void *buf, size_t len)
{
	return ctx->ops->read(ctx->priv, addr, buf, len, true);
}

struct vmacore_error *read_u64(struct vmacore_ctx *ctx, uint64_t addr,
			       uint64_t *ret)
{
	return read_mem(ctx, addr, ret, sizeof(*ret));
}

uint64_t field_get_span(const void *buf, uint32_t span_off,
			const struct field *f)
{
	struct field g = *f;

	g.off -= span_off;
	return field_get(buf, &g);
}

struct vmacore_error *read_field(struct vmacore_ctx *ctx, uint64_t base,
				 const struct field *f, uint64_t *ret)
{
	unsigned char buf[8];
	struct vmacore_error *err;
	struct field at0;

	if (!f->present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "member absent in this kernel");
	if (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "cannot read a %u-byte field as a number",
					    f->size);
	err = read_mem(ctx, base + f->off, buf, f->size);
	if (err)
		return err;
	at0 = *f;
	at0.off = 0;
	*ret = field_get(buf, &at0);
	return NULL;
}

void vmacore_log(struct vmacore_ctx *ctx, const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int r;

	if (!ctx->log_fn)
		return;
	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	ctx->log_fn(ctx->log_arg, msg);
	free(msg);
}
