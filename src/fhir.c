/* fhir.c: QuestionnaireResponses and Patients (FHIR R4) as handout's patients. */
#include "fhir.h"
#include "diag.h"
#include "questionnaire.h"
#include "util.h"
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define OUR_QUESTIONNAIRE "Questionnaire/lbp-after-massage"
/* Items nest in groups and in answers; deeper than this is not a form but an attack. */
#define MAX_ITEM_DEPTH 32

const char *fhir_value(const xnode *n, const char *name)
{
	const xnode *k = xnode_child(n, name);
	return k ? xnode_attr(k, "value") : NULL;
}

const xnode *fhir_inner_resource(const xnode *n)
{
	const xnode *r = xnode_child(n, "resource");
	if (r)
		n = r;
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i]->ns && strcmp(n->kids[i]->ns, FHIR_NS) == 0)
			return n->kids[i];
	return NULL;
}

int fhir_bundle_type_read(const char *type, const char *file, int line)
{
	static const char *const read[] = {"collection", "searchset", "transaction", "batch"};
	for (size_t i = 0; type && i < sizeof read / sizeof *read; i++)
		if (strcmp(type, read[i]) == 0)
			return 1;
	diag(DIAG_ERROR, file, line,
	     "a Bundle of type %s: handout reads collection, searchset, transaction and batch Bundles",
	     !type                    ? "(none)"
	     : patient_id_valid(type) ? type
	                              : "(unprintable)");
	return 0;
}

/* ---- what a handout keeps of a Patient ---- */

/* A Patient's printed fields in one allocation: id, name, birth date, language, phone,
 * address lines (joined by '\n'), fullUrl, and its identifier: the first one's system and
 * value (what a record system matches it by), and the first value that may be a patient id;
 * each NUL-terminated, empty when absent. */
enum {
	F_ID,
	F_NAME,
	F_BIRTH,
	F_LANGUAGE,
	F_PHONE,
	F_ADDRESS,
	F_FULL_URL,
	F_IDENT_SYSTEM,
	F_IDENT_VALUE,
	F_IDENT_ID,
	F_COUNT
};
typedef struct patient_record {
	char *field[F_COUNT];
} patient_record;

static patient_record *record_pack(char *const field[F_COUNT])
{
	size_t len = 0;
	for (int i = 0; i < F_COUNT; i++)
		len += (field[i] ? strlen(field[i]) : 0) + 1;
	patient_record *r = xmalloc(sizeof *r + len);
	char *at = (char *)(r + 1);
	for (int i = 0; i < F_COUNT; i++) {
		size_t n = field[i] ? strlen(field[i]) : 0;
		memcpy(at, field[i] ? field[i] : "", n + 1);
		r->field[i] = at;
		at += n + 1;
	}
	return r;
}

/* The child called name with the best rank (lowest; negative: never), or NULL. */
static const xnode *best_child(const xnode *n, const char *name, int (*rank)(const xnode *))
{
	const xnode *best = NULL;
	int best_rank = 0;
	for (size_t i = 0; i < n->nkids; i++) {
		if (strcmp(n->kids[i]->name, name) != 0)
			continue;
		int r = rank(n->kids[i]);
		if (r >= 0 && (!best || r < best_rank))
			best = n->kids[i], best_rank = r;
	}
	return best;
}

/* HumanName uses in the order a handout prefers them; a nickname, a maiden, old, temporary
 * or anonymous name is never printed. */
static int name_rank(const xnode *hn)
{
	const char *use = fhir_value(hn, "use");
	if (!use)
		return 2;
	return strcmp(use, "official") == 0 ? 0 : strcmp(use, "usual") == 0 ? 1 : -1;
}

/* "Given Given Family", else the name's text; NULL when the Patient has no printable name. */
static char *patient_name(const xnode *pt)
{
	const xnode *best = best_child(pt, "name", name_rank);
	if (!best)
		return NULL;
	strbuf sb = {0};
	for (size_t i = 0; i < best->nkids; i++)
		if (strcmp(best->kids[i]->name, "given") == 0 && xnode_attr(best->kids[i], "value"))
			sb_printf(&sb, "%s%s", sb.len ? " " : "", xnode_attr(best->kids[i], "value"));
	const char *family = fhir_value(best, "family");
	if (family)
		sb_printf(&sb, "%s%s", sb.len ? " " : "", family);
	if (sb.len == 0 && fhir_value(best, "text"))
		sb_append(&sb, fhir_value(best, "text"));
	if (sb.len == 0) {
		sb_free(&sb);
		return NULL;
	}
	char *name = text_normalize_space(sb.data);
	sb_free(&sb);
	return name;
}

