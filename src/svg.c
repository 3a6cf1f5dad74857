/* svg.c: SVG files in a documented subset, parsed into a display list. */
#include "svg.h"
#include "diag.h"
#include "util.h"
#include "xml.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SVG_NS "http://www.w3.org/2000/svg"

/* The 147 colour keywords of SVG 1.1 and CSS 3, sorted for bsearch. */
static const struct named_colour {
	const char *name;
	unsigned rgb;
} colours[] = {
    {"aliceblue", 0xF0F8FF},
    {"antiquewhite", 0xFAEBD7},
    {"aqua", 0x00FFFF},
    {"aquamarine", 0x7FFFD4},
    {"azure", 0xF0FFFF},
    {"beige", 0xF5F5DC},
    {"bisque", 0xFFE4C4},
    {"black", 0x000000},
    {"blanchedalmond", 0xFFEBCD},
    {"blue", 0x0000FF},
    {"blueviolet", 0x8A2BE2},
    {"brown", 0xA52A2A},
    {"burlywood", 0xDEB887},
    {"cadetblue", 0x5F9EA0},
    {"chartreuse", 0x7FFF00},
    {"chocolate", 0xD2691E},
    {"coral", 0xFF7F50},
    {"cornflowerblue", 0x6495ED},
    {"cornsilk", 0xFFF8DC},
    {"crimson", 0xDC143C},
    {"cyan", 0x00FFFF},
    {"darkblue", 0x00008B},
    {"darkcyan", 0x008B8B},
    {"darkgoldenrod", 0xB8860B},
    {"darkgray", 0xA9A9A9},
    {"darkgreen", 0x006400},
    {"darkgrey", 0xA9A9A9},
    {"darkkhaki", 0xBDB76B},
    {"darkmagenta", 0x8B008B},
    {"darkolivegreen", 0x556B2F},
    {"darkorange", 0xFF8C00},
    {"darkorchid", 0x9932CC},
    {"darkred", 0x8B0000},
    {"darksalmon", 0xE9967A},
    {"darkseagreen", 0x8FBC8F},
    {"darkslateblue", 0x483D8B},
    {"darkslategray", 0x2F4F4F},
    {"darkslategrey", 0x2F4F4F},
    {"darkturquoise", 0x00CED1},
    {"darkviolet", 0x9400D3},
    {"deeppink", 0xFF1493},
    {"deepskyblue", 0x00BFFF},
    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},
    {"dodgerblue", 0x1E90FF},
    {"firebrick", 0xB22222},
    {"floralwhite", 0xFFFAF0},
    {"forestgreen", 0x228B22},
    {"fuchsia", 0xFF00FF},
    {"gainsboro", 0xDCDCDC},
    {"ghostwhite", 0xF8F8FF},
    {"gold", 0xFFD700},
    {"goldenrod", 0xDAA520},
    {"gray", 0x808080},
    {"green", 0x008000},
    {"greenyellow", 0xADFF2F},
    {"grey", 0x808080},
    {"honeydew", 0xF0FFF0},
    {"hotpink", 0xFF69B4},
    {"indianred", 0xCD5C5C},
    {"indigo", 0x4B0082},
    {"ivory", 0xFFFFF0},
    {"khaki", 0xF0E68C},
    {"lavender", 0xE6E6FA},
    {"lavenderblush", 0xFFF0F5},
    {"lawngreen", 0x7CFC00},
    {"lemonchiffon", 0xFFFACD},
    {"lightblue", 0xADD8E6},
    {"lightcoral", 0xF08080},
    {"lightcyan", 0xE0FFFF},
    {"lightgoldenrodyellow", 0xFAFAD2},
    {"lightgray", 0xD3D3D3},
    {"lightgreen", 0x90EE90},
    {"lightgrey", 0xD3D3D3},
    {"lightpink", 0xFFB6C1},
    {"lightsalmon", 0xFFA07A},
    {"lightseagreen", 0x20B2AA},
    {"lightskyblue", 0x87CEFA},
    {"lightslategray", 0x778899},
    {"lightslategrey", 0x778899},
    {"lightsteelblue", 0xB0C4DE},
    {"lightyellow", 0xFFFFE0},
    {"lime", 0x00FF00},
    {"limegreen", 0x32CD32},
    {"linen", 0xFAF0E6},
    {"magenta", 0xFF00FF},
    {"maroon", 0x800000},
    {"mediumaquamarine", 0x66CDAA},
    {"mediumblue", 0x0000CD},
    {"mediumorchid", 0xBA55D3},
    {"mediumpurple", 0x9370DB},
    {"mediumseagreen", 0x3CB371},
    {"mediumslateblue", 0x7B68EE},
    {"mediumspringgreen", 0x00FA9A},
    {"mediumturquoise", 0x48D1CC},
    {"mediumvioletred", 0xC71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xF5FFFA},
    {"mistyrose", 0xFFE4E1},
    {"moccasin", 0xFFE4B5},
    {"navajowhite", 0xFFDEAD},
    {"navy", 0x000080},
    {"oldlace", 0xFDF5E6},
    {"olive", 0x808000},
    {"olivedrab", 0x6B8E23},
    {"orange", 0xFFA500},
    {"orangered", 0xFF4500},
    {"orchid", 0xDA70D6},
    {"palegoldenrod", 0xEEE8AA},
    {"palegreen", 0x98FB98},
    {"paleturquoise", 0xAFEEEE},
    {"palevioletred", 0xDB7093},
    {"papayawhip", 0xFFEFD5},
    {"peachpuff", 0xFFDAB9},
    {"peru", 0xCD853F},
    {"pink", 0xFFC0CB},
    {"plum", 0xDDA0DD},
    {"powderblue", 0xB0E0E6},
    {"purple", 0x800080},
    {"red", 0xFF0000},
    {"rosybrown", 0xBC8F8F},
    {"royalblue", 0x4169E1},
    {"saddlebrown", 0x8B4513},
    {"salmon", 0xFA8072},
    {"sandybrown", 0xF4A460},
    {"seagreen", 0x2E8B57},
    {"seashell", 0xFFF5EE},
    {"sienna", 0xA0522D},
    {"silver", 0xC0C0C0},
    {"skyblue", 0x87CEEB},
    {"slateblue", 0x6A5ACD},
    {"slategray", 0x708090},
    {"slategrey", 0x708090},
    {"snow", 0xFFFAFA},
    {"springgreen", 0x00FF7F},
    {"steelblue", 0x4682B4},
    {"tan", 0xD2B48C},
    {"teal", 0x008080},
    {"thistle", 0xD8BFD8},
    {"tomato", 0xFF6347},
    {"turquoise", 0x40E0D0},
    {"violet", 0xEE82EE},
    {"wheat", 0xF5DEB3},
    {"white", 0xFFFFFF},
    {"whitesmoke", 0xF5F5F5},
    {"yellow", 0xFFFF00},
    {"yellowgreen", 0x9ACD32},
};

