// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms.c - kernel symbols from the dump alone: the kernel's own
 * kallsyms tables, found through VMCOREINFO (SYMBOL(kallsyms_names) and
 * friends, written by crash_save_vmcoreinfo_init()), decoded as
 * kernel/kallsyms.c does.
 *
 * kallsyms_names holds, per symbol, a length (one byte, or two when the
 * first has bit 7 set: kallsyms_expand_symbol()) and that many token
 * numbers; kallsyms_token_index[] points each token number at a
 * NUL-terminated string in kallsyms_token_table.  The first character of
 * the expanded name is the type ('T', 'd', ...).  Addresses come in one of
 * the layouts of kallsyms_sym_address() (see enum ks_layout), probed
 * against the SYMBOL() addresses VMCOREINFO gives, never by version.
 * They are run-time addresses: the tables are read where the relocated
 * kernel has them, and x86 KASLR relocates kallsyms_relative_base and
 * kallsyms_addresses[] at boot, so no offset is added here.
 *
 * Everything read is untrusted: every length is checked against what was
 * read, the symbol count and stream sizes are capped, and a name cannot
 * expand beyond KSYM_NAME_LEN.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "dump.h"

#define KS_MAX_SYMS (1U << 22)
#define KS_MAX_NAMES (64U << 20)
#define KS_MAX_TOKENS (64U << 10)
#define KS_CHUNK (64U << 10)
#define KS_PAGE 4096U
/* A name buffer: KSYM_NAME_LEN, and the padding ks_expand() copies. */
#define KS_BUF (KSYM_NAME_LEN + 16)

/*
 * The hash of names, 8 bytes at a time (the 180,000 names of a kernel
 * are hashed at every start).
 */
static uint64_t ks_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	if (len) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
	}
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 32);
}

static struct vmacore_error *ks_corrupt(const char *fmt, uint32_t a,
					uint32_t b)
{
	return vmacore_error_create(VMACORE_ERROR_CORRUPT, fmt, a, b);
}

/*
 * Expand name @i into @buf (KS_BUF bytes, type character first).
 * The name stream and the tokens were checked by kallsyms_build().
 * Return: the length, or -1 if the name is longer than KSYM_NAME_LEN.
 */
static int ks_expand(const struct kallsyms *ks, uint32_t i, char *buf)
{
	const uint8_t *p = ks->names + ks->name_off[i];
	size_t len = p[0], out = 0;

	if (len & 0x80) {
		len = (len & 0x7f) | ((size_t)p[1] << 7);
		p += 2;
	} else {
		p += 1;
	}
	while (len--) {
		size_t n = ks->token_len[*p];

		if (out + n >= KSYM_NAME_LEN)
			return -1;
		/* @buf has KS_BUF bytes: room for a whole padded token. */
		if (n <= 16)
			memcpy(buf + out, ks->token_short[*p], 16);
		else
			memcpy(buf + out, ks->tokens + ks->token_index[*p], n);
		out += n;
		p++;
	}
	buf[out] = '\0';
	return out;
}

/* Addresses by kallsyms_sym_address() of the layout. */
static uint64_t ks_address(const struct kallsyms *ks, enum ks_layout layout,
			   uint32_t i)
{
	const uint8_t *p = ks->offsets + (size_t)i *
			   (layout == KS_ABSOLUTE ? 8 : 4);
	uint64_t v64;
	int32_t v;

	if (layout == KS_ABSOLUTE) {
		memcpy(&v64, p, 8);
		return v64;
	}
	memcpy(&v, p, 4);
	switch (layout) {
	case KS_RELATIVE:	/* !CONFIG_KALLSYMS_ABSOLUTE_PERCPU */
		return ks->base + (uint32_t)v;
	case KS_ABSOLUTE_PERCPU:	/* positive: absolute, else base - 1 - v */
		return v >= 0 ? (uint64_t)v : ks->base - 1 - (int64_t)v;
	case KS_PREL:	/* no kallsyms_relative_base: offset_to_ptr() */
		return ks->offsets_addr + 4ULL * i + (int64_t)v;
	default:
		return 0;
	}
}