/* A phone to call today: mobile first, then home, then any other not marked old. */
static int phone_rank(const xnode *t)
{
	const char *system = fhir_value(t, "system"), *use = fhir_value(t, "use");
	if (!system || strcmp(system, "phone") != 0 || !fhir_value(t, "value"))
		return -1;
	if (!use)
		return 2;
	return strcmp(use, "mobile") == 0 ? 0
	       : strcmp(use, "home") == 0 ? 1
	       : strcmp(use, "old") == 0  ? -1
	                                  : 3;
}

/* The address to post to: home first, then one with no use, then work; never an old one. */
static int address_rank(const xnode *a)
{
	const char *use = fhir_value(a, "use");
	if (!use)
		return 1;
	return strcmp(use, "home") == 0 ? 0 : strcmp(use, "work") == 0 ? 2 : -1;
}

static int is_us(const char *country)
{
	return country && (strcasecmp(country, "US") == 0 || strcasecmp(country, "USA") == 0 ||
	                   strcasecmp(country, "United States") == 0);
}

/* An Address as the lines of an envelope, joined by '\n': its lines, then "12345 City" (or
 * "City, ST 12345" in the US), then the country. NULL when it has nothing to post to. */
static char *address_lines(const xnode *a)
{
	strbuf sb = {0};
	for (size_t i = 0; i < a->nkids; i++)
		if (strcmp(a->kids[i]->name, "line") == 0 && xnode_attr(a->kids[i], "value"))
			sb_printf(&sb, "%s%s", sb.len ? "\n" : "", xnode_attr(a->kids[i], "value"));
	const char *city = fhir_value(a, "city"), *state = fhir_value(a, "state");
	const char *postal = fhir_value(a, "postalCode"), *country = fhir_value(a, "country");
	strbuf place = {0};
	if (is_us(country)) {
		sb_printf(&place, "%s%s%s", city ? city : "", city && state ? ", " : "", state ? state : "");
		if (postal)
			sb_printf(&place, "%s%s", place.len ? " " : "", postal);
	} else {
		sb_printf(&place, "%s%s%s", postal ? postal : "", postal && city ? " " : "",
		          city ? city : "");
		if (state)
			sb_printf(&place, "%s%s", place.len ? " " : "", state);
	}
	if (place.len)
		sb_printf(&sb, "%s%s", sb.len ? "\n" : "", place.data);
	sb_free(&place);
	if (country)
		sb_printf(&sb, "%s%s", sb.len ? "\n" : "", country);
	if (sb.len == 0 && fhir_value(a, "text"))
		sb_append(&sb, fhir_value(a, "text"));
	return sb.len ? sb_take(&sb) : (sb_free(&sb), NULL);
}

/* The preferred language's code, else the first one given. */
static const char *patient_language(const xnode *pt)
{
	const char *first = NULL;
	for (size_t i = 0; i < pt->nkids; i++) {
		const xnode *c = pt->kids[i];
		if (strcmp(c->name, "communication") != 0)
			continue;
		const xnode *lang = xnode_child(c, "language");
		const xnode *coding = lang ? xnode_child(lang, "coding") : NULL;
		const char *code = coding ? fhir_value(coding, "code") : NULL;
		if (!code)
			continue;
		const char *pref = fhir_value(c, "preferred");
		if (pref && strcmp(pref, "true") == 0)
			return code;
		if (!first)
			first = code;
	}
	return first;
}

static patient_record *record_from_patient(const xnode *pt, const char *full_url)
{
	const xnode *tel = best_child(pt, "telecom", phone_rank);
	const xnode *addr = best_child(pt, "address", address_rank);
	char *name = patient_name(pt), *address = addr ? address_lines(addr) : NULL;
	const xnode *ident = NULL;
	const char *ident_id = NULL;
	for (size_t i = 0; i < pt->nkids; i++) {
		const xnode *k = pt->kids[i];
		const char *v = strcmp(k->name, "identifier") == 0 ? fhir_value(k, "value") : NULL;
		if (v && !ident)
			ident = k;
		if (v && !ident_id && patient_id_valid(v))
			ident_id = v;
	}
	char *field[F_COUNT] = {
	    (char *)fhir_value(pt, "id"),
	    name,
	    (char *)fhir_value(pt, "birthDate"),
	    (char *)patient_language(pt),
	    tel ? (char *)fhir_value(tel, "value") : NULL,
	    address,
	    (char *)full_url,
	    ident ? (char *)fhir_value(ident, "system") : NULL,
	    ident ? (char *)fhir_value(ident, "value") : NULL,
	    (char *)ident_id,
	};
	patient_record *r = record_pack(field);
	free(name);
	free(address);
	return r;
}

/* ---- the index ---- */

/* The records, and two tables into them: by "Patient/<id>"'s id and by fullUrl, each key
 * borrowed from its record (a record lives as long as the index, even when a later Patient
 * with the same id replaces it in the table). */
typedef struct fhir_patients {
	patient_record **records;
	size_t nrecords, records_cap;
	strmap *by_id, *by_url;
} fhir_patients;

