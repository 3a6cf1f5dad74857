/* out_report.c: the run report, report.pdf, for the clinic's staff: the run's counts, whom
 * to phone (every urgent patient, then every today one, then every prompt one, with the
 * answers that raised the notice in words), how often each cause and exercise was chosen,
 * who was not mailed and why, and every error. Laid out by the handout's own engine and template (tables
 * whose header repeats on each page, vector bar charts). Names and phones are in it because it is for the
 * staff; like every output it is readable by its owner only. */
#include "out_report.h"
#include "content.h"
#include "document.h"
#include "layout.h"
#include "output.h"
#include "patient.h"
#include "pdf.h"
#include "pipeline.h"
#include "selection.h"
#include "settings.h"
#include "svg.h"
#include "template.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIDDOT " \xC2\xB7 "

/* One line of a list in the report: its cells. */
typedef struct entry {
	char *cell[4];
} entry;

typedef struct list {
	entry *v;
	size_t n, cap;
} list;

typedef struct report {
	const resources *r;
	char *path;
	int mailing;
	size_t patients, made, errors, mailed;
	size_t *notice_count;                 /* by the content's notice levels */
	size_t *cause_count, *exercise_count; /* by the content's order */
	list *calls; /* by notice level: whom to phone (the standard level's stays empty) */
	list not_mailed, error_list;
} report;

static void list_add(list *l, const char *a, const char *b, const char *c, const char *d)
{
	entry e = {{xstrdup(a ? a : ""), xstrdup(b ? b : ""), xstrdup(c ? c : ""), xstrdup(d ? d : "")}};
	ARRAY_PUSH(l->v, l->n, l->cap, e);
}

static void list_free(list *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (int k = 0; k < 4; k++)
			free(l->v[i].cell[k]);
	free(l->v);
}

/* Counts each id of a ';'-separated list against the content's causes or exercises. */
static void count_ids(const char *ids, size_t *counts, size_t n,
                      const char *(*id_at)(const content *, size_t), const content *c)
{
	for (const char *s = ids; s && *s;) {
		size_t len = strcspn(s, ";");
		for (size_t i = 0; i < n; i++) {
			const char *id = id_at(c, i);
			if (strlen(id) == len && memcmp(id, s, len) == 0)
				counts[i]++;
		}
		s += len + (s[len] == ';');
	}
}

static const char *cause_id(const content *c, size_t i)
{
	return c->causes[i].id;
}

static const char *exercise_id(const content *c, size_t i)
{
	return c->exercises[i].id;
}

/* A patient to phone: id, name with the language to speak ("Ann Lee (es)"), phone, and the
 * answers that raised the notice, then those that would raise a lower one too. */
static void add_call(list *calls, const content *c, const patient *p)
{
	selection *s = selection_make(c, p);
	strbuf who = {0}, why = {0};
	sb_printf(&who, "%s (%s)", p->name ? p->name : "", p->language ? p->language : "en");
	char *also, *answers = selection_notice_answers(s, c, p, &also);
	sb_append(&why, answers);
	if (also)
		sb_printf(&why, "; also: %s", also);
	free(answers), free(also);
	char *phone = text_unbroken(p->phone ? p->phone : "none given");
	list_add(calls, p->id, who.data, phone, why.data);
	free(phone);
	sb_free(&who), sb_free(&why);
	selection_free(s);
}

static int report_take(void *self, const out_handout *h, void *made, out_place *where, int *err)
{
	report *rp = self;
	const content *c = rp->r->content;
	const patient *p = h->p;
	(void)made, (void)where, (void)err;
	rp->patients++;
	if (h->error) {
		rp->errors++;
		list_add(&rp->error_list, p->id, h->error, NULL, NULL);
		if (rp->mailing && !p->error)
			list_add(&rp->not_mailed, p->id, patient_display_name(p),
			         "no letter was made (see the errors)", NULL);
		return 0;
	}
	rp->made++;
	rp->mailed += (size_t)h->mailed;
	count_ids(h->causes, rp->cause_count, c->ncauses, cause_id, c);
	count_ids(h->exercises, rp->exercise_count, c->nexercises, exercise_id, c);
	if (rp->mailing && !h->mailed)
		list_add(&rp->not_mailed, p->id, patient_display_name(p),
		         h->not_mailed ? h->not_mailed : "no letter was made", NULL);
	for (size_t i = 0; h->notice && i < c->nnotices; i++) {
		if (strcmp(c->notices[i].id, h->notice) != 0)
			continue;
		rp->notice_count[i]++;
		if (strcmp(h->notice, "standard") != 0)
			add_call(&rp->calls[i], c, p);
	}
	return 0;
}

