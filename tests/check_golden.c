/* check_golden.c: many small goldens, as lowdown's regress/ keeps them, each named for what it
 * shows, so that a failure says what broke:
 * - tests/golden/blocks/NAME.input: a few blocks in --dump document's words (with the fields
 *   that dump leaves out as key=value), laid out alone with the real fonts; NAME.layout is
 *   its layout dump. One or more cases per block kind.
 * - tests/golden/diag/NAME.EXT: a small input in a real format; NAME.err is exactly what
 *   `handout explain` says about it on standard error (file:line), and its exit status. One
 *   case per diagnostic family of patient.c's refusals and of each reader.
 * - tests/golden/documents/NAME.EXT: a small patient; NAME.document is `handout build --dump
 *   document` of it: which blocks real input reaches.
 * NAME.args, when there, holds options put before the input (diag, documents).
 * HANDOUT_GOLDEN_WRITE=1 (make golden) rewrites every golden from what it got. */
#include "document.h"
#include "fonts.h"
#include "helpers.h"
#include "layout.h"
#include "pdf.h"
#include "svg.h"
#include "template.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASES_MAX 200

/* The cases of one family: file names (with their extension) in its folder, sorted. */
typedef struct family {
	const char *folder;     /* under tests/golden */
	const char *golden_ext; /* the expected output's extension */
	char *files[CASES_MAX]; /* the inputs */
	size_t n;
} family;

static family blocks = {"blocks", ".layout", {0}, 0};
static family diags = {"diag", ".err", {0}, 0};
static family documents = {"documents", ".document", {0}, 0};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	return n > e && strcmp(name + n - e, ext) == 0;
}

/* Lists f's inputs: every file but goldens and .args files. */
static void list_family(family *f)
{
	char *dir = path_join(data_dir(), "tests/golden");
	char *folder = path_join(dir, f->folder);
	DIR *d = opendir(folder);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL && f->n < CASES_MAX) {
		if (e->d_name[0] == '.' || ends_with_ext(e->d_name, f->golden_ext) ||
		    ends_with_ext(e->d_name, ".args"))
			continue;
		f->files[f->n++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(f->files, f->n, sizeof *f->files, by_name);
	free(folder), free(dir);
}

/* The file name without its extension (static). */
static const char *case_name(const char *file)
{
	static char name[256];
	format_into(name, sizeof name, "%s", file);
	char *dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
	return name;
}

/* tests/golden/FOLDER/NAME + ext, in buf. */
static void case_path(char *buf, size_t size, const family *f, const char *file, const char *ext)
{
	format_into(buf, size, "%s/tests/golden/%s/%s%s", data_dir(), f->folder, case_name(file), ext);
}

/* The case's .args (one line of options), or "" when it has none; the caller frees. */
static char *case_args(const family *f, const char *file)
{
	char file_at[4096];
	case_path(file_at, sizeof file_at, f, file, ".args");
	size_t len;
	char *args = file_read_all(file_at, &len);
	if (!args)
		return xstrdup("");
	args[strcspn(args, "\n")] = '\0';
	return args;
}

/* Compares what a case got with its golden, and fails with a unified diff; with
 * HANDOUT_GOLDEN_WRITE set, writes the golden instead. */
static void compare_with_golden(const family *f, const char *file, const char *got)
{
	char golden[4096];
	case_path(golden, sizeof golden, f, file, f->golden_ext);
	if (getenv("HANDOUT_GOLDEN_WRITE")) {
		FILE *out = fopen(golden, "w");
		ck_assert_msg(out != NULL, "cannot write %s", golden);
		fputs(got, out);
		ck_assert_int_eq(fclose(out), 0);
		return;
	}
	size_t len;
	char *want = file_read_all(golden, &len);
	ck_assert_msg(want != NULL, "%s has no golden %s (make golden writes it)", file, golden);
	if (strcmp(want, got) != 0) {
		const char *actual = write_temp("actual", got);
		char cmd[8300];
		format_into(cmd, sizeof cmd, "diff -u '%s' '%s' | head -60", golden, actual);
		int status;
		char *diff = run_command(cmd, &status);
		ck_abort_msg("tests/golden/%s/%s differs from what %s gives now "
		             "(make golden rewrites it; look first):\n%s",
		             f->folder, case_name(file), file, diff);
	}
	free(want);
}

/* ---- blocks: a document written in --dump document's words, laid out alone ---- */

static const char *const kind_names[] = {"text",    "item",  "row",       "space", "box",
                                         "end-box", "keep",  "end-keep",  "grid",  "image",
                                         "drawing", "aside", "end-aside", "table"};
#define NKINDS (sizeof kind_names / sizeof *kind_names)

static int name_index(const char *const *names, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && strncmp(names[i], s, len) == 0)
			return (int)i;
	return -1;
}