static int colour_cmp(const void *key, const void *elem)
{
	return strcasecmp(key, ((const struct named_colour *)elem)->name);
}

static rgb from_hex(unsigned v)
{
	return (rgb){((v >> 16) & 0xFF) / 255.0, ((v >> 8) & 0xFF) / 255.0, (v & 0xFF) / 255.0};
}

int svg_parse_colour(const char *s, rgb *out)
{
	while (isspace((unsigned char)*s))
		s++;
	char buf[64];
	size_t n = strcspn(s, " \t\n\r");
	if (n >= sizeof buf || s[n + strspn(s + n, " \t\n\r")] != '\0')
		n = strlen(s);
	if (n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	while (n && isspace((unsigned char)buf[n - 1]))
		buf[--n] = '\0';
	if (strcmp(buf, "none") == 0 || strcmp(buf, "transparent") == 0)
		return 0;
	if (buf[0] == '#') {
		unsigned v;
		char tail;
		if (n == 7 && sscanf(buf + 1, "%6x%c", &v, &tail) == 1 &&
		    strspn(buf + 1, "0123456789abcdefABCDEF") == 6) {
			*out = from_hex(v);
			return 1;
		}
		if (n == 4 && strspn(buf + 1, "0123456789abcdefABCDEF") == 3) {
			sscanf(buf + 1, "%3x", &v);
			unsigned r = (v >> 8) & 0xF, g = (v >> 4) & 0xF, b = v & 0xF;
			*out = from_hex((r * 17) << 16 | (g * 17) << 8 | (b * 17));
			return 1;
		}
		return -1;
	}
	int r, g, b;
	char close;
	if (sscanf(buf, "rgb(%d ,%d ,%d %c", &r, &g, &b, &close) == 4 && close == ')' && r >= 0 && r <= 255 &&
	    g >= 0 && g <= 255 && b >= 0 && b <= 255) {
		*out = (rgb){r / 255.0, g / 255.0, b / 255.0};
		return 1;
	}
	const struct named_colour *c =
	    bsearch(buf, colours, sizeof colours / sizeof colours[0], sizeof colours[0], colour_cmp);
	if (!c)
		return -1;
	*out = from_hex(c->rgb);
	return 1;
}

/* m = m * t: t applies first, then m. */
static void mat_mul(double m[6], const double t[6])
{
	double r[6] = {m[0] * t[0] + m[2] * t[1],        m[1] * t[0] + m[3] * t[1],
	               m[0] * t[2] + m[2] * t[3],        m[1] * t[2] + m[3] * t[3],
	               m[0] * t[4] + m[2] * t[5] + m[4], m[1] * t[4] + m[3] * t[5] + m[5]};
	memcpy(m, r, sizeof r);
}

int svg_parse_transform(const char *s, double m[6])
{
	for (;;) {
		while (isspace((unsigned char)*s) || *s == ',')
			s++;
		if (!*s)
			return 0;
		size_t n = 0;
		while (isalpha((unsigned char)s[n]))
			n++;
		char name[16];
		if (n == 0 || n >= sizeof name)
			return -1;
		memcpy(name, s, n);
		name[n] = '\0';
		s += n;
		while (isspace((unsigned char)*s))
			s++;
		if (*s != '(')
			return -1;
		s++;
		double v[6];
		int count = 0;
		while (count < 6 && svg_number(&s, &v[count]) == 0)
			count++;
		while (isspace((unsigned char)*s))
			s++;
		if (*s != ')')
			return -1;
		s++;
		double t[6] = {1, 0, 0, 1, 0, 0};
		if (strcmp(name, "matrix") == 0 && count == 6) {
			memcpy(t, v, sizeof t);
		} else if (strcmp(name, "translate") == 0 && (count == 1 || count == 2)) {
			t[4] = v[0];
			t[5] = count == 2 ? v[1] : 0;
		} else if (strcmp(name, "scale") == 0 && (count == 1 || count == 2)) {
			t[0] = v[0];
			t[3] = count == 2 ? v[1] : v[0];
		} else if (strcmp(name, "rotate") == 0 && (count == 1 || count == 3)) {
			double a = v[0] * M_PI / 180, c = cos(a), sn = sin(a);
			double cx = count == 3 ? v[1] : 0, cy = count == 3 ? v[2] : 0;
			/* translate(cx, cy) rotate(a) translate(-cx, -cy) */
			t[0] = c, t[1] = sn, t[2] = -sn, t[3] = c;
			t[4] = cx - c * cx + sn * cy;
			t[5] = cy - sn * cx - c * cy;
		} else if (strcmp(name, "skewX") == 0 && count == 1) {
			t[2] = tan(v[0] * M_PI / 180);
		} else if (strcmp(name, "skewY") == 0 && count == 1) {
			t[1] = tan(v[0] * M_PI / 180);
		} else {
			return -1;
		}
		mat_mul(m, t);
	}
}

/* Inherited presentation state. */
typedef struct gstate {
	double m[6];
	int filled;
	rgb fill;
	int stroked;
	rgb stroke;
	double stroke_width;
	line_cap cap;
	line_join join;
	int evenodd;
	double font_size;
	int bold;
	text_anchor anchor;
	const char *id;
	int hidden;
} gstate;

typedef struct parser {
	drawing *d;
	const char *file;
	int bad_line; /* the first element with a number no page can hold; 0: none */
	/* Warn once per element name and attribute in a file. */
	char **warned;
	size_t nwarned, warned_cap;
} parser;

static void warn(parser *ps, const xnode *n, const char *what, const char *name)
{
	char key[160];
	snprintf(key, sizeof key, "%s/%s/%s", n->name, what, name ? name : "");
	for (size_t i = 0; i < ps->nwarned; i++)
		if (strcmp(ps->warned[i], key) == 0)
			return;
	ARRAY_PUSH(ps->warned, ps->nwarned, ps->warned_cap, xstrdup(key));
	ps->d->warnings++;
	if (name)
		diag(DIAG_WARNING, ps->file, n->line, "<%s>: %s '%s' is not supported; ignored", n->name,
		     what, name);
	else
		diag(DIAG_WARNING, ps->file, n->line, "<%s> is not supported; skipped", n->name);
}

/* Lengths in CSS pixels; units other than px are converted, % is not supported. */
static int parse_length(const char *s, double *out)
{
	const char *p = s;
	double v;
	if (svg_number(&p, &v) < 0)
		return -1;
	while (isspace((unsigned char)*p))
		p++;
	static const struct {
		const char *unit;
		double px;
	} units[] = {{"", 1},           {"px", 1},         {"pt", 96.0 / 72}, {"pc", 16},
	             {"mm", 96 / 25.4}, {"cm", 96 / 2.54}, {"in", 96}};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(p, units[i].unit) == 0) {
			*out = v * units[i].px;
			return 0;
		}
	return -1;
}

