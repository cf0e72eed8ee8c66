// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmcores/workload.c - the guest side of the reference dumps.
 *
 * A static program run by the guest's /init (vmcores/init.sh).  It has
 * three commands:
 *
 *   workload setup DIR      start the workload processes, wait until each
 *                           has built its mappings, let KSM merge, then stop
 *                           ksmd; writes DIR/procs.tsv and DIR/samples/PID
 *                           and DIR/meta.workload (key=value lines init.sh
 *                           appends to meta)
 *   workload collect DIR    record the truth: maps, VmFlags, smaps,
 *                           smaps_rollup, status,
 *                           coredump_filter, pagemap PFNs of the sampled
 *                           pages and every (pid, vaddr) mapping them,
 *                           threads.tsv (each thread's comm, the function
 *                           it sleeps in, its /proc syscall line)
 *   workload cores DIR PID...  SIGQUIT each PID, wait for its core file
 *                           and check it is whole (DIR/core.PID)
 *   workload tasks FILE     every task: pid tgid ppid comm state mm vmas
 *   workload sparse FILE    write FILE's data extents to stdout
 *
 * The workload processes build every mapping class listed in
 * docs/truth-format.md at fixed addresses, each region followed by a
 * one-page hole so that the kernel cannot merge neighbours, and then sleep
 * in pause() until the host has dumped the guest (the "threads" process:
 * four threads, each in its own system call; see threads()).
 *
 * Environment: VMAS (default 20000), the number of VMAs of the "many"
 * process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <elf.h>
#include <pthread.h>
#include <semaphore.h>
#include <linux/perf_event.h>
#include <netinet/in.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

#define PAGE 4096UL
#define HPAGE (2UL << 20)
#define REGION_BASE 0x200000000UL	/* 8 GiB: far from brk and mmap_base */
#define MANY_BASE 0x10000000000UL	/* 1 TiB */
#define FILES "/tmp/vmacore"

static const char *truth_dir;
static int ready_fd = -1;
static FILE *samples;
static unsigned long next_addr = REGION_BASE;
/* Shared regions of the mapper that its child faults in after fork. */
static char *shared_anon, *shared_memfd, *shared_hugetlb;

__attribute__((noreturn, format(printf, 1, 2)))
static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "VMACORE-FAIL workload[%d]: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

__attribute__((format(printf, 1, 2)))
static void warn_msg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "workload[%d]: warning: ", (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0644);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("cannot write %s: %s", path, strerror(errno));
	close(fd);
}

static long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 0);
}

/* Reserve @size bytes at the next free address, aligned to @align. */
static unsigned long place(unsigned long size, unsigned long align)
{
	unsigned long a = (next_addr + align - 1) & ~(align - 1);

	next_addr = a + size + PAGE;	/* one-page hole: no merge */
	return a;
}

static char *map_at(unsigned long size, unsigned long align, int prot,
		    int flags, int fd, off_t off, const char *what)
{
	unsigned long a = place(size, align);
	void *p = mmap((void *)a, size, prot,
		       flags | MAP_FIXED_NOREPLACE, fd, off);

	if (p == MAP_FAILED)
		die("mmap %s: %s", what, strerror(errno));
	if ((unsigned long)p != a)
		die("mmap %s: got %p, not 0x%lx", what, p, a);
	return p;
}

static char *map_anon(unsigned long npages, int extra, const char *what)
{
	return map_at(npages * PAGE, PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0, what);
}

static void sample(const void *addr, const char *class)
{
	fprintf(samples, "0x%lx\t%s\n", (unsigned long)addr, class);
}

static void sample_range(const char *p, unsigned long first,
			 unsigned long last, const char *class)
{
	for (unsigned long i = first; i <= last; i++)
		sample(p + i * PAGE, class);
}

/* Write a page pattern private to this process (no KSM merge). */
static void touch(char *p, unsigned long npages, int tag)
{
	for (unsigned long i = 0; i < npages; i++)
		snprintf(p + i * PAGE, PAGE, "vmacore %d %d page %lu",
			 (int)getpid(), tag, i);
}

static volatile unsigned long sink;

static void read_pages(const char *p, unsigned long npages)
{
	for (unsigned long i = 0; i < npages; i++)
		sink += *(const volatile char *)(p + i * PAGE);
}

static int make_file(const char *path, unsigned long npages, mode_t mode,
		     const char *tag)
{
	char buf[PAGE];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	for (unsigned long i = 0; i < npages; i++) {
		memset(buf, 0, sizeof(buf));
		snprintf(buf, sizeof(buf), "%s page %lu\n", tag, i);
		if (write(fd, buf, PAGE) != (ssize_t)PAGE)
			die("write %s: %s", path, strerror(errno));
	}
	return fd;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in = open(from, O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (in < 0 || out < 0)
		die("copy %s to %s: %s", from, to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			die("write %s: %s", to, strerror(errno));
	if (n < 0)
		die("read %s: %s", from, strerror(errno));
	close(in);
	if (close(out))
		die("write %s: %s", to, strerror(errno));
}

static void open_samples(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/samples/%d", truth_dir,
		 (int)getpid());
	samples = fopen(path, "w");
	if (!samples)
		die("cannot create %s: %s", path, strerror(errno));
}

/*
 * Record that the calling thread is about to block in @func (its __func__):
 * "tid\tfunc" in DIR/sleepers.tsv, which collect joins into threads.tsv.
 */
static void sleeper(const char *func)
{
	char path[256], line[128];
	int fd, n;

	snprintf(path, sizeof(path), "%s/sleepers.tsv", truth_dir);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
	n = snprintf(line, sizeof(line), "%d\t%s\n", (int)gettid(), func);
	if (fd < 0 || write(fd, line, n) != n || close(fd))
		die("cannot write %s", path);
}

/* Tell the setup process this one is ready. */
static void report_ready(const char *role)
{
	char line[128];
	int n;

	if (fclose(samples))
		die("cannot write samples: %s", strerror(errno));
	samples = NULL;
	n = snprintf(line, sizeof(line), "%d\t%s\n", (int)getpid(), role);
	if (write(ready_fd, line, n) != n)
		die("cannot report ready");
	close(ready_fd);
}

/*
 * Report ready, then freeze.  Not inlined: gdb's backtrace of a
 * single-threaded workload process names it (truth/threads.tsv).
 */
__attribute__((noinline, noclone, noreturn))
static void ready_and_sleep(const char *role)
{
	report_ready(role);
	sleeper(__func__);
	for (;;)
		pause();
}

static void set_name(const char *role)
{
	char name[16];

	snprintf(name, sizeof(name), "wl-%s", role);
	prctl(PR_SET_NAME, name, 0, 0, 0);
}

static void set_filter(const char *hex)
{
	write_file("/proc/self/coredump_filter", hex);
}

/* Append "key=value" to DIR/meta.workload (init.sh adds it to meta). */
__attribute__((format(printf, 2, 3)))
static void meta_add(const char *key, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/meta.workload", truth_dir);
	f = fopen(path, "a");
	if (!f)
		die("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "%s=", key);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fprintf(f, "\n");
	if (fclose(f))
		die("cannot write %s: %s", path, strerror(errno));
}

/*
 * Anonymous VMA names, prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME): only with
 * CONFIG_ANON_VMA_NAME (Debian's cloud kernels 6.1, 6.12 and 7.2 lack it:
 * EINVAL), on MAP_SHARED|MAP_ANONYMOUS only since v6.7 ("mm: anonymous
 * shared memory naming"; 6.1 says EBADF).  The middle two pages of each
 * region are named, splitting it in three.  Outcome in meta.
 */
static void anon_names(void)
{
	char *p;

	p = map_anon(4, 0, "anon named");
	touch(p, 4, 20);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, p + PAGE, 2 * PAGE,
		  "vmacore anon-name"))
		meta_add("anon_vma_name", "no (%s)", strerror(errno));
	else
		meta_add("anon_vma_name", "0x%lx", (unsigned long)p + PAGE);

	p = map_at(4 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0, "shmem named");
	touch(p, 4, 21);
	if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, p + PAGE, 2 * PAGE,
		  "vmacore shmem-name"))
		meta_add("anon_shmem_name", "no (%s)", strerror(errno));
	else
		meta_add("anon_shmem_name", "0x%lx", (unsigned long)p + PAGE);
}

