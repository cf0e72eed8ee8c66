// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btf.c - types from BTF, through libbpf: the vmlinux's .BTF section, or
 * the kernel's own BTF read from the dump (btf_types_from_mem()).
 *
 * libbpf's btf__find_by_name_kind() scans every type on each call, so the
 * names of structs, unions and typedefs are hashed once, on first use, and
 * enumerators likewise on the first enumerator lookup.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "dump.h"

struct btf_types {
	struct types base;
	struct btf *btf;
	bool indexed;
	bool enums_indexed;
};

static struct btf_types *to_btf(struct types *t)
{
	return (struct btf_types *)t;
}

/* A complete definition wins over a forward one of the same name. */
static struct vmacore_error *index_add(struct strhash *h, const char *name,
				       uint32_t id, bool complete)
{
	struct strhash_entry *e;
	struct vmacore_error *err;
	bool added;

	err = strhash_add(h, name, &e, &added);
	if (err)
		return err;
	if (added || (!e->aux && complete)) {
		e->value = id;
		e->aux = complete;
	}
	return NULL;
}

static struct vmacore_error *btf_index(struct btf_types *bt)
{
	uint32_t id, n = btf__type_cnt(bt->btf);
	struct vmacore_error *err = NULL;

	if (bt->indexed)
		return NULL;
	for (id = 1; id < n && !err; id++) {
		const struct btf_type *t = btf__type_by_id(bt->btf, id);
		const char *name;

		if (!t || !t->name_off)
			continue;
		name = btf__name_by_offset(bt->btf, t->name_off);
		if (!name || !*name)
			continue;
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
			err = index_add(&bt->base.ix.structs, name, id, true);
			break;
		case BTF_KIND_UNION:
			err = index_add(&bt->base.ix.unions, name, id, true);
			break;
		case BTF_KIND_TYPEDEF:
			err = index_add(&bt->base.ix.typedefs, name, id, true);
			break;
		default:
			break;
		}
	}
	if (!err)
		bt->indexed = true;
	return err;
}

static struct vmacore_error *btf_index_enums(struct btf_types *bt)
{
	uint32_t id, n = btf__type_cnt(bt->btf);

	if (bt->enums_indexed)
		return NULL;
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(bt->btf, id);
		uint16_t i, vlen;

		if (!t || !btf_is_any_enum(t))
			continue;
		vlen = btf_vlen(t);
		for (i = 0; i < vlen; i++) {
			struct strhash_entry *e;
			struct vmacore_error *err;
			const char *name;
			int64_t value;
			bool added;

			if (btf_is_enum(t)) {
				const struct btf_enum *en = btf_enum(t) + i;

				name = btf__name_by_offset(bt->btf,
							   en->name_off);
				value = btf_kflag(t) ? (int64_t)(int32_t)en->val :
					(int64_t)(uint32_t)en->val;
			} else {
				const struct btf_enum64 *en = btf_enum64(t) + i;

				name = btf__name_by_offset(bt->btf,
							   en->name_off);
				value = (int64_t)btf_enum64_value(en);
			}
			if (!name || !*name)
				continue;
			err = strhash_add(&bt->base.ix.enumerators, name, &e,
					  &added);
			if (err)
				return err;
			if (added)
				e->value = (uint64_t)value;
		}
	}
	bt->enums_indexed = true;
	return NULL;
}

/* struct, then union, then typedef, as the target interface says. */
static struct vmacore_error *btf_find_type(struct btf_types *bt,
					   const char *name, uint32_t *id_ret)
{
	struct strhash_entry *e;
	struct vmacore_error *err = btf_index(bt);

	if (err)
		return err;
	e = strhash_find(&bt->base.ix.structs, name);
	if (!e)
		e = strhash_find(&bt->base.ix.unions, name);
	if (!e)
		e = strhash_find(&bt->base.ix.typedefs, name);
	if (!e)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no type %s in BTF", name);
	*id_ret = e->value;
	return NULL;
}

static struct vmacore_error *btf_type_size(struct types *t, const char *name,
					   uint64_t *ret)
{
	struct btf_types *bt = to_btf(t);
	struct vmacore_error *err;
	uint32_t id;
	long size;

	err = btf_find_type(bt, name, &id);
	if (err)
		return err;
	size = btf__resolve_size(bt->btf, id);
	if (size < 0)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "cannot size type %s in BTF: %s",
					    name, strerror(-size));
	*ret = size;
	return NULL;
}

/*
 * Find member @name in composite type @id, descending anonymous struct and
 * union members.  *@bit_off_ret accumulates the offset in bits.
 */
static struct vmacore_error *btf_find_member(struct btf_types *bt, uint32_t id,
					     const char *name, int depth,
					     uint64_t *bit_off_ret,
					     uint32_t *type_ret, bool *found)
{
	const struct btf_type *t;
	const struct btf_member *m;
	uint16_t i, vlen;

	*found = false;
	if (depth > MAX_ANON_DEPTH)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "BTF: anonymous members nested too deep");
	id = btf__resolve_type(bt->btf, id);
	t = btf__type_by_id(bt->btf, id);
	if (!t || !btf_is_composite(t))
		return NULL;
	m = btf_members(t);
	vlen = btf_vlen(t);
	for (i = 0; i < vlen; i++, m++) {
		const char *mname = btf__name_by_offset(bt->btf, m->name_off);
		uint64_t off = btf_member_bit_offset(t, i);

		if (mname && *mname) {
			if (strcmp(mname, name) != 0)
				continue;
			if (btf_member_bitfield_size(t, i))
				return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
							    "member %s is a bit field",
							    name);
			*bit_off_ret += off;
			*type_ret = m->type;
			*found = true;
			return NULL;
		} else {
			struct vmacore_error *err;
			uint64_t sub = 0;

			err = btf_find_member(bt, m->type, name, depth + 1,
					      &sub, type_ret, found);
			if (err)
				return err;
			if (*found) {
				*bit_off_ret += off + sub;
				return NULL;
			}
		}
	}
	return NULL;
}

