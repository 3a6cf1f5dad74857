/* check_ask.c: handout ask driven through a pipe (one answer a line) and through a real
 * terminal (tmux): wrong answers asked again, the pain score insisted on, the sheet made,
 * the answers saved as native XML that explain reads to the same selection; an input that
 * ends early said and recorded, one that fails making no sheet. */
#include "ask.h"
#include "content.h"
#include "helpers.h"
#include "patient.h"
#include "questionnaire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs ask with the answers on standard input; returns its output. */
static char *ask_pipe(const char *answers, const char *args, int *status)
{
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && printf '%s' | HANDOUT_DATA=. ./handout ask %s -o $D/sheet.pdf "
	    "--save $D/a.xml "
	    "2>&1; rc=$?; echo \"rc=$rc\"; [ -f $D/sheet.pdf ] && pdfinfo $D/sheet.pdf | grep -c Pages; "
	    "[ -f $D/a.xml ] && HANDOUT_DATA=. ./handout explain $D/a.xml; rm -r $D",
	    data_dir(), answers, args);
	return run_command(cmd, status);
}

START_TEST(pipe_answers_make_the_sheet)
{
	int status;
	/* 11 is out of range and an empty pain score is asked again; 9 is no choice; "1,3"
	 * gives two places; "1 2" is two answers to a one-answer question; maybe is not yes or
	 * no. Each refusal says what the question wants. */
	char *out = ask_pipe("11\\n\\n6\\n9\\n1,3\\n1 2\\n\\n\\nstrong\\n\\n\\n\\nmaybe\\ny\\n",
	                     "--id T-1 --name 'Ann Lee'", &status);
	ck_assert_msg(strstr(out, "rc=0"), "%s", out);
	ck_assert_msg(strstr(out, "Please type a whole number from 0 to 10."), "%s", out);
	ck_assert_msg(strstr(out, "Please type the number of an answer, from 1 to 6."), "%s", out);
	ck_assert_msg(strstr(out, "This question takes one answer. Please type one number."), "%s", out);
	ck_assert_msg(strstr(out, "Please type y for yes or n for no."), "%s", out);
	ck_assert_msg(strstr(out, "This question needs an answer."), "%s", out);
	ck_assert_ptr_null(strstr(out, "That answer does not fit this question."));
	/* Prompts fit the question: the pain score cannot be skipped, one answer is one number. */
	ck_assert_msg(strstr(out, "Type a number from 0 to 10: \n"), "%s", out);
	ck_assert_msg(
	    strstr(out, "When did the pain begin?\n  1. During the massage") &&
	        strstr(out, "Type the number of your answer. Press Enter to skip: \nQuestion 4 of 23"),
	    "%s", out);
	ck_assert_msg(strstr(out, "Type the number of your answer (several: separate them with spaces)"),
	              "%s", out);
	const char *sel = strstr(out, "Causes: ");
	ck_assert_ptr_nonnull(sel);
	ck_assert_msg(strstr(sel, "notice: standard"), "%s", sel);
	ck_assert_msg(strstr(out, "The sheet for T-1"), "%s", out);
	ck_assert_msg(strstr(out, "\n1\n"), "no PDF: %s", out); /* pdfinfo found it */
	/* The saved answers are the ones given: explain reads them back. */
	const char *json = strstr(out, "{\"patient\":\"T-1\"");
	ck_assert_msg(json != NULL, "%s", out);
	ck_assert_msg(strstr(json, "\"excessive-pressure\"") && strstr(json, "\"lactic-acid\""), "%s", json);
	free(out);
}
END_TEST

/* A --name (or --language) handout cannot use is refused before the first question, not after
 * the last one with the answers lost. */
START_TEST(a_bad_name_is_refused_before_asking)
{
	int status;
	char *out = ask_pipe("6\\n", "--id T-4 --name \"$(printf 'Ann\\377')\"", &status);
	ck_assert_msg(strstr(out, "handout: --name: name is not valid UTF-8; nothing was asked") &&
	                  strstr(out, "rc=2") && !strstr(out, "Question 1 of 23"),
	              "%s", out);
	free(out);
}
END_TEST

