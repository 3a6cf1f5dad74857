/* check_form.c: the blank questionnaire read back from its PDF: every question and every
 * choice in the language asked for, within the page limit of each template; the CSV header
 * a form tool should export. */
#include "content.h"
#include "helpers.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const templates[] = {"a4", "letter", "a4-large", "letter-large"};
static const char *const languages[] = {"en", "es"};

START_TEST(form_holds_every_question_and_fits)
{
	const char *tmpl = templates[_i % 4], *lang = languages[_i / 4];
	const content *c = shipped_content_in(lang);
	ck_assert_ptr_nonnull(c);
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(mktemp -d) && HANDOUT_DATA=. ./handout form -q --language %s -t %s "
	            "--settings examples/clinic.xml -o $D/form.pdf && pdfinfo $D/form.pdf | sed -n "
	            "'s/^Pages: *//p' && "
	            "echo ===== && pdftotext -enc UTF-8 $D/form.pdf - ; rm -r $D",
	            data_dir(), lang, tmpl);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	int pages = atoi(out);
	int large = strstr(tmpl, "large") != NULL;
	ck_assert_msg(pages >= 1 && pages <= (large ? 5 : 2), "%s %s: %d pages", lang, tmpl, pages);
	char *text = text_normalize_space(strstr(out, "=====") + 5);
	const questionnaire *q = &c->questionnaire;
	for (size_t i = 0; i < q->nquestions; i++) {
		char *want = text_normalize_space(q->questions[i].text);
		ck_assert_msg(strstr(text, want), "%s %s: question %s missing", lang, tmpl,
		              q->questions[i].id);
		free(want);
		for (size_t k = 0; k < q->questions[i].nchoices; k++)
			ck_assert_msg(strstr(text, q->questions[i].choices[k].label),
			              "%s %s: choice %s missing", lang, tmpl,
			              q->questions[i].choices[k].value);
	}
	ck_assert_ptr_nonnull(strstr(text, locale_word(&c->words, W_YES)));
	/* A line for the patient's id, which every input needs, and the red flags' warning. */
	char *id = text_normalize_space(locale_word(&c->words, W_FORM_ID)),
	     *tell_raw =
	         locale_format(&c->words, W_FORM_TELL_STAFF, "first", "14", "last", "18", (const char *)NULL),
	     *tell = text_normalize_space(tell_raw);
	free(tell_raw);
	ck_assert_msg(strstr(text, id), "%s %s: no line for the patient id", lang, tmpl);
	ck_assert_msg(strstr(text, tell), "%s %s: no 'tell a member of staff now'", lang, tmpl);
	/* ... placed before the first red flag (saddle numbness) and after the question before it. */
	char *saddle = text_normalize_space(q->questions[questionnaire_find(q, "saddle-numbness")].text);
	char *before = text_normalize_space(q->questions[questionnaire_find(q, "leg-numbness")].text);
	ck_assert_msg(strstr(text, before) < strstr(text, tell) && strstr(text, tell) < strstr(text, saddle),
	              "%s %s: the warning is not at the red flags", lang, tmpl);
	free(id), free(tell), free(saddle), free(before);
	ck_assert_ptr_nonnull(strstr(text, "10")); /* the pain scale's boxes are labelled 0 to 10 */
	free(text);
	free(out);
}
END_TEST

START_TEST(csv_header_is_what_the_reader_reads)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(mktemp -d) && HANDOUT_DATA=. ./handout form --csv-header > $D/a.csv && "
	            "head -c 70 $D/a.csv && echo && printf 'P1,Ann,en,,,,3' >> $D/a.csv && "
	            "printf ',%%.0s' $(seq 1 22) >> $D/a.csv && echo >> $D/a.csv && HANDOUT_DATA=. ./handout "
	            "explain $D/a.csv; "
	            "rc=$?; rm -r $D; exit $rc",
	            data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_msg(
	    strncmp(out, "id,name,language,phone,birth-date,address,pain-score,pain-location", 66) == 0, "%s",
	    out);
	ck_assert_msg(strstr(out, "{\"patient\":\"P1\""), "%s", out);
	free(out);
}
END_TEST

Suite *form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("paper questionnaire");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, form_holds_every_question_and_fits, 0, 8);
	tcase_add_test(tc, csv_header_is_what_the_reader_reads);
	suite_add_tcase(s, tc);
	return s;
}
