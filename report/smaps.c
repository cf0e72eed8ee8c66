// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * smaps.c - "smaps PID...": each VMA as /proc/PID/smaps shows it, the
 * counters from vmacore_smaps_vma() (lib/smaps.c), printed as show_smap()
 * and __show_smap() do (fs/proc/task_mmu.c): SEQ_PUT_DEC() is
 * seq_put_decimal_ull_width(m, str, val >> 10, 8), the hugetlb lines use
 * width 7 after a label one column longer.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

#define SKIPS_SAID 16

/*
 * struct smaps_line - one line of __show_smap(): its label as the kernel
 * pads it, the number's width, and where the value is.
 */
struct smaps_line {
	const char *label;
	const char *key;	/* JSON key: the kernel's name */
	int width;
	enum vmacore_smaps_field field;
	size_t off;
	bool pss;		/* shifted by PSS_SHIFT */
};

#define L(label, key, width, field, member, pss) \
	{ label, key, width, field, offsetof(struct vmacore_smaps, member), pss }

static const struct smaps_line lines[] = {
	L("Rss:            ", "Rss", 8, VMACORE_SMAPS_RSS, resident, false),
	L("Pss:            ", "Pss", 8, VMACORE_SMAPS_PSS, pss, true),
	L("Pss_Dirty:      ", "Pss_Dirty", 8, VMACORE_SMAPS_PSS_DIRTY,
	  pss_dirty, true),
	L("Shared_Clean:   ", "Shared_Clean", 8, VMACORE_SMAPS_SHARED_CLEAN,
	  shared_clean, false),
	L("Shared_Dirty:   ", "Shared_Dirty", 8, VMACORE_SMAPS_SHARED_DIRTY,
	  shared_dirty, false),
	L("Private_Clean:  ", "Private_Clean", 8, VMACORE_SMAPS_PRIVATE_CLEAN,
	  private_clean, false),
	L("Private_Dirty:  ", "Private_Dirty", 8, VMACORE_SMAPS_PRIVATE_DIRTY,
	  private_dirty, false),
	L("Referenced:     ", "Referenced", 8, VMACORE_SMAPS_REFERENCED,
	  referenced, false),
	L("Anonymous:      ", "Anonymous", 8, VMACORE_SMAPS_ANONYMOUS,
	  anonymous, false),
	L("KSM:            ", "KSM", 8, VMACORE_SMAPS_KSM, ksm, false),
	L("LazyFree:       ", "LazyFree", 8, VMACORE_SMAPS_LAZYFREE, lazyfree,
	  false),
	L("AnonHugePages:  ", "AnonHugePages", 8, VMACORE_SMAPS_ANON_HUGE,
	  anonymous_thp, false),
	L("ShmemPmdMapped: ", "ShmemPmdMapped", 8, VMACORE_SMAPS_SHMEM_PMD,
	  shmem_thp, false),
	L("FilePmdMapped:  ", "FilePmdMapped", 8, VMACORE_SMAPS_FILE_PMD,
	  file_thp, false),
	L("Shared_Hugetlb: ", "Shared_Hugetlb", 8,
	  VMACORE_SMAPS_SHARED_HUGETLB, shared_hugetlb, false),
	L("Private_Hugetlb: ", "Private_Hugetlb", 7,
	  VMACORE_SMAPS_PRIVATE_HUGETLB, private_hugetlb, false),
	L("Swap:           ", "Swap", 8, VMACORE_SMAPS_SWAP, swap, false),
	L("SwapPss:        ", "SwapPss", 8, VMACORE_SMAPS_SWAP_PSS, swap_pss,
	  true),
	L("Locked:         ", "Locked", 8, VMACORE_SMAPS_LOCKED, pss_locked,
	  true),
};

static uint64_t line_value(const struct smaps_line *ln,
			   const struct vmacore_smaps *s)
{
	uint64_t v;

	memcpy(&v, (const char *)s + ln->off, sizeof(v));
	return (ln->pss ? v >> VMACORE_PSS_SHIFT : v) >> 10;
}

static bool line_shown(const struct smaps_line *ln,
		       const struct vmacore_smaps *s)
{
	return ln->field != VMACORE_SMAPS_KSM || s->has_ksm;
}