static fhir_patients *fhir_patients_new(void)
{
	fhir_patients *ix = xcalloc(1, sizeof *ix);
	ix->by_id = strmap_new(STRMAP_BORROW);
	ix->by_url = strmap_new(STRMAP_BORROW);
	return ix;
}

static void fhir_patients_free(fhir_patients *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nrecords; i++)
		free(ix->records[i]);
	free(ix->records);
	strmap_free(ix->by_id);
	strmap_free(ix->by_url);
	free(ix);
}

static const patient_record *index_get(const fhir_patients *ix, int by_url, const char *key)
{
	return strmap_get(by_url ? ix->by_url : ix->by_id, key);
}

/* The FHIR readers' context over a run (fhir_family, below). */
typedef struct fhir_responses fhir_responses;
typedef struct fhir_run {
	fhir_patients *patients;   /* the Patients of this reading so far */
	fhir_responses *responses; /* every patient's responses, from the first reading */
} fhir_run;

static void fhir_patients_add(fhir_patients *ix, const xnode *pt, const char *full_url, const char *file)
{
	const char *id = fhir_value(pt, "id");
	if (id ? !patient_id_valid(id) : !full_url) {
		diag(DIAG_WARNING, file, pt->line, "a Patient with %s is skipped (responses cannot name it)",
		     id ? "a malformed id" : "neither an id nor a fullUrl");
		return;
	}
	patient_record *r = record_from_patient(pt, full_url);
	grow_array((void **)&ix->records, &ix->records_cap, ix->nrecords + 1, sizeof *ix->records);
	ix->records[ix->nrecords++] = r;
	if (*r->field[F_ID])
		strmap_put(ix->by_id, r->field[F_ID], r);
	if (*r->field[F_FULL_URL])
		strmap_put(ix->by_url, r->field[F_FULL_URL], r);
}

/* ---- a response ---- */

/* The id in a reference ".../Patient/<id>" (a version "/_history/n" dropped), into buf;
 * NULL when it names no Patient. */
static const char *patient_ref_id(const char *ref, char *buf, size_t size)
{
	const char *at = NULL;
	for (const char *s = strstr(ref, "Patient/"); s; s = strstr(s + 1, "Patient/"))
		if (s == ref || s[-1] == '/')
			at = s + strlen("Patient/");
	if (!at)
		return NULL;
	size_t n = strcspn(at, "/");
	if (n == 0 || n >= size)
		return NULL;
	memcpy(buf, at, n);
	buf[n] = '\0';
	return buf;
}

/* A contained resource of r with this local id. */
static const xnode *contained(const xnode *r, const char *id)
{
	for (size_t i = 0; i < r->nkids; i++) {
		if (strcmp(r->kids[i]->name, "contained") != 0)
			continue;
		const xnode *c = fhir_inner_resource(r->kids[i]);
		const char *cid = c ? fhir_value(c, "id") : NULL;
		if (cid && strcmp(cid, id) == 0)
			return c;
	}
	return NULL;
}

/* Whom the response is about: its Patient's record (owned by the index, or *own for a
 * contained one), the patient id to use, and what a record system knows the Patient by.
 * Returns -1 after reporting in p. */
typedef struct subject {
	const patient_record *record;
	patient_record *own;
	char id[80];
	int unresolved;  /* a Patient named by a reference that no input holds */
	char *reference; /* "Patient/<id>" of a Patient in the inputs with an id of its own, else its
	                  * identifier as "system|value", else NULL (a reference must never name a
	                  * resource that does not exist) */
} subject;

/* The uuid of a "urn:uuid:" fullUrl when it may be a patient id, else NULL. */
static const char *uuid_of(const char *full_url)
{
	if (!full_url || strncmp(full_url, "urn:uuid:", 9) != 0)
		return NULL;
	return patient_id_valid(full_url + 9) ? full_url + 9 : NULL;
}

/* The id of a patient whose Patient has none of its own (contained, or known only by its
 * fullUrl): the response's id, else the Patient's first identifier that may be an id, else
 * the response's fullUrl uuid (a client's transaction Bundle names both only by urn:uuid). */
static int id_without_patient_id(subject *s, const char *resp_id, const char *full_url)
{
	const char *id = resp_id                                      ? resp_id
	                 : s->record && *s->record->field[F_IDENT_ID] ? s->record->field[F_IDENT_ID]
	                                                              : uuid_of(full_url);
	if (!id)
		return -1;
	snprintf(s->id, sizeof s->id, "%s", id);
	return 0;
}

/* A Patient known by its identifier: "system|value" (a FHIR token). */
static char *identifier_token(const patient_record *r)
{
	if (!r || !*r->field[F_IDENT_VALUE])
		return NULL;
	strbuf sb = {0};
	sb_printf(&sb, "%s|%s", r->field[F_IDENT_SYSTEM], r->field[F_IDENT_VALUE]);
	return sb_take(&sb);
}