/* Properties whose value here changes nothing in what we draw; vendor-prefixed ones
 * (-inkscape-font-specification) never do. */
static int is_no_op(const char *name, const char *value)
{
	static const struct {
		const char *name;
		const char *values; /* space-separated; "*" any */
	} no_ops[] = {
	    {"stroke-dasharray", "none"},
	    {"stroke-dashoffset", "0 0px"},
	    {"paint-order", "normal"},
	    {"font-style", "normal"},
	    {"font-variant", "normal"},
	    {"font-stretch", "normal"},
	    {"line-height", "*"},
	    {"letter-spacing", "0 0px normal"},
	    {"word-spacing", "0 0px normal"},
	    {"writing-mode", "lr-tb lr horizontal-tb"},
	    {"text-align", "start left"},
	    {"marker", "none"},
	    {"vector-effect", "none"},
	    {"color", "*"},
	};
	if (name[0] == '-')
		return 1;
	for (size_t i = 0; i < sizeof no_ops / sizeof no_ops[0]; i++) {
		if (strcmp(no_ops[i].name, name) != 0)
			continue;
		if (strcmp(no_ops[i].values, "*") == 0)
			return 1;
		char needle[64];
		snprintf(needle, sizeof needle, " %s ", value);
		char list[80];
		snprintf(list, sizeof list, " %s ", no_ops[i].values);
		return strstr(list, needle) != NULL;
	}
	return 0;
}

