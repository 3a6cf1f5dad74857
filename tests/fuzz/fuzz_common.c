/* fuzz_common.c: the harnesses' shared helpers (see fuzz.h). */
#include "content.h"
#include "diag.h"
#include "fuzz.h"
#include "out_list.h"
#include "out_pdf.h"
#include "pipeline.h"
#include "reader.h"
#include "selection.h"
#include "util.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_DATA
#define FUZZ_DATA "."
#endif

const char *fuzz_data_dir(void)
{
	const char *d = getenv("HANDOUT_DATA");
	return d && *d ? d : FUZZ_DATA;
}

const char *fuzz_temp_dir(void)
{
	static char dir[512];
	if (!dir[0]) {
		/* TMPDIR=/dev/shm keeps a batch's flushes off the disk. */
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%s/handout-fuzz-XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[768];
	snprintf(path, sizeof path, "%s/%s", fuzz_temp_dir(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	close(fd);
	return path;
}

static void drop(void *ctx, diag_level level, const char *line)
{
	(void)ctx, (void)level, (void)line;
}

void fuzz_quiet(void)
{
	diag_set_sink(drop, NULL);
}

const resources *fuzz_resources(void)
{
	static resources *res;
	if (!res) {
		resource_paths paths = {fuzz_data_dir(), NULL, "a4", "2026-11-24", 1};
		res = resources_load(&paths);
		if (!res)
			abort();
	}
	return res;
}

const resources *fuzz_letter_resources(void)
{
	static resources *res;
	if (!res) {
		setenv("HANDOUT_CACHE_DIR", "none", 1);
		char *settings = path_join(fuzz_data_dir(), "examples/clinic.xml");
		resource_paths paths = {fuzz_data_dir(), settings, "a4", "2026-11-24", 1, 0, 1};
		res = resources_load(&paths);
		free(settings);
		if (!res)
			abort();
	}
	return res;
}

void fuzz_assert_sane(double v, const char *what)
{
	if (!isfinite(v) || fabs(v) > 1e7) {
		fprintf(stderr, "fuzz: %s is %g\n", what, v);
		abort();
	}
}

int fuzz_patients(const char *name, const uint8_t *data, size_t size)
{
	fuzz_quiet();
	const resources *res = fuzz_resources();
	const char *path = fuzz_write(name, data, size);
	id_set *seen = id_set_new();
	reader *r = reader_open(path, &(reader_run){.q = &res->content->questionnaire, .seen = seen});
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
				if (pipeline_handout(res, p, DUMP_NONE, NULL, &out) == 0) {
					out_handout h = out_list_handout(res, p, &out);
					unsigned char *pdf = NULL;
					size_t len;
					if (out_pdf_render(res, &h, &pdf, &len) == 0 && !pdf)
						abort();
					free(pdf);
				}
				handout_result_free(&out);
			}
		}
		patient_free(p);
	}
	reader_close(r);
	id_set_free(seen);
	return 0;
}
