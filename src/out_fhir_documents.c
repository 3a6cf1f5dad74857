/* out_fhir_documents.c: DocumentReference.ndjson beside the PDFs. */
#include "out_fhir_documents.h"
#include "diag.h"
#include "digest.h"
#include "fhir_write.h"
#include "manifest.h"
#include "output.h"
#include "patient.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void add_line(strbuf *out, const char *subject, const char *date, const char *language,
                     const char *file, const char *title, const char *record, const void *pdf, size_t len)
{
	unsigned char sha1[20];
	digest_sha1(pdf, len, sha1);
	fhir_document d = {subject && *subject ? subject : NULL, date, language, file, title,
	                   record && *record ? record : NULL,    len,  sha1};
	char *line = fhir_document_line(&d);
	sb_append(out, line);
	free(line);
}

static int write_beside(const char *dir, const strbuf *text)
{
	char *path = path_join(dir, FHIR_DOCUMENTS_FILE);
	int rc = output_write_file(path, text->data ? text->data : "", text->len);
	free(path);
	return rc;
}

long fhir_documents_from_manifest(const char *dir)
{
	char *mpath = path_join(dir, "manifest.csv");
	manifest_reader *m = manifest_open(mpath);
	free(mpath);
	if (!m)
		return -1;
	strbuf text = {0};
	long n = 0;
	int failed = 0;
	manifest_row row;
	while (manifest_next(m, &row)) {
		if (strcmp(row.field[M_STATUS], "ok") != 0 || !*row.field[M_FILE])
			continue;
		char *path = path_join(dir, row.field[M_FILE]);
		size_t len;
		char *pdf = file_read_all(path, &len);
		if (!pdf) {
			diag(DIAG_ERROR, path, 0, "patient %s: cannot read the PDF for its DocumentReference", row.field[M_PATIENT]);
			failed = 1;
		} else {
			add_line(&text, row.field[M_SUBJECT], row.field[M_DATE], row.field[M_LANGUAGE],
			         row.field[M_FILE], row.field[M_TITLE], row.field[M_RECORD], pdf, len);
			n++;
		}
		free(pdf);
		free(path);
	}
	manifest_close(m);
	if (!failed && write_beside(dir, &text) != 0)
		failed = 1;
	sb_free(&text);
	return failed ? -1 : n;
}

int fhir_documents_single(const char *pdf_path, const patient *p, const char *date, const char *language,
			  const char *title, const void *pdf, size_t len)
{
	const char *slash = strrchr(pdf_path, '/');
	char *dir = slash ? xstrndup(pdf_path, (size_t)(slash - pdf_path + (slash == pdf_path))) : xstrdup(".");
	strbuf text = {0};
	add_line(&text, p->subject, date, language, slash ? slash + 1 : pdf_path, title, p->source, pdf, len);
	int rc = write_beside(dir, &text);
	sb_free(&text);
	free(dir);
	return rc;
}
