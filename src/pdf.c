/* pdf.c: the one module that talks to libharu (see shared/notes/libharu-2.3.md). */
#include "pdf.h"
#include "diag.h"
#include "image.h"
#include "svg.h"
#include "util.h"

#include <math.h>
#include <errno.h>
#include <hpdf.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Characters below this are measured and encoded from tables; above, none are drawn. */
#define TABLE_SIZE 0x10000 /* the Basic Multilingual Plane */

/* Single-byte encodings tried in order: WinAnsi holds Latin-1; the others add Latin
 * Extended-A. Text in them extracts correctly, unlike libharu 2.3's UTF-8 encoder, which
 * serves only the few letters no single-byte encoding holds (see repair_utf8_font). */
static const char *const encodings[] = {
	"WinAnsiEncoding", "CP1250", "CP1257", "CP1254", "ISO8859-3",
	"ISO8859-4", "ISO8859-10", "ISO8859-13", "ISO8859-14", "ISO8859-16",
	"CP1251", /* Cyrillic names, from the -Extra faces. Not CP1253: the Adobe Glyph List reads
		   * its Omega, Delta and mu as the ohm, increment and micro signs, so Greek goes
		   * through the UTF-8 font, which extracts exactly. */
};
#define NENCODINGS (sizeof encodings / sizeof encodings[0])
#define ENC_UTF8 ((int)NENCODINGS) /* the fallback font's slot */

/* A face's files, tried in order for each character: the main one every document embeds,
 * then fallbacks (more alphabets; CJK) a document embeds only when it prints one of their
 * characters. */
enum { SRC_MAIN, SRC_COUNT = PDF_FONT_FILES };

struct pdf_fonts {
	char *path[SRC_COUNT][FACE_COUNT];     /* the fallbacks may be NULL */
	uint8_t src[FACE_COUNT][TABLE_SIZE];   /* the file that draws each character */
	int16_t width[FACE_COUNT][TABLE_SIZE]; /* advance, 1/1000 em; -1: no glyph */
	uint16_t code[TABLE_SIZE];             /* (encoding index + 1) << 8 | byte; 0: none */
	double ascent[FACE_COUNT];
};

/* libharu reports errors through this; the first is kept, no longjmp. */
typedef struct hpdf_state {
	HPDF_STATUS error;
	HPDF_STATUS detail;
	int reported; /* the error was said */
} hpdf_state;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	hpdf_state *st = data;
	if (!st->error) {
		st->error = error;
		st->detail = detail;
	}
}

static HPDF_Font font_of(HPDF_Doc doc, const char *name, const char *encoding)
{
	return HPDF_GetFont(doc, name, encoding);
}

/* Every character the font's cmap maps to a glyph, and its advance in 1/1000 em, for
 * those no earlier file of the face draws. The cmap's segments are walked once (through
 * libharu's hpdf_fontdef.h, as repair_utf8_font uses hpdf_objects.h): asking
 * HPDF_TTFontDef_GetGlyphid for each of 65,536 code points searches the segments linearly
 * each time, which for a CJK font costs more than a whole handout. The width is computed as
 * HPDF_TTFontDef_GetCharWidth computes it. */