/* start_brk: field 47 of /proc/self/stat (proc_pid_stat(), fs/proc/array.c) */
static unsigned long stat_start_brk(void)
{
	char buf[1024], *p;
	unsigned long v = 0;
	int fd = open("/proc/self/stat", O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');	/* fields 3.. follow the comm */
	for (int field = 2; p && field < 47; field++)
		p = strchr(p + 1, ' ');
	if (p)
		v = strtoul(p + 1, NULL, 10);
	return v;
}

/* A read-only one-page VMA at exactly @a (no merge with rw neighbours). */
static void edge_vma(unsigned long a, const char *key)
{
	void *m;

	if (!a) {
		meta_add(key, "no (address unknown)");
		return;
	}
	m = mmap((void *)a, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (m == MAP_FAILED)
		meta_add(key, "no (%s)", strerror(errno));
	else if ((unsigned long)m != a)
		meta_add(key, "no (got %p)", m);
	else
		meta_add(key, "0x%lx", a);
}

/*
 * VMAs touching [heap] and [stack] at their edges.  6.1's show_map_vma()
 * names [heap] any VMA with vm_start <= brk && vm_end >= start_brk;
 * vma_is_initial_heap() (include/linux/mm.h, v6.6+) has < and >.  So a
 * VMA starting exactly at mm->brk (brk made page aligned first, so the
 * heap ends there) and one ending exactly at start_brk are [heap] on 6.1
 * only.  The stack: a VMA right above the [stack] VMA, which
 * vma_is_initial_stack() (is_stack() in 6.1) must not name.
 */
static void heap_stack_edges(void)
{
	unsigned long brk = (unsigned long)sbrk(0), start_brk, stack_end = 0;
	char line[512];
	FILE *f;

	if (brk & (PAGE - 1)) {
		if (sbrk(PAGE - (brk & (PAGE - 1))) == (void *)-1)
			die("sbrk: %s", strerror(errno));
		brk = (unsigned long)sbrk(0);
	}
	start_brk = stat_start_brk();
	meta_add("heap_start_brk", "0x%lx", start_brk);
	meta_add("heap_brk", "0x%lx", brk);
	edge_vma(brk & (PAGE - 1) ? 0 : brk, "heap_edge_above");
	edge_vma(start_brk > PAGE ? start_brk - PAGE : 0, "heap_edge_below");

	f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (strstr(line, "[stack]") &&
		    sscanf(line, "%lx-%lx", &s, &e) == 2)
			stack_end = e;
	}
	if (f)
		fclose(f);
	edge_vma(stack_end, "stack_edge_above");
}

/* Map one page of @path (read only) and record it in meta as @key. */
static void map_named(const char *path, int flags, const char *key)
{
	int fd = open(path, O_RDWR);
	char *p;

	if (fd < 0) {
		meta_add(key, "no (open: %s)", strerror(errno));
		return;
	}
	p = map_at(PAGE, PAGE, PROT_READ, flags, fd, 0, key);
	read_pages(p, 1);
	close(fd);
	meta_add(key, "0x%lx", (unsigned long)p);
}

/*
 * Name rules of d_path() (fs/d_path.c) and seq_path() that only these
 * mappings reach: an unlinked file (d_unlinked(): " (deleted)"), a
 * newline in a name (mangle_path(): "\012"), a file bind-mounted on
 * another (its dentry is the mount's root: the mountpoint's path), a
 * file renamed out of a bind-mounted directory (__prepend_path() finds
 * it "escaped": maps shows "/"), a file of a lazily unmounted tmpfs (a
 * detached mount: the path below its root).  Each VMA's address (or why
 * it is missing) is in meta as path_*.
 */
static void path_rules(void)
{
	close(make_file(FILES "/unlinked.dat", 1, 0644, "unlinked"));
	map_named(FILES "/unlinked.dat", MAP_SHARED, "path_unlinked");
	if (unlink(FILES "/unlinked.dat"))
		die("unlink: %s", strerror(errno));

	close(make_file(FILES "/new\nline.dat", 1, 0644, "newline"));
	map_named(FILES "/new\nline.dat", MAP_PRIVATE, "path_newline");

	close(make_file(FILES "/bind-target.dat", 1, 0644, "target"));
	if (mount(FILES "/private.dat", FILES "/bind-target.dat", NULL,
		  MS_BIND, NULL))
		meta_add("path_bind_file", "no (mount: %s)", strerror(errno));
	else
		map_named(FILES "/bind-target.dat", MAP_PRIVATE,
			  "path_bind_file");

	mkdir(FILES "/sub", 0755);
	mkdir(FILES "/bindsub", 0755);
	close(make_file(FILES "/sub/escaped.dat", 1, 0644, "escaped"));
	if (mount(FILES "/sub", FILES "/bindsub", NULL, MS_BIND, NULL)) {
		meta_add("path_escaped", "no (mount: %s)", strerror(errno));
	} else {
		map_named(FILES "/bindsub/escaped.dat", MAP_PRIVATE,
			  "path_escaped");
		if (rename(FILES "/sub/escaped.dat", FILES "/escaped.dat"))
			die("rename: %s", strerror(errno));
	}

	mkdir(FILES "/mnt", 0755);
	if (mount("vmacore-tmpfs", FILES "/mnt", "tmpfs", 0, "size=64k")) {
		meta_add("path_detached", "no (mount: %s)", strerror(errno));
	} else {
		close(make_file(FILES "/mnt/detached.dat", 1, 0644,
				"detached"));
		map_named(FILES "/mnt/detached.dat", MAP_PRIVATE,
			  "path_detached");
		if (umount2(FILES "/mnt", MNT_DETACH))
			die("umount2: %s", strerror(errno));
	}

	/*
	 * A TCP socket mapped read-only (tcp_mmap(), net/ipv4/tcp.c:
	 * VM_MIXEDMAP, no page until a zerocopy receive): "socket:[INODE]"
	 * from sockfs_dname(), net/socket.c.
	 */
	{
		int sfd = socket(AF_INET, SOCK_STREAM, 0);
		unsigned long a = place(PAGE, PAGE);
		void *m = MAP_FAILED;

		if (sfd >= 0)
			m = mmap((void *)a, PAGE, PROT_READ,
				 MAP_SHARED | MAP_FIXED_NOREPLACE, sfd, 0);
		if (m == MAP_FAILED)
			meta_add("path_socket", "no (%s)", strerror(errno));
		else
			meta_add("path_socket", "0x%lx", a);
		if (sfd >= 0)
			close(sfd);
	}

	/*
	 * MAP_PRIVATE /dev/zero: mmap_zero() makes it anonymous
	 * (vma_set_anonymous()) but vm_file stays: maps shows /dev/zero and
	 * a core dump treats it as a private file mapping with anon pages.
	 */
	{
		int zfd = open("/dev/zero", O_RDWR);
		char *z;

		if (zfd < 0)
			die("open /dev/zero: %s", strerror(errno));
		z = map_at(4 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE,
			   zfd, 0, "private /dev/zero");
		touch(z, 2, 22);
		close(zfd);
		meta_add("path_devzero_private", "0x%lx", (unsigned long)z);
	}
}

/* The KSM pattern: pages with equal @k have equal contents. */
static void ksm_fill(char *p, unsigned long npages)
{
	for (unsigned long i = 0; i < npages; i++) {
		memset(p + i * PAGE, 0x40 + (int)(i % 4), PAGE);
		snprintf(p + i * PAGE, 64, "vmacore ksm pattern %lu", i % 4);
	}
}

/* The child of the mapper: shares its not-yet-written anon pages. */
static void forkchild(char *anon, char *wipe)
{
	set_name("forkchild");
	set_filter("0x7e");
	open_samples();
	/* Break COW on pages 0-3; pages 4-7 stay shared with the parent. */
	touch(anon, 4, 2);
	sample_range(anon, 0, 3, "anon_cow_broken");
	sample_range(anon, 4, 7, "fork_cow_shared");
	touch(wipe, 2, 3);
	sample_range(wipe, 0, 1, "wipeonfork_child");
	/* Shared mappings are not copied at fork: fault some in. */
	read_pages(shared_anon, 4);
	read_pages(shared_memfd, 4);
	read_pages(shared_hugetlb, 1);
	ready_and_sleep("forkchild");
}

static void mapper(void)
{
	char *p, *anon, *wipe;
	int fd, stack_var = 1;

	set_name("mapper");
	open_samples();

	/* anon private: 0-7 touched, 8-15 untouched */
	anon = map_anon(16, 0, "anon");
	touch(anon, 8, 1);
	sample_range(anon, 0, 3, "anon");	/* the child writes these */

	p = map_at(8 * PAGE, PAGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0, "shared anon");
	touch(p, 8, 1);
	sample_range(p, 0, 7, "shared_anon");
	shared_anon = p;

	/* tmpfs file shared at two overlapping offsets */
	fd = open(FILES "/shared.dat", O_RDWR);
	if (fd < 0)
		die("open shared.dat: %s", strerror(errno));
	p = map_at(8 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0,
		   "tmpfs shared off 0");
	read_pages(p, 8);
	p[100] = 'w';
	sample_range(p, 0, 7, "tmpfs_shared");
	p = map_at(8 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		   4 * PAGE, "tmpfs shared off 4");
	read_pages(p, 8);
	sample_range(p, 4, 7, "tmpfs_shared");
	close(fd);

	/* private file: 0-3 written (COW), 4-11 read, 12-15 untouched */
	fd = open(FILES "/private.dat", O_RDONLY);
	if (fd < 0)
		die("open private.dat: %s", strerror(errno));
	p = map_at(16 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd,
		   0, "private file");
	touch(p, 4, 4);
	read_pages(p + 4 * PAGE, 8);
	sample_range(p, 0, 3, "private_file_cow");
	sample_range(p, 4, 11, "private_file_clean");
	close(fd);

	/* executable ELF file at offset 0 (the core dump ELF-header rule) */
	fd = open("/bin/busybox", O_RDONLY);
	if (fd < 0)
		die("open busybox: %s", strerror(errno));
	p = map_at(16 * PAGE, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0,
		   "exec file");
	read_pages(p, 16);
	sample_range(p, 0, 3, "exec_file");
	close(fd);
	sample((void *)((unsigned long)&mapper & ~(PAGE - 1)), "exec_self");

	/* non-ELF executable file, non-executable ELF, plain text */
	fd = open(FILES "/script.sh", O_RDONLY);
	if (fd < 0)
		die("open script.sh: %s", strerror(errno));
	p = map_at(2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE, fd, 0, "script");
	read_pages(p, 2);
	close(fd);
	fd = open(FILES "/elfcopy", O_RDONLY);
	if (fd < 0)
		die("open elfcopy: %s", strerror(errno));
	p = map_at(2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE, fd, 0, "elfcopy");
	read_pages(p, 2);
	close(fd);
	fd = open(FILES "/text.txt", O_RDONLY);
	if (fd < 0)
		die("open text.txt: %s", strerror(errno));
	p = map_at(2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE, fd, 0, "text");
	read_pages(p, 2);
	close(fd);

	/* MAP_GROWSDOWN: only the top page touched */
	p = map_anon(4, MAP_GROWSDOWN, "growsdown");
	touch(p + 3 * PAGE, 1, 5);
	sample(p + 3 * PAGE, "growsdown");

	p = map_anon(4, 0, "mlock");
	if (mlock(p, 4 * PAGE))
		warn_msg("mlock: %s", strerror(errno));
	touch(p, 4, 6);
	sample_range(p, 0, 3, "mlock");

	p = map_anon(4, 0, "mlock onfault");
	if (mlock2(p, 4 * PAGE, MLOCK_ONFAULT))
		warn_msg("mlock2: %s", strerror(errno));
	touch(p, 2, 7);
	sample_range(p, 0, 1, "mlock_onfault");

	p = map_anon(4, 0, "dontdump");
	touch(p, 4, 8);
	if (madvise(p, 4 * PAGE, MADV_DONTDUMP))
		die("MADV_DONTDUMP: %s", strerror(errno));
	sample_range(p, 0, 1, "dontdump");

	p = map_anon(4, 0, "dontfork");
	touch(p, 4, 9);
	if (madvise(p, 4 * PAGE, MADV_DONTFORK))
		die("MADV_DONTFORK: %s", strerror(errno));
	sample_range(p, 0, 1, "dontfork");

	wipe = map_anon(4, 0, "wipeonfork");
	touch(wipe, 4, 10);
	if (madvise(wipe, 4 * PAGE, MADV_WIPEONFORK))
		die("MADV_WIPEONFORK: %s", strerror(errno));
	sample_range(wipe, 0, 1, "wipeonfork");

	p = map_anon(16, 0, "mergeable");
	ksm_fill(p, 16);
	if (madvise(p, 16 * PAGE, MADV_MERGEABLE))
		die("MADV_MERGEABLE: %s", strerror(errno));
	sample_range(p, 0, 15, "ksm");

	/* THP: 4 MiB, 2 MiB aligned, first 2 MiB touched */
	p = map_at(2 * HPAGE, HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, "thp");
	if (madvise(p, 2 * HPAGE, MADV_HUGEPAGE))
		die("MADV_HUGEPAGE: %s", strerror(errno));
	memset(p, 0x11, HPAGE);
	touch(p, 1, 11);
	sample(p, "thp");
	sample(p + PAGE, "thp");
	sample(p + HPAGE - PAGE, "thp");

	p = map_at(HPAGE + 4 * PAGE, HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, "nohugepage");
	if (madvise(p, HPAGE + 4 * PAGE, MADV_NOHUGEPAGE))
		die("MADV_NOHUGEPAGE: %s", strerror(errno));
	touch(p, 2, 12);
	sample_range(p, 0, 1, "nohugepage");

	p = map_anon(8, MAP_NORESERVE, "noreserve");
	touch(p, 2, 13);
	sample_range(p, 0, 1, "noreserve");

	p = map_at(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		   -1, 0, "hugetlb private");
	touch(p, 2, 14);
	sample(p, "hugetlb");
	sample(p + PAGE, "hugetlb");
	p = map_at(HPAGE, HPAGE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB,
		   -1, 0, "hugetlb shared");
	touch(p, 2, 15);
	sample(p, "hugetlb_shared");
	sample(p + PAGE, "hugetlb_shared");
	shared_hugetlb = p;

	fd = memfd_create("vmacore-memfd", 0);
	if (fd < 0 || ftruncate(fd, 8 * PAGE))
		die("memfd: %s", strerror(errno));
	p = map_at(8 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0,
		   "memfd");
	touch(p, 8, 16);
	sample_range(p, 0, 7, "memfd");
	shared_memfd = p;
	close(fd);

	/* mprotect splits: rw | r r | rw | none | rw rw */
	p = map_anon(8, 0, "mprotect");
	touch(p, 8, 17);
	if (mprotect(p + 2 * PAGE, 2 * PAGE, PROT_READ) ||
	    mprotect(p + 5 * PAGE, PAGE, PROT_NONE))
		die("mprotect: %s", strerror(errno));
	sample(p, "mprotect_split");
	sample(p + 2 * PAGE, "mprotect_split");
	sample(p + 6 * PAGE, "mprotect_split");

	/* /dev/mem: VM_IO | VM_PFNMAP, the PFN known by construction */
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd >= 0) {
		unsigned long a = place(PAGE, PAGE);
		void *m = mmap((void *)a, PAGE, PROT_READ,
			       MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0xf0000);

		if (m == MAP_FAILED) {
			warn_msg("mmap /dev/mem: %s", strerror(errno));
		} else {
			char path[256];
			FILE *f;

			snprintf(path, sizeof(path), "%s/pfnmap.tsv",
				 truth_dir);
			f = fopen(path, "a");
			if (f) {
				fprintf(f, "0x%x\t%d\t0x%lx\tdevmem\n", 0xf0,
					(int)getpid(), a);
				fclose(f);
			}
		}
		close(fd);
	} else {
		warn_msg("open /dev/mem: %s", strerror(errno));
	}

	/* perf ring buffer: 1 + 2 pages */
	{
		struct perf_event_attr attr;
		int pfd;

		memset(&attr, 0, sizeof(attr));
		attr.size = sizeof(attr);
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = PERF_COUNT_SW_DUMMY;
		attr.disabled = 1;
		pfd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
		if (pfd < 0) {
			warn_msg("perf_event_open: %s", strerror(errno));
		} else {
			p = map_at(3 * PAGE, PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, pfd, 0, "perf");
			read_pages(p, 3);
			sample(p, "perf");
		}
	}

	/* [heap] and [stack] */
	p = sbrk(8 * PAGE);
	if (p == (void *)-1)
		die("sbrk: %s", strerror(errno));
	touch(p, 4, 18);
	sample(p, "heap");
	sample((void *)((unsigned long)&stack_var & ~(PAGE - 1)), "stack");
	heap_stack_edges();
	anon_names();
	path_rules();

	fflush(samples);
	switch (fork()) {
	case -1:
		die("fork: %s", strerror(errno));
	case 0:
		fclose(samples);
		forkchild(anon, wipe);
	}
	ready_and_sleep("mapper");
}