/* Applies one presentation property (from an attribute or style="...") to g.
 * Returns 1 when known, 0 when unknown, -1 when the value is bad. */
static int apply_property(gstate *g, const char *name, const char *value)
{
	if (strcmp(name, "fill") == 0) {
		int r = svg_parse_colour(value, &g->fill);
		if (r < 0)
			return -1;
		g->filled = r;
	} else if (strcmp(name, "stroke") == 0) {
		int r = svg_parse_colour(value, &g->stroke);
		if (r < 0)
			return -1;
		g->stroked = r;
	} else if (strcmp(name, "stroke-width") == 0) {
		/* A value refused leaves the inherited width, never half of the new one. */
		double w;
		if (parse_length(value, &w) < 0 || w < 0)
			return -1;
		g->stroke_width = w;
	} else if (strcmp(name, "stroke-linecap") == 0) {
		g->cap = strcmp(value, "round") == 0    ? CAP_ROUND
		         : strcmp(value, "square") == 0 ? CAP_SQUARE
		                                        : CAP_BUTT;
	} else if (strcmp(name, "stroke-linejoin") == 0) {
		g->join = strcmp(value, "round") == 0   ? JOIN_ROUND
		          : strcmp(value, "bevel") == 0 ? JOIN_BEVEL
		                                        : JOIN_MITER;
	} else if (strcmp(name, "fill-rule") == 0) {
		g->evenodd = strcmp(value, "evenodd") == 0;
	} else if (strcmp(name, "font-size") == 0) {
		double size;
		if (parse_length(value, &size) < 0 || size <= 0)
			return -1;
		g->font_size = size;
	} else if (strcmp(name, "font-weight") == 0) {
		g->bold = strcmp(value, "bold") == 0 || atoi(value) >= 600;
	} else if (strcmp(name, "text-anchor") == 0) {
		g->anchor = strcmp(value, "middle") == 0 ? ANCHOR_MIDDLE
		            : strcmp(value, "end") == 0  ? ANCHOR_END
		                                         : ANCHOR_START;
	} else if (strcmp(name, "display") == 0 || strcmp(name, "visibility") == 0) {
		g->hidden = strcmp(value, "none") == 0 || strcmp(value, "hidden") == 0;
	} else if (strcmp(name, "font-family") == 0 || strcmp(name, "stroke-miterlimit") == 0) {
		/* Labels use the handout's own face; the miter limit keeps libharu's default. */
	} else if ((strcmp(name, "opacity") == 0 || strcmp(name, "fill-opacity") == 0 ||
	            strcmp(name, "stroke-opacity") == 0) &&
	           strtod(value, NULL) == 1) {
		/* Fully opaque is what we draw anyway. */
	} else if (is_no_op(name, value)) {
		/* Editors (Inkscape's plain SVG) write these with values that change nothing. */
	} else {
		return 0;
	}
	return 1;
}

/* Attributes each element may carry besides the presentation properties. */
static int geometry_attribute(const char *element, const char *attr)
{
	static const struct {
		const char *element;
		const char *attrs;
	} known[] = {
	    {"svg", " width height viewBox version baseProfile preserveAspectRatio x y "},
	    {"g", " "},
	    {"path", " d "},
	    {"rect", " x y width height rx ry "},
	    {"circle", " cx cy r "},
	    {"ellipse", " cx cy rx ry "},
	    {"line", " x1 y1 x2 y2 "},
	    {"polyline", " points "},
	    {"polygon", " points "},
	    {"text", " x y "},
	    {"tspan", " x y "},
	};
	if (strcmp(attr, "id") == 0 || strcmp(attr, "transform") == 0 || strcmp(attr, "style") == 0 ||
	    strcmp(attr, "class") == 0)
		return 1;
	char needle[64];
	snprintf(needle, sizeof needle, " %s ", attr);
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(known[i].element, element) == 0)
			return strstr(known[i].attrs, needle) != NULL;
	return 0;
}

