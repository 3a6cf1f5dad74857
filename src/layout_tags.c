/* layout_tags.c: the structure a reader hears (a tagged PDF's, for screen readers): the
 * document's blocks as headings, paragraphs, lists, tables, boxes as sections and drawings
 * as figures with what they show, in the document's order. layout_page.c points each placed
 * piece of text or drawing at its tag; what has no tag is an artifact. */
#include "layout_int.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *layout_tag_name(tag_role role)
{
	static const char *const names[TAG_COUNT] = {
	    [TAG_PART] = "Part", [TAG_SECT] = "Sect",   [TAG_H1] = "H1",        [TAG_H2] = "H2",
	    [TAG_H3] = "H3",     [TAG_P] = "P",         [TAG_L] = "L",          [TAG_LI] = "LI",
	    [TAG_LBL] = "Lbl",   [TAG_LBODY] = "LBody", [TAG_TABLE] = "Table",  [TAG_TR] = "TR",
	    [TAG_TH] = "TH",     [TAG_TD] = "TD",       [TAG_FIGURE] = "Figure"};
	return role < TAG_COUNT ? names[role] : "?";
}

size_t layout_add_tag(layout *l, tag_role role, size_t parent, const char *alt)
{
	layout_tag t = {role, parent, alt ? xstrdup(alt) : NULL, 0};
	ARRAY_PUSH(l->tags, l->ntags, l->tags_cap, t);
	return l->ntags - 1;
}

void layout_tags_lead_with(layout *l, size_t n)
{
	if (!l->ntags || !n)
		return;
	for (size_t i = 0; i < n; i++)
		layout_add_tag(l, TAG_P, 0, NULL); /* room at the end, moved to the front below */
	memmove(&l->tags[1 + n], &l->tags[1], (l->ntags - 1 - n) * sizeof *l->tags);
	for (size_t i = 1; i <= n; i++)
		l->tags[i] = (layout_tag){TAG_P, 0, NULL, 0};
	for (size_t i = 1 + n; i < l->ntags; i++)
		if (l->tags[i].parent)
			l->tags[i].parent += n;
	for (size_t p = 0; p < l->npages; p++)
		for (size_t k = 0; k < l->pages[p].nitems; k++)
			if (l->pages[p].items[k].tag)
				l->pages[p].items[k].tag += n;
}

/* What is open while the blocks are read: the section (a box) text goes into, the list
 * and table the next item or row joins (0: none), the last heading's level. */
typedef struct tagger {
	layout *l;
	size_t sect;
	size_t list, table;
	block_kind table_kind;
	size_t table_cols;
	int asked[3]; /* the levels the open headings asked for, outermost first */
	int depth;
} tagger;

/* A heading's level: its depth among the headings open above it, by the levels their roles
 * (or they themselves) ask for, so no level is skipped (a reader lists headings as an
 * outline) and two headings that ask for the same level are siblings, whatever is missing
 * above them. */
static tag_role heading(tagger *tg, const block *b)
{
	int want = b->heading ? b->heading : b->role == ROLE_TITLE ? 1 : b->role == ROLE_HEADING ? 2 : 3;
	while (tg->depth > 0 && tg->asked[tg->depth - 1] >= want)
		tg->depth--; /* closes the headings at or below this one's level */
	tg->asked[tg->depth++] = want;
	return tg->depth == 1 ? TAG_H1 : tg->depth == 2 ? TAG_H2 : TAG_H3;
}

static int is_heading(const block *b)
{
	return b->kind == BLOCK_TEXT && !b->letterhead &&
	       (b->heading || b->role == ROLE_TITLE || b->role == ROLE_HEADING || b->role == ROLE_SUBHEADING);
}

/* A row of a table (TABLE, GRID) or of label-value rows (ROW): its cells' tags. A new
 * table starts at a header row, or where the rows change kind or number of columns (a
 * question's choices, then the grid of yes-no questions). In a row of tick boxes, the
 * first cell (the exercise, the question) heads its row. */
static void table_row(tagger *tg, const block *b, size_t *part)
{
	if (!tg->table || tg->table_kind != b->kind || tg->table_cols != b->nspans || b->header) {
		tg->table = layout_add_tag(tg->l, TAG_TABLE, tg->sect, NULL);
		tg->table_kind = b->kind;
		tg->table_cols = b->nspans;
	}
	size_t tr = layout_add_tag(tg->l, TAG_TR, tg->table, NULL);
	if (b->kind == BLOCK_ROW) {
		part[PART_LABEL] = layout_add_tag(tg->l, TAG_TH, tr, NULL);
		tg->l->tags[part[PART_LABEL]].row_header = 1;
		part[0] = layout_add_tag(tg->l, TAG_TD, tr, NULL);
		return;
	}
	for (size_t c = 0; c < b->nspans && c < PART_CELLS; c++) {
		int row_head = c == 0 && b->ticks && !b->tick_first && b->nspans > 1;
		part[c] = layout_add_tag(tg->l, b->header || row_head ? TAG_TH : TAG_TD, tr, NULL);
		tg->l->tags[part[c]].row_header = row_head;
	}
}

