// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ps.c - "ps [-t] [--sort COL]": the tasks that have an mm, with the number
 * of VMAs (counted by walking mm->mm_mt, not taken from map_count), their
 * size, and the RSS counters /proc/PID/status prints (mm->rss_stat).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "report.h"

struct mm_summary {
	uint64_t mm;
	uint64_t vmas;
	uint64_t bytes;
	struct vmacore_error *err;	/* the walk failed (owned) */
	bool partial;			/* it skipped something: said */
	struct vmacore_rss rss;		/* in pages */
	bool rss_ok;
};

/* One line of the table (kept only for --sort). */
struct ps_row {
	int32_t pid, tgid;
	uint64_t task, mm, vmas, bytes;
	bool counted, rss_ok;
	struct vmacore_rss rss;
	char comm[VMACORE_COMM_LEN + 1];
};

/* The columns --sort takes, by the header's name or a short one. */
enum ps_col { COL_PID, COL_TGID, COL_MM, COL_VMAS, COL_SIZE, COL_RSS,
	      COL_ANON, COL_FILE, COL_SHMEM, COL_SWAP, COL_COMM, COL_NONE };

static const struct {
	const char *name, *alias;
	enum ps_col col;
} cols[] = {
	{ "pid", NULL, COL_PID }, { "tgid", NULL, COL_TGID },
	{ "mm", NULL, COL_MM }, { "vmas", NULL, COL_VMAS },
	{ "size_kb", "size", COL_SIZE }, { "vmrss", "rss", COL_RSS },
	{ "rssanon", "anon", COL_ANON }, { "rssfile", "file", COL_FILE },
	{ "rssshmem", "shmem", COL_SHMEM }, { "vmswap", "swap", COL_SWAP },
	{ "comm", NULL, COL_COMM },
};

static enum ps_col sort_col;
static bool sort_desc;
static uint64_t page_kb;

static uint64_t row_key(const struct ps_row *a, enum ps_col c)
{
	switch (c) {
	case COL_PID: return (uint64_t)a->pid;
	case COL_TGID: return (uint64_t)a->tgid;
	case COL_MM: return a->mm;
	case COL_VMAS: return a->counted ? a->vmas : 0;
	case COL_SIZE: return a->counted ? a->bytes : 0;
	case COL_RSS: return a->rss.file + a->rss.anon + a->rss.shmem;
	case COL_ANON: return a->rss.anon;
	case COL_FILE: return a->rss.file;
	case COL_SHMEM: return a->rss.shmem;
	case COL_SWAP: return a->rss.swap;
	default: return 0;
	}
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct ps_row *a = pa, *b = pb;
	uint64_t ka, kb;
	int c;

	if (sort_col == COL_COMM) {
		c = strcmp(a->comm, b->comm);
	} else {
		ka = row_key(a, sort_col);
		kb = row_key(b, sort_col);
		c = ka < kb ? -1 : ka > kb;
	}
	if (sort_desc)
		c = -c;
	/* ties in task-list order (qsort is not stable) */
	return c ? c : (a->pid > b->pid) - (a->pid < b->pid);
}

static void print_row(struct report *r, struct json *j,
		      const struct ps_row *w)
{
	char rss[96];

	if (r->json) {
		report_json_task_ids_begin(j, w->pid, w->tgid, w->comm,
					   w->task, w->mm);
		json_key(j, "vma_count");
		if (w->counted)
			json_u64(j, w->vmas);
		else
			json_null(j);
		json_key(j, "size");
		if (w->counted)
			json_u64(j, w->bytes);
		else
			json_null(j);
		json_key(j, "rss");
		if (w->rss_ok) {
			/* kB, as /proc/PID/status prints them */
			json_object_begin(j);
			json_key_u64(j, "VmRSS", (w->rss.file + w->rss.anon +
						  w->rss.shmem) * page_kb);
			json_key_u64(j, "RssAnon", w->rss.anon * page_kb);
			json_key_u64(j, "RssFile", w->rss.file * page_kb);
			json_key_u64(j, "RssShmem", w->rss.shmem * page_kb);
			json_key_u64(j, "VmSwap", w->rss.swap * page_kb);
			json_key_bool(j, "per_cpu", w->rss.per_cpu);
			json_object_end(j);
		} else {
			json_null(j);
		}
		json_object_end(j);
		return;
	}
	if (w->rss_ok)
		snprintf(rss, sizeof(rss), "%9" PRIu64 " %9" PRIu64 " %9"
			 PRIu64 " %9" PRIu64 " %9" PRIu64,
			 (w->rss.file + w->rss.anon + w->rss.shmem) * page_kb,
			 w->rss.anon * page_kb, w->rss.file * page_kb,
			 w->rss.shmem * page_kb, w->rss.swap * page_kb);
	else
		snprintf(rss, sizeof(rss), "%9s %9s %9s %9s %9s", "?", "?",
			 "?", "?", "?");
	if (!w->counted)
		/* a count that may miss VMAs is not printed as one */
		fprintf(r->out, "%7d %7d  %016" PRIx64 "  %7s %12s %s  %s\n",
			w->pid, w->tgid, w->mm, "?", "?", rss, w->comm);
	else
		fprintf(r->out, "%7d %7d  %016" PRIx64 "  %7" PRIu64
			" %12" PRIu64 " %s  %s\n", w->pid, w->tgid, w->mm,
			w->vmas, w->bytes >> 10, rss, w->comm);
}