static void sharer(void)
{
	char *p;
	int fd;

	set_name("sharer");
	open_samples();
	fd = open(FILES "/shared.dat", O_RDWR);
	if (fd < 0)
		die("open shared.dat: %s", strerror(errno));
	p = map_at(16 * PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0,
		   "tmpfs shared");
	read_pages(p, 16);
	sample_range(p, 12, 15, "tmpfs_shared");
	close(fd);

	fd = open(FILES "/private.dat", O_RDONLY);
	if (fd < 0)
		die("open private.dat: %s", strerror(errno));
	p = map_at(16 * PAGE, PAGE, PROT_READ, MAP_PRIVATE, fd, 0,
		   "private file");
	read_pages(p, 16);
	sample_range(p, 12, 13, "private_file_clean");
	close(fd);

	fd = open("/bin/busybox", O_RDONLY);
	if (fd < 0)
		die("open busybox: %s", strerror(errno));
	p = map_at(16 * PAGE, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0,
		   "exec file");
	read_pages(p, 16);
	close(fd);

	p = map_anon(8, 0, "mergeable");
	ksm_fill(p, 8);
	if (madvise(p, 8 * PAGE, MADV_MERGEABLE))
		die("MADV_MERGEABLE: %s", strerror(errno));
	sample_range(p, 0, 7, "ksm");

	p = map_anon(4, 0, "anon");
	touch(p, 4, 1);
	sample_range(p, 0, 3, "anon");
	ready_and_sleep("sharer");
}

