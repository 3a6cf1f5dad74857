/* layout.h: device-independent line breaking and pagination. Text is measured through a
 * callback, so the engine is tested with a fake fixed-width font and no PDF. Output is a
 * list of pages of positioned items in PDF coordinates (points, origin bottom left). */
#ifndef HANDOUT_LAYOUT_H
#define HANDOUT_LAYOUT_H

#include "style.h"
#include <stddef.h>

struct document;
struct page_template;
struct strbuf;
struct drawing;

typedef struct layout_measure {
	void *ctx;
	/* Width in points of len bytes of UTF-8 text set in face at size_pt. */
	double (*text_width)(void *ctx, face_id face, double size_pt, const char *utf8, size_t len);
	/* Height above the baseline of the face's tallest Latin letters, per point of size. */
	double ascent[FACE_COUNT];
} layout_measure;

typedef enum item_kind { ITEM_TEXT, ITEM_RECT, ITEM_IMAGE, ITEM_DRAWING } item_kind;

/* What a part of the pages is to a reader who hears them (a tagged PDF's structure): the
 * standard structure types of ISO 32000-1, 14.8.4. */
typedef enum tag_role {
	TAG_PART, /* one document: a handout, a letter, the report */
	TAG_SECT, /* a box: the urgent notice, the summary */
	TAG_H1,
	TAG_H2,
	TAG_H3,
	TAG_P,
	TAG_L,
	TAG_LI,
	TAG_LBL,
	TAG_LBODY,
	TAG_TABLE,
	TAG_TR,
	TAG_TH,
	TAG_TD,
	TAG_FIGURE,
	TAG_COUNT
} tag_role;

typedef struct layout_tag {
	tag_role role;
	size_t parent;  /* the tag it belongs to; tag 0, the PART, has none (0) */
	char *alt;      /* FIGURE: what the drawing shows, one sentence; NULL: none */
	int row_header; /* TH: heads its row (else its column) */
} layout_tag;

/* The standard name of a role ("P", "LBody"). */
const char *layout_tag_name(tag_role role);

typedef struct layout_item {
	item_kind kind;
	double x_pt, y_pt; /* TEXT: start of the baseline; RECT, IMAGE: lower left corner */
	double w_pt, h_pt; /* RECT, IMAGE: size; TEXT: measured width, h_pt 0 */
	int image;         /* IMAGE: index into the document's images */
	/* TEXT */
	face_id face;
	double size_pt;
	colour_id colour; /* the template's colour it is set in, unless has_rgb */
	int has_rgb;      /* its own colour (labels of drawings), not one of the template's */
	rgb ink;          /* TEXT: the colour resolved; what the PDF writer uses */
	char *text;
	int space_after; /* a space follows (a line broken at it, a gap before text in another
	                    face): the PDF writes it, so text read out does not run together */
	/* DRAWING: the drawing scaled into x, y, w, h; its labels follow as TEXT items */
	const struct drawing *drawing;
	/* RECT: roles from the template, and the colours resolved */
	int filled;
	colour_id fill;
	double stroke_pt; /* 0: no border */
	colour_id stroke;
	rgb fill_ink, stroke_ink;
	/* The tag it is read as part of (an index into the layout's tags); 0: none, an artifact
	 * (running header and footer, rules, box borders, a table's header repeated, a logo). */
	size_t tag;
} layout_item;

/* What a page break split, the worst first: a chain kept with the next (a heading left at a
 * page's foot), a group kept whole, a box, an exercise card (under its "continued" line), a
 * section held together (the safety net), a paragraph's single line, a paragraph; or
 * nothing. */
typedef enum layout_break {
	BREAK_CLEAN,
	BREAK_PARAGRAPH,
	BREAK_ORPHAN,
	BREAK_SECTION,
	BREAK_CARD,
	BREAK_BOX,
	BREAK_GROUP,
	BREAK_KEPT,
	BREAK_COUNT
} layout_break;

