// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tasks.c - the task list walk (init_task.tasks, thread lists) and
 * the lookup by pid.
 *
 * Header: [1], [2] init_task.tasks.next and .prev, [3] a pid to find.
 * Properties: comm is NUL-terminated; a task found by pid has that pid.
 */
#include <string.h>

#include "fuzz.h"

static void walk(struct vmacore_ctx *ctx, bool threads)
{
	struct vmacore_task_iter *it;
	struct vmacore_error *err;
	struct vmacore_task t;

	err = vmacore_task_iter_create(ctx, threads, &it);
	if (err) {
		fuzz_error_free(err);
		return;
	}
	while (!(err = vmacore_task_iter_next(it, &t))) {
		if (memchr(t.comm, 0, sizeof(t.comm)) == NULL)
			fuzz_fail("comm not terminated");
	}
	fuzz_error_free(err == &vmacore_stop ? NULL : err);
	vmacore_task_iter_destroy(it);
}

/* init_task.tasks from header words 1 and 2 */
static void set_init_task(struct fake_target *f, const uint64_t *hdr)
{
	fake_w64(f, FAKE_INIT_TASK + T_TASKS, hdr[1]);
	fake_w64(f, FAKE_INIT_TASK + T_TASKS + 8, hdr[2]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	struct vmacore_task t;
	uint64_t hdr[FUZZ_HDR_WORDS];

	ctx = fuzz_begin(data, size, NULL, set_init_task, true, hdr);
	if (!ctx) {
		fuzz_end(NULL);
		return 0;
	}
	walk(ctx, false);
	walk(ctx, true);
	err = vmacore_task_find(ctx, (int32_t)hdr[3], &t);
	if (!err && t.pid != (int32_t)hdr[3])
		fuzz_fail("find(%d) gave pid %d", (int32_t)hdr[3], t.pid);
	fuzz_error_free(err);
	fuzz_end(ctx);
	return 0;
}
