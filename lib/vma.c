// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - struct vm_area_struct and its /proc/PID/maps line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

/* MINORBITS, include/linux/kdev_t.h: the kernel's internal dev_t. */
#define MINORBITS	20
#define MINORMASK	((1U << MINORBITS) - 1)

static bool fields_overlap(const struct field *a, const struct field *b)
{
	return a->present && b->present && a->off < b->off + b->size &&
	       b->off < a->off + a->size;
}

#define F(type, member, name, required) \
	{ &ctx->l.mm.name, type, member, required }
#define VMA(member, required) \
	F("vm_area_struct", #member, vm_area_struct_##member, required)

struct vmacore_error *vma_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_mm *l = &ctx->l.mm;
	const struct field_spec fields[] = {
		VMA(vm_start, true),
		VMA(vm_end, true),
		VMA(vm_mm, true),
		VMA(vm_flags, false),
		VMA(vm_pgoff, true),
		VMA(vm_file, true),
		VMA(vm_ops, true),
		VMA(anon_vma, false),
		VMA(anon_name, false),
		VMA(vm_private_data, false),
		VMA(shared, false),
		F("anon_vma_name", "name", anon_vma_name_name, false),
		F("vm_special_mapping", "name", vm_special_mapping_name, false),
	};
	struct vmacore_error *err;
	uint64_t addr;

	if ((err = type_size_init(ctx, &l->vm_area_struct_size,
				  "vm_area_struct", true)) ||
	    (err = fields_init(ctx, fields, ARRAY_SIZE(fields))))
		return vmacore_error_prefix(err, "cannot resolve vm_area_struct");
	/*
	 * vm_flags: a plain member in 6.1, "const vm_flags_t vm_flags" in an
	 * anonymous union (with __vm_flags) in 6.12, and in a union with
	 * vma_flags_t flags (a bitmap whose first word it is) in 7.x.
	 */
	if (!l->vm_area_struct_vm_flags.present) {
		err = field_require(ctx, &l->vm_area_struct_vm_flags,
				    "vm_area_struct", "flags");
		if (err)
			return vmacore_error_prefix(err, "cannot find vm_flags");
	}
	if (l->vm_area_struct_vm_flags.size < 8)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "vm_area_struct.vm_flags has %u bytes",
					    l->vm_area_struct_vm_flags.size);
	l->vm_area_struct_vm_flags.size = 8;
	if (l->vm_area_struct_size > 64 * 1024)
		return VMACORE_CORRUPT("struct vm_area_struct has %llu bytes",
				       (unsigned long long)l->vm_area_struct_size);

	/*
	 * Which anon_vma_name() and show_map_vma() rules this kernel has.
	 * In 6.1 anon_name shares a union with shared.rb and means something
	 * only for anonymous VMAs; "mm: anonymous shared memory naming"
	 * (v6.7; 6.12 and 7.x here) moved it out of the union and made
	 * get_vma_name() print [anon_shmem:NAME] for named shmem files.
	 */
	l->anon_name_on_files = l->vm_area_struct_anon_name.present &&
		!fields_overlap(&l->vm_area_struct_anon_name,
				&l->vm_area_struct_shared);
	/*
	 * [heap]: 6.1's show_map_vma() tests vm_start <= brk && vm_end >=
	 * start_brk; Linux kernel commit 11250fd12eb8 ("mm: factor out VMA
	 * stack and heap checks") (in v6.6) made it vma_is_initial_heap(),
	 * vm_start < brk && vm_end > start_brk.  That commit changed static
	 * inlines only: no symbol, member or enumerator marks it.  So the
	 * rule is assumed: the old one if anon_name still shares a union with
	 * shared.rb (moved in v6.7: wrong for v6.6 only), else the new one;
	 * a VMA whose name the two rules disagree on says so (heap_name()).
	 */
	if (l->vm_area_struct_anon_name.present)
		l->heap_rule_strict = l->anon_name_on_files;
	else
		l->heap_rule_strict = true;

	err = symbol_addr(ctx, "special_mapping_vmops", &addr, NULL);
	if (error_catch(&err, VMACORE_ERROR_LOOKUP)) {
		vmacore_log(ctx, "no symbol special_mapping_vmops: [vdso] and other special mappings will not be named");
		addr = 0;
	} else if (err) {
		return err;
	}
	l->special_mapping_vmops = addr;
	return flags_table_init(ctx);
}

#undef VMA
#undef F

struct vmacore_error *vma_buf_read(struct vmacore_ctx *ctx, uint64_t addr,
				   void *buf)
{
	struct vmacore_error *err;

	err = read_mem(ctx, addr, buf, ctx->l.mm.vm_area_struct_size);
	if (err)
		return vmacore_error_prefix(err, "cannot read vma 0x%llx",
					    (unsigned long long)addr);
	return NULL;
}

void vma_buf_decode(struct vmacore_ctx *ctx, uint64_t addr, const void *buf,
		    struct vmacore_vma *ret)
{
	const struct layout_mm *l = &ctx->l.mm;

