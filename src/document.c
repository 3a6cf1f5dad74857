/* document.c: builds the handout's blocks from content, settings, patient and selection. */
#include "document.h"
#include "condition.h"
#include "content.h"
#include "locale.h"
#include "patient.h"
#include "selection.h"
#include "settings.h"
#include "svg.h"
#include "util.h"

#include <stddef.h>
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

/* A drawing, centred, with its caption under it. owned (may be NULL) is freed with d; alt
 * says what it shows. */
static void figure(document *d, const drawing *dr, drawing *owned, double height_em, const char *alt,
                   const char *caption)
{
	block *b = document_add(d, BLOCK_DRAWING, ROLE_BODY);
	b->drawing = dr;
	b->owned = owned;
	b->height_em = height_em;
	b->alt = alt ? xstrdup(alt) : NULL;
	block *c = document_add(d, BLOCK_TEXT, ROLE_BODY);
	block_add_span(c, FACE_REGULAR, caption);
	c->centred = 1;
}

/* Opens a drawing at the right of the column; the blocks up to aside_end wrap beside it. */
/* Drawings a patient copies or marks: 10 body sizes high, 120 pt (42 mm) in standard print
 * and 180 pt in large print, that a movement or a body can be read (issue 21). */
#define ASIDE_HEIGHT_EM 10.0

static void aside_begin(document *d, const drawing *dr, const char *alt)
{
	block *b = document_add(d, BLOCK_ASIDE_BEGIN, ROLE_BODY);
	b->drawing = dr;
	b->height_em = ASIDE_HEIGHT_EM;
	b->alt = alt ? xstrdup(alt) : NULL;
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

/* The length of the one of ends (n of them) that text ends with, or 0. */
static size_t ending(const char *text, const char *const *ends, size_t n)
{
	size_t len = strlen(text);
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(ends[i]);
		if (len >= k && memcmp(text + len - k, ends[i], k) == 0)
			return k;
	}
	return 0;
}

/* Whether text already ends a sentence (a full stop, question or exclamation mark, in
 * Latin or CJK punctuation). */
static int ends_sentence(const char *text)
{
	static const char *const ends[] = {".", "!", "?", "\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"};
	return ending(text, ends, sizeof ends / sizeof *ends) > 0;
}

/* One handout being written: what it is made from. */
typedef struct writer {
	document *d;
	const content *c;
	const settings *s;
	const patient *p;
	const selection *sel;
	const document_options *opt;
} writer;

/* 1 when the condition (a statement's, a tier's; NULL: none) holds for this patient. */
static int holds(const writer *w, const condition *when)
{
	return !when || selection_holds(w->sel, w->p, when);
}

/* A statement's words for this clinic and patient: the clinic's numbers filled in (or the
 * words content gives for when the settings lack one), then the patient's answers. */
static char *statement_words(const writer *w, const statement *st)
{
	static const struct {
		const char *placeholder;
		size_t offset;
	} numbers[] = {
	    {"{emergency-number}", offsetof(settings, emergency_number)},
	    {"{advice-line}", offsetof(settings, advice_line)},
	};
	const char *text = st->text;
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
		if (strstr(text, numbers[i].placeholder) &&
		    !*(char *const *)((const char *)w->s + numbers[i].offset) && st->without)
			text = st->without;
	char *filled = xstrdup(text);
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
		const char *value = *(char *const *)((const char *)w->s + numbers[i].offset);
		const char *at = strstr(filled, numbers[i].placeholder);
		if (!at || !value)
			continue;
		strbuf sb = {0};
		sb_printf(&sb, "%.*s%s%s", (int)(at - filled), filled, value,
		          at + strlen(numbers[i].placeholder));
		free(filled);
		filled = sb_take(&sb);
	}
	strbuf sb = {0};
	reason_format(filled, -1, w->p, &sb);
	free(filled);
	return sb_take(&sb);
}

/* The statements of s this patient is shown, as one paragraph in the language's way of
 * joining sentences; NULL when none is shown. Caller frees. */
static char *say(const writer *w, const statements *s)
{
	strbuf sb = {0};
	for (size_t i = 0; i < s->n; i++) {
		if (!holds(w, s->v[i].when))
			continue;
		char *words = statement_words(w, &s->v[i]);
		locale_join_sentence(&sb, words);
		free(words);
	}
	return sb.len ? sb_take(&sb) : (sb_free(&sb), NULL);
}

/* A paragraph of the statements shown (none: no paragraph). */
static block *say_text(const writer *w, text_role role, face_id face, const statements *s)
{
	char *t = say(w, s);
	block *b = t ? text(w->d, role, face, t) : NULL;
	free(t);
	return b;
}

/* A paragraph that opens with a bold label, of the statements shown. */
static block *say_labelled(const writer *w, const char *label, const statements *s)
{
	char *t = say(w, s);
	block *b = t ? labelled(w->d, label, t) : NULL;
	free(t);
	return b;
}

/* One list item (marker: a bullet, or numbered from 1 when NULL) per statement shown. */
static size_t say_items(const writer *w, face_id face, const char *marker, const statements *s)
{
	size_t shown = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!holds(w, s->v[i].when))
			continue;
		char num[24];
		snprintf(num, sizeof num, "%zu.", shown + 1);
		char *words = statement_words(w, &s->v[i]);
		item(w->d, ROLE_BODY, face, marker ? marker : num, words);
		free(words);
		shown++;
	}
	return shown;
}

