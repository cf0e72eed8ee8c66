// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_coredump.c - every branch of vma_dump_size() (fs/coredump.c) as
 * lib/coredump.c mirrors it, on VMAs, files, inodes, page tables and a page
 * cache laid out in a fake target; and the page-table walk it uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_kernel.h"
#include "tap.h"

/* This test's offsets (the fake's own ones are in fake_target.h). */
enum {
	OPS_NAME = 0x40, OPS_SIZE = 0x80,
	I_NLINK = 0x48, I_MODE = 0x4c, I_FLAGS = 0x50, I_MAPPING = 0x58,
	I_SIZE = 0x100,
	F_MAPPING = 0x30, F_SIZE = 0x80,
	AS_I_PAGES = 0x8, XA_HEAD = 0x8, AS_SIZE = 0x80,
	XN_SHIFT = 0, XN_SLOTS = 0x28,
	MM_CONTEXT_FLAGS = 0x208,
	PAGE_STRUCT = 64,
};

#define VMEMMAP 0xffffea0000000000ULL
#define FAKE_SMN 0xffffffff81000500ULL		/* special_mapping_name */
#define FAKE_OTHER_NAME 0xffffffff81000600ULL	/* another ->name */
#define FAKE_VMEMMAP_BASE 0xffffffff82300000ULL
#define FAKE_GATE_VMA 0xffffffff82400000ULL
#define FAKE_VSYSCALL_MODE 0xffffffff82500000ULL

/* include/linux/mm.h */
#define VM_READ 0x1ULL
#define VM_WRITE 0x2ULL
#define VM_EXEC 0x4ULL
#define VM_SHARED 0x8ULL
#define VM_MAYSHARE 0x80ULL
#define VM_IO 0x4000ULL
#define VM_HUGETLB 0x400000ULL
#define VM_DONTDUMP 0x4000000ULL

static void layout(struct fake_target *f)
{
	fake_layout_default(f);
	fake_member(f, "vm_operations_struct", "name", OPS_NAME, 8);
	fake_member(f, "inode", "i_nlink", I_NLINK, 4);
	fake_member(f, "inode", "i_mode", I_MODE, 2);
	fake_member(f, "inode", "i_flags", I_FLAGS, 4);
	fake_member(f, "inode", "i_mapping", I_MAPPING, 8);
	fake_member(f, "file", "f_mapping", F_MAPPING, 8);
	fake_member(f, "address_space", "i_pages", AS_I_PAGES, 16);
	fake_member(f, "xarray", "xa_head", XA_HEAD, 8);
	fake_member(f, "xa_node", "shift", XN_SHIFT, 1);
	fake_member(f, "xa_node", "slots", XN_SLOTS, 64 * 8);
	fake_member(f, "mm_struct", "context.flags", MM_CONTEXT_FLAGS, 8);
	fake_type(f, "page", PAGE_STRUCT);
	fake_symbol(f, "special_mapping_name", FAKE_SMN, 16);
	fake_symbol(f, "vmemmap_base", FAKE_VMEMMAP_BASE, 8);
	fake_w64(f, FAKE_VMEMMAP_BASE, VMEMMAP);
	fake_symbol(f, "gate_vma", FAKE_GATE_VMA, V_SIZE);
	fake_zero(f, FAKE_GATE_VMA, V_SIZE);
	fake_w64(f, FAKE_GATE_VMA + V_START, 0xffffffffff600000ULL);
	fake_w64(f, FAKE_GATE_VMA + V_END, 0xffffffffff601000ULL);
	fake_w64(f, FAKE_GATE_VMA + V_FLAGS, VM_READ | VM_EXEC);
	fake_symbol(f, "vsyscall_mode", FAKE_VSYSCALL_MODE, 4);
	fake_w32(f, FAKE_VSYSCALL_MODE, 1);	/* XONLY */
}

/* Map user page @vaddr to physical page @phys in the tables under @pgd. */
static void map_page(struct fake_target *f, uint64_t pgd_virt,
		     uint64_t vaddr, uint64_t phys)
{
	/* NX, A, U, P */
	fake_map_page(f, pgd_virt, vaddr, phys | 0x8000000000000025ULL);
}

struct env {
	struct fake_target *f;
	struct vmacore_ctx *ctx;
	struct vmacore_mm mm;
	uint64_t ops_special, ops_other;
};

