/* pdf.h: the one module that talks to libharu: embedded TrueType fonts with their metrics,
 * and the rendering of laid-out pages to PDF bytes in memory. */
#ifndef HANDOUT_PDF_H
#define HANDOUT_PDF_H

#include "layout.h"
#include "style.h"
#include <stddef.h>
#include <stdint.h>

struct page_template;
struct image;

/* The faces of a run: their files, advance widths and which characters they can draw.
 * Loaded once per run and shared read-only by every document (and thread). */
typedef struct pdf_fonts pdf_fonts;

/* Loads the faces (paths[FACE_REGULAR], paths[FACE_BOLD]); NULL after reporting. */
pdf_fonts *pdf_fonts_load(const char *const paths[FACE_COUNT]);
void pdf_fonts_free(pdf_fonts *f);

/* Fills m so that layout measures text with these fonts. */
void pdf_fonts_measure(const pdf_fonts *f, layout_measure *m);

/* 1 when face can draw cp (the font has a glyph and a PDF text encoding holds it). */
int pdf_fonts_can_draw(const pdf_fonts *f, face_id face, uint32_t cp);

/* An image compressed once per run and embedded as it is in every document, so a clinic
 * logo costs no compression per handout. */
typedef struct pdf_image pdf_image;
pdf_image *pdf_image_prepare(const struct image *img);
void pdf_image_free(pdf_image *pi);

typedef struct pdf_meta {
	const char *title;
	const char *author;   /* the clinic */
	const char *subject;
	const char *keywords; /* carries the patient id */
	const char *date;     /* YYYY-MM-DD: the handout's date, never the clock */
	const char *who;      /* named in error messages: "patient P-0001", a file's path */
} pdf_meta;

/* Renders l to PDF; images[i] is drawn where an ITEM_IMAGE names image i. On success
 * returns 0 and a malloc'd buffer the caller frees in *out; on failure reports and returns
 * -1. Characters that cannot be drawn print as '?'. */
int pdf_render(const layout *l, const struct page_template *t, const pdf_fonts *f,
	       const pdf_image *const *images, size_t nimages, const pdf_meta *meta, unsigned char **out,
	       size_t *len);

#endif
