// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_gcore_notes.c - hostile input to the notes of a core file
 * (lib/gcore_notes.c) on a fake target: an mm->saved_auxv without AT_NULL,
 * a thread list that loops, a thread list that leads out of memory.  Each
 * must cost only its own note, said in notes_lost, never a hang or a note
 * of unbounded size.  And extended numbering: a process of 65535 VMAs
 * gets e_phnum PN_XNUM and one section header (fill_extnum_info()).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

	/* the leader's next leads back to itself */
	fake_w64(e.f, e.leader + T_THREAD_NODE, e.leader + T_THREAD_NODE);
	build(&e, &lost);
	ok(lost && strstr(lost, "loops"),
	   "a thread list looping at the leader ends, said (%s)",
	   lost ? lost : "nothing");
	free(lost);
	fake_w64(e.f, e.leader + T_THREAD_NODE, e.t1 + T_THREAD_NODE);

	/* t1's next leads out of memory */
	fake_w64(e.f, e.t1 + T_THREAD_NODE, 0xffff888077770000ULL);
	build(&e, &lost);
	ok(lost && strstr(lost, "cannot read the thread list"),
	   "a thread list into nothing ends, said (%s)",
	   lost ? lost : "nothing");
	free(lost);
	env_deinit(&e);
}

/* test_coredump.c's layout: what vma_dump_size() and the gate VMA read */
#define FAKE_SMN 0xffffffff81000500ULL
#define FAKE_GATE_VMA 0xffffffff82400000ULL
#define FAKE_VSYSCALL_MODE 0xffffffff82500000ULL
#define FAKE_FLAG_NAMES 0xffffffff82600000ULL

static void test_xnum(void)
{
	enum { NVMAS = 65535 };	/* + the gate VMA + PT_NOTE: 65537 segs */
	struct fake_target *f = fake_create();
	struct vmacore_gcore *g = NULL;
	struct vmacore_error *err;
	struct vmacore_task task;
	struct vmacore_ctx *ctx;
	uint64_t mm, pgd, *vmas, t, a;
	char path[] = "/tmp/test_gcore_xnum.XXXXXX";
	unsigned char eh[64], sh[64];
	uint16_t phnum, shnum;
	uint64_t shoff;
	uint32_t info;
	int fd;

	fake_layout_default(f);
	fake_member(f, "vm_operations_struct", "name", 0x40, 8);
	fake_symbol(f, "special_mapping_name", FAKE_SMN, 16);
	fake_symbol(f, "gate_vma", FAKE_GATE_VMA, V_SIZE);
	fake_zero(f, FAKE_GATE_VMA, V_SIZE);
	fake_w64(f, FAKE_GATE_VMA + V_START, 0xffffffffff600000ULL);
	fake_w64(f, FAKE_GATE_VMA + V_END, 0xffffffffff601000ULL);
	fake_w64(f, FAKE_GATE_VMA + V_FLAGS, 0x5);
	fake_symbol(f, "vsyscall_mode", FAKE_VSYSCALL_MODE, 4);
	fake_w32(f, FAKE_VSYSCALL_MODE, 1);	/* XONLY */
	/* vmaflag_names[] with the VM_IO and VM_PFNMAP bits gcore needs */
	fake_symbol(f, "vmaflag_names", FAKE_FLAG_NAMES, 16 * 7);
	for (a = 0; a < 7; a++) {
		static const struct {
			uint64_t mask;
			const char *name;
		} names[] = {
			{ 0x1, "read" }, { 0x2, "write" }, { 0x4, "exec" },
			{ 0x8, "shared" }, { 0x400, "pfnmap" }, { 0x4000, "io" },
			{ 0, NULL },
		};
		uint64_t str = FAKE_FLAG_NAMES + 0x1000 + 32 * a;

		fake_w64(f, FAKE_FLAG_NAMES + 16 * a, names[a].mask);
		fake_w64(f, FAKE_FLAG_NAMES + 16 * a + 8,
			 names[a].name ? str : 0);
		if (names[a].name)
			fake_write(f, str, names[a].name,
				   strlen(names[a].name) + 1);
	}
	ctx = fake_phys_ctx(f);
	mm = fake_mm(f);
	pgd = fake_alloc(f, 4096, 4096);
	fake_w64(f, mm + MM_PGD, pgd);
	fake_w64(f, mm + MM_FLAGS, (0x33ULL << 2) | 1);
	vmas = calloc(NVMAS, sizeof(*vmas));
	if (!vmas)
		abort();
	/* one-page anonymous VMAs a page apart, never faulted in: holes */
	for (a = 0; a < NVMAS; a++)
		vmas[a] = fake_vma(f, mm, 0x10000000 + a * 0x2000,
				   0x10001000 + a * 0x2000, 0x73);
	fake_tree_build(f, mm, vmas, NVMAS, 16, 10, NULL);
	free(vmas);
	t = fake_task(f, 200, 200, "many", mm, fake_signal(f));
	no_err(vmacore_task_read(ctx, t, &task), "read the task");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	unlink(path);
	err = vmacore_gcore_write(ctx, &task, -1, fd, NULL, NULL, &g);
	no_err(err, "core of %d VMAs written", NVMAS);
	if (!g) {
		close(fd);
		goto out;
	}
	is_int(g->nr_vmas, NVMAS + 1, "every VMA and the gate VMA");
	if (pread(fd, eh, sizeof(eh), 0) != sizeof(eh))
		abort();
	memcpy(&shoff, eh + 40, 8);
	memcpy(&phnum, eh + 56, 2);
	memcpy(&shnum, eh + 60, 2);
	is_int(phnum, 0xffff, "e_phnum is PN_XNUM");
	is_int(shnum, 1, "one section header");
	is_int(shoff + 64, g->size, "e_shoff: the section header ends the file");
	if (pread(fd, sh, sizeof(sh), shoff) != sizeof(sh))
		memset(sh, 0xff, sizeof(sh));
	memcpy(&info, sh + 44, 4);
	is_int(info, NVMAS + 2, "sh_info: the real count (VMAs, gate, note)");
	is_int(sh[4], 0, "sh_type SHT_NULL");
	is_int(sh[32], 1, "sh_size: e_shnum");
	close(fd);
out:
	vmacore_gcore_destroy(g);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

int main(void)
{
	test_auxv();
	test_thread_loop();
	test_xnum();
	return tap_done();
}
