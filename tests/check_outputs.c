/* check_outputs.c: outputs that stay true whoever else touches the folders handout writes
 * and reads (nothing written through a link planted where an output goes, one run at a time
 * in a folder, a logo cache entry another account planted never used), whatever the disk
 * does (a full one at the run's last file), and whatever the input holds (no question mark
 * on an envelope, no raw control character on stderr, no date beyond the year 9999). */
#include "helpers.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs a shell script from the repository with a fresh temporary folder as $T; returns its
 * stdout and stderr together. */
static char *sh(const char *script, int *status)
{
	strbuf cmd = {0};
	sb_printf(&cmd, "cd '%s' && T='%s' && export T && { %s ; } 2>&1", data_dir(), temp_dir(), script);
	char *out = run_command(cmd.data, status);
	sb_free(&cmd);
	return out;
}

/* The settings with the logo by its absolute path, and one patient, in $T; $B builds that
 * patient (add -o). */
#define ONE_PATIENT_BUILD                                                                                    \
	"sed \"s#<logo>logo.png#<logo>$PWD/examples/logo.png#\" examples/clinic.xml > $T/clinic.xml && "     \
	"sed -n '/<patient id=\"P-0001\"/,/<\\/patient>/p' examples/patients.xml > $T/one.xml && "           \
	"B=\"./handout build --date 2026-11-24 --settings $T/clinic.xml $T/one.xml\" && "

/* An entry planted in the logo cache by another account (a valid one, made for another
 * PNG) puts nothing on the handout: the cache is used only when the entry and the folder
 * are the running user's and nobody else can write them, nor the folders above (a sticky
 * folder of root's, as /tmp, is fine); otherwise one warning, and the logo made afresh. */
START_TEST(logo_cache_of_another_account_is_not_trusted)
{
	int status;
	char *out =
	    sh(ONE_PATIENT_BUILD
	       "C=$T/cache && mkdir -m 700 $C && "
	       "HANDOUT_CACHE_DIR=$C $B -o $T/own.pdf && E=$(ls $C) && "
	       /* an entry made for another picture, under the name of ours */
	       "pdftoppm -png -r 20 -f 1 -l 1 -singlefile $T/own.pdf $T/other && "
	       "sed \"s#<logo>logo.png#<logo>$T/other.png#\" examples/clinic.xml > $T/other.xml && "
	       "mkdir -m 700 $T/c2 && HANDOUT_CACHE_DIR=$T/c2 ./handout build -q --date 2026-11-24 "
	       "--settings $T/other.xml $T/one.xml -o $T/x.pdf && cp $T/c2/* $C/$E && "
	       "chown nobody $C/$E && chmod 644 $C/$E && "
	       "HANDOUT_CACHE_DIR=$C ./handout build --date 2026-11-24 --settings $T/clinic.xml "
	       "$T/one.xml -o $T/planted.pdf 2>&1; cmp $T/own.pdf $T/planted.pdf && echo own-logo && "
	       "echo owner=$(stat -c %U $C/$E) && "
	       /* a folder others can write, a folder above it others can change */
	       "chmod 777 $C && HANDOUT_CACHE_DIR=$C $B -o $T/open.pdf 2>&1; cmp $T/own.pdf $T/open.pdf && "
	       "echo open-ok && mkdir -m 777 $T/shared && mkdir -m 700 $T/shared/cache && "
	       "HANDOUT_CACHE_DIR=$T/shared/cache $B -o $T/shared.pdf 2>&1; "
	       "echo shared-files=$(ls $T/shared/cache | wc -l) && "
	       "mkdir -m 1777 $T/sticky && chown root $T/sticky && "
	       "HANDOUT_CACHE_DIR=$T/sticky/cache $B -o $T/sticky.pdf 2>&1 && "
	       "echo sticky-files=$(ls $T/sticky/cache | wc -l)",
	       &status);
	ck_assert_msg(strstr(out, "cache/logo-") &&
	                  strstr(out, "the logo cache is not used: the kept file belongs to another account"),
	              "%s", out);
	ck_assert_msg(strstr(out, "own-logo\nowner=root\n"), "the planted entry was used or kept: %s", out);
	ck_assert_msg(
	    strstr(out, "/cache: warning: the logo cache is not used: other accounts can write in it") &&
	        strstr(out, "open-ok"),
	    "%s", out);
	ck_assert_msg(
	    strstr(out, "/shared: warning: the logo cache is not used: a folder above it can be changed") &&
	        strstr(out, "shared-files=0"),
	    "%s", out);
	ck_assert_msg(strstr(out, "sticky-files=1") && !strstr(strstr(out, "shared-files=0"), "warning"),
	              "%s", out);
	free(out);
}
END_TEST

