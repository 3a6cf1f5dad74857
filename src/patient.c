/* patient.c: one patient, built field by field by a reader and checked once here. */
#include "patient.h"
#include "questionnaire.h"
#include "diag.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_ID_LEN 64
/* What a handout prints of a patient has a length a page can hold; more is a data error
 * (and would cost minutes of layout): characters of a name or of an address line, the
 * address's lines, a language tag's bytes, a phone number's characters. */
#define MAX_NAME_CHARS 200
#define MAX_ADDRESS_LINES 10
#define MAX_LANGUAGE_LEN 35
#define MAX_PHONE_CHARS 40

/* Characters (not bytes) of a UTF-8 string. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

const char *patient_display_name(const patient *p)
{
	return p->name && *p->name ? p->name : p->id;
}

int patient_answered(const patient *p, int qi)
{
	return qi >= 0 && (size_t)qi < p->nanswers && p->answers[qi].nvalues > 0;
}

void patient_free(patient *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nanswers; i++) {
		for (size_t k = 0; k < p->answers[i].nvalues; k++)
			free(p->answers[i].values[k]);
		free(p->answers[i].values);
	}
	for (size_t i = 0; i < p->naddress; i++)
		free(p->address[i]);
	free(p->address);
	free(p->answers);
	free(p->id), free(p->name), free(p->birth_date), free(p->language), free(p->phone), free(p->source),
	    free(p->subject);
	free(p->date), free(p->file), free(p->error);
	free(p);
}

/* ---- the set of ids seen in a run ---- */

/* Ids are kept as 64-bit fingerprints (16 bytes a patient with the table's slack), so a
 * run of a million patients stays small; two different ids share a fingerprint with a
 * chance of about 1 in 10^7 for a million patients. */
struct id_set {
	uint64_t *slots; /* 0: empty */
	size_t cap, count;
};

