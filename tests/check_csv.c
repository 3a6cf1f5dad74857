/* check_csv.c: patients from CSV: fields and answers in any column order, a spreadsheet's
 * byte order mark and CRLF, quoted cells over several lines, question text as column
 * titles; each bad row is its patient's error with file:line and the column; a bad header
 * refuses the file. */
#include "content.h"
#include "helpers.h"
#include "patient.h"
#include "questionnaire.h"
#include "reader.h"
#include "util.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_csv_text(read_result *r, const char *text)
{
	read_text(r, "answers.csv", text);
}

START_TEST(rows_become_patients)
{
	read_result r;
	read_csv_text(&r, "\xEF\xBB\xBF"
	                  "pressure,ID,name,address,pain-score,pain-location,"
	                  "\"Can you get to a swimming pool?\",language,phone\r\n"
	                  "strong,A-1,\"Lee, Ann\",\"1 Road;Flat 2\r\nLeeds\",4,left; right,yes,es,+44 1\r\n"
	                  "\r\n"
	                  ",A-2,,,7,,,,\r\n");
	ck_assert_msg(r.n == 2, "%s", r.diags);
	patient *a = r.p[0];
	ck_assert_msg(a->error == NULL, "%s", r.diags);
	ck_assert_str_eq(a->id, "A-1");
	ck_assert_str_eq(a->name, "Lee, Ann");
	ck_assert_str_eq(a->language, "es");
	ck_assert_str_eq(a->phone, "+44 1");
	ck_assert_uint_eq(a->naddress, 2);
	ck_assert_str_eq(a->address[0], "1 Road");
	ck_assert_str_eq(a->address[1], "Flat 2 Leeds");
	ck_assert_str_eq(answer_of(a, "pressure", 0), "strong");
	ck_assert_str_eq(answer_of(a, "pain-location", 0), "left");
	ck_assert_str_eq(answer_of(a, "pain-location", 1), "right");
	ck_assert_str_eq(answer_of(a, "pool-access", 0), "yes"); /* its column titled by the question */
	ck_assert_int_eq(a->line, 2);
	patient *b = r.p[1];
	ck_assert_ptr_null(b->error);
	ck_assert_int_eq(b->line, 5); /* the quoted address took two lines; a blank row is skipped */
	ck_assert_ptr_null(answer_of(b, "pressure", 0)); /* empty: not answered */
	read_result_free(&r);
}
END_TEST

START_TEST(bad_rows_name_line_and_column)
{
	read_result r;
	read_csv_text(&r, "id,pain-score,pressure,leg-pain\n"
	                  "A,3,strong,yes\n"
	                  "B,3,hard,yes\n"
	                  "C,,light,no\n"
	                  "D,2,light\n"
	                  "A,1,light,no\n"
	                  "E,2,\"light,no\n");
	ck_assert_uint_eq(r.n, 6);
	ck_assert_ptr_null(r.p[0]->error);
	ck_assert_msg(
	    strstr(
	        r.diags,
	        "answers.csv:3: patient B: question pressure: not one of: light, moderate, strong, painful"),
	    "%s", r.diags);
	ck_assert_msg(
	    strstr(r.diags, "answers.csv:4: patient C: question pain-score: required answer is missing"),
	    "%s", r.diags);
	ck_assert_msg(
	    strstr(r.diags, "answers.csv:5: patient D: the row has 3 cells; the header has 4 columns"), "%s",
	    r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:6: patient A: duplicate patient id"), "%s", r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:7: patient E: the row is not valid CSV: a quote opened on "
	                              "this line is never closed"),
	              "%s", r.diags);
	ck_assert_uint_eq(r.rejected, 5);
	read_result_free(&r);
}
END_TEST

/* A line longer than the reader keeps is that row's error, never cut short silently. */
START_TEST(overlong_line_is_its_rows_error)
{
	strbuf text = {0};
	sb_append(&text, "id,pain-score\nA,3,");
	for (int i = 0; i < (1 << 20) + 10; i++)
		sb_putc(&text, 'x');
	sb_append(&text, "\nB,4\n");
	read_result r;
	read_csv_text(&r, text.data);
	sb_free(&text);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_msg(strstr(r.diags, "answers.csv:2: patient ?: a line longer than 1 MB"), "%s", r.diags);
	ck_assert_str_eq(r.p[1]->id, "B");
	ck_assert_ptr_null(r.p[1]->error);
	read_result_free(&r);
}
END_TEST

