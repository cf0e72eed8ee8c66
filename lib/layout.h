/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * layout.h - the one table of struct layouts, resolved at context creation.
 *
 * Each topic owns one part and one *_layout_init() in its own file; fields
 * are named struct_member, as in crash and gcore.
 */
#ifndef VMACORE_LAYOUT_H
#define VMACORE_LAYOUT_H

#include "arch.h"

struct vmacore_ctx;

/* task.c */
struct layout_task {
	uint64_t init_task;		/* &init_task */
	struct field task_struct_tasks;
	struct field task_struct_pid;
	struct field task_struct_tgid;
	struct field task_struct_comm;
	struct field task_struct_mm;
	struct field task_struct_group_leader;
	struct field task_struct_signal;
	struct field task_struct_thread_node;	/* all three kernels */
	struct field task_struct_thread_group;	/* fallback, gone in 6.7 */
	struct field task_struct_fs;
	struct field task_struct_flags;		/* PF_KTHREAD, optional */
	struct field signal_struct_thread_head;
	/* One read covers [span_off, span_off + span_len) of a task_struct. */
	uint32_t span_off;
	uint32_t span_len;
};

/*
 * flags.c: the VM_* masks lib/ tests, each from VMA_<NAME>_BIT (7.x), else
 * the dump's vmaflag_names[], else include/linux/mm.h (unchanged 2.6-6.x).
 */
struct layout_vm_flags {
	uint64_t read, write, exec, shared, mayshare;
	uint64_t io, hugetlb, dontdump;
};

/* mm.c, maple.c, vma.c, path.c, flags.c */
struct layout_mm {
	/* mm.c */
	struct field mm_struct_mm_mt;
	struct field mm_struct_pgd;
	struct field mm_struct_map_count;
	struct field mm_struct_total_vm;
	struct field mm_struct_flags;	/* unsigned long, or mm_flags_t */
	struct field mm_struct_start_brk;
	struct field mm_struct_brk;
	struct field mm_struct_start_stack;
	struct field mm_struct_context_vdso;
	struct field mm_struct_context_flags;	/* optional, not in the span */
	uint32_t mm_span_off;
	uint32_t mm_span_len;

	/* maple.c */
	struct field maple_tree_ma_root;
	struct field maple_tree_ma_flags;
	uint64_t maple_node_size;
	struct field maple_node_parent;
	struct field maple_node_slot;		/* dense */
	struct field maple_node_mr64;
	struct field maple_node_ma64;
	struct field maple_range_64_pivot;
	struct field maple_range_64_slot;
	struct field maple_range_64_meta;
	struct field maple_arange_64_pivot;
	struct field maple_arange_64_slot;
	struct field maple_arange_64_meta;
	struct field maple_metadata_end;
	int64_t maple_dense, maple_leaf_64, maple_range_64, maple_arange_64;

	/* vma.c */
	uint64_t vm_area_struct_size;
	struct field vm_area_struct_vm_start;
	struct field vm_area_struct_vm_end;
	struct field vm_area_struct_vm_mm;
	struct field vm_area_struct_vm_flags;
	struct field vm_area_struct_vm_pgoff;
	struct field vm_area_struct_vm_file;
	struct field vm_area_struct_vm_ops;
	struct field vm_area_struct_anon_vma;
	struct field vm_area_struct_anon_name;
	struct field vm_area_struct_vm_private_data;
	struct field vm_area_struct_shared;
	/* anon_name is valid for file VMAs ([anon_shmem:NAME]). */
	bool anon_name_on_files;
	/* vma_is_initial_heap(): vm_start < brk (else <=, show_map_vma 6.1) */
	bool heap_rule_strict;
	struct field anon_vma_name_name;
	struct field vm_special_mapping_name;
	uint64_t special_mapping_vmops;		/* 0 if unknown */

	/* path.c */
	uint64_t dentry_size;
	struct field file_f_path_mnt;
	struct field file_f_path_dentry;
	struct field file_f_inode;
	struct field file_f_mode;
	struct field backing_file_user_path_mnt;	/* 6.8+, overlayfs */
	struct field backing_file_user_path_dentry;
	struct field dentry_d_parent;
	struct field dentry_d_name_name;
	struct field dentry_d_name_len;
	struct field dentry_d_hash_pprev;
	struct field dentry_d_op;
	struct field dentry_d_inode;
	struct field dentry_operations_d_dname;
	struct field mount_mnt;
	struct field mount_mnt_parent;
	struct field mount_mnt_mountpoint;
	struct field vfsmount_mnt_root;
	struct field inode_i_sb;
	struct field inode_i_ino;
	/* optional; read by coredump.c and rmap.c */
	struct field file_f_mapping;
	struct field inode_i_nlink;
	struct field inode_i_mode;
	struct field inode_i_flags;
	struct field inode_i_mapping;
	struct field super_block_s_dev;
	/* d_op->d_dname implementations we reproduce (0 if absent). */
	uint64_t simple_dname;
	uint64_t anon_inodefs_dname;
	uint64_t pipefs_dname;
	uint64_t sockfs_dname;

