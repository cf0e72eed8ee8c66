// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_report.c - the subcommands of report/ (ps, maps, vma, flags, rmap,
 * imap, anon, coredump) over the fuzzed fake kernel, with arguments from
 * the input: the layer that turns walks into answers.
 *
 * Header: [0] low 3 bits: the subcommand (report_commands[]), bit 3: a
 * default pid (crash's current task) in bits 32..62, bit 4: crash's
 * usage name; [1], [2] init_task.tasks.next and .prev; [4] low 16 bits:
 * where the arguments are (arena offset; 0: 0x40); [5] max_pfn, [6]
 * vmemmap_base, [7] vsyscall_mode.  The arguments: up to 192 bytes,
 * NUL-separated, ended by an empty one (fuzz/report.dict has the words).
 * Physical P is arena offset P - 0x10000000.
 *
 * An input shorter than 4096 bytes is a patch input instead: the arena is
 * the world of fuzz_world_build() (fuzz.h), with header word 0 from the
 * input's first 8 bytes, the arguments from its next 192, then patches
 * of 16 bytes (see struct patch), so that the fuzzer damages the objects
 * of a consistent kernel rather than the padding around them.
 *
 * Properties (vmacore(1), EXIT STATUS and JSON OUTPUT):
 * - the status is 0..5;
 * - status 4 comes with "vmacore: partial answer: " on the error stream
 *   and an answer on the output; such a line comes with status 4 or 5;
 * - status 0 has no error line (warnings allowed);
 * - a --json answer is one valid JSON document; its "complete" is true
 *   with status 0 and false with status 4 (which must have one, and a
 *   non-empty "errors"); "complete" comes with "errors";
 * - the output has no NUL byte;
 * - no silent partial answer: when lib/'s own walk of an mm that ps,
 *   maps or coredump answered for stops on an error or is partial
 *   (vmacore_vma_iter_partial()), the status is not 0 or 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"	/* ctx->l.rmap.mem_done */
#include "report.h"

#define ARGS_OFF	FUZZ_ARGS_OFF	/* by default: after the header */
#define ARGS_LEN	FUZZ_ARGS_LEN
#define PATCH_INPUT_MAX	4096
#define PATCH_START	(8 + ARGS_LEN)
#define MAX_ARGS	16
#define MAX_MMS		64

/* init_task.tasks from header words 1 and 2 */
static void set_init_task(struct fake_target *f, const uint64_t *hdr)
{
	fake_w64(f, FAKE_INIT_TASK + T_TASKS, hdr[1]);
	fake_w64(f, FAKE_INIT_TASK + T_TASKS + 8, hdr[2]);
}

static void log_warning(void *arg, const char *msg)
{
	fprintf(arg, "vmacore: warning: %s\n", msg);
}

/* ---- a JSON validator (RFC 8259), just enough for the checks ------------ */

struct jp {
	const char *p, *end;
	int depth;
	int complete;		/* top-level "complete": -1 absent, 0, 1 */
	int errors;		/* top-level "errors": -1 absent, its length */
};

static void jp_ws(struct jp *j)
{
	while (j->p < j->end && strchr(" \t\r\n", *j->p))
		j->p++;
}

static bool jp_lit(struct jp *j, const char *s)
{
	size_t n = strlen(s);

	if ((size_t)(j->end - j->p) < n || memcmp(j->p, s, n))
		return false;
	j->p += n;
	return true;
}

/* A string; its bytes (escapes kept) in @buf when not NULL. */
static bool jp_string(struct jp *j, char *buf, size_t size)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"')
		return false;
	for (j->p++; j->p < j->end && *j->p != '"'; j->p++) {
		unsigned char c = *j->p;

		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++j->p >= j->end)
				return false;
			if (*j->p == 'u') {
				int i;

				for (i = 0; i < 4; i++)
					if (++j->p >= j->end ||
					    !strchr("0123456789abcdefABCDEF",
						    *j->p))
						return false;
			} else if (!strchr("\"\\/bfnrt", *j->p)) {
				return false;
			}
		}
		if (buf && n + 1 < size)
			buf[n++] = c;
	}
	if (buf)
		buf[n] = '\0';
	if (j->p >= j->end)
		return false;
	j->p++;
	return true;
}

