// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * extract.c - seed inputs for the fuzz harnesses from a reference dump.
 *
 * usage: extract DUMP_DIR CORPUS_DIR
 *
 * Opens DUMP_DIR/vmcore.elf with DUMP_DIR/vmlinux through the command's
 * target and writes, in the fuzzed fake kernel's arena (fuzz.h):
 * - maple/<release>-<comm>: the real maple nodes of a small workload
 *   process, byte for byte (the fake's maple_node layout is the kernel's)
 *   with their pointers relocated, and its VMAs in the fake's layout;
 * - tasks/<release>: the real task list (pids, tgids, comms, threads);
 * - path/<release>-N: real file paths of mapped files, as dentry chains;
 * - flags/<release>: the real mnemonics[] bytes and vmaflag_names[];
 * - btf/<release>: a small raw BTF with the real offsets of the members
 *   libvmacore asks for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "dump.h"
#include "fuzz.h"

static struct dump_target *tgt;
static struct vmacore_ctx *ctx;
static struct fake_target *f;
static uint64_t hdr;
static const char *release, *corpus;

static void die(const char *what, struct vmacore_error *err)
{
	fprintf(stderr, "extract: %s: %s\n", what, err ? err->message : "");
	exit(1);
}

static uint64_t member(const char *type, const char *m)
{
	uint64_t off, size;
	struct vmacore_error *err = dump_target_ops.member(tgt, type, m, &off,
							  &size);
	if (err)
		die(m, err);
	return off;
}

static void rd(uint64_t addr, void *buf, size_t len)
{
	struct vmacore_error *err = vmacore_ctx_read(ctx, addr, buf, len,
						     false);
	if (err)
		die("read", err);
}

static uint64_t r64(uint64_t addr)
{
	uint64_t v;

	rd(addr, &v, 8);
	return v;
}

/* Start a new arena: a fresh fake target, the allocator at FUZZ_ARENA. */
static void arena_begin(void)
{
	f = fake_create();
	fake_layout_default(f);
	fake_alloc_reset(FUZZ_ARENA);
	hdr = fake_alloc(f, 64, 64);
}

static void arena_write(const char *sub, const char *name)
{
	uint64_t end = fake_alloc(f, 0, 1), a;
	char path[4096];
	FILE *out;

	snprintf(path, sizeof(path), "%s/%s/%s", corpus, sub, name);
	out = fopen(path, "wb");
	if (!out) {
		perror(path);
		exit(1);
	}
	for (a = hdr; a < end; a += 8) {
		uint64_t w = fake_r64(f, a);

		fwrite(&w, 1, end - a < 8 ? end - a : 8, out);
	}
	fclose(out);
	fake_destroy(f);
	printf("%s (%llu bytes)\n", path, (unsigned long long)(end - hdr));
}

/* ---- maple ---------------------------------------------------------- */

static uint64_t new_mm, real_mm;

static uint64_t reloc_vma(uint64_t addr)
{
	struct vmacore_vma v;
	struct vmacore_error *err = vmacore_vma_read(ctx, addr, &v);
	uint64_t n;

	if (err)
		die("vma", err);
	n = fake_vma(f, v.vm_mm == real_mm ? new_mm : v.vm_mm, v.vm_start,
		     v.vm_end, v.vm_flags);
	fake_w64(f, n + V_PGOFF, v.vm_pgoff);
	return n;
}

/* ma_data_end() of a raw node of @type covering up to @max */
static unsigned int data_end(const uint8_t *b, unsigned int type,
			     uint64_t max)
{
	uint64_t last;

	if (type == MT_ARANGE)
		return b[240];
	memcpy(&last, b + 8 + 8 * 14, 8);
	if (!last)
		return b[248];
	return last == max ? 14 : 15;
}

static uint64_t reloc_node(uint64_t enode, uint64_t new_parent,
			   uint64_t min, uint64_t max)
{
	uint64_t node = enode & ~255ULL, n = fake_alloc(f, 256, 256);
	unsigned int type = (enode >> 3) & 15, i, end, nslots, soff;
	uint8_t b[256];
	uint64_t parent, prev = min;

	rd(node, b, 256);
	memcpy(&parent, b, 8);
	parent = new_parent | (parent & 255);
	memcpy(b, &parent, 8);
	if (type == MT_DENSE) {
		fake_write(f, n, b, 256);
		return n | (enode & 255);
	}
	nslots = type == MT_ARANGE ? 10 : 16;
	soff = type == MT_ARANGE ? 80 : 128;
	end = data_end(b, type, max);
	for (i = 0; i <= end && i < nslots; i++) {
		uint64_t s, piv = max;

		memcpy(&s, b + soff + 8 * i, 8);
		if (i < nslots - 1)
			memcpy(&piv, b + 8 + 8 * i, 8);
		if (!piv && i)
			piv = max;
		if (!s || (s & 3) == 2) {
			prev = piv + 1;
			continue;
		}
		if (type == MT_LEAF)
			s = reloc_vma(s);
		else
			s = reloc_node(s, n, prev, piv);
		memcpy(b + soff + 8 * i, &s, 8);
		prev = piv + 1;
	}
	fake_write(f, n, b, 256);
	return n | (enode & 255);
}