static void text_line(FILE *o, const char *label, int width, uint64_t kb,
		      bool unknown, const char *unit)
{
	if (unknown)
		fprintf(o, "%s%*s%s\n", label, width, "?", unit);
	else
		fprintf(o, "%s%*" PRIu64 "%s\n", label, width, kb, unit);
}

static void smaps_text(struct report *r, const char *header,
		       const struct vmacore_smaps *s, const char *codes)
{
	FILE *o = r->out;
	size_t i;

	fprintf(o, "%s\n", header);
	text_line(o, "Size:           ", 8, s->size >> 10, false, " kB");
	text_line(o, "KernelPageSize: ", 8, s->kernel_page_size >> 10, false,
		  " kB");
	text_line(o, "MMUPageSize:    ", 8, s->mmu_page_size >> 10, false,
		  " kB");
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (line_shown(&lines[i], s))
			text_line(o, lines[i].label, lines[i].width,
				  line_value(&lines[i], s),
				  s->unknown >> lines[i].field & 1, " kB");
	text_line(o, "THPeligible:    ", 8, s->thp_eligible,
		  s->unknown >> VMACORE_SMAPS_THP_ELIGIBLE & 1, "");
	if (s->has_protection_key)
		text_line(o, "ProtectionKey:  ", 8, s->protection_key, false,
			  "");
	/* show_smap_vma_flags(): each code followed by a space */
	fputs("VmFlags: ", o);
	fputs(codes, o);
	fputs(*codes ? " \n" : "\n", o);
}

static void json_value(struct json *j, const char *key, uint64_t v,
		       bool unknown)
{
	json_key(j, key);
	if (unknown)
		json_null(j);
	else
		json_u64(j, v);
}

static void smaps_json(struct json *j, const struct vmacore_vma *vma,
		       const struct vmacore_maps_line *ml, const char *header,
		       const struct vmacore_smaps *s, const char *codes)
{
	size_t i;

	report_json_vma_begin(j, vma, ml->perms);
	json_key_string(j, "header", header);
	json_key_string(j, "name", ml->name);
	json_key_u64(j, "Size", s->size >> 10);
	json_key_u64(j, "KernelPageSize", s->kernel_page_size >> 10);
	json_key_u64(j, "MMUPageSize", s->mmu_page_size >> 10);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (line_shown(&lines[i], s))
			json_value(j, lines[i].key, line_value(&lines[i], s),
				   s->unknown >> lines[i].field & 1);
	json_value(j, "THPeligible", s->thp_eligible,
		   s->unknown >> VMACORE_SMAPS_THP_ELIGIBLE & 1);
	if (s->has_protection_key)
		json_key_u64(j, "ProtectionKey", s->protection_key);
	json_key(j, "VmFlags");
	report_json_list(j, codes, ' ');
	json_key_u64(j, "present_pages", s->pages);
	json_key_bool(j, "complete", !s->unknown && !ml->partial);
	json_key(j, "unknown");
	json_array_begin(j);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (s->unknown >> lines[i].field & 1)
			json_string(j, lines[i].key);
	if (s->unknown >> VMACORE_SMAPS_THP_ELIGIBLE & 1)
		json_string(j, "THPeligible");
	json_array_end(j);
	json_key(j, "error");
	if (s->why[0])
		json_string(j, s->why);
	else
		json_null(j);
	json_object_end(j);
}

/* The rollup's own lines of __show_smap(m, mss, true). */
static void rollup_text(struct report *r, uint64_t start, uint64_t end,
			const struct vmacore_smaps *s)
{
	FILE *o = r->out;
	size_t i;
	char buf[128];

	/* show_vma_header_prefix(m, start, end, 0, 0, 0, 0); seq_pad() */
	snprintf(buf, sizeof(buf), "%08" PRIx64 "-%08" PRIx64
		 " ---p 00000000 00:00 0", start, end);
	fprintf(o, "%-72s [rollup]\n", buf);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (!line_shown(&lines[i], s))
			continue;
		text_line(o, lines[i].label, lines[i].width,
			  line_value(&lines[i], s),
			  s->unknown >> lines[i].field & 1, " kB");
		if (lines[i].field == VMACORE_SMAPS_PSS_DIRTY) {
			bool u = s->unknown >> VMACORE_SMAPS_PSS & 1;

			text_line(o, "Pss_Anon:       ", 8,
				  s->pss_anon >> VMACORE_PSS_SHIFT >> 10, u,
				  " kB");
			text_line(o, "Pss_File:       ", 8,
				  s->pss_file >> VMACORE_PSS_SHIFT >> 10, u,
				  " kB");
			text_line(o, "Pss_Shmem:      ", 8,
				  s->pss_shmem >> VMACORE_PSS_SHIFT >> 10, u,
				  " kB");
		}
	}
}

