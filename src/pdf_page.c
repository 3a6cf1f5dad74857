/* pdf_page.c: a laid-out page as PDF content, written directly (doc/libharu-internals.md
 * section 6) where libharu's calls cost too much, and deflated once the page is finished. */
#include "pdf.h"
#include "pdf_int.h"
#include "svg.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_error.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ---- Page content written directly (doc/libharu-internals.md section 6): the same
 * operators, numbers (HPDF_FToA) and spacing libharu writes, without its per-call work
 * (a 512-byte buffer cleared, the graphics mode and current point kept) that was a fifth
 * of a handout. Only operators that leave libharu's graphics mode as it was are written
 * this way: whole paths with their painting operator, colours, line styles, the text
 * matrix; fonts, text, q/Q, cm and images still go through libharu. */

static void page_write(HPDF_Page page, const char *text, size_t len)
{
	HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)text, (HPDF_UINT)len);
}

/* One operator line: n numbers and the operator. */
static void put_op(HPDF_Page page, const double *v, int n, const char *op)
{
	char buf[8 * 16 + 8], *p = buf, *end = buf + sizeof buf - 8;
	for (int i = 0; i < n; i++) {
		p = HPDF_FToA(p, (HPDF_REAL)v[i], end);
		*p++ = ' ';
	}
	while (*op)
		*p++ = *op++;
	*p++ = '\012';
	page_write(page, buf, (size_t)(p - buf));
}

/* A colour component out of 0..1 fails the document as libharu would. */
static void put_colour(HPDF_Page page, const rgb *c, const char *op)
{
	if (!(c->r >= 0 && c->r <= 1 && c->g >= 0 && c->g <= 1 && c->b >= 0 && c->b <= 1)) {
		HPDF_RaiseError(page->error, HPDF_PAGE_OUT_OF_RANGE, 0);
		return;
	}
	put_op(page, (const double[]){c->r, c->g, c->b}, 3, op);
}

static void set_colour_fill(HPDF_Page page, const rgb *c)
{
	put_colour(page, c, "rg");
}

static void set_colour_stroke(HPDF_Page page, const rgb *c)
{
	put_colour(page, c, "RG");
}

static void set_line_width(HPDF_Page page, double w)
{
	if (!(w >= 0)) {
		HPDF_RaiseError(page->error, HPDF_PAGE_OUT_OF_RANGE, 0);
		return;
	}
	put_op(page, &w, 1, "w");
}

/* A number of 1/100000 pt written as libharu writes numbers: up to five decimals, no
 * trailing zeros. Returns the end. */
static char *put_fixed(char *p, long long units)
{
	if (units < 0) {
		*p++ = '-';
		units = -units;
	}
	char digits[24];
	int n = 0;
	long long whole = units / 100000, frac = units % 100000;
	do
		digits[n++] = (char)('0' + whole % 10);
	while ((whole /= 10) > 0);
	while (n)
		*p++ = digits[--n];
	if (frac) {
		*p++ = '.';
		for (long long div = 10000; frac; div /= 10) {
			*p++ = (char)('0' + frac / div);
			frac %= div;
		}
	}
	return p;
}

/* Starts a text line at (x, y): the first of a page with Tm, each next one with Td from
 * the line before (shorter, and as repetitive as text, so it deflates well). Positions are
 * counted in whole 1/100000 pt, the precision written, so the moves add up exactly. */
static void move_to_line(HPDF_Page page, doc_fonts *df, double x, double y)
{
	long long ux = llround(x * 100000), uy = llround(y * 100000);
	char line[96], *p = line;
	if (!df->line_set) {
		memcpy(p, "1 0 0 1 ", 8);
		p = put_fixed(p + 8, ux);
		*p++ = ' ';
		p = put_fixed(p, uy);
		memcpy(p, " Tm\012", 4);
	} else {
		p = put_fixed(p, ux - df->line_x);
		*p++ = ' ';
		p = put_fixed(p, uy - df->line_y);
		memcpy(p, " Td\012", 4);
	}
	page_write(page, line, (size_t)(p + 4 - line));
	df->line_x = ux;
	df->line_y = uy;
	df->line_set = 1;
}

/* Bold text in a file that has one weight (the CJK face serves both) is emboldened: its
 * glyphs are filled, then stroked in the same colour with a line EMBOLDEN_EM of the size
 * wide (text render mode 2), which thickens each stroke by that much and keeps the advance
 * widths layout measured. A real bold CJK face in TrueType outlines (LXGW WenKai Bold, a
 * brush face) would cost 12 MB more to hash on every run; this costs a few bytes per run
 * of text. */
#define EMBOLDEN_EM 0.035

