/* pdf_font.c: the run's fonts (files mapped once, loaded from memory, characters and widths
 * read from the cmap), each document's font objects per encoding, and their embedding (the
 * UTF-8 font repaired, font programs taken from the stream cache). */
#include "diag.h"
#include "pdf.h"
#include "pdf_int.h"
#include "util.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_error.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Single-byte encodings tried in order: WinAnsi holds Latin-1; the others add Latin
 * Extended-A. Text in them extracts correctly, unlike libharu 2.3's UTF-8 encoder, which
 * serves only the few letters no single-byte encoding holds (see repair_utf8_font). */
static const char *const encodings[] = {
    "WinAnsiEncoding", "CP1250",     "CP1257",     "CP1254",     "ISO8859-3", "ISO8859-4",
    "ISO8859-10",      "ISO8859-13", "ISO8859-14", "ISO8859-16", "CP1251", /* Cyrillic names, from the -Extra
                                                                            * faces. Not CP1253: the Adobe
                                                                            * Glyph List reads its Omega,
                                                                            * Delta and mu as the ohm,
                                                                            * increment and micro signs, so
                                                                            * Greek goes through the UTF-8
                                                                            * font, which extracts exactly. */
};
_Static_assert(sizeof encodings / sizeof encodings[0] == NENCODINGS,
               "pdf_int.h's NENCODINGS counts encodings[]");

static HPDF_Font font_of(HPDF_Doc doc, const char *name, const char *encoding)
{
	return HPDF_GetFont(doc, name, encoding);
}

/* A font file in memory as a libharu stream (HPDF_CallbackReader_New), with the file's
 * reader's semantics: a short read is HPDF_STREAM_EOF, a seek outside the file an error. */
typedef struct mem_reader {
	const font_file *file;
	size_t pos;
} mem_reader;

static HPDF_STATUS mem_read(HPDF_Stream st, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
	mem_reader *m = st->attr;
	size_t left = m->file->len - m->pos, n = *siz < left ? *siz : left;
	memcpy(ptr, m->file->data + m->pos, n);
	m->pos += n;
	if (n < *siz) {
		*siz = (HPDF_UINT)n;
		return HPDF_STREAM_EOF;
	}
	return HPDF_OK;
}

static HPDF_STATUS mem_seek(HPDF_Stream st, HPDF_INT pos, HPDF_WhenceMode mode)
{
	mem_reader *m = st->attr;
	long long base = mode == HPDF_SEEK_SET   ? 0
	                 : mode == HPDF_SEEK_CUR ? (long long)m->pos
	                                         : (long long)m->file->len;
	long long to = base + pos;
	if (to < 0 || to > (long long)m->file->len)
		return HPDF_SetError(st->error, HPDF_FILE_IO_ERROR, 0);
	m->pos = (size_t)to;
	return HPDF_OK;
}

static HPDF_INT32 mem_tell(HPDF_Stream st)
{
	return (HPDF_INT32)((mem_reader *)st->attr)->pos;
}

static HPDF_UINT32 mem_size(HPDF_Stream st)
{
	return (HPDF_UINT32)((mem_reader *)st->attr)->file->len;
}

static void mem_free(HPDF_Stream st)
{
	free(st->attr);
}

/* Loads a TrueType font file from memory into doc, embedded, as HPDF_LoadTTFontFromFile does
 * (the same checks), with the file's own subset tag: libharu numbers tags in loading order,
 * which for a document kept from one handout to the next (doc_home) would depend on what the
 * thread made before. Returns the font's name, NULL on error (reported through the
 * document's error handler). */
