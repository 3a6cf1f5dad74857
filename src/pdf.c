/* pdf.c: the one module that talks to libharu (see doc/libharu-internals.md): documents, one
 * libharu document kept per thread, their info and errors; fonts, streams, pages and images
 * are its rooms pdf_font.c, pdf_stream.c, pdf_page.c and pdf_image.c (pdf_int.h). */
#include "pdf.h"
#include "diag.h"
#include "pdf_int.h"
#include "util.h"

#include <hpdf.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	hpdf_state *st = data;
	if (!st->error) {
		st->error = error;
		st->detail = detail;
	}
}

const char *pdf_libraries(void)
{
	static char text[128];
	/* libdeflate has no run-time version: the one compiled against is the one its soname
	 * promises. */
	snprintf(text, sizeof text, "libharu %s, libdeflate %s, zlib %s", HPDF_GetVersion(),
	         LIBDEFLATE_VERSION_STRING, zlibVersion());
	return text;
}

/* text as PDFDocEncoding (Latin-1 above 0xA0) when every character allows; else NULL. */
static char *to_pdfdoc(const char *text)
{
	strbuf sb = {0};
	for (size_t len = strlen(text); len;) {
		uint32_t cp;
		size_t n = utf8_decode(text, len, &cp);
		text += n;
		len -= n;
		/* PDFDocEncoding is Latin-1 but for 0x18-0x1F (accents), 0x7F-0xA0 (0xA0 is the
		 * euro, not a no-break space) and 0xAD: text with those goes as UTF-16. */
		if (cp > 0xFF || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD ||
		    (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')) {
			sb_free(&sb);
			return NULL;
		}
		sb_putc(&sb, (char)cp);
	}
	return sb_take(&sb);
}

static void set_info(doc_home *h, const pdf_meta *meta)
{
	const HPDF_InfoType types[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT,
	                               HPDF_INFO_KEYWORDS, HPDF_INFO_CREATOR};
	const char *values[] = {meta->title, meta->author, meta->subject, meta->keywords, PDF_CREATOR};
	char *latin[5] = {0};
	int all_latin = 1;
	for (int i = 0; i < 5; i++)
		if (values[i] && *values[i] && !(latin[i] = to_pdfdoc(values[i])))
			all_latin = 0;
	if (!all_latin) {
		/* With the UTF-8 encoder current, libharu writes Info strings as UTF-16. Setting it
		 * up costs a tenth of a handout, so only names beyond Latin-1 pay for it. */
		use_utf_encodings(h);
		HPDF_SetCurrentEncoder(h->doc, "UTF-8");
	}
	for (int i = 0; i < 5; i++) {
		if (values[i] && *values[i])
			HPDF_SetInfoAttr(h->doc, types[i], all_latin ? latin[i] : values[i]);
		free(latin[i]);
	}
	int y, m, d;
	if (iso_date_valid(meta->date) && sscanf(meta->date, "%d-%d-%d", &y, &m, &d) == 3) {
		HPDF_Date date = {y, m, d, 0, 0, 0, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(h->doc, HPDF_INFO_CREATION_DATE, date);
	}
}

/* What a libharu error code means, in a plain sentence. */
static const char *libharu_sentence(HPDF_STATUS error)
{
	switch (error) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		return "out of memory";
	case HPDF_INVALID_DATE_TIME:
		return "a date is not a real calendar date";
	case HPDF_PAGE_INVALID_SIZE:
		return "a page size is out of range";
	case HPDF_PAGE_OUT_OF_RANGE:
	case HPDF_PAGE_INVALID_PARAM_COUNT:
	case HPDF_INVALID_PARAMETER:
		return "a number on a page is out of range";
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_TTF_INVALID_CMAP:
		return "a font file is not a usable TrueType font";
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		return "a file could not be read";
	default:
		return "the PDF library stopped with an error";
	}
}

/* 1 when every number of every page is finite and within what a PDF page can hold: the
 * last guard before libharu, which would write NaN or inf into a corrupt file. */
static int layout_sane(const layout *l)
{
	const double most = 1e6;
	if (!(l->width_pt >= HPDF_MIN_PAGE_SIZE && l->width_pt <= HPDF_MAX_PAGE_SIZE &&
	      l->height_pt >= HPDF_MIN_PAGE_SIZE && l->height_pt <= HPDF_MAX_PAGE_SIZE))
		return 0;
	for (size_t i = 0; i < l->npages; i++)
		for (size_t k = 0; k < l->pages[i].nitems; k++) {
			const layout_item *it = &l->pages[i].items[k];
			if (it->kind == ITEM_TEXT && !(it->size_pt > 0 && it->size_pt <= HPDF_MAX_FONTSIZE))
				return 0;
			const double v[] = {it->x_pt, it->y_pt,    it->w_pt,
			                    it->h_pt, it->size_pt, it->stroke_pt};
			for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
				if (!isfinite(v[j]) || fabs(v[j]) > most)
					return 0;
		}
	return 1;
}

struct pdf_doc {
	doc_home *home;
	int own_home; /* made for this document (the thread's was in use): freed with it */
	doc_fonts df;
	doc_images di;
	const pdf_fonts *f;
	const char *who;
	size_t pages;
	doc_tags tags;
	uint64_t id[2]; /* the file identifier being computed from its metadata and text */
};

/* The error a document met, said once; 1 when there was one. */
static int doc_failed(pdf_doc *d)
{
	hpdf_state *st = &d->home->st;
	if (!st->error)
		return 0;
	if (!st->reported)
		diag(DIAG_ERROR, NULL, 0,
		     "%s: the PDF could not be made: %s (libharu error 0x%04X, detail %u)", d->who,
		     libharu_sentence(st->error), (unsigned)st->error, (unsigned)st->detail);
	st->reported = 1;
	return 1;
}

/* Each thread's doc_home, freed when the thread ends (the main thread's by pdf_thread_done). */
static pthread_key_t home_key;
static pthread_once_t home_key_once = PTHREAD_ONCE_INIT;

static void home_free(void *p)
{
	doc_home *h = p;
	if (h)
		HPDF_Free(h->doc);
	free(h);
}

static void make_home_key(void)
{
	pthread_key_create(&home_key, home_free);
}

/* A home for a new document of fonts f: the thread's, emptied (HPDF_NewDoc), or when that
 * is in use (a mailing bundle open while its thread makes another document) one of the
 * document's own. NULL when libharu cannot start. */
static doc_home *home_take(const pdf_fonts *f, int *own)
{
	pthread_once(&home_key_once, make_home_key);
	doc_home *h = pthread_getspecific(home_key);
	*own = h && h->in_use;
	if (*own || !h) {
		h = xcalloc(1, sizeof *h);
		if (!*own)
			pthread_setspecific(home_key, h);
	}
	if (h->doc && h->fonts_id != f->id) { /* loaded from other fonts (a test's second run) */
		HPDF_Free(h->doc);
		h->doc = NULL;
	}
	h->st = (hpdf_state){0};
	h->st.fonts = (pdf_fonts *)f; /* its stream cache is the one part documents change, under its lock */
	if (!h->doc) {
		memset(h->name, 0, sizeof h->name);
		h->utf_encodings = 0;
		h->fonts_id = f->id;
		h->doc = HPDF_New(on_error, &h->st);
		if (h->doc)
			HPDF_SetCompressionMode(h->doc, HPDF_COMP_ALL);
	} else {
		HPDF_NewDoc(h->doc);
	}
	if (!h->doc) {
		diag(DIAG_ERROR, NULL, 0, "cannot start libharu");
		if (*own)
			free(h);
		return NULL;
	}
	h->in_use = 1;
	/* Each face is embedded once per document, however many handouts it holds. */
	for (int face = 0; face < FACE_COUNT && !h->st.error; face++)
		if (!h->name[SRC_MAIN][face])
			h->name[SRC_MAIN][face] = load_font(h->doc, &f->file[SRC_MAIN][face]);
	return h;
}

/* Ends a document: its objects are freed now, the fonts and encoders stay for the next. */
static void home_give_back(pdf_doc *d)
{
	if (d->own_home) {
		home_free(d->home);
		return;
	}
	HPDF_FreeDoc(d->home->doc);
	d->home->in_use = 0;
}

void pdf_thread_done(void)
{
	pdf_stream_thread_done();
	pthread_once(&home_key_once, make_home_key);
	home_free(pthread_getspecific(home_key));
	pthread_setspecific(home_key, NULL);
}

pdf_doc *pdf_doc_new(const pdf_fonts *f, const pdf_image *const *images, size_t nimages, const pdf_meta *meta)
{
	int own;
	doc_home *h = home_take(f, &own);
	if (!h)
		return NULL;
	pdf_doc *d = xcalloc(1, sizeof *d);
	d->home = h;
	d->own_home = own;
	d->f = f;
	d->who = meta->who ? meta->who : "handout";
	set_info(h, meta);
	record_begin(h->doc, meta);
	d->id[0] = 0xcbf29ce484222325ULL;
	d->id[1] = 0x84222325cbf29ce4ULL;
	const char *said[] = {meta->title, meta->author, meta->subject, meta->keywords, meta->date};
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++)
		record_id_add(d->id, said[i] ? said[i] : "");
	d->di.n = nimages < DOC_MAX_IMAGES ? nimages : DOC_MAX_IMAGES;
	for (size_t i = 0; i < d->di.n; i++)
		d->di.src[i] = images[i];
	return d;
}