static void each_char(pdf_fonts *f, int face, int src, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)def->attr;
	const HPDF_TTF_CmapRange *cm = &attr->cmap;
	unsigned segs = cm->seg_count_x2 / 2;
	for (unsigned i = 0; i < segs; i++) {
		for (uint32_t cp = cm->start_count[i]; cp <= cm->end_count[i] && cp < 0xFFFF; cp++) {
			unsigned gid;
			if (cm->id_range_offset[i] == 0) {
				gid = (cp + (unsigned)cm->id_delta[i]) & 0xFFFF;
			} else {
				unsigned idx = cm->id_range_offset[i] / 2 + (cp - cm->start_count[i]) - (segs - i);
				if (idx >= cm->glyph_id_array_count)
					continue;
				gid = cm->glyph_id_array[idx];
				if (gid)
					gid = (gid + (unsigned)cm->id_delta[i]) & 0xFFFF;
			}
			if ((gid == 0 && cp != ' ') || f->width[face][cp] >= 0)
				continue;
			unsigned m = gid < attr->num_h_metric ? gid : attr->num_h_metric - 1u;
			f->width[face][cp] = (int16_t)((HPDF_UINT32)attr->h_metric[m].advance_width * 1000 / attr->header.units_per_em);
			f->src[face][cp] = (uint8_t)src;
		}
	}
	if (f->width[face][' '] < 0) { /* a space always measures, as libharu does */
		f->width[face][' '] = HPDF_TTFontDef_GetCharWidth(def, ' ');
		f->src[face][' '] = (uint8_t)src;
	}
}

/* Loads one file of a face into doc and fills in the characters it draws that no file before
 * it does. Returns 0, or -1 after reporting. */
static int load_face(HPDF_Doc doc, hpdf_state *st, pdf_fonts *f, int face, int src, const char *file)
{
	FILE *probe = fopen_regular(file);
	if (!probe) {
		diag(DIAG_ERROR, file, 0, "cannot open font: %s", open_strerror(errno));
		return -1;
	}
	fclose(probe);
	const char *name = HPDF_LoadTTFontFromFile(doc, file, HPDF_TRUE);
	HPDF_Font font = name ? font_of(doc, name, encodings[0]) : NULL;
	if (!font || st->error) {
		diag(DIAG_ERROR, file, 0, "not a TrueType font libharu can embed (error 0x%04X)", (unsigned)st->error);
		return -1;
	}
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	each_char(f, face, src, def);
	if (src == SRC_MAIN)
		f->ascent[face] = HPDF_Font_GetCapHeight(font) / 1000.0 * 1.05;
	f->path[src][face] = xstrdup(file);
	return 0;
}

pdf_fonts *pdf_fonts_load(const char *const files[PDF_FONT_FILES][FACE_COUNT])
{
	hpdf_state st = {0};
	HPDF_Doc doc = HPDF_New(on_error, &st);
	if (!doc) {
		diag(DIAG_ERROR, NULL, 0, "cannot start libharu");
		return NULL;
	}
	pdf_fonts *f = xcalloc(1, sizeof *f);
	memset(f->width, 0xFF, sizeof f->width); /* -1: no glyph */
	int failed = 0;
	for (int face = 0; face < FACE_COUNT && !failed; face++)
		for (int src = 0; src < SRC_COUNT && !failed; src++)
			if (files[src][face])
				failed = load_face(doc, &st, f, face, src, files[src][face]) != 0;
	for (size_t e = 0; e < NENCODINGS && !failed; e++) {
		HPDF_Encoder enc = HPDF_GetEncoder(doc, encodings[e]);
		if (!enc)
			continue;
		for (unsigned b = 0x20; b <= 0xFF; b++) {
			HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)b);
			/* Ț ț (T with comma below) are "Tcommaaccent" in the Differences, which the Adobe
			 * Glyph List reads as Ţ ţ (cedilla): they go through the UTF-8 font instead. */
			if (u == 0x021A || u == 0x021B)
				continue;
			if (u >= 0x20 && !f->code[u] && !(u >= 0x7F && u < 0xA0))
				f->code[u] = (uint16_t)(((e + 1) << 8) | b);
		}
	}
	HPDF_Free(doc);
	if (failed) {
		pdf_fonts_free(f);
		return NULL;
	}
	return f;
}

void pdf_fonts_free(pdf_fonts *f)
{
	if (!f)
		return;
	for (int src = 0; src < SRC_COUNT; src++)
		for (int i = 0; i < FACE_COUNT; i++)
			free(f->path[src][i]);
	free(f);
}

