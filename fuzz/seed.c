// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * seed.c - write one synthetic seed input of a harness: kernel objects
 * built with tests/unit/fake_kernel.c in the arena (see fuzz.h), which is
 * where fake_alloc() starts.  fuzz/make-corpus runs it; the seeds from
 * the reference dumps come from fuzz/extract.c.
 *
 * usage: seed NAME VARIANT OUTPUT
 *        seed report-from VARIANT OUTPUT INPUT   (INPUT: a dump's seed)
 * (report-patch: a patch input of fuzz_report.c, not an arena)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static struct fake_target *f;
static uint64_t hdr;

static void h(int i, uint64_t v)
{
	fake_w64(f, hdr + 8 * i, v);
}

static uint64_t maple(unsigned int n, unsigned int leaf, unsigned int inner)
{
	uint64_t mm = fake_mm(f), *v = calloc(n + 1, 8), a = 0x400000;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t len = 0x1000 * (1 + i % 5);

		v[i] = fake_vma(f, mm, a, a + len, 0x73 + (i % 3) * 0x100000);
		a += len + (i % 4 ? 0 : 0x3000);
	}
	fake_tree_build(f, mm, v, n, leaf, inner, NULL);
	free(v);
	return mm;
}

/* A balanced interval tree of @n nodes at @node[i] + @rb, subtree last at
 * @node[i] + @sub, intervals [s[i], l[i]] sorted by s; returns the root. */
static uint64_t rbtree(const uint64_t *node, const uint64_t *s,
		       const uint64_t *l, long lo, long hi, uint64_t parent,
		       uint64_t rb, uint64_t sub, uint64_t *sub_ret)
{
	uint64_t left, right, ls = 0, rs = 0, m;
	long mid;

	if (lo > hi)
		return 0;
	mid = (lo + hi) / 2;
	left = rbtree(node, s, l, lo, mid - 1, node[mid] + rb, rb, sub, &ls);
	right = rbtree(node, s, l, mid + 1, hi, node[mid] + rb, rb, sub, &rs);
	m = l[mid];
	if (left && ls > m)
		m = ls;
	if (right && rs > m)
		m = rs;
	fake_w64(f, node[mid] + rb + 0, parent | (mid & 1));
	fake_w64(f, node[mid] + rb + 8, right);
	fake_w64(f, node[mid] + rb + 16, left);
	fake_w64(f, node[mid] + sub, m);
	*sub_ret = m;
	return node[mid] + rb;
}

static void interval(unsigned int n)
{
	uint64_t mm = fake_mm(f), as = fake_alloc(f, 0x80, 64);
	uint64_t av = fake_alloc(f, 0x80, 64), vma[64], avc[64], s[64], l[64];
	uint64_t root, sub;
	unsigned int i;

	for (i = 0; i < n; i++) {
		s[i] = i * 3;
		l[i] = s[i] + 1 + i % 7;
		vma[i] = fake_vma(f, mm, 0x400000 + i * 0x10000,
				  0x400000 + i * 0x10000 +
				  (l[i] - s[i] + 1) * 0x1000, 0x75);
		fake_w64(f, vma[i] + V_PGOFF, s[i]);
		fake_w64(f, vma[i] + V_ANON_VMA, av);
		avc[i] = fake_alloc(f, 0x48, 8);
		fake_w64(f, avc[i] + 0x0, vma[i]);
		fake_w64(f, avc[i] + 0x8, av);
		/* vma->anon_vma_chain: one avc */
		fake_w64(f, vma[i] + 0xa0, avc[i] + 0x10);
		fake_w64(f, vma[i] + 0xa8, avc[i] + 0x10);
		fake_w64(f, avc[i] + 0x10, vma[i] + 0xa0);
		fake_w64(f, avc[i] + 0x18, vma[i] + 0xa0);
	}
	root = rbtree(vma, s, l, 0, (long)n - 1, 0, V_SHARED, V_SHARED + 24,
		      &sub);
	fake_w64(f, as + 0x18, root);
	fake_w64(f, as + 0x20, n ? vma[0] + V_SHARED : 0);
	root = rbtree(avc, s, l, 0, (long)n - 1, 0, 0x28, 0x40, &sub);
	fake_w64(f, av + 0x0, av);
	fake_w64(f, av + 0x30, root);
	fake_w64(f, av + 0x38, n ? avc[0] + 0x28 : 0);
	h(0, as);
	h(1, av);
	h(2, 2);
	h(3, 9);
	h(4, n ? vma[n / 2] : 0);
}

