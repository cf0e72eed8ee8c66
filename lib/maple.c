// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maple.c - the maple tree mm->mm_mt: walk and lookup of VMAs.
 *
 * DOC: reading a maple tree from a dump
 *
 * struct maple_tree holds ma_root: NULL (empty), a direct entry (the tree
 * holds one entry, at index 0), or an encoded node (xa_is_node(): bits
 * 0-1 are 10 and the value is above 4096).  An encoded node pointer
 * (struct maple_enode *) is the 256-byte aligned node address with the
 * enum maple_type in bits 3-6 (mte_to_node(), mte_node_type()).
 *
 * maple_range_64 and maple_arange_64 nodes hold pivot[] and slot[]; slot i
 * covers [pivot[i-1] + 1, pivot[i]] (pivots are inclusive, slot 0 starts
 * at the node's min, and the last slot ends at the node's max).  The last
 * used slot is ma_data_end(): the metadata end (meta.end) for arange nodes
 * or when the last pivot is 0, the last pivot's index when it equals max,
 * else every slot.  Internal nodes (range_64, arange_64) point to child
 * nodes, leaves (leaf_64, and dense nodes with one index per slot) to
 * entries: here struct vm_area_struct pointers, NULL for gaps, and
 * XA_ZERO_ENTRY where a failed fork left a placeholder (skipped).
 *
 * Replaced nodes are marked dead by pointing their parent to themselves
 * (ma_dead_node()); a dump taken mid-update can reach one.  Everything else
 * that breaks these rules is CORRUPT: unknown node types, pivots out of
 * order or beyond the parent's range, a node met twice, a tree deeper than
 * MAPLE_HEIGHT_MAX, a VMA whose [vm_start, vm_end) is not exactly its
 * slot's range.
 *
 * The walk loses only what is damaged: a child node (dead, unreadable or
 * corrupt) or a VMA that fails is skipped and the range its slot covers,
 * which the parent's pivots bound, recorded as a loss; a pivot out of
 * order costs the slots up to the next pivot that fits.  The walk then
 * goes on with the next slot.
 *
 * Each node is read whole with one target read, each VMA likewise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

#define MAPLE_NODE_MASK		255UL	/* include/linux/maple_tree.h */
#define MAPLE_NODE_TYPE_SHIFT	3
#define MAPLE_NODE_TYPE_MASK	0x0f
#define MAPLE_HEIGHT_MAX	31
#define MT_FLAGS_HEIGHT_OFFSET	2
#define MT_FLAGS_HEIGHT_MASK	0x7c
#define MAPLE_SLOTS_MAX		64	/* sanity bound on array lengths */
/* xa_mk_internal(257), include/linux/xarray.h */
#define XA_ZERO_ENTRY		((257UL << 2) | 2)
/* Bound on nodes per walk: 2^24 nodes are 4 GiB of maple nodes. */
#define MAPLE_NODES_MAX		(1UL << 24)

enum node_kind { NODE_DENSE, NODE_LEAF, NODE_RANGE, NODE_ARANGE };

static bool xa_is_internal(uint64_t entry)
{
	return (entry & 3) == 2;
}

/* xa_is_node(), include/linux/xarray.h */
static bool xa_is_node(uint64_t entry)
{
	return xa_is_internal(entry) && entry > 4096;
}

