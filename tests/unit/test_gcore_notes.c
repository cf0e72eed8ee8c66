// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_gcore_notes.c - hostile input to the notes of a core file
 * (lib/gcore_notes.c) on a fake target: an mm->saved_auxv without AT_NULL,
 * a thread list that loops, a thread list that leads out of memory.  Each
 * must cost only its own note, said in notes_lost, never a hang or a note
 * of unbounded size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "gcore_notes.h"
#include "tap.h"

enum {
	MM_SAVED_AUXV = 0x300, AUXV_WORDS = 8,	/* AT_VECTOR_SIZE here */
	NT_AUXV = 6,
};

struct env {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	uint64_t mm, signal, leader, t1, t2;
};

static void env_init(struct env *e)
{
	e->f = fake_create();
	fake_layout_default(e->f);
	fake_member(e->f, "mm_struct", "saved_auxv", MM_SAVED_AUXV,
		    8 * AUXV_WORDS);
	e->ctx = fake_ctx(e->f);
	e->mm = fake_mm(e->f);
	e->signal = fake_signal(e->f);
	e->leader = fake_task(e->f, 100, 100, "hostile", e->mm, e->signal);
	e->t1 = fake_task(e->f, 101, 100, "hostile", e->mm, e->signal);
	e->t2 = fake_task(e->f, 102, 100, "hostile", e->mm, e->signal);
}

static void env_deinit(struct env *e)
{
	vmacore_ctx_destroy(e->ctx);
	fake_destroy(e->f);
}

/* Build the notes; the NT_AUXV descsz (-1: none) and notes_lost. */
static long build(struct env *e, char **lost_ret)
{
	struct vmacore_gcore g = { 0 };
	struct vmacore_error *err;
	struct vmacore_task task;
	struct vmacore_mm mm = { .addr = e->mm };
	unsigned char *buf = NULL;
	size_t len = 0, o;
	long auxv = -1;

	err = vmacore_task_read(e->ctx, e->leader, &task);
	no_err(err, "read the leader");
	err = gcore_notes_build(e->ctx, &task, &mm, NULL, 0, &g, &buf, &len);
	no_err(err, "notes built");
	for (o = 0; o + 12 <= len;) {
		uint32_t h[3];

		memcpy(h, buf + o, sizeof(h));
		if (h[2] == NT_AUXV)
			auxv = h[1];
		o += 12 + ((h[0] + 3) & ~3u) + ((h[1] + 3) & ~3u);
	}
	ok(o == len, "notes parse to the end (%zu of %zu bytes)", o, len);
	free(buf);
	free(g.notes_left_out);
	*lost_ret = g.notes_lost;
	return auxv;
}

static void test_auxv(void)
{
	uint64_t good[AUXV_WORDS] = { 6, 4096, 0, 0, 7, 7, 9, 9 };
	uint64_t bad[AUXV_WORDS] = { 6, 4096, 5, 3, 7, 7, 9, 9 };
	struct env e;
	char *lost;
	long n;

	env_init(&e);
	fake_write(e.f, e.mm + MM_SAVED_AUXV, good, sizeof(good));
	n = build(&e, &lost);
	is_int(n, 32, "NT_AUXV up to and including the AT_NULL pair");
	ok(!lost || !strstr(lost, "NT_AUXV"), "a terminated auxv is no loss");
	free(lost);

	fake_write(e.f, e.mm + MM_SAVED_AUXV, bad, sizeof(bad));
	n = build(&e, &lost);
	is_int(n, 8 * AUXV_WORDS, "no AT_NULL: the array, not one word more");
	ok(lost && strstr(lost, "no AT_NULL"), "no AT_NULL: said (%s)",
	   lost ? lost : "nothing");
	free(lost);

	/* an odd-length array: whole pairs only */
	fake_member(e.f, "mm_struct", "saved_auxv", MM_SAVED_AUXV,
		    8 * (AUXV_WORDS - 1));
	vmacore_ctx_destroy(e.ctx);
	e.ctx = fake_ctx(e.f);
	n = build(&e, &lost);
	is_int(n, 8 * (AUXV_WORDS - 2), "odd array: whole pairs only");
	free(lost);
	env_deinit(&e);
}

static void test_thread_loop(void)
{
	struct env e;
	char *lost;

	env_init(&e);
	/* t2's next leads back to t1, never to the head */
	fake_w64(e.f, e.t2 + T_THREAD_NODE, e.t1 + T_THREAD_NODE);
	build(&e, &lost);
	ok(lost && strstr(lost, "loops"), "a looping thread list ends, said (%s)",
	   lost ? lost : "nothing");
	free(lost);

	/* t1's next leads out of memory */
	fake_w64(e.f, e.t1 + T_THREAD_NODE, 0xffff888077770000ULL);
	build(&e, &lost);
	ok(lost && strstr(lost, "cannot read the thread list"),
	   "a thread list into nothing ends, said (%s)",
	   lost ? lost : "nothing");
	free(lost);
	env_deinit(&e);
}

int main(void)
{
	test_auxv();
	test_thread_loop();
	return tap_done();
}
