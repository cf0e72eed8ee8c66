// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tasks.c - the task list walk of lib/task.c and vmacore_mm_read().
 */
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "tap.h"

struct world {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	uint64_t mm1, mm2;
	uint64_t t1, t2, t3, t4, kthread;
};

/* pid 1 (one thread), pid 100 with threads 101 and 102, kthread 2. */
static void world_init(struct world *w)
{
	uint64_t s1, s2, sk;

	w->f = fake_create();
	fake_layout_default(w->f);
	w->mm1 = fake_mm(w->f);
	w->mm2 = fake_mm(w->f);
	s1 = fake_signal(w->f);
	s2 = fake_signal(w->f);
	sk = fake_signal(w->f);
	w->t1 = fake_task(w->f, 1, 1, "systemd", w->mm1, s1);
	w->kthread = fake_task(w->f, 2, 2, "kthreadd", 0, sk);
	w->t2 = fake_task(w->f, 100, 100, "workload", w->mm2, s2);
	w->t3 = fake_task(w->f, 101, 100, "worker-1", w->mm2, s2);
	w->t4 = fake_task(w->f, 102, 100, "a-very-long-comm-name", w->mm2, s2);
	w->ctx = fake_ctx(w->f);
}

static void world_fini(struct world *w)
{
	vmacore_ctx_destroy(w->ctx);
	fake_destroy(w->f);
}

/* Walk; a string of "pid/tgid/comm" joined by spaces, or the error. */
static struct vmacore_error *walk(struct world *w, bool threads, char *out,
				  size_t size)
{
	struct vmacore_task_iter *it;
	struct vmacore_task t;
	struct vmacore_error *err;
	size_t pos = 0;

	out[0] = '\0';
	err = vmacore_task_iter_create(w->ctx, threads, &it);
	if (err)
		return err;
	while (!(err = vmacore_task_iter_next(it, &t))) {
		if (pos >= size - 1)
			continue;	/* full: count on, print no more */
		pos += snprintf(out + pos, size - pos, "%s%d/%d/%s%s",
				pos ? " " : "", t.pid, t.tgid, t.comm,
				t.mm ? "" : "(k)");
	}
	vmacore_task_iter_destroy(it);
	return err == &vmacore_stop ? NULL : err;
}

static void test_walk(void)
{
	struct world w;
	struct vmacore_task t;
	char buf[512];

	world_init(&w);
	no_err(walk(&w, false, buf, sizeof(buf)), "leaders walk");
	is_str(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload",
	       "leaders from init_task.tasks, init_task excluded");
	no_err(walk(&w, true, buf, sizeof(buf)), "threads walk");
	is_str(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload "
	       "101/100/worker-1 102/100/a-very-long-com",
	       "each leader followed by its other threads");
	no_err(vmacore_task_find(w.ctx, 101, &t), "find pid 101");
	ok(t.addr == w.t3 && t.mm == w.mm2 && !t.is_leader,
	   "pid 101 is the thread, with its mm");
	is_err(vmacore_task_find(w.ctx, 4242, &t), VMACORE_ERROR_LOOKUP,
	       "no pid 4242");
	no_err(vmacore_task_read(w.ctx, w.t2, &t), "task_read");
	ok(t.pid == 100 && t.tgid == 100 && t.is_leader &&
	   !strcmp(t.comm, "workload"), "task_read fields");
	world_fini(&w);
}

static void test_thread_group_fallback(void)
{
	struct world w;
	char buf[512];

	/* A kernel before thread_node: threads only on thread_group. */
	world_init(&w);
	vmacore_ctx_destroy(w.ctx);
	fake_drop_member(w.f, "task_struct", "thread_node");
	fake_drop_member(w.f, "signal_struct", "thread_head");
	fake_member(w.f, "task_struct", "thread_group", 0x500, 16);
	/* ring of 100, 101, 102 through thread_group */
	fake_w64(w.f, w.t2 + 0x500, w.t3 + 0x500);
	fake_w64(w.f, w.t3 + 0x500, w.t4 + 0x500);
	fake_w64(w.f, w.t4 + 0x500, w.t2 + 0x500);
	fake_w64(w.f, w.t1 + 0x500, w.t1 + 0x500);
	fake_w64(w.f, w.kthread + 0x500, w.kthread + 0x500);
	w.ctx = fake_ctx(w.f);
	no_err(walk(&w, true, buf, sizeof(buf)), "thread_group walk");
	is_str(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload "
	       "101/100/worker-1 102/100/a-very-long-com",
	       "threads from task->thread_group");
	world_fini(&w);
}