int pdf_doc_add(pdf_doc *d, const layout *l)
{
	if (!layout_sane(l)) {
		diag(DIAG_ERROR, NULL, 0,
		     "%s: the PDF could not be made: a position or size on a page is not a number a PDF can "
		     "hold",
		     d->who);
		return -1;
	}
	tags_begin_layout(d->home->doc, &d->tags, l);
	for (size_t i = 0; i < l->npages && !d->home->st.error; i++) {
		HPDF_Page page = HPDF_AddPage(d->home->doc);
		if (!page)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->width_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->height_pt);
		for (size_t k = 0; k < l->pages[i].nitems; k++)
			if (l->pages[i].items[k].kind == ITEM_TEXT)
				record_id_add(d->id, l->pages[i].items[k].text);
		draw_page(d->home, page, l, i, &d->df, d->f, &d->di, &d->tags);
		deflate_page(page);
		d->pages++;
	}
	return doc_failed(d) ? -1 : 0;
}

int pdf_doc_add_blank(pdf_doc *d, double width_pt, double height_pt)
{
	HPDF_Page page = HPDF_AddPage(d->home->doc);
	if (page) {
		HPDF_Page_SetWidth(page, (HPDF_REAL)width_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)height_pt);
		d->pages++;
	}
	return doc_failed(d) ? -1 : 0;
}

