// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagemap.c - "pagemap PID [START [END]]": each present or swapped page of
 * the task's VMAs as /proc/PID/pagemap reports it (lib/pagemap.c), with
 * its folio.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

#define SKIPS_SAID 16

static void entry_text(struct report *r, const struct vmacore_pagemap_entry *e)
{
	char frame[64], folio[64], flags[6];
	char q = e->unknown ? '?' : '-';

	if (e->present)
		snprintf(frame, sizeof(frame), "pfn:0x%" PRIx64, e->pfn);
	else
		snprintf(frame, sizeof(frame), "swap:%" PRIu32 ":0x%" PRIx64,
			 e->swap_type, e->swap_offset);
	if (e->table_unreadable)
		snprintf(frame, sizeof(frame), "?");
	flags[0] = e->present ? 'p' : e->table_unreadable ? '?' : '-';
	flags[1] = e->swapped ? 's' : e->table_unreadable ? '?' : '-';
	flags[2] = e->unknown ? q : e->file ? 'f' : '-';
	flags[3] = e->unknown ? q : e->exclusive ? 'x' : '-';
	flags[4] = e->soft_dirty ? 'd' : '-';
	flags[5] = '\0';
	if (e->folio_nr_pages)
		snprintf(folio, sizeof(folio), "0x%" PRIx64 "/%" PRIu64,
			 e->folio_pfn, e->folio_nr_pages);
	else
		snprintf(folio, sizeof(folio), "-");
	fprintf(r->out, "%016" PRIx64 "  %-22s  %s  %s\n", e->vaddr, frame,
		flags, folio);
}

static void entry_json(struct json *j, const struct vmacore_pagemap_entry *e)
{
	json_object_begin(j);
	json_key_hex(j, "vaddr", e->vaddr);
	json_key_bool(j, "present", e->present);
	json_key_bool(j, "swapped", e->swapped);
	json_key(j, "file");
	if (e->unknown)
		json_null(j);
	else
		json_bool(j, e->file);
	json_key(j, "exclusive");
	if (e->unknown)
		json_null(j);
	else
		json_bool(j, e->exclusive);
	json_key_bool(j, "soft_dirty", e->soft_dirty);
	json_key_hex(j, "frame", e->frame);
	if (e->present) {
		json_key_hex(j, "pfn", e->pfn);
	} else if (e->swapped) {
		json_key_u64(j, "swap_type", e->swap_type);
		json_key_hex(j, "swap_offset", e->swap_offset);
	}
	if (e->folio_nr_pages) {
		json_key_hex(j, "folio_pfn", e->folio_pfn);
		json_key_u64(j, "folio_pages", e->folio_nr_pages);
	}
	json_key_bool(j, "complete", !e->unknown);
	json_key(j, "error");
	if (e->unknown)
		json_string(j, e->why);
	else
		json_null(j);
	json_object_end(j);
}

enum report_status report_pagemap(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct report_messages m = { 0 };
	struct vmacore_pagemap_iter *it = NULL;
	struct vmacore_pagemap_entry e;
	struct vmacore_error *err;
	struct vmacore_task t;
	struct vmacore_mm mm;
	char comm[VMACORE_COMM_LEN + 1];
	uint64_t pid, start = 0, end = UINT64_MAX, count = 0, unknown = 0;
	bool flags[128], nf;
	struct json j;
	int first;

	first = report_parse_options(r, argc, argv, "", flags, &status);
	if (first < 0)
		return status;
	if (argc - first < 1 || argc - first > 3)
		return report_usage(r, "pagemap", "want PID [START [END]]");
	if (!report_parse_u64(argv[first], &pid) || pid > INT32_MAX)
		return report_usage(r, "pagemap", "bad pid '%s'", argv[first]);
	if (argc - first >= 2) {
		if (!report_parse_u64(argv[first + 1], &start))
			return report_usage(r, "pagemap", "bad address '%s'",
					    argv[first + 1]);
		/* START alone: the page at START */
		end = start + vmacore_ctx_page_size(r->ctx);
	}
	if (argc - first == 3 &&
	    (!report_parse_u64(argv[first + 2], &end) || end <= start))
		return report_usage(r, "pagemap", "bad end address '%s'",
				    argv[first + 2]);

	err = report_task_find(r, pid, &t, &nf);
	if (err) {
		status = report_fail(r, &m, err, false);
		report_messages_free(&m);
		return nf ? REPORT_NOT_FOUND : status;
	}
	report_comm(t.comm, comm, sizeof(comm));
	err = vmacore_mm_read(r->ctx, t.mm, &mm);
	if (!err)
		err = vmacore_pagemap_iter_create(r->ctx, &mm, start, end, &it);
	if (err) {
		status = report_fail(r, &m, vmacore_error_prefix(err,
				     "pid %d (%s)", t.pid, comm), false);
		report_messages_free(&m);
		return status;
	}
	if (r->json) {
		report_json_begin(&j, r->out, "pagemap", NULL);
		json_key_i64(&j, "pid", t.pid);
		json_key_string(&j, "comm", t.comm);
		json_key_hex(&j, "mm", t.mm);
		json_key_hex(&j, "start", start);
		json_key_hex(&j, "end", end);
		json_key(&j, "pages");
		json_array_begin(&j);
	} else {
		fprintf(r->out, "%-16s  %-22s  %s  %s\n", "ADDRESS", "FRAME",
			"FLAGS", "FOLIO/PAGES");
	}
	while (!(err = vmacore_pagemap_iter_next(it, &e))) {
		count++;
		if (e.unknown && unknown++ < SKIPS_SAID)
			report_fail(r, &m, vmacore_error_create(VMACORE_ERROR_NODATA,
				    "pid %d (%s): page 0x%" PRIx64 ": %s", t.pid,
				    comm, e.vaddr, e.why), true);
		if (r->json)
			entry_json(&j, &e);
		else
			entry_text(r, &e);
	}
	if (err == &vmacore_stop)
		err = NULL;
	if (unknown > SKIPS_SAID)
		report_fail(r, &m, vmacore_error_create(VMACORE_ERROR_NODATA,
			    "pid %d (%s): %" PRIu64 " pages with unknown flags in all",
			    t.pid, comm, unknown), true);
	if (unknown)
		status = REPORT_PARTIAL;
	if (vmacore_pagemap_iter_partial(it)) {
		report_fail(r, &m, vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
			    "pid %d (%s): some VMAs could not be read", t.pid,
			    comm), true);
		status = report_worst(status, REPORT_PARTIAL);
	}
	if (err)
		status = report_worst(status, report_fail(r, &m,
				      vmacore_error_prefix(err, "pid %d (%s)",
							   t.pid, comm),
				      count > 0));
	if (r->json)	/* closes "pages" too */
		report_json_end(&j, status == REPORT_OK, &m, NULL);
	vmacore_pagemap_iter_destroy(it);
	report_messages_free(&m);
	return status;
}
