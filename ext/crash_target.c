// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * crash_target.c - struct vmacore_target_ops on crash's own services.
 *
 * crash reports failures with error(FATAL), which longjmps to the prompt
 * (RESTART(), defs.h).  libvmacore must never be left that way: its
 * iterators hold malloc'ed state.  So every crash service used here is
 * either one that returns on error (readmem() with RETURN_ON_ERROR|QUIET,
 * datatype_info(), symbol_exists()) or is called through guarded(), which
 * points crash's longjmp targets at a setjmp() in this file for the
 * duration of the call: a longjmp then ends in guarded(), never in lib/.
 */
#include <elf.h>
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "defs.h"	/* crash */

#include "crash_ext.h"

/*
 * guarded() - call @fn(@arg) with crash's longjmp targets caught.
 * Return: true if @fn returned, false if it ended in error(FATAL) or
 * RESTART() (its message, if any, has been printed by crash).
 */
static bool guarded(void (*fn)(void *), void *arg)
{
	jmp_buf save_main, save_foreach;
	volatile bool ok = false;

	memcpy(save_main, pc->main_loop_env, sizeof(jmp_buf));
	memcpy(save_foreach, pc->foreach_loop_env, sizeof(jmp_buf));
	if (setjmp(pc->main_loop_env) == 0) {
		memcpy(pc->foreach_loop_env, pc->main_loop_env,
		       sizeof(jmp_buf));
		fn(arg);
		ok = true;
	}
	memcpy(pc->main_loop_env, save_main, sizeof(jmp_buf));
	memcpy(pc->foreach_loop_env, save_foreach, sizeof(jmp_buf));
	return ok;
}

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

struct kvtop_call {
	ulong vaddr;
	physaddr_t paddr;
	int ok;
};

static void do_kvtop(void *arg)
{
	struct kvtop_call *c = arg;

	c->ok = kvtop(NULL, c->vaddr, &c->paddr, 0);
}

/*
 * A page cache in front of readmem().  crash keeps only a few decompressed
 * pages of a compressed dump, and libvmacore reads many small objects
 * (each VMA, each maple node) spread over slab pages: without this, every
 * read decompresses a page again.  Direct-mapped, whole pages, keyed by
 * page address and address space; a page that cannot be read whole is
 * not cached (the caller's exact range is read instead).  The dump does
 * not change, so entries stay valid; on a live system crash_target_reset()
 * empties the cache before each command.
 */
#define CACHE_PAGE 4096UL
#define CACHE_SLOTS 2048UL	/* 8 MiB */

struct cache_slot {
	uint64_t page;		/* page address | 1 if physical */
	bool valid;
	unsigned char data[CACHE_PAGE];
};

static struct cache_slot *cache;

void crash_target_reset(void)
{
	if (cache && ACTIVE())
		for (size_t i = 0; i < CACHE_SLOTS; i++)
			cache[i].valid = false;
}

static const unsigned char *cache_page(uint64_t page, bool physical)
{
	uint64_t key = page | physical;
	struct cache_slot *slot;

	if (!cache) {
		cache = calloc(CACHE_SLOTS, sizeof(*cache));
		if (!cache)
			return NULL;
	}
	slot = &cache[(page / CACHE_PAGE) % CACHE_SLOTS];
	if (slot->valid && slot->page == key)
		return slot->data;
	slot->valid = false;
	if (!readmem(page, physical ? PHYSADDR : KVADDR, slot->data,
		     CACHE_PAGE, "vmacore", RETURN_ON_ERROR | QUIET))
		return NULL;
	slot->page = key;
	slot->valid = true;
	return slot->data;
}

static struct vmacore_error *read_error(uint64_t addr, bool physical)
{
	struct kvtop_call c = { .vaddr = addr };

