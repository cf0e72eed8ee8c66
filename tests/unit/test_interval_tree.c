// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_interval_tree.c - the one interval-tree walk (lib/interval_tree.c)
 * on trees laid out in a fake target: address_space.i_mmap of VMAs and
 * anon_vma.rb_root of anon_vma_chains, checked against a brute-force scan;
 * pruning (node reads), and corrupted trees.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_rmap.h"
#include "tap.h"

/* The offsets of this test's structs are in fake_rmap.h. */
static void layout(struct fake_target *f)
{
	fake_layout_default(f);
	fake_layout_rmap(f);
}

/* One interval: a VMA, and for the anon tree an anon_vma_chain naming it. */
struct ival {
	uint64_t start, last;	/* page offsets, inclusive */
	uint64_t vma;
	uint64_t node;		/* the tree node: vma or avc */
};

struct tree {
	struct ival *v;
	size_t n;
	bool anon;
	uint64_t rb_off, sub_off;
	uint64_t root;		/* rb_root_cached address */
};

static uint64_t seed = 12345;

static uint64_t rnd(uint64_t n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (seed >> 33) % n;
}

static int ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static uint64_t rb_of(const struct tree *t, size_t i)
{
	return t->v[i].node + t->rb_off;
}

/* A balanced BST of v[lo..hi] (in-order = sorted): returns the root index,
 * writes links, colours (arbitrary: the walk must mask them) and
 * subtree_last; *sub_ret gets the subtree's largest last. */
static long build(struct fake_target *f, struct tree *t, long lo, long hi,
		  long parent, uint64_t *sub_ret)
{
	uint64_t sub, ls = 0, rs = 0;
	long mid, l, r;

	if (lo > hi)
		return -1;
	mid = (lo + hi) / 2;
	l = build(f, t, lo, mid - 1, mid, &ls);
	r = build(f, t, mid + 1, hi, mid, &rs);
	sub = t->v[mid].last;
	if (l >= 0 && ls > sub)
		sub = ls;
	if (r >= 0 && rs > sub)
		sub = rs;
	fake_w64(f, rb_of(t, mid) + RB_PARENT,
		 (parent >= 0 ? rb_of(t, parent) : 0) | (mid & 1));
	fake_w64(f, rb_of(t, mid) + RB_LEFT, l >= 0 ? rb_of(t, l) : 0);
	fake_w64(f, rb_of(t, mid) + RB_RIGHT, r >= 0 ? rb_of(t, r) : 0);
	fake_w64(f, t->v[mid].node + t->sub_off, sub);
	*sub_ret = sub;
	return mid;
}

/* Make @n intervals [start, start + len - 1] as VMAs (and avcs). */
static void tree_make(struct fake_target *f, struct tree *t, size_t n,
		      const uint64_t *starts, const uint64_t *lens, bool anon)
{
	uint64_t owner, sub;
	size_t i;
	long root;

	memset(t, 0, sizeof(*t));
	t->n = n;
	t->anon = anon;
	t->v = calloc(n ? n : 1, sizeof(*t->v));
	t->rb_off = anon ? AVC_RB : V_SHARED;
	t->sub_off = anon ? AVC_SUBTREE : VSUB;
	owner = fake_alloc(f, anon ? AV_SIZE : AS_SIZE, 64);
	t->root = owner + (anon ? AV_RB_ROOT : AS_I_MMAP);
	for (i = 0; i < n; i++) {
		uint64_t vma = fake_alloc(f, V_SIZE, 64);
		uint64_t vm_start = 0x7f0000000000ULL + i * 0x10000000ULL;

		t->v[i].start = starts[i];
		t->v[i].last = starts[i] + lens[i] - 1;
		t->v[i].vma = vma;
		fake_w64(f, vma + V_START, vm_start);
		fake_w64(f, vma + V_END, vm_start + lens[i] * 4096);
		fake_w64(f, vma + V_PGOFF, starts[i]);
		if (anon) {
			t->v[i].node = fake_alloc(f, AVC_SIZE, 64);
			fake_w64(f, t->v[i].node + AVC_VMA, vma);
			fake_w64(f, t->v[i].node + AVC_ANON_VMA, owner);
		} else {
			t->v[i].node = vma;
		}
	}
	qsort(t->v, n, sizeof(*t->v), ival_cmp);
	root = build(f, t, 0, (long)n - 1, -1, &sub);
	fake_w64(f, t->root + RBC_NODE, root >= 0 ? rb_of(t, root) : 0);
	fake_w64(f, t->root + RBC_LEFTMOST, n ? rb_of(t, 0) : 0);
}

static struct vmacore_error *iter_create(struct vmacore_ctx *ctx,
					 const struct tree *t, uint64_t first,
					 uint64_t last,
					 struct vmacore_interval_iter **it)
{
	uint64_t owner = t->root - (t->anon ? AV_RB_ROOT : AS_I_MMAP);

	return t->anon ? vmacore_anon_iter_create(ctx, owner, first, last, it) :
			 vmacore_imap_iter_create(ctx, owner, first, last, it);
}