/* How many times needle is in s. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;
	for (; (s = strstr(s, needle)) != NULL; s++)
		n++;
	return n;
}

/* Runs script in the repository with $T a fresh folder and $H the program; stdout and stderr. */
static char *sh(const char *script, int *status)
{
	strbuf cmd = {0};
	sb_printf(&cmd, "cd '%s' && T='%s' && H=./handout && export T H HANDOUT_DATA=. && { %s ; } 2>&1",
	          data_dir(), temp_dir(), script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

/* Each tool's export of the fixtures' answers (tests/fixtures/csv/PROVENANCE.txt says where
 * each shape comes from) explains exactly as the same answers in native XML. */
START_TEST(form_tool_exports_explain_like_native)
{
	static const struct {
		const char *file, *options, *warning;
	} exports[] = {
	    {"google-forms-en.csv", "",
	     "google-forms-en.csv:1: warning: the form tool's own columns are not read: Timestamp, Email "
	     "address"},
	    {"google-forms-es.csv", "--id-column 'Número de paciente'",
	     "the form tool's own columns are not read: Marca temporal"},
	    {"microsoft-forms-en.csv", "",
	     "the form tool's own columns are not read: ID, Start time, Completion time, Email, Name, Last "
	     "modified time"},
	    {"excel-eu-utf8.csv", "", NULL},
	    {"excel-eu-cp1252.csv", "",
	     "excel-eu-cp1252.csv: warning: not valid UTF-8: read as Windows-1252"},
	    {"libreoffice-cp1252.csv", "",
	     "libreoffice-cp1252.csv: warning: not valid UTF-8: read as Windows-1252"},
	    {"excel-unicode-text.txt", "", NULL},
	};
	int status;
	char *native = sh("$H explain tests/fixtures/csv/patients.xml 2>/dev/null", &status);
	ck_assert_int_eq(status, 0);
	ck_assert_uint_gt(strlen(native), 5 * 100);
	for (size_t i = 0; i < sizeof exports / sizeof *exports; i++) {
		char script[4096];
		format_into(
		    script, sizeof script,
		    "$H explain %s tests/fixtures/csv/%s 2>$T/err > $T/out; echo rc=$?; cat $T/err; "
		    "$H explain tests/fixtures/csv/patients.xml 2>/dev/null | cmp - $T/out && echo same",
		    exports[i].options, exports[i].file);
		char *out = sh(script, &status);
		ck_assert_msg(strncmp(out, "rc=0\n", 5) == 0 && strstr(out, "\nsame\n"), "%s:\n%s",
		              exports[i].file, out);
		ck_assert_msg(!exports[i].warning || strstr(out, exports[i].warning), "%s:\n%s",
		              exports[i].file, out);
		/* one warning at most: the tool's columns or the encoding, never a line per row */
		ck_assert_msg(count_of(out, "warning") == (exports[i].warning ? 1 : 0), "%s:\n%s",
		              exports[i].file, out);
		free(out);
	}
	free(native);
}
END_TEST

/* Names come through every encoding; Microsoft Forms' ID and Name are never the patient's. */
START_TEST(names_in_every_encoding)
{
	static const char *const files[] = {"google-forms-en.csv",    "microsoft-forms-en.csv",
	                                    "excel-eu-utf8.csv",      "excel-eu-cp1252.csv",
	                                    "libreoffice-cp1252.csv", "excel-unicode-text.txt"};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char path[4096];
		format_into(path, sizeof path, "%s/tests/fixtures/csv/%s", data_dir(), files[i]);
		char *paths[] = {path};
		read_result r;
		read_files(&r, paths, 1);
		ck_assert_msg(r.n == 5 && r.rejected == 0, "%s: %s", files[i], r.diags);
		ck_assert_str_eq(r.p[0]->id, "F-001");
		int ms = strstr(files[i], "microsoft") != NULL;
		if (ms) {
			ck_assert_ptr_null(r.p[0]->name); /* the export's Name is the respondent's account */
		} else {
			ck_assert_str_eq(r.p[0]->name, "José Müller");
			ck_assert_str_eq(r.p[1]->name, "Zoë Ångström");
			ck_assert_str_eq(r.p[4]->name, "François Lefèvre");
		}
		ck_assert_str_eq(answer_of(r.p[0], "pain-location", 0), "center");
		ck_assert_str_eq(answer_of(r.p[0], "pain-location", 1), "left");
		ck_assert_str_eq(answer_of(r.p[2], "pain-location", 2), "thigh");
		read_result_free(&r);
	}
}
END_TEST

/* Microsoft Forms: a signed-in respondent's Name and the response number ID are not the
 * patient's; without a patient id column the file is refused, saying why. */
START_TEST(microsoft_forms_own_columns_are_not_the_patients)
{
	read_result r;
	read_csv_text(
	    &r, "\xEF\xBB\xBFID,Start time,Completion time,Email,Name,Patient ID,pain-score\r\n"
	        "1,11/20/26 9:29:51,11/20/26 9:31:07,ann.lee@clinic.example,Ann Lee (Reception),P-7,4\r\n");
	ck_assert_msg(r.n == 1 && r.p[0]->error == NULL, "%s", r.diags);
	ck_assert_str_eq(r.p[0]->id, "P-7");
	ck_assert_ptr_null(r.p[0]->name);
	read_result_free(&r);
	read_csv_text(&r, "ID,Start time,Completion time,Email,Name,pain-score\r\n1,11/20/26 "
	                  "9:29:51,11/20/26 9:31:07,anonymous,,4\r\n");
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(r.files_failed, 1);
	ck_assert_msg(strstr(r.diags, "no column gives the patient id") &&
	                  strstr(r.diags, "Microsoft Forms export's ID numbers its responses"),
	              "%s", r.diags);
	read_result_free(&r);
	/* Our own file's id and name columns are ours, in any case. */
	read_csv_text(&r, "ID,Name,pain-score\nP-8,Ann Lee,4\n");
	ck_assert_msg(r.n == 1 && r.p[0]->error == NULL, "%s", r.diags);
	ck_assert_str_eq(r.p[0]->name, "Ann Lee");
	read_result_free(&r);
}
END_TEST

/* Titles and cells in any shipped language, mixed in one file; choices joined by ";", ", "
 * or "," and in any case; what names no choice is that patient's error, naming the choices. */
START_TEST(labels_and_wording_in_any_language)
{
	read_result r;
	read_csv_text(
	    &r,
	    "Patient ID,Nombre,¿Cómo le pareció la presión del masaje?,您一天里大部分时间做什么？,"
	    "Where does it hurt? Choose all that apply.,pain-score,fever,hard-exercise,pregnant\n"
	    "A-1,Ana,Fuerte,Desk work,\"Nalga, middle of the LOWER back;Thigh\",5,Sí,是,no\n"
	    "A-2,,strong,体力劳动,\"Middle of the lower back,Left side of the lower back\",3,No,否,FALSE\n"
	    "A-3,,Strong,,\"Left side of the lower back, Elbow\",2,,,\n");
	ck_assert_msg(r.n == 3, "%s", r.diags);
	patient *a = r.p[0];
	ck_assert_msg(a->error == NULL, "%s", r.diags);
	ck_assert_str_eq(a->name, "Ana");
	ck_assert_str_eq(answer_of(a, "pressure", 0), "strong");
	ck_assert_str_eq(answer_of(a, "work-type", 0), "desk");
	ck_assert_str_eq(answer_of(a, "pain-location", 0), "buttock");
	ck_assert_str_eq(answer_of(a, "pain-location", 1), "center");
	ck_assert_str_eq(answer_of(a, "pain-location", 2), "thigh");
	ck_assert_str_eq(answer_of(a, "fever", 0), "yes");
	ck_assert_str_eq(answer_of(a, "hard-exercise", 0), "yes");
	ck_assert_str_eq(answer_of(a, "pregnant", 0), "no");
	patient *b = r.p[1];
	ck_assert_msg(b->error == NULL, "%s", r.diags);
	ck_assert_str_eq(answer_of(b, "work-type", 0), "manual");
	ck_assert_str_eq(answer_of(b, "pain-location", 1), "left");
	ck_assert_str_eq(answer_of(b, "hard-exercise", 0), "no");
	ck_assert_str_eq(answer_of(b, "pregnant", 0), "no");
	ck_assert_msg(
	    strstr(r.diags,
	           "answers.csv:4: patient A-3: question pain-location: not one of: center, left, right"),
	    "%s", r.diags);
	ck_assert_ptr_null(strstr(r.diags, "Elbow")); /* answers are never quoted */
	read_result_free(&r);
}
END_TEST

/* A column handout does not know refuses the file, naming it (the header is a header: it
 * has an id column) and the way past it; --ignore-column passes over it. */
START_TEST(unknown_columns_are_named_and_can_be_passed_over)
{
	const char *path =
	    write_temp("answers.csv", "Patient ID;Favourite colour;pain-score\r\nB-1;blue;4\r\n");
	char *paths[] = {(char *)path};
	read_result r;
	read_files(&r, paths, 1);
	ck_assert_uint_eq(r.files_failed, 1);
	ck_assert_msg(
	    strstr(r.diags,
	           "answers.csv:1: column 2: 'Favourite colour' is neither a patient field nor a question of "
	           "lbp-after-massage in any shipped language (read as semicolon-separated; --ignore-column "
	           "'Favourite colour' passes over it)"),
	    "%s", r.diags);
	read_result_free(&r);
	char *ignore[] = {"favourite  COLOUR"};
	reader_options o = *shipped_reader_options();
	o.ignore_columns = ignore, o.nignore = 1;
	read_files_with(&r, paths, 1, &o);
	ck_assert_msg(r.n == 1 && r.p[0]->error == NULL, "%s", r.diags);
	ck_assert_ptr_null(strstr(r.diags, "warning"));
	read_result_free(&r);
	/* A file with no id column may have no header at all: nothing of its first row is echoed. */
	read_csv_text(&r, "Ann Lee;07700 900123;7\r\n");
	ck_assert_msg(strstr(r.diags, "no column gives the patient id (read as semicolon-separated)"), "%s",
	              r.diags);
	ck_assert_ptr_null(strstr(r.diags, "Ann"));
	read_result_free(&r);
}
END_TEST

/* A file that is not valid UTF-8 and holds no UTF-8 beyond ASCII is Windows-1252, said once;
 * one that mixes both keeps its UTF-8 rows and refuses the others. */
START_TEST(windows_1252_and_mixed_files)
{
	read_result r;
	read_csv_text(&r, "id,name,pain-score\nW-1,Jos\xE9 M\xFCller,4\nW-2,Ren\xE9 \x80,3\nW-3,Bob,2\n");
	ck_assert_msg(r.n == 3 && r.rejected == 0, "%s", r.diags);
	ck_assert_str_eq(r.p[0]->name, "José Müller");
	ck_assert_str_eq(r.p[1]->name, "René €"); /* 0x80 is the euro sign */
	ck_assert_msg(strstr(r.diags, "answers.csv: warning: not valid UTF-8: read as Windows-1252"), "%s",
	              r.diags);
	ck_assert_int_eq(count_of(r.diags, "warning"), 1);
	read_result_free(&r);
	read_csv_text(&r, "id,name,pain-score\nM-1,José,4\nM-2,Ren\xE9,3\nM-3,Zoë,2\n");
	ck_assert_uint_eq(r.n, 3);
	ck_assert_ptr_null(r.p[0]->error);
	ck_assert_str_eq(r.p[2]->name, "Zoë");
	ck_assert_msg(strstr(r.diags, "answers.csv:3: patient M-2: column 2 is not UTF-8 text"), "%s",
	              r.diags);
	read_result_free(&r);
	/* A byte Windows-1252 leaves undefined is that row's error. */
	read_csv_text(&r, "id,name,pain-score\nU-1,Jos\xE9,4\nU-2,A\x81,3\n");
	ck_assert_ptr_null(r.p[0]->error);
	ck_assert_msg(strstr(r.diags, "answers.csv:3: patient U-2: column 2 is not Windows-1252 text"), "%s",
	              r.diags);
	read_result_free(&r);
}
END_TEST

/* A NUL byte in a cell is that row's error (it used to cut the cell short silently); a NUL in
 * the id claims no id. */
START_TEST(nul_bytes_are_the_rows_error)
{
	static const char text[] = "id,name,pain-score\nP2\0../../x,John,7\nP2,Jo\0hn,3\nP3,Ann,7\0"
	                           "9\nP4,Bo,5\n";
	const char *path = write_temp("answers.csv", "");
	FILE *f = fopen(path, "wb");
	fwrite(text, 1, sizeof text - 1, f);
	fclose(f);
	char *paths[] = {(char *)path};
	read_result r;
	read_files(&r, paths, 1);
	ck_assert_uint_eq(r.n, 4);
	ck_assert_msg(strstr(r.diags, "answers.csv:2: patient ?: column 1 (the patient id) holds a NUL byte"),
	              "%s", r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:3: patient P2: column 2 (name) holds a NUL byte"), "%s",
	              r.diags);
	ck_assert_msg(
	    strstr(r.diags, "answers.csv:4: patient P3: question pain-score: column 3 holds a NUL byte"),
	    "%s", r.diags);
	ck_assert_ptr_null(r.p[3]->error);
	ck_assert_uint_eq(r.rejected, 3);
	read_result_free(&r);
}
END_TEST

/* An unclosed quote is reported at the row where it opens, and the rows it swallowed are
 * read (it used to take the 48 rows after it and report one error at the end of the file). */
START_TEST(an_unclosed_quote_costs_only_its_row)
{
	strbuf text = {0};
	sb_append(&text, "id,name,pain-score\nA-1,\"Ann,3\n");
	for (int i = 0; i < 48; i++)
		sb_printf(&text, "B-%d,Bob,%d\n", i, i % 10);
	/* read_files keeps 16 patients: count through the program instead */
	const char *path = write_temp("answers.csv", text.data);
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cd '%s' && HANDOUT_DATA=. ./handout explain '%s' 2>&1", data_dir(),
	            path);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_msg(strstr(out, "answers.csv:2: patient A-1: the row is not valid CSV: a quote opened on "
	                          "this line is never closed"),
	              "%s", out);
	int made = 0;
	for (const char *s = out; (s = strstr(s, "\"causes\"")) != NULL; s++)
		made++;
	ck_assert_int_eq(made, 48);
	free(out);
	sb_free(&text);
	/* A quote that runs on past the row's limits is said there, and the lines after read. */
	sb_append(&text, "id,name,pain-score\nL-1,\"");
	for (int i = 0; i < 150; i++)
		sb_append(&text, "line of a very long cell\n");
	sb_append(&text, "\",4\nL-2,Lu,4\n");
	path = write_temp("answers.csv", text.data);
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && HANDOUT_DATA=. ./handout explain '%s' 2>&1 | grep -c -e 'runs on for more than "
	    "100 lines' -e '\"patient\":\"L-2\",\"causes\"'",
	    data_dir(), path);
	out = run_command(cmd, &status);
	ck_assert_str_eq(out, "3\n"); /* the message, its JSON line, and L-2 made */
	free(out);
	sb_free(&text);
}
END_TEST

