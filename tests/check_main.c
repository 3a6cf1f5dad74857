/* check_main.c: runs every test suite. */
#include "helpers.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	/* The prepared logo is kept in a folder of the tests' own, never the user's cache. */
	char cache[] = "/tmp/handout-test-cache-XXXXXX";
	if (!mkdtemp(cache))
		return EXIT_FAILURE;
	setenv("HANDOUT_CACHE_DIR", cache, 1);
	xml_init();
	SRunner *sr = srunner_create(content_suite());
	srunner_add_suite(sr, answers_suite());
	srunner_add_suite(sr, selection_suite());
	srunner_add_suite(sr, xml_suite());
	srunner_add_suite(sr, layout_suite());
	srunner_add_suite(sr, end_to_end_suite());
	srunner_add_suite(sr, typesetting_suite());
	srunner_add_suite(sr, svg_suite());
	srunner_add_suite(sr, batch_suite());
	srunner_add_suite(sr, fuzz_suite());
	srunner_add_suite(sr, hostile_suite());
	srunner_add_suite(sr, fhir_suite());
	srunner_add_suite(sr, mailing_suite());
	srunner_add_suite(sr, report_suite());
	srunner_add_suite(sr, locale_suite());
	srunner_add_suite(sr, csv_suite());
	srunner_add_suite(sr, form_suite());
	srunner_add_suite(sr, ask_suite());
	srunner_add_suite(sr, resume_suite());
	srunner_add_suite(sr, outputs_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xml_cleanup();
	char rm[96];
	snprintf(rm, sizeof rm, "rm -rf '%s'", cache);
	if (system(rm) != 0)
		failed++;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
