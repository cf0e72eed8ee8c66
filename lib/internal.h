/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * internal.h - what the files of lib/ share and nobody else sees.
 */
#ifndef VMACORE_INTERNAL_H
#define VMACORE_INTERNAL_H

#include <string.h>

#include "vmacore.h"

#define __unused __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * struct field - where a struct member lives in this kernel, resolved by name
 * once when the context is created.  @present is false when the member is
 * absent (a probed difference between kernels, not an error by itself).
 */
struct field {
	uint32_t off;
	uint32_t size;
	bool present;
};

/*
 * Each topic keeps its own part of the one layout table, resolved by its own
 * *_layout_init() at context creation (see target.c for the helpers).
 */
#include "layout.h"

struct vmacore_ctx {
	const struct vmacore_target_ops *ops;
	void *priv;
	/* A target the context owns (vmacore_open()): closed with it. */
	void (*release)(void *priv);
	void (*log_fn)(void *arg, const char *msg);
	void *log_arg;
	struct vmacore_layout l;
	/* Lazily built vm_flags table (flags.c). */
	struct vmacore_flag_bit *flag_table;
	size_t flag_count;
	char *flag_strings;
	/* Bits whose smaps code is the built-in table's, not the dump's. */
	uint64_t flag_codes_builtin;
	/* Pid idr layout and task index, made when first needed (task.c). */
	struct task_cache *task_cache;
	/*
	 * The cache the page-table walk in progress reads through (NULL:
	 * read each entry), and the one smaps keeps from VMA to VMA.
	 */
	struct walk_cache *walk;
	struct walk_cache *smaps_walk;
	/* resolved once per dump, on gcore's first use (gcore*.c) */
	struct gc_layout *gcore_layout;
	struct notes_layout *notes_layout;
};

/*
 * struct walk_cache - what one walk of an mm's page tables has read, so
 * that it reads each page-table page and each folio's head once: the
 * table last read at each level (a walk in address order is done with a
 * table when it moves to the next one, as walk_page_range() visits each
 * table once), and a few folio heads by address.  Its size is fixed:
 * memory does not grow with the pages walked.  pgtable.c and page.c
 *
 * walk_cache_create() - an empty cache (NULL: out of memory).
 * walk_cache_reset() - forget what was read (a new walk, or an mm whose
 * memory may differ).  walk_cache_destroy() accepts NULL.
 * pgtable_walk_lookup() - vmacore_pgtable_lookup() through @wc.
 * pgtable_walk_none_run() - after a lookup of @vaddr through @wc that
 * ended at an empty PTE (entry 0): how many entries from it on, at most
 * @max, are 0 in that PTE table (at least 1), so that the walk steps over
 * them at once.
 */
enum {
	WALK_LEVELS = 6,		/* by level, 1 (PTE) to 5 */
	WALK_FOLIOS = 64,		/* folio heads held */
	WALK_FOLIO_BYTES = 512,		/* of struct folio (4 struct pages) */
};

struct walk_table {
	uint64_t table;
	bool valid;
	bool top;
	uint32_t len;
	unsigned char *bytes;	/* table_size bytes, allocated on first use */
};

struct walk_folio {
	uint64_t head;		/* struct page address; 0: empty */
	struct vmacore_folio f;
	uint32_t len;
	unsigned char bytes[WALK_FOLIO_BYTES];
};

struct walk_cache {
	struct walk_table tables[WALK_LEVELS];
	size_t table_size;
	struct walk_folio folios[WALK_FOLIOS];
	unsigned char page[WALK_FOLIO_BYTES];	/* the last struct page read */
	struct walk_folio *last;		/* the last head decoded */
	/* smaps: the mm and the end of the VMA last walked */
	uint64_t pgd, last_end;
	/* what was read through the target (tests count them) */
	uint64_t table_reads, folio_reads, page_reads;
};

struct walk_cache *walk_cache_create(void);
void walk_cache_reset(struct walk_cache *wc);
void walk_cache_destroy(struct walk_cache *wc);
struct vmacore_error *pgtable_walk_lookup(struct vmacore_ctx *ctx,
					  struct walk_cache *wc, uint64_t pgd,
					  uint64_t vaddr,
					  struct vmacore_pte *ret);
