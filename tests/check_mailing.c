/* check_mailing.c: window-envelope letters and their print-ready bundles, read back from
 * the PDFs: every word of the address inside the window and nothing else in it, for both
 * envelope styles and all four templates; bundle pages against the manifest. */
#include "content.h"
#include "helpers.h"
#include "manifest.h"
#include "patient.h"
#include "reader.h"
#include "util.h"
#include "xml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define IN 72.0

typedef struct window {
	const char *style, *tmpl;
	double left, top, right, bottom; /* points from the page's top left, as pdftotext gives */
} window;

static const window windows[] = {
    {"din5008", "a4", 20 * MM, 45 * MM, 105 * MM, 90 * MM},
    {"din5008", "a4-large", 20 * MM, 45 * MM, 105 * MM, 90 * MM},
    {"us10", "letter", 0.875 * IN, 2.0 * IN, 4.5 * IN, 3.125 * IN},
    {"us10", "letter-large", 0.875 * IN, 2.0 * IN, 4.5 * IN, 3.125 * IN},
};

typedef struct word {
	double x0, y0, x1, y1;
	const char *text;
} word;

/* The words of one page of a PDF, as pdftotext -bbox places them (caller frees tree). */
static size_t page_words(const char *pdf, size_t page, xnode **tree, word *out, size_t max)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "pdftotext -bbox -f %zu -l %zu '%s' - | sed '1s/^<!DOCTYPE[^>]*>//'",
	            page, page, pdf);
	int status;
	char *html = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	*tree = xml_load(write_temp("page.html", html), NULL);
	free(html);
	ck_assert_ptr_nonnull(*tree);
	const xnode *doc = xnode_child(xnode_child(*tree, "body"), "doc");
	const xnode *pg = xnode_child(doc, "page");
	size_t n = 0;
	for (size_t i = 0; pg && i < pg->nkids && n < max; i++) {
		const xnode *w = pg->kids[i];
		out[n++] = (word){atof(xnode_attr(w, "xMin")), atof(xnode_attr(w, "yMin")),
		                  atof(xnode_attr(w, "xMax")), atof(xnode_attr(w, "yMax")), w->text};
	}
	return n;
}

static int inside(const word *w, const window *win)
{
	const double slack = 0.5; /* pdftotext rounds; the font box reaches a little above the letters */
	return w->x0 >= win->left - slack && w->x1 <= win->right + slack && w->y0 >= win->top - slack &&
	       w->y1 <= win->bottom + slack;
}

static int overlaps(const word *w, const window *win)
{
	return w->x1 > win->left && w->x0 < win->right && w->y1 > win->top && w->y0 < win->bottom;
}

/* The example patients, for their names and addresses. */
typedef struct people {
	patient *p[32];
	size_t n;
} people;

static int keep_patient(void *ctx, patient *p)
{
	people *pp = ctx;
	ck_assert_uint_lt(pp->n, 32);
	pp->p[pp->n++] = p;
	return 0;
}

static const patient *find(const people *pp, const char *id)
{
	for (size_t i = 0; i < pp->n; i++)
		if (strcmp(pp->p[i]->id, id) == 0)
			return pp->p[i];
	return NULL;
}

/* 1 when every space-separated word of text is among the words inside the window. */
static int words_inside(const char *text, const word *w, size_t n, const window *win)
{
	char *copy = strdup(text);
	int all = 1;
	for (char *save, *tok = strtok_r(copy, " ", &save); tok && all; tok = strtok_r(NULL, " ", &save)) {
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = strcmp(w[i].text, tok) == 0 && inside(&w[i], win);
		all = found;
	}
	free(copy);
	return all;
}

