/* document.c: builds the handout's blocks from content, settings, patient and selection. */
#include "document.h"
#include "locale.h"
#include "patient.h"
#include "condition.h"
#include "content.h"
#include "selection.h"
#include "settings.h"
#include "svg.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULLET "\xE2\x80\xA2" /* U+2022 */
#define MIDDOT " \xC2\xB7 "   /* U+00B7 between spaces */

block *document_add(document *d, block_kind kind, text_role role)
{
	grow_array((void **)&d->blocks, &d->blocks_cap, d->nblocks + 1, sizeof *d->blocks);
	block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->role = role;
	b->colour = COLOUR_TEXT;
	return b;
}

void block_add_span(block *b, face_id face, const char *text)
{
	b->spans = xrealloc(b->spans, (b->nspans + 1) * sizeof *b->spans);
	b->spans[b->nspans++] = (span){face, xstrdup(text)};
}

static block *text(document *d, text_role role, face_id face, const char *s)
{
	block *b = document_add(d, BLOCK_TEXT, role);
	block_add_span(b, face, s);
	return b;
}

static block *heading(document *d, text_role role, const char *s)
{
	block *b = text(d, role, FACE_BOLD, s);
	b->colour = COLOUR_ACCENT;
	b->keep_with_next = 1;
	return b;
}

/* A paragraph that opens with a bold label ("Why we think so: ..."). */
static block *labelled(document *d, const char *label, const char *s)
{
	block *b = document_add(d, BLOCK_TEXT, ROLE_BODY);
	block_add_span(b, FACE_BOLD, label);
	block_add_span(b, FACE_REGULAR, s);
	return b;
}

static block *item(document *d, text_role role, face_id face, const char *marker, const char *s)
{
	block *b = document_add(d, BLOCK_ITEM, role);
	b->marker = xstrdup(marker);
	block_add_span(b, face, s);
	return b;
}

/* A drawing, centred, with its caption under it. owned (may be NULL) is freed with d. */
static void figure(document *d, const drawing *dr, drawing *owned, double height_em, const char *caption)
{
	block *b = document_add(d, BLOCK_DRAWING, ROLE_BODY);
	b->drawing = dr;
	b->owned = owned;
	b->height_em = height_em;
	block *c = document_add(d, BLOCK_TEXT, ROLE_BODY);
	block_add_span(c, FACE_REGULAR, caption);
	c->centred = 1;
}

/* Opens a drawing at the right of the column; the blocks up to aside_end wrap beside it. */
static void aside_begin(document *d, const drawing *dr, double width_frac, double max_height_em)
{
	block *b = document_add(d, BLOCK_ASIDE_BEGIN, ROLE_BODY);
	b->drawing = dr;
	b->width_frac = width_frac;
	b->height_em = max_height_em;
}

static void space(document *d, double em)
{
	document_add(d, BLOCK_SPACE, ROLE_BODY)->space_em = em;
}

static void box_begin(document *d, box_kind kind)
{
	document_add(d, BLOCK_BOX_BEGIN, ROLE_BODY)->box = kind;
}

static void mark(document *d, block_kind kind)
{
	document_add(d, kind, ROLE_BODY);
}

/* A phrase as a sentence, as the language ends one; an ASCII first letter capitalised. */
static char *sentence(const content *c, const char *phrase)
{
	char *s = locale_format(&c->words, W_SENTENCE, "text", phrase, (const char *)NULL);
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	return s;
}

/* An action of a notice, with the clinic's emergency number filled in (or the words
 * content gives for when the settings have none). Caller frees. */
static char *notice_action(const notice *n, size_t k, const settings *s)
{
	const char *at = strstr(n->actions[k], "{emergency-number}");
	if (!at)
		return xstrdup(n->actions[k]);
	if (!s->emergency_number)
		return xstrdup(n->actions_without[k] ? n->actions_without[k] : n->actions[k]);
	strbuf sb = {0};
	sb_printf(&sb, "%.*s%s%s", (int)(at - n->actions[k]), n->actions[k], s->emergency_number,
		  at + strlen("{emergency-number}"));
	return sb_take(&sb);
}

