// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_maple.c - the maple tree walk and lookup of lib/maple.c on trees
 * laid out in a fake target: each node type, the data-end rules, zero
 * entries, dead nodes, and corrupted trees that must fail cleanly.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_kernel.h"
#include "tap.h"

#define XA_ZERO_ENTRY ((257ULL << 2) | 2)
#define PAGE 4096ULL

static char last_log[512];

static char dead_log[512];
static bool walk_partial;
static char losses_text[8192];
struct env;
static void check_losses(struct env *e, const char *what,
			 enum vmacore_error_code code, unsigned int max_missing);

static void log_fn(void *arg, const char *msg)
{
	snprintf(last_log, sizeof(last_log), "%s", msg);
	if (strstr(msg, "dead"))
		snprintf(dead_log, sizeof(dead_log), "%s", msg);
}

struct env {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	uint64_t mm;
	uint64_t *vmas;
	uint64_t *range;	/* [start, end) of each VMA, before damage */
	unsigned int n;
	uint64_t nodes[4096];
	unsigned int nnodes;
};

/* @n VMAs of 1..3 pages with 0..2 page gaps, from 0x400000. */
static void env_init(struct env *e, unsigned int n, unsigned int leaf_fill,
		     unsigned int inner_fill)
{
	uint64_t a = 0x400000;
	unsigned int i;

	e->f = fake_create();
	fake_layout_default(e->f);
	e->ctx = fake_ctx(e->f);
	vmacore_ctx_set_log(e->ctx, log_fn, NULL);
	e->mm = fake_mm(e->f);
	e->n = n;
	e->vmas = calloc(n + 1, sizeof(uint64_t));
	for (i = 0; i < n; i++) {
		uint64_t len = PAGE * (1 + i % 3);

		a += PAGE * (i % 3 == 1 ? 0 : i % 3);
		e->vmas[i] = fake_vma(e->f, e->mm, a, a + len, 0x73 + i);
		a += len;
	}
	e->nnodes = fake_tree_build(e->f, e->mm, e->vmas, n, leaf_fill,
				    inner_fill, e->nodes);
	e->range = calloc(2 * n + 2, sizeof(uint64_t));
	for (i = 0; i < n; i++) {
		e->range[2 * i] = fake_r64(e->f, e->vmas[i] + V_START);
		e->range[2 * i + 1] = fake_r64(e->f, e->vmas[i] + V_END);
	}
}

static void env_fini(struct env *e)
{
	vmacore_ctx_destroy(e->ctx);
	fake_destroy(e->f);
	free(e->vmas);
	free(e->range);
}

/*
 * Walk the whole tree: the number of VMAs returned (all checked against
 * e->vmas in order) or -1; *err_ret gets the error (NULL at a clean end).
 */
static long walk(struct env *e, struct vmacore_error **err_ret)
{
	struct vmacore_vma_iter *it;
	struct vmacore_vma v;
	struct vmacore_error *err;
	long n = 0;
	bool same = true;

	*err_ret = NULL;
	err = vmacore_vma_iter_create(e->ctx, e->mm, &it);
	if (err) {
		*err_ret = err;
		return -1;
	}
	while (!(err = vmacore_vma_iter_next(it, &v))) {
		if (n >= (long)e->n || v.addr != e->vmas[n])
			same = false;
		n++;
		if (n > 1000000)
			break;
	}
	walk_partial = err == &vmacore_stop && vmacore_vma_iter_partial(it);
	vmacore_vma_iter_destroy(it);
	if (err != &vmacore_stop) {
		*err_ret = err;
		return -1;
	}
	return same ? n : -2;
}