static void maple(const struct vmacore_task *t)
{
	uint64_t mt = t->mm + member("mm_struct", "mm_mt");
	uint64_t root = r64(mt + member("maple_tree", "ma_root"));
	uint32_t flags;
	char name[64];

	rd(mt + member("maple_tree", "ma_flags"), &flags, 4);
	arena_begin();
	real_mm = t->mm;
	new_mm = fake_mm(f);
	fake_w32(f, new_mm + MM_MT + MT_FLAGS, flags);
	if ((root & 3) == 2 && root > 4096)
		root = reloc_node(root, (new_mm + MM_MT) | 1, 0, UINT64_MAX) |
		       (root & 3);
	else if (root)
		root = reloc_vma(root);
	fake_w64(f, new_mm + MM_MT + MT_ROOT, root);
	fake_w64(f, hdr, new_mm);
	fake_w64(f, hdr + 8, t->mm ? 0x7ffff7dd0000ULL : 0);
	snprintf(name, sizeof(name), "%s-%s", release, t->comm);
	arena_write("maple", name);
}

/* ---- tasks and paths -------------------------------------------------- */

static void tasks(void)
{
	struct vmacore_task_iter *it;
	struct vmacore_task t;
	struct vmacore_error *err;
	uint64_t sig = 0, mm = 0;
	int leaders = 0, last = 0;

	arena_begin();
	err = vmacore_task_iter_create(ctx, true, &it);
	if (err)
		die("tasks", err);
	while (!(err = vmacore_task_iter_next(it, &t))) {
		if (t.is_leader) {
			if (++leaders > 12)
				break;
			sig = fake_signal(f);
			mm = t.mm ? fake_mm(f) : 0;
		}
		fake_task(f, t.pid, t.is_leader ? t.pid : t.tgid, t.comm,
			  mm, sig);
		last = t.pid;
	}
	if (err != &vmacore_stop)
		vmacore_error_destroy(err);
	vmacore_task_iter_destroy(it);
	fake_w64(f, hdr + 8, fake_r64(f, FAKE_INIT_TASK + T_TASKS));
	fake_w64(f, hdr + 16, fake_r64(f, FAKE_INIT_TASK + T_TASKS + 8));
	fake_w64(f, hdr + 24, last);
	arena_write("tasks", release);
}

static int paths_done;

static void path(const char *p)
{
	struct fake_fs fs;
	uint64_t d, file, mm, vma;
	char name[64];

	arena_begin();
	fake_fs_init(f, &fs, 0xfe01);
	d = fake_path(f, &fs, p, 1000);
	file = fake_file(f, fs.root_mnt, d);
	mm = fake_mm(f);
	vma = fake_vma(f, mm, 0x7f0000000000ULL, 0x7f0000001000ULL, 0x875);
	fake_w64(f, vma + V_FILE, file);
	fake_w64(f, hdr, file);
	fake_w64(f, hdr + 8, mm);
	fake_w64(f, hdr + 16, vma);
	fake_w64(f, hdr + 24, 4096);
	snprintf(name, sizeof(name), "%s-%d", release, paths_done++);
	arena_write("path", name);
}

static void paths(const struct vmacore_task *t)
{
	struct vmacore_vma_iter *it;
	struct vmacore_vma v;
	struct vmacore_error *err;
	char buf[4096], last[4096] = "";

	err = vmacore_vma_iter_create(ctx, t->mm, &it);
	if (err)
		die("vmas", err);
	while (paths_done < 3 && !(err = vmacore_vma_iter_next(it, &v))) {
		if (!v.vm_file)
			continue;
		err = vmacore_file_path(ctx, v.vm_file, buf, sizeof(buf));
		if (err) {
			vmacore_error_destroy(err);
			continue;
		}
		if (buf[0] == '/' && strcmp(buf, last)) {
			path(buf);
			strcpy(last, buf);
		}
	}
	if (err && err != &vmacore_stop)
		vmacore_error_destroy(err);
	vmacore_vma_iter_destroy(it);
}

/* ---- flags --------------------------------------------------------------- */

