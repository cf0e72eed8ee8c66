/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mm_internal.h - what mm.c, maple.c, vma.c, path.c and flags.c share.
 */
#ifndef VMACORE_MM_INTERNAL_H
#define VMACORE_MM_INTERNAL_H

#include "internal.h"

struct vmacore_error *maple_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *vma_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *path_layout_init(struct vmacore_ctx *ctx);
struct vmacore_error *flags_table_init(struct vmacore_ctx *ctx);

/*
 * vma_buf_read() - read a whole struct vm_area_struct at @addr into @buf
 * (ctx->l.mm.vm_area_struct_size bytes) with one target read.
 */
struct vmacore_error *vma_buf_read(struct vmacore_ctx *ctx, uint64_t addr,
				   void *buf);
/* vma_buf_decode() - the fields of a VMA read by vma_buf_read(). */
void vma_buf_decode(struct vmacore_ctx *ctx, uint64_t addr, const void *buf,
		    struct vmacore_vma *ret);

/*
 * read_cstring() - a NUL-terminated string of at most @size - 1 bytes at
 * @addr; a string that does not end in time is cut (and *@cut_ret set).
 * Reads page by page so that a string near the end of a page works.
 */
struct vmacore_error *read_cstring(struct vmacore_ctx *ctx, uint64_t addr,
				   char *buf, size_t size, bool *cut_ret);

/*
 * file_d_path() - file_path() (fs/d_path.c) of @file: d_path() of its
 * f_path, newlines left raw, as the kernel writes a core file's NT_FILE.
 * vmacore_file_path() is the /proc/PID/maps form.  path.c
 */
struct vmacore_error *file_d_path(struct vmacore_ctx *ctx, uint64_t file_addr,
				  char *buf, size_t size);

/*
 * file_user_path() - include/linux/fs.h: the path /proc/PID/maps shows
 * for @file: f_path, or for a backing file (FMODE_BACKING, overlayfs) the
 * user_path of its struct backing_file.  @backing_ret: which one it was.
 */
struct vmacore_error *file_user_path(struct vmacore_ctx *ctx, uint64_t file,
				     uint64_t *mnt_ret, uint64_t *dentry_ret,
				     bool *backing_ret);

#endif /* VMACORE_MM_INTERNAL_H */
