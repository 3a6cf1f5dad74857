/* pdf.h: the one module that talks to libharu: embedded TrueType fonts with their metrics,
 * and the rendering of laid-out pages to PDF bytes in memory. */
#ifndef HANDOUT_PDF_H
#define HANDOUT_PDF_H

#include "fonts.h"
#include "layout.h"
#include "style.h"
#include <stddef.h>
#include <stdint.h>

struct page_template;
struct image;

/* The faces of a run: their files, advance widths and which characters they can draw.
 * Loaded once per run and shared read-only by every document (and thread). */
typedef struct pdf_fonts pdf_fonts;

/* The files of each face, tried in order for each character: files[0][face] is the main one
 * (every document embeds it), the others (NULL when none) draw what those before lack and
 * are embedded only by a document that prints one of their characters. NULL after
 * reporting. */
#define PDF_FONT_FILES FONTS_FILES /* chosen by fonts_files */
pdf_fonts *pdf_fonts_load(const char *const files[PDF_FONT_FILES][FACE_COUNT]);
void pdf_fonts_free(pdf_fonts *f);
/* How many streams documents took ready-made from the run's cache (font programs, the
 * UTF-8 font's maps). */
size_t pdf_fonts_cache_hits(pdf_fonts *f);
/* Frees the calling thread's compressor (other threads' go when they end). */
void pdf_thread_done(void);

/* The libraries that write a PDF's bytes, with their versions ("libharu 2.3.0, libdeflate
 * 1.14, zlib 1.2.13"): an upgrade may change the bytes, so --resume's fingerprint holds them. */
const char *pdf_libraries(void);

/* What the fonts draw and how wide (fonts.h: fonts_measure for layout, fonts_can_draw,
 * fonts_unprintable), as long as f lives. */
const font_metrics *pdf_fonts_metrics(const pdf_fonts *f);

/* An image compressed once per run and embedded as it is in every document, so a clinic
 * logo costs no compression per handout. */
typedef struct pdf_image pdf_image;
pdf_image *pdf_image_prepare(const struct image *img);
void pdf_image_free(pdf_image *pi);
/* Width over height. */
double pdf_image_aspect(const pdf_image *pi);
/* A prepared image as bytes (to keep it between runs, see logo.c), and back: NULL unless
 * the bytes are whole and each stream inflates to exactly the image's size. */
struct strbuf;
void pdf_image_pack(const pdf_image *pi, struct strbuf *out);
pdf_image *pdf_image_unpack(const unsigned char *data, size_t len);

/* The sRGB ICC profile every PDF names as its output intent (PDF/A-2), read and deflated
 * once per run; NULL after reporting why the file cannot be one. */
typedef struct pdf_profile pdf_profile;
pdf_profile *pdf_profile_load(const char *path);
void pdf_profile_free(pdf_profile *pp);

typedef struct pdf_meta {
	const char *title;
	const char *author; /* the clinic */
	const char *subject;
	const char *keywords; /* carries the patient id */
	const char *date;     /* YYYY-MM-DD: the handout's date, never the clock */
	const char *who;      /* named in error messages: "patient P-0001", a file's path */
	/* The output intent's profile: with it the PDF is PDF/A-2 (level A: tagged); NULL: the
	 * PDF claims no conformance (a drawing's preview). */
	const pdf_profile *profile;
} pdf_meta;

/* A PDF being made: laid-out pages appended one layout after another (a mailing bundle
 * holds many letters), the fonts and images embedded once for all of them. images[i] is
 * drawn where an ITEM_IMAGE names image i; characters that cannot be drawn print as '?'.
 * It is a tagged PDF: each layout's tags (layout.h) under one Document, in the order the
 * layouts were added; what has no tag is an artifact. With meta's profile, PDF/A-2a.
 * Every function reports its failure and returns -1 (NULL). */
typedef struct pdf_doc pdf_doc;
pdf_doc *pdf_doc_new(const pdf_fonts *f, const pdf_image *const *images, size_t nimages,
                     const pdf_meta *meta);
int pdf_doc_add(pdf_doc *d, const layout *l);
/* A page with nothing on it (the back of a letter's last sheet). */
int pdf_doc_add_blank(pdf_doc *d, double width_pt, double height_pt);
size_t pdf_doc_pages(const pdf_doc *d);
/* Saves the document into a malloc'd buffer the caller frees (*out) and frees d. */
int pdf_doc_finish(pdf_doc *d, unsigned char **out, size_t *len);
/* Frees a document that will not be finished. */
void pdf_doc_free(pdf_doc *d);

/* One layout as a whole PDF: new, add, finish. */
int pdf_render(const layout *l, const pdf_fonts *f, const pdf_image *const *images, size_t nimages,
               const pdf_meta *meta, unsigned char **out, size_t *len);

#endif