/* The box that opens an urgent or today handout: the notice, what to do (its actions set
 * in action_role), and its text. */
static void notice_box(const writer *w, const notice *n, text_role action_role)
{
	box_begin(w->d, BOX_URGENT);
	block *t = text(w->d, ROLE_URGENT, FACE_BOLD, n->title);
	t->colour = COLOUR_URGENT;
	t->heading = 1; /* what the sheet is: a reader's first heading, above its cards */
	for (size_t i = 0; i < n->actions.n; i++) {
		if (!holds(w, n->actions.v[i].when))
			continue;
		char *action = statement_words(w, &n->actions.v[i]);
		item(w->d, action_role, FACE_BOLD, BULLET, action);
		free(action);
	}
	space(w->d, 0.3);
	say_text(w, ROLE_BODY, FACE_REGULAR, &n->text);
	mark(w->d, BLOCK_BOX_END);
	space(w->d, 0.6);
}

/* Why the notice: for each kind of sign reported, what the patient told us and what it may
 * mean (the notes placed under this notice), each a paragraph led by its title in bold, so
 * that every reason fits the one page; the notice's own reason when content has none. */
static void notice_reasons(const writer *w, const char *level)
{
	size_t shown = 0;
	for (size_t i = 0; i < w->sel->nnotes; i++) {
		const note *n = content_note(w->c, w->sel->notes[i].id);
		if (!n->place || strcmp(n->place, level) != 0)
			continue;
		char *label = locale_format(&w->c->words, W_TERM, "title", n->title, (const char *)NULL);
		char *words = say(w, &n->text);
		strbuf sb = {0}, lead = {0};
		sb_printf(&lead, "%s%s", label, locale_sentence_gap(label));
		locale_join_sentence(&sb, w->sel->notes[i].reason);
		locale_join_sentence(&sb, words ? words : "");
		labelled(w->d, lead.data, sb.data);
		sb_free(&sb), sb_free(&lead);
		free(label), free(words);
		space(w->d, 0.2);
		shown++;
	}
	if (!shown && *w->sel->notice.reason)
		labelled(w->d, locale_word(&w->c->words, W_WHY), w->sel->notice.reason);
	space(w->d, 0.4);
}

/* "Phone +44 20 7946 0321" in the handout's language, one unbreakable token (a number
 * split over two lines is a misdial waiting to happen); "" when the clinic gave none. */
static char *phone_words(const content *c, const settings *s)
{
	if (!s->clinic_phone)
		return xstrdup("");
	char *words = locale_format(&c->words, W_PHONE, "phone", s->clinic_phone, (const char *)NULL);
	char *unbroken = text_unbroken(words);
	free(words);
	return unbroken;
}

/* The clinic's name (when name is given), address and phone on one line, each part after
 * a middle dot ("12 Mill Lane, Springfield · Phone ..."); nothing when there is none. */
static void clinic_contact(document *d, const content *c, const settings *s, const char *name)
{
	strbuf contact = {0}, address = {0};
	if (name && *name)
		sb_append(&contact, name);
	for (size_t i = 0; i < s->nclinic_address; i++)
		sb_printf(&address, "%s%s", address.len ? ", " : "", s->clinic_address[i]);
	if (address.len)
		sb_printf(&contact, "%s%s", contact.len ? MIDDOT : "", address.data);
	if (s->clinic_phone) {
		char *phone = phone_words(c, s);
		sb_printf(&contact, "%s%s", contact.len ? MIDDOT : "", phone);
		free(phone);
	}
	if (contact.len)
		text(d, ROLE_SMALL, FACE_REGULAR, contact.data);
	sb_free(&contact);
	sb_free(&address);
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
	if (*s->clinic_name) {
		block *name = heading(d, ROLE_HEADING, s->clinic_name);
		name->keep_with_next = 0;
		name->letterhead = 1;
	}
	clinic_contact(d, c, s, NULL);
}

static void title_block(const writer *w, const char *date_text)
{
	const content *c = w->c;
	const patient *p = w->p;
	clinic_block(w->d, c, w->s, w->opt);
	space(w->d, 0.6);
	text(w->d, ROLE_TITLE, FACE_BOLD, locale_word(&c->words, W_TITLE));
	char *who =
	    p->name && *p->name
	        ? locale_format(&c->words, W_FOR, "name", p->name, "date", date_text, (const char *)NULL)
	        : locale_format(&c->words, W_FOR_ID, "id", p->id, "date", date_text, (const char *)NULL);
	text(w->d, ROLE_BODY, FACE_REGULAR, who);
	free(who);
	space(w->d, 0.6);
}

/* The tiers of the safety net this handout carries, in order. */
static int tier_shown(const writer *w, const tier *t)
{
	return holds(w, t->when);
}

#define SUMMARY_SENTENCES 3 /* likely causes the "In short" box gives in a sentence each */

