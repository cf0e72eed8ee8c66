// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * path.c - d_path() of a struct file through dentries and mounts.
 *
 * The walk mirrors __prepend_path(), fs/d_path.c, up to the global root
 * (the first mount that is its own parent): /proc/PID/maps is read by a
 * process whose root is that of the initial namespace.  Each dentry is
 * read whole, once; the walk is bounded (a path of PATH_MAX bytes has at
 * most PATH_MAX / 2 components) so that a dentry or mount loop in a
 * damaged dump is an error, not a hang.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm_internal.h"

#define PATH_MAX_BYTES	4096		/* PATH_MAX, include/uapi/linux/limits.h */
#define PATH_COMPONENTS_MAX (PATH_MAX_BYTES / 2)
#define MOUNT_CROSSINGS_MAX 1024
#define DNAME_MAX	PATH_MAX_BYTES	/* bound on one qstr */

#define F(type, member, name) { &ctx->l.mm.name, type, member, true }
#define F_OPT(type, member, name) { &ctx->l.mm.name, type, member, false }

struct vmacore_error *path_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_mm *l = &ctx->l.mm;
	const struct field_spec fields[] = {
		F("file", "f_path.mnt", file_f_path_mnt),
		F("file", "f_path.dentry", file_f_path_dentry),
		F("file", "f_inode", file_f_inode),
		F("dentry", "d_parent", dentry_d_parent),
		F("dentry", "d_name.name", dentry_d_name_name),
		F("dentry", "d_name.len", dentry_d_name_len),
		F("dentry", "d_hash.pprev", dentry_d_hash_pprev),
		F("dentry", "d_op", dentry_d_op),
		F("dentry", "d_inode", dentry_d_inode),
		F("dentry_operations", "d_dname", dentry_operations_d_dname),
		F("mount", "mnt", mount_mnt),
		F("mount", "mnt_parent", mount_mnt_parent),
		F("mount", "mnt_mountpoint", mount_mnt_mountpoint),
		F("vfsmount", "mnt_root", vfsmount_mnt_root),
		F("inode", "i_sb", inode_i_sb),
		F("inode", "i_ino", inode_i_ino),
		F("super_block", "s_dev", super_block_s_dev),
	};
	/*
	 * Backing files (overlayfs; struct backing_file in fs/file_table.c
	 * of 6.12 and 7.x, not in 6.1) wrap the real file; maps shows the
	 * user_path (file_user_path()) and its inode (file_user_inode()).
	 * The rest: what coredump.c and rmap.c read of files and inodes.
	 */
	const struct field_spec opt_fields[] = {
		F_OPT("file", "f_mode", file_f_mode),
		F_OPT("backing_file", "user_path.mnt",
		      backing_file_user_path_mnt),
		F_OPT("backing_file", "user_path.dentry",
		      backing_file_user_path_dentry),
		F_OPT("file", "f_mapping", file_f_mapping),
		F_OPT("inode", "i_nlink", inode_i_nlink),
		F_OPT("inode", "i_mode", inode_i_mode),
		F_OPT("inode", "i_flags", inode_i_flags),
		F_OPT("inode", "i_mapping", inode_i_mapping),
	};
	struct vmacore_error *err;

	err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	if (err)
		return vmacore_error_prefix(err, "cannot resolve file paths");
	err = type_size_init(ctx, &l->dentry_size, "dentry", true);
	if (err)
		return err;
	if (l->dentry_size > 64 * 1024 ||
	    l->dentry_d_parent.off + 8 > l->dentry_size)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "struct dentry has %llu bytes",
					    (unsigned long long)l->dentry_size);
	if ((err = fields_init(ctx, opt_fields, ARRAY_SIZE(opt_fields))) ||
	    (err = symbol_or_zero(ctx, "simple_dname", &l->simple_dname)) ||
	    (err = symbol_or_zero(ctx, "anon_inodefs_dname",
				  &l->anon_inodefs_dname)) ||
	    (err = symbol_or_zero(ctx, "pipefs_dname", &l->pipefs_dname)) ||
	    (err = symbol_or_zero(ctx, "sockfs_dname", &l->sockfs_dname)))
		return err;
	return NULL;
}

#undef F
#undef F_OPT

/* FMODE_BACKING, include/linux/fs.h (6.12 and 7.x): a macro */
#define FMODE_BACKING	(1U << 24)

