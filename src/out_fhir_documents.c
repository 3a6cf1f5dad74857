/* out_fhir_documents.c: DocumentReference.ndjson beside the PDFs. */
#include "out_fhir_documents.h"
#include "diag.h"
#include "digest.h"
#include "fhir_write.h"
#include "manifest.h"
#include "output.h"
#include "patient.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Writes text as DIR/DocumentReference.ndjson; 0, or -1 with *err (reported unless it is a
 * full disk's or a failing one's). */
static int write_beside(const char *dir, const strbuf *text, int *err)
{
	char *path = path_join(dir, FHIR_DOCUMENTS_FILE);
	int rc = output_save(path, text->data ? text->data : "", text->len, err);
	if (rc != 0 && !output_space_error(*err))
		diag(DIAG_ERROR, path, 0, "cannot write file: %s", output_strerror(*err));
	free(path);
	return rc;
}

long fhir_documents_from_manifest(const char *dir, int *err)
{
	char *mpath = path_join(dir, "manifest.csv");
	manifest_reader *m = manifest_open(mpath);
	free(mpath);
	*err = 0;
	if (!m) {
		*err = EIO;
		return -1;
	}
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
			*err = errno;
			diag(DIAG_ERROR, path, 0, "patient %s: cannot read the PDF for its DocumentReference",
			     row.field[M_PATIENT]);
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
	if (!failed && write_beside(dir, &text, err) != 0)
		failed = 1;
	sb_free(&text);
	return failed ? -1 : n;
}

int fhir_documents_single(const char *pdf_path, const patient *p, const char *date, const char *language,
                          const char *title, const void *pdf, size_t len)
{
	const char *slash = strrchr(pdf_path, '/');
	const char *file = slash ? slash + 1 : pdf_path;
	char *dir =
	    slash ? xstrndup(pdf_path, (size_t)(slash - pdf_path + (slash == pdf_path))) : xstrdup(".");
	char *path = path_join(dir, FHIR_DOCUMENTS_FILE);
	int err, rc = -1, lock = output_lock_dir(dir, &err);
	if (lock < 0) {
		diag(DIAG_ERROR, path, 0, "not updated: %s",
		     err == EWOULDBLOCK ? "another handout run is writing in this folder"
		                        : output_strerror(err));
		goto done;
	}
	/* The lines for other files are kept, in their order: a single build into a batch's
	 * folder must not cost the batch its records. */
	strbuf text = {0};
	struct stat st;
	size_t old_len = 0;
	char *old = lstat(path, &st) == 0 && !S_ISLNK(st.st_mode) ? file_read_all(path, &old_len) : NULL;
	for (char *line = old, *next; line && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		char *described = fhir_document_line_file(line);
		if (*line && (!described || strcmp(described, file) != 0))
			sb_printf(&text, "%s\n", line);
		free(described);
	}
	free(old);
	add_line(&text, p->subject, date, language, file, title, p->source, pdf, len);
	rc = write_beside(dir, &text, &err);
	if (rc != 0 && output_space_error(err))
		diag(DIAG_ERROR, path, 0, "cannot write file: %s", strerror(err));
	sb_free(&text);
	output_unlock_dir(dir, lock);
done:
	free(path);
	free(dir);
	return rc;
}
