/* xml.c: the one module that talks to libxml2: safe reading, schema validation, streaming. */
#include "xml.h"
#include "diag.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlwriter.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* No DTD loading, no entity substitution, no network; CDATA merged into text.
 * XML_PARSE_HUGE stays off so libxml2's own amplification limits apply as well. */
#define SAFE_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING)

struct xml_stream {
	xmlTextReaderPtr reader;
	int fd;
	char *path;
	xmlSchemaPtr schema; /* owned by the schema cache */
	int failed;
	int reported; /* errors reported for this stream */
	int at_end;
	xnode *root; /* the root's name and attributes (no children) */
};

/* Schemas are ours and are parsed once per process; the loader lets only them through. Their
 * text is kept to be shown to a file observer each time one is used, as if read again: what
 * a load is made from (fingerprint.c) must not depend on what loaded before it. */
typedef struct cached_schema {
	char *path;
	xmlSchemaPtr schema;
	char *text;
	size_t len;
} cached_schema;
static cached_schema *schemas;
static size_t nschemas, schemas_cap;
static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int loading_trusted;
static xmlExternalEntityLoader default_loader;

static xmlParserInputPtr refusing_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (loading_trusted && url && !strstr(url, "://"))
		return default_loader(url, id, ctxt);
	diag(DIAG_ERROR, NULL, 0, "refused to load external resource '%s'", url ? url : id ? id : "?");
	return NULL;
}

void xml_init(void)
{
	xmlInitParser();
	default_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(refusing_loader);
}

const char *xml_library(void)
{
	static char text[64];
	snprintf(text, sizeof text, "libxml2 %s", xmlParserVersion);
	return text;
}

void xml_cleanup(void)
{
	pthread_mutex_lock(&schema_lock);
	for (size_t i = 0; i < nschemas; i++) {
		xmlSchemaFree(schemas[i].schema);
		free(schemas[i].path);
		free(schemas[i].text);
	}
	free(schemas);
	schemas = NULL;
	nschemas = schemas_cap = 0;
	pthread_mutex_unlock(&schema_lock);
	xmlCleanupParser();
}

static void report_structured(void *ctx, xmlErrorPtr err)
{
	xml_stream *s = ctx;
	if (!err)
		return;
	char *msg;
	if (err->code == XML_ERR_INVALID_CHAR || err->code == XML_ERR_INVALID_ENCODING ||
	    err->code == XML_ERR_UNKNOWN_ENCODING || err->code == XML_ERR_UNSUPPORTED_ENCODING ||
	    err->code == XML_I18N_CONV_FAILED)
		/* libxml2 would quote the bytes: they may be a patient's name. */
		msg = xstrdup("the text is not valid UTF-8 (nor in the encoding the file declares); "
		              "nothing after this point can be read");
	else
		msg = xstrdup(err->message ? err->message : "XML error");
	/* libxml2 puts data it quotes on further lines ("Bytes: 0xE9 ..."): the first is enough. */
	size_t n = strcspn(msg, "\n");
	msg[n] = '\0';
	while (n && msg[n - 1] == ' ')
		msg[--n] = '\0';
	const char *file = err->file ? err->file : s ? s->path : NULL;
	if (err->level == XML_ERR_WARNING) {
		diag(DIAG_WARNING, file, err->line, "%s", msg);
	} else {
		diag(DIAG_ERROR, file, err->line, "%s", msg);
		if (s) {
			s->failed = 1;
			s->reported++;
		}
	}
	free(msg);
}

static void schema_parse_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	report_structured(NULL, err);
}