static uint64_t fingerprint_id(const char *s)
{
	uint64_t h = hash_fnv1a(s);
	/* Finalise (splitmix64) so that close ids spread over the table. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}

id_set *id_set_new(void)
{
	id_set *s = xcalloc(1, sizeof *s);
	s->cap = 1024;
	s->slots = xcalloc(s->cap, sizeof *s->slots);
	return s;
}

static int id_set_insert(id_set *s, uint64_t h)
{
	size_t i = (size_t)h & (s->cap - 1);
	while (s->slots[i]) {
		if (s->slots[i] == h)
			return 0;
		i = (i + 1) & (s->cap - 1);
	}
	s->slots[i] = h;
	s->count++;
	return 1;
}

int id_set_add(id_set *s, const char *id)
{
	if ((s->count + 1) * 2 > s->cap) {
		uint64_t *old = s->slots;
		size_t oldcap = s->cap;
		s->cap *= 2;
		s->slots = xcalloc(s->cap, sizeof *s->slots);
		s->count = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				id_set_insert(s, old[i]);
		free(old);
	}
	return id_set_insert(s, fingerprint_id(id));
}

void id_set_free(id_set *s)
{
	if (!s)
		return;
	free(s->slots);
	free(s);
}

/* ---- one patient ---- */

/* Reports a problem with patient p (and question qid, when not NULL) and keeps the first.
 * Messages never quote the patient's values: logs and manifests name ids, not answers;
 * file:line points at the value. */
void patient_reject(patient *p, int line, const char *qid, const char *fmt, ...)
{
	strbuf msg = {0};
	sb_printf(&msg, "patient %s: ", p->id ? p->id : "?");
	if (qid)
		sb_printf(&msg, "question %s: ", qid);
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	sb_append(&msg, buf);
	diag(DIAG_ERROR, p->file, line, "%s", msg.data);
	if (!p->error) {
		strbuf full = {0};
		sb_printf(&full, "%s:%d: %s", p->file, line, msg.data);
		p->error = sb_take(&full);
	}
	sb_free(&msg);
}

int patient_id_valid(const char *id)
{
	size_t n = strlen(id);
	if (n == 0 || n > MAX_ID_LEN || id[0] == '.')
		return 0;
	for (const char *s = id; *s; s++)
		if (!isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
			if (*s != '-' && *s != '_' && *s != '.')
				return 0;
	return 1;
}

/* A plain decimal number: an optional '-', 1 to 9 digits and, unless integer, an optional
 * '.' and 1 to 6 digits. No '+', exponent, hex (0x5), infinity or spaces. */
static int parse_number(const char *s, int integer, double *out)
{
	const char *p = s + (*s == '-');
	size_t whole = strspn(p, "0123456789");
	if (whole == 0 || whole > 9)
		return -1;
	p += whole;
	if (*p == '.' && !integer) {
		size_t frac = strspn(p + 1, "0123456789");
		if (frac == 0 || frac > 6)
			return -1;
		p += 1 + frac;
	}
	if (*p != '\0')
		return -1;
	*out = strtod(s, NULL);
	return 0;
}

/* Checks one answer value against its question and adds it to the patient. */
static void add_answer(patient *p, const question *qu, int qi, const char *raw, int line)
{
	answer *a = &p->answers[qi];
	char *v = text_normalize_space(raw);
	if (*v == '\0') {
		patient_reject(p, line, qu->id, "empty answer");
		goto refused;
	}
	if (a->nvalues > 0 && !qu->multiple) {
		patient_reject(p, line, qu->id, "answered more than once (it takes one answer)");
		goto refused;
	}
	switch (qu->type) {
	case Q_BOOLEAN:
		if (strcasecmp(v, "yes") == 0 || strcasecmp(v, "true") == 0) {
			free(v);
			v = xstrdup("yes");
		} else if (strcasecmp(v, "no") == 0 || strcasecmp(v, "false") == 0) {
			free(v);
			v = xstrdup("no");
		} else {
			patient_reject(p, line, qu->id, "not yes or no");
			goto refused;
		}
		break;
	case Q_INTEGER:
	case Q_DECIMAL: {
		double num;
		if (parse_number(v, qu->type == Q_INTEGER, &num) < 0) {
			patient_reject(p, line, qu->id, "not %s", qu->type == Q_INTEGER ? "a plain whole number (digits, at most 9)"
										    : "a plain decimal number");
			goto refused;
		}
		if ((qu->has_min && num < qu->min) || (qu->has_max && num > qu->max)) {
			patient_reject(p, line, qu->id, "outside %g..%g", qu->min, qu->max);
			goto refused;
		}
		a->number = num;
		break;
	}
	case Q_CHOICE:
		if (!question_find_choice(qu, v)) {
			strbuf allowed = {0};
			for (size_t i = 0; i < qu->nchoices; i++)
				sb_printf(&allowed, "%s%s", i ? ", " : "", qu->choices[i].value);
			patient_reject(p, line, qu->id, "not one of: %s", allowed.data);
			sb_free(&allowed);
			goto refused;
		}
		for (size_t i = 0; i < a->nvalues; i++)
			if (strcmp(a->values[i], v) == 0)
				goto done; /* the same choice twice says nothing new */
		break;
	case Q_STRING:
		break;
	}
	size_t cap = a->nvalues;
	grow_array((void **)&a->values, &cap, a->nvalues + 1, sizeof *a->values);
	a->values[a->nvalues++] = v;
	if (a->line == 0)
		a->line = line;
	return;
refused:
	a->refused = 1;
done:
	free(v);
}

patient *patient_new(const char *file, int line, const questionnaire *q)
{
	patient *p = xcalloc(1, sizeof *p);
	p->file = xstrdup(file);
	p->line = line;
	p->questionnaire = q;
	p->nanswers = q->nquestions;
	p->answers = xcalloc(q->nquestions, sizeof *p->answers);
	p->language = xstrdup("en");
	p->id = xstrdup("?");
	return p;
}

int patient_set_id(patient *p, const char *id, int line, id_set *seen)
{
	if (!id || !patient_id_valid(id)) {
		/* Not echoed: a malformed id may hold anything, a name too. file:line finds it. */
		patient_reject(p, line, NULL, "%s",
			       id ? "id may hold only letters, digits, '-', '_' and '.' (64 at most, not starting with '.')"
				  : "the patient has no id");
		return -1;
	}
	free(p->id);
	p->id = xstrdup(id);
	if (seen && !id_set_add(seen, id)) {
		patient_reject(p, line, NULL, "duplicate patient id");
		return -1;
	}
	return 0;
}

void patient_set_name(patient *p, char *text, int line)
{
	free(p->name);
	p->name = text;
	if (!utf8_valid(text))
		patient_reject(p, line, NULL, "name is not valid UTF-8");
	else if (utf8_chars(text) > MAX_NAME_CHARS)
		patient_reject(p, line, NULL, "name is longer than %d characters", MAX_NAME_CHARS);
}

void patient_set_birth_date(patient *p, char *text, int line)
{
	free(p->birth_date);
	p->birth_date = text;
	if (!iso_date_valid(text))
		patient_reject(p, line, NULL, "birth-date is not a real date written YYYY-MM-DD");
}

void patient_set_language(patient *p, char *text, int line)
{
	free(p->language);
	p->language = text;
	if (strlen(text) > MAX_LANGUAGE_LEN)
		patient_reject(p, line, NULL, "language is longer than %d characters", MAX_LANGUAGE_LEN);
}

void patient_set_phone(patient *p, char *text, int line)
{
	free(p->phone);
	p->phone = text;
	if (!utf8_valid(text))
		patient_reject(p, line, NULL, "phone is not valid UTF-8");
	else if (utf8_chars(text) > MAX_PHONE_CHARS)
		patient_reject(p, line, NULL, "phone is longer than %d characters", MAX_PHONE_CHARS);
}

void patient_add_address_line(patient *p, char *text, int line)
{
	/* The line past the last allowed is kept (the patient is refused: nothing prints it) so
	 * that more lines after it are not refused again: one message for a 20-line address. */
	if (p->naddress > MAX_ADDRESS_LINES) {
		free(text);
		return;
	}
	if (p->naddress == MAX_ADDRESS_LINES)
		patient_reject(p, line, NULL, "address has more than %d lines", MAX_ADDRESS_LINES);
	else if (!utf8_valid(text))
		patient_reject(p, line, NULL, "address line %zu is not valid UTF-8", p->naddress + 1);
	else if (utf8_chars(text) > MAX_NAME_CHARS)
		patient_reject(p, line, NULL, "address line longer than %d characters", MAX_NAME_CHARS);
	size_t cap = p->naddress;
	grow_array((void **)&p->address, &cap, p->naddress + 1, sizeof *p->address);
	p->address[p->naddress++] = text;
}

void patient_set_date(patient *p, const char *date, int line)
{
	free(p->date);
	p->date = xstrdup(date);
	if (!iso_date_valid(date))
		patient_reject(p, line, NULL, "answers date is not a real date written YYYY-MM-DD");
}

void patient_add_answer(patient *p, const char *qid, const char *raw, int line)
{
	const questionnaire *q = p->questionnaire;
	int qi = questionnaire_find(q, qid);
	if (qi < 0) {
		/* Echoed only when it looks like an id: it may hold anything. */
		patient_reject(p, line, patient_id_valid(qid) ? qid : "(not a question id)",
			       "no such question in questionnaire %s", q->id);
		return;
	}
	add_answer(p, &q->questions[qi], qi, raw, line);
}

void patient_refuse_answer(patient *p, const char *qid, int line, const char *fmt, ...)
{
	char why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	int qi = questionnaire_find(p->questionnaire, qid);
	patient_reject(p, line, qi >= 0 || patient_id_valid(qid) ? qid : "(not a question id)", "%s", why);
	if (qi >= 0)
		p->answers[qi].refused = 1;
}

void patient_finish(patient *p, int line)
{
	const questionnaire *q = p->questionnaire;
	for (size_t i = 0; i < q->nquestions; i++)
		if (q->questions[i].required && p->answers[i].nvalues == 0 && !p->answers[i].refused)
			patient_reject(p, line, q->questions[i].id, "required answer is missing");
}
