/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rmap_internal.h - what interval_tree.c, page.c, pgtable.c, rmap.c and
 * coredump.c share.
 */
#ifndef VMACORE_RMAP_INTERNAL_H
#define VMACORE_RMAP_INTERNAL_H

#include "internal.h"

/*
 * struct it_desc - one instance of the kernel's INTERVAL_TREE_DEFINE(),
 * described at run time by member offsets instead of macro arguments.
 *
 * @rb_off: offset of the struct rb_node in the node struct (ITRB).
 * @subtree_last_off: offset of the unsigned long ITSUBTREE.
 * @vma_ptr_off: for anon_vma_chain, offset of the node's pointer to its
 *	VMA; -1 when the node is the vm_area_struct itself.
 * @vm_start_off, @vm_end_off, @vm_pgoff_off: in vm_area_struct, for
 *	ITSTART = vma_start_pgoff() = vm_pgoff and
 *	ITLAST = vma_last_pgoff() = vm_pgoff + vma_pages() - 1.
 * @rb_parent_off, @rb_right_off, @rb_left_off: in struct rb_node.
 * @root_node_off, @root_leftmost_off: in struct rb_root_cached.
 * @max_steps: bound on the node reads of one iteration (0: default).
 */
struct it_desc {
	const char *name;
	uint32_t rb_off;
	uint32_t subtree_last_off;
	int64_t vma_ptr_off;
	uint32_t vm_start_off;
	uint32_t vm_end_off;
	uint32_t vm_pgoff_off;
	uint32_t rb_parent_off;
	uint32_t rb_right_off;
	uint32_t rb_left_off;
	uint32_t root_node_off;
	uint32_t root_leftmost_off;
	uint64_t max_steps;
};

/* One node as the walk sees it (all addresses are of the node struct). */
struct it_node {
	uint64_t addr;
	uint64_t parent;
	uint64_t left;
	uint64_t right;
	uint64_t subtree_last;
	uint64_t vma;
	uint64_t start;
	uint64_t last;
};

struct it_iter {
	struct vmacore_ctx *ctx;
	const struct it_desc *desc;
	uint64_t start;
	uint64_t last;
	struct it_node node;	/* the last match */
	bool started;
	bool done;
	uint64_t root;		/* struct rb_root_cached address */
	uint64_t steps;
	/*
	 * @keep_going: a subtree the dump lost (NODATA, FAULT) is skipped and
	 * counted in @nlost (@lost: the first reason) instead of ending the
	 * walk; @resume: a search that lost a subtree goes on upward.
	 */
	bool keep_going;
	bool resume;
	uint64_t nlost;
	struct vmacore_error *lost;
};

/* interval_tree.c */
/* Node reads an iteration of the public interval iterator has made. */
uint64_t interval_iter_steps(const struct vmacore_interval_iter *vi);
void it_iter_init(struct it_iter *it, struct vmacore_ctx *ctx,
		  const struct it_desc *desc, uint64_t root, uint64_t start,
		  uint64_t last);
/* Next matching node, or &vmacore_stop. */
struct vmacore_error *it_iter_next(struct it_iter *it, struct it_node *ret);
void it_iter_deinit(struct it_iter *it);
/* rmap: skip the subtrees the dump lost (struct it_iter.keep_going). */
void interval_iter_keep_going(struct vmacore_interval_iter *vi);
/*
 * The subtrees skipped so far: their count, and the first reason (the
 * caller's to destroy; NULL when none).
 */
struct vmacore_error *interval_iter_take_lost(struct vmacore_interval_iter *vi,
					      uint64_t *n_ret);
struct vmacore_error *it_desc_imap(struct vmacore_ctx *ctx,
				   struct it_desc *ret);
struct vmacore_error *it_desc_anon(struct vmacore_ctx *ctx,
				   struct it_desc *ret);

/* page.c */
struct vmacore_error *rmap_mem_init(struct vmacore_ctx *ctx);
/* xa_load(mapping->i_pages, index) for a page cache folio; 0 if none. */
struct vmacore_error *page_cache_lookup(struct vmacore_ctx *ctx,
					uint64_t mapping, uint64_t index,
					uint64_t *folio_ret);

#define RMAP_MAX_HITS (1u << 20)
/* Interval-tree node reads in one rmap query, all trees together. */
#define RMAP_MAX_TREE_STEPS (1ull << 26)

#endif /* VMACORE_RMAP_INTERNAL_H */
