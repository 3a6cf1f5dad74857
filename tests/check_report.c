/* check_report.c: the run report read back from its PDF: the counts, the call list in its
 * order (every urgent patient, then every prompt one, as explain says), the header of a
 * long table repeated on each page, errors with file:line, owner-only. */
#include "helpers.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The ids explain gives each notice level, in input order, space-separated. */
static char *ids_with_notice(const char *input, const char *notice)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "cd '%s' && HANDOUT_DATA=. ./handout explain '%s' 2>/dev/null | "
	            "grep '\"notice\":\"%s\"' | sed 's/^{\"patient\":\"\\([^\"]*\\)\".*/\\1/' | tr '\\n' ' '",
	            data_dir(), input, notice);
	int status;
	return run_command(cmd, &status);
}

/* Each id of ids appears in text after from, in the given order, before until (if any). */
static void assert_in_order(const char *text, const char *from, const char *until, const char *ids)
{
	const char *at = strstr(text, from);
	ck_assert_msg(at != NULL, "no \"%s\" in the report", from);
	const char *end = until ? strstr(at, until) : NULL;
	char *copy = strdup(ids);
	size_t n = 0;
	for (char *save, *id = strtok_r(copy, " ", &save); id; id = strtok_r(NULL, " ", &save), n++) {
		const char *hit = strstr(at, id);
		ck_assert_msg(hit && (!end || hit < end), "%s is not where it should be after \"%s\"", id,
		              from);
		at = hit + strlen(id);
	}
	free(copy);
}

