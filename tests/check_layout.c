/* check_layout.c: line breaking and pagination with a fake fixed-width font, no PDF. */
#include "content.h"
#include "document.h"
#include "fonts.h"
#include "helpers.h"
#include "layout.h"
#include "read_native.h"
#include "selection.h"
#include "settings.h"
#include "svg.h"
#include "template.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every character is half the size wide, like a typewriter face. */
static double fake_width(void *ctx, face_id face, double size, const char *s, size_t len)
{
	(void)ctx;
	(void)face;
	size_t chars = 0;
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)s[i] & 0xC0) != 0x80;
	return (double)chars * size * 0.5;
}

static const layout_measure fake = {NULL, fake_width, {0.7, 0.7}};

/* A page 200 pt wide with a 100 pt column (20 characters of 10 pt), 300 pt high. */
static page_template fake_template(void)
{
	page_template t;
	memset(&t, 0, sizeof t);
	t.page_width_pt = 200;
	t.page_height_pt = 300;
	t.margin_left_pt = t.margin_right_pt = 50;
	t.margin_top_pt = t.margin_bottom_pt = 20;
	for (int r = 0; r < ROLE_COUNT; r++)
		t.size_pt[r] = 10;
	t.size_pt[ROLE_SMALL] = 5;
	t.line_spacing = 1.2;
	return t;
}

static document *new_doc(void)
{
	document *d = xcalloc(1, sizeof *d);
	d->header_left = xstrdup("Name");
	d->header_right = xstrdup("Date");
	d->footer_left = xstrdup("Clinic");
	d->footer_contact = xstrdup("");
	return d;
}

static block *push(document *d, block_kind kind, const char *text)
{
	grow_array((void **)&d->blocks, &d->blocks_cap, d->nblocks + 1, sizeof *d->blocks);
	block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->role = ROLE_BODY;
	if (text) {
		b->spans = xcalloc(1, sizeof *b->spans);
		b->spans[0] = (span){FACE_REGULAR, xstrdup(text)};
		b->nspans = 1;
	}
	return b;
}

/* Body text items: those of body size (the page furniture is set smaller). */
static int is_body_text(const layout_item *it)
{
	return it->kind == ITEM_TEXT && it->size_pt >= 10;
}

/* Issue 21: a paper form's tick boxes sat 40 mm right of short choice labels, where a
 * patient can tick the wrong row. A choice row with tick_first has its box at the column's
 * left edge and its label right beside it, on the box's line. */
START_TEST(a_choice_box_sits_beside_its_label)
{
	page_template t = fake_template();
	document *d = new_doc();
	block *b = push(d, BLOCK_GRID, "Light");
	b->ticks = 1;
	b->tick_first = 1;
	block_add_span(b, FACE_REGULAR, "");
	layout *l = layout_document(d, &t, &fake);
	const layout_item *box = NULL, *label = NULL;
	for (size_t i = 0; i < l->pages[0].nitems; i++) {
		const layout_item *it = &l->pages[0].items[i];
		if (it->kind == ITEM_RECT && it->w_pt < 20 && fabs(it->w_pt - it->h_pt) < 1e-6)
			box = it;
		if (it->kind == ITEM_TEXT && !strcmp(it->text, "Light"))
			label = it;
	}
	ck_assert_ptr_nonnull(box);
	ck_assert_ptr_nonnull(label);
	ck_assert_double_eq_tol(box->x_pt, 50, 1e-6); /* the column's left edge */
	double gap = label->x_pt - (box->x_pt + box->w_pt);
	ck_assert_msg(gap > 0 && gap < 10, "label %.1f pt from its box", gap); /* beside it: under one em */
	ck_assert_msg(box->y_pt < label->y_pt + 10 && box->y_pt + box->h_pt > label->y_pt,
	              "box off the label's line");
	layout_free(l);
	document_free(d);
}
END_TEST

