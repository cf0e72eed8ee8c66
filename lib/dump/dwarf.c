// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dwarf.c - types from the vmlinux's DWARF, through libdw (--dwarf).
 *
 * The same semantics as btf.c.  The index is built lazily: compile units
 * are scanned in order, only their top-level DIEs, and only until the name
 * asked for turns up; the names seen on the way are kept for later
 * lookups.  A name that does not exist costs one pass over every unit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dwarf.h>
#include <elfutils/libdw.h>

#include "dump.h"

#define MAX_CHILDREN 100000

struct dwarf_types {
	struct types base;
	int fd;
	Dwarf *dbg;
	const char *path;
	Dwarf_Off next_cu;	/* offset of the next unit to scan */
	bool scanned_all;
};

static struct dwarf_types *to_dwarf(struct types *t)
{
	return (struct dwarf_types *)t;
}

static struct vmacore_error *dw_err(const char *what)
{
	return vmacore_error_create(VMACORE_ERROR_CORRUPT, "DWARF: %s: %s",
				    what, dwarf_errmsg(-1));
}

static struct vmacore_error *index_add(struct strhash *h, const char *name,
				       uint64_t value)
{
	struct strhash_entry *e;
	struct vmacore_error *err;
	bool added;

	err = strhash_add(h, name, &e, &added);
	if (err)
		return err;
	if (added)
		e->value = value;
	return NULL;
}

static struct vmacore_error *index_enumerators(struct dwarf_types *dt,
					       Dwarf_Die *die)
{
	Dwarf_Die child;
	int n = 0;

	if (dwarf_child(die, &child) != 0)
		return NULL;
	do {
		Dwarf_Attribute attr;
		struct vmacore_error *err;
		const char *name;
		Dwarf_Sword sval;
		Dwarf_Word uval;
		int64_t value;

		if (++n > MAX_CHILDREN)
			return vmacore_error_create(VMACORE_ERROR_CORRUPT,
						    "DWARF: enum with too many enumerators");
		if (dwarf_tag(&child) != DW_TAG_enumerator)
			continue;
		name = dwarf_diename(&child);
		if (!name || !dwarf_attr(&child, DW_AT_const_value, &attr))
			continue;
		if (dwarf_whatform(&attr) == DW_FORM_sdata ||
		    dwarf_whatform(&attr) == DW_FORM_implicit_const) {
			if (dwarf_formsdata(&attr, &sval) != 0)
				continue;
			value = sval;
		} else {
			if (dwarf_formudata(&attr, &uval) != 0)
				continue;
			value = (int64_t)uval;
		}
		err = index_add(&dt->base.ix.enumerators, name, (uint64_t)value);
		if (err)
			return err;
	} while (dwarf_siblingof(&child, &child) == 0);
	return NULL;
}

/* Index the top-level DIEs of the next unit. */
static struct vmacore_error *scan_next_cu(struct dwarf_types *dt)
{
	Dwarf_Off off = dt->next_cu, next;
	Dwarf_Die cu, die;
	size_t hsize;
	int r;

	r = dwarf_nextcu(dt->dbg, off, &next, &hsize, NULL, NULL, NULL);
	if (r != 0) {
		dt->scanned_all = true;
		return r < 0 ? dw_err("cannot read a unit header") : NULL;
	}
	if (next <= off)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "DWARF: unit list does not advance");
	dt->next_cu = next;
	if (!dwarf_offdie(dt->dbg, off + hsize, &cu))
		return dw_err("cannot read a unit");
	if (dwarf_child(&cu, &die) != 0)
		return NULL;
	do {
		struct vmacore_error *err = NULL;
		struct strhash *h;
		const char *name;
		int tag = dwarf_tag(&die);

		switch (tag) {
		case DW_TAG_structure_type:
			h = &dt->base.ix.structs;
			break;
		case DW_TAG_union_type:
			h = &dt->base.ix.unions;
			break;
		case DW_TAG_typedef:
			h = &dt->base.ix.typedefs;
			break;
		case DW_TAG_enumeration_type:
			h = NULL;
			break;
		default:
			continue;
		}
		if (dwarf_hasattr(&die, DW_AT_declaration))
			continue;
		if (!h) {
			err = index_enumerators(dt, &die);
		} else {
			name = dwarf_diename(&die);
			if (name)
				err = index_add(h, name, dwarf_dieoffset(&die));
		}
		if (err)
			return err;
	} while (dwarf_siblingof(&die, &die) == 0);
	return NULL;
}