/* Line ends of every kind; a file saved by an old Mac (CR only) too. */
START_TEST(every_line_end)
{
	static const char *const texts[] = {"id,pain-score\nA,1\nB,2\n", "id,pain-score\r\nA,1\r\nB,2\r\n",
	                                    "id,pain-score\rA,1\rB,2\r", "id,pain-score\nA,1\nB,2"};
	for (size_t i = 0; i < 4; i++) {
		read_result r;
		read_csv_text(&r, texts[i]);
		ck_assert_msg(r.n == 2 && r.rejected == 0, "%zu: %s", i, r.diags);
		ck_assert_str_eq(r.p[1]->id, "B");
		ck_assert_int_eq(r.p[1]->line, 3);
		read_result_free(&r);
	}
}
END_TEST

/* ---- the same random patients as each form tool would export them ---- */

typedef struct tool_shape {
	const char *name;
	const char *language; /* whose words title the columns and fill the cells; NULL: ids */
	char delim;
	int quote_all;                     /* Google: every field quoted */
	const char *join;                  /* between choices of one cell */
	int trailing;                      /* Microsoft: each choice followed by ';' */
	const char *const *tool;           /* the tool's own columns, before ours */
	const char *id_title, *name_title; /* name_title NULL: no name column */
	const char *encoding;              /* iconv's name; NULL: UTF-8 */
	int bom;
	const char *eol;
} tool_shape;

