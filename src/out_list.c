/* out_list.c: the products a command asks for, and one patient handed to each in turn. */
#include "out_list.h"
#include "out_docref.h"
#include "out_mailing.h"
#include "out_pdf.h"
#include "out_report.h"
#include "output.h"
#include "pipeline.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void out_list_add(out_list *l, out_sink s)
{
	ARRAY_PUSH(l->v, l->n, l->cap, s);
}

/* The handout's own PDF: into the folder, measured only, into the file, or to standard output. */
static out_sink pdf_sink(const resources *r, const out_options *o)
{
	if (o->dir)
		return out_pdf_new(r, o->write ? OUT_PDF_FOLDER : OUT_PDF_MEASURE, o->dir);
	if (strcmp(o->file, "-") == 0)
		return out_pdf_new(r, OUT_PDF_STDOUT, NULL);
	return out_pdf_new(r, OUT_PDF_FILE, o->file);
}

out_list *out_list_new(const resources *r, const out_options *o)
{
	out_list *l = xcalloc(1, sizeof *l);
	out_list_add(l, pdf_sink(r, o));
	if (!o->write)
		return l;
	if (o->dir && o->mailing)
		out_list_add(l, out_mailing_new(r, o->dir, o->bundle_size, r->default_date));
	if (o->dir && o->report)
		out_list_add(l, out_report_new(r, o->dir, o->mailing != NULL));
	if (o->fhir_documents)
		out_list_add(l, o->dir ? out_docref_new(o->dir) : out_docref_beside());
	return l;
}

int out_list_needs_pages(const out_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].needs_pages)
			return 1;
	return 0;
}

void out_list_free(out_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		l->v[i].free(l->v[i].self);
	free(l->v);
	free(l);
}

out_handout out_list_handout(const resources *r, const struct patient *p, const handout_result *res)
{
	return (out_handout){.p = p,
	                     .pages = res->layout,
	                     .mailed = res->mailed,
	                     .title = res->title,
	                     .subject = res->subject,
	                     .printed_name = res->printed_name,
	                     .language = res->language,
	                     .date = pipeline_date(r, p),
	                     .notice = res->notice,
	                     .causes = res->causes,
	                     .exercises = res->exercises,
	                     .not_mailed = res->not_mailed};
}

void out_list_drop(const out_list *l, void **made)
{
	for (size_t i = 0; i < l->n; i++) {
		if (made[i])
			l->v[i].drop(l->v[i].self, made[i]);
		made[i] = NULL;
	}
}

int out_list_make(const out_list *l, const out_handout *h, void **made, const char **failed, int *err)
{
	*failed = NULL;
	for (size_t i = 0; i < l->n; i++)
		made[i] = NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (!l->v[i].make)
			continue;
		if (l->v[i].make(l->v[i].self, h, &made[i], failed, err) != 0 || *failed) {
			out_list_drop(l, made);
			return *failed ? 0 : -1;
		}
	}
	return 0;
}

int out_list_flush(const out_list *l, void **made, const char **failed, int *err)
{
	*failed = NULL;
	for (size_t i = 0; i < l->n; i++) {
		if (!made[i] || !l->v[i].flush)
			continue;
		if (l->v[i].flush(l->v[i].self, made[i], failed, err) != 0)
			return -1;
		if (*failed)
			return 0;
	}
	return 0;
}

/* What a sink that could not put the handout in place leaves the sinks after it: an error. */
static void fail_handout(out_handout *h, const char *why)
{
	h->pages = NULL;
	h->mailed = 0;
	h->not_mailed = NULL;
	h->file = NULL;
	h->error = why;
}

int out_list_take(const out_list *l, out_handout *h, void **made, out_place *where, int *err,
                  size_t *failures)
{
	memset(where, 0, sizeof *where);
	for (size_t i = 0; i < l->n; i++) {
		int serr = 0;
		out_place before = *where;
		int rc = l->v[i].take(l->v[i].self, h, made[i], where, &serr);
		made[i] = NULL;
		if (rc != 0 && output_space_error(serr)) {
			*err = serr;
			out_list_drop(l, made);
			return -1;
		}
		if (rc != 0) { /* what it said before it failed does not hold */
			*where = before;
			++*failures;
		}
		if (where->failed && !before.failed)
			fail_handout(h, where->failed);
		else if (where->file && !h->error)
			h->file = where->file;
	}
	return 0;
}

int out_list_one(const out_list *l, out_handout *h, out_place *where)
{
	void **made = xcalloc(l->n + 1, sizeof *made);
	const char *failed;
	int err = 0, rc = 0;
	size_t failures = 0;
	memset(where, 0, sizeof *where);
	if (out_list_make(l, h, made, &failed, &err) != 0 || failed)
		rc = -1;
	else if (out_list_take(l, h, made, where, &err, &failures) != 0 || where->failed || failures)
		rc = 1;
	free(made);
	return rc;
}

int out_list_finish(const out_list *l, int *err, size_t *failures)
{
	for (size_t i = 0; i < l->n; i++) {
		int serr = 0;
		if (l->v[i].finish(l->v[i].self, &serr) == 0)
			continue;
		if (output_space_error(serr)) {
			*err = serr;
			return -1;
		}
		++*failures;
	}
	return 0;
}