/* Find @name in @h, scanning more units as needed. */
static struct vmacore_error *dwarf_index_find(struct dwarf_types *dt,
					      struct strhash *h,
					      const char *name,
					      struct strhash_entry **ret)
{
	for (;;) {
		struct vmacore_error *err;

		*ret = strhash_find(h, name);
		if (*ret || dt->scanned_all)
			return NULL;
		err = scan_next_cu(dt);
		if (err)
			return err;
	}
}

static struct vmacore_error *dwarf_find_type(struct dwarf_types *dt,
					     const char *name, Dwarf_Die *ret)
{
	struct strhash *order[] = {
		&dt->base.ix.structs, &dt->base.ix.unions, &dt->base.ix.typedefs,
	};
	struct strhash_entry *e = NULL;
	size_t i;

	for (i = 0; i < 3 && !e; i++) {
		struct vmacore_error *err;

		err = dwarf_index_find(dt, order[i], name, &e);
		if (err)
			return err;
	}
	if (!e)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no type %s in DWARF", name);
	if (!dwarf_offdie(dt->dbg, e->value, ret))
		return dw_err("cannot read a type");
	return NULL;
}

static struct vmacore_error *die_size(Dwarf_Die *die, const char *what,
				      uint64_t *ret)
{
	Dwarf_Word size;
	Dwarf_Die peeled, sub;

	/* A flexible array member (char name[]) has size 0, as in BTF. */
	if (dwarf_peel_type(die, &peeled) == 0 &&
	    dwarf_tag(&peeled) == DW_TAG_array_type &&
	    dwarf_child(&peeled, &sub) == 0 &&
	    dwarf_tag(&sub) == DW_TAG_subrange_type &&
	    !dwarf_hasattr(&sub, DW_AT_upper_bound) &&
	    !dwarf_hasattr(&sub, DW_AT_count)) {
		*ret = 0;
		return NULL;
	}
	if (dwarf_aggregate_size(die, &size) != 0)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "DWARF: cannot size %s: %s", what,
					    dwarf_errmsg(-1));
	*ret = size;
	return NULL;
}

static struct vmacore_error *dwarf_type_size(struct types *t, const char *name,
					     uint64_t *ret)
{
	struct vmacore_error *err;
	Dwarf_Die die;

	err = dwarf_find_type(to_dwarf(t), name, &die);
	if (err)
		return err;
	return die_size(&die, name, ret);
}

static bool die_type(Dwarf_Die *die, Dwarf_Die *ret)
{
	Dwarf_Attribute attr;

	return dwarf_attr_integrate(die, DW_AT_type, &attr) &&
	       dwarf_formref_die(&attr, ret);
}

static struct vmacore_error *member_location(Dwarf_Die *m, uint64_t *ret)
{
	Dwarf_Attribute attr;
	Dwarf_Word off;
	Dwarf_Op *ops;
	size_t nops;

	if (!dwarf_attr(m, DW_AT_data_member_location, &attr)) {
		*ret = 0;	/* union members */
		return NULL;
	}
	if (dwarf_formudata(&attr, &off) == 0) {
		*ret = off;
		return NULL;
	}
	if (dwarf_getlocation(&attr, &ops, &nops) == 0 && nops == 1 &&
	    ops[0].atom == DW_OP_plus_uconst) {
		*ret = ops[0].number;
		return NULL;
	}
	return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
				    "DWARF: member location is not a constant");
}

static struct vmacore_error *dwarf_find_member(Dwarf_Die *type,
					       const char *name, int depth,
					       uint64_t *off_ret,
					       Dwarf_Die *type_ret, bool *found)
{
	Dwarf_Die peeled, child;
	int tag, n = 0;

	*found = false;
	if (depth > MAX_ANON_DEPTH)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "DWARF: anonymous members nested too deep");
	if (dwarf_peel_type(type, &peeled) != 0)
		return dw_err("cannot resolve a type");
	tag = dwarf_tag(&peeled);
	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type)
		return NULL;
	if (dwarf_child(&peeled, &child) != 0)
		return NULL;
	do {
		struct vmacore_error *err;
		const char *mname;
		Dwarf_Die mtype;
		uint64_t off = 0;

		if (++n > MAX_CHILDREN)
			return vmacore_error_create(VMACORE_ERROR_CORRUPT,
						    "DWARF: struct with too many members");
		if (dwarf_tag(&child) != DW_TAG_member)
			continue;
		mname = dwarf_diename(&child);
		if (mname && strcmp(mname, name) != 0)
			continue;
		if (!die_type(&child, &mtype))
			return dw_err("member without a type");
		err = member_location(&child, &off);
		if (err)
			return err;
		if (mname) {
			if (dwarf_hasattr(&child, DW_AT_bit_size) ||
			    dwarf_hasattr(&child, DW_AT_data_bit_offset))
				return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
							    "member %s is a bit field",
							    name);
			*off_ret += off;
			*type_ret = mtype;
			*found = true;
			return NULL;
		}
		{
			uint64_t sub = 0;

			err = dwarf_find_member(&mtype, name, depth + 1, &sub,
						type_ret, found);
			if (err)
				return err;
			if (*found) {
				*off_ret += off + sub;
				return NULL;
			}
		}
	} while (dwarf_siblingof(&child, &child) == 0);
	return NULL;
}