static uint64_t make_inode(struct env *e, uint32_t nlink, uint16_t mode,
			   uint32_t flags, uint64_t first_page_pfn)
{
	uint64_t inode = fake_alloc(e->f, I_SIZE, 64);
	uint64_t as = fake_alloc(e->f, AS_SIZE, 64);

	fake_w32(e->f, inode + I_NLINK, nlink);
	fake_write(e->f, inode + I_MODE, &mode, 2);
	fake_w32(e->f, inode + I_FLAGS, flags);
	fake_w64(e->f, inode + I_MAPPING, as);
	if (first_page_pfn) {
		/* a one-level xarray: node with slot 0 = the folio */
		uint64_t node = fake_alloc(e->f, XN_SLOTS + 64 * 8, 64);

		fake_w8(e->f, node + XN_SHIFT, 0);
		fake_w64(e->f, node + XN_SLOTS,
			 VMEMMAP + first_page_pfn * PAGE_STRUCT);
		fake_w64(e->f, as + AS_I_PAGES + XA_HEAD, node | 2);
	}
	return inode;
}

static uint64_t make_file(struct env *e, uint64_t inode)
{
	uint64_t file = fake_alloc(e->f, F_SIZE, 64);

	fake_w64(e->f, file + F_INODE, inode);
	fake_w64(e->f, file + F_MAPPING, fake_r64(e->f, inode + I_MAPPING));
	return file;
}

static struct vmacore_vma vma_at(struct env *e, uint64_t start, uint64_t pages,
				 uint64_t flags, uint64_t file, uint64_t pgoff,
				 bool anon_vma)
{
	struct vmacore_vma v = { 0 };

	v.addr = fake_alloc(e->f, V_SIZE, 64);
	v.vm_start = start;
	v.vm_end = start + pages * 4096;
	v.vm_flags = flags;
	v.vm_file = file;
	v.vm_pgoff = pgoff;
	v.anon_vma = anon_vma ? 0xffff888099990000ULL : 0;
	v.vm_mm = e->mm.addr;
	return v;
}

/* Check one verdict: kind, size and rule. */
static void check(struct env *e, const struct vmacore_vma *v,
		  enum vmacore_dump_kind kind, uint64_t size,
		  const char *rule, const char *what)
{
	struct vmacore_coredump_verdict r;
	struct vmacore_error *err = vmacore_coredump_vma(e->ctx, &e->mm, v, &r);

	if (err) {
		ok(0, "%s", what);
		printf("#   %s\n", err->message);
		vmacore_error_destroy(err);
		return;
	}
	if (!ok(r.kind == kind && r.size == size && !strcmp(r.rule_name, rule),
		"%s: %s", what, r.reason))
		printf("#   got %s %llu %s, want %s %llu %s\n",
		       vmacore_dump_kind_name(r.kind),
		       (unsigned long long)r.size, r.rule_name,
		       vmacore_dump_kind_name(kind), (unsigned long long)size,
		       rule);
}

static void set_filter(struct env *e, uint32_t filter)
{
	/* MMF_DUMP_FILTER_SHIFT = 2; bit 0 = dumpable */
	e->mm.flags = ((uint64_t)filter << 2) | 1;
	e->mm.coredump_filter = filter;
}

static void env_init(struct env *e, struct fake_target *f)
{
	memset(e, 0, sizeof(*e));
	e->f = f;
	e->ctx = fake_phys_ctx(f);
	e->mm.addr = fake_mm(f);
	e->mm.pgd = fake_alloc(f, 4096, 4096);	/* direct-map virtual */
	fake_w64(f, e->mm.addr + MM_PGD, e->mm.pgd);
	set_filter(e, 0x33);	/* the default */
	e->ops_special = fake_alloc(f, OPS_SIZE, 64);
	fake_w64(f, e->ops_special + OPS_NAME, FAKE_SMN);
	e->ops_other = fake_alloc(f, OPS_SIZE, 64);
	fake_w64(f, e->ops_other + OPS_NAME, FAKE_OTHER_NAME);
}