	/* flags.c */
	struct layout_vm_flags vm;
};

/* rmap.c, interval_tree.c, pgtable.c, page.c */
struct layout_rmap {
	/* struct rb_node, struct rb_root_cached */
	struct field rb_node___rb_parent_color;
	struct field rb_node_rb_right;
	struct field rb_node_rb_left;
	struct field rb_root_cached_rb_node;	/* rb_root.rb_node */
	struct field rb_root_cached_rb_leftmost;
	/*
	 * struct vm_area_struct: the i_mmap interval tree (its keys vm_start,
	 * vm_end, vm_pgoff are in layout_mm)
	 */
	struct field vm_area_struct_shared_rb;
	struct field vm_area_struct_shared_rb_subtree_last;
	struct field vm_area_struct_anon_vma_chain;
	/* struct anon_vma_chain, struct anon_vma */
	struct field anon_vma_chain_vma;
	struct field anon_vma_chain_anon_vma;
	struct field anon_vma_chain_same_vma;
	struct field anon_vma_chain_rb;
	struct field anon_vma_chain_rb_subtree_last;
	struct field anon_vma_root;
	struct field anon_vma_parent;
	struct field anon_vma_rb_root;
	struct field anon_vma_num_children;
	struct field anon_vma_num_active_vmas;
	/* struct address_space, xarray */
	struct field address_space_i_mmap;
	struct field address_space_host;
	struct field address_space_i_pages;
	struct field address_space_nrpages;
	struct field xarray_xa_head;
	struct field xa_node_shift;
	struct field xa_node_slots;
	/* struct page, struct folio */
	uint64_t page_struct_size;
	struct field page_flags;
	struct field page_compound_head;	/* <= 6.x */
	struct field page_compound_info;	/* 7.x */
	struct field page_mapping;
	struct field page_page_type;
	struct field page_compound_dtor;	/* 6.1: hugetlb test */
	struct field folio_flags;
	struct field folio_mapping;
	struct field folio_index;
	struct field folio__folio_nr_pages;	/* 6.1, 6.12 */
	struct field folio__nr_pages;		/* 7.x */
	struct field folio__folio_order;	/* 6.1 */
	struct field folio__flags_1;		/* 6.12+: order in bits 0-7 */
	bool have_pg_head;
	int64_t pg_head;
	bool have_pgty_hugetlb;
	int64_t pgty_hugetlb;
	bool have_pg_hugetlb;
	int64_t pg_hugetlb;
	bool have_pg_slab;
	int64_t pg_slab;
	bool have_pgty_enum;	/* PGTY_* page types (6.10+) */
	int64_t pgty_mapcount_underflow;
	bool have_hugetlb_page_dtor;
	int64_t hugetlb_page_dtor;
	/* hugetlb folio->index counts huge pages (hugetlb_basepage_index()) */
	bool hugetlb_index_huge_units;
	/* struct ksm_stable_node, struct ksm_rmap_item */
	struct field ksm_stable_node_hlist;
	struct field ksm_stable_node_rmap_hlist_len;
	struct field ksm_rmap_item_hlist;
	struct field ksm_rmap_item_anon_vma;
	struct field ksm_rmap_item_mm;
	struct field ksm_rmap_item_address;
	/* Resolved on first use (they need memory reads): page.c, pgtable.c */
	bool mem_done;
	uint64_t vmemmap_base;
	uint64_t min_low_pfn;	/* first pfn of memory; 0 on x86_64 */
	uint64_t max_pfn;	/* 0: unknown */
};

/*
 * arch.c, arch_x86_64.c, arch_arm64.c: the dumped kernel's architecture and
 * its page-table format (see arch.h).
 */