static void urgent_box(document *d, const content *c, const settings *s)
{
	const notice *n = content_notice(c, "urgent");
	box_begin(d, BOX_URGENT);
	block *t = text(d, ROLE_URGENT, FACE_BOLD, n->title);
	t->colour = COLOUR_URGENT;
	for (size_t i = 0; i < n->nactions; i++) {
		char *action = notice_action(n, i, s);
		item(d, ROLE_URGENT, FACE_BOLD, BULLET, action);
		free(action);
	}
	space(d, 0.3);
	text(d, ROLE_BODY, FACE_REGULAR, n->text);
	mark(d, BLOCK_BOX_END);
	space(d, 0.6);
}

/* Why going now matters: for each kind of red flag reported, what the patient told us and
 * what it may mean (the urgent notes); the notice's own reason when content has none. */
static void urgent_reasons(document *d, const content *c, const patient *p, const selection *sel)
{
	size_t shown = 0;
	for (size_t i = 0; i < sel->nnotes; i++) {
		const note *n = content_note(c, sel->notes[i].id);
		if (!n->urgent)
			continue;
		mark(d, BLOCK_KEEP_BEGIN);
		heading(d, ROLE_SUBHEADING, n->title);
		if (*sel->notes[i].reason)
			text(d, ROLE_BODY, FACE_BOLD, sel->notes[i].reason);
		strbuf sb = {0};
		reason_format(n->text, -1, p, &sb);
		text(d, ROLE_BODY, FACE_REGULAR, sb.data);
		sb_free(&sb);
		mark(d, BLOCK_KEEP_END);
		space(d, 0.4);
		shown++;
	}
	if (!shown && *sel->notice.reason)
		labelled(d, locale_word(&c->words, W_WHY), sel->notice.reason);
	space(d, 0.4);
}

/* The clinic that made the sheet, for the staff who read it: logo, name, address, phone. */
static void clinic_block(document *d, const content *c, const settings *s, const document_options *opt)
{
	if (opt->logo_aspect > 0) {
		block *b = document_add(d, BLOCK_IMAGE, ROLE_BODY);
		b->image = 0;
		b->height_em = 2.6;
		d->image_aspect[0] = opt->logo_aspect;
	}
	if (*s->clinic_name)
		heading(d, ROLE_HEADING, s->clinic_name)->keep_with_next = 0;
	strbuf contact = {0};
	for (size_t i = 0; i < s->nclinic_address; i++)
		sb_printf(&contact, "%s%s", contact.len ? ", " : "", s->clinic_address[i]);
	if (s->clinic_phone) {
		char *phone = locale_format(&c->words, W_PHONE, "phone", s->clinic_phone, (const char *)NULL);
		sb_printf(&contact, "%s%s", contact.len ? MIDDOT : "", phone);
		free(phone);
	}
	if (contact.len)
		text(d, ROLE_SMALL, FACE_REGULAR, contact.data);
	sb_free(&contact);
}

static void title_block(document *d, const content *c, const settings *s, const patient *p, const char *date_text,
			const document_options *opt)
{
	clinic_block(d, c, s, opt);
	space(d, 0.6);
	text(d, ROLE_TITLE, FACE_BOLD, locale_word(&c->words, W_TITLE));
	char *who = p->name && *p->name
			    ? locale_format(&c->words, W_FOR, "name", p->name, "date", date_text, (const char *)NULL)
			    : locale_format(&c->words, W_FOR_ID, "id", p->id, "date", date_text, (const char *)NULL);
	text(d, ROLE_BODY, FACE_REGULAR, who);
	free(who);
	space(d, 0.6);
}

