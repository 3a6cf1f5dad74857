/* check_answers.c: native answers are read and checked against the questionnaire; each
 * kind of bad answer rejects that patient only, with file:line, patient and question. */
#include "content.h"
#include "diag.h"
#include "helpers.h"
#include "questionnaire.h"
#include "read_native.h"
#include "reader.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One patient a line, so line N holds the patient on line N. */
static const char bad_answers[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<patients>\n"
    "<patient id=\"A\"><answers><answer q=\"pain-score\">4</answer></answers></patient>\n"
    "<patient id=\"B\"><answers><answer q=\"pain-score\">4</answer><answer "
    "q=\"shoe-size\">42</answer></answers></patient>\n"
    "<patient id=\"C\"><answers><answer q=\"pain-score\">four</answer></answers></patient>\n"
    "<patient id=\"D\"><answers><answer q=\"pain-score\">11</answer></answers></patient>\n"
    "<patient id=\"E\"><answers><answer q=\"pain-score\">3</answer><answer "
    "q=\"pressure\">brutal</answer></answers></patient>\n"
    "<patient id=\"F\"><answers><answer q=\"pain-score\">3</answer><answer "
    "q=\"fever\">maybe</answer></answers></patient>\n"
    "<patient id=\"A\"><answers><answer q=\"pain-score\">2</answer></answers></patient>\n"
    "<patient id=\"G\"><answers><answer q=\"pressure\">light</answer></answers></patient>\n"
    "<patient id=\"../etc\"><answers><answer q=\"pain-score\">2</answer></answers></patient>\n"
    "<patient id=\"H\"><answers><answer q=\"pain-score\">3</answer><answer "
    "q=\"onset\">during</answer><answer q=\"onset\">before</answer></answers></patient>\n"
    "<patient id=\"I\"><answers><answer q=\"pain-score\">2.5</answer></answers></patient>\n"
    "<patient id=\"J\"><name>Zoë</name><answers><answer q=\"pain-score\"> 1 </answer><answer "
    "q=\"fever\">FALSE</answer></answers></patient>\n"
    "</patients>\n";

typedef struct expected {
	const char *id;
	int line;
	const char *message; /* NULL: valid */
	refusal_code code;   /* what the message is, as data */
} expected;

static const expected cases[] = {
    {"A", 3, NULL, REFUSAL_NONE},
    {"B", 4, "patient B: question shoe-size: no such question in questionnaire lbp-after-massage",
     REFUSAL_NO_QUESTION},
    {"C", 5, "patient C: question pain-score: not a plain whole number (digits, at most 9)",
     REFUSAL_NOT_WHOLE},
    {"D", 6, "patient D: question pain-score: outside 0..10", REFUSAL_RANGE},
    {"E", 7, "patient E: question pressure: not one of: light, moderate, strong, painful",
     REFUSAL_NOT_CHOICE},
    {"F", 8, "patient F: question fever: not yes or no", REFUSAL_NOT_YES_NO},
    {"A", 9, "patient A: duplicate patient id", REFUSAL_DUPLICATE_ID},
    {"G", 10, "patient G: question pain-score: required answer is missing", REFUSAL_MISSING},
    {"?", 11, "patient ?: id may hold only letters, digits", REFUSAL_BAD_ID}, /* the bad id is not echoed */
    {"H", 12, "patient H: question onset: answered more than once", REFUSAL_ONE_ANSWER},
    {"I", 13, "patient I: question pain-score: not a plain whole number (digits, at most 9)",
     REFUSAL_NOT_WHOLE},
    {"J", 14, NULL, REFUSAL_NONE},
};

START_TEST(each_bad_answer_rejects_only_its_patient)
{
	const char *path = write_temp("answers.xml", bad_answers);
	const content *c = shipped_content();
	id_set *seen = id_set_new();
	capture_start();
	reader *r = reader_open(path, &(reader_run){&c->questionnaire, seen});
	ck_assert_ptr_nonnull(r);
	size_t n = 0;
	patient *p;
	while ((p = reader_next(r)) != NULL) {
		ck_assert_uint_lt(n, sizeof cases / sizeof cases[0]);
		const expected *e = &cases[n++];
		ck_assert_str_eq(p->id, e->id);
		ck_assert_int_eq(p->error_code, e->code);
		if (!e->message) {
			ck_assert_msg(p->error == NULL, "patient %s rejected: %s", p->id, p->error);
		} else {
			ck_assert_msg(p->error != NULL, "patient %s (line %d) was accepted", e->id, e->line);
			char want[4096];
			format_into(want, sizeof want, "%s:%d: %s", path, e->line, e->message);
			ck_assert_msg(strncmp(p->error, want, strlen(want)) == 0, "got '%s'\nwant '%s'",
			              p->error, want);
			ck_assert_msg(strstr(captured(), want) != NULL, "not reported: %s", want);
		}
		patient_free(p);
	}
	capture_stop();
	ck_assert_uint_eq(n, sizeof cases / sizeof cases[0]);
	ck_assert(!reader_failed(r));
	reader_close(r);
	id_set_free(seen);
}
END_TEST

START_TEST(values_are_normalised)
{
	patient *p = patient_from_string(
	    "<patient id=\"N1\"><name>  Zoë \n Ångström </name><answers questionnaire=\"lbp-after-massage\" "
	    "date=\"2026-01-02\">"
	    "<answer q=\"pain-score\"> 7 </answer><answer q=\"fever\">TRUE</answer>"
	    "<answer q=\"pain-location\">left</answer><answer q=\"pain-location\">thigh</answer>"
	    "<answer q=\"pain-location\">left</answer></answers></patient>");
	ck_assert_ptr_null(p->error);
	ck_assert_str_eq(p->name, "Zoë Ångström");
	ck_assert_str_eq(p->date, "2026-01-02");
	const questionnaire *q = &shipped_content()->questionnaire;
	const answer *score = &p->answers[questionnaire_find(q, "pain-score")];
	ck_assert_uint_eq(score->nvalues, 1);
	ck_assert(score->number == 7);
	ck_assert_str_eq(p->answers[questionnaire_find(q, "fever")].values[0], "yes");
	const answer *loc = &p->answers[questionnaire_find(q, "pain-location")];
	ck_assert_uint_eq(loc->nvalues, 2);
	ck_assert_str_eq(loc->values[0], "left");
	ck_assert_str_eq(loc->values[1], "thigh");
	ck_assert(!patient_answered(p, questionnaire_find(q, "pregnant")));
	patient_free(p);
}
END_TEST

START_TEST(wrong_questionnaire_rejected)
{
	capture_start();
	patient *p = patient_from_string("<patient id=\"W\"><answers questionnaire=\"phq-9\">"
	                                 "<answer q=\"pain-score\">3</answer></answers></patient>");
	capture_stop();
	ck_assert_ptr_nonnull(p->error);
	ck_assert_ptr_nonnull(
	    strstr(p->error, "answers are for questionnaire 'phq-9', not 'lbp-after-massage'"));
	patient_free(p);
}
END_TEST

START_TEST(single_patient_root_is_read)
{
	const char *path = write_temp("one.xml", "<?xml version=\"1.0\"?>\n<patient id=\"S1\"><answers>"
	                                         "<answer q=\"pain-score\">2</answer></answers></patient>\n");
	reader *r = reader_open(path, &(reader_run){&shipped_content()->questionnaire, NULL});
	ck_assert_ptr_nonnull(r);
	patient *p = reader_next(r);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->id, "S1");
	ck_assert_ptr_null(p->error);
	patient_free(p);
	ck_assert_ptr_null(reader_next(r));
	reader_close(r);
}
END_TEST

