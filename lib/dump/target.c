// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * target.c - the standalone command's struct vmacore_target_ops: memory
 * from kdump.c; symbols from the vmlinux (symtab.c, relocated by the KASLR
 * offset) or from the dump's kallsyms (kallsyms.c, run-time addresses
 * already); types from the vmlinux's BTF or DWARF, or from the BTF in the
 * dumped kernel's memory (btf.c).  Also finds the vmlinux of a dump and
 * refuses a vmlinux that belongs to another kernel.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "dump.h"
#include "internal.h"

/* __START_KERNEL_map: symbols of the kernel image move with KASLR; per-cpu
 * symbols (small offsets) and absolute ones do not. */
#define START_KERNEL_MAP 0xffffffff80000000ULL
#define PAGE_SHIFT 12

#define dump_log(t, ...) dump_logf((t)->log, (t)->log_arg, __VA_ARGS__)

static struct dump_target *to_target(void *priv)
{
	return priv;
}

static struct vmacore_error *op_read(void *priv, uint64_t addr, void *buf,
				     size_t len, bool physical)
{
	return kdump_target_read(to_target(priv)->kdump, addr, buf, len,
				 physical);
}

/*
 * x86_64 links the image at __START_KERNEL_map; arm64 at KIMAGE_VADDR, in
 * the kernel half, where its absolute symbols (sizes, offsets) never are.
 */
static uint64_t relocate(struct dump_target *t, uint64_t value)
{
	bool image;

	if (t->kallsyms)	/* run-time addresses already */
		return value;
	if (kdump_target_arch(t->kdump) == DUMP_ARCH_ARM64)
		image = value >> 63;
	else
		image = value >= START_KERNEL_MAP;
	return image ? value + t->kaslr_offset : value;
}

static struct vmacore_error *op_symbol(void *priv, const char *name,
				       uint64_t *addr_ret, uint64_t *size_ret)
{
	struct dump_target *t = to_target(priv);
	struct vmacore_error *err;
	uint64_t value;

	if (t->kallsyms)
		return kallsyms_lookup(t->kallsyms, name, addr_ret, size_ret);
	err = symtab_lookup(t->symtab, name, &value, size_ret);
	if (err)
		return err;
	*addr_ret = relocate(t, value);
	return NULL;
}

static struct vmacore_error *op_type_size(void *priv, const char *type,
					  uint64_t *ret)
{
	struct types *ty = to_target(priv)->types;

	return ty->type_size(ty, type, ret);
}

static struct vmacore_error *op_member(void *priv, const char *type,
				       const char *member, uint64_t *offset_ret,
				       uint64_t *size_ret)
{
	struct types *ty = to_target(priv)->types;

	return ty->member(ty, type, member, offset_ret, size_ret);
}

static struct vmacore_error *op_enumerator(void *priv, const char *name,
					   int64_t *ret)
{
	struct types *ty = to_target(priv)->types;

	return ty->enumerator(ty, name, ret);
}

static struct vmacore_error *op_vmcoreinfo(void *priv, const char *key,
					   char *buf, size_t size)
{
	struct vmacore_error *err;
	char *val;

	err = kdump_target_vmcoreinfo(to_target(priv)->kdump, key, &val);
	if (err)
		return err;
	if (strlen(val) >= size) {
		free(val);
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "VMCOREINFO %s is longer than %zu bytes",
					    key, size);
	}
	strcpy(buf, val);
	free(val);
	return NULL;
}

const struct vmacore_target_ops dump_target_ops = {
	.read = op_read,
	.symbol = op_symbol,
	.type_size = op_type_size,
	.member = op_member,
	.enumerator = op_enumerator,
	.vmcoreinfo = op_vmcoreinfo,
};