static void summary_box(const writer *w)
{
	const content *c = w->c;
	const selection *sel = w->sel;
	box_begin(w->d, BOX_SUMMARY);
	heading(w->d, ROLE_SUBHEADING, locale_word(&c->words, W_IN_SHORT));
	say_text(w, ROLE_BODY, FACE_REGULAR, &c->outlook);
	if (sel->ncauses) {
		/* More causes than SUMMARY_SENTENCES are listed by their names, as their headings
		 * below call them: five sentences made the box too tall for page 1 in large print,
		 * where it split (issue 21), and a list of five reads better short. A name does not
		 * hedge as its sentence does ("a disc may be pressing on a nerve"), so its label
		 * does ("Possible causes:", helper-18), and content gives a cause another name
		 * where its title would say more than the answers do (helper-19). */
		int by_name = sel->ncauses > SUMMARY_SENTENCES;
		word_id label = by_name            ? W_POSSIBLE_CAUSES
		                : sel->ncauses > 1 ? W_LIKELY_CAUSES
		                                   : W_LIKELY_CAUSE;
		text(w->d, ROLE_BODY, FACE_BOLD, locale_word(&c->words, label))->keep_with_next =
		    1; /* a label goes with its list */
		for (size_t i = 0; i < sel->ncauses; i++) {
			const cause *ca = content_cause(c, sel->causes[i].id);
			char *phrase = say(w, by_name ? &ca->name : &ca->summary);
			char *s = by_name ? xstrdup(phrase ? phrase : ca->title)
			                  : sentence(c, phrase ? phrase : "");
			item(w->d, ROLE_BODY, FACE_REGULAR, BULLET, s);
			free(s), free(phrase);
		}
	}
	if (sel->nexercises) {
		text(w->d, ROLE_BODY, FACE_BOLD, locale_word(&c->words, W_WHAT_TO_DO))->keep_with_next = 1;
		for (size_t i = 0; i < sel->nexercises && i < 3; i++) {
			char *s = sentence(c, content_exercise(c, sel->exercises[i].id)->summary);
			item(w->d, ROLE_BODY, FACE_REGULAR, BULLET, s);
			free(s);
		}
	}
	/* The safety net in short: go now, then this notice's own time frame (the same-day tier
	 * is in "When to get help", in full: it is for a cancer history). */
	say_labelled(w, locale_word(&c->words, W_SEE_A_DOCTOR), &content_notice(c, sel->notice.id)->summary);
	mark(w->d, BLOCK_BOX_END);
	space(w->d, 0.6);
}

/* The common causes the answers do not rule out, as a list under the note that lists them. */
static void common_causes(const writer *w)
{
	const content *c = w->c;
	for (size_t k = 0; k < c->ncauses; k++) {
		const rule *out = NULL;
		for (size_t r = 0; r < c->ruled_out.nrules; r++)
			if (strcmp(c->ruled_out.rules[r].select, c->causes[k].id) == 0)
				out = &c->ruled_out.rules[r];
		if (out && holds(w, out->when))
			continue;
		/* The colon rides with the bold title and the space with the summary, so the line
		 * may break between them. */
		char *term =
		    locale_format(&c->words, W_TERM, "title", c->causes[k].title, (const char *)NULL);
		block *b = item(w->d, ROLE_BODY, FACE_BOLD, BULLET, term);
		/* As a possibility: the answers do not point to it. */
		char *phrase = say(w, c->causes[k].maybe.n ? &c->causes[k].maybe : &c->causes[k].summary);
		char *s = sentence(c, phrase ? phrase : "");
		strbuf t = {0};
		sb_printf(&t, "%s%s", locale_sentence_gap(term), s);
		block_add_span(b, FACE_REGULAR, t.data);
		sb_free(&t);
		free(s), free(phrase), free(term);
	}
}

/* The notes the rules chose that go in the notes of a full handout. */
static void notes_section(const writer *w)
{
	const content *c = w->c;
	for (size_t i = 0; i < w->sel->nnotes; i++) {
		const note *n = content_note(c, w->sel->notes[i].id);
		if (n->place)
			continue;
		mark(w->d, BLOCK_KEEP_BEGIN);
		box_begin(w->d, BOX_NOTE);
		heading(w->d, ROLE_SUBHEADING, n->title);
		say_text(w, ROLE_BODY, FACE_REGULAR, &n->text);
		if (n->lists_causes)
			common_causes(w);
		mark(w->d, BLOCK_BOX_END);
		mark(w->d, BLOCK_KEEP_END);
		space(w->d, 0.6);
	}
}

/* The same notes on a one-page sheet: each a paragraph led by its title in bold. */
static void notes_brief(const writer *w)
{
	for (size_t i = 0; i < w->sel->nnotes; i++) {
		const note *n = content_note(w->c, w->sel->notes[i].id);
		if (n->place)
			continue;
		char *label = locale_format(&w->c->words, W_TERM, "title", n->title, (const char *)NULL);
		strbuf sb = {0};
		sb_printf(&sb, "%s%s", label, locale_sentence_gap(label));
		say_labelled(w, sb.data, &n->text);
		sb_free(&sb);
		free(label);
		space(w->d, 0.3);
	}
}

/* Opens a keep-together group that, split over a page (as kind allows, or one taller than
 * a page), goes on under "TITLE, continued" in the handout's words, and then under a line
 * of its own when under is not NULL; the title is shortened first should that line be too wide. */
static void keep_continued(const writer *w, const char *title, keep_kind kind, const char *under)
{
	block *keep = document_add(w->d, BLOCK_KEEP_BEGIN, ROLE_BODY);
	keep->keep = kind;
	char *continued = locale_format(&w->c->words, W_CONTINUED, "title", title, (const char *)NULL);
	block_add_span(keep, FACE_BOLD, continued);
	block_add_span(keep, FACE_BOLD, title);
	if (under)
		block_add_span(keep, FACE_REGULAR, under);
	free(continued);
}

