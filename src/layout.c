/* layout.c: device-independent line breaking: blocks into rows (layout_page.c makes the
 * pages), page furniture, letters and single drawings. */
#include "breaks.h"
#include "layout_int.h"
#include "svg.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITEM_INDENT_EM 1.6 /* hanging indent of list items */
#define ROW_LABEL_EM   7.0 /* width of a table row's label column */
#define ASIDE_GAP_EM   1.5 /* between text and a drawing beside it */
#define GROWN_ASIDE    0.4 /* the widest share of the column a drawing beside text grows to */
#define ELLIPSIS       "\xE2\x80\xA6"

double engine_measure(const engine *e, face_id face, double size, const char *s, size_t len)
{
	return e->m->text_width(e->m->ctx, face, size, s, len);
}

double engine_line_height(const engine *e, double size)
{
	return size * e->t->line_spacing;
}

static row *new_row(engine *e, double size)
{
	grow_array((void **)&e->rows, &e->rows_cap, e->nrows + 1, sizeof *e->rows);
	row *r = &e->rows[e->nrows++];
	memset(r, 0, sizeof *r);
	r->height_pt = engine_line_height(e, size);
	/* Centre the letters' body in the line: half the extra leading above the ascent. */
	r->baseline_pt = (r->height_pt - size) / 2 + size * e->m->ascent[FACE_REGULAR];
	r->box = e->cur_box;
	r->group = e->cur_group;
	r->block = e->cur_block;
	r->repeat_first = e->header_first;
	r->repeat_n = e->header_n;
	return r;
}

static void add_frag(row *r, double x, double w, face_id face, double size, colour_id colour,
                     const char *text, size_t len, int part)
{
	/* Text of the same face and colour continues the fragment before it. */
	if (r->nfrags) {
		frag *last = &r->frags[r->nfrags - 1];
		double gap_pt = x - (last->x_pt + last->w_pt);
		if (last->face == face && last->colour == colour && last->size_pt == size &&
		    last->part == part && gap_pt > -0.001 && gap_pt < size) {
			size_t old = strlen(last->text);
			int gap = x > last->x_pt + last->w_pt + 0.001;
			last->text = xrealloc(last->text, old + len + (size_t)gap + 1);
			if (gap)
				last->text[old++] = ' ';
			memcpy(last->text + old, text, len);
			last->text[old + len] = '\0';
			last->w_pt = x + w - last->x_pt;
			return;
		}
	}
	if (r->nfrags && x > r->frags[r->nfrags - 1].x_pt + r->frags[r->nfrags - 1].w_pt + 0.001)
		r->frags[r->nfrags - 1].space_after = 1; /* the gap is a space between words */
	grow_array((void **)&r->frags, &r->frags_cap, r->nfrags + 1, sizeof *r->frags);
	r->frags[r->nfrags++] = (frag){x, w, face, size, colour, xstrndup(text, len), 0, {0, 0, 0}, 0, part};
}

static void add_space_row(engine *e, double height)
{
	const row *before = e->nrows ? &e->rows[e->nrows - 1] : NULL;
	int keep = before ? before->keep_with_next : 0, hold = before ? before->hold_with_next : 0;
	row *r = new_row(e, 1);
	r->height_pt = height;
	r->baseline_pt = 0;
	r->is_space = 1;
	r->keep_with_next = keep; /* a space after a heading must not become a break point */
	r->hold_with_next = hold; /* nor a cheaper one inside a held section */
}

/* A word: a run of pieces with no space between them, maybe in several faces. */
typedef struct piece {
	face_id face;
	const char *text;
	size_t len;
	double w_pt;
} piece;

/* Whether the rows from first on reach past the foot of something h_pt tall beside them
 * (an aside drawing, the logo): text below it takes the whole column again. */
static int past_foot(const engine *e, size_t first, double h_pt)
{
	return h_pt > 0 && e->nrows > first &&
	       engine_span_rows(e, first, e->nrows - 1) >= h_pt + 0.3 * e->t->size_pt[ROLE_BODY];
}

/* The width of a paragraph's next line from x: width, or the whole column once the lines
 * so far reach below an aside drawing's foot, for a paragraph that began beside it (a dose
 * wrapped "then up to / 30" below the picture, helper-19). */
static double next_line_width(const engine *e, double x, double width)
{
	if (e->aside_h_pt > 0 && fabs(x + width - e->right_pt) < 0.01 &&
	    past_foot(e, e->aside_first, e->aside_h_pt))
		return e->aside_right_pt - x;
	return width;
}

/* Lays the spans out as lines between x and x + width. Returns the first row added. */
static size_t wrap_once(engine *e, const span *spans, size_t nspans, double x, double width, double size,
                        colour_id colour)
{
	size_t first = e->nrows;
	row *r = NULL;
	double pen = 0; /* from x */
	int space_before = 0;
	int soft = 0; /* the unit before ended where a line may break with no space (CJK) */
	for (size_t si = 0; si < nspans; si++) {
		const span *sp = &spans[si];
		const char *s = sp->text;
		double space_w = engine_measure(e, sp->face, size, " ", 1);
		while (*s) {
			if (*s == ' ') {
				space_before = 1;
				s++;
				continue;
			}
			int soft_after;
			size_t len = breaks_unit(s, strlen(s), &soft_after);
			/* A word may continue into the next span (a bold label glued to its colon);
			 * it is placed piece by piece; lines break at spaces and between the characters
			 * of scripts written without them. */
			double w = engine_measure(e, sp->face, size, s, len);
			int glued = !space_before && !soft && r && pen > 0;
			double gap = space_before && pen > 0 ? space_w : 0;
			if (!r || (!glued && pen + gap + w > width + 0.001)) {
				if (r && r->nfrags && space_before)
					r->frags[r->nfrags - 1].space_after =
					    1; /* the line breaks at a space */
				width = next_line_width(e, x, width);
				r = new_row(e, size);
				pen = 0;
				gap = 0;
			}
			while (len && pen + gap + w > width + 0.001) {
				/* Wider than the column: break the word at the last character that fits.
				 * `len &&`: a column may be narrower than nothing (an id column wider than
				 * the page); the last piece then goes on its own line, and the loop ends. */
				size_t take = 0, next;
				double tw = 0;
				while (take < len) {
					uint32_t cp;
					next = take + utf8_decode(s + take, len - take, &cp);
					double nw = engine_measure(e, sp->face, size, s, next);
					if (pen + gap + nw > width + 0.001 && take > 0)
						break;
					take = next;
					tw = nw;
					if (pen + gap + nw > width + 0.001)
						break; /* one character wider than the column: it still goes
						        */
				}
				add_frag(r, x + pen + gap, tw, sp->face, size, colour, s, take, e->cur_part);
				s += take;
				len -= take;
				w = engine_measure(e, sp->face, size, s, len);
				width = next_line_width(e, x, width);
				r = new_row(e, size);
				pen = 0;
				gap = 0;
			}
			if (len) {
				add_frag(r, x + pen + gap, w, sp->face, size, colour, s, len, e->cur_part);
				pen += gap + w;
			}
			s += len;
			space_before = 0;
			soft = soft_after;
		}
	}
	if (!r)
		new_row(e, size);
	size_t n = e->nrows - first;
	if (n >= 2) {
		/* No line of a paragraph alone at the bottom (first) or top (last) of a page. */
		e->rows[first].keep_with_next = 1;
		e->rows[e->nrows - 2].keep_with_next = 1;
	}
	return first;
}

