/* check_csv.c: patients from CSV: fields and answers in any column order, a spreadsheet's
 * byte order mark and CRLF, quoted cells over several lines, question text as column
 * titles; each bad row is its patient's error with file:line and the column; a bad header
 * refuses the file. */
#include "helpers.h"
#include "patient.h"
#include "questionnaire.h"
#include "content.h"
#include "reader.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static void read_csv_text(read_result *r, const char *text)
{
	read_text(r, "answers.csv", text);
}

START_TEST(rows_become_patients)
{
	read_result r;
	read_csv_text(&r, "\xEF\xBB\xBF" "pressure,ID,name,address,pain-score,pain-location,"
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
	ck_assert_msg(strstr(r.diags, "answers.csv:3: patient B: question pressure: not one of: light, moderate, strong, painful"),
		      "%s", r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:4: patient C: question pain-score: required answer is missing"), "%s",
		      r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:5: patient D: the row has 3 cells; the header has 4 columns"), "%s",
		      r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:6: patient A: duplicate patient id"), "%s", r.diags);
	ck_assert_msg(strstr(r.diags, "answers.csv:7: patient ?: the row is not valid CSV"), "%s", r.diags);
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

START_TEST(bad_header_refuses_the_file)
{
	read_result r;
	read_csv_text(&r, "id,pain-score,favourite-colour\nA,3,blue\n");
	ck_assert_uint_eq(r.n, 0);
	ck_assert_uint_eq(r.files_failed, 1);
	ck_assert_msg(strstr(r.diags, "answers.csv:1: column 3: 'favourite-colour' is neither a patient field nor a question"),
		      "%s", r.diags);
	read_result_free(&r);
	read_csv_text(&r, "id,pain-score,pain-score\nA,3,4\n");
	ck_assert_msg(strstr(r.diags, "column 3: 'pain-score' is a column twice"), "%s", r.diags);
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
	suite_add_tcase(s, tc);
	return s;
}