static void causes_section(const writer *w)
{
	const content *c = w->c;
	const selection *sel = w->sel;
	if (!sel->ncauses)
		return;
	heading(w->d, ROLE_HEADING, locale_word(&c->words, W_WHY_IT_HURTS));
	for (size_t i = 0; i < sel->ncauses; i++) {
		const cause *ca = content_cause(c, sel->causes[i].id);
		/* Split over a page, a cause goes on under its name, "continued": "What helps:" at
		 * a page's top without it left the reader to guess what it helps (helper-18). */
		keep_continued(w, ca->title, KEEP_HEADED, NULL);
		space(w->d, 0.4);
		heading(w->d, ROLE_SUBHEADING, ca->title);
		/* Condensed, the cause in content's brief words, where it has some for this patient,
		 * in place of what and why. */
		int explained = w->opt->condense == CONDENSE_NONE;
		char *in_brief = explained ? NULL : say(w, &ca->brief);
		if (in_brief)
			text(w->d, ROLE_BODY, FACE_REGULAR, in_brief)->keep_with_next = 1;
		free(in_brief);
		/* The reason stays with what follows it, never alone at a page's foot. */
		if (*sel->causes[i].reason)
			labelled(w->d, locale_word(&c->words, W_WHY_WE_THINK), sel->causes[i].reason)
			    ->keep_with_next = 1;
		char *what = explained ? say(w, &ca->what) : NULL;
		char *why = explained ? say(w, &ca->why) : NULL;
		strbuf about = {0};
		locale_join_sentence(&about, what ? what : "");
		locale_join_sentence(&about, why ? why : "");
		if (about.len)
			text(w->d, ROLE_BODY, FACE_REGULAR, about.data);
		sb_free(&about);
		free(what), free(why);
		say_labelled(w, locale_word(&c->words, W_WHAT_HELPS), &ca->helps);
		int withheld = ca->medication_unless >= 0 && patient_answered(w->p, ca->medication_unless) &&
		               strcmp(w->p->answers[ca->medication_unless].values[0], "yes") == 0;
		if (w->s->show_medication && ca->medication && !withheld) {
			block *b = labelled(w->d, locale_word(&c->words, W_MEDICINES), ca->medication);
			if (*locale_sentence_gap(ca->medication))
				block_add_span(b, FACE_REGULAR, locale_sentence_gap(ca->medication));
			block_add_span(b, FACE_BOLD, c->medication_frame);
		}
		mark(w->d, BLOCK_KEEP_END);
	}
	space(w->d, 0.6);
}

/* The dose: a labelled line for each part the exercise has, kept together, or, where the
 * template asks (not in Chinese), one paragraph of labelled sentences. Returns the last
 * block (NULL when none). A block pointer stays valid only until the next block is added;
 * the caller uses it at once. */
static block *dose_lines(const writer *w, const exercise *ex)
{
	const struct {
		word_id label;
		const char *value;
	} parts[] = {
	    {W_HOW_MANY, ex->dose_reps},
	    {W_HOW_LONG, ex->dose_length},
	    {W_HOLD, ex->dose_hold},
	    {W_HOW_OFTEN, ex->dose_often},
	};
	/* One paragraph, each part a sentence led by its label in bold ("How many: 5 lifts.
	 * Hold: 3 seconds. How often: Once a day."): as lines of their own they took three of a
	 * card's lines and a fifth page for 15 handouts in 100 (issue 21). */
	int cjk = strncmp(w->c->language, "zh", 2) == 0;
	block *b = NULL;
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (!*parts[i].value)
			continue;
		if (cjk || !w->opt->dose_paragraph) {
			/* A line each: the template's choice (large print), and always in Chinese,
			 * which breaks between any two characters, a bold label too ("做几/次："). */
			if (b)
				b->keep_with_next = 1;
			b = labelled(w->d, locale_word(&w->c->words, parts[i].label), parts[i].value);
			continue;
		}
		if (!b)
			b = document_add(w->d, BLOCK_TEXT, ROLE_BODY);
		else
			block_add_span(b, FACE_REGULAR, " "); /* between sentences (no Chinese here) */
		/* A label's own words do not break apart ("How / often:"); after it a line may. */
		char *label = text_unbroken(locale_word(&w->c->words, parts[i].label));
		block_add_span(b, FACE_BOLD, label);
		free(label);
		/* Each value a sentence as the language ends one, unless it ends one already. */
		char *v = ends_sentence(parts[i].value) ? xstrdup(parts[i].value)
		                                        : locale_format(&w->c->words, W_SENTENCE, "text",
		                                                        parts[i].value, (const char *)NULL);
		block_add_span(b, FACE_REGULAR, v);
		free(v);
	}
	return b;
}

/* One exercise as a card: title and why it was chosen, what to take care of, then beside
 * the drawing the numbered steps and the dose (kept whole). */