int pdf_fonts_can_draw(const pdf_fonts *f, face_id face, uint32_t cp)
{
	/* A glyph is enough: without a single-byte code it goes through the UTF-8 font. */
	return cp >= 0x20 && cp < TABLE_SIZE && f->width[face][cp] >= 0 && !(cp >= 0x7F && cp < 0xA0);
}

static double text_width(void *ctx, face_id face, double size_pt, const char *s, size_t len)
{
	const pdf_fonts *f = ctx;
	long units = 0;
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);
		s += n;
		len -= n;
		if (!pdf_fonts_can_draw(f, face, cp))
			cp = '?';
		units += f->width[face][cp];
	}
	return units * size_pt / 1000.0;
}

void pdf_fonts_measure(const pdf_fonts *f, layout_measure *m)
{
	m->ctx = (void *)f;
	m->text_width = text_width;
	for (int i = 0; i < FACE_COUNT; i++)
		m->ascent[i] = f->ascent[i];
}

/* The fonts of one document: each face loaded once, one font object per encoding used. */
typedef struct doc_fonts {
	const char *name[SRC_COUNT][FACE_COUNT]; /* loaded into the document: the extra on first use */
	HPDF_Font font[SRC_COUNT][FACE_COUNT][NENCODINGS + 1]; /* the last: UTF-8 */
	int utf_encodings; /* HPDF_UseUTFEncodings was called */
	HPDF_Font current;   /* font and size set in the page's text object */
	double current_size;
} doc_fonts;

static void use_utf_encodings(HPDF_Doc doc, doc_fonts *df)
{
	if (!df->utf_encodings)
		HPDF_UseUTFEncodings(doc);
	df->utf_encodings = 1;
}

/* libharu 2.3 gives a UTF-8 font a ToUnicode stream that is a copy of its encoding CMap,
 * and Ordering (Identity-H): readers then extract garbage. With this encoder code, CID and
 * Unicode value are the same number, so the right ToUnicode is the identity, written as
 * bfrange lines, and the Ordering is (Identity). */
static void repair_utf8_font(HPDF_Font font)
{
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	if (attr->cmap_stream) {
		HPDF_Stream st = attr->cmap_stream->stream;
		HPDF_MemStream_FreeData(st);
		HPDF_Stream_WriteStr(st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
					 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
					 "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
					 "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
		char line[64];
		snprintf(line, sizeof line, "%d beginbfrange\n", TABLE_SIZE >> 8);
		HPDF_Stream_WriteStr(st, line);
		for (unsigned hi = 0; hi < (TABLE_SIZE >> 8); hi++) {
			snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi);
			HPDF_Stream_WriteStr(st, line);
		}
		HPDF_Stream_WriteStr(st, "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	}
	HPDF_Dict info = HPDF_Dict_GetItem(attr->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT);
	if (info)
		HPDF_Dict_Add(info, "Ordering", HPDF_String_New(font->mmgr, "Identity", NULL));
}

/* The document's font for a face's file src in encoding slot enc, created (and the file
 * embedded) on first use. */
static HPDF_Font doc_font(HPDF_Doc doc, doc_fonts *df, const pdf_fonts *f, int src, face_id face, int enc)
{
	HPDF_Font *slot = &df->font[src][face][enc];
	if (*slot)
		return *slot;
	if (!df->name[src][face] && f->path[src][face])
		df->name[src][face] = HPDF_LoadTTFontFromFile(doc, f->path[src][face], HPDF_TRUE);
	if (!df->name[src][face])
		return NULL;
	if (enc == ENC_UTF8) {
		use_utf_encodings(doc, df);
		*slot = font_of(doc, df->name[src][face], "UTF-8");
		if (*slot)
			repair_utf8_font(*slot);
	} else {
		*slot = font_of(doc, df->name[src][face], encodings[enc]);
	}
	return *slot;
}

static void set_colour_fill(HPDF_Page page, const rgb *c)
{
	HPDF_Page_SetRGBFill(page, (HPDF_REAL)c->r, (HPDF_REAL)c->g, (HPDF_REAL)c->b);
}

/* Shows one text item, switching fonts where the encoding or the file changes. */
static void show_text(HPDF_Doc doc, HPDF_Page page, doc_fonts *df, const pdf_fonts *f, const layout_item *it)
{
	HPDF_Page_SetTextMatrix(page, 1, 0, 0, 1, (HPDF_REAL)it->x_pt, (HPDF_REAL)it->y_pt);
	const char *s = it->text;
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
			if (!pdf_fonts_can_draw(f, it->face, cp))
				cp = '?';
			enc = f->code[cp] ? (f->code[cp] >> 8) - 1 : ENC_UTF8;
			src = f->src[it->face][cp];
			/* ASCII is the same in every single-byte encoding: it keeps the current run of
			 * its own file going (a Chinese file may lack Latin letters). */
			if (cp < 0x80 && run_enc >= 0 && src == run_src)
				enc = run_enc;
		}
		if (nrun && (enc != run_enc || src != run_src || nrun >= sizeof run - 5 || !len)) {
			HPDF_Font font = doc_font(doc, df, f, run_src, it->face, run_enc);
			run[nrun] = '\0';
			if (font && (df->current != font || df->current_size != it->size_pt)) {
				HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)it->size_pt);
				df->current = font;
				df->current_size = it->size_pt;
			}
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
}