START_TEST(address_sits_in_the_window)
{
	const window *win = &windows[_i];
	char path[4096];
	format_into(path, sizeof path, "%s/examples/patients.xml", data_dir());
	char *paths[] = {path};
	people pp = {0};
	reader_stats st;
	reader_each(paths, 1, &shipped_content()->questionnaire, NULL, keep_patient, &pp, &st);

	char dir[4096];
	format_into(dir, sizeof dir, "%s", temp_dir());
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && HANDOUT_DATA=. ./handout batch -q --mailing %s -t %s --settings examples/clinic.xml "
	    "--date 2026-11-24 examples/patients.xml -o '%s/out'",
	    data_dir(), win->style, win->tmpl, dir);
	int status;
	free(run_command(cmd, &status));
	ck_assert_int_eq(status, 0);

	char mpath[4096], bundle[700];
	format_into(mpath, sizeof mpath, "%s/out/manifest.csv", dir);
	manifest_reader *m = manifest_open(mpath);
	ck_assert_ptr_nonnull(m);
	manifest_row row;
	size_t letters = 0, expect_next = 1, addressed = 0;
	while (manifest_next(m, &row)) {
		const patient *p = find(&pp, row.field[M_PATIENT]);
		ck_assert_ptr_nonnull(p);
		/* Urgent and today patients are phoned, never mailed: a letter would come too late. */
		int phoned = !strcmp(row.field[M_NOTICE], "urgent") || !strcmp(row.field[M_NOTICE], "today");
		int mail = p->naddress > 0 && p->name && !phoned;
		addressed += (size_t)mail;
		ck_assert_msg(mail == (*row.field[M_BUNDLE] != 0), "patient %s: mailed %d, bundle '%s'",
		              p->id, mail, row.field[M_BUNDLE]);
		if (!mail) { /* the manifest says why; the handout is made all the same */
			ck_assert_str_eq(row.field[M_STATUS], "ok");
			ck_assert_msg(!strncmp(row.field[M_ERROR], "not mailed: ", 12), "%s: error '%s'",
			              p->id, row.field[M_ERROR]);
			if (phoned)
				ck_assert_msg(strstr(row.field[M_ERROR], row.field[M_NOTICE]), "%s: %s",
				              p->id, row.field[M_ERROR]);
			continue;
		}
		ck_assert_str_eq(row.field[M_BUNDLE], "mailing-0001.pdf");
		/* Letters follow one another, each padded to whole sheets: it starts on a front. */
		size_t first = (size_t)atol(row.field[M_FIRST_PAGE]),
		       pages = (size_t)atol(row.field[M_PAGES]);
		ck_assert_uint_eq(first, expect_next);
		ck_assert_uint_eq(first % 2, 1);
		expect_next = first + pages + pages % 2;
		format_into(bundle, sizeof bundle, "%s/out/%s", dir, row.field[M_BUNDLE]);
		xnode *tree;
		word w[600];
		size_t n = page_words(bundle, first, &tree, w, 600);
		ck_assert_msg(words_inside(p->name, w, n, win), "%s %s: the name is not in the window",
		              win->tmpl, p->id);
		for (size_t k = 0; k < p->naddress; k++)
			ck_assert_msg(words_inside(p->address[k], w, n, win),
			              "%s %s: address line %zu is not in the window", win->tmpl, p->id,
			              k + 1);
		ck_assert_msg(words_inside("Riverside Massage", w, n, win), "%s %s: no sender line",
		              win->tmpl, p->id);
		/* Nothing else reaches into the window. */
		for (size_t k = 0; k < n; k++)
			if (overlaps(&w[k], win))
				ck_assert_msg(inside(&w[k], win), "%s %s: '%s' crosses the window's edge",
				              win->tmpl, p->id, w[k].text);
		/* The letter's own PDF is the same letter. */
		letters++;
		xnode_free(tree);
	}
	manifest_close(m);
	ck_assert_uint_ge(letters, 5);
	ck_assert_uint_eq(letters, addressed);
	/* Each font program once in the bundle (its encodings share it). */
	format_into(cmd, sizeof cmd,
	            "pdfinfo '%s' | awk '/^Pages:/ {print $2}'; qpdf --qdf --object-streams=disable '%s' - | "
	            "grep -a -c /FontFile2",
	            bundle, bundle);
	char *out = run_command(cmd, &status);
	size_t bundle_pages = 0, fonts = 0;
	ck_assert_int_eq(sscanf(out, "%zu %zu", &bundle_pages, &fonts), 2);
	ck_assert_uint_eq(bundle_pages, expect_next - 1);
	ck_assert_uint_eq(fonts, 2); /* regular and bold, once for all the letters */
	free(out);
	for (size_t i = 0; i < pp.n; i++)
		patient_free(pp.p[i]);
}
END_TEST

/* Where each envelope style lets the block be written: the window less its margins (mail.c
 * says why each number), in points from the page's top left. DIN 5008 form B: the address
 * from 25 mm, below the 62.7 mm line, the sender line in the zone above that line; US #10:
 * 1/8 in inside every edge of the window. */
typedef struct area {
	const char *style, *tmpl;
	double left, right;                              /* both the sender line and the address */
	double sender_top, sender_bottom;                /* the sender line with its rule */
	double address_top, address_bottom;              /* the name and the address lines */
	double win_left, win_top, win_right, win_bottom; /* the window itself */
	size_t max_lines;                                /* the name and the address lines it takes */
} area;

