// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmacore_ext.c - the crash extension: `extend vmacore.so`.
 *
 * The commands are thin: each one hands its arguments to the query of the
 * same name in report/ (what the standalone vmacore command runs), with
 * crash's output stream and crash's current task as the default, so both
 * print byte-identical answers.  The kernel is read through
 * crash_target.c; crash's own task table and maple-tree code are not used.
 */
#include <getopt.h>
#include <string.h>

#include "defs.h"	/* crash */

#include "crash_ext.h"
#include "report.h"

/* One context for the session: created on first use, freed on unload. */
static struct vmacore_ctx *ext_ctx;

/*
 * A query's errors and warnings, kept while it runs and written to crash's
 * fp (redirectable) after its answer: one stream holds both, and a line
 * met while a JSON document or a table line is half written must not land
 * inside it.  The standalone command has them on stderr.
 */
static char *ext_errs;
static size_t ext_errs_len;
static FILE *ext_errs_f;

static void ext_log(void *arg, const char *msg)
{
	fprintf(ext_errs_f ? ext_errs_f : fp, "%s: warning: %s\n",
		pc->curcmd, msg);
}

static FILE *ext_errs_begin(void)
{
	ext_errs_f = open_memstream(&ext_errs, &ext_errs_len);
	return ext_errs_f ? ext_errs_f : fp;
}

static void ext_errs_end(void)
{
	if (!ext_errs_f)
		return;
	fclose(ext_errs_f);
	ext_errs_f = NULL;
	fwrite(ext_errs, 1, ext_errs_len, fp);
	free(ext_errs);
	ext_errs = NULL;
	ext_errs_len = 0;
}

/* crash's current context, unless it is an idle task (no mm). */
static int ext_default_pid(void)
{
	if ((pc->flags & MINIMAL_MODE) || !tt || !tt->current)
		return -1;
	if (tt->current->pid == 0 || tt->current->pid > INT32_MAX)
		return -1;
	return (int)tt->current->pid;
}

/*
 * Queries that take a task first ("maps PID", "vma PID ADDR") get crash's
 * current context when the user names none ("vmaps", "vmvma ADDR"), as
 * crash's own commands do.  Options of these queries take no values.
 */
static int ext_default_task(const char *name, int argc, char **argv,
			    int pid, char *pidbuf)
{
	int want, npos = 0, first_pos = argc;

	if (!strcmp(name, "maps"))
		want = 0;
	else if (!strcmp(name, "vma"))
		want = 1;
	else
		return argc;
	for (int i = 1; i < argc; i++) {
		/* every task asked for: no current context added */
		if (!strcmp(argv[i], "--all") || !strcmp(argv[i], "-a"))
			return argc;
		if (argv[i][0] == '-' && argv[i][1])
			continue;
		if (!npos++)
			first_pos = i;
	}
	if (pid < 0 || npos != want || argc >= MAXARGS)
		return argc;
	snprintf(pidbuf, 16, "%d", pid);
	memmove(&argv[first_pos + 1], &argv[first_pos],
		(argc - first_pos) * sizeof(argv[0]));
	argv[first_pos] = pidbuf;
	return argc + 1;
}

/*
 * Run query @name with crash's arguments args[@first..argcnt).  @short_cmd:
 * the command is the query's own short command (its usage lines say
 * "vmaps", not "vmacore maps").  "--json" anywhere before "--" selects
 * JSON, as it does before the subcommand in the standalone command.
 */
