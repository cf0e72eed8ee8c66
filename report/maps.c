// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maps.c - "maps PID|COMM...|--all": the VMAs of tasks as /proc/PID/maps
 * shows them, each followed by its smaps VmFlags codes; and the per-VMA
 * output that "vma" shares.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

#define FLAGS_BUF 4096

void report_json_list(struct json *j, const char *list, char sep)
{
	const char *p = list;

	json_array_begin(j);
	while (*p) {
		size_t len = 0;

		while (p[len] && p[len] != sep)
			len++;
		/* items of 256 bytes or more are left out, as ever */
		if (len && len < 256)
			json_stringn(j, p, len);
		p += len;
		if (*p)
			p++;
	}
	json_array_end(j);
}

/*
 * What every VMA output needs: maps line, codes and names.  @memo: the
 * codes (and, if @with_names, the names) of the last two vm_flags values, so
 * that a walk decodes each value once (issue 6: VMAs often alternate
 * between two values); valid for one task of one query only (maps_task()
 * clears it).
 */
struct vma_view {
	struct vmacore_maps_line ml;
	char line[VMACORE_NAME_MAX + 128];
	size_t line_len;
	char out[VMACORE_NAME_MAX + 128 + 10 + FLAGS_BUF + 1]; /* the text */
	char codes[FLAGS_BUF];
	char names[FLAGS_BUF];
	struct {
		bool valid;
		bool with_names;
		uint64_t flags;
		char codes[FLAGS_BUF];
		char names[FLAGS_BUF];
	} memo[2];
	unsigned int memo_next;
	bool memo_on;		/* inside maps_task() */
	/* The maps line of the last file VMA (see file_memo_get()). */
	bool file_valid;
	uint64_t file;
	struct vmacore_maps_line file_ml;
	bool codes_assumed;	/* a VmFlags code is the built-in table's */
};

static void memo_clear(struct vma_view *v, bool on)
{
	v->memo_on = on;
	v->memo[0].valid = false;
	v->memo[1].valid = false;
	v->file_valid = false;
}

/*
 * Issue 6: the VMAs of a file (a library's four or five mappings, a file
 * mapped in pieces) share one struct file, whose path d_path() rebuilds
 * through dentries and mounts (~7,000 instructions a VMA).  Of the file,
 * show_map_vma() prints dev, ino and path only: take them from the
 * previous VMA when it had the same vm_file.  Only when the VMA has no
 * anon_name (shmem named by prctl() prints that instead of the path) and
 * the previous line was complete.
 */
static bool file_memo_get(struct vmacore_ctx *ctx, struct vma_view *v,
			  const struct vmacore_vma *vma)
{
	if (!v->memo_on || !v->file_valid || !vma->vm_file ||
	    vma->vm_file != v->file || vma->anon_name)
		return false;
	v->ml = v->file_ml;
	/* vmacore_vma_maps_line(): vm_pgoff << PAGE_SHIFT, and the perms */
	v->ml.pgoff = vma->vm_pgoff * vmacore_ctx_page_size(ctx);
	vmacore_vma_perms(ctx, vma->vm_flags, v->ml.perms);
	return true;
}

static void file_memo_put(struct vma_view *v, const struct vmacore_vma *vma)
{
	v->file_valid = v->memo_on && vma->vm_file && !vma->anon_name &&
			!v->ml.partial;
	if (!v->file_valid)
		return;
	v->file = vma->vm_file;
	v->file_ml = v->ml;
}

static bool memo_get(struct vma_view *v, uint64_t flags, bool names)
{
	unsigned int i;

	for (i = 0; v->memo_on && i < 2; i++) {
		if (!v->memo[i].valid || v->memo[i].flags != flags ||
		    (names && !v->memo[i].with_names))
			continue;
		strcpy(v->codes, v->memo[i].codes);
		if (names)
			strcpy(v->names, v->memo[i].names);
		return true;
	}
	return false;
}

static void memo_put(struct vma_view *v, uint64_t flags, bool names)
{
	unsigned int i = v->memo_next;

	if (!v->memo_on)
		return;
	v->memo_next = !i;
	v->memo[i].valid = true;
	v->memo[i].with_names = names;
	v->memo[i].flags = flags;
	strcpy(v->memo[i].codes, v->codes);
	if (names)
		strcpy(v->memo[i].names, v->names);
}