static void tasks(unsigned int nproc, unsigned int nthr)
{
	unsigned int p, t;
	int pid = 1;

	for (p = 0; p < nproc; p++) {
		uint64_t sig = fake_signal(f), mm = p ? fake_mm(f) : 0;
		int tgid = pid;

		fake_task(f, pid++, tgid, p ? "worker" : "kthreadd", mm, sig);
		for (t = 0; t < nthr && p; t++)
			fake_task(f, pid++, tgid, "thread", mm, sig);
	}
	h(1, fake_r64(f, FAKE_INIT_TASK + T_TASKS));
	h(2, fake_r64(f, FAKE_INIT_TASK + T_TASKS + 8));
	h(3, pid - 1);
}

static void path(int variant)
{
	struct fake_fs fs;
	uint64_t d, file, mm, vma;

	fake_fs_init(f, &fs, 0x801);
	if (variant == 0) {
		d = fake_path(f, &fs, "/usr/lib/x86_64-linux-gnu/libc.so.6",
			      100);
		file = fake_file(f, fs.root_mnt, d);
	} else {
		/* a mount on /mnt/data, and a file below it */
		uint64_t mp = fake_path(f, &fs, "/mnt/data", 10);
		uint64_t sb = fake_sb(f, 0x802);
		uint64_t r = fake_dentry(f, 0, "/", fake_inode(f, sb, 2), true);
		uint64_t m = fake_mount(f, fs.root_mnt, mp, r);

		d = fake_dentry(f, r, "file.bin", fake_inode(f, sb, 12), true);
		file = fake_file(f, m, d);
	}
	mm = fake_mm(f);
	vma = fake_vma(f, mm, 0x7f0000000000ULL, 0x7f0000002000ULL, 0x75);
	fake_w64(f, vma + V_FILE, file);
	fake_w64(f, vma + V_PGOFF, 3);
	h(0, file);
	h(1, mm);
	h(2, vma);
	h(3, 4096);
}

static void flags(int variant)
{
	static const char *const codes[] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "um",
		"pf", "", "uw", "lo", "io", "sr", "rr", "dc", "de", "",
		"ac", "nr", "ht", "sf", "ar", "wf", "dd", "sd", "mm", "hg",
		"nh", "mg",
	};
	static const char *const names[] = {
		"read", "write", "exec", "shared", "mayread", "maywrite",
		"mayexec", "mayshare", "growsdown", "uffd_missing", "pfnmap",
	};
	uint64_t mn, nm, str;
	unsigned int i, stride = variant ? 3 : 2;

	mn = fake_alloc(f, 0xc0, 64);		/* +0x40 */
	nm = fake_alloc(f, 16 * 12, 256);	/* +0x100 */
	for (i = 0; i < 64; i++)
		fake_write(f, mn + stride * i,
			   i < 32 ? codes[i] : "??", stride == 3 && i < 32 ?
			   3 : 2);
	for (i = 0; i < 11; i++) {
		str = fake_alloc(f, strlen(names[i]) + 1, 8);
		fake_write(f, str, names[i], strlen(names[i]) + 1);
		fake_w64(f, nm + 16 * i, 1ULL << i);
		fake_w64(f, nm + 16 * i + 8, str);
	}
	if (mn != FUZZ_ARENA + 0x40 || nm != FUZZ_ARENA + 0x100)
		abort();
	h(0, stride * 64);
	h(1, 16 * 12);
	h(2, 0x8100073);
	h(3, 0xfff0000000000001ULL);
}

static void coredump(int variant)
{
	uint64_t mm = fake_mm(f), vma;

	vma = fake_vma(f, mm, 0x400000, 0x402000,
		       variant ? 0x4000073 : 0x100073);
	fake_w64(f, vma + V_ANON_VMA, variant ? 0 : fake_alloc(f, 0x80, 64));
	fake_w64(f, mm + MM_FLAGS, 0x33 << 2);
	h(0, mm);
	h(1, vma);
}

