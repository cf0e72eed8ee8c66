// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_addr_set.c - lib/addr_set.c against a plain array: every (a, b)
 * pair added once, repeats found with their values, through the table's
 * growth, with keys that collide in the low bits (slab objects).  The
 * maple walk's use of it (a page's entry, a bit per node) is tested on
 * its trees in test_maple, whose nodes share pages.
 */
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

#define NKEYS 6000

static uint64_t seed = 4242;

static void must(struct vmacore_error *err)
{
	if (err)
		ok(0, "addr_set_add(): %s", err->message);
	vmacore_error_destroy(err);
}

static uint64_t rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return seed >> 11;
}

/* Addresses 256 bytes apart in runs, some met again: a slab of nodes. */
static void make_keys(uint64_t *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			keys[i] = 0xffff888000000000ULL +
				  (rnd() % (1 << 20)) * 4096;
		else
			keys[i] = keys[i - 1] + 256;
		if (i > 100 && rnd() % 7 == 0)
			keys[i] = keys[rnd() % i];
	}
}

/* The first index at which keys[i] (and b) appears: brute force. */
static size_t first_at(const uint64_t *keys, const uint64_t *bs, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (keys[j] == keys[i] && bs[j] == bs[i])
			return j;
	return i;
}

static void test_pairs(const uint64_t *keys, size_t n)
{
	uint64_t *bs = malloc(n * sizeof(*bs));
	struct addr_set s = { 0 };
	size_t i, bad_added = 0, bad_value = 0, count = 0;

	for (i = 0; i < n; i++)
		bs[i] = rnd() % 3;	/* the same address with other b */
	for (i = 0; i < n; i++) {
		size_t first = first_at(keys, bs, i);
		uint64_t *value;
		bool added;

		must(addr_set_add(&s, keys[i], bs[i], &value, &added));
		bad_added += added != (first == i);
		count += first == i;
		/* the value of a pair is where its first index was put */
		if (added)
			*value = first + 1;
		else
			bad_value += *value != first + 1;
	}
	is_int(bad_added, 0, "added is true exactly the first time a pair is met");
	is_int(bad_value, 0, "a pair met again has the value set the first time");
	is_int(s.count, count, "count: the different pairs");
	ok(s.count * 2 <= s.mask + 1, "at most half full (%zu of %zu slots)",
	   s.count, s.mask + 1);
	for (i = 0; i < n; i++)
		if (!addr_set_contains(&s, keys[i], bs[i]))
			break;
	ok(i == n, "every pair contained");
	ok(!addr_set_contains(&s, keys[0] + 8, bs[0]) &&
	   !addr_set_contains(&s, keys[0], 7), "other pairs not contained");
	addr_set_deinit(&s);
	free(bs);
}

int main(void)
{
	uint64_t *keys = malloc(NKEYS * sizeof(*keys));
	struct addr_set s = { 0 };
	bool added;

	make_keys(keys, NKEYS);
	test_pairs(keys, NKEYS);
	is_err(addr_set_add(&s, 0, 1, NULL, &added), VMACORE_ERROR_INVALID,
	       "key 0 refused");
	ok(!addr_set_contains(&s, 1, 0), "an empty set contains nothing");
	addr_set_deinit(&s);
	free(keys);
	return tap_done();
}