static struct vmacore_error *vma_view_get(struct report *r,
					  const struct vmacore_mm *mm,
					  const struct vmacore_vma *vma,
					  bool names, struct vma_view *v)
{
	struct vmacore_error *err;

	if (!file_memo_get(r->ctx, v, vma)) {
		err = vmacore_vma_maps_line(r->ctx, mm, vma, &v->ml);
		if (!err)
			file_memo_put(v, vma);
	} else {
		err = NULL;
	}
	if (!err && memo_get(v, vma->vm_flags, names))
		goto format;
	if (!err)
		err = vmacore_flags_codes(r->ctx, vma->vm_flags, v->codes,
					  sizeof(v->codes));
	if (!err && names)
		err = vmacore_flags_names(r->ctx, vma->vm_flags, v->names,
					  sizeof(v->names));
	if (!err)
		memo_put(v, vma->vm_flags, names);
	if (err)
		return vmacore_error_prefix(err, "vma 0x%" PRIx64 " (%08" PRIx64
					    "-%08" PRIx64 ")", vma->addr,
					    vma->vm_start, vma->vm_end);
format:
	/* VmFlags codes the dump did not give are assumed: say so */
	v->codes_assumed = vma->vm_flags & vmacore_flags_codes_builtin(r->ctx);
	if (v->codes_assumed)
		v->ml.partial = true;
	v->line_len = vmacore_maps_line_format(vma, &v->ml, v->line,
					       sizeof(v->line));
	if (v->line_len >= sizeof(v->line))
		v->line_len = sizeof(v->line) - 1;
	return NULL;
}

/* One buffer for all VMAs: struct vma_view is too big for crash's stack. */
static struct vma_view *view_buffer(void)
{
	static __thread struct vma_view *v;

	if (!v)
		v = calloc(1, sizeof(*v));
	return v;
}

struct vmacore_error *report_vma_text(struct report *r,
				      const struct vmacore_mm *mm,
				      const struct vmacore_vma *vma,
				      bool extended, bool full,
				      bool *partial_ret)
{
	struct vma_view *v = view_buffer();
	struct vmacore_error *err;
	FILE *o = r->out;
	char *p;

	if (!v)
		return &vmacore_enomem;
	err = vma_view_get(r, mm, vma, extended || full, v);
	if (err)
		return err;
	*partial_ret = v->ml.partial;
	/* fprintf(o, "%s\nVmFlags: %s\n", ...) in one write, without the
	 * format parsing: stdio was 8% of maps --all (issue 14) */
	memcpy(v->out, v->line, v->line_len);
	p = mempcpy(v->out + v->line_len, "\nVmFlags: ", 10);
	p = stpcpy(p, v->codes);
	*p++ = '\n';
	fwrite(v->out, 1, p - v->out, o);
	if (extended || full)
		fprintf(o, "VmArea: 0x%" PRIx64 "\nVmFlagsRaw: 0x%" PRIx64
			" %s\n", vma->addr, vma->vm_flags, v->names);
	if (full)
		fprintf(o,
			"vm_start: 0x%" PRIx64 "\nvm_end: 0x%" PRIx64
			"\nvm_pgoff: 0x%" PRIx64 "\nvm_file: 0x%" PRIx64
			"\nvm_ops: 0x%" PRIx64 "\nanon_vma: 0x%" PRIx64
			"\nvm_mm: 0x%" PRIx64 "\nanon_name: 0x%" PRIx64 "\n",
			vma->vm_start, vma->vm_end, vma->vm_pgoff,
			vma->vm_file, vma->vm_ops, vma->anon_vma, vma->vm_mm,
			vma->anon_name);
	return NULL;
}

