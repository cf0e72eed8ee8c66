// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * task.c - the task list: init_task.tasks and each thread group.
 *
 * for_each_process() walks init_task.tasks (thread-group leaders, init_task
 * itself excluded); for_each_thread() walks signal->thread_head through
 * task->thread_node.  Both lists come from an untrusted dump: each walk is
 * bounded by PID_MAX_LIMIT and checked for cycles with Brent's algorithm.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* PID_MAX_LIMIT, include/linux/threads.h (64-bit): 4 * 1024 * 1024. */
#define TASK_LIST_MAX (4UL * 1024 * 1024)
/*
 * PF_KTHREAD, include/linux/sched.h: a macro (invisible to BTF and DWARF),
 * 0x00200000 since Linux 2.6.27 and in 6.1, 6.12 and 7.x.
 */
#define PF_KTHREAD 0x00200000U

#define F(type, member, required) \
	{ &ctx->l.task.type##_##member, #type, #member, required }

struct vmacore_error *task_layout_init(struct vmacore_ctx *ctx)
{
	struct layout_task *l = &ctx->l.task;
	const struct field_spec fields[] = {
		F(task_struct, tasks, true),
		F(task_struct, pid, true),
		F(task_struct, tgid, true),
		F(task_struct, comm, true),
		F(task_struct, mm, true),
		F(task_struct, signal, true),
		F(task_struct, group_leader, false),
		F(task_struct, fs, false),
		F(task_struct, thread_node, false),
		F(task_struct, thread_group, false),
		F(task_struct, flags, false),
		F(signal_struct, thread_head, false),
	};
	const struct field *const span[] = {
		&l->task_struct_tasks, &l->task_struct_pid,
		&l->task_struct_tgid, &l->task_struct_comm,
		&l->task_struct_mm, &l->task_struct_signal,
		&l->task_struct_thread_node, &l->task_struct_thread_group,
	};
	struct vmacore_error *err;

	err = symbol_addr(ctx, "init_task", &l->init_task, NULL);
	if (err)
		return vmacore_error_prefix(err, "cannot find init_task");
	err = fields_init(ctx, fields, ARRAY_SIZE(fields));
	if (err)
		return err;
	/*
	 * Threads: 6.1 links them both on task->thread_group (a ring through
	 * the leader) and on signal->thread_head via thread_node; 6.12 and
	 * 7.x only the latter ("kill task_struct->thread_group", v6.7).
	 * thread_group is the fallback for kernels without thread_node.
	 */
	if (!(l->task_struct_thread_node.present &&
	      l->signal_struct_thread_head.present) &&
	    !l->task_struct_thread_group.present)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "kernel has neither task_struct.thread_node nor thread_group");

	/* fields_span() leaves out whichever of the two is absent */
	return fields_span(span, ARRAY_SIZE(span), "task_struct", &l->span_off,
			   &l->span_len);
}

#undef F

/* The span of a task_struct that holds every member we use. */
struct task_buf {
	uint64_t addr;
	unsigned char *buf;	/* span_len bytes, span_off-based */
};

static uint64_t task_get(struct vmacore_ctx *ctx, const struct task_buf *t,
			 const struct field *f)
{
	return field_get_span(t->buf, ctx->l.task.span_off, f);
}

static struct vmacore_error *task_buf_read(struct vmacore_ctx *ctx,
					   uint64_t addr, struct task_buf *t)
{
	struct vmacore_error *err;

	t->addr = addr;
	err = read_mem(ctx, addr + ctx->l.task.span_off, t->buf,
		       ctx->l.task.span_len);
	if (err)
		return vmacore_error_prefix(err, "cannot read task_struct 0x%llx",
					    (unsigned long long)addr);
	return NULL;
}

static void task_fill(struct vmacore_ctx *ctx, const struct task_buf *t,
		      struct vmacore_task *ret)
{
	const struct layout_task *l = &ctx->l.task;
	size_t n = l->task_struct_comm.size;

	memset(ret, 0, sizeof(*ret));
	ret->addr = t->addr;
	ret->pid = (int32_t)task_get(ctx, t, &l->task_struct_pid);
	ret->tgid = (int32_t)task_get(ctx, t, &l->task_struct_tgid);
	ret->mm = task_get(ctx, t, &l->task_struct_mm);
	if (n > VMACORE_COMM_LEN)
		n = VMACORE_COMM_LEN;
	memcpy(ret->comm, t->buf + l->task_struct_comm.off - l->span_off, n);
	ret->comm[n] = '\0';
	ret->is_leader = ret->pid == ret->tgid;
}