static const char *const google_en[] = {"Timestamp", "Email address", NULL};
static const char *const google_es[] = {"Marca temporal", "Dirección de correo electrónico", NULL};
static const char *const google_zh[] = {"时间戳", "电子邮件地址", NULL};
static const char *const ms_en[] = {
    "ID", "Start time", "Completion time", "Email", "Name", "Last modified time", NULL};
static const char *const ms_es[] = {
    "Id.", "Hora de inicio", "Hora de finalización", "Correo electrónico", "Nombre", NULL};
static const char *const no_tool[] = {NULL};

static const tool_shape shapes[] = {
    {"google-en", "en", ',', 1, ", ", 0, google_en, "Patient ID", "Name", NULL, 0, "\r\n"},
    {"google-es", "es", ',', 1, ", ", 0, google_es, "id", "Nombre", NULL, 0, "\n"},
    {"google-zh", "zh-Hans", ',', 1, ", ", 0, google_zh, "Patient ID", "姓名", NULL, 0, "\r\n"},
    {"ms-en", "en", ',', 0, "", 1, ms_en, "Patient ID", NULL, NULL, 1, "\r\n"},
    {"ms-es", "es", ',', 0, "", 1, ms_es, "Patient ID", NULL, NULL, 1, "\r\n"},
    /* Excel writes a character Windows-1252 lacks as "?": //TRANSLIT does as much */
    {"excel-eu-cp1252", NULL, ';', 0, ";", 0, no_tool, "id", "name", "WINDOWS-1252//TRANSLIT", 0, "\r\n"},
    {"excel-unicode-text", "es", '\t', 0, ", ", 0, no_tool, "id", "name", "UTF-16", 0, "\r\n"},
};