static void flags(void)
{
	uint64_t addr, size, mn, nm, e[2];
	uint8_t raw[192];
	char name[32], s[64];
	unsigned int i;
	int found = 0;

	arena_begin();
	mn = fake_alloc(f, 0xc0, 64);
	nm = fake_alloc(f, 16 * 64, 256);
	for (i = 0; i < 16 && !found; i++) {
		snprintf(name, sizeof(name), "mnemonics.%u", i);
		if (dump_target_ops.symbol(tgt, name, &addr, &size))
			continue;	/* (leaks the error: a one-shot tool) */
		if (size != 128 && size != 192)
			continue;
		rd(addr, raw, size);
		if (memcmp(raw, "rd", 2))
			continue;
		fake_write(f, mn, raw, size);
		fake_w64(f, hdr, size);
		found = 1;
	}
	if (!dump_target_ops.symbol(tgt, "vmaflag_names", &addr, &size)) {
		for (i = 0; i < 64; i++) {
			rd(addr + 16 * i, e, 16);
			if (!e[1])
				break;
			memset(s, 0, sizeof(s));
			vmacore_ctx_read(ctx, e[1], s, 32, false);
			e[1] = fake_alloc(f, strlen(s) + 1, 8);
			fake_write(f, e[1], s, strlen(s) + 1);
			fake_w64(f, nm + 16 * i, e[0]);
			fake_w64(f, nm + 16 * i + 8, e[1]);
		}
		fake_w64(f, hdr + 8, 16 * (i + 1));
	}
	fake_w64(f, hdr + 16, 0x8100073);
	fake_w64(f, hdr + 24, 0x4000000000ULL | 0x40000 | 0x3);
	arena_write("flags", release);
}

/* ---- btf --------------------------------------------------------------- */

static void btf_seed(void)
{
	static const char *const vma_members[] = {
		"vm_start", "vm_end", "vm_mm", "vm_pgoff", "vm_file",
		"vm_ops", "anon_vma", "vm_private_data",
	};
	struct btf *b = btf__new_empty();
	const void *raw;
	uint32_t rawsize;
	uint64_t sz;
	int u64, ptr, rb, sh, vma, i;
	char path[4096];
	FILE *out;

	u64 = btf__add_int(b, "long unsigned int", 8, 0);
	ptr = btf__add_ptr(b, 0);
	rb = btf__add_struct(b, "rb_node", 24);
	btf__add_field(b, "__rb_parent_color", u64, 0, 0);
	btf__add_field(b, "rb_right", ptr, 64, 0);
	btf__add_field(b, "rb_left", ptr, 128, 0);
	sh = btf__add_struct(b, NULL, 32);
	btf__add_field(b, "rb", rb, 0, 0);
	btf__add_field(b, "rb_subtree_last", u64, 192, 0);
	dump_target_ops.type_size(tgt, "vm_area_struct", &sz);
	vma = btf__add_struct(b, "vm_area_struct", sz);
	for (i = 0; i < (int)(sizeof(vma_members) / sizeof(vma_members[0]));
	     i++)
		btf__add_field(b, vma_members[i], u64,
			       8 * member("vm_area_struct", vma_members[i]),
			       0);
	btf__add_field(b, "shared", sh,
		       8 * member("vm_area_struct", "shared"), 0);
	btf__add_enum(b, "maple_type", 4);
	btf__add_enum_value(b, "maple_dense", 0);
	btf__add_enum_value(b, "maple_leaf_64", 1);
	btf__add_enum_value(b, "maple_range_64", 2);
	btf__add_enum_value(b, "maple_arange_64", 3);
	raw = btf__raw_data(b, &rawsize);
	snprintf(path, sizeof(path), "%s/btf/%s", corpus, release);
	out = fopen(path, "wb");
	if (!out || fwrite(raw, 1, rawsize, out) != rawsize)
		exit(1);
	fclose(out);
	btf__free(b);
	(void)vma;
	printf("%s (%u bytes)\n", path, rawsize);
}

int main(int argc, char **argv)
{
	struct dump_target_options o = { 0 };
	struct vmacore_task_iter *it;
	struct vmacore_task t;
	struct vmacore_error *err;
	char core[4096], vmlinux[4096], *slash;
	int done_maple = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: extract DUMP_DIR CORPUS_DIR\n");
		return 2;
	}
	snprintf(core, sizeof(core), "%s/vmcore.elf", argv[1]);
	snprintf(vmlinux, sizeof(vmlinux), "%s/vmlinux", argv[1]);
	corpus = argv[2];
	slash = strrchr(argv[1], '/');
	release = slash ? slash + 1 : argv[1];
	o.vmcore = core;
	o.vmlinux = vmlinux;
	err = dump_target_open(&o, &tgt);
	if (!err)
		err = vmacore_ctx_create(&dump_target_ops, tgt, &ctx);
	if (err)
		die(core, err);

	err = vmacore_task_iter_create(ctx, false, &it);
	if (err)
		die("tasks", err);
	while (!(err = vmacore_task_iter_next(it, &t))) {
		struct vmacore_mm mm;

		if (!t.mm || vmacore_mm_read(ctx, t.mm, &mm) ||
		    mm.map_count > 64)
			continue;
		if (done_maple < 3 && strncmp(t.comm, "wl-", 3) == 0) {
			maple(&t);
			done_maple++;
		}
		if (paths_done < 3 && !strcmp(t.comm, "wl-mapper"))
			paths(&t);
	}
	vmacore_task_iter_destroy(it);
	tasks();
	flags();
	btf_seed();
	vmacore_ctx_destroy(ctx);
	dump_target_close(tgt);
	return 0;
}
