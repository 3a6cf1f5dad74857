/* fuzz_svg.c: an SVG drawing, loaded (every number it keeps must be one a page can hold),
 * laid out alone and rendered to PDF. */
#include "fuzz.h"
#include "layout.h"
#include "pdf.h"
#include "pipeline.h"
#include "svg.h"
#include "svgpath.h"

#include <stdlib.h>

FUZZ_TARGET(svg)
{
	fuzz_quiet();
	const resources *res = fuzz_resources();
	drawing *d = svg_load(fuzz_write("drawing.svg", data, size));
	if (!d)
		return 0;
	fuzz_assert_sane(d->width, "width");
	fuzz_assert_sane(d->height, "height");
	for (size_t i = 0; i < d->nitems; i++) {
		const draw_item *it = &d->items[i];
		if (it->kind == DRAW_TEXT) {
			fuzz_assert_sane(it->x, "label x");
			fuzz_assert_sane(it->y, "label y");
			fuzz_assert_sane(it->font_size, "font size");
			continue;
		}
		fuzz_assert_sane(it->stroke_width, "stroke width");
		for (size_t k = 0; k < it->path.nsegs; k++) {
			const seg *s = &it->path.segs[k];
			fuzz_assert_sane(s->x, "x"), fuzz_assert_sane(s->y, "y");
			fuzz_assert_sane(s->x1, "x1"), fuzz_assert_sane(s->y1, "y1");
			fuzz_assert_sane(s->x2, "x2"), fuzz_assert_sane(s->y2, "y2");
		}
	}
	layout_measure m;
	fonts_measure(pdf_fonts_metrics(res->fonts), &m);
	layout *l = layout_drawing(d, &m);
	pdf_meta meta = {"fuzz", NULL, NULL, NULL, "2026-11-24", "fuzz"};
	unsigned char *pdf = NULL;
	size_t len = 0;
	if (pdf_render(l, res->fonts, NULL, 0, &meta, &pdf, &len) != 0)
		abort(); /* a drawing that loads must render */
	free(pdf);
	layout_free(l);
	drawing_free(d);
	return 0;
}
