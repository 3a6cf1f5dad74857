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

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct reader {
	const reader_format *format;
	void *state;
	void *own_context; /* opened alone: its family's context, made for it */
};

/* The contexts of a run's families, each made when the first input of its family is read. */
typedef struct contexts {
	const reader_family *family[4]; /* at most one a format */
	void *context[4];
	size_t n;
} contexts;

/* The context of family in cs, made now when it has none yet. */
static void *context_of(contexts *cs, const reader_family *family)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->family[i] == family)
			return cs->context[i];
	cs->family[cs->n] = family;
	return cs->context[cs->n++] = family->context_new();
}

static void contexts_rewind(contexts *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		cs->family[i]->context_rewind(cs->context[i]);
}

static void contexts_free(contexts *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->family[i]->context_free)
			cs->family[i]->context_free(cs->context[i]);
	cs->n = 0;
}

/* What a file's first bytes say it is. */
typedef enum kind {
	KIND_UNREADABLE,
	KIND_EMPTY,
	KIND_XML,
	KIND_JSON,
	KIND_TEXT,
	KIND_UTF16_JSON,
	KIND_BINARY
} kind;

/* The kind of file by its first bytes: '<' (XML, in UTF-8 or, with a byte order mark, UTF-16,
 * which libxml2 reads), '{' (JSON), the signature of a file no one means as text (PDF, ZIP
 * and so an Excel workbook, PNG, an old Excel file: *what names it), else text for the CSV
 * reader. Reports when it cannot be read. */
static kind file_kind(const char *path, const char **what)
{
	int fd = open_regular(path);
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		return KIND_UNREADABLE;
	}
	unsigned char buf[512];
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	if (n < 0) {
		diag(DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
		return KIND_UNREADABLE;
	}
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} binary[] = {
	    {"%PDF", 4, "a PDF"},
	    {"PK\3\4", 4, "a ZIP archive (an Excel workbook is one: save it as CSV UTF-8)"},
	    {"\x89PNG", 4, "a PNG image"},
	    {"\xD0\xCF\x11\xE0", 4, "an old Excel or Word file (save it as CSV UTF-8)"},
	};
	for (size_t i = 0; i < sizeof binary / sizeof *binary; i++)
		if ((size_t)n >= binary[i].len && memcmp(buf, binary[i].magic, binary[i].len) == 0) {
			*what = binary[i].what;
			return KIND_BINARY;
		}
	int utf16 = n >= 2 && ((buf[0] == 0xFF && buf[1] == 0xFE) || (buf[0] == 0xFE && buf[1] == 0xFF));
	ssize_t i = n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF ? 3 : utf16 ? 2 : 0;
	/* In UTF-16 an ASCII character is one byte beside a zero byte (before it in big-endian). */
	for (; i < n; i += utf16 ? 2 : 1) {
		unsigned c = utf16 ? (i + 1 < n ? buf[i] | buf[i + 1] : 0x100) : buf[i];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			break;
	}
	if (i >= n)
		return KIND_EMPTY;
	unsigned c = utf16 && i + 1 < n ? (unsigned)(buf[i] | buf[i + 1]) : buf[i];
	if (c == '<')
		return KIND_XML;
	if (c == '{')
		return utf16 ? KIND_UTF16_JSON : KIND_JSON;
	return KIND_TEXT;
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

/* The format a file's first bytes show, or NULL after reporting why there is none. */
static const reader_format *format_of(const char *path)
{
	const char *what = NULL;
	switch (file_kind(path, &what)) {
	case KIND_UNREADABLE:
		return NULL;
	case KIND_EMPTY:
		diag(DIAG_ERROR, path, 0, "the file is empty");
		return NULL;
	case KIND_BINARY:
		diag(DIAG_ERROR, path, 0, "not a format handout reads: %s", what);
		return NULL;
	case KIND_UTF16_JSON:
		diag(DIAG_ERROR, path, 0, "JSON in UTF-16: FHIR JSON is UTF-8; save the file as UTF-8");
		return NULL;
	case KIND_XML:
		return xml_format(path);
	case KIND_JSON:
		return &read_fhir_json_format; /* a FHIR resource, or NDJSON: one a line */
	case KIND_TEXT:
		break;
	}
	return &read_csv_format; /* it refuses a file whose first row has no id column */
}

/* path opened in format, or NULL (its reader has said why). A format of a family is given
 * its family's context from cs, or, without cs, one of its own. */
static reader *open_as(const char *path, const reader_format *format, const reader_run *run, contexts *cs)
{
	reader_run with = *run;
	void *own = NULL;
	if (format->family)
		with.context = cs ? context_of(cs, format->family) : (own = format->family->context_new());
	void *state = format->open(path, &with);
	if (!state) {
		if (own && format->family->context_free)
			format->family->context_free(own);
		return NULL;
	}
	reader *r = xcalloc(1, sizeof *r);
	r->format = format;
	r->state = state;
	r->own_context = own;
	return r;
}

reader *reader_open(const char *path, const reader_run *run)
{
	const reader_format *format = format_of(path);
	return format ? open_as(path, format, run, NULL) : NULL;
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
	if (r->own_context && r->format->family->context_free)
		r->format->family->context_free(r->own_context);
	free(r);
}

/* The first reading of the inputs whose format has a family (FHIR), quietly (said by the
 * second reading): each family's context learns what they hold (for FHIR, each response's
 * patient, so that of several responses for one patient the second reading prints the
 * latest). A run with no such input makes no context. */
static void survey(char *const *paths, int npaths, const reader_run *run, contexts *cs)
{
	reader_run sv = *run;
	sv.seen = NULL;
	sv.surveying = 1;
	diag_mute(1);
	for (int i = 0; i < npaths; i++) {
		sv.more_inputs = i + 1 < npaths;
		const reader_format *format = format_of(paths[i]);
		reader *r = format && format->family ? open_as(paths[i], format, &sv, cs) : NULL;
		patient *p;
		while (r && (p = reader_next(r)) != NULL)
			patient_free(p);
		reader_close(r);
	}
	diag_mute(0);
	contexts_rewind(cs);
}

void reader_each(char *const *paths, int npaths, const struct questionnaire *q, const reader_options *opt,
                 reader_fn fn, void *ctx, reader_stats *st)
{
	memset(st, 0, sizeof *st);
	reader_run run = {.q = q, .seen = id_set_new(), .opt = opt};
	contexts cs = {0};
	survey(paths, npaths, &run, &cs);
	int stop = 0;
	for (int i = 0; i < npaths && !stop; i++) {
		run.more_inputs = i + 1 < npaths;
		const reader_format *format = format_of(paths[i]);
		reader *r = format ? open_as(paths[i], format, &run, &cs) : NULL;
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
	contexts_free(&cs);
	id_set_free(run.seen);
}