static void many(long nvmas)
{
	unsigned long size = nvmas * PAGE;
	char *p;

	set_name("many");
	open_samples();
	p = mmap((void *)MANY_BASE, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		 MAP_FIXED_NOREPLACE, -1, 0);
	if (p == MAP_FAILED)
		die("mmap many: %s", strerror(errno));
	/* Every odd page read-only: nvmas VMAs of one page each. */
	for (long i = 1; i < nvmas; i += 2)
		if (mprotect(p + i * PAGE, PAGE, PROT_READ))
			die("mprotect many %ld: %s", i, strerror(errno));
	for (long i = 0; i < nvmas; i += 512) {
		touch(p + i * PAGE, 1, 19);
		if (i % 4096 == 0)
			sample(p + i * PAGE, "many_anon");
	}
	ready_and_sleep("many");
}

/*
 * The "threads" process: the main thread and three pthreads, each with its
 * own comm and each blocked in its own function of this file, in a
 * different system call, so that per-thread core-file notes (NT_PRSTATUS)
 * and gdb's backtraces can be checked thread by thread.  The functions are
 * neither inlined nor cloned, and loop, so no tail call hides their frame.
 */
static pthread_mutex_t thr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thr_cond = PTHREAD_COND_INITIALIZER;
static int thr_pipe[2];
static sem_t thr_started;

