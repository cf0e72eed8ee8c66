// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rmap.c - "rmap PAGE...": who maps a page; "imap FILE": the VMAs of a
 * file's i_mmap tree; "anon PID ADDR": the anon_vma chain of a VMA.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "report.h"

static const char rmap_help[] =
	"PAGE is one of:\n"
	"  pfn:N        a page frame number (N decimal, or hex with 0x)\n"
	"  N            the same; a bare N inside vmemmap is a struct page\n"
	"  phys:ADDR    the page holding a physical address\n"
	"  page:ADDR    a struct page (or struct folio) address\n"
	"  PID:ADDR     the page mapped at user address ADDR in task PID\n"
	"Options: -m  only mappings the page table confirms\n";

#define ARRAY_SIZE_TASKS 8	/* processes listed per VMA */

/* The processes of each mm, looked up once per mm (one task-list pass). */
struct mm_owners {
	uint64_t mm;
	size_t n;
	struct vmacore_task t[ARRAY_SIZE_TASKS];
};

struct owner_cache {
	struct mm_owners *v;
	size_t n, cap;
};

/*
 * The processes of @mm.  When some may be missing (part of the task list
 * could not be read), that is said once per mm, as a partial answer in
 * @m and *@status, and what was found is used.
 */
static struct vmacore_error *owners_of(struct report *r,
				       struct owner_cache *c, uint64_t mm,
				       const struct mm_owners **ret,
				       struct report_messages *m,
				       enum report_status *status)
{
	struct vmacore_error *err;
	struct mm_owners *o;
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].mm == mm) {
			*ret = &c->v[i];
			return NULL;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;

		o = realloc(c->v, cap * sizeof(*o));
		if (!o)
			return &vmacore_enomem;
		c->v = o;
		c->cap = cap;
	}
	o = &c->v[c->n];
	o->mm = mm;
	err = vmacore_mm_tasks(r->ctx, mm, o->t, ARRAY_SIZE_TASKS, &o->n);
	if (err && err->code == VMACORE_ERROR_INCOMPLETE) {
		*status = report_worst(*status, report_fail(r, m, err, true));
		err = NULL;
	}
	if (err)
		return err;
	if (o->n > ARRAY_SIZE_TASKS)
		o->n = ARRAY_SIZE_TASKS;
	c->n++;
	*ret = o;
	return NULL;
}

static const char *page_kind_name(enum vmacore_page_kind k)
{
	switch (k) {
	case VMACORE_PAGE_NONE:		return "none";
	case VMACORE_PAGE_FILE:		return "file";
	case VMACORE_PAGE_ANON:		return "anon";
	case VMACORE_PAGE_KSM:		return "ksm";
	case VMACORE_PAGE_MOVABLE:	return "movable";
	case VMACORE_PAGE_TYPED:	return "typed";
	}
	return "?";
}

static const char *rmap_kind_name(enum vmacore_rmap_kind k)
{
	switch (k) {
	case VMACORE_RMAP_FILE:	return "file";
	case VMACORE_RMAP_ANON:	return "anon";
	case VMACORE_RMAP_KSM:	return "ksm";
	}
	return "?";
}

/*
 * The helpers below set *@nf when the error they return means "no such
 * thing" (exit status 1), not a dump or debuginfo problem.
 */
static struct vmacore_error *task_mm(struct report *r, uint64_t pid,
				     struct vmacore_task *t,
				     struct vmacore_mm *mm, bool *nf)
{
	struct vmacore_error *err = report_task_find(r, pid, t, nf);

	return err ? err : vmacore_mm_read(r->ctx, t->mm, mm);
}