/* Every VMA found by its first and last byte, and no gap byte found. */
static bool find_all(struct env *e, const char **why)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	unsigned int i;
	bool found;
	uint64_t s, end, prev_end = 0;

	for (i = 0; i < e->n; i++) {
		s = fake_r64(e->f, e->vmas[i] + V_START);
		end = fake_r64(e->f, e->vmas[i] + V_END);
		err = vmacore_vma_find(e->ctx, e->mm, s, &v, &found);
		if (err || !found || v.addr != e->vmas[i]) {
			*why = "start";
			vmacore_error_destroy(err);
			return false;
		}
		err = vmacore_vma_find(e->ctx, e->mm, end - 1, &v, &found);
		if (err || !found || v.addr != e->vmas[i]) {
			*why = "last byte";
			vmacore_error_destroy(err);
			return false;
		}
		if (s > prev_end) {
			err = vmacore_vma_find(e->ctx, e->mm, s - 1, &v,
					       &found);
			if (err || found) {
				*why = "gap";
				vmacore_error_destroy(err);
				return false;
			}
		}
		prev_end = end;
	}
	err = vmacore_vma_find(e->ctx, e->mm, UINT64_MAX, &v, &found);
	if (err || found) {
		*why = "end";
		vmacore_error_destroy(err);
		return false;
	}
	return true;
}

static void test_shape(const char *what, unsigned int n, unsigned int lf,
		       unsigned int inf)
{
	struct vmacore_error *err;
	struct env e;
	const char *why = "";
	long got;

	env_init(&e, n, lf, inf);
	got = walk(&e, &err);
	is_int(got, n, "%s: walk returns the %u VMAs in order (%u nodes)",
	       what, n, e.nnodes);
	ok(!walk_partial, "%s: and is complete", what);
	if (err)
		printf("#   %s\n", err->message);
	vmacore_error_destroy(err);
	ok(find_all(&e, &why), "%s: vma_find finds each VMA and no gap (%s)",
	   what, why);
	env_fini(&e);
}

static void test_shapes(void)
{
	test_shape("empty tree", 0, 10, 10);
	test_shape("one leaf root", 3, 16, 10);
	test_shape("two levels, meta end", 30, 7, 10);
	/* 16 items per leaf: data end = mt_pivots (pivot[14] != max) */
	test_shape("full leaves", 200, 16, 10);
	/* 15 items: pivot[14] == max gives the end */
	test_shape("15-slot leaves", 200, 15, 10);
	test_shape("full arange nodes, three levels", 400, 10, 10);
	test_shape("thin tree, deep", 300, 2, 2);
}

static void test_vma_fields(void)
{
	struct vmacore_vma_iter *it;
	struct vmacore_vma v;
	struct env e;

	env_init(&e, 3, 16, 10);
	fake_w64(e.f, e.vmas[1] + V_PGOFF, 0x1234);
	fake_w64(e.f, e.vmas[1] + V_FILE, 0xffff888000abc000ULL);
	fake_w64(e.f, e.vmas[1] + V_OPS, 0xffffffff82000100ULL);
	fake_w64(e.f, e.vmas[1] + V_ANON_VMA, 0xffff888000def000ULL);
	no_err(vmacore_vma_iter_create(e.ctx, e.mm, &it), "iterator created");
	no_err(vmacore_vma_iter_next(it, &v), "first VMA");
	no_err(vmacore_vma_iter_next(it, &v), "second VMA");
	is_int(v.vm_start, fake_r64(e.f, e.vmas[1] + V_START), "vm_start");
	is_int(v.vm_end, fake_r64(e.f, e.vmas[1] + V_END), "vm_end");
	is_int(v.vm_flags, 0x74, "vm_flags");
	is_int(v.vm_pgoff, 0x1234, "vm_pgoff");
	is_int(v.vm_file, 0xffff888000abc000ULL, "vm_file");
	is_int(v.vm_ops, 0xffffffff82000100ULL, "vm_ops");
	is_int(v.anon_vma, 0xffff888000def000ULL, "anon_vma");
	is_int(v.vm_mm, e.mm, "vm_mm");
	no_err(vmacore_vma_iter_next(it, &v), "third VMA");
	ok(vmacore_vma_iter_next(it, &v) == &vmacore_stop, "then STOP");
	ok(vmacore_vma_iter_next(it, &v) == &vmacore_stop,
	   "next after the end is STOP again");
	vmacore_vma_iter_destroy(it);
	env_fini(&e);
}