/* Sets one key=value field of b (or a flag, without '='); fails on anything else. */
static void set_field(document *d, block *b, const char *tok, size_t len, const char *where)
{
	static const char *const roles[] = {"body", "small", "heading", "subheading", "title", "urgent"};
	static const char *const colours[] = {"text", "accent", "urgent", "rule", "shade", "mark"};
	static const char *const boxes[] = {"urgent", "summary", "note"};
	char field[256];
	ck_assert_msg(len < sizeof field, "%s: a field too long", where);
	memcpy(field, tok, len);
	field[len] = '\0';
	char *val = strchr(field, '=');
	if (val)
		*val++ = '\0';
	int k;
	if (!val) {
		if (!strcmp(field, "keep-with-next"))
			b->keep_with_next = 1;
		else if (!strcmp(field, "centred"))
			b->centred = 1;
		else if (!strcmp(field, "soft"))
			b->keep = KEEP_COSTED;
		else if (!strcmp(field, "headed"))
			b->keep = KEEP_HEADED;
		else if (!strcmp(field, "ticks"))
			b->ticks = 1;
		else if (!strcmp(field, "tick-first"))
			b->tick_first = 1;
		else if (!strcmp(field, "rule-below"))
			b->rule_below = 1;
		else if (!strcmp(field, "header"))
			b->header = 1;
		else
			ck_abort_msg("%s: no such flag '%s'", where, field);
	} else if (!strcmp(field, "role") && (k = name_index(roles, ROLE_COUNT, val, strlen(val))) >= 0) {
		b->role = (text_role)k;
	} else if (!strcmp(field, "colour") &&
	           (k = name_index(colours, COLOUR_COUNT, val, strlen(val))) >= 0) {
		b->colour = (colour_id)k;
	} else if (!strcmp(field, "box") && (k = name_index(boxes, 3, val, strlen(val))) >= 0) {
		b->box = (box_kind)k;
	} else if (!strcmp(field, "em")) {
		b->space_em = b->height_em = atof(val);
	} else if (!strcmp(field, "image")) {
		b->image = atoi(val);
		d->image_aspect[0] = 1.5; /* a logo three units wide, two high */
	} else if (!strcmp(field, "drawing")) {
		char file[512];
		format_into(file, sizeof file, "%s/content/diagrams/%s.svg", data_dir(), val);
		b->owned = svg_load(file);
		ck_assert_msg(b->owned != NULL, "%s: no drawing %s", where, file);
		b->drawing = b->owned;
	} else if (!strcmp(field, "cols") || !strcmp(field, "whole")) {
		size_t c = 0;
		for (char *save, *v = strtok_r(val, ",", &save); v && c < TABLE_MAX_COLS;
		     v = strtok_r(NULL, ",", &save), c++)
			if (field[0] == 'c')
				b->col_frac[c] = atof(v);
			else
				b->whole_cols |= 1u << atoi(v);
	} else {
		ck_abort_msg("%s: no such field '%s=%s'", where, field, val);
	}
}

/* Adds the spans of "r{...} b{...}" at s to b: a span ends at "} r{", "} b{" or the line's
 * last '}'. */
static void add_spans(block *b, const char *s, const char *end, const char *where)
{
	while (s < end) {
		ck_assert_msg((*s == 'r' || *s == 'b') && s[1] == '{', "%s: a span is r{...} or b{...}",
		              where);
		const char *text = s + 2, *close = NULL;
		for (const char *c = text; c < end; c++)
			if (*c == '}' && (c + 1 == end || (c + 4 <= end && c[1] == ' ' &&
			                                   (c[2] == 'r' || c[2] == 'b') && c[3] == '{'))) {
				close = c;
				break;
			}
		ck_assert_msg(close != NULL, "%s: a span without its '}'", where);
		char *t = xstrndup(text, (size_t)(close - text));
		block_add_span(b, s[0] == 'b' ? FACE_BOLD : FACE_REGULAR, t);
		free(t);
		s = close + 1;
		if (s < end)
			s++; /* the space before the next span */
	}
}

/* Parses one block line onto d; appends the line as --dump document prints it (without
 * the fields) to dumped. */
