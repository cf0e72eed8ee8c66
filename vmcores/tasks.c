// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tasks.c - the extra tasks of a many-task scaling dump (vmcores/generate
 * --tasks N --threads T): N processes of T threads each (the leader and
 * T - 1 others), all asleep for good, so that a dump holds thousands of
 * processes and tens of thousands of threads.
 *
 *   tasks N T LIST   fork them, wait until every thread exists, write the
 *                    leaders' pids to LIST (one a line), return
 *
 * Run by the guest's /init before the reference workload; the truth of
 * every task (pid, tgid, comm) is the workload's tasks.tsv.  Static,
 * small stacks: 8,000 threads fit a small guest.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAX_TASKS 100000
#define MAX_THREADS 64
#define STACK_SIZE (64 * 1024)

static void die(const char *what)
{
	fprintf(stderr, "tasks: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void *sleeper(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "xtask-thr");
	for (;;)
		pause();
	return NULL;
}

/* One extra process: T - 1 threads, then "ready" on @fd, then sleep. */
static void child(int threads, int fd)
{
	pthread_attr_t attr;
	pthread_t t;
	int i;

	prctl(PR_SET_NAME, "xtask");
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, STACK_SIZE);
	for (i = 1; i < threads; i++)
		if (pthread_create(&t, &attr, sleeper, NULL))
			die("pthread_create");
	if (write(fd, "r", 1) != 1)
		die("write");
	close(fd);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	int n, threads, fds[2], i;
	pid_t *pids;
	FILE *list;
	char c;

	if (argc != 4) {
		fprintf(stderr, "usage: tasks N THREADS LIST\n");
		return 2;
	}
	n = atoi(argv[1]);
	threads = atoi(argv[2]);
	if (n < 1 || n > MAX_TASKS || threads < 1 || threads > MAX_THREADS) {
		fprintf(stderr, "tasks: bad N or THREADS\n");
		return 2;
	}
	pids = calloc(n, sizeof(*pids));
	if (!pids || pipe(fds))
		die("setup");
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");
		if (!pids[i]) {
			close(fds[0]);
			child(threads, fds[1]);
		}
	}
	close(fds[1]);
	for (i = 0; i < n; i++)
		if (read(fds[0], &c, 1) != 1)
			die("a process did not get ready");
	list = fopen(argv[3], "w");
	if (!list)
		die(argv[3]);
	for (i = 0; i < n; i++)
		fprintf(list, "%d\n", (int)pids[i]);
	if (fclose(list))
		die(argv[3]);
	return 0;
}