/* Find the slot of a leaf that holds @vma; returns its address. */
static uint64_t slot_of(struct env *e, uint64_t vma)
{
	unsigned int i, s;

	for (i = 0; i < e->nnodes; i++)
		for (s = 0; s < MR64_SLOTS; s++)
			if (fake_r64(e->f, e->nodes[i] + MR64_SLOT + 8 * s) ==
			    vma)
				return e->nodes[i] + MR64_SLOT + 8 * s;
	return 0;
}

static void test_zero_entry(void)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	struct env e;
	bool found;
	long got;

	env_init(&e, 50, 8, 4);
	/* A failed fork leaves XA_ZERO_ENTRY where VMAs were not copied. */
	fake_w64(e.f, slot_of(&e, e.vmas[20]), XA_ZERO_ENTRY);
	e.vmas[20] = e.vmas[21];
	memmove(&e.vmas[20], &e.vmas[21], (e.n - 21) * sizeof(uint64_t));
	e.n--;
	got = walk(&e, &err);
	is_int(got, 49, "XA_ZERO_ENTRY is skipped by the walk");
	vmacore_error_destroy(err);
	no_err(vmacore_vma_find(e.ctx, e.mm,
				fake_r64(e.f, e.vmas[19] + V_END) + 0x10, &v,
				&found), "lookup on a zero entry");
	env_fini(&e);

	env_init(&e, 0, 8, 4);
	fake_w64(e.f, e.mm + MM_MT + MT_ROOT, XA_ZERO_ENTRY);
	got = walk(&e, &err);
	is_int(got, 0, "a root XA_ZERO_ENTRY is an empty tree");
	vmacore_error_destroy(err);
	env_fini(&e);
}

static void test_dead_node(void)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	struct env e;
	uint64_t leaf;
	unsigned int i;
	bool found;
	long got;

	env_init(&e, 40, 10, 10);
	/* mte_set_node_dead(): the node's parent points to itself */
	leaf = e.nodes[1];
	fake_w64(e.f, leaf + MN_PARENT, leaf);
	got = walk(&e, &err);
	ok(got == -2 && !err, "a dead leaf is skipped by the walk");
	vmacore_error_destroy(err);
	ok(walk_partial, "and the walk says it is partial");
	check_losses(&e, "dead leaf", VMACORE_ERROR_CORRUPT, 10);
	ok(strstr(losses_text, "is dead (dump taken mid-update)") != NULL,
	   "and the loss names the dead node: %s", losses_text);
	ok(strstr(losses_text, "39 VMAs read from mm_mt, map_count says 40") ||
	   strstr(losses_text, "VMAs read from mm_mt, map_count says 40"),
	   "and the count that disagrees with map_count");
	for (i = 0; !fake_r64(e.f, leaf + MR64_SLOT + 8 * i); i++)
		;
	err = vmacore_vma_find(e.ctx, e.mm,
			       fake_r64(e.f, fake_r64(e.f, leaf + MR64_SLOT +
						      8 * i) + V_START),
			       &v, &found);
	is_err(err, VMACORE_ERROR_CORRUPT, "a lookup reaching a dead node fails");
	env_fini(&e);
}

