/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - the queries as a user sees them: argument parsing, text tables
 * and JSON.  Shared by the vmacore command (cmd/) and the crash extension
 * (ext/), so both print byte-identical answers on the same dump.
 *
 * Nothing here knows how the dump was opened: a query gets a struct
 * vmacore_ctx and two FILE streams.
 */
#ifndef VMACORE_REPORT_H
#define VMACORE_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "vmacore.h"

/*
 * Exit status of a query (documented in vmacore(1)):
 */
enum report_status {
	REPORT_OK = 0,		/* answered (found) */
	REPORT_NOT_FOUND = 1,	/* answered: no such task, no VMA there, ... */
	REPORT_USAGE = 2,	/* bad command line */
	REPORT_DUMP = 3,	/* dump or debuginfo cannot be read/used */
	REPORT_PARTIAL = 4,	/* answer printed but incomplete (says why) */
	REPORT_INTERNAL = 5,	/* out of memory, bug */
};

/**
 * struct report - one query's environment.
 * @ctx: the opened kernel.
 * @out: where answers go (stdout, or crash's fp).
 * @err: where error messages go (stderr, or crash's fp).
 * @prog: prefix of error messages ("vmacore", or the crash command name).
 * @json: print JSON instead of tables.
 * @default_pid: task to use when a query names none (crash's current
 *	context); -1 when there is none.
 * @usage_name: when set, the command as the user types it (crash's
 *	"vmaps"), used in usage lines instead of "prog subcommand".
 */
struct report {
	struct vmacore_ctx *ctx;
	FILE *out;
	FILE *err;
	const char *prog;
	bool json;
	int default_pid;
	const char *usage_name;
};

/**
 * struct report_command - one subcommand.
 * @name: "ps", "maps", ...
 * @run: parse @argc/@argv (argv[0] is the subcommand name) and answer.
 * @synopsis: one line of arguments, for usage and crash's help.
 * @summary: one line of what it does.
 */
struct report_command {
	const char *name;
	enum report_status (*run)(struct report *r, int argc, char **argv);
	const char *synopsis;
	const char *summary;
};

/* The table of subcommands, terminated by an entry with a NULL name. */
extern const struct report_command report_commands[];

const struct report_command *report_command_find(const char *name);

/* Print an error in the git style ("prog: cannot ...") and map its code to
 * an exit status; INCOMPLETE ("not found, but ... not read") is printed as
 * "prog: partial answer: ..." and gives REPORT_PARTIAL. */
enum report_status report_error(struct report *r, struct vmacore_error *err);

/* ------------------------------------------------------------------------ */
/* The subcommands (report/<name>.c)                                        */
/* ------------------------------------------------------------------------ */

enum report_status report_ps(struct report *r, int argc, char **argv);
enum report_status report_maps(struct report *r, int argc, char **argv);
enum report_status report_vma(struct report *r, int argc, char **argv);
enum report_status report_flags(struct report *r, int argc, char **argv);
enum report_status report_rmap(struct report *r, int argc, char **argv);
enum report_status report_imap(struct report *r, int argc, char **argv);
enum report_status report_anon(struct report *r, int argc, char **argv);
enum report_status report_coredump(struct report *r, int argc, char **argv);
enum report_status report_gcore(struct report *r, int argc, char **argv);
enum report_status report_smaps(struct report *r, int argc, char **argv);
enum report_status report_pagemap(struct report *r, int argc, char **argv);

/* ------------------------------------------------------------------------ */
/* Helpers shared by the subcommands (report.c, maps.c)                     */
/* ------------------------------------------------------------------------ */

struct json;