/* A link planted where an output goes is refused with a message and its target is left as
 * it was (content and mode): the manifest (the run is refused before anything is done), a
 * PDF (that patient's error), the report, a mailing bundle, DocumentReference.ndjson, the
 * manifest a --resume reads back, a single build's file. */
START_TEST(no_output_is_written_through_a_link)
{
	int status;
	char *out = sh(
	    "echo precious > $T/target && chmod 644 $T/target && mkdir $T/out && "
	    "ln -s $T/target $T/out/manifest.csv && "
	    "./handout batch -q --settings examples/clinic.xml --date 2026-11-24 examples/patients.xml -o "
	    "$T/out; "
	    "echo status=$? && ls $T/out | wc -l && "
	    "rm $T/out/manifest.csv && for f in P-0002.pdf mailing-0001.pdf DocumentReference.ndjson; do "
	    "ln -s $T/target $T/out/$f; done && ./handout batch -q --mailing din5008 --fhir-documents "
	    "--settings examples/clinic.xml --date 2026-11-24 examples/patients.xml -o $T/out; echo "
	    "status=$? && "
	    "grep -c ',ok,' $T/out/manifest.csv && grep P-0002 $T/out/manifest.csv | cut -d, -f3 && "
	    "ln -s $T/target $T/out/report.pdf && ./handout batch -q --report --settings examples/clinic.xml "
	    "--date 2026-11-24 examples/patients.xml -o $T/out; "
	    "rm $T/out/.manifest.prev 2>/dev/null; ln -s $T/target $T/out/.manifest.prev && "
	    "./handout batch -q --resume --settings examples/clinic.xml --date 2026-11-24 "
	    "examples/patients.xml "
	    "-o $T/out; echo status=$? && "
	    "ln -s $T/target $T/one.pdf && ./handout build -q --settings examples/clinic.xml --date "
	    "2026-11-24 "
	    "examples/patients.xml -o $T/one.pdf; echo status=$? && "
	    "cat $T/target && stat -c mode=%a $T/target",
	    &status);
	ck_assert_msg(
	    strstr(out, "out/manifest.csv: cannot write the manifest: a symbolic link is there, and handout "
	                "never writes through one") &&
	        strstr(out, "status=2\n1\n"),
	    "%s", out);
	static const char *const refused[] = {"out/P-0002.pdf",       "out/report.pdf",
	                                      "out/mailing-0001.pdf", "out/DocumentReference.ndjson",
	                                      "out/.manifest.prev",   "one.pdf"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		char want[4096];
		format_into(want, sizeof want, "%s: cannot write", refused[i]);
		ck_assert_msg(strstr(out, want) && strstr(strstr(out, want), "a symbolic link is there"),
		              "%s: %s", refused[i], out);
	}
	ck_assert_msg(strstr(out, "status=1\n9\nerror\n"), "the other nine are made: %s", out);
	ck_assert_msg(strstr(out, "1 patient got none") && strstr(out, "2 of the run's own files"), "%s",
	              out);
	ck_assert_msg(strstr(out, "precious\nmode=644\n") && !strstr(out, "status=0"), "%s", out);
	free(out);
}
END_TEST

/* Two runs into one folder: the second is refused at once (exit 2) and the first finishes
 * as if alone (every row, every file, nothing left over); the folder is free again after. */
START_TEST(one_run_at_a_time_in_a_folder)
{
	int status;
	char *out = sh(
	    "build/gen_patients 1500 5 > $T/p.xml && "
	    "{ ./handout batch -q -j1 --date 2026-11-24 $T/p.xml -o $T/out; echo first=$? > $T/first; } & "
	    "while [ ! -e $T/out/.handout.lock ]; do sleep 0.01; done; "
	    "./handout batch -q -j1 --date 2026-11-24 examples/patients.xml -o $T/out; echo second=$?; wait; "
	    "cat $T/first; echo rows=$(($(wc -l < $T/out/manifest.csv) - 1)) pdfs=$(ls $T/out | grep -c "
	    "pdf$) "
	    "hidden=$(ls -A $T/out | grep -c '^\\.'); "
	    "./handout batch -q --date 2026-11-24 examples/patients.xml -o $T/out; echo third=$?",
	    &status);
	ck_assert_msg(
	    strstr(out, "out: another handout run is writing in this folder (it holds .handout.lock)") &&
	        strstr(out, "second=2\nfirst=0\nrows=1500 pdfs=1500 hidden=0\nthird=0\n"),
	    "%s", out);
	free(out);
}
END_TEST

