/* layout.c: device-independent line breaking and pagination. */
#include "layout.h"
#include "breaks.h"
#include "document.h"
#include "svg.h"
#include "template.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOX_PAD_EM 0.6        /* space between a box's border and its text, in body sizes */
#define ITEM_INDENT_EM 1.6    /* hanging indent of list items */
#define ROW_LABEL_EM 7.0      /* width of a table row's label column */
#define HEADER_GAP_EM 1.2     /* from the header rule to the body */
#define ASIDE_GAP_EM 1.5      /* between text and a drawing beside it */
#define ELLIPSIS "\xE2\x80\xA6"

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
	int is_space;   /* dropped at the top of a page */
	int box;        /* index into the box list, -1 outside boxes */
	int group;      /* keep-together group, -1 outside groups */
	size_t block;   /* the document block it comes from (a paragraph's lines share one) */
	size_t repeat_first, repeat_n; /* a table's body row: its header's rows, repeated atop a new page */
} row;

typedef struct box_info {
	box_kind kind;
	double left_pt, right_pt;
} box_info;

/* A keep-together group: whether it may split (see paginate) and the line that heads its
 * rest on the next page when it does. */
typedef struct group_info {
	int soft;
	const char *continued; /* borrowed from the block; NULL: none */
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
	const block *prev;  /* the block before, for the space between paragraphs */
	const double *images; /* width / height of each image */
	double left_pt, right_pt; /* the current column */
	size_t aside_first;       /* the first row beside an aside drawing */
	double aside_h_pt;        /* the aside drawing's height; 0 when none is open */
	double aside_right_pt;    /* the column's right edge before the aside */
	size_t header_first, header_n; /* the rows of the current table's header; n 0: none */
	size_t cur_block;              /* the block being laid out */
	const struct document *doc;    /* the document being laid out */
	double table_w[TABLE_MAX_COLS]; /* the current table's column widths */
} engine;

static double measure(const engine *e, face_id face, double size, const char *s, size_t len)
{
	return e->m->text_width(e->m->ctx, face, size, s, len);
}

static double line_height(const engine *e, double size)
{
	return size * e->t->line_spacing;
}

