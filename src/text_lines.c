/* text_lines.c: lines of a text file in UTF-8, decoded by iconv when it was saved otherwise. */
#include "text_lines.h"
#include "util.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#define RAW_SIZE (1u << 16)

struct text_lines {
	FILE *f;
	size_t max;
	text_encoding enc;
	iconv_t cd;         /* (iconv_t)-1 for UTF-8 */
	char raw[RAW_SIZE]; /* bytes read, not yet decoded */
	size_t raw_len;
	char *dec; /* decoded bytes not yet split into lines */
	size_t dec_len, dec_pos, dec_cap;
	int at_eof;
	int failed;
	char *line; /* the line handed out */
	size_t line_cap;
	int number;      /* lines handed out from the file */
	text_line *back; /* lines given back, read first */
	size_t nback, back_cap, back_pos;
	text_line current; /* the given-back line handed out, freed at the next call */
};

static void dec_room(text_lines *t, size_t n);

/* The length of the UTF-8 sequence at s (n bytes there, more may follow in the file: 0
 * when it is cut short by n), or -1 when it is not one. */
static int utf8_sequence(const unsigned char *s, size_t n)
{
	int len = s[0] < 0x80             ? 1
	          : (s[0] & 0xE0) == 0xC0 ? 2
	          : (s[0] & 0xF0) == 0xE0 ? 3
	          : (s[0] & 0xF8) == 0xF0 ? 4
	                                  : -1;
	if (len < 0 || (len == 2 && s[0] < 0xC2) || (len == 4 && s[0] > 0xF4))
		return -1;
	for (int i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if ((s[i] & 0xC0) != 0x80)
			return -1;
	}
	/* no overlong three- and four-byte forms, no surrogates, nothing past U+10FFFF */
	if (len == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0)))
		return -1;
	if (len == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90)))
		return -1;
	return len;
}

/* Reads the file through: valid UTF-8 beyond ASCII and bytes that are not UTF-8, counted. */
static int scan_utf8(FILE *f, size_t *multibyte, size_t *invalid)
{
	unsigned char buf[RAW_SIZE + 4];
	size_t carry = 0, n;
	*multibyte = *invalid = 0;
	while ((n = fread(buf + carry, 1, RAW_SIZE, f)) > 0 || carry) {
		size_t len = carry + n, i = 0;
		int last = n == 0;
		while (i < len) {
			int k = utf8_sequence(buf + i, len - i);
			if (k == 0 && !last)
				break; /* completed by the next read */
			if (k <= 0) {
				++*invalid;
				i++;
			} else {
				*multibyte += k > 1;
				i += (size_t)k;
			}
		}
		carry = len - i;
		memmove(buf, buf + i, carry);
		if (last)
			break;
	}
	return ferror(f) ? -1 : 0;
}

text_lines *text_lines_open(FILE *f, size_t max_line)
{
	unsigned char head[3] = {0};
	size_t got = fread(head, 1, 3, f);
	text_encoding enc = TEXT_UTF8;
	long start = 0;
	if (got >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))) {
		enc = TEXT_UTF16; /* iconv reads the byte order mark */
	} else {
		if (got == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
			start = 3;
		size_t multibyte, invalid;
		if (fseek(f, start, SEEK_SET) != 0 || scan_utf8(f, &multibyte, &invalid) != 0)
			return NULL;
		if (invalid)
			enc = multibyte ? TEXT_UTF8_MIXED : TEXT_CP1252;
	}
	if (ferror(f) || fseek(f, start, SEEK_SET) != 0)
		return NULL;
	iconv_t cd = (iconv_t)-1;
	if (enc == TEXT_UTF16 || enc == TEXT_CP1252) {
		cd = iconv_open("UTF-8", enc == TEXT_UTF16 ? "UTF-16" : "WINDOWS-1252");
		if (cd == (iconv_t)-1)
			return NULL;
	}
	text_lines *t = xcalloc(1, sizeof *t);
	t->f = f;
	t->max = max_line;
	t->enc = enc;
	t->cd = cd;
	dec_room(t, RAW_SIZE); /* never a null buffer to point into */
	return t;
}

text_encoding text_lines_encoding(const text_lines *t)
{
	return t->enc;
}

const char *text_encoding_name(text_encoding e)
{
	return e == TEXT_UTF16 ? "UTF-16" : e == TEXT_CP1252 ? "Windows-1252" : "UTF-8";
}

/* Room for n more decoded bytes, after dropping those already split off. */
static void dec_room(text_lines *t, size_t n)
{
	if (t->dec_pos) {
		memmove(t->dec, t->dec + t->dec_pos, t->dec_len - t->dec_pos);
		t->dec_len -= t->dec_pos;
		t->dec_pos = 0;
	}
	grow_array((void **)&t->dec, &t->dec_cap, t->dec_len + n, 1);
}

