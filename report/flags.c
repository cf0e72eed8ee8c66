// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * flags.c - "flags VALUE": decode a raw vm_flags word with the names this
 * kernel uses (its vmaflag_names[] and show_smap_vma_flags() table).
 */
#include <inttypes.h>
#include <stdlib.h>

#include "json.h"
#include "report.h"

#define FLAGS_BUF 4096

enum report_status report_flags(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	const struct vmacore_flag_bit *table;
	char codes[FLAGS_BUF], names[FLAGS_BUF];
	struct vmacore_error *err;
	size_t count, i;
	bool flags[128];
	uint64_t value, assumed;
	struct json j;
	int first;

	first = report_parse_options(r, argc, argv, "", flags, &status);
	if (first < 0)
		return status;
	if (argc - first != 1)
		return report_usage(r, "flags", "need one VALUE");
	if (!report_parse_u64(argv[first], &value))
		return report_usage(r, "flags", "bad value '%s'", argv[first]);
	err = vmacore_flags_codes(r->ctx, value, codes, sizeof(codes));
	if (!err)
		err = vmacore_flags_names(r->ctx, value, names, sizeof(names));
	if (err)
		return report_error(r, err);
	table = vmacore_flags_table(r->ctx, &count);
	assumed = value & vmacore_flags_codes_builtin(r->ctx);

	if (r->json) {
		report_json_begin(&j, r->out, "flags", NULL);
		json_key(&j, "value");
		json_hex(&j, value);
		json_key(&j, "codes");
		report_json_list(&j, codes, ' ');
		if (assumed) {
			json_key(&j, "codes_assumed");
			json_hex(&j, assumed);
		}
		json_key(&j, "flag_names");
		report_json_list(&j, names, '|');
		json_key(&j, "bits");
		json_array_begin(&j);
	} else {
		fprintf(r->out, "vm_flags 0x%" PRIx64 ": %s\nVmFlags: %s\n",
			value, names, codes);
		fprintf(r->out, "%4s  %-18s  %4s  %s\n", "BIT", "MASK", "CODE",
			"NAME");
	}
	for (i = 0; i < 64; i++) {
		const struct vmacore_flag_bit *b = NULL;
		uint64_t mask = 1ULL << i;
		size_t k;

		if (!(value & mask))
			continue;
		for (k = 0; table && k < count; k++) {
			if (table[k].mask == mask) {
				b = &table[k];
				break;
			}
		}
		if (r->json) {
			json_object_begin(&j);
			json_key_u64(&j, "bit", i);
			json_key(&j, "mask");
			json_hex(&j, mask);
			json_key(&j, "code");
			if (b && b->code[0])
				json_string(&j, b->code);
			else
				json_null(&j);
			json_key(&j, "name");
			if (b && b->name)
				json_string(&j, b->name);
			else
				json_null(&j);
			json_object_end(&j);
		} else {
			fprintf(r->out, "%4zu  0x%016" PRIx64 "  %4s  %s\n", i,
				mask, b && b->code[0] ? b->code : "-",
				b && b->name ? b->name : "(unknown)");
		}
	}
	if (r->json) {
		json_array_end(&j);
		json_object_end(&j);
		json_finish(&j);
	}
	if (!assumed)
		return REPORT_OK;
	err = vmacore_error_create(VMACORE_ERROR_NODATA,
				   "VmFlags codes of 0x%" PRIx64 " assumed: the dump has no show_smap_vma_flags() table, they are Linux 7.2's",
				   assumed);
	return report_partial(r, err);
}
