// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * decoded_cache.c - decoded pages of a compressed dump kept between runs.
 *
 * Why (issue 12): with the dump alone, start-up reads the kernel's BTF
 * (4.5 MB on Debian's 6.12) out of the dump; on a kdump-compressed file
 * that is some 1,100 pages to inflate, two thirds of a start-up's
 * instructions.  A script that runs vmacore once a pid pays that every
 * time, and so does every dump of the same kernel build.
 *
 * An entry is named by a hash of the compressed input (diskdump_input():
 * every block's size, flags and place, and the file's bytes from the
 * first block's data to the last's) and holds that input in full, then
 * the decoded pages.  It is used only when the input it holds equals the
 * dump's byte for byte, so equal input decodes to equal pages: never a
 * guess, whatever the hash.  The decoded part carries its adler32 against
 * a torn or damaged file; an entry that is not the user's own, or that
 * others may write, is not used.  Writes go to a temporary file renamed into
 * place; at most DC_MAX_ENTRIES entries are kept, the least recently used
 * removed first.  Any failure here only means decoding again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libdeflate.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "dump.h"

#define DC_MAGIC	"VMACDEC1"
#define DC_MAX_ENTRIES	16
#define DC_CHUNK	65536
/* a temporary file older than this was left by a writer that died */
#define DC_STALE_TMP	3600

struct dc_header {
	char magic[8];
	uint32_t page_size, block_size;
	uint64_t first, npages, nblocks;
	uint64_t meta_len, span_len, out_len;
	uint32_t out_adler, pad;
};

static void dc_path(const char *dir, const struct dd_input *in,
		    size_t out_len, char *buf, size_t len)
{
	uint32_t crc, adler;

	crc = libdeflate_crc32(0, in->meta, in->meta_len);
	crc = libdeflate_crc32(crc, in->span, in->span_len);
	adler = libdeflate_adler32(1, in->meta, in->meta_len);
	adler = libdeflate_adler32(adler, in->span, in->span_len);
	snprintf(buf, len, "%s/%08x%08x-%zx", dir, crc, adler, out_len);
}

static void dc_header_init(struct dc_header *h, const struct dd_input *in,
			   size_t out_len)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, DC_MAGIC, sizeof(h->magic));
	h->page_size = in->page_size;
	h->block_size = in->block_size;
	h->first = in->first;
	h->npages = in->npages;
	h->nblocks = in->nblocks;
	h->meta_len = in->meta_len;
	h->span_len = in->span_len;
	h->out_len = out_len;
}

/* Do @len bytes of @fd at @off equal @want?  Read a chunk at a time. */
static bool file_equals(int fd, uint64_t off, const void *want, size_t len)
{
	unsigned char buf[DC_CHUNK];
	const unsigned char *w = want;

	while (len) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf);

		if (pread(fd, buf, n, off) != (ssize_t)n || memcmp(buf, w, n))
			return false;
		w += n;
		off += n;
		len -= n;
	}
	return true;
}

bool decoded_cache_get(const char *dir, const struct dd_input *in,
		       void *out, size_t out_len, char *path, size_t path_len)
{
	struct dc_header want, h;
	uint64_t off = sizeof(h);
	bool ok = false;
	struct stat st;
	int fd;

	dc_path(dir, in, out_len, path, path_len);
	dc_header_init(&want, in, out_len);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	/*
	 * Ours alone: the input is checked, the decoded pages are not, so an
	 * entry someone else could write is not believed.  Read, not mapped:
	 * a mapping would add the entry to max RSS.
	 */
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || (uint64_t)st.st_size !=
	    sizeof(h) + in->meta_len + in->span_len + out_len ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		goto out;
	want.out_adler = h.out_adler;
	if (memcmp(&h, &want, sizeof(h)) ||
	    !file_equals(fd, off, in->meta, in->meta_len) ||
	    !file_equals(fd, off + in->meta_len, in->span, in->span_len))
		goto out;
	off += in->meta_len + in->span_len;
	if (pread(fd, out, out_len, off) != (ssize_t)out_len ||
	    libdeflate_adler32(1, out, out_len) != h.out_adler)
		goto out;
	ok = true;
	futimens(fd, NULL);	/* recently used (prune()) */
out:
	close(fd);
	return ok;
}

/* mkdir -p @dir, mode 0700 for what is made. */
static bool make_dir(const char *dir)
{
	char buf[PATH_MAX], *s;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return false;
	for (s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

/* At most DC_MAX_ENTRIES entries: the least recently used go. */
static void prune(const char *dir)
{
	struct { time_t t; char name[64]; } ent[DC_MAX_ENTRIES + 1];
	size_t n = 0, i, old;
	char path[PATH_MAX];
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && de->d_name[1] != 't')
			continue;
		if (strlen(de->d_name) >= sizeof(ent[0].name) ||
		    fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (de->d_name[0] == '.') {
			if (st.st_mtime + DC_STALE_TMP < time(NULL))
				unlinkat(dirfd(d), de->d_name, 0);
			continue;
		}
		ent[n].t = st.st_mtime;
		strcpy(ent[n].name, de->d_name);
		if (++n <= DC_MAX_ENTRIES)
			continue;
		/* one too many: the oldest goes */
		for (old = 0, i = 1; i < n; i++)
			if (ent[i].t < ent[old].t)
				old = i;
		if (snprintf(path, sizeof(path), "%s/%s", dir,
			     ent[old].name) < (int)sizeof(path))
			unlink(path);
		ent[old] = ent[--n];
	}
	closedir(d);
}

bool decoded_cache_put(const char *dir, const struct dd_input *in,
		       const void *out, size_t out_len, char *path,
		       size_t path_len)
{
	char tmp[PATH_MAX];
	struct dc_header h;
	struct iovec iov[4];
	size_t want, done = 0;
	int fd, i = 0;

	dc_path(dir, in, out_len, path, path_len);
	dc_header_init(&h, in, out_len);
	h.out_adler = libdeflate_adler32(1, out, out_len);
	if (!make_dir(dir) ||
	    snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir) >=
	    (int)sizeof(tmp))
		return false;
	fd = mkstemp(tmp);
	if (fd < 0)
		return false;
	iov[0] = (struct iovec){ &h, sizeof(h) };
	iov[1] = (struct iovec){ in->meta, in->meta_len };
	iov[2] = (struct iovec){ in->span, in->span_len };
	iov[3] = (struct iovec){ (void *)out, out_len };
	want = sizeof(h) + in->meta_len + in->span_len + out_len;
	while (done < want) {
		ssize_t r = writev(fd, iov + i, 4 - i);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += r;
		/* past what was written (a short write) */
		while (i < 4 && (size_t)r >= iov[i].iov_len)
			r -= iov[i++].iov_len;
		if (i < 4) {
			iov[i].iov_base = (char *)iov[i].iov_base + r;
			iov[i].iov_len -= r;
		}
	}
	if (close(fd) < 0 || done != want || rename(tmp, path) < 0) {
		unlink(tmp);
		return false;
	}
	prune(dir);
	return true;
}
