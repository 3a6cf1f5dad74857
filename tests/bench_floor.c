/* bench_floor.c: the floors for make bench, for one example patient (the first in ANSWERS):
 * - the whole pipeline (selection, document, layout, PDF) against pdf_render alone on the
 *   same laid-out pages;
 * - the whole pipeline against a bare libharu program (issue 14's yardstick): two A4 pages
 *   of body text and headings in the shipped NotoSans regular and bold, embedded and
 *   compressed as libharu does by itself, no layout at all.
 * Usage: bench_floor DATA_DIR SETTINGS ANSWERS ROUNDS [pipeline]; with "pipeline" only the
 * whole pipeline runs (for perf record). */
#include "content.h"
#include "document.h"
#include "layout.h"
#include "out_list.h"
#include "out_pdf.h"
#include "pdf.h"
#include "pipeline.h"
#include "read_native.h"
#include "reader.h"
#include "selection.h"
#include "settings.h"
#include "template.h"
#include "util.h"
#include "xml.h"

#include <hpdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void ignore_error(HPDF_STATUS error, HPDF_STATUS detail, void *data)
{
	(void)detail;
	*(HPDF_STATUS *)data = error;
}

/* The bare libharu document: two pages of 10.5 pt text, a bold heading on each, fonts
 * embedded (libharu subsets and deflates them itself). Returns its size, 0 on error. */
static size_t bare_two_pages(const char *data_dir)
{
	static const char *const words[] = {
	    "Lower",   "back",    "pain",   "after", "a",     "massage",  "is",    "common", "and",
	    "usually", "settles", "within", "a",     "few",   "days.",    "Keep",  "moving", "gently,",
	    "walk",    "a",       "little", "every", "hour",  "and",      "avoid", "long",   "bed",
	    "rest.",   "Warmth",  "can",    "ease",  "tight", "muscles.",
	};
	const size_t nwords = sizeof words / sizeof words[0];
	HPDF_STATUS err = 0;
	HPDF_Doc doc = HPDF_New(ignore_error, &err);
	HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
	char regular[4096], bold[4096];
	snprintf(regular, sizeof regular, "%s/fonts/NotoSans-Regular.ttf", data_dir);
	snprintf(bold, sizeof bold, "%s/fonts/NotoSans-Bold.ttf", data_dir);
	HPDF_Font body =
	    HPDF_GetFont(doc, HPDF_LoadTTFontFromFile(doc, regular, HPDF_TRUE), "WinAnsiEncoding");
	HPDF_Font head = HPDF_GetFont(doc, HPDF_LoadTTFontFromFile(doc, bold, HPDF_TRUE), "WinAnsiEncoding");
	size_t w = 0;
	for (int pg = 0; pg < 2; pg++) {
		HPDF_Page page = HPDF_AddPage(doc);
		HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		HPDF_Page_BeginText(page);
		HPDF_Page_SetFontAndSize(page, head, 16);
		HPDF_Page_TextOut(page, 72, 770, pg ? "What you can do" : "Why your back hurts");
		HPDF_Page_SetFontAndSize(page, body, 10.5);
		for (int line = 0; line < 50; line++) {
			char text[256] = "";
			size_t len = 0;
			while (len < 80) {
				const char *word = words[w++ % nwords];
				len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", len ? " " : "",
				                        word);
			}
			HPDF_Page_TextOut(page, 72, (HPDF_REAL)(740 - line * 13.5), text);
		}
		HPDF_Page_EndText(page);
	}
	HPDF_SaveToStream(doc);
	size_t size = err ? 0 : HPDF_GetStreamSize(doc);
	HPDF_Free(doc);
	return size;
}

/* Milliseconds to render l as a PDF, the mean of rounds; its size in *len. */
static double render_ms(const layout *l, const resources *r, const pdf_meta *meta, int rounds, size_t *len)
{
	const pdf_image *images[1] = {r->logo_pdf};
	double t0 = now();
	for (int i = 0; i < rounds; i++) {
		unsigned char *out;
		if (pdf_render(l, r->fonts, images, r->logo_pdf ? 1 : 0, meta, &out, len) != 0)
			exit(1);
		free(out);
	}
	return (now() - t0) / rounds * 1000;
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
		unsigned char *pdf;
		if (pipeline_handout(r, p, DUMP_NONE, NULL, &res) != 0)
			return 1;
		out_handout h = out_list_handout(r, p, &res);
		if (out_pdf_render(r, &h, &pdf, &bytes) != 0)
			return 1;
		pages = res.pages;
		free(pdf);
		handout_result_free(&res);
	}
	double whole = (now() - t0) / rounds * 1000;
	if (argc > 5 && strcmp(argv[5], "pipeline") == 0) {
		printf("one handout of %zu pages, %zu bytes: whole pipeline %.3f ms\n", pages, bytes, whole);
		return 0;
	}
	/* libharu alone, on the same pages. */
	selection *sel = selection_make(r->content, p);
	document_options opt = {r->template->sections, r->template->nsections, 1,
	                        r->template->colour[COLOUR_MARK]};
	document *doc = document_build(r->content, r->settings, p, sel, "24 November 2026", &opt);
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(r->fonts), &m);
	layout *l = layout_document(doc, r->template, &m);
	const pdf_image *images[1] = {r->logo_pdf};
	pdf_meta meta = {doc->title, r->settings->clinic_name, doc->subject, "patient", "2026-11-24", NULL,
	                 r->profile};
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
	/* What the record costs (issue 24): the same pages with no tags and no output intent. */
	size_t tagged_len = 0, plain_len = 0;
	double tagged_ms = render_ms(l, r, &meta, rounds, &tagged_len);
	layout plain = *l;
	plain.ntags = 0;
	pdf_meta plain_meta = meta;
	plain_meta.profile = NULL;
	double plain_ms = render_ms(&plain, r, &plain_meta, rounds, &plain_len);
	printf("the record (tags, output intent): %+zd bytes (%+.0f%%), %+.3f ms (%+.0f%% of the whole "
	       "handout)\n",
	       (ssize_t)tagged_len - (ssize_t)plain_len, 100.0 * ((double)tagged_len / (double)plain_len - 1),
	       tagged_ms - plain_ms, 100 * (tagged_ms - plain_ms) / (whole - (tagged_ms - plain_ms)));
	/* The bare libharu program, timed in the same run. */
	size_t bare_bytes = bare_two_pages(argv[1]);
	t0 = now();
	for (int i = 0; i < rounds; i++)
		if (!bare_two_pages(argv[1]))
			return 1;
	double bare_ms = (now() - t0) / rounds * 1000;
	printf("bare libharu, two pages of text with the same fonts: %.3f ms, %zu bytes; "
	       "the whole handout costs %.2f times that\n",
	       bare_ms, bare_bytes, whole / bare_ms);
	layout_free(l);
	document_free(doc);
	selection_free(sel);
	patient_free(p);
	reader_close(ar);
	resources_free(r);
	xml_cleanup();
	return 0;
}
