/* check_resume.c: what --resume keeps and what it makes again. A handout is kept only when
 * nothing it is made from changed: each input (settings, English content, a translation,
 * a drawing, a schema, the template, a font, the logo, the program) is changed in turn and
 * the run must remake exactly the patients it affects, no more and no fewer. */
#include "helpers.h"
#include "patient.h"
#include "pipeline.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fingerprint is taken from the files as they load: every kind of input is in it,
 * translations are not (each adds its own), and it is the same when taken again. */
START_TEST(fingerprint_covers_every_input)
{
	char settings[4096];
	format_into(settings, sizeof settings, "%s/examples/clinic.xml", data_dir());
	resource_paths paths = {data_dir(), settings, NULL, "2026-11-24", 1, 0, 1};
	resources *r = resources_load(&paths);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(strlen(r->fingerprint), 64);
	const char *files = r->fingerprint_files;
	static const char *const expected[] = {
	    "  content/questionnaire.xml\n",
	    "  content/rules.xml\n",
	    "  content/causes.xml\n",
	    "  content/exercises.xml\n",
	    "  content/notices.xml\n",
	    "  content/advice.xml\n",
	    "  content/words.xml\n",
	    "  content/diagrams.xml\n",
	    "  content/diagrams/swimming.svg\n",
	    "  content/diagrams/body-map.svg\n",
	    "  content/schema/content.xsd\n",
	    "  content/schema/settings.xsd\n",
	    "  content/schema/template.xsd\n",
	    "  templates/a4.xml\n",
	    "  fonts/NotoSans-Regular.ttf\n",
	    "  fonts/NotoSans-Bold-Extra.ttf\n",
	    "  fonts/WQYMicroHei-CJK.ttf\n",
	    "  examples/clinic.xml\n",
	    "  examples/logo.png\n",
	    "  (program)\n",
	    "  (libraries)\n",
	};
	for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
		ck_assert_msg(strstr(files, expected[i]), "%s is not in the fingerprint:\n%s", expected[i],
		              files);
	ck_assert_msg(!strstr(files, "content/es/") && !strstr(files, "content/zh-Hans/"), "%s", files);
	resources *again = resources_load(&paths);
	ck_assert_str_eq(again->fingerprint, r->fingerprint);
	ck_assert_str_eq(again->fingerprint_files, r->fingerprint_files);

	/* Per patient: English and a language not shipped (made in English) share the run's;
	 * Spanish and Chinese each have their own, the same however it is asked for. */
	patient *p = patient_from_string("<patient id=\"X\"><language>fr</language><answers><answer "
	                                 "q=\"pain-score\">3</answer></answers></patient>");
	ck_assert_str_eq(pipeline_fingerprint(r, p), r->fingerprint);
	free(p->language);
	p->language = xstrdup("en-GB");
	ck_assert_str_eq(pipeline_fingerprint(r, p), r->fingerprint);
	free(p->language);
	p->language = xstrdup("es");
	char es[65];
	format_into(es, sizeof es, "%s", pipeline_fingerprint(r, p));
	ck_assert_str_ne(es, r->fingerprint);
	free(p->language);
	p->language = xstrdup("es-MX");
	ck_assert_str_eq(pipeline_fingerprint(again, p), es);
	free(p->language);
	p->language = xstrdup("zh-CN");
	ck_assert_str_ne(pipeline_fingerprint(r, p), es);
	ck_assert_str_ne(pipeline_fingerprint(r, p), r->fingerprint);
	patient_free(p);
	resources_free(again);
	resources_free(r);
}
END_TEST

/* Five patients: two in English (one urgent: the emergency number is on its sheet), one in
 * Spanish, one in Chinese, one in French (not shipped: an English handout). */
static const char patients_xml[] =
    "<?xml version=\"1.0\"?>\n<patients>\n"
    "<patient id=\"E1\"><answers><answer q=\"pain-score\">4</answer><answer "
    "q=\"pressure\">strong</answer></answers></patient>\n"
    "<patient id=\"E2\"><answers><answer q=\"pain-score\">6</answer><answer "
    "q=\"bladder-bowel\">yes</answer></answers></patient>\n"
    "<patient id=\"S1\"><language>es</language><answers><answer q=\"pain-score\">5</answer><answer "
    "q=\"hard-exercise\">yes</answer></answers></patient>\n"
    "<patient id=\"Z1\"><language>zh-Hans</language><answers><answer q=\"pain-score\">5</answer><answer "
    "q=\"work-type\">desk</answer></answers></patient>\n"
    "<patient id=\"F1\"><language>fr</language><answers><answer "
    "q=\"pain-score\">3</answer></answers></patient>\n"
    "</patients>\n";

