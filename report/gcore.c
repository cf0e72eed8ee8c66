// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gcore.c - "gcore PID [-o FILE] [--filter MASK]": write the ELF core file
 * the kernel would have written for the process (vmacore_gcore_write()),
 * and say which pages the dump could not give.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json.h"
#include "report.h"

/*
 * The progress line on a terminal: "gcore: 12.5/80.0 MB", redrawn with \r
 * at most every 250 ms (VMACORE_PROGRESS_MS, for tests), cleared at the
 * end.  vmacore_gcore_write() has no progress callback, and needs none: a
 * thread reads how far the core file's offset has come (lseek SEEK_CUR,
 * which moves nothing) against the end of the last PT_LOAD, read back
 * (through a second, read-only descriptor) from the program headers once
 * the offset is past them.  Nothing is drawn where the file cannot seek
 * (a pipe) or stderr is not a terminal.
 */
struct progress {
	FILE *tty;
	int fd, rfd;		/* the core, written; the same, to read */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, running;
	long interval_ms;
	uint64_t total;		/* 0 until the program headers are read */
	int width;		/* of the widest line drawn, to clear it */
};

/* The end of the last PT_LOAD, once the program headers are all written */
static uint64_t progress_total(int fd, uint64_t pos)
{
	unsigned char eh[64], ph[56 * 64];
	uint64_t phoff, end = 0, off, filesz;
	uint16_t phnum, i, n, k;

	if (pread(fd, eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh, "\177ELF\2\1", 6))
		return 0;
	memcpy(&phoff, eh + 32, 8);
	memcpy(&phnum, eh + 56, 2);
	if (pos < phoff + (uint64_t)phnum * 56)
		return 0;
	for (i = 0; i < phnum; i += n) {
		n = phnum - i < 64 ? phnum - i : 64;
		if (pread(fd, ph, n * 56, phoff + (uint64_t)i * 56) != n * 56)
			return 0;
		for (k = 0; k < n; k++) {
			memcpy(&off, ph + k * 56 + 8, 8);
			memcpy(&filesz, ph + k * 56 + 32, 8);
			if (off + filesz > end)
				end = off + filesz;
		}
	}
	return end;
}

static void progress_draw(struct progress *p)
{
	off_t pos = lseek(p->fd, 0, SEEK_CUR);
	int w;

	if (pos < 0)
		return;
	if (!p->total)
		p->total = progress_total(p->rfd, pos);
	if (!p->total)
		return;
	if ((uint64_t)pos > p->total)
		pos = p->total;
	flockfile(p->tty);
	w = fprintf(p->tty, "\rgcore: %.1f/%.1f MB", pos / 1048576.0,
		    p->total / 1048576.0) - 1;
	if (w > p->width)
		p->width = w;
	fflush(p->tty);
	funlockfile(p->tty);
}

static void *progress_thread(void *arg)
{
	struct progress *p = arg;
	struct timespec t;

	pthread_mutex_lock(&p->lock);
	while (!p->stop) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += p->interval_ms % 1000 * 1000000;
		t.tv_sec += p->interval_ms / 1000 + t.tv_nsec / 1000000000;
		t.tv_nsec %= 1000000000;
		while (!p->stop &&
		       pthread_cond_timedwait(&p->cond, &p->lock, &t) == 0)
			;
		if (!p->stop)
			progress_draw(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void progress_start(struct progress *p, FILE *err, int fd,
			   const char *file)
{
	const char *ms = getenv("VMACORE_PROGRESS_MS");
	pthread_condattr_t ca;

	memset(p, 0, sizeof(*p));
	p->tty = err;
	p->fd = fd;
	p->rfd = -1;
	p->interval_ms = ms && atol(ms) > 0 ? atol(ms) : 250;
	if (fileno(err) < 0 || !isatty(fileno(err)) ||
	    lseek(fd, 0, SEEK_CUR) < 0)
		return;
	/* fd is write-only */
	p->rfd = open(file, O_RDONLY | O_CLOEXEC);
	if (p->rfd < 0)
		return;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	p->running = !pthread_create(&p->thread, NULL, progress_thread, p);
	if (!p->running) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		close(p->rfd);
	}
}

static void progress_stop(struct progress *p)
{
	if (!p->running)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	close(p->rfd);
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
	err = report_task_find(r, pid, &t, &nf);
	if (err)
		return report_error(r, err);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(r->err, "%s: cannot open %s: %s\n", r->prog, file,
			strerror(errno));
		return REPORT_DUMP;
	}
	if (r->json)
		report_json_begin(&j, r->out, "gcore", "tasks");
	progress_start(&prog, r->err, fd, file);
	err = vmacore_gcore_write(r->ctx, &t, filter, fd, &g);
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
