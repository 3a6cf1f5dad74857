/* mail.h: window-envelope letters: where each envelope style's window is on page 1, where
 * inside it the address may be written, and what goes there (the clinic's sender line, the
 * patient's name and address), with the paper's fold and hole marks. */
#ifndef HANDOUT_MAIL_H
#define HANDOUT_MAIL_H

#include "layout.h"

struct page_template;
struct settings;
struct patient;

#define MAIL_MARKS_MAX 3

typedef struct mail_style {
	const char *name;  /* "din5008", "us10" */
	const char *paper; /* "A4", "Letter": the paper its envelopes take */
	double paper_w_mm, paper_h_mm;
	double x_mm, top_mm, w_mm, h_mm; /* the window (address field) from the left and top edges */
	/* Where the block is written: this far inside the window's edges ... */
	double inset_left_mm, inset_right_mm, inset_top_mm, inset_bottom_mm;
	/* ... and the address's first line from the window's top (the sender line just above). */
	double address_top_mm;
	/* Short rules in the left margin (fold and hole marks): how far from the page's top,
	 * and how long; at_mm 0 ends the list. */
	struct {
		double at_mm, len_mm;
	} marks[MAIL_MARKS_MAX];
} mail_style;

/* The style called name, or NULL. */
const mail_style *mail_style_find(const char *name);
/* 1 when the template's paper is the style's (within a millimetre). */
int mail_style_fits(const mail_style *s, const struct page_template *t);
/* The rectangle the address block (sender line, name, address) stays inside, in points from
 * the page's left and top edges: the window less the style's insets. */
void mail_style_address_area(const mail_style *s, double *left_pt, double *top_pt, double *right_pt,
                             double *bottom_pt);

/* The window's contents for patient p: sender "Clinic · street · city", then the name and
 * the address lines, placed in the style's address area, and the style's marks. Returns 0,
 * or -1 when the patient has no address or no name (not mailed). The strings are borrowed
 * from s and p; the caller frees mw with mail_window_free. */
typedef struct mail_window {
	layout_window w;
	char *sender;
	const char **lines;
	layout_mark marks[MAIL_MARKS_MAX];
} mail_window;
int mail_window_make(mail_window *mw, const mail_style *style, const struct settings *s,
                     const struct patient *p);
void mail_window_free(mail_window *mw);

#endif
