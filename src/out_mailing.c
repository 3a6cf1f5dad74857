/* out_mailing.c: letters appended to one PDF per bundle, blank backs between them. */
#include "out_mailing.h"
#include "diag.h"
#include "layout.h"
#include "output.h"
#include "pdf.h"
#include "pipeline.h"
#include "settings.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct mailing {
	const resources *r;
	char *dir;
	char *date;
	size_t bundle_size;
	pdf_doc *doc;   /* the bundle being filled, or NULL */
	int bundle;     /* its number */
	size_t letters; /* letters in it */
	double page_w, page_h;
} mailing;

/* Writes the bundle being filled. */
static int write_bundle(mailing *m, int *err)
{
	if (!m->doc)
		return 0;
	char name[32];
	snprintf(name, sizeof name, "mailing-%04d.pdf", m->bundle);
	unsigned char *pdf;
	size_t len;
	int rc = pdf_doc_finish(m->doc, &pdf, &len);
	m->doc = NULL;
	m->letters = 0;
	if (rc != 0) {
		*err = EIO;
		return -1;
	}
	char *path = path_join(m->dir, name);
	rc = output_save(path, pdf, len, err);
	if (rc != 0 && !output_space_error(*err))
		diag(DIAG_ERROR, path, 0, "cannot write the mailing bundle: %s", output_strerror(*err));
	if (rc == 0)
		diag(DIAG_NOTE, path, 0, "mailing bundle written");
	free(path);
	free(pdf);
	return rc;
}

static int mailing_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	mailing *m = self;
	(void)made;
	if (!h->mailed || !h->pages)
		return 0;
	if (!m->doc) {
		m->bundle++;
		char title[64];
		snprintf(title, sizeof title, "Mailing %04d", m->bundle);
		pdf_meta meta = {title,
		                 m->r->settings->clinic_name,
		                 "Letters for window envelopes",
		                 NULL,
		                 m->date,
		                 title,
		                 m->r->profile};
		const pdf_image *images[1] = {m->r->logo_pdf};
		m->doc = pdf_doc_new(m->r->fonts, images, m->r->logo_pdf ? 1 : 0, &meta);
		if (!m->doc) {
			*err = EIO;
			return -1;
		}
	}
	where->bundle = m->bundle;
	where->first_page = pdf_doc_pages(m->doc) + 1;
	if (pdf_doc_add(m->doc, h->pages) != 0) {
		*err = EIO;
		return -1;
	}
	/* Whole sheets: the next letter starts on a front page in duplex printing. */
	if (pdf_doc_pages(m->doc) % 2 &&
	    pdf_doc_add_blank(m->doc, h->pages->width_pt, h->pages->height_pt) != 0) {
		*err = EIO;
		return -1;
	}
	if (++m->letters >= m->bundle_size)
		return write_bundle(m, err);
	return 0;
}

static int mailing_finish(void *self, int *err)
{
	mailing *m = self;
	int rc = write_bundle(m, err);
	/* Bundles an earlier, larger run left beyond this run's last are not this run's. */
	for (int n = m->bundle + 1; rc == 0; n++) {
		char name[32];
		snprintf(name, sizeof name, "mailing-%04d.pdf", n);
		char *path = path_join(m->dir, name);
		int gone = unlink(path) != 0;
		free(path);
		if (gone)
			break;
	}
	return rc;
}

static void mailing_free(void *self)
{
	mailing *m = self;
	pdf_doc_free(m->doc);
	free(m->dir);
	free(m->date);
	free(m);
}

out_sink out_mailing_new(const resources *r, const char *dir, size_t bundle_size, const char *date)
{
	mailing *m = xcalloc(1, sizeof *m);
	m->r = r;
	m->dir = xstrdup(dir);
	m->date = xstrdup(date);
	m->bundle_size = bundle_size ? bundle_size : MAILING_BUNDLE_SIZE;
	return (out_sink){m, NULL, NULL, NULL, mailing_take, mailing_finish, mailing_free, 1};
}