static void test_range64_and_dense(void)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	struct env e;
	uint64_t root, dense, leaf, tree;
	bool found;
	long got;

	/*
	 * A tree without MT_FLAGS_ALLOC_RANGE: a range_64 root over a
	 * dense leaf (one index per slot) and a leaf_64.
	 */
	env_init(&e, 0, 8, 4);
	e.n = 4;
	e.vmas = realloc(e.vmas, 5 * sizeof(uint64_t));
	dense = fake_alloc(e.f, MN_SIZE, 256);
	leaf = fake_alloc(e.f, MN_SIZE, 256);
	root = fake_alloc(e.f, MN_SIZE, 256);
	tree = e.mm + MM_MT;
	/* dense covers [0x100, 0x11e]: VMAs of one byte at 0x102, 0x105 */
	e.vmas[0] = fake_vma(e.f, e.mm, 0x102, 0x103, 1);
	e.vmas[1] = fake_vma(e.f, e.mm, 0x105, 0x106, 1);
	fake_w64(e.f, dense + MN_SLOT + 8 * 2, e.vmas[0]);
	fake_w64(e.f, dense + MN_SLOT + 8 * 5, e.vmas[1]);
	fake_w64(e.f, dense + MN_PARENT, root);
	/* leaf_64 covers [0x11f, max]: gap, VMA [0x2000, 0x3000), gap ... */
	e.vmas[2] = fake_vma(e.f, e.mm, 0x2000, 0x3000, 1);
	e.vmas[3] = fake_vma(e.f, e.mm, 0x5000, 0x6000, 1);
	fake_w64(e.f, leaf + MR64_PIVOT, 0x1fff);
	fake_w64(e.f, leaf + MR64_SLOT + 8, e.vmas[2]);
	fake_w64(e.f, leaf + MR64_PIVOT + 8, 0x2fff);
	fake_w64(e.f, leaf + MR64_PIVOT + 16, 0x4fff);
	fake_w64(e.f, leaf + MR64_SLOT + 24, e.vmas[3]);
	fake_w64(e.f, leaf + MR64_PIVOT + 24, 0x5fff);
	fake_w64(e.f, leaf + MR64_PIVOT + 32, UINT64_MAX);
	fake_w8(e.f, leaf + MR64_META, 4);
	fake_w64(e.f, leaf + MN_PARENT, root);
	/* range_64 root: [0, 0xff] NULL... no: slot 0 [0, 0x11e] dense */
	fake_w64(e.f, root + MR64_SLOT, fake_enode(dense, MT_DENSE));
	fake_w64(e.f, root + MR64_PIVOT, 0x11e);
	fake_w64(e.f, root + MR64_SLOT + 8, fake_enode(leaf, MT_LEAF));
	fake_w64(e.f, root + MR64_PIVOT + 8, UINT64_MAX);
	fake_w8(e.f, root + MR64_META, 1);
	fake_w64(e.f, root + MN_PARENT, tree | 1);
	fake_w64(e.f, tree + MT_ROOT, fake_enode(root, MT_RANGE) | 2);
	fake_w32(e.f, tree + MT_FLAGS, 2 << 2);

	/* dense slot i covers min + i; min of the dense node is 0 here */
	fake_w64(e.f, e.vmas[0] + V_START, 2);
	fake_w64(e.f, e.vmas[0] + V_END, 3);
	fake_w64(e.f, e.vmas[1] + V_START, 5);
	fake_w64(e.f, e.vmas[1] + V_END, 6);
	got = walk(&e, &err);
	is_int(got, 4, "range_64 root over a dense leaf and a leaf_64");
	if (err)
		printf("#   %s\n", err->message);
	vmacore_error_destroy(err);
	found = false;
	no_err(vmacore_vma_find(e.ctx, e.mm, 5, &v, &found),
	       "lookup in a dense node");
	ok(found && v.addr == e.vmas[1], "finds the dense entry");
	no_err(vmacore_vma_find(e.ctx, e.mm, 0x5800, &v, &found),
	       "lookup in the leaf");
	ok(found && v.addr == e.vmas[3], "finds the leaf entry");
	env_fini(&e);
}

/*
 * The outcome of one walk, checked against e->vmas (the truth): the VMAs
 * it returned, the losses it recorded, and how they fit together.
 */
