/* util.c: allocation that aborts on out-of-memory, growable strings, UTF-8 helpers. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(size_t size)
{
	fprintf(stderr, "handout: out of memory (asked for %zu bytes)\n", size);
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory(count * size);
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		out_of_memory(size);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t len)
{
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void grow_array(void **items, size_t *cap, size_t need, size_t elem_size)
{
	if (need <= *cap)
		return;
	size_t next = *cap ? *cap * 2 : 8;
	while (next < need)
		next *= 2;
	*items = xrealloc(*items, next * elem_size);
	*cap = next;
}

static void sb_reserve(strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t next = sb->cap ? sb->cap * 2 : 64;
	while (next < need)
		next *= 2;
	sb->data = xrealloc(sb->data, next);
	sb->cap = next;
}

void sb_appendn(strbuf *sb, const char *s, size_t len)
{
	sb_reserve(sb, len);
	memcpy(sb->data + sb->len, s, len);
	sb->len += len;
	sb->data[sb->len] = '\0';
}

void sb_append(strbuf *sb, const char *s)
{
	sb_appendn(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c)
{
	sb_appendn(sb, &c, 1);
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n >= 0) {
		sb_reserve(sb, (size_t)n);
		vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, again);
		sb->len += (size_t)n;
	}
	va_end(again);
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

char *sb_take(strbuf *sb)
{
	char *s = sb->data ? sb->data : xstrdup("");
	sb->data = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void sb_free(strbuf *sb)
{
	free(sb->data);
	sb->data = NULL;
	sb->len = sb->cap = 0;
}

size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t need;
	uint32_t c, min;
	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		need = 2, c = s[0] & 0x1F, min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		need = 3, c = s[0] & 0x0F, min = 0x800;
	} else if ((s[0] & 0xF8) == 0xF0) {
		need = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len < need) {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return need;
}

void utf8_encode(strbuf *sb, uint32_t cp)
{
	char b[4];
	if (cp < 0x80) {
		b[0] = (char)cp;
		sb_appendn(sb, b, 1);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		sb_appendn(sb, b, 2);
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		sb_appendn(sb, b, 3);
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		sb_appendn(sb, b, 4);
	}
}

int utf8_valid(const char *s)
{
	size_t len = strlen(s);
	while (len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);
		if (cp == 0xFFFD && !(n == 3 && (unsigned char)s[0] == 0xEF))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

void sb_append_escaped(strbuf *sb, const char *s)
{
	for (size_t len = strlen(s); len;) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, &cp);
		int not_utf8 = cp == 0xFFFD && !(n == 3 && (unsigned char)s[0] == 0xEF);
		if (cp == '\n')
			sb_append(sb, "\\n");
		else if (cp == '\r')
			sb_append(sb, "\\r");
		else if (cp == '\t')
			sb_append(sb, "\\t");
		else if (cp < 0x20 || cp == 0x7F || not_utf8)
			sb_printf(sb, "\\x%02x", (unsigned char)s[0]);
		else if ((cp >= 0x80 && cp < 0xA0) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
		         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			sb_printf(sb, "\\u%04x", (unsigned)cp);
		else
			sb_appendn(sb, s, n);
		s += n;
		len -= n;
	}
}

char *text_normalize_space(const char *s)
{
	strbuf sb = {0};
	int pending_space = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			pending_space = sb.len > 0;
			continue;
		}
		if (pending_space)
			sb_putc(&sb, ' ');
		pending_space = 0;
		sb_putc(&sb, *s);
	}
	return sb_take(&sb);
}

int iso_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

uint64_t hash_fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* ---- a table from strings to values ---- */

/* Copied keys live in chunks of this many bytes (a longer key has a chunk of its own), a
 * key costing its length and one byte, not an allocation of its own. */
#define STRMAP_CHUNK 65536

typedef struct strmap_chunk {
	struct strmap_chunk *next;
	size_t used, cap;
	char text[];
} strmap_chunk;

typedef struct strmap_slot {
	const char *key; /* NULL: empty */
	void *value;
} strmap_slot;

struct strmap {
	strmap_slot *slots;
	size_t cap, count; /* cap: a power of two */
	strmap_keys keys;
	strmap_chunk *chunks; /* STRMAP_COPY: the newest first */
};

