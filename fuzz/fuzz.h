/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what the libFuzzer harnesses share.
 *
 * DOC: the fuzzed fake kernel
 *
 * Each harness runs one libvmacore walker over the in-memory fake target
 * of tests/unit (synthetic layout, fake_layout_default()).  The fuzzer's
 * input is the arena: its bytes are mapped at FUZZ_ARENA, which is where
 * fake_alloc() of tests/unit/fake_kernel.c starts, so a seed made with
 * the fake_kernel builders (fuzz/seed.c) or relocated from a real dump
 * (fuzz/extract.c) is simply that memory written out.  Pages beyond the
 * input are unmapped (reads fail with FAULT); physical address P reads
 * virtual FUZZ_PHYS_BASE + P, so page tables in the arena can point into
 * it.  The first 64 bytes of the arena are a header of eight 64-bit words
 * whose meaning each harness documents (which object to start from, an
 * address to look up...).
 *
 * A harness must never crash, hang, leak or let a sanitizer complain; it
 * also aborts when the library answers wrongly in silence (a property
 * that every answer must have, e.g. a VMA found for an address contains
 * that address).
 */
#ifndef VMACORE_FUZZ_H
#define VMACORE_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_kernel.h"

#define FUZZ_ARENA	0xffff888010000000ULL
#define FUZZ_PHYS_BASE	0xffff888000000000ULL
#define FUZZ_ARENA_MAX	(256 * 1024)
#define FUZZ_HDR_WORDS	8

/* Called once: add the members and symbols the harness needs. */
typedef void fuzz_layout_fn(struct fake_target *f);
/* Called for each input after mapping it, before the context is made. */
typedef void fuzz_prepare_fn(struct fake_target *f, const uint64_t *hdr);

/*
 * fuzz_begin() - map @data (at most FUZZ_ARENA_MAX bytes) at FUZZ_ARENA in
 * the harness's fake target (made on first call with @layout), call
 * @prepare (may be NULL) and return a context over it: a fresh one, or with
 * @keep the one made for the first input (for walkers whose context caches
 * nothing read from the arena); NULL (after checking the error) when the
 * arena's vm_flags tables make the dump unusable.  @hdr_ret gets the
 * header words (missing bytes read as 0).
 */
struct vmacore_ctx *fuzz_begin(const uint8_t *data, size_t size,
			       fuzz_layout_fn *layout,
			       fuzz_prepare_fn *prepare, bool keep,
			       uint64_t *hdr_ret);
/* Destroy the context (may be NULL) and unmap the arena. */
void fuzz_end(struct vmacore_ctx *ctx);
struct fake_target *fuzz_fake(void);

/* Free an error (any kind, never NULL-checked twice); end an iteration. */
void fuzz_error_free(struct vmacore_error *err);

/* Abort with a message: the library broke a promise. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
						    noreturn));

/*
 * Every error must carry a non-empty message and a known code, and a
 * CORRUPT one from lib/ the file:line of VMACORE_CORRUPT() (cmd/ makes
 * some with vmacore_error_create(): its harnesses clear the flag).
 */
void fuzz_check_error(const struct vmacore_error *err);
extern bool fuzz_corrupt_has_line;

/* Layout additions shared by several harnesses. */
void fuzz_layout_rmap(struct fake_target *f);

/*
 * The world of fuzz_report.c: init_task's list with kthreadd (2), mapper
 * (42, thread 43) and sharer (50); mapper's VMAs map /usr/lib/libc.so.6
 * at 0x400000 and 0x402000, anon memory at 0x600000 and a stack, sharer
 * (its fork) the file at 0x500000 and the same anon page at 0x600000;
 * one page table, struct pages, i_mmap and anon_vma trees.  Built with
 * fake_alloc() from FUZZ_ARENA (the header, with words 1, 2, 5 and 6
 * set, then FUZZ_ARGS_LEN bytes for the arguments) in a target made by
 * fake_layout_default().
 */
#define FUZZ_ARGS_OFF	0x40
#define FUZZ_ARGS_LEN	0xc0
struct fuzz_world {
	uint64_t args;			/* FUZZ_ARENA + FUZZ_ARGS_OFF */
	uint64_t vmemmap;		/* struct pages of the arena */
	uint64_t anon_page, file_page;	/* the data pages */
	uint64_t mapping;		/* the file's address_space */
	uint64_t end;			/* the world's end */
};
void fuzz_world_build(struct fake_target *f, struct fuzz_world *w);
/* The struct page of the arena page at @va. */
uint64_t fuzz_world_struct_page(const struct fuzz_world *w, uint64_t va);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* VMACORE_FUZZ_H */