struct layout_arch {
	const struct arch_ops *ops;
	/* x86_64: pgtable_l5_enabled(), read on first use (mem_init) */
	bool x86_la57;
	/*
	 * arm64: the TTBR0 (user) region is 2^va_bits bytes (64 - T0SZ, and
	 * Linux sets T0SZ = T1SZ); walked in @levels levels of the granule
	 * PAGE_SIZE, the top one of @top_entries entries.
	 */
	unsigned int arm64_va_bits;
	unsigned int arm64_levels;
	uint64_t arm64_top_entries;
	enum arm64_oa arm64_oa;
	/*
	 * PTE_PRESENT_INVALID overlays nG (bit 11), and PTE_PROT_NONE (bit 58)
	 * and PMD_PRESENT_INVALID (bit 59) are gone, with the swap layout
	 * that frees bit 11: Linux 6.10's "arm64/mm: Move
	 * PTE_PRESENT_INVALID to overlay PTE_NG", probed in arch_arm64.c);
	 * known: the probe could be made
	 */
	bool arm64_present_invalid_known;
	bool arm64_present_invalid_ng;
	/* VMCOREINFO NUMBER(kimage_voffset), NUMBER(PHYS_OFFSET) (0: none) */
	uint64_t arm64_kimage_voffset;
	uint64_t arm64_phys_offset;
};

/* coredump.c */
struct layout_coredump {
	/* vm_area_struct, mm_struct, file and inode members: in layout_mm */
	struct field vm_operations_struct_name;
	/* VM_* masks: in layout_mm.vm */
	/* gate_vma, vsyscall_mode (arch/x86/entry/vsyscall/vsyscall_64.c) */
	uint64_t gate_vma;
	uint64_t special_mapping_name;
	uint64_t vsyscall_mode;
	bool have_vsyscall_mode;
};

/* smaps.c: resolved on first use (smaps_layout_init()) */
struct layout_smaps {
	bool done;
	struct field page__refcount;
	struct field page__mapcount;
	struct field page_compound_mapcount;	/* 6.1: in the first tail */
	struct field folio__entire_mapcount;	/* 6.3+ */
	struct field folio__large_mapcount;	/* 6.10+ */
	struct field super_block_s_fs_info;
	struct field hugetlbfs_sb_info_hstate;
	struct field hstate_order;
	struct field cpuinfo_x86_x86_capability;
	int64_t pg_dirty, pg_referenced, pg_swapbacked;
	int64_t pg_young, pg_double_map;	/* -1: not in this kernel */
	int64_t thp_flag, thp_req_madv_flag, thp_never_dax;	/* -1: none */
	bool have_thp_flags;
	uint64_t transparent_hugepage_flags;
	bool have_anon_orders;	/* huge_anon_orders_* (mTHP, 6.8+) */
	uint64_t anon_orders_always, anon_orders_madvise, anon_orders_inherit;
	bool have_huge_zero_pfn;
	uint64_t huge_zero_pfn;
	uint64_t highest_memmap_pfn;	/* 0: unknown */
	uint64_t nr_swapfiles;
	bool has_ksm_line;
	bool pkeys;
	/* VM_* masks by their vmaflag_names[] names (0: none here) */
	uint64_t vm_pfnmap, vm_mixedmap, vm_io, vm_dontexpand, vm_locked;
	uint64_t vm_hugepage, vm_nohugepage, vm_growsdown, vm_growsup;
	uint64_t vm_hugetlb, vm_mayshare, vm_pkey_mask;
	unsigned int vm_pkey_shift;
	/* mm->rss_stat: atomic_long_t count[] (<= 6.1) or percpu_counter[] */
	bool rss_done;
	struct field mm_struct_rss_stat;
	struct field percpu_counter_count;
	struct field percpu_counter_counters;
	uint64_t percpu_counter_size;
	int64_t mm_counter[4];	/* MM_FILEPAGES, ANON, SHMEM, SWAPENTS */
};

struct vmacore_layout {
	/* ctx.c: VMCOREINFO PAGESIZE (else x86_64's 4096) */
	uint64_t page_size;
	uint32_t page_shift;
	bool page_size_known;	/* PAGESIZE was in VMCOREINFO */
	/*
	 * ctx.c: VMCOREINFO NUMBER(sme_mask); without VMCOREINFO, page.c
	 * reads sme_me_mask on first use (have_sme_mask then set)
	 */
	bool have_sme_mask;
	uint64_t sme_mask;
	struct layout_task task;
	struct layout_mm mm;
	struct layout_rmap rmap;
	struct layout_coredump coredump;
	struct layout_arch arch;
	struct layout_smaps smaps;
};

struct vmacore_error *task_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *mm_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *rmap_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *coredump_layout_init(struct vmacore_ctx *ctx);

#endif /* VMACORE_LAYOUT_H */