static void rmap(int variant)
{
	uint64_t mm = fake_mm(f), page, av, avc, vma, pfn, root, sub, s, l;
	uint64_t sig = fake_signal(f);

	page = fake_alloc(f, 0x40, 64);
	/* struct page of @pfn at @page: vmemmap_base + pfn * 64 */
	pfn = 0x12345;
	av = fake_alloc(f, 0x80, 64);
	vma = fake_vma(f, mm, 0x500000, 0x504000, 0x100073);
	fake_w64(f, vma + V_PGOFF, 0x500);
	fake_w64(f, vma + V_ANON_VMA, av);
	avc = fake_alloc(f, 0x48, 8);
	fake_w64(f, avc, vma);
	fake_w64(f, avc + 8, av);
	s = 0x500;
	l = 0x503;
	root = rbtree(&avc, &s, &l, 0, 0, 0, 0x28, 0x40, &sub);
	fake_w64(f, av, av);
	fake_w64(f, av + 0x30, root);
	fake_w64(f, page + 0x18, av | 1);
	fake_w64(f, page + 0x20, 0x501);
	if (variant) {
		/* KSM: a stable node whose one rmap item links to itself,
		 * with a hostile rmap_hlist_len */
		uint64_t stable = fake_alloc(f, 0x20, 8);
		uint64_t item = fake_alloc(f, 0x28, 8);

		fake_w64(f, page + 0x18, stable | 3);
		fake_w64(f, stable, item);
		fake_w32(f, stable + 0x10, 0x7fffffff);
		fake_w64(f, item, item);
		fake_w64(f, item + 0x10, av);
		fake_w64(f, item + 0x18, mm);
		fake_w64(f, item + 0x20, 0x501000);
	}
	fake_task(f, 42, 42, "mapper", mm, sig);
	h(1, fake_r64(f, FAKE_INIT_TASK + T_TASKS));
	h(2, fake_r64(f, FAKE_INIT_TASK + T_TASKS + 8));
	h(3, pfn);
	h(4, fake_r64(f, mm + MM_PGD));
	h(0, 0x501000);
	h(5, 0x100000);
	h(6, page - pfn * 0x40);
}

/* ---- report: the world of fuzz_report.c, with each command's words ---- */

#define R_ARGS_LEN FUZZ_ARGS_LEN

/* report_commands[] of report/report.c, in order */
static const char *const report_cmds[] = {
	"ps", "maps", "vma", "flags", "rmap", "imap", "anon", "coredump",
};

/* A, P, M: the anon page, the file page, the file's mapping */
static const char *const report_args[][6] = {
	{ "ps" }, { "ps", "-t", "--json" },
	{ "maps", "42", "50" }, { "maps", "--json", "-x", "mapper", "43", "999" },
	{ "vma", "42", "0x600010" }, { "vma", "--json", "50", "0x500000" },
	{ "flags", "0x8100073" }, { "flags", "--json", "0xfff0000000000001" },
	{ "rmap", "pfn:A" },
	{ "rmap", "--json", "-m", "page:P", "42:0x400000", "phys:A" },
	{ "imap", "/usr/lib/libc.so.6" },
	{ "imap", "--json", "42:0x401000", "0", "1" },
	{ "anon", "42", "0x600000" }, { "anon", "--json", "50", "0x600000" },
	{ "coredump", "42", "50" }, { "coredump", "--json", "42" },
	{ "imap", "mapping:M" }, { "maps", "-q", "42" }, { "coredump" },
	{ "rmap", "P", "A", "7:0x1000" },
};

/* The command of variant @v: its index in report_cmds[], its arguments
 * (NUL-separated, an empty one last) in @buf. */
