/* layout_page.c: the pages of a layout: where they break (chosen over the whole document),
 * the rows placed on them, continuation lines and repeated table headers, and the boxes. */
#include "layout_int.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

layout_page *layout_new_page(layout *l)
{
	grow_array((void **)&l->pages, &l->cap, l->npages + 1, sizeof *l->pages);
	layout_page *p = &l->pages[l->npages++];
	memset(p, 0, sizeof *p);
	return p;
}

layout_item *page_add_item(layout_page *p)
{
	grow_array((void **)&p->items, &p->cap, p->nitems + 1, sizeof *p->items);
	layout_item *it = &p->items[p->nitems++];
	memset(it, 0, sizeof *it);
	return it;
}

void page_add_text(layout_page *p, double x, double y, double w, face_id face, double size, colour_id colour,
                   const char *text)
{
	layout_item *it = page_add_item(p);
	it->kind = ITEM_TEXT;
	it->x_pt = x;
	it->y_pt = y;
	it->w_pt = w;
	it->face = face;
	it->size_pt = size;
	it->colour = colour;
	it->text = xstrdup(text);
}

void page_add_rect(layout_page *p, double x, double y, double w, double h, int filled, colour_id fill,
                   double stroke_pt, colour_id stroke)
{
	layout_item *it = page_add_item(p);
	*it = (layout_item){.kind = ITEM_RECT,
	                    .x_pt = x,
	                    .y_pt = y,
	                    .w_pt = w,
	                    .h_pt = h,
	                    .filled = filled,
	                    .fill = fill,
	                    .stroke_pt = stroke_pt,
	                    .stroke = stroke};
}

/* The tag a part of row r is read as; 0 (an artifact) for a table's header repeated atop
 * a page. */
static size_t tag_of(const engine *e, const row *r, int part, int repeat)
{
	return repeat || !e->part_tag ? 0 : e->part_tag[r->block * NPARTS + (size_t)part];
}

/* Puts a row's marks and text on page p with its top at y; repeat: a table's header row
 * again. */
static void place_row(const engine *e, layout_page *p, const row *r, double y, int repeat)
{
	for (size_t k = 0; k < r->nmarks; k++) {
		const mark *m = &r->marks[k];
		double bottom = y - m->below_top_pt - m->h_pt;
		if (m->kind == ITEM_IMAGE || m->kind == ITEM_DRAWING) {
			layout_item *it = page_add_item(p);
			*it = (layout_item){.kind = m->kind,
			                    .x_pt = m->x_pt,
			                    .y_pt = bottom,
			                    .w_pt = m->w_pt,
			                    .h_pt = m->h_pt,
			                    .image = m->image,
			                    .drawing = m->drawing,
			                    .tag = m->kind == ITEM_DRAWING ? tag_of(e, r, PART_FIGURE, repeat)
			                                                   : 0};
		} else {
			page_add_rect(p, m->x_pt, bottom, m->w_pt, m->h_pt, m->filled, m->colour,
			              m->stroke_pt, m->colour);
		}
	}
	for (size_t k = 0; k < r->nfrags; k++) {
		const frag *f = &r->frags[k];
		page_add_text(p, f->x_pt, y - (f->baseline_pt > 0 ? f->baseline_pt : r->baseline_pt), f->w_pt,
		              f->face, f->size_pt, f->colour, f->text);
		p->items[p->nitems - 1].tag = tag_of(e, r, f->part, repeat);
		p->items[p->nitems - 1].space_after = f->space_after;
		if (f->has_rgb) {
			p->items[p->nitems - 1].has_rgb = 1;
			p->items[p->nitems - 1].ink = f->rgb;
		}
	}
}

/* A group's continuation line in width: whole when it fits, else with the name inside it
 * shortened, so "(continuación)" is still said ("Mantenga caliente la… (continuación)"). */
