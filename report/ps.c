// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ps.c - "ps [-t]": the tasks that have an mm, with the number of VMAs
 * (counted by walking mm->mm_mt, not taken from map_count) and their size.
 */
#include <inttypes.h>
#include <string.h>

#include "json.h"
#include "report.h"

struct mm_summary {
	uint64_t mm;
	uint64_t vmas;
	uint64_t bytes;
	struct vmacore_error *err;	/* the walk failed (owned) */
	bool partial;			/* it skipped something: said */
};

/* Count the VMAs of @mm; the losses of the walk are said here. */
static enum report_status count_vmas(struct report *r, uint64_t mm,
				     const struct vmacore_task *t,
				     struct mm_summary *s,
				     struct report_messages *m)
{
	enum report_status status;
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_error *err;
	struct vmacore_vma vma;
	char comm[VMACORE_COMM_LEN + 1], who[64];

	s->mm = mm;
	s->vmas = 0;
	s->bytes = 0;
	s->err = NULL;
	err = vmacore_vma_iter_create(r->ctx, mm, &it);
	while (!err && !(err = vmacore_vma_iter_next(it, &vma))) {
		s->vmas++;
		s->bytes += vma.vm_end - vma.vm_start;
	}
	report_comm(t->comm, comm, sizeof(comm));
	snprintf(who, sizeof(who), "pid %d (%s)", t->pid, comm);
	status = report_vma_losses(r, m, it, who, NULL);
	s->partial = status != REPORT_OK;
	vmacore_vma_iter_destroy(it);
	if (err != &vmacore_stop)
		s->err = err;
	return status;
}

enum report_status report_ps(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct report_messages m = { 0 };
	struct vmacore_task_iter *it = NULL;
	struct mm_summary s = { 0 };
	struct vmacore_error *err;
	struct vmacore_task t;
	struct json j;
	bool flags[128];
	uint64_t rows = 0;
	int first;

	first = report_parse_options(r, argc, argv, "t", flags, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return report_usage(r, "ps", "unexpected argument '%s'",
				    argv[first]);
	if (r->json)
		report_json_begin(&j, r->out, "ps", "tasks"); else {
		fprintf(r->out, "%7s %7s  %-16s  %7s %12s  %s\n", "PID", "TGID",
			"MM", "VMAS", "SIZE_KB", "COMM");
	}
	err = vmacore_task_iter_create(r->ctx, flags['t'], &it);
	while (!err && !(err = vmacore_task_iter_next(it, &t))) {
		char comm[VMACORE_COMM_LEN + 1];

		if (!t.mm)
			continue;
		/* Threads share their leader's mm: count it once. */
		if (t.mm != s.mm) {
			if (s.err)
				vmacore_error_destroy(s.err);
			status = report_worst(status,
					       count_vmas(r, t.mm, &t, &s, &m));
			if (s.err) {
				struct vmacore_error *e =
					vmacore_error_create(s.err->code,
							     "pid %d: cannot count VMAs of mm 0x%" PRIx64 ": %s",
							     t.pid, t.mm,
							     s.err->message);

				if (e != &vmacore_enomem) {
					e->file = s.err->file;
					e->line = s.err->line;
				}
				status = report_worst(status,
						      report_fail(r, &m, e, true));
			}
		}
		rows++;
		report_comm(t.comm, comm, sizeof(comm));
		if (r->json) {
			json_object_begin(&j);
			json_key_i64(&j, "pid", t.pid);
			json_key_i64(&j, "tgid", t.tgid);
			json_key_string(&j, "comm", t.comm);
			json_key(&j, "task");
			json_hex(&j, t.addr);
			json_key(&j, "mm");
			json_hex(&j, t.mm);
			json_key(&j, "vma_count");
			if (s.err || s.partial)
				json_null(&j);
			else
				json_u64(&j, s.vmas);
			json_key(&j, "size");
			if (s.err || s.partial)
				json_null(&j);
			else
				json_u64(&j, s.bytes);
			json_object_end(&j);
		} else if (s.err || s.partial) {
			/* a count that may miss VMAs is not printed as one */
			fprintf(r->out, "%7d %7d  %016" PRIx64 "  %7s %12s  %s\n",
				t.pid, t.tgid, t.mm, "?", "?", comm);
		} else {
			fprintf(r->out, "%7d %7d  %016" PRIx64 "  %7" PRIu64
				" %12" PRIu64 "  %s\n", t.pid, t.tgid, t.mm,
				s.vmas, s.bytes >> 10, comm);
		}
	}
	/*
	 * The parts of the task lists that could not be read: a partial
	 * answer, or none at all when not one task could be read.
	 */
	status = report_worst(status, report_task_losses(r, &m, it, rows > 0));
	vmacore_task_iter_destroy(it);
	if (s.err)
		vmacore_error_destroy(s.err);
	if (err != &vmacore_stop) {
		vmacore_error_prefix(err, rows ?
				     "task list walk stopped after %" PRIu64 " tasks" :
				     "cannot walk the task list%.0" PRIu64, rows);
		status = report_worst(status, report_fail(r, &m, err, rows > 0));
	}
	if (r->json)
		report_json_end(&j, status == REPORT_OK, &m, NULL);
	report_messages_free(&m);
	return status;
}