static uint64_t *ks_slot(const struct kallsyms *ks, const char *name,
			 uint64_t h)
{
	char buf[KS_BUF];
	size_t i = h & ks->mask;

	h >>= 32;
	for (;;) {
		uint64_t v = ks->slots[i];

		if (!v)
			return &ks->slots[i];
		if (v >> 32 == h &&
		    ks_expand(ks, (uint32_t)v - 1, buf) > 0 &&
		    strcmp(buf + 1, name) == 0)
			return &ks->slots[i];
		i = (i + 1) & ks->mask;
	}
}

/* Hash @i's name into the table; @buf holds it expanded, @h its hash. */
static void ks_insert(struct kallsyms *ks, uint32_t i, char *buf, uint64_t h)
{
	uint64_t *slot = ks_slot(ks, buf + 1, h);
	char other[KS_BUF];

	if (!*slot) {
		*slot = (h >> 32 << 32) | (i + 1);
		ks->count++;
		return;
	}
	if (!(buf[0] >= 'A' && buf[0] <= 'Z'))
		return;
	ks_expand(ks, (uint32_t)*slot - 1, other);
	if (!(other[0] >= 'A' && other[0] <= 'Z'))
		*slot = (*slot & ~0xffffffffULL) | (i + 1);
}

#define KS_AHEAD 16
#define KS_HUGE (2UL << 20)

/*
 * The hash table: megabytes of zeroes, every page of which the inserts
 * touch: mapped aligned to a huge page with MADV_HUGEPAGE rather than
 * faulted in 4 KiB at a time.  @len: a multiple of 4 KiB.
 */