/* PAGE argument -> pfn.  *@usage_ret tells a syntax error from a failure. */
static struct vmacore_error *parse_page(struct report *r, const char *arg,
					uint64_t *pfn_ret, bool *nf)
{
	const char *colon = strchr(arg, ':');
	struct vmacore_error *err;
	struct vmacore_task t;
	struct vmacore_mm mm;
	struct vmacore_pte pte;
	uint64_t v, pid;
	char prefix[16];
	size_t n;

	if (!colon) {
		if (!report_parse_u64(arg, &v))
			return vmacore_error_create(VMACORE_ERROR_INVALID,
						    "bad page '%s'", arg);
		/* a struct page address, or a pfn */
		err = vmacore_pfn_from_page(r->ctx, v, pfn_ret);
		if (!err)
			return NULL;
		vmacore_error_destroy(err);	/* not a struct page: a pfn */
		*pfn_ret = v;
		return NULL;
	}
	n = colon - arg;
	if (n >= sizeof(prefix) || !report_parse_u64(colon + 1, &v))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad page '%s'", arg);
	memcpy(prefix, arg, n);
	prefix[n] = '\0';
	if (!strcmp(prefix, "pfn")) {
		*pfn_ret = v;
		return NULL;
	}
	if (!strcmp(prefix, "phys") || !strcmp(prefix, "paddr")) {
		*pfn_ret = v >> 12;
		return NULL;
	}
	if (!strcmp(prefix, "page") || !strcmp(prefix, "folio"))
		return vmacore_pfn_from_page(r->ctx, v, pfn_ret);
	if (!report_parse_u64(prefix, &pid))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad page '%s': unknown prefix '%s'",
					    arg, prefix);
	err = task_mm(r, pid, &t, &mm, nf);
	if (!err)
		err = vmacore_pgtable_lookup(r->ctx, mm.pgd, v, &pte);
	if (err)
		return vmacore_error_prefix(err, "cannot translate %s", arg);
	*nf = !pte.present;
	if (!pte.present)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "%s: no page mapped there (entry 0x%" PRIx64 " at level %d)",
					    arg, pte.entry, pte.level);
	*pfn_ret = pte.pfn;
	return NULL;
}

/* One page: the folio line, then its mappings.  *@mapped_ret counts. */
static struct vmacore_error *rmap_one(struct report *r, struct json *j,
				      uint64_t pfn, bool only_mapped,
				      uint64_t *mapped_ret,
				      uint64_t *unknown_ret,
				      char **owners_lost_ret)
{
	const char *owners_lost;
	struct vmacore_rmap_iter *it;
	struct vmacore_rmap_hit h;
	struct vmacore_folio f;
	struct vmacore_error *err;
	char comm[VMACORE_COMM_LEN + 1];
	uint64_t n = 0, unknown = 0;

	err = vmacore_rmap_iter_create(r->ctx, pfn, &f, &it);
	if (err)
		return err;
	if (r->json) {
		json_object_begin(j);
		json_key_u64(j, "pfn", pfn);
		json_key_hex(j, "page", f.page);
		json_key_hex(j, "folio", f.folio);
		json_key_u64(j, "folio_pfn", f.folio_pfn);
		json_key_u64(j, "nr_pages", f.nr_pages);
		json_key_u64(j, "order", f.order);
		json_key_string(j, "kind", page_kind_name(f.kind));
		json_key_bool(j, "hugetlb", f.hugetlb);
		json_key_hex(j, "mapping", f.mapping);
		json_key_hex(j, "pgoff", f.pgoff);
		json_key_hex(j, "flags", f.flags);
		json_key(j, "mappings");
		json_array_begin(j);
	} else {
		fprintf(r->out,
			"PFN 0x%" PRIx64 "  PAGE 0x%" PRIx64 "  FOLIO 0x%" PRIx64
			" (%" PRIu64 " page%s%s)  %s  MAPPING 0x%" PRIx64
			"  PGOFF 0x%" PRIx64 "\n",
			pfn, f.page, f.folio, f.nr_pages,
			f.nr_pages == 1 ? "" : "s", f.hugetlb ? ", hugetlb" : "",
			page_kind_name(f.kind), f.mapping, f.pgoff);
	}
	/* the walk is done by _create(): whether owners may be missing */
	owners_lost = vmacore_rmap_iter_owners_lost(it);
	while (!(err = vmacore_rmap_iter_next(it, &h))) {
		/* no task found, but a lost task list could hold it */
		bool owner_unknown = h.pid < 0 && owners_lost;

		if (only_mapped && !h.mapped && !h.pte_unreadable)
			continue;
		n += h.mapped;
		unknown += h.pte_unreadable;
		if (r->json && owner_unknown) {
			json_object_begin(j);
			json_key(j, "pid");
			json_null(j);
			json_key_string(j, "comm", "");
			json_key_hex(j, "mm", h.mm);
		} else if (r->json) {
			report_json_task_begin(j, h.pid, h.comm, h.mm);
		}
		if (r->json) {
			json_key_hex(j, "vma", h.vma);
			json_key_hex(j, "start", h.vm_start);
			json_key_hex(j, "end", h.vm_end);
			json_key_hex(j, "vaddr", h.vaddr);
			json_key(j, "mapped");
			if (h.pte_unreadable)
				json_null(j);	/* unknown */
			else
				json_bool(j, h.mapped);
			json_key_string(j, "via", rmap_kind_name(h.kind));
			json_key_hex(j, "pte", h.pte.entry);
			json_key_i64(j, "pte_level", h.pte.level);
			json_key_u64(j, "page_size",
				     h.pte.present ? h.pte.page_size : 0);
			json_object_end(j);
		} else {
			char pid[16];

			report_comm(h.comm, comm, sizeof(comm));
			snprintf(pid, sizeof(pid), owner_unknown ? "?" : "%d",
				 h.pid);
			fprintf(r->out,
				"%7s  %-16s  MM 0x%" PRIx64 "  VMA 0x%" PRIx64
				" %08" PRIx64 "-%08" PRIx64 "  VADDR %08" PRIx64
				"  %s  %s\n",
				pid, h.pid < 0 ? "-" : comm, h.mm, h.vma,
				h.vm_start, h.vm_end, h.vaddr,
				rmap_kind_name(h.kind),
				h.mapped ? "mapped" :
				h.pte_unreadable ? "unknown (page table not in dump)" :
				h.pte.present ? "not-mapped (other pfn)" :
				"not-mapped");
		}
	}
	*owners_lost_ret = owners_lost ? strdup(owners_lost) : NULL;
	vmacore_rmap_iter_destroy(it);
	if (r->json) {
		json_array_end(j);
		json_object_end(j);
	}
	*mapped_ret = n;
	*unknown_ret = unknown;
	return err == &vmacore_stop ? NULL : err;
}

