// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * list-vmas.c - print every VMA of a process in a kernel dump, as
 * /proc/PID/maps did when the kernel was running.  An example of
 * libvmacore's public API (vmacore.h) only:
 *
 *   cc -o list-vmas list-vmas.c $(pkg-config --cflags --libs vmacore)
 *   ./list-vmas [-k VMLINUX] VMCORE PID
 *
 * Exit status: 0 every VMA printed; 1 no such process (or no mm);
 * 3 the dump cannot be read; 4 some VMAs could not be read (said on
 * stderr, the lines printed are right).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vmacore.h>

static int fail(const char *what, struct vmacore_error *err, int status)
{
	fprintf(stderr, "list-vmas: %s%s\n", what, err->message);
	vmacore_error_destroy(err);
	return status;
}

int main(int argc, char **argv)
{
	struct vmacore_open_opts opts = { .sz = sizeof(opts) };
	const struct vmacore_vma_loss *losses;
	static struct vmacore_maps_line ml;	/* 4 KiB of name */
	static char line[sizeof(ml.name) + 128];
	struct vmacore_vma_iter *it;
	struct vmacore_error *err;
	struct vmacore_task task;
	struct vmacore_ctx *ctx;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	size_t i, n;
	int status = 0;

	if (argc == 5 && strcmp(argv[1], "-k") == 0) {
		opts.vmlinux = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: list-vmas [-k VMLINUX] VMCORE PID\n");
		return 2;
	}

	/* The dump, its vmlinux (or the dump's own kallsyms and BTF). */
	err = vmacore_open(argv[1], &opts, &ctx);
	if (err)
		return fail("", err, 3);

	err = vmacore_task_find(ctx, atoi(argv[2]), &task);
	if (err) {
		status = err->code == VMACORE_ERROR_LOOKUP ? 1 : 3;
		status = fail("", err, status);
		goto out;
	}
	if (!task.mm) {
		fprintf(stderr, "list-vmas: pid %s has no mm\n", argv[2]);
		status = 1;
		goto out;
	}
	err = vmacore_mm_read(ctx, task.mm, &mm);
	if (!err)
		err = vmacore_vma_iter_create(ctx, task.mm, &it);
	if (err) {
		status = fail("", err, 3);
		goto out;
	}

	/* The maple tree in address order; each VMA's line by the library. */
	while (!(err = vmacore_vma_iter_next(it, &vma))) {
		err = vmacore_vma_maps_line(ctx, &mm, &vma, &ml);
		if (err) {
			status = fail("partial answer: ", err, 4);
			continue;
		}
		if (ml.partial)
			status = 4;	/* '?' where the name was not in the dump */
		vmacore_maps_line_format(&vma, &ml, line, sizeof(line));
		puts(line);
	}
	if (err != &vmacore_stop)
		status = fail("partial answer: ", err, 4);

	/* A damaged part of the tree costs its own range: say which. */
	n = vmacore_vma_iter_losses(it, &losses);
	for (i = 0; i < n; i++) {
		fprintf(stderr, "list-vmas: partial answer: %s\n",
			losses[i].message);
		status = 4;
	}
	vmacore_vma_iter_destroy(it);
out:
	vmacore_ctx_destroy(ctx);
	if (fflush(stdout) != 0)
		return 5;
	return status;
}
