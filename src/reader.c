/* reader.c: the format of an input, told from its content, and the one patient loop. */
#include "reader.h"
#include "diag.h"
#include "read_native.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reader {
	const reader_format *format;
	void *state;
};

/* The first byte that is not white space or a UTF-8 byte order mark; 0 for an empty file,
 * -1 when it cannot be read. */
static int first_byte(const char *path)
{
	int fd = open_regular(path);
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		return -1;
	}
	unsigned char buf[512];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0) {
		diag(DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	ssize_t i = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : 0;
	while (i < n && isspace(buf[i]))
		i++;
	return i < n ? buf[i] : 0;
}

reader *reader_open(const char *path, const struct questionnaire *q, id_set *seen)
{
	int c = first_byte(path);
	if (c < 0)
		return NULL;
	const reader_format *format = NULL;
	if (c == '<')
		format = &read_native_format; /* XML: the native reader checks the root element */
	if (!format) {
		diag(DIAG_ERROR, path, 0, "%s", c == 0 ? "the file is empty" :
				   c == '{' ? "JSON (FHIR) is not read yet; give native XML" :
					      "not a format handout reads (native XML)");
		return NULL;
	}
	void *state = format->open(path, q, seen);
	if (!state)
		return NULL;
	reader *r = xcalloc(1, sizeof *r);
	r->format = format;
	r->state = state;
	return r;
}

patient *reader_next(reader *r)
{
	return r->format->next(r->state);
}

int reader_failed(const reader *r)
{
	return r->format->failed(r->state);
}

void reader_close(reader *r)
{
	if (!r)
		return;
	r->format->close(r->state);
	free(r);
}

void reader_each(char *const *paths, int npaths, const struct questionnaire *q, reader_fn fn, void *ctx,
		 reader_stats *st)
{
	memset(st, 0, sizeof *st);
	id_set *seen = id_set_new();
	int stop = 0;
	for (int i = 0; i < npaths && !stop; i++) {
		reader *r = reader_open(paths[i], q, seen);
		if (!r) {
			st->files_failed++;
			continue;
		}
		patient *p;
		while (!stop && (p = reader_next(r)) != NULL) {
			st->patients++;
			st->rejected += p->error != NULL;
			stop = fn(ctx, p);
		}
		if (reader_failed(r))
			st->files_failed++;
		reader_close(r);
	}
	id_set_free(seen);
}