static void test_always_dump(struct env *e)
{
	struct vmacore_vma v;
	uint64_t sm = fake_alloc(e->f, 32, 8), noname = fake_alloc(e->f, 32, 8);

	fake_w64(e->f, sm + VSM_NAME, 0xffffffff81800000ULL);	/* "[vvar]" */
	v = vma_at(e, 0x7fff0000, 4, VM_READ | VM_IO | VM_DONTDUMP, 0, 0,
		   false);
	v.vm_ops = e->ops_special;
	fake_w64(e->f, v.addr + V_PRIVATE, sm);
	check(e, &v, VMACORE_DUMP_FULL, 4 * 4096, "vm_ops-name",
	      "special mapping with a name, though VM_IO|VM_DONTDUMP");
	fake_w64(e->f, v.addr + V_PRIVATE, noname);
	check(e, &v, VMACORE_DUMP_NONE, 0, "dontdump",
	      "special mapping whose name is NULL falls through");
	v.vm_ops = e->ops_other;
	check(e, &v, VMACORE_DUMP_FULL, 4 * 4096, "vm_ops-name",
	      "another vm_ops->name is assumed to name the VMA");
	v = vma_at(e, 0, 1, VM_READ | VM_EXEC, 0, 0, false);
	v.addr = FAKE_GATE_VMA;
	v.vm_start = 0xffffffffff600000ULL;
	v.vm_end = v.vm_start + 4096;
	check(e, &v, VMACORE_DUMP_FULL, 4096, "gate", "the gate VMA");
}

static void test_gate(struct env *e)
{
	struct vmacore_error *err;
	struct vmacore_vma v;
	bool found = true;

	fake_w64(e->f, e->mm.addr + MM_CONTEXT_FLAGS, 0);
	err = vmacore_coredump_gate_vma(e->ctx, &e->mm, &v, &found);
	ok(!err && !found, "no gate VMA without MM_CONTEXT_HAS_VSYSCALL");
	vmacore_error_destroy(err);
	fake_w64(e->f, e->mm.addr + MM_CONTEXT_FLAGS, 2);
	fake_w32(e->f, FAKE_VSYSCALL_MODE, 2);
	err = vmacore_coredump_gate_vma(e->ctx, &e->mm, &v, &found);
	ok(!err && !found, "no gate VMA with vsyscall=none");
	vmacore_error_destroy(err);
	fake_w32(e->f, FAKE_VSYSCALL_MODE, 1);
	err = vmacore_coredump_gate_vma(e->ctx, &e->mm, &v, &found);
	ok(!err && found && v.addr == FAKE_GATE_VMA &&
	   v.vm_start == 0xffffffffff600000ULL,
	   "the gate VMA with vsyscall=xonly and HAS_VSYSCALL");
	vmacore_error_destroy(err);
}

