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
 * At start-up from a dump only what lookups use is read (on a
 * kdump-compressed dump every page is inflated first): the addresses and
 * kallsyms_seqs_of_names[] a page (or dump block) at a time, and, where
 * kallsyms_markers[] is found, the names too, each lookup a binary search
 * in name order (ks_find_sorted()).  Else every name is read, checked and
 * hashed (ks_index(), ks_hash_all()).
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
 * The hash of names: polynomial over the bytes, so that the hash of a
 * name composes from its tokens' (kallsyms_build() hashes the 180,000
 * names of a kernel at every start without expanding them: ks_compose()),
 * then mixed with the length.
 */
#define KS_MUL 0x9e3779b97f4a7c15ULL

static uint64_t ks_poly(uint64_t h, const char *s, size_t len)
{
	while (len--)
		h = h * KS_MUL + (unsigned char)*s++;
	return h;
}

static uint64_t ks_mix(uint64_t h, size_t len)
{
	h ^= len * 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 29;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 32);
}

static uint64_t ks_hash(const char *s, size_t len)
{
	return ks_mix(ks_poly(0, s, len), len);
}

static uint64_t ks_pow(size_t n)
{
	uint64_t p = 1;

	while (n--)
		p *= KS_MUL;
	return p;
}

static struct vmacore_error *ks_corrupt(const char *fmt, uint32_t a,
					uint32_t b)
{
	return vmacore_error_create(VMACORE_ERROR_CORRUPT, fmt, a, b);
}

/*
 * Expand the name at @off of the name stream into @buf (KS_BUF bytes,
 * type character first).  The tokens were checked by ks_tokens(), the
 * name's length against the stream by ks_index() or ks_lazy_off().
 * Return: the length, or -1 if the name is longer than KSYM_NAME_LEN.
 */