static row *new_row(engine *e, double size)
{
	grow_array((void **)&e->rows, &e->rows_cap, e->nrows + 1, sizeof *e->rows);
	row *r = &e->rows[e->nrows++];
	memset(r, 0, sizeof *r);
	r->height_pt = line_height(e, size);
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
		     const char *text, size_t len)
{
	/* Text of the same face and colour continues the fragment before it. */
	if (r->nfrags) {
		frag *last = &r->frags[r->nfrags - 1];
		double gap_pt = x - (last->x_pt + last->w_pt);
		if (last->face == face && last->colour == colour && last->size_pt == size && gap_pt > -0.001 &&
		    gap_pt < size) {
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
	grow_array((void **)&r->frags, &r->frags_cap, r->nfrags + 1, sizeof *r->frags);
	r->frags[r->nfrags++] = (frag){x, w, face, size, colour, xstrndup(text, len), 0, {0, 0, 0}, 0};
}

static void add_space_row(engine *e, double height)
{
	int keep = e->nrows ? e->rows[e->nrows - 1].keep_with_next : 0;
	row *r = new_row(e, 1);
	r->height_pt = height;
	r->baseline_pt = 0;
	r->is_space = 1;
	r->keep_with_next = keep; /* a space after a heading must not become a break point */
}

/* A word: a run of pieces with no space between them, maybe in several faces. */
typedef struct piece {
	face_id face;
	const char *text;
	size_t len;
	double w_pt;
} piece;

/* Lays the spans out as lines between x and x + width. Returns the first row added. */
static size_t wrap_once(engine *e, const span *spans, size_t nspans, double x, double width, double size,
			colour_id colour)
{
	size_t first = e->nrows;
	row *r = NULL;
	double pen = 0;      /* from x */
	int space_before = 0;
	int soft = 0; /* the unit before ended where a line may break with no space (CJK) */
	for (size_t si = 0; si < nspans; si++) {
		const span *sp = &spans[si];
		const char *s = sp->text;
		double space_w = measure(e, sp->face, size, " ", 1);
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
			double w = measure(e, sp->face, size, s, len);
			int glued = !space_before && !soft && r && pen > 0;
			double gap = space_before && pen > 0 ? space_w : 0;
			if (!r || (!glued && pen + gap + w > width + 0.001)) {
				r = new_row(e, size);
				pen = 0;
				gap = 0;
			}
			while (pen + gap + w > width + 0.001) {
				/* Wider than the column: break the word at the last character that fits. */
				size_t take = 0, next;
				double tw = 0;
				while (take < len) {
					uint32_t cp;
					next = take + utf8_decode(s + take, len - take, &cp);
					double nw = measure(e, sp->face, size, s, next);
					if (pen + gap + nw > width + 0.001 && take > 0)
						break;
					take = next;
					tw = nw;
					if (pen + gap + nw > width + 0.001)
						break; /* one character wider than the column: it still goes */
				}
				add_frag(r, x + pen + gap, tw, sp->face, size, colour, s, take);
				s += take;
				len -= take;
				w = measure(e, sp->face, size, s, len);
				r = new_row(e, size);
				pen = 0;
				gap = 0;
			}
			if (len) {
				add_frag(r, x + pen + gap, w, sp->face, size, colour, s, len);
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
			size_t len = breaks_unit(s, strlen(s), &soft_after);
			double w = measure(e, spans[si].face, size, s, len);
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
 * a misdial); the other columns share what is left by their shares of the width, and wrap
 * (a word wider than its column breaks). */
static void table_widths(engine *e, size_t first, double width, double size)
{
	const block *head = &e->doc->blocks[first];
	size_t ncols = head->nspans < TABLE_MAX_COLS ? head->nspans : TABLE_MAX_COLS;
	double taken = 0, rest_frac = 0;
	for (size_t c = 0; c < ncols; c++) {
		if (head->whole_cols & (1u << c)) {
			e->table_w[c] = fmax(width * head->col_frac[c], column_need(e, first, c, size));
			taken += e->table_w[c];
		} else {
			rest_frac += head->col_frac[c];
		}
	}
	for (size_t c = 0; c < ncols; c++)
		if (!(head->whole_cols & (1u << c)))
			e->table_w[c] = rest_frac > 0 ? fmax(0, width - taken) * head->col_frac[c] / rest_frac : 0;
}

/* Opens a keep-together group. A soft one (a box, an exercise card) may still split when
 * moving it whole would leave much of a page empty; a hard one (a note) never does when it
 * fits on one page. */
static int new_group(engine *e, int soft, const char *continued)
{
	grow_array((void **)&e->groups, &e->groups_cap, (size_t)e->ngroups + 1, sizeof *e->groups);
	e->groups[e->ngroups] = (group_info){soft, continued};
	return e->ngroups++;
}

static int is_textual(const block *b)
{
	return b && (b->kind == BLOCK_TEXT || b->kind == BLOCK_ITEM || b->kind == BLOCK_ROW || b->kind == BLOCK_GRID);
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
	if ((b->kind == BLOCK_ROW && prev->kind == BLOCK_ROW) || (b->kind == BLOCK_GRID && prev->kind == BLOCK_GRID))
		return 0;
	if (b->kind == BLOCK_TEXT)
		return 0.4;
	return 0.15;
}

/* Adds a drawing's labels to row r as text in the handout's own face, the drawing being
 * placed at x (row top) with `scale` points per drawing unit. */
static void drawing_labels(const engine *e, row *r, const drawing *dr, double x, double scale)
{
	for (size_t i = 0; i < dr->nitems; i++) {
		const draw_item *it = &dr->items[i];
		if (it->kind != DRAW_TEXT)
			continue;
		face_id face = it->bold ? FACE_BOLD : FACE_REGULAR;
		double label_pt = it->font_size * scale;
		double tw = measure(e, face, label_pt, it->text, strlen(it->text));
		double tx = x + it->x * scale - (it->anchor == ANCHOR_MIDDLE ? tw / 2 : it->anchor == ANCHOR_END ? tw : 0);
		grow_array((void **)&r->frags, &r->frags_cap, r->nfrags + 1, sizeof *r->frags);
		r->frags[r->nfrags++] = (frag){tx, tw, face, label_pt, COLOUR_TEXT, xstrdup(it->text), 1, it->fill,
					       it->y * scale};
	}
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

/* The height of rows from..to, inclusive. */
static double span_rows(const engine *e, size_t from, size_t to)
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
		grow_array((void **)&dst->frags, &dst->frags_cap, dst->nfrags + src->nfrags, sizeof *dst->frags);
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
	mark m = {ITEM_RECT, e->left_pt, last->height_pt - rule, width, rule, 0, 1, b->header ? COLOUR_TEXT : COLOUR_RULE, 0};
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
	/* Below an aside drawing's foot the text takes the whole column again. */
	if (e->aside_h_pt > 0 && e->nrows > e->aside_first &&
	    span_rows(e, e->aside_first, e->nrows - 1) >= e->aside_h_pt + 0.3 * body)
		e->right_pt = e->aside_right_pt;
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
		size_t first = wrap(e, b->spans, b->nspans, e->left_pt + indent, width - indent, size, b->colour);
		double w = measure(e, b->spans[0].face, size, b->marker, strlen(b->marker));
		add_frag(&e->rows[first], e->left_pt, w, b->spans[0].face, size, b->colour, b->marker,
			 strlen(b->marker));
		/* The marker must come first on its line for readers that extract text. */
		row *r = &e->rows[first];
		frag marker = r->frags[r->nfrags - 1];
		memmove(r->frags + 1, r->frags, (r->nfrags - 1) * sizeof *r->frags);
		r->frags[0] = marker;
		break;
	}
	case BLOCK_ROW: {
		double label_w = ROW_LABEL_EM * size;
		size_t first = wrap(e, b->spans, b->nspans, e->left_pt + label_w, width - label_w, size, b->colour);
		span label = {FACE_BOLD, b->marker};
		/* The label wraps in its own column; its lines pair with the value's. */
		size_t value_rows = e->nrows - first;
		engine sub = *e;
		sub.rows = NULL;
		sub.nrows = sub.rows_cap = 0;
		wrap(&sub, &label, 1, e->left_pt, label_w - size * 0.5, size, b->colour);
		for (size_t i = 0; i < sub.nrows; i++) {
			if (i >= value_rows) {
				new_row(e, size);
				value_rows++;
			}
			row *dst = &e->rows[first + i];
			for (size_t k = 0; k < sub.rows[i].nfrags; k++) {
				frag *f = &sub.rows[i].frags[k];
				grow_array((void **)&dst->frags, &dst->frags_cap, dst->nfrags + 1, sizeof *dst->frags);
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
		double col_w = !ncols ? 0 : b->col_frac[1] > 0 ? whole * b->col_frac[1] : (width - first_w) / (double)ncols;
		double text_x = e->left_pt;
		if (b->ticks && b->tick_first) {
			/* The box first, the text beside it: boxes in one column at the left. */
			text_x += size * 1.7;
			first_w = width;
			col_w = 0;
		}
		size_t first = wrap(e, b->spans, 1, text_x, first_w - (text_x - e->left_pt) - size * 0.5, size, b->colour);
		row *r = &e->rows[first];
		if (b->ticks) {
			/* Room above and below the boxes, so a pen can tick them. */
			e->rows[first].height_pt += size * 0.25;
			e->rows[first].baseline_pt += size * 0.25;
			e->rows[e->nrows - 1].height_pt += size * 0.25;
		}
		for (size_t k = 0; k < ncols; k++) {
			double cx = b->tick_first ? e->left_pt + size * 0.95 / 2 : e->left_pt + first_w + col_w * ((double)k + 0.5);
			if (b->ticks) {
				double side = size * 0.95;
				/* Centred on the first line's letters. */
				double mid = r->baseline_pt - size * e->m->ascent[FACE_REGULAR] / 2;
				mark m = {ITEM_RECT, cx - side / 2, mid - side / 2, side, side, 0.8, 0, COLOUR_TEXT, 0};
				ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
			} else {
				const span *sp = &b->spans[k + 1];
				double w = measure(e, sp->face, size, sp->text, strlen(sp->text));
				add_frag(r, cx - w / 2, w, sp->face, size, b->colour, sp->text, strlen(sp->text));
			}
		}
		if (b->rule_below) {
			row *last = &e->rows[e->nrows - 1];
			mark m = {ITEM_RECT, e->left_pt, last->height_pt - 0.5, width, 0.5, 0, 1, COLOUR_RULE, 0};
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
		row *r = new_row(e, body);
		r->height_pt = h + body * 0.4;
		mark m = {ITEM_IMAGE, e->left_pt, 0, w, h, 0, 0, COLOUR_TEXT, b->image};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		r->keep_with_next = 1; /* the logo stays with the clinic's name */
		break;
	}
	case BLOCK_DRAWING: {
		const drawing *dr = b->drawing;
		double h = fmin(b->height_em * body, width * dr->height / dr->width);
		double scale = h / dr->height, w = dr->width * scale;
		double x = e->left_pt + (width - w) / 2;
		row *r = new_row(e, body);
		r->height_pt = h + body * 0.3;
		mark m = {ITEM_DRAWING, x, 0, w, h, 0, 0, COLOUR_TEXT, 0, dr};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		drawing_labels(e, r, dr, x, scale);
		r->keep_with_next = 1; /* a drawing stays with its caption */
		break;
	}
	case BLOCK_ASIDE_BEGIN: {
		const drawing *dr = b->drawing;
		double scale = b->height_em * body / dr->height;
		/* Labels never smaller than the template's small text, nor the drawing wider than
		 * half the column. */
		double label_min = drawing_smallest_label(dr);
		if (label_min > 0 && label_min * scale < t->size_pt[ROLE_SMALL])
			scale = t->size_pt[ROLE_SMALL] / label_min;
		scale = fmin(scale, width * 0.5 / dr->width);
		double w = dr->width * scale, h = dr->height * scale;
		/* A row of no height carries the drawing; the text rows after it wrap beside it. */
		row *r = new_row(e, body);
		r->height_pt = 0;
		r->baseline_pt = 0;
		mark m = {ITEM_DRAWING, e->right_pt - w, 0, w, h, 0, 0, COLOUR_TEXT, 0, dr};
		ARRAY_PUSH(r->marks, r->nmarks, r->marks_cap, m);
		drawing_labels(e, r, dr, e->right_pt - w, scale);
		e->aside_first = e->nrows - 1;
		e->aside_h_pt = h;
		e->aside_right_pt = e->right_pt;
		e->right_pt -= w + ASIDE_GAP_EM * body;
		break;
	}
	case BLOCK_ASIDE_END: {
		double beside = e->nrows > e->aside_first ? span_rows(e, e->aside_first, e->nrows - 1) : 0;
		if (beside < e->aside_h_pt + 0.3 * body) {
			add_space_row(e, e->aside_h_pt + 0.3 * body - beside);
			e->rows[e->nrows - 1].is_space = 0; /* the drawing is there */
		}
		/* The drawing and the text beside it never split across pages; text below its
		 * foot may. */
		for (size_t i = e->aside_first; i + 1 < e->nrows; i++)
			if (span_rows(e, e->aside_first, i) < e->aside_h_pt + 0.3 * body)
				e->rows[i].keep_with_next = 1;
		e->right_pt = e->aside_right_pt;
		e->aside_h_pt = 0;
		e->prev = NULL;
		break;
	}
	case BLOCK_SPACE:
		add_space_row(e, b->space_em * body);
		break;
	case BLOCK_BOX_BEGIN: {
		box_info bi = {b->box, e->left_pt, e->right_pt};
		ARRAY_PUSH(e->boxes, e->nboxes, e->boxes_cap, bi);
		e->cur_box = (int)e->nboxes - 1;
		if (e->cur_group < 0) {
			/* A box is kept on one page when it fits, like a keep group. */
			e->cur_group = new_group(e, 1, NULL);
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
		e->cur_group = new_group(e, b->soft, b->nspans ? b->spans[0].text : NULL);
		break;
	case BLOCK_KEEP_END:
		e->cur_group = -1;
		break;
	}
	/* A block that must not end a page (a table row before the next, a list's last items). */
	if (b->keep_with_next && is_textual(b) && e->nrows)
		e->rows[e->nrows - 1].keep_with_next = 1;
}

static layout_page *new_page(layout *l)
{
	grow_array((void **)&l->pages, &l->cap, l->npages + 1, sizeof *l->pages);
	layout_page *p = &l->pages[l->npages++];
	memset(p, 0, sizeof *p);
	return p;
}

static layout_item *add_item(layout_page *p)
{
	grow_array((void **)&p->items, &p->cap, p->nitems + 1, sizeof *p->items);
	layout_item *it = &p->items[p->nitems++];
	memset(it, 0, sizeof *it);
	return it;
}

static void add_text(layout_page *p, double x, double y, double w, face_id face, double size,
		     colour_id colour, const char *text)
{
	layout_item *it = add_item(p);
	it->kind = ITEM_TEXT;
	it->x_pt = x;
	it->y_pt = y;
	it->w_pt = w;
	it->face = face;
	it->size_pt = size;
	it->colour = colour;
	it->text = xstrdup(text);
}

static void add_rect(layout_page *p, double x, double y, double w, double h, int filled, colour_id fill,
		     double stroke_pt, colour_id stroke)
{
	layout_item *it = add_item(p);
	*it = (layout_item){.kind = ITEM_RECT, .x_pt = x, .y_pt = y, .w_pt = w, .h_pt = h,
			    .filled = filled, .fill = fill, .stroke_pt = stroke_pt, .stroke = stroke};
}

/* Shortens text with an ellipsis until it fits max_w; returns a new string. The longest
 * prefix that fits is found by bisection over character boundaries: O(n log n) however
 * long the text. */
static char *fit(const engine *e, face_id face, double size, const char *text, double max_w)
{
	size_t len = strlen(text);
	if (len == 0 || measure(e, face, size, text, len) <= max_w)
		return xstrdup(text);
	double room = max_w - measure(e, face, size, ELLIPSIS, strlen(ELLIPSIS));
	size_t *starts = xmalloc((len + 1) * sizeof *starts), n = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			starts[n++] = i;
	/* starts[lo] bytes fit (none always does); starts[hi] bytes do not, or hi == n. */
	size_t lo = 0, hi = n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (measure(e, face, size, text, starts[mid]) <= room)
			lo = mid;
		else
			hi = mid;
	}
	strbuf sb = {0};
	sb_printf(&sb, "%.*s" ELLIPSIS, (int)starts[lo], text);
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
	double number_w = measure(e, FACE_REGULAR, size, widest, strlen(widest));
	free(widest);
	strbuf sb = {0};
	sb_append(&sb, d->footer_left);
	if (*d->footer_contact)
		sb_printf(&sb, "%s%s", sb.len ? " \xC2\xB7 " : "", d->footer_contact);
	if (!*d->footer_contact || !*d->footer_left ||
	    measure(e, FACE_REGULAR, size, sb.data, sb.len) <= width - number_w - size * 2) {
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
		double rw = measure(e, FACE_REGULAR, size, d->header_right, strlen(d->header_right));
		char *hl = fit(e, FACE_BOLD, size, d->header_left, right - left - rw - size * 2);
		add_text(p, left, top_base, measure(e, FACE_BOLD, size, hl, strlen(hl)), FACE_BOLD, size,
			 COLOUR_TEXT, hl);
		free(hl);
		add_text(p, right - rw, top_base, rw, FACE_REGULAR, size, COLOUR_TEXT, d->header_right);
		add_rect(p, left, top_base - size * 0.6, right - left, 0.6, 1, COLOUR_RULE, 0, COLOUR_RULE);
		char *num = page_number(d, i + 1, l->npages);
		double nw = measure(e, FACE_REGULAR, size, num, strlen(num));
		double line_h = size * 1.3;
		add_rect(p, left, foot_base + line_h * nlines, right - left, 0.6, 1, COLOUR_RULE, 0, COLOUR_RULE);
		const char *lines[2] = {nlines == 1 ? joined : d->footer_left, d->footer_contact};
		for (int k = 0; k < nlines; k++) {
			double y = foot_base + line_h * (nlines - 1 - k);
			double avail = right - left - (k == nlines - 1 ? nw + size * 2 : 0);
			char *fl = fit(e, FACE_REGULAR, size, lines[k], avail);
			add_text(p, left, y, measure(e, FACE_REGULAR, size, fl, strlen(fl)), FACE_REGULAR, size,
				 COLOUR_TEXT, fl);
			free(fl);
		}
		add_text(p, right - nw, foot_base, nw, FACE_REGULAR, size, COLOUR_TEXT, num);
		free(num);
	}
	free(joined);
}

/* Where one placed row went. */
typedef struct placed {
	size_t page;
	double top_pt;
} placed;

/* Puts a row's marks and text on page p with its top at y. */
static void place_row(layout_page *p, const row *r, double y)
{
	for (size_t k = 0; k < r->nmarks; k++) {
		const mark *m = &r->marks[k];
		double bottom = y - m->below_top_pt - m->h_pt;
		if (m->kind == ITEM_IMAGE || m->kind == ITEM_DRAWING) {
			layout_item *it = add_item(p);
			*it = (layout_item){.kind = m->kind, .x_pt = m->x_pt, .y_pt = bottom, .w_pt = m->w_pt, .h_pt = m->h_pt,
					    .image = m->image, .drawing = m->drawing};
		} else {
			add_rect(p, m->x_pt, bottom, m->w_pt, m->h_pt, m->filled, m->colour, m->stroke_pt, m->colour);
		}
	}
	for (size_t k = 0; k < r->nfrags; k++) {
		const frag *f = &r->frags[k];
		add_text(p, f->x_pt, y - (f->baseline_pt > 0 ? f->baseline_pt : r->baseline_pt), f->w_pt, f->face,
			 f->size_pt, f->colour, f->text);
		if (f->has_rgb) {
			p->items[p->nitems - 1].has_rgb = 1;
			p->items[p->nitems - 1].ink = f->rgb;
		}
	}
}

/* Starts a page before row `next`; returns where its first row goes. When the page break
 * falls inside a group that names a continuation line ("Swimming, continued"), that line
 * heads the page; inside a table, its header row does. */
static double start_page(const engine *e, layout *l, size_t next, double body_top)
{
	layout_page *p = new_page(l);
	const row *first = &e->rows[next];
	if (first->repeat_n) {
		/* A table goes on: its header row heads the page again. */
		double y = body_top;
		for (size_t k = first->repeat_first; k < first->repeat_first + first->repeat_n; k++) {
			place_row(p, &e->rows[k], y);
			y -= e->rows[k].height_pt;
		}
		return y;
	}
	int g = first->group;
	if (g < 0 || !e->groups[g].continued)
		return body_top;
	/* Only when something of the group is printed above the break, not just its space. */
	int started = 0;
	for (size_t k = next; k-- > 0 && e->rows[k].group == g && !started;)
		started = !e->rows[k].is_space && (e->rows[k].nfrags || e->rows[k].nmarks);
	if (!started)
		return body_top;
	const page_template *t = e->t;
	double size = t->size_pt[ROLE_BODY];
	char *line = fit(e, FACE_BOLD, size, e->groups[g].continued, t->page_width_pt - t->margin_left_pt - t->margin_right_pt);
	double h = line_height(e, size);
	double baseline = (h - size) / 2 + size * e->m->ascent[FACE_BOLD];
	add_text(p, t->margin_left_pt, body_top - baseline, measure(e, FACE_BOLD, size, line, strlen(line)), FACE_BOLD,
		 size, COLOUR_ACCENT, line);
	free(line);
	return body_top - h;
}

/* ---- choosing the page breaks ----
 *
 * The breaks are chosen over the whole document, not one page at a time (Plass's optimal
 * pagination, as TeX's page builder would with unlimited lookahead): a page may start
 * before any row, and each way of cutting the rows into pages has a cost, the sum of its
 * pages' and breaks' costs below; dynamic programming finds the cheapest in one pass over
 * the rows (for each row, every earlier row a page starting there could reach). The costs
 * put fewer pages first, then pages filled evenly, then whole paragraphs, boxes and cards.
 * A break the document forbids (inside a chain of rows kept with the next, or inside a
 * group kept whole) costs more than any page, so it is chosen only when nothing else
 * fits. */
#define COST_PAGE 10000.0     /* each page */
#define COST_EMPTY 600.0      /* times the square of a page's empty share (not the last) */
#define COST_FORBIDDEN 100000.0 /* a break inside a kept chain or a hard keep-together group */
#define COST_OVERFULL 1000000.0 /* a row taller than a page, alone on it */
#define COST_SOFT_SPLIT 60.0  /* a card split under its "continued" line */
#define COST_BOX_SPLIT 40.0   /* a box drawn on two pages */
#define COST_ORPHAN 80.0      /* a paragraph's single first or last line alone on a page */
#define COST_PARA_SPLIT 10.0  /* a paragraph split across pages */
#define COST_SHORT_LAST 300.0 /* a last page of fewer than three lines */
#define LAST_FULL 0.3         /* a last page fuller than this share of a page costs nothing more */
#define COST_THIN_LAST 150.0  /* times the square of the share of LAST_FULL a last page lacks */

/* The height a page starting at row `first` spends above it: a table's header repeated, or
 * a group's "continued" line when the group began on the page before. */
static double page_head(const engine *e, size_t first)
{
	const row *r = &e->rows[first];
	if (r->repeat_n)
		return span_rows(e, r->repeat_first, r->repeat_first + r->repeat_n - 1);
	int g = r->group;
	if (first == 0 || g < 0 || !e->groups[g].continued)
		return 0;
	for (size_t k = first; k-- > 0 && e->rows[k].group == g;)
		if (!e->rows[k].is_space && (e->rows[k].nfrags || e->rows[k].nmarks))
			return line_height(e, e->t->size_pt[ROLE_BODY]);
	return 0;
}

/* What a page starting at row k (k > 0) splits: a set of 1 << layout_break. */
static unsigned break_splits(const engine *e, size_t k)
{
	const row *a = &e->rows[k - 1], *b = &e->rows[k];
	unsigned splits = 0;
	if (a->keep_with_next)
		splits |= 1u << BREAK_KEPT;
	if (a->group >= 0 && a->group == b->group)
		splits |= 1u << (e->groups[a->group].soft ? BREAK_CARD : BREAK_GROUP);
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
	    [BREAK_PARAGRAPH] = COST_PARA_SPLIT, [BREAK_ORPHAN] = COST_ORPHAN,  [BREAK_CARD] = COST_SOFT_SPLIT,
	    [BREAK_BOX] = COST_BOX_SPLIT,        [BREAK_GROUP] = COST_FORBIDDEN, [BREAK_KEPT] = COST_FORBIDDEN};
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
	row_sums s = {xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(size_t)),
		      xcalloc(n + 1, sizeof(size_t)), xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(double))};
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
				double empty = (room - h) / room;
				cost += COST_EMPTY * empty * empty;
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
}

static void paginate(engine *e, layout *l, placed *where, int footer_nlines)
{
	const page_template *t = e->t;
	double small = t->size_pt[ROLE_SMALL];
	double body_top = t->page_height_pt - t->margin_top_pt - small * 1.6 - HEADER_GAP_EM * small;
	double body_bottom = t->margin_bottom_pt + small * (1.3 * footer_nlines + 1.3);
	double avail = body_top - body_bottom;
	new_page(l);
	/* page_top: below a continuation line, or on a letter's page 1 below the window. */
	double first_top = e->first_top_pt > 0 && e->first_top_pt < body_top ? e->first_top_pt : body_top;
	unsigned char *starts = xcalloc(e->nrows + 1, 1);
	choose_breaks(e, first_top - body_bottom, avail, starts);
	double y = first_top, page_top = first_top, room_top = first_top, lowest = first_top;
	for (size_t i = 0; i < e->nrows; i++) {
		const row *r = &e->rows[i];
		/* A chosen break; or, should a row not fit after all, a break before it. */
		if (starts[i] || (y - r->height_pt < body_bottom - 0.001 && y < page_top - 0.001 && !r->is_space)) {
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
		place_row(&l->pages[l->npages - 1], r, y);
		y -= r->height_pt;
		if (!r->is_space)
			lowest = y;
	}
	page_filled(l, room_top, lowest, room_top - body_bottom);
	free(starts);
}

/* Draws each box on each page it touches, under its text. */
static void draw_boxes(engine *e, layout *l, const placed *where)
{
	for (size_t b = 0; b < e->nboxes; b++) {
		const box_info *bi = &e->boxes[b];
		for (size_t pg = 0; pg < l->npages; pg++) {
			double top = -1, bottom = 1e9;
			for (size_t i = 0; i < e->nrows; i++) {
				if (e->rows[i].box != (int)b || where[i].page != pg)
					continue;
				if (e->rows[i].is_space && where[i].top_pt <= bottom + 0.001 && top < 0)
					continue;
				if (where[i].top_pt > top)
					top = where[i].top_pt;
				double bot = where[i].top_pt - e->rows[i].height_pt;
				if (bot < bottom)
					bottom = bot;
			}
			if (top < 0)
				continue;
			layout_page *p = &l->pages[pg];
			size_t before = p->nitems;
			int urgent = bi->kind == BOX_URGENT;
			double stroke = urgent ? 3 : bi->kind == BOX_SUMMARY ? 1.2 : 0.8;
			/* The border's outer edge, not its centre line, sits on the margin. */
			add_rect(p, bi->left_pt + stroke / 2, bottom + stroke / 2, bi->right_pt - bi->left_pt - stroke,
				 top - bottom - stroke, bi->kind == BOX_SUMMARY, COLOUR_SHADE, stroke,
				 urgent ? COLOUR_URGENT : bi->kind == BOX_SUMMARY ? COLOUR_ACCENT : COLOUR_RULE);
			/* Move the box to the front so its shade lies under the text. */
			layout_item box = p->items[before];
			memmove(p->items + 1, p->items, before * sizeof *p->items);
			p->items[0] = box;
		}
	}
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

static layout *lay_out(const document *d, const page_template *t, const layout_measure *m, double first_top_pt)
{
	engine e = {.t = t, .m = m, .cur_box = -1, .cur_group = -1, .images = d->image_aspect, .first_top_pt = first_top_pt,
		    .doc = d};
	e.left_pt = t->margin_left_pt;
	e.right_pt = t->page_width_pt - t->margin_right_pt;
	for (size_t i = 0; i < d->nblocks; i++) {
		e.cur_block = i;
		lay_block(&e, &d->blocks[i]);
	}
	layout *l = xcalloc(1, sizeof *l);
	l->width_pt = t->page_width_pt;
	l->height_pt = t->page_height_pt;
	placed *where = xcalloc(e.nrows ? e.nrows : 1, sizeof *where);
	char *joined;
	int nlines = footer_lines(&e, d, &joined);
	free(joined);
	paginate(&e, l, where, nlines);
	draw_boxes(&e, l, where);
	furniture(&e, l, d);
	free(where);
	drop_rows(&e, 0);
	free(e.rows);
	free(e.boxes);
	free(e.groups);
	return l;
}

/* A one-page sheet that runs on to a second page is set again with its lines closer, down
 * to this share of the template's line spacing (and never below 1.1 times the font size),
 * before it is let run on. */
#define ONE_PAGE_TIGHTEST 0.88

layout *layout_document(const document *d, const page_template *t, const layout_measure *m)
{
	layout *l = lay_out(d, t, m, 0);
	for (double f = 0.96; d->one_page && l->npages > 1 && f >= ONE_PAGE_TIGHTEST - 1e-9; f -= 0.04) {
		page_template tight = *t;
		tight.line_spacing = t->line_spacing * f > 1.1 ? t->line_spacing * f : 1.1;
		layout *closer = lay_out(d, &tight, m, 0);
		if (closer->npages < l->npages) {
			layout_free(l);
			l = closer;
		} else {
			layout_free(closer);
		}
	}
	resolve_colours(l, t);
	return l;
}

/* The space below a window before page 1's body: a blank line of body text. */
#define WINDOW_GAP_EM 1.5
#define SENDER_SIZE_PT 7.0
#define MARK_PT 0.5 /* a fold or hole mark's thickness */

layout *layout_letter(const document *d, const page_template *t, const layout_measure *m, const layout_window *w,
		      char **why)
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
		if (measure(&e, FACE_REGULAR, w->size_pt, w->lines[i], strlen(w->lines[i])) > w->w_pt) {
			strbuf sb = {0};
			if (i == 0)
				sb_printf(&sb, "the name is wider than the envelope window (%.0f mm)", w->w_pt / PT_PER_MM);
			else
				sb_printf(&sb, "address line %zu is wider than the envelope window (%.0f mm)", i,
					  w->w_pt / PT_PER_MM);
			*why = sb_take(&sb);
			return NULL;
		}
	double window_bottom = t->page_height_pt - w->top_pt - w->h_pt;
	layout *l = lay_out(d, t, m, window_bottom - WINDOW_GAP_EM * t->size_pt[ROLE_BODY]);
	layout_page *p = &l->pages[0];
	double top = t->page_height_pt - w->top_pt;
	if (w->sender && *w->sender) {
		/* The clinic's line, shortened rather than let out of the window. */
		char *line = fit(&e, FACE_REGULAR, SENDER_SIZE_PT, w->sender, w->w_pt);
		double sw = measure(&e, FACE_REGULAR, SENDER_SIZE_PT, line, strlen(line));
		/* Above the first address line's accents (a quarter of its size over its capitals),
		 * its own descenders and rule above those. */
		double base = top - w->address_top_pt + w->size_pt * 0.25 + SENDER_SIZE_PT * 0.6;
		add_text(p, w->x_pt, base, sw, FACE_REGULAR, SENDER_SIZE_PT, COLOUR_TEXT, line);
		add_rect(p, w->x_pt, base - SENDER_SIZE_PT * 0.35, sw, 0.4, 1, COLOUR_TEXT, 0, COLOUR_TEXT);
		free(line);
	}
	for (size_t i = 0; i < w->nlines; i++) {
		double base = top - w->address_top_pt - lead * (double)i - w->size_pt * m->ascent[FACE_REGULAR];
		add_text(p, w->x_pt, base, measure(&e, FACE_REGULAR, w->size_pt, w->lines[i], strlen(w->lines[i])),
			 FACE_REGULAR, w->size_pt, COLOUR_TEXT, w->lines[i]);
	}
	for (size_t i = 0; i < w->nmarks; i++)
		add_rect(p, w->marks[i].x_pt, t->page_height_pt - w->marks[i].top_pt - MARK_PT / 2, w->marks[i].w_pt, MARK_PT, 1,
			 COLOUR_TEXT, 0, COLOUR_TEXT);
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
	drawing_labels(&e, &r, d, 0, scale);
	layout *l = xcalloc(1, sizeof *l);
	/* fmin: 14400 / h * h may round a hair above 14400. */
	l->width_pt = fmin(PAGE_MAX_PT, fmax(PAGE_MIN_PT, d->width * scale));
	l->height_pt = fmin(PAGE_MAX_PT, fmax(PAGE_MIN_PT, d->height * scale));
	layout_page *p = new_page(l);
	layout_item *it = add_item(p);
	*it = (layout_item){.kind = ITEM_DRAWING, .x_pt = 0, .y_pt = l->height_pt - d->height * scale,
			    .w_pt = d->width * scale, .h_pt = d->height * scale, .drawing = d};
	for (size_t k = 0; k < r.nfrags; k++) {
		const frag *f = &r.frags[k];
		add_text(p, f->x_pt, l->height_pt - f->baseline_pt, f->w_pt, f->face, f->size_pt, f->colour, f->text);
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
	free(l);
}

/* A drawing's file name without its folder. */
static const char *drawing_file_name(const drawing *d)
{
	const char *slash = strrchr(d->file, '/');
	return slash ? slash + 1 : d->file;
}

void layout_dump(const layout *l, strbuf *out)
{
	static const char *const colours[COLOUR_COUNT] = {"text", "accent", "urgent", "rule", "shade", "mark"};
	for (size_t i = 0; i < l->npages; i++) {
		sb_printf(out, "page %zu of %zu (%.2f x %.2f)\n", i + 1, l->npages, l->width_pt, l->height_pt);
		const layout_page *p = &l->pages[i];
		for (size_t k = 0; k < p->nitems; k++) {
			const layout_item *it = &p->items[k];
			if (it->kind == ITEM_TEXT && it->has_rgb)
				sb_printf(out, "  text %.2f %.2f w=%.2f %s %.1f #%02x%02x%02x \"%s\"\n", it->x_pt, it->y_pt,
					  it->w_pt, it->face == FACE_BOLD ? "bold" : "regular", it->size_pt,
					  (int)(it->ink.r * 255 + 0.5), (int)(it->ink.g * 255 + 0.5), (int)(it->ink.b * 255 + 0.5),
					  it->text);
			else if (it->kind == ITEM_TEXT)
				sb_printf(out, "  text %.2f %.2f w=%.2f %s %.1f %s \"%s\"\n", it->x_pt, it->y_pt, it->w_pt,
					  it->face == FACE_BOLD ? "bold" : "regular", it->size_pt, colours[it->colour],
					  it->text);
			else if (it->kind == ITEM_DRAWING)
				sb_printf(out, "  drawing %s %.2f %.2f %.2f %.2f\n", drawing_file_name(it->drawing), it->x_pt,
					  it->y_pt, it->w_pt, it->h_pt);
			else if (it->kind == ITEM_IMAGE)
				sb_printf(out, "  image %d %.2f %.2f %.2f %.2f\n", it->image, it->x_pt, it->y_pt, it->w_pt,
					  it->h_pt);
			else
				sb_printf(out, "  rect %.2f %.2f %.2f %.2f fill=%s stroke=%.1f/%s\n", it->x_pt, it->y_pt,
					  it->w_pt, it->h_pt, it->filled ? colours[it->fill] : "none", it->stroke_pt,
					  it->stroke_pt > 0 ? colours[it->stroke] : "none");
		}
	}
}

const char *layout_break_name(layout_break b)
{
	static const char *const names[BREAK_COUNT] = {"clean", "paragraph", "orphan", "card", "box", "group", "kept"};
	return b < BREAK_COUNT ? names[b] : "?";
}

void layout_dump_pages(const layout *l, strbuf *out)
{
	sb_printf(out, "pages=%zu fill=", l->npages);
	for (size_t i = 0; i < l->npages; i++)
		sb_printf(out, "%s%.0f", i ? "," : "", 100 * l->pages[i].fill);
	sb_append(out, " breaks=");
	for (size_t i = 0; i + 1 < l->npages; i++)
		sb_printf(out, "%s%s", i ? "," : "", layout_break_name(l->pages[i].break_after));
	if (l->npages < 2)
		sb_append(out, "none");
	sb_append(out, " drawings=");
	int any = 0;
	for (size_t i = 0; i < l->npages; i++)
		for (size_t k = 0; k < l->pages[i].nitems; k++) {
			const layout_item *it = &l->pages[i].items[k];
			if (it->kind != ITEM_DRAWING)
				continue;
			const char *name = drawing_file_name(it->drawing);
			sb_printf(out, "%s%.*s:%.0f", any++ ? "," : "", (int)strcspn(name, "."), name, it->h_pt);
		}
	if (!any)
		sb_append(out, "none");
}