/* Twenty steps of a thread iterator: the tasks and the errors it returns. */
static void iter_count(struct world *w, int *tasks_ret, int *errors_ret)
{
	struct vmacore_task_iter *it;
	struct vmacore_task t;
	struct vmacore_error *err;
	int i;

	*tasks_ret = *errors_ret = 0;
	no_err(vmacore_task_iter_create(w->ctx, true, &it), "iterator");
	for (i = 0; i < 20; i++) {
		err = vmacore_task_iter_next(it, &t);
		if (!err)
			(*tasks_ret)++;
		else if (err == &vmacore_stop)
			break;
		else
			(*errors_ret)++;
		vmacore_error_destroy(err);
	}
	vmacore_task_iter_destroy(it);
}

static void test_corrupt(void)
{
	struct world w;
	char buf[512];

	/* tasks list: the last leader points back to the second one */
	world_init(&w);
	fake_w64(w.f, w.t2 + T_TASKS, w.kthread + T_TASKS);
	is_err(walk(&w, false, buf, sizeof(buf)), VMACORE_ERROR_CORRUPT,
	       "cycle in init_task.tasks not through the head");
	world_fini(&w);

	/* a self loop */
	world_init(&w);
	fake_w64(w.f, w.t1 + T_TASKS, w.t1 + T_TASKS);
	is_err(walk(&w, false, buf, sizeof(buf)), VMACORE_ERROR_CORRUPT,
	       "task pointing to itself");
	world_fini(&w);

	/* thread list cycle */
	world_init(&w);
	fake_w64(w.f, w.t4 + T_THREAD_NODE, w.t3 + T_THREAD_NODE);
	is_err(walk(&w, true, buf, sizeof(buf)), VMACORE_ERROR_CORRUPT,
	       "cycle in a thread list");
	world_fini(&w);

	/* a pointer to nowhere */
	world_init(&w);
	fake_w64(w.f, w.kthread + T_TASKS, 0xffffc90000000100ULL);
	is_err(walk(&w, false, buf, sizeof(buf)), VMACORE_ERROR_FAULT,
	       "list pointer outside memory");
	world_fini(&w);

	/* NULL and misaligned pointers */
	world_init(&w);
	fake_w64(w.f, w.kthread + T_TASKS, 0);
	is_err(walk(&w, false, buf, sizeof(buf)), VMACORE_ERROR_CORRUPT,
	       "NULL next pointer");
	world_fini(&w);

	/* after a leaders' list error, the iterator does not loop */
	world_init(&w);
	fake_nodata(w.f, w.t2 + T_TASKS);
	{
		int errors, tasks;

		iter_count(&w, &tasks, &errors);
		ok(tasks == 2 && errors == 18,
		   "a task list error is final (%d tasks, %d errors)", tasks,
		   errors);
	}
	world_fini(&w);

	/* a thread list error: the walk goes on with the next leader */
	world_init(&w);
	fake_w64(w.f, w.t1 + T_SIGNAL, 0xffffc90000000000ULL);
	{
		int errors, tasks;

		iter_count(&w, &tasks, &errors);
		ok(tasks == 5 && errors == 1,
		   "a thread list error skips that group only (%d tasks, %d errors)",
		   tasks, errors);
	}
	world_fini(&w);

	/* a page of a task not in the dump */
	world_init(&w);
	fake_nodata(w.f, w.t2 + T_TASKS);
	is_err(walk(&w, false, buf, sizeof(buf)), VMACORE_ERROR_NODATA,
	       "task not in dump");
	world_fini(&w);
}