strmap *strmap_new(strmap_keys keys)
{
	strmap *m = xcalloc(1, sizeof *m);
	m->keys = keys;
	m->cap = 256;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

void strmap_free(strmap *m)
{
	if (!m)
		return;
	while (m->chunks) {
		strmap_chunk *next = m->chunks->next;
		free(m->chunks);
		m->chunks = next;
	}
	free(m->slots);
	free(m);
}

size_t strmap_count(const strmap *m)
{
	return m->count;
}

/* Where key's slot starts: FNV-1a finalised (splitmix64), so that close keys spread. */
static size_t strmap_home(const strmap *m, const char *key)
{
	uint64_t h = hash_fnv1a(key);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return (size_t)h & (m->cap - 1);
}

/* key's slot when it is in the table, else the empty one where it goes. */
static strmap_slot *strmap_slot_of(const strmap *m, const char *key)
{
	size_t i = strmap_home(m, key);
	while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static void strmap_grow(strmap *m)
{
	strmap_slot *old = m->slots;
	size_t old_cap = m->cap;
	m->cap *= 2;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*strmap_slot_of(m, old[i].key) = old[i];
	free(old);
}

/* A copy of key in the table's chunks. */
static const char *strmap_copy_key(strmap *m, const char *key)
{
	size_t n = strlen(key) + 1;
	strmap_chunk *c = m->chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > STRMAP_CHUNK ? n : STRMAP_CHUNK;
		c = xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->used = 0;
		c->next = m->chunks;
		m->chunks = c;
	}
	char *at = c->text + c->used;
	memcpy(at, key, n);
	c->used += n;
	return at;
}

void *strmap_get(const strmap *m, const char *key)
{
	return strmap_slot_of(m, key)->value;
}

void *strmap_put(strmap *m, const char *key, void *value)
{
	strmap_slot *s = strmap_slot_of(m, key);
	if (s->key) {
		void *old = s->value;
		s->value = value;
		if (m->keys == STRMAP_BORROW)
			s->key = key;
		return old;
	}
	if ((m->count + 1) * 2 > m->cap) {
		strmap_grow(m);
		s = strmap_slot_of(m, key);
	}
	s->key = m->keys == STRMAP_COPY ? strmap_copy_key(m, key) : key;
	s->value = value;
	m->count++;
	return NULL;
}

/* Writes all of data to fd; 0, or -1 with errno set. */
static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Standard input, copied once into an unlinked file: its descriptor, or -1 (errno set). */
static int stdin_copy(void)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static int fd = -1, err = 0;
	pthread_mutex_lock(&lock);
	if (fd < 0 && !err) {
		const char *tmp = getenv("TMPDIR");
		int t = open(tmp && *tmp ? tmp : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
		char buf[1 << 16];
		ssize_t n = 0;
		while (t >= 0 && (n = read(STDIN_FILENO, buf, sizeof buf)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 || write_all(t, buf, (size_t)n) != 0)
				break;
		}
		if (t < 0 || n != 0) {
			err = errno ? errno : EIO;
			if (t >= 0)
				close(t);
		} else {
			fd = t;
		}
	}
	int got = fd, e = err;
	pthread_mutex_unlock(&lock);
	errno = e;
	return got;
}

static _Thread_local file_observer observer;

file_observer file_observe(file_observer o)
{
	file_observer before = observer;
	observer = o;
	return before;
}

void file_seen(const char *path, const void *data, size_t len)
{
	if (observer.seen)
		observer.seen(observer.ctx, path, data, len);
}

/* Shows the file open on fd to the observer; its bytes are mapped, not copied. */
static void observe_open(const char *path, int fd, off_t size)
{
	if (size <= 0) {
		file_seen(path, "", 0);
		return;
	}
	void *p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		file_seen(path, "(unreadable)", 12); /* counted as such: never silently left out */
		return;
	}
	file_seen(path, p, (size_t)size);
	munmap(p, (size_t)size);
}