static void exercise_card(const writer *w, const selected *chosen)
{
	const content *c = w->c;
	const exercise *ex = content_exercise(c, chosen->id);
	/* The first drawing for this patient (a pregnant patient's shows her own steps). */
	const exercise_diagram *dg = ex->diagrams;
	while (dg < ex->diagrams + ex->ndiagrams && !holds(w, dg->when))
		dg++;
	if (dg == ex->diagrams + ex->ndiagrams)
		dg = NULL;
	const drawing *dr = dg ? content_drawing_find(c, dg->id) : NULL;
	/* What to take care of is read before the first step (safety messages precede the
	 * procedure, ANSI Z535.6), so a card may go on to the next page between its steps,
	 * under its name, "continued": helper-17 saw the bridge's steps on one page and "never
	 * press your head or neck into the floor" on the next when the caution came last. Its
	 * steps go on only below the drawing's foot, so a line under it says the pictures are on
	 * the page before (helper-18: step 4 on a page, its panel on the one before). */
	keep_continued(w, ex->title, KEEP_COSTED, dr ? locale_word(&c->words, W_PICTURES_BEFORE) : NULL);
	space(w->d, 0.4);
	heading(w->d, ROLE_SUBHEADING, ex->title);
	/* The heading, the reason and the caution stay with the steps and drawing. */
	block *why = *chosen->reason ? labelled(w->d, locale_word(&c->words, W_WHY_FOR_YOU), chosen->reason)
	                             : say_text(w, ROLE_BODY, FACE_REGULAR, &ex->purpose);
	if (why)
		why->keep_with_next = 1;
	if (dr)
		aside_begin(w->d, dr, content_drawing_description(c, dg->id));
	char *care = say(w, &ex->cautions); /* every caution shown, as one paragraph */
	if (care) {
		labelled(w->d, locale_word(&c->words, W_TAKE_CARE), care)->keep_with_next = 1;
		free(care);
	}
	/* Split over a page, the first two steps stay together (never one step alone under what
	 * to take care of) and the dose goes with the last. */
	size_t first = w->d->nblocks;
	say_items(w, FACE_REGULAR, NULL, &ex->steps);
	size_t n = w->d->nblocks - first;
	if (n > 2)
		w->d->blocks[first].keep_with_next = 1;
	if (n > 0 && dose_lines(w, ex))
		w->d->blocks[first + n - 1].keep_with_next = 1;
	if (dr) {
		if (dg->caption)
			text(w->d, ROLE_SMALL, FACE_REGULAR, dg->caption);
		mark(w->d, BLOCK_ASIDE_END);
	}
	mark(w->d, BLOCK_KEEP_END);
}

static void exercises_section(const writer *w)
{
	if (!w->sel->nexercises)
		return;
	heading(w->d, ROLE_HEADING, locale_word(&w->c->words, W_WHAT_YOU_CAN_DO));
	/* The opening words stay with the heading; a page may end after them (they are read
	 * before the cards either way, and a first card that must start the next page no
	 * longer takes them along, leaving the page before half empty). */
	say_text(w, ROLE_BODY, FACE_REGULAR, &w->c->exercise_intro);
	for (size_t i = 0; i < w->sel->nexercises; i++)
		exercise_card(w, &w->sel->exercises[i]);
	space(w->d, 0.6);
}

/* One tier of the safety net in full: what to do, where and when, then the signs. The
 * list may run on to the next page, but what to do stays with its first two signs and the
 * last sign with the one before it. */
static void tier_block(const writer *w, const tier *t)
{
	/* Split over a page, the signs go on under the tier's words, "continued": a patient who
	 * turns the page still knows what they are signs of. */
	char *what = say(w, &t->title);
	if (what) {
		static const char *const colons[] = {":", "\xEF\xBC\x9A"}; /* and a full-width one */
		what[strlen(what) - ending(what, colons, 2)] = '\0';
		/* In standard print a tier is kept whole where it fits (helper-18: a patient saw two
		 * of the go-now signs on page 1, five on page 2); large print's pages are too short
		 * for that, a tier there goes on under its words. */
		keep_continued(w, what, w->opt->net_whole ? KEEP_WHOLE : KEEP_COSTED, NULL);
		free(what);
	}
	block *title = say_text(w, ROLE_BODY, FACE_BOLD, &t->title);
	if (title)
		title->keep_with_next = 1;
	size_t first = w->d->nblocks;
	say_items(w, FACE_REGULAR, BULLET, &t->items);
	size_t n = w->d->nblocks - first;
	if (n > 2)
		w->d->blocks[first].keep_with_next = 1;
	if (n > 1)
		w->d->blocks[first + n - 2].keep_with_next = 1;
	if (title)
		mark(w->d, BLOCK_KEEP_END);
	space(w->d, 0.3);
}

/* When to get help: this notice's own advice (a standard handout's is the safety net's
 * tier for booking a visit, not said twice), then every tier of the safety net shown. */
static void doctor_section(const writer *w)
{
	const content *c = w->c;
	const notice *n = content_notice(c, w->sel->notice.id);
	heading(w->d, ROLE_HEADING, locale_word(&c->words, W_WHEN_TO_SEE));
	size_t first = w->d->nblocks;
	if (strcmp(n->id, "standard") != 0) {
		mark(w->d, BLOCK_KEEP_BEGIN);
		text(w->d, ROLE_SUBHEADING, FACE_BOLD, n->title);
		say_text(w, ROLE_BODY, FACE_REGULAR, &n->text);
		if (*w->sel->notice.reason)
			labelled(w->d, locale_word(&c->words, W_WHY), w->sel->notice.reason);
		say_items(w, FACE_BOLD, BULLET, &n->actions);
		mark(w->d, BLOCK_KEEP_END);
		space(w->d, 0.3);
	}
	for (size_t i = 0; i < c->ntiers; i++)
		if (tier_shown(w, &c->tiers[i]))
			tier_block(w, &c->tiers[i]);
	/* The section is read as one: a page break inside it costs, so it stays on one page
	 * where it fits (helper-18 found a tier moved to page 2 with room for it on page 1). */
	for (size_t i = first; w->opt->net_whole && i + 1 < w->d->nblocks; i++)
		w->d->blocks[i].hold_with_next = 1;
	space(w->d, 0.3);
}

