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

/* The object number of an indirect object (a page, a dictionary of the xref). */
static unsigned obj_number(const void *obj)
{
	return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFF;
}

/* A structure element. Its dictionary is an empty libharu object (so it has a number and a
 * place in the cross-reference table) whose entries are written from here when the PDF is
 * saved (write_fn), in one piece and without spaces: libharu's entries cost about a hundred
 * allocations and five thousand instructions an element, and twice the bytes. */
struct tag_elem {
	HPDF_Dict dict;
	const char *role;
	unsigned parent; /* object number */
	HPDF_Page page;  /* /Pg: where its MCIDs are; NULL: none */
	char *extra;     /* further entries, written: /Alt, /Lang, /A; or NULL */
	strbuf kids;     /* the /K array's items, written: MCIDs, references, MCRs */
};

/* key, then a reference to object n, at p; returns the end. */
/* n in decimal, written at the end of buf (24 bytes); returns its first digit. By hand:
 * sb_printf costs ten times as much, per MCID and per element. */
static char *digits_of(unsigned long n, char buf[24])
{
	char *d = buf + 24;
	do
		*--d = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	return d;
}

static char *put_ref(char *p, const char *key, unsigned n)
{
	while (*key)
		*p++ = *key++;
	char buf[24];
	for (char *d = digits_of(n, buf); d < buf + 24;)
		*p++ = *d++;
	memcpy(p, " 0 R", 4);
	return p + 4;
}

static HPDF_STATUS write_elem(HPDF_Dict d, HPDF_Stream out)
{
	const tag_elem *e = d->attr;
	char head[96], *p = head;
	memcpy(p, "/S/", 3);
	p += 3;
	for (const char *r = e->role; *r;) /* at most 6 letters */
		*p++ = *r++;
	p = put_ref(p, "/P ", e->parent);
	if (e->page)
		p = put_ref(p, "/Pg ", obj_number(e->page));
	HPDF_STATUS r = HPDF_Stream_Write(out, (const HPDF_BYTE *)head, (HPDF_UINT)(p - head));
	if (r == HPDF_OK && e->extra)
		r = HPDF_Stream_WriteStr(out, e->extra);
	if (r == HPDF_OK)
		r = HPDF_Stream_WriteStr(out, "/K[");
	if (r == HPDF_OK && e->kids.len)
		r = HPDF_Stream_Write(out, (const HPDF_BYTE *)e->kids.data, (HPDF_UINT)e->kids.len - 1);
	return r == HPDF_OK ? HPDF_Stream_WriteStr(out, "]\012") : r;
}

/* n in decimal, then the text after. */
static void put_number(strbuf *sb, unsigned long n, const char *after)
{
	char buf[24], *d = digits_of(n, buf);
	sb_appendn(sb, d, (size_t)(buf + 24 - d));
	sb_append(sb, after);
}

/* text as a PDF text string, written: ASCII as a literal string, anything else as UTF-16BE
 * with its byte order mark in hex. */