static const area areas[] = {
    {"din5008", "a4", 25 * MM, 100 * MM, 45 * MM, 62.7 * MM, 62.7 * MM, 90 * MM, 20 * MM, 45 * MM, 105 * MM,
     90 * MM, 6},
    {"din5008", "a4-large", 25 * MM, 100 * MM, 45 * MM, 62.7 * MM, 62.7 * MM, 90 * MM, 20 * MM, 45 * MM,
     105 * MM, 90 * MM, 6},
    {"us10", "letter", 1.0 * IN, 4.375 * IN, 2.125 * IN, 3.0 * IN, 2.125 * IN, 3.0 * IN, 0.875 * IN, 2.0 * IN,
     4.5 * IN, 3.125 * IN, 4},
    {"us10", "letter-large", 1.0 * IN, 4.375 * IN, 2.125 * IN, 3.0 * IN, 2.125 * IN, 3.0 * IN, 0.875 * IN,
     2.0 * IN, 4.5 * IN, 3.125 * IN, 4},
};

/* One item of a layout dump's page, as a box in points from the page's top left: text by
 * the ink of its letters (accents reach 1.0 em above the baseline, descenders 0.25 em
 * below), a rectangle as it is. */
typedef struct box {
	double left, top, right, bottom, size;
	int text;
} box;

static int box_within(const box *b, double left, double top, double right, double bottom)
{
	const double eps = 0.01; /* the dump's rounding */
	return b->left >= left - eps && b->right <= right + eps && b->top >= top - eps &&
	       b->bottom <= bottom + eps;
}

/* Checks one letter's first page (the dump lines of page 1) against its area; returns the
 * address lines found and the widest one's right edge. */
static size_t check_letter_page(const area *a, const char *id, char **lines, size_t n, double page_h,
                                double *right)
{
	size_t address = 0, sender = 0;
	*right = 0;
	for (size_t i = 0; i < n; i++) {
		box b = {0};
		double x, y, w, h;
		char face[16];
		if (sscanf(lines[i], "  text %lf %lf w=%lf %15s %lf", &x, &y, &w, face, &b.size) == 5) {
			b = (box){x, page_h - y - b.size, x + w, page_h - y + 0.25 * b.size, b.size, 1};
		} else if (sscanf(lines[i], "  rect %lf %lf %lf %lf", &x, &y, &w, &h) == 4) {
			b = (box){x, page_h - y - h, x + w, page_h - y, 0, 0};
		} else {
			continue;
		}
		if (!(b.right > a->win_left && b.left < a->win_right && b.bottom > a->win_top &&
		      b.top < a->win_bottom))
			continue; /* not in the window */
		if (b.text && b.size == 10.0) {
			ck_assert_msg(box_within(&b, a->left, a->address_top, a->right, a->address_bottom),
			              "%s %s: address line outside the window less its margins: %s", a->tmpl,
			              id, lines[i]);
			address++;
			*right = b.right > *right ? b.right : *right;
		} else {
			ck_assert_msg(box_within(&b, a->left, a->sender_top, a->right, a->sender_bottom),
			              "%s %s: in the window, outside the sender's zone: %s", a->tmpl, id,
			              lines[i]);
			sender += b.text;
		}
	}
	ck_assert_msg(sender == 1, "%s %s: %zu sender lines", a->tmpl, id, sender);
	return address;
}

/* Every letter of a generated population and the longest addresses the window takes, read
 * from build --mailing --dump layout: the block is inside the window less its margins (the
 * address below DIN's 62.7 mm line, from 25 mm; 1/8 in from every edge of the US window),
 * and on A4 the fold marks (105, 210 mm) and the hole mark (148.5 mm) are in the left
 * margin. */