struct vmacore_error *file_user_path(struct vmacore_ctx *ctx, uint64_t file,
				     uint64_t *mnt_ret, uint64_t *dentry_ret,
				     bool *backing_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	uint64_t mode = 0;

	*backing_ret = false;
	if (l->file_f_mode.present &&
	    l->backing_file_user_path_mnt.present &&
	    l->backing_file_user_path_dentry.present) {
		err = read_field(ctx, file, &l->file_f_mode, &mode);
		if (err)
			return vmacore_error_prefix(err, "cannot read file 0x%llx",
						    (unsigned long long)file);
		*backing_ret = mode & FMODE_BACKING;
	}
	if (*backing_ret) {
		err = read_field(ctx, file, &l->backing_file_user_path_mnt,
				 mnt_ret);
		if (!err)
			err = read_field(ctx, file,
					 &l->backing_file_user_path_dentry,
					 dentry_ret);
	} else {
		err = read_field(ctx, file, &l->file_f_path_mnt, mnt_ret);
		if (!err)
			err = read_field(ctx, file, &l->file_f_path_dentry,
					 dentry_ret);
	}
	if (err)
		return vmacore_error_prefix(err, "cannot read path of file 0x%llx",
					    (unsigned long long)file);
	return NULL;
}

struct vmacore_error *read_cstring(struct vmacore_ctx *ctx, uint64_t addr,
				   char *buf, size_t size, bool *cut_ret)
{
	struct vmacore_error *err;
	size_t got = 0, chunk;
	char *nul;

	*cut_ret = false;
	if (!size)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no room for a string");
	if (!addr)
		return vmacore_error_create(VMACORE_ERROR_FAULT,
					    "NULL string pointer");
	while (got < size - 1) {
		chunk = ctx->l.page_size -
			((addr + got) & (ctx->l.page_size - 1));
		if (chunk > size - 1 - got)
			chunk = size - 1 - got;
		err = read_mem(ctx, addr + got, buf + got, chunk);
		if (err)
			return vmacore_error_prefix(err, "cannot read string at 0x%llx",
						    (unsigned long long)addr);
		nul = memchr(buf + got, '\0', chunk);
		if (nul)
			return NULL;
		got += chunk;
	}
	buf[size - 1] = '\0';
	*cut_ret = true;
	return NULL;
}

/*
 * struct prepend_buffer - the kernel's: a path is built from its end.
 * @buf, @size: the caller's buffer; @pos: start of the text so far;
 * @overflow: something did not fit (-ENAMETOOLONG in the kernel).
 */
struct prepend_buffer {
	char *buf;
	size_t size;
	size_t pos;
	bool overflow;
};

static void prepend(struct prepend_buffer *p, const char *s, size_t len)
{
	if (len > p->pos) {
		p->overflow = true;
		return;
	}
	p->pos -= len;
	memcpy(p->buf + p->pos, s, len);
}

struct dentry_buf {
	uint64_t addr;
	unsigned char *buf;
};

static struct vmacore_error *dentry_read(struct vmacore_ctx *ctx,
					 uint64_t addr, size_t size,
					 struct dentry_buf *d)
{
	struct vmacore_error *err;

	if (!addr)
		return VMACORE_CORRUPT("NULL dentry");
	d->addr = addr;
	err = read_mem(ctx, addr, d->buf, size);
	if (err)
		return vmacore_error_prefix(err, "cannot read dentry 0x%llx",
					    (unsigned long long)addr);
	return NULL;
}

/* The name of a dentry (d_name: a qstr), bounded. */
static struct vmacore_error *dentry_name(struct vmacore_ctx *ctx,
					 const struct dentry_buf *d, char *name,
					 uint32_t *len_ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	uint64_t ptr = field_get(d->buf, &l->dentry_d_name_name);
	uint64_t len = field_get(d->buf, &l->dentry_d_name_len);
	struct vmacore_error *err;

	if (len > DNAME_MAX)
		return VMACORE_CORRUPT("dentry 0x%llx has a name of %llu bytes",
				       (unsigned long long)d->addr,
				       (unsigned long long)len);
	if (len && !ptr)
		return VMACORE_CORRUPT("dentry 0x%llx has a NULL name",
				       (unsigned long long)d->addr);
	if (len) {
		err = read_mem(ctx, ptr, name, len);
		if (err)
			return vmacore_error_prefix(err, "cannot read name of dentry 0x%llx",
						    (unsigned long long)d->addr);
	}
	name[len] = '\0';
	*len_ret = len;
	return NULL;
}

static struct vmacore_error *inode_ino(struct vmacore_ctx *ctx,
				       const struct dentry_buf *d,
				       uint64_t *ret)
{
	const struct layout_mm *l = &ctx->l.mm;
	uint64_t inode = field_get(d->buf, &l->dentry_d_inode);

	if (!inode)
		return VMACORE_CORRUPT("dentry 0x%llx has no inode",
				       (unsigned long long)d->addr);
	return read_field(ctx, inode, &l->inode_i_ino, ret);
}

