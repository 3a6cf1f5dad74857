/* util.h: allocation that aborts on out-of-memory, growable strings, UTF-8 helpers, a string table. */
#ifndef HANDOUT_UTIL_H
#define HANDOUT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* All allocation goes through these; on failure they print one message and abort(). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);

/* Grow *items (of *cap elements of elem_size) so that it holds at least need elements. */
void grow_array(void **items, size_t *cap, size_t need, size_t elem_size);
#define ARRAY_PUSH(items, len, cap, value)                                                                   \
	do {                                                                                                 \
		grow_array((void **)&(items), &(cap), (len) + 1, sizeof *(items));                           \
		(items)[(len)++] = (value);                                                                  \
	} while (0)

/* A growable NUL-terminated string. Zero-initialise it; sb_free releases it. */
typedef struct strbuf {
	char *data;
	size_t len;
	size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *s);
void sb_appendn(strbuf *sb, const char *s, size_t len);
void sb_putc(strbuf *sb, char c);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with the arguments as a va_list (the caller's va_end). */
void sb_vprintf(strbuf *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Returns the string (never NULL, "" when empty); the caller owns it and sb is reset. */
char *sb_take(strbuf *sb);
void sb_free(strbuf *sb);

/* Decodes one UTF-8 sequence at s (len bytes available) into *cp; returns bytes used (>= 1).
 * Malformed input yields U+FFFD and consumes one byte. */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
void utf8_encode(strbuf *sb, uint32_t cp);
/* 1 when s is valid UTF-8, else 0. */
int utf8_valid(const char *s);

/* Appends s as it may be shown on a terminal: control characters (C0, DEL, C1), the line and
 * paragraph separators, characters that change the direction of text (U+061C, U+200E,
 * U+200F, U+202A..U+202E, U+2066..U+2069) and bytes that are not UTF-8 are written as
 * escapes ("\n", "\x1b", "\u202e", "\xff"), so text from a file or the command line can
 * neither move the cursor, forge a line of its own, nor make a message read backwards. */
void sb_append_escaped(strbuf *sb, const char *s);

/* Collapses runs of white space to one space and trims both ends; returns a new string. */
char *text_normalize_space(const char *s);
/* s with the spaces between its words made no-break spaces (U+00A0), so no line breaks it:
 * a phone number, a label's words. A space at its end, or before another, stays a space
 * (a line may still break after "How often: "). Returns a new string. */
char *text_unbroken(const char *s);
/* A file read a line at a time (NDJSON, CSV), holding at most max bytes of a line. */
typedef struct line_reader {
	FILE *f;
	size_t max; /* bytes of a line kept */
	char *buf;  /* the line last read, NUL-terminated */
	size_t cap;
	int line; /* lines read so far */
} line_reader;
/* Reads the next line into lr->buf, with its '\n' when keep_newline, a UTF-8 byte order mark
 * at the start of the file dropped. Returns its length, -1 at the end of the file, or -2 for
 * a line longer than lr->max (read to its end, kept only in part). */
long line_read(line_reader *lr, int keep_newline);
void line_reader_free(line_reader *lr);

/* tmpl with each {keys[i]} replaced by values[i] (NULL: nothing); other braces kept. */
char *text_fill(const char *tmpl, const char *const *keys, const char *const *values, size_t n);

/* 1 when s is a real calendar date written YYYY-MM-DD (2024-02-29 is, 2026-02-29 is not). */
int iso_date_valid(const char *s);

/* FNV-1a hash of a string: stable across runs and machines. */
uint64_t hash_fnv1a(const char *s);

/* A table from string keys to values, by open addressing (linear probing, at most half
 * full). Keys: with STRMAP_BORROW the table keeps the caller's pointer, and the caller keeps
 * those bytes unchanged while the entry is in the table (a key inside its own value, say);
 * with STRMAP_COPY the table keeps a copy of its own, freed with the table. Values are the
 * caller's: the table never frees one, and never holds NULL (NULL says "absent").
 * strmap_free(NULL) is a no-op. */
typedef enum strmap_keys { STRMAP_BORROW, STRMAP_COPY } strmap_keys;
typedef struct strmap strmap;
strmap *strmap_new(strmap_keys keys);
void strmap_free(strmap *m);
size_t strmap_count(const strmap *m);
/* The value under key, or NULL. */
void *strmap_get(const strmap *m, const char *key);
/* Puts value (not NULL) under key; returns the value it replaces (a borrowed key is then
 * replaced by this one, so the old one may be freed), or NULL when key is new. */
void *strmap_put(strmap *m, const char *key, void *value);

/* Every file opened through open_regular (so fopen_regular, file_read_all and file_map too)
 * is shown whole, bytes and all, to the opening thread's observer when it has one: that is
 * where fingerprint.c learns what a run is made from, so no loader can leave a file out.
 * file_observe sets this thread's observer ({NULL}: none) and returns the one it replaces,
 * to be put back (a cache of derived data pauses observing while it reads). */
typedef struct file_observer {
	void (*seen)(void *ctx, const char *path, const void *data, size_t len);
	void *ctx;
} file_observer;
file_observer file_observe(file_observer o);
/* Shows bytes read some other way (a copy kept in memory) to this thread's observer. */
void file_seen(const char *path, const void *data, size_t len);

/* Opens a regular file for reading, never blocking on a FIFO or device: -1 with errno
 * set on failure, EINVAL when the path is not a regular file (see open_strerror).
 * "-" is standard input: read to its end once, into an unlinked temporary file in $TMPDIR,
 * which each open of "-" then reads from its start (readers look at the first bytes, some
 * read a file twice), so "-" may be a pipe. */
int open_regular(const char *path);
/* The same as a stdio stream ("rb"). */
FILE *fopen_regular(const char *path);
/* strerror, with EINVAL from open_regular said as "not a regular file". */
const char *open_strerror(int err);

/* Reads a whole regular file; returns NULL (errno set) on failure. *len gets the size. */
char *file_read_all(const char *path, size_t *len);

/* Maps a whole regular file read-only (pages are read as they are touched and count in
 * memory only then); NULL (errno set) on failure or for an empty file (errno ENODATA).
 * Undone by file_unmap. */
const unsigned char *file_map(const char *path, size_t *len);
void file_unmap(const unsigned char *data, size_t len);

/* Joins dir and name with one '/'; the caller frees. */
char *path_join(const char *dir, const char *name);

#endif
