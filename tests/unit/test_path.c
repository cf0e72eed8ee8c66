// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_path.c - d_path() of files (lib/path.c) and the name column of
 * /proc/PID/maps (vmacore_vma_maps_line(), lib/vma.c); the whole line
 * (vmacore_maps_line_format(), lib/maps_line.c) against snprintf().
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "tap.h"

#define DEV(ma, mi) (((ma) << 20) | (mi))
#define NEDGES (sizeof(edges) / sizeof(edges[0]))

struct world {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	struct fake_fs fs;
	uint64_t mm;
};

static void world_init(struct world *w, bool shmem_names)
{
	w->f = fake_create();
	fake_layout_default(w->f);
	if (shmem_names)	/* 6.7+: anon_name out of the shared union */
		fake_member(w->f, "vm_area_struct", "anon_name", 0xa0, 8);
	else			/* 6.1: anon_name inside the shared union */
		fake_member(w->f, "vm_area_struct", "anon_name", V_SHARED, 8);
	fake_fs_init(w->f, &w->fs, DEV(254, 1));
	w->mm = fake_mm(w->f);
	w->ctx = fake_ctx(w->f);
}

static void world_fini(struct world *w)
{
	vmacore_ctx_destroy(w->ctx);
	fake_destroy(w->f);
}

static void path_is(struct world *w, uint64_t file, const char *want,
		    const char *what)
{
	char buf[VMACORE_NAME_MAX];
	struct vmacore_error *err;

	err = vmacore_file_path(w->ctx, file, buf, sizeof(buf));
	if (err) {
		ok(0, "%s", what);
		printf("#   %s\n", err->message);
		vmacore_error_destroy(err);
		return;
	}
	is_str(buf, want, "%s", what);
}