/* Where Debian's linux-image-*-dbg packages put the vmlinux. */
static struct vmacore_error *find_vmlinux(struct dump_target *t, char **ret)
{
	static const char *const fmts[] = {
		"/usr/lib/debug/boot/vmlinux-%s",
		"/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	struct vmacore_error *err;
	char *rel, *path;
	size_t i;

	err = kdump_target_vmcoreinfo(t->kdump, "OSRELEASE", &rel);
	if (err)
		return vmacore_error_prefix(err,
					    "cannot find the vmlinux (use -k)");
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		if (asprintf(&path, fmts[i], rel) < 0) {
			free(rel);
			return &vmacore_enomem;
		}
		if (access(path, R_OK) == 0) {
			free(rel);
			*ret = path;
			return NULL;
		}
		free(path);
	}
	err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
				   "no /usr/lib/debug/boot/vmlinux-%s or /usr/lib/debug/lib/modules/%s/vmlinux",
				   rel, rel);
	free(rel);
	return err;
}

static struct vmacore_error *mismatch(const struct dump_target_options *o,
				      const char *what, const char *dump,
				      const char *file)
{
	return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
				    VMACORE_MISMATCH_PREFIX ": %s has %s %s, %s has %s %s (--force to use it anyway)",
				    o->vmcore, what, dump, o->vmlinux, what,
				    file);
}

/*
 * The build id VMCOREINFO carries (BUILD-ID, Linux 5.9+) against the
 * vmlinux's NT_GNU_BUILD_ID note; otherwise OSRELEASE against the release
 * in the vmlinux's linux_banner ("Linux version REL (...").
 */
static struct vmacore_error *check_match(struct dump_target *t,
					 const struct dump_target_options *o)
{
	const char *file_id = symtab_build_id(t->symtab);
	struct vmacore_error *err;
	char *dump_id, *rel;
	char banner[256], want[256];
	uint64_t value, size;

	err = kdump_target_vmcoreinfo(t->kdump, "BUILD-ID", &dump_id);
	if (!err && *file_id) {
		bool same = strncmp(dump_id, file_id, strlen(file_id)) == 0 &&
			    strspn(dump_id + strlen(file_id), "0") ==
			    strlen(dump_id + strlen(file_id));

		if (!same)
			err = mismatch(o, "build id", dump_id, file_id);
		else if (o->verbose)
			dump_log(t, "build id %s matches",
				file_id);
		free(dump_id);
		return err;
	}
	if (!err)
		free(dump_id);
	vmacore_error_destroy(err);

	err = kdump_target_vmcoreinfo(t->kdump, "OSRELEASE", &rel);
	if (err)
		return vmacore_error_prefix(err,
					    "cannot check that the vmlinux matches the dump");
	err = symtab_lookup(t->symtab, "linux_banner", &value, &size);
	if (!err) {
		memset(banner, 0, sizeof(banner));
		err = symtab_read_file(t->symtab, value, banner,
				       sizeof(banner) - 1);
		/* A debug-only vmlinux has no .rodata contents: read the
		 * banner from the dump at the symbol's address instead. */
		if (err) {
			vmacore_error_destroy(err);
			err = kdump_target_read(t->kdump, relocate(t, value),
						banner, sizeof(banner) - 1,
						false);
		}
	}
	if (err) {
		free(rel);
		return vmacore_error_prefix(err,
					    "cannot check that the vmlinux matches the dump");
	}
	snprintf(want, sizeof(want), "Linux version %s ", rel);
	if (strncmp(banner, want, strlen(want)) != 0) {
		char *nl = strchr(banner, '(');

		if (nl)
			*nl = '\0';
		err = mismatch(o, "release", rel, banner);
	} else if (o->verbose) {
		dump_log(t, "release %s matches the banner",
			rel);
	}
	free(rel);
	return err;
}

static bool vmcoreinfo_number(struct dump_target *t, const char *key,
			      uint64_t *ret)
{
	struct vmacore_error *err;
	char *val, *end;
	bool ok;

	err = kdump_target_vmcoreinfo(t->kdump, key, &val);
	if (err) {
		vmacore_error_destroy(err);
		return false;
	}
	errno = 0;
	*ret = strtoull(val, &end, 0);
	ok = *val && !*end && !errno;
	free(val);
	return ok;
}