enum report_status report_rmap(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct report_messages m = { 0 };
	struct vmacore_error *err;
	bool flags[128], any = false, nf;
	uint64_t pfn, mapped, unknown;
	char *owners_lost = NULL;
	struct json j;
	int first, i;

	first = report_parse_options(r, argc, argv, "m", flags, &status);
	if (first < 0) {
		if (status == REPORT_OK)
			fputs(rmap_help, r->err);
		return status;
	}
	if (first >= argc) {
		status = report_usage(r, "rmap", "no page given");
		fputs(rmap_help, r->err);
		return status;
	}
	if (r->json)
		report_json_begin(&j, r->out, "rmap", "pages");
	for (i = first; i < argc; i++) {
		mapped = unknown = 0;
		nf = false;
		err = parse_page(r, argv[i], &pfn, &nf);
		if (err && err->code == VMACORE_ERROR_INVALID) {
			report_messages_add(&m, err->message);
			status = report_worst(status, report_error(r, err));
			continue;
		}
		if (!err)
			err = rmap_one(r, &j, pfn, flags['m'], &mapped,
				       &unknown, &owners_lost);
		if (owners_lost) {
			/* what was found stands; owners or mappings may lack */
			status = report_worst(status, report_fail(r, &m,
				vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
						     "pfn 0x%" PRIx64 ": %s", pfn,
						     owners_lost), true));
			free(owners_lost);
			owners_lost = NULL;
		}
		if (!err && unknown)
			err = vmacore_error_create(VMACORE_ERROR_NODATA,
						   "pfn 0x%" PRIx64 ": %" PRIu64 " candidate mapping%s whose page table is not in the dump",
						   pfn, unknown,
						   unknown == 1 ? "" : "s");
		if (err && nf) {
			report_messages_add(&m, err->message);
			report_error(r, err);
			status = report_worst(status, REPORT_NOT_FOUND);
			continue;
		}
		if (err) {
			/*
			 * A page the library could not answer at all (its
			 * folio or a VMA unreadable; a lost tree is a loss
			 * in owners_lost) costs only itself: with other
			 * pages asked, their answers stand and this one is
			 * a partial answer.
			 */
			bool partial = (err->code == VMACORE_ERROR_NODATA &&
					unknown) ||
				       (argc - first > 1 &&
					(err->code == VMACORE_ERROR_NODATA ||
					 err->code == VMACORE_ERROR_FAULT ||
					 err->code == VMACORE_ERROR_CORRUPT));

			status = report_worst(status,
					      report_fail(r, &m, err, partial));
			continue;
		}
		any |= mapped > 0;
	}
	if (r->json)
		report_json_end(&j, status == REPORT_OK, &m, NULL);
	report_messages_free(&m);
	if (status == REPORT_OK && !any)
		status = REPORT_NOT_FOUND;
	return status;
}

