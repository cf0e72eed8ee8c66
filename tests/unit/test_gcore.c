// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_gcore.c - vmacore_gcore_write() on hostile mms laid out in a fake
 * target: VMAs that overlap or run past the end of the address space, a
 * VMA tree that loops, page tables that loop or point outside memory.
 * Each case must end in a clear error or a core with its losses counted,
 * never a crash or a hang, and never a file larger than its headers plus
 * the sizes of the VMAs it was given.  Each case runs in a child process
 * under alarm(): a crash or a hang fails that case only.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_kernel.h"
#include "tap.h"

#define PAGE 4096ULL
#define NVMAS 40
/* include/linux/mm.h */
#define VM_RW_ANON 0x73ULL	/* READ|WRITE|MAYREAD|MAYWRITE|MAYEXEC */
/* x86_64 pte bits: NX, A, U, W, P */
#define PTE_USER 0x8000000000000027ULL
#define CASE_SECONDS 5

struct env {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	uint64_t mm, pgd;
	uint64_t vmas[NVMAS + 1];
	uint64_t nodes[4096];
	unsigned int n, nnodes, mapped;
};

static unsigned long logs;

#define FAKE_NAMES2 0xffffffff82280000ULL

/*
 * vmaflag_names[] (mm/debug.c) with VM_PFNMAP and VM_IO, which gcore
 * needs (check_vma_flags()); the fake's own array stops at bit 8.
 */
static void flag_names(struct fake_target *f)
{
	static const char *const names[] = {
		"read", "write", "exec", "shared", "mayread", "maywrite",
		"mayexec", "mayshare", "growsdown",
	};
	static const struct { uint64_t mask; const char *name; } more[] = {
		{ 0x400, "pfnmap" }, { 0x4000, "io" },
	};
	unsigned int i, n = 0;
	uint64_t str = FAKE_NAMES2 + 0x1000;

	for (i = 0; i < 9 + 2; i++, n++, str += 32) {
		const char *name = i < 9 ? names[i] : more[i - 9].name;

		fake_w64(f, FAKE_NAMES2 + 16 * n,
			 i < 9 ? 1ULL << i : more[i - 9].mask);
		fake_w64(f, FAKE_NAMES2 + 16 * n + 8, str);
		fake_write(f, str, name, strlen(name) + 1);
	}
	fake_w64(f, FAKE_NAMES2 + 16 * n, 0);
	fake_w64(f, FAKE_NAMES2 + 16 * n + 8, 0);
	fake_symbol(f, "vmaflag_names", FAKE_NAMES2, 16 * (n + 1));
}

static void log_fn(void *arg, const char *msg)
{
	logs++;
}

/*
 * @n anonymous private VMAs (anon_vma set: dumped in full with the
 * default filter 0x33) of 1..3 pages, each page of the first of every
 * VMA mapped to a physical page filled with a non-zero byte.
 */
static void env_init(struct env *e, unsigned int n,
		     void (*before_tree)(struct env *e))
{
	uint64_t a = 0x400000, p, len;
	unsigned char buf[PAGE];
	unsigned int i;

	memset(e, 0, sizeof(*e));
	e->f = fake_create();
	fake_layout_default(e->f);
	flag_names(e->f);
	e->ctx = fake_phys_ctx(e->f);
	vmacore_ctx_set_log(e->ctx, log_fn, NULL);
	e->mm = fake_mm(e->f);
	e->pgd = fake_alloc(e->f, PAGE, PAGE);
	fake_w64(e->f, e->mm + MM_PGD, e->pgd);
	/* MMF_DUMP_FILTER_SHIFT 2, coredump_filter 0x33; dumpable 1 */
	fake_w64(e->f, e->mm + MM_FLAGS, (0x33ULL << 2) | 1);
	e->n = n;
	for (i = 0; i < n; i++) {
		len = PAGE * (1 + i % 3);
		a += PAGE * (i % 2);
		e->vmas[i] = fake_vma(e->f, e->mm, a, a + len, VM_RW_ANON);
		fake_w64(e->f, e->vmas[i] + V_ANON_VMA, 0xffff888099990000ULL);
		p = fake_phys_alloc(e->f);
		memset(buf, 0x40 + i % 64, sizeof(buf));
		fake_write(e->f, FAKE_PHYS_WINDOW + p, buf, sizeof(buf));
		fake_map_page(e->f, e->pgd, a, p | PTE_USER);
		e->mapped++;
		a += len;
	}
	/* damage the tree agrees with (its pivots from the VMAs) */
	if (before_tree)
		before_tree(e);
	e->nnodes = fake_tree_build(e->f, e->mm, e->vmas, n, 10, 6, e->nodes);
}