static int resolve_subject(patient *p, const xnode *qr, const char *full_url, const reader_run *run,
                           subject *s)
{
	const char *resp_id = fhir_value(qr, "id");
	const xnode *subj = xnode_child(qr, "subject");
	const char *ref = subj ? fhir_value(subj, "reference") : NULL;
	memset(s, 0, sizeof *s);
	if (!ref) {
		if (id_without_patient_id(s, resp_id, full_url) != 0) {
			patient_reject(p, qr->line, NULL,
			               "the response has neither a subject nor an id to name the patient by");
			return -1;
		}
		return 0;
	}
	int line = subj->line;
	if (ref[0] == '#') {
		/* A contained Patient's id is local to its response ("#patient" in every one of
		 * them), so the response's own id names the patient. */
		const xnode *pt = contained(qr, ref + 1);
		if (!pt || strcmp(pt->name, "Patient") != 0) {
			patient_reject(p, line, NULL,
			               "the subject names a contained resource that is not a Patient held by "
			               "the response");
			return -1;
		}
		s->own = record_from_patient(pt, NULL);
		s->record = s->own;
		s->reference = identifier_token(s->record);
		if (id_without_patient_id(s, resp_id, full_url) != 0) {
			patient_reject(p, qr->line, NULL,
			               "the response has a contained Patient but no id, identifier or "
			               "fullUrl uuid to name the patient by");
			return -1;
		}
		return 0;
	}
	const fhir_patients *ix = ((const fhir_run *)run->context)->patients;
	s->record = index_get(ix, 1, ref);
	char buf[80];
	const char *id = patient_ref_id(ref, buf, sizeof buf);
	if (!s->record && id)
		s->record = index_get(ix, 0, id);
	if (s->record && *s->record->field[F_ID]) {
		snprintf(s->id, sizeof s->id, "%s", s->record->field[F_ID]);
		strbuf sb = {0};
		sb_printf(&sb, "Patient/%s", s->record->field[F_ID]);
		s->reference = sb_take(&sb);
		return 0;
	}
	if (s->record) {
		/* A Patient known only by its fullUrl (urn:uuid) has no id a server knows. */
		s->reference = identifier_token(s->record);
		if (id_without_patient_id(s, resp_id, full_url) == 0)
			return 0;
		patient_reject(p, line, NULL,
		               "neither the response nor its Patient has an id, an identifier or a urn:uuid "
		               "fullUrl to name the patient by");
		return -1;
	}
	if (!id) {
		patient_reject(
		    p, line, NULL,
		    "the subject is not a Patient in the inputs (give the Patients before the responses)");
		return -1;
	}
	snprintf(s->id, sizeof s->id, "%s", id);
	s->unresolved = 1;
	return 0;
}

/* The questionnaire a response answers must be ours: "...Questionnaire/lbp-after-massage",
 * version 1 when one is given ("|1"). */
static int check_questionnaire(patient *p, const xnode *qr)
{
	const xnode *qn = xnode_child(qr, "questionnaire");
	const char *url = qn ? xnode_attr(qn, "value") : NULL;
	int line = qn ? qn->line : qr->line;
	if (!url) {
		patient_reject(p, line, NULL,
		               "the response names no questionnaire; handout reads responses to %s",
		               OUR_QUESTIONNAIRE);
		return -1;
	}
	size_t n = strcspn(url, "|"), k = strlen(OUR_QUESTIONNAIRE);
	const char *version = url[n] ? url + n + 1 : NULL;
	int ours =
	    n >= k && memcmp(url + n - k, OUR_QUESTIONNAIRE, k) == 0 && (n == k || url[n - k - 1] == '/');
	if (ours && (!version || strcmp(version, p->questionnaire->version) == 0))
		return 0;
	/* The URL is not patient data, but it is printed only when it is short plain text. */
	int plain = strlen(url) <= 200;
	for (const char *s = url; *s && plain; s++)
		plain = *s > ' ' && *s < 0x7f;
	if (ours)
		patient_reject(
		    p, line, NULL, "the response answers version %s of %s; handout reads version %s",
		    plain ? version : "(unprintable)", OUR_QUESTIONNAIRE, p->questionnaire->version);
	else
		patient_reject(p, line, NULL, "the response is for questionnaire %s, not %s",
		               plain ? url : "(unprintable)", OUR_QUESTIONNAIRE);
	return -1;
}