static void test_paths(void)
{
	struct world w;
	uint64_t d, mnt_dir, data_root, sub, shm_root, shm_mnt, anon_mnt;
	uint64_t anon_root, file;
	char buf[64];

	world_init(&w, false);
	d = fake_path(w.f, &w.fs, "/usr/lib/x86_64-linux-gnu/libc.so.6", 100);
	path_is(&w, fake_file(w.f, w.fs.root_mnt, d),
		"/usr/lib/x86_64-linux-gnu/libc.so.6", "a file on /");

	/* a second fs mounted on /mnt/data */
	mnt_dir = fake_path(w.f, &w.fs, "/mnt/data", 200);
	data_root = fake_dentry(w.f, 0, "/", fake_inode(w.f, fake_sb(w.f, 7), 2),
				true);
	sub = fake_mount(w.f, w.fs.root_mnt, mnt_dir, data_root);
	d = fake_dentry(w.f, data_root, "file.bin", 0, true);
	d = fake_dentry(w.f, d, "x", 0, true);
	path_is(&w, fake_file(w.f, sub, d), "/mnt/data/file.bin/x",
		"across a mount");
	path_is(&w, fake_file(w.f, sub, data_root), "/mnt/data",
		"the root of a mount");
	path_is(&w, fake_file(w.f, w.fs.root_mnt, w.fs.root_dentry), "/",
		"the global root");

	/* unlinked: d_unhashed() && !IS_ROOT() */
	d = fake_dentry(w.f, fake_path(w.f, &w.fs, "/tmp", 300), "gone", 0,
			false);
	path_is(&w, fake_file(w.f, w.fs.root_mnt, d), "/tmp/gone (deleted)",
		"an unlinked file");

	/* memfd: shmem file of an internal mount, simple_dname() */
	shm_root = fake_dentry(w.f, 0, "/", 0, true);
	shm_mnt = fake_mount(w.f, 0, 0, shm_root);
	d = fake_dentry(w.f, shm_root, "memfd:pool", 0, false);
	fake_w64(w.f, d + D_OP, w.fs.d_op_simple);
	path_is(&w, fake_file(w.f, shm_mnt, d), "/memfd:pool (deleted)",
		"memfd: simple_dname()");
	/* the same without d_op: __prepend_path() up to the detached root */
	fake_w64(w.f, d + D_OP, 0);
	path_is(&w, fake_file(w.f, shm_mnt, d), "/memfd:pool (deleted)",
		"memfd: prepend_path()");

	/* anon inode */
	anon_root = fake_dentry(w.f, 0, "anon_inode:", 0, true);
	anon_mnt = fake_mount(w.f, 0, 0, anon_root);
	d = fake_dentry(w.f, anon_root, "[io_uring]", 0, false);
	fake_w64(w.f, d + D_OP, w.fs.d_op_anon);
	path_is(&w, fake_file(w.f, anon_mnt, d), "anon_inode:[io_uring]",
		"anon_inodefs_dname()");

	/* a newline in a name is escaped as seq_path() does */
	d = fake_path(w.f, &w.fs, "/tmp/a\nb", 400);
	path_is(&w, fake_file(w.f, w.fs.root_mnt, d), "/tmp/a\\012b",
		"newline escaped as \\012");

	/* too small a buffer */
	d = fake_path(w.f, &w.fs, "/usr/share/a/rather/long/path/name", 500);
	file = fake_file(w.f, w.fs.root_mnt, d);
	is_err(vmacore_file_path(w.ctx, file, buf, 16),
	       VMACORE_ERROR_UNSUPPORTED, "a path longer than the buffer");

	/* a dentry loop */
	d = fake_path(w.f, &w.fs, "/loop/a/b", 600);
	fake_w64(w.f, fake_r64(w.f, d + D_PARENT) + D_PARENT, d);
	is_err(vmacore_file_path(w.ctx, fake_file(w.f, w.fs.root_mnt, d), buf,
				 sizeof(buf)), VMACORE_ERROR_CORRUPT,
	       "a d_parent loop");
	{
		char big[VMACORE_NAME_MAX];

		is_err(vmacore_file_path(w.ctx,
					 fake_file(w.f, w.fs.root_mnt, d),
					 big, sizeof(big)),
		       VMACORE_ERROR_CORRUPT, "a d_parent loop, large buffer");
	}

	/* a mount loop */
	{
		uint64_t r1 = fake_dentry(w.f, 0, "/", 0, true);
		uint64_t r2 = fake_dentry(w.f, 0, "/", 0, true);
		uint64_t m1 = fake_mount(w.f, 0, 0, r1);
		uint64_t m2 = fake_mount(w.f, m1, r1, r2);

		fake_w64(w.f, m1 + MNT_PARENT, m2);
		fake_w64(w.f, m1 + MNT_MOUNTPOINT, r2);
		is_err(vmacore_file_path(w.ctx, fake_file(w.f, m2, r2), buf,
					 sizeof(buf)), VMACORE_ERROR_CORRUPT,
		       "a mnt_parent loop");
	}
	/* a dentry outside memory */
	file = fake_file(w.f, w.fs.root_mnt, w.fs.root_dentry);
	fake_w64(w.f, file + F_PATH_DENTRY, 0xffffc90000000000ULL);
	is_err(vmacore_file_path(w.ctx, file, buf, sizeof(buf)),
	       VMACORE_ERROR_FAULT, "a dentry outside memory");
	world_fini(&w);
}

static struct vmacore_vma vma_of(struct world *w, uint64_t start,
				 uint64_t end, uint64_t flags)
{
	struct vmacore_vma v;
	uint64_t a = fake_vma(w->f, w->mm, start, end, flags);
	struct vmacore_error *err = vmacore_vma_read(w->ctx, a, &v);

	if (err) {
		printf("Bail out! %s\n", err->message);
		exit(1);
	}
	return v;
}

static void line_is(struct world *w, const struct vmacore_mm *mm,
		    struct vmacore_vma v, const char *want, const char *what)
{
	struct vmacore_maps_line l;
	struct vmacore_error *err;

	err = vmacore_vma_maps_line(w->ctx, mm, &v, &l);
	if (err) {
		ok(0, "%s", what);
		printf("#   %s\n", err->message);
		vmacore_error_destroy(err);
		return;
	}
	is_str(l.name, want, "%s", what);
}

static uint64_t anon_name(struct world *w, const char *name)
{
	uint64_t a = fake_alloc(w->f, 64, 8);

	fake_write(w->f, a + AVN_NAME, name, strlen(name) + 1);
	return a;
}

