/* check_fuzz.c: replays every fuzz harness over its corpus (tests/fuzz/corpus/NAME/) and
 * the crashes found so far (tests/fuzz/crashes/NAME/), through the normal build: under
 * `make sanitize` that is an ASan+UBSan run of every input ever kept. */
#include "diag.h"
#include "fuzz/fuzz.h"
#include "helpers.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct harness {
	const char *name;
	int (*run)(const uint8_t *data, size_t size);
	size_t min_inputs; /* the seed corpus holds at least this many */
} harness;

static const harness harnesses[] = {
    {"answers", fuzz_answers, 8},   {"settings", fuzz_settings, 3},
    {"template", fuzz_template, 4}, {"content", fuzz_content, 7},
    {"svg", fuzz_svg, 8},           {"svgpath", fuzz_svgpath, 8},
    {"fhir_xml", fuzz_fhir_xml, 8}, {"fhir_json", fuzz_fhir_json, 8},
    {"csv", fuzz_csv, 6},           {"batch", fuzz_batch, 8},
};

/* Runs the harness over every file in tests/fuzz/KIND/NAME; returns how many. */
static size_t replay(const harness *h, const char *kind)
{
	char dir[4096];
	format_into(dir, sizeof dir, "%s/tests/fuzz/%s/%s", data_dir(), kind, h->name);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = path_join(dir, e->d_name);
		size_t len;
		char *data = file_read_all(path, &len);
		ck_assert_msg(data != NULL, "cannot read %s", path);
		h->run((const uint8_t *)data, len); /* a crash or sanitizer report fails the test */
		free(data);
		free(path);
		n++;
	}
	closedir(d);
	diag_set_sink(NULL, NULL);
	return n;
}

START_TEST(corpus_replays_cleanly)
{
	const harness *h = &harnesses[_i];
	size_t seeds = replay(h, "corpus");
	replay(h, "crashes");
	ck_assert_msg(seeds >= h->min_inputs, "tests/fuzz/corpus/%s holds %zu inputs", h->name, seeds);
}
END_TEST

Suite *fuzz_suite(void)
{
	Suite *s = suite_create("fuzz corpus");
	TCase *tc = tcase_create("replay");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, corpus_replays_cleanly, 0, sizeof harnesses / sizeof harnesses[0]);
	suite_add_tcase(s, tc);
	return s;
}
