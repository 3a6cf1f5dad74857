/* layout_int.h: the layout engine's own types and the functions its files share (layout.c
 * breaks lines, layout_page.c chooses and makes the pages, layout_dump.c prints them); no
 * file outside the engine includes it. */
#ifndef HANDOUT_LAYOUT_INT_H
#define HANDOUT_LAYOUT_INT_H

#include "document.h"
#include "layout.h"
#include "svg.h"
#include "template.h"

#define HEADER_GAP_EM 1.2 /* from the header rule to the body */
#define BOX_PAD_EM    0.6 /* space between a box's border and its text, in body sizes */

/* Which part of its block a piece of a row is, to find its tag: a table's or grid's cell
 * (the main text of any other block is cell 0; a grid's cells past the last share its tag),
 * a list item's marker or a row's label, a drawing and its labels. */
#define PART_CELLS 16
enum { PART_LABEL = PART_CELLS, PART_FIGURE, NPARTS };
/* The part of cell c. */
#define PART_CELL(c) ((c) < PART_CELLS ? (int)(c) : PART_CELLS - 1)

/* A piece of text on a line, x relative to the page. */
typedef struct frag {
	double x_pt, w_pt;
	face_id face;
	double size_pt;
	colour_id colour;
	char *text;
	int has_rgb; /* a drawing's label in its own colour */
	rgb rgb;
	double baseline_pt; /* from the row's top; 0: the row's baseline */
	int part;           /* of its block (PART_...) */
	int space_after;    /* layout_item.space_after */
} frag;

/* A rectangle or image drawn with a row, placed relative to the row's top. */
typedef struct mark {
	item_kind kind; /* ITEM_RECT, ITEM_IMAGE or ITEM_DRAWING */
	double x_pt, below_top_pt, w_pt, h_pt;
	double stroke_pt;
	int filled;
	colour_id colour;
	int image;
	const drawing *drawing;
} mark;

/* One line (or spacer) before pagination. */
typedef struct row {
	double height_pt;
	double baseline_pt; /* from the row's top down to the baseline */
	frag *frags;
	size_t nfrags, frags_cap;
	mark *marks;
	size_t nmarks, marks_cap;
	int keep_with_next;
	int hold_with_next;            /* a page break after it costs (its block's hold_with_next) */
	int is_space;                  /* dropped at the top of a page */
	int box;                       /* index into the box list, -1 outside boxes */
	int group;                     /* keep-together group, -1 outside groups */
	size_t block;                  /* the document block it comes from (a paragraph's lines share one) */
	size_t repeat_first, repeat_n; /* a table's body row: its header's rows, repeated atop a new page */
} row;

typedef struct box_info {
	box_kind kind;
	double left_pt, right_pt;
} box_info;

/* A keep-together group: whether it may split (see paginate) and the line that heads its
 * rest on the next page when it does. */
typedef struct group_info {
	keep_kind keep;
	const char *continued; /* borrowed from the block; NULL: none */
	const char *title;     /* the name inside it, shortened first when the line is too wide */
	const char *note;      /* a line of its own under it (a card's pictures are on the page
	                          before); NULL: none */
} group_info;

typedef struct engine {
	const page_template *t;
	double first_top_pt; /* page 1's body starts here when > 0 (a letter's window above) */
	const layout_measure *m;
	row *rows;
	size_t nrows, rows_cap;
	box_info *boxes;
	size_t nboxes, boxes_cap;
	int cur_box;
	int cur_group, ngroups;
	int box_owns_group; /* the current box opened cur_group (it was in no group) */
	group_info *groups; /* per keep-together group */
	size_t groups_cap;
	const block *prev;              /* the block before, for the space between paragraphs */
	const double *images;           /* width / height of each image */
	double left_pt, right_pt;       /* the current column */
	size_t aside_first;             /* the first row beside an aside drawing */
	double aside_h_pt;              /* the aside drawing's height; 0 when none is open */
	double aside_right_pt;          /* the column's right edge before the aside */
	size_t logo_first;              /* the first row beside the logo */
	double logo_h_pt;               /* the logo's height while text wraps beside it; else 0 */
	double logo_right_pt;           /* the column's right edge before the logo */
	size_t header_first, header_n;  /* the rows of the current table's header; n 0: none */
	size_t cur_block;               /* the block being laid out */
	const struct document *doc;     /* the document being laid out */
	double table_w[TABLE_MAX_COLS]; /* the current table's column widths */
	int cur_part;                   /* the part of the block the text being wrapped is */
	size_t *part_tag;               /* block b's part k is read as tag part_tag[b * NPARTS + k] */
	const double *grow;             /* block b's aside drawing drawn grow[b] times its size; NULL: 1 */
	const unsigned char *stacked;   /* block b's aside drawing set above its text; NULL: none */
} engine;

/* Where one placed row went. */
typedef struct placed {
	size_t page;
	double top_pt;
} placed;

/* layout.c */
/* Width of len bytes of s in face at size, through the measurer. */
double engine_measure(const engine *e, face_id face, double size, const char *s, size_t len);
/* The height of a line of text at size. */
double engine_line_height(const engine *e, double size);
/* The height of rows from..to, inclusive. */
double engine_span_rows(const engine *e, size_t from, size_t to);
/* text shortened with an ellipsis to max_w points (caller frees). */
char *engine_fit(const engine *e, face_id face, double size, const char *text, double max_w);

/* layout_tags.c */
/* The tags of the document's blocks, in l (its first, the whole, made here) and
 * e->part_tag (caller frees). */
void engine_tag_blocks(engine *e, layout *l);

/* layout_page.c */
layout_page *layout_new_page(layout *l);
layout_item *page_add_item(layout_page *p);
void page_add_text(layout_page *p, double x, double y, double w, face_id face, double size, colour_id colour,
                   const char *text);
void page_add_rect(layout_page *p, double x, double y, double w, double h, int filled, colour_id fill,
                   double stroke_pt, colour_id stroke);
/* Chooses the page breaks over the whole document and places every row on its page;
 * where[i] tells where row i went. */
void engine_paginate(engine *e, layout *l, placed *where, int footer_nlines);
/* Draws each box on each page it touches, under its text. */
void engine_draw_boxes(engine *e, layout *l, const placed *where);

#endif