static void env_fini(struct env *e)
{
	vmacore_ctx_destroy(e->ctx);
	fake_destroy(e->f);
}

/* The physical address of the table that holds @vaddr's entry at @level */
static uint64_t table_of(struct env *e, uint64_t vaddr, int level)
{
	uint64_t table = e->pgd - FAKE_PHYS_WINDOW, entry;
	int l;

	for (l = 4; l > level; l--) {
		entry = fake_r64(e->f, l == 4 ? e->pgd +
				 ((vaddr >> 39) & 511) * 8 :
				 FAKE_PHYS_WINDOW + table +
				 ((vaddr >> (12 + 9 * (l - 1))) & 511) * 8);
		table = entry & 0x000ffffffffff000ULL;
	}
	return table;
}

/* The entry of @vaddr at @level (4 pgd .. 1 pte), a fake kernel address */
static uint64_t entry_at(struct env *e, uint64_t vaddr, int level)
{
	uint64_t idx = (vaddr >> (12 + 9 * (level - 1))) & 511;

	if (level == 4)
		return e->pgd + idx * 8;
	return FAKE_PHYS_WINDOW + table_of(e, vaddr, level) + idx * 8;
}

/* What a case expects of the outcome */
enum want {
	WANT_COMPLETE = 1,	/* no error, nothing lost */
	WANT_ERR_OR_LOSS = 2,	/* an error, or losses counted */
	WANT_MISSING = 4,	/* no error, pages_missing > 0 */
	WANT_BOUNDED = 8,	/* any outcome: no crash, no hang, bounded */
};

/*
 * Run vmacore_gcore_write() on @e into a temporary file and judge it in
 * this (child) process: exit 0 when it holds, 1 (with "#" lines) when not.
 */
static int judge(struct env *e, enum want want)
{
	struct vmacore_task task = { .pid = 42, .tgid = 42, .mm = e->mm,
				     .is_leader = true };
	char path[] = "/tmp/test_gcore.XXXXXX";
	uint64_t bound, start, end;
	struct vmacore_gcore *g = NULL;
	struct vmacore_error *err;
	struct stat st;
	unsigned int i;
	int fd, bad = 0;

	strcpy(task.comm, "hostile");
	fd = mkstemp(path);
	if (fd < 0) {
		printf("#   mkstemp: %s\n", strerror(errno));
		return 1;
	}
	unlink(path);
	err = vmacore_gcore_write(e->ctx, &task, -1, fd, NULL, NULL, &g);
	if (fstat(fd, &st) < 0)
		st.st_size = -1;
	close(fd);
	/* headers (ehdr, PT_NOTE, a PT_LOAD per VMA and the gate) + data */
	bound = (64 + 56 * (e->n + 2) + PAGE - 1) / PAGE * PAGE;
	for (i = 0; i < e->n; i++) {
		start = fake_r64(e->f, e->vmas[i] + V_START);
		end = fake_r64(e->f, e->vmas[i] + V_END);
		if (end > start)
			bound += end - start;
	}
	if (st.st_size < 0 || (uint64_t)st.st_size > bound) {
		printf("#   file of %lld bytes, bound %llu\n",
		       (long long)st.st_size, (unsigned long long)bound);
		bad = 1;
	}
	if (err)
		printf("#   error: %s\n", err->message);
	if (g)
		printf("#   %zu PT_LOADs, %llu bytes, %llu written, %llu holes, %llu missing, %llu VMA losses\n",
		       g->nr_vmas, (unsigned long long)g->size,
		       (unsigned long long)g->pages_written,
		       (unsigned long long)g->pages_hole,
		       (unsigned long long)g->pages_missing,
		       (unsigned long long)g->vma_losses);
	switch (want) {
	case WANT_COMPLETE:
		if (err || !g || g->nr_vmas != e->n || g->pages_missing ||
		    g->vma_losses || g->pages_written != e->mapped ||
		    (uint64_t)st.st_size != g->size)
			bad = 1;
		break;
	case WANT_ERR_OR_LOSS:
		if (!err && (!g || (!g->vma_losses && !g->pages_missing &&
				    !g->unknown)))
			bad = 1;
		if (err && !err->message[0])
			bad = 1;
		break;
	case WANT_MISSING:
		if (err || !g || !g->pages_missing)
			bad = 1;
		break;
	case WANT_BOUNDED:
		break;
	}
	vmacore_error_destroy(err);
	vmacore_gcore_destroy(g);
	return bad;
}

