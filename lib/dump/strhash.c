// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * strhash.c - a string-keyed hash table (open addressing, linear probing)
 * for symbol and type names: built once at open, looked up many times.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"

/* FNV-1a, 64 bit. */
uint64_t strhash_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void strhash_init(struct strhash *h)
{
	h->slots = NULL;
	h->mask = 0;
	h->count = 0;
}

void strhash_deinit(struct strhash *h)
{
	free(h->slots);
	strhash_init(h);
}

static struct strhash_entry *strhash_slot(struct strhash_entry *slots,
					  size_t mask, const char *key)
{
	size_t i = strhash_hash(key) & mask;

	while (slots[i].key && strcmp(slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return &slots[i];
}

static struct vmacore_error *strhash_grow(struct strhash *h)
{
	size_t cap = h->slots ? (h->mask + 1) * 2 : 1024;
	struct strhash_entry *slots;
	size_t i;

	if (cap > ((size_t)1 << 40) / sizeof(*slots))
		return &vmacore_enomem;
	slots = calloc(cap, sizeof(*slots));
	if (!slots)
		return &vmacore_enomem;
	for (i = 0; h->slots && i <= h->mask; i++) {
		if (h->slots[i].key)
			*strhash_slot(slots, cap - 1, h->slots[i].key) =
				h->slots[i];
	}
	free(h->slots);
	h->slots = slots;
	h->mask = cap - 1;
	return NULL;
}

struct vmacore_error *strhash_add(struct strhash *h, const char *key,
				  struct strhash_entry **entry_ret,
				  bool *added_ret)
{
	struct strhash_entry *e;
	struct vmacore_error *err;

	/* Keep the load factor under 1/2. */
	if (!h->slots || (h->count + 1) * 2 > h->mask + 1) {
		err = strhash_grow(h);
		if (err)
			return err;
	}
	e = strhash_slot(h->slots, h->mask, key);
	*added_ret = !e->key;
	if (!e->key) {
		e->key = key;
		e->value = 0;
		e->aux = 0;
		h->count++;
	}
	*entry_ret = e;
	return NULL;
}

struct strhash_entry *strhash_find(const struct strhash *h, const char *key)
{
	struct strhash_entry *e;

	if (!h->slots)
		return NULL;
	e = strhash_slot(h->slots, h->mask, key);
	return e->key ? e : NULL;
}

void type_index_init(struct type_index *ix)
{
	strhash_init(&ix->structs);
	strhash_init(&ix->unions);
	strhash_init(&ix->typedefs);
	strhash_init(&ix->enumerators);
}

void type_index_deinit(struct type_index *ix)
{
	strhash_deinit(&ix->structs);
	strhash_deinit(&ix->unions);
	strhash_deinit(&ix->typedefs);
	strhash_deinit(&ix->enumerators);
}

struct vmacore_error *types_enumerator(struct types *t, const char *name,
				       int64_t *ret)
{
	struct strhash_entry *e;
	struct vmacore_error *err;
	bool all = false;

	for (;;) {
		e = strhash_find(&t->ix.enumerators, name);
		if (e) {
			*ret = (int64_t)e->value;
			return NULL;
		}
		if (all)
			return vmacore_error_create(VMACORE_ERROR_LOOKUP,
						    "no enumerator %s in %s",
						    name, t->label);
		err = t->index_enums(t, &all);
		if (err)
			return err;
	}
}