static void put_cell(strbuf *sb, const tool_shape *sh, const char *text, int first)
{
	if (!first)
		sb_putc(sb, sh->delim);
	int quote = sh->quote_all || strchr(text, sh->delim) || strchr(text, '"') || strchr(text, '\n');
	if (quote)
		sb_putc(sb, '"');
	for (const char *c = text; *c; c++) {
		if (*c == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *c);
	}
	if (quote)
		sb_putc(sb, '"');
}

typedef struct shape_run {
	const tool_shape *sh;
	const content *c;
	strbuf out;
	int row;
} shape_run;

static int write_shape_row(void *ctx, patient *p)
{
	shape_run *sr = ctx;
	const tool_shape *sh = sr->sh;
	const content *c = sr->c;
	const questionnaire *q = &c->questionnaire;
	int first = 1;
	for (size_t i = 0; sh->tool[i]; i++, first = 0) {
		char cell[64];
		format_into(cell, sizeof cell,
		            strstr(sh->tool[i], "ID") || strstr(sh->tool[i], "Id") ? "%d"
		            : i == 0 ? "2026/11/%02d 9:31:07 AM GMT"
		                     : "",
		            sr->row + 1);
		put_cell(&sr->out, sh, cell, first);
	}
	put_cell(&sr->out, sh, p->id, first);
	if (sh->name_title)
		put_cell(&sr->out, sh, p->name ? p->name : "", 0);
	for (size_t qi = 0; qi < q->nquestions; qi++) {
		const question *qu = &q->questions[qi];
		const answer *a = &p->answers[qi];
		strbuf cell = {0};
		for (size_t k = 0; k < a->nvalues; k++) {
			const char *v = a->values[k];
			if (sh->language && qu->type == Q_CHOICE)
				v = question_find_choice(qu, v)->label;
			else if (sh->language && qu->type == Q_BOOLEAN)
				v = locale_word(&c->words, strcmp(v, "yes") == 0 ? W_YES : W_NO);
			sb_printf(&cell, "%s%s%s", k && !sh->trailing ? sh->join : "", v,
			          sh->trailing && qu->multiple ? ";" : "");
		}
		put_cell(&sr->out, sh, cell.data ? cell.data : "", 0);
		sb_free(&cell);
	}
	sb_append(&sr->out, sh->eol);
	sr->row++;
	patient_free(p);
	return 0;
}