/* "prog NAME: message" and the subcommand's usage line; REPORT_USAGE. */
enum report_status report_usage(struct report *r, const char *name,
				const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parse the options every subcommand takes (--json, -h) plus @extra
 * (getopt_long letters without '+'; each seen letter sets flags[letter]).
 * Return: index of the first operand, or -1 after printing usage (and
 * *@status_ret set: REPORT_OK for -h, REPORT_USAGE for a bad option).
 */
int report_parse_options(struct report *r, int argc, char **argv,
			 const char *extra, bool flags[128],
			 enum report_status *status_ret);

/* A task id or address from the command line (decimal or 0x hex). */
bool report_parse_u64(const char *s, uint64_t *ret);

/*
 * report_pid_operands() - check the @n operands of query @name, which
 * takes --all (@all) or tasks (@what: "PID", "PID or COMM"): not both, at
 * least one task, each a pid when @pids_only (and then none means
 * r->default_pid, if there is one).  A pid above INT32_MAX is refused.
 * Return: REPORT_OK, or REPORT_USAGE after printing usage.
 */
enum report_status report_pid_operands(struct report *r, const char *name,
				       const char *what, bool all, int n,
				       char **operands, bool pids_only);

/*
 * A walk failed after part of the answer was printed: say so ("prog:
 * partial answer: ...") and return REPORT_PARTIAL (or INTERNAL for NOMEM).
 * Consumes @err.
 */
enum report_status report_partial(struct report *r,
				  struct vmacore_error *err);

/* The worse of two statuses (a larger one is worse). */
static inline enum report_status report_worst(enum report_status a,
					      enum report_status b)
{
	return a > b ? a : b;
}

/* Error messages kept for a JSON document's "errors" array. */
struct report_messages {
	char **v;
	size_t n;
};

void report_messages_add(struct report_messages *m, const char *msg);
void report_messages_free(struct report_messages *m);
/* Keep @err's message in @m, then report_partial() or report_error(). */
enum report_status report_fail(struct report *r, struct report_messages *m,
			       struct vmacore_error *err, bool partial);

/*
 * report_vma_losses() - what a VMA walk skipped (vmacore_vma_iter_losses()),
 * each as "prog: partial answer: @who: VMAs in [...] not read: why" on
 * r->err and in @m.  @joined_ret (may be NULL): the messages joined by
 * "; " (to be freed; NULL when none).  @it may be NULL (no walk).
 * Return: REPORT_PARTIAL when there was a loss, else REPORT_OK.
 */
enum report_status report_vma_losses(struct report *r,
				     struct report_messages *m,
				     const struct vmacore_vma_iter *it,
				     const char *who, char **joined_ret);
/*
 * report_each_process() - --all: @fn for every process "ps" lists (the
 * thread-group leaders with an mm), in one walk of the task list, then
 * what the walk lost (report_task_losses()).  Return: the worst status.
 */
typedef enum report_status report_process_fn(struct report *r,
					     const struct vmacore_task *t,
					     void *arg);
enum report_status report_each_process(struct report *r,
				       struct report_messages *m,
				       report_process_fn *fn, void *arg);
/*
 * The same for the task lists a task walk could not read: partial answers
 * (REPORT_PARTIAL) when @answered (some task was shown), else errors
 * (REPORT_DUMP: not one task could be read).
 */
enum report_status report_task_losses(struct report *r,
				      struct report_messages *m,
				      const struct vmacore_task_iter *it,
				      bool answered);

/* --all, text: the line naming each process, crash's "vm" style. */
void report_process_header(struct report *r, const struct vmacore_task *t);

/* comm with control bytes replaced by '?', for tables. */
void report_comm(const char *comm, char *buf, size_t size);

/*
 * report_task_find() - the task @pid of a command line, which must have an
 * mm.  *@nf is set when the error returned means "no such task" or "no mm"
 * (exit status 1), not a dump or debuginfo problem.  A pid not found where
 * part of the task list could not be read is INCOMPLETE (report_error()
 * says "partial answer" and gives exit status 4).
 */
struct vmacore_error *report_task_find(struct report *r, uint64_t pid,
				       struct vmacore_task *t, bool *nf);

/*
 * report_json_begin() - start a JSON answer: {"command": @command, and,
 * unless @list is NULL, "@list": [ for the caller's items.
 */
void report_json_begin(struct json *j, FILE *out, const char *command,
		       const char *list);
/* Open an object with "pid", "comm" and "mm" (a task's or a hit's). */
void report_json_task_begin(struct json *j, int64_t pid, const char *comm,
			    uint64_t mm);
/* An object with "vma", "start", "end", "perms" (vmacore_vma_perms()). */
void report_json_vma_begin(struct json *j, const struct vmacore_vma *vma,
			   const char *perms);
/* "complete": whether @err is NULL, "error": its message or null. */
void report_json_outcome(struct json *j, const struct vmacore_error *err);
/* Open an object with "pid", "tgid", "comm", "task" and "mm" (ps's). */
void report_json_task_ids_begin(struct json *j, int64_t pid, int64_t tgid,
				const char *comm, uint64_t task, uint64_t mm);
/*
 * report_json_task_outcome() - a task's "complete" and "error": @err's
 * when set, else incomplete when @lost (what the walk lost, said) or
 * @incomplete (with @why as the error), else complete.
 */
void report_json_task_outcome(struct json *j, const struct vmacore_error *err,
			      const char *lost, bool incomplete,
			      const char *why);
/*
 * report_json_end() - close the list, then "complete": @complete and
 * "errors": the messages of @m (may be NULL) and @msg (unless NULL); close
 * the document.
 */
void report_json_end(struct json *j, bool complete,
		     const struct report_messages *m, const char *msg);
/*
 * report_finish() - the end of a query over tasks: with JSON close the
 * document (report_json_end(), complete when @status is REPORT_OK), free
 * @m.  Return: @status.
 */
enum report_status report_finish(struct report *r, struct json *j,
				 struct report_messages *m,
				 enum report_status status);

/*
 * One VMA: text (maps line, "VmFlags:", with @extended "VmArea:" and
 * "VmFlagsRaw:", with @full every vm_area_struct field) or a JSON object.
 * *@partial_ret is set when the name could not be completely rebuilt.
 */
struct vmacore_error *report_vma_text(struct report *r,
				      const struct vmacore_mm *mm,
				      const struct vmacore_vma *vma,
				      bool extended, bool full,
				      bool *partial_ret);
struct vmacore_error *report_vma_json(struct report *r, struct json *j,
				      const struct vmacore_mm *mm,
				      const struct vmacore_vma *vma, bool full,
				      bool *partial_ret);
/* A JSON array of strings from a "a|b|c" or "a b c" list. */
void report_json_list(struct json *j, const char *list, char sep);

#endif /* VMACORE_REPORT_H */