/* ---- imap ---- */

static const char imap_help[] =
	"FILE is one of:\n"
	"  mapping:ADDR  a struct address_space\n"
	"  inode:ADDR    a struct inode (its i_mapping)\n"
	"  file:ADDR     a struct file (its f_mapping)\n"
	"  PID:ADDR      the file mapped at user address ADDR in task PID\n"
	"  /PATH         a file some process maps (as maps prints its path)\n"
	"FIRST and LAST: page offsets to query (default: the whole file)\n";

/*
 * The address_space of the file at @path, found through the VMAs of every
 * process (the first VMA whose file has that path, as maps prints it, with
 * or without " (deleted)").
 */
static struct vmacore_error *mapping_by_path(struct report *r,
					     const char *path, uint64_t *ret,
					     bool *nf)
{
	struct vmacore_task_iter *ti = NULL;
	struct vmacore_vma_iter *vi;
	struct vmacore_error *err, *verr;
	struct vmacore_task t;
	struct vmacore_vma vma;
	uint64_t last_file, tasks = 0, lost = 0;
	size_t len = strlen(path);
	char *buf, *why = NULL;
	bool found = false;

	buf = malloc(VMACORE_NAME_MAX);
	if (!buf)
		return &vmacore_enomem;
	err = vmacore_task_iter_create(r->ctx, false, &ti);
	while (!err && !found && !(err = vmacore_task_iter_next(ti, &t))) {
		const struct vmacore_vma_loss *l;

		tasks++;
		if (!t.mm)
			continue;
		last_file = 0;
		vi = NULL;
		verr = vmacore_vma_iter_create(r->ctx, t.mm, &vi);
		while (!verr && !(verr = vmacore_vma_iter_next(vi, &vma))) {
			struct vmacore_error *perr;

			if (!vma.vm_file || vma.vm_file == last_file)
				continue;
			last_file = vma.vm_file;
			perr = vmacore_file_path(r->ctx, vma.vm_file, buf,
						 VMACORE_NAME_MAX);
			if (perr) {
				/* unreadable name: it might be the one */
				if (!lost++ && asprintf(&why, "pid %d: %s",
							t.pid, perr->message) < 0)
					why = NULL;
				vmacore_error_destroy(perr);
				continue;
			}
			if (!strcmp(buf, path) ||
			    (!strncmp(buf, path, len) &&
			     !strcmp(buf + len, " (deleted)"))) {
				found = true;
				break;
			}
		}
		/* one task's VMAs (partly) unreadable: look at the others */
		if (verr && verr != &vmacore_stop) {
			if (!lost++ && asprintf(&why, "pid %d: %s", t.pid,
						verr->message) < 0)
				why = NULL;
			vmacore_error_destroy(verr);
		} else if (vi && vmacore_vma_iter_losses(vi, &l)) {
			if (!lost++ && asprintf(&why, "pid %d: %s", t.pid,
						l[0].message) < 0)
				why = NULL;
		}
		vmacore_vma_iter_destroy(vi);
	}
	if (!found && ti) {
		const struct vmacore_task_loss *l;

		/* a leader the task list lost may map it */
		if (vmacore_task_iter_losses(ti, &l) && !lost++ &&
		    asprintf(&why, "%s", l[0].message) < 0)
			why = NULL;
	}
	vmacore_task_iter_destroy(ti);
	free(buf);
	if (err == &vmacore_enomem || (err && err != &vmacore_stop && !tasks)) {
		free(why);
		return vmacore_error_prefix(err, "cannot look for %s", path);
	}
	if (!found && (lost || err != &vmacore_stop)) {
		/* not found where it could be read: not "no process" */
		struct vmacore_error *e;

		if (err != &vmacore_stop)
			e = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
						 "no process maps %s, but the task list after %" PRIu64 " tasks not read: %s%s%s",
						 path, tasks, err->message,
						 why ? "; " : "", why ? why : "");
		else
			e = vmacore_error_create(VMACORE_ERROR_INCOMPLETE,
						 "no process maps %s, but %" PRIu64 " part%s of address spaces could not be read (first: %s)",
						 path, lost, lost == 1 ? "" : "s",
						 why ? why : "?");
		if (err != &vmacore_stop)
			vmacore_error_destroy(err);
		free(why);
		return e;
	}
	if (err != &vmacore_stop)
		vmacore_error_destroy(err);	/* found before the damage */
	free(why);
	*nf = !found;
	if (!found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "no process maps %s", path);
	return vmacore_file_mapping(r->ctx, vma.vm_file, ret);
}