size_t pdf_doc_pages(const pdf_doc *d)
{
	return d->pages;
}

int pdf_doc_finish(pdf_doc *d, unsigned char **out, size_t *len)
{
	HPDF_Doc doc = d->home->doc;
	hpdf_state *st = &d->home->st;
	unsigned char *buf = NULL;
	HPDF_UINT32 size = 0;
	tags_finish(doc, &d->tags);
	record_finish(doc, d->id);
	if (!st->error)
		HPDF_SaveToStream(doc); /* writes the structure elements from d->tags */
	tags_free(&d->tags);
	if (!st->error) {
		size = HPDF_GetStreamSize(doc);
		buf = xmalloc(size ? size : 1);
		HPDF_UINT32 got = 0;
		HPDF_ResetStream(doc);
		while (got < size) {
			HPDF_UINT32 n = size - got;
			HPDF_STATUS r = HPDF_ReadFromStream(doc, buf + got, &n);
			got += n;
			if (r == HPDF_STREAM_EOF || n == 0)
				break;
		}
		if (got != size && !st->error)
			st->error = HPDF_STREAM_EOF;
	}
	int failed = doc_failed(d);
	home_give_back(d);
	free(d);
	if (failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = size;
	return 0;
}

void pdf_doc_free(pdf_doc *d)
{
	if (!d)
		return;
	tags_free(&d->tags);
	home_give_back(d);
	free(d);
}

int pdf_render(const layout *l, const pdf_fonts *f, const pdf_image *const *images, size_t nimages,
               const pdf_meta *meta, unsigned char **out, size_t *len)
{
	pdf_doc *d = pdf_doc_new(f, images, nimages, meta);
	if (!d)
		return -1;
	if (pdf_doc_add(d, l) != 0) {
		pdf_doc_free(d);
		return -1;
	}
	return pdf_doc_finish(d, out, len);
}
