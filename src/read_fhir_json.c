/* read_fhir_json.c: FHIR R4 JSON and Bulk Data NDJSON, parsed as a stream by yajl and turned
 * into FHIR's XML shape so that fhir.c reads both forms the same way.
 *
 * Why yajl and not jansson, which writes our JSON: jansson builds a whole document in memory
 * (a 38 MB Bundle of a million entries took 1.38 GB and the run aborted), while yajl hands
 * over one token at a time, so a Bundle's entries are built and handed out one by one and
 * memory holds one entry, whatever the file's size. yajl also says where each token is, so
 * every message has its real line.
 *
 * A file of two or more lines whose first line is a whole JSON value is NDJSON, one resource
 * a line (a bad line costs that line, not the file); otherwise it is one JSON resource, read
 * twice when it is a Bundle: its Patients first (a response may come before the Patient it
 * names), then its responses. Limits, each refusing only what exceeds it: a line of NDJSON
 * 16 MB, one resource (a line, or a Bundle's entry) 100,000 JSON values nested at most 64
 * deep, one JSON value 16 MB. Values keep their JSON type (fhir.c refuses "valueInteger":"5")
 * and numbers are kept as written (no conversion through a double). */
#include "read_fhir_json.h"
#include "diag.h"
#include "fhir.h"
#include "util.h"
#include "xml.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl_parse.h>

#define MAX_LINE   (16u << 20) /* bytes of an NDJSON line */
#define MAX_VALUES 100000      /* JSON values in one resource: a line, a Bundle's entry, a whole file */
#define MAX_DEPTH  64          /* objects and arrays nested */
#define MAX_VALUE  (16u << 20) /* bytes of one JSON value (a string): yajl holds it whole */
#define CHUNK      (1u << 16)

/* ---- JSON as FHIR's XML shape, a token at a time ---- */

typedef struct frame {
	xnode *node; /* an object's element; an array's: the object it is a member of */
	char *key;   /* an array: the member name its items take */
	char *type;  /* an object: its resourceType */
	int array;
	int skip;       /* parsed, not kept: "_x" (extensions of x), an array in an array, a cut resource */
	int entry;      /* an item of the top Bundle's entry array: a tree of its own */
	uint64_t *keys; /* an object's member names seen (hashes), for duplicates */
	size_t nkeys, keys_cap;
} frame;

typedef struct json_stream {
	yajl_handle h;
	frame stack[MAX_DEPTH + 1];
	int depth;
	char *key;          /* the member name the next value takes */
	int line;           /* the line being fed */
	size_t line_offset; /* bytes of that line fed before the current chunk */
	int entries;        /* hand the top object's entry items out one by one */
	size_t values;      /* in the tree being built */
	int cut;            /* the tree being built has more than MAX_VALUES: dropped */
	int cut_line;
	char nul_line[16];  /* a string held \u0000 (at this line) in the tree being built */
	size_t since_token; /* bytes fed since yajl last handed a token over */
	char error[160];    /* why the stream was stopped by us */
	xnode *top;         /* the top-level object, when whole */
	void (*on_entry)(void *ctx, xnode *entry);
	void *ctx;
} json_stream;

static void *ymalloc(void *ctx, size_t n)
{
	(void)ctx;
	return xmalloc(n);
}

static void *yrealloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return xrealloc(p, n);
}

