/* check_locale.c: handouts in the patient's language: every shipped language's section
 * titles and none of English's, tags matched by their primary subtag, a language not
 * shipped falling back to English with one warning, explain the same in every language,
 * and a translation that is incomplete or shaped otherwise than English refused. */
#include "content.h"
#include "helpers.h"
#include "locale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The languages content/ ships besides English. */
static const char *const shipped[] = {"es", "zh-Hans"};

/* The words that head a handout's sections. */
static const word_id headings[] = {W_IN_SHORT,    W_WHY_IT_HURTS, W_WHAT_YOU_CAN_DO,
                                   W_WHEN_TO_SEE, W_YOUR_PAIN,    W_LOG};

/* The text of every example handout made with every patient's language set to tag. */
static char *examples_in(const char *tag, int *status, char **diags)
{
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && sed -e '/<language>/d' -e "
	    "'s#<name>#<language>%s</language><name>#' "
	    "examples/patients.xml > $D/p.xml && HANDOUT_DATA=. ./handout build --date 2026-11-24 "
	    "--settings examples/clinic.xml $D/p.xml -o $D/out 2> $D/err; rc=$?; "
	    "for f in $D/out/P-000[1-3].pdf; do pdftotext -enc UTF-8 $f -; done; cat $D/err > $D/diags; "
	    "echo '=====' ; cat $D/diags; rm -r $D; exit $rc",
	    data_dir(), tag);
	char *out = run_command(cmd, status);
	char *sep = strstr(out, "=====\n");
	ck_assert_ptr_nonnull(sep);
	*diags = strdup(sep + 6);
	*sep = '\0';
	return out;
}

START_TEST(each_language_has_its_own_words_and_no_english)
{
	const content *en = shipped_content();
	for (size_t i = 0; i < sizeof shipped / sizeof *shipped; i++) {
		const content *c = shipped_content_in(shipped[i]);
		ck_assert_msg(c != NULL, "content/%s does not load", shipped[i]);
		int status;
		char *diags;
		char *text = examples_in(shipped[i], &status, &diags);
		ck_assert_msg(status == 0, "%s: %s", shipped[i], diags);
		for (size_t k = 0; k < sizeof headings / sizeof *headings; k++) {
			ck_assert_msg(strstr(text, locale_word(&c->words, headings[k])), "%s: no \"%s\"",
			              shipped[i], locale_word(&c->words, headings[k]));
			ck_assert_msg(!strstr(text, locale_word(&en->words, headings[k])),
			              "%s: English \"%s\"", shipped[i], locale_word(&en->words, headings[k]));
		}
		/* Nor English content: the titles of causes and exercises, the notices. */
		for (size_t k = 0; k < en->ncauses; k++)
			ck_assert_msg(!strstr(text, en->causes[k].title), "%s: English \"%s\"", shipped[i],
			              en->causes[k].title);
		for (size_t k = 0; k < en->nexercises; k++)
			ck_assert_msg(!strstr(text, en->exercises[k].title), "%s: English \"%s\"", shipped[i],
			              en->exercises[k].title);
		ck_assert_ptr_null(strstr(text, "Page 1 of"));
		ck_assert_ptr_null(strstr(text, "November"));
		free(text);
		free(diags);
	}
}
END_TEST

/* es-MX is Spanish; fr is not shipped: English, and one warning per patient naming only
 * its id. */
START_TEST(tags_and_fallback)
{
	int status;
	char *diags;
	char *text = examples_in("es-MX", &status, &diags);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(text, locale_word(&shipped_content_in("es")->words, W_IN_SHORT)));
	ck_assert_msg(!strstr(diags, "no usable translation"), "%s", diags);
	free(text);
	free(diags);
	text = examples_in("fr", &status, &diags);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(text, "In short"));
	ck_assert_msg(strstr(diags, "patient P-0001: handout has no usable translation into the patient's "
	                            "language; the handout is in English"),
	              "%s", diags);
	const char *once = strstr(diags, "patient P-0001: handout has no usable translation");
	ck_assert_msg(strstr(once + 1, "patient P-0001: handout has no usable translation") == NULL,
	              "warned twice: %s", diags);
	ck_assert_ptr_null(strstr(diags, "José")); /* ids, never names */
	free(text);
	free(diags);
}
END_TEST

/* The selection is the same in every language: explain prints the same lines. */
START_TEST(explain_does_not_depend_on_language)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && D=$(mktemp -d) && build/gen_patients 300 9 > $D/en.xml && "
	            "sed 's#<name>#<language>es</language><name>#' $D/en.xml > $D/es.xml && "
	            "HANDOUT_DATA=. ./handout explain $D/en.xml > $D/a && HANDOUT_DATA=. ./handout explain "
	            "$D/es.xml > $D/b && "
	            "cmp $D/a $D/b && wc -l < $D/a; rm -r $D",
	            data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0 && atoi(out) == 300, "%s", out);
	free(out);
}
END_TEST

