// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_arm64.c - an arm64 kernel in the fake target (see fake_arm64.h).
 */
#include <stdio.h>
#include <string.h>

#include "fake_arm64.h"

#define FAKE_A64_PROTMAP	0xffff800008ef8fc0ull
#define FAKE_A64_TABLES		0x100000000ull	/* physical, 4 GiB up */

static const struct fake_arm64 *cur;	/* whose VMCOREINFO the op gives */

static struct vmacore_error *a64_vmcoreinfo(void *priv, const char *key,
					    char *buf, size_t size)
{
	const struct fake_arm64 *a = cur;
	unsigned long long v;
	const char *fmt = "%llu";

	(void)priv;
	if (!strcmp(key, "PAGESIZE") && !a->no_pagesize) {
		v = 1ull << a->page_shift;
	} else if (!strcmp(key, "NUMBER(kimage_voffset)")) {
		v = 0xffff7fffc8000000ull;
		fmt = "0x%llx";
	} else if (!strcmp(key, "NUMBER(PHYS_OFFSET)")) {
		v = 0x40000000;
		fmt = "0x%llx";
	} else if (!strcmp(key, "NUMBER(VA_BITS)")) {
		v = a->va_bits;
	} else if (!strcmp(key, "NUMBER(TCR_EL1_T1SZ)") && !a->no_t1sz) {
		v = 64 - a->va_bits;
		fmt = "0x%llx";
	} else if (!strcmp(key, "NUMBER(MAX_PHYSMEM_BITS)") && a->physbits) {
		v = a->physbits;
	} else if (!strcmp(key, "NUMBER(VMEMMAP_START)")) {
		v = 0xfffffc0000000000ull;
		fmt = "0x%llx";
	} else {
		return vmacore_error_create(VMACORE_ERROR_LOOKUP, "no %s", key);
	}
	snprintf(buf, size, fmt, v);
	return NULL;
}

void fake_arm64_init(struct fake_arm64 *a, unsigned int page_shift,
		     unsigned int va_bits)
{
	memset(a, 0, sizeof(*a));
	a->f = fake_create();
	a->page_shift = page_shift;
	a->va_bits = va_bits;
	a->page_none = A64_PAGE_NONE_OLD;
	a->next_phys = FAKE_A64_TABLES;
	fake_layout_default(a->f);
	fake_phys_base(a->f, FAKE_PHYS_WINDOW);
}

struct vmacore_error *fake_arm64_ctx(struct fake_arm64 *a,
				     struct vmacore_ctx **ret)
{
	static struct vmacore_target_ops ops;

	ops = fake_ops;
	ops.vmcoreinfo = a64_vmcoreinfo;
	cur = a;
	if (a->page_none) {
		fake_symbol(a->f, "protection_map", FAKE_A64_PROTMAP, 128);
		fake_w64(a->f, FAKE_A64_PROTMAP, a->page_none);
	}
	return vmacore_ctx_create(&ops, a->f, ret);
}

unsigned int fake_arm64_levels(const struct fake_arm64 *a)
{
	return (a->va_bits - 4) / (a->page_shift - 3);
}

uint64_t fake_arm64_table(struct fake_arm64 *a)
{
	uint64_t size = 1ull << a->page_shift, p = a->next_phys;

	a->next_phys += size;
	fake_zero(a->f, FAKE_PHYS_WINDOW + p, size);
	return p;
}

uint64_t fake_arm64_oa(const struct fake_arm64 *a, uint64_t phys)
{
	uint64_t low = phys & ((1ull << 48) - 1);

	if (a->page_shift != 16 && a->va_bits == 52)	/* LPA2 */
		return (phys & ((1ull << 50) - 1)) | ((phys >> 42) & (3ull << 8));
	if (a->page_shift == 16 && a->physbits == 52)	/* LPA */
		return low | ((phys >> 36) & (0xfull << 12));
	return low;
}

void fake_arm64_set(struct fake_arm64 *a, uint64_t pgd_phys, uint64_t vaddr,
		    int level, uint64_t entry)
{
	unsigned int ps = a->page_shift, bits = ps - 3;
	int top = fake_arm64_levels(a), l;
	uint64_t table = pgd_phys, at, e;

	for (l = top; ; l--) {
		unsigned int shift = ps + bits * (l - 1);
		unsigned int ibits = l == top ? a->va_bits - shift : bits;

		at = FAKE_PHYS_WINDOW + table +
		     ((vaddr >> shift) & ((1ull << ibits) - 1)) * 8;
		if (l == level)
			break;
		e = fake_r64(a->f, at);
		if (!(e & A64_VALID)) {
			e = fake_arm64_oa(a, fake_arm64_table(a)) | A64_VALID |
			    A64_TABLE;
			fake_w64(a->f, at, e);
		}
		/* __pte_to_phys() of the table descriptor */
		if (a->page_shift != 16 && a->va_bits == 52)
			table = (e & ((1ull << 50) - 1) & ~((1ull << ps) - 1)) |
				((e & (3ull << 8)) << 42);
		else if (a->page_shift == 16 && a->physbits == 52)
			table = (e & ((1ull << 48) - 1) & ~((1ull << ps) - 1)) |
				((e & (0xfull << 12)) << 36);
		else
			table = e & ((1ull << 48) - 1) & ~((1ull << ps) - 1);
	}
	fake_w64(a->f, at, entry);
}