static void test_mm(void)
{
	struct world w;
	struct vmacore_mm mm;

	world_init(&w);
	fake_w32(w.f, w.mm2 + MM_MAP_COUNT, 42);
	fake_w64(w.f, w.mm2 + MM_TOTAL_VM, 1234);
	/*
	 * MMF_DUMPABLE 1 | coredump_filter 0x33 << MMF_DUMP_FILTER_SHIFT,
	 * plus a high MMF bit that is not part of the filter
	 */
	fake_w64(w.f, w.mm2 + MM_FLAGS, 1 | (0x33 << 2) | (1ULL << 30));
	fake_w64(w.f, w.mm2 + MM_START_BRK, 0x555555559000ULL);
	fake_w64(w.f, w.mm2 + MM_BRK, 0x55555557a000ULL);
	fake_w64(w.f, w.mm2 + MM_START_STACK, 0x7ffffffde000ULL);
	fake_w64(w.f, w.mm2 + MM_CONTEXT_VDSO, 0x7ffff7fc1000ULL);
	no_err(vmacore_mm_read(w.ctx, w.mm2, &mm), "mm_read");
	is_int(mm.map_count, 42, "map_count");
	is_int(mm.total_vm, 1234, "total_vm");
	is_int(mm.coredump_filter, 0x33, "coredump_filter from mm->flags");
	is_int(mm.start_brk, 0x555555559000ULL, "start_brk");
	is_int(mm.brk, 0x55555557a000ULL, "brk");
	is_int(mm.start_stack, 0x7ffffffde000ULL, "start_stack");
	is_int(mm.context_vdso, 0x7ffff7fc1000ULL, "context.vdso");
	is_int(mm.pgd, 0xffff888001000000ULL, "pgd");
	is_err(vmacore_mm_read(w.ctx, 0, &mm), VMACORE_ERROR_INVALID,
	       "mm 0 (kernel thread)");
	is_err(vmacore_mm_read(w.ctx, 0xffffc90000000000ULL, &mm),
	       VMACORE_ERROR_FAULT, "mm outside memory");
	world_fini(&w);

	/* 7.x: mm->flags is mm_flags_t, a struct of one bitmap word */
	world_init(&w);
	vmacore_ctx_destroy(w.ctx);
	fake_member(w.f, "mm_struct", "flags", MM_FLAGS, 8);
	fake_w64(w.f, w.mm1 + MM_FLAGS, 0x23 << 2);
	w.ctx = fake_ctx(w.f);
	no_err(vmacore_mm_read(w.ctx, w.mm1, &mm), "mm_read (bitmap flags)");
	is_int(mm.coredump_filter, 0x23, "coredump_filter");
	world_fini(&w);
}

static void test_missing_layout(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx = NULL;

	fake_layout_default(f);
	fake_drop_member(f, "task_struct", "pid");
	is_err(vmacore_ctx_create(&fake_ops, f, &ctx), VMACORE_ERROR_LOOKUP,
	       "a kernel without task_struct.pid cannot be opened");
	ok(ctx == NULL, "and no context is returned");
	fake_destroy(f);
}

/* Random damage to list links: every walk ends, none crashes. */
static void test_random_damage(void)
{
	unsigned int round, errors = 0, clean = 0;
	struct world w;
	char buf[4096];

	srand(2);
	for (round = 0; round < 500; round++) {
		uint64_t tasks[5], targets[8];
		struct vmacore_error *err;
		unsigned int k;

		world_init(&w);
		tasks[0] = w.t1;
		tasks[1] = w.t2;
		tasks[2] = w.t3;
		tasks[3] = w.t4;
		tasks[4] = w.kthread;
		for (k = 0; k < 5; k++)
			targets[k] = tasks[k] + (rand() % 2 ? T_TASKS :
						 T_THREAD_NODE);
		targets[5] = FAKE_INIT_TASK + T_TASKS;
		targets[6] = 0;
		targets[7] = tasks[rand() % 5] + rand() % T_SIZE;
		for (k = 0; k < 1 + round % 3; k++) {
			uint64_t t = tasks[rand() % 5];
			uint64_t off = (rand() % 3 == 0) ? T_SIGNAL :
				       rand() % 2 ? T_TASKS : T_THREAD_NODE;

			fake_w64(w.f, t + off + (rand() % 2) * 8,
				 targets[rand() % 8]);
		}
		err = walk(&w, true, buf, sizeof(buf));
		if (err)
			errors++;
		else
			clean++;
		vmacore_error_destroy(err);
		world_fini(&w);
	}
	ok(1, "500 damaged task lists: %u errors, %u clean walks, no hang",
	   errors, clean);
}

int main(void)
{
	test_walk();
	test_thread_group_fallback();
	test_corrupt();
	test_mm();
	test_missing_layout();
	test_random_damage();
	return tap_done();
}
