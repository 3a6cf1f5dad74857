/* check_hostile.c: hostile and broken input, as an attacker or a careless clinic would
 * give it: nothing hangs, nothing is lost silently, no PDF is corrupt, no name or answer
 * reaches stderr, and a full disk leaves whole manifest rows and a run --resume finishes.
 * Nothing here is timed: Check's per-test timeout is the net for a hang. */
#include "helpers.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The test's private temporary folder, $T in sh(); a fresh one for each test. */
static char tdir[4096];

static void fresh(void)
{
	format_into(tdir, sizeof tdir, "%s", temp_dir());
}

/* Runs a shell command in the repository with the test's temporary folder as $T; returns
 * stdout and stderr together. */
static char *sh(const char *script, int *status)
{
	if (!tdir[0])
		fresh();
	strbuf cmd = {0};
	sb_printf(&cmd, "cd '%s' && T='%s' && export T && { %s ; } 2>&1", data_dir(), tdir, script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

#define SETTINGS "--settings examples/clinic.xml --date 2026-11-24"

START_TEST(a_huge_name_is_refused_and_a_long_one_fitted)
{
	fresh();
	/* Ten million characters: that patient's error, at once; the next patient is made. 200
	 * characters in one word: printed, the page header cut to fit by bisection. */
	int status;
	char *out =
	    sh("python3 -c \"print('<patients><patient id=\\\"L1\\\"><name>' + 'a b '*2500000 + "
	       "'</name><answers>"
	       "<answer q=\\\"pain-score\\\">3</answer></answers></patient><patient id=\\\"L2\\\"><name>' + "
	       "'A'*200 + '</name><answers><answer q=\\\"pain-score\\\">3</answer></answers></patient>"
	       "</patients>')\" > $T/long.xml && ./handout batch -q -t a4-large " SETTINGS
	       " $T/long.xml -o $T/out; "
	       "echo status=$?; qpdf --check $T/out/L2.pdf >/dev/null && pdftotext -l 1 $T/out/L2.pdf - | "
	       "head -1",
	       &status);
	ck_assert_msg(strstr(out, "long.xml:1: patient L1: name is longer than 200 characters") &&
	                  strstr(out, "status=1"),
	              "%s", out);
	ck_assert_msg(strstr(out, "AAAA\xE2\x80\xA6"), "the header does not end in an ellipsis: %s", out);
	free(out);
}
END_TEST

START_TEST(settings_hold_what_a_page_can)
{
	fresh();
	int status;
	char *out = sh(
	    "python3 -c \"print('<settings><clinic><name>' + 'N'*100000 + '</name></clinic></settings>')\" "
	    "> $T/big.xml && ./handout check --settings $T/big.xml",
	    &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "big.xml:1: Element 'name': [facet 'maxLength']"), "%s", out);
	free(out);
}
END_TEST

START_TEST(fifos_are_refused_not_waited_on)
{
	fresh();
	int status;
	char *out = sh(
	    "mkfifo $T/logo.png $T/in.xml && sed \"s|<logo>logo.png</logo>|<logo>$T/logo.png</logo>|\" "
	    "examples/clinic.xml > $T/clinic.xml; ./handout check --settings $T/clinic.xml; echo check=$?; "
	    "./handout batch -q --settings $T/clinic.xml examples/patients.xml -o $T/o1; echo batch=$?; "
	    "./handout build -q " SETTINGS " $T/in.xml -o $T/o2; echo build=$?",
	    &status);
	ck_assert_msg(strstr(out, "logo.png: cannot open image: not a regular file") &&
	                  strstr(out, "check=2") && strstr(out, "batch=2"),
	              "%s", out);
	ck_assert_msg(strstr(out, "in.xml: cannot open: not a regular file") && strstr(out, "build=1"), "%s",
	              out);
	free(out);
}
END_TEST

START_TEST(nothing_in_patients_is_lost_silently)
{
	fresh();
	static const char *const commands[] = {"explain", "check", "build -q " SETTINGS " -o $T/b",
	                                       "batch -q " SETTINGS " -o $T/c"};
	int status;
	char *out =
	    sh("printf '<patients>\\n<patient id=\"A1\"><answers><answer "
	       "q=\"pain-score\">3</answer></answers></patient>\\n"
	       "<Patient id=\"A2\"><answers><answer q=\"pain-score\">3</answer></answers></Patient>\\n"
	       "<patient xmlns=\"urn:other\" id=\"A3\"><answers><answer "
	       "q=\"pain-score\">3</answer></answers></patient>\\n"
	       "<patient id=\"A4\" xmlns:x=\"urn:x\"><answers><answer q=\"pain-score\">3</answer>"
	       "<x:answer q=\"fever\">yes</x:answer></answers></patient>\\n</patients>\\n' > $T/mixed.xml",
	       &status);
	free(out);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		char cmd[4096];
		format_into(cmd, sizeof cmd, "./handout %s $T/mixed.xml >/dev/null", commands[i]);
		out = sh(cmd, &status);
		ck_assert_msg(status == 1, "%s exits %d:\n%s", commands[i], status, out);
		ck_assert_msg(
		    strstr(out, "mixed.xml:3: patient A2: unexpected <Patient> in <patients>") &&
		        strstr(out, "mixed.xml:4: patient A3: unexpected <patient> in namespace urn:other") &&
		        strstr(out, "mixed.xml:5: patient A4: unexpected <answer> in namespace urn:x"),
		    "%s:\n%s", commands[i], out);
		free(out);
	}
	/* Each of them has a manifest row; only A1 has a handout. */
	out = sh("cut -d, -f1,3 $T/c/manifest.csv | tr -d '\\r' | tr '\\n' ' '", &status);
	ck_assert_msg(strstr(out, "A1,ok A2,error A3,error A4,error"), "%s", out);
	free(out);
}
END_TEST