static void yfree(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static int stop(json_stream *js, const char *why)
{
	if (!js->error[0])
		snprintf(js->error, sizeof js->error, "%s", why);
	return 0;
}

/* Counts a value of the tree being built; over MAX_VALUES the tree is cut (its resource is
 * refused where it is handed out), the stream goes on. */
static int count_value(json_stream *js)
{
	js->since_token = 0;
	if (++js->values > MAX_VALUES && !js->cut) {
		js->cut = 1;
		js->cut_line = js->line;
	}
	return !js->cut;
}

/* The frame values go into now, NULL at the top. */
static frame *current(json_stream *js)
{
	return js->depth ? &js->stack[js->depth - 1] : NULL;
}

/* Whether a member key was seen in f before (and records it). */
static int seen_key(frame *f, const unsigned char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	h = h ? h : 1;
	if ((f->nkeys + 1) * 2 > f->keys_cap) {
		size_t old_cap = f->keys_cap;
		uint64_t *old = f->keys;
		f->keys_cap = old_cap ? old_cap * 2 : 32;
		f->keys = xcalloc(f->keys_cap, sizeof *f->keys);
		for (size_t i = 0; i < old_cap; i++)
			if (old[i]) {
				size_t k = (size_t)old[i] & (f->keys_cap - 1);
				while (f->keys[k])
					k = (k + 1) & (f->keys_cap - 1);
				f->keys[k] = old[i];
			}
		free(old);
	}
	size_t k = (size_t)h & (f->keys_cap - 1);
	while (f->keys[k]) {
		if (f->keys[k] == h)
			return 1; /* a hash shared by two keys counts as a duplicate: 1 in 2^64 */
		k = (k + 1) & (f->keys_cap - 1);
	}
	f->keys[k] = h;
	f->nkeys++;
	return 0;
}

/* Where a value goes: the name it takes and the element it goes into; 0 when it is not
 * kept (a skipped member, the top of the file). */
static int place(json_stream *js, const char **name, xnode **into)
{
	frame *f = current(js);
	if (!f || f->skip)
		return 0;
	if (f->array) {
		*name = f->key;
		*into = f->node;
	} else {
		*name = js->key;
		*into = f->node;
		if (!js->key || js->key[0] == '_')
			return 0; /* "_x" holds x's extensions, which handout does not read */
	}
	return *into != NULL;
}

static int add_primitive(json_stream *js, const char *text, size_t len, const char *type)
{
	frame *f = current(js);
	if (!f)
		return stop(js, "not a JSON object");
	js->since_token = 0;
	if (!f->array && js->key && strcmp(js->key, "resourceType") == 0) {
		if (strcmp(type, "string") == 0 && !f->type && !f->skip)
			f->type = xstrndup(text, len);
		return 1;
	}
	const char *name;
	xnode *into;
	if (!place(js, &name, &into) || !count_value(js))
		return 1;
	if (memchr(text, '\0', len)) {
		if (!js->nul_line[0])
			snprintf(js->nul_line, sizeof js->nul_line, "%d", js->line);
		return 1;
	}
	xnode *n = xnode_new(name, FHIR_NS, js->line);
	char *v = xstrndup(text, len);
	xnode_add_attr(n, "value", v);
	free(v);
	char json[16];
	snprintf(json, sizeof json, "%s%s", type, f->array ? "[]" : ""); /* "[]": an item of an array */
	xnode_add_attr(n, "json", json);
	xnode_append(into, n);
	return 1;
}

static int on_null(void *ctx)
{
	json_stream *js = ctx;
	js->since_token = 0;
	return current(js) ? 1 : stop(js, "not a JSON object");
}

static int on_boolean(void *ctx, int b)
{
	return add_primitive(ctx, b ? "true" : "false", b ? 4 : 5, "boolean");
}

static int on_number(void *ctx, const char *s, size_t len)
{
	/* As written: an integer has no '.', 'e' or 'E' (FHIR's integer), else a decimal. */
	int integer = !memchr(s, '.', len) && !memchr(s, 'e', len) && !memchr(s, 'E', len);
	return add_primitive(ctx, s, len, integer ? "integer" : "decimal");
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
	return add_primitive(ctx, (const char *)s, len, "string");
}

static int push(json_stream *js, frame f)
{
	if (js->depth >= MAX_DEPTH)
		return stop(js, "objects or arrays nested deeper than 64");
	js->stack[js->depth++] = f;
	return 1;
}

static int on_start_map(void *ctx)
{
	json_stream *js = ctx;
	frame *parent = current(js);
	frame f = {0};
	js->since_token = 0;
	if (!parent) {
		f.node = xnode_new("?", FHIR_NS, js->line); /* named by its resourceType at its end */
		js->values = 1;
		return push(js, f);
	}
	if (parent->array && parent->entry) {
		/* An item of the top Bundle's entry array: a tree of its own, handed out whole. */
		f.node = xnode_new("entry", FHIR_NS, js->line);
		f.entry = 1;
		js->values = 1, js->cut = 0, js->nul_line[0] = '\0';
		return push(js, f);
	}
	const char *name;
	xnode *into;
	if (!place(js, &name, &into) || !count_value(js)) {
		f.skip = 1;
		return push(js, f);
	}
	f.node = xnode_new(name, FHIR_NS, js->line);
	if (parent->array)
		xnode_add_attr(f.node, "json", "object[]"); /* an item of a list (fhir.c: one value[x]) */
	xnode_append(into, f.node);
	return push(js, f);
}

static int on_map_key(void *ctx, const unsigned char *key, size_t len)
{
	json_stream *js = ctx;
	frame *f = current(js);
	js->since_token = 0;
	if (!f->skip && seen_key(f, key, len))
		return stop(js, "a key given twice in one object (which one counts would be a guess)");
	free(js->key);
	js->key = xstrndup((const char *)key, len);
	if (memchr(key, '\0', len) && !js->nul_line[0])
		snprintf(js->nul_line, sizeof js->nul_line, "%d", js->line);
	return 1;
}

/* A finished object: a resource (it had a resourceType) becomes the element of that name
 * inside the member's element, as <resource><Patient> in XML. */
static void finish_object(frame *f, int top)
{
	if (!f->node || !f->type)
		return;
	if (top) {
		free(f->node->name);
		f->node->name = xstrdup(f->type);
		return;
	}
	xnode *res = xnode_new(f->type, FHIR_NS, f->node->line);
	res->kids = f->node->kids, res->nkids = f->node->nkids, res->kids_cap = f->node->kids_cap;
	f->node->kids = NULL, f->node->nkids = f->node->kids_cap = 0;
	xnode_append(f->node, res);
}

static void free_frame(frame *f)
{
	free(f->key);
	free(f->type);
	free(f->keys);
}

/* Marks a tree that was cut or held a NUL character, for whoever reads it. */
static void mark_tree(json_stream *js, xnode *n)
{
	char line[16];
	if (js->cut) {
		snprintf(line, sizeof line, "%d", js->cut_line);
		xnode_add_attr(n, "json-cut", line);
	}
	if (js->nul_line[0])
		xnode_add_attr(n, "json-nul", js->nul_line);
}

static int on_end_map(void *ctx)
{
	json_stream *js = ctx;
	frame f = js->stack[--js->depth];
	js->since_token = 0;
	finish_object(&f, js->depth == 0);
	if (js->depth == 0) {
		if (!f.type)
			xnode_add_attr(f.node, "json-untyped", "1");
		mark_tree(js, f.node);
		js->top = f.node;
	} else if (f.entry) {
		mark_tree(js, f.node);
		js->on_entry(js->ctx, f.node);
		js->values = 1, js->cut = 0, js->nul_line[0] = '\0';
	}
	free_frame(&f);
	return 1;
}

static int on_start_array(void *ctx)
{
	json_stream *js = ctx;
	frame *parent = current(js);
	js->since_token = 0;
	if (!parent)
		return stop(js, "not a JSON object");
	frame f = {0};
	f.array = 1;
	if (parent->skip || parent->array || !js->key || js->key[0] == '_') {
		f.skip = 1; /* an array in an array is not FHIR; "_x" is not read */
		return push(js, f);
	}
	f.key = xstrdup(js->key);
	f.node = parent->node;
	f.entry = js->entries && js->depth == 1 && strcmp(js->key, "entry") == 0;
	return push(js, f);
}

static int on_end_array(void *ctx)
{
	json_stream *js = ctx;
	frame f = js->stack[--js->depth];
	js->since_token = 0;
	free_frame(&f);
	return 1;
}

static const yajl_callbacks callbacks = {
    on_null,      on_boolean, NULL,       NULL,           on_number,    on_string,
    on_start_map, on_map_key, on_end_map, on_start_array, on_end_array,
};

static void stream_init(json_stream *js, int entries, void (*on_entry)(void *, xnode *), void *ctx,
                        int first_line)
{
	static yajl_alloc_funcs funcs = {ymalloc, yrealloc, yfree, NULL};
	memset(js, 0, sizeof *js);
	js->h = yajl_alloc(&callbacks, &funcs, js);
	js->entries = entries;
	js->on_entry = on_entry;
	js->ctx = ctx;
	js->line = first_line;
}

static void stream_free(json_stream *js)
{
	while (js->depth > 0) {
		frame *f = &js->stack[--js->depth];
		if (!f->array && (js->depth == 0 || f->entry))
			xnode_free(
			    f->node); /* a tree of its own, not yet handed out (an array's is its object's) */
		free_frame(f);
	}
	yajl_free(js->h);
	free(js->key);
	xnode_free(js->top);
}

/* Why the stream stopped, at *line, without quoting the text. */
static void stream_error(json_stream *js, char *why, size_t size, int *line, size_t fed)
{
	*line = js->line;
	if (js->error[0]) {
		snprintf(why, size, "%s", js->error);
		return;
	}
	unsigned char *e = yajl_get_error(js->h, 0, NULL, 0);
	char reason[120];
	snprintf(reason, sizeof reason, "%s", e ? (char *)e : "?");
	yajl_free_error(js->h, e);
	size_t n = strlen(reason);
	while (n > 0 && (reason[n - 1] == '\n' || reason[n - 1] == '.' || reason[n - 1] == ' '))
		reason[--n] = '\0';
	/* yajl's reasons ("lexical error: invalid char in json text") quote no text */
	snprintf(why, size, "not valid JSON (column %zu: %s)", js->line_offset + fed + 1, reason);
}

/* Feeds len bytes, a line end at a time so that every token has its line. Returns 0, or -1
 * when the stream stopped (why and *line say why and where). */
static int stream_feed(json_stream *js, const char *buf, size_t len, char *why, size_t size, int *line)
{
	while (len > 0) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) + 1 : len;
		js->since_token += n;
		yajl_status st = yajl_parse(js->h, (const unsigned char *)buf, n);
		if (st != yajl_status_ok) {
			stream_error(js, why, size, line, yajl_get_bytes_consumed(js->h));
			return -1;
		}
		if (js->since_token > MAX_VALUE) {
			stop(js, "a JSON value longer than 16 MB");
			stream_error(js, why, size, line, 0);
			return -1;
		}
		if (nl)
			js->line++, js->line_offset = 0;
		else
			js->line_offset += n;
		buf += n, len -= n;
	}
	return 0;
}