START_TEST(lines_stay_inside_the_column)
{
	page_template t = fake_template();
	document *d = new_doc();
	push(d, BLOCK_TEXT, "one two three four five six seven eight nine ten eleven twelve thirteen");
	push(d, BLOCK_TEXT, "Supercalifragilisticexpialidocious-and-then-some-more-letters here");
	layout *l = layout_document(d, &t, &fake);
	strbuf all = {0};
	for (size_t p = 0; p < l->npages; p++)
		for (size_t i = 0; i < l->pages[p].nitems; i++) {
			const layout_item *it = &l->pages[p].items[i];
			if (it->kind != ITEM_TEXT)
				continue;
			ck_assert_msg(it->x_pt >= 50 - 1e-6 && it->x_pt + it->w_pt <= 150 + 1e-6,
			              "'%s' at %.2f w %.2f", it->text, it->x_pt, it->w_pt);
			if (is_body_text(it))
				sb_printf(&all, "%s|", it->text);
		}
	/* Words wrap at spaces; the long word is broken at 20 characters and nothing is lost. */
	ck_assert_str_eq(all.data, "one two three four|five six seven eight|nine ten eleven|twelve thirteen|"
	                           "Supercalifragilistic|expialidocious-and-t|hen-some-more-letter|s here|");
	sb_free(&all);
	layout_free(l);
	document_free(d);
}
END_TEST

START_TEST(every_page_has_furniture)
{
	page_template t = fake_template();
	document *d = new_doc();
	for (int i = 0; i < 40; i++)
		push(d, BLOCK_TEXT, "a line of text");
	layout *l = layout_document(d, &t, &fake);
	ck_assert_uint_gt(l->npages, 2);
	for (size_t p = 0; p < l->npages; p++) {
		char want[64];
		format_into(want, sizeof want, "Page %zu of %zu", p + 1, l->npages);
		int found = 0, name = 0;
		for (size_t i = 0; i < l->pages[p].nitems; i++) {
			const layout_item *it = &l->pages[p].items[i];
			found |= it->text && strcmp(it->text, want) == 0;
			name |= it->text && strcmp(it->text, "Name") == 0;
		}
		ck_assert_msg(found && name, "page %zu lacks furniture", p + 1);
	}
	layout_free(l);
	document_free(d);
}
END_TEST

/* A footer too long for its line is cut at a word's end, never inside a word nor after an
 * ampersand (helper-17: "...department n..., continued"; helper-16: "Sports Massage &..."). */
START_TEST(shortened_lines_end_at_a_word)
{
	page_template t = fake_template();
	document *d = new_doc();
	free(d->footer_left);
	d->footer_left = xstrdup("Westmoreland Whitworth Sports & Massage Physiotherapy Clinic");
	push(d, BLOCK_TEXT, "a line of text");
	layout *l = layout_document(d, &t, &fake);
	int seen = 0;
	for (size_t i = 0; i < l->pages[0].nitems; i++) {
		const char *text = l->pages[0].items[i].text;
		const char *dots = text ? strstr(text, "\xE2\x80\xA6") : NULL;
		if (!dots)
			continue;
		seen = 1;
		size_t kept = (size_t)(dots - text);
		ck_assert_uint_gt(kept, 0);
		ck_assert_msg(!strncmp(text, d->footer_left, kept) && d->footer_left[kept] == ' ' &&
		                  text[kept - 1] != '&',
		              "cut inside a word or after '&': %s", text);
	}
	ck_assert_msg(seen, "the footer was not shortened");
	layout_free(l);
	document_free(d);
}
END_TEST

/* Paragraph k's words are "kWORD"; a heading's text starts with "H". Checks on random
 * documents that no heading ends a page and no paragraph leaves one line alone. */