struct outcome {
	struct vmacore_error *err;	/* a walk-ending error (owned) */
	unsigned int returned;
	unsigned int missing;		/* truth VMAs not returned */
	unsigned int uncovered;		/* ... and in no ranged loss */
	unsigned int foreign;		/* returned, not in the truth/order */
	unsigned int in_loss;		/* returned inside a lost range */
	unsigned int nlosses, ranged;
	bool unranged;			/* the map_count entry */
	enum vmacore_error_code first_code;
};

static bool in_losses(const struct vmacore_vma_loss *l, size_t n,
		      uint64_t start, uint64_t end)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (l[i].ranged && start >= l[i].start && end - 1 <= l[i].last)
			return true;
	return false;
}

static void walk_outcome(struct env *e, struct outcome *o)
{
	const struct vmacore_vma_loss *l;
	struct vmacore_vma_iter *it;
	struct vmacore_vma v;
	struct vmacore_error *err;
	unsigned int next = 0, i, k;
	size_t n, pos = 0;
	bool *seen = calloc(e->n + 1, sizeof(bool));
	uint64_t *got = calloc(e->n + 1, 2 * sizeof(uint64_t));

	memset(o, 0, sizeof(*o));
	losses_text[0] = '\0';
	err = vmacore_vma_iter_create(e->ctx, e->mm, &it);
	if (err) {
		o->err = err;
		free(seen);
		free(got);
		return;
	}
	while (!(err = vmacore_vma_iter_next(it, &v))) {
		for (k = next; k < e->n && e->vmas[k] != v.addr; k++)
			;
		if (k == e->n) {
			o->foreign++;
		} else {
			seen[k] = true;
			next = k + 1;
		}
		if (o->returned < e->n) {
			got[2 * o->returned] = v.vm_start;
			got[2 * o->returned + 1] = v.vm_end;
		}
		if (++o->returned > 1000000)
			break;
	}
	if (err != &vmacore_stop)
		o->err = err;
	n = vmacore_vma_iter_losses(it, &l);
	o->nlosses = n;
	for (i = 0; i < n; i++) {
		o->ranged += l[i].ranged;
		o->unranged |= !l[i].ranged;
		if (!i)
			o->first_code = l[i].code;
		pos += snprintf(losses_text + pos, sizeof(losses_text) - pos,
				"%s%s", i ? " | " : "", l[i].message);
		if (pos >= sizeof(losses_text))
			pos = sizeof(losses_text) - 1;
	}
	for (i = 0; i < e->n; i++) {
		if (seen[i])
			continue;
		o->missing++;
		if (!in_losses(l, n, e->range[2 * i], e->range[2 * i + 1]))
			o->uncovered++;
	}
	for (i = 0; i < o->returned && i < e->n; i++)
		if (in_losses(l, n, got[2 * i], got[2 * i + 1]))
			o->in_loss++;
	vmacore_vma_iter_destroy(it);
	free(seen);
	free(got);
}

/*
 * A damaged part costs its own range only: the walk ends without error,
 * returns every VMA of the truth outside the lost ranges and none inside,
 * at most @max_missing are lost, and the first loss has @code.
 */
static void check_losses(struct env *e, const char *what,
			 enum vmacore_error_code code, unsigned int max_missing)
{
	struct outcome o;

	walk_outcome(e, &o);
	if (!ok(!o.err, "%s: the walk goes on past the damage", what))
		printf("#   %s\n", o.err->message);
	vmacore_error_destroy(o.err);
	ok(o.ranged >= 1 && o.first_code == code,
	   "%s: a %s loss is recorded: %s", what,
	   vmacore_error_code_name(code), losses_text);
	ok(!o.uncovered && !o.foreign && !o.in_loss,
	   "%s: every VMA outside the lost ranges is returned, none inside (%u uncovered, %u foreign, %u inside)",
	   what, o.uncovered, o.foreign, o.in_loss);
	ok(o.missing >= 1 && o.missing <= max_missing,
	   "%s: it costs %u of %u VMAs (at most %u)", what, o.missing, e->n,
	   max_missing);
}