static int check_status(patient *p, const xnode *qr)
{
	const xnode *st = xnode_child(qr, "status");
	const char *status = st ? xnode_attr(st, "value") : NULL;
	if (status && (strcmp(status, "completed") == 0 || strcmp(status, "amended") == 0))
		return 0;
	patient_reject(p, st ? st->line : qr->line, NULL,
	               "the response's status is %s%s%s: only completed or amended responses are printed",
	               status && patient_id_valid(status) ? "'" : "",
	               status ? patient_id_valid(status) ? status : "unknown" : "missing",
	               status && patient_id_valid(status) ? "'" : "");
	return -1;
}

/* A whole decimal written as one ("6.0", "6.00") loses its zero fraction: the question
 * takes a whole number and the value is one. Anything else is left for patient.c to judge. */
static char *whole_decimal(const char *v)
{
	const char *dot = strchr(v, '.');
	if (dot && dot > v && dot[1] && strspn(dot + 1, "0") == strlen(dot + 1))
		return xstrndup(v, (size_t)(dot - v));
	return xstrdup(v);
}

/* What is wrong with value[x] element v of this type, as FHIR types it: from JSON (its
 * "json" attribute, read_fhir_json.c) it must have its JSON type and not be a list; from
 * XML a boolean is "true" or "false". NULL when nothing is. */
static const char *value_type_fault(const xnode *v, const char *type, const char *text)
{
	const char *json = xnode_attr(v, "json");
	if (strcmp(type, "valueQuantity") == 0 || strcmp(type, "valueCoding") == 0) {
		const xnode *k = xnode_child(v, strcmp(type, "valueQuantity") == 0 ? "value" : "code");
		json = k ? xnode_attr(k, "json") : NULL;
		if (xnode_attr(v, "json")) /* an object given where one value goes, or a list of them */
			return strstr(xnode_attr(v, "json"), "[]") ? "is a list; an answer holds one value"
			                                           : NULL;
	}
	if (json && strstr(json, "[]"))
		return "is a list; an answer holds one value";
	int number = json && (strcmp(json, "integer") == 0 || strcmp(json, "decimal") == 0);
	if (strcmp(type, "valueInteger") == 0)
		return json && strcmp(json, "integer") != 0
		           ? "must be a JSON integer (a number without a fraction or exponent)"
		           : NULL;
	if (strcmp(type, "valueDecimal") == 0 || strcmp(type, "valueQuantity") == 0)
		return json && !number ? "must be a JSON number" : NULL;
	if (strcmp(type, "valueBoolean") == 0) {
		if (json)
			return strcmp(json, "boolean") != 0 ? "must be a JSON true or false" : NULL;
		return strcmp(text, "true") != 0 && strcmp(text, "false") != 0 ? "must be true or false"
		                                                               : NULL;
	}
	return json && strcmp(json, "string") != 0 ? "must be a JSON string" : NULL;
}

/* One answer's value[x] as the text patient.c reads, or NULL after reporting: exactly one
 * value[x] of a type handout reads, with its FHIR type. */
static char *answer_value(patient *p, const xnode *ans, const char *qid)
{
	const xnode *v = NULL;
	for (size_t i = 0; i < ans->nkids; i++) {
		if (strncmp(ans->kids[i]->name, "value", 5) != 0)
			continue;
		const char *json = xnode_attr(ans->kids[i], "json");
		if (!v && json && strstr(json, "[]")) {
			patient_refuse_answer(
			    p, qid, ans->kids[i]->line, "%s is a list; an answer holds one value",
			    patient_id_valid(ans->kids[i]->name) ? ans->kids[i]->name : "value[x]");
			return NULL;
		}
		if (v) {
			patient_refuse_answer(
			    p, qid, ans->kids[i]->line, "an answer holds more than one value[x] (%s and %s)",
			    patient_id_valid(v->name) ? v->name : "?",
			    patient_id_valid(ans->kids[i]->name) ? ans->kids[i]->name : "?");
			return NULL;
		}
		v = ans->kids[i];
	}
	if (!v) {
		patient_refuse_answer(p, qid, ans->line, "%s", "an answer with no value");
		return NULL;
	}
	const char *type = v->name;
	const char *text = NULL;
	if (strcmp(type, "valueInteger") == 0 || strcmp(type, "valueBoolean") == 0 ||
	    strcmp(type, "valueString") == 0 || strcmp(type, "valueDecimal") == 0)
		text = xnode_attr(v, "value");
	else if (strcmp(type, "valueQuantity") == 0)
		text = fhir_value(v, "value");
	else if (strcmp(type, "valueCoding") == 0)
		text = fhir_value(v, "code");
	else {
		patient_refuse_answer(p, qid, v->line,
		                      "answers of type %s are not read (valueInteger, valueDecimal, "
		                      "valueQuantity, valueBoolean, valueCoding or valueString)",
		                      patient_id_valid(type) ? type : "(unknown)");
		return NULL;
	}
	if (!text) {
		patient_refuse_answer(p, qid, v->line, "%s without a %s", type,
		                      strcmp(type, "valueCoding") == 0 ? "code" : "value");
		return NULL;
	}
	const char *fault = value_type_fault(v, type, text);
	if (fault) {
		patient_refuse_answer(p, qid, v->line, "%s%s %s", type,
		                      strcmp(type, "valueCoding") == 0     ? ".code"
		                      : strcmp(type, "valueQuantity") == 0 ? ".value"
		                                                           : "",
		                      fault);
		return NULL;
	}
	return strcmp(type, "valueDecimal") == 0 || strcmp(type, "valueQuantity") == 0 ? whole_decimal(text)
	                                                                               : xstrdup(text);
}