struct vmacore_error *vmacore_task_read(struct vmacore_ctx *ctx,
					uint64_t task_addr,
					struct vmacore_task *ret)
{
	struct task_buf t;
	struct vmacore_error *err;

	t.buf = malloc(ctx->l.task.span_len);
	if (!t.buf)
		return &vmacore_enomem;
	err = task_buf_read(ctx, task_addr, &t);
	if (!err)
		task_fill(ctx, &t, ret);
	free(t.buf);
	return err;
}

/*
 * struct list_walk - one circular list_head walk with Brent's cycle check:
 * the list must come back to @head within TASK_LIST_MAX steps, and no node
 * may be met twice before that.
 */
struct list_walk {
	uint64_t head;		/* address of the list_head that anchors it */
	uint64_t cur;		/* current list_head (== head: not started) */
	uint64_t tortoise;
	uint64_t power, lam;
	uint64_t steps;
	const char *what;
};

static void list_walk_init(struct list_walk *w, uint64_t head,
			   const char *what)
{
	w->head = head;
	w->cur = head;
	w->tortoise = head;
	w->power = 1;
	w->lam = 0;
	w->steps = 0;
	w->what = what;
}

/* Advance to @next (the value of cur->next); STOP when back at the head. */
static struct vmacore_error *list_walk_step(struct list_walk *w, uint64_t next)
{
	if (next == w->head)
		return &vmacore_stop;
	if (!next || (next & 7))
		return VMACORE_CORRUPT("%s: bad list pointer 0x%llx after 0x%llx",
				       w->what, (unsigned long long)next,
				       (unsigned long long)w->cur);
	if (++w->steps > TASK_LIST_MAX)
		return VMACORE_CORRUPT("%s: more than %lu entries", w->what,
				       TASK_LIST_MAX);
	if (next == w->tortoise)
		return VMACORE_CORRUPT("%s: cycle at 0x%llx not through the head",
				       w->what, (unsigned long long)next);
	if (w->power == w->lam) {
		w->tortoise = next;
		w->power *= 2;
		w->lam = 0;
	}
	w->lam++;
	w->cur = next;
	return NULL;
}

struct vmacore_task_iter {
	struct vmacore_ctx *ctx;
	bool threads;
	struct vmacore_task_loss *losses;
	size_t nlosses, losses_cap;
	struct list_walk procs;
	struct list_walk thr;
	bool in_threads;
	bool thr_at_leader;	/* thr.cur is the leader's link */
	uint64_t thr_last;	/* last task returned of this group */
	/*
	 * When the leaders' list breaks going forward, the rest is read
	 * backwards from init_task.tasks.prev (list_head is doubly linked):
	 * @fwd holds the list nodes read forward, @back the nodes read
	 * backward (the list's end first), handed out from @nback down.
	 */
	struct addr_set fwd;
	uint64_t *back;
	size_t nback, back_cap;
	bool backward;
	bool procs_done, procs_failed;
	struct task_buf leader;
	struct task_buf t;
};

struct vmacore_error *vmacore_task_iter_create(struct vmacore_ctx *ctx,
					       bool threads,
					       struct vmacore_task_iter **ret)
{
	struct vmacore_task_iter *it = calloc(1, sizeof(*it));
	const struct layout_task *l = &ctx->l.task;

	if (!it)
		return &vmacore_enomem;
	it->ctx = ctx;
	it->threads = threads;
	it->leader.buf = malloc(l->span_len);
	it->t.buf = malloc(l->span_len);
	if (!it->leader.buf || !it->t.buf) {
		vmacore_task_iter_destroy(it);
		return &vmacore_enomem;
	}
	list_walk_init(&it->procs, l->init_task + l->task_struct_tasks.off,
		       "init_task.tasks");
	*ret = it;
	return NULL;
}

void vmacore_task_iter_destroy(struct vmacore_task_iter *it)
{
	size_t i;

	if (!it)
		return;
	for (i = 0; i < it->nlosses; i++)
		free((char *)it->losses[i].message);
	free(it->losses);
	addr_set_deinit(&it->fwd);
	free(it->back);
	free(it->leader.buf);
	free(it->t.buf);
	free(it);
}