/* A question's drawing with the shapes of the patient's answers marked, or NULL when the
 * question has no drawing or no answer. */
/* The description of the drawing question qid is answered on (its alternative text). */
static const char *question_drawing_description(const content *c, const char *qid)
{
	int qi = questionnaire_find(&c->questionnaire, qid);
	return qi < 0 || !c->questionnaire.questions[qi].diagram
	           ? NULL
	           : content_drawing_description(c, c->questionnaire.questions[qi].diagram);
}

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
		          i == 0 ? ""
		                 : locale_word(&c->words, i + 1 == a->nvalues ? W_LIST_LAST : W_LIST_SEP),
		          ch ? ch->phrase : a->values[i]);
	}
	return sb_take(&sb);
}

/* "How much it hurts: you said 5 out of 10", the patient's own score, or NULL when not
 * answered. Caller frees. */
static char *pain_score_words(const writer *w)
{
	int qi = questionnaire_find(&w->c->questionnaire, "pain-score");
	if (qi < 0 || !patient_answered(w->p, qi))
		return NULL;
	return locale_format(&w->c->words, W_HOW_MUCH, "score", w->p->answers[qi].values[0],
	                     (const char *)NULL);
}

/* The patient's own pain, drawn: how much on the scale and, unless with_map is 0, where
 * on the body map beside it; under a heading unless brief (a one-page sheet). A handout
 * condensed that far says both in words alone. */
static void pain_section(const writer *w, int with_map, int brief)
{
	const content *c = w->c;
	const patient *p = w->p;
	document *d = w->d;
	int drawn = brief || w->opt->condense < CONDENSE_PAIN_WORDS;
	drawing *map = with_map ? marked_drawing(c, p, "pain-location", w->opt->mark) : NULL;
	drawing *scale = drawn ? marked_drawing(c, p, "pain-score", w->opt->mark) : NULL;
	char *how_much = pain_score_words(w);
	if (!map && !(drawn ? scale != NULL : how_much != NULL)) {
		free(how_much);
		return;
	}
	mark(d, BLOCK_KEEP_BEGIN);
	if (!brief)
		heading(d, ROLE_HEADING, locale_word(&c->words, W_YOUR_PAIN));
	if (map) {
		if (drawn) {
			aside_begin(d, map, question_drawing_description(c, "pain-location"));
			d->blocks[d->nblocks - 1].owned = map;
		}
		char *where = answer_phrases(c, p, questionnaire_find(&c->questionnaire, "pain-location"));
		char *s = sentence(c, where);
		labelled(d, locale_word(&c->words, W_WHERE_IT_HURTS), s);
		free(s), free(where);
	}
	if (scale) {
		if (map)
			space(d, 0.4);
		figure(d, scale, scale, 4.2, question_drawing_description(c, "pain-score"), how_much);
	} else if (how_much)
		text(d, ROLE_BODY, FACE_REGULAR, how_much);
	free(how_much);
	if (map && drawn)
		mark(d, BLOCK_ASIDE_END);
	else
		drawing_free(map);
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
static void log_section(const writer *w)
{
	const content *c = w->c;
	document *d = w->d;
	if (!w->sel->nexercises || w->opt->condense >= CONDENSE_NO_LOG)
		return;
	mark(d, BLOCK_KEEP_BEGIN);
	heading(d, ROLE_HEADING, locale_word(&c->words, W_LOG));
	text(d, ROLE_BODY, FACE_REGULAR, locale_word(&c->words, W_LOG_INTRO));
	block *h = grid(d, ROLE_SMALL);
	h->header = 1; /* the days head their columns (a reader announces them with each box) */
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_DAY));
	for (int day = 1; day <= 7; day++) {
		char label[16];
		snprintf(label, sizeof label, "%d", day);
		block_add_span(h, FACE_BOLD, label);
	}
	for (size_t i = 0; i < w->sel->nexercises; i++) {
		block *r = grid(d, ROLE_BODY);
		r->ticks = 1;
		block_add_span(r, FACE_REGULAR, content_exercise(c, w->sel->exercises[i].id)->title);
		for (int day = 1; day <= 7; day++)
			block_add_span(r, FACE_REGULAR, "");
	}
	mark(d, BLOCK_KEEP_END);
	space(d, 0.6);
}

static void standard_section(const writer *w)
{
	const statements *items = &w->c->standard_items;
	/* Not a keep group: a list may run on to the next page, its heading stays with it. */
	heading(w->d, ROLE_HEADING, w->c->standard_title);
	size_t shown = 0, total = 0;
	for (size_t i = 0; i < items->n; i++)
		total += (size_t)holds(w, items->v[i].when);
	for (size_t i = 0; i < items->n; i++) {
		if (!holds(w, items->v[i].when))
			continue;
		char *words = statement_words(w, &items->v[i]);
		block *b = item(w->d, ROLE_BODY, FACE_REGULAR, BULLET, words);
		free(words);
		/* The last three items go together, and with the lines about the sheet after them:
		 * no page starts with one or two bullets alone. */
		b->keep_with_next = ++shown + 3 > total;
	}
	space(w->d, 0.6);
}

