// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * coredump.c - "coredump PID...|--all": what a core dump of the task taken
 * now would write of each VMA, and the vma_dump_size() rule that decided.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

struct excluded {
	uint64_t start, end;
	char *name;
};

struct excl_list {
	struct excluded *v;
	size_t n, cap;
};

struct summary {
	uint64_t vmas, dumped, skipped, full, first_page, none, unknown;
	struct excl_list io, dontdump;
};

static void excl_add(struct excl_list *l, const struct vmacore_vma *v,
		     const char *name)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct excluded *p = realloc(l->v, cap * sizeof(*p));

		if (!p)
			return;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n].start = v->vm_start;
	l->v[l->n].end = v->vm_end;
	l->v[l->n].name = strdup(name);
	l->n++;
}

static void excl_free(struct excl_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
}

static void account(struct summary *s, const struct vmacore_vma *vma,
		    const struct vmacore_coredump_verdict *v, const char *name)
{
	s->vmas++;
	s->dumped += v->size;
	s->skipped += vma->vm_end - vma->vm_start - v->size;
	switch (v->kind) {
	case VMACORE_DUMP_FULL:
		s->full++;
		break;
	case VMACORE_DUMP_FIRST_PAGE:
		s->first_page++;
		break;
	case VMACORE_DUMP_NONE:
		s->none++;
		break;
	case VMACORE_DUMP_UNKNOWN:
		s->unknown++;
		break;
	}
	if (v->rule == VMACORE_DUMP_RULE_IO)
		excl_add(&s->io, vma, name);
	else if (v->rule == VMACORE_DUMP_RULE_DONTDUMP)
		excl_add(&s->dontdump, vma, name);
}

static void vma_out(struct report *r, struct json *j,
		    const struct vmacore_vma *vma, const char *name,
		    const struct vmacore_coredump_verdict *v)
{
	char p[5];

	vmacore_vma_perms(r->ctx, vma->vm_flags, p);
	if (r->json) {
		report_json_vma_begin(j, vma, p);
		json_key_hex(j, "vm_flags", vma->vm_flags);
		json_key_string(j, "name", name);
		json_key_string(j, "verdict", vmacore_dump_kind_name(v->kind));
		json_key_u64(j, "size", v->size);
		json_key_string(j, "rule", v->rule_name);
		json_key(j, "filter_bit");
		if (v->filter_bit >= 2)
			json_i64(j, v->filter_bit - 2);
		else
			json_null(j);
		json_key_string(j, "reason", v->reason);
		json_object_end(j);
		return;
	}
	fprintf(r->out, "%016" PRIx64 "-%016" PRIx64 " %s %-10s %12" PRIu64
		" %-19s %s%s%s\n", vma->vm_start, vma->vm_end, p,
		vmacore_dump_kind_name(v->kind), v->size, v->rule_name,
		v->reason, *name ? "  " : "", name);
}

static void excl_out(struct report *r, struct json *j, const char *key,
		     const char *title, const struct excl_list *l)
{
	size_t i;

	if (r->json) {
		json_key(j, key);
		json_array_begin(j);
		for (i = 0; i < l->n; i++) {
			json_object_begin(j);
			json_key_hex(j, "start", l->v[i].start);
			json_key_hex(j, "end", l->v[i].end);
			json_key_string(j, "name",
					l->v[i].name ? l->v[i].name : "");
			json_object_end(j);
		}
		json_array_end(j);
		return;
	}
	for (i = 0; i < l->n; i++)
		fprintf(r->out, "  excluded by %s: %016" PRIx64 "-%016" PRIx64
			"%s%s\n", title, l->v[i].start, l->v[i].end,
			l->v[i].name && *l->v[i].name ? " " : "",
			l->v[i].name ? l->v[i].name : "");
}

/* VMAs without a verdict said one by one, then as a count. */
#define SKIPS_SAID 100

/* The name column for a VMA; "" on failure (logged in the message list). */
static void vma_name(struct report *r, const struct vmacore_mm *mm,
		     const struct vmacore_vma *vma, struct vmacore_maps_line *ml)
{
	struct vmacore_error *err = vmacore_vma_maps_line(r->ctx, mm, vma, ml);

	if (err) {
		snprintf(ml->name, sizeof(ml->name), "?");
		vmacore_error_destroy(err);
	}
}