static char *continued_line(const engine *e, const group_info *gi, double size, double width)
{
	const char *line = gi->continued;
	const char *at = gi->title ? strstr(line, gi->title) : NULL;
	if (!at || engine_measure(e, FACE_BOLD, size, line, strlen(line)) <= width)
		return engine_fit(e, FACE_BOLD, size, line, width);
	const char *after = at + strlen(gi->title);
	double rest = engine_measure(e, FACE_BOLD, size, line, (size_t)(at - line)) +
	              engine_measure(e, FACE_BOLD, size, after, strlen(after));
	char *title = engine_fit(e, FACE_BOLD, size, gi->title, width - rest);
	strbuf sb = {0};
	sb_printf(&sb, "%.*s%s%s", (int)(at - line), line, title, after);
	free(title);
	return sb_take(&sb);
}

/* The height a page starting at row `first` spends above it: a table's header repeated, or
 * a group's "continued" line when the group began on the page before. */
static double page_head(const engine *e, size_t first)
{
	const row *r = &e->rows[first];
	if (r->repeat_n)
		return engine_span_rows(e, r->repeat_first, r->repeat_first + r->repeat_n - 1);
	int g = r->group;
	if (first == 0 || g < 0 || !e->groups[g].continued)
		return 0;
	for (size_t k = first; k-- > 0 && e->rows[k].group == g;)
		if (!e->rows[k].is_space && (e->rows[k].nfrags || e->rows[k].nmarks))
			return engine_line_height(e, e->t->size_pt[ROLE_BODY]) * (e->groups[g].note ? 2 : 1);
	return 0;
}

/* One line of a page's head, in body size, from top; returns where the next goes. */
static double head_line(const engine *e, layout_page *p, double top, face_id face, colour_id colour,
                        const char *text)
{
	const page_template *t = e->t;
	double size = t->size_pt[ROLE_BODY], h = engine_line_height(e, size);
	page_add_text(p, t->margin_left_pt, top - ((h - size) / 2 + size * e->m->ascent[face]),
	              engine_measure(e, face, size, text, strlen(text)), face, size, colour, text);
	return top - h;
}

/* Starts a page before row `next`; returns where its first row goes. When the page break
 * falls inside a group that names a continuation line ("Swimming, continued"), that line
 * heads the page, and the group's note under it; inside a table, its header row does. */
static double start_page(const engine *e, layout *l, size_t next, double body_top)
{
	layout_page *p = layout_new_page(l);
	const row *first = &e->rows[next];
	if (first->repeat_n) {
		/* A table goes on: its header row heads the page again. */
		double y = body_top;
		for (size_t k = first->repeat_first; k < first->repeat_first + first->repeat_n; k++) {
			place_row(e, p, &e->rows[k], y, 1);
			y -= e->rows[k].height_pt;
		}
		return y;
	}
	if (page_head(e, next) <= 0)
		return body_top; /* not in a group with a line, or nothing of it printed above */
	const group_info *gi = &e->groups[first->group];
	const page_template *t = e->t;
	double size = t->size_pt[ROLE_BODY];
	double width = t->page_width_pt - t->margin_left_pt - t->margin_right_pt;
	char *line = continued_line(e, gi, size, width);
	double y = head_line(e, p, body_top, FACE_BOLD, COLOUR_ACCENT, line);
	free(line);
	if (gi->note) {
		char *fitted = engine_fit(e, FACE_REGULAR, size, gi->note, width);
		y = head_line(e, p, y, FACE_REGULAR, COLOUR_TEXT, fitted);
		free(fitted);
	}
	return y;
}

/* ---- choosing the page breaks ----
 *
 * The breaks are chosen over the whole document, not one page at a time (Plass's optimal
 * pagination, as TeX's page builder would with unlimited lookahead): a page may start
 * before any row, and each way of cutting the rows into pages has a cost, the sum of its
 * pages' and breaks' costs below; dynamic programming finds the cheapest in one pass over
 * the rows (for each row, every earlier row a page starting there could reach). The costs
 * put fewer pages first, then pages filled evenly and each at least as full as the
 * template's <pages fill>, then whole paragraphs, boxes and cards.
 * A break the document forbids (inside a chain of rows kept with the next, or inside a
 * group kept whole) costs more than any page, so it is chosen only when nothing else
 * fits. */
