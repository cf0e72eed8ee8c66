// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * error.c - struct vmacore_error: one error type, returned, never printed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct vmacore_error vmacore_enomem = {
	.code = VMACORE_ERROR_NOMEM,
	.is_static = true,
	.message = "cannot allocate memory",
};

struct vmacore_error vmacore_stop = {
	.code = VMACORE_ERROR_STOP,
	.is_static = true,
	.message = "stop",
};

static struct vmacore_error *error_vcreate(enum vmacore_error_code code,
					   uint64_t address, const char *fmt,
					   va_list ap)
{
	struct vmacore_error *err = calloc(1, sizeof(*err));

	if (!err)
		return &vmacore_enomem;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &vmacore_enomem;
	}
	err->code = code;
	err->address = address;
	return err;
}

struct vmacore_error *vmacore_error_create(enum vmacore_error_code code,
					   const char *fmt, ...)
{
	struct vmacore_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = error_vcreate(code, 0, fmt, ap);
	va_end(ap);
	return err;
}

struct vmacore_error *vmacore_error_fault(enum vmacore_error_code code,
					  uint64_t address, const char *fmt,
					  ...)
{
	struct vmacore_error *err;
	va_list ap;

	va_start(ap, fmt);
	err = error_vcreate(code, address, fmt, ap);
	va_end(ap);
	return err;
}

struct vmacore_error *vmacore_error_corrupt(const char *file, int line,
					    const char *fmt, ...)
{
	struct vmacore_error *err;
	const char *base = strrchr(file, '/');
	va_list ap;

	va_start(ap, fmt);
	err = error_vcreate(VMACORE_ERROR_CORRUPT, 0, fmt, ap);
	va_end(ap);
	if (!err->is_static) {
		err->file = base ? base + 1 : file;
		err->line = line;
	}
	return err;
}

struct vmacore_error *vmacore_error_prefix(struct vmacore_error *err,
					   const char *fmt, ...)
{
	char *prefix, *msg;
	va_list ap;
	int r;

	if (!err || err->is_static)
		return err;
	va_start(ap, fmt);
	r = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (r < 0)
		return err;
	if (asprintf(&msg, "%s: %s", prefix, err->message) >= 0) {
		free(err->message);
		err->message = msg;
	}
	free(prefix);
	return err;
}

void vmacore_error_destroy(struct vmacore_error *err)
{
	if (!err || err->is_static)
		return;
	free(err->message);
	free(err);
}

bool error_catch(struct vmacore_error **errp, enum vmacore_error_code code)
{
	if (!*errp || (*errp)->code != code)
		return false;
	vmacore_error_destroy(*errp);
	*errp = NULL;
	return true;
}

const char *vmacore_error_code_name(enum vmacore_error_code code)
{
	switch (code) {
	case VMACORE_ERROR_NOMEM:	return "nomem";
	case VMACORE_ERROR_INVALID:	return "invalid";
	case VMACORE_ERROR_LOOKUP:	return "lookup";
	case VMACORE_ERROR_FAULT:	return "fault";
	case VMACORE_ERROR_NODATA:	return "nodata";
	case VMACORE_ERROR_CORRUPT:	return "corrupt";
	case VMACORE_ERROR_UNSUPPORTED:	return "unsupported";
	case VMACORE_ERROR_OS:		return "os";
	case VMACORE_ERROR_STOP:	return "stop";
	case VMACORE_ERROR_OTHER:	return "other";
	case VMACORE_ERROR_INCOMPLETE:	return "incomplete";
	}
	return "unknown";
}