/* Every answer of every item, at any depth of groups and of items under answers. */
static void read_items(patient *p, const xnode *parent, int depth)
{
	for (size_t i = 0; i < parent->nkids; i++) {
		const xnode *item = parent->kids[i];
		if (strcmp(item->name, "item") != 0)
			continue;
		if (depth >= MAX_ITEM_DEPTH) {
			patient_reject(p, item->line, NULL, "items nested deeper than %d", MAX_ITEM_DEPTH);
			return;
		}
		const char *qid = fhir_value(item, "linkId");
		for (size_t k = 0; k < item->nkids; k++) {
			const xnode *ans = item->kids[k];
			if (strcmp(ans->name, "answer") != 0)
				continue;
			if (!qid) {
				patient_reject(p, ans->line, NULL, "an answer in an item with no linkId");
				break;
			}
			char *v = answer_value(p, ans, qid);
			if (v)
				patient_add_answer(p, qid, v, ans->line);
			free(v);
			read_items(p, ans, depth + 1);
		}
		read_items(p, item, depth + 1);
	}
}

/* A birthDate may be partial ("1968", "1968-04"); only a whole date is printed. */
static void set_birth_date(patient *p, const char *date, int line)
{
	if (strlen(date) == 10)
		patient_set_birth_date(p, xstrdup(date), line);
	else
		diag(DIAG_WARNING, p->file, line,
		     "patient %s: the birth date is not a whole date and is not printed", p->id);
}

static void set_fields(patient *p, const patient_record *r, int line)
{
	if (*r->field[F_NAME])
		patient_set_name(p, xstrdup(r->field[F_NAME]), line);
	if (*r->field[F_BIRTH])
		set_birth_date(p, r->field[F_BIRTH], line);
	if (*r->field[F_LANGUAGE])
		patient_set_language(p, xstrdup(r->field[F_LANGUAGE]), line);
	if (*r->field[F_PHONE])
		patient_set_phone(p, xstrdup(r->field[F_PHONE]), line);
	for (const char *s = r->field[F_ADDRESS]; *s;) {
		size_t n = strcspn(s, "\n");
		patient_add_address_line(p, xstrndup(s, n), line);
		s += n + (s[n] == '\n');
	}
}

/* ---- several responses for one patient ---- */

/* A patient's responses as the first reading found them: how many may be printed, and the
 * one that is (the latest authored; of two as late, the later in the inputs), by its place
 * in the order responses are read, which the second reading follows exactly. */
typedef struct response_slot {
	uint64_t key;     /* fingerprint of the patient id; 0: empty */
	int64_t authored; /* the printed one's authored instant (ms since 1970, UTC); INT64_MIN: none */
	uint32_t ordinal; /* the printed one's place */
	uint32_t printable;
	int line;      /* where the printed one is */
	uint32_t file; /* index into files */
} response_slot;

struct fhir_responses {
	response_slot *slots;
	size_t cap, used;
	uint32_t next; /* responses read so far, this reading */
	char **files;
	size_t nfiles, files_cap;
};

static fhir_responses *fhir_responses_new(void)
{
	fhir_responses *t = xcalloc(1, sizeof *t);
	t->cap = 1024;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	return t;
}

static void fhir_responses_free(fhir_responses *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nfiles; i++)
		free(t->files[i]);
	free(t->files);
	free(t->slots);
	free(t);
}

/* ---- the FHIR readers' context over a run ---- */

static void *fhir_run_new(void)
{
	fhir_run *fr = xcalloc(1, sizeof *fr);
	fr->patients = fhir_patients_new();
	fr->responses = fhir_responses_new();
	return fr;
}

/* The second reading meets the Patients again, in order: a response still finds only those
 * before it. Its responses are counted again from the first. */
static void fhir_run_rewind(void *context)
{
	fhir_run *fr = context;
	fhir_patients_free(fr->patients);
	fr->patients = fhir_patients_new();
	fr->responses->next = 0;
}

static void fhir_run_free(void *context)
{
	fhir_run *fr = context;
	fhir_patients_free(fr->patients);
	fhir_responses_free(fr->responses);
	free(fr);
}

const reader_family fhir_family = {fhir_run_new, fhir_run_rewind, fhir_run_free};