static unsigned int report_words(const struct fuzz_world *w, unsigned int v,
				 char *buf)
{
	const char *const *a = report_args[v % (sizeof(report_args) /
						sizeof(report_args[0]))];
	unsigned long long anon_pfn = (w->anon_page - FUZZ_PHYS_BASE) >> 12;
	unsigned int i, cmd;
	char *p = buf;

	memset(buf, 0, R_ARGS_LEN);
	for (cmd = 0; strcmp(report_cmds[cmd], a[0]); cmd++)
		;
	for (i = 1; i < 6 && a[i]; i++) {
		const char *t = a[i];

		if (!strcmp(t, "pfn:A"))
			p += sprintf(p, "pfn:0x%llx", anon_pfn);
		else if (!strcmp(t, "phys:A"))
			p += sprintf(p, "phys:0x%llx", (anon_pfn << 12) + 0x10);
		else if (!strcmp(t, "page:P"))
			p += sprintf(p, "page:0x%llx", (unsigned long long)
				     fuzz_world_struct_page(w, w->file_page));
		else if (!strcmp(t, "P"))
			p += sprintf(p, "0x%llx", (unsigned long long)
				     fuzz_world_struct_page(w, w->file_page));
		else if (!strcmp(t, "A"))
			p += sprintf(p, "0x%llx", anon_pfn);
		else if (!strcmp(t, "mapping:M"))
			p += sprintf(p, "mapping:0x%llx",
				     (unsigned long long)w->mapping);
		else
			p += sprintf(p, "%s", t);
		p++;
	}
	return cmd;
}

/* The world as an arena. */
static void report(unsigned int variant)
{
	struct fuzz_world w;
	char words[R_ARGS_LEN];
	unsigned int cmd;

	fake_alloc_reset(FUZZ_ARENA);
	fuzz_world_build(f, &w);
	cmd = report_words(&w, variant, words);
	fake_write(f, w.args, words, sizeof(words));
	h(0, cmd | (variant == 18 ? 8 | (42ULL << 32) : 0));
}

/*
 * The same as a patch input (fuzz_report.c): the command word, the
 * arguments and four patches that change nothing (op 3: add 0), for the
 * fuzzer to mutate into damage.
 */
static void report_patch(unsigned int variant, const char *path)
{
	struct fuzz_world w;
	char words[R_ARGS_LEN];
	unsigned int i;
	uint64_t cmd;
	FILE *out;

	fake_alloc_reset(FUZZ_ARENA);
	fuzz_world_build(f, &w);
	cmd = report_words(&w, variant, words);
	if (variant == 18)
		cmd |= 8 | (42ULL << 32);
	out = fopen(path, "wb");
	if (!out || fwrite(&cmd, 8, 1, out) != 1 ||
	    fwrite(words, sizeof(words), 1, out) != 1)
		exit(1);
	for (i = 0; i < 4; i++) {
		uint32_t sel_op[2] = { 47 * i + variant, 3 };
		uint64_t zero = 0;

		fwrite(sel_op, sizeof(sel_op), 1, out);
		fwrite(&zero, 8, 1, out);
	}
	if (fclose(out))
		exit(1);
}

/*
 * A report seed from a seed of the reference dumps (fuzz/extract.c, at
 * @path): a maple one (real maple nodes, [0] the mm) gets a task
 * "wl-seed", pid 97, owning its mm; a tasks one (the real task list) is
 * used as is.  The arguments follow the arena ([4] says where).
 */
static uint32_t count_vmas(uint64_t mm)
{
	struct vmacore_ctx *ctx = fake_ctx(f);
	struct vmacore_vma_iter *it;
	struct vmacore_error *err;
	struct vmacore_vma v;
	uint32_t n = 0;

	err = vmacore_vma_iter_create(ctx, mm, &it);
	while (!err && !(err = vmacore_vma_iter_next(it, &v)))
		n++;
	if (err != &vmacore_stop)
		abort();
	vmacore_vma_iter_destroy(it);
	vmacore_ctx_destroy(ctx);
	return n;
}

static const char *const dump_args[][4] = {
	{ "ps" }, { "maps", "--json", "$P" }, { "coredump", "$P" },
	{ "vma", "$P", "$A" }, { "ps", "-t", "--json" }, { "anon", "$P", "$A" },
};