/*
 * The d_op->d_dname() implementations d_path() calls for pseudo files,
 * recognised by address: simple_dname() (fs/d_path.c), anon_inodefs_dname()
 * (fs/anon_inodes.c), pipefs_dname() (fs/pipe.c), sockfs_dname()
 * (net/socket.c).
 */
static struct vmacore_error *d_dname(struct vmacore_ctx *ctx, uint64_t fn,
				     const struct dentry_buf *d, char *name,
				     char *buf, size_t size)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct vmacore_error *err;
	uint32_t len;
	uint64_t ino;

	if (fn == l->simple_dname || fn == l->anon_inodefs_dname) {
		err = dentry_name(ctx, d, name, &len);
		if (err)
			return err;
		if (fn == l->simple_dname)
			snprintf(buf, size, "/%s (deleted)", name);
		else
			snprintf(buf, size, "anon_inode:%s", name);
		return NULL;
	}
	if (fn == l->pipefs_dname || fn == l->sockfs_dname) {
		err = inode_ino(ctx, d, &ino);
		if (err)
			return err;
		snprintf(buf, size, "%s:[%llu]",
			 fn == l->pipefs_dname ? "pipe" : "socket",
			 (unsigned long long)ino);
		return NULL;
	}
	return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
				    "dentry 0x%llx is named by d_dname 0x%llx, which vmacore cannot reproduce",
				    (unsigned long long)d->addr,
				    (unsigned long long)fn);
}

/* mangle_path(), fs/seq_file.c, with seq_path()'s esc "\n" */
static void mangle_newlines(char *buf, size_t size)
{
	size_t len = strlen(buf), n = 0, i, j;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	if (!n)
		return;
	if (len + 3 * n + 1 > size)
		n = 0;	/* does not fit: leave it raw rather than cut it */
	if (!n)
		return;
	j = len + 3 * n;
	buf[j] = '\0';
	for (i = len; i-- > 0;) {
		if (buf[i] == '\n') {
			memcpy(buf + j - 4, "\\012", 4);
			j -= 4;
		} else {
			buf[--j] = buf[i];
		}
	}
}

