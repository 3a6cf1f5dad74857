/* pdf.c: the one module that talks to libharu (see shared/notes/libharu-2.3.md). */
#include "pdf.h"
#include "diag.h"
#include "image.h"
#include "svg.h"
#include "util.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <libdeflate.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
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

/* Compression (libdeflate, zlib format), the level chosen per kind of stream by measurement
 * (doc/libharu-internals.md section 4): page contents, made for every document, as each page
 * is finished at DEFLATE_LEVEL (libdeflate's fastest, 0.2 times the CPU of libharu's zlib;
 * with the shorter content of section 6 every handout still comes out smaller than before),
 * one compressor per thread; font programs and the UTF-8 font's maps, made once per run (see
 * stream_cache), at REPEATED_LEVEL. */
#define DEFLATE_LEVEL      1
#define REPEATED_LEVEL     6
#define STREAM_CACHE_BYTES (1u << 20) /* keys and deflated bytes kept; the oldest go first */

/* A stream as a document embeds it, deflated, under the key that decides its bytes. */
typedef struct stream_blob {
	uint64_t hash;
	const void *source; /* the font file it was made from; NULL for a stream keyed by its bytes */
	unsigned char *key, *z; /* one allocation: the key, then the deflated bytes */
	size_t key_len, z_len;
	unsigned length1; /* a font program's length before deflating */
} stream_blob;

/* Streams deflated once per run and shared by every document of it (all threads): font
 * programs, keyed by their file, subset tag and glyph set (the same in most handouts), and
 * the UTF-8 font's maps, keyed by their bytes. */
#define SEEN_SLOTS 1024 /* keys missed lately, by hash: a stream is kept when missed twice */
typedef struct stream_cache {
	pthread_mutex_t lock;
	stream_blob *blob; /* oldest first */
	size_t n, cap, bytes;
	size_t hits;
	uint64_t seen[SEEN_SLOTS];    /* hashes of keys missed once (0: none) */
	pthread_mutex_t deflate_lock; /* one compressor for the misses of every thread */
	struct libdeflate_compressor *comp;
} stream_cache;

/* What decides a cached stream's bytes: the font file it comes from (NULL for a stream
 * keyed by its own bytes) and the key's bytes, with their hash. */
typedef struct stream_key {
	const void *source;
	strbuf bytes;
	uint64_t hash;
} stream_key;

/* A font file, mapped once: each document loads it from memory (libharu's file reader would
 * seek and read the file again, about 350 system calls a document). */
typedef struct font_file {
	const unsigned char *data; /* mapped: only the pages libharu reads count in memory */
	size_t len;
	int shared;  /* the same mapping as an earlier face's */
	char tag[7]; /* its subset tag, by its place among the files: HPDFAA, HPDFAB... */
} font_file;

struct pdf_fonts {
	unsigned long id;                      /* unique in the process, never reused */
	char *path[SRC_COUNT][FACE_COUNT];     /* the fallbacks may be NULL */
	font_file file[SRC_COUNT][FACE_COUNT];
	stream_cache cache;
	uint8_t src[FACE_COUNT][TABLE_SIZE];   /* the file that draws each character */
	int16_t width[FACE_COUNT][TABLE_SIZE]; /* advance, 1/1000 em; -1: no glyph */
	uint16_t code[TABLE_SIZE];             /* (encoding index + 1) << 8 | byte; 0: none */
	double ascent[FACE_COUNT];
};