	if (physical)
		return vmacore_error_fault(VMACORE_ERROR_NODATA, addr,
					   "physical address 0x%llx not in dump",
					   (unsigned long long)addr);
	/*
	 * readmem() does not say why it failed: an address that translates
	 * (kvtop(), which may walk page tables and error(FATAL) on a
	 * missing one, hence guarded) is one whose page is not in the dump.
	 */
	if (IS_KVADDR(addr) && guarded(do_kvtop, &c) && c.ok)
		return vmacore_error_fault(VMACORE_ERROR_NODATA, addr,
					   "address 0x%llx not in dump",
					   (unsigned long long)addr);
	return vmacore_error_fault(VMACORE_ERROR_FAULT, addr,
				   "cannot translate address 0x%llx",
				   (unsigned long long)addr);
}

/*
 * When crash cannot translate a kernel address (sid's crash 9.0.2
 * --minimal on 7.2 fails on vmemmap), walk the kernel's own page table,
 * init_top_pgt, with libvmacore's walker and read the physical pages.
 * Set once the session's context exists; never nested.
 */
static struct vmacore_ctx *walk_ctx;
static bool walking;

void crash_target_set_ctx(struct vmacore_ctx *ctx)
{
	walk_ctx = ctx;
}

static struct vmacore_error *crash_symbol(void *priv, const char *name,
					  uint64_t *addr_ret,
					  uint64_t *size_ret);

static bool walk_read(uint64_t addr, unsigned char *out, size_t len)
{
	struct vmacore_error *err;
	struct vmacore_pte pte;
	uint64_t pgd;

	if (!walk_ctx || walking)
		return false;
	err = crash_symbol(NULL, "init_top_pgt", &pgd, NULL);
	if (err) {
		vmacore_error_destroy(err);
		return false;
	}
	walking = true;
	while (len) {
		uint64_t off = addr & (CACHE_PAGE - 1);
		size_t n = CACHE_PAGE - off < len ? CACHE_PAGE - off : len;

		err = vmacore_pgtable_lookup(walk_ctx, pgd, addr, &pte);
		if (err || !pte.present ||
		    !readmem((pte.pfn * CACHE_PAGE) | off, PHYSADDR, out,
			     (long)n, "vmacore", RETURN_ON_ERROR | QUIET))
			break;
		out += n;
		addr += n;
		len -= n;
	}
	walking = false;
	vmacore_error_destroy(err);
	return len == 0;
}

static struct vmacore_error *crash_read(void *priv, uint64_t addr, void *buf,
					size_t len, bool physical)
{
	unsigned char *out = buf;
	uint64_t a = addr;
	size_t left = len;

	if (len > LONG_MAX || addr + len < addr)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "read of %zu bytes at 0x%llx",
					    len, (unsigned long long)addr);
	while (left) {
		uint64_t page = a & ~(CACHE_PAGE - 1);
		size_t off = a - page;
		size_t n = CACHE_PAGE - off < left ? CACHE_PAGE - off : left;
		const unsigned char *p = cache_page(page, physical);

		if (!p) {
			/* not cachable: crash reads exactly this range */
			if (readmem(a, physical ? PHYSADDR : KVADDR, out,
				    (long)left, "vmacore",
				    RETURN_ON_ERROR | QUIET))
				return NULL;
			if (!physical && walk_read(a, out, left))
				return NULL;
			return read_error(a, physical);
		}
		memcpy(out, p + off, n);
		out += n;
		a += n;
		left -= n;
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Symbols                                                             */
/* ------------------------------------------------------------------ */

/*
 * crash keeps no symbol sizes (struct syment), and gdb does not know local
 * statics such as "mnemonics.0" by that name, so sizes come from the ELF
 * symbol table of the vmlinux crash was given (st_size does not change
 * with KASLR).  The file is mapped once, read-only; every offset taken
 * from it is checked against its size.
 */
static struct {
	bool tried;
	const unsigned char *map;
	size_t size;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strtab;
	size_t strsize;
} elf;

static bool elf_range_ok(uint64_t off, uint64_t len)
{
	return off <= elf.size && len <= elf.size - off;
}

static void elf_open_one(const char *path)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh;
	struct stat st;
	void *map;
	int fd;

	if (!path || !*path)
		return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || (uint64_t)st.st_size < sizeof(Elf64_Ehdr)) {
		close(fd);
		return;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	elf.map = map;
	elf.size = st.st_size;
	eh = map;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) ||
	    !elf_range_ok(eh->e_shoff, (uint64_t)eh->e_shnum *
					sizeof(Elf64_Shdr)))
		goto fail;
	sh = (const Elf64_Shdr *)(elf.map + eh->e_shoff);
	for (unsigned int i = 0; i < eh->e_shnum; i++) {
		const Elf64_Shdr *str;

		if (sh[i].sh_type != SHT_SYMTAB ||
		    sh[i].sh_entsize != sizeof(Elf64_Sym) ||
		    sh[i].sh_link >= eh->e_shnum)
			continue;
		str = &sh[sh[i].sh_link];
		if (!elf_range_ok(sh[i].sh_offset, sh[i].sh_size) ||
		    !elf_range_ok(str->sh_offset, str->sh_size) ||
		    str->sh_size == 0 || str->sh_type == SHT_NOBITS ||
		    sh[i].sh_type == SHT_NOBITS)
			continue;
		elf.syms = (const Elf64_Sym *)(elf.map + sh[i].sh_offset);
		elf.nsyms = sh[i].sh_size / sizeof(Elf64_Sym);
		elf.strtab = (const char *)(elf.map + str->sh_offset);
		elf.strsize = str->sh_size;
		return;
	}