/*
 * arm64's shortcuts (kdump.c), each checked once against addrxlat where
 * addrxlat can translate: the image [_text, _end) at x - kimage_voffset
 * (__kimg_to_phys()), and the linear map, __phys_to_virt(x) =
 * (x - PHYS_OFFSET) | PAGE_OFFSET with PAGE_OFFSET = _PAGE_OFFSET(VA_BITS)
 * = -(1 << VA_BITS) (arch/arm64/include/asm/memory.h), up to max_pfn.
 */
static void setup_arm64_maps(struct dump_target *t)
{
	uint64_t text, end, voff, va_bits, phys_offset, max_pfn, addr;
	uint64_t base, a = 0, b = 0;

	if (op_symbol(t, "_text", &text, NULL) ||
	    op_symbol(t, "_end", &end, NULL) || end <= text ||
	    end - text > (1ULL << 32) ||
	    !vmcoreinfo_number(t, "NUMBER(kimage_voffset)", &voff) ||
	    !vmcoreinfo_number(t, "NUMBER(VA_BITS)", &va_bits) ||
	    !vmcoreinfo_number(t, "NUMBER(PHYS_OFFSET)", &phys_offset) ||
	    va_bits < 36 || va_bits > 52) {
		if (t->verbose)
			dump_log(t,
				"no image/linear-map shortcut: every read walks the page tables");
		return;
	}
	kdump_target_set_image_map(t->kdump, text, end - text, text - voff);
	if (op_symbol(t, "max_pfn", &addr, NULL) ||
	    kdump_target_read(t->kdump, addr, &max_pfn, 8, false) ||
	    max_pfn == 0 || max_pfn > (1ULL << (52 - PAGE_SHIFT)))
		return;
	base = -(1ULL << va_bits) - phys_offset;
	/* one check: the linear alias of _text reads as _text does */
	if (!kdump_target_read(t->kdump, base + text - voff, &b, 8, false) &&
	    !kdump_target_read(t->kdump, text, &a, 8, false) && a != b) {
		if (t->verbose)
			dump_log(t,
				"linear map at 0x%" PRIx64 " does not hold the image: no shortcut",
				base + phys_offset);
		return;
	}
	kdump_target_set_direct_map(t->kdump, base, max_pfn << PAGE_SHIFT);
	if (t->verbose)
		dump_log(t,
			"image at 0x%" PRIx64 " (phys 0x%" PRIx64 "), linear map at 0x%" PRIx64 " from phys 0x%" PRIx64 "",
			text, text - voff, base + phys_offset, phys_offset);
}

/* Direct-map shortcut (kdump.c): page_offset_base and max_pfn. */
static void setup_direct_map(struct dump_target *t)
{
	uint64_t addr, base, max_pfn;

	if (getenv("VMACORE_NO_DIRECT_MAP"))
		return;
	if (kdump_target_arch(t->kdump) == DUMP_ARCH_ARM64) {
		setup_arm64_maps(t);
		return;
	}
	if (op_symbol(t, "page_offset_base", &addr, NULL) ||
	    kdump_target_read(t->kdump, addr, &base, 8, false) ||
	    op_symbol(t, "max_pfn", &addr, NULL) ||
	    kdump_target_read(t->kdump, addr, &max_pfn, 8, false)) {
		if (t->verbose)
			dump_log(t,
				"no direct-map shortcut: every read walks the page tables");
		return;
	}
	if (max_pfn == 0 || max_pfn > (1ULL << (52 - PAGE_SHIFT)) ||
	    base < 0xff00000000000000ULL)
		return;
	kdump_target_set_direct_map(t->kdump, base, max_pfn << PAGE_SHIFT);
	if (t->verbose)
		dump_log(t,
			"direct map at 0x%" PRIx64 ", %" PRIu64 " MiB",
			base, (max_pfn << PAGE_SHIFT) >> 20);
}

/* What to pass instead when the dump alone is not enough. */
#define USE_K " (pass its vmlinux with -k)"

/* "@what: <message> (pass its vmlinux with -k)"; @err is returned. */
static struct vmacore_error *use_k(struct vmacore_error *err, const char *what)
{
	char *msg;

