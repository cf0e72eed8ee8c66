// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * report.c - the table of subcommands and what they share: option parsing,
 * error messages and exit status.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

const struct report_command report_commands[] = {
	{ "ps", report_ps, "[-t] [--sort [-]COL]",
	  "tasks with an mm: pid, comm, mm, VMA count, size, RSS" },
	{ "maps", report_maps, "[-x] PID|COMM...|--all",
	  "VMAs as /proc/PID/maps prints them, with VmFlags" },
	{ "vma", report_vma, "PID ADDR",
	  "the VMA that contains ADDR, in full" },
	{ "flags", report_flags, "VALUE",
	  "decode a vm_flags value with this kernel's names" },
	{ "rmap", report_rmap, "[-m] PAGE...",
	  "who maps a page (pfn:N, phys:ADDR, page:ADDR, PID:ADDR)" },
	{ "imap", report_imap, "FILE [FIRST [LAST]]",
	  "the VMAs in a file's i_mmap tree" },
	{ "anon", report_anon, "PID ADDR",
	  "the anon_vma chain of the VMA at ADDR" },
	{ "coredump", report_coredump, "PID...|--all",
	  "what a core dump of the task would write of each VMA" },
	{ "gcore", report_gcore, "PID [-o FILE] [--filter MASK]",
	  "write the ELF core file the kernel would write for the process" },
	{ "smaps", report_smaps, "[--rollup] PID...|--all",
	  "memory of each VMA as /proc/PID/smaps counts it" },
	{ "pagemap", report_pagemap, "PID [START [END]]",
	  "each page's pfn or swap entry and pagemap flags" },
	{ NULL, NULL, NULL, NULL },
};

