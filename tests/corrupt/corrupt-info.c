// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * corrupt-info.c - where to damage a reference dump: for the process named
 * COMM in an ELF dump, print the file offsets (in VMCORE) of the kernel
 * structures tests/vmcore/test-corruption patches, one "key value" per line
 * (values in hex).  Addresses come from libvmacore's walks, file offsets
 * from the direct map (page_offset_base) and the ELF dump's PT_LOADs.
 *
 * usage: corrupt-info VMCORE.ELF VMLINUX COMM
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"

static struct dump_target *tgt;
static struct vmacore_ctx *ctx;
static uint64_t pob;		/* page_offset_base */
static Elf64_Phdr *ph;
static int phnum;

static void die(const char *what, struct vmacore_error *err)
{
	fprintf(stderr, "corrupt-info: %s: %s\n", what,
		err ? err->message : "failed");
	exit(1);
}

static uint64_t member(const char *type, const char *m)
{
	uint64_t off, size;
	struct vmacore_error *err;

	err = dump_target_ops.member(tgt, type, m, &off, &size);
	if (err)
		die(m, err);
	return off;
}

static uint64_t r64(uint64_t addr)
{
	uint64_t v;
	struct vmacore_error *err = vmacore_ctx_read(ctx, addr, &v, 8, false);

	if (err)
		die("read", err);
	return v;
}

/* Like r64(), 0 if unreadable. */
static uint64_t r64_or_0(uint64_t addr)
{
	uint64_t v;
	struct vmacore_error *err = vmacore_ctx_read(ctx, addr, &v, 8, false);

	vmacore_error_destroy(err);
	return err ? 0 : v;
}

/* File offset of direct-map address @va. */
static uint64_t foff(uint64_t va)
{
	uint64_t pa = va - pob;
	int i;

	for (i = 0; i < phnum; i++)
		if (ph[i].p_type == PT_LOAD && pa >= ph[i].p_paddr &&
		    pa < ph[i].p_paddr + ph[i].p_filesz)
			return ph[i].p_offset + (pa - ph[i].p_paddr);
	fprintf(stderr, "corrupt-info: 0x%llx not in the file\n",
		(unsigned long long)va);
	exit(1);
}

static void put(const char *key, uint64_t v)
{
	printf("%s 0x%llx\n", key, (unsigned long long)v);
}

static void elf_load(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Nhdr nh;
	int fd = open(path, O_RDONLY), i;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		die(path, NULL);
	phnum = eh.e_phnum;
	ph = calloc(phnum, sizeof(*ph));
	if (pread(fd, ph, phnum * sizeof(*ph), eh.e_phoff) !=
	    (ssize_t)(phnum * sizeof(*ph)))
		die("program headers", NULL);
	/* the VMCOREINFO note: its descriptor */
	for (i = 0; i < phnum; i++) {
		uint64_t o = ph[i].p_offset, end = o + ph[i].p_filesz;
		char name[16];

		if (ph[i].p_type != PT_NOTE)
			continue;
		while (o + sizeof(nh) <= end &&
		       pread(fd, &nh, sizeof(nh), o) == sizeof(nh)) {
			uint64_t desc = o + sizeof(nh) + ((nh.n_namesz + 3) & ~3);

			memset(name, 0, sizeof(name));
			pread(fd, name, nh.n_namesz < 15 ? nh.n_namesz : 15,
			      o + sizeof(nh));
			if (!strcmp(name, "VMCOREINFO")) {
				put("vmcoreinfo_desc", desc);
				put("vmcoreinfo_size", nh.n_descsz);
			}
			o = desc + ((nh.n_descsz + 3) & ~3);
		}
	}
	close(fd);
}