START_TEST(drawings_with_numbers_no_page_holds_are_refused)
{
	fresh();
	static const char *const shapes[] = {"<circle cx=\"10\" cy=\"10\" r=\"1e308\"/>",
	                                     "<path d=\"M10 10 L1e400 20\"/>",
	                                     "<rect width=\"10\" height=\"10\" transform=\"scale(1e300)\"/>",
	                                     "<rect width=\"10\" height=\"10\" transform=\"skewX(90)\"/>",
	                                     "<text x=\"4\" y=\"9\" font-size=\"54644\">Lift</text>"};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		char cmd[4096];
		format_into(cmd, sizeof cmd,
		            "printf '<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" "
		            "height=\"100\">\\n%s\\n</svg>\\n' "
		            "> $T/d.svg && rm -f $T/d.pdf && ./handout draw $T/d.svg -o $T/d.pdf; echo "
		            "draw=$?; ls $T/d.pdf",
		            shapes[i]);
		int status;
		char *out = sh(cmd, &status);
		ck_assert_msg(strstr(out, "d.svg:2: a coordinate, size or transform here is out of range") &&
		                  strstr(out, "draw=1") && strstr(out, "No such file"),
		              "%s:\n%s", shapes[i], out);
		free(out);
	}
	/* Radii too small to square, and a drawing under a point high: a valid PDF. */
	int status;
	char *out =
	    sh("printf '<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"1\">"
	       "<path d=\"M10 10 A1e-300 1e-300 0 0 1 50 50\" stroke=\"black\"/></svg>' > $T/e.svg && "
	       "./handout draw $T/e.svg -o $T/e.pdf && qpdf --check $T/e.pdf >/dev/null && echo fine",
	       &status);
	ck_assert_msg(strstr(out, "fine"), "%s", out);
	free(out);
}
END_TEST

