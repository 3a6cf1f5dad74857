/* read_csv.c: patients from CSV (RFC 4180, parsed by libcsv), one row at a time, as our own
 * files and as the common form tools and spreadsheets export them.
 *
 * The header names the columns: the patient id (id, Patient ID or --id-column), any of name,
 * language, phone, birth-date, address (lines separated by ';') and the questions, by id or
 * by their wording in any shipped language, in any order and any case. A form tool's own
 * columns (Google Forms' Timestamp and Email address, Microsoft Forms' ID, Start time,
 * Completion time, Email, Name and Last modified time, also as those tools write them in the
 * shipped languages) are passed over with one warning, and so are --ignore-column titles;
 * any other column refuses the file. A cell holds a choice's id or its label in any shipped
 * language, several joined by ';' (Microsoft Forms, ours) or ", " (Google Forms); yes and no
 * in any shipped language. An empty cell is "not answered".
 *
 * The file may be comma- or semicolon-separated (told from the header), UTF-8 (a byte order
 * mark is fine), UTF-16 with a byte order mark, or Windows-1252 (text_lines.c). It is read a
 * line at a time and memory holds one row: a line, a row and a row's lines are capped, and a
 * quote that is never closed is reported at the row where it opened, after which the lines it
 * swallowed are read again as rows. */
#include "read_csv.h"
#include "diag.h"
#include "questionnaire.h"
#include "text_lines.h"
#include "util.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_COLUMNS      256
#define MAX_LINE         (1u << 20) /* bytes of one line */
#define MAX_ROW_BYTES    (1u << 20) /* bytes of one row, its quoted cells over several lines included */
#define MAX_ROW_LINES    100        /* lines of one row: more is a quote left open */
#define MAX_WORDINGS     8
#define MAX_LABEL_COMMAS 8 /* commas inside one choice label, when ", " also joins choices */

enum {
	COL_ID = -1,
	COL_NAME = -2,
	COL_LANGUAGE = -3,
	COL_PHONE = -4,
	COL_BIRTH = -5,
	COL_ADDRESS = -6,
	COL_TOOL = -7,    /* a form tool's own column, passed over */
	COL_IGNORED = -8, /* --ignore-column */
	COL_NONE = -99,
};

static const struct {
	const char *name;
	int col;
} fields[] = {
    {"id", COL_ID},       {"patient id", COL_ID},    {"name", COL_NAME},      {"language", COL_LANGUAGE},
    {"phone", COL_PHONE}, {"birth-date", COL_BIRTH}, {"address", COL_ADDRESS}};

/* The columns form tools add of their own, as they title them in English, Spanish and
 * Chinese. Google Forms: "Timestamp", "Email address" (older exports "Email Address"), es
 * "Marca temporal", "Dirección de correo electrónico", zh-CN "时间戳", "电子邮件地址".
 * Microsoft Forms (Excel export saved as CSV): "ID", "Start time", "Completion time",
 * "Email", "Name", "Last modified time"; es "Id", "Hora de inicio", "Hora de finalización",
 * "Correo electrónico", "Nombre", "Hora de la última modificación"; zh-CN "ID", "开始时间",
 * "完成时间", "电子邮件", "名称", "上次修改时间". */
/* clang-format off: English, Spanish, Chinese a line */
static const char *const tool_columns[] = {
    "Timestamp",
    "Marca temporal",
    "时间戳",
    "Email address",
    "Dirección de correo electrónico",
    "电子邮件地址",
    "Start time",
    "Hora de inicio",
    "开始时间",
    "Completion time",
    "Hora de finalización",
    "完成时间",
    "Email",
    "Correo electrónico",
    "电子邮件",
    "Last modified time",
    "Hora de la última modificación",
    "上次修改时间",
};
/* clang-format on */
/* A Microsoft Forms export is told by its start and completion times; its ID numbers the
 * responses and its Name is the respondent's account (empty when anonymous): neither is the
 * patient's. */
static const char *const ms_start[] = {"Start time", "Hora de inicio", "开始时间"};
static const char *const ms_completion[] = {"Completion time", "Hora de finalización", "完成时间"};
static const char *const ms_own[] = {"ID", "Id.", "Name", "Nombre", "名称"};