static int stream_end(json_stream *js, char *why, size_t size, int *line)
{
	if (yajl_complete_parse(js->h) != yajl_status_ok) {
		stream_error(js, why, size, line, 0);
		return -1;
	}
	return 0;
}

/* Back to the start of f, past a UTF-8 byte order mark. */
static void rewind_past_bom(FILE *f)
{
	unsigned char bom[3];
	rewind(f);
	if (fread(bom, 1, 3, f) != 3 || memcmp(bom, "\xEF\xBB\xBF", 3) != 0)
		rewind(f);
}

/* ---- the reader ---- */

typedef struct fhir_json_reader {
	line_reader lines; /* the file; its line last read (NDJSON) */
	char *path;
	reader_run run; /* the run's, with its FHIR context (fhir_family) */
	int ndjson;
	/* a whole-file resource: what its first reading found */
	char *top_type;
	int bundle_ok;
	json_stream stream; /* the second reading, going */
	int streaming;
	/* resources waiting to be handed out: entries of a Bundle, a response, a line's Bundle */
	xnode **queue;
	size_t nqueue, queue_pos, queue_cap;
	xnode *bundle; /* a Bundle from an NDJSON line, its entries handed out in turn */
	size_t cursor;
	fhir_census census;
	int failed;
	int finished;
} fhir_json_reader;