#define F(type, member) \
	{ &ctx->l.mm.type##_##member, #type, #member, true }

struct vmacore_error *maple_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	static const char *const names[] = {
		"maple_dense", "maple_leaf_64", "maple_range_64",
		"maple_arange_64",
	};
	int64_t *vals[] = {
		&l->maple_dense, &l->maple_leaf_64, &l->maple_range_64,
		&l->maple_arange_64,
	};
	const struct field *arrays[] = {
		&l->maple_range_64_pivot, &l->maple_range_64_slot,
		&l->maple_arange_64_pivot, &l->maple_arange_64_slot,
	};
	const struct field_spec tree_fields[] = {
		F(maple_tree, ma_root),
		F(maple_tree, ma_flags),
	};
	const struct field_spec fields[] = {
		F(maple_node, parent),
		F(maple_node, slot),
		F(maple_node, mr64),
		F(maple_node, ma64),
		F(maple_range_64, pivot),
		F(maple_range_64, slot),
		F(maple_range_64, meta),
		F(maple_arange_64, pivot),
		F(maple_arange_64, slot),
		F(maple_arange_64, meta),
		F(maple_metadata, end),
	};
	size_t i;

	/* maple_tree first: a kernel without maple trees fails there */
	if ((err = fields_init(ctx, tree_fields, ARRAY_SIZE(tree_fields))) ||
	    (err = type_size_init(ctx, &l->maple_node_size, "maple_node",
				  true)) ||
	    (err = fields_init(ctx, fields, ARRAY_SIZE(fields))))
		return vmacore_error_prefix(err, "cannot resolve maple tree");

	if (l->maple_node_size < 64 || l->maple_node_size > MAPLE_NODE_MASK + 1)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "struct maple_node has %llu bytes",
					    (unsigned long long)l->maple_node_size);
	/* Slot and pivot counts come from the array sizes (mt_slots[]). */
	for (i = 0; i < ARRAY_SIZE(arrays); i++) {
		const struct field *f = arrays[i];
		const struct field *in = i < 2 ? &l->maple_node_mr64 :
					 &l->maple_node_ma64;

		if (f->size % 8 || f->size / 8 < 2 ||
		    f->size / 8 > MAPLE_SLOTS_MAX ||
		    in->off + f->off + f->size > l->maple_node_size)
			return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
						    "unexpected maple node array (offset %u, %u bytes)",
						    f->off, f->size);
	}
	if (l->maple_range_64_slot.size != l->maple_range_64_pivot.size + 8 ||
	    l->maple_arange_64_slot.size != l->maple_arange_64_pivot.size + 8 ||
	    l->maple_node_slot.off + l->maple_node_slot.size >
	    l->maple_node_size || l->maple_node_slot.size / 8 > MAPLE_SLOTS_MAX ||
	    l->maple_node_mr64.off + l->maple_range_64_meta.off +
	    l->maple_metadata_end.off + 1 > l->maple_node_size ||
	    l->maple_node_ma64.off + l->maple_arange_64_meta.off +
	    l->maple_metadata_end.off + 1 > l->maple_node_size ||
	    l->maple_metadata_end.size != 1 || l->maple_node_parent.size != 8)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "unexpected struct maple_node layout");

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		err = enum_value(ctx, names[i], vals[i]);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP)) {
			/* enum maple_type, include/linux/maple_tree.h */
			vmacore_log(ctx, "enum maple_type has no %s, using %zu",
				    names[i], i);
			*vals[i] = i;
		} else if (err) {
			return err;
		}
	}
	return NULL;
}

#undef F

/* ------------------------------------------------------------------------ */
/* Nodes                                                                    */
/* ------------------------------------------------------------------------ */

/*
 * struct mnode - one maple node read from the dump, with the range of
 * indices it covers ([min, max], both inclusive, from its parent's pivots).
 */
struct mnode {
	uint64_t addr;		/* mte_to_node() */
	enum node_kind kind;
	unsigned int type;	/* mte_node_type() */
	uint64_t min, max;
	unsigned int depth;	/* root is 1 */
	unsigned int end;	/* ma_data_end() */
	unsigned int npivots, nslots;
	const unsigned char *pivots, *slots;
	/* iteration state */
	unsigned int offset;
	uint64_t prev;		/* last pivot returned */
	bool done;
	unsigned char *buf;
};

static uint64_t buf_u64(const unsigned char *p, unsigned int i)
{
	uint64_t v;

	memcpy(&v, p + 8 * i, 8);
	return v;
}