/* Start the thread list of the leader in it->leader. */
static struct vmacore_error *threads_start(struct vmacore_task_iter *it)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_task *l = &ctx->l.task;
	uint64_t signal;

	if (l->task_struct_thread_node.present &&
	    l->signal_struct_thread_head.present) {
		signal = task_get(ctx, &it->leader, &l->task_struct_signal);
		if (!signal)	/* exited, not yet reaped: no threads */
			return NULL;
		list_walk_init(&it->thr,
			       signal + l->signal_struct_thread_head.off,
			       "signal->thread_head");
	} else {
		/* The ring of thread_group links, anchored at the leader. */
		list_walk_init(&it->thr,
			       it->leader.addr + l->task_struct_thread_group.off,
			       "task->thread_group");
	}
	it->in_threads = true;
	it->thr_at_leader = false;
	it->thr_last = it->leader.addr;
	return NULL;
}

/* Next non-leader thread of the current group into it->t; STOP at the end. */
static struct vmacore_error *threads_next(struct vmacore_task_iter *it)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_task *l = &ctx->l.task;
	const struct field *link = l->task_struct_thread_node.present &&
				   l->signal_struct_thread_head.present ?
				   &l->task_struct_thread_node :
				   &l->task_struct_thread_group;
	struct vmacore_error *err;
	uint64_t next, task;

	for (;;) {
		if (it->thr.cur == it->thr.head) {
			err = read_u64(ctx, it->thr.head, &next);
			if (err)
				return vmacore_error_prefix(err,
					"cannot read thread list of task 0x%llx",
					(unsigned long long)it->leader.addr);
		} else {
			next = task_get(ctx, it->thr_at_leader ? &it->leader :
					&it->t, link);
		}
		err = list_walk_step(&it->thr, next);
		if (err)
			return err;
		task = next - link->off;
		it->thr_at_leader = task == it->leader.addr;
		if (it->thr_at_leader)
			continue;	/* the leader was returned already */
		return task_buf_read(ctx, task, &it->t);
	}
}

/* PF_KTHREAD of the leader in it->leader; false when unknown. */
static bool leader_is_kthread(struct vmacore_task_iter *it)
{
	const struct field *f = &it->ctx->l.task.task_struct_flags;
	struct vmacore_error *err;
	uint64_t flags;

	if (!f->present)
		return false;
	err = read_field(it->ctx, it->leader.addr, f, &flags);
	if (err) {
		vmacore_error_destroy(err);
		return false;
	}
	return flags & PF_KTHREAD;
}

/* Append a loss; its message (allocated) becomes the iterator's. */
static struct vmacore_error *loss_push(struct vmacore_task_iter *it,
				       const struct vmacore_task_loss *loss)
{
	struct vmacore_task_loss *l;

	if (it->nlosses >= TASK_LIST_MAX) {
		free((char *)loss->message);
		return VMACORE_CORRUPT("more than %lu damaged thread lists",
				       TASK_LIST_MAX);
	}
	if (it->nlosses == it->losses_cap) {
		size_t cap = it->losses_cap ? 2 * it->losses_cap : 4;

		l = realloc(it->losses, cap * sizeof(*l));
		if (!l) {
			free((char *)loss->message);
			return &vmacore_enomem;
		}
		it->losses = l;
		it->losses_cap = cap;
	}
	it->losses[it->nlosses++] = *loss;
	return NULL;
}

/*
 * Record that the thread list of the leader in it->leader stopped with
 * @err (consumed).  Return: NULL, or ENOMEM / the bound as the walk's end.
 */
static struct vmacore_error *task_loss_add(struct vmacore_task_iter *it,
					   struct vmacore_error *err)
{
	struct vmacore_task_loss l = { 0 };
	char *msg;

	if (err == &vmacore_enomem)
		return err;
	task_fill(it->ctx, &it->leader, &l.leader);
	if (asprintf(&msg, "threads of pid %d (%s) not read: %s",
		     (int)l.leader.pid, l.leader.comm, err->message) < 0) {
		vmacore_error_destroy(err);
		return &vmacore_enomem;
	}
	l.after = it->thr_last;
	l.kthread = leader_is_kthread(it);
	l.code = err->code;
	l.file = err->file;
	l.line = err->line;
	l.message = msg;
	vmacore_error_destroy(err);
	return loss_push(it, &l);
}

/*
 * The leaders' list broke going forward after the list node @last (the
 * head if none was read; it->leader holds its task), trying @bad_next
 * (@err, consumed): read the rest backwards from the head, up to @last,
 * into it->back.  Nothing lost when the backward walk meets it;
 * else a loss names the gap.  Return: NULL, or an error that ends the walk.
 */