static void draw_rect(HPDF_Page page, const layout_item *it)
{
	const rgb *fill = &it->fill_ink, *stroke = &it->stroke_ink;
	if (it->filled)
		set_colour_fill(page, fill);
	if (it->stroke_pt > 0) {
		HPDF_Page_SetRGBStroke(page, (HPDF_REAL)stroke->r, (HPDF_REAL)stroke->g, (HPDF_REAL)stroke->b);
		HPDF_Page_SetLineWidth(page, (HPDF_REAL)it->stroke_pt);
	}
	HPDF_Page_Rectangle(page, (HPDF_REAL)it->x_pt, (HPDF_REAL)it->y_pt, (HPDF_REAL)it->w_pt, (HPDF_REAL)it->h_pt);
	if (it->filled && it->stroke_pt > 0)
		HPDF_Page_FillStroke(page);
	else if (it->filled)
		HPDF_Page_Fill(page);
	else
		HPDF_Page_Stroke(page);
}

struct pdf_image {
	unsigned width, height;
	unsigned char *rgb_z, *alpha_z; /* zlib streams; alpha_z NULL when opaque */
	size_t rgb_len, alpha_len;
};

static unsigned char *deflate_all(const unsigned char *data, size_t len, size_t *out_len)
{
	uLongf cap = compressBound((uLong)len);
	unsigned char *z = xmalloc(cap);
	if (compress2(z, &cap, data, (uLong)len, Z_BEST_COMPRESSION) != Z_OK) {
		free(z);
		return NULL;
	}
	*out_len = cap;
	return z;
}

pdf_image *pdf_image_prepare(const image *img)
{
	pdf_image *pi = xcalloc(1, sizeof *pi);
	pi->width = img->width;
	pi->height = img->height;
	pi->rgb_z = deflate_all(img->rgb, (size_t)img->width * img->height * 3, &pi->rgb_len);
	if (img->alpha)
		pi->alpha_z = deflate_all(img->alpha, (size_t)img->width * img->height, &pi->alpha_len);
	if (!pi->rgb_z || (img->alpha && !pi->alpha_z)) {
		diag(DIAG_ERROR, NULL, 0, "cannot compress an image");
		pdf_image_free(pi);
		return NULL;
	}
	return pi;
}

void pdf_image_free(pdf_image *pi)
{
	if (!pi)
		return;
	free(pi->rgb_z);
	free(pi->alpha_z);
	free(pi);
}

