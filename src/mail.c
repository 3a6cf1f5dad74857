/* mail.c: the window envelopes handout prints for, from the spec: DIN 5008 form B on A4
 * (address field 85 x 45 mm, 20 mm from the left, 45 mm from the top; its top 17.7 mm is the
 * zone for the sender line) and the US #10 window on Letter (0.875 to 4.5 in from the left,
 * 2.0 to 3.125 in from the top). */
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

static const mail_style styles[] = {
	{"din5008", "A4", 210, 297, 20, 45, 85, 45, 17.7},
	{"us10", "Letter", 8.5 * IN_MM, 11 * IN_MM, 0.875 * IN_MM, 2.0 * IN_MM, (4.5 - 0.875) * IN_MM, 1.125 * IN_MM, 4.0},
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
	return fabs(t->page_width_pt / PT_PER_MM - s->paper_w_mm) < 1 && fabs(t->page_height_pt / PT_PER_MM - s->paper_h_mm) < 1;
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
	mw->w = (layout_window){style->x_mm * PT_PER_MM, style->top_mm * PT_PER_MM, style->w_mm * PT_PER_MM,
				style->h_mm * PT_PER_MM, style->address_top_mm * PT_PER_MM, mw->sender,
				mw->lines, p->naddress + 1, ADDRESS_PT};
	return 0;
}

void mail_window_free(mail_window *mw)
{
	free(mw->sender);
	free(mw->lines);
	memset(mw, 0, sizeof *mw);
}