static void embolden(HPDF_Page page, doc_fonts *df, const layout_item *it, int on)
{
	if (on) {
		double w = it->size_pt * EMBOLDEN_EM;
		if (!df->stroking)
			put_op(page, NULL, 0, "2 Tr");
		if (!df->stroking || df->stroke_pt != w)
			set_line_width(page, w);
		if (!df->stroking || memcmp(&df->stroke_ink, &it->ink, sizeof it->ink) != 0)
			set_colour_stroke(page, &it->ink);
		df->stroke_pt = w;
		df->stroke_ink = it->ink;
	} else if (df->stroking) {
		put_op(page, NULL, 0, "0 Tr");
	}
	df->stroking = on;
}

/* Shows one text item, switching fonts where the encoding or the file changes. */
static void show_text(doc_home *h, HPDF_Page page, doc_fonts *df, const pdf_fonts *f, const layout_item *it)
{
	move_to_line(page, df, it->x_pt, it->y_pt);
	char *spaced = NULL;
	if (it->space_after) {
		size_t n = strlen(it->text);
		spaced = xmalloc(n + 2);
		memcpy(spaced, it->text, n);
		memcpy(spaced + n, " ", 2);
	}
	const char *s = spaced ? spaced : it->text;
	size_t len = strlen(s);
	char run[512];
	size_t nrun = 0;
	int run_enc = -1, run_src = SRC_MAIN;
	while (len || nrun) {
		uint32_t cp = 0;
		size_t n = 0;
		int enc = -1, src = SRC_MAIN;
		if (len) {
			n = utf8_decode(s, len, &cp);
			if (!fonts_can_draw(&f->m, it->face, cp))
				cp = '?';
			enc = f->code[cp] ? (f->code[cp] >> 8) - 1 : ENC_UTF8;
			src = f->m.src[it->face][cp];
			/* ASCII is the same in every single-byte encoding: it keeps the current run of
			 * its own file going (a Chinese file may lack Latin letters). */
			if (cp < 0x80 && run_enc >= 0 && src == run_src)
				enc = run_enc;
		}
		if (nrun && (enc != run_enc || src != run_src || nrun >= sizeof run - 5 || !len)) {
			HPDF_Font font = doc_font(h, df, f, run_src, it->face, run_enc);
			run[nrun] = '\0';
			if (font && (df->current != font || df->current_size != it->size_pt)) {
				HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)it->size_pt);
				df->current = font;
				df->current_size = it->size_pt;
			}
			if (font)
				embolden(page, df, it,
				         it->face == FACE_BOLD && f->file[run_src][FACE_BOLD].shared);
			if (font)
				HPDF_Page_ShowText(page, run);
			nrun = 0;
		}
		if (!len)
			break;
		run_enc = enc;
		run_src = src;
		if (enc == ENC_UTF8) {
			strbuf u = {0};
			utf8_encode(&u, cp);
			memcpy(run + nrun, u.data, u.len);
			nrun += u.len;
			sb_free(&u);
		} else {
			run[nrun++] = (char)(f->code[cp] & 0xFF);
		}
		s += n;
		len -= n;
	}
	free(spaced);
}

static void draw_rect(HPDF_Page page, const layout_item *it)
{
	if (it->filled)
		set_colour_fill(page, &it->fill_ink);
	if (it->stroke_pt > 0) {
		set_colour_stroke(page, &it->stroke_ink);
		set_line_width(page, it->stroke_pt);
	}
	put_op(page, (const double[]){it->x_pt, it->y_pt, it->w_pt, it->h_pt}, 4, "re");
	put_op(page, NULL, 0, it->filled && it->stroke_pt > 0 ? "B" : it->filled ? "f" : "S");
}

/* A finished page's content stream, deflated now (libharu would at save, with zlib's
 * default level, which costs 2.4 times as much for slightly larger output). A page left in
 * a text or path object or inside q...Q is left to libharu, which closes it at save. */
void deflate_page(HPDF_Page page)
{
	HPDF_PageAttr a = (HPDF_PageAttr)page->attr;
	HPDF_Dict d = a->contents;
	struct libdeflate_compressor *c = content_compressor();
	if (!c || !d || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE ||
	    a->gmode != HPDF_GMODE_PAGE_DESCRIPTION || a->gstate->prev != NULL)
		return;
	size_t zlen;
	unsigned char *z = deflate_dict(c, d, &zlen);
	if (z)
		use_deflated(d, z, zlen);
	free(z);
}