/* ---- the report as a document ---- */

static void heading(document *d, const char *text)
{
	block *b = document_add(d, BLOCK_TEXT, ROLE_HEADING);
	block_add_span(b, FACE_BOLD, text);
	b->colour = COLOUR_ACCENT;
	b->keep_with_next = 1;
}

static void paragraph(document *d, const char *text)
{
	block_add_span(document_add(d, BLOCK_TEXT, ROLE_BODY), FACE_REGULAR, text);
}

static block *table_row(document *d, int header, const double *frac, size_t ncols, const char *const *cells)
{
	block *b = document_add(d, BLOCK_TABLE, ROLE_BODY);
	b->header = header;
	for (size_t i = 0; i < ncols; i++) {
		b->col_frac[i] = frac[i];
		block_add_span(b, FACE_REGULAR, cells[i]);
	}
	return b;
}

/* A table: a header row, then one row per entry (its first ncols cells). The columns in
 * whole (a bit each) hold ids and phone numbers, never broken over two lines. */
static void table(document *d, const double *frac, size_t ncols, const char *const *titles, unsigned whole,
                  const list *l)
{
	table_row(d, 1, frac, ncols, titles)->whole_cols = whole;
	for (size_t i = 0; i < l->n; i++)
		table_row(d, 0, frac, ncols, (const char *const *)l->v[i].cell);
}

static void space(document *d, double em)
{
	document_add(d, BLOCK_SPACE, ROLE_BODY)->space_em = em;
}

/* A horizontal bar chart as a drawing: a label, a bar as long as the count, the count. */
#define CHART_W         600.0
#define CHART_ROW       24.0
#define CHART_LABEL_MAX 300.0
#define CHART_FONT      15.0

static draw_item *chart_item(drawing *dr, draw_kind kind)
{
	grow_array((void **)&dr->items, &dr->cap, dr->nitems + 1, sizeof *dr->items);
	draw_item *it = &dr->items[dr->nitems++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	return it;
}

static void chart_text(drawing *dr, double x, double y, text_anchor anchor, const char *text)
{
	draw_item *it = chart_item(dr, DRAW_TEXT);
	it->x = x;
	it->y = y;
	it->font_size = CHART_FONT;
	it->anchor = anchor;
	it->text = xstrdup(text);
}

/* How the chart's labels will measure once it is scaled to the column. */
typedef struct chart_scale {
	const layout_measure *m;
	double pt_per_unit;
} chart_scale;

static double label_units(const chart_scale *cs, const char *text, size_t len)
{
	return cs->m->text_width(cs->m->ctx, FACE_REGULAR, CHART_FONT * cs->pt_per_unit, text, len) /
	       cs->pt_per_unit;
}

/* The label shortened with an ellipsis to max units (whole UTF-8 characters). */
static char *fit_label(const chart_scale *cs, const char *text, double max)
{
	size_t len = strlen(text);
	if (label_units(cs, text, len) <= max)
		return xstrdup(text);
	strbuf sb = {0};
	while (len > 0) {
		do
			len--;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80);
		sb.len = 0;
		sb_printf(&sb, "%.*s\xE2\x80\xA6", (int)len, text);
		if (label_units(cs, sb.data, sb.len) <= max)
			break;
	}
	return sb_take(&sb);
}

static drawing *bar_chart(const char *const *labels, const size_t *counts, size_t n, rgb bar, rgb ink,
                          const chart_scale *cs)
{
	drawing *dr = xcalloc(1, sizeof *dr);
	dr->file = xstrdup("chart");
	dr->width = CHART_W;
	dr->height = CHART_ROW * (double)n + 4;
	size_t most = 1;
	for (size_t i = 0; i < n; i++)
		most = counts[i] > most ? counts[i] : most;
	/* The label column as wide as the longest label, up to half the chart. */
	double label_w = 0;
	for (size_t i = 0; i < n; i++) {
		double w = label_units(cs, labels[i], strlen(labels[i]));
		label_w = w > label_w ? w : label_w;
	}
	label_w = label_w + 10 < CHART_LABEL_MAX ? label_w + 10 : CHART_LABEL_MAX;
	double bar_max = CHART_W - label_w - 70;
	for (size_t i = 0; i < n; i++) {
		double top = CHART_ROW * (double)i + 4, w = bar_max * (double)counts[i] / (double)most;
		if (counts[i]) {
			draw_item *it = chart_item(dr, DRAW_SHAPE);
			double x0 = label_w, y0 = top + 3, y1 = top + CHART_ROW - 5;
			path_move(&it->path, x0, y0);
			path_line(&it->path, x0 + w, y0);
			path_line(&it->path, x0 + w, y1);
			path_line(&it->path, x0, y1);
			path_close(&it->path);
			it->filled = 1;
			it->fill = bar;
		}
		double base = top + CHART_ROW * 0.62;
		char *label = fit_label(cs, labels[i], label_w - 10);
		chart_text(dr, label_w - 8, base, ANCHOR_END, label);
		free(label);
		char num[32];
		snprintf(num, sizeof num, "%zu", counts[i]);
		chart_text(dr, label_w + w + 6, base, ANCHOR_START, num);
		dr->items[dr->nitems - 1].fill = ink;
		dr->items[dr->nitems - 2].fill = ink;
	}
	return dr;
}