const char *load_font(HPDF_Doc doc, const font_file *file)
{
	mem_reader *m = xcalloc(1, sizeof *m);
	m->file = file;
	HPDF_Stream st = HPDF_CallbackReader_New(doc->mmgr, mem_read, mem_seek, mem_tell, mem_size, m);
	if (!st) {
		free(m);
		return NULL;
	}
	st->free_fn = mem_free; /* the font definition owns the stream from here */
	HPDF_FontDef def = HPDF_TTFontDef_Load(doc->mmgr, st, HPDF_TRUE);
	if (!def)
		return NULL;
	HPDF_FontDef known = HPDF_Doc_FindFontDef(doc, def->base_font);
	if (known) {
		HPDF_FontDef_Free(def);
		return known->base_font;
	}
	if (HPDF_List_Add(doc->fontdef_list, def) != HPDF_OK) {
		HPDF_FontDef_Free(def);
		return NULL;
	}
	HPDF_TTFontDef_SetTagName(def, (char *)file->tag);
	return def->base_font;
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
				unsigned idx =
				    cm->id_range_offset[i] / 2 + (cp - cm->start_count[i]) - (segs - i);
				if (idx >= cm->glyph_id_array_count)
					continue;
				gid = cm->glyph_id_array[idx];
				if (gid)
					gid = (gid + (unsigned)cm->id_delta[i]) & 0xFFFF;
			}
			if ((gid == 0 && cp != ' ') || f->m.width[face][cp] >= 0)
				continue;
			unsigned m = gid < attr->num_h_metric ? gid : attr->num_h_metric - 1u;
			f->m.width[face][cp] = (int16_t)((HPDF_UINT32)attr->h_metric[m].advance_width * 1000 /
			                                 attr->header.units_per_em);
			f->m.src[face][cp] = (uint8_t)src;
		}
	}
	if (f->m.width[face][' '] < 0) { /* a space always measures, as libharu does */
		f->m.width[face][' '] = HPDF_TTFontDef_GetCharWidth(def, ' ');
		f->m.src[face][' '] = (uint8_t)src;
	}
}

/* Loads one file of a face into doc and fills in the characters it draws that no file before
 * it does. Returns 0, or -1 after reporting. */
static int load_face(HPDF_Doc doc, hpdf_state *st, pdf_fonts *f, int face, int src, const char *file,
                     const char *names[SRC_COUNT][FACE_COUNT])
{
	font_file *ff = &f->file[src][face];
	/* A file both faces use (the CJK font) is mapped and parsed once. */
	for (int other = 0; other < face; other++)
		if (f->path[src][other] && strcmp(f->path[src][other], file) == 0) {
			*ff = f->file[src][other];
			ff->shared = 1;
			names[src][face] = names[src][other];
		}
	if (!ff->shared)
		snprintf(ff->tag, sizeof ff->tag, "HPDFA%c", 'A' + src * FACE_COUNT + face);
	if (!ff->data && !(ff->data = file_map(file, &ff->len))) {
		diag(DIAG_ERROR, file, 0, "cannot open font: %s",
		     errno == ENODATA ? "the file is empty" : open_strerror(errno));
		return -1;
	}
	const char *name = names[src][face] ? names[src][face] : (names[src][face] = load_font(doc, ff));
	HPDF_Font font = name ? font_of(doc, name, encodings[0]) : NULL;
	if (!font || st->error) {
		diag(DIAG_ERROR, file, 0, "not a TrueType font libharu can embed (error 0x%04X)",
		     (unsigned)st->error);
		return -1;
	}
	HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
	each_char(f, face, src, def);
	if (src == SRC_MAIN)
		f->m.ascent[face] = HPDF_Font_GetCapHeight(font) / 1000.0 * 1.05;
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
	static unsigned long last_id;
	pdf_fonts *f = xcalloc(1, sizeof *f);
	f->id = __atomic_add_fetch(&last_id, 1, __ATOMIC_RELAXED);
	memset(f->m.width, 0xFF, sizeof f->m.width); /* -1: no glyph */
	pthread_mutex_init(&f->cache.lock, NULL);
	pthread_mutex_init(&f->cache.deflate_lock, NULL);
	int failed = 0;
	const char *names[SRC_COUNT][FACE_COUNT] = {{0}};
	for (int face = 0; face < FACE_COUNT && !failed; face++)
		for (int src = 0; src < SRC_COUNT && !failed; src++)
			if (files[src][face])
				failed = load_face(doc, &st, f, face, src, files[src][face], names) != 0;
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
		for (int i = 0; i < FACE_COUNT; i++) {
			free(f->path[src][i]);
			if (!f->file[src][i].shared)
				file_unmap(f->file[src][i].data, f->file[src][i].len);
		}
	for (size_t i = 0; i < f->cache.n; i++)
		free(f->cache.blob[i].key);
	free(f->cache.blob);
	libdeflate_free_compressor(f->cache.comp);
	pthread_mutex_destroy(&f->cache.lock);
	pthread_mutex_destroy(&f->cache.deflate_lock);
	free(f);
}