static bool jp_number(struct jp *j)
{
	const char *s = j->p;

	if (j->p < j->end && *j->p == '-')
		j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return false;
	if (*j->p == '0')
		j->p++;
	else
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	if (j->p < j->end && *j->p == '.') {
		j->p++;
		if (j->p >= j->end || *j->p < '0' || *j->p > '9')
			return false;
		while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
			j->p++;
	}
	return j->p > s;
}

static bool jp_value(struct jp *j, bool top);
static bool jp_array(struct jp *j, bool errors);

static bool jp_object(struct jp *j, bool top)
{
	char key[32];

	j->p++;
	jp_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return true;
	}
	for (;;) {
		jp_ws(j);
		if (!jp_string(j, key, sizeof(key)))
			return false;
		jp_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return false;
		j->p++;
		jp_ws(j);
		if (top && !strcmp(key, "complete")) {
			if (j->complete >= 0)
				return false;	/* twice */
			if (jp_lit(j, "true"))
				j->complete = 1;
			else if (jp_lit(j, "false"))
				j->complete = 0;
			else
				return false;
		} else if (top && !strcmp(key, "errors")) {
			if (j->errors >= 0 || *j->p != '[' ||
			    !jp_array(j, true))
				return false;
		} else if (!jp_value(j, false)) {
			return false;
		}
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return true;
		}
		return false;
	}
}

/* An array; with @errors, its length in j->errors. */
static bool jp_array(struct jp *j, bool errors)
{
	j->p++;
	if (errors)
		j->errors = 0;
	jp_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		return true;
	}
	for (;;) {
		jp_ws(j);
		if (!jp_value(j, false))
			return false;
		if (errors)
			j->errors++;
		jp_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			return true;
		}
		return false;
	}
}