struct vmacore_error *report_vma_json(struct report *r, struct json *j,
				      const struct vmacore_mm *mm,
				      const struct vmacore_vma *vma, bool full,
				      bool *partial_ret)
{
	struct vma_view *v = view_buffer();
	struct vmacore_error *err;
	char perms[5];

	if (!v)
		return &vmacore_enomem;
	err = vma_view_get(r, mm, vma, true, v);
	if (err)
		return err;
	*partial_ret = v->ml.partial;
	memcpy(perms, v->line + strcspn(v->line, " ") + 1, 4);
	perms[4] = '\0';
	json_hold(j);		/* the object in one write */
	report_json_vma_begin(j, vma, perms);
	json_key_hex(j, "pgoff", v->ml.pgoff);
	json_key_u64(j, "major", v->ml.dev_major);
	json_key_u64(j, "minor", v->ml.dev_minor);
	json_key_u64(j, "inode", v->ml.ino);
	json_key_string(j, "name", v->ml.name);
	json_key_bool(j, "name_partial", v->ml.partial);
	if (v->ml.assumed)
		json_key_string(j, "name_assumed", v->ml.assumed);
	json_key_hex(j, "vm_flags", vma->vm_flags);
	json_key(j, "codes");
	report_json_list(j, v->codes, ' ');
	if (v->codes_assumed)
		json_key_bool(j, "codes_assumed", true);
	json_key(j, "flag_names");
	report_json_list(j, v->names, '|');
	json_key_hex(j, "vm_pgoff", vma->vm_pgoff);
	json_key_hex(j, "vm_file", vma->vm_file);
	json_key_hex(j, "vm_ops", vma->vm_ops);
	json_key_hex(j, "anon_vma", vma->anon_vma);
	json_key_hex(j, "vm_mm", vma->vm_mm);
	json_key_hex(j, "anon_name", vma->anon_name);
	(void)full;
	json_object_end(j);
	json_release(j);
	return NULL;
}

/* ---- maps ---- */

struct task_list {
	struct vmacore_task *v;
	size_t n, cap;
};

static bool task_list_add(struct task_list *l, const struct vmacore_task *t)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct vmacore_task *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return false;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *t;
	return true;
}

/*
 * The tasks named by COMM arguments, all found by one walk of the leaders'
 * list (not one walk an argument): @match[k] (the argument's index in
 * argv) of each task of @tl, in list order; @end, how the walk ended.
 */
struct comm_walk {
	struct task_list tl;
	int *match;
	struct vmacore_error *end;	/* &vmacore_stop: the whole list */
	const struct vmacore_task_loss *lost;	/* the first loss, or NULL */
	struct vmacore_task_iter *it;
};

static bool comm_walk(struct report *r, int argc, char **argv,
		      struct comm_walk *w)
{
	struct vmacore_error *err;
	struct vmacore_task t;
	uint64_t pid;
	size_t cap = 0;
	int i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < argc; i++)
		if (!report_parse_u64(argv[i], &pid))
			break;
	if (i == argc)
		return true;	/* pids only: the idr finds each */
	err = vmacore_task_iter_create(r->ctx, false, &w->it);
	while (!err && !(err = vmacore_task_iter_next(w->it, &t))) {
		for (i = 0; i < argc; i++) {
			if (report_parse_u64(argv[i], &pid) ||
			    strcmp(t.comm, argv[i]) != 0)
				continue;
			if (w->tl.n == cap) {
				int *m;

				cap = cap ? 2 * cap : 16;
				m = realloc(w->match, cap * sizeof(*m));
				if (!m)
					return false;
				w->match = m;
			}
			w->match[w->tl.n] = i;
			if (!task_list_add(&w->tl, &t))
				return false;
		}
	}
	w->end = err;
	if (err == &vmacore_stop && !vmacore_task_iter_losses(w->it, &w->lost))
		w->lost = NULL;
	return true;
}

static void comm_walk_free(struct comm_walk *w)
{
	if (w->end != &vmacore_stop)
		vmacore_error_destroy(w->end);
	vmacore_task_iter_destroy(w->it);
	free(w->tl.v);
	free(w->match);
}

static enum report_status resolve(struct report *r, int argc, char **argv,
				  struct task_list *tl, struct report_messages *m)
{
	enum report_status status = REPORT_OK;
	struct vmacore_error *err;
	struct comm_walk w;
	size_t k;
	int i;