static xmlSchemaPtr schema_get(const char *path)
{
	xmlSchemaPtr found = NULL;
	pthread_mutex_lock(&schema_lock);
	for (size_t i = 0; i < nschemas && !found; i++)
		if (strcmp(schemas[i].path, path) == 0) {
			found = schemas[i].schema;
			file_seen(path, schemas[i].text, schemas[i].len);
		}
	if (!found) {
		loading_trusted = 1;
		/* Read by us: a schema path that is a FIFO must not block. */
		size_t len = 0;
		char *text = file_read_all(path, &len);
		if (!text)
			diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		xmlSchemaParserCtxtPtr pc =
		    text && len < INT_MAX ? xmlSchemaNewMemParserCtxt(text, (int)len) : NULL;
		if (pc) {
			xmlSchemaSetParserStructuredErrors(pc, schema_parse_error, NULL);
			found = xmlSchemaParse(pc);
			xmlSchemaFreeParserCtxt(pc);
		}
		loading_trusted = 0;
		if (found) {
			cached_schema c = {xstrdup(path), found, text, len};
			ARRAY_PUSH(schemas, nschemas, schemas_cap, c);
			text = NULL;
		} else {
			diag(DIAG_ERROR, path, 0, "cannot load schema");
		}
		free(text);
	}
	pthread_mutex_unlock(&schema_lock);
	return found;
}

static char *dup_xml(const xmlChar *s)
{
	return xstrdup(s ? (const char *)s : "");
}

static void node_add_text(xnode *n, const xmlChar *text)
{
	if (!text)
		return;
	size_t a = strlen(n->text), b = strlen((const char *)text);
	n->text = xrealloc(n->text, a + b + 1);
	memcpy(n->text + a, text, b + 1);
}

xnode *xnode_new(const char *name, const char *ns, int line)
{
	xnode *n = xcalloc(1, sizeof *n);
	n->name = xstrdup(name);
	n->ns = ns ? xstrdup(ns) : NULL;
	n->text = xstrdup("");
	n->line = line;
	return n;
}

void xnode_append(xnode *parent, xnode *kid)
{
	ARRAY_PUSH(parent->kids, parent->nkids, parent->kids_cap, kid);
}

void xnode_add_attr(xnode *n, const char *name, const char *value)
{
	n->attrs = xrealloc(n->attrs, (n->nattrs + 1) * sizeof *n->attrs);
	n->attrs[n->nattrs++] = (xattr){xstrdup(name), NULL, xstrdup(value)};
}

/* The reader is on an element start; builds its node with attributes (no children yet). */
static xnode *node_from_reader(xml_stream *s)
{
	xnode *n = xcalloc(1, sizeof *n);
	n->name = dup_xml(xmlTextReaderConstLocalName(s->reader));
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(s->reader);
	n->ns = ns ? dup_xml(ns) : NULL;
	n->text = xstrdup("");
	xmlNodePtr cur = xmlTextReaderCurrentNode(s->reader);
	n->line = cur ? (int)xmlGetLineNo(cur) : xmlTextReaderGetParserLineNumber(s->reader);
	size_t cap = 0;
	while (xmlTextReaderMoveToNextAttribute(s->reader) == 1) {
		if (xmlTextReaderIsNamespaceDecl(s->reader))
			continue;
		const xmlChar *ans = xmlTextReaderConstNamespaceUri(s->reader);
		xattr a = {dup_xml(xmlTextReaderConstLocalName(s->reader)), ans ? dup_xml(ans) : NULL,
		           dup_xml(xmlTextReaderConstValue(s->reader))};
		ARRAY_PUSH(n->attrs, n->nattrs, cap, a);
	}
	xmlTextReaderMoveToElement(s->reader);
	return n;
}

/* Reads one step; returns 1 on a node, 0 at the end, -1 on error (reported). */
static int stream_step(xml_stream *s)
{
	int r = xmlTextReaderRead(s->reader);
	if (r < 0) {
		/* Some fatal parser errors reach no handler; the last error still says what. */
		xmlErrorPtr last = xmlGetLastError();
		if (!s->reported && last)
			report_structured(s, last);
		else if (!s->reported)
			diag(DIAG_ERROR, s->path, xmlTextReaderGetParserLineNumber(s->reader),
			     "malformed XML");
		s->failed = 1;
		s->reported++;
		return -1;
	}
	if (r == 0) {
		s->at_end = 1;
		return 0;
	}
	int type = xmlTextReaderNodeType(s->reader);
	if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE) {
		diag(DIAG_ERROR, s->path, xmlTextReaderGetParserLineNumber(s->reader),
		     "DOCTYPE declarations are not accepted (they can carry external entities, entity "
		     "bombs and network DTDs); remove it");
		s->failed = 1;
		return -1;
	}
	return 1;
}

