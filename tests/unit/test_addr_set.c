// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_addr_set.c - lib/addr_set.c's two hash sets against a plain array:
 * every key added once, repeats found, through growth and reserve(), with
 * keys that collide in the low bits (maple nodes are 256-byte aligned).
 */
#include <stdlib.h>

#include "internal.h"
#include "tap.h"

#define NKEYS 20000

static uint64_t seed = 4242;

static uint64_t rnd(void)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return seed >> 11;
}

/* Keys 256 bytes apart in runs, some runs repeated: a slab of nodes. */
static void make_keys(uint64_t *keys, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			keys[i] = 0xffff888000000000ULL + (rnd() % (1 << 20)) * 4096;
		else
			keys[i] = keys[i - 1] + 256;
		if (i > 100 && rnd() % 7 == 0)
			keys[i] = keys[rnd() % i];	/* met again */
	}
}

/* Whether keys[i] appears before i: what "added" must say. */
static bool *first_times(const uint64_t *keys, size_t n)
{
	struct addr_set ref = { 0 };
	bool *first = calloc(n, sizeof(*first));
	size_t i, j;

	/* quadratic on a prefix, to check the reference itself */
	for (i = 0; i < 500 && i < n; i++) {
		first[i] = true;
		for (j = 0; j < i; j++)
			if (keys[j] == keys[i])
				first[i] = false;
	}
	for (i = 0; i < n; i++) {
		bool added;

		vmacore_error_destroy(addr_set_add(&ref, keys[i], 0, NULL,
						   &added));
		if (i < 500 && added != first[i])
			ok(0, "reference disagrees at %zu", i);
		first[i] = added;
	}
	addr_set_deinit(&ref);
	return first;
}

static void test_ptr_set(const uint64_t *keys, const bool *first, size_t n,
			 size_t reserve)
{
	struct ptr_set s = { 0 };
	size_t i, bad = 0, count = 0;
	bool added;

	if (reserve)
		no_err(ptr_set_reserve(&s, reserve), "reserve %zu", reserve);
	for (i = 0; i < n; i++) {
		struct vmacore_error *err = ptr_set_add(&s, keys[i], &added);

		if (err) {
			vmacore_error_destroy(err);
			bad++;
			continue;
		}
		bad += added != first[i];
		count += first[i];
	}
	is_int(bad, 0, "ptr_set (reserve %zu): added is true exactly the first time",
	       reserve);
	is_int(s.count, count, "ptr_set (reserve %zu): count", reserve);
	ok(s.count * 2 <= s.mask + 1,
	   "ptr_set (reserve %zu): at most half full (%zu of %zu)", reserve,
	   s.count, s.mask + 1);
	for (i = 0; i < n; i++) {
		vmacore_error_destroy(ptr_set_add(&s, keys[i], &added));
		if (added)
			break;
	}
	ok(i == n, "ptr_set (reserve %zu): every key found again", reserve);
	ptr_set_deinit(&s);
}

int main(void)
{
	uint64_t *keys = malloc(NKEYS * sizeof(*keys));
	struct ptr_set s = { 0 };
	bool *first, added = true;
	size_t cap;

	make_keys(keys, NKEYS);
	first = first_times(keys, NKEYS);
	test_ptr_set(keys, first, NKEYS, 0);
	test_ptr_set(keys, first, NKEYS, 10);		/* grows past it */
	test_ptr_set(keys, first, NKEYS, NKEYS);	/* never grows */

	is_err(ptr_set_add(&s, 0, &added), VMACORE_ERROR_INVALID,
	       "ptr_set: key 0 refused");
	no_err(ptr_set_reserve(&s, 1000), "reserve 1000");
	cap = s.mask + 1;
	ok(cap >= 2000 && cap < 4096, "reserve 1000: %zu slots", cap);
	no_err(ptr_set_reserve(&s, 10), "reserve 10 after 1000");
	is_int(s.mask + 1, cap, "a smaller reserve keeps the table");
	ptr_set_deinit(&s);
	free(first);
	free(keys);
	return tap_done();
}
