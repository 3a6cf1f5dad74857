/* fonts.h: the faces' glyphs, without a PDF library: which font file draws which script, what
 * a face can print and how wide (the layout's measurer), and whether a text prints exactly. */
#ifndef HANDOUT_FONTS_H
#define HANDOUT_FONTS_H

#include "layout.h"
#include "style.h"
#include <stddef.h>
#include <stdint.h>

/* The files of each face, tried in order for each character: [0] the template's face file
 * (Latin; every document embeds it), [1] its -Extra file (more alphabets), [2] the CJK font,
 * which serves both faces. */
#define FONTS_FILES 3

/* Characters below this are measured from tables; above, none are drawn. */
#define FONTS_TABLE_SIZE 0x10000 /* the Basic Multilingual Plane */

/* What a run's fonts can draw and how wide: filled by whoever reads the font files (pdf.c's
 * pdf_fonts_load), then read-only, shared by every thread. */
typedef struct font_metrics {
	uint8_t src[FACE_COUNT][FONTS_TABLE_SIZE]; /* the file (0..FONTS_FILES-1) that draws each character */
	int16_t width[FACE_COUNT][FONTS_TABLE_SIZE]; /* advance, 1/1000 em; -1: no glyph */
	double ascent[FACE_COUNT];                   /* cap height x 1.05, per point of size */
} font_metrics;

/* The font files for faces whose main files are face_file[] in the folder dir: files[k][face]
 * malloc'd, or NULL where there is none (no -Extra file, no CJK font); the caller frees each. */
void fonts_files(const char *dir, const char *const face_file[FACE_COUNT],
                 char *files[FONTS_FILES][FACE_COUNT]);

/* 1 when face can draw cp (a file has a glyph for it and it is not a control character). */
int fonts_can_draw(const font_metrics *m, face_id face, uint32_t cp);

/* Fills lm so that layout measures text with these fonts (a character no face can draw
 * measures as '?', which is what prints). m must outlive lm's use. */
void fonts_measure(const font_metrics *m, layout_measure *lm);

/* Why text cannot be printed exactly as it is written in both faces (a noun phrase for "is
 * in ...": letters the fonts lack, a script that needs shaping, characters that change the
 * direction of text), or NULL when every character can: never a question mark in its place.
 * The phrase is static. */
const char *fonts_unprintable(const font_metrics *m, const char *text);

#endif
