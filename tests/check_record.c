/* check_record.c: every PDF handout writes is a tagged PDF/A-2 (issue 24), as readers
 * nobody here wrote see it: Mozilla's pdf.js (tests/validators/pdf_structure.mjs: the
 * structure tree, marked content, alternative text, XMP), poppler (pdfinfo) and qpdf. */
#include "helpers.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEED_VALIDATORS                                                                                      \
	"test -d tests/validators/node_modules/pdfjs-dist || { echo 'run make validators'; exit 9; }; "

/* Every product, in three languages: the examples' handouts (English, Spanish, Chinese), a
 * mailing bundle of letters, the report, the paper form in English and Chinese; each read
 * by pdf.js, poppler and qpdf. One handout read aloud as a screen reader meets it. */
START_TEST(every_product_is_a_tagged_record)
{
	const char *dir = temp_dir();
	char cmd[8192];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && " NEED_VALIDATORS "export HANDOUT_DATA=.; "
	    "./handout batch -q --report --mailing din5008 --settings examples/clinic.xml "
	    "--date 2026-11-24 examples/patients.xml -o '%2$s/b' && "
	    "./handout form -q -o '%2$s/form.pdf' && ./handout form -q --language zh-Hans -o "
	    "'%2$s/form-zh.pdf' && "
	    "node tests/validators/pdf_structure.mjs '%2$s'/b/*.pdf '%2$s'/form*.pdf; echo rc=$?; "
	    "for f in '%2$s'/b/*.pdf '%2$s'/form*.pdf; do qpdf --check \"$f\" >/dev/null 2>&1 || echo "
	    "\"qpdf: $f\"; pdfinfo \"$f\" | grep -q '^Tagged: *yes' || echo \"untagged: $f\"; done; "
	    "pdfinfo -struct-text '%2$s/b/report.pdf' | head -3; "
	    "node tests/validators/pdf_structure.mjs --read '%2$s'/b/P-0002.pdf '%2$s'/b/P-0005.pdf "
	    "'%2$s'/b/P-0004.pdf '%2$s'/b/report.pdf '%2$s'/b/mailing-0001.pdf '%2$s'/form.pdf "
	    "'%2$s'/form-zh.pdf",
	    data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "rc=0\n") && !strstr(out, "qpdf: ") && !strstr(out, "untagged: "),
	              "%.3000s", out);
	ck_assert_msg(strstr(out, "Document\n  Part\n"), "poppler's structure: %.3000s", out);
	/* the handout: its headings, lists with numbered steps, figures that say what they show */
	const char *want[] = {
	    "P-0002.pdf: lang en, title \"Your lower back pain after a massage\"",
	    "  H1: Your lower back pain after a massage\n", "  H2: When to get help\n",
	    "  LBody: Numbness around your genitals", "  Lbl: 1.\n",
	    "  Figure: Lying face up on a mat with the knees bent",
	    "  P: See a doctor: Book a doctor's visit if the pain has not eased after a week, or "
	    "sooner if it gets worse.\n",
	    "P-0005.pdf: lang es,", "report.pdf: lang en, title \"Run report\"", "  TH: Name (language)\n",
	    "  TD: P-0004\n", "  Figure: A bar chart of how many handouts chose each:",
	    /* an urgent sheet: whose it is (the page's header, read on a one-page sheet), then what
	       to do, its first heading */
	    "P-0004.pdf: lang en, title \"Your lower back pain after a massage\", 1 pages\n"
	    "page 1:\n  P: \xc5\x9e"
	    "tefan Dumitrescu \xc2\xb7 ID P-0004 24 November 2026\n"
	    "  H1: Get medical help now\n",
	    /* a letter: the window's lines first, as they are seen, apart */
	    "mailing-0001.pdf: lang en, title \"Mailing 0001\", 20 pages\npage 1:\n"
	    "  P: Riverside Massage & Physiotherapy \xc2\xb7 12 Mill Lane \xc2\xb7 Springfield\n"
	    "  P: Jos\xc3\xa9 M\xc3\xbcller Hauptstra\xc3\x9f"
	    "e 5 10115 Berlin Germany\n",
	    /* the form: each question heads its row; a warning is a paragraph */
	    "  TH: 9. Did you do hard exercise",
	    "  P: If you tick Yes to any of questions 14 to 18, tell a member of staff now.\n",
	    /* the exercise log: the days head their columns, each exercise its row */
	    "  TH: Day\n  TH: 1\n", "  TH: Five-point bridge\n", "form-zh.pdf: lang zh-Hans,",
	    "  Figure: 从背后看的人体图"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strstr(out, want[i]), "missing \"%s\" in:\n%.3000s", want[i], out);
	/* the reading order is the document's: the safety net before the exercises */
	const char *help = strstr(out, "  H2: When to get help\n"),
	           *doing = strstr(out, "  H2: What you can do\n");
	ck_assert_msg(help && doing && help < doing, "%.3000s", out);
	free(out);
}
END_TEST

/* The XMP says PDF/A-2 and mirrors the Info dictionary, without the patient's name (the
 * default pdf-metadata setting keeps names out of metadata); the output intent is sRGB; the
 * bytes are the same from one run to the next, identifier and all. */