static void rollup_json(struct json *j, uint64_t start, uint64_t end,
			const struct vmacore_smaps *s)
{
	size_t i;

	json_object_begin(j);
	json_key_hex(j, "start", start);
	json_key_hex(j, "end", end);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (!line_shown(&lines[i], s))
			continue;
		json_value(j, lines[i].key, line_value(&lines[i], s),
			   s->unknown >> lines[i].field & 1);
		if (lines[i].field == VMACORE_SMAPS_PSS_DIRTY) {
			bool u = s->unknown >> VMACORE_SMAPS_PSS & 1;

			json_value(j, "Pss_Anon",
				   s->pss_anon >> VMACORE_PSS_SHIFT >> 10, u);
			json_value(j, "Pss_File",
				   s->pss_file >> VMACORE_PSS_SHIFT >> 10, u);
			json_value(j, "Pss_Shmem",
				   s->pss_shmem >> VMACORE_PSS_SHIFT >> 10, u);
		}
	}
	json_object_end(j);
}

static enum report_status smaps_of(struct report *r, struct json *j,
				   const struct vmacore_task *t, bool rollup,
				   bool header, struct report_messages *m)
{
	struct vmacore_vma_iter *it = NULL;
	struct vmacore_maps_line *ml;
	struct vmacore_smaps s, sum;
	struct vmacore_error *err;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	enum report_status status;
	char comm[VMACORE_COMM_LEN + 1], who[64], *lost = NULL;
	char line[VMACORE_NAME_MAX + 128], codes[256];
	uint64_t skipped = 0, count = 0, unknown = 0, first = 0, last = 0;
	uint64_t partial_names = 0;

	report_comm(t->comm, comm, sizeof(comm));
	err = vmacore_mm_read(r->ctx, t->mm, &mm);
	if (err)
		return report_fail(r, m, vmacore_error_prefix(err,
				   "pid %d (%s): cannot read its mm", t->pid,
				   comm), false);
	ml = malloc(sizeof(*ml));
	if (!ml)
		return report_fail(r, m, &vmacore_enomem, false);
	memset(&sum, 0, sizeof(sum));
	if (r->json) {
		report_json_task_begin(j, t->pid, t->comm, t->mm);
		json_key(j, rollup ? "rollup" : "vmas");
		json_array_begin(j);
	} else if (header) {
		fprintf(r->out, "==> pid %d (%s) <==\n", t->pid, comm);
	}
	err = vmacore_vma_iter_create(r->ctx, t->mm, &it);
	while (!err && !(err = vmacore_vma_iter_next(it, &vma))) {
		err = vmacore_vma_maps_line(r->ctx, &mm, &vma, ml);
		if (!err)
			err = vmacore_flags_codes(r->ctx, vma.vm_flags, codes,
						  sizeof(codes));
		if (!err)
			err = vmacore_smaps_vma(r->ctx, &mm, &vma, &s);
		if (err && err != &vmacore_enomem) {
			if (skipped++ < SKIPS_SAID)
				report_fail(r, m, vmacore_error_prefix(err,
					"pid %d (%s): VMA %08" PRIx64 "-%08" PRIx64 " not printed",
					t->pid, comm, vma.vm_start,
					vma.vm_end), true);
			else
				vmacore_error_destroy(err);
			err = NULL;
			continue;
		}
		if (err)
			break;
		if (!count++)
			first = vma.vm_start;
		last = vma.vm_end;
		vmacore_maps_line_format(&vma, ml, line, sizeof(line));
		partial_names += ml->partial;
		if (s.unknown) {
			/* each VMA with unknown fields says which and why */
			char *names = NULL;
			size_t len = 0, i;
			FILE *f = open_memstream(&names, &len);

			for (i = 0; f && i < sizeof(lines) / sizeof(lines[0]);
			     i++)
				if (s.unknown >> lines[i].field & 1)
					fprintf(f, "%s%s", ftell(f) ? ", " :
						"", lines[i].key);
			if (f && s.unknown >> VMACORE_SMAPS_THP_ELIGIBLE & 1)
				fprintf(f, "%sTHPeligible", ftell(f) ? ", " :
					"");
			if (f)
				fclose(f);
			if (unknown++ < SKIPS_SAID)
				report_fail(r, m, vmacore_error_create(VMACORE_ERROR_NODATA,
					"pid %d (%s): VMA %08" PRIx64 "-%08" PRIx64 ": %s unknown: %s",
					t->pid, comm, vma.vm_start, vma.vm_end,
					names ? names : "?", s.why), true);
			free(names);
		}
		if (rollup)
			vmacore_smaps_add(&sum, &s);
		else if (r->json)
			smaps_json(j, &vma, ml, line, &s, codes);
		else
			smaps_text(r, line, &s, codes);
	}
	if (err == &vmacore_stop)
		err = NULL;
	if (partial_names)
		report_fail(r, m, vmacore_error_create(VMACORE_ERROR_NODATA,
			    "pid %d (%s): %" PRIu64 " names could not be completely rebuilt (printed with '?')",
			    t->pid, comm, partial_names), true);
	if (skipped > SKIPS_SAID || unknown > SKIPS_SAID)
		report_fail(r, m, vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
			    "pid %d (%s): %" PRIu64 " VMAs not printed, %" PRIu64 " with unknown fields in all",
			    t->pid, comm, skipped, unknown), true);
	snprintf(who, sizeof(who), "pid %d (%s)", t->pid, comm);
	status = report_vma_losses(r, m, it, who, &lost);
	vmacore_vma_iter_destroy(it);
	if (rollup && count && !err) {
		if (r->json)
			rollup_json(j, first, last, &sum);
		else
			rollup_text(r, first, last, &sum);
	}
	if (r->json) {
		json_array_end(j);
		report_json_task_outcome(j, err, lost,
					 skipped || unknown || partial_names,
					 "VMAs not printed or with unknown fields (see errors)");
		json_object_end(j);
	}
	free(ml);
	if (err)
		status = report_worst(status,
			report_fail(r, m, vmacore_error_prefix(err, "pid %d (%s)",
							       t->pid, comm),
				    count > 0 || lost));
	free(lost);
	if (skipped || unknown || partial_names)
		status = report_worst(status, REPORT_PARTIAL);
	return status;
}