START_TEST(headings_and_paragraph_ends_never_alone)
{
	page_template t = fake_template();
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		document *d = new_doc();
		int nblocks = 5 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 30;
		for (int k = 0; k < nblocks; k++) {
			seed = seed * 1103515245 + 12345;
			if ((seed >> 16) % 4 == 0) {
				block *h = push(d, BLOCK_TEXT, "Heading");
				h->keep_with_next = 1;
				continue;
			}
			strbuf sb = {0};
			int words = 1 + (int)((seed >> 8) % 40);
			for (int w = 0; w < words; w++)
				sb_printf(&sb, "%s%c%03d", w ? " " : "", 'a' + k % 26, k);
			push(d, BLOCK_TEXT, sb.data);
			sb_free(&sb);
		}
		layout *l = layout_document(d, &t, &fake);
		for (size_t p = 0; p + 1 < l->npages; p++) {
			const layout_page *pg = &l->pages[p];
			const layout_item *first = NULL, *last = NULL;
			int first_count = 0, last_count = 0;
			for (size_t i = 0; i < pg->nitems; i++)
				if (is_body_text(&pg->items[i])) {
					if (!first)
						first = &pg->items[i];
					last = &pg->items[i];
				}
			ck_assert_ptr_nonnull(last);
			ck_assert_msg(strcmp(last->text, "Heading") != 0, "round %d: heading ends page %zu",
			              round, p + 1);
			/* Count lines of the paragraph that ends this page, here and on the next page. */
			const char *tag = last->text;
			for (size_t i = 0; i < pg->nitems; i++)
				last_count +=
				    is_body_text(&pg->items[i]) && strncmp(pg->items[i].text, tag, 4) == 0;
			const layout_page *next = &l->pages[p + 1];
			for (size_t i = 0; i < next->nitems; i++)
				first_count += is_body_text(&next->items[i]) &&
				               strncmp(next->items[i].text, tag, 4) == 0;
			if (first_count > 0) {
				ck_assert_msg(last_count >= 2,
				              "round %d: one line of '%.4s' alone at the foot of page %zu",
				              round, tag, p + 1);
				ck_assert_msg(first_count >= 2,
				              "round %d: one line of '%.4s' alone at the top of page %zu",
				              round, tag, p + 2);
			}
			(void)first;
		}
		layout_free(l);
		document_free(d);
	}
}
END_TEST

/* How many text items of a page say exactly s. */
static int count_text(const layout_page *p, const char *s)
{
	int n = 0;
	for (size_t i = 0; i < p->nitems; i++)
		n += p->items[i].text && strcmp(p->items[i].text, s) == 0;
	return n;
}

START_TEST(keep_group_moves_whole)
{
	page_template t = fake_template();
	document *d = new_doc();
	/* Fill most of page 1, then a group of 6 lines that cannot fit in what is left. */
	for (int i = 0; i < 12; i++)
		push(d, BLOCK_TEXT, "filler");
	push(d, BLOCK_KEEP_BEGIN, NULL);
	for (int i = 0; i < 6; i++)
		push(d, BLOCK_ITEM, "grouped")->marker = xstrdup("1.");
	push(d, BLOCK_KEEP_END, NULL);
	layout *l = layout_document(d, &t, &fake);
	ck_assert_uint_eq(l->npages, 2);
	ck_assert_int_eq(count_text(&l->pages[0], "grouped"), 0);
	ck_assert_int_eq(count_text(&l->pages[1], "grouped"), 6);
	layout_free(l);
	document_free(d);
}
END_TEST

/* A soft group (an exercise card) that would leave most of a page empty splits, and its
 * rest is headed on the next page by the group's continuation line; a soft group that
 * starts a page whole gets none. */
START_TEST(soft_group_splits_under_a_continuation_line)
{
	page_template t = fake_template();
	document *d = new_doc();
	for (int i = 0; i < 4; i++)
		push(d, BLOCK_TEXT, "filler");
	for (int g = 0; g < 2; g++) {
		block *keep = push(d, BLOCK_KEEP_BEGIN, "Card, continued");
		keep->keep = KEEP_COSTED;
		for (int i = 0; i < 14; i++)
			push(d, BLOCK_ITEM, "step")->marker = xstrdup("1.");
		push(d, BLOCK_KEEP_END, NULL);
	}
	layout *l = layout_document(d, &t, &fake);
	ck_assert_uint_ge(l->npages, 2);
	int continued = 0;
	ck_assert_int_gt(count_text(&l->pages[0], "step"), 0); /* the first card began on page 1 */
	for (size_t pg = 1; pg < l->npages; pg++) {
		/* The first text of a page that goes on with a card is the continuation line. */
		const layout_item *first = NULL;
		for (size_t i = 0; i < l->pages[pg].nitems && !first; i++)
			if (l->pages[pg].items[i].text &&
			    l->pages[pg].items[i].size_pt >= t.size_pt[ROLE_BODY])
				first = &l->pages[pg].items[i];
		ck_assert_ptr_nonnull(first);
		continued += strcmp(first->text, "Card, continued") == 0;
	}
	ck_assert_int_ge(continued, 1);
	ck_assert_int_lt(continued, (int)l->npages); /* never on page 1, nor where a card starts whole */
	layout_free(l);
	document_free(d);
}
END_TEST

