// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the vmacore command: parse the global options, open the dump
 * and its vmlinux (vmacore_open()), run the query (vmacore_query()).  A
 * client of libvmacore's public API only (vmacore.h).
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

#include "vmacore.h"

#ifndef VMACORE_VERSION
#define VMACORE_VERSION "0.1"
#endif

static void usage(FILE *f)
{
	const char *const *name;
	const char *synopsis, *summary;

	fprintf(f,
		"usage: vmacore [-c VMCORE] [-k VMLINUX | --no-vmlinux] [--dwarf] [--json]\n"
		"               [-v] [--force] [--no-cache]\n"
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
		"      --no-cache        with the dump alone, decode its BTF again rather than\n"
		"                        keep it in $XDG_CACHE_HOME/vmacore/decoded\n"
		"  -v, --verbose         say what is done and warn about everything\n"
		"\n"
		"subcommands:\n");
	for (name = vmacore_query_names(); *name; name++) {
		vmacore_query_describe(*name, &synopsis, &summary);
		fprintf(f, "  %-9s %-24s %s\n", *name, synopsis, summary);
	}
}

/* What vmacore_open() says with -v, and the warning of --force. */
static void log_open(void *arg, const char *msg)
{
	fprintf(stderr, "vmacore: %s\n", msg);
}

static bool is_query(const char *name)
{
	return vmacore_query_describe(name, NULL, NULL);
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

/*
 * Where decoded pages are kept (struct vmacore_open_opts): the XDG base
 * directory spec's cache home, which debuginfod's client uses too.  NULL
 * when there is no home to speak of.
 */
static char *default_cache_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *dir;

	if (xdg && xdg[0] == '/')
		return asprintf(&dir, "%s/vmacore/decoded", xdg) < 0 ? NULL : dir;
	if (home && home[0] == '/')
		return asprintf(&dir, "%s/.cache/vmacore/decoded", home) < 0 ?
		       NULL : dir;
	return NULL;
}

/* Files named before the subcommand, crash style. */
static int take_positional(struct vmacore_open_opts *o, const char **core,
			   int argc, char **argv, int i)
{
	while (i < argc && !is_query(argv[i]) &&
	       access(argv[i], F_OK) == 0) {
		if (is_vmlinux(argv[i]) && !o->vmlinux)
			o->vmlinux = argv[i];
		else if (!*core)
			*core = argv[i];
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
		{ "no-cache", no_argument, NULL, 'C' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct vmacore_open_opts o = {
		.sz = sizeof(o),
		.log = log_open,
	};
	struct vmacore_query_opts q = {
		.sz = sizeof(q),
		.out_fd = STDOUT_FILENO,
		.err_fd = STDERR_FILENO,
		.prog = "vmacore",
		.default_pid = -1,
	};
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	const char *core = NULL;
	bool no_cache = false;
	char *cache_dir = NULL;
	int c, i, status;

	while ((c = getopt_long(argc, argv, "+c:k:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			core = optarg;
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
			q.json = true;
			break;
		case 'f':
			o.force = true;
			break;
		case 'C':
			no_cache = true;
			break;
		case 'v':
			o.verbose = q.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return VMACORE_STATUS_OK;
		case 'V':
			printf("vmacore %s\n", VMACORE_VERSION);
			return VMACORE_STATUS_OK;
		default:
			usage(stderr);
			return VMACORE_STATUS_USAGE;
		}
	}
	i = take_positional(&o, &core, argc, argv, optind);
	if (i >= argc) {
		fprintf(stderr, "vmacore: no subcommand given\n");
		usage(stderr);
		return VMACORE_STATUS_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		usage(stdout);
		return VMACORE_STATUS_OK;
	}
	if (!is_query(argv[i])) {
		if (access(argv[i], F_OK) != 0 && strchr(argv[i], '/'))
			fprintf(stderr, "vmacore: cannot open %s: %s\n",
				argv[i], strerror(errno));
		else
			fprintf(stderr,
				"vmacore: unknown subcommand '%s' (see vmacore --help)\n",
				argv[i]);
		return VMACORE_STATUS_USAGE;
	}
	if (!core) {
		fprintf(stderr, "vmacore: no dump given (use -c VMCORE)\n");
		return VMACORE_STATUS_USAGE;
	}
	if (o.no_vmlinux && o.vmlinux) {
		fprintf(stderr, "vmacore: a vmlinux and --no-vmlinux given: pick one\n");
		return VMACORE_STATUS_USAGE;
	}

	if (!no_cache)
		o.cache_dir = cache_dir = default_cache_dir();
	err = vmacore_open(core, &o, &ctx);
	if (err) {
		free(cache_dir);
		return vmacore_query_open_error(err, &q);
	}
	status = vmacore_query(ctx, argc - i, argv + i, &q);
	vmacore_ctx_destroy(ctx);
	free(cache_dir);
	return status;
}
