/* read_fhir_json.c: FHIR R4 JSON and Bulk Data NDJSON, parsed by jansson, turned into
 * FHIR's XML shape so that fhir.c reads both forms the same way.
 *
 * A file whose first line is a whole JSON object is NDJSON (a one-line resource reads the
 * same either way); otherwise it is one JSON resource, at most MAX_DOCUMENT bytes (larger
 * exports come as NDJSON). An NDJSON line that is not JSON costs that line, not the file. */
#include "read_fhir_json.h"
#include "diag.h"
#include "fhir.h"
#include "util.h"
#include "xml.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DOCUMENT (64u << 20)
#define MAX_LINE (16u << 20)
/* jansson: a key given twice is an error (which one counts would be a guess). */
#define JSON_FLAGS (JSON_REJECT_DUPLICATES)

/* ---- JSON as FHIR's XML shape ---- */

/* A number as FHIR XML writes it: integers as digits, reals in the fewest digits that
 * read back the same (6.0 is "6", 0.1 is "0.1"). */
static void number_text(const json_t *v, char *buf, size_t size)
{
	if (json_is_integer(v)) {
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return;
	}
	double d = json_real_value(v);
	if (d == (double)(long long)d && d > -1e15 && d < 1e15) {
		snprintf(buf, size, "%lld", (long long)d); /* not %g: 10.0 would be "1e+01" */
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}

static void add_members(xnode *into, const json_t *obj, int line);

/* One member value under key: an object (a resource when it has a resourceType: then the
 * element holds the resource's element, as <resource><Patient> in XML), or a primitive as
 * an element with a value attribute. null says nothing. */
static void add_value(xnode *into, const char *key, const json_t *v, int line)
{
	xnode *n = xnode_new(key, FHIR_NS, line);
	char num[40];
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const json_t *type = json_object_get(v, "resourceType");
		if (json_is_string(type)) {
			xnode *res = xnode_new(json_string_value(type), FHIR_NS, line);
			add_members(res, v, line);
			xnode_append(n, res);
		} else {
			add_members(n, v, line);
		}
		break;
	}
	case JSON_STRING:
		xnode_add_attr(n, "value", json_string_value(v));
		break;
	case JSON_INTEGER:
	case JSON_REAL:
		number_text(v, num, sizeof num);
		xnode_add_attr(n, "value", num);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		xnode_add_attr(n, "value", json_is_true(v) ? "true" : "false");
		break;
	default: /* null; an array in an array is not FHIR */
		xnode_free(n);
		return;
	}
	xnode_append(into, n);
}

static void add_members(xnode *into, const json_t *obj, int line)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)obj, key, v) {
		/* resourceType named the element; "_x" holds x's extensions, which we do not read. */
		if (strcmp(key, "resourceType") == 0 || key[0] == '_')
			continue;
		if (json_is_array(v)) {
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item)
				add_value(into, key, item, line);
		} else {
			add_value(into, key, v, line);
		}
	}
}

/* jansson's reason without the " near '...'" that quotes the text. */
static void json_reason(const json_error_t *err, char *out, size_t size)
{
	const char *near = strstr(err->text, " near ");
	int n = near ? (int)(near - err->text) : (int)strlen(err->text);
	snprintf(out, size, "%.*s", n, err->text);
}

static xnode *resource_tree(const json_t *root, int line, char *error, size_t error_size)
{
	const json_t *type = json_object_get(root, "resourceType");
	if (!json_is_object(root) || !json_is_string(type)) {
		snprintf(error, error_size, "%s", json_is_object(root) ? "a JSON object with no resourceType: not a FHIR resource"
								     : "not a JSON object");
		return NULL;
	}
	xnode *n = xnode_new(json_string_value(type), FHIR_NS, line);
	add_members(n, root, line);
	return n;
}