	memset(ret, 0, sizeof(*ret));
	ret->addr = addr;
	ret->vm_start = field_get(buf, &l->vm_area_struct_vm_start);
	ret->vm_end = field_get(buf, &l->vm_area_struct_vm_end);
	ret->vm_flags = field_get(buf, &l->vm_area_struct_vm_flags);
	ret->vm_pgoff = field_get(buf, &l->vm_area_struct_vm_pgoff);
	ret->vm_file = field_get(buf, &l->vm_area_struct_vm_file);
	ret->vm_ops = field_get(buf, &l->vm_area_struct_vm_ops);
	ret->vm_mm = field_get(buf, &l->vm_area_struct_vm_mm);
	if (l->vm_area_struct_anon_vma.present)
		ret->anon_vma = field_get(buf, &l->vm_area_struct_anon_vma);
	if (l->vm_area_struct_vm_private_data.present)
		ret->vm_private_data =
			field_get(buf, &l->vm_area_struct_vm_private_data);
	/*
	 * anon_vma_name(), mm/madvise.c 6.1: the union member is a name
	 * only for anonymous VMAs.
	 */
	if (l->vm_area_struct_anon_name.present &&
	    (l->anon_name_on_files || !ret->vm_file))
		ret->anon_name = field_get(buf, &l->vm_area_struct_anon_name);
}

struct vmacore_error *vmacore_vma_read(struct vmacore_ctx *ctx,
				       uint64_t vma_addr,
				       struct vmacore_vma *ret)
{
	struct vmacore_error *err;
	void *buf = malloc(ctx->l.mm.vm_area_struct_size);

	if (!buf)
		return &vmacore_enomem;
	err = vma_buf_read(ctx, vma_addr, buf);
	if (!err)
		vma_buf_decode(ctx, vma_addr, buf, ret);
	free(buf);
	return err;
}

/* "[anon:NAME]" or "[anon_shmem:NAME]" from a struct anon_vma_name. */
static struct vmacore_error *anon_name_fmt(struct vmacore_ctx *ctx,
					   const char *fmt, uint64_t anon_name,
					   struct vmacore_maps_line *ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	char name[256];
	bool cut;

	if (!l->anon_vma_name_name.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "kernel has no anon_vma_name.name");
	/* anon_vma_name_alloc() callers limit names to 80 bytes. */
	err = read_cstring(ctx, anon_name + l->anon_vma_name_name.off, name,
			   sizeof(name), &cut);
	if (err)
		return vmacore_error_prefix(err, "cannot read anon_vma_name 0x%llx",
					    (unsigned long long)anon_name);
	if (cut)
		ret->partial = true;
	snprintf(ret->name, sizeof(ret->name), fmt, name);
	return NULL;
}

/* special_mapping_name(), mm/mmap.c: vm_private_data->name. */
static struct vmacore_error *special_name(struct vmacore_ctx *ctx,
					  const struct vmacore_vma *vma,
					  struct vmacore_maps_line *ret,
					  bool *named_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	uint64_t name;
	bool cut;

	*named_ret = false;
	if (!l->vm_special_mapping_name.present || !vma->vm_private_data)
		return NULL;
	err = read_field(ctx, vma->vm_private_data, &l->vm_special_mapping_name,
			 &name);
	if (err)
		return vmacore_error_prefix(err, "cannot read vm_special_mapping 0x%llx",
					    (unsigned long long)vma->vm_private_data);
	if (!name)
		return NULL;
	err = read_cstring(ctx, name, ret->name, sizeof(ret->name), &cut);
	if (err)
		return vmacore_error_prefix(err, "cannot read special mapping name");
	if (cut)
		ret->partial = true;
	*named_ret = true;
	return NULL;
}

static struct vmacore_error *file_dev_ino(struct vmacore_ctx *ctx,
					  uint64_t file,
					  struct vmacore_maps_line *ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	uint64_t inode, sb, dev, mnt, dentry;
	bool backing;

	/* file_user_inode() (file_inode() in 6.1), i_sb->s_dev, i_ino */
	err = file_user_path(ctx, file, &mnt, &dentry, &backing);
	if (!err && backing) {
		if (!dentry)
			err = VMACORE_CORRUPT("backing file 0x%llx has no user path",
					      (unsigned long long)file);
		else
			err = read_field(ctx, dentry, &l->dentry_d_inode,
					 &inode);
	} else if (!err) {
		err = read_field(ctx, file, &l->file_f_inode, &inode);
	}
	if (!err && !inode)
		err = VMACORE_CORRUPT("file 0x%llx has no inode",
				      (unsigned long long)file);
	if (!err)
		err = read_field(ctx, inode, &l->inode_i_sb, &sb);
	if (!err)
		err = read_field(ctx, inode, &l->inode_i_ino, &ret->ino);
	if (!err && !sb)
		err = VMACORE_CORRUPT("inode 0x%llx has no super block",
				      (unsigned long long)inode);
	if (!err)
		err = read_field(ctx, sb, &l->super_block_s_dev, &dev);
	if (err)
		return vmacore_error_prefix(err, "cannot read inode of file 0x%llx",
					    (unsigned long long)file);
	ret->dev_major = (uint32_t)dev >> MINORBITS;	/* MAJOR() */
	ret->dev_minor = (uint32_t)dev & MINORMASK;	/* MINOR() */
	return NULL;
}