static void summary_box(document *d, const content *c, const selection *sel)
{
	box_begin(d, BOX_SUMMARY);
	heading(d, ROLE_SUBHEADING, locale_word(&c->words, W_IN_SHORT));
	text(d, ROLE_BODY, FACE_REGULAR, c->outlook);
	if (sel->ncauses) {
		text(d, ROLE_BODY, FACE_BOLD, locale_word(&c->words, sel->ncauses > 1 ? W_LIKELY_CAUSES : W_LIKELY_CAUSE));
		for (size_t i = 0; i < sel->ncauses; i++) {
			char *s = sentence(c, content_cause(c, sel->causes[i].id)->summary);
			item(d, ROLE_BODY, FACE_REGULAR, BULLET, s);
			free(s);
		}
	}
	if (sel->nexercises) {
		text(d, ROLE_BODY, FACE_BOLD, locale_word(&c->words, W_WHAT_TO_DO));
		for (size_t i = 0; i < sel->nexercises && i < 3; i++) {
			char *s = sentence(c, content_exercise(c, sel->exercises[i].id)->summary);
			item(d, ROLE_BODY, FACE_REGULAR, BULLET, s);
			free(s);
		}
	}
	/* The safety net: when to go now, and when to book a visit. */
	labelled(d, locale_word(&c->words, W_GET_HELP_NOW), content_notice(c, "urgent")->summary);
	labelled(d, locale_word(&c->words, W_SEE_A_DOCTOR), content_notice(c, sel->notice.id)->summary);
	mark(d, BLOCK_BOX_END);
	space(d, 0.6);
}

static void notes_section(document *d, const content *c, const patient *p, const selection *sel)
{
	for (size_t i = 0; i < sel->nnotes; i++) {
		const note *n = content_note(c, sel->notes[i].id);
		if (n->urgent)
			continue;
		mark(d, BLOCK_KEEP_BEGIN);
		box_begin(d, BOX_NOTE);
		heading(d, ROLE_SUBHEADING, n->title);
		strbuf sb = {0};
		reason_format(n->text, -1, p, &sb);
		text(d, ROLE_BODY, FACE_REGULAR, sb.data);
		sb_free(&sb);
		for (size_t k = 0; n->lists_causes && k < c->ncauses; k++) {
			/* The colon rides with the bold title and the space with the summary, so the
			 * line may break between them. */
			strbuf t = {0};
			sb_printf(&t, "%s:", c->causes[k].title);
			block *b = item(d, ROLE_BODY, FACE_BOLD, BULLET, t.data);
			sb_free(&t);
			char *s = sentence(c, c->causes[k].summary);
			sb_printf(&t, " %s", s);
			block_add_span(b, FACE_REGULAR, t.data);
			sb_free(&t);
			free(s);
		}
		mark(d, BLOCK_BOX_END);
		mark(d, BLOCK_KEEP_END);
		space(d, 0.6);
	}
}

static void causes_section(document *d, const content *c, const settings *s, const patient *p,
			   const selection *sel)
{
	if (!sel->ncauses)
		return;
	heading(d, ROLE_HEADING, locale_word(&c->words, W_WHY_IT_HURTS));
	for (size_t i = 0; i < sel->ncauses; i++) {
		const cause *ca = content_cause(c, sel->causes[i].id);
		space(d, 0.4);
		heading(d, ROLE_SUBHEADING, ca->title);
		if (*sel->causes[i].reason)
			labelled(d, locale_word(&c->words, W_WHY_WE_THINK), sel->causes[i].reason);
		block *about = text(d, ROLE_BODY, FACE_REGULAR, ca->what);
		block_add_span(about, FACE_REGULAR, " ");
		block_add_span(about, FACE_REGULAR, ca->why);
		labelled(d, locale_word(&c->words, W_WHAT_HELPS), ca->helps);
		int withheld = ca->medication_unless >= 0 && patient_answered(p, ca->medication_unless) &&
			       strcmp(p->answers[ca->medication_unless].values[0], "yes") == 0;
		if (s->show_medication && ca->medication && !withheld) {
			block *med = labelled(d, locale_word(&c->words, W_MEDICINES), ca->medication);
			block_add_span(med, FACE_REGULAR, " ");
			block_add_span(med, FACE_BOLD, c->medication_frame);
		}
	}
	space(d, 0.6);
}