/* The patients of native file in as shape sh, into file out. */
static void write_shape(const tool_shape *sh, const char *in, const char *out)
{
	const content *c = shipped_content_in(sh->language);
	ck_assert_ptr_nonnull(c);
	shape_run sr = {sh, c, {0}, 0};
	if (sh->bom)
		sb_append(&sr.out, "\xEF\xBB\xBF");
	int first = 1;
	for (size_t i = 0; sh->tool[i]; i++, first = 0)
		put_cell(&sr.out, sh, sh->tool[i], first);
	put_cell(&sr.out, sh, sh->id_title, first);
	if (sh->name_title)
		put_cell(&sr.out, sh, sh->name_title, 0);
	for (size_t qi = 0; qi < c->questionnaire.nquestions; qi++)
		put_cell(&sr.out, sh,
		         sh->language ? c->questionnaire.questions[qi].text
		                      : c->questionnaire.questions[qi].id,
		         0);
	sb_append(&sr.out, sh->eol);
	char *paths[] = {(char *)in};
	reader_stats st;
	reader_each(paths, 1, &shipped_content()->questionnaire, NULL, write_shape_row, &sr, &st);
	ck_assert_uint_eq(st.rejected, 0);
	char *bytes = sr.out.data;
	size_t len = sr.out.len;
	char *encoded = NULL;
	if (sh->encoding) {
		iconv_t cd = iconv_open(sh->encoding, "UTF-8");
		ck_assert(cd != (iconv_t)-1);
		size_t cap = len * 4 + 4, left = cap;
		encoded = xmalloc(cap);
		char *from = bytes, *to = encoded;
		size_t from_left = len;
		ck_assert(iconv(cd, &from, &from_left, &to, &left) != (size_t)-1);
		iconv_close(cd);
		bytes = encoded, len = cap - left;
	}
	FILE *f = fopen(out, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, len, f), len);
	fclose(f);
	free(encoded);
	sb_free(&sr.out);
}