static void tag_block(tagger *tg, const block *b, size_t *part)
{
	/* Space and keep-together marks neither end a list or table nor are read. */
	int quiet = b->kind == BLOCK_SPACE || b->kind == BLOCK_KEEP_BEGIN || b->kind == BLOCK_KEEP_END;
	if (!quiet && b->kind != BLOCK_ITEM)
		tg->list = 0;
	/* A grid row of text alone (a warning among the form's questions) is a paragraph. */
	int lone = b->kind == BLOCK_GRID && b->nspans <= 1 && !b->ticks;
	if (!quiet && ((b->kind != BLOCK_TABLE && b->kind != BLOCK_GRID && b->kind != BLOCK_ROW) || lone))
		tg->table = 0;
	if (lone) {
		part[0] = layout_add_tag(tg->l, TAG_P, tg->sect, NULL);
		return;
	}
	switch (b->kind) {
	case BLOCK_TEXT:
		part[0] = layout_add_tag(tg->l, is_heading(b) ? heading(tg, b) : TAG_P, tg->sect, NULL);
		break;
	case BLOCK_ITEM: {
		if (!tg->list)
			tg->list = layout_add_tag(tg->l, TAG_L, tg->sect, NULL);
		size_t li = layout_add_tag(tg->l, TAG_LI, tg->list, NULL);
		/* A step's number is read; a bullet is decoration (an artifact). */
		if (b->marker && strpbrk(b->marker, "0123456789"))
			part[PART_LABEL] = layout_add_tag(tg->l, TAG_LBL, li, NULL);
		part[0] = layout_add_tag(tg->l, TAG_LBODY, li, NULL);
		break;
	}
	case BLOCK_ROW:
	case BLOCK_GRID:
	case BLOCK_TABLE:
		table_row(tg, b, part);
		break;
	case BLOCK_BOX_BEGIN:
		tg->sect = layout_add_tag(tg->l, TAG_SECT, tg->sect, NULL);
		break;
	case BLOCK_BOX_END:
		tg->sect = tg->l->tags[tg->sect].parent;
		break;
	case BLOCK_DRAWING:
	case BLOCK_ASIDE_BEGIN:
		part[PART_FIGURE] = layout_add_tag(tg->l, TAG_FIGURE, tg->sect, b->alt);
		break;
	default: /* an image (the logo: the clinic's name is in the text), space, marks */
		break;
	}
}

void engine_tag_blocks(engine *e, layout *l)
{
	const document *d = e->doc;
	e->part_tag = xcalloc(d->nblocks * NPARTS + 1, sizeof *e->part_tag);
	tagger tg = {l, layout_add_tag(l, TAG_PART, 0, NULL), 0, 0, BLOCK_TEXT, 0, {0}, 0};
	for (size_t i = 0; i < d->nblocks; i++)
		tag_block(&tg, &d->blocks[i], &e->part_tag[i * NPARTS]);
	l->lang = d->lang ? xstrdup(d->lang) : NULL;
}

void layout_dump_tags(const layout *l, strbuf *out)
{
	for (size_t i = 0; i < l->ntags; i++) {
		const layout_tag *t = &l->tags[i];
		sb_printf(out, "%zu %s", i, layout_tag_name(t->role));
		if (i)
			sb_printf(out, " in %zu", t->parent);
		if (t->row_header)
			sb_append(out, " (row)");
		if (t->alt)
			sb_printf(out, ": %s", t->alt);
		sb_putc(out, '\n');
	}
	for (size_t p = 0; p < l->npages; p++) {
		sb_printf(out, "page %zu:", p + 1);
		size_t last = (size_t)-1;
		for (size_t k = 0; k < l->pages[p].nitems; k++) {
			const layout_item *it = &l->pages[p].items[k];
			if (!it->tag || (it->kind != ITEM_TEXT && it->kind != ITEM_DRAWING))
				continue;
			if (it->tag != last)
				sb_printf(out, " [%zu %s]", it->tag, layout_tag_name(l->tags[it->tag].role));
			if (it->kind == ITEM_TEXT)
				sb_printf(out, " %s", it->text);
			last = it->tag;
		}
		sb_putc(out, '\n');
	}
}