static void enqueue(fhir_json_reader *r, xnode *n)
{
	if (r->queue_pos == r->nqueue)
		r->queue_pos = r->nqueue = 0;
	ARRAY_PUSH(r->queue, r->nqueue, r->queue_cap, n);
}

/* A resource's id when it may be printed, else "?". */
static const char *printable_id(const xnode *res)
{
	const char *id = fhir_value(res, "id");
	return id && patient_id_valid(id) ? id : "?";
}

/* A tree the stream marked (cut at MAX_VALUES, or a string holding \u0000): why it is not
 * read, or NULL when it is sound. */
static const char *tree_fault(const xnode *n, char *buf, size_t size)
{
	const char *cut = xnode_attr(n, "json-cut"), *nul = xnode_attr(n, "json-nul");
	if (cut)
		snprintf(buf, size, "more than %d JSON values in one resource (from line %s on); not read",
		         MAX_VALUES, cut);
	else if (nul)
		snprintf(buf, size, "a string holds a NUL character (\\u0000) at line %s; not read", nul);
	else
		return NULL;
	return buf;
}

/* A Bundle entry's resource, or the tree itself when it is a resource. */
static const xnode *resource_of(const xnode *n)
{
	return strcmp(n->name, "entry") == 0 ? fhir_inner_resource(n) : n;
}