START_TEST(impossible_dates_are_refused_where_read)
{
	fresh();
	int status;
	char *out =
	    sh("./handout build " SETTINGS " --date 2026-02-31 examples/patients.xml -o $T/a", &status);
	ck_assert_int_eq(status, 2);
	ck_assert_msg(strstr(out, "--date '2026-02-31' is not a real date"), "%s", out);
	free(out);
	out = sh("printf '<patients><patient id=\"D1\"><answers date=\"2026-02-30\"><answer "
	         "q=\"pain-score\">2</answer>"
	         "</answers></patient><patient id=\"D2\"><answers date=\"2024-02-29\"><answer "
	         "q=\"pain-score\">2</answer>"
	         "</answers></patient></patients>' > $T/d.xml && ./handout batch -q " SETTINGS
	         " $T/d.xml -o $T/b; "
	         "echo status=$?; ls $T/b",
	         &status);
	ck_assert_msg(strstr(out, "d.xml:1: patient D1: answers date is not a real date") &&
	                  strstr(out, "status=1") && strstr(out, "D2.pdf") && !strstr(out, "D1.pdf") &&
	                  !strstr(out, "0x"),
	              "%s", out);
	free(out);
}
END_TEST

START_TEST(answers_are_plain_decimal_numbers)
{
	fresh();
	static const char *const refused[] = {"0x5", "+5", "1e1", "5.0", "nan", "99999999999"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char cmd[4096];
		format_into(cmd, sizeof cmd,
		            "printf '<patient id=\"N\"><answers><answer "
		            "q=\"pain-score\">%s</answer></answers></patient>' > $T/n.xml "
		            "&& ./handout explain $T/n.xml",
		            refused[i]);
		int status;
		char *out = sh(cmd, &status);
		ck_assert_msg(status == 1 && strstr(out, "question pain-score: not a plain whole number") &&
		                  !strstr(out, "required answer is missing"),
		              "'%s': %s", refused[i], out);
		free(out);
	}
}
END_TEST

/* stderr names ids, never names or answers: not for a name in letters the fonts lack, not for
 * bytes that are not UTF-8, not for a malformed id; a control character is escaped. */