/* Removes the rows from first on. */
static void drop_rows(engine *e, size_t first)
{
	for (size_t i = first; i < e->nrows; i++) {
		for (size_t k = 0; k < e->rows[i].nfrags; k++)
			free(e->rows[i].frags[k].text);
		free(e->rows[i].frags);
		free(e->rows[i].marks);
	}
	e->nrows = first;
}

/* Whether the last row is a runt of Chinese or Japanese: one or two characters, the
 * closing punctuation counted ("车。" alone under a full line). */
static int cjk_runt(const engine *e, size_t first)
{
	if (e->nrows < first + 2)
		return 0;
	const row *r = &e->rows[e->nrows - 1];
	size_t chars = 0;
	uint32_t lead = 0;
	for (size_t k = 0; k < r->nfrags; k++)
		for (const char *s = r->frags[k].text; *s;) {
			uint32_t cp;
			s += utf8_decode(s, strlen(s), &cp);
			if (!chars++)
				lead = cp;
		}
	return chars > 0 && chars <= 2 && lead >= 0x2E80;
}

/* As wrap_once, but a paragraph of Chinese never ends on a line of one or two characters:
 * it is set again up to two characters narrower, so the line above gives some of its own,
 * when that takes no more lines. */
static size_t wrap(engine *e, const span *spans, size_t nspans, double x, double width, double size,
                   colour_id colour)
{
	size_t first = wrap_once(e, spans, nspans, x, width, size, colour);
	if (!cjk_runt(e, first))
		return first;
	size_t lines = e->nrows - first;
	for (int narrower = 1; narrower <= 2; narrower++) {
		drop_rows(e, first);
		wrap_once(e, spans, nspans, x, width - narrower * size, size, colour);
		if (e->nrows - first == lines && !cjk_runt(e, first))
			return first;
	}
	drop_rows(e, first);
	return wrap_once(e, spans, nspans, x, width, size, colour);
}

/* The widest run of text in the spans that no line may break (a word, an id, a phone
 * number spaced with no-break spaces), in points at size. */
static double widest_word(const engine *e, const span *spans, size_t nspans, double size)
{
	double widest = 0, word = 0;
	int soft = 1;
	for (size_t si = 0; si < nspans; si++) {
		const char *s = spans[si].text;
		while (*s) {
			if (*s == ' ') {
				soft = 1;
				s++;
				continue;
			}
			int soft_after;
			size_t len = breaks_unit(s, strlen(s), &soft_after); /* never 0 here */
			double w = engine_measure(e, spans[si].face, size, s, len);
			word = soft ? w : word + w;
			widest = fmax(widest, word);
			soft = soft_after;
			s += len;
		}
	}
	return widest;
}

/* The widest word of column c of the table whose rows start at block first (its header
 * left out: a heading may wrap), with the cell's padding. */
static double column_need(const engine *e, size_t first, size_t c, double size)
{
	const document *d = e->doc;
	double need = 0;
	for (size_t i = first + 1; i < d->nblocks && d->blocks[i].kind == BLOCK_TABLE; i++)
		if (c < d->blocks[i].nspans)
			need = fmax(need, widest_word(e, &d->blocks[i].spans[c], 1, size) + size * 0.6);
	return need;
}

/* The widths of the columns of the table whose first row is block `first`. A column of ids
 * or phone numbers (whole_cols) is never narrower than its widest word ("+44 7700/900999" is
 * a misdial) while the other columns keep a quarter of their shares; those share what is left by
 * their shares of the width, and wrap (a word wider than its column breaks). */
static void table_widths(engine *e, size_t first, double width, double size)
{
	const block *head = &e->doc->blocks[first];
	size_t ncols = head->nspans < TABLE_MAX_COLS ? head->nspans : TABLE_MAX_COLS;
	double taken = 0, rest_frac = 0;
	for (size_t c = 0; c < ncols; c++)
		if (!(head->whole_cols & (1u << c)))
			rest_frac += head->col_frac[c];
	/* The other columns keep at least a quarter of their shares: a word longer than that (no id
	 * or phone a clinic uses) breaks. */
	double most = width * (1 - rest_frac / 4);
	for (size_t c = 0; c < ncols; c++) {
		if (head->whole_cols & (1u << c)) {
			e->table_w[c] = fmin(fmax(width * head->col_frac[c], column_need(e, first, c, size)),
			                     fmax(width * head->col_frac[c], most - taken));
			taken += e->table_w[c];
		}
	}
	for (size_t c = 0; c < ncols; c++)
		if (!(head->whole_cols & (1u << c)))
			e->table_w[c] =
			    rest_frac > 0 ? fmax(0, width - taken) * head->col_frac[c] / rest_frac : 0;
}

/* Opens a keep-together group, split over pages as keep says (choose_breaks). */
static int new_group(engine *e, keep_kind keep, const char *continued, const char *title, const char *note)
{
	grow_array((void **)&e->groups, &e->groups_cap, (size_t)e->ngroups + 1, sizeof *e->groups);
	e->groups[e->ngroups] = (group_info){keep, continued, title, note};
	return e->ngroups++;
}

static int is_textual(const block *b)
{
	return b && (b->kind == BLOCK_TEXT || b->kind == BLOCK_ITEM || b->kind == BLOCK_ROW ||
	             b->kind == BLOCK_GRID);
}

/* Space between consecutive text blocks, in body sizes: paragraphs stand apart, list
 * items and table rows a little, a heading stays close to what it introduces. */
static double space_between(const block *prev, const block *b)
{
	if (b->kind == BLOCK_DRAWING && is_textual(prev))
		return 0.5;
	if (!is_textual(prev) || !is_textual(b))
		return 0;
	if (prev->kind == BLOCK_TEXT && prev->keep_with_next)
		return 0.15;
	if ((b->kind == BLOCK_ROW && prev->kind == BLOCK_ROW) ||
	    (b->kind == BLOCK_GRID && prev->kind == BLOCK_GRID))
		return 0;
	if (b->kind == BLOCK_TEXT)
		return 0.4;
	return 0.15;
}

/* The smallest label's font size in drawing units; 0 when the drawing has no label. */
static double drawing_smallest_label(const drawing *dr)
{
	double least = 0;
	for (size_t i = 0; i < dr->nitems; i++)
		if (dr->items[i].kind == DRAW_TEXT && (least == 0 || dr->items[i].font_size < least))
			least = dr->items[i].font_size;
	return least;
}

/* scale, or larger where the drawing's smallest label would print under the template's
 * small text. */
static double labels_readable(const engine *e, const drawing *dr, double scale)
{
	double label_min = drawing_smallest_label(dr);
	if (label_min > 0 && label_min * scale < e->t->size_pt[ROLE_SMALL])
		return e->t->size_pt[ROLE_SMALL] / label_min;
	return scale;
}

/* Adds a drawing's labels to row r as text in the handout's own face, the drawing being
 * placed at x (row top) with `scale` points per drawing unit. A drawing grown past its own
 * size (base_scale) keeps its labels' size, or grows them to the body text's, no further:
 * a label larger than the headings reads as one. */