	if (err->is_static ||
	    asprintf(&msg, "%s: %s" USE_K, what, err->message) < 0)
		return err;
	free(err->message);
	err->message = msg;
	return err;
}

static void list_symbol(void *arg, uint64_t addr, char type, const char *name)
{
	fprintf(arg, "%016" PRIx64 " %c %s\n", addr, type, name);
}

/* VMACORE_KALLSYMS_LIST=FILE: the decoded table, for tests. */
static void list_kallsyms(struct dump_target *t)
{
	const char *path = getenv("VMACORE_KALLSYMS_LIST");
	FILE *f;

	if (!path || !(f = fopen(path, "w")))
		return;
	kallsyms_for_each(t->kallsyms, list_symbol, f);
	fclose(f);
}

/*
 * The kernel's BTF lies between __start_BTF and __stop_BTF (the .BTF
 * section, which kernel/bpf/sysfs_btf.c serves as /sys/kernel/btf/vmlinux).
 */
#define MAX_BTF_SIZE (256ULL << 20)

/*
 * The BTF's bytes (megabytes, read once): mapped with its pages made at
 * once, huge where the kernel can, rather than faulted in one by one.
 */
#define HUGE_SIZE (2UL << 20)

static void *btf_buffer(size_t size)
{
	size_t len = (size + 4095) & ~4095UL;
	uintptr_t raw, p;

	raw = (uintptr_t)mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((void *)raw == MAP_FAILED)
		return NULL;
	/* aligned to a huge page: the rest unmapped again */
	p = (raw + HUGE_SIZE - 1) & ~(HUGE_SIZE - 1);
	if (p > raw)
		munmap((void *)raw, p - raw);
	if (raw + HUGE_SIZE > p)
		munmap((void *)(p + len), raw + HUGE_SIZE - p);
	madvise((void *)p, len, MADV_HUGEPAGE);
	return (void *)p;
}

static struct vmacore_error *open_dump_btf(struct dump_target *t)
{
	struct vmacore_error *err;
	uint64_t start, stop;
	void *data;

	err = kallsyms_lookup(t->kallsyms, "__start_BTF", &start, NULL);
	if (!err)
		err = kallsyms_lookup(t->kallsyms, "__stop_BTF", &stop, NULL);
	if (err)
		return use_k(err, "the dump holds no BTF of the kernel (built without CONFIG_DEBUG_INFO_BTF?)");
	if (stop <= start || stop - start > MAX_BTF_SIZE)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "the dump's BTF is corrupt: __start_BTF 0x%" PRIx64 ", __stop_BTF 0x%" PRIx64 USE_K,
					    start, stop);
	data = btf_buffer(stop - start);
	if (!data)
		return &vmacore_enomem;
	err = kdump_target_read_image(t->kdump, start, data, stop - start);
	if (err) {
		munmap(data, stop - start);
		return use_k(err, err->code == VMACORE_ERROR_NODATA ?
			     "the kernel's BTF is not in the dump (pages excluded)" :
			     "cannot read the kernel's BTF from the dump");
	}
	err = btf_types_from_mem(data, stop - start, "the kernel's BTF in the dump",
				 &t->types);
	munmap(data, stop - start);
	if (err)
		return use_k(err, "the dump's BTF is corrupt");
	return NULL;
}

/*
 * Symbols and types from the dump alone.  No vmlinux to mismatch; the
 * banner at linux_banner must still name the release VMCOREINFO gives,
 * which catches kallsyms decoded at wrong addresses.
 */