const struct report_command *report_command_find(const char *name)
{
	const struct report_command *c;

	for (c = report_commands; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static enum report_status status_of(enum vmacore_error_code code)
{
	switch (code) {
	case VMACORE_ERROR_NOMEM:
	case VMACORE_ERROR_OTHER:
	case VMACORE_ERROR_STOP:
		return REPORT_INTERNAL;
	case VMACORE_ERROR_INVALID:
		return REPORT_USAGE;
	case VMACORE_ERROR_INCOMPLETE:	/* not found in what could be read */
		return REPORT_PARTIAL;
	default:	/* LOOKUP, FAULT, NODATA, CORRUPT, UNSUPPORTED, OS */
		return REPORT_DUMP;
	}
}

/* "prog: [@what]message[ (corrupt data, noticed at file:line)]" */
static void print_error(struct report *r, const char *what,
			const struct vmacore_error *err)
{
	fprintf(r->err, "%s: %s%s", r->prog, what, err->message);
	if (err->code == VMACORE_ERROR_CORRUPT && err->file)
		fprintf(r->err, " (corrupt data, noticed at %s:%d)",
			err->file, err->line);
	fputc('\n', r->err);
}

enum report_status report_error(struct report *r, struct vmacore_error *err)
{
	enum report_status status = status_of(err->code);

	print_error(r, err->code == VMACORE_ERROR_INCOMPLETE ?
		    "partial answer: " : "", err);
	vmacore_error_destroy(err);
	return status;
}

enum report_status report_partial(struct report *r, struct vmacore_error *err)
{
	enum report_status status = status_of(err->code);

	print_error(r, "partial answer: ", err);
	vmacore_error_destroy(err);
	return status == REPORT_INTERNAL ? REPORT_INTERNAL : REPORT_PARTIAL;
}

enum report_status report_usage(struct report *r, const char *name,
				const char *fmt, ...)
{
	const struct report_command *c = report_command_find(name);
	va_list ap;

	if (fmt) {
		if (r->usage_name)
			fprintf(r->err, "%s: ", r->usage_name);
		else
			fprintf(r->err, "%s %s: ", r->prog, name);
		va_start(ap, fmt);
		vfprintf(r->err, fmt, ap);
		va_end(ap);
		fputc('\n', r->err);
	}
	if (c && r->usage_name)
		fprintf(r->err, "usage: %s [--json] %s\n", r->usage_name,
			c->synopsis);
	else if (c)
		fprintf(r->err, "usage: %s %s [--json] %s\n", r->prog, name,
			c->synopsis);
	return REPORT_USAGE;
}

int report_parse_options(struct report *r, int argc, char **argv,
			 const char *extra, bool flags[128],
			 enum report_status *status_ret)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ "threads", no_argument, NULL, 't' },
		{ "extended", no_argument, NULL, 'x' },
		{ "all", no_argument, NULL, 'a' },
		{ "rollup", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	char shortopts[32];
	int c;

	memset(flags, 0, 128 * sizeof(flags[0]));
	snprintf(shortopts, sizeof(shortopts), "h%s", extra);
	optind = 0;	/* glibc: start a new scan */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'J') {
			r->json = true;
		} else if (c == 'h') {
			FILE *err = r->err;

			r->err = r->out;	/* asked for: not an error */
			report_usage(r, argv[0], NULL);
			r->err = err;
			*status_ret = REPORT_OK;
			return -1;
		} else if (c > 0 && c < 128 && c != '?' &&
			   strchr(extra, c)) {
			flags[c] = true;
		} else {
			*status_ret = report_usage(r, argv[0],
						   "unknown option '%s'",
						   argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

bool report_parse_u64(const char *s, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

enum report_status report_pid_operands(struct report *r, const char *name,
				       const char *what, bool all, int n,
				       char **operands, bool pids_only)
{
	uint64_t pid;
	int i;

	if (all && n > 0)
		return report_usage(r, name, "--all and a %s given", what);
	if (!all && n < 1 && (!pids_only || r->default_pid < 0))
		return report_usage(r, name, "no %s given", what);
	for (i = 0; pids_only && i < n; i++)
		if (!report_parse_u64(operands[i], &pid) || pid > INT32_MAX)
			return report_usage(r, name, "bad pid '%s'",
					    operands[i]);
	return REPORT_OK;
}

void report_comm(const char *comm, char *buf, size_t size)
{
	size_t i;

	for (i = 0; comm[i] && i + 1 < size; i++)
		buf[i] = isprint((unsigned char)comm[i]) ? comm[i] : '?';
	buf[i] = '\0';
}

void report_messages_add(struct report_messages *m, const char *msg)
{
	char **v = realloc(m->v, (m->n + 1) * sizeof(*v));

	if (!v)
		return;
	m->v = v;
	m->v[m->n] = strdup(msg);
	if (m->v[m->n])
		m->n++;
}

void report_messages_free(struct report_messages *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
}

enum report_status report_fail(struct report *r, struct report_messages *m,
			       struct vmacore_error *err, bool partial)
{
	report_messages_add(m, err->message);
	return partial ? report_partial(r, err) : report_error(r, err);
}

enum report_status report_vma_losses(struct report *r,
				     struct report_messages *m,
				     const struct vmacore_vma_iter *it,
				     const char *who, char **joined_ret)
{
	const struct vmacore_vma_loss *l;
	size_t n = it ? vmacore_vma_iter_losses(it, &l) : 0, i;
	char *joined = NULL, *msg;

	for (i = 0; i < n; i++) {
		char *prev = joined;

		if (asprintf(&msg, "%s: %s", who, l[i].message) < 0)
			return REPORT_INTERNAL;
		report_messages_add(m, msg);
		fprintf(r->err, "%s: partial answer: %s", r->prog, msg);
		if (l[i].code == VMACORE_ERROR_CORRUPT && l[i].file)
			fprintf(r->err, " (corrupt data, noticed at %s:%d)",
				l[i].file, l[i].line);
		fputc('\n', r->err);
		if (joined_ret &&
		    asprintf(&joined, "%s%s%s", prev ? prev : "",
			     prev ? "; " : "", msg) < 0)
			joined = NULL;
		free(prev);
		free(msg);
	}
	if (joined_ret)
		*joined_ret = joined;
	return n ? REPORT_PARTIAL : REPORT_OK;
}

enum report_status report_task_losses(struct report *r,
				      struct report_messages *m,
				      const struct vmacore_task_iter *it,
				      bool answered)
{
	const struct vmacore_task_loss *l;
	size_t n = it ? vmacore_task_iter_losses(it, &l) : 0, i;

	for (i = 0; i < n; i++) {
		report_messages_add(m, l[i].message);
		/* nothing read at all: an error, not a partial answer */
		fprintf(r->err, "%s: %s%s", r->prog,
			answered ? "partial answer: " : "", l[i].message);
		if (l[i].code == VMACORE_ERROR_CORRUPT && l[i].file)
			fprintf(r->err, " (corrupt data, noticed at %s:%d)",
				l[i].file, l[i].line);
		fputc('\n', r->err);
	}
	if (!n)
		return REPORT_OK;
	return answered ? REPORT_PARTIAL : REPORT_DUMP;
}

enum report_status report_each_process(struct report *r,
					struct report_messages *m,
					report_process_fn *fn, void *arg)
{
	enum report_status status = REPORT_OK;
	struct vmacore_task_iter *it = NULL;
	struct vmacore_error *err;
	struct vmacore_task t;
	uint64_t rows = 0;

	err = vmacore_task_iter_create(r->ctx, false, &it);
	while (!err && !(err = vmacore_task_iter_next(it, &t))) {
		if (!t.mm)
			continue;
		rows++;
		status = report_worst(status, fn(r, &t, arg));
	}
	/* the parts of the task lists that could not be read, as ps says */
	status = report_worst(status, report_task_losses(r, m, it, rows > 0));
	vmacore_task_iter_destroy(it);
	if (err != &vmacore_stop) {
		vmacore_error_prefix(err, rows ?
				     "task list walk stopped after %" PRIu64 " tasks" :
				     "cannot walk the task list%.0" PRIu64, rows);
		status = report_worst(status, report_fail(r, m, err, rows > 0));
	}
	return status;
}

void report_process_header(struct report *r, const struct vmacore_task *t)
{
	char comm[VMACORE_COMM_LEN + 1];

	report_comm(t->comm, comm, sizeof(comm));
	fprintf(r->out, "PID: %-7d TASK: %016" PRIx64 "  MM: %016" PRIx64
		"  COMMAND: \"%s\"\n", t->pid, t->addr, t->mm, comm);
}

struct vmacore_error *report_task_find(struct report *r, uint64_t pid,
				       struct vmacore_task *t, bool *nf)
{
	struct vmacore_error *err;

	*nf = false;
	if (pid > INT32_MAX)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad pid %" PRIu64, pid);
	err = vmacore_task_find(r->ctx, pid, t);
	if (err && err->code == VMACORE_ERROR_LOOKUP) {
		vmacore_error_destroy(err);
		*nf = true;
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no task with pid %" PRIu64, pid);
	}
	if (err)
		return err;
	if (!t->mm) {
		*nf = true;
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "pid %" PRIu64 " has no mm: a kernel thread or an exiting task",
					    pid);
	}
	return NULL;
}

void report_json_begin(struct json *j, FILE *out, const char *command,
		       const char *list)
{
	json_init(j, out);
	json_object_begin(j);
	json_key_string(j, "command", command);
	if (list) {
		json_key(j, list);
		json_array_begin(j);
	}
}

void report_json_task_begin(struct json *j, int64_t pid, const char *comm,
			    uint64_t mm)
{
	json_object_begin(j);
	json_key_i64(j, "pid", pid);
	json_key_string(j, "comm", comm);
	json_key_hex(j, "mm", mm);
}

void report_json_task_ids_begin(struct json *j, int64_t pid, int64_t tgid,
				const char *comm, uint64_t task, uint64_t mm)
{
	json_object_begin(j);
	json_key_i64(j, "pid", pid);
	json_key_i64(j, "tgid", tgid);
	json_key_string(j, "comm", comm);
	json_key(j, "task");
	json_hex(j, task);
	json_key(j, "mm");
	json_hex(j, mm);
}

void report_json_vma_begin(struct json *j, const struct vmacore_vma *vma,
			   const char *perms)
{
	json_object_begin(j);
	json_key_hex(j, "vma", vma->addr);
	json_key_hex(j, "start", vma->vm_start);
	json_key_hex(j, "end", vma->vm_end);
	json_key_string(j, "perms", perms);
}

void report_json_outcome(struct json *j, const struct vmacore_error *err)
{
	json_key_bool(j, "complete", !err);
	json_key(j, "error");
	if (err)
		json_string(j, err->message);
	else
		json_null(j);
}

void report_json_task_outcome(struct json *j, const struct vmacore_error *err,
			      const char *lost, bool incomplete,
			      const char *why)
{
	if (err || (!lost && !incomplete)) {
		report_json_outcome(j, err);
		return;
	}
	json_key_bool(j, "complete", false);
	json_key_string(j, "error", lost ? lost : why);
}

void report_json_end(struct json *j, bool complete,
		     const struct report_messages *m, const char *msg)
{
	size_t i;

	json_array_end(j);
	json_key_bool(j, "complete", complete);
	json_key(j, "errors");
	json_array_begin(j);
	for (i = 0; m && i < m->n; i++)
		json_string(j, m->v[i]);
	if (msg)
		json_string(j, msg);
	json_array_end(j);
	json_object_end(j);
	json_finish(j);
}

enum report_status report_finish(struct report *r, struct json *j,
				 struct report_messages *m,
				 enum report_status status)
{
	if (r->json)
		report_json_end(j, status == REPORT_OK, m, NULL);
	report_messages_free(m);
	return status;
}