#define COST_PAGE       10000.0   /* each page */
#define COST_EMPTY      600.0     /* times the square of a page's empty share (not the last) */
#define COST_UNDER_FILL 1000.0    /* times the share a page (not the last) lacks of <pages fill> */
#define COST_FORBIDDEN  100000.0  /* a break inside a kept chain or a hard keep-together group */
#define COST_OVERFULL   1000000.0 /* a row taller than a page, alone on it */
#define COST_SOFT_SPLIT 60.0      /* a card split under its "continued" line */
#define COST_SECTION    80.0      /* a section held together split (the safety net) */
#define COST_BOX_SPLIT  20000.0   /* a box drawn on two pages: worse than a page more */
#define COST_ORPHAN     80.0      /* a paragraph's single first or last line alone on a page */
#define COST_PARA_SPLIT 25.0      /* a paragraph split across pages */
#define COST_SHORT_LAST 300.0     /* a last page of fewer than three lines */
#define LAST_FULL       0.3       /* a last page fuller than this share of a page costs nothing more */
#define COST_THIN_LAST  150.0     /* times the square of the share of LAST_FULL a last page lacks */

/* What a page starting at row k (k > 0) splits: a set of 1 << layout_break. */
static unsigned break_splits(const engine *e, size_t k)
{
	const row *a = &e->rows[k - 1], *b = &e->rows[k];
	unsigned splits = 0;
	if (a->keep_with_next)
		splits |= 1u << BREAK_KEPT;
	if (a->hold_with_next)
		splits |= 1u << BREAK_SECTION;
	if (a->group >= 0 && a->group == b->group) {
		static const layout_break kind_of[] = {
		    [KEEP_WHOLE] = BREAK_GROUP, [KEEP_COSTED] = BREAK_CARD, [KEEP_HEADED] = BREAK_PARAGRAPH};
		splits |= 1u << kind_of[e->groups[a->group].keep];
	}
	if (a->box >= 0 && a->box == b->box)
		splits |= 1u << BREAK_BOX;
	if (!a->is_space && !b->is_space && a->block == b->block) {
		/* A paragraph split: its lines before and after the break. */
		size_t before = 0, after = 0;
		for (size_t i = k; i-- > 0 && e->rows[i].block == a->block && !e->rows[i].is_space;)
			before++;
		for (size_t i = k; i < e->nrows && e->rows[i].block == a->block && !e->rows[i].is_space; i++)
			after++;
		splits |= 1u << (before < 2 || after < 2 ? BREAK_ORPHAN : BREAK_PARAGRAPH);
	}
	return splits;
}

/* What it costs for a page to start at row k (k > 0): what the break splits. */
static double break_cost(const engine *e, size_t k)
{
	static const double cost_of[BREAK_COUNT] = {
	    [BREAK_PARAGRAPH] = COST_PARA_SPLIT, [BREAK_ORPHAN] = COST_ORPHAN,
	    [BREAK_CARD] = COST_SOFT_SPLIT,      [BREAK_BOX] = COST_BOX_SPLIT,
	    [BREAK_SECTION] = COST_SECTION,      [BREAK_GROUP] = COST_FORBIDDEN,
	    [BREAK_KEPT] = COST_FORBIDDEN};
	unsigned splits = break_splits(e, k);
	double cost = 0;
	for (int b = 0; b < BREAK_COUNT; b++)
		if (splits & (1u << b))
			cost += cost_of[b];
	return cost;
}

/* The worst of what a page starting at row k splits. */
static layout_break break_worst(const engine *e, size_t k)
{
	unsigned splits = break_splits(e, k);
	layout_break worst = BREAK_CLEAN;
	for (int b = 0; b < BREAK_COUNT; b++)
		if (splits & (1u << b))
			worst = (layout_break)b;
	return worst;
}

/* What choose_breaks asks of the rows again and again, summed once: heights from the first
 * row, the text lines so far, and the first and last rows that are not space. */