START_TEST(metadata_is_pdfa_without_the_name)
{
	const char *dir = temp_dir();
	char cmd[8192];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && export HANDOUT_DATA=.; "
	    "./handout build -q --settings examples/clinic.xml --date 2026-11-24 examples/patients.xml "
	    "-o '%2$s/one' && ./handout build -q --settings examples/clinic.xml --date 2026-11-24 "
	    "examples/patients.xml -o '%2$s/two' && cmp '%2$s/one/P-0002.pdf' '%2$s/two/P-0002.pdf' && "
	    "echo same; head -c 9 '%2$s/one/P-0002.pdf'; echo; "
	    "sed -n '/<x:xmpmeta/,/<\\/x:xmpmeta>/p' '%2$s/one/P-0002.pdf'; "
	    "qpdf --show-object=trailer '%2$s/one/P-0002.pdf'; echo; "
	    "qpdf --qdf --object-streams=disable '%2$s/one/P-0002.pdf' - | grep -a -A8 '/OutputIntents'",
	    data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "same\n%PDF-1.7\n"), "%.3000s", out);
	ck_assert_msg(strstr(out, "<pdfaid:part>2</pdfaid:part>") && strstr(out, "<pdfaid:conformance>A<"),
	              "%.3000s", out);
	ck_assert_msg(
	    strstr(out, "<rdf:li xml:lang=\"x-default\">Your lower back pain after a massage</rdf:li>"),
	    "%.3000s", out);
	ck_assert_msg(strstr(out, "<xmp:CreateDate>2026-11-24T00:00:00Z</xmp:CreateDate>"), "%.3000s", out);
	ck_assert_msg(strstr(out, "Riverside Massage &amp; Physiotherapy"), "%.3000s", out);
	/* P-0002 is Zoë Ångström: her name is on the page, never in the metadata */
	const char *xmp_end = strstr(out, "</x:xmpmeta>");
	ck_assert_ptr_nonnull(xmp_end);
	ck_assert_msg(!strstr(out, "Zo\xc3\xab") || strstr(out, "Zo\xc3\xab") > xmp_end, "%.3000s", out);
	ck_assert_msg(strstr(out, "/ID [ <"), "%.3000s", out);
	ck_assert_msg(strstr(out, "/S /GTS_PDFA1") && strstr(out, "sRGB IEC61966-2.1"), "%.3000s", out);
	free(out);
}
END_TEST

/* A clinic whose name holds a no-break space (Dr&#160;Weiß): PDFDocEncoding has the euro at
 * 0xA0, so the Info dictionary takes it as UTF-16, and says what the XMP says (pdf.js
 * compares them), not "Dr€Weiß". */
START_TEST(info_agrees_with_xmp_for_any_name)
{
	const char *dir = temp_dir();
	char cmd[8192];
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && " NEED_VALIDATORS "export HANDOUT_DATA=.; "
	            "sed 's|<name>Riverside Massage &amp; Physiotherapy</name>|<name>Praxis "
	            "Dr\\&#160;Wei\xc3\x9f</name>|; " /* \\&: a literal & to sed */
	            "s|<logo>logo.png</logo>||' examples/clinic.xml > '%2$s/clinic.xml' && "
	            "./handout build -q --settings '%2$s/clinic.xml' --date 2026-11-24 examples/patients.xml "
	            "-o '%2$s/out' && node tests/validators/pdf_structure.mjs '%2$s'/out/P-0001.pdf "
	            "'%2$s'/out/P-0004.pdf; echo rc=$?; pdfinfo '%2$s/out/P-0001.pdf' | grep Author",
	            data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "rc=0\n") && strstr(out, "Praxis Dr\xc2\xa0Wei\xc3\x9f"), "%.3000s", out);
	free(out);
}
END_TEST

/* The shipped profile is Debian's icc-profiles-free sRGB.icc (zlib licence), byte for byte,
 * when that package is installed (install-deps.sh installs it). */
START_TEST(profile_is_debians_srgb)
{
	char cmd[4096];
	format_into(cmd, sizeof cmd,
	            "test -f /usr/share/color/icc/sRGB.icc || { echo absent; exit 0; }; "
	            "cmp '%s/templates/sRGB.icc' /usr/share/color/icc/sRGB.icc && echo same",
	            data_dir());
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strcmp(out, "same\n") == 0 || strcmp(out, "absent\n") == 0, "%.3000s", out);
	free(out);
}
END_TEST

/* Over a seeded population of 80 patients in standard and large print (every notice level,
 * serious signs, legs, pregnancy, three languages), every handout passes pdf.js's reading:
 * every text in marked content reached once from the structure, every figure described. */
START_TEST(population_is_tagged)
{
	const char *dir = temp_dir();
	char cmd[8192];
	format_into(cmd, sizeof cmd,
	            "cd '%1$s' && " NEED_VALIDATORS "export HANDOUT_DATA=.; "
	            "build/gen_patients --format population 80 2024 > '%2$s/pop.xml' && "
	            "./handout build -q -t a4 '%2$s/pop.xml' -o '%2$s/a4' && "
	            "./handout build -q -t letter-large '%2$s/pop.xml' -o '%2$s/ll' && "
	            "ls '%2$s'/a4/*.pdf '%2$s'/ll/*.pdf | wc -l && "
	            "node tests/validators/pdf_structure.mjs '%2$s'/a4/*.pdf '%2$s'/ll/*.pdf; echo rc=$?",
	            data_dir(), dir);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "160\n") && strstr(out, "rc=0\n"), "%.3000s", out);
	free(out);
}
END_TEST

Suite *record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("tagged PDF/A");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, every_product_is_a_tagged_record);
	tcase_add_test(tc, metadata_is_pdfa_without_the_name);
	tcase_add_test(tc, profile_is_debians_srgb);
	tcase_add_test(tc, info_agrees_with_xmp_for_any_name);
	tcase_add_test(tc, population_is_tagged);
	suite_add_tcase(s, tc);
	return s;
}