/* Read the node @enode covering [@min, @max] at @depth into @n. */
static struct vmacore_error *mnode_read(struct vmacore_ctx *ctx,
					uint64_t enode, uint64_t min,
					uint64_t max, unsigned int depth,
					struct mnode *n)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	const struct field *pf, *sf, *mf, *in;
	uint64_t last;
	int64_t type;

	n->addr = enode & ~MAPLE_NODE_MASK;		/* mte_to_node() */
	n->type = (enode >> MAPLE_NODE_TYPE_SHIFT) & MAPLE_NODE_TYPE_MASK;
	n->min = min;
	n->max = max;
	n->depth = depth;
	n->offset = 0;
	n->prev = 0;
	n->done = false;
	type = n->type;
	if (type == l->maple_leaf_64)
		n->kind = NODE_LEAF;
	else if (type == l->maple_range_64)
		n->kind = NODE_RANGE;
	else if (type == l->maple_arange_64)
		n->kind = NODE_ARANGE;
	else if (type == l->maple_dense)
		n->kind = NODE_DENSE;
	else
		return VMACORE_CORRUPT("maple node 0x%llx has unknown type %u",
				       (unsigned long long)n->addr, n->type);
	if (!n->addr)
		return VMACORE_CORRUPT("NULL maple node 0x%llx",
				       (unsigned long long)enode);
	err = read_mem(ctx, n->addr, n->buf, l->maple_node_size);
	if (err)
		return vmacore_error_prefix(err, "cannot read maple node 0x%llx",
					    (unsigned long long)n->addr);

	if (n->kind == NODE_DENSE) {
		/* One index per slot; ma_data_end() has no pivots here. */
		n->npivots = 0;
		n->nslots = l->maple_node_slot.size / 8;
		n->pivots = NULL;
		n->slots = n->buf + l->maple_node_slot.off;
		n->end = n->nslots - 1;
		if (max - min < n->end)
			n->end = max - min;
		return NULL;
	}
	if (n->kind == NODE_ARANGE) {
		in = &l->maple_node_ma64;
		pf = &l->maple_arange_64_pivot;
		sf = &l->maple_arange_64_slot;
		mf = &l->maple_arange_64_meta;
	} else {
		in = &l->maple_node_mr64;
		pf = &l->maple_range_64_pivot;
		sf = &l->maple_range_64_slot;
		mf = &l->maple_range_64_meta;
	}
	n->npivots = pf->size / 8;
	n->nslots = sf->size / 8;
	n->pivots = n->buf + in->off + pf->off;
	n->slots = n->buf + in->off + sf->off;

	/* ma_data_end(), lib/maple_tree.c */
	last = buf_u64(n->pivots, n->npivots - 1);
	if (n->kind == NODE_ARANGE || !last)
		n->end = n->buf[in->off + mf->off + l->maple_metadata_end.off];
	else if (last == max)
		n->end = n->npivots - 1;
	else
		n->end = n->npivots;
	if (n->end >= n->nslots)
		return VMACORE_CORRUPT("maple node 0x%llx: data end %u beyond its %u slots",
				       (unsigned long long)n->addr, n->end,
				       n->nslots);
	return NULL;
}

/* ma_dead_node(), lib/maple_tree.c: a dead node's parent is itself. */
static bool mnode_dead(struct vmacore_ctx *ctx, const struct mnode *n)
{
	uint64_t parent = field_get(n->buf, &ctx->l.mm.maple_node_parent);

	return (parent & ~MAPLE_NODE_MASK) == n->addr;
}

static bool mnode_is_leaf(const struct mnode *n)
{
	return n->kind == NODE_LEAF || n->kind == NODE_DENSE;
}

/*
 * mnode_slot_range() - the range [*lo, *hi] of slot @i (inclusive), from
 * the pivots as mas_logical_pivot() (lib/maple_tree.c, 6.1) reads them: a
 * pivot beyond the array is the node's max, and so is a pivot of 0 after
 * slot 0.  @prev is the previous slot's pivot (ignored for slot 0).
 */