uint64_t pgtable_walk_none_run(const struct vmacore_ctx *ctx,
			       const struct walk_cache *wc, uint64_t vaddr,
			       uint64_t max);

/*
 * struct mem_window - @len bytes of the dump at @addr already read into
 * @bytes.  read_field_window() - read_field() from the first of @n
 * windows that holds the whole field, else from the target.  page.c
 */
struct mem_window {
	uint64_t addr;
	uint32_t len;
	const unsigned char *bytes;
};

struct vmacore_error *read_field_window(struct vmacore_ctx *ctx,
					const struct mem_window *w, size_t n,
					uint64_t base, const struct field *f,
					uint64_t *ret);

/*
 * folio_walk_read() - vmacore_folio_read() through @wc: the folio's head
 * is read once while @wc holds it.  @win_ret[0] is set to the bytes of
 * @pfn's struct page, @win_ret[1] to those of the folio's head (valid
 * until the next call with @wc).  page.c
 */
struct vmacore_error *folio_walk_read(struct vmacore_ctx *ctx,
				      struct walk_cache *wc, uint64_t pfn,
				      struct vmacore_folio *ret,
				      struct mem_window win_ret[2]);

/*
 * ctx_own_target() - make vmacore_ctx_destroy() call @release(ctx->priv)
 * after the context is freed (vmacore_open(), lib/dump/target.c).  ctx.c
 */
void ctx_own_target(struct vmacore_ctx *ctx, void (*release)(void *priv));
/* ctx_get_log() - the log vmacore_ctx_set_log() set (vmacore_query()). */
void ctx_get_log(struct vmacore_ctx *ctx,
		 void (**fn_ret)(void *arg, const char *msg), void **arg_ret);

/*
 * error_catch() - if *@errp is an error with @code, destroy it and set
 * *@errp to NULL (drgn_error_catch()).  Return: whether it did.  error.c
 */
bool error_catch(struct vmacore_error **errp, enum vmacore_error_code code);

/* target.c: checked access to the target and the layout table. */
struct vmacore_error *field_init(struct vmacore_ctx *ctx, struct field *f,
				 const char *type, const char *member);
struct vmacore_error *field_require(struct vmacore_ctx *ctx, struct field *f,
				    const char *type, const char *member);
struct vmacore_error *type_size_init(struct vmacore_ctx *ctx, uint64_t *ret,
				     const char *type, bool required);

/*
 * struct field_spec - one row of a topic's table of members to resolve:
 * @f is set from @type.@member by field_init(), or by field_require() when
 * @required.
 */
struct field_spec {
	struct field *f;
	const char *type;
	const char *member;
	bool required;
};

/* Resolve @n rows of @specs in order; the first error is returned. */
struct vmacore_error *fields_init(struct vmacore_ctx *ctx,
				  const struct field_spec *specs, size_t n);
/*
 * fields_span() - the bytes [*@off_ret, *@off_ret + *@len_ret) of a struct
 * @type that hold the present ones of @fields, so that one read covers them.
 */
struct vmacore_error *fields_span(const struct field *const *fields, size_t n,
				  const char *type, uint32_t *off_ret,
				  uint32_t *len_ret);
struct vmacore_error *symbol_addr(struct vmacore_ctx *ctx, const char *name,
				  uint64_t *addr_ret, uint64_t *size_ret);
/* symbol_addr() for an optional symbol: *@ret = 0 if the kernel has none. */
struct vmacore_error *symbol_or_zero(struct vmacore_ctx *ctx, const char *name,
				     uint64_t *ret);
struct vmacore_error *enum_value(struct vmacore_ctx *ctx, const char *name,
				 int64_t *ret);
/*
 * vmcoreinfo_u64() - VMCOREINFO @key parsed as a number in @base (0: as
 * strtoull() does; the kernel prints PAGESIZE and NUMBER() in decimal,
 * SYMBOL() in hex without "0x").  *@found_ret is false, and no error
 * returned, when the target has no VMCOREINFO or no such key.
 */