START_TEST(wrong_root_refused)
{
	const char *path = write_temp("wrong.xml", "<?xml version=\"1.0\"?>\n<people/>\n");
	capture_start();
	reader *r = reader_open(path, &(reader_run){&shipped_content()->questionnaire, NULL});
	capture_stop();
	ck_assert_ptr_null(r);
	ck_assert_ptr_nonnull(
	    strstr(captured(),
	           "expected <patient> or <patients> with no namespace as the root element, found <people>"));
}
END_TEST

/* The format is told from the content, whatever the file is called: XML after a byte
 * order mark and blank lines is read; JSON, an empty file and other text are refused with
 * a sentence saying why. */
START_TEST(format_is_told_from_the_content)
{
	const char *xml =
	    write_temp("answers.json", "\xEF\xBB\xBF\n\n<patient id=\"B\"><answers>"
	                               "<answer q=\"pain-score\">2</answer></answers></patient>\n");
	reader *r = reader_open(xml, &(reader_run){&shipped_content()->questionnaire, NULL});
	ck_assert_ptr_nonnull(r);
	patient *p = reader_next(r);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->id, "B");
	ck_assert_ptr_null(p->error);
	patient_free(p);
	reader_close(r);
	static const struct {
		const char *text, *says;
	} refused[] = {{"{\n\"resourceType\": \"Observation\"\n}",
	                "holds no QuestionnaireResponse (it holds Observation)"},
	               {"", "the file is empty"},
	               {"name,pain-score\nA,3\n", "not a format handout reads"}};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		const char *path = write_temp("patients.xml", refused[i].text);
		capture_start();
		r = reader_open(path, &(reader_run){&shipped_content()->questionnaire, NULL});
		capture_stop();
		ck_assert_ptr_null(r);
		ck_assert_msg(strstr(captured(), refused[i].says), "%s", captured());
	}
}
END_TEST

/* A value is checked without a patient: the refusal as data (its code, the question, the
 * value, the range), and the words staff read, the same as a reader prints. */