static struct vmacore_error *leaders_backward(struct vmacore_task_iter *it,
					      struct vmacore_error *err,
					      uint64_t last, uint64_t bad_next)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_task *l = &ctx->l.task;
	uint64_t prev, node = it->procs.head;
	char aname[VMACORE_COMM_LEN + 32];
	struct vmacore_task_loss loss = { 0 };
	struct vmacore_error *berr;
	struct vmacore_task a, b;
	struct list_walk bw;
	bool met = false;
	int r;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (last != it->procs.head) {
		task_fill(ctx, &it->leader, &a);
		snprintf(aname, sizeof(aname), "pid %d (%s)", (int)a.pid,
			 a.comm);
	} else {
		snprintf(aname, sizeof(aname), "init_task");
	}
	list_walk_init(&bw, it->procs.head, "init_task.tasks (backwards)");
	for (;;) {
		bool added;

		/* list_head.prev follows list_head.next */
		berr = read_u64(ctx, node + 8, &prev);
		if (berr)
			break;
		if (prev == last) {
			met = true;	/* the gap holds no task */
			break;
		}
		berr = list_walk_step(&bw, prev);
		if (berr == &vmacore_stop || berr)
			break;
		if (addr_set_contains(&it->fwd, prev, 0)) {
			berr = VMACORE_CORRUPT("init_task.tasks: backwards, 0x%llx was read forward already",
					       (unsigned long long)prev);
			break;
		}
		berr = task_buf_read(ctx, prev - l->task_struct_tasks.off,
				     &it->t);
		if (berr)
			break;
		if (it->nback == it->back_cap) {
			size_t cap = it->back_cap ? 2 * it->back_cap : 16;
			uint64_t *p = realloc(it->back, cap * sizeof(*p));

			if (!p) {
				vmacore_error_destroy(err);
				return &vmacore_enomem;
			}
			it->back = p;
			it->back_cap = cap;
		}
		berr = addr_set_add(&it->fwd, prev, 0, NULL, &added);
		if (berr)
			break;
		it->back[it->nback++] = prev;
		task_fill(ctx, &it->t, &b);
		node = prev;
	}
	if (berr == &vmacore_enomem) {
		vmacore_error_destroy(err);
		return berr;
	}
	if (berr != &vmacore_stop)
		vmacore_error_destroy(berr);
	it->backward = true;
	if (met) {
		vmacore_log(ctx, "init_task.tasks: link after %s damaged (%s); the rest read backwards, no task lost",
			    aname, err->message);
		vmacore_error_destroy(err);
		return NULL;
	}
	loss.leader = a;
	loss.after = bad_next ? bad_next - l->task_struct_tasks.off : 0;
	loss.code = err->code;
	loss.file = err->file;
	loss.line = err->line;
	loss.gap = true;
	if (it->nback)
		r = asprintf((char **)&loss.message,
			     "tasks between %s and pid %d (%s) not read: %s",
			     aname, (int)b.pid, b.comm, err->message);
	else
		r = asprintf((char **)&loss.message,
			     "tasks after %s not read: %s", aname,
			     err->message);
	vmacore_error_destroy(err);
	if (r < 0)
		return &vmacore_enomem;
	return loss_push(it, &loss);
}

size_t vmacore_task_iter_losses(const struct vmacore_task_iter *it,
				const struct vmacore_task_loss **ret)
{
	*ret = it->losses;
	return it->nlosses;
}

struct vmacore_error *vmacore_task_iter_next(struct vmacore_task_iter *it,
					     struct vmacore_task *ret)
{
	struct vmacore_ctx *ctx = it->ctx;
	const struct layout_task *l = &ctx->l.task;
	struct vmacore_error *err;
	uint64_t next, last;

	while (it->in_threads) {
		err = threads_next(it);
		if (!err) {
			task_fill(ctx, &it->t, ret);
			it->thr_last = it->t.addr;
			return NULL;
		}
		it->in_threads = false;
		if (err == &vmacore_stop)
			break;
		/* one thread group lost, not the walk: go on with the next */
		err = task_loss_add(it, err);
		if (err)
			return err;
	}

