/* svgpath.c: vector paths and SVG path data. */
#include "svgpath.h"
#include "util.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void push(path *p, seg s)
{
	ARRAY_PUSH(p->segs, p->nsegs, p->cap, s);
}

void path_move(path *p, double x, double y)
{
	push(p, (seg){SEG_MOVE, 0, 0, 0, 0, x, y});
}

void path_line(path *p, double x, double y)
{
	push(p, (seg){SEG_LINE, 0, 0, 0, 0, x, y});
}

void path_cubic(path *p, double x1, double y1, double x2, double y2, double x, double y)
{
	push(p, (seg){SEG_CUBIC, x1, y1, x2, y2, x, y});
}

void path_close(path *p)
{
	push(p, (seg){SEG_CLOSE, 0, 0, 0, 0, 0, 0});
}

void path_free(path *p)
{
	free(p->segs);
	p->segs = NULL;
	p->nsegs = p->cap = 0;
}

static double angle_between(double ux, double uy, double vx, double vy)
{
	return atan2(ux * vy - uy * vx, ux * vx + uy * vy);
}

/* SVG 1.1 implementation notes F.6.5 and F.6.6: endpoint to centre parameterisation. */
void path_arc(path *p, double x0, double y0, double rx, double ry, double x_rotation_deg, int large_arc,
              int sweep, double x, double y)
{
	if (x0 == x && y0 == y)
		return;
	rx = fabs(rx);
	ry = fabs(ry);
	/* Radii too small to square (or not numbers) draw the straight line SVG gives for 0. */
	if (!(rx * rx > 0) || !(ry * ry > 0) || !isfinite(rx * rx * ry * ry)) {
		path_line(p, x, y);
		return;
	}
	double phi = x_rotation_deg * M_PI / 180, cs = cos(phi), sn = sin(phi);
	double dx = (x0 - x) / 2, dy = (y0 - y) / 2;
	double x1p = cs * dx + sn * dy, y1p = -sn * dx + cs * dy;
	double lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
	if (lambda > 1) {
		double k = sqrt(lambda);
		rx *= k;
		ry *= k;
	}
	double num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p;
	double den = rx * rx * y1p * y1p + ry * ry * x1p * x1p;
	double coef = den > 0 && num > 0 ? sqrt(num / den) : 0;
	if (large_arc == sweep)
		coef = -coef;
	double cxp = coef * rx * y1p / ry, cyp = -coef * ry * x1p / rx;
	double cx = cs * cxp - sn * cyp + (x0 + x) / 2, cy = sn * cxp + cs * cyp + (y0 + y) / 2;
	double ux = (x1p - cxp) / rx, uy = (y1p - cyp) / ry, vx = (-x1p - cxp) / rx, vy = (-y1p - cyp) / ry;
	double theta = angle_between(1, 0, ux, uy);
	double delta = angle_between(ux, uy, vx, vy);
	if (!sweep && delta > 0)
		delta -= 2 * M_PI;
	else if (sweep && delta < 0)
		delta += 2 * M_PI;
	if (!isfinite(delta) || !isfinite(theta) || !isfinite(cx) || !isfinite(cy)) {
		path_line(p, x, y);
		return;
	}
	/* At most a quarter turn per cubic keeps the approximation within 0.03%. */
	int n = (int)ceil(fabs(delta) / (M_PI / 2) - 1e-9);
	if (n < 1)
		n = 1;
	double step = delta / n, t = 4.0 / 3.0 * tan(step / 4);
	for (int i = 0; i < n; i++) {
		double a1 = theta + step * i, a2 = a1 + step;
		double c1 = cos(a1), s1 = sin(a1), c2 = cos(a2), s2 = sin(a2);
		/* Points on the unit circle, then scaled, rotated and moved to the centre. */
		double e1x = c1 - t * s1, e1y = s1 + t * c1;
		double e2x = c2 + t * s2, e2y = s2 - t * c2;
#define MAPX(ux_, uy_) (cx + cs * rx * (ux_)-sn * ry * (uy_))
#define MAPY(ux_, uy_) (cy + sn * rx * (ux_) + cs * ry * (uy_))
		double ex = i == n - 1 ? x : MAPX(c2, s2), ey = i == n - 1 ? y : MAPY(c2, s2);
		path_cubic(p, MAPX(e1x, e1y), MAPY(e1x, e1y), MAPX(e2x, e2y), MAPY(e2x, e2y), ex, ey);
#undef MAPX
#undef MAPY
	}
}

void path_transform(path *p, const double m[6])
{
	for (size_t i = 0; i < p->nsegs; i++) {
		seg *s = &p->segs[i];
		double x, y;
#define T(px_, py_)                                                                                          \
	x = m[0] * (px_) + m[2] * (py_) + m[4];                                                              \
	y = m[1] * (px_) + m[3] * (py_) + m[5];                                                              \
	(px_) = x;                                                                                           \
	(py_) = y
		T(s->x, s->y);
		T(s->x1, s->y1);
		T(s->x2, s->y2);
#undef T
	}
}

static void skip_separators(const char **s)
{
	while (isspace((unsigned char)**s))
		(*s)++;
	if (**s == ',') {
		(*s)++;
		while (isspace((unsigned char)**s))
			(*s)++;
	}
}