START_TEST(refusals_are_data)
{
	const questionnaire *q = &shipped_content()->questionnaire;
	const question *score = &q->questions[questionnaire_find(q, "pain-score")];
	const question *pressure = &q->questions[questionnaire_find(q, "pressure")];
	const question *onset = &q->questions[questionnaire_find(q, "onset")];
	const question *fever = &q->questions[questionnaire_find(q, "fever")];
	char *v = NULL;
	double n = -1;
	refusal why;
	const char *eleven = "11";
	ck_assert_int_eq(patient_check_answer(score, 0, eleven, &v, &n, &why), -1);
	ck_assert_int_eq(why.code, REFUSAL_RANGE);
	ck_assert_ptr_eq(why.question, score);
	ck_assert_ptr_eq(why.value, eleven);
	ck_assert(why.min == 0 && why.max == 10);
	ck_assert_ptr_null(v);
	static const struct {
		const char *qid, *raw;
		size_t given;
		refusal_code code;
		const char *text;
	} checks[] = {
	    {"pain-score", "four", 0, REFUSAL_NOT_WHOLE, "not a plain whole number (digits, at most 9)"},
	    {"pain-score", "0x5", 0, REFUSAL_NOT_WHOLE, "not a plain whole number (digits, at most 9)"},
	    {"pain-score", "-1", 0, REFUSAL_RANGE, "outside 0..10"},
	    {"pressure", "brutal", 0, REFUSAL_NOT_CHOICE, "not one of: light, moderate, strong, painful"},
	    {"onset", "before", 1, REFUSAL_ONE_ANSWER, "answered more than once (it takes one answer)"},
	    {"fever", "maybe", 0, REFUSAL_NOT_YES_NO, "not yes or no"},
	    {"fever", " \t ", 0, REFUSAL_EMPTY, "empty answer"},
	};
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		const question *qu = &q->questions[questionnaire_find(q, checks[i].qid)];
		ck_assert_int_eq(patient_check_answer(qu, checks[i].given, checks[i].raw, &v, &n, &why), -1);
		ck_assert_int_eq(why.code, checks[i].code);
		strbuf text = {0};
		refusal_text(&why, q, &text);
		ck_assert_str_eq(text.data, checks[i].text);
		sb_free(&text);
	}
	/* Taken: normalised, with a number's value. */
	ck_assert_int_eq(patient_check_answer(score, 0, " 7 ", &v, &n, &why), 0);
	ck_assert_str_eq(v, "7");
	ck_assert(n == 7);
	free(v);
	ck_assert_int_eq(patient_check_answer(fever, 0, "TRUE", &v, &n, &why), 0);
	ck_assert_str_eq(v, "yes");
	free(v);
	ck_assert_int_eq(patient_check_answer(pressure, 0, "light", &v, &n, &why), 0);
	free(v);
	ck_assert_int_eq(patient_check_answer(onset, 0, "during", &v, &n, &why), 0);
	free(v);
	/* The fields: a name too long says its limit. */
	char name[260];
	memset(name, 'a', 201);
	name[201] = '\0';
	ck_assert_int_eq(patient_check_name(name, &why), -1);
	ck_assert_int_eq(why.code, REFUSAL_NAME_LONG);
	ck_assert_uint_eq(why.limit, 200);
	ck_assert_int_eq(patient_check_name("Zo\xC3\xAB", &why), 0);
	ck_assert_int_eq(patient_check_name("Zo\xFF", &why), -1);
	ck_assert_int_eq(why.code, REFUSAL_NAME_UTF8);
	ck_assert_int_eq(patient_check_language("es", &why), 0);
	ck_assert_int_eq(patient_check_language(name, &why), -1);
	ck_assert_int_eq(why.code, REFUSAL_LANGUAGE_LONG);
	/* A reader's own reason is a refusal of its own kind. */
	patient *p = patient_new("f.xml", 1, q);
	capture_start();
	patient_reject(p, 2, NULL, "more than one <answers>");
	capture_stop();
	ck_assert_int_eq(p->error_code, REFUSAL_READER);
	ck_assert_str_eq(p->error, "f.xml:2: patient ?: more than one <answers>");
	patient_free(p);
}
END_TEST

Suite *answers_suite(void)
{
	Suite *s = suite_create("answers");
	TCase *tc = tcase_create("native");
	tcase_add_test(tc, each_bad_answer_rejects_only_its_patient);
	tcase_add_test(tc, values_are_normalised);
	tcase_add_test(tc, wrong_questionnaire_rejected);
	tcase_add_test(tc, single_patient_root_is_read);
	tcase_add_test(tc, wrong_root_refused);
	tcase_add_test(tc, format_is_told_from_the_content);
	tcase_add_test(tc, refusals_are_data);
	suite_add_tcase(s, tc);
	return s;
}