/* One exercise as a card: title and why it was chosen, then beside the drawing the
 * numbered steps, the dose (kept whole) and what to take care of. */
static void exercise_card(document *d, const content *c, const selected *chosen)
{
	const exercise *ex = content_exercise(c, chosen->id);
	/* A card stays whole unless that leaves 30% of a page empty; then the steps below the
	 * drawing, or the dose and cautions kept together, go over the page under the card's
	 * name. */
	block *keep = document_add(d, BLOCK_KEEP_BEGIN, ROLE_BODY);
	keep->soft = 1;
	char *continued = locale_format(&c->words, W_CONTINUED, "title", ex->title, (const char *)NULL);
	block_add_span(keep, FACE_BOLD, continued);
	free(continued);
	space(d, 0.4);
	heading(d, ROLE_SUBHEADING, ex->title);
	/* The heading and the reason stay with the steps and drawing. */
	if (*chosen->reason)
		labelled(d, locale_word(&c->words, W_WHY_FOR_YOU), chosen->reason)->keep_with_next = 1;
	else
		text(d, ROLE_BODY, FACE_REGULAR, ex->purpose)->keep_with_next = 1;
	const drawing *dr = ex->ndiagrams ? content_drawing_find(c, ex->diagrams[0]) : NULL;
	if (dr)
		aside_begin(d, dr, 0.36, 9);
	for (size_t k = 0; k < ex->nsteps; k++) {
		char num[24];
		snprintf(num, sizeof num, "%zu.", k + 1);
		item(d, ROLE_BODY, FACE_REGULAR, num, ex->steps[k]);
	}
	/* The dose as three short labelled lines, kept together, beside the drawing too. */
	labelled(d, locale_word(&c->words, W_HOW_MANY), ex->dose_reps)->keep_with_next = 1;
	if (*ex->dose_hold)
		labelled(d, locale_word(&c->words, W_HOLD), ex->dose_hold)->keep_with_next = 1;
	labelled(d, locale_word(&c->words, W_HOW_OFTEN), ex->dose_often)->keep_with_next = ex->ncautions > 0;
	for (size_t k = 0; k < ex->ncautions; k++)
		labelled(d, locale_word(&c->words, W_TAKE_CARE), ex->cautions[k]);
	if (dr) {
		if (ex->captions[0])
			text(d, ROLE_SMALL, FACE_REGULAR, ex->captions[0]);
		mark(d, BLOCK_ASIDE_END);
	}
	mark(d, BLOCK_KEEP_END);
}

static void exercises_section(document *d, const content *c, const selection *sel)
{
	if (!sel->nexercises)
		return;
	heading(d, ROLE_HEADING, locale_word(&c->words, W_WHAT_YOU_CAN_DO));
	/* The opening words go with the first card, never alone at a page's foot. */
	text(d, ROLE_BODY, FACE_REGULAR, c->exercise_intro)->keep_with_next = 1;
	for (size_t i = 0; i < sel->nexercises; i++)
		exercise_card(d, c, &sel->exercises[i]);
	space(d, 0.6);
}

static void doctor_section(document *d, const content *c, const selection *sel)
{
	const notice *n = content_notice(c, sel->notice.id);
	const notice *urgent = content_notice(c, "urgent");
	mark(d, BLOCK_KEEP_BEGIN);
	heading(d, ROLE_HEADING, locale_word(&c->words, W_WHEN_TO_SEE));
	/* The standard notice's words are the summary's "See a doctor" line: not twice. */
	if (strcmp(n->id, "standard") != 0) {
		text(d, ROLE_SUBHEADING, FACE_BOLD, n->title);
		text(d, ROLE_BODY, FACE_REGULAR, n->text);
	} else {
		text(d, ROLE_BODY, FACE_REGULAR, n->summary);
	}
	if (*sel->notice.reason)
		labelled(d, locale_word(&c->words, W_WHY), sel->notice.reason);
	/* The standard notice's text already says what its actions say. */
	for (size_t i = 0; strcmp(n->id, "standard") != 0 && i < n->nactions; i++)
		item(d, ROLE_BODY, FACE_BOLD, BULLET, n->actions[i]);
	if (strcmp(n->id, "standard") != 0)
		text(d, ROLE_BODY, FACE_REGULAR, content_notice(c, "standard")->text);
	space(d, 0.3);
	text(d, ROLE_BODY, FACE_BOLD, c->warning_signs_text);
	for (size_t i = 0; i < urgent->nflags; i++)
		item(d, ROLE_BODY, FACE_REGULAR, BULLET, urgent->flags[i]);
	mark(d, BLOCK_KEEP_END);
	space(d, 0.6);
}

