// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the vmacore command: parse the global options, open the dump
 * and its vmlinux (target.c), hand the subcommand to report/.
 *
 *   vmacore [-c VMCORE] [-k VMLINUX] [--dwarf] [--json] [-v] SUBCOMMAND ...
 *   vmacore VMLINUX VMCORE SUBCOMMAND ...	(crash's order, either way)
 *   vmacore VMCORE SUBCOMMAND ...		(vmlinux found from OSRELEASE)
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"
#include "report.h"

#ifndef VMACORE_VERSION
#define VMACORE_VERSION "0.1"
#endif
#define MAX_QUIET_WARNINGS 20

static void usage(FILE *f)
{
	const struct report_command *c;

	fprintf(f,
		"usage: vmacore [-c VMCORE] [-k VMLINUX | --no-vmlinux] [--dwarf] [--json]\n"
		"               [-v] [--force]\n"
		"               SUBCOMMAND [ARGS]\n"
		"       vmacore VMLINUX VMCORE SUBCOMMAND [ARGS]\n"
		"\n"
		"  -c, --core VMCORE     the dump (ELF, kdump-compressed, flattened, filtered)\n"
		"  -k, --vmlinux FILE    its vmlinux (default: found from the dump's release\n"
		"                        under /usr/lib/debug, else none: the dump alone)\n"
		"      --no-vmlinux      symbols and types from the dump alone (kallsyms, BTF)\n"
		"      --dwarf           read types from DWARF instead of BTF\n"
		"      --json            print JSON (see vmacore(1) for the schema)\n"
		"      --force           use a vmlinux that does not match the dump\n"
		"  -v, --verbose         say what is done and warn about everything\n"
		"\n"
		"subcommands:\n");
	for (c = report_commands; c->name; c++)
		fprintf(f, "  %-9s %-24s %s\n", c->name, c->synopsis,
			c->summary);
}

struct log_state {
	bool verbose;
	unsigned int count;
};

static void log_warning(void *arg, const char *msg)
{
	struct log_state *ls = arg;

	ls->count++;
	if (ls->verbose || ls->count <= MAX_QUIET_WARNINGS)
		fprintf(stderr, "vmacore: warning: %s\n", msg);
	else if (ls->count == MAX_QUIET_WARNINGS + 1)
		fprintf(stderr,
			"vmacore: warning: more warnings suppressed (use -v)\n");
}

/*
 * Is @path a vmlinux rather than a dump?  An ELF executable: ET_EXEC on
 * x86_64, ET_DYN on arm64 (arch/arm64/Makefile links it -shared for
 * CONFIG_RELOCATABLE); a dump is ET_CORE.
 */
static bool is_vmlinux(const char *path)
{
	Elf64_Ehdr eh;
	bool ret = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &eh, sizeof(eh)) == (ssize_t)sizeof(eh) &&
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    (eh.e_type == ET_EXEC || eh.e_type == ET_DYN))
		ret = true;
	close(fd);
	return ret;
}

/* Files named before the subcommand, crash style. */
static int take_positional(struct cmd_target_options *o, int argc,
			   char **argv, int i)
{
	while (i < argc && !report_command_find(argv[i]) &&
	       access(argv[i], F_OK) == 0) {
		if (is_vmlinux(argv[i]) && !o->vmlinux)
			o->vmlinux = argv[i];
		else if (!o->vmcore)
			o->vmcore = argv[i];
		else
			break;
		i++;
	}
	return i;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "core", required_argument, NULL, 'c' },
		{ "vmlinux", required_argument, NULL, 'k' },
		{ "no-vmlinux", no_argument, NULL, 'N' },
		{ "dwarf", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_target_options o = { 0 };
	const struct report_command *cmd;
	struct log_state ls = { 0 };
	struct report r = { 0 };
	struct vmacore_error *err;
	struct cmd_target *t;
	enum report_status status;
	bool json = false;
	int c, i;

	while ((c = getopt_long(argc, argv, "+c:k:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.vmcore = optarg;
			break;
		case 'k':
			o.vmlinux = optarg;
			break;
		case 'N':
			o.no_vmlinux = true;
			break;
		case 'D':
			o.dwarf = true;
			break;
		case 'j':
			json = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return REPORT_OK;
		case 'V':
			printf("vmacore %s\n", VMACORE_VERSION);
			return REPORT_OK;
		default:
			usage(stderr);
			return REPORT_USAGE;
		}
	}
	i = take_positional(&o, argc, argv, optind);
	if (i >= argc) {
		fprintf(stderr, "vmacore: no subcommand given\n");
		usage(stderr);
		return REPORT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		usage(stdout);
		return REPORT_OK;
	}
	cmd = report_command_find(argv[i]);
	if (!cmd) {
		if (access(argv[i], F_OK) != 0 && strchr(argv[i], '/'))
			fprintf(stderr, "vmacore: cannot open %s: %s\n",
				argv[i], strerror(errno));
		else
			fprintf(stderr,
				"vmacore: unknown subcommand '%s' (see vmacore --help)\n",
				argv[i]);
		return REPORT_USAGE;
	}
	if (!o.vmcore) {
		fprintf(stderr, "vmacore: no dump given (use -c VMCORE)\n");
		return REPORT_USAGE;
	}
	if (o.no_vmlinux && o.vmlinux) {
		fprintf(stderr, "vmacore: a vmlinux and --no-vmlinux given: pick one\n");
		return REPORT_USAGE;
	}

	r.out = stdout;
	r.err = stderr;
	r.prog = "vmacore";
	r.json = json;
	r.default_pid = -1;

	err = cmd_target_open(&o, &t);
	if (err)
		return report_error(&r, err) == REPORT_INTERNAL ?
		       REPORT_INTERNAL : REPORT_DUMP;
	err = vmacore_ctx_create(&cmd_target_ops, t, &r.ctx);
	if (err) {
		status = report_error(&r, err);
		cmd_target_close(t);
		return status == REPORT_INTERNAL ? REPORT_INTERNAL : REPORT_DUMP;
	}
	ls.verbose = o.verbose;
	vmacore_ctx_set_log(r.ctx, log_warning, &ls);

	status = cmd->run(&r, argc - i, argv + i);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "vmacore: cannot write output: %s\n",
			strerror(errno));
		if (status == REPORT_OK)
			status = REPORT_INTERNAL;
	}
	vmacore_ctx_destroy(r.ctx);
	cmd_target_close(t);
	return status;
}