static void chart(document *d, const char *const *labels, const size_t *counts, size_t n,
                  const page_template *t, const layout_measure *m)
{
	/* A chart is as wide as the column (its height is not what limits it). */
	chart_scale cs = {m, (t->page_width_pt - t->margin_left_pt - t->margin_right_pt) / CHART_W};
	block *b = document_add(d, BLOCK_DRAWING, ROLE_BODY);
	b->owned = bar_chart(labels, counts, n, t->colour[COLOUR_ACCENT], t->colour[COLOUR_TEXT], &cs);
	b->drawing = b->owned;
	b->height_em = 60;
	/* What a reader who cannot see the bars is told: each bar's label and count. */
	strbuf alt = {0};
	sb_printf(&alt, "A bar chart of how many handouts chose each:");
	for (size_t i = 0; i < n; i++)
		sb_printf(&alt, " %s, %zu%s", labels[i], counts[i], i + 1 < n ? ";" : ".");
	b->alt = sb_take(&alt);
}

/* The report's words for the patients of a notice level it lists for phoning. */
typedef struct call_group {
	const char *notice;
	const char *heading; /* over the list */
	const char *count;   /* in the counts */
	const char *none;    /* when the list is empty */
} call_group;

static const call_group *call_group_of(const char *level)
{
	static const call_group groups[] = {
	    {"urgent", "Call now: urgent (go to an emergency department)", "Urgent: call now",
	     "No patient's answers were urgent."},
	    {"today", "Call today: today (see a doctor today)", "Today: call today",
	     "No patient's answers asked for a doctor today."},
	    {"prompt", "Call soon: prompt (see a doctor within a few days)", "Prompt: call soon",
	     "No patient's answers asked for a prompt doctor's visit."},
	};
	for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
		if (strcmp(groups[i].notice, level) == 0)
			return &groups[i];
	return NULL;
}