/* A question's drawing with the shapes of the patient's answers marked, or NULL when the
 * question has no drawing or no answer. */
static drawing *marked_drawing(const content *c, const patient *p, const char *qid, rgb colour)
{
	int qi = questionnaire_find(&c->questionnaire, qid);
	if (qi < 0 || !c->questionnaire.questions[qi].diagram || !patient_answered(p, qi))
		return NULL;
	const drawing *base = content_drawing_find(c, c->questionnaire.questions[qi].diagram);
	if (!base)
		return NULL;
	const question *q = &c->questionnaire.questions[qi];
	const answer *a = &p->answers[qi];
	/* A region with sides (a leg) is marked on the sides reported, on every side when the
	 * answers name none: pain below the right knee is not pain in both legs. */
	int any_side = 0;
	for (size_t i = 0; i < a->nvalues; i++)
		for (size_t k = 0; k < q->nsides; k++)
			any_side |= strcmp(a->values[i], q->sides[k]) == 0;
	char **ids = NULL;
	size_t nids = 0, cap = 0;
	for (size_t i = 0; i < a->nvalues; i++) {
		strbuf sb = {0};
		sb_printf(&sb, "%s-%s", qid, a->values[i]);
		ARRAY_PUSH(ids, nids, cap, sb_take(&sb));
		for (size_t k = 0; k < q->nsides; k++) {
			int reported = 0;
			for (size_t v = 0; v < a->nvalues; v++)
				reported |= strcmp(a->values[v], q->sides[k]) == 0;
			if (any_side && !reported)
				continue;
			sb_printf(&sb, "%s-%s-%s", qid, a->values[i], q->sides[k]);
			ARRAY_PUSH(ids, nids, cap, sb_take(&sb));
		}
	}
	drawing *marked = drawing_recolour(base, (const char *const *)ids, nids, colour);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return marked;
}

/* "the middle of your lower back and your thigh": the answers to a choice question as
 * phrases. Caller frees. */
static char *answer_phrases(const content *c, const patient *p, int qi)
{
	const question *q = &c->questionnaire.questions[qi];
	const answer *a = &p->answers[qi];
	strbuf sb = {0};
	for (size_t i = 0; i < a->nvalues; i++) {
		const choice *ch = question_find_choice(q, a->values[i]);
		sb_printf(&sb, "%s%s",
			  i == 0 ? "" : locale_word(&c->words, i + 1 == a->nvalues ? W_LIST_LAST : W_LIST_SEP),
			  ch ? ch->phrase : a->values[i]);
	}
	return sb_take(&sb);
}

/* The patient's own pain, drawn: how much on the scale and, unless with_map is 0, where
 * on the body map beside it. */