/* Draws a drawing's shapes scaled into the item's box; its labels come as TEXT items. */
static void draw_drawing(HPDF_Page page, const layout_item *it)
{
	static const char *const caps[] = {[CAP_BUTT] = "0 J", [CAP_ROUND] = "1 J", [CAP_SQUARE] = "2 J"};
	static const char *const joins[] = {[JOIN_MITER] = "0 j", [JOIN_ROUND] = "1 j", [JOIN_BEVEL] = "2 j"};
	const drawing *d = it->drawing;
	double s = it->w_pt / d->width;
	HPDF_Page_GSave(page);
	/* Drawing units have y down; PDF has y up. */
	HPDF_Page_Concat(page, (HPDF_REAL)s, 0, 0, (HPDF_REAL)-s, (HPDF_REAL)it->x_pt,
	                 (HPDF_REAL)(it->y_pt + it->h_pt));
	put_op(page, (const double[]){4}, 1, "M"); /* SVG's miter limit, not PDF's 10 */
	/* Inside q...Q the state is the drawing's own: each setting is written when it changes. */
	const rgb *fill = NULL, *stroke = NULL;
	double width = -1;
	int cap = -1, join = -1;
	for (size_t i = 0; i < d->nitems; i++) {
		const draw_item *di = &d->items[i];
		if (di->kind != DRAW_SHAPE)
			continue;
		if (di->filled && (!fill || memcmp(fill, &di->fill, sizeof *fill) != 0))
			set_colour_fill(page, fill = &di->fill);
		if (di->stroked) {
			int c = di->cap == CAP_ROUND    ? CAP_ROUND
			        : di->cap == CAP_SQUARE ? CAP_SQUARE
			                                : CAP_BUTT;
			int j = di->join == JOIN_ROUND   ? JOIN_ROUND
			        : di->join == JOIN_BEVEL ? JOIN_BEVEL
			                                 : JOIN_MITER;
			if (!stroke || memcmp(stroke, &di->stroke, sizeof *stroke) != 0)
				set_colour_stroke(page, stroke = &di->stroke);
			if (di->stroke_width != width)
				set_line_width(page, width = di->stroke_width);
			if (c != cap)
				put_op(page, NULL, 0, caps[cap = c]);
			if (j != join)
				put_op(page, NULL, 0, joins[join = j]);
		}
		/* Segments before the first move are dropped (as libharu would refuse them). */
		int open = 0;
		for (size_t k = 0; k < di->path.nsegs; k++) {
			const seg *sg = &di->path.segs[k];
			switch (sg->kind) {
			case SEG_MOVE:
				put_op(page, (const double[]){sg->x, sg->y}, 2, "m");
				open = 1;
				break;
			case SEG_LINE:
				if (open)
					put_op(page, (const double[]){sg->x, sg->y}, 2, "l");
				break;
			case SEG_CUBIC:
				if (open)
					put_op(page,
					       (const double[]){sg->x1, sg->y1, sg->x2, sg->y2, sg->x, sg->y},
					       6, "c");
				break;
			case SEG_CLOSE:
				if (open)
					put_op(page, NULL, 0, "h");
				break;
			}
		}
		if (!open)
			continue;
		if (di->filled && di->stroked)
			put_op(page, NULL, 0, di->evenodd ? "B*" : "B");
		else if (di->filled)
			put_op(page, NULL, 0, di->evenodd ? "f*" : "f");
		else
			put_op(page, NULL, 0, "S");
	}
	HPDF_Page_GRestore(page);
}

void draw_page(doc_home *h, HPDF_Page page, const layout *l, size_t pi, doc_fonts *df, const pdf_fonts *f,
               doc_images *di, doc_tags *dt)
{
	const layout_page *lp = &l->pages[pi];
	tags_begin_page(dt, page);
	/* Rectangles and images first (boxes shade under text), then all text in one text object;
	 * each in the marked content of its tag. */
	for (size_t i = 0; i < lp->nitems; i++) {
		if (lp->items[i].kind != ITEM_TEXT)
			tags_mark(dt, l, lp->items[i].tag);
		if (lp->items[i].kind == ITEM_RECT)
			draw_rect(page, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_IMAGE)
			draw_image(h->doc, page, di, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_DRAWING)
			draw_drawing(page, &lp->items[i]);
	}
	tags_close(dt);
	HPDF_Page_BeginText(page);
	df->current = NULL; /* a new page starts with no font and no line, filling text */
	df->stroking = 0;
	df->line_set = 0;
	const rgb *ink = NULL;
	for (size_t i = 0; i < lp->nitems; i++) {
		const layout_item *it = &lp->items[i];
		if (it->kind != ITEM_TEXT)
			continue;
		tags_mark(dt, l, it->tag);
		if (!ink || memcmp(ink, &it->ink, sizeof *ink) != 0) {
			set_colour_fill(page, &it->ink);
			ink = &it->ink;
		}
		show_text(h, page, df, f, it);
	}
	tags_close(dt);
	HPDF_Page_EndText(page);
	tags_end_page(dt);
}