static enum report_status coredump_of(struct report *r, struct json *j,
				      const struct vmacore_task *task,
				      struct report_messages *m);

static enum report_status coredump_task(struct report *r, struct json *j,
					uint64_t pid, struct report_messages *m)
{
	struct vmacore_error *err;
	struct vmacore_task t;
	bool nf;

	err = report_task_find(r, pid, &t, &nf);
	if (err && nf) {
		report_fail(r, m, err, false);
		return REPORT_NOT_FOUND;
	}
	if (err)
		return report_fail(r, m, err, false);
	return coredump_of(r, j, &t, m);
}

struct all_args {
	struct json *j;
	struct report_messages *m;
};

static enum report_status coredump_one(struct report *r,
				       const struct vmacore_task *t, void *arg)
{
	struct all_args *a = arg;

	return coredump_of(r, a->j, t, a->m);
}

/*
 * "coredump --all": every process "ps" lists, in one walk of the leaders'
 * list, each streamed as it is met, exactly as "coredump PID" prints it
 * (its own header line names it).
 */
static enum report_status coredump_all(struct report *r, struct json *j,
				       struct report_messages *m)
{
	struct all_args a = { j, m };

	return report_each_process(r, m, coredump_one, &a);
}

static enum report_status coredump_of(struct report *r, struct json *j,
				      const struct vmacore_task *task,
				      struct report_messages *m)
{
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_coredump_verdict v;
	struct vmacore_maps_line *ml;
	struct vmacore_error *err;
	struct vmacore_task t = *task;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	struct summary s;
	enum report_status status;
	char comm[VMACORE_COMM_LEN + 1], who[64], *lost = NULL;
	uint64_t skipped = 0;
	bool gate;