static struct vmacore_error *parse_mapping(struct report *r, const char *arg,
					   uint64_t *ret, bool *nf)
{
	const char *colon = strchr(arg, ':');
	struct vmacore_error *err;
	struct vmacore_task t;
	struct vmacore_vma vma;
	struct vmacore_mm mm;
	uint64_t v, pid;
	char prefix[16];
	size_t n;
	bool found;

	if (arg[0] == '/')
		return mapping_by_path(r, arg, ret, nf);
	if (!colon || (n = colon - arg) >= sizeof(prefix) ||
	    !report_parse_u64(colon + 1, &v))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad file '%s'", arg);
	memcpy(prefix, arg, n);
	prefix[n] = '\0';
	if (!strcmp(prefix, "mapping")) {
		*ret = v;
		return NULL;
	}
	if (!strcmp(prefix, "inode"))
		return vmacore_inode_mapping(r->ctx, v, ret);
	if (!strcmp(prefix, "file"))
		return vmacore_file_mapping(r->ctx, v, ret);
	if (!report_parse_u64(prefix, &pid))
		return vmacore_error_create(VMACORE_ERROR_INVALID,
					    "bad file '%s': unknown prefix '%s'",
					    arg, prefix);
	err = task_mm(r, pid, &t, &mm, nf);
	if (!err)
		err = vmacore_vma_find(r->ctx, t.mm, v, &vma, &found);
	if (err)
		return vmacore_error_prefix(err, "cannot look up %s", arg);
	*nf = !found || !vma.vm_file;
	if (!found)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "%s: no VMA there", arg);
	if (!vma.vm_file)
		return vmacore_error_create(VMACORE_ERROR_LOOKUP,
					    "%s: the VMA there maps no file", arg);
	return vmacore_file_mapping(r->ctx, vma.vm_file, ret);
}

