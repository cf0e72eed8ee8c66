/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - a streaming JSON writer: output goes out as it is made, so a
 * million VMAs need no more memory than one.
 */
#ifndef VMACORE_JSON_H
#define VMACORE_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json {
	FILE *out;
	bool held;		/* json_hold() */
	size_t n;		/* bytes in b */
	char b[2048];
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
/* The @len bytes of @s (no NUL among them), as json_string(). */
void json_stringn(struct json *j, const char *s, size_t len);
void json_u64(struct json *j, uint64_t v);
void json_i64(struct json *j, int64_t v);
/* Addresses and flag words: a "0x..." string, exact for 64 bits. */
void json_hex(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Ends the document with a newline. */
void json_finish(struct json *j);
/*
 * Keep the output of the calls that follow until json_release() (at most
 * a few KiB at a time): for a VMA's object.  Nothing else may write to
 * the FILE in between.
 */
void json_hold(struct json *j);
void json_release(struct json *j);

/* json_key() and a value in one call: "key": value */
void json_key_hex(struct json *j, const char *key, uint64_t v);
void json_key_u64(struct json *j, const char *key, uint64_t v);
void json_key_i64(struct json *j, const char *key, int64_t v);
void json_key_string(struct json *j, const char *key, const char *v);
void json_key_bool(struct json *j, const char *key, bool v);

#endif /* VMACORE_JSON_H */
