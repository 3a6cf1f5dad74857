/* check_svg.c: SVG path data, transforms, colours, malformed drawings, fidelity against
 * librsvg, and a drawing for every selected exercise in the example handouts. */
#include "helpers.h"
#include "image.h"
#include "svg.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static path parse_ok(const char *d)
{
	path p = {0};
	char err[160];
	ck_assert_msg(svgpath_parse(d, &p, err, sizeof err) == 0, "%s: %s", d, err);
	return p;
}

static void assert_end(const path *p, size_t i, seg_kind kind, double x, double y)
{
	ck_assert_uint_lt(i, p->nsegs);
	ck_assert_int_eq(p->segs[i].kind, kind);
	if (kind != SEG_CLOSE)
		ck_assert_msg(fabs(p->segs[i].x - x) < 1e-6 && fabs(p->segs[i].y - y) < 1e-6,
		              "segment %zu ends at (%g, %g), not (%g, %g)", i, p->segs[i].x, p->segs[i].y, x,
		              y);
}

START_TEST(numbers_in_compact_forms)
{
	static const struct {
		const char *text;
		double values[4];
		int n;
	} cases[] = {
	    {"1e-3", {0.001}, 1},     {"-.5.5", {-0.5, 0.5}, 2},  {"10-5", {10, -5}, 2},
	    {"+3,4 5", {3, 4, 5}, 3}, {"1.5e2.5", {150, 0.5}, 2}, {"0.0.0", {0, 0}, 2},
	    {"  7 ,\n8", {7, 8}, 2},  {"2E+1-1", {20, -1}, 2},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *s = cases[i].text;
		for (int k = 0; k < cases[i].n; k++) {
			double v;
			ck_assert_msg(svg_number(&s, &v) == 0, "'%s': number %d missing", cases[i].text, k);
			ck_assert_msg(fabs(v - cases[i].values[k]) < 1e-12, "'%s': number %d is %g",
			              cases[i].text, k, v);
		}
		double extra;
		ck_assert_msg(svg_number(&s, &extra) < 0, "'%s': too many numbers", cases[i].text);
	}
}
END_TEST

START_TEST(relative_commands_and_implicit_repeats)
{
	path p = parse_ok("m10 20 5 5 5 5 h10 v-10 l1 1 1 1 z M0 0 L1 1 2 2");
	assert_end(&p, 0, SEG_MOVE, 10, 20);
	assert_end(&p, 1, SEG_LINE, 15, 25); /* implicit lineto after a relative moveto */
	assert_end(&p, 2, SEG_LINE, 20, 30);
	assert_end(&p, 3, SEG_LINE, 30, 30);
	assert_end(&p, 4, SEG_LINE, 30, 20);
	assert_end(&p, 5, SEG_LINE, 31, 21);
	assert_end(&p, 6, SEG_LINE, 32, 22);
	assert_end(&p, 7, SEG_CLOSE, 0, 0);
	assert_end(&p, 8, SEG_MOVE, 0, 0);
	assert_end(&p, 9, SEG_LINE, 1, 1);
	assert_end(&p, 10, SEG_LINE, 2, 2);
	ck_assert_uint_eq(p.nsegs, 11);
	path_free(&p);
	/* After z, a relative command starts from the subpath's start. */
	p = parse_ok("M10 10 l10 0 z l0 10");
	assert_end(&p, 3, SEG_LINE, 10, 20);
	path_free(&p);
}
END_TEST

START_TEST(smooth_curves_reflect_control_points)
{
	path p = parse_ok("M0 0 C0 10 10 10 10 0 S20 -10 20 0");
	ck_assert_uint_eq(p.nsegs, 3);
	ck_assert(fabs(p.segs[2].x1 - 10) < 1e-9 && fabs(p.segs[2].y1 - -10) < 1e-9);
	path_free(&p);
	p = parse_ok("M0 0 Q5 10 10 0 T20 0");
	/* T reflects (5, 10) about (10, 0) to (15, -10); as a cubic the first control is 2/3 of the way. */
	ck_assert(fabs(p.segs[2].x1 - (10 + 2.0 / 3 * 5)) < 1e-9 && fabs(p.segs[2].y1 - (-20.0 / 3)) < 1e-9);
	path_free(&p);
	p = parse_ok("M0 0 L5 5 S10 10 20 0"); /* S after a line: first control is the current point */
	ck_assert(fabs(p.segs[2].x1 - 5) < 1e-9 && fabs(p.segs[2].y1 - 5) < 1e-9);
	path_free(&p);
}
END_TEST