static void apply_style_attribute(parser *ps, const xnode *n, gstate *g, const char *style)
{
	char *copy = xstrdup(style);
	for (char *decl = strtok(copy, ";"); decl; decl = strtok(NULL, ";")) {
		char *colon = strchr(decl, ':');
		if (!colon)
			continue;
		*colon = '\0';
		char *name = text_normalize_space(decl), *value = text_normalize_space(colon + 1);
		int r = *name ? apply_property(g, name, value) : 1;
		if (r == 0)
			warn(ps, n, "style property", name);
		else if (r < 0)
			warn(ps, n, "value of", name);
		free(name), free(value);
	}
	free(copy);
}

/* Reads an element's own presentation attributes and style into g (a copy of its parent's). */
static void element_state(parser *ps, const xnode *n, gstate *g)
{
	if (xnode_attr(n, "id"))
		g->id = xnode_attr(n, "id");
	for (size_t i = 0; i < n->nattrs; i++) {
		const xattr *a = &n->attrs[i];
		if (a->ns)
			continue; /* editor metadata (inkscape:, sodipodi:, xml:) */
		if (strcmp(a->name, "transform") == 0) {
			if (svg_parse_transform(a->value, g->m) < 0)
				warn(ps, n, "value of", "transform");
			continue;
		}
		if (strcmp(a->name, "style") == 0 || geometry_attribute(n->name, a->name))
			continue;
		int r = apply_property(g, a->name, a->value);
		if (r == 0)
			warn(ps, n, "attribute", a->name);
		else if (r < 0)
			warn(ps, n, "value of", a->name);
	}
	/* style="..." wins over presentation attributes. */
	if (xnode_attr(n, "style"))
		apply_style_attribute(ps, n, g, xnode_attr(n, "style"));
}

static double num_attr(const xnode *n, const char *name, double fallback)
{
	const char *v = xnode_attr(n, name);
	double out;
	return v && parse_length(v, &out) == 0 ? out : fallback;
}

/* Largest coordinate or size a drawing may hold, in its units after every transform
 * (about 260 m at 96 per inch): what is beyond it, or not a number, is an error. */
#define SVG_MAX_COORD 1e6
#define SVG_MAX_FONT  800.0

static int sane(double v)
{
	return isfinite(v) && fabs(v) <= SVG_MAX_COORD;
}

/* Notes the first element whose numbers are not finite or not within range. */
static int check_sane(parser *ps, const xnode *n, int ok)
{
	if (!ok && !ps->bad_line)
		ps->bad_line = n->line ? n->line : -1;
	return ok;
}

static void add_shape(parser *ps, const xnode *n, const gstate *g, path *p)
{
	if (g->hidden || (!g->filled && !g->stroked) || p->nsegs == 0) {
		path_free(p);
		return;
	}
	path_transform(p, g->m);
	int ok = sane(g->stroke_width); /* never negative: apply_property refuses that */
	for (size_t i = 0; i < p->nsegs && ok; i++) {
		const seg *s = &p->segs[i];
		ok = sane(s->x) && sane(s->y) && sane(s->x1) && sane(s->y1) && sane(s->x2) && sane(s->y2);
	}
	if (!check_sane(ps, n, ok)) {
		path_free(p);
		return;
	}
	draw_item it = {0};
	it.kind = DRAW_SHAPE;
	it.id = g->id ? xstrdup(g->id) : NULL;
	it.path = *p;
	it.filled = g->filled;
	it.fill = g->fill;
	it.evenodd = g->evenodd;
	it.stroked = g->stroked;
	it.stroke = g->stroke;
	/* A stroke is scaled by the transform's mean scale factor. */
	it.stroke_width = g->stroke_width * sqrt(fabs(g->m[0] * g->m[3] - g->m[1] * g->m[2]));
	it.cap = g->cap;
	it.join = g->join;
	ARRAY_PUSH(ps->d->items, ps->d->nitems, ps->d->cap, it);
}

/* polyline and polygon points: pairs of numbers. */
static void points_path(const char *pts, path *p, int close)
{
	const char *s = pts ? pts : "";
	double x, y;
	int first = 1;
	while (svg_number(&s, &x) == 0 && svg_number(&s, &y) == 0) {
		if (first)
			path_move(p, x, y);
		else
			path_line(p, x, y);
		first = 0;
	}
	if (close && !first)
		path_close(p);
}