static void drawing_labels(const engine *e, row *r, const drawing *dr, double x, double scale,
                           double base_scale)
{
	for (size_t i = 0; i < dr->nitems; i++) {
		const draw_item *it = &dr->items[i];
		if (it->kind != DRAW_TEXT)
			continue;
		face_id face = it->bold ? FACE_BOLD : FACE_REGULAR;
		double label_pt = it->font_size * scale;
		if (scale > base_scale)
			label_pt = fmin(label_pt, fmax(it->font_size * base_scale, e->t->size_pt[ROLE_BODY]));
		double tw = engine_measure(e, face, label_pt, it->text, strlen(it->text));
		double tx = x + it->x * scale -
		            (it->anchor == ANCHOR_MIDDLE ? tw / 2
		             : it->anchor == ANCHOR_END  ? tw
		                                         : 0);
		grow_array((void **)&r->frags, &r->frags_cap, r->nfrags + 1, sizeof *r->frags);
		r->frags[r->nfrags++] =
		    (frag){tx, tw,       face,          label_pt,   COLOUR_TEXT, xstrdup(it->text),
		           1,  it->fill, it->y * scale, PART_FIGURE};
	}
}

/* The height of rows from..to, inclusive. */
double engine_span_rows(const engine *e, size_t from, size_t to)
{
	double h = 0;
	for (size_t i = from; i <= to; i++)
		h += e->rows[i].height_pt;
	return h;
}

/* The rows from `start` on move into the rows from `first` on, line by line: a table's
 * next column joins the lines of the columns before it. */
static void merge_column(engine *e, size_t first, size_t start)
{
	size_t lines = start - first, n = e->nrows - start;
	for (size_t i = 0; i < n; i++) {
		row *src = &e->rows[start + i];
		if (i >= lines) {
			e->rows[first + i] = *src; /* a line the columns before had not */
			continue;
		}
		row *dst = &e->rows[first + i];
		grow_array((void **)&dst->frags, &dst->frags_cap, dst->nfrags + src->nfrags,
		           sizeof *dst->frags);
		memcpy(dst->frags + dst->nfrags, src->frags, src->nfrags * sizeof *src->frags);
		dst->nfrags += src->nfrags;
		free(src->frags);
		free(src->marks);
	}
	e->nrows = first + (lines > n ? lines : n);
}

/* A table row: each cell wrapped in its column, the lines side by side, a rule under it. */
static void lay_table_row(engine *e, const block *b, double width, double size)
{
	size_t first = e->nrows;
	double x = e->left_pt;
	if (e->cur_block == 0 || e->doc->blocks[e->cur_block - 1].kind != BLOCK_TABLE)
		table_widths(e, e->cur_block, width, size);
	for (size_t c = 0; c < b->nspans && c < TABLE_MAX_COLS; c++) {
		double cw = e->table_w[c];
		span cell = b->spans[c];
		if (b->header)
			cell.face = FACE_BOLD;
		if (*cell.text) {
			size_t start = e->nrows;
			e->cur_part = PART_CELL(c);
			wrap(e, &cell, 1, x, cw - size * 0.6, size, b->colour);
			if (start > first)
				merge_column(e, first, start);
		}
		x += cw;
	}
	if (e->nrows == first)
		new_row(e, size);
	/* A little air above and below the row's lines, and a rule under it. */
	e->rows[first].height_pt += size * 0.2;
	e->rows[first].baseline_pt += size * 0.2;
	row *last = &e->rows[e->nrows - 1];
	last->height_pt += size * 0.2;
	double rule = b->header ? 0.8 : 0.4;
	mark m = {ITEM_RECT,
	          e->left_pt,
	          last->height_pt - rule,
	          width,
	          rule,
	          0,
	          1,
	          b->header ? COLOUR_TEXT : COLOUR_RULE,
	          0};
	ARRAY_PUSH(last->marks, last->nmarks, last->marks_cap, m);
	for (size_t i = first; i + 1 < e->nrows; i++)
		e->rows[i].keep_with_next = 1; /* a row of a table is never split */
	if (b->header) {
		last->keep_with_next = 1; /* nor its header left alone at a page's foot */
		e->header_first = first;
		e->header_n = e->nrows - first;
	}
}