/* The point of a cubic at t. */
static void cubic_at(double x0, double y0, const seg *s, double t, double *x, double *y)
{
	double u = 1 - t;
	*x = u * u * u * x0 + 3 * u * u * t * s->x1 + 3 * u * t * t * s->x2 + t * t * t * s->x;
	*y = u * u * u * y0 + 3 * u * u * t * s->y1 + 3 * u * t * t * s->y2 + t * t * t * s->y;
}

START_TEST(arcs_with_every_flag_combination)
{
	/* A circle of radius 50 through (0,0) and (60,0): its centre is at (30, +-40). The four
	 * flag combinations pick the four arcs; check where each passes at its middle. */
	/* y points down, so sweep 1 runs clockwise on the page: the small clockwise arc from
	 * left to right goes over the top. */
	static const struct {
		int large, sweep;
		double mid_y; /* the arc's lowest or highest point */
		double cy;    /* the centre it turns around */
	} cases[] = {{0, 0, 10, -40}, {0, 1, -10, 40}, {1, 0, 90, 40}, {1, 1, -90, -40}};
	for (size_t i = 0; i < 4; i++) {
		char d[96];
		format_into(d, sizeof d, "M0 0 A50 50 0 %d%d60 0", cases[i].large,
		            cases[i].sweep); /* flags touching */
		path p = parse_ok(d);
		ck_assert_uint_ge(p.nsegs, 2);
		assert_end(&p, p.nsegs - 1, SEG_CUBIC, 60, 0);
		/* Every point of every cubic lies on the circle, and the extreme y is as expected. */
		double cy = cases[i].cy;
		double x0 = 0, y0 = 0, extreme = 0;
		for (size_t k = 1; k < p.nsegs; k++) {
			for (double t = 0; t <= 1.0001; t += 0.125) {
				double x, y;
				cubic_at(x0, y0, &p.segs[k], t, &x, &y);
				double r = hypot(x - 30, y - cy);
				ck_assert_msg(fabs(r - 50) < 0.05,
				              "flags %d%d: point (%g, %g) is %g from the centre",
				              cases[i].large, cases[i].sweep, x, y, r);
				if (fabs(y) > fabs(extreme))
					extreme = y;
			}
			x0 = p.segs[k].x, y0 = p.segs[k].y;
		}
		ck_assert_msg(fabs(extreme - cases[i].mid_y) < 0.2, "flags %d%d: extreme y %g, want %g",
		              cases[i].large, cases[i].sweep, extreme, cases[i].mid_y);
		path_free(&p);
	}
	/* Radii too small are scaled up; a zero radius is a straight line. */
	path p = parse_ok("M0 0 A1 1 0 0 1 100 0");
	assert_end(&p, p.nsegs - 1, SEG_CUBIC, 100, 0);
	path_free(&p);
	p = parse_ok("M0 0 A0 10 0 0 1 100 0");
	assert_end(&p, 1, SEG_LINE, 100, 0);
	path_free(&p);
}
END_TEST

START_TEST(bad_path_data_keeps_what_came_before)
{
	path p = {0};
	char err[160];
	ck_assert_int_eq(svgpath_parse("M0 0 L10 10 L20 x", &p, err, sizeof err), -1);
	ck_assert_uint_eq(p.nsegs, 2);
	ck_assert_ptr_nonnull(strstr(err, "path command 'L'"));
	path_free(&p);
	ck_assert_int_eq(svgpath_parse("10 10", &p, err, sizeof err), -1);
	ck_assert_int_eq(svgpath_parse("M0 0 A10 10 0 2 0 5 5", &p, err, sizeof err), -1); /* flag 2 */
	path_free(&p);
}
END_TEST