	if (!comm_walk(r, argc, argv, &w)) {
		comm_walk_free(&w);
		return REPORT_INTERNAL;
	}
	for (i = 0; i < argc; i++) {
		struct vmacore_task t;
		uint64_t pid;
		bool found = false;

		if (report_parse_u64(argv[i], &pid)) {
			if (pid > INT32_MAX) {
				status = report_worst(status, report_usage(r, "maps",
						"bad pid %s", argv[i]));
				continue;
			}
			err = vmacore_task_find(r->ctx, pid, &t);
			if (err && err->code == VMACORE_ERROR_LOOKUP) {
				vmacore_error_destroy(err);
				err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
							   "no task with pid %s",
							   argv[i]);
				report_messages_add(m, err->message);
				report_error(r, err);
				status = report_worst(status, REPORT_NOT_FOUND);
				continue;
			}
			if (err) {
				status = report_worst(status, report_fail(r, m, err, false));
				continue;
			}
			if (!task_list_add(tl, &t)) {
				comm_walk_free(&w);
				return REPORT_INTERNAL;
			}
			continue;
		}
		for (k = 0; k < w.tl.n; k++) {
			if (w.match[k] != i)
				continue;
			found = true;
			if (!task_list_add(tl, &w.tl.v[k])) {
				comm_walk_free(&w);
				return REPORT_INTERNAL;
			}
		}
		if (w.end == &vmacore_stop && w.lost) {
			/* another of that name may be in the gap */
			err = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
						   "%s named %s, but %s",
						   found ? "maybe more processes" :
						   "no process", argv[i],
						   w.lost->message);
			status = report_worst(status,
					      report_fail(r, m, err, true));
		} else if (w.end == &vmacore_enomem) {
			comm_walk_free(&w);
			return REPORT_INTERNAL;
		} else if (w.end != &vmacore_stop) {
			err = w.end->code == VMACORE_ERROR_CORRUPT ?
			      vmacore_error_corrupt(w.end->file, w.end->line,
						    "cannot look for tasks named %s: %s",
						    argv[i], w.end->message) :
			      vmacore_error_create(w.end->code,
						   "cannot look for tasks named %s: %s",
						   argv[i], w.end->message);
			status = report_worst(status,
					      report_fail(r, m, err, found));
		} else if (!found) {
			err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
						   "no process named %s",
						   argv[i]);
			report_messages_add(m, err->message);
			report_error(r, err);
			status = report_worst(status, REPORT_NOT_FOUND);
		}
	}
	comm_walk_free(&w);
	return status;
}

/* Lines not printed said one by one, then as a count. */
#define VMA_SKIPS_SAID 100

/*
 * The line of @vma could not be made (@err, consumed): say so as a
 * partial answer, unless @n (the VMAs skipped before) is beyond
 * VMA_SKIPS_SAID; with @vma NULL, say how many were skipped in all.
 */
static void vma_skipped(struct report *r, struct report_messages *m,
			int pid, const char *comm, const struct vmacore_vma *vma,
			struct vmacore_error *err, uint64_t n)
{
	if (!vma) {
		err = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
					   "pid %d (%s): %" PRIu64 " VMAs not printed in all",
					   pid, comm, n);
	} else if (n >= VMA_SKIPS_SAID) {
		vmacore_error_destroy(err);
		return;
	} else {
		vmacore_error_prefix(err, "pid %d (%s): VMA %08" PRIx64 "-%08" PRIx64 " not printed",
				     pid, comm, vma->vm_start, vma->vm_end);
	}
	report_fail(r, m, err, true);
}

/* One task's VMAs. */
static enum report_status maps_task(struct report *r, struct json *j,
				    const struct vmacore_task *t,
				    bool extended, bool header,
				    struct report_messages *m)
{
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_error *err;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	char comm[VMACORE_COMM_LEN + 1], who[64], *lost = NULL;
	uint64_t count = 0, partial_names = 0, skipped = 0;
	enum report_status status = REPORT_OK;