static void parse_block(document *d, const char *line, strbuf *dumped, const char *where)
{
	const char *end = line + strlen(line);
	size_t klen = strcspn(line, " ");
	int kind = name_index(kind_names, NKINDS, line, klen);
	ck_assert_msg(kind >= 0, "%s: no block kind '%.*s'", where, (int)klen, line);
	block *b = document_add(d, (block_kind)kind, ROLE_BODY);
	sb_appendn(dumped, line, klen);
	const char *s = line + klen;
	while (*s == ' ') {
		s++;
		size_t len = strcspn(s, " ");
		if (*s == '[' || ((*s == 'r' || *s == 'b') && s[1] == '{'))
			break;
		set_field(d, b, s, len, where);
		s += len;
	}
	if (s < end) {
		sb_putc(dumped, ' ');
		sb_appendn(dumped, s, (size_t)(end - s));
	}
	sb_putc(dumped, '\n');
	if (*s == '[') {
		const char *close = strchr(s, ']');
		ck_assert_msg(close != NULL, "%s: a marker without its ']'", where);
		b->marker = xstrndup(s + 1, (size_t)(close - s - 1));
		s = close + 1;
		if (*s == ' ')
			s++;
	}
	add_spans(b, s, end, where);
}

/* The template and fonts a case is laid out with, loaded once per test process. */
static page_template *loaded_template(const char *name, pdf_fonts **fonts)
{
	static struct {
		char name[64];
		page_template *t;
		pdf_fonts *f;
	} cache[4];
	for (size_t i = 0; i < 4; i++) {
		if (cache[i].t && strcmp(cache[i].name, name) == 0) {
			*fonts = cache[i].f;
			return cache[i].t;
		}
		if (cache[i].t)
			continue;
		char *tdir = path_join(data_dir(), "templates");
		char *schema = path_join(data_dir(), "content/schema/template.xsd");
		char *fdir = path_join(data_dir(), "fonts");
		page_template *t = template_load(tdir, name, schema);
		ck_assert_msg(t != NULL, "no template %s", name);
		char *files[PDF_FONT_FILES][FACE_COUNT] = {{0}};
		fonts_files(fdir, (const char *const *)t->face_file, files);
		cache[i].f = pdf_fonts_load((const char *const(*)[FACE_COUNT])files);
		ck_assert_ptr_nonnull(cache[i].f);
		for (int k = 0; k < PDF_FONT_FILES; k++)
			for (int f = 0; f < FACE_COUNT; f++)
				free(files[k][f]);
		free(tdir), free(schema), free(fdir);
		format_into(cache[i].name, sizeof cache[i].name, "%s", name);
		cache[i].t = t;
		*fonts = cache[i].f;
		return t;
	}
	ck_abort_msg("more than 4 templates");
	return NULL;
}

/* Lays out the blocks of a case's input: "# ..." lines are comments, "@template NAME"
 * (default a4) and "@one-page" set the document, every other line is a block. */
static char *lay_out_blocks(const char *file, const char *input)
{
	document *d = xcalloc(1, sizeof *d);
	d->header_left = xstrdup("Ann Lee · ID T-1");
	d->header_right = xstrdup("24 November 2026");
	d->footer_left = xstrdup("Riverside Clinic");
	d->footer_contact = xstrdup("Phone 0100 000");
	d->title = xstrdup("Blocks");
	char template_name[64] = "a4";
	strbuf dumped = {0}, want = {0};
	char *text = xstrdup(input);
	int number = 0;
	for (char *save, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char where[300];
		format_into(where, sizeof where, "%s:%d", file, ++number);
		if (line[0] == '#')
			continue;
		if (strncmp(line, "@template ", 10) == 0)
			format_into(template_name, sizeof template_name, "%s", line + 10);
		else if (strcmp(line, "@one-page") == 0)
			d->one_page = 1;
		else
			parse_block(d, line, &want, where);
	}
	free(text);
	/* The input speaks --dump document's language: the blocks built dump as written. */
	document_dump(d, &dumped);
	ck_assert_msg(strcmp(dumped.data ? dumped.data : "", want.data ? want.data : "") == 0,
	              "%s: the blocks read back as\n%s\nnot\n%s", file, dumped.data, want.data);
	pdf_fonts *fonts;
	page_template *t = loaded_template(template_name, &fonts);
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(fonts), &m);
	layout *l = layout_document(d, t, &m);
	ck_assert_ptr_nonnull(l);
	strbuf out = {0};
	sb_printf(&out, "# template %s\n", template_name);
	layout_dump(l, &out);
	layout_free(l);
	document_free(d);
	sb_free(&dumped), sb_free(&want);
	return sb_take(&out);
}