static void pain_section(document *d, const content *c, const patient *p, const document_options *opt,
			 int with_map)
{
	drawing *map = with_map ? marked_drawing(c, p, "pain-location", opt->mark) : NULL;
	drawing *scale = marked_drawing(c, p, "pain-score", opt->mark);
	if (!map && !scale)
		return;
	mark(d, BLOCK_KEEP_BEGIN);
	heading(d, ROLE_HEADING, locale_word(&c->words, W_YOUR_PAIN));
	if (map) {
		aside_begin(d, map, 0.3, 8.5);
		d->blocks[d->nblocks - 1].owned = map;
		char *where = answer_phrases(c, p, questionnaire_find(&c->questionnaire, "pain-location"));
		char *s = sentence(c, where);
		labelled(d, locale_word(&c->words, W_WHERE_IT_HURTS), s);
		free(s), free(where);
	}
	if (scale) {
		int qi = questionnaire_find(&c->questionnaire, "pain-score");
		char *cap = locale_format(&c->words, W_HOW_MUCH, "score", p->answers[qi].values[0], (const char *)NULL);
		if (map)
			space(d, 0.4);
		figure(d, scale, scale, 4.2, cap);
		free(cap);
	}
	if (map)
		mark(d, BLOCK_ASIDE_END);
	mark(d, BLOCK_KEEP_END);
	space(d, 0.6);
}

static block *grid(document *d, text_role role)
{
	block *b = document_add(d, BLOCK_GRID, role);
	b->rule_below = 1;
	return b;
}

/* A week of tick boxes for each chosen exercise: a tool, not just advice. */
static void log_section(document *d, const content *c, const selection *sel)
{
	if (!sel->nexercises)
		return;
	mark(d, BLOCK_KEEP_BEGIN);
	heading(d, ROLE_HEADING, locale_word(&c->words, W_LOG));
	text(d, ROLE_BODY, FACE_REGULAR, locale_word(&c->words, W_LOG_INTRO));
	block *h = grid(d, ROLE_SMALL);
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_DAY));
	for (int day = 1; day <= 7; day++) {
		char label[16];
		snprintf(label, sizeof label, "%d", day);
		block_add_span(h, FACE_BOLD, label);
	}
	for (size_t i = 0; i < sel->nexercises; i++) {
		block *r = grid(d, ROLE_BODY);
		r->ticks = 1;
		block_add_span(r, FACE_REGULAR, content_exercise(c, sel->exercises[i].id)->title);
		for (int day = 1; day <= 7; day++)
			block_add_span(r, FACE_REGULAR, "");
	}
	mark(d, BLOCK_KEEP_END);
	space(d, 0.6);
}

static void standard_section(document *d, const content *c)
{
	/* Not a keep group: a list may run on to the next page, its heading stays with it. */
	heading(d, ROLE_HEADING, c->standard_title);
	for (size_t i = 0; i < c->nstandard_items; i++) {
		block *b = item(d, ROLE_BODY, FACE_REGULAR, BULLET, c->standard_items[i]);
		/* The last three items go together, and with the lines about the sheet after them:
		 * no page starts with one or two bullets alone. */
		b->keep_with_next = i + 3 >= c->nstandard_items;
	}
	space(d, 0.6);
}

/* Where the advice comes from and when it is reviewed, at the end. */
static void about_section(document *d, const content *c, const settings *s)
{
	strbuf sb = {0};
	if (*s->clinic_name)
		sb_printf(&sb, "%s. ", s->clinic_name);
	sb_printf(&sb, "%s %s", c->about_source, c->about_review);
	text(d, ROLE_SMALL, FACE_REGULAR, sb.data);
	sb_free(&sb);
}

/* An urgent handout argues for going now and nothing else (shared/spec/questionnaire.md):
 * the urgent box, why, the pain scale, and the clinic that made the sheet. */
static void urgent_document(document *d, const content *c, const settings *s, const patient *p,
			    const selection *sel, const document_options *opt)
{
	urgent_box(d, c, s);
	urgent_reasons(d, c, p, sel);
	pain_section(d, c, p, opt, 0);
	clinic_block(d, c, s, opt);
}