	if (it->procs_done)
		return it->procs_failed ?
			vmacore_error_create(VMACORE_ERROR_INVALID,
					     "task iterator used after an error") :
			&vmacore_stop;
	if (it->backward) {
		if (!it->nback) {
			it->procs_done = true;
			return &vmacore_stop;
		}
		next = it->back[--it->nback];
		err = task_buf_read(ctx, next - l->task_struct_tasks.off,
				    &it->leader);
		if (err) {	/* it was readable a moment ago */
			it->procs_done = it->procs_failed = true;
			return err;
		}
		goto leader;
	}
	next = 0;
	last = it->procs.cur;
	if (it->procs.cur == it->procs.head)
		err = read_u64(ctx, it->procs.head, &next);
	else {
		next = task_get(ctx, &it->leader, &l->task_struct_tasks);
		err = NULL;
	}
	if (err)
		err = vmacore_error_prefix(err, "cannot read init_task.tasks");
	if (!err)
		err = list_walk_step(&it->procs, next);
	if (!err) {
		bool added;

		/* exact, where Brent's check may return a leader twice */
		err = addr_set_add(&it->fwd, next, 0, NULL, &added);
		if (!err && !added)
			err = VMACORE_CORRUPT("init_task.tasks: cycle at 0x%llx not through the head",
					      (unsigned long long)next);
	}
	if (!err)
		err = task_buf_read(ctx, next - l->task_struct_tasks.off,
				    &it->leader);
	if (err == &vmacore_stop) {
		it->procs_done = true;
		return err;
	}
	if (err == &vmacore_enomem) {
		it->procs_done = it->procs_failed = true;
		return err;
	}
	if (err) {
		/*
		 * A damaged leader or link costs that part of the list only:
		 * the rest is read backwards (the leader buffer holds the
		 * last leader read, whose threads were walked already).
		 */
		if (last != it->procs.head &&
		    it->leader.addr != last - l->task_struct_tasks.off)
			task_buf_read(ctx, last - l->task_struct_tasks.off,
				      &it->leader);
		err = leaders_backward(it, err, last, next);
		if (err) {
			it->procs_done = it->procs_failed = true;
			return err;
		}
		return vmacore_task_iter_next(it, ret);
	}
leader:
	task_fill(ctx, &it->leader, ret);
	if (it->threads) {
		err = threads_start(it);
		if (err)
			return err;
	}
	return NULL;
}

struct vmacore_error *task_walk_lost(struct vmacore_task_iter *it,
				    struct vmacore_error *end, uint64_t count,
				    bool only_mmless)
{
	const struct vmacore_task_loss *losses;
	char *lost = NULL, *s;
	size_t n, i, shown = 0;
	struct vmacore_error *err;
	int r = 0;

	if (end == &vmacore_enomem || (end != &vmacore_stop && !count))
		return end;
	n = vmacore_task_iter_losses(it, &losses);
	if (!count && n && losses[0].gap) {	/* not one task readable */
		if (losses[0].code == VMACORE_ERROR_CORRUPT && losses[0].file)
			return vmacore_error_corrupt(losses[0].file,
						     losses[0].line, "%s",
						     losses[0].message);
		return vmacore_error_create(losses[0].code, "%s",
					    losses[0].message);
	}
	/*
	 * A kernel thread has no other threads, and the threads of a leader
	 * with an mm share it: neither lost list can hold what is asked.
	 */
	for (i = 0; i < n && r >= 0; i++) {
		if (!losses[i].gap && (losses[i].kthread ||
				       (only_mmless && losses[i].leader.mm)))
			continue;
		s = lost;
		if (++shown <= 3)
			r = asprintf(&lost, "%s%s%s", s ? s : "", s ? "; " : "",
				     losses[i].message);
		else if (shown == 4)
			r = asprintf(&lost, "%s; ...", s);
		else
			continue;
		free(s);
	}
	if (end != &vmacore_stop && r >= 0) {
		s = lost;
		r = asprintf(&lost, "%s%sthe task list after %llu tasks not read: %s",
			     s ? s : "", s ? "; " : "",
			     (unsigned long long)count, end->message);
		free(s);
		shown++;
	}
	if (end != &vmacore_stop)
		vmacore_error_destroy(end);
	if (r < 0)
		return &vmacore_enomem;
	if (!shown)
		return NULL;
	err = vmacore_error_create(VMACORE_ERROR_INCOMPLETE, "%s", lost);
	free(lost);
	return err;
}

/* Bound on the levels of an xarray (64-bit index, 6 bits a level). */
#define XA_MAX_DEPTH 11

/*
 * struct task_cache - what pid, comm and mm lookups share in one context,
 * each part made once, when first needed:
 * - the layout of init_pid_ns.idr (or why the kernel has none);
 * - the task index: one walk of the task lists, every task in list order,
 *   hashed by pid and chained by mm (the kernel has no mm -> tasks map;
 *   rmap asks it once per candidate).  Bounded by TASK_LIST_MAX tasks in
 *   all: the kernel cannot have more tasks than pids.
 */
