/* out_pdf.c: each patient's handout as a PDF of its own, rendered on the worker threads and
 * put in place in input order. */
#include "out_pdf.h"
#include "diag.h"
#include "digest.h"
#include "output.h"
#include "patient.h"
#include "pdf.h"
#include "pipeline.h"
#include "settings.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct pdf_sink {
	const resources *r;
	out_pdf_target target;
	char *where;         /* the folder or the file; NULL for standard output */
	char *file;          /* what the last take put in out_place.file */
	unsigned char *held; /* OUT_PDF_STDOUT: the handout, until finish */
	size_t held_len;
} pdf_sink;

/* What make made for one patient. */
typedef struct made_pdf {
	unsigned char *pdf;
	size_t len;
	char sha256[65];
	char *path;      /* OUT_PDF_FOLDER: where it goes */
	output_temp tmp; /* written there under a temporary name, not yet published (path NULL: none) */
} made_pdf;

char *out_pdf_path(const char *dir, const char *patient_id)
{
	strbuf sb = {0};
	sb_printf(&sb, "%s/%s.pdf", dir, patient_id);
	return sb_take(&sb);
}

int out_pdf_render(const resources *r, const out_handout *h, unsigned char **pdf, size_t *len)
{
	/* The file's metadata names the patient only by id unless the clinic asks for more. */
	int full = r->settings->full_metadata;
	strbuf title = {0}, keywords = {0}, who = {0};
	sb_append(&title, h->title);
	if (full)
		sb_printf(&title, ": %s", h->printed_name);
	sb_printf(&keywords, "patient:%s", h->p->id);
	if (full)
		sb_printf(&keywords, "; notice:%s", h->notice);
	sb_printf(&who, "patient %s", h->p->id);
	pdf_meta meta = {title.data, r->settings->clinic_name, h->subject, keywords.data, h->date, who.data,
	                 r->profile};
	const pdf_image *images[1] = {r->logo_pdf};
	int rc = pdf_render(h->pages, r->fonts, images, r->logo_pdf ? 1 : 0, &meta, pdf, len);
	sb_free(&title);
	sb_free(&keywords);
	sb_free(&who);
	return rc;
}

int out_pdf_document(const resources *r, const layout *l, const pdf_meta *meta, int logo, unsigned char **pdf,
                     size_t *len)
{
	const pdf_image *images[1] = {r->logo_pdf};
	return pdf_render(l, r->fonts, images, logo && r->logo_pdf ? 1 : 0, meta, pdf, len);
}

static void made_free(made_pdf *m)
{
	if (!m)
		return;
	output_temp_discard(&m->tmp);
	free(m->pdf);
	free(m->path);
	free(m);
}

/* Into the folder: written now, on its way to the disk at once; flushed with its group and
 * renamed when its turn comes. */
static int write_temporary(const pdf_sink *s, const out_handout *h, made_pdf *m, const char **failed,
                           int *err)
{
	m->path = out_pdf_path(s->where, h->p->id);
	if (output_temp_write(&m->tmp, m->path, m->pdf, m->len, err) == 0) {
		output_temp_start(&m->tmp);
		return 0;
	}
	if (output_space_error(*err))
		return -1;
	diag(DIAG_ERROR, m->path, 0, "cannot write file: %s", strerror(*err));
	*failed = "the PDF could not be written (see the log)";
	return 0;
}

static int pdf_make(void *self, const out_handout *h, void **made, const char **failed, int *err)
{
	pdf_sink *s = self;
	made_pdf *m = xcalloc(1, sizeof *m);
	m->tmp.fd = -1;
	*made = NULL;
	*failed = NULL;
	if (out_pdf_render(s->r, h, &m->pdf, &m->len) != 0) {
		*failed = "the PDF could not be made (see the log)";
		made_free(m);
		return 0;
	}
	digest_sha256_hex(m->pdf, m->len, m->sha256);
	if (s->target == OUT_PDF_FOLDER && (write_temporary(s, h, m, failed, err) != 0 || *failed)) {
		made_free(m);
		return *failed ? 0 : -1;
	}
	if (s->target == OUT_PDF_FOLDER || s->target == OUT_PDF_MEASURE) {
		free(m->pdf); /* written, or only measured: not held while it waits for its turn */
		m->pdf = NULL;
	}
	*made = m;
	return 0;
}

static int pdf_flush(void *self, void *made, const char **failed, int *err)
{
	(void)self;
	made_pdf *m = made;
	*failed = NULL;
	if (!m || !m->tmp.path || output_temp_flush(&m->tmp, err) == 0)
		return 0;
	if (output_space_error(*err))
		return -1;
	diag(DIAG_ERROR, m->path, 0, "cannot flush to disk: %s", strerror(*err));
	output_temp_discard(&m->tmp);
	*failed = "the PDF could not be flushed to disk (see the log)";
	return 0;
}

static void pdf_drop(void *self, void *made)
{
	(void)self;
	made_free(made);
}

/* Tells where the handout is: file (kept in the sink until its next take), size, checksum. */
static void place(pdf_sink *s, const made_pdf *m, const char *file, out_place *where)
{
	free(s->file);
	s->file = xstrdup(file);
	where->file = s->file;
	where->bytes = m->len;
	memcpy(where->sha256, m->sha256, sizeof where->sha256);
}

/* The folder's temporary file, flushed by now, gets its final name. */
static int publish(pdf_sink *s, const out_handout *h, made_pdf *m, out_place *where, int *err)
{
	if (!m->tmp.path) /* its flush failed: said then */
		return 0;
	if (output_temp_publish(&m->tmp, m->path, err) == 0) {
		char name[128];
		snprintf(name, sizeof name, "%s.pdf", h->p->id);
		place(s, m, name, where);
		return 0;
	}
	if (output_space_error(*err))
		return -1;
	diag(DIAG_ERROR, m->path, 0, "cannot write file: %s", output_strerror(*err));
	where->failed = "the PDF could not be written (see the log)";
	return 0;
}

static int pdf_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	pdf_sink *s = self;
	made_pdf *m = made;
	int rc = 0;
	if (!m)
		return 0;
	switch (s->target) {
	case OUT_PDF_FOLDER:
		rc = publish(s, h, m, where, err);
		break;
	case OUT_PDF_MEASURE:
		place(s, m, "", where);
		break;
	case OUT_PDF_FILE:
		if (output_write_file(s->where, m->pdf, m->len) == 0)
			place(s, m, s->where, where);
		else
			where->failed = "the PDF could not be written (see the log)";
		break;
	case OUT_PDF_STDOUT:
		free(s->held);
		s->held = m->pdf, s->held_len = m->len;
		m->pdf = NULL;
		place(s, m, "-", where);
		break;
	}
	made_free(m);
	return rc;
}

static int pdf_finish(void *self, int *err)
{
	pdf_sink *s = self;
	if (s->target != OUT_PDF_STDOUT || !s->held)
		return 0;
	if (fwrite(s->held, 1, s->held_len, stdout) != s->held_len || fflush(stdout) != 0) {
		*err = errno;
		diag(DIAG_ERROR, NULL, 0, "cannot write to standard output: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void pdf_free(void *self)
{
	pdf_sink *s = self;
	free(s->where);
	free(s->file);
	free(s->held);
	free(s);
}

out_sink out_pdf_new(const resources *r, out_pdf_target target, const char *where)
{
	pdf_sink *s = xcalloc(1, sizeof *s);
	s->r = r;
	s->target = target;
	s->where = where ? xstrdup(where) : NULL;
	return (out_sink){s, pdf_make, pdf_flush, pdf_drop, pdf_take, pdf_finish, pdf_free};
}
