// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * addr_set.c - a hash map keyed by (address, number) pairs.
 *
 * Walks over untrusted dumps use it to meet each node once (cycle detection)
 * and to deduplicate what they find in constant time, so that a crafted dump
 * cannot turn a bounded walk into a quadratic one.
 */
#include <stdlib.h>

#include "internal.h"

static uint64_t hash_pair(uint64_t a, uint64_t b)
{
	uint64_t h = a ^ (b * 0x9e3779b97f4a7c15ULL);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static struct addr_set_slot *addr_set_slot(struct addr_set *s, uint64_t a,
					   uint64_t b)
{
	size_t i = hash_pair(a, b) & s->mask;

	while (s->slots[i].a) {
		if (s->slots[i].a == a && s->slots[i].b == b)
			return &s->slots[i];
		i = (i + 1) & s->mask;
	}
	return &s->slots[i];
}

struct vmacore_error *addr_set_add(struct addr_set *s, uint64_t a, uint64_t b,
				   uint64_t **value_ret, bool *added_ret)
{
	struct addr_set_slot *slot;

	if (!a)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "addr_set key must not be 0");
	if (!s->slots || (s->count + 1) * 2 > s->mask + 1) {
		struct addr_set bigger;
		size_t cap = s->slots ? (s->mask + 1) * 2 : 64, i;

		bigger.slots = calloc(cap, sizeof(*bigger.slots));
		if (!bigger.slots)
			return &vmacore_enomem;
		bigger.mask = cap - 1;
		bigger.count = s->count;
		for (i = 0; s->slots && i <= s->mask; i++)
			if (s->slots[i].a)
				*addr_set_slot(&bigger, s->slots[i].a,
					       s->slots[i].b) = s->slots[i];
		free(s->slots);
		*s = bigger;
	}
	slot = addr_set_slot(s, a, b);
	*added_ret = !slot->a;
	if (!slot->a) {
		slot->a = a;
		slot->b = b;
		slot->value = 0;
		s->count++;
	}
	if (value_ret)
		*value_ret = &slot->value;
	return NULL;
}

bool addr_set_contains(const struct addr_set *s, uint64_t a, uint64_t b)
{
	if (!s->slots || !a)
		return false;
	return addr_set_slot((struct addr_set *)s, a, b)->a != 0;
}

void addr_set_deinit(struct addr_set *s)
{
	free(s->slots);
	s->slots = NULL;
	s->mask = 0;
	s->count = 0;
}
