// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - the streaming JSON writer of json.h.
 *
 * Each call composes its bytes in j->b and hands them to stdio in one
 * fwrite_unlocked(); between json_hold() and json_release() (one VMA) they
 * are kept there: a VMA is some 25 members, and a stdio call (and its
 * lock) per quote, colon and comma was two thirds of `maps --json` on a
 * million VMAs.  Outside json_hold() nothing is kept between calls, so
 * other writes to the same FILE stay in order.
 */
#include <string.h>

#include "json.h"

static void jo_flush(struct json *o)
{
	if (o->n)
		fwrite_unlocked(o->b, 1, o->n, o->out);
	o->n = 0;
}

static void jo_put(struct json *o, const void *s, size_t len)
{
	if (len > sizeof(o->b) - o->n) {
		jo_flush(o);
		if (len > sizeof(o->b)) {
			fwrite_unlocked(s, 1, len, o->out);
			return;
		}
	}
	if (len <= 16) {	/* keys and numbers: no call to memcpy() */
		const char *p = s;
		char *d = o->b + o->n;

		o->n += len;
		while (len--)
			*d++ = *p++;
		return;
	}
	memcpy(o->b + o->n, s, len);
	o->n += len;
}

static void jo_c(struct json *o, char c)
{
	if (o->n == sizeof(o->b))
		jo_flush(o);
	o->b[o->n++] = c;
}

/* "%" PRIu64 */
static void jo_u64(struct json *o, uint64_t v)
{
	char buf[20], *p = buf + sizeof(buf);

	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	jo_put(o, p, buf + sizeof(buf) - p);
}

/* "%" PRId64 */
static void jo_i64(struct json *o, int64_t v)
{
	if (v < 0) {
		jo_c(o, '-');
		jo_u64(o, -(uint64_t)v);
	} else {
		jo_u64(o, v);
	}
}

/* "\"0x%" PRIx64 "\"": exact for 64 bits, eight per VMA (issue 6) */
static void jo_hex(struct json *o, uint64_t v)
{
	char buf[24], *p = buf + sizeof(buf);

	*--p = '"';
	do {
		*--p = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
	*--p = 'x';
	*--p = '0';
	*--p = '"';
	jo_put(o, p, buf + sizeof(buf) - p);
}

/* @len bytes of @s (no NUL among them), quoted and escaped. */
static void jo_quoted(struct json *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	jo_c(o, '"');
	while (p < end) {
		/* a run of plain characters at once */
		const unsigned char *run = p;
		char esc[8];

		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '"' &&
		       *p != '\\')
			p++;
		if (p != run)
			jo_put(o, run, p - run);
		if (p == end)
			break;
		switch (*p) {
		case '"':
			jo_put(o, "\\\"", 2);
			break;
		case '\\':
			jo_put(o, "\\\\", 2);
			break;
		case '\n':
			jo_put(o, "\\n", 2);
			break;
		case '\t':
			jo_put(o, "\\t", 2);
			break;
		default:
			/* Control bytes and non-ASCII from the dump: escaped,
			 * so the output is always valid JSON. */
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = "0123456789abcdef"[*p >> 4];
			esc[5] = "0123456789abcdef"[*p & 0xf];
			jo_put(o, esc, 6);
		}
		p++;
	}
	jo_c(o, '"');
}

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->n = 0;
	j->held = false;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* Separate a new value from the previous one at this level. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		jo_c(j, ',');
	j->first[j->depth] = false;
}

/* A key and its colon: the value follows in the same buffer. */
static void json_key_to(struct json *j, const char *key)
{
	json_sep(j);
	jo_quoted(j, key, strlen(key));
	jo_c(j, ':');
}

/* The end of every call: out, unless inside json_hold(). */
static void jo_done(struct json *j)
{
	if (!j->held)
		jo_flush(j);
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	jo_c(j, c);
	jo_done(j);
	if (j->depth < JSON_MAX_DEPTH - 1)
		j->depth++;
	j->first[j->depth] = true;
}

static void json_close(struct json *j, char c)
{
	jo_c(j, c);
	jo_done(j);
	if (j->depth > 0)
		j->depth--;
}

void json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_key_to(j, key);
	jo_done(j);
	j->after_key = true;
}

void json_string(struct json *j, const char *s)
{
	if (!s)
		s = "";
	json_sep(j);
	jo_quoted(j, s, strlen(s));
	jo_done(j);
}

void json_stringn(struct json *j, const char *s, size_t len)
{
	json_sep(j);
	jo_quoted(j, s, strnlen(s, len));
	jo_done(j);
}

void json_u64(struct json *j, uint64_t v)
{
	json_sep(j);
	jo_u64(j, v);
	jo_done(j);
}

void json_i64(struct json *j, int64_t v)
{
	json_sep(j);
	jo_i64(j, v);
	jo_done(j);
}

void json_hex(struct json *j, uint64_t v)
{
	json_sep(j);
	jo_hex(j, v);
	jo_done(j);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	jo_put(j, v ? "true" : "false", v ? 4 : 5);
	jo_done(j);
}

void json_null(struct json *j)
{
	json_sep(j);
	jo_put(j, "null", 4);
	jo_done(j);
}

void json_finish(struct json *j)
{
	jo_c(j, '\n');
	jo_flush(j);
}

void json_hold(struct json *j)
{
	j->held = true;
}

void json_release(struct json *j)
{
	j->held = false;
	jo_flush(j);
}

void json_key_hex(struct json *j, const char *key, uint64_t v)
{
	json_key_to(j, key);
	jo_hex(j, v);
	jo_done(j);
}

void json_key_u64(struct json *j, const char *key, uint64_t v)
{
	json_key_to(j, key);
	jo_u64(j, v);
	jo_done(j);
}

void json_key_i64(struct json *j, const char *key, int64_t v)
{
	json_key_to(j, key);
	jo_i64(j, v);
	jo_done(j);
}

void json_key_string(struct json *j, const char *key, const char *v)
{
	if (!v)
		v = "";
	json_key_to(j, key);
	jo_quoted(j, v, strlen(v));
	jo_done(j);
}

void json_key_bool(struct json *j, const char *key, bool v)
{
	json_key_to(j, key);
	jo_put(j, v ? "true" : "false", v ? 4 : 5);
	jo_done(j);
}