static void apply(const double m[6], double x, double y, double *ox, double *oy)
{
	*ox = m[0] * x + m[2] * y + m[4];
	*oy = m[1] * x + m[3] * y + m[5];
}

START_TEST(transforms)
{
	static const struct {
		const char *t;
		double x, y, want_x, want_y;
	} cases[] = {
	    {"rotate(90)", 1, 0, 0, 1},
	    {"rotate(90 10 10)", 20, 10, 10, 20},
	    {"translate(5) scale(2)", 1, 1, 7, 2},
	    {"scale(2) translate(5)", 1, 1, 12, 2},
	    {"scale(2,3)", 1, 1, 2, 3},
	    {"skewX(45)", 0, 10, 10, 10},
	    {"skewY(45)", 10, 0, 10, 10},
	    {"matrix(1 2 3 4 5 6)", 1, 1, 9, 12},
	    {"translate(10,20),rotate(180)", 1, 0, 9, 20},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double m[6] = {1, 0, 0, 1, 0, 0}, x, y;
		ck_assert_int_eq(svg_parse_transform(cases[i].t, m), 0);
		apply(m, cases[i].x, cases[i].y, &x, &y);
		ck_assert_msg(fabs(x - cases[i].want_x) < 1e-9 && fabs(y - cases[i].want_y) < 1e-9,
		              "%s maps (%g, %g) to (%g, %g)", cases[i].t, cases[i].x, cases[i].y, x, y);
	}
	double m[6] = {1, 0, 0, 1, 0, 0};
	ck_assert_int_eq(svg_parse_transform("rotate(1 2)", m), -1);
	ck_assert_int_eq(svg_parse_transform("spin(3)", m), -1);
}
END_TEST

START_TEST(colours)
{
	rgb c;
	ck_assert_int_eq(svg_parse_colour("red", &c), 1);
	ck_assert(c.r == 1 && c.g == 0 && c.b == 0);
	ck_assert_int_eq(svg_parse_colour("LightSeaGreen", &c), 1);
	ck_assert(fabs(c.r - 0x20 / 255.0) < 1e-9 && fabs(c.g - 0xB2 / 255.0) < 1e-9);
	ck_assert_int_eq(svg_parse_colour("#0f8", &c), 1);
	ck_assert(c.r == 0 && c.g == 1 && fabs(c.b - 0x88 / 255.0) < 1e-9);
	ck_assert_int_eq(svg_parse_colour(" #1D4E89 ", &c), 1);
	ck_assert(fabs(c.b - 0x89 / 255.0) < 1e-9);
	ck_assert_int_eq(svg_parse_colour("rgb(255, 128, 0)", &c), 1);
	ck_assert(fabs(c.g - 128 / 255.0) < 1e-9);
	ck_assert_int_eq(svg_parse_colour("none", &c), 0);
	ck_assert_int_eq(svg_parse_colour("#12", &c), -1);
	ck_assert_int_eq(svg_parse_colour("#ggg", &c), -1);
	ck_assert_int_eq(svg_parse_colour("blurple", &c), -1);
	ck_assert_int_eq(svg_parse_colour("url(#grad)", &c), -1);
}
END_TEST

static drawing *drawing_from(const char *svg)
{
	const char *file = write_temp("d.svg", svg);
	capture_start();
	drawing *d = svg_load(file);
	capture_stop();
	return d;
}