struct index_task {
	struct vmacore_task t;
	uint32_t next_mm;	/* next task of its mm, 1-based; 0: none */
};

struct task_cache {
	bool idr_done;
	struct vmacore_error *idr_err;	/* the idr cannot be used: why */
	uint64_t ns, idr_base;
	struct field head, tasks, links;
	int64_t pidtype;

	bool index_done;
	struct index_task *v;
	size_t n, cap;
	struct addr_set by_pid;	/* (pid + 1, 0) -> 1-based index */
	struct addr_set by_mm;	/* (mm, 0) -> first | last << 32 */
	/* task_walk_lost() of the walk: all losses, those mm-less ones */
	struct vmacore_error *lost_all, *lost_mmless;
};

/* A copy of @e that the caller owns (errors of the cache are kept). */
static struct vmacore_error *error_copy(const struct vmacore_error *e)
{
	struct vmacore_error *c;

	if (!e || e->is_static)
		return (struct vmacore_error *)e;
	if (e->code == VMACORE_ERROR_CORRUPT)
		return vmacore_error_corrupt(e->file, e->line, "%s",
					     e->message);
	c = vmacore_error_create(e->code, "%s", e->message);
	if (c != &vmacore_enomem)
		c->address = e->address;
	return c;
}

static void task_index_reset(struct task_cache *c)
{
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
	addr_set_deinit(&c->by_pid);
	addr_set_deinit(&c->by_mm);
	vmacore_error_destroy(c->lost_all);
	vmacore_error_destroy(c->lost_mmless);
	c->lost_all = c->lost_mmless = NULL;
	c->index_done = false;
}

void task_cache_free(struct vmacore_ctx *ctx)
{
	struct task_cache *c = ctx->task_cache;

	if (!c)
		return;
	task_index_reset(c);
	vmacore_error_destroy(c->idr_err);
	free(c);
	ctx->task_cache = NULL;
}

static struct task_cache *task_cache_get(struct vmacore_ctx *ctx)
{
	if (!ctx->task_cache)
		ctx->task_cache = calloc(1, sizeof(*ctx->task_cache));
	return ctx->task_cache;
}

static struct vmacore_error *index_push(struct task_cache *c,
					const struct vmacore_task *t)
{
	struct vmacore_error *err;
	uint64_t *v;
	bool added;

	if (c->n >= TASK_LIST_MAX)
		return VMACORE_CORRUPT("more than %lu tasks", TASK_LIST_MAX);
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct index_task *p = realloc(c->v, cap * sizeof(*p));

		if (!p)
			return &vmacore_enomem;
		c->v = p;
		c->cap = cap;
	}
	c->v[c->n].t = *t;
	c->v[c->n].next_mm = 0;
	c->n++;
	/* the first task of a pid wins, as a walk that stops there */
	err = addr_set_add(&c->by_pid, (uint64_t)(uint32_t)t->pid + 1, 0,
			   &v, &added);
	if (err)
		return err;
	if (added)
		*v = c->n;
	if (!t->mm)
		return NULL;
	/* the mm's chain: first | last << 32, both 1-based */
	err = addr_set_add(&c->by_mm, t->mm, 0, &v, &added);
	if (err)
		return err;
	if (!added)
		c->v[(*v >> 32) - 1].next_mm = c->n;
	else
		*v = c->n;
	*v = (*v & 0xffffffffULL) | (uint64_t)c->n << 32;
	return NULL;
}

/* The task index, built by one walk the first time. */
static struct vmacore_error *task_index_get(struct vmacore_ctx *ctx,
					    struct task_cache **ret)
{
	struct task_cache *c = task_cache_get(ctx);
	struct vmacore_task_iter *it;
	struct vmacore_error *err, *end;
	struct vmacore_task t;
	uint64_t count = 0;

	if (!c)
		return &vmacore_enomem;
	*ret = c;
	if (c->index_done)
		return NULL;
	err = vmacore_task_iter_create(ctx, true, &it);
	if (err)
		return err;
	while (!(end = vmacore_task_iter_next(it, &t))) {
		count++;
		err = index_push(c, &t);
		if (err)
			break;
	}
	if (err) {
		end = err;	/* the index ends here, as the walk would */
		if (err == &vmacore_enomem) {
			vmacore_task_iter_destroy(it);
			task_index_reset(c);
			return err;
		}
	}
	if (end == &vmacore_enomem) {
		vmacore_task_iter_destroy(it);
		task_index_reset(c);
		return end;
	}
	c->lost_mmless = task_walk_lost(it, error_copy(end), count, true);
	c->lost_all = task_walk_lost(it, end, count, false);
	vmacore_task_iter_destroy(it);
	if (c->lost_all == &vmacore_enomem ||
	    c->lost_mmless == &vmacore_enomem) {
		task_index_reset(c);
		return &vmacore_enomem;
	}
	c->index_done = true;
	return NULL;
}