static void lay_block(engine *e, const block *b)
{
	const page_template *t = e->t;
	double size = t->size_pt[b->role];
	double body = t->size_pt[ROLE_BODY];
	if (past_foot(e, e->aside_first, e->aside_h_pt))
		e->right_pt = e->aside_right_pt;
	if (past_foot(e, e->logo_first, e->logo_h_pt)) {
		e->right_pt = e->logo_right_pt;
		e->logo_h_pt = 0;
	}
	double width = e->right_pt - e->left_pt;
	double gap = space_between(e->prev, b);
	if (gap > 0)
		add_space_row(e, gap * body);
	if (b->kind != BLOCK_KEEP_BEGIN && b->kind != BLOCK_KEEP_END)
		e->prev = b;
	if (b->kind != BLOCK_TABLE && b->kind != BLOCK_GRID)
		e->header_n = 0; /* the table, if any, has ended */
	if ((b->kind == BLOCK_TABLE || b->kind == BLOCK_GRID) && b->header)
		e->header_n = 0; /* a header row is not repeated above itself */
	e->cur_part = 0;
	switch (b->kind) {
	case BLOCK_TABLE:
		lay_table_row(e, b, width, size);
		break;
	case BLOCK_TEXT: {
		size_t first = wrap(e, b->spans, b->nspans, e->left_pt, width, size, b->colour);
		for (size_t i = first; b->centred && i < e->nrows; i++) {
			row *r = &e->rows[i];
			if (!r->nfrags)
				continue;
			const frag *last = &r->frags[r->nfrags - 1];
			double shift = (width - (last->x_pt + last->w_pt - e->left_pt)) / 2;
			for (size_t k = 0; k < r->nfrags; k++)
				r->frags[k].x_pt += shift;
		}
		if (b->keep_with_next)
			for (size_t i = e->nrows; i-- > 0 && !e->rows[i].is_space;) {
				e->rows[i].keep_with_next = 1;
				if (i == 0 || e->rows[i - 1].keep_with_next == 0)
					break;
			}
		break;
	}
	case BLOCK_ITEM: {
		double indent = ITEM_INDENT_EM * size;
		size_t first =
		    wrap(e, b->spans, b->nspans, e->left_pt + indent, width - indent, size, b->colour);
		double w = engine_measure(e, b->spans[0].face, size, b->marker, strlen(b->marker));
		add_frag(&e->rows[first], e->left_pt, w, b->spans[0].face, size, b->colour, b->marker,
		         strlen(b->marker), PART_LABEL);
		/* The marker must come first on its line for readers that extract text. */
		row *r = &e->rows[first];
		frag marker = r->frags[r->nfrags - 1];
		memmove(r->frags + 1, r->frags, (r->nfrags - 1) * sizeof *r->frags);
		r->frags[0] = marker;
		break;
	}
	case BLOCK_ROW: {
		double label_w = ROW_LABEL_EM * size;
		size_t first =
		    wrap(e, b->spans, b->nspans, e->left_pt + label_w, width - label_w, size, b->colour);
		span label = {FACE_BOLD, b->marker};
		/* The label wraps in its own column; its lines pair with the value's. */
		size_t value_rows = e->nrows - first;
		engine sub = *e;
		sub.rows = NULL;
		sub.nrows = sub.rows_cap = 0;
		sub.cur_part = PART_LABEL;
		wrap(&sub, &label, 1, e->left_pt, label_w - size * 0.5, size, b->colour);
		for (size_t i = 0; i < sub.nrows; i++) {
			if (i >= value_rows) {
				new_row(e, size);
				value_rows++;
			}
			row *dst = &e->rows[first + i];
			for (size_t k = 0; k < sub.rows[i].nfrags; k++) {
				frag *f = &sub.rows[i].frags[k];
				grow_array((void **)&dst->frags, &dst->frags_cap, dst->nfrags + 1,
				           sizeof *dst->frags);
				memmove(dst->frags + 1, dst->frags, dst->nfrags * sizeof *dst->frags);
				dst->frags[0] = *f;
				dst->nfrags++;
			}
			free(sub.rows[i].frags);
		}
		free(sub.rows);
		break;
	}
	case BLOCK_GRID: {
		/* First column 38% of the width (or col_frac[0]), the others share the rest equally
		 * (or are col_frac[1] wide each). */
		size_t ncols = b->nspans ? b->nspans - 1 : 0;
		/* Given fractions are of the whole column, beside a drawing or not, so boxes line up. */
		double whole = (e->aside_h_pt > 0 ? e->aside_right_pt : e->right_pt) - e->left_pt;
		double first_w = !ncols ? width : b->col_frac[0] > 0 ? whole * b->col_frac[0] : width * 0.38;
		double col_w = !ncols               ? 0
		               : b->col_frac[1] > 0 ? whole * b->col_frac[1]
		                                    : (width - first_w) / (double)ncols;
		double text_x = e->left_pt;
		if (b->ticks && b->tick_first) {
			/* The box first, the text beside it: boxes in one column at the left. */
			text_x += size * 1.7;
			first_w = width;
			col_w = 0;
		}
		size_t first = wrap(e, b->spans, 1, text_x, first_w - (text_x - e->left_pt) - size * 0.5,
		                    size, b->colour);
		row *r = &e->rows[first];
		if (b->ticks) {
			/* Room above and below the boxes, so a pen can tick them. */
			e->rows[first].height_pt += size * 0.25;
			e->rows[first].baseline_pt += size * 0.25;
			e->rows[e->nrows - 1].height_pt += size * 0.25;
		}
		for (size_t k = 0; k < ncols; k++) {
			double cx = b->tick_first ? e->left_pt + size * 0.95 / 2
			                          : e->left_pt + first_w + col_w * ((double)k + 0.5);
			if (b->ticks) {
				double side = size * 0.95;
				/* Centred on the first line's letters. */
				double mid = r->baseline_pt - size * e->m->ascent[FACE_REGULAR] / 2;
				mark m = {ITEM_RECT, cx - side / 2, mid - side / 2,
				          side,      side,          0.8,
				          0,         COLOUR_TEXT,   0};
				ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
			} else {
				const span *sp = &b->spans[k + 1];
				double w = engine_measure(e, sp->face, size, sp->text, strlen(sp->text));
				add_frag(r, cx - w / 2, w, sp->face, size, b->colour, sp->text,
				         strlen(sp->text), PART_CELL(k + 1));
			}
		}
		if (b->rule_below) {
			row *last = &e->rows[e->nrows - 1];
			mark m = {ITEM_RECT, e->left_pt, last->height_pt - 0.5, width, 0.5,
			          0,         1,          COLOUR_RULE,           0};
			ARRAY_PUSH(last->marks, last->nmarks, last->marks_cap, m);
		}
		for (size_t i = first; i + 1 < e->nrows; i++)
			e->rows[i].keep_with_next = 1; /* a row of a table is never split */
		if (b->header) {
			/* The grid's header row heads each page the grid goes on to. */
			e->rows[e->nrows - 1].keep_with_next = 1;
			e->header_first = first;
			e->header_n = e->nrows - first;
		}
		break;
	}
	case BLOCK_IMAGE: {
		double h = b->height_em * body;
		double aspect = e->images ? e->images[b->image] : 1;
		double w = h * aspect;
		if (w > width) {
			w = width;
			h = w / aspect;
		}
		/* At the column's right, the clinic's name and address beside it, as on a
		 * letterhead: a row of no height carries it. */
		row *r = new_row(e, body);
		r->height_pt = 0;
		r->baseline_pt = 0;
		mark m = {ITEM_IMAGE, e->right_pt - w, 0, w, h, 0, 0, COLOUR_TEXT, b->image};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		r->keep_with_next = 1; /* the logo stays with the clinic's name */
		e->logo_first = e->nrows - 1;
		e->logo_h_pt = h;
		e->logo_right_pt = e->right_pt;
		e->right_pt -= w + ASIDE_GAP_EM * body;
		break;
	}
	case BLOCK_DRAWING: {
		const drawing *dr = b->drawing;
		/* Labels never smaller than the template's small text (a sheet set in its least
		 * sizes drew the pain scale's at 15.5 pt), nor the drawing wider than the column. */
		double scale =
		    fmin(labels_readable(e, dr, b->height_em * body / dr->height), width / dr->width);
		double h = dr->height * scale, w = dr->width * scale;
		double x = e->left_pt + (width - w) / 2;
		row *r = new_row(e, body);
		r->height_pt = h + body * 0.3;
		mark m = {ITEM_DRAWING, x, 0, w, h, 0, 0, COLOUR_TEXT, 0, dr};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		drawing_labels(e, r, dr, x, scale, scale);
		r->keep_with_next = 1; /* a drawing stays with its caption */
		break;
	}
	case BLOCK_ASIDE_BEGIN: {
		const drawing *dr = b->drawing;
		/* Labels never smaller than the template's small text, nor the drawing wider than
		 * half the column. */
		double scale =
		    fmin(labels_readable(e, dr, b->height_em * body / dr->height), width * 0.5 / dr->width);
		/* Grown to fill its page (fill_pages): above its text, as wide as the column;
		 * beside it, no wider than GROWN_ASIDE of the column, so the steps keep their lines. */
		double base = scale;
		int stacked = e->stacked && e->stacked[e->cur_block];
		if (e->grow && e->grow[e->cur_block] > 1)
			scale =
			    fmin(base * e->grow[e->cur_block],
			         stacked ? width / dr->width : fmax(base, width * GROWN_ASIDE / dr->width));
		double w = dr->width * scale, h = dr->height * scale;
		if (stacked) {
			/* Above the text, centred, kept with its first line. */
			double x = e->left_pt + (width - w) / 2;
			row *r = new_row(e, body);
			r->height_pt = h + body * 0.6;
			r->baseline_pt = 0;
			mark m = {ITEM_DRAWING, x, 0, w, h, 0, 0, COLOUR_TEXT, 0, dr};
			ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
			drawing_labels(e, r, dr, x, scale, base);
			r->keep_with_next = 1;
			e->prev = NULL;
			break;
		}
		/* A row of no height carries the drawing; the text rows after it wrap beside it. */
		row *r = new_row(e, body);
		r->height_pt = 0;
		r->baseline_pt = 0;
		mark m = {ITEM_DRAWING, e->right_pt - w, 0, w, h, 0, 0, COLOUR_TEXT, 0, dr};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		drawing_labels(e, r, dr, e->right_pt - w, scale, base);
		e->aside_first = e->nrows - 1;
		e->aside_h_pt = h;
		e->aside_right_pt = e->right_pt;
		e->right_pt -= w + ASIDE_GAP_EM * body;
		break;
	}
	case BLOCK_ASIDE_END: {
		if (e->aside_h_pt <= 0) { /* the drawing was set above the text */
			e->prev = NULL;
			break;
		}
		double beside =
		    e->nrows > e->aside_first ? engine_span_rows(e, e->aside_first, e->nrows - 1) : 0;
		if (beside < e->aside_h_pt + 0.3 * body) {
			add_space_row(e, e->aside_h_pt + 0.3 * body - beside);
			e->rows[e->nrows - 1].is_space = 0; /* the drawing is there */
		}
		/* The drawing and the text beside it never split across pages; text below its
		 * foot may. */
		for (size_t i = e->aside_first; i + 1 < e->nrows; i++)
			if (engine_span_rows(e, e->aside_first, i) < e->aside_h_pt + 0.3 * body)
				e->rows[i].keep_with_next = 1;
		e->right_pt = e->aside_right_pt;
		e->aside_h_pt = 0;
		e->prev = NULL;
		break;
	}
	case BLOCK_SPACE:
		add_space_row(e, b->space_em * body);
		e->rows[e->nrows - 1].hold_with_next = b->hold_with_next; /* a section's end is its own */
		break;
	case BLOCK_BOX_BEGIN: {
		box_info bi = {b->box, e->left_pt, e->right_pt};
		ARRAY_PUSH(e->boxes, e->nboxes, e->boxes_cap, bi);
		e->cur_box = (int)e->nboxes - 1;
		if (e->cur_group < 0) {
			/* A box is kept on one page when it fits, like a keep group. */
			e->cur_group = new_group(e, KEEP_COSTED, NULL, NULL, NULL);
			e->box_owns_group = 1;
		}
		double pad = BOX_PAD_EM * body;
		add_space_row(e, pad);
		e->rows[e->nrows - 1].is_space = 0; /* padding belongs to the box */
		e->rows[e->nrows - 1].keep_with_next = 1;
		e->left_pt += pad;
		e->right_pt -= pad;
		break;
	}
	case BLOCK_BOX_END: {
		double pad = BOX_PAD_EM * body;
		/* The closing padding goes with the last line: no empty end of a box on a page. */
		if (e->nrows)
			e->rows[e->nrows - 1].keep_with_next = 1;
		add_space_row(e, pad);
		e->rows[e->nrows - 1].is_space = 0;
		e->rows[e->nrows - 1].keep_with_next = 0;
		e->left_pt -= pad;
		e->right_pt += pad;
		e->cur_box = -1;
		if (e->box_owns_group) {
			e->cur_group = -1;
			e->box_owns_group = 0;
		}
		break;
	}
	case BLOCK_KEEP_BEGIN:
		e->cur_group = new_group(e, b->keep, b->nspans ? b->spans[0].text : NULL,
		                         b->nspans > 1 ? b->spans[1].text : NULL,
		                         b->nspans > 2 ? b->spans[2].text : NULL);
		break;
	case BLOCK_KEEP_END:
		e->cur_group = -1;
		break;
	}
	/* A block that must not end a page (a table row before the next, a list's last items). */
	if (b->keep_with_next && is_textual(b) && e->nrows)
		e->rows[e->nrows - 1].keep_with_next = 1;
	if (b->hold_with_next && e->nrows)
		e->rows[e->nrows - 1].hold_with_next = 1;
}