int main(int argc, char **argv)
{
	struct dump_target_options o = { 0 };
	struct vmacore_task_iter *it;
	struct vmacore_vma_iter *vit;
	struct vmacore_task t;
	struct vmacore_vma v;
	struct vmacore_error *err;
	uint64_t addr, root, node, mt, leaf, file = 0, dentry, parent;
	uint64_t mapping, rbnode, vma_file = 0;
	unsigned int type;
	int found = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: corrupt-info VMCORE.ELF VMLINUX COMM\n");
		return 2;
	}
	o.vmcore = argv[1];
	o.vmlinux = argv[2];
	err = dump_target_open(&o, &tgt);
	if (!err)
		err = vmacore_ctx_create(&dump_target_ops, tgt, &ctx);
	if (err)
		die(argv[1], err);
	elf_load(argv[1]);
	err = dump_target_ops.symbol(tgt, "page_offset_base", &addr, NULL);
	if (err)
		die("page_offset_base", err);
	pob = r64(addr);
	put("page_offset_base", pob);

	err = vmacore_task_iter_create(ctx, false, &it);
	if (err)
		die("tasks", err);
	while (!(err = vmacore_task_iter_next(it, &t))) {
		/* kthreadd: a kernel thread's thread list to damage */
		if (t.pid == 2 && !t.mm)
			put("kthread_signal_foff",
			    foff(t.addr + member("task_struct", "signal")));
		if (!strcmp(t.comm, argv[3])) {
			found = 1;
			break;
		}
	}
	vmacore_task_iter_destroy(it);
	if (!found)
		die(argv[3], NULL);
	/* the root xa_node of the pid idr: its shift, to make lookups fail */
	err = dump_target_ops.symbol(tgt, "init_pid_ns", &addr, NULL);
	if (!err) {
		uint64_t e = r64(addr + member("pid_namespace",
					       "idr.idr_rt.xa_head"));

		if ((e & 3) == 2 && e > 4096)
			put("idr_root_shift_foff",
			    foff(e - 2 + member("xa_node", "shift")));
	}
	vmacore_error_destroy(err);
	printf("pid %d\n", t.pid);
	put("task", t.addr);
	put("task_tasks_next_foff", foff(t.addr + member("task_struct", "tasks")));
	put("task_tasks", t.addr + member("task_struct", "tasks"));
	/* the next leader's tasks.prev: both links of the task to damage */
	put("succ_tasks_prev_foff",
	    foff(r64(t.addr + member("task_struct", "tasks")) + 8));
	put("mm", t.mm);
	put("task_signal_foff", foff(t.addr + member("task_struct", "signal")));
	put("map_count_foff", foff(t.mm + member("mm_struct", "map_count")));
	printf("map_count %d\n", (int)r64(t.mm + member("mm_struct", "map_count")));

	/* the root node, its first child (slot 0), a leaf */
	mt = t.mm + member("mm_struct", "mm_mt");
	root = r64(mt + member("maple_tree", "ma_root"));
	put("ma_root", root);
	put("ma_root_foff", foff(mt + member("maple_tree", "ma_root")));
	node = root & ~255ULL;
	type = (root >> 3) & 15;
	printf("root_type %u\n", type);
	if (type != 3)
		die("the root is not an arange_64 node", NULL);
	put("root_node", node);
	/* maple_arange_64: pivot[] at 8, slot[] at 80 (the fake's layout is the
	 * kernel's; checked against the types here) */
	if (member("maple_arange_64", "pivot") != 8 ||
	    member("maple_arange_64", "slot") != 80)
		die("unexpected maple_arange_64 layout", NULL);
	put("root_pivot0", r64(node + 8));
	put("root_pivot1", r64(node + 16));
	put("root_pivot0_foff", foff(node + 8));
	put("root_slot0", r64(node + 80));
	put("root_slot0_foff", foff(node + 80));
	put("root_slot1", r64(node + 88));
	put("root_slot1_foff", foff(node + 88));
	leaf = r64(node + 80) & ~255ULL;
	put("leaf_node", leaf);
	put("leaf_parent_foff", foff(leaf));

	err = vmacore_vma_iter_create(ctx, t.mm, &vit);
	if (err)
		die("vmas", err);
	found = 0;
	while (!(err = vmacore_vma_iter_next(vit, &v))) {
		if (!found++) {
			put("vma", v.addr);
			put("vma_start", v.vm_start);
			put("vma_end", v.vm_end);
			put("vma_end_foff", foff(v.addr +
						 member("vm_area_struct", "vm_end")));
		}
		/* a file whose parent directory is not a root: a loop of two */
		if (!file && v.vm_file) {
			uint64_t dp = member("dentry", "d_parent"), gp;

			dentry = r64_or_0(v.vm_file +
					  member("file", "f_path.dentry"));
			parent = dentry ? r64_or_0(dentry + dp) : 0;
			gp = parent ? r64_or_0(parent + dp) : 0;
			if (gp && gp != parent) {
				file = v.vm_file;
				put("file_vma", v.addr);
				put("file_vma_start", v.vm_start);
			}
		}
	}
	vmacore_vma_iter_destroy(vit);
	if (err != &vmacore_stop)
		die("vmas", err);
	printf("vma_count %d\n", found);

	/* the file's dentry and its parent: a two-dentry loop */
	put("file", file);
	dentry = r64(file + member("file", "f_path.dentry"));
	parent = r64(dentry + member("dentry", "d_parent"));
	put("dentry", dentry);
	put("dentry_parent", parent);
	put("parent_d_parent_foff", foff(parent + member("dentry", "d_parent")));

	/* i_mmap of that file: the tree root's subtree_last */
	mapping = r64(file + member("file", "f_mapping"));
	put("mapping", mapping);
	rbnode = r64(mapping + member("address_space", "i_mmap") +
		     member("rb_root_cached", "rb_root.rb_node"));
	put("i_mmap_root", rbnode);
	put("i_mmap_root_vma", rbnode - member("vm_area_struct", "shared.rb"));
	addr = rbnode - member("vm_area_struct", "shared.rb") +
	       member("vm_area_struct", "shared.rb_subtree_last");
	put("i_mmap_root_subtree_last", r64(addr));
	put("i_mmap_root_subtree_last_foff", foff(addr));
	(void)vma_file;
	vmacore_ctx_destroy(ctx);
	dump_target_close(tgt);
	return 0;
}
