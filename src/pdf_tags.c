/* pdf_tags.c: the tagged PDF (ISO 32000-1, 14.7-14.8) a screen reader reads: the layout's
 * tags as structure elements under one Document, each placed piece of a page inside a
 * marked-content sequence with its MCID (or an Artifact), the ParentTree from each page's
 * MCIDs back to their elements, /MarkInfo and /StructTreeRoot in the catalog. libharu 2.3
 * has none of this: its dictionaries are built here (doc/libharu-internals.md section 9). */
#include "pdf.h"
#include "pdf_int.h"
#include "util.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new dictionary written as an object of its own (so others can refer to it); NULL
 * when libharu failed (its error is kept). */
static HPDF_Dict indirect_dict(HPDF_Doc doc)
{
	HPDF_Dict d = HPDF_Dict_New(doc->mmgr);
	if (d && HPDF_Xref_Add(doc->xref, d) != HPDF_OK)
		return NULL; /* freed by HPDF_Xref_Add */
	return d;
}

HPDF_STATUS add_text_string(HPDF_Doc doc, HPDF_Dict d, const char *key, const char *utf8)
{
	int ascii = 1;
	for (const unsigned char *s = (const unsigned char *)utf8; *s; s++)
		ascii &= *s >= 0x20 && *s < 0x7F;
	if (ascii)
		return HPDF_Dict_Add(d, key, HPDF_String_New(doc->mmgr, utf8, NULL));
	/* Anything else as UTF-16BE with its byte order mark, the one encoding of text strings
	 * that holds every character. */
	strbuf u = {0};
	sb_appendn(&u, "\xFE\xFF", 2);
	for (size_t len = strlen(utf8); len;) {
		uint32_t cp;
		size_t n = utf8_decode(utf8, len, &cp);
		utf8 += n;
		len -= n;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
			const char pair[4] = {(char)(hi >> 8), (char)hi, (char)(lo >> 8), (char)lo};
			sb_appendn(&u, pair, 4);
		} else {
			const char one[2] = {(char)(cp >> 8), (char)cp};
			sb_appendn(&u, one, 2);
		}
	}
	HPDF_STATUS r =
	    HPDF_Dict_Add(d, key, HPDF_Binary_New(doc->mmgr, (HPDF_BYTE *)u.data, (HPDF_UINT)u.len));
	sb_free(&u);
	return r;
}

/* The Document element and the structure tree's root, made with the first layout. */
static void start_tree(HPDF_Doc doc, doc_tags *dt)
{
	dt->root = indirect_dict(doc);
	dt->document = indirect_dict(doc);
	dt->nums = HPDF_Array_New(doc->mmgr);
	dt->doc_kids = HPDF_Array_New(doc->mmgr);
	if (!dt->root || !dt->document || !dt->nums || !dt->doc_kids)
		return;
	HPDF_Dict_AddName(dt->root, "Type", "StructTreeRoot");
	HPDF_Dict_Add(dt->root, "K", dt->document);
	HPDF_Dict parent_tree = HPDF_Dict_New(doc->mmgr);
	HPDF_Dict_Add(parent_tree, "Nums", dt->nums);
	HPDF_Dict_Add(dt->root, "ParentTree", parent_tree);
	HPDF_Dict_AddName(dt->document, "S", "Document");
	HPDF_Dict_Add(dt->document, "P", dt->root);
	HPDF_Dict_Add(dt->document, "K", dt->doc_kids);
}

/* Which of l's tags hold something a reader hears, directly or below them: the others are
 * not written (an empty paragraph), except a table's cells, which keep its rows even. */
static unsigned char *tags_heard(const layout *l)
{
	unsigned char *heard = xcalloc(l->ntags ? l->ntags : 1, 1);
	for (size_t p = 0; p < l->npages; p++)
		for (size_t k = 0; k < l->pages[p].nitems; k++)
			if (l->pages[p].items[k].tag < l->ntags)
				heard[l->pages[p].items[k].tag] = 1;
	for (size_t i = l->ntags; i-- > 1;) {
		if (l->tags[i].role == TAG_TH || l->tags[i].role == TAG_TD)
			heard[i] = 1;
		if (heard[i])
			heard[l->tags[i].parent] = 1;
	}
	if (l->ntags)
		heard[0] = 1;
	return heard;
}

/* A structure element for tag i of l, in its parent's kids. */
static HPDF_Dict new_element(HPDF_Doc doc, doc_tags *dt, const layout *l, size_t i)
{
	const layout_tag *t = &l->tags[i];
	HPDF_Dict e = indirect_dict(doc);
	if (!e)
		return NULL;
	HPDF_Dict parent = i ? dt->elem[t->parent] : dt->document;
	HPDF_Array kids = i ? HPDF_Dict_GetItem(parent, "K", HPDF_OCLASS_ARRAY) : dt->doc_kids;
	HPDF_Dict_AddName(e, "S", layout_tag_name(t->role));
	HPDF_Dict_Add(e, "P", parent);
	HPDF_Dict_Add(e, "K", HPDF_Array_New(doc->mmgr));
	if (t->alt)
		add_text_string(doc, e, "Alt", t->alt);
	if (i == 0 && l->lang)
		add_text_string(doc, e, "Lang", l->lang);
	if (t->role == TAG_TH) {
		HPDF_Dict a = HPDF_Dict_New(doc->mmgr);
		HPDF_Dict_AddName(a, "O", "Table");
		HPDF_Dict_AddName(a, "Scope", t->row_header ? "Row" : "Column");
		HPDF_Dict_Add(e, "A", a);
	}
	if (kids)
		HPDF_Array_Add(kids, e);
	return e;
}

