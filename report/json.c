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

/* Room for @len more bytes in j->b, flushing if need be. */
static bool jo_room(struct json *o, size_t len)
{
	if (len > sizeof(o->b) - o->n)
		jo_flush(o);
	return len <= sizeof(o->b) - o->n;
}

/* "%" PRIu64 */
static void jo_u64(struct json *o, uint64_t v)
{
	char *p;
	size_t n = 1;
	uint64_t t;

	for (t = v; t >= 10; t /= 10)
		n++;
	jo_room(o, n);		/* 20 bytes always fit */
	p = o->b + o->n + n;
	o->n += n;
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
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
	size_t digits = (64 - __builtin_clzll(v | 1) + 3) / 4;
	char *p;

	jo_room(o, digits + 4);	/* 20 bytes always fit */
	p = o->b + o->n;
	o->n += digits + 4;
	p[0] = '"';
	p[1] = '0';
	p[2] = 'x';
	p[digits + 3] = '"';
	p += digits + 3;
	do {
		*--p = "0123456789abcdef"[v & 0xf];
		v >>= 4;
	} while (v);
}

/* Bytes JSON takes as they are; the others are escaped. */
static const unsigned char jo_plain[256] = {
	[0x20 ... '"' - 1] = 1,
	['"' + 1 ... '\\' - 1] = 1,
	['\\' + 1 ... 0x7e] = 1,
};

/*
 * Whether a byte of @w is not plain: below 0x20, 0x7f and up, '"' or
 * '\\' (the exact has-zero-byte tests of "Bit Twiddling Hacks").
 */
#define JO_ONES 0x0101010101010101ULL
#define JO_HIGH 0x8080808080808080ULL

static bool jo_special(uint64_t w)
{
	uint64_t q = w ^ (JO_ONES * '"'), b = w ^ (JO_ONES * '\\');
	uint64_t del = w ^ (JO_ONES * 0x7f);

	return ((w - JO_ONES * 0x20) & ~w & JO_HIGH) |
	       (w & JO_HIGH) |
	       ((q - JO_ONES) & ~q & JO_HIGH) |
	       ((b - JO_ONES) & ~b & JO_HIGH) |
	       ((del - JO_ONES) & ~del & JO_HIGH);
}

/* Byte @c, which jo_plain[] does not take, escaped at @d; its length. */
static size_t jo_escape(unsigned char c, char *d)
{
	d[0] = '\\';
	switch (c) {
	case '"':
	case '\\':
		d[1] = c;
		return 2;
	case '\n':
		d[1] = 'n';
		return 2;
	case '\t':
		d[1] = 't';
		return 2;
	default:
		/* Control bytes and non-ASCII from the dump: escaped, so the
		 * output is always valid JSON. */
		d[1] = 'u';
		d[2] = '0';
		d[3] = '0';
		d[4] = "0123456789abcdef"[c >> 4];
		d[5] = "0123456789abcdef"[c & 0xf];
		return 6;
	}
}

/* @len bytes of @s (no NUL among them), quoted and escaped. */
static void jo_quoted(struct json *o, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	char *d;

	/* the worst case fits (the usual one): one pass, no checks */
	if (len <= (sizeof(o->b) - 2) / 6 && jo_room(o, 6 * len + 2)) {
		d = o->b + o->n;
		*d++ = '"';
		while (p < end) {
			uint64_t w;

			/* eight plain bytes at once (the room is there) */
			if (end - p >= 8) {
				memcpy(&w, p, 8);
				if (!jo_special(w)) {
					memcpy(d, &w, 8);
					d += 8;
					p += 8;
					continue;
				}
			}
			if (jo_plain[*p])
				*d++ = *p;
			else
				d += jo_escape(*p, d);
			p++;
		}
		*d++ = '"';
		o->n = d - o->b;
		return;
	}
	jo_c(o, '"');
	while (p < end) {
		/* a run of plain characters at once */
		const unsigned char *run = p;
		char esc[8];

		while (p < end && jo_plain[*p])
			p++;
		if (p != run)
			jo_put(o, run, p - run);
		if (p == end)
			break;
		jo_put(o, esc, jo_escape(*p, esc));
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
	jo_quoted(j, s, len);
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