static void report_from(const char *path, unsigned int variant)
{
	const char *const *a = dump_args[variant % (sizeof(dump_args) /
						    sizeof(dump_args[0]))];
	uint64_t words[4] = { 0 }, at, args;
	unsigned int i, cmd;
	char text[64], *buf;
	long len;
	FILE *in = fopen(path, "rb");

	if (!in || fseek(in, 0, SEEK_END) || (len = ftell(in)) < 64 ||
	    fseek(in, 0, SEEK_SET))
		abort();
	buf = malloc(len);
	if (!buf || fread(buf, 1, len, in) != (size_t)len)
		abort();
	fclose(in);
	memcpy(words, buf, sizeof(words));
	fake_write(f, FUZZ_ARENA, buf, len);
	free(buf);
	fake_alloc_reset(FUZZ_ARENA + len);
	if (strstr(path, "/maple/")) {
		fake_task(f, 97, 97, "wl-seed", words[0], fake_signal(f));
		/* extract.c leaves map_count 0: the real count, or the walk
		 * is partial */
		fake_w32(f, words[0] + MM_MAP_COUNT, count_vmas(words[0]));
		words[1] = 0x401000;	/* in the workload binary */
		words[3] = 97;
	} else {
		/* init_task.tasks as the tasks seed has it */
		fake_w64(f, FAKE_INIT_TASK + T_TASKS, words[1]);
		fake_w64(f, FAKE_INIT_TASK + T_TASKS + 8, words[2]);
		words[1] = 0x7ffff7dd0000ULL;
	}
	args = at = fake_alloc(f, R_ARGS_LEN, 64);
	for (cmd = 0; strcmp(report_cmds[cmd], a[0]); cmd++)
		;
	for (i = 1; i < 4 && a[i]; i++) {
		if (!strcmp(a[i], "$P"))
			snprintf(text, sizeof(text), "%llu",
				 (unsigned long long)words[3]);
		else if (!strcmp(a[i], "$A"))
			snprintf(text, sizeof(text), "0x%llx",
				 (unsigned long long)words[1]);
		else
			snprintf(text, sizeof(text), "%s", a[i]);
		fake_write(f, at, text, strlen(text) + 1);
		at += strlen(text) + 1;
	}
	fake_zero(f, FUZZ_ARENA, 64);
	h(0, cmd);
	h(1, fake_r64(f, FAKE_INIT_TASK + T_TASKS));
	h(2, fake_r64(f, FAKE_INIT_TASK + T_TASKS + 8));
	h(4, args - FUZZ_ARENA);
}

int main(int argc, char **argv)
{
	uint64_t end, a;
	int v;
	FILE *out;

	if (argc != 4 && !(argc == 5 && !strcmp(argv[1], "report-from"))) {
		fprintf(stderr, "usage: seed NAME VARIANT OUTPUT [INPUT]\n");
		return 2;
	}
	v = atoi(argv[2]);
	f = fake_create();
	fake_layout_default(f);
	hdr = fake_alloc(f, 64, 64);
	if (hdr != FUZZ_ARENA)
		abort();
	if (!strcmp(argv[1], "maple")) {
		static const unsigned int n[] = { 0, 1, 3, 20, 200, 40 };
		static const unsigned int lf[] = { 16, 16, 16, 6, 16, 3 };
		static const unsigned int in[] = { 10, 10, 10, 3, 10, 2 };

		h(0, maple(n[v % 6], lf[v % 6], in[v % 6]));
		h(1, 0x402000);
	} else if (!strcmp(argv[1], "tasks")) {
		tasks(1 + v * 3, v);
	} else if (!strcmp(argv[1], "path")) {
		path(v);
	} else if (!strcmp(argv[1], "flags")) {
		flags(v);
	} else if (!strcmp(argv[1], "interval")) {
		interval(v ? 13 : 3);
	} else if (!strcmp(argv[1], "coredump")) {
		coredump(v);
	} else if (!strcmp(argv[1], "rmap")) {
		rmap(v);
	} else if (!strcmp(argv[1], "report")) {
		report(v);
	} else if (!strcmp(argv[1], "report-patch")) {
		report_patch(v, argv[3]);
		fake_destroy(f);
		return 0;
	} else if (!strcmp(argv[1], "report-from")) {
		report_from(argv[4], v);
	} else {
		fprintf(stderr, "seed: unknown harness %s\n", argv[1]);
		return 2;
	}
	end = fake_alloc(f, 0, 1);
	out = fopen(argv[3], "wb");
	if (!out)
		return 1;
	for (a = FUZZ_ARENA; a < end; a += 8) {
		uint64_t w = fake_r64(f, a);

		fwrite(&w, 1, end - a < 8 ? end - a : 8, out);
	}
	fclose(out);
	fake_destroy(f);
	return 0;
}
