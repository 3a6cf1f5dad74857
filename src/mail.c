/* mail.c: the window envelopes handout prints for, and where on page 1 the address goes.
 *
 * DIN 5008 form B on A4 (DIN 5008:2020, "Formular B"; envelope windows per DIN 680):
 *   address field ("Anschriftfeld") 20 mm from the left edge, 45 mm from the top, 85 mm wide
 *   and 45 mm tall (45 to 90 mm from the top);
 *   its top 17.7 mm (45 to 62.7 mm) is the return-address and remark zone ("Zusatz- und
 *   Vermerkzone", 5 lines): the clinic's sender line sits at its foot, just above 62.7 mm;
 *   the address itself goes in the 27.3 mm below ("Anschriftzone", 62.7 to 90 mm, 6 lines:
 *   the name and 5 address lines at 10 pt);
 *   text is written from 25 mm, the letter's left text margin, 5 mm inside the field, so a
 *   letter that shifts in its envelope keeps its first letters; we keep the same 5 mm from
 *   the field's right edge (text from 25 to 100 mm, 75 mm; the standard only says the field
 *   is 85 mm wide);
 *   fold marks ("Falzmarken") at 105 mm and 210 mm from the top and the hole mark
 *   ("Lochmarke") at 148.5 mm, short rules in the left margin.
 *
 * US #10 window envelope on Letter (the spec: the window 0.875 to 4.5 in from the left and
 * 2.0 to 3.125 in from the top): the whole block keeps 1/8 in from every window edge, so it
 * is written within 1.0 to 4.375 in from the left and 2.125 to 3.0 in from the top
 * (0.875 in, 63 pt: the sender line, the name and 3 address lines at 10 pt). */
#include "mail.h"
#include "patient.h"
#include "settings.h"
#include "template.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define IN_MM 25.4
/* The address is set at 10 pt, the size postal scanners and DIN 5008 expect. */
#define ADDRESS_PT 10.0
/* Room above the first address line's capitals for accents (Noto Sans' accented capitals
 * reach 1.0 em above the baseline, layout tops a line at 0.75 em). */
#define ACCENT_ROOM_PT (0.25 * ADDRESS_PT)
/* The sender line (7 pt, from its accents down to its rule) needs this much above the
 * first address line's accents to stay inside the address area. */
#define SENDER_ZONE_PT 11.5
/* The marks in the left margin: from 5 mm (inside what printers can print), a fold mark
 * 5 mm long, the hole mark longer so that the two are told apart. */
#define MARK_X_MM    5.0
#define FOLD_MARK_MM 5.0
#define HOLE_MARK_MM 8.0

static const mail_style styles[] = {
    {"din5008",
     "A4",
     210,
     297,
     20,
     45,
     85,
     45,
     5,
     5,
     0,
     0,
     17.7,
     {{105, FOLD_MARK_MM}, {148.5, HOLE_MARK_MM}, {210, FOLD_MARK_MM}}},
    {"us10",
     "Letter",
     8.5 * IN_MM,
     11 * IN_MM,
     0.875 * IN_MM,
     2.0 * IN_MM,
     (4.5 - 0.875) * IN_MM,
     1.125 * IN_MM,
     0.125 * IN_MM,
     0.125 * IN_MM,
     0.125 * IN_MM,
     0.125 * IN_MM,
     0.125 * IN_MM + SENDER_ZONE_PT / PT_PER_MM,
     {{0}}},
};

const mail_style *mail_style_find(const char *name)
{
	for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
		if (strcmp(styles[i].name, name) == 0)
			return &styles[i];
	return NULL;
}

int mail_style_fits(const mail_style *s, const page_template *t)
{
	return fabs(t->page_width_pt / PT_PER_MM - s->paper_w_mm) < 1 &&
	       fabs(t->page_height_pt / PT_PER_MM - s->paper_h_mm) < 1;
}

void mail_style_address_area(const mail_style *s, double *left_pt, double *top_pt, double *right_pt,
                             double *bottom_pt)
{
	*left_pt = mm_to_pt(s->x_mm + s->inset_left_mm);
	*right_pt = mm_to_pt(s->x_mm + s->w_mm - s->inset_right_mm);
	*top_pt = mm_to_pt(s->top_mm + s->inset_top_mm);
	*bottom_pt = mm_to_pt(s->top_mm + s->h_mm - s->inset_bottom_mm);
}

int mail_window_make(mail_window *mw, const mail_style *style, const settings *s, const patient *p)
{
	memset(mw, 0, sizeof *mw);
	if (p->naddress == 0 || !p->name || !*p->name)
		return -1; /* an envelope needs a name: the id is not one */
	strbuf sender = {0};
	if (s->clinic_name)
		sb_append(&sender, s->clinic_name);
	for (size_t i = 0; i < s->nclinic_address; i++)
		sb_printf(&sender, "%s%s", sender.len ? " \xC2\xB7 " : "", s->clinic_address[i]);
	mw->sender = sb_take(&sender);
	mw->lines = xcalloc(p->naddress + 1, sizeof *mw->lines);
	mw->lines[0] = patient_display_name(p);
	for (size_t i = 0; i < p->naddress; i++)
		mw->lines[i + 1] = p->address[i];
	double left, top, right, bottom;
	mail_style_address_area(style, &left, &top, &right, &bottom);
	size_t nmarks = 0;
	for (size_t i = 0; i < MAIL_MARKS_MAX && style->marks[i].at_mm > 0; i++)
		mw->marks[nmarks++] = (layout_mark){mm_to_pt(style->marks[i].at_mm), mm_to_pt(MARK_X_MM),
		                                    mm_to_pt(style->marks[i].len_mm)};
	mw->w = (layout_window){left,
	                        top,
	                        right - left,
	                        bottom - top,
	                        mm_to_pt(style->address_top_mm) - (top - mm_to_pt(style->top_mm)) +
	                            ACCENT_ROOM_PT,
	                        mw->sender,
	                        mw->lines,
	                        p->naddress + 1,
	                        ADDRESS_PT,
	                        mw->marks,
	                        nmarks};
	return 0;
}

void mail_window_free(mail_window *mw)
{
	free(mw->sender);
	free(mw->lines);
	memset(mw, 0, sizeof *mw);
}
