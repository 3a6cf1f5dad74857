/* read_native.c: patients in our native XML, handed field by field to patient.c. */
#include "read_native.h"
#include "diag.h"
#include "questionnaire.h"
#include "util.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* An element of our native format: this local name and no namespace. */
static int native(const xnode *n, const char *name)
{
	return n->ns == NULL && strcmp(n->name, name) == 0;
}

/* "<Patient>", "<patient> in namespace urn:x" */
static char *element_words(const xnode *n)
{
	strbuf sb = {0};
	sb_printf(&sb, "<%s>", n->name);
	if (n->ns)
		sb_printf(&sb, " in namespace %.100s", n->ns);
	return sb_take(&sb);
}

static void read_answers(patient *p, const xnode *n)
{
	const questionnaire *q = p->questionnaire;
	const char *qn = xnode_attr(n, "questionnaire");
	if (qn && strcmp(qn, q->id) != 0) {
		patient_reject(p, n->line, NULL, "answers are for questionnaire '%s', not '%s'",
		               patient_id_valid(qn) ? qn : "(not an id)", q->id);
		return;
	}
	const char *date = xnode_attr(n, "date");
	if (date)
		patient_set_date(p, date, n->line);
	for (size_t i = 0; i < n->nkids; i++) {
		const xnode *an = n->kids[i];
		if (!native(an, "answer")) {
			char *what = element_words(an);
			patient_reject(p, an->line, NULL, "unexpected %s in <answers>", what);
			free(what);
			continue;
		}
		const char *qid = xnode_attr(an, "q");
		if (!qid)
			patient_reject(p, an->line, NULL, "<answer> without q attribute");
		else
			patient_add_answer(p, qid, an->text, an->line);
	}
}

/* Something in <patients> that is not a patient: an error of its own, named by its id
 * attribute when it has a valid one, so that nothing there is lost silently. */
static patient *not_a_patient(const xnode *n, const char *file, const questionnaire *q)
{
	patient *p = patient_new(file, n->line, q);
	const char *id = xnode_attr(n, "id");
	if (id && patient_id_valid(id)) {
		free(p->id);
		p->id = xstrdup(id);
	}
	char *what = element_words(n);
	patient_reject(p, n->line, NULL,
	               "unexpected %s in <patients>: a patient is <patient> with no namespace", what);
	free(what);
	return p;
}

patient *patient_from_xml(const xnode *n, const char *file, const questionnaire *q, id_set *seen)
{
	patient *p = patient_new(file, n->line, q);
	if (patient_set_id(p, xnode_attr(n, "id"), n->line, seen) != 0 && strcmp(p->id, "?") == 0)
		return p; /* nothing else is worth reporting under no id */
	const xnode *answers = NULL;
	for (size_t i = 0; i < n->nkids; i++) {
		const xnode *k = n->kids[i];
		if (k->ns) {
			char *what = element_words(k);
			patient_reject(p, k->line, NULL, "unexpected %s in <patient>", what);
			free(what);
		} else if (strcmp(k->name, "name") == 0) {
			patient_set_name(p, xnode_text(k), k->line);
		} else if (strcmp(k->name, "birth-date") == 0) {
			patient_set_birth_date(p, xnode_text(k), k->line);
		} else if (strcmp(k->name, "language") == 0) {
			patient_set_language(p, xnode_text(k), k->line);
		} else if (strcmp(k->name, "phone") == 0) {
			patient_set_phone(p, xnode_text(k), k->line);
		} else if (strcmp(k->name, "address") == 0) {
			for (size_t j = 0; j < k->nkids; j++)
				patient_add_address_line(p, xnode_text(k->kids[j]), k->kids[j]->line);
		} else if (strcmp(k->name, "answers") == 0) {
			if (answers)
				patient_reject(p, k->line, NULL, "more than one <answers>");
			answers = k;
		} else {
			patient_reject(p, k->line, NULL, "unexpected <%s> in <patient>", k->name);
		}
	}
	if (!answers) {
		patient_reject(p, n->line, NULL, "no <answers>");
		return p;
	}
	read_answers(p, answers);
	patient_finish(p, answers->line);
	return p;
}

/* ---- a file of patients ---- */

typedef struct native_reader {
	xml_stream *stream;
	char *path;
	const questionnaire *q;
	id_set *seen;
	int single; /* root is <patient>: one patient, then the end */
	int done;
} native_reader;

static void *native_open(const char *path, const reader_run *run)
{
	xml_stream *s = xml_stream_open(path, NULL);
	if (!s)
		return NULL;
	const char *root = xml_stream_root_name(s);
	const char *ns = xml_stream_root_ns(s);
	if ((strcmp(root, "patient") != 0 && strcmp(root, "patients") != 0) || ns) {
		diag(DIAG_ERROR, path, xml_stream_root_line(s),
		     "expected <patient> or <patients> with no namespace as the root element, found "
		     "<%s>%s%.100s",
		     root, ns ? " in namespace " : "", ns ? ns : "");
		xml_stream_close(s);
		return NULL;
	}
	native_reader *r = xcalloc(1, sizeof *r);
	r->stream = s;
	r->path = xstrdup(path);
	r->q = run->q;
	r->seen = run->seen;
	r->single = strcmp(root, "patient") == 0;
	return r;
}

static patient *native_next(void *state)
{
	native_reader *r = state;
	while (!r->done) {
		xnode *n = r->single ? xml_stream_read_root(r->stream) : xml_stream_next(r->stream);
		if (r->single || !n)
			r->done = 1;
		if (!n)
			return NULL;
		patient *p = native(n, "patient") ? patient_from_xml(n, r->path, r->q, r->seen)
		                                  : not_a_patient(n, r->path, r->q);
		xnode_free(n);
		return p;
	}
	return NULL;
}

static int native_failed(const void *state)
{
	const native_reader *r = state;
	return xml_stream_failed(r->stream);
}

static void native_close(void *state)
{
	native_reader *r = state;
	if (!r)
		return;
	xml_stream_close(r->stream);
	free(r->path);
	free(r);
}

const reader_format read_native_format = {"native XML",  native_open,  native_next,
                                          native_failed, native_close, NULL};