/* libharu reports errors through this; the first is kept, no longjmp. */
typedef struct hpdf_state {
	HPDF_STATUS error;
	HPDF_STATUS detail;
	int reported;     /* the error was said */
	pdf_fonts *fonts; /* the run's fonts, whose stream cache embed_once uses */
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
static const char *load_font(HPDF_Doc doc, const font_file *file)
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
	static unsigned long last_id;
	pdf_fonts *f = xcalloc(1, sizeof *f);
	f->id = __atomic_add_fetch(&last_id, 1, __ATOMIC_RELAXED);
	memset(f->width, 0xFF, sizeof f->width); /* -1: no glyph */
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

const char *pdf_libraries(void)
{
	static char text[128];
	/* libdeflate has no run-time version: the one compiled against is the one its soname
	 * promises. */
	snprintf(text, sizeof text, "libharu %s, libdeflate %s, zlib %s", HPDF_GetVersion(),
	         LIBDEFLATE_VERSION_STRING, zlibVersion());
	return text;
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
	HPDF_Font font[SRC_COUNT][FACE_COUNT][NENCODINGS + 1]; /* the last: UTF-8 */
	HPDF_Font current;   /* font and size set in the page's text object */
	double current_size;
	int stroking;        /* text render mode 2 (fill, then stroke) is set: emboldening */
	double stroke_pt;    /* the line width and stroke colour set for it */
	rgb stroke_ink;
	int line_set;             /* the text object has a line start yet: ... */
	long long line_x, line_y; /* ... here, in 1/100000 pt */
} doc_fonts;

/* A libharu document and what stays loaded in it from one of a thread's documents to the
 * next: HPDF_FreeDoc and HPDF_NewDoc keep its font definitions (parsed once per thread; libharu
 * clears their glyph marks and descriptors for each document) and its encoders. */
typedef struct doc_home {
	HPDF_Doc doc;
	hpdf_state st;                           /* the error handler's data, as long as doc */
	unsigned long fonts_id;                  /* the pdf_fonts whose files doc has loaded */
	const char *name[SRC_COUNT][FACE_COUNT]; /* those loaded: the fallbacks on first use */
	int utf_encodings;                       /* HPDF_UseUTFEncodings was called */
	int in_use;
} doc_home;

static void use_utf_encodings(doc_home *h)
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

/* ---- Streams deflated here rather than by libharu (doc/libharu-internals.md section 4). */

/* libharu writes a stream with filter NONE as it is and drops /Filter; this puts it back
 * for data that is already deflated. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* A memory stream's bytes, copied into one buffer. */
static unsigned char *stream_bytes(HPDF_Stream st, size_t *len)
{
	unsigned char *out = xmalloc(st->size ? st->size : 1);
	size_t at = 0;
	HPDF_UINT count = HPDF_MemStream_GetBufCount(st);
	for (HPDF_UINT i = 0; i < count && at < st->size; i++) {
		HPDF_UINT n = 0;
		HPDF_BYTE *part = HPDF_MemStream_GetBufPtr(st, i, &n);
		if (!part)
			break;
		if (n > st->size - at)
			n = (HPDF_UINT)(st->size - at);
		memcpy(out + at, part, n);
		at += n;
	}
	*len = at;
	return out;
}

/* The stream's data becomes z, which is already deflated: libharu writes it as it is. */
static void use_deflated(HPDF_Dict d, const unsigned char *z, size_t zlen)
{
	HPDF_MemStream_FreeData(d->stream);
	HPDF_Stream_Write(d->stream, z, (HPDF_UINT)zlen);
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = write_flate_filter;
}

/* data deflated in zlib format by c; NULL when it cannot be. */
static unsigned char *deflate_with(struct libdeflate_compressor *c, const unsigned char *data, size_t len,
                                   size_t *zlen)
{
	size_t cap = libdeflate_zlib_compress_bound(c, len);
	unsigned char *z = xmalloc(cap);
	*zlen = libdeflate_zlib_compress(c, data, len, z, cap);
	if (!*zlen) {
		free(z);
		return NULL;
	}
	return z;
}

/* Each thread's compressor for page contents, made on first use, freed when the thread ends
 * (the main thread's at exit, by pdf_thread_done). */
static pthread_key_t content_key;
static pthread_once_t content_key_once = PTHREAD_ONCE_INIT;

static void free_compressor(void *c)
{
	libdeflate_free_compressor(c);
}

static void make_content_key(void)
{
	pthread_key_create(&content_key, free_compressor);
}

static struct libdeflate_compressor *content_compressor(void)
{
	pthread_once(&content_key_once, make_content_key);
	struct libdeflate_compressor *c = pthread_getspecific(content_key);
	if (!c && (c = libdeflate_alloc_compressor(DEFLATE_LEVEL)) != NULL)
		pthread_setspecific(content_key, c);
	return c;
}

size_t pdf_fonts_cache_hits(pdf_fonts *f)
{
	pthread_mutex_lock(&f->cache.lock);
	size_t n = f->cache.hits;
	pthread_mutex_unlock(&f->cache.lock);
	return n;
}

/* d's stream deflated by c; NULL when it cannot be. */
static unsigned char *deflate_dict(struct libdeflate_compressor *c, HPDF_Dict d, size_t *zlen)
{
	size_t len;
	unsigned char *raw = stream_bytes(d->stream, &len);
	unsigned char *z = deflate_with(c, raw, len, zlen);
	free(raw);
	return z;
}

/* A finished page's content stream, deflated now (libharu would at save, with zlib's
 * default level, which costs 2.4 times as much for slightly larger output). A page left in
 * a text or path object or inside q...Q is left to libharu, which closes it at save. */
static void deflate_page(HPDF_Page page)
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

static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull ^ n;
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

static stream_key key_of(const void *source, strbuf bytes)
{
	return (stream_key){source, bytes, hash_bytes((const unsigned char *)bytes.data, bytes.len)};
}

/* On a hit, d gets the kept deflated bytes (and *length1 its length before). Compares the
 * whole key, never the hash alone. */
static int cache_use(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned *length1)
{
	int hit = 0;
	pthread_mutex_lock(&c->lock);
	for (size_t i = c->n; i-- > 0 && !hit;) {
		const stream_blob *b = &c->blob[i];
		if (b->hash == k->hash && b->source == k->source && b->key_len == k->bytes.len &&
		    memcmp(b->key, k->bytes.data, k->bytes.len) == 0) {
			use_deflated(d, b->z, b->z_len);
			*length1 = b->length1;
			hit = 1;
		}
	}
	c->hits += (size_t)hit;
	pthread_mutex_unlock(&c->lock);
	return hit;
}

/* Keeps a copy of d's deflated bytes under k, dropping the oldest beyond
 * STREAM_CACHE_BYTES; only a key missed before (a glyph set many handouts share, not the
 * one a single rare name makes), so the little memory kept serves many hits. */
static void cache_keep(stream_cache *c, const stream_key *k, const unsigned char *z, size_t z_len,
                       unsigned length1)
{
	size_t need = k->bytes.len + z_len;
	if (need > STREAM_CACHE_BYTES)
		return;
	pthread_mutex_lock(&c->lock);
	uint64_t *seen = &c->seen[k->hash % SEEN_SLOTS];
	int again = *seen == (k->hash | 1);
	*seen = again ? 0 : k->hash | 1;
	pthread_mutex_unlock(&c->lock);
	if (!again)
		return;
	stream_blob b = {k->hash, k->source, xmalloc(need), NULL, k->bytes.len, z_len, length1};
	b.z = b.key + k->bytes.len;
	memcpy(b.key, k->bytes.data, k->bytes.len);
	memcpy(b.z, z, z_len);
	pthread_mutex_lock(&c->lock);
	while (c->n && c->bytes + need > STREAM_CACHE_BYTES) {
		c->bytes -= c->blob[0].key_len + c->blob[0].z_len;
		free(c->blob[0].key);
		memmove(c->blob, c->blob + 1, --c->n * sizeof *c->blob);
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->blob = xrealloc(c->blob, c->cap * sizeof *c->blob);
	}
	c->blob[c->n++] = b;
	c->bytes += need;
	pthread_mutex_unlock(&c->lock);
}

/* On a miss: deflates d's data (filter FlateDecode) with the shared compressor and offers
 * it to the cache under k. Returns 0, or -1 when d was left to libharu to deflate. */
static int deflate_keyed(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned length1)
{
	size_t zlen;
	unsigned char *z = NULL;
	pthread_mutex_lock(&c->deflate_lock);
	if (!c->comp)
		c->comp = libdeflate_alloc_compressor(REPEATED_LEVEL);
	if (c->comp)
		z = deflate_dict(c->comp, d, &zlen);
	pthread_mutex_unlock(&c->deflate_lock);
	if (!z)
		return -1;
	use_deflated(d, z, zlen);
	cache_keep(c, k, z, zlen, length1);
	free(z);
	return 0;
}

/* A stream made the same way in every document that has it (the UTF-8 font's ToUnicode and
 * CIDToGIDMap), keyed by its own bytes. */
static void deflate_repeated(stream_cache *c, HPDF_Dict d)
{
	if (!d || d->filter != HPDF_STREAM_FILTER_FLATE_DECODE)
		return;
	strbuf bytes = {0};
	bytes.data = (char *)stream_bytes(d->stream, &bytes.len);
	bytes.cap = bytes.len;
	stream_key k = key_of(NULL, bytes);
	unsigned unused;
	if (!cache_use(c, &k, d, &unused))
		deflate_keyed(c, &k, d, 0);
	sb_free(&bytes);
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
static HPDF_Font doc_font(doc_home *h, doc_fonts *df, const pdf_fonts *f, int src, face_id face, int enc)
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
			HPDF_Font font = doc_font(h, df, f, run_src, it->face, run_enc);
			run[nrun] = '\0';
			if (font && (df->current != font || df->current_size != it->size_pt)) {
				HPDF_Page_SetFontAndSize(page, font, (HPDF_REAL)it->size_pt);
				df->current = font;
				df->current_size = it->size_pt;
			}
			if (font)
				embolden(page, df, it, it->face == FACE_BOLD && f->file[run_src][FACE_BOLD].shared);
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
	if (it->filled)
		set_colour_fill(page, &it->fill_ink);
	if (it->stroke_pt > 0) {
		set_colour_stroke(page, &it->stroke_ink);
		set_line_width(page, it->stroke_pt);
	}
	put_op(page, (const double[]){it->x_pt, it->y_pt, it->w_pt, it->h_pt}, 4, "re");
	put_op(page, NULL, 0, it->filled && it->stroke_pt > 0 ? "B" : it->filled ? "f" : "S");
}

struct pdf_image {
	unsigned width, height;
	unsigned char *rgb_z, *alpha_z; /* zlib streams; alpha_z NULL when opaque */
	size_t rgb_len, alpha_len;
};

/* The logo, deflated once per run at zlib's level 9 with its match chains cut from 4,096 to
 * 256 (deflateTune): 0.52 ms instead of 2.1 ms for the example logo, a fifth of a single
 * handout's start-up, for 18 bytes more (1,581 against 1,563). */
static unsigned char *deflate_all(const unsigned char *data, size_t len, size_t *out_len)
{
	z_stream zs = {0};
	if (deflateInit(&zs, Z_BEST_COMPRESSION) != Z_OK)
		return NULL;
	deflateTune(&zs, 32, 258, 258, 256);
	uLong cap = deflateBound(&zs, (uLong)len);
	unsigned char *z = xmalloc(cap);
	zs.next_in = (Bytef *)data;
	zs.avail_in = (uInt)len;
	zs.next_out = z;
	zs.avail_out = (uInt)cap;
	int rc = deflate(&zs, Z_FINISH);
	*out_len = zs.total_out;
	deflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(z);
		return NULL;
	}
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

/* The packed form: "HANDOUT-IMAGE 1\n", width, height, and the two streams' lengths as
 * 32-bit little-endian numbers, then the streams. */
#define PACK_MAGIC "HANDOUT-IMAGE 1\n"
#define PACK_HEAD  (sizeof PACK_MAGIC - 1 + 16)

static void put_u32(unsigned char *p, size_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static size_t get_u32(const unsigned char *p)
{
	return (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
}

void pdf_image_pack(const pdf_image *pi, strbuf *out)
{
	unsigned char head[PACK_HEAD];
	memcpy(head, PACK_MAGIC, sizeof PACK_MAGIC - 1);
	unsigned char *n = head + sizeof PACK_MAGIC - 1;
	put_u32(n, pi->width);
	put_u32(n + 4, pi->height);
	put_u32(n + 8, pi->rgb_len);
	put_u32(n + 12, pi->alpha_z ? pi->alpha_len : 0);
	sb_appendn(out, (const char *)head, sizeof head);
	sb_appendn(out, (const char *)pi->rgb_z, pi->rgb_len);
	if (pi->alpha_z)
		sb_appendn(out, (const char *)pi->alpha_z, pi->alpha_len);
}

/* 1 when z inflates to exactly len bytes. */
static int inflates_to(const unsigned char *z, size_t zlen, size_t len)
{
	unsigned char *out = xmalloc(len + 1);
	uLongf got = (uLongf)len + 1;
	int ok = uncompress(out, &got, z, (uLong)zlen) == Z_OK && got == len;
	free(out);
	return ok;
}

pdf_image *pdf_image_unpack(const unsigned char *data, size_t len)
{
	if (len < PACK_HEAD || memcmp(data, PACK_MAGIC, sizeof PACK_MAGIC - 1) != 0)
		return NULL;
	const unsigned char *n = data + sizeof PACK_MAGIC - 1;
	size_t w = get_u32(n), h = get_u32(n + 4), rgb_len = get_u32(n + 8), alpha_len = get_u32(n + 12);
	if (w == 0 || h == 0 || w > 4096 || h > 4096 || rgb_len == 0 ||
	    PACK_HEAD + rgb_len + alpha_len != len)
		return NULL;
	const unsigned char *rgb_z = data + PACK_HEAD, *alpha_z = rgb_z + rgb_len;
	if (!inflates_to(rgb_z, rgb_len, w * h * 3) || (alpha_len && !inflates_to(alpha_z, alpha_len, w * h)))
		return NULL;
	pdf_image *pi = xcalloc(1, sizeof *pi);
	pi->width = (unsigned)w;
	pi->height = (unsigned)h;
	pi->rgb_z = xmalloc(rgb_len);
	memcpy(pi->rgb_z, rgb_z, rgb_len);
	pi->rgb_len = rgb_len;
	if (alpha_len) {
		pi->alpha_z = xmalloc(alpha_len);
		memcpy(pi->alpha_z, alpha_z, alpha_len);
		pi->alpha_len = alpha_len;
	}
	return pi;
}

double pdf_image_aspect(const pdf_image *pi)
{
	return (double)pi->width / pi->height;
}

void pdf_image_free(pdf_image *pi)
{
	if (!pi)
		return;
	free(pi->rgb_z);
	free(pi->alpha_z);
	free(pi);
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
	static const char *const caps[] = {[CAP_BUTT] = "0 J", [CAP_ROUND] = "1 J", [CAP_SQUARE] = "2 J"};
	static const char *const joins[] = {[JOIN_MITER] = "0 j", [JOIN_ROUND] = "1 j", [JOIN_BEVEL] = "2 j"};
	const drawing *d = it->drawing;
	double s = it->w_pt / d->width;
	HPDF_Page_GSave(page);
	/* Drawing units have y down; PDF has y up. */
	HPDF_Page_Concat(page, (HPDF_REAL)s, 0, 0, (HPDF_REAL)-s, (HPDF_REAL)it->x_pt, (HPDF_REAL)(it->y_pt + it->h_pt));
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

static void draw_page(doc_home *h, HPDF_Page page, const layout_page *lp, doc_fonts *df, const pdf_fonts *f,
                      doc_images *di)
{
	/* Rectangles and images first (boxes shade under text), then all text in one text object. */
	for (size_t i = 0; i < lp->nitems; i++) {
		if (lp->items[i].kind == ITEM_RECT)
			draw_rect(page, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_IMAGE)
			draw_image(h->doc, page, di, &lp->items[i]);
		else if (lp->items[i].kind == ITEM_DRAWING)
			draw_drawing(page, &lp->items[i]);
	}
	HPDF_Page_BeginText(page);
	df->current = NULL; /* a new page starts with no font and no line, filling text */
	df->stroking = 0;
	df->line_set = 0;
	const rgb *ink = NULL;
	for (size_t i = 0; i < lp->nitems; i++) {
		const layout_item *it = &lp->items[i];
		if (it->kind != ITEM_TEXT)
			continue;
		if (!ink || memcmp(ink, &it->ink, sizeof *ink) != 0) {
			set_colour_fill(page, &it->ink);
			ink = &it->ink;
		}
		show_text(h, page, df, f, it);
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

static void set_info(doc_home *h, const pdf_meta *meta)
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
		use_utf_encodings(h);
		HPDF_SetCurrentEncoder(h->doc, "UTF-8");
	}
	for (int i = 0; i < 5; i++) {
		if (values[i] && *values[i])
			HPDF_SetInfoAttr(h->doc, types[i], all_latin ? latin[i] : values[i]);
		free(latin[i]);
	}
	int y, m, d;
	if (iso_date_valid(meta->date) && sscanf(meta->date, "%d-%d-%d", &y, &m, &d) == 3) {
		HPDF_Date date = {y, m, d, 0, 0, 0, 'Z', 0, 0};
		HPDF_SetInfoDateAttr(h->doc, HPDF_INFO_CREATION_DATE, date);
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
	doc_home *home;
	int own_home; /* made for this document (the thread's was in use): freed with it */
	doc_fonts df;
	doc_images di;
	const pdf_fonts *f;
	const char *who;
	size_t pages;
};

/* The error a document met, said once; 1 when there was one. */
static int doc_failed(pdf_doc *d)
{
	hpdf_state *st = &d->home->st;
	if (!st->error)
		return 0;
	if (!st->reported)
		diag(DIAG_ERROR, NULL, 0,
		     "%s: the PDF could not be made: %s (libharu error 0x%04X, detail %u)", d->who,
		     libharu_sentence(st->error), (unsigned)st->error, (unsigned)st->detail);
	st->reported = 1;
	return 1;
}

/* Each thread's doc_home, freed when the thread ends (the main thread's by pdf_thread_done). */
static pthread_key_t home_key;
static pthread_once_t home_key_once = PTHREAD_ONCE_INIT;

static void home_free(void *p)
{
	doc_home *h = p;
	if (h)
		HPDF_Free(h->doc);
	free(h);
}

static void make_home_key(void)
{
	pthread_key_create(&home_key, home_free);
}

/* A home for a new document of fonts f: the thread's, emptied (HPDF_NewDoc), or when that
 * is in use (a mailing bundle open while its thread makes another document) one of the
 * document's own. NULL when libharu cannot start. */
static doc_home *home_take(const pdf_fonts *f, int *own)
{
	pthread_once(&home_key_once, make_home_key);
	doc_home *h = pthread_getspecific(home_key);
	*own = h && h->in_use;
	if (*own || !h) {
		h = xcalloc(1, sizeof *h);
		if (!*own)
			pthread_setspecific(home_key, h);
	}
	if (h->doc && h->fonts_id != f->id) { /* loaded from other fonts (a test's second run) */
		HPDF_Free(h->doc);
		h->doc = NULL;
	}
	h->st = (hpdf_state){0};
	h->st.fonts = (pdf_fonts *)f; /* its stream cache is the one part documents change, under its lock */
	if (!h->doc) {
		memset(h->name, 0, sizeof h->name);
		h->utf_encodings = 0;
		h->fonts_id = f->id;
		h->doc = HPDF_New(on_error, &h->st);
		if (h->doc)
			HPDF_SetCompressionMode(h->doc, HPDF_COMP_ALL);
	} else {
		HPDF_NewDoc(h->doc);
	}
	if (!h->doc) {
		diag(DIAG_ERROR, NULL, 0, "cannot start libharu");
		if (*own)
			free(h);
		return NULL;
	}
	h->in_use = 1;
	/* Each face is embedded once per document, however many handouts it holds. */
	for (int face = 0; face < FACE_COUNT && !h->st.error; face++)
		if (!h->name[SRC_MAIN][face])
			h->name[SRC_MAIN][face] = load_font(h->doc, &f->file[SRC_MAIN][face]);
	return h;
}

/* Ends a document: its objects are freed now, the fonts and encoders stay for the next. */
static void home_give_back(pdf_doc *d)
{
	if (d->own_home) {
		home_free(d->home);
		return;
	}
	HPDF_FreeDoc(d->home->doc);
	d->home->in_use = 0;
}

void pdf_thread_done(void)
{
	pthread_once(&content_key_once, make_content_key);
	struct libdeflate_compressor *c = pthread_getspecific(content_key);
	pthread_setspecific(content_key, NULL);
	libdeflate_free_compressor(c);
	pthread_once(&home_key_once, make_home_key);
	home_free(pthread_getspecific(home_key));
	pthread_setspecific(home_key, NULL);
}

pdf_doc *pdf_doc_new(const pdf_fonts *f, const pdf_image *const *images, size_t nimages, const pdf_meta *meta)
{
	int own;
	doc_home *h = home_take(f, &own);
	if (!h)
		return NULL;
	pdf_doc *d = xcalloc(1, sizeof *d);
	d->home = h;
	d->own_home = own;
	d->f = f;
	d->who = meta->who ? meta->who : "handout";
	set_info(h, meta);
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
	for (size_t i = 0; i < l->npages && !d->home->st.error; i++) {
		HPDF_Page page = HPDF_AddPage(d->home->doc);
		if (!page)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->width_pt);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->height_pt);
		draw_page(d->home, page, &l->pages[i], &d->df, d->f, &d->di);
		deflate_page(page);
		d->pages++;
	}
	return doc_failed(d) ? -1 : 0;
}

int pdf_doc_add_blank(pdf_doc *d, double width_pt, double height_pt)
{
	HPDF_Page page = HPDF_AddPage(d->home->doc);
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
	HPDF_Doc doc = d->home->doc;
	hpdf_state *st = &d->home->st;
	unsigned char *buf = NULL;
	HPDF_UINT32 size = 0;
	if (!st->error)
		HPDF_SaveToStream(doc);
	if (!st->error) {
		size = HPDF_GetStreamSize(doc);
		buf = xmalloc(size ? size : 1);
		HPDF_UINT32 got = 0;
		HPDF_ResetStream(doc);
		while (got < size) {
			HPDF_UINT32 n = size - got;
			HPDF_STATUS r = HPDF_ReadFromStream(doc, buf + got, &n);
			got += n;
			if (r == HPDF_STREAM_EOF || n == 0)
				break;
		}
		if (got != size && !st->error)
			st->error = HPDF_STREAM_EOF;
	}
	int failed = doc_failed(d);
	home_give_back(d);
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
	home_give_back(d);
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