START_TEST(address_block_keeps_the_window_margins)
{
	const area *a = &areas[_i];
	/* Long addresses: the name and the most lines the window takes, each line as wide as
	 * the patient's number allows (Å and g for the accents and the descenders). */
	strbuf xml = {0};
	sb_append(&xml, "<patients>");
	for (int k = 6; k <= 16; k++) {
		strbuf line = {0};
		sb_append(&line, "Åg");
		for (int j = 0; j < k; j++)
			sb_append(&line, "Mm");
		sb_printf(&xml, "<patient id=\"L%d\"><name>%s</name><address>", k, line.data);
		for (size_t j = 1; j < a->max_lines; j++)
			sb_printf(&xml, "<line>%s</line>", line.data);
		sb_printf(&xml, "</address><answers><answer q=\"pain-score\">2</answer></answers></patient>");
		sb_free(&line);
	}
	sb_append(&xml, "<patient id=\"T1\"><name>Too Many</name><address>");
	for (size_t j = 0; j < a->max_lines; j++)
		sb_append(&xml, "<line>1 Short St</line>");
	sb_append(&xml,
	          "</address><answers><answer q=\"pain-score\">2</answer></answers></patient></patients>");
	const char *longest = write_temp("long.xml", xml.data);
	sb_free(&xml);
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && build/gen_patients 150 %d > '%s/pop.xml' && HANDOUT_DATA=. ./handout build -q "
	    "--mailing %s "
	    "-t %s --settings examples/clinic.xml --date 2026-11-24 --dump layout '%s/pop.xml' '%s' 2>&1",
	    data_dir(), 21 + _i, temp_dir(), a->style, a->tmpl, temp_dir(), longest);
	int status;
	char *out = run_command(cmd, &status);
	char **lines = NULL;
	size_t nlines = 0, cap = 0;
	for (char *save, *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (nlines == cap)
			lines = realloc(lines, (cap = cap ? 2 * cap : 1024) * sizeof *lines);
		lines[nlines++] = l;
	}
	size_t letters = 0, long_letters = 0;
	double widest = 0;
	int too_many_refused = 0;
	for (size_t i = 0; i < nlines; i++) {
		if (strstr(lines[i], "patient T1: no letter was made: the name and"))
			too_many_refused = 1;
		if (strncmp(lines[i], "# patient ", 10) != 0)
			continue;
		const char *id = lines[i] + 10;
		double w_pt, h_pt;
		ck_assert_int_eq(sscanf(lines[i + 1], "page 1 of %*u (%lf x %lf)", &w_pt, &h_pt), 2);
		size_t end = i + 2;
		while (end < nlines && strncmp(lines[end], "page ", 5) != 0 &&
		       strncmp(lines[end], "# patient ", 10) != 0)
			end++;
		int letter = 0;
		for (size_t k = i + 2; k < end && !letter; k++)
			letter = strstr(lines[k], " regular 7.0 ") != NULL;
		if (!letter)
			continue; /* an urgent or today handout: phoned, not mailed */
		double right;
		size_t found = check_letter_page(a, id, lines + i + 2, end - i - 2, h_pt, &right);
		letters++;
		if (id[0] == 'L') {
			ck_assert_uint_eq(found, a->max_lines);
			long_letters++;
			widest = right > widest ? right : widest;
		} else {
			ck_assert_uint_eq(found, 3); /* the name, the street, the town */
		}
		/* The marks: thin rules in the left margin, at DIN's heights. */
		size_t marks = 0;
		for (size_t k = i + 2; k < end; k++) {
			double x, y, w, h;
			if (sscanf(lines[k], "  rect %lf %lf %lf %lf", &x, &y, &w, &h) == 4 &&
			    x + w < 15 * MM) {
				double at = h_pt - y - h / 2;
				ck_assert_msg(fabs(at - 105 * MM) < 0.01 || fabs(at - 148.5 * MM) < 0.01 ||
				                  fabs(at - 210 * MM) < 0.01,
				              "%s %s: a mark at %.2f mm", a->tmpl, id, at / MM);
				ck_assert_double_ge(x, 4.9 * MM); /* where a printer still prints */
				marks++;
			}
		}
		ck_assert_uint_eq(marks, strcmp(a->style, "din5008") == 0 ? 3 : 0);
	}
	ck_assert_msg(letters >= 100, "%s: only %zu letters", a->tmpl, letters);
	/* Some of the long addresses were too wide, and the widest taken reaches the margin. */
	ck_assert_msg(long_letters >= 2 && long_letters < 11, "%s: %zu long letters", a->tmpl, long_letters);
	ck_assert_msg(widest > a->right - 20, "%s: the widest address line ends %.1f pt before the margin",
	              a->tmpl, a->right - widest);
	ck_assert_msg(too_many_refused, "%s: an address one line too long was not refused", a->tmpl);
	free(lines);
	free(out);
}
END_TEST

/* Chinese names beyond GB 2312 (a traditional character, characters common in names) are
 * printed, not replaced by the id: on a zh-Hans handout's pages and on its letter's envelope
 * window, as pdftotext reads them back. */