/* Lookups on a damaged tree: each returns, found or not or an error. */
static void lookups_return(struct env *e, const char *what)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	unsigned int i, bad = 0;
	bool found;

	for (i = 0; i < e->n; i++) {
		found = false;
		err = vmacore_vma_find(e->ctx, e->mm, 0x400000 + i * 0x3000,
				       &v, &found);
		/* a VMA found must be the truth's VMA at that address */
		if (!err && found &&
		    (v.vm_start > 0x400000 + i * 0x3000 ||
		     v.vm_end <= 0x400000 + i * 0x3000))
			bad++;
		vmacore_error_destroy(err);
	}
	ok(!bad, "%s: lookups return only VMAs that contain the address (%u bad)",
	   what, bad);
}

static void expect_loss(struct env *e, enum vmacore_error_code code,
			unsigned int max_missing, const char *what)
{
	check_losses(e, what, code, max_missing);
	lookups_return(e, what);
}

/* Damage at the root: no walk at all, an error from the start. */
static void expect_walk_err(struct env *e, enum vmacore_error_code code,
			    const char *what)
{
	struct outcome o;

	walk_outcome(e, &o);
	if (!ok(o.err && o.err->code == code && !o.returned,
		"%s: walk fails with %s", what, vmacore_error_code_name(code)))
		printf("#   got %u VMAs, %s\n", o.returned,
		       o.err ? o.err->message : "no error");
	vmacore_error_destroy(o.err);
	lookups_return(e, what);
}