/* Runs `edit` in the copy D, then the batch again with --resume; returns the ids whose PDF
 * is a new file (its inode changed), space-separated in input order (static). */
static const char *remade_after(const char *d, const char *edit)
{
	static char remade[4096];
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && for i in E1 E2 S1 Z1 F1; do echo $i $(stat -c %%i out/$i.pdf); done > before && "
	    "{ %2$s ; } && ./handout batch -q --resume --data . --settings clinic.xml --date 2026-11-24 "
	    "patients.xml -o out 2>&1; echo \"status=$?\" && for i in E1 E2 S1 Z1 F1; do "
	    "[ \"$i $(stat -c %%i out/$i.pdf)\" = \"$(grep \"^$i \" before)\" ] || echo \"remade $i\"; done",
	    d, edit);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "status=0\n"), "after '%s': %s", edit, out);
	remade[0] = '\0';
	for (const char *s = out; (s = strstr(s, "remade ")) != NULL; s += 7) {
		size_t n = strcspn(s + 7, "\n");
		strncat(remade, s + 7, n);
		strcat(remade, " ");
	}
	free(out);
	return remade;
}

#define ALL "E1 E2 S1 Z1 F1 "

START_TEST(resume_remakes_exactly_what_changed)
{
	const char *d = temp_dir();
	char cmd[4096];
	format_into(
	    cmd, sizeof cmd,
	    "cd '%1$s' && cp -R content templates fonts handout '%2$s/' && cp examples/clinic.xml "
	    "examples/logo.png "
	    "'%2$s/' && cd '%2$s' && ./handout batch -q --data . --settings clinic.xml --date 2026-11-24 "
	    "patients.xml -o out && echo made",
	    data_dir(), d);
	char path[4096];
	format_into(path, sizeof path, "%s/patients.xml", d);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(patients_xml, f);
	fclose(f);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "made"), "%s", out);
	free(out);

	ck_assert_str_eq(remade_after(d, "true"), "");
	/* The clinic's settings: the emergency number (on E2's urgent sheet), the metadata
	 * setting, anything else in the file. */
	ck_assert_str_eq(remade_after(d, "sed -i 's/999/112/' clinic.xml"), ALL);
	format_into(cmd, sizeof cmd, "pdftotext '%s/out/E2.pdf' - | tr '\\n' ' '", d);
	out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "112") && !strstr(out, "999"), "%s", out);
	free(out);
	ck_assert_str_eq(remade_after(d,
	                              "sed -i 's|</settings>|<pdf-metadata>full</pdf-metadata></settings>|' "
	                              "clinic.xml"),
	                 ALL);
	ck_assert_str_eq(remade_after(d, "echo '<!-- reviewed -->' >> clinic.xml"), ALL);
	/* English content is every language's (rules, ids, drawings): everyone. */
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> content/causes.xml"), ALL);
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> content/diagrams/swimming.svg"), ALL);
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> content/schema/content.xsd"), ALL);
	/* A translation: its patients only. */
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> content/es/words.xml"), "S1 ");
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> content/zh-Hans/causes.xml"), "Z1 ");
	/* A new translation: the patients who asked for it and had English. */
	ck_assert_str_eq(remade_after(d, "cp -R content/es content/fr"), "F1 ");
	ck_assert_str_eq(remade_after(d, "echo '<!-- x -->' >> templates/a4.xml"), ALL);
	ck_assert_str_eq(remade_after(d, "printf x >> fonts/NotoSans-Regular.ttf"), ALL);
	ck_assert_str_eq(remade_after(d, "printf x >> fonts/WQYMicroHei-CJK.ttf"), ALL);
	ck_assert_str_eq(remade_after(d, "printf x >> logo.png"), ALL);
	/* The program itself: any other build of it. */
	ck_assert_str_eq(remade_after(d, "printf x >> handout"), ALL);
	ck_assert_str_eq(remade_after(d, "true"), "");

	/* What the resumes left is what one run from the final inputs makes. */
	format_into(cmd, sizeof cmd,
	            "cd '%s' && ./handout batch -q --data . --settings clinic.xml --date 2026-11-24 "
	            "patients.xml -o clean && "
	            "diff -r -x '.*' out clean && echo SAME",
	            d);
	out = run_command(cmd, &status);
	ck_assert_msg(strstr(out, "SAME"), "%s", out);
	free(out);
}
END_TEST

Suite *resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("fingerprint");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fingerprint_covers_every_input);
	tcase_add_test(tc, resume_remakes_exactly_what_changed);
	suite_add_tcase(s, tc);
	return s;
}