/* futex wait: a condition variable nobody signals */
__attribute__((noinline, noclone))
static void *thread_sleep_condwait(void *arg)
{
	prctl(PR_SET_NAME, "wl-thr-cond", 0, 0, 0);
	pthread_mutex_lock(&thr_lock);
	sleeper(__func__);
	sem_post(&thr_started);
	for (;;)
		pthread_cond_wait(&thr_cond, &thr_lock);
	return arg;
}

/* read() of a pipe whose write end stays open and silent */
__attribute__((noinline, noclone))
static void *thread_sleep_read(void *arg)
{
	char c;

	prctl(PR_SET_NAME, "wl-thr-read", 0, 0, 0);
	sleeper(__func__);
	sem_post(&thr_started);
	for (;;)
		if (read(thr_pipe[0], &c, 1) == 1)
			sink += c;
	return arg;
}

/* nanosleep() of a day, again and again */
__attribute__((noinline, noclone))
static void *thread_sleep_nanosleep(void *arg)
{
	struct timespec ts = { 86400, 0 };

	prctl(PR_SET_NAME, "wl-thr-sleep", 0, 0, 0);
	sleeper(__func__);
	sem_post(&thr_started);
	for (;;)
		nanosleep(&ts, NULL);
	return arg;
}

/* the main thread: sigsuspend() with nothing blocked (SIGQUIT gets in) */
__attribute__((noinline, noclone, noreturn))
static void threads_sleep_sigsuspend(void)
{
	sigset_t none;

	sigemptyset(&none);
	sleeper(__func__);
	for (;;)
		sigsuspend(&none);
}

static void threads(void)
{
	void *(*const fn[])(void *) = { thread_sleep_condwait,
		thread_sleep_read, thread_sleep_nanosleep };
	pthread_t t;

	set_name("threads");
	open_samples();
	if (pipe(thr_pipe) || sem_init(&thr_started, 0, 0))
		die("threads: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++) {
		int err = pthread_create(&t, NULL, fn[i], NULL);

		if (err)
			die("pthread_create: %s", strerror(err));
	}
	for (size_t i = 0; i < sizeof(fn) / sizeof(fn[0]); i++)
		while (sem_wait(&thr_started))
			;
	report_ready("threads");
	threads_sleep_sigsuspend();
}

static void setup_files(void)
{
	mkdir(FILES, 0755);
	close(make_file(FILES "/shared.dat", 16, 0644, "shared"));
	close(make_file(FILES "/private.dat", 16, 0644, "private"));
	close(make_file(FILES "/script.sh", 2, 0755, "#!/bin/sh\n# script"));
	close(make_file(FILES "/text.txt", 2, 0644, "plain text"));
	copy_file("/bin/busybox", FILES "/elfcopy", 0644);
}

static long ksm_counter(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", name);
	return read_long(path);
}

/*
 * Run ksmd until the merge count stops growing (at least one full scan
 * after the first merge), then stop it: merged pages stay merged.
 */
static void run_ksm(void)
{
	long last = -1, scans_at_last = 0;

	write_file("/sys/kernel/mm/ksm/pages_to_scan", "10000");
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/run", "1");
	for (int i = 0; i < 600; i++) {
		long sharing = ksm_counter("pages_sharing");
		long scans = ksm_counter("full_scans");

		if (sharing != last) {
			last = sharing;
			scans_at_last = scans;
		} else if (sharing > 0 && scans >= scans_at_last + 2) {
			break;
		}
		usleep(100000);
	}
	write_file("/sys/kernel/mm/ksm/run", "0");
	if (last <= 0)
		warn_msg("KSM merged nothing");
}