/* The reader is on an element start: reads the element's whole subtree. */
static xnode *read_subtree(xml_stream *s)
{
	xnode *top = node_from_reader(s);
	if (xmlTextReaderIsEmptyElement(s->reader))
		return top;
	xnode **stack = NULL;
	size_t depth = 0, cap = 0;
	ARRAY_PUSH(stack, depth, cap, top);
	while (depth > 0) {
		if (stream_step(s) <= 0) {
			if (!s->failed) {
				diag(DIAG_ERROR, s->path, 0, "unexpected end of document");
				s->failed = 1;
			}
			free(stack);
			xnode_free(top);
			return NULL;
		}
		xnode *cur = stack[depth - 1];
		switch (xmlTextReaderNodeType(s->reader)) {
		case XML_READER_TYPE_ELEMENT: {
			xnode *kid = node_from_reader(s);
			ARRAY_PUSH(cur->kids, cur->nkids, cur->kids_cap, kid);
			if (!xmlTextReaderIsEmptyElement(s->reader))
				ARRAY_PUSH(stack, depth, cap, kid);
			break;
		}
		case XML_READER_TYPE_END_ELEMENT:
			depth--;
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		case XML_READER_TYPE_WHITESPACE:
			node_add_text(cur, xmlTextReaderConstValue(s->reader));
			break;
		default:
			break;
		}
	}
	free(stack);
	return top;
}

/* Looks through the prolog (before the root element) for a DOCTYPE. Returns its line, or 0.
 * This runs before libxml2 sees a byte, so no entity in a hostile DTD is ever parsed. */
static int prolog_doctype_line(int fd)
{
	char buf[65536];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = buf;
	int line = 1;
	if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
		p += 3;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			line += *p++ == '\n';
		const char *end = NULL;
		if (strncmp(p, "<?", 2) == 0)
			end = strstr(p, "?>");
		else if (strncmp(p, "<!--", 4) == 0)
			end = strstr(p, "-->");
		else
			return strncmp(p, "<!DOCTYPE", 9) == 0 ? line : 0;
		if (!end)
			return 0;
		for (; p < end; p++)
			line += *p == '\n';
		p = end + 2;
	}
}

xml_stream *xml_stream_open(const char *path, const char *schema_path)
{
	int fd = open_regular(path);
	if (fd < 0) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		return NULL;
	}
	int doctype = prolog_doctype_line(fd);
	if (doctype) {
		diag(DIAG_ERROR, path, doctype,
		     "DOCTYPE declarations are not accepted (they can carry external entities, entity "
		     "bombs and network DTDs); remove it");
		close(fd);
		return NULL;
	}
	xml_stream *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->path = xstrdup(path);
	s->reader = xmlReaderForFd(fd, path, NULL, SAFE_PARSE_OPTIONS);
	if (!s->reader) {
		diag(DIAG_ERROR, path, 0, "cannot start the XML reader");
		xml_stream_close(s);
		return NULL;
	}
	xmlTextReaderSetStructuredErrorHandler(s->reader, report_structured, s);
	if (schema_path) {
		s->schema = schema_get(schema_path);
		if (!s->schema || xmlTextReaderSetSchema(s->reader, s->schema) != 0) {
			xml_stream_close(s);
			return NULL;
		}
	}
	int r;
	while ((r = stream_step(s)) == 1 && xmlTextReaderNodeType(s->reader) != XML_READER_TYPE_ELEMENT)
		;
	if (r != 1) {
		if (!s->failed)
			diag(DIAG_ERROR, path, 0, "no root element");
		xml_stream_close(s);
		return NULL;
	}
	s->root = node_from_reader(s);
	if (xmlTextReaderIsEmptyElement(s->reader))
		s->at_end = 1;
	return s;
}

const char *xml_stream_root_name(const xml_stream *s)
{
	return s->root->name;
}

const char *xml_stream_root_ns(const xml_stream *s)
{
	return s->root->ns;
}

int xml_stream_root_line(const xml_stream *s)
{
	return s->root->line;
}

const char *xml_stream_root_attr(const xml_stream *s, const char *name)
{
	return xnode_attr(s->root, name);
}

