/* fuzz_answers.c: a native answers file, read, checked, selected for and, for its first
 * valid patient, made into a whole handout (layout and PDF). */
#include "read_native.h"
#include "content.h"
#include "fuzz.h"
#include "pipeline.h"
#include "selection.h"
#include "util.h"

#include <stdlib.h>

FUZZ_TARGET(answers)
{
	fuzz_quiet();
	const resources *res = fuzz_resources();
	const char *path = fuzz_write("answers.xml", data, size);
	id_set *seen = id_set_new();
	reader *r = reader_open(path, &(reader_run){&res->content->questionnaire, seen});
	int made = 0;
	patient *p;
	while (r && (p = reader_next(r)) != NULL) {
		if (!p->error) {
			selection *s = selection_make(res->content, p);
			strbuf json = {0};
			selection_to_json(s, p, &json);
			sb_free(&json);
			selection_free(s);
			if (!made++) {
				handout_result out;
				if (pipeline_handout(res, p, DUMP_NONE, NULL, &out) == 0 && !out.pdf)
					abort();
				handout_result_free(&out);
			}
		}
		patient_free(p);
	}
	reader_close(r);
	id_set_free(seen);
	return 0;
}