/* A section held together (hold_with_next: the safety net in standard print) that would
 * straddle a page break goes whole to the next page, where page 1 keeps only two lines
 * empty; without the hold the page breaks cut it. A headed group (a cause) too long to move
 * whole splits at a paragraph's cost, its rest under its continuation line. */
START_TEST(held_section_moves_whole_headed_group_splits)
{
	page_template t = fake_template();
	/* How many lines page 1 holds. */
	document *probe = new_doc();
	for (int i = 0; i < 100; i++)
		push(probe, BLOCK_TEXT, "filler");
	layout *pl = layout_document(probe, &t, &fake);
	int room = count_text(&pl->pages[0], "filler");
	layout_free(pl);
	document_free(probe);
	ck_assert_int_gt(room, 6);
	for (int held = 0; held < 3; held++) {
		document *d = new_doc();
		for (int i = 0; i < room - 2; i++)
			push(d, BLOCK_TEXT, "filler");
		if (held == 2) {
			block *keep = push(d, BLOCK_KEEP_BEGIN, "Cause, continued");
			keep->keep = KEEP_HEADED;
		}
		/* The headed group is too long to go whole to page 2 with what follows it. */
		int nets = held == 2 ? room - 2 : 4;
		for (int i = 0; i < nets; i++)
			push(d, BLOCK_TEXT, "net")->hold_with_next = held == 1 && i < nets - 1;
		if (held == 2)
			push(d, BLOCK_KEEP_END, NULL);
		for (int i = 0; i < 3; i++)
			push(d, BLOCK_TEXT, "after");
		layout *l = layout_document(d, &t, &fake);
		ck_assert_uint_eq(l->npages, 2);
		int on_first = count_text(&l->pages[0], "net");
		if (held == 1)
			ck_assert_int_eq(on_first, 0);
		else /* cut: page 1 filled but for what leaves page 2 less thin */
			ck_assert_int_ge(on_first, 1);
		ck_assert_int_eq(count_text(&l->pages[1], "Cause, continued"), held == 2);
		layout_free(l);
		document_free(d);
	}
}
END_TEST

START_TEST(dump_lists_pages_and_items)
{
	page_template t = fake_template();
	document *d = new_doc();
	push(d, BLOCK_TEXT, "hello world");
	layout *l = layout_document(d, &t, &fake);
	strbuf sb = {0};
	layout_dump(l, &sb);
	ck_assert_msg(strstr(sb.data, "page 1 of 1 (200.00 x 300.00)\n") != NULL, "%s", sb.data);
	ck_assert_msg(strstr(sb.data, "  text 50.00 ") != NULL && strstr(sb.data, "\"hello world\"\n"), "%s",
	              sb.data);
	sb_free(&sb);
	layout_free(l);
	document_free(d);
}
END_TEST

/* The body map marks only the side reported: pain below the right knee is not pain in both
 * legs; with no side named, a leg region is marked on both sides. */
static size_t marked_shapes(const char *answers_xml, rgb mark, char *ids, size_t cap)
{
	patient *p = patient_from_string(answers_xml);
	ck_assert_msg(p->error == NULL, "%s", p->error ? p->error : "");
	const content *c = shipped_content();
	selection *sel = selection_make(c, p);
	settings *st = settings_default();
	static const section_id order[] = {SECTION_PAIN};
	document_options opt = {order, 1, 0, mark};
	document *d = document_build(c, st, p, sel, "1 December 2026", &opt);
	size_t n = 0;
	ids[0] = '\0';
	for (size_t i = 0; i < d->nblocks; i++) {
		const drawing *dr = d->blocks[i].drawing;
		if (!dr || !strstr(dr->file, "body-map"))
			continue;
		for (size_t k = 0; k < dr->nitems; k++) {
			const draw_item *it = &dr->items[k];
			if (it->kind == DRAW_SHAPE && it->filled && it->id && it->fill.r == mark.r &&
			    it->fill.g == mark.g && it->fill.b == mark.b) {
				format_into(ids + strlen(ids), cap - strlen(ids), "%s ", it->id);
				n++;
			}
		}
	}
	document_free(d);
	settings_free(st);
	selection_free(sel);
	patient_free(p);
	return n;
}