static void put_text_string(strbuf *sb, const char *utf8)
{
	int ascii = 1;
	for (const unsigned char *c = (const unsigned char *)utf8; *c; c++)
		ascii &= *c >= 0x20 && *c < 0x7F;
	if (ascii) {
		sb_putc(sb, '(');
		for (const char *c = utf8; *c; c++) {
			if (*c == '(' || *c == ')' || *c == '\\')
				sb_putc(sb, '\\');
			sb_putc(sb, *c);
		}
		sb_putc(sb, ')');
		return;
	}
	static const char hex[] = "0123456789ABCDEF";
	sb_append(sb, "<FEFF");
	for (size_t len = strlen(utf8); len;) {
		uint32_t cp;
		size_t k = utf8_decode(utf8, len, &cp);
		utf8 += k;
		len -= k;
		uint32_t unit[2] = {cp, 0};
		if (cp >= 0x10000) { /* a surrogate pair */
			unit[0] = 0xD800 + ((cp - 0x10000) >> 10);
			unit[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
		}
		for (int u = 0; u < 2 && unit[u]; u++) {
			const char four[4] = {hex[unit[u] >> 12 & 15], hex[unit[u] >> 8 & 15],
			                      hex[unit[u] >> 4 & 15], hex[unit[u] & 15]};
			sb_appendn(sb, four, 4);
		}
	}
	sb_putc(sb, '>');
}

/* The Document element and the structure tree's root, made with the first layout. */
static void start_tree(HPDF_Doc doc, doc_tags *dt)
{
	dt->root = indirect_dict(doc);
	dt->document = indirect_dict(doc);
	dt->doc_kids = HPDF_Array_New(doc->mmgr);
	if (!dt->root || !dt->document || !dt->doc_kids) {
		dt->root = NULL; /* libharu's error is kept and fails the document; nothing more */
		return;
	}
	HPDF_Dict_AddName(dt->root, "Type", "StructTreeRoot");
	HPDF_Dict_Add(dt->root, "K", dt->document);
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

/* A structure element for tag i of l, among its parent's kids. */
static tag_elem *new_element(HPDF_Doc doc, doc_tags *dt, const layout *l, size_t i)
{
	const layout_tag *t = &l->tags[i];
	HPDF_Dict d = indirect_dict(doc);
	if (!d)
		return NULL;
	tag_elem *e = xcalloc(1, sizeof *e);
	ARRAY_PUSH(dt->all, dt->nall, dt->all_cap, e);
	e->dict = d;
	d->attr = e;
	d->write_fn = write_elem;
	e->role = layout_tag_name(t->role);
	strbuf extra = {0};
	if (t->alt) {
		sb_append(&extra, "/Alt");
		put_text_string(&extra, t->alt);
	}
	if (i == 0 && l->lang) {
		sb_append(&extra, "/Lang");
		put_text_string(&extra, l->lang);
	}
	if (t->role == TAG_TH)
		sb_printf(&extra, "/A<</O/Table/Scope/%s>>", t->row_header ? "Row" : "Column");
	e->extra = extra.len ? sb_take(&extra) : NULL;
	sb_free(&extra);
	if (i == 0) {
		e->parent = obj_number(dt->document);
		HPDF_Array_Add(dt->doc_kids, d);
	} else {
		tag_elem *parent = dt->elem[t->parent];
		e->parent = obj_number(parent->dict);
		put_number(&parent->kids, obj_number(d), " 0 R ");
	}
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
	dt->elem = xcalloc(l->ntags, sizeof *dt->elem);
	dt->nelem = l->ntags;
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
	dt->page_elems.len = 0;
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
static void element_gains(tag_elem *e, HPDF_Page page, int mcid)
{
	if (!e->page)
		e->page = page;
	if (e->page == page) {
		put_number(&e->kids, (unsigned long)mcid, " ");
	} else {
		sb_append(&e->kids, "<</Type/MCR/Pg ");
		put_number(&e->kids, obj_number(page), " 0 R/MCID ");
		put_number(&e->kids, (unsigned long)mcid, ">> ");
	}
}

void tags_mark(doc_tags *dt, const layout *l, size_t tag)
{
	if (!dt->nelem)
		return;
	tag_elem *e = tag && tag < dt->nelem ? dt->elem[tag] : NULL;
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
	strbuf *op = &dt->op;
	op->len = 0;
	sb_putc(op, '/');
	sb_append(op, layout_tag_name(l->tags[tag].role));
	sb_append(op, " <</MCID ");
	put_number(op, (unsigned long)dt->mcid, ">> BDC\012");
	page_put(dt->page, op->data);
	put_number(&dt->page_elems, obj_number(e->dict), " 0 R ");
	element_gains(e, dt->page, dt->mcid++);
}

void tags_end_page(doc_tags *dt)
{
	tags_close(dt);
	if (!dt->page_elems.len)
		return;
	HPDF_Dict_AddNumber(dt->page, "StructParents", dt->npages_marked);
	dt->page_elems.data[dt->page_elems.len - 1] = ']'; /* the last space */
	put_number(&dt->nums, (unsigned long)dt->npages_marked++, "[");
	sb_appendn(&dt->nums, dt->page_elems.data, dt->page_elems.len);
}

/* The ParentTree's entries, written when the PDF is saved: each marked page's key and the
 * elements of its MCIDs, in MCID order. */
static HPDF_STATUS write_parent_tree(HPDF_Dict d, HPDF_Stream out)
{
	const doc_tags *dt = d->attr;
	HPDF_STATUS r = HPDF_Stream_WriteStr(out, "/Nums[");
	if (r == HPDF_OK && dt->nums.len)
		r = HPDF_Stream_Write(out, (const HPDF_BYTE *)dt->nums.data, (HPDF_UINT)dt->nums.len);
	return r == HPDF_OK ? HPDF_Stream_WriteStr(out, "]\012") : r;
}

void tags_finish(HPDF_Doc doc, doc_tags *dt)
{
	if (!dt->root)
		return;
	HPDF_Dict parent_tree = HPDF_Dict_New(doc->mmgr);
	if (parent_tree) {
		parent_tree->attr = dt; /* dt lives until the PDF is saved */
		parent_tree->write_fn = write_parent_tree;
		HPDF_Dict_Add(dt->root, "ParentTree", parent_tree);
	}
	HPDF_Dict_AddNumber(dt->root, "ParentTreeNextKey", dt->npages_marked);
	HPDF_Dict_Add(doc->catalog, "StructTreeRoot", dt->root);
	HPDF_Dict mark_info = HPDF_Dict_New(doc->mmgr);
	if (mark_info) {
		HPDF_Dict_AddBoolean(mark_info, "Marked", HPDF_TRUE);
		HPDF_Dict_Add(doc->catalog, "MarkInfo", mark_info);
	}
	if (dt->lang) /* a BCP 47 tag: ASCII letters, digits and hyphens */
		HPDF_Dict_Add(doc->catalog, "Lang", HPDF_String_New(doc->mmgr, dt->lang, NULL));
}

void tags_free(doc_tags *dt)
{
	for (size_t i = 0; i < dt->nall; i++) {
		free(dt->all[i]->extra);
		sb_free(&dt->all[i]->kids);
		free(dt->all[i]);
	}
	free(dt->all);
	free(dt->elem);
	free(dt->lang);
	sb_free(&dt->page_elems);
	sb_free(&dt->op);
	sb_free(&dt->nums);
	memset(dt, 0, sizeof *dt);
}