static void test_corrupt(void)
{
	struct env e;
	uint64_t root, leaf, vma, a, b;

	/* A cycle: a leaf's parent slot points back to the root. */
	env_init(&e, 300, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	fake_w64(e.f, root + MA64_SLOT + 8,
		 fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~2ULL);
	fake_w32(e.f, e.mm + MM_MT + MT_FLAGS, 1);	/* no height */
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 150, "cycle to the root");
	env_fini(&e);

	/* The same node twice in one parent. */
	env_init(&e, 300, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	fake_w64(e.f, root + MA64_SLOT + 8, fake_r64(e.f, root + MA64_SLOT));
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 150, "node reached twice");
	env_fini(&e);

	/* Unknown node type 7 in an encoded pointer. */
	env_init(&e, 300, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	a = fake_r64(e.f, root + MA64_SLOT + 16);
	fake_w64(e.f, root + MA64_SLOT + 16, (a & ~0x78ULL) | (7 << 3));
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 150, "unknown node type");
	env_fini(&e);

	/* Unordered pivots in a leaf. */
	env_init(&e, 100, 10, 10);
	leaf = e.nodes[2];
	a = fake_r64(e.f, leaf + MR64_PIVOT + 8 * 2);
	b = fake_r64(e.f, leaf + MR64_PIVOT + 8 * 3);
	fake_w64(e.f, leaf + MR64_PIVOT + 8 * 2, b);
	fake_w64(e.f, leaf + MR64_PIVOT + 8 * 3, a);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 10, "unordered pivots");
	env_fini(&e);

	/* A pivot beyond the range the parent gave the node. */
	env_init(&e, 100, 10, 10);
	leaf = e.nodes[0];
	fake_w64(e.f, leaf + MR64_PIVOT + 8 * 3, 0x7fffffffffffULL);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 10, "pivot beyond the node max");
	env_fini(&e);

	/* A child pointer outside memory. */
	env_init(&e, 100, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	fake_w64(e.f, root + MA64_SLOT + 8,
		 fake_enode(0xffffc90000000000ULL, MT_LEAF));
	expect_loss(&e, VMACORE_ERROR_FAULT, 70, "node outside memory");
	env_fini(&e);

	/* A VMA pointer outside memory. */
	env_init(&e, 100, 10, 10);
	fake_w64(e.f, slot_of(&e, e.vmas[7]), 0xffffc90000001000ULL);
	expect_loss(&e, VMACORE_ERROR_FAULT, 1, "vma outside memory");
	env_fini(&e);

	/* A node page that the dump does not hold. */
	env_init(&e, 100, 10, 10);
	fake_nodata(e.f, e.nodes[3]);
	expect_loss(&e, VMACORE_ERROR_NODATA, 100, "node not in dump");
	env_fini(&e);

	/* meta.end beyond the slots of an arange node. */
	env_init(&e, 300, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	fake_w8(e.f, root + MA64_META, 12);
	expect_walk_err(&e, VMACORE_ERROR_CORRUPT, "data end beyond the slots");
	env_fini(&e);

	/* A VMA whose range is not its slot's. */
	env_init(&e, 100, 10, 10);
	vma = e.vmas[30];
	fake_w64(e.f, vma + V_END, fake_r64(e.f, vma + V_END) + PAGE);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 1, "vma range != slot range");
	env_fini(&e);

	/* vm_start >= vm_end. */
	env_init(&e, 100, 10, 10);
	vma = e.vmas[31];
	fake_w64(e.f, vma + V_END, fake_r64(e.f, vma + V_START));
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 1, "vm_start >= vm_end");
	env_fini(&e);

	/* A VMA of another mm. */
	env_init(&e, 100, 10, 10);
	fake_w64(e.f, e.vmas[32] + V_MM, e.mm + 0x1000);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 1, "vm_mm of another mm");
	env_fini(&e);

	/* A leaf entry that is an internal value, not a pointer. */
	env_init(&e, 100, 10, 10);
	fake_w64(e.f, slot_of(&e, e.vmas[33]), 0x402);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 1, "internal entry in a leaf");
	env_fini(&e);

	/* NULL child in an internal node. */
	env_init(&e, 100, 10, 10);
	root = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL;
	fake_w64(e.f, root + MA64_SLOT + 8, 0);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 70, "NULL child");
	env_fini(&e);

	/* A leaf above the height recorded in ma_flags. */
	env_init(&e, 100, 10, 10);
	fake_w32(e.f, e.mm + MM_MT + MT_FLAGS, 1 | (5 << 2));
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 100, "leaf depth != height");
	env_fini(&e);

	/* A root that is a direct entry: only index 0, so never a VMA. */
	env_init(&e, 3, 16, 10);
	fake_w64(e.f, e.mm + MM_MT + MT_ROOT, e.vmas[0]);
	{
		struct outcome o;

		walk_outcome(&e, &o);
		ok(!o.err && !o.returned && o.ranged == 1 &&
		   o.first_code == VMACORE_ERROR_CORRUPT && o.unranged,
		   "direct root entry: index 0 lost, and map_count disagrees: %s",
		   losses_text);
		vmacore_error_destroy(o.err);
	}
	env_fini(&e);

	/* A damaged root node: nothing can be walked. */
	env_init(&e, 100, 10, 10);
	fake_nodata(e.f, fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~255ULL);
	expect_walk_err(&e, VMACORE_ERROR_NODATA, "root node not in dump");
	env_fini(&e);

	/* A tree of 3 VMAs whose map_count says 42 (issue 10). */
	env_init(&e, 3, 16, 10);
	fake_w32(e.f, e.mm + MM_MAP_COUNT, 42);
	{
		struct outcome o;

		walk_outcome(&e, &o);
		ok(!o.err && o.returned == 3 && o.unranged && !o.ranged &&
		   strstr(losses_text, "3 VMAs read from mm_mt, map_count says 42"),
		   "map_count 42 over 3 VMAs: all 3 returned, the count named: %s",
		   losses_text);
		vmacore_error_destroy(o.err);
	}
	env_fini(&e);

	/* Two damaged leaves far apart: each costs its own range. */
	env_init(&e, 300, 10, 10);
	fake_w64(e.f, e.nodes[3] + MN_PARENT, e.nodes[3]);	/* dead */
	fake_w64(e.f, e.nodes[30] + MN_PARENT, e.nodes[30]);
	{
		struct outcome o;

		walk_outcome(&e, &o);
		ok(!o.err && o.ranged == 2 && !o.uncovered && !o.foreign &&
		   !o.in_loss && o.missing <= 20 && o.returned == 300 - o.missing,
		   "two damaged leaves: two losses, %u of 300 VMAs lost: %s",
		   o.missing, losses_text);
		vmacore_error_destroy(o.err);
	}
	env_fini(&e);
}

