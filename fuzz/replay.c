// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * replay.c - main() for a harness built without libFuzzer: run
 * LLVMFuzzerTestOneInput() once on each file named (directories: each
 * file in them), as the regression test of fuzz/regress/ does.
 * Prints one TAP line per directory or file argument.
 */
#include <dirent.h>
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

int main(int argc, char **argv)
{
	int i, n = 0, fail = 0;

	for (i = 1; i < argc; i++) {
		struct stat st;
		long files = 0;

		if (stat(argv[i], &st)) {
			printf("ok %d # SKIP %s: absent\n", ++n, argv[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			char path[4096];

			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", argv[i],
					 e->d_name);
				if (run_file(path)) {
					printf("# cannot read %s\n", path);
					fail++;
				}
				files++;
			}
			if (d)
				closedir(d);
		} else {
			if (run_file(argv[i]))
				fail++;
			files = 1;
		}
		printf("%sok %d - %s: %ld inputs replayed\n",
		       fail ? "not " : "", ++n, argv[i], files);
	}
	printf("1..%d\n", n);
	return fail ? 1 : 0;
}