typedef struct layout_page {
	layout_item *items;
	size_t nitems;
	size_t cap;
	double fill;              /* the share of the page's body its rows take, 0..1 */
	double room_pt;           /* the page's body, that fill is a share of */
	layout_break break_after; /* what the break after this page split (the last: CLEAN) */
} layout_page;

typedef struct layout {
	double width_pt, height_pt;
	double line_spacing; /* the body's, as set: the template's, or closer to fit its pages */
	layout_page *pages;
	size_t npages;
	size_t cap;
	/* The structure a reader hears, in reading order (the document's): tags[0] is the whole,
	 * each tag comes after the one it belongs to. None (ntags 0) for a drawing's preview. */
	layout_tag *tags;
	size_t ntags, tags_cap;
	char *lang; /* the language the pages are written in (BCP 47), or NULL */
} layout;

/* Breaks the document's text into lines inside the template's margins and distributes them
 * on pages: a heading never ends a page, no paragraph leaves a single line alone at the top
 * or bottom of a page, a keep-together group (an exercise, a note) starts a new page when
 * it fits on one page but not in the space left, and a word wider than the column is
 * broken. Adds the page furniture ("Page N of M") to every page. A document over its page
 * limit (layout_over_limit) is set with its lines closer when that saves a page. Caller
 * frees. */
layout *layout_document(const struct document *d, const struct page_template *t, const layout_measure *m);
/* 1 when l takes more pages than d may: one for a one-page sheet, else the template's
 * <pages max> (none: never). */
int layout_over_limit(const layout *l, const struct document *d, const struct page_template *t);
/* A short rule in a letter's left margin (a fold or hole mark), from the page's left and
 * top edges. */
typedef struct layout_mark {
	double top_pt, x_pt, w_pt;
} layout_mark;

/* A window envelope's address on a letter's first page. Distances are from the page's
 * left and top edges; the body of page 1 starts below the window. */
typedef struct layout_window {
	double x_pt, top_pt, w_pt, h_pt; /* the window (the address field) */
	double address_top_pt;           /* from the window's top: the first address line's top */
	const char *sender;              /* a small line at the window's top (the clinic), or NULL */
	const char *const *lines;        /* the name, then the address */
	size_t nlines;
	double size_pt;           /* of the address lines */
	const layout_mark *marks; /* on page 1 */
	size_t nmarks;
} layout_window;

/* As layout_document, as a letter: page 1 carries the window's text (after the body in
 * reading order, so an urgent box still comes first) and the marks, and its body starts
 * below the window.
 * NULL, with why (caller frees) saying which line, when the address does not fit the
 * window: nothing is printed outside it. */
layout *layout_letter(const struct document *d, const struct page_template *t, const layout_measure *m,
                      const layout_window *w, char **why);

/* One page of the drawing's own size (CSS pixels at 96 dpi) holding just the drawing,
 * for previewing a drawing alone. The drawing must outlive the layout. */
layout *layout_drawing(const struct drawing *d, const layout_measure *m);
void layout_free(layout *l);

/* Appends a tag to l (alt copied, may be NULL); returns its index. */
size_t layout_add_tag(layout *l, tag_role role, size_t parent, const char *alt);
/* Makes n paragraphs the first things read, right after tag 0 (a letter's address): tags
 * 1..n, in the whole; every other tag, and the items pointing at them, move up by n. */
void layout_tags_lead_with(layout *l, size_t n);
/* Appends the tags as text, one line each ("3 LI in 2"; a figure's alt after it), then each
 * page's tagged text in the order it is read ("page 1: [5 H1] Text..."): for tests. */
void layout_dump_tags(const layout *l, struct strbuf *out);

/* Appends a readable dump: one line per page and item, coordinates to 0.01 pt. */
void layout_dump(const layout *l, struct strbuf *out);

/* Appends one line of how the pages came out, for measuring populations: "pages=N
 * fill=F1,F2,... (percent) breaks=K1,K2,... (layout_break_name of each break, or none)
 * drawings=NAME:H,... (each drawing's file name and height in points, or none)", no
 * newline. */
void layout_dump_pages(const layout *l, struct strbuf *out);
const char *layout_break_name(layout_break b);

#endif
