// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench/drgn_walk.c - issue 14's yardstick: every VMA of every task, walked
 * by a C program on libdrgn's public C API.
 *
 * Debian has no libdrgn-dev, but sid's python3-drgn (tests/fetch-sid-tools)
 * exports libdrgn's public API from its _drgn module.  bench/run builds this
 * file as a shared object with the drgn_* references left undefined and has
 * sid's python3 load it with ctypes after `import _drgn` under RTLD_GLOBAL,
 * so they bind to that module's libdrgn.  Python only starts it: the open
 * and the timed walks are all C.
 *
 * The walk is what `vmacore maps --all` and drgn's for_each_task() +
 * for_each_vma() do: every task on init_task.tasks with an mm and
 * pid == tgid, its mm->mm_mt maple tree node by node (mt_for_each(),
 * lib/maple_tree.c; drgn's mapletree.py), and vm_start, vm_end, vm_flags of
 * every VMA through drgn objects.  Tasks, mms and VMAs are drgn objects.
 * Two ways to read nodes and VMAs, both as a libdrgn C user would:
 *  - "raw" (the default, the cheaper): a maple node in one
 *    drgn_program_read_memory() of sizeof(struct maple_node), its pivots,
 *    slots and meta.end at offsets taken once from the types
 *    (drgn_type_offsetof()); a VMA in one drgn_object_read() into a value
 *    object, vm_start, vm_end and vm_flags as members of that value;
 *  - "objects" (plain object style, as drgn's Python helpers): a node
 *    read once into a value object (drgn_object_read()), then a
 *    drgn_object_member()/drgn_object_subscript() per pivot and slot; VMA
 *    members taken on the reference, one memory read each.
 *
 * Everything read from the dump is untrusted: the task list, the tree's
 * depth, its node count, each node's end and the pivots' order are bounded
 * or checked, and a VMA whose maple range is not [vm_start, vm_end - 1] is
 * an error, so a walk that counts wrong fails instead of giving a time.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * libdrgn's public API (libdrgn/drgn.h, drgn 0.3.0), only what is used here,
 * declared by hand because no drgn.h is installed.
 */
struct drgn_error;
struct drgn_program;
struct drgn_platform;
struct drgn_type;

enum drgn_architecture { DRGN_ARCH_UNKNOWN, DRGN_ARCH_X86_64 };

enum drgn_platform_flags {
	DRGN_PLATFORM_IS_64_BIT = 1 << 0,
	DRGN_PLATFORM_IS_LITTLE_ENDIAN = 1 << 1,
};

enum drgn_find_object_flags { DRGN_FIND_OBJECT_VARIABLE = 1 << 2 };

/* enum drgn_qualifiers is __packed__ in drgn.h: one byte */
struct drgn_qualified_type {
	struct drgn_type *type;
	unsigned char qualifiers;
};

/*
 * struct drgn_object is 32 bytes in drgn.h (type, bit_size, four one-byte
 * enums and flags, bit_offset, an 8-byte union).  This file never reads its
 * fields, only passes it to libdrgn by pointer, so it reserves a generously
 * sized, aligned block instead of copying a layout that may change.
 */
struct drgn_object {
	_Alignas(16) unsigned char opaque[128];
};

struct drgn_error *drgn_platform_create(enum drgn_architecture arch,
					enum drgn_platform_flags flags,
					struct drgn_platform **ret);
void drgn_platform_destroy(struct drgn_platform *platform);
struct drgn_error *drgn_program_create(const struct drgn_platform *platform,
				       struct drgn_program **ret);
void drgn_program_destroy(struct drgn_program *prog);
struct drgn_error *drgn_program_set_core_dump(struct drgn_program *prog,
					      const char *path);
struct drgn_error *drgn_program_load_debug_info(struct drgn_program *prog,
						const char **paths, size_t n,
						bool load_default,
						bool load_main);
struct drgn_error *drgn_program_find_object(struct drgn_program *prog,
					    const char *name,
					    const char *filename,
					    enum drgn_find_object_flags flags,
					    struct drgn_object *ret);
struct drgn_error *drgn_program_find_type(struct drgn_program *prog,
					  const char *name,
					  const char *filename,
					  struct drgn_qualified_type *ret);
struct drgn_error *drgn_program_read_memory(struct drgn_program *prog,
					    void *buf, uint64_t address,
					    size_t count, bool physical);
struct drgn_error *drgn_type_offsetof(struct drgn_type *type,
				      const char *member_designator,
				      uint64_t *ret);
struct drgn_error *drgn_type_sizeof(struct drgn_type *type, uint64_t *ret);
void drgn_object_init(struct drgn_object *obj, struct drgn_program *prog);
void drgn_object_deinit(struct drgn_object *obj);
struct drgn_error *drgn_object_set_reference(struct drgn_object *res,
					     struct drgn_qualified_type qualified_type,
					     uint64_t address,
					     uint64_t bit_offset,
					     uint64_t bit_field_size);
struct drgn_error *drgn_object_read(struct drgn_object *res,
				    const struct drgn_object *obj);
struct drgn_error *drgn_object_read_unsigned(const struct drgn_object *obj,
					     uint64_t *ret);
struct drgn_error *drgn_object_read_signed(const struct drgn_object *obj,
					   int64_t *ret);
struct drgn_error *drgn_object_member(struct drgn_object *res,
				      const struct drgn_object *obj,
				      const char *member_name);
struct drgn_error *drgn_object_member_dereference(struct drgn_object *res,
						  const struct drgn_object *obj,
						  const char *member_name);
struct drgn_error *drgn_object_subscript(struct drgn_object *res,
					 const struct drgn_object *obj,
					 int64_t index);
struct drgn_error *drgn_object_address_of(struct drgn_object *res,
					  const struct drgn_object *obj);
struct drgn_error *drgn_object_container_of(struct drgn_object *res,
					    const struct drgn_object *obj,
					    struct drgn_qualified_type qualified_type,
					    const char *member_designator);
struct drgn_error *drgn_object_sizeof(const struct drgn_object *obj,
				      uint64_t *ret);
char *drgn_error_string(struct drgn_error *err);
void drgn_error_destroy(struct drgn_error *err);

/* include/linux/maple_tree.h */
enum maple_type {
	maple_dense,
	maple_leaf_64,
	maple_range_64,
	maple_arange_64,
};
#define MAPLE_NODE_MASK 255UL
#define MAPLE_NODE_TYPE_MASK 0x0F
#define MAPLE_NODE_TYPE_SHIFT 0x03
#define MAPLE_HEIGHT_MAX 31
/* xa_mk_internal(257), include/linux/xarray.h */
#define XA_ZERO_ENTRY 0x406UL

/* Bounds on what the dump may claim. */
#define MAX_TASKS (1UL << 22)
#define MAX_NODES_PER_MM (1UL << 22)
#define NODE_BUF 1024
#define SLOTS_MAX 32

struct walk {
	struct drgn_program *prog;
	bool objects;		/* mode "objects", else "raw" */
	struct drgn_qualified_type task_type, vma_type, node_type;
	uint64_t node_size;
	/* [0] maple_range_64 / maple_leaf_64 (mr64), [1] maple_arange_64 */
	uint64_t pivot_off[2], slot_off[2], end_off[2];
	unsigned int npivots[2], nslots[2];
	/*
	 * Objects kept for reuse (drgn.h: initialise once, not in a loop):
	 * [0] task, [1] pid/tgid, [2] mm, [5] tasks.next, [3], [4], [6]
	 * scratch for nodes and VMAs.
	 */
	struct drgn_object obj[7];
	uint64_t vmas, procs, flags_xor;
};

static int fail(struct drgn_error *err, const char *what)
{
	char *s = drgn_error_string(err);

	fprintf(stderr, "drgn_walk: %s: %s\n", what, s ? s : "?");
	free(s);
	drgn_error_destroy(err);
	return -1;
}

#define TRY(call, what)							\
	do {								\
		struct drgn_error *err_ = (call);			\
		if (err_)						\
			return fail(err_, what);			\
	} while (0)

static int corrupt(const char *what, uint64_t addr)
{
	fprintf(stderr, "drgn_walk: %s at 0x%llx\n", what,
		(unsigned long long)addr);
	return -1;
}

/*
 * Offset and length (in 8-byte words) of the array @which.@array of the
 * maple node object @o (a reference at 0), through @m.
 */
static int node_array(struct walk *w, struct drgn_object *o,
		      struct drgn_object *m, const char *which,
		      const char *array, uint64_t *off_ret,
		      unsigned int *len_ret)
{
	uint64_t sz;
	char d[32];

	snprintf(d, sizeof(d), "%s.%s", which, array);
	TRY(drgn_type_offsetof(w->node_type.type, d, off_ret), d);
	TRY(drgn_object_member(m, o, which), which);
	TRY(drgn_object_member(m, m, array), d);
	TRY(drgn_object_sizeof(m, &sz), d);
	*len_ret = sz / 8;
	return 0;
}

/* Sizes and offsets of the maple node, from the types, once per walk. */
static int resolve(struct walk *w)
{
	static const char *const which[2] = { "mr64", "ma64" };
	struct drgn_object *o = &w->obj[0], *m = &w->obj[1];
	char d[32];

	TRY(drgn_program_find_type(w->prog, "struct task_struct", NULL,
				   &w->task_type), "struct task_struct");
	TRY(drgn_program_find_type(w->prog, "struct vm_area_struct", NULL,
				   &w->vma_type), "struct vm_area_struct");
	TRY(drgn_program_find_type(w->prog, "struct maple_node", NULL,
				   &w->node_type), "struct maple_node");
	TRY(drgn_type_sizeof(w->node_type.type, &w->node_size),
	    "sizeof(struct maple_node)");
	if (w->node_size > NODE_BUF)
		return corrupt("struct maple_node too large", w->node_size);
	/* a reference at address 0 only to size the arrays: nothing is read */
	TRY(drgn_object_set_reference(o, w->node_type, 0, 0, 0), "maple_node");
	for (int i = 0; i < 2; i++) {
		if (node_array(w, o, m, which[i], "pivot", &w->pivot_off[i],
			       &w->npivots[i]) ||
		    node_array(w, o, m, which[i], "slot", &w->slot_off[i],
			       &w->nslots[i]))
			return -1;
		snprintf(d, sizeof(d), "%s.meta.end", which[i]);
		TRY(drgn_type_offsetof(w->node_type.type, d, &w->end_off[i]), d);
		if (w->nslots[i] > SLOTS_MAX || w->npivots[i] >= w->nslots[i] ||
		    w->slot_off[i] + 8 * w->nslots[i] > w->node_size ||
		    w->pivot_off[i] + 8 * w->npivots[i] > w->node_size ||
		    w->end_off[i] >= w->node_size)
			return corrupt("unexpected struct maple_node layout", i);
	}
	return 0;
}

/*
 * One node's pivots, slots and data end: mte_to_node(), mte_node_type(),
 * ma_data_end() (lib/maple_tree.c).
 */
static int read_node(struct walk *w, uint64_t enode, uint64_t max,
		     uint64_t *pivots, uint64_t *slots, unsigned int *end_ret,
		     bool *leaf_ret)
{
	uint64_t addr = enode & ~MAPLE_NODE_MASK;
	unsigned int type = (enode >> MAPLE_NODE_TYPE_SHIFT) &
			    MAPLE_NODE_TYPE_MASK;
	unsigned int k, np, ns, end;
	uint64_t meta_end;

	if (type != maple_leaf_64 && type != maple_range_64 &&
	    type != maple_arange_64)
		return corrupt("unknown maple node type", enode);
	k = type == maple_arange_64;
	np = w->npivots[k];
	ns = w->nslots[k];
	if (w->objects) {
		struct drgn_object *node = &w->obj[3], *arr = &w->obj[4],
				   *el = &w->obj[6];

		TRY(drgn_object_set_reference(node, w->node_type, addr, 0, 0),
		    "maple node");
		TRY(drgn_object_read(node, node), "cannot read maple node");
		TRY(drgn_object_member(node, node, k ? "ma64" : "mr64"), "mr64");
		TRY(drgn_object_member(arr, node, "pivot"), "pivot");
		for (unsigned int i = 0; i < np; i++) {
			TRY(drgn_object_subscript(el, arr, i), "pivot[]");
			TRY(drgn_object_read_unsigned(el, &pivots[i]), "pivot[]");
		}
		TRY(drgn_object_member(arr, node, "slot"), "slot");
		for (unsigned int i = 0; i < ns; i++) {
			TRY(drgn_object_subscript(el, arr, i), "slot[]");
			TRY(drgn_object_read_unsigned(el, &slots[i]), "slot[]");
		}
		TRY(drgn_object_member(arr, node, "meta"), "meta");
		TRY(drgn_object_member(arr, arr, "end"), "meta.end");
		TRY(drgn_object_read_unsigned(arr, &meta_end), "meta.end");
	} else {
		_Alignas(8) unsigned char buf[NODE_BUF];

		TRY(drgn_program_read_memory(w->prog, buf, addr, w->node_size,
					     false), "cannot read maple node");
		memcpy(pivots, buf + w->pivot_off[k], 8 * np);
		memcpy(slots, buf + w->slot_off[k], 8 * ns);
		meta_end = buf[w->end_off[k]];
	}
	/* ma_data_end() */
	if (type == maple_arange_64 || !pivots[np - 1])
		end = meta_end;
	else if (pivots[np - 1] == max)
		end = np - 1;
	else
		end = np;
	if (end >= ns)
		return corrupt("maple node end beyond its slots", enode);
	*end_ret = end;
	*leaf_ret = type < maple_range_64;	/* ma_is_leaf() */
	return 0;
}

/*
 * vm_start, vm_end, vm_flags of one VMA, through drgn objects: members of
 * the reference (a read each) in mode "objects", of a value read once in
 * mode "raw".
 */
static int read_vma(struct walk *w, uint64_t addr, uint64_t first,
		    uint64_t last)
{
	struct drgn_object *vma = &w->obj[3], *f = &w->obj[4];
	uint64_t start, end, flags;

	TRY(drgn_object_set_reference(vma, w->vma_type, addr, 0, 0), "vma");
	/* raw: one read of the whole VMA, its members taken from the value */
	if (!w->objects)
		TRY(drgn_object_read(vma, vma), "cannot read vma");
	TRY(drgn_object_member(f, vma, "vm_start"), "vm_start");
	TRY(drgn_object_read_unsigned(f, &start), "cannot read vm_start");
	TRY(drgn_object_member(f, vma, "vm_end"), "vm_end");
	TRY(drgn_object_read_unsigned(f, &end), "cannot read vm_end");
	TRY(drgn_object_member(f, vma, "vm_flags"), "vm_flags");
	TRY(drgn_object_read_unsigned(f, &flags), "cannot read vm_flags");
	if (start != first || end - 1 != last)
		return corrupt("vma not at its maple range", addr);
	w->flags_xor ^= flags;
	w->vmas++;
	return 0;
}

struct frame {
	uint64_t enode, min, max;
	unsigned int depth;
};

/* mt_for_each() over mm->mm_mt, depth first, in index order. */
static int walk_mm(struct walk *w, uint64_t mm)
{
	struct drgn_object *o = &w->obj[2];
	struct frame stack[MAPLE_HEIGHT_MAX * SLOTS_MAX];
	uint64_t pivots[SLOTS_MAX], slots[SLOTS_MAX], root, nodes = 0;
	unsigned int sp = 0;

	TRY(drgn_object_member_dereference(o, o, "mm_mt"), "mm_mt");
	TRY(drgn_object_member(o, o, "ma_root"), "ma_root");
	TRY(drgn_object_read_unsigned(o, &root), "cannot read ma_root");
	/* xa_is_node(): an internal entry above 4096 */
	if ((root & 3) != 2 || root <= 4096) {
		/* a lone entry is index 0 only (mas_root()) */
		return root && (root & 3) != 2 ? read_vma(w, root, 0, 0) : 0;
	}
	stack[sp++] = (struct frame){ root, 0, UINT64_MAX, 0 };
	while (sp) {
		struct frame fr = stack[--sp];
		uint64_t min = fr.min, lo[SLOTS_MAX], hi[SLOTS_MAX];
		unsigned int end = 0;
		bool leaf = false;

		if (++nodes > MAX_NODES_PER_MM)
			return corrupt("too many maple nodes in mm", mm);
		if (read_node(w, fr.enode, fr.max, pivots, slots, &end, &leaf))
			return -1;
		if (!leaf && fr.depth + 1 >= MAPLE_HEIGHT_MAX)
			return corrupt("maple tree too deep", fr.enode);
		for (unsigned int i = 0; i <= end; i++) {
			uint64_t piv = i < end ? pivots[i] : fr.max;

			if (piv < min || piv > fr.max)
				return corrupt("maple pivots out of order",
					       fr.enode);
			lo[i] = min;
			hi[i] = piv;
			min = piv + 1;
		}
		for (unsigned int i = 0; leaf && i <= end; i++) {
			if (slots[i] && slots[i] != XA_ZERO_ENTRY &&
			    read_vma(w, slots[i], lo[i], hi[i]))
				return -1;
		}
		/* children pushed last to first, so they pop in index order */
		for (unsigned int i = end + 1; !leaf && i-- > 0;) {
			if (!slots[i])
				return corrupt("empty maple child", fr.enode);
			if (sp >= sizeof(stack) / sizeof(stack[0]))
				return corrupt("maple tree too wide", fr.enode);
			stack[sp++] = (struct frame){ slots[i], lo[i], hi[i],
						      fr.depth + 1 };
		}
	}
	return 0;
}

/* list_for_each_entry(task, &init_task.tasks, tasks) */
static int walk(struct walk *w)
{
	struct drgn_object *task = &w->obj[0], *o = &w->obj[1],
			   *next = &w->obj[5];
	uint64_t head, pos, mm, ntasks = 0;
	int64_t pid, tgid;

	w->vmas = w->procs = w->flags_xor = 0;
	if (resolve(w))
		return -1;
	TRY(drgn_program_find_object(w->prog, "init_task", NULL,
				     DRGN_FIND_OBJECT_VARIABLE, task),
	    "init_task");
	TRY(drgn_object_member(next, task, "tasks"), "tasks");
	TRY(drgn_object_address_of(o, next), "&init_task.tasks");
	TRY(drgn_object_read_unsigned(o, &head), "&init_task.tasks");
	TRY(drgn_object_member(next, next, "next"), "tasks.next");
	for (;;) {
		TRY(drgn_object_read_unsigned(next, &pos),
		    "cannot read tasks.next");
		if (pos == head)
			break;
		if (++ntasks > MAX_TASKS)
			return corrupt("task list too long (a cycle?)", pos);
		TRY(drgn_object_container_of(task, next, w->task_type, "tasks"),
		    "container_of");
		TRY(drgn_object_member_dereference(o, task, "pid"), "pid");
		TRY(drgn_object_read_signed(o, &pid), "cannot read pid");
		TRY(drgn_object_member_dereference(o, task, "tgid"), "tgid");
		TRY(drgn_object_read_signed(o, &tgid), "cannot read tgid");
		TRY(drgn_object_member_dereference(&w->obj[2], task, "mm"),
		    "mm");
		TRY(drgn_object_read_unsigned(&w->obj[2], &mm),
		    "cannot read mm");
		if (mm && pid == tgid) {
			w->procs++;
			if (walk_mm(w, mm))
				return -1;
		}
		TRY(drgn_object_member_dereference(next, task, "tasks"),
		    "tasks");
		TRY(drgn_object_member(next, next, "next"), "tasks.next");
	}
	return 0;
}

int drgn_walk_run(const char *core, const char *vmlinux, int walks,
		  const char *mode);

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * drgn_walk_run() - open @core with @vmlinux's debug info, walk @walks
 * times and print one JSON line: the open's time, each walk's wall and
 * CPU seconds, the VMAs and processes counted.  @mode is "raw" or
 * "objects" (see the top of this file).  Return 0, or -1 after a message.
 */
int drgn_walk_run(const char *core, const char *vmlinux, int walks,
		  const char *mode)
{
	struct drgn_platform *platform;
	struct drgn_program *prog;
	struct walk *w;
	double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	const char *paths[] = { vmlinux };
	struct drgn_error *err;
	int ret = -1;

	if (walks < 1 || walks > 1000)
		return -1;
	/* QEMU's kdump header names no architecture (DUMP-NOTES.md) */
	TRY(drgn_platform_create(DRGN_ARCH_X86_64, DRGN_PLATFORM_IS_64_BIT |
				 DRGN_PLATFORM_IS_LITTLE_ENDIAN, &platform),
	    "platform");
	err = drgn_program_create(platform, &prog);

	drgn_platform_destroy(platform);
	if (err)
		return fail(err, "cannot create program");
	w = calloc(1, sizeof(*w));
	if (!w)
		goto out_prog;
	w->prog = prog;
	w->objects = mode && !strcmp(mode, "objects");
	for (int i = 0; i < 7; i++)
		drgn_object_init(&w->obj[i], prog);
	err = drgn_program_set_core_dump(prog, core);
	if (!err)
		err = drgn_program_load_debug_info(prog, paths, 1, false,
						   false);
	if (err) {
		fail(err, "cannot open dump");
		goto out;
	}
	printf("{\"mode\": \"%s\", \"open_wall\": %.6f, \"open_cpu\": %.6f,"
	       " \"walks\": [", w->objects ? "objects" : "raw",
	       now(CLOCK_MONOTONIC) - t0,
	       now(CLOCK_PROCESS_CPUTIME_ID) - c0);
	for (int i = 0; i < walks; i++) {
		double w0 = now(CLOCK_MONOTONIC);
		double u0 = now(CLOCK_PROCESS_CPUTIME_ID);

		if (walk(w)) {
			printf("]}\n");
			goto out;
		}
		printf("%s[%.6f, %.6f]", i ? ", " : "",
		       now(CLOCK_MONOTONIC) - w0,
		       now(CLOCK_PROCESS_CPUTIME_ID) - u0);
	}
	printf("], \"vmas\": %llu, \"procs\": %llu, \"flags_xor\": %llu}\n",
	       (unsigned long long)w->vmas, (unsigned long long)w->procs,
	       (unsigned long long)w->flags_xor);
	ret = 0;
out:
	fflush(stdout);
	for (int i = 0; i < 7; i++)
		drgn_object_deinit(&w->obj[i]);
	free(w);
out_prog:
	drgn_program_destroy(prog);
	return ret;
}