static void test_flags_and_filters(struct env *e)
{
	uint64_t shm = make_file(e, make_inode(e, 0, 0600, 0, 0));
	uint64_t reg = make_file(e, make_inode(e, 1, 0644, 0, 0));
	uint64_t hug = make_file(e, make_inode(e, 0, 0600, 0, 0));
	uint64_t dax = make_file(e, make_inode(e, 1, 0644, 1 << 13, 0));
	struct vmacore_vma v;

	v = vma_at(e, 0x10000, 2, VM_READ | VM_WRITE | VM_DONTDUMP, 0, 0, true);
	check(e, &v, VMACORE_DUMP_NONE, 0, "dontdump", "VM_DONTDUMP anon");
	v = vma_at(e, 0x20000, 2, VM_READ | VM_WRITE | VM_IO, 0, 0, true);
	check(e, &v, VMACORE_DUMP_NONE, 0, "io", "VM_IO");

	v = vma_at(e, 0x200000, 512, VM_READ | VM_WRITE | VM_HUGETLB, hug, 0,
		   true);
	check(e, &v, VMACORE_DUMP_FULL, 512 * 4096, "hugetlb-private",
	      "hugetlb private, default filter");
	v.vm_flags |= VM_SHARED | VM_MAYSHARE;
	check(e, &v, VMACORE_DUMP_NONE, 0, "hugetlb-shared",
	      "hugetlb shared, default filter");
	v.vm_flags |= VM_IO;
	set_filter(e, 0x7f);
	check(e, &v, VMACORE_DUMP_FULL, 512 * 4096, "hugetlb-shared",
	      "hugetlb shared with bit 6, before the VM_IO test");
	set_filter(e, 0x33);

	v = vma_at(e, 0x30000, 3, VM_READ | VM_WRITE | VM_SHARED | VM_MAYSHARE,
		   shm, 0, false);
	check(e, &v, VMACORE_DUMP_FULL, 3 * 4096, "anon-shared",
	      "shared, i_nlink 0 (shmem)");
	v.vm_file = reg;
	check(e, &v, VMACORE_DUMP_NONE, 0, "mapped-shared",
	      "shared file, default filter");
	set_filter(e, 0x3b);
	check(e, &v, VMACORE_DUMP_FULL, 3 * 4096, "mapped-shared",
	      "shared file with bit 3");
	set_filter(e, 0x33);

	v = vma_at(e, 0x40000, 5, VM_READ | VM_WRITE, 0, 0, true);
	check(e, &v, VMACORE_DUMP_FULL, 5 * 4096, "anon-private",
	      "private anon, written");
	v.anon_vma = 0;
	check(e, &v, VMACORE_DUMP_NONE, 0, "anon-untouched",
	      "private anon, never written");
	v.anon_vma = 1;
	set_filter(e, 0x32);
	check(e, &v, VMACORE_DUMP_NONE, 0, "anon-untouched",
	      "private anon, written, bit 0 clear");
	set_filter(e, 0x33);

	v = vma_at(e, 0x50000, 2, VM_READ | VM_SHARED | VM_MAYSHARE, dax, 0,
		   false);
	check(e, &v, VMACORE_DUMP_NONE, 0, "dax-shared", "DAX shared");
	v.vm_flags = VM_READ | VM_DONTDUMP;
	check(e, &v, VMACORE_DUMP_NONE, 0, "dontdump",
	      "VM_DONTDUMP before DAX");
	v.vm_flags = VM_READ;
	set_filter(e, 0x1b3);
	check(e, &v, VMACORE_DUMP_FULL, 2 * 4096, "dax-private",
	      "DAX private with bit 7");
	set_filter(e, 0x33);
}

static void test_elf_header(struct env *e)
{
	uint64_t exe = make_file(e, make_inode(e, 1, 0755, 0, 0));
	uint64_t lib = make_file(e, make_inode(e, 1, 0644, 0, 0));
	uint64_t elf_p = fake_phys_alloc(e->f);
	uint64_t txt_p = fake_phys_alloc(e->f);
	uint64_t gone_p = fake_phys_alloc(e->f);
	uint64_t cached_p = fake_phys_alloc(e->f);
	uint64_t cached = make_file(e, make_inode(e, 1, 0644, 0,
						  cached_p >> 12));
	struct vmacore_vma v;

	fake_write(e->f, FAKE_PHYS_WINDOW + elf_p, "\177ELF", 4);
	fake_write(e->f, FAKE_PHYS_WINDOW + txt_p, "#!/b", 4);
	fake_write(e->f, FAKE_PHYS_WINDOW + cached_p, "\177ELF", 4);
	fake_nodata(e->f, FAKE_PHYS_WINDOW + gone_p);

	v = vma_at(e, 0x400000, 4, VM_READ | VM_EXEC, exe, 0, false);
	check(e, &v, VMACORE_DUMP_FIRST_PAGE, 4096, "elf-header-exec",
	      "executable file at offset 0");
	v.vm_pgoff = 1;
	check(e, &v, VMACORE_DUMP_NONE, 0, "private-file",
	      "executable file not at offset 0");
	v.vm_pgoff = 0;
	v.vm_flags = VM_EXEC;
	check(e, &v, VMACORE_DUMP_NONE, 0, "private-file",
	      "offset 0 without VM_READ");
	set_filter(e, 0x23);
	v.vm_flags = VM_READ;
	check(e, &v, VMACORE_DUMP_NONE, 0, "private-file",
	      "ELF_HEADERS bit clear");
	set_filter(e, 0x37);
	check(e, &v, VMACORE_DUMP_FULL, 4 * 4096, "mapped-private",
	      "private file with bit 2");
	set_filter(e, 0x33);

	v = vma_at(e, 0x600000, 2, VM_READ, lib, 0, false);
	map_page(e->f, e->mm.pgd, v.vm_start, elf_p);
	check(e, &v, VMACORE_DUMP_FIRST_PAGE, 4096, "elf-header-magic",
	      "non-executable file starting with ELFMAG");
	v = vma_at(e, 0x700000, 2, VM_READ, lib, 0, false);
	map_page(e->f, e->mm.pgd, v.vm_start, txt_p);
	check(e, &v, VMACORE_DUMP_NONE, 0, "elf-header-no-magic",
	      "non-executable file without ELFMAG");
	v = vma_at(e, 0x800000, 2, VM_READ, lib, 0, false);
	map_page(e->f, e->mm.pgd, v.vm_start, gone_p);
	check(e, &v, VMACORE_DUMP_UNKNOWN, 0, "elf-header-unknown",
	      "first page mapped but not in the dump");
	v = vma_at(e, 0x900000, 2, VM_READ, cached, 0, false);
	check(e, &v, VMACORE_DUMP_FIRST_PAGE, 4096, "elf-header-magic",
	      "first page not mapped, found in the page cache");
	v = vma_at(e, 0xa00000, 2, VM_READ, lib, 0, false);
	check(e, &v, VMACORE_DUMP_UNKNOWN, 0, "elf-header-unknown",
	      "first page neither mapped nor cached");
}