/* Take "--sort COL" / "--sort=COL" out of argv; -1: bad column. */
static int take_sort(struct report *r, int *argc, char **argv)
{
	const char *v = NULL;
	int i, k, n = 0;
	size_t c;

	sort_col = COL_NONE;
	sort_desc = false;
	for (i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "--sort") && i + 1 < *argc) {
			v = argv[i + 1];
			n = 2;
		} else if (!strncmp(argv[i], "--sort=", 7)) {
			v = argv[i] + 7;
			n = 1;
		} else {
			continue;
		}
		for (k = i; k + n < *argc; k++)
			argv[k] = argv[k + n];
		*argc -= n;
		i--;
		if (*v == '-' || *v == '+')
			sort_desc = *v++ == '-';
		for (c = 0; c < sizeof(cols) / sizeof(cols[0]); c++)
			if (!strcasecmp(v, cols[c].name) ||
			    (cols[c].alias && !strcasecmp(v, cols[c].alias)))
				break;
		if (c == sizeof(cols) / sizeof(cols[0]))
			return report_usage(r, "ps", "unknown column '%s' for --sort", v), -1;
		sort_col = cols[c].col;
	}
	return 0;
}


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
	struct ps_row row, *rows_v = NULL;
	size_t nrows = 0, cap = 0, i;
	struct json j;
	bool flags[128];
	uint64_t rows = 0;
	int first;

	if (take_sort(r, &argc, argv) < 0)
		return REPORT_USAGE;
	first = report_parse_options(r, argc, argv, "t", flags, &status);
	if (first < 0)
		return status;
	if (first < argc)
		return report_usage(r, "ps", "unexpected argument '%s'",
				    argv[first]);
	page_kb = vmacore_ctx_page_size(r->ctx) >> 10;
	if (r->json)
		report_json_begin(&j, r->out, "ps", "tasks");
	else
		fprintf(r->out, "%7s %7s  %-16s  %7s %12s %9s %9s %9s %9s %9s  %s\n",
			"PID", "TGID", "MM", "VMAS", "SIZE_KB", "VmRSS",
			"RssAnon", "RssFile", "RssShmem", "VmSwap", "COMM");
	err = vmacore_task_iter_create(r->ctx, flags['t'], &it);
	while (!err && !(err = vmacore_task_iter_next(it, &t))) {
		if (!t.mm)
			continue;
		/* Threads share their leader's mm: count it once. */
		if (t.mm != s.mm) {
			struct vmacore_error *e;

			if (s.err)
				vmacore_error_destroy(s.err);
			status = report_worst(status,
					       count_vmas(r, t.mm, &t, &s, &m));
			if (s.err) {
				e = vmacore_error_create(s.err->code,
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
			/* get_mm_counter_sum(): every CPU's part too */
			e = vmacore_mm_rss(r->ctx, t.mm, true, &s.rss);
			s.rss_ok = !e;
			if (e)
				status = report_worst(status,
					report_fail(r, &m, vmacore_error_prefix(e,
						    "pid %d: cannot read the RSS counters of mm 0x%" PRIx64,
						    t.pid, t.mm), true));
		}
		rows++;
		memset(&row, 0, sizeof(row));
		row.pid = t.pid;
		row.tgid = t.tgid;
		row.task = t.addr;
		row.mm = t.mm;
		row.vmas = s.vmas;
		row.bytes = s.bytes;
		row.counted = !s.err && !s.partial;
		row.rss = s.rss;
		row.rss_ok = s.rss_ok;
		if (r->json)
			snprintf(row.comm, sizeof(row.comm), "%s", t.comm);
		else
			report_comm(t.comm, row.comm, sizeof(row.comm));
		if (sort_col == COL_NONE) {
			print_row(r, &j, &row);
			continue;
		}
		if (nrows == cap) {
			struct ps_row *v = realloc(rows_v, (cap = cap ? 2 * cap : 256) *
						   sizeof(*v));

			if (!v) {
				err = &vmacore_enomem;
				break;
			}
			rows_v = v;
		}
		rows_v[nrows++] = row;
	}
	if (nrows) {
		qsort(rows_v, nrows, sizeof(*rows_v), row_cmp);
		for (i = 0; i < nrows; i++)
			print_row(r, &j, &rows_v[i]);
	}
	free(rows_v);
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
	return report_finish(r, &j, &m, status);
}
