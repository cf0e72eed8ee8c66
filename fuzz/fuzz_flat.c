// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_flat.c - the reassembly of makedumpfile's flattened format
 * (lib/dump/flat.c) from the fuzzer's bytes in a memfd.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmacore_error *err;
	uint64_t out_size;
	int fd, out;

	fuzz_corrupt_has_line = false;
	fd = memfd_create("fuzz-flat", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	if (flat_is_flattened(fd)) {
		err = flat_reassemble(fd, "fuzz", &out, &out_size);
		if (!err)
			close(out);
		fuzz_error_free(err);
	}
	close(fd);
	return 0;
}