void fhir_add_patient(const reader_run *run, const xnode *pt, const char *full_url, const char *file)
{
	fhir_patients_add(((fhir_run *)run->context)->patients, pt, full_url, file);
}

static uint64_t id_key(const char *id)
{
	uint64_t h = hash_fnv1a(id) * 0x9e3779b97f4a7c15ULL;
	h ^= h >> 31;
	return h ? h : 1;
}

static response_slot *response_find(fhir_responses *t, uint64_t key, int add)
{
	if (add && (t->used + 1) * 2 > t->cap) {
		response_slot *old = t->slots;
		size_t old_cap = t->cap;
		t->cap *= 2;
		t->slots = xcalloc(t->cap, sizeof *t->slots);
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].key) {
				size_t k = (size_t)old[i].key & (t->cap - 1);
				while (t->slots[k].key)
					k = (k + 1) & (t->cap - 1);
				t->slots[k] = old[i];
			}
		free(old);
	}
	size_t k = (size_t)key & (t->cap - 1);
	while (t->slots[k].key && t->slots[k].key != key)
		k = (k + 1) & (t->cap - 1);
	if (t->slots[k].key)
		return &t->slots[k];
	if (!add)
		return NULL;
	t->used++;
	t->slots[k] = (response_slot){key, INT64_MIN, 0, 0, 0, 0};
	return &t->slots[k];
}

static uint32_t file_index(fhir_responses *t, const char *file)
{
	if (t->nfiles && strcmp(t->files[t->nfiles - 1], file) == 0)
		return (uint32_t)t->nfiles - 1;
	ARRAY_PUSH(t->files, t->nfiles, t->files_cap, xstrdup(file));
	return (uint32_t)t->nfiles - 1;
}

/* A FHIR dateTime as ms since 1970 (UTC): a partial one at its start, one without a zone as
 * UTC. INT64_MIN when it is missing or not one. */
