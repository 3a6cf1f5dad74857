/* check_end_to_end.c: the built program on the shipped examples, read back with real PDF
 * tools: pdftotext, qpdf --check, pdffonts, pdfinfo and diction's style. */
#include "content.h"
#include "helpers.h"
#include "pipeline.h"
#include "read_native.h"
#include "reader.h"
#include "selection.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *demo_dir;

/* Builds the examples once into a temporary folder. */
static void build_examples(void)
{
	if (demo_dir)
		return;
	static char dir[4096];
	format_into(dir, sizeof dir, "%s/out", temp_dir());
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "'%1$s/handout' build --settings '%1$s/examples/clinic.xml' --date 2026-11-24 "
	            "'%1$s/examples/patients.xml' -o '%2$s' 2>&1",
	            data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0, "build failed (%d): %s", status, out);
	ck_assert_ptr_nonnull(strstr(out, "10 handouts written to"));
	free(out);
	demo_dir = dir;
}

static char *pdf_text(const char *pdf)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "pdftotext -raw -enc UTF-8 '%s' - 2>&1", pdf);
	int status;
	char *text = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	/* In the order written (-raw): a drawing beside the steps must not interleave its labels
	 * with them. pdftotext breaks lines where the layout did; compare with single spaces. */
	char *flat = text_normalize_space(text);
	free(text);
	return flat;
}

/* what is in text, white space aside: lines break between words, and in Chinese between
 * characters, where the text has no space. */
static char *no_space(const char *s)
{
	strbuf sb = {0};
	for (; *s; s++)
		if (*s != ' ' && *s != '\n')
			sb_putc(&sb, *s);
	return sb_take(&sb);
}

static void assert_contains(const char *text, const char *what, const char *patient_id)
{
	char *a = no_space(text), *b = no_space(what);
	ck_assert_msg(strstr(a, b) != NULL, "%s: '%s' not found in the PDF text", patient_id, what);
	free(a);
	free(b);
}

START_TEST(every_example_pdf_reads_back)
{
	build_examples();
	const content *c = shipped_content();
	char *path = path_join(data_dir(), "examples/patients.xml");
	reader *r = reader_open(path, &(reader_run){&c->questionnaire, NULL});
	ck_assert_ptr_nonnull(r);
	patient *p;
	int n = 0;
	while ((p = reader_next(r)) != NULL) {
		ck_assert_ptr_null(p->error);
		const content *lc = shipped_content_in(p->language); /* the handout's language */
		ck_assert_ptr_nonnull(lc);
		selection *s = selection_make(lc, p);
		char pdf[4096];
		format_into(pdf, sizeof pdf, "%s/%s.pdf", demo_dir, p->id);
		struct stat st;
		ck_assert_int_eq(stat(pdf, &st), 0);
		ck_assert_msg((st.st_mode & 0777) == 0600, "%s has mode %o", pdf, st.st_mode & 0777);
		char *text = pdf_text(pdf);
		assert_contains(text, patient_display_name(p), p->id);
		char *date = locale_date(&lc->words, p->date ? p->date : "2026-11-24");
		assert_contains(text, date, p->id);
		free(date);
		assert_contains(text, "Riverside Massage & Physiotherapy", p->id);
		/* The notice: its title, or a standard handout's one sentence (its title would only
		 * repeat "When to get help"). */
		const notice *no = content_notice(lc, s->notice.id);
		assert_contains(text, strcmp(no->id, "standard") ? no->title : no->summary.v[0].text, p->id);
		int urgent = strcmp(s->notice.id, "urgent") == 0;
		for (size_t i = 0; !urgent && i < s->ncauses; i++) {
			assert_contains(text, content_cause(lc, s->causes[i].id)->title, p->id);
			assert_contains(text, s->causes[i].reason, p->id);
		}
		for (size_t i = 0; i < s->nexercises; i++) {
			const exercise *ex = content_exercise(lc, s->exercises[i].id);
			assert_contains(text, ex->title, p->id);
			assert_contains(text, ex->steps.v[0].text, p->id);
			assert_contains(text, ex->dose_often, p->id);
		}
		/* "Page 1 of", "第1页，共": the page number's words up to the page count. */
		const char *tmpl = locale_word(&lc->words, W_PAGE);
		char *upto = xstrndup(tmpl, (size_t)(strstr(tmpl, "{m}") - tmpl));
		const char *keys[] = {"n"}, *values[] = {"1"};
		char *page = text_fill(upto, keys, values, 1);
		assert_contains(text, page, p->id);
		free(page);
		free(upto);
		if (urgent) {
			assert_contains(text, content_notice(lc, "urgent")->actions.v[0].text, p->id);
		} else {
			assert_contains(text, lc->standard_title, p->id);
			assert_contains(text, lc->about_review, p->id);
			/* The safety net's go-now tier, every sign of it. */
			const tier *now = content_tier(lc, "now");
			for (size_t k = 0; k < now->items.n; k++)
				if (!now->items.v[k].when || selection_holds(s, p, now->items.v[k].when))
					assert_contains(text, now->items.v[k].text, p->id);
		}
		free(text);
		selection_free(s);
		patient_free(p);
		n++;
	}
	ck_assert_int_eq(n, 10);
	reader_close(r);
	free(path);
}
END_TEST

