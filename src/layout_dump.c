/* layout_dump.c: a layout as text, for tests and for measuring populations. */
#include "layout_int.h"
#include "svg.h"
#include "util.h"

#include <string.h>

/* A drawing's file name without its folder. */
static const char *drawing_file_name(const drawing *d)
{
	const char *slash = strrchr(d->file, '/');
	return slash ? slash + 1 : d->file;
}

void layout_dump(const layout *l, strbuf *out)
{
	static const char *const colours[COLOUR_COUNT] = {"text", "accent", "urgent",
	                                                  "rule", "shade",  "mark"};
	for (size_t i = 0; i < l->npages; i++) {
		sb_printf(out, "page %zu of %zu (%.2f x %.2f)\n", i + 1, l->npages, l->width_pt,
		          l->height_pt);
		const layout_page *p = &l->pages[i];
		for (size_t k = 0; k < p->nitems; k++) {
			const layout_item *it = &p->items[k];
			if (it->kind == ITEM_TEXT && it->has_rgb)
				sb_printf(out, "  text %.2f %.2f w=%.2f %s %.1f #%02x%02x%02x \"%s\"\n",
				          it->x_pt, it->y_pt, it->w_pt,
				          it->face == FACE_BOLD ? "bold" : "regular", it->size_pt,
				          (int)(it->ink.r * 255 + 0.5), (int)(it->ink.g * 255 + 0.5),
				          (int)(it->ink.b * 255 + 0.5), it->text);
			else if (it->kind == ITEM_TEXT)
				sb_printf(out, "  text %.2f %.2f w=%.2f %s %.1f %s \"%s\"\n", it->x_pt,
				          it->y_pt, it->w_pt, it->face == FACE_BOLD ? "bold" : "regular",
				          it->size_pt, colours[it->colour], it->text);
			else if (it->kind == ITEM_DRAWING)
				sb_printf(out, "  drawing %s %.2f %.2f %.2f %.2f\n",
				          drawing_file_name(it->drawing), it->x_pt, it->y_pt, it->w_pt,
				          it->h_pt);
			else if (it->kind == ITEM_IMAGE)
				sb_printf(out, "  image %d %.2f %.2f %.2f %.2f\n", it->image, it->x_pt,
				          it->y_pt, it->w_pt, it->h_pt);
			else
				sb_printf(out, "  rect %.2f %.2f %.2f %.2f fill=%s stroke=%.1f/%s\n",
				          it->x_pt, it->y_pt, it->w_pt, it->h_pt,
				          it->filled ? colours[it->fill] : "none", it->stroke_pt,
				          it->stroke_pt > 0 ? colours[it->stroke] : "none");
		}
	}
}

const char *layout_break_name(layout_break b)
{
	static const char *const names[BREAK_COUNT] = {"clean", "paragraph", "orphan", "section",
	                                               "card",  "box",       "group",  "kept"};
	return b < BREAK_COUNT ? names[b] : "?";
}

void layout_dump_pages(const layout *l, strbuf *out)
{
	sb_printf(out, "pages=%zu spacing=%.2f fill=", l->npages, l->line_spacing);
	for (size_t i = 0; i < l->npages; i++)
		sb_printf(out, "%s%.0f", i ? "," : "", 100 * l->pages[i].fill);
	sb_append(out, " breaks=");
	for (size_t i = 0; i + 1 < l->npages; i++)
		sb_printf(out, "%s%s", i ? "," : "", layout_break_name(l->pages[i].break_after));
	if (l->npages < 2)
		sb_append(out, "none");
	sb_append(out, " drawings=");
	int any = 0;
	for (size_t i = 0; i < l->npages; i++)
		for (size_t k = 0; k < l->pages[i].nitems; k++) {
			const layout_item *it = &l->pages[i].items[k];
			if (it->kind != ITEM_DRAWING)
				continue;
			const char *name = drawing_file_name(it->drawing);
			sb_printf(out, "%s%.*s:%.0f", any++ ? "," : "", (int)strcspn(name, "."), name,
			          it->h_pt);
		}
	if (!any)
		sb_append(out, "none");
}