static struct vmacore_error *file_path(struct vmacore_ctx *ctx,
				       uint64_t file_addr, char *buf,
				       size_t size, struct dentry_buf *d,
				       char *name, size_t dentry_size,
				       bool for_maps)
{
	const struct layout_mm *l = &ctx->l.mm;
	struct prepend_buffer p = { .buf = buf, .size = size, .pos = size };
	struct vmacore_error *err;
	uint64_t vfsmnt, dentry, mnt, mnt_root, parent, d_op, fn, m;
	unsigned int steps = 0, crossings = 0;
	uint64_t t_dentry = 0, t_mnt = 0, power = 1, lam = 0;
	bool deleted, backing;
	uint32_t len;

	if (for_maps) {
		err = file_user_path(ctx, file_addr, &vfsmnt, &dentry,
				     &backing);
	} else {
		/* file_path(): d_path(&file->f_path) */
		err = read_field(ctx, file_addr, &l->file_f_path_mnt, &vfsmnt);
		if (!err)
			err = read_field(ctx, file_addr, &l->file_f_path_dentry,
					 &dentry);
	}
	if (err)
		return err;
	if (!vfsmnt)
		return VMACORE_CORRUPT("file has no vfsmount");
	err = dentry_read(ctx, dentry, dentry_size, d);
	if (err)
		return err;
	err = read_field(ctx, vfsmnt, &l->vfsmount_mnt_root, &mnt_root);
	if (err)
		return vmacore_error_prefix(err, "cannot read vfsmount 0x%llx",
					    (unsigned long long)vfsmnt);
	parent = field_get(d->buf, &l->dentry_d_parent);

	/* d_path(), fs/d_path.c: pseudo files name themselves. */
	d_op = field_get(d->buf, &l->dentry_d_op);
	if (d_op) {
		err = read_field(ctx, d_op, &l->dentry_operations_d_dname, &fn);
		if (err)
			return vmacore_error_prefix(err, "cannot read dentry_operations 0x%llx",
						    (unsigned long long)d_op);
		if (fn && (parent != dentry || dentry != mnt_root))
			return d_dname(ctx, fn, d, name, buf, size);
	}

	/* d_unlinked(): d_unhashed() && !IS_ROOT() */
	deleted = !field_get(d->buf, &l->dentry_d_hash_pprev) &&
		  parent != dentry;
	p.pos = size - 1;
	buf[size - 1] = '\0';
	if (deleted)
		prepend(&p, " (deleted)", 10);

	/* __prepend_path(), fs/d_path.c */
	mnt = vfsmnt - l->mount_mnt.off;		/* real_mount() */
	for (;;) {
		/*
		 * Brent's cycle check on (dentry, mount): the same dentry
		 * may come twice under different mounts (a bind mount
		 * below its own source), the same pair never.
		 */
		if (dentry == t_dentry && mnt == t_mnt)
			return VMACORE_CORRUPT("dentry 0x%llx on mount 0x%llx reached twice (a d_parent or mount loop)",
					       (unsigned long long)dentry,
					       (unsigned long long)mnt);
		if (++lam == power) {
			t_dentry = dentry;
			t_mnt = mnt;
			power *= 2;
			lam = 0;
		}
		if (dentry == mnt_root) {
			err = read_field(ctx, mnt, &l->mount_mnt_parent, &m);
			if (err)
				return vmacore_error_prefix(err, "cannot read mount 0x%llx",
							    (unsigned long long)mnt);
			if (m == mnt || !m)
				break;		/* global root */
			if (++crossings > MOUNT_CROSSINGS_MAX)
				return VMACORE_CORRUPT("more than %d mounts above dentry 0x%llx (a loop?)",
						       MOUNT_CROSSINGS_MAX,
						       (unsigned long long)d->addr);
			err = read_field(ctx, mnt, &l->mount_mnt_mountpoint,
					 &dentry);
			if (!err)
				err = read_field(ctx, m + l->mount_mnt.off,
						 &l->vfsmount_mnt_root,
						 &mnt_root);
			if (err)
				return vmacore_error_prefix(err, "cannot read mount 0x%llx",
							    (unsigned long long)m);
			mnt = m;
			err = dentry_read(ctx, dentry, dentry_size, d);
			if (err)
				return err;
			continue;
		}
		parent = field_get(d->buf, &l->dentry_d_parent);
		if (parent == dentry) {
			/* Escaped: the kernel drops what it had. */
			p.pos = size - 1;
			if (deleted)
				prepend(&p, " (deleted)", 10);
			break;
		}
		if (++steps > PATH_COMPONENTS_MAX)
			return VMACORE_CORRUPT("path of dentry 0x%llx has more than %d components (a loop?)",
					       (unsigned long long)dentry,
					       PATH_COMPONENTS_MAX);
		err = dentry_name(ctx, d, name, &len);
		if (err)
			return err;
		prepend(&p, name, len);
		prepend(&p, "/", 1);
		if (p.overflow)
			return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
						    "path of file 0x%llx is longer than %zu bytes",
						    (unsigned long long)file_addr,
						    size);
		dentry = parent;
		err = dentry_read(ctx, dentry, dentry_size, d);
		if (err)
			return err;
	}
	/* prepend_path(): an empty path is "/" */
	if (p.pos == size - 1 - (deleted ? 10 : 0))
		prepend(&p, "/", 1);
	if (p.overflow)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "path of file 0x%llx too long",
					    (unsigned long long)file_addr);
	memmove(buf, buf + p.pos, size - p.pos);
	if (for_maps)
		mangle_newlines(buf, size);
	return NULL;
}

static struct vmacore_error *file_path_alloc(struct vmacore_ctx *ctx,
					     uint64_t file_addr, char *buf,
					     size_t size, bool for_maps);

struct vmacore_error *vmacore_file_path(struct vmacore_ctx *ctx,
					uint64_t file_addr, char *buf,
					size_t size)
{
	return file_path_alloc(ctx, file_addr, buf, size, true);
}

struct vmacore_error *file_d_path(struct vmacore_ctx *ctx, uint64_t file_addr,
				  char *buf, size_t size)
{
	return file_path_alloc(ctx, file_addr, buf, size, false);
}

static struct vmacore_error *file_path_alloc(struct vmacore_ctx *ctx,
					     uint64_t file_addr, char *buf,
					     size_t size, bool for_maps)
{
	struct vmacore_error *err;
	struct dentry_buf d;
	uint64_t dentry_size;
	char *name;

	if (size < 2)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "path buffer too small");
	dentry_size = ctx->l.mm.dentry_size;
	d.buf = malloc(dentry_size);
	name = malloc(DNAME_MAX + 1);
	if (!d.buf || !name) {
		free(d.buf);
		free(name);
		return &vmacore_enomem;
	}
	err = file_path(ctx, file_addr, buf, size, &d, name, dentry_size,
			for_maps);
	free(d.buf);
	free(name);
	if (err)
		return vmacore_error_prefix(err, "cannot rebuild path of file 0x%llx",
					    (unsigned long long)file_addr);
	return NULL;
}