	report_comm(t->comm, comm, sizeof(comm));
	if (!t->mm) {
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "pid %d (%s) has no mm: a kernel thread or an exiting task",
					   t->pid, comm);
		report_messages_add(m, err->message);
		report_error(r, err);
		return REPORT_NOT_FOUND;
	}
	if (r->json) {
		report_json_task_ids_begin(j, t->pid, t->tgid, t->comm,
					   t->addr, t->mm);
		json_key(j, "vmas");
		json_array_begin(j);
	} else if (header) {
		fprintf(r->out, "==> pid %d (%s) <==\n", t->pid, comm);
	}

	/* memos on for this task's walk only (cleared after it) */
	if (view_buffer())
		memo_clear(view_buffer(), true);
	err = vmacore_mm_read(r->ctx, t->mm, &mm);
	if (!err)
		err = vmacore_vma_iter_create(r->ctx, t->mm, &it);
	while (!err && !(err = vmacore_vma_iter_next(it, &vma))) {
		bool partial = false;

		if (r->json)
			err = report_vma_json(r, j, &mm, &vma, true, &partial);
		else
			err = report_vma_text(r, &mm, &vma, extended, false,
					      &partial);
		if (err && err != &vmacore_enomem) {
			/* this VMA's line only: nothing of it was printed */
			report_comm(t->comm, comm, sizeof(comm));
			vma_skipped(r, m, t->pid, comm, &vma, err, skipped++);
			err = NULL;
			continue;
		}
		if (err)
			break;
		count++;
		partial_names += partial;
	}
	if (skipped > VMA_SKIPS_SAID)
		vma_skipped(r, m, t->pid, comm, NULL, NULL, skipped);
	if (view_buffer())
		memo_clear(view_buffer(), false);
	if (err == &vmacore_stop)
		err = NULL;
	if (err) {
		vmacore_error_prefix(err, count ?
				     "pid %d (%s): VMA walk stopped after %" PRIu64 " VMAs" :
				     "pid %d (%s): cannot read its VMAs%.0" PRIu64,
				     t->pid, comm, count);
	} else if (partial_names) {
		err = vmacore_error_create(VMACORE_ERROR_NODATA,
					   "pid %d (%s): %" PRIu64 " names could not be completely rebuilt (printed with '?')",
					   t->pid, comm, partial_names);
		count = count ? count : 1;	/* an answer was printed */
	}
	/* what the walk skipped, each said: the rest of the answer stands */
	snprintf(who, sizeof(who), "pid %d (%s)", t->pid, comm);
	status = report_vma_losses(r, m, it, who, &lost);
	vmacore_vma_iter_destroy(it);
	if (r->json) {
		json_array_end(j);
		report_json_task_outcome(j, err, lost, skipped,
					 "VMAs not printed (see errors)");
		json_object_end(j);
	}
	if (err)
		status = report_worst(status, report_fail(r, m, err,
							  count > 0 || lost));
	free(lost);
	return report_worst(status, skipped ? REPORT_PARTIAL : REPORT_OK);
}

struct all_args {
	struct json *j;
	bool extended;
	struct report_messages *m;
};

static enum report_status maps_one(struct report *r,
				   const struct vmacore_task *t, void *arg)
{
	struct all_args *a = arg;

	if (!r->json)
		report_process_header(r, t);
	return maps_task(r, a->j, t, a->extended, false, a->m);
}

/*
 * "maps --all": every process "ps" lists (the thread-group leaders that
 * have an mm), in one walk of the leaders' list, each streamed as it is
 * met.  Text: a header line per process, crash's "vm" style, then what
 * "maps PID" prints for it, byte for byte.
 */
static enum report_status maps_all(struct report *r, struct json *j,
				   bool extended, struct report_messages *m)
{
	struct all_args a = { j, extended, m };

	return report_each_process(r, m, maps_one, &a);
}

enum report_status report_maps(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct task_list tl = { 0 };
	struct report_messages m = { 0 };
	struct json j;
	bool flags[128];
	size_t i;
	int first;

	first = report_parse_options(r, argc, argv, "xa", flags, &status);
	if (first < 0)
		return status;
	status = report_pid_operands(r, "maps", "PID or COMM", flags['a'],
				     argc - first, argv + first, false);
	if (status != REPORT_OK)
		return status;
	if (flags['a']) {
		if (r->json)
			report_json_begin(&j, r->out, "maps", "tasks");
		status = maps_all(r, &j, flags['x'], &m);
		return report_finish(r, &j, &m, status);
	}
	status = resolve(r, argc - first, argv + first, &tl, &m);
	if (status == REPORT_INTERNAL) {
		report_messages_free(&m);
		free(tl.v);
		return status;
	}
	if (r->json)
		report_json_begin(&j, r->out, "maps", "tasks");
	for (i = 0; i < tl.n; i++)
		status = report_worst(status, maps_task(r, &j, &tl.v[i], flags['x'],
						 tl.n > 1, &m));
	free(tl.v);
	return report_finish(r, &j, &m, status);
}