xnode *fhir_json_parse(const char *text, size_t len, int line, char *error, size_t error_size)
{
	char dummy[8];
	if (!error)
		error = dummy, error_size = sizeof dummy;
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_FLAGS, &err);
	if (!root) {
		char why[160];
		json_reason(&err, why, sizeof why);
		snprintf(error, error_size, "not valid JSON (column %d: %s)", err.column, why);
		return NULL;
	}
	xnode *n = resource_tree(root, line, error, error_size);
	json_decref(root);
	return n;
}

/* ---- the reader ---- */

typedef struct fhir_json_reader {
	line_reader lines; /* NDJSON: the file, its line last read; f NULL once read whole */
	char *path;
	reader_run run;        /* the run's, with a Patient index of our own when it has none */
	fhir_patients *own;
	xnode *tree;   /* a response or Bundle being handed out */
	size_t cursor; /* the Bundle's next child */
	fhir_census census;
	int failed;
	int finished;
} fhir_json_reader;

/* A resource met at line: Patients go to the index, a response or a Bundle waits to be
 * handed out, anything else is counted for the report at the end. */
static void take_resource(fhir_json_reader *r, xnode *res)
{
	fhir_census_add(&r->census, res->name);
	if (strcmp(res->name, "Patient") == 0) {
		fhir_patients_add(r->run.patients, res, NULL, r->path);
	} else if (strcmp(res->name, "QuestionnaireResponse") == 0) {
		r->tree = res, r->cursor = 0;
		return;
	} else if (strcmp(res->name, "Bundle") == 0) {
		const char *type = fhir_value(res, "type");
		if (!fhir_bundle_type_read(type, r->path, res->line)) {
			r->failed = 1;
		} else {
			/* Its Patients first: a response may come before the Patient it names. */
			for (size_t i = 0; i < res->nkids; i++) {
				const xnode *e = res->kids[i];
				const xnode *inner = strcmp(e->name, "entry") == 0 ? fhir_inner_resource(e) : NULL;
				if (!inner)
					continue;
				fhir_census_add(&r->census, inner->name);
				if (strcmp(inner->name, "Patient") == 0)
					fhir_patients_add(r->run.patients, inner, fhir_value(e, "fullUrl"), r->path);
			}
			r->tree = res, r->cursor = 0;
			return;
		}
	}
	xnode_free(res);
}

/* The next response of the waiting tree as a patient, or NULL when it has no more. */
static patient *from_tree(fhir_json_reader *r)
{
	xnode *t = r->tree;
	patient *p = NULL;
	int single = strcmp(t->name, "QuestionnaireResponse") == 0;
	if (single)
		p = fhir_response_patient(t, NULL, r->path, &r->run);
	while (!single && !p && r->cursor < t->nkids) {
		const xnode *e = t->kids[r->cursor++];
		const xnode *inner = strcmp(e->name, "entry") == 0 ? fhir_inner_resource(e) : NULL;
		if (inner && strcmp(inner->name, "QuestionnaireResponse") == 0)
			p = fhir_response_patient(inner, fhir_value(e, "fullUrl"), r->path, &r->run);
	}
	if (single || r->cursor >= t->nkids) {
		xnode_free(r->tree);
		r->tree = NULL;
	}
	return p;
}

/* A line that is not a resource: a patient of its own, with no id, so that it is in the
 * manifest and the exit status. */
static patient *bad_line(fhir_json_reader *r, const char *why)
{
	patient *p = patient_new(r->path, r->lines.line, r->run.q);
	patient_reject(p, r->lines.line, NULL, "%s", why);
	return p;
}

/* After the last line: what the file held, and the resources it skipped. */
static void finish(fhir_json_reader *r)
{
	r->finished = 1;
	if (ferror(r->lines.f)) {
		diag(DIAG_ERROR, r->path, r->lines.line, "cannot read: %s", strerror(errno));
		r->failed = 1;
	}
	if (fhir_census_check(&r->census, r->path, r->run.more_inputs) != 0)
		r->failed = 1;
	else if (r->census.others)
		diag(DIAG_WARNING, r->path, 0, "%zu resource%s of types handout does not read (%s%s) skipped",
		     r->census.others, r->census.others == 1 ? "" : "s", r->census.other_types[0],
		     r->census.ntypes > 1 ? ", ..." : "");
}