START_TEST(pipe_ends_before_the_pain_score)
{
	int status;
	char *out = ask_pipe("", "--id T-2", &status);
	ck_assert_msg(strstr(out, "rc=1") && strstr(out, "question pain-score: required answer is missing"),
	              "%s", out);
	free(out);
	out = ask_pipe("3\\n\\n\\n\\n\\n\\n\\n\\n\\n\\n\\ns\\n", "--id T-3 --language es", &status);
	ck_assert_msg(strstr(out, "rc=0") && strstr(out, "Pregunta 1 de 23"), "%s", out);
	ck_assert_msg(strstr(out, "\"notice\":\"prompt\""), "%s",
	              out); /* s is sí: the pain spreads down a leg */
	/* The input ended at question 13: said on the terminal, red flags by name, and kept in the
	 * saved answers, which explain still reads. */
	ck_assert_msg(
	    strstr(out,
	           "(ask): warning: patient T-3: the input ended at question 13 of 23: 11 questions were "
	           "never answered (leg-numbness saddle-numbness bladder-bowel") &&
	        strstr(out, "the red flags among them (saddle-numbness, bladder-bowel, leg-weakness, fever, "
	                    "trauma) call for urgent care"),
	    "%s", out);
	free(out);
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && printf '3\\n' | HANDOUT_DATA=. ./handout ask --id T-4 -o $D/s.pdf "
	    "--save $D/a.xml >/dev/null 2>&1; cat $D/a.xml; rm -r $D",
	    data_dir());
	out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "<answers questionnaire=\"lbp-after-massage\"") &&
	                  strstr(out, "not-answered=\"pain-location onset pain-days") &&
	                  strstr(out, "<!-- The input ended at question 2 of 23: these were never answered:"),
	              "%s", out);
	free(out);
}
END_TEST

/* A read of standard input that fails (here a socket reset after the pain score) is not the
 * end of the answers: no sheet is made from what came before, and the reason is said. */
START_TEST(failed_read_makes_no_sheet)
{
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && python3 -c \"import socket,subprocess,sys\n"
	    "a,b=socket.socketpair()\nb.send(b'x')\na.send(b'3\\\\n')\n"
	    "p=subprocess.Popen(sys.argv[1:],stdin=b.fileno())\nb.close()\na.close()\nsys.exit(p.wait())\" "
	    "env HANDOUT_DATA=. ./handout ask --id T-5 -o $D/s.pdf 2>&1 >/dev/null; echo rc=$?; "
	    "[ -f $D/s.pdf ] && echo SHEET-MADE; rm -r $D",
	    data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(
	    strstr(out, "handout: cannot read the answers from standard input: Connection reset by peer; no "
	                "sheet was made\nrc=1\n") &&
	        !strstr(out, "SHEET-MADE"),
	    "%s", out);
	free(out);
}
END_TEST