typedef struct row_sums {
	double *height;     /* height[k]: rows 0..k-1 */
	size_t *lines;      /* lines[k]: rows 0..k-1 with text */
	size_t *solid_from; /* the first row at or after k that is not space (n: none) */
	size_t *solid_to;   /* one past the last row before k that is not space (0: none) */
	double *head;       /* page_head of a page starting at k */
	double *brk;        /* break_cost of a page starting at k (k > 0) */
} row_sums;

static row_sums sums_of(const engine *e)
{
	size_t n = e->nrows;
	row_sums s = {xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(size_t)),
	              xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(size_t)),
	              xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(double))};
	for (size_t k = 0; k < n; k++) {
		s.height[k + 1] = s.height[k] + e->rows[k].height_pt;
		s.lines[k + 1] = s.lines[k] + (e->rows[k].nfrags > 0);
		s.solid_to[k + 1] = e->rows[k].is_space ? s.solid_to[k] : k + 1;
		s.head[k] = page_head(e, k);
		s.brk[k] = k ? break_cost(e, k) : 0;
	}
	s.solid_from[n] = n;
	for (size_t k = n; k-- > 0;)
		s.solid_from[k] = e->rows[k].is_space ? s.solid_from[k + 1] : k;
	return s;
}

static void sums_free(row_sums *s)
{
	free(s->height), free(s->lines), free(s->solid_from), free(s->solid_to), free(s->head), free(s->brk);
}

/* The height rows first..end-1 take on a page that starts with them: the space rows at its
 * top and foot take none. */
static double page_height(const row_sums *s, size_t first, size_t end)
{
	first = s->solid_from[first];
	end = s->solid_to[end];
	return first < end ? s->height[end] - s->height[first] : 0;
}

/* Chooses where pages start: starts[k] is 1 when a page starts at row k (k > 0). Page 1
 * holds first_room points, every other avail. */
static void choose_breaks(const engine *e, double first_room, double avail, unsigned char *starts)
{
	size_t n = e->nrows;
	row_sums s = sums_of(e);
	double *best = xcalloc(n + 1, sizeof *best);
	size_t *from = xcalloc(n + 1, sizeof *from);
	double most = first_room > avail ? first_room : avail;
	for (size_t j = 1; j <= n; j++) {
		best[j] = -1;
		for (size_t i = j; i-- > 0;) {
			double room = i == 0 ? first_room : avail;
			double body = page_height(&s, i, j), h = s.head[i] + body;
			if (body > most && i + 1 < j)
				break; /* every page starting earlier is taller still */
			double cost = COST_PAGE + s.brk[i] + best[i];
			if (h > room + 0.001) {
				if (i + 1 < j)
					continue;
				cost += COST_OVERFULL; /* one row taller than a page: it goes alone */
			} else if (j < n) {
				double empty = (room - h) / room, under = e->t->min_fill - h / room;
				cost += COST_EMPTY * empty * empty;
				if (under > 0)
					cost += COST_UNDER_FILL * under;
			} else if (i > 0) {
				if (s.lines[j] - s.lines[i] < 3)
					cost += COST_SHORT_LAST;
				double thin = fmax(0, LAST_FULL - h / room) / LAST_FULL;
				cost += COST_THIN_LAST * thin * thin;
			}
			if (best[j] < 0 || cost < best[j] - 1e-9)
				best[j] = cost, from[j] = i;
		}
	}
	memset(starts, 0, n + 1);
	for (size_t j = n; j > 0; j = from[j])
		if (from[j] > 0)
			starts[from[j]] = 1;
	free(best);
	free(from);
	sums_free(&s);
}

/* How full the page l's last is: its rows from page_top down to lowest, of room. */
static void page_filled(layout *l, double page_top, double lowest, double room)
{
	double used = page_top - lowest;
	l->pages[l->npages - 1].fill = room > 0 && used > 0 ? used / room : 0;
	l->pages[l->npages - 1].room_pt = room;
}

