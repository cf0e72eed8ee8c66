// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * coredump.c - what a core dump taken now would hold of each VMA.
 *
 * DOC: The core-dump verdict
 *
 * A core dump writes, for each VMA, vma_dump_size() bytes (fs/coredump.c;
 * the same function in 6.1, 6.12 and 7.x), decided in this order:
 *
 *   1. always_dump_vma(): the gate VMA (vsyscall page), a VMA whose
 *      vm_ops->name() gives a name (special mappings: [vdso], [vvar],
 *      [uprobes]...), or arch_vma_name() (NULL on x86) -> whole VMA;
 *   2. VM_DONTDUMP -> nothing;
 *   3. DAX (IS_DAX(inode): S_DAX in i_flags) -> whole VMA if the filter's
 *      DAX_SHARED/DAX_PRIVATE bit is set, else nothing;
 *   4. hugetlb (VM_HUGETLB) -> whole VMA per HUGETLB_SHARED/PRIVATE;
 *   5. VM_IO -> nothing;
 *   6. VM_SHARED -> whole VMA if ANON_SHARED (file's i_nlink == 0, i.e.
 *      shmem of MAP_SHARED|MAP_ANONYMOUS or a deleted file) or
 *      MAPPED_SHARED (a linked file) is set;
 *   7. private with an anon_vma (written to, COWed) and ANON_PRIVATE -> whole;
 *   8. private anonymous without anon_vma -> nothing;
 *   9. private file and MAPPED_PRIVATE -> whole;
 *  10. ELF_HEADERS, vm_pgoff == 0 and VM_READ: the first page if the file
 *      is executable (i_mode & 0111), else dump_vma_snapshot() reads the
 *      first SELFMAG bytes from user memory and dumps the page only if they
 *      are ELFMAG;
 *  11. otherwise nothing.
 *
 * The filter is the MMF_DUMP_* bits of the first word of mm->flags (a
 * bitmap since 6.18; __mm_flags_get_word() in 7.x).  VM_* values come from
 * the kernel's VMA_*_BIT enum when it has one, else from the dump's own
 * vmaflag_names[] table, else from include/linux/mm.h of 6.x.
 *
 * Step 10 reads the first bytes through the mm's page table; when the page
 * is not mapped, the kernel would fault it in from the page cache, so we
 * look there (address_space.i_pages, index 0).  A page that is in neither,
 * or whose frame the dump does not hold, gives UNKNOWN, never a guess.
 */
#include <stdio.h>
#include <string.h>

#include "rmap_internal.h"

/* include/linux/sched/coredump.h (6.1), include/linux/mm_types.h (7.x) */
enum {
	MMF_DUMP_ANON_PRIVATE = 2,
	MMF_DUMP_ANON_SHARED = 3,
	MMF_DUMP_MAPPED_PRIVATE = 4,
	MMF_DUMP_MAPPED_SHARED = 5,
	MMF_DUMP_ELF_HEADERS = 6,
	MMF_DUMP_HUGETLB_PRIVATE = 7,
	MMF_DUMP_HUGETLB_SHARED = 8,
	MMF_DUMP_DAX_PRIVATE = 9,
	MMF_DUMP_DAX_SHARED = 10,
};

/* include/linux/fs.h: S_DAX with CONFIG_FS_DAX */
static const uint64_t S_DAX = 1u << 13;
/* arch/x86/include/asm/mmu.h: MM_CONTEXT_HAS_VSYSCALL, bit 1 */
static const uint64_t MM_CONTEXT_HAS_VSYSCALL = 1u << 1;
/* vsyscall_mode: enum { EMULATE, XONLY, NONE } */
static const uint64_t VSYSCALL_NONE = 2;