static struct vmacore_error *mnode_slot_range(const struct mnode *n,
					      unsigned int i, uint64_t prev,
					      uint64_t *lo, uint64_t *hi)
{
	uint64_t piv;

	if (n->kind == NODE_DENSE) {
		*lo = *hi = n->min + i;
		return NULL;
	}
	if (i == 0) {
		*lo = n->min;
	} else {
		if (prev >= n->max)
			return VMACORE_CORRUPT("maple node 0x%llx: slot %u after the node's max 0x%llx",
					       (unsigned long long)n->addr, i,
					       (unsigned long long)n->max);
		*lo = prev + 1;
	}
	piv = i < n->npivots ? buf_u64(n->pivots, i) : n->max;
	if (!piv && i)
		piv = n->max;
	if (piv < *lo || piv > n->max)
		return VMACORE_CORRUPT("maple node 0x%llx: pivot %u is 0x%llx, outside [0x%llx, 0x%llx]",
				       (unsigned long long)n->addr, i,
				       (unsigned long long)piv,
				       (unsigned long long)*lo,
				       (unsigned long long)n->max);
	*hi = piv;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* VMAs in the tree                                                         */
/* ------------------------------------------------------------------------ */

/*
 * Read and check the VMA in the slot covering [lo, hi] of @mm_addr's tree:
 * mm_mt stores each VMA over exactly [vm_start, vm_end - 1]
 * (vma_iter_store(), mm/vma.h; vma_mas_store(), mm/mmap.c in 6.1).
 */
static struct vmacore_error *vma_from_slot(struct vmacore_ctx *ctx,
					   uint64_t mm_addr, uint64_t entry,
					   uint64_t lo, uint64_t hi, void *buf,
					   struct vmacore_vma *ret)
{
	struct vmacore_error *err;

	if (xa_is_internal(entry) || (entry & 7))
		return VMACORE_CORRUPT("maple slot [0x%llx, 0x%llx] holds 0x%llx, not a vma",
				       (unsigned long long)lo,
				       (unsigned long long)hi,
				       (unsigned long long)entry);
	err = vma_buf_read(ctx, entry, buf);
	if (err)
		return err;
	vma_buf_decode(ctx, entry, buf, ret);
	if (ret->vm_start >= ret->vm_end)
		return VMACORE_CORRUPT("vma 0x%llx has vm_start 0x%llx >= vm_end 0x%llx",
				       (unsigned long long)entry,
				       (unsigned long long)ret->vm_start,
				       (unsigned long long)ret->vm_end);
	if (ret->vm_start != lo || ret->vm_end - 1 != hi)
		return VMACORE_CORRUPT("vma 0x%llx [0x%llx, 0x%llx) is in maple slot [0x%llx, 0x%llx]",
				       (unsigned long long)entry,
				       (unsigned long long)ret->vm_start,
				       (unsigned long long)ret->vm_end,
				       (unsigned long long)lo,
				       (unsigned long long)hi);
	if (ret->vm_mm != mm_addr)
		return VMACORE_CORRUPT("vma 0x%llx [0x%llx, 0x%llx) belongs to mm 0x%llx, not 0x%llx",
				       (unsigned long long)entry,
				       (unsigned long long)ret->vm_start,
				       (unsigned long long)ret->vm_end,
				       (unsigned long long)ret->vm_mm,
				       (unsigned long long)mm_addr);
	return NULL;
}

static struct vmacore_error *tree_root(struct vmacore_ctx *ctx,
				       uint64_t mm_addr, uint64_t *root_ret,
				       unsigned int *height_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	uint64_t tree = mm_addr + l->mm_struct_mm_mt.off, flags;
	struct vmacore_error *err;

	if (!mm_addr)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no mm (a kernel thread?)");
	err = read_field(ctx, tree, &l->maple_tree_ma_root, root_ret);
	if (!err)
		err = read_field(ctx, tree, &l->maple_tree_ma_flags, &flags);
	if (err)
		return vmacore_error_prefix(err, "cannot read mm_mt of mm 0x%llx",
					    (unsigned long long)mm_addr);
	/* mt_height(), lib/maple_tree.c */
	*height_ret = (flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
	return NULL;
}

/* Leaves sit at depth mt_height() when the tree records its height. */
static struct vmacore_error *check_depth(const struct mnode *n,
					 unsigned int height)
{
	bool leaf = mnode_is_leaf(n);

	if (n->depth > MAPLE_HEIGHT_MAX)
		return VMACORE_CORRUPT("maple node 0x%llx at depth %u, beyond MAPLE_HEIGHT_MAX",
				       (unsigned long long)n->addr, n->depth);
	if (height && ((leaf && n->depth != height) ||
		       (!leaf && n->depth >= height)))
		return VMACORE_CORRUPT("maple %s node 0x%llx at depth %u in a tree of height %u",
				       leaf ? "leaf" : "internal",
				       (unsigned long long)n->addr, n->depth,
				       height);
	return NULL;
}

struct vmacore_vma_iter {
	struct vmacore_ctx *ctx;
	uint64_t mm;
	unsigned int height;
	uint64_t direct;	/* root is a direct entry (index 0) */
	struct mnode stack[MAPLE_HEIGHT_MAX + 1];
	unsigned int depth;	/* frames used */
	struct addr_set seen;	/* nodes met (cycles) */
	uint64_t nodes;
	uint64_t count;		/* VMAs returned */
	uint64_t last_end;	/* vm_end of the previous VMA */
	unsigned char *vma_buf;
	int32_t map_count;	/* mm->map_count, checked at the end */
	bool failed, stopped;
	struct vmacore_vma_loss *losses;
	size_t nlosses, losses_cap;
};

void vmacore_vma_iter_destroy(struct vmacore_vma_iter *it)
{
	unsigned int i;

	if (!it)
		return;
	for (i = 0; i < ARRAY_SIZE(it->stack); i++)
		free(it->stack[i].buf);
	for (i = 0; i < it->nlosses; i++)
		free((char *)it->losses[i].message);
	free(it->losses);
	addr_set_deinit(&it->seen);
	free(it->vma_buf);
	free(it);
}

/*
 * Record that the VMAs in [@lo, @hi] (unless !@ranged) were not read
 * because of @err (consumed).  Return: NULL, or the error that ends the
 * walk (out of memory, too many losses).
 */
static struct vmacore_error *loss_add(struct vmacore_vma_iter *it,
				      bool ranged, uint64_t lo, uint64_t hi,
				      struct vmacore_error *err)
{
	struct vmacore_vma_loss *l;
	char *msg;
	int r;

	if (err == &vmacore_enomem)
		return err;
	if (it->nlosses >= VMACORE_VMA_LOSSES_MAX) {
		vmacore_error_destroy(err);
		return VMACORE_CORRUPT("more than %d damaged parts",
				       VMACORE_VMA_LOSSES_MAX);
	}
	if (it->nlosses == it->losses_cap) {
		size_t cap = it->losses_cap ? 2 * it->losses_cap : 4;

		l = realloc(it->losses, cap * sizeof(*l));
		if (!l) {
			vmacore_error_destroy(err);
			return &vmacore_enomem;
		}
		it->losses = l;
		it->losses_cap = cap;
	}
	if (ranged)
		r = asprintf(&msg, "VMAs in [0x%llx, 0x%llx] not read: %s",
			     (unsigned long long)lo, (unsigned long long)hi,
			     err->message);
	else
		r = asprintf(&msg, "%s", err->message);
	if (r < 0) {
		vmacore_error_destroy(err);
		return &vmacore_enomem;
	}
	l = &it->losses[it->nlosses++];
	l->ranged = ranged;
	l->start = ranged ? lo : 0;
	l->last = ranged ? hi : 0;
	l->code = err->code;
	l->message = msg;
	l->file = err->file;
	l->line = err->line;
	vmacore_error_destroy(err);
	return NULL;
}

size_t vmacore_vma_iter_losses(const struct vmacore_vma_iter *it,
			       const struct vmacore_vma_loss **ret)
{
	*ret = it->losses;
	return it->nlosses;
}

/*
 * Push the node @enode covering [min, max] (a child of the top frame).
 * Return: an error that ends the walk; a node that is damaged (dead,
 * unreadable, corrupt, too deep) is not pushed and *@damage_ret set.
 */
static struct vmacore_error *iter_push(struct vmacore_vma_iter *it,
				       uint64_t enode, uint64_t min,
				       uint64_t max,
				       struct vmacore_error **damage_ret)
{
	struct vmacore_ctx *ctx = it->ctx;
	uint64_t node = enode & ~MAPLE_NODE_MASK, *bits;
	struct mnode *n;
	struct vmacore_error *err;
	bool added;

	*damage_ret = NULL;
	if (++it->nodes > MAPLE_NODES_MAX)
		return VMACORE_CORRUPT("maple tree has more than %lu nodes",
				       MAPLE_NODES_MAX);
	if (it->depth >= MAPLE_HEIGHT_MAX) {
		*damage_ret = VMACORE_CORRUPT("maple tree deeper than MAPLE_HEIGHT_MAX (%d) at node 0x%llx",
					      MAPLE_HEIGHT_MAX,
					      (unsigned long long)node);
		return NULL;
	}
	/*
	 * Nodes are 256-byte aligned: one entry per 4 KiB, a bit per node.
	 * A tree's nodes share slab pages, so the set stays small and the
	 * next node's entry is mostly the last one's (1M VMAs: 75,005 nodes
	 * in 4,874 entries; an entry a node cost 5% of the CPU time, 11 MB).
	 */
	err = addr_set_add(&it->seen, (node >> 12) + 1, 0, &bits, &added);
	if (err)
		return err;
	added = !(*bits & 1ULL << (node >> 8 & 15));
	*bits |= 1ULL << (node >> 8 & 15);
	if (!added) {
		*damage_ret = VMACORE_CORRUPT("maple node 0x%llx reached twice (a cycle)",
					      (unsigned long long)node);
		return NULL;
	}
	n = &it->stack[it->depth];
	if (!n->buf) {
		n->buf = malloc(ctx->l.mm.maple_node_size);
		if (!n->buf)
			return &vmacore_enomem;
	}
	err = mnode_read(ctx, enode, min, max, it->depth + 1, n);
	if (!err && mnode_dead(ctx, n))
		err = VMACORE_CORRUPT("maple node 0x%llx is dead (dump taken mid-update)",
					   (unsigned long long)n->addr);
	if (!err)
		err = check_depth(n, it->height);
	if (err == &vmacore_enomem)
		return err;
	if (err) {
		*damage_ret = err;
		return NULL;
	}
	it->depth++;
	return NULL;
}

struct vmacore_error *vmacore_vma_iter_create(struct vmacore_ctx *ctx,
					      uint64_t mm_addr,
					      struct vmacore_vma_iter **ret)
{
	struct vmacore_vma_iter *it;
	struct vmacore_error *err;
	uint64_t root, map_count = 0;

	it = calloc(1, sizeof(*it));
	if (!it)
		return &vmacore_enomem;
	it->ctx = ctx;
	it->mm = mm_addr;
	it->vma_buf = malloc(ctx->l.mm.vm_area_struct_size);
	if (!it->vma_buf) {
		free(it);
		return &vmacore_enomem;
	}
	err = tree_root(ctx, mm_addr, &root, &it->height);
	if (!err)
		err = read_field(ctx, mm_addr, &ctx->l.mm.mm_struct_map_count,
				 &map_count);
	it->map_count = (int32_t)map_count;
	if (!err && root) {
		struct vmacore_error *damage;

		/* a damaged root loses everything: that is no walk at all */
		if (xa_is_node(root)) {
			err = iter_push(it, root, 0, UINT64_MAX, &damage);
			if (!err)
				err = damage;
		} else {
			it->direct = root;
		}
	}
	if (err) {
		vmacore_vma_iter_destroy(it);
		return vmacore_error_prefix(err, "cannot walk mm_mt of mm 0x%llx",
					    (unsigned long long)mm_addr);
	}
	*ret = it;
	return NULL;
}

/*
 * The pivot of slot @i of @n did not fit (mnode_slot_range() failed): the
 * end of the range to give up, the first later pivot in [@lo, max], or
 * the node's max; *@next_ret is the slot after it.
 */
static uint64_t resync(const struct mnode *n, unsigned int i, uint64_t lo,
		       unsigned int *next_ret)
{
	unsigned int j;
	uint64_t piv;

	for (j = i + 1; j <= n->end; j++) {
		piv = j < n->npivots ? buf_u64(n->pivots, j) : n->max;
		if (!piv)
			piv = n->max;
		if (piv >= lo && piv <= n->max) {
			*next_ret = j + 1;
			return piv;
		}
	}
	*next_ret = n->end + 1;
	return n->max;
}

static struct vmacore_error *iter_next(struct vmacore_vma_iter *it,
				       struct vmacore_vma *ret)
{
	struct vmacore_ctx *ctx = it->ctx;
	struct vmacore_error *err, *damage;
	uint64_t lo, hi, entry;
	struct mnode *n;
	unsigned int i;

	if (it->direct) {
		entry = it->direct;
		it->direct = 0;
		/* mas_root(): a direct root entry covers index 0 only. */
		if (entry != XA_ZERO_ENTRY) {
			err = vma_from_slot(ctx, it->mm, entry, 0, 0,
					    it->vma_buf, ret);
			if (!err)
				return NULL;
			err = loss_add(it, true, 0, 0, err);
			if (err)
				return err;
		}
	}
	while (it->depth) {
		n = &it->stack[it->depth - 1];
		if (n->done || n->offset > n->end) {
			it->depth--;
			continue;
		}
		i = n->offset++;
		damage = mnode_slot_range(n, i, n->prev, &lo, &hi);
		if (damage) {
			/* a pivot out of order: lose up to the next that fits */
			lo = i ? n->prev + 1 : n->min;
			hi = resync(n, i, lo, &n->offset);
			n->prev = hi;
			if (hi == n->max)
				n->done = true;
			err = loss_add(it, true, lo, hi, damage);
			if (err)
				return err;
			continue;
		}
		n->prev = hi;
		if (hi == n->max)
			n->done = true;	/* nothing of this node lies beyond */
		entry = buf_u64(n->slots, i);
		if (!mnode_is_leaf(n)) {
			if (!entry || xa_is_internal(entry)) {
				damage = VMACORE_CORRUPT("maple node 0x%llx: slot %u holds 0x%llx, not a node",
							 (unsigned long long)n->addr,
							 i,
							 (unsigned long long)entry);
			} else {
				err = iter_push(it, entry, lo, hi, &damage);
				if (err)
					return err;
			}
			if (damage) {
				err = loss_add(it, true, lo, hi, damage);
				if (err)
					return err;
			}
			continue;
		}
		if (!entry || entry == XA_ZERO_ENTRY)
			continue;
		damage = vma_from_slot(ctx, it->mm, entry, lo, hi, it->vma_buf,
				       ret);
		if (damage)
			vmacore_error_prefix(damage, "in maple node 0x%llx slot %u",
					     (unsigned long long)n->addr, i);
		else if (ret->vm_start < it->last_end)
			damage = VMACORE_CORRUPT("vma 0x%llx at 0x%llx comes after one ending at 0x%llx",
						 (unsigned long long)ret->addr,
						 (unsigned long long)ret->vm_start,
						 (unsigned long long)it->last_end);
		if (damage) {
			err = loss_add(it, true, lo, hi, damage);
			if (err)
				return err;
			continue;
		}
		it->last_end = ret->vm_end;
		return NULL;
	}
	return &vmacore_stop;
}

struct vmacore_error *vmacore_vma_iter_next(struct vmacore_vma_iter *it,
					    struct vmacore_vma *ret)
{
	struct vmacore_error *err;

	if (it->stopped)
		return &vmacore_stop;
	if (it->failed)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "vma iterator used after an error");
	err = iter_next(it, ret);
	if (!err) {
		it->count++;
		return NULL;
	}
	if (err == &vmacore_stop &&
	    it->count != (uint64_t)(int64_t)it->map_count) {
		/* what the kernel counted and the tree holds disagree */
		err = loss_add(it, false, 0, 0,
			       VMACORE_CORRUPT("%llu VMAs read from mm_mt, map_count says %d",
						    (unsigned long long)it->count,
						    it->map_count));
		if (!err)
			err = &vmacore_stop;
	}
	if (err == &vmacore_stop) {
		it->stopped = true;
		return err;
	}
	it->failed = true;
	return vmacore_error_prefix(err, "cannot walk mm_mt of mm 0x%llx",
				    (unsigned long long)it->mm);
}

bool vmacore_vma_iter_partial(const struct vmacore_vma_iter *it)
{
	return it->nlosses > 0;
}

/*
 * vmacore_vma_find() - mtree_load(): descend from the root, in each node
 * taking the first slot whose pivot is >= @address.
 */
struct vmacore_error *vmacore_vma_find(struct vmacore_ctx *ctx,
				       uint64_t mm_addr, uint64_t address,
				       struct vmacore_vma *ret, bool *found_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	struct vmacore_vma vma;
	unsigned int height, depth = 0, i;
	uint64_t root, entry, lo = 0, hi = 0, prev, min = 0, max = UINT64_MAX;
	struct mnode n = { 0 };
	void *vbuf = NULL;

	*found_ret = false;
	err = tree_root(ctx, mm_addr, &root, &height);
	if (err)
		return err;
	if (!root)
		return NULL;
	vbuf = malloc(l->vm_area_struct_size);
	n.buf = malloc(l->maple_node_size);
	if (!vbuf || !n.buf) {
		err = &vmacore_enomem;
		goto out;
	}
	if (!xa_is_node(root)) {
		if (address || root == XA_ZERO_ENTRY)
			goto out;
		entry = root;
		goto found;
	}
	entry = root;
	for (;;) {
		err = mnode_read(ctx, entry, min, max, ++depth, &n);
		if (!err)
			err = check_depth(&n, height);
		if (err)
			goto out;
		if (mnode_dead(ctx, &n)) {
			err = VMACORE_CORRUPT("maple node 0x%llx is dead (dump taken mid-update)",
					      (unsigned long long)n.addr);
			goto out;
		}
		prev = 0;
		for (i = 0; i <= n.end; i++) {
			err = mnode_slot_range(&n, i, prev, &lo, &hi);
			if (err)
				goto out;
			if (address <= hi)
				break;
			prev = hi;
			if (hi == n.max)
				break;
		}
		if (i > n.end || address > hi || address < lo)
			goto out;	/* beyond the data: a gap */
		entry = buf_u64(n.slots, i);
		if (mnode_is_leaf(&n))
			break;
		if (!entry || xa_is_internal(entry)) {
			err = VMACORE_CORRUPT("maple node 0x%llx: slot %u holds 0x%llx, not a node",
					      (unsigned long long)n.addr, i,
					      (unsigned long long)entry);
			goto out;
		}
		min = lo;
		max = hi;
	}
	if (!entry || entry == XA_ZERO_ENTRY)
		goto out;
found:
	err = vma_from_slot(ctx, mm_addr, entry, lo, hi, vbuf, &vma);
	if (err)
		goto out;
	*ret = vma;
	*found_ret = true;
out:
	free(vbuf);
	free(n.buf);
	if (err)
		return vmacore_error_prefix(err, "cannot look up 0x%llx in mm_mt of mm 0x%llx",
					    (unsigned long long)address,
					    (unsigned long long)mm_addr);
	return NULL;
}
