// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gcore.c - "gcore PID [-o FILE] [--filter MASK]": write the ELF core file
 * the kernel would have written for the process (vmacore_gcore_write()),
 * and say which pages the dump could not give.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "report.h"

/*
 * The progress line on a terminal: "gcore: 12.5/80.0 MB", redrawn with \r
 * at most every 250 ms (VMACORE_PROGRESS_MS, for tests) from
 * vmacore_gcore_write()'s progress callback, cleared at the end.  Nothing
 * is drawn where stderr is not a terminal.
 */
struct progress {
	FILE *tty;
	long interval_ms;
	struct timespec last;	/* of the last redraw (or the start) */
	int width;		/* of the widest line drawn, to clear it */
};

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000 +
	       (now.tv_nsec - t->tv_nsec) / 1000000;
}

static void progress_draw(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	int w;

	if (ms_since(&p->last) < p->interval_ms)
		return;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	w = fprintf(p->tty, "\rgcore: %.1f/%.1f MB", done / 1048576.0,
		    total / 1048576.0) - 1;
	if (w > p->width)
		p->width = w;
	fflush(p->tty);
}

/* The callback to pass vmacore_gcore_write(), NULL for no line */
static vmacore_gcore_progress_fn progress_start(struct progress *p,
						FILE *err)
{
	const char *ms = getenv("VMACORE_PROGRESS_MS");

	memset(p, 0, sizeof(*p));
	p->tty = err;
	p->interval_ms = ms && atol(ms) > 0 ? atol(ms) : 250;
	clock_gettime(CLOCK_MONOTONIC, &p->last);
	if (fileno(err) < 0 || !isatty(fileno(err)))
		return NULL;
	return progress_draw;
}

static void progress_stop(struct progress *p)
{
	if (p->width > 0) {
		fprintf(p->tty, "\r%*s\r", p->width, "");
		fflush(p->tty);
	}
}

static enum report_status gcore_out(struct report *r, struct json *j,
				    const struct vmacore_task *t,
				    const char *file,
				    const struct vmacore_gcore *g,
				    struct report_messages *m)
{
	char comm[VMACORE_COMM_LEN + 1];
	size_t i, nmiss = 0;

	report_comm(t->comm, comm, sizeof(comm));
	if (r->json) {
		report_json_task_begin(j, t->pid, t->comm, t->mm);
		json_key_string(j, "file", file);
		json_key_u64(j, "size", g->size);
		json_key_u64(j, "loads", g->nr_vmas);
		json_key_u64(j, "pages_written", g->pages_written);
		json_key_u64(j, "pages_hole", g->pages_hole);
		json_key_u64(j, "pages_missing", g->pages_missing);
		json_key_u64(j, "notes_size", g->notes_size);
		json_key_u64(j, "threads", g->threads);
		json_key(j, "notes_left_out");
		if (g->notes_left_out)
			json_string(j, g->notes_left_out);
		else
			json_null(j);
		json_key(j, "notes_lost");
		if (g->notes_lost)
			json_string(j, g->notes_lost);
		else
			json_null(j);
		json_key(j, "missing");
		json_array_begin(j);
	} else {
		fprintf(r->out, "pid %d (%s): wrote %s: %zu PT_LOADs, %" PRIu64
			" bytes (%" PRIu64 " pages written, %" PRIu64
			" holes, %" PRIu64 " missing), notes of %u thread%s\n",
			t->pid, comm, file, g->nr_vmas, g->size,
			g->pages_written, g->pages_hole, g->pages_missing,
			g->threads, g->threads == 1 ? "" : "s");
	}
	for (i = 0; i < g->nr_vmas; i++) {
		const struct vmacore_gcore_vma *v = &g->vmas[i];

		if (!v->pages_missing && v->kind != VMACORE_DUMP_UNKNOWN)
			continue;
		nmiss++;
		if (r->json) {
			json_object_begin(j);
			json_key_hex(j, "start", v->start);
			json_key_hex(j, "end", v->end);
			json_key_u64(j, "pages_missing", v->pages_missing);
			json_key_bool(j, "verdict_unknown",
				      v->kind == VMACORE_DUMP_UNKNOWN);
			json_object_end(j);
		} else if (v->kind == VMACORE_DUMP_UNKNOWN) {
			fprintf(r->out, "  %016" PRIx64 "-%016" PRIx64
				": verdict unknown, written empty\n",
				v->start, v->end);
		} else {
			fprintf(r->out, "  %016" PRIx64 "-%016" PRIx64
				": %" PRIu64 " page%s missing, left as holes\n",
				v->start, v->end, v->pages_missing,
				v->pages_missing == 1 ? "" : "s");
		}
	}
	if (r->json) {
		json_array_end(j);
		json_key_u64(j, "vma_losses", g->vma_losses);
		json_key_bool(j, "complete", nmiss == 0 && !g->vma_losses &&
			      !g->notes_lost);
		json_object_end(j);
	}
	if (g->notes_left_out)
		fprintf(r->err, "%s: notes left out: %s\n", r->prog,
			g->notes_left_out);
	if (g->notes_lost)
		report_fail(r, m, vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
			"pid %d (%s): notes: %s", t->pid, comm, g->notes_lost),
			true);
	if (g->vma_losses)
		report_fail(r, m, vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
			"pid %d (%s): %" PRIu64 " parts of the VMA tree not readable: their VMAs are not in the core file",
			t->pid, comm, g->vma_losses), true);
	if (!nmiss)
		return g->vma_losses || g->notes_lost ? REPORT_PARTIAL :
		       REPORT_OK;
	return report_fail(r, m, vmacore_error_create(VMACORE_ERROR_NODATA,
		"pid %d (%s): %" PRIu64 " pages in %zu VMAs not in the dump (left as holes), %" PRIu64 " verdicts unknown",
		t->pid, comm, g->pages_missing, nmiss, g->unknown), true);
}