/*
 * Whether show_map_vma() names @vma "[heap]".  Where the kernel's two
 * rules disagree (a VMA that touches brk or start_brk) the one assumed in
 * vma_layout_init() decides, and @ret->assumed says so (the log too).
 */
static bool heap_name(struct vmacore_ctx *ctx, const struct vmacore_mm *mm,
		      const struct vmacore_vma *vma,
		      struct vmacore_maps_line *ret)
{
	static const char *const rule[] = {
		"[heap]: vm_start <= brk && vm_end >= start_brk (show_map_vma() before v6.6), assumed: anon_name is in its pre-v6.7 union and no symbol marks the v6.6 change",
		"[heap]: vma_is_initial_heap(), vm_start < brk && vm_end > start_brk (v6.6+), assumed: anon_name is not in its pre-v6.7 union and no symbol marks the v6.6 change",
	};
	bool strict = vma->vm_start < mm->brk && vma->vm_end > mm->start_brk;
	bool loose = vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk;
	bool heap = ctx->l.mm.heap_rule_strict ? strict : loose;

	if (strict != loose) {
		ret->assumed = rule[ctx->l.mm.heap_rule_strict];
		/* each time: every answer that shows the name says why */
		vmacore_log(ctx, "vma 0x%llx at brk or start_brk: %s",
			    (unsigned long long)vma->addr, ret->assumed);
	}
	if (heap)
		snprintf(ret->name, sizeof(ret->name), "[heap]");
	return heap;
}

void vmacore_vma_perms(struct vmacore_ctx *ctx, uint64_t vm_flags,
		       char buf[5])
{
	const struct layout_vm_flags *vm = &ctx->l.mm.vm;

	/* show_vma_header_prefix(), fs/proc/task_mmu.c */
	buf[0] = vm_flags & vm->read ? 'r' : '-';
	buf[1] = vm_flags & vm->write ? 'w' : '-';
	buf[2] = vm_flags & vm->exec ? 'x' : '-';
	buf[3] = vm_flags & vm->mayshare ? 's' : 'p';
	buf[4] = '\0';
}

/*
 * vmacore_vma_maps_line() - show_map_vma() and get_vma_name(),
 * fs/proc/task_mmu.c.  Failures to read the name leave "?" in it, set
 * @partial and go to the log; failures of the dev/ino part are errors.
 */
struct vmacore_error *vmacore_vma_maps_line(struct vmacore_ctx *ctx,
					    const struct vmacore_mm *mm,
					    const struct vmacore_vma *vma,
					    struct vmacore_maps_line *ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err = NULL;
	bool named;

	memset(ret, 0, offsetof(struct vmacore_maps_line, name));
	ret->name[0] = '\0';
	vmacore_vma_perms(ctx, vma->vm_flags, ret->perms);

	if (vma->vm_file) {
		err = file_dev_ino(ctx, vma->vm_file, ret);
		if (err)
			return err;
		ret->pgoff = vma->vm_pgoff << ctx->l.page_shift;
		/* [anon_shmem:NAME]: shmem named by prctl(PR_SET_VMA) */
		if (l->anon_name_on_files && vma->anon_name)
			err = anon_name_fmt(ctx, "[anon_shmem:%s]",
					    vma->anon_name, ret);
		else
			err = vmacore_file_path(ctx, vma->vm_file, ret->name,
						sizeof(ret->name));
		goto name_done;
	}

	if (vma->vm_ops && vma->vm_ops == l->special_mapping_vmops) {
		err = special_name(ctx, vma, ret, &named);
		if (err || named)
			goto name_done;
	}
	/* arch_vma_name() is NULL on x86. */
	if (!vma->vm_mm) {
		snprintf(ret->name, sizeof(ret->name), "[vdso]");
		return NULL;
	}
	if (mm && heap_name(ctx, mm, vma, ret))
		return NULL;
	/* vma_is_initial_stack(), include/linux/mm.h (is_stack() in 6.1) */
	if (mm && vma->vm_start <= mm->start_stack &&
	    vma->vm_end >= mm->start_stack) {
		snprintf(ret->name, sizeof(ret->name), "[stack]");
		return NULL;
	}
	if (vma->anon_name)
		err = anon_name_fmt(ctx, "[anon:%s]", vma->anon_name, ret);
name_done:
	if (err) {
		if (err->code == VMACORE_ERROR_NOMEM)
			return err;
		vmacore_log(ctx, "vma 0x%llx: %s", (unsigned long long)vma->addr,
			    err->message);
		vmacore_error_destroy(err);
		snprintf(ret->name, sizeof(ret->name), "?");
		ret->partial = true;
	}
	return NULL;
}