START_TEST(block_golden)
{
	const char *file = blocks.files[_i];
	char file_at[4096];
	format_into(file_at, sizeof file_at, "%s/tests/golden/blocks/%s", data_dir(), file);
	size_t len;
	char *input = file_read_all(file_at, &len);
	ck_assert_ptr_nonnull(input);
	char *got = lay_out_blocks(file, input);
	compare_with_golden(&blocks, file, got);
	free(got);
	free(input);
}
END_TEST

/* ---- diag: what handout explain says about a small input ---- */

START_TEST(diag_golden)
{
	const char *file = diags.files[_i];
	char *args = case_args(&diags, file);
	char cmd[8192];
	/* Run in the case's folder, so messages name the file as a clinic would see it. */
	format_into(cmd, sizeof cmd,
	            "cd '%1$s/tests/golden/diag' && '%1$s/handout' explain --data '%1$s' %2$s '%3$s' "
	            "2>&1 >/dev/null; echo \"[exit $?]\"",
	            data_dir(), args, file);
	int status;
	char *got = run_command(cmd, &status);
	compare_with_golden(&diags, file, got);
	free(got);
	free(args);
}
END_TEST

/* ---- documents: the blocks of a small real patient ---- */

START_TEST(document_golden)
{
	const char *file = documents.files[_i];
	char *args = case_args(&documents, file);
	char cmd[8192];
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && E=$(mktemp) && ./handout build --dump document --date 2026-11-24 %2$s "
	            "'tests/golden/documents/%3$s' 2>\"$E\"; echo \"[exit $?]\"; cat \"$E\"; rm -f \"$E\"",
	            data_dir(), args, file);
	int status;
	char *got = run_command(cmd, &status);
	compare_with_golden(&documents, file, got);
	free(got);
	free(args);
}
END_TEST

/* Every block kind has a case of its own (named KIND-..., an end-KIND in KIND's cases), and
 * real input reaches every kind but two: a row (BLOCK_ROW), which no part of handout makes
 * today, and a table (BLOCK_TABLE), which only the run report makes (batch --report, a PDF
 * with no dump). */
START_TEST(every_block_kind_has_goldens)
{
	strbuf reached = {0};
	for (size_t i = 0; i < documents.n; i++) {
		char file_at[4096];
		case_path(file_at, sizeof file_at, &documents, documents.files[i], documents.golden_ext);
		size_t len;
		char *g = file_read_all(file_at, &len);
		ck_assert_ptr_nonnull(g);
		sb_append(&reached, "\n");
		sb_append(&reached, g);
		free(g);
	}
	for (size_t k = 0; k < NKINDS; k++) {
		const char *kind = kind_names[k];
		const char *own = strncmp(kind, "end-", 4) == 0 ? kind + 4 : kind;
		int cases = 0;
		for (size_t i = 0; i < blocks.n; i++)
			cases += strncmp(blocks.files[i], own, strlen(own)) == 0 &&
			         blocks.files[i][strlen(own)] == '-';
		ck_assert_msg(cases > 0, "no tests/golden/blocks/%s-*.input", own);
		if (k == BLOCK_ROW || k == BLOCK_TABLE)
			continue;
		char want[32];
		format_into(want, sizeof want, "\n%s\n", kind);
		char want_more[32];
		format_into(want_more, sizeof want_more, "\n%s ", kind);
		ck_assert_msg(strstr(reached.data, want) || strstr(reached.data, want_more),
		              "no tests/golden/documents case reaches a '%s' block", kind);
	}
	sb_free(&reached);
}
END_TEST

Suite *golden_suite(void)
{
	list_family(&blocks);
	list_family(&diags);
	list_family(&documents);
	Suite *s = suite_create("golden");
	TCase *tc = tcase_create("small goldens");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, block_golden, 0, (int)blocks.n);
	tcase_add_loop_test(tc, diag_golden, 0, (int)diags.n);
	tcase_add_loop_test(tc, document_golden, 0, (int)documents.n);
	if (!getenv("HANDOUT_GOLDEN_WRITE"))
		tcase_add_test(tc, every_block_kind_has_goldens);
	suite_add_tcase(s, tc);
	return s;
}