document *document_build(const content *c, const settings *s, const patient *p, const selection *sel,
			 const char *date_text, const document_options *opt)
{
	document *d = xcalloc(1, sizeof *d);
	d->header_left = p->name && *p->name
				 ? locale_format(&c->words, W_HEADER_NAME, "name", p->name, "id", p->id, (const char *)NULL)
				 : locale_format(&c->words, W_HEADER_ID, "id", p->id, (const char *)NULL);
	d->header_right = xstrdup(date_text);
	d->footer_left = xstrdup(s->clinic_name);
	d->footer_contact = s->clinic_phone ? locale_format(&c->words, W_PHONE, "phone", s->clinic_phone, (const char *)NULL)
					    : xstrdup("");
	d->page_format = xstrdup(locale_word(&c->words, W_PAGE));
	d->title = xstrdup(locale_word(&c->words, W_TITLE));
	d->subject = xstrdup(locale_word(&c->words, W_SUBJECT));

	if (strcmp(sel->notice.id, "urgent") == 0) {
		urgent_document(d, c, s, p, sel, opt);
		return d;
	}
	title_block(d, c, s, p, date_text, opt);
	for (size_t i = 0; i < opt->nsections; i++) {
		switch (opt->sections[i]) {
		case SECTION_SUMMARY:
			summary_box(d, c, sel);
			break;
		case SECTION_PAIN:
			pain_section(d, c, p, opt, 1);
			break;
		case SECTION_NOTES:
			notes_section(d, c, p, sel);
			break;
		case SECTION_CAUSES:
			causes_section(d, c, s, p, sel);
			break;
		case SECTION_EXERCISES:
			exercises_section(d, c, sel);
			break;
		case SECTION_LOG:
			log_section(d, c, sel);
			break;
		case SECTION_DOCTOR:
			doctor_section(d, c, sel);
			break;
		case SECTION_ADVICE:
			standard_section(d, c);
			break;
		case SECTION_COUNT:
			break;
		}
	}
	about_section(d, c, s);
	return d;
}

/* ---- the blank questionnaire ---- */

/* A row of tick boxes under a row of their labels (a 0-10 scale). */
static void tick_scale(document *d, const question *qu)
{
	block *h = grid(d, ROLE_SMALL);
	h->rule_below = 0;
	block *r = grid(d, ROLE_BODY);
	r->ticks = 1;
	block_add_span(h, FACE_REGULAR, "");
	block_add_span(r, FACE_REGULAR, "");
	for (int v = (int)qu->min; v <= (int)qu->max; v++) {
		char label[16];
		snprintf(label, sizeof label, "%d", v);
		block_add_span(h, FACE_BOLD, label);
		block_add_span(r, FACE_REGULAR, "");
	}
}

/* The yes/no questions from `from` on, one table: a row each, boxes under Yes and No.
 * Returns the index after the last. */
static size_t yes_no_table(document *d, const content *c, size_t from, size_t *number)
{
	const questionnaire *q = &c->questionnaire;
	block *h = grid(d, ROLE_SMALL);
	h->col_frac[0] = 0.78, h->col_frac[1] = 0.11;
	h->header = 1;
	block_add_span(h, FACE_BOLD, "");
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_YES));
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_NO));
	h->keep_with_next = 1;
	size_t i = from;
	for (; i < q->nquestions && q->questions[i].type == Q_BOOLEAN; i++) {
		block *r = grid(d, ROLE_BODY);
		r->col_frac[0] = 0.78, r->col_frac[1] = 0.11;
		r->ticks = 1;
		char *label = NULL;
		if (asprintf(&label, "%zu. %s", ++*number, q->questions[i].text) < 0)
			abort();
		block_add_span(r, FACE_REGULAR, label);
		free(label);
		block_add_span(r, FACE_REGULAR, "");
		block_add_span(r, FACE_REGULAR, "");
	}
	return i;
}