/* A translation missing a step, a word or a reason, or with another choice, is refused
 * with the file that is wrong. */
START_TEST(incomplete_translation_refused)
{
	static const struct {
		const char *edit, *says;
	} cases[] = {
	    {"sed -i '0,/<step>/{/<step>/d}' content/es/exercises.xml",
	     "exercise keep-warm: has another id, steps"},
	    {"sed -i '/id=\"in-short\"/d' content/es/words.xml", "no <word id=\"in-short\">"},
	    {"sed -i '/Nos dijo que tiene fiebre/d' content/es/reasons.xml",
	     "no translation of the reason on line"},
	    {"sed -i 's/value=\"strong\" phrase=\"fuerte\"/value=\"fuerte\" phrase=\"fuerte\"/' "
	     "content/es/questionnaire.xml",
	     "question pressure: has another id, type, range or choices"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int status;
		char *out = check_edited_copy(cases[i].edit, &status);
		ck_assert_msg(status != 0, "%s: accepted", cases[i].edit);
		ck_assert_msg(strstr(out, cases[i].says) && strstr(out, "content/es"), "%s: %s",
		              cases[i].edit, out);
		free(out);
	}
}
END_TEST

/* Translations are read when first needed: a run of English patients does not read them,
 * and a broken one costs only its own patients their language, never the others their
 * handouts. Its errors are said once, naming the file; its patients get English, each with
 * a warning. handout check still reads and refuses it (incomplete_translation_refused). */
START_TEST(broken_translation_costs_only_its_language)
{
	const char *dir = temp_dir();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cp -r '%1$s/content' '%1$s/templates' '%1$s/fonts' '%2$s/' && cd '%2$s' && "
	            "sed -i '/id=\"in-short\"/d' content/es/words.xml && "
	            "printf '<patients>"
	            "<patient id=\"E1\"><answers><answer q=\"pain-score\">2</answer></answers></patient>"
	            "<patient id=\"S1\"><language>es</language><answers><answer "
	            "q=\"pain-score\">2</answer></answers></patient>"
	            "<patient id=\"S2\"><language>es-MX</language><answers><answer "
	            "q=\"pain-score\">3</answer></answers></patient>"
	            "<patient id=\"Z1\"><language>zh-CN</language><answers><answer "
	            "q=\"pain-score\">2</answer></answers></patient>"
	            "</patients>' > p.xml && "
	            "'%1$s/handout' build --data . p.xml -o out 2>&1; echo status=$?; "
	            "pdftotext out/S1.pdf - | head -5; pdftotext out/Z1.pdf - | head -3",
	            data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	/* The run goes on; the one error names the file and comes once for two patients, who
	 * get English; the Chinese patient gets Chinese. */
	ck_assert_msg(strstr(out, "status=0"), "%s", out);
	ck_assert_msg(strstr(out, "Your lower back pain after a massage"), "%s", out);
	ck_assert_msg(strstr(out, "\xE7\x97\x85\xE4\xBA\xBA\xE7\xBC\x96\xE5\x8F\xB7 Z1"), "%s",
	              out); /* 病人编号 */
	ck_assert_msg(strstr(out, "no <word id=\"in-short\">") && strstr(out, "content/es"), "%s", out);
	const char *first = strstr(out, "the translation in es/ cannot be used");
	ck_assert_msg(first && !strstr(first + 1, "the translation in es/ cannot be used"), "%s", out);
	ck_assert_msg(strstr(out, "patient S1: handout has no usable translation") &&
	                  strstr(out, "patient S2: handout has no usable translation"),
	              "%s", out);
	ck_assert_msg(!strstr(out, "patient E1:") && !strstr(out, "patient Z1:"), "%s", out);
	ck_assert_msg(strstr(out, "4 handouts written"), "%s", out);
	free(out);
}
END_TEST

Suite *locale_suite(void)
{
	Suite *s = suite_create("locale");
	TCase *tc = tcase_create("languages");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, each_language_has_its_own_words_and_no_english);
	tcase_add_test(tc, tags_and_fallback);
	tcase_add_test(tc, explain_does_not_depend_on_language);
	tcase_add_test(tc, incomplete_translation_refused);
	tcase_add_test(tc, broken_translation_costs_only_its_language);
	suite_add_tcase(s, tc);
	return s;
}
