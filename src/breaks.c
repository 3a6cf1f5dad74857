/* breaks.c: line break opportunities for layout.c. */
#include "breaks.h"
#include "util.h"

int breaks_cjk(uint32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || /* radicals, CJK punctuation, kana, ideographs */
	       (cp >= 0xAC00 && cp <= 0xD7A3) || /* Hangul syllables */
	       (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility ideographs */
	       (cp >= 0xFE30 && cp <= 0xFE4F) || /* CJK compatibility forms */
	       (cp >= 0xFF00 && cp <= 0xFFEF);   /* full-width forms */
}

/* Never at the start of a line: closing punctuation and small marks. */
static int no_break_before(uint32_t cp)
{
	switch (cp) {
	case 0x3001:
	case 0x3002:
	case 0xFF0C:
	case 0xFF0E:
	case 0xFF1A:
	case 0xFF1B: /* 、。，．：； */
	case 0xFF01:
	case 0xFF1F:
	case 0xFF09:
	case 0x300D:
	case 0x300F:
	case 0x3011: /* ！？）」』】 */
	case 0x300B:
	case 0x3009:
	case 0x3015:
	case 0x3017:
	case 0xFF3D:
	case 0xFF5D: /* 》〉〕〗］｝ */
	case 0x2026:
	case 0x30FC:
	case 0x3005:
	case 0x201D:
	case 0x2019:
	case 0x00B7: /* …ー々”’· */
	case ',':
	case '.':
	case ')':
	case ':':
	case ';':
	case '!':
	case '?':
		return 1;
	default:
		return 0;
	}
}

/* Never at the end of a line: opening punctuation. */
static int no_break_after(uint32_t cp)
{
	switch (cp) {
	case 0x300C:
	case 0x300E:
	case 0x3010:
	case 0xFF08:
	case 0x300A:
	case 0x3008: /* 「『【（《〈 */
	case 0x3014:
	case 0x3016:
	case 0xFF3B:
	case 0xFF5B:
	case 0x201C:
	case 0x2018: /* 〔〖［｛“‘ */
	case '(':
		return 1;
	default:
		return 0;
	}
}

size_t breaks_unit(const char *s, size_t len, int *soft)
{
	*soft = 0;
	size_t i = 0;
	uint32_t prev = 0;
	while (i < len && s[i] != ' ') {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (i > 0 && (breaks_cjk(prev) || breaks_cjk(cp)) && !no_break_before(cp) &&
		    !no_break_after(prev)) {
			*soft = 1;
			return i;
		}
		prev = cp;
		i += n;
	}
	return i;
}