/* A rectangle with optional rounded corners, as SVG 1.1 defines rx/ry. */
static void rect_path(const xnode *n, path *p)
{
	double x = num_attr(n, "x", 0), y = num_attr(n, "y", 0);
	double w = num_attr(n, "width", 0), h = num_attr(n, "height", 0);
	if (w <= 0 || h <= 0)
		return;
	double rx = num_attr(n, "rx", -1), ry = num_attr(n, "ry", -1);
	if (rx < 0 && ry < 0)
		rx = ry = 0;
	else if (rx < 0)
		rx = ry;
	else if (ry < 0)
		ry = rx;
	rx = fmin(rx, w / 2);
	ry = fmin(ry, h / 2);
	if (rx == 0 || ry == 0) {
		path_move(p, x, y);
		path_line(p, x + w, y);
		path_line(p, x + w, y + h);
		path_line(p, x, y + h);
		path_close(p);
		return;
	}
	path_move(p, x + rx, y);
	path_line(p, x + w - rx, y);
	path_arc(p, x + w - rx, y, rx, ry, 0, 0, 1, x + w, y + ry);
	path_line(p, x + w, y + h - ry);
	path_arc(p, x + w, y + h - ry, rx, ry, 0, 0, 1, x + w - rx, y + h);
	path_line(p, x + rx, y + h);
	path_arc(p, x + rx, y + h, rx, ry, 0, 0, 1, x, y + h - ry);
	path_line(p, x, y + ry);
	path_arc(p, x, y + ry, rx, ry, 0, 0, 1, x + rx, y);
	path_close(p);
}

static void ellipse_path(double cx, double cy, double rx, double ry, path *p)
{
	if (rx <= 0 || ry <= 0)
		return;
	path_move(p, cx + rx, cy);
	path_arc(p, cx + rx, cy, rx, ry, 0, 0, 1, cx - rx, cy);
	path_arc(p, cx - rx, cy, rx, ry, 0, 0, 1, cx + rx, cy);
	path_close(p);
}

/* Adds one label at (x, y) in the element's own coordinates. */
static void add_label(parser *ps, const xnode *n, const gstate *g, double x, double y, char *text)
{
	if (g->hidden || !*text || !g->filled) {
		free(text);
		return;
	}
	draw_item it = {0};
	it.kind = DRAW_TEXT;
	it.x = g->m[0] * x + g->m[2] * y + g->m[4];
	it.y = g->m[1] * x + g->m[3] * y + g->m[5];
	double scale = sqrt(fabs(g->m[0] * g->m[3] - g->m[1] * g->m[2]));
	if (fabs(g->m[1]) > 1e-9 || fabs(g->m[2]) > 1e-9)
		warn(ps, n, "rotated or skewed", "text");
	it.font_size = g->font_size * scale;
	/* A label's size, once transformed, within what a PDF can set at the 0.75 pt a unit of
	 * `handout draw` (libharu's largest is 600 pt). */
	if (!check_sane(ps, n,
	                sane(it.x) && sane(it.y) && it.font_size > 0 && it.font_size <= SVG_MAX_FONT)) {
		free(text);
		return;
	}
	it.id = g->id ? xstrdup(g->id) : NULL;
	it.bold = g->bold;
	it.anchor = g->anchor;
	it.fill = g->fill;
	it.filled = 1;
	it.text = text;
	ARRAY_PUSH(ps->d->items, ps->d->nitems, ps->d->cap, it);
}

/* A text element: its own text, and each <tspan> (a line, as Inkscape writes them) as a
 * label of its own at its x and y, or the text's when it has none. */
static void add_text(parser *ps, const xnode *n, const gstate *g)
{
	double x = num_attr(n, "x", 0), y = num_attr(n, "y", 0);
	add_label(ps, n, g, x, y, xnode_text(n));
	for (size_t i = 0; i < n->nkids; i++) {
		const xnode *k = n->kids[i];
		if (k->ns && strcmp(k->ns, SVG_NS) != 0)
			continue;
		if (strcmp(k->name, "tspan") != 0) {
			warn(ps, k, "element inside <text>", k->name);
			continue;
		}
		gstate kg = *g;
		element_state(ps, k, &kg);
		for (size_t j = 0; j < k->nkids; j++)
			warn(ps, k->kids[j], "element inside <tspan>", k->kids[j]->name);
		add_label(ps, k, &kg, num_attr(k, "x", x), num_attr(k, "y", y), xnode_text(k));
	}
}

static void walk(parser *ps, const xnode *n, gstate g);

static void walk_children(parser *ps, const xnode *n, const gstate *g)
{
	for (size_t i = 0; i < n->nkids; i++)
		walk(ps, n->kids[i], *g);
}

