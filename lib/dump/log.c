// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - the -v lines of the dump target (target.c, kdump.c, diskdump.c),
 * through the opener's log callback.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "dump.h"

void dump_logf(void (*log)(void *arg, const char *msg), void *arg,
	       const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if (!log)
		return;
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	log(arg, msg);
	free(msg);
}