/* libharu writes a stream with filter NONE as it is and drops /Filter; this puts it back
 * for data that is already deflated. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* An image XObject holding already-compressed samples. */
static HPDF_Dict image_object(HPDF_Doc doc, unsigned w, unsigned h, const char *colour_space,
			      const unsigned char *z, size_t zlen)
{
	HPDF_Dict d = HPDF_DictStream_New(doc->mmgr, doc->xref);
	if (!d)
		return NULL;
	d->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_flate_filter;
	if (HPDF_Dict_AddName(d, "Type", "XObject") != HPDF_OK || HPDF_Dict_AddName(d, "Subtype", "Image") != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "Width", (HPDF_INT32)w) != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "Height", (HPDF_INT32)h) != HPDF_OK ||
	    HPDF_Dict_AddName(d, "ColorSpace", colour_space) != HPDF_OK ||
	    HPDF_Dict_AddNumber(d, "BitsPerComponent", 8) != HPDF_OK ||
	    HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen) != HPDF_OK)
		return NULL;
	return d;
}

/* Images of one document, embedded on first use. */
#define DOC_MAX_IMAGES 4
typedef struct doc_images {
	const pdf_image *src[DOC_MAX_IMAGES]; /* copied: a document outlives its caller's array */
	size_t n;
	HPDF_Image loaded[DOC_MAX_IMAGES];
} doc_images;

static void draw_image(HPDF_Doc doc, HPDF_Page page, doc_images *di, const layout_item *it)
{
	if (it->image < 0 || (size_t)it->image >= di->n || (size_t)it->image >= sizeof di->loaded / sizeof di->loaded[0])
		return;
	HPDF_Image *slot = &di->loaded[it->image];
	const pdf_image *pi = di->src[it->image];
	if (!*slot) {
		*slot = image_object(doc, pi->width, pi->height, "DeviceRGB", pi->rgb_z, pi->rgb_len);
		if (*slot && pi->alpha_z) {
			HPDF_Dict mask = image_object(doc, pi->width, pi->height, "DeviceGray", pi->alpha_z, pi->alpha_len);
			if (mask)
				HPDF_Dict_Add(*slot, "SMask", mask);
		}
	}
	if (*slot)
		HPDF_Page_DrawImage(page, *slot, (HPDF_REAL)it->x_pt, (HPDF_REAL)it->y_pt, (HPDF_REAL)it->w_pt,
				    (HPDF_REAL)it->h_pt);
}

