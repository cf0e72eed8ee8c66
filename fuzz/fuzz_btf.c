// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_btf.c - the standalone target's BTF reader (lib/dump/btf.c): libbpf's
 * btf__new() on the fuzzer's bytes, then every name lookup libvmacore
 * makes: sizes, member designators through anonymous members and arrays,
 * enumerators.
 *
 * lib/dump/btf.c is included so that its static functions run over a struct
 * btf made from memory instead of a vmlinux file.
 */
#include "../lib/dump/btf.c"

#include "fuzz.h"

static const char *const types[] = {
	"task_struct", "mm_struct", "vm_area_struct", "maple_node",
	"maple_tree", "page", "folio", "file", "dentry", "inode", "a",
};

static const char *const members[][2] = {
	{ "vm_area_struct", "vm_flags" },
	{ "vm_area_struct", "shared.rb" },
	{ "vm_area_struct", "shared.rb_subtree_last" },
	{ "mm_struct", "mm_mt" },
	{ "mm_struct", "context.vdso" },
	{ "mm_struct", "flags" },
	{ "maple_range_64", "pivot" },
	{ "maple_node", "mr64" },
	{ "dentry", "d_name.name" },
	{ "file", "f_path.dentry" },
	{ "a", "b" },
	{ "a", "b.c" },
	{ "a", "b[2].c" },
	{ "a", "b[99999999999].c" },
	{ "a", "b..c" },
	{ "a", "[1]" },
	{ "a", "b[" },
};

static const char *const enums[] = {
	"maple_arange_64", "PG_head", "MMF_DUMP_FILTER_SHIFT", "a", "b",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_types *bt;
	struct vmacore_error *err;
	uint64_t v, s;
	int64_t e;
	size_t i;

	fuzz_corrupt_has_line = false;
	bt = calloc(1, sizeof(*bt));
	if (!bt)
		return 0;
	bt->btf = btf__new(data, size);
	if (!bt->btf) {
		free(bt);
		return 0;
	}
	err = btf_check_aligned(bt->btf, "fuzz");
	if (err) {
		fuzz_error_free(err);
		btf__free(bt->btf);
		free(bt);
		return 0;
	}
	type_index_init(&bt->base.ix);
	bt->base.index_enums = btf_index_enums_op;
	bt->base.label = "BTF";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		fuzz_error_free(btf_type_size(&bt->base, types[i], &v));
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		fuzz_error_free(btf_member(&bt->base, members[i][0],
					   members[i][1], &v, &s));
	for (i = 0; i < sizeof(enums) / sizeof(enums[0]); i++)
		fuzz_error_free(types_enumerator(&bt->base, enums[i], &e));
	btf_destroy(&bt->base);
	return 0;
}
