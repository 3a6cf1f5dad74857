/* out_docref.c: DocumentReference.ndjson beside the PDFs, a resource for each. */
#include "out_docref.h"
#include "diag.h"
#include "digest.h"
#include "fhir_write.h"
#include "output.h"
#include "patient.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

typedef struct docref {
	char *dir;    /* the run's folder; NULL: beside each file built alone */
	strbuf text;  /* the lines so far */
	int failed;   /* a PDF could not be read: no file is written */
	int err;      /* its error */
	int finished; /* finish was called */
} docref;

/* The PDF at path, read back as it is on the disk; NULL with *err after reporting. */
static char *read_pdf(const char *path, const out_handout *h, size_t *len, int *err)
{
	char *pdf = file_read_all(path, len);
	if (!pdf) {
		*err = errno;
		diag(DIAG_ERROR, path, 0, "patient %s: cannot read the PDF for its DocumentReference",
		     h->p->id);
	}
	return pdf;
}

static int has_file(const out_handout *h)
{
	return !h->error && h->file && *h->file;
}

static int folder_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	docref *d = self;
	(void)made, (void)where, (void)err;
	if (!has_file(h))
		return 0;
	char *path = path_join(d->dir, h->file);
	size_t len;
	char *pdf = read_pdf(path, h, &len, &d->err);
	if (pdf)
		add_line(&d->text, h->p->subject, h->date, h->language, h->file, h->title, h->p->source, pdf,
		         len);
	d->failed |= !pdf;
	free(pdf);
	free(path);
	return 0;
}

/* An earlier run's file is not this run's: removed when this one cannot write its own. */
static void remove_file(const docref *d)
{
	char *path = path_join(d->dir, FHIR_DOCUMENTS_FILE);
	unlink(path);
	free(path);
}

static int folder_finish(void *self, int *err)
{
	docref *d = self;
	d->finished = 1;
	*err = d->err;
	if (!d->failed && write_beside(d->dir, &d->text, err) == 0)
		return 0;
	if (output_space_error(*err))
		remove_file(d);
	return -1;
}

static void docref_free(void *self)
{
	docref *d = self;
	if (d->dir && !d->finished)
		remove_file(d);
	sb_free(&d->text);
	free(d->dir);
	free(d);
}

out_sink out_docref_new(const char *dir)
{
	docref *d = xcalloc(1, sizeof *d);
	d->dir = xstrdup(dir);
	return (out_sink){d, NULL, NULL, NULL, folder_take, folder_finish, docref_free};
}

/* DocumentReference.ndjson beside pdf_path, with its line for this file put in. 0, or -1
 * after reporting. */
static int update_beside(const char *pdf_path, const out_handout *h, const void *pdf, size_t len)
{
	const patient *p = h->p;
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
	add_line(&text, p->subject, h->date, h->language, file, h->title, p->source, pdf, len);
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

static int beside_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	(void)self, (void)made, (void)where;
	if (!has_file(h))
		return 0;
	size_t len;
	char *pdf = read_pdf(h->file, h, &len, err);
	int rc = pdf ? update_beside(h->file, h, pdf, len) : -1;
	free(pdf);
	return rc;
}

static int beside_finish(void *self, int *err)
{
	(void)self, (void)err;
	return 0;
}

out_sink out_docref_beside(void)
{
	docref *d = xcalloc(1, sizeof *d);
	return (out_sink){d, NULL, NULL, NULL, beside_take, beside_finish, docref_free};
}