static void test_pgtable(struct env *e)
{
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t p = fake_phys_alloc(e->f), pmd_table, pgd_e, pud_e, pmd_e;

	map_page(e->f, e->mm.pgd, 0x7f1234567000ULL, p);
	err = vmacore_pgtable_lookup(e->ctx, e->mm.pgd, 0x7f1234567abcULL,
				     &pte);
	ok(!err && pte.present && pte.pfn == p >> 12 && pte.level == 1 &&
	   pte.page_size == 4096, "pgtable: a 4K page");
	vmacore_error_destroy(err);
	err = vmacore_pgtable_lookup(e->ctx, e->mm.pgd, 0x7f1234568000ULL,
				     &pte);
	ok(!err && !pte.present && pte.level == 1, "pgtable: a pte_none()");
	vmacore_error_destroy(err);

	/* a 2M page: a PSE pmd next to the 4K page table */
	pgd_e = fake_r64(e->f, e->mm.pgd + ((0x7f1234567000ULL >> 39) & 511) * 8);
	pud_e = fake_r64(e->f, FAKE_PHYS_WINDOW + (pgd_e & ~0xfffULL) +
			 ((0x7f1234567000ULL >> 30) & 511) * 8);
	pmd_table = pud_e & 0x000ffffffffff000ULL;
	pmd_e = 0x40000000ULL | 0x80 | 0x27;
	fake_w64(e->f, FAKE_PHYS_WINDOW + pmd_table + 0x1a4 * 8, pmd_e);
	err = vmacore_pgtable_lookup(e->ctx, e->mm.pgd,
				     (0x7f1234567000ULL & ~0x3fffffffULL) |
				     (0x1a4ULL << 21) | 0x3000, &pte);
	ok(!err && pte.present && pte.level == 2 &&
	   pte.pfn == (0x40000000ULL >> 12) + 3 && pte.page_size == 2 << 20,
	   "pgtable: a 2M page, pfn of the 4th base page");
	vmacore_error_destroy(err);

	/* PROT_NONE: present, pfn inverted (L1TF) */
	fake_w64(e->f, FAKE_PHYS_WINDOW + pmd_table + 0x1a5 * 8,
		 (~0x80000000ULL & 0x000ffffffffff000ULL) | 0x100 | 0x80);
	err = vmacore_pgtable_lookup(e->ctx, e->mm.pgd,
				     (0x7f1234567000ULL & ~0x3fffffffULL) |
				     (0x1a5ULL << 21), &pte);
	ok(!err && pte.present && pte.pfn == 0x80000000ULL >> 12,
	   "pgtable: a PROT_NONE 2M page, inverted pfn");
	vmacore_error_destroy(err);

	fake_nodata(e->f, FAKE_PHYS_WINDOW + pmd_table);
	err = vmacore_pgtable_lookup(e->ctx, e->mm.pgd, 0x7f1234567000ULL,
				     &pte);
	is_err(err, VMACORE_ERROR_NODATA, "pgtable: a table not in the dump");
}

