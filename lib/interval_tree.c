// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * interval_tree.c - the kernel's augmented rb-tree interval walk, once.
 *
 * include/linux/interval_tree_generic.h instantiates the same walk for
 * several node types with INTERVAL_TREE_DEFINE(); mm/interval_tree.c uses it
 * for address_space.i_mmap (vm_area_struct on shared.rb, keyed by
 * vma_start_pgoff()/vma_last_pgoff()) and for anon_vma.rb_root
 * (anon_vma_chain on rb, keyed by its VMA's pgoff range).  Offsets are only
 * known at run time here, so one walk takes a struct it_desc instead.
 *
 * The dump is untrusted: every child's parent pointer is checked, each
 * visited node's rb_subtree_last must be the maximum of its subtree (the
 * RB_DECLARE_CALLBACKS_MAX() invariant the pruning relies on), depth and
 * node reads are bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "rmap_internal.h"

#define IT_MAX_DEPTH 128	/* an rb-tree of 2^64 nodes is < 128 high */
#define IT_DEFAULT_MAX_STEPS (1ull << 24)

static struct vmacore_error *it_read_u64(struct it_iter *it, uint64_t addr,
					 uint64_t *ret, const char *what,
					 uint64_t node)
{
	struct vmacore_error *err = read_u64(it->ctx, addr, ret);

	if (err)
		return vmacore_error_prefix(err, "cannot read %s of %s node 0x%llx",
					    what, it->desc->name,
					    (unsigned long long)node);
	return NULL;
}

/* Read one node: its rb links, ITSUBTREE, and ITSTART/ITLAST of its VMA. */
static struct vmacore_error *it_read(struct it_iter *it, uint64_t addr,
				     struct it_node *n)
{
	const struct it_desc *d = it->desc;
	uint64_t rb = addr + d->rb_off, pc, vm_start, vm_end, pgoff, pages;
	uint64_t max = d->max_steps ? d->max_steps : IT_DEFAULT_MAX_STEPS;
	struct vmacore_error *err;

	if (++it->steps > max)
		return VMACORE_CORRUPT("%s tree: more than %llu node reads (cycle?)",
				       d->name, (unsigned long long)max);
	memset(n, 0, sizeof(*n));
	n->addr = addr;
	if ((err = it_read_u64(it, rb + d->rb_parent_off, &pc, "rb parent", addr)) ||
	    (err = it_read_u64(it, rb + d->rb_left_off, &n->left, "rb_left", addr)) ||
	    (err = it_read_u64(it, rb + d->rb_right_off, &n->right, "rb_right", addr)) ||
	    (err = it_read_u64(it, addr + d->subtree_last_off, &n->subtree_last,
			       "rb_subtree_last", addr)))
		return err;
	/* rb_parent(): the low two bits hold the colour */
	pc &= ~3ull;
	n->parent = pc ? pc - d->rb_off : 0;
	n->left = n->left ? n->left - d->rb_off : 0;
	n->right = n->right ? n->right - d->rb_off : 0;
	if (d->vma_ptr_off < 0) {
		n->vma = addr;
	} else {
		err = it_read_u64(it, addr + d->vma_ptr_off, &n->vma, "vma", addr);
		if (err)
			return err;
		if (!n->vma)
			return VMACORE_CORRUPT("%s node 0x%llx has no vma",
					       d->name, (unsigned long long)addr);
	}
	if ((err = it_read_u64(it, n->vma + d->vm_start_off, &vm_start,
			       "vm_start", addr)) ||
	    (err = it_read_u64(it, n->vma + d->vm_end_off, &vm_end,
			       "vm_end", addr)) ||
	    (err = it_read_u64(it, n->vma + d->vm_pgoff_off, &pgoff,
			       "vm_pgoff", addr)))
		return err;
	if (vm_end <= vm_start)
		return VMACORE_CORRUPT("%s node 0x%llx: vma 0x%llx has vm_start 0x%llx >= vm_end 0x%llx",
				       d->name, (unsigned long long)addr,
				       (unsigned long long)n->vma,
				       (unsigned long long)vm_start,
				       (unsigned long long)vm_end);
	/* vma_start_pgoff(), vma_last_pgoff(): mm/interval_tree.c */
	pages = (vm_end - vm_start) >> it->ctx->l.page_shift;
	n->start = pgoff;
	n->last = pgoff + (pages ? pages - 1 : 0);
	if (n->last < n->start)
		return VMACORE_CORRUPT("%s node 0x%llx: pgoff range wraps",
				       d->name, (unsigned long long)addr);
	return NULL;
}

