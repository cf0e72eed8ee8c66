// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - main() for a harness built without libFuzzer: run
 * LLVMFuzzerTestOneInput() once on each file named (directories: each
 * file in them), as the regression test of fuzz/regress/ does.
 * Prints one TAP line per directory or file argument.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!fp)
		return -1;
	if (fseek(fp, 0, SEEK_END) || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return -1;
	}
	/* an exact-size copy, so that ASan sees reads past the input */
	buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, fp) != (size_t)len) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

/*
 * Replay every file of directory @dir; returns the number of inputs, or
 * -1 (after a "#" line) when the directory or one of its files cannot be
 * read.
 */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	long files = 0, bad = 0;

	if (!d) {
		printf("# cannot open %s: %m\n", dir);
		return -1;
	}
	errno = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
		    (int)sizeof(path) || run_file(path)) {
			printf("# cannot read %s/%s\n", dir, e->d_name);
			bad++;
		}
		files++;
		errno = 0;
	}
	if (errno) {
		printf("# cannot read %s: %m\n", dir);
		bad++;
	}
	closedir(d);
	return bad ? -1 : files;
}

int main(int argc, char **argv)
{
	int i, n = 0, fail = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		long files;

		/* each argument is judged on its own */
		if (stat(argv[i], &st)) {
			printf("# cannot stat %s: %m\n", argv[i]);
			files = -1;
		} else if (S_ISDIR(st.st_mode)) {
			files = run_dir(argv[i]);
		} else {
			files = run_file(argv[i]) ? -1 : 1;
			if (files < 0)
				printf("# cannot read %s\n", argv[i]);
		}
		n++;
		if (files > 0) {
			printf("ok %d - %s: %ld inputs replayed\n", n, argv[i],
			       files);
		} else {
			/* an empty corpus tests nothing */
			printf("not ok %d - %s: %s\n", n, argv[i],
			       files ? "cannot be read" : "no inputs");
			fail = 1;
		}
	}
	if (!n) {
		printf("not ok 1 - no input named\n");
		n = fail = 1;
	}
	printf("1..%d\n", n);
	return fail;
}
