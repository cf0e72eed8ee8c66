// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mm.c - struct mm_struct, and the layout of everything the VMA queries
 * read (mm, maple tree, VMAs, files and paths), resolved once.
 */
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

/*
 * MMF_DUMPABLE_BITS 2, MMF_DUMP_FILTER_SHIFT MMF_DUMPABLE_BITS and
 * MMF_DUMP_FILTER_BITS 9 are macros, invisible to BTF and DWARF: the same
 * values in include/linux/sched/coredump.h (6.1, 6.12) and
 * include/linux/mm_types.h (7.x).
 */
#define MMF_DUMP_FILTER_SHIFT	2
#define MMF_DUMP_FILTER_BITS	9
#define MMF_DUMP_FILTER_MASK \
	(((1UL << MMF_DUMP_FILTER_BITS) - 1) << MMF_DUMP_FILTER_SHIFT)

#define F(member, name, required) \
	{ &ctx->l.mm.name, "mm_struct", member, required }

struct vmacore_error *mm_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_mm *l = &ctx->l.mm;
	const struct field_spec fields[] = {
		F("mm_mt", mm_struct_mm_mt, true),
		F("pgd", mm_struct_pgd, true),
		F("map_count", mm_struct_map_count, true),
		F("total_vm", mm_struct_total_vm, true),
		F("flags", mm_struct_flags, true),
		F("start_brk", mm_struct_start_brk, true),
		F("brk", mm_struct_brk, true),
		F("start_stack", mm_struct_start_stack, true),
		F("context.vdso", mm_struct_context_vdso, false),
		F("context.flags", mm_struct_context_flags, false),
	};
	const struct field *const span[] = {
		&l->mm_struct_mm_mt, &l->mm_struct_pgd, &l->mm_struct_map_count,
		&l->mm_struct_total_vm, &l->mm_struct_flags,
		&l->mm_struct_start_brk, &l->mm_struct_brk,
		&l->mm_struct_start_stack, &l->mm_struct_context_vdso,
	};
	struct vmacore_error *err;

	err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	if (err)
		return err;
	/*
	 * mm->flags: unsigned long in 6.1 and 6.12; mm_flags_t, a struct
	 * holding a bitmap, in 7.x, whose first word __mm_flags_get_word()
	 * reads (include/linux/mm_types.h).  Both start with that word.
	 */
	if (l->mm_struct_flags.size < 8)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "mm_struct.flags has %u bytes",
					    l->mm_struct_flags.size);
	l->mm_struct_flags.size = 8;

	err = fields_span(span, ARRAY_SIZE(span), "mm_struct", &l->mm_span_off,
			  &l->mm_span_len);
	if (err)
		return err;

	err = maple_layout_init(ctx);
	if (!err)
		err = vma_layout_init(ctx);
	if (!err)
		err = path_layout_init(ctx);
	return err;
}

#undef F

struct vmacore_error *vmacore_mm_read(struct vmacore_ctx *ctx, uint64_t mm_addr,
				      struct vmacore_mm *ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	unsigned char *buf;

	if (!mm_addr)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no mm (a kernel thread?)");
	buf = malloc(l->mm_span_len);
	if (!buf)
		return &vmacore_enomem;
	err = read_mem(ctx, mm_addr + l->mm_span_off, buf, l->mm_span_len);
	if (err) {
		free(buf);
		return vmacore_error_prefix(err, "cannot read mm_struct 0x%llx",
					    (unsigned long long)mm_addr);
	}
#define GET(member) \
	field_get_span(buf, l->mm_span_off, &l->mm_struct_##member)
	memset(ret, 0, sizeof(*ret));
	ret->addr = mm_addr;
	ret->pgd = GET(pgd);
	ret->map_count = (int32_t)GET(map_count);
	ret->total_vm = GET(total_vm);
	ret->flags = GET(flags);
	ret->start_brk = GET(start_brk);
	ret->brk = GET(brk);
	ret->start_stack = GET(start_stack);
	if (l->mm_struct_context_vdso.present)
		ret->context_vdso = GET(context_vdso);
#undef GET
	free(buf);
	/* proc_coredump_filter_read(), fs/proc/base.c */
	ret->coredump_filter = (ret->flags & MMF_DUMP_FILTER_MASK) >>
			       MMF_DUMP_FILTER_SHIFT;
	return NULL;
}
