/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tap.h - a tiny TAP producer for the C unit tests.
 *
 *	ok(cond, "what %d", x);		prints "ok N - what" or "not ok N - what"
 *	is_int(got, want, "what");	ok() that prints both values on failure
 *	is_str(got, want, "what");
 *	is_err(err, CODE, "what");	the error has that code (and is freed)
 *	no_err(err, "what");		err is NULL (else its message is shown)
 *	return tap_done();		prints the plan, exit status 1 on failure
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmacore.h"

static int tap_n, tap_failed;

static inline __attribute__((format(printf, 2, 3), unused)) int
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
	return cond;
}

#define is_int(got, want, ...) do {					\
	long long _g = (long long)(got), _w = (long long)(want);	\
	if (!ok(_g == _w, __VA_ARGS__))					\
		printf("#   got %lld (0x%llx), want %lld (0x%llx)\n",	\
		       _g, _g, _w, _w);				\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *_g = (got), *_w = (want);				\
	if (!ok(_g && _w && !strcmp(_g, _w), __VA_ARGS__))		\
		printf("#   got \"%s\"\n#  want \"%s\"\n",		\
		       _g ? _g : "(null)", _w ? _w : "(null)");	\
} while (0)

#define no_err(err, ...) do {						\
	struct vmacore_error *_e = (err);				\
	if (!ok(!_e, __VA_ARGS__))					\
		printf("#   error: %s\n", _e->message);			\
	vmacore_error_destroy(_e);					\
} while (0)

#define is_err(err, want_code, ...) do {					\
	struct vmacore_error *_e = (err);				\
	if (!ok(_e && _e->code == (want_code), __VA_ARGS__))			\
		printf("#   got %s: %s\n",				\
		       _e ? vmacore_error_code_name(_e->code) : "success", \
		       _e ? _e->message : "");				\
	else								\
		printf("#   %s\n", _e->message);			\
	vmacore_error_destroy(_e);					\
} while (0)

static inline __attribute__((unused)) int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* TAP_H */
