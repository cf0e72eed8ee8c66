// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * layouts.c - do BTF and DWARF give libvmacore the same layouts?
 *
 *   layouts VMCORE VMLINUX [PID]
 *
 * Opens the dump with the BTF type backend behind a recording shim, lets
 * libvmacore resolve everything it uses (context creation, the vm_flags
 * table, a task walk and the maps of one process, so lazily resolved
 * layouts are caught too), then asks the DWARF backend every recorded
 * question again.  Prints one TAP line per question, without numbers
 * ("ok - ...", "not ok - ..."): tests/vmcore/test-layouts numbers them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"

enum query_kind { Q_SIZE, Q_MEMBER, Q_ENUM };

struct query {
	enum query_kind kind;
	char *type;
	char *name;
	int code;		/* 0: answered; else the error code */
	uint64_t a, b;		/* offset and size, size, or value */
};

static struct query *queries;
static size_t nqueries;
static struct dump_target *target;

static bool seen(enum query_kind kind, const char *type, const char *name)
{
	size_t i;

	for (i = 0; i < nqueries; i++) {
		if (queries[i].kind == kind &&
		    strcmp(queries[i].type, type) == 0 &&
		    strcmp(queries[i].name, name) == 0)
			return true;
	}
	return false;
}

static void record(enum query_kind kind, const char *type, const char *name,
		   struct vmacore_error *err, uint64_t a, uint64_t b)
{
	struct query *q;

	if (seen(kind, type, name))
		return;
	q = realloc(queries, (nqueries + 1) * sizeof(*q));
	if (!q)
		abort();
	queries = q;
	q = &queries[nqueries++];
	q->kind = kind;
	q->type = strdup(type);
	q->name = strdup(name);
	q->code = err ? (int)err->code : 0;
	q->a = err ? 0 : a;
	q->b = err ? 0 : b;
}

static struct vmacore_error *rec_type_size(void *priv, const char *type,
					   uint64_t *ret)
{
	struct vmacore_error *err;

	err = dump_target_ops.type_size(priv, type, ret);
	record(Q_SIZE, type, "", err, err ? 0 : *ret, 0);
	return err;
}

static struct vmacore_error *rec_member(void *priv, const char *type,
					const char *member, uint64_t *off,
					uint64_t *size)
{
	struct vmacore_error *err;

	err = dump_target_ops.member(priv, type, member, off, size);
	record(Q_MEMBER, type, member, err, err ? 0 : *off, err ? 0 : *size);
	return err;
}

static struct vmacore_error *rec_enumerator(void *priv, const char *name,
					    int64_t *ret)
{
	struct vmacore_error *err;

	err = dump_target_ops.enumerator(priv, name, ret);
	record(Q_ENUM, "", name, err, err ? 0 : (uint64_t)*ret, 0);
	return err;
}

static void exercise(struct vmacore_ctx *ctx, int want_pid)
{
	struct vmacore_task_iter *it;
	struct vmacore_vma_iter *vit;
	struct vmacore_task t;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	struct vmacore_maps_line *ml = malloc(sizeof(*ml));
	struct vmacore_error *err;
	size_t count;
	char buf[4096];
	uint64_t mm_addr = 0;
	int n = 0;

	vmacore_flags_table(ctx, &count);
	vmacore_error_destroy(vmacore_flags_names(ctx, ~0ULL, buf,
						  sizeof(buf)));
	vmacore_error_destroy(vmacore_flags_codes(ctx, ~0ULL, buf,
						  sizeof(buf)));
	if (vmacore_task_iter_create(ctx, true, &it))
		goto out;
	while (!(err = vmacore_task_iter_next(it, &t))) {
		if (t.mm && (!mm_addr || t.pid == want_pid))
			mm_addr = t.mm;
	}
	vmacore_error_destroy(err);
	vmacore_task_iter_destroy(it);
	if (!mm_addr || !ml || vmacore_mm_read(ctx, mm_addr, &mm))
		goto out;
	if (vmacore_vma_iter_create(ctx, mm_addr, &vit))
		goto out;
	while (n++ < 100000 && !(err = vmacore_vma_iter_next(vit, &vma)))
		vmacore_error_destroy(vmacore_vma_maps_line(ctx, &mm, &vma,
							    ml));
	vmacore_error_destroy(err);
	vmacore_vma_iter_destroy(vit);
out:
	free(ml);
}

static const char *code_name(int code)
{
	return code ? vmacore_error_code_name(code) : "ok";
}

int main(int argc, char **argv)
{
	struct dump_target_options o = { 0 };
	struct vmacore_target_ops ops = dump_target_ops;
	struct vmacore_ctx *ctx;
	struct vmacore_error *err;
	struct types *dwarf;
	size_t i, bad = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: layouts VMCORE VMLINUX [PID]\n");
		return 2;
	}
	o.vmcore = argv[1];
	o.vmlinux = argv[2];
	err = dump_target_open(&o, &target);
	if (err) {
		printf("not ok - cannot open %s: %s\n", argv[1], err->message);
		return 1;
	}
	if (strcmp(target->types->name, "btf") != 0) {
		printf("ok # SKIP %s has no BTF\n", argv[2]);
		return 0;
	}
	ops.type_size = rec_type_size;
	ops.member = rec_member;
	ops.enumerator = rec_enumerator;
	err = vmacore_ctx_create(&ops, target, &ctx);
	if (err) {
		printf("not ok - libvmacore cannot open the dump with BTF: %s\n",
		       err->message);
		return 1;
	}
	exercise(ctx, argc > 3 ? atoi(argv[3]) : -1);
	vmacore_ctx_destroy(ctx);

	err = dwarf_types_open(argv[2], &dwarf);
	if (err) {
		printf("not ok - cannot read DWARF: %s\n", err->message);
		return 1;
	}
	for (i = 0; i < nqueries; i++) {
		struct query *q = &queries[i];
		uint64_t a = 0, b = 0;
		int64_t v = 0;
		char what[512], btf[64], dw[64];
		int code;

		switch (q->kind) {
		case Q_SIZE:
			err = dwarf->type_size(dwarf, q->type, &a);
			snprintf(what, sizeof(what), "sizeof(%s)", q->type);
			break;
		case Q_MEMBER:
			err = dwarf->member(dwarf, q->type, q->name, &a, &b);
			snprintf(what, sizeof(what), "%s.%s", q->type, q->name);
			break;
		default:
			err = dwarf->enumerator(dwarf, q->name, &v);
			a = (uint64_t)v;
			snprintf(what, sizeof(what), "enumerator %s", q->name);
			break;
		}
		code = err ? (int)err->code : 0;
		if (err) {
			a = 0;
			b = 0;
		}
		vmacore_error_destroy(err);
		if (q->code)
			snprintf(btf, sizeof(btf), "%s", code_name(q->code));
		else
			snprintf(btf, sizeof(btf), "%" PRIu64 "/%" PRIu64, q->a,
				 q->b);
		if (code)
			snprintf(dw, sizeof(dw), "%s", code_name(code));
		else
			snprintf(dw, sizeof(dw), "%" PRIu64 "/%" PRIu64, a, b);
		if (code != q->code || a != q->a || b != q->b) {
			bad++;
			printf("not ok - %s: BTF %s, DWARF %s\n", what, btf, dw);
		} else {
			printf("ok - %s: %s\n", what, btf);
		}
	}
	if (nqueries == 0)
		printf("not ok - libvmacore asked no layout question\n");
	dwarf->destroy(dwarf);
	dump_target_close(target);
	return bad || !nqueries;
}