typedef struct csv_reader {
	text_lines *in;
	char *path;
	reader_run run;
	struct csv_parser parser;
	unsigned char delim;
	/* the row being parsed */
	char **cells;
	size_t ncells, cells_cap, extra_cells; /* cells past MAX_COLUMNS are counted, not kept */
	int nul_cell;                          /* the first cell holding a NUL byte (1-based), or 0 */
	int row_line;                          /* the line its first cell began on */
	int line;                              /* the line being parsed */
	int row_done;
	text_line *lines; /* the row's lines, to read again when a quote turns out never closed */
	size_t nlines, lines_cap, row_bytes;
	/* the header */
	int *column;   /* per column: a question index, or a COL_ */
	char **titles; /* per column, for messages: the question's or the field's id */
	size_t ncolumns;
	/* the questionnaire's words in each language, asked for when first needed */
	const reader_wording *wording[MAX_WORDINGS];
	size_t nwording;
	int wording_asked;
	reader_wording english;
	int failed;
	int at_end;
	int unclosed_at_end; /* the last ROW_UNCLOSED was found at the end of the file, not at a limit */
} csv_reader;

/* ---- matching titles and cells ---- */

/* s as a key to compare: white space collapsed, ASCII letters in lower case, no space around
 * a comma ("Lee , Ann" is "lee,ann"). */
static char *key_of(const char *s)
{
	char *t = text_normalize_space(s);
	char *w = t;
	for (const char *p = t; *p; p++) {
		if (*p == ' ' && (p[1] == ',' || (w > t && w[-1] == ',')))
			continue;
		*w++ = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
	}
	*w = '\0';
	return t;
}

static int same_key(const char *key, const char *text)
{
	if (!text)
		return 0;
	char *k = key_of(text);
	int same = strcmp(key, k) == 0;
	free(k);
	return same;
}

static int key_in(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (same_key(key, list[i]))
			return 1;
	return 0;
}

/* The wording of language i (0 is English), asking the command for the others the first
 * time one is needed; NULL past the last. */
static const reader_wording *wording(csv_reader *r, size_t i)
{
	if (i == 0)
		return r->wording[0];
	if (!r->wording_asked) {
		r->wording_asked = 1;
		const reader_options *o = r->run.opt;
		for (size_t k = 1; o && o->wording && r->nwording < MAX_WORDINGS; k++) {
			const reader_wording *w = o->wording(o->wording_ctx, k);
			if (!w)
				break;
			if (w->q && w->q->nquestions == r->run.q->nquestions)
				r->wording[r->nwording++] = w;
		}
	}
	return i < r->nwording ? r->wording[i] : NULL;
}

/* The question a title names by its wording in some language, or -1. */
static int question_by_wording(csv_reader *r, const char *key, size_t from_language)
{
	for (size_t l = from_language; wording(r, l); l++) {
		const questionnaire *q = wording(r, l)->q;
		for (size_t i = 0; i < q->nquestions; i++)
			if (same_key(key, q->questions[i].text))
				return (int)i;
	}
	return -1;
}

/* The name a title gives the patient's name in the paper form's words ("Name: "). */
static int is_name_word(const char *key, const char *word)
{
	if (!word)
		return 0;
	char *w = xstrdup(word);
	size_t n = strlen(w);
	while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == ':'))
		w[--n] = '\0';
	if (n >= 3 && strcmp(w + n - 3, "\xEF\xBC\x9A") == 0) /* a full-width colon */
		w[n - 3] = '\0';
	int same = same_key(key, w);
	free(w);
	return same;
}

/* What a header cell names. */
static int column_of(csv_reader *r, const char *title, int ms_forms)
{
	const reader_options *o = r->run.opt;
	char *key = key_of(title);
	int col = COL_NONE;
	for (size_t i = 0; o && i < o->nignore && col == COL_NONE; i++)
		if (same_key(key, o->ignore_columns[i]))
			col = COL_IGNORED;
	if (col == COL_NONE && o && o->id_column && same_key(key, o->id_column))
		col = COL_ID;
	if (col == COL_NONE && ms_forms && key_in(key, ms_own, sizeof ms_own / sizeof *ms_own))
		col = COL_TOOL;
	for (size_t i = 0; i < sizeof fields / sizeof *fields && col == COL_NONE; i++)
		if (strcmp(key, fields[i].name) == 0)
			col = fields[i].col;
	const questionnaire *q = r->run.q;
	for (size_t i = 0; i < q->nquestions && col == COL_NONE; i++)
		if (same_key(key, q->questions[i].id) || same_key(key, q->questions[i].text))
			col = (int)i;
	if (col == COL_NONE && key_in(key, tool_columns, sizeof tool_columns / sizeof *tool_columns))
		col = COL_TOOL;
	if (col == COL_NONE) {
		int qi = question_by_wording(r, key, 1);
		if (qi >= 0)
			col = qi;
	}
	for (size_t l = 1; col == COL_NONE && wording(r, l); l++)
		if (is_name_word(key, wording(r, l)->name))
			col = COL_NAME;
	if (col == COL_NONE && is_name_word(key, r->english.name))
		col = COL_NAME;
	free(key);
	return col;
}

