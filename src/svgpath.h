/* svgpath.h: vector paths (move, line, cubic, close) and SVG path data: the commands
 * M L H V C S Q T A Z, absolute and relative, with implicit repeats; arcs and quadratics
 * become cubic Béziers, so a renderer needs only four operations. */
#ifndef HANDOUT_SVGPATH_H
#define HANDOUT_SVGPATH_H

#include <stddef.h>

typedef enum seg_kind { SEG_MOVE, SEG_LINE, SEG_CUBIC, SEG_CLOSE } seg_kind;

typedef struct seg {
	seg_kind kind;
	double x1, y1, x2, y2; /* CUBIC: control points */
	double x, y;           /* end point (MOVE, LINE, CUBIC) */
} seg;

typedef struct path {
	seg *segs;
	size_t nsegs, cap;
} path;

void path_move(path *p, double x, double y);
void path_line(path *p, double x, double y);
void path_cubic(path *p, double x1, double y1, double x2, double y2, double x, double y);
void path_close(path *p);
/* Appends an elliptical arc from (x0, y0) to (x, y) as SVG's A command defines it
 * (radii corrected when too small, a zero radius draws a line). */
void path_arc(path *p, double x0, double y0, double rx, double ry, double x_rotation_deg, int large_arc,
              int sweep, double x, double y);
/* Applies the affine matrix m = {a, b, c, d, e, f} (x' = a x + c y + e, y' = b x + d y + f). */
void path_transform(path *p, const double m[6]);
void path_free(path *p);

/* Parses SVG path data d and appends it to p. Returns 0; on an error returns -1 with a
 * message in err, keeping what came before the error (as SVG renderers do). */
int svgpath_parse(const char *d, path *p, char *err, size_t errlen);

/* Reads one SVG number at *s (after white space and one comma), advancing *s.
 * Accepts "-.5", "1e-3"; "10-5" reads as 10 then -5. Returns 0, or -1 if none. */
int svg_number(const char **s, double *out);

#endif
