/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_rmap.h - the interval trees of the fake kernel: struct rb_node,
 * rb_root_cached, vm_area_struct.shared, address_space.i_mmap, anon_vma and
 * anon_vma_chain at offsets unlike any kernel's, shared by test_rmap.c and
 * test_interval_tree.c.  (fuzz/common.c has its own: not included there.)
 */
#ifndef FAKE_RMAP_H
#define FAKE_RMAP_H

#include "fake_kernel.h"

enum {
	RB_PARENT = 0, RB_RIGHT = 8, RB_LEFT = 16,
	RBC_NODE = 0, RBC_LEFTMOST = 8,
	AS_I_MMAP = 0x18, AS_SIZE = 0x80,
	AV_ROOT = 0x0, AV_RB_ROOT = 0x30, AV_SIZE = 0x80,
	AVC_VMA = 0x0, AVC_ANON_VMA = 0x8, AVC_SAME_VMA = 0x10,
	AVC_RB = 0x28, AVC_SUBTREE = 0x40, AVC_SIZE = 0x48,
};

#define VSUB (V_SHARED + 24)	/* shared.rb_subtree_last */

/* Declare the members above in @f. */
static inline void fake_layout_rmap(struct fake_target *f)
{
	fake_member(f, "rb_node", "__rb_parent_color", RB_PARENT, 8);
	fake_member(f, "rb_node", "rb_right", RB_RIGHT, 8);
	fake_member(f, "rb_node", "rb_left", RB_LEFT, 8);
	fake_member(f, "rb_root_cached", "rb_root.rb_node", RBC_NODE, 8);
	fake_member(f, "rb_root_cached", "rb_leftmost", RBC_LEFTMOST, 8);
	fake_member(f, "vm_area_struct", "shared.rb", V_SHARED, 24);
	fake_member(f, "vm_area_struct", "shared.rb_subtree_last", VSUB, 8);
	fake_member(f, "address_space", "i_mmap", AS_I_MMAP, 16);
	fake_member(f, "anon_vma", "root", AV_ROOT, 8);
	fake_member(f, "anon_vma", "rb_root", AV_RB_ROOT, 16);
	fake_member(f, "anon_vma_chain", "vma", AVC_VMA, 8);
	fake_member(f, "anon_vma_chain", "anon_vma", AVC_ANON_VMA, 8);
	fake_member(f, "anon_vma_chain", "same_vma", AVC_SAME_VMA, 16);
	fake_member(f, "anon_vma_chain", "rb", AVC_RB, 24);
	fake_member(f, "anon_vma_chain", "rb_subtree_last", AVC_SUBTREE, 8);
}

#endif /* FAKE_RMAP_H */
