/* bench_floor.c: the floor for make bench: renders the same laid-out pages with libharu
 * alone (pdf_render), against the whole pipeline (selection, document, layout, PDF), for
 * one example patient. Usage: bench_floor DATA_DIR SETTINGS ANSWERS ROUNDS */
#include "read_native.h"
#include "content.h"
#include "document.h"
#include "layout.h"
#include "pdf.h"
#include "pipeline.h"
#include "selection.h"
#include "settings.h"
#include "template.h"
#include "util.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench_floor DATA_DIR SETTINGS ANSWERS ROUNDS\n");
		return 2;
	}
	int rounds = atoi(argv[4]);
	xml_init();
	resource_paths paths = {argv[1], argv[2], NULL, "2026-11-24", 1};
	resources *r = resources_load(&paths);
	if (!r)
		return 2;
	reader *ar = reader_open(argv[3], &(reader_run){&r->content->questionnaire, NULL});
	patient *p = ar ? reader_next(ar) : NULL;
	if (!p || p->error)
		return 2;
	/* The whole pipeline. */
	double t0 = now();
	size_t bytes = 0, pages = 0;
	for (int i = 0; i < rounds; i++) {
		handout_result res;
		if (pipeline_handout(r, p, DUMP_NONE, NULL, &res) != 0)
			return 1;
		bytes = res.pdf_len;
		pages = res.pages;
		handout_result_free(&res);
	}
	double whole = (now() - t0) / rounds * 1000;
	/* libharu alone, on the same pages. */
	selection *sel = selection_make(r->content, p);
	document_options opt = {r->template->sections, r->template->nsections, 1, r->template->colour[COLOUR_MARK]};
	document *doc = document_build(r->content, r->settings, p, sel, "24 November 2026", &opt);
	layout_measure m;
	pdf_fonts_measure(r->fonts, &m);
	layout *l = layout_document(doc, r->template, &m);
	const pdf_image *images[1] = {r->logo_pdf};
	pdf_meta meta = {doc->title, r->settings->clinic_name, doc->subject, "patient", "2026-11-24"};
	t0 = now();
	for (int i = 0; i < rounds; i++) {
		unsigned char *out;
		size_t len;
		if (pdf_render(l, r->fonts, images, r->logo_pdf ? 1 : 0, &meta, &out, &len) != 0)
			return 1;
		free(out);
	}
	double floor_ms = (now() - t0) / rounds * 1000;
	printf("one handout of %zu pages, %zu bytes: whole pipeline %.3f ms, libharu alone %.3f ms (floor), "
	       "ours on top %.3f ms (%.0f%%)\n",
	       pages, bytes, whole, floor_ms, whole - floor_ms, 100 * (whole - floor_ms) / whole);
	layout_free(l);
	document_free(doc);
	selection_free(sel);
	patient_free(p);
	reader_close(ar);
	resources_free(r);
	xml_cleanup();
	return 0;
}