static struct vmacore_error *btf_member(struct types *t, const char *type,
					const char *member, uint64_t *offset_ret,
					uint64_t *size_ret)
{
	struct btf_types *bt = to_btf(t);
	struct vmacore_error *err;
	const char *d = member;
	char comp[NAME_MAX_LEN];
	uint64_t bits = 0;
	uint32_t id;
	long index, size;
	bool bad;

	err = btf_find_type(bt, type, &id);
	if (err)
		return err;
	while (designator_next(&d, comp, sizeof(comp), &index, &bad)) {
		bool found;

		err = btf_find_member(bt, id, comp, 0, &bits, &id, &found);
		if (err)
			return vmacore_error_prefix(err, "%s.%s", type, member);
		if (!found)
			return vmacore_error_create(VMACORE_ERROR_LOOKUP,
						    "no member %s in %s (BTF)",
						    member, type);
		if (index >= 0) {
			const struct btf_type *at;
			const struct btf_array *a;
			long esize;

			at = btf__type_by_id(bt->btf,
					     btf__resolve_type(bt->btf, id));
			if (!at || !btf_is_array(at))
				return vmacore_error_create(VMACORE_ERROR_INVALID,
							    "%s.%s: not an array",
							    type, member);
			a = btf_array(at);
			esize = btf__resolve_size(bt->btf, a->type);
			if (esize < 0 || (a->nelems && index >= (long)a->nelems))
				return vmacore_error_create(VMACORE_ERROR_INVALID,
							    "%s.%s: index out of bounds",
							    type, member);
			bits += (uint64_t)index * esize * 8;
			id = a->type;
		}
	}
	if (bad)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad member designator %s", member);
	if (bits % 8)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "%s.%s is not byte aligned", type,
					    member);
	size = btf__resolve_size(bt->btf, id);
	if (size < 0)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "cannot size %s.%s in BTF: %s", type,
					    member, strerror(-size));
	*offset_ret = bits / 8;
	*size_ret = size;
	return NULL;
}

static struct vmacore_error *btf_index_enums_op(struct types *t,
						bool *all_ret)
{
	*all_ret = true;
	return btf_index_enums(to_btf(t));
}

static void btf_destroy(struct types *t)
{
	struct btf_types *bt = to_btf(t);

	type_index_deinit(&bt->base.ix);
	btf__free(bt->btf);
	free(bt);
}

/*
 * libbpf 1.1 accepts a .BTF whose header length is not a multiple of 4,
 * which leaves every struct btf_type misaligned (undefined behaviour in
 * btf_kind() and friends; found by fuzz/fuzz_btf.c): refuse it.
 */
static struct vmacore_error *btf_check_aligned(struct btf *btf,
					       const char *path)
{
	const struct btf_type *t = btf__type_cnt(btf) > 1 ?
				   btf__type_by_id(btf, 1) : NULL;

	if (t && ((uintptr_t)t & 3))
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "cannot read BTF of %s: types not 4-byte aligned",
					    path);
	return NULL;
}

/* Wrap a parsed @btf (consumed) into a struct types. */
static struct vmacore_error *btf_types_wrap(struct btf *btf, const char *what,
					    struct types **ret)
{
	struct vmacore_error *err;
	struct btf_types *bt;

	err = btf_check_aligned(btf, what);
	if (err) {
		btf__free(btf);
		return err;
	}
	bt = calloc(1, sizeof(*bt));
	if (!bt) {
		btf__free(btf);
		return &vmacore_enomem;
	}
	bt->btf = btf;
	type_index_init(&bt->base.ix);
	bt->base.type_size = btf_type_size;
	bt->base.member = btf_member;
	bt->base.enumerator = types_enumerator;
	bt->base.index_enums = btf_index_enums_op;
	bt->base.destroy = btf_destroy;
	bt->base.name = "btf";
	bt->base.label = "BTF";
	*ret = &bt->base;
	return NULL;
}

struct vmacore_error *btf_types_open(const char *vmlinux, struct types **ret)
{
	struct btf *btf;

	btf = btf__parse_elf(vmlinux, NULL);
	if (!btf)
		return vmacore_error_create(errno == ENOENT ?
					    VMACORE_ERROR_LOOKUP :
					    VMACORE_ERROR_CORRUPT,
					    "cannot read BTF of %s: %s", vmlinux,
					    errno == ENOENT ? "no .BTF section" :
					    strerror(errno));
	return btf_types_wrap(btf, vmlinux, ret);
}

/*
 * The kernel's own BTF, as read from its memory (__start_BTF to
 * __stop_BTF): libbpf parses (and copies) the bytes, checking the header,
 * every type and every string offset.
 */
struct vmacore_error *btf_types_from_mem(const void *data, size_t size,
					 const char *what, struct types **ret)
{
	struct btf *btf;

	btf = btf__new(data, size);
	if (!btf)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "cannot parse %s: %s", what,
					    strerror(errno));
	return btf_types_wrap(btf, what, ret);
}