void engine_paginate(engine *e, layout *l, placed *where, int footer_nlines)
{
	const page_template *t = e->t;
	double small = t->size_pt[ROLE_SMALL];
	double body_top = t->page_height_pt - t->margin_top_pt - small * 1.6 - HEADER_GAP_EM * small;
	double body_bottom = t->margin_bottom_pt + small * (1.3 * footer_nlines + 1.3);
	double avail = body_top - body_bottom;
	layout_new_page(l);
	/* page_top: below a continuation line, or on a letter's page 1 below the window. */
	double first_top = e->first_top_pt > 0 && e->first_top_pt < body_top ? e->first_top_pt : body_top;
	unsigned char *starts = xcalloc(e->nrows + 1, 1);
	choose_breaks(e, first_top - body_bottom, avail, starts);
	double y = first_top, page_top = first_top, room_top = first_top, lowest = first_top;
	for (size_t i = 0; i < e->nrows; i++) {
		const row *r = &e->rows[i];
		/* A chosen break; or, should a row not fit after all, a break before it. */
		if (starts[i] ||
		    (y - r->height_pt < body_bottom - 0.001 && y < page_top - 0.001 && !r->is_space)) {
			page_filled(l, room_top, lowest, room_top - body_bottom);
			l->pages[l->npages - 1].break_after = i ? break_worst(e, i) : BREAK_CLEAN;
			y = page_top = start_page(e, l, i, body_top);
			room_top = lowest = body_top;
			if (page_top < body_top)
				lowest = page_top; /* the continuation line or table header above */
		}
		where[i] = (placed){l->npages - 1, y};
		if (r->is_space && (y >= page_top - 0.001 || y - r->height_pt < body_bottom))
			continue; /* no space at the top or foot of a page */
		place_row(e, &l->pages[l->npages - 1], r, y, 0);
		y -= r->height_pt;
		if (!r->is_space)
			lowest = y;
	}
	page_filled(l, room_top, lowest, room_top - body_bottom);
	free(starts);
}

/* Draws each box on each page it touches, under its text. */
void engine_draw_boxes(engine *e, layout *l, const placed *where)
{
	for (size_t b = 0; b < e->nboxes; b++) {
		const box_info *bi = &e->boxes[b];
		for (size_t pg = 0; pg < l->npages; pg++) {
			double top = -1, bottom = 1e9;
			int runs_in = 0, runs_on = 0; /* the box has rows on a page before, after */
			for (size_t i = 0; i < e->nrows; i++) {
				/* Space takes no room at a page's top or foot (engine_paginate): a box's
				 * border goes round its text and its own padding only. */
				if (e->rows[i].box != (int)b || e->rows[i].is_space)
					continue;
				runs_in |= where[i].page < pg;
				runs_on |= where[i].page > pg;
				if (where[i].page != pg)
					continue;
				if (where[i].top_pt > top)
					top = where[i].top_pt;
				double bot = where[i].top_pt - e->rows[i].height_pt;
				if (bot < bottom)
					bottom = bot;
			}
			if (top < 0)
				continue;
			/* Where the box runs on from the page before or to the next, its border keeps the
			 * padding it has at its own ends from the text (into the gap below the header
			 * rule, above the footer's). */
			double pad = BOX_PAD_EM * e->t->size_pt[ROLE_BODY];
			if (runs_in)
				top += pad;
			if (runs_on)
				bottom -= pad;
			layout_page *p = &l->pages[pg];
			size_t before = p->nitems;
			int urgent = bi->kind == BOX_URGENT;
			double stroke = urgent ? 3 : bi->kind == BOX_SUMMARY ? 1.2 : 0.8;
			/* The border's outer edge, not its centre line, sits on the margin. */
			page_add_rect(p, bi->left_pt + stroke / 2, bottom + stroke / 2,
			              bi->right_pt - bi->left_pt - stroke, top - bottom - stroke,
			              bi->kind == BOX_SUMMARY, COLOUR_SHADE, stroke,
			              urgent                    ? COLOUR_URGENT
			              : bi->kind == BOX_SUMMARY ? COLOUR_ACCENT
			                                        : COLOUR_RULE);
			/* Move the box to the front so its shade lies under the text. */
			layout_item box = p->items[before];
			memmove(p->items + 1, p->items, before * sizeof *p->items);
			p->items[0] = box;
		}
	}
}