/* An urgent handout argues for going now and nothing else: the urgent box first, the
 * reason that fits each flag, the emergency number, one page, and no cause, exercise,
 * self-care or reassurance. P-0004 reports bladder-bowel; P-0010 fever and trauma. */
START_TEST(urgent_handout_only_says_go_now)
{
	build_examples();
	const content *c = shipped_content();
	static const struct {
		const char *id, *because;
	} urgent[] = {{"P-0004", "nerves in your lower back are being badly squeezed"},
	              {"P-0010", "infection in the spine"},
	              {"P-0010", "injury to the bones of your spine"}};
	for (size_t k = 0; k < sizeof urgent / sizeof urgent[0]; k++) {
		char pdf[4096];
		format_into(pdf, sizeof pdf, "%s/%s.pdf", demo_dir, urgent[k].id);
		char *text = pdf_text(pdf);
		char *go = strstr(text, "Get medical help now");
		ck_assert_ptr_nonnull(go);
		ck_assert_msg(strstr(text, "Your lower back pain") == NULL ||
		                  strstr(text, "Your lower back pain") > go,
		              "%s: the urgent notice is not first", urgent[k].id);
		assert_contains(text, urgent[k].because, urgent[k].id);
		assert_contains(text, "call 999 for an ambulance", urgent[k].id);
		assert_contains(text, "Page 1 of 1", urgent[k].id);
		for (size_t i = 0; i < c->ncauses; i++)
			ck_assert_msg(!strstr(text, c->causes[i].title), "%s shows cause %s", urgent[k].id,
			              c->causes[i].id);
		for (size_t i = 0; i < c->nexercises; i++)
			ck_assert_msg(!strstr(text, c->exercises[i].title), "%s shows exercise %s",
			              urgent[k].id, c->exercises[i].id);
		static const char *const against[] = {"In short", "often goes away", "gets better by itself",
		                                      "Looking after your back", "common"};
		for (size_t i = 0; i < sizeof against / sizeof against[0]; i++)
			ck_assert_msg(!strstr(text, against[i]), "%s says '%s'", urgent[k].id, against[i]);
		if (strcmp(urgent[k].id, "P-0010") == 0) /* fever and trauma are not nerve signs */
			ck_assert_ptr_null(strstr(text, "cauda equina"));
		free(text);
	}
}
END_TEST

START_TEST(qpdf_check_passes_and_fonts_are_embedded)
{
	build_examples();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "for f in '%s'/*.pdf; do qpdf --check \"$f\" >/dev/null || echo \"BAD $f\"; done",
	            demo_dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(*out == '\0', "qpdf --check failed: %s", out);
	free(out);
	/* pdffonts: column 'emb' must say yes on every font row. */
	format_into(cmd, sizeof cmd, "for f in '%s'/*.pdf; do pdffonts \"$f\" | tail -n +3; done", demo_dir);
	out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	int rows = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		rows++;
		ck_assert_msg(strstr(line, "TrueType") && strstr(line, " yes yes "), "font not embedded: %s",
		              line);
	}
	ck_assert_int_ge(rows, 20);
	free(out);
}
END_TEST

