// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * symtab.c - the vmlinux ELF file through libelf: its symbol table (global
 * and local symbols, hashed by name once at open), its GNU build id, and
 * initialized data by address (for linux_banner).
 *
 * Values are as linked; target.c adds the KASLR offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump.h"

#ifndef NT_GNU_BUILD_ID
#define NT_GNU_BUILD_ID 3
#endif
#define MAX_SYMBOLS (1U << 24)
#define PREFETCH 16

/*
 * The hash table holds, per slot, the top 32 bits of the name's hash and
 * the symbol's index (0 = empty): names and values stay in the mapped
 * file, so 200,000 symbols cost 4 MiB.  vmlinux is ELF64 (x86_64 only).
 */
struct symtab {
	int fd;
	Elf *elf;
	const Elf64_Sym *syms;
	size_t nsyms;
	const char *strs;
	size_t strs_size;
	uint64_t *slots;
	size_t mask;
	size_t count;
	char build_id[2 * 64 + 1];
};

static const char *sym_name(struct symtab *st, uint32_t i)
{
	uint32_t off = st->syms[i].st_name;

	/* The string table ends with a NUL (checked at load). */
	return off < st->strs_size ? st->strs + off : "";
}

/*
 * The slot of @name (@h: its strhash_hash()): its symbol, or the empty
 * slot where it would go.
 */
static uint64_t *sym_slot(struct symtab *st, const char *name, uint64_t h)
{
	size_t i = h & st->mask;

	h >>= 32;
	for (;;) {
		uint64_t v = st->slots[i];

		if (!v)
			return &st->slots[i];
		if (v >> 32 == h &&
		    strcmp(sym_name(st, (uint32_t)v), name) == 0)
			return &st->slots[i];
		i = (i + 1) & st->mask;
	}
}

static struct vmacore_error *elf_err(const char *path, const char *what)
{
	return vmacore_error_create(VMACORE_ERROR_CORRUPT, "cannot read %s of %s: %s",
				    what, path, elf_errmsg(-1));
}

static struct vmacore_error *symtab_load(struct symtab *st, const char *path)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(st->elf, scn))) {
		Elf_Data *data, *strdata;
		Elf_Scn *strscn;
		uint64_t hashes[PREFETCH];
		size_t i, n, cap;

		if (!gelf_getshdr(scn, &sh))
			return elf_err(path, "a section header");
		if (sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		strscn = elf_getscn(st->elf, sh.sh_link);
		strdata = strscn ? elf_getdata(strscn, NULL) : NULL;
		if (!data || !strdata || gelf_getclass(st->elf) != ELFCLASS64 ||
		    sh.sh_entsize != sizeof(Elf64_Sym) ||
		    data->d_size < sh.sh_size || !strdata->d_size ||
		    ((const char *)strdata->d_buf)[strdata->d_size - 1])
			return elf_err(path, "the symbol table");
		n = sh.sh_size / sh.sh_entsize;
		if (n > MAX_SYMBOLS)
			return vmacore_error_create(VMACORE_ERROR_CORRUPT,
						    "%s has %zu symbols: too many",
						    path, n);
		st->syms = data->d_buf;
		st->nsyms = n;
		st->strs = strdata->d_buf;
		st->strs_size = strdata->d_size;
		cap = 1024;
		while (cap < 2 * n)
			cap *= 2;
		st->slots = calloc(cap, sizeof(*st->slots));
		if (!st->slots)
			return &vmacore_enomem;
		st->mask = cap - 1;
		/*
		 * Issue 6: the inserts are cache (and TLB) misses on a 4 MiB
		 * table, 40% of start-up: hash PREFETCH symbols ahead and
		 * prefetch their slots.
		 */
		for (i = 1; i < n && i < 1 + PREFETCH; i++) {
			hashes[i % PREFETCH] = strhash_hash(sym_name(st, i));
			__builtin_prefetch(&st->slots[hashes[i % PREFETCH] &
						      st->mask], 1);
		}
		for (i = 1; i < n; i++) {
			const Elf64_Sym *sym = &st->syms[i];
			const char *name = sym_name(st, i);
			int type = ELF64_ST_TYPE(sym->st_info);
			uint64_t *slot, h = hashes[i % PREFETCH];

			if (i + PREFETCH < n) {
				uint64_t ah;

				ah = strhash_hash(sym_name(st, i + PREFETCH));

				hashes[(i + PREFETCH) % PREFETCH] = ah;
				__builtin_prefetch(&st->slots[ah & st->mask], 1);
			}
			if (!*name || type == STT_SECTION || type == STT_FILE ||
			    sym->st_shndx == SHN_UNDEF)
				continue;
			slot = sym_slot(st, name, h);
			if (!*slot) {
				*slot = (h >> 32 << 32) | i;
				st->count++;
				continue;
			}
			/* A global symbol wins over a local of that name;
			 * among locals, the first one. */
			if (ELF64_ST_BIND(st->syms[(uint32_t)*slot].st_info) ==
			    STB_LOCAL && ELF64_ST_BIND(sym->st_info) != STB_LOCAL)
				*slot = (*slot & ~0xffffffffULL) | i;
		}
		return NULL;
	}
	return vmacore_error_create(VMACORE_ERROR_LOOKUP,
				    "%s has no symbol table", path);
}