/* Read a child and check that it names @parent as its parent. */
static struct vmacore_error *it_read_child(struct it_iter *it,
					   const struct it_node *parent,
					   uint64_t child, struct it_node *ret)
{
	struct vmacore_error *err = it_read(it, child, ret);

	if (err)
		return err;
	if (ret->parent != parent->addr)
		return VMACORE_CORRUPT("%s tree: node 0x%llx is a child of 0x%llx but names 0x%llx as parent",
				       it->desc->name,
				       (unsigned long long)child,
				       (unsigned long long)parent->addr,
				       (unsigned long long)ret->parent);
	return NULL;
}

/* A read the dump cannot answer, as opposed to a tree that is wrong. */
static bool it_lossable(const struct it_iter *it,
			const struct vmacore_error *err)
{
	return it->keep_going && err && err != &vmacore_enomem &&
	       (err->code == VMACORE_ERROR_NODATA ||
		err->code == VMACORE_ERROR_FAULT);
}

/*
 * A subtree could not be read: with keep_going it is a loss (counted, the
 * first reason kept) and the walk goes on without it; else the error.
 */
static struct vmacore_error *it_lose(struct it_iter *it,
				     struct vmacore_error *err)
{
	if (!it_lossable(it, err))
		return err;
	if (!it->nlost++)
		it->lost = err;
	else
		vmacore_error_destroy(err);
	return NULL;
}

/*
 * The augmented invariant (RB_DECLARE_CALLBACKS_MAX()): a node's
 * rb_subtree_last is the largest ITLAST in its subtree.  A smaller value
 * would make the pruning below skip matches, so it is corruption.  A child
 * the dump lost is left out (the walk loses it when it goes there).
 */
static struct vmacore_error *it_check_subtree_last(struct it_iter *it,
						   const struct it_node *n)
{
	uint64_t max = n->last, v, child[2] = { n->left, n->right };
	struct vmacore_error *err;
	bool unsure = false;
	int i;

	for (i = 0; i < 2; i++) {
		if (!child[i])
			continue;
		err = it_read_u64(it, child[i] + it->desc->subtree_last_off,
				  &v, "rb_subtree_last", child[i]);
		if (it_lossable(it, err)) {
			vmacore_error_destroy(err);
			unsure = true;
			continue;
		}
		if (err)
			return err;
		if (v > max)
			max = v;
	}
	if (unsure ? max > n->subtree_last : max != n->subtree_last)
		return VMACORE_CORRUPT("%s tree: node 0x%llx has rb_subtree_last 0x%llx, its subtree's last is 0x%llx",
				       it->desc->name,
				       (unsigned long long)n->addr,
				       (unsigned long long)n->subtree_last,
				       (unsigned long long)max);
	return NULL;
}

/*
 * ITPREFIX_subtree_search(), include/linux/interval_tree_generic.h: the
 * leftmost node of @node's subtree with Cond1 ITSTART(node) <= last and
 * Cond2 start <= ITLAST(node).  @node is updated; *@found_ret says whether
 * it is a match.
 */