static struct vmacore_error *open_dump_alone(struct dump_target *t,
					     const struct dump_target_options *o)
{
	struct vmacore_error *err;
	char banner[256], want[256], *rel;
	uint64_t addr;

	kdump_target_set_cache(t->kdump, o->cache_dir);
	err = kallsyms_open(t->kdump, &t->kallsyms);
	if (err)
		return use_k(err, "cannot read the kernel's symbols from the dump (kallsyms)");
	if (o->verbose) {
		static const char *const layouts[] = {
			[KS_ABSOLUTE] = "absolute",
			[KS_ABSOLUTE_PERCPU] = "relative to kallsyms_relative_base, per-cpu absolute",
			[KS_RELATIVE] = "relative to kallsyms_relative_base",
			[KS_PREL] = "each relative to itself",
		};

		if (t->kallsyms->seqs)
			dump_log(t,
				"%" PRIu32 " kallsyms symbols, found by name through kallsyms_seqs_of_names, addresses %s",
				t->kallsyms->num,
				layouts[t->kallsyms->layout]);
		else
			dump_log(t,
				"%" PRIu32 " kallsyms symbols (%zu names), addresses %s",
				t->kallsyms->num, t->kallsyms->count,
				layouts[t->kallsyms->layout]);
	}
	list_kallsyms(t);
	/* Without CONFIG_KALLSYMS_ALL, kallsyms has functions only. */
	err = kallsyms_lookup(t->kallsyms, "init_task", &addr, NULL);
	if (err)
		return use_k(err, "the dump's kallsyms has no data symbols (a kernel without CONFIG_KALLSYMS_ALL?)");
	err = kdump_target_vmcoreinfo(t->kdump, "OSRELEASE", &rel);
	if (!err) {
		memset(banner, 0, sizeof(banner));
		err = kallsyms_lookup(t->kallsyms, "linux_banner", &addr, NULL);
		if (!err)
			err = kdump_target_read(t->kdump, addr, banner,
						sizeof(banner) - 1, false);
		snprintf(want, sizeof(want), "Linux version %s ", rel);
		if (!err && strncmp(banner, want, strlen(want)) != 0)
			err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
						   "the dump's kallsyms are wrong: linux_banner does not read \"%s\"" USE_K,
						   want);
		else if (!err && o->verbose)
			dump_log(t,
				"release %s matches the banner",
				rel);
		free(rel);
		if (err)
			return err;
	}
	vmacore_error_destroy(err);	/* no OSRELEASE: nothing to check */
	if (o->dwarf)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
					    "--dwarf needs a vmlinux: the dump holds no DWARF");
	return open_dump_btf(t);
}

static struct vmacore_error *open_vmlinux(struct dump_target *t,
					  struct dump_target_options *o)
{
	struct vmacore_error *err;
	char *off;

	t->vmlinux = o->vmlinux;
	err = symtab_open(o->vmlinux, &t->symtab);
	if (err)
		return err;

	err = kdump_target_vmcoreinfo(t->kdump, "KERNELOFFSET", &off);
	if (!err) {
		t->kaslr_offset = strtoull(off, NULL, 16);
		free(off);
	}
	vmacore_error_destroy(err);	/* absent: no KASLR */
	if (o->verbose)
		dump_log(t, "%zu symbols, KASLR offset 0x%" PRIx64,
			symtab_count(t->symtab), t->kaslr_offset);

	err = check_match(t, o);
	if (err) {
		if (!o->force || strncmp(err->message, VMACORE_MISMATCH_PREFIX,
					 strlen(VMACORE_MISMATCH_PREFIX)) != 0)
			return err;
		dump_log(t, "warning: %s", err->message);
		vmacore_error_destroy(err);
	}

	if (!o->dwarf) {
		err = btf_types_open(o->vmlinux, &t->types);
		if (err && err->code == VMACORE_ERROR_LOOKUP) {
			if (o->verbose)
				dump_log(t, "%s: using DWARF",
					err->message);
			vmacore_error_destroy(err);
			o->dwarf = true;
		} else if (err) {
			return err;
		}
	}
	if (o->dwarf)
		return dwarf_types_open(o->vmlinux, &t->types);
	return NULL;
}

struct vmacore_error *dump_target_open(const struct dump_target_options *opts,
				      struct dump_target **ret)
{
	struct dump_target_options o = *opts;
	struct vmacore_error *err;
	struct dump_target *t;

