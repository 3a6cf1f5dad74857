/* reader.c: the format of an input, told from its content, and the one patient loop. */
#include "reader.h"
#include "diag.h"
#include "fhir.h"
#include "read_csv.h"
#include "read_fhir_json.h"
#include "read_fhir_xml.h"
#include "read_native.h"
#include "util.h"
#include "xml.h"

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

/* An XML file is FHIR when its root element is in FHIR's namespace, else it is ours (the
 * native reader refuses any other root). NULL after reporting when it is not XML at all. */
static const reader_format *xml_format(const char *path)
{
	xml_stream *s = xml_stream_open(path, NULL);
	if (!s)
		return NULL;
	const char *ns = xml_stream_root_ns(s);
	const reader_format *f = ns && strcmp(ns, FHIR_NS) == 0 ? &read_fhir_xml_format : &read_native_format;
	xml_stream_close(s);
	return f;
}

reader *reader_open(const char *path, const reader_run *run)
{
	int c = first_byte(path);
	if (c < 0)
		return NULL;
	const reader_format *format = NULL;
	if (c == '<') {
		if (!(format = xml_format(path)))
			return NULL;
	} else if (c == '{') {
		format = &read_fhir_json_format; /* a FHIR resource, or NDJSON: one a line */
	} else if (c == 0) {
		diag(DIAG_ERROR, path, 0, "the file is empty");
		return NULL;
	} else {
		format = &read_csv_format; /* it refuses a file whose first row has no id column */
	}
	void *state = format->open(path, run);
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
	reader_run run = {q, id_set_new(), fhir_patients_new(), 0};
	int stop = 0;
	for (int i = 0; i < npaths && !stop; i++) {
		run.more_inputs = i + 1 < npaths;
		reader *r = reader_open(paths[i], &run);
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
	fhir_patients_free(run.patients);
	id_set_free(run.seen);
}