static void test_names(bool shmem_names)
{
	struct vmacore_maps_line l;
	struct vmacore_vma v;
	struct vmacore_mm mm;
	struct world w;
	uint64_t d, file, vsm, str;
	const char *k = shmem_names ? "6.12" : "6.1";

	world_init(&w, shmem_names);
	fake_w64(w.f, w.mm + MM_START_BRK, 0x555555559000ULL);
	fake_w64(w.f, w.mm + MM_BRK, 0x55555557a000ULL);
	fake_w64(w.f, w.mm + MM_START_STACK, 0x7ffffffde100ULL);
	no_err(vmacore_mm_read(w.ctx, w.mm, &mm), "%s: mm", k);

	/* a file mapping: dev, ino, pgoff and path */
	d = fake_path(w.f, &w.fs, "/usr/bin/cat", 1234);
	file = fake_file(w.f, w.fs.root_mnt, d);
	v = vma_of(&w, 0x555555554000ULL, 0x555555556000ULL, 0x875);
	v.vm_file = file;
	v.vm_pgoff = 2;
	no_err(vmacore_vma_maps_line(w.ctx, &mm, &v, &l), "%s: file line", k);
	ok(l.dev_major == 254 && l.dev_minor == 1 && l.ino == 1236 &&
	   l.pgoff == 0x2000 && !strcmp(l.name, "/usr/bin/cat") && !l.partial,
	   "%s: file: 254:1 ino 1236 pgoff 0x2000 /usr/bin/cat (got %u:%u %llu %s)",
	   k, l.dev_major, l.dev_minor, (unsigned long long)l.ino, l.name);

	line_is(&w, &mm, vma_of(&w, 0x555555559000ULL, 0x55555557a000ULL, 0x73),
		"[heap]", "heap");
	/* a VMA just after brk: [heap] only with 6.1's <= rule */
	line_is(&w, &mm, vma_of(&w, 0x55555557a000ULL, 0x55555557b000ULL, 0x73),
		shmem_names ? "" : "[heap]", "VMA starting at brk");
	line_is(&w, &mm, vma_of(&w, 0x7ffffffde000ULL, 0x7ffffffff000ULL,
				0x100173), "[stack]", "stack");
	line_is(&w, &mm, vma_of(&w, 0x7f0000000000ULL, 0x7f0000001000ULL, 0x73),
		"", "plain anonymous");

	/* [vdso]: special_mapping_vmops, name in vm_private_data */
	vsm = fake_alloc(w.f, 32, 8);
	str = fake_alloc(w.f, 16, 8);
	fake_write(w.f, str, "[vdso]", 7);
	fake_w64(w.f, vsm + VSM_NAME, str);
	v = vma_of(&w, 0x7ffff7fc1000ULL, 0x7ffff7fc3000ULL, 0x75);
	v.vm_ops = FAKE_SPECIAL_VMOPS;
	v.vm_private_data = vsm;
	line_is(&w, &mm, v, "[vdso]", "special mapping");
	/* vm_ops of something else: not a special mapping */
	v.vm_ops = FAKE_SPECIAL_VMOPS + 0x100;
	line_is(&w, &mm, v, "", "other vm_ops: no name");
	/* no vm_mm: [vdso] (gate VMA rule) */
	v.vm_ops = 0;
	v.vm_mm = 0;
	line_is(&w, &mm, v, "[vdso]", "no vm_mm");

	/* anon names */
	v = vma_of(&w, 0x7f0000010000ULL, 0x7f0000020000ULL, 0x73);
	fake_w64(w.f, v.addr + (shmem_names ? 0xa0 : V_SHARED),
		 anon_name(&w, "arena 1"));
	vmacore_vma_read(w.ctx, v.addr, &v);
	line_is(&w, &mm, v, "[anon:arena 1]", "anonymous with a name");

	/* a named shmem file */
	v = vma_of(&w, 0x7f0000030000ULL, 0x7f0000040000ULL, 0xfb);
	fake_w64(w.f, v.addr + V_FILE, file);
	fake_w64(w.f, v.addr + (shmem_names ? 0xa0 : V_SHARED),
		 anon_name(&w, "shm pool"));
	vmacore_vma_read(w.ctx, v.addr, &v);
	line_is(&w, &mm, v, shmem_names ? "[anon_shmem:shm pool]" :
		"/usr/bin/cat", "shmem with a name");

	/* a path that cannot be rebuilt: "?" and partial */
	d = fake_path(w.f, &w.fs, "/var/x", 77);
	file = fake_file(w.f, w.fs.root_mnt, d);
	fake_w64(w.f, d + D_PARENT, 0xffffc90000000000ULL);
	v = vma_of(&w, 0x7f0000050000ULL, 0x7f0000051000ULL, 0x71);
	v.vm_file = file;
	no_err(vmacore_vma_maps_line(w.ctx, &mm, &v, &l),
	       "%s: a broken path is not an error", k);
	ok(l.partial && !strcmp(l.name, "?") && l.ino == 78,
	   "%s: but a partial line with \"?\" (got %s)", k, l.name);
	world_fini(&w);
}