enum report_status report_imap(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct vmacore_interval_iter *it = NULL;
	struct vmacore_interval_hit h;
	struct vmacore_error *err;
	struct owner_cache cache = { 0 };
	struct report_messages m = { 0 };
	const struct mm_owners *own;
	const struct vmacore_task *tasks;
	struct vmacore_vma vma;
	bool nf = false;
	uint64_t mapping, lo = 0, hi = UINT64_MAX, count = 0;
	char comm[VMACORE_COMM_LEN + 1];
	size_t ntasks, k;
	bool flags[128];
	struct json j;
	int first;

	first = report_parse_options(r, argc, argv, "", flags, &status);
	if (first < 0) {
		if (status == REPORT_OK)
			fputs(imap_help, r->err);
		return status;
	}
	if (argc - first < 1 || argc - first > 3 ||
	    (argc - first >= 2 && !report_parse_u64(argv[first + 1], &lo)) ||
	    (argc - first == 3 && !report_parse_u64(argv[first + 2], &hi))) {
		status = report_usage(r, "imap", "need FILE [FIRST [LAST]]");
		fputs(imap_help, r->err);
		return status;
	}
	if (argc - first == 2)
		hi = lo;
	err = parse_mapping(r, argv[first], &mapping, &nf);
	if (err && nf) {
		report_error(r, err);
		return REPORT_NOT_FOUND;
	}
	if (!err)
		err = vmacore_imap_iter_create(r->ctx, mapping, lo, hi, &it);
	if (err)
		return report_error(r, err);
	if (r->json) {
		report_json_begin(&j, r->out, "imap", NULL);
		json_key_hex(&j, "mapping", mapping);
		json_key(&j, "vmas");
		json_array_begin(&j);
	} else {
		fprintf(r->out, "MAPPING 0x%" PRIx64 "\n", mapping);
		fprintf(r->out, "%7s  %-16s  %-18s  %-33s  %s\n", "PID", "COMM",
			"VMA", "RANGE", "PGOFF (first-last)");
	}
	while (!(err = vmacore_interval_iter_next(it, &h))) {
		err = vmacore_vma_read(r->ctx, h.vma, &vma);
		if (!err)
			err = owners_of(r, &cache, vma.vm_mm, &own, &m,
					&status);
		if (err)
			break;
		tasks = own->t;
		ntasks = own->n;
		count++;
		if (r->json) {
			json_object_begin(&j);
			json_key_hex(&j, "vma", h.vma);
			json_key_hex(&j, "start", vma.vm_start);
			json_key_hex(&j, "end", vma.vm_end);
			json_key_hex(&j, "first_pgoff", h.start);
			json_key_hex(&j, "last_pgoff", h.last);
			json_key_hex(&j, "vm_flags", vma.vm_flags);
			json_key_hex(&j, "mm", vma.vm_mm);
			json_key(&j, "tasks");
			json_array_begin(&j);
			for (k = 0; k < ntasks && k < ARRAY_SIZE_TASKS; k++) {
				json_object_begin(&j);
				json_key_i64(&j, "pid", tasks[k].tgid);
				json_key_string(&j, "comm", tasks[k].comm);
				json_object_end(&j);
			}
			json_array_end(&j);
			json_object_end(&j);
			continue;
		}
		if (!ntasks)
			fprintf(r->out, "%7s  %-16s  ", "-", "-");
		for (k = 0; k < ntasks && k < ARRAY_SIZE_TASKS; k++) {
			report_comm(tasks[k].comm, comm, sizeof(comm));
			fprintf(r->out, "%s%7d  %-16s  ", k ? "\n" : "",
				tasks[k].tgid, comm);
		}
		fprintf(r->out, "0x%" PRIx64 "  %016" PRIx64 "-%016" PRIx64
			"  0x%" PRIx64 "-0x%" PRIx64 "\n", h.vma, vma.vm_start,
			vma.vm_end, h.start, h.last);
	}
	vmacore_interval_iter_destroy(it);
	free(cache.v);
	if (err == &vmacore_stop)
		err = NULL;
	if (r->json)
		report_json_end(&j, !err && status == REPORT_OK, &m,
				err ? err->message : NULL);
	report_messages_free(&m);
	if (err)
		return report_worst(status, report_partial(r, err));
	return report_worst(status, count ? REPORT_OK : REPORT_NOT_FOUND);
}

/* ---- anon ---- */

#define MAX_CHAIN 4096

enum report_status report_anon(struct report *r, int argc, char **argv)
{
	enum report_status status = REPORT_OK;
	struct vmacore_interval_iter *it;
	struct vmacore_interval_hit h;
	struct vmacore_error *err;
	struct owner_cache cache = { 0 };
	struct report_messages m = { 0 };
	const struct mm_owners *own;
	const struct vmacore_task *tasks;
	struct vmacore_task t;
	struct vmacore_vma vma, v2;
	struct vmacore_mm mm;
	struct vmacore_avc *chain;
	uint64_t pid, addr;
	size_t n = 0, i, k, ntasks;
	bool flags[128], found, nf = false;
	struct json j;
	int first;