/* Draws a drawing's shapes scaled into the item's box; its labels come as TEXT items. */
static void draw_drawing(HPDF_Page page, const layout_item *it)
{
	const drawing *d = it->drawing;
	double s = it->w_pt / d->width;
	HPDF_Page_GSave(page);
	/* Drawing units have y down; PDF has y up. */
	HPDF_Page_Concat(page, (HPDF_REAL)s, 0, 0, (HPDF_REAL)-s, (HPDF_REAL)it->x_pt, (HPDF_REAL)(it->y_pt + it->h_pt));
	HPDF_Page_SetMiterLimit(page, 4); /* SVG's default, not PDF's 10 */
	for (size_t i = 0; i < d->nitems; i++) {
		const draw_item *di = &d->items[i];
		if (di->kind != DRAW_SHAPE)
			continue;
		if (di->filled)
			set_colour_fill(page, &di->fill);
		if (di->stroked) {
			HPDF_Page_SetRGBStroke(page, (HPDF_REAL)di->stroke.r, (HPDF_REAL)di->stroke.g, (HPDF_REAL)di->stroke.b);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)di->stroke_width);
			HPDF_Page_SetLineCap(page, di->cap == CAP_ROUND    ? HPDF_ROUND_END
						   : di->cap == CAP_SQUARE ? HPDF_PROJECTING_SCUARE_END
									   : HPDF_BUTT_END);
			HPDF_Page_SetLineJoin(page, di->join == JOIN_ROUND    ? HPDF_ROUND_JOIN
						    : di->join == JOIN_BEVEL ? HPDF_BEVEL_JOIN
									     : HPDF_MITER_JOIN);
		}
		int open = 0;
		for (size_t k = 0; k < di->path.nsegs; k++) {
			const seg *sg = &di->path.segs[k];
			switch (sg->kind) {
			case SEG_MOVE:
				HPDF_Page_MoveTo(page, (HPDF_REAL)sg->x, (HPDF_REAL)sg->y);
				open = 1;
				break;
			case SEG_LINE:
				if (open)
					HPDF_Page_LineTo(page, (HPDF_REAL)sg->x, (HPDF_REAL)sg->y);
				break;
			case SEG_CUBIC:
				if (open)
					HPDF_Page_CurveTo(page, (HPDF_REAL)sg->x1, (HPDF_REAL)sg->y1, (HPDF_REAL)sg->x2,
							  (HPDF_REAL)sg->y2, (HPDF_REAL)sg->x, (HPDF_REAL)sg->y);
				break;
			case SEG_CLOSE:
				if (open)
					HPDF_Page_ClosePath(page);
				break;
			}
		}
		if (!open)
			continue;
		if (di->filled && di->stroked)
			di->evenodd ? HPDF_Page_EofillStroke(page) : HPDF_Page_FillStroke(page);
		else if (di->filled)
			di->evenodd ? HPDF_Page_Eofill(page) : HPDF_Page_Fill(page);
		else
			HPDF_Page_Stroke(page);
	}
	HPDF_Page_GRestore(page);
}

static void draw_page(HPDF_Doc doc, HPDF_Page page, const layout_page *lp, doc_fonts *df, const pdf_fonts *f,
		      doc_images *di)
{
	/* Rectangles and images first (boxes shade under text), then all text in one text object. */
	for (size_t i = 0; i < lp->nitems; i++) {
		if (lp->items[i].kind == ITEM_RECT)
			draw_rect(page, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_IMAGE)
			draw_image(doc, page, di, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_DRAWING)
			draw_drawing(page, &lp->items[i]);
	}
	HPDF_Page_BeginText(page);
	df->current = NULL; /* a new page starts with no font */
	const rgb *ink = NULL;
	for (size_t i = 0; i < lp->nitems; i++) {
		const layout_item *it = &lp->items[i];
		if (it->kind != ITEM_TEXT)
			continue;
		if (!ink || memcmp(ink, &it->ink, sizeof *ink) != 0) {
			set_colour_fill(page, &it->ink);
			ink = &it->ink;
		}
		show_text(doc, page, df, f, it);
	}
	HPDF_Page_EndText(page);
}

/* text as PDFDocEncoding (Latin-1 above 0xA0) when every character allows; else NULL. */
static char *to_pdfdoc(const char *text)
{
	strbuf sb = {0};
	for (size_t len = strlen(text); len;) {
		uint32_t cp;
		size_t n = utf8_decode(text, len, &cp);
		text += n;
		len -= n;
		if (cp > 0xFF || (cp >= 0x80 && cp < 0xA0) || cp == 0xAD) {
			sb_free(&sb);
			return NULL;
		}
		sb_putc(&sb, (char)cp);
	}
	return sb_take(&sb);
}