static struct vmacore_error *dwarf_member(struct types *t, const char *type,
					  const char *member,
					  uint64_t *offset_ret,
					  uint64_t *size_ret)
{
	struct dwarf_types *dt = to_dwarf(t);
	struct vmacore_error *err;
	const char *d = member;
	char comp[NAME_MAX_LEN];
	uint64_t off = 0, size = 0;
	Dwarf_Die die;
	long index;
	bool bad;

	err = dwarf_find_type(dt, type, &die);
	if (err)
		return err;
	while (designator_next(&d, comp, sizeof(comp), &index, &bad)) {
		bool found;

		err = dwarf_find_member(&die, comp, 0, &off, &die, &found);
		if (err)
			return vmacore_error_prefix(err, "%s.%s", type, member);
		if (!found)
			return vmacore_error_create(VMACORE_ERROR_LOOKUP,
						    "no member %s in %s (DWARF)",
						    member, type);
		if (index >= 0) {
			Dwarf_Die arr, elem;
			uint64_t esize = 0;

			if (dwarf_peel_type(&die, &arr) != 0 ||
			    dwarf_tag(&arr) != DW_TAG_array_type ||
			    !die_type(&arr, &elem))
				return vmacore_error_create(VMACORE_ERROR_INVALID,
							    "%s.%s: not an array",
							    type, member);
			err = die_size(&elem, member, &esize);
			if (err)
				return err;
			off += (uint64_t)index * esize;
			die = elem;
		}
	}
	if (bad)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad member designator %s", member);
	err = die_size(&die, member, &size);
	if (err)
		return err;
	*offset_ret = off;
	*size_ret = size;
	return NULL;
}

static struct vmacore_error *dwarf_index_enums(struct types *t,
					       bool *all_ret)
{
	struct dwarf_types *dt = to_dwarf(t);
	struct vmacore_error *err = NULL;

	if (!dt->scanned_all)
		err = scan_next_cu(dt);
	*all_ret = dt->scanned_all;
	return err;
}

static void dwarf_destroy(struct types *t)
{
	struct dwarf_types *dt = to_dwarf(t);

	type_index_deinit(&dt->base.ix);
	if (dt->dbg)
		dwarf_end(dt->dbg);
	if (dt->fd >= 0)
		close(dt->fd);
	free(dt);
}

struct vmacore_error *dwarf_types_open(const char *vmlinux, struct types **ret)
{
	struct vmacore_error *err;
	struct dwarf_types *dt;

	dt = calloc(1, sizeof(*dt));
	if (!dt)
		return &vmacore_enomem;
	dt->path = vmlinux;
	type_index_init(&dt->base.ix);
	dt->fd = open(vmlinux, O_RDONLY | O_CLOEXEC);
	if (dt->fd < 0) {
		err = vmacore_error_create(VMACORE_ERROR_OS,
					   "cannot open %s: %s", vmlinux,
					   strerror(errno));
		dwarf_destroy(&dt->base);
		return err;
	}
	dt->dbg = dwarf_begin(dt->fd, DWARF_C_READ);
	if (!dt->dbg) {
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "cannot read DWARF of %s: %s",
					   vmlinux, dwarf_errmsg(-1));
		dwarf_destroy(&dt->base);
		return err;
	}
	dt->base.type_size = dwarf_type_size;
	dt->base.member = dwarf_member;
	dt->base.enumerator = types_enumerator;
	dt->base.index_enums = dwarf_index_enums;
	dt->base.destroy = dwarf_destroy;
	dt->base.name = "dwarf";
	dt->base.label = "DWARF";
	*ret = &dt->base;
	return NULL;
}