const font_metrics *pdf_fonts_metrics(const pdf_fonts *f)
{
	return &f->m;
}

void use_utf_encodings(doc_home *h)
{
	if (!h->utf_encodings)
		HPDF_UseUTFEncodings(h->doc);
	h->utf_encodings = 1;
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
		HPDF_Stream_WriteStr(
		    st, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
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
		HPDF_Stream_WriteStr(
		    st, "endbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	}
	HPDF_Dict info = HPDF_Dict_GetItem(attr->descendant_font, "CIDSystemInfo", HPDF_OCLASS_DICT);
	if (info)
		HPDF_Dict_Add(info, "Ordering", HPDF_String_New(font->mmgr, "Identity", NULL));
}

/* The font program a document embeds is libharu's subset of the file
 * (HPDF_TTFontDef_SaveFontData), decided by the file, the subset tag (written into the name
 * table) and the glyphs used: with those as the key, the subset is made and deflated once per
 * run. The stream gets the entries libharu 2.3 gives it (Length1, Length2 0, Length3 0). */
static HPDF_STATUS add_font_program(stream_cache *c, HPDF_Dict font, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
	HPDF_Dict data = HPDF_DictStream_New(font->mmgr, ((HPDF_FontAttr)font->attr)->xref);
	if (!data)
		return HPDF_Error_GetCode(font->error);
	strbuf bytes = {0};
	sb_appendn(&bytes, ta->base_font, strlen(ta->base_font) + 1);
	sb_appendn(&bytes, (const char *)ta->glyph_tbl.flgs, ta->num_glyphs);
	stream_key k = key_of(((mem_reader *)ta->stream->attr)->file->data, bytes);
	unsigned length1;
	HPDF_STATUS ret = HPDF_OK;
	if (!cache_use(c, &k, data, &length1)) {
		ret = HPDF_TTFontDef_SaveFontData(def, data->stream);
		length1 = ta->length1;
		data->filter = font->filter;
		if (ret == HPDF_OK && data->filter == HPDF_STREAM_FILTER_FLATE_DECODE)
			deflate_keyed(c, &k, data, length1);
	}
	sb_free(&bytes);
	if (ret != HPDF_OK)
		return HPDF_Error_GetCode(font->error);
	ret += HPDF_Dict_Add(def->descriptor, "FontFile2", data);
	ret += HPDF_Dict_AddNumber(data, "Length1", length1);
	ret += HPDF_Dict_AddNumber(data, "Length2", 0);
	ret += HPDF_Dict_AddNumber(data, "Length3", 0);
	return ret == HPDF_OK ? HPDF_OK : HPDF_Error_GetCode(font->error);
}

/* libharu 2.3 gives the UTF-8 font a CIDToGIDMap of every character the font file has
 * (128 KB for the CJK font, 60 KB deflated: more than the rest of a Chinese handout). A
 * document needs only the characters it shows: the others become 0 (.notdef), which
 * deflates to almost nothing. */
static void map_used_glyphs(HPDF_Dict map, HPDF_FontDef def)
{
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
	if (!map || !ta->glyph_tbl.flgs)
		return;
	size_t len;
	unsigned char *m = stream_bytes(map->stream, &len);
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned gid = (unsigned)m[i] << 8 | m[i + 1];
		if (gid >= ta->num_glyphs || !ta->glyph_tbl.flgs[gid])
			m[i] = m[i + 1] = 0;
	}
	HPDF_MemStream_FreeData(map->stream);
	HPDF_Stream_Write(map->stream, m, (HPDF_UINT)len);
	free(m);
}

/* libharu's own before-write functions of TrueType fonts (single-byte) and of the UTF-8
 * (Type 0) font, whose CIDFontType2_New gives it CIDFontType2_BeforeWrite_Func: on the first
 * font of each file they make the font descriptor and, when embedding, the font program. The
 * same two functions in every document. */
static HPDF_Dict_BeforeWriteFunc tt_before_write, cid_before_write;

/* libharu's, told not to embed, then the font program from add_font_program. */
static HPDF_STATUS embed_once(HPDF_Dict font, HPDF_Dict_BeforeWriteFunc libharu_fn)
{
	HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
	HPDF_FontDef def = fa->fontdef;
	HPDF_TTFontDefAttr ta = (HPDF_TTFontDefAttr)def->attr;
	stream_cache *c = &((hpdf_state *)font->error->user_data)->fonts->cache;
	int ours = !def->descriptor && ta->embedding && ta->stream && ta->stream->read_fn == mem_read;
	if (ours)
		ta->embedding = HPDF_FALSE;
	HPDF_STATUS rc = libharu_fn(font);
	if (ours)
		ta->embedding = HPDF_TRUE;
	if (rc == HPDF_OK && ours && def->descriptor)
		rc = add_font_program(c, font, def);
	if (rc == HPDF_OK && libharu_fn == cid_before_write) {
		map_used_glyphs(fa->map_stream, def);
		deflate_repeated(c, fa->map_stream);
		deflate_repeated(c, fa->cmap_stream);
	}
	return rc;
}

static HPDF_STATUS tt_font_before_write(HPDF_Dict font)
{
	return embed_once(font, __atomic_load_n(&tt_before_write, __ATOMIC_RELAXED));
}

static HPDF_STATUS cid_font_before_write(HPDF_Dict font)
{
	return embed_once(font, __atomic_load_n(&cid_before_write, __ATOMIC_RELAXED));
}

static void wrap_before_write(HPDF_Dict font, HPDF_Dict_BeforeWriteFunc *libharu_fn,
                              HPDF_Dict_BeforeWriteFunc ours)
{
	if (!font || !font->before_write_fn || font->before_write_fn == ours)
		return;
	__atomic_store_n(libharu_fn, font->before_write_fn, __ATOMIC_RELAXED);
	font->before_write_fn = ours;
}

/* The document's font for a face's file src in encoding slot enc, created (and the file
 * embedded) on first use. */
HPDF_Font doc_font(doc_home *h, doc_fonts *df, const pdf_fonts *f, int src, face_id face, int enc)
{
	HPDF_Doc doc = h->doc;
	HPDF_Font *slot = &df->font[src][face][enc];
	if (*slot)
		return *slot;
	if (!h->name[src][face] && f->file[src][face].data)
		h->name[src][face] = load_font(doc, &f->file[src][face]);
	if (!h->name[src][face])
		return NULL;
	if (enc == ENC_UTF8) {
		use_utf_encodings(h);
		*slot = font_of(doc, h->name[src][face], "UTF-8");
		if (*slot) {
			repair_utf8_font(*slot);
			wrap_before_write(*slot, &cid_before_write, cid_font_before_write);
		}
	} else {
		*slot = font_of(doc, h->name[src][face], encodings[enc]);
		wrap_before_write(*slot, &tt_before_write, tt_font_before_write);
	}
	return *slot;
}