static document *report_document(const report *rp, const layout_measure *m)
{
	const resources *r = rp->r;
	const content *c = r->content;
	document *d = xcalloc(1, sizeof *d);
	char *date = locale_date(&r->content->words, r->default_date);
	strbuf sb = {0};
	d->header_left = xstrdup("Run report");
	d->header_right = xstrdup(date);
	d->footer_left = xstrdup(r->settings->clinic_name ? r->settings->clinic_name : "");
	d->footer_contact = xstrdup("For the clinic's staff: holds names and phone numbers");
	d->title = xstrdup("Run report");
	d->lang = xstrdup("en"); /* the report's own words are English */
	d->subject = xstrdup("Handouts made, whom to call, and what went wrong");

	block *title = document_add(d, BLOCK_TEXT, ROLE_TITLE);
	block_add_span(title, FACE_BOLD, "Run report");
	sb_printf(&sb, "%s%s%s", r->settings->clinic_name ? r->settings->clinic_name : "",
	          r->settings->clinic_name ? MIDDOT : "", date);
	paragraph(d, sb.data);
	sb_free(&sb);

	static const double two[] = {0.6, 0.4};
	static const char *const count_titles[] = {"This run", "Number"};
	list counts = {0};
	char num[32];
#define COUNT(label, n)                                                                                      \
	(snprintf(num, sizeof num, "%zu", (size_t)(n)), list_add(&counts, label, num, NULL, NULL))
	COUNT("Patients read", rp->patients);
	COUNT("Handouts made", rp->made);
	COUNT("Errors (no handout)", rp->errors);
	for (size_t i = 0; i < c->nnotices; i++) {
		const call_group *g = call_group_of(c->notices[i].id);
		COUNT(g ? g->count : "Standard", rp->notice_count[i]);
	}
	if (rp->mailing) {
		COUNT("Letters in mailing bundles", rp->mailed);
		COUNT("Not mailed", rp->not_mailed.n);
	}
#undef COUNT
	box_kind summary = BOX_SUMMARY;
	document_add(d, BLOCK_BOX_BEGIN, ROLE_BODY)->box = summary;
	table(d, two, 2, count_titles, 0, &counts);
	document_add(d, BLOCK_BOX_END, ROLE_BODY);
	list_free(&counts);

	static const double calls[] = {0.15, 0.22, 0.27, 0.36};
	static const char *const call_titles[] = {"ID", "Name (language)", "Phone", "Answers that raised it"};
	/* Whom to phone, most pressing first: the content's notices are in that order. */
	for (size_t i = 0; i < c->nnotices; i++) {
		const call_group *g = call_group_of(c->notices[i].id);
		if (!g)
			continue;
		space(d, 0.5);
		heading(d, g->heading);
		if (rp->calls[i].n)
			table(d, calls, 4, call_titles, 1u << 0 | 1u << 2, &rp->calls[i]);
		else
			paragraph(d, g->none);
	}

	const char **labels = xcalloc(c->ncauses + c->nexercises + 1, sizeof *labels);
	for (size_t i = 0; i < c->ncauses; i++)
		labels[i] = c->causes[i].title;
	space(d, 0.5);
	heading(d, "Causes chosen");
	chart(d, labels, rp->cause_count, c->ncauses, r->template, m);
	for (size_t i = 0; i < c->nexercises; i++)
		labels[i] = c->exercises[i].title;
	space(d, 0.5);
	heading(d, "Exercises given");
	chart(d, labels, rp->exercise_count, c->nexercises, r->template, m);
	free(labels);

	if (rp->mailing) {
		static const double three[] = {0.16, 0.34, 0.5};
		static const char *const mail_titles[] = {"ID", "Name", "Why not"};
		space(d, 0.5);
		heading(d, "Not mailed");
		if (rp->not_mailed.n)
			table(d, three, 3, mail_titles, 1u << 0, &rp->not_mailed);
		else
			paragraph(d, "Every patient's letter is in a mailing bundle.");
	}
	static const double errs[] = {0.16, 0.84};
	static const char *const err_titles[] = {"ID", "Error (file:line)"};
	space(d, 0.5);
	heading(d, "Errors");
	if (rp->error_list.n)
		table(d, errs, 2, err_titles, 1u << 0, &rp->error_list);
	else
		paragraph(d, "None: every patient got a handout.");
	free(date);
	return d;
}

static int report_finish(void *self, int *err)
{
	report *rp = self;
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(rp->r->fonts), &m);
	document *d = report_document(rp, &m);
	layout *l = layout_document(d, rp->r->template, &m);
	pdf_meta meta = {d->title,      rp->r->settings->clinic_name, d->subject,
	                 NULL,          rp->r->default_date,          rp->path,
	                 rp->r->profile};
	unsigned char *pdf = NULL;
	size_t len = 0;
	int rc = pdf_render(l, rp->r->fonts, NULL, 0, &meta, &pdf, &len);
	if (rc == 0)
		rc = output_write_file(rp->path, pdf, len);
	if (rc != 0)
		*err = EIO;
	free(pdf);
	layout_free(l);
	document_free(d);
	return rc;
}

static void report_free(void *self)
{
	report *rp = self;
	for (size_t i = 0; i < rp->r->content->nnotices; i++)
		list_free(&rp->calls[i]);
	free(rp->calls);
	free(rp->notice_count);
	list_free(&rp->not_mailed);
	list_free(&rp->error_list);
	free(rp->cause_count);
	free(rp->exercise_count);
	free(rp->path);
	free(rp);
}

out_sink out_report_new(const resources *r, const char *dir, int mailing)
{
	report *rp = xcalloc(1, sizeof *rp);
	rp->r = r;
	rp->path = path_join(dir, REPORT_FILE);
	rp->mailing = mailing;
	rp->cause_count = xcalloc(r->content->ncauses + 1, sizeof *rp->cause_count);
	rp->notice_count = xcalloc(r->content->nnotices + 1, sizeof *rp->notice_count);
	rp->calls = xcalloc(r->content->nnotices + 1, sizeof *rp->calls);
	rp->exercise_count = xcalloc(r->content->nexercises + 1, sizeof *rp->exercise_count);
	return (out_sink){rp, NULL, NULL, NULL, report_take, report_finish, report_free};
}