int open_regular(const char *path)
{
	if (strcmp(path, "-") == 0) {
		/* A file of its own, read from its start, whoever else has "-" open. */
		int copy = stdin_copy();
		if (copy < 0)
			return -1;
		char self[64];
		snprintf(self, sizeof self, "/proc/self/fd/%d", copy);
		return open(self, O_RDONLY | O_CLOEXEC);
	}

	/* O_NONBLOCK: opening a FIFO with no writer would wait for ever. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (observer.seen)
		observe_open(path, fd, st.st_size);
	return fd;
}

FILE *fopen_regular(const char *path)
{
	int fd = open_regular(path);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "rb");
	if (!f)
		close(fd);
	return f;
}

const char *open_strerror(int err)
{
	return err == EINVAL ? "not a regular file (a folder, FIFO or device)" : strerror(err);
}

char *file_read_all(const char *path, size_t *len)
{
	FILE *f = fopen_regular(path);
	if (!f)
		return NULL;
	strbuf sb = {0};
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_appendn(&sb, buf, n);
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		sb_free(&sb);
		errno = EIO;
		return NULL;
	}
	*len = sb.len;
	return sb_take(&sb);
}

const unsigned char *file_map(const char *path, size_t *len)
{
	int fd = open_regular(path);
	if (fd < 0)
		return NULL;
	struct stat st;
	void *p = MAP_FAILED;
	if (fstat(fd, &st) != 0)
		p = MAP_FAILED;
	else if (st.st_size <= 0)
		errno = ENODATA;
	else
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	int err = errno;
	close(fd);
	if (p == MAP_FAILED) {
		errno = err;
		return NULL;
	}
	*len = (size_t)st.st_size;
	return p;
}

void file_unmap(const unsigned char *data, size_t len)
{
	if (data)
		munmap((void *)data, len);
}

char *path_join(const char *dir, const char *name)
{
	strbuf sb = {0};
	sb_append(&sb, dir);
	if (sb.len && sb.data[sb.len - 1] != '/')
		sb_putc(&sb, '/');
	sb_append(&sb, name);
	return sb_take(&sb);
}

char *text_fill(const char *tmpl, const char *const *keys, const char *const *values, size_t n)
{
	strbuf sb = {0};
	for (const char *s = tmpl; *s;) {
		const char *close = *s == '{' ? strchr(s, '}') : NULL;
		size_t i = 0;
		for (; close && i < n; i++)
			if (strlen(keys[i]) == (size_t)(close - s - 1) &&
			    memcmp(keys[i], s + 1, (size_t)(close - s - 1)) == 0)
				break;
		if (close && i < n) {
			sb_append(&sb, values[i] ? values[i] : "");
			s = close + 1;
		} else {
			sb_putc(&sb, *s++);
		}
	}
	return sb_take(&sb);
}

long line_read(line_reader *lr, int keep_newline)
{
	size_t len = 0;
	int c = EOF, too_long = 0, seen = 0;
	while ((c = getc_unlocked(lr->f)) != EOF) { /* one thread reads a file */
		seen = 1;
		if (c == '\n' && !keep_newline)
			break;
		if (len + 2 > lr->cap) {
			if (lr->cap >= lr->max) {
				too_long = 1;
				if (c == '\n')
					break;
				continue;
			}
			lr->cap = lr->cap ? lr->cap * 2 : 4096;
			lr->buf = xrealloc(lr->buf, lr->cap);
		}
		lr->buf[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (!seen)
		return -1;
	lr->line++;
	if (!lr->buf)
		lr->buf = xmalloc(lr->cap = 4096);
	lr->buf[len] = '\0';
	if (lr->line == 1 && len >= 3 && memcmp(lr->buf, "\xEF\xBB\xBF", 3) == 0) { /* a byte order mark */
		memmove(lr->buf, lr->buf + 3, len - 2);
		len -= 3;
	}
	return too_long ? -2 : (long)len;
}

void line_reader_free(line_reader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
	lr->cap = 0;
}
char *text_unbroken(const char *s)
{
	strbuf sb = {0};
	for (; *s; s++)
		if (*s == ' ' && s[1] && s[1] != ' ')
			sb_append(&sb, "\xC2\xA0");
		else
			sb_putc(&sb, *s);
	return sb.len ? sb_take(&sb) : (sb_free(&sb), xstrdup(""));
}
