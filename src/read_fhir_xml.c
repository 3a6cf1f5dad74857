/* read_fhir_xml.c: FHIR R4 XML through libxml2's reader (xml.c), meaning in fhir.c.
 *
 * A Bundle is read twice: first for its Patients (a response may come before the Patient
 * it names) and for what it holds, then for its responses, one entry at a time; memory
 * holds the Patient index and one entry, whatever the Bundle's size. */
#include "read_fhir_xml.h"
#include "diag.h"
#include "fhir.h"
#include "util.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

typedef struct fhir_xml_reader {
	xml_stream *stream;
	char *path;
	reader_run run; /* the run's, with its FHIR context (fhir_family) */
	xnode *single;  /* a lone QuestionnaireResponse, until it is handed out */
	int failed;
} fhir_xml_reader;

/* A root element's name, said for messages. */
static const char *printable(const char *name)
{
	return patient_id_valid(name) ? name : "(unprintable)";
}

/* First pass over a Bundle: its type, its Patients into the index, what it holds. Returns
 * -1 after reporting when the Bundle is not one handout reads. */
static int scan_bundle(fhir_xml_reader *r, fhir_census *census)
{
	xml_stream *s = xml_stream_open(r->path, NULL);
	if (!s)
		return -1;
	int line = xml_stream_root_line(s), typed = 0, status = 0;
	xnode *n;
	while (status == 0 && (n = xml_stream_next(s)) != NULL) {
		if (strcmp(n->name, "type") == 0) {
			const char *type = xnode_attr(n, "value");
			typed = 1;
			if (!fhir_bundle_type_read(type, r->path, n->line))
				status = -1;
		} else if (strcmp(n->name, "entry") == 0) {
			const xnode *res = fhir_inner_resource(n);
			if (res) {
				fhir_census_add(census, res->name);
				if (strcmp(res->name, "Patient") == 0)
					fhir_add_patient(&r->run, res, fhir_value(n, "fullUrl"), r->path);
			}
		}
		xnode_free(n);
	}
	if (status == 0 && xml_stream_failed(s))
		status = -1;
	xml_stream_close(s);
	if (status == 0 && !typed) {
		diag(DIAG_ERROR, r->path, line, "the Bundle has no type");
		status = -1;
	}
	return status;
}

static void fhir_xml_close(void *state)
{
	fhir_xml_reader *r = state;
	if (!r)
		return;
	xml_stream_close(r->stream);
	xnode_free(r->single);
	free(r->path);
	free(r);
}

static void *fhir_xml_open(const char *path, const reader_run *run)
{
	fhir_xml_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->run = *run;
	r->stream = xml_stream_open(path, NULL);
	if (!r->stream)
		goto refused;
	const char *root = xml_stream_root_name(r->stream);
	fhir_census census = {0};
	if (strcmp(root, "Bundle") == 0) {
		if (scan_bundle(r, &census) != 0)
			goto refused;
	} else if (strcmp(root, "QuestionnaireResponse") == 0 || strcmp(root, "Patient") == 0) {
		r->single = xml_stream_read_root(r->stream);
		if (!r->single)
			goto refused;
		fhir_census_add(&census, root);
		if (strcmp(root, "Patient") == 0) {
			fhir_add_patient(&r->run, r->single, NULL, path);
			xnode_free(r->single);
			r->single = NULL;
		}
	} else {
		diag(DIAG_ERROR, path, xml_stream_root_line(r->stream),
		     "a FHIR %s: handout reads QuestionnaireResponses, Patients and Bundles of them",
		     printable(root));
		goto refused;
	}
	if (fhir_census_check(&census, path, run->more_inputs) != 0)
		goto refused;
	return r;
refused:
	fhir_xml_close(r);
	return NULL;
}

static patient *fhir_xml_next(void *state)
{
	fhir_xml_reader *r = state;
	if (r->single) {
		patient *p = fhir_response_patient(r->single, NULL, r->path, &r->run);
		xnode_free(r->single);
		r->single = NULL;
		return p;
	}
	if (strcmp(xml_stream_root_name(r->stream), "Bundle") != 0)
		return NULL;
	xnode *n;
	while ((n = xml_stream_next(r->stream)) != NULL) {
		const xnode *res = strcmp(n->name, "entry") == 0 ? fhir_inner_resource(n) : NULL;
		patient *p = NULL;
		if (res && strcmp(res->name, "QuestionnaireResponse") == 0)
			p = fhir_response_patient(res, fhir_value(n, "fullUrl"), r->path, &r->run);
		xnode_free(n);
		if (p)
			return p;
	}
	return NULL;
}

static int fhir_xml_failed(const void *state)
{
	const fhir_xml_reader *r = state;
	return r->failed || xml_stream_failed(r->stream);
}

const reader_format read_fhir_xml_format = {"FHIR XML",      fhir_xml_open,  fhir_xml_next,
                                            fhir_xml_failed, fhir_xml_close, &fhir_family};