/* Shortens text with an ellipsis until it fits max_w; returns a new string. The longest
 * prefix that fits is found by bisection over character boundaries: O(n log n) however
 * long the text; it is then cut back to a word's end where there is one. */
char *engine_fit(const engine *e, face_id face, double size, const char *text, double max_w)
{
	size_t len = strlen(text);
	if (len == 0 || engine_measure(e, face, size, text, len) <= max_w)
		return xstrdup(text);
	double room = max_w - engine_measure(e, face, size, ELLIPSIS, strlen(ELLIPSIS));
	size_t *starts = xmalloc((len + 1) * sizeof *starts), n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			starts[n++] = i;
	/* starts[lo] bytes fit (none always does); starts[hi] bytes do not, or hi == n. */
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (engine_measure(e, face, size, text, starts[mid]) <= room)
			lo = mid;
		else
			hi = mid;
	}
	/* Cut between words where the text has spaces and that keeps half of what fits ("an
	 * emergency department…", not "department n…"), and never after a space, a comma or an
	 * ampersand ("Sports Massage…", not "Sports Massage &…"). */
	size_t cut = starts[lo], word = cut;
	if (cut < len && text[cut] != ' ') {
		while (word > 0 && text[word - 1] != ' ')
			word--;
		if (word > cut / 2)
			cut = word;
	}
	while (cut > 0 && strchr(" ,;:&/-", text[cut - 1]))
		cut--;
	strbuf sb = {0};
	sb_printf(&sb, "%.*s" ELLIPSIS, (int)cut, text);
	free(starts);
	return sb_take(&sb);
}

/* "Page 2 of 4" in the document's words (English for a document that gives none). */
static char *page_number(const document *d, size_t n, size_t m)
{
	char ns[24], ms[24];
	snprintf(ns, sizeof ns, "%zu", n);
	snprintf(ms, sizeof ms, "%zu", m);
	const char *keys[] = {"n", "m"}, *values[] = {ns, ms};
	return text_fill(d->page_format ? d->page_format : "Page {n} of {m}", keys, values, 2);
}

/* The footer: the clinic's name and contact on one line when they fit beside the page
 * number, else the contact goes on a line of its own. Returns the lines (1 or 2) and the
 * joined text in *one_line when it fits. */
static int footer_lines(const engine *e, const document *d, char **one_line)
{
	const page_template *t = e->t;
	double size = t->size_pt[ROLE_SMALL];
	double width = t->page_width_pt - t->margin_left_pt - t->margin_right_pt;
	char *widest = page_number(d, 99, 99);
	double number_w = engine_measure(e, FACE_REGULAR, size, widest, strlen(widest));
	free(widest);
	strbuf sb = {0};
	sb_append(&sb, d->footer_left);
	if (*d->footer_contact)
		sb_printf(&sb, "%s%s", sb.len ? " \xC2\xB7 " : "", d->footer_contact);
	if (!*d->footer_contact || !*d->footer_left ||
	    engine_measure(e, FACE_REGULAR, size, sb.data, sb.len) <= width - number_w - size * 2) {
		*one_line = sb_take(&sb);
		return 1;
	}
	sb_free(&sb);
	*one_line = NULL;
	return 2;
}

