/* text_lines.h: a text file read a line at a time as UTF-8, whatever it was saved as: UTF-8
 * (a byte order mark dropped), UTF-16 with a byte order mark (Excel's "Unicode Text"), or,
 * when it is not valid UTF-8, Windows-1252 (LibreOffice's and older Excel's "CSV"), decoded
 * by iconv. Memory holds one line (at most max bytes of it) and lines given back. */
#ifndef HANDOUT_TEXT_LINES_H
#define HANDOUT_TEXT_LINES_H

#include <stddef.h>
#include <stdio.h>

typedef enum text_encoding {
	TEXT_UTF8,       /* valid UTF-8 (or ASCII) */
	TEXT_UTF8_MIXED, /* UTF-8 with some bytes that are not: those lines are left as they are */
	TEXT_UTF16,      /* UTF-16 with a byte order mark */
	TEXT_CP1252,     /* not valid UTF-8 and no UTF-8 beyond ASCII: Windows-1252 */
} text_encoding;

typedef struct text_lines text_lines;

/* Reads f (a regular file, taken over and closed by text_lines_close) through once to tell its
 * encoding, then from its start. NULL (errno set) when it cannot be read. */
text_lines *text_lines_open(FILE *f, size_t max_line);
text_encoding text_lines_encoding(const text_lines *t);
/* The encoding's name for messages: "UTF-8", "UTF-16", "Windows-1252". */
const char *text_encoding_name(text_encoding e);

/* The next line as UTF-8 with its line end ("\n", "\r\n" or a lone "\r", each ending a
 * line), in *line (valid until the next call) and its number in *number. Returns its
 * length, -1 at the end of the file or on a read error (see text_lines_failed), or -2 for
 * a line longer than max (read to its end; *line holds its first max bytes). A byte that
 * is not text in a decoded encoding becomes U+FFFD. */
long text_lines_next(text_lines *t, const char **line, int *number);
/* A line kept to be given back. */
typedef struct text_line {
	char *text; /* len bytes (NUL bytes may be among them), NUL-terminated */
	size_t len;
	int number;
} text_line;
/* Gives back copies of n lines (in order), read again before the rest of the file. */
void text_lines_unread(text_lines *t, const text_line *lines, size_t n);
/* 1 after a read error. */
int text_lines_failed(const text_lines *t);
void text_lines_close(text_lines *t);

#endif