START_TEST(pages_are_a4_with_metadata)
{
	build_examples();
	char cmd[4096];
	format_into(cmd, sizeof cmd, "pdfinfo '%s/P-0001.pdf'", demo_dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "595.276 x 841.89 pts (A4)"));
	ck_assert_ptr_nonnull(strstr(out, "Author:          Riverside Massage & Physiotherapy"));
	/* By default the metadata names the patient by id only and keeps the notice level out. */
	ck_assert_ptr_nonnull(strstr(out, "Title:           Your lower back pain after a massage\n"));
	ck_assert_ptr_nonnull(strstr(out, "Keywords:        patient:P-0001\n"));
	ck_assert_ptr_null(strstr(out, "José Müller"));
	free(out);
	/* <pdf-metadata>full</pdf-metadata> adds both. */
	const char *dir = temp_dir();
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && sed 's|</settings>|<pdf-metadata>full</pdf-metadata></settings>|; "
	            "s|logo.png|%1$s/examples/logo.png|' "
	            "examples/clinic.xml > '%2$s/full.xml' && ./handout build -q --settings '%2$s/full.xml' "
	            "examples/patients.xml "
	            "-o '%2$s/out' && pdfinfo '%2$s/out/P-0001.pdf'",
	            data_dir(), dir);
	out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(strstr(out, "Title:           Your lower back pain after a massage: José Müller"), "%s",
	              out);
	ck_assert_msg(strstr(out, "Keywords:        patient:P-0001; notice:standard"), "%s", out);
	free(out);
}
END_TEST

START_TEST(plain_language_grade_6_or_lower)
{
	build_examples();
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "for f in '%s'/*.pdf; do pdfinfo \"$f\" | grep -q '^Title: *Your lower back pain after a "
	            "massage' || continue; "
	            "pdftotext \"$f\" - | style | sed -n 's/.*Kincaid: *//p'; done",
	            demo_dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	int n = 0;
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		double grade = strtod(line, NULL);
		ck_assert_msg(grade <= 6.0, "Flesch-Kincaid grade %.1f above 6", grade);
		n++;
	}
	ck_assert_int_eq(n, 8); /* the English ones (diction's style reads English only) */
	free(out);
}
END_TEST

START_TEST(bad_patient_does_not_cost_the_others)
{
	const char *in = write_temp(
	    "mixed.xml",
	    "<?xml version=\"1.0\"?>\n<patients>\n"
	    "<patient id=\"G1\"><answers><answer q=\"pain-score\">2</answer></answers></patient>\n"
	    "<patient id=\"B1\"><answers><answer q=\"pain-score\">12</answer></answers></patient>\n"
	    "<patient id=\"G2\"><name>Nuño</name><answers><answer "
	    "q=\"pain-score\">3</answer></answers></patient>\n"
	    "</patients>\n");
	char dir[4096];
	format_into(dir, sizeof dir, "%s/out", temp_dir());
	char cmd[4096];
	format_into(cmd, sizeof cmd, "'%s/handout' build '%s' -o '%s' 2>&1; echo \"status=$?\"; ls '%s'",
	            data_dir(), in, dir, dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "mixed.xml:4: patient B1: question pain-score: outside 0..10"), "%s", out);
	ck_assert_msg(strstr(out, "status=1"), "%s", out);
	ck_assert_msg(strstr(out, "G1.pdf") && strstr(out, "G2.pdf") && !strstr(out, "B1.pdf"), "%s", out);
	ck_assert_msg(!strstr(out, ".tmp"), "temporary file left: %s", out);
	free(out);
}
END_TEST