/* Header (patient, date, a rule) and footer (clinic, page number) on every page. */
static void furniture(engine *e, layout *l, const document *d)
{
	const page_template *t = e->t;
	double size = t->size_pt[ROLE_SMALL];
	double left = t->margin_left_pt, right = t->page_width_pt - t->margin_right_pt;
	/* One size below the margin: room for accents above capitals (Ż, Å). */
	double top_base = t->page_height_pt - t->margin_top_pt - size;
	double foot_base = t->margin_bottom_pt + size * 0.25;
	char *joined;
	int nlines = footer_lines(e, d, &joined);
	for (size_t i = 0; i < l->npages; i++) {
		layout_page *p = &l->pages[i];
		double rw = engine_measure(e, FACE_REGULAR, size, d->header_right, strlen(d->header_right));
		char *hl = engine_fit(e, FACE_BOLD, size, d->header_left, right - left - rw - size * 2);
		page_add_text(p, left, top_base, engine_measure(e, FACE_BOLD, size, hl, strlen(hl)),
		              FACE_BOLD, size, COLOUR_TEXT, hl);
		free(hl);
		page_add_text(p, right - rw, top_base, rw, FACE_REGULAR, size, COLOUR_TEXT, d->header_right);
		if (i == 0 && d->one_page && l->ntags) {
			/* A one-page sheet (urgent, today) names its patient and date only here: on
			 * page 1 they are read, first, not passed over as a running header. */
			layout_tags_lead_with(l, 1);
			p->items[p->nitems - 2].tag = p->items[p->nitems - 1].tag = 1;
			p->items[p->nitems - 2].space_after = 1;
		}
		page_add_rect(p, left, top_base - size * 0.6, right - left, 0.6, 1, COLOUR_RULE, 0,
		              COLOUR_RULE);
		char *num = page_number(d, i + 1, l->npages);
		double nw = engine_measure(e, FACE_REGULAR, size, num, strlen(num));
		double line_h = size * 1.3;
		page_add_rect(p, left, foot_base + line_h * nlines, right - left, 0.6, 1, COLOUR_RULE, 0,
		              COLOUR_RULE);
		const char *lines[2] = {nlines == 1 ? joined : d->footer_left, d->footer_contact};
		for (int k = 0; k < nlines; k++) {
			double y = foot_base + line_h * (nlines - 1 - k);
			double avail = right - left - (k == nlines - 1 ? nw + size * 2 : 0);
			char *fl = engine_fit(e, FACE_REGULAR, size, lines[k], avail);
			page_add_text(p, left, y, engine_measure(e, FACE_REGULAR, size, fl, strlen(fl)),
			              FACE_REGULAR, size, COLOUR_TEXT, fl);
			free(fl);
		}
		page_add_text(p, right - nw, foot_base, nw, FACE_REGULAR, size, COLOUR_TEXT, num);
		free(num);
	}
	free(joined);
}

/* Every item gets the template's colours for its roles, so that the PDF writer needs no
 * template (labels of drawings keep their own). */
static void resolve_colours(layout *l, const page_template *t)
{
	for (size_t i = 0; i < l->npages; i++)
		for (size_t k = 0; k < l->pages[i].nitems; k++) {
			layout_item *it = &l->pages[i].items[k];
			if (it->kind == ITEM_TEXT && !it->has_rgb)
				it->ink = t->colour[it->colour];
			if (it->kind == ITEM_RECT) {
				it->fill_ink = t->colour[it->fill];
				it->stroke_ink = t->colour[it->stroke];
			}
		}
}

/* How a document is set: where page 1's body starts (0: at the top; a letter's, below the
 * window), the body's line spacing, how much larger each block's aside drawing is drawn
 * and whether it is set above its text rather than beside it (NULL: as the document asks;
 * fill_pages sets them). */
typedef struct setting {
	double first_top_pt;
	double spacing;
	const double *grow;
	const unsigned char *stacked;
} setting;

/* Where an aside drawing's block went: its page (SIZE_MAX for other blocks) and the
 * drawing's height as drawn. */
typedef struct aside_place {
	size_t page;
	double h_pt;
} aside_place;

/* d laid out as set; asides, when not NULL, gets where each block's aside drawing went. */
static layout *lay_out(const document *d, const page_template *t, const layout_measure *m, const setting *set,
                       aside_place *asides)
{
	page_template at = *t;
	at.line_spacing = set->spacing;
	engine e = {.t = &at,
	            .m = m,
	            .cur_box = -1,
	            .cur_group = -1,
	            .images = d->image_aspect,
	            .first_top_pt = set->first_top_pt,
	            .doc = d,
	            .grow = set->grow,
	            .stacked = set->stacked};
	e.left_pt = t->margin_left_pt;
	e.right_pt = t->page_width_pt - t->margin_right_pt;
	layout *l = xcalloc(1, sizeof *l);
	l->line_spacing = set->spacing;
	engine_tag_blocks(&e, l);
	for (size_t i = 0; i < d->nblocks; i++) {
		e.cur_block = i;
		lay_block(&e, &d->blocks[i]);
	}
	l->width_pt = t->page_width_pt;
	l->height_pt = t->page_height_pt;
	placed *where = xcalloc(e.nrows ? e.nrows : 1, sizeof *where);
	char *joined;
	int nlines = footer_lines(&e, d, &joined);
	free(joined);
	engine_paginate(&e, l, where, nlines);
	engine_draw_boxes(&e, l, where);
	furniture(&e, l, d);
	if (asides) {
		for (size_t i = 0; i < d->nblocks; i++)
			asides[i] = (aside_place){SIZE_MAX, 0};
		for (size_t i = 0; i < e.nrows; i++)
			if (d->blocks[e.rows[i].block].kind == BLOCK_ASIDE_BEGIN && e.rows[i].nmarks)
				asides[e.rows[i].block] =
				    (aside_place){where[i].page, e.rows[i].marks[0].h_pt};
	}
	free(where);
	drop_rows(&e, 0);
	free(e.rows);
	free(e.boxes);
	free(e.groups);
	free(e.part_tag);
	return l;
}

/* A document over its page limit (page_limit) is set again with its lines closer, in steps
 * down to this share of the template's line spacing, never closer than a floor: 1.1 times
 * the font size on a one-page sheet (a second page the patient may never turn to is worse),
 * else 1.15 (a template may not ask for less than 1.2: this is for fitting only). One whose
 * last page is less than THIN_LAST full is set at most THIN_STEPS closer in standard print
 * (1.25 -> 1.15: 15 Letter handouts in 253 ended on a page of three bullets) and one step in
 * large print (1.3 -> 1.25): a fuller last page is worth its paper, and large print's lines
 * must stay open for readers with low vision (helper-17 found 1.15 in a six-page
 * large-print handout). The closer setting is kept only when it saves a page. */
#define TIGHTEST         0.88
#define TIGHT_STEP       0.04
#define ONE_PAGE_SPACING 1.1
#define FIT_SPACING      1.15
#define THIN_LAST        0.5
#define THIN_STEPS       2

/* The most pages d may take: one for a one-page sheet, else the template's <pages max>
 * (0: no limit). */
static int page_limit(const document *d, const page_template *t)
{
	return d->one_page ? 1 : t->max_pages;
}

/* d set at the template's spacing, or closer to keep within its page limit; asides as
 * lay_out's. */
