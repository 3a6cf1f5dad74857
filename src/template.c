/* template.c: loads a page design from templates/. */
#include "template.h"
#include "diag.h"
#include "util.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double attr_num(const xnode *n, const char *name)
{
	const char *v = n ? xnode_attr(n, name) : NULL;
	return v ? strtod(v, NULL) : 0;
}

static rgb parse_colour(const char *hex)
{
	rgb c = {0, 0, 0};
	unsigned int r, g, b;
	if (hex && sscanf(hex, "#%2x%2x%2x", &r, &g, &b) == 3)
		c = (rgb){r / 255.0, g / 255.0, b / 255.0};
	return c;
}

static const char *const section_names[SECTION_COUNT] = {"summary",   "pain", "notes",  "causes",
                                                         "exercises", "log",  "doctor", "advice"};

/* Reads the section list; returns -1 after reporting when a required one is missing or
 * one is listed twice. */
static int parse_sections(page_template *t, const xnode *n, const char *path)
{
	char *list = n ? xnode_text(n) : xstrdup("");
	int seen[SECTION_COUNT] = {0}, rc = 0;
	for (char *tok = strtok(list, " "); tok; tok = strtok(NULL, " ")) {
		for (int k = 0; k < SECTION_COUNT; k++) {
			if (strcmp(tok, section_names[k]) != 0)
				continue;
			if (seen[k]++) {
				diag(DIAG_ERROR, path, n->line, "section '%s' is listed twice", tok);
				rc = -1;
			} else {
				t->sections[t->nsections++] = (section_id)k;
			}
		}
	}
	for (int k = 0; k < SECTION_COUNT; k++)
		if (!seen[k] && k != SECTION_SUMMARY && k != SECTION_LOG && k != SECTION_PAIN) {
			diag(DIAG_ERROR, path, n ? n->line : 0,
			     "section '%s' is missing: it carries medical content", section_names[k]);
			rc = -1;
		}
	free(list);
	return rc;
}

page_template *template_load(const char *templates_dir, const char *name, const char *schema_path)
{
	char *path;
	if (strchr(name, '/')) {
		path = xstrdup(name);
	} else {
		strbuf sb = {0};
		sb_printf(&sb, "%s/%s.xml", templates_dir, name);
		path = sb_take(&sb);
	}
	xnode *root = xml_load(path, schema_path);
	if (!root) {
		free(path);
		return NULL;
	}
	page_template *t = xcalloc(1, sizeof *t);
	t->id = xstrdup(xnode_attr(root, "id"));
	t->description = xnode_child_text(root, "description");
	const xnode *page = xnode_child(root, "page"), *m = xnode_child(root, "margins");
	t->page_width_pt = mm_to_pt(attr_num(page, "width-mm"));
	t->page_height_pt = mm_to_pt(attr_num(page, "height-mm"));
	t->margin_top_pt = mm_to_pt(attr_num(m, "top-mm"));
	t->margin_bottom_pt = mm_to_pt(attr_num(m, "bottom-mm"));
	t->margin_left_pt = mm_to_pt(attr_num(m, "left-mm"));
	t->margin_right_pt = mm_to_pt(attr_num(m, "right-mm"));
	const xnode *faces = xnode_child(root, "faces");
	t->face_file[FACE_REGULAR] = xstrdup(xnode_attr(faces, "regular"));
	t->face_file[FACE_BOLD] = xstrdup(xnode_attr(faces, "bold"));
	static const char *const role_attr[ROLE_COUNT] = {"body",       "small", "heading",
	                                                  "subheading", "title", "urgent"};
	const xnode *sizes = xnode_child(root, "sizes");
	for (int r = 0; r < ROLE_COUNT; r++)
		t->size_pt[r] = attr_num(sizes, role_attr[r]);
	t->line_spacing = attr_num(sizes, "line-spacing");
	static const char *const colour_attr[COLOUR_COUNT] = {"text", "accent", "urgent",
	                                                      "rule", "shade",  "mark"};
	const xnode *colours = xnode_child(root, "colours");
	for (int c = 0; c < COLOUR_COUNT; c++)
		t->colour[c] = parse_colour(xnode_attr(colours, colour_attr[c]));
	char *dose = xnode_child_text(root, "dose"); /* the schema allows lines or paragraph */
	t->dose_paragraph = dose && strcmp(dose, "paragraph") == 0;
	free(dose);
	const xnode *pages = xnode_child(root, "pages");
	t->max_pages = pages ? (int)attr_num(pages, "max") : 0;
	t->min_fill = pages && xnode_attr(pages, "fill") ? attr_num(pages, "fill") / 100 : 0;
	int rc = parse_sections(t, xnode_child(root, "sections"), path);
	xnode_free(root);
	free(path);
	if (rc < 0) {
		template_free(t);
		return NULL;
	}
	return t;
}

void template_free(page_template *t)
{
	if (!t)
		return;
	free(t->id);
	free(t->description);
	for (int f = 0; f < FACE_COUNT; f++)
		free(t->face_file[f]);
	free(t);
}

int template_large_print(const page_template *t)
{
	return t->size_pt[ROLE_BODY] >= 16.0;
}
