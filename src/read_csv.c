/* read_csv.c: patients from CSV (RFC 4180, parsed by libcsv), one row at a time.
 *
 * The header names the columns: id, then any of name, language, phone, birth-date,
 * address (lines separated by ';') and the questionnaire's question ids (or the question's
 * own words, as form tools export them), in any order. An empty cell is "not answered";
 * several choices are separated by ';'. A spreadsheet's UTF-8 byte order mark and CRLF line
 * ends are fine. The file is fed to libcsv a line at a time, so the line a row starts on is
 * known and a million rows are never held. */
#include "read_csv.h"
#include "diag.h"
#include "questionnaire.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_COLUMNS 256
#define MAX_LINE (1u << 20)

enum { COL_ID = -1, COL_NAME = -2, COL_LANGUAGE = -3, COL_PHONE = -4, COL_BIRTH = -5, COL_ADDRESS = -6, COL_NONE = -99 };

static const struct {
	const char *name;
	int col;
} fields[] = {{"id", COL_ID},       {"name", COL_NAME},       {"language", COL_LANGUAGE},
	      {"phone", COL_PHONE}, {"birth-date", COL_BIRTH}, {"address", COL_ADDRESS}};

typedef struct csv_reader {
	line_reader lines;    /* the file, the line being fed, the lines fed so far */
	char *path;
	reader_run run;
	struct csv_parser parser;
	/* the row being parsed */
	char **cells;
	size_t ncells, cells_cap;
	int row_line;         /* the line its first cell began on */
	int row_done;
	/* the header */
	int *column;          /* per column: a question index, or a COL_ */
	char **titles;        /* per column, for messages */
	size_t ncolumns;
	int failed;
	int at_end;           /* the file has been read to its end */
} csv_reader;

static void on_cell(void *data, size_t len, void *ctx)
{
	csv_reader *r = ctx;
	if (r->ncells == 0)
		r->row_line = r->lines.line;
	grow_array((void **)&r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells);
	r->cells[r->ncells++] = xstrndup(data ? data : "", len);
}

static void on_row(int terminator, void *ctx)
{
	(void)terminator;
	csv_reader *r = ctx;
	if (r->ncells == 0)
		r->row_line = r->lines.line;
	r->row_done = 1;
}

static void clear_row(csv_reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = 0;
	r->row_done = 0;
}

/* The parser starts afresh: the next row starts on the next line. */
static void reset_parser(csv_reader *r)
{
	csv_free(&r->parser);
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	clear_row(r);
}

/* Feeds lines until a row is whole. Returns 1 with a row, 0 at the end, -1 when the CSV is
 * malformed at r->lines.line, -2 when that line is longer than MAX_LINE (the parser is reset
 * for either). */
static int next_row(csv_reader *r)
{
	clear_row(r);
	if (r->at_end)
		return 0;
	for (;;) {
		long len = line_read(&r->lines, 1); /* libcsv needs the line ends */
		if (len == -2) {
			reset_parser(r);
			return -2;
		}
		if (len < 0) {
			r->at_end = 1;
			if (csv_fini(&r->parser, on_cell, on_row, r) != 0) {
				clear_row(r);
				return -1; /* a quote left open at the end of the file */
			}
			return r->ncells ? 1 : 0;
		}
		if (csv_parse(&r->parser, r->lines.buf, (size_t)len, on_cell, on_row, r) != (size_t)len) {
			reset_parser(r);
			return -1;
		}
		if (r->row_done)
			return 1;
	}
}

/* What a header cell names: a field or a question by id (in any case), a question by its
 * words, or nothing. */
static int column_of(const questionnaire *q, const char *title)
{
	char *t = text_normalize_space(title);
	int col = COL_NONE;
	for (size_t i = 0; i < sizeof fields / sizeof *fields && col == COL_NONE; i++)
		if (strcasecmp(t, fields[i].name) == 0)
			col = fields[i].col;
	for (size_t i = 0; i < q->nquestions && col == COL_NONE; i++)
		if (strcasecmp(t, q->questions[i].id) == 0 || strcmp(t, q->questions[i].text) == 0)
			col = (int)i;
	free(t);
	return col;
}

static void csv_close(void *state)
{
	csv_reader *r = state;
	if (!r)
		return;
	if (r->lines.f)
		fclose(r->lines.f);
	csv_free(&r->parser);
	clear_row(r);
	free(r->cells);
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->titles[i]);
	free(r->titles);
	free(r->column);
	line_reader_free(&r->lines);
	free(r->path);
	free(r);
}