static void set_info(HPDF_Doc doc, doc_fonts *df, const pdf_meta *meta)
{
	const HPDF_InfoType types[] = {HPDF_INFO_TITLE, HPDF_INFO_AUTHOR, HPDF_INFO_SUBJECT, HPDF_INFO_KEYWORDS,
				       HPDF_INFO_CREATOR};
	const char *values[] = {meta->title, meta->author, meta->subject, meta->keywords, "handout"};
	char *latin[5] = {0};
	int all_latin = 1;
	for (int i = 0; i < 5; i++)
		if (values[i] && *values[i] && !(latin[i] = to_pdfdoc(values[i])))
			all_latin = 0;
	if (!all_latin) {
		/* With the UTF-8 encoder current, libharu writes Info strings as UTF-16. Setting it
		 * up costs a tenth of a handout, so only names beyond Latin-1 pay for it. */
		use_utf_encodings(doc, df);
		HPDF_SetCurrentEncoder(doc, "UTF-8");
	}
	for (int i = 0; i < 5; i++) {
		if (values[i] && *values[i])
			HPDF_SetInfoAttr(doc, types[i], all_latin ? latin[i] : values[i]);
		free(latin[i]);
	}
	int y, m, d;
	if (iso_date_valid(meta->date) && sscanf(meta->date, "%d-%d-%d", &y, &m, &d) == 3) {
		HPDF_Date date = {y, m, d, 0, 0, 0, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(doc, HPDF_INFO_CREATION_DATE, date);
	}
}

/* What a libharu error code means, in a plain sentence. */
static const char *libharu_sentence(HPDF_STATUS error)
{
	switch (error) {
	case HPDF_FAILD_TO_ALLOC_MEM:
		return "out of memory";
	case HPDF_INVALID_DATE_TIME:
		return "a date is not a real calendar date";
	case HPDF_PAGE_INVALID_SIZE:
		return "a page size is out of range";
	case HPDF_PAGE_OUT_OF_RANGE:
	case HPDF_PAGE_INVALID_PARAM_COUNT:
	case HPDF_INVALID_PARAMETER:
		return "a number on a page is out of range";
	case HPDF_TTF_INVALID_FOMAT:
	case HPDF_TTF_MISSING_TABLE:
	case HPDF_TTF_INVALID_CMAP:
		return "a font file is not a usable TrueType font";
	case HPDF_FILE_IO_ERROR:
	case HPDF_FILE_OPEN_ERROR:
		return "a file could not be read";
	default:
		return "the PDF library stopped with an error";
	}
}

/* 1 when every number of every page is finite and within what a PDF page can hold: the
 * last guard before libharu, which would write NaN or inf into a corrupt file. */
static int layout_sane(const layout *l)
{
	const double most = 1e6;
	if (!(l->width_pt >= HPDF_MIN_PAGE_SIZE && l->width_pt <= HPDF_MAX_PAGE_SIZE && l->height_pt >= HPDF_MIN_PAGE_SIZE &&
	      l->height_pt <= HPDF_MAX_PAGE_SIZE))
		return 0;
	for (size_t i = 0; i < l->npages; i++)
		for (size_t k = 0; k < l->pages[i].nitems; k++) {
			const layout_item *it = &l->pages[i].items[k];
			if (it->kind == ITEM_TEXT && !(it->size_pt > 0 && it->size_pt <= HPDF_MAX_FONTSIZE))
				return 0;
			const double v[] = {it->x_pt, it->y_pt, it->w_pt, it->h_pt, it->size_pt, it->stroke_pt};
			for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
				if (!isfinite(v[j]) || fabs(v[j]) > most)
					return 0;
		}
	return 1;
}

struct pdf_doc {
	hpdf_state st;
	HPDF_Doc doc;
	doc_fonts df;
	doc_images di;
	const pdf_fonts *f;
	const char *who;
	size_t pages;
};

/* The error a document met, said once; 1 when there was one. */
static int doc_failed(pdf_doc *d)
{
	if (!d->st.error)
		return 0;
	if (!d->st.reported)
		diag(DIAG_ERROR, NULL, 0, "%s: the PDF could not be made: %s (libharu error 0x%04X, detail %u)", d->who,
		     libharu_sentence(d->st.error), (unsigned)d->st.error, (unsigned)d->st.detail);
	d->st.reported = 1;
	return 1;
}

pdf_doc *pdf_doc_new(const pdf_fonts *f, const pdf_image *const *images, size_t nimages, const pdf_meta *meta)
{
	pdf_doc *d = xcalloc(1, sizeof *d);
	d->doc = HPDF_New(on_error, &d->st);
	if (!d->doc) {
		diag(DIAG_ERROR, NULL, 0, "cannot start libharu");
		free(d);
		return NULL;
	}
	d->f = f;
	d->who = meta->who ? meta->who : "handout";
	HPDF_SetCompressionMode(d->doc, HPDF_COMP_ALL);
	/* Each face is embedded once per document, however many handouts it holds. */
	for (int face = 0; face < FACE_COUNT && !d->st.error; face++)
		d->df.name[SRC_MAIN][face] = HPDF_LoadTTFontFromFile(d->doc, f->path[SRC_MAIN][face], HPDF_TRUE);
	set_info(d->doc, &d->df, meta);
	d->di.n = nimages < DOC_MAX_IMAGES ? nimages : DOC_MAX_IMAGES;
	for (size_t i = 0; i < d->di.n; i++)
		d->di.src[i] = images[i];
	return d;
}

int pdf_doc_add(pdf_doc *d, const layout *l)
{
	if (!layout_sane(l)) {
		diag(DIAG_ERROR, NULL, 0, "%s: the PDF could not be made: a position or size on a page is not a number a PDF can hold",
		     d->who);
		return -1;
	}
	for (size_t i = 0; i < l->npages && !d->st.error; i++) {
		HPDF_Page page = HPDF_AddPage(d->doc);
		if (!page)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->width_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->height_pt);
		draw_page(d->doc, page, &l->pages[i], &d->df, d->f, &d->di);
		d->pages++;
	}
	return doc_failed(d) ? -1 : 0;
}