START_TEST(unsupported_features_warn_and_the_rest_draws)
{
	drawing *d = drawing_from(
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" width=\"100\" height=\"100\">\n"
	    "<defs><linearGradient id=\"g\"/></defs>\n"
	    "<rect width=\"10\" height=\"10\" filter=\"url(#f)\" inkscape:label=\"box\"/>\n"
	    "<circle r=\"5\" fill=\"url(#g)\"/>\n"
	    "<path d=\"M0 0 L10 10 L20 oops\" stroke=\"black\"/>\n"
	    "<image href=\"x.png\"/>\n"
	    "<rect width=\"5\" height=\"5\" style=\"fill: blue; mix-blend-mode: multiply\"/>\n"
	    "</svg>\n");
	ck_assert_ptr_nonnull(d);
	const char *out = captured();
	ck_assert_msg(strstr(out, "d.svg:2: warning: <defs> is not supported; skipped"), "%s", out);
	ck_assert_msg(strstr(out, "d.svg:3: warning: <rect>: attribute 'filter' is not supported"), "%s",
	              out);
	ck_assert_msg(!strstr(out, "label"), "editor attributes must pass silently: %s", out);
	ck_assert_msg(strstr(out, "d.svg:4: warning: <circle>: value of 'fill' is not supported"), "%s", out);
	ck_assert_msg(strstr(out, "d.svg:5: warning: <path>: bad or missing numbers"), "%s", out);
	ck_assert_msg(strstr(out, "d.svg:6: warning: <image> is not supported; skipped"), "%s", out);
	ck_assert_msg(
	    strstr(out, "d.svg:7: warning: <rect>: style property 'mix-blend-mode' is not supported"), "%s",
	    out);
	/* rect, circle (black, the default), the partial path, the blue rect. */
	ck_assert_uint_eq(d->nitems, 4);
	ck_assert_uint_eq(d->items[2].path.nsegs, 2);
	ck_assert(d->items[3].fill.b == 1);
	ck_assert_int_ge(d->warnings, 6);
	drawing_free(d);
}
END_TEST

START_TEST(malformed_svg_refused_without_crash)
{
	static const char *const bad[] = {
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect></svg>",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
	    "<html/>",
	    "",
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"-5\" height=\"abc\"/>",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		drawing *d = drawing_from(bad[i]);
		ck_assert_msg(d == NULL, "case %zu accepted", i);
		ck_assert_msg(strstr(captured(), "d.svg"), "case %zu: no message naming the file: %s", i,
		              captured());
	}
}
END_TEST

START_TEST(inkscape_plain_svg_draws_without_warnings)
{
	char *file = path_join(data_dir(), "tests/svg/inkscape.svg");
	capture_start();
	drawing *d = svg_load(file);
	capture_stop();
	free(file);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(*captured() == '\0', "warnings for Inkscape's harmless output: %s", captured());
	ck_assert_int_eq(d->warnings, 0);
	ck_assert_uint_eq(d->nitems, 3);
	ck_assert_int_eq(d->items[2].kind, DRAW_TEXT);
	ck_assert_str_eq(d->items[2].text, "Lift slowly"); /* from the <tspan> */
	ck_assert(d->items[2].bold && d->items[2].anchor == ANCHOR_MIDDLE);
	/* 80 mm wide; the viewBox maps 80 units onto it. */
	ck_assert(fabs(d->width - 80 * 96 / 25.4) < 1e-6);
	ck_assert(fabs(d->items[2].x - 40 * 96 / 25.4) < 1e-6);
	drawing_free(d);
}
END_TEST

START_TEST(recolour_marks_ids_and_their_groups)
{
	drawing *d =
	    drawing_from("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">"
	                 "<g id=\"a\"><rect width=\"1\" height=\"1\"/><rect width=\"2\" height=\"2\"/></g>"
	                 "<rect id=\"b\" width=\"1\" height=\"1\" fill=\"none\" stroke=\"red\"/></svg>");
	ck_assert_ptr_nonnull(d);
	const char *ids[] = {"a", "b"};
	rgb mark = {1, 0.5, 0};
	drawing *m = drawing_recolour(d, ids, 2, mark);
	for (size_t i = 0; i < 3; i++)
		ck_assert(m->items[i].filled && m->items[i].fill.g == 0.5);
	ck_assert(!d->items[2].filled); /* the original is untouched */
	drawing_free(m);
	drawing_free(d);
}
END_TEST

/* Issue 21: the patient's number on the pain scale was dark blue on the orange mark,
 * 2.28:1. Every label on a marked box must reach WCAG's 4.5:1 against the mark, in the
 * shipped scale, whatever the score. */
