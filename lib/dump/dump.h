/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.h - opening a dump: the target: one vmcore read with
 * libkdumpfile, one vmlinux read for symbols (libelf) and types (libbpf's
 * BTF, or libdw's DWARF with --dwarf), or with no vmlinux, symbols from the
 * dump's kallsyms and types from the BTF in its memory.  Each part lives in its own file;
 * target.c joins them into a struct vmacore_target_ops.
 */
#ifndef VMACORE_DUMP_H
#define VMACORE_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmacore.h"

/* strhash.c: a string-keyed open-addressing hash table. */
struct strhash_entry {
	const char *key;	/* NULL: empty slot; owned by the caller */
	uint64_t value;
	uint64_t aux;
};

struct strhash {
	struct strhash_entry *slots;
	size_t mask;		/* capacity - 1, capacity a power of two */
	size_t count;
};

uint64_t strhash_hash(const char *s);
void strhash_init(struct strhash *h);
void strhash_deinit(struct strhash *h);
/* Insert unless present; *@entry_ret points at the (new or old) entry. */
struct vmacore_error *strhash_add(struct strhash *h, const char *key,
				  struct strhash_entry **entry_ret,
				  bool *added_ret);
struct strhash_entry *strhash_find(const struct strhash *h, const char *key);

/* flat.c: makedumpfile's flattened format. */
bool flat_is_flattened(int fd);
/* Reassemble the flattened dump on @fd into a new sparse memfd. */
struct vmacore_error *flat_reassemble(int fd, const char *path, int *fd_ret,
				      uint64_t *size_ret);

/*
 * diskdump.c: pages of a kdump-compressed file, read and decompressed
 * here (libdeflate, lzo, snappy, zstd).  diskdump_open() leaves *@ret NULL
 * (and returns NULL) for a file it leaves to libkdumpfile.  @page_size:
 * the kernel's PAGESIZE; a block may hold several pages.  One caller at a
 * time (the threads it starts itself are its own business).
 */
struct diskdump;
struct vmacore_error *diskdump_open(int fd, const char *path,
				    uint64_t page_size, struct diskdump **ret);
void diskdump_close(struct diskdump *dd);
/* Page @pfn (page_size bytes) into @buf; NODATA if not in the file. */
struct vmacore_error *diskdump_read(struct diskdump *dd, uint64_t pfn,
				    void *buf);
/*
 * The whole block holding page @pfn when a block holds several pages
 * (QEMU's arm64 dumps): *@n_ret pages from *@first_ret, valid until the
 * next read.  Errors as diskdump_read()'s for @pfn.
 */
struct vmacore_error *diskdump_read_block(struct diskdump *dd, uint64_t pfn,
					  const unsigned char **ret,
					  uint64_t *first_ret, uint32_t *n_ret);
uint32_t diskdump_pages_per_block(const struct diskdump *dd);
/* Pages [@pfn, @pfn + @n): the error is the first failing page's. */
struct vmacore_error *diskdump_read_pages(struct diskdump *dd, uint64_t pfn,
					  size_t n, void *buf);
/*
 * 1: one thread only; 2 (the default): a second thread for bulk reads
 * and, on long walks, to decode ahead; 3: decode ahead at once (tests).
 */
void diskdump_set_threads(struct diskdump *dd, unsigned int threads);
bool diskdump_has(const struct diskdump *dd, uint64_t pfn);
uint64_t diskdump_max_pfn(const struct diskdump *dd);
uint32_t diskdump_block_size(const struct diskdump *dd);
/*
 * Keep bulk reads' decoded pages in @dir between runs (decoded_cache.c);
 * NULL: not.  @log: a -v line for each use of the cache (may be NULL).
 */
void diskdump_set_cache(struct diskdump *dd, const char *dir,
			void (*log)(void *arg, const char *msg), void *log_arg);
bool diskdump_caches(const struct diskdump *dd, size_t pages);

/*
 * What decides the decoded pages [first, first + npages) of blocks
 * [b, b + nblocks) of a kdump-compressed file: @meta (per block: offset
 * of its data from the span's start, size, flags) and @span (the file's
 * bytes from the first block's data to the end of the last's).
 */
struct dd_input {
	uint32_t page_size, block_size;
	uint64_t first, npages, nblocks;
	void *meta;
	size_t meta_len;
	unsigned char *span;
	size_t span_len;
};

/*
 * decoded_cache.c: decoded pages kept in a directory, named by their
 * input and used only when its input equals @in.  get: true and @out
 * filled from the entry; put: true when written.  Both name the entry's
 * file in @path.
 */
bool decoded_cache_get(const char *dir, const struct dd_input *in,
		       void *out, size_t out_len, char *path, size_t path_len);
bool decoded_cache_put(const char *dir, const struct dd_input *in,
		       const void *out, size_t out_len, char *path,
		       size_t path_len);

/* log.c: a -v line (or target.c's --force warning) to @log, if set. */
void dump_logf(void (*log)(void *arg, const char *msg), void *arg,
	       const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* kdump.c: the dump, through libkdumpfile. */
struct kdump_target;
/* @log: -v lines (NULL: quiet), called with @log_arg. */
struct vmacore_error *kdump_target_open(const char *path,
					void (*log)(void *arg, const char *msg),
					void *log_arg,
					struct kdump_target **ret);
void kdump_target_close(struct kdump_target *kt);
struct vmacore_error *kdump_target_read(struct kdump_target *kt,
					uint64_t addr, void *buf, size_t len,
					bool physical);
/*
 * Keep the decoded pages of large bulk reads (the BTF with the dump
 * alone) in @dir between runs, when vmacore decodes the pages itself.
 */
void kdump_target_set_cache(struct kdump_target *kt, const char *dir);
/* Are bulk reads of @pages pages and more kept between runs? */
bool kdump_target_caches(struct kdump_target *kt, size_t pages);
/* Bulk read of kernel image addresses (no page cache, no page walk). */
struct vmacore_error *kdump_target_read_image(struct kdump_target *kt,
					      uint64_t addr, void *buf,
					      size_t len);
/*
 * The unit the dump's pages are decoded in (a kdump-compressed block),
 * at least 4 KiB: readers of scattered small pieces read this much.
 */
uint32_t kdump_target_read_unit(struct kdump_target *kt);
/* A VMCOREINFO value, malloc'ed; LOOKUP if absent. */
struct vmacore_error *kdump_target_vmcoreinfo(struct kdump_target *kt,
					      const char *key, char **ret);
/* The dump's format name ("elf", "diskdump", ...), for -v. */
const char *kdump_target_format(struct kdump_target *kt);
/* Enable the direct-map shortcut once page_offset_base is known. */
void kdump_target_set_direct_map(struct kdump_target *kt, uint64_t base,
				 uint64_t size);
/*
 * The dumped machine's architecture (kdump_select_arch(), kdump.c): from
 * the file (ELF e_machine, the kdump header's utsname.machine, both through
 * libkdumpfile), else from VMCOREINFO.  Anything else is refused at open.
 */
enum dump_arch {
	DUMP_ARCH_X86_64,
	DUMP_ARCH_ARM64,
};
enum dump_arch kdump_target_arch(struct kdump_target *kt);
/*
 * Kernel virtual [@start, @start + @size) is physical @phys onwards: the
 * arm64 kernel image (__kimg_to_phys(): x - kimage_voffset), read without
 * addrxlat.
 */
void kdump_target_set_image_map(struct kdump_target *kt, uint64_t start,
				uint64_t size, uint64_t phys);
/* Counters for -v. */
void kdump_target_stats(struct kdump_target *kt, uint64_t *reads_ret,
			uint64_t *hits_ret);

/* symtab.c: the vmlinux ELF symbol table, build id and banner. */
struct symtab;
struct vmacore_error *symtab_open(const char *path, struct symtab **ret);
void symtab_close(struct symtab *st);
/* Unrelocated value and size of @name; LOOKUP if absent. */
struct vmacore_error *symtab_lookup(struct symtab *st, const char *name,
				    uint64_t *value_ret, uint64_t *size_ret);
/* Hex build id of the vmlinux ("" if it has none). */
const char *symtab_build_id(struct symtab *st);
/* Bytes of initialized data at unrelocated address @addr in the file. */
struct vmacore_error *symtab_read_file(struct symtab *st, uint64_t addr,
				       void *buf, size_t len);
size_t symtab_count(struct symtab *st);

/*
 * kallsyms.c: symbols from the kernel's kallsyms tables in the dump.
 * kallsyms_sym_address() has had these layouts:
 * @KS_ABSOLUTE: kallsyms_addresses[] (!CONFIG_KALLSYMS_BASE_RELATIVE);
 * @KS_ABSOLUTE_PERCPU: kallsyms_offsets[] >= 0 absolute, else
 *	kallsyms_relative_base - 1 - offset;
 * @KS_RELATIVE: kallsyms_relative_base + (u32)offset;
 * @KS_PREL: no kallsyms_relative_base: each offset relative to its own
 *	address (offset_to_ptr()).
 */
#define KSYM_NAME_LEN 512

enum ks_layout {
	KS_ABSOLUTE,
	KS_ABSOLUTE_PERCPU,
	KS_RELATIVE,
	KS_PREL,
};

struct kallsyms {
	/* The tables (set before kallsyms_build()). */
	const uint8_t *names;
	size_t names_size;
	const uint8_t *tokens;
	size_t tokens_size;
	uint16_t token_index[256];
	const uint8_t *offsets;
	size_t offsets_size;
	uint32_t num;
	enum ks_layout layout;
	uint64_t base;		/* kallsyms_relative_base's value */
	uint64_t offsets_addr;	/* where kallsyms_offsets[] is (KS_PREL) */
	/* Built by kallsyms_build(). */
	uint16_t token_len[256];
	char token_short[256][16];	/* tokens up to 16 bytes, padded */
	/* per token: hash of its bytes, of all but the first, KS_MUL^len */
	uint64_t token_hash[256], tail_hash[256], token_pow[256];
	uint32_t *name_off;
	uint64_t *slots;	/* hash of the name << 32 | index + 1 */
	size_t mask;
	size_t count;
	uint8_t *names_owned, *tokens_owned, *offsets_owned;
	size_t names_mapped;	/* names_owned is mmap()ed (kallsyms.c) */
	/* kallsyms_open(): offsets read as used, a bit per page of the dump */
	struct kdump_target *kt;	/* NULL: the caller set all of them */
	uint64_t *offsets_have;
	/* kallsyms_seqs_of_names[], read as used (NULL: names hashed) */
	uint64_t seqs_addr;
	uint8_t *seqs;
	uint64_t *seqs_have;
	uint32_t grain;		/* ks_fetch()'s unit: a power of 2 >= 4 KiB */
	bool whole;		/* ks_fetch() reads a table whole, cached */
	/*
	 * kallsyms_markers[] (NULL: every name indexed in name_off): then
	 * kallsyms_names is read as used, from names_addr, like the offsets.
	 */
	uint32_t *markers;
	uint32_t nmarkers;
	uint64_t names_addr;
	uint64_t *names_have;
};

/* Read and check the tables VMCOREINFO points at; LOOKUP if absent. */
struct vmacore_error *kallsyms_open(struct kdump_target *kt,
				    struct kallsyms **ret);
struct vmacore_error *kallsyms_build(struct kallsyms *ks);
/* Choose ks->layout by the anchors; CORRUPT if none fits or all zero. */
struct vmacore_error *kallsyms_probe(struct kallsyms *ks,
				     const enum ks_layout *layouts,
				     size_t nlayouts, const char *const *names,
				     const uint64_t *addrs, size_t n);
/* Run-time address and size (0: unknown) of @name; LOOKUP if absent. */
struct vmacore_error *kallsyms_lookup(const struct kallsyms *ks,
				      const char *name, uint64_t *addr_ret,
				      uint64_t *size_ret);
void kallsyms_for_each(const struct kallsyms *ks,
		       void (*fn)(void *arg, uint64_t addr, char type,
				  const char *name),
		       void *arg);
void kallsyms_free(struct kallsyms *ks);

/* Types: BTF (btf.c) or DWARF (dwarf.c), behind one small interface. */
/*
 * struct type_index - the names both type backends index (strhash.c):
 * struct, union and typedef names (value: the backend's handle of the
 * type) and enumerators (value: the enumerator's value).
 */
struct type_index {
	struct strhash structs, unions, typedefs;
	struct strhash enumerators;
};

void type_index_init(struct type_index *ix);
void type_index_deinit(struct type_index *ix);

struct types {
	struct vmacore_error *(*type_size)(struct types *t, const char *name,
					   uint64_t *ret);
	struct vmacore_error *(*member)(struct types *t, const char *type,
					const char *member,
					uint64_t *offset_ret,
					uint64_t *size_ret);
	/* types_enumerator() for both backends */
	struct vmacore_error *(*enumerator)(struct types *t, const char *name,
					    int64_t *ret);
	/*
	 * Index more enumerators into @ix.enumerators; *@all_ret once every
	 * one is (BTF: all at once; DWARF: one compile unit at a time).
	 */
	struct vmacore_error *(*index_enums)(struct types *t, bool *all_ret);
	void (*destroy)(struct types *t);
	const char *name;	/* "btf" or "dwarf" */
	const char *label;	/* "BTF" or "DWARF", in messages */
	struct type_index ix;
};

/* strhash.c: the value of enumerator @name (LOOKUP if none), indexing
 * with t->index_enums() until it is found or all are indexed. */
struct vmacore_error *types_enumerator(struct types *t, const char *name,
				       int64_t *ret);

struct vmacore_error *btf_types_open(const char *vmlinux, struct types **ret);
struct vmacore_error *btf_types_from_mem(const void *data, size_t size,
					 const char *what, struct types **ret);
struct vmacore_error *dwarf_types_open(const char *vmlinux,
				       struct types **ret);

/*
 * Split "a.b[2].c" designators: copy the next component of *@desig into
 * @buf (NUL-terminated) and its array index (or -1) into *@index_ret.
 * Return: false at the end or on a malformed designator (*@bad_ret).
 */
bool designator_next(const char **desig, char *buf, size_t size,
		     long *index_ret, bool *bad_ret);
/* Bounds of a member lookup: anonymous struct/union nesting, a name. */
#define MAX_ANON_DEPTH 16
#define NAME_MAX_LEN 256


/* target.c: the whole target; vmacore_open() (vmacore.h) wraps it. */
struct dump_target {
	struct kdump_target *kdump;
	const char *vmlinux;
	char *vmlinux_owned;
	struct symtab *symtab;
	struct kallsyms *kallsyms;	/* the dump alone: no symtab */
	struct types *types;
	uint64_t kaslr_offset;
	bool verbose;
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

struct dump_target_options {
	const char *vmcore;
	const char *vmlinux;
	bool no_vmlinux;	/* symbols and types from the dump alone */
	bool dwarf;
	bool force;
	bool verbose;
	const char *cache_dir;	/* struct vmacore_open_opts */
	/* -v lines and the --force warning (struct vmacore_open_opts) */
	void (*log)(void *arg, const char *msg);
	void *log_arg;
};

extern const struct vmacore_target_ops dump_target_ops;

struct vmacore_error *dump_target_open(const struct dump_target_options *o,
				       struct dump_target **ret);
void dump_target_close(struct dump_target *t);

#endif /* VMACORE_DUMP_H */
