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

static char lost[2048];
static uint64_t lost_after;	/* of the first loss */

/*
 * Walk; a string of "pid/tgid/comm" joined by spaces, or the error; the
 * losses' messages go to lost[] (joined by " | ").
 */
static struct vmacore_error *walk(struct world *w, bool threads, char *out,
				  size_t size)
{
	const struct vmacore_task_loss *l;
	struct vmacore_task_iter *it;
	struct vmacore_task t;
	struct vmacore_error *err;
	size_t pos = 0, n, i, lpos = 0;
	unsigned int count = 0;

	out[0] = '\0';
	lost[0] = '\0';
	err = vmacore_task_iter_create(w->ctx, threads, &it);
	if (err)
		return err;
	while (!(err = vmacore_task_iter_next(it, &t))) {
		if (++count > 10000)
			break;	/* a walk that does not end: fails below */
		if (pos >= size - 1)
			continue;	/* full: count on, print no more */
		pos += snprintf(out + pos, size - pos, "%s%d/%d/%s%s",
				pos ? " " : "", t.pid, t.tgid, t.comm,
				t.mm ? "" : "(k)");
	}
	n = vmacore_task_iter_losses(it, &l);
	lost_after = n ? l[0].after : 0;
	for (i = 0; i < n && lpos < sizeof(lost) - 1; i++)
		lpos += snprintf(lost + lpos, sizeof(lost) - lpos, "%s%s%s",
				 i ? " | " : "", l[i].kthread ? "(k) " : "",
				 l[i].message);
	vmacore_task_iter_destroy(it);
	if (count > 10000)
		return vmacore_error_create(VMACORE_ERROR_OTHER,
					    "more than 10000 tasks: no end");
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

/* Twenty steps of a thread iterator: tasks, errors and losses. */
static void iter_count(struct world *w, int *tasks_ret, int *errors_ret,
		       int *losses_ret)
{
	const struct vmacore_task_loss *l;
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
	*losses_ret = (int)vmacore_task_iter_losses(it, &l);
	vmacore_task_iter_destroy(it);
}

static void test_corrupt(void)
{
	struct world w;
	char buf[512];

	/*
	 * The leaders' list is doubly linked: a bad forward link is read
	 * around backwards, and nothing is lost when the backward walk
	 * meets the last leader read forward.
	 */
	world_init(&w);
	fake_w64(w.f, w.t2 + T_TASKS, w.kthread + T_TASKS);
	no_err(walk(&w, false, buf, sizeof(buf)),
	       "cycle in init_task.tasks not through the head");
	ok(!strcmp(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload") &&
	   !lost[0], "and every leader is returned once, nothing lost (%s)",
	   buf);
	world_fini(&w);

	/* a self loop: Brent's check alone would return pid 1 twice */
	world_init(&w);
	fake_w64(w.f, w.t1 + T_TASKS, w.t1 + T_TASKS);
	no_err(walk(&w, false, buf, sizeof(buf)), "task pointing to itself");
	ok(!strcmp(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload") &&
	   !lost[0], "and every leader is returned once, nothing lost (%s)",
	   buf);
	world_fini(&w);

	/* thread list cycle: costs that thread group only */
	world_init(&w);
	fake_w64(w.f, w.t4 + T_THREAD_NODE, w.t3 + T_THREAD_NODE);
	no_err(walk(&w, true, buf, sizeof(buf)),
	       "a cycle in a thread list does not end the walk");
	is_str(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload "
	       "101/100/worker-1 102/100/a-very-long-com",
	       "every task before the cycle is returned, once");
	ok(strstr(lost, "threads of pid 100 (workload) not read: ") &&
	   strstr(lost, "cycle at") && !strchr(lost, '|'),
	   "and the loss names the group and the cycle: %s", lost);
	ok(lost_after == w.t4, "and the last thread read before it (102)");
	world_fini(&w);

	/* a pointer to nowhere, NULL: read around backwards */
	world_init(&w);
	fake_w64(w.f, w.kthread + T_TASKS, 0xffffc90000000100ULL);
	no_err(walk(&w, true, buf, sizeof(buf)), "list pointer outside memory");
	ok(strstr(buf, "2/2/kthreadd(k) 100/100/workload 101/100") && !lost[0],
	   "and the rest is read backwards, with threads (%s)", buf);
	world_fini(&w);

	world_init(&w);
	fake_w64(w.f, w.kthread + T_TASKS, 0);
	no_err(walk(&w, false, buf, sizeof(buf)), "NULL next pointer");
	ok(!strcmp(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload") &&
	   !lost[0], "and the rest is read backwards (%s)", buf);
	world_fini(&w);

	/* both links of a leader bad: the gap is named, the rest returned */
	{
		uint64_t t5;

		world_init(&w);
		vmacore_ctx_destroy(w.ctx);
		t5 = fake_task(w.f, 200, 200, "after", w.mm1, fake_signal(w.f));
		w.ctx = fake_ctx(w.f);
		fake_w64(w.f, w.kthread + T_TASKS, 0);	/* next of pid 2 */
		fake_w64(w.f, w.t2 + T_TASKS + 8, 0);	/* prev of pid 100 */
		no_err(walk(&w, false, buf, sizeof(buf)),
		       "a leader with both links damaged");
		ok(!strcmp(buf, "1/1/systemd 2/2/kthreadd(k) 100/100/workload 200/200/after"),
		   "the leaders before and after it are returned in order (%s)",
		   buf);
		ok(strstr(lost, "tasks between pid 2 (kthreadd) and pid 100 (workload) not read") != NULL,
		   "and the gap is named: %s", lost);
		(void)t5;
		world_fini(&w);
	}

	/* a leader not in the dump, nothing readable behind it */
	world_init(&w);
	fake_nodata(w.f, w.t2 + T_TASKS);
	{
		int errors, tasks, losses;

		iter_count(&w, &tasks, &errors, &losses);
		ok(tasks == 2 && errors == 0 && losses == 1,
		   "a damaged leader costs what cannot be read around (%d tasks, %d errors, %d losses)",
		   tasks, errors, losses);
	}
	no_err(walk(&w, false, buf, sizeof(buf)), "task not in dump");
	ok(strstr(lost, "tasks after pid 2 (kthreadd) not read: cannot read task_struct") != NULL,
	   "and the loss says from where: %s", lost);
	world_fini(&w);

	/* a thread list error: the walk goes on with the next leader */
	world_init(&w);
	fake_w64(w.f, w.t1 + T_SIGNAL, 0xffffc90000000000ULL);
	{
		int errors, tasks, losses;

		iter_count(&w, &tasks, &errors, &losses);
		ok(tasks == 5 && errors == 0 && losses == 1,
		   "a thread list error skips that group only (%d tasks, %d errors, %d losses)",
		   tasks, errors, losses);
	}
	world_fini(&w);
}

/* Issue 10: one damaged thread list must not break every pid lookup. */
static void test_find_partial(void)
{
	struct vmacore_task t, found[4];
	struct vmacore_error *err;
	struct world w;
	size_t n = 0;

	/* systemd's thread list unreadable (its signal_struct is gone) */
	world_init(&w);
	fake_w64(w.f, w.t1 + T_SIGNAL, 0xffffc90000000000ULL);
	no_err(vmacore_task_find(w.ctx, 101, &t),
	       "a thread of another group is found past the damage");
	ok(t.addr == w.t3, "and it is the right task");
	no_err(vmacore_task_find(w.ctx, 1, &t),
	       "the leader of the damaged group is found");
	err = vmacore_task_find(w.ctx, 4242, &t);
	ok(err && err->code == VMACORE_ERROR_INCOMPLETE &&
	   strstr(err->message, "pid 4242 not found, but threads of pid 1 (systemd) not read"),
	   "a pid not found is not \"no task\" when a thread list was lost: %s",
	   err ? err->message : "found");
	vmacore_error_destroy(err);
	/* the lost threads of a leader with an mm share it: no owner lost */
	no_err(vmacore_mm_tasks(w.ctx, w.mm2, found, 4, &n),
	       "mm_tasks past the damage");
	ok(n == 1 && found[0].tgid == 100 && found[0].is_leader,
	   "mm_tasks finds the process that uses the mm (%zu)", n);
	world_fini(&w);

	/* a kernel thread's list: kthreads have no other threads */
	world_init(&w);
	fake_w64(w.f, w.kthread + T_SIGNAL, 0xffffc90000000000ULL);
	fake_w32(w.f, w.kthread + T_FLAGS, 0x00200000);	/* PF_KTHREAD */
	is_err(vmacore_task_find(w.ctx, 4242, &t), VMACORE_ERROR_LOOKUP,
	       "a lost kthread thread list leaves \"no task\" exact");
	walk(&w, true, (char[512]){ 0 }, 512);
	ok(strstr(lost, "(k) threads of pid 2 (kthreadd) not read") != NULL,
	   "and the walk still records it, as a kernel thread's: %s", lost);
	world_fini(&w);

	/* an exited leader whose threads run on: its list may hold owners */
	world_init(&w);
	fake_w64(w.f, w.t2 + T_MM, 0);
	fake_nodata(w.f, fake_r64(w.f, w.t2 + T_SIGNAL));
	err = vmacore_mm_tasks(w.ctx, w.mm2, found, 4, &n);
	ok(err && err->code == VMACORE_ERROR_INCOMPLETE && n == 0 &&
	   strstr(err->message, "threads of pid 100 (workload) not read"),
	   "mm_tasks says the owners may be incomplete: %s",
	   err ? err->message : "no error");
	vmacore_error_destroy(err);
	world_fini(&w);

	/* the leaders' list cut after two tasks */
	world_init(&w);
	fake_nodata(w.f, w.t2 + T_TASKS);
	no_err(vmacore_task_find(w.ctx, 2, &t), "a task before the cut is found");
	err = vmacore_task_find(w.ctx, 4242, &t);
	ok(err && err->code == VMACORE_ERROR_INCOMPLETE &&
	   strstr(err->message, "tasks after pid 2 (kthreadd) not read"),
	   "a pid not found before the cut is incomplete: %s",
	   err ? err->message : "found");
	vmacore_error_destroy(err);
	world_fini(&w);

	/* nothing readable at all: the error itself */
	world_init(&w);
	fake_nodata(w.f, FAKE_INIT_TASK + T_TASKS);
	is_err(vmacore_task_find(w.ctx, 1, &t), VMACORE_ERROR_NODATA,
	       "an unreadable init_task.tasks is the dump's error");
	world_fini(&w);
}

/*
 * The pid idr (find_task_by_vpid()): init_pid_ns.idr maps each pid to a
 * struct pid, whose tasks[PIDTYPE_PID] list holds the task.  Two levels
 * of xa_node: shift 6 over shift 0, 64 slots each.
 */
enum { NS_IDR_HEAD = 0x8, NS_IDR_BASE = 0x10, PID_TASKS = 0x20,
       T_PID_LINKS = 0x440, XN_SHIFT = 0, XN_SLOTS = 0x28 };
#define FAKE_INIT_PID_NS 0xffffffff82400000ULL

static uint64_t idr_root;

static void idr_init(struct world *w)
{
	const uint64_t tasks[] = { w->t1, w->kthread, w->t2, w->t3, w->t4 };
	uint64_t child[2];
	size_t i;

	vmacore_ctx_destroy(w->ctx);
	fake_member(w->f, "xa_node", "shift", XN_SHIFT, 1);
	fake_member(w->f, "xa_node", "slots", XN_SLOTS, 64 * 8);
	fake_member(w->f, "pid_namespace", "idr.idr_rt.xa_head",
		    NS_IDR_HEAD, 8);
	fake_member(w->f, "pid_namespace", "idr.idr_base", NS_IDR_BASE, 4);
	fake_member(w->f, "pid", "tasks", PID_TASKS, 4 * 8);
	fake_member(w->f, "task_struct", "pid_links", T_PID_LINKS, 4 * 16);
	fake_enum(w->f, "PIDTYPE_PID", 0);
	fake_symbol(w->f, "init_pid_ns", FAKE_INIT_PID_NS, 0x100);
	idr_root = fake_alloc(w->f, XN_SLOTS + 64 * 8, 64);
	fake_w8(w->f, idr_root + XN_SHIFT, 6);
	for (i = 0; i < 2; i++) {
		child[i] = fake_alloc(w->f, XN_SLOTS + 64 * 8, 64);
		fake_w64(w->f, idr_root + XN_SLOTS + 8 * i, child[i] | 2);
	}
	for (i = 0; i < 5; i++) {
		uint64_t pid = fake_alloc(w->f, 0x80, 64);
		int nr = (int)fake_r64(w->f, tasks[i] + T_PID) & 0xffffffff;

		fake_w64(w->f, pid + PID_TASKS, tasks[i] + T_PID_LINKS);
		fake_w64(w->f, child[nr >> 6] + XN_SLOTS + 8 * (nr & 63), pid);
	}
	fake_w64(w->f, FAKE_INIT_PID_NS + NS_IDR_HEAD, idr_root | 2);
	w->ctx = fake_ctx(w->f);
}

static void test_idr(void)
{
	struct vmacore_task t;
	struct vmacore_error *err;
	struct world w;

	world_init(&w);
	idr_init(&w);
	/* workload's thread list lost: pid 101 is only in the idr */
	fake_w64(w.f, w.t2 + T_SIGNAL, 0xffffc90000000000ULL);
	err = vmacore_task_find(w.ctx, 101, &t);
	ok(!err && t.addr == w.t3 && t.tgid == 100,
	   "a thread whose list was lost is found through the pid idr%s%s",
	   err ? ": " : "", err ? err->message : "");
	vmacore_error_destroy(err);
	is_err(vmacore_task_find(w.ctx, 4242, &t), VMACORE_ERROR_LOOKUP,
	       "a pid the idr does not have is \"no task\", exact");
	/* the idr unreadable too: not found is not known */
	fake_w8(w.f, idr_root + XN_SHIFT, 200);
	err = vmacore_task_find(w.ctx, 4242, &t);
	ok(err && err->code == VMACORE_ERROR_INCOMPLETE &&
	   strstr(err->message, "threads of pid 100 (workload) not read") &&
	   strstr(err->message, "; and in init_pid_ns.idr: "),
	   "with the idr damaged too, a partial answer naming both: %s",
	   err ? err->message : "found");
	vmacore_error_destroy(err);
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

/*
 * Random damage to list links: every walk ends, and damage to thread
 * lists only never costs a leader.
 */
static void test_random_damage(void)
{
	unsigned int round, errors = 0, clean = 0, bad = 0, thr_only = 0;
	struct world w;
	char buf[4096];

	srand(2);
	for (round = 0; round < 500; round++) {
		uint64_t tasks[5], targets[8];
		struct vmacore_error *err;
		bool leaders_intact = true;
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
			uint64_t half = (rand() % 2) * 8;
			uint64_t v = targets[rand() % 8];

			/* tasks.next of a leader: the leaders' list */
			if (off == T_TASKS && !half && t != w.t3 &&
			    t != w.t4 && fake_r64(w.f, t + off) != v)
				leaders_intact = false;
			fake_w64(w.f, t + off + half, v);
		}
		err = walk(&w, true, buf, sizeof(buf));
		if (err && err->code == VMACORE_ERROR_OTHER)
			bad++;	/* did not end */
		if (leaders_intact) {
			char *a = strstr(buf, "1/1/systemd");
			char *b = a ? strstr(a, "2/2/kthreadd(k)") : NULL;
			char *c = b ? strstr(b, "100/100/workload") : NULL;

			thr_only++;
			if (err || !c)
				bad++;
		}
		if (err)
			errors++;
		else
			clean++;
		vmacore_error_destroy(err);
		world_fini(&w);
	}
	ok(!bad, "500 damaged task lists: %u walks that did not end or lost a leader to thread damage (%u errors, %u ended, %u with thread damage only)",
	   bad, errors, clean, thr_only);
}

int main(void)
{
	test_walk();
	test_thread_group_fallback();
	test_corrupt();
	test_find_partial();
	test_idr();
	test_mm();
	test_missing_layout();
	test_random_damage();
	return tap_done();
}