/* First reading: Patients into the index, what the file holds counted. */
static void survey_resource(fhir_json_reader *r, const xnode *n)
{
	char buf[160];
	const xnode *res = resource_of(n);
	if (!res) {
		if (tree_fault(n, buf, sizeof buf))
			r->census.responses++; /* it may have been one: said when handed out */
		return;
	}
	fhir_census_add(&r->census, res->name);
	if (strcmp(res->name, "Patient") != 0)
		return;
	if (tree_fault(n, buf, sizeof buf))
		diag(DIAG_WARNING, r->path, res->line, "a Patient is skipped: %s", buf);
	else
		fhir_add_patient(&r->run, res, n != res ? fhir_value(n, "fullUrl") : NULL, r->path);
}

static void survey_entry(void *ctx, xnode *entry)
{
	survey_resource(ctx, entry);
	xnode_free(entry);
}

static void queue_entry(void *ctx, xnode *entry)
{
	fhir_json_reader *r = ctx;
	const xnode *res = resource_of(entry);
	if ((res && strcmp(res->name, "QuestionnaireResponse") == 0) ||
	    (!res && xnode_attr(entry, "json-cut")))
		enqueue(r, entry);
	else
		xnode_free(entry);
}

/* A response (or an entry holding one, or a cut entry) as a patient. */
static patient *response_patient(fhir_json_reader *r, const xnode *n)
{
	char buf[160];
	const char *fault = tree_fault(n, buf, sizeof buf);
	const xnode *res = resource_of(n);
	if (fault) {
		patient *p = patient_new(r->path, n->line, r->run.q);
		if (res)
			free(p->id), p->id = xstrdup(printable_id(res));
		patient_reject(p, n->line, NULL, "%s", fault);
		return p;
	}
	return fhir_response_patient(res, n != res ? fhir_value(n, "fullUrl") : NULL, r->path, &r->run);
}

/* A line that is not a resource: a patient of its own, with no id, so that it is in the
 * manifest and the exit status. */
static patient *bad_line(fhir_json_reader *r, int line, const char *why)
{
	patient *p = patient_new(r->path, line, r->run.q);
	patient_reject(p, line, NULL, "%s", why);
	return p;
}

/* One NDJSON line as a tree (NULL with why set when it is not a resource). */
static xnode *parse_line(const char *text, size_t len, int line, char *why, size_t size)
{
	json_stream js;
	stream_init(&js, 0, NULL, NULL, line);
	int at = line;
	xnode *n = NULL;
	if (stream_feed(&js, text, len, why, size, &at) == 0 && stream_end(&js, why, size, &at) == 0) {
		if (js.top && xnode_attr(js.top, "json-untyped"))
			snprintf(why, size, "a JSON object with no resourceType: not a FHIR resource");
		else
			n = js.top, js.top = NULL;
	}
	stream_free(&js);
	return n;
}

/* An NDJSON line's resource: Patients go to the index, a response waits to be handed out, a
 * Bundle's Patients go to the index and its responses wait; anything else is counted. */