static const char *const rule_names[] = {
	[VMACORE_DUMP_RULE_GATE] = "gate",
	[VMACORE_DUMP_RULE_VM_OPS_NAME] = "vm_ops-name",
	[VMACORE_DUMP_RULE_ARCH_NAME] = "arch-name",
	[VMACORE_DUMP_RULE_DONTDUMP] = "dontdump",
	[VMACORE_DUMP_RULE_DAX_SHARED] = "dax-shared",
	[VMACORE_DUMP_RULE_DAX_PRIVATE] = "dax-private",
	[VMACORE_DUMP_RULE_HUGETLB_SHARED] = "hugetlb-shared",
	[VMACORE_DUMP_RULE_HUGETLB_PRIVATE] = "hugetlb-private",
	[VMACORE_DUMP_RULE_IO] = "io",
	[VMACORE_DUMP_RULE_ANON_SHARED] = "anon-shared",
	[VMACORE_DUMP_RULE_MAPPED_SHARED] = "mapped-shared",
	[VMACORE_DUMP_RULE_ANON_PRIVATE] = "anon-private",
	[VMACORE_DUMP_RULE_NO_FILE] = "anon-untouched",
	[VMACORE_DUMP_RULE_MAPPED_PRIVATE] = "mapped-private",
	[VMACORE_DUMP_RULE_ELF_EXEC] = "elf-header-exec",
	[VMACORE_DUMP_RULE_ELF_MAGIC] = "elf-header-magic",
	[VMACORE_DUMP_RULE_ELF_NO_MAGIC] = "elf-header-no-magic",
	[VMACORE_DUMP_RULE_ELF_UNKNOWN] = "elf-header-unknown",
	[VMACORE_DUMP_RULE_DEFAULT] = "private-file",
};

const char *vmacore_dump_kind_name(enum vmacore_dump_kind kind)
{
	switch (kind) {
	case VMACORE_DUMP_NONE:		return "none";
	case VMACORE_DUMP_FULL:		return "full";
	case VMACORE_DUMP_FIRST_PAGE:	return "first-page";
	case VMACORE_DUMP_UNKNOWN:	return "unknown";
	}
	return "?";
}

/* vm_area_struct, mm_struct, file and inode members are in ctx->l.mm. */
struct vmacore_error *coredump_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_coredump *l = &ctx->l.coredump;
	struct vmacore_error *err;

	err = field_init(ctx, &l->vm_operations_struct_name,
			 "vm_operations_struct", "name");
	if (!err)
		err = symbol_or_zero(ctx, "gate_vma", &l->gate_vma);
	if (!err)
		err = symbol_or_zero(ctx, "special_mapping_name",
				     &l->special_mapping_name);
	if (!err)
		err = symbol_or_zero(ctx, "vsyscall_mode", &l->vsyscall_mode);
	l->have_vsyscall_mode = l->vsyscall_mode != 0;
	return err;
}

static void verdict(struct vmacore_coredump_verdict *v,
		    const struct vmacore_vma *vma, enum vmacore_dump_kind kind,
		    enum vmacore_dump_rule rule, int bit, const char *reason)
{
	v->kind = kind;
	v->rule = rule;
	v->rule_name = rule_names[rule];
	v->filter_bit = bit;
	switch (kind) {
	case VMACORE_DUMP_FULL:
		v->size = vma->vm_end - vma->vm_start;
		break;
	default:
		v->size = 0;	/* FIRST_PAGE: vmacore_coredump_vma() */
	}
	snprintf(v->reason, sizeof(v->reason), "%s", reason);
}

/* FILTER(type) of vma_dump_size(): whole VMA or nothing */
static void filtered(struct vmacore_coredump_verdict *v,
		     const struct vmacore_vma *vma, uint64_t mm_flags,
		     int bit, enum vmacore_dump_rule rule, const char *what)
{
	bool on = (mm_flags >> bit) & 1;
	char reason[96];

	snprintf(reason, sizeof(reason), "%s, coredump_filter bit %d %s",
		 what, bit - MMF_DUMP_ANON_PRIVATE, on ? "set" : "clear");
	verdict(v, vma, on ? VMACORE_DUMP_FULL : VMACORE_DUMP_NONE, rule, bit,
		reason);
}

/*
 * always_dump_vma(): vma->vm_ops && vma->vm_ops->name && vma->vm_ops->name(vma).
 * special_mapping_name() returns vm_special_mapping.name, which we can
 * read; any other name() function is assumed to return a name, as every
 * one in the kernel does.
 */