START_TEST(cjk_names_print_on_handouts_and_letters)
{
	static const char *const names[] = {"\xE6\x9D\x8E\xE5\xB0\x8F\xE9\xBE\x8D", /* 李小龍 */
	                                    "\xE7\x8E\x8B\xE5\x96\x86",             /* 王喆 */
	                                    "\xE5\xBC\xA0\xE5\xA0\x83"};            /* 张堃 */
	strbuf xml = {0};
	sb_append(&xml, "<patients>");
	for (size_t i = 0; i < 3; i++)
		sb_printf(&xml,
		          "<patient id=\"C%zu\"><name>%s</name><language>zh-Hans</language><address>"
		          "<line>\xE5\x8C\x97\xE4\xBA\xAC\xE5\xB8\x82\xE6\x9C\x9D\xE9\x98\xB3\xE5\x8C\xBA "
		          "88</line>" /* 北京市朝阳区 */
		          "<line>100022</line></address><answers><answer "
		          "q=\"pain-score\">%zu</answer></answers></patient>",
		          i + 1, names[i], i + 2);
	sb_append(&xml, "</patients>");
	const char *in = write_temp("cjk.xml", xml.data);
	sb_free(&xml);
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && HANDOUT_DATA=. ./handout batch -q --mailing din5008 --settings "
	    "examples/clinic.xml "
	    "--date 2026-11-24 '%s' -o $D/out 2>&1; echo status=$?; for i in 1 2 3; do echo \"== C$i\"; "
	    "pdftotext -enc UTF-8 -l 1 $D/out/C$i.pdf - | head -3; done; echo '== bundle'; "
	    "pdftotext -enc UTF-8 -x 60 -y 120 -W 260 -H 150 $D/out/mailing-0001.pdf -; "
	    "pdffonts $D/out/C1.pdf; rm -r $D",
	    data_dir(), in);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "status=0\n"), "%s", out);
	ck_assert_msg(!strstr(out, "patient id in its place") && !strstr(out, "warning"), "%s", out);
	const char *bundle = strstr(out, "== bundle");
	ck_assert_ptr_nonnull(bundle);
	for (size_t i = 0; i < 3; i++) {
		char head[16];
		format_into(head, sizeof head, "== C%zu\n", i + 1);
		const char *page = strstr(out, head);
		ck_assert_msg(page && strstr(page, names[i]) && strstr(page, names[i]) < bundle,
		              "handout C%zu: %s", i + 1, out);
		/* In the bundle's window area (the crop above holds the window of every letter). */
		ck_assert_msg(strstr(bundle, names[i]), "letter C%zu: %s", i + 1, out);
	}
	ck_assert_msg(strstr(out, "WenQuanYi"), "the CJK font is not embedded: %s", out);
	free(out);
}
END_TEST

/* An address the window cannot hold is an error for that letter, never text outside it;
 * the other patients are mailed; bundles split at --bundle-size. */
START_TEST(address_too_long_is_an_error_for_its_letter)
{
	const char *xml = write_temp(
	    "p.xml",
	    "<patients>"
	    "<patient id=\"A\"><name>Ann Lee</name><address><line>1 Short "
	    "St</line><line>Leeds</line></address>"
	    "<answers><answer q=\"pain-score\">2</answer></answers></patient>"
	    "<patient id=\"B\"><name>Bo Wu</name><address><line>Flat 1234, The Very Long Building Name With "
	    "Many Words, "
	    "Upper Extremely Long Street Name</line></address>"
	    "<answers><answer q=\"pain-score\">2</answer></answers></patient>"
	    "<patient id=\"C\"><name>Cy "
	    "Ng</name><address><line>1</line><line>2</line><line>3</line><line>4</line>"
	    "<line>5</line><line>6</line><line>7</line></address>"
	    "<answers><answer q=\"pain-score\">2</answer></answers></patient>"
	    "<patient id=\"D\"><name>Di Ho</name><address><line>4 Long Lane</line><line>York</line></address>"
	    "<answers><answer q=\"pain-score\">3</answer></answers></patient>"
	    "</patients>");
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(dirname '%s') && HANDOUT_DATA=. ./handout batch -q --mailing din5008 "
	            "--bundle-size 1 "
	            "--date 2026-11-24 '%s' -o $D/out 2>&1; echo \"rc=$?\"; cut -d, -f1,3,10,17,18 "
	            "$D/out/manifest.csv; ls $D/out",
	            data_dir(), xml, xml);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "rc=1"), "%s", out);
	ck_assert_msg(
	    strstr(out,
	           "patient B: no letter was made: address line 1 is wider than the envelope window (75 mm)"),
	    "%s", out);
	ck_assert_msg(strstr(out, "patient C: no letter was made: the name and 7 address lines do not fit"),
	              "%s", out);
	ck_assert_msg(strstr(out, "A,ok,,mailing-0001.pdf,1"), "%s", out);
	ck_assert_msg(strstr(out, "D,ok,,mailing-0002.pdf,1"), "%s", out);
	ck_assert_msg(!strstr(out, "B.pdf") && !strstr(out, "mailing-0003.pdf"), "%s", out);
	free(out);
}
END_TEST