/* The id of the choice of question qi that text names, by id or by its label in any
 * language; NULL when none does. */
static const char *choice_named(csv_reader *r, int qi, const char *text)
{
	char *key = key_of(text);
	const char *found = NULL;
	const question *en = &r->run.q->questions[qi];
	for (size_t k = 0; k < en->nchoices && !found; k++)
		if (same_key(key, en->choices[k].value) || same_key(key, en->choices[k].label))
			found = en->choices[k].value;
	for (size_t l = 1; !found && wording(r, l); l++) {
		const question *t = &wording(r, l)->q->questions[qi];
		for (size_t k = 0; k < t->nchoices && k < en->nchoices && !found; k++)
			if (same_key(key, t->choices[k].label))
				found = en->choices[k].value;
	}
	free(key);
	return found;
}

/* "yes" or "no" for yes or no in any language; NULL for anything else. */
static const char *yes_no_named(csv_reader *r, const char *text)
{
	char *key = key_of(text);
	const char *found = NULL;
	if (same_key(key, "yes") || same_key(key, "true"))
		found = "yes";
	else if (same_key(key, "no") || same_key(key, "false"))
		found = "no";
	for (size_t l = 0; !found && wording(r, l); l++) {
		if (same_key(key, wording(r, l)->yes))
			found = "yes";
		else if (same_key(key, wording(r, l)->no))
			found = "no";
	}
	free(key);
	return found;
}

/* ---- rows ---- */

static void on_cell(void *data, size_t len, void *ctx)
{
	csv_reader *r = ctx;
	if (data && len && !r->nul_cell && memchr(data, '\0', len))
		r->nul_cell = (int)(r->ncells + r->extra_cells + 1);
	if (r->ncells >= MAX_COLUMNS) {
		r->extra_cells++;
		return;
	}
	grow_array((void **)&r->cells, &r->cells_cap, r->ncells + 1, sizeof *r->cells);
	r->cells[r->ncells++] = xstrndup(data ? data : "", len);
}

static void on_row(int terminator, void *ctx)
{
	(void)terminator;
	csv_reader *r = ctx;
	r->row_done = 1;
}