/* Where the advice comes from and when it is reviewed, at the end. */
static void about_section(const writer *w)
{
	strbuf sb = {0};
	if (*w->s->clinic_name)
		sb_printf(&sb, "%s. ", w->s->clinic_name);
	sb_printf(&sb, "%s", w->c->about_source);
	locale_join_sentence(&sb, w->c->about_review);
	text(w->d, ROLE_SMALL, FACE_REGULAR, sb.data);
	sb_free(&sb);
}

/* An urgent handout argues for going now and nothing else (shared/spec/questionnaire.md):
 * the urgent box, why, the pain scale, and the clinic that made the sheet. */
static void urgent_document(const writer *w)
{
	notice_box(w, content_notice(w->c, "urgent"), ROLE_URGENT);
	notice_reasons(w, "urgent");
	pain_section(w, 0, 1);
	clinic_contact(w->d, w->c, w->s, w->s->clinic_name); /* one line: the page's room is for why */
}

/* Self-care in brief, for a one-page sheet: its name, steps and what to take care of,
 * without the drawing or the dose. */
static void exercise_brief(const writer *w, const selected *chosen)
{
	const exercise *ex = content_exercise(w->c, chosen->id);
	mark(w->d, BLOCK_KEEP_BEGIN);
	heading(w->d, ROLE_SUBHEADING, ex->title);
	say_items(w, FACE_REGULAR, NULL, &ex->steps);
	say_labelled(w, locale_word(&w->c->words, W_TAKE_CARE), &ex->cautions);
	mark(w->d, BLOCK_KEEP_END);
}

/* A today handout, on one page in standard print: contact a doctor today and why, the
 * signs to go now for, the notes that still apply (pregnancy), the pain scale, the
 * self-care that does not load the back, and the clinic. No causes, no other exercise, no
 * reassurance. */
static void today_document(const writer *w)
{
	const content *c = w->c;
	notice_box(w, content_notice(c, "today"), ROLE_BODY);
	notice_reasons(w, "today");
	for (size_t i = 0; i < c->ntiers; i++)
		if (tier_shown(w, &c->tiers[i]))
			tier_block(w, &c->tiers[i]);
	notes_brief(w);
	pain_section(w, 0, 1);
	for (size_t i = 0; i < w->sel->nexercises; i++)
		exercise_brief(w, &w->sel->exercises[i]);
	space(w->d, 0.4);
	clinic_contact(w->d, c, w->s, w->s->clinic_name); /* one line: the page's room is for the patient */
}