int pdf_doc_add_blank(pdf_doc *d, double width_pt, double height_pt)
{
	HPDF_Page page = HPDF_AddPage(d->doc);
	if (page) {
		HPDF_Page_SetWidth(page, (HPDF_REAL)width_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)height_pt);
		d->pages++;
	}
	return doc_failed(d) ? -1 : 0;
}

size_t pdf_doc_pages(const pdf_doc *d)
{
	return d->pages;
}

int pdf_doc_finish(pdf_doc *d, unsigned char **out, size_t *len)
{
	unsigned char *buf = NULL;
	HPDF_UINT32 size = 0;
	if (!d->st.error)
		HPDF_SaveToStream(d->doc);
	if (!d->st.error) {
		size = HPDF_GetStreamSize(d->doc);
		buf = xmalloc(size ? size : 1);
		HPDF_UINT32 got = 0;
		HPDF_ResetStream(d->doc);
		while (got < size) {
			HPDF_UINT32 n = size - got;
			HPDF_STATUS r = HPDF_ReadFromStream(d->doc, buf + got, &n);
			got += n;
			if (r == HPDF_STREAM_EOF || n == 0)
				break;
		}
		if (got != size && !d->st.error)
			d->st.error = HPDF_STREAM_EOF;
	}
	int failed = doc_failed(d);
	HPDF_Free(d->doc);
	free(d);
	if (failed) {
		free(buf);
		return -1;
	}
	*out = buf;
	*len = size;
	return 0;
}

void pdf_doc_free(pdf_doc *d)
{
	if (!d)
		return;
	HPDF_Free(d->doc);
	free(d);
}

int pdf_render(const layout *l, const pdf_fonts *f, const pdf_image *const *images, size_t nimages,
	       const pdf_meta *meta, unsigned char **out, size_t *len)
{
	pdf_doc *d = pdf_doc_new(f, images, nimages, meta);
	if (!d)
		return -1;
	if (pdf_doc_add(d, l) != 0) {
		pdf_doc_free(d);
		return -1;
	}
	return pdf_doc_finish(d, out, len);
}