enum report_status report_gcore(struct report *r, int argc, char **argv)
{
	enum report_status status;
	struct report_messages m = { 0 };
	struct vmacore_gcore *g = NULL;
	struct vmacore_error *err;
	struct progress prog;
	struct vmacore_task t;
	const char *file = NULL;
	char *pidarg = NULL;
	char defname[32];
	uint64_t pid, mask;
	int64_t filter = -1;
	struct json j;
	bool nf;
	int i, fd;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			FILE *e = r->err;

			r->err = r->out;
			report_usage(r, "gcore", NULL);
			r->err = e;
			return REPORT_OK;
		} else if (strcmp(argv[i], "--json") == 0) {
			r->json = true;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(argv[i], "--filter") == 0 && i + 1 < argc) {
			if (!report_parse_u64(argv[++i], &mask) ||
			    mask >= 1u << 9)
				return report_usage(r, "gcore",
					"bad coredump_filter '%s'", argv[i]);
			filter = mask;
		} else if (argv[i][0] == '-' || pidarg) {
			return report_usage(r, "gcore", "bad argument '%s'",
					    argv[i]);
		} else {
			pidarg = argv[i];
		}
	}
	status = report_pid_operands(r, "gcore", "PID", false, pidarg != NULL,
				     &pidarg, true);
	if (status != REPORT_OK)
		return status;
	if (!pidarg)
		pid = r->default_pid;
	else
		report_parse_u64(pidarg, &pid);
	if (!file) {
		/* gdb's and crash's gcore name */
		snprintf(defname, sizeof(defname), "core.%" PRIu64, pid);
		file = defname;
	}
	if (r->json)
		report_json_begin(&j, r->out, "gcore", "tasks");
	/* as coredump_task(): a JSON document whatever the outcome */
	err = report_task_find(r, pid, &t, &nf);
	if (err) {
		status = report_fail(r, &m, err, false);
		return report_finish(r, &j, &m, nf ? REPORT_NOT_FOUND : status);
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		char msg[PATH_MAX + 64];

		snprintf(msg, sizeof(msg), "cannot open %s: %s", file,
			 strerror(errno));
		fprintf(r->err, "%s: %s\n", r->prog, msg);
		report_messages_add(&m, msg);
		return report_finish(r, &j, &m, REPORT_DUMP);
	}
	err = vmacore_gcore_write(r->ctx, &t, filter, fd,
				  progress_start(&prog, r->err), &prog, &g);
	progress_stop(&prog);
	if (close(fd) < 0 && !err)
		err = vmacore_error_create(VMACORE_ERROR_OS,
			"cannot write %s: %s", file, strerror(errno));
	if (err) {
		/* no file rather than one that looks whole */
		unlink(file);
		status = report_fail(r, &m, vmacore_error_prefix(err,
				     "pid %d: core file %s not written", t.pid,
				     file), false);
	} else {
		status = gcore_out(r, &j, &t, file, g, &m);
	}
	vmacore_gcore_destroy(g);
	return report_finish(r, &j, &m, status);
}