static int64_t instant_ms(const char *v)
{
	int y = 0, mo = 1, d = 1, h = 0, mi = 0, sec = 0, n = 0;
	if (!v || sscanf(v, "%4d%n", &y, &n) != 1 || n != 4)
		return INT64_MIN;
	const char *p = v + 4;
	if (*p == '-' && (sscanf(p, "-%2d%n", &mo, &n) != 1 || n != 3 || (p += 3, 0)))
		return INT64_MIN;
	if (*p == '-' && (sscanf(p, "-%2d%n", &d, &n) != 1 || n != 3 || (p += 3, 0)))
		return INT64_MIN;
	int64_t ms = 0, zone_min = 0;
	if (*p == 'T') {
		if (sscanf(p, "T%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 9)
			return INT64_MIN;
		p += 9;
		if (*p == '.') {
			int digits = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				if (digits++ < 3)
					ms = ms * 10 + (*p - '0');
			for (; digits < 3; digits++)
				ms *= 10;
		}
		int zh, zm;
		if (*p == 'Z')
			p++;
		else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d%n", &zh, &zm, &n) == 2 &&
		         n == 5) {
			zone_min = (zh * 60 + zm) * (*p == '-' ? -1 : 1);
			p += 6;
		} else
			return INT64_MIN;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60)
		return INT64_MIN;
	/* days since 1970 (the civil calendar, proleptic Gregorian) */
	int64_t yy = y - (mo <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return ((days * 86400 + h * 3600 + mi * 60 + sec) - zone_min * 60) * 1000 + ms;
}

static void instant_text(int64_t ms, char *buf, size_t size)
{
	if (ms == INT64_MIN) {
		snprintf(buf, size, "no date");
		return;
	}
	time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* How a response is named in a message: QuestionnaireResponse/<id>, else its fullUrl. */
static void response_name(const xnode *qr, const char *full_url, char *buf, size_t size)
{
	const char *id = fhir_value(qr, "id");
	if (id && patient_id_valid(id))
		snprintf(buf, size, "QuestionnaireResponse/%s", id);
	else if (uuid_of(full_url))
		snprintf(buf, size, "%s", full_url);
	else
		snprintf(buf, size, "with no id");
}

patient *fhir_response_patient(const xnode *qr, const char *full_url, const char *file, const reader_run *run)
{
	fhir_responses *t = ((fhir_run *)run->context)->responses;
	uint32_t ordinal = t->next++;
	patient *p = patient_new(file, qr->line, run->q);
	subject s;
	if (resolve_subject(p, qr, full_url, run, &s) != 0) {
		if (run->surveying)
			patient_free(p), p = NULL;
		goto done;
	}
	/* May it be printed? Asked quietly first: when another response of the patient is
	 * printed, this one is a warning, not the patient's error. */
	patient *scratch = patient_new(file, qr->line, run->q);
	diag_mute(1);
	int ours = check_questionnaire(scratch, qr) == 0, status_ok = check_status(scratch, qr) == 0;
	diag_mute(0);
	int printable = ours && status_ok;
	patient_free(scratch);
	const xnode *authored = xnode_child(qr, "authored");
	const char *when = authored ? xnode_attr(authored, "value") : NULL;
	if (run->surveying) {
		response_slot *rs = response_find(t, id_key(s.id), 1);
		int64_t at = instant_ms(when);
		if (printable && (rs->printable == 0 || at >= rs->authored)) {
			rs->authored = at, rs->ordinal = ordinal, rs->line = qr->line;
			rs->file = file_index(t, file);
		}
		rs->printable += printable;
		patient_free(p);
		p = NULL;
		goto done;
	}
	const response_slot *rs = response_find(t, id_key(s.id), 0);
	if (rs && rs->printable && (!printable || rs->ordinal != ordinal)) {
		char self[120], a[32], b[32];
		response_name(qr, full_url, self, sizeof self);
		instant_text(instant_ms(when), a, sizeof a);
		instant_text(rs->authored, b, sizeof b);
		const char *st = fhir_value(qr, "status");
		if (printable)
			diag(DIAG_WARNING, file, qr->line,
			     "patient %s: response %s (authored %s) is superseded by the one at %s:%d "
			     "(authored %s), which is printed",
			     s.id, self, a, t->files[rs->file], rs->line, b);
		else
			diag(DIAG_WARNING, file, qr->line,
			     "patient %s: response %s is not printed: %s%s (the one at %s:%d is)", s.id, self,
			     !ours ? "it answers another questionnaire" : "its status is ",
			     !ours                  ? ""
			     : !st                  ? "missing"
			     : patient_id_valid(st) ? st
			                            : "unknown",
			     t->files[rs->file], rs->line);
		patient_free(p);
		p = NULL;
		goto done;
	}
	/* A response that is not printed never claims its patient's id: a second draft is not a
	 * duplicate. */
	if (patient_set_id(p, s.id, qr->line, printable ? run->seen : NULL) != 0 && strcmp(p->id, "?") == 0)
		goto done;
	if (check_questionnaire(p, qr) != 0 || check_status(p, qr) != 0)
		goto done;
	const char *resp_id = fhir_value(qr, "id");
	if (resp_id && patient_id_valid(resp_id)) {
		strbuf src = {0};
		sb_printf(&src, "QuestionnaireResponse/%s", resp_id);
		p->source = sb_take(&src);
	} else if (full_url) {
		p->source = xstrdup(full_url);
	}
	p->subject = s.reference, s.reference = NULL;
	if (s.unresolved)
		diag(DIAG_WARNING, file, qr->line,
		     "patient %s: the Patient is not among the inputs; the handout carries the id, no name",
		     p->id);
	if (s.record)
		set_fields(p, s.record,
		           xnode_child(qr, "subject") ? xnode_child(qr, "subject")->line : qr->line);
	if (when && strlen(when) >= 10) {
		char date[11];
		memcpy(date, when, 10);
		date[10] = '\0';
		patient_set_date(p, date, authored->line);
	}
	read_items(p, qr, 0);
	patient_finish(p, qr->line);
done:
	free(s.reference);
	free(s.own);
	return p;
}

/* ---- what a file held ---- */

void fhir_census_add(fhir_census *c, const char *type)
{
	if (strcmp(type, "QuestionnaireResponse") == 0) {
		c->responses++;
		return;
	}
	if (strcmp(type, "Patient") == 0) {
		c->patients++;
		return;
	}
	c->others++;
	for (size_t i = 0; i < c->ntypes; i++)
		if (strcmp(c->other_types[i], type) == 0)
			return;
	if (c->ntypes < 4)
		snprintf(c->other_types[c->ntypes++], sizeof c->other_types[0], "%s",
		         patient_id_valid(type) ? type : "?");
	else
		c->more_types = 1;
}

int fhir_census_check(const fhir_census *c, const char *path, int more_inputs)
{
	if (c->responses)
		return 0;
	if (c->patients && more_inputs && !c->others) {
		diag(DIAG_NOTE, path, 0, "%zu Patient%s, for the responses in the files after it",
		     c->patients, c->patients == 1 ? "" : "s");
		return 0;
	}
	strbuf held = {0};
	if (c->patients)
		sb_printf(&held, "%zu Patient%s", c->patients, c->patients == 1 ? "" : "s");
	for (size_t i = 0; i < c->ntypes; i++)
		sb_printf(&held, "%s%s", held.len ? ", " : "", c->other_types[i]);
	if (c->more_types)
		sb_append(&held, ", ...");
	diag(DIAG_ERROR, path, 0, "holds no QuestionnaireResponse (it holds %s)%s",
	     held.len ? held.data : "nothing",
	     c->patients && !c->others ? "; give the responses in a file after it" : "");
	sb_free(&held);
	return 1;
}