static struct vmacore_error *vm_ops_named(struct vmacore_ctx *ctx,
					  const struct vmacore_vma *vma,
					  bool *ret)
{
	const struct layout_coredump *l = &ctx->l.coredump;
	const struct layout_mm *ml = &ctx->l.mm;
	struct vmacore_error *err;
	uint64_t fn, priv, name;

	*ret = false;
	if (!vma->vm_ops)
		return NULL;
	if (!l->vm_operations_struct_name.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no vm_operations_struct.name");
	err = read_field(ctx, vma->vm_ops, &l->vm_operations_struct_name, &fn);
	if (err)
		return vmacore_error_prefix(err, "cannot read vm_ops 0x%llx",
					    (unsigned long long)vma->vm_ops);
	if (!fn)
		return NULL;
	if (fn == l->special_mapping_name &&
	    ml->vm_area_struct_vm_private_data.present &&
	    ml->vm_special_mapping_name.present) {
		err = read_field(ctx, vma->addr,
				 &ml->vm_area_struct_vm_private_data, &priv);
		if (!err)
			err = read_field(ctx, priv,
					 &ml->vm_special_mapping_name, &name);
		if (err)
			return vmacore_error_prefix(err, "cannot read the vm_special_mapping of vma 0x%llx",
						    (unsigned long long)vma->addr);
		*ret = name != 0;
		return NULL;
	}
	*ret = true;
	return NULL;
}

/* A page the dump does not have (NODATA, FAULT) sets *@why, no error. */
static struct vmacore_error *not_in_dump(struct vmacore_error *err,
					 const char **why, const char *reason)
{
	if (err->code != VMACORE_ERROR_NODATA &&
	    err->code != VMACORE_ERROR_FAULT)
		return err;
	vmacore_error_destroy(err);
	*why = reason;
	return NULL;
}

/*
 * The ELFMAG check of dump_vma_snapshot(): copy_from_user(vm_start, 4).
 * Sets *@known false when the page cannot be read from the dump.
 */
static struct vmacore_error *first_bytes(struct vmacore_ctx *ctx,
					 const struct vmacore_mm *mm,
					 const struct vmacore_vma *vma,
					 uint64_t inode, unsigned char *buf,
					 bool *known, const char **why)
{
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t mapping, folio, pfn;

	*known = false;
	err = vmacore_pgtable_lookup(ctx, mm->pgd, vma->vm_start, &pte);
	if (err)
		return not_in_dump(err, why, "unknown: page table not in dump");
	if (pte.present) {
		pfn = pte.pfn;
	} else if (pte.entry) {
		/* swapped out or migrating: the kernel would read swap */
		*why = "unknown: first page swapped out";
		return NULL;
	} else {
		/* not faulted in: the kernel would find it in the page cache */
		err = read_field(ctx, inode, &ctx->l.mm.inode_i_mapping,
				 &mapping);
		if (!err)
			err = page_cache_lookup(ctx, mapping, 0, &folio);
		if (!err && folio)
			err = vmacore_pfn_from_page(ctx, folio, &pfn);
		if (err) {
			vmacore_log(ctx, "vma 0x%llx: cannot look up the page cache: %s",
				    (unsigned long long)vma->addr,
				    err->message);
			vmacore_error_destroy(err);
			*why = "unknown: first page not mapped";
			return NULL;
		}
		if (!folio) {
			*why = "unknown: first page not in memory";
			return NULL;
		}
	}
	err = read_phys(ctx, pfn << ctx->l.page_shift, buf, 4);
	if (err)
		return not_in_dump(err, why, "unknown: page not in dump");
	*known = true;
	return NULL;
}

struct vmacore_error *
vmacore_coredump_vma(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		     const struct vmacore_vma *vma,
		     struct vmacore_coredump_verdict *ret)
{
	const struct layout_coredump *l = &ctx->l.coredump;
	const struct layout_mm *ml = &ctx->l.mm;
	const struct layout_vm_flags *vm = &ml->vm;
	uint64_t flags = vma->vm_flags, mm_flags = mm->flags;
	uint64_t inode = 0, v;
	struct vmacore_coredump_verdict r;
	struct vmacore_error *err;
	unsigned char magic[4];
	const char *why = "";
	bool named, known;

	memset(&r, 0, sizeof(r));
	if (vma->vm_end <= vma->vm_start)
		return VMACORE_CORRUPT("vma 0x%llx has vm_end <= vm_start",
				       (unsigned long long)vma->addr);

	/* always_dump_vma() */
	if (l->gate_vma && vma->addr == l->gate_vma) {
		verdict(&r, vma, VMACORE_DUMP_FULL, VMACORE_DUMP_RULE_GATE, -1,
			"always_dump_vma: gate vma");
		goto out;
	}
	err = vm_ops_named(ctx, vma, &named);
	if (err)
		return err;
	if (named) {
		verdict(&r, vma, VMACORE_DUMP_FULL,
			VMACORE_DUMP_RULE_VM_OPS_NAME, -1,
			"always_dump_vma: vma->vm_ops->name");
		goto out;
	}
	/* arch_vma_name() is NULL on x86 (arch/x86/mm/mmap.c) */

	if (flags & vm->dontdump) {
		verdict(&r, vma, VMACORE_DUMP_NONE, VMACORE_DUMP_RULE_DONTDUMP,
			-1, "VM_DONTDUMP");
		goto out;
	}

	if (vma->vm_file) {
		/* file_inode() */
		err = read_field(ctx, vma->vm_file, &ml->file_f_inode, &inode);
		if (err)
			return vmacore_error_prefix(err, "cannot read f_inode of file 0x%llx",
						    (unsigned long long)vma->vm_file);
		/* vma_is_dax(): IS_DAX(file_inode(vma->vm_file)) */
		err = read_field(ctx, inode, &ml->inode_i_flags, &v);
		if (err)
			return vmacore_error_prefix(err, "cannot read i_flags of inode 0x%llx",
						    (unsigned long long)inode);
		if (v & S_DAX) {
			if (flags & vm->shared)
				filtered(&r, vma, mm_flags, MMF_DUMP_DAX_SHARED,
					 VMACORE_DUMP_RULE_DAX_SHARED,
					 "DAX shared");
			else
				filtered(&r, vma, mm_flags,
					 MMF_DUMP_DAX_PRIVATE,
					 VMACORE_DUMP_RULE_DAX_PRIVATE,
					 "DAX private");
			goto out;
		}
	}

	/* is_vm_hugetlb_page() */
	if (flags & vm->hugetlb) {
		if (flags & vm->shared)
			filtered(&r, vma, mm_flags, MMF_DUMP_HUGETLB_SHARED,
				 VMACORE_DUMP_RULE_HUGETLB_SHARED,
				 "hugetlb shared");
		else
			filtered(&r, vma, mm_flags, MMF_DUMP_HUGETLB_PRIVATE,
				 VMACORE_DUMP_RULE_HUGETLB_PRIVATE,
				 "hugetlb private");
		goto out;
	}

	if (flags & vm->io) {
		verdict(&r, vma, VMACORE_DUMP_NONE, VMACORE_DUMP_RULE_IO, -1,
			"VM_IO");
		goto out;
	}

	if (flags & vm->shared) {
		if (!inode)
			return VMACORE_CORRUPT("shared vma 0x%llx has no file",
					       (unsigned long long)vma->addr);
		err = read_field(ctx, inode, &ml->inode_i_nlink, &v);
		if (err)
			return vmacore_error_prefix(err, "cannot read i_nlink of inode 0x%llx",
						    (unsigned long long)inode);
		if ((v & 0xffffffff) == 0)
			filtered(&r, vma, mm_flags, MMF_DUMP_ANON_SHARED,
				 VMACORE_DUMP_RULE_ANON_SHARED,
				 "shared, i_nlink == 0");
		else
			filtered(&r, vma, mm_flags, MMF_DUMP_MAPPED_SHARED,
				 VMACORE_DUMP_RULE_MAPPED_SHARED,
				 "shared file");
		goto out;
	}

	/* Dump segments that have been written to */
	if (vma->anon_vma && (mm_flags >> MMF_DUMP_ANON_PRIVATE) & 1) {
		filtered(&r, vma, mm_flags, MMF_DUMP_ANON_PRIVATE,
			 VMACORE_DUMP_RULE_ANON_PRIVATE, "private, anon_vma");
		goto out;
	}
	if (!vma->vm_file) {
		verdict(&r, vma, VMACORE_DUMP_NONE, VMACORE_DUMP_RULE_NO_FILE,
			vma->anon_vma ? MMF_DUMP_ANON_PRIVATE : -1,
			vma->anon_vma ? "private anon, coredump_filter bit 0 clear" :
			"private anon, never written (no anon_vma)");
		goto out;
	}
	if ((mm_flags >> MMF_DUMP_MAPPED_PRIVATE) & 1) {
		filtered(&r, vma, mm_flags, MMF_DUMP_MAPPED_PRIVATE,
			 VMACORE_DUMP_RULE_MAPPED_PRIVATE, "private file");
		goto out;
	}

	/* the beginning of an executable file mapping: its first page */
	if ((mm_flags >> MMF_DUMP_ELF_HEADERS) & 1 && vma->vm_pgoff == 0 &&
	    (flags & vm->read)) {
		err = read_field(ctx, inode, &ml->inode_i_mode, &v);
		if (err)
			return vmacore_error_prefix(err, "cannot read i_mode of inode 0x%llx",
						    (unsigned long long)inode);
		if (v & 0111) {
			verdict(&r, vma, VMACORE_DUMP_FIRST_PAGE,
				VMACORE_DUMP_RULE_ELF_EXEC, MMF_DUMP_ELF_HEADERS,
				"ELF headers: executable file, first page");
			goto out;
		}
		/* dump_vma_snapshot(): memcmp(elfmag, ELFMAG, SELFMAG) */
		err = first_bytes(ctx, mm, vma, inode, magic, &known, &why);
		if (err)
			return vmacore_error_prefix(err, "cannot read the first page of vma 0x%llx",
						    (unsigned long long)vma->addr);
		if (!known)
			verdict(&r, vma, VMACORE_DUMP_UNKNOWN,
				VMACORE_DUMP_RULE_ELF_UNKNOWN,
				MMF_DUMP_ELF_HEADERS, why);
		else if (!memcmp(magic, "\177ELF", 4))
			verdict(&r, vma, VMACORE_DUMP_FIRST_PAGE,
				VMACORE_DUMP_RULE_ELF_MAGIC,
				MMF_DUMP_ELF_HEADERS,
				"ELF headers: starts with ELFMAG, first page");
		else
			verdict(&r, vma, VMACORE_DUMP_NONE,
				VMACORE_DUMP_RULE_ELF_NO_MAGIC,
				MMF_DUMP_ELF_HEADERS,
				"ELF headers: no ELFMAG, nothing");
		goto out;
	}
	verdict(&r, vma, VMACORE_DUMP_NONE, VMACORE_DUMP_RULE_DEFAULT, -1,
		"private file, not written, no rule dumps it");
out:
	/* vma_dump_size(): PAGE_SIZE */
	if (r.kind == VMACORE_DUMP_FIRST_PAGE)
		r.size = ctx->l.page_size;
	*ret = r;
	return NULL;
}

struct vmacore_error *vmacore_coredump_gate_vma(struct vmacore_ctx *ctx,
						const struct vmacore_mm *mm,
						struct vmacore_vma *ret,
						bool *found_ret)
{
	const struct layout_coredump *l = &ctx->l.coredump;
	const struct layout_mm *ml = &ctx->l.mm;
	struct vmacore_error *err;
	uint32_t mode;
	uint64_t v;

	*found_ret = false;
	if (!l->gate_vma)
		return NULL;
	/* get_gate_vma(), arch/x86/entry/vsyscall/vsyscall_64.c */
	if (ml->mm_struct_context_flags.present) {
		err = read_field(ctx, mm->addr, &ml->mm_struct_context_flags,
				 &v);
		if (err)
			return vmacore_error_prefix(err, "cannot read context.flags of mm 0x%llx",
						    (unsigned long long)mm->addr);
		if (!(v & MM_CONTEXT_HAS_VSYSCALL))
			return NULL;
	}
	if (l->have_vsyscall_mode) {
		err = read_mem(ctx, l->vsyscall_mode, &mode, sizeof(mode));
		if (err)
			return vmacore_error_prefix(err, "cannot read vsyscall_mode");
		if (mode == VSYSCALL_NONE)
			return NULL;
	}
	err = vmacore_vma_read(ctx, l->gate_vma, ret);
	if (err)
		return vmacore_error_prefix(err, "cannot read gate_vma");
	*found_ret = true;
	return NULL;
}