static void *csv_open(const char *path, const reader_run *run)
{
	csv_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->run = *run;
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	r->lines.max = MAX_LINE;
	r->lines.f = fopen_regular(path);
	if (!r->lines.f) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		goto refused;
	}
	int got = next_row(r);
	if (got <= 0) {
		diag(DIAG_ERROR, path, r->lines.line, "%s",
		     got == -2 ? "the header row is longer than 1 MB" : got < 0 ? "the header row is not valid CSV" : "no header row");
		goto refused;
	}
	if (r->ncells > MAX_COLUMNS) {
		diag(DIAG_ERROR, path, r->row_line, "more than %d columns", MAX_COLUMNS);
		goto refused;
	}
	r->ncolumns = r->ncells;
	r->column = xcalloc(r->ncolumns, sizeof *r->column);
	r->titles = xcalloc(r->ncolumns, sizeof *r->titles);
	int has_id = 0, bad = 0;
	for (size_t i = 0; i < r->ncolumns; i++) {
		r->column[i] = column_of(run->q, r->cells[i]);
		r->titles[i] = xstrdup(r->column[i] >= 0 ? run->q->questions[r->column[i]].id : r->cells[i]);
		has_id |= r->column[i] == COL_ID;
		for (size_t k = 0; k < i; k++)
			if (r->column[k] == r->column[i] && r->column[i] != COL_NONE) {
				diag(DIAG_ERROR, path, r->row_line, "column %zu: '%s' is a column twice", i + 1, r->titles[i]);
				bad = 1;
			}
		if (r->column[i] == COL_NONE) {
			diag(DIAG_ERROR, path, r->row_line, "column %zu: %s%s%s is neither a patient field nor a question of %s", i + 1,
			     patient_id_valid(r->cells[i]) ? "'" : "", patient_id_valid(r->cells[i]) ? r->cells[i] : "its title",
			     patient_id_valid(r->cells[i]) ? "'" : "", run->q->id);
			bad = 1;
		}
	}
	if (!has_id) {
		diag(DIAG_ERROR, path, r->row_line,
		     "not a format handout reads: native XML, FHIR XML or JSON, NDJSON, or CSV whose header has an id column");
		goto refused;
	}
	if (bad)
		goto refused;
	return r;
refused:
	csv_close(r);
	return NULL;
}

/* Splits a cell at ';' and hands each non-empty part to fn. */
static void each_part(const char *cell, void (*fn)(patient *, const char *, const char *, int), patient *p,
		      const char *qid, int line)
{
	char *copy = xstrdup(cell);
	for (char *save, *part = strtok_r(copy, ";", &save); part; part = strtok_r(NULL, ";", &save)) {
		char *t = text_normalize_space(part);
		if (*t)
			fn(p, qid, t, line);
		free(t);
	}
	free(copy);
}

static void add_answer_part(patient *p, const char *qid, const char *v, int line)
{
	patient_add_answer(p, qid, v, line);
}

static void add_address_part(patient *p, const char *qid, const char *v, int line)
{
	(void)qid;
	patient_add_address_line(p, xstrdup(v), line);
}

static patient *csv_next(void *state)
{
	csv_reader *r = state;
	for (;;) {
		int got = next_row(r);
		if (got == 0)
			return NULL;
		patient *p = patient_new(r->path, got < 0 ? r->lines.line : r->row_line, r->run.q);
		if (got < 0) {
			patient_reject(p, r->lines.line, NULL, "%s",
				       got == -2 ? "a line longer than 1 MB" : "the row is not valid CSV (a quote out of place)");
			return p;
		}
		int line = r->row_line;
		int blank = 1;
		for (size_t i = 0; i < r->ncells && blank; i++)
			blank = strspn(r->cells[i], " \t\r") == strlen(r->cells[i]);
		if (blank) {
			patient_free(p);
			continue; /* an empty row says nothing */
		}
		const char *id = NULL;
		for (size_t i = 0; i < r->ncolumns && i < r->ncells; i++)
			if (r->column[i] == COL_ID)
				id = r->cells[i];
		char *tid = text_normalize_space(id ? id : "");
		int id_ok = patient_set_id(p, *tid ? tid : NULL, line, r->run.seen) == 0 || strcmp(p->id, "?") != 0;
		free(tid);
		if (!id_ok)
			return p;
		if (r->ncells != r->ncolumns) {
			patient_reject(p, line, NULL, "the row has %zu cells; the header has %zu columns", r->ncells, r->ncolumns);
			return p;
		}
		for (size_t i = 0; i < r->ncolumns; i++) {
			const char *cell = r->cells[i];
			if (strspn(cell, " \t\r") == strlen(cell))
				continue; /* not answered */
			switch (r->column[i]) {
			case COL_ID:
				break;
			case COL_NAME:
				patient_set_name(p, text_normalize_space(cell), line);
				break;
			case COL_LANGUAGE:
				patient_set_language(p, text_normalize_space(cell), line);
				break;
			case COL_PHONE:
				patient_set_phone(p, text_normalize_space(cell), line);
				break;
			case COL_BIRTH:
				patient_set_birth_date(p, text_normalize_space(cell), line);
				break;
			case COL_ADDRESS:
				each_part(cell, add_address_part, p, NULL, line);
				break;
			default:
				each_part(cell, add_answer_part, p, r->titles[i], line);
				break;
			}
		}
		patient_finish(p, line);
		return p;
	}
}

static int csv_failed(const void *state)
{
	const csv_reader *r = state;
	return r->failed || ferror(r->lines.f);
}

const reader_format read_csv_format = {"CSV", csv_open, csv_next, csv_failed, csv_close};