static struct vmacore_error *it_subtree_search(struct it_iter *it,
					       struct it_node *node,
					       bool *found_ret)
{
	uint64_t nlost = it->nlost;
	struct it_node child;
	struct vmacore_error *err;
	int depth;

	/*
	 * Without a loss, "no match" here is final (the match Cond2 promised
	 * is in this subtree).  After one, it may have been in what was lost:
	 * it->resume has the walk go on upward from *@node, whose right
	 * subtree is done or lost.
	 */
	it->resume = false;
	for (depth = 0; depth < IT_MAX_DEPTH; depth++) {
		/* Loop invariant: start <= node->ITSUBTREE */
		err = it_check_subtree_last(it, node);
		if (err)
			return err;
		if (node->left) {
			err = it_read_child(it, node, node->left, &child);
			if (err) {
				/* lost: on as if there were no left subtree */
				err = it_lose(it, err);
				if (err)
					return err;
			} else if (it->start <= child.subtree_last) {
				/* Some nodes in the left subtree satisfy Cond2 */
				*node = child;
				continue;
			}
		}
		if (node->start <= it->last) {		/* Cond1 */
			if (it->start <= node->last) {	/* Cond2 */
				*found_ret = true;
				return NULL;
			}
			if (node->right) {
				err = it_read_child(it, node, node->right,
						    &child);
				if (err) {
					err = it_lose(it, err);
					if (err)
						return err;
				} else {
					*node = child;
					if (it->start <= node->subtree_last)
						continue;
				}
			}
		}
		*found_ret = false;	/* no match */
		it->resume = it->nlost != nlost;
		return NULL;
	}
	return VMACORE_CORRUPT("%s tree deeper than %d", it->desc->name,
			       IT_MAX_DEPTH);
}

static struct vmacore_error *it_next(struct it_iter *it, bool *found_ret,
				     bool right_done);

/* ITPREFIX_iter_first() */
static struct vmacore_error *it_first(struct it_iter *it, bool *found_ret)
{
	const struct it_desc *d = it->desc;
	uint64_t rb_node, rb_leftmost;
	struct it_node leftmost;
	struct vmacore_error *err;

	*found_ret = false;
	err = read_u64(it->ctx, it->root + d->root_node_off, &rb_node);
	if (!err)
		err = read_u64(it->ctx, it->root + d->root_leftmost_off,
			       &rb_leftmost);
	if (err)
		return it_lose(it, vmacore_error_prefix(err, "cannot read %s root 0x%llx",
							d->name,
							(unsigned long long)it->root));
	if (!rb_node)
		return NULL;
	err = it_read(it, rb_node - d->rb_off, &it->node);
	if (err)
		return it_lose(it, err);	/* the whole tree */
	if (it->node.parent)
		return VMACORE_CORRUPT("%s tree: root 0x%llx has parent 0x%llx",
				       d->name,
				       (unsigned long long)it->node.addr,
				       (unsigned long long)it->node.parent);
	/*
	 * Fast path: the root's ITSUBTREE is the largest ITLAST, the cached
	 * leftmost node has the smallest ITSTART.
	 */
	if (it->node.subtree_last < it->start)
		return NULL;
	if (rb_leftmost) {
		err = it_read(it, rb_leftmost - d->rb_off, &leftmost);
		if (it_lossable(it, err)) {
			/* only a shortcut: the walk meets that node anyway */
			vmacore_error_destroy(err);
		} else if (err) {
			return err;
		} else if (leftmost.start > it->last) {
			return NULL;
		}
	}
	err = it_subtree_search(it, &it->node, found_ret);
	if (err || *found_ret || !it->resume)
		return err;
	return it_next(it, found_ret, true);
}

/*
 * ITPREFIX_iter_next(): continue from the last match it->node, or with
 * @right_done from where a search that lost a subtree stopped.
 */