static void clear_lines(csv_reader *r)
{
	for (size_t i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	r->nlines = 0;
	r->row_bytes = 0;
}

static void clear_row(csv_reader *r)
{
	for (size_t i = 0; i < r->ncells; i++)
		free(r->cells[i]);
	r->ncells = r->extra_cells = 0;
	r->nul_cell = 0;
	r->row_done = 0;
	clear_lines(r);
}

/* Spaces libcsv trims around an unquoted cell: a tab only when it does not separate cells. */
static int is_space_comma(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int is_space_tab(unsigned char c)
{
	return c == ' ';
}

static void init_parser(csv_reader *r)
{
	csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&r->parser, r->delim);
	csv_set_space_func(&r->parser, r->delim == '\t' ? is_space_tab : is_space_comma);
}

/* The parser starts afresh: the next row starts on the next line. */
static void reset_parser(csv_reader *r)
{
	csv_free(&r->parser);
	init_parser(r);
}

static void keep_line(csv_reader *r, const char *text, size_t len, int number)
{
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = '\0';
	text_line l = {copy, len, number};
	ARRAY_PUSH(r->lines, r->nlines, r->lines_cap, l);
	r->row_bytes += len;
}

static int blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

enum { ROW_END = 0, ROW = 1, ROW_BAD = -1, ROW_LONG_LINE = -2, ROW_UNCLOSED = -3 };

/* A quote opened on the row's first line was not closed within the row's limits or by the
 * end of the file: the lines after that first one are read again, as rows of their own. */
static int unclosed(csv_reader *r)
{
	r->unclosed_at_end = r->at_end;
	reset_parser(r);
	if (r->nlines > 1) {
		text_lines_unread(r->in, r->lines + 1, r->nlines - 1);
		r->at_end = 0;
	}
	clear_lines(r);
	return ROW_UNCLOSED;
}

/* Feeds lines until a row is whole: ROW, ROW_END, ROW_BAD (a quote out of place at
 * r->line), ROW_LONG_LINE (r->line is longer than MAX_LINE) or ROW_UNCLOSED (a quote
 * opened at r->row_line is never closed); the parser is reset after each fault. */
static int next_row(csv_reader *r)
{
	clear_row(r);
	if (r->at_end)
		return ROW_END;
	for (;;) {
		const char *text;
		long len = text_lines_next(r->in, &text, &r->line);
		if (len == -2) {
			reset_parser(r);
			clear_lines(r);
			return ROW_LONG_LINE;
		}
		if (len < 0) {
			r->at_end = 1;
			if (csv_fini(&r->parser, on_cell, on_row, r) != 0)
				return unclosed(r);
			return r->ncells ? ROW : ROW_END;
		}
		if (r->nlines == 0 && r->ncells == 0 && blank(text, (size_t)len))
			continue; /* an empty line between rows says nothing */
		if (r->nlines == 0)
			r->row_line = r->line;
		keep_line(r, text, (size_t)len, r->line);
		if (csv_parse(&r->parser, text, (size_t)len, on_cell, on_row, r) != (size_t)len) {
			reset_parser(r);
			clear_lines(r);
			return ROW_BAD;
		}
		if (r->row_done) {
			clear_lines(r);
			return ROW;
		}
		if (r->nlines >= MAX_ROW_LINES || r->row_bytes > MAX_ROW_BYTES)
			return unclosed(r);
	}
}

/* ---- the header ---- */

/* The separator the header uses: ',' unless it has more ';' or tabs outside quotes (Excel
 * in a European locale writes ';', its "Unicode Text" tabs). */
static unsigned char header_delimiter(const char *line, size_t len)
{
	size_t comma = 0, semicolon = 0, tab = 0;
	int quoted = 0;
	for (size_t i = 0; i < len; i++) {
		if (line[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			comma += line[i] == ',', semicolon += line[i] == ';', tab += line[i] == '\t';
	}
	if (tab > comma && tab > semicolon)
		return '\t';
	return semicolon > comma ? ';' : ',';
}

static const char *delimiter_name(unsigned char d)
{
	return d == ';' ? "semicolon-separated" : d == '\t' ? "tab-separated" : "comma-separated";
}

/* A title as it may be printed: its printable characters, at most 60 bytes (whole UTF-8). */
static char *printable_title(const char *s)
{
	strbuf sb = {0};
	size_t len = strlen(s);
	for (size_t i = 0; i < len && sb.len < 60;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) && cp != 0xFFFD &&
		    !(cp >= 0x200B && cp <= 0x202E) && !(cp >= 0x2066 && cp <= 0x2069))
			sb_appendn(&sb, s + i, n);
		else
			sb_putc(&sb, '?');
		i += n;
	}
	if (sb.len >= 60)
		sb_append(&sb, "...");
	return sb_take(&sb);
}

static void csv_close(void *state)
{
	csv_reader *r = state;
	if (!r)
		return;
	text_lines_close(r->in);
	csv_free(&r->parser);
	clear_row(r);
	free(r->cells);
	free(r->lines);
	for (size_t i = 0; i < r->ncolumns; i++)
		free(r->titles[i]);
	free(r->titles);
	free(r->column);
	free(r->path);
	free(r);
}

/* Reads and checks the header row; -1 after reporting when the file is refused. */
static int read_header(csv_reader *r)
{
	const char *text;
	int number;
	long len = text_lines_next(r->in, &text, &number);
	while (len >= 0 && blank(text, (size_t)len))
		len = text_lines_next(r->in, &text, &number);
	if (len < 0 && len != -2) {
		diag(DIAG_ERROR, r->path, number, "no header row");
		return -1;
	}
	if (len == -2) {
		diag(DIAG_ERROR, r->path, number, "the header row is longer than 1 MB");
		return -1;
	}
	r->delim = header_delimiter(text, (size_t)len);
	text_line first = {(char *)text, (size_t)len, number};
	text_lines_unread(r->in, &first, 1);
	init_parser(r);
	int got = next_row(r);
	if (got != ROW) {
		diag(DIAG_ERROR, r->path, r->line, "the header row is not valid CSV (read as %s)",
		     delimiter_name(r->delim));
		return -1;
	}
	if (r->ncells > MAX_COLUMNS) {
		diag(DIAG_ERROR, r->path, r->row_line, "more than %d columns", MAX_COLUMNS);
		return -1;
	}
	if (r->nul_cell) {
		diag(DIAG_ERROR, r->path, r->row_line,
		     "column %d of the first row holds a NUL byte: not a format handout reads (native XML, "
		     "FHIR XML or JSON, "
		     "NDJSON, or CSV with a header row)",
		     r->nul_cell);
		return -1;
	}
	int line = r->row_line;
	int ms_forms = 0, start = 0, completion = 0;
	for (size_t i = 0; i < r->ncells; i++) {
		char *key = key_of(r->cells[i]);
		start |= key_in(key, ms_start, sizeof ms_start / sizeof *ms_start);
		completion |= key_in(key, ms_completion, sizeof ms_completion / sizeof *ms_completion);
		free(key);
	}
	ms_forms = start && completion;
	r->ncolumns = r->ncells;
	r->column = xcalloc(r->ncolumns, sizeof *r->column);
	r->titles = xcalloc(r->ncolumns, sizeof *r->titles);
	int has_id = 0, bad = 0;
	strbuf tools = {0};
	for (size_t i = 0; i < r->ncolumns; i++) {
		int col = r->column[i] = column_of(r, r->cells[i], ms_forms);
		r->titles[i] = col >= 0 ? xstrdup(r->run.q->questions[col].id) : printable_title(r->cells[i]);
		has_id |= col == COL_ID;
		if (col == COL_TOOL)
			sb_printf(&tools, "%s%s", tools.len ? ", " : "", r->titles[i]);
		for (size_t k = 0; k < i && col != COL_NONE && col != COL_TOOL && col != COL_IGNORED; k++)
			if (r->column[k] == col) {
				diag(DIAG_ERROR, r->path, line, "columns %zu and %zu both give %s", k + 1,
				     i + 1, col >= 0 ? r->titles[i] : "the patient id");
				bad = 1;
			}
	}
	if (!has_id) {
		/* Without an id column the first row may not be a header at all (a file of data
		 * rows): no cell of it is echoed. */
		diag(DIAG_ERROR, r->path, line,
		     "no column gives the patient id (read as %s): title one 'id' or 'Patient ID', or name "
		     "it with "
		     "--id-column TITLE%s; otherwise not a format handout reads (native XML, FHIR XML or "
		     "JSON, NDJSON, or "
		     "CSV with a header row)",
		     delimiter_name(r->delim),
		     ms_forms ? " (a Microsoft Forms export's ID numbers its responses, not patients)" : "");
		sb_free(&tools);
		return -1;
	}
	for (size_t i = 0; i < r->ncolumns; i++)
		if (r->column[i] == COL_NONE) {
			diag(DIAG_ERROR, r->path, line,
			     "column %zu: '%s' is neither a patient field nor a question of %s in any "
			     "shipped language "
			     "(read as %s; --ignore-column '%s' passes over it)",
			     i + 1, r->titles[i], r->run.q->id, delimiter_name(r->delim), r->titles[i]);
			bad = 1;
		}
	if (!bad && tools.len)
		diag(DIAG_WARNING, r->path, line, "the form tool's own columns are not read: %s", tools.data);
	sb_free(&tools);
	return bad ? -1 : 0;
}

static void *csv_open(const char *path, const reader_run *run)
{
	csv_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->run = *run;
	r->english = (reader_wording){run->q, "yes", "no", "name"};
	r->wording[0] = &r->english;
	r->nwording = 1;
	if (run->opt && run->opt->wording && run->opt->wording(run->opt->wording_ctx, 0))
		r->wording[0] = run->opt->wording(run->opt->wording_ctx, 0);
	r->delim = ',';
	init_parser(r);
	FILE *f = fopen_regular(path);
	if (!f) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		goto refused;
	}
	r->in = text_lines_open(f, MAX_LINE);
	if (!r->in) {
		diag(DIAG_ERROR, path, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		goto refused;
	}
	if (read_header(r) != 0)
		goto refused;
	text_encoding enc = text_lines_encoding(r->in);
	if (enc == TEXT_CP1252)
		diag(DIAG_WARNING, path, 0,
		     "not valid UTF-8: read as Windows-1252 (save it as CSV UTF-8 to be sure)");
	else if (enc == TEXT_UTF8_MIXED)
		diag(DIAG_WARNING, path, 0,
		     "UTF-8 with some bytes that are not: the rows holding them are refused");
	return r;
refused:
	csv_close(r);
	return NULL;
}

/* ---- cells as answers ---- */

/* 1 when a cell is text the file's encoding could read: valid UTF-8 with no U+FFFD (what a
 * byte that was not text was decoded to). */
static int cell_text_ok(const char *s)
{
	return utf8_valid(s) && !strstr(s, "\xEF\xBF\xBD");
}

/* Splits s at sep into its trimmed non-empty parts. */
static size_t split(const char *s, char sep, char ***parts)
{
	size_t n = 0, cap = 0;
	*parts = NULL;
	for (const char *p = s;;) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *raw = xstrndup(p, len);
		char *t = text_normalize_space(raw);
		free(raw);
		if (*t)
			ARRAY_PUSH(*parts, n, cap, t);
		else
			free(t);
		if (!end)
			break;
		p = end + 1;
	}
	return n;
}