int svg_number(const char **s, double *out)
{
	skip_separators(s);
	const char *p = *s;
	const char *start = p;
	if (*p == '+' || *p == '-')
		p++;
	int digits = 0;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits)
		return -1;
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;
		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char)*e)) {
			while (isdigit((unsigned char)*e))
				e++;
			p = e;
		}
	}
	char buf[64];
	size_t len = (size_t)(p - start);
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, start, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	*s = p;
	return 0;
}

/* An arc flag is one character, 0 or 1, and may touch what follows ("a1 1 0 00 1 1"). */
static int flag(const char **s, int *out)
{
	skip_separators(s);
	if (**s != '0' && **s != '1')
		return -1;
	*out = **s - '0';
	(*s)++;
	return 0;
}

static int numbers(const char **s, double *v, int n)
{
	for (int i = 0; i < n; i++)
		if (svg_number(s, &v[i]) < 0)
			return -1;
	return 0;
}

int svgpath_parse(const char *d, path *p, char *err, size_t errlen)
{
	const char *s = d;
	double cx = 0, cy = 0;   /* current point */
	double sx = 0, sy = 0;   /* start of the subpath */
	double lcx = 0, lcy = 0; /* last control point, for S and T */
	char prev = 0, cmd = 0;
	for (;;) {
		while (isspace((unsigned char)*s) || *s == ',')
			s++;
		if (!*s)
			return 0;
		if (isalpha((unsigned char)*s)) {
			cmd = *s++;
		} else if (!cmd) {
			snprintf(err, errlen, "path data must start with a command, not '%c'", *s);
			return -1;
		} else if (cmd == 'M') {
			cmd = 'L'; /* numbers after a moveto are implicit linetos */
		} else if (cmd == 'm') {
			cmd = 'l';
		} else if (cmd == 'Z' || cmd == 'z') {
			snprintf(err, errlen, "numbers after closepath");
			return -1;
		}
		int rel = islower((unsigned char)cmd);
		double ox = rel ? cx : 0, oy = rel ? cy : 0;
		double v[7];
		char up = (char)toupper((unsigned char)cmd);
		int ok = 0;
		switch (up) {
		case 'M':
			if ((ok = numbers(&s, v, 2) == 0)) {
				cx = sx = ox + v[0];
				cy = sy = oy + v[1];
				path_move(p, cx, cy);
			}
			break;
		case 'L':
			if ((ok = numbers(&s, v, 2) == 0)) {
				cx = ox + v[0];
				cy = oy + v[1];
				path_line(p, cx, cy);
			}
			break;
		case 'H':
			if ((ok = numbers(&s, v, 1) == 0)) {
				cx = ox + v[0];
				path_line(p, cx, cy);
			}
			break;
		case 'V':
			if ((ok = numbers(&s, v, 1) == 0)) {
				cy = oy + v[0];
				path_line(p, cx, cy);
			}
			break;
		case 'C':
			if ((ok = numbers(&s, v, 6) == 0)) {
				path_cubic(p, ox + v[0], oy + v[1], ox + v[2], oy + v[3], ox + v[4],
				           oy + v[5]);
				lcx = ox + v[2], lcy = oy + v[3];
				cx = ox + v[4], cy = oy + v[5];
			}
			break;
		case 'S':
			if ((ok = numbers(&s, v, 4) == 0)) {
				int smooth = strchr("CcSs", prev) != NULL;
				double x1 = smooth ? 2 * cx - lcx : cx, y1 = smooth ? 2 * cy - lcy : cy;
				path_cubic(p, x1, y1, ox + v[0], oy + v[1], ox + v[2], oy + v[3]);
				lcx = ox + v[0], lcy = oy + v[1];
				cx = ox + v[2], cy = oy + v[3];
			}
			break;
		case 'Q':
		case 'T': {
			double qx, qy, x, y;
			if (up == 'Q') {
				if (!(ok = numbers(&s, v, 4) == 0))
					break;
				qx = ox + v[0], qy = oy + v[1], x = ox + v[2], y = oy + v[3];
			} else {
				if (!(ok = numbers(&s, v, 2) == 0))
					break;
				int smooth = strchr("QqTt", prev) != NULL;
				qx = smooth ? 2 * cx - lcx : cx, qy = smooth ? 2 * cy - lcy : cy;
				x = ox + v[0], y = oy + v[1];
			}
			/* A quadratic is the cubic with controls 2/3 of the way to its control point. */
			path_cubic(p, cx + 2.0 / 3 * (qx - cx), cy + 2.0 / 3 * (qy - cy),
			           x + 2.0 / 3 * (qx - x), y + 2.0 / 3 * (qy - y), x, y);
			lcx = qx, lcy = qy;
			cx = x, cy = y;
			break;
		}
		case 'A': {
			int large, sweep;
			ok = numbers(&s, v, 3) == 0 && flag(&s, &large) == 0 && flag(&s, &sweep) == 0 &&
			     numbers(&s, v + 3, 2) == 0;
			if (ok) {
				path_arc(p, cx, cy, v[0], v[1], v[2], large, sweep, ox + v[3], oy + v[4]);
				cx = ox + v[3], cy = oy + v[4];
			}
			break;
		}
		case 'Z':
			path_close(p);
			cx = sx, cy = sy;
			ok = 1;
			break;
		default:
			snprintf(err, errlen, "unknown path command '%c'", cmd);
			return -1;
		}
		if (!ok) {
			snprintf(err, errlen, "bad or missing numbers for path command '%c' near \"%.12s\"",
			         cmd, s);
			return -1;
		}
		prev = cmd;
	}
}