START_TEST(report_counts_and_call_list)
{
	char dir[4096], input[700], cmd[4000];
	format_into(dir, sizeof dir, "%s", temp_dir());
	format_into(input, sizeof input, "%s/in.xml", dir);
	/* Generated patients (some urgent, many prompt), two who need a doctor today (one of
	 * them first in the file, so the list's order is not the file's) and one rejected. */
	format_into(cmd, sizeof cmd,
	            "cd '%s' && build/gen_patients 150 5 | sed 's#</patients>#<patient id=\"BAD-1\"><answers>"
	            "<answer q=\"pain-score\">12</answer></answers></patient>"
	            "<patient id=\"TODAY-2\"><answers><answer q=\"pain-score\">3</answer>"
	            "<answer q=\"cancer-history\">yes</answer><answer "
	            "q=\"weight-loss\">yes</answer></answers></patient>"
	            "</patients>#; s#<patients>#<patients><patient id=\"TODAY-1\"><answers><answer "
	            "q=\"pain-score\">6</answer>"
	            "<answer q=\"cancer-history\">yes</answer><answer "
	            "q=\"night-pain\">yes</answer></answers></patient>#'"
	            " > '%s' && "
	            "HANDOUT_DATA=. ./handout batch -q --report --settings examples/clinic.xml --date "
	            "2026-11-24 '%s' -o '%s/out'; "
	            "echo rc=$?; pdftotext -layout '%s/out/report.pdf' -",
	            data_dir(), input, input, dir, dir);
	int status;
	char *text = run_command(cmd, &status);
	ck_assert_msg(strstr(text, "rc=1"), "%s", text); /* one patient was rejected */
	char *urgent = ids_with_notice(input, "urgent"), *today = ids_with_notice(input, "today"),
	     *prompt = ids_with_notice(input, "prompt");
	ck_assert_str_eq(today, "TODAY-1 TODAY-2 ");
	size_t nurgent = 0, nprompt = 0;
	for (const char *s = urgent; (s = strchr(s, ' ')) != NULL; s++)
		nurgent++;
	for (const char *s = prompt; (s = strchr(s, ' ')) != NULL; s++)
		nprompt++;
	ck_assert_uint_gt(nurgent, 0);
	ck_assert_uint_gt(nprompt, 20);
	/* The counts, each on its line. */
	static const char *const labels[] = {"Patients read", "Urgent: call now", "Today: call today",
	                                     "Prompt: call soon", "Errors (no handout)"};
	size_t values[] = {153, nurgent, 2, nprompt, 1};
	for (int i = 0; i < 5; i++) {
		const char *line = strstr(text, labels[i]);
		ck_assert_ptr_nonnull(line);
		size_t v = 0;
		ck_assert_int_eq(sscanf(line + strlen(labels[i]), " %zu", &v), 1);
		ck_assert_uint_eq(v, values[i]);
	}
	/* Whom to phone: every urgent patient, then every today one, then every prompt one,
	 * the answers that raised it in words, not ids. */
	assert_in_order(text, "Call now: urgent", "Call today: today", urgent);
	assert_in_order(text, "Call today: today", "Call soon: prompt", today);
	assert_in_order(text, "Call soon: prompt", "Causes chosen", prompt);
	ck_assert_msg(strstr(text, "has had cancer;") && strstr(text, "bad pain") && strstr(text, "weight"),
	              "the today answers are not in words");
	ck_assert_msg(strstr(text, "fever or shivers") && !strstr(text, "fever yes"),
	              "the urgent answers are not in words");
	/* The error, with its file and line. */
	ck_assert_msg(strstr(text, "BAD-1") && strstr(text, "in.xml:"), "%s", text);
	char *flat = text_normalize_space(text); /* the message wraps where the path's length puts it */
	ck_assert_ptr_nonnull(strstr(flat, "outside 0..10"));
	free(flat);
	free(text);
	free(urgent);
	free(today);
	free(prompt);

	/* The call list runs over pages: each page it goes on to starts with its header row. */
	format_into(cmd, sizeof cmd, "pdfinfo '%s/out/report.pdf' | awk '/^Pages:/ {print $2}'", dir);
	char *pages_text = run_command(cmd, &status);
	int pages = atoi(pages_text);
	free(pages_text);
	ck_assert_int_ge(pages, 3);
	int continued = 0;
	for (int pg = 2; pg <= pages; pg++) {
		format_into(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s/out/report.pdf' -", pg, pg,
		            dir);
		char *page = run_command(cmd, &status);
		/* A page whose first body line is a call-list row must start with the header. */
		const char *body = strstr(page, "2026\n");
		ck_assert_ptr_nonnull(body);
		body += 5;
		while (*body == '\n' || *body == ' ')
			body++;
		if (strncmp(body, "G0", 2) == 0)
			ck_abort_msg("page %d starts with a row, not the header", pg);
		if (strncmp(body, "ID", 2) == 0) {
			ck_assert_msg(strstr(body, "Answers that raised it") != NULL, "page %d", pg);
			continued++;
		}
		free(page);
	}
	ck_assert_int_ge(continued, 1);
	struct stat st;
	char path[4096];
	format_into(path, sizeof path, "%s/out/report.pdf", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

/* Issue 21: the call list broke ids and phone numbers mid-token ("RF-SADDL/E-en",
 * "+44 7700/900999": a misdial waiting to happen). Long ids and phones of every shape, in
 * the shipped template and in large print: each is read back whole, on one line. */
START_TEST(call_list_never_breaks_an_id_or_a_phone)
{
	static const char *const ids[] = {"RF-SADDLE-en", "URGENT-2026-11-24-0001", "P-7F3A9C2E-4B1D"};
	static const char *const phones[] = {"+44 7700 900999", "+1 (555) 010-9999", "0049 30 901820 0"};
	const char *dir = temp_dir();
	strbuf in = {0};
	sb_append(&in, "<patients>");
	for (int i = 0; i < 3; i++)
		sb_printf(&in,
		          "<patient id=\"%s\"><name>Alexandra "
		          "Konstantinopoulou-Smythe</name><phone>%s</phone><answers>"
		          "<answer q=\"pain-score\">5</answer><answer q=\"saddle-numbness\">yes</answer>"
		          "<answer q=\"bladder-bowel\">yes</answer><answer "
		          "q=\"fever\">yes</answer></answers></patient>",
		          ids[i], phones[i]);
	sb_append(&in, "</patients>");
	const char *input = write_temp("long.xml", in.data);
	sb_free(&in);
	static const char *const templates[] = {"a4", "letter-large"};
	for (int t = 0; t < 2; t++) {
		char cmd[4096];
		format_into(cmd, sizeof cmd,
		            "cd '%s' && ./handout batch -q --report -t %s --settings examples/clinic.xml "
		            "--date 2026-11-24 '%s' "
		            "-o '%s/%s' && pdftotext -layout '%s/%s/report.pdf' - | sed 's/\xc2\xa0/ /g'",
		            data_dir(), templates[t], input, dir, templates[t], dir, templates[t]);
		int status;
		char *text = run_command(cmd, &status);
		ck_assert_int_eq(status, 0);
		for (int i = 0; i < 3; i++) {
			ck_assert_msg(strstr(text, ids[i]), "%s: id %s broken", templates[t], ids[i]);
			ck_assert_msg(strstr(text, phones[i]), "%s: phone %s broken", templates[t],
			              phones[i]);
		}
		free(text);
	}
}
END_TEST

Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("run report");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, report_counts_and_call_list);
	tcase_add_test(tc, call_list_never_breaks_an_id_or_a_phone);
	suite_add_tcase(s, tc);
	return s;
}