document *document_form(const content *c, const settings *s, const document_options *opt)
{
	const questionnaire *q = &c->questionnaire;
	document *d = xcalloc(1, sizeof *d);
	d->header_left = xstrdup(q->title ? q->title : "");
	d->header_right = xstrdup("");
	d->footer_left = xstrdup(s->clinic_name);
	d->footer_contact = s->clinic_phone ? locale_format(&c->words, W_PHONE, "phone", s->clinic_phone, (const char *)NULL)
					    : xstrdup("");
	d->page_format = xstrdup(locale_word(&c->words, W_PAGE));
	d->title = xstrdup(q->title ? q->title : "");
	d->subject = xstrdup(q->title ? q->title : "");
	clinic_block(d, c, s, opt);
	space(d, 0.2);
	if (q->title)
		text(d, ROLE_TITLE, FACE_BOLD, q->title);
	text(d, ROLE_BODY, FACE_REGULAR, locale_word(&c->words, W_FORM_INTRO));
	strbuf who = {0};
	sb_printf(&who, "%s______________________________   %s______________", locale_word(&c->words, W_FORM_NAME),
		  locale_word(&c->words, W_FORM_DATE));
	space(d, 0.3);
	text(d, ROLE_BODY, FACE_BOLD, who.data);
	sb_free(&who);
	space(d, 0.2);
	size_t number = 0;
	for (size_t i = 0; i < q->nquestions;) {
		const question *qu = &q->questions[i];
		if (qu->type == Q_BOOLEAN) {
			i = yes_no_table(d, c, i, &number); /* may run on: its header row goes with it */
			space(d, 0.2);
			continue;
		}
		mark(d, BLOCK_KEEP_BEGIN);
		const drawing *map = qu->type == Q_CHOICE && qu->diagram ? content_drawing_find(c, qu->diagram) : NULL;
		if (map)
			aside_begin(d, map, 0.3, 9);
		char *title = NULL;
		if (asprintf(&title, "%zu. %s", ++number, qu->text) < 0)
			abort();
		block *tb = text(d, ROLE_BODY, FACE_BOLD, title);
		free(title);
		int scale = (qu->type == Q_INTEGER || qu->type == Q_DECIMAL) && qu->has_min && qu->has_max &&
			    qu->max - qu->min <= 10;
		tb->keep_with_next = qu->type == Q_CHOICE || scale; /* with its boxes */
		if (qu->type != Q_CHOICE && !scale) /* a number to write, on the question's own line */
			block_add_span(tb, FACE_REGULAR, " ____________");
		if (qu->type == Q_CHOICE) {
			for (size_t k = 0; k < qu->nchoices; k++) {
				block *r = grid(d, ROLE_BODY);
				r->ticks = 1;
				r->rule_below = 0;
				r->col_frac[0] = 0.45, r->col_frac[1] = 0.08;
				block_add_span(r, FACE_REGULAR, qu->choices[k].label);
				block_add_span(r, FACE_REGULAR, "");
			}
			if (map)
				text(d, ROLE_SMALL, FACE_REGULAR, locale_word(&c->words, W_FORM_MAP));
		} else if (scale) {
			tick_scale(d, qu);
		}
		if (map)
			mark(d, BLOCK_ASIDE_END);
		mark(d, BLOCK_KEEP_END);
		space(d, 0.2);
		i++;
	}
	return d;
}

void document_free(document *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblocks; i++) {
		for (size_t k = 0; k < d->blocks[i].nspans; k++)
			free(d->blocks[i].spans[k].text);
		free(d->blocks[i].spans);
		free(d->blocks[i].marker);
		drawing_free(d->blocks[i].owned);
	}
	free(d->blocks);
	free(d->header_left), free(d->header_right), free(d->footer_left), free(d->footer_contact);
	free(d->title), free(d->subject), free(d->page_format);
	free(d);
}

void document_dump(const document *d, strbuf *out)
{
	static const char *const kinds[] = {"text", "item",  "row",     "space", "box",   "end-box",   "keep",
					    "end-keep", "grid", "image", "drawing", "aside", "end-aside", "table"};
	for (size_t i = 0; i < d->nblocks; i++) {
		const block *b = &d->blocks[i];
		sb_printf(out, "%s", kinds[b->kind]);
		if (b->marker)
			sb_printf(out, " [%s]", b->marker);
		for (size_t k = 0; k < b->nspans; k++)
			sb_printf(out, " %s{%s}", b->spans[k].face == FACE_BOLD ? "b" : "r", b->spans[k].text);
		sb_putc(out, '\n');
	}
}