void tags_begin_layout(HPDF_Doc doc, doc_tags *dt, const layout *l)
{
	dt->nelem = 0;
	if (!l->ntags)
		return; /* a drawing's preview: no structure, no marked content */
	if (!dt->root)
		start_tree(doc, dt);
	if (!dt->lang && l->lang)
		dt->lang = xstrdup(l->lang);
	free(dt->elem);
	dt->elem = xcalloc(l->ntags ? l->ntags : 1, sizeof *dt->elem);
	dt->nelem = l->ntags;
	dt->elem_page = xrealloc(dt->elem_page, (l->ntags ? l->ntags : 1) * sizeof *dt->elem_page);
	memset(dt->elem_page, 0, (l->ntags ? l->ntags : 1) * sizeof *dt->elem_page);
	if (!dt->root)
		return;
	unsigned char *heard = tags_heard(l);
	for (size_t i = 0; i < l->ntags; i++)
		if (heard[i] && (i == 0 || dt->elem[l->tags[i].parent]))
			dt->elem[i] = new_element(doc, dt, l, i);
	free(heard);
}

void tags_begin_page(doc_tags *dt, HPDF_Page page)
{
	dt->page = page;
	dt->mcid = 0;
	dt->page_elems = NULL;
	dt->open = 0;
}

static void page_put(HPDF_Page page, const char *text)
{
	HPDF_Stream_Write(((HPDF_PageAttr)page->attr)->stream, (const HPDF_BYTE *)text,
	                  (HPDF_UINT)strlen(text));
}

void tags_close(doc_tags *dt)
{
	if (dt->open)
		page_put(dt->page, "EMC\012");
	dt->open = 0;
}

/* Element e's content gains MCID mcid on the current page: a number when the element's
 * page (/Pg) is this one, else a marked-content reference naming the page. */
static void element_gains(HPDF_Doc doc, doc_tags *dt, size_t tag, HPDF_Dict e, int mcid)
{
	HPDF_Array kids = HPDF_Dict_GetItem(e, "K", HPDF_OCLASS_ARRAY);
	if (!kids)
		return;
	if (!dt->elem_page[tag]) {
		dt->elem_page[tag] = dt->page;
		HPDF_Dict_Add(e, "Pg", dt->page);
	}
	if (dt->elem_page[tag] == dt->page) {
		HPDF_Array_AddNumber(kids, mcid);
		return;
	}
	HPDF_Dict mcr = HPDF_Dict_New(doc->mmgr);
	HPDF_Dict_AddName(mcr, "Type", "MCR");
	HPDF_Dict_Add(mcr, "Pg", dt->page);
	HPDF_Dict_AddNumber(mcr, "MCID", mcid);
	HPDF_Array_Add(kids, mcr);
}

void tags_mark(HPDF_Doc doc, doc_tags *dt, const layout *l, size_t tag)
{
	if (!dt->nelem)
		return;
	HPDF_Dict e = tag && tag < dt->nelem ? dt->elem[tag] : NULL;
	size_t key = e ? tag : 0;
	if (dt->open && dt->open_tag == key)
		return;
	tags_close(dt);
	dt->open = 1;
	dt->open_tag = key;
	if (!e) {
		page_put(dt->page, "/Artifact BMC\012");
		return;
	}
	if (!dt->page_elems)
		dt->page_elems = HPDF_Array_New(doc->mmgr);
	char op[64];
	snprintf(op, sizeof op, "/%s <</MCID %d>> BDC\012", layout_tag_name(l->tags[tag].role), dt->mcid);
	page_put(dt->page, op);
	HPDF_Array_Add(dt->page_elems, e);
	element_gains(doc, dt, tag, e, dt->mcid++);
}

void tags_end_page(doc_tags *dt)
{
	tags_close(dt);
	if (!dt->page_elems)
		return;
	HPDF_Dict_AddNumber(dt->page, "StructParents", dt->npages_marked);
	HPDF_Array_AddNumber(dt->nums, dt->npages_marked++);
	HPDF_Array_Add(dt->nums, dt->page_elems);
	dt->page_elems = NULL;
}

void tags_finish(HPDF_Doc doc, doc_tags *dt)
{
	if (!dt->root)
		return;
	HPDF_Dict_AddNumber(dt->root, "ParentTreeNextKey", dt->npages_marked);
	HPDF_Dict_Add(doc->catalog, "StructTreeRoot", dt->root);
	HPDF_Dict mark_info = HPDF_Dict_New(doc->mmgr);
	HPDF_Dict_AddBoolean(mark_info, "Marked", HPDF_TRUE);
	HPDF_Dict_Add(doc->catalog, "MarkInfo", mark_info);
	if (dt->lang)
		add_text_string(doc, doc->catalog, "Lang", dt->lang);
}

void tags_free(doc_tags *dt)
{
	free(dt->elem);
	free(dt->elem_page);
	free(dt->lang);
	memset(dt, 0, sizeof *dt);
}
