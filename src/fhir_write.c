/* fhir_write.c: the Questionnaire and DocumentReferences, as jansson trees written as JSON
 * or, by FHIR's rules for its XML form, as XML. Members are added in the order the R4
 * schema gives them, which XML needs. */
#include "fhir_write.h"
#include "fhir.h"
#include "questionnaire.h"
#include "util.h"
#include "xml.h"

#include <jansson.h>
#include <math.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXT_MIN "http://hl7.org/fhir/StructureDefinition/minValue"
#define EXT_MAX "http://hl7.org/fhir/StructureDefinition/maxValue"

/* ---- writing either form ---- */

static void xml_member(xml_writer *w, const char *key, const json_t *v);

/* An object's members as child elements; in an extension, url is an attribute. */
static void xml_members(xml_writer *w, const json_t *obj, int is_extension)
{
	const char *key;
	json_t *v;
	if (is_extension && json_is_string(json_object_get(obj, "url")))
		xml_writer_attr(w, "url", json_string_value(json_object_get(obj, "url")));
	json_object_foreach((json_t *)obj, key, v)
	{
		if (strcmp(key, "resourceType") == 0 || (is_extension && strcmp(key, "url") == 0))
			continue;
		if (json_is_array(v)) {
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item) xml_member(w, key, item);
		} else {
			xml_member(w, key, v);
		}
	}
}

static void xml_resource(xml_writer *w, const json_t *res, int root)
{
	xml_writer_start(w, json_string_value(json_object_get(res, "resourceType")));
	if (root)
		xml_writer_attr(w, "xmlns", FHIR_NS);
	xml_members(w, res, 0);
	xml_writer_end(w);
}

static void xml_member(xml_writer *w, const char *key, const json_t *v)
{
	xml_writer_start(w, key);
	char num[32];
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		if (json_object_get(v, "resourceType"))
			xml_resource(w, v, 0);
		else
			xml_members(w, v,
			            strcmp(key, "extension") == 0 || strcmp(key, "modifierExtension") == 0);
		break;
	case JSON_STRING:
		xml_writer_attr(w, "value", json_string_value(v));
		break;
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		xml_writer_attr(w, "value", num);
		break;
	case JSON_REAL:
		snprintf(num, sizeof num, "%.15g", json_real_value(v));
		xml_writer_attr(w, "value", num);
		break;
	default:
		xml_writer_attr(w, "value", json_is_true(v) ? "true" : "false");
		break;
	}
	xml_writer_end(w);
}

/* Takes res; returns its text, ending in a newline. */
static char *resource_text(json_t *res, fhir_format format, int pretty)
{
	char *text;
	if (format == FHIR_XML) {
		xml_writer *w = xml_writer_new();
		xml_resource(w, res, 1);
		text = xml_writer_finish(w);
	} else {
		char *dumped =
		    json_dumps(res, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
		if (!dumped)
			abort(); /* jansson fails only for want of memory */
		strbuf sb = {0};
		sb_printf(&sb, "%s\n", dumped);
		free(dumped);
		text = sb_take(&sb);
	}
	json_decref(res);
	return text;
}

static json_t *coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_object();
	json_object_set_new(c, "system", json_string(system));
	json_object_set_new(c, "code", json_string(code));
	if (display)
		json_object_set_new(c, "display", json_string(display));
	return c;
}

/* A JSON number of a bound: an integer when it is whole. */
static json_t *bound(double v, const char **type)
{
	if (v == floor(v) && fabs(v) < 1e15) {
		*type = "valueInteger";
		return json_integer((json_int_t)v);
	}
	*type = "valueDecimal";
	return json_real(v);
}

static json_t *bound_extension(const char *url, double v)
{
	json_t *e = json_object();
	const char *type;
	json_t *value = bound(v, &type);
	json_object_set_new(e, "url", json_string(url));
	json_object_set_new(e, type, value);
	return e;
}

static const char *item_type(question_type t)
{
	switch (t) {
	case Q_INTEGER:
		return "integer";
	case Q_DECIMAL:
		return "decimal";
	case Q_BOOLEAN:
		return "boolean";
	case Q_CHOICE:
		return "choice";
	case Q_STRING:
		break;
	}
	return "string";
}

static json_t *question_item(const questionnaire *q, const question *qu)
{
	json_t *item = json_object();
	if (qu->has_min || qu->has_max) {
		json_t *ext = json_array();
		if (qu->has_min)
			json_array_append_new(ext, bound_extension(EXT_MIN, qu->min));
		if (qu->has_max)
			json_array_append_new(ext, bound_extension(EXT_MAX, qu->max));
		json_object_set_new(item, "extension", ext);
	}
	json_object_set_new(item, "linkId", json_string(qu->id));
	if (qu->loinc) {
		json_t *codes = json_array();
		json_array_append_new(codes, coding("http://loinc.org", qu->loinc, NULL));
		json_object_set_new(item, "code", codes);
	}
	json_object_set_new(item, "text", json_string(qu->text));
	json_object_set_new(item, "type", json_string(item_type(qu->type)));
	if (qu->required)
		json_object_set_new(item, "required", json_true());
	if (qu->multiple)
		json_object_set_new(item, "repeats", json_true());
	if (qu->nchoices) {
		strbuf system = {0};
		sb_printf(&system, "%s/CodeSystem/%s", FHIR_BASE, q->id);
		json_t *options = json_array();
		for (size_t i = 0; i < qu->nchoices; i++) {
			json_t *opt = json_object();
			json_object_set_new(opt, "valueCoding",
			                    coding(system.data, qu->choices[i].value, qu->choices[i].label));
			json_array_append_new(options, opt);
		}
		json_object_set_new(item, "answerOption", options);
		sb_free(&system);
	}
	return item;
}