xnode *xml_stream_read_root(xml_stream *s)
{
	xnode *n;
	if (s->at_end && s->root) {
		/* An empty root: hand out what we have, keeping a stand-in. */
		n = s->root;
		s->root = xcalloc(1, sizeof *s->root);
		s->root->name = xstrdup(n->name);
		s->root->text = xstrdup("");
	} else {
		n = read_subtree(s);
		s->at_end = 1;
	}
	/* Read to the end so trailing errors (and schema violations) are reported. */
	while (n && stream_step(s) == 1)
		;
	if (s->failed) {
		xnode_free(n);
		return NULL;
	}
	return n;
}

xnode *xml_stream_next(xml_stream *s)
{
	while (!s->at_end && !s->failed) {
		if (stream_step(s) <= 0)
			return NULL;
		int type = xmlTextReaderNodeType(s->reader);
		if (type == XML_READER_TYPE_ELEMENT)
			return read_subtree(s);
		if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(s->reader) == 0)
			s->at_end = 1;
	}
	return NULL;
}

int xml_stream_failed(const xml_stream *s)
{
	return s->failed;
}

void xml_stream_close(xml_stream *s)
{
	if (!s)
		return;
	if (s->reader)
		xmlFreeTextReader(s->reader);
	if (s->fd >= 0)
		close(s->fd);
	xnode_free(s->root);
	free(s->path);
	free(s);
}

xnode *xml_load(const char *path, const char *schema_path)
{
	xml_stream *s = xml_stream_open(path, schema_path);
	if (!s)
		return NULL;
	xnode *n = xml_stream_read_root(s);
	xml_stream_close(s);
	return n;
}

const char *xnode_attr(const xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nattrs; i++)
		if (!n->attrs[i].ns && strcmp(n->attrs[i].name, name) == 0)
			return n->attrs[i].value;
	return NULL;
}

const xnode *xnode_child(const xnode *n, const char *name)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (strcmp(n->kids[i]->name, name) == 0)
			return n->kids[i];
	return NULL;
}

char *xnode_text(const xnode *n)
{
	return text_normalize_space(n->text);
}

char *xnode_child_text(const xnode *n, const char *name)
{
	const xnode *k = xnode_child(n, name);
	return k ? xnode_text(k) : NULL;
}

void xnode_free(xnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		xnode_free(n->kids[i]);
	for (size_t i = 0; i < n->nattrs; i++) {
		free(n->attrs[i].name);
		free(n->attrs[i].ns);
		free(n->attrs[i].value);
	}
	free(n->kids);
	free(n->attrs);
	free(n->name);
	free(n->ns);
	free(n->text);
	free(n);
}

/* ---- writing ---- */

struct xml_writer {
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
};

xml_writer *xml_writer_new(void)
{
	xml_writer *x = xcalloc(1, sizeof *x);
	x->buf = xmlBufferCreate();
	x->w = x->buf ? xmlNewTextWriterMemory(x->buf, 0) : NULL;
	if (!x->w) {
		fprintf(stderr, "handout: out of memory (an XML writer)\n");
		abort();
	}
	xmlTextWriterSetIndent(x->w, 1);
	xmlTextWriterSetIndentString(x->w, BAD_CAST "  ");
	xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL);
	return x;
}

void xml_writer_start(xml_writer *w, const char *name)
{
	xmlTextWriterStartElement(w->w, BAD_CAST name);
}

void xml_writer_attr(xml_writer *w, const char *name, const char *value)
{
	xmlTextWriterWriteAttribute(w->w, BAD_CAST name, BAD_CAST value);
}

void xml_writer_text(xml_writer *w, const char *text)
{
	xmlTextWriterWriteString(w->w, BAD_CAST text);
}

void xml_writer_comment(xml_writer *w, const char *text)
{
	xmlTextWriterWriteComment(w->w, BAD_CAST text);
}

void xml_writer_end(xml_writer *w)
{
	xmlTextWriterEndElement(w->w);
}

char *xml_writer_finish(xml_writer *w)
{
	xmlTextWriterEndDocument(w->w);
	xmlFreeTextWriter(w->w); /* flushes into the buffer */
	char *text = xstrdup((const char *)xmlBufferContent(w->buf));
	xmlBufferFree(w->buf);
	free(w);
	return text;
}