	err = vmacore_mm_read(r->ctx, t.mm, &mm);
	if (err) {
		/* as maps says it: the task, then what is missing */
		report_comm(t.comm, comm, sizeof(comm));
		return report_fail(r, m, vmacore_error_prefix(err,
				   "pid %d (%s): cannot read its mm", t.pid,
				   comm), false);
	}
	ml = malloc(sizeof(*ml));
	if (!ml)
		return report_fail(r, m, &vmacore_enomem, false);
	memset(&s, 0, sizeof(s));
	report_comm(t.comm, comm, sizeof(comm));
	if (r->json) {
		report_json_task_begin(j, t.pid, t.comm, t.mm);
		json_key_hex(j, "mm_flags", mm.flags);
		json_key_hex(j, "coredump_filter", mm.coredump_filter);
		json_key(j, "vmas");
		json_array_begin(j);
	} else {
		fprintf(r->out, "pid %d (%s)  mm 0x%" PRIx64
			"  coredump_filter 0x%" PRIx32 "\n", t.pid, comm,
			t.mm, mm.coredump_filter);
		fprintf(r->out, "%-33s %-4s %-10s %12s %-19s %s\n", "RANGE",
			"PERM", "VERDICT", "SIZE", "RULE", "REASON  NAME");
	}
	err = vmacore_vma_iter_create(r->ctx, t.mm, &it);
	while (!err && !(err = vmacore_vma_iter_next(it, &vma))) {
		err = vmacore_coredump_vma(r->ctx, &mm, &vma, &v);
		if (err && err != &vmacore_enomem) {
			/* this VMA's verdict only: the others stand */
			if (skipped++ < SKIPS_SAID)
				report_fail(r, m, vmacore_error_prefix(err,
					"pid %d (%s): VMA %08" PRIx64 "-%08" PRIx64 " not printed: vma 0x%" PRIx64,
					t.pid, comm, vma.vm_start, vma.vm_end,
					vma.addr), true);
			else
				vmacore_error_destroy(err);
			err = NULL;
			continue;
		}
		if (err)
			break;
		vma_name(r, &mm, &vma, ml);
		vma_out(r, j, &vma, ml->name, &v);
		account(&s, &vma, &v, ml->name);
	}
	if (err == &vmacore_stop)
		err = NULL;
	if (skipped > SKIPS_SAID)
		report_fail(r, m, vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
			    "pid %d (%s): %" PRIu64 " VMAs not printed in all",
			    t.pid, comm, skipped), true);
	/* what the walk skipped, each said: the other verdicts stand */
	snprintf(who, sizeof(who), "pid %d (%s)", t.pid, comm);
	status = report_vma_losses(r, m, it, who, &lost);
	vmacore_vma_iter_destroy(it);
	/* coredump_next_vma(): the gate VMA comes after the others */
	if (!err)
		err = vmacore_coredump_gate_vma(r->ctx, &mm, &vma, &gate);
	if (!err && gate) {
		err = vmacore_coredump_vma(r->ctx, &mm, &vma, &v);
		if (!err) {
			vma_out(r, j, &vma, "[vsyscall]", &v);
			account(&s, &vma, &v, "[vsyscall]");
		}
	}
	if (r->json) {
		json_array_end(j);
		json_key(j, "summary");
		json_object_begin(j);
		json_key_u64(j, "vmas", s.vmas);
		json_key_u64(j, "dumped_bytes", s.dumped);
		json_key_u64(j, "skipped_bytes", s.skipped);
		json_key_u64(j, "full", s.full);
		json_key_u64(j, "first_page", s.first_page);
		json_key_u64(j, "none", s.none);
		json_key_u64(j, "unknown", s.unknown);
		excl_out(r, j, "excluded_io", "VM_IO", &s.io);
		excl_out(r, j, "excluded_dontdump", "VM_DONTDUMP", &s.dontdump);
		json_object_end(j);
		report_json_task_outcome(j, err, lost, skipped,
					 "VMAs not printed (see errors)");
		json_object_end(j);
	} else {
		fprintf(r->out, "summary: %" PRIu64 " VMAs, %" PRIu64
			" bytes dumped (%" PRIu64 " full, %" PRIu64
			" first page), %" PRIu64 " bytes skipped (%" PRIu64
			" none, %" PRIu64 " unknown); VM_IO excluded %zu, VM_DONTDUMP excluded %zu%s\n",
			s.vmas, s.dumped, s.full, s.first_page, s.skipped,
			s.none, s.unknown, s.io.n, s.dontdump.n,
			err || lost || skipped ? " (incomplete)" : "");
		excl_out(r, j, "excluded_io", "VM_IO", &s.io);
		excl_out(r, j, "excluded_dontdump", "VM_DONTDUMP", &s.dontdump);
	}
	excl_free(&s.io);
	excl_free(&s.dontdump);
	free(ml);
	if (err)
		status = report_worst(status,
			report_fail(r, m, vmacore_error_prefix(err, "pid %d (%s)",
							       t.pid, comm),
				    s.vmas > 0 || lost));
	free(lost);
	/* vmacore(1): exit 4 says why, also when only verdicts are unknown */
	if (s.unknown)
		status = report_worst(status,
			report_fail(r, m, vmacore_error_create(VMACORE_ERROR_NODATA,
				    "pid %d (%s): %" PRIu64 " verdict%s unknown: what decides is not in the dump",
				    t.pid, comm, s.unknown,
				    s.unknown == 1 ? "" : "s"), true));
	return report_worst(status, skipped ? REPORT_PARTIAL : REPORT_OK);
}

enum report_status report_coredump(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct report_messages m = { 0 };
	bool flags[128];
	struct json j;
	uint64_t pid;
	int first, i, n;

	first = report_parse_options(r, argc, argv, "a", flags, &status);
	if (first < 0)
		return status;
	n = argc - first;
	status = report_pid_operands(r, "coredump", "PID", flags['a'], n,
				     argv + first, true);
	if (status != REPORT_OK)
		return status;
	if (r->json)
		report_json_begin(&j, r->out, "coredump", "tasks");
	if (flags['a']) {
		status = coredump_all(r, &j, &m);
	} else if (n < 1) {
		status = coredump_task(r, &j, r->default_pid, &m);
	} else {
		for (i = first; i < argc; i++) {
			report_parse_u64(argv[i], &pid);
			status = report_worst(status,
					      coredump_task(r, &j, pid, &m));
		}
	}
	return report_finish(r, &j, &m, status);
}