START_TEST(stderr_carries_no_name_nor_answer)
{
	fresh();
	int status;
	char *out =
	    sh("printf '<patients><patient id=\"G1\"><name>\\341\\210\\200mega Ivanova</name><answers>"
	       "<answer q=\"pain-score\">4</answer></answers></patient>"
	       "<patient id=\"Zo\\303\\253 Secret\"><answers><answer "
	       "q=\"pain-score\">4</answer></answers></patient>"
	       "<patient id=\"Q2\"><answers><answer q=\"pain-score\">4</answer><answer q=\"Zoe "
	       "Secret\">yes</answer>"
	       "</answers></patient></patients>' > $T/p.xml && ./handout batch " SETTINGS
	       " $T/p.xml -o $T/o >/dev/null; "
	       "printf '<patients><patient id=\"E1\"><name>Jos\\351 "
	       "M\\374ller</name><answers/></patient></patients>' "
	       "> $T/e.xml && ./handout explain $T/e.xml >/dev/null",
	       &status);
	ck_assert_msg(strstr(out, "patient G1: the name is in letters the fonts do not have") &&
	                  strstr(out, "patient ?: id may hold only") &&
	                  strstr(out, "question (not a question id)") &&
	                  strstr(out, "e.xml:1: the text is not valid UTF-8"),
	              "%s", out);
	static const char *const secrets[] = {"\xE1\x88\x80", "mega", "Ivanova", "Secret",
	                                      "Jos",          "0xE9", "0xFC",    "M\xFC"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		ck_assert_msg(!strstr(out, secrets[i]), "stderr holds '%s':\n%s", secrets[i], out);
	free(out);
}
END_TEST

START_TEST(single_file_build_is_quiet_with_q)
{
	fresh();
	int status;
	char *out =
	    sh("sed -n '/<patient id=\"P-0001\"/,/<\\/patient>/p' examples/patients.xml > $T/one.xml && "
	       "./handout build -q " SETTINGS " $T/one.xml -o $T/one.pdf",
	       &status);
	ck_assert_int_eq(status, 0);
	ck_assert_msg(*out == '\0', "printed: %s", out);
	free(out);
}
END_TEST

/* Into a 2 MB file system (tmpfs: needs root, as CI has): the run stops at the first
 * ENOSPC with exit 3 and one line, the manifest holds whole rows for a prefix of the
 * input and no temporary file is left; after room is made, --resume completes the run
 * with the same bytes as a run that never failed. */
START_TEST(a_full_disk_stops_cleanly_and_resume_completes)
{
	fresh();
	int status;
	char *out =
	    sh("mkdir -p $T/small && mount -t tmpfs -o size=2m tmpfs $T/small && echo mounted", &status);
	int mounted = strstr(out, "mounted") != NULL;
	free(out);
	if (!mounted) {
		/* Only where a 2 MB file system can be made: root, and allowed to mount. */
		fprintf(
		    stderr,
		    "a_full_disk_stops_cleanly_and_resume_completes: skipped (cannot mount a tmpfs here)\n");
		return;
	}
	out = sh("build/gen_patients 300 > $T/p.xml && "
	         "./handout batch -j2 " SETTINGS
	         " $T/p.xml -o $T/small/out 2> $T/err; echo status=$?; cat $T/err; "
	         "echo lines=$(wc -l < $T/err); echo rows=$(($(wc -l < $T/small/out/manifest.csv) - 1)); "
	         "tail -c 2 $T/small/out/manifest.csv | od -An -c | tr -d ' '; echo; "
	         "echo temps=$(ls -a $T/small/out | grep -c '\\.tmp$')",
	         &status);
	ck_assert_msg(strstr(out, "status=3") && strstr(out, "lines=1") && strstr(out, "temps=0") &&
	                  strstr(out, "\\r\\n") && strstr(out, "No space left on device") &&
	                  strstr(out, "--resume"),
	              "%s", out);
	const char *rows = strstr(out, "rows=");
	ck_assert_ptr_nonnull(rows);
	int nrows = atoi(rows + 5);
	ck_assert_msg(nrows > 0 && nrows < 300, "%d rows", nrows);
	free(out);
	/* The rows are whole, in input order, and each ok row's PDF is there with its checksum. */
	out = sh("tail -n +2 $T/small/out/manifest.csv | tr -d '\\r' | awk -F, '{print $1}' > $T/ids && "
	         "grep -o 'patient id=\"[^\"]*' $T/p.xml | cut -d'\"' -f2 | head -n $(wc -l < $T/ids) | cmp "
	         "- $T/ids && "
	         "tail -n +2 $T/small/out/manifest.csv | tr -d '\\r' | awk -F, '$3==\"ok\" {print $6 \"  \" "
	         "ENVIRON[\"T\"] "
	         "\"/small/out/\" $2}' | sha256sum -c --quiet && echo whole",
	         &status);
	ck_assert_msg(strstr(out, "whole"), "%s", out);
	free(out);
	out = sh("mount -o remount,size=40m $T/small && ./handout batch -q -j2 --resume " SETTINGS
	         " $T/p.xml -o $T/small/out; echo status=$?; ./handout batch -q -j2 " SETTINGS
	         " $T/p.xml -o $T/ref; "
	         "diff -r -q $T/ref $T/small/out | grep -v manifest.csv; "
	         "cut -d, -f1-9 $T/ref/manifest.csv > $T/a; cut -d, -f1-9 $T/small/out/manifest.csv > $T/b; "
	         "cmp $T/a $T/b && echo same; umount $T/small",
	         &status);
	ck_assert_msg(strstr(out, "status=0") && strstr(out, "same") && !strstr(out, "differ"), "%s", out);
	free(out);
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile input");
	TCase *tc = tcase_create("refused or survived");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_huge_name_is_refused_and_a_long_one_fitted);
	tcase_add_test(tc, settings_hold_what_a_page_can);
	tcase_add_test(tc, fifos_are_refused_not_waited_on);
	tcase_add_test(tc, nothing_in_patients_is_lost_silently);
	tcase_add_test(tc, drawings_with_numbers_no_page_holds_are_refused);
	tcase_add_test(tc, impossible_dates_are_refused_where_read);
	tcase_add_test(tc, answers_are_plain_decimal_numbers);
	tcase_add_test(tc, stderr_carries_no_name_nor_answer);
	tcase_add_test(tc, single_file_build_is_quiet_with_q);
	tcase_add_test(tc, a_full_disk_stops_cleanly_and_resume_completes);
	suite_add_tcase(s, tc);
	return s;
}