static void walk(parser *ps, const xnode *n, gstate g)
{
	if (n->ns && strcmp(n->ns, SVG_NS) != 0)
		return; /* editor metadata in other namespaces */
	static const char *const ignored[] = {"title", "desc", "metadata"};
	for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
		if (strcmp(n->name, ignored[i]) == 0)
			return;
	if (strcmp(n->name, "defs") == 0 && n->nkids == 0)
		return; /* editors leave an empty one */
	static const char *const shapes[] = {"g",    "path",     "rect",    "circle", "ellipse",
	                                     "line", "polyline", "polygon", "text"};
	int known = 0;
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		known |= strcmp(n->name, shapes[i]) == 0;
	if (!known) {
		warn(ps, n, "element", NULL);
		return;
	}
	element_state(ps, n, &g);
	if (g.hidden)
		return;
	path p = {0};
	if (strcmp(n->name, "g") == 0) {
		walk_children(ps, n, &g);
		return;
	} else if (strcmp(n->name, "text") == 0) {
		add_text(ps, n, &g);
		return;
	} else if (strcmp(n->name, "path") == 0) {
		char err[160];
		const char *d = xnode_attr(n, "d");
		if (d && svgpath_parse(d, &p, err, sizeof err) < 0) {
			diag(DIAG_WARNING, ps->file, n->line, "<path>: %s; drawn up to there", err);
			ps->d->warnings++;
		}
	} else if (strcmp(n->name, "rect") == 0) {
		rect_path(n, &p);
	} else if (strcmp(n->name, "circle") == 0) {
		double r = num_attr(n, "r", 0);
		ellipse_path(num_attr(n, "cx", 0), num_attr(n, "cy", 0), r, r, &p);
	} else if (strcmp(n->name, "ellipse") == 0) {
		ellipse_path(num_attr(n, "cx", 0), num_attr(n, "cy", 0), num_attr(n, "rx", 0),
		             num_attr(n, "ry", 0), &p);
	} else if (strcmp(n->name, "line") == 0) {
		path_move(&p, num_attr(n, "x1", 0), num_attr(n, "y1", 0));
		path_line(&p, num_attr(n, "x2", 0), num_attr(n, "y2", 0));
		g.filled = 0; /* a line has no inside */
	} else {
		points_path(xnode_attr(n, "points"), &p, strcmp(n->name, "polygon") == 0);
	}
	for (size_t i = 0; i < n->nkids; i++)
		if (!n->kids[i]->ns || strcmp(n->kids[i]->ns, SVG_NS) == 0)
			if (strcmp(n->kids[i]->name, "title") != 0 && strcmp(n->kids[i]->name, "desc") != 0)
				warn(ps, n->kids[i], "element", NULL);
	add_shape(ps, n, &g, &p);
}

/* Fits the viewBox into the viewport (preserveAspectRatio xMidYMid meet). */
static void viewbox_transform(const xnode *root, double w, double h, double m[6])
{
	const char *vb = xnode_attr(root, "viewBox");
	double v[4];
	const char *s = vb;
	if (!vb || svg_number(&s, &v[0]) || svg_number(&s, &v[1]) || svg_number(&s, &v[2]) ||
	    svg_number(&s, &v[3]) || v[2] <= 0 || v[3] <= 0)
		return;
	double scale = fmin(w / v[2], h / v[3]);
	double t[6] = {
	    scale, 0, 0, scale, (w - v[2] * scale) / 2 - v[0] * scale, (h - v[3] * scale) / 2 - v[1] * scale};
	mat_mul(m, t);
}

drawing *svg_from_xnode(const xnode *root, const char *file)
{
	if (strcmp(root->name, "svg") != 0 || (root->ns && strcmp(root->ns, SVG_NS) != 0)) {
		diag(DIAG_ERROR, file, root->line, "not an SVG drawing: the root is <%s>", root->name);
		return NULL;
	}
	double w = -1, h = -1, vbv[4] = {0};
	const char *vb = xnode_attr(root, "viewBox"), *s = vb;
	int has_vb = vb && !svg_number(&s, &vbv[0]) && !svg_number(&s, &vbv[1]) && !svg_number(&s, &vbv[2]) &&
	             !svg_number(&s, &vbv[3]) && vbv[2] > 0 && vbv[3] > 0;
	if (xnode_attr(root, "width") && parse_length(xnode_attr(root, "width"), &w) < 0)
		w = -1;
	if (xnode_attr(root, "height") && parse_length(xnode_attr(root, "height"), &h) < 0)
		h = -1;
	if (w <= 0)
		w = has_vb ? (h > 0 ? h * vbv[2] / vbv[3] : vbv[2]) : -1;
	if (h <= 0)
		h = has_vb ? w * vbv[3] / vbv[2] : -1;
	if (w <= 0 || h <= 0) {
		diag(DIAG_ERROR, file, root->line, "<svg> needs a width and height, or a viewBox");
		return NULL;
	}
	if (!sane(w) || !sane(h) || w < 0.01 || h < 0.01 ||
	    (has_vb && !(sane(vbv[0]) && sane(vbv[1]) && sane(vbv[2]) && sane(vbv[3])))) {
		diag(DIAG_ERROR, file, root->line,
		     "the drawing's size or viewBox is not a number from 0.01 to %g", SVG_MAX_COORD);
		return NULL;
	}
	drawing *d = xcalloc(1, sizeof *d);
	d->file = xstrdup(file);
	d->width = w;
	d->height = h;
	parser ps = {d, file, 0, NULL, 0, 0};
	gstate g = {{1, 0, 0, 1, 0, 0}, 1, {0, 0, 0}, 0, {0, 0, 0},    1,    CAP_BUTT,
	            JOIN_MITER,         0, 16,        0, ANCHOR_START, NULL, 0};
	viewbox_transform(root, w, h, g.m);
	element_state(&ps, root, &g);
	walk_children(&ps, root, &g);
	for (size_t i = 0; i < ps.nwarned; i++)
		free(ps.warned[i]);
	free(ps.warned);
	if (ps.bad_line) {
		diag(DIAG_ERROR, file, ps.bad_line > 0 ? ps.bad_line : root->line,
		     "a coordinate, size or transform here is out of range once transformed (not finite, "
		     "beyond %g, "
		     "or a font size not above 0 and up to %g); the drawing is refused",
		     SVG_MAX_COORD, SVG_MAX_FONT);
		drawing_free(d);
		return NULL;
	}
	return d;
}