static int cmd_setup(void)
{
	char path[256], line[4096];
	const char *env = getenv("VMAS");
	long nvmas = env ? strtol(env, NULL, 0) : 20000;
	int pipefd[2], nready = 0;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	FILE *in, *out;

	if (nvmas < 2)
		nvmas = 2;
	snprintf(path, sizeof(path), "%s/samples", truth_dir);
	mkdir(truth_dir, 0755);
	mkdir(path, 0755);
	setup_files();
	if (setrlimit(RLIMIT_CORE, &rl))
		die("setrlimit: %s", strerror(errno));
	if (pipe(pipefd))
		die("pipe: %s", strerror(errno));
	for (int i = 0; i < 4; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (pid)
			continue;
		close(pipefd[0]);
		ready_fd = pipefd[1];
		setsid();
		if (i == 0)
			mapper();
		else if (i == 1)
			sharer();
		else if (i == 2)
			threads();
		else
			many(nvmas);
		_exit(1);
	}
	close(pipefd[1]);
	in = fdopen(pipefd[0], "r");
	snprintf(path, sizeof(path), "%s/procs.tsv", truth_dir);
	out = fopen(path, "w");
	if (!in || !out)
		die("cannot create %s", path);
	alarm(600);
	/* mapper, its forkchild, sharer, threads, many */
	while (nready < 5 && fgets(line, sizeof(line), in)) {
		fputs(line, out);
		nready++;
	}
	if (nready < 5)
		die("only %d of 5 workload processes became ready", nready);
	fclose(out);
	run_ksm();
	return 0;
}

struct pfn {
	unsigned long pfn;
	char class[64];
};

static struct pfn *pfns;
static size_t npfns;

static int pfn_cmp(const void *a, const void *b)
{
	const struct pfn *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

static int pagemap_entry(int fd, unsigned long vaddr, uint64_t *ret)
{
	return pread(fd, ret, 8, vaddr / PAGE * 8) == 8 ? 0 : -1;
}

/* Read the samples of one workload process, add their PFNs to pfns[]. */
static void read_samples(pid_t pid, FILE *unsampled)
{
	char path[256], class[64];
	unsigned long vaddr;
	uint64_t e;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/samples/%d", truth_dir, (int)pid);
	f = fopen(path, "r");
	if (!f)
		die("no samples for %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	while (fscanf(f, "%lx %63s", &vaddr, class) == 2) {
		if (pagemap_entry(fd, vaddr, &e) ||
		    !(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1))) {
			fprintf(unsampled, "%d\t0x%lx\t%s\n", (int)pid, vaddr,
				class);
			continue;
		}
		pfns = realloc(pfns, (npfns + 1) * sizeof(*pfns));
		if (!pfns)
			die("out of memory");
		pfns[npfns].pfn = e & ((1ULL << 55) - 1);
		snprintf(pfns[npfns].class, sizeof(pfns[npfns].class), "%s",
			 class);
		npfns++;
	}
	close(fd);
	fclose(f);
}

/* Look up the PFNs of [start, end) of @pid's pagemap in pfns[]. */
static void scan_range(int fd, pid_t pid, unsigned long start,
		       unsigned long end, FILE *out)
{
	static uint64_t buf[4096];

	for (unsigned long a = start; a < end;) {
		unsigned long n = (end - a) / PAGE;
		ssize_t got;

		if (n > 4096)
			n = 4096;
		got = pread(fd, buf, n * 8, a / PAGE * 8);
		if (got <= 0)
			break;
		n = got / 8;
		for (unsigned long i = 0; i < n; i++) {
			struct pfn key, *hit;

			if (!(buf[i] & (1ULL << 63)))
				continue;
			key.pfn = buf[i] & ((1ULL << 55) - 1);
			hit = bsearch(&key, pfns, npfns, sizeof(*pfns),
				      pfn_cmp);
			if (hit)
				fprintf(out, "0x%lx\t%d\t0x%lx\t%s\n", hit->pfn,
					(int)pid, a + i * PAGE, hit->class);
		}
		a += n * PAGE;
	}
}

/*
 * Scan every VMA of @pid for sampled PFNs; adjacent VMAs are read as one
 * range (pagemap crosses VMA boundaries).
 */
static void scan_process(pid_t pid, FILE *out)
{
	char path[256], line[1024];
	unsigned long start, end, run_start = 0, run_end = 0;
	FILE *maps;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	maps = fopen(path, "r");
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	fd = open(path, O_RDONLY);
	if (!maps || fd < 0)
		goto out;
	setvbuf(maps, NULL, _IOFBF, 1 << 20);
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		if (strstr(line, "[vsyscall]"))
			continue;
		if (start != run_end) {
			scan_range(fd, pid, run_start, run_end, out);
			run_start = start;
		}
		run_end = end;
	}
	scan_range(fd, pid, run_start, run_end, out);
out:
	if (maps)
		fclose(maps);
	if (fd >= 0)
		close(fd);
}

/* smaps -> one "start-end<TAB>codes" line per VMA. */
static void write_vmflags(pid_t pid, const char *to, int keep_smaps)
{
	char path[256], line[4096], range[128] = "";
	FILE *in, *out, *copy = NULL;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	in = fopen(path, "r");
	out = fopen(to, "w");
	if (!in || !out)
		die("cannot read %s or write %s", path, to);
	setvbuf(in, NULL, _IOFBF, 1 << 20);
	if (keep_smaps) {
		snprintf(path, sizeof(path), "%s/smaps/%d", truth_dir,
			 (int)pid);
		copy = fopen(path, "w");
	}
	while (fgets(line, sizeof(line), in)) {
		unsigned long s, e;
		char c;

		if (copy)
			fputs(line, copy);
		if (sscanf(line, "%lx-%lx %c", &s, &e, &c) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			snprintf(range, sizeof(range), "%.*s",
				 (int)(strchr(line, ' ') - line), line);
		} else if (!strncmp(line, "VmFlags:", 8)) {
			char *v = line + 8;
			size_t n;

			while (*v == ' ')
				v++;
			n = strlen(v);
			while (n && (v[n - 1] == '\n' || v[n - 1] == ' '))
				v[--n] = 0;
			fprintf(out, "%s\t%s\n", range, v);
		}
	}
	fclose(in);
	if (copy)
		fclose(copy);
	if (fclose(out))
		die("cannot write %s", to);
}

/* The function DIR/sleepers.tsv says @tid blocks in, or "-". */
static void sleeper_of(int tid, char *func, size_t size)
{
	char path[256], line[256];
	FILE *f;

	snprintf(func, size, "-");
	snprintf(path, sizeof(path), "%s/sleepers.tsv", truth_dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		char name[128];
		int t;

		if (sscanf(line, "%d %127s", &t, name) == 2 && t == tid)
			snprintf(func, size, "%s", name);
	}
	if (f)
		fclose(f);
}

/*
 * DIR/threads.tsv: every thread of @pid: tgid, tid, comm, the function of
 * this file it blocks in, /proc/PID/task/TID/syscall (number, 6 arguments,
 * user sp and pc, as the kernel saved them at the thread's last entry).
 */