	first = report_parse_options(r, argc, argv, "", flags, &status);
	if (first < 0)
		return status;
	if (argc - first != 2 || !report_parse_u64(argv[first], &pid) ||
	    !report_parse_u64(argv[first + 1], &addr))
		return report_usage(r, "anon", "need a PID and an ADDR");
	err = task_mm(r, pid, &t, &mm, &nf);
	if (err && nf) {
		report_error(r, err);
		return REPORT_NOT_FOUND;
	}
	if (!err)
		err = vmacore_vma_find(r->ctx, t.mm, addr, &vma, &found);
	if (err)
		return report_error(r, err);
	if (!found) {
		fprintf(r->err, "%s: no VMA at 0x%" PRIx64 " in pid %" PRIu64 "\n",
			r->prog, addr, pid);
		return REPORT_NOT_FOUND;
	}
	chain = calloc(MAX_CHAIN, sizeof(*chain));
	if (!chain)
		return report_error(r, &vmacore_enomem);
	err = vmacore_anon_chain(r->ctx, vma.addr, chain, MAX_CHAIN, &n);
	if (err) {
		free(chain);
		return report_error(r, err);
	}
	if (r->json) {
		report_json_begin(&j, r->out, "anon", NULL);
		json_key_i64(&j, "pid", t.tgid);
		json_key_hex(&j, "vma", vma.addr);
		json_key_hex(&j, "start", vma.vm_start);
		json_key_hex(&j, "end", vma.vm_end);
		json_key_hex(&j, "anon_vma", vma.anon_vma);
		json_key(&j, "chain");
		json_array_begin(&j);
	} else {
		fprintf(r->out, "VMA 0x%" PRIx64 " %08" PRIx64 "-%08" PRIx64
			" of pid %d: anon_vma 0x%" PRIx64 ", %zu anon_vma_chain%s\n",
			vma.addr, vma.vm_start, vma.vm_end, t.tgid,
			vma.anon_vma, n, n == 1 ? "" : "s");
	}
	for (i = 0; i < n && !err; i++) {
		struct vmacore_avc *a = &chain[i];

		if (r->json) {
			json_object_begin(&j);
			json_key_hex(&j, "avc", a->avc);
			json_key_hex(&j, "anon_vma", a->anon_vma);
			json_key_hex(&j, "root", a->root);
			json_key_hex(&j, "parent", a->parent);
			json_key_u64(&j, "num_children", a->num_children);
			json_key_u64(&j, "num_active_vmas", a->num_active_vmas);
			json_key(&j, "vmas");
			json_array_begin(&j);
		} else {
			fprintf(r->out, "  AVC 0x%" PRIx64 "  ANON_VMA 0x%" PRIx64
				"%s  ROOT 0x%" PRIx64 "  PARENT 0x%" PRIx64
				"  CHILDREN %" PRIu64 "  ACTIVE_VMAS %" PRIu64 "\n",
				a->avc, a->anon_vma,
				a->anon_vma == vma.anon_vma ? " (own)" : "",
				a->root, a->parent, a->num_children,
				a->num_active_vmas);
		}
		/* the VMAs that share this anon_vma: all of its tree */
		it = NULL;
		err = vmacore_anon_iter_create(r->ctx, a->anon_vma, 0,
					       UINT64_MAX, &it);
		while (!err && !(err = vmacore_interval_iter_next(it, &h))) {
			err = vmacore_vma_read(r->ctx, h.vma, &v2);
			if (!err)
				err = owners_of(r, &cache, v2.vm_mm, &own,
						&m, &status);
			if (err)
				break;
			tasks = own->t;
			ntasks = own->n;
			if (r->json) {
				json_object_begin(&j);
				json_key_hex(&j, "vma", h.vma);
				json_key_hex(&j, "start", v2.vm_start);
				json_key_hex(&j, "end", v2.vm_end);
				json_key_hex(&j, "mm", v2.vm_mm);
				json_key(&j, "pids");
				json_array_begin(&j);
				for (k = 0; k < ntasks && k < ARRAY_SIZE_TASKS; k++)
					json_i64(&j, tasks[k].tgid);
				json_array_end(&j);
				json_object_end(&j);
			} else {
				fprintf(r->out, "    VMA 0x%" PRIx64 " %08" PRIx64
					"-%08" PRIx64 "  MM 0x%" PRIx64 "  PID",
					h.vma, v2.vm_start, v2.vm_end, v2.vm_mm);
				for (k = 0; k < ntasks && k < ARRAY_SIZE_TASKS; k++)
					fprintf(r->out, " %d", tasks[k].tgid);
				if (!ntasks)
					fputs(" -", r->out);
				fputc('\n', r->out);
			}
		}
		if (it)
			vmacore_interval_iter_destroy(it);
		it = NULL;
		if (err == &vmacore_stop)
			err = NULL;
		if (r->json) {
			json_array_end(&j);
			json_object_end(&j);
		}
	}
	free(chain);
	free(cache.v);
	if (r->json)
		report_json_end(&j, !err && status == REPORT_OK, &m,
				err ? err->message : NULL);
	report_messages_free(&m);
	if (err)
		return report_worst(status, report_partial(r, err));
	return status;
}