static layout *lay_out_within(const document *d, const page_template *t, const layout_measure *m,
                              double first_top, aside_place *asides)
{
	setting set = {first_top, t->line_spacing, NULL};
	layout *l = lay_out(d, t, m, &set, asides);
	int limit = page_limit(d, t);
	int over = limit && (int)l->npages > limit;
	if (!over && (l->npages < 2 || l->pages[l->npages - 1].fill >= THIN_LAST))
		return l;
	/* The steps, from the template's spacing down to the floor; the closest is tried first,
	 * for when it saves no page neither does any other (one layout, not one a step). */
	double floor = d->one_page ? ONE_PAGE_SPACING : FIT_SPACING, steps[8];
	int n = 0;
	int thin_steps = template_large_print(t) ? 1 : THIN_STEPS;
	for (double f = 1 - TIGHT_STEP; f >= TIGHTEST - 1e-9 && n < (over ? 8 : thin_steps) &&
	                                t->line_spacing * (f + TIGHT_STEP) > floor + 1e-9;
	     f -= TIGHT_STEP)
		steps[n++] = fmax(t->line_spacing * f, floor);
	if (n == 0)
		return l;
	/* The closest's asides apart: the first layout's stand when it saves no page. */
	aside_place *closest_asides = asides ? xcalloc(d->nblocks ? d->nblocks : 1, sizeof *asides) : NULL;
	set.spacing = steps[n - 1];
	layout *closest = lay_out(d, t, m, &set, closest_asides);
	if (closest->npages >= l->npages) {
		layout_free(closest);
		free(closest_asides);
		return l;
	}
	layout_free(l);
	/* The loosest step that does as well: within the limit, or as few pages as the closest. */
	size_t want = over && (size_t)limit > closest->npages ? (size_t)limit : closest->npages;
	for (int k = 0; k + 1 < n; k++) {
		set.spacing = steps[k];
		layout *closer = lay_out(d, t, m, &set, asides);
		if (closer->npages <= want) {
			layout_free(closest);
			free(closest_asides);
			return closer;
		}
		layout_free(closer);
	}
	if (asides)
		memcpy(asides, closest_asides, d->nblocks * sizeof *asides);
	free(closest_asides);
	return closest;
}

/* A page before the last less full than the template's <pages fill> has its aside drawings
 * (an exercise's, the body map) drawn larger, up to GROW_MAX times, where that fills it
 * without a page more, a split more or another page emptier: a card alone on its page draws
 * its picture larger rather than leave the page's foot blank. A drawing beside text taller
 * than itself adds little by growing: then it is set above its text instead, at least
 * STACKED_MIN times larger (smaller, it reads as a stamp). Each try is one layout; what does
 * not help is tried once more at half the growth, then given up. */
#define GROW_MAX    1.5
#define STACKED_MIN 1.25 /* a drawing set above its text is drawn at least this much larger */
#define GROW_TRIES  16

/* How many of l's page breaks split something (a card, a box, a paragraph). */
static size_t splits(const layout *l)
{
	size_t n = 0;
	for (size_t p = 0; p < l->npages; p++)
		n += l->pages[p].break_after != BREAK_CLEAN;
	return n;
}

/* How far l's pages before the last fall short of min_fill: how many, then by how much
 * (lower is better). */
static double shortfall(const layout *l, double min_fill)
{
	double under = 0, missing = 0;
	for (size_t p = 0; p + 1 < l->npages; p++)
		if (l->pages[p].fill < min_fill)
			under++, missing += min_fill - l->pages[p].fill;
	return under * 100 + missing;
}

/* The first page before l's last under min_fill, not given up, with an aside drawing on it
 * that may yet grow or be stacked; its drawings' height in *drawn. SIZE_MAX: none. */
static size_t page_to_fill(const layout *l, double min_fill, const aside_place *asides, size_t n,
                           const double *grow, const unsigned char *stacked, const unsigned char *tries,
                           double *drawn)
{
	for (size_t p = 0; p + 1 < l->npages; p++) {
		if (l->pages[p].fill >= min_fill || tries[p] >= 4)
			continue;
		*drawn = 0;
		int may = 0;
		for (size_t i = 0; i < n; i++)
			if (asides[i].page == p) {
				*drawn += asides[i].h_pt;
				may |= grow[i] < GROW_MAX - 1e-9 || !stacked[i];
			}
		if (may && *drawn > 0)
			return p;
	}
	return SIZE_MAX;
}

#define FILL_AIM 0.1 /* drawings grow on pages under <pages fill> plus this share */

static layout *fill_pages(const document *d, const page_template *t, const layout_measure *m,
                          double first_top, layout *l, aside_place *asides)
{
	size_t n = d->nblocks;
	double *grow = xcalloc(n, sizeof *grow), *trial = xcalloc(n, sizeof *trial);
	unsigned char *stacked = xcalloc(n, 1), *trial_stacked = xcalloc(n, 1);
	aside_place *trial_asides = xcalloc(n, sizeof *trial_asides);
	/* per page: 0 grow by what it lacks, 1 by half that, 2 stack and grow by what it lacks,
	 * 3 by half that, 4 given up */
	unsigned char *tries = xcalloc(l->npages, 1);
	for (size_t i = 0; i < n; i++)
		grow[i] = 1;
	setting set = {first_top, l->line_spacing, trial, trial_stacked};
	double aim = t->min_fill + FILL_AIM;
	double drawn;
	size_t p;
	for (int k = 0; k < GROW_TRIES &&
	                (p = page_to_fill(l, aim, asides, n, grow, stacked, tries, &drawn)) != SIZE_MAX;
	     k++) {
		double need = (aim - l->pages[p].fill) * l->pages[p].room_pt;
		int stack = tries[p] >= 2;
		if (tries[p] % 2)
			need /= 2;
		memcpy(trial, grow, n * sizeof *grow);
		memcpy(trial_stacked, stacked, n);
		for (size_t i = 0; i < n; i++)
			if (asides[i].page == p) {
				trial[i] = fmin(GROW_MAX, grow[i] * (1 + need / drawn));
				if (stack && !stacked[i]) {
					trial_stacked[i] = 1; /* the drawing's height counts whole now */
					trial[i] = fmax(trial[i], STACKED_MIN);
				}
			}
		layout *next = lay_out(d, t, m, &set, trial_asides);
		if (next->npages <= l->npages && splits(next) <= splits(l) &&
		    shortfall(next, aim) < shortfall(l, aim) - 1e-9) {
			layout_free(l);
			l = next;
			memcpy(grow, trial, n * sizeof *grow);
			memcpy(stacked, trial_stacked, n);
			memcpy(asides, trial_asides, n * sizeof *asides);
		} else {
			layout_free(next);
			tries[p]++;
		}
	}
	free(grow);
	free(trial);
	free(stacked);
	free(trial_stacked);
	free(trial_asides);
	free(tries);
	return l;
}

/* d set within its page limit (lay_out_within), then its pages filled (fill_pages). */
static layout *lay_out_filled(const document *d, const page_template *t, const layout_measure *m,
                              double first_top)
{
	if (t->min_fill <= 0)
		return lay_out_within(d, t, m, first_top, NULL);
	aside_place *asides = xcalloc(d->nblocks ? d->nblocks : 1, sizeof *asides);
	layout *l = lay_out_within(d, t, m, first_top, asides);
	l = fill_pages(d, t, m, first_top, l, asides);
	free(asides);
	return l;
}

/* A one-page sheet in large print that its closest lines leave on two pages is set again
 * with every size brought down as far as the body goes to the template's small size (16 pt
 * in the shipped templates, RNIB's least for large print), kept when that saves the page:
 * an urgent sheet with all five red flags in Spanish went over (helper-19's population). */
