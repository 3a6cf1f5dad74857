/* pdf_int.h: what the files of the pdf family (pdf.c, pdf_font.c, pdf_stream.c, pdf_page.c,
 * pdf_image.c) share, owned by none of them; the rest of the program includes pdf.h only. */
#ifndef HANDOUT_PDF_INT_H
#define HANDOUT_PDF_INT_H

#include "fonts.h"
#include "layout.h"
#include "pdf.h"
#include "style.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_version.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

/* The internals the pdf files reach into (doc/libharu-internals.md) are those of libharu 2.3:
 * another version must be checked against that document before it is built with. */
#if HPDF_MAJOR_VERSION != 2 || HPDF_MINOR_VERSION != 3
#error                                                                                                       \
    "handout reaches into libharu 2.3's structures: check doc/libharu-internals.md against this libharu, then change this test"
#endif

typedef struct pdf_fonts pdf_fonts;
typedef struct pdf_image pdf_image;

/* Characters below this are measured and encoded from tables; above, none are drawn. */
#define TABLE_SIZE FONTS_TABLE_SIZE

/* The single-byte encodings (pdf_font.c's encodings[]), then the UTF-8 font's slot. */
#define NENCODINGS 11
#define ENC_UTF8   ((int)NENCODINGS) /* the fallback font's slot */

/* A face's files, tried in order for each character: the main one every document embeds,
 * then fallbacks (more alphabets; CJK) a document embeds only when it prints one of their
 * characters (fonts.h). */
enum { SRC_MAIN, SRC_COUNT = FONTS_FILES };

/* A stream as a document embeds it, deflated, under the key that decides its bytes. */
typedef struct stream_blob {
	uint64_t hash;
	const void *source;     /* the font file it was made from; NULL for a stream keyed by its bytes */
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
	unsigned long id;                  /* unique in the process, never reused */
	char *path[SRC_COUNT][FACE_COUNT]; /* the fallbacks may be NULL */
	font_file file[SRC_COUNT][FACE_COUNT];
	stream_cache cache;
	font_metrics m;            /* the file that draws each character, widths */
	uint16_t code[TABLE_SIZE]; /* (encoding index + 1) << 8 | byte; 0: none */
};

/* libharu reports errors through this; the first is kept, no longjmp. */
typedef struct hpdf_state {
	HPDF_STATUS error;
	HPDF_STATUS detail;
	int reported;     /* the error was said */
	pdf_fonts *fonts; /* the run's fonts, whose stream cache embed_once uses */
} hpdf_state;

/* The fonts of one document: each face loaded once, one font object per encoding used. */
typedef struct doc_fonts {
	HPDF_Font font[SRC_COUNT][FACE_COUNT][NENCODINGS + 1]; /* the last: UTF-8 */
	HPDF_Font current; /* font and size set in the page's text object */
	double current_size;
	int stroking;     /* text render mode 2 (fill, then stroke) is set: emboldening */
	double stroke_pt; /* the line width and stroke colour set for it */
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

/* Images of one document, embedded on first use. */
#define DOC_MAX_IMAGES 4
typedef struct doc_images {
	const pdf_image *src[DOC_MAX_IMAGES]; /* copied: a document outlives its caller's array */
	size_t n;
	HPDF_Image loaded[DOC_MAX_IMAGES];
} doc_images;

/* The structure tree being written (pdf_tags.c): one Document element for the whole PDF,
 * the elements of the layout being added, the current page's marked content. Lives until
 * the PDF is saved (its elements are written from it). */
typedef struct tag_elem tag_elem;
typedef struct doc_tags {
	HPDF_Dict root, document; /* StructTreeRoot and its Document; NULL until a layout has tags */
	HPDF_Array doc_kids;
	strbuf nums;       /* the ParentTree's entries, written: "0[12 0 R 13 0 R]1[...]" */
	int npages_marked; /* pages with marked content so far: the next page's key */
	char *lang;        /* the first layout's language: the document's */
	tag_elem **all;    /* every element of the document, to free */
	size_t nall, all_cap;
	tag_elem **elem; /* the current layout's tags' elements; NULL: not written */
	size_t nelem;
	HPDF_Page page;    /* being drawn */
	strbuf page_elems; /* its MCIDs' elements, written, in MCID order */
	strbuf op;         /* the marked-content operator being written */
	int mcid;          /* its next MCID */
	int open;          /* a marked-content sequence is open, for ... */
	size_t open_tag;   /* ... this tag (0: an artifact) */
} doc_tags;

/* pdf.c: libharu's error handler (data: an hpdf_state). */
void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *data);