/* Every line of $T/out/DocumentReference.ndjson describes a file that is there, with its
 * size and SHA-1, no file twice; prints "lines=N". */
#define DOCREFS_TRUE                                                                                         \
	"python3 -c \"import json,hashlib,base64,os,sys\nseen=set()\n"                                       \
	"for l in open(sys.argv[1]):\n a=json.loads(l)['content'][0]['attachment']\n"                        \
	" d=open(os.path.join(os.path.dirname(sys.argv[1]),a['url']),'rb').read()\n"                         \
	" assert a['size']==len(d) and a['hash']==base64.b64encode(hashlib.sha1(d).digest()).decode(), a\n"  \
	" assert a['url'] not in seen\n seen.add(a['url'])\nprint('lines=%d' % len(seen))\" "                \
	"$T/out/DocumentReference.ndjson"

/* build --fhir-documents into a batch's folder adds its PDF's DocumentReference (or puts it
 * in place of the one for the same file) and keeps the batch's: never one line for 200. */
START_TEST(single_build_keeps_a_batch_s_documents)
{
	int status;
	char *out =
	    sh("build/gen_patients 30 3 > $T/p.xml && ./handout batch -q --fhir-documents --date 2026-11-24 "
	       "$T/p.xml -o $T/out && " DOCREFS_TRUE " && "
	       "sed -n '/<patient id=\"P-0001\"/,/<\\/patient>/p' examples/patients.xml > $T/one.xml && "
	       "./handout build -q --fhir-documents --date 2026-11-24 $T/one.xml -o $T/out/extra.pdf "
	       "&& " DOCREFS_TRUE " && ./handout build -q --fhir-documents --date 2026-11-24 $T/one.xml -o "
	       "$T/out/G0000003.pdf && " DOCREFS_TRUE
	       " && ./handout build -q --fhir-documents --date 2026-11-25 "
	       "$T/one.xml -o $T/out/extra.pdf && " DOCREFS_TRUE,
	       &status);
	ck_assert_msg(status == 0 && strstr(out, "lines=30\nlines=31\nlines=31\nlines=31\n"), "%s", out);
	free(out);
}
END_TEST

/* A disk that fills while DocumentReference.ndjson is written, after every PDF: status 3
 * (not 1, and no patient said to have got none), no partial file, and --resume writes it. */
START_TEST(a_full_disk_at_the_documents_is_a_stop)
{
	int status;
	char *out = sh("mkdir -p $T/small && mount -t tmpfs -o size=1m tmpfs $T/small && echo mounted && "
	               "umount $T/small",
	               &status);
	int can_mount = strstr(out, "mounted") != NULL;
	free(out);
	if (!can_mount) {
		fprintf(stderr,
		        "a_full_disk_at_the_documents_is_a_stop: skipped (cannot mount a tmpfs here)\n");
		return;
	}
	/* Room for the PDFs and the manifest (measured on a run elsewhere) and 40 KB more: the
	 * 200 DocumentReferences need about 150 KB. */
	out =
	    sh("build/gen_patients 200 7 > $T/p.xml && ./handout batch -q --date 2026-11-24 $T/p.xml -o "
	       "$T/ref && "
	       "mkdir $T/small && mount -t tmpfs -o size=$(($(du -sk $T/ref | cut -f1) + 40))k tmpfs "
	       "$T/small && "
	       "./handout batch --fhir-documents --date 2026-11-24 $T/p.xml -o $T/small/out; echo status=$?; "
	       "ls -A $T/small/out | grep -v 'pdf$'; mount -o remount,size=20m $T/small && "
	       "./handout batch -q --resume --fhir-documents --date 2026-11-24 $T/p.xml -o $T/small/out; "
	       "echo status=$?; T=$T/small; " DOCREFS_TRUE "; umount $T",
	       &status);
	ck_assert_msg(strstr(out, "stopped: cannot write to") &&
	                  strstr(out, "(No space left on device) after every "
	                              "patient: 200 handouts written"),
	              "%s", out);
	ck_assert_msg(strstr(out, "status=3\nmanifest.csv\nstatus=0\nlines=200\n") &&
	                  !strstr(out, "got none"),
	              "%s", out);
	free(out);
}
END_TEST