static void free_parts(char **parts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

/* A choice cell: parts joined by ';', each a choice or several joined by ", " (a label may
 * itself hold a comma: the longest run of parts that names a choice is taken). What names
 * no choice goes to patient.c as written, which refuses it naming the choices. */
static void add_choices(csv_reader *r, patient *p, int qi, const char *cell, int line)
{
	const char *qid = r->run.q->questions[qi].id;
	char **parts;
	size_t nparts = split(cell, ';', &parts);
	for (size_t i = 0; i < nparts; i++) {
		const char *whole = choice_named(r, qi, parts[i]);
		if (whole) {
			patient_add_answer(p, qid, whole, line);
			continue;
		}
		char **pieces;
		size_t n = split(parts[i], ',', &pieces);
		for (size_t a = 0; a < n;) {
			/* pieces a..b-1, longest first */
			size_t b = n - a > 1 + MAX_LABEL_COMMAS ? a + 1 + MAX_LABEL_COMMAS : n;
			const char *found = NULL;
			for (; b > a; b--) {
				strbuf joined = {0};
				for (size_t k = a; k < b; k++)
					sb_printf(&joined, "%s%s", k > a ? ", " : "", pieces[k]);
				found = choice_named(r, qi, joined.data);
				sb_free(&joined);
				if (found)
					break;
			}
			if (found) {
				patient_add_answer(p, qid, found, line);
				a = b;
			} else {
				patient_add_answer(p, qid, pieces[a], line);
				a++;
			}
		}
		free_parts(pieces, n);
	}
	free_parts(parts, nparts);
}

/* Any other question's cell: parts joined by ';'; yes and no in any language. */
static void add_values(csv_reader *r, patient *p, int qi, const char *cell, int line)
{
	const question *qu = &r->run.q->questions[qi];
	char **parts;
	size_t n = split(cell, ';', &parts);
	for (size_t i = 0; i < n; i++) {
		const char *v = qu->type == Q_BOOLEAN ? yes_no_named(r, parts[i]) : NULL;
		patient_add_answer(p, qu->id, v ? v : parts[i], line);
	}
	free_parts(parts, n);
}

/* The id cell's text, or NULL. */
static const char *id_cell(const csv_reader *r)
{
	for (size_t i = 0; i < r->ncolumns && i < r->ncells; i++)
		if (r->column[i] == COL_ID)
			return r->cells[i];
	return NULL;
}

/* A patient for a row that is not one, named by its id when the cells read so far hold it. */
static patient *bad_row(csv_reader *r, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static patient *bad_row(csv_reader *r, int line, const char *fmt, ...)
{
	patient *p = patient_new(r->path, line, r->run.q);
	const char *id = id_cell(r);
	char *tid = text_normalize_space(id ? id : "");
	if (patient_id_valid(tid)) {
		free(p->id);
		p->id = xstrdup(tid);
	}
	free(tid);
	char why[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	patient_reject(p, line, NULL, "%s", why);
	return p;
}

static patient *csv_next(void *state)
{
	csv_reader *r = state;
	for (;;) {
		int got = next_row(r);
		if (got == ROW_END)
			return NULL;
		if (got == ROW_LONG_LINE)
			return bad_row(r, r->line, "%s", "a line longer than 1 MB");
		if (got == ROW_BAD)
			return r->line == r->row_line
			           ? bad_row(r, r->row_line,
			                     "the row is not valid CSV (a quote out of place)")
			           : bad_row(r, r->row_line,
			                     "the row is not valid CSV (a quote out of place on line %d)",
			                     r->line);
		if (got == ROW_UNCLOSED && r->unclosed_at_end)
			return bad_row(r, r->row_line, "%s",
			               "the row is not valid CSV: a quote opened on this line is never "
			               "closed (the lines "
			               "after it are read as rows of their own)");
		if (got == ROW_UNCLOSED)
			return bad_row(
			    r, r->row_line,
			    "the row is not valid CSV: a quote opened on this line runs on for more than %d "
			    "lines or "
			    "%u MB, a quote left open (the lines after it are read as rows of their own)",
			    MAX_ROW_LINES, MAX_ROW_BYTES >> 20);
		int line = r->row_line;
		const char *id = id_cell(r);
		if (r->nul_cell && (size_t)r->nul_cell <= r->ncolumns &&
		    r->column[r->nul_cell - 1] == COL_ID) {
			/* The id was cut at the NUL byte: it names no one, and claims no id. */
			patient *p = patient_new(r->path, line, r->run.q);
			patient_reject(p, line, NULL, "column %d (the patient id) holds a NUL byte",
			               r->nul_cell);
			return p;
		}
		patient *p = patient_new(r->path, line, r->run.q);
		char *tid = text_normalize_space(id ? id : "");
		int id_ok =
		    patient_set_id(p, *tid ? tid : NULL, line, r->run.seen) == 0 || strcmp(p->id, "?") != 0;
		free(tid);
		if (!id_ok)
			return p;
		if (r->nul_cell) {
			size_t c = (size_t)r->nul_cell - 1;
			int col = c < r->ncolumns ? r->column[c] : COL_NONE;
			patient_reject(p, line, col >= 0 ? r->titles[c] : NULL,
			               "column %zu%s%s%s holds a NUL byte", c + 1,
			               col < 0 && c < r->ncolumns ? " (" : "",
			               col < 0 && c < r->ncolumns ? r->titles[c] : "",
			               col < 0 && c < r->ncolumns ? ")" : "");
			return p;
		}
		if (r->ncells + r->extra_cells != r->ncolumns) {
			patient_reject(p, line, NULL, "the row has %zu cells; the header has %zu columns",
			               r->ncells + r->extra_cells, r->ncolumns);
			return p;
		}
		for (size_t i = 0; i < r->ncolumns; i++) {
			const char *cell = r->cells[i];
			int col = r->column[i];
			if (col == COL_TOOL || col == COL_IGNORED || strspn(cell, " \t\r\n") == strlen(cell))
				continue; /* not ours, or not answered */
			if (!cell_text_ok(cell)) {
				patient_reject(p, line, col >= 0 ? r->titles[i] : NULL,
				               "column %zu is not %s text", i + 1,
				               text_encoding_name(text_lines_encoding(r->in)));
				continue;
			}
			switch (col) {
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
			case COL_ADDRESS: {
				char **parts;
				size_t n = split(cell, ';', &parts);
				for (size_t k = 0; k < n; k++)
					patient_add_address_line(p, xstrdup(parts[k]), line);
				free_parts(parts, n);
				break;
			}
			default:
				if (r->run.q->questions[col].type == Q_CHOICE)
					add_choices(r, p, col, cell, line);
				else
					add_values(r, p, col, cell, line);
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
	return r->failed || text_lines_failed(r->in);
}

const reader_format read_csv_format = {"CSV", csv_open, csv_next, csv_failed, csv_close, NULL};