static layout *lay_out_sheet(const document *d, const page_template *t, const layout_measure *m,
                             double first_top)
{
	layout *l = lay_out_filled(d, t, m, first_top);
	if (!d->one_page || l->npages < 2 || !template_large_print(t) ||
	    t->size_pt[ROLE_SMALL] >= t->size_pt[ROLE_BODY])
		return l;
	page_template least = *t; /* sizes apart, the same template */
	double k = t->size_pt[ROLE_SMALL] / t->size_pt[ROLE_BODY];
	for (int r = 0; r < ROLE_COUNT; r++)
		least.size_pt[r] = fmax(t->size_pt[ROLE_SMALL], t->size_pt[r] * k);
	layout *smaller = lay_out_filled(d, &least, m, first_top);
	if (smaller->npages >= l->npages) {
		layout_free(smaller);
		return l;
	}
	layout_free(l);
	return smaller;
}

int layout_over_limit(const layout *l, const document *d, const page_template *t)
{
	int limit = page_limit(d, t);
	return limit && (int)l->npages > limit;
}

layout *layout_document(const document *d, const page_template *t, const layout_measure *m)
{
	layout *l = lay_out_sheet(d, t, m, 0);
	resolve_colours(l, t);
	return l;
}

/* The space below a window before page 1's body: a blank line of body text. */
#define WINDOW_GAP_EM  1.5
#define SENDER_SIZE_PT 7.0
#define MARK_PT        0.5 /* a fold or hole mark's thickness */

layout *layout_letter(const document *d, const page_template *t, const layout_measure *m,
                      const layout_window *w, char **why)
{
	*why = NULL;
	engine e = {.t = t, .m = m};
	double lead = w->size_pt * 1.15;
	if (w->address_top_pt + lead * (double)w->nlines > w->h_pt + 0.001) {
		strbuf sb = {0};
		sb_printf(&sb, "the name and %zu address lines do not fit the envelope window (%.0f mm high)",
		          w->nlines - 1, w->h_pt / PT_PER_MM);
		*why = sb_take(&sb);
		return NULL;
	}
	for (size_t i = 0; i < w->nlines; i++)
		if (engine_measure(&e, FACE_REGULAR, w->size_pt, w->lines[i], strlen(w->lines[i])) >
		    w->w_pt) {
			strbuf sb = {0};
			if (i == 0)
				sb_printf(&sb, "the name is wider than the envelope window (%.0f mm)",
				          w->w_pt / PT_PER_MM);
			else
				sb_printf(&sb, "address line %zu is wider than the envelope window (%.0f mm)",
				          i, w->w_pt / PT_PER_MM);
			*why = sb_take(&sb);
			return NULL;
		}
	double window_bottom = t->page_height_pt - w->top_pt - w->h_pt;
	layout *l = lay_out_filled(d, t, m, window_bottom - WINDOW_GAP_EM * t->size_pt[ROLE_BODY]);
	layout_page *p = &l->pages[0];
	double top = t->page_height_pt - w->top_pt;
	/* Read after the body (an urgent box first), the clinic's line, then the address. */
	size_t first_item = p->nitems;
	if (w->sender && *w->sender) {
		/* The clinic's line, shortened rather than let out of the window. */
		char *line = engine_fit(&e, FACE_REGULAR, SENDER_SIZE_PT, w->sender, w->w_pt);
		double sw = engine_measure(&e, FACE_REGULAR, SENDER_SIZE_PT, line, strlen(line));
		/* Above the first address line's accents (a quarter of its size over its capitals),
		 * its own descenders and rule above those. */
		double base = top - w->address_top_pt + w->size_pt * 0.25 + SENDER_SIZE_PT * 0.6;
		page_add_text(p, w->x_pt, base, sw, FACE_REGULAR, SENDER_SIZE_PT, COLOUR_TEXT, line);
		page_add_rect(p, w->x_pt, base - SENDER_SIZE_PT * 0.35, sw, 0.4, 1, COLOUR_TEXT, 0,
		              COLOUR_TEXT);
		free(line);
	}
	for (size_t i = 0; i < w->nlines; i++) {
		double base =
		    top - w->address_top_pt - lead * (double)i - w->size_pt * m->ascent[FACE_REGULAR];
		page_add_text(p, w->x_pt, base,
		              engine_measure(&e, FACE_REGULAR, w->size_pt, w->lines[i], strlen(w->lines[i])),
		              FACE_REGULAR, w->size_pt, COLOUR_TEXT, w->lines[i]);
	}
	/* Read first, as they are seen first: the clinic's line, then the address, its lines
	 * apart (not "Hauptstraße 510115 Berlin"). */
	int has_sender = w->sender && *w->sender;
	layout_tags_lead_with(l, has_sender ? 2 : 1);
	for (size_t k = first_item; k < p->nitems; k++) {
		if (p->items[k].kind != ITEM_TEXT)
			continue;
		int is_sender = k == first_item && has_sender;
		p->items[k].tag = is_sender ? 1 : has_sender ? 2 : 1;
		p->items[k].space_after = !is_sender && k + 1 < p->nitems;
	}
	for (size_t i = 0; i < w->nmarks; i++)
		page_add_rect(p, w->marks[i].x_pt, t->page_height_pt - w->marks[i].top_pt - MARK_PT / 2,
		              w->marks[i].w_pt, MARK_PT, 1, COLOUR_TEXT, 0, COLOUR_TEXT);
	resolve_colours(l, t);
	return l;
}

/* The page sizes a PDF reader (and libharu) accepts, in points. */
#define PAGE_MIN_PT 3.0
#define PAGE_MAX_PT 14400.0

layout *layout_drawing(const drawing *d, const layout_measure *m)
{
	/* CSS pixels to points, shrunk when the drawing is larger than any PDF page may be; a
	 * page too small for a PDF is made larger around it. */
	double scale = fmin(0.75, PAGE_MAX_PT / fmax(d->width, d->height));
	engine e = {.m = m, .cur_box = -1, .cur_group = -1};
	row r = {0};
	drawing_labels(&e, &r, d, 0, scale, scale);
	layout *l = xcalloc(1, sizeof *l);
	/* fmin: 14400 / h * h may round a hair above 14400. */
	l->width_pt = fmin(PAGE_MAX_PT, fmax(PAGE_MIN_PT, d->width * scale));
	l->height_pt = fmin(PAGE_MAX_PT, fmax(PAGE_MIN_PT, d->height * scale));
	layout_page *p = layout_new_page(l);
	layout_item *it = page_add_item(p);
	*it = (layout_item){.kind = ITEM_DRAWING,
	                    .x_pt = 0,
	                    .y_pt = l->height_pt - d->height * scale,
	                    .w_pt = d->width * scale,
	                    .h_pt = d->height * scale,
	                    .drawing = d};
	for (size_t k = 0; k < r.nfrags; k++) {
		const frag *f = &r.frags[k];
		page_add_text(p, f->x_pt, l->height_pt - f->baseline_pt, f->w_pt, f->face, f->size_pt,
		              f->colour, f->text);
		p->items[p->nitems - 1].has_rgb = 1;
		p->items[p->nitems - 1].ink = f->rgb;
		free(f->text);
	}
	free(r.frags);
	return l;
}

void layout_free(layout *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->npages; i++) {
		for (size_t k = 0; k < l->pages[i].nitems; k++)
			free(l->pages[i].items[k].text);
		free(l->pages[i].items);
	}
	free(l->pages);
	for (size_t i = 0; i < l->ntags; i++)
		free(l->tags[i].alt);
	free(l->tags);
	free(l->lang);
	free(l);
}