static void *ks_map(size_t len)
{
	uintptr_t raw, p;

	raw = (uintptr_t)mmap(NULL, len + KS_HUGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if ((void *)raw == MAP_FAILED)
		return NULL;
	p = (raw + KS_HUGE - 1) & ~(KS_HUGE - 1);
	if (p > raw)
		munmap((void *)raw, p - raw);
	if (raw + KS_HUGE > p)
		munmap((void *)(p + len), raw + KS_HUGE - p);
	madvise((void *)p, len, MADV_HUGEPAGE);
	return (void *)p;
}

/*
 * Check and index the tables in @ks (names, tokens, offsets, num; set by
 * the caller): the start of every name, every name expanded once and
 * hashed.  A global symbol wins over a local one of the same name, among
 * locals the first, as symtab.c does for the vmlinux.
 */
struct vmacore_error *kallsyms_build(struct kallsyms *ks)
{
	char ring[KS_AHEAD][KS_BUF];
	uint64_t hashes[KS_AHEAD];
	int lens[KS_AHEAD];
	size_t off = 0, cap = 1024, need;
	uint32_t i;

	if (!ks->num || ks->num > KS_MAX_SYMS)
		return ks_corrupt("kallsyms: %u symbols: not between 1 and %u",
				  ks->num, KS_MAX_SYMS);
	need = (size_t)ks->num * (ks->layout == KS_ABSOLUTE ? 8 : 4);
	if (ks->offsets_size < need)
		return ks_corrupt("kallsyms: %u symbols but %u bytes of addresses",
				  ks->num, (uint32_t)ks->offsets_size);
	for (i = 0; i < 256; i++) {
		const uint8_t *t, *nul;

		if (ks->token_index[i] >= ks->tokens_size)
			return ks_corrupt("kallsyms: token %u starts beyond the token table (%u bytes)",
					  i, (uint32_t)ks->tokens_size);
		t = ks->tokens + ks->token_index[i];
		nul = memchr(t, 0, ks->tokens_size - ks->token_index[i]);
		if (!nul)
			return ks_corrupt("kallsyms: token %u does not end in the token table (%u bytes)",
					  i, (uint32_t)ks->tokens_size);
		ks->token_len[i] = nul - t;
		memcpy(ks->token_short[i], t, ks->token_len[i] < 16 ?
		       ks->token_len[i] : 16);
	}
	ks->name_off = malloc(ks->num * sizeof(*ks->name_off));
	if (!ks->name_off)
		return &vmacore_enomem;
	for (i = 0; i < ks->num; i++) {
		size_t len;

		if (off >= ks->names_size)
			return ks_corrupt("kallsyms: name %u of %u beyond the name table",
					  i, ks->num);
		ks->name_off[i] = off;
		len = ks->names[off++];
		if (len & 0x80) {
			if (off >= ks->names_size)
				return ks_corrupt("kallsyms: name %u of %u beyond the name table",
						  i, ks->num);
			len = (len & 0x7f) | ((size_t)ks->names[off++] << 7);
		}
		if (!len || len > ks->names_size - off)
			return ks_corrupt("kallsyms: name %u of %u has a bad length",
					  i, ks->num);
		off += len;
	}
	while (cap < 2 * (size_t)ks->num)
		cap *= 2;
	ks->slots = ks_map(cap * sizeof(*ks->slots));
	if (!ks->slots)
		return &vmacore_enomem;
	ks->mask = cap - 1;
	/*
	 * The inserts are cache misses on a table of megabytes: expand and
	 * hash KS_AHEAD names ahead and prefetch their slots (as symtab.c).
	 */
	for (i = 0; i < ks->num + KS_AHEAD; i++) {
		uint32_t r = i % KS_AHEAD;

		if (i >= KS_AHEAD && lens[r] >= 2)
			ks_insert(ks, i - KS_AHEAD, ring[r], hashes[r]);
		if (i >= ks->num)
			continue;
		lens[r] = ks_expand(ks, i, ring[r]);
		if (lens[r] < 0)
			return vmacore_error_create(VMACORE_ERROR_CORRUPT,
						    "kallsyms: name %u of %u is longer than %u bytes",
						    i, ks->num, KSYM_NAME_LEN);
		if (lens[r] < 2)
			continue;
		hashes[r] = ks_hash(ring[r] + 1, lens[r] - 1);
		__builtin_prefetch(&ks->slots[hashes[r] & ks->mask], 1);
	}
	return NULL;
}

/*
 * The size of symbol @i, as kallsyms_lookup_size_offset() sees it: up to
 * the next symbol at a higher address (0: unknown).  kallsyms is sorted by
 * address; an unsorted (corrupt) table only gets 0.
 */
static uint64_t ks_size(const struct kallsyms *ks, uint32_t i)
{
	uint64_t a = ks_address(ks, ks->layout, i);
	uint32_t j;

	for (j = i + 1; j < ks->num && j < i + 256; j++) {
		uint64_t b = ks_address(ks, ks->layout, j);

		if (b > a)
			return b - a;
		if (b < a)
			return 0;
	}
	return 0;
}

struct vmacore_error *kallsyms_lookup(const struct kallsyms *ks,
				      const char *name, uint64_t *addr_ret,
				      uint64_t *size_ret)
{
	uint64_t *slot;
	uint32_t i;

	if (!ks->slots || !*name)
		goto absent;
	slot = ks_slot(ks, name, ks_hash(name, strlen(name)));
	if (!*slot)
		goto absent;
	i = (uint32_t)*slot - 1;
	*addr_ret = ks_address(ks, ks->layout, i);
	if (size_ret)
		*size_ret = ks_size(ks, i);
	return NULL;
absent:
	return vmacore_error_create(VMACORE_ERROR_LOOKUP,
				    "no symbol %s in the dump's kallsyms", name);
}

/*
 * The layout whose addresses agree with VMCOREINFO's: each of @n anchors
 * (name, address) that kallsyms has must decode to its address, and at
 * least one must be there.  A table of zeros is refused first: without
 * CONFIG_KALLSYMS_ALL only _stext may be an anchor, and a relative layout
 * decodes every zero offset to kallsyms_relative_base, which can be it.
 */
struct vmacore_error *kallsyms_probe(struct kallsyms *ks,
				     const enum ks_layout *layouts,
				     size_t nlayouts, const char *const *names,
				     const uint64_t *addrs, size_t n)
{
	size_t l, k, i;

	for (i = 0; i < ks->offsets_size && !ks->offsets[i]; i++)
		;
	if (i == ks->offsets_size)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "kallsyms: the %u entries of kallsyms_%s are all zero",
					    ks->num,
					    ks->layout == KS_ABSOLUTE ?
					    "addresses" : "offsets");
	for (l = 0; l < nlayouts; l++) {
		size_t hits = 0;

		if (ks->offsets_size / (layouts[l] == KS_ABSOLUTE ? 8 : 4) <
		    ks->num)
			continue;
		for (k = 0; k < n; k++) {
			uint64_t *slot;

			slot = ks_slot(ks, names[k],
				       ks_hash(names[k], strlen(names[k])));
			if (!*slot)
				continue;
			if (ks_address(ks, layouts[l], (uint32_t)*slot - 1) !=
			    addrs[k])
				break;
			hits++;
		}
		if (k == n && hits) {
			ks->layout = layouts[l];
			return NULL;
		}
	}
	return vmacore_error_create(VMACORE_ERROR_CORRUPT,
				    "kallsyms: no address layout agrees with the SYMBOL() addresses in VMCOREINFO");
}