static bool jp_value(struct jp *j, bool top)
{
	bool ok;

	if (j->p >= j->end || ++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{':
		ok = jp_object(j, top);
		break;
	case '[':
		ok = jp_array(j, false);
		break;
	case '"':
		ok = jp_string(j, NULL, 0);
		break;
	case 't':
		ok = jp_lit(j, "true");
		break;
	case 'f':
		ok = jp_lit(j, "false");
		break;
	case 'n':
		ok = jp_lit(j, "null");
		break;
	default:
		ok = jp_number(j);
	}
	j->depth--;
	return ok;
}

/* One JSON object and a newline; *@complete_ret, *@errors_ret as struct
 * jp's. */
static bool json_valid(const char *s, size_t len, int *complete_ret,
		       int *errors_ret)
{
	struct jp j = { s, s + len, 0, -1, -1 };

	if (!len || *s != '{' || !jp_value(&j, true))
		return false;
	if (j.p >= j.end || *j.p != '\n' || j.p + 1 != j.end)
		return false;
	*complete_ret = j.complete;
	*errors_ret = j.errors;
	return true;
}

/* ---- the oracle: lib/'s own walks of the mms a query answered for ---- */

struct mms {
	uint64_t v[MAX_MMS];
	size_t n;
};

static void mms_add(struct mms *m, uint64_t mm)
{
	size_t i;

	if (!mm)
		return;
	for (i = 0; i < m->n; i++)
		if (m->v[i] == mm)
			return;
	if (m->n < MAX_MMS)
		m->v[m->n++] = mm;
}

/* Whether lib/ says the VMA walk of @mm is incomplete. */
static bool walk_incomplete(struct vmacore_ctx *ctx, uint64_t mm,
			    const char **why)
{
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_error *err;
	struct vmacore_vma v;
	unsigned int n = 0;
	bool bad;

	err = vmacore_vma_iter_create(ctx, mm, &it);
	while (!err && n++ < 100000)
		err = vmacore_vma_iter_next(it, &v);
	/* FUZZ_REPORT_NO_PARTIAL: look past the walks that lib/ only flags
	 * (e.g. map_count wrong), for a campaign while that is open */
	bad = err != &vmacore_stop || (vmacore_vma_iter_partial(it) &&
				       !getenv("FUZZ_REPORT_NO_PARTIAL"));
	*why = err != &vmacore_stop ? "stopped by an error" : "partial";
	if (err != &vmacore_stop)
		vmacore_error_destroy(err);
	vmacore_vma_iter_destroy(it);
	return bad;
}

/*
 * The mms ps (every task's; with -t every thread's), maps PID... and
 * coredump PID... answer for, as far as lib/ finds them without error.
 */
static void queried_mms(struct vmacore_ctx *ctx, const char *cmd,
			int argc, char **argv, struct mms *m)
{
	struct vmacore_task_iter *it;
	struct vmacore_error *err;
	struct vmacore_task t;
	uint64_t pid;
	bool threads = false;
	int i;

	if (!strcmp(cmd, "ps")) {
		for (i = 1; i < argc; i++)
			threads |= !strcmp(argv[i], "-t") ||
				   !strcmp(argv[i], "--threads");
		err = vmacore_task_iter_create(ctx, threads, &it);
		if (err) {
			vmacore_error_destroy(err);
			return;
		}
		while (!(err = vmacore_task_iter_next(it, &t)))
			mms_add(m, t.mm);
		if (err != &vmacore_stop)
			vmacore_error_destroy(err);
		vmacore_task_iter_destroy(it);
		return;
	}
	if (strcmp(cmd, "maps") && strcmp(cmd, "coredump"))
		return;
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-' || !report_parse_u64(argv[i], &pid) ||
		    pid > INT32_MAX)
			continue;	/* options, names: not checked */
		err = vmacore_task_find(ctx, pid, &t);
		if (err)
			vmacore_error_destroy(err);
		else
			mms_add(m, t.mm);
	}
}

/* ---- patch inputs: the world, damaged -------------------------------- */

/*
 * struct patch - one damage: @sel picks the 64-bit word to change, among
 * the world's nonzero ones (pointers, counts, flags...) or, with bit 31,
 * at any byte offset; @op % 8 says how (see patch_apply()), @v with what.
 */
struct patch {
	uint32_t sel;
	uint32_t op;
	uint64_t v;
};

static uint8_t *world;
static size_t world_len;
static uint32_t *world_words;	/* offsets of the nonzero words */
static size_t world_nwords;

static void world_init(void)
{
	struct fake_target *f = fake_create();
	struct fuzz_world w;
	size_t i;

	fake_layout_default(f);
	fake_alloc_reset(FUZZ_ARENA);
	fuzz_world_build(f, &w);
	world_len = (w.end - FUZZ_ARENA + 7) & ~7ULL;
	world = calloc(1, world_len);
	world_words = calloc(world_len / 8, sizeof(*world_words));
	if (!world || !world_words)
		abort();
	for (i = 0; i < world_len; i += 8) {
		uint64_t v = fake_r64(f, FUZZ_ARENA + i);

		memcpy(world + i, &v, 8);
		if (v && (i < ARGS_OFF || i >= ARGS_OFF + ARGS_LEN))
			world_words[world_nwords++] = i;
	}
	fake_destroy(f);
}