drawing *svg_load(const char *file_path)
{
	xnode *root = xml_load(file_path, NULL);
	if (!root)
		return NULL;
	drawing *d = svg_from_xnode(root, file_path);
	xnode_free(root);
	return d;
}

double rgb_luminance(rgb c)
{
	double ch[3] = {c.r, c.g, c.b};
	for (int i = 0; i < 3; i++)
		ch[i] = ch[i] <= 0.04045 ? ch[i] / 12.92 : pow((ch[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

double rgb_contrast(rgb a, rgb b)
{
	double la = rgb_luminance(a), lb = rgb_luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* Whether (x, y) lies within the box around a path's points. */
static int in_path_box(const path *p, double x, double y)
{
	if (!p->nsegs)
		return 0;
	double x0 = p->segs[0].x, x1 = x0, y0 = p->segs[0].y, y1 = y0;
	for (size_t k = 1; k < p->nsegs; k++) {
		const seg *g = &p->segs[k];
		if (g->kind == SEG_CLOSE)
			continue;
		x0 = fmin(x0, g->x), x1 = fmax(x1, g->x), y0 = fmin(y0, g->y), y1 = fmax(y1, g->y);
	}
	return x >= x0 && x <= x1 && y >= y0 && y <= y1;
}

/* Black or white, whichever reads better on fill. */
static rgb ink_on(rgb fill)
{
	rgb black = {0, 0, 0}, white = {1, 1, 1};
	return rgb_contrast(black, fill) >= rgb_contrast(white, fill) ? black : white;
}

drawing *drawing_recolour(const drawing *d, const char *const *ids, size_t nids, rgb fill)
{
	drawing *c = xcalloc(1, sizeof *c);
	c->file = xstrdup(d->file);
	c->width = d->width;
	c->height = d->height;
	c->nitems = c->cap = d->nitems;
	c->items = xcalloc(d->nitems ? d->nitems : 1, sizeof *c->items);
	for (size_t i = 0; i < d->nitems; i++) {
		draw_item *it = &c->items[i];
		*it = d->items[i];
		it->id = d->items[i].id ? xstrdup(d->items[i].id) : NULL;
		it->text = d->items[i].text ? xstrdup(d->items[i].text) : NULL;
		it->path.segs = NULL;
		it->path.nsegs = it->path.cap = 0;
		for (size_t k = 0; k < d->items[i].path.nsegs; k++)
			ARRAY_PUSH(it->path.segs, it->path.nsegs, it->path.cap, d->items[i].path.segs[k]);
		for (size_t k = 0; it->kind == DRAW_SHAPE && it->id && k < nids; k++)
			if (strcmp(it->id, ids[k]) == 0) {
				it->filled = 1;
				it->fill = fill;
			}
	}
	/* A label on a marked shape (the patient's number on the pain scale) is set in the ink
	 * that reads on the mark: its own colour may not. */
	for (size_t i = 0; i < c->nitems; i++) {
		draw_item *label = &c->items[i];
		for (size_t k = 0; label->kind == DRAW_TEXT && k < i; k++) {
			const draw_item *shape = &c->items[k];
			if (shape->kind == DRAW_SHAPE && shape->filled && shape->fill.r == fill.r &&
			    shape->fill.g == fill.g && shape->fill.b == fill.b && shape->id &&
			    in_path_box(&shape->path, label->x, label->y)) {
				for (size_t m = 0; m < nids; m++)
					if (strcmp(shape->id, ids[m]) == 0)
						label->fill = ink_on(fill);
			}
		}
	}
	return c;
}

void drawing_free(drawing *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nitems; i++) {
		path_free(&d->items[i].path);
		free(d->items[i].id);
		free(d->items[i].text);
	}
	free(d->items);
	free(d->file);
	free(d);
}