/* Call @fn for every symbol, in table order (for VMACORE_KALLSYMS_LIST). */
void kallsyms_for_each(const struct kallsyms *ks,
		       void (*fn)(void *arg, uint64_t addr, char type,
				  const char *name),
		       void *arg)
{
	char buf[KS_BUF];
	uint32_t i;

	for (i = 0; i < ks->num; i++) {
		if (ks_expand(ks, i, buf) > 1)
			fn(arg, ks_address(ks, ks->layout, i), buf[0], buf + 1);
	}
}

void kallsyms_free(struct kallsyms *ks)
{
	if (!ks)
		return;
	if (ks->names_mapped)
		munmap(ks->names_owned, ks->names_mapped);
	else
		free(ks->names_owned);
	free(ks->tokens_owned);
	free(ks->offsets_owned);
	free(ks->name_off);
	if (ks->slots)
		munmap(ks->slots, (ks->mask + 1) * sizeof(*ks->slots));
	free(ks);
}

/* ------------------------------------------------------------------------ */
/* Reading the tables out of the dump                                       */
/* ------------------------------------------------------------------------ */

static struct vmacore_error *ks_symbol(struct kdump_target *kt,
				       const char *name, bool *have,
				       uint64_t *ret)
{
	struct vmacore_error *err;
	char key[64], *val, *end;

	snprintf(key, sizeof(key), "SYMBOL(%s)", name);
	*have = false;
	err = kdump_target_vmcoreinfo(kt, key, &val);
	if (err && err->code == VMACORE_ERROR_LOOKUP) {
		vmacore_error_destroy(err);
		return NULL;
	}
	if (err)
		return err;
	*ret = strtoull(val, &end, 16);
	if (!*val || *end) {
		err = vmacore_error_create(VMACORE_ERROR_CORRUPT,
					   "VMCOREINFO %s is not an address: %s",
					   key, val);
		free(val);
		return err;
	}
	free(val);
	*have = true;
	return NULL;
}

static struct vmacore_error *ks_need(struct kdump_target *kt,
				     const char *name, uint64_t *ret)
{
	struct vmacore_error *err;
	bool have;

	err = ks_symbol(kt, name, &have, ret);
	if (!err && !have)
		err = vmacore_error_create(VMACORE_ERROR_LOOKUP,
					   "VMCOREINFO has no SYMBOL(%s)", name);
	return err;
}

