/* xml.h: the one module that talks to libxml2. It reads files safely (no DTDs, no external
 * entities, no network), validates against XSD schemas, streams large files, and hands out
 * our own element trees (xnode) so no libxml2 type escapes. */
#ifndef HANDOUT_XML_H
#define HANDOUT_XML_H

#include <stddef.h>

typedef struct xattr {
	char *name;  /* local name */
	char *ns;    /* namespace URI, NULL when none */
	char *value; /* UTF-8 */
} xattr;

typedef struct xnode {
	char *name; /* local name */
	char *ns;   /* namespace URI, NULL when none */
	char *text; /* the element's own text (children's text excluded), never NULL */
	int line;   /* line of the start tag */
	xattr *attrs;
	size_t nattrs;
	struct xnode **kids;
	size_t nkids;
	size_t kids_cap; /* allocated slots in kids */
} xnode;

/* Attribute value or NULL. */
const char *xnode_attr(const xnode *n, const char *name);
/* First child element with this local name, or NULL. */
const xnode *xnode_child(const xnode *n, const char *name);
/* Text of the first child with this name, whitespace-normalised into a new string, or NULL. */
char *xnode_child_text(const xnode *n, const char *name);
/* Whitespace-normalised own text of n, as a new string. */
char *xnode_text(const xnode *n);
/* Builds trees of the same shape from other sources (read_fhir_json.c): a new element
 * with no text, attributes or children; a child appended; an attribute added. */
xnode *xnode_new(const char *name, const char *ns, int line);
void xnode_append(xnode *parent, xnode *kid);
void xnode_add_attr(xnode *n, const char *name, const char *value);
/* Frees n and its subtree; NULL is a no-op. */
void xnode_free(xnode *n);

/* A file read element by element: the root's children come one subtree at a time, so
 * memory stays flat whatever the file's size. */
typedef struct xml_stream xml_stream;

/* Opens path and moves to its root element. With schema_path, the document is validated
 * while it is read, and every violation is reported as "file:line: message".
 * Returns NULL after reporting when the file cannot be read, is not well-formed before its
 * root, or carries a DOCTYPE (refused: entity attacks and external DTDs live there). */
xml_stream *xml_stream_open(const char *path, const char *schema_path);
const char *xml_stream_root_name(const xml_stream *s);
const char *xml_stream_root_ns(const xml_stream *s);
int xml_stream_root_line(const xml_stream *s);
/* Attribute of the root element, or NULL. */
const char *xml_stream_root_attr(const xml_stream *s, const char *name);
/* Reads the whole root element as one tree (for small files). Caller frees. */
xnode *xml_stream_read_root(xml_stream *s);
/* Next child element of the root as a tree, or NULL at the end or after an error.
 * A well-formedness error ends the stream: libxml2's reader does not recover, and the
 * element it was still parsing (up to 512 bytes before the fault) is lost too. Caller frees. */
xnode *xml_stream_next(xml_stream *s);
/* 1 once the file proved malformed, hostile or (with a schema) invalid. */
int xml_stream_failed(const xml_stream *s);
void xml_stream_close(xml_stream *s);

/* Reads and (with schema_path) validates a whole file; NULL after reporting on any error. */
xnode *xml_load(const char *path, const char *schema_path);

/* Writes an XML document (UTF-8, indented) element by element, escaping what needs it. */
typedef struct xml_writer xml_writer;
xml_writer *xml_writer_new(void);
void xml_writer_start(xml_writer *w, const char *name);
/* An attribute of the element just started. */
void xml_writer_attr(xml_writer *w, const char *name, const char *value);
/* Text inside the element just started (escaped as needed). */
void xml_writer_text(xml_writer *w, const char *text);
void xml_writer_end(xml_writer *w);
/* A comment (text must not hold "--"). */
void xml_writer_comment(xml_writer *w, const char *text);
/* Closes what is open and returns the document's text (caller frees); frees w. */
char *xml_writer_finish(xml_writer *w);

/* The XML parser and its version ("libxml2 20914"). */
const char *xml_library(void);

/* Process-wide set-up: installs the entity loader that refuses everything. Call once. */
void xml_init(void);
void xml_cleanup(void);

#endif