static int ks_expand_at(const struct kallsyms *ks, size_t off, char *buf)
{
	const uint8_t *p = ks->names + off;
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

/* Expand name @i, indexed by ks_index(). */
static int ks_expand(const struct kallsyms *ks, uint32_t i, char *buf)
{
	return ks_expand_at(ks, ks->name_off[i], buf);
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

/*
 * Bytes [@lo, @hi) of a table at @start (@size bytes, copied into @data as
 * read, a bit in @have per ks->grain bytes), read from the dump a grain
 * at a time as lookups need them: a page, or the dump's compressed block
 * (64 KiB on arm64 dumps here), which is decoded whole anyway.
 */
static struct vmacore_error *ks_fetch(const struct kallsyms *ks,
				      uint64_t start, size_t size,
				      uint8_t *data, uint64_t *have,
				      uint64_t lo, uint64_t hi,
				      const char *what)
{
	uint64_t g = ks->grain ? ks->grain : KS_PAGE, end = start + size;
	uint64_t first = start & ~(g - 1), page;

	if (!ks->kt)	/* the caller set all of it */
		return NULL;
	if (ks->whole) {
		uint64_t k, n = (end - 1 - first) / g + 1;

		for (k = 0; k < n && have[k / 64] >> (k % 64) & 1; k++)
			;
		/* all of it at the first miss, else grain by grain below */
		if (k < n && !kdump_target_read_image(ks->kt, start, data,
						      size)) {
			for (k = 0; k < n; k++)
				have[k / 64] |= 1ULL << (k % 64);
			return NULL;
		}
	}
	lo += start;
	hi = hi < size ? start + hi : end;
	for (page = lo & ~(g - 1); page < hi; page += g) {
		uint64_t k = (page - first) / g;
		uint64_t a = page > start ? page : start;
		uint64_t b = page + g < end ? page + g : end;
		struct vmacore_error *err;

		if (have[k / 64] >> (k % 64) & 1)
			continue;
		err = kdump_target_read_image(ks->kt, a, data + (a - start),
					      b - a);
		if (err)
			return vmacore_error_prefix(err, "cannot read %s",
						    what);
		have[k / 64] |= 1ULL << (k % 64);
	}
	return NULL;
}

/* Words of a ks_fetch() bitmap for @size bytes at any address. */
static size_t ks_have_words(size_t size)
{
	return (size / KS_PAGE + 2 + 63) / 64;
}

/*
 * Entries [@i, @i + @n) of kallsyms_offsets[] (or _addresses[]) of
 * @layout, read as used: a start-up looks up some 30 symbols, and
 * reading all of it (600 KB, inflated page by page on a kdump-compressed
 * dump) was a tenth of the start-up with the dump alone.  Without a dump
 * (ks->kt NULL) the caller set the whole table.
 */
static struct vmacore_error *ks_load(const struct kallsyms *ks,
				     enum ks_layout layout, uint32_t i,
				     uint32_t n)
{
	size_t w = layout == KS_ABSOLUTE ? 8 : 4;

	if (!ks->kt || i >= ks->num)
		return NULL;
	if (n > ks->num - i)
		n = ks->num - i;
	return ks_fetch(ks, ks->offsets_addr, ks->offsets_size,
			ks->offsets_owned, ks->offsets_have, (uint64_t)i * w,
			(uint64_t)(i + n) * w,
			layout == KS_ABSOLUTE ? "kallsyms_addresses" :
			"kallsyms_offsets");
}

/*
 * kallsyms_seqs_of_names[@pos]: the index of the @pos-th name in name
 * order, three bytes big-endian (get_symbol_seq(), kernel/kallsyms.c).
 */
static struct vmacore_error *ks_seq(const struct kallsyms *ks, uint32_t pos,
				    uint32_t *ret)
{
	struct vmacore_error *err = NULL;
	const uint8_t *p = ks->seqs + 3 * (size_t)pos;

	if (ks->kt)
		err = ks_fetch(ks, ks->seqs_addr, 3 * (size_t)ks->num,
			       ks->seqs, ks->seqs_have, 3 * (uint64_t)pos,
			       3 * (uint64_t)pos + 3, "kallsyms_seqs_of_names");
	if (err)
		return err;
	*ret = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	if (*ret >= ks->num)
		return ks_corrupt("kallsyms: kallsyms_seqs_of_names[%u] beyond %u symbols",
				  pos, ks->num);
	return NULL;
}

/*
 * Where name @i starts when kallsyms_names is read as used:
 * kallsyms_markers[i / 256], then i % 256 names skipped, as
 * get_symbol_offset() (kernel/kallsyms.c) does; the bytes of the names
 * walked and of name @i itself read, its length checked.
 */
static struct vmacore_error *ks_lazy_off(const struct kallsyms *ks,
					 uint32_t i, size_t *ret,
					 size_t *end_ret)
{
	size_t off = ks->markers[i >> 8], got = off, len, pre;
	uint32_t j;

	for (j = i & ~255U;; j++) {
		struct vmacore_error *err;

		pre = 1;
		if (off >= ks->names_size)
			return ks_corrupt("kallsyms: name %u of %u beyond the name table",
					  j, ks->num);
		if (off + 2 > got) {
			/* to the next marker at once: the walk reads it all */
			size_t next = (i >> 8) + 1 < ks->nmarkers ?
				      ks->markers[(i >> 8) + 1] : ks->names_size;

			got = next > off + 2 ? next : off + 2;
			err = ks_fetch(ks, ks->names_addr, ks->names_size,
				       ks->names_owned, ks->names_have, off,
				       got, "kallsyms_names");
			if (err && got > off + 2) {	/* then as needed */
				vmacore_error_destroy(err);
				got = off + 2;
				err = ks_fetch(ks, ks->names_addr,
					       ks->names_size, ks->names_owned,
					       ks->names_have, off, got,
					       "kallsyms_names");
			}
			if (err)
				return err;
		}
		len = ks->names[off];
		if (len & 0x80) {
			if (off + 1 >= ks->names_size)
				return ks_corrupt("kallsyms: name %u of %u beyond the name table",
						  j, ks->num);
			len = (len & 0x7f) | ((size_t)ks->names[off + 1] << 7);
			pre = 2;
		}
		if (!len || len > ks->names_size - off - pre)
			return ks_corrupt("kallsyms: name %u of %u has a bad length",
					  j, ks->num);
		if (j == i)
			break;
		off += pre + len;
	}
	*ret = off;
	*end_ret = off + pre + len;
	return ks_fetch(ks, ks->names_addr, ks->names_size, ks->names_owned,
			ks->names_have, off, off + pre + len, "kallsyms_names");
}

/* Expand name @i into @buf, read first if read as used; *@ret as ks_expand(). */
static struct vmacore_error *ks_name(const struct kallsyms *ks, uint32_t i,
				     char *buf, int *ret)
{
	struct vmacore_error *err;
	size_t off, end;

	if (!ks->markers) {
		*ret = ks_expand(ks, i, buf);
		return NULL;
	}
	err = ks_lazy_off(ks, i, &off, &end);
	if (err)
		return err;
	*ret = ks_expand_at(ks, off, buf);
	return NULL;
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

/* The type character of name @i: the first of its expansion. */
static bool ks_type(const struct kallsyms *ks, uint32_t i, char *ret)
{
	const uint8_t *p = ks->names + ks->name_off[i];
	size_t len = p[0];

	if (len & 0x80) {
		len = (len & 0x7f) | ((size_t)p[1] << 7);
		p += 2;
	} else {
		p += 1;
	}
	for (; len; len--, p++) {
		if (ks->token_len[*p]) {
			*ret = ks->token_short[*p][0];
			return true;
		}
	}
	return false;
}

/* Whether names @a and @b are equal (the type character aside). */
static bool ks_same(const struct kallsyms *ks, uint32_t a, uint32_t b)
{
	const uint8_t *p = ks->names + ks->name_off[a];
	const uint8_t *q = ks->names + ks->name_off[b];
	size_t pre = p[0] & 0x80 ? 2 : 1;
	size_t n = pre + (pre == 2 ? (p[0] & 0x7f) | (size_t)p[1] << 7 : p[0]);
	char x[KS_BUF], y[KS_BUF];

	/* the same tokens: the same name (and type); lengths first */
	if (memcmp(p, q, pre) == 0 && memcmp(p, q, n) == 0)
		return true;
	return ks_expand(ks, a, x) > 0 && ks_expand(ks, b, y) > 0 &&
	       strcmp(x + 1, y + 1) == 0;
}

/* The slot of name @i (hash @h): its own, or that of the same name. */
static uint64_t *ks_slot_of(const struct kallsyms *ks, uint32_t n,
			    uint64_t h)
{
	size_t i = h & ks->mask;

	h >>= 32;
	for (;;) {
		uint64_t v = ks->slots[i];

		if (!v || (v >> 32 == h && ks_same(ks, (uint32_t)v - 1, n)))
			return &ks->slots[i];
		i = (i + 1) & ks->mask;
	}
}

/* Hash @i's name into the table; @h: its hash. */
static void ks_insert(struct kallsyms *ks, uint32_t i, uint64_t h)
{
	uint64_t *slot = ks_slot_of(ks, i, h);
	char type;

	if (!*slot) {
		*slot = (h >> 32 << 32) | (i + 1);
		ks->count++;
		return;
	}
	if (!(ks_type(ks, i, &type) && type >= 'A' && type <= 'Z'))
		return;
	if (!(ks_type(ks, (uint32_t)*slot - 1, &type) && type >= 'A' &&
	      type <= 'Z'))
		*slot = (*slot & ~0xffffffffULL) | (i + 1);
}

/*
 * The hash of name @i (type character aside), composed from its tokens'
 * hashes (kallsyms_build() set them), and its expanded length with the
 * type: -1 if longer than KSYM_NAME_LEN allows, as ks_expand().
 */
static int ks_compose(const struct kallsyms *ks, uint32_t i, uint64_t *ret)
{
	const uint8_t *p = ks->names + ks->name_off[i];
	size_t len = p[0], out = 0;
	uint64_t h = 0;

	if (len & 0x80) {
		len = (len & 0x7f) | ((size_t)p[1] << 7);
		p += 2;
	} else {
		p += 1;
	}
	/* up to the type character (a token may be empty) */
	for (; len && !out; len--, p++) {
		h = ks->tail_hash[*p];
		out = ks->token_len[*p];
	}
	for (; len; len--, p++) {
		h = h * ks->token_pow[*p] + ks->token_hash[*p];
		out += ks->token_len[*p];
	}
	if (out >= KSYM_NAME_LEN)
		return -1;
	*ret = out ? ks_mix(h, out - 1) : 0;
	return out;
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
static struct vmacore_error *ks_tokens(struct kallsyms *ks);
static struct vmacore_error *ks_index(struct kallsyms *ks);
static struct vmacore_error *ks_hash_all(struct kallsyms *ks);

struct vmacore_error *kallsyms_build(struct kallsyms *ks)
{
	struct vmacore_error *err = ks_index(ks);

	return err ? err : ks_hash_all(ks);
}

/* Check the symbol count, the size of the addresses and the tokens. */
static struct vmacore_error *ks_tokens(struct kallsyms *ks)
{
	size_t need;
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
		size_t n;

		if (ks->token_index[i] >= ks->tokens_size)
			return ks_corrupt("kallsyms: token %u starts beyond the token table (%u bytes)",
					  i, (uint32_t)ks->tokens_size);
		t = ks->tokens + ks->token_index[i];
		nul = memchr(t, 0, ks->tokens_size - ks->token_index[i]);
		if (!nul)
			return ks_corrupt("kallsyms: token %u does not end in the token table (%u bytes)",
					  i, (uint32_t)ks->tokens_size);
		n = nul - t;
		ks->token_len[i] = n;
		memcpy(ks->token_short[i], t, n < 16 ? n : 16);
		ks->token_hash[i] = ks_poly(0, (const char *)t, n);
		ks->token_pow[i] = ks_pow(n);
		ks->tail_hash[i] = n ? ks_poly(0, (const char *)t + 1, n - 1) : 0;
	}
	return NULL;
}

/* Check the tokens, and where each name starts. */
static struct vmacore_error *ks_index(struct kallsyms *ks)
{
	struct vmacore_error *err = ks_tokens(ks);
	size_t off = 0;
	uint32_t i;

	if (err)
		return err;
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
	return NULL;
}

/* Every name hashed into ks->slots, its index the answer to lookups. */
static struct vmacore_error *ks_hash_all(struct kallsyms *ks)
{
	uint64_t hashes[KS_AHEAD];
	int lens[KS_AHEAD];
	size_t cap = 1024;
	uint32_t i;

	while (cap < 2 * (size_t)ks->num)
		cap *= 2;
	ks->slots = ks_map(cap * sizeof(*ks->slots));
	if (!ks->slots)
		return &vmacore_enomem;
	ks->mask = cap - 1;
	/*
	 * The inserts are cache misses on a table of megabytes: hash
	 * KS_AHEAD names ahead and prefetch their slots (as symtab.c).
	 * Hashed from their tokens, not expanded: only names whose hashes
	 * meet in a slot are (ks_same()).
	 */
	for (i = 0; i < ks->num + KS_AHEAD; i++) {
		uint32_t r = i % KS_AHEAD;

		if (i >= KS_AHEAD && lens[r] >= 2)
			ks_insert(ks, i - KS_AHEAD, hashes[r]);
		if (i >= ks->num)
			continue;
		lens[r] = ks_compose(ks, i, &hashes[r]);
		if (lens[r] < 0)
			return vmacore_error_create(VMACORE_ERROR_CORRUPT,
						    "kallsyms: name %u of %u is longer than %u bytes",
						    i, ks->num, KSYM_NAME_LEN);
		if (lens[r] < 2)
			continue;
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

	/* kallsyms_lookup() read entries [i, i + 256) */

	for (j = i + 1; j < ks->num && j < i + 256; j++) {
		uint64_t b = ks_address(ks, ks->layout, j);

		if (b > a)
			return b - a;
		if (b < a)
			return 0;
	}
	return 0;
}

/*
 * The symbol named @name (the type character aside) by binary search in
 * name order, as kallsyms_lookup_names() (kernel/kallsyms.c) does, then
 * among the run of that name the one ks_insert() would keep.
 */
static struct vmacore_error *ks_find_sorted(const struct kallsyms *ks,
					    const char *name, uint32_t *ret,
					    bool *found)
{
	int64_t low = 0, high = (int64_t)ks->num - 1, mid = 0;
	struct vmacore_error *err;
	char buf[KS_BUF];
	uint32_t seq, best = 0, pos;
	bool best_global = false;
	int c = 1, len;

	*found = false;
	while (low <= high) {
		mid = low + (high - low) / 2;
		if ((err = ks_seq(ks, mid, &seq)) ||
		    (err = ks_name(ks, seq, buf, &len)))
			return err;
		c = len > 0 ? strcmp(name, buf + 1) : 1;
		if (c > 0)
			low = mid + 1;
		else if (c < 0)
			high = mid - 1;
		else
			break;
	}
	if (c)
		return NULL;
	while (mid > 0) {	/* to the first of the run */
		if ((err = ks_seq(ks, mid - 1, &seq)) ||
		    (err = ks_name(ks, seq, buf, &len)))
			return err;
		if (len <= 0 || strcmp(name, buf + 1))
			break;
		mid--;
	}
	for (pos = mid; pos < ks->num; pos++) {
		bool global;

		if ((err = ks_seq(ks, pos, &seq)) ||
		    (err = ks_name(ks, seq, buf, &len)))
			return err;
		if (len <= 0 || strcmp(name, buf + 1))
			break;
		global = buf[0] >= 'A' && buf[0] <= 'Z';
		if (!*found || (global && !best_global) ||
		    (global == best_global && seq < best)) {
			best = seq;
			best_global = global;
			*found = true;
		}
	}
	*ret = best;
	return NULL;
}

/* The index of the symbol named @name: *@found false if none. */
static struct vmacore_error *ks_find(const struct kallsyms *ks,
				     const char *name, uint32_t *ret,
				     bool *found)
{
	uint64_t *slot;

	*found = false;
	if (!*name)
		return NULL;
	if (ks->seqs)
		return ks_find_sorted(ks, name, ret, found);
	if (!ks->slots)
		return NULL;
	slot = ks_slot(ks, name, ks_hash(name, strlen(name)));
	*found = *slot != 0;
	*ret = (uint32_t)*slot - 1;
	return NULL;
}

struct vmacore_error *kallsyms_lookup(const struct kallsyms *ks,
				      const char *name, uint64_t *addr_ret,
				      uint64_t *size_ret)
{
	struct vmacore_error *err;
	bool found;
	uint32_t i;

	err = ks_find(ks, name, &i, &found);
	if (err)
		return err;
	if (!found)
		goto absent;
	err = ks_load(ks, ks->layout, i, size_ret ? 256 : 1);
	if (err)
		return err;
	*addr_ret = ks_address(ks, ks->layout, i);
	if (size_ret)
		*size_ret = ks_size(ks, i);
	return NULL;
absent:
	return vmacore_error_create(VMACORE_ERROR_LOOKUP,
				    "no symbol %s in the dump's kallsyms", name);
}

/*
 * Whether the page of kallsyms_offsets[] (or _addresses[]) that holds entry
 * @i, as ks_load() read it, is all zeros: no kernel has a page of symbols
 * at one address.
 */
static bool ks_zero_page(const struct kallsyms *ks, enum ks_layout layout,
			 uint32_t i)
{
	uint64_t w = layout == KS_ABSOLUTE ? 8 : 4;
	uint64_t page = (ks->offsets_addr + i * w) & ~(uint64_t)(KS_PAGE - 1);
	uint64_t lo = page > ks->offsets_addr ? page - ks->offsets_addr : 0;
	uint64_t hi = page + KS_PAGE - ks->offsets_addr, b;

	if (hi > ks->offsets_size)
		hi = ks->offsets_size;
	for (b = lo; b < hi; b++)
		if (ks->offsets[b])
			return false;
	return true;
}

/*
 * The layout whose addresses agree with VMCOREINFO's: each of @n anchors
 * (name, address) that kallsyms has must decode to its address, and at
 * least one must be there.  A table of zeros is refused: without
 * CONFIG_KALLSYMS_ALL only _stext may be an anchor, and a relative layout
 * decodes every zero offset to kallsyms_relative_base, which can be it;
 * the pages of the table the anchors read must not be all zeros.
 */
struct vmacore_error *kallsyms_probe(struct kallsyms *ks,
				     const enum ks_layout *layouts,
				     size_t nlayouts, const char *const *names,
				     const uint64_t *addrs, size_t n)
{
	struct vmacore_error *err;
	bool zeros = false;
	size_t l, k;

	for (l = 0; l < nlayouts; l++) {
		size_t hits = 0, zero_pages = 0;

		if (ks->offsets_size / (layouts[l] == KS_ABSOLUTE ? 8 : 4) <
		    ks->num)
			continue;
		for (k = 0; k < n; k++) {
			bool found;
			uint32_t i;

			err = ks_find(ks, names[k], &i, &found);
			if (!err && !found)
				continue;
			if (!err)
				err = ks_load(ks, layouts[l], i, 1);
			if (err || ks_address(ks, layouts[l], i) != addrs[k]) {
				vmacore_error_destroy(err);
				break;
			}
			hits++;
			zero_pages += ks_zero_page(ks, layouts[l], i);
		}
		if (k == n && hits && zero_pages == hits) {
			zeros = true;
			continue;
		}
		if (k == n && hits) {
			ks->layout = layouts[l];
			return NULL;
		}
	}
	if (zeros)
		return vmacore_error_create(VMACORE_ERROR_CORRUPT,
					    "kallsyms: the %u entries of kallsyms_offsets (or _addresses) are zeros where the anchors are",
					    ks->num);
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
	int len;

	for (i = 0; i < ks->num; i++) {
		struct vmacore_error *err = ks_load(ks, ks->layout, i, 1);

		if (!err)
			err = ks_name(ks, i, buf, &len);
		if (err)	/* its address or name lost: not listed */
			vmacore_error_destroy(err);
		else if (len > 1)
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
	free(ks->offsets_have);
	free(ks->seqs);
	free(ks->seqs_have);
	free(ks->markers);
	free(ks->names_have);
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
	uint8_t raw[512], *buf = NULL;
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

/*
 * Since Linux 6.2, "kallsyms: Improve the performance of
 * kallsyms_lookup_name()", kallsyms_seqs_of_names[] orders the symbols by
 * name; then lookups are binary searches (ks_find_sorted()) and no name
 * needs expanding and hashing at start-up (on 6.12, 32M of 200M
 * instructions).  VMCOREINFO does not give it, but kallsyms has it among
 * the other kallsyms tables (scripts/kallsyms.c writes them together):
 * the symbols around kallsyms_names's address, by each layout that may
 * be the kernel's, are looked at by name.  False: not found (hash all).
 */
#define KS_NEAR 16

/* The first symbol at or above @addr by @layout: false if unreadable. */
static bool ks_near(struct kallsyms *ks, enum ks_layout layout,
		    uint64_t addr, uint32_t *ret)
{
	uint32_t lo = 0, hi = ks->num;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct vmacore_error *err = ks_load(ks, layout, mid, 1);

		if (err) {
			vmacore_error_destroy(err);
			return false;
		}
		if (ks_address(ks, layout, mid) < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret = lo;
	return true;
}

/* Whether symbol @i is named @want (a name that cannot be read: not). */
static bool ks_named(struct kallsyms *ks, uint32_t i, const char *want)
{
	struct vmacore_error *err;
	char buf[KS_BUF];
	int len;

	err = ks_name(ks, i, buf, &len);
	if (err) {
		vmacore_error_destroy(err);
		return false;
	}
	return len > 0 && strcmp(buf + 1, want) == 0;
}

static void ks_seqs_drop(struct kallsyms *ks)
{
	free(ks->seqs);
	free(ks->seqs_have);
	ks->seqs = NULL;
	ks->seqs_have = NULL;
}

/* kallsyms_seqs_of_names[] at @addr, read as used. */
static bool ks_seqs_at(struct kallsyms *ks, uint64_t addr)
{
	ks->seqs_addr = addr;
	ks->seqs = malloc(3 * (size_t)ks->num);
	ks->seqs_have = calloc(ks_have_words(3 * (size_t)ks->num),
			       sizeof(*ks->seqs_have));
	if (ks->seqs && ks->seqs_have)
		return true;
	ks_seqs_drop(ks);
	return false;
}

static bool ks_seqs_open(struct kallsyms *ks, const enum ks_layout *layouts,
			 size_t nlayouts, uint64_t names_addr)
{
	size_t l;

	for (l = 0; l < nlayouts; l++) {
		struct vmacore_error *err;
		uint32_t lo, i;

		if (!ks_near(ks, layouts[l], names_addr, &lo))
			continue;
		for (i = lo > KS_NEAR ? lo - KS_NEAR : 0;
		     i < ks->num && i < lo + KS_NEAR; i++) {
			if (!ks_named(ks, i, "kallsyms_seqs_of_names"))
				continue;
			err = ks_load(ks, layouts[l], i, 1);
			if (err) {
				vmacore_error_destroy(err);
				break;
			}
			return ks_seqs_at(ks, ks_address(ks, layouts[l], i));
		}
	}
	return false;
}

/* Back to reading every name: the state of ks_markers_try() undone. */
static void ks_lazy_drop(struct kallsyms *ks)
{
	free(ks->markers);
	free(ks->names_have);
	free(ks->names_owned);
	ks->markers = NULL;
	ks->names_have = NULL;
	ks->names_owned = NULL;
	ks->names = NULL;
	ks->names_size = 0;
	ks->nmarkers = 0;
}

/*
 * Whether the table at @at, symbol @sym, is kallsyms_markers[] for the
 * name stream at @names_addr, which then ends at @at (scripts/kallsyms.c
 * writes the markers right after the names): u32 offsets of every 256th
 * name, from 0, each block at least 256 two-byte names long; the symbol
 * named "kallsyms_markers" by these markers; the first block ending
 * where the second starts and the last at the end of the stream (before
 * its alignment).  @sym UINT32_MAX: no symbol to check the name of.
 * True: ks set up to read names as used.
 */
static bool ks_markers_try(struct kallsyms *ks, uint64_t names_addr,
			   uint64_t at, uint32_t sym)
{
	uint32_t nm = (ks->num + 255) / 256, k;
	size_t size = at - names_addr, off, end;
	struct vmacore_error *err;

	ks->markers = malloc(4 * (size_t)nm);
	if (!ks->markers)
		return false;
	err = kdump_target_read_image(ks->kt, at, ks->markers, 4 * (size_t)nm);
	if (err) {
		vmacore_error_destroy(err);
		goto drop;
	}
	if (ks->markers[0] || ks->markers[nm - 1] >= size)
		goto drop;
	for (k = 1; k < nm; k++)
		if (ks->markers[k] < ks->markers[k - 1] ||
		    ks->markers[k] - ks->markers[k - 1] < 2 * 256)
			goto drop;
	ks->nmarkers = nm;
	ks->names_addr = names_addr;
	ks->names_size = size;
	ks->names_owned = malloc(size);
	ks->names_have = calloc(ks_have_words(size), sizeof(*ks->names_have));
	if (!ks->names_owned || !ks->names_have)
		goto drop;
	ks->names = ks->names_owned;
	if (sym != UINT32_MAX && !ks_named(ks, sym, "kallsyms_markers"))
		goto drop;
	err = ks_lazy_off(ks, ks->num < 256 ? ks->num - 1 : 255, &off, &end);
	if (err || (nm > 1 && end != ks->markers[1]))
		goto drop_err;
	err = ks_lazy_off(ks, ks->num - 1, &off, &end);
	if (err || size - end >= 16)
		goto drop_err;
	return true;
drop_err:
	vmacore_error_destroy(err);
drop:
	ks_lazy_drop(ks);
	return false;
}

/*
 * kallsyms_markers[] gives where every 256th name
 * starts (get_symbol_offset()): with it and kallsyms_seqs_of_names a
 * start-up reads only the names its binary searches look at, a few
 * hundred KB of the 2 MB stream, inflated page by page on a
 * kdump-compressed dump.  VMCOREINFO does not give it; kallsyms has it,
 * among the first symbols above kallsyms_names.  False: not found.
 */
static bool ks_markers_open(struct kallsyms *ks, const enum ks_layout *layouts,
			    size_t nlayouts, uint64_t names_addr)
{
	size_t l;

	for (l = 0; l < nlayouts; l++) {
		uint32_t lo, i;

		if (!ks_near(ks, layouts[l], names_addr + 1, &lo))
			continue;
		for (i = lo; i < ks->num && i < lo + KS_NEAR; i++) {
			struct vmacore_error *err;
			uint64_t a;

			err = ks_load(ks, layouts[l], i, 1);
			if (err) {
				vmacore_error_destroy(err);
				break;
			}
			a = ks_address(ks, layouts[l], i);
			if (a <= names_addr || a - names_addr > KS_MAX_NAMES)
				continue;
			if (ks_markers_try(ks, names_addr, a, i))
				return true;
		}
	}
	return false;
}

/*
 * Kernels whose kallsyms leaves its own tables out (scripts/kallsyms.c's
 * ignored_symbols[], as Debian's 6.1 with kallsyms_seqs_of_names
 * backported) have them where write_src() puts them: kallsyms_names,
 * kallsyms_markers, kallsyms_seqs_of_names, kallsyms_token_table, each
 * aligned to 8 (ALGN).  The markers pass ks_markers_try(); the
 * sequence is only believed if two anchors are then found by it
 * (kallsyms_open()).  False: not there.
 */
static bool ks_tables_guess(struct kallsyms *ks, uint64_t names_addr,
			    uint64_t table)
{
	uint64_t nm = (ks->num + 255) / 256, seqs, markers;

	if (table < 3 * (uint64_t)ks->num + 4 * nm + 16)
		return false;
	seqs = (table - 3 * (uint64_t)ks->num) & ~7ULL;
	markers = (seqs - 4 * nm) & ~7ULL;
	if (markers <= names_addr || markers - names_addr > KS_MAX_NAMES)
		return false;
	if (!ks_markers_try(ks, names_addr, markers, UINT32_MAX))
		return false;
	if (ks_seqs_at(ks, seqs))
		return true;
	ks_lazy_drop(ks);
	return false;
}

/* Every name read and indexed; hashed unless in name order. */
static struct vmacore_error *ks_read_all(struct kallsyms *ks,
					 const enum ks_layout *layouts,
					 size_t nlayouts, uint64_t names_addr)
{
	struct vmacore_error *err = ks_read_names(ks, ks->kt, names_addr);

	if (!err)
		err = ks_index(ks);
	if (!err && !ks_seqs_open(ks, layouts, nlayouts, names_addr))
		err = ks_hash_all(ks);
	return err;
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
	size_t nl = 0, na = 0, k, hits;
	uint32_t num;
	bool have, guessed = false;

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
	/* read as used: ks_load() */
	ks->offsets_owned = malloc(ks->offsets_size);
	ks->offsets_have = calloc(ks_have_words(ks->offsets_size),
				  sizeof(*ks->offsets_have));
	if (!ks->offsets_owned || !ks->offsets_have) {
		err = &vmacore_enomem;
		goto fail;
	}
	ks->offsets = ks->offsets_owned;
	ks->kt = kt;
	ks->grain = kdump_target_read_unit(kt);
	if (ks->grain & (ks->grain - 1))
		ks->grain = KS_PAGE;
	/*
	 * Blocks of several pages (arm64 dumps here) decoded for a lookup
	 * or two each cost more than the tables read whole from the cache
	 * of decoded pages (6.12 arm64: 34M instructions, about 50 blocks).
	 */
	ks->whole = ks->grain > KS_PAGE &&
		    kdump_target_caches(kt, ks->offsets_size / KS_PAGE);
	if ((err = ks_read_tokens(ks, kt, table, index)) ||
	    (err = ks_tokens(ks)))
		goto fail;
	for (k = 0; k < sizeof(ks_anchors) / sizeof(ks_anchors[0]); k++) {
		err = ks_symbol(kt, ks_anchors[k], &have, &addrs[na]);
		if (err)
			goto fail;
		if (have)
			names[na++] = ks_anchors[k];
	}
	/* names read as used, else all read, indexed (and hashed) */
	if (ks_markers_open(ks, layouts, nl, names_addr)) {
		if (!ks_seqs_open(ks, layouts, nl, names_addr))
			ks_lazy_drop(ks);
	} else if (ks_tables_guess(ks, names_addr, table)) {
		guessed = true;
	}
	if (!ks->markers && (err = ks_read_all(ks, layouts, nl, names_addr)))
		goto fail;
	/* a read error of the anchors or their addresses is said as one */
	for (k = 0, hits = 0; k <= na; k++) {
		bool found = false;
		uint32_t i;

		err = k < na ? ks_find(ks, names[k], &i, &found) : NULL;
		hits += found;
		/*
		 * Guessed tables: believed if they find two anchors (which
		 * kallsyms_probe() then checks), else every name is read.
		 */
		if (guessed && (err || (k == na && hits < 2))) {
			vmacore_error_destroy(err);
			ks_lazy_drop(ks);
			ks_seqs_drop(ks);
			guessed = false;
			err = ks_read_all(ks, layouts, nl, names_addr);
			if (err)
				goto fail;
			k = -1;
			hits = 0;
			continue;
		}
		if (err || (found && (err = ks_load(ks, layouts[0], i, 1))))
			goto fail;
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