START_TEST(single_patient_to_one_file)
{
	char out_pdf[4096];
	format_into(out_pdf, sizeof out_pdf, "%s/one.pdf", temp_dir());
	const char *in = write_temp("one.xml", "<patient id=\"O1\"><name>Łukasz Żółć</name><answers>"
	                                       "<answer q=\"pain-score\">1</answer></answers></patient>");
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "'%s/handout' build --date 2026-01-05 '%s' -o '%s' 2>/dev/null && pdftotext '%s' -",
	            data_dir(), in, out_pdf, out_pdf);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "Łukasz Żółć"));
	ck_assert_ptr_nonnull(strstr(out, "5 January 2026"));
	free(out);
}
END_TEST

START_TEST(usage_errors_exit_2)
{
	char cmd[4096];
	int status;
	format_into(cmd, sizeof cmd, "'%s/handout' build '%s/examples/patients.xml' 2>&1", data_dir(),
	            data_dir());
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 2);
	ck_assert_ptr_nonnull(strstr(out, "needs -o OUT"));
	free(out);
	format_into(cmd, sizeof cmd, "'%s/handout' frobnicate 2>&1", data_dir());
	out = run_command(cmd, &status);
	ck_assert_int_eq(status, 2);
	free(out);
	format_into(cmd, sizeof cmd, "'%s/handout' --help", data_dir());
	out = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	ck_assert_ptr_nonnull(strstr(out, "Usage: handout COMMAND"));
	free(out);
	/* Each command has help of its own. */
	static const char *const commands[] = {"check", "explain", "build", "batch", "questionnaire", "draw"};
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		char want[64];
		format_into(cmd, sizeof cmd, "'%s/handout' %s --help", data_dir(), commands[i]);
		out = run_command(cmd, &status);
		ck_assert_int_eq(status, 0);
		format_into(want, sizeof want, "Usage: handout %s", commands[i]);
		ck_assert_msg(strncmp(out, want, strlen(want)) == 0, "%s", out);
		free(out);
	}
}
END_TEST

/* Every option the program's help names is in the manual page, which has the sections a
 * manual page needs; the README says how to install and where the data is found. */
START_TEST(every_option_is_documented)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd, "'%s/handout' --help", data_dir());
	int status;
	char *help = run_command(cmd, &status);
	ck_assert_int_eq(status, 0);
	char path[4096];
	format_into(path, sizeof path, "%s/man/handout.1", data_dir());
	size_t len;
	char *man = file_read_all(path, &len);
	ck_assert_ptr_nonnull(man);
	size_t options = 0;
	for (const char *p = help; (p = strstr(p, "--")) != NULL; p += 2) {
		size_t n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		if (n == 0)
			continue;
		strbuf want = {0};
		sb_append(&want, "\\-\\-");
		for (size_t i = 0; i < n; i++)
			sb_append(&want, p[2 + i] == '-' ? "\\-" : (char[]){p[2 + i], 0});
		ck_assert_msg(strstr(man, want.data), "the manual page does not mention --%.*s", (int)n,
		              p + 2);
		sb_free(&want);
		options++;
	}
	ck_assert_uint_gt(options, 25);
	static const char *const sections[] = {".SH SYNOPSIS", ".SH OPTIONS",      ".SH ENVIRONMENT",
	                                       ".SH FILES",    ".SH EXIT STATUS",  ".SH SEE ALSO",
	                                       "HANDOUT_DATA", "SOURCE_DATE_EPOCH"};
	for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
		ck_assert_msg(strstr(man, sections[i]), "the manual page has no %s", sections[i]);
	free(man);
	free(help);
	format_into(path, sizeof path, "%s/README.md", data_dir());
	char *readme = file_read_all(path, &len);
	ck_assert_ptr_nonnull(readme);
	static const char *const install[] = {"make install", "PREFIX=", "DESTDIR=", "make uninstall",
	                                      "HANDOUT_DATA="};
	for (size_t i = 0; i < sizeof install / sizeof *install; i++)
		ck_assert_msg(strstr(readme, install[i]), "README.md does not say %s", install[i]);
	free(readme);
}
END_TEST

/* The logo made ready in one run is kept for the next (logo.c): a handout made from the
 * kept file is byte for byte the one made without it; a kept file that is cut short or
 * has a byte changed is never used but made again; another PNG gets a file of its own;
 * HANDOUT_CACHE_DIR=none keeps nothing, and a cache folder that cannot be made is no
 * error. */