static void write_threads(pid_t pid, FILE *out)
{
	char path[256];
	DIR *task;
	struct dirent *de;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	task = opendir(path);
	if (!task)
		die("opendir %s: %s", path, strerror(errno));
	while ((de = readdir(task))) {
		char comm[64] = "", sys[512] = "", func[128];
		int tid = atoi(de->d_name);
		FILE *f;

		if (tid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)pid,
			 tid);
		f = fopen(path, "r");
		if (!f || !fgets(comm, sizeof(comm), f))
			die("cannot read %s", path);
		fclose(f);
		comm[strcspn(comm, "\n")] = 0;
		snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall",
			 (int)pid, tid);
		f = fopen(path, "r");
		if (!f || !fgets(sys, sizeof(sys), f))
			snprintf(sys, sizeof(sys), "-");
		if (f)
			fclose(f);
		sys[strcspn(sys, "\n")] = 0;
		sleeper_of(tid, func, sizeof(func));
		fprintf(out, "%d\t%d\t%s\t%s\t%s\n", (int)pid, tid, comm,
			func, sys);
	}
	closedir(task);
}

static int cmd_collect(void)
{
	char path[256], to[256], line[256], role[64];
	pid_t pids[16];
	int n = 0;
	FILE *procs, *out, *unsampled;
	DIR *proc;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s/procs.tsv", truth_dir);
	procs = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/procs.tsv.new", truth_dir);
	out = fopen(path, "w");
	if (!procs || !out)
		die("cannot open procs.tsv");
	snprintf(path, sizeof(path), "%s/maps", truth_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/vmflags", truth_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/smaps", truth_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/smaps_rollup", truth_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/status", truth_dir);
	mkdir(path, 0755);
	while (n < 16 && fgets(line, sizeof(line), procs)) {
		char comm[64] = "", filter[64] = "";
		int pid;
		FILE *f;

		if (sscanf(line, "%d %63s", &pid, role) != 2)
			continue;
		pids[n++] = pid;
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		f = fopen(path, "r");
		if (!f || !fgets(comm, sizeof(comm), f))
			die("cannot read %s", path);
		fclose(f);
		comm[strcspn(comm, "\n")] = 0;
		snprintf(path, sizeof(path), "/proc/%d/coredump_filter", pid);
		f = fopen(path, "r");
		if (!f || !fgets(filter, sizeof(filter), f))
			die("cannot read %s", path);
		fclose(f);
		filter[strcspn(filter, "\n")] = 0;
		fprintf(out, "%d\t%s\t%s\t%s\n", pid, comm, filter, role);

		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		snprintf(to, sizeof(to), "%s/maps/%d", truth_dir, pid);
		copy_file(path, to, 0644);
		snprintf(to, sizeof(to), "%s/vmflags/%d", truth_dir, pid);
		write_vmflags(pid, to, strcmp(role, "many") != 0);
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
		snprintf(to, sizeof(to), "%s/smaps_rollup/%d", truth_dir, pid);
		copy_file(path, to, 0644);
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		snprintf(to, sizeof(to), "%s/status/%d", truth_dir, pid);
		copy_file(path, to, 0644);
	}
	fclose(procs);
	fclose(out);
	snprintf(path, sizeof(path), "%s/procs.tsv.new", truth_dir);
	snprintf(to, sizeof(to), "%s/procs.tsv", truth_dir);
	rename(path, to);

	snprintf(path, sizeof(path), "%s/threads.tsv", truth_dir);
	out = fopen(path, "w");
	if (!out)
		die("cannot create %s", path);
	for (int i = 0; i < n; i++)
		write_threads(pids[i], out);
	if (fclose(out))
		die("cannot write %s", path);
	snprintf(path, sizeof(path), "%s/sleepers.tsv", truth_dir);
	unlink(path);

	snprintf(path, sizeof(path), "%s/unsampled.tsv", truth_dir);
	unsampled = fopen(path, "w");
	if (!unsampled)
		die("cannot create %s", path);
	for (int i = 0; i < n; i++)
		read_samples(pids[i], unsampled);
	fclose(unsampled);
	qsort(pfns, npfns, sizeof(*pfns), pfn_cmp);
	/* one class per PFN: the first sample wins (qsort is not stable) */
	{
		size_t j = 0;

		for (size_t i = 0; i < npfns; i++)
			if (!j || pfns[j - 1].pfn != pfns[i].pfn)
				pfns[j++] = pfns[i];
		npfns = j;
	}

	snprintf(path, sizeof(path), "%s/pagemap.tsv", truth_dir);
	out = fopen(path, "w");
	if (!out)
		die("cannot create %s", path);
	proc = opendir("/proc");
	if (!proc)
		die("opendir /proc: %s", strerror(errno));
	while ((de = readdir(proc))) {
		pid_t pid = atoi(de->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		scan_process(pid, out);
	}
	closedir(proc);
	if (fclose(out))
		die("cannot write pagemap.tsv");

	/* kpagecount and kpageflags of every sampled PFN */
	snprintf(path, sizeof(path), "%s/pfns.tsv", truth_dir);
	out = fopen(path, "w");
	{
		int cfd = open("/proc/kpagecount", O_RDONLY);
		int ffd = open("/proc/kpageflags", O_RDONLY);

		for (size_t i = 0; out && i < npfns; i++) {
			uint64_t cnt = 0, flags = 0;
			off_t off = pfns[i].pfn * 8;

			if (cfd >= 0 && pread(cfd, &cnt, 8, off) != 8)
				cnt = ~0ULL;
			if (ffd >= 0 && pread(ffd, &flags, 8, off) != 8)
				flags = ~0ULL;
			fprintf(out, "0x%lx\t%s\t%llu\t0x%llx\n", pfns[i].pfn,
				pfns[i].class, (unsigned long long)cnt,
				(unsigned long long)flags);
		}
	}
	if (!out || fclose(out))
		die("cannot write pfns.tsv");
	return 0;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Threads of @pid still in /proc/PID/task (0 once it is reaped). */
static int nr_threads(pid_t pid)
{
	char path[64];
	DIR *task;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	task = opendir(path);
	if (!task)
		return 0;
	while ((de = readdir(task)))
		n += atoi(de->d_name) > 0;
	closedir(task);
	return n;
}

/*
 * Check that @path is a whole core file: the file reaches the end of every
 * segment, and the PT_NOTE holds one NT_PRSTATUS per thread (@nthreads).
 * The kernel writes the core from the thread that took the signal while
 * the others wait in coredump_task_exit(), so all are in it, or it is cut.
 */
static void check_core(const char *path, int nthreads)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	struct stat st;
	uint64_t end = 0;
	int fd = open(path, O_RDONLY), nprstatus = -1;

	if (fd < 0 || fstat(fd, &st) ||
	    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		die("cannot read %s", path);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_type != ET_CORE ||
	    eh.e_phentsize != sizeof(ph))
		die("%s: not an ELF core file", path);
	for (int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			die("%s: cannot read program header %d", path, i);
		if (ph.p_filesz && ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
		if (ph.p_type == PT_NOTE && nprstatus < 0 &&
		    ph.p_filesz < (1 << 24)) {
			char *buf = malloc(ph.p_filesz);
			size_t off = 0;

			if (!buf || pread(fd, buf, ph.p_filesz, ph.p_offset) !=
			    (ssize_t)ph.p_filesz)
				die("%s: cannot read PT_NOTE", path);
			nprstatus = 0;
			while (off + sizeof(Elf64_Nhdr) <= ph.p_filesz) {
				Elf64_Nhdr *nh = (Elf64_Nhdr *)(buf + off);

				nprstatus += nh->n_type == NT_PRSTATUS;
				off += sizeof(*nh) + ((nh->n_namesz + 3) & ~3UL) +
				       ((nh->n_descsz + 3) & ~3UL);
			}
			free(buf);
		}
	}
	close(fd);
	if ((uint64_t)st.st_size < end)
		die("%s: %lld bytes, its segments end at %llu: cut short", path,
		    (long long)st.st_size, (unsigned long long)end);
	if (nprstatus != nthreads)
		die("%s: %d NT_PRSTATUS notes for %d threads", path, nprstatus,
		    nthreads);
}

static int cmd_cores(const char *dir, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		pid_t pid = atoi(argv[i]);
		int t, nthreads = nr_threads(pid);
		char path[256];

		if (pid <= 1)
			die("bad pid '%s'", argv[i]);
		if (kill(pid, SIGQUIT))
			die("kill %d: %s", (int)pid, strerror(errno));
		/*
		 * Done when the leader is a zombie with no thread left, or
		 * reaped: the other threads wait in coredump_task_exit() until
		 * the dump is written, so none of them is gone before.
		 */
		for (t = 0; t < 3000; t++) {
			char s = proc_state(pid);

			if (s == 0 || ((s == 'Z' || s == 'X') &&
				       nr_threads(pid) <= 1))
				break;
			usleep(100000);
		}
		if (t == 3000)
			die("process %d did not dump core", (int)pid);
		snprintf(path, sizeof(path), "%s/core.%d", dir, (int)pid);
		check_core(path, nthreads);
	}
	return 0;
}

/*
 * Every task in the guest but this one:
 * pid tgid ppid comm state has_mm nr_vmas (from /proc/PID/task/TID).
 */
static int cmd_tasks(const char *to)
{
	FILE *out = fopen(to, "w");
	DIR *proc = opendir("/proc");
	struct dirent *de;

	if (!out || !proc)
		die("cannot write %s", to);
	while ((de = readdir(proc))) {
		char path[256], line[512];
		DIR *task;
		struct dirent *te;
		pid_t tgid = atoi(de->d_name);

		if (tgid <= 0 || tgid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", (int)tgid);
		task = opendir(path);
		if (!task)
			continue;
		while ((te = readdir(task))) {
			char comm[64] = "", state = '?';
			int tid = atoi(te->d_name), ppid = -1, has_mm = 0;
			long nvmas = 0;
			FILE *f;

			if (tid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/status",
				 (int)tgid, tid);
			f = fopen(path, "r");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f)) {
				if (!strncmp(line, "Name:\t", 6))
					snprintf(comm, sizeof(comm), "%.*s",
						 (int)strcspn(line + 6, "\n"),
						 line + 6);
				else if (!strncmp(line, "State:\t", 7))
					state = line[7];
				else if (!strncmp(line, "PPid:\t", 6))
					ppid = atoi(line + 6);
				else if (!strncmp(line, "VmSize:", 7))
					has_mm = 1;
			}
			fclose(f);
			if (has_mm) {
				int c;

				snprintf(path, sizeof(path), "/proc/%d/maps",
					 (int)tgid);
				f = fopen(path, "r");
				while (f && (c = getc(f)) != EOF)
					nvmas += c == '\n';
				if (f)
					fclose(f);
			}
			fprintf(out, "%d\t%d\t%d\t%s\t%c\t%d\t%ld\n", tid,
				(int)tgid, ppid, comm, state, has_mm, nvmas);
		}
		closedir(task);
	}
	closedir(proc);
	if (fclose(out))
		die("cannot write %s", to);
	return 0;
}