static struct vmacore_error *it_next(struct it_iter *it, bool *found_ret,
				     bool right_done)
{
	struct it_node *node = &it->node, child;
	struct vmacore_error *err;
	uint64_t rb = right_done ? 0 : node->right, prev;
	int up;

	*found_ret = false;
	for (;;) {
		/* Loop invariant: Cond1 ITSTART(node) <= last */
		if (rb) {
			err = it_read_child(it, node, rb, &child);
			if (err) {
				/* lost: on upward without it */
				err = it_lose(it, err);
				if (err)
					return err;
			} else if (it->start <= child.subtree_last) {
				*node = child;
				err = it_subtree_search(it, node, found_ret);
				if (err || *found_ret || !it->resume)
					return err;
			}
		}
		/* Move up the tree until we come from a node's left child */
		up = 0;
		do {
			if (++up > IT_MAX_DEPTH)
				return VMACORE_CORRUPT("%s tree deeper than %d",
						       it->desc->name,
						       IT_MAX_DEPTH);
			if (!node->parent)
				return NULL;
			prev = node->addr;
			err = it_read(it, node->parent, node);
			if (err)	/* the way up: the rest of the tree */
				return it_lose(it, err);
			if (node->left != prev && node->right != prev)
				return VMACORE_CORRUPT("%s tree: 0x%llx names 0x%llx as parent, which does not link back",
						       it->desc->name,
						       (unsigned long long)prev,
						       (unsigned long long)node->addr);
			rb = node->right;
		} while (prev == rb);

		/* Check if the node intersects [start;last] */
		if (it->last < node->start)		/* !Cond1 */
			return NULL;
		if (it->start <= node->last) {		/* Cond2 */
			*found_ret = true;
			return NULL;
		}
	}
}

void it_iter_init(struct it_iter *it, struct vmacore_ctx *ctx,
		  const struct it_desc *desc, uint64_t root, uint64_t start,
		  uint64_t last)
{
	memset(it, 0, sizeof(*it));
	it->ctx = ctx;
	it->desc = desc;
	it->root = root;
	it->start = start;
	it->last = last;
}

struct vmacore_error *it_iter_next(struct it_iter *it, struct it_node *ret)
{
	struct vmacore_error *err;
	bool found;

	if (it->done)
		return &vmacore_stop;
	if (it->start > it->last) {
		it->done = true;
		return &vmacore_stop;
	}
	if (!it->started) {
		it->started = true;
		err = it_first(it, &found);
	} else {
		err = it_next(it, &found, false);
	}
	if (err || !found) {
		it->done = true;
		return err ? err : &vmacore_stop;
	}
	*ret = it->node;
	return NULL;
}

void it_iter_deinit(struct it_iter *it)
{
	vmacore_error_destroy(it->lost);
	it->lost = NULL;
}

static struct vmacore_error *it_desc_common(struct vmacore_ctx *ctx,
					    struct it_desc *d)
{
	const struct layout_rmap *l = &ctx->l.rmap;
	const struct layout_mm *vl = &ctx->l.mm;