START_TEST(body_map_marks_only_the_reported_side)
{
	rgb mark = {0.9, 0.1, 0.2};
	char ids[1024];
	marked_shapes(
	    "<patient id=\"S\"><answers><answer q=\"pain-score\">4</answer>"
	    "<answer q=\"pain-location\">right</answer><answer q=\"pain-location\">below-knee</answer>"
	    "</answers></patient>",
	    mark, ids, sizeof ids);
	ck_assert_msg(strstr(ids, "pain-location-below-knee-right ") && !strstr(ids, "below-knee-left") &&
	                  strstr(ids, "pain-location-right ") && !strstr(ids, "pain-location-left"),
	              "marked: %s", ids);
	marked_shapes("<patient id=\"S\"><answers><answer q=\"pain-score\">4</answer>"
	              "<answer q=\"pain-location\">thigh</answer></answers></patient>",
	              mark, ids, sizeof ids);
	ck_assert_msg(strstr(ids, "pain-location-thigh-left ") && strstr(ids, "pain-location-thigh-right ") &&
	                  !strstr(ids, "below-knee"),
	              "marked: %s", ids);
}
END_TEST

/* Chinese has no spaces: a line breaks between any two characters, but never before closing
 * punctuation (。，」) nor after opening punctuation (「). The 21st character here is a full
 * stop, so the first line gives up its 20th character to it; the bracket opening at the
 * 20th place of its line goes over with what it opens. */
START_TEST(cjk_lines_break_between_characters)
{
	page_template t = fake_template();
	document *d = new_doc();
	const char *text = "一二三四五六七八九十一二三四五六七八九十。"
	                   "一二三四五六七八九十一二三四五六七「十」，一二三";
	push(d, BLOCK_TEXT, text);
	layout *l = layout_document(d, &t, &fake);
	strbuf all = {0};
	size_t lines = 0;
	for (size_t i = 0; i < l->pages[0].nitems; i++) {
		const layout_item *it = &l->pages[0].items[i];
		if (!is_body_text(it))
			continue;
		ck_assert_msg(it->x_pt + it->w_pt <= 150 + 1e-6, "'%s' leaves the column", it->text);
		ck_assert_msg(strncmp(it->text, "。", 3) && strncmp(it->text, "，", 3) &&
		                  strncmp(it->text, "」", 3),
		              "a line starts with closing punctuation: '%s'", it->text);
		size_t n = strlen(it->text);
		ck_assert_msg(n < 3 || strcmp(it->text + n - 3, "「"),
		              "a line ends with an opening bracket: '%s'", it->text);
		sb_printf(&all, "%s|", it->text);
		lines++;
	}
	ck_assert_str_eq(all.data,
	                 "一二三四五六七八九十一二三四五六七八九|十。一二三四五六七八九十一二三四五六七|"
	                 "「十」，一二三|");
	ck_assert_uint_eq(lines, 3);
	sb_free(&all);
	layout_free(l);
	document_free(d);
}
END_TEST

/* The fonts module measures and judges text from its tables alone (no font file, no PDF):
 * what no face draws measures as '?', and a text is unprintable for the first reason of
 * direction, shaping, then missing letters. */