/* A real terminal: one screen a question, the summary, an answer changed, the sheet made. */
START_TEST(terminal_session)
{
	int status;
	char *have = run_command("command -v tmux", &status);
	free(have);
	if (status != 0) {
		fprintf(stderr, "terminal_session: tmux is not installed; skipped\n");
		return;
	}
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && S=handout-ask-$$ && "
	    "tmux -L $S new-session -d -s ask -x 100 -y 40 \"HANDOUT_DATA=. ./handout ask --id TT-1 -o "
	    "$D/s.pdf; "
	    "echo EXIT=\\$?; sleep 20\" && sleep 1 && tmux -L $S capture-pane -p -t ask > $D/first && "
	    "tmux -L $S send-keys -t ask 7 Enter && "
	    "for i in $(seq 2 23); do tmux -L $S send-keys -t ask '' Enter; sleep 0.05; done; sleep 0.5; "
	    "tmux -L $S capture-pane -p -t ask > $D/summary && tmux -L $S send-keys -t ask 5 Enter && sleep "
	    "0.3 && "
	    "tmux -L $S send-keys -t ask 4 Enter && sleep 0.3 && tmux -L $S send-keys -t ask '' Enter && "
	    "sleep 2; "
	    "tmux -L $S capture-pane -p -t ask > $D/end; tmux -L $S kill-server; "
	    "echo '== first'; cat $D/first; echo '== summary'; cat $D/summary; echo '== end'; cat $D/end; "
	    "[ -f $D/s.pdf ] && echo PDF-MADE; rm -r $D",
	    data_dir());
	char *out = run_command(cmd, &status);
	const char *first = strstr(out, "== first"), *summary = strstr(out, "== summary"),
	           *end = strstr(out, "== end");
	ck_assert_msg(first && summary && end, "%s", out);
	/* The first screen holds the first question only. */
	ck_assert_msg(strstr(first, "Question 1 of 23") && !strstr(first, "Question 2 of 23"), "%s", out);
	ck_assert_msg(strstr(summary, "Your answers") && strstr(summary, " 1. How bad is your back pain") &&
	                  strstr(summary, "23. Can you get to a swimming pool?: (not answered)"),
	              "%s", out);
	ck_assert_msg(strstr(end, "notice: prompt") && strstr(end, "EXIT=0") && strstr(out, "PDF-MADE"), "%s",
	              out);
	free(out);
}
END_TEST

/* On a terminal a refusal is said on the question's screen and nothing waits for Enter: an
 * answer typed right after it is the next try (it was swallowed by an "(Enter)"). */
START_TEST(an_answer_typed_after_a_refusal_is_taken)
{
	int status;
	char *have = run_command("command -v tmux", &status);
	free(have);
	if (status != 0) {
		fprintf(stderr, "an_answer_typed_after_a_refusal_is_taken: tmux is not installed; skipped\n");
		return;
	}
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%s' && D=$(mktemp -d) && S=handout-ask2-$$ && "
	    "tmux -L $S new-session -d -s ask -x 100 -y 40 \"HANDOUT_DATA=. ./handout ask --id TT-2 -o "
	    "$D/s.pdf; "
	    "echo EXIT=\\$?; sleep 20\" && sleep 1 && tmux -L $S send-keys -t ask 12 Enter 8 Enter && sleep "
	    "0.5 && "
	    "tmux -L $S capture-pane -p -t ask > $D/second && "
	    "for i in $(seq 2 23); do tmux -L $S send-keys -t ask '' Enter; sleep 0.05; done; sleep 0.5; "
	    "tmux -L $S capture-pane -p -t ask > $D/summary; tmux -L $S kill-server; "
	    "echo '== second'; cat $D/second; echo '== summary'; cat $D/summary; rm -r $D",
	    data_dir());
	char *out = run_command(cmd, &status);
	const char *second = strstr(out, "== second"), *summary = strstr(out, "== summary");
	ck_assert_msg(second && summary, "%s", out);
	ck_assert_msg(strstr(second, "Question 2 of 23"), "the 8 after the refusal was not taken:\n%s", out);
	ck_assert_msg(strstr(summary, " 1. How bad is your back pain") && strstr(summary, ": 8\n"), "%s",
	              out);
	free(out);
}
END_TEST

/* patient.c's refusal, as data, said in the patient's words in each shipped language: the
 * answer the question wants, never staff's English reason. */