/* 40 range_64 nodes in a chain, each with one child: deeper than 31. */
static void test_depth(void)
{
	struct env e;
	uint64_t child, node = 0;
	unsigned int i;

	env_init(&e, 1, 16, 10);
	child = fake_r64(e.f, e.mm + MM_MT + MT_ROOT) & ~2ULL;
	for (i = 0; i < 40; i++) {
		node = fake_alloc(e.f, MN_SIZE, 256);
		fake_w64(e.f, node + MR64_SLOT, child);
		fake_w64(e.f, node + MR64_PIVOT, UINT64_MAX);
		fake_w8(e.f, node + MR64_META, 0);
		fake_w64(e.f, (child & ~255ULL) + MN_PARENT, node);
		child = fake_enode(node, MT_RANGE);
	}
	fake_w64(e.f, e.mm + MM_MT + MT_ROOT, child | 2);
	fake_w32(e.f, e.mm + MM_MT + MT_FLAGS, 1);
	expect_loss(&e, VMACORE_ERROR_CORRUPT, 1, "41 levels");
	env_fini(&e);
}

/* Random damage to every node: never a crash or a hang. */
static void test_random_damage(void)
{
	unsigned int round, errors = 0, clean = 0, bad = 0;
	struct outcome o;
	struct env e;

	srand(1);
	for (round = 0; round < 300; round++) {
		unsigned int k;

		env_init(&e, 120, 6 + round % 10, 2 + round % 9);
		for (k = 0; k < 1 + round % 4; k++) {
			uint64_t node = e.nodes[rand() % e.nnodes];
			unsigned int off = rand() % MN_SIZE;

			if (rand() % 2)
				fake_w8(e.f, node + off, rand());
			else
				fake_w64(e.f, node + (off & ~7U),
					 fake_r64(e.f, e.nodes[rand() %
							       e.nnodes]) ^
					 (rand() % 3 ? 0 : (uint64_t)rand()));
		}
		walk_outcome(&e, &o);
		/*
		 * Honest: an error only when nothing could be walked, no VMA
		 * but the truth's in order, none inside a lost range, and a
		 * VMA missing only inside one, or with the count disagreeing.
		 */
		if ((o.err && o.returned) ||
		    (!o.err && (o.foreign || o.in_loss ||
				(o.uncovered && !o.unranged))))
			bad++;
		if (o.err)
			errors++;
		else if (!o.nlosses)
			clean++;
		vmacore_error_destroy(o.err);
		env_fini(&e);
	}
	ok(!bad, "300 randomly damaged trees: %u dishonest walks (%u errors, %u without loss)",
	   bad, errors, clean);
}

static void test_performance(void)
{
	struct vmacore_error *err;
	struct timespec t0, t1;
	unsigned long reads;
	struct env e;
	double ns;
	long got;

	env_init(&e, 20000, 10, 10);
	reads = fake_read_count(e.f);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	got = walk(&e, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reads = fake_read_count(e.f) - reads;
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	is_int(got, 20000, "20000 VMAs walked");
	vmacore_error_destroy(err);
	ok(reads <= e.nnodes + 20000 + 4,
	   "one read per node and per VMA: %lu reads for %u nodes + 20000 VMAs",
	   reads, e.nnodes);
	printf("# %.0f ns per VMA on the fake target\n", ns / 20000);
	env_fini(&e);
}

int main(void)
{
	test_shapes();
	test_vma_fields();
	test_zero_entry();
	test_dead_node();
	test_range64_and_dense();
	test_corrupt();
	test_depth();
	test_random_damage();
	test_performance();
	return tap_done();
}