/* A letter carries the name and address exactly as written or is not made: an address in
 * Arabic or Thai (letters that join or need shaping), an emoji (no font has it), a right-to-
 * left override; a name the fonts cannot print on an envelope (a CSV that is not UTF-8 is
 * read as Windows-1252, its address printed exactly).
 * Each such patient is not mailed, the manifest says why (exit 1), stderr names no address;
 * the bundle holds the others and not one question mark. A 20-line address is one error.
 * The clinic's words (the sender line, every page) the fonts cannot print refuse the run. */
START_TEST(envelopes_never_print_question_marks)
{
	int status;
	char *out = sh(
	    "L='<answers><answer q=\"pain-score\">3</answer></answers></patient>' && "
	    "printf '<patients>\n"
	    "<patient id=\"A1\"><name>Ann Lee</name><address><line>\xd8\xb4\xd8\xa7\xd8\xb1\xd8\xb9 5</line>"
	    "<line>Cairo</line></address>%s\n"
	    "<patient id=\"A2\"><name>Ann Lee</name><address><line>\xe0\xb8\x96\xe0\xb8\x99\xe0\xb8\x99 "
	    "5</line>"
	    "</address>%s\n"
	    "<patient id=\"A3\"><name>Ann Lee</name><address><line>1 Main St "
	    "\xf0\x9f\x8f\xa0</line></address>%s\n"
	    "<patient id=\"A4\"><name>Ann Lee</name><address><line>\xe2\x80\xae"
	    "1 Main St\xe2\x80\xac</line>"
	    "</address>%s\n"
	    "<patient id=\"A5\"><name>Ann N\xc3\xba\xc3\xb1"
	    "ez</name><address><line>Calle N\xc3\xba\xc3\xb1"
	    "ez 1"
	    "</line><line>Madrid</line></address>%s\n"
	    "<patient id=\"A6\"><name>\xe1\x88\x80 Lee</name><address><line>1 Main St</line></address>%s\n"
	    "</patients>\n' \"$L\" \"$L\" \"$L\" \"$L\" \"$L\" \"$L\" > $T/p.xml && "
	    "printf 'id,name,address,pain-score\nC1,Ann Lee,Calle N\\372\\361ez 1;Madrid,3\n' > $T/p.csv && "
	    "./handout batch -q --mailing din5008 --settings examples/clinic.xml --date 2026-11-24 $T/p.xml "
	    "$T/p.csv -o $T/out; echo status=$?; cut -d, -f1,3,10,17 $T/out/manifest.csv; "
	    "pdftotext $T/out/mailing-0001.pdf - | grep -c '?'; pdftotext $T/out/mailing-0001.pdf - | "
	    "grep -c 'Calle N\xc3\xba\xc3\xb1"
	    "ez 1'; "
	    "python3 -c \"print('<patient id=\\\"B1\\\"><name>Bo</name><address>' + '<line>x</line>'*20 + "
	    "'</address><answers><answer q=\\\"pain-score\\\">3</answer></answers></patient>')\" > "
	    "$T/long.xml && "
	    "./handout explain $T/long.xml 2>&1 >/dev/null | grep -c 'more than 10 lines'; "
	    "sed \"s|<name>Riverside|<name>\xf0\x9f\x8f\xa0 Riverside|; "
	    "s|<logo>logo.png|<logo>$PWD/examples/logo.png|\" "
	    "examples/clinic.xml > $T/c.xml && "
	    "./handout batch -q --mailing din5008 --settings $T/c.xml $T/p.xml -o $T/out2; echo status=$?",
	    &status);
	static const char *const rows[] = {
	    "A1,error,no letter was made: address line 1 is in a script handout cannot set",
	    "A2,error,no letter was made: address line 1 is in a script handout cannot set",
	    "A3,error,no letter was made: address line 1 is in letters the fonts do not have",
	    "A4,error,no letter was made: address line 1 is in characters that change the direction of text",
	    "A5,ok,,mailing-0001.pdf",
	    "A6,error,no letter was made: the name is in letters the fonts do not have",
	    "C1,ok,,mailing-0001.pdf", /* a CSV that is not UTF-8 is read as Windows-1252: "Calle Núñez 1" */
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		ck_assert_msg(strstr(out, rows[i]), "no row '%s' in:\n%s", rows[i], out);
	ck_assert_msg(strstr(out, "status=1\n") && strstr(out, "mailing-0001.pdf\n0\n2\n1\n"), "%s", out);
	ck_assert_msg(!strstr(out, "Main St") && !strstr(out, "Cairo") && !strstr(out, "\xd8\xb4"), "%s",
	              out);
	/* The clinic's own name is on every sender line: a letter the fonts lack refuses the run. */
	ck_assert_msg(
	    strstr(out, "c.xml: the clinic's name is in letters the fonts do not have; every handout prints "
	                "it\nstatus=2"),
	    "%s", out);
	free(out);
}
END_TEST

/* What the operator gave (a language tag, an option's value, an output path, settings
 * values) reaches stderr with its control characters and direction overrides escaped: an
 * ESC cannot drive the terminal, U+202E cannot make a message read backwards. */
START_TEST(operator_text_reaches_stderr_escaped)
{
	int status;
	char *out = sh("E=$(printf '\\033[2J\\342\\200\\256') && "
	               "printf '<settings><clinic><name>X</name><logo>l\\342\\200\\256.png</logo></clinic>"
	               "<template>a4\\342\\200\\256</template></settings>' > $T/s.xml && "
	               "./handout check --settings $T/s.xml; ./handout form --language \"x$E\" -o $T/f.pdf; "
	               "./handout build --dump \"x$E\" examples/patients.xml; "
	               "./handout batch --date 2026-11-24 examples/patients.xml -o \"$T/o$E\"; "
	               "./handout build --date 2026-11-24 examples/patients.xml -o \"$T/b$E\"",
	               &status);
	ck_assert_msg(!strchr(out, '\033') && !strstr(out, "\xe2\x80\xae"), "%s", out);
	ck_assert_msg(
	    strstr(out, "templates/a4\\u202e.xml: cannot open") && strstr(out, "l\\u202e.png: cannot open") &&
	        strstr(out, "no questionnaire in 'x\\x1b[2J\\u202e'") &&
	        strstr(out, "--dump takes selection, document, layout or pages, not 'x\\x1b[2J\\u202e'") &&
	        strstr(out, "10 handouts written to /tmp/") && strstr(out, "/o\\x1b[2J\\u202e") &&
	        strstr(out, "/b\\x1b[2J\\u202e"),
	    "%s", out);
	free(out);
}
END_TEST

/* SOURCE_DATE_EPOCH past the year 9999 or past what a number holds gives a warning and
 * today's date, never "0 February 219250468"; the last second of 9999 is still a date. */
START_TEST(source_date_epoch_beyond_9999_is_refused)
{
	int status;
	char *out =
	    sh("for v in 99999999999999999999 253402300800 253402300799; do SOURCE_DATE_EPOCH=$v ./handout "
	       "build --dump document examples/patients.xml 2>&1 | grep -m1 -e 'For Jos' -e EPOCH; done",
	       &status);
	ck_assert_msg(
	    strstr(out, "warning: SOURCE_DATE_EPOCH '99999999999999999999' is not a number of seconds from "
	                "1970 to the year 9999; using today") &&
	        strstr(out, "SOURCE_DATE_EPOCH '253402300800' is not") && strstr(out, "31 December 9999") &&
	        !strstr(out, "219250468"),
	    "%s", out);
	free(out);
}
END_TEST

Suite *outputs_suite(void)
{
	Suite *s = suite_create("outputs");
	TCase *tc = tcase_create("folders");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, no_output_is_written_through_a_link);
	tcase_add_test(tc, one_run_at_a_time_in_a_folder);
	tcase_add_test(tc, single_build_keeps_a_batch_s_documents);
	tcase_add_test(tc, a_full_disk_at_the_documents_is_a_stop);
	tcase_add_test(tc, envelopes_never_print_question_marks);
	tcase_add_test(tc, operator_text_reaches_stderr_escaped);
	tcase_add_test(tc, source_date_epoch_beyond_9999_is_refused);
	tcase_add_test(tc, logo_cache_of_another_account_is_not_trusted);
	suite_add_tcase(s, tc);
	return s;
}