char *fhir_questionnaire_text(const questionnaire *q, fhir_format format)
{
	json_t *r = json_object();
	strbuf url = {0};
	sb_printf(&url, "%s/Questionnaire/%s", FHIR_BASE, q->id);
	json_object_set_new(r, "resourceType", json_string("Questionnaire"));
	json_object_set_new(r, "id", json_string(q->id));
	json_object_set_new(r, "language", json_string("en"));
	json_object_set_new(r, "url", json_string(url.data));
	json_object_set_new(r, "version", json_string(q->version));
	json_object_set_new(r, "name", json_string("LbpAfterMassage"));
	if (q->title)
		json_object_set_new(r, "title", json_string(q->title));
	json_object_set_new(r, "status", json_string("active"));
	json_t *subjects = json_array();
	json_array_append_new(subjects, json_string("Patient"));
	json_object_set_new(r, "subjectType", subjects);
	json_t *items = json_array();
	for (size_t i = 0; i < q->nquestions; i++)
		json_array_append_new(items, question_item(q, &q->questions[i]));
	json_object_set_new(r, "item", items);
	sb_free(&url);
	return resource_text(r, format, 1);
}

/* ---- DocumentReference ---- */

char *fhir_document_line(const fhir_document *d)
{
	char hash[BASE64_ENCODE_RAW_LENGTH(20) + 1];
	base64_encode_raw(hash, 20, d->sha1);
	hash[BASE64_ENCODE_RAW_LENGTH(20)] = '\0';
	char id[41];
	for (int i = 0; i < 20; i++)
		snprintf(id + 2 * i, 3, "%02x", d->sha1[i]);
	json_t *r = json_object();
	json_object_set_new(r, "resourceType", json_string("DocumentReference"));
	json_object_set_new(r, "id", json_string(id)); /* the file's SHA-1: the same PDF, the same id */
	json_object_set_new(r, "status", json_string("current"));
	json_object_set_new(r, "docStatus", json_string("final"));
	json_t *type = json_object(), *codings = json_array();
	json_array_append_new(codings, coding("http://loinc.org", FHIR_DOC_LOINC, "Instructions"));
	json_object_set_new(type, "coding", codings);
	json_object_set_new(r, "type", type);
	/* A reference names only a Patient the inputs held with an id of its own; else the
	 * Patient's identifier; else there is no subject (a reference must never name a resource
	 * that does not exist: a server that checks refuses the import). */
	const char *bar = d->subject ? strchr(d->subject, '|') : NULL;
	if (d->subject && strncmp(d->subject, "Patient/", 8) == 0) {
		json_t *subj = json_object();
		json_object_set_new(subj, "reference", json_string(d->subject));
		json_object_set_new(r, "subject", subj);
	} else if (bar && bar[1]) {
		json_t *subj = json_object(), *ident = json_object();
		if (bar > d->subject)
			json_object_set_new(ident, "system",
			                    json_stringn(d->subject, (size_t)(bar - d->subject)));
		json_object_set_new(ident, "value", json_string(bar + 1));
		json_object_set_new(subj, "identifier", ident);
		json_object_set_new(r, "subject", subj);
	}
	/* date is an instant: the handout's date, at its start (UTC), so a run is reproducible. */
	strbuf instant = {0};
	sb_printf(&instant, "%sT00:00:00Z", d->date);
	json_object_set_new(r, "date", json_string(instant.data));
	sb_free(&instant);
	json_object_set_new(r, "description", json_string(d->title));

	json_t *att = json_object();
	json_object_set_new(att, "contentType", json_string("application/pdf"));
	json_object_set_new(att, "language", json_string(d->language));
	json_object_set_new(att, "url", json_string(d->file));
	json_object_set_new(att, "size", json_integer((json_int_t)d->size));
	json_object_set_new(att, "hash", json_string(hash));
	json_object_set_new(att, "title", json_string(d->title));
	json_t *content = json_array(), *c0 = json_object();
	json_object_set_new(c0, "attachment", att);
	json_array_append_new(content, c0);
	json_object_set_new(r, "content", content);

	if (d->source && strncmp(d->source, "QuestionnaireResponse/", 22) == 0) {
		/* a response known only by its urn:uuid in a client's Bundle has no id to name */
		json_t *ctx = json_object(), *related = json_array(), *ref = json_object();
		json_object_set_new(ref, "reference", json_string(d->source));
		json_array_append_new(related, ref);
		json_object_set_new(ctx, "related", related);
		json_object_set_new(r, "context", ctx);
	}
	return resource_text(r, FHIR_JSON, 0);
}

char *fhir_document_line_file(const char *line)
{
	json_t *r = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
	json_t *att = json_object_get(json_array_get(json_object_get(r, "content"), 0), "attachment");
	const char *url = json_string_value(json_object_get(att, "url"));
	const char *type = json_string_value(json_object_get(r, "resourceType"));
	char *file = url && type && strcmp(type, "DocumentReference") == 0 ? xstrdup(url) : NULL;
	json_decref(r);
	return file;
}
