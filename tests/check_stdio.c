/* check_stdio.c: "-" as an input reads standard input in every format (pipes included, and
 * formats that look at their first bytes or read a file twice); "-o -" writes the one PDF
 * or the Questionnaire to standard output; a command that would write several files there
 * is a usage error that writes nothing, and never makes a folder called "-". */
#include "helpers.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Runs script in the repository ($R) with $T a fresh folder and $H the program; stdout
 * only unless the script redirects. */
static char *sh(const char *script, int *status)
{
	strbuf cmd = {0};
	sb_printf(&cmd,
	          "cd '%1$s' && R=\"$PWD\" && T='%2$s' && H=\"$R/handout\" && HANDOUT_DATA=\"$R\" && export "
	          "R T H HANDOUT_DATA && { %3$s ; }",
	          data_dir(), temp_dir(), script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

/* Every format through a pipe explains as the same file does. */
START_TEST(standard_input_in_every_format)
{
	static const char *const formats[] = {"native", "csv", "ndjson", "fhir-xml", "fhir-json"};
	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		char script[4096];
		format_into(
		    script, sizeof script,
		    "build/gen_patients --format %s 30 7 > $T/in && $H explain $T/in > $T/file.out; "
		    "cat $T/in | $H explain - > $T/pipe.out; echo rc=$?; cmp $T/file.out $T/pipe.out && "
		    "echo same; "
		    "wc -l < $T/pipe.out",
		    formats[i]);
		int status;
		char *out = sh(script, &status);
		ck_assert_msg(strstr(out, "rc=0\nsame\n30\n"), "%s: %s", formats[i], out);
		free(out);
	}
	/* The Bulk export's two files: Patients from a file, responses from the pipe. */
	int status;
	char *out = sh("build/gen_patients --format ndjson-patients 5 2 > $T/p.ndjson && "
	               "build/gen_patients --format ndjson-responses 5 2 | $H explain $T/p.ndjson - | grep "
	               "-c '\"causes\"'",
	               &status);
	ck_assert_str_eq(out, "5\n");
	free(out);
	/* An empty pipe is an empty file, said as such. */
	out = sh("$H explain - < /dev/null 2>&1; echo rc=$?", &status);
	ck_assert_msg(strstr(out, "-: the file is empty") && strstr(out, "rc=1"), "%s", out);
	free(out);
}
END_TEST

START_TEST(one_pdf_to_standard_output)
{
	int status;
	char *out = sh(
	    "printf '<patient id=\"S-1\"><answers><answer q=\"pain-score\">3</answer></answers></patient>' | "
	    "$H build --date 2026-01-05 - -o - > $T/one.pdf 2>$T/err; echo rc=$?; "
	    "qpdf --check $T/one.pdf >/dev/null && echo qpdf=ok; pdftotext $T/one.pdf - | grep -c 'S-1'; cat "
	    "$T/err; "
	    "$H form -q -o - | pdfinfo - | grep -c '^Pages: *2'; "
	    "$H questionnaire > $T/q1 && $H questionnaire -o - > $T/q2 && cmp $T/q1 $T/q2 && echo "
	    "questionnaire=same",
	    &status);
	ck_assert_msg(strstr(out, "rc=0\nqpdf=ok\n"), "%s", out);
	ck_assert_msg(strstr(out, "1 handout written to standard output"), "%s", out);
	ck_assert_msg(strstr(out, "questionnaire=same"), "%s", out);
	free(out);
}
END_TEST

/* Several files to "-": exit 2, nothing on standard output, no folder "-". */
START_TEST(several_files_to_standard_output_are_a_usage_error)
{
	static const char *const commands[] = {
	    "build $R/examples/patients.xml -o -",
	    "batch $R/examples/patients.xml -o -",
	    "build --fhir-documents $R/examples/patients.xml -o -",
	    "ask -o -",
	};
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		char script[4096];
		format_into(
		    script, sizeof script,
		    "cd $T && $H %s > out 2> err < /dev/null; echo rc=$?; wc -c < out; test -e ./- && "
		    "echo DASH-EXISTS; cat err",
		    commands[i]);
		int status;
		char *out = sh(script, &status);
		ck_assert_msg(strncmp(out, "rc=2\n0\n", 7) == 0 && !strstr(out, "DASH-EXISTS"), "%s: %s",
		              commands[i], out);
		ck_assert_msg(strstr(out, "standard output"), "%s: %s", commands[i], out);
		free(out);
	}
}
END_TEST

Suite *stdio_suite(void)
{
	Suite *s = suite_create("stdio");
	TCase *tc = tcase_create("dash");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, standard_input_in_every_format);
	tcase_add_test(tc, one_pdf_to_standard_output);
	tcase_add_test(tc, several_files_to_standard_output_are_a_usage_error);
	suite_add_tcase(s, tc);
	return s;
}