static patient *fhir_json_next(void *state)
{
	fhir_json_reader *r = state;
	for (;;) {
		if (r->tree) {
			patient *p = from_tree(r);
			if (p)
				return p;
			continue;
		}
		if (!r->lines.f || r->finished)
			return NULL;
		long len = line_read(&r->lines, 0);
		if (len == -1) {
			finish(r);
			return NULL;
		}
		if (len == -2)
			return bad_line(r, "a line longer than 16 MB");
		if (strspn(r->lines.buf, " \t\r") == (size_t)len)
			continue;
		char why[200];
		xnode *res = fhir_json_parse(r->lines.buf, (size_t)len, r->lines.line, why, sizeof why);
		if (!res)
			return bad_line(r, why);
		take_resource(r, res);
	}
}

static void fhir_json_close(void *state)
{
	fhir_json_reader *r = state;
	if (!r)
		return;
	if (r->lines.f)
		fclose(r->lines.f);
	xnode_free(r->tree);
	line_reader_free(&r->lines);
	fhir_patients_free(r->own);
	free(r->path);
	free(r);
}

/* One JSON resource filling the file. Returns -1 after reporting. */
static int open_document(fhir_json_reader *r)
{
	struct stat st;
	if (fstat(fileno(r->lines.f), &st) != 0 || (unsigned long long)st.st_size > MAX_DOCUMENT) {
		diag(DIAG_ERROR, r->path, 0, "a JSON file larger than %u MB: give large exports as NDJSON, one resource a line",
		     MAX_DOCUMENT >> 20);
		return -1;
	}
	char *text = xmalloc((size_t)st.st_size + 1);
	rewind(r->lines.f);
	size_t len = fread(text, 1, (size_t)st.st_size, r->lines.f);
	fclose(r->lines.f);
	r->lines.f = NULL;
	size_t bom = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	json_error_t err;
	json_t *root = json_loadb(text + bom, len - bom, JSON_FLAGS, &err);
	free(text);
	if (!root) {
		char why[160];
		json_reason(&err, why, sizeof why);
		diag(DIAG_ERROR, r->path, err.line, "not valid JSON (column %d: %s)", err.column, why);
		return -1;
	}
	char why[200];
	xnode *res = resource_tree(root, 0, why, sizeof why);
	json_decref(root);
	if (!res) {
		diag(DIAG_ERROR, r->path, 0, "%s", why);
		return -1;
	}
	take_resource(r, res);
	if (r->failed || fhir_census_check(&r->census, r->path, r->run.more_inputs) != 0)
		return -1;
	return 0;
}

static void *fhir_json_open(const char *path, const reader_run *run)
{
	fhir_json_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->run = *run;
	if (!r->run.patients)
		r->run.patients = r->own = fhir_patients_new();
	r->lines.max = MAX_LINE;
	r->lines.f = fopen_regular(path);
	if (!r->lines.f) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		goto refused;
	}
	/* NDJSON when the first line that holds something is a whole JSON value. */
	long len;
	while ((len = line_read(&r->lines, 0)) >= 0 && strspn(r->lines.buf, " \t\r") == (size_t)len)
		;
	json_error_t err;
	json_t *first = len >= 0 ? json_loadb(r->lines.buf, (size_t)len, JSON_FLAGS, &err) : NULL;
	if (first) {
		json_decref(first);
		rewind(r->lines.f);
		r->lines.line = 0;
		return r;
	}
	if (open_document(r) != 0)
		goto refused;
	return r;
refused:
	fhir_json_close(r);
	return NULL;
}

static int fhir_json_failed(const void *state)
{
	const fhir_json_reader *r = state;
	return r->failed;
}

const reader_format read_fhir_json_format = {"FHIR JSON", fhir_json_open, fhir_json_next, fhir_json_failed,
					      fhir_json_close};
