/* check_main.c: runs every test suite. */
#include "helpers.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

int main(void)
{
	/* Every temporary file of the run (temp_dir(), the shell's mktemp, the fuzz replay) goes
	 * into one folder in $TMPDIR, removed at the end; the prepared logo is kept there too,
	 * never in the user's cache. */
	const char *tmp = getenv("TMPDIR");
	char run[512], cache[600];
	snprintf(run, sizeof run, "%s/handout-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(run)) {
		perror(run);
		return EXIT_FAILURE;
	}
	snprintf(cache, sizeof cache, "%s/cache", run);
	if (mkdir(cache, 0700) != 0)
		return EXIT_FAILURE;
	setenv("TMPDIR", run, 1);
	setenv("HANDOUT_CACHE_DIR", cache, 1);
	xml_init();
	SRunner *sr = srunner_create(content_suite());
	srunner_add_suite(sr, answers_suite());
	srunner_add_suite(sr, selection_suite());
	srunner_add_suite(sr, safety_suite());
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
	srunner_add_suite(sr, out_suite());
	srunner_add_suite(sr, locale_suite());
	srunner_add_suite(sr, csv_suite());
	srunner_add_suite(sr, form_suite());
	srunner_add_suite(sr, ask_suite());
	srunner_add_suite(sr, install_suite());
	srunner_add_suite(sr, stdio_suite());
	srunner_add_suite(sr, resume_suite());
	srunner_add_suite(sr, outputs_suite());
	srunner_add_suite(sr, util_suite());
	srunner_add_suite(sr, golden_suite());
	srunner_add_suite(sr, libharu_suite());
	srunner_add_suite(sr, record_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	xml_cleanup();
	char rm[600];
	snprintf(rm, sizeof rm, "rm -rf '%s'", run);
	if (system(rm) != 0)
		failed++;
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
