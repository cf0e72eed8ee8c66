// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * query.c - the queries as the library exports them (vmacore_query(),
 * vmacore.h): what vmacore(1) prints, on file descriptors, so the command,
 * the Python package and any other binding print the same bytes from this
 * one implementation.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "report.h"

/* vmacore_query() returns report/'s statuses as the public ones. */
_Static_assert((int)REPORT_OK == (int)VMACORE_STATUS_OK &&
	       (int)REPORT_NOT_FOUND == (int)VMACORE_STATUS_NOT_FOUND &&
	       (int)REPORT_USAGE == (int)VMACORE_STATUS_USAGE &&
	       (int)REPORT_DUMP == (int)VMACORE_STATUS_DUMP &&
	       (int)REPORT_PARTIAL == (int)VMACORE_STATUS_PARTIAL &&
	       (int)REPORT_INTERNAL == (int)VMACORE_STATUS_INTERNAL,
	       "enum report_status and enum vmacore_status differ");

/* Warnings printed unless -v; then one line says the rest were dropped. */
#define MAX_QUIET_WARNINGS 20

/* The fields of a caller's struct vmacore_query_opts this library knows. */
#define OPTS_HAS(opts, field)						\
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) +	\
			       sizeof((opts)->field))
#define OPTS_GET(opts, field, def)					\
	(OPTS_HAS(opts, field) ? (opts)->field : (def))

/* More than there are queries; the last slot stays NULL. */
#define QUERY_NAMES_MAX 32

static const char *query_names[QUERY_NAMES_MAX];
static pthread_once_t query_names_once = PTHREAD_ONCE_INIT;

static void query_names_init(void)
{
	size_t i;

	for (i = 0; report_commands[i].name && i + 1 < QUERY_NAMES_MAX; i++)
		query_names[i] = report_commands[i].name;
}

const char *const *vmacore_query_names(void)
{
	pthread_once(&query_names_once, query_names_init);
	return query_names;
}

bool vmacore_query_describe(const char *name, const char **synopsis_ret,
			    const char **summary_ret)
{
	const struct report_command *c = name ? report_command_find(name) : NULL;

	if (!c)
		return false;
	if (synopsis_ret)
		*synopsis_ret = c->synopsis;
	if (summary_ret)
		*summary_ret = c->summary;
	return true;
}

/* A FILE on a dup() of @fd, so fclose() leaves the caller's fd open. */
static FILE *fd_stream(int fd)
{
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	FILE *f;

	if (dfd < 0)
		return NULL;
	f = fdopen(dfd, "w");
	if (!f)
		close(dfd);
	return f;
}

/* Has the caller set fields this library does not know? */
static bool opts_unknown(const struct vmacore_query_opts *opts)
{
	const char *p = (const char *)opts;
	size_t i;

	if (!opts)
		return false;
	if (opts->sz < sizeof(size_t))
		return true;
	for (i = sizeof(*opts); i < opts->sz; i++) {
		if (p[i])
			return true;
	}
	return false;
}

struct query_log {
	FILE *err;
	const char *prog;
	bool verbose;
	unsigned int count;
};

static void query_log(void *arg, const char *msg)
{
	struct query_log *ql = arg;

	ql->count++;
	if (ql->verbose || ql->count <= MAX_QUIET_WARNINGS)
		fprintf(ql->err, "%s: warning: %s\n", ql->prog, msg);
	else if (ql->count == MAX_QUIET_WARNINGS + 1)
		fprintf(ql->err,
			"%s: warning: more warnings suppressed (use -v)\n",
			ql->prog);
}

static const char *opts_prog(const struct vmacore_query_opts *opts)
{
	const char *prog = OPTS_GET(opts, prog, NULL);

	return prog ? prog : "vmacore";
}

int vmacore_query_open_error(struct vmacore_error *err,
			     const struct vmacore_query_opts *opts)
{
	struct report r = { .prog = opts_prog(opts) };
	enum report_status status;

	if (!err)
		return REPORT_OK;
	r.err = fd_stream(OPTS_GET(opts, err_fd, 2));
	if (!r.err) {
		vmacore_error_destroy(err);
		return REPORT_INTERNAL;
	}
	status = report_error(&r, err);
	fclose(r.err);
	return status == REPORT_INTERNAL ? REPORT_INTERNAL : REPORT_DUMP;
}

int vmacore_query(struct vmacore_ctx *ctx, int argc, char **argv,
		  const struct vmacore_query_opts *opts)
{
	const struct report_command *cmd;
	struct query_log ql = { 0 };
	struct report r = { 0 };
	enum report_status status;
	void (*old_fn)(void *arg, const char *msg);
	void *old_arg;
	char **args;

	r.prog = opts_prog(opts);
	r.json = OPTS_GET(opts, json, false);
	r.usage_name = OPTS_GET(opts, usage_name, NULL);
	r.default_pid = OPTS_GET(opts, default_pid, -1);
	if (r.default_pid <= 0)
		r.default_pid = -1;
	r.err = fd_stream(OPTS_GET(opts, err_fd, 2));
	if (!r.err)
		return REPORT_INTERNAL;
	setvbuf(r.err, NULL, _IONBF, 0);	/* as stderr */
	if (opts_unknown(opts)) {
		fprintf(r.err,
			"%s: struct vmacore_query_opts: fields unknown to this libvmacore are set\n",
			r.prog);
		fclose(r.err);
		return REPORT_USAGE;
	}
	if (argc < 1 || !argv || !argv[0]) {
		fprintf(r.err, "%s: no subcommand given\n", r.prog);
		fclose(r.err);
		return REPORT_USAGE;
	}
	cmd = report_command_find(argv[0]);
	if (!cmd) {
		fprintf(r.err, "%s: unknown subcommand '%s' (see %s --help)\n",
			r.prog, argv[0], r.prog);
		fclose(r.err);
		return REPORT_USAGE;
	}
	if (!ctx) {
		fprintf(r.err, "%s: no dump opened\n", r.prog);
		fclose(r.err);
		return REPORT_USAGE;
	}
	r.out = fd_stream(OPTS_GET(opts, out_fd, 1));
	/* getopt_long() permutes argv: the caller's array stays as it is */
	args = calloc(argc + 1, sizeof(*args));
	if (!r.out || !args) {
		fprintf(r.err, "%s: cannot write output: %s\n", r.prog,
			strerror(errno));
		if (r.out)
			fclose(r.out);
		free(args);
		fclose(r.err);
		return REPORT_INTERNAL;
	}
	memcpy(args, argv, argc * sizeof(*args));
	r.ctx = ctx;

	ql.err = r.err;
	ql.prog = r.prog;
	ql.verbose = OPTS_GET(opts, verbose, false);
	ctx_get_log(ctx, &old_fn, &old_arg);
	vmacore_ctx_set_log(ctx, query_log, &ql);

	status = cmd->run(&r, argc, args);
	if (fflush(r.out) != 0 || ferror(r.out)) {
		fprintf(r.err, "%s: cannot write output: %s\n", r.prog,
			strerror(errno));
		if (status == REPORT_OK)
			status = REPORT_INTERNAL;
	}
	vmacore_ctx_set_log(ctx, old_fn, old_arg);
	fclose(r.out);
	fclose(r.err);
	free(args);
	return status;
}
