// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flat.c - makedumpfile's "flattened" format, which QEMU's
 * dump-guest-memory -z writes and libkdumpfile 0.5.1 cannot read.
 *
 * The format (makedumpfile.h, write_start_flat_header() and
 * rearrange_dumpdata() of makedumpfile.c): a 4096-byte header that starts
 * with struct makedumpfile_header { char signature[16] = "makedumpfile";
 * int64_t type = 1; int64_t version = 1; }, then records, each a
 * struct makedumpfile_data_header { int64_t offset; int64_t buf_size; }
 * followed by buf_size bytes to be put at offset of the real dump; an
 * offset of -1 ends the stream.  All integers are big endian.
 *
 * We do what "makedumpfile -R" does, into an anonymous sparse memfd.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump.h"

#define MDF_SIGNATURE "makedumpfile"
#define MDF_SIG_LEN 16
#define MDF_HEADER_SIZE 4096
#define MDF_TYPE_FLAT 1
#define MDF_VERSION_FLAT 1
/* Bounds on what an untrusted stream may ask for. */
#define MDF_MAX_RECORD (1ULL << 32)
#define MDF_MAX_OFFSET (1ULL << 46)
#define COPY_CHUNK (1 << 20)

struct mdf_header {
	char signature[MDF_SIG_LEN];
	int64_t type;
	int64_t version;
};

struct mdf_data_header {
	int64_t offset;
	int64_t buf_size;
};

bool flat_is_flattened(int fd)
{
	struct mdf_header h;

	if (pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return false;
	return memcmp(h.signature, MDF_SIGNATURE, sizeof(MDF_SIGNATURE)) == 0;
}

/* Read exactly @len bytes at *@pos; false at a short read (errno 0: EOF). */
static bool read_full(int fd, uint64_t *pos, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, *pos);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return false;
		}
		p += n;
		len -= n;
		*pos += n;
	}
	return true;
}

static struct vmacore_error *flat_error(const char *path, uint64_t pos,
					const char *what)
{
	if (errno)
		return vmacore_error_create(VMACORE_ERROR_OS,
					    "cannot read flattened dump %s at offset %llu: %s: %s",
					    path, (unsigned long long)pos,
					    what, strerror(errno));
	return vmacore_error_create(VMACORE_ERROR_CORRUPT,
				    "flattened dump %s ends at offset %llu inside %s",
				    path, (unsigned long long)pos, what);
}

static struct vmacore_error *flat_copy(int in, int out, const char *path,
				       uint64_t *pos, struct mdf_data_header *dh,
				       char *buf)
{
	uint64_t off = be64toh((uint64_t)dh->offset);
	uint64_t size = be64toh((uint64_t)dh->buf_size);
	uint64_t done = 0;

	if ((int64_t)off < 0 || (int64_t)size < 0 || size > MDF_MAX_RECORD ||
	    off > MDF_MAX_OFFSET || size > MDF_MAX_OFFSET - off)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "flattened dump %s: bad record at offset %llu (offset %#llx, size %#llx)",
					    path,
					    (unsigned long long)*pos - sizeof(*dh),
					    (unsigned long long)off,
					    (unsigned long long)size);
	while (done < size) {
		size_t n = size - done < COPY_CHUNK ? size - done : COPY_CHUNK;
		ssize_t w;

		if (!read_full(in, pos, buf, n))
			return flat_error(path, *pos, "a data record");
		w = pwrite(out, buf, n, off + done);
		if (w != (ssize_t)n)
			return vmacore_error_create(VMACORE_ERROR_OS,
						    "cannot reassemble flattened dump %s: %s",
						    path, w < 0 ? strerror(errno) :
						    "short write");
		done += n;
	}
	return NULL;
}

struct vmacore_error *flat_reassemble(int fd, const char *path, int *fd_ret,
				      uint64_t *size_ret)
{
	struct mdf_header h;
	struct mdf_data_header dh;
	struct vmacore_error *err = NULL;
	uint64_t pos = 0, records = 0;
	struct stat st;
	char *buf;
	int out;

	errno = 0;
	if (!read_full(fd, &pos, &h, sizeof(h)))
		return flat_error(path, pos, "the header");
	if (memcmp(h.signature, MDF_SIGNATURE, sizeof(MDF_SIGNATURE)) != 0 ||
	    be64toh((uint64_t)h.type) != MDF_TYPE_FLAT ||
	    be64toh((uint64_t)h.version) != MDF_VERSION_FLAT)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "%s: unknown flattened format type %lld version %lld",
					    path,
					    (long long)be64toh((uint64_t)h.type),
					    (long long)be64toh((uint64_t)h.version));
	buf = malloc(COPY_CHUNK);
	if (!buf)
		return &vmacore_enomem;
	out = memfd_create("vmacore-flat", MFD_CLOEXEC);
	if (out < 0) {
		free(buf);
		return vmacore_error_create(VMACORE_ERROR_OS,
					    "cannot create memfd: %s",
					    strerror(errno));
	}
	pos = MDF_HEADER_SIZE;
	for (;;) {
		errno = 0;
		if (!read_full(fd, &pos, &dh, sizeof(dh))) {
			err = flat_error(path, pos, "a record header");
			break;
		}
		if (dh.offset == -1)	/* END_FLAG_FLAT_HEADER */
			break;
		err = flat_copy(fd, out, path, &pos, &dh, buf);
		if (err)
			break;
		records++;
	}
	free(buf);
	if (!err && records == 0)
		err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
					   "flattened dump %s holds no data",
					   path);
	if (!err && fstat(out, &st) < 0)
		err = vmacore_error_create(VMACORE_ERROR_OS, "fstat: %s",
					   strerror(errno));
	if (err) {
		close(out);
		return err;
	}
	*size_ret = st.st_size;
	*fd_ret = out;
	return NULL;
}