static void patch_apply(uint8_t *buf, const struct patch *p)
{
	uint64_t old, val;
	size_t at, width = 8;

	if (p->sel & 0x80000000)
		at = (p->sel & 0x7fffffff) % (world_len - 7);
	else
		at = world_words[p->sel % world_nwords];
	memcpy(&old, buf + at, 8);
	switch (p->op % 8) {
	case 0:		/* any value */
		val = p->v;
		break;
	case 1:		/* NULL, zero */
		val = 0;
		break;
	case 2:		/* the value of another word: a pointer elsewhere */
		memcpy(&val, buf + world_words[p->v % world_nwords], 8);
		break;
	case 3:		/* a little off */
		val = old + (int8_t)p->v;
		break;
	case 4:		/* the address of a word: into the middle of things */
		val = FUZZ_ARENA + world_words[p->v % world_nwords];
		break;
	case 5:		/* one bit flipped */
		val = old ^ (1ULL << (p->v & 63));
		break;
	case 6:		/* a 32-bit field: pid, map_count, a name's length */
		val = p->v;
		width = 4;
		break;
	default:	/* a byte: maple metadata, node types, a comm */
		val = p->v;
		width = 1;
	}
	memcpy(buf + at, &val, width);
}

/* The arena of a patch input (malloc'd, world_len bytes). */
static uint8_t *patch_arena(const uint8_t *data, size_t size)
{
	uint8_t *buf;
	size_t i;

	if (!world)
		world_init();
	buf = malloc(world_len);
	if (!buf)
		abort();
	memcpy(buf, world, world_len);
	memcpy(buf, data, size < 8 ? size : 8);
	if (size > 8)
		memcpy(buf + ARGS_OFF, data + 8,
		       size - 8 < ARGS_LEN ? size - 8 : ARGS_LEN);
	for (i = PATCH_START; i + sizeof(struct patch) <= size;
	     i += sizeof(struct patch)) {
		struct patch p;

		memcpy(&p, data + i, sizeof(p));
		patch_apply(buf, &p);
	}
	return buf;
}

/* ---- the harness ------------------------------------------------------ */

static bool has_line(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = s;

	while (p && p + n <= s + len) {
		if (!memcmp(p, prefix, n))
			return true;
		p = memchr(p, '\n', s + len - p);
		if (p)
			p++;
	}
	return false;
}

/* Whether some line of @s starts with "vmacore: " but is not a warning. */
static bool has_error_line(const char *s, size_t len)
{
	const char *p = s;

	while (p && p + 9 <= s + len) {
		if (!memcmp(p, "vmacore: ", 9) &&
		    (p + 18 > s + len || memcmp(p + 9, "warning: ", 9)))
			return true;
		p = memchr(p, '\n', s + len - p);
		if (p)
			p++;
	}
	return false;
}