/* --resume keeps the PDFs that still match and rebuilds the bundles from every letter, so
 * an unchanged run gives the same bytes and a changed letter shows in its bundle; a smaller
 * run leaves no bundle of the larger one behind. */
START_TEST(resume_rebuilds_bundles)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(mktemp -d) && run() { HANDOUT_DATA=. ./handout batch -q --mailing "
	            "din5008 --bundle-size 3 "
	            "--settings examples/clinic.xml --date 2026-11-24 \"$@\" -o $D/out; }; "
	            "run examples/patients.xml && sha256sum $D/out/mailing-*.pdf > $D/first && "
	            "run --resume examples/patients.xml && sha256sum $D/out/mailing-*.pdf | cmp - $D/first "
	            "&& echo same && "
	            "sed 's/<answer q=\"pain-score\">5</<answer q=\"pain-score\">9</' examples/patients.xml "
	            "> $D/changed.xml && "
	            "run --resume $D/changed.xml && sha256sum $D/out/mailing-*.pdf | cmp -s - $D/first || "
	            "echo changed; "
	            "head -n 4 examples/patients.xml > $D/few.xml; sed -n '/<patient "
	            "id=\"P-0005\">/,/<\\/patient>/p' examples/patients.xml >> $D/few.xml; "
	            "echo '</patients>' >> $D/few.xml; run $D/few.xml; ls $D/out | grep mailing; rm -r $D",
	            data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "same\n"), "%s", out);
	ck_assert_msg(strstr(out, "changed\n"), "%s", out);
	ck_assert_msg(strstr(out, "mailing-0001.pdf\n") && !strstr(out, "mailing-0002.pdf"), "%s", out);
	free(out);
}
END_TEST

/* An urgent patient with an address is never in a bundle (a letter that says "go now"
 * arrives days late), in every template: its own PDF still says go now, first thing. */
START_TEST(urgent_patient_is_not_mailed)
{
	const window *win = &windows[_i];
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(mktemp -d) && HANDOUT_DATA=. ./handout batch -q --mailing %s -t %s "
	            "--settings examples/clinic.xml --date 2026-11-24 examples/patients.xml -o $D/out && "
	            "grep '^P-0004,' $D/out/manifest.csv && pdftotext -raw $D/out/P-0004.pdf - && "
	            "pdftotext -raw $D/out/mailing-0001.pdf - | grep -c 'Strada Lung'; rm -r $D",
	            data_dir(), win->style, win->tmpl);
	int status;
	char *text = run_command(cmd, &status);
	ck_assert_msg(strstr(text, "not mailed: urgent notice"), "%s: %.300s", win->tmpl, text);
	ck_assert_msg(strstr(text, "\nGet medical help now"), "%s: %.300s", win->tmpl, text);
	size_t len = strlen(text); /* the last line: how often the bundle names P-0004's street */
	ck_assert_msg(len >= 2 && strcmp(text + len - 2, "0\n") == 0, "%s: P-0004's address is in the bundle",
	              win->tmpl);
	free(text);
}
END_TEST

Suite *mailing_suite(void)
{
	Suite *s = suite_create("mailing");
	TCase *tc = tcase_create("letters");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, address_sits_in_the_window, 0, sizeof windows / sizeof *windows);
	tcase_add_loop_test(tc, urgent_patient_is_not_mailed, 0, sizeof windows / sizeof *windows);
	tcase_add_loop_test(tc, address_block_keeps_the_window_margins, 0, sizeof areas / sizeof *areas);
	tcase_add_test(tc, address_too_long_is_an_error_for_its_letter);
	tcase_add_test(tc, cjk_names_print_on_handouts_and_letters);
	tcase_add_test(tc, resume_rebuilds_bundles);
	suite_add_tcase(s, tc);
	return s;
}