static struct vmacore_error *ks_read(struct kdump_target *kt, uint64_t addr,
				     size_t len, const char *what,
				     uint8_t **ret)
{
	struct vmacore_error *err;
	uint8_t *buf = malloc(len ? len : 1);

	if (!buf)
		return &vmacore_enomem;
	err = kdump_target_read_image(kt, addr, buf, len);
	if (err) {
		free(buf);
		return vmacore_error_prefix(err, "cannot read %s", what);
	}
	*ret = buf;
	return NULL;
}

/*
 * The name stream has no recorded size: read it in chunks ending at page
 * boundaries until @num names are complete (at most KS_MAX_NAMES bytes),
 * into a mapping of that size (ks_map(): no copies as it grows, huge
 * pages rather than a fault every 4 KiB), its unread end then unmapped.
 */
static struct vmacore_error *ks_read_names(struct kallsyms *ks,
					   struct kdump_target *kt,
					   uint64_t addr)
{
	const size_t cap = KS_MAX_NAMES + KS_CHUNK;
	size_t have = 0, off = 0, used;
	uint8_t *buf = ks_map(cap);
	uint32_t i = 0;

	if (!buf)
		return &vmacore_enomem;

	for (;;) {
		struct vmacore_error *err;
		size_t len;

		while (i < ks->num && off < have) {
			size_t n = buf[off];

			if (n & 0x80) {
				if (off + 1 >= have)
					break;
				n = (n & 0x7f) | ((size_t)buf[off + 1] << 7);
				n++;
			}
			if (off + 1 + n > have)
				break;
			off += 1 + n;
			i++;
		}
		if (i == ks->num)
			break;
		if (have >= KS_MAX_NAMES) {
			munmap(buf, cap);
			return ks_corrupt("kallsyms: the names of %u symbols take more than %u bytes",
					  ks->num, KS_MAX_NAMES);
		}
		len = KS_CHUNK - (addr + have) % KS_PAGE;
		err = kdump_target_read_image(kt, addr + have, buf + have,
					      len);
		if (err && len > KS_PAGE - (addr + have) % KS_PAGE) {
			/* The chunk may run past what is mapped: one page. */
			vmacore_error_destroy(err);
			len = KS_PAGE - (addr + have) % KS_PAGE;
			err = kdump_target_read_image(kt, addr + have,
						      buf + have, len);
		}
		if (err) {
			munmap(buf, cap);
			return vmacore_error_prefix(err, "cannot read kallsyms_names");
		}
		have += len;
	}
	/* what was not read goes back */
	used = (have + 4095) & ~(size_t)4095;
	if (used < cap)
		munmap(buf + used, cap - used);
	ks->names = ks->names_owned = buf;
	ks->names_mapped = used;
	ks->names_size = off;
	return NULL;
}

/* Tokens: up to kallsyms_token_index when it follows, else a bound. */
static struct vmacore_error *ks_read_tokens(struct kallsyms *ks,
					    struct kdump_target *kt,
					    uint64_t table, uint64_t index)
{
	struct vmacore_error *err;
	uint8_t raw[512], *buf;
	size_t len = 0;
	int i;

	err = kdump_target_read(kt, index, raw, sizeof(raw), false);
	if (err)
		return vmacore_error_prefix(err, "cannot read kallsyms_token_index");
	for (i = 0; i < 256; i++) {
		ks->token_index[i] = raw[2 * i] | (uint16_t)raw[2 * i + 1] << 8;
		if (ks->token_index[i] > len)
			len = ks->token_index[i];
	}
	len += KSYM_NAME_LEN;
	if (index > table && index - table <= KS_MAX_TOKENS)
		len = index - table;
	err = ks_read(kt, table, len, "kallsyms_token_table", &buf);
	if (err)
		return err;
	ks->tokens = ks->tokens_owned = buf;
	ks->tokens_size = len;
	return NULL;
}