static void take_line_resource(fhir_json_reader *r, xnode *res)
{
	char buf[160];
	if (strcmp(res->name, "Bundle") == 0 && !tree_fault(res, buf, sizeof buf)) {
		if (!fhir_bundle_type_read(fhir_value(res, "type"), r->path, res->line)) {
			r->failed = 1;
			xnode_free(res);
			return;
		}
		for (size_t i = 0; i < res->nkids; i++)
			if (strcmp(res->kids[i]->name, "entry") == 0)
				survey_resource(r, res->kids[i]);
		r->bundle = res, r->cursor = 0;
		return;
	}
	survey_resource(r, res); /* a faulty Patient is said there */
	if (strcmp(res->name, "QuestionnaireResponse") == 0 ||
	    (strcmp(res->name, "Patient") != 0 && tree_fault(res, buf, sizeof buf)))
		enqueue(r, res);
	else
		xnode_free(res);
}

/* After the last line: what the file held, and the resources it skipped. */
static void finish(fhir_json_reader *r)
{
	r->finished = 1;
	if (r->lines.f && ferror(r->lines.f)) {
		diag(DIAG_ERROR, r->path, r->lines.line, "cannot read: %s", strerror(errno));
		r->failed = 1;
	}
	if (r->ndjson && fhir_census_check(&r->census, r->path, r->run.more_inputs) != 0)
		r->failed = 1; /* a whole-file resource was checked when it was opened */
	else if (r->census.others)
		diag(DIAG_WARNING, r->path, 0, "%zu resource%s of types handout does not read (%s%s) skipped",
		     r->census.others, r->census.others == 1 ? "" : "s", r->census.other_types[0],
		     r->census.ntypes > 1 ? ", ..." : "");
}

/* The second reading of a whole-file resource: feeds it until a response waits. */
static int feed_more(fhir_json_reader *r)
{
	char buf[CHUNK];
	size_t n = fread(buf, 1, sizeof buf, r->lines.f);
	char why[200];
	int line;
	if (n > 0 && stream_feed(&r->stream, buf, n, why, sizeof why, &line) == 0)
		return 1;
	if (n == 0 && !ferror(r->lines.f) && stream_end(&r->stream, why, sizeof why, &line) == 0) {
		if (r->stream.top && strcmp(r->stream.top->name, "QuestionnaireResponse") == 0)
			enqueue(r, r->stream.top), r->stream.top = NULL;
		return 0;
	}
	if (n > 0 || !ferror(r->lines.f)) {
		/* The file changed since its first reading. */
		diag(DIAG_ERROR, r->path, line, "%s", why);
		r->failed = 1;
	}
	return 0;
}

static patient *fhir_json_next(void *state)
{
	fhir_json_reader *r = state;
	for (;;) {
		if (r->queue_pos < r->nqueue) {
			xnode *n = r->queue[r->queue_pos++];
			patient *p = response_patient(r, n);
			xnode_free(n);
			if (p)
				return p;
			continue;
		}
		if (r->bundle) {
			while (r->cursor < r->bundle->nkids) {
				const xnode *e = r->bundle->kids[r->cursor++];
				const xnode *res =
				    strcmp(e->name, "entry") == 0 ? fhir_inner_resource(e) : NULL;
				if (res && strcmp(res->name, "QuestionnaireResponse") == 0) {
					patient *p = response_patient(r, e);
					if (p)
						return p;
				}
			}
			xnode_free(r->bundle);
			r->bundle = NULL;
			continue;
		}
		if (r->finished)
			return NULL;
		if (!r->ndjson) {
			if (!r->streaming || !feed_more(r)) {
				if (r->queue_pos < r->nqueue)
					continue;
				finish(r);
				return NULL;
			}
			continue;
		}
		long len = line_read(&r->lines, 0);
		if (len == -1) {
			finish(r);
			return NULL;
		}
		if (len == -2)
			return bad_line(r, r->lines.line, "a line longer than 16 MB");
		if (strspn(r->lines.buf, " \t\r") == (size_t)len)
			continue;
		char why[200];
		xnode *res = parse_line(r->lines.buf, (size_t)len, r->lines.line, why, sizeof why);
		if (!res)
			return bad_line(r, r->lines.line, why);
		take_line_resource(r, res);
	}
}