/*
 * Build with @before_tree (damage the maple tree is then built to agree
 * with) and @damage (after it), run judge() in a child under alarm(), say
 * ok.
 */
static void run_case(const char *what, void (*before_tree)(struct env *e),
		     void (*damage)(struct env *e), enum want want)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct env e;
		int bad;

		alarm(CASE_SECONDS);
		env_init(&e, NVMAS, before_tree);
		if (damage)
			damage(&e);
		bad = judge(&e, want);
		env_fini(&e);
		fflush(stdout);
		_exit(bad);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		ok(0, "%s: cannot run the case", what);
		return;
	}
	if (WIFSIGNALED(st)) {
		ok(0, "%s: %s", what, WTERMSIG(st) == SIGALRM ?
		   "still running after 5 s (unbounded)" :
		   strsignal(WTERMSIG(st)));
	} else {
		ok(WEXITSTATUS(st) == 0, "%s", what);
	}
}

/* A VMA that reaches into the next two (its tree range stays) */
static void overlap(struct env *e)
{
	fake_w64(e->f, e->vmas[10] + V_END,
		 fake_r64(e->f, e->vmas[12] + V_END));
}

/* A VMA that starts inside the previous one */
static void overlap_start(struct env *e)
{
	fake_w64(e->f, e->vmas[20] + V_START,
		 fake_r64(e->f, e->vmas[19] + V_START));
}

/* The last VMA ends at the top of the 64-bit space */
static void past_end(struct env *e)
{
	fake_w64(e->f, e->vmas[e->n - 1] + V_END, 0xfffffffffffff000ULL);
}

/* A VMA beyond the user address space (47 bits), in the kernel's half */
static void kernel_half(struct env *e)
{
	fake_w64(e->f, e->vmas[e->n - 1] + V_START, 0xffff888000000000ULL);
	fake_w64(e->f, e->vmas[e->n - 1] + V_END, 0xffff888100000000ULL);
}

/* vm_end below vm_start */
static void inverted(struct env *e)
{
	uint64_t v = e->vmas[5];

	fake_w64(e->f, v + V_END, fake_r64(e->f, v + V_START) - PAGE);
}

/* The maple tree loops: a slot of the root points back to the root */
static void tree_loop(struct env *e)
{
	uint64_t root = fake_r64(e->f, e->mm + MM_MT + MT_ROOT);

	fake_w64(e->f, (root & ~255ULL) + MA64_SLOT + 8, root);
}

/* The root's first child is the same node as its second */
static void tree_twice(struct env *e)
{
	uint64_t root = fake_r64(e->f, e->mm + MM_MT + MT_ROOT) & ~255ULL;

	fake_w64(e->f, root + MA64_SLOT, fake_r64(e->f, root + MA64_SLOT + 8));
}

/* The PMD entry of the VMAs points at its own page (the PMD table) */
static void pmd_self(struct env *e)
{
	uint64_t a = fake_r64(e->f, e->vmas[3] + V_START);
	uint64_t pmd = table_of(e, a, 2);

	fake_w64(e->f, entry_at(e, a, 2), pmd | 0x67);
}

/* The PUD entry points at its own page */
static void pud_self(struct env *e)
{
	uint64_t a = fake_r64(e->f, e->vmas[3] + V_START);

	fake_w64(e->f, entry_at(e, a, 3), table_of(e, a, 3) | 0x67);
}

/* The PGD entry points at the pgd itself (a kernel address's frame) */
static void pgd_self(struct env *e)
{
	uint64_t a = fake_r64(e->f, e->vmas[3] + V_START);

	fake_w64(e->f, entry_at(e, a, 4),
		 (e->pgd - FAKE_PHYS_WINDOW) | 0x67);
}