void vmacore_ctx_drop_caches(struct vmacore_ctx *ctx)
{
	if (ctx->task_cache)
		task_index_reset(ctx->task_cache);
}

/* 1-based index of the first task of @key in @set, 0 if none. */
static uint64_t index_lookup(struct addr_set *set, uint64_t key)
{
	uint64_t *v;
	bool added;

	/* present: addr_set_add() finds it without adding or growing */
	if (!addr_set_contains(set, key, 0) ||
	    addr_set_add(set, key, 0, &v, &added))
		return 0;
	return *v;
}

struct vmacore_error *task_index_mm(struct vmacore_ctx *ctx, uint64_t mm,
				    uint32_t *pos_ret,
				    struct vmacore_error **lost_ret)
{
	struct vmacore_error *err;
	struct task_cache *c;

	err = task_index_get(ctx, &c);
	if (err)
		return err;
	*pos_ret = mm ? index_lookup(&c->by_mm, mm) & 0xffffffffULL : 0;
	*lost_ret = error_copy(c->lost_mmless);
	return NULL;
}

const struct vmacore_task *task_index_next(struct vmacore_ctx *ctx,
					   uint32_t *pos)
{
	const struct index_task *it;

	if (!*pos || !ctx->task_cache || *pos > ctx->task_cache->n)
		return NULL;
	it = &ctx->task_cache->v[*pos - 1];
	*pos = it->next_mm;
	return &it->t;
}

/* The layout of init_pid_ns.idr, resolved once; its error kept. */
static struct vmacore_error *idr_layout(struct vmacore_ctx *ctx,
					struct task_cache **ret)
{
	const struct layout_rmap *lr = &ctx->l.rmap;
	struct task_cache *c = task_cache_get(ctx);
	struct field base;
	struct vmacore_error *err;

	if (!c)
		return &vmacore_enomem;
	*ret = c;
	if (c->idr_done)
		return error_copy(c->idr_err);
	if (!lr->xa_node_shift.present || !lr->xa_node_slots.present)
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "kernel has no xa_node layout");
	else
		err = symbol_addr(ctx, "init_pid_ns", &c->ns, NULL);
	if (!err)
		err = field_require(ctx, &c->head, "pid_namespace",
				    "idr.idr_rt.xa_head");
	if (!err)
		err = field_require(ctx, &c->tasks, "pid", "tasks");
	if (!err)
		err = field_require(ctx, &c->links, "task_struct", "pid_links");
	if (!err)
		err = field_init(ctx, &base, "pid_namespace", "idr.idr_base");
	c->idr_base = 0;
	if (!err && base.present)
		err = read_field(ctx, c->ns, &base, &c->idr_base);
	if (!err) {
		err = enum_value(ctx, "PIDTYPE_PID", &c->pidtype);
		if (error_catch(&err, VMACORE_ERROR_LOOKUP))
			/* enum pid_type, include/linux/pid_types.h */
			c->pidtype = 0;
	}
	if (!err && (c->pidtype < 0 || c->pidtype > 3))
		err = VMACORE_CORRUPT("PIDTYPE_PID is %lld",
				      (long long)c->pidtype);
	if (err == &vmacore_enomem)
		return err;
	c->idr_done = true;
	c->idr_err = err;
	return error_copy(err);
}

/*
 * task_from_idr() - find_task_by_pid_ns(@pid, &init_pid_ns), kernel/pid.c:
 * the struct pid in init_pid_ns.idr (an xarray; idr_find()), then its first
 * task of PIDTYPE_PID (pid_task()).  What the kernel itself would answer,
 * without the task lists: a few reads a pid.  *@found_ret: the idr maps
 * @pid to a task.
 * Return: NULL; LOOKUP when the kernel has no such idr; a read error.
 */