static void fhir_json_close(void *state)
{
	fhir_json_reader *r = state;
	if (!r)
		return;
	if (r->lines.f)
		fclose(r->lines.f);
	if (r->streaming)
		stream_free(&r->stream);
	for (size_t i = r->queue_pos; i < r->nqueue; i++)
		xnode_free(r->queue[i]);
	free(r->queue);
	xnode_free(r->bundle);
	line_reader_free(&r->lines);
	free(r->top_type);
	free(r->path);
	free(r);
}

/* The file read through once as one resource: its Patients, what it holds, whether it is
 * one handout reads. Returns -1 after reporting. */
static int survey_document(fhir_json_reader *r)
{
	json_stream js;
	stream_init(&js, 1, survey_entry, r, 1);
	char buf[CHUNK], why[200];
	int line = 0, status = 0;
	size_t n;
	rewind_past_bom(r->lines.f);
	while (status == 0 && (n = fread(buf, 1, sizeof buf, r->lines.f)) > 0)
		status = stream_feed(&js, buf, n, why, sizeof why, &line);
	if (status == 0 && ferror(r->lines.f)) {
		diag(DIAG_ERROR, r->path, js.line, "cannot read: %s", strerror(errno));
		stream_free(&js);
		return -1;
	}
	if (status == 0)
		status = stream_end(&js, why, sizeof why, &line);
	if (status != 0) {
		diag(DIAG_ERROR, r->path, line, "%s", why);
		stream_free(&js);
		return -1;
	}
	xnode *top = js.top;
	char fault[160];
	if (xnode_attr(top, "json-untyped")) {
		diag(DIAG_ERROR, r->path, top->line,
		     "a JSON object with no resourceType: not a FHIR resource");
		status = -1;
	} else if (strcmp(top->name, "Bundle") == 0) {
		r->bundle_ok = fhir_bundle_type_read(fhir_value(top, "type"), r->path, top->line);
		status = r->bundle_ok ? 0 : -1;
	} else if (tree_fault(top, fault, sizeof fault)) {
		diag(DIAG_ERROR, r->path, top->line, "%s", fault);
		status = -1;
	} else {
		survey_resource(r, top);
	}
	r->top_type = xstrdup(top->name);
	stream_free(&js);
	if (status == 0 && fhir_census_check(&r->census, r->path, r->run.more_inputs) != 0)
		status = -1;
	return status;
}

/* 1 when text (len bytes) is one whole JSON value. */
static int whole_json(const char *text, size_t len)
{
	yajl_handle h = yajl_alloc(NULL, NULL, NULL);
	int ok = yajl_parse(h, (const unsigned char *)text, len) == yajl_status_ok &&
	         yajl_complete_parse(h) == yajl_status_ok;
	yajl_free(h);
	return ok;
}

static void *fhir_json_open(const char *path, const reader_run *run)
{
	fhir_json_reader *r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	r->run = *run;
	r->lines.max = MAX_LINE;
	r->lines.f = fopen_regular(path);
	if (!r->lines.f) {
		diag(DIAG_ERROR, path, 0, "cannot open: %s", open_strerror(errno));
		goto refused;
	}
	/* NDJSON when the first line that holds something is a whole JSON value and another
	 * line holds something too. */
	long len;
	while ((len = line_read(&r->lines, 0)) >= 0 && strspn(r->lines.buf, " \t\r") == (size_t)len)
		;
	if (len >= 0 && whole_json(r->lines.buf, (size_t)len)) {
		while ((len = line_read(&r->lines, 0)) >= 0 && strspn(r->lines.buf, " \t\r") == (size_t)len)
			;
		r->ndjson = len != -1;
	}
	if (r->ndjson) {
		rewind(r->lines.f);
		r->lines.line = 0;
		return r;
	}
	if (survey_document(r) != 0)
		goto refused;
	rewind_past_bom(r->lines.f);
	stream_init(&r->stream, 1, queue_entry, r, 1);
	r->streaming = 1;
	return r;
refused:
	fhir_json_close(r);
	return NULL;
}

static int fhir_json_failed(const void *state)
{
	const fhir_json_reader *r = state;
	return r->failed;
}

const reader_format read_fhir_json_format = {"FHIR JSON",      fhir_json_open,  fhir_json_next,
                                             fhir_json_failed, fhir_json_close, &fhir_family};