struct all_args {
	struct json *j;
	bool rollup;
	struct report_messages *m;
};

static enum report_status smaps_one(struct report *r,
				    const struct vmacore_task *t, void *arg)
{
	struct all_args *a = arg;

	if (!r->json)
		report_process_header(r, t);
	return smaps_of(r, a->j, t, a->rollup, false, a->m);
}

static enum report_status smaps_task(struct report *r, struct json *j,
				     uint64_t pid, bool rollup, bool header,
				     struct report_messages *m)
{
	struct vmacore_error *err;
	struct vmacore_task t;
	bool nf;

	err = report_task_find(r, pid, &t, &nf);
	if (err && nf) {
		report_fail(r, m, err, false);
		return REPORT_NOT_FOUND;
	}
	if (err)
		return report_fail(r, m, err, false);
	return smaps_of(r, j, &t, rollup, header, m);
}

enum report_status report_smaps(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct report_messages m = { 0 };
	bool flags[128];
	struct json j;
	uint64_t pid;
	int first, i, n;

	first = report_parse_options(r, argc, argv, "ar", flags, &status);
	if (first < 0)
		return status;
	n = argc - first;
	status = report_pid_operands(r, "smaps", "PID", flags['a'], n,
				     argv + first, true);
	if (status != REPORT_OK)
		return status;
	if (r->json)
		report_json_begin(&j, r->out, "smaps", "tasks");
	if (flags['a']) {
		struct all_args a = { &j, flags['r'], &m };

		status = report_each_process(r, &m, smaps_one, &a);
	} else if (n < 1) {
		status = smaps_task(r, &j, r->default_pid, flags['r'], false,
				    &m);
	} else {
		for (i = first; i < argc; i++) {
			report_parse_u64(argv[i], &pid);
			status = report_worst(status,
					      smaps_task(r, &j, pid, flags['r'],
							 n > 1, &m));
		}
	}
	return report_finish(r, &j, &m, status);
}