/* PTEs of pages far outside memory (pfn 2^40 - 1) */
static void pte_outside(struct env *e)
{
	unsigned int i;

	for (i = 0; i < e->n; i += 4)
		fake_w64(e->f, entry_at(e, fake_r64(e->f, e->vmas[i] + V_START), 1),
			 (0xffffffffffULL << 12) | PTE_USER);
}

/* The PMD entry points at a table outside memory */
static void pmd_outside(struct env *e)
{
	uint64_t a = fake_r64(e->f, e->vmas[3] + V_START);

	fake_w64(e->f, entry_at(e, a, 2), (0xfffffffffULL << 12) | 0x67);
}

/* A data page the dump filtered out */
static void page_nodata(struct env *e)
{
	uint64_t a = fake_r64(e->f, e->vmas[7] + V_START);
	uint64_t pte = fake_r64(e->f, entry_at(e, a, 1));

	fake_nodata(e->f, FAKE_PHYS_WINDOW + (pte & 0x000ffffffffff000ULL));
}

/* A VMA struct outside memory */
static void vma_unreadable(struct env *e)
{
	fake_unmap(e->f, e->vmas[15] & ~(PAGE - 1));
}

int main(void)
{
	run_case("an mm of 40 VMAs: the whole core, every mapped page",
		 NULL, NULL, WANT_COMPLETE);
	/* the VMAs disagree with their maple tree ranges */
	run_case("a VMA overlapping the next two: error or loss, bounded",
		 NULL, overlap, WANT_ERR_OR_LOSS);
	run_case("a VMA starting inside the previous: error or loss, bounded",
		 NULL, overlap_start, WANT_ERR_OR_LOSS);
	run_case("a VMA running to the end of the 64-bit space: error or loss, bounded",
		 NULL, past_end, WANT_ERR_OR_LOSS);
	run_case("a VMA in the kernel half of the address space: error or loss, bounded",
		 NULL, kernel_half, WANT_ERR_OR_LOSS);
	run_case("a VMA with vm_end below vm_start: error or loss, bounded",
		 NULL, inverted, WANT_ERR_OR_LOSS);
	/* the same, with a maple tree that agrees with the VMAs */
	run_case("tree agrees: a VMA overlapping the next two: error or loss, bounded",
		 overlap, NULL, WANT_ERR_OR_LOSS);
	run_case("tree agrees: a VMA starting inside the previous: error or loss, bounded",
		 overlap_start, NULL, WANT_ERR_OR_LOSS);
	run_case("tree agrees: a VMA running to the end of the 64-bit space: error or loss, bounded",
		 past_end, NULL, WANT_ERR_OR_LOSS);
	run_case("tree agrees: a VMA in the kernel half: error or loss, bounded",
		 kernel_half, NULL, WANT_ERR_OR_LOSS);
	run_case("a VMA tree that loops to its root: error or loss, bounded",
		 NULL, tree_loop, WANT_ERR_OR_LOSS);
	run_case("a VMA tree with one node reached twice: error or loss, bounded",
		 NULL, tree_twice, WANT_ERR_OR_LOSS);
	run_case("a VMA whose struct is not in the dump: error or loss, bounded",
		 NULL, vma_unreadable, WANT_ERR_OR_LOSS);
	/*
	 * A walk of fixed depth cannot loop: a table entry pointing at its
	 * own page makes that page the next level's table, as the MMU would
	 * read it.  The core stays bounded; no crash.
	 */
	run_case("a PMD entry pointing at its own page: no crash, bounded",
		 NULL, pmd_self, WANT_BOUNDED);
	run_case("a PUD entry pointing at its own page: no crash, bounded",
		 NULL, pud_self, WANT_BOUNDED);
	run_case("a PGD entry pointing at the pgd: no crash, bounded",
		 NULL, pgd_self, WANT_BOUNDED);
	run_case("PTEs of frames outside memory: pages missing, bounded",
		 NULL, pte_outside, WANT_MISSING);
	run_case("a PMD entry to a table outside memory: pages missing, bounded",
		 NULL, pmd_outside, WANT_MISSING);
	run_case("a data page filtered out of the dump: pages missing, bounded",
		 NULL, page_nodata, WANT_MISSING);
	return tap_done();
}
