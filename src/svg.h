/* svg.h: drawings from SVG files in a documented subset (see README.md), parsed into a
 * device-independent display list of filled and stroked paths and text labels, in the
 * drawing's own units (CSS pixels, y down). Unsupported elements and attributes are
 * reported as warnings naming the file, line and element; the rest still draws. */
#ifndef HANDOUT_SVG_H
#define HANDOUT_SVG_H

#include "style.h"
#include "svgpath.h"
#include <stddef.h>

struct xnode;

typedef enum draw_kind { DRAW_SHAPE, DRAW_TEXT } draw_kind;
typedef enum line_cap { CAP_BUTT, CAP_ROUND, CAP_SQUARE } line_cap;
typedef enum line_join { JOIN_MITER, JOIN_ROUND, JOIN_BEVEL } line_join;
typedef enum text_anchor { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END } text_anchor;

typedef struct draw_item {
	draw_kind kind;
	char *id; /* the element's id, else its nearest ancestor's; NULL when none */
	/* SHAPE: the path with every transform applied */
	path path;
	int filled;
	rgb fill;
	int evenodd; /* fill-rule */
	int stroked;
	rgb stroke;
	double stroke_width; /* in drawing units, scaled by the transforms */
	line_cap cap;
	line_join join;
	/* TEXT */
	double x, y;      /* anchor point, drawing units */
	double font_size; /* drawing units */
	int bold;
	text_anchor anchor;
	char *text;
} draw_item;

typedef struct drawing {
	char *file;
	double width, height; /* in CSS pixels (1/96 inch) */
	draw_item *items;     /* in painting order */
	size_t nitems, cap;
	int warnings; /* how many unsupported things were reported */
} drawing;

/* Reads an SVG file. NULL after reporting when it cannot be read, is not well-formed, or
 * its root is not <svg> with a usable size (width/height or viewBox). */
drawing *svg_load(const char *file_path);
/* Builds a drawing from an <svg> element read from file. */
drawing *svg_from_xnode(const struct xnode *root, const char *file);
/* A copy of d whose items with one of the ids get fill colour `fill` (for marking the
 * patient's answers on a body map or scale); a text whose anchor lies on such an item is
 * set in black or white, whichever contrasts more with fill. Caller frees. */
drawing *drawing_recolour(const drawing *d, const char *const *ids, size_t nids, rgb fill);
void drawing_free(drawing *d);

/* WCAG 2's relative luminance of a colour, and the contrast ratio of two (1 to 21). */
double rgb_luminance(rgb c);
double rgb_contrast(rgb a, rgb b);

/* Parses a colour: a CSS/SVG name, #rgb, #rrggbb, rgb(r, g, b) or none.
 * Returns 1 and sets *out for a colour, 0 for none, -1 when not understood. */
int svg_parse_colour(const char *s, rgb *out);
/* Parses a transform list into m (multiplied onto the identity). 0, or -1 when malformed. */
int svg_parse_transform(const char *s, double m[6]);

#endif