START_TEST(logo_kept_between_runs)
{
	const char *dir = temp_dir();
	char cmd[6000];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && D='%2$s' && C=$D/cache && B=\"./handout build -q --date 2026-11-24 --settings "
	    "$D/clinic.xml "
	    "examples/patients.xml\" && sed \"s#<logo>logo.png#<logo>%1$s/examples/logo.png#\" "
	    "examples/clinic.xml > $D/clinic.xml && "
	    "HANDOUT_CACHE_DIR=none $B -o $D/plain && "
	    "HANDOUT_CACHE_DIR=$C $B -o $D/first && I=$(stat -c %%i $C/*) && HANDOUT_CACHE_DIR=$C $B -o "
	    "$D/kept && "
	    "[ \"$(stat -c %%i $C/*)\" = \"$I\" ] && echo used-not-rewritten && "
	    "echo files=$(ls $C | wc -l) && stat -c 'mode=%%a' $C $C/* && cp $C/* $D/good.bin && "
	    "head -c 100 $D/good.bin > $C/$(ls $C) && HANDOUT_CACHE_DIR=$C $B -o $D/short && "
	    "cmp -s $D/good.bin $C/* && echo restored-short && "
	    "printf 'X' | dd of=$C/$(ls $C) bs=1 seek=1000 conv=notrunc 2>/dev/null && "
	    "HANDOUT_CACHE_DIR=$C $B -o $D/flipped && "
	    "cmp -s $D/good.bin $C/* && echo restored-flipped && "
	    "for o in first kept short flipped; do for f in $D/plain/*.pdf; do cmp -s $f "
	    "$D/$o/$(basename $f) || echo DIFF $o $f; done; done && "
	    "touch $D/notadir && HANDOUT_CACHE_DIR=$D/notadir/cache $B -o $D/nocache 2>&1 && echo "
	    "nocache-ok && "
	    "pdftoppm -png -r 20 -f 1 -l 1 -singlefile $D/plain/P-0001.pdf $D/other && "
	    "sed \"s#<logo>logo.png#<logo>$D/other.png#\" examples/clinic.xml > $D/other.xml && "
	    "HANDOUT_CACHE_DIR=$C ./handout build -q --date 2026-11-24 --settings $D/other.xml "
	    "examples/patients.xml -o $D/o && "
	    "echo files=$(ls $C | wc -l)",
	    data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(status == 0, "%s", out);
	ck_assert_msg(strstr(out, "files=1\n") && strstr(out, "used-not-rewritten"), "%s", out);
	ck_assert_msg(strstr(out, "mode=700\nmode=600\n"), "%s", out);
	ck_assert_msg(strstr(out, "restored-short") && strstr(out, "restored-flipped"), "%s", out);
	ck_assert_msg(!strstr(out, "DIFF"), "%s", out);
	ck_assert_msg(strstr(out, "nocache-ok") && !strstr(out, "error"), "%s", out);
	ck_assert_msg(strstr(out, "files=2\n"), "another logo, another file: %s", out);
	free(out);
}
END_TEST

Suite *end_to_end_suite(void)
{
	Suite *s = suite_create("end to end");
	TCase *tc = tcase_create("examples");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, NULL, NULL);
	tcase_add_test(tc, every_example_pdf_reads_back);
	tcase_add_test(tc, urgent_handout_only_says_go_now);
	tcase_add_test(tc, qpdf_check_passes_and_fonts_are_embedded);
	tcase_add_test(tc, pages_are_a4_with_metadata);
	tcase_add_test(tc, plain_language_grade_6_or_lower);
	tcase_add_test(tc, bad_patient_does_not_cost_the_others);
	tcase_add_test(tc, single_patient_to_one_file);
	tcase_add_test(tc, usage_errors_exit_2);
	tcase_add_test(tc, every_option_is_documented);
	tcase_add_test(tc, logo_kept_between_runs);
	suite_add_tcase(s, tc);
	return s;
}