static void ext_run(const char *prog, const char *name, int first,
		    bool json, bool short_cmd)
{
	const struct report_command *cmd = report_command_find(name);
	struct report r = {
		.out = fp, .err = fp, .prog = prog, .json = json,
		.default_pid = ext_default_pid(),
		.usage_name = short_cmd ? prog : NULL,
	};
	struct vmacore_error *err;
	char *argv[MAXARGS + 2], pidbuf[16];
	bool options = true;
	int argc = 0;

	if (!cmd) {
		fprintf(fp, "%s: unknown query '%s' (see: help vmacore)\n",
			prog, name);
		return;
	}
	argv[argc++] = (char *)cmd->name;
	for (int i = first; i < argcnt && args[i] && argc < MAXARGS; i++) {
		if (options && !strcmp(args[i], "--"))
			options = false;
		else if (options && !strcmp(args[i], "--json")) {
			r.json = true;
			continue;
		}
		argv[argc++] = args[i];
	}
	argc = ext_default_task(name, argc, argv, r.default_pid, pidbuf);
	argv[argc] = NULL;
	r.err = ext_errs_begin();
	if (!ext_ctx) {
		err = crash_target_check();
		if (!err)
			err = vmacore_ctx_create(&crash_target_ops, NULL,
						 &ext_ctx);
		if (err) {
			ext_ctx = NULL;
			report_error(&r, vmacore_error_prefix(err,
					"cannot read the kernel"));
			ext_errs_end();
			return;
		}
		vmacore_ctx_set_log(ext_ctx, ext_log, NULL);
		crash_target_set_ctx(ext_ctx);
	}
	r.ctx = ext_ctx;
	crash_target_reset();
	/* one command's task index: crash may be looking at a live kernel */
	vmacore_ctx_drop_caches(ext_ctx);
	optind = 0;	/* crash uses getopt too: a full reset */
	cmd->run(&r, argc, argv);
	ext_errs_end();
	fflush(fp);
	optind = 0;
}

static void cmd_vmacore(void)
{
	const struct report_command *c;
	bool json = false;
	int i = 1;

	while (i < argcnt && args[i] && !strcmp(args[i], "--json")) {
		json = true;
		i++;
	}
	if (i >= argcnt || !args[i] || !strcmp(args[i], "help") ||
	    !strcmp(args[i], "-h") || !strcmp(args[i], "--help")) {
		fprintf(fp, "usage: vmacore [--json] QUERY [ARGS...]\n");
		for (c = report_commands; c->name; c++)
			fprintf(fp, "  %-9s %-24s %s\n", c->name, c->synopsis,
				c->summary);
		return;
	}
	ext_run("vmacore", args[i], i + 1, json, false);
}

#define SHORT_CMD(fn, query)						\
	static void fn(void)						\
	{								\
		ext_run(args[0], query, 1, false, true);				\
	}

SHORT_CMD(cmd_vmps, "ps")
SHORT_CMD(cmd_vmaps, "maps")
SHORT_CMD(cmd_vmvma, "vma")
SHORT_CMD(cmd_vmflags, "flags")
SHORT_CMD(cmd_vmrmap, "rmap")
SHORT_CMD(cmd_vmimap, "imap")
SHORT_CMD(cmd_vmanon, "anon")
SHORT_CMD(cmd_vmcoredump, "coredump")
SHORT_CMD(cmd_vmsmaps, "smaps")
SHORT_CMD(cmd_vmpagemap, "pagemap")
SHORT_CMD(cmd_vmgcore, "gcore")

#include "help.h"

/*
 * MINIMAL: the queries need only readmem, symbols and types, which crash
 * --minimal still has, so they work there too (e.g. where crash's own
 * task table cannot be built).
 */
static struct command_table_entry command_table[] = {
	{ "vmacore", cmd_vmacore, help_vmacore, MINIMAL },
	{ "vmps", cmd_vmps, help_vmps, MINIMAL },
	{ "vmaps", cmd_vmaps, help_vmaps, MINIMAL },
	{ "vmvma", cmd_vmvma, help_vmvma, MINIMAL },
	{ "vmflags", cmd_vmflags, help_vmflags, MINIMAL },
	{ "vmrmap", cmd_vmrmap, help_vmrmap, MINIMAL },
	{ "vmimap", cmd_vmimap, help_vmimap, MINIMAL },
	{ "vmanon", cmd_vmanon, help_vmanon, MINIMAL },
	{ "vmcoredump", cmd_vmcoredump, help_vmcoredump, MINIMAL },
	{ "vmsmaps", cmd_vmsmaps, help_vmsmaps, MINIMAL },
	{ "vmpagemap", cmd_vmpagemap, help_vmpagemap, MINIMAL },
	{ "vmgcore", cmd_vmgcore, help_vmgcore, MINIMAL },
	{ NULL },
};

static void __attribute__((constructor)) vmacore_ext_init(void)
{
	register_extension(command_table);
}

static void __attribute__((destructor)) vmacore_ext_fini(void)
{
	crash_target_set_ctx(NULL);
	vmacore_ctx_destroy(ext_ctx);
	ext_ctx = NULL;
	crash_target_cleanup();
}