/* overlayfs: a backing file shows its user path and that inode */
static void test_backing_file(void)
{
	struct vmacore_maps_line l;
	struct vmacore_vma v;
	struct vmacore_mm mm;
	struct world w;
	uint64_t real, user, file, sb2, root2;

	w.f = fake_create();
	fake_layout_default(w.f);
	fake_member(w.f, "file", "f_mode", 0x30, 4);
	fake_member(w.f, "backing_file", "user_path.mnt", 0x100, 8);
	fake_member(w.f, "backing_file", "user_path.dentry", 0x108, 8);
	fake_fs_init(w.f, &w.fs, DEV(0, 30));
	w.mm = fake_mm(w.f);
	w.ctx = fake_ctx(w.f);
	sb2 = fake_sb(w.f, DEV(254, 3));
	root2 = fake_dentry(w.f, 0, "/", 0, true);
	real = fake_dentry(w.f, root2, "lower-file", fake_inode(w.f, sb2, 99),
			   true);
	user = fake_path(w.f, &w.fs, "/merged/app.so", 500);
	file = fake_file(w.f, fake_mount(w.f, 0, 0, root2), real);
	fake_alloc(w.f, 0x200, 64);	/* room for struct backing_file */
	fake_w64(w.f, file + 0x100, w.fs.root_mnt + MNT_MNT);
	fake_w64(w.f, file + 0x108, user);
	path_is(&w, file, "/lower-file", "a file without FMODE_BACKING: f_path");
	fake_w32(w.f, file + 0x30, 1U << 24);
	path_is(&w, file, "/merged/app.so", "FMODE_BACKING: the user path");
	no_err(vmacore_mm_read(w.ctx, w.mm, &mm), "mm");
	v = vma_of(&w, 0x1000, 0x2000, 0x75);
	v.vm_file = file;
	no_err(vmacore_vma_maps_line(w.ctx, &mm, &v, &l), "maps line");
	ok(l.ino == 501 && l.dev_major == 0 && l.dev_minor == 30,
	   "dev and ino of the user path's inode (got %u:%u %llu)",
	   l.dev_major, l.dev_minor, (unsigned long long)l.ino);
	world_fini(&w);
}