/* Query [first, last]: same nodes, same order as a scan.  Returns 1 if ok. */
static int query_ok(struct vmacore_ctx *ctx, const struct tree *t,
		    uint64_t first, uint64_t last, size_t *count_ret)
{
	struct vmacore_interval_iter *it;
	struct vmacore_interval_hit h;
	struct vmacore_error *err;
	size_t i = 0, got = 0;

	err = iter_create(ctx, t, first, last, &it);
	if (err) {
		printf("# create: %s\n", err->message);
		vmacore_error_destroy(err);
		return 0;
	}
	while (!(err = vmacore_interval_iter_next(it, &h))) {
		while (i < t->n && !(t->v[i].start <= last &&
				     first <= t->v[i].last))
			i++;
		if (i == t->n || h.node != t->v[i].node ||
		    h.vma != t->v[i].vma || h.start != t->v[i].start ||
		    h.last != t->v[i].last) {
			printf("# [%llu, %llu]: unexpected node 0x%llx\n",
			       (unsigned long long)first,
			       (unsigned long long)last,
			       (unsigned long long)h.node);
			vmacore_interval_iter_destroy(it);
			return 0;
		}
		i++;
		got++;
	}
	vmacore_interval_iter_destroy(it);
	if (err != &vmacore_stop) {
		printf("# [%llu, %llu]: %s\n", (unsigned long long)first,
		       (unsigned long long)last, err->message);
		vmacore_error_destroy(err);
		return 0;
	}
	for (; i < t->n; i++)
		if (t->v[i].start <= last && first <= t->v[i].last) {
			printf("# [%llu, %llu]: missed node %zu\n",
			       (unsigned long long)first,
			       (unsigned long long)last, i);
			return 0;
		}
	if (count_ret)
		*count_ret = got;
	return 1;
}

/* The error a query ends with (NULL if none). */
static struct vmacore_error *query_err(struct vmacore_ctx *ctx,
				       const struct tree *t, uint64_t first,
				       uint64_t last)
{
	struct vmacore_interval_iter *it;
	struct vmacore_interval_hit h;
	struct vmacore_error *err;
	int guard = 0;

	err = iter_create(ctx, t, first, last, &it);
	if (err)
		return err;
	while (!(err = vmacore_interval_iter_next(it, &h)) && ++guard < 100000)
		;
	vmacore_interval_iter_destroy(it);
	return err == &vmacore_stop ? NULL : err;
}