struct vmacore_error *vmcoreinfo_u64(struct vmacore_ctx *ctx, const char *key,
				     int base, bool *found_ret, uint64_t *ret);
/*
 * read_sym_u64() - the @len-byte (4 or 8) variable @name, zero-extended;
 * *@found is false, and no error returned, when the kernel has no such
 * symbol.  page.c
 */
struct vmacore_error *read_sym_u64(struct vmacore_ctx *ctx, const char *name,
				   size_t len, bool *found, uint64_t *ret);
struct vmacore_error *read_mem(struct vmacore_ctx *ctx, uint64_t addr,
			       void *buf, size_t len);
struct vmacore_error *read_phys(struct vmacore_ctx *ctx, uint64_t addr,
				void *buf, size_t len);
struct vmacore_error *read_u64(struct vmacore_ctx *ctx, uint64_t addr,
			       uint64_t *ret);
/* Read a field of @size 1, 2, 4 or 8 from a struct at @base, zero-extended. */
struct vmacore_error *read_field(struct vmacore_ctx *ctx, uint64_t base,
				 const struct field *f, uint64_t *ret);
/*
 * Extract a field from a buffer already holding the struct.  Inline: a
 * walk of every VMA calls it ten times a VMA (issue 14).
 */
static inline uint64_t field_get(const void *buf, const struct field *f)
{
	const unsigned char *p = (const unsigned char *)buf + f->off;
	uint8_t v8;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (f->size) {
	case 1:
		memcpy(&v8, p, 1);
		return v8;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}
/* The same from a buffer holding the struct from @span_off (fields_span()). */
uint64_t field_get_span(const void *buf, uint32_t span_off,
			const struct field *f);
/*
 * addr_set.c: a hash map keyed by (a, b) pairs, a != 0; zero-initialise it.
 * addr_set_add() sets *@added_ret to whether the pair was new and, if
 * @value_ret is not NULL, points it at the pair's value (0 when new).
 */
struct addr_set_slot {
	uint64_t a, b, value;
};

struct addr_set {
	struct addr_set_slot *slots;
	size_t mask;	/* capacity - 1, capacity a power of two */
	size_t count;
};

struct vmacore_error *addr_set_add(struct addr_set *s, uint64_t a, uint64_t b,
				   uint64_t **value_ret, bool *added_ret);
bool addr_set_contains(const struct addr_set *s, uint64_t a, uint64_t b);
void addr_set_deinit(struct addr_set *s);

/*
 * task_walk_lost() - after a task walk that did not find what it looked
 * for: whether a lost part could have held it.  @end is what
 * vmacore_task_iter_next() returned last (consumed), @count the tasks
 * returned.  Losses of kernel threads never count, nor, with
 * @only_mmless, of leaders that have an mm (their threads share it).
 * Return: NULL (complete); INCOMPLETE naming the lost parts; @end's error
 * when not one task could be read.  task.c
 */
struct vmacore_error *task_walk_lost(struct vmacore_task_iter *it,
				    struct vmacore_error *end, uint64_t count,
				    bool only_mmless);

/*
 * The task index of task.c: one walk of the task lists per context, made
 * when first needed.  task_index_mm() - where the tasks whose mm is @mm
 * start (*@pos_ret, for task_index_next(); 0: none) and *@lost_ret, the
 * task_walk_lost() of the walk with only_mmless (NULL: complete; to be
 * destroyed).  task_index_next() - the task at *@pos, in task-list order,
 * moving *@pos to the next one of the same mm; NULL at the end.
 */
struct vmacore_error *task_index_mm(struct vmacore_ctx *ctx, uint64_t mm,
				    uint32_t *pos_ret,
				    struct vmacore_error **lost_ret);
const struct vmacore_task *task_index_next(struct vmacore_ctx *ctx,
					   uint32_t *pos);
void task_cache_free(struct vmacore_ctx *ctx);

void vmacore_log(struct vmacore_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* VMACORE_INTERNAL_H */