START_TEST(fonts_measure_and_judge_from_tables)
{
	font_metrics *fm = xcalloc(1, sizeof *fm);
	memset(fm->width, 0xFF, sizeof fm->width);
	for (int f = 0; f < FACE_COUNT; f++) {
		for (uint32_t cp = 0x20; cp < 0x7F; cp++)
			fm->width[f][cp] = 500;
		fm->width[f][0x4E2D] = 1000; /* 中, from the CJK file */
		fm->src[f][0x4E2D] = 2;
		fm->ascent[f] = 0.75;
	}
	fm->width[FACE_REGULAR][0x00E9] = 550; /* é in the regular face only */
	layout_measure m;
	fonts_measure(fm, &m);
	ck_assert(m.ascent[FACE_BOLD] == 0.75);
	ck_assert(fabs(m.text_width(m.ctx, FACE_REGULAR, 10, "ab", 2) - 10.0) < 1e-9);
	ck_assert(fabs(m.text_width(m.ctx, FACE_REGULAR, 10, "\xe4\xb8\xad", 3) - 10.0) < 1e-9);
	/* Ω has no glyph: it measures as the '?' printed in its place. */
	ck_assert(fabs(m.text_width(m.ctx, FACE_BOLD, 10, "\xce\xa9", 2) - 5.0) < 1e-9);
	ck_assert(fonts_can_draw(fm, FACE_REGULAR, 0x00E9) && !fonts_can_draw(fm, FACE_BOLD, 0x00E9));
	ck_assert(!fonts_can_draw(fm, FACE_REGULAR, 0x0085) && !fonts_can_draw(fm, FACE_REGULAR, 0x1F600));
	ck_assert_ptr_null(fonts_unprintable(fm, "Ann Lee \xe4\xb8\xad"));
	ck_assert_str_eq(fonts_unprintable(fm, "Ren\xc3\xa9"),
	                 "letters the fonts do not have");          /* no bold é */
	ck_assert_str_eq(fonts_unprintable(fm, "\xd7\xa9\xd7\x9c"), /* Hebrew */
	                 "a script handout cannot set (its letters join or run right to left)");
	ck_assert_str_eq(fonts_unprintable(fm, "Ann\xe2\x80\xae\xd7\xa9"),
	                 "characters that change the direction of text (right-to-left marks or overrides)");
	free(fm);
}
END_TEST

/* Issue 24: what a screen reader hears. A heading, a paragraph, a box, a numbered and a
 * bulleted list, a table long enough to go on to a second page: the tags say H1, P, Sect,
 * L/LI/Lbl/LBody (a bullet is decoration: no Lbl), Table/TR/TH/TD in the document's order;
 * every body text item points at its tag; the page furniture and the table's header
 * repeated on page 2 are artifacts (tag 0). */
START_TEST(tags_follow_the_document)
{
	page_template t = fake_template();
	document *d = new_doc();
	d->lang = xstrdup("en");
	push(d, BLOCK_TEXT, "Title")->role = ROLE_TITLE;
	push(d, BLOCK_BOX_BEGIN, NULL);
	push(d, BLOCK_TEXT, "Boxed words");
	push(d, BLOCK_BOX_END, NULL);
	push(d, BLOCK_ITEM, "Step one")->marker = xstrdup("1.");
	push(d, BLOCK_ITEM, "Step two")->marker = xstrdup("2.");
	push(d, BLOCK_TEXT, "Between");
	push(d, BLOCK_ITEM, "A bullet")->marker = xstrdup("\u2022");
	push(d, BLOCK_TEXT, "Sub")->role = ROLE_SUBHEADING; /* after an H1: an H2, no level skipped */
	block *head = push(d, BLOCK_TABLE, "ID");
	head->header = 1;
	head->col_frac[0] = 1;
	for (int i = 0; i < 30; i++) {
		char id[16];
		snprintf(id, sizeof id, "P-%02d", i);
		push(d, BLOCK_TABLE, id);
	}
	layout *l = layout_document(d, &t, &fake);
	strbuf sb = {0};
	layout_dump_tags(l, &sb);
	ck_assert_msg(
	    strncmp(sb.data,
	            "0 Part\n1 H1 in 0\n2 Sect in 0\n3 P in 2\n4 L in 0\n5 LI in 4\n6 Lbl in 5\n"
	            "7 LBody in 5\n8 LI in 4\n9 Lbl in 8\n10 LBody in 8\n11 P in 0\n12 L in 0\n"
	            "13 LI in 12\n14 LBody in 13\n15 H2 in 0\n16 Table in 0\n17 TR in 16\n"
	            "18 TH in 17\n19 TR in 16\n20 TD in 19\n",
	            strlen("0 Part\n1 H1 in 0\n2 Sect in 0\n3 P in 2\n4 L in 0\n5 LI in 4\n6 Lbl "
	                   "in 5\n7 LBody in 5\n8 LI in 4\n9 Lbl in 8\n10 LBody in 8\n11 P in 0\n12 "
	                   "L in 0\n13 LI in 12\n14 LBody in 13\n15 H2 in 0\n16 Table in 0\n17 TR "
	                   "in 16\n18 TH in 17\n19 TR in 16\n20 TD in 19\n")) == 0,
	    "%s", sb.data);
	ck_assert_msg(strstr(sb.data, "page 1: [1 H1] Title [3 P] Boxed words [6 Lbl] 1. [7 LBody] Step one"),
	              "%s", sb.data);
	ck_assert_msg(strstr(sb.data, "[14 LBody] A bullet [15 H2] Sub [18 TH] ID [20 TD] P-00"), "%s",
	              sb.data);
	ck_assert_int_ge(l->npages, 2);
	ck_assert_str_eq(l->lang, "en");
	for (size_t p = 0; p < l->npages; p++)
		for (size_t k = 0; k < l->pages[p].nitems; k++) {
			const layout_item *it = &l->pages[p].items[k];
			if (it->kind != ITEM_TEXT)
				continue;
			if (!is_body_text(it) || (p > 0 && strcmp(it->text, "ID") == 0) ||
			    strcmp(it->text, "\u2022") == 0)
				ck_assert_msg(it->tag == 0,
				              "page %zu: '%s' is furniture or repeated, tagged %zu", p + 1,
				              it->text, it->tag);
			else
				ck_assert_msg(it->tag > 0 && it->tag < l->ntags, "page %zu: '%s' has no tag",
				              p + 1, it->text);
		}
	/* page 2 opens with the repeated header, then the rows go on with their own TDs */
	ck_assert_msg(strstr(sb.data, "page 2: [") && !strstr(strstr(sb.data, "page 2:"), "[18 TH]"), "%s",
	              sb.data);
	sb_free(&sb);
	layout_free(l);
	document_free(d);
}
END_TEST