static struct vmacore_error *task_from_idr(struct vmacore_ctx *ctx,
					   int32_t pid,
					   struct vmacore_task *ret,
					   bool *found_ret)
{
	const struct layout_rmap *lr = &ctx->l.rmap;
	struct vmacore_error *err;
	struct task_cache *c;
	uint64_t entry, node, shift, slots, index, first;
	int depth;

	*found_ret = false;
	err = idr_layout(ctx, &c);
	if (err)
		return err;
	if ((uint64_t)(uint32_t)pid < c->idr_base)
		return NULL;
	index = (uint64_t)(uint32_t)pid - c->idr_base;
	/* xa_load(), lib/xarray.c */
	err = read_u64(ctx, c->ns + c->head.off, &entry);
	slots = lr->xa_node_slots.size / 8;
	for (depth = 0; !err && (entry & 3) == 2 && entry > 4096; depth++) {
		if (depth >= XA_MAX_DEPTH || !slots)
			return VMACORE_CORRUPT("init_pid_ns.idr deeper than %d",
					       XA_MAX_DEPTH);
		node = entry - 2;
		err = read_field(ctx, node, &lr->xa_node_shift, &shift);
		if (!err && shift >= 64)
			return VMACORE_CORRUPT("xa_node 0x%llx has shift %llu",
					       (unsigned long long)node,
					       (unsigned long long)shift);
		if (!err && depth == 0 && shift + 6 < 64 &&
		    index >> (shift + 6))
			return NULL;	/* beyond the tree's reach */
		if (!err)
			err = read_u64(ctx, node + lr->xa_node_slots.off +
				       8 * ((index >> shift) % slots), &entry);
	}
	if (err)
		return vmacore_error_prefix(err, "cannot look up pid %d in init_pid_ns.idr",
					    (int)pid);
	if ((depth == 0 && index != 0) || !entry || (entry & 3))
		return NULL;	/* no struct pid there */
	/* pid_task(): hlist_entry(pid->tasks[type].first, task, pid_links[type]) */
	err = read_u64(ctx, entry + c->tasks.off + 8 * c->pidtype, &first);
	if (err)
		return vmacore_error_prefix(err, "cannot read struct pid 0x%llx",
					    (unsigned long long)entry);
	if (!first)
		return NULL;	/* the pid is allocated, its task is gone */
	/* the pid has a task: from here on, found, readable or not */
	*found_ret = true;
	err = vmacore_task_read(ctx, first - c->links.off - 16 * c->pidtype,
				ret);
	if (err)
		return err;
	if (ret->pid != pid)
		return VMACORE_CORRUPT("init_pid_ns.idr: pid %d leads to task 0x%llx of pid %d",
				       (int)pid, (unsigned long long)ret->addr,
				       (int)ret->pid);
	return NULL;
}

struct vmacore_error *vmacore_task_find(struct vmacore_ctx *ctx, int32_t pid,
					struct vmacore_task *ret)
{
	struct vmacore_error *err, *ierr;
	struct task_cache *c;
	uint64_t i;
	bool found;

	/*
	 * The kernel's own way first, find_task_by_vpid(): a few reads,
	 * whatever the number of tasks.  Its answer, yes or no, is the
	 * kernel's own.
	 */
	ierr = task_from_idr(ctx, pid, ret, &found);
	if (!ierr) {
		if (found)
			return NULL;
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no task with pid %d (init_pid_ns.idr has none)",
					    (int)pid);
	}
	if (ierr == &vmacore_enomem)
		return ierr;
	/*
	 * No usable idr, or a task it names that cannot be read: the task
	 * lists, walked once per context (the index), past what they lose.
	 */
	err = task_index_get(ctx, &c);
	if (err) {
		vmacore_error_destroy(ierr);
		return err;
	}
	i = index_lookup(&c->by_pid, (uint64_t)(uint32_t)pid + 1);
	if (i) {
		*ret = c->v[i - 1].t;
		vmacore_error_destroy(ierr);
		return NULL;
	}
	if (found) {
		/* it exists, and the dump has not got it */
		return vmacore_error_prefix(ierr, "pid %d", (int)pid);
	}
	err = error_copy(c->lost_all);
	if (!err) {
		vmacore_error_destroy(ierr);
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no task with pid %d", (int)pid);
	}
	if (ierr->code != VMACORE_ERROR_LOOKUP &&
	    err->code == VMACORE_ERROR_INCOMPLETE) {
		struct vmacore_error *e;

		e = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
					 "%s; and in init_pid_ns.idr: %s",
					 err->message, ierr->message);
		vmacore_error_destroy(err);
		err = e;
	}
	vmacore_error_destroy(ierr);
	if (err->code == VMACORE_ERROR_INCOMPLETE) {
		struct vmacore_error *e;

		e = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
					 "pid %d not found, but %s", (int)pid,
					 err->message);
		vmacore_error_destroy(err);
		return e;
	}
	return err;
}