	t = calloc(1, sizeof(*t));
	if (!t)
		return &vmacore_enomem;
	t->verbose = o.verbose;
	t->log = o.log;
	t->log_arg = o.log_arg;
	err = kdump_target_open(o.vmcore, o.verbose ? o.log : NULL,
				o.log_arg, &t->kdump);
	if (err)
		goto fail;
	if (o.verbose)
		dump_log(t, "%s: %s dump", o.vmcore,
			kdump_target_format(t->kdump));
	if (!o.vmlinux && !o.no_vmlinux) {
		err = find_vmlinux(t, &t->vmlinux_owned);
		if (err && err->code != VMACORE_ERROR_LOOKUP)
			goto fail;
		if (!err) {
			o.vmlinux = t->vmlinux_owned;
			if (o.verbose)
				dump_log(t, "using %s",
					o.vmlinux);
		} else if (o.verbose) {
			dump_log(t,
				"using the dump alone (%s): symbols from its kallsyms, types from its BTF",
				err->message);
		}
		vmacore_error_destroy(err);
	} else if (!o.vmlinux && o.verbose) {
		dump_log(t,
			"using the dump alone (--no-vmlinux): symbols from its kallsyms, types from its BTF");
	}
	err = o.vmlinux ? open_vmlinux(t, &o) : open_dump_alone(t, &o);
	if (err)
		goto fail;
	if (o.verbose)
		dump_log(t, "types from %s", t->types->name);
	setup_direct_map(t);
	*ret = t;
	return NULL;
fail:
	dump_target_close(t);
	return err;
}

void dump_target_close(struct dump_target *t)
{
	if (!t)
		return;
	if (t->verbose && t->kdump) {
		uint64_t reads, hits;

		kdump_target_stats(t->kdump, &reads, &hits);
		dump_log(t,
			"%" PRIu64 " page reads, %" PRIu64 " cache hits",
			reads, hits);
	}
	if (t->types)
		t->types->destroy(t->types);
	symtab_close(t->symtab);
	kallsyms_free(t->kallsyms);
	kdump_target_close(t->kdump);
	free(t->vmlinux_owned);
	free(t);
}

static void release_target(void *priv)
{
	dump_target_close(priv);
}

/* The fields of a caller's struct vmacore_open_opts this library knows. */
#define OPTS_HAS(opts, field)						\
	((opts) && (opts)->sz >= offsetof(__typeof__(*(opts)), field) +	\
			       sizeof((opts)->field))
#define OPTS_GET(opts, field, def)					\
	(OPTS_HAS(opts, field) ? (opts)->field : (def))

struct vmacore_error *vmacore_open(const char *core,
				   const struct vmacore_open_opts *opts,
				   struct vmacore_ctx **ret)
{
	struct dump_target_options o = { 0 };
	struct vmacore_error *err;
	struct vmacore_ctx *ctx;
	struct dump_target *t;

	if (opts && opts->sz < sizeof(size_t))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "struct vmacore_open_opts: bad sz %zu",
					    opts->sz);
	if (opts && opts->sz > sizeof(*opts)) {
		const char *p = (const char *)opts;

		for (size_t i = sizeof(*opts); i < opts->sz; i++)
			if (p[i])
				return vmacore_error_create(VMACORE_ERROR_INVALID,
							    "struct vmacore_open_opts: fields unknown to this libvmacore are set");
	}
	if (!core || !ret)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "no dump given");
	o.vmcore = core;
	o.vmlinux = OPTS_GET(opts, vmlinux, NULL);
	o.no_vmlinux = OPTS_GET(opts, no_vmlinux, false);
	o.dwarf = OPTS_GET(opts, dwarf, false);
	o.force = OPTS_GET(opts, force, false);
	o.log = OPTS_GET(opts, log, NULL);
	o.log_arg = OPTS_GET(opts, log_arg, NULL);
	o.verbose = OPTS_GET(opts, verbose, false);
	o.cache_dir = OPTS_GET(opts, cache_dir, NULL);
	if (o.vmlinux && o.no_vmlinux)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "a vmlinux and --no-vmlinux given: pick one");

	err = dump_target_open(&o, &t);
	if (err)
		return err;
	err = vmacore_ctx_create(&dump_target_ops, t, &ctx);
	if (err) {
		dump_target_close(t);
		return err;
	}
	ctx_own_target(ctx, release_target);
	*ret = ctx;
	return NULL;
}
