/* template.h: a page design from templates/: paper, margins, faces, sizes, colours. */
#ifndef HANDOUT_TEMPLATE_H
#define HANDOUT_TEMPLATE_H

#include "style.h"
#include <stddef.h>

typedef struct page_template {
	char *id;
	char *description;
	double page_width_pt, page_height_pt;
	double margin_top_pt, margin_bottom_pt, margin_left_pt, margin_right_pt;
	char *face_file[FACE_COUNT]; /* file names inside the fonts folder */
	double size_pt[ROLE_COUNT];
	double line_spacing; /* line height as a multiple of the font size */
	rgb colour[COLOUR_COUNT];
	section_id sections[SECTION_COUNT]; /* in print order */
	size_t nsections;
	int dose_paragraph; /* <dose>paragraph</dose>: an exercise's dose as one paragraph */
	int max_pages;      /* <pages max>: the most pages a handout should take, set closer and
	                       then briefer to fit (pipeline.c); 0: no limit */
	double min_fill;    /* <pages fill>: how full a page before the last should be, a share;
	                       drawings grow to fill one less full (layout.c); 0: they never grow */
} page_template;

/* Loads templates_dir/NAME.xml (or NAME itself when it contains a '/'), validated against
 * schema_path. Every section but summary and log must be listed once. NULL after reporting. */
page_template *template_load(const char *templates_dir, const char *name, const char *schema_path);
void template_free(page_template *t);

/* Whether t is large print: its body at least 16 pt, RNIB's least for large print. */
int template_large_print(const page_template *t);

#endif