/* pdf_font.c: fonts loaded from memory, and a document's fonts. */
const char *load_font(HPDF_Doc doc, const font_file *file);
void use_utf_encodings(doc_home *h);
HPDF_Font doc_font(doc_home *h, doc_fonts *df, const pdf_fonts *f, int src, face_id face, int enc);

/* pdf_stream.c: streams deflated here rather than by libharu, and the run's stream cache. */
HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream);
unsigned char *stream_bytes(HPDF_Stream st, size_t *len);
void use_deflated(HPDF_Dict d, const unsigned char *z, size_t zlen);
struct libdeflate_compressor *content_compressor(void);
unsigned char *deflate_dict(struct libdeflate_compressor *c, HPDF_Dict d, size_t *zlen);
stream_key key_of(const void *source, strbuf bytes);
int cache_use(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned *length1);
int deflate_keyed(stream_cache *c, const stream_key *k, HPDF_Dict d, unsigned length1);
void deflate_repeated(stream_cache *c, HPDF_Dict d);
/* Frees the calling thread's page-content compressor. */
void pdf_stream_thread_done(void);

/* pdf_tags.c: the structure tree and each page's marked content. */
/* The elements of l's tags that hold content, under the Document, in l's order. */
void tags_begin_layout(HPDF_Doc doc, doc_tags *dt, const layout *l);
void tags_begin_page(doc_tags *dt, HPDF_Page page);
/* What is drawn next belongs to l's tag (0: an artifact): a marked-content sequence is
 * opened for it unless the open one is its own. */
void tags_mark(doc_tags *dt, const layout *l, size_t tag);
/* Closes the open marked-content sequence (before a text object ends, and a page). */
void tags_close(doc_tags *dt);
/* The page's MCIDs into the ParentTree, under its /StructParents key. */
void tags_end_page(doc_tags *dt);
/* The catalog's /StructTreeRoot (with its ParentTree), /MarkInfo and /Lang. */
void tags_finish(HPDF_Doc doc, doc_tags *dt);
/* After the PDF is saved (or will not be). */
void tags_free(doc_tags *dt);

/* pdf_record.c: what makes the PDF a record (PDF/A-2). */
#define PDF_CREATOR "handout" /* the Info dictionary's /Creator and the XMP's CreatorTool */
/* The catalog's XMP /Metadata (meta mirrored), /OutputIntents (with meta's profile) and
 * /ViewerPreferences; after the Info dictionary is set. */
void record_begin(HPDF_Doc doc, const pdf_meta *meta);
/* Adds text to a document's identifier being computed (start from any two numbers). */
void record_id_add(uint64_t id[2], const char *text);
/* Before saving: the trailer's /ID from id, and the version written (1.7). */
void record_finish(HPDF_Doc doc, const uint64_t id[2]);

/* pdf_page.c: one laid-out page drawn, and its content deflated once finished. */
void draw_page(doc_home *h, HPDF_Page page, const layout *l, size_t pi, doc_fonts *df, const pdf_fonts *f,
               doc_images *di, doc_tags *dt);
void deflate_page(HPDF_Page page);

/* pdf_image.c: an image item drawn, its XObject embedded on first use. */
void draw_image(HPDF_Doc doc, HPDF_Page page, doc_images *di, const layout_item *it);

#endif