START_TEST(a_label_on_a_mark_reads)
{
	char file[4096];
	format_into(file, sizeof file, "%s/content/diagrams/pain-scale.svg", data_dir());
	drawing *d = svg_load(file);
	ck_assert_ptr_nonnull(d);
	rgb mark = {0xe4 / 255.0, 0x57 / 255.0, 0x2e / 255.0}; /* the templates' mark colour */
	for (int score = 0; score <= 10; score++) {
		char id[32];
		format_into(id, sizeof id, "pain-score-%d", score);
		const char *ids[] = {id};
		drawing *m = drawing_recolour(d, ids, 1, mark);
		char digits[4];
		format_into(digits, sizeof digits, "%d", score);
		int found = 0;
		for (size_t i = 0; i < m->nitems; i++)
			if (m->items[i].kind == DRAW_TEXT && strcmp(m->items[i].text, digits) == 0) {
				found = 1;
				ck_assert_msg(rgb_contrast(m->items[i].fill, mark) >= 4.5, "score %d: %.2f:1",
				              score, rgb_contrast(m->items[i].fill, mark));
			} else if (m->items[i].kind == DRAW_TEXT) {
				ck_assert(memcmp(&m->items[i].fill, &d->items[i].fill, sizeof mark) ==
				          0); /* others keep theirs */
			}
		ck_assert_msg(found, "no label %s", digits);
		drawing_free(m);
	}
	drawing_free(d);
	ck_assert_double_eq_tol(rgb_contrast((rgb){0, 0, 0}, (rgb){1, 1, 1}), 21, 1e-9);
}
END_TEST

/* Reads a binary PPM (P6) as RGB. */
static unsigned char *read_ppm(const char *file, int *w, int *h)
{
	size_t len;
	char *data = file_read_all(file, &len);
	ck_assert_ptr_nonnull(data);
	int maxv, off;
	ck_assert_int_eq(sscanf(data, "P6 %d %d %d%n", w, h, &maxv, &off), 3);
	unsigned char *pixels = xmalloc((size_t)*w * *h * 3);
	memcpy(pixels, data + off + 1, (size_t)*w * *h * 3);
	free(data);
	return pixels;
}

/* Renders tests/svg/NAME with librsvg and with handout draw + pdftoppm at the same size,
 * and compares pixels. */
START_TEST(fidelity_against_librsvg)
{
	static const char *const names[] = {"shapes", "paths", "transforms", "style", "viewbox"};
	const char *name = names[_i];
	const char *dir = temp_dir();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && rsvg-convert -b white tests/svg/%2$s.svg -o '%3$s/ref.png' && "
	            "./handout draw tests/svg/%2$s.svg -o '%3$s/our.pdf' 2>&1 && "
	            "W=$(file '%3$s/ref.png' | sed 's/.*, \\([0-9]*\\) x \\([0-9]*\\),.*/\\1/') && "
	            "H=$(file '%3$s/ref.png' | sed 's/.*, \\([0-9]*\\) x \\([0-9]*\\),.*/\\2/') && "
	            "pdftoppm -scale-to-x $W -scale-to-y $H -singlefile '%3$s/our.pdf' '%3$s/our'",
	            data_dir(), name, dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0, "%s: %s", name, out);
	ck_assert_msg(!strstr(out, "warning"), "%s uses something unsupported: %s", name, out);
	free(out);
	char ref_path[4096], our_path[300];
	format_into(ref_path, sizeof ref_path, "%s/ref.png", dir);
	format_into(our_path, sizeof our_path, "%s/our.ppm", dir);
	image *ref = image_load_png(ref_path);
	ck_assert_ptr_nonnull(ref);
	int w, h;
	unsigned char *ours = read_ppm(our_path, &w, &h);
	ck_assert_int_eq(w, (int)ref->width);
	ck_assert_int_eq(h, (int)ref->height);
	int largest = 0;
	double sum = 0;
	size_t far = 0, n = (size_t)w * h;
	for (size_t i = 0; i < n; i++) {
		int px = 0;
		for (int c = 0; c < 3; c++) {
			int diff = abs((int)ours[i * 3 + c] - (int)ref->rgb[i * 3 + c]);
			sum += diff;
			if (diff > px)
				px = diff;
		}
		if (px > largest)
			largest = px;
		far += px > 64;
	}
	double mean = sum / (n * 3.0), far_pct = 100.0 * far / n;
	printf("svg fidelity %-10s largest difference %3d/255, mean %.2f, %.2f%% of pixels differ by more "
	       "than 64\n",
	       name, largest, mean, far_pct);
	/* Anti-aliasing differs at edges; shapes, positions and colours must not. */
	ck_assert_msg(mean < 3.0 && far_pct < 1.5, "%s: mean difference %.2f, %.2f%% far off", name, mean,
	              far_pct);
	free(ours);
	image_free(ref);
}
END_TEST