/* Decodes more of the file; 0 when nothing more is to be had. */
static int fill(text_lines *t)
{
	if (t->at_eof && t->raw_len == 0)
		return 0;
	if (!t->at_eof) {
		size_t n = fread(t->raw + t->raw_len, 1, RAW_SIZE - t->raw_len, t->f);
		t->raw_len += n;
		if (n == 0) {
			t->at_eof = 1;
			t->failed = ferror(t->f) != 0;
		}
	}
	if (t->cd == (iconv_t)-1) {
		dec_room(t, t->raw_len);
		memcpy(t->dec + t->dec_len, t->raw, t->raw_len);
		t->dec_len += t->raw_len;
		t->raw_len = 0;
		return 1;
	}
	/* Each input byte makes at most 4 bytes of UTF-8 (U+FFFD is 3). */
	dec_room(t, t->raw_len * 4 + 4);
	char *in = t->raw, *out = t->dec + t->dec_len;
	size_t in_left = t->raw_len, out_left = t->dec_cap - t->dec_len;
	while (in_left > 0) {
		if (iconv(t->cd, &in, &in_left, &out, &out_left) != (size_t)-1)
			continue;
		if (errno == EINVAL && !t->at_eof)
			break; /* a sequence completed by the next read */
		/* Not text in this encoding (or cut short at the end): U+FFFD, then go on. */
		memcpy(out, "\xEF\xBF\xBD", 3);
		out += 3, out_left -= 3;
		size_t skip = t->enc == TEXT_UTF16 && in_left >= 2 ? 2 : 1;
		in += skip, in_left -= skip;
	}
	t->dec_len = (size_t)(out - t->dec);
	memmove(t->raw, in, in_left);
	t->raw_len = in_left;
	return 1;
}

static void take_line(text_lines *t, size_t len)
{
	size_t keep = len < t->max ? len : t->max;
	grow_array((void **)&t->line, &t->line_cap, keep + 1, 1);
	memcpy(t->line, t->dec + t->dec_pos, keep);
	t->line[keep] = '\0';
}

long text_lines_next(text_lines *t, const char **line, int *number)
{
	free(t->current.text);
	t->current.text = NULL;
	if (t->back_pos < t->nback) {
		t->current = t->back[t->back_pos++];
		if (t->back_pos == t->nback)
			t->back_pos = t->nback = 0;
		*line = t->current.text;
		*number = t->current.number;
		return (long)t->current.len;
	}
	size_t scanned = 0, dropped = 0;
	for (;;) {
		char *d = t->dec + t->dec_pos;
		size_t avail = t->dec_len - t->dec_pos, end = 0;
		int found = 0;
		for (size_t i = scanned; i < avail; i++) {
			if (d[i] == '\n') {
				end = i + 1, found = 1;
				break;
			}
			if (d[i] == '\r') {
				if (i + 1 == avail && !(t->at_eof && t->raw_len == 0))
					break; /* is a '\n' next? read on */
				end = i + 1 + (i + 1 < avail && d[i + 1] == '\n'), found = 1;
				break;
			}
			scanned = i + 1;
		}
		if (!found && avail > t->max) {
			/* Longer than a line may be: keep its start, skip the rest. */
			if (!dropped)
				take_line(t, t->max);
			dropped += avail;
			t->dec_pos = t->dec_len;
			scanned = 0;
			continue;
		}
		if (!found && !fill(t)) {
			/* The end of the file ends the last line. */
			if (avail == 0 && !dropped)
				return -1;
			end = avail, found = 1;
		}
		if (found) {
			if (!dropped)
				take_line(t, end);
			t->dec_pos += end;
			t->number++;
			*line = t->line;
			*number = t->number;
			return dropped || end > t->max ? -2 : (long)end;
		}
	}
}

void text_lines_unread(text_lines *t, const text_line *lines, size_t n)
{
	/* The lines not yet read again stay after these. */
	size_t left = t->nback - t->back_pos;
	grow_array((void **)&t->back, &t->back_cap, n + left, sizeof *t->back);
	memmove(t->back + n, t->back + t->back_pos, left * sizeof *t->back);
	for (size_t i = 0; i < n; i++) {
		char *copy = xmalloc(lines[i].len + 1); /* a line may hold NUL bytes */
		memcpy(copy, lines[i].text, lines[i].len + 1);
		t->back[i] = (text_line){copy, lines[i].len, lines[i].number};
	}
	t->nback = n + left;
	t->back_pos = 0;
}

int text_lines_failed(const text_lines *t)
{
	return t->failed;
}

void text_lines_close(text_lines *t)
{
	if (!t)
		return;
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	fclose(t->f);
	for (size_t i = t->back_pos; i < t->nback; i++)
		free(t->back[i].text);
	free(t->back);
	free(t->current.text);
	free(t->dec);
	free(t->line);
	free(t);
}