/* Symbols VMCOREINFO gives by address (crash_save_vmcoreinfo_init()). */
static const char *const ks_anchors[] = {
	"_stext", "init_uts_ns", "swapper_pg_dir", "node_online_map",
	"vmap_area_list", "prb", "printk_rb_static", "clear_seq",
};

struct vmacore_error *kallsyms_open(struct kdump_target *kt,
				    struct kallsyms **ret)
{
	enum ks_layout layouts[2];
	const char *names[sizeof(ks_anchors) / sizeof(ks_anchors[0])];
	uint64_t addrs[sizeof(ks_anchors) / sizeof(ks_anchors[0])];
	uint64_t num_addr, names_addr, table, index, offs, base;
	struct vmacore_error *err;
	struct kallsyms *ks;
	size_t nl = 0, na = 0, k;
	uint32_t num;
	bool have;

	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return &vmacore_enomem;
	if ((err = ks_need(kt, "kallsyms_num_syms", &num_addr)) ||
	    (err = ks_need(kt, "kallsyms_names", &names_addr)) ||
	    (err = ks_need(kt, "kallsyms_token_table", &table)) ||
	    (err = ks_need(kt, "kallsyms_token_index", &index)))
		goto fail;
	/* !CONFIG_KALLSYMS_BASE_RELATIVE: absolute addresses. */
	err = ks_symbol(kt, "kallsyms_addresses", &have, &offs);
	if (err)
		goto fail;
	if (have) {
		layouts[nl++] = KS_ABSOLUTE;
	} else {
		err = ks_need(kt, "kallsyms_offsets", &offs);
		if (err)
			goto fail;
		err = ks_symbol(kt, "kallsyms_relative_base", &have, &base);
		if (err)
			goto fail;
		if (have) {
			err = kdump_target_read(kt, base, &ks->base, 8, false);
			if (err) {
				err = vmacore_error_prefix(err, "cannot read kallsyms_relative_base");
				goto fail;
			}
			layouts[nl++] = KS_ABSOLUTE_PERCPU;
			layouts[nl++] = KS_RELATIVE;
		} else {
			layouts[nl++] = KS_PREL;
		}
	}
	/* unsigned int since Linux 6.1-ish, unsigned long before: the low
	 * 32 bits either way (little-endian). */
	err = kdump_target_read(kt, num_addr, &num, 4, false);
	if (err) {
		err = vmacore_error_prefix(err, "cannot read kallsyms_num_syms");
		goto fail;
	}
	ks->num = num;
	if (!num || num > KS_MAX_SYMS) {
		err = ks_corrupt("kallsyms: %u symbols: not between 1 and %u",
				 num, KS_MAX_SYMS);
		goto fail;
	}
	ks->offsets_addr = offs;
	ks->layout = layouts[0];
	ks->offsets_size = (size_t)num * (layouts[0] == KS_ABSOLUTE ? 8 : 4);
	if ((err = ks_read(kt, offs, ks->offsets_size,
			   layouts[0] == KS_ABSOLUTE ? "kallsyms_addresses" :
			   "kallsyms_offsets", &ks->offsets_owned)))
		goto fail;
	ks->offsets = ks->offsets_owned;
	if ((err = ks_read_names(ks, kt, names_addr)) ||
	    (err = ks_read_tokens(ks, kt, table, index)) ||
	    (err = kallsyms_build(ks)))
		goto fail;

	for (k = 0; k < sizeof(ks_anchors) / sizeof(ks_anchors[0]); k++) {
		err = ks_symbol(kt, ks_anchors[k], &have, &addrs[na]);
		if (err)
			goto fail;
		if (have)
			names[na++] = ks_anchors[k];
	}
	err = kallsyms_probe(ks, layouts, nl, names, addrs, na);
	if (err)
		goto fail;
	*ret = ks;
	return NULL;
fail:
	kallsyms_free(ks);
	return err;
}