document *document_build(const content *c, const settings *s, const patient *p, const selection *sel,
                         const char *date_text, const document_options *opt)
{
	document *d = xcalloc(1, sizeof *d);
	d->header_left =
	    p->name && *p->name
	        ? locale_format(&c->words, W_HEADER_NAME, "name", p->name, "id", p->id, (const char *)NULL)
	        : locale_format(&c->words, W_HEADER_ID, "id", p->id, (const char *)NULL);
	d->header_right = xstrdup(date_text);
	d->footer_left = xstrdup(s->clinic_name);
	d->footer_contact = phone_words(c, s);
	d->page_format = xstrdup(locale_word(&c->words, W_PAGE));
	d->title = xstrdup(locale_word(&c->words, W_TITLE));
	d->subject = xstrdup(locale_word(&c->words, W_SUBJECT));
	d->lang = xstrdup(c->language);

	writer w = {d, c, s, p, sel, opt};
	if (strcmp(sel->notice.id, "urgent") == 0) {
		urgent_document(&w);
		d->one_page = 1;
		return d;
	}
	if (strcmp(sel->notice.id, "today") == 0) {
		today_document(&w);
		d->one_page = 1;
		return d;
	}
	title_block(&w, date_text);
	for (size_t i = 0; i < opt->nsections; i++) {
		switch (opt->sections[i]) {
		case SECTION_SUMMARY:
			summary_box(&w);
			break;
		case SECTION_PAIN:
			pain_section(&w, 1, 0);
			break;
		case SECTION_NOTES:
			notes_section(&w);
			break;
		case SECTION_CAUSES:
			causes_section(&w);
			break;
		case SECTION_EXERCISES:
			exercises_section(&w);
			break;
		case SECTION_LOG:
			log_section(&w);
			break;
		case SECTION_DOCTOR:
			doctor_section(&w);
			break;
		case SECTION_ADVICE:
			standard_section(&w);
			break;
		case SECTION_COUNT:
			break;
		}
	}
	about_section(&w);
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

/* The yes/no questions from `from` on, one table: a row each, boxes under Yes and No; before
 * the questions a Yes to which the staff must hear of, a row across the table saying what to
 * do (alert 1: tell the staff now; 2: before leaving). Returns the index after the last. */
static size_t yes_no_table(document *d, const content *c, size_t from, const unsigned char *alert,
                           size_t *number)
{
	const questionnaire *q = &c->questionnaire;
	block *h = grid(d, ROLE_SMALL);
	h->col_frac[0] = 0.82, h->col_frac[1] = 0.09;
	h->header = 1;
	block_add_span(h, FACE_BOLD, "");
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_YES));
	block_add_span(h, FACE_BOLD, locale_word(&c->words, W_NO));
	h->keep_with_next = 1;
	size_t i = from;
	for (; i < q->nquestions && q->questions[i].type == Q_BOOLEAN; i++) {
		if (alert[i] && (i == from || alert[i - 1] != alert[i])) {
			size_t end = i;
			while (end < q->nquestions && q->questions[end].type == Q_BOOLEAN &&
			       alert[end] == alert[i])
				end++;
			char first[24], last[24];
			snprintf(first, sizeof first, "%zu", *number + 1);
			snprintf(last, sizeof last, "%zu", *number + (end - i));
			char *tell = locale_format(
			    &c->words, alert[i] == 1 ? W_FORM_TELL_STAFF : W_FORM_TELL_STAFF_TODAY, "first",
			    first, "last", last, (const char *)NULL);
			block *t = grid(d, ROLE_BODY); /* one cell across the table */
			t->rule_below = 0;
			t->colour = COLOUR_URGENT;
			t->keep_with_next = 1;
			block_add_span(t, FACE_BOLD, tell);
			free(tell);
		}
		block *r = grid(d, ROLE_BODY);
		r->col_frac[0] = 0.82, r->col_frac[1] = 0.09;
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

typedef struct alert_mark {
	unsigned char *alert;
	unsigned char level;
} alert_mark;

static void mark_question(void *ctx, const condition *leaf)
{
	alert_mark *m = ctx;
	if (!m->alert[leaf->question])
		m->alert[leaf->question] = m->level;
}

document *document_form(const content *c, const settings *s, const document_options *opt)
{
	const questionnaire *q = &c->questionnaire;
	/* The questions a Yes to which the staff must hear of: the red flags (the urgent rule's,
	 * at once) and the today rule's (before the patient leaves). */
	unsigned char *alert = xcalloc(q->nquestions + 1, 1);
	for (size_t i = 0; i < c->notice_rules.nrules; i++) {
		const rule *r = &c->notice_rules.rules[i];
		alert_mark m = {alert, strcmp(r->select, "urgent") == 0  ? 1
		                       : strcmp(r->select, "today") == 0 ? 2
		                                                         : 0};
		if (m.level)
			condition_each_answer_test(r->when, mark_question, &m);
	}
	document *d = xcalloc(1, sizeof *d);
	d->header_left = xstrdup(q->title ? q->title : "");
	d->header_right = xstrdup("");
	d->footer_left = xstrdup(s->clinic_name);
	d->footer_contact = phone_words(c, s);
	d->page_format = xstrdup(locale_word(&c->words, W_PAGE));
	d->title = xstrdup(q->title ? q->title : "");
	d->subject = xstrdup(q->title ? q->title : "");
	d->lang = xstrdup(c->language);
	clinic_block(d, c, s, opt);
	space(d, 0.2);
	if (q->title)
		text(d, ROLE_TITLE, FACE_BOLD, q->title);
	text(d, ROLE_BODY, FACE_REGULAR, locale_word(&c->words, W_FORM_INTRO));
	/* The name, the date and the patient's id (every input needs one), each on a line to
	 * write on; a narrow page wraps them. */
	strbuf who = {0};
	sb_printf(&who, "%s______________________   %s___________   %s___________",
	          locale_word(&c->words, W_FORM_NAME), locale_word(&c->words, W_FORM_DATE),
	          locale_word(&c->words, W_FORM_ID));
	space(d, 0.3);
	text(d, ROLE_BODY, FACE_BOLD, who.data);
	sb_free(&who);
	space(d, 0.2);
	size_t number = 0;
	for (size_t i = 0; i < q->nquestions;) {
		const question *qu = &q->questions[i];
		if (qu->type == Q_BOOLEAN) {
			i = yes_no_table(d, c, i, alert,
			                 &number); /* may run on: its header row goes with it */
			space(d, 0.2);
			continue;
		}
		mark(d, BLOCK_KEEP_BEGIN);
		const drawing *map =
		    qu->type == Q_CHOICE && qu->diagram ? content_drawing_find(c, qu->diagram) : NULL;
		if (map)
			aside_begin(d, map, content_drawing_description(c, qu->diagram));
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
				r->tick_first = 1;
				r->rule_below = 0;
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
	free(alert);
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
		free(d->blocks[i].alt);
		drawing_free(d->blocks[i].owned);
	}
	free(d->blocks);
	free(d->header_left), free(d->header_right), free(d->footer_left), free(d->footer_contact);
	free(d->title), free(d->subject), free(d->page_format), free(d->lang);
	free(d);
}

void document_dump(const document *d, strbuf *out)
{
	static const char *const kinds[] = {"text",    "item",  "row",       "space", "box",
	                                    "end-box", "keep",  "end-keep",  "grid",  "image",
	                                    "drawing", "aside", "end-aside", "table"};
	for (size_t i = 0; i < d->nblocks; i++) {
		const block *b = &d->blocks[i];
		sb_printf(out, "%s", kinds[b->kind]);
		if (b->marker)
			sb_printf(out, " [%s]", b->marker);
		for (size_t k = 0; k < b->nspans; k++)
			sb_printf(out, " %s{%s}", b->spans[k].face == FACE_BOLD ? "b" : "r",
			          b->spans[k].text);
		sb_putc(out, '\n');
	}
}