/* Random damage to dentries and mounts: no crash, no hang. */
static void test_random_damage(void)
{
	static const unsigned int offs[] = { D_PARENT, D_NAME_LEN,
					     D_NAME_NAME, D_OP, D_HASH_PPREV };
	unsigned int round, errors = 0, clean = 0, bad = 0;
	char buf[VMACORE_NAME_MAX];
	struct world w;

	srand(3);
	for (round = 0; round < 400; round++) {
		uint64_t d[6], file, sub, droot;
		struct vmacore_error *err;
		unsigned int k, i;

		world_init(&w, round % 2);
		d[0] = fake_path(w.f, &w.fs, "/a/b/c/d", 10);
		d[1] = fake_r64(w.f, d[0] + D_PARENT);
		d[2] = fake_r64(w.f, d[1] + D_PARENT);
		droot = fake_dentry(w.f, 0, "/", 0, true);
		sub = fake_mount(w.f, w.fs.root_mnt, d[2], droot);
		d[3] = fake_dentry(w.f, droot, "x", 0, true);
		d[4] = droot;
		d[5] = w.fs.root_dentry;
		file = fake_file(w.f, sub, d[3]);
		for (k = 0; k < 1 + round % 3; k++) {
			i = rand() % 6;
			switch (rand() % 4) {
			case 0:
				fake_w64(w.f, d[i] + offs[rand() % 5],
					 d[rand() % 6]);
				break;
			case 1:
				fake_w32(w.f, d[i] + D_NAME_LEN, rand());
				break;
			case 2:
				fake_w64(w.f, sub + (rand() % 2 ? MNT_PARENT :
						     MNT_MOUNTPOINT),
					 rand() % 2 ? sub : d[rand() % 6]);
				break;
			default:
				fake_w64(w.f, d[i] + offs[rand() % 5],
					 (uint64_t)rand() << 12);
			}
		}
		memset(buf, 'z', sizeof(buf));
		err = vmacore_file_path(w.ctx, file, buf, sizeof(buf));
		if (err)
			errors++;
		else
			clean++;
		/*
		 * Damage is told as such (corrupt, or an address that cannot
		 * be read), and a path returned is one: absolute, terminated.
		 */
		if (err ? err->code != VMACORE_ERROR_CORRUPT &&
			  err->code != VMACORE_ERROR_FAULT &&
			  err->code != VMACORE_ERROR_NODATA :
			  !memchr(buf, '\0', sizeof(buf)) || buf[0] != '/') {
			if (!bad++)
				printf("#   round %u: %s\n", round,
				       err ? err->message : buf);
		}
		vmacore_error_destroy(err);
		world_fini(&w);
	}
	ok(!bad, "400 damaged dentry trees: %u bad outcomes (%u errors, %u paths)",
	   bad, errors, clean);
}

/*
 * show_vma_header_prefix(), fs/proc/task_mmu.c, through snprintf(): the
 * numbers of a line at every digit count, nibbles 9 and a at each place.
 */
static void test_line_format(void)
{
	static const uint64_t edges[] = {
		0, 1, 9, 0xa, 0xf, 0x10, 0x99, 0xaa, 0xff, 0x100, 0xfffffff,
		0x10000000, 0xffffffff, 0x100000000ULL, 0x9a9a9a9a9a9aULL,
		0xa9a9a9a9a9a9ULL, 0x7ffffffff000ULL, 0xffffffffff600000ULL,
		0x123456789abcdef0ULL, UINT64_MAX,
	};
	unsigned int i, bad = 0, n = 0;
	uint64_t x = 0x243f6a8885a308d3ULL;

	for (i = 0; i < 20000; i++) {
		struct vmacore_vma v = { 0 };
		struct vmacore_maps_line l = { 0 };
		char got[8192], want[8192];
		size_t len;

		if (i < NEDGES * 4) {
			v.vm_start = edges[i % NEDGES];
			v.vm_end = edges[(i + 3) % NEDGES];
			l.pgoff = edges[(i + 7) % NEDGES];
		} else {
			/* xorshift64: values of every length */
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v.vm_start = x >> (x % 64);
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v.vm_end = x >> (x % 64);
			l.pgoff = x >> (x % 61);
		}
		l.dev_major = i % 300;
		l.dev_minor = (i * 7) % 0x1ff;
		l.ino = i % 3 ? i * 977ULL : 0;
		memcpy(l.perms, "r-xp", 5);
		if (i % 2)
			snprintf(l.name, sizeof(l.name), "/usr/lib/x%u", i);
		snprintf(want, sizeof(want), "%08" PRIx64 "-%08" PRIx64
			 " %s %08" PRIx64 " %02x:%02x %" PRIu64 " ",
			 v.vm_start, v.vm_end, l.perms, l.pgoff, l.dev_major,
			 l.dev_minor, l.ino);
		if (l.name[0]) {
			size_t w = strlen(want);

			while (w < 73 - 1)
				want[w++] = ' ';
			snprintf(want + w, sizeof(want) - w, " %s", l.name);
		}
		len = vmacore_maps_line_format(&v, &l, got, sizeof(got));
		n++;
		if (len != strlen(want) || strcmp(got, want)) {
			if (bad++ < 3)
				printf("#   got  \"%s\"\n#   want \"%s\"\n", got,
				       want);
		}
	}
	ok(!bad, "maps lines as snprintf() prints them: %u of %u differ",
	   bad, n);
}

int main(void)
{
	test_line_format();
	test_paths();
	test_random_damage();
	test_backing_file();
	test_names(false);
	test_names(true);
	return tap_done();
}
