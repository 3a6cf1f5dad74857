/* mail.h: window-envelope letters: where each envelope style's window is on page 1 and what
 * goes in it (the clinic's sender line, the patient's name and address). */
#ifndef HANDOUT_MAIL_H
#define HANDOUT_MAIL_H

#include "layout.h"

struct page_template;
struct settings;
struct patient;

typedef struct mail_style {
	const char *name;        /* "din5008", "us10" */
	const char *paper;       /* "A4", "Letter": the paper its envelopes take */
	double paper_w_mm, paper_h_mm;
	double x_mm, top_mm, w_mm, h_mm; /* the window (address field) from the left and top edges */
	double address_top_mm;   /* the first address line, from the window's top (the sender line above) */
} mail_style;

/* The style called name, or NULL. */
const mail_style *mail_style_find(const char *name);
/* 1 when the template's paper is the style's (within a millimetre). */
int mail_style_fits(const mail_style *s, const struct page_template *t);

/* The window's contents for patient p: sender "Clinic · street · city", then the name and
 * the address lines. Returns 0, or -1 when the patient has no address or no name (not
 * mailed). The
 * strings are borrowed from s, p and buf, which the caller frees with mail_window_free. */
typedef struct mail_window {
	layout_window w;
	char *sender;
	const char **lines;
} mail_window;
int mail_window_make(mail_window *mw, const mail_style *style, const struct settings *s, const struct patient *p);
void mail_window_free(mail_window *mw);

#endif
