/* fonts.c: which font file draws which script, what the faces can print and how wide. */
#include "fonts.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Chinese, Japanese and Korean characters, for every face (the font has one weight:
 * pdf_page.c emboldens it for bold text). */
#define CJK_FONT "WQYMicroHei-CJK.ttf"

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void fonts_files(const char *dir, const char *const face_file[FACE_COUNT],
                 char *files[FONTS_FILES][FACE_COUNT])
{
	/* Each face: its file, its -Extra file (more alphabets) when there is one, and the CJK
	 * font for both faces. */
	char *cjk = path_join(dir, CJK_FONT);
	for (int i = 0; i < FACE_COUNT; i++) {
		files[0][i] = path_join(dir, face_file[i]);
		strbuf sb = {0};
		const char *dot = strrchr(files[0][i], '.');
		sb_printf(&sb, "%.*s-Extra%s", (int)(dot ? dot - files[0][i] : (long)strlen(files[0][i])),
		          files[0][i], dot ? dot : "");
		files[1][i] = file_exists(sb.data) ? sb_take(&sb) : (sb_free(&sb), NULL);
		files[2][i] = file_exists(cjk) ? xstrdup(cjk) : NULL;
	}
	free(cjk);
}

int fonts_can_draw(const font_metrics *m, face_id face, uint32_t cp)
{
	/* A glyph is enough: a character no single-byte PDF encoding holds goes through the PDF
	 * module's UTF-8 font. */
	return cp >= 0x20 && cp < FONTS_TABLE_SIZE && m->width[face][cp] >= 0 && !(cp >= 0x7F && cp < 0xA0);
}

static double text_width(void *ctx, face_id face, double size_pt, const char *s, size_t len)
{
	const font_metrics *m = ctx;
	long units = 0;
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);
		s += n;
		len -= n;
		if (!fonts_can_draw(m, face, cp))
			cp = '?';
		units += m->width[face][cp];
	}
	return units * size_pt / 1000.0;
}

void fonts_measure(const font_metrics *m, layout_measure *lm)
{
	lm->ctx = (void *)m;
	lm->text_width = text_width;
	for (int i = 0; i < FACE_COUNT; i++)
		lm->ascent[i] = m->ascent[i];
}

/* Scripts whose letters join or are written right to left: without shaping they would
 * print wrong, so a name in them is not printed at all. */
static int needs_shaping(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || /* Hebrew, Arabic, Syriac, Thaana, NKo... */
	       (cp >= 0x0900 && cp <= 0x0DFF) || /* the Indic scripts */
	       (cp >= 0x0E00 && cp <= 0x109F) || /* Thai, Lao, Tibetan, Myanmar */
	       (cp >= 0x1780 && cp <= 0x18AF) || /* Khmer, Mongolian */
	       (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF); /* presentation forms */
}

/* Characters that change the direction of the text around them (marks, embeddings,
 * overrides, isolates): without a bidi algorithm they print as question marks or nothing,
 * and around an address they are how one line is made to read as another. */
static int changes_direction(uint32_t cp)
{
	return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

const char *fonts_unprintable(const font_metrics *m, const char *text)
{
	size_t missing = 0, shaped = 0, direction = 0;
	for (size_t len = strlen(text); len;) {
		uint32_t cp;
		size_t n = utf8_decode(text, len, &cp);
		text += n;
		len -= n;
		if (changes_direction(cp))
			direction++;
		else if (needs_shaping(cp))
			shaped++;
		else if (cp == 0xFFFD || !fonts_can_draw(m, FACE_REGULAR, cp) ||
		         !fonts_can_draw(m, FACE_BOLD, cp))
			missing++;
	}
	return direction ? "characters that change the direction of text (right-to-left marks or overrides)"
	       : shaped  ? "a script handout cannot set (its letters join or run right to left)"
	       : missing ? "letters the fonts do not have"
	                 : NULL;
}