START_TEST(every_selected_exercise_has_its_drawing)
{
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && ./handout build --dump layout --settings examples/clinic.xml --date 2026-11-24 "
	    "examples/patients.xml && ./handout explain examples/patients.xml",
	    data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	/* For each explain line, the patient's dump must draw each exercise's diagram. */
	int checked = 0;
	for (char *line = strstr(out, "{\"patient\":\""); line; line = strstr(line + 1, "{\"patient\":\"")) {
		char id[32];
		ck_assert_int_eq(sscanf(line, "{\"patient\":\"%31[^\"]", id), 1);
		char header[64];
		format_into(header, sizeof header, "# patient %s\n", id);
		char *dump = strstr(out, header);
		ck_assert_ptr_nonnull(dump);
		char *next = strstr(dump + 1, "# patient ");
		char *ex = strstr(line, "\"exercises\":[");
		char *end = strchr(ex, ']');
		for (char *q = strchr(ex + 13, '"'); q && q < end; q = strchr(q + 1, '"')) {
			char name[64], want[96];
			ck_assert_int_eq(sscanf(q, "\"%63[^\"]", name), 1);
			format_into(want, sizeof want, "  drawing %s.svg ", name);
			char *found = strstr(dump, want);
			ck_assert_msg(found && (!next || found < next), "%s: no drawing for %s", id, name);
			q = strchr(q + 1, '"');
			checked++;
		}
	}
	ck_assert_int_ge(checked, 20);
	free(out);
}
END_TEST

START_TEST(check_reports_a_missing_drawing)
{
	int status;
	char *out = check_edited_copy(
	    "rm content/diagrams/swimming.svg && "
	    "printf '<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/>' > content/diagrams/body-map.svg",
	    &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "content/exercises.xml:") && strstr(out, "diagram 'swimming'"), "%s", out);
	ck_assert_msg(strstr(out, "content/questionnaire.xml:") && strstr(out, "diagram 'body-map'"), "%s",
	              out);
	free(out);
}
END_TEST

Suite *svg_suite(void)
{
	Suite *s = suite_create("svg");
	TCase *tc = tcase_create("drawings");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, numbers_in_compact_forms);
	tcase_add_test(tc, relative_commands_and_implicit_repeats);
	tcase_add_test(tc, smooth_curves_reflect_control_points);
	tcase_add_test(tc, arcs_with_every_flag_combination);
	tcase_add_test(tc, bad_path_data_keeps_what_came_before);
	tcase_add_test(tc, transforms);
	tcase_add_test(tc, colours);
	tcase_add_test(tc, unsupported_features_warn_and_the_rest_draws);
	tcase_add_test(tc, malformed_svg_refused_without_crash);
	tcase_add_test(tc, inkscape_plain_svg_draws_without_warnings);
	tcase_add_test(tc, recolour_marks_ids_and_their_groups);
	tcase_add_test(tc, a_label_on_a_mark_reads);
	tcase_add_loop_test(tc, fidelity_against_librsvg, 0, 5);
	tcase_add_test(tc, every_selected_exercise_has_its_drawing);
	tcase_add_test(tc, check_reports_a_missing_drawing);
	suite_add_tcase(s, tc);
	return s;
}