static void test_vma_bit_enum(void)
{
	struct fake_target *f = fake_create();
	struct env e;
	struct vmacore_vma v;

	layout(f);
	/* 7.x: VM_* from the VMA_*_BIT enum, here at other bits */
	fake_enum(f, "VMA_DONTDUMP_BIT", 40);
	fake_enum(f, "VMA_IO_BIT", 41);
	env_init(&e, f);
	v = vma_at(&e, 0x10000, 2, VM_READ | (1ULL << 40), 0, 0, true);
	check(&e, &v, VMACORE_DUMP_NONE, 0, "dontdump",
	      "VM_DONTDUMP from VMA_DONTDUMP_BIT");
	v.vm_flags = VM_READ | VM_DONTDUMP;
	check(&e, &v, VMACORE_DUMP_FULL, 2 * 4096, "anon-private",
	      "0x4000000 is not VM_DONTDUMP when the enum says otherwise");
	v.vm_flags = VM_READ | (1ULL << 41);
	check(&e, &v, VMACORE_DUMP_NONE, 0, "io", "VM_IO from VMA_IO_BIT");
	vmacore_ctx_destroy(e.ctx);
	fake_destroy(f);
}

/* ------------------------------------------------------------------------ */
/* Constants the dump tells: VMCOREINFO, probed enumerators                 */
/* ------------------------------------------------------------------------ */

/* The VMCOREINFO of the next context: key, value pairs, NULL-ended. */
static const char *vmci[8][2];

static struct vmacore_error *vmci_op(void *priv, const char *key, char *buf,
				     size_t size)
{
	unsigned int i;

	for (i = 0; i < 8 && vmci[i][0]; i++) {
		if (strcmp(vmci[i][0], key))
			continue;
		snprintf(buf, size, "%s", vmci[i][1]);
		return NULL;
	}
	return vmacore_error_create(VMACORE_ERROR_LOOKUP, "no %s", key);
}

static struct vmacore_error *vmci_ctx(struct fake_target *f,
				      struct vmacore_ctx **ret)
{
	static struct vmacore_target_ops ops;

	ops = fake_ops;
	ops.vmcoreinfo = vmci_op;
	fake_phys_base(f, FAKE_PHYS_WINDOW);
	return vmacore_ctx_create(&ops, f, ret);
}