static void test_empty(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	struct tree t;
	size_t n = 1;

	layout(f);
	ctx = fake_ctx(f);
	tree_make(f, &t, 0, NULL, NULL, false);
	ok(query_ok(ctx, &t, 0, UINT64_MAX, &n) && n == 0,
	   "empty i_mmap: no node");
	free(t.v);
	tree_make(f, &t, 0, NULL, NULL, true);
	ok(query_ok(ctx, &t, 0, UINT64_MAX, &n) && n == 0,
	   "empty anon_vma tree: no node");
	free(t.v);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

static void test_one(bool anon)
{
	struct fake_target *f = fake_create();
	const uint64_t s[] = { 100 }, l[] = { 10 };	/* [100, 109] */
	const char *what = anon ? "anon" : "i_mmap";
	struct vmacore_ctx *ctx;
	struct tree t;
	size_t n;

	layout(f);
	ctx = fake_ctx(f);
	tree_make(f, &t, 1, s, l, anon);
	ok(query_ok(ctx, &t, 100, 100, &n) && n == 1, "%s one node: first page", what);
	ok(query_ok(ctx, &t, 109, 200, &n) && n == 1, "%s one node: last page", what);
	ok(query_ok(ctx, &t, 0, 99, &n) && n == 0, "%s one node: just before", what);
	ok(query_ok(ctx, &t, 110, 110, &n) && n == 0, "%s one node: just after", what);
	ok(query_ok(ctx, &t, 0, UINT64_MAX, &n) && n == 1, "%s one node: everything", what);
	ok(query_ok(ctx, &t, 50, 40, &n) && n == 0, "%s one node: empty range", what);
	free(t.v);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

static void test_overlapping(bool anon)
{
	struct fake_target *f = fake_create();
	const char *what = anon ? "anon" : "i_mmap";
	uint64_t s[300], l[300], a, b;
	struct vmacore_ctx *ctx;
	struct tree t;
	size_t i, bad = 0, total = 0, n;

	layout(f);
	ctx = fake_ctx(f);
	for (i = 0; i < 300; i++) {
		s[i] = rnd(1000);
		/* many short, some long ranges; some identical starts */
		l[i] = rnd(10) ? 1 + rnd(20) : 1 + rnd(600);
		if (i % 37 == 0 && i)
			s[i] = s[i - 1];
	}
	tree_make(f, &t, 300, s, l, anon);
	for (i = 0; i < 500; i++) {
		a = rnd(1200);
		b = a + (rnd(4) ? rnd(5) : rnd(300));
		if (!query_ok(ctx, &t, a, b, &n))
			bad++;
		total += n;
	}
	ok(bad == 0, "%s: 300 overlapping ranges, 500 queries equal a scan (%zu hits)",
	   what, total);
	ok(query_ok(ctx, &t, 0, UINT64_MAX, &n) && n == 300,
	   "%s: the whole range gives all 300 nodes in order", what);
	free(t.v);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

static void test_pruning(void)
{
	struct fake_target *f = fake_create();
	uint64_t s[1024], l[1024];
	struct vmacore_ctx *ctx;
	unsigned long before, reads;
	struct tree t;
	size_t i, n;

	layout(f);
	ctx = fake_ctx(f);
	for (i = 0; i < 1024; i++) {
		s[i] = i * 16;
		l[i] = 8;
	}
	tree_make(f, &t, 1024, s, l, false);
	before = fake_read_count(f);
	ok(query_ok(ctx, &t, 4995, 4995, &n) && n == 1,
	   "pruning: one hit among 1024 nodes");
	reads = fake_read_count(f) - before;
	ok(reads < 400, "pruning: %lu reads (a full walk needs > 6000)", reads);
	before = fake_read_count(f);
	ok(query_ok(ctx, &t, 100000, 200000, &n) && n == 0,
	   "pruning: a query beyond every node");
	reads = fake_read_count(f) - before;
	ok(reads < 20, "pruning: the root's subtree_last ends it (%lu reads)",
	   reads);
	before = fake_read_count(f);
	ok(query_ok(ctx, &t, 5001, 5003, &n) && n == 0,
	   "pruning: a query in a gap");
	reads = fake_read_count(f) - before;
	ok(reads < 400, "pruning: the gap costs %lu reads", reads);
	free(t.v);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

static void test_corrupt(void)
{
	struct fake_target *f = fake_create();
	uint64_t s[63], l[63], rb, saved;
	struct vmacore_ctx *ctx;
	struct tree t;
	size_t i;
	long root;

	layout(f);
	ctx = fake_ctx(f);
	for (i = 0; i < 63; i++) {
		s[i] = i * 10;
		l[i] = 5;
	}
	tree_make(f, &t, 63, s, l, false);
	ok(query_ok(ctx, &t, 0, UINT64_MAX, NULL), "corrupt: the intact tree");
	root = 31;	/* build() picks the middle */

	/* subtree_last smaller than a node's own last in the subtree */
	saved = fake_r64(f, t.v[15].node + VSUB);
	fake_w64(f, t.v[15].node + VSUB, t.v[15].last - 1);
	is_err(query_err(ctx, &t, 0, 200), VMACORE_ERROR_CORRUPT,
	       "corrupt: rb_subtree_last below the subtree's last");
	fake_w64(f, t.v[15].node + VSUB, saved + 1000);
	is_err(query_err(ctx, &t, 0, 200), VMACORE_ERROR_CORRUPT,
	       "corrupt: rb_subtree_last above the subtree's last");
	fake_w64(f, t.v[15].node + VSUB, saved);
	ok(query_ok(ctx, &t, 0, 200, NULL), "corrupt: repaired");

	/* a child that names another parent */
	rb = rb_of(&t, 7) + RB_PARENT;
	saved = fake_r64(f, rb);
	fake_w64(f, rb, rb_of(&t, 40));
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_CORRUPT,
	       "corrupt: child's parent pointer elsewhere");
	fake_w64(f, rb, saved);

	/* a cycle: a leaf's left child is the root */
	rb = rb_of(&t, 0) + RB_LEFT;
	fake_w64(f, rb, rb_of(&t, root));
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_CORRUPT,
	       "corrupt: cycle back to the root");
	fake_w64(f, rb, 0);

	/* the root with a parent */
	rb = rb_of(&t, root) + RB_PARENT;
	fake_w64(f, rb, rb_of(&t, 3));
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_CORRUPT,
	       "corrupt: root has a parent");
	fake_w64(f, rb, 0);

	/* a VMA with vm_end <= vm_start */
	saved = fake_r64(f, t.v[20].vma + V_END);
	fake_w64(f, t.v[20].vma + V_END, fake_r64(f, t.v[20].vma + V_START));
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_CORRUPT,
	       "corrupt: empty VMA in the tree");
	fake_w64(f, t.v[20].vma + V_END, saved);

	/* a node pointer into nowhere, and a node not in the dump */
	rb = rb_of(&t, 62) + RB_RIGHT;
	fake_w64(f, rb, 0xffff888777000000ULL);
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_FAULT,
	       "corrupt: child pointer outside memory is a fault");
	fake_w64(f, rb, 0);
	fake_nodata(f, t.v[50].node);
	is_err(query_err(ctx, &t, 0, UINT64_MAX), VMACORE_ERROR_NODATA,
	       "a node not in the dump is NODATA");
	free(t.v);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

int main(void)
{
	test_empty();
	test_one(false);
	test_one(true);
	test_overlapping(false);
	test_overlapping(true);
	test_pruning();
	test_corrupt();
	return tap_done();
}