	if (!l->rb_node___rb_parent_color.present ||
	    !l->rb_node_rb_left.present || !l->rb_node_rb_right.present ||
	    !l->rb_root_cached_rb_node.present ||
	    !l->rb_root_cached_rb_leftmost.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no struct rb_node/rb_root_cached layout");
	if (!vl->vm_area_struct_vm_start.present ||
	    !vl->vm_area_struct_vm_end.present ||
	    !vl->vm_area_struct_vm_pgoff.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no vm_area_struct.vm_start/vm_end/vm_pgoff");
	d->rb_parent_off = l->rb_node___rb_parent_color.off;
	d->rb_left_off = l->rb_node_rb_left.off;
	d->rb_right_off = l->rb_node_rb_right.off;
	d->root_node_off = l->rb_root_cached_rb_node.off;
	d->root_leftmost_off = l->rb_root_cached_rb_leftmost.off;
	d->vm_start_off = vl->vm_area_struct_vm_start.off;
	d->vm_end_off = vl->vm_area_struct_vm_end.off;
	d->vm_pgoff_off = vl->vm_area_struct_vm_pgoff.off;
	return NULL;
}

/* vma_interval_tree, mm/interval_tree.c */
struct vmacore_error *it_desc_imap(struct vmacore_ctx *ctx, struct it_desc *ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;

	memset(ret, 0, sizeof(*ret));
	ret->name = "i_mmap";
	if (!l->vm_area_struct_shared_rb.present ||
	    !l->vm_area_struct_shared_rb_subtree_last.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no vm_area_struct.shared.rb");
	ret->rb_off = l->vm_area_struct_shared_rb.off;
	ret->subtree_last_off = l->vm_area_struct_shared_rb_subtree_last.off;
	ret->vma_ptr_off = -1;
	return it_desc_common(ctx, ret);
}

/* anon_vma_interval_tree, mm/interval_tree.c */
struct vmacore_error *it_desc_anon(struct vmacore_ctx *ctx, struct it_desc *ret)
{
	const struct layout_rmap *l = &ctx->l.rmap;

	memset(ret, 0, sizeof(*ret));
	ret->name = "anon_vma";
	if (!l->anon_vma_chain_rb.present ||
	    !l->anon_vma_chain_rb_subtree_last.present ||
	    !l->anon_vma_chain_vma.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no anon_vma_chain.rb");
	ret->rb_off = l->anon_vma_chain_rb.off;
	ret->subtree_last_off = l->anon_vma_chain_rb_subtree_last.off;
	ret->vma_ptr_off = l->anon_vma_chain_vma.off;
	return it_desc_common(ctx, ret);
}

/* The public iterator: a struct it_iter with its own descriptor. */
struct vmacore_interval_iter {
	struct it_desc desc;
	struct it_iter it;
};

uint64_t interval_iter_steps(const struct vmacore_interval_iter *vi)
{
	return vi->it.steps;
}

static struct vmacore_error *interval_iter_create(struct vmacore_ctx *ctx,
						  bool anon, uint64_t root,
						  uint64_t first, uint64_t last,
						  struct vmacore_interval_iter **ret)
{
	struct vmacore_interval_iter *vi = calloc(1, sizeof(*vi));
	struct vmacore_error *err;

	if (!vi)
		return &vmacore_enomem;
	err = anon ? it_desc_anon(ctx, &vi->desc) : it_desc_imap(ctx, &vi->desc);
	if (err) {
		free(vi);
		return err;
	}
	it_iter_init(&vi->it, ctx, &vi->desc, root, first, last);
	*ret = vi;
	return NULL;
}

struct vmacore_error *vmacore_imap_iter_create(struct vmacore_ctx *ctx,
					       uint64_t mapping, uint64_t first,
					       uint64_t last,
					       struct vmacore_interval_iter **ret)
{
	const struct field *f = &ctx->l.rmap.address_space_i_mmap;

	if (!f->present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no address_space.i_mmap");
	return interval_iter_create(ctx, false, mapping + f->off, first, last,
				    ret);
}

struct vmacore_error *vmacore_anon_iter_create(struct vmacore_ctx *ctx,
					       uint64_t anon_vma,
					       uint64_t first, uint64_t last,
					       struct vmacore_interval_iter **ret)
{
	const struct field *f = &ctx->l.rmap.anon_vma_rb_root;

	if (!f->present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no anon_vma.rb_root");
	return interval_iter_create(ctx, true, anon_vma + f->off, first, last,
				    ret);
}

struct vmacore_error *
vmacore_interval_iter_next(struct vmacore_interval_iter *vi,
			   struct vmacore_interval_hit *ret)
{
	struct it_node n;
	struct vmacore_error *err = it_iter_next(&vi->it, &n);

	if (err)
		return err;
	ret->node = n.addr;
	ret->vma = n.vma;
	ret->start = n.start;
	ret->last = n.last;
	return NULL;
}

void interval_iter_keep_going(struct vmacore_interval_iter *vi)
{
	vi->it.keep_going = true;
}

struct vmacore_error *interval_iter_take_lost(struct vmacore_interval_iter *vi,
					      uint64_t *n_ret)
{
	struct vmacore_error *err = vi->it.lost;

	*n_ret = vi->it.nlost;
	vi->it.lost = NULL;
	return err;
}

void vmacore_interval_iter_destroy(struct vmacore_interval_iter *vi)
{
	if (!vi)
		return;
	it_iter_deinit(&vi->it);
	free(vi);
}