START_TEST(refusals_are_said_in_the_patients_words)
{
	static const struct {
		const char *language, *range, *choice, *one, *yesno;
	} said[] = {
	    {"en", "Please type a whole number from 0 to 10.",
	     "Please type the number of an answer, from 1 to 6.",
	     "This question takes one answer. Please type one number.", "Please type y for yes or n for no."},
	    {"es", "Escriba un número entero del 0 al 10.",
	     "Escriba el número de una de las respuestas, del 1 al 6.",
	     "Esta pregunta admite una sola respuesta. Escriba un solo número.",
	     "Escriba s para sí o n para no."},
	    {"zh-Hans", "请输入0到10之间的整数。", "请输入答案的编号，从1到6。",
	     "这个问题只能选一个答案，请只输入一个编号。", "是请输入 y，否请输入 n。"},
	};
	const questionnaire *q = &shipped_content()->questionnaire;
	const question *score = &q->questions[questionnaire_find(q, "pain-score")];
	const question *where = &q->questions[questionnaire_find(q, "pain-location")];
	const question *onset = &q->questions[questionnaire_find(q, "onset")];
	const question *fever = &q->questions[questionnaire_find(q, "fever")];
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
		const content *c = shipped_content_in(said[i].language);
		ck_assert_ptr_nonnull(c);
		const struct {
			const question *qu;
			const char *raw;
			size_t given;
			refusal_code code;
			const char *words;
		} cases[] = {
		    {score, "11", 0, REFUSAL_RANGE, said[i].range},
		    {score, "-3", 0, REFUSAL_RANGE, said[i].range},
		    {score, "six", 0, REFUSAL_NOT_WHOLE, said[i].range},
		    {where, "head", 0, REFUSAL_NOT_CHOICE, said[i].choice},
		    {onset, "before", 1, REFUSAL_ONE_ANSWER, said[i].one},
		    {fever, "maybe", 0, REFUSAL_NOT_YES_NO, said[i].yesno},
		};
		for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
			char *v = NULL;
			double n;
			refusal why;
			ck_assert_int_eq(
			    patient_check_answer(cases[k].qu, cases[k].given, cases[k].raw, &v, &n, &why),
			    -1);
			ck_assert_int_eq(why.code, cases[k].code);
			char *words = ask_refusal_words(&c->words, cases[k].qu, &why);
			ck_assert_msg(strcmp(words, cases[k].words) == 0, "%s %s: '%s', not '%s'",
			              said[i].language, cases[k].raw, words, cases[k].words);
			free(words);
		}
	}
}
END_TEST

/* Through a pipe in Spanish and in Chinese: 11 for the pain score and 9 for where it hurts are
 * asked again in the patient's language. */
START_TEST(pipe_refusals_in_the_patients_language)
{
	static const struct {
		const char *language, *range, *choice;
	} said[] = {
	    {"es", "Escriba un número entero del 0 al 10.",
	     "Escriba el número de una de las respuestas, del 1 al 6."},
	    {"zh-Hans", "请输入0到10之间的整数。", "请输入答案的编号，从1到6。"},
	};
	for (size_t i = 0; i < sizeof said / sizeof said[0]; i++) {
		char args[200];
		format_into(args, sizeof args, "--id T-6 --language %s", said[i].language);
		int status;
		char *out = ask_pipe("11\\n6\\n9\\n1\\n", args, &status);
		ck_assert_msg(strstr(out, said[i].range) && strstr(out, said[i].choice) &&
		                  !strstr(out, "outside 0..10"),
		              "%s", out);
		free(out);
	}
}
END_TEST

Suite *ask_suite(void)
{
	Suite *s = suite_create("ask");
	TCase *tc = tcase_create("session");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pipe_answers_make_the_sheet);
	tcase_add_test(tc, pipe_ends_before_the_pain_score);
	tcase_add_test(tc, failed_read_makes_no_sheet);
	tcase_add_test(tc, terminal_session);
	tcase_add_test(tc, a_bad_name_is_refused_before_asking);
	tcase_add_test(tc, an_answer_typed_after_a_refusal_is_taken);
	tcase_add_test(tc, refusals_are_said_in_the_patients_words);
	tcase_add_test(tc, pipe_refusals_in_the_patients_language);
	suite_add_tcase(s, tc);
	return s;
}