static void symtab_load_build_id(struct symtab *st)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(st->elf, scn))) {
		GElf_Nhdr nh;
		size_t off = 0, name_off, desc_off;
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off,
					   &desc_off)) > 0) {
			const unsigned char *d;
			size_t i;

			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((char *)data->d_buf + name_off, "GNU", 4) ||
			    nh.n_descsz == 0 || nh.n_descsz > 64)
				continue;
			d = (const unsigned char *)data->d_buf + desc_off;
			for (i = 0; i < nh.n_descsz; i++)
				sprintf(st->build_id + 2 * i, "%02x", d[i]);
			return;
		}
	}
}

struct vmacore_error *symtab_open(const char *path, struct symtab **ret)
{
	struct vmacore_error *err;
	struct symtab *st;

	elf_version(EV_CURRENT);
	st = calloc(1, sizeof(*st));
	if (!st)
		return &vmacore_enomem;
	st->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (st->fd < 0) {
		err = vmacore_error_create(VMACORE_ERROR_OS,
					   "cannot open %s: %s", path,
					   strerror(errno));
		free(st);
		return err;
	}
	st->elf = elf_begin(st->fd, ELF_C_READ_MMAP, NULL);
	if (!st->elf || elf_kind(st->elf) != ELF_K_ELF) {
		err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
					   "%s is not an ELF file%s%s", path,
					   st->elf ? "" : ": ",
					   st->elf ? "" : elf_errmsg(-1));
		symtab_close(st);
		return err;
	}
	err = symtab_load(st, path);
	if (err) {
		symtab_close(st);
		return err;
	}
	symtab_load_build_id(st);
	*ret = st;
	return NULL;
}

void symtab_close(struct symtab *st)
{
	if (!st)
		return;
	free(st->slots);
	if (st->elf)
		elf_end(st->elf);
	if (st->fd >= 0)
		close(st->fd);
	free(st);
}

struct vmacore_error *symtab_lookup(struct symtab *st, const char *name,
				    uint64_t *value_ret, uint64_t *size_ret)
{
	uint64_t *slot = sym_slot(st, name, strhash_hash(name));
	const Elf64_Sym *sym;

	if (!*slot)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no symbol %s in vmlinux", name);
	sym = &st->syms[(uint32_t)*slot];
	*value_ret = sym->st_value;
	if (size_ret)
		*size_ret = sym->st_size;
	return NULL;
}

const char *symtab_build_id(struct symtab *st)
{
	return st->build_id;
}

size_t symtab_count(struct symtab *st)
{
	return st->count;
}

struct vmacore_error *symtab_read_file(struct symtab *st, uint64_t addr,
				       void *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(st->elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
		    addr < sh.sh_addr || addr - sh.sh_addr >= sh.sh_size)
			continue;
		if (sh.sh_type == SHT_NOBITS ||
		    len > sh.sh_size - (addr - sh.sh_addr))
			break;
		data = elf_getdata(scn, NULL);
		if (!data || data->d_size != sh.sh_size)
			break;
		memcpy(buf, (char *)data->d_buf + (addr - sh.sh_addr), len);
		return NULL;
	}
	return vmacore_error_create(VMACORE_ERROR_LOOKUP,
				    "vmlinux has no data at 0x%llx",
				    (unsigned long long)addr);
}