fail:
	munmap((void *)elf.map, elf.size);
	memset(&elf, 0, sizeof(elf));
}

static uint64_t elf_symbol_size(const char *name)
{
	size_t len = strlen(name);

	if (!elf.tried) {
		elf.tried = true;
		elf_open_one(pc->namelist);
		if (!elf.syms)
			elf_open_one(pc->namelist_debug);
	}
	for (size_t i = 0; i < elf.nsyms; i++) {
		uint32_t off = elf.syms[i].st_name;

		if (off >= elf.strsize || elf.strsize - off <= len)
			continue;
		if (!memcmp(elf.strtab + off, name, len + 1))
			return elf.syms[i].st_size;
	}
	return 0;
}

void crash_target_cleanup(void)
{
	free(cache);
	cache = NULL;
	if (elf.map)
		munmap((void *)elf.map, elf.size);
	memset(&elf, 0, sizeof(elf));
}

struct symbol_call {
	char *name;
	struct syment *sp;
};

static void do_symbol_search(void *arg)
{
	struct symbol_call *c = arg;

	c->sp = symbol_search(c->name);
}

static struct vmacore_error *crash_symbol(void *priv, const char *name,
					  uint64_t *addr_ret,
					  uint64_t *size_ret)
{
	struct symbol_call c = { .name = (char *)name };

	/* symbol_exists() first: symbol_value() error(FATAL)s on absence */
	if (!symbol_exists(c.name) || !guarded(do_symbol_search, &c) || !c.sp)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "symbol %s not found", name);
	*addr_ret = c.sp->value;
	if (size_ret)
		*size_ret = elf_symbol_size(name);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Types                                                               */
/* ------------------------------------------------------------------ */

struct datatype_call {
	char *type;
	char *member;
	struct datatype_member *req;
	long ret;
};

static void do_datatype_info(void *arg)
{
	struct datatype_call *c = arg;

	c->ret = datatype_info(c->type, c->member, c->req);
}

/* datatype_info() asks gdb with GNU_RETURN_ON_ERROR; guarded anyway. */
static long datatype(const char *type, const char *member,
		     struct datatype_member *req)
{
	struct datatype_call c = {
		.type = (char *)type, .member = (char *)member, .req = req,
		.ret = -1,
	};

	if (!guarded(do_datatype_info, &c))
		return -1;
	return c.ret;
}