static int ncommands(void)
{
	int n = 0;

	while (report_commands[n].name)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char args[ARGS_LEN + 1];
	const struct report_command *c;
	enum report_status status;
	struct vmacore_ctx *ctx;
	struct report r;
	struct mms mms = { .n = 0 };
	uint64_t hdr[FUZZ_HDR_WORDS];
	char *argv[MAX_ARGS + 2], *out = NULL, *err = NULL;
	size_t out_len = 0, err_len = 0, i, n, off;
	FILE *fout, *ferr;
	int argc = 1, complete = -1, errors = -1;
	bool verbose = getenv("FUZZ_VERBOSE") != NULL;
	uint8_t *patched = NULL;

	if (size < PATCH_INPUT_MAX) {
		patched = patch_arena(data, size);
		data = patched;
		size = world_len;
	}
	ctx = fuzz_begin(data, size, fuzz_layout_rmap, set_init_task, true,
			 hdr);
	if (!ctx) {
		fuzz_end(NULL);
		free(patched);
		return 0;
	}
	/* one context for all inputs: forget what it read from the last */
	ctx->l.rmap.mem_done = false;

	/* the arguments; a newline would fake a line of the error stream */
	memset(args, 0, sizeof(args));
	off = hdr[4] & 0xffff ? hdr[4] & 0xffff : ARGS_OFF;
	if (size > off)
		memcpy(args, data + off, size - off < ARGS_LEN ?
		       size - off : ARGS_LEN);
	for (i = 0; i < ARGS_LEN; i++)
		if (args[i] == '\n')
			args[i] = ' ';
	c = &report_commands[hdr[0] % 8 % ncommands()];
	argv[0] = (char *)c->name;
	for (i = 0; i < ARGS_LEN && args[i] && argc <= MAX_ARGS; i += n + 1) {
		n = strlen(args + i);
		argv[argc++] = args + i;
	}
	argv[argc] = NULL;

	fout = open_memstream(&out, &out_len);
	ferr = open_memstream(&err, &err_len);
	if (!fout || !ferr)
		abort();
	vmacore_ctx_set_log(ctx, log_warning, ferr);
	r = (struct report){
		.ctx = ctx, .out = fout, .err = ferr, .prog = "vmacore",
		.json = false,
		.default_pid = hdr[0] & 8 ? (int)((hdr[0] >> 32) & INT32_MAX) : -1,
		.usage_name = hdr[0] & 16 ? "vmaps" : NULL,
	};
	status = c->run(&r, argc, argv);
	fclose(fout);
	fclose(ferr);
	vmacore_ctx_set_log(ctx, NULL, NULL);

	if (verbose) {
		fprintf(stderr, "report:");
		for (i = 0; i < (size_t)argc; i++)
			fprintf(stderr, " '%s'", argv[i]);
		fprintf(stderr, ": status %d\n--- out\n%.*s--- err\n%.*s---\n",
			status, (int)(out_len < 4000 ? out_len : 4000), out,
			(int)err_len, err);
	}
	if ((unsigned int)status > REPORT_INTERNAL)
		fuzz_fail("%s: status %d", c->name, status);
	if (memchr(out, 0, out_len) || memchr(err, 0, err_len))
		fuzz_fail("%s: a NUL byte in the output", c->name);
	if (status == REPORT_PARTIAL &&
	    !has_line(err, err_len, "vmacore: partial answer: "))
		fuzz_fail("%s: status 4 without \"partial answer\": %.*s",
			  c->name, (int)err_len, err);
	/*
	 * Status 4 with nothing printed is allowed: vmacore(1) "not found
	 * where part of what had to be searched could not be read".
	 */
	if (status < REPORT_PARTIAL &&
	    has_line(err, err_len, "vmacore: partial answer: "))
		fuzz_fail("%s: \"partial answer\" with status %d", c->name,
			  status);
	if (status == REPORT_OK && has_error_line(err, err_len))
		fuzz_fail("%s: status 0 with an error: %.*s", c->name,
			  (int)err_len, err);
	/* -h prints its usage on the output, even with --json */
	if (r.json && out_len && strncmp(out, "usage: ", 7)) {
		if (!json_valid(out, out_len, &complete, &errors))
			fuzz_fail("%s: invalid JSON: %.*s", c->name,
				  (int)(out_len < 2000 ? out_len : 2000), out);
		if (status == REPORT_OK && complete == 0)
			fuzz_fail("%s: status 0 with \"complete\": false",
				  c->name);
		if (status == REPORT_PARTIAL && complete != 0)
			fuzz_fail("%s: status 4 with \"complete\": %s", c->name,
				  complete < 0 ? "absent" : "true");
		/* vmacore(1): "errors" lists why, next to "complete" */
		if (complete >= 0 && errors < 0)
			fuzz_fail("%s: \"complete\" without \"errors\"", c->name);
		if (status == REPORT_PARTIAL && errors == 0)
			fuzz_fail("%s: status 4 with no \"errors\"", c->name);
	}
	/* no silent partial answer (checked after the query: a walk of
	 * lib/ could warm what the query reads) */
	if (status <= REPORT_NOT_FOUND && strncmp(out, "usage: ", 7)) {
		queried_mms(ctx, c->name, argc, argv, &mms);
		for (i = 0; i < mms.n; i++) {
			const char *why;

			if (walk_incomplete(ctx, mms.v[i], &why))
				fuzz_fail("%s: status %d, but the VMA walk of mm 0x%llx is %s",
					  c->name, status,
					  (unsigned long long)mms.v[i], why);
		}
	}
	free(out);
	free(err);
	free(patched);
	fuzz_end(ctx);
	return 0;
}
