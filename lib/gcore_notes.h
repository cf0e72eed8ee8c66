/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gcore_notes.h - the PT_NOTE contents of a core file (gcore_notes.c),
 * for gcore.c.
 */
#ifndef VMACORE_GCORE_NOTES_H
#define VMACORE_GCORE_NOTES_H

#include "internal.h"

/*
 * gcore_notes_build() - the notes fill_note_info() and write_note_info()
 * (fs/binfmt_elf.c, CORE_DUMP_USE_REGSET) write for the process of @task,
 * whose VMAs (and gate VMA) are @vmas[@nr_vmas], as one buffer in
 * *@buf_ret (*@len_ret bytes, to free).  What the dump cannot give costs
 * its own note (or field) only: recorded in @g->notes_lost; notes never
 * rebuilt are named in @g->notes_left_out; @g->threads counts the threads
 * whose NT_PRSTATUS was written.
 * Return: NULL, or an error only for out of memory.
 */
struct vmacore_error *gcore_notes_build(struct vmacore_ctx *ctx,
					const struct vmacore_task *task,
					const struct vmacore_mm *mm,
					const struct vmacore_vma *vmas,
					size_t nr_vmas,
					struct vmacore_gcore *g,
					unsigned char **buf_ret, size_t *len_ret);

#endif /* VMACORE_GCORE_NOTES_H */