static void test_pagesize(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	struct vmacore_coredump_verdict r;
	struct vmacore_error *err;
	struct env e;
	struct vmacore_vma v;
	uint64_t exe;

	layout(f);
	memset(vmci, 0, sizeof(vmci));
	vmci[0][0] = "PAGESIZE";
	vmci[0][1] = "16384";
	env_init(&e, f);	/* for its mm and allocations */
	vmacore_ctx_destroy(e.ctx);
	no_err(vmci_ctx(f, &e.ctx), "context with VMCOREINFO PAGESIZE=16384");
	is_int(vmacore_ctx_page_size(e.ctx), 16384,
	       "PAGE_SIZE is VMCOREINFO's PAGESIZE");
	exe = make_file(&e, make_inode(&e, 1, 0100755, 0, 0));
	v = vma_at(&e, 0x400000, 8, VM_READ | VM_EXEC, exe, 0, false);
	err = vmacore_coredump_vma(e.ctx, &e.mm, &v, &r);
	ok(!err && r.kind == VMACORE_DUMP_FIRST_PAGE && r.size == 16384,
	   "an executable's first page is PAGESIZE bytes (got %llu)",
	   (unsigned long long)r.size);
	vmacore_error_destroy(err);
	vmacore_ctx_destroy(e.ctx);

	vmci[0][1] = "12288";
	is_err(vmci_ctx(f, &ctx), VMACORE_ERROR_CORRUPT,
	       "a PAGESIZE that is not a power of two is CORRUPT");
	vmci[0][1] = "4k";
	is_err(vmci_ctx(f, &ctx), VMACORE_ERROR_CORRUPT,
	       "a PAGESIZE that is not a number is CORRUPT");
	vmci[0][0] = NULL;
	no_err(vmci_ctx(f, &ctx), "context without PAGESIZE");
	is_int(vmacore_ctx_page_size(ctx), 4096,
	       "without PAGESIZE: x86_64's PAGE_SIZE");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* The SME C-bit in page-table entries: NUMBER(sme_mask), or sme_me_mask. */
static void test_sme_mask(void)
{
	const uint64_t c_bit = 1ULL << 47, va = 0x7f0000201000ULL;
	struct fake_target *f = fake_create();
	struct vmacore_error *err;
	struct vmacore_pte pte;
	struct env e;
	uint64_t p, pgd_e;
	unsigned int pass;

	layout(f);
	env_init(&e, f);
	vmacore_ctx_destroy(e.ctx);
	p = fake_phys_alloc(f);
	map_page(f, e.mm.pgd, va, p | c_bit);
	/* the tables below the pgd are encrypted too */
	pgd_e = fake_r64(f, e.mm.pgd + ((va >> 39) & 511) * 8);
	fake_w64(f, e.mm.pgd + ((va >> 39) & 511) * 8, pgd_e | c_bit);
	for (pass = 0; pass < 2; pass++) {
		memset(vmci, 0, sizeof(vmci));
		if (pass == 0) {
			vmci[0][0] = "NUMBER(sme_mask)";
			vmci[0][1] = "140737488355328";
		} else {
			uint64_t sym = fake_alloc(f, 8, 8);

			fake_symbol(f, "sme_me_mask", sym, 8);
			fake_w64(f, sym, c_bit);
		}
		no_err(vmci_ctx(f, &e.ctx), "context with an SME mask");
		err = vmacore_pgtable_lookup(e.ctx, e.mm.pgd, va, &pte);
		if (!ok(!err && pte.present && pte.pfn == p >> 12,
			"the C-bit is not part of the pfn (%s)",
			pass ? "sme_me_mask" : "VMCOREINFO NUMBER(sme_mask)"))
			printf("#   %s pfn 0x%llx, want 0x%llx\n",
			       err ? err->message : "",
			       (unsigned long long)pte.pfn,
			       (unsigned long long)(p >> 12));
		vmacore_error_destroy(err);
		vmacore_ctx_destroy(e.ctx);
	}
	fake_destroy(f);
}

/* struct page, folio of this test */
enum { PG_FLAGS = 0, PG_HEAD = 8, PG_MAPPING = 0x18, PG_INDEX = 0x20,
       PG_TYPE = 0x30 };

static void page_layout(struct fake_target *f)
{
	fake_member(f, "page", "flags", PG_FLAGS, 8);
	fake_member(f, "page", "compound_head", PG_HEAD, 8);
	fake_member(f, "page", "mapping", PG_MAPPING, 8);
	fake_member(f, "page", "page_type", PG_TYPE, 4);
	fake_member(f, "folio", "flags", PG_FLAGS, 8);
	fake_member(f, "folio", "mapping", PG_MAPPING, 8);
	fake_member(f, "folio", "index", PG_INDEX, 8);
}

/* page_has_type(): below PGTY_mapcount_underflow << 24, as probed */
static void test_pgty(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	struct vmacore_folio fo;
	struct vmacore_error *err;
	uint64_t page = VMEMMAP + 7 * PAGE_STRUCT;

	layout(f);
	page_layout(f);
	/* a kernel whose enum is not the 0xff of 6.10-7.x */
	fake_enum(f, "PGTY_mapcount_underflow", 0xf0);
	fake_zero(f, page, PAGE_STRUCT);
	fake_w64(f, page + PG_MAPPING, 0xffff888012340001ULL);	/* anon */
	fake_w32(f, page + PG_TYPE, 0xf8000000);
	ctx = fake_phys_ctx(f);
	err = vmacore_folio_read(ctx, 7, &fo);
	ok(!err && fo.kind == VMACORE_PAGE_ANON,
	   "page_type 0xf8000000 is no type when PGTY_mapcount_underflow is 0xf0");
	vmacore_error_destroy(err);
	fake_w32(f, page + PG_TYPE, 0xe8000000);
	err = vmacore_folio_read(ctx, 7, &fo);
	ok(!err && fo.kind == VMACORE_PAGE_TYPED,
	   "page_type 0xe8000000 is a type below 0xf0 << 24");
	vmacore_error_destroy(err);
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* VMEMMAP_START: vmemmap_base, VMCOREINFO SYMBOL(vmemmap), __VMEMMAP_BASE_L4 */
static void test_vmemmap(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_ctx *ctx;
	struct vmacore_error *err;
	uint64_t page = 0, l5;

	/* not layout(), which declares vmemmap_base */
	fake_layout_default(f);
	page_layout(f);
	fake_type(f, "page", PAGE_STRUCT);
	memset(vmci, 0, sizeof(vmci));
	vmci[0][0] = "SYMBOL(vmemmap)";
	vmci[0][1] = "ffffd40000000000";
	no_err(vmci_ctx(f, &ctx), "context without vmemmap_base");
	err = vmacore_page_from_pfn(ctx, 5, &page);
	ok(!err && page == 0xffffd40000000000ULL + 5 * PAGE_STRUCT,
	   "no vmemmap_base: VMCOREINFO SYMBOL(vmemmap) (got 0x%llx)",
	   (unsigned long long)page);
	vmacore_error_destroy(err);
	vmacore_ctx_destroy(ctx);

	vmci[0][0] = NULL;
	no_err(vmci_ctx(f, &ctx), "context without vmemmap_base nor VMCOREINFO");
	err = vmacore_page_from_pfn(ctx, 5, &page);
	ok(!err && page == 0xffffea0000000000ULL + 5 * PAGE_STRUCT,
	   "4-level paging without either: __VMEMMAP_BASE_L4");
	vmacore_error_destroy(err);
	vmacore_ctx_destroy(ctx);

	l5 = fake_alloc(f, 8, 8);
	fake_symbol(f, "__pgtable_l5_enabled", l5, 4);
	fake_w32(f, l5, 1);
	no_err(vmci_ctx(f, &ctx), "context of a 5-level kernel");
	is_err(vmacore_page_from_pfn(ctx, 5, &page), VMACORE_ERROR_LOOKUP,
	       "5-level paging without either: no constant, an error");
	vmacore_ctx_destroy(ctx);
	fake_destroy(f);
}

/* [heap] where show_map_vma()'s two rules disagree says it was assumed */
static void test_heap_rule(void)
{
	struct fake_target *f = fake_create();
	struct vmacore_maps_line ml;
	struct vmacore_error *err;
	struct env e;
	struct vmacore_vma v;

	layout(f);
	env_init(&e, f);
	e.mm.start_brk = 0x600000;
	e.mm.brk = 0x621000;
	e.mm.start_stack = 0x7ffff000;
	v = vma_at(&e, 0x600000, 0x21, VM_READ | VM_WRITE, 0, 0, true);
	err = vmacore_vma_maps_line(e.ctx, &e.mm, &v, &ml);
	ok(!err && !strcmp(ml.name, "[heap]") && !ml.partial && !ml.assumed,
	   "the heap is [heap] under both rules, nothing assumed");
	vmacore_error_destroy(err);
	/* .bss ending at start_brk: [heap] in 6.1, not since v6.6 */
	v = vma_at(&e, 0x5fe000, 2, VM_READ | VM_WRITE, 0, 0, true);
	err = vmacore_vma_maps_line(e.ctx, &e.mm, &v, &ml);
	ok(!err && !ml.name[0] && ml.assumed &&
	   strstr(ml.assumed, "vma_is_initial_heap()"),
	   "a VMA ending at start_brk: not [heap] by the rule assumed, said");
	vmacore_error_destroy(err);
	v = vma_at(&e, 0x400000, 2, VM_READ, 0, 0, true);
	err = vmacore_vma_maps_line(e.ctx, &e.mm, &v, &ml);
	ok(!err && !ml.name[0] && !ml.assumed && !strcmp(ml.perms, "r--p"),
	   "a VMA away from the heap: no name, complete, perms r--p");
	vmacore_error_destroy(err);
	vmacore_ctx_destroy(e.ctx);
	fake_destroy(f);
}

int main(void)
{
	struct fake_target *f = fake_create();
	struct env e;

	layout(f);
	env_init(&e, f);
	test_always_dump(&e);
	test_gate(&e);
	test_flags_and_filters(&e);
	test_elf_header(&e);
	test_pgtable(&e);
	vmacore_ctx_destroy(e.ctx);
	fake_destroy(f);
	test_vma_bit_enum();
	test_pagesize();
	test_sme_mask();
	test_pgty();
	test_vmemmap();
	test_heap_rule();
	return tap_done();
}