/* Headings asking for the same level are siblings, whatever is missing above them (a
 * template without the summary: the title, then two notes' subheadings, then a section and
 * its card): H1, H2, H2, H2, H3. */
START_TEST(sibling_headings_stay_siblings)
{
	page_template t = fake_template();
	document *d = new_doc();
	push(d, BLOCK_TEXT, "Title")->role = ROLE_TITLE;
	push(d, BLOCK_TEXT, "Note one")->role = ROLE_SUBHEADING;
	push(d, BLOCK_TEXT, "Note two")->role = ROLE_SUBHEADING;
	push(d, BLOCK_TEXT, "Section")->role = ROLE_HEADING;
	push(d, BLOCK_TEXT, "Card")->role = ROLE_SUBHEADING;
	layout *l = layout_document(d, &t, &fake);
	strbuf sb = {0};
	layout_dump_tags(l, &sb);
	ck_assert_msg(strstr(sb.data, "1 H1 in 0\n2 H2 in 0\n3 H2 in 0\n4 H2 in 0\n5 H3 in 0\n"), "%s",
	              sb.data);
	sb_free(&sb);
	layout_free(l);
	document_free(d);
}
END_TEST

Suite *layout_suite(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("fake font");
	tcase_add_test(tc, cjk_lines_break_between_characters);
	tcase_add_test(tc, lines_stay_inside_the_column);
	tcase_add_test(tc, a_choice_box_sits_beside_its_label);
	tcase_add_test(tc, every_page_has_furniture);
	tcase_add_test(tc, shortened_lines_end_at_a_word);
	tcase_add_test(tc, headings_and_paragraph_ends_never_alone);
	tcase_add_test(tc, keep_group_moves_whole);
	tcase_add_test(tc, soft_group_splits_under_a_continuation_line);
	tcase_add_test(tc, held_section_moves_whole_headed_group_splits);
	tcase_add_test(tc, dump_lists_pages_and_items);
	tcase_add_test(tc, body_map_marks_only_the_reported_side);
	tcase_add_test(tc, tags_follow_the_document);
	tcase_add_test(tc, sibling_headings_stay_siblings);
	tcase_add_test(tc, fonts_measure_and_judge_from_tables);
	suite_add_tcase(s, tc);
	return s;
}
