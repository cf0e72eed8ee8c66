// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vma.c - "vma PID ADDR": the VMA that contains an address, found by
 * descending the maple tree, with every field.
 */
#include <inttypes.h>

#include "json.h"
#include "report.h"

#define NAME_PARTIAL "the name could not be completely rebuilt (printed with '?')"

enum report_status report_vma(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct vmacore_error *err;
	struct vmacore_task t;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	uint64_t pid, addr;
	bool flags[128], found = false, partial = false, nf;
	struct json j;
	char nf_msg[80];
	int first;

	first = report_parse_options(r, argc, argv, "", flags, &status);
	if (first < 0)
		return status;
	if (argc - first != 2)
		return report_usage(r, "vma", "need a PID and an ADDR");
	if (!report_parse_u64(argv[first], &pid) || pid > INT32_MAX)
		return report_usage(r, "vma", "bad pid '%s'", argv[first]);
	if (!report_parse_u64(argv[first + 1], &addr))
		return report_usage(r, "vma", "bad address '%s'",
				    argv[first + 1]);

	err = report_task_find(r, pid, &t, &nf);
	if (err && nf) {
		report_error(r, err);
		return REPORT_NOT_FOUND;
	}
	if (err)
		return report_error(r, err);
	snprintf(nf_msg, sizeof(nf_msg),
		 "no vma of pid %" PRIu64 " contains 0x%" PRIx64, pid, addr);
	err = vmacore_mm_read(r->ctx, t.mm, &mm);
	if (!err)
		err = vmacore_vma_find(r->ctx, t.mm, addr, &vma, &found);
	if (err)
		return report_error(r, vmacore_error_prefix(err,
				    "cannot look up 0x%" PRIx64 " in pid %" PRIu64,
				    addr, pid));
	if (r->json) {
		report_json_begin(&j, r->out, "vma", NULL);
		json_key_i64(&j, "pid", t.pid);
		json_key(&j, "mm");
		json_hex(&j, t.mm);
		json_key(&j, "address");
		json_hex(&j, addr);
		json_key_bool(&j, "found", found);
		json_key(&j, "vma");
		if (found)
			err = report_vma_json(r, &j, &mm, &vma, true, &partial);
		if (!found || err)	/* report_vma_json() wrote nothing */
			json_null(&j);
		json_key_bool(&j, "complete", found && !err && !partial);
		json_key(&j, "errors");
		json_array_begin(&j);
		if (!found || err || partial)
			json_string(&j, err ? err->message :
				    partial ? NAME_PARTIAL : nf_msg);
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	} else if (found) {
		err = report_vma_text(r, &mm, &vma, true, true, &partial);
	}
	if (err)
		return report_error(r, err);
	if (!found) {
		fprintf(r->err, "%s: %s\n", r->prog, nf_msg);
		return REPORT_NOT_FOUND;
	}
	if (partial)
		return report_partial(r, vmacore_error_create(VMACORE_ERROR_NODATA,
							      NAME_PARTIAL));
	return REPORT_OK;
}