/* Write FILE as: "VMASPARSE1 size\n", then (u64 offset, u64 len, data)*. */
static int cmd_sparse(const char *file)
{
	static char buf[1 << 16];
	int fd = open(file, O_RDONLY);
	struct stat st;
	off_t data = 0, hole;

	if (fd < 0 || fstat(fd, &st))
		die("open %s: %s", file, strerror(errno));
	printf("VMASPARSE1 %lld\n", (long long)st.st_size);
	while ((data = lseek(fd, data, SEEK_DATA)) >= 0) {
		uint64_t hdr[2];

		hole = lseek(fd, data, SEEK_HOLE);
		if (hole < 0)
			hole = st.st_size;
		hdr[0] = data;
		hdr[1] = hole - data;
		fwrite(hdr, sizeof(hdr), 1, stdout);
		while (data < hole) {
			size_t n = hole - data < (off_t)sizeof(buf) ?
				   (size_t)(hole - data) : sizeof(buf);
			ssize_t got = pread(fd, buf, n, data);

			if (got <= 0)
				die("read %s: %s", file, strerror(errno));
			fwrite(buf, 1, got, stdout);
			data += got;
		}
	}
	if (fflush(stdout))
		die("write: %s", strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "setup")) {
		truth_dir = argv[2];
		return cmd_setup();
	}
	if (argc >= 3 && !strcmp(argv[1], "collect")) {
		truth_dir = argv[2];
		return cmd_collect();
	}
	if (argc >= 3 && !strcmp(argv[1], "cores"))
		return cmd_cores(argv[2], argc - 3, argv + 3);
	if (argc == 3 && !strcmp(argv[1], "tasks"))
		return cmd_tasks(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "sparse"))
		return cmd_sparse(argv[2]);
	fprintf(stderr, "usage: workload setup|collect DIR\n"
		"       workload cores DIR PID...\n"
		"       workload tasks|sparse FILE\n");
	return 2;
}