static struct vmacore_error *crash_type_size(void *priv, const char *type,
					     uint64_t *ret)
{
	long size = datatype(type, NULL, STRUCT_SIZE_REQUEST);

	if (size < 0)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "type %s not found", type);
	*ret = size;
	return NULL;
}

/*
 * MEMBER_OFFSET() finds direct members only; ANON_MEMBER_OFFSET() asks
 * gdb for &((struct T *)0)->m, which finds members of anonymous structs
 * and unions and whole designators ("shared.rb") too.
 */
static struct vmacore_error *crash_member(void *priv, const char *type,
					  const char *member,
					  uint64_t *offset_ret,
					  uint64_t *size_ret)
{
	bool direct = !strchr(member, '.') && !strchr(member, '[');
	long off = -1, size = -1;

	if (strlen(type) + strlen(member) > BUFSIZE / 2)
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "member name too long");
	if (direct) {
		off = datatype(type, member, NULL);
		if (off >= 0)
			size = datatype(type, member, MEMBER_SIZE_REQUEST);
	}
	if (off < 0) {
		off = datatype(type, member, ANON_MEMBER_OFFSET_REQUEST);
		if (off >= 0)
			size = datatype(type, member, ANON_MEMBER_SIZE_REQUEST);
	}
	if (off < 0 || size < 0)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "member %s.%s not found", type,
					    member);
	*offset_ret = off;
	*size_ret = size;
	return NULL;
}

struct enumerator_call {
	char *name;
	long value;
	int found;
};

static void do_enumerator(void *arg)
{
	struct enumerator_call *c = arg;

	c->found = enumerator_value(c->name, &c->value);
}

static struct vmacore_error *crash_enumerator(void *priv, const char *name,
					      int64_t *ret)
{
	struct enumerator_call c = { .name = (char *)name };

	if (!guarded(do_enumerator, &c) || !c.found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "enumerator %s not found", name);
	*ret = c.value;
	return NULL;
}

static struct vmacore_error *crash_vmcoreinfo(void *priv, const char *key,
					      char *buf, size_t size)
{
	char *value;
	size_t len;

	if (!pc->read_vmcoreinfo || !(value = pc->read_vmcoreinfo(key)))
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "VMCOREINFO has no %s", key);
	len = strlen(value);
	if (len >= size) {
		free(value);
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "VMCOREINFO %s too long", key);
	}
	memcpy(buf, value, len + 1);
	free(value);
	return NULL;
}

/*
 * crash_target_check() - refuse a session whose symbols are not where the
 * dump says they are.  Some crash sessions (8.0.2 --minimal on a 6.12
 * dump) do not apply the KASLR offset: every answer would be read from
 * the wrong place.  VMCOREINFO records the relocated init_uts_ns.
 */
struct vmacore_error *crash_target_check(void)
{
	struct symbol_call c = { .name = "init_uts_ns" };
	unsigned long long want;
	char *value, *end;

	if (!pc->read_vmcoreinfo ||
	    !(value = pc->read_vmcoreinfo("SYMBOL(init_uts_ns)")))
		return NULL;	/* nothing to check against */
	want = strtoull(value, &end, 16);
	if (end == value || *end) {
		free(value);
		return NULL;
	}
	free(value);
	if (!symbol_exists(c.name) || !guarded(do_symbol_search, &c) || !c.sp)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "crash has no symbol init_uts_ns");
	if (c.sp->value != want)
		return vmacore_error_create(VMACORE_ERROR_UNSUPPORTED,
			"crash's symbols are not relocated as the dump says "
			"(init_uts_ns at 0x%lx, VMCOREINFO says 0x%llx): "
			"KASLR offset not applied by this crash session",
			c.sp->value, want);
	return NULL;
}

const struct vmacore_target_ops crash_target_ops = {
	.read = crash_read,
	.symbol = crash_symbol,
	.type_size = crash_type_size,
	.member = crash_member,
	.enumerator = crash_enumerator,
	.vmcoreinfo = crash_vmcoreinfo,
};
