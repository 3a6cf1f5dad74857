/* document.h: the handout as a device-independent list of blocks (headings, paragraphs,
 * numbered steps, boxes, keep-together groups), built from the content, the clinic's
 * settings, the patient and the selection. Layout turns it into pages. */
#ifndef HANDOUT_DOCUMENT_H
#define HANDOUT_DOCUMENT_H

#include "style.h"
#include <stddef.h>

struct content;
struct settings;
struct patient;
struct selection;
struct strbuf;
struct drawing;

#define TABLE_MAX_COLS 6

typedef struct span {
	face_id face;
	char *text; /* UTF-8 */
} span;

typedef enum block_kind {
	BLOCK_TEXT,      /* a paragraph or heading: spans wrapped to the column */
	BLOCK_ITEM,      /* a list item: marker hanging left of wrapped spans */
	BLOCK_ROW,       /* a table row: label (marker) in a first column, spans beside it */
	BLOCK_SPACE,     /* vertical space of space_em body sizes; dropped at a page top */
	BLOCK_BOX_BEGIN, /* what follows up to BOX_END sits in a bordered box */
	BLOCK_BOX_END,
	BLOCK_KEEP_BEGIN, /* what follows up to KEEP_END stays on one page when it fits */
	BLOCK_KEEP_END,
	BLOCK_GRID,        /* a table row: spans[0] in a wide first column, the other spans in
	                      equal columns; with ticks, those columns hold empty tick boxes */
	BLOCK_IMAGE,       /* image number `image`, height_em body sizes high, at the left */
	BLOCK_DRAWING,     /* a vector drawing, centred, at most height_em body sizes high */
	BLOCK_ASIDE_BEGIN, /* a drawing at the right, height_em body sizes high (less when it
	                      would be wider than half the column); what follows up to ASIDE_END
	                      wraps beside it */
	BLOCK_ASIDE_END,
	BLOCK_TABLE, /* a table row: spans are its cells, each wrapped in its column
	                (col_frac of the width); a header row is bold and repeats at the top
	                of every page the table goes on to */
} block_kind;

typedef enum box_kind {
	BOX_URGENT,  /* heavy border in the urgent colour */
	BOX_SUMMARY, /* shaded, accent border */
	BOX_NOTE,    /* thin border */
} box_kind;

/* How a keep-together group (KEEP_BEGIN .. KEEP_END) may go over a page. */
typedef enum keep_kind {
	KEEP_WHOLE,  /* on one page when it fits (a note, the notice) */
	KEEP_COSTED, /* may split, at a cost, under its "continued" line (a card, a tier) */
	KEEP_HEADED, /* splits at a paragraph's cost, under its "continued" line (a cause) */
} keep_kind;

typedef struct block {
	block_kind kind;
	text_role role;
	colour_id colour;
	int keep_with_next; /* never the last thing on a page (a heading, a list's last items) */
	int hold_with_next; /* a page break after it costs (the safety net's tiers, read as one) */
	span *spans;
	size_t nspans;
	char *marker; /* ITEM: "1." or a bullet; ROW: the label */
	box_kind box;
	double space_em;
	int ticks;                     /* GRID: draw boxes, not text, in columns 2.. */
	int tick_first;                /* GRID with ticks: one box before the text, the text beside it (a
	                                  choice on a paper form: the box where the eye leaves the label) */
	int rule_below;                /* GRID: a thin line under the row */
	int image;                     /* IMAGE: index into the document's images */
	double height_em;              /* IMAGE, DRAWING, ASIDE_BEGIN */
	const struct drawing *drawing; /* DRAWING: what to draw (borrowed or owned) */
	struct drawing *owned;         /* DRAWING: a per-patient copy the document frees */
	char *alt;           /* DRAWING, ASIDE_BEGIN: what the drawing shows, one sentence (a tagged PDF's
	                        alternative text for readers who cannot see it); NULL: none */
	int centred;         /* TEXT: centre each line in the column */
	int letterhead;      /* TEXT: in a heading's type but no heading (the clinic's name atop a
	                        page): read as a paragraph */
	int heading;         /* TEXT: read as a heading of this level (1-3) though set in another
	                        role (an urgent sheet's notice); 0: as its role says */
	keep_kind keep;      /* KEEP_BEGIN: how the group may split; spans[0], when there, heads
	                        the rest on the next page */
	unsigned whole_cols; /* TABLE (its first row): bit c set when column c's words are ids or
	                      phone numbers, never broken: the column widens to its widest */
	double col_frac[TABLE_MAX_COLS]; /* TABLE: each column's share of the width; GRID: the
	                                    first column's and each other's (0: the defaults) */
	int header; /* TABLE, GRID: the table's header row, repeated atop each page it goes on to */
} block;

/* How far a handout is condensed to fit its template's pages (pipeline.c tries each in
 * turn, only while the one before takes too many): the safety net, the notes and an
 * exercise's steps, dose, cautions and drawing are never left out. */
typedef enum condense {
	CONDENSE_NONE,
	CONDENSE_CAUSES,     /* each cause in content's <brief> words, if any, in place of what and
	                        why; its reason, what helps and medicine stay */
	CONDENSE_NO_LOG,     /* and no exercise log */
	CONDENSE_PAIN_WORDS, /* and the patient's pain in words, without the body map and the
	                        scale (where it hurts and how much stay) */
	CONDENSE_MOST = CONDENSE_PAIN_WORDS
} condense;

/* What a template and the clinic decide about a document's shape. */
typedef struct document_options {
	const section_id *sections; /* print order after the title */
	size_t nsections;
	double logo_aspect; /* the clinic logo's width / height; 0: no logo */
	rgb mark;           /* colour of the patient's answers on drawings */
	int dose_paragraph; /* an exercise's dose as one paragraph (the template's <dose>) */
	int net_whole;      /* the safety net held on one page where it fits (standard print: in
	                       large print it runs over two pages whatever is done) */
	condense condense;  /* how far to condense it to fit the template's pages */
} document_options;

typedef struct document {
	block *blocks;
	size_t nblocks;
	size_t blocks_cap;
	/* Page furniture, on every page. */
	char *header_left;    /* patient name and id */
	char *header_right;   /* the date */
	char *footer_left;    /* clinic name */
	char *footer_contact; /* "Phone ...", "" when none; beside the name, or under it when narrow */
	char *page_format;    /* "Page {n} of {m}" in the document's language; NULL: layout's English */
	/* Metadata. */
	char *lang; /* the language it is written in (BCP 47: "en", "es", "zh-Hans"); NULL: unknown */
	char *title;
	char *subject;
	double image_aspect[1]; /* width / height of each image a BLOCK_IMAGE names */
	int one_page;           /* a sheet meant for one page (urgent, today): set a little tighter
	                           rather than run on to a second */
} document;

/* Building blocks by hand (the run report): a block appended to d, with the text colour
 * and nothing else set; a span appended to b. */
block *document_add(document *d, block_kind kind, text_role role);
void block_add_span(block *b, face_id face, const char *text);

/* Builds the handout for a valid patient. date_text is the date as printed. */
document *document_build(const struct content *c, const struct settings *s, const struct patient *p,
                         const struct selection *sel, const char *date_text, const document_options *opt);
/* The blank questionnaire on paper, in c's language: the clinic, lines for the name and
 * date, every question with tick boxes for its choices, a Yes/No table, a 0-10 row for the
 * pain, the body map to mark. */
document *document_form(const struct content *c, const struct settings *s, const document_options *opt);
void document_free(document *d);

/* Appends every block as one line of text (for tests and --dump document). */
void document_dump(const document *d, struct strbuf *out);

#endif