/* Random patients (tests/gen_patients.c) written as each tool exports them, by this test's own
 * writer from the shipped wording, explain exactly as the native file. */
START_TEST(generated_patients_in_every_tool_shape)
{
	const tool_shape *sh = &shapes[_i];
	char dir[4096], in[600], csv[600];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(in, sizeof in, "%s/in.xml", dir);
	format_into(csv, sizeof csv, "%s/%s.csv", dir, sh->name);
	char cmd[4096];
	format_into(cmd, sizeof cmd, "cd '%s' && build/gen_patients 300 %d > '%s'", data_dir(), 11 + _i, in);
	int status;
	free(run_command(cmd, &status));
	ck_assert_int_eq(status, 0);
	write_shape(sh, in, csv);
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && HANDOUT_DATA=. ./handout explain '%2$s' > '%3$s/native.out' 2>/dev/null && "
	            "HANDOUT_DATA=. ./handout explain '%4$s' > '%3$s/csv.out' 2>'%3$s/err'; echo rc=$?; "
	            "cmp '%3$s/native.out' '%3$s/csv.out' && echo same; grep -c . '%3$s/err'",
	            data_dir(), in, dir, csv);
	char *out = run_command(cmd, &status);
	ck_assert_msg(strncmp(out, "rc=0\nsame\n", 10) == 0, "%s: %s", sh->name, out);
	/* one warning: the tool's columns, or the encoding */
	int warnings = sh->tool[0] != NULL || (sh->encoding && strcmp(sh->encoding, "UTF-16") != 0);
	ck_assert_msg(strcmp(out + 10, warnings ? "1\n" : "0\n") == 0, "%s: %s", sh->name, out);
	free(out);
}
END_TEST

START_TEST(bad_header_refuses_the_file)
{
	read_result r;
	read_csv_text(&r, "id,pain-score,favourite-colour\nA,3,blue\n");
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(r.files_failed, 1);
	ck_assert_msg(
	    strstr(r.diags,
	           "answers.csv:1: column 3: 'favourite-colour' is neither a patient field nor a question"),
	    "%s", r.diags);
	read_result_free(&r);
	read_csv_text(&r, "id,pain-score,pain-score\nA,3,4\n");
	ck_assert_msg(strstr(r.diags, "answers.csv:1: columns 2 and 3 both give pain-score"), "%s", r.diags);
	read_result_free(&r);
}
END_TEST

Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("rows");
	tcase_add_test(tc, rows_become_patients);
	tcase_add_test(tc, bad_rows_name_line_and_column);
	tcase_add_test(tc, bad_header_refuses_the_file);
	tcase_add_test(tc, overlong_line_is_its_rows_error);
	tcase_add_test(tc, form_tool_exports_explain_like_native);
	tcase_add_test(tc, names_in_every_encoding);
	tcase_add_test(tc, microsoft_forms_own_columns_are_not_the_patients);
	tcase_add_test(tc, labels_and_wording_in_any_language);
	tcase_add_test(tc, unknown_columns_are_named_and_can_be_passed_over);
	tcase_add_test(tc, windows_1252_and_mixed_files);
	tcase_add_test(tc, nul_bytes_are_the_rows_error);
	tcase_add_test(tc, an_unclosed_quote_costs_only_its_row);
	tcase_add_test(tc, every_line_end);
	tcase_add_loop_test(tc, generated_patients_in_every_tool_shape, 0, sizeof shapes / sizeof *shapes);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
